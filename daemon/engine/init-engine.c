/* init-engine.c — the job engine object: its jobs and instances, configuration, causes,
 * process tracking and shutdown (events reach jobs in init-engine-dispatch.c; a job's own
 * commands are init-job.c) */
#define G_LOG_DOMAIN "init-engine"

#include <glib/gi18n.h>

#include "init-conf.h"
#include "init-engine-internal.h"
#include "init-env.h"
#include "init-error.h"
#include "init-event-operator.h"
#include "init-proc-tracker.h"
#include "init-reaper.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* Grace added to the largest kill timeout before shutdown gives up waiting. */
#define SHUTDOWN_MARGIN_SECONDS 2

guint init_engine_signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (InitEngine, init_engine, G_TYPE_OBJECT)

static void
engine_remove_entry (InitEngine *engine,
                     InitJob    *entry)
{
  g_autoptr(InitJob) hold = init_job_ref (entry);

  g_info ("Job %s removed", entry->name);
  entry->engine = NULL;
  init_engine_reindex_job (engine, entry);
  g_hash_table_remove (engine->entries, entry->name);
  g_signal_emit (engine, init_engine_signals[SIGNAL_JOB_REMOVED], 0, entry);
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
          g_signal_emit (engine, init_engine_signals[SIGNAL_JOB_CHANGED], 0, entry);
        }
      return;
    }

  if (entry == NULL)
    {
      entry = init_job_new (engine, name, klass);
      g_hash_table_insert (engine->entries, entry->name, entry);
      init_engine_reindex_job (engine, entry);
      g_info ("Job %s added", name);
      g_signal_emit (engine, init_engine_signals[SIGNAL_JOB_ADDED], 0, entry);
      return;
    }

  if (entry->deleted)
    {
      entry->deleted = FALSE;
      g_signal_emit (engine, init_engine_signals[SIGNAL_JOB_CHANGED], 0, entry);
    }
  if (g_hash_table_size (entry->instances) == 0)
    {
      g_clear_pointer (&entry->pending, init_job_class_unref);
      init_job_take_class (entry, klass);
      init_engine_reindex_job (engine, entry);
      g_info ("Job %s changed", name);
      g_signal_emit (engine, init_engine_signals[SIGNAL_JOB_CHANGED], 0, entry);
    }
  else
    {
      /* Running instances keep the definition they started with; the new one takes over
       * when the last of them stops (reference §7, I4). */
      g_clear_pointer (&entry->pending, init_job_class_unref);
      entry->pending = init_job_class_ref (klass);
      init_engine_reindex_job (engine, entry);
      /* What the newest definition decides now (its `start on', whether it is enabled)
       * changed. */
      g_signal_emit (engine, init_engine_signals[SIGNAL_JOB_CHANGED], 0, entry);
    }
}

InitInstance *
init_engine_restore_instance (InitEngine   *engine,
                              InitJob      *entry,
                              InitJobClass *klass,
                              const char   *name)
{
  InitInstance *job = init_instance_new (&init_engine_instance_host, engine, entry, klass, name);

  g_hash_table_insert (init_job_writable_instances (entry), job->name, job);
  engine->n_instances++;
  return job;
}

void
init_engine_announce_instance (InitEngine   *engine,
                               InitInstance *job)
{
  g_signal_emit (engine, init_engine_signals[SIGNAL_INSTANCE_ADDED], 0, job);
}

void
init_engine_instance_finished (InitEngine   *engine,
                               InitInstance *job)
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
      entry->instances = init_job_shared_empty_instances ();
    }
  engine->n_instances--;
  g_signal_emit (engine, init_engine_signals[SIGNAL_INSTANCE_REMOVED], 0, job);

  if (g_hash_table_size (entry->instances) == 0 && entry->engine != NULL)
    {
      if (entry->deleted)
        engine_remove_entry (engine, entry);
      else if (entry->pending != NULL)
        {
          g_autoptr(InitJobClass) pending = g_steal_pointer (&entry->pending);
          init_job_take_class (entry, pending);
          init_engine_reindex_job (engine, entry);
          g_signal_emit (engine, init_engine_signals[SIGNAL_JOB_CHANGED], 0, entry);
        }
      else
        init_engine_reindex_job (engine, entry);
    }

  if (engine->n_instances == 0 && engine->shutting_down)
    {
      g_signal_emit (engine, init_engine_signals[SIGNAL_IDLE], 0);
      if (engine->shutdown_done != NULL)
        {
          GFunc done = g_steal_pointer (&engine->shutdown_done);
          g_clear_handle_id (&engine->shutdown_timer, g_source_remove);
          done (engine, engine->shutdown_data);
        }
    }
}

static void
engine_process_exited (gpointer        host_data,
                       InitInstance   *job,
                       InitProcessType type,
                       pid_t           pid,
                       int             status)
{
  InitEngine *engine = host_data;

  g_signal_emit (engine, init_engine_signals[SIGNAL_PROCESS_EXITED], 0, job, (int) type, (int) pid, status);
}

guint
init_engine_get_n_config_errors (InitEngine *engine)
{
  g_return_val_if_fail (INIT_IS_ENGINE (engine), 0);
  return init_conf_get_n_errors (engine->conf);
}

static void
engine_instance_changed (gpointer      host_data,
                         InitInstance *job)
{
  InitEngine *engine = host_data;

  if (!job->removed)
    g_signal_emit (engine, init_engine_signals[SIGNAL_INSTANCE_CHANGED], 0, job);
}

static InitEvent *
engine_emit_job_event (gpointer         host_data,
                       const char      *name,
                       GPtrArray       *env,
                       const InitCause *cause)
{
  InitEngine *engine = host_data;

  return init_event_queue_emit (engine->queue, name, env, cause);
}

const InitEngineOptions *
init_engine_get_options (InitEngine *engine)
{
  return &engine->options;
}

static gboolean
engine_respawn_disabled (gpointer host_data)
{
  InitEngine *engine = host_data;

  return engine->shutting_down;
}

static gint
compare_entry_order (gconstpointer a,
                     gconstpointer b)
{
  const InitJob *ea = *(InitJob *const *) a;
  const InitJob *eb = *(InitJob *const *) b;

  return (ea->order > eb->order) - (ea->order < eb->order);
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
  g_signal_emit (user_data, init_engine_signals[SIGNAL_CONFIG_ERROR], 0, path, error->message);
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
  g_signal_emit (user_data, init_engine_signals[SIGNAL_CONFIG_ERRORS_CHANGED], 0, n_errors);
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
  g_signal_emit (user_data, init_engine_signals[SIGNAL_EVENT_QUEUED], 0, event);
}

static void
on_event_finished (InitEvent *event,
                   gpointer   user_data)
{
  g_signal_emit (user_data, init_engine_signals[SIGNAL_EVENT_FINISHED], 0, event);
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
  g_signal_emit (user_data, init_engine_signals[SIGNAL_PROCESS_TRACKING_CHANGED], 0);
}

InitProcTracker *
init_engine_get_tracker (InitEngine *engine)
{
  return engine->tracker;
}

static void
engine_want_polling (gpointer host_data,
                     gboolean waiting)
{
  InitEngine *engine = host_data;

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
    init_engine_signals[pointer_signals[i].id] = g_signal_new (pointer_signals[i].name,
                                                               G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                               0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                                               G_TYPE_POINTER);
  init_engine_signals[SIGNAL_CONFIG_ERROR] = g_signal_new ("config-error", G_TYPE_FROM_CLASS (klass),
                                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  init_engine_signals[SIGNAL_CONFIG_ERRORS_CHANGED] = g_signal_new ("config-errors-changed",
                                                                    G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  init_engine_signals[SIGNAL_PROCESS_EXITED] = g_signal_new ("process-exited", G_TYPE_FROM_CLASS (klass),
                                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                                                             G_TYPE_POINTER, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);
  init_engine_signals[SIGNAL_IDLE] = g_signal_new ("idle", G_TYPE_FROM_CLASS (klass),
                                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  init_engine_signals[SIGNAL_PROCESS_TRACKING_CHANGED] = g_signal_new ("process-tracking-changed",
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
  self->queue = init_event_queue_new (init_engine_handle_event, self);
  init_event_queue_set_observer (self->queue, on_event_queued, on_event_finished, self);
  self->conf = init_conf_new (&conf_callbacks, self);
}

/* Job scripts call `start', `stop', `status'… as on an Upstart system (DESIGN §2.9): the
 * directory holding them (links to initctl) goes first on their PATH, if it exists, so nothing
 * needs installing system-wide and a job's own `env PATH=' still wins. */
static void
engine_prepend_command_dir (GPtrArray  *env,
                            const char *dir)
{
  g_autofree char *path = NULL;

  if (dir == NULL || dir[0] == '\0' || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return;
  path = g_strconcat (dir, ":", init_env_get (env, "PATH"), NULL);
  init_env_set (env, "PATH", path);
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
  /* Job files say what runs as us: only ours, and in system mode only ours alone. */
  init_conf_set_trust (self->conf, self->options.user_mode ? INIT_CONF_TRUST_SESSION
                                                           : INIT_CONF_TRUST_SYSTEM);
  self->tracker = init_proc_tracker_new (!self->options.no_proc_connector,
                                         engine_process_forked, engine_process_gone, self);
  self->orphan_hook = init_reaper_add_orphan_func (engine_orphan_reaped, self);
  init_proc_tracker_set_mode_func (self->tracker, engine_tracking_changed, self);

  /* Every job starts from PATH and TERM; a session daemon passes on its whole environment
   * (reference §3.9). */
  self->global_env = init_env_new ();
  if (self->options.user_mode)
    {
      g_auto (GStrv) environ_copy = g_get_environ ();
      for (guint i = 0; environ_copy[i] != NULL; i++)
        init_env_add (self->global_env, environ_copy[i], TRUE);
    }
  init_env_set (self->global_env, "PATH", path != NULL ? path : DEFAULT_PATH);
  engine_prepend_command_dir (self->global_env, options != NULL ? options->command_dir : NULL);
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
init_engine_load (InitEngine *engine,
                  gboolean    watch,
                  GError    **error)
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
init_engine_emit (InitEngine   *engine,
                  const char   *name,
                  GPtrArray    *env,
                  InitEventFunc done,
                  gpointer      user_data)
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

/* ---- the engine as its instances' host (init-instance-host.h) ---- */

static void
engine_instance_finished (gpointer      host_data,
                          InitInstance *job)
{
  init_engine_instance_finished (host_data, job);
}

static const InitCause *
engine_get_current_cause (gpointer host_data)
{
  return init_engine_get_current_cause (host_data);
}

static const InitEngineOptions *
engine_get_options (gpointer host_data)
{
  return init_engine_get_options (host_data);
}

static InitProcTracker *
engine_get_tracker (gpointer host_data)
{
  return init_engine_get_tracker (host_data);
}

const InitInstanceHost init_engine_instance_host = {
  .emit_job_event = engine_emit_job_event,
  .instance_changed = engine_instance_changed,
  .instance_finished = engine_instance_finished,
  .process_exited = engine_process_exited,
  .get_current_cause = engine_get_current_cause,
  .respawn_disabled = engine_respawn_disabled,
  .want_polling = engine_want_polling,
  .get_options = engine_get_options,
  .get_tracker = engine_get_tracker,
};
