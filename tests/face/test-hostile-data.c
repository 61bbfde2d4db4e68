/* test-hostile-data.c — what a hostile local user can read from initd --system
 *
 * A private system bus with the bus policy we ship (its administrators' group set to pkuser's
 * own group), the real polkitd with tests/data/polkit's rules (pkuser may do everything;
 * pkother may only emit "pkother-may" and read the logs of job "pub"), and initd --system.
 * pkother must never see a secret: not in the history, not in signals, not in properties, not
 * in another job's log, not in a root process's command line; root and pkuser (an
 * administrator) see everything.
 */
#define G_LOG_DOMAIN "test-hostile-data"

#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "polkit-fixture.h"
#include "test-util.h"

#define NAME      "org.example.Init"
#define MANAGER   "/org/example/Init"
#define JOBS      "/org/example/Init/jobs/"
#define UNKNOWN_INSTANCE "org.example.Init.Error.UnknownInstance"

static struct
{
  DBusFixture   *fx;
  PolkitFixture *pk;
  char          *policy_dir;
} env;

/* ---- running things as a user ---- */

static PolkitRun *
as_user (const char *user,
         const char *command_line)
{
  return polkit_fixture_run_line (env.fx, user, command_line);
}

/* gdbus call on the system bus as @user: @object and "org.example.Init.Method args…". */
static PolkitRun *
call_as (const char *user,
         const char *object,
         const char *method_and_args)
{
  g_autofree char *line = g_strdup_printf ("gdbus call --system --timeout 60 --dest " NAME
                                           " --object-path %s --method %s",
                                           object, method_and_args);

  return as_user (user, line);
}

static PolkitRun *
initctl_as (const char *user,
            const char *args)
{
  g_autofree char *line = g_strdup_printf ("%s --system %s", g_getenv ("INITCTL"), args);

  return as_user (user, line);
}

static void
assert_lacks (const char *text,
              const char *secret)
{
  if (strstr (text, secret) != NULL)
    g_test_fail_printf ("a secret got through: %s", secret);
}

static void
assert_has (const char *text,
            const char *wanted)
{
  if (strstr (text, wanted) == NULL)
    g_test_fail_printf ("missing: %s", wanted);
}

/* ---- the history, read as root on the test's own connection ---- */

/* Every record, paged with the cursor as clients do. */
static GPtrArray *
all_records (void)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  guint64 after = 0, last = 1;

  while (after < last)
    {
      g_autoptr(GVariant) reply = dbus_fixture_call_ok (env.fx, MANAGER, NAME, "GetHistory",
                                                        g_variant_new ("(tu)", after, 0));
      g_autoptr(GVariant) page = g_variant_get_child_value (reply, 0);
      gsize n = g_variant_n_children (page);

      g_variant_get_child (reply, 1, "t", &last);
      if (n == 0)
        break;
      for (gsize i = 0; i < n; i++)
        g_ptr_array_add (records, g_variant_get_child_value (page, i));
      g_variant_get_child (g_ptr_array_index (records, records->len - 1), 0, "t", &after);
    }
  return records;
}

/* ---- cases ---- */

/* Records keep the caller's program, never its arguments (they can hold secrets). */
static void
test_history_program_only (void)
{
  g_autoptr(PolkitRun) start = initctl_as ("pkuser", "start manual API_KEY=sk-live-123");
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *initctl = g_canonicalize_filename (g_getenv ("INITCTL"), NULL);
  gboolean found = FALSE;

  g_assert_cmpint (start->status, ==, 0);
  records = all_records ();
  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr(GVariant) details = g_variant_get_child_value (records->pdata[i], 4);
      const char *command;

      if (!g_variant_lookup (details, "caller-command", "&s", &command))
        continue;
      assert_lacks (command, "sk-live-123");
      assert_lacks (command, " ");
      found |= g_str_equal (command, initctl);
    }
  g_assert_true (found);
}

/* GetHistory gives event environments (and with them exported job variables) and callers
 * to root and administrators only; everyone else gets the records without them. */
static void
test_history_private (void)
{
  g_autoptr(PolkitRun) emit = initctl_as (NULL, "emit weather DB_PASSWORD=hunter2");
  g_autoptr(PolkitRun) export = initctl_as (NULL, "start exporter");
  g_autoptr(PolkitRun) other = NULL, admin = NULL, root = NULL;

  g_assert_cmpint (emit->status, ==, 0);
  g_assert_cmpint (export->status, ==, 0);
  other = call_as ("pkother", MANAGER, NAME ".GetHistory 0 0");
  admin = call_as ("pkuser", MANAGER, NAME ".GetHistory 0 0");
  root = call_as (NULL, MANAGER, NAME ".GetHistory 0 0");
  g_assert_cmpint (other->status, ==, 0);
  g_assert_cmpint (admin->status, ==, 0);
  g_assert_cmpint (root->status, ==, 0);

  /* pkother still sees what happened… */
  assert_has (other->out, "'event-queued', 'weather'");
  assert_has (other->out, "'cause': <'caller'>");
  /* …but no variable and no caller. */
  assert_lacks (other->out, "hunter2");
  assert_lacks (other->out, "tok-secret-456");
  assert_lacks (other->out, "sk-live-123");
  assert_lacks (other->out, "caller-uid");
  assert_lacks (other->out, "caller-command");

  assert_has (admin->out, "DB_PASSWORD=hunter2");
  assert_has (admin->out, "API_TOKEN=tok-secret-456");
  assert_has (root->out, "DB_PASSWORD=hunter2");
  assert_has (root->out, "API_TOKEN=tok-secret-456");
  assert_has (root->out, "caller-command");
}

typedef struct
{
  GSubprocess *process;
  char        *path;
} Monitor;

/* `gdbus monitor` as @user: a plain match rule for every signal of org.example.Init. */
static Monitor *
monitor_start (const char *user)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GError) error = NULL;
  g_autofree char *uid = g_strdup_printf ("--reuid=%u", polkit_fixture_uid (user));
  g_autofree char *gid = g_strdup_printf ("--regid=%u", getpwnam (user)->pw_gid);
  Monitor *m = g_new0 (Monitor, 1);

  m->path = g_strdup_printf ("%s/%s.monitor", env.fx->dir, user);
  g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS", env.fx->address, TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, m->path);
  m->process = g_subprocess_launcher_spawn (launcher, &error, "setpriv", uid, gid,
                                            "--init-groups", "--", "gdbus", "monitor",
                                            "--system", "--dest", NAME, NULL);
  g_assert_no_error (error);
  return m;
}

static gboolean
file_has (gpointer user_data)
{
  const char *const *what = user_data;
  g_autofree char *text = test_util_read_file (what[0]);

  return text != NULL && strstr (text, what[1]) != NULL;
}

static char *
monitor_wait (Monitor    *m,
              const char *text)
{
  const char *what[] = { m->path, text };

  if (!test_util_wait_until (file_has, what, 20000))
    g_test_fail_printf ("monitor %s never saw %s", m->path, text);
  return test_util_read_file (m->path);
}

static void
monitor_free (Monitor *m)
{
  g_subprocess_force_exit (m->process);
  g_subprocess_wait (m->process, NULL, NULL);
  g_object_unref (m->process);
  g_free (m->path);
  g_free (m);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Monitor, monitor_free)

/* EventEmitted and HistoryRecord carry environments and callers: the bus delivers them to
 * root and the administrators' group only.  pkother still gets EventFinished. */
static void
test_signals_private (void)
{
  g_autoptr(Monitor) other = monitor_start ("pkother");
  g_autoptr(Monitor) admin = monitor_start ("pkuser");
  g_autofree char *other_text = NULL, *admin_text = NULL;

  /* Both are subscribed once they print their banner (then an event is sure to reach them). */
  g_free (monitor_wait (other, "Monitoring signals"));
  g_free (monitor_wait (admin, "Monitoring signals"));
  /* The banner comes as AddMatch is sent: give the bus a moment to have it. */
  test_util_spin (300);
  {
    g_autoptr(PolkitRun) emit = initctl_as (NULL, "emit rain DB_PASSWORD=hunter3");
    g_autoptr(PolkitRun) start = initctl_as (NULL, "start exporter");

    g_assert_cmpint (emit->status, ==, 0);
    g_assert_cmpint (start->status, ==, 0);
  }
  /* The admin gets the variables; both get the end of the exporter's stopped event. */
  g_free (monitor_wait (admin, "API_TOKEN=tok-secret-456"));
  admin_text = monitor_wait (admin, "'stopped', false");
  other_text = monitor_wait (other, "'stopped', false");

  assert_has (admin_text, "DB_PASSWORD=hunter3");
  assert_has (admin_text, "API_TOKEN=tok-secret-456");
  assert_lacks (other_text, "hunter3");
  assert_lacks (other_text, "tok-secret-456");
  assert_lacks (other_text, "EventEmitted");
  assert_lacks (other_text, "HistoryRecord");
}

/* No property of any object holds a variable a caller passed. */
static void
test_properties_private (void)
{
  g_autoptr(PolkitRun) objects = call_as ("pkother", MANAGER,
                                          "org.freedesktop.DBus.ObjectManager.GetManagedObjects");

  g_assert_cmpint (objects->status, ==, 0);
  assert_has (objects->out, "'manual'");
  assert_lacks (objects->out, "sk-live-123");
  assert_lacks (objects->out, "hunter");
  assert_lacks (objects->out, "tok-secret-456");
}

static gboolean
log_has (gpointer user_data)
{
  const char *const *what = user_data;
  g_autofree char *path = g_build_filename (env.fx->logdir, what[0], NULL);
  g_autofree char *text = test_util_read_file (path);

  return text != NULL && strstr (text, what[1]) != NULL;
}

/* Instance "secret" of job "pub" is not job "pub-secret": pkother, who may read pub's logs,
 * never gets pub-secret's, and a name that is no instance is refused. */
static void
test_log_names_private (void)
{
  const char *secret_log[] = { "pub_2dsecret.log", "TOPSECRET-LOG" };
  const char *pub_log[] = { "pub-secret.log", "pub instance secret" };
  g_autoptr(PolkitRun) run = initctl_as (NULL, "start pub-secret");
  g_autoptr(PolkitRun) probe = NULL, own = NULL, none = NULL;

  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (test_util_wait_until (log_has, secret_log, 20000));

  probe = call_as ("pkother", JOBS "pub", NAME ".Job.GetLog secret 0 0");
  g_assert_cmpint (probe->status, !=, 0);
  assert_has (probe->err, UNKNOWN_INSTANCE);
  assert_lacks (probe->out, "TOPSECRET");

  {
    g_autoptr(PolkitRun) start = initctl_as (NULL, "start pub N=secret");
    g_assert_cmpint (start->status, ==, 0);
  }
  g_assert_true (test_util_wait_until (log_has, pub_log, 20000));
  own = call_as ("pkother", JOBS "pub", NAME ".Job.GetLog secret 0 0");
  g_assert_cmpint (own->status, ==, 0);
  assert_has (own->out, "pub instance secret");
  assert_lacks (own->out, "TOPSECRET");

  none = call_as ("pkother", JOBS "pub", NAME ".Job.GetLog no-such 0 0");
  assert_has (none->err, UNKNOWN_INSTANCE);
}

/* Command lines of root's processes go to root and administrators only. */
static void
test_process_tree_private (void)
{
  g_autoptr(PolkitRun) start = initctl_as (NULL, "start rootproc");
  g_autoptr(PolkitRun) other = NULL, admin = NULL, root = NULL;

  g_assert_cmpint (start->status, ==, 0);
  other = call_as ("pkother", JOBS "rootproc/_", NAME ".Instance.GetProcessTree");
  admin = call_as ("pkuser", JOBS "rootproc/_", NAME ".Instance.GetProcessTree");
  root = call_as (NULL, JOBS "rootproc/_", NAME ".Instance.GetProcessTree");
  g_assert_cmpint (other->status, ==, 0);
  assert_has (other->out, "'main'");
  assert_lacks (other->out, "proc-secret-789");
  assert_has (admin->out, "proc-secret-789");
  assert_has (root->out, "proc-secret-789");
}

/* A reply of GetHistory is bounded whatever the history holds: the cursor pages. */
static void
test_history_bounded (void)
{
  g_autofree char *big = g_strnfill (8000, 'v');
  g_autoptr(GPtrArray) records = NULL;
  gsize largest = 0;

  for (guint i = 0; i < 120; i++)
    {
      g_autoptr(GVariant) reply = NULL;
      g_autofree char *var = g_strconcat ("BIG=", big, NULL);
      const char *vars[] = { var, NULL };

      reply = dbus_fixture_call_ok (env.fx, MANAGER, NAME, "EmitEvent",
                                    g_variant_new ("(s^asb)", "bulk", vars, FALSE));
    }
  {
    g_autoptr(GVariant) reply = dbus_fixture_call_ok (env.fx, MANAGER, NAME, "GetHistory",
                                                      g_variant_new ("(tu)", 0, 0));
    largest = g_variant_get_size (reply);
  }
  g_assert_cmpuint (largest, <=, 256 * 1024 + 16 * 1024);
  records = all_records ();
  /* Paging still reads every one of them. */
  g_assert_cmpuint (records->len, >=, 240);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  polkit_fixture_ensure_users ();
  env.fx = dbus_fixture_new (DBUS_FIXTURE_SYSTEM, "system-bus.conf.in");
  {
    /* The policy we ship, with pkuser's own group as the administrators'. */
    g_autofree char *in = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                 "org.example.Init.conf.in", NULL);
    g_autofree char *text = test_util_read_file (in);
    g_auto (GStrv) parts = NULL;
    g_autofree char *conf = NULL;
    struct group *group = getgrgid (getpwnam ("pkuser")->pw_gid);

    g_assert_nonnull (text);
    g_assert_nonnull (group);
    parts = g_strsplit (text, "@ADMIN_GROUP@", -1);
    conf = g_strjoinv (group->gr_name, parts);
    env.policy_dir = test_util_mkdtemp ();
    g_assert_cmpint (chmod (env.policy_dir, 0755), ==, 0);
    test_util_write_file (env.policy_dir, "org.example.Init.conf", conf);
    dbus_fixture_set_policy_dir (env.fx, env.policy_dir);
    dbus_fixture_stop_bus (env.fx, FALSE);
    dbus_fixture_start_bus (env.fx);
  }
  env.pk = polkit_fixture_new (env.fx);
  dbus_fixture_write_job (env.fx, "manual", "exec sleep 1000\n");
  dbus_fixture_write_job (env.fx, "exporter",
                          "env API_TOKEN=tok-secret-456\nexport API_TOKEN\ntask\nexec true\n");
  dbus_fixture_write_job (env.fx, "pub", "instance $N\ntask\nexec echo pub instance $N\n");
  dbus_fixture_write_job (env.fx, "pub-secret", "task\nexec echo TOPSECRET-LOG\n");
  dbus_fixture_write_job (env.fx, "rootproc",
                          "exec /bin/sh -c 'sleep 1000' sh --password=proc-secret-789\n");
  dbus_fixture_start_initd (env.fx, NULL, NULL);
  /* Someone follows the daemon, so it sends its signals (org.example.Init.xml, Subscribe). */
  g_variant_unref (dbus_fixture_call_ok (env.fx, MANAGER, NAME, "Subscribe", NULL));

  g_test_add_func ("/face/hostile-data/history-program-only", test_history_program_only);
  g_test_add_func ("/face/hostile-data/history-private", test_history_private);
  g_test_add_func ("/face/hostile-data/signals-private", test_signals_private);
  g_test_add_func ("/face/hostile-data/properties-private", test_properties_private);
  g_test_add_func ("/face/hostile-data/log-names-private", test_log_names_private);
  g_test_add_func ("/face/hostile-data/process-tree-private", test_process_tree_private);
  g_test_add_func ("/face/hostile-data/history-bounded", test_history_bounded);
  ret = g_test_run ();

  {
    g_autofree char *err = dbus_fixture_get_stderr (env.fx);
    g_test_message ("initd stderr:\n%s", err);
  }
  polkit_fixture_free (env.pk);
  dbus_fixture_free (env.fx);
  test_util_rm_rf (env.policy_dir);
  g_free (env.policy_dir);
  return ret;
}
