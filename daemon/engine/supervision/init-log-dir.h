/* init-log-dir.h — the log directory, opened only when it can be trusted
 *
 * Job output can hold secrets and the daemon writes it as root, so the log directory and
 * everything in it are reached without following a symbolic link (each path component is
 * opened with O_NOFOLLOW from "/", so a link planted anywhere on the way cannot send the
 * daemon elsewhere), and the directory itself must belong to the daemon's uid and be writable
 * by nobody else: otherwise another user could plant or swap the files in it.  Every file in
 * it is then opened, created, linked and renamed relative to the directory's fd.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Open the directory @path (absolute) as described above, creating it and its missing parents
 * (mode 0755) if @create.  Returns an O_DIRECTORY fd, or -1 with errno set: ELOOP a component
 * is a symbolic link, ENOTDIR not a directory, EPERM not the daemon's or writable by group
 * or others; with @error (may be NULL) saying which in words. */
int      init_log_dir_open (const char *path,
                            gboolean    create,
                            GError    **error);

/* The file @name in @dir_fd, opened with @flags (O_NOFOLLOW is added) and checked: a regular
 * file that belongs to the daemon's uid.  -1 with errno set otherwise (EPERM: another
 * user's; EINVAL: not a regular file). */
int      init_log_dir_open_file (int         dir_fd,
                                 const char *name,
                                 int         flags,
                                 mode_t      mode);

G_END_DECLS
