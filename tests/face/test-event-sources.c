/* test-event-sources.c — which event sources run and why: EventSources and list-sources
 *
 * The real initd on a private session bus: the manager's EventSources property lists every
 * source with its state, detail and the jobs that need it, and changes (with
 * PropertiesChanged) as jobs come and go; `initctl list-sources' prints it as text and JSON.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dbus-fixture.h"
#include "source-entry.h"
#include "test-util.h"

#define WAIT_MS 20000

static void
on_properties_changed (GDBusConnection *connection,
                       const char      *sender,
                       const char      *path,
                       const char      *iface,
                       const char      *member,
                       GVariant        *params,
                       gpointer         user_data)
{
  g_autoptr(GVariant) changed = g_variant_get_child_value (params, 1);
  g_autoptr(GVariant) sources = g_variant_lookup_value (changed, "EventSources", NULL);

  if (sources != NULL)
    (*(guint *) user_data)++;
}

static gboolean
got_change (gpointer user_data)
{
  return *(guint *) user_data > 0;
}

/* A job naming `file' makes the file source active with that job listed (and
 * PropertiesChanged says so); without it the source is inactive again. */
static void
test_property_follows_jobs (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  g_autofree char *text = NULL;
  guint changes = 0;
  guint id;

  dbus_fixture_write_job (fx, "plain", "start on startup\nexec true\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  wait_entry (fx, "file", "inactive||");
  id = g_dbus_connection_signal_subscribe (fx->connection, NULL,
                                           "org.freedesktop.DBus.Properties",
                                           "PropertiesChanged", "/org/example/Init", NULL,
                                           G_DBUS_SIGNAL_FLAGS_NONE, on_properties_changed,
                                           &changes, NULL);
  text = g_strdup_printf ("start on file FILE=%s/ready\nexec true\n", fx->dir);
  dbus_fixture_write_job (fx, "waiter", text);
  dbus_fixture_write_job (fx, "also", text);
  wait_entry (fx, "file", "active|1 path|also waiter");
  g_assert_true (test_util_wait_until (got_change, &changes, WAIT_MS));
  g_clear_pointer (&text, g_free);
  text = dbus_fixture_path (fx, "conf/waiter.conf");
  g_assert_cmpint (g_unlink (text), ==, 0);
  g_clear_pointer (&text, g_free);
  text = dbus_fixture_path (fx, "conf/also.conf");
  g_assert_cmpint (g_unlink (text), ==, 0);
  wait_entry (fx, "file", "inactive||");
  g_dbus_connection_signal_unsubscribe (fx->connection, id);
  dbus_fixture_free (fx);
}

/* `initctl list-sources': one line per source, "NAME STATE[: DETAIL][ (jobs: …)]", and
 * --json with the same fields. */
static void
test_initctl_list_sources (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = NULL;
  const char *argv[] = { g_getenv ("INITCTL"), "--session", "list-sources", NULL, NULL };

  text = g_strdup_printf ("start on file FILE=%s/ready\nexec true\n", fx->dir);
  dbus_fixture_write_job (fx, "waiter", text);
  dbus_fixture_start_initd (fx, NULL, NULL);
  wait_entry (fx, "file", "active|1 path|waiter");
  g_assert_cmpint (dbus_fixture_run (fx, argv, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "file active: 1 path (jobs: waiter)\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  argv[3] = "--json";
  g_assert_cmpint (dbus_fixture_run (fx, argv, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  line = g_strdup ("{\"name\": \"file\", \"state\": \"active\", \"detail\": \"1 path\", "
                   "\"jobs\": [\"waiter\"]}");
  g_assert_nonnull (strstr (out, line));
  g_assert_true (g_str_has_prefix (out, "[") && g_str_has_suffix (out, "]\n"));
  dbus_fixture_free (fx);
}

static void
on_published (GDBusConnection *connection,
              const char      *sender,
              const char      *path,
              const char      *iface,
              const char      *member,
              GVariant        *params,
              gpointer         user_data)
{
  const char *name;
  g_autofree const char **env = NULL;
  g_autofree char *joined = NULL;

  g_variant_get (params, "(t&s^a&s)", NULL, &name, &env);
  joined = g_strjoinv (" ", (char **) env);
  g_ptr_array_add (user_data, g_strdup_printf ("%s %s", name, joined));
}

static gboolean
has_line (gpointer user_data)
{
  gpointer *args = user_data;

  return g_ptr_array_find_with_equal_func (args[0], args[1], g_str_equal, NULL);
}

/* EventPublished (to everyone) carries the public part of a finished event: a job event's
 * own variables without what the job exports, nothing of a client's event. */
static void
test_published_env_is_public (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  gpointer args[2] = { lines, NULL };
  guint id;

  dbus_fixture_write_job (fx, "svc", "start on go\nexport TOKEN\nexec sleep 1000\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  dbus_fixture_subscribe (fx);
  id = g_dbus_connection_signal_subscribe (fx->connection, NULL, "org.example.Init",
                                           "EventPublished", "/org/example/Init", NULL,
                                           G_DBUS_SIGNAL_FLAGS_NONE, on_published, lines, NULL);
  g_autoptr(GVariant) reply = dbus_fixture_call_ok (fx, "/org/example/Init", "org.example.Init",
                                                    "EmitEvent",
                                                    g_variant_new ("(s^asb)", "go",
                                                                   (const char *[]) {
    "TOKEN=secret", NULL
  }, TRUE));
  args[1] = "started JOB=svc INSTANCE=";
  g_assert_true (test_util_wait_until (has_line, args, WAIT_MS));
  args[1] = "go ";
  g_assert_true (test_util_wait_until (has_line, args, WAIT_MS));
  for (guint i = 0; i < lines->len; i++)
    g_assert_null (strstr (g_ptr_array_index (lines, i), "secret"));
  g_dbus_connection_signal_unsubscribe (fx->connection, id);
  dbus_fixture_free (fx);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/event-sources/property-follows-jobs", test_property_follows_jobs);
  g_test_add_func ("/event-sources/initctl-list-sources", test_initctl_list_sources);
  g_test_add_func ("/event-sources/published-env-is-public", test_published_env_is_public);
  return g_test_run ();
}
