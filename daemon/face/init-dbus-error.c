/* init-dbus-error.c — INIT_ERROR as org.example.Init.Error.*, and checks on client input */
#define G_LOG_DOMAIN "init-dbus-error"

#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-error.h"
#include "init-env-policy.h"
#include "init-error.h"
#include "init-event.h"
#include "init-name.h"

static const GDBusErrorEntry error_entries[] = {
  { INIT_ERROR_FAILED, INIT_DBUS_ERROR_PREFIX "Failed" },
  { INIT_ERROR_UNKNOWN_JOB, INIT_DBUS_ERROR_PREFIX "UnknownJob" },
  { INIT_ERROR_UNKNOWN_INSTANCE, INIT_DBUS_ERROR_PREFIX "UnknownInstance" },
  { INIT_ERROR_ALREADY_STARTED, INIT_DBUS_ERROR_PREFIX "AlreadyStarted" },
  { INIT_ERROR_ALREADY_STOPPED, INIT_DBUS_ERROR_PREFIX "AlreadyStopped" },
  { INIT_ERROR_JOB_FAILED, INIT_DBUS_ERROR_PREFIX "JobFailed" },
  { INIT_ERROR_EVENT_FAILED, INIT_DBUS_ERROR_PREFIX "EventFailed" },
  { INIT_ERROR_INVALID_EVENT, INIT_DBUS_ERROR_PREFIX "InvalidEvent" },
  { INIT_ERROR_INVALID_ENVIRONMENT, INIT_DBUS_ERROR_PREFIX "InvalidEnvironment" },
  { INIT_ERROR_INVALID_ARGS, INIT_DBUS_ERROR_PREFIX "InvalidArgs" },
  { INIT_ERROR_NOT_RUNNING, INIT_DBUS_ERROR_PREFIX "NotRunning" },
  { INIT_ERROR_CANCELED, INIT_DBUS_ERROR_PREFIX "Canceled" },
  { INIT_ERROR_PERMISSION_DENIED, INIT_DBUS_ERROR_PREFIX "PermissionDenied" },
  { INIT_ERROR_SPAWN_FAILED, INIT_DBUS_ERROR_PREFIX "SpawnFailed" },
  { INIT_ERROR_CONFIGURATION, INIT_DBUS_ERROR_PREFIX "Configuration" },
  { INIT_ERROR_LIMITS_EXCEEDED, INIT_DBUS_ERROR_PREFIX "LimitsExceeded" },
  { INIT_ERROR_NOT_WRITABLE, INIT_DBUS_ERROR_PREFIX "NotWritable" },
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

char *
init_dbus_error_describe (const GError *error,
                          char        **message)
{
  g_autoptr(GError) copy = NULL;

  g_return_val_if_fail (error != NULL && message != NULL, NULL);

  /* An error that carries a D-Bus name of its own (InteractiveAuthorizationRequired from the
   * authority) must go out under that name; GLib 2.74's return_gerror would send an
   * "UnmappedGError" name instead. */
  if (g_dbus_error_is_remote_error (error))
    {
      copy = g_error_copy (error);
      g_dbus_error_strip_remote_error (copy);
      *message = g_strdup (copy->message);
      return g_dbus_error_get_remote_error (error);
    }
  *message = g_strdup (error->message);
  if (error->domain == INIT_ERROR || error->domain == G_DBUS_ERROR)
    return g_dbus_error_encode_gerror (error);
  return g_strdup (INIT_DBUS_ERROR_PREFIX "Failed");
}

void
init_dbus_return_error (GDBusMethodInvocation *invocation,
                        const GError          *error)
{
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (G_IS_DBUS_METHOD_INVOCATION (invocation));
  g_return_if_fail (error != NULL);

  name = init_dbus_error_describe (error, &message);
  g_dbus_method_invocation_return_dbus_error (invocation, name, message);
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
init_dbus_check_event_name (const char *name,
                            GError    **error)
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
init_dbus_check_env (const char *const *env,
                     GError           **error)
{
  return init_env_policy_check_size (env, error);
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
init_dbus_check_job_name (const char *name,
                          GError    **error)
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
init_dbus_check_instance_name (const char *name,
                               GError    **error)
{
  g_autofree char *shown = NULL;

  if (name_is_acceptable (name, TRUE))
    return TRUE;
  shown = excerpt (name != NULL ? name : "");
  g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_INSTANCE,
               _("Unknown instance (names are at most %d bytes): %s"), INIT_DBUS_MAX_NAME, shown);
  return FALSE;
}

void
init_dbus_append_escaped (GString    *out,
                          const char *element)
{
  init_name_append_escaped (out, element);
}

char *
init_dbus_escape_path_element (const char *element)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (element != NULL, NULL);
  init_dbus_append_escaped (out, element);
  return g_string_free (out, FALSE);
}

char *
init_dbus_job_path (const char *job)
{
  GString *out = g_string_new (INIT_DBUS_JOBS_PATH "/");

  g_return_val_if_fail (job != NULL, NULL);
  init_dbus_append_escaped (out, job);
  return g_string_free (out, FALSE);
}

char *
init_dbus_instance_path (const char *job,
                         const char *instance)
{
  GString *out = g_string_new (INIT_DBUS_JOBS_PATH "/");

  g_return_val_if_fail (job != NULL && instance != NULL, NULL);
  init_dbus_append_escaped (out, job);
  g_string_append_c (out, '/');
  init_dbus_append_escaped (out, instance);
  return g_string_free (out, FALSE);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

char *
init_dbus_unescape_path_element (const char *element)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (element != NULL, NULL);

  if (g_str_equal (element, "_"))
    return g_strdup ("");
  out = g_string_sized_new (strlen (element));
  for (const char *p = element; *p != '\0'; p++)
    {
      int hi, lo;

      if (g_ascii_isalnum (*p))
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (*p != '_' || (hi = hex_value (p[1])) < 0 || (lo = hex_value (p[2])) < 0)
        return NULL;
      /* Only bytes that escaping changes: anything else would be a second path for the
       * same name. */
      if ((hi << 4 | lo) == 0 || g_ascii_isalnum (hi << 4 | lo))
        return NULL;
      g_string_append_c (out, (char) (hi << 4 | lo));
      p += 2;
    }
  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
