/* init-subscribers.c — the clients following the daemon's signals (Manager.Subscribe)
 *
 * A subscriber's departure is seen through NameOwnerChanged.  The match rule for each name is
 * added by hand (AddMatch with arg0), not with g_bus_watch_name(): after a re-exec the daemon
 * runs on an adopted connection GDBus does not know as a message bus connection, where name
 * watches are refused; the rules themselves belong to the bus connection, so the ones the
 * previous process added still hold after a re-exec and are not added again. */
#define G_LOG_DOMAIN "init-subscribers"

#include <glib/gi18n.h>

#include "init-subscribers.h"

#define DBUS_NAME "org.freedesktop.DBus"
#define DBUS_PATH "/org/freedesktop/DBus"

struct _InitSubscribers
{
  GDBusConnection *connection;
  guint            owner_changed;  /* our NameOwnerChanged subscription */
  GHashTable      *names;          /* unique names (set, owned) */
  GCancellable    *cancellable;    /* GetNameOwner checks in flight */
};

static void
drop_connection (InitSubscribers *self)
{
  g_hash_table_remove_all (self->names);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->owner_changed != 0)
    g_dbus_connection_signal_unsubscribe (self->connection, self->owner_changed);
  self->owner_changed = 0;
  g_clear_object (&self->connection);
}

InitSubscribers *
init_subscribers_new (void)
{
  InitSubscribers *self = g_new0 (InitSubscribers, 1);

  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
init_subscribers_free (InitSubscribers *self)
{
  if (self == NULL)
    return;
  drop_connection (self);
  g_hash_table_unref (self->names);
  g_free (self);
}

static char *
match_rule (const char *name)
{
  return g_strdup_printf ("type='signal',sender='" DBUS_NAME "',path='" DBUS_PATH "',"
                          "interface='" DBUS_NAME "',member='NameOwnerChanged',arg0='%s'", name);
}

/* AddMatch / RemoveMatch for @name's departure; no reply awaited. */
static void
call_match (InitSubscribers *self,
            const char      *method,
            const char      *name)
{
  g_autofree char *rule = match_rule (name);

  g_dbus_connection_call (self->connection, DBUS_NAME, DBUS_PATH, DBUS_NAME, method,
                          g_variant_new ("(s)", rule), NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                          NULL, NULL, NULL);
}

static void
on_name_owner_changed (GDBusConnection *connection,
                       const char      *sender,
                       const char      *path,
                       const char      *interface_name,
                       const char      *member,
                       GVariant        *params,
                       gpointer         user_data)
{
  InitSubscribers *self = user_data;
  const char *name, *new_owner;

  if (!g_variant_is_of_type (params, G_VARIANT_TYPE ("(sss)")))
    return;
  g_variant_get (params, "(&s&s&s)", &name, NULL, &new_owner);
  if (new_owner[0] == '\0')
    init_subscribers_remove (self, name);
}

void
init_subscribers_set_connection (InitSubscribers *self,
                                 GDBusConnection *connection)
{
  g_return_if_fail (self != NULL);

  drop_connection (self);
  if (connection == NULL)
    return;
  self->connection = g_object_ref (connection);
  self->cancellable = g_cancellable_new ();
  /* Sender given by name only on a message bus connection (GDBus's rule). */
  self->owner_changed =
    g_dbus_connection_signal_subscribe (connection, NULL, DBUS_NAME, "NameOwnerChanged", DBUS_PATH,
                                        NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_name_owner_changed,
                                        self, NULL);
}

typedef struct
{
  InitSubscribers *self;
  char            *name;
} Check;

/* The name was gone before our match rule was in place: it left unseen. */
static void
name_owner_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Check *check = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);

  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && g_dbus_error_is_remote_error (error))
    init_subscribers_remove (check->self, check->name);
  g_free (check->name);
  g_free (check);
}

static void
check_present (InitSubscribers *self,
               const char      *name)
{
  Check *check = g_new0 (Check, 1);

  check->self = self;
  check->name = g_strdup (name);
  g_dbus_connection_call (self->connection, DBUS_NAME, DBUS_PATH, DBUS_NAME, "GetNameOwner",
                          g_variant_new ("(s)", name), G_VARIANT_TYPE ("(s)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, name_owner_cb, check);
}

static gboolean
add_name (InitSubscribers *self,
          const char      *name,
          gboolean         add_rule,
          GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_hash_table_contains (self->names, name))
    return TRUE;
  if (self->connection == NULL)
    {
      g_set_error_literal (error, G_DBUS_ERROR, G_DBUS_ERROR_FAILED, _("Not on a bus"));
      return FALSE;
    }
  if (g_hash_table_size (self->names) >= INIT_SUBSCRIBERS_MAX)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_LIMITS_EXCEEDED,
                   _("Too many subscribers (at most %u)"), INIT_SUBSCRIBERS_MAX);
      return FALSE;
    }
  g_hash_table_add (self->names, g_strdup (name));
  if (add_rule)
    call_match (self, "AddMatch", name);
  /* Sent after the rule, so the bus answers after the rule is in place. */
  check_present (self, name);
  return TRUE;
}

gboolean
init_subscribers_add (InitSubscribers *self,
                      const char      *name,
                      GError         **error)
{
  return add_name (self, name, TRUE, error);
}

gboolean
init_subscribers_adopt (InitSubscribers *self,
                        const char      *name,
                        GError         **error)
{
  return add_name (self, name, FALSE, error);
}

void
init_subscribers_remove (InitSubscribers *self,
                         const char      *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  if (!g_hash_table_remove (self->names, name))
    return;
  g_debug ("Subscriber %s gone", name);
  if (self->connection != NULL && !g_dbus_connection_is_closed (self->connection))
    call_match (self, "RemoveMatch", name);
}

gboolean
init_subscribers_any (InitSubscribers *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return g_hash_table_size (self->names) > 0;
}

char **
init_subscribers_list (InitSubscribers *self)
{
  g_autofree gpointer *names = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  names = g_hash_table_get_keys_as_array (self->names, NULL);
  return g_strdupv ((char **) names);
}
