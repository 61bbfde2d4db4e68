/* fork-children.c — a process that forks many short-lived children
 *
 * Usage: fork-children N PIDFILE
 * Writes "PID\n" to PIDFILE, forks N children one after another (each exits 0 at once and is
 * reaped before the next), then rewrites PIDFILE as "PID\nforks N\n" and sleeps until
 * killed.
 */
#include <errno.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "helper-util.h"

int
main (int    argc,
      char **argv)
{
  long n;

  if (argc != 3)
    helper_usage ("fork-children N PIDFILE");
  helper_default_signals ();
  n = strtol (argv[1], NULL, 10);

  helper_write (argv[2], "%d\n", (int) getpid ());
  for (long i = 0; i < n; i++)
    {
      pid_t child = fork ();

      if (child < 0)
        {
          perror ("fork");
          return 1;
        }
      if (child == 0)
        _exit (0);
      while (waitpid (child, NULL, 0) < 0 && errno == EINTR)
        ;
    }
  helper_write (argv[2], "%d\nforks %ld\n", (int) getpid (), n);
  helper_sleep_forever ();
}
