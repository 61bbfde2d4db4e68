/* initctl-why-not.c — why-not: what keeps a job from running (Manager.WhyNot) */
#define G_LOG_DOMAIN "init-cli"

#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-generated.h"
#include "initctl.h"

/* One reason for people.  Unknown kinds (a newer daemon) print as "KIND: SUBJECT DETAIL". */
static void
append_reason (GString    *out,
               const char *kind,
               const char *subject,
               const char *detail)
{
  g_string_append (out, "  ");
  if (g_str_equal (kind, "running"))
    g_string_append_printf (out, _("%s is running"), subject);
  else if (g_str_equal (kind, "starting"))
    g_string_append_printf (out, _("%s is starting (%s)"), subject, detail);
  else if (g_str_equal (kind, "stopping"))
    g_string_append_printf (out, _("%s is stopping (%s)"), subject, detail);
  else if (g_str_equal (kind, "held"))
    g_string_append_printf (out, _("%s is held by %s"), subject, detail);
  else if (g_str_equal (kind, "failed"))
    g_string_append_printf (out, _("%s failed: %s"), subject, detail);
  else if (g_str_equal (kind, "respawn-limit"))
    g_string_append_printf (out, _("%s stopped respawning: %s"), subject, detail);
  else if (g_str_equal (kind, "disabled"))
    g_string_append_printf (out, _("disabled by `manual' in %s"), subject);
  else if (g_str_equal (kind, "manual-only"))
    g_string_append (out, _("it has no `start on': it starts only by hand"));
  else if (g_str_equal (kind, "deleted"))
    g_string_append_printf (out, _("its file %s is gone"), subject);
  else if (g_str_equal (kind, "pending"))
    g_string_append_printf (out, _("a new definition (%s) waits for its instances to stop"),
                            subject);
  else if (g_str_equal (kind, "rejected"))
    g_string_append_printf (out, _("its file %s was rejected: %s"), subject, detail);
  else if (g_str_equal (kind, "stopped") && g_str_equal (subject, "event"))
    g_string_append_printf (out, _("stopped by the event %s"), detail);
  else if (g_str_equal (kind, "stopped"))
    g_string_append_printf (out, _("stopped (cause: %s)"), subject);
  else
    g_string_append_printf (out, "%s: %s %s", kind, subject, detail);
  g_string_append_c (out, '\n');
}

static void
append_producer (GString    *out,
                 const char *producer)
{
  if (g_str_has_prefix (producer, "job:"))
    g_string_append_printf (out, _("the job %s emits it"), producer + strlen ("job:"));
  else if (g_str_has_prefix (producer, "job-event:"))
    g_string_append_printf (out, _("the job %s emits it as it starts and stops"),
                            producer + strlen ("job-event:"));
  else if (g_str_has_prefix (producer, "source:"))
    g_string_append_printf (out, _("the event source %s produces it"),
                            producer + strlen ("source:"));
  else if (g_str_equal (producer, "daemon"))
    g_string_append (out, _("the daemon emits it"));
  else
    g_string_append (out, producer);
}

/* "  LEAF: satisfied by the event NAME (#ID) at TIME" or "  LEAF: missing; …" */
static void
append_leaf (GString           *out,
             const char        *event,
             const char *const *args,
             guint64            id,
             guint64            usec,
             const char *const *producers)
{
  g_autofree char *joined = g_strjoinv (" ", (char **) args);

  g_string_append_printf (out, "  %s%s%s: ", event, args[0] != NULL ? " " : "", joined);
  if (id != 0)
    {
      g_autofree char *hms = initctl_format_usec (usec);
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, id);

      g_string_append_printf (out, _("satisfied by the event #%s at %s\n"), number, hms);
      return;
    }
  g_string_append (out, _("missing; "));
  if (producers[0] == NULL)
    g_string_append (out, _("nothing here produces it"));
  for (guint i = 0; producers[i] != NULL; i++)
    {
      g_string_append (out, i > 0 ? _(" or ") : "");
      append_producer (out, producers[i]);
    }
  g_string_append_c (out, '\n');
}

static void
append_text (GString    *out,
             const char *job,
             GVariant   *reply)
{
  g_autoptr(GVariantIter) reasons = NULL, leaves = NULL;
  g_autofree const char **args = NULL, **producers = NULL;
  const char *start_on, *kind, *subject, *detail, *event;
  guint64 id, usec;

  g_variant_get (reply, "(&sa(sss)a(sasttas))", &start_on, &reasons, &leaves);
  g_string_append_printf (out, "%s:\n", job);
  while (g_variant_iter_next (reasons, "(&s&s&s)", &kind, &subject, &detail))
    append_reason (out, kind, subject, detail);
  if (start_on[0] == '\0')
    return;
  g_string_append_printf (out, _("start on %s:\n"), start_on);
  while (g_variant_iter_next (leaves, "(&s^a&stt^a&s)", &event, &args, &id, &usec, &producers))
    {
      append_leaf (out, event, args, id, usec, producers);
      g_clear_pointer (&args, g_free);
      g_clear_pointer (&producers, g_free);
    }
}

/* {"job": …, "start_on": …, "reasons": [{"kind", "subject", "detail"}…], "leaves":
 * [{"event", "args", "event_id", "time", "producers"}…]} */
static void
append_json (GString    *out,
             const char *job,
             GVariant   *reply)
{
  g_autoptr(GVariantIter) reasons = NULL, leaves = NULL;
  g_autofree const char **args = NULL, **producers = NULL;
  const char *start_on, *kind, *subject, *detail, *event;
  guint64 id, usec;
  const char *sep = "";

  g_variant_get (reply, "(&sa(sss)a(sasttas))", &start_on, &reasons, &leaves);
  g_string_append (out, "{\"job\": ");
  initctl_json_string (out, job);
  g_string_append (out, ", \"start_on\": ");
  initctl_json_string (out, start_on);
  g_string_append (out, ", \"reasons\": [");
  while (g_variant_iter_next (reasons, "(&s&s&s)", &kind, &subject, &detail))
    {
      g_string_append_printf (out, "%s{\"kind\": ", sep);
      initctl_json_string (out, kind);
      g_string_append (out, ", \"subject\": ");
      initctl_json_string (out, subject);
      g_string_append (out, ", \"detail\": ");
      initctl_json_string (out, detail);
      g_string_append_c (out, '}');
      sep = ", ";
    }
  g_string_append (out, "], \"leaves\": [");
  sep = "";
  while (g_variant_iter_next (leaves, "(&s^a&stt^a&s)", &event, &args, &id, &usec, &producers))
    {
      g_string_append_printf (out, "%s{\"event\": ", sep);
      initctl_json_string (out, event);
      g_string_append (out, ", \"args\": ");
      initctl_json_strv (out, args);
      g_string_append_printf (out, ", \"event_id\": %" G_GUINT64_FORMAT ", \"time\": %"
                              G_GUINT64_FORMAT ", \"producers\": ", id, usec);
      initctl_json_strv (out, producers);
      g_string_append_c (out, '}');
      g_clear_pointer (&args, g_free);
      g_clear_pointer (&producers, g_free);
      sep = ", ";
    }
  g_string_append (out, "]}\n");
}

int
initctl_cmd_why_not (Initctl *ctl,
                     char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (args[0] == NULL)
    return initctl_usage_error (ctl, _("missing job name"));
  if (args[1] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[1]);
  if (!initctl_check_utf8 (args, &error) || !initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  reply = initctl_call (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                        "WhyNot", g_variant_new ("(s)", args[0]), INITCTL_CALL_NONE, &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  if (ctl->json)
    append_json (out, args[0], reply);
  else
    append_text (out, args[0], reply);
  initctl_output (ctl, out);
  return INITCTL_EXIT_OK;
}
