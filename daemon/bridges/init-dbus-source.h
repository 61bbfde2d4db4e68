/* init-dbus-source.h — `dbus' events: the signals on the daemon's bus that jobs wait for
 *
 * Upstart's upstart-dbus-bridge inside the daemon (reference event-sources.md §5), on the
 * bus the daemon serves on: the system bus for the system daemon, the session bus for a
 * session daemon.  Unlike the bridge, which forwarded every broadcast signal once any job
 * named `dbus', it subscribes only to what the `dbus' leaves name: one match rule per
 * leaf, built from its SIGNAL (member), INTERFACE, OBJPATH (path), SENDER, DESTINATION and
 * ARGn (string arguments) values — keys given with a variable, a glob, `!=' or positionally
 * are left out of the rule (the engine still compares them).  No connection at all while no
 * job names `dbus'; rules follow the jobs as they change.
 *
 * Variables, in Upstart's order: SIGNAL (member), BUS (system or session, as Ubuntu's
 * session jobs ran the bridge with --bus-name), INTERFACE, OBJPATH, SENDER (the unique
 * name; org.freedesktop.DBus for the bus itself), DESTINATION (unicast only), then ARGi for
 * each argument i: booleans TRUE/FALSE, integers in decimal, doubles with six decimals,
 * strings and object paths verbatim; other types give no variable but take their index.
 * Signals of org.example.Init's own interfaces are not forwarded (loops).
 */
#pragma once

#include <gio/gio.h>

#include "init-engine.h"

G_BEGIN_DECLS

typedef struct _InitDbusSource InitDbusSource;

/* An InitSource (init-source.h) serving `dbus', emitting into @engine (borrowed) the
 * signals on the bus at @address, called @bus_label ("system"/"session") in BUS=. */
InitDbusSource *init_dbus_source_new (InitEngine *engine,
                                      const char *address,
                                      const char *bus_label);
/* The match rules wanted now (a new sorted array of borrowed strings). */
GPtrArray *init_dbus_source_list (InitDbusSource *source);
/* The match rule a `dbus' leaf's arguments ask for (newly allocated). */
char *init_dbus_source_rule (char *const *args);
/* The event environment of a signal (a new array of new strings). */
GPtrArray *init_dbus_source_env (GDBusMessage *message,
                                 const char   *bus_label);

G_END_DECLS
