/* bench-initctl.c — initctl as users run it: a new process per command, the real initd on a
 * private session bus
 *
 * Prints (issue 11's targets in brackets) min and median wall time per command, from spawn to
 * exit, the CPU initd spent and the messages it sent per command:
 *   - `initctl version' and `initctl status J'  [<= 2.5 ms]
 *   - `initctl emit' of an event that runs a `task' with `exec /bin/true'  [<= 4 ms]
 *   - `initctl start s' + `initctl stop s' of `exec sleep 1000'  [<= 8 ms]
 *   (against a daemon with just those jobs, plus /bin/true alone for scale)
 *   - `initctl list' with 5,000 jobs  [<= 50 ms]
 * Usage: bench-initctl BUS-CONFIG-TEMPLATE (with $INITD and $INITCTL set); meson passes all.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-util.h"
#include "bus-counter.h"
#include "dbus-fixture.h"

#define TASK "start on bench-task\ntask\nexec /bin/true\n"

extern char **environ;

typedef struct
{
  DBusFixture *fx;
  BusCounter  *counter;   /* NULL: no daemon */
} Target;

/* Run @argv to completion, stdout to /dev/null; milliseconds. */
static double
run_once (const char        *label,
          const char *const *argv)
{
  posix_spawn_file_actions_t actions;
  gint64 start = g_get_monotonic_time ();
  int status;
  pid_t pid;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  if (posix_spawn (&pid, argv[0], &actions, NULL, (char *const *) argv, environ) != 0)
    g_error ("cannot run %s", argv[0]);
  waitpid (pid, &status, 0);
  posix_spawn_file_actions_destroy (&actions);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s: exit status %d", label, status);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* @n runs of @argv (and @then, if given, after each: the two count as one run); min and
 * median wall time, and with a daemon its CPU and messages per run. */
static void
measure (Target            *target,
         const char        *label,
         guint              n,
         const char *const *argv,
         const char *const *then)
{
  g_autofree double *ms = g_new (double, n);
  int pid = target->fx != NULL ? dbus_fixture_get_initd_pid (target->fx) : 0;
  gint64 cpu = pid > 0 ? bench_pid_cpu_usec (pid) : 0;
  double min, median;
  guint messages = 0;

  if (target->counter != NULL)
    bus_counter_sync (target->counter, NULL);
  for (guint i = 0; i < n; i++)
    {
      ms[i] = run_once (label, argv);
      if (then != NULL)
        ms[i] += run_once (label, then);
    }
  if (target->counter != NULL)
    messages = bus_counter_sync (target->counter, NULL);
  median = bench_median (ms, n, &min);
  printf ("%-46s min %7.2f  median %7.2f ms", label, min, median);
  if (pid > 0)
    printf ("   initd: %6.3f ms CPU, %5.1f messages per run",
            (bench_pid_cpu_usec (pid) - cpu) / 1000.0 / n, (double) messages / n);
  printf ("\n");
  fflush (stdout);
}

static Target
start_daemon (const char *template,
              guint       n_jobs)
{
  const char *args[] = { "--no-startup-event", "--no-log", NULL };
  Target target = { dbus_fixture_new (DBUS_FIXTURE_SESSION, template), NULL };

  if (n_jobs > 0)
    bench_write_jobs (target.fx->confdir, n_jobs);
  dbus_fixture_write_job (target.fx, "bench-task", TASK);
  dbus_fixture_write_job (target.fx, "s", "exec sleep 1000\n");
  dbus_fixture_start_initd (target.fx, args, NULL);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", target.fx->address, TRUE);
  target.counter = bus_counter_new (target.fx, "org.example.Init");
  return target;
}

static void
stop_daemon (Target *target)
{
  bus_counter_free (target->counter);
  dbus_fixture_free (target->fx);
}

int
main (int    argc,
      char **argv)
{
  const char *initctl = g_getenv ("INITCTL");
  const char *list[] = { initctl, "--session", "list", NULL };
  const char *emit[] = { initctl, "--session", "emit", "bench-task", NULL };
  const char *version[] = { initctl, "--session", "version", NULL };
  const char *status[] = { initctl, "--session", "status", "bench-task", NULL };
  const char *start[] = { initctl, "--session", "start", "s", NULL };
  const char *stop[] = { initctl, "--session", "stop", "s", NULL };
  const char *bin_true[] = { "/bin/true", NULL };
  Target none = { NULL, NULL };
  Target target;

  if (argc != 2 || initctl == NULL || g_getenv ("INITD") == NULL)
    {
      fprintf (stderr, "usage: INITD=… INITCTL=… bench-initctl BUS-CONFIG-TEMPLATE\n");
      return 2;
    }

  /* The small commands against the two jobs alone, so the figure is initctl's and the
   * task's, not the cost of matching `started'/`stopped' against thousands of `start on'. */
  printf ("initctl against initd on a private session bus, 2 jobs loaded:\n");
  target = start_daemon (argv[1], 0);
  measure (&none, "/bin/true (process start-up, for scale)", 200, bin_true, NULL);
  measure (&target, "initctl version  [<= 2.5 ms]", 200, version, NULL);
  measure (&target, "initctl status bench-task  [<= 2.5 ms]", 200, status, NULL);
  measure (&target, "initctl emit (task: exec /bin/true)  [<= 4 ms]", 200, emit, NULL);
  measure (&target, "initctl start s + initctl stop s  [<= 8 ms]", 100, start, stop);
  stop_daemon (&target);

  printf ("5,002 jobs loaded:\n");
  target = start_daemon (argv[1], 5000);
  measure (&target, "initctl list  [<= 50 ms]", 10, list, NULL);
  stop_daemon (&target);
  return 0;
}
