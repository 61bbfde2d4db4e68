/* initctl-jobs.c — start, stop, restart, reload, enable, disable and usage of one job */
#define G_LOG_DOMAIN "init-cli"

#include <glib/gi18n.h>

#include "init-dbus-generated.h"
#include "initctl.h"

typedef enum
{
  VERB_START,
  VERB_STOP,
  VERB_RESTART,
} Verb;

static const char *const verb_methods[] = { "Start", "Stop", "Restart" };

/* Inside a job, `initctl stop` (no job name) acts on the instance that runs it, through the
 * Instance interface and without waiting: the caller is part of that instance, so waiting
 * for it to stop (or start) could only deadlock. */
static int
instance_verb (Initctl    *ctl,
               Verb        verb,
               const char *job,
               const char *instance)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *job_path = NULL;
  g_autofree char *path = NULL;

  if (!g_utf8_validate (job, -1, NULL) || !g_utf8_validate (instance, -1, NULL))
    return initctl_usage_error (ctl, _("$UPSTART_JOB or $UPSTART_INSTANCE is not valid UTF-8"));
  if (!initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  job_path = initctl_get_job_path (ctl, job, &error);
  if (job_path == NULL)
    return initctl_report_error (ctl, error);
  reply = initctl_call (ctl, job_path, init_dbus_job_interface_info (), "GetInstanceByName",
                        g_variant_new ("(s)", instance), INITCTL_CALL_NONE, &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  g_variant_get (reply, "(o)", &path);
  g_clear_pointer (&reply, g_variant_unref);

  reply = initctl_call (ctl, path, init_dbus_instance_interface_info (), verb_methods[verb],
                        g_variant_new ("(b)", FALSE), INITCTL_CALL_CHANGES, &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  return initctl_print_instance (ctl, job, path);
}

/* A start (or restart) that a stop overtook before the job was running: the D-Bus API says
 * Canceled, but Upstart's `start' printed the status line and exited 0, and real job files
 * depend on it (Ubuntu's nova-compute.conf runs `start wait-for-state …' under `sh -e', and
 * wait-for-state stops itself when the state already holds).  DESIGN §2.5. */
static void
on_instance_signal (GDBusConnection *connection,
                    const char      *sender,
                    const char      *path,
                    const char      *iface,
                    const char      *signal,
                    GVariant        *params,
                    gpointer         user_data)
{
  gboolean *changed = user_data;

  *changed = TRUE;
}

/* Upstart answered such a start once the instance had come to rest; the daemon answers as
 * soon as the stop is requested.  Wait for the rest (state waiting, or the instance gone),
 * so the status line is the one Upstart printed. */
static void
wait_for_rest (Initctl    *ctl,
               const char *path)
{
  g_autoptr(GVariant) subscribed = NULL;
  gboolean changed = TRUE;
  guint ids[2];

  ids[0] = g_dbus_connection_signal_subscribe (ctl->bus, NULL, NULL, NULL, path, NULL,
                                               G_DBUS_SIGNAL_FLAGS_NONE, on_instance_signal,
                                               &changed, NULL);
  ids[1] = g_dbus_connection_signal_subscribe (ctl->bus, NULL,
                                               "org.freedesktop.DBus.ObjectManager",
                                               "InterfacesRemoved", NULL, path,
                                               G_DBUS_SIGNAL_FLAGS_MATCH_ARG0_PATH,
                                               on_instance_signal, &changed, NULL);
  /* The daemon sends signals only while somebody subscribed. */
  subscribed = initctl_call (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                             "Subscribe", NULL, INITCTL_CALL_NONE, NULL);
  while (subscribed != NULL)
    {
      if (changed)
        {
          g_autoptr(GVariant) props = NULL;
          const char *state = NULL;

          changed = FALSE;
          props = initctl_get_all (ctl, path, init_dbus_instance_interface_info (), NULL);
          if (props == NULL || !g_variant_lookup (props, "State", "&s", &state)
              || g_str_equal (state, "waiting"))
            break;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_dbus_connection_signal_unsubscribe (ctl->bus, ids[0]);
  g_dbus_connection_signal_unsubscribe (ctl->bus, ids[1]);
}

static int
print_overtaken (Initctl    *ctl,
                 const char *job_path,
                 char      **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *path = NULL;

  reply = initctl_call (ctl, job_path, init_dbus_job_interface_info (), "GetInstance",
                        g_variant_new ("(^as)", args + 1), INITCTL_CALL_NONE, &error);
  if (reply != NULL)
    g_variant_get (reply, "(o)", &path);
  else if (!initctl_error_is_vanished (error))
    return initctl_report_error (ctl, error);
  if (path != NULL)
    wait_for_rest (ctl, path);
  return initctl_print_instance (ctl, args[0], path);
}

static gboolean
is_canceled (const GError *error)
{
  g_autofree char *name = initctl_error_name (error);

  return name != NULL && g_str_equal (name, "org.example.Init.Error.Canceled");
}

static int
job_verb (Initctl *ctl,
          Verb     verb,
          char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *job_path = NULL;
  g_autofree char *instance_path = NULL;
  gboolean wait = !ctl->no_wait;
  InitctlCallFlags flags = INITCTL_CALL_CHANGES | (wait ? INITCTL_CALL_WAITS : 0);

  if (args[0] == NULL)
    {
      const char *job = g_getenv ("UPSTART_JOB");
      const char *instance = g_getenv ("UPSTART_INSTANCE");

      if (job == NULL || job[0] == '\0' || instance == NULL)
        return initctl_usage_error (ctl, _("missing job name"));
      return instance_verb (ctl, verb, job, instance);
    }
  if (!initctl_check_utf8 (args, &error) || !initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  job_path = initctl_get_job_path (ctl, args[0], &error);
  if (job_path == NULL)
    return initctl_report_error (ctl, error);

  /* Stop returns no path: ask for the instance first (which also fails early, as Upstart,
   * when the job is not running). */
  if (verb == VERB_STOP)
    {
      reply = initctl_call (ctl, job_path, init_dbus_job_interface_info (), "GetInstance",
                            g_variant_new ("(^as)", args + 1), INITCTL_CALL_NONE, &error);
      if (reply == NULL)
        return initctl_report_error (ctl, error);
      g_variant_get (reply, "(o)", &instance_path);
      g_clear_pointer (&reply, g_variant_unref);
    }

  reply = initctl_call (ctl, job_path, init_dbus_job_interface_info (), verb_methods[verb],
                        g_variant_new ("(^asb)", args + 1, wait), flags, &error);
  if (reply == NULL && verb != VERB_STOP && is_canceled (error))
    return print_overtaken (ctl, job_path, args);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  if (verb != VERB_STOP)
    g_variant_get (reply, "(o)", &instance_path);
  return initctl_print_instance (ctl, args[0], instance_path);
}

int
initctl_cmd_start (Initctl *ctl,
                   char   **args)
{
  return job_verb (ctl, VERB_START, args);
}

int
initctl_cmd_stop (Initctl *ctl,
                  char   **args)
{
  return job_verb (ctl, VERB_STOP, args);
}

int
initctl_cmd_restart (Initctl *ctl,
                     char   **args)
{
  return job_verb (ctl, VERB_RESTART, args);
}

int
initctl_cmd_reload (Initctl *ctl,
                    char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) done = NULL;
  g_autofree char *path = NULL;

  if (args[0] == NULL)
    return initctl_usage_error (ctl, _("missing job name"));
  path = initctl_get_instance_path (ctl, args, &error);
  if (path == NULL)
    return initctl_report_error (ctl, error);
  done = initctl_call (ctl, path, init_dbus_instance_interface_info (), "Reload", NULL,
                       INITCTL_CALL_CHANGES, &error);
  if (done == NULL)
    return initctl_report_error (ctl, error);
  return INITCTL_EXIT_OK;
}

/* `enable JOB' / `disable JOB': Job.Enable / Job.Disable; silent on success (as systemctl),
 * and also when the job already was so. */
static int
set_enabled (Initctl    *ctl,
             char      **args,
             const char *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *job_path = NULL;

  if (args[0] == NULL)
    return initctl_usage_error (ctl, _("missing job name"));
  if (args[1] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[1]);
  if (!initctl_check_utf8 (args, &error) || !initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  job_path = initctl_get_job_path (ctl, args[0], &error);
  if (job_path == NULL)
    return initctl_report_error (ctl, error);
  reply = initctl_call (ctl, job_path, init_dbus_job_interface_info (), method, NULL,
                        INITCTL_CALL_CHANGES, &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  return INITCTL_EXIT_OK;
}

int
initctl_cmd_enable (Initctl *ctl,
                    char   **args)
{
  return set_enabled (ctl, args, "Enable");
}

int
initctl_cmd_disable (Initctl *ctl,
                     char   **args)
{
  return set_enabled (ctl, args, "Disable");
}

int
initctl_cmd_usage (Initctl *ctl,
                   char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) usage = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *job_path = NULL;

  if (args[0] == NULL)
    return initctl_usage_error (ctl, _("missing job name"));
  if (args[1] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[1]);
  if (!initctl_check_utf8 (args, &error) || !initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  job_path = initctl_get_job_path (ctl, args[0], &error);
  if (job_path == NULL)
    return initctl_report_error (ctl, error);
  usage = initctl_get_property (ctl, job_path, init_dbus_job_interface_info (), "Usage", &error);
  if (usage == NULL)
    return initctl_report_error (ctl, error);
  if (!g_variant_is_of_type (usage, G_VARIANT_TYPE_STRING))
    {
      initctl_error (ctl, _("The daemon sent a usage of the wrong type"));
      return INITCTL_EXIT_FAILURE;
    }
  out = g_string_new (NULL);
  g_string_append_printf (out, "Usage: %s\n", g_variant_get_string (usage, NULL));
  initctl_output (ctl, out);
  return INITCTL_EXIT_OK;
}
