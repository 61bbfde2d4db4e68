/* test-gui-history.c — the history's outcomes of requests are the jobs' real outcomes
 *
 * The app's widgets in-process against the real initd (gui-test-util.h): a Start of a task
 * that fails, of a service that reaches its respawn limit, and a Restart, each read back from
 * the rows the history view shows.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <string.h>

#include "gui-test-util.h"
#include "init-admin-history-view.h"

#define WAIT_MS 20000

static const struct
{
  const char *name;
  const char *text;
} jobs[] = {
  { "failer", "description \"A task that fails\"\ntask\nconsole none\nexec sh -c 'sleep 0.3; exit 1'\n" },
  { "flaky", "description \"Crashes until the respawn limit\"\nrespawn\nrespawn limit 2 10\n"
    "console none\nexec sh -c 'sleep 0.2; kill -SEGV $$'\n" },
  { "heartbeat", "description \"A service\"\nrespawn\nconsole none\nexec sleep 1000\n" },
  { "finisher", "description \"A task that succeeds\"\ntask\nconsole none\nexec sh -c 'sleep 0.3'\n" },
};

static DBusFixture *
start_daemon (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    dbus_fixture_write_job (fx, jobs[i].name, jobs[i].text);
  dbus_fixture_start_initd (fx, NULL, NULL);
  return fx;
}

/* The rows shown whose title is @title. */
static guint
count_rows (InitAdminWindow *window,
            const char      *title)
{
  GListModel *shown = init_admin_history_view_get_shown (init_admin_window_get_history_view (window));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(InitAdminHistoryRow) row = g_list_model_get_item (shown, i);

      n += g_str_equal (init_admin_history_row_get_title (row), title);
    }
  return n;
}


typedef struct
{
  InitAdminWindow *window;
  const char      *title;
  const char      *result;    /* the result text shown, e.g. "finished" */
} RowWait;

static gboolean
row_has_result (gpointer user_data)
{
  RowWait *wait = user_data;
  InitAdminHistoryRow *row = gui_test_find_history_row (wait->window, wait->title);

  return row != NULL && g_str_equal (init_admin_history_row_get_result_text (row), wait->result);
}

/* Start @job from the window (as its Start button does) and wait for the row's outcome. */
static InitAdminHistoryRow *
start_and_wait (InitAdminWindow *window,
                const char      *job,
                const char      *result)
{
  g_autofree char *title = g_strdup_printf ("Start %s", job);
  RowWait wait = { window, title, result };
  InitAdminHistoryRow *row;

  gui_test_select_job (window, job, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  if (!gui_test_wait (row_has_result, &wait, WAIT_MS))
    {
      row = gui_test_find_history_row (window, title);
      g_test_message ("%s: %s", title, row != NULL ? init_admin_history_row_get_result_text (row) : "no row");
      g_assert_not_reached ();
    }
  return gui_test_find_history_row (window, title);
}

/* A task that exits 1 is "failed" with its exit status, not "running". */
static void
test_failed_task (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  InitAdminHistoryRow *row;
  g_autofree char *shot = NULL;

  row = start_and_wait (window, "failer", "The main process exited with status 1");
  g_assert_cmpint (init_admin_history_row_get_result (row), ==, INIT_ADMIN_RESULT_FAILED);
  row = start_and_wait (window, "finisher", "finished");
  g_assert_cmpint (init_admin_history_row_get_result (row), ==, INIT_ADMIN_RESULT_OK);
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-history-failed-task", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* A service that crashes until its respawn limit: the Start failed, and says why; the crashes
 * before the limit say how the process ended. */
static void
test_respawn_limit (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  InitAdminHistoryRow *row;
  g_autofree char *shot = NULL;

  row = start_and_wait (window, "flaky",
                        "It ended too often in a short time, so it is no longer respawned (respawn limit reached)");
  g_assert_cmpint (init_admin_history_row_get_result (row), ==, INIT_ADMIN_RESULT_FAILED);
  /* Each crash that was respawned is a row with how the process ended. */
  row = gui_test_find_history_row (window, "flaky: The main process was killed by signal SEGV");
  g_assert_nonnull (row);
  g_assert_cmpstr (init_admin_history_row_get_result_text (row), ==, "respawned");
  g_assert_cmpint (init_admin_history_row_get_result (row), ==, INIT_ADMIN_RESULT_FAILED);
  g_assert_cmpuint (count_rows (window, "flaky: The main process was killed by signal SEGV"), ==, 2);
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-history-respawn-limit", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* A Restart is one row, "Restart heartbeat", that ends "running": no "Stop heartbeat" left in
 * progress. */
static void
test_restart_one_row (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  RowWait wait = { window, "Restart heartbeat", "running" };
  g_autofree char *shot = NULL;

  start_and_wait (window, "heartbeat", "running");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.restart", NULL);
  g_assert_true (gui_test_wait (row_has_result, &wait, WAIT_MS));
  gui_test_spin (300);
  g_assert_cmpuint (count_rows (window, "Restart heartbeat"), ==, 1);
  g_assert_cmpuint (count_rows (window, "Stop heartbeat"), ==, 0);
  g_assert_cmpuint (count_rows (window, "Start heartbeat"), ==, 1);
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-history-restart", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/history/failed-task", test_failed_task);
  g_test_add_func ("/gui/history/respawn-limit", test_respawn_limit);
  g_test_add_func ("/gui/history/restart-one-row", test_restart_one_row);
  return g_test_run ();
}
