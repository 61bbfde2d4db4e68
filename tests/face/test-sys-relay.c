/* test-sys-relay.c — the system daemon's events in a session daemon, as `:sys:NAME'
 *
 * Two private buses: a "system" one with the real initd --system, a session one with the
 * real initd --session whose DBUS_SYSTEM_BUS_ADDRESS names the first.  Session jobs wait for
 * `:sys:' events; the test emits on the system daemon and reads what the session jobs saw.
 * The system bus's own bookkeeping (Debug.Stats' GetAllMatchRules, ListNames) shows that the
 * session daemon holds no connection and no rule there while no job names a `:sys:' event.
 */
#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "source-entry.h"
#include "test-util.h"

#define WAIT_MS 30000

typedef struct
{
  DBusFixture *sys;
  DBusFixture *session;
} F;

static void
f_setup (F            *f,
         gconstpointer data)
{
  f->sys = dbus_fixture_new (DBUS_FIXTURE_SYSTEM, "system-bus-allow-all.conf.in");
  f->session = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  dbus_fixture_write_job (f->sys, "sysjob", "start on go\nexec sleep 1000\n");
}

static void
f_teardown (F            *f,
            gconstpointer data)
{
  g_clear_pointer (&f->session, dbus_fixture_free);
  g_clear_pointer (&f->sys, dbus_fixture_free);
}

static void
start_session (F *f)
{
  g_autofree char *address = g_strconcat ("DBUS_SYSTEM_BUS_ADDRESS=", f->sys->address, NULL);
  const char *env[] = { address, NULL };

  dbus_fixture_start_initd (f->session, NULL, env);
}

/* A session job `NAME' that starts on @condition and writes the listed variables of its
 * environment, sorted, to the file NAME.out (replaced whole each time). */
static char *
write_recorder (F          *f,
                const char *name,
                const char *condition)
{
  g_autofree char *file = g_strconcat (name, ".out", NULL);
  char *out = dbus_fixture_path (f->session, file);
  g_autofree char *job = g_strdup_printf (
    "start on %s\ntask\n"
    "exec sh -c 'env | grep -E \"^(JOB|INSTANCE|RESULT|UPSTART_EVENTS|SECRET|A)=\" | sort "
    "> %s.new && mv %s.new %s'\n", condition, out, out, out);

  dbus_fixture_write_job (f->session, name, job);
  return out;
}

static void
emit_on_system (F                 *f,
                const char        *name,
                const char *const *env)
{
  g_autoptr(GVariant) reply = NULL;

  reply = dbus_fixture_call_ok (f->sys, "/org/example/Init", "org.example.Init", "EmitEvent",
                                g_variant_new ("(s^asb)", name,
                                               env != NULL ? env : (const char *const[]) { NULL },
                                               TRUE));
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static char *
wait_file (const char *path)
{
  if (!test_util_wait_until (file_exists, (gpointer) path, WAIT_MS))
    g_error ("%s never appeared", path);
  return test_util_read_file (path);
}

/* Every match rule on the system bus, joined by " | ". */
static char *
system_rules (F *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (
    f->sys->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
    "org.freedesktop.DBus.Debug.Stats", "GetAllMatchRules", NULL, NULL,
    G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  const char *name;
  GVariant *list;

  g_assert_no_error (error);
  g_variant_get (reply, "(a{sas})", &iter);
  while (g_variant_iter_next (iter, "{&s@as}", &name, &list))
    {
      g_autofree const char **strv = g_variant_get_strv (list, NULL);

      for (guint i = 0; strv[i] != NULL; i++)
        g_string_append_printf (all, "%s | ", strv[i]);
      g_variant_unref (list);
    }
  return g_strdup (all->str);
}

typedef struct
{
  F          *f;
  const char *needle;
  gboolean    present;
} RuleWait;

static gboolean
rule_is (gpointer user_data)
{
  RuleWait *w = user_data;
  g_autofree char *rules = system_rules (w->f);

  return (strstr (rules, w->needle) != NULL) == w->present;
}

static void
wait_rule (F          *f,
           const char *needle,
           gboolean    present)
{
  RuleWait w = { f, needle, present };

  if (!test_util_wait_until (rule_is, &w, WAIT_MS))
    {
      g_autofree char *rules = system_rules (f);

      g_error ("system bus rules %s %s: %s", present ? "lack" : "have", needle, rules);
    }
}

/* A system job's `started' reaches the session job waiting for `:sys:started JOB=sysjob'
 * with the job event's variables. */
static void
test_started (F            *f,
              gconstpointer data)
{
  g_autofree char *out = write_recorder (f, "follow", ":sys:started JOB=sysjob");
  g_autofree char *text = NULL;

  dbus_fixture_start_initd (f->sys, NULL, NULL);
  start_session (f);
  wait_entry (f->session, "sys", "active|1 event from the system daemon|follow");
  emit_on_system (f, "go", NULL);
  text = wait_file (out);
  g_assert_cmpstr (text, ==, "INSTANCE=\nJOB=sysjob\nUPSTART_EVENTS=:sys:started\n");
}

/* What a client emitted on the system daemon is relayed without its variables (they may be
 * secrets); the event itself still arrives. */
static void
test_client_env_private (F            *f,
                         gconstpointer data)
{
  g_autofree char *out = write_recorder (f, "follow", ":sys:go");
  g_autofree char *text = NULL;
  const char *env[] = { "SECRET=swordfish", "A=1", NULL };

  dbus_fixture_start_initd (f->sys, NULL, NULL);
  start_session (f);
  wait_entry (f->session, "sys", "active|1 event from the system daemon|follow");
  emit_on_system (f, "go", env);
  text = wait_file (out);
  g_assert_cmpstr (text, ==, "UPSTART_EVENTS=:sys:go\n");
}

/* No job names a `:sys:' event: the session daemon has no connection to the system bus and
 * no rule there; one job naming `:sys:started' brings a rule for that name only, and it
 * goes when the job goes. */
static void
test_idle_without_jobs (F            *f,
                        gconstpointer data)
{
  g_autofree char *rules = NULL;
  g_autofree char *conf = NULL;
  g_autoptr(GVariant) names = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **list = NULL;
  guint peers = 0;

  dbus_fixture_write_job (f->session, "plain", "start on startup\nexec true\n");
  dbus_fixture_start_initd (f->sys, NULL, NULL);
  start_session (f);
  wait_entry (f->session, "sys", "inactive||");
  names = g_dbus_connection_call_sync (f->sys->connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "ListNames", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       NULL);
  g_variant_get (names, "(^a&s)", &list);
  for (guint i = 0; list[i] != NULL; i++)
    peers += list[i][0] == ':';
  g_assert_cmpuint (peers, ==, 2);   /* the test and the system initd */
  rules = system_rules (f);
  g_assert_null (strstr (rules, "EventPublished"));
  g_free (write_recorder (f, "follow", ":sys:started JOB=sysjob"));
  reply = dbus_fixture_call_ok (f->session, "/org/example/Init", "org.example.Init",
                                "ReloadConfiguration", NULL);
  wait_rule (f, "arg1='started'", TRUE);
  g_clear_pointer (&rules, g_free);
  rules = system_rules (f);
  g_assert_null (strstr (rules, "arg1='stopped'"));
  conf = dbus_fixture_path (f->session, "conf/follow.conf");
  g_assert_cmpint (unlink (conf), ==, 0);
  g_clear_pointer (&reply, g_variant_unref);
  reply = dbus_fixture_call_ok (f->session, "/org/example/Init", "org.example.Init",
                                "ReloadConfiguration", NULL);
  wait_rule (f, "EventPublished", FALSE);
  wait_entry (f->session, "sys", "inactive||");
}

/* The system daemon restarts: the session daemon follows the new one (its events arrive
 * again) and announces it as `:sys:restarted'. */
static void
test_system_restart (F            *f,
                     gconstpointer data)
{
  g_autofree char *out = write_recorder (f, "follow", ":sys:started JOB=sysjob");
  g_autofree char *restarted = write_recorder (f, "again", ":sys:restarted");
  g_autofree char *text = NULL;

  dbus_fixture_start_initd (f->sys, NULL, NULL);
  start_session (f);
  wait_entry (f->session, "sys", "active|2 events from the system daemon|again follow");
  g_assert_cmpint (dbus_fixture_stop_initd (f->sys), ==, 0);
  wait_entry (f->session, "sys", "active|waiting for the system daemon|again follow");
  dbus_fixture_start_initd (f->sys, NULL, NULL);
  text = wait_file (restarted);
  g_assert_cmpstr (text, ==, "UPSTART_EVENTS=:sys:restarted\n");
  wait_entry (f->session, "sys", "active|2 events from the system daemon|again follow");
  emit_on_system (f, "go", NULL);
  g_clear_pointer (&text, g_free);
  text = wait_file (out);
  g_assert_cmpstr (text, ==, "INSTANCE=\nJOB=sysjob\nUPSTART_EVENTS=:sys:started\n");
}

/* The system bus goes away and comes back: the session daemon connects again and relays. */
static void
test_bus_restart (F            *f,
                  gconstpointer data)
{
  g_autofree char *out = write_recorder (f, "follow", ":sys:started JOB=sysjob");
  g_autofree char *text = NULL;

  dbus_fixture_start_initd (f->sys, NULL, NULL);
  start_session (f);
  wait_entry (f->session, "sys", "active|1 event from the system daemon|follow");
  g_assert_cmpint (dbus_fixture_stop_initd (f->sys), ==, 0);
  wait_entry (f->session, "sys", "active|waiting for the system daemon|follow");
  dbus_fixture_stop_bus (f->sys, FALSE);
  dbus_fixture_start_bus (f->sys);
  dbus_fixture_start_initd (f->sys, NULL, NULL);
  wait_entry (f->session, "sys", "active|1 event from the system daemon|follow");
  emit_on_system (f, "go", NULL);
  text = wait_file (out);
  g_assert_cmpstr (text, ==, "INSTANCE=\nJOB=sysjob\nUPSTART_EVENTS=:sys:started\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sys-relay/started", F, NULL, f_setup, test_started, f_teardown);
  g_test_add ("/sys-relay/client-env-private", F, NULL, f_setup, test_client_env_private,
              f_teardown);
  g_test_add ("/sys-relay/idle-without-jobs", F, NULL, f_setup, test_idle_without_jobs,
              f_teardown);
  g_test_add ("/sys-relay/system-restart", F, NULL, f_setup, test_system_restart, f_teardown);
  g_test_add ("/sys-relay/bus-restart", F, NULL, f_setup, test_bus_restart, f_teardown);
  return g_test_run ();
}
