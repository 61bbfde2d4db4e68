/* init-reply-pacer.c — refusals go out no faster than the bus takes them */
#define G_LOG_DOMAIN "init-authority"

#include <linux/sockios.h>
#include <sys/ioctl.h>

#include "init-reply-pacer.h"

/* WAITING_MAX: refusals held at most (about 64 bytes each); the bus lets one user have 256
 * connections of 128 unanswered calls.  Past this a refusal is written at once, as if there
 * were no pacer.  BATCH refusals are written in one go, once the bus has read all but
 * LOW_WATER bytes of what initd wrote: a reply sent meanwhile waits behind about that much,
 * a few turns of dbus-daemon's loop.  RETRY_MSEC: how soon to look again while the bus is
 * behind. */
#define WAITING_MAX 32768
#define BATCH       16
#define LOW_WATER   (16 * 1024)
#define RETRY_MSEC  2

typedef struct
{
  char       *destination;
  guint32     serial;
  const char *error_name;
  const char *text;
} Refusal;

struct _InitReplyPacer
{
  GMutex        lock;
  GWeakRef      connection;  /* a strong one would close a cycle: connection, gate filter, us */
  GMainContext *context;
  int           fd;          /* the connection's socket, -1 if it has none */
  GQueue        waiting;     /* Refusal* */
  GSource      *source;      /* the next drain, if one is scheduled */
  gboolean      writing;     /* a batch is being flushed */
};

static void
refusal_free (Refusal *refusal)
{
  g_free (refusal->destination);
  g_free (refusal);
}

static void
pacer_clear (InitReplyPacer *self)
{
  g_queue_clear_full (&self->waiting, (GDestroyNotify) refusal_free);
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_source_unref (self->source);
    }
  g_weak_ref_clear (&self->connection);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
}

InitReplyPacer *
init_reply_pacer_new (GDBusConnection *connection,
                      GMainContext    *context)
{
  InitReplyPacer *self = g_atomic_rc_box_new0 (InitReplyPacer);
  GIOStream *stream;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  g_mutex_init (&self->lock);
  g_weak_ref_init (&self->connection, connection);
  self->context = context != NULL ? g_main_context_ref (context) : g_main_context_ref (g_main_context_default ());
  g_queue_init (&self->waiting);
  stream = g_dbus_connection_get_stream (connection);
  self->fd = G_IS_SOCKET_CONNECTION (stream)
             ? g_socket_get_fd (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)))
             : -1;
  return self;
}

InitReplyPacer *
init_reply_pacer_ref (InitReplyPacer *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
init_reply_pacer_unref (InitReplyPacer *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) pacer_clear);
}

static void
send_refusal (GDBusConnection *connection,
              const Refusal   *refusal)
{
  g_autoptr(GDBusMessage) reply = g_dbus_message_new ();

  /* What g_dbus_message_new_method_error() builds, without keeping the call around. */
  g_dbus_message_set_message_type (reply, G_DBUS_MESSAGE_TYPE_ERROR);
  g_dbus_message_set_flags (reply, G_DBUS_MESSAGE_FLAGS_NO_REPLY_EXPECTED);
  g_dbus_message_set_reply_serial (reply, refusal->serial);
  g_dbus_message_set_destination (reply, refusal->destination);
  g_dbus_message_set_error_name (reply, refusal->error_name);
  g_dbus_message_set_body (reply, g_variant_new ("(s)", refusal->text));
  g_dbus_connection_send_message (connection, reply, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL, NULL);
}

/* Bytes initd wrote that the bus has not read yet (0 if we cannot tell). */
static int
unread_bytes (InitReplyPacer *self)
{
  int unread = 0;

  if (self->fd < 0 || ioctl (self->fd, SIOCOUTQ, &unread) != 0)
    return 0;
  return unread;
}

static gboolean drain (gpointer user_data);

static void
schedule_locked (InitReplyPacer *self,
                 guint           delay_msec)
{
  if (self->source != NULL || self->writing || g_queue_is_empty (&self->waiting))
    return;
  self->source = delay_msec > 0 ? g_timeout_source_new (delay_msec) : g_idle_source_new ();
  /* After the calls the main loop has to dispatch: they may be somebody else's. */
  g_source_set_priority (self->source, G_PRIORITY_LOW);
  g_source_set_callback (self->source, drain, init_reply_pacer_ref (self),
                         (GDestroyNotify) init_reply_pacer_unref);
  g_source_attach (self->source, self->context);
}

static void
written (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(InitReplyPacer) self = user_data;

  g_dbus_connection_flush_finish (G_DBUS_CONNECTION (source), result, NULL);
  g_mutex_lock (&self->lock);
  self->writing = FALSE;
  schedule_locked (self, 0);
  g_mutex_unlock (&self->lock);
}

static gboolean
drain (gpointer user_data)
{
  InitReplyPacer *self = user_data;
  g_autoptr(GDBusConnection) connection = g_weak_ref_get (&self->connection);
  GQueue batch = G_QUEUE_INIT;
  Refusal *refusal;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->source, g_source_unref);
  if (connection == NULL || g_dbus_connection_is_closed (connection))
    g_queue_clear_full (&self->waiting, (GDestroyNotify) refusal_free);
  else if (unread_bytes (self) > LOW_WATER)
    schedule_locked (self, RETRY_MSEC);
  else
    {
      while (batch.length < BATCH && (refusal = g_queue_pop_head (&self->waiting)) != NULL)
        g_queue_push_tail (&batch, refusal);
      self->writing = TRUE;
    }
  g_mutex_unlock (&self->lock);

  if (batch.length == 0)
    return G_SOURCE_REMOVE;
  while ((refusal = g_queue_pop_head (&batch)) != NULL)
    {
      send_refusal (connection, refusal);
      refusal_free (refusal);
    }
  /* The next batch once this one is in the socket, where unread_bytes() sees it. */
  g_dbus_connection_flush (connection, NULL, written, init_reply_pacer_ref (self));
  return G_SOURCE_REMOVE;
}

void
init_reply_pacer_refuse (InitReplyPacer *self,
                         GDBusMessage   *call,
                         const char     *error_name,
                         const char     *text)
{
  Refusal *refusal;

  g_return_if_fail (self != NULL && G_IS_DBUS_MESSAGE (call));
  g_return_if_fail (error_name != NULL && text != NULL);

  refusal = g_new0 (Refusal, 1);
  refusal->destination = g_strdup (g_dbus_message_get_sender (call));
  refusal->serial = g_dbus_message_get_serial (call);
  refusal->error_name = error_name;
  refusal->text = text;

  g_mutex_lock (&self->lock);
  if (self->waiting.length < WAITING_MAX)
    {
      g_queue_push_tail (&self->waiting, refusal);
      schedule_locked (self, 0);
      refusal = NULL;
    }
  g_mutex_unlock (&self->lock);

  if (refusal != NULL)
    {
      g_autoptr(GDBusConnection) connection = g_weak_ref_get (&self->connection);

      if (connection != NULL)
        send_refusal (connection, refusal);
      refusal_free (refusal);
    }
}

guint
init_reply_pacer_get_waiting (InitReplyPacer *self)
{
  guint waiting;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  waiting = self->waiting.length;
  g_mutex_unlock (&self->lock);
  return waiting;
}
