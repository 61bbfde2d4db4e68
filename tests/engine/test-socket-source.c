/* test-socket-source.c — `socket' events from real sockets, armed by what jobs wait for
 *
 * The engine in-process with the real sources (init-sources.c, init-socket-source.c): jobs
 * wait for `socket PROTO=… …', the test connects over TCP on loopback and over unix sockets,
 * the job (tests/helpers/accept-answer) accept()s on $UPSTART_FDS and answers, and the test
 * reads the answer.  It also checks which sockets are bound (none while no job names one),
 * that the descriptor reaches no other job, and that a port in use is reported once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "init-reaper.h"
#include "init-socket-source.h"
#include "sources-fixture.h"
#include "test-util.h"

typedef SourcesFixture F;

#define f_setup sources_fixture_setup
#define f_teardown sources_fixture_teardown
#define define sources_fixture_define
#define helper sources_fixture_helper

/* The listening sockets once the sources followed the jobs, joined by commas. */
static char *
listening (F *f)
{
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GPtrArray) list = NULL;

  init_sources_update (f->sources);
  sources = init_sources_list (f->sources);
  for (guint i = 0; i < sources->len && list == NULL; i++)
    {
      InitSource *source = g_ptr_array_index (sources, i);
      if (g_str_equal (source->name, "socket"))
        list = init_socket_source_list ((InitSocketSource *) source);
    }
  g_assert_nonnull (list);

  g_ptr_array_add (list, NULL);
  return g_strjoinv (",", (char **) list->pdata);
}

static struct sockaddr_in
loopback (guint port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port) };

  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  return sin;
}

/* A TCP socket bound to 127.0.0.1:@port (0: any), listening if @do_listen, or -1. */
static int
bind_loopback (guint    port,
               gboolean do_listen)
{
  struct sockaddr_in sin = loopback (port);
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  if (bind (fd, (struct sockaddr *) &sin, sizeof sin) < 0
      || (do_listen && listen (fd, 8) < 0))
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* A port on 127.0.0.1 nobody uses now. */
static guint
free_port (void)
{
  struct sockaddr_in sin;
  socklen_t len = sizeof sin;
  int fd = bind_loopback (0, FALSE);

  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &sin, &len), ==, 0);
  close (fd);
  return ntohs (sin.sin_port);
}

/* A free port other than @taken. */
static guint
other_port (guint taken)
{
  guint port;

  while ((port = free_port ()) == taken)
    ;
  return port;
}

static gboolean
port_is_free (guint port)
{
  int fd = bind_loopback (port, FALSE);

  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

typedef struct
{
  int      fd;
  GString *got;
  gboolean eof;
} Reader;

static gboolean
reader_done (gpointer user_data)
{
  Reader *r = user_data;
  char buf[256];
  ssize_t n;

  while ((n = read (r->fd, buf, sizeof buf)) > 0)
    g_string_append_len (r->got, buf, n);
  if (n == 0 || (n < 0 && errno != EAGAIN))
    r->eof = TRUE;
  return r->eof;
}

/* Connect to @addr (the kernel completes it from the backlog) and return the socket. */
static int
connect_to (const struct sockaddr *addr,
            socklen_t              len)
{
  int fd = socket (addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (connect (fd, addr, len), ==, 0);
  g_assert_cmpint (fcntl (fd, F_SETFL, O_NONBLOCK), ==, 0);
  return fd;
}

/* Everything the server sends on @fd until it closes the connection (closes @fd). */
static char *
read_answer (int fd)
{
  Reader r = { fd, g_string_new (NULL), FALSE };

  g_assert_true (test_util_wait_until (reader_done, &r, 20000));
  close (fd);
  return g_string_free (r.got, FALSE);
}

static char *
ask_tcp (guint port)
{
  struct sockaddr_in sin = loopback (port);

  return read_answer (connect_to ((struct sockaddr *) &sin, sizeof sin));
}

static char *
ask_unix (const char *path)
{
  struct sockaddr_un sun = { .sun_family = AF_UNIX };
  gsize n = strlen (path);

  memcpy (sun.sun_path, path, n);
  if (path[0] == '@')
    sun.sun_path[0] = '\0';
  return read_answer (connect_to ((struct sockaddr *) &sun,
                                  offsetof (struct sockaddr_un, sun_path) + n));
}

/* Nothing is bound while no job names a socket; a job that does binds exactly its socket,
 * a changed job re-arms (the old port is free again), a removed one unbinds; leaves that
 * name no usable socket bind nothing. */
static void
test_armed_by_jobs (F            *f,
                    gconstpointer data)
{
  guint one = free_port (), two = other_port (one);
  g_autofree char *expected = g_strdup_printf ("inet 127.0.0.1 %u", one);
  g_autofree char *path = fixture_path (&f->fx, "s.sock");
  g_autofree char *text = NULL;

  define (f, "plain", "start on startup\nexec true\n");
  g_assert_cmpstr ((text = listening (f)), ==, "");
  g_clear_pointer (&text, g_free);
  define (f, "waiter", "start on socket PROTO=inet PORT=%u ADDR=127.0.0.1\nexec true\n", one);
  g_assert_cmpstr ((text = listening (f)), ==, expected);
  g_clear_pointer (&text, g_free);
  g_assert_false (port_is_free (one));
  /* Upstart's PATH=, non-canonical values, unknown protocols: refused, nothing bound */
  define (f, "odd", "start on socket PROTO=unix PATH=%s or socket PROTO=inet PORT=0%u "
          "or socket PROTO=udp PORT=%u or socket PROTO=inet PORT=$P\nexec true\n",
          path, two, two);
  g_assert_cmpstr ((text = listening (f)), ==, expected);
  g_clear_pointer (&text, g_free);
  g_assert_true (port_is_free (two));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  init_engine_set_class (f->fx.engine, "waiter", NULL);
  g_assert_cmpstr ((text = listening (f)), ==, "");
  g_assert_true (port_is_free (one));
}

/* A TCP client connects: `socket' carries PROTO, PORT, ADDR in that order, the task started
 * by it accepts on $UPSTART_FDS (3) and answers; the next client starts it again. */
static void
test_tcp_answer (F            *f,
                 gconstpointer data)
{
  guint port = free_port ();
  g_autofree char *line = g_strdup_printf ("socket PROTO=inet PORT=%u ADDR=127.0.0.1", port);
  g_autofree char *expected = g_strdup_printf ("socket inet %u 127.0.0.1 3\n", port);
  g_autofree char *answer = NULL;

  define (f, "echo", "start on socket PROTO=inet PORT=%u ADDR=127.0.0.1\ntask\n"
          "exec %s \"$UPSTART_EVENTS $PROTO $PORT $ADDR $UPSTART_FDS\"\n",
          port, helper ("accept-answer"));
  answer = ask_tcp (port);
  g_assert_cmpstr (answer, ==, expected);
  fixture_wait_event (&f->fx, line);
  g_clear_pointer (&answer, g_free);
  answer = ask_tcp (port);
  g_assert_cmpstr (answer, ==, expected);
}

/* Unix sockets work with SOCKET_PATH (Upstart 1.13's could not), a named one and an
 * abstract one (@NAME, carried as written); the socket file goes with the last job. */
static void
test_unix_answer (F            *f,
                  gconstpointer data)
{
  g_autofree char *path = fixture_path (&f->fx, "app.sock");
  g_autofree char *abstract = g_strdup_printf ("@init-test-%d", (int) getpid ());
  g_autofree char *expected = g_strdup_printf ("unix %s 3\n", path);
  g_autofree char *expected_abstract = g_strdup_printf ("unix %s 3\n", abstract);
  g_autofree char *line = g_strdup_printf ("socket PROTO=unix SOCKET_PATH=%s", path);
  g_autofree char *answer = NULL;

  define (f, "named", "start on socket PROTO=unix SOCKET_PATH=%s\ntask\n"
          "exec %s \"$PROTO $SOCKET_PATH $UPSTART_FDS\"\n", path, helper ("accept-answer"));
  define (f, "abstract", "start on socket PROTO=unix SOCKET_PATH=%s\ntask\n"
          "exec %s \"$PROTO $SOCKET_PATH $UPSTART_FDS\"\n", abstract, helper ("accept-answer"));
  answer = ask_unix (path);
  g_assert_cmpstr (answer, ==, expected);
  fixture_wait_event (&f->fx, line);
  g_clear_pointer (&answer, g_free);
  answer = ask_unix (abstract);
  g_assert_cmpstr (answer, ==, expected_abstract);
  init_engine_set_class (f->fx.engine, "named", NULL);
  init_sources_update (f->sources);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A stale socket file (nobody listens) is replaced; a live one is not touched. */
static void
test_unix_stale_file (F            *f,
                      gconstpointer data)
{
  g_autofree char *path = fixture_path (&f->fx, "stale.sock");
  struct sockaddr_un sun = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_autofree char *answer = NULL;
  g_autofree char *expected = g_strdup_printf ("%s\n", path);

  g_strlcpy (sun.sun_path, path, sizeof sun.sun_path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &sun, sizeof sun), ==, 0);
  close (fd);   /* the file stays, nobody listens: what a crash leaves */
  define (f, "stale", "start on socket PROTO=unix SOCKET_PATH=%s\ntask\n"
          "exec %s \"$SOCKET_PATH\"\n", path, helper ("accept-answer"));
  answer = ask_unix (path);
  g_assert_cmpstr (answer, ==, expected);
}

/* Changing the job's port re-arms: the old port is free, the new one answers. */
static void
test_rearmed (F            *f,
              gconstpointer data)
{
  guint one = free_port (), two = other_port (one);
  g_autofree char *expected = g_strdup_printf ("%u\n", two);
  g_autofree char *answer = NULL;

  define (f, "svc", "start on socket PROTO=inet PORT=%u ADDR=127.0.0.1\ntask\n"
          "exec %s \"$PORT\"\n", one, helper ("accept-answer"));
  g_assert_false (port_is_free (one));
  define (f, "svc", "start on socket PROTO=inet PORT=%u ADDR=127.0.0.1\ntask\n"
          "exec %s \"$PORT\"\n", two, helper ("accept-answer"));
  g_assert_true (port_is_free (one));
  answer = ask_tcp (two);
  g_assert_cmpstr (answer, ==, expected);
}

/* "socket:[INODE]" of @pid's descriptor @fd, or NULL. */
static char *
fd_link (int pid,
         int fd)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd/%d", pid, fd);

  return g_file_read_link (path, NULL);
}

/* Does @pid have a descriptor that is @target ("socket:[INODE]")? */
static gboolean
has_open (int         pid,
          const char *target)
{
  g_autofree char *dir_path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = fd_link (pid, atoi (name));
      if (g_strcmp0 (link, target) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
socket_events_are (gpointer user_data)
{
  gpointer *args = user_data;
  Fixture *fx = args[0];
  guint n = 0;

  for (guint i = 0; i < fx->events->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (fx->events, i), "socket ");
  return n == GPOINTER_TO_UINT (args[1]);
}

/* The service a connection started has the listening socket as fd 3; a job spawned while it
 * runs does not have it open at all (Upstart leaked it to every process); while the service
 * runs the socket is not watched (a second client waits, no second event), and once the
 * service stopped the waiting client starts it again. */
static void
test_fd_only_to_its_job (F            *f,
                         gconstpointer data)
{
  guint port = free_port ();
  struct sockaddr_in sin = loopback (port);
  g_autofree char *expected = g_strdup_printf ("%u\n", port);
  g_autofree char *answer = NULL;
  g_autofree char *listener = NULL;
  int waiting, service, other;

  define (f, "svc", "start on socket PROTO=inet PORT=%u ADDR=127.0.0.1\n"
          "exec %s --stay \"$PORT\"\n", port, helper ("accept-answer"));
  define (f, "other", "start on go\nexec sleep 60\n");
  answer = ask_tcp (port);
  g_assert_cmpstr (answer, ==, expected);
  fixture_wait_status (&f->fx, "svc", "", "start/running");
  service = fixture_main_pid (&f->fx, "svc", "");
  listener = fd_link (service, 3);
  g_assert_true (g_str_has_prefix (listener, "socket:["));

  fixture_emit (&f->fx, "go", NULL);
  fixture_wait_status (&f->fx, "other", "", "start/running");
  other = fixture_main_pid (&f->fx, "other", "");
  g_assert_false (has_open (other, listener));

  waiting = connect_to ((struct sockaddr *) &sin, sizeof sin);
  test_util_spin (300);
  g_assert_true (socket_events_are ((gpointer[]) { &f->fx, GUINT_TO_POINTER (1) }));

  g_clear_pointer (&answer, g_free);
  g_assert_nonnull (init_job_lookup_instance (init_engine_lookup (f->fx.engine, "svc"), ""));
  g_assert_true (init_job_stop (init_engine_lookup (f->fx.engine, "svc"), NULL, NULL, NULL,
                                NULL));
  answer = read_answer (waiting);
  g_assert_cmpstr (answer, ==, expected);
  g_assert_true (test_util_wait_until (socket_events_are,
                                       (gpointer[]) { &f->fx, GUINT_TO_POINTER (2) }, 10000));
}

/* A connection whose event starts nothing (only a `stop on' names the socket) is closed, so
 * the client does not hang, and the socket keeps working. */
static void
test_no_taker_closes (F            *f,
                      gconstpointer data)
{
  guint port = free_port ();
  g_autofree char *answer = NULL;

  define (f, "stopper", "start on go\nstop on socket PROTO=inet PORT=%u ADDR=127.0.0.1\n"
          "exec sleep 60\n", port);
  answer = ask_tcp (port);
  g_assert_cmpstr (answer, ==, "");
  g_clear_pointer (&answer, g_free);
  answer = ask_tcp (port);
  g_assert_cmpstr (answer, ==, "");
}

/* A port someone else holds: one clear warning, not repeated when jobs change, the rest
 * goes on; once the port is free the socket is bound at the next change. */
static void
test_port_in_use (F            *f,
                  gconstpointer data)
{
  guint port = free_port ();
  int holder = bind_loopback (port, TRUE);
  g_autofree char *pattern = g_strdup_printf ("init-sources: Cannot listen on inet 127.0.0.1 %u "
                                              "for `PROTO=inet PORT=%u ADDR=127.0.0.1': "
                                              "Address already in use*", port, port);
  g_autofree char *expected = g_strdup_printf ("inet 127.0.0.1 %u", port);
  g_autofree char *text = NULL;

  g_assert_cmpint (holder, >=, 0);
  test_util_capture_start ();
  define (f, "busy", "start on socket PROTO=inet PORT=%u ADDR=127.0.0.1\nexec true\n", port);
  define (f, "later", "start on go\ntask\nexec true\n");
  test_util_capture_assert ((const char *const[]) { pattern, NULL });
  g_assert_cmpstr ((text = listening (f)), ==, "");
  g_clear_pointer (&text, g_free);
  g_assert_false (fixture_emit_wait (&f->fx, "go", NULL));
  close (holder);
  define (f, "later", "start on go\ntask\nexec false\n");
  g_assert_cmpstr ((text = listening (f)), ==, expected);
}

int
main (int    argc,
      char **argv)
{
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));
  g_test_add ("/sources/socket/armed-by-jobs", F, NULL, f_setup, test_armed_by_jobs,
              f_teardown);
  g_test_add ("/sources/socket/tcp-answer", F, NULL, f_setup, test_tcp_answer, f_teardown);
  g_test_add ("/sources/socket/unix-answer", F, NULL, f_setup, test_unix_answer, f_teardown);
  g_test_add ("/sources/socket/unix-stale-file", F, NULL, f_setup, test_unix_stale_file,
              f_teardown);
  g_test_add ("/sources/socket/rearmed", F, NULL, f_setup, test_rearmed, f_teardown);
  g_test_add ("/sources/socket/fd-only-to-its-job", F, NULL, f_setup,
              test_fd_only_to_its_job, f_teardown);
  g_test_add ("/sources/socket/no-taker-closes", F, NULL, f_setup, test_no_taker_closes,
              f_teardown);
  g_test_add ("/sources/socket/port-in-use", F, NULL, f_setup, test_port_in_use, f_teardown);
  return g_test_run ();
}
