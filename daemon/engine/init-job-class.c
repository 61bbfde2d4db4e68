/* init-job-class.c — a parsed job definition: defaults, copies, reference counting */
#define G_LOG_DOMAIN "init-job-class"

#include <signal.h>
#include <string.h>

#include "init-job-class-fields.h"

/* Most jobs have no env, export, emits, cgroup or normal exit stanzas: they all share one
 * empty list (copy on write through init_job_class_writable_*), which keeps thousands of
 * loaded jobs from each holding five empty arrays. */
static GPtrArray *shared_empty_strings;
static GArray *shared_empty_ints;

GPtrArray *
init_job_class_empty_strings (void)
{
  if (g_once_init_enter (&shared_empty_strings))
    g_once_init_leave (&shared_empty_strings, g_ptr_array_new_with_free_func (g_free));
  return g_ptr_array_ref (shared_empty_strings);
}

GArray *
init_job_class_empty_ints (void)
{
  if (g_once_init_enter (&shared_empty_ints))
    g_once_init_leave (&shared_empty_ints, g_array_new (FALSE, FALSE, sizeof (int)));
  return g_array_ref (shared_empty_ints);
}

const struct rlimit *
init_job_class_get_limit (const InitJobClass *klass,
                          int                 resource)
{
  g_return_val_if_fail (resource >= 0 && resource < INIT_N_LIMITS, NULL);
  return klass->limits != NULL ? klass->limits[resource] : NULL;
}

void
init_job_class_set_limit (InitJobClass        *klass,
                          int                  resource,
                          const struct rlimit *limit)
{
  g_return_if_fail (resource >= 0 && resource < INIT_N_LIMITS);

  /* Few jobs set limits: the table exists only for those that do. */
  if (klass->limits == NULL)
    klass->limits = g_new0 (struct rlimit *, INIT_N_LIMITS);
  g_clear_pointer (&klass->limits[resource], g_free);
  if (limit != NULL)
    klass->limits[resource] = g_memdup2 (limit, sizeof *limit);
}

GPtrArray *
init_job_class_writable_list (GPtrArray **field)
{
  if (*field == shared_empty_strings)
    {
      g_ptr_array_unref (*field);
      *field = g_ptr_array_new_with_free_func (g_free);
    }
  return *field;
}

GArray *
init_job_class_writable_normal_exit (InitJobClass *klass)
{
  if (klass->normal_exit == shared_empty_ints)
    {
      g_array_unref (klass->normal_exit);
      klass->normal_exit = g_array_new (FALSE, FALSE, sizeof (int));
    }
  return klass->normal_exit;
}

/**
 * init_job_class_new:
 * @name: (nullable): the job name, e.g. "net/apache"
 *
 * Returns: (transfer full): a class carrying every default of reference §1.3.
 */
InitJobClass *
init_job_class_new (const char *name)
{
  InitJobClass *klass = g_atomic_rc_box_new0 (InitJobClass);

  klass->name = g_strdup (name);
  klass->instance = g_strdup ("");

  klass->env = init_job_class_empty_strings ();
  klass->export = init_job_class_empty_strings ();
  klass->emits = init_job_class_empty_strings ();
  klass->cgroups = init_job_class_empty_strings ();
  klass->normal_exit = init_job_class_empty_ints ();

  klass->expect = INIT_EXPECT_NONE;
  klass->kill_timeout = INIT_DEFAULT_KILL_TIMEOUT;
  klass->kill_signal = SIGTERM;
  klass->reload_signal = SIGHUP;
  klass->respawn_limit = INIT_DEFAULT_RESPAWN_LIMIT;
  klass->respawn_interval = INIT_DEFAULT_RESPAWN_INTERVAL;
  klass->console = INIT_CONSOLE_LOG;
  klass->umask = INIT_DEFAULT_UMASK;
  klass->nice = INIT_NICE_UNSET;
  klass->oom_score_adj = 0;

  return klass;
}

/**
 * init_job_class_copy:
 * @klass: the class to copy
 *
 * Deep copy, used to apply an override without touching the original.  The `start on` /
 * `stop on` trees of the copy are unlatched.
 *
 * Returns: (transfer full): the copy, with a reference count of one.
 */
InitJobClass *
init_job_class_copy (const InitJobClass *klass)
{
  InitJobClass *copy;

  g_return_val_if_fail (klass != NULL, NULL);

  copy = g_atomic_rc_box_new0 (InitJobClass);
  for (guint i = 0; i < init_job_class_n_fields; i++)
    init_job_class_field_copy (&init_job_class_fields[i], copy, klass);
  return copy;
}

/**
 * init_job_class_ref:
 * @klass: a class
 *
 * Returns: (transfer full): @klass
 */
InitJobClass *
init_job_class_ref (InitJobClass *klass)
{
  g_return_val_if_fail (klass != NULL, NULL);

  return g_atomic_rc_box_acquire (klass);
}

/**
 * init_job_class_unref:
 * @klass: (nullable): a class
 *
 * Drops a reference; the last one frees the class and its operator trees.
 */
static void
job_class_clear (gpointer data)
{
  for (guint i = 0; i < init_job_class_n_fields; i++)
    init_job_class_field_clear (&init_job_class_fields[i], data);
}

void
init_job_class_unref (InitJobClass *klass)
{
  if (klass != NULL)
    g_atomic_rc_box_release_full (klass, job_class_clear);
}

static const char *const process_names[INIT_PROCESS_N] = {
  [INIT_PROCESS_MAIN] = "main",
  [INIT_PROCESS_PRE_START] = "pre-start",
  [INIT_PROCESS_POST_START] = "post-start",
  [INIT_PROCESS_PRE_STOP] = "pre-stop",
  [INIT_PROCESS_POST_STOP] = "post-stop",
};

/**
 * init_process_type_to_string:
 * @type: a process type
 *
 * Returns: (nullable): "main", "pre-start", …; NULL for NONE or out of range.
 */
const char *
init_process_type_to_string (InitProcessType type)
{
  if (type < 0 || type >= INIT_PROCESS_N)
    return NULL;

  return process_names[type];
}

/**
 * init_process_type_from_string:
 * @str: (nullable): a name as returned by init_process_type_to_string()
 *
 * Returns: the process type, or INIT_PROCESS_NONE if @str names none.
 */
InitProcessType
init_process_type_from_string (const char *str)
{
  if (str == NULL)
    return INIT_PROCESS_NONE;

  for (int i = 0; i < INIT_PROCESS_N; i++)
    {
      if (strcmp (str, process_names[i]) == 0)
        return (InitProcessType) i;
    }

  return INIT_PROCESS_NONE;
}

/**
 * init_expect_type_to_string:
 * @type: an expect type
 *
 * Returns: (nullable): "none", "stop", "daemon" or "fork"; NULL if out of range.
 */
const char *
init_expect_type_to_string (InitExpectType type)
{
  switch (type)
    {
    case INIT_EXPECT_NONE:
      return "none";
    case INIT_EXPECT_STOP:
      return "stop";
    case INIT_EXPECT_DAEMON:
      return "daemon";
    case INIT_EXPECT_FORK:
      return "fork";
    default:
      return NULL;
    }
}

/**
 * init_console_type_to_string:
 * @type: a console type
 *
 * Returns: (nullable): "log", "none", "output" or "owner"; NULL if out of range.
 */
const char *
init_console_type_to_string (InitConsoleType type)
{
  switch (type)
    {
    case INIT_CONSOLE_LOG:
      return "log";
    case INIT_CONSOLE_NONE:
      return "none";
    case INIT_CONSOLE_OUTPUT:
      return "output";
    case INIT_CONSOLE_OWNER:
      return "owner";
    default:
      return NULL;
    }
}

/**
 * init_job_class_is_normal_exit:
 * @klass: a class
 * @status: an exit code, or a signal number shifted left by 8
 *
 * Returns: TRUE if `normal exit` lists @status.
 */
gboolean
init_job_class_is_normal_exit (const InitJobClass *klass,
                               int                 status)
{
  g_return_val_if_fail (klass != NULL, FALSE);

  for (guint i = 0; i < klass->normal_exit->len; i++)
    {
      if (g_array_index (klass->normal_exit, int, i) == status)
        return TRUE;
    }

  return FALSE;
}

/**
 * init_job_class_is_abstract:
 * @klass: a class
 *
 * Returns: TRUE if the class defines no process at all (neither main nor auxiliary).
 */
gboolean
init_job_class_is_abstract (const InitJobClass *klass)
{
  g_return_val_if_fail (klass != NULL, FALSE);

  for (guint i = 0; i < INIT_PROCESS_N; i++)
    {
      if (klass->process[i].command != NULL)
        return FALSE;
    }

  return TRUE;
}
