/* test-fd-lease.c — a descriptor an event lends to the jobs it starts */
#define G_LOG_DOMAIN "init-test"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "init-fd-lease.h"

typedef struct
{
  guint    calls;
  gboolean taken;
} Released;

static void
on_released (gboolean taken,
             gpointer user_data)
{
  Released *released = user_data;

  released->calls++;
  released->taken = taken;
}

static gboolean
fd_is_open (int fd)
{
  return fcntl (fd, F_GETFD) >= 0;
}

/* The lease holds its own copy, numbered 10 or above and close-on-exec; the caller's
 * descriptor stays the caller's. */
static void
test_own_copy (void)
{
  int pipe_fds[2];
  InitFdLease *lease;
  int copy;

  g_assert_no_errno (pipe (pipe_fds));
  lease = init_fd_lease_new (pipe_fds[0], NULL, NULL);
  g_assert_nonnull (lease);
  copy = init_fd_lease_get_fd (lease);
  g_assert_cmpint (copy, >=, 10);
  g_assert_cmpint (copy, !=, pipe_fds[0]);
  g_assert_cmpint (fcntl (copy, F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);

  /* The copy reads what the pipe carries. */
  {
    char byte = 0;

    g_assert_cmpint (write (pipe_fds[1], "x", 1), ==, 1);
    g_assert_cmpint (read (copy, &byte, 1), ==, 1);
    g_assert_cmpint (byte, ==, 'x');
  }
  init_fd_lease_unref (lease);
  g_assert_false (fd_is_open (copy));
  g_assert_true (fd_is_open (pipe_fds[0]));
  close (pipe_fds[0]);
  close (pipe_fds[1]);
}

/* The source hears once, when the last holder lets go, whether an instance took it. */
static void
test_released_once (void)
{
  Released untaken = { 0 }, taken = { 0 };
  InitFdLease *a = init_fd_lease_new (STDERR_FILENO, on_released, &untaken);
  InitFdLease *b = init_fd_lease_new (STDERR_FILENO, on_released, &taken);
  InitFdLease *instance;

  init_fd_lease_ref (a);
  init_fd_lease_unref (a);
  g_assert_cmpuint (untaken.calls, ==, 0);
  init_fd_lease_unref (a);
  g_assert_cmpuint (untaken.calls, ==, 1);
  g_assert_false (untaken.taken);

  /* The event lets go first; the instance holds on until it stops. */
  instance = init_fd_lease_take (b);
  g_assert_true (instance == b);
  init_fd_lease_unref (b);
  g_assert_cmpuint (taken.calls, ==, 0);
  init_fd_lease_unref (instance);
  g_assert_cmpuint (taken.calls, ==, 1);
  g_assert_true (taken.taken);
}

/* A source that went away first detaches: it is not called any more. */
static void
test_detach (void)
{
  Released released = { 0 };
  InitFdLease *lease = init_fd_lease_new (STDERR_FILENO, on_released, &released);
  int copy = init_fd_lease_get_fd (lease);

  init_fd_lease_detach (lease);
  init_fd_lease_unref (lease);
  g_assert_cmpuint (released.calls, ==, 0);
  /* The copy is closed all the same. */
  g_assert_false (fd_is_open (copy));
  /* NULL is let go of quietly. */
  init_fd_lease_unref (NULL);
}

/* A descriptor that is not open gives no lease, with errno set. */
static void
test_bad_fd (void)
{
  int pipe_fds[2];

  g_assert_no_errno (pipe (pipe_fds));
  close (pipe_fds[0]);
  close (pipe_fds[1]);
  errno = 0;
  g_assert_null (init_fd_lease_new (pipe_fds[0], on_released, NULL));
  g_assert_cmpint (errno, ==, EBADF);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/fd-lease/own-copy", test_own_copy);
  g_test_add_func ("/engine/fd-lease/released-once", test_released_once);
  g_test_add_func ("/engine/fd-lease/detach", test_detach);
  g_test_add_func ("/engine/fd-lease/bad-fd", test_bad_fd);
  return g_test_run ();
}
