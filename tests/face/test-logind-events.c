/* test-logind-events.c — login-session-start / desktop-session-start from logind
 *
 * A private system bus with python3-dbusmock's logind template as org.freedesktop.login1
 * and the real initd --system.  The test adds sessions to the mock (AddSession, then their
 * Class, Type and Service), has it send SessionNew, and reads what initd's jobs saw.
 */
#include <gio/gio.h>
#include <signal.h>
#include <string.h>

#include "dbus-fixture.h"
#include "source-entry.h"
#include "test-util.h"

#define WAIT_MS 30000

typedef struct
{
  DBusFixture *fx;
  GSubprocess *mock;
} F;

static void
f_setup (F            *f,
         gconstpointer data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;

  f->fx = dbus_fixture_new (DBUS_FIXTURE_SYSTEM, "system-bus-allow-all.conf.in");
  g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS", f->fx->address, TRUE);
  f->mock = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", "-m", "dbusmock",
                                         "--system", "--template", "logind", NULL);
  g_assert_no_error (error);
  g_assert_true (dbus_fixture_wait_name (f->fx, "org.freedesktop.login1"));
}

static void
f_teardown (F            *f,
            gconstpointer data)
{
  g_subprocess_send_signal (f->mock, SIGTERM);
  g_subprocess_wait (f->mock, NULL, NULL);
  g_clear_object (&f->mock);
  g_clear_pointer (&f->fx, dbus_fixture_free);
}

static GVariant *
mock_call (F          *f,
           const char *path,
           const char *iface,
           const char *method,
           GVariant   *params)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = g_dbus_connection_call_sync (f->fx->connection, "org.freedesktop.login1",
                                                 path, iface, method, params, NULL,
                                                 G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);

  g_assert_no_error (error);
  return reply;
}

/* A session @id of @klass and @type through @service, announced with SessionNew. */
static void
new_session (F          *f,
             const char *id,
             const char *klass,
             const char *type,
             const char *service)
{
  g_autoptr(GVariant) added = mock_call (f, "/org/freedesktop/login1", "org.freedesktop.DBus.Mock",
                                         "AddSession",
                                         g_variant_new ("(ssusb)", id, "seat0", 1000, "alice",
                                                        TRUE));
  const char *path;
  const char *keys[] = { "Class", "Type", "Service" };
  const char *values[] = { klass, type, service };
  GVariantBuilder args;

  g_variant_get (added, "(&s)", &path);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_variant_unref (mock_call (f, path, "org.freedesktop.DBus.Properties", "Set",
                                g_variant_new ("(ssv)", "org.freedesktop.login1.Session", keys[i],
                                               g_variant_new_string (values[i]))));
  g_variant_builder_init (&args, G_VARIANT_TYPE ("av"));
  g_variant_builder_add (&args, "v", g_variant_new_string (id));
  g_variant_builder_add (&args, "v", g_variant_new_object_path (path));
  g_variant_unref (mock_call (f, "/org/freedesktop/login1", "org.freedesktop.DBus.Mock",
                              "EmitSignal",
                              g_variant_new ("(sssav)", "org.freedesktop.login1.Manager",
                                             "SessionNew", "so", &args)));
}

typedef struct
{
  const char *path;
  guint       lines;
} LinesWait;

static gboolean
has_lines (gpointer user_data)
{
  LinesWait *w = user_data;
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (w->path, &text, NULL, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n >= w->lines;
}

/* A greeter's session gives login-session-start, a user's graphical one
 * desktop-session-start, both with the session's service as DISPLAY_MANAGER; a text login
 * gives neither. */
static void
test_sessions (F            *f,
               gconstpointer data)
{
  g_autofree char *out = dbus_fixture_path (f->fx, "out");
  g_autofree char *job = g_strdup_printf (
    "start on login-session-start or desktop-session-start\ninstance $UPSTART_EVENTS$DISPLAY_MANAGER\n"
    "task\nexec sh -c 'echo $UPSTART_EVENTS $DISPLAY_MANAGER >> %s'\n", out);
  g_autofree char *text = NULL;
  LinesWait w = { out, 3 };

  dbus_fixture_write_job (f->fx, "seen", job);
  dbus_fixture_start_initd (f->fx, NULL, NULL);
  wait_entry (f->fx, "logind", "active|following logind|seen");
  new_session (f, "c1", "greeter", "x11", "lightdm");
  new_session (f, "c2", "user", "tty", "login");
  new_session (f, "c3", "user", "wayland", "gdm-password");
  new_session (f, "c4", "user", "x11", "sddm");
  g_assert_true (test_util_wait_until (has_lines, &w, WAIT_MS));
  text = test_util_read_file (out);
  g_assert_nonnull (strstr (text, "login-session-start lightdm\n"));
  g_assert_nonnull (strstr (text, "desktop-session-start gdm-password\n"));
  g_assert_nonnull (strstr (text, "desktop-session-start sddm\n"));
  g_assert_null (strstr (text, "login\n"));
}

/* A condition on the variable, as a real job writes it; a job naming only
 * desktop-session-start is not started by a greeter. */
static void
test_condition (F            *f,
                gconstpointer data)
{
  g_autofree char *out = dbus_fixture_path (f->fx, "out");
  g_autofree char *job = g_strdup_printf (
    "start on desktop-session-start DISPLAY_MANAGER=lightdm\ntask\n"
    "exec sh -c 'echo $DISPLAY_MANAGER >> %s'\n", out);
  g_autofree char *text = NULL;
  LinesWait w = { out, 1 };

  dbus_fixture_write_job (f->fx, "mine", job);
  dbus_fixture_start_initd (f->fx, NULL, NULL);
  wait_entry (f->fx, "logind", "active|following logind|mine");
  new_session (f, "c1", "greeter", "x11", "lightdm");
  new_session (f, "c2", "user", "x11", "gdm-password");
  new_session (f, "c3", "user", "x11", "lightdm");
  g_assert_true (test_util_wait_until (has_lines, &w, WAIT_MS));
  text = test_util_read_file (out);
  g_assert_cmpstr (text, ==, "lightdm\n");
}

/* No job names a session event: the source is inactive and initd has no rule for SessionNew. */
static void
test_idle_without_jobs (F            *f,
                        gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *all = NULL;

  dbus_fixture_write_job (f->fx, "plain", "start on startup\nexec true\n");
  dbus_fixture_start_initd (f->fx, NULL, NULL);
  wait_entry (f->fx, "logind", "inactive||");
  reply = g_dbus_connection_call_sync (f->fx->connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus.Debug.Stats", "GetAllMatchRules",
                                       NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  all = g_variant_print (reply, FALSE);
  g_assert_null (strstr (all, "SessionNew"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/logind-events/sessions", F, NULL, f_setup, test_sessions, f_teardown);
  g_test_add ("/logind-events/condition", F, NULL, f_setup, test_condition, f_teardown);
  g_test_add ("/logind-events/idle-without-jobs", F, NULL, f_setup, test_idle_without_jobs,
              f_teardown);
  return g_test_run ();
}
