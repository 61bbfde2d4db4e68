/* bench-dbus.c — the D-Bus face under load: a real initd on a private session bus
 *
 * Prints (issue 3's targets in brackets):
 *   - a waiting EmitEvent that runs a `task` with `exec /bin/true`, against a bare
 *     fork+exec+wait of /bin/true from C  [within 1.5x]
 *   - daemon CPU per no-wait event no job names, with 1,000 and 10,000 jobs  [< 25 us]
 *   - GetManagedObjects with 5,000 jobs  [< 100 ms]
 *   - daemon RSS with 5,000 jobs loaded and exported  [< 25 MB]
 * and where the time goes: the daemon's CPU per waiting emit and per GetManagedObjects (the
 * rest of a round trip is the bus and the client parsing the reply), and the same no-wait
 * event against bench-dbus-floor ($BENCH_DBUS_FLOOR), a bare GDBus service that only replies,
 * or replies and sends the four signals initd sends for every event.
 * Usage: bench-dbus BUS-CONFIG-TEMPLATE (with $INITD set); meson passes both.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-util.h"
#include "dbus-fixture.h"
#include "test-util.h"

#define NAME "org.example.Init"
#define MANAGER "/org/example/Init"

static GVariant *
call (DBusFixture *fx,
      const char  *iface,
      const char  *method,
      GVariant    *params)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = g_dbus_connection_call_sync (fx->connection, NAME, MANAGER, iface, method,
                                                 params, NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                                                 NULL, &error);

  if (reply == NULL)
    g_error ("%s: %s", method, error->message);
  return reply;
}

static void
emit (DBusFixture *fx,
      const char  *name,
      gboolean     wait)
{
  g_autoptr(GVariant) reply = call (fx, "org.example.Init", "EmitEvent",
                                    g_variant_new ("(s^asb)", name, (const char *[]) { NULL }, wait));
}

static DBusFixture *
start (const char *template,
       guint       n_jobs,
       const char *extra_job)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, template);
  const char *args[] = { "--no-startup-event", "--no-log", NULL };

  if (n_jobs > 0)
    bench_write_jobs (fx->confdir, n_jobs);
  if (extra_job != NULL)
    dbus_fixture_write_job (fx, "bench-task", extra_job);
  dbus_fixture_start_initd (fx, args, NULL);
  return fx;
}

/* bench-dbus-floor in initd's place, sending @n_signals signals per EmitEvent. */
static DBusFixture *
start_floor (const char *template,
             const char *floor,
             guint       n_signals)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, template);
  g_autofree char *initd = g_strdup (g_getenv ("INITD"));
  g_autofree char *signals = g_strdup_printf ("BENCH_FLOOR_SIGNALS=%u", n_signals);
  const char *env[] = { signals, NULL };

  g_setenv ("INITD", floor, TRUE);
  dbus_fixture_start_initd (fx, NULL, env);
  g_setenv ("INITD", initd, TRUE);
  return fx;
}

/* utime + stime of @pid in microseconds. */
static gint64
process_cpu_usec (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = test_util_read_file (path);
  const char *p = strrchr (stat, ')');
  unsigned long utime = 0, stime = 0;

  /* fields after the command: state(3) ... utime(14) stime(15) */
  sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime);
  return (gint64) (utime + stime) * G_USEC_PER_SEC / sysconf (_SC_CLK_TCK);
}

static long
process_rss_kib (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = test_util_read_file (path);
  const char *p = strstr (status, "VmRSS:");

  return p != NULL ? atol (p + 6) : -1;
}

static double
bare_true_ms (guint n)
{
  gint64 begin = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      pid_t pid = fork ();
      int status;

      if (pid == 0)
        {
          execl ("/bin/true", "true", NULL);
          _exit (127);
        }
      waitpid (pid, &status, 0);
    }
  return (g_get_monotonic_time () - begin) / 1000.0 / n;
}

static void
bench_waiting_emit (const char *template)
{
  DBusFixture *fx = start (template, 0, "start on run-task\ntask\nconsole none\nexec /bin/true\n");
  int pid = dbus_fixture_get_initd_pid (fx);
  const guint n = 200;
  gint64 begin, cpu;
  double emit_ms, bare_ms;

  for (guint i = 0; i < 10; i++)
    emit (fx, "run-task", TRUE);
  cpu = process_cpu_usec (pid);
  begin = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    emit (fx, "run-task", TRUE);
  emit_ms = (g_get_monotonic_time () - begin) / 1000.0 / n;
  cpu = process_cpu_usec (pid) - cpu;
  bare_true_ms (20);
  bare_ms = bare_true_ms (n);
  printf ("waiting EmitEvent running a task (exec /bin/true): %8.3f ms  (mean of %u)\n", emit_ms, n);
  printf ("bare fork+exec+wait of /bin/true from C:           %8.3f ms  (ratio %.2fx, target 1.5x)\n",
          bare_ms, emit_ms / bare_ms);
  printf ("  daemon CPU per waiting emit:                      %8.3f ms\n", cpu / 1000.0 / n);
  fflush (stdout);
  dbus_fixture_free (fx);
}

typedef struct
{
  guint pending;
} Flight;

static void
reply_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  if (reply == NULL)
    g_error ("EmitEvent: %s", error->message);
  ((Flight *) user_data)->pending--;
}

/* Daemon CPU per no-wait EmitEvent nobody names, pipelined as a busy client would send them
 * (at most 64 in flight). */
static double
event_cpu_usec (DBusFixture *fx)
{
  int pid = dbus_fixture_get_initd_pid (fx);
  const guint n = 5000;
  Flight flight = { 0 };
  gint64 before, after;

  for (guint i = 0; i < 100; i++)
    emit (fx, "nobody-listens", FALSE);
  before = process_cpu_usec (pid);
  for (guint i = 0; i < n; i++)
    {
      while (flight.pending >= 64)
        g_main_context_iteration (NULL, TRUE);
      flight.pending++;
      g_dbus_connection_call (fx->connection, NAME, MANAGER, "org.example.Init", "EmitEvent",
                              g_variant_new ("(s^asb)", "nobody-listens", (const char *[]) { NULL }, FALSE),
                              NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, reply_cb, &flight);
    }
  while (flight.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  /* the queue is FIFO: once this one finished, all of them had */
  emit (fx, "nobody-listens", TRUE);
  after = process_cpu_usec (pid);
  return (double) (after - before) / n;
}

static void
bench_event_cpu (const char *template,
                 guint       n_jobs)
{
  DBusFixture *fx = start (template, n_jobs, NULL);

  printf ("daemon CPU per no-wait event no job names, %5u jobs: %7.1f us  (target < 25 us)\n",
          n_jobs, event_cpu_usec (fx));
  fflush (stdout);
  dbus_fixture_free (fx);
}

/* The same against a bare GDBus service: the part of the above that is the bus library's. */
static void
bench_event_floor (const char *template)
{
  const char *floor = g_getenv ("BENCH_DBUS_FLOOR");
  const guint counts[] = { 0, 4 };

  if (floor == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      DBusFixture *fx = start_floor (template, floor, counts[i]);

      printf ("  %s %7.1f us\n",
              counts[i] == 0 ? "GDBus floor: a bare service that only replies:            "
                             : "GDBus floor: a bare service replying with the 4 signals: ",
              event_cpu_usec (fx));
      fflush (stdout);
      dbus_fixture_free (fx);
    }
}

static void
bench_managed_objects (const char *template)
{
  const guint n_jobs = 5000;
  DBusFixture *fx = start (template, n_jobs, NULL);
  int pid = dbus_fixture_get_initd_pid (fx);
  double best = G_MAXDOUBLE, total = 0;
  const guint runs = 5;
  long rss_before, rss_after;
  gint64 cpu = 0;

  rss_before = process_rss_kib (pid);
  for (guint i = 0; i < runs + 1; i++)
    {
      gint64 cpu_before = process_cpu_usec (pid);
      gint64 begin = g_get_monotonic_time ();
      g_autoptr(GVariant) reply = call (fx, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", NULL);
      double ms = (g_get_monotonic_time () - begin) / 1000.0;
      g_autoptr(GVariant) objects = g_variant_get_child_value (reply, 0);

      if (g_variant_n_children (objects) != n_jobs)
        g_error ("GetManagedObjects returned %zu objects", g_variant_n_children (objects));
      if (i == 0)
        continue;    /* warm-up */
      best = MIN (best, ms);
      total += ms;
      cpu += process_cpu_usec (pid) - cpu_before;
    }
  rss_after = process_rss_kib (pid);
  printf ("GetManagedObjects with %u jobs:                  %8.1f ms  (mean of %u, best %.1f; target < 100 ms)\n",
          n_jobs, total / runs, runs, best);
  printf ("  daemon CPU per GetManagedObjects:                 %8.1f ms  (the rest: bus and client)\n",
          cpu / 1000.0 / runs);
  printf ("daemon RSS with %u jobs exported:                %8.1f MB  (%.1f MB before any call; target < 25 MB)\n",
          n_jobs, rss_after / 1024.0, rss_before / 1024.0);
  fflush (stdout);
  dbus_fixture_free (fx);
}

int
main (int argc, char **argv)
{
  if (argc < 2 || g_getenv ("INITD") == NULL)
    {
      fprintf (stderr, "usage: INITD=path/to/initd %s BUS-CONFIG-TEMPLATE\n", argv[0]);
      return 2;
    }
  bench_waiting_emit (argv[1]);
  bench_event_cpu (argv[1], 1000);
  bench_event_cpu (argv[1], 10000);
  bench_event_floor (argv[1]);
  bench_managed_objects (argv[1]);
  return 0;
}
