/* init-why.c — the chain of causes behind an instance, read back through the history */
#define G_LOG_DOMAIN "init-engine"

#include <string.h>

#include "init-event-operator.h"
#include "init-why.h"

/* What a search through the history looks for. */
typedef struct
{
  const char *kind;        /* the record's kind */
  const char *job;         /* with "job-goal" and "process-exited": its job and instance */
  const char *instance;
  guint64     event_id;    /* with "event-queued": its event id */
} Wanted;

static gboolean
details_name_instance (GVariant   *details,
                       const char *job,
                       const char *instance)
{
  const char *j, *i;

  return g_variant_lookup (details, "job", "&s", &j) && g_str_equal (j, job)
         && g_variant_lookup (details, "instance", "&s", &i) && g_str_equal (i, instance);
}

static gboolean
match_wanted (GVariant *record,
              gpointer  user_data)
{
  const Wanted *w = user_data;
  g_autoptr(GVariant) details = NULL;
  const char *kind;
  guint64 id;

  g_variant_get_child (record, 2, "&s", &kind);
  if (!g_str_equal (kind, w->kind))
    return FALSE;
  details = g_variant_get_child_value (record, 4);
  if (w->event_id != 0)
    return g_variant_lookup (details, "event-id", "t", &id) && id == w->event_id;
  return details_name_instance (details, w->job, w->instance);
}

static guint64
record_id (GVariant *record)
{
  guint64 id;

  g_variant_get_child (record, 0, "t", &id);
  return id;
}

/* The newest record of @kind ("job-goal", "process-exited") of @job's instance @instance
 * before @record, or NULL. */
static GVariant *
instance_before (InitHistory *history,
                 GVariant    *record,
                 const char  *kind,
                 const char  *job,
                 const char  *instance)
{
  Wanted w = { kind, job, instance, 0 };

  return init_history_find_last (history, record_id (record), match_wanted, &w);
}

/* The event that @details' cause names, queued before @record, or NULL. */
static GVariant *
cause_event (InitHistory *history,
             GVariant    *record,
             GVariant    *details)
{
  Wanted w = { "event-queued", NULL, NULL, 0 };
  const char *cause;

  if (!g_variant_lookup (details, "cause", "&s", &cause) || !g_str_equal (cause, "event")
      || !g_variant_lookup (details, "cause-event-id", "t", &w.event_id) || w.event_id == 0)
    return NULL;
  return init_history_find_last (history, record_id (record), match_wanted, &w);
}

/* A job event's JOB and INSTANCE from its environment; FALSE for any other event. */
static gboolean
job_event_origin (const char  *name,
                  GVariant    *details,
                  const char **job,
                  const char **instance)
{
  g_autofree const char **env = NULL;

  *job = NULL;
  *instance = "";
  if (!init_event_name_is_job_event (name) || !g_variant_lookup (details, "env", "^a&s", &env))
    return FALSE;
  for (guint i = 0; env[i] != NULL; i++)
    if (g_str_has_prefix (env[i], "JOB="))
      *job = env[i] + strlen ("JOB=");
    else if (g_str_has_prefix (env[i], "INSTANCE="))
      *instance = env[i] + strlen ("INSTANCE=");
  return *job != NULL;
}

/* The record that explains @record, or NULL where the chain ends. */
static GVariant *
next_link (InitHistory *history,
           GVariant    *record)
{
  g_autoptr(GVariant) details = g_variant_get_child_value (record, 4);
  const char *kind, *subject, *cause = "none", *job = "", *instance = "";
  const char *origin_job, *origin_instance;

  g_variant_get_child (record, 2, "&s", &kind);
  g_variant_get_child (record, 3, "&s", &subject);
  g_variant_lookup (details, "cause", "&s", &cause);
  g_variant_lookup (details, "job", "&s", &job);
  g_variant_lookup (details, "instance", "&s", &instance);
  if (g_str_equal (kind, "process-exited"))
    return instance_before (history, record, "job-goal", job, instance);
  if (g_str_equal (kind, "job-goal"))
    {
      /* a process that ended (and failed, or was the main one) moved the goal: that exit,
       * then what had started the instance */
      if (g_str_equal (cause, "process"))
        return instance_before (history, record, "process-exited", job, instance);
      return cause_event (history, record, details);
    }
  /* an event: the job that emitted it, else the event that caused it */
  if (job_event_origin (subject, details, &origin_job, &origin_instance))
    {
      GVariant *goal = instance_before (history, record, "job-goal", origin_job, origin_instance);

      if (goal != NULL)
        return goal;
    }
  return cause_event (history, record, details);
}

GPtrArray *
init_why (InitHistory *history,
          const char  *job,
          const char  *instance)
{
  GPtrArray *chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  Wanted first = { "job-goal", job, instance, 0 };
  GVariant *record;

  g_return_val_if_fail (INIT_IS_HISTORY (history), chain);
  g_return_val_if_fail (job != NULL && instance != NULL, chain);

  record = init_history_find_last (history, 0, match_wanted, &first);
  while (record != NULL && chain->len < INIT_WHY_MAX_LINKS)
    {
      g_ptr_array_add (chain, record);
      record = next_link (history, record);
    }
  g_clear_pointer (&record, g_variant_unref);
  return chain;
}
