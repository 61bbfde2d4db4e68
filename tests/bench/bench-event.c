/* bench-event.c — cost of an event no job names, as the number of loaded jobs grows
 *
 * DESIGN §6: the cost of an event is proportional to the jobs whose expressions name it, never
 * to the number of jobs loaded.  Prints one line per size: jobs, µs per event (wall), and the
 * same for an event every job names in `stop on` (nothing runs, so it stops nothing).
 */
#include <stdio.h>

#include "bench-util.h"
#include "init-engine.h"

#define EVENTS 20000

static double
time_events (InitEngine *engine,
             const char *name,
             guint       n)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      init_engine_emit (engine, name, NULL, NULL, NULL);
      init_engine_poll (engine);
    }
  return (double) (g_get_monotonic_time () - start) / n;
}

int
main (int argc, char **argv)
{
  const guint sizes[] = { 100, 1000, 10000, 100000 };

  printf ("%-8s %22s %22s\n", "jobs", "unnamed event (us)", "named, no start (us)");
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(InitEngine) engine = init_engine_new (NULL);
      double unnamed, named;

      bench_define_jobs (engine, sizes[s]);
      /* warm up */
      time_events (engine, "nobody-listens", EVENTS);
      unnamed = time_events (engine, "nobody-listens", EVENTS);
      /* `halt` is named by every job's `stop on`; nothing runs, so nothing stops */
      named = time_events (engine, "halt", MAX (10, 2000000 / sizes[s] / 10));
      printf ("%-8u %22.2f %22.2f\n", sizes[s], unnamed, named);
      fflush (stdout);
    }
  return 0;
}
