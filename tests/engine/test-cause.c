/* test-cause.c — causes (why a goal changed) and names as path elements: what the history,
 * logs and object paths show */
#include <string.h>

#include <glib.h>

#include "init-cause.h"
#include "init-name.h"

/* An event cause names the event and its id; the id is not cut at 32 bits. */
static void
test_describe_event (void)
{
  g_autoptr(InitCause) cause = init_cause_new_event (12, "weather");
  g_autoptr(InitCause) big = init_cause_new_event (G_GUINT64_CONSTANT (5000000000), "x");
  g_autofree char *text = init_cause_describe (cause);
  g_autofree char *big_text = init_cause_describe (big);

  g_assert_cmpstr (text, ==, "event weather (#12)");
  g_assert_cmpstr (big_text, ==, "event x (#5000000000)");
}

/* A caller cause names uid, pid and command; a missing command or event name is "?". */
static void
test_describe_caller (void)
{
  g_autoptr(InitCause) caller = init_cause_new_caller (1000, 42, "initctl");
  g_autoptr(InitCause) anonymous = init_cause_new_caller (0, 1, NULL);
  g_autoptr(InitCause) unnamed = init_cause_new_event (3, NULL);
  g_autofree char *text = init_cause_describe (caller);
  g_autofree char *anonymous_text = init_cause_describe (anonymous);
  g_autofree char *unnamed_text = init_cause_describe (unnamed);

  g_assert_cmpstr (text, ==, "uid 1000 (pid 42, initctl)");
  g_assert_cmpstr (anonymous_text, ==, "uid 0 (pid 1, ?)");
  g_assert_cmpstr (unnamed_text, ==, "event ? (#3)");
}

/* Every other kind has its own words; no cause at all is "unknown". */
static void
test_describe_kinds (void)
{
  static const struct { InitCauseKind kind; const char *text; } kinds[] = {
    { INIT_CAUSE_RESPAWN, "respawn" },
    { INIT_CAUSE_RELOAD, "configuration reload" },
    { INIT_CAUSE_STARTUP, "daemon start-up" },
    { INIT_CAUSE_SHUTDOWN, "daemon shutdown" },
    { INIT_CAUSE_PROCESS, "process exit" },
    { INIT_CAUSE_NONE, "unknown" },
  };
  g_autofree char *none = init_cause_describe (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(InitCause) cause = init_cause_new (kinds[i].kind);
      g_autofree char *text = init_cause_describe (cause);

      g_assert_cmpstr (text, ==, kinds[i].text);
    }
  g_assert_cmpstr (none, ==, "unknown");
}

/* The kinds' names are the words the history records and the D-Bus API use. */
static void
test_kind_names (void)
{
  g_assert_cmpstr (init_cause_kind_to_string (INIT_CAUSE_EVENT), ==, "event");
  g_assert_cmpstr (init_cause_kind_to_string (INIT_CAUSE_CALLER), ==, "caller");
  g_assert_cmpstr (init_cause_kind_to_string (INIT_CAUSE_RESPAWN), ==, "respawn");
  g_assert_cmpstr (init_cause_kind_to_string (INIT_CAUSE_RELOAD), ==, "reload");
  g_assert_cmpstr (init_cause_kind_to_string (INIT_CAUSE_STARTUP), ==, "startup");
  g_assert_cmpstr (init_cause_kind_to_string (INIT_CAUSE_SHUTDOWN), ==, "shutdown");
  g_assert_cmpstr (init_cause_kind_to_string (INIT_CAUSE_PROCESS), ==, "process");
  g_assert_cmpstr (init_cause_kind_to_string (INIT_CAUSE_NONE), ==, "none");
}

/* A copy is deep: freeing the original leaves it whole; a NULL cause copies to NULL. */
static void
test_copy_is_deep (void)
{
  InitCause *caller = init_cause_new_caller (7, 8, "busctl");
  InitCause *event = init_cause_new_event (9, "net-up");
  g_autoptr(InitCause) caller_copy = init_cause_copy (caller);
  g_autoptr(InitCause) event_copy = init_cause_copy (event);

  g_assert_true (caller_copy->command != caller->command);
  init_cause_free (caller);
  init_cause_free (event);
  g_assert_cmpint (caller_copy->kind, ==, INIT_CAUSE_CALLER);
  g_assert_cmpuint (caller_copy->uid, ==, 7);
  g_assert_cmpuint (caller_copy->pid, ==, 8);
  g_assert_cmpstr (caller_copy->command, ==, "busctl");
  g_assert_cmpint (event_copy->kind, ==, INIT_CAUSE_EVENT);
  g_assert_cmpuint (event_copy->event_id, ==, 9);
  g_assert_cmpstr (event_copy->event_name, ==, "net-up");
  g_assert_null (init_cause_copy (NULL));
  init_cause_free (NULL);
}

/* ---- names as path elements ---- */

static char *
escaped (const char *name)
{
  GString *out = g_string_new ("prefix/");

  init_name_append_escaped (out, name);
  return g_string_free (out, FALSE);
}

/* Letters and digits stay; everything else is "_" and two lowercase hex digits. */
static void
test_name_escaping (void)
{
  g_autofree char *plain = escaped ("Job42");
  g_autofree char *dash = escaped ("my-job");
  g_autofree char *slash = escaped ("a/b.c");
  g_autofree char *underscore = escaped ("a_b");
  g_autofree char *utf8 = escaped ("caf\xc3\xa9");

  g_assert_cmpstr (plain, ==, "prefix/Job42");
  g_assert_cmpstr (dash, ==, "prefix/my_2djob");
  g_assert_cmpstr (slash, ==, "prefix/a_2fb_2ec");
  g_assert_cmpstr (underscore, ==, "prefix/a_5fb");
  g_assert_cmpstr (utf8, ==, "prefix/caf_c3_a9");
}

/* The empty name (the default instance) is "_", which no other name escapes to. */
static void
test_name_empty (void)
{
  g_autofree char *empty = escaped ("");

  g_assert_cmpstr (empty, ==, "prefix/_");
}

/* Different names never share an element, and no element has a separator in it. */
static void
test_name_injective (void)
{
  const char *names[] = {
    "", "_", "__", "_5f", "a_b", "a-b", "a.b", "a/b", "a b", "ab", "AB", "a\x01", "a\xff",
    "_2d", "-", ".", "..", "5f",
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GString *out = g_string_new (NULL);
      char *element;

      init_name_append_escaped (out, names[i]);
      element = g_string_free (out, FALSE);
      g_test_message ("'%s' -> '%s'", names[i], element);
      g_assert_null (strpbrk (element, "/.-"));
      g_assert_false (g_hash_table_contains (seen, element));
      g_hash_table_add (seen, element);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/cause/describe-event", test_describe_event);
  g_test_add_func ("/engine/cause/describe-caller", test_describe_caller);
  g_test_add_func ("/engine/cause/describe-kinds", test_describe_kinds);
  g_test_add_func ("/engine/cause/kind-names", test_kind_names);
  g_test_add_func ("/engine/cause/copy-is-deep", test_copy_is_deep);
  g_test_add_func ("/engine/name/escaping", test_name_escaping);
  g_test_add_func ("/engine/name/empty", test_name_empty);
  g_test_add_func ("/engine/name/injective", test_name_injective);

  return g_test_run ();
}
