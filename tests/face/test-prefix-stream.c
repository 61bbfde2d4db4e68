/* test-prefix-stream.c — the stream a re-exec'd daemon reads its bus from: the saved bytes
 * first, then the socket, pollable throughout */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>

#include "init-prefix-stream.h"

typedef struct
{
  int           peer;     /* our end of the socket: what we write, the stream reads */
  GInputStream *stream;
} Fixture;

/* A prefix stream over one end of a socket pair; a NULL @prefix is allowed. */
static void
fixture_open (Fixture    *fx,
              const char *prefix)
{
  int pair[2];
  g_autoptr(GInputStream) base = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, pair),
                   ==, 0);
  base = g_unix_input_stream_new (pair[0], TRUE);
  bytes = prefix != NULL ? g_bytes_new (prefix, strlen (prefix)) : NULL;
  fx->peer = pair[1];
  fx->stream = init_prefix_stream_new (bytes, base);
}

static void
fixture_close (Fixture *fx)
{
  g_clear_object (&fx->stream);
  if (fx->peer >= 0)
    close (fx->peer);
}

static void
peer_write (Fixture    *fx,
            const char *text)
{
  g_assert_cmpint (write (fx->peer, text, strlen (text)), ==, (gssize) strlen (text));
}

/* Everything readable now, without blocking, as one string. */
static char *
read_available (Fixture *fx)
{
  GPollableInputStream *pollable = G_POLLABLE_INPUT_STREAM (fx->stream);
  GString *out = g_string_new (NULL);
  char buf[4];

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (pollable, buf, sizeof buf, NULL,
                                                           &error);

      if (n < 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          break;
        }
      if (n == 0)
        break;
      g_string_append_len (out, buf, n);
    }
  return g_string_free (out, FALSE);
}

/* The saved bytes come first, in order and whole, then what waits in the socket. */
static void
test_prefix_then_socket (void)
{
  Fixture fx;
  g_autofree char *text = NULL;

  fixture_open (&fx, "saved message");
  peer_write (&fx, "+live");
  text = read_available (&fx);
  g_assert_cmpstr (text, ==, "saved message+live");
  fixture_close (&fx);
}

/* A small buffer takes the prefix in pieces; no read mixes prefix and socket bytes. */
static void
test_reads_never_straddle (void)
{
  Fixture fx;
  char buf[16];

  fixture_open (&fx, "abcde");
  peer_write (&fx, "XYZ");
  g_assert_cmpint (g_input_stream_read (fx.stream, buf, 3, NULL, NULL), ==, 3);
  g_assert_cmpmem (buf, 3, "abc", 3);
  g_assert_cmpint (g_input_stream_read (fx.stream, buf, sizeof buf, NULL, NULL), ==, 2);
  g_assert_cmpmem (buf, 2, "de", 2);
  g_assert_cmpint (g_input_stream_read (fx.stream, buf, sizeof buf, NULL, NULL), ==, 3);
  g_assert_cmpmem (buf, 3, "XYZ", 3);
  fixture_close (&fx);
}

/* Readable while saved bytes are left, even with nothing in the socket; then only when the
 * socket has something. */
static void
test_readable_follows_prefix (void)
{
  Fixture fx;
  GPollableInputStream *pollable;
  char buf[8];

  fixture_open (&fx, "ab");
  pollable = G_POLLABLE_INPUT_STREAM (fx.stream);
  g_assert_true (g_pollable_input_stream_can_poll (pollable));
  g_assert_true (g_pollable_input_stream_is_readable (pollable));
  g_assert_cmpint (g_pollable_input_stream_read_nonblocking (pollable, buf, sizeof buf, NULL,
                                                             NULL), ==, 2);
  g_assert_false (g_pollable_input_stream_is_readable (pollable));
  peer_write (&fx, "c");
  g_assert_true (g_pollable_input_stream_is_readable (pollable));
  fixture_close (&fx);
}

/* Without a prefix it is the socket itself. */
static void
test_no_prefix (void)
{
  Fixture fx;
  g_autofree char *text = NULL;

  fixture_open (&fx, NULL);
  g_assert_false (g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (fx.stream)));
  peer_write (&fx, "only live");
  text = read_available (&fx);
  g_assert_cmpstr (text, ==, "only live");
  fixture_close (&fx);
}

static gboolean
source_fired (GObject *stream,
              gpointer user_data)
{
  gboolean *fired = user_data;

  *fired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Poll the stream's source once, without blocking for long. */
static gboolean
source_fires (Fixture *fx)
{
  g_autoptr(GSource) source =
    g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (fx->stream), NULL);
  gint64 deadline = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;
  gboolean fired = FALSE;

  g_source_set_callback (source, G_SOURCE_FUNC (source_fired), &fired, NULL);
  g_source_attach (source, NULL);
  while (!fired && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_source_destroy (source);
  return fired;
}

/* GDBus waits on the stream's source: it fires at once for saved bytes, then only when the
 * socket has data. */
static void
test_source_fires (void)
{
  Fixture fx;
  g_autofree char *prefix = NULL;

  fixture_open (&fx, "p");
  g_assert_true (source_fires (&fx));
  prefix = read_available (&fx);
  g_assert_cmpstr (prefix, ==, "p");
  g_assert_false (source_fires (&fx));
  peer_write (&fx, "q");
  g_assert_true (source_fires (&fx));
  fixture_close (&fx);
}

/* Closing the stream closes the socket: the peer sees the end. */
static void
test_close_closes_base (void)
{
  Fixture fx;
  char c;

  fixture_open (&fx, "left over");
  g_assert_true (g_input_stream_close (fx.stream, NULL, NULL));
  g_assert_cmpint (read (fx.peer, &c, 1), ==, 0);
  fixture_close (&fx);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/face/prefix-stream/prefix-then-socket", test_prefix_then_socket);
  g_test_add_func ("/face/prefix-stream/reads-never-straddle", test_reads_never_straddle);
  g_test_add_func ("/face/prefix-stream/readable-follows-prefix", test_readable_follows_prefix);
  g_test_add_func ("/face/prefix-stream/no-prefix", test_no_prefix);
  g_test_add_func ("/face/prefix-stream/source-fires", test_source_fires);
  g_test_add_func ("/face/prefix-stream/close-closes-base", test_close_closes_base);

  return g_test_run ();
}
