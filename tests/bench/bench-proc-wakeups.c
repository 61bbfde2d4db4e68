/* bench-proc-wakeups.c — what the proc connector costs the daemon
 *
 * Issue 6: while another process creates 10,000 threads the daemon must wake no more than a
 * handful of times (the classic BPF filter drops thread creation in the kernel).  A tracker
 * in connector mode follows a job process (tests/helpers/spawn-threads) that creates 10,000
 * threads, joined in batches of 100; the main loop runs as the daemon's does (blocking
 * until a source is ready), and we print the tracker's wake-ups and the messages it
 * received meanwhile.  For comparison: 1,000 forks of an untracked process (every process
 * fork and exit on the host does reach us: a fork and an exit message each).  First the
 * host's own background rate is measured for 1 s; "excess" is the wake-ups beyond that
 * rate over the same time.  Figures only; never fails on them.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "init-proc-tracker.h"

static int owner;
static guint n_forks;
static double idle_wakeups_per_ms;   /* the rest of the host, measured first */

static void
on_fork (gpointer o,
         pid_t    parent,
         pid_t    child,
         guint    generation,
         gpointer user_data)
{
  n_forks++;
}

static pid_t
spawn (InitProcTracker *tracker,
       gboolean         tracked,
       const char      *name,
       const char      *count,
       const char      *file)
{
  g_autofree char *path = g_build_filename (g_getenv ("INIT_TEST_HELPERS_DIR"), name, NULL);
  const char *argv[] = { path, count, file, NULL };
  int report[2], error;
  pid_t pid;

  if (pipe2 (report, O_CLOEXEC) < 0)
    g_error ("pipe2: %s", g_strerror (errno));
  pid = fork ();
  if (pid < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      setsid ();
      execv (path, (char **) argv);
      error = errno;
      (void) !write (report[1], &error, sizeof error);
      _exit (127);
    }
  close (report[1]);
  if (read (report[0], &error, sizeof error) != 0)
    g_error ("cannot run %s", path);
  close (report[0]);
  if (tracked)
    init_proc_tracker_add_root (tracker, pid, &owner, "bench", "");
  return pid;
}

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Run the main loop as the daemon does (blocking) until @file contains @needle (checked on a
 * 5 ms tick) or, with @needle NULL, for @idle_ms. */
static double
run_until (const char *file,
           const char *needle,
           guint       idle_ms)
{
  GMainContext *context = g_main_context_default ();
  gint64 start = g_get_monotonic_time ();
  guint id = g_timeout_add (5, tick, NULL);

  for (;;)
    {
      g_autofree char *text = NULL;

      g_main_context_iteration (context, TRUE);
      if (needle == NULL)
        {
          if (g_get_monotonic_time () - start >= (gint64) idle_ms * 1000)
            break;
          continue;
        }
      if (g_file_get_contents (file, &text, NULL, NULL) && strstr (text, needle) != NULL)
        break;
    }
  g_source_remove (id);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
measure (InitProcTracker *tracker,
         const char      *label,
         gboolean         tracked,
         const char      *helper,
         const char      *count,
         const char      *needle,
         const char      *file)
{
  guint64 wakeups = init_proc_tracker_get_n_wakeups (tracker);
  guint64 messages = init_proc_tracker_get_n_messages (tracker);
  guint forks = n_forks;
  double ms;
  pid_t pid = 0;

  unlink (file);
  if (helper != NULL)
    {
      pid = spawn (tracker, tracked, helper, count, file);
      ms = run_until (file, needle, 0);
    }
  else
    ms = run_until (NULL, NULL, 1000);
  init_proc_tracker_sync (tracker);
  wakeups = init_proc_tracker_get_n_wakeups (tracker) - wakeups;
  messages = init_proc_tracker_get_n_messages (tracker) - messages;
  if (helper == NULL)
    idle_wakeups_per_ms = wakeups / ms;
  /* Excess: what is left after the host's own background rate over the same time. */
  printf ("%-40s %8.1f %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT " %7u %8.0f\n", label, ms,
          wakeups, messages, n_forks - forks, MAX (0.0, wakeups - idle_wakeups_per_ms * ms));
  fflush (stdout);
  if (pid > 0)
    {
      kill (pid, SIGKILL);
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
      init_proc_tracker_process_exited (tracker, pid);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("bench-proc-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "pid", NULL);
  InitProcTracker *tracker;

  if (g_getenv ("INIT_TEST_HELPERS_DIR") == NULL)
    {
      fprintf (stderr, "INIT_TEST_HELPERS_DIR is not set (run through meson test --benchmark)\n");
      return 77;
    }
  tracker = init_proc_tracker_new (TRUE, on_fork, NULL, NULL);
  printf ("process tracking: %s\n",
          init_proc_tracking_to_string (init_proc_tracker_get_mode (tracker)));
  if (init_proc_tracker_get_mode (tracker) != INIT_PROC_TRACKING_CONNECTOR)
    {
      printf ("the proc connector is not available here: nothing to measure\n");
      init_proc_tracker_free (tracker);
      g_rmdir (dir);
      return 0;
    }

  printf ("%-40s %8s %9s %9s %7s %8s\n", "", "ms", "wake-ups", "messages", "forks", "excess");
  measure (tracker, "idle 1 s (the rest of the host)", FALSE, NULL, NULL, NULL, file);
  measure (tracker, "tracked job creates 10,000 threads", TRUE, "spawn-threads", "10000",
           "threads 10000", file);
  measure (tracker, "untracked process forks 1,000 children", FALSE, "fork-children", "1000",
           "forks 1000", file);
  measure (tracker, "tracked job forks 1,000 children", TRUE, "fork-children", "1000",
           "forks 1000", file);

  init_proc_tracker_free (tracker);
  unlink (file);
  g_rmdir (dir);
  return 0;
}
