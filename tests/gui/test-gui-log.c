/* test-gui-log.c — the log page of a job that does not log says only that
 *
 * The app's widgets in-process against the real initd (gui-test-util.h).  The first log shown
 * being in view is a typing test (test-gui-typing.c, /xtest/log/first-shown).
 */
#define G_LOG_DOMAIN "init-admin-test"

#include "gui-test-util.h"
#include "init-admin-details.h"

/* A `console none` job: the message, no log path, Follow and Wrap insensitive; a `console
 * log` job selected next gets them back. */
static void
test_does_not_log (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  InitAdminWindow *window;
  InitAdminDetails *details;
  GtkWidget *view;
  g_autofree char *shot = NULL;

  dbus_fixture_write_job (fx, "quiet", "console none\nexec sleep 1000\n");
  dbus_fixture_write_job (fx, "talker", "console log\nexec sleep 1000\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  window = gui_test_window_new (fx);
  details = init_admin_window_get_details (window);
  view = gui_test_child (details, INIT_ADMIN_TYPE_DETAILS, "log_view");

  gui_test_select_job (window, "quiet", NULL);
  init_admin_details_show_page (details, "log");
  gui_test_settle (GTK_WIDGET (window));
  g_assert_cmpstr (init_admin_log_view_get_message (INIT_ADMIN_LOG_VIEW (view)), ==,
                   "This Job Does Not Log Its Output");
  g_assert_false (gtk_widget_get_visible (gui_test_child (view, INIT_ADMIN_TYPE_LOG_VIEW, "path_label")));
  g_assert_false (gtk_widget_get_sensitive (gui_test_child (view, INIT_ADMIN_TYPE_LOG_VIEW, "follow_button")));
  g_assert_false (gtk_widget_get_sensitive (gui_test_child (view, INIT_ADMIN_TYPE_LOG_VIEW, "wrap_button")));
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-log-does-not-log", NULL);

  gui_test_select_job (window, "talker", NULL);
  gui_test_settle (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_visible (gui_test_child (view, INIT_ADMIN_TYPE_LOG_VIEW, "path_label")));
  g_assert_true (gtk_widget_get_sensitive (gui_test_child (view, INIT_ADMIN_TYPE_LOG_VIEW, "follow_button")));
  g_assert_true (gtk_widget_get_sensitive (gui_test_child (view, INIT_ADMIN_TYPE_LOG_VIEW, "wrap_button")));

  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/log/does-not-log", test_does_not_log);
  return g_test_run ();
}
