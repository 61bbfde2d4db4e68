/* test-hostile-auth.c — initd --system against a hostile local user (issue 15, items 1, 2, 5)
 *
 * A private system bus with the project's bus policy, the real polkitd with the test rules
 * (tests/data/polkit/): pkuser may do everything; pkother may emit "pkother-may", emit
 * "pkother-bare" only without variables, and manage the job "pkother-job".  pkother tries to
 * reach root through job variables, to starve authorisation for everyone, and to bloat the
 * daemon with huge environments; pkuser and root must not notice.  The figures (latency, RSS,
 * refused checks, warning lines) are printed as test messages.
 */
#define G_LOG_DOMAIN "test-hostile-auth"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "polkit-fixture.h"
#include "test-util.h"

#define MANAGER   "/org/example/Init"
#define JOBS      "/org/example/Init/jobs/"
#define I_MANAGER "org.example.Init"
#define I_JOB     "org.example.Init.Job"
#define INVALID_ENV "org.example.Init.Error.InvalidEnvironment"
#define DENIED      "org.freedesktop.DBus.Error.AccessDenied"

static struct
{
  DBusFixture   *fx;
  PolkitFixture *pk;
  char          *seen;    /* every environment the root jobs ran with, appended */
} env;

/* ---- calling as a user ---- */

/* gdbus call --system as @user: @method on @path with the GVariant text arguments @args. */
static PolkitRun *
call_as (const char         *user,
         const char         *path,
         const char         *method,
         const char * const *args)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  const char *head[] = { "gdbus", "call", "--system", "--dest", "org.example.Init",
                         "--object-path", path, "--method", method, NULL };

  g_strv_builder_addv (argv, head);
  g_strv_builder_addv (argv, (const char **) args);
  strv = g_strv_builder_end (argv);
  return polkit_fixture_run_timed (env.fx, user, (const char * const *) strv);
}

static PolkitRun *
emit_as (const char *user,
         const char *event,
         const char *env_text)
{
  g_autofree char *name = g_strdup_printf ("'%s'", event);
  const char *args[] = { name, env_text, "true", NULL };

  return call_as (user, MANAGER, I_MANAGER ".EmitEvent", args);
}

static PolkitRun *
job_verb_as (const char *user,
             const char *job,
             const char *verb,
             const char *env_text)
{
  g_auto(GStrv) parts = g_strsplit (job, "-", -1);
  g_autofree char *escaped = g_strjoinv ("_2d", parts);   /* the path escaping of '-' */
  g_autofree char *path = g_strconcat (JOBS, escaped, NULL);
  g_autofree char *method = g_strconcat (I_JOB ".", verb, NULL);
  const char *args[] = { env_text, "true", NULL };

  return call_as (user, path, method, args);
}

/* The call failed with D-Bus error @name and a message containing @text. */
static void
assert_refused (PolkitRun      *r,
                const char *name,
                const char *text)
{
  g_autofree char *prefix = g_strconcat ("Error: GDBus.Error:", name, ": ", NULL);

  g_assert_cmpint (r->status, !=, 0);
  if (!g_str_has_prefix (r->err, prefix) || (text != NULL && strstr (r->err, text) == NULL))
    g_test_fail_printf ("expected %s naming %s, got: %s", name, text, r->err);
}

static char *
read_seen (void)
{
  g_autofree char *text = test_util_read_file (env.seen);

  return text != NULL ? g_steal_pointer (&text) : g_strdup ("");
}

/* ---- item 1: caller variables never reach root processes ---- */

/* pkother may emit pkother-may, but not with variables that choose what root runs or loads:
 * each is refused with InvalidEnvironment naming the key, and the root task started by the
 * event never sees one; harmless variables still pass. */
static void
test_emit_loader_variables_refused (void)
{
  const char *hostile[] = {
    "LD_PRELOAD=/home/pkother/evil.so", "PATH=/home/pkother/bin:/usr/bin:/bin",
    "LD_LIBRARY_PATH=/home/pkother", "GCONV_PATH=/home/pkother", "PYTHONPATH=/home/pkother",
    "BASH_ENV=/home/pkother/rc", "MALLOC_CHECK_=3", "NODE_OPTIONS=--require=/x", "IFS=/",
    "TMPDIR=/home/pkother", NULL
  };

  for (guint i = 0; hostile[i] != NULL; i++)
    {
      g_autofree char *key = g_strndup (hostile[i], strchr (hostile[i], '=') - hostile[i]);
      g_autofree char *list = g_strdup_printf ("['SAFE=1', '%s']", hostile[i]);
      g_autoptr(PolkitRun) r = emit_as ("pkother", "pkother-may", list);

      assert_refused (r, INVALID_ENV, key);
    }
  {
    g_autoptr(PolkitRun) ok = emit_as ("pkother", "pkother-may", "['SAFE=from-pkother']");
    g_autofree char *seen = NULL;

    g_assert_cmpint (ok->status, ==, 0);
    seen = read_seen ();
    g_assert_nonnull (strstr (seen, "SAFE=from-pkother\n"));
    g_assert_null (strstr (seen, "/home/pkother"));
    g_assert_null (strstr (seen, "LD_PRELOAD"));
  }
}

/* Refused with InvalidEnvironment naming the key: @verb of pkother-job by pkother with
 * LD_PRELOAD, and with PATH. */
static void
assert_job_verb_refused (const char *verb)
{
  g_autoptr(PolkitRun) preload = job_verb_as ("pkother", "pkother-job", verb,
                                          "['LD_PRELOAD=/home/pkother/evil.so']");
  g_autoptr(PolkitRun) path = job_verb_as ("pkother", "pkother-job", verb,
                                       "['A=1', 'PATH=/home/pkother/bin']");

  assert_refused (preload, INVALID_ENV, "LD_PRELOAD");
  assert_refused (path, INVALID_ENV, "PATH");
}

/* The same for Job.Start, Restart and Stop of a job pkother may manage (a service that
 * records its environment when it starts). */
static void
test_job_loader_variables_refused (void)
{
  assert_job_verb_refused ("Start");
  {
    g_autoptr(PolkitRun) ok = job_verb_as ("pkother", "pkother-job", "Start", "['SAFE=job-start']");
    g_assert_cmpint (ok->status, ==, 0);
  }
  assert_job_verb_refused ("Restart");
  assert_job_verb_refused ("Stop");
  {
    g_autoptr(PolkitRun) ok = job_verb_as ("pkother", "pkother-job", "Stop", "[]");
    g_autofree char *seen = read_seen ();

    g_assert_cmpint (ok->status, ==, 0);
    g_assert_nonnull (strstr (seen, "SAFE=job-start\n"));
    g_assert_null (strstr (seen, "/home/pkother"));
    g_assert_null (strstr (seen, "LD_PRELOAD"));
  }
}

/* root still may pass any variable. */
static void
test_root_may_pass_variables (void)
{
  g_autoptr(PolkitRun) r = emit_as (NULL, "pkother-may",
                                "['PATH=/usr/bin:/bin:/root-chose-this', "
                                "'LD_LIBRARY_PATH=/root-lib']");
  g_autofree char *seen = NULL;

  g_assert_cmpint (r->status, ==, 0);
  seen = read_seen ();
  g_assert_nonnull (strstr (seen, "PATH=/usr/bin:/bin:/root-chose-this\n"));
  g_assert_nonnull (strstr (seen, "LD_LIBRARY_PATH=/root-lib\n"));
}

/* polkit gets the caller's keys as the detail env-keys (comma-separated, "" for none): a
 * rule lets pkother emit pkother-bare only without variables. */
static void
test_env_keys_detail (void)
{
  g_autoptr(PolkitRun) bare = emit_as ("pkother", "pkother-bare", "[]");
  g_autoptr(PolkitRun) with = emit_as ("pkother", "pkother-bare", "['A=1', 'B_2=x']");
  g_autofree char *log = NULL;

  g_assert_cmpint (bare->status, ==, 0);
  assert_refused (with, DENIED, "emit-events");
  log = polkit_fixture_get_log (env.pk);
  g_assert_nonnull (strstr (log, "INIT-TEST-ENV event=pkother-bare job=undefined env-keys=[]"));
  g_assert_nonnull (strstr (log, "INIT-TEST-ENV event=pkother-bare job=undefined env-keys=[A,B_2]"));
}

/* ---- item 5: sizes are checked before anything else ---- */

/* hostile-client (tests/face/hostile-client.c) as @user; returns its output. */
static char *
hostile_run (const char         *user,
             const char * const *args)
{
  g_autofree char *client = g_test_build_filename (G_TEST_BUILT, "face", "hostile-client", NULL);
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;

  g_strv_builder_add (argv, client);
  g_strv_builder_addv (argv, (const char **) args);
  strv = g_strv_builder_end (argv);
  g_assert_cmpint (polkit_fixture_run_as (env.fx, user, (const char * const *) strv, &out, &err),
                   ==, 0);
  g_test_message ("hostile-client: %s%s", out, err);
  return out;
}

/* More than 1 MiB or more than 1024 entries of environment are refused for everyone, before
 * polkit is asked. */
static void
test_env_size_capped (void)
{
  g_autoptr(GStrvBuilder) many = g_strv_builder_new ();
  g_auto(GStrv) many_env = NULL;
  g_autofree char *message = NULL;

  for (guint i = 0; i < 1025; i++)
    {
      g_autofree char *entry = g_strdup_printf ("K%u=1", i);
      g_strv_builder_add (many, entry);
    }
  many_env = g_strv_builder_end (many);
  message = dbus_fixture_call_fails (env.fx, MANAGER, I_MANAGER, "EmitEvent",
                                     g_variant_new ("(s^asb)", "pkother-may", many_env, TRUE),
                                     INVALID_ENV);
  g_assert_nonnull (strstr (message, "1024"));
  {
    const char *root_args[] = { "--env-mb", "2", "1", "emit", "pkother-may", NULL };
    const char *other_args[] = { "--env-mb", "2", "1", "emit", "not-granted", NULL };
    g_autofree char *root = hostile_run (NULL, root_args);
    g_autofree char *other = hostile_run ("pkother", other_args);
    g_autofree char *log = polkit_fixture_get_log (env.pk);

    g_assert_nonnull (strstr (root, INVALID_ENV "=1\n"));
    /* Refused for its size, not by polkit (which never heard of it). */
    g_assert_nonnull (strstr (other, INVALID_ENV "=1\n"));
    g_assert_null (strstr (log, "event=not-granted"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *task = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  env.fx = polkit_fixture_new_system_bus ();
  env.pk = polkit_fixture_new (env.fx);
  env.seen = dbus_fixture_path (env.fx, "seen.env");
  /* Root tasks that write the environment they were given where the test reads it. */
  task = g_strdup_printf ("task\nexec /bin/sh -c 'env >> %s'\n", env.seen);
  {
    g_autofree char *on_may = g_strconcat ("start on pkother-may\n", task, NULL);

    dbus_fixture_write_job (env.fx, "on-may", on_may);
  }
  {
    g_autofree char *service = g_strdup_printf ("exec /bin/sh -c 'env >> %s; exec sleep 100000'\n",
                                                env.seen);

    dbus_fixture_write_job (env.fx, "pkother-job", service);
  }
  dbus_fixture_write_job (env.fx, "svc", "exec sleep 100000\n");
  dbus_fixture_start_initd (env.fx, NULL, NULL);

  g_test_add_func ("/face/hostile/env/emit-loader-variables-refused",
                   test_emit_loader_variables_refused);
  g_test_add_func ("/face/hostile/env/job-loader-variables-refused",
                   test_job_loader_variables_refused);
  g_test_add_func ("/face/hostile/env/root-may-pass-variables", test_root_may_pass_variables);
  g_test_add_func ("/face/hostile/env/env-keys-detail", test_env_keys_detail);
  g_test_add_func ("/face/hostile/env/size-capped", test_env_size_capped);
  ret = g_test_run ();

  {
    g_autofree char *err = dbus_fixture_get_stderr (env.fx);
    g_test_message ("initd stderr:\n%s", err);
  }
  polkit_fixture_free (env.pk);
  dbus_fixture_free (env.fx);
  g_free (env.seen);
  return ret;
}
