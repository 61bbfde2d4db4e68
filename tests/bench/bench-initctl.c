/* bench-initctl.c — initctl as users run it: a new process per command, the real initd on a
 * private session bus
 *
 * Prints (issue 4's targets in brackets), mean and median wall time per command, from spawn
 * to exit:
 *   - `initctl list' with 5,000 jobs  [< 100 ms]
 *   - `initctl emit' of an event that runs a `task' with `exec /bin/true'  [< 4 ms]
 *   - `initctl version'  [< 3 ms]
 *   (these two against a daemon with just that task, plus /bin/true alone for scale)
 * and, for list and emit, the CPU time initd spent per command (its share of the work).
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
#include "dbus-fixture.h"

#define TASK "start on bench-task\ntask\nexec /bin/true\n"

extern char **environ;

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Spawn @argv @n times, one after the other, stdout to /dev/null; prints mean and median. */
static void
measure (const char         *label,
         guint               n,
         const char * const *argv)
{
  posix_spawn_file_actions_t actions;
  g_autofree double *ms = g_new (double, n);
  double sum = 0;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      int status;
      pid_t pid;

      if (posix_spawn (&pid, argv[0], &actions, NULL, (char * const *) argv, environ) != 0)
        g_error ("cannot run %s", argv[0]);
      waitpid (pid, &status, 0);
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        g_error ("%s: exit status %d", label, status);
      ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      sum += ms[i];
    }
  posix_spawn_file_actions_destroy (&actions);
  qsort (ms, n, sizeof (double), compare_doubles);
  printf ("%-44s mean %8.2f ms   median %8.2f ms   (%u runs)\n", label, sum / n, ms[n / 2], n);
  fflush (stdout);
}

/* utime + stime of @pid, in milliseconds. */
static double
process_cpu_ms (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  unsigned long utime = 0, stime = 0;
  const char *p;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (p = strrchr (stat, ')')) == NULL)
    return 0;
  /* after the command: state(3) … utime(14) stime(15) */
  sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime);
  return (utime + stime) * 1000.0 / sysconf (_SC_CLK_TCK);
}

/* measure(), and how much CPU initd spent per run meanwhile. */
static void
measure_with_daemon (DBusFixture        *fx,
                     const char         *label,
                     guint               n,
                     const char * const *argv)
{
  int pid = dbus_fixture_get_initd_pid (fx);
  double before = process_cpu_ms (pid);

  measure (label, n, argv);
  printf ("%-44s      %8.2f ms CPU in initd per run\n", "", (process_cpu_ms (pid) - before) / n);
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  const char *initctl = g_getenv ("INITCTL");
  const char *args[] = { "--no-startup-event", "--no-log", NULL };
  const char *list[] = { initctl, "--session", "list", NULL };
  const char *emit[] = { initctl, "--session", "emit", "bench-task", NULL };
  const char *version[] = { initctl, "--session", "version", NULL };
  const char *bin_true[] = { "/bin/true", NULL };
  DBusFixture *fx;

  if (argc != 2 || initctl == NULL || g_getenv ("INITD") == NULL)
    {
      fprintf (stderr, "usage: INITD=… INITCTL=… bench-initctl BUS-CONFIG-TEMPLATE\n");
      return 2;
    }

  /* list: 5,000 jobs (and the task). */
  fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, argv[1]);
  bench_write_jobs (fx->confdir, 5000);
  dbus_fixture_write_job (fx, "bench-task", TASK);
  dbus_fixture_start_initd (fx, args, NULL);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", fx->address, TRUE);
  printf ("initctl against initd on a private session bus\n");
  printf ("5,001 jobs loaded:\n");
  measure_with_daemon (fx, "initctl list  [< 100 ms]", 10, list);
  dbus_fixture_free (fx);

  /* emit and version: the task alone, so the figure is initctl's and the task's, not the
   * cost of matching `started'/`stopped' against thousands of `start on' expressions. */
  fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, argv[1]);
  dbus_fixture_write_job (fx, "bench-task", TASK);
  dbus_fixture_start_initd (fx, args, NULL);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", fx->address, TRUE);
  printf ("1 job loaded:\n");
  measure_with_daemon (fx, "initctl emit (task: exec /bin/true)  [< 4 ms]", 300, emit);
  measure ("initctl version  [< 3 ms]", 300, version);
  measure ("/bin/true (process start-up, for scale)", 300, bin_true);
  dbus_fixture_free (fx);
  return 0;
}
