/* init-log-dir.c — the log directory, opened only when it can be trusted */
#define G_LOG_DOMAIN "init-log"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init-error.h"
#include "init-log-dir.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* The next component @name below @parent, created if @create and missing. */
static int
open_component (int         parent,
                const char *name,
                gboolean    create,
                gboolean   *created)
{
  int fd = openat (parent, name, DIR_FLAGS);
  struct stat st;

  /* With O_DIRECTORY, Linux says ENOTDIR for a symbolic link: say ELOOP, as documented. */
  if (fd < 0 && errno == ENOTDIR && fstatat (parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0
      && S_ISLNK (st.st_mode))
    errno = ELOOP;
  if (fd >= 0 || errno != ENOENT || !create)
    return fd;
  if (mkdirat (parent, name, 0755) < 0 && errno != EEXIST)
    return -1;
  *created = TRUE;
  return openat (parent, name, DIR_FLAGS);
}

static int
fail (int         saved,
      const char *path,
      const char *why,
      GError    **error)
{
  g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, _("Not logging to %s: %s"), path, why);
  errno = saved;
  return -1;
}

int
init_log_dir_open (const char *path,
                   gboolean    create,
                   GError    **error)
{
  g_auto (GStrv) parts = NULL;
  gboolean created = FALSE;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, -1);

  if (!g_path_is_absolute (path))
    return fail (EINVAL, path, _("the path is not absolute"), error);
  fd = open ("/", DIR_FLAGS);
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; fd >= 0 && parts[i] != NULL; i++)
    {
      int next;

      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      created = FALSE;
      next = open_component (fd, parts[i], create, &created);
      close (fd);
      fd = next;
    }
  if (fd < 0)
    {
      int saved = errno;

      return fail (saved, path, saved == ELOOP ? _("a part of the path is a symbolic link")
                                               : g_strerror (saved), error);
    }
  /* Made by us: exactly 0755, whatever the umask. */
  if (created)
    fchmod (fd, 0755);
  if (fstat (fd, &st) < 0 || st.st_uid != geteuid () || (st.st_mode & (S_IWGRP | S_IWOTH)))
    {
      close (fd);
      return fail (EPERM, path,
                   _("the directory must belong to the daemon's user and be writable by nobody else"),
                   error);
    }
  return fd;
}

int
init_log_dir_open_file (int         dir_fd,
                        const char *name,
                        int         flags,
                        mode_t      mode)
{
  struct stat st;
  int fd = openat (dir_fd, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);

  if (fd < 0)
    return -1;
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || st.st_uid != geteuid ())
    {
      int saved = fstat (fd, &st) == 0 && S_ISREG (st.st_mode) ? EPERM : EINVAL;

      close (fd);
      errno = saved;
      return -1;
    }
  return fd;
}
