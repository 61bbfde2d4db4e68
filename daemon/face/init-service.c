/* init-service.c — initd on the bus: connection, object export, name, reconnects */
#define G_LOG_DOMAIN "init-service"

#include <glib/gi18n.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>

#include "init-prefix-stream.h"
#include "init-service.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000

struct _InitService
{
  GObject parent_instance;

  InitManager     *manager;
  char            *address;
  GDBusConnection *connection;
  GCancellable    *cancellable;  /* the connect in flight */
  gboolean         exported;     /* the manager skeleton is on @connection */
  guint            owner_id;
  gulong           closed_id;
  guint            retry_id;
  guint            backoff_ms;
  gboolean         complained;   /* warned about the current outage already */
  gboolean         stopped;
  char            *unique_name;  /* of an adopted connection (GDBus does not know it) */

  /* re-exec: shared with the message thread */
  GMutex   freeze_lock;
  guint    filter_id;
  guint    gate_id;              /* the authority's call gate (init-call-gate.h) */
  int      capture_fd;           /* messages read while freezing go here; -1 */
  gint     freezing;             /* atomic: capture_fd is set (the filter's fast path) */
  char    *marker;               /* while freezing: member of the marker signal, until seen */
  char    *stop_marker;          /* then: the signal at which the message thread stops */
  GCond    freeze_cond;
  gboolean parked;               /* the message thread read the stop marker and waits */
  gboolean thawed;
  int      socket_fd;            /* the adopted connection's socket, or -1 */
  guint    n_captured;
};

enum
{
  SIGNAL_NAME_ACQUIRED,
  SIGNAL_NAME_LOST,
  SIGNAL_UNAVAILABLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (InitService, init_service, G_TYPE_OBJECT)

static void try_connect (InitService *self);
static gboolean use_connection (InitService *self, GDBusConnection *connection);
static GDBusMessage *capture_filter (GDBusConnection *connection, GDBusMessage *message,
                                     gboolean incoming, gpointer user_data);

char *
init_service_find_bus_address (GBusType bus_type)
{
  const char *env;

  if (bus_type == G_BUS_TYPE_SYSTEM)
    {
      env = g_getenv ("DBUS_SYSTEM_BUS_ADDRESS");
      if (env != NULL && env[0] != '\0')
        return g_strdup (env);
      return g_strdup ("unix:path=/var/run/dbus/system_bus_socket");
    }

  env = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  /* The user bus of systemd / dbus-broker; GIO's last resort (dbus-launch through X11) would
   * start a bus that outlives us, so we never autolaunch. */
  env = g_getenv ("XDG_RUNTIME_DIR");
  if (env != NULL && env[0] != '\0')
    {
      g_autofree char *path = g_build_filename (env, "bus", NULL);
      g_autofree char *escaped = g_dbus_address_escape_value (path);
      return g_strconcat ("unix:path=", escaped, NULL);
    }
  return NULL;
}

static gboolean
retry_cb (gpointer user_data)
{
  InitService *self = user_data;

  self->retry_id = 0;
  try_connect (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (InitService *self)
{
  if (self->stopped || self->retry_id != 0)
    return;
  self->retry_id = g_timeout_add (self->backoff_ms, retry_cb, self);
  self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
}

static void
drop_connection (InitService *self)
{
  if (self->owner_id != 0)
    {
      g_bus_unown_name (self->owner_id);
      self->owner_id = 0;
    }
  if (self->connection == NULL)
    return;
  if (self->exported)
    {
      g_dbus_interface_skeleton_unexport_from_connection (G_DBUS_INTERFACE_SKELETON (self->manager),
                                                          self->connection);
      self->exported = FALSE;
    }
  init_object_tree_detach (init_manager_get_object_tree (self->manager));
  g_clear_signal_handler (&self->closed_id, self->connection);
  if (self->filter_id != 0)
    g_dbus_connection_remove_filter (self->connection, self->filter_id);
  self->filter_id = 0;
  if (self->gate_id != 0)
    g_dbus_connection_remove_filter (self->connection, self->gate_id);
  self->gate_id = 0;
  g_clear_object (&self->connection);
  g_clear_pointer (&self->unique_name, g_free);
  self->socket_fd = -1;
}

static void
connection_lost (InitService     *self,
                 GDBusConnection *connection,
                 const char      *why)
{
  g_warning (_("Lost the bus connection (%s); supervising on and reconnecting"), why);
  self->complained = TRUE;
  /* Replies to callers parked on the dead connection could never be delivered. */
  init_manager_connection_closed (self->manager, connection);
  drop_connection (self);
  self->backoff_ms = BACKOFF_MIN_MS;
  schedule_retry (self);
}

static void
on_closed (GDBusConnection *connection,
           gboolean         remote_peer_vanished,
           GError          *error,
           gpointer         user_data)
{
  InitService *self = user_data;

  connection_lost (self, connection, error != NULL ? error->message : _("closed"));
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  InitService *self = user_data;

  g_message (_("Owning %s on %s as %s"), name, self->address,
             self->unique_name != NULL ? self->unique_name
                                       : g_dbus_connection_get_unique_name (connection));
  self->backoff_ms = BACKOFF_MIN_MS;
  self->complained = FALSE;
  g_signal_emit (self, signals[SIGNAL_NAME_ACQUIRED], 0);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  InitService *self = user_data;

  /* With the connection gone, "closed" does the work. */
  if (connection == NULL || g_dbus_connection_is_closed (connection) || self->stopped)
    return;
  g_warning (_("Cannot own %s on %s: another process owns it"), name, self->address);
  g_signal_emit (self, signals[SIGNAL_NAME_LOST], 0, name);
  /* Try again later, in case the other owner goes away. */
  if (self->owner_id != 0)
    {
      g_bus_unown_name (self->owner_id);
      self->owner_id = 0;
    }
  drop_connection (self);
  schedule_retry (self);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(InitService) self = user_data;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_dbus_connection_new_for_address_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->stopped)
    return;
  g_clear_object (&self->cancellable);
  if (connection == NULL)
    {
      if (!self->complained)
        g_warning (_("Cannot connect to the bus at %s: %s; retrying"), self->address, error->message);
      else
        g_debug ("Cannot connect to the bus at %s: %s", self->address, error->message);
      self->complained = TRUE;
      g_signal_emit (self, signals[SIGNAL_UNAVAILABLE], 0, error->message);
      schedule_retry (self);
      return;
    }

  if (!use_connection (self, g_steal_pointer (&connection)))
    return;
  self->owner_id = g_bus_own_name_on_connection (self->connection, INIT_BUS_NAME,
                                                 G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                 on_name_acquired, on_name_lost, self, NULL);
}

/* Take @connection (transfer full) and export everything on it; FALSE if it closed. */
static gboolean
use_connection (InitService     *self,
                GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;

  /* Keep running when the bus dies (GDBus would raise SIGTERM, our shutdown signal). */
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  self->connection = connection;
  /* In place from the start, so a re-exec knows exactly which messages this process read
   * (a filter added later could miss one already on its way to the main loop). */
  self->filter_id = g_dbus_connection_add_filter (connection, capture_filter, self, NULL);
  /* After the capture: a call saved for the new process is not refused here. */
  self->gate_id = init_authority_attach (init_manager_get_authority (self->manager), connection);
  self->closed_id = g_signal_connect (self->connection, "closed", G_CALLBACK (on_closed), self);
  if (g_dbus_connection_is_closed (self->connection))
    {
      connection_lost (self, self->connection, _("closed while connecting"));
      return FALSE;
    }

  /* Everything is in place before the name appears, so a client never sees a half object
   * tree. */
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->manager), self->connection,
                                         INIT_MANAGER_PATH, &error))
    g_warning (_("Cannot export %s: %s"), INIT_MANAGER_PATH, error->message);
  else
    self->exported = TRUE;
  g_clear_error (&error);
  if (!init_object_tree_attach (init_manager_get_object_tree (self->manager), self->connection,
                                &error))
    g_warning (_("Cannot export the jobs: %s"), error->message);
  return TRUE;
}

static void
try_connect (InitService *self)
{
  if (self->stopped || self->connection != NULL || self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  g_dbus_connection_new_for_address (self->address,
                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                     G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                     NULL, self->cancellable, on_connected, g_object_ref (self));
}

void
init_service_start (InitService *self)
{
  g_return_if_fail (INIT_IS_SERVICE (self));

  self->stopped = FALSE;
  try_connect (self);
}

void
init_service_stop (InitService *self)
{
  g_return_if_fail (INIT_IS_SERVICE (self));

  self->stopped = TRUE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  if (self->connection != NULL)
    {
      g_autoptr(GDBusConnection) connection = g_object_ref (self->connection);

      drop_connection (self);
      /* Let the name release and last replies reach the bus before we go. */
      g_dbus_connection_flush_sync (connection, NULL, NULL);
    }
}

GDBusConnection *
init_service_get_connection (InitService *self)
{
  g_return_val_if_fail (INIT_IS_SERVICE (self), NULL);
  return self->connection;
}

static void
init_service_dispose (GObject *object)
{
  InitService *self = INIT_SERVICE (object);

  if (self->manager != NULL)
    init_service_stop (self);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (init_service_parent_class)->dispose (object);
}

static void
init_service_finalize (GObject *object)
{
  InitService *self = INIT_SERVICE (object);

  g_free (self->address);
  g_free (self->unique_name);
  g_free (self->marker);
  g_free (self->stop_marker);
  g_cond_clear (&self->freeze_cond);
  g_mutex_clear (&self->freeze_lock);

  G_OBJECT_CLASS (init_service_parent_class)->finalize (object);
}

static void
init_service_class_init (InitServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = init_service_dispose;
  object_class->finalize = init_service_finalize;

  signals[SIGNAL_NAME_ACQUIRED] =
    g_signal_new ("name-acquired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_NAME_LOST] =
    g_signal_new ("name-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* "unavailable" (const char *message): a connection attempt failed (retried later). */
  signals[SIGNAL_UNAVAILABLE] =
    g_signal_new ("unavailable", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
init_service_init (InitService *self)
{
  self->backoff_ms = BACKOFF_MIN_MS;
  self->capture_fd = -1;
  self->socket_fd = -1;
  g_mutex_init (&self->freeze_lock);
  g_cond_init (&self->freeze_cond);
}

InitService *
init_service_new (InitManager *manager,
                  const char  *address)
{
  InitService *self;

  g_return_val_if_fail (INIT_IS_MANAGER (manager), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (INIT_TYPE_SERVICE, NULL);
  self->manager = g_object_ref (manager);
  self->address = g_strdup (address);
  return self;
}

/* ---- re-exec ---- */

/* Runs in GDBus's message thread for every message.  While capturing, incoming messages are
 * not handled here: each goes, as one length-prefixed record written with one write(), to the
 * capture file, which the new process reads back first. */
static GDBusMessage *
capture_filter (GDBusConnection *connection,
                GDBusMessage    *message,
                gboolean         incoming,
                gpointer         user_data)
{
  InitService *self = user_data;
  g_autofree guchar *blob = NULL;
  gsize size = 0;

  if (!incoming || !g_atomic_int_get (&self->freezing))
    return message;
  g_mutex_lock (&self->freeze_lock);
  if (self->capture_fd < 0)
    {
      g_mutex_unlock (&self->freeze_lock);
      return message;
    }
  if (self->marker != NULL)
    {
      /* Before the marker: handled here as usual.  The marker itself: from now on, every
       * message is for the new process. */
      if (g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_SIGNAL
          && g_strcmp0 (g_dbus_message_get_interface (message), "org.example.Init.Reexec") == 0
          && g_strcmp0 (g_dbus_message_get_member (message), self->marker) == 0)
        {
          g_clear_pointer (&self->marker, g_free);
          g_mutex_unlock (&self->freeze_lock);
          g_object_unref (message);
          return NULL;
        }
      g_mutex_unlock (&self->freeze_lock);
      return message;
    }
  if (self->stop_marker != NULL
      && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_SIGNAL
      && g_strcmp0 (g_dbus_message_get_interface (message), "org.example.Init.Reexec") == 0
      && g_strcmp0 (g_dbus_message_get_member (message), self->stop_marker) == 0)
    {
      /* Everything up to here is saved; stop reading, at a message boundary, so whatever
       * comes next waits whole in the socket for the new process.  (Nothing is written any
       * more either: the daemon execs now.) */
      self->parked = TRUE;
      g_cond_broadcast (&self->freeze_cond);
      while (!self->thawed)
        g_cond_wait (&self->freeze_cond, &self->freeze_lock);
      g_mutex_unlock (&self->freeze_lock);
      g_object_unref (message);
      return NULL;
    }
  blob = g_dbus_message_to_blob (message, &size, G_DBUS_CAPABILITY_FLAGS_NONE, NULL);
  if (blob != NULL)
    {
      guint32 length = size;
      g_autofree guchar *record = g_malloc (size + sizeof length);

      memcpy (record, &length, sizeof length);
      memcpy (record + sizeof length, blob, size);
      if (write (self->capture_fd, record, size + sizeof length) != (gssize) (size + sizeof length))
        g_debug ("Could not save a message for after the re-exec");
      self->n_captured++;
    }
  g_mutex_unlock (&self->freeze_lock);
  g_object_unref (message);
  return NULL;
}

static void
freeze_failed (InitService *self,
               const char  *why)
{
  g_warning (_("Cannot prepare the bus connection for re-exec: %s"), why);
  init_service_thaw (self);
}

/* A signal to ourselves: the bus delivers it after everything sent to us before it. */
static gboolean
send_marker (InitService *self,
             const char  *own_name,
             const char  *member)
{
  g_autoptr(GError) error = NULL;

  if (g_dbus_connection_emit_signal (self->connection, own_name, INIT_MANAGER_PATH,
                                     "org.example.Init.Reexec", member, NULL, &error))
    return TRUE;
  freeze_failed (self, error->message);
  return FALSE;
}

/* Runs the main loop until the message thread has seen the first marker, then handles all
 * that was read before it and lets the replies and signals out. */
static gboolean
handle_until_marker (InitService *self,
                     gint64       deadline)
{
  for (;;)
    {
      gboolean seen;

      g_mutex_lock (&self->freeze_lock);
      seen = self->marker == NULL;
      g_mutex_unlock (&self->freeze_lock);
      if (seen)
        break;
      if (g_get_monotonic_time () > deadline)
        {
          freeze_failed (self, _("the bus did not deliver our own signal"));
          return FALSE;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (100);
    }
  /* Everything read before the marker was queued before it: handle it all, then let the
   * replies and signals out. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_dbus_connection_flush_sync (self->connection, NULL, NULL);
  return TRUE;
}

/* Sends the stop marker and waits until the message thread is parked on it, at a message
 * boundary, reading nothing more. */
static gboolean
park_message_thread (InitService *self,
                     const char  *name,
                     gint64       deadline)
{
  g_autofree char *marker = NULL;
  gboolean parked;

  g_mutex_lock (&self->freeze_lock);
  self->stop_marker = g_strdup_printf ("Stop%08x", g_random_int ());
  self->parked = FALSE;
  self->thawed = FALSE;
  marker = g_strdup (self->stop_marker);
  g_mutex_unlock (&self->freeze_lock);
  if (!send_marker (self, name, marker))
    return FALSE;
  g_mutex_lock (&self->freeze_lock);
  while (!self->parked)
    if (!g_cond_wait_until (&self->freeze_cond, &self->freeze_lock, deadline))
      break;
  parked = self->parked;
  g_mutex_unlock (&self->freeze_lock);
  if (!parked)
    freeze_failed (self, _("the bus did not deliver our own signal"));
  return parked;
}

int
init_service_freeze (InitService *self,
                     int         *capture_fd,
                     char       **unique_name)
{
  g_autofree char *marker = NULL;
  const char *name;
  gint64 deadline;
  int fd, capture;

  g_return_val_if_fail (INIT_IS_SERVICE (self), -1);

  if (self->connection == NULL || g_dbus_connection_is_closed (self->connection))
    return -1;
  name = self->unique_name != NULL ? self->unique_name
                                   : g_dbus_connection_get_unique_name (self->connection);
  if (name == NULL)
    return -1;
  capture = memfd_create ("initd-bus-messages", 0);
  if (capture < 0)
    return -1;

  g_mutex_lock (&self->freeze_lock);
  self->capture_fd = capture;
  g_atomic_int_set (&self->freezing, TRUE);
  self->n_captured = 0;
  g_free (self->marker);
  self->marker = g_strdup_printf ("Marker%08x", g_random_int ());
  marker = g_strdup (self->marker);
  g_mutex_unlock (&self->freeze_lock);

  /* What the message thread reads before the marker is handled here; after it, captured. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  if (!send_marker (self, name, marker) || !handle_until_marker (self, deadline))
    return -1;
  /* A second marker: where the message thread stops reading for good. */
  if (!park_message_thread (self, name, deadline))
    return -1;

  if (self->socket_fd >= 0)
    fd = dup (self->socket_fd);
  else
    fd = dup (g_socket_get_fd (g_socket_connection_get_socket (
                                 G_SOCKET_CONNECTION (g_dbus_connection_get_stream (self->connection)))));
  if (fd < 0)
    {
      init_service_thaw (self);
      return -1;
    }
  if (unique_name != NULL)
    *unique_name = g_strdup (name);
  *capture_fd = capture;
  return fd;
}

void
init_service_thaw (InitService *self)
{
  int capture;

  g_mutex_lock (&self->freeze_lock);
  capture = self->capture_fd;
  self->capture_fd = -1;
  g_clear_pointer (&self->stop_marker, g_free);
  self->thawed = TRUE;
  g_cond_broadcast (&self->freeze_cond);
  g_atomic_int_set (&self->freezing, FALSE);
  g_clear_pointer (&self->marker, g_free);
  g_mutex_unlock (&self->freeze_lock);
  if (capture < 0)
    return;

  /* The exec failed: what was captured can only be refused now (callers may retry). */
  if (lseek (capture, 0, SEEK_SET) == 0 && self->connection != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GPtrArray) messages = init_service_read_captured (capture, &bytes);

      for (guint i = 0; i < messages->len; i++)
        {
          GDBusMessage *call = g_ptr_array_index (messages, i);
          g_autoptr(GDBusMessage) reply = NULL;

          if (g_dbus_message_get_message_type (call) != G_DBUS_MESSAGE_TYPE_METHOD_CALL
              || (g_dbus_message_get_flags (call) & G_DBUS_MESSAGE_FLAGS_NO_REPLY_EXPECTED))
            continue;
          reply = g_dbus_message_new_method_error_literal (call, "org.example.Init.Error.Failed",
                                                           _("The daemon was re-executing; try again"));
          g_dbus_connection_send_message (self->connection, reply, G_DBUS_SEND_MESSAGE_FLAGS_NONE,
                                          NULL, NULL);
        }
    }
  close (capture);
}

GPtrArray *
init_service_read_captured (int      fd,
                            GBytes **raw)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  guint8 chunk[65536];
  gsize offset = 0;
  gssize n;

  while ((n = read (fd, chunk, sizeof chunk)) > 0)
    g_byte_array_append (all, chunk, n);
  /* Records: u32 length + one serialised message.  A record cut short by the exec is
   * dropped. */
  while (offset + sizeof (guint32) <= all->len)
    {
      guint32 length;
      GDBusMessage *message;

      memcpy (&length, all->data + offset, sizeof length);
      if (length > all->len - offset - sizeof length)
        break;
      message = g_dbus_message_new_from_blob (all->data + offset + sizeof length, length,
                                              G_DBUS_CAPABILITY_FLAGS_NONE, NULL);
      if (message != NULL)
        {
          g_ptr_array_add (messages, message);
          g_byte_array_append (stream, all->data + offset + sizeof length, length);
        }
      offset += sizeof length + length;
    }
  if (raw != NULL)
    *raw = g_byte_array_free_to_bytes (g_steal_pointer (&stream));
  return messages;
}

guint
init_service_get_n_captured (InitService *self)
{
  return self->n_captured;
}

gboolean
init_service_adopt (InitService *self,
                    int          fd,
                    int          capture_fd,
                    const char  *unique_name,
                    GError     **error)
{
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GInputStream) socket_input = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GIOStream) io = NULL;
  g_autoptr(GBytes) captured = NULL;
  g_autoptr(GDBusConnection) hold = NULL;
  GDBusConnection *connection;

  g_return_val_if_fail (INIT_IS_SERVICE (self), FALSE);

  if (capture_fd >= 0)
    {
      g_autoptr(GPtrArray) messages = NULL;

      lseek (capture_fd, 0, SEEK_SET);
      messages = init_service_read_captured (capture_fd, &captured);
      close (capture_fd);
      if (messages->len > 0)
        g_info ("Handling %u messages that arrived during the re-exec", messages->len);
    }
  /* Plain fd streams (pollable), not socket ones: GDBus treats a GSocketOutputStream as
   * belonging to a GSocketConnection it does not have here.  We pass no fds over the bus. */
  /* Inherited without close-on-exec: jobs we spawn must not hold our bus connection. */
  fcntl (fd, F_SETFD, FD_CLOEXEC);
  output = g_unix_output_stream_new (fd, TRUE);
  socket_input = g_unix_input_stream_new (fd, FALSE);
  /* Messages the previous process read but did not handle come first, then the socket. */
  input = init_prefix_stream_new (captured, socket_input);
  io = g_simple_io_stream_new (input, output);
  /* Already authenticated and registered with the bus (our predecessor said Hello): no
   * handshake, no Hello; the name is still ours.  The stream already holds calls: nothing is
   * read until the objects are exported again (or GDBus's thread answers them "no such
   * object", from a connection not yet initialised). */
  connection = g_dbus_connection_new_sync (io, NULL, G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING,
                                           NULL, NULL, error);
  if (connection == NULL)
    return FALSE;
  self->stopped = FALSE;
  /* use_connection() drops it if it closed meanwhile. */
  hold = g_object_ref (connection);
  if (use_connection (self, connection))
    {
      self->unique_name = g_strdup (unique_name);
      self->socket_fd = fd;
      on_name_acquired (self->connection, INIT_BUS_NAME, self);
    }
  g_dbus_connection_start_message_processing (hold);
  return TRUE;
}
