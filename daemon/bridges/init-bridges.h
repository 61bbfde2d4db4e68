/* init-bridges.h — the event sources that talk D-Bus, added to the engine's registry
 *
 * The daemon object calls init_bridges_add() once its source registry exists: `dbus'
 * (init-dbus-source.h) on the daemon's bus, and in a session daemon `:sys:' (init-sys-relay.h)
 * from the system daemon.  Each bridge
 * is an InitSource (init-source.h) and, like every source, does nothing — no connection, no
 * match rule — while no loaded job names its events.
 */
#pragma once

#include "init-engine.h"
#include "init-sources.h"

G_BEGIN_DECLS

/* @bus_address: the bus the daemon serves on — the system bus for the system daemon, the
 * session bus for a session daemon — or NULL (no D-Bus). */
typedef struct
{
  InitEngine *engine;        /* where the bridges emit (borrowed; outlives the registry) */
  const char *bus_address;
  gboolean    user_mode;     /* a session daemon */
} InitBridgesOptions;

/* Add every bridge to @sources (which owns them from then on). */
void init_bridges_add (InitSources              *sources,
                       const InitBridgesOptions *options);

G_END_DECLS
