/* init-why-not.c — what keeps a job from running: its instances, its state of configuration,
 * and its `start on' leaves with what could satisfy the missing ones */
#define G_LOG_DOMAIN "init-engine"

#include <fnmatch.h>
#include <glib/gi18n.h>
#include <string.h>

#include "config/init-conf-enable.h"
#include "init-error.h"
#include "init-event-operator.h"
#include "init-sources.h"
#include "init-why.h"


static void
reason_free (InitWhyNotReason *reason)
{
  g_free (reason->subject);
  g_free (reason->detail);
  g_free (reason);
}

static void
leaf_free (InitWhyNotLeaf *leaf)
{
  g_free (leaf->event);
  g_strfreev (leaf->args);
  g_strfreev (leaf->producers);
  g_free (leaf);
}

void
init_why_not_free (InitWhyNot *why_not)
{
  if (why_not == NULL)
    return;
  g_free (why_not->start_on);
  g_ptr_array_unref (why_not->reasons);
  g_ptr_array_unref (why_not->leaves);
  g_free (why_not);
}

static void
add_reason (InitWhyNot *why_not,
            const char *kind,
            const char *subject,
            const char *detail)
{
  InitWhyNotReason *reason = g_new0 (InitWhyNotReason, 1);

  reason->kind = kind;
  reason->subject = g_strdup (subject != NULL ? subject : "");
  reason->detail = g_strdup (detail != NULL ? detail : "");
  g_ptr_array_add (why_not->reasons, reason);
}

/* ---- the history: records by kind and subject ---- */

enum { EXACTLY, BY_SUFFIX, BY_JOB };

typedef struct
{
  const char *const *kinds;   /* any of these */
  const char        *subject; /* exactly, or (@how) ending in it, or a job's instances */
  int                how;
  guint64            event_id; /* with "event-queued": this event */
} Wanted;

static gboolean
match_wanted (GVariant *record,
              gpointer  user_data)
{
  const Wanted *w = user_data;
  const char *kind, *subject;
  guint64 id = 0;

  g_variant_get_child (record, 2, "&s", &kind);
  if (!g_strv_contains (w->kinds, kind))
    return FALSE;
  if (w->event_id != 0)
    {
      g_autoptr(GVariant) details = g_variant_get_child_value (record, 4);

      return g_variant_lookup (details, "event-id", "t", &id) && id == w->event_id;
    }
  g_variant_get_child (record, 3, "&s", &subject);
  switch (w->how)
    {
    case BY_SUFFIX:
      return g_str_has_suffix (subject, w->subject);
    case BY_JOB:
      /* a job's records are "NAME" or "NAME (INSTANCE)" */
      return g_str_has_prefix (subject, w->subject)
             && (subject[strlen (w->subject)] == '\0'
                 || g_str_has_prefix (subject + strlen (w->subject), " ("));
    default:
      return g_str_equal (subject, w->subject);
    }
}

static GVariant *
find_last (InitHistory       *history,
           const char *const *kinds,
           const char        *subject,
           int                how,
           guint64            event_id)
{
  Wanted w = { kinds, subject, how, event_id };

  return init_history_find_last (history, 0, match_wanted, &w);
}

static guint64
record_id (GVariant *record)
{
  guint64 id = 0;

  if (record != NULL)
    g_variant_get_child (record, 0, "t", &id);
  return id;
}

/* A config-error record newer than the job's last definition: its newest file was rejected
 * (and the definition before it, if any, stays in force). */
static void
check_rejected (InitWhyNot  *why_not,
                InitHistory *history,
                const char  *name,
                InitJob     *job)
{
  static const char *const errors[] = { "config-error", NULL };
  static const char *const loaded[] = { "job-added", "job-changed", NULL };
  g_autofree char *file = g_strconcat ("/", name, ".conf", NULL);
  g_autoptr(GVariant) error = NULL, definition = NULL;
  g_autoptr(GVariant) details = NULL;
  const char *path, *reason = "";

  if (job != NULL && job->klass->path != NULL)
    error = find_last (history, errors, job->klass->path, EXACTLY, 0);
  else
    error = find_last (history, errors, file, BY_SUFFIX, 0);
  if (error == NULL)
    return;
  definition = find_last (history, loaded, name, EXACTLY, 0);
  if (record_id (definition) > record_id (error))
    return;
  details = g_variant_get_child_value (error, 4);
  g_variant_get_child (error, 3, "&s", &path);
  g_variant_lookup (details, "reason", "&s", &reason);
  add_reason (why_not, "rejected", path, reason);
}

/* How the job's last instance was stopped, when nothing runs: "event" with the event's
 * name and id, or the kind of cause ("caller", "shutdown"…); no caller's identity. */
static void
check_stopped (InitWhyNot  *why_not,
               InitHistory *history,
               const char  *name)
{
  static const char *const goals[] = { "job-goal", NULL };
  g_autoptr(GVariant) record = NULL, details = NULL;
  const char *goal = "", *cause = "none", *event = "";
  guint64 event_id = 0;

  record = find_last (history, goals, name, BY_JOB, 0);
  if (record == NULL)
    return;
  details = g_variant_get_child_value (record, 4);
  g_variant_lookup (details, "goal", "&s", &goal);
  if (!g_str_equal (goal, "stop"))
    return;
  g_variant_lookup (details, "cause", "&s", &cause);
  if (g_variant_lookup (details, "cause-event", "&s", &event)
      && g_variant_lookup (details, "cause-event-id", "t", &event_id))
    {
      g_autofree char *detail = g_strdup_printf ("%s (#%" G_GUINT64_FORMAT ")", event, event_id);

      add_reason (why_not, "stopped", cause, detail);
    }
  else
    add_reason (why_not, "stopped", cause, "");
}

/* ---- instances ---- */

static gboolean
holds (InitInstance *other,
       InitEvent    *event)
{
  for (guint i = 0; other->blocking != NULL && i < other->blocking->len; i++)
    if (g_ptr_array_index (other->blocking, i) == event)
      return TRUE;
  return FALSE;
}

static gboolean
latched (const InitEventOperator *op,
         InitEvent               *event)
{
  g_autoptr(GPtrArray) nodes = init_event_operator_postfix (op);

  for (guint i = 0; i < nodes->len; i++)
    if (((InitEventOperator *) g_ptr_array_index (nodes, i))->event == event)
      return TRUE;
  return FALSE;
}

/* Who holds @instance's own starting/stopping event: instances it started that are not done
 * yet, and jobs whose `start on' latched it while they wait for the rest of it. */
static void
add_holders (InitWhyNot   *why_not,
             InitEngine   *engine,
             InitInstance *instance,
             const char   *display)
{
  g_autoptr(GPtrArray) jobs = init_engine_list (engine);
  InitEvent *event = instance->blocker;

  for (guint i = 0; event != NULL && i < jobs->len; i++)
    {
      InitJob *job = g_ptr_array_index (jobs, i);
      GHashTableIter iter;
      gpointer value;

      if (job->start_on != NULL && latched (job->start_on, event))
        add_reason (why_not, "held", display, job->name);
      g_hash_table_iter_init (&iter, job->instances);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (holds (value, event))
          {
            g_autofree char *holder = init_instance_display_name (value);

            add_reason (why_not, "held", display, holder);
          }
    }
}

static void
check_instance (InitWhyNot   *why_not,
                InitEngine   *engine,
                InitInstance *instance)
{
  g_autofree char *display = init_instance_display_name (instance);
  const char *state = init_state_to_string (instance->state);

  if (instance->failed)
    {
      g_autofree char *reason = init_instance_failure_reason (instance);

      add_reason (why_not, instance->failed_process == INIT_PROCESS_NONE && !instance->failed_reason
                  ? "respawn-limit" : "failed", display, reason);
    }
  if (instance->goal == INIT_GOAL_STOP)
    {
      if (instance->state != INIT_STATE_WAITING)
        add_reason (why_not, "stopping", display, state);
      if (instance->state == INIT_STATE_STOPPING)
        add_holders (why_not, engine, instance, display);
      return;
    }
  if (instance->state == INIT_STATE_RUNNING)
    add_reason (why_not, "running", display, state);
  else
    add_reason (why_not, "starting", display, state);
  if (instance->state == INIT_STATE_STARTING)
    add_holders (why_not, engine, instance, display);
}

/* ---- start on ---- */

static char **
find_producers (InitEngine              *engine,
                InitSources             *sources,
                const InitEventOperator *leaf)
{
  GPtrArray *builder = g_ptr_array_new ();
  g_autoptr(GPtrArray) jobs = init_engine_list (engine);
  g_autoptr(GPtrArray) list = sources != NULL ? init_sources_list (sources) : NULL;
  const char *job;

  for (guint i = 0; i < jobs->len; i++)
    {
      InitJob *entry = g_ptr_array_index (jobs, i);
      GPtrArray *emits = entry->klass->emits;

      for (guint j = 0; j < emits->len; j++)
        if (fnmatch (g_ptr_array_index (emits, j), leaf->name, 0) == 0)
          {
            g_ptr_array_add (builder, g_strconcat ("job:", entry->name, NULL));
            break;
          }
    }
  if (init_event_name_is_job_event (leaf->name))
    {
      job = init_event_operator_leaf_job (leaf);
      if (job == NULL || strpbrk (job, "*?[$") != NULL)
        g_ptr_array_add (builder, g_strdup ("daemon"));
      else if (init_engine_lookup (engine, job) != NULL)
        g_ptr_array_add (builder, g_strconcat ("job-event:", job, NULL));
    }
  for (guint i = 0; list != NULL && i < list->len; i++)
    if (init_source_serves (g_ptr_array_index (list, i), leaf->name))
      g_ptr_array_add (builder, g_strconcat ("source:",
                                             ((InitSource *) g_ptr_array_index (list, i))->name,
                                             NULL));
  if (g_str_equal (leaf->name, "startup") || g_str_has_suffix (leaf->name, "/failed"))
    g_ptr_array_add (builder, g_strdup ("daemon"));
  g_ptr_array_add (builder, NULL);
  return (char **) g_ptr_array_free (builder, FALSE);
}

static void
add_leaves (InitWhyNot  *why_not,
            InitEngine  *engine,
            InitHistory *history,
            InitSources *sources,
            InitJob     *job)
{
  static const char *const queued[] = { "event-queued", NULL };
  const InitEventOperator *tree = job->start_on != NULL ? job->start_on : job->klass->start_on;
  g_autoptr(GPtrArray) nodes = init_event_operator_postfix (tree);

  why_not->start_on = tree != NULL ? init_event_operator_to_string (tree) : g_strdup ("");
  for (guint i = 0; i < nodes->len; i++)
    {
      const InitEventOperator *node = g_ptr_array_index (nodes, i);
      InitWhyNotLeaf *leaf;

      if (node->type != INIT_EVENT_OPERATOR_MATCH)
        continue;
      leaf = g_new0 (InitWhyNotLeaf, 1);
      leaf->event = g_strdup (node->name);
      leaf->args = g_strdupv (node->args);
      if (node->event != NULL)
        {
          g_autoptr(GVariant) record = find_last (history, queued, NULL, EXACTLY, node->event->id);

          leaf->event_id = node->event->id;
          if (record != NULL)
            g_variant_get_child (record, 1, "t", &leaf->time);
          leaf->producers = g_new0 (char *, 1);
        }
      else
        leaf->producers = find_producers (engine, sources, node);
      g_ptr_array_add (why_not->leaves, leaf);
    }
}

/* ---- the answer ---- */

static void
check_job (InitWhyNot  *why_not,
           InitEngine  *engine,
           InitHistory *history,
           InitJob     *job)
{
  GHashTableIter iter;
  gpointer value;
  gboolean active = FALSE;

  g_hash_table_iter_init (&iter, job->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      check_instance (why_not, engine, value);
      active = TRUE;
    }
  if (job->deleted)
    add_reason (why_not, "deleted", job->klass->path, "");
  if (!init_conf_is_enabled (job->pending != NULL ? job->pending : job->klass))
    add_reason (why_not, "disabled", job->klass->override_path != NULL
                ? job->klass->override_path : job->klass->path, "");
  else if (job->klass->start_on == NULL)
    add_reason (why_not, "manual-only", job->name, "");
  if (job->pending != NULL)
    add_reason (why_not, "pending", job->pending->path, "");
  if (!active)
    check_stopped (why_not, history, job->name);
}

InitWhyNot *
init_why_not (InitEngine  *engine,
              InitHistory *history,
              InitSources *sources,
              const char  *name,
              GError     **error)
{
  g_autoptr(InitWhyNot) why_not = g_new0 (InitWhyNot, 1);
  InitJob *job;

  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (INIT_IS_HISTORY (history), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  why_not->reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) reason_free);
  why_not->leaves = g_ptr_array_new_with_free_func ((GDestroyNotify) leaf_free);
  job = init_engine_lookup (engine, name);
  if (job != NULL)
    check_job (why_not, engine, history, job);
  check_rejected (why_not, history, name, job);
  if (job == NULL && why_not->reasons->len == 0)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB, _("Unknown job: %s"), name);
      return NULL;
    }
  if (job != NULL)
    add_leaves (why_not, engine, history, sources, job);
  else
    why_not->start_on = g_strdup ("");
  return g_steal_pointer (&why_not);
}
