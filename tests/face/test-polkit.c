/* test-polkit.c — initd --system on a private system bus with our bus policy and the real
 * polkitd, called as root, as a rule-granted user (pkuser) and as another user (pkother) with
 * gdbus and busctl, the way people call it */
#define G_LOG_DOMAIN "test-polkit"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "polkit-fixture.h"
#include "test-util.h"

#define NAME      "org.example.Init"
#define MANAGER   "/org/example/Init"
#define JOBS      "/org/example/Init/jobs/"
#define I_MANAGER "org.example.Init"
#define I_JOB     "org.example.Init.Job"
#define I_INST    "org.example.Init.Instance"
#define ACCESS_DENIED "org.freedesktop.DBus.Error.AccessDenied"
#define INTERACTIVE   "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"
#define PERMISSION    "org.example.Init.Error.PermissionDenied"

static struct
{
  DBusFixture   *fx;
  PolkitFixture *pk;
} env;

/* A service that survives its reload signal, so Reload can be seen to do no harm. */
static const char svc_job[] =
  "description \"polkit test service\"\n"
  "exec /bin/sh -c 'trap \"\" HUP; while :; do sleep 1; done'\n";

static PolkitRun *
run_argv (const char        *user,
          const char *const *argv)
{
  return polkit_fixture_run_timed (env.fx, user, argv);
}

/* gdbus call --system as @user; the remaining arguments (NULL-terminated) are the method's. */
static PolkitRun *
gdbus_as (const char *user,
          gboolean    interactive,
          const char *path,
          const char *method,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_ptr_array_add (argv, "gdbus");
  g_ptr_array_add (argv, "call");
  g_ptr_array_add (argv, "--system");
  g_ptr_array_add (argv, "--timeout");
  g_ptr_array_add (argv, "60");
  if (interactive)
    g_ptr_array_add (argv, "--interactive");
  g_ptr_array_add (argv, "--dest");
  g_ptr_array_add (argv, NAME);
  g_ptr_array_add (argv, "--object-path");
  g_ptr_array_add (argv, (char *) path);
  g_ptr_array_add (argv, "--method");
  g_ptr_array_add (argv, (char *) method);
  va_start (ap, method);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return run_argv (user, (const char *const *) argv->pdata);
}

static void
assert_ok (PolkitRun *r)
{
  g_assert_cmpint (r->status, ==, 0);
}

static void
assert_dbus_error (PolkitRun  *r,
                   const char *name)
{
  /* gdbus prints the error's D-Bus name first: it must be exactly @name (an unmapped GError
   * would show as org.gtk.GDBus.UnmappedGError… with @name only inside the message). */
  g_autofree char *prefix = g_strconcat ("Error: GDBus.Error:", name, ": ", NULL);

  g_assert_cmpint (r->status, !=, 0);
  if (!g_str_has_prefix (r->err, prefix))
    g_test_fail_printf ("expected %s, got: %s", name, r->err);
}

/* ---- reading the daemon's state directly (as root, on the test's own connection) ---- */

static GVariant *
get_property (const char *path,
              const char *iface,
              const char *property)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = g_dbus_connection_call_sync (env.fx->connection, NAME, path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", iface, property),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 20000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(v)", &value);
  return value;
}

/* The instance's state, or NULL when it does not exist. */
static char *
instance_state (const char *job)
{
  g_autofree char *path = g_strconcat (JOBS, job, "/_", NULL);
  g_autoptr(GVariant) v = get_property (path, I_INST, "State");

  return v != NULL ? g_variant_dup_string (v, NULL) : NULL;
}

static int
instance_main_pid (const char *job)
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

typedef struct
{
  const char *job;
  const char *state;   /* NULL: gone */
} StateWait;

static gboolean
state_is (gpointer user_data)
{
  StateWait *w = user_data;
  g_autofree char *state = instance_state (w->job);

  return g_strcmp0 (state, w->state) == 0;
}

static void
wait_state (const char *job,
            const char *state)
{
  StateWait w = { job, state };

  if (!test_util_wait_until (state_is, &w, 20000))
    {
      g_autofree char *now = instance_state (job);
      g_error ("%s: state %s, wanted %s", job, now, state);
    }
}

/* As root: make sure @job runs (or does not), whatever an earlier case left. */
static void
ensure_running (const char *job,
                gboolean    running)
{
  g_autofree char *path = g_strconcat (JOBS, job, NULL);
  g_autofree char *state = instance_state (job);

  if (running && g_strcmp0 (state, "running") != 0)
    {
      g_autoptr(PolkitRun) r = gdbus_as (NULL, FALSE, path, I_JOB ".Start", "[]", "true", NULL);
      assert_ok (r);
      wait_state (job, "running");
    }
  else if (!running && state != NULL)
    {
      g_autoptr(PolkitRun) r = gdbus_as (NULL, FALSE, path, I_JOB ".Stop", "[]", "true", NULL);
      assert_ok (r);
      wait_state (job, NULL);
    }
}

static guint64
history_last_id (void)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint64 last = 0;

  reply = g_dbus_connection_call_sync (env.fx->connection, NAME, MANAGER, I_MANAGER, "GetHistory",
                                       g_variant_new ("(tu)", G_MAXUINT64, 1), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 20000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(@a(ttssa{sv})t)", NULL, &last);
  return last;
}

/* History records after @after, printed one per line ("kind subject details"). */
static char *
history_since (guint64 after)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) records = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (env.fx->connection, NAME, MANAGER, I_MANAGER, "GetHistory",
                                       g_variant_new ("(tu)", after, 0), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 20000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(@a(ttssa{sv})t)", &records, NULL);
  return g_variant_print (records, FALSE);
}

/* ---- tests ---- */

/* polkitd knows our actions from the built .policy, with their texts and defaults. */
static void
test_policy_installed (void)
{
  const char *actions[] = {
    "manage-jobs", "emit-events", "reload-configuration", "read-logs", "reexec", NULL
  };
  const char *descriptions[] = {
    "Start, stop, restart and reload jobs", "Emit events", "Reload the job configuration",
    "Read the output of jobs", "Restart the init daemon in place", NULL
  };

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autofree char *id = g_strconcat ("org.example.Init.", actions[i], NULL);
      const char *argv[] = { "pkaction", "--verbose", "--action-id", id, NULL };
      g_autoptr(PolkitRun) r = run_argv ("pkother", argv);

      assert_ok (r);
      g_assert_nonnull (strstr (r->out, descriptions[i]));
      g_assert_true (g_regex_match_simple ("implicit any: +auth_admin\n", r->out, 0, 0));
      g_assert_true (g_regex_match_simple ("implicit inactive: +auth_admin\n", r->out, 0, 0));
      g_assert_true (g_regex_match_simple ("implicit active: +auth_admin_keep\n", r->out, 0, 0));
    }
}

/* Reading needs no authorization (polkitd is not even running): another user may list jobs,
 * get the object tree, properties, history and instances, introspect and ping. */
static void
test_read_only_open (void)
{
  struct { const char *path, *method, *args[3]; } calls[] = {
    { MANAGER, I_MANAGER ".GetAllJobs", { NULL } },
    { MANAGER, I_MANAGER ".GetJobByName", { "'svc'", NULL } },
    { MANAGER, I_MANAGER ".GetHistory", { "0", "10", NULL } },
    { MANAGER, I_MANAGER ".Why", { "'svc'", "[]", NULL } },
    { MANAGER, I_MANAGER ".WhyNot", { "'svc'", NULL } },
    { MANAGER, "org.freedesktop.DBus.ObjectManager.GetManagedObjects", { NULL } },
    { MANAGER, "org.freedesktop.DBus.Properties.Get", { "'" I_MANAGER "'", "'Mode'", NULL } },
    { MANAGER, "org.freedesktop.DBus.Properties.GetAll", { "'" I_MANAGER "'", NULL } },
    { JOBS "svc", I_JOB ".GetAllInstances", { NULL } },
    { JOBS "svc", I_JOB ".GetInstance", { "[]", NULL } },
    { JOBS "svc", I_JOB ".GetInstanceByName", { "''", NULL } },
    { JOBS "svc", "org.freedesktop.DBus.Properties.GetAll", { "'" I_JOB "'", NULL } },
    { JOBS "svc/_", "org.freedesktop.DBus.Properties.Get", { "'" I_INST "'", "'State'", NULL } },
    { JOBS "svc/_", I_INST ".GetProcessTree", { NULL } },
    { MANAGER, "org.freedesktop.DBus.Properties.Get", { "'" I_MANAGER "'", "'ProcessTracking'", NULL } },
    { MANAGER, "org.freedesktop.DBus.Introspectable.Introspect", { NULL } },
    { MANAGER, "org.freedesktop.DBus.Peer.Ping", { NULL } },
  };

  ensure_running ("svc", TRUE);
  polkit_fixture_stop (env.pk);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(PolkitRun) r = gdbus_as ("pkother", FALSE, calls[i].path, calls[i].method,
                                         calls[i].args[0], calls[i].args[1], calls[i].args[2], NULL);
      assert_ok (r);
    }
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkother", FALSE, MANAGER, "org.freedesktop.DBus.Properties.Get",
                                       "'" I_MANAGER "'", "'Mode'", NULL);
    g_assert_cmpstr (r->out, ==, "(<'system'>,)\n");
  }
  {
    /* Why's chain without who asked: root started svc, but pkother is not trusted */
    g_autoptr(PolkitRun) r = gdbus_as ("pkother", FALSE, MANAGER, I_MANAGER ".Why", "'svc'", "[]",
                                       NULL);
    g_assert_nonnull (strstr (r->out, "'job-goal'"));
    g_assert_null (strstr (r->out, "caller-uid"));
  }
  polkit_fixture_start (env.pk);
}

/* @err is the bus refusing a call by its policy: dbus-daemon's words, or dbus-broker's
 * (INIT_TEST_BUS=dbus-broker). */
static gboolean
refused_by_bus_policy (const char *err)
{
  return strstr (err, "Rejected send message") != NULL
         || strstr (err, "Sender is not authorized to send message") != NULL;
}

/* The bus policy (data/org.example.Init.conf, loaded by the test bus) stops what initd never
 * offers before initd sees it: setting properties, unlisted members, owning the name. */
static void
test_bus_policy (void)
{
  g_autoptr(PolkitRun) set = gdbus_as ("pkuser", FALSE, MANAGER, "org.freedesktop.DBus.Properties.Set",
                                       "'" I_MANAGER "'", "'HistorySize'", "<uint32 1>", NULL);
  g_autoptr(PolkitRun) get = gdbus_as ("pkother", FALSE, MANAGER, "org.freedesktop.DBus.Properties.Get",
                                       "'" I_MANAGER "'", "'Version'", NULL);
  const char *busctl[] = { "busctl", "--system", "call", NAME, MANAGER, I_MANAGER, "Bogus", NULL };
  g_autoptr(PolkitRun) bogus = run_argv ("pkother", busctl);
  const char *request[] = {
    "gdbus", "call", "--system", "--dest", "org.freedesktop.DBus", "--object-path",
    "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.RequestName", NAME, "4", NULL
  };
  g_autoptr(PolkitRun) steal = run_argv ("pkuser", request);
  g_autoptr(PolkitRun) root_set = gdbus_as (NULL, FALSE, MANAGER, "org.freedesktop.DBus.Properties.Set",
                                            "'" I_MANAGER "'", "'HistorySize'", "<uint32 1>", NULL);

  /* Denied by the bus: its message names the policy, initd never saw the call. */
  assert_dbus_error (set, ACCESS_DENIED);
  g_assert_true (refused_by_bus_policy (set->err));
  assert_ok (get);
  g_assert_cmpint (bogus->status, !=, 0);
  g_assert_nonnull (strstr (bogus->err, "Access denied"));
  assert_dbus_error (steal, ACCESS_DENIED);
  /* dbus-daemon names the service; dbus-broker (INIT_TEST_BUS) does not. */
  g_assert_true (strstr (steal->err, "not allowed to own the service \"" NAME "\"") != NULL
                 || strstr (steal->err, "Request to own name refused by policy") != NULL);
  /* root reaches initd, which refuses: the properties are read-only. */
  g_assert_cmpint (root_set->status, !=, 0);
  g_assert_false (refused_by_bus_policy (root_set->err));
}

/* manage-jobs: pkuser (granted by a rule) may start, reload, restart and stop, on the job
 * and on the instance, and the history names pkuser as the caller. */
static void
test_manage_granted (void)
{
  guint64 mark;
  int pid;

  ensure_running ("svc", FALSE);
  mark = history_last_id ();
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkuser", FALSE, JOBS "svc", I_JOB ".Start", "[]", "true", NULL);
    assert_ok (r);
    g_assert_cmpstr (r->out, ==, "(objectpath '" JOBS "svc/_',)\n");
  }
  wait_state ("svc", "running");
  pid = instance_main_pid ("svc");
  g_assert_cmpint (pid, >, 0);
  {
    g_autofree char *history = history_since (mark);
    g_autofree char *uid = g_strdup_printf ("'caller-uid': <uint32 %u>", polkit_fixture_uid ("pkuser"));

    g_assert_nonnull (strstr (history, uid));
    /* The program, never its arguments (they can hold secrets). */
    g_assert_nonnull (strstr (history, "'caller-command': <'/usr/bin/gdbus'>"));
  }
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkuser", FALSE, JOBS "svc/_", I_INST ".Reload", NULL);
    assert_ok (r);
    g_assert_cmpint (instance_main_pid ("svc"), ==, pid);
  }
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkuser", FALSE, JOBS "svc", I_JOB ".Restart", "[]", "true", NULL);
    assert_ok (r);
    wait_state ("svc", "running");
    g_assert_cmpint (instance_main_pid ("svc"), !=, pid);
    pid = instance_main_pid ("svc");
  }
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkuser", FALSE, JOBS "svc/_", I_INST ".Restart", "true", NULL);
    assert_ok (r);
    wait_state ("svc", "running");
    g_assert_cmpint (instance_main_pid ("svc"), !=, pid);
    pid = instance_main_pid ("svc");
  }
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkuser", FALSE, JOBS "svc/_", I_INST ".Stop", "true", NULL);
    assert_ok (r);
    g_assert_false (test_util_pid_alive (pid));
  }
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkuser", FALSE, JOBS "svc", I_JOB ".Start", "[]", "true", NULL);
    assert_ok (r);
  }
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkuser", FALSE, JOBS "svc", I_JOB ".Stop", "[]", "true", NULL);
    assert_ok (r);
    wait_state ("svc", NULL);
  }
}

/* manage-jobs: pkother is refused every verb on the job and on the instance with
 * AccessDenied, and the instance is untouched (same process, still running). */
static void
test_manage_denied (void)
{
  struct { const char *path, *method, *args[3]; } calls[] = {
    { JOBS "svc", I_JOB ".Start", { "['A=1']", "true", NULL } },
    { JOBS "svc", I_JOB ".Stop", { "[]", "true", NULL } },
    { JOBS "svc", I_JOB ".Restart", { "[]", "true", NULL } },
    { JOBS "svc/_", I_INST ".Start", { "true", NULL } },
    { JOBS "svc/_", I_INST ".Stop", { "true", NULL } },
    { JOBS "svc/_", I_INST ".Restart", { "true", NULL } },
    { JOBS "svc/_", I_INST ".Reload", { NULL } },
  };
  int pid;
  guint64 mark;

  ensure_running ("svc", TRUE);
  pid = instance_main_pid ("svc");
  mark = history_last_id ();
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(PolkitRun) r = gdbus_as ("pkother", FALSE, calls[i].path, calls[i].method,
                                         calls[i].args[0], calls[i].args[1], calls[i].args[2], NULL);
      assert_dbus_error (r, ACCESS_DENIED);
      g_assert_nonnull (strstr (r->err, "org.example.Init.manage-jobs"));
    }
  /* A stopped job cannot be started by pkother either. */
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkother", FALSE, JOBS "task", I_JOB ".Start", "[]", "true", NULL);
    assert_dbus_error (r, ACCESS_DENIED);
  }
  g_assert_cmpint (instance_main_pid ("svc"), ==, pid);
  g_assert_true (test_util_pid_alive (pid));
  {
    g_autofree char *state = instance_state ("svc");
    g_autofree char *task = instance_state ("task");

    g_assert_cmpstr (state, ==, "running");
    g_assert_null (task);
  }
  g_assert_cmpuint (history_last_id (), ==, mark);
}

/* emit-events: pkuser may emit (and the event runs its task); pkother is refused and
 * nothing is queued, except the one event a rule grants pkother by its "event" detail. */
static void
test_emit_events (void)
{
  guint64 mark;

  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkuser", FALSE, MANAGER, I_MANAGER ".EmitEvent",
                                       "'pk-go'", "['X=1']", "true", NULL);
    assert_ok (r);
    g_assert_true (g_str_has_prefix (r->out, "(uint64 "));
  }
  mark = history_last_id ();
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkother", FALSE, MANAGER, I_MANAGER ".EmitEvent",
                                       "'pk-go'", "[]", "true", NULL);
    assert_dbus_error (r, ACCESS_DENIED);
    g_assert_nonnull (strstr (r->err, "org.example.Init.emit-events"));
  }
  g_assert_cmpuint (history_last_id (), ==, mark);
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkother", FALSE, MANAGER, I_MANAGER ".EmitEvent",
                                       "'pkother-may'", "[]", "false", NULL);
    g_autofree char *history = NULL;

    assert_ok (r);
    history = history_since (mark);
    g_assert_nonnull (strstr (history, "'event-queued', 'pkother-may'"));
  }
}

/* reload-configuration: pkuser may, pkother may not. */
static void
test_reload_configuration (void)
{
  g_autoptr(PolkitRun) yes = gdbus_as ("pkuser", FALSE, MANAGER, I_MANAGER ".ReloadConfiguration", NULL);
  g_autoptr(PolkitRun) no = gdbus_as ("pkother", FALSE, MANAGER, I_MANAGER ".ReloadConfiguration", NULL);

  assert_ok (yes);
  assert_dbus_error (no, ACCESS_DENIED);
  g_assert_nonnull (strstr (no->err, "org.example.Init.reload-configuration"));
}

/* Job.Enabled as the daemon says it now. */
static gboolean
job_enabled (const char *job)
{
  g_autofree char *path = g_strconcat (JOBS, job, NULL);
  g_autoptr(GVariant) v = get_property (path, I_JOB, "Enabled");

  g_assert_nonnull (v);
  return g_variant_get_boolean (v);
}

/* enable-jobs: pkother's Disable is refused (AccessDenied naming the action) and writes
 * nothing; pkuser's Disable and Enable work, with the job's name as the detail, and the
 * override file follows. */
static void
test_enable_jobs (void)
{
  g_autofree char *override = g_build_filename (env.fx->confdir, "svc.override", NULL);
  g_autofree char *path = g_strconcat (JOBS, "svc", NULL);

  g_assert_true (job_enabled ("svc"));
  {
    g_autoptr(PolkitRun) no = gdbus_as ("pkother", FALSE, path, I_JOB ".Disable", NULL);

    assert_dbus_error (no, ACCESS_DENIED);
    g_assert_nonnull (strstr (no->err, "org.example.Init.enable-jobs"));
    g_assert_false (g_file_test (override, G_FILE_TEST_EXISTS));
    g_assert_true (job_enabled ("svc"));
  }
  {
    g_autoptr(PolkitRun) yes = gdbus_as ("pkuser", FALSE, path, I_JOB ".Disable", NULL);

    assert_ok (yes);
    g_assert_true (g_file_test (override, G_FILE_TEST_EXISTS));
    g_assert_false (job_enabled ("svc"));
  }
  {
    g_autoptr(PolkitRun) yes = gdbus_as ("pkuser", FALSE, path, I_JOB ".Enable", NULL);
    g_autofree char *log = polkit_fixture_get_log (env.pk);

    assert_ok (yes);
    g_assert_false (g_file_test (override, G_FILE_TEST_EXISTS));
    g_assert_true (job_enabled ("svc"));
    g_assert_nonnull (strstr (log, "INIT-TEST action=org.example.Init.enable-jobs user=pkuser "
                              "job=svc "));
  }
}

/* reexec: pkother is refused with AccessDenied naming org.example.Init.reexec (the bus
 * policy lets the call through to initd, whose polkit check says no), and nothing happens:
 * same daemon process, same job process, no history. */
static void
test_reexec_denied (void)
{
  int initd_pid = dbus_fixture_get_initd_pid (env.fx);
  int pid;
  guint64 mark;

  ensure_running ("svc", TRUE);
  pid = instance_main_pid ("svc");
  mark = history_last_id ();
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkother", FALSE, MANAGER, I_MANAGER ".Reexec", NULL);
    g_autoptr(PolkitRun) i = gdbus_as ("pkother", TRUE, MANAGER, I_MANAGER ".Reexec", NULL);

    assert_dbus_error (r, ACCESS_DENIED);
    g_assert_nonnull (strstr (r->err, "org.example.Init.reexec"));
    g_assert_null (strstr (r->err, "Rejected send message"));
    assert_dbus_error (i, ACCESS_DENIED);
  }
  g_assert_cmpint (dbus_fixture_get_initd_pid (env.fx), ==, initd_pid);
  g_assert_cmpint (instance_main_pid ("svc"), ==, pid);
  g_assert_true (test_util_pid_alive (pid));
  g_assert_cmpuint (history_last_id (), ==, mark);
  {
    g_autofree char *log = polkit_fixture_get_log (env.pk);
    g_autofree char *err = dbus_fixture_get_stderr (env.fx);

    g_assert_nonnull (strstr (log, "INIT-TEST action=org.example.Init.reexec user=pkother "));
    g_assert_null (strstr (err, "Re-executing"));
  }
}

/* reexec: pkuser (granted by a rule) gets through authorization (polkit is asked for
 * org.example.Init.reexec and says yes), the system daemon re-executes and answers from the
 * new process, and afterwards polkit still decides: pkuser may stop the job, pkother may not
 * (this case runs last, as it re-executes the shared daemon). */
static void
test_reexec_granted (void)
{
  g_autoptr(PolkitRun) r = NULL;
  g_autoptr(PolkitRun) denied = NULL;
  g_autoptr(PolkitRun) stopped = NULL;
  g_autofree char *log = NULL;

  ensure_running ("svc", TRUE);
  r = gdbus_as ("pkuser", FALSE, MANAGER, I_MANAGER ".Reexec", NULL);
  log = polkit_fixture_get_log (env.pk);
  g_assert_nonnull (strstr (log, "INIT-TEST action=org.example.Init.reexec user=pkuser "));
  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->out, ==, "()\n");

  denied = gdbus_as ("pkother", FALSE, JOBS "svc", I_JOB ".Stop", "[]", "true", NULL);
  g_assert_cmpint (denied->status, !=, 0);
  g_assert_nonnull (strstr (denied->err, ACCESS_DENIED));
  stopped = gdbus_as ("pkuser", FALSE, JOBS "svc", I_JOB ".Stop", "[]", "true", NULL);
  g_assert_cmpint (stopped->status, ==, 0);
}

/* root passes every action without polkit (polkitd stopped). */
static void
test_root_without_polkit (void)
{
  ensure_running ("svc", FALSE);
  polkit_fixture_stop (env.pk);
  {
    g_autoptr(PolkitRun) a = gdbus_as (NULL, FALSE, JOBS "svc", I_JOB ".Start", "[]", "true", NULL);
    g_autoptr(PolkitRun) b = gdbus_as (NULL, FALSE, JOBS "svc/_", I_INST ".Reload", NULL);
    g_autoptr(PolkitRun) c = gdbus_as (NULL, FALSE, JOBS "svc/_", I_INST ".Restart", "true", NULL);
    g_autoptr(PolkitRun) d = gdbus_as (NULL, FALSE, JOBS "svc", I_JOB ".Stop", "[]", "true", NULL);
    g_autoptr(PolkitRun) e = gdbus_as (NULL, FALSE, MANAGER, I_MANAGER ".EmitEvent", "'pk-go'", "[]", "true", NULL);
    g_autoptr(PolkitRun) f = gdbus_as (NULL, FALSE, MANAGER, I_MANAGER ".ReloadConfiguration", NULL);

    assert_ok (a);
    assert_ok (b);
    assert_ok (c);
    assert_ok (d);
    assert_ok (e);
    assert_ok (f);
  }
  polkit_fixture_start (env.pk);
}

/* root may pipeline its first calls on a connection: the system daemon reads all of them
 * before it knows the sender is root, and refuses none for the limit on calls of unknown
 * senders (32 per connection, then a pool shared by such connections). */
static void
test_root_pipelined (void)
{
  /* over the gate's 32 per connection, under the bus's 128 */
  g_assert_cmpuint (dbus_fixture_pipeline_emits (env.fx, "pk-piped", 100), ==, 0);
}

/* initd passes polkit the job, instance and verb (and the event), plus a polkit.message
 * naming them, as the rules see in action.lookup(). */
static void
test_details (void)
{
  g_autofree char *log = NULL;

  ensure_running ("svc", FALSE);
  {
    g_autoptr(PolkitRun) a = gdbus_as ("pkuser", FALSE, JOBS "svc", I_JOB ".Start", "[]", "true", NULL);
    g_autoptr(PolkitRun) b = gdbus_as ("pkuser", FALSE, JOBS "svc/_", I_INST ".Stop", "true", NULL);
    g_autoptr(PolkitRun) c = gdbus_as ("pkother", FALSE, MANAGER, I_MANAGER ".EmitEvent",
                                       "'no-such-luck'", "[]", "false", NULL);

    assert_ok (a);
    assert_ok (b);
    assert_dbus_error (c, ACCESS_DENIED);
  }
  log = polkit_fixture_get_log (env.pk);
  g_assert_true (g_pattern_match_simple (
                   "*INIT-TEST action=org.example.Init.manage-jobs user=pkuser job=svc instance= verb=start "
                   "event=undefined message=Authentication is required to start the job *$(job)*. domain=init\n*", log));
  g_assert_true (g_pattern_match_simple (
                   "*INIT-TEST action=org.example.Init.manage-jobs user=pkuser job=svc instance= verb=stop "
                   "event=undefined message=Authentication is required to stop the job *$(job)*. domain=init\n*", log));
  g_assert_true (g_pattern_match_simple (
                   "*INIT-TEST action=org.example.Init.emit-events user=pkother job=undefined instance=undefined "
                   "verb=undefined event=no-such-luck message=Authentication is required to emit the event "
                   "*$(event)*. domain=init\n*", log));
}

/* A rule that asks for authentication: without the allow-interactive flag the caller gets
 * InteractiveAuthorizationRequired; with it (gdbus --interactive, busctl's default) and no
 * authentication agent, polkit refuses: AccessDenied. */
static void
test_interactive (void)
{
  g_autoptr(PolkitRun) plain = gdbus_as ("pkother", FALSE, JOBS "needs_2dauth", I_JOB ".Start", "[]", "true", NULL);
  g_autoptr(PolkitRun) granted = gdbus_as ("pkuser", FALSE, JOBS "needs_2dauth", I_JOB ".Start", "[]", "true", NULL);
  g_autoptr(PolkitRun) inter = gdbus_as ("pkother", TRUE, JOBS "needs_2dauth", I_JOB ".Start", "[]", "true", NULL);
  const char *busctl[] = { "busctl", "--system", "call", NAME, JOBS "needs_2dauth", I_JOB, "Start",
                           "asb", "0", "true", NULL };
  const char *busctl_no[] = { "busctl", "--system", "--allow-interactive-authorization=no", "call",
                              NAME, JOBS "needs_2dauth", I_JOB, "Start", "asb", "0", "true", NULL };
  g_autoptr(PolkitRun) bus = run_argv ("pkother", busctl);
  g_autoptr(PolkitRun) bus_no = run_argv ("pkother", busctl_no);
  g_autofree char *state = NULL;

  assert_dbus_error (plain, INTERACTIVE);
  assert_dbus_error (granted, INTERACTIVE);
  assert_dbus_error (inter, ACCESS_DENIED);
  g_assert_cmpint (bus->status, !=, 0);
  g_assert_nonnull (strstr (bus->err, "Access denied"));
  g_assert_cmpint (bus_no->status, !=, 0);
  g_assert_nonnull (strstr (bus_no->err, "Interactive authentication required"));
  state = instance_state ("needs_2dauth");
  g_assert_null (state);
}

/* polkitd not running: a changing call fails fast with a clear PermissionDenied, initd
 * keeps answering and its jobs are untouched; once polkitd is back, pkuser is allowed. */
static void
test_polkitd_absent (void)
{
  int pid;

  ensure_running ("svc", TRUE);
  pid = instance_main_pid ("svc");
  polkit_fixture_stop (env.pk);
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkuser", FALSE, JOBS "svc", I_JOB ".Stop", "[]", "true", NULL);
    g_autoptr(PolkitRun) e = gdbus_as ("pkuser", FALSE, MANAGER, I_MANAGER ".EmitEvent", "'pk-go'", "[]", "true", NULL);
    g_autoptr(PolkitRun) read = gdbus_as ("pkother", FALSE, MANAGER, I_MANAGER ".GetAllJobs", NULL);
    g_autoptr(PolkitRun) x = gdbus_as ("pkuser", FALSE, MANAGER, I_MANAGER ".Reexec", NULL);

    assert_dbus_error (x, PERMISSION);
    g_assert_nonnull (strstr (x->err, "polkit is not running"));
    assert_dbus_error (r, PERMISSION);
    g_assert_nonnull (strstr (r->err, "polkit is not running"));
    g_assert_cmpfloat (r->seconds, <, 5.0);
    assert_dbus_error (e, PERMISSION);
    g_assert_cmpfloat (e->seconds, <, 5.0);
    assert_ok (read);
  }
  g_assert_cmpint (instance_main_pid ("svc"), ==, pid);
  g_assert_true (test_util_pid_alive (pid));
  {
    g_autofree char *err = dbus_fixture_get_stderr (env.fx);
    g_assert_nonnull (strstr (err, "polkitd is not running"));
  }
  polkit_fixture_start (env.pk);
  {
    g_autoptr(PolkitRun) r = gdbus_as ("pkuser", FALSE, JOBS "svc", I_JOB ".Stop", "[]", "true", NULL);
    assert_ok (r);
    g_assert_false (test_util_pid_alive (pid));
  }
}

/* Session mode (initd --session run as pkuser on a session bus any user can reach): no
* polkit; pkuser itself and root may change things, pkother is refused but may read. */
static void
test_session_mode (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  DBusFixture *saved = env.fx;
  g_autofree char *wrapper = dbus_fixture_path (fx, "initd-as-pkuser");
  g_autofree char *script = NULL;
  g_autofree char *real = g_strdup (g_getenv ("INITD"));
  g_autofree char *owner = NULL;

  /* initd runs as pkuser: a wrapper in $INITD's place drops privileges first. */
  script = g_strdup_printf ("#!/bin/sh\nexec setpriv --reuid=%u --regid=%u --init-groups -- '%s' \"$@\"\n",
                            polkit_fixture_uid ("pkuser"), polkit_fixture_uid ("pkuser"), real);
  test_util_write_file (fx->dir, "initd-as-pkuser", script);
  g_assert_cmpint (chmod (wrapper, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (fx->logdir, 0755), ==, 0);
  g_assert_cmpint (chown (fx->logdir, polkit_fixture_uid ("pkuser"), -1), ==, 0);
  dbus_fixture_write_job (fx, "svc", svc_job);
  g_setenv ("INITD", wrapper, TRUE);
  dbus_fixture_start_initd (fx, NULL, (const char *[]) { "HOME=/home/pkuser", NULL });
  g_setenv ("INITD", real, TRUE);
  {
    g_autofree char *status_path = g_strdup_printf ("/proc/%d/status", dbus_fixture_get_initd_pid (fx));
    g_autofree char *status = test_util_read_file (status_path);
    g_autofree char *uid_line = g_strdup_printf ("\nUid:\t%u\t", polkit_fixture_uid ("pkuser"));

    g_assert_nonnull (strstr (status, uid_line));
  }

  env.fx = fx;   /* gdbus_as() talks to the current fixture */
  {
    const char *session[] = { "gdbus", "call", "--session", "--dest", NAME, "--object-path",
                              JOBS "svc", "--method", I_JOB ".Start", "[]", "true", NULL };
    const char *stop[] = { "gdbus", "call", "--session", "--dest", NAME, "--object-path",
                           JOBS "svc", "--method", I_JOB ".Stop", "[]", "true", NULL };
    const char *read[] = { "gdbus", "call", "--session", "--dest", NAME, "--object-path",
                           MANAGER, "--method", I_MANAGER ".GetAllJobs", NULL };
    const char *emit[] = { "gdbus", "call", "--session", "--dest", NAME, "--object-path",
                           MANAGER, "--method", I_MANAGER ".EmitEvent", "'x'", "[]", "false", NULL };
    g_autoptr(PolkitRun) other_start = run_argv ("pkother", session);
    g_autoptr(PolkitRun) other_emit = run_argv ("pkother", emit);
    g_autoptr(PolkitRun) other_read = run_argv ("pkother", read);
    g_autoptr(PolkitRun) self_start = run_argv ("pkuser", session);
    g_autoptr(PolkitRun) other_stop = run_argv ("pkother", stop);
    g_autoptr(PolkitRun) root_stop = run_argv (NULL, stop);

    assert_dbus_error (other_start, ACCESS_DENIED);
    assert_dbus_error (other_emit, ACCESS_DENIED);
    assert_ok (other_read);
    assert_ok (self_start);
    assert_dbus_error (other_stop, ACCESS_DENIED);
    assert_ok (root_stop);
  }
  env.fx = saved;
  owner = dbus_fixture_get_stderr (fx);
  g_test_message ("session initd stderr:\n%s", owner);
  dbus_fixture_free (fx);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* One shared daemon for all cases: a failing case is reported and the others still run,
   * and the bus, initd and polkitd are still cleaned up at the end. */
  g_test_set_nonfatal_assertions ();

  env.fx = polkit_fixture_new_system_bus ();
  env.pk = polkit_fixture_new (env.fx);
  dbus_fixture_write_job (env.fx, "svc", svc_job);
  dbus_fixture_write_job (env.fx, "task", "task\nexec true\n");
  dbus_fixture_write_job (env.fx, "needs-auth", "exec sleep 1000\n");
  dbus_fixture_write_job (env.fx, "on-go", "start on pk-go\ntask\nexec true\n");
  dbus_fixture_start_initd (env.fx, NULL, NULL);

  g_test_add_func ("/face/polkit/policy-installed", test_policy_installed);
  g_test_add_func ("/face/polkit/read-only-open", test_read_only_open);
  g_test_add_func ("/face/polkit/bus-policy", test_bus_policy);
  g_test_add_func ("/face/polkit/manage-jobs-granted", test_manage_granted);
  g_test_add_func ("/face/polkit/manage-jobs-denied", test_manage_denied);
  g_test_add_func ("/face/polkit/emit-events", test_emit_events);
  g_test_add_func ("/face/polkit/reload-configuration", test_reload_configuration);
  g_test_add_func ("/face/polkit/enable-jobs", test_enable_jobs);
  g_test_add_func ("/face/polkit/reexec-denied", test_reexec_denied);
  g_test_add_func ("/face/polkit/root-without-polkit", test_root_without_polkit);
  g_test_add_func ("/face/polkit/root-pipelined", test_root_pipelined);
  g_test_add_func ("/face/polkit/details", test_details);
  g_test_add_func ("/face/polkit/interactive", test_interactive);
  g_test_add_func ("/face/polkit/polkitd-absent", test_polkitd_absent);
  g_test_add_func ("/face/polkit/session-mode", test_session_mode);
  /* Last: a daemon that supports it re-executes here. */
  g_test_add_func ("/face/polkit/reexec-granted", test_reexec_granted);
  ret = g_test_run ();

  {
    g_autofree char *err = dbus_fixture_get_stderr (env.fx);
    g_test_message ("initd stderr:\n%s", err);
  }
  polkit_fixture_free (env.pk);
  dbus_fixture_free (env.fx);
  return ret;
}
