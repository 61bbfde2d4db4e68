/* init-log.c — `console log`: a job's output through a pty into a file (reference §8) */
#define G_LOG_DOMAIN "init-log"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init-error.h"
#include "init-log.h"
#include "init-log-writer.h"
#include "init-name.h"
#include "init-pty-store.h"

/* Reads per wake-up, so one chatty job cannot starve the main loop; and when taking what is
 * pending (flush, exit), so a stray that never stops writing cannot hold it either. */
#define LOG_READS_PER_DISPATCH 16
#define LOG_READS_PER_DRAIN    256
#define LOG_READ_SIZE (64 * 1024)
#define LOG_READ_MIN  (4 * 1024)

/* The main thread only reads the ptys and hands the output to the log's sink
 * (init-log-writer.c); a writer thread puts it on disk, so no job and no part of the daemon
 * ever waits for the disk. */

typedef struct
{
  InitLog *log;
  int      master;
  GSource *source;
  pid_t    pid;      /* the process writing to it: 0 not known yet, -1 it has exited */
  gboolean detached; /* handed to a new process image (re-exec): never read nor closed here */
  pid_t    kept;     /* the pty store keeps a copy of the master for this pid; 0 none */
} LogPty;

struct _InitLog
{
  char        *path;
  InitLogSink *sink;
  GPtrArray   *ptys;          /* LogPty, one per process still writing */
};

static void
log_pty_free (gpointer data)
{
  LogPty *pty = data;

  if (pty->source != NULL)
    {
      g_source_destroy (pty->source);
      g_source_unref (pty->source);
    }
  if (pty->master >= 0 && !pty->detached)
    close (pty->master);
  /* Its process is gone (or the daemon exits cleanly): the copy outside goes too. */
  if (pty->kept > 0 && !pty->detached)
    init_pty_store_forget (pty->kept);
  init_log_sink_count_pty (pty->log->sink, -1);
  g_free (pty);
}

InitLog *
init_log_new (const char *path)
{
  InitLog *log;

  g_return_val_if_fail (path != NULL, NULL);

  log = g_new0 (InitLog, 1);
  log->path = g_strdup (path);
  log->sink = init_log_sink_get (path);
  log->ptys = g_ptr_array_new_with_free_func (log_pty_free);
  return log;
}

void
init_log_set_limits (goffset max_size,
                     guint   keep)
{
  g_return_if_fail (max_size >= 0);

  init_log_writer_set_limits (max_size, keep);
}

const char *
init_log_get_path (InitLog *log)
{
  g_return_val_if_fail (log != NULL, NULL);

  return log->path;
}

/* Read from the master; returns FALSE at end of output.  Once every slave is closed Linux
 * reports EIO rather than end of file: that is the normal end.  A pty read returns at most
 * what the line discipline holds (4 KiB): reads are gathered and handed to the writer
 * together, so it wakes once per batch rather than once per read. */
static gboolean
log_pty_read (LogPty *pty,
              guint   max_reads)
{
  char buffer[LOG_READ_SIZE];
  gsize filled = 0;
  gboolean more = TRUE;
  gssize n;
  guint reads = 0;

  if (pty->detached)
    return TRUE;
  while (reads++ < max_reads)
    {
      if (sizeof buffer - filled < LOG_READ_MIN)
        {
          init_log_sink_append (pty->log->sink, buffer, filled);
          filled = 0;
        }
      n = read (pty->master, buffer + filled, sizeof buffer - filled);
      if (n > 0)
        {
          filled += n;
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno != EAGAIN && errno != EIO)
        g_debug ("Reading pty of %s: %s", pty->log->path, g_strerror (errno));
      more = n < 0 && errno == EAGAIN;
      break;
    }
  init_log_sink_append (pty->log->sink, buffer, filled);
  return more;
}

/* The pty has no more output.  Closing the master hangs the terminal up, and the kernel
 * then sends SIGHUP to the session using it: so while its process lives (it may just have
 * closed its stdout) the master stays open, unwatched, until the process has been reaped. */
static void
log_pty_ended (LogPty *pty)
{
  if (pty->pid > 0)
    {
      if (pty->source != NULL)
        {
          g_source_destroy (pty->source);
          g_clear_pointer (&pty->source, g_source_unref);
        }
      return;
    }
  g_ptr_array_remove_fast (pty->log->ptys, pty);
}

static gboolean
log_pty_ready (int          fd,
               GIOCondition condition,
               gpointer     user_data)
{
  LogPty *pty = user_data;

  if (log_pty_read (pty, LOG_READS_PER_DISPATCH))
    return G_SOURCE_CONTINUE;
  /* This source is done either way (returning REMOVE destroys it): forget it first. */
  g_clear_pointer (&pty->source, g_source_unref);
  if (pty->pid <= 0)
    g_ptr_array_remove_fast (pty->log->ptys, pty);
  return G_SOURCE_REMOVE;
}

/* Read @master from the main loop as one of @log's ptys. */
static LogPty *
log_add_pty (InitLog *log,
             int      master,
             pid_t    pid)
{
  LogPty *pty = g_new0 (LogPty, 1);

  pty->log = log;
  pty->master = master;
  pty->pid = pid;
  pty->source = g_unix_fd_source_new (master, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (pty->source, G_SOURCE_FUNC (log_pty_ready), pty, NULL);
  g_source_set_static_name (pty->source, "[init] job log");
  g_source_attach (pty->source, g_main_context_get_thread_default ());
  init_log_sink_count_pty (log->sink, 1);
  g_ptr_array_add (log->ptys, pty);
  return pty;
}

void
init_log_set_pid (InitLog *log,
                  pid_t    pid)
{
  g_return_if_fail (log != NULL);

  for (guint i = log->ptys->len; i > 0; i--)
    {
      LogPty *pty = g_ptr_array_index (log->ptys, i - 1);
      if (pty->pid == 0)
        {
          pty->pid = pid;
          /* Held outside the daemon too, so a crash of initd does not hang the job up. */
          init_pty_store_keep (pid, pty->master);
          pty->kept = pid;
          return;
        }
    }
}

void
init_log_process_exited (InitLog *log,
                         pid_t    pid)
{
  g_return_if_fail (log != NULL);

  for (guint i = log->ptys->len; i > 0; i--)
    {
      LogPty *pty = g_ptr_array_index (log->ptys, i - 1);

      if (pty->pid != pid)
        continue;
      pty->pid = -1;
      /* Whatever is left; if something it started still holds the terminal, keep reading
       * from the main loop until that ends too. */
      if (pty->detached || !log_pty_read (pty, LOG_READS_PER_DRAIN) || pty->source == NULL)
        g_ptr_array_remove_fast (log->ptys, pty);
      break;
    }
}

int
init_log_open_pty (InitLog *log,
                   GError **error)
{
  char name[64];
  int master, slave, saved;

  g_return_val_if_fail (log != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  /* An earlier process (pre-start, say) may have ended with output still in its pty; take
   * it now, so the file keeps the order in which the processes ran. */
  init_log_flush (log);

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt (master) < 0 || unlockpt (master) < 0
      || ptsname_r (master, name, sizeof name) != 0
      || !g_unix_set_fd_nonblocking (master, TRUE, NULL))
    {
      saved = errno;
      if (master >= 0)
        close (master);
      g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, _("Failed to create pty: %s"),
                   g_strerror (saved));
      return -1;
    }

  slave = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0)
    {
      saved = errno;
      close (master);
      g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, _("Failed to open pty %s: %s"),
                   name, g_strerror (saved));
      return -1;
    }

  log_add_pty (log, master, 0);
  return slave;
}

void
init_log_flush (InitLog *log)
{
  guint i;

  g_return_if_fail (log != NULL);

  /* Backwards, because a pty at its end removes itself from the array. */
  for (i = log->ptys->len; i > 0; i--)
    {
      LogPty *pty = g_ptr_array_index (log->ptys, i - 1);

      if (!log_pty_read (pty, LOG_READS_PER_DRAIN))
        log_pty_ended (pty);
    }
  /* A file that could not be opened or written is tried again now. */
  init_log_sink_kick (log->sink);
}

gboolean
init_log_sync (InitLog *log,
               int      timeout_ms)
{
  g_return_val_if_fail (log != NULL, FALSE);

  return init_log_sink_sync (log->sink, timeout_ms);
}

gboolean
init_log_sync_all (int timeout_ms)
{
  return init_log_writer_sync_all (timeout_ms);
}

void
init_log_foreach_pty (InitLog       *log,
                      InitLogPtyFunc func,
                      gpointer       user_data)
{
  g_return_if_fail (log != NULL);
  g_return_if_fail (func != NULL);

  for (guint i = 0; i < log->ptys->len; i++)
    {
      LogPty *pty = g_ptr_array_index (log->ptys, i);

      if (pty->pid > 0 && pty->master >= 0)
        func (pty->pid, pty->master, user_data);
    }
}

void
init_log_detach (InitLog *log)
{
  g_return_if_fail (log != NULL);

  /* Output the jobs write from now on waits in the ptys for the new process image. */
  for (guint i = 0; i < log->ptys->len; i++)
    {
      LogPty *pty = g_ptr_array_index (log->ptys, i);

      if (pty->source != NULL)
        {
          g_source_destroy (pty->source);
          g_clear_pointer (&pty->source, g_source_unref);
        }
      pty->detached = TRUE;
    }
}

void
init_log_adopt_pty (InitLog *log,
                    pid_t    pid,
                    int      master_fd)
{
  int flags;

  g_return_if_fail (log != NULL);
  g_return_if_fail (pid > 0);
  g_return_if_fail (master_fd >= 0);

  flags = fcntl (master_fd, F_GETFD);
  if (flags >= 0)
    fcntl (master_fd, F_SETFD, flags | FD_CLOEXEC);
  if (!g_unix_set_fd_nonblocking (master_fd, TRUE, NULL))
    g_debug ("Making pty of %s non-blocking: %s", log->path, g_strerror (errno));
  /* The store still keeps the copy it was given by the process image before us. */
  log_add_pty (log, master_fd, pid)->kept = pid;
}

/* The output the pty store read while no daemon was there (@fd: a memfd, closed). */
static void
log_take_kept_output (InitLog *log,
                      int      fd)
{
  char buffer[LOG_READ_SIZE];
  gssize n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      init_log_sink_append (log->sink, buffer, n);
  close (fd);
}

gboolean
init_log_adopt_kept_pty (InitLog *log,
                         pid_t    pid)
{
  guint64 lost = 0;
  int master, output;

  g_return_val_if_fail (log != NULL, FALSE);

  if (!init_pty_store_take (pid, &master, &output, &lost))
    return FALSE;
  /* In the order it was written: what the keeper read first, then what waits in the pty. */
  if (output >= 0)
    log_take_kept_output (log, output);
  if (lost > 0)
    init_log_sink_add_lost (log->sink, lost);
  init_log_adopt_pty (log, pid, master);
  return TRUE;
}

void
init_log_free (InitLog *log)
{
  if (log == NULL)
    return;

  /* What the ptys hold now; then they are closed, which hangs their terminals up (detached
   * ones are left open: they live on in the new process image). */
  init_log_flush (log);
  g_ptr_array_unref (log->ptys);
  /* The writer keeps what is buffered until it is on disk: nothing waits here. */
  init_log_sink_release (log->sink);
  g_free (log->path);
  g_free (log);
}

char *
init_log_path_for (const char *dir,
                   const char *class_name,
                   const char *instance)
{
  g_autoptr(GString) file = g_string_new (NULL);

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (class_name != NULL, NULL);

  /* Escaped names hold no "-" or ".": "pub-secret.log" is job "pub", instance "secret",
   * and job "pub-secret" is "pub_2dsecret.log"; rotated files ("….log.1") cannot meet a
   * name either. */
  init_name_append_escaped (file, class_name);
  if (instance != NULL && instance[0] != '\0')
    {
      g_string_append_c (file, '-');
      init_name_append_escaped (file, instance);
    }
  g_string_append (file, ".log");
  return g_build_filename (dir, file->str, NULL);
}
