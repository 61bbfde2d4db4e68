/* test-gui-emit-dialog.c — the Emit dialog: what it sends, and the outcome it follows in the history
 *
 * The real dialog on the private display (run-with-display.sh), connected through the real
 * client to the stand-in daemon of gui-fake-daemon.c (no initd), whose EmitEvent records the
 * call and answers what the case says; the case then sends the history records a daemon
 * would, and reads the outcome the dialog shows.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include "gui-fake-daemon.h"
#include "gui-test-util.h"
#include "init-admin-emit-dialog.h"
#include "test-util.h"

typedef struct
{
  FakeDaemon          *fd;
  InitAdminClient     *client;
  InitAdminJobModel   *model;
  InitAdminHistory    *history;
  InitAdminEmitDialog *dialog;
  /* what EmitEvent got and answers */
  guint    emits;
  char    *name;
  char    *env;                   /* joined by "|" */
  gboolean wait;
  guint64  answer_id;              /* 0: answer PermissionDenied */
} Fixture;

static gboolean
handle_emit_event (InitDBusManager       *manager,
                   GDBusMethodInvocation *invocation,
                   const char            *name,
                   const char *const     *env,
                   gboolean               wait,
                   Fixture               *fx)
{
  fx->emits++;
  g_free (fx->name);
  g_free (fx->env);
  fx->name = g_strdup (name);
  fx->env = g_strjoinv ("|", (char **) env);
  fx->wait = wait;
  /* initd records the event as queued before it answers (the dialog finds its row by the
   * id in the answer). */
  if (fx->answer_id != 0)
    {
      g_autofree char *queued = g_strdup_printf ("{'event-id': <uint64 %" G_GUINT64_FORMAT ">}", fx->answer_id);

      fake_daemon_record (fx->fd, TRUE, "event-queued", name, queued);
    }
  if (fx->answer_id == 0)
    g_dbus_method_invocation_return_dbus_error (invocation, "org.example.Init.Error.PermissionDenied",
                                                "Not allowed to emit");
  else
    init_dbus_manager_complete_emit_event (manager, invocation, fx->answer_id);
  return TRUE;
}

static gboolean
connected (gpointer user_data)
{
  return init_admin_client_get_state (user_data) == INIT_ADMIN_CLIENT_CONNECTED
         && init_admin_client_get_object_manager (user_data) != NULL;
}

static gboolean
loaded (gpointer user_data)
{
  return init_admin_history_get_loaded (user_data);
}

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  InitDBusJob *job;

  fx->fd = fake_daemon_new ();
  g_signal_connect (fx->fd->manager, "handle-emit-event", G_CALLBACK (handle_emit_event), fx);
  job = fake_daemon_add_job (fx->fd, "hello");
  init_dbus_job_set_start_on_tree (job, g_variant_new_parsed ("[['go'], ['net-up'], ['/OR']]"));
  init_dbus_job_set_stop_on_tree (job, g_variant_new_parsed ("[['shutdown']]"));

  fx->client = init_admin_client_new (INIT_ADMIN_BUS_SESSION, fx->fd->bus->address);
  g_assert_true (test_util_wait_until (connected, fx->client, 30000));
  fx->model = init_admin_job_model_new ();
  init_admin_job_model_set_object_manager (fx->model, init_admin_client_get_object_manager (fx->client));
  fx->history = init_admin_history_new ();
  init_admin_history_set_manager (fx->history, init_admin_client_get_manager (fx->client), NULL);
  g_assert_true (test_util_wait_until (loaded, fx->history, 20000));
  fx->dialog = init_admin_emit_dialog_new (NULL, fx->client, fx->model, fx->history);
  gtk_window_present (GTK_WINDOW (fx->dialog));
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (fx->dialog));
  gui_test_spin (10);
  g_clear_object (&fx->history);
  g_clear_object (&fx->model);
  g_clear_object (&fx->client);
  g_free (fx->name);
  g_free (fx->env);
  fake_daemon_free (fx->fd);
}

static gboolean
emitted (gpointer user_data)
{
  return ((Fixture *) user_data)->emits > 0;
}

static gboolean
dialog_done (gpointer user_data)
{
  return init_admin_emit_dialog_is_done (user_data);
}

/* Announce the history records of event @id ("go", queued already) starting @started (or
 * nothing), then its end. */
static void
announce_event (Fixture    *fx,
                guint64     id,
                const char *started,
                const char *finished)
{
  g_autofree char *end = g_strdup_printf ("{'event-id': <uint64 %" G_GUINT64_FORMAT ">, %s}", id, finished);

  g_assert_true (test_util_wait_until (emitted, fx, 20000));
  if (started != NULL)
    {
      g_autofree char *goal = g_strdup_printf ("{'job': <'%s'>, 'goal': <'start'>, 'cause': <'event'>, "
                                               "'cause-event-id': <uint64 %" G_GUINT64_FORMAT ">}",
                                               started, id);

      fake_daemon_record (fx->fd, TRUE, "job-goal", started, goal);
    }
  fake_daemon_record (fx->fd, TRUE, "event-finished", "go", end);
  fake_daemon_sync (fx->fd);
}

/* The names offered: every event the jobs refer to and "startup" (the daemon's own),
 * sorted, no operators. */
static void
test_suggestions (Fixture      *fx,
                  gconstpointer data)
{
  g_auto (GStrv) words = init_admin_emit_dialog_get_suggestions (fx->dialog);
  g_autofree char *joined = g_strjoinv (",", words);

  g_assert_cmpstr (joined, ==, "go,net-up,shutdown,startup");
}

/* A name that is empty or has spaces, or an environment entry that is not KEY=VALUE, is
 * not sent. */
static void
test_refuses_bad_input (Fixture      *fx,
                        gconstpointer data)
{
  const char *const bad_env[] = { "1X=y", NULL };

  init_admin_emit_dialog_set_event (fx->dialog, "", NULL, FALSE);
  g_assert_false (init_admin_emit_dialog_emit (fx->dialog));
  init_admin_emit_dialog_set_event (fx->dialog, "two words", NULL, FALSE);
  g_assert_false (init_admin_emit_dialog_emit (fx->dialog));
  init_admin_emit_dialog_set_event (fx->dialog, "go", bad_env, FALSE);
  g_assert_false (init_admin_emit_dialog_emit (fx->dialog));
  gui_test_spin (50);
  g_assert_cmpuint (fx->emits, ==, 0);
}

/* The call carries the name, the environment and "wait"; the outcome is in progress until
 * the event's history says it finished, then lists what it started. */
static void
test_outcome_follows_history (Fixture      *fx,
                              gconstpointer data)
{
  const char *const env[] = { "KIND=rain", "WHERE=here", NULL };

  fx->answer_id = 7;
  init_admin_emit_dialog_set_event (fx->dialog, "go", env, TRUE);
  g_assert_true (init_admin_emit_dialog_emit (fx->dialog));
  g_assert_true (test_util_wait_until (emitted, fx, 20000));
  g_assert_cmpstr (fx->name, ==, "go");
  g_assert_cmpstr (fx->env, ==, "KIND=rain|WHERE=here");
  g_assert_true (fx->wait);
  /* A second press while it runs sends nothing. */
  g_assert_false (init_admin_emit_dialog_emit (fx->dialog));
  gui_assert_text (init_admin_emit_dialog_get_outcome (fx->dialog), "“go” is in progress…\n\n");

  announce_event (fx, 7, "hello", "'failed': <false>");
  g_assert_true (test_util_wait_until (dialog_done, fx->dialog, 20000));
  gui_assert_text (init_admin_emit_dialog_get_outcome (fx->dialog), "“go” finished\nstarted hello\n");
  g_assert_cmpuint (fx->emits, ==, 1);
}

/* An event that started nothing says so. */
static void
test_outcome_nothing_started (Fixture      *fx,
                              gconstpointer data)
{
  fx->answer_id = 3;
  init_admin_emit_dialog_set_event (fx->dialog, "go", NULL, FALSE);
  g_assert_true (init_admin_emit_dialog_emit (fx->dialog));
  announce_event (fx, 3, NULL, "'failed': <false>");
  g_assert_true (test_util_wait_until (dialog_done, fx->dialog, 20000));
  gui_assert_text (init_admin_emit_dialog_get_outcome (fx->dialog),
                   "“go” finished\nIt did not start or stop any job.\n");
}

/* A job failing under the event is the outcome, even before the call returns. */
static void
test_outcome_job_failed (Fixture      *fx,
                         gconstpointer data)
{
  fx->answer_id = 9;
  init_admin_emit_dialog_set_event (fx->dialog, "go", NULL, TRUE);
  g_assert_true (init_admin_emit_dialog_emit (fx->dialog));
  announce_event (fx, 9, "hello", "'failed': <true>, 'failed-job': <'hello'>, 'reason': <'boom'>");
  g_assert_true (test_util_wait_until (dialog_done, fx->dialog, 20000));
  gui_assert_text (init_admin_emit_dialog_get_outcome (fx->dialog),
                   "“go” finished, but a job failed\nstarted hello\n");
}

/* A refusal is told in plain words, without the D-Bus name. */
static void
test_outcome_error (Fixture      *fx,
                    gconstpointer data)
{
  fx->answer_id = 0;
  init_admin_emit_dialog_set_event (fx->dialog, "go", NULL, FALSE);
  g_assert_true (init_admin_emit_dialog_emit (fx->dialog));
  g_assert_true (test_util_wait_until (dialog_done, fx->dialog, 20000));
  gui_assert_text (init_admin_emit_dialog_get_outcome (fx->dialog),
                   "Could not emit “go”\n\nPermission denied: you are not allowed to do this. Not allowed to emit");
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/gui/emit-dialog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("suggestions", test_suggestions);
  ADD ("refuses-bad-input", test_refuses_bad_input);
  ADD ("outcome-follows-history", test_outcome_follows_history);
  ADD ("outcome-nothing-started", test_outcome_nothing_started);
  ADD ("outcome-job-failed", test_outcome_job_failed);
  ADD ("outcome-error", test_outcome_error);
#undef ADD
  return g_test_run ();
}
