/* test-call.c — InitCall's answer: a caller carried across a re-exec gets the same reply a
 * live one would (value, or the error under its D-Bus name), exactly once. */
#include <gio/gio.h>

#include "dbus-fixture.h"
#include "init-call.h"
#include "init-dbus-error.h"
#include "init-error.h"
#include "test-util.h"

typedef struct
{
  DBusFixture     *fx;
  GDBusConnection *daemon;     /* the "daemon" side: the manager is exported here */
  InitEngine      *engine;
  InitHistory     *history;
  InitAuthority   *authority;
  InitManager     *manager;
  guint32          serial;     /* the swallowed call's serial */
  GDBusMessage    *reply;
} Fixture;

/* The daemon side takes the call in without answering (as a process that then exec'd). */
static GDBusMessage *
swallow (GDBusConnection *connection,
         GDBusMessage    *message,
         gboolean         incoming,
         gpointer         user_data)
{
  Fixture *f = user_data;

  if (incoming && g_strcmp0 (g_dbus_message_get_member (message), "Swallowed") == 0)
    {
      f->serial = g_dbus_message_get_serial (message);
      g_object_unref (message);
      return NULL;
    }
  return message;
}

static void
setup (Fixture *f, gconstpointer data)
{
  InitEngineOptions options = { .user_mode = TRUE };
  const char *dirs[] = { NULL };
  g_autoptr(GError) error = NULL;

  f->fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  f->daemon = g_dbus_connection_new_for_address_sync (f->fx->address,
                                                      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                      G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                      NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (f->daemon, swallow, f, NULL);
  f->engine = init_engine_new (&options);
  f->history = init_history_new (f->engine, 10);
  f->authority = init_authority_new (FALSE);
  f->manager = init_manager_new (&(InitManagerOptions) {
    .engine = f->engine, .authority = f->authority, .history = f->history,
    .conf_dirs = dirs,
  });
  g_assert_true (g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (f->manager),
                                                   f->daemon, INIT_MANAGER_PATH, &error));
  g_assert_no_error (error);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (f->manager));
  g_clear_object (&f->manager);
  g_clear_object (&f->authority);
  g_clear_object (&f->history);
  g_clear_object (&f->engine);
  g_clear_object (&f->reply);
  g_dbus_connection_close_sync (f->daemon, NULL, NULL);
  g_clear_object (&f->daemon);
  dbus_fixture_free (f->fx);
}

static void
reply_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  f->reply = g_dbus_connection_send_message_with_reply_finish (G_DBUS_CONNECTION (source),
                                                               result, NULL);
}

static gboolean
have_reply (gpointer user_data)
{
  return ((Fixture *) user_data)->reply != NULL;
}

static gboolean
have_serial (gpointer user_data)
{
  return ((Fixture *) user_data)->serial != 0;
}

/* The test's connection calls the daemon side, which swallows the call; then the call comes
 * back as a carried one saved with @reply_kind and is answered with @value or @error. */
static void
answer_carried (Fixture      *f,
                InitCallReply reply_kind,
                GVariant     *value,
                const GError *error)
{
  g_autoptr(GDBusMessage) message = NULL;
  g_autoptr(InitCall) call = NULL;
  g_autoptr(GVariant) saved = NULL;

  message = g_dbus_message_new_method_call (g_dbus_connection_get_unique_name (f->daemon),
                                            INIT_MANAGER_PATH, "org.example.Init", "Swallowed");
  g_dbus_connection_send_message_with_reply (f->fx->connection, message,
                                             G_DBUS_SEND_MESSAGE_FLAGS_NONE, 20000, NULL, NULL,
                                             reply_cb, f);
  g_assert_true (test_util_wait_until (have_serial, f, 10000));
  saved = g_variant_ref_sink (g_variant_new ("(usu)", (guint32) reply_kind,
                                             g_dbus_connection_get_unique_name (f->fx->connection),
                                             f->serial));
  call = init_call_load (f->manager, saved);
  g_assert_nonnull (call);
  /* Saved again, it is the same caller. */
  {
    g_autoptr(GVariant) again = g_variant_ref_sink (init_call_save (call));

    g_assert_true (g_variant_equal (again, saved));
  }
  init_call_answer (call, value, error);
  /* A second answer is no answer: the caller has had its one. */
  init_call_answer (call, NULL, NULL);
  g_assert_true (test_util_wait_until (have_reply, f, 10000));
}

static void
test_carried_value (Fixture *f, gconstpointer data)
{
  guint64 id = 0;

  answer_carried (f, INIT_CALL_REPLY_EVENT_ID, g_variant_new ("(t)", (guint64) 42), NULL);
  g_assert_cmpint (g_dbus_message_get_message_type (f->reply), ==,
                   G_DBUS_MESSAGE_TYPE_METHOD_RETURN);
  g_variant_get (g_dbus_message_get_body (f->reply), "(t)", &id);
  g_assert_cmpuint (id, ==, 42);
}

static void
test_carried_error (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = g_error_new_literal (INIT_ERROR, INIT_ERROR_EVENT_FAILED, "boom");

  answer_carried (f, INIT_CALL_REPLY_EVENT_ID, NULL, error);
  g_assert_cmpint (g_dbus_message_get_message_type (f->reply), ==, G_DBUS_MESSAGE_TYPE_ERROR);
  g_assert_cmpstr (g_dbus_message_get_error_name (f->reply), ==,
                   "org.example.Init.Error.EventFailed");
}

/* An error of no D-Bus name goes out as Failed, with its message. */
static void
test_carried_foreign_error (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "gone");

  answer_carried (f, INIT_CALL_REPLY_EMPTY, NULL, error);
  g_assert_cmpstr (g_dbus_message_get_error_name (f->reply), ==, "org.example.Init.Error.Failed");
}

/* What older daemons saved, one number per method, reads as the reply it needs; nonsense
 * is refused. */
static void
test_load_numbers (Fixture *f, gconstpointer data)
{
  const struct { guint32 saved; gboolean ok; InitCallReply reply; } cases[] = {
    { 0, TRUE, INIT_CALL_REPLY_INSTANCE_PATH },   /* Job.Start */
    { 1, TRUE, INIT_CALL_REPLY_EMPTY },           /* Job.Stop */
    { 2, TRUE, INIT_CALL_REPLY_INSTANCE_PATH },   /* Job.Restart */
    { 3, TRUE, INIT_CALL_REPLY_EMPTY },           /* Instance.*, Reexec */
    { 4, TRUE, INIT_CALL_REPLY_EVENT_ID },        /* EmitEvent */
    { 5, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) saved = g_variant_ref_sink (g_variant_new ("(usu)", cases[i].saved,
                                                                     ":1.7", 9));
      g_autoptr(InitCall) call = init_call_load (f->manager, saved);

      g_assert_true ((call != NULL) == cases[i].ok);
      if (call != NULL)
        g_assert_cmpint (call->reply, ==, cases[i].reply);
    }
  {
    g_autoptr(GVariant) bad = g_variant_ref_sink (g_variant_new ("(usu)", 0, "not-unique", 9));

    g_assert_null (init_call_load (f->manager, bad));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  init_dbus_error_register ();
  g_test_add ("/face/call/carried-value", Fixture, NULL, setup, test_carried_value, teardown);
  g_test_add ("/face/call/carried-error", Fixture, NULL, setup, test_carried_error, teardown);
  g_test_add ("/face/call/carried-foreign-error", Fixture, NULL, setup,
              test_carried_foreign_error, teardown);
  g_test_add ("/face/call/load-numbers", Fixture, NULL, setup, test_load_numbers, teardown);
  return g_test_run ();
}
