/* init-admin-client.c — the connection to one initd (system or session), kept alive */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>

#include "init-admin-client.h"

#define BUS_NAME        "org.example.Init"
#define MANAGER_PATH    "/org/example/Init"
#define RECONNECT_SECS  2

struct _InitAdminClient
{
  GObject parent_instance;

  InitAdminBus         bus;
  char                *address;         /* explicit address or NULL */
  InitAdminClientState state;
  char                *message;

  GDBusConnection *connection;
  guint            watch_id;
  guint            reconnect_id;
  GCancellable    *bus_cancellable;          /* connecting to the bus */
  GCancellable    *daemon_cancellable;       /* everything tied to one daemon owner */

  InitDBusManager    *manager;
  GDBusObjectManager *object_manager;
  guint               pending;               /* proxies still being created */
};

G_DEFINE_FINAL_TYPE (InitAdminClient, init_admin_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void connect_bus (InitAdminClient *self);

static void
set_state (InitAdminClient     *self,
           InitAdminClientState state,
           const char          *message)
{
  gboolean changed = self->state != state;

  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  self->state = state;
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* The daemon went away (or we leave): drop everything that belonged to it. */
static void
drop_daemon (InitAdminClient *self)
{
  if (self->daemon_cancellable != NULL)
    {
      g_cancellable_cancel (self->daemon_cancellable);
      g_clear_object (&self->daemon_cancellable);
    }
  self->pending = 0;
  g_clear_object (&self->manager);
  g_clear_object (&self->object_manager);
}

static void
drop_bus (InitAdminClient *self)
{
  drop_daemon (self);
  if (self->watch_id != 0)
    {
      g_bus_unwatch_name (self->watch_id);
      self->watch_id = 0;
    }
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      g_clear_object (&self->connection);
    }
}

static gboolean
reconnect_cb (gpointer user_data)
{
  InitAdminClient *self = user_data;

  self->reconnect_id = 0;
  connect_bus (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (InitAdminClient *self)
{
  if (self->reconnect_id == 0)
    self->reconnect_id = g_timeout_add_seconds (RECONNECT_SECS, reconnect_cb, self);
}

static void
maybe_connected (InitAdminClient *self)
{
  if (self->pending == 0 && self->manager != NULL && self->object_manager != NULL)
    set_state (self, INIT_ADMIN_CLIENT_CONNECTED, NULL);
}

/* One appearance of the daemon: results for an owner that has gone are dropped. */
typedef struct
{
  InitAdminClient *self;
  GCancellable    *cancellable;
  char            *owner;        /* the daemon's unique name (while subscribing) */
} Generation;

static Generation *
generation_new (InitAdminClient *self)
{
  Generation *gen = g_new0 (Generation, 1);

  gen->self = g_object_ref (self);
  gen->cancellable = g_object_ref (self->daemon_cancellable);
  return gen;
}

static void
generation_free (Generation *gen)
{
  g_object_unref (gen->self);
  g_object_unref (gen->cancellable);
  g_free (gen->owner);
  g_free (gen);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Generation, generation_free)

static gboolean
generation_current (Generation *gen)
{
  return gen->self->daemon_cancellable == gen->cancellable
         && !g_cancellable_is_cancelled (gen->cancellable);
}

static void
manager_ready_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Generation) gen = user_data;
  InitAdminClient *self = gen->self;
  g_autoptr(GError) error = NULL;
  InitDBusManager *manager = init_dbus_manager_proxy_new_finish (result, &error);

  if (manager == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot reach the daemon's manager object: %s", error->message);
      return;
    }
  if (!generation_current (gen))
    {
      g_object_unref (manager);
      return;
    }
  /* Calls wait as long as jobs take to start. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (manager), INIT_ADMIN_CALL_TIMEOUT);
  self->manager = manager;
  self->pending--;
  maybe_connected (self);
}

static void
object_manager_ready_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(Generation) gen = user_data;
  InitAdminClient *self = gen->self;
  g_autoptr(GError) error = NULL;
  GDBusObjectManager *om = init_dbus_object_manager_client_new_finish (result, &error);

  if (om == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot list the daemon's jobs: %s", error->message);
      return;
    }
  if (!generation_current (gen))
    {
      g_object_unref (om);
      return;
    }
  self->object_manager = om;
  self->pending--;
  maybe_connected (self);
}

/* Subscribed (or not: a daemon without Manager.Subscribe always sends its signals): now the
 * proxies, whose match rules come before their first read, so nothing is missed. */
static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Generation) gen = user_data;
  InitAdminClient *self = gen->self;
  GDBusConnection *connection = G_DBUS_CONNECTION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (connection, result, &error);

  if (reply == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    g_debug ("Subscribe: %s", error->message);
  if (!generation_current (gen))
    return;
  init_dbus_manager_proxy_new (connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, gen->owner,
                               MANAGER_PATH, self->daemon_cancellable, manager_ready_cb,
                               generation_new (self));
  init_dbus_object_manager_client_new (connection,
                                       G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START,
                                       BUS_NAME, MANAGER_PATH, self->daemon_cancellable,
                                       object_manager_ready_cb, generation_new (self));
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  InitAdminClient *self = user_data;
  Generation *gen;

  drop_daemon (self);
  self->daemon_cancellable = g_cancellable_new ();
  self->pending = 2;
  set_state (self, INIT_ADMIN_CLIENT_LOADING, NULL);

  /* The daemon sends signals only while somebody subscribed: subscribe first (again for
   * every new daemon), then read.  The subscription ends as we leave the bus. */
  gen = generation_new (self);
  gen->owner = g_strdup (owner);
  g_dbus_connection_call (connection, owner, MANAGER_PATH, BUS_NAME, "Subscribe", NULL, NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, self->daemon_cancellable,
                          subscribed_cb, gen);
}

static void
on_name_vanished (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  InitAdminClient *self = user_data;

  drop_daemon (self);
  if (connection == NULL)
    return;   /* the connection closed: on_closed deals with it */
  set_state (self, INIT_ADMIN_CLIENT_NOT_RUNNING, NULL);
}

static void
on_closed (GDBusConnection *connection,
           gboolean         remote_peer_vanished,
           GError          *error,
           gpointer         user_data)
{
  InitAdminClient *self = user_data;

  drop_bus (self);
  set_state (self, INIT_ADMIN_CLIENT_NO_BUS, _("The connection to the bus was closed."));
  schedule_reconnect (self);
}

static void
connection_ready_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(InitAdminClient) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection = g_dbus_connection_new_for_address_finish (result, &error);

  if (connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->bus_cancellable);
      set_state (self, INIT_ADMIN_CLIENT_NO_BUS, error->message);
      schedule_reconnect (self);
      return;
    }
  g_clear_object (&self->bus_cancellable);
  self->connection = connection;
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), self);
  set_state (self, INIT_ADMIN_CLIENT_NOT_RUNNING, NULL);
  self->watch_id = g_bus_watch_name_on_connection (connection, BUS_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_name_appeared, on_name_vanished,
                                                   self, NULL);
}

static void
connect_bus (InitAdminClient *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  drop_bus (self);
  if (self->address != NULL)
    address = g_strdup (self->address);
  else
    address = g_dbus_address_get_for_bus_sync (self->bus == INIT_ADMIN_BUS_SYSTEM
                                               ? G_BUS_TYPE_SYSTEM : G_BUS_TYPE_SESSION,
                                               NULL, &error);
  if (address == NULL)
    {
      set_state (self, INIT_ADMIN_CLIENT_NO_BUS, error->message);
      schedule_reconnect (self);
      return;
    }
  if (self->state != INIT_ADMIN_CLIENT_NO_BUS)
    set_state (self, INIT_ADMIN_CLIENT_CONNECTING, NULL);
  g_clear_object (&self->bus_cancellable);
  self->bus_cancellable = g_cancellable_new ();
  g_dbus_connection_new_for_address (address,
                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                     | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                     NULL, self->bus_cancellable, connection_ready_cb,
                                     g_object_ref (self));
}

static void
init_admin_client_dispose (GObject *object)
{
  InitAdminClient *self = INIT_ADMIN_CLIENT (object);

  if (self->bus_cancellable != NULL)
    g_cancellable_cancel (self->bus_cancellable);
  g_clear_object (&self->bus_cancellable);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  drop_bus (self);

  G_OBJECT_CLASS (init_admin_client_parent_class)->dispose (object);
}

static void
init_admin_client_finalize (GObject *object)
{
  InitAdminClient *self = INIT_ADMIN_CLIENT (object);

  g_free (self->address);
  g_free (self->message);

  G_OBJECT_CLASS (init_admin_client_parent_class)->finalize (object);
}

static void
init_admin_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  InitAdminClient *self = INIT_ADMIN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_admin_client_class_init (InitAdminClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = init_admin_client_dispose;
  object_class->finalize = init_admin_client_finalize;
  object_class->get_property = init_admin_client_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, INIT_ADMIN_CLIENT_CONNECTING,
                      INIT_ADMIN_CLIENT_CONNECTED, INIT_ADMIN_CLIENT_CONNECTING,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
init_admin_client_init (InitAdminClient *self)
{
}

InitAdminClient *
init_admin_client_new (InitAdminBus bus,
                       const char  *address)
{
  InitAdminClient *self = g_object_new (INIT_ADMIN_TYPE_CLIENT, NULL);

  self->bus = bus;
  self->address = g_strdup (address);
  connect_bus (self);
  return self;
}

InitAdminBus
init_admin_client_get_bus (InitAdminClient *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_CLIENT (self), INIT_ADMIN_BUS_SESSION);
  return self->bus;
}

InitAdminClientState
init_admin_client_get_state (InitAdminClient *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_CLIENT (self), INIT_ADMIN_CLIENT_CONNECTING);
  return self->state;
}

const char *
init_admin_client_get_message (InitAdminClient *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_CLIENT (self), NULL);
  return self->message;
}

GDBusConnection *
init_admin_client_get_connection (InitAdminClient *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_CLIENT (self), NULL);
  return self->connection;
}

InitDBusManager *
init_admin_client_get_manager (InitAdminClient *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_CLIENT (self), NULL);
  return self->state == INIT_ADMIN_CLIENT_CONNECTED ? self->manager : NULL;
}

GDBusObjectManager *
init_admin_client_get_object_manager (InitAdminClient *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_CLIENT (self), NULL);
  return self->state == INIT_ADMIN_CLIENT_CONNECTED ? self->object_manager : NULL;
}

GCancellable *
init_admin_client_get_cancellable (InitAdminClient *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_CLIENT (self), NULL);
  return self->daemon_cancellable;
}

const char *
init_admin_client_get_title (InitAdminClient *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_CLIENT (self), NULL);
  return self->bus == INIT_ADMIN_BUS_SYSTEM ? _("System daemon") : _("Session daemon");
}
