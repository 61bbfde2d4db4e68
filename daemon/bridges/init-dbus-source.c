/* init-dbus-source.c — `dbus' events from signals on the bus, see init-dbus-source.h */
#define G_LOG_DOMAIN "init-bridges"

#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-source.h"
#include "init-match-rules.h"
#include "init-source.h"

#define RETRY_MS 1000

/* The filter runs in GDBus's thread; what it hands on is dropped if the source went. */
typedef struct
{
  InitDbusSource *self;      /* read and cleared in the main context only */
  GMainContext   *context;   /* where the filter hands messages on */
} Link;


struct _InitDbusSource
{
  InitSource       parent;
  InitEngine      *engine;
  char            *address;
  char            *bus_label;
  GHashTable      *wanted;      /* match rules the jobs ask for (set) */
  GHashTable      *added;       /* rules added on the current connection (set) */
  GDBusConnection *connection;  /* NULL while disarmed or connecting */
  GCancellable    *connecting;  /* a connection attempt in flight, or NULL */
  Link            *link;        /* shared with the filter */
  guint            filter_id;
  gulong           closed_id;
  guint            retry_id;
};

/* Keys of a leaf that become parts of the rule, in the order the rule lists them. */
static const struct
{
  const char *key;
  const char *rule;
} rule_keys[] = {
  { "SIGNAL", "member" },
  { "INTERFACE", "interface" },
  { "OBJPATH", "path" },
  { "SENDER", "sender" },
  { "DESTINATION", "destination" },
};

/* Can @value be compared by the bus itself (no glob, no variable, no quote)? */
static gboolean
literal (const char *value)
{
  return value[0] != '\0' && strpbrk (value, "*?[]$'\\,") == NULL;
}

/* Is @value only ever a string argument's (not TRUE/FALSE, a number or an object path, which
 * argN cannot match)? */
static gboolean
string_only (const char *value)
{
  char *end = NULL;

  if (g_str_equal (value, "TRUE") || g_str_equal (value, "FALSE") || value[0] == '/')
    return FALSE;
  g_ascii_strtod (value, &end);
  return end == value || *end != '\0';
}

char *
init_dbus_source_rule (char *const *args)
{
  GString *rule = g_string_new ("type='signal'");

  for (guint k = 0; k < G_N_ELEMENTS (rule_keys); k++)
    for (guint i = 0; args != NULL && args[i] != NULL; i++)
      {
        gsize n = strlen (rule_keys[k].key);

        if (strncmp (args[i], rule_keys[k].key, n) == 0 && args[i][n] == '='
            && literal (args[i] + n + 1))
          {
            g_string_append_printf (rule, ",%s='%s'", rule_keys[k].rule, args[i] + n + 1);
            break;
          }
      }
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      guint64 index;
      const char *eq = strchr (args[i], '=');
      g_autofree char *number = NULL;

      if (!g_str_has_prefix (args[i], "ARG") || eq == NULL || eq[-1] == '!')
        continue;
      number = g_strndup (args[i] + 3, eq - args[i] - 3);
      if (g_ascii_string_to_unsigned (number, 10, 0, 63, &index, NULL)
          && literal (eq + 1) && string_only (eq + 1))
        g_string_append_printf (rule, ",arg%u='%s'", (guint) index, eq + 1);
    }
  return g_string_free (rule, FALSE);
}

/* ARGi of one argument, or NULL for the types Upstart gave no variable. */
static char *
arg_value (GVariant *value)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      return g_strdup (g_variant_get_boolean (value) ? "TRUE" : "FALSE");
    case G_VARIANT_CLASS_INT16:
      return g_strdup_printf ("%d", g_variant_get_int16 (value));
    case G_VARIANT_CLASS_UINT16:
      return g_strdup_printf ("%u", g_variant_get_uint16 (value));
    case G_VARIANT_CLASS_INT32:
      return g_strdup_printf ("%d", g_variant_get_int32 (value));
    case G_VARIANT_CLASS_UINT32:
      return g_strdup_printf ("%u", g_variant_get_uint32 (value));
    case G_VARIANT_CLASS_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
    case G_VARIANT_CLASS_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
    case G_VARIANT_CLASS_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%f", g_variant_get_double (value)));
      }
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
      return g_variant_dup_string (value, NULL);
    default:
      return NULL;
    }
}

static void
add_var (GPtrArray  *env,
         const char *name,
         const char *value)
{
  if (value != NULL)
    g_ptr_array_add (env, g_strconcat (name, "=", value, NULL));
}

GPtrArray *
init_dbus_source_env (GDBusMessage *message,
                      const char   *bus_label)
{
  GPtrArray *env = g_ptr_array_new_with_free_func (g_free);
  GVariant *body = g_dbus_message_get_body (message);

  add_var (env, "SIGNAL", g_dbus_message_get_member (message));
  add_var (env, "BUS", bus_label);
  add_var (env, "INTERFACE", g_dbus_message_get_interface (message));
  add_var (env, "OBJPATH", g_dbus_message_get_path (message));
  add_var (env, "SENDER", g_dbus_message_get_sender (message));
  add_var (env, "DESTINATION", g_dbus_message_get_destination (message));
  for (gsize i = 0; body != NULL && i < g_variant_n_children (body); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (body, i);
      g_autofree char *value = arg_value (child);
      g_autofree char *name = g_strdup_printf ("ARG%" G_GSIZE_FORMAT, i);

      add_var (env, name, value);
    }
  return env;
}

/* ---- from GDBus's worker thread to the main context ---- */

typedef struct
{
  Link         *link;
  GDBusMessage *message;
} Delivery;

static void
link_clear (Link *link)
{
  g_main_context_unref (link->context);
}

static void
link_release (gpointer data)
{
  g_rc_box_release_full (data, (GDestroyNotify) link_clear);
}

static void
delivery_free (gpointer data)
{
  Delivery *d = data;

  link_release (d->link);
  g_object_unref (d->message);
  g_free (d);
}

static gboolean
deliver (gpointer data)
{
  Delivery *d = data;
  InitDbusSource *self = d->link->self;
  const char *interface = g_dbus_message_get_interface (d->message);
  g_autoptr(GPtrArray) env = NULL;

  /* Our own signals would loop; a signal without member is none (the bridge dropped it). */
  if (self == NULL || g_dbus_message_get_member (d->message) == NULL
      || (interface != NULL && g_str_has_prefix (interface, "org.example.Init")))
    return G_SOURCE_REMOVE;
  /* The engine copies the variables. */
  env = init_dbus_source_env (d->message, self->bus_label);
  init_engine_emit (self->engine, "dbus", env, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static GDBusMessage *
filter (GDBusConnection *connection,
        GDBusMessage    *message,
        gboolean         incoming,
        gpointer         user_data)
{
  Link *link = user_data;
  Delivery *d;

  if (!incoming || g_dbus_message_get_message_type (message) != G_DBUS_MESSAGE_TYPE_SIGNAL)
    return message;
  d = g_new (Delivery, 1);
  d->link = g_rc_box_acquire (link);
  d->message = g_object_ref (message);
  g_main_context_invoke_full (link->context, G_PRIORITY_DEFAULT, deliver, d, delivery_free);
  return message;
}

/* ---- the connection and its rules ---- */

static void connect_soon (InitDbusSource *self);

/* Make the connection's rules those wanted. */
static void
sync_rules (InitDbusSource *self)
{
  init_match_rules_sync (self->connection, self->added, self->wanted, _("D-Bus signals"), NULL);
}

/* Drop the connection (the bus forgets its rules when it closes). */
static void
drop_connection (InitDbusSource *self)
{
  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_hash_table_remove_all (self->added);
  if (self->connection == NULL)
    return;
  g_clear_signal_handler (&self->closed_id, self->connection);
  g_dbus_connection_remove_filter (self->connection, self->filter_id);
  g_dbus_connection_close (self->connection, NULL, NULL, NULL);
  g_clear_object (&self->connection);
}

static void
on_closed (GDBusConnection *connection,
           gboolean         remote_peer_vanished,
           GError          *error,
           gpointer         user_data)
{
  InitDbusSource *self = user_data;

  drop_connection (self);
  connect_soon (self);
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection = g_dbus_connection_new_for_address_finish (result, &error);
  InitDbusSource *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* disarmed or freed: @self may be gone */
  g_clear_object (&self->connecting);
  if (connection == NULL)
    {
      g_message (_("Cannot connect to the bus for `dbus' events (retrying): %s"),
                 error->message);
      connect_soon (self);
      return;
    }
  self->connection = connection;
  self->filter_id = g_dbus_connection_add_filter (connection, filter,
                                                  g_rc_box_acquire (self->link), link_release);
  self->closed_id = g_signal_connect (connection, "closed", G_CALLBACK (on_closed), self);
  sync_rules (self);
}

static void
connect_now (InitDbusSource *self)
{
  if (self->connection != NULL || self->connecting != NULL)
    return;
  self->connecting = g_cancellable_new ();
  g_dbus_connection_new_for_address (self->address,
                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                     | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                     NULL, self->connecting, on_connected, self);
}

static gboolean
retry (gpointer user_data)
{
  InitDbusSource *self = user_data;

  self->retry_id = 0;
  connect_now (self);
  return G_SOURCE_REMOVE;
}

/* Connect again a little later, if still wanted. */
static void
connect_soon (InitDbusSource *self)
{
  if (g_hash_table_size (self->wanted) > 0 && self->retry_id == 0)
    self->retry_id = g_timeout_add (RETRY_MS, retry, self);
}

/* ---- as a source of the registry (init-source.h) ---- */

static void
dbus_source_arm (InitSource *parent,
                 GPtrArray  *leaves)
{
  InitDbusSource *self = (InitDbusSource *) parent;

  g_hash_table_remove_all (self->wanted);
  for (guint i = 0; i < leaves->len; i++)
    {
      const InitSourceLeaf *leaf = g_ptr_array_index (leaves, i);

      g_hash_table_add (self->wanted, init_dbus_source_rule (leaf->leaf->args));
    }
  if (self->connection != NULL)
    sync_rules (self);
  else if (self->retry_id == 0)
    connect_now (self);
}

static void
dbus_source_disarm (InitSource *parent)
{
  InitDbusSource *self = (InitDbusSource *) parent;

  g_hash_table_remove_all (self->wanted);
  drop_connection (self);
}

static void
dbus_source_free (InitSource *parent)
{
  InitDbusSource *self = (InitDbusSource *) parent;

  dbus_source_disarm (parent);
  self->link->self = NULL;
  link_release (self->link);
  g_hash_table_unref (self->wanted);
  g_hash_table_unref (self->added);
  g_free (self->address);
  g_free (self->bus_label);
  g_free (self);
}

static const InitSourceClass dbus_source_class = {
  dbus_source_arm, dbus_source_disarm, dbus_source_free,
};
static const char *const dbus_source_events[] = { "dbus", NULL };

InitDbusSource *
init_dbus_source_new (InitEngine *engine,
                      const char *address,
                      const char *bus_label)
{
  InitDbusSource *self = g_new0 (InitDbusSource, 1);

  self->parent = (InitSource) { &dbus_source_class, "dbus", dbus_source_events, FALSE };
  self->engine = engine;
  self->address = g_strdup (address);
  self->bus_label = g_strdup (bus_label);
  self->wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->link = g_rc_box_new0 (Link);
  self->link->self = self;
  self->link->context = g_main_context_ref_thread_default ();
  return self;
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
init_dbus_source_list (InitDbusSource *source)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer rule;

  g_hash_table_iter_init (&iter, source->wanted);
  while (g_hash_table_iter_next (&iter, &rule, NULL))
    g_ptr_array_add (list, rule);
  g_ptr_array_sort (list, compare_strings);
  return list;
}
