/* init-socket-source.h — `socket' events: socket activation of the jobs that wait for them
 *
 * Upstart's upstart-socket-bridge inside the daemon (reference event-sources.md §3), armed
 * only with the sockets the loaded jobs name in their `socket' leaves:
 *
 *   socket PROTO=inet  PORT=N [ADDR=IPV4]        TCP, ADDR defaults to 0.0.0.0
 *   socket PROTO=inet6 PORT=N [ADDR=IPV6]        TCP, IPV6_V6ONLY, ADDR defaults to ::
 *   socket PROTO=unix  SOCKET_PATH=/PATH|@NAME   stream socket, @ for the abstract namespace
 *
 * The daemon binds and listens (SO_REUSEADDR, SOMAXCONN).  A connection emits `socket' with
 * the socket's own address in Upstart's order (PROTO, PORT, ADDR / PROTO, SOCKET_PATH) and
 * the listening socket on the event (init-fd-lease.h): the job it starts gets it as fd 3 and
 * UPSTART_FDS=3 and accept()s itself.  Until every instance started by that event has
 * stopped, the socket is not watched (so connections wait for the running job); if the
 * event started nothing, the waiting connection is closed, so no client hangs.
 *
 * Unlike Upstart: unix sockets work (SOCKET_PATH in the condition and the event; PATH= is
 * refused, with a message, since it never matched); abstract names have their own length
 * and come back as SOCKET_PATH=@NAME; a stale socket file nobody listens on is replaced; two
 * jobs naming the same socket share it; values must be written in the canonical form the
 * event carries (PORT=80, not 080), or the leaf is refused with a message instead of never
 * matching.  A socket that cannot be bound (port in use) is reported once, and tried again
 * whenever the jobs change.
 */
#pragma once

#include <glib.h>

#include "init-engine.h"
#include "init-source.h"

G_BEGIN_DECLS

typedef struct _InitSocketSource InitSocketSource;

/* An InitSource (init-source.h) serving `socket' that emits into @engine (a weak
 * reference): cast it to give it to the registry, which owns it.  Armed with the leaves, it
 * listens on exactly the sockets they name: new ones are bound, gone ones closed (a socket
 * file it made is removed), unchanged ones kept as they are; a leaf that names no usable
 * socket is reported (once) and skipped. */
InitSocketSource *init_socket_source_new (InitEngine *engine);
/* The sockets listening now, as "inet 127.0.0.1 3031", "inet6 :: 80", "unix /run/x.sock"
 * (a new array of new strings, sorted). */
GPtrArray *init_socket_source_list (InitSocketSource *source);

G_END_DECLS
