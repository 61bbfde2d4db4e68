/* init-service.h — initd on the bus: connection, object export, name, reconnects
 *
 * Connects to the bus at an address (the system or session bus, or DBUS_*_BUS_ADDRESS),
 * exports the manager at /org/example/Init and attaches its object tree (every job and
 * instance, and the ObjectManager), then owns org.example.Init (DO_NOT_QUEUE).  If the bus goes away the daemon keeps
 * supervising: the service drops callers parked on the dead connection and reconnects with
 * a backoff (100 ms doubling to 2 s), exporting everything and owning the name again.
 */
#pragma once

#include <gio/gio.h>

#include "init-manager.h"

G_BEGIN_DECLS

#define INIT_BUS_NAME "org.example.Init"

#define INIT_TYPE_SERVICE (init_service_get_type ())
G_DECLARE_FINAL_TYPE (InitService, init_service, INIT, SERVICE, GObject)

/* Signals:
 *   "name-acquired" ()                    we own INIT_BUS_NAME (after each (re)connect)
 *   "name-lost"     (const char *name)    someone else owns it; the service retries later
 *   "unavailable"   (const char *message) a connection attempt failed; retried later
 */

/* The address of @bus_type's bus as GIO would find it: DBUS_SYSTEM_BUS_ADDRESS /
 * DBUS_SESSION_BUS_ADDRESS, else the system socket / $XDG_RUNTIME_DIR/bus.  Never autolaunches
 * a bus; NULL if there is no way to find one. */
char *init_service_find_bus_address (GBusType bus_type);

InitService *init_service_new (InitManager *manager,
                               const char  *address);
/* Start connecting (asynchronously; failures are retried). */
void         init_service_start (InitService *self);
/* Unexport everything, release the name and close the connection. */
void         init_service_stop (InitService *self);
/* The current connection, or NULL while disconnected. */
GDBusConnection *init_service_get_connection (InitService *self);

/* ---- re-exec: the bus connection survives the exec ----
 *
 * Freezing stops this process from handling any further message: from then on GDBus's
 * message thread writes every message it reads to a capture file (a memfd) instead; calls
 * read before are handled and their replies flushed.  Returns a dup of the socket fd
 * (inheritable) and sets *@capture_fd (inheritable too) and our unique name; -1 if there is
 * no connection.  The new process adopts both: its connection reads the captured messages
 * first, then the socket.  A message the message thread is half-way through reading at the
 * very moment of the exec is the one thing that can be lost. */
int          init_service_freeze (InitService *self,
                                  int         *capture_fd,
                                  char       **unique_name);
/* The exec failed: handle messages again; captured calls are refused (Error.Failed). */
void         init_service_thaw (InitService *self);
/* In the new process: use the inherited connection @fd (already authenticated, owning
 * INIT_BUS_NAME as @unique_name), reading the messages in @capture_fd (closed; -1: none)
 * first; emits "name-acquired". */
gboolean     init_service_adopt (InitService *self,
                                 int          fd,
                                 int          capture_fd,
                                 const char  *unique_name,
                                 GError     **error);
/* The records of a capture file as GDBusMessages (and, in *@raw, their bytes back to back). */
GPtrArray *init_service_read_captured (int      fd,
                                       GBytes **raw);
/* Messages captured since the last freeze (tests). */
guint        init_service_get_n_captured (InitService *self);

G_END_DECLS
