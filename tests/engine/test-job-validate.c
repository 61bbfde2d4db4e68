/* test-job-validate.c — job files checked without installing them
 * (daemon/engine/init-job-validate.c): each seeded mistake found at its line and column,
 * with its suggestion; correct files give nothing */
#include <string.h>

#include "engine-fixture.h"
#include "init-job-validate.h"
#include "test-util.h"

/* The diagnostics of @text as one "LINE:COLUMN severity message | suggestion" line each. */
static char *
validate (Fixture    *fx,
          const char *text)
{
  g_autoptr(GPtrArray) diagnostics = init_job_validate (fx->engine, "job", text, -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < diagnostics->len; i++)
    {
      InitDiagnostic *d = g_ptr_array_index (diagnostics, i);

      g_string_append_printf (out, "%u:%u %s %s | %s\n", d->line, d->column,
                              init_diagnostic_severity_to_string (d->severity), d->message,
                              d->suggestion);
    }
  return g_string_free (out, FALSE);
}

/* Levenshtein distance, with its early exit beyond the maximum. */
static void
test_edit_distance (void)
{
  g_assert_cmpuint (init_edit_distance ("weather", "weather", 2), ==, 0);
  g_assert_cmpuint (init_edit_distance ("weathr", "weather", 2), ==, 1);
  g_assert_cmpuint (init_edit_distance ("respwan", "respawn", 2), ==, 2);
  g_assert_cmpuint (init_edit_distance ("", "abc", 5), ==, 3);
  g_assert_cmpuint (init_edit_distance ("kitten", "sitting", 5), ==, 3);
  /* beyond @max: any value above it */
  g_assert_cmpuint (init_edit_distance ("kitten", "sitting", 1), >, 1);
  g_assert_cmpuint (init_edit_distance ("a", "abcdef", 2), >, 2);
}

/* A file that parses, whose events all have a producer: nothing to say. */
static void
test_clean_file (Fixture      *fx,
                 gconstpointer data)
{
  g_autofree char *out = NULL;

  fixture_define (fx, "producer", "emits weather\n");
  out = validate (fx, "start on weather or (startup and file FILE=/x)\n"
                  "stop on stopped producer or usb-device-added or :sys:started\n"
                  "exec sleep 1\n");
  g_assert_cmpstr (out, ==, "");
}

/* A parse error: one error at the parser's line and column, its text without the position;
 * an unknown stanza gets the nearest stanza as suggestion. */
static void
test_parse_error (Fixture      *fx,
                  gconstpointer data)
{
  g_autofree char *unknown = validate (fx, "task\n  respwan\nexec true\n");
  g_autofree char *limit = validate (fx, "exec true\nlimit nofile 16384\n");

  g_assert_cmpstr (unknown, ==, "2:3 error Unknown stanza | did you mean “respawn”?\n");
  g_assert_true (g_str_has_prefix (limit, "2:19 error Expected token: limit RESOURCE SOFT"));
}

/* A parser warning keeps its position. */
static void
test_parser_warning (Fixture      *fx,
                     gconstpointer data)
{
  g_autofree char *out = validate (fx, "exec true\n\ndebug\n");

  g_assert_cmpstr (out, ==, "3:1 warning 'debug' is not supported and has no effect | \n");
}

/* An event nothing produces: a warning where it is written, with the nearest known event
 * (another job's `emits`) as suggestion; several in file order. */
static void
test_unknown_event (Fixture      *fx,
                    gconstpointer data)
{
  g_autofree char *out = NULL;

  fixture_define (fx, "producer", "emits weather\n");
  out = validate (fx, "description \"x\"\nstart on weathr or zzzzzzzz\nexec true\n");
  g_assert_cmpstr (out, ==,
                   "2:10 warning Nothing emits the event “weathr”: no job names it in `emits' "
                   "and no event source produces it | did you mean the event “weather”?\n"
                   "2:20 warning Nothing emits the event “zzzzzzzz”: no job names it in `emits' "
                   "and no event source produces it | \n");
}

/* `emits` patterns of other jobs and the job's own `emits` count as producers. */
static void
test_emits_patterns (Fixture      *fx,
                     gconstpointer data)
{
  g_autofree char *out = NULL;

  fixture_define (fx, "producer", "emits app-*\n");
  out = validate (fx, "emits mine\nstart on app-ready or mine\nexec true\n");
  g_assert_cmpstr (out, ==, "");
}

/* A job event naming a job that does not exist (JOB= or the first positional argument),
 * with the nearest job name; the job itself and patterns are not reported. */
static void
test_unknown_job (Fixture      *fx,
                  gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *fine = NULL;

  fixture_define (fx, "network", "exec true\n");
  out = validate (fx, "start on started netwrk\nstop on stopping JOB=nope\nexec true\n");
  g_assert_cmpstr (out, ==,
                   "1:18 warning There is no job “netwrk” | did you mean the job “network”?\n"
                   "2:22 warning There is no job “nope” | \n");
  fine = validate (fx, "start on started network or stopped job or starting net*\nexec true\n");
  g_assert_cmpstr (fine, ==, "");
}

/* `expect fork` on a script that does not exec its program is reported at the stanza; a
 * script that ends with exec, or an exec main process, is not. */
static void
test_expect_on_script (Fixture      *fx,
                       gconstpointer data)
{
  g_autofree char *bad = validate (fx, "expect daemon\nscript\n  /usr/sbin/d\nend script\n");
  g_autofree char *ends_in_exec = validate (fx, "expect fork\nscript\n  . /etc/default/d\n"
                                            "  exec /usr/sbin/d\nend script\n");
  g_autofree char *plain = validate (fx, "expect fork\nexec /usr/sbin/d\n");

  g_assert_cmpstr (bad, ==,
                   "1:1 warning `expect daemon' on a script follows the forks of the script's "
                   "shell, not of the program it starts | run the program with `exec', or end "
                   "the script by exec'ing it\n");
  g_assert_cmpstr (ends_in_exec, ==, "");
  g_assert_cmpstr (plain, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();

  g_test_add_func ("/engine/job-validate/edit-distance", test_edit_distance);
#define ADD(path, func) \
  g_test_add ("/engine/job-validate/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("clean-file", test_clean_file);
  ADD ("parse-error", test_parse_error);
  ADD ("parser-warning", test_parser_warning);
  ADD ("unknown-event", test_unknown_event);
  ADD ("emits-patterns", test_emits_patterns);
  ADD ("unknown-job", test_unknown_job);
  ADD ("expect-on-script", test_expect_on_script);
#undef ADD
  return g_test_run ();
}
