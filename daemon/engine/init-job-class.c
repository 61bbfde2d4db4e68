/* init-job-class.c — a parsed job definition: defaults, copies, reference counting */
#define G_LOG_DOMAIN "init-job-class"

#include <signal.h>
#include <string.h>

#include "init-job-class.h"

/* Most jobs have no env, export, emits, cgroup or normal exit stanzas: they all share one
 * empty list (copy on write through init_job_class_writable_*), which keeps thousands of
 * loaded jobs from each holding five empty arrays. */
static GPtrArray *shared_empty_strings;
static GArray *shared_empty_ints;

static GPtrArray *
new_string_array (void)
{
  if (g_once_init_enter (&shared_empty_strings))
    g_once_init_leave (&shared_empty_strings, g_ptr_array_new_with_free_func (g_free));
  return g_ptr_array_ref (shared_empty_strings);
}

static GArray *
new_int_array (void)
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

static GPtrArray *
copy_string_array (const GPtrArray *array)
{
  GPtrArray *copy;

  if (array->len == 0)
    return new_string_array ();
  copy = g_ptr_array_new_full (array->len, g_free);

  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (array, i)));

  return copy;
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
  InitJobClass *klass = g_new0 (InitJobClass, 1);

  klass->ref_count = 1;
  klass->name = g_strdup (name);
  klass->instance = g_strdup ("");

  klass->env = new_string_array ();
  klass->export = new_string_array ();
  klass->emits = new_string_array ();
  klass->cgroups = new_string_array ();
  klass->normal_exit = new_int_array ();

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

/* A structural copy of @op built with the public constructors, so every leaf of the copy
 * starts unlatched (no event, no block) whatever state the original is in.  Iterative: the
 * parser bounds trees, but a copy must never be what overflows the stack. */
static InitEventOperator *
copy_operator_unlatched (const InitEventOperator *op)
{
  g_autoptr(GPtrArray) todo = NULL;   /* nodes still to visit (pre-order) */
  g_autoptr(GPtrArray) done = NULL;   /* copies in post-order, consumed as a stack */
  g_autoptr(GPtrArray) order = NULL;  /* originals in reverse post-order */

  if (op == NULL)
    return NULL;

  /* Two-stack post-order: pop from @todo, push onto @order, push children; @order read
   * backwards is a post-order walk. */
  todo = g_ptr_array_new ();
  order = g_ptr_array_new ();
  g_ptr_array_add (todo, (gpointer) op);
  while (todo->len > 0)
    {
      const InitEventOperator *node = g_ptr_array_steal_index (todo, todo->len - 1);

      g_ptr_array_add (order, (gpointer) node);
      if (node->type != INIT_EVENT_OPERATOR_MATCH)
        {
          g_ptr_array_add (todo, node->left);
          g_ptr_array_add (todo, node->right);
        }
    }

  done = g_ptr_array_new ();
  for (guint i = order->len; i > 0; i--)
    {
      const InitEventOperator *node = g_ptr_array_index (order, i - 1);
      InitEventOperator *copy;

      if (node->type == INIT_EVENT_OPERATOR_MATCH)
        {
          copy = init_event_operator_new_match (node->name, g_strdupv (node->args));
        }
      else
        {
          InitEventOperator *right = g_ptr_array_steal_index (done, done->len - 1);
          InitEventOperator *left = g_ptr_array_steal_index (done, done->len - 1);

          copy = init_event_operator_new_binary (node->type, left, right);
        }
      g_ptr_array_add (done, copy);
    }

  g_assert (done->len == 1);
  return g_ptr_array_steal_index (done, 0);
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

  copy = g_new0 (InitJobClass, 1);
  copy->ref_count = 1;

  copy->name = g_strdup (klass->name);
  copy->path = g_strdup (klass->path);
  copy->override_path = g_strdup (klass->override_path);

  copy->description = g_strdup (klass->description);
  copy->author = g_strdup (klass->author);
  copy->version = g_strdup (klass->version);
  copy->usage = g_strdup (klass->usage);
  copy->instance = g_strdup (klass->instance);

  copy->env = copy_string_array (klass->env);
  copy->export = copy_string_array (klass->export);
  copy->emits = copy_string_array (klass->emits);

  copy->start_on = copy_operator_unlatched (klass->start_on);
  copy->stop_on = copy_operator_unlatched (klass->stop_on);

  for (guint i = 0; i < INIT_PROCESS_N; i++)
    {
      copy->process[i].script = klass->process[i].script;
      copy->process[i].command = g_strdup (klass->process[i].command);
    }

  copy->expect = klass->expect;
  copy->task = klass->task;
  copy->manual = klass->manual;

  copy->kill_timeout = klass->kill_timeout;
  copy->kill_signal = klass->kill_signal;
  copy->reload_signal = klass->reload_signal;

  copy->respawn = klass->respawn;
  copy->respawn_limit = klass->respawn_limit;
  copy->respawn_interval = klass->respawn_interval;

  if (klass->normal_exit->len == 0)
    copy->normal_exit = new_int_array ();
  else
    {
      copy->normal_exit = g_array_sized_new (FALSE, FALSE, sizeof (int), klass->normal_exit->len);
      g_array_append_vals (copy->normal_exit, klass->normal_exit->data, klass->normal_exit->len);
    }

  copy->console = klass->console;
  copy->umask = klass->umask;
  copy->nice = klass->nice;
  copy->oom_score_adj = klass->oom_score_adj;
  copy->oom_set = klass->oom_set;
  for (int i = 0; i < INIT_N_LIMITS; i++)
    {
      if (init_job_class_get_limit (klass, i) != NULL)
        init_job_class_set_limit (copy, i, init_job_class_get_limit (klass, i));
    }

  copy->chroot = g_strdup (klass->chroot);
  copy->chdir = g_strdup (klass->chdir);
  copy->setuid = g_strdup (klass->setuid);
  copy->setgid = g_strdup (klass->setgid);

  copy->debug = klass->debug;
  copy->apparmor_load = g_strdup (klass->apparmor_load);
  copy->apparmor_switch = g_strdup (klass->apparmor_switch);
  copy->cgroups = copy_string_array (klass->cgroups);

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
  g_return_val_if_fail (klass->ref_count > 0, NULL);

  g_atomic_int_inc (&klass->ref_count);
  return klass;
}

/**
 * init_job_class_unref:
 * @klass: (nullable): a class
 *
 * Drops a reference; the last one frees the class and its operator trees.
 */
void
init_job_class_unref (InitJobClass *klass)
{
  if (klass == NULL)
    return;

  g_return_if_fail (klass->ref_count > 0);

  if (!g_atomic_int_dec_and_test (&klass->ref_count))
    return;

  g_free (klass->name);
  g_free (klass->path);
  g_free (klass->override_path);
  g_free (klass->description);
  g_free (klass->author);
  g_free (klass->version);
  g_free (klass->usage);
  g_free (klass->instance);

  g_clear_pointer (&klass->env, g_ptr_array_unref);
  g_clear_pointer (&klass->export, g_ptr_array_unref);
  g_clear_pointer (&klass->emits, g_ptr_array_unref);

  g_clear_pointer (&klass->start_on, init_event_operator_free);
  g_clear_pointer (&klass->stop_on, init_event_operator_free);

  for (guint i = 0; i < INIT_PROCESS_N; i++)
    g_free (klass->process[i].command);

  g_clear_pointer (&klass->normal_exit, g_array_unref);
  for (guint i = 0; klass->limits != NULL && i < INIT_N_LIMITS; i++)
    g_free (klass->limits[i]);
  g_free (klass->limits);

  g_free (klass->chroot);
  g_free (klass->chdir);
  g_free (klass->setuid);
  g_free (klass->setgid);

  g_free (klass->apparmor_load);
  g_free (klass->apparmor_switch);
  g_clear_pointer (&klass->cgroups, g_ptr_array_unref);

  g_free (klass);
}

static const char * const process_names[INIT_PROCESS_N] = {
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
