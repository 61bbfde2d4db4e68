/* test-gui-failure.c — a failure readable at a glance: one card with the failing process, its
 * exit status, when, and the last lines of its log; no banner saying it again
 *
 * The app's widgets in-process against the real initd (gui-test-util.h).
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <string.h>

#include "gui-test-util.h"
#include "init-admin-failure-card.h"

#define WAIT_MS 20000

typedef struct
{
  InitAdminWindow      *window;
  InitAdminFailureCard *card;
} Seen;

static gboolean
card_complete (gpointer user_data)
{
  Seen *seen = user_data;
  const char *toast = init_admin_window_get_last_toast (seen->window);

  return init_admin_failure_card_get_text (seen->card) != NULL
         && strstr (init_admin_failure_card_get_log (seen->card), "disk full") != NULL
         && toast != NULL && strstr (toast, "backup") != NULL;
}

/* Start a task from the window that writes seven lines and fails: the card says the main
 * process exited with status 3 and shows the log's last five lines; the start's failure is a
 * toast pointing at the job, not an error banner repeating the card in the daemon's words. */
static void
test_card (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  InitAdminWindow *window;
  InitAdminDetails *details;
  Seen seen;
  g_autofree char *shot = NULL;

  dbus_fixture_write_job (fx, "backup", "description \"Backs up\"\ntask\nconsole log\n"
                          "exec sh -c 'for i in 1 2 3 4 5 6; do echo \"step $i\"; done; "
                          "echo \"disk full at /var/backup\"; exit 3'\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  window = gui_test_window_new (fx);
  details = init_admin_window_get_details (window);
  gui_test_select_job (window, "backup", NULL);
  seen.window = window;
  seen.card = INIT_ADMIN_FAILURE_CARD (gui_test_child (details, INIT_ADMIN_TYPE_DETAILS, "failure_card"));
  g_assert_null (init_admin_failure_card_get_text (seen.card));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "job.start", NULL));
  g_assert_true (gui_test_wait (card_complete, &seen, WAIT_MS));
  gui_test_settle (GTK_WIDGET (window));
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-failure-card", NULL);
  g_test_message ("card: %s | %s", init_admin_failure_card_get_text (seen.card),
                  init_admin_failure_card_get_log (seen.card));
  g_assert_nonnull (strstr (init_admin_failure_card_get_text (seen.card), "The main process exited with status 3"));
  g_assert_cmpstr (init_admin_failure_card_get_log (seen.card), ==,
                   "step 3\nstep 4\nstep 5\nstep 6\ndisk full at /var/backup");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (gui_test_child (window, INIT_ADMIN_TYPE_WINDOW,
                                                                               "error_revealer"))));
  g_assert_cmpstr (init_admin_window_get_last_toast (window), ==, "“backup” failed (shown with the job)");

  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

static gboolean
rejected_shown (gpointer user_data)
{
  return init_admin_failure_card_get_text (user_data) != NULL;
}

static gboolean
rejected_gone (gpointer user_data)
{
  return init_admin_failure_card_get_text (user_data) == NULL;
}

/* An edit that does not parse is shown on the job in full (file, line, the parser's message)
 * and says the definition before it still holds; a good edit takes it away. */
static void
test_rejected_edit (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  InitAdminWindow *window;
  InitAdminFailureCard *card;
  g_autofree char *shot = NULL;
  const char *text;

  dbus_fixture_write_job (fx, "worker", "description \"Works\"\nconsole none\nexec sleep 1000\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  window = gui_test_window_new (fx);
  gui_test_select_job (window, "worker", NULL);
  card = INIT_ADMIN_FAILURE_CARD (gui_test_child (init_admin_window_get_details (window), INIT_ADMIN_TYPE_DETAILS,
                                                  "rejected_card"));
  g_assert_null (init_admin_failure_card_get_text (card));

  dbus_fixture_write_job (fx, "worker", "description \"Works harder\"\nconsole none\nexec sleep 1000\n"
                          "respawn limit banana\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload-configuration", NULL));
  g_assert_true (gui_test_wait (rejected_shown, card, WAIT_MS));
  text = init_admin_failure_card_get_text (card);
  g_test_message ("rejected: %s", text);
  g_assert_nonnull (strstr (text, "Rejected edit"));
  g_assert_nonnull (strstr (text, "worker.conf"));
  g_assert_nonnull (strstr (text, "worker.conf:4:"));      /* the line and column */
  g_assert_nonnull (strstr (text, "Illegal limit"));
  g_assert_nonnull (strstr (text, "The last good definition is in force."));
  g_assert_cmpstr (init_admin_job_row_get_description (gui_test_find_row (window, "worker", NULL)), ==, "Works");
  gui_test_settle (GTK_WIDGET (window));
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-failure-rejected-edit", NULL);

  dbus_fixture_write_job (fx, "worker", "description \"Works harder\"\nconsole none\nexec sleep 1000\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload-configuration", NULL));
  g_assert_true (gui_test_wait (rejected_gone, card, WAIT_MS));

  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/failure/card", test_card);
  g_test_add_func ("/gui/failure/rejected-edit", test_rejected_edit);
  return g_test_run ();
}
