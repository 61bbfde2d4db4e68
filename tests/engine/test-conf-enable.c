/* test-conf-enable.c — enabling and disabling jobs by `manual' in their override
 * (daemon/engine/config/init-conf-enable.c), on real files and a real engine */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "engine-fixture.h"
#include "init-conf-enable.h"
#include "init-error.h"
#include "init-reaper.h"
#include "test-util.h"

/* ---- the text ---- */

/* A `manual` stanza is the word alone on its line, perhaps indented or followed by a
 * comment; anything else (a longer word, an argument, the word inside another stanza) is
 * not one. */
static void
test_has_manual (void)
{
  g_assert_true (init_conf_has_manual ("manual\n"));
  g_assert_true (init_conf_has_manual ("manual"));
  g_assert_true (init_conf_has_manual ("env A=1\n  manual  \nexec x\n"));
  g_assert_true (init_conf_has_manual ("\tmanual # by the admin\n"));
  g_assert_true (init_conf_has_manual ("manual\r\n"));
  g_assert_false (init_conf_has_manual (""));
  g_assert_false (init_conf_has_manual ("manually\n"));
  g_assert_false (init_conf_has_manual ("manual yes\n"));
  g_assert_false (init_conf_has_manual ("# manual\n"));
  g_assert_false (init_conf_has_manual ("description \"manual\"\n"));
}

/* Stripping removes exactly the `manual` lines and keeps every other byte. */
static void
test_strip_manual (void)
{
  g_autofree char *a = init_conf_strip_manual ("env A=1\nmanual\nexec x\n");
  g_autofree char *b = init_conf_strip_manual ("manual\n  manual # twice\n");
  g_autofree char *c = init_conf_strip_manual ("# keep me\nmanual");
  g_autofree char *d = init_conf_strip_manual ("start on a\n");

  g_assert_cmpstr (a, ==, "env A=1\nexec x\n");
  g_assert_cmpstr (b, ==, "");
  g_assert_cmpstr (c, ==, "# keep me\n");
  g_assert_cmpstr (d, ==, "start on a\n");
}

/* ---- the files, through a real engine ---- */

static char *
read_override (Fixture    *fx,
               const char *name)
{
  g_autofree char *file = g_strconcat (name, ".override", NULL);
  g_autofree char *path = g_build_filename (fx->confdir, file, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static void
write_override (Fixture    *fx,
                const char *name,
                const char *text)
{
  g_autofree char *file = g_strconcat (name, ".override", NULL);

  test_util_write_file (fx->confdir, file, text);
}

static InitJob *
load_job (Fixture    *fx,
          const char *name,
          const char *text)
{
  fixture_write_conf (fx, name, text);
  init_engine_reload (fx->engine);
  g_assert_nonnull (init_engine_lookup (fx->engine, name));
  return init_engine_lookup (fx->engine, name);
}

/* What Ansible's service module reads: a line matching ^manual\s*$ (multi-line,
 * case-insensitive) in the override means disabled. */
static gboolean
ansible_sees_disabled (Fixture    *fx,
                       const char *name)
{
  g_autofree char *text = read_override (fx, name);

  return text != NULL
         && g_regex_match_simple ("^manual\\s*$", text, G_REGEX_MULTILINE | G_REGEX_CASELESS, 0);
}

/* Disabling a job without an override creates NAME.override holding `manual` (mode 0644),
 * the job loses its `start on` at once and its event no longer starts it; it can still be
 * started by hand. */
static void
test_disable_creates_override (Fixture      *fx,
                               gconstpointer data)
{
  InitJob *job = load_job (fx, "j", "start on go\ntask\nexec true\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->confdir, "j.override", NULL);
  g_autofree char *text = NULL;
  struct stat st;

  g_assert_true (init_conf_is_enabled (job->klass));
  g_assert_true (init_job_set_enabled (job, FALSE, &error));
  g_assert_no_error (error);
  text = read_override (fx, "j");
  g_assert_cmpstr (text, ==, "manual\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0644);
  g_assert_true (ansible_sees_disabled (fx, "j"));

  job = init_engine_lookup (fx->engine, "j");
  g_assert_false (init_conf_is_enabled (job->klass));
  g_assert_null (job->klass->start_on);
  fixture_emit_wait (fx, "go", NULL);
  g_assert_cmpuint (fx->states->len, ==, 0);
}

/* Disabling keeps what the override said and appends the line (after a newline the file
 * lacked); a second Disable writes nothing. */
static void
test_disable_appends (Fixture      *fx,
                      gconstpointer data)
{
  InitJob *job;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;

  write_override (fx, "j", "env A=1");
  job = load_job (fx, "j", "start on go\nexec sleep 1000\n");
  g_assert_true (init_job_set_enabled (job, FALSE, &error));
  text = read_override (fx, "j");
  g_assert_cmpstr (text, ==, "env A=1\nmanual\n");
  job = init_engine_lookup (fx->engine, "j");
  g_assert_true (init_job_set_enabled (job, FALSE, &error));
  g_assert_no_error (error);
  again = read_override (fx, "j");
  g_assert_cmpstr (again, ==, text);
}

/* Enabling removes the `manual` lines and keeps the rest; an override left empty is
 * removed; the job starts on its event again. */
static void
test_enable_removes_manual (Fixture      *fx,
                            gconstpointer data)
{
  InitJob *job;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = g_build_filename (fx->confdir, "k.override", NULL);

  write_override (fx, "j", "env A=1\nmanual\n");
  write_override (fx, "k", "manual\n");
  job = load_job (fx, "j", "start on go\ntask\nexec true\n");
  g_assert_false (init_conf_is_enabled (job->klass));
  g_assert_true (init_job_set_enabled (job, TRUE, &error));
  g_assert_no_error (error);
  text = read_override (fx, "j");
  g_assert_cmpstr (text, ==, "env A=1\n");
  g_assert_false (ansible_sees_disabled (fx, "j"));
  g_assert_true (init_conf_is_enabled (init_engine_lookup (fx->engine, "j")->klass));
  fixture_emit_wait (fx, "go", NULL);
  g_assert_cmpint (fixture_event_index (fx, "stopped"), >=, 0);

  job = load_job (fx, "k", "start on go\ntask\nexec true\n");
  g_assert_true (init_job_set_enabled (job, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A .conf that says `manual` itself cannot be enabled through its override: refused with
 * a message naming the file, and nothing is written. */
static void
test_enable_refused_when_conf_is_manual (Fixture      *fx,
                                         gconstpointer data)
{
  InitJob *job = load_job (fx, "j", "start on go\nmanual\nexec true\n");
  g_autoptr(GError) error = NULL;

  g_assert_false (init_conf_is_enabled (job->klass));
  g_assert_false (init_job_set_enabled (job, TRUE, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "j.conf says manual"));
  g_assert_null (read_override (fx, "j"));
}

/* An override that cannot be replaced (here a directory stands where the file would be):
 * INIT_ERROR_NOT_WRITABLE naming the path, and the job stays as it was. */
static void
test_not_writable (Fixture      *fx,
                   gconstpointer data)
{
  InitJob *job = load_job (fx, "j", "start on go\nexec true\n");
  g_autofree char *path = g_build_filename (fx->confdir, "j.override", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  g_assert_false (init_job_set_enabled (job, FALSE, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_NOT_WRITABLE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (init_conf_is_enabled (init_engine_lookup (fx->engine, "j")->klass));
}

/* A running job disabled: the definition it runs with stays until it stops, but the newest
 * one (pending) is disabled at once, which is what its event matching uses. */
static void
test_disable_running_job (Fixture      *fx,
                          gconstpointer data)
{
  InitJob *job = load_job (fx, "svc", "start on go\nexec sleep 1000\n");
  g_autoptr(GError) error = NULL;

  fixture_emit_wait (fx, "go", NULL);
  fixture_wait_status (fx, "svc", "", "start/running");
  g_assert_true (init_job_set_enabled (job, FALSE, &error));
  g_assert_no_error (error);
  g_assert_nonnull (job->pending);
  g_assert_false (init_conf_is_enabled (job->pending));
  g_assert_true (init_conf_is_enabled (job->klass));
}

int
main (int   argc,
      char *argv[])
{
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));

  g_test_add_func ("/engine/conf-enable/has-manual", test_has_manual);
  g_test_add_func ("/engine/conf-enable/strip-manual", test_strip_manual);
  g_test_add ("/engine/conf-enable/disable-creates-override", Fixture, NULL, fixture_setup,
              test_disable_creates_override, fixture_teardown);
  g_test_add ("/engine/conf-enable/disable-appends", Fixture, NULL, fixture_setup,
              test_disable_appends, fixture_teardown);
  g_test_add ("/engine/conf-enable/enable-removes-manual", Fixture, NULL, fixture_setup,
              test_enable_removes_manual, fixture_teardown);
  g_test_add ("/engine/conf-enable/enable-refused-when-conf-is-manual", Fixture, NULL,
              fixture_setup, test_enable_refused_when_conf_is_manual, fixture_teardown);
  g_test_add ("/engine/conf-enable/not-writable", Fixture, NULL, fixture_setup,
              test_not_writable, fixture_teardown);
  g_test_add ("/engine/conf-enable/disable-running-job", Fixture, NULL, fixture_setup,
              test_disable_running_job, fixture_teardown);
  return g_test_run ();
}
