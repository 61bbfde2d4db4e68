/* bench-load.c — loading 5,000 small job files: time and memory
 *
 * Prints wall time and CPU time of the initial load, RSS growth, and the CPU cost of a change
 * to one file with 10 and with 10,000 jobs loaded (it must not grow with the job count).
 */
#include <glib/gstdio.h>
#include <stdio.h>

#include "bench-util.h"
#include "init-engine.h"

static void
on_job_changed (InitEngine *engine, gpointer entry, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
changed_at_least (guint *counter, guint target, gint64 timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  while (*counter < target && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return *counter >= target;
}

static void
measure_one_file_change (guint n)
{
  g_autofree char *dir = g_dir_make_tmp ("init-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "job-0.conf", NULL);
  g_autoptr(InitEngine) engine = NULL;
  guint changed = 0;
  const guint rounds = 20;
  gint64 cpu_before, cpu_total = 0;

  bench_write_jobs (dir, n);
  engine = init_engine_new (NULL);
  init_engine_add_conf_dir (engine, dir);
  init_engine_load (engine, TRUE, NULL);
  g_signal_connect (engine, "job-changed", G_CALLBACK (on_job_changed), &changed);

  for (guint r = 0; r < rounds; r++)
    {
      g_autofree char *text = g_strdup_printf ("description \"edit %u\"\nstart on ev-0\n", r);

      cpu_before = bench_cpu_usec ();
      g_file_set_contents (path, text, -1, NULL);
      if (!changed_at_least (&changed, r + 1, 10 * G_USEC_PER_SEC))
        {
          printf ("change %u not seen\n", r);
          break;
        }
      cpu_total += bench_cpu_usec () - cpu_before;
    }
  printf ("one-file change with %5u jobs: %8.1f us CPU per change\n", n, (double) cpu_total / rounds);
  g_clear_object (&engine);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *p = g_strdup_printf ("%s/job-%u.conf", dir, i);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static void
measure_load (guint n)
{
  g_autofree char *dir = g_dir_make_tmp ("init-bench-XXXXXX", NULL);
  g_autoptr(InitEngine) engine = NULL;
  long rss_before, rss_after;
  gint64 wall, cpu;

  bench_write_jobs (dir, n);
  rss_before = bench_rss_kib ();
  wall = g_get_monotonic_time ();
  cpu = bench_cpu_usec ();
  engine = init_engine_new (NULL);
  init_engine_add_conf_dir (engine, dir);
  init_engine_load (engine, FALSE, NULL);
  wall = g_get_monotonic_time () - wall;
  cpu = bench_cpu_usec () - cpu;
  rss_after = bench_rss_kib ();
  printf ("load %u %s job files: %.1f ms wall, %.1f ms CPU, RSS %+ld KiB (total %ld KiB), %u jobs\n",
          n, bench_small_jobs ? "small" : "5-line", wall / 1000.0, cpu / 1000.0,
          rss_after - rss_before, rss_after, init_engine_get_n_jobs (engine));
  g_clear_object (&engine);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *p = g_strdup_printf ("%s/job-%u.conf", dir, i);
      g_unlink (p);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  /* Each load in a fresh process would be cleaner; instead the small load runs first, so its
   * RSS is not inflated by memory the larger one freed. */
  bench_small_jobs = TRUE;
  measure_load (5000);
  bench_small_jobs = FALSE;
  measure_load (5000);

  measure_one_file_change (10);
  measure_one_file_change (10000);
  return 0;
}
