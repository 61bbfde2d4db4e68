/* init-log-file.h — a log file on disk: appending, rotation, reopening (private)
 *
 * Used by the writer thread only (init-log-writer.c), never by the main thread: every call
 * here may wait for the disk.  The file is opened lazily (O_APPEND|O_NOFOLLOW, mode 0640,
 * its directory created), reopened when someone deleted or moved it, and rotated at the size
 * limit — at a line end where one is near, so lines are not split between files.  Everything
 * happens relative to the directory's fd, opened only if it can be trusted, and a file that
 * is not the daemon's is never written (init-log-dir.h).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char    *path;
  char    *dir;           /* the directory of @path */
  char    *name;          /* the file's name in it */
  int      dir_fd;        /* the directory while the file is open; -1 otherwise */
  int      fd;            /* -1: not open */
  gboolean unpublished;   /* fd is an O_TMPFILE not linked at path yet */
  goffset  size;
  gboolean ends_line;     /* the file's last byte is a line end (or it is empty) */
  gboolean open_failed;   /* the last failure was opening, not writing */
  guint    rotations;     /* rotated (or emptied) at the limit so far */
} InitLogFile;

void   init_log_file_init (InitLogFile *file,
                           const char  *path);
/* Close it and free the path. */
void   init_log_file_clear (InitLogFile *file);
void   init_log_file_close (InitLogFile *file);

/* Append @data, rotating at @max_size (0: never) keeping @keep files (0: the file is emptied
 * instead).  Returns how much is written; *err (0 on entry) is set to an errno when the
 * rest could not be written now.  Unless @force, an unfinished last line that would leave
 * the file ending inside a line just short of the limit is kept back: *held is set and the
 * return value is short of @length. */
gsize  init_log_file_write (InitLogFile  *file,
                            const guint8 *data,
                            gsize         length,
                            goffset       max_size,
                            guint         keep,
                            gboolean      force,
                            gboolean     *held,
                            int          *err);

G_END_DECLS
