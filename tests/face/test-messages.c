/* test-messages.c — what initd sends on the bus per operation, counted by a bus monitor
 * (tests/fixtures/bus-counter.h): machine-independent, so a regression fails here rather than
 * only showing in a benchmark.  Signals go out only while a client is subscribed
 * (Manager.Subscribe); then each fact is announced once. */
#include <string.h>

#include "bus-counter.h"
#include "dbus-fixture.h"
#include "test-util.h"

#define NAME "org.example.Init"
#define MANAGER "/org/example/Init"
#define TASK "start on run-task\ntask\nconsole none\nexec /bin/true\n"
#define RUNS 10
/* issue 11's target for a task run nobody follows */
#define MAX_UNFOLLOWED 6

static DBusFixture *
start (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);

  dbus_fixture_write_job (fx, "run", TASK);
  dbus_fixture_start_initd (fx, NULL, NULL);
  return fx;
}

static void
run_task (DBusFixture *fx)
{
  g_autoptr(GVariant) reply = dbus_fixture_call_ok (fx, MANAGER, NAME, "EmitEvent",
                                                    g_variant_new ("(s^asb)", "run-task",
                                                                   (const char *[]) { NULL }, TRUE));
}

/* Messages initd sent over @RUNS task runs, and which. */
static guint
count_task_runs (DBusFixture *fx,
                 BusCounter  *counter,
                 GHashTable **members)
{
  bus_counter_sync (counter, NULL);
  for (guint i = 0; i < RUNS; i++)
    run_task (fx);
  return bus_counter_sync (counter, members);
}

static guint
member_count (GHashTable *members,
              const char *member)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (members, member));
}

static GDBusConnection *
second_connection (DBusFixture *fx)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection =
    g_dbus_connection_new_for_address_sync (fx->address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                            | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);

  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  return connection;
}

static void
call_manager (GDBusConnection *connection,
              const char      *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (connection, NAME, MANAGER, NAME, method,
                                                           NULL, G_VARIANT_TYPE_UNIT,
                                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);

  g_assert_no_error (error);
}

/* Nobody subscribed: a task run is its method reply and the caller's credentials, no signal
 * at all (it used to be ~41 messages: 23 HistoryRecords, 5 EventEmitted, ...). */
static void
test_task_run_unfollowed (void)
{
  DBusFixture *fx = start ();
  BusCounter *counter = bus_counter_new (fx, NAME);
  g_autoptr(GHashTable) members = NULL;
  guint total = count_task_runs (fx, counter, &members);
  GHashTableIter iter;
  gpointer key, value;

  g_test_message ("%u messages in %u task runs", total, RUNS);
  g_assert_cmpuint (total, <=, MAX_UNFOLLOWED * RUNS);
  g_assert_cmpuint (member_count (members, "return"), ==, RUNS);
  g_hash_table_iter_init (&iter, members);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_test_message ("  %s: %u", (char *) key, GPOINTER_TO_UINT (value));
      g_assert_cmpstr (key, !=, "HistoryRecord");
      g_assert_cmpstr (key, !=, "EventEmitted");
      g_assert_cmpstr (key, !=, "PropertiesChanged");
      g_assert_cmpstr (key, !=, "InterfacesAdded");
    }
  bus_counter_free (counter);
  dbus_fixture_free (fx);
}

/* Subscribed: the signals flow, and each fact goes out once per run (the five events of a
 * task run, one instance appearing and going). */
static void
test_task_run_followed (void)
{
  DBusFixture *fx = start ();
  BusCounter *counter = bus_counter_new (fx, NAME);
  g_autoptr(GHashTable) members = NULL;

  dbus_fixture_subscribe (fx);
  count_task_runs (fx, counter, &members);
  /* run-task, starting, started, stopping, stopped */
  g_assert_cmpuint (member_count (members, "EventEmitted"), ==, 5 * RUNS);
  g_assert_cmpuint (member_count (members, "EventFinished"), ==, 5 * RUNS);
  g_assert_cmpuint (member_count (members, "InterfacesAdded"), ==, RUNS);
  g_assert_cmpuint (member_count (members, "InstanceAdded"), ==, RUNS);
  g_assert_cmpuint (member_count (members, "InterfacesRemoved"), ==, RUNS);
  g_assert_cmpuint (member_count (members, "InstanceRemoved"), ==, RUNS);
  g_assert_cmpuint (member_count (members, "HistoryRecord"), >, 0);
  bus_counter_free (counter);
  dbus_fixture_free (fx);
}

/* Unsubscribe ends it; subscribing twice is one subscription. */
static void
test_unsubscribe (void)
{
  DBusFixture *fx = start ();
  BusCounter *counter = bus_counter_new (fx, NAME);

  call_manager (fx->connection, "Subscribe");
  call_manager (fx->connection, "Subscribe");
  g_assert_cmpuint (count_task_runs (fx, counter, NULL), >, MAX_UNFOLLOWED * RUNS);
  call_manager (fx->connection, "Unsubscribe");
  g_assert_cmpuint (count_task_runs (fx, counter, NULL), <=, MAX_UNFOLLOWED * RUNS);
  /* not subscribed: nothing to end, no error */
  call_manager (fx->connection, "Unsubscribe");
  bus_counter_free (counter);
  dbus_fixture_free (fx);
}

typedef struct
{
  DBusFixture *fx;
  BusCounter  *counter;
} Quiet;

static gboolean
signals_stopped (gpointer user_data)
{
  Quiet *q = user_data;

  return count_task_runs (q->fx, q->counter, NULL) <= MAX_UNFOLLOWED * RUNS;
}

/* A subscriber that leaves the bus without Unsubscribe is dropped; one that stays keeps the
 * signals going. */
static void
test_subscriber_leaves (void)
{
  DBusFixture *fx = start ();
  BusCounter *counter = bus_counter_new (fx, NAME);
  GDBusConnection *first = second_connection (fx);
  GDBusConnection *second = second_connection (fx);
  Quiet q = { fx, counter };

  call_manager (first, "Subscribe");
  call_manager (second, "Subscribe");
  g_dbus_connection_close_sync (first, NULL, NULL);
  g_object_unref (first);
  test_util_spin (200);
  g_assert_cmpuint (count_task_runs (fx, counter, NULL), >, MAX_UNFOLLOWED * RUNS);
  g_dbus_connection_close_sync (second, NULL, NULL);
  g_object_unref (second);
  g_assert_true (test_util_wait_until (signals_stopped, &q, 20000));
  bus_counter_free (counter);
  dbus_fixture_free (fx);
}

/* A re-exec keeps the subscribers: the signals go on from the new process, and it still sees
 * a subscriber leave. */
static void
test_reexec_keeps_subscribers (void)
{
  DBusFixture *fx = start ();
  GDBusConnection *subscriber = second_connection (fx);
  g_autoptr(GVariant) reply = NULL;
  Quiet q = { fx, NULL };

  call_manager (subscriber, "Subscribe");
  reply = dbus_fixture_call (fx, MANAGER, NAME, "Reexec", NULL, NULL);
  if (reply == NULL)
    g_error ("Reexec failed: %s", dbus_fixture_get_stderr (fx));
  q.counter = bus_counter_new (fx, NAME);
  g_assert_cmpuint (count_task_runs (fx, q.counter, NULL), >, MAX_UNFOLLOWED * RUNS);
  g_dbus_connection_close_sync (subscriber, NULL, NULL);
  g_object_unref (subscriber);
  g_assert_true (test_util_wait_until (signals_stopped, &q, 20000));
  bus_counter_free (q.counter);
  dbus_fixture_free (fx);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/face/messages/task-run-unfollowed", test_task_run_unfollowed);
  g_test_add_func ("/face/messages/task-run-followed", test_task_run_followed);
  g_test_add_func ("/face/messages/unsubscribe", test_unsubscribe);
  g_test_add_func ("/face/messages/subscriber-leaves", test_subscriber_leaves);
  g_test_add_func ("/face/messages/reexec-keeps-subscribers", test_reexec_keeps_subscribers);
  return g_test_run ();
}
