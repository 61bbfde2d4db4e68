/* test-initctl.c — initctl, the real binary, against the real initd on a private bus
 *
 * Every command and option, its output (byte for byte, pids masked) and its exit status.
 * The seed-examples.md transcripts are in test-initctl-seed.c, what happens over time (inside
 * jobs, waiting, Ctrl-C, monitor) in test-initctl-live.c, terminal authorization against the
 * real polkitd in test-initctl-auth.c, the helpers in initctl-run.c.
 */
#include <string.h>
#include <unistd.h>

#include "initctl-run.h"
#include "test-util.h"

#define WAIT_MS 10000

/* test-initctl-tree.c: status --tree and reexec. */
void test_initctl_tree_register (void);
#define TRY_HELP "Try `initctl --help' for more information.\n"

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static GVariant *
managed_objects (DBusFixture *fx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (fx->connection, "org.example.Init", "/org/example/Init",
                                       "org.freedesktop.DBus.ObjectManager",
                                       "GetManagedObjects", NULL,
                                       G_VARIANT_TYPE ("(a{oa{sa{sv}}})"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  return g_variant_get_child_value (reply, 0);
}

/* "job|instance|goal|state|pid,pid" for every instance (and "job||stop|waiting|" for a job
 * without one), sorted: what `list' must show, straight from D-Bus. */
static char *
dbus_state_lines (DBusFixture *fx)
{
  g_autoptr(GVariant) objects = managed_objects (fx);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) busy = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GVariantIter iter;
  const char *path;
  GVariant *ifaces;

  g_variant_iter_init (&iter, objects);
  while (g_variant_iter_loop (&iter, "{&o@a{sa{sv}}}", &path, &ifaces))
    {
      g_autoptr(GVariant) job = g_variant_lookup_value (ifaces, "org.example.Init.Job", NULL);
      const char *name;

      if (job != NULL && g_variant_lookup (job, "Name", "&s", &name))
        g_hash_table_insert (names, (char *) path, (char *) name);
    }
  g_variant_iter_init (&iter, objects);
  while (g_variant_iter_loop (&iter, "{&o@a{sa{sv}}}", &path, &ifaces))
    {
      g_autoptr(GVariant) inst = g_variant_lookup_value (ifaces, "org.example.Init.Instance", NULL);
      g_autoptr(GVariant) procs = NULL;
      g_autoptr(GString) pids = g_string_new (NULL);
      const char *job_path, *name, *goal, *state;

      if (inst == NULL)
        continue;
      g_assert_true (g_variant_lookup (inst, "Job", "&o", &job_path));
      g_assert_true (g_variant_lookup (inst, "Name", "&s", &name));
      g_assert_true (g_variant_lookup (inst, "Goal", "&s", &goal));
      g_assert_true (g_variant_lookup (inst, "State", "&s", &state));
      procs = g_variant_lookup_value (inst, "Processes", G_VARIANT_TYPE ("a(si)"));
      for (gsize i = 0; i < g_variant_n_children (procs); i++)
        {
          gint32 pid;

          g_variant_get_child (procs, i, "(&si)", NULL, &pid);
          g_string_append_printf (pids, "%s%d", i > 0 ? "," : "", pid);
        }
      g_hash_table_add (busy, (char *) job_path);
      g_ptr_array_add (lines, g_strdup_printf ("%s|%s|%s|%s|%s",
                                               (char *) g_hash_table_lookup (names, job_path),
                                               name, goal, state, pids->str));
    }
  {
    GHashTableIter hiter;
    gpointer key, value;

    g_hash_table_iter_init (&hiter, names);
    while (g_hash_table_iter_next (&hiter, &key, &value))
      if (!g_hash_table_contains (busy, key))
        g_ptr_array_add (lines, g_strdup_printf ("%s||stop|waiting|", (char *) value));
  }
  g_ptr_array_sort (lines, compare_strings);
  {
    g_autoptr(GString) text = g_string_new (NULL);

    for (guint i = 0; i < lines->len; i++)
      g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (lines, i));
    return g_string_free (g_steal_pointer (&text), FALSE);
  }
}

#define JSON_STATE_LINES \
  "import json, sys\n" \
  "data = json.load(sys.stdin)\n" \
  "data = data if isinstance(data, list) else [data]\n" \
  "lines = ['%s|%s|%s|%s|%s' % (o['job'], o['instance'], o['goal'], o['state'],\n" \
  "         ','.join(str(p['pid']) for p in o['processes'])) for o in data]\n" \
  "for o in data:\n" \
  "    assert isinstance(o['failed'], bool) and isinstance(o['exit_status'], int)\n" \
  "    assert isinstance(o['respawn_count'], int) and isinstance(o['exit_signal'], str)\n" \
  "print('\\n'.join(sorted(lines)))\n"

/* ---- the command line ---- */

/* --help lists every command and the exit statuses; a command's --help shows its options. */
static void
test_help (void)
{
  const char *const commands[] = {
    "start", "stop", "restart", "reload", "status", "list", "emit", "reload-configuration",
    "reexec", "version", "log-priority", "show-config", "check-config", "usage", "monitor", "events",
    "enable", "disable", "why", "why-not", NULL
  };
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  g_autofree char *help = NULL;
  g_autofree char *help_cmd = NULL;
  g_autofree char *start = NULL;
  g_autofree char *check = NULL;

  g_assert_cmpint (run_initctl (fx, &help, NULL, "--help", NULL), ==, 0);
  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_autofree char *entry = g_strdup_printf ("\n  %s ", commands[i]);
      g_assert_nonnull (strstr (help, entry));
    }
  g_assert_nonnull (strstr (help, "--no-ask-password"));
  g_assert_nonnull (strstr (help, "6 permission denied"));
  g_assert_cmpint (run_initctl (fx, &help_cmd, NULL, "help", NULL), ==, 0);
  g_assert_cmpstr (help_cmd, ==, help);
  g_assert_cmpint (run_initctl (fx, &start, NULL, "start", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (start, "initctl [OPTION…] start JOB [KEY=VALUE]…"));
  g_assert_nonnull (strstr (start, "--no-wait"));
  g_assert_cmpint (run_initctl (fx, &check, NULL, "check-config", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (check, "--ignore-events=LIST"));
  g_assert_nonnull (strstr (check, "--warn"));
  dbus_fixture_free (fx);
}

/* Command-line mistakes: Upstart's messages, the help hint, exit status 1, no bus needed. */
static void
test_usage_errors (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);

  assert_initctl (fx, 1, "", "initctl: missing job name\n" TRY_HELP, "start");
  assert_initctl (fx, 1, "", "initctl: missing job name\n" TRY_HELP, "stop");
  assert_initctl (fx, 1, "", "initctl: missing job name\n" TRY_HELP, "restart");
  assert_initctl (fx, 1, "", "initctl: missing job name\n" TRY_HELP, "reload");
  assert_initctl (fx, 1, "", "initctl: missing job name\n" TRY_HELP, "status");
  assert_initctl (fx, 1, "", "initctl: missing job name\n" TRY_HELP, "usage");
  assert_initctl (fx, 1, "", "initctl: missing event name\n" TRY_HELP, "emit");
  assert_initctl (fx, 1, "", "initctl: missing command\n" TRY_HELP, "--system");
  assert_initctl (fx, 1, "", "initctl: invalid command: frobnicate\n" TRY_HELP, "frobnicate");
  assert_initctl (fx, 1, "", "initctl: Unknown option --frob\n" TRY_HELP, "list", "--frob");
  assert_initctl (fx, 1, "", "initctl: Unknown option --no-wait\n" TRY_HELP, "list", "--no-wait");
  assert_initctl (fx, 1, "", "initctl: unexpected argument: extra\n" TRY_HELP, "list", "extra");
  assert_initctl (fx, 1, "", "initctl: unexpected argument: b\n" TRY_HELP, "usage", "a", "b");
  assert_initctl (fx, 1, "", "initctl: --system and --session are mutually exclusive\n" TRY_HELP,
                  "--system", "--session", "list");
  assert_initctl (fx, 1, "", "initctl: invalid bus name: no good\n" TRY_HELP,
                  "--dest", "no good", "list");
  assert_initctl (fx, 1, "", "initctl: invalid priority: loud (one of debug, info, message, warn, "
                  "error, fatal)\n" TRY_HELP, "log-priority", "loud");
  dbus_fixture_free (fx);
}

/* --version is initctl's own, without the daemon; `version' is the daemon's, Upstart-style. */
static void
test_version (void)
{
  DBusFixture *fx = run_fixture_new (NULL);

  assert_initctl (fx, 0, "initctl (Init " PACKAGE_VERSION ")\n", "", "--version");
  assert_initctl (fx, 0, "init (Init " PACKAGE_VERSION ")\n", "", "version");
  assert_initctl (fx, 0, "", "", "--quiet", "version");
  dbus_fixture_free (fx);
}

/* log-priority shows `message' (initd's fixed level) and refuses to change it clearly. */
static void
test_log_priority (void)
{
  DBusFixture *fx = run_fixture_new (NULL);

  assert_initctl (fx, 0, "message\n", "", "log-priority");
  assert_initctl (fx, 1, "", "initctl: The daemon's log priority cannot be changed while it "
                  "runs; start initd with --verbose or --debug instead\n", "log-priority", "debug");
  dbus_fixture_free (fx);
}

/* Run through a link named after a command, initctl is that command (Upstart's start, stop…),
 * and names itself so in errors. */
static void
test_link_names (void)
{
  DBusFixture *fx = run_fixture_new ((const char *[]) { "svc", "exec sleep 1000\n", NULL });
  g_autofree char *link = dbus_fixture_path (fx, "start");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *start_svc[] = { link, "svc", NULL };
  const char *start_none[] = { link, "nope", NULL };

  g_assert_cmpint (symlink (run_initctl_path (), link), ==, 0);
  g_assert_cmpint (run_argv (fx, NULL, start_svc, &out, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "svc start/running, process "));
  g_assert_cmpint (run_argv (fx, NULL, start_none, NULL, &err), ==, 2);
  g_assert_cmpstr (err, ==, "start: Unknown job: nope\n");
  dbus_fixture_free (fx);
}

/* ---- status and list ---- */

/* The status line in every shape Upstart prints (§6.3, H2). */
static void
test_status_formats (void)
{
  const char *jobs[] = {
    "plain", "exec sleep 1000\n",
    "abstract", "\n",
    "multi", "instance $N\nexec sleep 1000\n",
    "prestart", "pre-start exec sleep 1000\nexec sleep 1000\n",
    "poststart", "post-start exec sleep 1000\nexec sleep 1000\n",
    "poststart-only", "post-start exec sleep 1000\n",
    "prestop", "pre-stop exec sleep 1000\nexec sleep 1000\n",
    "poststop", "post-stop exec sleep 1000\nexec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  assert_initctl (fx, 0, "plain stop/waiting\n", "", "status", "plain");
  assert_initctl (fx, 0, "plain start/running, process N\n", "", "start", "plain");
  assert_initctl (fx, 0, "plain start/running, process N\n", "", "status", "plain");
  assert_initctl (fx, 0, "abstract start/running\n", "", "start", "abstract");
  assert_initctl (fx, 0, "multi (beetroot) start/running, process N\n", "",
                  "start", "multi", "N=beetroot");
  assert_initctl (fx, 0, "multi (beetroot) start/running, process N\n", "",
                  "status", "multi", "N=beetroot");

  assert_initctl (fx, 0, NULL, "", "start", "--no-wait", "prestart");
  g_assert_true (run_wait_status (fx, "prestart", "prestart start/pre-start, process N\n",
                                  WAIT_MS));

  assert_initctl (fx, 0, NULL, "", "start", "--no-wait", "poststart");
  g_assert_true (run_wait_status (fx, "poststart", "poststart start/post-start, process N\n"
                                  "\tpost-start process N\n", WAIT_MS));
  assert_initctl (fx, 0, NULL, "", "start", "--no-wait", "poststart-only");
  g_assert_true (run_wait_status (fx, "poststart-only",
                                  "poststart-only start/post-start, (post-start) process N\n",
                                  WAIT_MS));

  assert_initctl (fx, 0, NULL, "", "start", "prestop");
  assert_initctl (fx, 0, NULL, "", "stop", "--no-wait", "prestop");
  g_assert_true (run_wait_status (fx, "prestop", "prestop stop/pre-stop, process N\n"
                                  "\tpre-stop process N\n", WAIT_MS));

  /* A restart runs post-stop with the goal already back at start. */
  assert_initctl (fx, 0, NULL, "", "start", "poststop");
  assert_initctl (fx, 0, NULL, "", "restart", "--no-wait", "poststop");
  g_assert_true (run_wait_status (fx, "poststop", "poststop start/post-stop, process N\n",
                                  WAIT_MS));
  dbus_fixture_free (fx);
}

/* status errors: unknown job (2), an instance that does not exist (3), an instance name the
 * arguments cannot give (1, with the job's usage). */
static void
test_status_errors (void)
{
  const char *jobs[] = {
    "multi", "instance $N\nusage \"multi N=<name>\"\nexec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  assert_initctl (fx, 2, "", "initctl: Unknown job: nope\n", "status", "nope");
  assert_initctl (fx, 2, "", "initctl: Unknown job: nope (org.example.Init.Error.UnknownJob)\n",
                  "-v", "status", "nope");
  assert_initctl (fx, 3, "", "initctl: Unknown instance: a\n", "status", "multi", "N=a");
  assert_initctl (fx, 1, "", "initctl: Unknown parameter: N\nUsage: multi N=<name>\n",
                  "status", "multi");
  dbus_fixture_free (fx);
}

/* status --json: one object that parses and says what D-Bus says. */
static void
test_status_json (void)
{
  DBusFixture *fx = run_fixture_new ((const char *[]) { "svc", "exec sleep 1000\n", NULL });
  g_autofree char *json = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *state = NULL;
  g_autofree char *stopped = NULL;

  assert_initctl (fx, 0, NULL, "", "start", "svc");
  g_assert_cmpint (run_initctl (fx, &json, NULL, "status", "--json", "svc", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (json, "{\"job\":\"svc\",\"instance\":\"\",\"goal\":\"start\""));
  lines = run_python (JSON_STATE_LINES, json);
  state = dbus_state_lines (fx);
  g_assert_cmpstr (lines, ==, state);

  g_clear_pointer (&json, g_free);
  assert_initctl (fx, 0, NULL, "", "stop", "svc");
  g_assert_cmpint (run_initctl (fx, &json, NULL, "status", "--json", "svc", NULL), ==, 0);
  stopped = run_python (JSON_STATE_LINES, json);
  g_assert_cmpstr (stopped, ==, "svc||stop|waiting|\n");
  dbus_fixture_free (fx);
}

/* list: every job, sorted by name, instances by name, stop/waiting for idle jobs (H1). */
static void
test_list (void)
{
  const char *jobs[] = {
    "foo", "\n", "bar", "\n", "baz", "\n",
    "multi", "instance $N\nexec sleep 1000\n",
    "net/apache", "exec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *json = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *state = NULL;

  assert_initctl (fx, 0, "bar stop/waiting\nbaz stop/waiting\nfoo stop/waiting\n"
                  "multi stop/waiting\nnet/apache stop/waiting\n", "", "list");
  assert_initctl (fx, 0, NULL, "", "start", "multi", "N=zz");
  assert_initctl (fx, 0, NULL, "", "start", "multi", "N=a b");
  assert_initctl (fx, 0, NULL, "", "start", "net/apache");
  assert_initctl (fx, 0, NULL, "", "start", "foo");
  assert_initctl (fx, 0,
                  "bar stop/waiting\n"
                  "baz stop/waiting\n"
                  "foo start/running\n"
                  "multi (a b) start/running, process N\n"
                  "multi (zz) start/running, process N\n"
                  "net/apache start/running, process N\n", "", "list");
  assert_initctl (fx, 0, "", "", "-q", "list");

  g_assert_cmpint (run_initctl (fx, &json, NULL, "list", "--json", NULL), ==, 0);
  lines = run_python (JSON_STATE_LINES, json);
  state = dbus_state_lines (fx);
  g_assert_cmpstr (lines, ==, state);
  dbus_fixture_free (fx);
}

/* ---- start, stop, restart, reload ---- */

/* The job verbs: their output, Upstart's errors and the documented exit statuses. */
static void
test_start_stop_restart (void)
{
  const char *jobs[] = {
    "svc", "exec sleep 1000\n",
    "task", "task\nexec true\n",
    "failing-task", "task\nexec sh -c 'exit 3'\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  assert_initctl (fx, 0, "svc start/running, process N\n", "", "start", "svc");
  assert_initctl (fx, 4, "", "initctl: Job is already running: svc\n", "start", "svc");
  g_assert_cmpint (run_initctl (fx, &first, NULL, "status", "svc", NULL), ==, 0);
  assert_initctl (fx, 0, "svc start/running, process N\n", "", "restart", "svc");
  g_assert_cmpint (run_initctl (fx, &second, NULL, "status", "svc", NULL), ==, 0);
  g_assert_cmpstr (first, !=, second);
  assert_initctl (fx, 0, "svc stop/waiting\n", "", "stop", "svc");
  assert_initctl (fx, 3, "", "initctl: Unknown instance: \n", "stop", "svc");
  assert_initctl (fx, 3, "", "initctl: Unknown instance: \n", "restart", "svc");
  assert_initctl (fx, 2, "", "initctl: Unknown job: nope\n", "start", "nope");
  assert_initctl (fx, 2, "", "initctl: Unknown job: nope\n", "stop", "nope");

  /* A task: start returns once it has finished, and it is gone by then. */
  assert_initctl (fx, 0, "task stop/waiting\n", "", "start", "task");
  assert_initctl (fx, 5, "", "initctl: Job failed to start: failing-task: main process "
                  "terminated with status 3\n", "start", "failing-task");

  /* -q: errors only. */
  assert_initctl (fx, 0, "", "", "-q", "start", "svc");
  assert_initctl (fx, 0, "", "", "stop", "svc", "--quiet");
  /* Bad environment entries are refused by the daemon before anything happens. */
  assert_initctl (fx, 1, "", NULL, "start", "svc", "NOEQUALS");
  assert_initctl (fx, 0, "svc stop/waiting\n", "", "status", "svc");
  dbus_fixture_free (fx);
}

/* --no-wait returns once the goal has changed: the job is still on its way. */
static void
test_no_wait (void)
{
  const char *jobs[] = { "slow", "pre-start exec sleep 2\nexec sleep 1000\n", NULL };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *out = NULL;

  g_assert_cmpint (run_initctl (fx, &out, NULL, "start", "-n", "slow", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "slow start/"));
  g_assert_false (g_str_has_prefix (out, "slow start/running"));
  assert_initctl (fx, 0, NULL, "", "stop", "--no-wait", "slow");
  g_assert_true (run_wait_status (fx, "slow", "slow stop/waiting\n", WAIT_MS));
  dbus_fixture_free (fx);
}

/* reload sends SIGHUP to the main process; without one it is `not running' (3). */
static void
test_reload (void)
{
  const char *jobs[] = {
    "hup", "script\n  trap 'echo hup > @DIR@/hup; exit 0' HUP\n  while true; do sleep 0.1; done\n"
    "end script\n",
    "abstract", "\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *hup = dbus_fixture_path (fx, "hup");
  g_autofree char *text = NULL;

  assert_initctl (fx, 3, "", "initctl: Unknown instance: \n", "reload", "hup");
  assert_initctl (fx, 0, NULL, "", "start", "hup");
  assert_initctl (fx, 0, "", "", "reload", "hup");
  g_assert_true (run_wait_for_file (hup, WAIT_MS));
  text = test_util_read_file (hup);
  g_assert_cmpstr (text, ==, "hup\n");
  assert_initctl (fx, 0, NULL, "", "start", "abstract");
  assert_initctl (fx, 3, "", "initctl: Job is not running: abstract\n", "reload", "abstract");
  assert_initctl (fx, 2, "", "initctl: Unknown job: nope\n", "reload", "nope");
  dbus_fixture_free (fx);
}

/* usage prints the job's usage text, or an empty one (H7). */
static void
test_usage (void)
{
  const char *jobs[] = {
    "foo", "usage \"this is usage\"\n",
    "bar", "\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  assert_initctl (fx, 0, "Usage: this is usage\n", "", "usage", "foo");
  assert_initctl (fx, 0, "Usage: \n", "", "usage", "bar");
  assert_initctl (fx, 2, "", "initctl: Unknown job: nope\n", "usage", "nope");
  dbus_fixture_free (fx);
}

/* ---- events and configuration ---- */

/* emit: silent on success; the daemon's refusals of bad names and environments (1). */
static void
test_emit (void)
{
  const char *jobs[] = {
    "weather", "start on weather\ntask\n"
    "script\n  echo \"$KIND $WIND\" > @DIR@/weather\nend script\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *path = dbus_fixture_path (fx, "weather");
  g_autofree char *text = NULL;

  assert_initctl (fx, 0, "", "", "emit", "weather", "KIND=rain", "WIND=a b");
  text = test_util_read_file (path);
  g_assert_cmpstr (text, ==, "rain a b\n");
  assert_initctl (fx, 0, "", "", "emit", "--no-wait", "nobody-listens");
  assert_initctl (fx, 1, "", "initctl: Event name may not be empty\n", "emit", "");
  assert_initctl (fx, 1, "", NULL, "emit", "two words");
  assert_initctl (fx, 1, "", NULL, "emit", "weather", "NOEQUALS");
  assert_initctl (fx, 0, "", "", "emit", "--", "weather", "KIND=-x");
  dbus_fixture_free (fx);
}

/* reload-configuration: silent; new files are there afterwards. */
static void
test_reload_configuration (void)
{
  DBusFixture *fx = run_fixture_new ((const char *[]) { "one", "\n", NULL });

  assert_initctl (fx, 0, "", "", "reload-configuration");
  assert_initctl (fx, 1, "", "initctl: unexpected argument: now\n" TRY_HELP,
                  "reload-configuration", "now");
  dbus_fixture_free (fx);
}

#define H5_JOB \
  "emits wibble\nemits wobble\nemits waggle\n" \
  "start on A and (B FOO=BAR or starting C x=y)\n" \
  "stop on D or (stopping E JOB=bar or F BAZ=QUX)\n"

/* show-config: Upstart's layout (H5, 6 lines), -e (10 lines), all jobs sorted. */
static void
test_show_config (void)
{
  const char *jobs[] = {
    "foo", H5_JOB,
    "bar", "start on stopped foo\n",
    "baz", "\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  assert_initctl (fx, 0,
                  "foo\n"
                  "  emits wibble\n"
                  "  emits wobble\n"
                  "  emits waggle\n"
                  "  start on (A and (B FOO=BAR or starting C x=y))\n"
                  "  stop on (D or (stopping E JOB=bar or F BAZ=QUX))\n", "",
                  "show-config", "foo");
  assert_initctl (fx, 0,
                  "foo\n"
                  "  emits wibble\n"
                  "  emits wobble\n"
                  "  emits waggle\n"
                  "  start on A (job:, env:)\n"
                  "  start on B (job:, env: FOO=BAR)\n"
                  "  start on starting (job: C, env: x=y)\n"
                  "  stop on D (job:, env:)\n"
                  "  stop on stopping (job: E, env: JOB=bar)\n"
                  "  stop on F (job:, env: BAZ=QUX)\n", "",
                  "show-config", "-e", "foo");
  assert_initctl (fx, 0,
                  "bar\n"
                  "  start on stopped foo\n"
                  "baz\n"
                  "foo\n"
                  "  emits wibble\n"
                  "  emits wobble\n"
                  "  emits waggle\n"
                  "  start on (A and (B FOO=BAR or starting C x=y))\n"
                  "  stop on (D or (stopping E JOB=bar or F BAZ=QUX))\n", "",
                  "show-config");
  assert_initctl (fx, 0, "bar\n  start on stopped (job: foo, env:)\n", "",
                  "show-config", "--enumerate", "bar");
  assert_initctl (fx, 2, "", "initctl: Unknown job: nope\n", "show-config", "nope");
  dbus_fixture_free (fx);
}

/* show-config --json parses and carries the same facts. */
static void
test_show_config_json (void)
{
  const char *jobs[] = { "foo", H5_JOB, "bar", "task\nstart on stopped foo\n", NULL };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;

  g_assert_cmpint (run_initctl (fx, &json, NULL, "show-config", "--json", NULL), ==, 0);
  summary = run_python ("import json, sys\n"
                        "for j in json.load(sys.stdin):\n"
                        "    print(j['name'], j['task'], ','.join(j['emits']), '|',\n"
                        "          j['start_on'], '|', j['stop_on'], '|',\n"
                        "          ' '.join('%s/%s/%s' % (e['event'], e['job'],\n"
                        "                                 ','.join(e['env']))\n"
                        "                   for e in j['start_on_events']))\n",
                        json);
  g_assert_cmpstr (summary, ==,
                   "bar True  | stopped foo |  | stopped/foo/\n"
                   "foo False wibble,wobble,waggle | (A and (B FOO=BAR or starting C x=y)) | "
                   "(D or (stopping E JOB=bar or F BAZ=QUX)) | A// B//FOO=BAR starting/C/x=y\n");
  dbus_fixture_free (fx);
}

/* check-config: Upstart's algorithm and output (H6), -i/--ignore-events, -w/--warn, one job,
 * variables for job names, `emits' globs. */
static void
test_check_config (void)
{
  const char *jobs[] = {
    "foo", "start on (starting bar and wibble)\n",
    "bar", "task\n",
    "ender", "start on session-end\n",   /* a built-in event of session daemons */
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  assert_initctl (fx, 1, "foo\n  start on: unknown event wibble\n", "", "check-config");
  assert_initctl (fx, 0, "", "", "check-config", "--ignore-events=wibble");
  assert_initctl (fx, 0, "", "", "check-config", "-i", "other,wibble");
  assert_initctl (fx, 1, "foo\n  start on: unknown event wibble\n", "", "check-config", "foo");
  assert_initctl (fx, 0, "", "", "check-config", "bar");
  assert_initctl (fx, 2, "", "initctl: Invalid job class: nope\n", "check-config", "nope");

  run_write_job (fx, "foo", "start on starting nosuchjob or wibble\nstop on stopped $OTHER\n");
  run_write_job (fx, "bar", "task\nemits wib*\n");
  run_write_job (fx, "baz", "start on stopped JOB=ghost\n");
  assert_initctl (fx, 0, NULL, "", "reload-configuration");
  /* `or' is satisfied by one reachable side, unless --warn. */
  assert_initctl (fx, 1, "baz\n  start on: unknown job ghost\n", "", "check-config");
  assert_initctl (fx, 1, "baz\n  start on: unknown job ghost\n"
                  "foo\n  start on: unknown job nosuchjob\n", "", "check-config", "--warn");
  dbus_fixture_free (fx);
}

/* ---- connections ---- */

/* Without options initctl uses the system bus (as Upstart); --session the session bus. */
static void
test_connection_buses (void)
{
  DBusFixture *fx = run_fixture_new (NULL);
  const char *nowhere_session[] = { "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent", NULL };
  const char *nowhere_system[] = { "DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent", NULL };
  const char *version[] = { "initctl", "version", NULL };
  const char *session_version[] = { "initctl", "--session", "version", NULL };
  const char *user_version[] = { "initctl", "version", "--user", NULL };
  const char *system_version[] = { "initctl", "--system", "version", NULL };
  RunOptions no_session = { nowhere_session, NULL, FALSE };
  RunOptions no_system = { nowhere_system, NULL, FALSE };
  g_autofree char *err = NULL;

  g_assert_cmpint (run_argv (fx, &no_session, version, NULL, NULL), ==, 0);
  g_assert_cmpint (run_argv (fx, &no_session, system_version, NULL, NULL), ==, 0);
  g_assert_cmpint (run_argv (fx, &no_system, session_version, NULL, NULL), ==, 0);
  g_assert_cmpint (run_argv (fx, &no_system, user_version, NULL, NULL), ==, 0);
  g_assert_cmpint (run_argv (fx, &no_system, version, NULL, &err), ==, 7);
  g_assert_true (g_str_has_prefix (err, "initctl: Unable to connect to system bus: "));
  g_assert_cmpint (strchr (err, '\n')[1], ==, '\0');
  dbus_fixture_free (fx);
}

/* $INIT_DBUS_ADDRESS (set by initd for its jobs) is used unless a bus is named. */
static void
test_connection_init_dbus_address (void)
{
  DBusFixture *fx = run_fixture_new (NULL);
  g_autofree char *addr = g_strconcat ("INIT_DBUS_ADDRESS=", fx->address, NULL);
  const char *env[] = {
    "DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent",
    "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent",
    addr, "INIT_DBUS_MODE=session", NULL
  };
  const char *bad_env[] = { "INIT_DBUS_ADDRESS=unix:path=/nonexistent", NULL };
  const char *version[] = { "initctl", "version", NULL };
  const char *system_version[] = { "initctl", "--system", "version", NULL };
  RunOptions opts = { env, NULL, FALSE };
  RunOptions bad = { bad_env, NULL, FALSE };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_argv (fx, &opts, version, &out, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "init (Init " PACKAGE_VERSION ")\n");
  g_assert_cmpint (run_argv (fx, &opts, system_version, NULL, NULL), ==, 7);
  g_assert_cmpint (run_argv (fx, &bad, version, NULL, &err), ==, 7);
  g_assert_true (g_str_has_prefix (err, "initctl: Unable to connect to the bus at "
                                   "$INIT_DBUS_ADDRESS (unix:path=/nonexistent): "));
  /* A bus named on the command line wins. */
  g_assert_cmpint (run_argv (fx, &bad, system_version, NULL, NULL), ==, 0);
  dbus_fixture_free (fx);
}

/* enable/disable: silent on success; a disabled job is not started by its event but can be
 * started by hand; the state is in the files, so it survives a restart of the daemon; bad
 * input gets Upstart-style messages. */
static void
test_enable_disable (void)
{
  const char *jobs[] = {
    "t", "start on go\ntask\nexec true\n",
    "fixed", "start on go\nmanual\nexec true\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *override = g_build_filename (fx->confdir, "t.override", NULL);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;

  assert_initctl (fx, 0, "", "", "disable", "t");
  g_assert_true (g_file_get_contents (override, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "manual\n");
  assert_initctl (fx, 0, "", "", "disable", "t");
  assert_initctl (fx, 0, "", "", "emit", "go");
  assert_initctl (fx, 0, "t stop/waiting\n", "", "status", "t");

  /* still disabled after a restart of the daemon */
  dbus_fixture_stop_initd (fx);
  dbus_fixture_start_initd (fx, NULL, NULL);
  g_assert_cmpint (run_initctl (fx, &out, NULL, "show-config", "t", NULL), ==, 0);
  g_assert_null (strstr (out, "start on go"));

  assert_initctl (fx, 0, "", "", "enable", "t");
  g_assert_false (g_file_test (override, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_initctl (fx, &out, NULL, "show-config", "t", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "start on go"));

  assert_initctl (fx, 1, "", "initctl: missing job name\n" TRY_HELP, "enable");
  assert_initctl (fx, 1, "", "initctl: unexpected argument: x\n" TRY_HELP, "disable", "t", "x");
  assert_initctl (fx, 2, "", "initctl: Unknown job: nope\n", "disable", "nope");
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run_initctl (fx, NULL, &err, "enable", "fixed", NULL), !=, 0);
    g_assert_nonnull (strstr (err, "fixed.conf says manual itself"));
  }
  dbus_fixture_free (fx);
}

/* check-config --file: a file not yet installed, checked by the daemon against the loaded
 * jobs, printed as compilers print (FILE:LINE:COLUMN: severity: message, then a note with
 * the suggestion); exit status 1 when anything was found, 0 when nothing; nothing loaded. */
static void
test_check_config_file (void)
{
  const char *jobs[] = { "producer", "emits weather\n", NULL };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *bad = g_build_filename (fx->dir, "new.conf", NULL);
  g_autofree char *good = g_build_filename (fx->dir, "good.conf", NULL);
  g_autofree char *expected = NULL;

  test_util_write_file (fx->dir, "new.conf", "task\nrespwn\nexec true\n");
  test_util_write_file (fx->dir, "good.conf", "start on weather\nexec true\n");
  expected = g_strdup_printf ("%s:2:1: error: Unknown stanza\n"
                              "%s:2:1: note: did you mean “respawn”?\n", bad, bad);
  assert_initctl (fx, 1, expected, "", "check-config", "--file", bad);
  assert_initctl (fx, 0, "", "", "check-config", "-f", good);
  assert_initctl (fx, 1, "", "initctl: unexpected argument: producer\n" TRY_HELP,
                  "check-config", "--file", good, "producer");
  assert_initctl (fx, 0, "producer stop/waiting\n", "", "list");
  dbus_fixture_free (fx);
}

/* --dest names another daemon; a daemon that is not there is exit status 7. */
static void
test_connection_dest_and_no_daemon (void)
{
  DBusFixture *fx = run_fixture_new ((const char *[]) { "svc", "\n", NULL });

  assert_initctl (fx, 0, "init (Init " PACKAGE_VERSION ")\n", "", "--dest", "org.example.Init",
                  "version");
  assert_initctl (fx, 7, "", "initctl: Unable to connect to the init daemon: org.example.Other "
                  "is not running on the system bus\n",
                  "--dest=org.example.Other", "status", "svc");
  dbus_fixture_stop_initd (fx);
  assert_initctl (fx, 7, "", "initctl: Unable to connect to the init daemon: org.example.Init "
                  "is not running on the session bus\n", "--session", "start", "svc");
  assert_initctl (fx, 7, "", NULL, "list");
  assert_initctl (fx, 7, "", NULL, "emit", "x");
  dbus_fixture_free (fx);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/initctl/cli/help", test_help);
  g_test_add_func ("/initctl/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/initctl/cli/version", test_version);
  g_test_add_func ("/initctl/cli/log-priority", test_log_priority);
  g_test_add_func ("/initctl/cli/link-names", test_link_names);
  g_test_add_func ("/initctl/status/formats", test_status_formats);
  g_test_add_func ("/initctl/status/errors", test_status_errors);
  g_test_add_func ("/initctl/status/json", test_status_json);
  g_test_add_func ("/initctl/list", test_list);
  g_test_add_func ("/initctl/enable-disable", test_enable_disable);
  g_test_add_func ("/initctl/check-config/file", test_check_config_file);
  g_test_add_func ("/initctl/jobs/start-stop-restart", test_start_stop_restart);
  g_test_add_func ("/initctl/jobs/no-wait", test_no_wait);
  g_test_add_func ("/initctl/jobs/reload", test_reload);
  g_test_add_func ("/initctl/jobs/usage", test_usage);
  g_test_add_func ("/initctl/events/emit", test_emit);
  g_test_add_func ("/initctl/config/reload-configuration", test_reload_configuration);
  g_test_add_func ("/initctl/config/show-config", test_show_config);
  g_test_add_func ("/initctl/config/show-config-json", test_show_config_json);
  g_test_add_func ("/initctl/config/check-config", test_check_config);
  g_test_add_func ("/initctl/connection/buses", test_connection_buses);
  g_test_add_func ("/initctl/connection/init-dbus-address", test_connection_init_dbus_address);
  g_test_add_func ("/initctl/connection/dest-and-no-daemon", test_connection_dest_and_no_daemon);
  test_initctl_live_register ();
  test_initctl_seed_register ();
  test_initctl_auth_register ();
  test_initctl_tree_register ();
  test_initctl_why_register ();
  test_initctl_upstart_register ();

  return g_test_run ();
}
