/* init-call-gate.c — a user over its share is refused before the main loop sees the call */
#define G_LOG_DOMAIN "init-authority"

#include <glib/gi18n.h>
#include <unistd.h>

#include "init-call-gate.h"
#include "init-env-policy.h"
#include "init-reply-pacer.h"

/* Bounded: dropped whole when full (a forgotten sender just passes until it is known again). */
#define SENDERS_MAX 8192

/* Calls needing authorisation one connection may have unanswered at a time.  A client asks
 * one thing at a time, or a few; a flood over many connections puts at most this many per
 * connection in the main loop's queue. */
#define UNANSWERED_PER_SENDER 32
/* Beyond its 32, a connection whose uid the main loop has not learnt yet may draw on a pool
 * shared by all such connections.  The uid is learnt only when the main loop dispatches the
 * connection's first call, one bus round trip later: a client that pipelines its first calls
 * (root's initctl, a benchmark) has all of them read before then, and must not be refused for
 * it.  dbus-daemon lets a connection have 128 calls unanswered on the system bus, so one such
 * client fits; a flood over hundreds of new connections empties the pool at once and gets
 * its 32 per connection, as before. */
#define UNKNOWN_POOL 256
/* The same for all of one user's connections together, once the user is known.  The main loop
 * learns that a user's queue of checks is full only after it has dispatched the calls the
 * worker already let through: without this cap a flood over 250 connections slipped
 * thousands of calls past the gate each time the queue had room again, and every other
 * caller's call waited behind them in the main loop. */
#define UNANSWERED_PER_UID 256

#define LIMITS_EXCEEDED "org.example.Init.Error.LimitsExceeded"
#define INVALID_ENVIRONMENT "org.example.Init.Error.InvalidEnvironment"

/* An environment argument larger than this (serialised: the strings, their NULs and the
 * offsets) cannot pass init_env_policy_check_size(): refused here, so a flood of huge calls
 * never piles up in the main loop's queue. */
#define ENV_MAX (INIT_ENV_POLICY_MAX_BYTES + (INIT_ENV_POLICY_MAX_ENTRIES + 1) * 9)

struct _InitCallGate
{
  GMutex      lock;
  GHashTable *senders;   /* unique name -> uid */
  GHashTable *states;    /* uid -> InitCallGateState (only those not open) */
  GHashTable *unanswered; /* unique name -> GHashTable: serial passed and not answered ->
                           * its sender's uid + 1 (0: not known when it passed) */
  GHashTable     *uid_unanswered; /* uid -> calls passed and not answered, counted by uid */
  GHashTable     *pooled; /* "serial sender" of the calls passed from UNKNOWN_POOL, unanswered */
  gboolean        limited; /* FALSE: nothing is counted or refused for its number */
  guint64         refused;
  InitReplyPacer *pacer;  /* writes the refusals of the connection attached last */
};

/* The members that need authorisation: the only ones the gate ever refuses. */
static const struct
{
  const char *interface;
  const char *member;
} checked[] = {
  { "org.example.Init", "EmitEvent" },
  { "org.example.Init", "ReloadConfiguration" },
  { "org.example.Init", "Reexec" },
  { "org.example.Init.Job", "Start" },
  { "org.example.Init.Job", "Stop" },
  { "org.example.Init.Job", "Restart" },
  { "org.example.Init.Job", "GetLog" },
  { "org.example.Init.Instance", "Start" },
  { "org.example.Init.Instance", "Stop" },
  { "org.example.Init.Instance", "Restart" },
  { "org.example.Init.Instance", "Reload" },
};

static void
gate_clear (InitCallGate *self)
{
  g_mutex_clear (&self->lock);
  g_hash_table_unref (self->senders);
  g_hash_table_unref (self->states);
  g_hash_table_unref (self->unanswered);
  g_hash_table_unref (self->uid_unanswered);
  g_hash_table_unref (self->pooled);
  g_clear_pointer (&self->pacer, init_reply_pacer_unref);
}

InitCallGate *
init_call_gate_new (void)
{
  InitCallGate *self = g_atomic_rc_box_new0 (InitCallGate);

  g_mutex_init (&self->lock);
  self->senders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->states = g_hash_table_new (NULL, NULL);
  self->uid_unanswered = g_hash_table_new (NULL, NULL);
  self->pooled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->limited = TRUE;
  self->unanswered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_hash_table_unref);
  return self;
}

InitCallGate *
init_call_gate_ref (InitCallGate *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
init_call_gate_unref (InitCallGate *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) gate_clear);
}

static gboolean
needs_check (GDBusMessage *message)
{
  const char *interface = g_dbus_message_get_interface (message);
  const char *member = g_dbus_message_get_member (message);

  if (interface == NULL || member == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (checked); i++)
    if (g_str_equal (interface, checked[i].interface) && g_str_equal (member, checked[i].member))
      return TRUE;
  return FALSE;
}

/* The serialised size of @body's string-array arguments (job variables), without copying. */
static gsize
env_size (GVariant *body)
{
  gsize size = 0;

  if (body == NULL || !g_variant_is_of_type (body, G_VARIANT_TYPE_TUPLE))
    return 0;
  for (gsize i = 0; i < g_variant_n_children (body); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (body, i);

      if (g_variant_is_of_type (child, G_VARIANT_TYPE_STRING_ARRAY))
        size += g_variant_get_size (child);
    }
  return size;
}

/* An answer to @sender's call @serial is going out: it is no longer waiting. */
static void
answered (InitCallGate *self,
          const char   *sender,
          guint32       serial)
{
  GHashTable *serials;
  gpointer uid_1 = NULL;

  g_mutex_lock (&self->lock);
  serials = g_hash_table_lookup (self->unanswered, sender);
  if (serials != NULL
      && g_hash_table_steal_extended (serials, GUINT_TO_POINTER (serial), NULL, &uid_1))
    {
      if (g_hash_table_size (serials) == 0)
        g_hash_table_remove (self->unanswered, sender);
      if (uid_1 == NULL && g_hash_table_size (self->pooled) > 0)
        {
          g_autofree char *key = g_strdup_printf ("%u %s", serial, sender);

          g_hash_table_remove (self->pooled, key);
        }
      if (uid_1 != NULL)
        {
          gpointer uid = GSIZE_TO_POINTER (GPOINTER_TO_SIZE (uid_1) - 1);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->uid_unanswered, uid));

          if (n > 1)
            g_hash_table_insert (self->uid_unanswered, uid, GUINT_TO_POINTER (n - 1));
          else
            g_hash_table_remove (self->uid_unanswered, uid);
        }
    }
  g_mutex_unlock (&self->lock);
}

/* May @message (a call needing authorisation from @sender) go on?  If so it counts as
 * unanswered until its reply goes out.  Called with the lock held. */
static gboolean
admit (InitCallGate *self,
       GDBusMessage *message,
       const char   *sender)
{
  InitCallGateState state = INIT_CALL_GATE_OPEN;
  gboolean interactive = (g_dbus_message_get_flags (message) &
                          G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) != 0;
  GHashTable *serials = g_hash_table_lookup (self->unanswered, sender);
  gpointer known = NULL;
  guint by_uid = 0;
  gboolean is_known, own_full, pooled = FALSE;

  if (!self->limited)
    return TRUE;
  is_known = g_hash_table_lookup_extended (self->senders, sender, NULL, &known);
  if (is_known)
    {
      guint uid = GPOINTER_TO_UINT (known);

      /* Root and the daemon's own user never wait for polkit: their calls are answered as
       * fast as the main loop runs, so a client may pipeline as many as it likes. */
      if (uid == 0 || uid == (guint) geteuid ())
        return TRUE;
      state = GPOINTER_TO_UINT (g_hash_table_lookup (self->states, known));
      by_uid = GPOINTER_TO_UINT (g_hash_table_lookup (self->uid_unanswered, known));
    }
  own_full = serials != NULL && g_hash_table_size (serials) >= UNANSWERED_PER_SENDER;
  if (own_full && !is_known && g_hash_table_size (self->pooled) < UNKNOWN_POOL)
    {
      pooled = TRUE;
      own_full = FALSE;
    }
  if ((state & INIT_CALL_GATE_CHECKS_FULL)
      || (interactive && (state & INIT_CALL_GATE_INTERACTIVE_FULL))
      || by_uid >= UNANSWERED_PER_UID
      || own_full)
    return FALSE;
  if (serials == NULL)
    {
      serials = g_hash_table_new (NULL, NULL);
      g_hash_table_insert (self->unanswered, g_strdup (sender), serials);
    }
  g_hash_table_insert (serials, GUINT_TO_POINTER (g_dbus_message_get_serial (message)),
                       known != NULL ? GSIZE_TO_POINTER (GPOINTER_TO_SIZE (known) + 1) : NULL);
  if (known != NULL)
    g_hash_table_insert (self->uid_unanswered, known, GUINT_TO_POINTER (by_uid + 1));
  if (pooled)
    g_hash_table_add (self->pooled, g_strdup_printf ("%u %s", g_dbus_message_get_serial (message),
                                                     sender));
  return TRUE;
}

/* In GDBus's worker thread, for every message, as it is read or before it is written. */
static GDBusMessage *
gate_filter (GDBusConnection *connection,
             GDBusMessage    *message,
             gboolean         incoming,
             gpointer         user_data)
{
  InitCallGate *self = user_data;
  GDBusMessageType type = g_dbus_message_get_message_type (message);
  const char *sender = g_dbus_message_get_sender (message);
  g_autoptr(GDBusMessage) reply = NULL;
  g_autoptr(InitReplyPacer) pacer = NULL;

  if (!incoming)
    {
      if ((type == G_DBUS_MESSAGE_TYPE_METHOD_RETURN || type == G_DBUS_MESSAGE_TYPE_ERROR)
          && g_dbus_message_get_destination (message) != NULL)
        answered (self, g_dbus_message_get_destination (message),
                  g_dbus_message_get_reply_serial (message));
      return message;
    }
  if (sender == NULL || type != G_DBUS_MESSAGE_TYPE_METHOD_CALL || !needs_check (message))
    return message;
  if (env_size (g_dbus_message_get_body (message)) > ENV_MAX)
    {
      reply = g_dbus_message_new_method_error (message, INVALID_ENVIRONMENT,
                                               _("Environment too large (at most %d bytes in all)"),
                                               INIT_ENV_POLICY_MAX_BYTES);
      g_dbus_connection_send_message (connection, reply, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL,
                                      NULL);
      g_object_unref (message);
      return NULL;
    }
  g_mutex_lock (&self->lock);
  if (admit (self, message, sender))
    {
      g_mutex_unlock (&self->lock);
      return message;
    }
  self->refused++;
  pacer = self->pacer != NULL ? init_reply_pacer_ref (self->pacer) : NULL;
  g_mutex_unlock (&self->lock);

  /* In turn, behind other callers' replies (init-reply-pacer.h). */
  if (!(g_dbus_message_get_flags (message) & G_DBUS_MESSAGE_FLAGS_NO_REPLY_EXPECTED)
      && pacer != NULL)
    init_reply_pacer_refuse (pacer, message, LIMITS_EXCEEDED,
                             _("Too many calls of this connection are waiting for "
                               "authorization; try again later"));
  g_object_unref (message);
  return NULL;
}

guint
init_call_gate_attach (InitCallGate    *self,
                       GDBusConnection *connection,
                       gboolean         limited)
{
  g_return_val_if_fail (self != NULL && G_IS_DBUS_CONNECTION (connection), 0);

  g_mutex_lock (&self->lock);
  self->limited = limited;
  g_hash_table_remove_all (self->senders);
  g_hash_table_remove_all (self->unanswered);
  g_hash_table_remove_all (self->uid_unanswered);
  g_hash_table_remove_all (self->pooled);
  g_clear_pointer (&self->pacer, init_reply_pacer_unref);
  self->pacer = init_reply_pacer_new (connection, g_main_context_get_thread_default ());
  g_mutex_unlock (&self->lock);
  /* GDBus may still run the filter after it is removed: it keeps its own reference. */
  return g_dbus_connection_add_filter (connection, gate_filter, init_call_gate_ref (self),
                                       (GDestroyNotify) init_call_gate_unref);
}

void
init_call_gate_set_sender (InitCallGate *self,
                           const char   *sender,
                           guint32       uid)
{
  g_return_if_fail (self != NULL && sender != NULL);

  g_mutex_lock (&self->lock);
  if (g_hash_table_size (self->senders) >= SENDERS_MAX)
    g_hash_table_remove_all (self->senders);
  g_hash_table_replace (self->senders, g_strdup (sender), GUINT_TO_POINTER (uid));
  g_mutex_unlock (&self->lock);
}

void
init_call_gate_set_state (InitCallGate     *self,
                          guint32           uid,
                          InitCallGateState state)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  if (state == INIT_CALL_GATE_OPEN)
    g_hash_table_remove (self->states, GUINT_TO_POINTER (uid));
  else
    g_hash_table_insert (self->states, GUINT_TO_POINTER (uid), GUINT_TO_POINTER (state));
  g_mutex_unlock (&self->lock);
}

guint64
init_call_gate_get_refused (InitCallGate *self)
{
  guint64 refused;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  refused = self->refused;
  g_mutex_unlock (&self->lock);
  return refused;
}
