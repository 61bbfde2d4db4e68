/* init-bus-link.h — a bridge's own connection to a bus, held while it is wanted
 *
 * The bridges connect only while some job names their events, and must survive the bus
 * going away.  A link connects when told up (asynchronously), calls back with the connection
 * once it is there, and again with NULL when it is lost; while still up it connects again a
 * second later, and so on until it is told down (which closes the connection: the bus then
 * forgets the link's match rules and names).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _InitBusLink InitBusLink;

/* @connection: the new connection (borrowed; valid until the link calls back with NULL, is
 * told down or freed), or NULL: lost (not called for init_bus_link_down).  @error: why a
 * connection attempt failed (@connection NULL too), else NULL. */
typedef void (*InitBusLinkFunc) (GDBusConnection *connection,
                                 const GError    *error,
                                 gpointer         user_data);

/* A link to the bus at @address (NULL: the system bus as GIO finds it, $DBUS_SYSTEM_BUS_ADDRESS
 * first), calling @func in the thread-default main context. */
InitBusLink *init_bus_link_new (const char     *address,
                                InitBusLinkFunc func,
                                gpointer        user_data);
/* Connect (if not connected or connecting), and keep doing so after a loss. */
void             init_bus_link_up (InitBusLink *link);
/* Close the connection (no callback), stop retrying. */
void             init_bus_link_down (InitBusLink *link);
/* The connection, or NULL. */
GDBusConnection *init_bus_link_get_connection (InitBusLink *link);
/* Cancelled when the connection goes: for calls made on it. */
GCancellable *init_bus_link_get_cancellable (InitBusLink *link);
void             init_bus_link_free (InitBusLink *link);

G_END_DECLS
