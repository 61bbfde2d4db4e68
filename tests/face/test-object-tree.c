/* test-object-tree.c — jobs and instances on the bus without an object per job: the object
 * manager client sees everything, PropertiesChanged is coalesced yet complete, unknown paths
 * answer as GDBus does, and introspection, instance order and LogChanged are as documented */
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
#define UNKNOWN_METHOD "org.freedesktop.DBus.Error.UnknownMethod"
#define WAIT_MS 20000

typedef struct
{
  DBusFixture *fx;
  GPtrArray   *signals;   /* "Member path args" of every signal initd sent */
  guint        sub;
} T;

static void
on_signal (GDBusConnection *connection,
           const char      *sender,
           const char      *path,
           const char      *iface,
           const char      *member,
           GVariant        *params,
           gpointer         user_data)
{
  T *t = user_data;
  g_autofree char *args = g_variant_print (params, TRUE);

  g_ptr_array_add (t->signals, g_strdup_printf ("%s %s %s", member, path, args));
}

/* A private bus, the @n job files given as name/text pairs, initd, and every signal recorded
 * from before initd starts. */
static void
t_start (T          *t,
         const char *first,
         ...)
{
  va_list ap;

  t->fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  t->signals = g_ptr_array_new_with_free_func (g_free);
  va_start (ap, first);
  for (const char *name = first; name != NULL; name = va_arg (ap, const char *))
    dbus_fixture_write_job (t->fx, name, va_arg (ap, const char *));
  va_end (ap);
  g_assert_cmpint (g_mkdir_with_parents (t->fx->logdir, 0755), ==, 0);
  t->sub = g_dbus_connection_signal_subscribe (t->fx->connection, NAME, NULL, NULL, NULL, NULL,
                                               G_DBUS_SIGNAL_FLAGS_NONE, on_signal, t, NULL);
  dbus_fixture_start_initd (t->fx, NULL, NULL);
  dbus_fixture_subscribe (t->fx);
}

static void
t_stop (T *t)
{
  g_autofree char *err = dbus_fixture_get_stderr (t->fx);

  /* whatever the test did, initd never tripped a GLib check */
  g_assert_null (strstr (err, "CRITICAL"));
  g_assert_null (strstr (err, "warning:"));
  g_assert_null (strstr (err, "assertion"));
  g_dbus_connection_signal_unsubscribe (t->fx->connection, t->sub);
  dbus_fixture_free (t->fx);
  g_ptr_array_unref (t->signals);
}

/* The fixture's call helpers, on this test's daemon. */
#define call(t, ...) dbus_fixture_call ((t)->fx, __VA_ARGS__)
#define call_ok(t, ...) dbus_fixture_call_ok ((t)->fx, __VA_ARGS__)
#define call_fails(t, ...) dbus_fixture_call_fails ((t)->fx, __VA_ARGS__)

static GVariant *
start (T          *t,
       const char *job,
       const char *env0,
       gboolean    wait)
{
  g_autofree char *path = g_strconcat (JOBS, job, NULL);
  const char *env[] = { env0, NULL };

  return call_ok (t, path, IFACE_JOB, "Start", g_variant_new ("(^asb)", env, wait));
}

static char *
get_string (T          *t,
            const char *path,
            const char *iface,
            const char *property)
{
  g_autoptr(GVariant) reply = call_ok (t, path, "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", iface, property));
  g_autoptr(GVariant) value = NULL;

  g_variant_get (reply, "(v)", &value);
  return g_variant_dup_string (value, NULL);
}

static guint
count_signals (T          *t,
               const char *pattern)
{
  guint n = 0;

  for (guint i = 0; i < t->signals->len; i++)
    if (g_pattern_match_simple (pattern, g_ptr_array_index (t->signals, i)))
      n++;
  return n;
}

typedef struct
{
  T          *t;
  const char *pattern;
} SignalWait;

static gboolean
saw_signal_cb (gpointer user_data)
{
  SignalWait *w = user_data;

  return count_signals (w->t, w->pattern) > 0;
}

static void
wait_signal (T          *t,
             const char *pattern)
{
  SignalWait w = { t, pattern };

  if (!test_util_wait_until (saw_signal_cb, &w, WAIT_MS))
    {
      for (guint i = 0; i < t->signals->len; i++)
        g_test_message ("signal: %s", (char *) g_ptr_array_index (t->signals, i));
      g_error ("no signal matching %s", pattern);
    }
}

/* Dispatch whatever the bus has delivered so far. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- tests ---- */

/* The generated object manager client builds typed proxies for every job and instance, and
 * follows instances coming, changing and going, and jobs coming and going; a reply comes
 * after the PropertiesChanged its call caused, so the client's cache is current then. */
static void
test_object_manager_client (void)
{
  T t = { 0 };
  g_autoptr(GDBusObjectManager) om = NULL;
  g_autoptr(GDBusObject) job = NULL;
  g_autoptr(GDBusObject) inst = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autolist(GDBusObject) objects = NULL;
  InitDBusInstance *instance;

  t_start (&t, "svc", "exec sleep 1000\n", "tsk", "task\ninstance $N\nexec true\n", NULL);
  om = init_dbus_object_manager_client_new_sync (t.fx->connection,
                                                 G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE, NAME,
                                                 MANAGER, NULL, &error);
  g_assert_no_error (error);
  objects = g_dbus_object_manager_get_objects (om);
  g_assert_cmpuint (g_list_length (objects), ==, 2);
  job = g_dbus_object_manager_get_object (om, JOBS "svc");
  g_assert_nonnull (job);
  g_assert_cmpstr (init_dbus_job_get_name (init_dbus_object_peek_job (INIT_DBUS_OBJECT (job))), ==, "svc");
  g_assert_false (init_dbus_job_get_task (init_dbus_object_peek_job (INIT_DBUS_OBJECT (job))));

  r = start (&t, "svc", NULL, TRUE);
  drain ();
  inst = g_dbus_object_manager_get_object (om, JOBS "svc/_");
  g_assert_nonnull (inst);
  instance = init_dbus_object_peek_instance (INIT_DBUS_OBJECT (inst));
  g_assert_nonnull (instance);
  g_assert_cmpstr (init_dbus_instance_get_state (instance), ==, "running");
  g_assert_cmpstr (init_dbus_instance_get_goal (instance), ==, "start");
  g_assert_cmpstr (init_dbus_instance_get_job (instance), ==, JOBS "svc");
  g_assert_cmpuint (g_variant_n_children (init_dbus_instance_get_processes (instance)), ==, 1);

  g_clear_pointer (&r, g_variant_unref);
  r = call_ok (&t, JOBS "svc", IFACE_JOB, "Stop", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE));
  wait_signal (&t, "InterfacesRemoved " MANAGER " (objectpath '" JOBS "svc/_', ['org.example.Init.Instance'])");
  drain ();
  g_clear_object (&inst);
  inst = g_dbus_object_manager_get_object (om, JOBS "svc/_");
  g_assert_null (inst);

  /* A new job appears with its properties, and goes when its file does. */
  dbus_fixture_write_job (t.fx, "late", "description \"came later\"\nexec true\n");
  g_clear_pointer (&r, g_variant_unref);
  r = call_ok (&t, MANAGER, IFACE_MANAGER, "ReloadConfiguration", NULL);
  wait_signal (&t, "JobAdded " MANAGER " (objectpath '" JOBS "late',)");
  drain ();
  g_clear_object (&job);
  job = g_dbus_object_manager_get_object (om, JOBS "late");
  g_assert_nonnull (job);
  g_assert_cmpstr (init_dbus_job_get_description (init_dbus_object_peek_job (INIT_DBUS_OBJECT (job))), ==,
                   "came later");
  {
    g_autofree char *file = g_build_filename (t.fx->confdir, "late.conf", NULL);

    g_assert_cmpint (unlink (file), ==, 0);
  }
  g_clear_pointer (&r, g_variant_unref);
  r = call_ok (&t, MANAGER, IFACE_MANAGER, "ReloadConfiguration", NULL);
  wait_signal (&t, "JobRemoved " MANAGER " (objectpath '" JOBS "late',)");
  g_assert_cmpuint (count_signals (&t, "InterfacesRemoved " MANAGER " (objectpath '" JOBS "late', ['org.example.Init.Job'])"), ==, 1);
  drain ();
  g_clear_object (&job);
  job = g_dbus_object_manager_get_object (om, JOBS "late");
  g_assert_null (job);
  t_stop (&t);
}

/* An instance that walks through several states in one main-loop iteration sends one
 * PropertiesChanged with the final values; the history shows every step it took. */
static void
test_coalesced (void)
{
  T t = { 0 };
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GVariant) history = NULL;
  g_autofree char *printed = NULL;
  const char *pc = "PropertiesChanged " JOBS "abstract/_ ('org.example.Init.Instance', ";

  /* No processes: starting's event done, it passes pre-start, spawned and post-start at once. */
  t_start (&t, "abstract", "description \"no processes\"\n", NULL);
  r = start (&t, "abstract", NULL, TRUE);
  g_clear_pointer (&r, g_variant_unref);
  r = call_ok (&t, MANAGER, IFACE_MANAGER, "GetHistory", g_variant_new ("(tu)", (guint64) 0, 0));
  history = g_variant_get_child_value (r, 0);
  printed = g_variant_print (history, FALSE);
  g_assert_nonnull (strstr (printed, "'state': <'pre-start'>"));
  g_assert_nonnull (strstr (printed, "'state': <'post-start'>"));

  wait_signal (&t, "PropertiesChanged " JOBS "abstract/_ ('org.example.Init.Instance', {*'State': <'running'>*");
  test_util_spin (100);
  for (guint i = 0; i < t.signals->len; i++)
    g_test_message ("signal: %s", (char *) g_ptr_array_index (t.signals, i));
  /* Every change is there, intermediate states are not, and nothing is sent twice. */
  {
    g_autofree char *p1 = g_strconcat (pc, "*'pre-start'*", NULL);
    g_autofree char *p2 = g_strconcat (pc, "*'spawned'*", NULL);
    g_autofree char *p3 = g_strconcat (pc, "*'post-start'*", NULL);
    g_autofree char *p4 = g_strconcat (pc, "*'Goal': <'start'>*", NULL);
    g_autofree char *p5 = g_strconcat (pc, "*", NULL);

    g_assert_cmpuint (count_signals (&t, p1), ==, 0);
    g_assert_cmpuint (count_signals (&t, p2), ==, 0);
    g_assert_cmpuint (count_signals (&t, p3), ==, 0);
    g_assert_cmpuint (count_signals (&t, p4), ==, 1);
    g_assert_cmpuint (count_signals (&t, p5), <=, 2);
  }
  {
    g_autofree char *state = get_string (&t, JOBS "abstract/_", IFACE_INSTANCE, "State");

    g_assert_cmpstr (state, ==, "running");
  }
  t_stop (&t);
}

/* GetAllInstances lists instances sorted by instance name (byte order), whatever their
 * escaped paths would sort as. */
static void
test_all_instances_sorted (void)
{
  T t = { 0 };
  const char *names[] = { "b", "a0", "a-b", "9", "10", "_" };
  const char *sorted[] = { JOBS "web/10", JOBS "web/9", JOBS "web/_5f", JOBS "web/a_2db", JOBS "web/a0", JOBS "web/b" };
  g_autoptr(GVariant) all = NULL;
  g_autofree const char **paths = NULL;

  t_start (&t, "web", "instance $N\nexec sleep 1000\n", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *env = g_strconcat ("N=", names[i], NULL);
      g_autoptr(GVariant) r = start (&t, "web", env, FALSE);
    }
  all = call_ok (&t, JOBS "web", IFACE_JOB, "GetAllInstances", NULL);
  g_variant_get (all, "(^a&o)", &paths);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, G_N_ELEMENTS (sorted));
  for (guint i = 0; i < G_N_ELEMENTS (sorted); i++)
    g_assert_cmpstr (paths[i], ==, sorted[i]);
  t_stop (&t);
}

/* Paths that name no job or instance answer exactly as GDBus does for an empty path, for
 * calls and property reads alike; escapes other than the one canonical form name nothing. */
static void
test_unknown_paths (void)
{
  T t = { 0 };
  const char *bad[] = { "nope", "svc_2D", "sv_63", "svc_", "svc_2", "_", "svc_00" };

  t_start (&t, "svc", "exec sleep 1000\n", "a-b", "exec true\n", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strconcat (JOBS, bad[i], NULL);
      g_autofree char *expected = g_strdup_printf ("Object does not exist at path “%s”", path);
      g_autofree char *msg = call_fails (&t, path, IFACE_JOB, "Start",
                                         g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE),
                                         UNKNOWN_METHOD);
      g_autofree char *msg2 = call_fails (&t, path, "org.freedesktop.DBus.Properties", "Get",
                                          g_variant_new ("(ss)", IFACE_JOB, "Name"), UNKNOWN_METHOD);

      g_assert_cmpstr (msg, ==, expected);
      g_assert_cmpstr (msg2, ==, expected);
    }
  /* The escaped name of a real job works, of course. */
  {
    g_autofree char *name = get_string (&t, JOBS "a_2db", IFACE_JOB, "Name");

    g_assert_cmpstr (name, ==, "a-b");
  }
  /* An instance that does not run, and a path below an instance. */
  g_free (call_fails (&t, JOBS "svc/_", IFACE_INSTANCE, "Stop", g_variant_new ("(b)", TRUE),
                      UNKNOWN_METHOD));
  g_free (call_fails (&t, JOBS "svc/_/deeper", IFACE_INSTANCE, "Stop", g_variant_new ("(b)", TRUE),
                      UNKNOWN_METHOD));
  t_stop (&t);
}

/* Introspection shows the jobs under /org/example/Init/jobs, the Job interface and the
 * running instances of a job, and nothing for a job that does not exist. */
static void
test_introspection (void)
{
  T t = { 0 };
  g_autoptr(GVariant) r = NULL;
  const char *xml = NULL;

  t_start (&t, "svc", "exec sleep 1000\n", "net/apache", "exec true\n", NULL);
  r = call_ok (&t, MANAGER, "org.freedesktop.DBus.Introspectable", "Introspect", NULL);
  g_variant_get (r, "(&s)", &xml);
  g_assert_nonnull (strstr (xml, "<interface name=\"org.freedesktop.DBus.ObjectManager\">"));
  g_assert_nonnull (strstr (xml, "<interface name=\"org.example.Init\">"));
  g_assert_nonnull (strstr (xml, "<node name=\"jobs\"/>"));
  g_clear_pointer (&r, g_variant_unref);

  r = call_ok (&t, "/org/example/Init/jobs", "org.freedesktop.DBus.Introspectable", "Introspect", NULL);
  g_variant_get (r, "(&s)", &xml);
  g_assert_nonnull (strstr (xml, "<node name=\"svc\"/>"));
  g_assert_nonnull (strstr (xml, "<node name=\"net_2fapache\"/>"));
  g_assert_null (strstr (xml, "<interface name=\"org.example.Init.Job\">"));
  g_clear_pointer (&r, g_variant_unref);

  r = start (&t, "svc", NULL, TRUE);
  g_clear_pointer (&r, g_variant_unref);
  r = call_ok (&t, JOBS "svc", "org.freedesktop.DBus.Introspectable", "Introspect", NULL);
  g_variant_get (r, "(&s)", &xml);
  g_assert_nonnull (strstr (xml, "<interface name=\"org.example.Init.Job\">"));
  g_assert_nonnull (strstr (xml, "<method name=\"GetLog\">"));
  g_assert_nonnull (strstr (xml, "<node name=\"_\"/>"));
  g_clear_pointer (&r, g_variant_unref);

  r = call_ok (&t, JOBS "svc/_", "org.freedesktop.DBus.Introspectable", "Introspect", NULL);
  g_variant_get (r, "(&s)", &xml);
  g_assert_nonnull (strstr (xml, "<interface name=\"org.example.Init.Instance\">"));
  g_clear_pointer (&r, g_variant_unref);

  r = call_ok (&t, JOBS "nope", "org.freedesktop.DBus.Introspectable", "Introspect", NULL);
  g_variant_get (r, "(&s)", &xml);
  g_assert_null (strstr (xml, "<interface name=\"org.example.Init.Job\">"));
  t_stop (&t);
}

/* A job's properties change with its file: PropertiesChanged carries only what changed;
 * a deleted job with a running instance says Deleted, and goes when the instance stops. */
static void
test_job_changes (void)
{
  T t = { 0 };
  g_autoptr(GVariant) r = NULL;
  g_autofree char *file = NULL;

  t_start (&t, "svc", "description \"one\"\nexec sleep 1000\n", NULL);
  dbus_fixture_write_job (t.fx, "svc", "description \"two\"\nexec sleep 1000\n");
  r = call_ok (&t, MANAGER, IFACE_MANAGER, "ReloadConfiguration", NULL);
  wait_signal (&t, "PropertiesChanged " JOBS "svc ('org.example.Init.Job', {'Description': <'two'>}, @as [])");

  g_clear_pointer (&r, g_variant_unref);
  r = start (&t, "svc", NULL, TRUE);
  file = g_build_filename (t.fx->confdir, "svc.conf", NULL);
  g_assert_cmpint (unlink (file), ==, 0);
  g_clear_pointer (&r, g_variant_unref);
  r = call_ok (&t, MANAGER, IFACE_MANAGER, "ReloadConfiguration", NULL);
  wait_signal (&t, "PropertiesChanged " JOBS "svc ('org.example.Init.Job', {'Deleted': <true>}, @as [])");
  g_clear_pointer (&r, g_variant_unref);
  r = call_ok (&t, JOBS "svc", IFACE_JOB, "Stop", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE));
  wait_signal (&t, "JobRemoved " MANAGER " (objectpath '" JOBS "svc',)");
  g_assert_cmpuint (count_signals (&t, "InterfacesRemoved " MANAGER " (objectpath '" JOBS "svc', ['org.example.Init.Job'])"), ==, 1);
  g_free (call_fails (&t, JOBS "svc", IFACE_JOB, "GetAllInstances", NULL, UNKNOWN_METHOD));
  t_stop (&t);
}

/* LogChanged comes from the job's path as its log grows, and GetLog reads the log.  (The log
 * directory exists beforehand, as /var/log/init does: GIO finds a directory that appears
 * later only by polling.) */
static void
test_log_changed (void)
{
  T t = { 0 };
  g_autoptr(GVariant) r = NULL;
  const char *text = NULL;
  guint64 start_at, end, size;

  /* Not waiting for the task: whether it ends by itself or by the terminal's hangup is the
   * engine's business (console log). */
  t_start (&t, "talk", "task\nexec echo hello from the log\n", NULL);
  r = start (&t, "talk", NULL, FALSE);
  wait_signal (&t, "LogChanged " JOBS "talk ('', uint64 *)");
  g_clear_pointer (&r, g_variant_unref);
  r = call_ok (&t, JOBS "talk", IFACE_JOB, "GetLog",
               g_variant_new ("(stu)", "", (guint64) 0, (guint32) 0));
  g_variant_get (r, "(&sttt)", &text, &start_at, &end, &size);
  g_assert_nonnull (strstr (text, "hello from the log"));
  g_assert_cmpuint (start_at, ==, 0);
  g_assert_cmpuint (end, ==, size);
  t_stop (&t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  init_dbus_error_register ();

  g_test_add_func ("/face/object-tree/object-manager-client", test_object_manager_client);
  g_test_add_func ("/face/object-tree/coalesced", test_coalesced);
  g_test_add_func ("/face/object-tree/all-instances-sorted", test_all_instances_sorted);
  g_test_add_func ("/face/object-tree/unknown-paths", test_unknown_paths);
  g_test_add_func ("/face/object-tree/introspection", test_introspection);
  g_test_add_func ("/face/object-tree/job-changes", test_job_changes);
  g_test_add_func ("/face/object-tree/log-changed", test_log_changed);
  return g_test_run ();
}
