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

/* Output kept in memory while the file cannot be written; the rest is dropped. */
#define LOG_BUFFER_MAX (64 * 1024)
/* Reads per wake-up, so one chatty job cannot starve the main loop. */
#define LOG_READS_PER_DISPATCH 16
#define LOG_FILE_MODE 0640

typedef struct
{
  InitLog *log;
  int      master;
  GSource *source;
  pid_t    pid;      /* the process writing to it: 0 not known yet, -1 it has exited */
} LogPty;

struct _InitLog
{
  char       *path;
  int         fd;            /* the file, opened on first output; -1 when closed */
  GPtrArray  *ptys;          /* LogPty, one per process still writing */
  GByteArray *pending;       /* output not yet written, at most LOG_BUFFER_MAX bytes */
  gboolean    open_warned;   /* one warning per spell of failing to open */
  gboolean    drop_warned;   /* one warning per spell of dropping output */
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
  if (pty->master >= 0)
    close (pty->master);
  g_free (pty);
}

InitLog *
init_log_new (const char *path)
{
  InitLog *log;

  g_return_val_if_fail (path != NULL, NULL);

  log = g_new0 (InitLog, 1);
  log->path = g_strdup (path);
  log->fd = -1;
  log->ptys = g_ptr_array_new_with_free_func (log_pty_free);
  log->pending = g_byte_array_new ();
  return log;
}

const char *
init_log_get_path (InitLog *log)
{
  g_return_val_if_fail (log != NULL, NULL);

  return log->path;
}

static void
log_close_file (InitLog *log)
{
  if (log->fd >= 0)
    close (log->fd);
  log->fd = -1;
}

static int
log_open_file (InitLog *log)
{
  g_autofree char *dir = g_path_get_dirname (log->path);
  int flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
  int attempt, fd = -1;

  if (g_mkdir_with_parents (dir, 0755) < 0)
    return -1;

  /* Create exclusively first, so a new file gets exactly 0640 whatever the daemon's umask
   * (changing the process umask would race with other threads); append to an existing one. */
  for (attempt = 0; attempt < 3 && fd < 0; attempt++)
    {
      fd = open (log->path, flags | O_CREAT | O_EXCL, LOG_FILE_MODE);
      if (fd >= 0)
        {
          fchmod (fd, LOG_FILE_MODE);
          break;
        }
      if (errno != EEXIST)
        return -1;
      fd = open (log->path, flags);
      if (fd < 0 && errno != ENOENT)
        return -1;
    }
  return fd;
}

/* Is the file open and still the one at log->path?  Reopens it after it was unlinked
 * (logrotate) and opens it on first use. */
static gboolean
log_ensure_file (InitLog *log)
{
  struct stat st;
  int saved;

  if (log->fd >= 0 && fstat (log->fd, &st) == 0 && st.st_nlink == 0)
    log_close_file (log);
  if (log->fd >= 0)
    return TRUE;

  log->fd = log_open_file (log);
  if (log->fd < 0)
    {
      saved = errno;
      if (!log->open_warned)
        g_warning (_("Unable to open log file %s: %s"), log->path, g_strerror (saved));
      log->open_warned = TRUE;
      return FALSE;
    }
  log->open_warned = FALSE;
  return TRUE;
}

/* Write as much of @data as the file takes now; returns how many bytes are done with
 * (written, or discarded when the disk is full). */
static gsize
log_write_file (InitLog    *log,
                const char *data,
                gsize       length)
{
  gsize done = 0;
  gssize n;

  if (length == 0 || !log_ensure_file (log))
    return 0;

  while (done < length)
    {
      n = write (log->fd, data + done, length - done);
      if (n >= 0)
        {
          done += n;
          continue;
        }
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN)
        break;
      if (errno == ENOSPC)
        {
          /* As Upstart: output that finds the disk full is discarded, not kept. */
          if (!log->drop_warned)
            g_warning (_("Discarding output for %s: %s"), log->path, g_strerror (errno));
          log->drop_warned = TRUE;
          return length;
        }
      g_warning (_("Unable to write log file %s: %s"), log->path, g_strerror (errno));
      log_close_file (log);
      break;
    }
  /* Everything went out: a later loss is a new spell, worth a new warning. */
  if (done == length)
    log->drop_warned = FALSE;
  return done;
}

static void
log_write_pending (InitLog *log)
{
  gsize done;

  if (log->pending->len == 0)
    return;
  done = log_write_file (log, (const char *) log->pending->data, log->pending->len);
  g_byte_array_remove_range (log->pending, 0, done);
}

static void
log_append (InitLog    *log,
            const char *data,
            gsize       length)
{
  gsize done, room;

  /* Older output first: only write directly when nothing is waiting. */
  log_write_pending (log);
  if (log->pending->len == 0)
    {
      done = log_write_file (log, data, length);
      data += done;
      length -= done;
    }
  if (length == 0)
    return;

  room = LOG_BUFFER_MAX - log->pending->len;
  if (length > room)
    {
      if (!log->drop_warned)
        g_warning (_("Log buffer for %s is full, discarding output"), log->path);
      log->drop_warned = TRUE;
      length = room;
    }
  g_byte_array_append (log->pending, (const guint8 *) data, length);
}

/* The last process is gone: release the file (reopened lazily should more output come). */
static void
log_pty_close (LogPty *pty)
{
  InitLog *log = pty->log;

  g_ptr_array_remove_fast (log->ptys, pty);
  if (log->ptys->len == 0)
    {
      log_write_pending (log);
      if (log->pending->len == 0)
        log_close_file (log);
    }
}

/* Read from the master; returns FALSE at end of output.  Once every slave is closed Linux
 * reports EIO rather than end of file: that is the normal end. */
static gboolean
log_pty_read (LogPty *pty,
              guint   max_reads)
{
  char buffer[4096];
  gssize n;
  guint reads = 0;

  while (max_reads == 0 || reads++ < max_reads)
    {
      n = read (pty->master, buffer, sizeof buffer);
      if (n > 0)
        {
          log_append (pty->log, buffer, n);
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return TRUE;
      if (n < 0 && errno != EIO)
        g_debug ("Reading pty of %s: %s", pty->log->path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
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
  log_pty_close (pty);
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
    log_pty_close (pty);
  return G_SOURCE_REMOVE;
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
      if (!log_pty_read (pty, 0) || pty->source == NULL)
        log_pty_close (pty);
      break;
    }
  log_write_pending (log);
}

int
init_log_open_pty (InitLog *log,
                   GError **error)
{
  char name[64];
  LogPty *pty;
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

  pty = g_new0 (LogPty, 1);
  pty->log = log;
  pty->master = master;
  pty->source = g_unix_fd_source_new (master, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (pty->source, G_SOURCE_FUNC (log_pty_ready), pty, NULL);
  g_source_set_static_name (pty->source, "[init] job log");
  g_source_attach (pty->source, g_main_context_get_thread_default ());
  g_ptr_array_add (log->ptys, pty);
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

      if (!log_pty_read (pty, 0))
        log_pty_ended (pty);
    }
  log_write_pending (log);
}

void
init_log_free (InitLog *log)
{
  if (log == NULL)
    return;

  init_log_flush (log);
  if (log->pending->len > 0)
    g_warning (_("Discarding %u bytes of output that could not be written to %s"),
               log->pending->len, log->path);
  g_ptr_array_unref (log->ptys);
  g_byte_array_unref (log->pending);
  log_close_file (log);
  g_free (log->path);
  g_free (log);
}

static char *
escape_slashes (const char *name)
{
  char *copy = g_strdup (name);

  g_strdelimit (copy, "/", '_');
  return copy;
}

char *
init_log_path_for (const char *dir,
                   const char *class_name,
                   const char *instance)
{
  g_autofree char *job = NULL;
  g_autofree char *file = NULL;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (class_name != NULL, NULL);

  job = escape_slashes (class_name);
  if (instance != NULL && instance[0] != '\0')
    {
      g_autofree char *inst = escape_slashes (instance);

      file = g_strdup_printf ("%s-%s.log", job, inst);
    }
  else
    {
      file = g_strdup_printf ("%s.log", job);
    }
  return g_build_filename (dir, file, NULL);
}
