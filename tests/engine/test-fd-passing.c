/* test-fd-passing.c — text with descriptors over a unix socket (the pty keeper's protocol) */
#define G_LOG_DOMAIN "init-test"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "init-fd-passing.h"
#include "test-util.h"

static void
seqpacket_pair (int fds[2])
{
  g_assert_no_errno (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds));
}

static guint
open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* A message without descriptors arrives as its text, NUL-terminated. */
static void
test_text_only (void)
{
  int sv[2];
  char text[INIT_FD_PASSING_MAX_TEXT];
  int fds[INIT_FD_PASSING_MAX_FDS];
  guint n_fds = 99;

  seqpacket_pair (sv);
  g_assert_true (init_fd_send (sv[0], NULL, "keep 1234", NULL, 0));
  g_assert_cmpint (init_fd_receive (sv[1], text, fds, &n_fds), ==, 9);
  g_assert_cmpstr (text, ==, "keep 1234");
  g_assert_cmpuint (n_fds, ==, 0);
  close (sv[0]);
  close (sv[1]);
}

/* Descriptors arrive as new ones (close-on-exec) for the same open files. */
static void
test_descriptors (void)
{
  int sv[2], pipe_a[2], pipe_b[2];
  char text[INIT_FD_PASSING_MAX_TEXT];
  int fds[INIT_FD_PASSING_MAX_FDS];
  guint n_fds = 0;
  char byte = 0;

  seqpacket_pair (sv);
  g_assert_no_errno (pipe (pipe_a));
  g_assert_no_errno (pipe (pipe_b));
  g_assert_true (init_fd_send (sv[0], NULL, "two", (int[]) { pipe_a[0], pipe_b[1] }, 2));
  g_assert_cmpint (init_fd_receive (sv[1], text, fds, &n_fds), ==, 3);
  g_assert_cmpuint (n_fds, ==, 2);
  g_assert_cmpint (fds[0], !=, pipe_a[0]);
  g_assert_cmpint (fds[1], !=, pipe_b[1]);
  g_assert_cmpint (fcntl (fds[0], F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);
  g_assert_cmpint (fcntl (fds[1], F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);

  /* The received read end reads what goes into pipe a; the received write end feeds b. */
  g_assert_cmpint (write (pipe_a[1], "a", 1), ==, 1);
  g_assert_cmpint (read (fds[0], &byte, 1), ==, 1);
  g_assert_cmpint (byte, ==, 'a');
  g_assert_cmpint (write (fds[1], "b", 1), ==, 1);
  g_assert_cmpint (read (pipe_b[0], &byte, 1), ==, 1);
  g_assert_cmpint (byte, ==, 'b');

  for (guint i = 0; i < 2; i++)
    {
      close (fds[i]);
      close (pipe_a[i]);
      close (pipe_b[i]);
      close (sv[i]);
    }
}

/* The peer closing is the end of the stream: 0, no descriptors. */
static void
test_end_of_stream (void)
{
  int sv[2];
  char text[INIT_FD_PASSING_MAX_TEXT];
  int fds[INIT_FD_PASSING_MAX_FDS];
  guint n_fds = 7;

  seqpacket_pair (sv);
  close (sv[0]);
  g_assert_cmpint (init_fd_receive (sv[1], text, fds, &n_fds), ==, 0);
  g_assert_cmpuint (n_fds, ==, 0);
  g_assert_cmpstr (text, ==, "");
  close (sv[1]);
}

/* Sending to a peer that is gone fails with EPIPE (and no SIGPIPE ends the sender). */
static void
test_peer_gone (void)
{
  int sv[2];

  seqpacket_pair (sv);
  close (sv[1]);
  errno = 0;
  g_assert_false (init_fd_send (sv[0], NULL, "anyone?", NULL, 0));
  g_assert_cmpint (errno, ==, EPIPE);
  close (sv[0]);
}

/* A datagram to a socket's path, and to an abstract name ("@…"), arrives there. */
static void
test_datagram_paths (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "keeper.sock", NULL);
  g_autofree char *abstract = g_strdup_printf ("@init-test-fd-passing-%d", (int) getpid ());
  const char *const names[] = { path, abstract };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      struct sockaddr_un addr = { .sun_family = AF_UNIX };
      socklen_t length = offsetof (struct sockaddr_un, sun_path) + strlen (names[i]);
      int server = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      int client = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      char text[INIT_FD_PASSING_MAX_TEXT];
      int fds[INIT_FD_PASSING_MAX_FDS];
      guint n_fds = 0;

      memcpy (addr.sun_path, names[i], strlen (names[i]));
      if (names[i][0] == '@')
        addr.sun_path[0] = '\0';
      else
        length++;
      g_assert_no_errno (bind (server, (struct sockaddr *) &addr, length));
      g_assert_true (init_fd_send (client, names[i], "FDSTORE=1", (int[]) { STDERR_FILENO }, 1));
      g_assert_cmpint (init_fd_receive (server, text, fds, &n_fds), ==, 9);
      g_assert_cmpstr (text, ==, "FDSTORE=1");
      g_assert_cmpuint (n_fds, ==, 1);
      close (fds[0]);
      close (server);
      close (client);
    }
  test_util_rm_rf (dir);
}

/* An address that does not fit (or is empty) is refused before anything is sent. */
static void
test_bad_address (void)
{
  g_autofree char *long_path = g_strnfill (sizeof ((struct sockaddr_un *) NULL)->sun_path, 'x');
  int sock = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  errno = 0;
  g_assert_false (init_fd_send (sock, long_path, "x", NULL, 0));
  g_assert_cmpint (errno, ==, ENAMETOOLONG);
  errno = 0;
  g_assert_false (init_fd_send (sock, "", "x", NULL, 0));
  g_assert_cmpint (errno, ==, ENAMETOOLONG);
  close (sock);
}

/* A longer message is cut to INIT_FD_PASSING_MAX_TEXT - 1 bytes, NUL-terminated. */
static void
test_long_text_cut (void)
{
  int sv[2];
  g_autofree char *big = g_strnfill (INIT_FD_PASSING_MAX_TEXT + 100, 'y');
  char text[INIT_FD_PASSING_MAX_TEXT];
  int fds[INIT_FD_PASSING_MAX_FDS];
  guint n_fds = 0;

  seqpacket_pair (sv);
  g_assert_true (init_fd_send (sv[0], NULL, big, NULL, 0));
  g_assert_cmpint (init_fd_receive (sv[1], text, fds, &n_fds), ==, INIT_FD_PASSING_MAX_TEXT - 1);
  g_assert_cmpuint (strlen (text), ==, INIT_FD_PASSING_MAX_TEXT - 1);
  close (sv[0]);
  close (sv[1]);
}

/* A peer that sends more descriptors than the protocol allows: the first ones are taken,
 * the rest closed at once (none leaks). */
static void
test_extra_descriptors_closed (void)
{
  enum { SENT = INIT_FD_PASSING_MAX_FDS + 2 };
  int sv[2], sent[SENT];
  union
  {
    struct cmsghdr header;
    char           space[CMSG_SPACE (sizeof (int) * SENT)];
  } control;
  struct iovec iov = { (void *) "many", 4 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space,
                        .msg_controllen = sizeof control.space };
  struct cmsghdr *cmsg;
  char text[INIT_FD_PASSING_MAX_TEXT];
  int fds[INIT_FD_PASSING_MAX_FDS];
  guint n_fds = 0, before;

  seqpacket_pair (sv);
  for (guint i = 0; i < SENT; i++)
    sent[i] = STDERR_FILENO;
  memset (&control, 0, sizeof control);
  cmsg = CMSG_FIRSTHDR (&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof sent);
  memcpy (CMSG_DATA (cmsg), sent, sizeof sent);
  g_assert_cmpint (sendmsg (sv[0], &msg, MSG_NOSIGNAL), ==, 4);

  before = open_fds ();
  g_assert_cmpint (init_fd_receive (sv[1], text, fds, &n_fds), ==, 4);
  g_assert_cmpuint (n_fds, ==, INIT_FD_PASSING_MAX_FDS);
  g_assert_cmpuint (open_fds (), ==, before + INIT_FD_PASSING_MAX_FDS);
  for (guint i = 0; i < n_fds; i++)
    close (fds[i]);
  close (sv[0]);
  close (sv[1]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/fd-passing/text-only", test_text_only);
  g_test_add_func ("/engine/fd-passing/descriptors", test_descriptors);
  g_test_add_func ("/engine/fd-passing/end-of-stream", test_end_of_stream);
  g_test_add_func ("/engine/fd-passing/peer-gone", test_peer_gone);
  g_test_add_func ("/engine/fd-passing/datagram-paths", test_datagram_paths);
  g_test_add_func ("/engine/fd-passing/bad-address", test_bad_address);
  g_test_add_func ("/engine/fd-passing/long-text-cut", test_long_text_cut);
  g_test_add_func ("/engine/fd-passing/extra-descriptors-closed", test_extra_descriptors_closed);
  return g_test_run ();
}
