/* bench-util.c — shared bits of the benchmarks */
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-util.h"
#include "init-engine.h"
#include "init-job-parse.h"

long
bench_rss_kib (void)
{
  return bench_pid_rss_kib (getpid ());
}

gint64
bench_cpu_usec (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (gint64) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * G_USEC_PER_SEC
         + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

gint64
bench_pid_cpu_usec (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  unsigned long utime = 0, stime = 0;
  const char *p;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (p = strrchr (stat, ')')) == NULL)
    return 0;
  /* after the command: state(3) ... utime(14) stime(15) */
  sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime);
  return (gint64) (utime + stime) * G_USEC_PER_SEC / sysconf (_SC_CLK_TCK);
}

long
bench_pid_rss_kib (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
bench_median (double *values,
              guint   n,
              double *min)
{
  qsort (values, n, sizeof (double), compare_doubles);
  if (min != NULL)
    *min = values[0];
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double
bench_bare_true_ms (guint n)
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

gboolean bench_small_jobs;

static char *
job_text (guint i)
{
  if (bench_small_jobs)
    return g_strdup_printf ("description \"Job %u\"\n"
                            "start on started dbus\n"
                            "exec /usr/bin/daemon-%u\n", i, i);
  return g_strdup_printf ("description \"benchmark job %u\"\n"
                          "start on ev-%u or (started job-%u and net-up IFACE=eth%u)\n"
                          "stop on halt\n"
                          "env NUMBER=%u\n"
                          "exec /bin/true\n", i, i, i / 2, i % 4, i);
}

void
bench_write_jobs (const char *dir,
                  guint       n)
{
  g_mkdir_with_parents (dir, 0755);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/job-%u.conf", dir, i);
      g_autofree char *text = job_text (i);

      g_file_set_contents (name, text, -1, NULL);
    }
}

void
bench_define_jobs (gpointer engine,
                   guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("job-%u", i);
      g_autofree char *text = job_text (i);
      g_autoptr(InitJobClass) klass = init_job_parse (name, NULL, text, -1, NULL, NULL, NULL);

      g_assert (klass != NULL);
      init_engine_set_class (engine, name, klass);
    }
}

static guint calls_failed;

void
bench_call_failed (const char   *what,
                   const GError *error)
{
  g_autofree char *name = g_dbus_error_get_remote_error (error);

  /* The first few in full, then one line every 1,000 (a refused flood is thousands). */
  if (calls_failed++ < 5 || calls_failed % 1000 == 0)
    printf ("  (%s failed, %u so far: %s: %s)\n", what, calls_failed,
            name != NULL ? name : g_quark_to_string (error->domain), error->message);
  fflush (stdout);
}

guint
bench_calls_failed (void)
{
  return calls_failed;
}
