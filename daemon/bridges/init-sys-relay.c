/* init-sys-relay.c — `:sys:NAME' from the system daemon's EventPublished, see init-sys-relay.h */
#define G_LOG_DOMAIN "init-bridges"

#include <glib/gi18n.h>
#include <string.h>

#include "init-bus-link.h"
#include "init-env.h"
#include "init-match-rules.h"
#include "init-sys-relay.h"

#define SYS_PREFIX ":sys:"
#define INIT_NAME "org.example.Init"
#define INIT_PATH "/org/example/Init"

struct _InitSysRelay
{
  InitSource       parent;
  InitEngine      *engine;
  InitBusLink     *link;          /* to the system bus */
  GHashTable      *wanted;        /* system event names the jobs name (without :sys:) */
  GHashTable      *added;         /* match rules added on the current connection */
  GDBusConnection *connection;    /* the link's, NULL while disarmed or connecting */
  GCancellable    *cancellable;   /* the link's, for the calls on it */
  guint            owner_id;      /* NameOwnerChanged of org.example.Init */
  guint            published_id;  /* EventPublished */
  char            *owner;         /* the system daemon's unique name, or NULL */
  gboolean         had_owner;     /* another owner came before it on this connection */
  gboolean         subscribed;    /* the owner answered our Subscribe */
};

/* The rule routing EventPublished of @name to us: `arg1' is the event name.  A name the rule
 * syntax cannot hold gets every EventPublished (the callback filters). */
static char *
published_rule (const char *name)
{
  const char *base = "type='signal',sender='" INIT_NAME "',path='" INIT_PATH "',"
                     "interface='" INIT_NAME "',member='EventPublished'";

  if (strpbrk (name, "'\\,") != NULL)
    return g_strdup (base);
  return g_strdup_printf ("%s,arg1='%s'", base, name);
}

static void
report (InitSysRelay *self)
{
  g_autofree char *detail = NULL;
  guint n = g_hash_table_size (self->wanted);

  if (self->owner == NULL || !self->subscribed)
    detail = g_strdup (_("waiting for the system daemon"));
  else
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event from the system daemon",
                                           "%u events from the system daemon", n), n);
  init_source_report (&self->parent, INIT_SOURCE_ACTIVE, detail);
}

static void
emit (InitSysRelay *self,
      const char   *name,
      GPtrArray    *env)
{
  g_autofree char *full = g_strconcat (SYS_PREFIX, name, NULL);

  if (init_event_name_is_valid (full))
    init_engine_emit (self->engine, full, env, NULL, NULL);
}

/* ---- from the system daemon ---- */

static void
on_published (GDBusConnection *connection,
              const char      *sender,
              const char      *path,
              const char      *interface,
              const char      *member,
              GVariant        *parameters,
              gpointer         user_data)
{
  InitSysRelay *self = user_data;
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **entries = NULL;
  const char *name;
  guint64 id;

  /* GDBus does not check a well-known sender itself: only the name's owner is believed. */
  if (connection != self->connection || self->owner == NULL
      || g_strcmp0 (sender, self->owner) != 0
      || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(tsas)")))
    return;
  g_variant_get (parameters, "(t&s^a&s)", &id, &name, &entries);
  if (!g_hash_table_contains (self->wanted, name))
    return;
  for (guint i = 0; entries[i] != NULL; i++)
    {
      const char *entry[] = { entries[i], NULL };

      if (init_env_validate (entry, NULL))
        g_ptr_array_add (env, g_strdup (entries[i]));
    }
  emit (self, name, env);
}

static void
on_subscribed (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result,
                                                             &error);
  InitSysRelay *self = user_data;
  g_autofree char *detail = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* disarmed or freed: @self may be gone */
  if (reply != NULL)
    {
      self->subscribed = TRUE;
      report (self);
      return;
    }
  /* The daemon going away meanwhile is no failure: it is followed again when it is back. */
  if (g_dbus_error_is_remote_error (error) && self->owner != NULL)
    {
      detail = g_strdup_printf (_("Cannot follow the system daemon: %s"), error->message);
      init_source_report (&self->parent, INIT_SOURCE_FAILED, detail);
    }
}

/* The system daemon is @owner now (NULL: gone); a new one is subscribed to, and one that came
 * after another is announced as `:sys:restarted'. */
static void
set_owner (InitSysRelay *self,
           const char   *owner)
{
  if (owner != NULL && owner[0] == '\0')
    owner = NULL;
  if (g_strcmp0 (owner, self->owner) == 0)
    return;
  if (self->owner != NULL)
    self->had_owner = TRUE;
  g_free (self->owner);
  self->owner = g_strdup (owner);
  self->subscribed = FALSE;
  report (self);
  if (owner == NULL)
    return;
  g_dbus_connection_call (self->connection, owner, INIT_PATH, INIT_NAME, "Subscribe", NULL,
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, on_subscribed,
                          self);
  if (self->had_owner && g_hash_table_contains (self->wanted, "restarted"))
    {
      g_autoptr(GPtrArray) env = g_ptr_array_new ();

      emit (self, "restarted", env);
    }
}

static void
on_owner_changed (GDBusConnection *connection,
                  const char      *sender,
                  const char      *path,
                  const char      *interface,
                  const char      *member,
                  GVariant        *parameters,
                  gpointer         user_data)
{
  InitSysRelay *self = user_data;
  const char *name, *old_owner, *new_owner;

  /* A signal queued before the connection was lost is for a connection we forgot. */
  if (connection != self->connection || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sss)")))
    return;
  g_variant_get (parameters, "(&s&s&s)", &name, &old_owner, &new_owner);
  set_owner (self, new_owner);
}

static void
on_owner (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result,
                                                             &error);
  const char *owner = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply != NULL)
    g_variant_get (reply, "(&s)", &owner);
  /* A NameOwnerChanged may have told us first; either way the same owner is set once. */
  set_owner (user_data, owner);
}

/* ---- the connection and its rules ---- */

/* Make the connection's rules those the wanted names need. */
static void
sync_rules (InitSysRelay *self)
{
  g_autoptr(GHashTable) rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->wanted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (rules, published_rule (key));
  init_match_rules_sync (self->connection, self->added, rules, _("the system daemon's events"),
                         self->cancellable);
}

/* Forget the connection's state (the bus forgets our rules, the daemon our subscription,
 * once the connection is closed). */
static void
forget_connection (InitSysRelay *self)
{
  g_hash_table_remove_all (self->added);
  g_clear_pointer (&self->owner, g_free);
  self->had_owner = FALSE;
  self->subscribed = FALSE;
  self->connection = NULL;
  self->cancellable = NULL;
  self->owner_id = self->published_id = 0;
}

static void
follow (InitSysRelay    *self,
        GDBusConnection *connection)
{
  self->connection = connection;
  self->cancellable = init_bus_link_get_cancellable (self->link);
  self->published_id = g_dbus_connection_signal_subscribe (
    connection, NULL, INIT_NAME, "EventPublished", INIT_PATH, NULL,
    G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE, on_published, self, NULL);
  self->owner_id = g_dbus_connection_signal_subscribe (
    connection, "org.freedesktop.DBus", "org.freedesktop.DBus", "NameOwnerChanged",
    "/org/freedesktop/DBus", INIT_NAME, G_DBUS_SIGNAL_FLAGS_NONE, on_owner_changed, self, NULL);
  /* Rules first: the bus handles our calls in order, so once Subscribe is answered every
   * event the daemon publishes reaches us. */
  sync_rules (self);
  g_dbus_connection_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "GetNameOwner", g_variant_new ("(s)", INIT_NAME),
                          G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable,
                          on_owner, self);
}

static void
on_link (GDBusConnection *connection,
         const GError    *error,
         gpointer         user_data)
{
  InitSysRelay *self = user_data;
  g_autofree char *detail = NULL;

  forget_connection (self);
  if (connection != NULL)
    follow (self, connection);
  else if (error != NULL)
    {
      detail = g_strdup_printf (_("Cannot connect to the system bus: %s"), error->message);
      init_source_report (&self->parent, INIT_SOURCE_FAILED, detail);
    }
  else
    report (self);
}

/* ---- as a source of the registry (init-source.h) ---- */

static void
relay_arm (InitSource *parent,
           GPtrArray  *leaves)
{
  InitSysRelay *self = (InitSysRelay *) parent;

  g_hash_table_remove_all (self->wanted);
  for (guint i = 0; i < leaves->len; i++)
    {
      const InitSourceLeaf *leaf = g_ptr_array_index (leaves, i);

      if (g_str_has_prefix (leaf->leaf->name, SYS_PREFIX))
        g_hash_table_add (self->wanted, g_strdup (leaf->leaf->name + strlen (SYS_PREFIX)));
    }
  if (self->connection != NULL)
    {
      sync_rules (self);
      report (self);
    }
  else
    init_bus_link_up (self->link);
}

static void
relay_disarm (InitSource *parent)
{
  InitSysRelay *self = (InitSysRelay *) parent;

  g_hash_table_remove_all (self->wanted);
  if (self->connection != NULL)
    {
      g_dbus_connection_signal_unsubscribe (self->connection, self->owner_id);
      g_dbus_connection_signal_unsubscribe (self->connection, self->published_id);
    }
  forget_connection (self);
  init_bus_link_down (self->link);
}

static void
relay_free (InitSource *parent)
{
  InitSysRelay *self = (InitSysRelay *) parent;

  relay_disarm (parent);
  g_hash_table_unref (self->wanted);
  g_hash_table_unref (self->added);
  init_bus_link_free (self->link);
  g_free (self);
}

static const InitSourceClass relay_class = { relay_arm, relay_disarm, relay_free };
static const char *const relay_events[] = { SYS_PREFIX "*", NULL };

InitSysRelay *
init_sys_relay_new (InitEngine *engine,
                    const char *address)
{
  InitSysRelay *self = g_new0 (InitSysRelay, 1);

  self->parent = (InitSource) { &relay_class, "sys", relay_events };
  self->engine = engine;
  self->link = init_bus_link_new (address, on_link, self);
  self->wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}
