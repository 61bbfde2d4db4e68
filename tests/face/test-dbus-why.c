/* test-dbus-why.c — Manager.Why and Manager.WhyNot against the real initd on a private bus:
 * the chain checked link by link against the history's own ids, the leaves of `start on',
 * and the named errors for bad input */
#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "test-util.h"

#define WAIT_MS 20000
#define MANAGER "/org/example/Init"
#define IFACE "org.example.Init"

static DBusFixture *
start_daemon (const char *const *jobs)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);

  for (guint i = 0; jobs[i] != NULL; i += 2)
    dbus_fixture_write_job (fx, jobs[i], jobs[i + 1]);
  dbus_fixture_start_initd (fx, NULL, NULL);
  return fx;
}

static GVariant *
why (DBusFixture *fx,
     const char  *job)
{
  g_autoptr(GVariant) reply = dbus_fixture_call_ok (fx, MANAGER, IFACE, "Why",
                                                    g_variant_new ("(s^as)", job, (const char *[]) { NULL }));

  return g_variant_get_child_value (reply, 0);
}

typedef struct
{
  DBusFixture *fx;
  const char  *job;
  gsize        links;
} ChainWait;

static gboolean
chain_has_links (gpointer user_data)
{
  ChainWait *w = user_data;
  g_autoptr(GVariant) chain = why (w->fx, w->job);

  return g_variant_n_children (chain) == w->links;
}

/* Three jobs started one by the next from an event this test emits: the chain names them
 * all, each link's cause is the next link (by event id), ids go back, times never forward,
 * and the origin is this process (uid, pid). */
static void
test_chain (void)
{
  DBusFixture *fx = start_daemon ((const char *[]) {
    "a", "start on go\nexec sleep 1000\n",
    "b", "start on started a\nexec sleep 1000\n",
    "c", "start on started b\nexec sleep 1000\n", NULL
  });
  const char *expected[] = { "job-goal c", "event-queued started", "job-goal b",
                             "event-queued started", "job-goal a", "event-queued go" };
  g_autoptr(GVariant) reply = NULL, chain = NULL;
  guint64 last_id = G_MAXUINT64, last_time = G_MAXUINT64;

  reply = dbus_fixture_call_ok (fx, MANAGER, IFACE, "EmitEvent",
                                g_variant_new ("(s^asb)", "go", (const char *[]) { NULL }, FALSE));
  g_assert_true (test_util_wait_until (chain_has_links, &(ChainWait) { fx, "c", 6 }, WAIT_MS));
  chain = why (fx, "c");
  for (gsize i = 0; i < g_variant_n_children (chain); i++)
    {
      g_autoptr(GVariant) details = NULL;
      g_autofree char *what = NULL;
      const char *kind, *subject, *cause;
      guint64 id, time, cause_id, event_id;

      g_variant_get_child (chain, i, "(tt&s&s@a{sv})", &id, &time, &kind, &subject, &details);
      what = g_strdup_printf ("%s %s", kind, subject);
      g_assert_cmpstr (what, ==, expected[i]);
      g_assert_cmpuint (id, <, last_id);
      g_assert_cmpuint (time, <=, last_time);
      last_id = id;
      last_time = time;
      g_assert_true (g_variant_lookup (details, "cause", "&s", &cause));
      if (i + 1 < g_variant_n_children (chain) && g_str_equal (kind, "job-goal"))
        {
          g_autoptr(GVariant) next = NULL;

          /* the goal's cause is exactly the event of the next link */
          g_assert_cmpstr (cause, ==, "event");
          g_assert_true (g_variant_lookup (details, "cause-event-id", "t", &cause_id));
          g_variant_get_child (chain, i + 1, "(tts&s@a{sv})", NULL, NULL, NULL, NULL, &next);
          g_assert_true (g_variant_lookup (next, "event-id", "t", &event_id));
          g_assert_cmpuint (cause_id, ==, event_id);
        }
      else if (i + 1 == g_variant_n_children (chain))
        {
          guint32 uid, pid;

          g_assert_cmpstr (cause, ==, "caller");
          g_assert_true (g_variant_lookup (details, "caller-uid", "u", &uid));
          g_assert_true (g_variant_lookup (details, "caller-pid", "u", &pid));
          g_assert_cmpuint (uid, ==, getuid ());
          g_assert_cmpuint (pid, ==, getpid ());
        }
    }
  dbus_fixture_free (fx);
}

/* Bad input gets named errors: an unknown job, a malformed environment, an instance name
 * that does not expand; a job never started has an empty chain. */
static void
test_why_errors (void)
{
  DBusFixture *fx = start_daemon ((const char *[]) {
    "idle", "exec sleep 1000\n", "inst", "instance $N\nexec sleep 1000\n", NULL
  });
  g_autofree char *unknown = NULL, *env = NULL, *args = NULL;
  g_autoptr(GVariant) chain = NULL;

  unknown = dbus_fixture_call_fails (fx, MANAGER, IFACE, "Why",
                                     g_variant_new ("(s^as)", "nope", (const char *[]) { NULL }),
                                     "org.example.Init.Error.UnknownJob");
  env = dbus_fixture_call_fails (fx, MANAGER, IFACE, "Why",
                                 g_variant_new ("(s^as)", "idle",
                                                (const char *[]) { "no-equals", NULL }),
                                 "org.example.Init.Error.InvalidEnvironment");
  args = dbus_fixture_call_fails (fx, MANAGER, IFACE, "Why",
                                  g_variant_new ("(s^as)", "inst", (const char *[]) { NULL }),
                                  "org.example.Init.Error.InvalidArgs");
  chain = why (fx, "idle");
  g_assert_cmpuint (g_variant_n_children (chain), ==, 0);
  dbus_fixture_free (fx);
}

typedef struct
{
  DBusFixture *fx;
  GVariant    *reply;
} WhyNotWait;

static gboolean
first_leaf_satisfied (gpointer user_data)
{
  WhyNotWait *w = user_data;
  g_autoptr(GVariant) leaves = NULL;
  guint64 id = 0;

  g_clear_pointer (&w->reply, g_variant_unref);
  w->reply = dbus_fixture_call_ok (w->fx, MANAGER, IFACE, "WhyNot", g_variant_new ("(s)", "j"));
  leaves = g_variant_get_child_value (w->reply, 2);
  g_variant_get_child (leaves, 0, "(&s^a&stt^a&s)", NULL, NULL, &id, NULL, NULL);
  return id != 0;
}

/* `start on a and b' after only a: a satisfied (event id, time), b missing with the job that
 * emits it; nothing running, so no reason; an unknown job is UnknownJob. */
static void
test_why_not (void)
{
  DBusFixture *fx = start_daemon ((const char *[]) {
    "producer", "emits b\n", "j", "start on a and b\nexec sleep 1000\n", NULL
  });
  WhyNotWait w = { fx, NULL };
  g_autoptr(GVariant) reply = NULL, reasons = NULL, leaves = NULL;
  g_autofree const char **producers = NULL;
  g_autofree char *unknown = NULL;
  const char *start_on, *event;
  guint64 id, time;

  reply = dbus_fixture_call_ok (fx, MANAGER, IFACE, "EmitEvent",
                                g_variant_new ("(s^asb)", "a", (const char *[]) { NULL }, FALSE));
  g_assert_true (test_util_wait_until (first_leaf_satisfied, &w, WAIT_MS));
  g_variant_get (w.reply, "(&s@a(sss)@a(sasttas))", &start_on, &reasons, &leaves);
  g_assert_cmpstr (start_on, ==, "(a and b)");
  g_assert_cmpuint (g_variant_n_children (reasons), ==, 0);
  g_assert_cmpuint (g_variant_n_children (leaves), ==, 2);
  g_variant_get_child (leaves, 0, "(&s^a&stt^a&s)", &event, NULL, &id, &time, &producers);
  g_assert_cmpstr (event, ==, "a");
  g_assert_cmpuint (id, >, 0);
  g_assert_cmpuint (time, >, 0);
  g_clear_pointer (&producers, g_free);
  g_variant_get_child (leaves, 1, "(&s^a&stt^a&s)", &event, NULL, &id, &time, &producers);
  g_assert_cmpstr (event, ==, "b");
  g_assert_cmpuint (id, ==, 0);
  g_assert_cmpstrv (producers, ((const char *[]) { "job:producer", NULL }));
  g_variant_unref (w.reply);

  unknown = dbus_fixture_call_fails (fx, MANAGER, IFACE, "WhyNot", g_variant_new ("(s)", "nope"),
                                     "org.example.Init.Error.UnknownJob");
  dbus_fixture_free (fx);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dbus/why/chain", test_chain);
  g_test_add_func ("/dbus/why/errors", test_why_errors);
  g_test_add_func ("/dbus/why-not/missing-leaf", test_why_not);
  return g_test_run ();
}
