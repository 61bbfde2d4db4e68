/* test-gui-timeline.c — init-admin's history timeline, record by record, against a stand-in
 *
 * No display: InitAdminHistory reads GetHistory from gui-fake-daemon.c and follows its
 * HistoryRecord signals.  Each case feeds the records the daemon sends for one situation
 * and checks the rows a person reads: titles, causes, outcomes and effects.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <locale.h>
#include <string.h>

#include "gui-fake-daemon.h"
#include "init-admin-history.h"
#include "test-util.h"

/* A caller's details: another user (one without a name) running @command (pid 42). */
#define CALLER(command) \
  "'cause': <'caller'>, 'caller-uid': <uint32 4000000000>, 'caller-pid': <uint32 42>, " \
  "'caller-command': <'" command "'>"

typedef struct
{
  FakeDaemon       *fd;
  InitDBusManager  *manager;
  InitAdminHistory *history;
  GPtrArray        *kinds;     /* kinds of the "record" signal, in order */
} Fixture;

static void
on_record (InitAdminHistory *history,
           gint64            timestamp,
           const char       *kind,
           GVariant         *details,
           Fixture          *fx)
{
  g_ptr_array_add (fx->kinds, g_strdup (kind));
}

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  fx->fd = fake_daemon_new ();
  fx->manager = fake_daemon_manager_proxy (fx->fd);
  fx->history = init_admin_history_new ();
  fx->kinds = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fx->history, "record", G_CALLBACK (on_record), fx);
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  g_clear_object (&fx->history);
  g_clear_object (&fx->manager);
  g_ptr_array_unref (fx->kinds);
  fake_daemon_free (fx->fd);
}

static gboolean
history_loaded (gpointer user_data)
{
  return init_admin_history_get_loaded (user_data);
}

/* Follow the stand-in and wait until its backlog is read. */
static void
follow (Fixture *fx)
{
  init_admin_history_set_manager (fx->history, fx->manager, NULL);
  g_assert_true (test_util_wait_until (history_loaded, fx->history, 20000));
}

/* Record and announce, then wait until the timeline saw it. */
static guint64
live (Fixture    *fx,
      const char *kind,
      const char *subject,
      const char *details)
{
  guint64 id = fake_daemon_record (fx->fd, TRUE, kind, subject, details);

  fake_daemon_sync (fx->fd);
  g_assert_cmpuint (init_admin_history_get_last_id (fx->history), ==, id);
  return id;
}

static guint
n_rows (Fixture *fx)
{
  return g_list_model_get_n_items (init_admin_history_get_rows (fx->history));
}

/* Row @i, newest first (a borrowed reference: the store keeps it). */
static InitAdminHistoryRow *
row_at (Fixture *fx,
        guint    i)
{
  g_autoptr(InitAdminHistoryRow) row = g_list_model_get_item (init_admin_history_get_rows (fx->history), i);

  g_assert_nonnull (row);
  return row;
}

/* The rows' titles, newest first, joined by "|". */
static char *
titles (Fixture *fx)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < n_rows (fx); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "|" : "",
                            init_admin_history_row_get_title (row_at (fx, i)));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_result(row, result, text) \
  G_STMT_START { \
    g_assert_cmpint (init_admin_history_row_get_result (row), ==, (result)); \
    g_assert_cmpstr (init_admin_history_row_get_result_text (row), ==, (text)); \
  } G_STMT_END

/* ---- loading ---- */

/* The backlog comes in one splice, newest first, with ids and timestamps of the records;
 * "loaded" is announced once. */
static void
test_loads_backlog (Fixture      *fx,
                    gconstpointer data)
{
  fake_daemon_record (fx->fd, FALSE, "event-queued", "a", "{'event-id': <uint64 1>}");
  fake_daemon_record (fx->fd, FALSE, "event-queued", "b", "{'event-id': <uint64 2>}");
  fake_daemon_record (fx->fd, FALSE, "event-queued", "c", "{'event-id': <uint64 3>}");
  g_assert_false (init_admin_history_get_loaded (fx->history));
  follow (fx);

  gui_assert_text (titles (fx), "c|b|a");
  g_assert_cmpuint (init_admin_history_get_last_id (fx->history), ==, 3);
  g_assert_cmpuint (init_admin_history_row_get_id (row_at (fx, 0)), ==, 3);
  g_assert_cmpint (init_admin_history_row_get_timestamp (row_at (fx, 2)), ==, G_USEC_PER_SEC);
  g_assert_cmpuint (fx->fd->history_calls, ==, 1);
  g_assert_cmpuint (fx->fd->history_after, ==, 0);
}

/* A long backlog is read in chunks of 1000 records, each asking after the last id read. */
static void
test_loads_in_chunks (Fixture      *fx,
                      gconstpointer data)
{
  for (guint i = 0; i < 2500; i++)
    fake_daemon_record (fx->fd, FALSE, "event-queued", "tick", NULL);
  follow (fx);

  g_assert_cmpuint (n_rows (fx), ==, 2500);
  g_assert_cmpuint (fx->fd->history_calls, ==, 3);
  g_assert_cmpuint (fx->fd->history_after, ==, 2000);
  g_assert_cmpuint (fx->fd->history_max, ==, 1000);
  g_assert_cmpuint (init_admin_history_get_last_id (fx->history), ==, 2500);
}

/* An empty history loads too (no rows, loaded). */
static void
test_loads_empty (Fixture      *fx,
                  gconstpointer data)
{
  follow (fx);
  g_assert_cmpuint (n_rows (fx), ==, 0);
  g_assert_cmpuint (init_admin_history_get_last_id (fx->history), ==, 0);
}

/* A record announced while the backlog is read, and also in the backlog, makes one row;
 * records after loading are added on top at once. */
static void
test_deduplicates_while_loading (Fixture      *fx,
                                 gconstpointer data)
{
  fake_daemon_record (fx->fd, FALSE, "event-queued", "old", NULL);
  init_admin_history_set_manager (fx->history, fx->manager, NULL);
  fake_daemon_record (fx->fd, TRUE, "event-queued", "both", NULL);
  g_assert_true (test_util_wait_until (history_loaded, fx->history, 20000));
  fake_daemon_sync (fx->fd);
  gui_assert_text (titles (fx), "both|old");

  fake_daemon_announce (fx->fd, 1);
  live (fx, "event-queued", "new", NULL);
  gui_assert_text (titles (fx), "new|both|old");
}

/* Every record is passed on with "record", in id order, whatever its kind. */
static void
test_record_signal (Fixture      *fx,
                    gconstpointer data)
{
  fake_daemon_record (fx->fd, FALSE, "event-queued", "a", NULL);
  fake_daemon_record (fx->fd, FALSE, "something-new", "x", NULL);
  follow (fx);
  live (fx, "job-state", "hello", "{'job': <'hello'>}");

  g_assert_cmpuint (fx->kinds->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fx->kinds, 0), ==, "event-queued");
  g_assert_cmpstr (g_ptr_array_index (fx->kinds, 1), ==, "something-new");
  g_assert_cmpstr (g_ptr_array_index (fx->kinds, 2), ==, "job-state");
  /* Neither an unknown kind nor a state change alone makes a row. */
  g_assert_cmpuint (n_rows (fx), ==, 1);
}

/* Following another daemon starts over from its first record; following none keeps the
 * rows shown. */
static void
test_new_daemon_starts_over (Fixture      *fx,
                             gconstpointer data)
{
  g_autoptr(InitDBusManager) second = NULL;

  fake_daemon_record (fx->fd, FALSE, "event-queued", "first", NULL);
  follow (fx);
  init_admin_history_set_manager (fx->history, NULL, NULL);
  gui_assert_text (titles (fx), "first");

  second = fake_daemon_manager_proxy (fx->fd);
  init_admin_history_set_manager (fx->history, second, NULL);
  g_assert_false (init_admin_history_get_loaded (fx->history));
  g_assert_true (test_util_wait_until (history_loaded, fx->history, 20000));
  gui_assert_text (titles (fx), "first");
  g_assert_cmpuint (fx->fd->history_calls, ==, 2);
  g_assert_cmpuint (fx->fd->history_after, ==, 0);
}

/* ---- events ---- */

/* An event reads as its name and environment, with who emitted it, in progress until it
 * finishes, then done; find_event() finds its row by event id. */
static void
test_event_row (Fixture      *fx,
                gconstpointer data)
{
  InitAdminHistoryRow *row;

  follow (fx);
  live (fx, "event-queued", "weather",
        "{'event-id': <uint64 7>, 'env': <['KIND=rain', 'WHERE=two words']>, "
        CALLER ("initctl emit weather") "}");
  row = row_at (fx, 0);
  g_assert_cmpint (init_admin_history_row_get_kind (row), ==, INIT_ADMIN_HISTORY_EVENT);
  g_assert_cmpstr (init_admin_history_row_get_title (row), ==, "weather KIND=rain WHERE=\"two words\"");
  g_assert_cmpstr (init_admin_history_row_get_cause (row), ==, "uid 4000000000 (initctl emit weather)");
  g_assert_cmpuint (init_admin_history_row_get_event_id (row), ==, 7);
  assert_result (row, INIT_ADMIN_RESULT_PENDING, "in progress");
  g_assert_true (init_admin_history_find_event (fx->history, 7) == row);
  g_assert_null (init_admin_history_find_event (fx->history, 8));

  live (fx, "event-finished", "weather", "{'event-id': <uint64 7>, 'failed': <false>}");
  assert_result (row, INIT_ADMIN_RESULT_OK, "done");
  g_assert_cmpuint (n_rows (fx), ==, 1);
}

/* A failed event names the job that failed it and why, and concerns that job. */
static void
test_event_failed (Fixture      *fx,
                   gconstpointer data)
{
  InitAdminHistoryRow *row;

  follow (fx);
  live (fx, "event-queued", "go", "{'event-id': <uint64 3>}");
  live (fx, "event-finished", "go",
        "{'event-id': <uint64 3>, 'failed': <true>, 'failed-job': <'tty (tty1)'>, "
        "'reason': <'main process terminated with status 1'>}");
  row = row_at (fx, 0);
  assert_result (row, INIT_ADMIN_RESULT_FAILED, "failed: tty (tty1): main process terminated with status 1");
  g_assert_true (init_admin_history_row_affects (row, "tty"));
}

/* The end of an event nobody saw begin (older than the timeline) is ignored. */
static void
test_event_finished_unknown (Fixture      *fx,
                             gconstpointer data)
{
  follow (fx);
  live (fx, "event-finished", "go", "{'event-id': <uint64 99>, 'failed': <true>}");
  g_assert_cmpuint (n_rows (fx), ==, 0);
}

/* The jobs' own events read "started hello RESULT=ok", with the instance in brackets,
 * rather than JOB=… INSTANCE=…; other events keep JOB= as it is. */
static void
test_job_event_titles (Fixture      *fx,
                       gconstpointer data)
{
  follow (fx);
  live (fx, "event-queued", "started", "{'env': <['JOB=hello', 'INSTANCE=', 'RESULT=ok']>}");
  live (fx, "event-queued", "stopping", "{'env': <['JOB=tty', 'INSTANCE=tty1']>}");
  live (fx, "event-queued", "custom", "{'env': <['JOB=hello']>}");
  live (fx, "event-queued", "bare", NULL);
  gui_assert_text (titles (fx), "bare|custom JOB=hello|stopping tty (tty1)|started hello RESULT=ok");
}

/* Goal changes an event caused become its effects, per verb, not rows of their own. */
static void
test_event_effects (Fixture      *fx,
                    gconstpointer data)
{
  InitAdminHistoryRow *row;

  follow (fx);
  live (fx, "event-queued", "go", "{'event-id': <uint64 5>, 'cause': <'startup'>}");
  live (fx, "job-goal", "hello", "{'job': <'hello'>, 'goal': <'start'>, 'cause': <'event'>, "
        "'cause-event-id': <uint64 5>, 'cause-event': <'go'>}");
  live (fx, "job-goal", "tty", "{'job': <'tty'>, 'instance': <'tty1'>, 'goal': <'stop'>, "
        "'cause': <'event'>, 'cause-event-id': <uint64 5>}");
  live (fx, "job-goal", "web", "{'job': <'web'>, 'goal': <'respawn'>, 'cause': <'event'>, "
        "'cause-event-id': <uint64 5>}");

  g_assert_cmpuint (n_rows (fx), ==, 1);
  row = row_at (fx, 0);
  g_assert_cmpstr (init_admin_history_row_get_cause (row), ==, "daemon start-up");
  g_assert_cmpstr (init_admin_history_row_get_effect (row), ==,
                   "started hello · stopped tty (tty1) · restarted web");
  g_assert_true (init_admin_history_row_affects (row, "web"));
}

/* ---- requests ---- */

/* Someone starts a job: a request row "Start hello" with who asked, in progress, then
 * "running"; a task that ends reads "finished". */
static void
test_start_request (Fixture      *fx,
                    gconstpointer data)
{
  InitAdminHistoryRow *row;

  follow (fx);
  live (fx, "job-goal", "hello", "{'job': <'hello'>, 'goal': <'start'>, " CALLER ("initctl start hello") "}");
  row = row_at (fx, 0);
  g_assert_cmpint (init_admin_history_row_get_kind (row), ==, INIT_ADMIN_HISTORY_REQUEST);
  g_assert_cmpstr (init_admin_history_row_get_title (row), ==, "Start hello");
  g_assert_cmpstr (init_admin_history_row_get_cause (row), ==, "uid 4000000000 (initctl start hello)");
  assert_result (row, INIT_ADMIN_RESULT_PENDING, "in progress");

  live (fx, "job-state", "hello", "{'job': <'hello'>, 'goal': <'start'>, 'state': <'starting'>}");
  assert_result (row, INIT_ADMIN_RESULT_PENDING, "in progress");
  live (fx, "job-state", "hello", "{'job': <'hello'>, 'goal': <'start'>, 'state': <'running'>}");
  assert_result (row, INIT_ADMIN_RESULT_OK, "running");
  live (fx, "job-state", "hello", "{'job': <'hello'>, 'goal': <'stop'>, 'state': <'waiting'>}");
  assert_result (row, INIT_ADMIN_RESULT_OK, "finished");
  /* The request is closed: a later state change does not touch it. */
  live (fx, "job-state", "hello", "{'job': <'hello'>, 'goal': <'start'>, 'state': <'running'>}");
  assert_result (row, INIT_ADMIN_RESULT_OK, "finished");
}

/* Stopping reads "Stop …" and ends "stopped"; a running state on the way down (goal stop)
 * is no outcome. */
static void
test_stop_request (Fixture      *fx,
                   gconstpointer data)
{
  InitAdminHistoryRow *row;

  follow (fx);
  live (fx, "job-goal", "tty", "{'job': <'tty'>, 'instance': <'tty1'>, 'goal': <'stop'>, "
        CALLER ("initctl stop tty") "}");
  row = row_at (fx, 0);
  g_assert_cmpstr (init_admin_history_row_get_title (row), ==, "Stop tty (tty1)");
  live (fx, "job-state", "tty", "{'job': <'tty'>, 'instance': <'tty1'>, 'goal': <'stop'>, "
        "'state': <'running'>}");
  assert_result (row, INIT_ADMIN_RESULT_PENDING, "in progress");
  live (fx, "job-state", "tty", "{'job': <'tty'>, 'instance': <'tty1'>, 'goal': <'stop'>, "
        "'state': <'waiting'>}");
  assert_result (row, INIT_ADMIN_RESULT_OK, "stopped");
}

/* A restart (stop, then start at once, from the same caller) is one row "Restart …". */
static void
test_restart_is_one_row (Fixture      *fx,
                         gconstpointer data)
{
  follow (fx);
  live (fx, "job-goal", "web", "{'job': <'web'>, 'goal': <'stop'>, " CALLER ("initctl restart web") "}");
  live (fx, "job-goal", "web", "{'job': <'web'>, 'goal': <'start'>, " CALLER ("initctl restart web") "}");
  gui_assert_text (titles (fx), "Restart web");
  live (fx, "job-state", "web", "{'job': <'web'>, 'goal': <'start'>, 'state': <'running'>}");
  assert_result (row_at (fx, 0), INIT_ADMIN_RESULT_OK, "running");
}

/* A stop by one caller and a start by another are two requests. */
static void
test_stop_then_other_start (Fixture      *fx,
                            gconstpointer data)
{
  follow (fx);
  live (fx, "job-goal", "web", "{'job': <'web'>, 'goal': <'stop'>, " CALLER ("initctl stop web") "}");
  live (fx, "job-goal", "web", "{'job': <'web'>, 'goal': <'start'>, 'cause': <'caller'>, "
        "'caller-uid': <uint32 0>, 'caller-pid': <uint32 77>, 'caller-command': <'init-admin'>}");
  gui_assert_text (titles (fx), "Start web|Stop web");
}

/* A respawn is a request too, caused by "respawn"; a task's goal falling back to stop when
 * its process ends makes no row. */
static void
test_respawn_and_process_goals (Fixture      *fx,
                                gconstpointer data)
{
  follow (fx);
  live (fx, "job-goal", "web", "{'job': <'web'>, 'goal': <'respawn'>, 'cause': <'respawn'>}");
  live (fx, "job-goal", "task", "{'job': <'task'>, 'goal': <'stop'>, 'cause': <'process'>}");
  live (fx, "job-goal", "none", "{'goal': <'start'>}");
  gui_assert_text (titles (fx), "Respawn web");
  g_assert_cmpstr (init_admin_history_row_get_cause (row_at (fx, 0)), ==, "respawn");
}

/* ---- failures ---- */

/* A failed process makes a failure row; the request that moved the job fails with the same
 * words, and the event that started it lists it as failed. */
static void
test_process_failure (Fixture      *fx,
                      gconstpointer data)
{
  InitAdminHistoryRow *request, *event, *failure;

  follow (fx);
  live (fx, "job-goal", "hello", "{'job': <'hello'>, 'goal': <'start'>, " CALLER ("initctl start hello") "}");
  live (fx, "event-queued", "go", "{'event-id': <uint64 9>}");
  live (fx, "job-goal", "web", "{'job': <'web'>, 'goal': <'start'>, 'cause': <'event'>, "
        "'cause-event-id': <uint64 9>}");
  request = row_at (fx, 1);
  event = row_at (fx, 0);

  live (fx, "process-exited", "hello", "{'job': <'hello'>, 'process': <'main'>, 'status': <int32 1>, "
        "'failed': <true>}");
  live (fx, "process-exited", "web", "{'job': <'web'>, 'process': <'pre-start'>, 'signal': <'SEGV'>, "
        "'failed': <true>}");

  g_assert_cmpuint (n_rows (fx), ==, 4);
  failure = row_at (fx, 1);
  g_assert_cmpint (init_admin_history_row_get_kind (failure), ==, INIT_ADMIN_HISTORY_FAILURE);
  g_assert_cmpstr (init_admin_history_row_get_title (failure), ==,
                   "hello: The main process exited with status 1");
  assert_result (failure, INIT_ADMIN_RESULT_FAILED, "failed");
  assert_result (request, INIT_ADMIN_RESULT_FAILED, "The main process exited with status 1");
  g_assert_cmpstr (init_admin_history_row_get_effect (event), ==, "started web · failed: web");
  g_assert_cmpstr (init_admin_history_row_get_title (row_at (fx, 0)), ==,
                   "web: The pre-start process was killed by signal SEGV");
}

/* A failed request stays failed when the job then stops (not "finished"). */
static void
test_failed_request_stays_failed (Fixture      *fx,
                                  gconstpointer data)
{
  InitAdminHistoryRow *request;

  follow (fx);
  live (fx, "job-goal", "task", "{'job': <'task'>, 'goal': <'start'>, " CALLER ("initctl start task") "}");
  request = row_at (fx, 0);
  live (fx, "process-exited", "task", "{'job': <'task'>, 'process': <'main'>, 'status': <int32 4>, "
        "'failed': <true>}");
  live (fx, "job-state", "task", "{'job': <'task'>, 'goal': <'stop'>, 'state': <'waiting'>}");
  assert_result (request, INIT_ADMIN_RESULT_FAILED, "The main process exited with status 4");
}

/* A crash the daemon respawns is no failure of its own but gets a row once the respawn
 * shows; a stop's signal (the next state not caused by a respawn) makes none. */
static void
test_respawned_crash (Fixture      *fx,
                      gconstpointer data)
{
  follow (fx);
  live (fx, "process-exited", "web", "{'job': <'web'>, 'process': <'main'>, 'status': <int32 2>, "
        "'failed': <false>}");
  g_assert_cmpuint (n_rows (fx), ==, 0);
  live (fx, "job-state", "web", "{'job': <'web'>, 'goal': <'start'>, 'state': <'starting'>, "
        "'cause': <'respawn'>}");
  gui_assert_text (titles (fx), "web: The main process exited with status 2");
  assert_result (row_at (fx, 0), INIT_ADMIN_RESULT_FAILED, "respawned");
  g_assert_true (init_admin_history_row_affects (row_at (fx, 0), "web"));

  live (fx, "process-exited", "web", "{'job': <'web'>, 'process': <'main'>, 'signal': <'TERM'>, "
        "'failed': <false>}");
  live (fx, "job-state", "web", "{'job': <'web'>, 'goal': <'stop'>, 'state': <'stopping'>, "
        "'cause': <'caller'>}");
  /* The crash was consumed: a later respawn finds nothing to show. */
  live (fx, "job-state", "web", "{'job': <'web'>, 'goal': <'start'>, 'state': <'starting'>, "
        "'cause': <'respawn'>}");
  g_assert_cmpuint (n_rows (fx), ==, 1);
}

/* A clean exit (status 0, no signal) is remembered nowhere. */
static void
test_clean_exit_no_row (Fixture      *fx,
                        gconstpointer data)
{
  follow (fx);
  live (fx, "process-exited", "web", "{'job': <'web'>, 'process': <'main'>, 'status': <int32 0>}");
  live (fx, "job-state", "web", "{'job': <'web'>, 'goal': <'start'>, 'state': <'starting'>, "
        "'cause': <'respawn'>}");
  g_assert_cmpuint (n_rows (fx), ==, 0);
}

/* The job's stopping event with RESULT=failed fails the open request with its reason, once
 * (a later failure does not overwrite it). */
static void
test_stopping_event_fails_request (Fixture      *fx,
                                   gconstpointer data)
{
  InitAdminHistoryRow *request;

  follow (fx);
  live (fx, "job-goal", "web", "{'job': <'web'>, 'goal': <'start'>, " CALLER ("initctl start web") "}");
  request = row_at (fx, 0);
  live (fx, "event-queued", "stopping", "{'env': <['JOB=web', 'INSTANCE=', 'RESULT=ok']>}");
  assert_result (request, INIT_ADMIN_RESULT_PENDING, "in progress");
  live (fx, "event-queued", "stopping", "{'env': <['JOB=web', 'INSTANCE=', 'RESULT=failed', "
        "'PROCESS=main', 'EXIT_STATUS=5']>}");
  assert_result (request, INIT_ADMIN_RESULT_FAILED, "The main process exited with status 5");
  live (fx, "event-queued", "stopping", "{'env': <['JOB=web', 'INSTANCE=', 'RESULT=failed', "
        "'PROCESS=respawn']>}");
  assert_result (request, INIT_ADMIN_RESULT_FAILED, "The main process exited with status 5");
}

/* ---- configuration ---- */

/* Jobs loaded in a row (consecutive ids, same kind and cause) make one row listing four
 * names and "…"; another kind starts a new row. */
static void
test_config_runs (Fixture      *fx,
                  gconstpointer data)
{
  const char *names[] = { "a", "b", "c", "d", "e", "f" };
  InitAdminHistoryRow *row;

  follow (fx);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *details = g_strdup_printf ("{'job': <'%s'>, 'cause': <'startup'>}", names[i]);

      live (fx, "job-added", names[i], details);
    }
  gui_assert_text (titles (fx), "6 jobs loaded: a, b, c, d, …");
  row = row_at (fx, 0);
  g_assert_cmpint (init_admin_history_row_get_kind (row), ==, INIT_ADMIN_HISTORY_CONFIG);
  g_assert_cmpstr (init_admin_history_row_get_cause (row), ==, "daemon start-up");
  g_assert_true (init_admin_history_row_affects (row, "f"));
  assert_result (row, INIT_ADMIN_RESULT_OK, "");

  live (fx, "job-changed", "a", "{'job': <'a'>, 'cause': <'reload'>}");
  live (fx, "job-removed", "b", "{'job': <'b'>, 'cause': <'reload'>}");
  gui_assert_text (titles (fx), "1 job removed: b|1 job changed: a|6 jobs loaded: a, b, c, d, …");
}

/* A run is broken by a gap in ids (another record between) or by another cause. */
static void
test_config_run_breaks (Fixture      *fx,
                        gconstpointer data)
{
  follow (fx);
  live (fx, "job-added", "a", "{'job': <'a'>, 'cause': <'reload'>}");
  live (fx, "event-queued", "go", NULL);
  live (fx, "job-added", "b", "{'job': <'b'>, 'cause': <'reload'>}");
  live (fx, "job-added", "c", "{'job': <'c'>, " CALLER ("initctl reload-configuration") "}");
  gui_assert_text (titles (fx), "1 job loaded: c|1 job loaded: b|go|1 job loaded: a");
}

/* A configuration error is a failed row naming the file and the reason, and ends a run. */
static void
test_config_error (Fixture      *fx,
                   gconstpointer data)
{
  follow (fx);
  live (fx, "job-added", "a", "{'job': <'a'>}");
  live (fx, "config-error", "/etc/init/bad.conf", "{'reason': <'1:5: Unknown stanza'>, 'cause': <'reload'>}");
  live (fx, "job-added", "b", "{'job': <'b'>}");
  gui_assert_text (titles (fx), "1 job loaded: b|Configuration error in /etc/init/bad.conf|1 job loaded: a");
  assert_result (row_at (fx, 1), INIT_ADMIN_RESULT_FAILED, "1:5: Unknown stanza");
  g_assert_cmpstr (init_admin_history_row_get_cause (row_at (fx, 1)), ==, "configuration reload");
}

/* A record without a job names its subject in the run. */
static void
test_config_subject_fallback (Fixture      *fx,
                              gconstpointer data)
{
  follow (fx);
  live (fx, "job-removed", "ghost", NULL);
  gui_assert_text (titles (fx), "1 job removed: ghost");
  g_assert_true (init_admin_history_row_affects (row_at (fx, 0), "ghost"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/gui/timeline/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("loads-backlog", test_loads_backlog);
  ADD ("loads-in-chunks", test_loads_in_chunks);
  ADD ("loads-empty", test_loads_empty);
  ADD ("deduplicates-while-loading", test_deduplicates_while_loading);
  ADD ("record-signal", test_record_signal);
  ADD ("new-daemon-starts-over", test_new_daemon_starts_over);
  ADD ("event-row", test_event_row);
  ADD ("event-failed", test_event_failed);
  ADD ("event-finished-unknown", test_event_finished_unknown);
  ADD ("job-event-titles", test_job_event_titles);
  ADD ("event-effects", test_event_effects);
  ADD ("start-request", test_start_request);
  ADD ("stop-request", test_stop_request);
  ADD ("restart-is-one-row", test_restart_is_one_row);
  ADD ("stop-then-other-start", test_stop_then_other_start);
  ADD ("respawn-and-process-goals", test_respawn_and_process_goals);
  ADD ("process-failure", test_process_failure);
  ADD ("failed-request-stays-failed", test_failed_request_stays_failed);
  ADD ("respawned-crash", test_respawned_crash);
  ADD ("clean-exit-no-row", test_clean_exit_no_row);
  ADD ("stopping-event-fails-request", test_stopping_event_fails_request);
  ADD ("config-runs", test_config_runs);
  ADD ("config-run-breaks", test_config_run_breaks);
  ADD ("config-error", test_config_error);
  ADD ("config-subject-fallback", test_config_subject_fallback);
#undef ADD
  return g_test_run ();
}
