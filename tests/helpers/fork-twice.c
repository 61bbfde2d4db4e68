/* fork-twice.c — a daemon in the daemon(3) manner, like a job with `expect daemon`
 *
 * Usage: fork-twice PIDFILE [CHILDFILE]
 * Forks; the parent exits 0.  The child calls setsid(), forks again and exits (after writing
 * its own pid to CHILDFILE when given).  The grandchild (the real service, in a session it
 * does not lead) writes its pid to PIDFILE and sleeps until killed.
 */
#include <sys/types.h>

#include "helper-util.h"

int
main (int    argc,
      char **argv)
{
  pid_t pid;

  if (argc != 2 && argc != 3)
    helper_usage ("fork-twice PIDFILE [CHILDFILE]");
  helper_default_signals ();

  pid = fork ();
  if (pid < 0)
    {
      perror ("fork");
      return 1;
    }
  if (pid > 0)
    return 0;

  if (setsid () < 0)
    perror ("setsid");
  if (argc == 3)
    helper_write (argv[2], "%d\n", (int) getpid ());
  pid = fork ();
  if (pid < 0)
    {
      perror ("fork");
      _exit (1);
    }
  if (pid > 0)
    _exit (0);

  helper_write (argv[1], "%d\n", (int) getpid ());
  helper_sleep_forever ();
}
