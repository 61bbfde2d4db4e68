/* init-match-rules.h — a connection's match rules kept equal to a wanted set
 *
 * The bridges subscribe to exactly what the jobs name: a set of match rules that changes as
 * jobs come and go.  This adds the new ones to the bus and removes the ones no longer wanted
 * (the bus forgets them all when the connection closes, so a new connection starts empty).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Make @added (the rules added on @connection so far, a set of strings) equal to @wanted (a
 * set of strings): AddMatch the new ones, RemoveMatch the gone ones, asynchronously and in
 * that order on @connection.  A failure is logged as a warning naming @what (e.g. "D-Bus
 * signals"); calls cancelled through @cancellable or cut by the connection closing are not. */
void init_match_rules_sync (GDBusConnection *connection,
                            GHashTable      *added,
                            GHashTable      *wanted,
                            const char      *what,
                            GCancellable    *cancellable);

G_END_DECLS
