/* test-gui-daemon.c — the daemon goes away and comes back: what the window says about it
 *
 * The app's widgets in-process against the real initd (gui-test-util.h).  Losing the daemon
 * and getting the same selection back is /gui/connection/reconnect (test-gui.c).
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <signal.h>
#include <string.h>

#include "gui-test-util.h"

#define WAIT_MS 20000

static gboolean
back_with_toast (gpointer user_data)
{
  return init_admin_window_get_lost_text (user_data) == NULL
         && init_admin_window_get_last_toast (user_data) != NULL
         && strstr (init_admin_window_get_last_toast (user_data), "back") != NULL;
}

/* initd is killed and started again: it adopts the job that ran on (the same process), and
 * the toast says so ("adopted") rather than only how many jobs run. */
static void
test_adopted (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  const char *const start[] = { g_getenv ("INITCTL"), "--session", "start", "heartbeat", NULL };
  InitAdminWindow *window;
  int pid;

  dbus_fixture_write_job (fx, "heartbeat", "description \"A service\"\nconsole none\nexec sleep 1000\n");
  dbus_fixture_write_job (fx, "idle", "description \"Stays stopped\"\nconsole none\nexec sleep 1000\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  window = gui_test_window_new (fx);
  g_assert_cmpint (dbus_fixture_run (fx, start, NULL, NULL), ==, 0);
  g_assert_true (gui_test_wait_status (window, "heartbeat", INIT_ADMIN_STATUS_RUNNING));
  pid = gui_test_daemon_pid (fx, "heartbeat", "");
  g_assert_cmpint (pid, >, 0);

  g_assert_cmpint (kill (dbus_fixture_get_initd_pid (fx), SIGKILL), ==, 0);
  dbus_fixture_stop_initd (fx);
  g_assert_true (gui_test_wait (gui_test_lost_shown, window, WAIT_MS));
  dbus_fixture_start_initd (fx, NULL, NULL);
  g_assert_cmpint (gui_test_daemon_pid (fx, "heartbeat", ""), ==, pid);
  g_assert_true (gui_test_wait (back_with_toast, window, WAIT_MS));
  g_assert_cmpstr (init_admin_window_get_last_toast (window), ==, "The daemon is back: 1 running job adopted");

  gui_test_window_free (window);
  kill (pid, SIGKILL);
  dbus_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/daemon/adopted", test_adopted);
  return g_test_run ();
}
