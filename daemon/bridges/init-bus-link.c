/* init-bus-link.c — a bridge's own connection to a bus, see init-bus-link.h */
#define G_LOG_DOMAIN "init-bridges"

#include "init-bus-link.h"

#define RETRY_MS 1000

struct _InitBusLink
{
  char            *address;
  InitBusLinkFunc  func;
  gpointer         user_data;
  gboolean         up;
  GDBusConnection *connection;
  GCancellable    *cancellable;   /* the attempt, then the calls on the connection */
  gulong           closed_id;
  guint            retry_id;
};

static void connect_now (InitBusLink *link);

static gboolean
retry (gpointer user_data)
{
  InitBusLink *link = user_data;

  link->retry_id = 0;
  connect_now (link);
  return G_SOURCE_REMOVE;
}

static void
retry_soon (InitBusLink *link)
{
  if (link->up && link->retry_id == 0)
    link->retry_id = g_timeout_add (RETRY_MS, retry, link);
}

static void
drop (InitBusLink *link)
{
  if (link->cancellable != NULL)
    g_cancellable_cancel (link->cancellable);
  g_clear_object (&link->cancellable);
  g_clear_handle_id (&link->retry_id, g_source_remove);
  if (link->connection == NULL)
    return;
  g_clear_signal_handler (&link->closed_id, link->connection);
  g_dbus_connection_close (link->connection, NULL, NULL, NULL);
  g_clear_object (&link->connection);
}

static void
on_closed (GDBusConnection *connection,
           gboolean         remote_peer_vanished,
           GError          *error,
           gpointer         user_data)
{
  InitBusLink *link = user_data;

  drop (link);
  link->func (NULL, NULL, link->user_data);
  retry_soon (link);
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection = g_dbus_connection_new_for_address_finish (result, &error);
  InitBusLink *link = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* down or freed: @link may be gone */
  if (connection == NULL)
    {
      g_clear_object (&link->cancellable);
      link->func (NULL, error, link->user_data);
      retry_soon (link);
      return;
    }
  link->connection = connection;
  link->closed_id = g_signal_connect (connection, "closed", G_CALLBACK (on_closed), link);
  link->func (connection, NULL, link->user_data);
}

static void
connect_now (InitBusLink *link)
{
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;

  if (link->connection != NULL || link->cancellable != NULL)
    return;
  address = link->address != NULL ? g_strdup (link->address)
                                  : g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SYSTEM, NULL,
                                                                     &error);
  if (address == NULL)
    {
      link->func (NULL, error, link->user_data);
      return;
    }
  link->cancellable = g_cancellable_new ();
  g_dbus_connection_new_for_address (address,
                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                     | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                     NULL, link->cancellable, on_connected, link);
}

InitBusLink *
init_bus_link_new (const char     *address,
                   InitBusLinkFunc func,
                   gpointer        user_data)
{
  InitBusLink *link = g_new0 (InitBusLink, 1);

  link->address = g_strdup (address);
  link->func = func;
  link->user_data = user_data;
  return link;
}

void
init_bus_link_up (InitBusLink *link)
{
  link->up = TRUE;
  if (link->retry_id == 0)
    connect_now (link);
}

void
init_bus_link_down (InitBusLink *link)
{
  link->up = FALSE;
  drop (link);
}

GDBusConnection *
init_bus_link_get_connection (InitBusLink *link)
{
  return link->connection;
}

GCancellable *
init_bus_link_get_cancellable (InitBusLink *link)
{
  return link->cancellable;
}

void
init_bus_link_free (InitBusLink *link)
{
  if (link == NULL)
    return;
  init_bus_link_down (link);
  g_free (link->address);
  g_free (link);
}
