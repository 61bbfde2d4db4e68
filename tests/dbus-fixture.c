/* dbus-fixture.c — a private dbus-daemon and the real initd on it, for integration tests */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "dbus-fixture.h"
#include "test-util.h"

#define WAIT_MS 20000
#define BUS_NAME "org.example.Init"

/* If the test dies (a failed assertion aborts it), its bus and daemon go too. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
timeout_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterate the main context (blocking, so nothing spins) until *@flag is set or @ms pass. */
static gboolean
iterate_until (gboolean *flag,
               guint     ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (ms, timeout_flag_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

static char *
find_data_file (const char *name)
{
  if (g_path_is_absolute (name))
    return g_strdup (name);
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static void
write_bus_config (DBusFixture *fx,
                  const char  *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *socket = g_build_filename (fx->dir, "bus.sock", NULL);
  g_autoptr(GString) config = NULL;

  g_file_get_contents (fx->template_path, &text, NULL, &error);
  g_assert_no_error (error);
  config = g_string_new (text);
  g_string_replace (config, "@SOCKET@", socket, 0);
  g_string_replace (config, "@POLICYDIR@", fx->policy_dir != NULL ? fx->policy_dir : fx->dir, 0);
  g_file_set_contents (path, config->str, config->len, &error);
  g_assert_no_error (error);
}

void
dbus_fixture_start_bus (DBusFixture *fx)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (fx->dir, "bus.conf", NULL);
  g_autofree char *config_arg = NULL;
  g_autofree char *log = g_build_filename (fx->dir, "bus.log", NULL);
  g_autofree char *line = NULL;

  g_assert_null (fx->bus);
  write_bus_config (fx, config);
  config_arg = g_strconcat ("--config-file=", config, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fx->bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", config_arg,
                                         "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);

  /* The address is printed once the socket listens: a blocking read is the readiness signal. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx->bus));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    {
      g_autofree char *text = test_util_read_file (log);
      g_error ("dbus-daemon did not start: %s", text);
    }
  g_assert_true (g_str_has_prefix (line, "unix:path="));

  fx->connection = g_dbus_connection_new_for_address_sync (
      fx->address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (fx->connection, FALSE);
}

static void
on_bus_exit (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

void
dbus_fixture_stop_bus (DBusFixture *fx,
                       gboolean     hard)
{
  gboolean done = FALSE;

  if (fx->bus == NULL)
    return;
  if (fx->connection != NULL)
    {
      g_dbus_connection_close_sync (fx->connection, NULL, NULL);
      g_clear_object (&fx->connection);
    }
  g_subprocess_wait_async (fx->bus, NULL, on_bus_exit, &done);
  g_subprocess_send_signal (fx->bus, hard ? SIGKILL : SIGTERM);
  g_assert_true (iterate_until (&done, WAIT_MS));
  g_clear_object (&fx->bus);
}

DBusFixture *
dbus_fixture_new (DBusFixtureMode  mode,
                  const char      *bus_template)
{
  DBusFixture *fx = g_new0 (DBusFixture, 1);
  g_autofree char *socket = NULL;

  g_assert_true (mode == DBUS_FIXTURE_SESSION || bus_template != NULL);
  fx->mode = mode;
  fx->dir = test_util_mkdtemp ();
  /* Other users (a client run as `nobody`) must reach the socket. */
  g_assert_cmpint (g_chmod (fx->dir, 0755), ==, 0);
  fx->confdir = g_build_filename (fx->dir, "conf", NULL);
  fx->logdir = g_build_filename (fx->dir, "log", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fx->confdir, 0755), ==, 0);
  fx->stderr_path = g_build_filename (fx->dir, "initd.err", NULL);
  socket = g_build_filename (fx->dir, "bus.sock", NULL);
  fx->address = g_strconcat ("unix:path=", socket, NULL);
  fx->template_path = find_data_file (bus_template != NULL ? bus_template : "session-bus.conf.in");
  dbus_fixture_start_bus (fx);
  return fx;
}

void
dbus_fixture_set_policy_dir (DBusFixture *fx,
                             const char  *dir)
{
  g_free (fx->policy_dir);
  fx->policy_dir = g_strdup (dir);
}

void
dbus_fixture_free (DBusFixture *fx)
{
  if (fx == NULL)
    return;
  if (fx->initd != NULL)
    dbus_fixture_stop_initd (fx);
  dbus_fixture_stop_bus (fx, FALSE);
  test_util_rm_rf (fx->dir);
  g_free (fx->dir);
  g_free (fx->confdir);
  g_free (fx->logdir);
  g_free (fx->address);
  g_free (fx->template_path);
  g_free (fx->policy_dir);
  g_free (fx->stderr_path);
  g_free (fx);
}

static const char *
address_variable (DBusFixture *fx)
{
  return fx->mode == DBUS_FIXTURE_SYSTEM ? "DBUS_SYSTEM_BUS_ADDRESS" : "DBUS_SESSION_BUS_ADDRESS";
}

static void
on_initd_exit (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  DBusFixture *fx = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  fx->initd_exited = TRUE;
}

typedef struct
{
  gboolean appeared;
  gboolean *exited;
} NameWait;

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  ((NameWait *) user_data)->appeared = TRUE;
}

static gboolean
wait_name (DBusFixture *fx,
           const char  *name,
           gboolean    *abort_flag)
{
  NameWait w = { FALSE, abort_flag };
  gboolean timed_out = FALSE;
  guint watch, timer;

  g_assert_nonnull (fx->connection);
  watch = g_bus_watch_name_on_connection (fx->connection, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          on_name_appeared, NULL, &w, NULL);
  timer = g_timeout_add (WAIT_MS, timeout_flag_cb, &timed_out);
  while (!w.appeared && !timed_out && !(abort_flag != NULL && *abort_flag))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timer);
  g_bus_unwatch_name (watch);
  return w.appeared;
}

gboolean
dbus_fixture_wait_name (DBusFixture *fx,
                        const char  *name)
{
  return wait_name (fx, name, NULL);
}

void
dbus_fixture_start_initd (DBusFixture        *fx,
                          const char * const *args,
                          const char * const *env)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *state_path = NULL;
  const char *initd = g_getenv ("INITD");

  g_assert_null (fx->initd);
  g_assert_nonnull (initd);
  g_ptr_array_add (argv, (char *) initd);
  g_ptr_array_add (argv, fx->mode == DBUS_FIXTURE_SYSTEM ? "--system" : "--session");
  g_ptr_array_add (argv, "--confdir");
  g_ptr_array_add (argv, fx->confdir);
  g_ptr_array_add (argv, "--logdir");
  g_ptr_array_add (argv, fx->logdir);
  if (args == NULL)
    g_ptr_array_add (argv, "--no-startup-event");
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  /* The crash-recovery file in the test's own directory unless the test names one: tests
   * running at the same time must never adopt each other's processes (a system daemon's
   * default is /run/init/state). */
  if (args == NULL || !g_strv_contains (args, "--state-file"))
    {
      g_ptr_array_add (argv, "--state-file");
      g_ptr_array_add (argv, state_path = g_build_filename (fx->dir, "state", NULL));
    }
  g_ptr_array_add (argv, NULL);

  /* stdout too (jobs with `console output` write there), so nothing holds the test's own. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS");
  g_subprocess_launcher_setenv (launcher, address_variable (fx), fx->address, TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1] != NULL ? kv[1] : "", TRUE);
    }
  g_subprocess_launcher_set_stdout_file_path (launcher, fx->stderr_path);
  fx->initd_exited = FALSE;
  fx->initd = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (fx->initd, NULL, on_initd_exit, fx);

  if (!wait_name (fx, BUS_NAME, &fx->initd_exited))
    {
      g_autofree char *err = dbus_fixture_get_stderr (fx);
      g_error ("initd did not take %s (%s); stderr:\n%s", BUS_NAME,
               fx->initd_exited ? "it exited" : "timeout", err);
    }
}

int
dbus_fixture_stop_initd (DBusFixture *fx)
{
  int status;

  if (fx->initd == NULL)
    return -1;
  if (!fx->initd_exited)
    g_subprocess_send_signal (fx->initd, SIGTERM);
  g_assert_true (iterate_until (&fx->initd_exited, WAIT_MS));
  if (g_subprocess_get_if_signaled (fx->initd))
    status = 128 + g_subprocess_get_term_sig (fx->initd);
  else
    status = g_subprocess_get_exit_status (fx->initd);
  g_clear_object (&fx->initd);
  return status;
}

int
dbus_fixture_get_initd_pid (DBusFixture *fx)
{
  const char *id;

  if (fx->initd == NULL || fx->initd_exited)
    return 0;
  id = g_subprocess_get_identifier (fx->initd);
  return id != NULL ? atoi (id) : 0;
}

char *
dbus_fixture_get_stderr (DBusFixture *fx)
{
  char *text = test_util_read_file (fx->stderr_path);

  return text != NULL ? text : g_strdup ("");
}

void
dbus_fixture_write_job (DBusFixture *fx,
                        const char  *name,
                        const char  *text)
{
  g_autofree char *file = g_strconcat (name, ".conf", NULL);

  test_util_write_file (fx->confdir, file, text);
}

char *
dbus_fixture_path (DBusFixture *fx,
                   const char  *name)
{
  return g_build_filename (fx->dir, name, NULL);
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} RunResult;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RunResult *r = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &r->out, &r->err,
                                        &r->error);
  r->done = TRUE;
}

int
dbus_fixture_run (DBusFixture        *fx,
                  const char * const *argv,
                  char              **out,
                  char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  RunResult r = { 0 };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, address_variable (fx), fx->address, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, &r);
  g_assert_true (iterate_until (&r.done, 120000));
  g_assert_no_error (r.error);
  /* communicate returns at EOF; the exit status may need one more turn of the loop */
  {
    gboolean exited = FALSE;
    g_subprocess_wait_async (proc, NULL, on_bus_exit, &exited);
    g_assert_true (iterate_until (&exited, WAIT_MS));
  }
  if (out != NULL)
    *out = g_steal_pointer (&r.out);
  if (err != NULL)
    *err = g_steal_pointer (&r.err);
  g_free (r.out);
  g_free (r.err);
  if (g_subprocess_get_if_signaled (proc))
    return 128 + g_subprocess_get_term_sig (proc);
  return g_subprocess_get_exit_status (proc);
}

GVariant *
dbus_fixture_call (DBusFixture *fx,
                   const char  *path,
                   const char  *iface,
                   const char  *method,
                   GVariant    *params,
                   GError     **error)
{
  return g_dbus_connection_call_sync (fx->connection, "org.example.Init", path, iface, method,
                                      params, NULL, G_DBUS_CALL_FLAGS_NONE, 60000, NULL, error);
}

GVariant *
dbus_fixture_call_ok (DBusFixture *fx,
                      const char  *path,
                      const char  *iface,
                      const char  *method,
                      GVariant    *params)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = dbus_fixture_call (fx, path, iface, method, params, &error);

  g_assert_no_error (error);
  return reply;
}

char *
dbus_fixture_call_fails (DBusFixture *fx,
                         const char  *path,
                         const char  *iface,
                         const char  *method,
                         GVariant    *params,
                         const char  *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = dbus_fixture_call (fx, path, iface, method, params, &error);
  g_autofree char *remote = NULL;

  g_assert_null (reply);
  g_assert_nonnull (error);
  remote = g_dbus_error_get_remote_error (error);
  g_test_message ("%s: %s", remote, error->message);
  g_assert_cmpstr (remote, ==, name);
  g_dbus_error_strip_remote_error (error);
  return g_strdup (error->message);
}
