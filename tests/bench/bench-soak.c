/* bench-soak.c — does the daemon grow while it works?  RSS per 1,000 mixed operations
 *
 * A real initd on a private session bus with 200 jobs, driven through D-Bus with a mix of
 * what a busy system does: waiting emits that run a task (plain, `console log`, and
 * instances that come and go), starts and stops of a service, events no job names, property
 * reads, history pages, log reads and a reload now and then.  After a warm-up (which also
 * fills the bounded history, so its growth is not counted) the daemon's VmRSS is sampled
 * every 1,000 operations; printed: RSS before and after, the growth per 1,000 operations
 * (end to end, and the least-squares slope over the samples) and the daemon's CPU per
 * operation.  Never fails on the figures.
 * Usage: bench-soak BUS-CONFIG-TEMPLATE (with $INITD set); $BENCH_SOAK_OPS measured
 * operations (default 20,000), $BENCH_SOAK_WARMUP (default 5,000).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench-util.h"
#include "dbus-fixture.h"
#include "test-util.h"

#define NAME "org.example.Init"
#define MANAGER "/org/example/Init"

typedef struct
{
  DBusFixture *fx;
  char        *svc;    /* the service's job path */
  char        *logged; /* the `console log` task's job path */
} Soak;

static GVariant *
call (Soak       *s,
      const char *path,
      const char *iface,
      const char *method,
      GVariant   *params)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = g_dbus_connection_call_sync (s->fx->connection, NAME, path, iface, method,
                                                 params, NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                                                 NULL, &error);

  if (reply == NULL)
    bench_call_failed (method, error);
  return reply;
}

/* A reply not needed (NULL: the call failed and was reported). */
static void
discard (GVariant *reply)
{
  if (reply != NULL)
    g_variant_unref (reply);
}

static void
emit (Soak       *s,
      const char *name,
      const char *env,
      gboolean    wait)
{
  const char *envv[] = { env, NULL };

  discard (call (s, MANAGER, NAME, "EmitEvent",
                 g_variant_new ("(s^asb)", name, envv, wait)));
}

static char *
job_path (Soak       *s,
          const char *job)
{
  g_autoptr(GVariant) reply = call (s, MANAGER, NAME, "GetJobByName", g_variant_new ("(s)", job));
  char *path = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(o)", &path);
  return path != NULL ? path : g_strdup ("/");   /* its calls fail and are reported */
}

/* Operation @i of the mix. */
static void
operate (Soak *s,
         guint i)
{
  g_autofree char *env = g_strdup_printf ("N=%u", i % 20);

  switch (i % 10)
    {
    case 0:
      emit (s, "soak-task", NULL, TRUE);
      break;
    case 1:
      discard (call (s, s->svc, NAME ".Job", "Start",
                     g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE)));
      break;
    case 2:
      discard (call (s, s->svc, NAME ".Job", "Stop",
                     g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE)));
      break;
    case 3:
      {
        g_autofree char *name = g_strdup_printf ("nobody-waits-%u", i % 50);

        emit (s, name, NULL, FALSE);
      }
      break;
    case 4:
      emit (s, "soak-log", env, TRUE);
      break;
    case 5:
      discard (call (s, s->svc, "org.freedesktop.DBus.Properties", "GetAll",
                     g_variant_new ("(s)", NAME ".Job")));
      break;
    case 6:
      discard (call (s, MANAGER, NAME, "GetHistory",
                     g_variant_new ("(tu)", (guint64) 0, 50)));
      break;
    case 7:
      emit (s, "soak-inst", env, TRUE);
      break;
    case 8:
      discard (call (s, s->logged, NAME ".Job", "GetLog",
                     g_variant_new ("(stu)", "", (guint64) 0, 4096)));
      break;
    default:
      if (i % 500 == 9)
        discard (call (s, MANAGER, NAME, "ReloadConfiguration", NULL));
      else
        discard (call (s, MANAGER, NAME, "GetAllJobs", NULL));
      break;
    }
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL ? (guint) atoi (value) : fallback;
}

/* Least-squares slope of @rss (KiB) over the sample index (one per 1,000 operations). */
static double
slope (const long *rss,
       guint       n)
{
  double mx = (n - 1) / 2.0, my = 0, num = 0, den = 0;

  for (guint i = 0; i < n; i++)
    my += rss[i] / (double) n;
  for (guint i = 0; i < n; i++)
    {
      num += (i - mx) * (rss[i] - my);
      den += (i - mx) * (i - mx);
    }
  return den > 0 ? num / den : 0;
}

int
main (int    argc,
      char **argv)
{
  const char *args[] = { "--no-startup-event", "--history-size", "2000", NULL };
  guint warmup = env_uint ("BENCH_SOAK_WARMUP", 5000), ops = env_uint ("BENCH_SOAK_OPS", 20000);
  guint n_samples = ops / 1000 + 1;
  g_autofree long *rss = g_new0 (long, n_samples);
  Soak s = { 0 };
  gint64 cpu0, wall0;
  int pid;

  g_test_init (&argc, &argv, NULL);
  g_assert (argc > 1);
  s.fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, argv[1]);
  bench_write_jobs (s.fx->confdir, 200);
  dbus_fixture_write_job (s.fx, "soak-task", "task\nstart on soak-task\nexec /bin/true\n");
  dbus_fixture_write_job (s.fx, "soak-svc", "exec sleep 100000\n");
  dbus_fixture_write_job (s.fx, "soak-log",
                          "task\nconsole log\nstart on soak-log\nexec echo line $N\n");
  dbus_fixture_write_job (s.fx, "soak-inst",
                          "task\ninstance $N\nstart on soak-inst\nexec /bin/true\n");
  dbus_fixture_start_initd (s.fx, args, NULL);
  pid = dbus_fixture_get_initd_pid (s.fx);
  s.svc = job_path (&s, "soak-svc");
  s.logged = job_path (&s, "soak-log");

  for (guint i = 0; i < warmup; i++)
    operate (&s, i);
  cpu0 = bench_pid_cpu_usec (pid);
  wall0 = g_get_monotonic_time ();
  rss[0] = bench_pid_rss_kib (pid);
  for (guint i = 0; i < ops; i++)
    {
      operate (&s, warmup + i);
      if ((i + 1) % 1000 == 0)
        rss[(i + 1) / 1000] = bench_pid_rss_kib (pid);
    }

  printf ("soak: %u operations after %u of warm-up, 200 jobs, %.1f s\n", ops, warmup,
          (g_get_monotonic_time () - wall0) / 1e6);
  printf ("  daemon RSS: %ld KiB -> %ld KiB\n", rss[0], rss[n_samples - 1]);
  printf ("  growth per 1,000 operations: %.1f KiB end to end, %.1f KiB slope\n",
          (rss[n_samples - 1] - rss[0]) / (double) (n_samples - 1), slope (rss, n_samples));
  printf ("  daemon CPU per operation: %.0f us\n",
          (bench_pid_cpu_usec (pid) - cpu0) / (double) ops);
  if (bench_calls_failed () > 0)
    printf ("  calls that failed: %u\n", bench_calls_failed ());
  dbus_fixture_stop_initd (s.fx);
  dbus_fixture_free (s.fx);
  g_free (s.svc);
  g_free (s.logged);
  return 0;
}
