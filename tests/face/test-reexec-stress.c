/* test-reexec-stress.c — a stream of calls across many re-execs, under CPU load
 *
 * The real initd (GLib criticals fatal, as in every test) on a private session bus.  Clients
 * keep dozens of calls in flight while Reexec is called again and again and two busy loops
 * compete for the CPU: every call gets its real answer, no re-exec drops or refuses one, and
 * the daemon never logs a critical (it would abort).  The window this guards: an adopted
 * connection that starts reading (and answering "no such object") before the objects are
 * exported again.
 *
 * INIT_TEST_STRESS_SECONDS sets how long the calls flow (default 8; a soak: 600).
 */
#define G_LOG_DOMAIN "test-reexec-stress"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "test-util.h"

#define MANAGER_PATH "/org/example/Init"
#define MANAGER_IFACE "org.example.Init"
/* dbus-daemon allows 128 pending calls per connection. */
#define IN_FLIGHT 48
#define N_CLIENTS 2
#define N_BURNERS 2

typedef struct
{
  GDBusConnection *clients[N_CLIENTS];
  guint            sent;
  guint            answered;
  guint            failed;
  guint            in_flight;
  guint            reexecs;
  guint            reexec_failed;
  gboolean         reexec_pending;
  char            *job_path;
  GString         *errors;     /* the first few failures, for the log */
} Stress;

static void
note_failure (Stress       *stress,
              const char   *what,
              const GError *error)
{
  if (stress->errors->len < 2000)
    g_string_append_printf (stress->errors, "%s: %s\n", what, error->message);
}

static void
call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Stress *stress = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  stress->answered++;
  stress->in_flight--;
  if (reply == NULL)
    {
      stress->failed++;
      note_failure (stress, "call", error);
    }
}

static void
reexec_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Stress *stress = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  stress->reexec_pending = FALSE;
  stress->reexecs++;
  if (reply == NULL)
    {
      stress->reexec_failed++;
      note_failure (stress, "Reexec", error);
    }
}

/* One call of a few kinds (lookups, properties, a listing), on client @i. */
static void
send_one (Stress *stress,
          guint   i)
{
  GDBusConnection *connection = stress->clients[i % N_CLIENTS];

  switch (stress->sent % 3)
    {
    case 0:
      g_dbus_connection_call (connection, "org.example.Init", MANAGER_PATH, MANAGER_IFACE,
                              "GetJobByName", g_variant_new ("(s)", "svc"), NULL,
                              G_DBUS_CALL_FLAGS_NONE, 60000, NULL, call_done, stress);
      break;
    case 1:
      g_dbus_connection_call (connection, "org.example.Init", stress->job_path,
                              "org.freedesktop.DBus.Properties", "GetAll",
                              g_variant_new ("(s)", "org.example.Init.Job"), NULL,
                              G_DBUS_CALL_FLAGS_NONE, 60000, NULL, call_done, stress);
      break;
    default:
      g_dbus_connection_call (connection, "org.example.Init", MANAGER_PATH, MANAGER_IFACE,
                              "GetAllJobs", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, 60000, NULL,
                              call_done, stress);
      break;
    }
  stress->sent++;
  stress->in_flight++;
}

/* A child that only burns CPU until killed (or until the test dies). */
static pid_t
start_burner (void)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      volatile guint64 n = 0;

      prctl (PR_SET_PDEATHSIG, SIGKILL);
      for (;;)
        n++;
    }
  return pid;
}

static gboolean
all_answered (gpointer user_data)
{
  Stress *stress = user_data;

  return stress->in_flight == 0 && !stress->reexec_pending;
}

static void
test_reexec_stress (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  const char *env = g_getenv ("INIT_TEST_STRESS_SECONDS");
  guint seconds = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 8;
  Stress stress = { 0 };
  pid_t burners[N_BURNERS];
  g_autoptr(GVariant) job = NULL;
  gint64 deadline, next_reexec = 0;
  int pid;

  stress.errors = g_string_new (NULL);
  dbus_fixture_write_job (fx, "svc", "exec sleep 100000\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  pid = dbus_fixture_get_initd_pid (fx);
  job = dbus_fixture_call_ok (fx, MANAGER_PATH, MANAGER_IFACE, "GetJobByName",
                              g_variant_new ("(s)", "svc"));
  g_variant_get (job, "(o)", &stress.job_path);
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_autoptr(GError) error = NULL;

      stress.clients[i] = g_dbus_connection_new_for_address_sync (
        fx->address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
        | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < N_BURNERS; i++)
    burners[i] = start_burner ();

  deadline = g_get_monotonic_time () + (gint64) MAX (seconds, 1) * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      /* A new Reexec as soon as the last one is answered (and at most every 20 ms). */
      if (!stress.reexec_pending && g_get_monotonic_time () >= next_reexec)
        {
          stress.reexec_pending = TRUE;
          next_reexec = g_get_monotonic_time () + 20 * 1000;
          g_dbus_connection_call (stress.clients[0], "org.example.Init", MANAGER_PATH,
                                  MANAGER_IFACE, "Reexec", NULL, NULL, G_DBUS_CALL_FLAGS_NONE,
                                  60000, NULL, reexec_done, &stress);
        }
      while (stress.in_flight < IN_FLIGHT)
        send_one (&stress, stress.sent);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (test_util_wait_until (all_answered, &stress, 120000));
  for (guint i = 0; i < N_BURNERS; i++)
    {
      kill (burners[i], SIGKILL);
      waitpid (burners[i], NULL, 0);
    }

  g_test_message ("%u calls across %u re-execs in %u s: %u failed, %u re-execs failed",
                  stress.answered, stress.reexecs, seconds, stress.failed, stress.reexec_failed);
  if (stress.failed > 0 || stress.reexec_failed > 0)
    {
      g_autofree char *log = dbus_fixture_get_stderr (fx);
      g_test_message ("failures:\n%s\ninitd said:\n%s", stress.errors->str, log);
    }
  g_assert_cmpuint (stress.failed, ==, 0);
  g_assert_cmpuint (stress.reexec_failed, ==, 0);
  g_assert_cmpuint (stress.reexecs, >, 1);
  /* Still the same process, still answering. */
  g_assert_cmpint (dbus_fixture_get_initd_pid (fx), ==, pid);
  g_assert_true (test_util_pid_alive (pid));
  g_clear_pointer (&job, g_variant_unref);
  job = dbus_fixture_call_ok (fx, MANAGER_PATH, MANAGER_IFACE, "GetJobByName",
                              g_variant_new ("(s)", "svc"));

  for (guint i = 0; i < N_CLIENTS; i++)
    g_object_unref (stress.clients[i]);
  g_free (stress.job_path);
  g_string_free (stress.errors, TRUE);
  dbus_fixture_free (fx);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reexec/stress", test_reexec_stress);
  return g_test_run ();
}
