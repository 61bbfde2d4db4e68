/* init-engine-dispatch.c — events reaching jobs: the index of event names, `start on` trees
 * (latched only while needed), and an event starting or stopping instances (§3.7, §3.8) */
#define G_LOG_DOMAIN "init-engine"

#include <glib/gi18n.h>

#include "init-engine-internal.h"
#include "init-env.h"
#include "init-error.h"

static void
add_operator_names (const InitEventOperator *op,
                    GHashTable              *names)
{
  if (op != NULL)
    init_event_operator_collect_names (op, names);
}

/* Keep each index list in load order, so events visit jobs in a stable order without
 * sorting on every event. */
static void
index_list_insert (GPtrArray *list,
                   InitJob   *entry)
{
  guint lo = 0, hi = list->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (((InitJob *) g_ptr_array_index (list, mid))->order < entry->order)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_ptr_array_insert (list, (gint) lo, entry);
}

/* Index the entry under every event name its trees (current class, pending class and the
 * classes its instances run) mention, so an event costs nothing for jobs that don't name it. */
void
init_engine_reindex_job (InitEngine *engine,
                         InitJob    *entry)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer value;
  const char *name;
  guint n = 0;

  for (guint i = 0; entry->index_names != NULL && entry->index_names[i] != NULL; i++)
    {
      GPtrArray *list = g_hash_table_lookup (engine->index, entry->index_names[i]);
      if (list != NULL)
        g_ptr_array_remove (list, entry);
    }
  g_clear_pointer (&entry->index_names, g_free);
  if (entry->engine == NULL)
    return;

  add_operator_names (entry->klass->start_on, names);
  add_operator_names (entry->klass->stop_on, names);
  if (entry->pending != NULL)
    add_operator_names (entry->pending->stop_on, names);
  g_hash_table_iter_init (&iter, entry->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    add_operator_names (((InitInstance *) value)->klass->stop_on, names);

  /* Event names repeat across jobs ("startup", "started"…): intern them once. */
  entry->index_names = g_new0 (const char *, g_hash_table_size (names) + 1);
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      const char *interned = g_intern_string (name);
      GPtrArray *list = g_hash_table_lookup (engine->index, interned);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (engine->index, (gpointer) interned, list);
        }
      index_list_insert (list, entry);
      entry->index_names[n++] = interned;
    }
}

static void
collect_latched (InitEventOperator *op,
                 GPtrArray         *events)
{
  if (op == NULL)
    return;
  if (op->type == INIT_EVENT_OPERATOR_MATCH)
    {
      if (op->value && op->event != NULL)
        g_ptr_array_add (events, init_event_ref (op->event));
      return;
    }
  collect_latched (op->left, events);
  collect_latched (op->right, events);
}

static gboolean
tree_has_matching_leaf (const InitEventOperator *op,
                        const InitEvent         *event,
                        GPtrArray               *env)
{
  if (op == NULL)
    return FALSE;
  if (op->type == INIT_EVENT_OPERATOR_MATCH)
    return init_event_operator_match (op, event, env);
  return tree_has_matching_leaf (op->left, event, env)
         || tree_has_matching_leaf (op->right, event, env);
}

static gboolean
tree_is_latched (const InitEventOperator *op)
{
  if (op == NULL)
    return FALSE;
  if (op->type == INIT_EVENT_OPERATOR_MATCH)
    return op->value;
  return tree_is_latched (op->left) || tree_is_latched (op->right);
}

/* Feed @event to the entry's `start on`.  The runtime copy of the tree only exists while some
 * leaf is latched: most jobs wait with nothing latched, and share their class's tree. */
static gboolean
entry_handle_start_on (InitJob   *entry,
                       InitEvent *event)
{
  GPtrArray *env;

  if (entry->klass->start_on == NULL)
    return FALSE;
  env = init_job_get_class_env (entry);
  if (entry->start_on == NULL)
    {
      if (!tree_has_matching_leaf (entry->klass->start_on, event, env))
        return FALSE;
      entry->start_on = init_event_operator_copy (entry->klass->start_on);
    }
  if (!init_event_operator_handle (entry->start_on, event, env))
    return FALSE;
  return entry->start_on->value;
}

/* Drop the runtime tree once nothing is latched in it. */
static void
entry_release_start_on (InitJob *entry)
{
  if (entry->start_on != NULL && !tree_is_latched (entry->start_on))
    g_clear_pointer (&entry->start_on, init_event_operator_free);
}

/* Make @klass the entry's current class, carrying latched `start on` leaves over by matching
 * the events they hold against the new tree (reference §2.4). */
void
init_job_take_class (InitJob      *entry,
                     InitJobClass *klass)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) init_event_unref);
  InitEventOperator *old = entry->start_on;

  collect_latched (old, held);
  init_job_class_ref (klass);
  init_job_class_unref (entry->klass);
  entry->klass = klass;
  g_clear_pointer (&entry->class_env, g_ptr_array_unref);
  entry->start_on = NULL;
  for (guint i = 0; klass->start_on != NULL && i < held->len; i++)
    {
      InitEvent *event = g_ptr_array_index (held, i);
      if (event->progress != INIT_EVENT_FINISHED)
        entry_handle_start_on (entry, event);
    }
  init_event_operator_free (old);
}

/* `start on` became true: create or restart the instance it names (reference §3.7, §3.8). */
static void
entry_induct (InitJob   *entry,
              InitEvent *event)
{
  InitEngine *engine = entry->engine;
  g_autoptr(GPtrArray) env = init_env_copy (init_job_get_class_env (entry));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  InitInstance *job;

  init_event_operator_environment (entry->start_on, env, "UPSTART_EVENTS");
  name = init_job_instance_name (entry, env, FALSE, &error);
  if (name == NULL)
    {
      /* Only this job misses the event (DESIGN §2.4); the others still see it. */
      g_warning (_("Failed to obtain %s instance: %s"), entry->name, error->message);
      init_event_operator_reset (entry->start_on);
      entry_release_start_on (entry);
      return;
    }

  job = g_hash_table_lookup (entry->instances, name);
  if (job == NULL)
    job = init_job_add_instance (entry, name);

  if (job->goal != INIT_GOAL_START && !engine->shutting_down)
    {
      init_instance_goal_from_event (job, INIT_GOAL_START, env, entry->start_on, event);
      entry_release_start_on (entry);
      return;
    }
  init_event_operator_reset (entry->start_on);
  entry_release_start_on (entry);
  /* A freshly created instance that we did not start (shutting down) goes away again. */
  if (job->goal == INIT_GOAL_STOP && job->state == INIT_STATE_WAITING)
    init_engine_instance_finished (engine, job);
}

void
init_engine_handle_event (InitEventQueue *queue,
                          InitEvent      *event,
                          gpointer        user_data)
{
  InitEngine *engine = user_data;
  GPtrArray *list = g_hash_table_lookup (engine->index, event->name);
  g_autoptr(GPtrArray) entries = NULL;

  if (list == NULL || list->len == 0)
    return;

  /* Jobs may come and go while we work: walk a snapshot. */
  entries = g_ptr_array_new_full (list->len, (GDestroyNotify) init_job_unref);
  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (entries, init_job_ref (g_ptr_array_index (list, i)));
  for (guint i = 0; i < entries->len; i++)
    {
      InitJob *entry = g_ptr_array_index (entries, i);
      GHashTableIter iter;
      gpointer value;
      g_autoptr(GPtrArray) jobs = NULL;

      if (entry->engine == NULL)
        continue;

      /* `stop on` first, so an event in both expressions restarts a running job (§3.8). */
      jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) init_instance_unref);
      g_hash_table_iter_init (&iter, entry->instances);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (jobs, init_instance_ref (value));
      for (guint j = 0; j < jobs->len; j++)
        {
          InitInstance *job = g_ptr_array_index (jobs, j);
          if (!job->removed)
            init_instance_handle_stop_on (job, event);
        }

      if (entry->engine != NULL && !entry->deleted && entry_handle_start_on (entry, event))
        entry_induct (entry, event);
    }
}
