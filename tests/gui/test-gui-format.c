/* test-gui-format.c — init-admin's words for states, conditions, failures and errors (no display) */
#define G_LOG_DOMAIN "init-admin-test"

#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "init-admin-env-editor.h"
#include "init-admin-error.h"
#include "init-admin-format.h"

static GVariant *
tree (const char *text)
{
  return g_variant_ref_sink (g_variant_new_parsed (text));
}

/* The caller as a person reads it: "you" for the user running the window, the program by
 * its name (the daemon gives the path of its executable). */
static void
test_caller (void)
{
  g_autofree char *mine_text = g_strdup_printf ("{'cause': <'caller'>, 'caller-uid': <uint32 %u>, "
                                                "'caller-command': <'/work/x/build/gui/init-admin'>}",
                                                (guint) getuid ());
  g_autoptr(GVariant) mine = tree (mine_text);
  g_autoptr(GVariant) other = tree ("{'cause': <'caller'>, 'caller-uid': <uint32 65534>, "
                                    "'caller-command': <'/usr/sbin/initctl'>}");
  g_autofree char *you = init_admin_format_cause (mine);
  g_autofree char *them = init_admin_format_cause (other);
  g_autofree char *nobody = init_admin_format_user (65534);
  g_autofree char *expected = g_strdup_printf ("%s (initctl)", nobody);

  g_assert_cmpstr (you, ==, "you (init-admin)");
  g_assert_cmpstr (them, ==, expected);
}

/* Goal and state make one of five visuals; "failed" wins over stopping and stopped. */
static void
test_status (void)
{
  g_assert_cmpint (init_admin_status_from (NULL, NULL, FALSE), ==, INIT_ADMIN_STATUS_STOPPED);
  g_assert_cmpint (init_admin_status_from (NULL, NULL, TRUE), ==, INIT_ADMIN_STATUS_FAILED);
  g_assert_cmpint (init_admin_status_from ("start", "running", FALSE), ==, INIT_ADMIN_STATUS_RUNNING);
  g_assert_cmpint (init_admin_status_from ("start", "pre-start", FALSE), ==, INIT_ADMIN_STATUS_STARTING);
  g_assert_cmpint (init_admin_status_from ("respawn", "stopping", FALSE), ==, INIT_ADMIN_STATUS_STARTING);
  g_assert_cmpint (init_admin_status_from ("stop", "killed", FALSE), ==, INIT_ADMIN_STATUS_STOPPING);
  g_assert_cmpint (init_admin_status_from ("stop", "waiting", FALSE), ==, INIT_ADMIN_STATUS_STOPPED);
  g_assert_cmpint (init_admin_status_from ("stop", "post-stop", TRUE), ==, INIT_ADMIN_STATUS_FAILED);
  g_assert_cmpstr (init_admin_status_label (INIT_ADMIN_STATUS_RUNNING), ==, "Running");
  g_assert_cmpstr (init_admin_status_css_class (INIT_ADMIN_STATUS_FAILED), ==, "status-failed");
}

/* `start on` in words: job events by name, values and KEY=VALUE matches, brackets only
 * where and/or mix. */
static void
test_condition (void)
{
  g_autoptr(GVariant) empty = tree ("@aas []");
  g_autoptr(GVariant) job = tree ("[['stopped', 'hello', 'RESULT=ok']]");
  g_autoptr(GVariant) mixed = tree ("[['a'], ['b', 'x*'], ['/OR'], ['c', 'K!=v'], ['/AND']]");
  g_autoptr(GVariant) chain = tree ("[['a'], ['b'], ['/OR'], ['c'], ['/OR']]");
  g_autofree char *e = init_admin_format_condition (empty);
  g_autofree char *j = init_admin_format_condition (job);
  g_autofree char *m = init_admin_format_condition (mixed);
  g_autofree char *c = init_admin_format_condition (chain);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_cmpstr (e, ==, "");
  g_assert_cmpstr (j, ==, "job hello has stopped where RESULT is “ok”");
  g_assert_cmpstr (m, ==, "(event “a” or event “b” where “x*”) and event “c” where K is not “v”");
  g_assert_cmpstr (c, ==, "event “a” or event “b” or event “c”");

  init_admin_collect_event_names (mixed, names);
  g_assert_cmpuint (g_hash_table_size (names), ==, 3);
  g_assert_true (g_hash_table_contains (names, "b"));
  g_assert_false (g_hash_table_contains (names, "/OR"));
}

/* Which process failed and how, in a sentence. */
static void
test_failure (void)
{
  g_autofree char *status = init_admin_format_failure ("main", 3, "");
  g_autofree char *sig = init_admin_format_failure ("pre-start", -1, "SEGV");
  g_autofree char *spawn = init_admin_format_failure ("post-stop", -1, "");
  g_autofree char *respawn = init_admin_format_failure ("respawn", -1, "");

  g_assert_cmpstr (status, ==, "The main process exited with status 3");
  g_assert_cmpstr (sig, ==, "The pre-start process was killed by signal SEGV");
  g_assert_cmpstr (spawn, ==, "The post-stop process could not be started");
  g_assert_true (g_str_has_prefix (respawn, "It ended too often"));
}

/* Environments, names, respawn limits and causes read naturally. */
static void
test_misc (void)
{
  const char *const env[] = { "KIND=rain", "WHERE=two words", "EMPTY=", NULL };
  g_autofree char *text = init_admin_format_env (env);
  g_autofree char *display = init_admin_display_name ("tty", "tty1");
  g_autofree char *single = init_admin_display_name ("hello", "");
  g_autofree char *limit = init_admin_format_respawn (TRUE, 10, 5);
  g_autofree char *unlimited = init_admin_format_respawn (TRUE, 0, 0);
  g_autoptr(GVariant) processes = tree ("[('main', 12), ('post-start', 13)]");
  g_autofree char *procs = init_admin_format_processes (processes);
  g_autoptr(GVariant) caller = tree ("{'cause': <'caller'>, 'caller-uid': <uint32 65534>, "
                                     "'caller-command': <'initctl start x'>}");
  g_autoptr(GVariant) event = tree ("{'cause': <'event'>, 'cause-event': <'startup'>}");
  g_autofree char *who = init_admin_format_cause (caller);
  g_autofree char *why = init_admin_format_cause (event);

  g_assert_cmpstr (text, ==, "KIND=rain WHERE=\"two words\" EMPTY=\"\"");
  g_assert_cmpstr (display, ==, "tty (tty1)");
  g_assert_cmpstr (single, ==, "hello");
  g_assert_cmpstr (limit, ==, "Yes, at most 10 times in 5 seconds");
  g_assert_cmpstr (unlimited, ==, "Yes, without limit");
  g_assert_cmpstr (procs, ==, "main 12, post-start 13");
  g_assert_cmpint (init_admin_main_pid (processes), ==, 12);
  g_autofree char *nobody = init_admin_format_user (65534);
  g_autofree char *expected = g_strdup_printf ("%s (initctl start x)", nobody);

  g_assert_cmpstr (who, ==, expected);
  g_assert_cmpstr (why, ==, "event “startup”");
}

static GError *
remote (const char *name,
        const char *message)
{
  return g_dbus_error_new_for_dbus_error (name, message);
}

/* Errors in plain words: denials say "Permission denied", the daemon's reasons are kept,
 * D-Bus error names never show. */
static void
test_errors (void)
{
  g_autoptr(GError) denied = g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                                                  "Only user 0 may change this session's jobs");
  g_autoptr(GError) auth = remote ("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", "x");
  g_autoptr(GError) failed = remote ("org.example.Init.Error.JobFailed",
                                     "Job failed to start: x: main process terminated with status 1");
  g_autoptr(GError) gone = g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN, "no");
  g_autoptr(GError) already = remote ("org.example.Init.Error.AlreadyStarted", "Job is already running: x");
  g_autoptr(GError) perm = remote ("org.example.Init.Error.PermissionDenied", "polkit did not answer in time");
  g_autofree char *a = init_admin_error_describe (denied);
  g_autofree char *b = init_admin_error_describe (auth);
  g_autofree char *c = init_admin_error_describe (failed);
  g_autofree char *d = init_admin_error_describe (gone);
  g_autofree char *e = init_admin_error_describe (already);
  g_autofree char *f = init_admin_error_describe (perm);

  g_assert_cmpstr (a, ==, "Permission denied: you are not allowed to do this. Only user 0 may change this session's jobs");
  g_assert_true (g_str_has_prefix (b, "Permission denied: "));
  g_assert_cmpstr (c, ==, "The job failed. Job failed to start: x: main process terminated with status 1");
  g_assert_null (strstr (c, "org.example"));
  g_assert_true (g_str_has_prefix (d, "The daemon is not running"));
  g_assert_cmpstr (e, ==, "It is already started.");
  g_assert_cmpstr (f, ==, "Permission denied: you are not allowed to do this. polkit did not answer in time");
  g_assert_cmpint (init_admin_error_kind (denied), ==, INIT_ADMIN_ERROR_KIND_DENIED);
  g_assert_cmpint (init_admin_error_kind (failed), ==, INIT_ADMIN_ERROR_KIND_FAILED);
  g_assert_cmpint (init_admin_error_kind (gone), ==, INIT_ADMIN_ERROR_KIND_DAEMON_GONE);
}

/* KEY=VALUE entries: a name of letters, digits and underscores, not starting with a digit. */
static void
test_env_entries (void)
{
  g_assert_true (init_admin_env_entry_is_valid ("A=1"));
  g_assert_true (init_admin_env_entry_is_valid ("_X9="));
  g_assert_true (init_admin_env_entry_is_valid ("K=a=b c"));
  g_assert_false (init_admin_env_entry_is_valid ("=x"));
  g_assert_false (init_admin_env_entry_is_valid ("9A=x"));
  g_assert_false (init_admin_env_entry_is_valid ("A-B=x"));
  g_assert_false (init_admin_env_entry_is_valid ("NOVALUE"));
}

/* "index:depth" for each process of @text (a GetProcessTree reply) in display order. */
static char *
tree_order (const char *text)
{
  g_autoptr(GVariant) processes = tree (text);
  g_autoptr(GArray) order = init_admin_process_tree_order (processes);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < order->len; i++)
    {
      const InitAdminTreeEntry *e = &g_array_index (order, InitAdminTreeEntry, i);
      g_string_append_printf (out, "%s%u:%u", i > 0 ? " " : "", e->index, e->depth);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A process tree reads top-down: main, its descendants under it (by pid within a parent),
 * then the next process the instance started; an orphan (parent not in the tree) stands
 * alone; a parent-link cycle does not loop; an empty tree is empty. */
static void
test_process_tree_order (void)
{
  g_autofree char *empty = tree_order ("@a(iiss) []");
  g_autofree char *nested = tree_order ("[(10, 1, 'main', 'sh'), (12, 1, 'post-start', 'ps'),"
                                        " (13, 10, '', 'a'), (14, 13, '', 'b'), (15, 10, '', 'c'),"
                                        " (16, 12, '', 'd'), (17, 1, '', 'orphan')]");
  g_autofree char *cycle = tree_order ("[(10, 1, 'main', 'sh'), (20, 21, '', 'x'), (21, 20, '', 'y')]");

  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (nested, ==, "0:0 2:1 3:2 4:1 1:0 5:1 6:0");
  g_assert_cmpstr (cycle, ==, "0:0 1:0 2:0");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/format/status", test_status);
  g_test_add_func ("/gui/format/condition", test_condition);
  g_test_add_func ("/gui/format/failure", test_failure);
  g_test_add_func ("/gui/format/misc", test_misc);
  g_test_add_func ("/gui/format/caller", test_caller);
  g_test_add_func ("/gui/format/errors", test_errors);
  g_test_add_func ("/gui/format/env-entries", test_env_entries);
  g_test_add_func ("/gui/format/process-tree-order", test_process_tree_order);
  return g_test_run ();
}
