/* test-dbus-source.c — `dbus' events: signals on the daemon's bus start the jobs naming them
 *
 * The real initd (session mode) on a private bus: a job waits for `dbus SIGNAL=… ARG0=…',
 * the test sends the signal from its own connection, and the job starts with the signal's
 * variables in Upstart's order.  The bus's own bookkeeping (the Debug.Stats interface's
 * GetAllMatchRules, ListNames) shows that initd adds no connection and no match rule while
 * no job names `dbus', and that the rule follows a changed job file.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "dbus-fixture.h"
#include "test-util.h"

typedef struct
{
  DBusFixture *fx;
} F;

static void
f_setup (F            *f,
         gconstpointer data)
{
  f->fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
}

static void
f_teardown (F            *f,
            gconstpointer data)
{
  g_clear_pointer (&f->fx, dbus_fixture_free);
}

static GVariant *
bus_call (F          *f,
          const char *iface,
          const char *method)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = g_dbus_connection_call_sync (f->fx->connection, "org.freedesktop.DBus",
                                                 "/org/freedesktop/DBus", iface, method, NULL,
                                                 NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                                 &error);

  g_assert_no_error (error);
  return reply;
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Every match rule on the bus, of every connection but the test's, joined by " | " and
 * sorted. */
static char *
all_rules (F *f)
{
  g_autoptr(GVariant) reply = bus_call (f, "org.freedesktop.DBus.Debug.Stats",
                                        "GetAllMatchRules");
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_free);
  const char *own = g_dbus_connection_get_unique_name (f->fx->connection);
  const char *name;
  GVariant *list;

  g_variant_get (reply, "(a{sas})", &iter);
  while (g_variant_iter_next (iter, "{&s@as}", &name, &list))
    {
      g_autofree const char **strv = g_variant_get_strv (list, NULL);

      for (guint i = 0; !g_str_equal (name, own) && strv[i] != NULL; i++)
        g_ptr_array_add (rules, g_strdup (strv[i]));
      g_variant_unref (list);
    }
  g_ptr_array_sort (rules, compare_strings);
  g_ptr_array_add (rules, NULL);
  return g_strjoinv (" | ", (char **) rules->pdata);
}

/* How many connections the bus has, its own and the test's left out. */
static guint
count_peers (F *f)
{
  g_autoptr(GVariant) reply = bus_call (f, "org.freedesktop.DBus", "ListNames");
  g_autofree const char **names = NULL;
  guint n = 0;

  g_variant_get (reply, "(^a&s)", &names);
  for (guint i = 0; names[i] != NULL; i++)
    if (names[i][0] == ':'
        && !g_str_equal (names[i], g_dbus_connection_get_unique_name (f->fx->connection)))
      n++;
  return n;
}

typedef struct
{
  F          *f;
  const char *has;       /* a rule must contain it (or NULL) */
  const char *lacks;     /* no rule may contain it (or NULL) */
} RuleWait;

static gboolean
rules_are (gpointer user_data)
{
  RuleWait *w = user_data;
  g_autofree char *rules = all_rules (w->f);

  return (w->has == NULL || strstr (rules, w->has) != NULL)
         && (w->lacks == NULL || strstr (rules, w->lacks) == NULL);
}

static void
wait_rules (F          *f,
            const char *has,
            const char *lacks)
{
  RuleWait w = { f, has, lacks };

  if (!test_util_wait_until (rules_are, &w, 20000))
    {
      g_autofree char *rules = all_rules (f);

      g_error ("the bus's match rules %s (wanted one with %s and none with %s)", rules, has,
               lacks);
    }
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
emit_ping (F          *f,
           const char *member,
           GVariant   *body)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (f->fx->connection, NULL, "/org/example/Test",
                                 "org.example.Test", member, body, &error);
  g_assert_no_error (error);
  g_dbus_connection_flush_sync (f->fx->connection, NULL, &error);
  g_assert_no_error (error);
}

/* A signal starts the job waiting for it with SIGNAL, BUS, INTERFACE, OBJPATH, SENDER and
 * ARGi (in order, in Upstart's formats); one with another ARG0 does not. */
static void
test_signal_starts_job (F            *f,
                        gconstpointer data)
{
  g_autofree char *out = dbus_fixture_path (f->fx, "out");
  g_autofree char *job = g_strdup_printf (
    "start on dbus SIGNAL=Ping INTERFACE=org.example.Test ARG0=hello\ntask\n"
    "exec sh -c 'env | grep -E \"^(SIGNAL|BUS|INTERFACE|OBJPATH|SENDER|DESTINATION|ARG[0-9])=\" "
    "| sort > %s.new && mv %s.new %s'\n", out, out, out);
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  dbus_fixture_write_job (f->fx, "pinged", job);
  dbus_fixture_start_initd (f->fx, NULL, NULL);
  wait_rules (f, "member='Ping'", NULL);
  emit_ping (f, "Ping", g_variant_new ("(sib)", "other", 1, FALSE));
  emit_ping (f, "Ping", g_variant_new ("(sidayo)", "hello", -42, 2.5, NULL, "/a/b"));
  g_assert_true (test_util_wait_until (file_exists, out, 20000));
  text = test_util_read_file (out);
  expected = g_strdup_printf ("ARG0=hello\nARG1=-42\nARG2=2.500000\nARG4=/a/b\nBUS=session\n"
                              "INTERFACE=org.example.Test\nOBJPATH=/org/example/Test\n"
                              "SENDER=%s\nSIGNAL=Ping\n",
                              g_dbus_connection_get_unique_name (f->fx->connection));
  g_assert_cmpstr (text, ==, expected);
}

/* No job names `dbus': initd opens no connection for it and adds no rule; a job naming it
 * brings one rule from the keys it names (ARG0 as a string, never the number). */
static void
test_no_rule_without_jobs (F            *f,
                           gconstpointer data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  dbus_fixture_write_job (f->fx, "plain", "start on startup\nexec sleep 100\n");
  dbus_fixture_start_initd (f->fx, NULL, NULL);
  before = all_rules (f);
  test_util_spin (500);
  g_assert_cmpuint (count_peers (f), ==, 1);
  after = all_rules (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_null (strstr (after, "type='signal',member"));
  dbus_fixture_write_job (f->fx, "named", "start on dbus SIGNAL=Changed OBJPATH=/x "
                          "ARG0=org.example.Name ARG1=7 ARG2!=no\nexec true\n");
  g_variant_unref (dbus_fixture_call_ok (f->fx, "/org/example/Init", "org.example.Init",
                                         "ReloadConfiguration", NULL));
  wait_rules (f, "type='signal',member='Changed',path='/x',arg0='org.example.Name'", NULL);
  g_assert_cmpuint (count_peers (f), ==, 2);
  after = (g_free (after), all_rules (f));
  g_assert_null (strstr (after, "arg1="));
  g_assert_null (strstr (after, "arg2="));
}

/* A changed job file changes the rule; without the job the connection goes. */
static void
test_changed_job_changes_rule (F            *f,
                               gconstpointer data)
{
  g_autofree char *path = NULL;

  dbus_fixture_write_job (f->fx, "pinged", "start on dbus SIGNAL=Ping\nexec true\n");
  dbus_fixture_start_initd (f->fx, NULL, NULL);
  wait_rules (f, "member='Ping'", NULL);
  dbus_fixture_write_job (f->fx, "pinged", "start on dbus SIGNAL=Pong\nexec true\n");
  g_variant_unref (dbus_fixture_call_ok (f->fx, "/org/example/Init", "org.example.Init",
                                         "ReloadConfiguration", NULL));
  wait_rules (f, "member='Pong'", "member='Ping'");
  path = g_build_filename (f->fx->confdir, "pinged.conf", NULL);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_variant_unref (dbus_fixture_call_ok (f->fx, "/org/example/Init", "org.example.Init",
                                         "ReloadConfiguration", NULL));
  wait_rules (f, NULL, "member='Pong'");
  g_assert_cmpuint (count_peers (f), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sources/dbus/signal-starts-job", F, NULL, f_setup, test_signal_starts_job,
              f_teardown);
  g_test_add ("/sources/dbus/no-rule-without-jobs", F, NULL, f_setup,
              test_no_rule_without_jobs, f_teardown);
  g_test_add ("/sources/dbus/changed-job-changes-rule", F, NULL, f_setup,
              test_changed_job_changes_rule, f_teardown);
  return g_test_run ();
}
