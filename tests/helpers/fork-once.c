/* fork-once.c — a daemon that forks once, like a job with `expect fork`
 *
 * Usage: fork-once PIDFILE
 * Forks; the parent exits 0 at once; the child (the real service: same session and process
 * group) writes its pid to PIDFILE and sleeps until killed.
 */
#include <sys/types.h>

#include "helper-util.h"

int
main (int    argc,
      char **argv)
{
  pid_t child;

  if (argc != 2)
    helper_usage ("fork-once PIDFILE");
  helper_default_signals ();

  child = fork ();
  if (child < 0)
    {
      perror ("fork");
      return 1;
    }
  if (child > 0)
    return 0;

  helper_write (argv[1], "%d\n", (int) getpid ());
  helper_sleep_forever ();
}
