/* test-call-gate.c — the call gate and the reply pacer on a private bus, without initd
 *
 * A "service" connection owns nothing but serves the Manager interface at
 * /org/example/Init with the gate attached (init-call-gate.h); the calls it lets through are
 * held unanswered until the case answers them, as polkit checks hold real ones.  Client
 * connections call it as callers would.  Each case checks one rule of the gate: which members
 * it looks at, the states the main loop sets, the caps per connection and per user, the
 * environment bound, and that refusals arrive (paced) with their error.
 */
#define G_LOG_DOMAIN "init-test"

#include <string.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "init-call-gate.h"
#include "init-dbus-generated.h"
#include "init-env-policy.h"
#include "init-reply-pacer.h"
#include "test-util.h"

#define PATH  "/org/example/Init"
#define IFACE "org.example.Init"
#define LIMITS_EXCEEDED "org.example.Init.Error.LimitsExceeded"
#define OTHER_UID 4242

typedef struct
{
  DBusFixture     *bus;
  GDBusConnection *service;
  InitCallGate    *gate;
  guint            filter;
  guint            object;
  GPtrArray       *held;      /* GDBusMethodInvocation* let through, not answered yet */
} Fixture;

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *path,
             const char            *interface,
             const char            *method,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  Fixture *fx = user_data;

  /* Unchecked members are answered at once; checked ones wait, as for polkit. */
  if (g_str_equal (method, "GetJobByName"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", "/x"));
  else
    g_ptr_array_add (fx->held, invocation);
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fx->bus = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  fx->service = dbus_fixture_connect (fx->bus);
  fx->held = g_ptr_array_new ();
  fx->gate = init_call_gate_new ();
  fx->filter = init_call_gate_attach (fx->gate, fx->service, TRUE);
  fx->object = g_dbus_connection_register_object (fx->service, PATH, init_dbus_manager_interface_info (),
                                                  &vtable, fx, NULL, &error);
  g_assert_no_error (error);
}

static void
answer_all (Fixture *fx)
{
  for (guint i = 0; i < fx->held->len; i++)
    g_dbus_method_invocation_return_value (g_ptr_array_index (fx->held, i), g_variant_new ("(t)", 1));
  g_ptr_array_set_size (fx->held, 0);
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  answer_all (fx);
  g_dbus_connection_unregister_object (fx->service, fx->object);
  g_dbus_connection_remove_filter (fx->service, fx->filter);
  init_call_gate_unref (fx->gate);
  g_dbus_connection_close_sync (fx->service, NULL, NULL);
  g_object_unref (fx->service);
  g_ptr_array_unref (fx->held);
  dbus_fixture_free (fx->bus);
}

/* ---- calls and their outcome ---- */

typedef struct
{
  gboolean  done;
  GVariant *reply;
  GError   *error;
} Call;

static void
call_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

static void
call_clear (Call *call)
{
  g_clear_pointer (&call->reply, g_variant_unref);
  g_clear_error (&call->error);
}

/* Send @method (EmitEvent with @env, or GetJobByName) from @client to the service. */
static void
send (Fixture           *fx,
      GDBusConnection   *client,
      const char        *method,
      const char *const *env,
      GDBusCallFlags     flags,
      Call              *call)
{
  GVariant *params = g_str_equal (method, "EmitEvent")
                     ? g_variant_new ("(s^asb)", "go", env != NULL ? env : (const char *const[]) { NULL }, FALSE)
                     : g_variant_new ("(s)", "x");

  memset (call, 0, sizeof *call);
  g_dbus_connection_call (client, g_dbus_connection_get_unique_name (fx->service), PATH, IFACE,
                          method, params, NULL, flags, -1, NULL, call_done, call);
}

static gboolean
call_is_done (gpointer user_data)
{
  return ((Call *) user_data)->done;
}

static void
wait_done (Call *call)
{
  g_assert_true (test_util_wait_until (call_is_done, call, 30000));
}

typedef struct
{
  Fixture *fx;
  guint    n;
} Held;

static gboolean
held_reaches (gpointer user_data)
{
  Held *h = user_data;

  return h->fx->held->len >= h->n;
}

/* Wait until @n calls were let through to the service. */
static void
wait_held (Fixture *fx,
           guint    n)
{
  Held h = { fx, n };

  g_assert_true (test_util_wait_until (held_reaches, &h, 30000));
}

/* @call was let through: answer it (and anything else held) and see it succeed. */
static void
assert_passes (Fixture *fx,
               Call    *call)
{
  wait_held (fx, 1);
  answer_all (fx);
  wait_done (call);
  g_assert_no_error (call->error);
  call_clear (call);
}

static void
assert_refused (Call *call)
{
  wait_done (call);
  g_assert_null (call->reply);
  g_assert_true (g_dbus_error_is_remote_error (call->error));
  {
    g_autofree char *name = g_dbus_error_get_remote_error (call->error);

    g_assert_cmpstr (name, ==, LIMITS_EXCEEDED);
  }
  g_assert_nonnull (strstr (call->error->message, "Too many calls"));
}

/* The main loop has learnt that @client is @uid, whose share is in @state. */
static void
as_user (Fixture          *fx,
         GDBusConnection  *client,
         guint32           uid,
         InitCallGateState state)
{
  init_call_gate_set_sender (fx->gate, g_dbus_connection_get_unique_name (client), uid);
  init_call_gate_set_state (fx->gate, uid, state);
}

/* ---- cases ---- */

/* With nothing known, a checked call passes and counts as unanswered until its reply. */
static void
test_open_passes (Fixture      *fx,
                  gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  Call call;

  send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &call);
  wait_held (fx, 1);
  g_assert_false (call.done);
  answer_all (fx);
  wait_done (&call);
  g_assert_no_error (call.error);
  g_assert_cmpuint (init_call_gate_get_refused (fx->gate), ==, 0);
  call_clear (&call);
}

/* A user whose checks are full is refused at the gate (the service never sees the call);
 * members that need no authorisation still pass; OPEN lets the user in again. */
static void
test_checks_full (Fixture      *fx,
                  gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  Call refused, lookup, again;

  as_user (fx, client, OTHER_UID, INIT_CALL_GATE_CHECKS_FULL);
  send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &refused);
  assert_refused (&refused);
  g_assert_cmpuint (fx->held->len, ==, 0);
  g_assert_cmpuint (init_call_gate_get_refused (fx->gate), ==, 1);

  send (fx, client, "GetJobByName", NULL, G_DBUS_CALL_FLAGS_NONE, &lookup);
  wait_done (&lookup);
  g_assert_no_error (lookup.error);

  init_call_gate_set_state (fx->gate, OTHER_UID, INIT_CALL_GATE_OPEN);
  send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &again);
  wait_held (fx, 1);
  g_assert_cmpuint (init_call_gate_get_refused (fx->gate), ==, 1);
  answer_all (fx);
  wait_done (&again);
  call_clear (&refused);
  call_clear (&lookup);
  call_clear (&again);
}

/* A full interactive share refuses only the calls that allow interactive authorisation. */
static void
test_interactive_full (Fixture      *fx,
                       gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  Call interactive, plain;

  as_user (fx, client, OTHER_UID, INIT_CALL_GATE_INTERACTIVE_FULL);
  send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION, &interactive);
  send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &plain);
  assert_refused (&interactive);
  assert_passes (fx, &plain);
  call_clear (&interactive);
}

/* The states of one user do not touch another's calls. */
static void
test_states_per_user (Fixture      *fx,
                      gconstpointer data)
{
  g_autoptr(GDBusConnection) flooder = dbus_fixture_connect (fx->bus);
  g_autoptr(GDBusConnection) other = dbus_fixture_connect (fx->bus);
  Call refused, passed;

  as_user (fx, flooder, OTHER_UID, INIT_CALL_GATE_CHECKS_FULL);
  as_user (fx, other, OTHER_UID + 1, INIT_CALL_GATE_OPEN);
  send (fx, flooder, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &refused);
  send (fx, other, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &passed);
  assert_refused (&refused);
  assert_passes (fx, &passed);
  call_clear (&refused);
}

/* Root (and the daemon's own user) never wait for polkit: no state and no cap stops them. */
static void
test_root_never_refused (Fixture      *fx,
                         gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  Call calls[40];

  as_user (fx, client, geteuid (), INIT_CALL_GATE_CHECKS_FULL);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &calls[i]);
  wait_held (fx, G_N_ELEMENTS (calls));
  g_assert_cmpuint (init_call_gate_get_refused (fx->gate), ==, 0);
  answer_all (fx);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      wait_done (&calls[i]);
      g_assert_no_error (calls[i].error);
      call_clear (&calls[i]);
    }
}

/* One connection, even of a user not known yet, may have 32 checked calls unanswered: the
 * 33rd is refused; once one is answered the next passes again. */
static void
test_cap_per_connection (Fixture      *fx,
                         gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  Call calls[32], over, after;

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &calls[i]);
  wait_held (fx, 32);
  send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &over);
  assert_refused (&over);

  g_dbus_method_invocation_return_value (g_ptr_array_steal_index (fx->held, 0), g_variant_new ("(t)", 1));
  wait_done (&calls[0]);
  send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &after);
  wait_held (fx, 32);
  g_assert_cmpuint (init_call_gate_get_refused (fx->gate), ==, 1);
  answer_all (fx);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      wait_done (&calls[i]);
      call_clear (&calls[i]);
    }
  wait_done (&after);
  call_clear (&over);
  call_clear (&after);
}

/* Every call so far was either let through or refused. */
static gboolean
all_seen (gpointer user_data)
{
  Fixture *fx = user_data;

  return fx->held->len + init_call_gate_get_refused (fx->gate) >= 9 * 30;
}

/* A known user may have 256 checked calls unanswered over all its connections together. */
static void
test_cap_per_user (Fixture      *fx,
                   gconstpointer data)
{
  enum { CONNECTIONS = 9, PER = 30 };
  GDBusConnection *clients[CONNECTIONS];
  g_autofree Call *calls = g_new0 (Call, CONNECTIONS * PER);
  Call over;

  for (guint c = 0; c < CONNECTIONS; c++)
    {
      clients[c] = dbus_fixture_connect (fx->bus);
      as_user (fx, clients[c], OTHER_UID, INIT_CALL_GATE_OPEN);
    }
  /* 9 × 30 = 270 calls: 256 pass, 14 are refused, whichever connections they came from. */
  for (guint c = 0; c < CONNECTIONS; c++)
    for (guint i = 0; i < PER; i++)
      send (fx, clients[c], "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &calls[c * PER + i]);
  wait_held (fx, 256);
  g_assert_true (test_util_wait_until (all_seen, fx, 30000));
  g_assert_cmpuint (fx->held->len, ==, 256);
  g_assert_cmpuint (init_call_gate_get_refused (fx->gate), ==, CONNECTIONS * PER - 256);

  /* Another user's connection is not held back by it. */
  {
    g_autoptr(GDBusConnection) other = dbus_fixture_connect (fx->bus);

    as_user (fx, other, OTHER_UID + 1, INIT_CALL_GATE_OPEN);
    send (fx, other, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &over);
    wait_held (fx, 257);
  }
  answer_all (fx);
  for (guint i = 0; i < CONNECTIONS * PER; i++)
    {
      wait_done (&calls[i]);
      call_clear (&calls[i]);
    }
  wait_done (&over);
  call_clear (&over);
  for (guint c = 0; c < CONNECTIONS; c++)
    g_object_unref (clients[c]);
}

/* An environment too large to ever pass the policy is refused at the gate with
 * InvalidEnvironment, whoever sends it; one just below the bound passes. */
static void
test_env_too_large (Fixture      *fx,
                    gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  /* Past what the policy could ever accept: the bytes plus every entry's overhead. */
  g_autofree char *big = g_strnfill (INIT_ENV_POLICY_MAX_BYTES + (INIT_ENV_POLICY_MAX_ENTRIES + 1) * 9 + 16,
                                     'x');
  const char *const huge[] = { big, NULL };
  g_autofree char *fits = g_strnfill (INIT_ENV_POLICY_MAX_BYTES / 2, 'y');
  const char *const fine[] = { fits, NULL };
  Call refused, passed;

  big[0] = 'K';
  big[1] = '=';
  send (fx, client, "EmitEvent", huge, G_DBUS_CALL_FLAGS_NONE, &refused);
  wait_done (&refused);
  g_assert_true (g_dbus_error_is_remote_error (refused.error));
  {
    g_autofree char *name = g_dbus_error_get_remote_error (refused.error);

    g_assert_cmpstr (name, ==, "org.example.Init.Error.InvalidEnvironment");
  }
  g_assert_nonnull (strstr (refused.error->message, "Environment too large"));
  g_assert_cmpuint (fx->held->len, ==, 0);

  send (fx, client, "EmitEvent", fine, G_DBUS_CALL_FLAGS_NONE, &passed);
  assert_passes (fx, &passed);
  call_clear (&refused);
}

/* Attaching again (a new bus) forgets who was who: the user's state no longer applies to a
 * sender the gate has not been told about. */
static void
test_attach_forgets_senders (Fixture      *fx,
                             gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  Call call;

  as_user (fx, client, OTHER_UID, INIT_CALL_GATE_CHECKS_FULL);
  g_dbus_connection_remove_filter (fx->service, fx->filter);
  fx->filter = init_call_gate_attach (fx->gate, fx->service, TRUE);

  send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &call);
  assert_passes (fx, &call);
}

/* A refused call that expects no reply gets none, and is still counted. */
static void
test_no_reply_expected (Fixture      *fx,
                        gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  g_autoptr(GDBusMessage) message = g_dbus_message_new_method_call (
    g_dbus_connection_get_unique_name (fx->service), PATH, IFACE, "EmitEvent");
  g_autoptr(GError) error = NULL;
  Call ping;

  as_user (fx, client, OTHER_UID, INIT_CALL_GATE_CHECKS_FULL);
  g_dbus_message_set_body (message, g_variant_new ("(s^asb)", "go", (const char *const[]) { NULL }, FALSE));
  g_dbus_message_set_flags (message, G_DBUS_MESSAGE_FLAGS_NO_REPLY_EXPECTED);
  g_assert_true (g_dbus_connection_send_message (client, message, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);

  /* The lookup after it is answered only after the gate saw the first message. */
  send (fx, client, "GetJobByName", NULL, G_DBUS_CALL_FLAGS_NONE, &ping);
  wait_done (&ping);
  g_assert_cmpuint (init_call_gate_get_refused (fx->gate), ==, 1);
  g_assert_cmpuint (fx->held->len, ==, 0);
  call_clear (&ping);
}

/* ---- the pacer alone ---- */

/* Refusals wait until the pacer's context runs, then every one goes out to its caller with
 * the error name and text given, in order. */
static void
test_pacer_writes_in_turn (Fixture      *fx,
                           gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(InitReplyPacer) pacer = init_reply_pacer_new (fx->service, context);
  Call calls[30];

  /* Hold the calls (fewer than the gate's 32 per connection) at the service, then refuse them through the pacer. */
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    send (fx, client, "EmitEvent", NULL, G_DBUS_CALL_FLAGS_NONE, &calls[i]);
  wait_held (fx, G_N_ELEMENTS (calls));
  for (guint i = 0; i < fx->held->len; i++)
    init_reply_pacer_refuse (pacer, g_dbus_method_invocation_get_message (g_ptr_array_index (fx->held, i)),
                             LIMITS_EXCEEDED, "Too many calls (paced)");
  g_assert_cmpuint (init_reply_pacer_get_waiting (pacer), ==, G_N_ELEMENTS (calls));
  test_util_spin (50);
  g_assert_false (calls[0].done);

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    while (!calls[i].done)
      {
        g_main_context_iteration (context, FALSE);
        g_main_context_iteration (NULL, FALSE);
      }
  g_assert_cmpuint (init_reply_pacer_get_waiting (pacer), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      assert_refused (&calls[i]);
      call_clear (&calls[i]);
    }
  /* The held invocations were answered by the pacer: drop them unanswered. */
  for (guint i = 0; i < fx->held->len; i++)
    g_object_unref (g_ptr_array_index (fx->held, i));
  g_ptr_array_set_size (fx->held, 0);
}

/* At most 32768 refusals wait; past that a refusal is written at once instead of queued. */
static void
test_pacer_bounded (Fixture      *fx,
                    gconstpointer data)
{
  g_autoptr(GDBusConnection) client = dbus_fixture_connect (fx->bus);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(InitReplyPacer) pacer = init_reply_pacer_new (fx->service, context);

  for (guint i = 0; i < 32768 + 10; i++)
    {
      g_autoptr(GDBusMessage) call = g_dbus_message_new_method_call (
        g_dbus_connection_get_unique_name (fx->service), PATH, IFACE, "EmitEvent");

      /* Serials the client never used: GDBus drops the stray errors. */
      g_dbus_message_set_sender (call, g_dbus_connection_get_unique_name (client));
      g_dbus_message_set_serial (call, 100000 + i);
      init_reply_pacer_refuse (pacer, call, LIMITS_EXCEEDED, "x");
    }
  g_assert_cmpuint (init_reply_pacer_get_waiting (pacer), ==, 32768);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/face/call-gate/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("open-passes", test_open_passes);
  ADD ("checks-full", test_checks_full);
  ADD ("interactive-full", test_interactive_full);
  ADD ("states-per-user", test_states_per_user);
  ADD ("root-never-refused", test_root_never_refused);
  ADD ("cap-per-connection", test_cap_per_connection);
  ADD ("cap-per-user", test_cap_per_user);
  ADD ("env-too-large", test_env_too_large);
  ADD ("attach-forgets-senders", test_attach_forgets_senders);
  ADD ("no-reply-expected", test_no_reply_expected);
  ADD ("pacer/writes-in-turn", test_pacer_writes_in_turn);
  ADD ("pacer/bounded", test_pacer_bounded);
#undef ADD
  return g_test_run ();
}
