/* initctl-connect.c — which daemon to talk to, calls to it, and what its errors mean */
#define G_LOG_DOMAIN "init-cli"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>

#include "init-dbus-generated.h"
#include "initctl.h"

#define ERROR_PREFIX "org.example.Init.Error."
#define DBUS_ERROR   "org.freedesktop.DBus.Error."

/* Connection rules (cli/README.md):
 *   --system                 the system bus;
 *   --session / --user       the session bus;
 *   neither, in a job        $INIT_DBUS_ADDRESS, the bus of the daemon that runs the job
 *                            ($INIT_DBUS_MODE says whether it is a system daemon);
 *   neither, elsewhere       the system bus, as Upstart.
 * --dest NAME replaces the bus name org.example.Init on whichever bus is used. */
gboolean
initctl_connect (Initctl *ctl,
                 GError **error)
{
  const char *address = g_getenv ("INIT_DBUS_ADDRESS");
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (ctl->bus == NULL, FALSE);

  if (!ctl->opt_system && !ctl->opt_session && address != NULL && address[0] != '\0')
    {
      const char *mode = g_getenv ("INIT_DBUS_MODE");

      ctl->bus = g_dbus_connection_new_for_address_sync (
        address,
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
        | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, NULL, &local);
      ctl->polkit = g_strcmp0 (mode, "system") == 0;
      ctl->bus_label = g_strdup_printf (_("bus at %s"), address);
      if (ctl->bus == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                       _("Unable to connect to the bus at $INIT_DBUS_ADDRESS (%s): %s"),
                       address, local->message);
          return FALSE;
        }
    }
  else
    {
      GBusType type = ctl->opt_session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM;

      ctl->bus = g_bus_get_sync (type, NULL, &local);
      ctl->polkit = type == G_BUS_TYPE_SYSTEM;
      ctl->bus_label = g_strdup (type == G_BUS_TYPE_SYSTEM ? _("system bus") : _("session bus"));
      if (ctl->bus == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                       type == G_BUS_TYPE_SYSTEM ? _("Unable to connect to system bus: %s")
                                                 : _("Unable to connect to session bus: %s"),
                       local->message);
          return FALSE;
        }
    }
  /* A lost bus is an error we report, not a reason to be killed with SIGTERM. */
  g_dbus_connection_set_exit_on_close (ctl->bus, FALSE);
  return TRUE;
}

static const char *
bus_name (Initctl *ctl)
{
  return ctl->dest != NULL ? ctl->dest : INITCTL_BUS_NAME;
}

/* "(" + the out-arguments' signatures + ")", from the generated introspection data. */
static GVariantType *
reply_type (GDBusInterfaceInfo *iface,
            const char         *method)
{
  GDBusMethodInfo *info = g_dbus_interface_info_lookup_method (iface, method);
  g_autoptr(GString) signature = g_string_new ("(");

  g_assert (info != NULL);
  for (guint i = 0; info->out_args != NULL && info->out_args[i] != NULL; i++)
    g_string_append (signature, info->out_args[i]->signature);
  g_string_append_c (signature, ')');
  return g_variant_type_new (signature->str);
}

typedef struct
{
  GMainLoop *loop;
  GVariant  *reply;
  GError    *error;
  gboolean   interrupted;
  gboolean   abandoned;   /* we returned without the reply: call_done frees the record */
} PendingCall;

static void
pending_call_free (PendingCall *pending)
{
  g_clear_pointer (&pending->loop, g_main_loop_unref);
  g_clear_pointer (&pending->reply, g_variant_unref);
  g_clear_error (&pending->error);
  g_free (pending);
}

static void
call_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PendingCall *pending = user_data;

  pending->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                  &pending->error);
  if (pending->abandoned)
    pending_call_free (pending);
  else
    g_main_loop_quit (pending->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  PendingCall *pending = user_data;

  /* Leave the call pending: the daemon notices we are gone and the job carries on. */
  pending->interrupted = TRUE;
  g_main_loop_quit (pending->loop);
  return G_SOURCE_CONTINUE;
}

static GVariant *
call_once (Initctl            *ctl,
           const char         *path,
           const char         *iface,
           const char         *method,
           GVariant           *params,
           const GVariantType *type,
           GDBusCallFlags      call_flags,
           InitctlCallFlags    flags,
           GError            **error)
{
  PendingCall *pending;
  GVariant *reply;
  guint sigint;

  if (!(flags & (INITCTL_CALL_WAITS | INITCTL_CALL_CHANGES)))
    return g_dbus_connection_call_sync (ctl->bus, bus_name (ctl), path, iface, method, params,
                                        type, call_flags, -1, NULL, error);

  /* Waiting (for a job, or for someone to type a password) must never time out, and Ctrl-C
   * must work: run the call on a main loop that also watches SIGINT. */
  pending = g_new0 (PendingCall, 1);
  pending->loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, pending);
  g_dbus_connection_call (ctl->bus, bus_name (ctl), path, iface, method, params, type,
                          call_flags, G_MAXINT, NULL, call_done, pending);
  g_main_loop_run (pending->loop);
  g_source_remove (sigint);

  if (pending->interrupted)
    {
      pending->abandoned = TRUE;
      initctl_agent_restore_tty (ctl);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Interrupted"));
      return NULL;
    }
  if (pending->error != NULL)
    g_propagate_error (error, g_steal_pointer (&pending->error));
  reply = g_steal_pointer (&pending->reply);
  pending_call_free (pending);
  return reply;
}

static gboolean
error_has_name (const GError *error,
                const char   *name)
{
  g_autofree char *remote = initctl_error_name (error);

  return g_strcmp0 (remote, name) == 0;
}

GVariant *
initctl_call (Initctl            *ctl,
              const char         *path,
              GDBusInterfaceInfo *iface,
              const char         *method,
              GVariant           *params,
              InitctlCallFlags    flags,
              GError            **error)
{
  g_autoptr(GVariantType) type = reply_type (iface, method);
  g_autoptr(GVariant) owned_params = params != NULL ? g_variant_ref_sink (params) : NULL;
  g_autoptr(GError) local = NULL;
  GDBusCallFlags call_flags = G_DBUS_CALL_FLAGS_NONE;
  gboolean tty_agent = FALSE;
  GVariant *reply;

  g_return_val_if_fail (ctl->bus != NULL, NULL);

  /* Authorization: a system daemon asks polkit.  With a terminal we first ask without
   * interaction and register our own textual agent only if polkit wants a password (most
   * callers are root or allowed by a rule and never need it).  Without a terminal we allow
   * interaction at once, for a desktop agent.  --no-ask-password never allows it. */
  if ((flags & INITCTL_CALL_CHANGES) && !ctl->no_ask_password)
    {
      tty_agent = initctl_agent_possible (ctl);
      if (!tty_agent || ctl->agent != NULL)
        call_flags |= G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION;
    }

  reply = call_once (ctl, path, iface->name, method, owned_params, type, call_flags, flags,
                     &local);
  if (reply == NULL && tty_agent && ctl->agent == NULL
      && error_has_name (local, DBUS_ERROR "InteractiveAuthorizationRequired"))
    {
      g_autoptr(GError) agent_error = NULL;

      /* The daemon refuses before touching anything, so asking again is safe. */
      if (initctl_agent_start (ctl, &agent_error))
        {
          g_clear_error (&local);
          call_flags |= G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION;
          reply = call_once (ctl, path, iface->name, method, owned_params, type, call_flags,
                             flags, &local);
        }
      else
        {
          g_free (ctl->agent_failure);
          ctl->agent_failure = g_strdup (agent_error->message);
        }
    }
  if (reply == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return reply;
}

GVariant *
initctl_get_property (Initctl            *ctl,
                      const char         *path,
                      GDBusInterfaceInfo *iface,
                      const char         *name,
                      GError            **error)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *value;

  reply = g_dbus_connection_call_sync (ctl->bus, bus_name (ctl), path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", iface->name, name),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(v)", &value);
  return value;
}

GVariant *
initctl_get_all (Initctl            *ctl,
                 const char         *path,
                 GDBusInterfaceInfo *iface,
                 GError            **error)
{
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (ctl->bus, bus_name (ctl), path,
                                       "org.freedesktop.DBus.Properties", "GetAll",
                                       g_variant_new ("(s)", iface->name),
                                       G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, error);
  if (reply == NULL)
    return NULL;
  return g_variant_get_child_value (reply, 0);
}

/* Held until the process exits: freeing a reply with thousands of jobs (hundreds of
 * thousands of GVariants) takes longer than everything else `initctl list` does. */
static GVariant *managed_objects;

GVariant *
initctl_get_managed_objects (Initctl *ctl,
                             GError **error)
{
  GVariant *reply;

  g_return_val_if_fail (managed_objects == NULL, NULL);

  reply = g_dbus_connection_call_sync (ctl->bus, bus_name (ctl), INITCTL_MANAGER_PATH,
                                       "org.freedesktop.DBus.ObjectManager", "GetManagedObjects",
                                       NULL, G_VARIANT_TYPE ("(a{oa{sa{sv}}})"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (reply == NULL)
    return NULL;
  managed_objects = reply;
  return g_variant_get_child_value (reply, 0);
}

char *
initctl_get_job_path (Initctl    *ctl,
                      const char *name,
                      GError    **error)
{
  g_autoptr(GVariant) reply = NULL;
  char *path = NULL;

  reply = initctl_call (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                        "GetJobByName", g_variant_new ("(s)", name), INITCTL_CALL_NONE, error);
  if (reply != NULL)
    g_variant_get (reply, "(o)", &path);
  return path;
}

char *
initctl_get_instance_path (Initctl *ctl,
                           char   **args,
                           GError **error)
{
  g_autofree char *job_path = NULL;
  g_autoptr(GVariant) reply = NULL;
  char *path = NULL;

  if (!initctl_check_utf8 (args, error) || !initctl_connect (ctl, error))
    return NULL;
  job_path = initctl_get_job_path (ctl, args[0], error);
  if (job_path == NULL)
    return NULL;
  reply = initctl_call (ctl, job_path, init_dbus_job_interface_info (), "GetInstance",
                        g_variant_new ("(^as)", args + 1), INITCTL_CALL_NONE, error);
  if (reply != NULL)
    g_variant_get (reply, "(o)", &path);
  return path;
}

/* A GLib service that returns an error it received itself (say polkit's
 * InteractiveAuthorizationRequired) with g_dbus_method_invocation_return_gerror() sends it
 * as org.gtk.GDBus.UnmappedGError.… with the real name inside the message: look there too. */
static char *
unwrap_unmapped (const GError *error,
                 char         *name)
{
  g_autoptr(GError) inner = NULL;

  if (!g_str_has_prefix (name, "org.gtk.GDBus.UnmappedGError."))
    return name;
  inner = g_error_copy (error);
  g_dbus_error_strip_remote_error (inner);
  if (!g_dbus_error_is_remote_error (inner))
    return name;
  g_free (name);
  return g_dbus_error_get_remote_error (inner);
}

char *
initctl_error_name (const GError *error)
{
  if (error == NULL || !g_dbus_error_is_remote_error (error))
    return NULL;
  return unwrap_unmapped (error, g_dbus_error_get_remote_error (error));
}

gboolean
initctl_error_is_vanished (const GError *error)
{
  g_autofree char *name = initctl_error_name (error);

  /* An object that is gone: GDBus answers UnknownMethod/UnknownObject for a path with no
   * object and InvalidArgs ("No such interface") for a path without that interface. */
  return name != NULL
         && (g_str_equal (name, DBUS_ERROR "UnknownMethod")
             || g_str_equal (name, DBUS_ERROR "UnknownObject")
             || g_str_equal (name, DBUS_ERROR "UnknownInterface")
             || g_str_equal (name, DBUS_ERROR "InvalidArgs")
             || g_str_equal (name, ERROR_PREFIX "UnknownInstance"));
}

typedef struct
{
  const char *name;
  int         status;
} ErrorStatus;

static const ErrorStatus error_statuses[] = {
  { ERROR_PREFIX "UnknownJob", INITCTL_EXIT_UNKNOWN_JOB },
  { ERROR_PREFIX "UnknownInstance", INITCTL_EXIT_NOT_RUNNING },
  { ERROR_PREFIX "AlreadyStopped", INITCTL_EXIT_NOT_RUNNING },
  { ERROR_PREFIX "NotRunning", INITCTL_EXIT_NOT_RUNNING },
  { ERROR_PREFIX "AlreadyStarted", INITCTL_EXIT_ALREADY_RUNNING },
  { ERROR_PREFIX "JobFailed", INITCTL_EXIT_JOB_FAILED },
  { ERROR_PREFIX "EventFailed", INITCTL_EXIT_JOB_FAILED },
  { ERROR_PREFIX "Canceled", INITCTL_EXIT_JOB_FAILED },
  { ERROR_PREFIX "PermissionDenied", INITCTL_EXIT_DENIED },
  { DBUS_ERROR "AccessDenied", INITCTL_EXIT_DENIED },
  { DBUS_ERROR "AuthFailed", INITCTL_EXIT_DENIED },
  { DBUS_ERROR "InteractiveAuthorizationRequired", INITCTL_EXIT_DENIED },
  { DBUS_ERROR "ServiceUnknown", INITCTL_EXIT_NO_DAEMON },
  { DBUS_ERROR "NameHasNoOwner", INITCTL_EXIT_NO_DAEMON },
  { DBUS_ERROR "NoReply", INITCTL_EXIT_NO_DAEMON },
  { DBUS_ERROR "Disconnected", INITCTL_EXIT_NO_DAEMON },
};

/* The error's own text, without GDBus's "GDBus.Error:NAME: " prefix (twice for an error
 * that came through unmapped, see unwrap_unmapped()). */
static char *
stripped_message (const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);
  char *message;

  while (g_dbus_error_strip_remote_error (copy))
    ;
  message = g_steal_pointer (&copy->message);
  copy->message = g_strdup ("");
  return message;
}

static char *
denial_message (Initctl    *ctl,
                const char *name,
                const char *text)
{
  if (g_str_equal (name, DBUS_ERROR "InteractiveAuthorizationRequired"))
    {
      if (ctl->no_ask_password)
        return g_strdup (_("Permission denied: authentication is required (and "
                           "--no-ask-password was given)"));
      if (ctl->agent_failure != NULL)
        return g_strdup_printf (_("Permission denied: authentication is required, but no "
                                  "password prompt could be started: %s"), ctl->agent_failure);
      return g_strdup (_("Permission denied: authentication is required; run initctl on a "
                         "terminal, or as root"));
    }
  /* The bus itself said no: its text is a long dump of the message's header fields. */
  if (g_str_has_prefix (text, "Rejected send message"))
    return g_strdup (_("Permission denied by the bus policy"));
  if (g_str_equal (name, DBUS_ERROR "AccessDenied"))
    return g_strdup_printf (_("Permission denied: %s"), text);
  return g_strdup (text);
}

int
initctl_report_error (Initctl      *ctl,
                      const GError *error)
{
  g_autofree char *name = initctl_error_name (error);
  g_autofree char *text = stripped_message (error);
  g_autofree char *message = NULL;
  int status = INITCTL_EXIT_FAILURE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return INITCTL_EXIT_INTERRUPTED;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    status = INITCTL_EXIT_NO_DAEMON;
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (error_statuses); i++)
    if (g_str_equal (name, error_statuses[i].name))
      status = error_statuses[i].status;

  if (name != NULL && status == INITCTL_EXIT_NO_DAEMON)
    message = g_strdup_printf (_("Unable to connect to the init daemon: %s is not running on "
                                 "the %s"), bus_name (ctl), ctl->bus_label);
  else if (name != NULL && status == INITCTL_EXIT_DENIED)
    message = denial_message (ctl, name, text);
  else
    message = g_steal_pointer (&text);

  if (ctl->verbose && name != NULL)
    initctl_error (ctl, "%s (%s)", message, name);
  else
    initctl_error (ctl, "%s", message);
  return status;
}

gboolean
initctl_check_utf8 (char   **args,
                    GError **error)
{
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    if (!g_utf8_validate (args[i], -1, NULL))
      {
        g_autofree char *shown = g_utf8_make_valid (args[i], -1);

        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("Argument is not valid UTF-8: %s"), shown);
        return FALSE;
      }
  return TRUE;
}
