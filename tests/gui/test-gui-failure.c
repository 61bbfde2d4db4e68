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

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/failure/card", test_card);
  return g_test_run ();
}
