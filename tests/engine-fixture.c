/* engine-fixture.c — an in-process engine with a private conf dir, for engine tests */
#include <stdarg.h>
#include <string.h>

#include "engine-fixture.h"
#include "init-env.h"
#include "init-job-parse.h"
#include "test-util.h"

#define WAIT_MS 20000

static void
on_event_finished (InitEngine *engine,
                   InitEvent  *event,
                   gpointer    user_data)
{
  Fixture *fx = user_data;
  GString *line = g_string_new (event->name);

  for (guint i = 0; i < event->env->len; i++)
    g_string_append_printf (line, " %s", (char *) g_ptr_array_index (event->env, i));
  g_ptr_array_add (fx->events, g_string_free (line, FALSE));
}

static void
on_event_queued (InitEngine *engine,
                 InitEvent  *event,
                 gpointer    user_data)
{
  Fixture *fx = user_data;

  g_ptr_array_add (fx->queued, g_strdup (event->name));
}

static void
on_instance_changed (InitEngine *engine,
                     InitJob    *job,
                     gpointer    user_data)
{
  Fixture *fx = user_data;
  char *line = g_strdup_printf ("%s %s/%s", job->klass->name, init_job_goal_to_string (job->goal),
                                init_job_state_to_string (job->state));
  const char *last = fx->states->len ? g_ptr_array_index (fx->states, fx->states->len - 1) : NULL;

  if (g_strcmp0 (last, line) != 0)
    g_ptr_array_add (fx->states, line);
  else
    g_free (line);
}

gboolean fixture_no_proc_connector;

void
fixture_reconnect (Fixture *fx)
{
  g_signal_connect (fx->engine, "event-finished", G_CALLBACK (on_event_finished), fx);
  g_signal_connect (fx->engine, "event-queued", G_CALLBACK (on_event_queued), fx);
  g_signal_connect (fx->engine, "instance-changed", G_CALLBACK (on_instance_changed), fx);
}

void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  InitEngineOptions options = { 0 };

  fx->dir = test_util_mkdtemp ();
  fx->confdir = g_build_filename (fx->dir, "conf", NULL);
  fx->logdir = g_build_filename (fx->dir, "log", NULL);
  g_mkdir_with_parents (fx->confdir, 0755);
  options.user_mode = TRUE;
  options.log_dir = fx->logdir;
  options.no_proc_connector = fixture_no_proc_connector;
  fx->engine = init_engine_new (&options);
  init_engine_add_conf_dir (fx->engine, fx->confdir);
  fx->events = g_ptr_array_new_with_free_func (g_free);
  fx->queued = g_ptr_array_new_with_free_func (g_free);
  fx->states = g_ptr_array_new_with_free_func (g_free);
  fixture_reconnect (fx);
  /* Jobs that fail on purpose log warnings; tests check the ones they care about with
   * test_util_capture_contains(). */
  test_util_capture_start ();
}

static gboolean
engine_idle (gpointer user_data)
{
  return init_engine_get_n_instances (user_data) == 0;
}

void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  /* Stop whatever still runs so no process outlives the test. */
  init_engine_shutdown (fx->engine, NULL, NULL);
  test_util_wait_until (engine_idle, fx->engine, WAIT_MS);
  g_clear_object (&fx->engine);
  test_util_capture_stop ();
  test_util_rm_rf (fx->dir);
  g_free (fx->dir);
  g_free (fx->confdir);
  g_free (fx->logdir);
  g_ptr_array_unref (fx->events);
  g_ptr_array_unref (fx->queued);
  g_ptr_array_unref (fx->states);
}

void
fixture_define (Fixture    *fx,
                const char *name,
                const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InitJobClass) klass = init_job_parse (name, NULL, text, -1, NULL, NULL, &error);

  g_assert_no_error (error);
  init_engine_set_class (fx->engine, name, klass);
}

void
fixture_write_conf (Fixture    *fx,
                    const char *name,
                    const char *text)
{
  g_autofree char *file = g_strconcat (name, ".conf", NULL);

  test_util_write_file (fx->confdir, file, text);
}

char *
fixture_path (Fixture    *fx,
              const char *name)
{
  return g_build_filename (fx->dir, name, NULL);
}

static GPtrArray *
env_from_va (va_list ap)
{
  GPtrArray *env = init_env_new ();
  const char *entry;

  while ((entry = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (env, g_strdup (entry));
  return env;
}

static void
emit_done (InitEvent *event,
           gpointer   user_data)
{
  int *result = user_data;

  *result = event->failed ? 1 : 0;
}

static gboolean
result_set (gpointer user_data)
{
  return *(int *) user_data >= 0;
}

gboolean
fixture_emit_wait (Fixture    *fx,
                   const char *name,
                   ...)
{
  g_autoptr(GPtrArray) env = NULL;
  int result = -1;
  va_list ap;

  va_start (ap, name);
  env = env_from_va (ap);
  va_end (ap);
  init_engine_emit (fx->engine, name, env, emit_done, &result);
  g_assert_true (test_util_wait_until (result_set, &result, WAIT_MS));
  return result == 1;
}

void
fixture_emit (Fixture    *fx,
              const char *name,
              ...)
{
  g_autoptr(GPtrArray) env = NULL;
  va_list ap;

  va_start (ap, name);
  env = env_from_va (ap);
  va_end (ap);
  init_engine_emit (fx->engine, name, env, NULL, NULL);
}

static InitJob *
lookup_job (Fixture    *fx,
            const char *job,
            const char *instance)
{
  InitJobEntry *entry = init_engine_lookup (fx->engine, job);

  if (entry == NULL)
    return NULL;
  return init_job_entry_lookup_instance (entry, instance);
}

char *
fixture_status (Fixture    *fx,
                const char *job,
                const char *instance)
{
  InitJob *j = lookup_job (fx, job, instance);

  if (j == NULL)
    return g_strdup ("stop/waiting");
  return g_strdup_printf ("%s/%s", init_job_goal_to_string (j->goal),
                          init_job_state_to_string (j->state));
}

int
fixture_main_pid (Fixture    *fx,
                  const char *job,
                  const char *instance)
{
  InitJob *j = lookup_job (fx, job, instance);

  return j != NULL ? j->pid[INIT_PROCESS_MAIN] : 0;
}

typedef struct
{
  Fixture    *fx;
  const char *job;
  const char *instance;
  const char *status;
} StatusWait;

static gboolean
status_reached (gpointer user_data)
{
  StatusWait *w = user_data;
  g_autofree char *status = fixture_status (w->fx, w->job, w->instance);

  return g_str_equal (status, w->status);
}

void
fixture_wait_status (Fixture    *fx,
                     const char *job,
                     const char *instance,
                     const char *status)
{
  StatusWait w = { fx, job, instance, status };

  if (!test_util_wait_until (status_reached, &w, WAIT_MS))
    {
      g_autofree char *now = fixture_status (fx, job, instance);
      g_assert_cmpstr (now, ==, status);
    }
}

/* The file exists and holds at least one complete line: a shell's `echo x > f` creates the
 * file before it writes to it. */
static gboolean
file_exists (gpointer user_data)
{
  g_autofree char *contents = test_util_read_file (user_data);

  return contents != NULL && g_str_has_suffix (contents, "\n");
}

char *
fixture_wait_file (Fixture    *fx,
                   const char *path)
{
  g_assert_true (test_util_wait_until (file_exists, (gpointer) path, WAIT_MS));
  return test_util_read_file (path);
}

gboolean
fixture_saw_event (Fixture    *fx,
                   const char *line)
{
  for (guint i = 0; i < fx->events->len; i++)
    if (g_str_equal (g_ptr_array_index (fx->events, i), line))
      return TRUE;
  return FALSE;
}

typedef struct
{
  Fixture    *fx;
  const char *line;
} EventWait;

static gboolean
event_seen (gpointer user_data)
{
  EventWait *w = user_data;
  return fixture_saw_event (w->fx, w->line);
}

void
fixture_wait_event (Fixture    *fx,
                    const char *line)
{
  EventWait w = { fx, line };

  if (!test_util_wait_until (event_seen, &w, WAIT_MS))
    {
      for (guint i = 0; i < fx->events->len; i++)
        g_test_message ("finished: %s", (char *) g_ptr_array_index (fx->events, i));
      g_error ("event never finished: %s", line);
    }
}

int
fixture_event_index (Fixture    *fx,
                     const char *name)
{
  gsize len = strlen (name);

  for (guint i = 0; i < fx->events->len; i++)
    {
      const char *line = g_ptr_array_index (fx->events, i);
      if (strncmp (line, name, len) == 0 && (line[len] == '\0' || line[len] == ' '))
        return (int) i;
    }
  return -1;
}

void
fixture_reply_cb (InitJob      *job,
                  const GError *error,
                  gpointer      user_data)
{
  FixtureReply *reply = user_data;

  reply->done = TRUE;
  reply->error = error != NULL ? g_error_copy (error) : NULL;
}

static gboolean
reply_done (gpointer user_data)
{
  return ((FixtureReply *) user_data)->done;
}

void
fixture_wait_reply (FixtureReply *reply)
{
  g_assert_true (test_util_wait_until (reply_done, reply, WAIT_MS));
}
