/* test-gui-counts.c — honest loading and counts: the summary line follows the list at once
 * with its plural from the jobs shown, the history says it is loading while it is, the
 * caller is named as a person reads it, and the German condition reads as German
 *
 * The app's widgets in-process against the real initd (gui-test-util.h).
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <glib/gi18n.h>
#include <string.h>

#include "gui-test-util.h"
#include "init-admin-format.h"
#include "init-admin-history-view.h"

static DBusFixture *
start_daemon (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);

  dbus_fixture_write_job (fx, "heartbeat", "description \"A service\"\nconsole none\nexec sleep 1000\n");
  dbus_fixture_write_job (fx, "worker", "description \"Works\"\nconsole none\nexec sleep 1000\n");
  dbus_fixture_write_job (fx, "weather", "description \"Waits for rain\"\nstart on weather KIND=rain\n"
                          "console none\nexec sleep 1000\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  return fx;
}

static const char *
summary (InitAdminWindow *window)
{
  return gtk_label_get_text (GTK_LABEL (gui_test_child (init_admin_window_get_job_list (window),
                                                        INIT_ADMIN_TYPE_JOB_LIST, "summary_label")));
}

/* A search changes the line in the same moment as the list (no frame shows "3 jobs" over one
 * row), and "shown" takes its plural from the rows shown. */
static void
test_summary_follows (void)
{
  DBusFixture *fx = start_daemon ();
  InitAdminWindow *window = gui_test_window_new (fx);
  InitAdminJobList *list = init_admin_window_get_job_list (window);

  gui_test_settle (GTK_WIDGET (window));
  g_assert_cmpstr (summary (window), ==, "3 jobs · 0 running · 0 failed");
  init_admin_job_list_set_search_text (list, "heart");
  g_assert_cmpstr (summary (window), ==, "1 job shown of 3 · 0 running · 0 failed");
  init_admin_job_list_set_search_text (list, "w");
  g_assert_cmpstr (summary (window), ==, "2 jobs shown of 3 · 0 running · 0 failed");
  init_admin_job_list_set_search_text (list, "");
  init_admin_job_list_set_state_filter (list, INIT_ADMIN_STATE_FILTER_RUNNING);
  g_assert_cmpstr (summary (window), ==, "0 jobs shown of 3 · 0 running · 0 failed");

  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* In German a condition after "wobei" is a subordinate clause: the verb comes last
 * ("…, wobei KIND „rain“ ist", not "wobei KIND ist „rain“"). */
static void
test_german_where (void)
{
  g_autoptr(GVariant) is = g_variant_ref_sink (g_variant_new_parsed ("[['weather', 'KIND=rain']]"));
  g_autoptr(GVariant) not = g_variant_ref_sink (g_variant_new_parsed ("[['weather', 'KIND!=snow']]"));
  g_autofree char *text_is = init_admin_format_condition (is);
  g_autofree char *text_not = init_admin_format_condition (not);

  g_assert_cmpstr (text_is, ==, "Ereignis „weather“, wobei KIND „rain“ ist");
  g_assert_cmpstr (text_not, ==, "Ereignis „weather“, wobei KIND nicht „snow“ ist");
}

static const char *
history_page (InitAdminHistoryView *view)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (gui_test_child (view, INIT_ADMIN_TYPE_HISTORY_VIEW, "stack")));
}

static gboolean
history_loaded (gpointer user_data)
{
  return init_admin_history_get_loaded (user_data);
}

/* While the daemon's history is asked for, the view says it is loading, not "No Events to
 * Show"; then the rows. */
static void
test_history_loading (void)
{
  DBusFixture *fx = start_daemon ();
  g_autoptr(InitAdminHistory) history = init_admin_history_new ();
  InitAdminHistoryView *view = g_object_ref_sink (g_object_new (INIT_ADMIN_TYPE_HISTORY_VIEW, NULL));
  g_autoptr(GError) error = NULL;
  g_autoptr(InitDBusManager) manager =
    init_dbus_manager_proxy_new_sync (fx->connection, G_DBUS_PROXY_FLAGS_NONE, "org.example.Init",
                                      "/org/example/Init", NULL, &error);

  g_assert_no_error (error);
  init_admin_history_view_set_history (view, history);
  g_assert_cmpstr (history_page (view), ==, "empty");
  init_admin_history_set_manager (history, manager, NULL);
  g_assert_cmpstr (history_page (view), ==, "loading");
  g_assert_true (gui_test_wait (history_loaded, history, 20000));
  g_assert_cmpstr (history_page (view), ==, "list");

  g_object_unref (view);
  dbus_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/counts/summary-follows", test_summary_follows);
  g_test_add_func ("/gui/counts/german-where", test_german_where);
  g_test_add_func ("/gui/counts/history-loading", test_history_loading);
  return g_test_run ();
}
