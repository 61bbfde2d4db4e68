/* initctl-manager.c — emit, reload-configuration, reexec, version and log-priority */
#define G_LOG_DOMAIN "init-cli"

#include <glib/gi18n.h>

#include "init-dbus-generated.h"
#include "initctl.h"

int
initctl_cmd_emit (Initctl *ctl,
                  char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean wait = !ctl->no_wait;

  if (args[0] == NULL)
    return initctl_usage_error (ctl, _("missing event name"));
  if (!initctl_check_utf8 (args, &error) || !initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  reply = initctl_call (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                        "EmitEvent", g_variant_new ("(s^asb)", args[0], args + 1, wait),
                        INITCTL_CALL_CHANGES | (wait ? INITCTL_CALL_WAITS : 0), &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  return INITCTL_EXIT_OK;
}

int
initctl_cmd_reload_configuration (Initctl *ctl,
                                  char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  if (args[0] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[0]);
  if (!initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  reply = initctl_call (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                        "ReloadConfiguration", NULL, INITCTL_CALL_CHANGES, &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  return INITCTL_EXIT_OK;
}

static GVariant *get_manager_string (Initctl    *ctl,
                                     const char *name,
                                     GError    **error);

/* Upstart re-executed with `telinit u' (a signal); ours is a D-Bus call whose reply comes
 * from the new process once it has restored everything, so success means it is back. */
int
initctl_cmd_reexec (Initctl *ctl,
                    char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) version = NULL;
  g_autoptr(GString) out = NULL;

  if (args[0] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[0]);
  if (!initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  reply = initctl_call (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                        "Reexec", NULL, INITCTL_CALL_CHANGES | INITCTL_CALL_WAITS, &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  if (!ctl->verbose)
    return INITCTL_EXIT_OK;
  /* -v: say so, with the version the daemon runs now (it may have been upgraded). */
  version = get_manager_string (ctl, "Version", &error);
  if (version == NULL)
    return initctl_report_error (ctl, error);
  out = g_string_new (NULL);
  g_string_append_printf (out, _("The daemon re-executed itself: init (Init %s)\n"),
                          g_variant_get_string (version, NULL));
  initctl_output (ctl, out);
  return INITCTL_EXIT_OK;
}

static GVariant *
get_manager_string (Initctl    *ctl,
                    const char *name,
                    GError    **error)
{
  g_autoptr(GVariant) value = NULL;

  value = initctl_get_property (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                                name, error);
  if (value != NULL && !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The daemon sent %s of the wrong type"), name);
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* `init (Init 0.1.0)', as Upstart's `init (upstart 1.13.2)'. */
int
initctl_cmd_version (Initctl *ctl,
                     char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) version = NULL;
  g_autoptr(GString) out = NULL;

  if (args[0] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[0]);
  if (!initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  version = get_manager_string (ctl, "Version", &error);
  if (version == NULL)
    return initctl_report_error (ctl, error);
  out = g_string_new (NULL);
  g_string_append_printf (out, "init (Init %s)\n", g_variant_get_string (version, NULL));
  initctl_output (ctl, out);
  return INITCTL_EXIT_OK;
}

static const char *const priorities[] = {
  "debug", "info", "message", "warn", "error", "fatal", NULL
};

static gboolean
is_no_such_property (const GError *error)
{
  g_autofree char *name = initctl_error_name (error);

  return name != NULL
         && (g_str_equal (name, "org.freedesktop.DBus.Error.InvalidArgs")
             || g_str_equal (name, "org.freedesktop.DBus.Error.UnknownProperty")
             || g_str_equal (name, "org.freedesktop.DBus.Error.PropertyReadOnly"));
}

/* org.example.Init has no log priority property: initd logs messages and warnings, and more
 * with --verbose or --debug given when it starts.  So `log-priority' prints `message' (the
 * level initd logs at by default, as Upstart) unless a daemon offers a LogPriority
 * property, and refuses to set it with a clear error.  It still asks the daemon, so a
 * missing daemon is reported as such. */
int
initctl_cmd_log_priority (Initctl *ctl,
                          char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GString) out = NULL;

  if (args[0] != NULL && args[1] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[1]);
  if (args[0] != NULL && !g_strv_contains (priorities, args[0]))
    return initctl_usage_error (ctl, _("invalid priority: %s (one of debug, info, message, "
                                       "warn, error, fatal)"), args[0]);
  if (!initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);

  if (args[0] != NULL)
    {
      g_autoptr(GVariant) reply = NULL;

      reply = g_dbus_connection_call_sync (ctl->bus,
                                           ctl->dest != NULL ? ctl->dest : INITCTL_BUS_NAME,
                                           INITCTL_MANAGER_PATH,
                                           "org.freedesktop.DBus.Properties", "Set",
                                           g_variant_new ("(ssv)",
                                                          init_dbus_manager_interface_info ()->name,
                                                          "LogPriority",
                                                          g_variant_new_string (args[0])),
                                           NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      if (reply != NULL)
        return INITCTL_EXIT_OK;
      if (is_no_such_property (error))
        {
          initctl_error (ctl, _("The daemon's log priority cannot be changed while it runs; "
                                "start initd with --verbose or --debug instead"));
          return INITCTL_EXIT_FAILURE;
        }
      return initctl_report_error (ctl, error);
    }

  value = get_manager_string (ctl, "LogPriority", &error);
  if (value == NULL && !is_no_such_property (error))
    return initctl_report_error (ctl, error);
  out = g_string_new (NULL);
  g_string_append_printf (out, "%s\n",
                          value != NULL ? g_variant_get_string (value, NULL) : "message");
  initctl_output (ctl, out);
  return INITCTL_EXIT_OK;
}
