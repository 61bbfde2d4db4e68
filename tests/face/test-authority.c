/* test-authority.c — InitAuthority against the real polkitd and a fake one, on a private bus */
#define G_LOG_DOMAIN "test-authority"

#include <glib/gi18n.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "fake-polkit.h"
#include "init-authority.h"
#include "init-error.h"
#include "polkit-fixture.h"
#include "test-util.h"

/* The test process is the "daemon": it owns SERVICE_NAME on the private system bus and its
 * Check method runs init_authority_check_async() on the incoming invocation, so the wrapper
 * sees real method calls from real processes of other users (gdbus under setpriv). */
#define SERVICE_NAME  "org.example.InitAuthTest"
#define SERVICE_PATH  "/org/example/InitAuthTest"
#define SERVICE_IFACE "org.example.InitAuthTest"

#define MANAGE "org.example.Init.manage-jobs"
#define EMIT   "org.example.Init.emit-events"
#define RELOAD "org.example.Init.reload-configuration"

static const char service_xml[] =
  "<node><interface name='" SERVICE_IFACE "'>"
  "  <method name='Check'>"
  "    <arg type='s' name='action' direction='in'/>"     /* "" = identity only */
  "    <arg type='as' name='details' direction='in'/>"
  "    <arg type='s' name='mode' direction='in'/>"       /* system, session, cancel */
  "    <arg type='u' name='uid' direction='out'/>"
  "    <arg type='u' name='pid' direction='out'/>"
  "    <arg type='s' name='command' direction='out'/>"
  "    <arg type='s' name='sender' direction='out'/>"
  "  </method>"
  "</interface></node>";

static struct
{
  DBusFixture     *fx;
  PolkitFixture   *pk;
  GDBusConnection *service;     /* the process's system-bus singleton, as in initd */
  guint            reg_id;
  guint            owner_id;
  InitAuthority   *system_auth;
  InitAuthority   *session_auth;
  GDBusNodeInfo   *service_info;
} env;

/* ---- the service -------------------------------------------------------------------------- */

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  /* The handler owns the invocation until it returns it. */
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;

  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  if (caller == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_dbus_method_invocation_return_dbus_error (g_steal_pointer (&invocation),
                                                      SERVICE_IFACE ".Cancelled", error->message);
          return;
        }
      /* initd registers INIT_ERROR as org.example.Init.Error.*; do the same for the one code
       * the wrapper produces. */
      if (g_error_matches (error, INIT_ERROR, INIT_ERROR_PERMISSION_DENIED))
        g_dbus_method_invocation_return_dbus_error (g_steal_pointer (&invocation),
                                                    "org.example.Init.Error.PermissionDenied",
                                                    error->message);
      else if (g_dbus_error_is_remote_error (error))
        {
          /* InteractiveAuthorizationRequired: GLib 2.74 would send an unregistered remote
           * error as org.gtk.GDBus.UnmappedGError…, so send it by its name, as initd does. */
          g_autofree char *name = g_dbus_error_get_remote_error (error);

          g_dbus_error_strip_remote_error (error);
          g_dbus_method_invocation_return_dbus_error (g_steal_pointer (&invocation), name,
                                                      error->message);
        }
      else
        g_dbus_method_invocation_return_gerror (g_steal_pointer (&invocation), error);
      return;
    }
  g_dbus_method_invocation_return_value (
    g_steal_pointer (&invocation),
    g_variant_new ("(uuss)", caller->uid, caller->pid, caller->command, sender ?: ""));
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
service_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *path,
                     const char            *iface,
                     const char            *method,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  const char *action, *mode;
  g_autofree const char **details = NULL;
  g_autoptr(GCancellable) cancellable = NULL;

  g_variant_get (parameters, "(&s^a&s&s)", &action, &details, &mode);
  if (g_str_equal (mode, "cancel"))
    {
      /* Cancelled while polkit is still thinking. */
      cancellable = g_cancellable_new ();
      g_timeout_add_full (G_PRIORITY_DEFAULT, 200, cancel_cb, g_object_ref (cancellable),
                          g_object_unref);
    }
  init_authority_check_async (g_str_equal (mode, "session") ? env.session_auth : env.system_auth,
                              invocation, *action != '\0' ? action : NULL,
                              (const char *const *) details, cancellable,
                              check_done, invocation);
}

static GDBusConnection *new_client (void);

static void
service_connect (void)
{
  static const GDBusInterfaceVTable vtable = { service_method_call };
  g_autoptr(GError) error = NULL;

  /* A private connection, as initd has: only the wrapper (through libpolkit) uses GLib's
   * system-bus singleton, so the bus-restart case proves the wrapper neither pins a closed
   * singleton nor lets it raise SIGTERM when the bus dies. */
  env.service = new_client ();
  g_dbus_connection_set_exit_on_close (env.service, FALSE);
  env.reg_id = g_dbus_connection_register_object (env.service, SERVICE_PATH,
                                                  env.service_info->interfaces[0], &vtable,
                                                  NULL, NULL, &error);
  g_assert_no_error (error);
  env.owner_id = g_bus_own_name_on_connection (env.service, SERVICE_NAME,
                                               G_BUS_NAME_OWNER_FLAGS_NONE,
                                               NULL, NULL, NULL, NULL);
  g_assert_true (dbus_fixture_wait_name (env.fx, SERVICE_NAME));
}

static void
service_disconnect (void)
{

  g_bus_unown_name (env.owner_id);
  g_dbus_connection_unregister_object (env.service, env.reg_id);
  g_clear_object (&env.service);
}

/* ---- the fake polkit ---------------------------------------------------------------------- */

/* Stop the real polkitd and put the fake in its place. */
static FakePolkit *
fake_polkit_start (void)
{
  polkit_fixture_stop (env.pk);
  return fake_polkit_new (env.fx->address);
}

/* Remove the fake and bring the real polkitd back. */
static void
fake_polkit_stop (FakePolkit *fake)
{
  fake_polkit_free (fake);
  polkit_fixture_start (env.pk);
}

/* ---- clients ------------------------------------------------------------------------------ */

typedef struct
{
  int     status;
  char   *out;
  char   *err;
  double  seconds;
  guint32 uid;
  guint32 pid;
  char   *command;
  char   *sender;
} CallResult;

static void
call_result_free (CallResult *r)
{
  g_free (r->out);
  g_free (r->err);
  g_free (r->command);
  g_free (r->sender);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CallResult, call_result_free)

/* Call Check as @user with gdbus; @details is GVariant text for an `as`. */
static CallResult *
call_as (const char *user,
         const char *action,
         const char *details,
         const char *mode,
         gboolean interactive)
{
  CallResult *r = g_new0 (CallResult, 1);
  g_autofree char *action_arg = g_strdup_printf ("'%s'", action);
  g_autofree char *mode_arg = g_strdup_printf ("'%s'", mode);
  const char *argv[] = {
    "gdbus", "call", "--system", "--dest", SERVICE_NAME, "--object-path", SERVICE_PATH,
    "--method", SERVICE_IFACE ".Check", action_arg, details, mode_arg,
    interactive ? "--interactive" : NULL, NULL
  };
  gint64 start = g_get_monotonic_time ();

  r->status = polkit_fixture_run_as (env.fx, user, argv, &r->out, &r->err);
  r->seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("%s %s %s %s%s -> %d (%.3f s) %s%s", user, action, details, mode,
                  interactive ? " interactive" : "", r->status, r->seconds, r->out, r->err);
  if (r->status == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) v = g_variant_parse (G_VARIANT_TYPE ("(uuss)"), r->out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_variant_get (v, "(uuss)", &r->uid, &r->pid, &r->command, &r->sender);
    }
  return r;
}

static void
assert_allowed (CallResult *r,
                const char *user)
{
  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpuint (r->uid, ==, polkit_fixture_uid (user));
}

static void
assert_error (CallResult *r,
              const char *dbus_error)
{
  g_autofree char *prefix = g_strconcat ("Error: GDBus.Error:", dbus_error, ": ", NULL);

  g_assert_cmpint (r->status, !=, 0);
  if (!g_str_has_prefix (r->err, prefix))
    g_error ("expected %s, got: %s", dbus_error, r->err);
}

typedef struct
{
  gboolean  done;
  GVariant *reply;
  GError   *error;
} AsyncCall;

static void
root_call_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncCall *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

/* Call Check from the test process itself (uid 0) on a connection of its own. */
static GVariant *
call_root (GDBusConnection *client,
           const char      *action,
           const char      *mode,
           GError         **error)
{
  AsyncCall call = { 0 };

  g_dbus_connection_call (client, SERVICE_NAME, SERVICE_PATH, SERVICE_IFACE, "Check",
                          g_variant_new ("(s^ass)", action, (const char *[]) { NULL }, mode),
                          G_VARIANT_TYPE ("(uuss)"), G_DBUS_CALL_FLAGS_NONE, 20000, NULL,
                          root_call_done, &call);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.reply;
}

static GDBusConnection *
new_client (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *client = g_dbus_connection_new_for_address_sync (
    env.fx->address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);

  g_assert_no_error (error);
  return client;
}

/* ---- tests -------------------------------------------------------------------------------- */

/* uid 0 passes every action without asking polkit (polkitd is not even running), and the
 * caller's identity (uid, pid, command) is the real one. */
static void
test_root_passes (void)
{
  g_autoptr(GDBusConnection) client = new_client ();
  const char *actions[] = { MANAGE, EMIT, RELOAD, NULL };

  polkit_fixture_stop (env.pk);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = call_root (client, actions[i], "system", &error);
      guint32 uid, pid;
      const char *command, *sender;

      g_assert_no_error (error);
      g_variant_get (reply, "(uu&s&s)", &uid, &pid, &command, &sender);
      g_assert_cmpuint (uid, ==, 0);
      g_assert_cmpuint (pid, ==, getpid ());
      g_assert_nonnull (strstr (command, "test-authority"));
      g_assert_cmpstr (sender, ==, g_dbus_connection_get_unique_name (client));
    }
  polkit_fixture_start (env.pk);
}

/* Without an action the check only identifies the caller: any user passes, with the uid,
 * pid and program (never the arguments) of the calling process, and polkit is not
 * involved. */
static void
test_identity_only (void)
{
  g_autoptr(CallResult) r = NULL;

  polkit_fixture_stop (env.pk);
  r = call_as ("pkother", "", "@as []", "system", FALSE);
  assert_allowed (r, "pkother");
  g_assert_cmpuint (r->pid, >, 0);
  g_assert_cmpuint (r->pid, !=, getpid ());
  g_assert_cmpstr (r->command, ==, "/usr/bin/gdbus");
  g_assert_true (g_str_has_prefix (r->sender, ":"));
  polkit_fixture_start (env.pk);
}

/* The real polkitd with the test rule: pkuser may perform each action. */
static void
test_granted_user (void)
{
  const char *actions[] = { MANAGE, EMIT, RELOAD, NULL };

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autoptr(CallResult) r = call_as ("pkuser", actions[i], "['job', 'web', 'verb', 'start']",
                                         "system", FALSE);
      assert_allowed (r, "pkuser");
    }
}

/* The real polkitd: pkother is refused each action with AccessDenied naming the action. */
static void
test_denied_user (void)
{
  const char *actions[] = { MANAGE, EMIT, RELOAD, NULL };

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autoptr(CallResult) r = call_as ("pkother", actions[i], "['job', 'web', 'verb', 'stop']",
                                         "system", FALSE);
      assert_error (r, "org.freedesktop.DBus.Error.AccessDenied");
      g_assert_nonnull (strstr (r->err, actions[i]));
    }
}

/* Details reach polkit's rules unchanged (a rule lets pkother emit exactly one event), and
 * the wrapper adds polkit.message and polkit.gettext_domain naming the job or event. */
static void
test_details_reach_rules (void)
{
  g_autoptr(CallResult) yes = call_as ("pkother", EMIT, "['event', 'pkother-may']", "system", FALSE);
  g_autoptr(CallResult) no = call_as ("pkother", EMIT, "['event', 'pkother-may-not']", "system", FALSE);
  g_autoptr(CallResult) job = call_as ("pkuser", MANAGE,
                                       "['job', 'net/apache', 'instance', 'i1', 'verb', 'restart']",
                                       "system", FALSE);
  g_autofree char *log = polkit_fixture_get_log (env.pk);

  g_test_message ("%s", log);
  assert_allowed (yes, "pkother");
  assert_error (no, "org.freedesktop.DBus.Error.AccessDenied");
  assert_allowed (job, "pkuser");
  /* polkitd writes the curly quotes as "?" in the C locale: match around them. */
  g_assert_true (g_pattern_match_simple ("*INIT-TEST action=" MANAGE " user=pkuser job=net/apache "
                                         "instance=i1 verb=restart event=undefined "
                                         "message=Authentication is required to restart the job *$(job)*. "
                                         "domain=" GETTEXT_PACKAGE "\n*", log));
  g_assert_true (g_pattern_match_simple ("*INIT-TEST action=" EMIT " user=pkother job=undefined "
                                         "instance=undefined verb=undefined event=pkother-may "
                                         "message=Authentication is required to emit the event *$(event)*. "
                                         "domain=" GETTEXT_PACKAGE "\n*", log));
}

/* A rule that wants authentication gives InteractiveAuthorizationRequired when the call did
 * not allow interaction; with the flag and no authentication agent, polkit says no. */
static void
test_interactive (void)
{
  g_autoptr(CallResult) plain = call_as ("pkother", MANAGE, "['job', 'needs-auth', 'verb', 'start']",
                                         "system", FALSE);
  g_autoptr(CallResult) inter = call_as ("pkother", MANAGE, "['job', 'needs-auth', 'verb', 'start']",
                                         "system", TRUE);

  assert_error (plain, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired");
  assert_error (inter, "org.freedesktop.DBus.Error.AccessDenied");
}

/* Our built .policy is what polkitd uses: a user no rule mentions falls to its defaults
 * (auth_admin everywhere), i.e. authentication would be required. */
static void
test_policy_defaults (void)
{
  const char *actions[] = { MANAGE, EMIT, RELOAD, NULL };

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autoptr(CallResult) r = call_as ("nobody", actions[i], "@as []", "system", FALSE);
      assert_error (r, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired");
    }
}

/* polkitd not running: a clear PermissionDenied at once (no bus activation here), not a
 * hang; once polkitd is back, checks work again. */
static void
test_polkitd_absent (void)
{
  g_autoptr(CallResult) r = NULL;
  g_autoptr(CallResult) again = NULL;

  polkit_fixture_stop (env.pk);
  test_util_capture_start ();
  r = call_as ("pkuser", MANAGE, "['job', 'web', 'verb', 'start']", "system", FALSE);
  test_util_capture_assert ((const char *[]) {
    "init-authority: Cannot check authorization for " MANAGE ": polkitd is not running", NULL
  });
  assert_error (r, "org.example.Init.Error.PermissionDenied");
  g_assert_nonnull (strstr (r->err, "polkit is not running"));
  g_assert_cmpfloat (r->seconds, <, 5.0);

  polkit_fixture_start (env.pk);
  again = call_as ("pkuser", MANAGE, "['job', 'web', 'verb', 'start']", "system", FALSE);
  assert_allowed (again, "pkuser");
}

/* A polkit that never answers: the check (@interactive or not) is refused with
 * PermissionDenied after its timeout (@timeout_property, set to 500 ms, then back to
 * @restore).  Returns the fake, still hanging, for the caller to look at and stop. */
static FakePolkit *
assert_hang_times_out (gboolean    interactive,
                       const char *timeout_property,
                       guint       restore)
{
  FakePolkit *fake = fake_polkit_start ();
  g_autoptr(CallResult) r = NULL;

  fake->hang = TRUE;
  g_object_set (env.system_auth, timeout_property, 500, NULL);
  test_util_capture_start ();
  r = call_as ("pkuser", MANAGE, "['job', 'web', 'verb', 'start']", "system", interactive);
  test_util_capture_assert ((const char *[]) {
    "init-authority: polkit did not answer the check of " MANAGE " for :* within 500 ms", NULL
  });
  assert_error (r, "org.example.Init.Error.PermissionDenied");
  g_assert_nonnull (strstr (r->err, "did not answer in time"));
  g_assert_cmpfloat (r->seconds, >=, 0.5);
  g_assert_cmpfloat (r->seconds, <, 5.0);
  g_assert_cmpuint (fake->checks, ==, 1);
  g_object_set (env.system_auth, timeout_property, restore, NULL);
  return fake;
}

/* Non-interactive: polkitd answers such a check by itself in a moment, so it is not told to
 * cancel it. */
static void
test_polkit_hangs (void)
{
  FakePolkit *fake = assert_hang_times_out (FALSE, "timeout-msec", 25000);

  test_util_spin (300);
  g_assert_cmpuint (fake->cancels, ==, 0);
  fake_polkit_stop (fake);
}

/* Interactive (a person who never types): polkit is told to cancel the check, so the agent's
 * prompt goes away. */
static void
test_polkit_hangs_interactive (void)
{
  FakePolkit *fake = assert_hang_times_out (TRUE, "interactive-timeout-msec", 120000);

  /* CancelCheckAuthorization may still be on its way */
  while (fake->cancels == 0)
    g_main_context_iteration (NULL, TRUE);
  fake_polkit_stop (fake);
}

/* What goes to polkit: the caller's bus name as a system-bus-name subject, the action, the
 * details, and the AllowUserInteraction flag exactly when the call carried
 * ALLOW_INTERACTIVE_AUTHORIZATION.  And the answers map: yes passes, challenge without the
 * flag is InteractiveAuthorizationRequired, challenge with it is AccessDenied. */
static void
test_subject_details_flags (void)
{
  FakePolkit *fake = fake_polkit_start ();

  {
    g_autoptr(CallResult) r = NULL;

    fake->is_authorized = TRUE;
    r = call_as ("pkother", MANAGE, "['job', 'db', 'instance', '', 'verb', 'reload']", "system", FALSE);
    assert_allowed (r, "pkother");
    g_assert_cmpuint (fake->checks, ==, 1);
    g_assert_cmpstr (fake->subject_kind, ==, "system-bus-name");
    g_assert_cmpstr (fake->subject_name, ==, r->sender);
    g_assert_cmpstr (fake->action_id, ==, MANAGE);
    g_assert_cmpuint (fake->flags, ==, 0);
    g_assert_cmpstr (g_hash_table_lookup (fake->details, "job"), ==, "db");
    g_assert_cmpstr (g_hash_table_lookup (fake->details, "instance"), ==, "");
    g_assert_cmpstr (g_hash_table_lookup (fake->details, "verb"), ==, "reload");
    g_assert_cmpstr (g_hash_table_lookup (fake->details, "polkit.message"), ==,
                     "Authentication is required to reload the job “$(job)”.");
    g_assert_cmpstr (g_hash_table_lookup (fake->details, "polkit.gettext_domain"), ==, GETTEXT_PACKAGE);
    g_assert_cmpuint (g_hash_table_size (fake->details), ==, 5);
  }
  {
    g_autoptr(CallResult) r = NULL;

    r = call_as ("pkother", RELOAD, "@as []", "system", TRUE);
    assert_allowed (r, "pkother");
    g_assert_cmpuint (fake->checks, ==, 2);
    g_assert_cmpstr (fake->action_id, ==, RELOAD);
    g_assert_cmpuint (fake->flags, ==, 1);   /* AllowUserInteraction */
    g_assert_cmpuint (g_hash_table_size (fake->details), ==, 0);
  }
  {
    g_autoptr(CallResult) plain = NULL;
    g_autoptr(CallResult) inter = NULL;
    g_autoptr(CallResult) no = NULL;

    fake->is_authorized = FALSE;
    fake->is_challenge = TRUE;
    plain = call_as ("pkother", EMIT, "['event', 'x']", "system", FALSE);
    inter = call_as ("pkother", EMIT, "['event', 'x']", "system", TRUE);
    fake->is_challenge = FALSE;
    no = call_as ("pkother", EMIT, "['event', 'x']", "system", TRUE);
    assert_error (plain, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired");
    assert_error (inter, "org.freedesktop.DBus.Error.AccessDenied");
    assert_error (no, "org.freedesktop.DBus.Error.AccessDenied");
    g_assert_cmpuint (fake->checks, ==, 5);
  }
  fake_polkit_stop (fake);
}

/* Check as @user twice on one connection (a python3 one-liner with GIO); prints each
 * result or D-Bus error name, one per line. */
static char *
call_twice_as (const char *user,
               const char *action,
               const char *event)
{
  g_autofree char *script = g_strdup_printf (
    "from gi.repository import Gio, GLib\n"
    "bus = Gio.bus_get_sync(Gio.BusType.SYSTEM)\n"
    "for i in range(2):\n"
    "    try:\n"
    "        bus.call_sync('%s', '%s', '%s', 'Check', GLib.Variant('(sass)', ('%s', ['event', '%s'], 'system')), None, 0, 25000)\n"
    "        print('ok')\n"
    "    except GLib.Error as e:\n"
    "        print(Gio.DBusError.get_remote_error(e))\n",
    SERVICE_NAME, SERVICE_PATH, SERVICE_IFACE, action, event);
  const char *argv[] = { "/usr/bin/python3", "-c", script, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = polkit_fixture_run_as (env.fx, user, argv, &out, &err);

  g_test_message ("%s twice %s %s -> %d %s%s", user, action, event, status, out, err);
  g_assert_cmpint (status, ==, 0);
  return g_steal_pointer (&out);
}

/* polkit's "no" to a connection is remembered for a moment: the same question again on that
 * connection is refused without asking polkitd (a flood keeps polkitd free for others);
 * another question, or the same one after INIT_DENIAL_CACHE_MSEC, is asked again. */
static void
test_denial_remembered (void)
{
  FakePolkit *fake = fake_polkit_start ();
  g_autofree char *twice = NULL, *other = NULL, *later = NULL;

  fake->is_authorized = FALSE;
  fake->is_challenge = FALSE;
  twice = call_twice_as ("pkother", EMIT, "x");
  g_assert_cmpstr (twice, ==, "org.freedesktop.DBus.Error.AccessDenied\n"
                   "org.freedesktop.DBus.Error.AccessDenied\n");
  g_assert_cmpuint (fake->checks, ==, 1);
  /* Another process, or another event: asked. */
  other = call_twice_as ("pkother", EMIT, "y");
  g_assert_cmpuint (fake->checks, ==, 2);
  /* A yes is never remembered: polkit says yes now, and is asked each time. */
  fake->is_authorized = TRUE;
  later = call_twice_as ("pkother", EMIT, "z");
  g_assert_cmpstr (later, ==, "ok\nok\n");
  g_assert_cmpuint (fake->checks, ==, 4);
  fake_polkit_stop (fake);
}

/* polkitd, stopped and resumed, answers the checks the daemon gave up on meanwhile, then
 * refuses their cancellations with "No such cancellation_id", which libpolkit warned about
 * (issue 16: 21 warnings after one pause).  A non-interactive check is no longer cancelled
 * at polkitd at all (it answers by itself): only the timeout itself is warned about. */
static void
test_cancel_unknown_quiet (void)
{
  FakePolkit *fake = fake_polkit_start ();
  g_autoptr(CallResult) r = NULL;

  fake->hang = TRUE;
  fake->forget_checks = TRUE;
  g_object_set (env.system_auth, "timeout-msec", 300, NULL);
  test_util_capture_start ();
  r = call_as ("pkuser", MANAGE, "['job', 'web', 'verb', 'start']", "system", FALSE);
  assert_error (r, "org.example.Init.Error.PermissionDenied");
  /* Time for a cancellation, and polkitd's refusal of it, to come and go. */
  test_util_spin (500);
  g_assert_cmpuint (fake->cancels, ==, 0);
  test_util_capture_assert ((const char *[]) {
    "init-authority: polkit did not answer the check of " MANAGE " for :* within 300 ms", NULL
  });
  g_object_set (env.system_auth, "timeout-msec", 25000, NULL);
  fake_polkit_stop (fake);
}

/* A check cancelled by the daemon while polkit thinks ends with G_IO_ERROR_CANCELLED at
 * once; polkit is told to cancel it only if it was interactive (a prompt to take down). */
static void
test_cancel (void)
{
  FakePolkit *fake = fake_polkit_start ();
  g_autoptr(CallResult) r = NULL;
  g_autoptr(CallResult) i = NULL;

  fake->hang = TRUE;
  r = call_as ("pkuser", MANAGE, "['job', 'web', 'verb', 'start']", "cancel", FALSE);
  assert_error (r, SERVICE_IFACE ".Cancelled");
  g_assert_cmpuint (fake->checks, ==, 1);
  test_util_spin (300);
  g_assert_cmpuint (fake->cancels, ==, 0);
  i = call_as ("pkuser", MANAGE, "['job', 'web', 'verb', 'start']", "cancel", TRUE);
  assert_error (i, SERVICE_IFACE ".Cancelled");
  g_assert_cmpuint (fake->checks, ==, 2);
  while (fake->cancels == 0)
    g_main_context_iteration (NULL, TRUE);
  fake_polkit_stop (fake);
}

static void
count_signal (GDBusConnection *connection,
              const char      *sender,
              const char      *path,
              const char      *iface,
              const char      *signal,
              GVariant        *parameters,
              gpointer         user_data)
{
  (*(guint *) user_data)++;
}

/* The daemon lets its authority go while a cancellation libpolkit sent by itself (for a
 * cancelled interactive check) is still unanswered, then polkitd goes away: libpolkit's
 * proxy, kept alive by that call, sees the name-owner change and calls into its
 * PolkitAuthority, which must still be alive (issue 16: "invalid uninstantiatable type
 * '(null)' in cast to 'PolkitAuthority'" after the last case under load; here certain). */
static void
test_teardown_cancel_in_flight (void)
{
  FakePolkit *fake = fake_polkit_start ();
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, NULL);
  g_autoptr(CallResult) r = NULL;
  guint changes = 0;
  guint id;

  fake->hang = TRUE;
  fake->hold_cancels = TRUE;
  r = call_as ("pkuser", MANAGE, "['job', 'web', 'verb', 'start']", "cancel", TRUE);
  assert_error (r, SERVICE_IFACE ".Cancelled");
  while (fake->cancels == 0)
    g_main_context_iteration (NULL, TRUE);
  /* The daemon's authority goes (a fresh one serves the cases after this one). */
  g_clear_object (&env.system_auth);
  env.system_auth = init_authority_new (TRUE);

  /* Subscribed after libpolkit's proxy: seen here, the change has reached the proxy. */
  id = g_dbus_connection_signal_subscribe (bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                           "NameOwnerChanged", "/org/freedesktop/DBus",
                                           "org.freedesktop.PolicyKit1",
                                           G_DBUS_SIGNAL_FLAGS_NONE, count_signal, &changes,
                                           NULL);
  fake_polkit_free (fake);
  while (changes == 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_dbus_connection_signal_unsubscribe (bus, id);
  polkit_fixture_start (env.pk);
}

/* Session mode: no polkit; root and the daemon's own uid (here both 0) pass, another uid is
 * refused with AccessDenied, and anyone may be identified. */
static void
test_session_mode (void)
{
  g_autoptr(GDBusConnection) client = new_client ();
  g_autoptr(GVariant) root = NULL;
  g_autoptr(CallResult) other = NULL;
  g_autoptr(CallResult) identify = NULL;
  g_autoptr(GError) error = NULL;

  polkit_fixture_stop (env.pk);
  root = call_root (client, MANAGE, "session", &error);
  g_assert_no_error (error);
  other = call_as ("pkuser", MANAGE, "['job', 'web', 'verb', 'start']", "session", FALSE);
  assert_error (other, "org.freedesktop.DBus.Error.AccessDenied");
  identify = call_as ("pkuser", "", "@as []", "session", FALSE);
  assert_allowed (identify, "pkuser");
  polkit_fixture_start (env.pk);
}

/* The bus restarts (and polkitd with it): the authority fetched before is stale, the wrapper
 * fetches a new one and checks work again; identities cached under the old bus's unique
 * names are not handed to the new bus's callers that reuse those names. */
static void
test_bus_restart (void)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_free);
  gboolean reused = FALSE;

  {
    g_autoptr(CallResult) r = call_as ("pkuser", MANAGE, "['job', 'web', 'verb', 'start']", "system", FALSE);
    assert_allowed (r, "pkuser");   /* the authority exists now */
  }
  /* Root callers fill the identity cache with uid 0 under :1.N names. */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GDBusConnection) client = new_client ();
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GError) error = NULL;

      reply = call_root (client, "", "system", &error);
      g_assert_no_error (error);
      g_ptr_array_add (before, g_strdup (g_dbus_connection_get_unique_name (client)));
    }

  service_disconnect ();
  dbus_fixture_stop_bus (env.fx, FALSE);
  polkit_fixture_wait_exit (env.pk);
  dbus_fixture_start_bus (env.fx);
  service_connect ();
  polkit_fixture_start (env.pk);

  /* Unique names restart at :1.0 on the new bus: burn names until the next one is the first
   * a root caller had before, then call as pkother from it. */
  {
    guint64 first = g_ascii_strtoull (strrchr (g_ptr_array_index (before, 0), '.') + 1, NULL, 10);

    for (;;)
      {
        g_autoptr(GDBusConnection) client = new_client ();
        const char *name = g_dbus_connection_get_unique_name (client);

        g_assert_true (g_str_has_prefix (name, ":1."));
        if (g_ascii_strtoull (name + 3, NULL, 10) + 1 >= first)
          break;
        g_dbus_connection_close_sync (client, NULL, NULL);
      }
  }
  for (guint i = 0; i < 4 && !reused; i++)
    {
      g_autoptr(CallResult) r = call_as ("pkother", "", "@as []", "system", FALSE);

      assert_allowed (r, "pkother");
      reused = g_ptr_array_find_with_equal_func (before, r->sender, g_str_equal, NULL);
    }
  g_assert_true (reused);
  {
    g_autoptr(CallResult) yes = call_as ("pkuser", MANAGE, "['job', 'web', 'verb', 'start']", "system", FALSE);
    g_autoptr(CallResult) no = call_as ("pkother", MANAGE, "['job', 'web', 'verb', 'start']", "system", FALSE);

    assert_allowed (yes, "pkuser");
    assert_error (no, "org.freedesktop.DBus.Error.AccessDenied");
  }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();

  polkit_fixture_ensure_users ();
  env.service_info = g_dbus_node_info_new_for_xml (service_xml, NULL);
  env.fx = dbus_fixture_new (DBUS_FIXTURE_SYSTEM, "system-bus-allow-all.conf.in");
  /* The wrapper (and libpolkit) use the system bus: make that ours before anything connects. */
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", env.fx->address, TRUE);
  env.pk = polkit_fixture_new (env.fx);
  env.system_auth = init_authority_new (TRUE);
  env.session_auth = init_authority_new (FALSE);
  service_connect ();

  g_test_add_func ("/face/authority/root-passes-without-polkit", test_root_passes);
  g_test_add_func ("/face/authority/identity-only", test_identity_only);
  g_test_add_func ("/face/authority/polkit/granted-user", test_granted_user);
  g_test_add_func ("/face/authority/polkit/denied-user", test_denied_user);
  g_test_add_func ("/face/authority/polkit/details-reach-rules", test_details_reach_rules);
  g_test_add_func ("/face/authority/polkit/interactive", test_interactive);
  g_test_add_func ("/face/authority/polkit/policy-defaults", test_policy_defaults);
  g_test_add_func ("/face/authority/polkit/polkitd-absent", test_polkitd_absent);
  g_test_add_func ("/face/authority/fake/hang-times-out", test_polkit_hangs);
  g_test_add_func ("/face/authority/fake/hang-interactive-times-out", test_polkit_hangs_interactive);
  g_test_add_func ("/face/authority/fake/subject-details-flags", test_subject_details_flags);
  g_test_add_func ("/face/authority/fake/cancel", test_cancel);
  g_test_add_func ("/face/authority/fake/denial-remembered", test_denial_remembered);
  g_test_add_func ("/face/authority/fake/cancel-unknown-quiet", test_cancel_unknown_quiet);
  g_test_add_func ("/face/authority/fake/teardown-cancel-in-flight", test_teardown_cancel_in_flight);
  g_test_add_func ("/face/authority/session-mode", test_session_mode);
  g_test_add_func ("/face/authority/bus-restart", test_bus_restart);
  ret = g_test_run ();

  service_disconnect ();
  g_clear_object (&env.system_auth);
  g_clear_object (&env.session_auth);
  polkit_fixture_free (env.pk);
  dbus_fixture_free (env.fx);
  g_dbus_node_info_unref (env.service_info);
  return ret;
}
