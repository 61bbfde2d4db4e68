/* test-robust.c — initd --system against bad calls (wrong types, unknown names, invalid and
 * oversized input, junk) from C, gdbus and busctl, and against losing its bus */
#define G_LOG_DOMAIN "test-robust"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "test-util.h"

#define NAME      "org.example.Init"
#define MANAGER   "/org/example/Init"
#define JOBS      "/org/example/Init/jobs/"
#define I_MANAGER "org.example.Init"
#define I_JOB     "org.example.Init.Job"
#define I_INST    "org.example.Init.Instance"
#define E         "org.example.Init.Error."
#define INVALID_ARGS "org.freedesktop.DBus.Error.InvalidArgs"

static struct
{
  DBusFixture *fx;
} env;

static const char svc_job[] =
  "exec /bin/sh -c 'trap \"\" HUP; while :; do sleep 1; done'\n";

/* ---- calls ---- */

/* Call as root from the test's own connection; returns the reply or NULL with the D-Bus
 * error name in *@name and the message in *@message. */
static GVariant *
call_full (const char *path,
           const char *iface,
           const char *method,
           GVariant   *params,
           char      **name,
           char      **message)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (env.fx->connection, NAME, path, iface, method, params,
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 60000, NULL, &error);
  if (reply == NULL)
    {
      g_assert_true (g_dbus_error_is_remote_error (error));
      *name = g_dbus_error_get_remote_error (error);
      g_dbus_error_strip_remote_error (error);
      *message = g_strdup (error->message);
    }
  return reply;
}

/* Assert the call fails with @error_name (and, if given, a message containing @needle). */
static void
expect_error (const char *path,
              const char *iface,
              const char *method,
              GVariant   *params,
              const char *error_name,
              const char *needle)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GVariant) reply = call_full (path, iface, method, params, &name, &message);

  if (reply != NULL)
    {
      g_autofree char *text = g_variant_print (reply, FALSE);
      g_error ("%s.%s: expected %s, got %s", iface, method, error_name, text);
    }
  g_test_message ("%s.%s -> %s: %.200s", iface, method, name, message);
  g_assert_cmpstr (name, ==, error_name);
  if (needle != NULL && strstr (message, needle) == NULL)
    g_error ("%s: message \"%s\" lacks \"%s\"", name, message, needle);
}

static GVariant *
call_ok (const char *path,
         const char *iface,
         const char *method,
         GVariant   *params)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  GVariant *reply = call_full (path, iface, method, params, &name, &message);

  if (reply == NULL)
    g_error ("%s.%s failed: %s: %s", iface, method, name, message);
  return reply;
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *r)
{
  g_free (r->out);
  g_free (r->err);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static Run *
run (const char *const *argv)
{
  Run *r = g_new0 (Run, 1);
  g_autofree char *joined = g_strjoinv (" ", (char **) argv);
  /* The TAP log must stay UTF-8 even when an argument is deliberately not. */
  g_autofree char *text = g_utf8_make_valid (joined, -1);

  r->status = dbus_fixture_run (env.fx, argv, &r->out, &r->err);
  g_test_message ("$ %.300s -> %d %s%.300s", text, r->status, r->out, r->err);
  return r;
}

/* ---- the daemon's state ---- */

static GVariant *
get_property (const char *path,
              const char *iface,
              const char *property)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GVariant) reply = call_full (path, "org.freedesktop.DBus.Properties", "Get",
                                         g_variant_new ("(ss)", iface, property), &name, &message);
  GVariant *value = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(v)", &value);
  return value;
}

static char *
instance_state (const char *job)
{
  g_autofree char *path = g_strconcat (JOBS, job, "/_", NULL);
  g_autoptr(GVariant) v = get_property (path, I_INST, "State");

  return v != NULL ? g_variant_dup_string (v, NULL) : NULL;
}

static int
main_pid (const char *job)
{
  g_autofree char *path = g_strconcat (JOBS, job, "/_", NULL);
  g_autoptr(GVariant) v = get_property (path, I_INST, "Processes");
  GVariantIter iter;
  const char *name;
  int pid;

  if (v == NULL)
    return 0;
  g_variant_iter_init (&iter, v);
  while (g_variant_iter_next (&iter, "(&si)", &name, &pid))
    if (g_str_equal (name, "main"))
      return pid;
  return 0;
}

static guint64
history_last_id (void)
{
  g_autoptr(GVariant) reply = call_ok (MANAGER, I_MANAGER, "GetHistory",
                                       g_variant_new ("(tu)", G_MAXUINT64, 1));
  guint64 last = 0;

  g_variant_get (reply, "(@a(ttssa{sv})t)", NULL, &last);
  return last;
}

static char *
history_since (guint64 after)
{
  g_autoptr(GVariant) reply = call_ok (MANAGER, I_MANAGER, "GetHistory",
                                       g_variant_new ("(tu)", after, 0));
  g_autoptr(GVariant) records = NULL;

  g_variant_get (reply, "(@a(ttssa{sv})t)", &records, NULL);
  return g_variant_print (records, FALSE);
}

static void
start_job (const char *job)
{
  g_autofree char *path = g_strconcat (JOBS, job, NULL);
  g_autoptr(GVariant) reply = call_ok (path, I_JOB, "Start",
                                       g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE));
}

/* Before each case: svc runs; after: it is the very same process, nothing new happened in
 * the history, and the daemon still answers. */
typedef struct
{
  int     pid;
  guint64 last;
} Snapshot;

static Snapshot
snapshot (void)
{
  Snapshot s;
  g_autofree char *state = instance_state ("svc");

  if (g_strcmp0 (state, "running") != 0)
    start_job ("svc");
  s.pid = main_pid ("svc");
  g_assert_cmpint (s.pid, >, 0);
  s.last = history_last_id ();
  return s;
}

static void
assert_unaffected (Snapshot s)
{
  g_autoptr(GVariant) jobs = call_ok (MANAGER, I_MANAGER, "GetAllJobs", NULL);
  g_autofree char *state = instance_state ("svc");

  g_assert_cmpstr (state, ==, "running");
  g_assert_cmpint (main_pid ("svc"), ==, s.pid);
  g_assert_true (test_util_pid_alive (s.pid));
  if (history_last_id () != s.last)
    {
      g_autofree char *since = history_since (s.last);
      g_error ("bad calls changed the history: %s", since);
    }
  g_assert_cmpint (dbus_fixture_get_initd_pid (env.fx), >, 0);
}

/* ---- tests ---- */

/* Arguments of the wrong type, too many or too few: GDBus's InvalidArgs for every method
 * (the generated skeleton checks signatures before initd's code runs). */
static void
test_wrong_types (void)
{
  Snapshot s = snapshot ();
  struct { const char *path, *iface, *method; const char *params; } calls[] = {
    { MANAGER, I_MANAGER, "EmitEvent", "(42,)" },
    { MANAGER, I_MANAGER, "EmitEvent", "('ev',)" },
    { MANAGER, I_MANAGER, "EmitEvent", "('ev', ['A=1'], true, 'extra')" },
    { MANAGER, I_MANAGER, "EmitEvent", "('ev', 'A=1', true)" },
    { MANAGER, I_MANAGER, "GetJobByName", "(@o '/svc',)" },
    { MANAGER, I_MANAGER, "GetHistory", "('0', uint32 0)" },
    { MANAGER, I_MANAGER, "GetAllJobs", "(true,)" },
    { MANAGER, I_MANAGER, "ReloadConfiguration", "(1,)" },
    { JOBS "svc", I_JOB, "Start", "(['A=1'], 'yes')" },
    { JOBS "svc", I_JOB, "Stop", "(@as [],)" },
    { JOBS "svc", I_JOB, "Restart", "(true, @as [])" },
    { JOBS "svc", I_JOB, "GetInstance", "('x',)" },
    { JOBS "svc", I_JOB, "GetInstanceByName", "(@as [],)" },
    { JOBS "svc/_", I_INST, "Stop", "(@as [],)" },
    { JOBS "svc/_", I_INST, "Restart", "(1,)" },
    { JOBS "svc/_", I_INST, "Reload", "(true,)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(GError) error = NULL;
      /* Not floating: the call takes a reference of its own. */
      g_autoptr(GVariant) params = g_variant_parse (NULL, calls[i].params, NULL, NULL, &error);

      g_assert_no_error (error);
      expect_error (calls[i].path, calls[i].iface, calls[i].method, params, INVALID_ARGS,
                    "does not match expected type");
    }
  /* GDBus answers a Properties call of the wrong signature as if the interface were
   * missing: still a named error, and initd never sees it. */
  expect_error (MANAGER, "org.freedesktop.DBus.Properties", "Get", g_variant_new ("(ii)", 1, 2),
                "org.freedesktop.DBus.Error.UnknownMethod", NULL);
  /* The same with busctl, as a user would mistype it. */
  {
    const char *argv[] = { "busctl", "--system", "call", NAME, MANAGER, I_MANAGER, "EmitEvent",
                           "s", "ev", NULL };
    g_autoptr(Run) r = run (argv);

    g_assert_cmpint (r->status, !=, 0);
    g_assert_nonnull (strstr (r->err, "does not match expected type"));
  }
  {
    const char *argv[] = { "busctl", "--system", "call", NAME, JOBS "svc", I_JOB, "Start",
                           "ib", "3", "true", NULL };
    g_autoptr(Run) r = run (argv);

    g_assert_cmpint (r->status, !=, 0);
    g_assert_nonnull (strstr (r->err, "does not match expected type"));
  }
  assert_unaffected (s);
}

/* Unknown jobs, instances, objects and members each get their own named error. */
static void
test_unknown_names (void)
{
  Snapshot s = snapshot ();

  expect_error (MANAGER, I_MANAGER, "GetJobByName", g_variant_new ("(s)", "nope"),
                E "UnknownJob", "nope");
  expect_error (MANAGER, I_MANAGER, "GetJobByName", g_variant_new ("(s)", ""), E "UnknownJob", NULL);
  expect_error (JOBS "svc", I_JOB, "GetInstanceByName", g_variant_new ("(s)", "other"),
                E "UnknownInstance", NULL);
  expect_error (JOBS "task", I_JOB, "Stop", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE),
                E "UnknownInstance", NULL);
  expect_error (JOBS "task", I_JOB, "GetInstance", g_variant_new ("(^as)", (const char *[]) { NULL }),
                E "UnknownInstance", NULL);
  expect_error (JOBS "nope", I_JOB, "Start", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE),
                "org.freedesktop.DBus.Error.UnknownMethod", "Object does not exist");
  expect_error (MANAGER, I_MANAGER, "NoSuchMethod", NULL, "org.freedesktop.DBus.Error.UnknownMethod", NULL);
  expect_error (MANAGER, "org.freedesktop.DBus.Properties", "Get",
                g_variant_new ("(ss)", I_MANAGER, "NoSuchProperty"),
                INVALID_ARGS, NULL);
  {
    const char *argv[] = { "gdbus", "call", "--system", "--dest", NAME, "--object-path", MANAGER,
                           "--method", I_MANAGER ".GetJobByName", "no/such/job", NULL };
    g_autoptr(Run) r = run (argv);

    g_assert_cmpint (r->status, !=, 0);
    g_assert_true (g_str_has_prefix (r->err, "Error: GDBus.Error:" E "UnknownJob: "));
  }
  /* Already started / stopped are errors too, and change nothing. */
  expect_error (JOBS "svc", I_JOB, "Start", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE),
                E "AlreadyStarted", NULL);
  expect_error (JOBS "task", I_JOB, "Restart", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE),
                E "UnknownInstance", NULL);
  assert_unaffected (s);
}

/* Environment entries that are not KEY=VALUE with a valid key are refused as
 * InvalidEnvironment, by EmitEvent and by every verb that takes an environment. */
static void
test_invalid_env (void)
{
  Snapshot s = snapshot ();
  const char *bad[] = { "NOEQUALS", "=value", "1KEY=x", "KEY WITH SPACE=x", "K-Y=x", "K\x01=x", "", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      const char *entries[] = { "GOOD=1", bad[i], NULL };

      expect_error (MANAGER, I_MANAGER, "EmitEvent", g_variant_new ("(s^asb)", "ev", entries, FALSE),
                    E "InvalidEnvironment", NULL);
      expect_error (JOBS "task", I_JOB, "Start", g_variant_new ("(^asb)", entries, TRUE),
                    E "InvalidEnvironment", NULL);
      expect_error (JOBS "svc", I_JOB, "Stop", g_variant_new ("(^asb)", entries, TRUE),
                    E "InvalidEnvironment", NULL);
      expect_error (JOBS "svc", I_JOB, "Restart", g_variant_new ("(^asb)", entries, TRUE),
                    E "InvalidEnvironment", NULL);
    }
  {
    const char *argv[] = { "busctl", "--system", "call", NAME, MANAGER, I_MANAGER, "EmitEvent",
                           "sasb", "ev", "1", "NO_EQUALS_SIGN", "false", NULL };
    g_autoptr(Run) r = run (argv);

    g_assert_cmpint (r->status, !=, 0);
    g_assert_nonnull (strstr (r->err, "KEY=VALUE"));
  }
  /* Strings on D-Bus are UTF-8 by definition: busctl refuses to send a non-UTF-8 entry, so
   * it can never reach initd. */
  {
    const char *argv[] = { "busctl", "--system", "call", NAME, MANAGER, I_MANAGER, "EmitEvent",
                           "sasb", "ev", "1", "A=\xff\xfe", "false", NULL };
    g_autoptr(Run) r = run (argv);

    g_assert_cmpint (r->status, !=, 0);
    g_assert_nonnull (strstr (r->err, "Invalid argument"));
  }
  assert_unaffected (s);
}

/* Oversized input: 100,000 environment entries, one entry over 64 KiB, names of megabytes;
 * each a named error, the daemon unharmed. */
static void
test_oversized (void)
{
  Snapshot s = snapshot ();
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *long_value = NULL;
  g_autofree char *huge = g_strnfill (8 * 1024 * 1024, 'x');
  g_autofree char *long_name = g_strnfill (257, 'n');

  for (guint i = 0; i < 100000; i++)
    g_ptr_array_add (many, g_strdup_printf ("K%u=v", i));
  g_ptr_array_add (many, NULL);
  expect_error (MANAGER, I_MANAGER, "EmitEvent",
                g_variant_new ("(s^asb)", "ev", (const char *const *) many->pdata, FALSE),
                E "InvalidEnvironment", NULL);
  expect_error (JOBS "task", I_JOB, "Start",
                g_variant_new ("(^asb)", (const char *const *) many->pdata, TRUE),
                E "InvalidEnvironment", NULL);
  {
    /* 4097 entries: one over the documented limit. */
    g_autofree char *saved = g_ptr_array_index (many, 4097);

    many->pdata[4097] = NULL;
    expect_error (MANAGER, I_MANAGER, "EmitEvent",
                  g_variant_new ("(s^asb)", "ev", (const char *const *) many->pdata, FALSE),
                  E "InvalidEnvironment", NULL);
    many->pdata[4097] = g_steal_pointer (&saved);
  }

  long_value = g_strconcat ("BIG=", huge + (8 * 1024 * 1024 - 64 * 1024 - 1), NULL);
  expect_error (MANAGER, I_MANAGER, "EmitEvent",
                g_variant_new ("(s^asb)", "ev", (const char *[]) { long_value, NULL }, FALSE),
                E "InvalidEnvironment", NULL);
  expect_error (MANAGER, I_MANAGER, "EmitEvent",
                g_variant_new ("(s^asb)", huge, (const char *[]) { NULL }, FALSE),
                E "InvalidEvent", NULL);
  expect_error (MANAGER, I_MANAGER, "EmitEvent",
                g_variant_new ("(s^asb)", long_name, (const char *[]) { NULL }, FALSE),
                E "InvalidEvent", NULL);
  expect_error (MANAGER, I_MANAGER, "GetJobByName", g_variant_new ("(s)", huge),
                E "UnknownJob", NULL);
  expect_error (JOBS "svc", I_JOB, "GetInstanceByName", g_variant_new ("(s)", huge),
                E "UnknownInstance", NULL);
  {
    /* The error message quotes only a short excerpt of what was sent. */
    g_autofree char *name = NULL;
    g_autofree char *message = NULL;
    g_autoptr(GVariant) reply = call_full (MANAGER, I_MANAGER, "GetJobByName",
                                           g_variant_new ("(s)", huge), &name, &message);

    g_assert_null (reply);
    g_assert_cmpuint (strlen (message), <, 1024);
  }
  assert_unaffected (s);
}

/* Names with junk: control characters, whitespace, slashes, dots and format directives do
 * not crash or confuse anything; each is a named error. */
static void
test_junk_names (void)
{
  Snapshot s = snapshot ();
  const char *events[] = { "", "a b", "a\tb", "line\nbreak", "ctl\x01x", "\x7f", " lead", NULL };
  const char *jobs[] = { "svc\n", "svc\x01", "../svc", "/svc", "svc/", "svc/../svc", "*", "%s%n", NULL };

  for (guint i = 0; events[i] != NULL; i++)
    expect_error (MANAGER, I_MANAGER, "EmitEvent",
                  g_variant_new ("(s^asb)", events[i], (const char *[]) { NULL }, FALSE),
                  E "InvalidEvent", NULL);
  for (guint i = 0; jobs[i] != NULL; i++)
    expect_error (MANAGER, I_MANAGER, "GetJobByName", g_variant_new ("(s)", jobs[i]),
                  E "UnknownJob", NULL);
  expect_error (JOBS "svc", I_JOB, "GetInstanceByName", g_variant_new ("(s)", "\x02\n"),
                E "UnknownInstance", NULL);
  {
    const char *argv[] = { "gdbus", "call", "--system", "--dest", NAME, "--object-path", MANAGER,
                           "--method", I_MANAGER ".EmitEvent", "'bad name'", "[]", "false", NULL };
    g_autoptr(Run) r = run (argv);

    g_assert_cmpint (r->status, !=, 0);
    g_assert_true (g_str_has_prefix (r->err, "Error: GDBus.Error:" E "InvalidEvent: "));
  }
  assert_unaffected (s);
}

typedef struct
{
  const char *job;
} GoneWait;

static gboolean
instance_gone (gpointer user_data)
{
  g_autofree char *state = instance_state (((GoneWait *) user_data)->job);
  return state == NULL;
}

static gboolean
name_owned (gpointer user_data)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (env.fx->connection == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (env.fx->connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", NAME),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* The bus daemon dies (@hard: SIGKILL, leaving a stale socket) while jobs run.  initd stays
 * up and keeps supervising: a job that ends meanwhile is reaped.  When a bus comes back at
 * the same address initd owns its name again, the running job is the same process (not
 * restarted), and it can be stopped over D-Bus. */
static void
bus_loss (gboolean hard)
{
  int initd_pid = dbus_fixture_get_initd_pid (env.fx);
  int svc_pid, short_pid;
  guint64 mark;
  g_autofree char *history = NULL;
  g_autofree char *svc_transitions = NULL;

  (void) snapshot ();
  svc_pid = main_pid ("svc");
  start_job ("short");
  short_pid = main_pid ("short");
  g_assert_cmpint (short_pid, >, 0);
  mark = history_last_id ();

  dbus_fixture_stop_bus (env.fx, hard);
  /* Longer than the short job lives: it ends while there is no bus. */
  test_util_spin (2500);
  g_assert_true (test_util_pid_alive (initd_pid));
  g_assert_cmpint (dbus_fixture_get_initd_pid (env.fx), ==, initd_pid);
  g_assert_true (test_util_pid_alive (svc_pid));
  g_assert_false (test_util_pid_alive (short_pid));   /* reaped, not a zombie */

  dbus_fixture_start_bus (env.fx);
  g_assert_true (test_util_wait_until (name_owned, NULL, 20000));
  g_assert_cmpint (dbus_fixture_get_initd_pid (env.fx), ==, initd_pid);

  /* Same process, still running; the short job is gone; nothing about svc in the history
   * since the bus went away, so it was never restarted. */
  {
    g_autofree char *state = instance_state ("svc");
    g_autofree char *short_state = instance_state ("short");

    g_assert_cmpstr (state, ==, "running");
    g_assert_cmpint (main_pid ("svc"), ==, svc_pid);
    g_assert_null (short_state);
  }
  history = history_since (mark);
  g_test_message ("history while the bus was away: %s", history);
  g_assert_nonnull (strstr (history, "'job-state', 'short'"));
  svc_transitions = g_strdup (strstr (history, "'svc'"));
  g_assert_null (svc_transitions);

  /* Controllable: stop it over the new connection. */
  {
    g_autoptr(GVariant) reply = call_ok (JOBS "svc", I_JOB, "Stop",
                                         g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE));
    GoneWait w = { "svc" };

    g_assert_true (test_util_wait_until (instance_gone, &w, 20000));
    g_assert_false (test_util_pid_alive (svc_pid));
  }
  {
    g_autofree char *err = dbus_fixture_get_stderr (env.fx);
    g_assert_nonnull (strstr (err, "Lost the bus connection"));
  }
}

/* SIGTERM to the bus daemon. */
static void
test_bus_loss (void)
{
  bus_loss (FALSE);
}

/* SIGKILL to the bus daemon: the socket file is left behind. */
static void
test_bus_loss_hard (void)
{
  bus_loss (TRUE);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  env.fx = dbus_fixture_new (DBUS_FIXTURE_SYSTEM, "system-bus.conf.in");
  {
    /* The realistic system bus with the policy we ship. */
    g_autofree char *policy_dir = g_test_build_filename (G_TEST_BUILT, "..", "data", NULL);

    dbus_fixture_set_policy_dir (env.fx, policy_dir);
    dbus_fixture_stop_bus (env.fx, FALSE);
    dbus_fixture_start_bus (env.fx);
  }
  dbus_fixture_write_job (env.fx, "svc", svc_job);
  dbus_fixture_write_job (env.fx, "task", "task\nexec true\n");
  dbus_fixture_write_job (env.fx, "short", "exec sleep 1\n");
  dbus_fixture_start_initd (env.fx, NULL, NULL);

  g_test_add_func ("/face/robust/wrong-types", test_wrong_types);
  g_test_add_func ("/face/robust/unknown-names", test_unknown_names);
  g_test_add_func ("/face/robust/invalid-env", test_invalid_env);
  g_test_add_func ("/face/robust/oversized", test_oversized);
  g_test_add_func ("/face/robust/junk-names", test_junk_names);
  g_test_add_func ("/face/robust/bus-loss", test_bus_loss);
  g_test_add_func ("/face/robust/bus-loss-hard", test_bus_loss_hard);
  ret = g_test_run ();

  {
    g_autofree char *err = dbus_fixture_get_stderr (env.fx);
    g_test_message ("initd stderr:\n%s", err);
  }
  dbus_fixture_free (env.fx);
  return ret;
}
