/* init-sys-relay.h — the system daemon's events in a session daemon, as `:sys:NAME'
 *
 * What Upstart's upstart-event-bridge did (reference event-sources.md §6): a session daemon
 * whose jobs wait for `:sys:NAME' follows the system daemon on the system bus and, each time
 * one of its events NAME has finished there, emits `:sys:NAME' with the event's public
 * variables (EventPublished: job events' JOB, INSTANCE, RESULT…, the daemon's own events'
 * whole environment, nothing of what a client emitted), in the order they were emitted.
 *
 * Only while some job names a `:sys:' event: then one connection to the system bus, one match
 * rule per named event (`arg1' is the name, so the bus delivers nothing else) and a
 * Manager.Subscribe to the system daemon; none of it otherwise.  The relay survives restarts
 * of either side: a bus that goes away is connected to again, a system daemon that comes back
 * under a new owner is subscribed to again and announced as `:sys:restarted' (no variables;
 * Upstart sent it after the system init's re-exec, which here keeps the connection and needs
 * nothing).  Signals are taken only from the current owner of org.example.Init.  Events
 * finished before the relay followed are not replayed (neither were they in Upstart).
 */
#pragma once

#include <gio/gio.h>

#include "init-engine.h"
#include "init-source.h"

G_BEGIN_DECLS

typedef struct _InitSysRelay InitSysRelay;

/* An InitSource (init-source.h) serving `:sys:*' from the system bus at @address (NULL: the
 * system bus as GIO finds it, $DBUS_SYSTEM_BUS_ADDRESS first), emitting into @engine. */
InitSysRelay *init_sys_relay_new (InitEngine *engine,
                                  const char *address);

G_END_DECLS
