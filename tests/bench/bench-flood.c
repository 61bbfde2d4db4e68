/* bench-flood.c — what a refused-call flood costs everybody else (issue 15, items 2 and 5)
 *
 * initd --system on a private system bus with the project's bus policy and the real polkitd
 * (as test-hostile-auth): pkother floods Job.Start calls that polkit refuses
 * (tests/face/hostile-client: 125 unanswered per connection on up to 250 connections, the next
 * sent as each is answered, BENCH_FLOOD_CALLS in all, 40,000 by default: the flood).
 * Meanwhile, round after round until the flood is over, it times what others see:
 *   GetId        pkuser's `gdbus call` to the bus alone (initd not involved: the bus's share);
 *   read         root's Properties.Get of the manager's Version over a connection made before;
 *   start, stop  pkuser's `initctl --system start svc' and `stop svc' (polkit is asked).
 * The same probes with nobody flooding come first.  The bus is dbus-daemon, then dbus-broker
 * if it is installed (INIT_TEST_BUS, tests/fixtures/broker-launch.h); BENCH_FLOOD_BUS=NAME
 * measures only that one.  It prints the load average, the figures, and the CPU time the bus
 * and initd used; it never fails on timing.  Needs root (test users, polkitd).
 */
#define G_LOG_DOMAIN "bench-flood"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "dbus-fixture.h"
#include "polkit-fixture.h"
#include "test-util.h"

#define ROUNDS_QUIET 3
#define PROBES       5

static const char *const probe_names[PROBES] = { "GetId", "read", "start", "stop", "round" };

typedef struct
{
  DBusFixture   *fx;
  PolkitFixture *pk;
  GArray        *ms[PROBES];   /* double: one value per round */
} Bench;

/* @argv as @user, timed (milliseconds); a failure is printed and counts as -1. */
static double
run_ms (Bench             *b,
        const char        *user,
        const char *const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 t0 = g_get_monotonic_time ();
  int status = polkit_fixture_run_as (b->fx, user, argv, &out, &err);

  if (status != 0)
    {
      printf ("  %s as %s FAILED (%d): %s", argv[2], user, status, err);
      return -1;
    }
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static double
read_ms (Bench *b)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GVariant) v = dbus_fixture_call_ok (b->fx, "/org/example/Init",
                                                "org.freedesktop.DBus.Properties", "Get",
                                                g_variant_new ("(ss)", "org.example.Init", "Version"));

  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* One round of probes, appended to b->ms. */
static void
probe_round (Bench *b)
{
  const char *initctl = g_getenv ("INITCTL");
  const char *get_id[] = { "gdbus", "call", "--system", "--dest", "org.freedesktop.DBus",
                           "--object-path", "/org/freedesktop/DBus", "--method",
                           "org.freedesktop.DBus.GetId", NULL };
  const char *start[] = { initctl, "--system", "start", "svc", NULL };
  const char *stop[] = { initctl, "--system", "stop", "svc", NULL };
  gint64 t0 = g_get_monotonic_time ();
  double v[PROBES];

  v[0] = run_ms (b, "pkuser", get_id);
  v[1] = read_ms (b);
  v[2] = run_ms (b, "pkuser", start);
  v[3] = run_ms (b, "pkuser", stop);
  v[4] = (g_get_monotonic_time () - t0) / 1000.0;
  for (guint i = 0; i < PROBES; i++)
    g_array_append_val (b->ms[i], v[i]);
}

static void
print_rounds (Bench      *b,
              const char *label)
{
  printf ("  %s, ms per round:", label);
  for (guint i = 0; i < PROBES; i++)
    printf ("%s%s", i == 0 ? " " : " / ", probe_names[i]);
  printf ("\n");
  for (guint r = 0; r < b->ms[0]->len; r++)
    {
      printf ("   ");
      for (guint i = 0; i < PROBES; i++)
        printf (" %8.0f", g_array_index (b->ms[i], double, r));
      printf ("\n");
    }
  for (guint i = 0; i < PROBES - 1; i++)
    {
      double min = 0, median = bench_median ((double *) (gpointer) b->ms[i]->data, b->ms[i]->len, &min);
      double max = 0;

      for (guint r = 0; r < b->ms[i]->len; r++)
        max = MAX (max, g_array_index (b->ms[i], double, r));
      printf ("  %-6s min %7.0f  median %7.0f  max %7.0f ms\n", probe_names[i], min, median, max);
      g_array_set_size (b->ms[i], 0);
    }
  g_array_set_size (b->ms[PROBES - 1], 0);
}

static void
print_load (const char *when)
{
  g_autofree char *load = test_util_read_file ("/proc/loadavg");
  g_auto (GStrv) fields = g_strsplit (load != NULL ? load : "? ? ?", " ", 4);

  printf ("  load average %s: %s %s %s\n", when, fields[0], fields[1], fields[2]);
}

/* A running hostile-client. */
typedef struct
{
  GSubprocess *proc;
  gboolean     done;
} Flood;

static void
flood_exited (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  ((Flood *) user_data)->done = TRUE;
}

static void
measure_bus (const char *bus,
             const char *calls)
{
  g_autofree char *client = g_test_build_filename (G_TEST_BUILT, "face", "hostile-client", NULL);
  g_autofree char *conns = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                            MIN (250, (g_ascii_strtoull (calls, NULL, 10) + 124) / 125));
  const char *argv[] = { client, "--conns", conns, calls, "start", "svc", NULL };
  Bench b = { 0 };
  Flood flood = { 0 };
  gint64 t0, cpu_bus, cpu_initd;
  guint rounds = 0;

  g_setenv ("INIT_TEST_BUS", bus, TRUE);
  printf ("%s, %s refused calls:\n", bus, calls);
  print_load ("before");
  for (guint i = 0; i < PROBES; i++)
    b.ms[i] = g_array_new (FALSE, FALSE, sizeof (double));
  b.fx = polkit_fixture_new_system_bus ();
  b.pk = polkit_fixture_new (b.fx);
  dbus_fixture_write_job (b.fx, "svc", "exec sleep 100000\n");
  dbus_fixture_start_initd (b.fx, NULL, NULL);

  for (guint r = 0; r < ROUNDS_QUIET; r++)
    probe_round (&b);
  print_rounds (&b, "nobody flooding");

  cpu_bus = bench_pid_cpu_usec (dbus_fixture_get_bus_pid (b.fx));
  cpu_initd = bench_pid_cpu_usec (dbus_fixture_get_initd_pid (b.fx));
  t0 = g_get_monotonic_time ();
  flood.proc = polkit_fixture_spawn_as (b.fx, "pkother", argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_wait_async (flood.proc, NULL, flood_exited, &flood);
  while (!flood.done)
    {
      probe_round (&b);
      rounds++;
      g_main_context_iteration (NULL, FALSE);
    }
  print_rounds (&b, "pkother flooding (rounds started while the flood lasted)");
  printf ("  the flood lasted %.1f s; CPU: the bus %.1f s, initd %.1f s\n",
          (g_get_monotonic_time () - t0) / 1e6,
          (bench_pid_cpu_usec (dbus_fixture_get_bus_pid (b.fx)) - cpu_bus) / 1e6,
          (bench_pid_cpu_usec (dbus_fixture_get_initd_pid (b.fx)) - cpu_initd) / 1e6);
  print_load ("after");
  g_object_unref (flood.proc);
  polkit_fixture_free (b.pk);
  dbus_fixture_free (b.fx);
  for (guint i = 0; i < PROBES; i++)
    g_array_unref (b.ms[i]);
}

int
main (int    argc,
      char **argv)
{
  const char *calls = g_getenv ("BENCH_FLOOD_CALLS") != NULL ? g_getenv ("BENCH_FLOOD_CALLS") : "40000";
  const char *only = g_getenv ("BENCH_FLOOD_BUS");
  g_autofree char *broker = g_find_program_in_path ("dbus-broker-launch");

  g_test_init (&argc, &argv, NULL);
  if (only != NULL)
    measure_bus (only, calls);
  else
    {
      measure_bus ("dbus-daemon", calls);
      if (broker != NULL)
        measure_bus ("dbus-broker", calls);
      else
        printf ("dbus-broker: not installed, not measured\n");
    }
  return 0;
}
