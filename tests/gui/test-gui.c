/* test-gui.c — init-admin against a real initd on a private bus, driven through its widgets */
#define G_LOG_DOMAIN "init-admin-test"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "gui-test-util.h"
#include "init-admin-process-view.h"
#include "test-util.h"

#define WAIT_MS 20000

/* The jobs every case starts with.  `go` is the start-up event. */
static const struct
{
  const char *name;
  const char *text;
} jobs[] = {
  { "alpha", "description \"A service that runs\"\nstart on go\nconsole none\nexec sleep 1000\n" },
  { "beta", "description \"A service started by hand\"\nconsole none\nexec sleep 1000\n" },
  { "gamma", "description \"A task that fails\"\nstart on go\ntask\nconsole none\nexec sh -c 'exit 3'\n" },
  { "delta", "description \"Takes the umbrella\"\nstart on weather KIND=rain\nstop on weather KIND!=rain\n"
    "console none\nexec sleep 1000\n" },
  { "epsilon", "description \"Breaks when it crashes\"\nstart on crash\ntask\nconsole none\n"
    "exec sh -c 'exit 7'\n" },
  { "tty", "description \"One per terminal\"\ninstance $TTY\nusage \"start tty TTY=NAME\"\n"
    "console none\nexec sleep 1000\n" },
  { "chatty", "description \"Talks to its log\"\nconsole log\n"
    "exec sh -c 'i=0; while :; do echo \"chatty line $i\"; i=$((i+1)); sleep 0.2; done'\n" },
};

static DBusFixture *
start_daemon (void)
{
  const char *const args[] = { "--startup-event", "go", NULL };
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    dbus_fixture_write_job (fx, jobs[i].name, jobs[i].text);
  dbus_fixture_start_initd (fx, args, NULL);
  return fx;
}

typedef struct
{
  DBusFixture *fx;
  const char  *job;
  const char  *instance;
  const char  *state;      /* "goal/state", or "none" */
} DaemonWait;

static gboolean
daemon_has (gpointer user_data)
{
  DaemonWait *wait = user_data;
  g_autofree char *state = gui_test_daemon_state (wait->fx, wait->job, wait->instance);

  return g_str_equal (state, wait->state);
}

static gboolean
daemon_wait (DBusFixture *fx,
             const char  *job,
             const char  *state)
{
  DaemonWait wait = { fx, job, NULL, state };

  return gui_test_wait (daemon_has, &wait, WAIT_MS);
}

/* Whether a button can be pressed: a split button's main part is its first child. */
static gboolean
enabled (GtkWidget *button)
{
  if (ADW_IS_SPLIT_BUTTON (button))
    button = gtk_widget_get_first_child (button);
  return gtk_widget_get_sensitive (button);
}

static void
click (GtkWidget *button)
{
  g_assert_true (enabled (button));
  /* What a click or Enter does: the button (or split button) activates its action. */
  g_assert_true (gtk_widget_activate (button));
}

static GtkWidget *
details_button (InitAdminWindow *window,
                const char      *id)
{
  return gui_test_child (init_admin_window_get_details (window), INIT_ADMIN_TYPE_DETAILS, id);
}

static gboolean
settled_sensitive (GtkWidget *button)
{
  gui_test_settle (button);
  return enabled (button);
}

/* The list shows every job with the state the daemon has: running with its main pid,
 * stopped, failed (a task that exited 3, with its status in the details), instances. */
static void
test_list_states (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window;
  InitAdminJobRow *row;
  GtkWidget *cell;
  g_autofree char *shot = NULL;

  g_assert_true (daemon_wait (fx, "alpha", "start/running"));
  window = gui_test_window_new (fx);
  g_assert_true (gui_test_wait_status (window, "gamma", INIT_ADMIN_STATUS_FAILED));

  g_assert_cmpuint (g_list_model_get_n_items (init_admin_job_list_get_shown (init_admin_window_get_job_list (window))),
                    ==, G_N_ELEMENTS (jobs));
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_assert_nonnull (gui_test_find_row (window, jobs[i].name, NULL));

  row = gui_test_find_row (window, "alpha", NULL);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_RUNNING);
  g_assert_cmpstr (init_admin_job_row_get_goal_state (row), ==, "start/running");
  g_assert_cmpint (init_admin_job_row_get_pid (row), ==, gui_test_daemon_pid (fx, "alpha", NULL));
  g_assert_cmpint (init_admin_job_row_get_pid (row), >, 0);
  cell = init_admin_job_list_get_cell (init_admin_window_get_job_list (window), row, 1);
  g_assert_nonnull (cell);
  g_assert_cmpstr (init_admin_state_cell_get_text (INIT_ADMIN_STATE_CELL (cell)), ==, "Running");

  row = gui_test_find_row (window, "beta", NULL);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_STOPPED);
  g_assert_cmpstr (init_admin_job_row_get_goal_state (row), ==, "stop/waiting");
  g_assert_cmpint (init_admin_job_row_get_pid (row), ==, 0);

  row = gui_test_find_row (window, "tty", NULL);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_STOPPED);

  gui_test_select_job (window, "gamma", NULL);
  cell = init_admin_job_list_get_cell (init_admin_window_get_job_list (window),
                                       gui_test_find_row (window, "gamma", NULL), 1);
  g_assert_cmpstr (init_admin_state_cell_get_text (INIT_ADMIN_STATE_CELL (cell)), ==, "Failed");
  g_assert_nonnull (strstr (init_admin_details_get_failure_text (init_admin_window_get_details (window)),
                            "main process exited with status 3"));

  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-list-states", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* Jobs started by someone else (gdbus in another process) appear running, and a new
 * instance appears as its own row, without any action in the window. */
static void
test_live_update (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  const char *const start_beta[] = {
    "gdbus", "call", "--address", fx->address, "--dest", "org.example.Init",
    "--object-path", "/org/example/Init/jobs/beta", "--method", "org.example.Init.Job.Start",
    "[]", "true", NULL
  };
  const char *const start_tty[] = {
    "gdbus", "call", "--address", fx->address, "--dest", "org.example.Init",
    "--object-path", "/org/example/Init/jobs/tty", "--method", "org.example.Init.Job.Start",
    "['TTY=tty7']", "true", NULL
  };
  InitAdminJobRow *row;
  g_autofree char *shot = NULL;

  g_assert_cmpint (init_admin_job_row_get_status (gui_test_find_row (window, "beta", NULL)), ==,
                   INIT_ADMIN_STATUS_STOPPED);
  g_assert_cmpint (dbus_fixture_run (fx, start_beta, NULL, NULL), ==, 0);
  g_assert_true (gui_test_wait_status (window, "beta", INIT_ADMIN_STATUS_RUNNING));
  row = gui_test_find_row (window, "beta", NULL);
  g_assert_cmpint (init_admin_job_row_get_pid (row), ==, gui_test_daemon_pid (fx, "beta", NULL));

  g_assert_cmpint (dbus_fixture_run (fx, start_tty, NULL, NULL), ==, 0);
  gui_test_spin (200);
  row = gui_test_find_row (window, "tty", "tty7");
  g_assert_nonnull (row);
  g_assert_cmpstr (init_admin_job_row_get_name (row), ==, "tty (tty7)");
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_RUNNING);
  /* The instance took over the job's one row: no separate "stopped" row is left. */
  g_assert_cmpuint (init_admin_job_model_get_job_rows (init_admin_window_get_job_model (window), "tty")->len, ==, 1);

  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-live-update", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* Start, Restart and Stop in the details pane change the daemon's state, and each button
 * is enabled only when its action makes sense. */
static void
test_actions (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  GtkWidget *start = details_button (window, "start_button");
  GtkWidget *stop = details_button (window, "stop_button");
  GtkWidget *restart = details_button (window, "restart_button");
  g_autofree char *shot = NULL;
  int pid;

  gui_test_select_job (window, "beta", NULL);
  g_assert_true (settled_sensitive (start));
  g_assert_false (enabled (stop));
  g_assert_false (enabled (restart));

  click (start);
  g_assert_true (daemon_wait (fx, "beta", "start/running"));
  g_assert_true (gui_test_wait_status (window, "beta", INIT_ADMIN_STATUS_RUNNING));
  g_assert_true (settled_sensitive (stop));
  g_assert_true (enabled (restart));
  g_assert_false (enabled (start));
  pid = gui_test_daemon_pid (fx, "beta", NULL);
  g_assert_cmpint (pid, >, 0);

  click (restart);
  {
    gboolean moved = FALSE;

    for (guint i = 0; i < 200 && !moved; i++)
      {
        int now = gui_test_daemon_pid (fx, "beta", NULL);

        moved = now > 0 && now != pid;
        if (!moved)
          gui_test_spin (50);
      }
    g_assert_true (moved);
  }
  g_assert_true (daemon_wait (fx, "beta", "start/running"));
  g_assert_true (gui_test_wait_status (window, "beta", INIT_ADMIN_STATUS_RUNNING));
  g_assert_false (test_util_pid_alive (pid));

  g_assert_true (settled_sensitive (stop));
  click (stop);
  g_assert_true (daemon_wait (fx, "beta", "none"));
  g_assert_true (gui_test_wait_status (window, "beta", INIT_ADMIN_STATUS_STOPPED));
  g_assert_true (settled_sensitive (start));
  g_assert_false (enabled (stop));
  g_assert_null (init_admin_window_get_error (window));

  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-actions", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

typedef struct
{
  InitAdminEmitDialog *dialog;
} DialogWait;

static gboolean
dialog_done (gpointer user_data)
{
  return init_admin_emit_dialog_is_done (user_data);
}


/* An event emitted from the dialog starts the job that waits for it; the dialog and the
 * history show the event and what it started, and selecting the event highlights that job
 * (selecting the job highlights the event). */
static void
test_emit (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  InitAdminEmitDialog *dialog = init_admin_window_open_emit_dialog (window);
  const char *const env[] = { "KIND=rain", NULL };
  g_auto (GStrv) suggestions = init_admin_emit_dialog_get_suggestions (dialog);
  g_autofree char *outcome = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *dialog_shot = NULL;
  InitAdminHistoryRow *event;

  g_assert_true (g_strv_contains ((const char *const *) suggestions, "weather"));
  g_assert_true (g_strv_contains ((const char *const *) suggestions, "go"));
  g_assert_true (g_strv_contains ((const char *const *) suggestions, "crash"));

  init_admin_emit_dialog_set_event (dialog, "weather", env, TRUE);
  g_assert_true (init_admin_emit_dialog_emit (dialog));
  g_assert_true (gui_test_wait (dialog_done, dialog, WAIT_MS));
  outcome = init_admin_emit_dialog_get_outcome (dialog);
  g_test_message ("outcome: %s", outcome);
  g_assert_nonnull (strstr (outcome, "“weather” finished"));
  g_assert_nonnull (strstr (outcome, "started delta"));
  dialog_shot = gui_test_screenshot (GTK_WIDGET (dialog), "gui-emit-dialog", NULL);

  g_assert_true (daemon_wait (fx, "delta", "start/running"));
  g_assert_true (gui_test_wait_status (window, "delta", INIT_ADMIN_STATUS_RUNNING));

  event = gui_test_find_history_row (window, "weather KIND=rain");
  g_assert_nonnull (event);
  g_assert_cmpint (init_admin_history_row_get_result (event), ==, INIT_ADMIN_RESULT_OK);
  g_assert_nonnull (strstr (init_admin_history_row_get_effect (event), "started delta"));
  g_assert_nonnull (strstr (init_admin_history_row_get_cause (event), "test-gui"));

  init_admin_history_view_select_row (init_admin_window_get_history_view (window), event);
  g_assert_true (init_admin_job_row_get_highlighted (gui_test_find_row (window, "delta", NULL)));
  g_assert_false (init_admin_job_row_get_highlighted (gui_test_find_row (window, "alpha", NULL)));

  gui_test_select_job (window, "delta", NULL);
  g_assert_true (init_admin_history_row_get_highlighted (event));
  init_admin_details_show_page (init_admin_window_get_details (window), "events");

  gtk_window_close (GTK_WINDOW (dialog));
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-emit", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* A task that fails while the window watches turns red with its exit status; an event that
 * made a job fail says so in the dialog, in words. */
static void
test_failed_task (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  InitAdminEmitDialog *dialog;
  InitAdminJobRow *row;
  g_autofree char *outcome = NULL;
  g_autofree char *shot = NULL;

  g_assert_cmpint (init_admin_job_row_get_status (gui_test_find_row (window, "epsilon", NULL)), ==,
                   INIT_ADMIN_STATUS_STOPPED);
  gui_test_daemon_emit (fx, "crash", NULL);
  g_assert_true (gui_test_wait_status (window, "epsilon", INIT_ADMIN_STATUS_FAILED));
  row = gui_test_select_job (window, "epsilon", NULL);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_FAILED);
  g_assert_nonnull (strstr (init_admin_details_get_failure_text (init_admin_window_get_details (window)),
                            "The main process exited with status 7"));
  g_assert_nonnull (gui_test_find_history_row (window, "epsilon: The main process exited with status 7"));

  dialog = init_admin_window_open_emit_dialog (window);
  init_admin_emit_dialog_set_event (dialog, "crash", NULL, TRUE);
  g_assert_true (init_admin_emit_dialog_emit (dialog));
  g_assert_true (gui_test_wait (dialog_done, dialog, WAIT_MS));
  outcome = init_admin_emit_dialog_get_outcome (dialog);
  g_test_message ("outcome: %s", outcome);
  g_assert_nonnull (strstr (outcome, "a job failed"));
  g_assert_nonnull (strstr (outcome, "epsilon"));
  g_assert_null (strstr (outcome, "org.example.Init.Error"));
  gtk_window_close (GTK_WINDOW (dialog));

  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-failed-task", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* Searching and filtering by state narrow the list to the matching jobs. */
static void
test_search (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  InitAdminJobList *list = init_admin_window_get_job_list (window);
  GListModel *shown = init_admin_job_list_get_shown (list);
  g_autoptr(InitAdminJobRow) first = NULL;
  g_autofree char *shot = NULL;

  g_assert_true (gui_test_wait_status (window, "gamma", INIT_ADMIN_STATUS_FAILED));
  init_admin_job_list_set_search_text (list, "FAILS");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  first = g_list_model_get_item (shown, 0);
  g_assert_cmpstr (init_admin_job_row_get_name (first), ==, "gamma");

  init_admin_job_list_set_search_text (list, "");
  init_admin_job_list_set_state_filter (list, INIT_ADMIN_STATE_FILTER_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  init_admin_job_list_set_state_filter (list, INIT_ADMIN_STATE_FILTER_RUNNING);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);   /* alpha */
  init_admin_job_list_set_state_filter (list, INIT_ADMIN_STATE_FILTER_STOPPED);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, G_N_ELEMENTS (jobs) - 2);
  init_admin_job_list_set_search_text (list, "t");
  init_admin_job_list_start_search (list);
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-search", NULL);
  init_admin_job_list_set_state_filter (list, INIT_ADMIN_STATE_FILTER_ALL);
  init_admin_job_list_set_search_text (list, "");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, G_N_ELEMENTS (jobs));

  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

static gboolean
page_is (gpointer user_data)
{
  gpointer *args = user_data;

  return g_strcmp0 (init_admin_window_get_page (args[0]), args[1]) == 0;
}

static gboolean
back_connected (gpointer user_data)
{
  return init_admin_window_get_lost_text (user_data) == NULL
         && g_strcmp0 (init_admin_window_get_subtitle (user_data), "Session daemon · connected") == 0;
}

/* When the daemon stops, the window keeps its last known jobs (dimmed, under a banner that
 * says so) and its history; when it is started again, the window connects by itself, shows
 * the new daemon's jobs and the job selected before is selected again. */
static void
test_reconnect (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  InitAdminJobList *list = init_admin_window_get_job_list (window);
  const char *const args[] = { "--startup-event", "go", NULL };
  guint history_rows;
  g_autofree char *shot = NULL;
  g_autofree char *shot2 = NULL;

  gui_test_select_job (window, "beta", NULL);
  history_rows = g_list_model_get_n_items (init_admin_history_view_get_shown (init_admin_window_get_history_view (window)));
  dbus_fixture_stop_initd (fx);
  g_assert_true (gui_test_wait (gui_test_lost_shown, window, WAIT_MS));
  g_assert_cmpstr (init_admin_window_get_page (window), ==, "content");
  g_assert_cmpstr (init_admin_window_get_subtitle (window), ==, "Session daemon · not running");
  g_assert_nonnull (strstr (init_admin_window_get_lost_text (window), "The daemon went away at "));
  gui_test_spin (500);
  g_assert_cmpuint (g_list_model_get_n_items (init_admin_job_list_get_shown (list)), ==, G_N_ELEMENTS (jobs));
  g_assert_cmpuint (g_list_model_get_n_items (init_admin_history_view_get_shown (init_admin_window_get_history_view (window))),
                    >=, history_rows);    /* and what it said while stopping */
  g_assert_cmpstr (init_admin_job_row_get_name (init_admin_job_list_get_selected_row (list)), ==, "beta");
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (gui_test_child (window, INIT_ADMIN_TYPE_WINDOW, "emit_button"))));
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-disconnected", NULL);

  dbus_fixture_start_initd (fx, args, NULL);
  g_assert_true (gui_test_wait (back_connected, window, WAIT_MS));
  g_assert_true (gui_test_wait_status (window, "alpha", INIT_ADMIN_STATUS_RUNNING));
  g_assert_cmpuint (g_list_model_get_n_items (init_admin_job_list_get_shown (list)), ==, G_N_ELEMENTS (jobs));
  g_assert_nonnull (init_admin_job_list_get_selected_row (list));
  g_assert_cmpstr (init_admin_job_row_get_name (init_admin_job_list_get_selected_row (list)), ==, "beta");
  shot2 = gui_test_screenshot (GTK_WIDGET (window), "gui-reconnected", NULL);

  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

typedef struct
{
  InitAdminDetails *details;
  const char       *needle;
} LogWait;

static gboolean
log_contains (gpointer user_data)
{
  LogWait *wait = user_data;
  GtkWidget *view = gui_test_child (wait->details, INIT_ADMIN_TYPE_DETAILS, "log_view");
  g_autofree char *text = init_admin_log_view_get_text (INIT_ADMIN_LOG_VIEW (view));

  return strstr (text, wait->needle) != NULL;
}

/* The log page shows a `console log` job's output and follows it as it grows. */
static void
test_log (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  InitAdminDetails *details = init_admin_window_get_details (window);
  const char *const start_chatty[] = {
    "gdbus", "call", "--address", fx->address, "--dest", "org.example.Init",
    "--object-path", "/org/example/Init/jobs/chatty", "--method", "org.example.Init.Job.Start",
    "[]", "true", NULL
  };
  LogWait first = { details, "chatty line 2\n" };
  LogWait later = { details, "chatty line 12\n" };
  GtkWidget *view = gui_test_child (details, INIT_ADMIN_TYPE_DETAILS, "log_view");
  g_autofree char *shot = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (dbus_fixture_run (fx, start_chatty, NULL, NULL), ==, 0);
  g_assert_true (gui_test_wait_status (window, "chatty", INIT_ADMIN_STATUS_RUNNING));
  gui_test_select_job (window, "chatty", NULL);
  init_admin_details_show_page (details, "log");
  g_assert_true (gui_test_wait (log_contains, &first, WAIT_MS));
  /* Followed: later lines arrive without touching anything. */
  g_assert_true (gui_test_wait (log_contains, &later, WAIT_MS));
  text = init_admin_log_view_get_text (INIT_ADMIN_LOG_VIEW (view));
  g_assert_null (strchr (text, '\r'));
  g_assert_nonnull (strstr (text, "chatty line 0\nchatty line 1\n"));

  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-log", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* ---- a denied action: the window runs as another user than the daemon's ---- */

static gboolean
error_shown (gpointer user_data)
{
  g_autofree char *error = init_admin_window_get_error (user_data);

  return error != NULL;
}

/* Run in a child as the unprivileged user: start a job, and see the refusal in words. */
static void
test_denied_child (void)
{
  const char *address = g_getenv ("GUI_TEST_DENIED_ADDRESS");
  const char *dir = g_getenv ("GUI_TEST_DENIED_DIR");
  DBusFixture fx = { 0 };
  InitAdminWindow *window;
  g_autofree char *error = NULL;
  g_autofree char *shot = NULL;

  if (address == NULL)
    {
      g_test_skip ("run by /gui/actions/denied");
      return;
    }
  fx.address = (char *) address;
  window = gui_test_window_new (&fx);
  gui_test_select_job (window, "beta", NULL);
  click (details_button (window, "start_button"));
  g_assert_true (gui_test_wait (error_shown, window, WAIT_MS));
  error = init_admin_window_get_error (window);
  g_test_message ("error: %s", error);
  g_assert_true (g_str_has_prefix (error, "Could not start “beta”\nPermission denied"));
  g_assert_null (strstr (error, "org.freedesktop.DBus.Error"));
  g_assert_cmpint (init_admin_job_row_get_status (gui_test_find_row (window, "beta", NULL)), ==,
                   INIT_ADMIN_STATUS_STOPPED);
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-denied", dir);
  gui_test_window_free (window);
}

/* A session daemon refuses changes from another user: the window shows "Permission denied"
 * in words, and the daemon's state did not change. */
static void
test_denied (void)
{
  DBusFixture *fx;
  g_autofree char *self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *address_env = NULL;
  g_autofree char *dir_env = NULL;
  g_autofree char *home_env = NULL;
  g_autofree char *bus_env = NULL;
  g_autofree char *display_env = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *target = NULL;
  g_autofree char *png = NULL;
  gsize len;
  int status;

  if (getuid () != 0)
    {
      g_test_skip ("needs root to run the window as another user (pkother)");
      return;
    }
  fx = start_daemon ();
  self = g_file_read_link ("/proc/self/exe", NULL);
  dir = test_util_mkdtemp ();
  g_chmod (dir, 0777);
  address_env = g_strconcat ("GUI_TEST_DENIED_ADDRESS=", fx->address, NULL);
  dir_env = g_strconcat ("GUI_TEST_DENIED_DIR=", dir, NULL);
  home_env = g_strconcat ("HOME=", dir, NULL);
  bus_env = g_strconcat ("DBUS_SESSION_BUS_ADDRESS=", fx->address, NULL);
  display_env = g_strconcat ("DISPLAY=", g_getenv ("DISPLAY"), NULL);
  {
    const char *const argv[] = {
      "runuser", "-u", "pkother", "--", "env", address_env, dir_env, home_env, bus_env,
      display_env, "XDG_CACHE_HOME=/tmp", "XDG_CONFIG_HOME=/tmp", "GTK_A11Y=none",
      "GSETTINGS_BACKEND=memory", "GSK_RENDERER=cairo", "GDK_BACKEND=x11", "NO_AT_BRIDGE=1",
      "LC_ALL=C.UTF-8", "G_DEBUG=fatal-criticals",
      self, "-p", "/gui/actions/denied-child", NULL
    };

    status = dbus_fixture_run (fx, argv, &out, &err);
  }
  g_test_message ("child stdout:\n%s\nchild stderr:\n%s", out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (gui_test_daemon_state (fx, "beta", NULL), ==, "none");

  /* Keep the child's screenshot with the others. */
  shot = g_build_filename (dir, "gui-denied.png", NULL);
  g_assert_true (g_file_get_contents (shot, &png, &len, NULL));
  target = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", "gui-denied.png", NULL);
  g_mkdir_with_parents (g_getenv ("G_TEST_BUILDDIR"), 0755);
  {
    g_autofree char *shots = g_path_get_dirname (target);

    g_mkdir_with_parents (shots, 0755);
  }
  g_assert_true (g_file_set_contents (target, png, len, NULL));
  test_util_rm_rf (dir);
  dbus_fixture_free (fx);
}

/* The demo jobs of the README (data/examples) as the README's demo shows them: the
 * screenshot of the main window for the metainfo and the README. */
static void
test_demo_main_window (void)
{
  const char *const args[] = { NULL };
  const char *const emit_rain[] = { "initctl", "--session", "emit", "weather", "KIND=rain", NULL };
  const char *const start_tty[] = { "initctl", "--session", "start", "tty", "TTY=tty1", NULL };
  g_autofree char *examples = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", NULL);
  g_autoptr(GDir) dir = g_dir_open (examples, 0, NULL);
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  InitAdminWindow *window;
  const char *name;
  g_autofree char *shot = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".conf"))
      {
        g_autofree char *path = g_build_filename (examples, name, NULL);
        g_autofree char *text = NULL;
        g_autofree char *job = g_strndup (name, strlen (name) - 5);

        g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
        dbus_fixture_write_job (fx, job, text);
      }
  /* With the usual `startup` event, as `initd --session` runs them. */
  dbus_fixture_start_initd (fx, args, NULL);
  g_assert_true (daemon_wait (fx, "heartbeat", "start/running"));
  window = gui_test_window_new (fx);

  /* What the README suggests trying, done the way a user would: with initctl (from the
   * build tree, found on PATH so the history shows "initctl …"). */
  if (g_getenv ("INITCTL") != NULL)
    {
      g_autofree char *bin = g_path_get_dirname (g_getenv ("INITCTL"));
      g_autofree char *path = g_strconcat (bin, ":", g_getenv ("PATH"), NULL);

      g_setenv ("PATH", path, TRUE);
    }
  g_assert_cmpint (dbus_fixture_run (fx, emit_rain, &out, &err), ==, 0);
  g_assert_cmpint (dbus_fixture_run (fx, start_tty, NULL, NULL), ==, 0);
  g_assert_true (gui_test_wait_status (window, "weather", INIT_ADMIN_STATUS_RUNNING));
  g_assert_true (gui_test_wait_status (window, "hello", INIT_ADMIN_STATUS_STOPPED));
  gui_test_select_job (window, "weather", NULL);
  shot = gui_test_screenshot (GTK_WIDGET (window), "main-window", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* ---- the process tree ---- */

typedef struct
{
  GtkWidget  *view;
  guint       n;           /* at least this many processes shown … */
  const char *command;     /* … and one of them runs this (or NULL) */
} TreeWait;

static gboolean
tree_shows (gpointer user_data)
{
  TreeWait *w = user_data;
  GListModel *model = init_admin_process_view_get_processes (INIT_ADMIN_PROCESS_VIEW (w->view), "");
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;
  gboolean found = w->command == NULL;

  for (guint i = 0; i < n && !found; i++)
    {
      g_autoptr(InitAdminProcessItem) item = g_list_model_get_item (model, i);
      found = g_str_equal (init_admin_process_item_get_command (item), w->command);
    }
  return n >= w->n && found;
}

/* Whether the daemon's own GetProcessTree of @job lists a process running @command. */
static gboolean
daemon_tree_has (DBusFixture *fx,
                 const char  *job,
                 const char  *command)
{
  g_autofree char *path = g_strconcat ("/org/example/Init/jobs/", job, "/_", NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) tree = NULL;
  GVariantIter iter;
  const char *cmd;

  reply = g_dbus_connection_call_sync (fx->connection, "org.example.Init", path,
                                       "org.example.Init.Instance", "GetProcessTree", NULL,
                                       G_VARIANT_TYPE ("(a(iiss))"), G_DBUS_CALL_FLAGS_NONE,
                                       WAIT_MS, NULL, NULL);
  if (reply == NULL)
    return FALSE;
  tree = g_variant_get_child_value (reply, 0);
  g_variant_iter_init (&iter, tree);
  while (g_variant_iter_next (&iter, "(ii&s&s)", NULL, NULL, NULL, &cmd))
    if (g_str_equal (cmd, command))
      return TRUE;
  return FALSE;
}

static gboolean
forker_has_grandchild (gpointer user_data)
{
  return daemon_tree_has (user_data, "forker", "sleep 5151");
}

/* A job whose main process forks a shell that forks a sleep: the details show its tree,
 * main first, each descendant indented under its parent.  The main process appears when
 * Processes changes; the children, forked seconds later without a signal, when the refresh
 * button is pressed.  Stopped, the job has no tree. */
static void
test_process_tree (void)
{
  const char *const args[] = { "--startup-event", "go", NULL };
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  InitAdminWindow *window;
  GtkWidget *view, *refresh;
  GListModel *model;
  TreeWait main_shown = { NULL, 1, NULL };
  TreeWait all_shown = { NULL, 3, "sleep 5151" };
  g_autofree char *shot = NULL;
  int main_pid;

  dbus_fixture_write_job (fx, "forker",
                          "description \"Forks a shell that forks\"\nconsole none\n"
                          "exec /bin/sh -c 'sleep 3; /bin/sh -c \"sleep 5151 & wait\" & wait'\n");
  dbus_fixture_start_initd (fx, args, NULL);
  window = gui_test_window_new (fx);
  view = gui_test_child (init_admin_window_get_details (window), INIT_ADMIN_TYPE_DETAILS,
                         "process_view");
  refresh = gui_test_child (view, INIT_ADMIN_TYPE_PROCESS_VIEW, "refresh_button");
  main_shown.view = all_shown.view = view;

  gui_test_select_job (window, "forker", NULL);
  g_assert_null (init_admin_process_view_get_processes (INIT_ADMIN_PROCESS_VIEW (view), ""));
  click (details_button (window, "start_button"));
  g_assert_true (daemon_wait (fx, "forker", "start/running"));
  main_pid = gui_test_daemon_pid (fx, "forker", NULL);

  /* Processes changed: the tree is read by itself, main first. */
  g_assert_true (gui_test_wait (tree_shows, &main_shown, WAIT_MS));
  model = init_admin_process_view_get_processes (INIT_ADMIN_PROCESS_VIEW (view), "");
  {
    g_autoptr(InitAdminProcessItem) first = g_list_model_get_item (model, 0);

    g_assert_cmpint (init_admin_process_item_get_pid (first), ==, main_pid);
    g_assert_cmpstr (init_admin_process_item_get_role (first), ==, "main");
    g_assert_cmpuint (init_admin_process_item_get_depth (first), ==, 0);
  }

  /* The grandchild comes later, with no signal: shown once refreshed. */
  g_assert_true (gui_test_wait (forker_has_grandchild, fx, WAIT_MS));
  gui_test_spin (300);
  g_assert_false (tree_shows (&all_shown));
  click (refresh);
  g_assert_true (gui_test_wait (tree_shows, &all_shown, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  {
    g_autoptr(InitAdminProcessItem) main_item = g_list_model_get_item (model, 0);
    g_autoptr(InitAdminProcessItem) child = g_list_model_get_item (model, 1);
    g_autoptr(InitAdminProcessItem) grandchild = g_list_model_get_item (model, 2);

    g_assert_cmpint (init_admin_process_item_get_pid (main_item), ==, main_pid);
    g_assert_cmpstr (init_admin_process_item_get_command (child), ==, "/bin/sh -c sleep 5151 & wait");
    g_assert_cmpstr (init_admin_process_item_get_role (child), ==, "");
    g_assert_cmpint (init_admin_process_item_get_ppid (child), ==, main_pid);
    g_assert_cmpuint (init_admin_process_item_get_depth (child), ==, 1);
    g_assert_cmpstr (init_admin_process_item_get_command (grandchild), ==, "sleep 5151");
    g_assert_cmpint (init_admin_process_item_get_ppid (grandchild), ==,
                     init_admin_process_item_get_pid (child));
    g_assert_cmpuint (init_admin_process_item_get_depth (grandchild), ==, 2);
  }
  gui_test_settle (GTK_WIDGET (window));
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-process-tree", NULL);

  click (details_button (window, "stop_button"));
  g_assert_true (daemon_wait (fx, "forker", "none"));
  g_assert_true (gui_test_wait_status (window, "forker", INIT_ADMIN_STATUS_STOPPED));
  g_assert_null (init_admin_process_view_get_processes (INIT_ADMIN_PROCESS_VIEW (view), ""));
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

static gboolean
has_accel (const char *action,
           const char *accel)
{
  g_auto (GStrv) accels = gtk_application_get_accels_for_action (gui_test_get_app (), action);
  guint key, want_key;
  GdkModifierType mods, want_mods;

  g_assert_true (gtk_accelerator_parse (accel, &want_key, &want_mods));
  for (gsize i = 0; accels != NULL && accels[i] != NULL; i++)
    if (gtk_accelerator_parse (accels[i], &key, &mods) && key == want_key && mods == want_mods)
      return TRUE;
  return FALSE;
}

/* The header bar switches to the system daemon and back (the window says which one it shows
 * and that the system bus is not there here); the GNOME shortcuts are set and work. */
static void
test_switch_and_shortcuts (void)
{
  DBusFixture *fx = start_daemon ();
  g_autofree char *nowhere = dbus_fixture_path (fx, "no-system-bus.sock");
  g_autofree char *address = g_strconcat ("unix:path=", nowhere, NULL);
  InitAdminWindow *window;
  gpointer status[2];
  gpointer content[2];
  GtkWidget *emit_dialog = NULL;
  g_autofree char *shot = NULL;

  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
  window = gui_test_window_new (fx);
  status[0] = content[0] = window;
  status[1] = "status";
  content[1] = "content";

  g_assert_true (has_accel ("win.search", "<Control>f"));
  g_assert_true (has_accel ("win.emit", "<Control>e"));
  g_assert_true (has_accel ("app.quit", "<Control>q"));
  g_assert_true (has_accel ("win.show-help-overlay", "<Control>question"));
  g_assert_true (has_accel ("win.start", "<Control><Shift>s"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  /* Ctrl+F's action shows the search bar; Ctrl+E's opens the emit dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (gui_test_child (init_admin_window_get_job_list (window),
                                                                                 INIT_ADMIN_TYPE_JOB_LIST, "search_bar"))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.emit", NULL));
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (INIT_ADMIN_IS_EMIT_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
          emit_dialog = GTK_WIDGET (toplevel);
      }
  }
  g_assert_nonnull (emit_dialog);
  gtk_window_close (GTK_WINDOW (emit_dialog));

  /* Ctrl+Shift+S's action starts the selected job. */
  gui_test_select_job (window, "beta", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  g_assert_true (daemon_wait (fx, "beta", "start/running"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.bus", "s", "system"));
  g_assert_true (gui_test_wait (page_is, status, WAIT_MS));
  g_assert_cmpstr (init_admin_window_get_status_title (window), ==, "No System Bus");
  g_assert_cmpstr (init_admin_window_get_subtitle (window), ==, "System daemon · no bus");
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-system-no-bus", NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.bus", "s", "session"));
  g_assert_true (gui_test_wait (page_is, content, WAIT_MS));
  g_assert_cmpstr (init_admin_window_get_subtitle (window), ==, "Session daemon · connected");
  g_assert_true (gui_test_wait_status (window, "beta", INIT_ADMIN_STATUS_RUNNING));

  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* Under LANGUAGE=de the window speaks German (translations from po/de.po). */
static void
test_german (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  InitAdminJobRow *row;
  GtkWidget *cell;
  g_autofree char *shot = NULL;

  g_assert_true (gui_test_wait_status (window, "alpha", INIT_ADMIN_STATUS_RUNNING));
  g_assert_cmpstr (init_admin_window_get_subtitle (window), ==, "Sitzungs-Daemon · verbunden");
  row = gui_test_find_row (window, "alpha", NULL);
  cell = init_admin_job_list_get_cell (init_admin_window_get_job_list (window), row, 1);
  g_assert_cmpstr (init_admin_state_cell_get_text (INIT_ADMIN_STATE_CELL (cell)), ==, "Läuft");
  gui_test_select_job (window, "gamma", NULL);
  g_assert_nonnull (strstr (init_admin_details_get_failure_text (init_admin_window_get_details (window)),
                            "Der Hauptprozess wurde mit Status 3 beendet"));
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-german", NULL);
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/jobs/list-states", test_list_states);
  g_test_add_func ("/gui/jobs/live-update", test_live_update);
  g_test_add_func ("/gui/jobs/search", test_search);
  g_test_add_func ("/gui/actions/start-stop-restart", test_actions);
  g_test_add_func ("/gui/actions/denied", test_denied);
  g_test_add_func ("/gui/actions/denied-child", test_denied_child);
  g_test_add_func ("/gui/emit/starts-job", test_emit);
  g_test_add_func ("/gui/jobs/failed-task", test_failed_task);
  g_test_add_func ("/gui/connection/reconnect", test_reconnect);
  g_test_add_func ("/gui/log/follow", test_log);
  g_test_add_func ("/gui/details/process-tree", test_process_tree);
  g_test_add_func ("/gui/demo/main-window", test_demo_main_window);
  g_test_add_func ("/gui/window/switch-and-shortcuts", test_switch_and_shortcuts);
  g_test_add_func ("/gui/i18n/german", test_german);
  return g_test_run ();
}
