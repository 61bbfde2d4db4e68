/* init-event-public.c — an event's public variables, see init-event-public.h */
#include <string.h>

#include "init-event-public.h"

static gboolean
is_job_event (const char *name)
{
  static const char *const names[] = { "starting", "started", "stopping", "stopped" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      return TRUE;
  return FALSE;
}

/* Is "KEY=VALUE" one of the variables the daemon itself gives job events? */
static gboolean
is_job_variable (const char *entry)
{
  static const char *const keys[] = {
    "JOB", "INSTANCE", "RESULT", "PROCESS", "EXIT_STATUS", "EXIT_SIGNAL"
  };
  const char *eq = strchr (entry, '=');

  for (guint i = 0; eq != NULL && i < G_N_ELEMENTS (keys); i++)
    if (strlen (keys[i]) == (gsize) (eq - entry) && strncmp (entry, keys[i], eq - entry) == 0)
      return TRUE;
  return FALSE;
}

GPtrArray *
init_event_public_env (const InitEvent *event)
{
  GPtrArray *env = g_ptr_array_new_with_free_func (g_free);
  gboolean job_event = is_job_event (event->name);

  if (!job_event && (g_str_has_suffix (event->name, "/failed")
                     || (event->cause != NULL && event->cause->kind == INIT_CAUSE_CALLER)))
    return env;
  for (guint i = 0; i < event->env->len; i++)
    {
      const char *entry = g_ptr_array_index (event->env, i);

      if (!job_event || is_job_variable (entry))
        g_ptr_array_add (env, g_strdup (entry));
    }
  return env;
}
