/* test-initctl-tree.c — `initctl status --tree' (text and --json) and the command line of
 * `initctl reexec' (its authorization is in test-initctl-auth.c)
 *
 * The job's main process starts a shell in the background, which starts a sleep: a tree of
 * depth two whose pids, parents and command lines the test reads from /proc itself.
 */
#include <stdio.h>
#include <string.h>

#include "initctl-run.h"
#include "test-util.h"

#define WAIT_MS 20000
#define TRY_HELP "Try `initctl --help' for more information.\n"

static const char nest_job[] =
  "console none\n"
  "exec /bin/sh -c '/bin/sh -c \"sleep 4343 & wait\" & wait'\n";

/* /proc/PID/cmdline with the arguments joined by spaces (what the daemon reports). */
static char *
proc_cmdline (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", pid);
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  while (len > 0 && data[len - 1] == '\0')
    len--;
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\0')
      data[i] = ' ';
  return g_strndup (data, len);
}

static int
proc_ppid (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = test_util_read_file (path);
  const char *end = stat != NULL ? strrchr (stat, ')') : NULL;
  int ppid = 0;

  g_assert_nonnull (end);
  g_assert_cmpint (sscanf (end + 2, "%*c %d", &ppid), ==, 1);
  return ppid;
}

typedef struct
{
  DBusFixture *fx;
  const char  *flag;
  guint        lines;
  char        *out;
} TreeWait;

static gboolean
tree_has_lines (gpointer user_data)
{
  TreeWait *w = user_data;
  const char *argv[] = { "initctl", "status", w->flag, "nest", NULL };
  guint n = 0;

  g_clear_pointer (&w->out, g_free);
  if (run_argv (w->fx, NULL, argv, &w->out, NULL) != 0)
    return FALSE;
  for (const char *p = w->out; *p != '\0'; p++)
    n += *p == '\n';
  /* The grandchild has run its sleep: its parent had run its shell before forking it. */
  return n == w->lines && g_str_has_suffix (w->out, " sleep 4343\n");
}

/* Wait until `initctl status FLAG nest' prints @lines lines, the last the grandchild's
 * sleep (the background processes have started and run their programs); returns the
 * output. */
static char *
wait_tree (DBusFixture *fx,
           const char  *flag,
           guint        lines)
{
  TreeWait w = { fx, flag, lines, NULL };

  if (!test_util_wait_until (tree_has_lines, &w, WAIT_MS))
    g_error ("status %s nest never showed %u lines:\n%s", flag, lines, w.out);
  return w.out;
}

/* The status line, then each process indented by its depth: main (with its role) at four
 * spaces, its child at six, the grandchild at eight; pids, parents and command lines are
 * the kernel's.  -t is --tree; a job without an instance has only its status line. */
static void
test_status_tree_text (void)
{
  DBusFixture *fx = run_fixture_new ((const char *[]) { "nest", nest_job, NULL });
  g_autofree char *out = NULL;
  g_autofree char *short_out = NULL;
  g_auto (GStrv) lines = NULL;
  int main_pid, child, grandchild;
  g_autofree char *main_line = NULL;
  g_autofree char *child_line = NULL;
  g_autofree char *grandchild_line = NULL;
  g_autofree char *main_cmdline = NULL;

  assert_initctl (fx, 0, "nest stop/waiting\n", "", "status", "--tree", "nest");
  assert_initctl (fx, 0, "nest start/running, process N\n", "", "start", "nest");
  out = wait_tree (fx, "--tree", 4);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpint (sscanf (lines[0], "nest start/running, process %d", &main_pid), ==, 1);
  g_assert_cmpint (sscanf (lines[2], "      %d ", &child), ==, 1);
  g_assert_cmpint (sscanf (lines[3], "        %d ", &grandchild), ==, 1);
  main_cmdline = proc_cmdline (main_pid);
  main_line = g_strdup_printf ("    %d main %s", main_pid, main_cmdline);
  child_line = g_strdup_printf ("      %d /bin/sh -c sleep 4343 & wait", child);
  grandchild_line = g_strdup_printf ("        %d sleep 4343", grandchild);
  g_assert_cmpstr (lines[1], ==, main_line);
  g_assert_cmpstr (lines[2], ==, child_line);
  g_assert_cmpstr (lines[3], ==, grandchild_line);
  g_assert_cmpstr (lines[4], ==, "");
  g_assert_cmpint (proc_ppid (child), ==, main_pid);
  g_assert_cmpint (proc_ppid (grandchild), ==, child);

  g_assert_cmpint (run_initctl (fx, &short_out, NULL, "status", "-t", "nest", NULL), ==, 0);
  g_assert_cmpstr (short_out, ==, out);
  /* Without --tree, the status line alone, as always. */
  assert_initctl (fx, 0, "nest start/running, process N\n", "", "status", "nest");
  assert_initctl (fx, 0, "nest stop/waiting\n", "", "stop", "nest");
  g_assert_false (test_util_pid_alive (grandchild));
  dbus_fixture_free (fx);
}

#define JSON_TREE \
  "import json, sys\n" \
  "o = json.load(sys.stdin)\n" \
  "t = o['process_tree']\n" \
  "for p in t:\n" \
  "    assert sorted(p) == ['command', 'depth', 'pid', 'ppid', 'role'], p\n" \
  "    assert all(isinstance(p[k], int) for k in ('pid', 'ppid', 'depth')), p\n" \
  "main = [p['pid'] for p in o['processes'] if p['name'] == 'main']\n" \
  "print(o['state'], len(t), *main)\n" \
  "for p in t:\n" \
  "    print('%d|%d|%s|%d|%s' % (p['pid'], p['ppid'], p['role'], p['depth'], p['command']))\n"

/* --json --tree: the status object with a "process_tree" array (pid, ppid, role, command,
 * depth), main first with the pid of "processes"; [] for a job that is not running. */
static void
test_status_tree_json (void)
{
  DBusFixture *fx = run_fixture_new ((const char *[]) { "nest", nest_job, NULL });
  g_autofree char *out = NULL;
  g_autofree char *stopped = NULL;
  g_autofree char *parsed = NULL;
  g_autofree char *plain = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *main_cmdline = NULL;
  g_autofree char *expected = NULL;
  int main_pid = 0, pid[3], ppid[3];

  g_assert_cmpint (run_initctl (fx, &stopped, NULL, "status", "--json", "--tree", "nest", NULL), ==, 0);
  parsed = run_python (JSON_TREE, stopped);
  g_assert_cmpstr (parsed, ==, "waiting 0\n");
  g_clear_pointer (&parsed, g_free);

  assert_initctl (fx, 0, NULL, "", "start", "nest");
  g_free (wait_tree (fx, "--tree", 4));
  g_assert_cmpint (run_initctl (fx, &out, NULL, "status", "--tree", "--json", "nest", NULL), ==, 0);
  g_assert_true (g_str_has_suffix (out, "]}\n"));
  parsed = run_python (JSON_TREE, out);
  lines = g_strsplit (parsed, "\n", -1);
  g_assert_cmpint (sscanf (lines[0], "running 3 %d", &main_pid), ==, 1);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (sscanf (lines[i + 1], "%d|%d|", &pid[i], &ppid[i]), ==, 2);
  g_assert_cmpint (pid[0], ==, main_pid);
  g_assert_cmpint (ppid[0], ==, proc_ppid (main_pid));
  g_assert_cmpint (ppid[1], ==, main_pid);
  g_assert_cmpint (ppid[2], ==, pid[1]);
  main_cmdline = proc_cmdline (main_pid);
  expected = g_strdup_printf ("running 3 %d\n"
                              "%d|%d|main|0|%s\n"
                              "%d|%d||1|/bin/sh -c sleep 4343 & wait\n"
                              "%d|%d||2|sleep 4343\n",
                              main_pid, pid[0], ppid[0], main_cmdline, pid[1], ppid[1],
                              pid[2], ppid[2]);
  g_assert_cmpstr (parsed, ==, expected);
  /* Without --tree the object has no such member (status --json is as before). */
  g_assert_cmpint (run_initctl (fx, &plain, NULL, "status", "--json", "nest", NULL), ==, 0);
  g_assert_null (strstr (plain, "process_tree"));
  dbus_fixture_free (fx);
}

/* `reexec' takes no argument and needs the daemon; --tree is an option of status only. */
static void
test_reexec_usage (void)
{
  DBusFixture *fx = run_fixture_new (NULL);
  g_autofree char *help = NULL;
  g_autofree char *cmd_help = NULL;

  assert_initctl (fx, 1, "", "initctl: unexpected argument: now\n" TRY_HELP, "reexec", "now");
  assert_initctl (fx, 1, "", "initctl: Unknown option --tree\n" TRY_HELP, "list", "--tree");
  assert_initctl (fx, 1, "", "initctl: Unknown option --json\n" TRY_HELP, "reexec", "--json");
  g_assert_cmpint (run_initctl (fx, &help, NULL, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (help, "\n  reexec "));
  g_assert_cmpint (run_initctl (fx, &cmd_help, NULL, "reexec", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (cmd_help, "initctl [OPTION…] reexec"));
  dbus_fixture_stop_initd (fx);
  assert_initctl (fx, 7, "", "initctl: Unable to connect to the init daemon: org.example.Init "
                  "is not running on the session bus\n", "--session", "reexec");
  dbus_fixture_free (fx);
}

void test_initctl_tree_register (void);

void
test_initctl_tree_register (void)
{
  g_test_add_func ("/initctl/status/tree-text", test_status_tree_text);
  g_test_add_func ("/initctl/status/tree-json", test_status_tree_json);
  g_test_add_func ("/initctl/reexec/usage", test_reexec_usage);
}
