/* init-job.c — a job (one name, its current class, its instances) and the job-level commands
 * Start/Stop/Restart/GetInstance (reference §3.7) */
#define G_LOG_DOMAIN "init-engine"

#include <glib/gi18n.h>

#include "init-conf-enable.h"
#include "init-engine-internal.h"
#include "init-env.h"
#include "init-error.h"

InitJob *
init_job_ref (InitJob *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return g_rc_box_acquire (entry);
}

static void
job_clear (gpointer data)
{
  InitJob *entry = data;

  g_hash_table_unref (entry->instances);
  init_event_operator_free (entry->start_on);
  g_clear_pointer (&entry->class_env, g_ptr_array_unref);
  g_free (entry->index_names);
  g_clear_pointer (&entry->pending, init_job_class_unref);
  init_job_class_unref (entry->klass);
  g_free (entry->name);
}

void
init_job_unref (InitJob *entry)
{
  if (entry != NULL)
    g_rc_box_release_full (entry, job_clear);
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

/* Most jobs have no instance most of the time: they all share one empty (never written)
 * table, and an entry gets its own when its first instance appears. */
GHashTable *
init_job_shared_empty_instances (void)
{
  static GHashTable *empty;

  if (g_once_init_enter (&empty))
    g_once_init_leave (&empty, g_hash_table_new (g_str_hash, g_str_equal));
  return g_hash_table_ref (empty);
}

GHashTable *
init_job_writable_instances (InitJob *entry)
{
  if (g_hash_table_size (entry->instances) == 0)
    {
      g_hash_table_unref (entry->instances);
      entry->instances = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                (GDestroyNotify) init_instance_unref);
    }
  return entry->instances;
}

InitJob *
init_job_new (InitEngine   *engine,
              const char   *name,
              InitJobClass *klass)
{
  InitJob *entry = g_rc_box_new0 (InitJob);

  entry->engine = engine;
  entry->name = g_strdup (name);
  entry->klass = init_job_class_ref (klass);
  entry->instances = init_job_shared_empty_instances ();
  entry->order = engine->next_order++;
  return entry;
}

InitInstance *
init_job_add_instance (InitJob    *entry,
                       const char *name)
{
  InitEngine *engine = entry->engine;
  InitInstance *job = init_instance_new (&init_engine_instance_host, engine, entry, entry->klass, name);

  g_hash_table_insert (init_job_writable_instances (entry), job->name, job);
  engine->n_instances++;
  g_signal_emit (engine, init_engine_signals[SIGNAL_INSTANCE_ADDED], 0, job);
  return job;
}

/* Expand the instance pattern of @entry against @env; the error carries the usage text. */
char *
init_job_instance_name (InitJob   *entry,
                        GPtrArray *env,
                        gboolean   with_usage,
                        GError   **error)
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

static GPtrArray *
entry_command_env (InitJob   *entry,
                   GPtrArray *env)
{
  GPtrArray *result = init_env_copy (init_job_get_class_env (entry));

  init_env_append (result, env, TRUE);
  return result;
}

static gboolean
entry_check_usable (InitJob *entry,
                    GError **error)
{
  if (entry->engine == NULL || entry->deleted)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB, _("Unknown job: %s"), entry->name);
      return FALSE;
    }
  return TRUE;
}

InitInstance *
init_job_start (InitJob             *entry,
                GPtrArray           *env,
                InitInstanceDoneFunc done,
                gpointer             user_data,
                GError             **error)
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
  name = init_job_instance_name (entry, start_env, TRUE, error);
  if (name == NULL)
    return NULL;

  job = g_hash_table_lookup (entry->instances, name);
  if (job != NULL && !init_instance_check_goal (job, INIT_GOAL_START, error))
    return NULL;
  if (job == NULL)
    job = init_job_add_instance (entry, name);

  init_instance_set_start_env (job, g_steal_pointer (&start_env), NULL);
  init_instance_start (job, done, user_data, NULL);
  return job;
}

InitInstance *
init_job_get_instance (InitJob   *entry,
                       GPtrArray *env,
                       GError   **error)
{
  g_autoptr(GPtrArray) lookup_env = NULL;
  g_autofree char *name = NULL;
  InitInstance *job;

  g_return_val_if_fail (entry != NULL, NULL);

  lookup_env = entry_command_env (entry, env);
  name = init_job_instance_name (entry, lookup_env, TRUE, error);
  if (name == NULL)
    return NULL;
  job = g_hash_table_lookup (entry->instances, name);
  if (job == NULL)
    g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_INSTANCE, _("Unknown instance: %s"), name);
  return job;
}

char *
init_job_select_instance_name (InitJob   *entry,
                               GPtrArray *env,
                               GError   **error)
{
  g_autoptr(GPtrArray) lookup_env = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  lookup_env = entry_command_env (entry, env);
  return init_job_instance_name (entry, lookup_env, TRUE, error);
}

InitInstance *
init_job_lookup_instance (InitJob    *entry,
                          const char *name)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return g_hash_table_lookup (entry->instances, name);
}

gboolean
init_job_stop (InitJob             *entry,
               GPtrArray           *env,
               InitInstanceDoneFunc done,
               gpointer             user_data,
               GError             **error)
{
  InitInstance *job = init_job_get_instance (entry, env, error);

  if (job == NULL)
    return FALSE;
  return init_instance_stop (job, env, done, user_data, error);
}

InitInstance *
init_job_restart (InitJob             *entry,
                  GPtrArray           *env,
                  InitInstanceDoneFunc done,
                  gpointer             user_data,
                  GError             **error)
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

gboolean
init_job_set_enabled (InitJob *entry,
                      gboolean enabled,
                      GError **error)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (entry != NULL, FALSE);

  if (entry->engine == NULL || entry->deleted)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB, _("Unknown job: %s"), entry->name);
      return FALSE;
    }
  /* The files say what the newest definition says. */
  if (!init_conf_set_enabled (entry->pending != NULL ? entry->pending : entry->klass, enabled,
                              &changed, error))
    return FALSE;
  if (changed)
    init_engine_reload (entry->engine);
  return TRUE;
}
