/* test-gui-job-model.c — init-admin's job list model against a stand-in daemon
 *
 * No display: the model follows an object manager client on a private bus where
 * gui-fake-daemon.c exports jobs and instances.  Each case checks one thing the list shows:
 * rows per job and instance, live changes, failures that outlive their instance, what the
 * list keeps when the daemon goes.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <locale.h>
#include <string.h>

#include "gui-fake-daemon.h"
#include "init-admin-job-model.h"
#include "test-util.h"

typedef struct
{
  FakeDaemon         *fd;
  GDBusObjectManager *om;
  InitAdminJobModel  *model;
  GPtrArray          *changed;    /* job names of "job-changed", in order */
} Fixture;

static void
on_job_changed (InitAdminJobModel *model,
                const char        *job,
                Fixture           *fx)
{
  g_ptr_array_add (fx->changed, g_strdup (job));
}

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  fx->fd = fake_daemon_new ();
  fx->model = init_admin_job_model_new ();
  fx->changed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fx->model, "job-changed", G_CALLBACK (on_job_changed), fx);
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  g_clear_object (&fx->model);
  g_clear_object (&fx->om);
  g_ptr_array_unref (fx->changed);
  fake_daemon_free (fx->fd);
}

/* Follow the stand-in from now on (what is exported already is listed at once). */
static void
follow (Fixture *fx)
{
  fx->om = fake_daemon_object_manager (fx->fd);
  init_admin_job_model_set_object_manager (fx->model, fx->om);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The rows' display names, sorted, joined by "|". */
static char *
row_names (Fixture *fx)
{
  GListModel *rows = init_admin_job_model_get_rows (fx->model);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(InitAdminJobRow) row = g_list_model_get_item (rows, i);

      g_ptr_array_add (names, g_strdup (init_admin_job_row_get_name (row)));
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", (char *) g_ptr_array_index (names, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static InitAdminJobRow *
row_of (Fixture    *fx,
        const char *job,
        const char *instance)
{
  InitAdminJobRow *row = init_admin_job_model_find_row (fx->model, job, instance);

  g_assert_nonnull (row);
  return row;
}

/* What exists when the model starts following: one row per job without instances, one per
 * instance for the others. */
static void
test_initial_listing (Fixture      *fx,
                      gconstpointer data)
{
  fake_daemon_add_job (fx->fd, "hello");
  fake_daemon_add_job (fx->fd, "tty");
  fake_daemon_add_instance (fx->fd, "tty", "tty1", "start", "running");
  fake_daemon_add_instance (fx->fd, "tty", "tty2", "start", "running");
  follow (fx);

  gui_assert_text (row_names (fx), "hello|tty (tty1)|tty (tty2)");
  g_assert_cmpuint (init_admin_job_model_get_job_rows (fx->model, "tty")->len, ==, 2);
  g_assert_cmpuint (init_admin_job_model_get_job_rows (fx->model, "hello")->len, ==, 1);
  g_assert_null (init_admin_job_model_get_job_rows (fx->model, "nope"));
  g_assert_cmpint (init_admin_job_row_get_status (row_of (fx, "tty", "tty1")), ==,
                   INIT_ADMIN_STATUS_RUNNING);
  g_assert_cmpint (init_admin_job_row_get_status (row_of (fx, "hello", NULL)), ==,
                   INIT_ADMIN_STATUS_STOPPED);
}

/* A job added later gets a row; its first instance takes over that row (the same object),
 * the second instance gets a row of its own. */
static void
test_live_instances_take_over_row (Fixture      *fx,
                                   gconstpointer data)
{
  InitAdminJobRow *job_row;

  follow (fx);
  gui_assert_text (row_names (fx), "");
  fake_daemon_add_job (fx->fd, "tty");
  fake_daemon_sync (fx->fd);
  gui_assert_text (row_names (fx), "tty");
  job_row = row_of (fx, "tty", NULL);
  g_assert_null (init_admin_job_row_get_instance (job_row));

  fake_daemon_add_instance (fx->fd, "tty", "tty1", "start", "starting");
  fake_daemon_sync (fx->fd);
  gui_assert_text (row_names (fx), "tty (tty1)");
  g_assert_true (row_of (fx, "tty", "tty1") == job_row);
  g_assert_cmpint (init_admin_job_row_get_status (job_row), ==, INIT_ADMIN_STATUS_STARTING);

  fake_daemon_add_instance (fx->fd, "tty", "tty2", "start", "running");
  fake_daemon_sync (fx->fd);
  gui_assert_text (row_names (fx), "tty (tty1)|tty (tty2)");
  g_assert_true (row_of (fx, "tty", "tty2") != job_row);
}

/* An instance that goes away takes its row with it while the job has others; the last one
 * leaves the job's row, stopped and without an instance. */
static void
test_instances_removed (Fixture      *fx,
                        gconstpointer data)
{
  g_autofree char *one = fake_daemon_instance_path ("tty", "tty1");
  g_autofree char *two = fake_daemon_instance_path ("tty", "tty2");
  InitAdminJobRow *row;

  fake_daemon_add_job (fx->fd, "tty");
  fake_daemon_add_instance (fx->fd, "tty", "tty1", "start", "running");
  fake_daemon_add_instance (fx->fd, "tty", "tty2", "start", "running");
  follow (fx);

  fake_daemon_remove (fx->fd, one);
  fake_daemon_sync (fx->fd);
  gui_assert_text (row_names (fx), "tty (tty2)");
  g_assert_null (init_admin_job_model_find_row (fx->model, "tty", "tty1"));

  fake_daemon_remove (fx->fd, two);
  fake_daemon_sync (fx->fd);
  gui_assert_text (row_names (fx), "tty");
  row = row_of (fx, "tty", NULL);
  g_assert_null (init_admin_job_row_get_instance (row));
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_STOPPED);
  g_assert_cmpstr (init_admin_job_row_get_goal_state (row), ==, "stop/waiting");
  /* Each removal told the job's watchers. */
  g_assert_cmpuint (fx->changed->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fx->changed, 1), ==, "tty");
}

/* A state change of an instance reaches its row and says "job-changed" for the job; a
 * change of the job's own properties (the description) too. */
static void
test_property_changes (Fixture      *fx,
                       gconstpointer data)
{
  InitDBusJob *job = fake_daemon_add_job (fx->fd, "web");
  InitDBusInstance *instance = fake_daemon_add_instance (fx->fd, "web", "", "start", "pre-start");
  InitAdminJobRow *row;

  follow (fx);
  row = row_of (fx, "web", "");
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_STARTING);

  init_dbus_instance_set_state (instance, "running");
  init_dbus_instance_set_processes (instance, g_variant_new_parsed ("[('main', 4242)]"));
  fake_daemon_sync (fx->fd);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_RUNNING);
  g_assert_cmpint (init_admin_job_row_get_pid (row), ==, 4242);
  g_assert_cmpuint (fx->changed->len, >=, 1);
  g_assert_cmpstr (g_ptr_array_index (fx->changed, fx->changed->len - 1), ==, "web");

  g_ptr_array_set_size (fx->changed, 0);
  init_dbus_job_set_description (job, "the web server");
  fake_daemon_sync (fx->fd);
  g_assert_cmpstr (init_admin_job_row_get_description (row), ==, "the web server");
  g_assert_cmpuint (fx->changed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fx->changed, 0), ==, "web");
}

/* A splice announces a row whose sort keys changed, so the sorted view re-places it; a row
 * whose keys did not change is not touched. */
typedef struct
{
  guint calls;
  guint removed, added;
} Splices;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Splices    *splices)
{
  splices->calls++;
  splices->removed = removed;
  splices->added = added;
}

static void
test_changed_row_is_spliced (Fixture      *fx,
                             gconstpointer data)
{
  InitDBusInstance *instance;
  Splices splices = { 0 };

  fake_daemon_add_job (fx->fd, "web");
  instance = fake_daemon_add_instance (fx->fd, "web", "", "start", "pre-start");
  follow (fx);
  g_signal_connect (init_admin_job_model_get_rows (fx->model), "items-changed",
                    G_CALLBACK (on_items_changed), &splices);

  /* pre-start -> spawned: still "starting". */
  init_dbus_instance_set_state (instance, "spawned");
  fake_daemon_sync (fx->fd);
  g_assert_cmpuint (splices.calls, ==, 0);
  g_assert_cmpstr (init_admin_job_row_get_goal_state (row_of (fx, "web", "")), ==, "start/spawned");

  init_dbus_instance_set_state (instance, "running");
  fake_daemon_sync (fx->fd);
  g_assert_cmpuint (splices.calls, ==, 1);
  g_assert_cmpuint (splices.removed, ==, 1);
  g_assert_cmpuint (splices.added, ==, 1);
  g_signal_handlers_disconnect_by_data (init_admin_job_model_get_rows (fx->model), &splices);
}

static void
fail_instance (InitDBusInstance *instance,
               const char       *process,
               int               status,
               const char       *sig)
{
  init_dbus_instance_set_goal (instance, "stop");
  init_dbus_instance_set_state (instance, "stopping");
  init_dbus_instance_set_failed (instance, TRUE);
  init_dbus_instance_set_failed_process (instance, process);
  init_dbus_instance_set_exit_status (instance, status);
  init_dbus_instance_set_exit_signal (instance, sig);
  init_dbus_instance_set_failed_at (instance, 1234567);
}

/* An instance that failed and went away leaves its failure on the job: the row shows
 * "failed" and the model tells what failed, when and in which instance. */
static void
test_failure_outlives_instance (Fixture      *fx,
                                gconstpointer data)
{
  g_autofree char *path = fake_daemon_instance_path ("task", "one");
  g_autofree char *text = NULL;
  g_autofree char *instance_name = NULL;
  InitDBusInstance *instance;
  gint64 when = 0;

  fake_daemon_add_job (fx->fd, "task");
  instance = fake_daemon_add_instance (fx->fd, "task", "one", "start", "running");
  follow (fx);
  g_assert_false (init_admin_job_model_get_failure (fx->model, "task", NULL, NULL, NULL));

  fail_instance (instance, "main", 3, "");
  fake_daemon_sync (fx->fd);
  fake_daemon_remove (fx->fd, path);
  fake_daemon_sync (fx->fd);

  g_assert_true (init_admin_job_model_get_failure (fx->model, "task", &text, &when, &instance_name));
  g_assert_cmpstr (text, ==, "The main process exited with status 3");
  g_assert_cmpint (when, ==, 1234567);
  g_assert_cmpstr (instance_name, ==, "one");
  g_assert_cmpint (init_admin_job_row_get_status (row_of (fx, "task", NULL)), ==,
                   INIT_ADMIN_STATUS_FAILED);
}

/* A new instance is a new attempt: the job's row no longer shows the old failure once that
 * instance ends well, though the failure stays readable. */
static void
test_new_instance_clears_failure (Fixture      *fx,
                                  gconstpointer data)
{
  g_autofree char *path = fake_daemon_instance_path ("task", "");

  fake_daemon_add_job (fx->fd, "task");
  fail_instance (fake_daemon_add_instance (fx->fd, "task", "", "start", "running"), "pre-start", -1, "SEGV");
  follow (fx);
  fake_daemon_remove (fx->fd, path);
  fake_daemon_sync (fx->fd);
  g_assert_cmpint (init_admin_job_row_get_status (row_of (fx, "task", NULL)), ==,
                   INIT_ADMIN_STATUS_FAILED);

  fake_daemon_add_instance (fx->fd, "task", "", "start", "running");
  fake_daemon_sync (fx->fd);
  g_assert_cmpint (init_admin_job_row_get_status (row_of (fx, "task", "")), ==,
                   INIT_ADMIN_STATUS_RUNNING);
  fake_daemon_remove (fx->fd, path);
  fake_daemon_sync (fx->fd);
  g_assert_cmpint (init_admin_job_row_get_status (row_of (fx, "task", NULL)), ==,
                   INIT_ADMIN_STATUS_STOPPED);
  g_assert_true (init_admin_job_model_get_failure (fx->model, "task", NULL, NULL, NULL));
}

static GVariant *
details (const char *text)
{
  return g_variant_ref_sink (g_variant_new_parsed (text));
}

/* History records feed failures: a failed process-exited marks the job failed (with the
 * record's time), a later job-goal start clears the mark; an exit that was no failure, a
 * stop and a record without a job change nothing. */
static void
test_records_feed_failures (Fixture      *fx,
                            gconstpointer data)
{
  g_autoptr(GVariant) failed = details ("{'job': <'cron'>, 'failed': <true>, 'process': <'main'>,"
                                        " 'status': <int32 1>}");
  g_autoptr(GVariant) clean = details ("{'job': <'cron'>, 'failed': <false>, 'status': <int32 0>}");
  g_autoptr(GVariant) stop = details ("{'job': <'cron'>, 'goal': <'stop'>}");
  g_autoptr(GVariant) start = details ("{'job': <'cron'>, 'goal': <'start'>}");
  g_autoptr(GVariant) nobody = details ("{'failed': <true>}");
  g_autofree char *text = NULL;
  gint64 when = 0;
  InitAdminJobRow *row;

  fake_daemon_add_job (fx->fd, "cron");
  follow (fx);
  row = row_of (fx, "cron", NULL);

  init_admin_job_model_add_record (fx->model, 10, "process-exited", clean);
  init_admin_job_model_add_record (fx->model, 10, "process-exited", nobody);
  g_assert_false (init_admin_job_model_get_failure (fx->model, "cron", NULL, NULL, NULL));
  g_assert_cmpuint (fx->changed->len, ==, 0);

  init_admin_job_model_add_record (fx->model, 20, "process-exited", failed);
  g_assert_true (init_admin_job_model_get_failure (fx->model, "cron", &text, &when, NULL));
  g_assert_cmpstr (text, ==, "The main process exited with status 1");
  g_assert_cmpint (when, ==, 20);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_FAILED);
  g_assert_cmpuint (fx->changed->len, ==, 1);

  init_admin_job_model_add_record (fx->model, 30, "job-goal", stop);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_FAILED);
  init_admin_job_model_add_record (fx->model, 40, "job-goal", start);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_STOPPED);
  g_assert_cmpuint (fx->changed->len, ==, 2);
  /* A second start has no failure left to clear: nothing to tell. */
  init_admin_job_model_add_record (fx->model, 50, "job-goal", start);
  g_assert_cmpuint (fx->changed->len, ==, 2);
}

/* A failure record for a job the model does not list yet is kept for it. */
static void
test_failure_before_job (Fixture      *fx,
                         gconstpointer data)
{
  g_autoptr(GVariant) failed = details ("{'job': <'late'>, 'instance': <'x'>, 'failed': <true>,"
                                        " 'process': <'post-stop'>, 'signal': <'KILL'>}");
  g_autofree char *text = NULL;
  g_autofree char *instance = NULL;

  follow (fx);
  init_admin_job_model_add_record (fx->model, 5, "process-exited", failed);
  g_assert_cmpuint (fx->changed->len, ==, 1);
  fake_daemon_add_job (fx->fd, "late");
  fake_daemon_sync (fx->fd);

  g_assert_cmpint (init_admin_job_row_get_status (row_of (fx, "late", NULL)), ==,
                   INIT_ADMIN_STATUS_FAILED);
  g_assert_true (init_admin_job_model_get_failure (fx->model, "late", &text, NULL, &instance));
  g_assert_cmpstr (text, ==, "The post-stop process was killed by signal KILL");
  g_assert_cmpstr (instance, ==, "x");
}

/* Highlighting marks the rows of the named jobs, every instance of them, and nothing else;
 * NULL clears it. */
static void
test_highlight (Fixture      *fx,
                gconstpointer data)
{
  g_autoptr(GHashTable) jobs = g_hash_table_new (g_str_hash, g_str_equal);

  fake_daemon_add_job (fx->fd, "a");
  fake_daemon_add_job (fx->fd, "b");
  fake_daemon_add_instance (fx->fd, "b", "1", "start", "running");
  fake_daemon_add_instance (fx->fd, "b", "2", "start", "running");
  follow (fx);

  g_hash_table_add (jobs, "b");
  init_admin_job_model_set_highlight (fx->model, jobs);
  g_assert_false (init_admin_job_row_get_highlighted (row_of (fx, "a", NULL)));
  g_assert_true (init_admin_job_row_get_highlighted (row_of (fx, "b", "1")));
  g_assert_true (init_admin_job_row_get_highlighted (row_of (fx, "b", "2")));

  init_admin_job_model_set_highlight (fx->model, NULL);
  g_assert_false (init_admin_job_row_get_highlighted (row_of (fx, "b", "1")));
  g_assert_false (init_admin_job_row_get_highlighted (row_of (fx, "b", "2")));
}

/* find_row: NULL instance is the job's first row, an instance name its row, unknown jobs
 * and instances nothing. */
static void
test_find_row (Fixture      *fx,
               gconstpointer data)
{
  fake_daemon_add_job (fx->fd, "tty");
  fake_daemon_add_instance (fx->fd, "tty", "tty1", "start", "running");
  follow (fx);

  g_assert_true (init_admin_job_model_find_row (fx->model, "tty", NULL)
                 == init_admin_job_model_find_row (fx->model, "tty", "tty1"));
  g_assert_null (init_admin_job_model_find_row (fx->model, "tty", "tty9"));
  g_assert_null (init_admin_job_model_find_row (fx->model, "tty", ""));
  g_assert_null (init_admin_job_model_find_row (fx->model, "none", NULL));
  g_assert_null (init_admin_job_model_find_row (fx->model, NULL, NULL));
}

/* Event names for the emit dialog: from start on, stop on and emits, without patterns. */
static void
test_event_names (Fixture      *fx,
                  gconstpointer data)
{
  InitDBusJob *job = fake_daemon_add_job (fx->fd, "web");
  const char *const emits[] = { "web-ready", "web-*", "log?", NULL };
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  init_dbus_job_set_start_on_tree (job, g_variant_new_parsed ("[['net-up'], ['mounted', 'MOUNT=/'], ['/AND']]"));
  init_dbus_job_set_stop_on_tree (job, g_variant_new_parsed ("[['shutdown']]"));
  init_dbus_job_set_emits (job, emits);
  follow (fx);

  init_admin_job_model_collect_event_names (fx->model, names);
  g_assert_cmpuint (g_hash_table_size (names), ==, 4);
  g_assert_true (g_hash_table_contains (names, "net-up"));
  g_assert_true (g_hash_table_contains (names, "mounted"));
  g_assert_true (g_hash_table_contains (names, "shutdown"));
  g_assert_true (g_hash_table_contains (names, "web-ready"));
}

/* A job that goes away takes all its rows, its instances' too (their own removal, which
 * follows, finds nothing left to do). */
static void
test_job_removed (Fixture      *fx,
                  gconstpointer data)
{
  g_autofree char *job_path = fake_daemon_job_path ("tty");
  g_autofree char *one = fake_daemon_instance_path ("tty", "tty1");

  fake_daemon_add_job (fx->fd, "tty");
  fake_daemon_add_job (fx->fd, "keep");
  fake_daemon_add_instance (fx->fd, "tty", "tty1", "start", "running");
  follow (fx);

  fake_daemon_remove (fx->fd, job_path);
  fake_daemon_sync (fx->fd);
  gui_assert_text (row_names (fx), "keep");
  fake_daemon_remove (fx->fd, one);
  fake_daemon_sync (fx->fd);
  gui_assert_text (row_names (fx), "keep");
  g_assert_null (init_admin_job_model_find_row (fx->model, "tty", NULL));
}

/* An instance announced before its job waits for it and then gets the job's row. */
static void
test_instance_before_job (Fixture      *fx,
                          gconstpointer data)
{
  follow (fx);
  fake_daemon_add_instance (fx->fd, "late", "", "start", "running");
  fake_daemon_sync (fx->fd);
  gui_assert_text (row_names (fx), "");

  fake_daemon_add_job (fx->fd, "late");
  fake_daemon_sync (fx->fd);
  gui_assert_text (row_names (fx), "late");
  g_assert_nonnull (init_admin_job_row_get_instance (row_of (fx, "late", "")));
  g_assert_cmpint (init_admin_job_row_get_status (row_of (fx, "late", "")), ==,
                   INIT_ADMIN_STATUS_RUNNING);
}

/* An instance that leaves before its job arrives is forgotten, not adopted later. */
static void
test_orphan_removed (Fixture      *fx,
                     gconstpointer data)
{
  g_autofree char *path = fake_daemon_instance_path ("late", "");

  follow (fx);
  fake_daemon_add_instance (fx->fd, "late", "", "start", "running");
  fake_daemon_sync (fx->fd);
  fake_daemon_remove (fx->fd, path);
  fake_daemon_sync (fx->fd);
  fake_daemon_add_job (fx->fd, "late");
  fake_daemon_sync (fx->fd);

  gui_assert_text (row_names (fx), "late");
  g_assert_null (init_admin_job_row_get_instance (row_of (fx, "late", NULL)));
}

static gboolean
owner_gone (gpointer user_data)
{
  g_autofree char *owner = g_dbus_object_manager_client_get_name_owner (user_data);

  return owner == NULL;
}

/* When the daemon goes away the rows stay as last known (shown dimmed); following nothing
 * then clears them. */
static void
test_daemon_gone_keeps_rows (Fixture      *fx,
                             gconstpointer data)
{
  fake_daemon_add_job (fx->fd, "hello");
  fake_daemon_add_instance (fx->fd, "hello", "", "start", "running");
  follow (fx);

  fake_daemon_vanish (fx->fd);
  g_assert_true (test_util_wait_until (owner_gone, fx->om, 20000));
  test_util_spin (50);
  gui_assert_text (row_names (fx), "hello");
  init_admin_job_model_keep_last_known (fx->model);
  gui_assert_text (row_names (fx), "hello");

  init_admin_job_model_set_object_manager (fx->model, NULL);
  gui_assert_text (row_names (fx), "");
}

/* Following another daemon starts afresh: its rows only, no failures of the old one. */
static void
test_switch_daemon_forgets (Fixture      *fx,
                            gconstpointer data)
{
  g_autoptr(GVariant) failed = details ("{'job': <'hello'>, 'failed': <true>, 'process': <'main'>,"
                                        " 'status': <int32 2>}");
  g_autoptr(GDBusObjectManager) second = NULL;

  fake_daemon_add_job (fx->fd, "hello");
  follow (fx);
  init_admin_job_model_add_record (fx->model, 1, "process-exited", failed);
  g_assert_true (init_admin_job_model_get_failure (fx->model, "hello", NULL, NULL, NULL));

  second = fake_daemon_object_manager (fx->fd);
  init_admin_job_model_set_object_manager (fx->model, second);
  g_assert_false (init_admin_job_model_get_failure (fx->model, "hello", NULL, NULL, NULL));
  gui_assert_text (row_names (fx), "hello");
  g_assert_cmpint (init_admin_job_row_get_status (row_of (fx, "hello", NULL)), ==,
                   INIT_ADMIN_STATUS_STOPPED);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/gui/job-model/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("initial-listing", test_initial_listing);
  ADD ("live-instances-take-over-row", test_live_instances_take_over_row);
  ADD ("instances-removed", test_instances_removed);
  ADD ("property-changes", test_property_changes);
  ADD ("changed-row-is-spliced", test_changed_row_is_spliced);
  ADD ("failure-outlives-instance", test_failure_outlives_instance);
  ADD ("new-instance-clears-failure", test_new_instance_clears_failure);
  ADD ("records-feed-failures", test_records_feed_failures);
  ADD ("failure-before-job", test_failure_before_job);
  ADD ("highlight", test_highlight);
  ADD ("find-row", test_find_row);
  ADD ("event-names", test_event_names);
  ADD ("job-removed", test_job_removed);
  ADD ("instance-before-job", test_instance_before_job);
  ADD ("orphan-removed", test_orphan_removed);
  ADD ("daemon-gone-keeps-rows", test_daemon_gone_keeps_rows);
  ADD ("switch-daemon-forgets", test_switch_daemon_forgets);
#undef ADD
  return g_test_run ();
}
