/* test-log-dir.c — the log directory is opened only when it can be trusted: no symbolic link
 * on the way, a directory of the daemon's uid that nobody else may write, and files in it
 * that are the daemon's own regular files */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "init-log-dir.h"

/* The uid of "nobody" on Debian: any uid that is not ours will do. */
#define OTHER_UID 65534

typedef struct
{
  char *root;   /* a private temporary directory */
} Fixture;

static void
fixture_setup (Fixture      *fx,
               gconstpointer data)
{
  fx->root = g_dir_make_tmp ("test-log-dir-XXXXXX", NULL);
  g_assert_nonnull (fx->root);
  g_assert_cmpint (chmod (fx->root, 0755), ==, 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture      *fx,
                  gconstpointer data)
{
  remove_tree (fx->root);
  g_free (fx->root);
}

static char *
path_in (Fixture    *fx,
         const char *relative)
{
  return g_build_filename (fx->root, relative, NULL);
}

/* Open @relative (under the fixture's root); the fd or -1, errno kept. */
static int
open_dir (Fixture    *fx,
          const char *relative,
          gboolean    create,
          GError    **error)
{
  g_autofree char *path = path_in (fx, relative);

  return init_log_dir_open (path, create, error);
}

static void
assert_refused (Fixture    *fx,
                const char *relative,
                gboolean    create,
                int         expected_errno)
{
  g_autoptr(GError) error = NULL;
  int fd = open_dir (fx, relative, create, &error);
  int saved = errno;

  g_assert_cmpint (fd, ==, -1);
  g_assert_cmpint (saved, ==, expected_errno);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
}

/* A directory of ours, writable only by us, opens; with @create, missing parents are made
 * 0755. */
static void
test_trusted_opens (Fixture      *fx,
                    gconstpointer data)
{
  g_autofree char *deep = path_in (fx, "a/b/log");
  struct stat st;
  int fd;

  assert_refused (fx, "a/b/log", FALSE, ENOENT);
  fd = open_dir (fx, "a/b/log", TRUE, NULL);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0755);
  g_assert_cmpint (st.st_uid, ==, geteuid ());
  close (fd);
  g_assert_true (g_file_test (deep, G_FILE_TEST_IS_DIR));
}

/* A symbolic link anywhere on the way is refused (ELOOP), even to a good directory. */
static void
test_symlink_refused (Fixture      *fx,
                      gconstpointer data)
{
  g_autofree char *real = path_in (fx, "real");
  g_autofree char *link = path_in (fx, "link");

  g_assert_cmpint (g_mkdir (real, 0755), ==, 0);
  g_assert_cmpint (symlink (real, link), ==, 0);
  assert_refused (fx, "link", FALSE, ELOOP);
  assert_refused (fx, "link/sub", TRUE, ELOOP);
}

/* A file where the directory should be is ENOTDIR. */
static void
test_not_a_directory (Fixture      *fx,
                      gconstpointer data)
{
  g_autofree char *file = path_in (fx, "file");

  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  assert_refused (fx, "file", FALSE, ENOTDIR);
}

/* A directory that group or others may write is refused (EPERM): files could be swapped. */
static void
test_writable_by_others_refused (Fixture      *fx,
                                 gconstpointer data)
{
  g_autofree char *group = path_in (fx, "group");
  g_autofree char *world = path_in (fx, "world");

  g_assert_cmpint (g_mkdir (group, 0775), ==, 0);
  g_assert_cmpint (chmod (group, 0775), ==, 0);
  g_assert_cmpint (g_mkdir (world, 0777), ==, 0);
  g_assert_cmpint (chmod (world, 01777), ==, 0);
  assert_refused (fx, "group", FALSE, EPERM);
  assert_refused (fx, "world", FALSE, EPERM);
}

/* A directory of another user is refused (EPERM), whatever its mode. */
static void
test_other_owner_refused (Fixture      *fx,
                          gconstpointer data)
{
  g_autofree char *theirs = path_in (fx, "theirs");

  g_assert_cmpint (g_mkdir (theirs, 0755), ==, 0);
  g_assert_cmpint (chown (theirs, OTHER_UID, OTHER_UID), ==, 0);
  assert_refused (fx, "theirs", FALSE, EPERM);
}

/* A relative path is never taken. */
static void
test_relative_refused (void)
{
  g_assert_cmpint (init_log_dir_open ("relative/log", TRUE, NULL), ==, -1);
}

/* ---- files in the directory ---- */

/* Our regular file opens (and is created with the mode asked); O_NOFOLLOW is implied. */
static void
test_file_ours_opens (Fixture      *fx,
                      gconstpointer data)
{
  int dir = open_dir (fx, "", FALSE, NULL);
  int fd;
  struct stat st;

  g_assert_cmpint (dir, >=, 0);
  fd = init_log_dir_open_file (dir, "job.log", O_WRONLY | O_CREAT | O_APPEND, 0640);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  close (fd);
  fd = init_log_dir_open_file (dir, "job.log", O_RDONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  close (dir);
}

/* A link planted in the directory is not followed. */
static void
test_file_symlink_refused (Fixture      *fx,
                           gconstpointer data)
{
  g_autofree char *link = path_in (fx, "job.log");
  int dir = open_dir (fx, "", FALSE, NULL);

  g_assert_cmpint (symlink ("/etc/passwd", link), ==, 0);
  g_assert_cmpint (init_log_dir_open_file (dir, "job.log", O_RDONLY, 0), ==, -1);
  g_assert_cmpint (errno, ==, ELOOP);
  close (dir);
}

/* Another user's file is refused (EPERM); so is a FIFO (EINVAL), which would block a read. */
static void
test_file_foreign_or_special_refused (Fixture      *fx,
                                      gconstpointer data)
{
  g_autofree char *theirs = path_in (fx, "theirs.log");
  g_autofree char *fifo = path_in (fx, "fifo.log");
  int dir = open_dir (fx, "", FALSE, NULL);

  g_assert_true (g_file_set_contents (theirs, "secret?", -1, NULL));
  g_assert_cmpint (chown (theirs, OTHER_UID, OTHER_UID), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  g_assert_cmpint (init_log_dir_open_file (dir, "theirs.log", O_RDONLY, 0), ==, -1);
  g_assert_cmpint (errno, ==, EPERM);
  g_assert_cmpint (init_log_dir_open_file (dir, "fifo.log", O_RDONLY | O_NONBLOCK, 0), ==, -1);
  g_assert_cmpint (errno, ==, EINVAL);
  close (dir);
}

#define ADD(path, func) \
  g_test_add ("/engine/log-dir/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("trusted-opens", test_trusted_opens);
  ADD ("symlink-refused", test_symlink_refused);
  ADD ("not-a-directory", test_not_a_directory);
  ADD ("writable-by-others-refused", test_writable_by_others_refused);
  ADD ("other-owner-refused", test_other_owner_refused);
  g_test_add_func ("/engine/log-dir/relative-refused", test_relative_refused);
  ADD ("file/ours-opens", test_file_ours_opens);
  ADD ("file/symlink-refused", test_file_symlink_refused);
  ADD ("file/foreign-or-special-refused", test_file_foreign_or_special_refused);

  return g_test_run ();
}
