/* test-initctl-auth.c — initctl and polkit: the real polkitd, the real bus policy, test users
 *
 * A private system bus with data/org.example.Init.conf, polkitd with tests/data/polkit's
 * rules (pkuser may do everything, pkother nothing but emit `pkother-may'; a job named
 * `needs-auth' wants an administrator's password from anyone but root), and initd --system.
 * Needs root (to start polkitd and to switch users); CI runs as root.
 */
#include <string.h>
#include <unistd.h>

#include "initctl-run.h"
#include "polkit-fixture.h"
#include "test-util.h"

#define DENIED_JOBS "initctl: Permission denied: Not authorized to perform this operation " \
  "(org.example.Init.manage-jobs)\n"
#define DENIED_EVENTS "initctl: Permission denied: Not authorized to perform this operation " \
  "(org.example.Init.emit-events)\n"

typedef struct
{
  DBusFixture   *fx;
  PolkitFixture *pk;
} AuthEnv;

static gboolean
auth_env_init (AuthEnv *env)
{
  const char *jobs[] = {
    "svc", "exec sleep 1000\n",
    "needs-auth", "exec sleep 1000\n",
    NULL
  };
  g_autofree char *policy_dir = NULL;

  if (getuid () != 0)
    {
      g_test_skip ("needs root (polkitd, test users)");
      return FALSE;
    }
  polkit_fixture_ensure_users ();
  env->fx = dbus_fixture_new (DBUS_FIXTURE_SYSTEM, "system-bus.conf.in");
  /* The bus policy we install (data/org.example.Init.conf), not an allow-all one. */
  policy_dir = g_test_build_filename (G_TEST_BUILT, "..", "data", NULL);
  dbus_fixture_set_policy_dir (env->fx, policy_dir);
  dbus_fixture_stop_bus (env->fx, FALSE);
  dbus_fixture_start_bus (env->fx);
  env->pk = polkit_fixture_new (env->fx);
  for (guint i = 0; jobs[i] != NULL; i += 2)
    run_write_job (env->fx, jobs[i], jobs[i + 1]);
  dbus_fixture_start_initd (env->fx, NULL, NULL);
  return TRUE;
}

static void
auth_env_clear (AuthEnv *env)
{
  polkit_fixture_free (env->pk);
  dbus_fixture_free (env->fx);
}

static int
run_as (AuthEnv    *env,
        const char *user,
        char      **out,
        char      **err,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  RunOptions opts = { NULL, user, FALSE };
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, "initctl");
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return run_argv (env->fx, &opts, (const char *const *) argv->pdata, out, err);
}

static void
assert_status (AuthEnv    *env,
               const char *job,
               const char *expected)
{
  g_autofree char *out = NULL;
  g_autofree char *masked = NULL;

  g_assert_cmpint (run_as (env, NULL, &out, NULL, "status", job, NULL), ==, 0);
  masked = run_mask_pids (out);
  g_assert_cmpstr (masked, ==, expected);
}

/* A user a rule allows changes jobs and emits events, no password asked. */
static void
test_granted_user (void)
{
  AuthEnv env = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *masked = NULL;

  if (!auth_env_init (&env))
    return;
  g_assert_cmpint (run_as (&env, "pkuser", &out, &err, "start", "svc", NULL), ==, 0);
  masked = run_mask_pids (out);
  g_assert_cmpstr (masked, ==, "svc start/running, process N\n");
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (run_as (&env, "pkuser", NULL, NULL, "emit", "anything", NULL), ==, 0);
  g_assert_cmpint (run_as (&env, "pkuser", NULL, NULL, "reload-configuration", NULL), ==, 0);
  g_assert_cmpint (run_as (&env, "pkuser", NULL, NULL, "stop", "svc", NULL), ==, 0);
  assert_status (&env, "svc", "svc stop/waiting\n");
  auth_env_clear (&env);
}

/* A denied user gets one clear line and exit status 6, and nothing changes; reading works. */
static void
test_denied_user (void)
{
  AuthEnv env = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *list = NULL;

  if (!auth_env_init (&env))
    return;
  g_assert_cmpint (run_as (&env, "pkother", &out, &err, "start", "svc", NULL), ==, 6);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, DENIED_JOBS);
  assert_status (&env, "svc", "svc stop/waiting\n");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_as (&env, "pkother", NULL, &err, "emit", "forbidden", NULL), ==, 6);
  g_assert_cmpstr (err, ==, DENIED_EVENTS);
  /* The rules see the details initd sends: this one event is allowed. */
  g_assert_cmpint (run_as (&env, "pkother", NULL, NULL, "emit", "pkother-may", NULL), ==, 0);
  g_assert_cmpint (run_as (&env, "pkother", &list, NULL, "list", NULL), ==, 0);
  g_assert_cmpstr (list, ==, "needs-auth stop/waiting\nsvc stop/waiting\n");
  g_assert_cmpint (run_as (&env, "pkother", NULL, NULL, "status", "svc", NULL), ==, 0);
  g_assert_cmpint (run_as (&env, "pkother", NULL, NULL, "show-config", NULL), ==, 0);
  auth_env_clear (&env);
}

/* `reexec' by a user polkit refuses: one line naming the reexec action, exit status 6, and
 * the daemon is the same process, its job untouched. */
static void
test_reexec_denied (void)
{
  AuthEnv env = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  int initd_pid;

  if (!auth_env_init (&env))
    return;
  g_assert_cmpint (run_as (&env, NULL, &before, NULL, "start", "svc", NULL), ==, 0);
  initd_pid = dbus_fixture_get_initd_pid (env.fx);
  g_assert_cmpint (run_as (&env, "pkother", &out, &err, "reexec", NULL), ==, 6);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "initctl: Permission denied: Not authorized to perform this "
                   "operation (org.example.Init.reexec)\n");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_as (&env, "pkother", NULL, &err, "--verbose", "reexec", NULL), ==, 6);
  g_assert_true (g_str_has_suffix (err, "(org.freedesktop.DBus.Error.AccessDenied)\n"));
  g_assert_cmpint (run_as (&env, NULL, &after, NULL, "status", "svc", NULL), ==, 0);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (dbus_fixture_get_initd_pid (env.fx), ==, initd_pid);
  {
    g_autofree char *log = polkit_fixture_get_log (env.pk);

    g_assert_nonnull (strstr (log, "INIT-TEST action=org.example.Init.reexec user=pkother"));
  }
  auth_env_clear (&env);
}

/* root needs no password, whatever the rules say. */
static void
test_root (void)
{
  AuthEnv env = { 0 };
  g_autofree char *out = NULL;

  if (!auth_env_init (&env))
    return;
  g_assert_cmpint (run_as (&env, NULL, &out, NULL, "start", "needs-auth", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "needs-auth start/running, process "));
  auth_env_clear (&env);
}

/* On a terminal, when polkit wants a password, initctl's own agent asks for it; a wrong one
 * is a denial (6) and the job stays as it was.  The agent is unregistered and freed before
 * initctl exits. */
static void
test_password_prompt (void)
{
  AuthEnv env = { 0 };
  const char *argv[] = { "initctl", "start", "needs-auth", NULL };
  RunOptions opts = { NULL, "pkuser", FALSE };
  g_autofree char *output = NULL;
  int status;

  if (!auth_env_init (&env))
    return;
  status = run_on_pty (env.fx, &opts, argv, "Password: ", "not-the-password\n", &output);
  g_test_message ("terminal:\n%s", output);
  g_assert_nonnull (strstr (output, "AUTHENTICATING FOR org.example.Init.manage-jobs"));
  g_assert_nonnull (strstr (output,
                            "Authentication is required to start the job “needs-auth”."));
  g_assert_nonnull (strstr (output, "Password: "));
  g_assert_nonnull (strstr (output, "AUTHENTICATION FAILED"));
  g_assert_true (g_str_has_suffix (output, "initctl: Permission denied: Not authorized to "
                                   "perform this operation "
                                   "(org.example.Init.manage-jobs)\r\n"));
  g_assert_cmpint (status, ==, 6);
  assert_status (&env, "needs-auth", "needs-auth stop/waiting\n");
  {
    /* initctl unregistered and freed its agent before exiting (polkitd did not have to
     * notice it gone with the connection, "… (disconnected from bus)"). */
    g_autofree char *log = polkit_fixture_get_log (env.pk);
    const char *gone = strstr (log, "Unregistered Authentication Agent for unix-process:");
    const char *end = gone != NULL ? strchr (gone, '\n') : NULL;
    g_autofree char *line = gone != NULL ? g_strndup (gone, end != NULL ? (gsize) (end - gone) : strlen (gone)) : NULL;

    g_assert_nonnull (line);
    g_assert_null (strstr (line, "disconnected from bus"));
  }
  auth_env_clear (&env);
}

/* Ctrl-C at the password prompt: exit status 130 and the terminal echoes again. */
static void
test_ctrl_c_at_prompt (void)
{
  AuthEnv env = { 0 };
  const char *argv[] = { "initctl", "start", "needs-auth", NULL };
  RunOptions opts = { NULL, "pkuser", FALSE };
  g_autofree char *output = NULL;

  if (!auth_env_init (&env))
    return;
  /* ^C typed on the terminal: the line discipline sends SIGINT to initctl. */
  g_assert_cmpint (run_on_pty (env.fx, &opts, argv, "Password: ", "\003", &output), ==, 130);
  g_assert_nonnull (strstr (output, "Password: "));
  g_assert_true (run_pty_echoed);
  assert_status (&env, "needs-auth", "needs-auth stop/waiting\n");
  auth_env_clear (&env);
}

/* --no-ask-password: no prompt even on a terminal; the denial says why. */
static void
test_no_ask_password (void)
{
  AuthEnv env = { 0 };
  const char *argv[] = { "initctl", "--no-ask-password", "start", "needs-auth", NULL };
  RunOptions opts = { NULL, "pkuser", FALSE };
  g_autofree char *output = NULL;

  if (!auth_env_init (&env))
    return;
  g_assert_cmpint (run_on_pty (env.fx, &opts, argv, NULL, NULL, &output), ==, 6);
  g_assert_cmpstr (output, ==, "initctl: Permission denied: authentication is required (and "
                   "--no-ask-password was given)\r\n");
  auth_env_clear (&env);
}

/* Without a terminal there is nobody to ask: a denial (6), one line. */
static void
test_no_terminal (void)
{
  AuthEnv env = { 0 };
  g_autofree char *err = NULL;

  if (!auth_env_init (&env))
    return;
  g_assert_cmpint (run_as (&env, "pkuser", NULL, &err, "start", "needs-auth", NULL), ==, 6);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_str_has_prefix (err, "initctl: Permission denied"));
  g_assert_cmpint (strchr (err, '\n')[1], ==, '\0');
  assert_status (&env, "needs-auth", "needs-auth stop/waiting\n");
  auth_env_clear (&env);
}

void
test_initctl_auth_register (void)
{
  g_test_add_func ("/initctl/auth/granted-user", test_granted_user);
  g_test_add_func ("/initctl/auth/denied-user", test_denied_user);
  g_test_add_func ("/initctl/auth/reexec-denied", test_reexec_denied);
  g_test_add_func ("/initctl/auth/root", test_root);
  g_test_add_func ("/initctl/auth/password-prompt", test_password_prompt);
  g_test_add_func ("/initctl/auth/ctrl-c-at-prompt", test_ctrl_c_at_prompt);
  g_test_add_func ("/initctl/auth/no-ask-password", test_no_ask_password);
  g_test_add_func ("/initctl/auth/no-terminal", test_no_terminal);
}
