/* initd-pty-keeper — holds the pty masters of `console log` jobs while initd is away
 *
 * initd starts one keeper per state file (when systemd's file-descriptor store is not
 * there) and hands it a copy of every pty master it reads (init-pty-store.h).  While initd is
 * connected the keeper only holds them: a job's terminal never hangs up, whatever happens
 * to the daemon.  When the connection ends without "quit" (initd was killed), the keeper
 * reads every master so the jobs never block, keeping at most KEEPER_BUFFER_MAX bytes per
 * pty (and KEEPER_TOTAL_MAX in all; the rest is counted as lost).  The next initd connects
 * and says "give": each pty comes back with what was read meanwhile, and initd writes that
 * to the log before it reads the pty again.
 *
 * The protocol, one SOCK_SEQPACKET record each (init-fd-passing.h):
 *   initd → keeper: "keep PID" + master, "forget PID", "give", "quit"
 *   keeper → initd: for "give", "pty PID LOST" + master [+ memfd with the output], then
 *                   "end"
 * The listening socket is fd 3; only the keeper's own user (or root) may connect.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#include "init-fd-passing.h"

#define KEEPER_LISTEN_FD  3
#define KEEPER_BUFFER_MAX (1024 * 1024)
#define KEEPER_TOTAL_MAX  (16 * 1024 * 1024)
/* Nobody came back and every job's terminal has hung up: give up after this long. */
#define KEEPER_ABANDON_USEC (60 * G_USEC_PER_SEC)

typedef struct
{
  pid_t       pid;
  int         master;
  GByteArray *output;   /* read while initd was away */
  guint64     lost;     /* read and dropped: the buffers were full */
  gboolean    hung_up;  /* no process has the terminal open any more */
} Pty;

static GPtrArray *ptys;
static gsize buffered;
static int client = -1;

static void
pty_free (gpointer data)
{
  Pty *pty = data;

  close (pty->master);
  buffered -= pty->output->len;
  g_byte_array_unref (pty->output);
  g_free (pty);
}

static void
forget (pid_t pid)
{
  for (guint i = ptys->len; i > 0; i--)
    if (((Pty *) g_ptr_array_index (ptys, i - 1))->pid == pid)
      g_ptr_array_remove_index_fast (ptys, i - 1);
}

static void
keep (pid_t pid,
      int   master)
{
  Pty *pty = g_new0 (Pty, 1);

  forget (pid);
  pty->pid = pid;
  pty->master = master;
  pty->output = g_byte_array_new ();
  g_ptr_array_add (ptys, pty);
}

/* What the job wrote, so it never blocks nor sees its terminal hang up. */
static void
drain (Pty *pty)
{
  char chunk[16 * 1024];
  gssize n;

  while ((n = read (pty->master, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
    {
      gsize room = MIN (KEEPER_BUFFER_MAX - MIN (pty->output->len, KEEPER_BUFFER_MAX),
                        KEEPER_TOTAL_MAX - MIN (buffered, KEEPER_TOTAL_MAX));
      gsize kept = MIN ((gsize) MAX (n, 0), room);

      g_byte_array_append (pty->output, (guint8 *) chunk, kept);
      buffered += kept;
      pty->lost += MAX (n, 0) - kept;
    }
  if (n == 0 || (n < 0 && errno != EAGAIN))
    pty->hung_up = TRUE;
}

/* What was read meanwhile, in a memfd at offset 0, or -1 if nothing. */
static int
output_fd (Pty *pty)
{
  int fd;

  if (pty->output->len == 0)
    return -1;
  fd = memfd_create ("initd-pty-output", MFD_CLOEXEC);
  if (fd < 0)
    return -1;
  if (write (fd, pty->output->data, pty->output->len) != (gssize) pty->output->len
      || lseek (fd, 0, SEEK_SET) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static void
give (void)
{
  for (guint i = 0; i < ptys->len; i++)
    {
      Pty *pty = g_ptr_array_index (ptys, i);
      g_autofree char *text = g_strdup_printf ("pty %d %" G_GUINT64_FORMAT, (int) pty->pid,
                                               pty->lost);
      int fds[2] = { pty->master, output_fd (pty) };

      if (init_fd_send (client, NULL, text, fds, fds[1] >= 0 ? 2 : 1))
        {
          buffered -= pty->output->len;
          g_byte_array_set_size (pty->output, 0);
          pty->lost = 0;
        }
      if (fds[1] >= 0)
        close (fds[1]);
    }
  init_fd_send (client, NULL, "end", NULL, 0);
}

/* One message from initd; FALSE: it quit. */
static gboolean
handle (const char *text,
        int        *fds,
        guint       n_fds)
{
  int pid;

  if (sscanf (text, "keep %d", &pid) == 1 && n_fds == 1 && pid > 0)
    {
      keep (pid, fds[0]);
      return TRUE;
    }
  for (guint i = 0; i < n_fds; i++)
    close (fds[i]);
  if (sscanf (text, "forget %d", &pid) == 1)
    forget (pid);
  else if (strcmp (text, "give") == 0)
    give ();
  else if (strcmp (text, "quit") == 0)
    return FALSE;
  return TRUE;
}

/* A new initd: only our own user (or root) may take the ptys. */
static void
accept_client (void)
{
  struct ucred cred;
  socklen_t length = sizeof cred;
  int fd = accept4 (KEEPER_LISTEN_FD, NULL, NULL, SOCK_CLOEXEC);

  if (fd < 0)
    return;
  if (getsockopt (fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) < 0
      || (cred.uid != 0 && cred.uid != getuid ()))
    {
      close (fd);
      return;
    }
  if (client >= 0)
    close (client);
  client = fd;
}

static gboolean
all_hung_up (void)
{
  for (guint i = 0; i < ptys->len; i++)
    if (!((Pty *) g_ptr_array_index (ptys, i))->hung_up)
      return FALSE;
  return TRUE;
}

/* Read one message from initd; it went away (or quit: FALSE) at the end. */
static gboolean
serve_client (void)
{
  char text[INIT_FD_PASSING_MAX_TEXT];
  int fds[INIT_FD_PASSING_MAX_FDS];
  guint n_fds;
  gssize length = init_fd_receive (client, text, fds, &n_fds);

  if (length > 0)
    return handle (text, fds, n_fds);
  close (client);
  client = -1;
  return TRUE;
}

/* No initd for a long while and no job left to hold a terminal for: nothing to keep.  (Not
 * before the first initd came: the one that started us connects right after.) */
static gboolean
abandoned (gboolean had_client)
{
  static gint64 since;
  gint64 now = g_get_monotonic_time ();

  if (client >= 0 || !had_client || !all_hung_up ())
    {
      since = 0;
      return FALSE;
    }
  since = since != 0 ? since : now;
  return ptys->len == 0 || now - since > KEEPER_ABANDON_USEC;
}

int
main (int    argc,
      char **argv)
{
  g_autofree struct pollfd *polled = NULL;
  gboolean had_client = FALSE;

  signal (SIGPIPE, SIG_IGN);
  signal (SIGHUP, SIG_IGN);
  /* Out of initd's session: what ends the daemon's process group leaves us be. */
  setsid ();
  ptys = g_ptr_array_new_with_free_func (pty_free);
  while (!abandoned (had_client))
    {
      gboolean away = client < 0;
      guint n = 0, first_pty;

      /* Away: read the jobs' output.  Back: only hold the masters. */
      polled = g_renew (struct pollfd, polled, ptys->len + 2);
      polled[n++] = (struct pollfd) { KEEPER_LISTEN_FD, POLLIN, 0 };
      if (!away)
        polled[n++] = (struct pollfd) { client, POLLIN, 0 }
      ;
      first_pty = n;
      for (guint i = 0; away && i < ptys->len; i++)
        {
          Pty *pty = g_ptr_array_index (ptys, i);

          polled[n++] = (struct pollfd) { pty->hung_up ? -1 : pty->master, POLLIN, 0 };
        }
      if (poll (polled, n, 1000) < 0 && errno != EINTR)
        return 1;

      for (guint i = 0; away && first_pty + i < n; i++)
        if (polled[first_pty + i].revents != 0)
          drain (g_ptr_array_index (ptys, i));
      if (!away && polled[1].revents != 0 && !serve_client ())
        return 0;
      if (polled[0].revents & POLLIN)
        {
          accept_client ();
          had_client = had_client || client >= 0;
        }
    }
  return 0;
}
