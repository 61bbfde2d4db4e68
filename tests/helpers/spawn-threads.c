/* spawn-threads.c — a process that creates (many) threads, which must never look like forks
 *
 * Usage: spawn-threads N PIDFILE [--fork-after]
 * Writes "PID\n" to PIDFILE, then creates N threads that exit at once (at most 100 alive at
 * a time: created in batches, each batch joined), then rewrites PIDFILE as
 * "PID\nthreads N\n".  With --fork-after it then forks one child that sleeps until killed
 * and rewrites PIDFILE as "PID\nthreads N\nCHILD\n"; the main process reaps that child when
 * it dies (so its exit is seen as a non-child's) and sleeps until killed.
 */
#include <pthread.h>
#include <errno.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "helper-util.h"

#define BATCH 100

static void *
thread_main (void *data)
{
  return data;
}

int
main (int    argc,
      char **argv)
{
  pthread_t threads[BATCH];
  long n, done = 0;
  pid_t child;

  if ((argc != 3 && argc != 4) || (argc == 4 && strcmp (argv[3], "--fork-after") != 0))
    helper_usage ("spawn-threads N PIDFILE [--fork-after]");
  helper_default_signals ();
  n = strtol (argv[1], NULL, 10);

  helper_write (argv[2], "%d\n", (int) getpid ());
  while (done < n)
    {
      long batch = n - done < BATCH ? n - done : BATCH;

      for (long i = 0; i < batch; i++)
        {
          int error = pthread_create (&threads[i], NULL, thread_main, NULL);

          if (error != 0)
            {
              fprintf (stderr, "pthread_create: %s\n", strerror (error));
              return 1;
            }
        }
      for (long i = 0; i < batch; i++)
        pthread_join (threads[i], NULL);
      done += batch;
    }

  if (argc == 3)
    {
      helper_write (argv[2], "%d\nthreads %ld\n", (int) getpid (), n);
      helper_sleep_forever ();
    }

  child = fork ();
  if (child < 0)
    {
      perror ("fork");
      return 1;
    }
  if (child == 0)
    helper_sleep_forever ();
  helper_write (argv[2], "%d\nthreads %ld\n%d\n", (int) getpid (), n, (int) child);
  while (waitpid (child, NULL, 0) < 0 && errno == EINTR)
    ;
  helper_sleep_forever ();
}
