/* test-log-file.c — one job's log file on disk: appending, rotating, reopening, holding back
 *
 * init-log-file.c is what the log writer thread calls; here it is called directly, with small
 * size limits, so each rule shows in a few lines of text.
 */
#define G_LOG_DOMAIN "init-test"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init-log-file.h"
#include "test-util.h"

typedef struct
{
  char       *dir;
  char       *path;     /* dir/logs/job.log */
  InitLogFile file;
} Fixture;

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  fx->dir = test_util_mkdtemp ();
  fx->path = g_build_filename (fx->dir, "logs", "job.log", NULL);
  init_log_file_init (&fx->file, fx->path);
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  init_log_file_clear (&fx->file);
  test_util_rm_rf (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

typedef struct
{
  gsize    written;
  gboolean held;
  int      err;
} Result;

static Result
write_text (Fixture    *fx,
            const char *text,
            goffset     max_size,
            guint       keep,
            gboolean    force)
{
  Result r = { 0, FALSE, 0 };

  r.written = init_log_file_write (&fx->file, (const guint8 *) text, strlen (text), max_size, keep,
                                   force, &r.held, &r.err);
  return r;
}

/* Write all of @text (no limit) and check it all went. */
static void
append (Fixture    *fx,
        const char *text)
{
  Result r = write_text (fx, text, 0, 0, FALSE);

  g_assert_cmpint (r.err, ==, 0);
  g_assert_false (r.held);
  g_assert_cmpuint (r.written, ==, strlen (text));
}

static char *
sibling (Fixture    *fx,
         const char *suffix)
{
  return g_strconcat (fx->path, suffix, NULL);
}

#define assert_sibling(fx, suffix, expected) \
  G_STMT_START { \
    g_autofree char *sibling_ = sibling (fx, suffix); \
    test_util_assert_file (sibling_, expected); \
  } G_STMT_END

/* The first output creates the directory and the file, mode 0640; output is appended. */
static void
test_creates_and_appends (Fixture      *fx,
                          gconstpointer data)
{
  struct stat st;

  g_assert_false (g_file_test (fx->path, G_FILE_TEST_EXISTS));
  append (fx, "one\n");
  append (fx, "two\n");
  test_util_assert_file (fx->path, "one\ntwo\n");
  g_assert_no_errno (stat (fx->path, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  g_assert_cmpint (fx->file.size, ==, 8);
  g_assert_true (fx->file.ends_line);
  g_assert_cmpuint (fx->file.rotations, ==, 0);
}

/* An existing file is continued, not replaced; the size counts what was there. */
static void
test_continues_existing (Fixture      *fx,
                         gconstpointer data)
{
  g_autofree char *logs = g_path_get_dirname (fx->path);

  g_assert_no_errno (g_mkdir_with_parents (logs, 0755));
  test_util_write_file (logs, "job.log", "before\n");
  g_assert_no_errno (chmod (fx->path, 0640));
  append (fx, "after");
  test_util_assert_file (fx->path, "before\nafter");
  g_assert_cmpint (fx->file.size, ==, 12);
  g_assert_false (fx->file.ends_line);
}

/* At the limit the file becomes job.log.1, .1 becomes .2, and the oldest beyond @keep goes;
 * a line is never split when the file already ends one. */
static void
test_rotation_chain (Fixture      *fx,
                     gconstpointer data)
{
  const char *lines[] = { "one\n", "two\n", "thr\n", "fou\n", "fiv\n", "six\n", "sev\n" };
  g_autofree char *three = sibling (fx, ".3");

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      Result r = write_text (fx, lines[i], 10, 2, FALSE);

      g_assert_cmpint (r.err, ==, 0);
      g_assert_cmpuint (r.written, ==, 4);
    }
  test_util_assert_file (fx->path, "sev\n");
  assert_sibling (fx, ".1", "fiv\nsix\n");
  assert_sibling (fx, ".2", "thr\nfou\n");
  g_assert_false (g_file_test (three, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (fx->file.rotations, ==, 3);
}

/* keep 0: the file is emptied at the limit rather than renamed. */
static void
test_keep_zero_empties (Fixture      *fx,
                        gconstpointer data)
{
  g_autofree char *one = sibling (fx, ".1");

  write_text (fx, "aaaa\n", 8, 0, FALSE);
  write_text (fx, "bbbb\n", 8, 0, FALSE);
  test_util_assert_file (fx->path, "bbbb\n");
  g_assert_false (g_file_test (one, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (fx->file.rotations, ==, 1);
}

/* A piece that crosses the limit is cut after its last line end before the limit; the rest
 * starts the next file. */
static void
test_cut_at_line_end (Fixture      *fx,
                      gconstpointer data)
{
  Result r = write_text (fx, "ab\ncd\nefgh\n", 8, 1, FALSE);

  g_assert_cmpuint (r.written, ==, 11);
  assert_sibling (fx, ".1", "ab\ncd\n");
  test_util_assert_file (fx->path, "efgh\n");
}

/* A line longer than the limit is split where the limit falls (nothing else can be done). */
static void
test_long_line_split (Fixture      *fx,
                      gconstpointer data)
{
  Result r = write_text (fx, "0123456789ABCDE\n", 10, 1, FALSE);

  g_assert_cmpuint (r.written, ==, 16);
  assert_sibling (fx, ".1", "0123456789");
  test_util_assert_file (fx->path, "ABCDE\n");
}

/* Near the limit an unfinished last line is held back (the caller keeps it until more
 * comes) so it does not straddle two files; with force it goes as it is. */
static void
test_hold_back (Fixture      *fx,
                gconstpointer data)
{
  Result r;

  append (fx, "x\n");
  r = write_text (fx, "def\nab", 100, 1, FALSE);
  g_assert_true (r.held);
  g_assert_cmpuint (r.written, ==, 4);
  test_util_assert_file (fx->path, "x\ndef\n");

  r = write_text (fx, "ab", 100, 1, FALSE);
  g_assert_true (r.held);
  g_assert_cmpuint (r.written, ==, 0);

  r = write_text (fx, "ab", 100, 1, TRUE);
  g_assert_false (r.held);
  g_assert_cmpuint (r.written, ==, 2);
  test_util_assert_file (fx->path, "x\ndef\nab");
}

/* Without a size limit, or far from it, nothing is held back. */
static void
test_no_hold_without_limit (Fixture      *fx,
                            gconstpointer data)
{
  Result r;

  append (fx, "x\n");
  r = write_text (fx, "partial", 0, 1, FALSE);
  g_assert_false (r.held);
  g_assert_cmpuint (r.written, ==, 7);
  r = write_text (fx, " line", 1024 * 1024, 1, FALSE);
  g_assert_false (r.held);
  test_util_assert_file (fx->path, "x\npartial line");
}

/* A file deleted under the writer (by hand, by logrotate) is created anew at the path. */
static void
test_reopens_deleted (Fixture      *fx,
                      gconstpointer data)
{
  append (fx, "old\n");
  g_assert_no_errno (unlink (fx->path));
  append (fx, "new\n");
  test_util_assert_file (fx->path, "new\n");
  g_assert_cmpint (fx->file.size, ==, 4);
}

/* A file moved away keeps what it had; later output goes to a new file at the path. */
static void
test_reopens_moved (Fixture      *fx,
                    gconstpointer data)
{
  g_autofree char *moved = sibling (fx, ".moved");

  append (fx, "old\n");
  g_assert_no_errno (rename (fx->path, moved));
  append (fx, "new\n");
  test_util_assert_file (moved, "old\n");
  test_util_assert_file (fx->path, "new\n");
}

/* Another writer's appends count towards the limit: the size is read again before writing. */
static void
test_size_follows_others (Fixture      *fx,
                          gconstpointer data)
{
  FILE *other;

  append (fx, "aa\n");
  other = fopen (fx->path, "a");
  g_assert_nonnull (other);
  fputs ("from someone else\n", other);
  fclose (other);
  write_text (fx, "bb\n", 16, 1, FALSE);
  assert_sibling (fx, ".1", "aa\nfrom someone else\n");
  test_util_assert_file (fx->path, "bb\n");
}

/* A symbolic link planted at the path is never followed: the write fails, the target is
 * untouched. */
static void
test_refuses_symlink (Fixture      *fx,
                      gconstpointer data)
{
  g_autofree char *logs = g_path_get_dirname (fx->path);
  g_autofree char *target = g_build_filename (fx->dir, "target", NULL);
  Result r;

  g_assert_no_errno (g_mkdir_with_parents (logs, 0755));
  test_util_write_file (fx->dir, "target", "precious\n");
  g_assert_no_errno (symlink (target, fx->path));
  r = write_text (fx, "sneaky\n", 0, 0, FALSE);
  g_assert_cmpuint (r.written, ==, 0);
  g_assert_cmpint (r.err, !=, 0);
  g_assert_true (fx->file.open_failed);
  test_util_assert_file (target, "precious\n");
}

/* A directory at the path cannot be a log: an error, nothing written. */
static void
test_refuses_directory (Fixture      *fx,
                        gconstpointer data)
{
  Result r;

  g_assert_no_errno (g_mkdir_with_parents (fx->path, 0755));
  r = write_text (fx, "text\n", 0, 0, FALSE);
  g_assert_cmpuint (r.written, ==, 0);
  g_assert_cmpint (r.err, !=, 0);
  g_assert_true (fx->file.open_failed);
}

/* Closing lets go of the file; the next write opens it again and appends. */
static void
test_close_and_continue (Fixture      *fx,
                         gconstpointer data)
{
  append (fx, "a\n");
  init_log_file_close (&fx->file);
  g_assert_cmpint (fx->file.fd, ==, -1);
  g_assert_cmpint (fx->file.dir_fd, ==, -1);
  append (fx, "b\n");
  test_util_assert_file (fx->path, "a\nb\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/log-file/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("creates-and-appends", test_creates_and_appends);
  ADD ("continues-existing", test_continues_existing);
  ADD ("rotation-chain", test_rotation_chain);
  ADD ("keep-zero-empties", test_keep_zero_empties);
  ADD ("cut-at-line-end", test_cut_at_line_end);
  ADD ("long-line-split", test_long_line_split);
  ADD ("hold-back", test_hold_back);
  ADD ("no-hold-without-limit", test_no_hold_without_limit);
  ADD ("reopens-deleted", test_reopens_deleted);
  ADD ("reopens-moved", test_reopens_moved);
  ADD ("size-follows-others", test_size_follows_others);
  ADD ("refuses-symlink", test_refuses_symlink);
  ADD ("refuses-directory", test_refuses_directory);
  ADD ("close-and-continue", test_close_and_continue);
#undef ADD
  return g_test_run ();
}
