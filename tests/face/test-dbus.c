/* test-dbus.c — the D-Bus face: the real initd on a private session bus, called from C (raw
 * calls and the generated proxies) and with gdbus / busctl as users do */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "init-dbus-error.h"
#include "init-dbus-generated.h"
#include "init-error.h"
#include "test-util.h"

#define NAME "org.example.Init"
#define MANAGER "/org/example/Init"
#define IFACE_MANAGER "org.example.Init"
#define IFACE_JOB "org.example.Init.Job"
#define IFACE_INSTANCE "org.example.Init.Instance"
#define WAIT_MS 20000

typedef struct
{
  DBusFixture *fx;
  GPtrArray   *signals;   /* "Member path args" of every signal initd sent */
  guint        sub;
} T;

/* ---- helpers ---- */

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

static void
t_setup (T *t)
{
  t->fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  t->signals = g_ptr_array_new_with_free_func (g_free);
}

/* Start initd with @args (NULL: defaults) and follow its signals (subscribed before any call,
 * so none is missed). */
static void
t_start (T                 *t,
         const char *const *args)
{
  t->sub = g_dbus_connection_signal_subscribe (t->fx->connection, NULL, NULL, NULL, NULL, NULL,
                                               G_DBUS_SIGNAL_FLAGS_NONE, on_signal, t, NULL);
  dbus_fixture_start_initd (t->fx, args, NULL);
  dbus_fixture_subscribe (t->fx);
}

static void
t_teardown (T *t)
{
  g_autofree char *err = dbus_fixture_get_stderr (t->fx);

  /* whatever the test did, initd never tripped a GLib check */
  g_assert_null (strstr (err, "runtime check failed"));
  g_assert_null (strstr (err, "assertion"));
  g_assert_null (strstr (err, "CRITICAL"));
  if (t->sub != 0 && t->fx->connection != NULL)
    g_dbus_connection_signal_unsubscribe (t->fx->connection, t->sub);
  dbus_fixture_free (t->fx);
  g_ptr_array_unref (t->signals);
}

/* The fixture's call helpers, on this test's daemon. */
#define call(t, ...) dbus_fixture_call ((t)->fx, __VA_ARGS__)
#define call_ok(t, ...) dbus_fixture_call_ok ((t)->fx, __VA_ARGS__)
#define call_fails(t, ...) dbus_fixture_call_fails ((t)->fx, __VA_ARGS__)

static GVariant *
emit (T          *t,
      const char *event,
      gboolean    wait)
{
  return call_ok (t, MANAGER, IFACE_MANAGER, "EmitEvent",
                  g_variant_new ("(s^asb)", event, (const char *[]) { NULL }, wait));
}

typedef struct
{
  gboolean  done;
  GVariant *reply;
  GError   *error;
} Pending;

static void
pending_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pending *p = user_data;

  p->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &p->error);
  p->done = TRUE;
}

static void
call_async (T          *t,
            const char *path,
            const char *iface,
            const char *method,
            GVariant   *params,
            Pending    *p)
{
  g_dbus_connection_call (t->fx->connection, NAME, path, iface, method, params, NULL,
                          G_DBUS_CALL_FLAGS_NONE, 60000, NULL, pending_cb, p);
}

static gboolean
pending_done (gpointer user_data)
{
  return ((Pending *) user_data)->done;
}

static void
pending_clear (Pending *p)
{
  g_clear_pointer (&p->reply, g_variant_unref);
  g_clear_error (&p->error);
  p->done = FALSE;
}

static GVariant *
get_property (T          *t,
              const char *path,
              const char *iface,
              const char *property)
{
  g_autoptr(GVariant) reply = call_ok (t, path, "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", iface, property));
  GVariant *value;

  g_variant_get (reply, "(v)", &value);
  return value;
}

static char *
get_string (T          *t,
            const char *path,
            const char *iface,
            const char *property)
{
  g_autoptr(GVariant) value = get_property (t, path, iface, property);

  return g_variant_dup_string (value, NULL);
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

  for (guint i = 0; i < w->t->signals->len; i++)
    if (g_pattern_match_simple (w->pattern, g_ptr_array_index (w->t->signals, i)))
      return TRUE;
  return FALSE;
}

/* Wait until a signal matching the glob @pattern ("Member path args") arrived. */
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

typedef struct
{
  T          *t;
  guint       from;
  const char *pattern;
} SignalAfter;

static gboolean
saw_signal_after_cb (gpointer user_data)
{
  SignalAfter *w = user_data;

  for (guint i = w->from; i < w->t->signals->len; i++)
    if (g_pattern_match_simple (w->pattern, g_ptr_array_index (w->t->signals, i)))
      return TRUE;
  return FALSE;
}

/* Wait until a signal matching @pattern arrived, after the first @from ones. */
static void
wait_signal_after (T          *t,
                   guint       from,
                   const char *pattern)
{
  SignalAfter w = { t, from, pattern };

  if (!test_util_wait_until (saw_signal_after_cb, &w, WAIT_MS))
    {
      for (guint i = from; i < t->signals->len; i++)
        g_test_message ("signal: %s", (char *) g_ptr_array_index (t->signals, i));
      g_error ("no signal matching %s", pattern);
    }
}

static gboolean
saw_signal (T          *t,
            const char *pattern)
{
  SignalWait w = { t, pattern };

  return saw_signal_cb (&w);
}

/* Run gdbus or busctl against the private bus; returns the exit status. */
static int
run (T          *t,
     char      **out,
     char      **err,
     const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return dbus_fixture_run (t->fx, (const char *const *) argv->pdata, out, err);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static char *
wait_file (const char *path)
{
  g_assert_true (test_util_wait_until (file_exists, (gpointer) path, WAIT_MS));
  return test_util_read_file (path);
}

/* ---- manager ---- */

/* Manager properties say what the daemon is, through Get and the generated proxy. */
static void
test_manager_properties (void)
{
  T t = { 0 };
  const char *args[] = { "--no-startup-event", "--history-size", "500", NULL };
  g_autoptr(InitDBusManager) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *const *dirs;

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "ok", "exec true\n");
  dbus_fixture_write_job (t.fx, "broken", "exec true\nno such stanza\n");
  t_start (&t, args);

  proxy = init_dbus_manager_proxy_new_sync (t.fx->connection, G_DBUS_PROXY_FLAGS_NONE, NAME,
                                            MANAGER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (init_dbus_manager_get_version (proxy), ==, PACKAGE_VERSION);
  g_assert_cmpstr (init_dbus_manager_get_mode (proxy), ==, "session");
  dirs = init_dbus_manager_get_config_directories (proxy);
  g_assert_cmpuint (g_strv_length ((char **) dirs), ==, 1);
  g_assert_cmpstr (dirs[0], ==, t.fx->confdir);
  g_assert_cmpstr (init_dbus_manager_get_log_directory (proxy), ==, t.fx->logdir);
  g_assert_cmpuint (init_dbus_manager_get_history_size (proxy), ==, 500);
  g_assert_cmpuint (init_dbus_manager_get_config_errors (proxy), ==, 1);

  /* as a user would read it */
  g_assert_cmpint (run (&t, &out, NULL, "busctl", "--user", "--address", t.fx->address,
                        "get-property", NAME, MANAGER, IFACE_MANAGER, "Mode", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "s \"session\"\n");
  t_teardown (&t);
}

/* Jobs are found by name (paths escaped as the XML says), listed in load order; unknown and
 * junk names get UnknownJob. */
static void
test_manager_jobs (void)
{
  T t = { 0 };
  g_autoptr(GVariant) reply = NULL, all = NULL;
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *msg = NULL, *out = NULL, *err = NULL;
  const char *path = NULL;
  g_autofree const char **paths = NULL;

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "net/apache", "exec true\n");
  dbus_fixture_write_job (t.fx, "a-b", "exec true\n");
  t_start (&t, NULL);

  reply = call_ok (&t, MANAGER, IFACE_MANAGER, "GetJobByName", g_variant_new ("(s)", "net/apache"));
  g_variant_get (reply, "(&o)", &path);
  g_assert_cmpstr (path, ==, "/org/example/Init/jobs/net_2fapache");
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_ok (&t, MANAGER, IFACE_MANAGER, "GetJobByName", g_variant_new ("(s)", "a-b"));
  g_variant_get (reply, "(&o)", &path);
  g_assert_cmpstr (path, ==, "/org/example/Init/jobs/a_2db");

  all = call_ok (&t, MANAGER, IFACE_MANAGER, "GetAllJobs", NULL);
  g_variant_get (all, "(^a&o)", &paths);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 2);

  msg = call_fails (&t, MANAGER, IFACE_MANAGER, "GetJobByName", g_variant_new ("(s)", "nope"),
                    "org.example.Init.Error.UnknownJob");
  g_assert_cmpstr (msg, ==, "Unknown job: nope");
  g_clear_pointer (&msg, g_free);
  msg = call_fails (&t, MANAGER, IFACE_MANAGER, "GetJobByName", g_variant_new ("(s)", long_name),
                    "org.example.Init.Error.UnknownJob");
  g_clear_pointer (&msg, g_free);
  msg = call_fails (&t, MANAGER, IFACE_MANAGER, "GetJobByName", g_variant_new ("(s)", ""),
                    "org.example.Init.Error.UnknownJob");

  /* the same with gdbus, as a user types it */
  g_assert_cmpint (run (&t, &out, NULL, "gdbus", "call", "--address", t.fx->address, "-d", NAME,
                        "-o", MANAGER, "-m", "org.example.Init.GetJobByName", "net/apache", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "(objectpath '/org/example/Init/jobs/net_2fapache',)\n");
  g_assert_cmpint (run (&t, NULL, &err, "gdbus", "call", "--address", t.fx->address, "-d", NAME,
                        "-o", MANAGER, "-m", "org.example.Init.GetJobByName", "nope", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "org.example.Init.Error.UnknownJob"));
  /* wrong argument types never reach us: GDBus refuses them */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&t, NULL, &err, "busctl", "--user", "--address", t.fx->address, "call", NAME,
                        MANAGER, IFACE_MANAGER, "GetJobByName", "u", "7", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "does not match expected type"));
  g_assert_cmpint (dbus_fixture_get_initd_pid (t.fx), >, 0);
  t_teardown (&t);
}

/* GetManagedObjects returns every job and instance with its properties in one call; the
 * generated object manager client builds typed proxies from it. */
/* ListJobs: every job in load order with name, description and path, each instance with
 * exactly the properties GetManagedObjects gives it, in a reply a small fraction of
 * GetManagedObjects' size. */
static void
test_list_jobs (void)
{
  T t = { 0 };
  g_autoptr(GVariant) list = NULL, objects = NULL, jobs = NULL;
  g_autoptr(GVariant) first = NULL, second = NULL, instances = NULL, props = NULL;
  g_autoptr(GVariant) managed = NULL, ifaces = NULL, expected = NULL;
  const char *name, *description, *path, *inst_path;

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "zeta", "description \"Last by name\"\nexec sleep 1000\n");
  dbus_fixture_write_job (t.fx, "multi", "instance $N\nexec sleep 1000\n");
  t_start (&t, NULL);
  g_autoptr(GVariant) a = call_ok (&t, "/org/example/Init/jobs/multi", IFACE_JOB, "Start",
                                   g_variant_new ("(^asb)", (const char *[]) { "N=b", NULL }, TRUE));
  g_autoptr(GVariant) b = call_ok (&t, "/org/example/Init/jobs/multi", IFACE_JOB, "Start",
                                   g_variant_new ("(^asb)", (const char *[]) { "N=a", NULL }, TRUE));

  list = call_ok (&t, MANAGER, IFACE_MANAGER, "ListJobs", NULL);
  g_assert_cmpstr (g_variant_get_type_string (list), ==, "(a(ssoa(oa{sv})))");
  jobs = g_variant_get_child_value (list, 0);
  g_assert_cmpuint (g_variant_n_children (jobs), ==, 2);

  /* a job without instances */
  first = g_variant_get_child_value (jobs, 0);
  second = g_variant_get_child_value (jobs, 1);
  g_variant_get (first, "(&s&s&o@a(oa{sv}))", &name, &description, &path, &instances);
  if (g_str_equal (name, "multi"))
    {
      /* load order is the directory's: either is fine, the content is what counts */
      GVariant *tmp = first;
      first = second;
      second = tmp;
      g_clear_pointer (&instances, g_variant_unref);
      g_variant_get (first, "(&s&s&o@a(oa{sv}))", &name, &description, &path, &instances);
    }
  g_assert_cmpstr (name, ==, "zeta");
  g_assert_cmpstr (description, ==, "Last by name");
  g_assert_cmpstr (path, ==, "/org/example/Init/jobs/zeta");
  g_assert_cmpuint (g_variant_n_children (instances), ==, 0);
  g_clear_pointer (&instances, g_variant_unref);

  /* instances by name, with GetManagedObjects' properties */
  g_variant_get (second, "(&s&s&o@a(oa{sv}))", &name, &description, &path, &instances);
  g_assert_cmpstr (name, ==, "multi");
  g_assert_cmpstr (description, ==, "");
  g_assert_cmpuint (g_variant_n_children (instances), ==, 2);
  managed = call_ok (&t, MANAGER, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", NULL);
  objects = g_variant_get_child_value (managed, 0);
  for (gsize i = 0; i < 2; i++)
    {
      g_clear_pointer (&props, g_variant_unref);
      g_clear_pointer (&ifaces, g_variant_unref);
      g_clear_pointer (&expected, g_variant_unref);
      g_variant_get_child (instances, i, "(&o@a{sv})", &inst_path, &props);
      g_assert_true (g_variant_lookup (props, "Name", "&s", &name));
      g_assert_cmpstr (name, ==, i == 0 ? "a" : "b");
      ifaces = g_variant_lookup_value (objects, inst_path, NULL);
      g_assert_nonnull (ifaces);
      expected = g_variant_lookup_value (ifaces, IFACE_INSTANCE, NULL);
      g_assert_true (g_variant_equal (props, expected));
    }

  /* the point of it: a job takes a fraction of what GetManagedObjects spends on it */
  g_clear_pointer (&ifaces, g_variant_unref);
  ifaces = g_variant_lookup_value (objects, "/org/example/Init/jobs/zeta", NULL);
  g_assert_cmpuint (g_variant_get_size (first) * 5, <, g_variant_get_size (ifaces));
  t_teardown (&t);
}

/* ValidateJob: the loaded jobs count as producers, a mistake comes back with its position,
 * severity and suggestion, nothing is installed; a text over 1 MiB is InvalidArgs. */
static void
test_validate_job (void)
{
  T t = { 0 };
  g_autoptr(GVariant) reply = NULL, clean = NULL, all = NULL;
  g_autofree char *msg = NULL;
  g_autofree char *huge = g_strnfill (1024 * 1024 + 1, '#');
  const char **paths = NULL;

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "producer", "emits weather\n");
  t_start (&t, NULL);

  reply = call_ok (&t, MANAGER, IFACE_MANAGER, "ValidateJob",
                   g_variant_new ("(ss)", "new", "start on weathr\nexec true\n"));
  {
    g_autoptr(GVariant) list = g_variant_get_child_value (reply, 0);
    const char *severity, *message, *suggestion;
    guint32 line, column;

    g_assert_cmpuint (g_variant_n_children (list), ==, 1);
    g_variant_get_child (list, 0, "(uu&s&s&s)", &line, &column, &severity, &message, &suggestion);
    g_assert_cmpuint (line, ==, 1);
    g_assert_cmpuint (column, ==, 10);
    g_assert_cmpstr (severity, ==, "warning");
    g_assert_true (g_str_has_prefix (message, "Nothing emits the event “weathr”"));
    g_assert_cmpstr (suggestion, ==, "did you mean the event “weather”?");
  }
  clean = call_ok (&t, MANAGER, IFACE_MANAGER, "ValidateJob",
                   g_variant_new ("(ss)", "new", "start on weather\nexec true\n"));
  {
    g_autoptr(GVariant) none = g_variant_get_child_value (clean, 0);

    g_assert_cmpuint (g_variant_n_children (none), ==, 0);
  }

  /* nothing was installed */
  all = call_ok (&t, MANAGER, IFACE_MANAGER, "GetAllJobs", NULL);
  g_variant_get (all, "(^a&o)", &paths);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 1);
  g_free (paths);

  msg = call_fails (&t, MANAGER, IFACE_MANAGER, "ValidateJob",
                    g_variant_new ("(ss)", "new", huge), "org.example.Init.Error.InvalidArgs");
  t_teardown (&t);
}

static void
test_managed_objects (void)
{
  T t = { 0 };
  g_autoptr(GVariant) reply = NULL, objects = NULL, job = NULL, inst = NULL, tree = NULL;
  g_autoptr(GDBusObjectManager) client = NULL;
  g_autoptr(GDBusObject) object = NULL;
  g_autoptr(GError) error = NULL;
  const char *s = NULL;
  gboolean b = FALSE;
  guint32 limit = 0, interval = 0;

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "svc",
                          "description \"A service\"\nauthor \"Me\"\nversion \"1.2\"\n"
                          "usage \"svc X=1\"\nstart on (a and b) or c\nstop on d\n"
                          "emits svc-ready\nrespawn\nrespawn limit 3 7\nkill timeout 9\n"
                          "console none\npre-start exec true\nexec sleep 1000\n");
  dbus_fixture_write_job (t.fx, "tsk", "task\ninstance $N\nexec true\n");
  t_start (&t, NULL);
  g_autoptr(GVariant) started = call_ok (&t, "/org/example/Init/jobs/svc", IFACE_JOB, "Start",
                                         g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE));

  reply = call_ok (&t, MANAGER, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", NULL);
  objects = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (objects), ==, 3);
  {
    g_autoptr(GVariant) ifaces = g_variant_lookup_value (objects, "/org/example/Init/jobs/svc", NULL);
    g_assert_nonnull (ifaces);
    job = g_variant_lookup_value (ifaces, IFACE_JOB, NULL);
  }
  g_assert_nonnull (job);
  g_assert_true (g_variant_lookup (job, "Name", "&s", &s));
  g_assert_cmpstr (s, ==, "svc");
  g_assert_true (g_variant_lookup (job, "Description", "&s", &s));
  g_assert_cmpstr (s, ==, "A service");
  g_assert_true (g_variant_lookup (job, "Author", "&s", &s));
  g_assert_cmpstr (s, ==, "Me");
  g_assert_true (g_variant_lookup (job, "Version", "&s", &s));
  g_assert_cmpstr (s, ==, "1.2");
  g_assert_true (g_variant_lookup (job, "Usage", "&s", &s));
  g_assert_cmpstr (s, ==, "svc X=1");
  g_assert_true (g_variant_lookup (job, "ConfigFile", "&s", &s));
  g_assert_true (g_str_has_suffix (s, "/conf/svc.conf"));
  g_assert_true (g_variant_lookup (job, "StartOn", "&s", &s));
  g_assert_cmpstr (s, ==, "((a and b) or c)");
  g_assert_true (g_variant_lookup (job, "StopOn", "&s", &s));
  g_assert_cmpstr (s, ==, "d");
  tree = g_variant_lookup_value (job, "StartOnTree", G_VARIANT_TYPE ("aas"));
  {
    g_autofree char *text = g_variant_print (tree, FALSE);
    g_assert_cmpstr (text, ==, "[['a'], ['b'], ['/AND'], ['c'], ['/OR']]");
  }
  g_assert_true (g_variant_lookup (job, "Task", "b", &b));
  g_assert_false (b);
  g_assert_true (g_variant_lookup (job, "Respawn", "b", &b));
  g_assert_true (b);
  g_assert_true (g_variant_lookup (job, "RespawnLimit", "(uu)", &limit, &interval));
  g_assert_cmpuint (limit, ==, 3);
  g_assert_cmpuint (interval, ==, 7);
  g_assert_true (g_variant_lookup (job, "KillTimeout", "u", &limit));
  g_assert_cmpuint (limit, ==, 9);
  g_assert_true (g_variant_lookup (job, "Console", "&s", &s));
  g_assert_cmpstr (s, ==, "none");
  {
    g_autofree const char **procs = NULL, **emits = NULL;
    g_assert_true (g_variant_lookup (job, "DefinedProcesses", "^a&s", &procs));
    g_assert_cmpstr (procs[0], ==, "main");
    g_assert_cmpstr (procs[1], ==, "pre-start");
    g_assert_true (g_variant_lookup (job, "Emits", "^a&s", &emits));
    g_assert_cmpstr (emits[0], ==, "svc-ready");
  }
  {
    g_autoptr(GVariant) ifaces = g_variant_lookup_value (objects, "/org/example/Init/jobs/svc/_", NULL);
    g_assert_nonnull (ifaces);
    inst = g_variant_lookup_value (ifaces, IFACE_INSTANCE, NULL);
  }
  g_assert_true (g_variant_lookup (inst, "State", "&s", &s));
  g_assert_cmpstr (s, ==, "running");
  g_assert_true (g_variant_lookup (inst, "Goal", "&s", &s));
  g_assert_cmpstr (s, ==, "start");
  g_assert_true (g_variant_lookup (inst, "Job", "&o", &s));
  g_assert_cmpstr (s, ==, "/org/example/Init/jobs/svc");
  {
    g_autoptr(GVariant) procs = g_variant_lookup_value (inst, "Processes", G_VARIANT_TYPE ("a(si)"));
    const char *pname;
    gint32 pid;
    g_assert_cmpuint (g_variant_n_children (procs), ==, 1);
    g_variant_get_child (procs, 0, "(&si)", &pname, &pid);
    g_assert_cmpstr (pname, ==, "main");
    g_assert_true (test_util_pid_alive (pid));
  }

  client = init_dbus_object_manager_client_new_sync (t.fx->connection,
                                                     G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
                                                     NAME, MANAGER, NULL, &error);
  g_assert_no_error (error);
  object = g_dbus_object_manager_get_object (client, "/org/example/Init/jobs/tsk");
  g_assert_nonnull (object);
  g_assert_true (init_dbus_job_get_task (init_dbus_object_peek_job (INIT_DBUS_OBJECT (object))));
  g_assert_cmpstr (init_dbus_job_get_instance_pattern (init_dbus_object_peek_job (INIT_DBUS_OBJECT (object))),
                   ==, "$N");
  t_teardown (&t);
}

/* ReloadConfiguration picks up a new file: JobAdded, and the job is there. */
static void
test_reload_configuration (void)
{
  T t = { 0 };
  g_autoptr(GVariant) reply = NULL;

  t_setup (&t);
  t_start (&t, NULL);
  dbus_fixture_write_job (t.fx, "late", "exec true\n");
  reply = call_ok (&t, MANAGER, IFACE_MANAGER, "ReloadConfiguration", NULL);
  wait_signal (&t, "JobAdded /org/example/Init (objectpath '/org/example/Init/jobs/late',)");
  wait_signal (&t, "InterfacesAdded /org/example/Init (objectpath '/org/example/Init/jobs/late',*");
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_ok (&t, MANAGER, IFACE_MANAGER, "GetJobByName", g_variant_new ("(s)", "late"));
  t_teardown (&t);
}

/* ---- events ---- */

/* A waiting emit that starts a service returns once it is running; one that starts a task
 * returns once the task has finished; the reply carries the event id of EventEmitted. */
static void
test_emit_wait_service_and_task (void)
{
  T t = { 0 };
  g_autofree char *marker = NULL, *job = NULL, *state = NULL, *pattern = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint64 id = 0;

  t_setup (&t);
  marker = dbus_fixture_path (t.fx, "task-done");
  job = g_strdup_printf ("start on go\ntask\nexec sh -c 'sleep 0.3; touch %s'\n", marker);
  dbus_fixture_write_job (t.fx, "slowtask", job);
  dbus_fixture_write_job (t.fx, "svc", "start on go\npost-start exec sleep 0.2\nexec sleep 1000\n");
  t_start (&t, NULL);

  reply = emit (&t, "go", TRUE);
  g_variant_get (reply, "(t)", &id);
  g_assert_cmpuint (id, >, 0);
  /* the task had finished and the service was running when the reply came */
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  state = get_string (&t, "/org/example/Init/jobs/svc/_", IFACE_INSTANCE, "State");
  g_assert_cmpstr (state, ==, "running");
  pattern = g_strdup_printf ("EventEmitted /org/example/Init (uint64 %" G_GUINT64_FORMAT ", 'go', @as [], {'cause': <'caller'>, 'caller-uid': <uint32 %u>, *",
                             id, (guint) getuid ());
  wait_signal (&t, pattern);
  g_free (pattern);
  pattern = g_strdup_printf ("EventFinished /org/example/Init (uint64 %" G_GUINT64_FORMAT ", 'go', false, '', '')", id);
  wait_signal (&t, pattern);
  t_teardown (&t);
}

/* A failing task fails a waiting emit with EventFailed naming the job and process; gdbus
 * shows the name. */
static void
test_emit_failed (void)
{
  T t = { 0 };
  g_autofree char *msg = NULL, *err = NULL;

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "bad", "start on boom\ntask\nexec sh -c 'exit 4'\n");
  t_start (&t, NULL);

  msg = call_fails (&t, MANAGER, IFACE_MANAGER, "EmitEvent",
                    g_variant_new ("(s^asb)", "boom", (const char *[]) { NULL }, TRUE),
                    "org.example.Init.Error.EventFailed");
  g_assert_nonnull (strstr (msg, "job bad"));
  g_assert_nonnull (strstr (msg, "main process terminated with status 4"));

  g_assert_cmpint (run (&t, NULL, &err, "gdbus", "call", "--address", t.fx->address,
                        "--timeout", "3600", "-d", NAME, "-o", MANAGER, "-m",
                        "org.example.Init.EmitEvent", "boom", "[]", "true", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "org.example.Init.Error.EventFailed"));
  g_assert_nonnull (strstr (err, "job bad"));
  t_teardown (&t);
}

/* Without wait the reply comes at once; the failure shows as EventFinished(failed) and a
 * NAME/failed EventEmitted. */
static void
test_emit_no_wait (void)
{
  T t = { 0 };
  g_autofree char *marker = NULL, *job = NULL, *pattern = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint64 id = 0;

  t_setup (&t);
  marker = dbus_fixture_path (t.fx, "ran");
  job = g_strdup_printf ("start on boom\ntask\nexec sh -c 'sleep 0.5; touch %s; exit 1'\n", marker);
  dbus_fixture_write_job (t.fx, "bad", job);
  t_start (&t, NULL);

  reply = emit (&t, "boom", FALSE);
  g_variant_get (reply, "(t)", &id);
  /* answered before the task could finish */
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  pattern = g_strdup_printf ("EventFinished /org/example/Init (uint64 %" G_GUINT64_FORMAT ", 'boom', true, 'bad', 'main process terminated with status 1')", id);
  wait_signal (&t, pattern);
  g_free (pattern);
  pattern = g_strdup_printf ("EventEmitted /org/example/Init (uint64 *, 'boom/failed', @as [], {'cause': <'event'>, 'cause-event-id': <uint64 %" G_GUINT64_FORMAT ">, 'cause-event': <'boom'>})", id);
  wait_signal (&t, pattern);
  t_teardown (&t);
}

/* `start on a and b`: the emitter of a is held until b arrives and the job has started. */
static void
test_emit_and_waits (void)
{
  T t = { 0 };
  Pending pa = { 0 };
  g_autoptr(GVariant) rb = NULL;

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "both", "start on a and b\nexec sleep 1000\n");
  t_start (&t, NULL);

  call_async (&t, MANAGER, IFACE_MANAGER, "EmitEvent",
              g_variant_new ("(s^asb)", "a", (const char *[]) { NULL }, TRUE), &pa);
  wait_signal (&t, "EventEmitted /org/example/Init (uint64 *, 'a', *");
  test_util_spin (300);
  g_assert_false (pa.done);
  rb = emit (&t, "b", TRUE);
  g_assert_true (test_util_wait_until (pending_done, &pa, WAIT_MS));
  g_assert_no_error (pa.error);
  g_assert_true (saw_signal (&t, "EventFinished /org/example/Init (uint64 *, 'b', false, '', '')"));
  pending_clear (&pa);
  t_teardown (&t);
}

/* Bad names and environments are refused with named errors, and nothing happens. */
static void
test_emit_invalid (void)
{
  T t = { 0 };
  g_autoptr(GPtrArray) big = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *long_name = g_strnfill (257, 'e');
  g_autofree char *huge_value = NULL;
  g_autofree char *msg = NULL, *err = NULL;
  guint before;

  t_setup (&t);
  t_start (&t, NULL);
  before = t.signals->len;

#define EMIT_ARGS(name, env) g_variant_new ("(s^asb)", name, env, TRUE)
  g_free (call_fails (&t, MANAGER, IFACE_MANAGER, "EmitEvent", EMIT_ARGS ("", (const char *[]) { NULL }),
                      "org.example.Init.Error.InvalidEvent"));
  g_free (call_fails (&t, MANAGER, IFACE_MANAGER, "EmitEvent", EMIT_ARGS ("two words", (const char *[]) { NULL }),
                      "org.example.Init.Error.InvalidEvent"));
  g_free (call_fails (&t, MANAGER, IFACE_MANAGER, "EmitEvent", EMIT_ARGS ("tab\there", (const char *[]) { NULL }),
                      "org.example.Init.Error.InvalidEvent"));
  g_free (call_fails (&t, MANAGER, IFACE_MANAGER, "EmitEvent", EMIT_ARGS (long_name, (const char *[]) { NULL }),
                      "org.example.Init.Error.InvalidEvent"));
  msg = call_fails (&t, MANAGER, IFACE_MANAGER, "EmitEvent", EMIT_ARGS ("ok", ((const char *[]) { "NOEQUALS", NULL })),
                    "org.example.Init.Error.InvalidEnvironment");
  g_assert_nonnull (strstr (msg, "NOEQUALS"));
  g_free (call_fails (&t, MANAGER, IFACE_MANAGER, "EmitEvent", EMIT_ARGS ("ok", ((const char *[]) { "1BAD=x", NULL })),
                      "org.example.Init.Error.InvalidEnvironment"));
  g_free (call_fails (&t, MANAGER, IFACE_MANAGER, "EmitEvent", EMIT_ARGS ("ok", ((const char *[]) { "=x", NULL })),
                      "org.example.Init.Error.InvalidEnvironment"));
  for (guint i = 0; i < 5000; i++)
    g_ptr_array_add (big, g_strdup_printf ("K%u=v", i));
  g_ptr_array_add (big, NULL);
  g_free (call_fails (&t, MANAGER, IFACE_MANAGER, "EmitEvent", EMIT_ARGS ("ok", (const char *const *) big->pdata),
                      "org.example.Init.Error.InvalidEnvironment"));
  huge_value = g_strnfill (70000, 'v');
  huge_value[0] = 'K';
  huge_value[1] = '=';
  g_free (call_fails (&t, MANAGER, IFACE_MANAGER, "EmitEvent", EMIT_ARGS ("ok", ((const char *[]) { huge_value, NULL })),
                      "org.example.Init.Error.InvalidEnvironment"));
#undef EMIT_ARGS
  /* nothing was queued */
  test_util_spin (100);
  for (guint i = before; i < t.signals->len; i++)
    g_assert_false (g_str_has_prefix (g_ptr_array_index (t.signals, i), "EventEmitted"));

  /* wrong types from busctl are refused by GDBus; the daemon carries on */
  g_assert_cmpint (run (&t, NULL, &err, "busctl", "--user", "--address", t.fx->address, "call", NAME,
                        MANAGER, IFACE_MANAGER, "EmitEvent", "sas", "x", "0", NULL), !=, 0);
  g_autoptr(GVariant) ok = emit (&t, "fine", TRUE);
  t_teardown (&t);
}

/* ---- jobs ---- */

/* Job.Start/Stop/Restart with wait, and the errors for starting twice, stopping twice and
 * stopping what does not exist. */
static void
test_job_start_stop_restart (void)
{
  T t = { 0 };
  const char *path = "/org/example/Init/jobs/svc";
  const char *empty[] = { NULL };
  g_autoptr(GVariant) reply = NULL, procs = NULL, procs2 = NULL;
  g_autofree char *state = NULL, *msg = NULL;
  const char *inst = NULL;
  gint32 pid1 = 0, pid2 = 0;

  t_setup (&t);
  /* console none: see the report on post-stop and console log */
  dbus_fixture_write_job (t.fx, "svc", "console none\nexec sleep 1000\npost-stop exec sleep 0.5\n");
  t_start (&t, NULL);

  reply = call_ok (&t, path, IFACE_JOB, "Start", g_variant_new ("(^asb)", empty, TRUE));
  g_variant_get (reply, "(&o)", &inst);
  g_assert_cmpstr (inst, ==, "/org/example/Init/jobs/svc/_");
  state = get_string (&t, inst, IFACE_INSTANCE, "State");
  g_assert_cmpstr (state, ==, "running");
  wait_signal (&t, "InstanceAdded /org/example/Init/jobs/svc (objectpath '/org/example/Init/jobs/svc/_',)");

  msg = call_fails (&t, path, IFACE_JOB, "Start", g_variant_new ("(^asb)", empty, TRUE),
                    "org.example.Init.Error.AlreadyStarted");
  g_assert_cmpstr (msg, ==, "Job is already running: svc");

  procs = get_property (&t, "/org/example/Init/jobs/svc/_", IFACE_INSTANCE, "Processes");
  g_variant_get_child (procs, 0, "(&si)", NULL, &pid1);
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_ok (&t, path, IFACE_JOB, "Restart", g_variant_new ("(^asb)", empty, TRUE));
  procs2 = get_property (&t, "/org/example/Init/jobs/svc/_", IFACE_INSTANCE, "Processes");
  g_variant_get_child (procs2, 0, "(&si)", NULL, &pid2);
  g_assert_cmpint (pid1, !=, pid2);
  g_assert_false (test_util_pid_alive (pid1));

  /* stop without waiting: post-stop still runs, so the goal is stop while it exists */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_ok (&t, path, IFACE_JOB, "Stop", g_variant_new ("(^asb)", empty, FALSE));
  g_free (call_fails (&t, path, IFACE_JOB, "Stop", g_variant_new ("(^asb)", empty, TRUE),
                      "org.example.Init.Error.AlreadyStopped"));
  wait_signal (&t, "InstanceRemoved /org/example/Init/jobs/svc (objectpath '/org/example/Init/jobs/svc/_',)");
  g_free (call_fails (&t, path, IFACE_JOB, "Stop", g_variant_new ("(^asb)", empty, TRUE),
                      "org.example.Init.Error.UnknownInstance"));
  g_free (call_fails (&t, path, IFACE_JOB, "Restart", g_variant_new ("(^asb)", empty, TRUE),
                      "org.example.Init.Error.UnknownInstance"));
  g_free (call_fails (&t, path, IFACE_JOB, "Start", g_variant_new ("(^asb)", (const char *[]) { "bad", NULL }, TRUE),
                      "org.example.Init.Error.InvalidEnvironment"));

  /* Start then Stop with wait: the stop returns once the instance is gone */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_ok (&t, path, IFACE_JOB, "Start", g_variant_new ("(^asb)", empty, TRUE));
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_ok (&t, path, IFACE_JOB, "Stop", g_variant_new ("(^asb)", empty, TRUE));
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_ok (&t, path, IFACE_JOB, "GetAllInstances", NULL);
  {
    g_autoptr(GVariant) list = g_variant_get_child_value (reply, 0);
    g_assert_cmpuint (g_variant_n_children (list), ==, 0);
  }
  t_teardown (&t);
}

/* Instances: named from the environment, listed, looked up; bad lookups get named errors;
 * a start without the variable the pattern needs gets InvalidArgs with the usage. */
static void
test_job_instances (void)
{
  T t = { 0 };
  const char *path = "/org/example/Init/jobs/web";
  g_autoptr(GVariant) r1 = NULL, r2 = NULL, all = NULL, get = NULL, byname = NULL;
  g_autofree const char **paths = NULL;
  g_autofree char *msg = NULL;
  const char *p = NULL;

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "web", "usage \"web PORT=N\"\ninstance $PORT\nexec sleep 1000\n");
  t_start (&t, NULL);

  r1 = call_ok (&t, path, IFACE_JOB, "Start", g_variant_new ("(^asb)", (const char *[]) { "PORT=80", NULL }, TRUE));
  r2 = call_ok (&t, path, IFACE_JOB, "Start", g_variant_new ("(^asb)", (const char *[]) { "PORT=8080", NULL }, FALSE));
  g_variant_get (r1, "(&o)", &p);
  g_assert_cmpstr (p, ==, "/org/example/Init/jobs/web/80");
  all = call_ok (&t, path, IFACE_JOB, "GetAllInstances", NULL);
  g_variant_get (all, "(^a&o)", &paths);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 2);
  g_assert_cmpstr (paths[0], ==, "/org/example/Init/jobs/web/80");
  g_assert_cmpstr (paths[1], ==, "/org/example/Init/jobs/web/8080");
  get = call_ok (&t, path, IFACE_JOB, "GetInstance", g_variant_new ("(^as)", (const char *[]) { "PORT=8080", NULL }));
  g_variant_get (get, "(&o)", &p);
  g_assert_cmpstr (p, ==, "/org/example/Init/jobs/web/8080");
  byname = call_ok (&t, path, IFACE_JOB, "GetInstanceByName", g_variant_new ("(s)", "80"));
  g_free (call_fails (&t, path, IFACE_JOB, "GetInstanceByName", g_variant_new ("(s)", "81"),
                      "org.example.Init.Error.UnknownInstance"));
  g_free (call_fails (&t, path, IFACE_JOB, "GetInstance", g_variant_new ("(^as)", (const char *[]) { "PORT=1", NULL }),
                      "org.example.Init.Error.UnknownInstance"));
  msg = call_fails (&t, path, IFACE_JOB, "Start", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE),
                    "org.example.Init.Error.InvalidArgs");
  g_assert_nonnull (strstr (msg, "PORT"));
  g_assert_nonnull (strstr (msg, "web PORT=N"));
  wait_signal (&t, "InstanceAdded /org/example/Init/jobs/web (objectpath '/org/example/Init/jobs/web/8080',)");
  t_teardown (&t);
}

/* A waited-for start that fails is JobFailed naming the process; one that a stop overtakes
 * is Canceled. */
static void
test_job_failed_and_canceled (void)
{
  T t = { 0 };
  Pending p = { 0 };
  g_autofree char *msg = NULL, *remote = NULL;
  g_autoptr(GVariant) stop = NULL;

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "bad", "task\nexec sh -c 'exit 2'\n");
  dbus_fixture_write_job (t.fx, "slow", "pre-start exec sleep 2\nexec sleep 1000\n");
  t_start (&t, NULL);

  msg = call_fails (&t, "/org/example/Init/jobs/bad", IFACE_JOB, "Start",
                    g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE),
                    "org.example.Init.Error.JobFailed");
  g_assert_cmpstr (msg, ==, "Job failed to start: bad: main process terminated with status 2");

  call_async (&t, "/org/example/Init/jobs/slow", IFACE_JOB, "Start",
              g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE), &p);
  wait_signal (&t, "PropertiesChanged /org/example/Init/jobs/slow/_ ('org.example.Init.Instance', {*'State': <'pre-start'>*");
  stop = call_ok (&t, "/org/example/Init/jobs/slow", IFACE_JOB, "Stop",
                  g_variant_new ("(^asb)", (const char *[]) { NULL }, FALSE));
  g_assert_true (test_util_wait_until (pending_done, &p, WAIT_MS));
  g_assert_nonnull (p.error);
  remote = g_dbus_error_get_remote_error (p.error);
  g_assert_cmpstr (remote, ==, "org.example.Init.Error.Canceled");
  /* the face registers the names, so a client linking it gets the engine's codes */
  g_assert_true (g_error_matches (p.error, INIT_ERROR, INIT_ERROR_CANCELED));
  pending_clear (&p);
  t_teardown (&t);
}

/* ---- instances ---- */

/* Instance methods, Reload's signal, NotRunning, and PropertiesChanged for every change that
 * outlives a main-loop iteration. */
static void
test_instance_methods (void)
{
  T t = { 0 };
  const char *inst = "/org/example/Init/jobs/svc/_";
  g_autofree char *hup = NULL, *ready = NULL, *job = NULL, *goal = NULL, *got = NULL;
  g_autoptr(GVariant) r = NULL;
  guint mark;

  t_setup (&t);
  hup = dbus_fixture_path (t.fx, "hup");
  ready = dbus_fixture_path (t.fx, "ready");
  /* "ready" once the trap is set: a HUP before that would kill the shell */
  job = g_strdup_printf ("script\n  trap 'touch %s' HUP\n  touch %s\n  while true; do sleep 0.05; done\nend script\n",
                         hup, ready);
  dbus_fixture_write_job (t.fx, "svc", job);
  dbus_fixture_write_job (t.fx, "abstract", "description \"no processes\"\n");
  t_start (&t, NULL);

  r = call_ok (&t, "/org/example/Init/jobs/svc", IFACE_JOB, "Start", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE));
  g_clear_pointer (&r, g_variant_unref);
  g_free (wait_file (ready));
  r = call_ok (&t, inst, IFACE_INSTANCE, "Reload", NULL);
  got = wait_file (hup);
  g_clear_pointer (&r, g_variant_unref);
  g_free (call_fails (&t, inst, IFACE_INSTANCE, "Start", g_variant_new ("(b)", TRUE),
                      "org.example.Init.Error.AlreadyStarted"));
  mark = t.signals->len;
  r = call_ok (&t, inst, IFACE_INSTANCE, "Restart", g_variant_new ("(b)", TRUE));
  g_clear_pointer (&r, g_variant_unref);
  /* The reply comes once it runs again; the way down went before it (stopping is where the
   * call left it), and the history has every step. */
  wait_signal_after (&t, mark, "PropertiesChanged /org/example/Init/jobs/svc/_ ('org.example.Init.Instance', {'State': <'stopping'>*");
  wait_signal_after (&t, mark, "HistoryRecord /org/example/Init (*, 'job-state', 'svc', {*'state': <'killed'>*");
  wait_signal_after (&t, mark, "PropertiesChanged /org/example/Init/jobs/svc/_ ('org.example.Init.Instance', {*'State': <'running'>*");
  goal = get_string (&t, inst, IFACE_INSTANCE, "Goal");
  g_assert_cmpstr (goal, ==, "start");
  /* Restart sets the goal to stop and back to start in one call: changes are coalesced per
   * main-loop iteration, so clients never see the goal that did not last. */
  g_assert_false (saw_signal (&t, "PropertiesChanged /org/example/Init/jobs/svc/_ ('org.example.Init.Instance', {'Goal': <'stop'>*"));

  r = call_ok (&t, "/org/example/Init/jobs/abstract", IFACE_JOB, "Start", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE));
  g_clear_pointer (&r, g_variant_unref);
  g_free (call_fails (&t, "/org/example/Init/jobs/abstract/_", IFACE_INSTANCE, "Reload", NULL,
                      "org.example.Init.Error.NotRunning"));
  r = call_ok (&t, "/org/example/Init/jobs/abstract/_", IFACE_INSTANCE, "Stop", g_variant_new ("(b)", TRUE));
  t_teardown (&t);
}

/* ---- history ---- */

/* GetHistory reads with a cursor; HistoryRecord follows live, with the caller of a gdbus
 * call as cause, and jobs an event started name the event. */
static void
test_history (void)
{
  T t = { 0 };
  g_autoptr(GVariant) first = NULL, none = NULL, one = NULL, after = NULL, records = NULL;
  g_autofree char *out = NULL, *pattern = NULL;
  guint64 last = 0, last2 = 0, event_id = 0;
  gboolean found_goal = FALSE;

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "t", "start on go\ntask\nexec true\n");
  t_start (&t, NULL);

  first = call_ok (&t, MANAGER, IFACE_MANAGER, "GetHistory", g_variant_new ("(tu)", (guint64) 0, 0));
  g_variant_get (first, "(@a(ttssa{sv})t)", &records, &last);
  g_assert_cmpuint (last, >=, 1);
  g_assert_cmpuint (g_variant_n_children (records), ==, last);
  none = call_ok (&t, MANAGER, IFACE_MANAGER, "GetHistory", g_variant_new ("(tu)", last, 0));
  g_clear_pointer (&records, g_variant_unref);
  g_variant_get (none, "(@a(ttssa{sv})t)", &records, &last2);
  g_assert_cmpuint (g_variant_n_children (records), ==, 0);
  g_assert_cmpuint (last2, ==, last);

  g_assert_cmpint (run (&t, &out, NULL, "gdbus", "call", "--address", t.fx->address, "--timeout", "3600",
                        "-d", NAME, "-o", MANAGER, "-m", "org.example.Init.EmitEvent", "go", "[]", "true",
                        NULL), ==, 0);
  g_assert_true (sscanf (out, "(uint64 %" G_GUINT64_FORMAT ",)", &event_id) == 1);
  pattern = g_strdup_printf ("HistoryRecord /org/example/Init (uint64 *, uint64 *, 'event-queued', 'go', {'event-id': <uint64 %" G_GUINT64_FORMAT ">, 'env': <@as []>, 'cause': <'caller'>, 'caller-uid': <uint32 %u>, 'caller-pid': <uint32 *>, 'caller-command': <'*/gdbus'>})",
                             event_id, (guint) getuid ());
  wait_signal (&t, pattern);

  one = call_ok (&t, MANAGER, IFACE_MANAGER, "GetHistory", g_variant_new ("(tu)", last, 1));
  g_clear_pointer (&records, g_variant_unref);
  g_variant_get (one, "(@a(ttssa{sv})t)", &records, &last2);
  g_assert_cmpuint (g_variant_n_children (records), ==, 1);
  g_assert_cmpuint (last2, >, last + 1);

  after = call_ok (&t, MANAGER, IFACE_MANAGER, "GetHistory", g_variant_new ("(tu)", last, 0));
  g_clear_pointer (&records, g_variant_unref);
  g_variant_get (after, "(@a(ttssa{sv})t)", &records, &last2);
  g_assert_cmpuint (g_variant_n_children (records), ==, last2 - last);
  for (gsize i = 0; i < g_variant_n_children (records); i++)
    {
      g_autoptr(GVariant) details = NULL;
      const char *kind, *subject, *cause = NULL;
      guint64 id, ts, cause_id = 0;

      g_variant_get_child (records, i, "(tt&s&s@a{sv})", &id, &ts, &kind, &subject, &details);
      g_assert_cmpuint (id, ==, last + 1 + i);
      if (g_str_equal (kind, "job-goal") && g_str_equal (subject, "t")
          && g_variant_lookup (details, "cause", "&s", &cause) && g_str_equal (cause, "event"))
        {
          g_assert_true (g_variant_lookup (details, "cause-event-id", "t", &cause_id));
          g_assert_cmpuint (cause_id, ==, event_id);
          found_goal = TRUE;
        }
    }
  g_assert_true (found_goal);
  t_teardown (&t);
}

/* ---- session mode ---- */

/* The daemon's own user may pipeline as many calls as it likes, from its very first call on
 * a connection: the limits on calls waiting for polkit (per uid, per connection, and for
 * connections whose uid is not known yet) never apply to a session daemon, which asks no
 * one.  The calls are all read before initd can learn who sent them (bench-dbus's pipelined
 * emits were refused with LimitsExceeded). */
static void
test_emit_pipelined (void)
{
  T t = { 0 };

  t_setup (&t);
  t_start (&t, NULL);
  /* over the gate's 32 per connection, under the bus's 128 */
  g_assert_cmpuint (dbus_fixture_pipeline_emits (t.fx, "piped", 100), ==, 0);
  /* and on a connection initd knows */
  g_assert_cmpuint (dbus_fixture_pipeline_emits (t.fx, "piped", 100), ==, 0);
  t_teardown (&t);
}

typedef struct
{
  guint    n_history;   /* GetHistory replies so far */
  guint    history_before; /* GetHistory replies that came before the property's */
  gboolean got_property;
} Flood;

static void
flood_history_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Flood *flood = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);

  g_assert_nonnull (reply);
  flood->n_history++;
}

static void
flood_property_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Flood *flood = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);

  g_assert_nonnull (reply);
  flood->history_before = flood->n_history;
  flood->got_property = TRUE;
}

/* A flood of GetHistory calls for a big history does not hold up other callers: the pages
 * are built one per main-loop iteration below message dispatch, so a property read sent
 * after 40 of them is answered before most of their replies. */
static void
test_history_flood (void)
{
  T t = { 0 };
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *filler = g_strnfill (4000, 'x');
  g_autoptr(GDBusConnection) other = NULL;
  Flood flood = { 0 };
  const guint n_calls = 40;
  gint64 sent;

  t_setup (&t);
  /* Nobody subscribed: the 4 MB of events go to the history only, not out as signals. */
  dbus_fixture_start_initd (t.fx, NULL, NULL);
  for (guint i = 0; i < 16; i++)
    g_ptr_array_add (env, g_strdup_printf ("FILL%u=%s", i, filler));
  g_ptr_array_add (env, NULL);
  /* ~64 KB per event: a full page (256 KiB) for every GetHistory below. */
  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(GVariant) r = call_ok (&t, MANAGER, IFACE_MANAGER, "EmitEvent",
                                       g_variant_new ("(s^asb)", "fill", (const char *const *) env->pdata, FALSE));
    }

  for (guint i = 0; i < n_calls; i++)
    g_dbus_connection_call (t.fx->connection, NAME, MANAGER, IFACE_MANAGER, "GetHistory",
                            g_variant_new ("(tu)", (guint64) 0, 0), NULL, G_DBUS_CALL_FLAGS_NONE,
                            WAIT_MS, NULL, flood_history_cb, &flood);
  /* Another client's read, so what it waits for is the daemon, not the bus delivering the
   * pages already sent to the first client. */
  other = g_dbus_connection_new_for_address_sync (t.fx->address,
                                                  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                  | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                  NULL, NULL, NULL);
  g_assert_nonnull (other);
  sent = g_get_monotonic_time ();
  g_dbus_connection_call (other, NAME, MANAGER, "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", IFACE_MANAGER, "Version"), NULL,
                          G_DBUS_CALL_FLAGS_NONE, WAIT_MS, NULL, flood_property_cb, &flood);
  while (!flood.got_property || flood.n_history < n_calls)
    {
      g_main_context_iteration (NULL, TRUE);
      if (flood.got_property && sent != 0)
        {
          g_test_message ("property read answered after %.1f ms, behind %u of %u GetHistory replies",
                          (g_get_monotonic_time () - sent) / 1000.0, flood.history_before, n_calls);
          sent = 0;
        }
    }
  g_assert_cmpuint (flood.history_before, <, n_calls / 2);
  t_teardown (&t);
}

/* Another uid may read but not change a session daemon's jobs. */
static void
test_session_other_uid (void)
{
  T t = { 0 };
  g_autofree char *out = NULL, *err = NULL;
  int status;

  if (getuid () != 0 || !g_file_test ("/usr/bin/setpriv", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs root and setpriv to call as another user");
      return;
    }
  t_setup (&t);
  dbus_fixture_write_job (t.fx, "t", "exec sleep 1000\n");
  t_start (&t, NULL);

  status = run (&t, &out, &err, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "gdbus", "call", "--address", t.fx->address, "-d", NAME, "-o", MANAGER, "-m",
                "org.example.Init.GetJobByName", "t", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "(objectpath '/org/example/Init/jobs/t',)\n");
  g_clear_pointer (&err, g_free);
  status = run (&t, NULL, &err, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "gdbus", "call", "--address", t.fx->address, "-d", NAME, "-o", "/org/example/Init/jobs/t",
                "-m", "org.example.Init.Job.Start", "[]", "true", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "org.freedesktop.DBus.Error.AccessDenied"));
  g_clear_pointer (&err, g_free);
  status = run (&t, NULL, &err, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "gdbus", "call", "--address", t.fx->address, "-d", NAME, "-o", MANAGER, "-m",
                "org.example.Init.EmitEvent", "x", "[]", "false", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "org.freedesktop.DBus.Error.AccessDenied"));
  g_assert_false (saw_signal (&t, "EventEmitted * 'x', *"));
  t_teardown (&t);
}

/* Jobs of a session daemon find it: INIT_DBUS_ADDRESS and INIT_DBUS_MODE. */
static void
test_job_environment (void)
{
  T t = { 0 };
  g_autofree char *out = NULL, *job = NULL, *text = NULL, *expected = NULL;
  g_autoptr(GVariant) r = NULL;

  t_setup (&t);
  out = dbus_fixture_path (t.fx, "env");
  job = g_strdup_printf ("task\nexec sh -c 'echo \"$INIT_DBUS_ADDRESS $INIT_DBUS_MODE\" > %s'\n", out);
  dbus_fixture_write_job (t.fx, "show", job);
  t_start (&t, NULL);
  r = call_ok (&t, "/org/example/Init/jobs/show", IFACE_JOB, "Start",
               g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE));
  text = test_util_read_file (out);
  expected = g_strdup_printf ("%s session\n", t.fx->address);
  g_assert_cmpstr (text, ==, expected);
  t_teardown (&t);
}

/* ---- bus loss ---- */

/* The bus dies and comes back: initd keeps its jobs running, owns its name again and answers;
 * a caller parked on the dead bus is dropped without harm. */
static void
test_bus_restart (void)
{
  T t = { 0 };
  g_autoptr(GVariant) r = NULL, procs = NULL, procs2 = NULL;
  gint32 pid = 0, pid2 = 0;
  Pending p = { 0 };

  t_setup (&t);
  dbus_fixture_write_job (t.fx, "svc", "exec sleep 1000\n");
  dbus_fixture_write_job (t.fx, "both", "start on a and b\n");
  t_start (&t, NULL);
  r = call_ok (&t, "/org/example/Init/jobs/svc", IFACE_JOB, "Start", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE));
  procs = get_property (&t, "/org/example/Init/jobs/svc/_", IFACE_INSTANCE, "Processes");
  g_variant_get_child (procs, 0, "(&si)", NULL, &pid);
  call_async (&t, MANAGER, IFACE_MANAGER, "EmitEvent",
              g_variant_new ("(s^asb)", "a", (const char *[]) { NULL }, TRUE), &p);
  wait_signal (&t, "EventEmitted /org/example/Init (uint64 *, 'a', *");

  g_dbus_connection_signal_unsubscribe (t.fx->connection, t.sub);
  t.sub = 0;
  dbus_fixture_stop_bus (t.fx, TRUE);
  g_assert_true (test_util_wait_until (pending_done, &p, WAIT_MS));
  g_assert_nonnull (p.error);
  pending_clear (&p);
  test_util_spin (300);
  g_assert_cmpint (dbus_fixture_get_initd_pid (t.fx), >, 0);
  g_assert_true (test_util_pid_alive (pid));

  dbus_fixture_start_bus (t.fx);
  g_assert_true (dbus_fixture_wait_name (t.fx, NAME));
  procs2 = get_property (&t, "/org/example/Init/jobs/svc/_", IFACE_INSTANCE, "Processes");
  g_variant_get_child (procs2, 0, "(&si)", NULL, &pid2);
  g_assert_cmpint (pid2, ==, pid);
  /* the parked emit of `a` still holds the event; b completes it without anyone to tell */
  g_clear_pointer (&r, g_variant_unref);
  r = emit (&t, "b", TRUE);
  g_clear_pointer (&r, g_variant_unref);
  r = call_ok (&t, "/org/example/Init/jobs/svc", IFACE_JOB, "Stop", g_variant_new ("(^asb)", (const char *[]) { NULL }, TRUE));
  g_assert_false (test_util_pid_alive (pid));
  t_teardown (&t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  init_dbus_error_register ();

  g_test_add_func ("/dbus/manager/properties", test_manager_properties);
  g_test_add_func ("/dbus/manager/jobs", test_manager_jobs);
  g_test_add_func ("/dbus/manager/managed-objects", test_managed_objects);
  g_test_add_func ("/dbus/manager/list-jobs", test_list_jobs);
  g_test_add_func ("/dbus/manager/validate-job", test_validate_job);
  g_test_add_func ("/dbus/manager/reload-configuration", test_reload_configuration);
  g_test_add_func ("/dbus/emit/wait-service-and-task", test_emit_wait_service_and_task);
  g_test_add_func ("/dbus/emit/failed", test_emit_failed);
  g_test_add_func ("/dbus/emit/no-wait", test_emit_no_wait);
  g_test_add_func ("/dbus/emit/and-waits", test_emit_and_waits);
  g_test_add_func ("/dbus/emit/invalid", test_emit_invalid);
  g_test_add_func ("/dbus/emit/pipelined", test_emit_pipelined);
  g_test_add_func ("/dbus/job/start-stop-restart", test_job_start_stop_restart);
  g_test_add_func ("/dbus/job/instances", test_job_instances);
  g_test_add_func ("/dbus/job/failed-and-canceled", test_job_failed_and_canceled);
  g_test_add_func ("/dbus/instance/methods", test_instance_methods);
  g_test_add_func ("/dbus/history/cursor-and-signal", test_history);
  g_test_add_func ("/dbus/history/flood-does-not-block", test_history_flood);
  g_test_add_func ("/dbus/session/other-uid", test_session_other_uid);
  g_test_add_func ("/dbus/session/job-environment", test_job_environment);
  g_test_add_func ("/dbus/bus/restart", test_bus_restart);
  return g_test_run ();
}
