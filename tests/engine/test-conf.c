/* test-conf.c — configuration sources: walking, overrides, priorities, live reload (§7) */
#define G_LOG_DOMAIN "init-test-conf"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init-conf.h"
#include "init-error.h"
#include "test-util.h"

/* Generous: only ever a bound on waiting for the monitors, never a measure of speed. */
#define TIMEOUT_MS 30000  /* generous: CI runs GUI tests beside this */
/* How long "nothing happens" is watched for (longer than the debounce). */
#define QUIET_MS   300

typedef struct
{
  InitConf   *conf;
  char       *dir1;
  char       *dir2;
  GHashTable *n_changes;    /* name -> number of job_changed calls */
  guint       n_changed;
  GPtrArray  *errors;       /* GError copies, in order */
  GPtrArray  *error_paths;
  GPtrArray  *warnings;
} Fixture;

static void
on_job_changed (const char   *name,
                InitJobClass *klass,
                gpointer      user_data)
{
  Fixture *f = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (f->n_changes, name));

  g_hash_table_replace (f->n_changes, g_strdup (name), GUINT_TO_POINTER (n + 1));
  f->n_changed++;
  if (klass != NULL)
    {
      g_assert_cmpstr (klass->name, ==, name);
      g_assert_nonnull (klass->path);
    }
  /* The owner can look the new state up from inside the callback. */
  g_assert_true (init_conf_lookup (f->conf, name) == klass);
}

static void
on_error (const char   *path,
          const GError *error,
          gpointer      user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->errors, g_error_copy (error));
  g_ptr_array_add (f->error_paths, g_strdup (path));
}

static void
on_warning (const char *path,
            const char *message,
            gpointer    user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->warnings, g_strdup (message));
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  InitConfCallbacks callbacks = { on_job_changed, on_error, on_warning };

  f->dir1 = test_util_mkdtemp ();
  f->dir2 = test_util_mkdtemp ();
  f->n_changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  f->error_paths = g_ptr_array_new_with_free_func (g_free);
  f->warnings = g_ptr_array_new_with_free_func (g_free);
  f->conf = init_conf_new (&callbacks, f);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  init_conf_free (f->conf);
  test_util_rm_rf (f->dir1);
  test_util_rm_rf (f->dir2);
  g_free (f->dir1);
  g_free (f->dir2);
  g_hash_table_unref (f->n_changes);
  g_ptr_array_unref (f->errors);
  g_ptr_array_unref (f->error_paths);
  g_ptr_array_unref (f->warnings);
}

/* ---- helpers ---------------------------------------------------------------------------- */

#define JOB(author)      "start on started\nauthor \"" author "\"\nexec /bin/true\n"
#define OVERRIDE(author) "author \"" author "\"\n"

static void
load (Fixture *f,
      gboolean watch)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (init_conf_load (f->conf, watch, &error));
  g_assert_no_error (error);
}

static guint
n_changes (Fixture    *f,
           const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (f->n_changes, name));
}

static const char *
author_of (Fixture    *f,
           const char *name)
{
  InitJobClass *klass = init_conf_lookup (f->conf, name);

  return klass != NULL ? klass->author : NULL;
}

/* Write without renaming: open, write, close (what `echo > file` does). */
static void
write_direct (const char *dir,
              const char *name,
              const char *content)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  FILE *fp;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  fp = fopen (path, "w");
  g_assert_nonnull (fp);
  g_assert_cmpint (fputs (content, fp), >=, 0);
  g_assert_cmpint (fclose (fp), ==, 0);
}

/* Write a hidden temporary file, then rename it into place (what editors do). */
static void
write_atomic (const char *dir,
              const char *name,
              const char *content)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_name = g_strdup_printf (".%s.swp-tmp", base);
  g_autofree char *tmp = g_build_filename (parent, tmp_name, NULL);

  write_direct (parent, tmp_name, content);
  g_assert_cmpint (g_rename (tmp, path), ==, 0);
}

static void
remove_file (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
}

static void
rename_file (const char *from_dir,
             const char *from,
             const char *to_dir,
             const char *to)
{
  g_autofree char *src = g_build_filename (from_dir, from, NULL);
  g_autofree char *dst = g_build_filename (to_dir, to, NULL);

  g_assert_cmpint (g_rename (src, dst), ==, 0);
}

typedef struct
{
  Fixture    *f;
  const char *name;
  const char *author;   /* NULL: the job must be absent */
} JobWait;

static gboolean
job_is (gpointer user_data)
{
  JobWait *w = user_data;
  InitJobClass *klass = init_conf_lookup (w->f->conf, w->name);

  if (w->author == NULL)
    return klass == NULL;
  return klass != NULL && g_strcmp0 (klass->author, w->author) == 0;
}

/* Wait until job @name has author @author (NULL: until it is gone). */
static void
wait_job (Fixture    *f,
          const char *name,
          const char *author)
{
  JobWait w = { f, name, author };

  g_assert_true (test_util_wait_until (job_is, &w, TIMEOUT_MS));
}

typedef struct
{
  Fixture *f;
  guint    n;
} CountWait;

static gboolean
has_errors (gpointer user_data)
{
  CountWait *w = user_data;

  return w->f->errors->len >= w->n;
}

static void
wait_errors (Fixture *f,
             guint    n)
{
  CountWait w = { f, n };

  g_assert_true (test_util_wait_until (has_errors, &w, TIMEOUT_MS));
}

/* Let the monitors deliver anything pending, then process it. */
static void
settle (Fixture *f)
{
  test_util_spin (QUIET_MS);
  init_conf_flush (f->conf);
}

/* The error's message starts with "PATH:LINE:COLUMN: ". */
static void
assert_error_at (const GError *error,
                 const char   *dir,
                 const char   *name,
                 guint         line,
                 guint         column)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *prefix = g_strdup_printf ("%s:%u:%u: ", path, line, column);

  g_assert_nonnull (error);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("expected \"%s…\", got \"%s\"", prefix, error->message);
}

static GError *
nth_error (Fixture *f,
           guint    i)
{
  g_assert_cmpuint (f->errors->len, >, i);
  return f->errors->pdata[i];
}

static GError *
last_error (Fixture *f)
{
  g_assert_cmpuint (f->errors->len, >, 0);
  return f->errors->pdata[f->errors->len - 1];
}

/* Resident set size of this process, in kB. */
static long
rss_kb (void)
{
  g_autofree char *statm = test_util_read_file ("/proc/self/statm");
  long size = 0, resident = 0;

  g_assert_nonnull (statm);
  g_assert_cmpint (sscanf (statm, "%ld %ld", &size, &resident), ==, 2);
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

/* ---- initial load ----------------------------------------------------------------------- */

/* Every .conf is a job named by its path relative to the directory, sub-directories kept. */
static void
test_load_jobs (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir1, "frodo", "bar.conf", NULL);
  InitJobClass *klass;

  test_util_write_file (f->dir1, "foo.conf", JOB ("foo"));
  test_util_write_file (f->dir1, "bar.conf", JOB ("bar"));
  test_util_write_file (f->dir1, "frodo/bar.conf", JOB ("frodo bar"));
  test_util_write_file (f->dir1, "a/b/c.conf", JOB ("deep"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, FALSE);

  g_assert_cmpuint (f->n_changed, ==, 4);
  g_assert_cmpstr (author_of (f, "foo"), ==, "foo");
  g_assert_cmpstr (author_of (f, "bar"), ==, "bar");
  g_assert_cmpstr (author_of (f, "frodo/bar"), ==, "frodo bar");
  g_assert_cmpstr (author_of (f, "a/b/c"), ==, "deep");
  klass = init_conf_lookup (f->conf, "frodo/bar");
  g_assert_cmpstr (klass->name, ==, "frodo/bar");
  g_assert_cmpstr (klass->path, ==, path);
  g_assert_null (klass->override_path);
  g_assert_null (init_conf_lookup (f->conf, "frodo"));
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 0);
  g_assert_cmpuint (f->errors->len, ==, 0);
}

/* Odd names (no extension, ".conf", backups, swap, RCS, dpkg), symlinks, FIFOs are skipped (I2). */
static void
test_load_ignored (Fixture      *f,
                   gconstpointer data)
{
  const char *ignored[] = {
    "munchkin", ".conf", ".override", ".hidden.conf", "foo.conf~", "#foo.conf#", ".#foo.conf",
    "foo.conf.swp", "foo.conf.bak", "foo.conf.dpkg-old", "foo.conf.dpkg-dist", "foo.conf.rpmnew",
    "foo.conf,v", "CVS/cvs.conf", "RCS/rcs.conf", ".git/git.conf", "old.bak/old.conf",
    ".hidden/inner.conf", "x.dpkg-tmp/y.conf",
  };
  g_autofree char *good = g_build_filename (f->dir1, "good.conf", NULL);
  g_autofree char *link = g_build_filename (f->dir1, "link.conf", NULL);
  g_autofree char *loop = g_build_filename (f->dir1, "sub", "loop", NULL);
  g_autofree char *fifo = g_build_filename (f->dir1, "fifo.conf", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (ignored); i++)
    test_util_write_file (f->dir1, ignored[i], JOB ("ignored"));
  test_util_write_file (f->dir1, "good.conf", JOB ("good"));
  test_util_write_file (f->dir1, "sub/inner.conf", JOB ("inner"));
  g_assert_cmpint (symlink (good, link), ==, 0);
  g_assert_cmpint (symlink ("..", loop), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  g_assert_cmpuint (f->n_changed, ==, 2);
  g_assert_cmpstr (author_of (f, "good"), ==, "good");
  g_assert_cmpstr (author_of (f, "sub/inner"), ==, "inner");
  g_assert_null (init_conf_lookup (f->conf, "link"));
  g_assert_null (init_conf_lookup (f->conf, "sub/loop/good"));
  g_assert_null (init_conf_lookup (f->conf, "fifo"));
  g_assert_cmpuint (f->errors->len, ==, 0);
}

/* A missing directory is not an error, and is picked up when it is created later. */
static void
test_load_missing_dir (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *not = g_build_filename (f->dir1, "not", NULL);
  g_autofree char *missing = g_build_filename (not, "yet", NULL);

  init_conf_add_dir (f->conf, missing);
  load (f, TRUE);
  g_assert_cmpuint (f->n_changed, ==, 0);
  g_assert_cmpuint (f->errors->len, ==, 0);

  /* Created one component at a time, as an administrator would. */
  g_assert_cmpint (g_mkdir (not, 0755), ==, 0);
  test_util_spin (QUIET_MS);
  test_util_write_file (missing, "late.conf", JOB ("late"));
  wait_job (f, "late", "late");
}

/* A source that cannot be read is reported; load fails only if no source could be read. */
static void
test_load_unreadable (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char *bad = g_build_filename (f->dir2, "file", "init", NULL);
  g_autofree char *file = g_build_filename (f->dir2, "file", NULL);
  g_autoptr(GError) error = NULL;

  test_util_write_file (f->dir2, "file", "not a directory\n");
  init_conf_add_dir (f->conf, bad);
  g_assert_false (init_conf_load (f->conf, FALSE, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_CONFIGURATION);
  g_assert_cmpuint (f->errors->len, ==, 1);
  g_assert_cmpstr (f->error_paths->pdata[0], ==, bad);
  g_assert_error (nth_error (f, 0), INIT_ERROR, INIT_ERROR_CONFIGURATION);

  /* With one readable source beside it, loading succeeds. */
  test_util_write_file (f->dir1, "foo.conf", JOB ("foo"));
  init_conf_add_dir (f->conf, f->dir1);
  g_clear_error (&error);
  g_assert_true (init_conf_load (f->conf, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (author_of (f, "foo"), ==, "foo");
}

/* 5,000 small job files load, and one change afterwards touches one job only. */
static void
test_load_many (Fixture      *f,
                gconstpointer data)
{
  const guint n = 5000;
  gint64 start, elapsed;
  long rss_before, rss_after;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("job-%04u.conf", i);

      write_direct (f->dir1, name, "start on started\nstop on stopping\nexec /bin/sleep 1\n");
    }
  init_conf_add_dir (f->conf, f->dir1);

  rss_before = rss_kb ();
  start = g_get_monotonic_time ();
  load (f, TRUE);
  elapsed = g_get_monotonic_time () - start;
  rss_after = rss_kb ();
  g_test_message ("loaded %u job files in %.1f ms, RSS +%ld kB", n, elapsed / 1000.0,
                  rss_after - rss_before);

  g_assert_cmpuint (f->n_changed, ==, n);
  g_assert_cmpuint (g_hash_table_size (f->n_changes), ==, n);
  g_assert_nonnull (init_conf_lookup (f->conf, "job-0000"));
  g_assert_nonnull (init_conf_lookup (f->conf, "job-4999"));

  write_direct (f->dir1, "job-1234.conf", JOB ("changed"));
  wait_job (f, "job-1234", "changed");
  settle (f);
  g_assert_cmpuint (f->n_changed, ==, n + 1);

  init_conf_reload (f->conf);
  g_assert_cmpuint (f->n_changed, ==, n + 1);
}

/* ---- watching --------------------------------------------------------------------------- */

/* A file created by a plain write appears once its writer closes it (I1). */
static void
test_watch_create_direct (Fixture      *f,
                          gconstpointer data)
{
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  write_direct (f->dir1, "foo.conf", JOB ("direct"));
  wait_job (f, "foo", "direct");
  settle (f);
  g_assert_cmpuint (n_changes (f, "foo"), ==, 1);
}

/* A file written to a temporary name and renamed into place appears (I1). */
static void
test_watch_create_atomic (Fixture      *f,
                          gconstpointer data)
{
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  write_atomic (f->dir1, "foo.conf", JOB ("atomic"));
  wait_job (f, "foo", "atomic");
  settle (f);
  g_assert_cmpuint (f->n_changed, ==, 1);
}

/* Files created without the extension, named just ".conf", or symlinks, are not jobs (I2). */
static void
test_watch_ignored (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *loop = g_build_filename (f->dir1, "loop", NULL);
  g_autofree char *link = g_build_filename (f->dir1, "link.conf", NULL);
  g_autofree char *target = g_build_filename (f->dir2, "target.conf", NULL);

  test_util_write_file (f->dir2, "target.conf", JOB ("target"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  write_direct (f->dir1, "munchkin", JOB ("munchkin"));
  write_direct (f->dir1, ".conf", JOB ("dot"));
  write_direct (f->dir1, "foo.conf~", JOB ("backup"));
  g_assert_cmpint (symlink (".", loop), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);
  write_direct (f->dir1, "sentinel.conf", JOB ("sentinel"));
  wait_job (f, "sentinel", "sentinel");
  settle (f);
  g_assert_cmpuint (f->n_changed, ==, 1);
  g_assert_cmpuint (f->errors->len, ==, 0);
}

/* A sub-directory created after loading is watched: its jobs are named "dir/job" (I3). */
static void
test_watch_new_subdir (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *frodo = g_build_filename (f->dir1, "frodo", NULL);

  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  g_assert_cmpint (g_mkdir (frodo, 0755), ==, 0);
  test_util_spin (QUIET_MS);
  write_direct (frodo, "bar.conf", JOB ("bar"));
  wait_job (f, "frodo/bar", "bar");

  /* Directories and file created in one go. */
  write_direct (f->dir1, "deep/er/baz.conf", JOB ("baz"));
  wait_job (f, "deep/er/baz", "baz");

  /* A file in the new sub-directory is followed like any other. */
  write_direct (frodo, "bar.conf", JOB ("bar 2"));
  wait_job (f, "frodo/bar", "bar 2");
}

/* Rewriting a job file replaces its class. */
static void
test_watch_modify (Fixture      *f,
                   gconstpointer data)
{
  InitJobClass *before;

  test_util_write_file (f->dir1, "foo.conf", JOB ("one"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);
  before = init_conf_lookup (f->conf, "foo");

  write_direct (f->dir1, "foo.conf", JOB ("two"));
  wait_job (f, "foo", "two");
  g_assert_true (init_conf_lookup (f->conf, "foo") != before);

  write_atomic (f->dir1, "foo.conf", JOB ("three"));
  wait_job (f, "foo", "three");
  settle (f);
  g_assert_cmpuint (n_changes (f, "foo"), ==, 3);
}

/* Deleting a job file removes the job. */
static void
test_watch_delete (Fixture      *f,
                   gconstpointer data)
{
  test_util_write_file (f->dir1, "foo.conf", JOB ("foo"));
  test_util_write_file (f->dir1, "bar.conf", JOB ("bar"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  remove_file (f->dir1, "foo.conf");
  wait_job (f, "foo", NULL);
  g_assert_cmpstr (author_of (f, "bar"), ==, "bar");
  g_assert_cmpuint (n_changes (f, "foo"), ==, 2);
}

/* Renaming inside the directory, or moving in and out of it, adds and removes jobs. */
static void
test_watch_rename_and_move (Fixture      *f,
                            gconstpointer data)
{
  test_util_write_file (f->dir1, "foo.conf", JOB ("foo"));
  test_util_write_file (f->dir2, "outside.conf", JOB ("outside"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  rename_file (f->dir1, "foo.conf", f->dir1, "bar.conf");
  wait_job (f, "foo", NULL);
  wait_job (f, "bar", "foo");

  rename_file (f->dir2, "outside.conf", f->dir1, "inside.conf");
  wait_job (f, "inside", "outside");

  rename_file (f->dir1, "bar.conf", f->dir2, "bar.conf");
  wait_job (f, "bar", NULL);

  /* Renamed to a name that is not a job file. */
  rename_file (f->dir1, "inside.conf", f->dir1, "inside.conf.disabled");
  wait_job (f, "inside", NULL);
}

/* Deleting a sub-directory removes its jobs; re-creating it brings them back. */
static void
test_watch_delete_subdir (Fixture      *f,
                          gconstpointer data)
{
  g_autofree char *frodo = g_build_filename (f->dir1, "frodo", NULL);

  test_util_write_file (f->dir1, "frodo/bar.conf", JOB ("bar"));
  test_util_write_file (f->dir1, "frodo/sam/baz.conf", JOB ("baz"));
  test_util_write_file (f->dir1, "top.conf", JOB ("top"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);
  g_assert_cmpuint (f->n_changed, ==, 3);

  test_util_rm_rf (frodo);
  wait_job (f, "frodo/bar", NULL);
  wait_job (f, "frodo/sam/baz", NULL);
  g_assert_cmpstr (author_of (f, "top"), ==, "top");

  write_direct (f->dir1, "frodo/sam/baz.conf", JOB ("baz again"));
  wait_job (f, "frodo/sam/baz", "baz again");
}

/* A directory deleted and re-created before its deletion is looked at often gets the same
 * inode number back (ext4 reuses a freed inode at once): the new directory must still be
 * walked, not mistaken for the old one whose monitor died with it. */
static void
test_watch_recreated_same_inode (Fixture      *f,
                                 gconstpointer data)
{
  g_autofree char *frodo = g_build_filename (f->dir1, "frodo", NULL);
  struct stat before, after;

  test_util_write_file (f->dir1, "frodo/keep.conf", JOB ("keep"));
  test_util_write_file (f->dir1, "frodo/bar.conf", JOB ("bar"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  /* Only its contents go first: "frodo" itself stays watched. */
  remove_file (frodo, "bar.conf");
  wait_job (f, "frodo/bar", NULL);

  /* Then, with no main-loop turn in between, the directory goes and comes back; retry
   * until the file system hands out the same inode (most tries on ext4, never on tmpfs,
   * where the case still checks the plain re-creation). */
  g_assert_cmpint (g_stat (frodo, &before), ==, 0);
  for (guint i = 0; i < 20; i++)
    {
      test_util_rm_rf (frodo);
      g_assert_cmpint (g_mkdir (frodo, 0755), ==, 0);
      g_assert_cmpint (g_stat (frodo, &after), ==, 0);
      if (after.st_ino == before.st_ino)
        break;
    }
  g_test_message ("same inode after re-creation: %s", after.st_ino == before.st_ino ? "yes" : "no");
  write_direct (f->dir1, "frodo/bar.conf", JOB ("bar again"));
  wait_job (f, "frodo/keep", NULL);
  wait_job (f, "frodo/bar", "bar again");
}

/* Deleting the source directory itself removes its jobs; re-creating it is noticed. */
static void
test_watch_source_deleted (Fixture      *f,
                           gconstpointer data)
{
  test_util_write_file (f->dir1, "foo.conf", JOB ("foo"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  test_util_rm_rf (f->dir1);
  wait_job (f, "foo", NULL);

  write_direct (f->dir1, "foo.conf", JOB ("foo again"));
  wait_job (f, "foo", "foo again");
}

/* ---- overrides -------------------------------------------------------------------------- */

/* An override replaces stanzas; deleting it reverts to the plain .conf (I6). */
static void
test_override_apply (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *opath = g_build_filename (f->dir1, "foo.override", NULL);
  InitJobClass *klass;

  test_util_write_file (f->dir1, "foo.conf", JOB ("wibble"));
  test_util_write_file (f->dir1, "foo.override", OVERRIDE ("moo"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  klass = init_conf_lookup (f->conf, "foo");
  g_assert_cmpstr (klass->author, ==, "moo");
  g_assert_cmpstr (klass->override_path, ==, opath);
  g_assert_nonnull (klass->start_on);   /* the rest of the .conf is kept */

  remove_file (f->dir1, "foo.override");
  wait_job (f, "foo", "wibble");
  g_assert_null (init_conf_lookup (f->conf, "foo")->override_path);

  write_atomic (f->dir1, "foo.override", OVERRIDE ("moo 2"));
  wait_job (f, "foo", "moo 2");

  write_direct (f->dir1, "foo.override", OVERRIDE ("moo 3"));
  wait_job (f, "foo", "moo 3");
  g_assert_cmpuint (f->errors->len, ==, 0);
}

/* An override without a .conf defines nothing; it applies once the .conf appears (I6). */
static void
test_override_lone (Fixture      *f,
                    gconstpointer data)
{
  test_util_write_file (f->dir1, "bar.override", OVERRIDE ("moo"));
  test_util_write_file (f->dir1, "bad.override", "nice 99\n");
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);
  g_assert_cmpuint (f->n_changed, ==, 0);
  g_assert_null (init_conf_lookup (f->conf, "bar"));
  /* Never parsed, so never reported. */
  g_assert_cmpuint (f->errors->len, ==, 0);
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 0);

  write_direct (f->dir1, "bar.conf", JOB ("wibble"));
  wait_job (f, "bar", "moo");
}

/* Of overrides in two directories the first applies; removing it lets the next apply (I7). */
static void
test_override_priority (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *opath2 = g_build_filename (f->dir2, "foo.override", NULL);

  test_util_write_file (f->dir1, "foo.override", OVERRIDE ("d1"));
  test_util_write_file (f->dir2, "foo.override", OVERRIDE ("d2"));
  test_util_write_file (f->dir2, "foo.conf", JOB ("base"));
  init_conf_add_dir (f->conf, f->dir1);
  init_conf_add_dir (f->conf, f->dir2);
  load (f, TRUE);
  g_assert_cmpstr (author_of (f, "foo"), ==, "d1");

  remove_file (f->dir1, "foo.override");
  wait_job (f, "foo", "d2");
  g_assert_cmpstr (init_conf_lookup (f->conf, "foo")->override_path, ==, opath2);

  remove_file (f->dir2, "foo.override");
  wait_job (f, "foo", "base");

  /* A new override in the higher directory takes effect too. */
  write_direct (f->dir1, "foo.override", OVERRIDE ("d1 again"));
  wait_job (f, "foo", "d1 again");
}

/* Overrides are searched only up to the directory holding the .conf, not below it. */
static void
test_override_not_below (Fixture      *f,
                         gconstpointer data)
{
  test_util_write_file (f->dir1, "foo.conf", JOB ("base"));
  test_util_write_file (f->dir2, "foo.override", OVERRIDE ("lower"));
  init_conf_add_dir (f->conf, f->dir1);
  init_conf_add_dir (f->conf, f->dir2);
  load (f, FALSE);

  g_assert_cmpstr (author_of (f, "foo"), ==, "base");
  g_assert_null (init_conf_lookup (f->conf, "foo")->override_path);
}

/* ---- priorities ------------------------------------------------------------------------- */

/* Two directories define a job: the first wins; deleting it hands the job to the second. */
static void
test_priority_first_wins (Fixture      *f,
                          gconstpointer data)
{
  g_autofree char *path2 = g_build_filename (f->dir2, "foo.conf", NULL);

  test_util_write_file (f->dir1, "foo.conf", JOB ("first"));
  test_util_write_file (f->dir2, "foo.conf", JOB ("second"));
  init_conf_add_dir (f->conf, f->dir1);
  init_conf_add_dir (f->conf, f->dir2);
  load (f, TRUE);
  g_assert_cmpstr (author_of (f, "foo"), ==, "first");
  g_assert_cmpuint (n_changes (f, "foo"), ==, 1);

  /* Editing the shadowed definition changes nothing visible. */
  write_direct (f->dir2, "foo.conf", JOB ("second edited"));
  settle (f);
  g_assert_cmpstr (author_of (f, "foo"), ==, "first");
  g_assert_cmpuint (n_changes (f, "foo"), ==, 1);

  remove_file (f->dir1, "foo.conf");
  wait_job (f, "foo", "second edited");
  g_assert_cmpstr (init_conf_lookup (f->conf, "foo")->path, ==, path2);
  g_assert_cmpuint (n_changes (f, "foo"), ==, 2);

  write_direct (f->dir1, "foo.conf", JOB ("first again"));
  wait_job (f, "foo", "first again");

  remove_file (f->dir1, "foo.conf");
  wait_job (f, "foo", "second edited");
  remove_file (f->dir2, "foo.conf");
  wait_job (f, "foo", NULL);
}

/* ---- errors ----------------------------------------------------------------------------- */

/* A bad edit keeps the last good definition and reports path:line:col; a fix applies. */
static void
test_error_keeps_last_good (Fixture      *f,
                            gconstpointer data)
{
  InitJobClass *good;

  test_util_write_file (f->dir1, "foo.conf", JOB ("good"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);
  good = init_conf_lookup (f->conf, "foo");

  write_direct (f->dir1, "foo.conf", "author \"bad\"\nnice 99\n");
  wait_errors (f, 1);
  assert_error_at (last_error (f), f->dir1, "foo.conf", 2, 6);
  g_assert_error (last_error (f), INIT_PARSE_ERROR, INIT_PARSE_ERROR_ILLEGAL_NICE);
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 1);
  settle (f);
  g_assert_true (init_conf_lookup (f->conf, "foo") == good);
  g_assert_cmpuint (n_changes (f, "foo"), ==, 1);

  write_direct (f->dir1, "foo.conf", JOB ("fixed"));
  wait_job (f, "foo", "fixed");
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 0);
  g_assert_cmpuint (n_changes (f, "foo"), ==, 2);
}

/* A bad override is rejected whole: no stanza of it applies and the previous class stays. */
static void
test_error_bad_override (Fixture      *f,
                         gconstpointer data)
{
  InitJobClass *before;

  test_util_write_file (f->dir1, "foo.conf", JOB ("wibble"));
  test_util_write_file (f->dir1, "foo.override", OVERRIDE ("moo"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);
  before = init_conf_lookup (f->conf, "foo");
  g_assert_cmpstr (before->author, ==, "moo");

  write_direct (f->dir1, "foo.override", "author \"new\"\ndescription \"d\"\nnice 99\n");
  wait_errors (f, 1);
  assert_error_at (last_error (f), f->dir1, "foo.override", 3, 6);
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 1);
  settle (f);
  g_assert_true (init_conf_lookup (f->conf, "foo") == before);
  g_assert_cmpstr (author_of (f, "foo"), ==, "moo");
  g_assert_null (init_conf_lookup (f->conf, "foo")->description);

  /* The .conf changes meanwhile: still no half-applied override. */
  write_direct (f->dir1, "foo.conf", JOB ("wobble"));
  wait_errors (f, 2);
  settle (f);
  g_assert_true (init_conf_lookup (f->conf, "foo") == before);

  write_direct (f->dir1, "foo.override", "author \"new\"\ndescription \"d\"\n");
  wait_job (f, "foo", "new");
  g_assert_cmpstr (init_conf_lookup (f->conf, "foo")->description, ==, "d");
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 0);
}

/* A file bad from the start defines no job; fixing it defines the job. */
static void
test_error_bad_at_load (Fixture      *f,
                        gconstpointer data)
{
  test_util_write_file (f->dir1, "bad.conf", "exec\n");
  test_util_write_file (f->dir1, "good.conf", JOB ("good"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  g_assert_cmpuint (f->n_changed, ==, 1);
  g_assert_null (init_conf_lookup (f->conf, "bad"));
  g_assert_cmpuint (f->errors->len, ==, 1);
  assert_error_at (nth_error (f, 0), f->dir1, "bad.conf", 1, 5);
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 1);

  write_atomic (f->dir1, "bad.conf", JOB ("fixed"));
  wait_job (f, "bad", "fixed");
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 0);
}

/* A .conf whose override is bad from the start defines no job until the override goes. */
static void
test_error_bad_override_at_load (Fixture      *f,
                                 gconstpointer data)
{
  test_util_write_file (f->dir1, "foo.conf", JOB ("wibble"));
  test_util_write_file (f->dir1, "foo.override", "manual\nnice 99\n");
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  /* No good definition exists, and falling back to the plain .conf could start a job the
   * override was written to disable (`manual`). */
  g_assert_null (init_conf_lookup (f->conf, "foo"));
  g_assert_cmpuint (f->errors->len, ==, 1);
  assert_error_at (nth_error (f, 0), f->dir1, "foo.override", 2, 6);
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 1);

  remove_file (f->dir1, "foo.override");
  wait_job (f, "foo", "wibble");
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 0);
}

/* A file over the size limit is rejected without being parsed. */
static void
test_error_too_large (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char *big = g_strnfill (INIT_PARSE_MAX_FILE_SIZE + 1, '#');

  test_util_write_file (f->dir1, "big.conf", big);
  init_conf_add_dir (f->conf, f->dir1);
  load (f, FALSE);

  g_assert_null (init_conf_lookup (f->conf, "big"));
  g_assert_cmpuint (f->errors->len, ==, 1);
  g_assert_error (nth_error (f, 0), INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_LARGE);
  assert_error_at (nth_error (f, 0), f->dir1, "big.conf", 1, 1);
}

/* Deleting a bad file clears its error; deleting its last good definition removes the job. */
static void
test_error_deleted (Fixture      *f,
                    gconstpointer data)
{
  test_util_write_file (f->dir1, "foo.conf", JOB ("good"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);

  write_direct (f->dir1, "foo.conf", "respawn limit 10\n");
  wait_errors (f, 1);
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 1);
  g_assert_cmpstr (author_of (f, "foo"), ==, "good");

  remove_file (f->dir1, "foo.conf");
  wait_job (f, "foo", NULL);
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 0);
}

/* Parser warnings (unsupported stanzas) reach the warning callback. */
static void
test_warnings (Fixture      *f,
               gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir1, "foo.conf", NULL);

  test_util_write_file (f->dir1, "foo.conf",
                        "author \"w\"\napparmor switch /bin/x\nexec /bin/true\n");
  init_conf_add_dir (f->conf, f->dir1);
  load (f, FALSE);

  g_assert_cmpstr (author_of (f, "foo"), ==, "w");
  g_assert_cmpuint (f->warnings->len, ==, 1);
  g_assert_true (g_str_has_prefix (f->warnings->pdata[0], path));
}

/* ---- reload ----------------------------------------------------------------------------- */

/* Reload re-reads only changed files, reports vanished jobs and repeats still-bad files' errors. */
static void
test_reload_only_changed (Fixture      *f,
                          gconstpointer data)
{
  test_util_write_file (f->dir1, "a.conf", JOB ("a"));
  test_util_write_file (f->dir1, "b.conf", JOB ("b"));
  test_util_write_file (f->dir1, "c.conf", JOB ("c"));
  test_util_write_file (f->dir1, "sub/d.conf", JOB ("d"));
  test_util_write_file (f->dir1, "bad.conf", "nice 99\n");
  init_conf_add_dir (f->conf, f->dir1);
  load (f, FALSE);
  g_assert_cmpuint (f->n_changed, ==, 4);
  g_assert_cmpuint (f->errors->len, ==, 1);

  init_conf_reload (f->conf);
  g_assert_cmpuint (f->n_changed, ==, 4);
  g_assert_cmpuint (f->errors->len, ==, 2);
  assert_error_at (nth_error (f, 1), f->dir1, "bad.conf", 1, 6);
  g_assert_cmpuint (init_conf_get_n_errors (f->conf), ==, 1);

  test_util_write_file (f->dir1, "a.conf", JOB ("a changed"));
  remove_file (f->dir1, "b.conf");
  test_util_write_file (f->dir1, "e.conf", JOB ("e"));
  init_conf_reload (f->conf);
  g_assert_cmpuint (f->n_changed, ==, 7);
  g_assert_cmpstr (author_of (f, "a"), ==, "a changed");
  g_assert_null (init_conf_lookup (f->conf, "b"));
  g_assert_cmpstr (author_of (f, "e"), ==, "e");
  g_assert_cmpuint (n_changes (f, "c"), ==, 1);
  g_assert_cmpuint (n_changes (f, "sub/d"), ==, 1);
  g_assert_cmpuint (f->errors->len, ==, 3);
}

/* A reload notices override changes, including a new override in a higher directory. */
static void
test_reload_overrides (Fixture      *f,
                       gconstpointer data)
{
  test_util_write_file (f->dir2, "foo.conf", JOB ("base"));
  test_util_write_file (f->dir2, "foo.override", OVERRIDE ("d2"));
  init_conf_add_dir (f->conf, f->dir1);
  init_conf_add_dir (f->conf, f->dir2);
  load (f, FALSE);
  g_assert_cmpstr (author_of (f, "foo"), ==, "d2");

  test_util_write_file (f->dir2, "foo.override", OVERRIDE ("d2 edited"));
  init_conf_reload (f->conf);
  g_assert_cmpstr (author_of (f, "foo"), ==, "d2 edited");

  test_util_write_file (f->dir1, "foo.override", OVERRIDE ("d1"));
  init_conf_reload (f->conf);
  g_assert_cmpstr (author_of (f, "foo"), ==, "d1");
  g_assert_cmpuint (n_changes (f, "foo"), ==, 3);

  init_conf_reload (f->conf);
  g_assert_cmpuint (n_changes (f, "foo"), ==, 3);

  remove_file (f->dir1, "foo.override");
  remove_file (f->dir2, "foo.override");
  init_conf_reload (f->conf);
  g_assert_cmpstr (author_of (f, "foo"), ==, "base");
}

/* ---- trust (init-conf-trust.h) ---- */

static void
assert_refused (const GError *error,
                const char   *why)
{
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM);
  g_assert_nonnull (strstr (error->message, "Refusing the configuration"));
  if (strstr (error->message, why) == NULL)
    g_test_fail_printf ("no \"%s\" in: %s", why, error->message);
}

/* Replace @name atomically by a file of mode @mode (a chmod alone changes nothing the
 * reload looks at). */
static void
write_with_mode (const char *dir,
                 const char *name,
                 const char *content,
                 mode_t      mode)
{
  g_autofree char *tmp = g_build_filename (dir, ".trust-tmp", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  write_direct (dir, ".trust-tmp", content);
  g_assert_cmpint (g_chmod (tmp, mode), ==, 0);
  g_assert_cmpint (g_rename (tmp, path), ==, 0);
}

/* System mode: a job file others may write is refused with the reason, and the last good
 * definition stays; a new one defines nothing. */
static void
test_trust_group_writable (Fixture      *f,
                           gconstpointer data)
{
  init_conf_set_trust (f->conf, INIT_CONF_TRUST_SYSTEM);
  test_util_write_file (f->dir1, "foo.conf", JOB ("good"));
  init_conf_add_dir (f->conf, f->dir1);
  load (f, TRUE);
  g_assert_cmpstr (author_of (f, "foo"), ==, "good");

  write_with_mode (f->dir1, "foo.conf", JOB ("evil"), 0664);
  wait_errors (f, 1);
  assert_refused (last_error (f), "writable by group or others");
  settle (f);
  g_assert_cmpstr (author_of (f, "foo"), ==, "good");

  write_with_mode (f->dir1, "bar.conf", JOB ("evil"), 0646);
  wait_errors (f, 2);
  assert_refused (last_error (f), "writable by group or others");
  settle (f);
  g_assert_null (init_conf_lookup (f->conf, "bar"));

  /* An override too. */
  write_with_mode (f->dir1, "foo.override", OVERRIDE ("evil"), 0666);
  wait_errors (f, 3);
  settle (f);
  g_assert_cmpstr (author_of (f, "foo"), ==, "good");
}

/* System mode: a directory others may write to (they could swap the file) is refused. */
static void
test_trust_dir_writable (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *sub = g_build_filename (f->dir1, "net", NULL);

  init_conf_set_trust (f->conf, INIT_CONF_TRUST_SYSTEM);
  write_direct (f->dir1, "net/apache.conf", JOB ("www"));
  g_assert_cmpint (g_chmod (sub, 0777), ==, 0);
  init_conf_add_dir (f->conf, f->dir1);
  load (f, FALSE);
  g_assert_null (init_conf_lookup (f->conf, "net/apache"));
  g_assert_cmpuint (f->errors->len, ==, 1);
  assert_refused (nth_error (f, 0), "the directory");
}

/* Both modes: a file that belongs to another user is refused; a session daemon does not
 * mind group-writable files of its own user. */
static void
test_trust_foreign_owner (Fixture      *f,
                          gconstpointer data)
{
  g_autofree char *theirs = g_build_filename (f->dir1, "theirs.conf", NULL);

  if (geteuid () != 0)
    {
      g_test_fail_printf ("needs root to give a file to another user");
      return;
    }
  init_conf_set_trust (f->conf, INIT_CONF_TRUST_SESSION);
  test_util_write_file (f->dir1, "theirs.conf", JOB ("someone"));
  g_assert_cmpint (chown (theirs, 65534, 65534), ==, 0);
  write_with_mode (f->dir1, "loose.conf", JOB ("mine"), 0664);
  init_conf_add_dir (f->conf, f->dir1);
  load (f, FALSE);
  g_assert_null (init_conf_lookup (f->conf, "theirs"));
  g_assert_cmpstr (author_of (f, "loose"), ==, "mine");
  g_assert_cmpuint (f->errors->len, ==, 1);
  assert_refused (nth_error (f, 0), "owned by uid 65534");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/conf/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("load/jobs", test_load_jobs);
  ADD ("trust/group-writable", test_trust_group_writable);
  ADD ("trust/dir-writable", test_trust_dir_writable);
  ADD ("trust/foreign-owner", test_trust_foreign_owner);
  ADD ("load/ignored-names", test_load_ignored);
  ADD ("load/missing-dir", test_load_missing_dir);
  ADD ("load/unreadable", test_load_unreadable);
  ADD ("load/many", test_load_many);
  ADD ("watch/create-direct", test_watch_create_direct);
  ADD ("watch/create-atomic", test_watch_create_atomic);
  ADD ("watch/ignored-names", test_watch_ignored);
  ADD ("watch/new-subdir", test_watch_new_subdir);
  ADD ("watch/modify", test_watch_modify);
  ADD ("watch/delete", test_watch_delete);
  ADD ("watch/rename-and-move", test_watch_rename_and_move);
  ADD ("watch/delete-subdir", test_watch_delete_subdir);
  ADD ("watch/recreated-same-inode", test_watch_recreated_same_inode);
  ADD ("watch/source-deleted", test_watch_source_deleted);
  ADD ("override/apply", test_override_apply);
  ADD ("override/lone", test_override_lone);
  ADD ("override/priority", test_override_priority);
  ADD ("override/not-below-conf", test_override_not_below);
  ADD ("priority/first-wins", test_priority_first_wins);
  ADD ("error/keeps-last-good", test_error_keeps_last_good);
  ADD ("error/bad-override", test_error_bad_override);
  ADD ("error/bad-at-load", test_error_bad_at_load);
  ADD ("error/bad-override-at-load", test_error_bad_override_at_load);
  ADD ("error/too-large", test_error_too_large);
  ADD ("error/deleted", test_error_deleted);
  ADD ("warnings", test_warnings);
  ADD ("reload/only-changed", test_reload_only_changed);
  ADD ("reload/overrides", test_reload_overrides);

#undef ADD

  return g_test_run ();
}
