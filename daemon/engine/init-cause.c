/* init-cause.c — why something happened */
#define G_LOG_DOMAIN "init-cause"

#include <glib/gi18n.h>

#include "init-cause.h"

InitCause *
init_cause_new (InitCauseKind kind)
{
  InitCause *cause = g_new0 (InitCause, 1);

  cause->kind = kind;
  return cause;
}

InitCause *
init_cause_new_event (guint64     event_id,
                      const char *event_name)
{
  InitCause *cause = init_cause_new (INIT_CAUSE_EVENT);

  cause->event_id = event_id;
  cause->event_name = g_strdup (event_name);
  return cause;
}

InitCause *
init_cause_new_caller (guint32     uid,
                       guint32     pid,
                       const char *command)
{
  InitCause *cause = init_cause_new (INIT_CAUSE_CALLER);

  cause->uid = uid;
  cause->pid = pid;
  cause->command = g_strdup (command);
  return cause;
}

InitCause *
init_cause_copy (const InitCause *cause)
{
  InitCause *copy;

  if (cause == NULL)
    return NULL;
  copy = g_memdup2 (cause, sizeof *cause);
  copy->event_name = g_strdup (cause->event_name);
  copy->command = g_strdup (cause->command);
  return copy;
}

void
init_cause_free (InitCause *cause)
{
  if (cause == NULL)
    return;
  g_free (cause->event_name);
  g_free (cause->command);
  g_free (cause);
}

const char *
init_cause_kind_to_string (InitCauseKind kind)
{
  switch (kind)
    {
    case INIT_CAUSE_EVENT:    return "event";
    case INIT_CAUSE_CALLER:   return "caller";
    case INIT_CAUSE_RESPAWN:  return "respawn";
    case INIT_CAUSE_RELOAD:   return "reload";
    case INIT_CAUSE_STARTUP:  return "startup";
    case INIT_CAUSE_SHUTDOWN: return "shutdown";
    case INIT_CAUSE_PROCESS:  return "process";
    case INIT_CAUSE_NONE:
    default:                  return "none";
    }
}

char *
init_cause_describe (const InitCause *cause)
{
  if (cause == NULL)
    return g_strdup (_("unknown"));

  switch (cause->kind)
    {
    case INIT_CAUSE_EVENT:
      {
        /* The id is formatted apart: a format macro inside _() cannot be translated. */
        g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, cause->event_id);
        return g_strdup_printf (_("event %s (#%s)"),
                                cause->event_name != NULL ? cause->event_name : "?", id);
      }
    case INIT_CAUSE_CALLER:
      return g_strdup_printf (_("uid %u (pid %u, %s)"), cause->uid, cause->pid,
                              cause->command != NULL ? cause->command : "?");
    case INIT_CAUSE_RESPAWN:
      return g_strdup (_("respawn"));
    case INIT_CAUSE_RELOAD:
      return g_strdup (_("configuration reload"));
    case INIT_CAUSE_STARTUP:
      return g_strdup (_("daemon start-up"));
    case INIT_CAUSE_SHUTDOWN:
      return g_strdup (_("daemon shutdown"));
    case INIT_CAUSE_PROCESS:
      return g_strdup (_("process exit"));
    case INIT_CAUSE_NONE:
    default:
      return g_strdup (_("unknown"));
    }
}
