/* test-gui-client.c — init-admin's connection to a daemon: states, losing it, getting it back
 *
 * No display: InitAdminClient on a private bus with the stand-in daemon of gui-fake-daemon.c,
 * which can leave the bus and come back, and whose bus can go away and return.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <locale.h>

#include "gui-fake-daemon.h"
#include "init-admin-client.h"
#include "test-util.h"

typedef struct
{
  FakeDaemon      *fd;
  InitAdminClient *client;
  GArray          *states;     /* InitAdminClientState, each notified change in order */
} Fixture;

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          Fixture    *fx)
{
  InitAdminClientState state = init_admin_client_get_state (INIT_ADMIN_CLIENT (object));

  g_array_append_val (fx->states, state);
}

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  fx->fd = fake_daemon_new ();
  fx->states = g_array_new (FALSE, FALSE, sizeof (InitAdminClientState));
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  g_clear_object (&fx->client);
  g_array_unref (fx->states);
  fake_daemon_free (fx->fd);
}

static void
start_client (Fixture *fx)
{
  fx->client = init_admin_client_new (INIT_ADMIN_BUS_SESSION, fx->fd->bus->address);
  g_signal_connect (fx->client, "notify::state", G_CALLBACK (on_state), fx);
}

typedef struct
{
  InitAdminClient     *client;
  InitAdminClientState state;
} StateWait;

static gboolean
state_is (gpointer user_data)
{
  StateWait *w = user_data;

  return init_admin_client_get_state (w->client) == w->state;
}

static void
wait_state (Fixture             *fx,
            InitAdminClientState state)
{
  StateWait w = { fx->client, state };

  g_assert_true (test_util_wait_until (state_is, &w, 30000));
}

static gboolean
array_contains (GArray              *states,
                InitAdminClientState state)
{
  for (guint i = 0; i < states->len; i++)
    if (g_array_index (states, InitAdminClientState, i) == state)
      return TRUE;
  return FALSE;
}

/* With the daemon there: loading, then connected, with a manager, an object manager, a
 * cancellable for the daemon's calls, and one subscription to its signals. */
static void
test_connects (Fixture      *fx,
               gconstpointer data)
{
  start_client (fx);
  g_assert_cmpint (init_admin_client_get_state (fx->client), ==, INIT_ADMIN_CLIENT_CONNECTING);
  g_assert_null (init_admin_client_get_manager (fx->client));
  wait_state (fx, INIT_ADMIN_CLIENT_CONNECTED);

  g_assert_true (array_contains (fx->states, INIT_ADMIN_CLIENT_LOADING));
  g_assert_nonnull (init_admin_client_get_manager (fx->client));
  g_assert_cmpstr (init_dbus_manager_get_version (init_admin_client_get_manager (fx->client)), ==, "fake");
  g_assert_nonnull (init_admin_client_get_object_manager (fx->client));
  g_assert_nonnull (init_admin_client_get_connection (fx->client));
  g_assert_false (g_cancellable_is_cancelled (init_admin_client_get_cancellable (fx->client)));
  g_assert_cmpuint (fx->fd->subscribes, ==, 1);
  g_assert_null (init_admin_client_get_message (fx->client));
  g_assert_cmpint (init_admin_client_get_bus (fx->client), ==, INIT_ADMIN_BUS_SESSION);
  g_assert_cmpstr (init_admin_client_get_title (fx->client), ==, "Session daemon");
}

/* The daemon leaves: not running, everything of it dropped and its calls cancelled; it
 * comes back: connected again, subscribed again. */
static void
test_daemon_leaves_and_returns (Fixture      *fx,
                                gconstpointer data)
{
  g_autoptr(GCancellable) first = NULL;

  start_client (fx);
  wait_state (fx, INIT_ADMIN_CLIENT_CONNECTED);
  first = g_object_ref (init_admin_client_get_cancellable (fx->client));

  fake_daemon_vanish (fx->fd);
  wait_state (fx, INIT_ADMIN_CLIENT_NOT_RUNNING);
  g_assert_true (g_cancellable_is_cancelled (first));
  g_assert_null (init_admin_client_get_manager (fx->client));
  g_assert_null (init_admin_client_get_object_manager (fx->client));

  fake_daemon_appear (fx->fd);
  wait_state (fx, INIT_ADMIN_CLIENT_CONNECTED);
  g_assert_cmpuint (fx->fd->subscribes, ==, 2);
  g_assert_true (init_admin_client_get_cancellable (fx->client) != first);
  g_assert_nonnull (init_admin_client_get_manager (fx->client));
}

/* Started before the daemon: not running until it appears. */
static void
test_daemon_later (Fixture      *fx,
                   gconstpointer data)
{
  fake_daemon_vanish (fx->fd);
  start_client (fx);
  wait_state (fx, INIT_ADMIN_CLIENT_NOT_RUNNING);
  test_util_spin (100);
  g_assert_cmpint (init_admin_client_get_state (fx->client), ==, INIT_ADMIN_CLIENT_NOT_RUNNING);
  g_assert_cmpuint (fx->fd->subscribes, ==, 0);

  fake_daemon_appear (fx->fd);
  wait_state (fx, INIT_ADMIN_CLIENT_CONNECTED);
}

/* The bus goes away: "no bus" with a reason; when it is back the client reconnects by
 * itself and finds the daemon again once that is back too. */
static void
test_bus_restart (Fixture      *fx,
                  gconstpointer data)
{
  start_client (fx);
  wait_state (fx, INIT_ADMIN_CLIENT_CONNECTED);

  fake_daemon_vanish (fx->fd);
  dbus_fixture_stop_bus (fx->fd->bus, FALSE);
  wait_state (fx, INIT_ADMIN_CLIENT_NO_BUS);
  g_assert_nonnull (init_admin_client_get_message (fx->client));
  g_assert_null (init_admin_client_get_connection (fx->client));

  dbus_fixture_start_bus (fx->fd->bus);
  wait_state (fx, INIT_ADMIN_CLIENT_NOT_RUNNING);
  g_assert_null (init_admin_client_get_message (fx->client));
  fake_daemon_appear (fx->fd);
  wait_state (fx, INIT_ADMIN_CLIENT_CONNECTED);
}

/* An address where no bus listens: "no bus", saying why, and it keeps trying. */
static void
test_no_bus (Fixture      *fx,
             gconstpointer data)
{
  g_autofree char *path = dbus_fixture_path (fx->fd->bus, "nobody-listens");
  g_autofree char *address = g_strconcat ("unix:path=", path, NULL);

  fx->client = init_admin_client_new (INIT_ADMIN_BUS_SYSTEM, address);
  g_signal_connect (fx->client, "notify::state", G_CALLBACK (on_state), fx);
  wait_state (fx, INIT_ADMIN_CLIENT_NO_BUS);
  g_assert_nonnull (init_admin_client_get_message (fx->client));
  g_assert_cmpstr (init_admin_client_get_title (fx->client), ==, "System daemon");
  g_assert_cmpint (init_admin_client_get_bus (fx->client), ==, INIT_ADMIN_BUS_SYSTEM);
  g_assert_null (init_admin_client_get_manager (fx->client));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/gui/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("connects", test_connects);
  ADD ("daemon-leaves-and-returns", test_daemon_leaves_and_returns);
  ADD ("daemon-later", test_daemon_later);
  ADD ("bus-restart", test_bus_restart);
  ADD ("no-bus", test_no_bus);
#undef ADD
  return g_test_run ();
}
