/* init-log-file.c — a log file on disk: appending, rotation, reopening (writer thread) */
#define G_LOG_DOMAIN "init-log"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init-log-dir.h"
#include "init-log-file.h"

#define LOG_FILE_MODE 0640
/* O_NONBLOCK only so that a FIFO planted at the path cannot hang the open. */
#define LOG_OPEN_FLAGS (O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK)
/* A rotation cuts at the last line end within this many bytes of the limit. */
#define LOG_LINE_SLACK (4 * 1024)

void
init_log_file_init (InitLogFile *file,
                    const char  *path)
{
  memset (file, 0, sizeof *file);
  file->path = g_strdup (path);
  file->dir = g_path_get_dirname (path);
  file->name = g_path_get_basename (path);
  file->dir_fd = -1;
  file->fd = -1;
  file->ends_line = TRUE;
}

void
init_log_file_clear (InitLogFile *file)
{
  init_log_file_close (file);
  g_clear_pointer (&file->path, g_free);
  g_clear_pointer (&file->dir, g_free);
  g_clear_pointer (&file->name, g_free);
}

void
init_log_file_close (InitLogFile *file)
{
  if (file->fd >= 0)
    close (file->fd);
  if (file->dir_fd >= 0)
    close (file->dir_fd);
  file->fd = -1;
  file->dir_fd = -1;
  file->unpublished = FALSE;
}

/* Is file->fd still the file at the path?  Someone may have deleted or moved it (logrotate):
 * then later output goes to a new file at the path.  Refreshes the size, which others may
 * have changed too. */
static gboolean
file_current (InitLogFile *file)
{
  struct stat fst, pst;

  if (file->unpublished)
    return TRUE;
  if (fstat (file->fd, &fst) < 0 || fst.st_nlink == 0
      || fstatat (file->dir_fd, file->name, &pst, AT_SYMLINK_NOFOLLOW) < 0)
    return FALSE;
  if (fst.st_dev != pst.st_dev || fst.st_ino != pst.st_ino)
    return FALSE;
  file->size = fst.st_size;
  return TRUE;
}

static void
file_opened (InitLogFile *file,
             int          fd,
             goffset      size)
{
  file->fd = fd;
  file->size = size;
  file->ends_line = TRUE;
}

/* Open the file for appending, creating it (and its directory) if need be, all relative to
 * the trusted directory (init-log-dir.h).  A new file is an O_TMPFILE linked at the path once
 * its first output is in it (file_publish), so a reader never finds it empty; where O_TMPFILE
 * is not supported it is created directly.  Creating exclusively gives exactly 0640 whatever
 * the daemon's umask. */
static gboolean
file_open (InitLogFile *file,
           int         *err)
{
  struct stat st;
  int fd;

  if (file->fd >= 0 && file_current (file))
    return TRUE;
  init_log_file_close (file);

  file->dir_fd = init_log_dir_open (file->dir, TRUE, NULL);
  if (file->dir_fd < 0)
    {
      *err = errno;
      return FALSE;
    }
  for (int attempt = 0; attempt < 3; attempt++)
    {
      fd = init_log_dir_open_file (file->dir_fd, file->name, LOG_OPEN_FLAGS, 0);
      if (fd >= 0)
        {
          file_opened (file, fd, fstat (fd, &st) == 0 ? st.st_size : 0);
          return TRUE;
        }
      if (errno != ENOENT)
        break;

      fd = openat (file->dir_fd, ".", O_TMPFILE | O_WRONLY | O_APPEND | O_CLOEXEC, LOG_FILE_MODE);
      if (fd >= 0)
        {
          fchmod (fd, LOG_FILE_MODE);
          file_opened (file, fd, 0);
          file->unpublished = TRUE;
          return TRUE;
        }
      if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
        break;

      fd = init_log_dir_open_file (file->dir_fd, file->name, LOG_OPEN_FLAGS | O_CREAT | O_EXCL,
                                   LOG_FILE_MODE);
      if (fd >= 0)
        {
          fchmod (fd, LOG_FILE_MODE);
          file_opened (file, fd, 0);
          return TRUE;
        }
      if (errno != EEXIST)
        break;
    }
  *err = errno != 0 ? errno : EAGAIN;
  init_log_file_close (file);
  return FALSE;
}

/* Link the new file at the path.  EEXIST: someone created one meanwhile; the caller writes
 * the same output again to that one. */
static gboolean
file_publish (InitLogFile *file,
              int         *err)
{
  char proc[64];

  g_snprintf (proc, sizeof proc, "/proc/self/fd/%d", file->fd);
  if (linkat (AT_FDCWD, proc, file->dir_fd, file->name, AT_SYMLINK_FOLLOW) == 0
      || (errno != EEXIST
          && linkat (file->fd, "", file->dir_fd, file->name, AT_EMPTY_PATH) == 0))
    {
      struct stat linked, named_st;
      int named;

      file->unpublished = FALSE;
      /* From now on write through the name: inotify reports writes made through the
       * anonymous O_TMPFILE dentry under a name nobody knows ("#1234"), and whoever follows
       * the log directory (Job.LogChanged) goes by names. */
      named = init_log_dir_open_file (file->dir_fd, file->name, LOG_OPEN_FLAGS, 0);
      if (named >= 0)
        {
          if (fstat (file->fd, &linked) == 0 && fstat (named, &named_st) == 0
              && linked.st_ino == named_st.st_ino && linked.st_dev == named_st.st_dev)
            dup3 (named, file->fd, O_CLOEXEC);
          close (named);
        }
      return TRUE;
    }
  *err = errno;
  init_log_file_close (file);
  return FALSE;
}

/* Returns how much was written: all of @length, or less with *err set. */
static gsize
file_write_all (InitLogFile  *file,
                const guint8 *data,
                gsize         length,
                int          *err)
{
  gsize written = 0;
  gssize n;

  while (written < length)
    {
      n = write (file->fd, data + written, length - written);
      if (n > 0)
        written += n;
      else if (n < 0 && errno == EINTR)
        continue;
      else
        {
          *err = n < 0 ? errno : EIO;
          break;
        }
    }
  file->size += written;
  if (written > 0)
    file->ends_line = data[written - 1] == '\n';
  return written;
}

/* Make room: keep 0 empties the file; otherwise the oldest (<file>.<keep>) is removed, the
 * others move up one and the file becomes <file>.1.  Removing first means no rename
 * replaces a file, which ext4 answers by writing the renamed file out (auto_da_alloc) while
 * the writer waits.  A file missing from the chain (deleted by someone) is skipped. */
static gboolean
file_rotate (InitLogFile *file,
             guint        keep,
             int         *err)
{
  g_autofree char *older = NULL;

  if (keep == 0)
    {
      if (ftruncate (file->fd, 0) < 0)
        {
          *err = errno;
          return FALSE;
        }
      file->size = 0;
      file->ends_line = TRUE;
      file->rotations++;
      return TRUE;
    }

  older = g_strdup_printf ("%s.%u", file->name, keep);
  if (unlinkat (file->dir_fd, older, 0) < 0 && errno != ENOENT)
    g_debug ("Rotating %s: %s", older, g_strerror (errno));
  for (guint i = keep; i > 1; i--)
    {
      g_autofree char *newer = g_strdup_printf ("%s.%u", file->name, i - 1);

      if (renameat (file->dir_fd, newer, file->dir_fd, older) < 0 && errno != ENOENT)
        g_debug ("Rotating %s: %s", newer, g_strerror (errno));
      g_free (older);
      older = g_steal_pointer (&newer);
    }
  if (renameat (file->dir_fd, file->name, file->dir_fd, older) < 0 && errno != ENOENT)
    {
      *err = errno;
      return FALSE;
    }
  init_log_file_close (file);
  file->rotations++;
  return TRUE;
}

/* How much of @data goes into the file before it is rotated: at most @room, cut after the
 * last line end in the last LOG_LINE_SLACK bytes; 0 (rotate first) when none is there but
 * the file itself ends a line that near the limit. */
static gsize
file_cut (const guint8 *data,
          gsize         room,
          gboolean      file_ends_line)
{
  gsize low = room > LOG_LINE_SLACK ? room - LOG_LINE_SLACK : 0;
  const guint8 *nl = room > low ? memrchr (data + low, '\n', room - low) : NULL;

  if (nl != NULL)
    return nl - data + 1;
  if (low == 0 && file_ends_line)
    return 0;
  return room;
}

/* The file would end inside a line just short of the limit (a pty read ends wherever it
 * ends), and the rest of the line would then start the next file: how much of @piece, its
 * unfinished last line, to keep back until more output comes. */
static gsize
file_hold_back (InitLogFile  *file,
                const guint8 *piece,
                gsize         length,
                goffset       max_size)
{
  const guint8 *nl;
  gsize tail;

  if (max_size <= 0 || length == 0 || piece[length - 1] == '\n'
      || file->size + (goffset) length <= max_size - LOG_LINE_SLACK)
    return 0;
  nl = memrchr (piece, '\n', length);
  tail = nl != NULL ? (gsize) (piece + length - (nl + 1)) : length;
  /* A longer line is split whatever happens; with no line end at all, only a file that
   * itself ends a line gains from waiting. */
  if (tail > LOG_LINE_SLACK || (nl == NULL && !(file->size > 0 && file->ends_line)))
    return 0;
  return tail;
}

gsize
init_log_file_write (InitLogFile  *file,
                     const guint8 *data,
                     gsize         length,
                     goffset       max_size,
                     guint         keep,
                     gboolean      force,
                     gboolean     *held,
                     int          *err)
{
  gsize done = 0;

  while (done < length && *err == 0 && !*held)
    {
      gsize piece = length - done, written, tail;
      gboolean rotate = FALSE;

      file->open_failed = !file_open (file, err);
      if (file->open_failed)
        break;
      if (max_size > 0 && (goffset) piece > max_size - file->size)
        {
          gsize room = file->size < max_size ? (gsize) (max_size - file->size) : 0;

          piece = file_cut (data + done, room, file->size > 0 && file->ends_line);
          rotate = TRUE;
        }
      else if (!force && (tail = file_hold_back (file, data + done, piece, max_size)) > 0)
        {
          piece -= tail;
          *held = TRUE;
        }
      written = file_write_all (file, data + done, piece, err);
      if (written < piece)
        {
          /* A new file not linked yet vanishes with what went into it: all of it again
           * later.  Past a full disk the file stays open; other errors reopen it. */
          if (file->unpublished)
            init_log_file_close (file);
          else
            done += written;
          if (*err != ENOSPC && *err != EDQUOT)
            init_log_file_close (file);
          break;
        }
      if (file->unpublished && !file_publish (file, err))
        {
          if (*err == EEXIST)
            *err = 0;
          *held = FALSE;
          continue;
        }
      done += piece;
      if (rotate)
        file_rotate (file, keep, err);
    }
  return done;
}

