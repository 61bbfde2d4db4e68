/* init-service.c — initd on the bus: connection, object export, name, reconnects */
#define G_LOG_DOMAIN "init-service"

#include <glib/gi18n.h>

#include "init-service.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000

struct _InitService
{
  GObject          parent_instance;

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
  g_clear_object (&self->connection);
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
             g_dbus_connection_get_unique_name (connection));
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

  /* Keep running when the bus dies (GDBus would raise SIGTERM, our shutdown signal). */
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  self->connection = g_steal_pointer (&connection);
  self->closed_id = g_signal_connect (self->connection, "closed", G_CALLBACK (on_closed), self);
  if (g_dbus_connection_is_closed (self->connection))
    {
      connection_lost (self, self->connection, _("closed while connecting"));
      return;
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
  self->owner_id = g_bus_own_name_on_connection (self->connection, INIT_BUS_NAME,
                                                 G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                 on_name_acquired, on_name_lost, self, NULL);
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
