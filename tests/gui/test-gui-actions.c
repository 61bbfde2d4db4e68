/* test-gui-actions.c — the actions the daemon's API has beyond Start/Stop/Restart: the
 * job's Reload, Reload Configuration and Re-execute, each with a toast
 *
 * The app's widgets in-process against the real initd (gui-test-util.h).  Start, Stop,
 * Restart and a refused action are in test-gui.c.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <string.h>

#include "gui-test-util.h"
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

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/actions/reload-job", test_reload_job);
  g_test_add_func ("/gui/actions/daemon", test_daemon_actions);
  return g_test_run ();
}
