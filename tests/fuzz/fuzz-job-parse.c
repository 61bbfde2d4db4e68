/* fuzz-job-parse.c — libFuzzer target: any bytes through the job-file parser
 *
 * Each input is parsed as a .conf; a parsed class is rendered, copied, and the same bytes
 * are applied to the copy as an override (lists append, scalars replace), then everything
 * is freed.  The input is also parsed as a stand-alone event expression, and every parsed
 * expression's text form must parse back to itself.  Criticals abort,
 * so a g_return_if_fail() tripped by parser output counts as a crash.  Build and run:
 *
 *   CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
 *   ninja -C build-fuzz tests/fuzz/fuzz-job-parse
 *   build-fuzz/tests/fuzz/fuzz-job-parse -max_total_time=600 -timeout=5 -rss_limit_mb=2048 \
 *       NEW_CORPUS_DIR tests/fuzz/corpus/job-parse
 */
#define G_LOG_DOMAIN "fuzz-job-parse"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

#include "init-error.h"
#include "init-job-parse.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* GLib stops on fatal messages with a breakpoint trap, which libFuzzer does not catch:
 * turn it into an abort so a crash artifact is written. */
static void
on_trap (int signum)
{
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
  signal (SIGTRAP, on_trap);
  return 0;
}

/* The text form must parse back to itself: the operator module's quoting and this
 * parser's lexical rules have to agree for show-config output to be reusable. */
static void
render (const InitEventOperator *op)
{
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;
  InitEventOperator *reparsed;

  if (op == NULL)
    return;

  text = init_event_operator_to_string (op);
  g_assert (text != NULL);

  /* The fully bracketed form nests one level per operator; INIT_PARSE_MAX_DEPTH equals the
   * leaf limit, so whatever parsed also parses back. */
  reparsed = init_event_expression_parse (text, NULL, &error);
  if (reparsed == NULL)
    g_error ("to_string output does not parse: <%s>: %s", text, error->message);

  again = init_event_operator_to_string (reparsed);
  if (g_strcmp0 (text, again) != 0)
    g_error ("to_string round trip differs: <%s> vs <%s>", text, again);
  init_event_operator_free (reparsed);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = size > 0 ? (const char *) data : "";
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(InitJobClass) klass = NULL;
  g_autoptr(InitJobClass) copy = NULL;
  g_autofree char *expression = NULL;
  InitEventOperator *op;
  InitParsePos pos = { 0, 0 };

  klass = init_job_parse ("fuzz", "fuzz.conf", text, (gssize) size, warnings, &pos, &error);
  if (klass == NULL)
    {
      g_assert (error != NULL && error->domain == INIT_PARSE_ERROR);
      g_assert (pos.line >= 1 && pos.column >= 1);
      g_clear_error (&error);
    }
  else
    {
      g_assert (error == NULL);
      for (guint i = 0; i < warnings->len; i++)
        g_assert (g_str_has_prefix (g_ptr_array_index (warnings, i), "fuzz.conf:"));

      render (klass->start_on);
      render (klass->stop_on);

      copy = init_job_class_copy (klass);
      if (init_job_parse_override (copy, "fuzz.override", text, (gssize) size, NULL, &pos, &error))
        render (copy->start_on);
      else
        g_clear_error (&error);
    }

  /* The expression parser on its own (it takes NUL-terminated text). */
  expression = g_strndup (text, size);
  op = init_event_expression_parse (expression, &pos, &error);
  if (op != NULL)
    render (op);
  init_event_operator_free (op);

  return 0;
}
