/* init-dbus-error.c — INIT_ERROR as org.example.Init.Error.*, and checks on client input */
#define G_LOG_DOMAIN "init-dbus-error"

#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-error.h"
#include "init-env.h"
#include "init-error.h"
#include "init-event.h"

#define JOBS_PATH "/org/example/Init/jobs"

static const GDBusErrorEntry error_entries[] = {
  { INIT_ERROR_FAILED,               INIT_DBUS_ERROR_PREFIX "Failed" },
  { INIT_ERROR_UNKNOWN_JOB,          INIT_DBUS_ERROR_PREFIX "UnknownJob" },
  { INIT_ERROR_UNKNOWN_INSTANCE,     INIT_DBUS_ERROR_PREFIX "UnknownInstance" },
  { INIT_ERROR_ALREADY_STARTED,      INIT_DBUS_ERROR_PREFIX "AlreadyStarted" },
  { INIT_ERROR_ALREADY_STOPPED,      INIT_DBUS_ERROR_PREFIX "AlreadyStopped" },
  { INIT_ERROR_JOB_FAILED,           INIT_DBUS_ERROR_PREFIX "JobFailed" },
  { INIT_ERROR_EVENT_FAILED,         INIT_DBUS_ERROR_PREFIX "EventFailed" },
  { INIT_ERROR_INVALID_EVENT,        INIT_DBUS_ERROR_PREFIX "InvalidEvent" },
  { INIT_ERROR_INVALID_ENVIRONMENT,  INIT_DBUS_ERROR_PREFIX "InvalidEnvironment" },
  { INIT_ERROR_INVALID_ARGS,         INIT_DBUS_ERROR_PREFIX "InvalidArgs" },
  { INIT_ERROR_NOT_RUNNING,          INIT_DBUS_ERROR_PREFIX "NotRunning" },
  { INIT_ERROR_CANCELED,             INIT_DBUS_ERROR_PREFIX "Canceled" },
  { INIT_ERROR_PERMISSION_DENIED,    INIT_DBUS_ERROR_PREFIX "PermissionDenied" },
  { INIT_ERROR_SPAWN_FAILED,         INIT_DBUS_ERROR_PREFIX "SpawnFailed" },
  { INIT_ERROR_CONFIGURATION,        INIT_DBUS_ERROR_PREFIX "Configuration" },
};

void
init_dbus_error_register (void)
{
  static gsize quark = 0;

  /* Same quark name as init_error_quark(), so INIT_ERROR itself gets the D-Bus names. */
  g_dbus_error_register_error_domain ("init-error-quark", &quark, error_entries,
                                      G_N_ELEMENTS (error_entries));
  g_assert ((GQuark) quark == INIT_ERROR);
}

void
init_dbus_return_error (GDBusMethodInvocation *invocation,
                        const GError          *error)
{
  g_return_if_fail (G_IS_DBUS_METHOD_INVOCATION (invocation));
  g_return_if_fail (error != NULL);

  /* An error that carries a D-Bus name of its own (InteractiveAuthorizationRequired from the
   * authority) must go out under that name; GLib 2.74's return_gerror would send an
   * "UnmappedGError" name instead. */
  if (g_dbus_error_is_remote_error (error))
    {
      g_autofree char *name = g_dbus_error_get_remote_error (error);
      g_autoptr(GError) copy = g_error_copy (error);

      g_dbus_error_strip_remote_error (copy);
      g_dbus_method_invocation_return_dbus_error (invocation, name, copy->message);
    }
  else if (error->domain == INIT_ERROR || error->domain == G_DBUS_ERROR)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_error_literal (invocation, INIT_ERROR, INIT_ERROR_FAILED,
                                                   error->message);
}

/* A short, printable excerpt of client input for error messages. */
static char *
excerpt (const char *text)
{
  gsize len = strnlen (text, 65);
  g_autofree char *valid = g_utf8_make_valid (text, MIN (len, 64));
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iscntrl (c))
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_unichar (out, c);
    }
  if (len > 64)
    g_string_append (out, "…");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
init_dbus_check_event_name (const char  *name,
                            GError     **error)
{
  g_autofree char *shown = NULL;

  if (init_event_name_is_valid (name))
    return TRUE;
  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, INIT_ERROR, INIT_ERROR_INVALID_EVENT,
                           _("Event name may not be empty"));
      return FALSE;
    }
  shown = excerpt (name);
  g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_EVENT,
               _("Invalid event name (at most 256 bytes of UTF-8 without whitespace or "
                 "control characters): '%s'"), shown);
  return FALSE;
}

gboolean
init_dbus_check_env (const char * const  *env,
                     GError             **error)
{
  return init_env_validate (env, error);
}

static gboolean
name_is_acceptable (const char *name,
                    gboolean    allow_empty)
{
  gsize len;

  if (name == NULL || (!allow_empty && name[0] == '\0'))
    return FALSE;
  len = strnlen (name, INIT_DBUS_MAX_NAME + 1);
  return len <= INIT_DBUS_MAX_NAME && g_utf8_validate (name, len, NULL);
}

gboolean
init_dbus_check_job_name (const char  *name,
                          GError     **error)
{
  g_autofree char *shown = NULL;

  if (name_is_acceptable (name, FALSE))
    return TRUE;
  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB,
                           _("Job name may not be empty"));
      return FALSE;
    }
  shown = excerpt (name);
  g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB,
               _("Unknown job (names are at most %d bytes): %s"), INIT_DBUS_MAX_NAME, shown);
  return FALSE;
}

gboolean
init_dbus_check_instance_name (const char  *name,
                               GError     **error)
{
  g_autofree char *shown = NULL;

  if (name_is_acceptable (name, TRUE))
    return TRUE;
  shown = excerpt (name != NULL ? name : "");
  g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_INSTANCE,
               _("Unknown instance (names are at most %d bytes): %s"), INIT_DBUS_MAX_NAME, shown);
  return FALSE;
}

static void
append_escaped (GString    *out,
                const char *element)
{
  if (element[0] == '\0')
    {
      g_string_append_c (out, '_');
      return;
    }
  for (const guchar *p = (const guchar *) element; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "_%02x", *p);
    }
}

char *
init_dbus_escape_path_element (const char *element)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (element != NULL, NULL);
  append_escaped (out, element);
  return g_string_free (out, FALSE);
}

char *
init_dbus_job_path (const char *job)
{
  GString *out = g_string_new (JOBS_PATH "/");

  g_return_val_if_fail (job != NULL, NULL);
  append_escaped (out, job);
  return g_string_free (out, FALSE);
}

char *
init_dbus_instance_path (const char *job,
                         const char *instance)
{
  GString *out = g_string_new (JOBS_PATH "/");

  g_return_val_if_fail (job != NULL && instance != NULL, NULL);
  append_escaped (out, job);
  g_string_append_c (out, '/');
  append_escaped (out, instance);
  return g_string_free (out, FALSE);
}

void
init_dbus_emit_properties_changed (GDBusInterfaceSkeleton *skeleton,
                                   GVariant               *changed)
{
  const char * const no_invalidated[] = { NULL };
  g_autoptr(GVariant) params = NULL;
  GList *connections;
  const char *path;

  g_return_if_fail (G_IS_DBUS_INTERFACE_SKELETON (skeleton));
  g_return_if_fail (g_variant_is_of_type (changed, G_VARIANT_TYPE_VARDICT));

  params = g_variant_ref_sink (g_variant_new ("(s@a{sv}^as)",
                                              g_dbus_interface_skeleton_get_info (skeleton)->name,
                                              changed, no_invalidated));
  path = g_dbus_interface_skeleton_get_object_path (skeleton);
  connections = g_dbus_interface_skeleton_get_connections (skeleton);
  for (GList *l = connections; l != NULL; l = l->next)
    g_dbus_connection_emit_signal (l->data, NULL, path, "org.freedesktop.DBus.Properties",
                                   "PropertiesChanged", params, NULL);
  g_list_free_full (connections, g_object_unref);
}
