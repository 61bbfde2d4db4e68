/* test-env.c — environment tables, validation and ${…} expansion (reference §3.9, §3.9.1) */
#define G_LOG_DOMAIN "init-test-env"

#include <string.h>

#include "init-env.h"
#include "init-error.h"

/* Build a table from a space-separated list of entries (no entry contains a space). */
static GPtrArray *
env_of (const char *spaced)
{
  g_auto (GStrv) parts = g_strsplit (spaced, " ", -1);
  GPtrArray *env = init_env_new ();

  for (char **p = parts; *p; p++)
    if (**p != '\0')
      g_ptr_array_add (env, g_strdup (*p));

  return env;
}

/* The table as one string, entries joined with '|', for compact assertions. */
static char *
env_join (GPtrArray *env)
{
  g_auto (GStrv) strv = init_env_to_strv (env);

  return g_strjoinv ("|", strv);
}

#define assert_env(env, expected)                     \
  G_STMT_START {                                       \
    g_autofree char *joined__ = env_join (env);        \
    g_assert_cmpstr (joined__, ==, (expected));        \
  } G_STMT_END

/* The standard expansion table of Upstart's test_environ.c. */
static GPtrArray *
expansion_env (void)
{
  return env_of ("FOO=frodo BAR=bilbo BAZ=xx HOBBIT=FOO NULL=");
}

static void
assert_expands (const char *input,
                const char *expected)
{
  g_autoptr(GPtrArray) env = expansion_env ();
  g_autoptr(GError) error = NULL;
  g_autofree char *result = init_env_expand (input, env, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, expected);
}

static void
assert_expand_fails (const char *input,
                     gint        code,
                     const char *message)
{
  g_autoptr(GPtrArray) env = expansion_env ();
  g_autoptr(GError) error = NULL;
  g_autofree char *result = init_env_expand (input, env, &error);

  g_assert_null (result);
  g_assert_error (error, INIT_PARSE_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

/* add appends new keys, replaces existing ones in place, and leaves them alone without replace. */
static void
test_add_replace (void)
{
  g_autoptr(GPtrArray) env = init_env_new ();

  init_env_add (env, "FOO=1", TRUE);
  init_env_add (env, "BAR=2", TRUE);
  init_env_add (env, "BAZ=3", TRUE);
  assert_env (env, "FOO=1|BAR=2|BAZ=3");

  init_env_add (env, "FOO=changed", TRUE);
  assert_env (env, "FOO=changed|BAR=2|BAZ=3");

  init_env_add (env, "BAR=ignored", FALSE);
  assert_env (env, "FOO=changed|BAR=2|BAZ=3");

  init_env_add (env, "NEW=x", FALSE);
  assert_env (env, "FOO=changed|BAR=2|BAZ=3|NEW=x");

  /* A key that is a prefix of another key is a different key. */
  init_env_add (env, "BA=p", TRUE);
  init_env_add (env, "FOO=", TRUE);
  assert_env (env, "FOO=|BAR=2|BAZ=3|NEW=x|BA=p");
  g_assert_cmpstr (init_env_get (env, "BA"), ==, "p");
  g_assert_cmpstr (init_env_get (env, "FOO"), ==, "");
}

/* Values may contain '=': only the first one separates the key. */
static void
test_add_value_with_equals (void)
{
  g_autoptr(GPtrArray) env = init_env_new ();

  init_env_add (env, "OPTS=a=b=c", TRUE);
  init_env_add (env, "OPTS=x=y", TRUE);
  assert_env (env, "OPTS=x=y");
  g_assert_cmpstr (init_env_get (env, "OPTS"), ==, "x=y");
}

/* "KEY" without '=' copies KEY from the process environment, or removes it when absent. */
static void
test_add_from_process (void)
{
  g_autoptr(GPtrArray) env = env_of ("A=1 INIT_TEST_SET=old INIT_TEST_UNSET=old B=2");

  g_assert_true (g_setenv ("INIT_TEST_SET", "from process", TRUE));
  g_unsetenv ("INIT_TEST_UNSET");

  init_env_add (env, "INIT_TEST_SET", TRUE);
  assert_env (env, "A=1|INIT_TEST_SET=from process|INIT_TEST_UNSET=old|B=2");

  init_env_add (env, "INIT_TEST_UNSET", TRUE);
  assert_env (env, "A=1|INIT_TEST_SET=from process|B=2");

  /* Appended when new, nothing at all when absent from both. */
  init_env_remove (env, "INIT_TEST_SET");
  init_env_add (env, "INIT_TEST_SET", TRUE);
  init_env_add (env, "INIT_TEST_UNSET", TRUE);
  assert_env (env, "A=1|B=2|INIT_TEST_SET=from process");

  /* Without replace an existing key is kept, even when the process lacks it. */
  g_unsetenv ("INIT_TEST_SET");
  init_env_add (env, "INIT_TEST_SET", FALSE);
  assert_env (env, "A=1|B=2|INIT_TEST_SET=from process");
}

/* append applies add to every entry, in order, with the given replace mode. */
static void
test_append (void)
{
  g_autoptr(GPtrArray) env = env_of ("FOO=BAR BAR=BAZ");
  g_autoptr(GPtrArray) other = env_of ("FRODO=baggins FOO=SMACK CRACKLE=FIZZ");

  init_env_append (env, other, FALSE);
  assert_env (env, "FOO=BAR|BAR=BAZ|FRODO=baggins|CRACKLE=FIZZ");

  init_env_append (env, other, TRUE);
  assert_env (env, "FOO=SMACK|BAR=BAZ|FRODO=baggins|CRACKLE=FIZZ");

  init_env_append (env, NULL, TRUE);
  assert_env (env, "FOO=SMACK|BAR=BAZ|FRODO=baggins|CRACKLE=FIZZ");
}

/* set replaces in place or appends; remove reports presence; get/getn/lookup find by key. */
static void
test_set_remove_get (void)
{
  g_autoptr(GPtrArray) env = env_of ("JOB=foo INSTANCE= RESULT=ok");

  init_env_set (env, "INSTANCE", "bar");
  init_env_set (env, "UPSTART_EVENTS", "a b");
  assert_env (env, "JOB=foo|INSTANCE=bar|RESULT=ok|UPSTART_EVENTS=a b");

  g_assert_true (init_env_remove (env, "RESULT"));
  g_assert_false (init_env_remove (env, "RESULT"));
  assert_env (env, "JOB=foo|INSTANCE=bar|UPSTART_EVENTS=a b");

  g_assert_cmpstr (init_env_get (env, "JOB"), ==, "foo");
  g_assert_null (init_env_get (env, "JO"));
  g_assert_null (init_env_get (env, "JOBS"));
  g_assert_cmpstr (init_env_getn (env, "INSTANCEXYZ", 8), ==, "bar");
  g_assert_cmpstr (init_env_lookup (env, "JOB=", 3), ==, "JOB=foo");
  /* A "key" containing '=' names nothing. */
  g_assert_null (init_env_lookup (env, "JOB=foo", 7));
  g_assert_null (init_env_get (NULL, "JOB"));
}

/* copy, to_strv and from_strv are deep and order-preserving; NULL gives empty. */
static void
test_copy_strv (void)
{
  const char *list[] = { "B=2", "A=1", "B=3", NULL };
  g_autoptr(GPtrArray) env = init_env_from_strv (list);
  g_autoptr(GPtrArray) copy = init_env_copy (env);
  g_autoptr(GPtrArray) empty = init_env_copy (NULL);
  g_autoptr(GPtrArray) empty2 = init_env_from_strv (NULL);
  g_auto (GStrv) strv = init_env_to_strv (env);
  g_auto (GStrv) none = init_env_to_strv (NULL);

  assert_env (env, "B=2|A=1|B=3");
  assert_env (copy, "B=2|A=1|B=3");
  g_assert_true (g_ptr_array_index (copy, 0) != g_ptr_array_index (env, 0));
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (empty2->len, ==, 0);
  g_assert_cmpuint (g_strv_length (strv), ==, 3);
  g_assert_cmpstr (strv[2], ==, "B=3");
  g_assert_nonnull (none);
  g_assert_null (none[0]);

  init_env_set (copy, "A", "changed");
  g_assert_cmpstr (init_env_get (env, "A"), ==, "1");
}

/* Keys are [A-Za-z_][A-Za-z0-9_]*, non-empty, at most INIT_ENV_MAX_KEY bytes. */
static void
test_key_is_valid (void)
{
  g_autofree char *longest = g_strnfill (INIT_ENV_MAX_KEY, 'K');
  g_autofree char *too_long = g_strnfill (INIT_ENV_MAX_KEY + 1, 'K');

  g_assert_true (init_env_key_is_valid ("FOO", -1));
  g_assert_true (init_env_key_is_valid ("_f00_Bar", -1));
  g_assert_true (init_env_key_is_valid ("FOO=bar", 3));
  g_assert_true (init_env_key_is_valid (longest, -1));
  g_assert_false (init_env_key_is_valid (too_long, -1));
  g_assert_false (init_env_key_is_valid ("", -1));
  g_assert_false (init_env_key_is_valid ("1FOO", -1));
  g_assert_false (init_env_key_is_valid ("FOO-BAR", -1));
  g_assert_false (init_env_key_is_valid ("FOO BAR", -1));
  g_assert_false (init_env_key_is_valid ("FÖO", -1));
  g_assert_false (init_env_key_is_valid ("FOO=bar", -1));
}

static void
assert_invalid (const char *const *entries,
                const char        *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (init_env_validate (entries, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

/* Client environments: KEY=VALUE with a valid key, UTF-8, bounded; errors name the entry. */
static void
test_validate (void)
{
  const char *good[] = { "FOO=bar", "EMPTY=", "EQ=a=b", "UTF=héllo wörld", "_X1=\t", NULL };
  const char *no_eq[] = { "A=1", "FOO", NULL };
  const char *empty_key[] = { "=value", NULL };
  const char *bad_key[] = { "1A=x", NULL };
  const char *dash_key[] = { "A-B=x", NULL };
  const char *bad_utf8[] = { "A=\xff\xfe", NULL };
  const char *empty_entry[] = { "", NULL };
  const char *none[] = { NULL };
  g_autofree char *long_value = NULL;
  g_autofree char *max_value = NULL;
  g_autofree char *long_key = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (init_env_validate (good, &error));
  g_assert_no_error (error);
  g_assert_true (init_env_validate (NULL, &error));
  g_assert_true (init_env_validate (none, &error));

  assert_invalid (no_eq, "Env must be KEY=VALUE pairs: 'FOO'");
  assert_invalid (empty_entry, "Env must be KEY=VALUE pairs: ''");
  assert_invalid (empty_key, NULL);
  assert_invalid (bad_key, NULL);
  assert_invalid (dash_key, NULL);
  assert_invalid (bad_utf8, NULL);

  /* The offending entry is named in the message. */
  {
    g_autoptr(GError) e = NULL;
    g_assert_false (init_env_validate (dash_key, &e));
    g_assert_nonnull (strstr (e->message, "'A-B=x'"));
  }

  /* An entry of exactly INIT_ENV_MAX_ENTRY bytes passes; one more is rejected, and the message
   * quotes only a short excerpt. */
  max_value = g_strnfill (INIT_ENV_MAX_ENTRY - 2, 'v');
  {
    g_autofree char *entry = g_strconcat ("A=", max_value, NULL);
    const char *list[] = { entry, NULL };
    g_assert_true (init_env_validate (list, NULL));
  }
  long_value = g_strnfill (INIT_ENV_MAX_ENTRY, 'v');
  {
    g_autofree char *entry = g_strconcat ("A=", long_value, NULL);
    const char *list[] = { entry, NULL };
    g_autoptr(GError) e = NULL;
    g_assert_false (init_env_validate (list, &e));
    g_assert_error (e, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT);
    g_assert_cmpuint (strlen (e->message), <, 300);
  }

  long_key = g_strnfill (INIT_ENV_MAX_KEY + 1, 'K');
  {
    g_autofree char *entry = g_strconcat (long_key, "=x", NULL);
    const char *list[] = { entry, NULL };
    assert_invalid (list, NULL);
  }
}

/* Every example of §3.9.1 (Upstart's test_environ.c) expands as documented. */
static void
test_expand_examples (void)
{
  assert_expands ("test $FOO $BAR$BAZ", "test frodo bilboxx");
  assert_expands ("${$HOBBIT} baggins", "frodo baggins");
  assert_expands ("${MEEP-a }test", "a test");
  assert_expands ("${NULL-a }test", "test");
  assert_expands ("${NULL:-a }test", "a test");
  assert_expands ("${NULL+good }test", "good test");
  assert_expands ("${NULL:+good }test", "test");
  assert_expands ("${$BAZ:-${$HOBBIT}}test", "frodotest");
  assert_expands ("${}test", "$test");
}

/* Plain and braced references, and the set/non-empty variants of each operator. */
static void
test_expand_references (void)
{
  assert_expands ("", "");
  assert_expands ("no references", "no references");
  assert_expands ("$FOO", "frodo");
  assert_expands ("${FOO}", "frodo");
  assert_expands ("${FOO}s", "frodos");
  assert_expands ("$FOO.txt", "frodo.txt");
  assert_expands ("$NULL", "");
  assert_expands ("${FOO-word}", "frodo");
  assert_expands ("${FOO:-word}", "frodo");
  assert_expands ("${FOO+word}", "word");
  assert_expands ("${FOO:+word}", "word");
  assert_expands ("${MEEP+word}", "");
  assert_expands ("${MEEP:+word}", "");
  assert_expands ("${MEEP:-}", "");
  assert_expands ("${MEEP-$FOO and ${BAR}}", "frodo and bilbo");
  assert_expands ("${${HOBBIT}}", "frodo");
  assert_expands ("${MEEP-a{b}c", "a{bc");
}

/* '$' followed by a non-identifier character (or nothing) stays literal. */
static void
test_expand_literal_dollar (void)
{
  assert_expands ("$", "$");
  assert_expands ("cost: $ 5", "cost: $ 5");
  assert_expands ("$1 $$ $.", "$1 $$ $.");
  assert_expands ("a$", "a$");
  assert_expands ("${}${}", "$$");
  assert_expands ("}{", "}{");
}

/* Unknown variables are errors, also inside an operator's word even when it is not used. */
static void
test_expand_unknown (void)
{
  assert_expand_fails ("$WIBBLE", INIT_PARSE_ERROR_UNKNOWN_PARAMETER, "Unknown parameter: WIBBLE");
  assert_expand_fails ("x ${WIBBLE} y", INIT_PARSE_ERROR_UNKNOWN_PARAMETER,
                       "Unknown parameter: WIBBLE");
  assert_expand_fails ("${$FOO:-$WIBBLE}", INIT_PARSE_ERROR_UNKNOWN_PARAMETER,
                       "Unknown parameter: WIBBLE");
  assert_expand_fails ("${FOO-$WIBBLE}", INIT_PARSE_ERROR_UNKNOWN_PARAMETER,
                       "Unknown parameter: WIBBLE");
  /* The nested name is looked up after expansion. */
  assert_expand_fails ("${$FOO}", INIT_PARSE_ERROR_UNKNOWN_PARAMETER, "Unknown parameter: frodo");

  /* An empty / NULL table knows nothing. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *r = init_env_expand ("$FOO", NULL, &error);
    g_assert_null (r);
    g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_UNKNOWN_PARAMETER);
  }
  {
    g_autofree char *r = init_env_expand ("plain $ text", NULL, NULL);
    g_assert_cmpstr (r, ==, "plain $ text");
  }
}

/* Syntax errors: a bad character after the name, and unclosed braces. */
static void
test_expand_syntax_errors (void)
{
  assert_expand_fails ("${FOO BAR}", INIT_PARSE_ERROR_EXPECTED_EXPANSION_OPERATOR, NULL);
  assert_expand_fails ("${FOO:word}", INIT_PARSE_ERROR_EXPECTED_EXPANSION_OPERATOR, NULL);
  assert_expand_fails ("${FOO=word}", INIT_PARSE_ERROR_EXPECTED_EXPANSION_OPERATOR, NULL);
  assert_expand_fails ("${FOO?}", INIT_PARSE_ERROR_EXPECTED_EXPANSION_OPERATOR, NULL);
  assert_expand_fails ("${", INIT_PARSE_ERROR_MISMATCHED_BRACES, "Mismatched braces");
  assert_expand_fails ("${FOO", INIT_PARSE_ERROR_MISMATCHED_BRACES, "Mismatched braces");
  assert_expand_fails ("test ${FOO:-bar", INIT_PARSE_ERROR_MISMATCHED_BRACES, NULL);
  assert_expand_fails ("${FOO-${BAR}", INIT_PARSE_ERROR_MISMATCHED_BRACES, NULL);
  assert_expand_fails ("${${FOO}", INIT_PARSE_ERROR_MISMATCHED_BRACES, NULL);

  /* The operator error message starts like Upstart's. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *r = init_env_expand ("${FOO BAR}", NULL, &error);
    g_assert_null (r);
    g_assert_true (g_str_has_prefix (error->message, "Expected operator"));
  }
}

/* Deeply nested "${" is rejected with a clear error instead of exhausting the stack. */
static void
test_expand_deep_nesting (void)
{
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(GPtrArray) env = env_of ("A=B");
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;

  /* 32 levels of ${A-${A-...}} are fine. */
  for (int i = 0; i < 32; i++)
    g_string_append (ok, "${MISSING-");
  g_string_append (ok, "end");
  for (int i = 0; i < 32; i++)
    g_string_append_c (ok, '}');
  result = init_env_expand (ok->str, env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "end");

  for (int i = 0; i < 100; i++)
    g_string_append (deep, "${MISSING-");
  for (int i = 0; i < 100; i++)
    g_string_append_c (deep, '}');
  g_clear_pointer (&result, g_free);
  result = init_env_expand (deep->str, env, &error);
  g_assert_null (result);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* Nested in the name position, unterminated, a million levels deep. */
  for (int i = 0; i < 1000000; i++)
    g_string_append (huge, "${");
  g_clear_pointer (&result, g_free);
  result = init_env_expand (huge->str, env, &error);
  g_assert_null (result);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_DEEP);
}

/* References to large values cannot multiply into an unbounded result. */
static void
test_expand_too_large (void)
{
  g_autofree char *big = g_strnfill (60 * 1024, 'v');
  g_autoptr(GPtrArray) env = init_env_new ();
  g_autoptr(GString) fine = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;

  init_env_set (env, "A", big);
  for (int i = 0; i < 16; i++)
    g_string_append (fine, "$A");
  for (int i = 0; i < 1000; i++)
    g_string_append (huge, "${A:+$A$A}");

  result = init_env_expand (fine->str, env, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (result), ==, 16 * 60 * 1024);

  g_clear_pointer (&result, g_free);
  result = init_env_expand (huge->str, env, &error);
  g_assert_null (result);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_LARGE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/env/add-replace", test_add_replace);
  g_test_add_func ("/engine/env/add-value-with-equals", test_add_value_with_equals);
  g_test_add_func ("/engine/env/add-from-process", test_add_from_process);
  g_test_add_func ("/engine/env/append", test_append);
  g_test_add_func ("/engine/env/set-remove-get", test_set_remove_get);
  g_test_add_func ("/engine/env/copy-strv", test_copy_strv);
  g_test_add_func ("/engine/env/key-is-valid", test_key_is_valid);
  g_test_add_func ("/engine/env/validate", test_validate);
  g_test_add_func ("/engine/env/expand/examples", test_expand_examples);
  g_test_add_func ("/engine/env/expand/references", test_expand_references);
  g_test_add_func ("/engine/env/expand/literal-dollar", test_expand_literal_dollar);
  g_test_add_func ("/engine/env/expand/unknown", test_expand_unknown);
  g_test_add_func ("/engine/env/expand/syntax-errors", test_expand_syntax_errors);
  g_test_add_func ("/engine/env/expand/deep-nesting", test_expand_deep_nesting);
  g_test_add_func ("/engine/env/expand/too-large", test_expand_too_large);

  return g_test_run ();
}
