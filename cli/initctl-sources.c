/* initctl-sources.c — list-sources: the daemon's event sources and the jobs that need them */
#define G_LOG_DOMAIN "init-cli"

#include <glib/gi18n.h>

#include "init-dbus-generated.h"
#include "initctl.h"

/* "NAME STATE[: DETAIL][ (jobs: A B)]" per source, as EventSources lists them. */
static void
append_text (GString  *out,
             GVariant *sources)
{
  GVariantIter iter;
  const char *name, *state, *detail;
  g_autofree const char **jobs = NULL;

  g_variant_iter_init (&iter, sources);
  while (g_variant_iter_next (&iter, "(&s&s&s^a&s)", &name, &state, &detail, &jobs))
    {
      g_string_append_printf (out, "%s %s", name, state);
      if (detail[0] != '\0')
        g_string_append_printf (out, ": %s", detail);
      if (jobs[0] != NULL)
        {
          g_autofree char *list = g_strjoinv (" ", (char **) jobs);

          g_string_append_printf (out, " (%s %s)", _("jobs:"), list);
        }
      g_string_append_c (out, '\n');
      g_clear_pointer (&jobs, g_free);
    }
}

/* [{"name": …, "state": …, "detail": …, "jobs": […]}, …] */
static void
append_json (GString  *out,
             GVariant *sources)
{
  GVariantIter iter;
  const char *name, *state, *detail;
  g_autofree const char **jobs = NULL;
  gboolean first = TRUE;

  g_string_append_c (out, '[');
  g_variant_iter_init (&iter, sources);
  while (g_variant_iter_next (&iter, "(&s&s&s^a&s)", &name, &state, &detail, &jobs))
    {
      g_string_append (out, first ? "{\"name\": " : ", {\"name\": ");
      initctl_json_string (out, name);
      g_string_append (out, ", \"state\": ");
      initctl_json_string (out, state);
      g_string_append (out, ", \"detail\": ");
      initctl_json_string (out, detail);
      g_string_append (out, ", \"jobs\": ");
      initctl_json_strv (out, jobs);
      g_string_append_c (out, '}');
      g_clear_pointer (&jobs, g_free);
      first = FALSE;
    }
  g_string_append (out, "]\n");
}

int
initctl_cmd_list_sources (Initctl *ctl,
                          char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) sources = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (args[0] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[0]);
  if (!initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  sources = initctl_get_property (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                                  "EventSources", &error);
  if (sources == NULL)
    return initctl_report_error (ctl, error);
  if (ctl->json)
    append_json (out, sources);
  else
    append_text (out, sources);
  initctl_output (ctl, out);
  return INITCTL_EXIT_OK;
}
