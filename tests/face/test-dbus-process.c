/* test-dbus-process.c — the D-Bus face of process supervision: Manager.ProcessTracking,
 * Instance.GetProcessTree and who may call Manager.Reexec, against the real initd on a
 * private session bus (Reexec itself, and polkit's say on it, are tested elsewhere)
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "init-dbus-error.h"
#include "init-dbus-generated.h"
#include "test-util.h"

#define NAME "org.example.Init"
#define MANAGER "/org/example/Init"
#define JOBS "/org/example/Init/jobs/"
#define IFACE_MANAGER "org.example.Init"
#define IFACE_JOB "org.example.Init.Job"
#define IFACE_INSTANCE "org.example.Init.Instance"
#define WAIT_MS 20000

/* ---- helpers ---- */

static DBusFixture *
start_daemon (const char *const *jobs)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);

  for (guint i = 0; jobs != NULL && jobs[i] != NULL; i += 2)
    dbus_fixture_write_job (fx, jobs[i], jobs[i + 1]);
  dbus_fixture_start_initd (fx, NULL, NULL);
  return fx;
}

static void
stop_daemon (DBusFixture *fx)
{
  g_autofree char *err = dbus_fixture_get_stderr (fx);

  /* whatever the test did, initd never tripped a GLib check */
  g_assert_null (strstr (err, "runtime check failed"));
  g_assert_null (strstr (err, "CRITICAL"));
  dbus_fixture_free (fx);
}

static void
start_job (DBusFixture *fx,
           const char  *job,
           gboolean     wait)
{
  g_autofree char *path = g_strconcat (JOBS, job, NULL);
  g_autoptr(GVariant) reply = NULL;

  reply = dbus_fixture_call_ok (fx, path, IFACE_JOB, "Start",
                                g_variant_new ("(^asb)", (const char *[]) { NULL }, wait));
}

/* GetProcessTree of @job's only instance: a(iiss). */
static GVariant *
process_tree (DBusFixture *fx,
              const char  *job)
{
  g_autofree char *path = g_strconcat (JOBS, job, "/_", NULL);
  g_autoptr(GVariant) reply = dbus_fixture_call_ok (fx, path, IFACE_INSTANCE, "GetProcessTree",
                                                    NULL);

  g_assert_cmpstr (g_variant_get_type_string (reply), ==, "(a(iiss))");
  return g_variant_get_child_value (reply, 0);
}

typedef struct
{
  DBusFixture *fx;
  const char  *job;
  gsize        n;
  const char  *last;
  GVariant    *tree;
} TreeWait;

static gboolean
tree_has_n (gpointer user_data)
{
  TreeWait *w = user_data;
  gsize n;
  const char *last = NULL;

  g_clear_pointer (&w->tree, g_variant_unref);
  w->tree = process_tree (w->fx, w->job);
  n = g_variant_n_children (w->tree);
  if (n > 0)
    g_variant_get_child (w->tree, n - 1, "(ii&s&s)", NULL, NULL, NULL, &last);
  return n == w->n && (w->last == NULL || g_strcmp0 (last, w->last) == 0);
}

/* Wait until @job's tree has @n processes, the last one running @last if not NULL
 * (background children start, and then exec, a moment after the job is running);
 * returns it. */
static GVariant *
wait_tree (DBusFixture *fx,
           const char  *job,
           gsize        n,
           const char  *last)
{
  TreeWait w = { fx, job, n, last, NULL };

  if (!test_util_wait_until (tree_has_n, &w, WAIT_MS))
    {
      g_autofree char *text = g_variant_print (w.tree, FALSE);
      g_error ("%s: tree %s, wanted %" G_GSIZE_FORMAT " processes", job, text, n);
    }
  return w.tree;
}

/* The pid of @job's process @name from its Processes property, 0 if none. */
static int
instance_pid (DBusFixture *fx,
              const char  *job,
              const char  *name)
{
  g_autofree char *path = g_strconcat (JOBS, job, "/_", NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  GVariantIter iter;
  const char *process;
  gint32 pid;

  reply = dbus_fixture_call_ok (fx, path, "org.freedesktop.DBus.Properties", "Get",
                                g_variant_new ("(ss)", IFACE_INSTANCE, "Processes"));
  g_variant_get (reply, "(v)", &value);
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&si)", &process, &pid))
    if (g_str_equal (process, name))
      return pid;
  return 0;
}

/* /proc/PID/cmdline with the arguments joined by spaces. */
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

/* ---- cases ---- */

/* ProcessTracking names one of the two ways forks are followed, through Get, GetAll and the
 * generated proxy; the new members are in the introspection data the daemon serves. */
static void
test_process_tracking (void)
{
  DBusFixture *fx = start_daemon ((const char *[]) { "svc", "exec sleep 1000\n", NULL });
  g_autoptr(InitDBusManager) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GVariant) all = NULL;
  g_autoptr(GVariant) intro = NULL;
  const char *tracking, *xml;

  reply = dbus_fixture_call_ok (fx, MANAGER, "org.freedesktop.DBus.Properties", "Get",
                                g_variant_new ("(ss)", IFACE_MANAGER, "ProcessTracking"));
  g_variant_get (reply, "(v)", &value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  tracking = g_variant_get_string (value, NULL);
  g_assert_true (g_str_equal (tracking, "proc-connector") || g_str_equal (tracking, "proc-scan"));

  g_clear_pointer (&reply, g_variant_unref);
  reply = dbus_fixture_call_ok (fx, MANAGER, "org.freedesktop.DBus.Properties", "GetAll",
                                g_variant_new ("(s)", IFACE_MANAGER));
  g_variant_get (reply, "(@a{sv})", &all);
  {
    const char *from_all = NULL;

    g_assert_true (g_variant_lookup (all, "ProcessTracking", "&s", &from_all));
    g_assert_cmpstr (from_all, ==, tracking);
  }

  proxy = init_dbus_manager_proxy_new_sync (fx->connection, G_DBUS_PROXY_FLAGS_NONE, NAME,
                                            MANAGER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (init_dbus_manager_get_process_tracking (proxy), ==, tracking);

  g_clear_pointer (&reply, g_variant_unref);
  reply = dbus_fixture_call_ok (fx, MANAGER, "org.freedesktop.DBus.Introspectable", "Introspect",
                                NULL);
  g_variant_get (reply, "(&s)", &xml);
  g_assert_nonnull (strstr (xml, "<method name=\"Reexec\""));
  g_assert_nonnull (strstr (xml, "<property type=\"s\" name=\"ProcessTracking\" access=\"read\""));
  start_job (fx, "svc", TRUE);
  g_clear_pointer (&reply, g_variant_unref);
  reply = dbus_fixture_call_ok (fx, JOBS "svc/_", "org.freedesktop.DBus.Introspectable",
                                "Introspect", NULL);
  g_variant_get (reply, "(&s)", &xml);
  g_assert_nonnull (strstr (xml, "<method name=\"GetProcessTree\">"));
  g_assert_nonnull (strstr (xml, "<arg type=\"a(iiss)\" name=\"processes\" direction=\"out\"/>"));
  stop_daemon (fx);
}

/* A running job whose script starts a background child: the tree is the main process (its
 * parent initd, its command line the kernel's) and then the child, whose parent is the main
 * process, with no role and its own command line. */
static void
test_tree_background_child (void)
{
  const char *jobs[] = {
    "bg", "console none\nscript\n  sleep 4711 &\n  wait\nend script\n",
    NULL
  };
  DBusFixture *fx = start_daemon (jobs);
  g_autoptr(GVariant) tree = NULL;
  g_autofree char *main_cmdline = NULL;
  gint32 pid[2], ppid[2];
  const char *role[2], *cmdline[2];
  int main_pid;

  start_job (fx, "bg", TRUE);
  main_pid = instance_pid (fx, "bg", "main");
  g_assert_cmpint (main_pid, >, 0);
  tree = wait_tree (fx, "bg", 2, "sleep 4711");
  for (guint i = 0; i < 2; i++)
    g_variant_get_child (tree, i, "(ii&s&s)", &pid[i], &ppid[i], &role[i], &cmdline[i]);

  main_cmdline = proc_cmdline (main_pid);
  g_assert_cmpint (pid[0], ==, main_pid);
  g_assert_cmpint (ppid[0], ==, dbus_fixture_get_initd_pid (fx));
  g_assert_cmpstr (role[0], ==, "main");
  g_assert_cmpstr (cmdline[0], ==, main_cmdline);

  g_assert_cmpint (pid[1], !=, main_pid);
  g_assert_true (test_util_pid_alive (pid[1]));
  g_assert_cmpint (ppid[1], ==, main_pid);
  g_assert_cmpstr (role[1], ==, "");
  g_assert_cmpstr (cmdline[1], ==, "sleep 4711");

  /* The generated proxy call gives the same. */
  {
    g_autoptr(InitDBusInstance) proxy = NULL;
    g_autoptr(GVariant) again = NULL;
    g_autoptr(GError) error = NULL;

    proxy = init_dbus_instance_proxy_new_sync (fx->connection, G_DBUS_PROXY_FLAGS_NONE, NAME,
                                               JOBS "bg/_", NULL, &error);
    g_assert_no_error (error);
    g_assert_true (init_dbus_instance_call_get_process_tree_sync (proxy, &again, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_variant_equal (again, tree));
  }
  stop_daemon (fx);
}

/* Processes the instance started besides main carry their role: during post-start the
 * tree is main first, then the post-start process, each as Processes names it. */
static void
test_tree_roles (void)
{
  const char *jobs[] = {
    "aux", "console none\npost-start exec sleep 1001\nexec sleep 1002\n",
    NULL
  };
  DBusFixture *fx = start_daemon (jobs);
  g_autoptr(GVariant) tree = NULL;
  gint32 pid, ppid;
  const char *role, *cmdline;

  start_job (fx, "aux", FALSE);
  tree = wait_tree (fx, "aux", 2, "sleep 1001");
  g_variant_get_child (tree, 0, "(ii&s&s)", &pid, &ppid, &role, &cmdline);
  g_assert_cmpstr (role, ==, "main");
  g_assert_cmpint (pid, ==, instance_pid (fx, "aux", "main"));
  g_assert_cmpstr (cmdline, ==, "sleep 1002");
  g_variant_get_child (tree, 1, "(ii&s&s)", &pid, &ppid, &role, &cmdline);
  g_assert_cmpstr (role, ==, "post-start");
  g_assert_cmpint (pid, ==, instance_pid (fx, "aux", "post-start"));
  g_assert_cmpint (ppid, ==, dbus_fixture_get_initd_pid (fx));
  g_assert_cmpstr (cmdline, ==, "sleep 1001");
  stop_daemon (fx);
}

/* An instance without processes (a running abstract job) has an empty tree. */
static void
test_tree_empty (void)
{
  DBusFixture *fx = start_daemon ((const char *[]) { "abstract", "\n", NULL });
  g_autoptr(GVariant) tree = NULL;

  start_job (fx, "abstract", TRUE);
  tree = process_tree (fx, "abstract");
  g_assert_cmpuint (g_variant_n_children (tree), ==, 0);
  stop_daemon (fx);
}

/* Session daemon, another user (nobody): the tree is open but without command lines (they
 * are the daemon's user's), Reexec is refused with AccessDenied before anything happens (the
 * daemon is the same process, its job runs on). */
static void
test_other_user (void)
{
  DBusFixture *fx = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *tree_argv[] = {
    "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
    "gdbus", "call", "--address", NULL, "-d", NAME, "-o", JOBS "svc/_",
    "-m", IFACE_INSTANCE ".GetProcessTree", NULL
  };
  const char *reexec_argv[] = {
    "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
    "gdbus", "call", "--address", NULL, "-d", NAME, "-o", MANAGER,
    "-m", IFACE_MANAGER ".Reexec", NULL
  };
  int initd_pid, main_pid;

  if (getuid () != 0 || !g_file_test ("/usr/bin/setpriv", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs root and setpriv to call as another user");
      return;
    }
  fx = start_daemon ((const char *[]) { "svc", "console none\nexec sleep 1000\n", NULL });
  tree_argv[7] = reexec_argv[7] = fx->address;
  start_job (fx, "svc", TRUE);
  initd_pid = dbus_fixture_get_initd_pid (fx);
  main_pid = instance_pid (fx, "svc", "main");

  g_assert_cmpint (dbus_fixture_run (fx, tree_argv, &out, &err), ==, 0);
  {
    g_autofree char *expected = g_strdup_printf ("([(%d, %d, 'main', '')],)\n",
                                                 main_pid, initd_pid);
    g_assert_cmpstr (out, ==, expected);
  }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dbus_fixture_run (fx, reexec_argv, NULL, &err), !=, 0);
  g_assert_true (g_str_has_prefix (err, "Error: GDBus.Error:org.freedesktop.DBus.Error.AccessDenied: "));
  g_assert_cmpint (dbus_fixture_get_initd_pid (fx), ==, initd_pid);
  g_assert_cmpint (instance_pid (fx, "svc", "main"), ==, main_pid);
  {
    g_autofree char *log = dbus_fixture_get_stderr (fx);
    g_assert_null (strstr (log, "Re-executing"));
  }
  stop_daemon (fx);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  init_dbus_error_register ();

  g_test_add_func ("/dbus/process/tracking", test_process_tracking);
  g_test_add_func ("/dbus/process/tree-background-child", test_tree_background_child);
  g_test_add_func ("/dbus/process/tree-roles", test_tree_roles);
  g_test_add_func ("/dbus/process/tree-empty", test_tree_empty);
  g_test_add_func ("/dbus/process/other-user", test_other_user);
  return g_test_run ();
}
