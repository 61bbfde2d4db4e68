/* bench-util.c — shared bits of the benchmarks */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "bench-util.h"
#include "init-engine.h"
#include "init-job-parse.h"

long
bench_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

gint64
bench_cpu_usec (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (gint64) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * G_USEC_PER_SEC
         + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
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
