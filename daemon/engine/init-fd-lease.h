/* init-fd-lease.h — a descriptor an event hands to the jobs it starts (socket activation)
 *
 * A source that wants the job it starts to get a descriptor (the socket source: the listening
 * socket) attaches a lease to its event.  The lease owns its own copy of the descriptor
 * (close-on-exec, numbered 10 or above so it never collides with what a child sets up).  The
 * event holds the lease until it finishes, every instance its `start on' starts holds it
 * until that instance stops (its processes get it as fd 3, 4, … and `UPSTART_FDS'); when the
 * last holder lets go the source is told, with whether any instance took it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _InitFdLease InitFdLease;

/* The last holder let go; @taken: an instance took the lease at some point. */
typedef void (*InitFdLeaseReleased) (gboolean taken,
                                     gpointer user_data);

/* A lease on a copy of @fd (the caller keeps @fd), or NULL with errno set.  @released (may be
 * NULL) is called when the last reference goes, unless the lease was detached first. */
InitFdLease *init_fd_lease_new (int                 fd,
                                InitFdLeaseReleased released,
                                gpointer            user_data);
InitFdLease *init_fd_lease_ref (InitFdLease *lease);
void         init_fd_lease_unref (InitFdLease *lease);
/* The lease's own descriptor (valid while a reference is held). */
int          init_fd_lease_get_fd (InitFdLease *lease);
/* An instance takes a reference for its processes (counts as taken). */
InitFdLease *init_fd_lease_take (InitFdLease *lease);
/* Whoever made the lease goes away: @released will not be called. */
void         init_fd_lease_detach (InitFdLease *lease);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitFdLease, init_fd_lease_unref)

G_END_DECLS
