/* test-file-source.c — `file' events from real files, armed by what jobs wait for
 *
 * The engine in-process with the real sources (init-sources.c, init-file-source.c): jobs
 * wait for `file FILE=… EVENT=…', the test makes, writes and removes real files, and checks
 * the events (FILE, EVENT, MATCH in order), the jobs they start with those variables, and
 * which paths are watched (none while no job names `file').
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init-file-source.h"
#include "init-reaper.h"
#include "sources-fixture.h"
#include "test-util.h"

typedef SourcesFixture F;

#define f_setup sources_fixture_setup
#define f_teardown sources_fixture_teardown
#define define sources_fixture_define
#define wait_event sources_fixture_wait_event

/* Write (open, write, close: no rename) @text to @path, appending if @append. */
static void
write_file (const char *path,
            const char *text,
            gboolean    append)
{
  FILE *fp = fopen (path, append ? "a" : "w");

  g_assert_nonnull (fp);
  fputs (text, fp);
  g_assert_cmpint (fclose (fp), ==, 0);
}

/* The watched paths, joined by spaces, with the scratch dir as "@". */
static char *
watched (F *f)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  init_sources_update (f->sources);
  list = init_sources_list_files (f->sources);
  for (guint i = 0; i < list->len; i++)
    {
      const char *path = g_ptr_array_index (list, i);

      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (g_str_has_prefix (path, f->fx.dir))
        g_string_append_printf (out, "@%s", path + strlen (f->fx.dir));
      else
        g_string_append (out, path);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Nothing is watched while no job names `file'; a job that does arms exactly its path; a
 * changed job re-arms; a removed one disarms. */
static void
test_armed_by_jobs (F            *f,
                    gconstpointer data)
{
  g_autofree char *w = NULL;

  define (f, "plain", "start on startup\nexec true\n");
  g_assert_cmpstr ((w = watched (f)), ==, "");
  g_clear_pointer (&w, g_free);
  define (f, "waiter", "start on file FILE=%s/a EVENT=create\nstop on file FILE=%s/b/\n"
          "exec true\n", f->fx.dir, f->fx.dir);
  g_assert_cmpstr ((w = watched (f)), ==, "@/a @/b/");
  g_clear_pointer (&w, g_free);
  define (f, "waiter", "start on file FILE=%s/c\nexec true\n", f->fx.dir);
  g_assert_cmpstr ((w = watched (f)), ==, "@/c");
  g_clear_pointer (&w, g_free);
  /* what cannot be watched for sure is not: relative, variables, globbed directories */
  define (f, "odd", "start on file FILE=rel or file FILE=$HOME/x or file FILE=/tmp/*/x\n"
          "exec true\n");
  g_assert_cmpstr ((w = watched (f)), ==, "@/c");
  g_clear_pointer (&w, g_free);
  init_engine_set_class (f->fx.engine, "waiter", NULL);
  g_assert_cmpstr ((w = watched (f)), ==, "");
}

/* create (once the new file is written and closed), modify, delete: the job waiting for
 * each starts with FILE and EVENT; a task records them. */
static void
test_create_modify_delete (F            *f,
                           gconstpointer data)
{
  g_autofree char *path = fixture_path (&f->fx, "app.ready");
  g_autofree char *out = fixture_path (&f->fx, "out");
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  define (f, "on-create", "start on file FILE=%s EVENT=create\ntask\n"
          "exec sh -c 'echo \"$UPSTART_EVENTS $FILE $EVENT\" >> %s'\n", path, out);
  write_file (path, "ready\n", FALSE);
  wait_event (f, "file FILE=%s EVENT=create", path);
  /* only what some job waits for is reported: modify and delete from now on */
  define (f, "on-change", "start on file FILE=%s EVENT=modify or file FILE=%s EVENT=delete\n"
          "task\nexec true\n", path, path);
  text = fixture_wait_file (&f->fx, out);
  expected = g_strdup_printf ("file %s create\n", path);
  g_assert_cmpstr (text, ==, expected);
  write_file (path, "more\n", TRUE);
  wait_event (f, "file FILE=%s EVENT=modify", path);
  g_assert_cmpint (unlink (path), ==, 0);
  wait_event (f, "file FILE=%s EVENT=delete", path);
  /* a create was never reported as a modify too, and only the create started the task */
  g_assert_cmpint (fixture_event_index (&f->fx, "file"), >=, 0);
  g_clear_pointer (&text, g_free);
  text = test_util_read_file (out);
  g_assert_cmpstr (text, ==, expected);
}

/* A path that exists when the job appears gives its create event at once (a directory as
 * FILE=DIR/, so the job's own condition matches it). */
static void
test_already_exists (F            *f,
                     gconstpointer data)
{
  g_autofree char *path = fixture_path (&f->fx, "there");
  g_autofree char *dir = fixture_path (&f->fx, "somedir");

  write_file (path, "x\n", FALSE);
  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  define (f, "early", "start on file FILE=%s EVENT=create or file FILE=%s/ EVENT=create\n"
          "task\nexec true\n", path, dir);
  wait_event (f, "file FILE=%s EVENT=create", path);
  wait_event (f, "file FILE=%s/ EVENT=create", dir);
}

static gboolean
created_twice (gpointer user_data)
{
  gpointer *args = user_data;
  F *f = args[0];
  guint n = 0;

  for (guint i = 0; i < f->fx.events->len; i++)
    n += g_str_equal (g_ptr_array_index (f->fx.events, i), args[1]);
  return n == 2;
}

/* A file in directories that do not exist yet: the nearest existing parent is watched, and
 * the watch moves down as they appear (Upstart missed such creations). */
static void
test_missing_parents (F            *f,
                      gconstpointer data)
{
  g_autofree char *top = fixture_path (&f->fx, "a");
  g_autofree char *mid = fixture_path (&f->fx, "a/b");
  g_autofree char *path = fixture_path (&f->fx, "a/b/c.pid");
  g_autofree char *line = NULL;

  define (f, "deep", "start on file FILE=%s EVENT=create\nstop on file FILE=%s EVENT=delete\n"
          "task\nexec true\n", path, path);
  g_assert_cmpint (mkdir (top, 0755), ==, 0);
  g_assert_cmpint (mkdir (mid, 0755), ==, 0);
  write_file (path, "42\n", FALSE);
  wait_event (f, "file FILE=%s EVENT=create", path);
  /* the directories go and come back: still followed */
  g_assert_cmpint (unlink (path), ==, 0);
  wait_event (f, "file FILE=%s EVENT=delete", path);
  g_assert_cmpint (rmdir (mid), ==, 0);
  g_assert_cmpint (rmdir (top), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (mid, 0755), ==, 0);
  write_file (path, "43\n", FALSE);
  line = g_strdup_printf ("file FILE=%s EVENT=create", path);
  g_assert_true (test_util_wait_until (created_twice, &(gpointer[]) { f, line }, 10000));
}

/* Globs report each matching entry as MATCH; a directory watch reports changes inside it as
 * modify with MATCH. */
static void
test_glob_and_directory (F            *f,
                         gconstpointer data)
{
  g_autofree char *crash = fixture_path (&f->fx, "app.crash");
  g_autofree char *other = fixture_path (&f->fx, "app.log");
  g_autofree char *dir = fixture_path (&f->fx, "spool");
  g_autofree char *entry = fixture_path (&f->fx, "spool/job1");
  g_autofree char *out = fixture_path (&f->fx, "out");
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  define (f, "crash", "start on file FILE=%s/*.crash EVENT=create\ntask\n"
          "exec sh -c 'echo \"$FILE $EVENT $MATCH\" >> %s'\n", f->fx.dir, out);
  define (f, "spool", "start on file FILE=%s/ EVENT=modify\ntask\nexec true\n", dir);
  write_file (other, "not a crash\n", FALSE);
  write_file (crash, "core\n", FALSE);
  wait_event (f, "file FILE=%s/*.crash EVENT=create MATCH=%s", f->fx.dir, crash);
  text = fixture_wait_file (&f->fx, out);
  expected = g_strdup_printf ("%s/*.crash create %s\n", f->fx.dir, crash);
  g_assert_cmpstr (text, ==, expected);
  write_file (entry, "print\n", FALSE);
  wait_event (f, "file FILE=%s/ EVENT=modify MATCH=%s", dir, entry);
}

int
main (int    argc,
      char **argv)
{
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));
  g_test_add ("/sources/file/armed-by-jobs", F, NULL, f_setup, test_armed_by_jobs, f_teardown);
  g_test_add ("/sources/file/create-modify-delete", F, NULL, f_setup,
              test_create_modify_delete, f_teardown);
  g_test_add ("/sources/file/already-exists", F, NULL, f_setup, test_already_exists,
              f_teardown);
  g_test_add ("/sources/file/missing-parents", F, NULL, f_setup, test_missing_parents,
              f_teardown);
  g_test_add ("/sources/file/glob-and-directory", F, NULL, f_setup, test_glob_and_directory,
              f_teardown);
  return g_test_run ();
}
