/* polkit-fixture.c — the real polkitd on a private system bus, and test users */
#define G_LOG_DOMAIN "polkit-fixture"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include "polkit-fixture.h"
#include "test-util.h"

#define WAIT_MS 20000
#define POLKIT_NAME "org.freedesktop.PolicyKit1"

static const char * const test_users[] = { "pkuser", "pkother", NULL };

void
polkit_fixture_ensure_users (void)
{
  g_assert_cmpint (getuid (), ==, 0);
  for (guint i = 0; test_users[i] != NULL; i++)
    {
      /* Another test program may be adding the same user right now: useradd then fails
       * on the passwd lock or because the user exists; retry until it is there. */
      for (guint attempt = 0; getpwnam (test_users[i]) == NULL && attempt < 50; attempt++)
        {
          const char *argv[] = { "useradd", "-m", "-s", "/bin/sh", test_users[i], NULL };
          g_autoptr(GError) error = NULL;

          g_spawn_sync (NULL, (char **) argv, NULL,
                        G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          if (getpwnam (test_users[i]) == NULL)
            g_usleep (100 * 1000);
        }
      g_assert_nonnull (getpwnam (test_users[i]));
    }
}

guint32
polkit_fixture_uid (const char *user)
{
  struct passwd *pw = getpwnam (user);

  g_assert_nonnull (pw);
  return pw->pw_uid;
}

static void
copy_file (const char *from,
           const char *to_dir)
{
  g_autofree char *base = g_path_get_basename (from);
  g_autofree char *to = g_build_filename (to_dir, base, NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (from, &text, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, text, len, &error);
  g_assert_no_error (error);
  /* polkitd drops to its own user before it reads them. */
  g_assert_cmpint (g_chmod (to, 0644), ==, 0);
}

static void
copy_dir_files (const char *from_dir,
                const char *suffix,
                const char *to_dir)
{
  g_autoptr(GDir) dir = g_dir_open (from_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, suffix))
      {
        g_autofree char *path = g_build_filename (from_dir, name, NULL);
        copy_file (path, to_dir);
      }
}

static char *
make_dir (PolkitFixture *pk,
          const char    *name)
{
  char *path = g_build_filename (pk->dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

PolkitFixture *
polkit_fixture_new (DBusFixture *fx)
{
  PolkitFixture *pk = g_new0 (PolkitFixture, 1);
  g_autofree char *actions = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *test_rules = g_test_build_filename (G_TEST_DIST, "data", "polkit", NULL);
  const char *policy = g_getenv ("INIT_POLKIT_POLICY");

  g_assert_nonnull (policy);
  g_assert_cmpint (getuid (), ==, 0);
  pk->fx = fx;
  pk->dir = test_util_mkdtemp ();
  g_assert_cmpint (g_chmod (pk->dir, 0755), ==, 0);
  pk->log_path = g_build_filename (pk->dir, "polkitd.log", NULL);

  actions = make_dir (pk, "actions");
  rules = make_dir (pk, "rules.d");
  empty = make_dir (pk, "rules-empty");
  copy_dir_files ("/usr/share/polkit-1/actions", ".policy", actions);
  copy_file (policy, actions);
  copy_dir_files (test_rules, ".rules", rules);

  polkit_fixture_start (pk);
  return pk;
}

static void
on_polkitd_exit (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

void
polkit_fixture_start (PolkitFixture *pk)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actions = g_build_filename (pk->dir, "actions", NULL);
  g_autofree char *rules = g_build_filename (pk->dir, "rules.d", NULL);
  g_autofree char *empty = g_build_filename (pk->dir, "rules-empty", NULL);
  const char *polkitd = g_getenv ("POLKITD") != NULL ? g_getenv ("POLKITD") : "/usr/lib/polkit-1/polkitd";
  gboolean appeared = FALSE;
  gboolean timed_out = FALSE;
  guint watch, timer;
  int log_fd;

  g_assert_null (pk->polkitd);
  g_assert_true (g_file_test (polkitd, G_FILE_TEST_IS_EXECUTABLE));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS", pk->fx->address, TRUE);
  /* Appended to, so the log of an earlier run (before a restart) stays readable. */
  log_fd = g_open (pk->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  g_assert_cmpint (log_fd, >=, 0);
  g_subprocess_launcher_take_stdout_fd (launcher, log_fd);
  /* The paths travel as positional parameters, never inside the script text.  No
   * --no-debug: the test rules' polkit.log() lines (what initd sent) only appear in debug
   * output, and the tests read them from the log. */
  pk->polkitd = g_subprocess_launcher_spawn (
      launcher, &error,
      "unshare", "-m", "--propagation", "private", "sh", "-c",
      "mount --bind \"$1\" /usr/share/polkit-1/actions && "
      "mount --bind \"$2\" /etc/polkit-1/rules.d && "
      "mount --bind \"$3\" /usr/share/polkit-1/rules.d && "
      "exec \"$4\"",
      "sh", actions, rules, empty, polkitd, NULL);
  g_assert_no_error (error);
  pk->exited = FALSE;
  g_subprocess_wait_async (pk->polkitd, NULL, on_polkitd_exit, &pk->exited);

  watch = g_bus_watch_name_on_connection (pk->fx->connection, POLKIT_NAME,
                                          G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          on_name_appeared, NULL, &appeared, NULL);
  timer = g_timeout_add (WAIT_MS, flag_cb, &timed_out);
  while (!appeared && !timed_out && !pk->exited)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timer);
  g_bus_unwatch_name (watch);
  if (!appeared)
    {
      g_autofree char *log = polkit_fixture_get_log (pk);
      g_error ("polkitd did not take %s (%s); log:\n%s", POLKIT_NAME,
               pk->exited ? "it exited" : "timeout", log);
    }
}

void
polkit_fixture_wait_exit (PolkitFixture *pk)
{
  gboolean timed_out = FALSE;
  guint timer;

  if (pk->polkitd == NULL)
    return;
  timer = g_timeout_add (WAIT_MS, flag_cb, &timed_out);
  while (!pk->exited && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pk->exited);
  g_source_remove (timer);
  g_clear_object (&pk->polkitd);
}

void
polkit_fixture_stop (PolkitFixture *pk)
{
  if (pk->polkitd == NULL)
    return;
  if (!pk->exited)
    g_subprocess_send_signal (pk->polkitd, SIGTERM);
  polkit_fixture_wait_exit (pk);
}

char *
polkit_fixture_get_log (PolkitFixture *pk)
{
  char *text = test_util_read_file (pk->log_path);

  return text != NULL ? text : g_strdup ("");
}

void
polkit_fixture_free (PolkitFixture *pk)
{
  if (pk == NULL)
    return;
  polkit_fixture_stop (pk);
  test_util_rm_rf (pk->dir);
  g_free (pk->dir);
  g_free (pk->log_path);
  g_free (pk);
}

int
polkit_fixture_run_as (DBusFixture        *fx,
                       const char         *user,
                       const char * const *argv,
                       char              **out,
                       char              **err)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_free);

  if (user != NULL)
    {
      /* setpriv keeps the environment, so the bus address set by dbus_fixture_run() stays. */
      g_ptr_array_add (full, g_strdup ("setpriv"));
      g_ptr_array_add (full, g_strdup_printf ("--reuid=%u", polkit_fixture_uid (user)));
      g_ptr_array_add (full, g_strdup_printf ("--regid=%u", getpwnam (user)->pw_gid));
      g_ptr_array_add (full, g_strdup ("--init-groups"));
      g_ptr_array_add (full, g_strdup ("--"));
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, g_strdup (argv[i]));
  g_ptr_array_add (full, NULL);
  return dbus_fixture_run (fx, (const char * const *) full->pdata, out, err);
}
