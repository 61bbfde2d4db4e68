/* init-admin-error.c — what went wrong, in plain words */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>
#include <string.h>

#include "init-admin-error.h"

#define INIT_ERROR_NAME(x) "org.example.Init.Error." x

/* The D-Bus error name of @error, or NULL. */
static char *
error_name (const GError *error)
{
  if (g_dbus_error_is_remote_error (error))
    return g_dbus_error_get_remote_error (error);
  return NULL;
}

/* The daemon's message without "GDBus.Error:name: ". */
static char *
daemon_message (const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  g_dbus_error_strip_remote_error (copy);
  return g_strdup (copy->message);
}

InitAdminErrorKind
init_admin_error_kind (const GError *error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (error != NULL, INIT_ADMIN_ERROR_KIND_OTHER);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return INIT_ADMIN_ERROR_KIND_CANCELLED;
  if (error->domain == G_DBUS_ERROR)
    switch (error->code)
      {
      case G_DBUS_ERROR_ACCESS_DENIED:
      case G_DBUS_ERROR_AUTH_FAILED:
        return INIT_ADMIN_ERROR_KIND_DENIED;
      case G_DBUS_ERROR_SERVICE_UNKNOWN:
      case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
      case G_DBUS_ERROR_NO_REPLY:
      case G_DBUS_ERROR_DISCONNECTED:
      case G_DBUS_ERROR_NO_SERVER:
      case G_DBUS_ERROR_UNKNOWN_OBJECT:
        return INIT_ADMIN_ERROR_KIND_DAEMON_GONE;
      default:
        break;
      }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    return INIT_ADMIN_ERROR_KIND_DAEMON_GONE;

  name = error_name (error);
  if (name == NULL)
    return INIT_ADMIN_ERROR_KIND_OTHER;
  if (g_str_equal (name, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired")
      || g_str_equal (name, INIT_ERROR_NAME ("PermissionDenied")))
    return INIT_ADMIN_ERROR_KIND_DENIED;
  if (g_str_equal (name, INIT_ERROR_NAME ("JobFailed"))
      || g_str_equal (name, INIT_ERROR_NAME ("EventFailed"))
      || g_str_equal (name, INIT_ERROR_NAME ("Canceled"))
      || g_str_equal (name, INIT_ERROR_NAME ("SpawnFailed")))
    return INIT_ADMIN_ERROR_KIND_FAILED;
  if (g_str_equal (name, INIT_ERROR_NAME ("InvalidEvent"))
      || g_str_equal (name, INIT_ERROR_NAME ("InvalidEnvironment"))
      || g_str_equal (name, INIT_ERROR_NAME ("InvalidArgs")))
    return INIT_ADMIN_ERROR_KIND_INPUT;
  if (g_str_has_prefix (name, INIT_ERROR_NAME ("Already"))
      || g_str_has_prefix (name, INIT_ERROR_NAME ("Unknown"))
      || g_str_equal (name, INIT_ERROR_NAME ("NotRunning")))
    return INIT_ADMIN_ERROR_KIND_STATE;
  return INIT_ADMIN_ERROR_KIND_OTHER;
}

gboolean
init_admin_error_is_job_failed (const GError *error)
{
  g_autofree char *name = error_name (error);

  return g_strcmp0 (name, INIT_ERROR_NAME ("JobFailed")) == 0;
}

char *
init_admin_error_describe (const GError *error)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  name = error_name (error);
  message = daemon_message (error);

  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED)
      || g_strcmp0 (name, INIT_ERROR_NAME ("PermissionDenied")) == 0)
    /* Translators: %s is the daemon's reason */
    return g_strdup_printf (_("Permission denied: you are not allowed to do this. %s"), message);
  if (g_strcmp0 (name, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired") == 0)
    return g_strdup (_("Permission denied: this needs an administrator’s password, but no authentication agent is running to ask for it."));

  switch (init_admin_error_kind (error))
    {
    case INIT_ADMIN_ERROR_KIND_DAEMON_GONE:
      if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY))
        return g_strdup (_("The daemon did not answer in time."));
      return g_strdup (_("The daemon is not running any more (it stopped or the bus went away)."));
    case INIT_ADMIN_ERROR_KIND_CANCELLED:
      return g_strdup (_("Cancelled."));
    case INIT_ADMIN_ERROR_KIND_DENIED:
    case INIT_ADMIN_ERROR_KIND_FAILED:
    case INIT_ADMIN_ERROR_KIND_INPUT:
    case INIT_ADMIN_ERROR_KIND_STATE:
    case INIT_ADMIN_ERROR_KIND_OTHER:
    default:
      break;
    }

  if (name == NULL)
    return g_steal_pointer (&message);
  if (g_str_equal (name, INIT_ERROR_NAME ("JobFailed")))
    /* Translators: %s is the daemon's account, e.g. "Job failed to start: x: main process …" */
    return g_strdup_printf (_("The job failed. %s"), message);
  if (g_str_equal (name, INIT_ERROR_NAME ("EventFailed")))
    return g_strdup_printf (_("A job started or stopped by the event failed. %s"), message);
  if (g_str_equal (name, INIT_ERROR_NAME ("Canceled")))
    return g_strdup (_("It was stopped (or started) again before it got there."));
  if (g_str_equal (name, INIT_ERROR_NAME ("SpawnFailed")))
    return g_strdup_printf (_("A process could not be started. %s"), message);
  if (g_str_equal (name, INIT_ERROR_NAME ("AlreadyStarted")))
    return g_strdup (_("It is already started."));
  if (g_str_equal (name, INIT_ERROR_NAME ("AlreadyStopped")))
    return g_strdup (_("It is already stopped."));
  if (g_str_equal (name, INIT_ERROR_NAME ("UnknownJob")))
    return g_strdup (_("The job does not exist any more."));
  if (g_str_equal (name, INIT_ERROR_NAME ("UnknownInstance")))
    return g_strdup (_("That instance does not exist (any more)."));
  if (g_str_equal (name, INIT_ERROR_NAME ("NotRunning")))
    return g_strdup (_("It has no running main process."));
  if (g_str_equal (name, INIT_ERROR_NAME ("InvalidEvent")))
    return g_strdup_printf (_("The event name is not valid. %s"), message);
  if (g_str_equal (name, INIT_ERROR_NAME ("InvalidEnvironment")))
    return g_strdup_printf (_("The environment is not valid. %s"), message);
  if (g_str_equal (name, INIT_ERROR_NAME ("InvalidArgs")))
    return g_strdup_printf (_("The job needs more information to start. %s"), message);
  if (g_str_equal (name, "org.freedesktop.DBus.Error.UnknownMethod"))
    return g_strdup (_("The daemon is too old for this: it does not offer the request."));
  return g_steal_pointer (&message);
}
