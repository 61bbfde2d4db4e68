/* initctl-why.c — why and why-not: the chain of causes behind an instance, and what keeps a
 * job from running (Manager.Why, Manager.WhyNot) */
#define G_LOG_DOMAIN "init-cli"

#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-generated.h"
#include "initctl.h"

char *
initctl_format_usec (guint64 usec)
{
  g_autoptr(GDateTime) t = NULL;
  g_autofree char *hms = NULL;

  if (usec == 0 || (t = g_date_time_new_from_unix_local ((gint64) (usec / G_USEC_PER_SEC))) == NULL)
    return g_strdup ("?");
  hms = g_date_time_format (t, "%H:%M:%S");
  return g_strdup_printf ("%s.%03u", hms, (guint) (usec % G_USEC_PER_SEC / 1000));
}

static const char *
lookup_str (GVariant   *details,
            const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (details, key, "&s", &value))
    return "";
  return value;
}

/* ", because of event NAME (#ID)", ", asked by uid U (pid P, PROGRAM)"…: what a record's
 * cause keys say, for people. */
static void
append_cause (GString  *out,
              GVariant *details)
{
  const char *cause = lookup_str (details, "cause");
  guint32 uid, pid;
  guint64 id;

  if (g_str_equal (cause, "event") && g_variant_lookup (details, "cause-event-id", "t", &id))
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, id);

      /* TRANSLATORS: the event's name and its number */
      g_string_append_printf (out, _(", because of the event %s (#%s)"),
                              lookup_str (details, "cause-event"), number);
    }
  else if (g_str_equal (cause, "caller") && g_variant_lookup (details, "caller-uid", "u", &uid)
           && g_variant_lookup (details, "caller-pid", "u", &pid))
    g_string_append_printf (out, _(", asked by uid %u (pid %u, %s)"), uid, pid,
                            lookup_str (details, "caller-command"));
  else if (g_str_equal (cause, "caller"))
    g_string_append (out, _(", asked by a client"));
  else if (g_str_equal (cause, "startup"))
    g_string_append (out, _(", by the daemon at start-up"));
  else if (g_str_equal (cause, "reload"))
    g_string_append (out, _(", by a configuration reload"));
  else if (g_str_equal (cause, "shutdown"))
    g_string_append (out, _(", by the daemon shutting down"));
  else if (g_str_equal (cause, "process"))
    g_string_append (out, _(", because a process ended"));
  else if (g_str_equal (cause, "respawn"))
    g_string_append (out, _(", to respawn it"));
  else if (g_str_equal (cause, "none"))
    g_string_append (out, _(", from outside (an event source or the daemon)"));
}

/* One line per record: "TIME  WHAT, CAUSE". */
static void
append_link (GString  *out,
             GVariant *record)
{
  g_autoptr(GVariant) details = g_variant_get_child_value (record, 4);
  g_autofree char *time = NULL;
  const char *kind, *subject;
  guint64 stamp, id = 0;
  gint32 status, pid = 0;

  g_variant_get (record, "(tt&s&s@a{sv})", NULL, &stamp, &kind, &subject, NULL);
  time = initctl_format_usec (stamp);
  g_string_append_printf (out, "%s  ", time);
  if (g_str_equal (kind, "job-goal"))
    g_string_append_printf (out, _("%s: goal %s"), subject, lookup_str (details, "goal"));
  else if (g_str_equal (kind, "process-exited"))
    {
      g_variant_lookup (details, "pid", "i", &pid);
      g_string_append_printf (out, _("%s: %s process (%d) ended"), subject,
                              lookup_str (details, "process"), pid);
      if (g_variant_lookup (details, "status", "i", &status))
        g_string_append_printf (out, _(" with status %d"), status);
      else if (g_variant_lookup (details, "signal", "&s", NULL))
        g_string_append_printf (out, _(" by signal %s"), lookup_str (details, "signal"));
    }
  else
    {
      g_autofree char *number = NULL;

      g_variant_lookup (details, "event-id", "t", &id);
      number = g_strdup_printf ("%" G_GUINT64_FORMAT, id);
      g_string_append_printf (out, _("event %s (#%s)"), subject, number);
    }
  append_cause (out, details);
  g_string_append_c (out, '\n');
}

/* A detail's value as JSON: strings, numbers, booleans, string arrays. */
static void
append_json_value (GString  *out,
                   GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    initctl_json_string (out, g_variant_get_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
    {
      g_autofree const char **strv = g_variant_get_strv (value, NULL);

      initctl_json_strv (out, strv);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    g_string_append_printf (out, "%u", g_variant_get_uint32 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    g_string_append_printf (out, "%d", g_variant_get_int32 (value));
  else
    g_string_append (out, "null");
}

/* {"id": …, "time": …, "kind": …, "subject": …, "details": {…}} */
static void
append_link_json (GString  *out,
                  GVariant *record)
{
  g_autoptr(GVariant) details = NULL;
  GVariantIter iter;
  const char *kind, *subject, *key;
  guint64 id, stamp;
  GVariant *value;
  gboolean first = TRUE;

  g_variant_get (record, "(tt&s&s@a{sv})", &id, &stamp, &kind, &subject, &details);
  g_string_append_printf (out, "{\"id\": %" G_GUINT64_FORMAT ", \"time\": %" G_GUINT64_FORMAT
                          ", \"kind\": ", id, stamp);
  initctl_json_string (out, kind);
  g_string_append (out, ", \"subject\": ");
  initctl_json_string (out, subject);
  g_string_append (out, ", \"details\": {");
  g_variant_iter_init (&iter, details);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_string_append (out, first ? "" : ", ");
      initctl_json_string (out, key);
      g_string_append (out, ": ");
      append_json_value (out, value);
      g_variant_unref (value);
      first = FALSE;
    }
  g_string_append (out, "}}");
}

int
initctl_cmd_why (Initctl *ctl,
                 char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL, chain = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (args[0] == NULL)
    return initctl_usage_error (ctl, _("missing job name"));
  if (!initctl_check_utf8 (args, &error) || !initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  reply = initctl_call (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (), "Why",
                        g_variant_new ("(s^as)", args[0], args + 1), INITCTL_CALL_NONE, &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  chain = g_variant_get_child_value (reply, 0);
  if (ctl->json)
    g_string_append_c (out, '[');
  for (gsize i = 0; i < g_variant_n_children (chain); i++)
    {
      g_autoptr(GVariant) record = g_variant_get_child_value (chain, i);

      if (ctl->json)
        {
          g_string_append (out, i > 0 ? ", " : "");
          append_link_json (out, record);
        }
      else
        append_link (out, record);
    }
  if (ctl->json)
    g_string_append (out, "]\n");
  else if (g_variant_n_children (chain) == 0)
    g_string_append_printf (out, _("%s: nothing in the history says why\n"), args[0]);
  initctl_output (ctl, out);
  return INITCTL_EXIT_OK;
}
