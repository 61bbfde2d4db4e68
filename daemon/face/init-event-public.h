/* init-event-public.h — the part of an event's environment every user may see
 *
 * EventEmitted carries whole environments, so on the system bus it reaches only root and the
 * administrators' group.  EventPublished, sent to everyone when an event finished (session
 * daemons relay it as `:sys:NAME'), carries only this part:
 *   - job events (starting, started, stopping, stopped): the variables the daemon sets
 *     (JOB, INSTANCE, RESULT, PROCESS, EXIT_STATUS, EXIT_SIGNAL), never exported ones;
 *   - NAME/failed, and events a client emitted: nothing (a client's variables may be
 *     secrets, and NAME/failed copies them);
 *   - the daemon's own events (startup, its sources' mounted, runlevel, file, …): all.
 */
#pragma once

#include "init-event.h"

G_BEGIN_DECLS

/* A new array ("KEY=VALUE" strings, owned) of @event's public variables, in order. */
GPtrArray *init_event_public_env (const InitEvent *event);

G_END_DECLS
