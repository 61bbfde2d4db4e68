/* initctl-jobs.c — start, stop, restart, reload and usage of one job */
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

static const char * const verb_methods[] = { "Start", "Stop", "Restart" };

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

static int
job_verb (Initctl  *ctl,
          Verb      verb,
          char    **args)
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
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  if (verb != VERB_STOP)
    g_variant_get (reply, "(o)", &instance_path);
  return initctl_print_instance (ctl, args[0], instance_path);
}

int
initctl_cmd_start (Initctl  *ctl,
                   char    **args)
{
  return job_verb (ctl, VERB_START, args);
}

int
initctl_cmd_stop (Initctl  *ctl,
                  char    **args)
{
  return job_verb (ctl, VERB_STOP, args);
}

int
initctl_cmd_restart (Initctl  *ctl,
                     char    **args)
{
  return job_verb (ctl, VERB_RESTART, args);
}

int
initctl_cmd_reload (Initctl  *ctl,
                    char    **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *job_path = NULL;
  const char *path = NULL;

  if (args[0] == NULL)
    return initctl_usage_error (ctl, _("missing job name"));
  if (!initctl_check_utf8 (args, &error) || !initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  job_path = initctl_get_job_path (ctl, args[0], &error);
  if (job_path == NULL)
    return initctl_report_error (ctl, error);
  reply = initctl_call (ctl, job_path, init_dbus_job_interface_info (), "GetInstance",
                        g_variant_new ("(^as)", args + 1), INITCTL_CALL_NONE, &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  g_variant_get (reply, "(&o)", &path);

  {
    g_autoptr(GVariant) done = NULL;

    done = initctl_call (ctl, path, init_dbus_instance_interface_info (), "Reload", NULL,
                         INITCTL_CALL_CHANGES, &error);
    if (done == NULL)
      return initctl_report_error (ctl, error);
  }
  return INITCTL_EXIT_OK;
}

int
initctl_cmd_usage (Initctl  *ctl,
                   char    **args)
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
