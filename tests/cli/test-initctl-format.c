/* test-initctl-format.c — what initctl prints, without a daemon: the JSON strings it writes
 * by hand, and the process tree of `status --tree` as text and JSON */
#include <string.h>

#include <gio/gio.h>

#include "initctl.h"

/* initctl-tree.c also fetches trees; these cases only format them. */
GVariant *
initctl_call (Initctl            *ctl,
              const char         *path,
              GDBusInterfaceInfo *iface,
              const char         *method,
              GVariant           *args,
              InitctlCallFlags    flags,
              GError            **error)
{
  g_assert_not_reached ();
}

gboolean
initctl_error_is_vanished (const GError *error)
{
  g_assert_not_reached ();
}

static char *
json (const char *text)
{
  GString *out = g_string_new (NULL);

  initctl_json_string (out, text);
  return g_string_free (out, FALSE);
}

/* Quotes, backslashes and the usual controls get their short escapes. */
static void
test_json_short_escapes (void)
{
  g_autofree char *quoted = json ("say \"hi\"");
  g_autofree char *path = json ("C:\\dir");
  g_autofree char *lines = json ("a\nb\tc\rd");

  g_assert_cmpstr (quoted, ==, "\"say \\\"hi\\\"\"");
  g_assert_cmpstr (path, ==, "\"C:\\\\dir\"");
  g_assert_cmpstr (lines, ==, "\"a\\nb\\tc\\rd\"");
}

/* Other control characters and DEL become \u00XX; UTF-8 passes through untouched. */
static void
test_json_controls_and_utf8 (void)
{
  g_autofree char *controls = json ("\x01\x1f\x7f");
  g_autofree char *utf8 = json ("caf\xc3\xa9 \xe2\x9c\x93");
  g_autofree char *empty = json ("");

  g_assert_cmpstr (controls, ==, "\"\\u0001\\u001f\\u007f\"");
  g_assert_cmpstr (utf8, ==, "\"caf\xc3\xa9 \xe2\x9c\x93\"");
  g_assert_cmpstr (empty, ==, "\"\"");
}

/* Arrays of strings, including the empty and the missing one. */
static void
test_json_strv (void)
{
  const char *words[] = { "a", "b\"", NULL };
  const char *none[] = { NULL };
  GString *out = g_string_new (NULL);

  initctl_json_strv (out, words);
  g_string_append_c (out, ' ');
  initctl_json_strv (out, none);
  g_string_append_c (out, ' ');
  initctl_json_strv (out, NULL);
  g_assert_cmpstr (out->str, ==, "[\"a\",\"b\\\"\"] [] []");
  g_string_free (out, TRUE);
}

/* An a(iiss) tree as the daemon sends it: pid, ppid, role ("" for a descendant), command. */
static GVariant *
tree_of (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *tree = g_variant_parse (G_VARIANT_TYPE ("a(iiss)"), text, NULL, NULL, &error);

  g_assert_no_error (error);
  return g_variant_ref_sink (tree);
}

static char *
tree_text (const char *variant)
{
  g_autoptr(GVariant) tree = tree_of (variant);
  GString *out = g_string_new (NULL);

  initctl_append_tree (out, tree);
  return g_string_free (out, FALSE);
}

/* Each descendant under its parent, indented two more; the roles of started processes. */
static void
test_tree_text_nesting (void)
{
  g_autofree char *text = tree_text ("[(10, 1, 'main', 'daemon -f'), (11, 10, '', 'worker'),"
                                     " (12, 11, '', 'helper'), (13, 10, '', 'worker')]");

  g_assert_cmpstr (text, ==,
                   "    10 main daemon -f\n"
                   "      11 worker\n"
                   "        12 helper\n"
                   "      13 worker\n");
}

/* Every process the instance started is a root, in the daemon's order, its children after
 * it; a child listed before its parent still goes under it. */
static void
test_tree_text_several_roots (void)
{
  g_autofree char *text = tree_text ("[(30, 20, '', 'child of post-start'),"
                                     " (10, 1, 'main', 'svc'), (20, 1, 'post-start', 'sh')]");

  g_assert_cmpstr (text, ==,
                   "    10 main svc\n"
                   "    20 post-start sh\n"
                   "      30 child of post-start\n");
}

/* A process whose parent is not in the tree (adopted by the daemon) is a root of its own. */
static void
test_tree_text_orphan_root (void)
{
  g_autofree char *text = tree_text ("[(10, 1, 'main', 'svc'), (50, 1, '', 'orphan'),"
                                     " (51, 50, '', 'its child')]");

  g_assert_cmpstr (text, ==,
                   "    10 main svc\n"
                   "    50 orphan\n"
                   "      51 its child\n");
}

/* A cycle in the parent links (which the kernel never makes) still prints each process
 * once, and ends. */
static void
test_tree_text_cycle_ends (void)
{
  g_autofree char *text = tree_text ("[(10, 11, '', 'a'), (11, 10, '', 'b')]");

  g_assert_cmpstr (text, ==, "    10 a\n    11 b\n");
}

/* An empty tree (the instance vanished) prints nothing. */
static void
test_tree_text_empty (void)
{
  g_autofree char *text = tree_text ("@a(iiss) []");

  g_assert_cmpstr (text, ==, "");
}

/* The JSON has the same order, with ppid and depth, commands escaped. */
static void
test_tree_json (void)
{
  g_autoptr(GVariant) tree = tree_of ("[(10, 1, 'main', 'sh -c \"x\"'), (11, 10, '', 'x')]");
  GString *out = g_string_new (NULL);

  initctl_append_tree_json (out, tree);
  g_assert_cmpstr (out->str, ==,
                   "[{\"pid\":10,\"ppid\":1,\"role\":\"main\",\"command\":\"sh -c \\\"x\\\"\","
                   "\"depth\":0},"
                   "{\"pid\":11,\"ppid\":10,\"role\":\"\",\"command\":\"x\",\"depth\":1}]");
  g_string_truncate (out, 0);
  initctl_append_tree_json (out, NULL);
  g_assert_cmpstr (out->str, ==, "[]");
  g_string_free (out, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/initctl/format/json/short-escapes", test_json_short_escapes);
  g_test_add_func ("/initctl/format/json/controls-and-utf8", test_json_controls_and_utf8);
  g_test_add_func ("/initctl/format/json/strv", test_json_strv);
  g_test_add_func ("/initctl/format/tree/nesting", test_tree_text_nesting);
  g_test_add_func ("/initctl/format/tree/several-roots", test_tree_text_several_roots);
  g_test_add_func ("/initctl/format/tree/orphan-root", test_tree_text_orphan_root);
  g_test_add_func ("/initctl/format/tree/cycle-ends", test_tree_text_cycle_ends);
  g_test_add_func ("/initctl/format/tree/empty", test_tree_text_empty);
  g_test_add_func ("/initctl/format/tree/json", test_tree_json);

  return g_test_run ();
}
