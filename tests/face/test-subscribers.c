/* test-subscribers.c — who follows the daemon's signals, on a private bus without initd */
#define G_LOG_DOMAIN "init-test"

#include "dbus-fixture.h"
#include "init-subscribers.h"
#include "test-util.h"

typedef struct
{
  DBusFixture     *bus;
  InitSubscribers *subscribers;
} Fixture;

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  fx->bus = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  fx->subscribers = init_subscribers_new ();
  init_subscribers_set_connection (fx->subscribers, fx->bus->connection);
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  init_subscribers_free (fx->subscribers);
  dbus_fixture_free (fx->bus);
}

static gboolean
nobody (gpointer user_data)
{
  return !init_subscribers_any (user_data);
}

/* Exactly one name is left subscribed. */
static gboolean
one_left (gpointer user_data)
{
  g_auto (GStrv) names = init_subscribers_list (user_data);

  return g_strv_length (names) == 1;
}

/* Subscribing twice is one subscription; Unsubscribe ends it; removing a name that is not
 * subscribed does nothing. */
static void
test_add_remove (Fixture      *fx,
                 gconstpointer data)
{
  g_autoptr(GDBusConnection) a = dbus_fixture_connect (fx->bus);
  g_autoptr(GDBusConnection) b = dbus_fixture_connect (fx->bus);
  g_autoptr(GError) error = NULL;
  g_auto (GStrv) names = NULL;

  g_assert_false (init_subscribers_any (fx->subscribers));
  g_assert_true (init_subscribers_add (fx->subscribers, g_dbus_connection_get_unique_name (a), &error));
  g_assert_true (init_subscribers_add (fx->subscribers, g_dbus_connection_get_unique_name (a), &error));
  g_assert_true (init_subscribers_add (fx->subscribers, g_dbus_connection_get_unique_name (b), &error));
  g_assert_no_error (error);
  names = init_subscribers_list (fx->subscribers);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_true (init_subscribers_any (fx->subscribers));

  init_subscribers_remove (fx->subscribers, ":1.99999");
  init_subscribers_remove (fx->subscribers, g_dbus_connection_get_unique_name (a));
  g_clear_pointer (&names, g_strfreev);
  names = init_subscribers_list (fx->subscribers);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, g_dbus_connection_get_unique_name (b));
  /* Still there after the bus answered the checks. */
  test_util_spin (100);
  g_assert_true (init_subscribers_any (fx->subscribers));
}

/* A subscriber that leaves the bus is forgotten (NameOwnerChanged). */
static void
test_leaves_bus (Fixture      *fx,
                 gconstpointer data)
{
  GDBusConnection *client = dbus_fixture_connect (fx->bus);

  g_assert_true (init_subscribers_add (fx->subscribers, g_dbus_connection_get_unique_name (client), NULL));
  test_util_spin (50);
  g_assert_true (init_subscribers_any (fx->subscribers));
  g_dbus_connection_close_sync (client, NULL, NULL);
  g_object_unref (client);
  g_assert_true (test_util_wait_until (nobody, fx->subscribers, 20000));
}

/* A name that had already gone when it subscribed (its departure came before our match
 * rule) is forgotten once the bus says it has no owner. */
static void
test_gone_before_subscribing (Fixture      *fx,
                              gconstpointer data)
{
  GDBusConnection *client = dbus_fixture_connect (fx->bus);
  g_autofree char *name = g_strdup (g_dbus_connection_get_unique_name (client));

  g_dbus_connection_close_sync (client, NULL, NULL);
  g_object_unref (client);
  g_assert_true (init_subscribers_add (fx->subscribers, name, NULL));
  g_assert_true (init_subscribers_any (fx->subscribers));
  g_assert_true (test_util_wait_until (nobody, fx->subscribers, 20000));
}

/* An adopted subscriber (carried over a re-exec) counts like one added, and is checked too. */
static void
test_adopt (Fixture      *fx,
            gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  g_autoptr(GError) error = NULL;

  g_assert_true (init_subscribers_adopt (fx->subscribers, g_dbus_connection_get_unique_name (client), &error));
  g_assert_no_error (error);
  g_assert_true (init_subscribers_adopt (fx->subscribers, ":1.424242", &error));
  g_assert_true (init_subscribers_any (fx->subscribers));
  /* The stale one goes, the live one stays. */
  g_assert_true (test_util_wait_until (one_left, fx->subscribers, 20000));
}

/* Without a connection nobody can subscribe; a new connection forgets every name. */
static void
test_connection_changes (Fixture      *fx,
                         gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  g_autoptr(GError) error = NULL;

  g_assert_true (init_subscribers_add (fx->subscribers, g_dbus_connection_get_unique_name (client), NULL));
  init_subscribers_set_connection (fx->subscribers, NULL);
  g_assert_false (init_subscribers_any (fx->subscribers));
  g_assert_false (init_subscribers_add (fx->subscribers, g_dbus_connection_get_unique_name (client), &error));
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_FAILED);

  init_subscribers_set_connection (fx->subscribers, fx->bus->connection);
  g_assert_true (init_subscribers_add (fx->subscribers, g_dbus_connection_get_unique_name (client), NULL));
  init_subscribers_set_connection (fx->subscribers, fx->bus->connection);
  g_assert_false (init_subscribers_any (fx->subscribers));
}

/* At most INIT_SUBSCRIBERS_MAX names; one already subscribed may subscribe again. */
static void
test_bounded (Fixture      *fx,
              gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  const char *live = g_dbus_connection_get_unique_name (client);
  g_autoptr(GError) error = NULL;

  g_assert_true (init_subscribers_add (fx->subscribers, live, NULL));
  for (guint i = 1; i < INIT_SUBSCRIBERS_MAX; i++)
    {
      g_autofree char *name = g_strdup_printf (":9.%u", i);

      g_assert_true (init_subscribers_add (fx->subscribers, name, NULL));
    }
  g_assert_true (init_subscribers_add (fx->subscribers, live, NULL));
  g_assert_false (init_subscribers_add (fx->subscribers, ":9.0", &error));
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_LIMITS_EXCEEDED);
  /* The names that never existed go when the bus answers; then there is room again. */
  g_assert_true (test_util_wait_until (one_left, fx->subscribers, 30000));
  g_assert_true (init_subscribers_add (fx->subscribers, ":9.0", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/face/subscribers/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("add-remove", test_add_remove);
  ADD ("leaves-bus", test_leaves_bus);
  ADD ("gone-before-subscribing", test_gone_before_subscribing);
  ADD ("adopt", test_adopt);
  ADD ("connection-changes", test_connection_changes);
  ADD ("bounded", test_bounded);
#undef ADD
  return g_test_run ();
}
