/* init-engine.c — the job engine: entries, instances, events, configuration */
#define G_LOG_DOMAIN "init-engine"

#include <glib/gi18n.h>

#include "init-conf.h"
#include "init-engine-private.h"
#include "init-env.h"
#include "init-error.h"
#include "init-event-operator.h"
#include "init-proc-tracker.h"
#include "init-reaper.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* Grace added to the largest kill timeout before shutdown gives up waiting. */
#define SHUTDOWN_MARGIN_SECONDS 2

struct _InitEngine
{
  GObject            parent_instance;

  InitEngineOptions  options;
  InitEventQueue    *queue;
  InitConf          *conf;
  GHashTable        *entries;      /* name -> InitJob* (owned ref) */
  GHashTable        *index;        /* event name -> GPtrArray of InitJob* (borrowed) */
  GPtrArray         *global_env;
  GPtrArray         *causes;       /* InitCause* stack pushed by callers */
  guint              next_order;
  guint              n_instances;

  gboolean           shutting_down;
  GFunc              shutdown_done;
  gpointer           shutdown_data;
  guint              shutdown_timer;

  InitProcTracker   *tracker;      /* every process of every instance */
  guint              orphan_hook;  /* reaper hook for re-parented strays */
  guint              n_polling;    /* instances waiting for what only polling /proc notices in time */
};

enum
{
  SIGNAL_JOB_ADDED,
  SIGNAL_JOB_CHANGED,
  SIGNAL_JOB_REMOVED,
  SIGNAL_INSTANCE_ADDED,
  SIGNAL_INSTANCE_CHANGED,
  SIGNAL_INSTANCE_REMOVED,
  SIGNAL_EVENT_QUEUED,
  SIGNAL_EVENT_FINISHED,
  SIGNAL_CONFIG_ERROR,
  SIGNAL_CONFIG_ERRORS_CHANGED,
  SIGNAL_PROCESS_EXITED,
  SIGNAL_IDLE,
  SIGNAL_PROCESS_TRACKING_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (InitEngine, init_engine, G_TYPE_OBJECT)

/* ---- entries ---- */

InitJob *
init_job_ref (InitJob *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  entry->ref_count++;
  return entry;
}

void
init_job_unref (InitJob *entry)
{
  if (entry == NULL || --entry->ref_count > 0)
    return;
  g_hash_table_unref (entry->instances);
  init_event_operator_free (entry->start_on);
  g_clear_pointer (&entry->class_env, g_ptr_array_unref);
  g_free (entry->index_names);
  g_clear_pointer (&entry->pending, init_job_class_unref);
  init_job_class_unref (entry->klass);
  g_free (entry->name);
  g_free (entry);
}

GPtrArray *
init_job_get_class_env (InitJob *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  if (entry->class_env == NULL)
    {
      GPtrArray *global = entry->engine != NULL ? entry->engine->global_env : NULL;

      entry->class_env = init_env_copy (global);
      for (guint i = 0; entry->klass->env != NULL && i < entry->klass->env->len; i++)
        init_env_add (entry->class_env, g_ptr_array_index (entry->klass->env, i), TRUE);
    }
  return entry->class_env;
}

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
index_list_insert (GPtrArray    *list,
                   InitJob *entry)
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
static void
engine_reindex (InitEngine   *engine,
                InitJob *entry)
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
entry_handle_start_on (InitJob *entry,
                       InitEvent    *event)
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
static void
entry_set_class (InitJob *entry,
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

/* Most jobs have no instance most of the time: they all share one empty (never written)
 * table, and an entry gets its own when its first instance appears. */
static GHashTable *
shared_empty_instances (void)
{
  static GHashTable *empty;

  if (g_once_init_enter (&empty))
    g_once_init_leave (&empty, g_hash_table_new (g_str_hash, g_str_equal));
  return g_hash_table_ref (empty);
}

static GHashTable *
entry_writable_instances (InitJob *entry)
{
  if (g_hash_table_size (entry->instances) == 0)
    {
      g_hash_table_unref (entry->instances);
      entry->instances = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                (GDestroyNotify) init_instance_unref);
    }
  return entry->instances;
}

static InitJob *
entry_new (InitEngine   *engine,
           const char   *name,
           InitJobClass *klass)
{
  InitJob *entry = g_new0 (InitJob, 1);

  entry->ref_count = 1;
  entry->engine = engine;
  entry->name = g_strdup (name);
  entry->klass = init_job_class_ref (klass);
  entry->instances = shared_empty_instances ();
  entry->order = engine->next_order++;
  return entry;
}

static void
engine_remove_entry (InitEngine   *engine,
                     InitJob *entry)
{
  g_autoptr(InitJob) hold = init_job_ref (entry);

  g_info ("Job %s removed", entry->name);
  entry->engine = NULL;
  engine_reindex (engine, entry);
  g_hash_table_remove (engine->entries, entry->name);
  g_signal_emit (engine, signals[SIGNAL_JOB_REMOVED], 0, entry);
}

void
init_engine_set_class (InitEngine   *engine,
                       const char   *name,
                       InitJobClass *klass)
{
  InitJob *entry;

  g_return_if_fail (INIT_IS_ENGINE (engine));
  g_return_if_fail (name != NULL);

  entry = g_hash_table_lookup (engine->entries, name);
  if (klass == NULL)
    {
      if (entry == NULL)
        return;
      g_clear_pointer (&entry->pending, init_job_class_unref);
      if (g_hash_table_size (entry->instances) == 0)
        engine_remove_entry (engine, entry);
      else if (!entry->deleted)
        {
          entry->deleted = TRUE;
          g_signal_emit (engine, signals[SIGNAL_JOB_CHANGED], 0, entry);
        }
      return;
    }

  if (entry == NULL)
    {
      entry = entry_new (engine, name, klass);
      g_hash_table_insert (engine->entries, entry->name, entry);
      engine_reindex (engine, entry);
      g_info ("Job %s added", name);
      g_signal_emit (engine, signals[SIGNAL_JOB_ADDED], 0, entry);
      return;
    }

  if (entry->deleted)
    {
      entry->deleted = FALSE;
      g_signal_emit (engine, signals[SIGNAL_JOB_CHANGED], 0, entry);
    }
  if (g_hash_table_size (entry->instances) == 0)
    {
      g_clear_pointer (&entry->pending, init_job_class_unref);
      entry_set_class (entry, klass);
      engine_reindex (engine, entry);
      g_info ("Job %s changed", name);
      g_signal_emit (engine, signals[SIGNAL_JOB_CHANGED], 0, entry);
    }
  else
    {
      /* Running instances keep the definition they started with; the new one takes over
       * when the last of them stops (reference §7, I4). */
      g_clear_pointer (&entry->pending, init_job_class_unref);
      entry->pending = init_job_class_ref (klass);
      engine_reindex (engine, entry);
    }
}

/* ---- instances ---- */

static InitInstance *
entry_add_instance (InitJob *entry,
                    const char   *name)
{
  InitEngine *engine = entry->engine;
  InitInstance *job = init_instance_new (engine, entry, entry->klass, name);

  g_hash_table_insert (entry_writable_instances (entry), job->name, job);
  engine->n_instances++;
  g_signal_emit (engine, signals[SIGNAL_INSTANCE_ADDED], 0, job);
  return job;
}

InitInstance *
init_engine_restore_instance (InitEngine   *engine,
                              InitJob *entry,
                              InitJobClass *klass,
                              const char   *name)
{
  InitInstance *job = init_instance_new (engine, entry, klass, name);

  g_hash_table_insert (entry_writable_instances (entry), job->name, job);
  engine->n_instances++;
  return job;
}

void
init_engine_announce_instance (InitEngine *engine,
                               InitInstance    *job)
{
  g_signal_emit (engine, signals[SIGNAL_INSTANCE_ADDED], 0, job);
}

void
init_engine_instance_finished (InitEngine *engine,
                               InitInstance    *job)
{
  InitJob *entry = job->entry;
  g_autoptr(InitInstance) hold = init_instance_ref (job);

  if (entry == NULL || job->removed)
    return;

  job->removed = TRUE;
  job->entry = NULL;
  init_instance_detach (job);
  g_hash_table_remove (entry->instances, job->name);
  if (g_hash_table_size (entry->instances) == 0)
    {
      g_hash_table_unref (entry->instances);
      entry->instances = shared_empty_instances ();
    }
  engine->n_instances--;
  g_signal_emit (engine, signals[SIGNAL_INSTANCE_REMOVED], 0, job);

  if (g_hash_table_size (entry->instances) == 0 && entry->engine != NULL)
    {
      if (entry->deleted)
        engine_remove_entry (engine, entry);
      else if (entry->pending != NULL)
        {
          g_autoptr(InitJobClass) pending = g_steal_pointer (&entry->pending);
          entry_set_class (entry, pending);
          engine_reindex (engine, entry);
          g_signal_emit (engine, signals[SIGNAL_JOB_CHANGED], 0, entry);
        }
      else
        engine_reindex (engine, entry);
    }

  if (engine->n_instances == 0 && engine->shutting_down)
    {
      g_signal_emit (engine, signals[SIGNAL_IDLE], 0);
      if (engine->shutdown_done != NULL)
        {
          GFunc done = g_steal_pointer (&engine->shutdown_done);
          g_clear_handle_id (&engine->shutdown_timer, g_source_remove);
          done (engine, engine->shutdown_data);
        }
    }
}

void
init_engine_process_exited (InitEngine      *engine,
                            InitInstance         *job,
                            InitProcessType  type,
                            pid_t            pid,
                            int              status)
{
  g_signal_emit (engine, signals[SIGNAL_PROCESS_EXITED], 0, job, (int) type, (int) pid, status);
}

guint
init_engine_get_n_config_errors (InitEngine *engine)
{
  g_return_val_if_fail (INIT_IS_ENGINE (engine), 0);
  return init_conf_get_n_errors (engine->conf);
}

void
init_engine_instance_changed (InitEngine *engine,
                              InitInstance    *job)
{
  if (engine != NULL && !job->removed)
    g_signal_emit (engine, signals[SIGNAL_INSTANCE_CHANGED], 0, job);
}

InitEvent *
init_engine_emit_job_event (InitEngine *engine,
                            const char *name,
                            GPtrArray  *env,
                            const InitCause *cause)
{
  return init_event_queue_emit (engine->queue, name, env, cause);
}

const InitEngineOptions *
init_engine_get_options (InitEngine *engine)
{
  return &engine->options;
}

gboolean
init_engine_respawn_disabled (InitEngine *engine)
{
  return engine == NULL || engine->shutting_down;
}

/* Expand the instance pattern of @entry against @env; the error carries the usage text. */
static char *
entry_instance_name (InitJob *entry,
                     GPtrArray    *env,
                     gboolean      with_usage,
                     GError      **error)
{
  g_autoptr(GError) local = NULL;
  char *name = init_env_expand (entry->klass->instance, env, &local);

  if (name != NULL)
    return name;
  if (with_usage && entry->klass->usage != NULL && entry->klass->usage[0] != '\0')
    g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS, "%s\n%s %s",
                 local->message, _("Usage:"), entry->klass->usage);
  else
    g_set_error_literal (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS, local->message);
  return NULL;
}

/* `start on` became true: create or restart the instance it names (reference §3.7, §3.8). */
static void
entry_induct (InitJob *entry,
              InitEvent    *event)
{
  InitEngine *engine = entry->engine;
  g_autoptr(GPtrArray) env = init_env_copy (init_job_get_class_env (entry));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  InitInstance *job;

  init_event_operator_environment (entry->start_on, env, "UPSTART_EVENTS");
  name = entry_instance_name (entry, env, FALSE, &error);
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
    job = entry_add_instance (entry, name);

  if (job->goal != INIT_GOAL_START && !engine->shutting_down)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) init_event_unref);
      g_autoptr(InitInstance) hold = init_instance_ref (job);

      init_instance_supersede_for_start (job);
      g_clear_pointer (&job->start_env, g_ptr_array_unref);
      job->start_env = g_steal_pointer (&env);
      init_event_operator_collect_events (entry->start_on, events);
      init_instance_take_blocks (job, events);
      {
        g_autoptr(InitCause) cause = init_cause_new_event (event->id, event->name);
        init_instance_set_cause (job, cause);
      }
      init_event_operator_reset (entry->start_on);
      entry_release_start_on (entry);
      init_instance_change_goal (job, INIT_GOAL_START);
      return;
    }
  init_event_operator_reset (entry->start_on);
  entry_release_start_on (entry);
  /* A freshly created instance that we did not start (shutting down) goes away again. */
  if (job->goal == INIT_GOAL_STOP && job->state == INIT_STATE_WAITING)
    init_engine_instance_finished (engine, job);
}

static gint
compare_entry_order (gconstpointer a,
                     gconstpointer b)
{
  const InitJob *ea = *(InitJob * const *) a;
  const InitJob *eb = *(InitJob * const *) b;

  return (ea->order > eb->order) - (ea->order < eb->order);
}

static void
engine_handle_event (InitEventQueue *queue,
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

/* ---- GObject ---- */

static void
on_conf_job_changed (const char   *name,
                     InitJobClass *klass,
                     gpointer      user_data)
{
  init_engine_set_class (INIT_ENGINE (user_data), name, klass);
}

static void
on_conf_error (const char   *path,
               const GError *error,
               gpointer      user_data)
{
  g_warning ("%s", error->message);
  g_signal_emit (user_data, signals[SIGNAL_CONFIG_ERROR], 0, path, error->message);
}

static void
on_conf_warning (const char *path,
                 const char *message,
                 gpointer    user_data)
{
  g_warning ("%s", message);
}

static void
on_conf_errors_changed (guint    n_errors,
                        gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_CONFIG_ERRORS_CHANGED], 0, n_errors);
}

static const InitConfCallbacks conf_callbacks = {
  on_conf_job_changed,
  on_conf_error,
  on_conf_warning,
  on_conf_errors_changed,
};

static void
on_event_queued (InitEvent *event,
                 gpointer   user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_EVENT_QUEUED], 0, event);
}

static void
on_event_finished (InitEvent *event,
                   gpointer   user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_EVENT_FINISHED], 0, event);
}

/* ---- process trees (init-proc-tracker.h); owners are instances ---- */

static void
engine_process_forked (gpointer owner,
                       pid_t    parent,
                       pid_t    child,
                       guint    generation,
                       gpointer user_data)
{
  init_instance_process_forked (owner, parent, child, generation);
}

static void
engine_process_gone (gpointer owner,
                     pid_t    pid,
                     gpointer user_data)
{
  init_instance_process_gone (owner, pid);
}

/* A child nobody watched was reaped: a stray of some instance, re-parented to us. */
static void
engine_orphan_reaped (pid_t    pid,
                      int      status,
                      gpointer user_data)
{
  InitEngine *self = user_data;
  InitInstance *owner;

  /* Its forks first (they are found by their parent), then forget it. */
  init_proc_tracker_sync (self->tracker);
  owner = init_proc_tracker_lookup (self->tracker, pid);
  init_proc_tracker_process_exited (self->tracker, pid);
  if (owner != NULL)
    init_instance_process_gone (owner, pid);
}

static void
engine_tracking_changed (gpointer tracker,
                         gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_PROCESS_TRACKING_CHANGED], 0);
}

InitProcTracker *
init_engine_get_tracker (InitEngine *engine)
{
  return engine->tracker;
}

void
init_engine_want_polling (InitEngine *engine,
                          gboolean    waiting)
{
  if (waiting)
    engine->n_polling++;
  else if (engine->n_polling > 0)
    engine->n_polling--;
  init_proc_tracker_set_polling (engine->tracker, engine->n_polling > 0);
}

const char *
init_engine_get_process_tracking (InitEngine *engine)
{
  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);
  return init_proc_tracking_to_string (init_proc_tracker_get_mode (engine->tracker));
}

static void
init_engine_finalize (GObject *object)
{
  InitEngine *self = INIT_ENGINE (object);
  GHashTableIter iter;
  gpointer value;

  g_clear_handle_id (&self->shutdown_timer, g_source_remove);
  g_clear_pointer (&self->conf, init_conf_free);
  if (self->orphan_hook != 0)
    init_reaper_remove_orphan_func (self->orphan_hook);

  /* Instances hold blocks on queued events: drop them before the queue. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      InitJob *entry = value;
      GHashTableIter jiter;
      gpointer job;

      g_hash_table_iter_init (&jiter, entry->instances);
      while (g_hash_table_iter_next (&jiter, NULL, &job))
        init_instance_detach (job);
      entry->engine = NULL;
      g_clear_pointer (&entry->index_names, g_free);
      g_hash_table_remove_all (entry->instances);
      g_clear_pointer (&entry->start_on, init_event_operator_free);
    }
  g_hash_table_unref (self->entries);
  g_hash_table_unref (self->index);
  init_event_queue_free (self->queue);
  g_ptr_array_unref (self->global_env);
  g_ptr_array_unref (self->causes);
  g_clear_pointer (&self->tracker, init_proc_tracker_free);
  g_free (self->options.log_dir);
  g_strfreev (self->options.extra_env);

  G_OBJECT_CLASS (init_engine_parent_class)->finalize (object);
}

static void
init_engine_class_init (InitEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = init_engine_finalize;

  /* The object signals all carry one borrowed pointer (entry, instance or event). */
  static const struct { guint id; const char *name; } pointer_signals[] = {
    { SIGNAL_JOB_ADDED, "job-added" },
    { SIGNAL_JOB_CHANGED, "job-changed" },
    { SIGNAL_JOB_REMOVED, "job-removed" },
    { SIGNAL_INSTANCE_ADDED, "instance-added" },
    { SIGNAL_INSTANCE_CHANGED, "instance-changed" },
    { SIGNAL_INSTANCE_REMOVED, "instance-removed" },
    { SIGNAL_EVENT_QUEUED, "event-queued" },
    { SIGNAL_EVENT_FINISHED, "event-finished" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pointer_signals); i++)
    signals[pointer_signals[i].id] = g_signal_new (pointer_signals[i].name,
                                                   G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                                   G_TYPE_POINTER);
  signals[SIGNAL_CONFIG_ERROR] = g_signal_new ("config-error", G_TYPE_FROM_CLASS (klass),
    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_CONFIG_ERRORS_CHANGED] = g_signal_new ("config-errors-changed",
    G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_PROCESS_EXITED] = g_signal_new ("process-exited", G_TYPE_FROM_CLASS (klass),
    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 4,
    G_TYPE_POINTER, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);
  signals[SIGNAL_IDLE] = g_signal_new ("idle", G_TYPE_FROM_CLASS (klass),
    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_PROCESS_TRACKING_CHANGED] = g_signal_new ("process-tracking-changed",
    G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
init_engine_init (InitEngine *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) init_job_unref);
  /* keys are interned strings */
  self->index = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) g_ptr_array_unref);
  self->causes = g_ptr_array_new_with_free_func ((GDestroyNotify) init_cause_free);
  self->queue = init_event_queue_new (engine_handle_event, self);
  init_event_queue_set_observer (self->queue, on_event_queued, on_event_finished, self);
  self->conf = init_conf_new (&conf_callbacks, self);
}

InitEngine *
init_engine_new (const InitEngineOptions *options)
{
  InitEngine *self = g_object_new (INIT_TYPE_ENGINE, NULL);
  const char *path = g_getenv ("PATH");
  const char *term = g_getenv ("TERM");

  if (options != NULL)
    {
      self->options.user_mode = options->user_mode;
      self->options.log_dir = g_strdup (options->log_dir);
      self->options.extra_env = g_strdupv (options->extra_env);
      self->options.no_proc_connector = options->no_proc_connector;
    }
  self->tracker = init_proc_tracker_new (!self->options.no_proc_connector,
                                         engine_process_forked, engine_process_gone, self);
  self->orphan_hook = init_reaper_add_orphan_func (engine_orphan_reaped, self);
  init_proc_tracker_set_mode_func (self->tracker, engine_tracking_changed, self);

  /* Every job starts from PATH and TERM; a session daemon passes on its whole environment
   * (reference §3.9). */
  self->global_env = init_env_new ();
  if (self->options.user_mode)
    {
      g_auto(GStrv) environ_copy = g_get_environ ();
      for (guint i = 0; environ_copy[i] != NULL; i++)
        init_env_add (self->global_env, environ_copy[i], TRUE);
    }
  init_env_set (self->global_env, "PATH", path != NULL ? path : DEFAULT_PATH);
  if (term != NULL)
    init_env_set (self->global_env, "TERM", term);
  for (guint i = 0; self->options.extra_env != NULL && self->options.extra_env[i] != NULL; i++)
    init_env_add (self->global_env, self->options.extra_env[i], TRUE);
  return self;
}

void
init_engine_add_conf_dir (InitEngine *engine,
                          const char *path)
{
  g_return_if_fail (INIT_IS_ENGINE (engine));
  init_conf_add_dir (engine->conf, path);
}

gboolean
init_engine_load (InitEngine  *engine,
                  gboolean     watch,
                  GError     **error)
{
  g_return_val_if_fail (INIT_IS_ENGINE (engine), FALSE);
  return init_conf_load (engine->conf, watch, error);
}

void
init_engine_reload (InitEngine *engine)
{
  g_return_if_fail (INIT_IS_ENGINE (engine));
  init_conf_reload (engine->conf);
}

void
init_engine_flush_config (InitEngine *engine)
{
  g_return_if_fail (INIT_IS_ENGINE (engine));
  init_conf_flush (engine->conf);
}

InitEvent *
init_engine_emit (InitEngine    *engine,
                  const char    *name,
                  GPtrArray     *env,
                  InitEventFunc  done,
                  gpointer       user_data)
{
  InitEvent *event;

  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  event = init_event_queue_emit (engine->queue, name, env, init_engine_get_current_cause (engine));
  if (done != NULL)
    init_event_add_watcher (event, done, user_data);
  return event;
}

void
init_engine_push_cause (InitEngine      *engine,
                        const InitCause *cause)
{
  g_return_if_fail (INIT_IS_ENGINE (engine));
  g_return_if_fail (cause != NULL);
  g_ptr_array_add (engine->causes, init_cause_copy (cause));
}

void
init_engine_pop_cause (InitEngine *engine)
{
  g_return_if_fail (INIT_IS_ENGINE (engine));
  g_return_if_fail (engine->causes->len > 0);
  g_ptr_array_remove_index (engine->causes, engine->causes->len - 1);
}

const InitCause *
init_engine_get_current_cause (InitEngine *engine)
{
  if (engine->causes->len == 0)
    return NULL;
  return g_ptr_array_index (engine->causes, engine->causes->len - 1);
}

void
init_engine_poll (InitEngine *engine)
{
  g_return_if_fail (INIT_IS_ENGINE (engine));
  init_event_queue_poll (engine->queue);
}

InitJob *
init_engine_lookup (InitEngine *engine,
                    const char *name)
{
  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);
  return g_hash_table_lookup (engine->entries, name);
}

GPtrArray *
init_engine_list (InitEngine *engine)
{
  GPtrArray *list;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);

  list = g_ptr_array_sized_new (g_hash_table_size (engine->entries));
  g_hash_table_iter_init (&iter, engine->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_entry_order);
  return list;
}

GPtrArray *
init_engine_list_instances (InitEngine *engine)
{
  g_autoptr(GPtrArray) entries = init_engine_list (engine);
  GPtrArray *jobs = g_ptr_array_new ();

  for (guint i = 0; i < entries->len; i++)
    {
      InitJob *entry = g_ptr_array_index (entries, i);
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, entry->instances);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (jobs, value);
    }
  return jobs;
}

guint
init_engine_get_n_jobs (InitEngine *engine)
{
  g_return_val_if_fail (INIT_IS_ENGINE (engine), 0);
  return g_hash_table_size (engine->entries);
}

guint
init_engine_get_n_instances (InitEngine *engine)
{
  g_return_val_if_fail (INIT_IS_ENGINE (engine), 0);
  return engine->n_instances;
}

InitEventQueue *
init_engine_get_queue (InitEngine *engine)
{
  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);
  return engine->queue;
}

GPtrArray *
init_engine_get_global_env (InitEngine *engine)
{
  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);
  return engine->global_env;
}

/* ---- job-level commands (reference §3.7) ---- */

static GPtrArray *
entry_command_env (InitJob *entry,
                   GPtrArray    *env)
{
  GPtrArray *result = init_env_copy (init_job_get_class_env (entry));

  init_env_append (result, env, TRUE);
  return result;
}

static gboolean
entry_check_usable (InitJob  *entry,
                    GError       **error)
{
  if (entry->engine == NULL || entry->deleted)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB, _("Unknown job: %s"), entry->name);
      return FALSE;
    }
  return TRUE;
}

InitInstance *
init_job_start (InitJob    *entry,
                      GPtrArray       *env,
                      InitInstanceDoneFunc  done,
                      gpointer         user_data,
                      GError         **error)
{
  g_autoptr(GPtrArray) start_env = NULL;
  g_autofree char *name = NULL;
  InitInstance *job;

  g_return_val_if_fail (entry != NULL, NULL);

  if (!entry_check_usable (entry, error))
    return NULL;
  if (entry->engine->shutting_down)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_PERMISSION_DENIED,
                   _("Cannot start %s: the daemon is shutting down"), entry->name);
      return NULL;
    }
  start_env = entry_command_env (entry, env);
  name = entry_instance_name (entry, start_env, TRUE, error);
  if (name == NULL)
    return NULL;

  job = g_hash_table_lookup (entry->instances, name);
  if (job != NULL && !init_instance_check_goal (job, INIT_GOAL_START, error))
    return NULL;
  if (job == NULL)
    job = entry_add_instance (entry, name);

  g_clear_pointer (&job->start_env, g_ptr_array_unref);
  job->start_env = g_steal_pointer (&start_env);
  init_instance_start (job, done, user_data, NULL);
  return job;
}

InitInstance *
init_job_get_instance (InitJob  *entry,
                             GPtrArray     *env,
                             GError       **error)
{
  g_autoptr(GPtrArray) lookup_env = NULL;
  g_autofree char *name = NULL;
  InitInstance *job;

  g_return_val_if_fail (entry != NULL, NULL);

  lookup_env = entry_command_env (entry, env);
  name = entry_instance_name (entry, lookup_env, TRUE, error);
  if (name == NULL)
    return NULL;
  job = g_hash_table_lookup (entry->instances, name);
  if (job == NULL)
    g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_INSTANCE, _("Unknown instance: %s"), name);
  return job;
}

InitInstance *
init_job_lookup_instance (InitJob *entry,
                                const char   *name)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return g_hash_table_lookup (entry->instances, name);
}

gboolean
init_job_stop (InitJob    *entry,
                     GPtrArray       *env,
                     InitInstanceDoneFunc  done,
                     gpointer         user_data,
                     GError         **error)
{
  InitInstance *job = init_job_get_instance (entry, env, error);

  if (job == NULL)
    return FALSE;
  return init_instance_stop (job, env, done, user_data, error);
}

InitInstance *
init_job_restart (InitJob    *entry,
                        GPtrArray       *env,
                        InitInstanceDoneFunc  done,
                        gpointer         user_data,
                        GError         **error)
{
  g_autoptr(GPtrArray) start_env = NULL;
  InitInstance *job = init_job_get_instance (entry, env, error);

  if (job == NULL)
    return NULL;
  start_env = entry_command_env (entry, env);
  if (!init_instance_restart (job, start_env, done, user_data, error))
    return NULL;
  return job;
}

/* ---- shutdown ---- */

static gboolean
shutdown_timeout_cb (gpointer user_data)
{
  InitEngine *engine = user_data;
  GFunc done = g_steal_pointer (&engine->shutdown_done);

  engine->shutdown_timer = 0;
  g_warning (_("%u job instances did not stop in time"), engine->n_instances);
  if (done != NULL)
    done (engine, engine->shutdown_data);
  return G_SOURCE_REMOVE;
}

void
init_engine_shutdown (InitEngine *engine,
                      GFunc       done,
                      gpointer    user_data)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) init_instance_unref);
  GHashTableIter iter;
  gpointer value;
  int max_timeout = INIT_DEFAULT_KILL_TIMEOUT;
  g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_SHUTDOWN);

  g_return_if_fail (INIT_IS_ENGINE (engine));

  engine->shutting_down = TRUE;
  engine->shutdown_done = done;
  engine->shutdown_data = user_data;
  init_engine_push_cause (engine, cause);

  g_hash_table_iter_init (&iter, engine->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      InitJob *entry = value;
      GHashTableIter jiter;
      gpointer job;

      g_hash_table_iter_init (&jiter, entry->instances);
      while (g_hash_table_iter_next (&jiter, NULL, &job))
        {
          g_ptr_array_add (jobs, init_instance_ref (job));
          max_timeout = MAX (max_timeout, ((InitInstance *) job)->klass->kill_timeout);
        }
    }

  for (guint i = 0; i < jobs->len; i++)
    {
      InitInstance *job = g_ptr_array_index (jobs, i);
      if (!job->removed && job->goal != INIT_GOAL_STOP)
        init_instance_stop (job, NULL, NULL, NULL, NULL);
    }
  init_engine_pop_cause (engine);

  if (engine->n_instances == 0)
    {
      GFunc cb = g_steal_pointer (&engine->shutdown_done);
      if (cb != NULL)
        cb (engine, user_data);
      return;
    }
  engine->shutdown_timer = g_timeout_add_seconds (max_timeout + SHUTDOWN_MARGIN_SECONDS,
                                                  shutdown_timeout_cb, engine);
}

gboolean
init_engine_is_shutting_down (InitEngine *engine)
{
  g_return_val_if_fail (INIT_IS_ENGINE (engine), FALSE);
  return engine->shutting_down;
}
