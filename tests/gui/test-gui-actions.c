/* test-gui-actions.c — the actions the daemon's API has beyond Start/Stop/Restart: the
 * job's Reload, Reload Configuration and Re-execute, each with a toast
 *
 * The app's widgets in-process against the real initd (gui-test-util.h).  Start, Stop,
 * Restart and a refused action are in test-gui.c.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <string.h>

#include "gui-test-util.h"
#include "init-admin-file-viewer.h"
#include "init-admin-details.h"

#define WAIT_MS 20000

static gboolean
toast_is (gpointer user_data)
{
  gpointer *args = user_data;

  return g_strcmp0 (init_admin_window_get_last_toast (args[0]), args[1]) == 0;
}

static gboolean
file_exists (gpointer user_data)
{
  return g_file_test (user_data, G_FILE_TEST_EXISTS);
}

/* Reload sends the job's reload signal to its main process: the job's HUP trap writes a
 * file; the toast says so. */
static void
test_reload_job (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  g_autofree char *marker = dbus_fixture_path (fx, "reloaded");
  g_autofree char *job = g_strdup_printf ("console none\nexec sh -c 'trap \"touch %s\" HUP; "
                                          "while :; do sleep 0.1; done'\n", marker);
  const char *const start[] = { g_getenv ("INITCTL"), "--session", "start", "hupper", NULL };
  gpointer toast[] = { NULL, "Sent the reload signal to “hupper”" };
  InitAdminWindow *window;

  dbus_fixture_write_job (fx, "hupper", job);
  dbus_fixture_start_initd (fx, NULL, NULL);
  window = gui_test_window_new (fx);
  toast[0] = window;
  g_assert_cmpint (dbus_fixture_run (fx, start, NULL, NULL), ==, 0);
  g_assert_true (gui_test_wait_status (window, "hupper", INIT_ADMIN_STATUS_RUNNING));
  gui_test_select_job (window, "hupper", NULL);
  gui_test_spin (300);    /* the shell has set its trap */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (init_admin_window_get_details (window)),
                                             "job.reload", NULL));
  g_assert_true (gui_test_wait (file_exists, marker, WAIT_MS));
  g_assert_true (gui_test_wait (toast_is, toast, WAIT_MS));
  g_assert_null (init_admin_window_get_error (window));
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* Reload Configuration and Re-execute from the window's menu: the daemon does them (its
 * pid stays across the re-exec, the job keeps running) and a toast says so. */
static void
test_daemon_actions (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  const char *const start[] = { g_getenv ("INITCTL"), "--session", "start", "sleeper", NULL };
  gpointer reloaded[] = { NULL, "Configuration reloaded" };
  gpointer reexeced[] = { NULL, "The daemon re-executed itself; its jobs kept running" };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  InitAdminWindow *window;
  int pid;

  dbus_fixture_write_job (fx, "sleeper", "console none\nexec sleep 1000\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  window = gui_test_window_new (fx);
  reloaded[0] = reexeced[0] = window;
  g_assert_cmpint (dbus_fixture_run (fx, start, NULL, NULL), ==, 0);
  g_assert_true (gui_test_wait_status (window, "sleeper", INIT_ADMIN_STATUS_RUNNING));
  before = gui_test_daemon_state (fx, "sleeper", "");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload-configuration", NULL));
  g_assert_true (gui_test_wait (toast_is, reloaded, WAIT_MS));
  pid = dbus_fixture_get_initd_pid (fx);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reexec", NULL));
  g_assert_true (gui_test_wait (toast_is, reexeced, WAIT_MS));
  g_assert_cmpint (dbus_fixture_get_initd_pid (fx), ==, pid);
  after = gui_test_daemon_state (fx, "sleeper", "");
  g_assert_cmpstr (after, ==, before);
  g_assert_null (init_admin_window_get_error (window));
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

static gboolean
viewer_loaded (gpointer user_data)
{
  GtkWindow *viewer = init_admin_details_get_file_viewer (user_data);

  return viewer != NULL && init_admin_file_viewer_get_loaded (INIT_ADMIN_FILE_VIEWER (viewer));
}

/* The job's ⋮ menu opens its file in a window of its own, read-only: the text is the file's,
 * and typing into it changes nothing. */
static void
test_open_file (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  const char *text = "description \"Sleeps\"\nconsole none\nexec sleep 1000\n";
  InitAdminWindow *window;
  InitAdminDetails *details;
  InitAdminFileViewer *viewer;
  g_autofree char *shown = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *on_disk = NULL;
  g_autofree char *path = NULL;

  dbus_fixture_write_job (fx, "sleeper", text);
  dbus_fixture_start_initd (fx, NULL, NULL);
  window = gui_test_window_new (fx);
  details = init_admin_window_get_details (window);
  gui_test_select_job (window, "sleeper", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "job.open-file", NULL));
  g_assert_true (gui_test_wait (viewer_loaded, details, 20000));
  viewer = INIT_ADMIN_FILE_VIEWER (init_admin_details_get_file_viewer (details));
  shown = init_admin_file_viewer_get_text (viewer);
  g_assert_cmpstr (shown, ==, text);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (viewer)), ==, "sleeper (read-only)");
  g_assert_false (gtk_text_view_get_editable (init_admin_file_viewer_get_view (viewer)));
  gui_test_settle (GTK_WIDGET (viewer));
  shot = gui_test_screenshot (GTK_WIDGET (viewer), "gui-actions-open-file", NULL);

  /* Typed at, the view changes neither itself nor the file. */
  gtk_widget_grab_focus (GTK_WIDGET (init_admin_file_viewer_get_view (viewer)));
  g_signal_emit_by_name (init_admin_file_viewer_get_view (viewer), "insert-at-cursor", "oops");
  g_free (shown);
  shown = init_admin_file_viewer_get_text (viewer);
  g_assert_cmpstr (shown, ==, text);
  path = dbus_fixture_path (fx, "conf/sleeper.conf");
  g_assert_true (g_file_get_contents (path, &on_disk, NULL, NULL));
  g_assert_cmpstr (on_disk, ==, text);

  gtk_window_close (GTK_WINDOW (viewer));
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/actions/reload-job", test_reload_job);
  g_test_add_func ("/gui/actions/daemon", test_daemon_actions);
  g_test_add_func ("/gui/actions/open-file", test_open_file);
  return g_test_run ();
}
