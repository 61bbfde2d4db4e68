/* init-admin-client.h — the connection to one initd (system or session), kept alive
 *
 * A private connection to the bus (so a bus restart never hands back a dead shared
 * singleton), the daemon's name watched with g_bus_watch_name_on_connection(), and while the
 * daemon is there: the manager proxy and the object manager client (one GetManagedObjects,
 * then signals).  When the daemon goes away everything is dropped; when it comes back it is
 * fetched again.  If the bus itself closes, the client reconnects to it every two seconds
 * until it is back (there is nothing to watch while there is no bus).
 */
#pragma once

#include <gio/gio.h>

#include "init-dbus-generated.h"

G_BEGIN_DECLS

typedef enum
{
  INIT_ADMIN_BUS_SESSION,
  INIT_ADMIN_BUS_SYSTEM,
} InitAdminBus;

typedef enum
{
  INIT_ADMIN_CLIENT_CONNECTING,   /* connecting to the bus */
  INIT_ADMIN_CLIENT_NO_BUS,       /* the bus is not there (message says why) */
  INIT_ADMIN_CLIENT_NOT_RUNNING,  /* bus there, nobody owns org.example.Init */
  INIT_ADMIN_CLIENT_LOADING,      /* daemon there, fetching its objects */
  INIT_ADMIN_CLIENT_CONNECTED,
} InitAdminClientState;

#define INIT_ADMIN_TYPE_CLIENT (init_admin_client_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminClient, init_admin_client, INIT_ADMIN, CLIENT, GObject)

/* @address: a D-Bus address to use instead of the bus's usual one (tests, demos), or NULL. */
InitAdminClient *init_admin_client_new (InitAdminBus bus,
                                        const char *address);
InitAdminBus          init_admin_client_get_bus (InitAdminClient *self);
InitAdminClientState  init_admin_client_get_state (InitAdminClient *self);
/* Why the bus is not there, or NULL. */
const char *init_admin_client_get_message (InitAdminClient *self);
GDBusConnection *init_admin_client_get_connection (InitAdminClient *self);
/* NULL unless connected. */
InitDBusManager *init_admin_client_get_manager (InitAdminClient *self);
GDBusObjectManager *init_admin_client_get_object_manager (InitAdminClient *self);
/* Cancelled whenever the daemon goes away: pass it to every call made while connected. */
GCancellable *init_admin_client_get_cancellable (InitAdminClient *self);
/* "Session daemon" / "System daemon". */
const char *init_admin_client_get_title (InitAdminClient *self);
/* Calls that change things: allow the polkit agent to ask, and wait without limit. */
#define INIT_ADMIN_CALL_FLAGS G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION
#define INIT_ADMIN_CALL_TIMEOUT G_MAXINT

G_END_DECLS
