/* leave-strays.c — a service that leaks a stray out of its process group and session
 *
 * Usage: leave-strays PIDFILE
 * The main process forks a child, which calls setsid() and forks a grandchild, writes
 * "MAIN\nCHILD\nGRANDCHILD\n" to PIDFILE and exits.  The grandchild, now in a session and
 * process group of its own and orphaned (re-parented to the nearest subreaper), sleeps until
 * killed; so does the main process, in the foreground, after reaping the child.
 */
#include <errno.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "helper-util.h"

int
main (int    argc,
      char **argv)
{
  pid_t child, grandchild;

  if (argc != 2)
    helper_usage ("leave-strays PIDFILE");
  helper_default_signals ();

  child = fork ();
  if (child < 0)
    {
      perror ("fork");
      return 1;
    }
  if (child == 0)
    {
      if (setsid () < 0)
        perror ("setsid");
      grandchild = fork ();
      if (grandchild < 0)
        {
          perror ("fork");
          _exit (1);
        }
      if (grandchild == 0)
        helper_sleep_forever ();
      helper_write (argv[1], "%d\n%d\n%d\n", (int) getppid (), (int) getpid (),
                    (int) grandchild);
      _exit (0);
    }
  while (waitpid (child, NULL, 0) < 0 && errno == EINTR)
    ;
  helper_sleep_forever ();
}
