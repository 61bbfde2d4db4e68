/* init-fd-lease.c — descriptors handed from an event to its jobs, see init-fd-lease.h */
#include <fcntl.h>
#include <unistd.h>

#include "init-fd-lease.h"

/* Children put leased descriptors at 3, 4, … and the script pipe at 9: copies start above. */
#define LEASE_FD_MIN 10

struct _InitFdLease
{
  int                 fd;
  gboolean            taken;
  InitFdLeaseReleased released;
  gpointer            user_data;
};

InitFdLease *
init_fd_lease_new (int                 fd,
                   InitFdLeaseReleased released,
                   gpointer            user_data)
{
  int copy = fcntl (fd, F_DUPFD_CLOEXEC, LEASE_FD_MIN);
  InitFdLease *lease;

  if (copy < 0)
    return NULL;
  lease = g_rc_box_new0 (InitFdLease);
  lease->fd = copy;
  lease->released = released;
  lease->user_data = user_data;
  return lease;
}

InitFdLease *
init_fd_lease_ref (InitFdLease *lease)
{
  return g_rc_box_acquire (lease);
}

static void
lease_clear (gpointer data)
{
  InitFdLease *lease = data;

  close (lease->fd);
  if (lease->released != NULL)
    lease->released (lease->taken, lease->user_data);
}

void
init_fd_lease_unref (InitFdLease *lease)
{
  if (lease != NULL)
    g_rc_box_release_full (lease, lease_clear);
}

int
init_fd_lease_get_fd (InitFdLease *lease)
{
  return lease->fd;
}

InitFdLease *
init_fd_lease_take (InitFdLease *lease)
{
  lease->taken = TRUE;
  return init_fd_lease_ref (lease);
}

void
init_fd_lease_detach (InitFdLease *lease)
{
  lease->released = NULL;
  lease->user_data = NULL;
}
