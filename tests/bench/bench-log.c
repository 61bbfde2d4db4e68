/* bench-log.c — `console log` throughput: a job writing 100 MB through its pty
 *
 * The job (`yes | head -c`) prints 100 MB of 64-byte lines through a pty; the log reads the
 * master on the main loop and the writer thread puts it into a file rotated at the default
 * limit (1 MiB, keep 5), then, for comparison, into an unbounded file.  Prints MB/s (from
 * spawn until everything is on disk), the daemon main thread's CPU time per MB (what the
 * daemon pays on its event loop), the writer thread's (the rest of this process), rotations
 * and bytes dropped (the writer fell behind by a whole buffer).  A first row reads the pty
 * and throws the output away: what the pty itself costs.  Never fails on timing.
 */
#define G_LOG_DOMAIN "bench-log"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"
#include "init-job-class.h"
#include "init-log-writer.h"
#include "init-log.h"
#include "init-process.h"
#include "init-reaper.h"

#define TOTAL_BYTES 100000000
#define MB          1e6

typedef struct
{
  gboolean done;
  int      status;
  InitLog *log;
} Job;

static void
job_exited (pid_t    pid,
            int      status,
            gpointer user_data)
{
  Job *job = user_data;

  if (WIFSTOPPED (status))
    return;
  init_log_process_exited (job->log, pid);
  job->status = status;
  job->done = TRUE;
}

static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static goffset
file_size (const char *path)
{
  struct stat st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

static void
remove_files (const char *path,
              guint       keep)
{
  g_unlink (path);
  for (guint i = 1; i <= keep; i++)
    {
      g_autofree char *rotated = g_strdup_printf ("%s.%u", path, i);

      g_unlink (rotated);
    }
}

static gboolean
discard_ready (int          fd,
               GIOCondition condition,
               gpointer     user_data)
{
  char buffer[65536];
  gssize n;

  for (int i = 0; i < 16; i++)
    {
      n = read (fd, buffer, sizeof buffer);
      if (n > 0)
        continue;
      if (n < 0 && errno == EAGAIN)
        return G_SOURCE_CONTINUE;
      *(gboolean *) user_data = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
spawn_writer (int    slave,
              pid_t *pid)
{
  g_autoptr(InitJobClass) klass = init_job_class_new ("bench");
  g_autoptr(GError) error = NULL;
  char *envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", NULL };
  InitSpawnOptions options = { FALSE, slave };

  klass->process[INIT_PROCESS_MAIN].script = TRUE;
  klass->process[INIT_PROCESS_MAIN].command = g_strdup_printf (
    "yes 'The quick brown fox jumps over the lazy dog, 0123456789 abcdefg' | head -c %d",
    TOTAL_BYTES);
  *pid = init_process_spawn (klass, INIT_PROCESS_MAIN, envp, &options, &error);
  g_assert_no_error (error);
  close (slave);
}

/* The pty alone: read on the main loop like the log does, output thrown away. */
static void
run_discard (void)
{
  char name[64];
  gint64 wall, main_cpu;
  gboolean ended = FALSE;
  int master, status;
  pid_t pid;

  wall = g_get_monotonic_time ();
  main_cpu = thread_cpu_usec ();
  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_true (master >= 0 && grantpt (master) == 0 && unlockpt (master) == 0
                 && ptsname_r (master, name, sizeof name) == 0);
  g_unix_set_fd_nonblocking (master, TRUE, NULL);
  spawn_writer (open (name, O_RDWR | O_NOCTTY | O_CLOEXEC), &pid);
  g_unix_fd_add (master, G_IO_IN | G_IO_HUP | G_IO_ERR, discard_ready, &ended);
  while (!ended)
    g_main_context_iteration (NULL, TRUE);
  main_cpu = thread_cpu_usec () - main_cpu;
  wall = g_get_monotonic_time () - wall;
  waitpid (pid, &status, 0);
  close (master);
  printf ("%-26s %8.1f %12.1f %12s %10s %12s %10s\n", "pty only (discarded)",
          TOTAL_BYTES / MB / (wall / 1e6), main_cpu / (TOTAL_BYTES / MB), "-", "-", "-", "-");
  fflush (stdout);
}

static void
run (const char *label,
     const char *dir,
     goffset     max_size,
     guint       keep)
{
  g_autofree char *path = g_build_filename (dir, "bench.log", NULL);
  g_autoptr(GError) error = NULL;
  InitLogWriterStats before, after;
  int slave;
  gint64 wall, main_cpu, cpu, start_wall, start_main, start_cpu;
  goffset kept = 0;
  Job job = { 0 };
  pid_t pid;

  remove_files (path, keep);
  init_log_set_limits (max_size, keep);
  init_log_writer_get_stats (&before);
  job.log = init_log_new (path);

  start_wall = g_get_monotonic_time ();
  start_main = thread_cpu_usec ();
  start_cpu = bench_cpu_usec ();

  slave = init_log_open_pty (job.log, &error);
  g_assert_no_error (error);
  spawn_writer (slave, &pid);
  init_log_set_pid (job.log, pid);
  init_reaper_watch (pid, job_exited, &job);
  while (!job.done)
    g_main_context_iteration (NULL, TRUE);
  init_log_flush (job.log);
  main_cpu = thread_cpu_usec () - start_main;
  g_assert_true (init_log_sync (job.log, -1));
  wall = g_get_monotonic_time () - start_wall;
  cpu = bench_cpu_usec () - start_cpu;
  init_log_writer_get_stats (&after);

  kept = file_size (path);
  for (guint i = 1; i <= keep; i++)
    {
      g_autofree char *rotated = g_strdup_printf ("%s.%u", path, i);

      kept += file_size (rotated);
    }
  printf ("%-26s %8.1f %12.1f %12.1f %10" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT " %10.1f\n",
          label,
          TOTAL_BYTES / MB / (wall / 1e6),
          main_cpu / (TOTAL_BYTES / MB),
          (cpu - main_cpu) / (TOTAL_BYTES / MB),
          after.rotations - before.rotations,
          after.dropped - before.dropped,
          kept / MB);
  fflush (stdout);
  g_assert_true (WIFEXITED (job.status) && WEXITSTATUS (job.status) == 0);

  init_log_free (job.log);
  g_assert_true (init_log_sync_all (-1));
  remove_files (path, keep);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  InitLogWriterStats stats;

  init_reaper_block_sigchld ();
  if (!init_reaper_start (&error))
    g_error ("%s", error->message);
  dir = g_dir_make_tmp ("bench-log-XXXXXX", &error);
  g_assert_no_error (error);

  printf ("100 MB of 64-byte lines through a pty, log in %s\n", dir);
  printf ("%-26s %8s %12s %12s %10s %12s %10s\n", "log", "MB/s", "main us/MB",
          "writer us/MB", "rotations", "dropped B", "kept MB");
  run_discard ();
  run ("rotating (1 MiB, keep 5)", dir, INIT_LOG_DEFAULT_MAX_SIZE, INIT_LOG_DEFAULT_KEEP);
  run ("rotating (1 MiB, keep 5)", dir, INIT_LOG_DEFAULT_MAX_SIZE, INIT_LOG_DEFAULT_KEEP);
  run ("unbounded", dir, 0, 0);
  init_log_writer_get_stats (&stats);
  printf ("longest writer round: %.1f ms (buffer per log: %d KiB)\n",
          stats.max_round_usec / 1000.0, INIT_LOG_BUFFER_MAX / 1024);
  g_rmdir (dir);
  return 0;
}
