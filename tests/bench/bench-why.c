/* bench-why.c — the cost of Why and WhyNot with 5,000 jobs and a full history
 *
 * A chain of three abstract jobs started first, then the history filled to its 10,000
 * records with events no job waits for, so the chain's records are the oldest: Why walks the
 * whole ring for each link (its worst case).  Also Why of an instance the history never saw
 * (one full walk, no match) and WhyNot of a job with a missing `start on' event (the
 * producers: every job's `emits').  Prints medians; never fails on timing.
 */
#include <stdio.h>

#include "bench-util.h"
#include "init-engine.h"
#include "init-history.h"
#include "init-job-parse.h"
#include "init-why.h"

#define JOBS 5000
#define ROUNDS 50

static void
define (InitEngine *engine,
        const char *name,
        const char *text)
{
  g_autoptr(InitJobClass) klass = init_job_parse (name, NULL, text, -1, NULL, NULL, NULL);

  init_engine_set_class (engine, name, klass);
}

static double
time_why (InitHistory *history,
          const char  *job,
          guint       *links)
{
  double ms[ROUNDS];

  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) chain = init_why (history, job, "");

      ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      *links = chain->len;
    }
  return bench_median (ms, ROUNDS, NULL);
}

int
main (void)
{
  g_autoptr(InitEngine) engine = init_engine_new (NULL);
  g_autoptr(InitHistory) history = init_history_new (engine, 0);
  double ms[ROUNDS], median;
  guint links = 0;

  bench_define_jobs (engine, JOBS);
  define (engine, "a", "start on go\n");
  define (engine, "b", "start on started a\n");
  define (engine, "c", "start on started b\n");
  define (engine, "w", "start on go and never-emitted\n");
  init_engine_emit (engine, "go", NULL, NULL, NULL);
  init_engine_poll (engine);
  for (guint i = 0; init_history_get_length (history) < init_history_get_size (history); i++)
    {
      init_engine_emit (engine, "noise", NULL, NULL, NULL);
      init_engine_poll (engine);
    }
  printf ("%u jobs, %u history records\n", init_engine_get_n_jobs (engine),
          init_history_get_length (history));
  median = time_why (history, "c", &links);
  printf ("Why (chain of 3 jobs, oldest records): %8.2f ms median (%u links)\n", median, links);
  median = time_why (history, "job-1", &links);
  printf ("Why (no record, a full walk):          %8.2f ms median (%u links)\n", median, links);
  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(InitWhyNot) why_not = init_why_not (engine, history, NULL, "w", NULL);

      ms[r] = (g_get_monotonic_time () - start) / 1000.0;
    }
  printf ("WhyNot (a missing leaf, 5,000 jobs):   %8.2f ms median\n",
          bench_median (ms, ROUNDS, NULL));
  return 0;
}
