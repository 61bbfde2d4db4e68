/* accept-answer.c — a socket-activated service, like a job started by a `socket' event
 *
 * Usage: accept-answer [--stay] TEXT
 * Accepts one connection on each descriptor $UPSTART_FDS names (space-separated numbers),
 * writes TEXT and a newline to it and closes it; with --stay it then sleeps until killed
 * (a service that keeps running), otherwise it exits 0.
 */
#include <sys/socket.h>

#include "helper-util.h"

int
main (int    argc,
      char **argv)
{
  const char *fds = getenv ("UPSTART_FDS");
  int stay = argc == 3 && strcmp (argv[1], "--stay") == 0;
  const char *text = argv[argc - 1];
  char *end;

  if (argc != 2 + stay)
    helper_usage ("accept-answer [--stay] TEXT");
  helper_default_signals ();
  if (fds == NULL || *fds == '\0')
    {
      fprintf (stderr, "accept-answer: no UPSTART_FDS\n");
      return 1;
    }
  for (long fd = strtol (fds, &end, 10); end != fds; fd = strtol (fds = end, &end, 10))
    {
      int conn = accept ((int) fd, NULL, NULL);

      if (conn < 0)
        {
          perror ("accept-answer: accept");
          return 1;
        }
      if (write (conn, text, strlen (text)) < 0 || write (conn, "\n", 1) < 0)
        perror ("accept-answer: write");
      close (conn);
    }
  while (stay)
    pause ();
  return 0;
}
