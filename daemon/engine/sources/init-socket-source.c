/* init-socket-source.c — listening sockets for `socket' events, see init-socket-source.h */
#define G_LOG_DOMAIN "init-sources"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "init-socket-source.h"

/* What one leaf asks for. */
typedef struct
{
  struct sockaddr_storage addr;
  socklen_t               len;
  char                   *key;    /* "inet 127.0.0.1 3031": what the socket is known by */
  GPtrArray              *env;    /* what its events carry */
} Spec;

typedef struct
{
  InitSocketSource *source;
  Spec              spec;
  char             *leaf;     /* the first leaf that named it, for messages */
  int               fd;       /* -1 while it could not be bound */
  guint             watch;    /* 0 while a job has it */
  InitFdLease      *lease;    /* borrowed: the lease out now, or NULL */
  dev_t             dev;      /* a socket file we made: its identity, to remove only ours */
  ino_t             ino;
  gboolean          warned;
} Socket;

struct _InitSocketSource
{
  InitSource  parent;
  InitEngine *engine;
  GHashTable *sockets;    /* key -> Socket */
  GHashTable *refused;    /* leaves already reported as unusable (set) */
};

static void
spec_clear (Spec *spec)
{
  g_clear_pointer (&spec->key, g_free);
  g_clear_pointer (&spec->env, g_ptr_array_unref);
}

/* ---- parsing a leaf ---- */

/* PORT=: decimal 1-65535 written canonically (the event carries that text). */
static gboolean
parse_port (const char *text,
            guint16    *port)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL)
      || text[0] == '0' || text[0] == '+')
    return FALSE;
  *port = value;
  return TRUE;
}

static gboolean
spec_inet (Spec       *spec,
           int         family,
           const char *port_text,
           const char *addr_text,
           GError    **error)
{
  char canonical[INET6_ADDRSTRLEN];
  void *where;
  guint16 port;

  memset (&spec->addr, 0, sizeof spec->addr);
  if (family == AF_INET)
    {
      struct sockaddr_in *sin = (struct sockaddr_in *) &spec->addr;
      sin->sin_family = AF_INET;
      where = &sin->sin_addr;
      spec->len = sizeof *sin;
    }
  else
    {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &spec->addr;
      sin6->sin6_family = AF_INET6;
      where = &sin6->sin6_addr;
      spec->len = sizeof *sin6;
    }
  if (port_text == NULL || !parse_port (port_text, &port))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("PORT= must be a port number from 1 to 65535"));
      return FALSE;
    }
  if (addr_text == NULL)
    addr_text = family == AF_INET ? "0.0.0.0" : "::";
  if (inet_pton (family, addr_text, where) != 1
      || inet_ntop (family, where, canonical, sizeof canonical) == NULL
      || !g_str_equal (canonical, addr_text))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("ADDR= must be an address in the form the event carries (%s)"),
                   family == AF_INET ? "127.0.0.1" : "::1");
      return FALSE;
    }
  if (family == AF_INET)
    ((struct sockaddr_in *) &spec->addr)->sin_port = htons (port);
  else
    ((struct sockaddr_in6 *) &spec->addr)->sin6_port = htons (port);
  spec->key = g_strdup_printf ("%s %s %u", family == AF_INET ? "inet" : "inet6", canonical, port);
  g_ptr_array_add (spec->env, g_strdup (family == AF_INET ? "PROTO=inet" : "PROTO=inet6"));
  g_ptr_array_add (spec->env, g_strdup_printf ("PORT=%u", port));
  g_ptr_array_add (spec->env, g_strdup_printf ("ADDR=%s", canonical));
  return TRUE;
}

static gboolean
spec_unix (Spec       *spec,
           const char *path,
           GError    **error)
{
  struct sockaddr_un *sun = (struct sockaddr_un *) &spec->addr;
  gsize n = path != NULL ? strlen (path) : 0;

  if (path == NULL || n < 2 || n >= sizeof sun->sun_path
      || (path[0] != '/' && path[0] != '@'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("SOCKET_PATH= must be an absolute path or @NAME, at most %u bytes"),
                   (guint) sizeof sun->sun_path - 1);
      return FALSE;
    }
  memset (&spec->addr, 0, sizeof spec->addr);
  sun->sun_family = AF_UNIX;
  memcpy (sun->sun_path, path, n);
  if (path[0] == '@')
    sun->sun_path[0] = '\0';   /* abstract: the name is exactly its bytes, no padding */
  spec->len = offsetof (struct sockaddr_un, sun_path) + n + (path[0] == '/');
  spec->key = g_strconcat ("unix ", path, NULL);
  g_ptr_array_add (spec->env, g_strdup ("PROTO=unix"));
  g_ptr_array_add (spec->env, g_strconcat ("SOCKET_PATH=", path, NULL));
  return TRUE;
}

/* The socket @args (a `socket' leaf's arguments) names, or FALSE with a message why not. */
static gboolean
spec_parse (char *const *args,
            Spec        *spec,
            GError     **error)
{
  const char *proto = NULL, *port = NULL, *addr = NULL, *path = NULL;
  gboolean ok;

  for (guint i = 0; args[i] != NULL; i++)
    {
      const char *arg = args[i];
      const char *eq = strchr (arg, '=');
      const char **slot = NULL;

      if (eq != NULL && eq > arg && eq[-1] != '!' && strchr (eq, '$') == NULL)
        {
          g_autofree char *key = g_strndup (arg, eq - arg);
          slot = g_str_equal (key, "PROTO") ? &proto : g_str_equal (key, "PORT") ? &port
                 : g_str_equal (key, "ADDR") ? &addr : g_str_equal (key, "SOCKET_PATH") ? &path
                 : NULL;
          if (g_str_equal (key, "PATH"))
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   _("PATH= never matched in Upstart 1.13: write SOCKET_PATH="));
              return FALSE;
            }
        }
      if (slot == NULL || *slot != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s is not PROTO=, PORT=, ADDR= or SOCKET_PATH= with a plain value "
                         "(each at most once)"), arg);
          return FALSE;
        }
      *slot = eq + 1;
    }

  spec->env = g_ptr_array_new_with_free_func (g_free);
  if (g_strcmp0 (proto, "inet") == 0 && path == NULL)
    ok = spec_inet (spec, AF_INET, port, addr, error);
  else if (g_strcmp0 (proto, "inet6") == 0 && path == NULL)
    ok = spec_inet (spec, AF_INET6, port, addr, error);
  else if (g_strcmp0 (proto, "unix") == 0 && port == NULL && addr == NULL)
    ok = spec_unix (spec, path, error);
  else
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("PROTO= must be inet or inet6 (with PORT= and ADDR=) or unix "
                             "(with SOCKET_PATH=)"));
      ok = FALSE;
    }
  if (!ok)
    spec_clear (spec);
  return ok;
}

/* ---- one listening socket ---- */

static void socket_poll (Socket *sock);

/* A socket file nobody listens on any more (left by a crash) is replaced; anything else at
 * the path makes bind fail and is reported. */
static void
remove_stale (const Spec *spec)
{
  const struct sockaddr_un *sun = (const struct sockaddr_un *) &spec->addr;
  struct stat st;
  int fd;

  if (sun->sun_path[0] != '/' || lstat (sun->sun_path, &st) < 0 || !S_ISSOCK (st.st_mode))
    return;
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && connect (fd, (const struct sockaddr *) sun, spec->len) < 0
      && errno == ECONNREFUSED)
    unlink (sun->sun_path);
  if (fd >= 0)
    close (fd);
}

static gboolean
socket_bind (Socket  *sock,
             GError **error)
{
  const Spec *spec = &sock->spec;
  int family = spec->addr.ss_family;
  int one = 1;
  int fd = socket (family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  struct stat st;

  if (fd < 0)
    goto fail;
  if (family != AF_UNIX && setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
    goto fail;
  if (family == AF_INET6 && setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) < 0)
    goto fail;
  if (family == AF_UNIX)
    remove_stale (spec);
  if (bind (fd, (const struct sockaddr *) &spec->addr, spec->len) < 0)
    goto fail;
  if (family == AF_UNIX && ((const struct sockaddr_un *) &spec->addr)->sun_path[0] == '/'
      && stat (((const struct sockaddr_un *) &spec->addr)->sun_path, &st) == 0)
    {
      sock->dev = st.st_dev;
      sock->ino = st.st_ino;
    }
  if (listen (fd, SOMAXCONN) < 0)
    goto fail;
  sock->fd = fd;
  return TRUE;

fail:
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (errno), g_strerror (errno));
  if (fd >= 0)
    close (fd);
  return FALSE;
}

/* The event that had the socket let go, and so did every job it started. */
static void
socket_released (gboolean taken,
                 gpointer user_data)
{
  Socket *sock = user_data;

  sock->lease = NULL;
  if (!taken)
    {
      /* Nobody will accept the connection that caused the event: close it rather than
       * leave the client hanging (and the socket ready for ever). */
      int conn = accept4 (sock->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

      g_debug ("No job took %s: connection closed", sock->spec.key);
      if (conn >= 0)
        close (conn);
    }
  socket_poll (sock);
}

static gboolean
socket_retry (gpointer user_data)
{
  Socket *sock = user_data;

  sock->watch = 0;
  socket_poll (sock);
  return G_SOURCE_REMOVE;
}

static gboolean
socket_ready (int          fd,
              GIOCondition condition,
              gpointer     user_data)
{
  Socket *sock = user_data;
  g_autoptr(InitFdLease) lease = init_fd_lease_new (fd, socket_released, sock);
  InitEvent *event;

  sock->watch = 0;
  if (lease == NULL)
    {
      /* Out of descriptors: try again later rather than spin. */
      g_warning (_("Cannot pass %s to a job: %s"), sock->spec.key, g_strerror (errno));
      sock->watch = g_timeout_add_seconds (1, socket_retry, sock);
      return G_SOURCE_REMOVE;
    }
  sock->lease = lease;
  event = init_engine_emit (sock->source->engine, "socket", sock->spec.env, NULL, NULL);
  init_event_set_lease (event, lease);
  return G_SOURCE_REMOVE;
}

static void
socket_poll (Socket *sock)
{
  g_clear_handle_id (&sock->watch, g_source_remove);
  sock->watch = g_unix_fd_add (sock->fd, G_IO_IN, socket_ready, sock);
}

static void
socket_free (gpointer data)
{
  Socket *sock = data;
  const struct sockaddr_un *sun = (const struct sockaddr_un *) &sock->spec.addr;
  struct stat st;

  g_clear_handle_id (&sock->watch, g_source_remove);
  if (sock->lease != NULL)
    init_fd_lease_detach (sock->lease);
  if (sock->fd >= 0)
    {
      if (sun->sun_family == AF_UNIX && sock->ino != 0 && lstat (sun->sun_path, &st) == 0
          && st.st_dev == sock->dev && st.st_ino == sock->ino)
        unlink (sun->sun_path);
      close (sock->fd);
    }
  spec_clear (&sock->spec);
  g_free (sock->leaf);
  g_free (sock);
}

/* Bind @sock if it is not yet; a failure is reported once per socket. */
static void
socket_arm (Socket *sock)
{
  g_autoptr(GError) error = NULL;

  if (sock->fd >= 0)
    return;
  if (!socket_bind (sock, &error))
    {
      if (!sock->warned)
        g_warning (_("Cannot listen on %s for `%s': %s; jobs waiting for it will not start "
                     "(tried again when jobs change)"), sock->spec.key, sock->leaf,
                   error->message);
      sock->warned = TRUE;
      return;
    }
  g_info ("Listening on %s", sock->spec.key);
  socket_poll (sock);
}

/* ---- the source ---- */

/* The Socket for @args (kept if it exists, made unbound if new) into @wanted; an unusable
 * leaf is reported once. */
static void
want_leaf (InitSocketSource *source,
           char *const      *args,
           GHashTable       *wanted)
{
  g_autoptr(GError) error = NULL;
  Spec spec = { 0, };
  Socket *sock;

  if (!spec_parse (args, &spec, &error))
    {
      g_autofree char *joined = g_strjoinv (" ", (char **) args);
      g_autofree char *leaf = g_strconcat ("socket ", joined, NULL);

      if (!g_hash_table_contains (source->refused, leaf))
        g_message (_("Cannot listen for %s: %s"), leaf, error->message);
      g_hash_table_add (source->refused, g_steal_pointer (&leaf));
      return;
    }
  sock = g_hash_table_lookup (wanted, spec.key);
  if (sock == NULL && g_hash_table_steal_extended (source->sockets, spec.key, NULL,
                                                   (gpointer *) &sock))
    {
      g_hash_table_insert (wanted, sock->spec.key, sock);
      spec_clear (&spec);
      return;
    }
  if (sock != NULL)
    {
      spec_clear (&spec);
      return;
    }
  sock = g_new0 (Socket, 1);
  sock->source = source;
  sock->spec = spec;
  sock->fd = -1;
  sock->leaf = g_strjoinv (" ", (char **) args);
  g_hash_table_insert (wanted, sock->spec.key, sock);
}

static void
socket_source_arm (InitSource *parent,
                   GPtrArray  *leaves)
{
  InitSocketSource *source = (InitSocketSource *) parent;
  GHashTable *wanted = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, socket_free);
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < leaves->len; i++)
    {
      const InitSourceLeaf *leaf = g_ptr_array_index (leaves, i);
      want_leaf (source, leaf->leaf->args, wanted);
    }
  /* What is left was not named any more. */
  g_hash_table_unref (source->sockets);
  source->sockets = wanted;
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    socket_arm (value);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
socket_source_disarm (InitSource *parent)
{
  InitSocketSource *source = (InitSocketSource *) parent;

  g_hash_table_remove_all (source->sockets);
}

static void
socket_source_free (InitSource *parent)
{
  InitSocketSource *source = (InitSocketSource *) parent;

  g_hash_table_unref (source->sockets);
  g_hash_table_unref (source->refused);
  g_free (source);
}

static const InitSourceClass socket_source_class = {
  socket_source_arm, socket_source_disarm, socket_source_free,
};
static const char *const socket_source_events[] = { "socket", NULL };

InitSocketSource *
init_socket_source_new (InitEngine *engine)
{
  InitSocketSource *source = g_new0 (InitSocketSource, 1);

  source->parent = (InitSource) { &socket_source_class, "socket", socket_source_events, FALSE };
  source->engine = engine;
  source->sockets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, socket_free);
  source->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return source;
}

GPtrArray *
init_socket_source_list (InitSocketSource *source)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, source->sockets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Socket *) value)->fd >= 0)
      g_ptr_array_add (list, g_strdup (((Socket *) value)->spec.key));
  g_ptr_array_sort (list, compare_strings);
  return list;
}
