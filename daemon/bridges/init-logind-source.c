/* init-logind-source.c — session events from logind's SessionNew, see init-logind-source.h */
#define G_LOG_DOMAIN "init-bridges"

#include <glib/gi18n.h>

#include "init-bus-link.h"
#include "init-logind-source.h"

#define LOGIND_NAME "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"

struct _InitLogindSource
{
  InitSource       parent;
  InitEngine      *engine;
  InitBusLink     *link;
  gboolean         login_wanted;     /* a job names login-session-start */
  gboolean         desktop_wanted;   /* a job names desktop-session-start */
  GDBusConnection *connection;       /* the link's, or NULL */
  guint            new_id;           /* SessionNew */
};

/* The event a session of @klass and @type begins, or NULL. */
static const char *
event_for (const char *klass,
           const char *type)
{
  if (g_strcmp0 (klass, "greeter") == 0)
    return "login-session-start";
  if (g_strcmp0 (klass, "user") == 0
      && (g_strcmp0 (type, "x11") == 0 || g_strcmp0 (type, "wayland") == 0
          || g_strcmp0 (type, "mir") == 0))
    return "desktop-session-start";
  return NULL;
}

static void
on_properties (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  InitLogindSource *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result,
                                                             &error);
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  const char *klass = NULL, *type = NULL, *service = NULL, *name;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* disarmed or freed: @self may be gone */
  if (reply == NULL)
    {
      g_debug ("A new session's properties: %s", error->message);
      return;
    }
  props = g_variant_get_child_value (reply, 0);
  g_variant_lookup (props, "Class", "&s", &klass);
  g_variant_lookup (props, "Type", "&s", &type);
  g_variant_lookup (props, "Service", "&s", &service);
  name = event_for (klass, type);
  if (name == NULL
      || (g_str_equal (name, "login-session-start") && !self->login_wanted)
      || (g_str_equal (name, "desktop-session-start") && !self->desktop_wanted))
    return;
  g_ptr_array_add (env, g_strconcat ("DISPLAY_MANAGER=", service != NULL ? service : "", NULL));
  init_engine_emit (self->engine, name, env, NULL, NULL);
}

static void
on_session_new (GDBusConnection *connection,
                const char      *sender,
                const char      *path,
                const char      *interface,
                const char      *member,
                GVariant        *parameters,
                gpointer         user_data)
{
  InitLogindSource *self = user_data;
  const char *id, *session;

  if (connection != self->connection
      || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(so)")))
    return;
  g_variant_get (parameters, "(&s&o)", &id, &session);
  /* Asked of logind by name: a signal from anyone else names no session it knows. */
  g_dbus_connection_call (connection, LOGIND_NAME, session, "org.freedesktop.DBus.Properties",
                          "GetAll", g_variant_new ("(s)", "org.freedesktop.login1.Session"),
                          G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE, -1,
                          init_bus_link_get_cancellable (self->link), on_properties, self);
}

/* The bus handles our calls in order: once it answers this, our match rule is in place. */
static void
on_rule_settled (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result,
                                                             &error);

  if (reply != NULL)
    init_source_report (user_data, INIT_SOURCE_ACTIVE, _("following logind"));
}

static void
on_link (GDBusConnection *connection,
         const GError    *error,
         gpointer         user_data)
{
  InitLogindSource *self = user_data;
  g_autofree char *detail = NULL;

  self->connection = connection;
  self->new_id = 0;
  if (connection == NULL)
    {
      if (error != NULL)
        detail = g_strdup_printf (_("Cannot connect to the system bus: %s"), error->message);
      init_source_report (&self->parent, error != NULL ? INIT_SOURCE_FAILED : INIT_SOURCE_ACTIVE,
                          detail);
      return;
    }
  self->new_id = g_dbus_connection_signal_subscribe (
    connection, LOGIND_NAME, "org.freedesktop.login1.Manager", "SessionNew", LOGIND_PATH, NULL,
    G_DBUS_SIGNAL_FLAGS_NONE, on_session_new, self, NULL);
  g_dbus_connection_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "GetId", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                          init_bus_link_get_cancellable (self->link), on_rule_settled, self);
}

/* ---- as a source of the registry (init-source.h) ---- */

static void
logind_arm (InitSource *parent,
            GPtrArray  *leaves)
{
  InitLogindSource *self = (InitLogindSource *) parent;

  self->login_wanted = self->desktop_wanted = FALSE;
  for (guint i = 0; i < leaves->len; i++)
    {
      const InitSourceLeaf *leaf = g_ptr_array_index (leaves, i);

      if (g_str_equal (leaf->leaf->name, "login-session-start"))
        self->login_wanted = TRUE;
      else
        self->desktop_wanted = TRUE;
    }
  init_bus_link_up (self->link);
}

static void
logind_disarm (InitSource *parent)
{
  InitLogindSource *self = (InitLogindSource *) parent;

  self->login_wanted = self->desktop_wanted = FALSE;
  if (self->connection != NULL)
    g_dbus_connection_signal_unsubscribe (self->connection, self->new_id);
  self->connection = NULL;
  self->new_id = 0;
  init_bus_link_down (self->link);
}

static void
logind_free (InitSource *parent)
{
  InitLogindSource *self = (InitLogindSource *) parent;

  logind_disarm (parent);
  init_bus_link_free (self->link);
  g_free (self);
}

static const InitSourceClass logind_class = { logind_arm, logind_disarm, logind_free };
static const char *const logind_events[] = {
  "login-session-start", "desktop-session-start", NULL
};

InitLogindSource *
init_logind_source_new (InitEngine *engine,
                        const char *address)
{
  InitLogindSource *self = g_new0 (InitLogindSource, 1);

  self->parent = (InitSource) { &logind_class, "logind", logind_events };
  self->engine = engine;
  self->link = init_bus_link_new (address, on_link, self);
  return self;
}
