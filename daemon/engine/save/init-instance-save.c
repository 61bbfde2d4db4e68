/* init-job-state.c — one instance saved and restored (re-exec, crash recovery; init-state.h) */
#define G_LOG_DOMAIN "init-job"

#include <fcntl.h>
#include <unistd.h>

#include "init-env.h"
#include "init-instance-private.h"
#include "init-log.h"
#include "init-proc-info.h"
#include "init-proc-tracker.h"
#include "init-pty-store.h"
#include "init-engine-save.h"

static void
save_pty (pid_t    pid,
          int      master_fd,
          gpointer user_data)
{
  g_variant_builder_add (user_data, "(ii)", (gint32) pid, (gint32) master_fd);
}

/* The entries of @env that the class environment does not have as they are. */
static GVariant *
env_delta_to_variant (InitInstance *job)
{
  GPtrArray *base = job->entry != NULL ? init_job_get_class_env (job->entry) : NULL;
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantBuilder delta;

  for (guint i = 0; base != NULL && i < base->len; i++)
    g_hash_table_add (known, g_ptr_array_index (base, i));
  g_variant_builder_init (&delta, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < job->env->len; i++)
    if (!g_hash_table_contains (known, g_ptr_array_index (job->env, i)))
      g_variant_builder_add (&delta, "s", g_ptr_array_index (job->env, i));
  return g_variant_builder_end (&delta);
}

/* The instance's processes into @dict: the ones it spawned ("processes") and the others the
 * tracker counts as its own ("tracked"), each with its start time. */
static void
save_processes (InitInstance *job,
                GVariantDict *dict)
{
  GVariantBuilder pids;
  g_autoptr(GArray) tracked = NULL;

  /* With their start times, so a pid reused meanwhile is never taken for ours. */
  g_variant_builder_init (&pids, G_VARIANT_TYPE ("a(sit)"));
  for (guint t = 0; t < INIT_PROCESS_N; t++)
    if (job->pid[t] > 0)
      {
        InitProcInfo info = { 0 };

        init_proc_info_read (job->pid[t], &info);
        g_variant_builder_add (&pids, "(sit)", init_process_type_to_string (t),
                               (gint32) job->pid[t], info.start_time);
      }
  g_variant_dict_insert_value (dict, "processes", g_variant_builder_end (&pids));
  if (job->host != NULL)
    {
      GVariantBuilder others;

      tracked = init_proc_tracker_get_pids (init_instance_tracker (job), job);
      g_variant_builder_init (&others, G_VARIANT_TYPE ("a(it)"));
      for (guint i = 0; i < tracked->len; i++)
        {
          pid_t pid = g_array_index (tracked, pid_t, i);
          InitProcInfo info = { 0 };

          if (init_proc_info_read (pid, &info))
            g_variant_builder_add (&others, "(it)", (gint32) pid, info.start_time);
        }
      g_variant_dict_insert_value (dict, "tracked", g_variant_builder_end (&others));
    }
}

/* What the instance holds into @dict: the events it blocks, the callers waiting for it (as
 * @codec saves them), its `console log` ptys and what is left of a kill timer. */
static void
save_held (InitInstance        *job,
           const InitSaveCodec *codec,
           GVariantDict        *dict)
{
  GVariantBuilder blocking, waiters;

  g_variant_builder_init (&blocking, G_VARIANT_TYPE ("at"));
  for (guint i = 0; i < job->blocking->len; i++)
    g_variant_builder_add (&blocking, "t", ((InitEvent *) g_ptr_array_index (job->blocking, i))->id);
  g_variant_dict_insert_value (dict, "blocking", g_variant_builder_end (&blocking));

  g_variant_builder_init (&waiters, G_VARIANT_TYPE ("a(uv)"));
  for (guint i = 0; codec != NULL && i < init_instance_get_n_waiters (job); i++)
    {
      gpointer func, data;
      guint kind;
      GVariant *saved;

      init_instance_get_waiter (job, i, &kind, &func, &data);
      saved = codec->save (func, data, codec->codec_data);
      if (saved != NULL)
        g_variant_builder_add (&waiters, "(uv)", (guint32) kind, saved);
    }
  g_variant_dict_insert_value (dict, "waiters", g_variant_builder_end (&waiters));

  if (job->log != NULL)
    {
      GVariantBuilder ptys;

      g_variant_builder_init (&ptys, G_VARIANT_TYPE ("a(ii)"));
      init_log_foreach_pty (job->log, save_pty, &ptys);
      g_variant_dict_insert_value (dict, "log-ptys", g_variant_builder_end (&ptys));
    }

  if (job->kill_timer != 0)
    {
      GSource *source = g_main_context_find_source_by_id (NULL, job->kill_timer);
      gint64 left = source != NULL
                    ? MAX (g_source_get_ready_time (source) - g_get_monotonic_time (), 0) : 0;

      g_variant_dict_insert (dict, "kill-timer-left-ms", "x", left / 1000);
    }
}

GVariant *
init_instance_save (InitInstance        *job,
                    const InitSaveCodec *codec,
                    gboolean             minimal)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", job->name);
  g_variant_dict_insert (&dict, "goal", "s", init_goal_to_string (job->goal));
  g_variant_dict_insert (&dict, "state", "s", init_state_to_string (job->state));
  if (minimal)
    g_variant_dict_insert_value (&dict, "env-delta", env_delta_to_variant (job));
  else
    g_variant_dict_insert_value (&dict, "env", init_save_env_to_variant (job->env));
  if (job->start_env != NULL)
    g_variant_dict_insert_value (&dict, "start-env", init_save_env_to_variant (job->start_env));
  if (job->stop_env != NULL)
    g_variant_dict_insert_value (&dict, "stop-env", init_save_env_to_variant (job->stop_env));

  save_processes (job, &dict);

  g_variant_dict_insert (&dict, "failed", "b", job->failed);
  g_variant_dict_insert (&dict, "failed-process", "s",
                         job->failed_process == INIT_PROCESS_NONE
                         ? "" : init_process_type_to_string (job->failed_process));
  g_variant_dict_insert (&dict, "exit-status", "i", job->exit_status);
  if (job->failed_reason != NULL)
    g_variant_dict_insert (&dict, "failed-reason", "s", job->failed_reason);
  g_variant_dict_insert (&dict, "failed-time", "x", job->failed_time);
  g_variant_dict_insert (&dict, "respawn-count", "i", job->respawn_count);
  g_variant_dict_insert (&dict, "respawn-time", "x", job->respawn_time);
  g_variant_dict_insert (&dict, "restarting", "b", job->restarting);
  g_variant_dict_insert_value (&dict, "cause", init_save_cause_to_variant (job->cause));
  g_variant_dict_insert (&dict, "forks-seen", "u", job->forks_seen);
  g_variant_dict_insert (&dict, "expecting", "b", job->expecting);
  g_variant_dict_insert (&dict, "log-pid", "i", (gint32) job->log_pid);
  if (minimal)
    return g_variant_dict_end (&dict);
  if (job->stop_on != NULL)
    g_variant_dict_insert_value (&dict, "stop-on-latches", init_save_latches_save (job->stop_on));
  if (job->blocker != NULL)
    g_variant_dict_insert (&dict, "blocker", "t", job->blocker->id);

  save_held (job, codec, &dict);
  return g_variant_dict_end (&dict);
}

static void
restore_event_list (GVariantDict   *dict,
                    const char     *key,
                    InitEventQueue *queue,
                    GPtrArray      *into)
{
  g_autoptr(GVariant) ids = g_variant_dict_lookup_value (dict, key, G_VARIANT_TYPE ("at"));

  for (gsize i = 0; ids != NULL && i < g_variant_n_children (ids); i++)
    {
      guint64 id;
      InitEvent *event;

      g_variant_get_child (ids, i, "t", &id);
      if ((event = init_event_queue_lookup (queue, id)) != NULL)
        {
          init_event_block (event);
          g_ptr_array_add (into, init_event_ref (event));
        }
    }
}

/* The environments: the full one ("env"), or the job's class environment plus the saved
 * delta ("env-delta", a minimal save); the pending start and stop environments. */
static void
restore_envs (InitInstance *job,
              GVariantDict *dict)
{
  g_autoptr(GVariant) env = NULL, start_env = NULL, stop_env = NULL;

  env = g_variant_dict_lookup_value (dict, "env", G_VARIANT_TYPE_STRING_ARRAY);
  if (env != NULL)
    {
      g_ptr_array_unref (job->env);
      job->env = init_save_env_from_variant (env);
    }
  else if ((env = g_variant_dict_lookup_value (dict, "env-delta", G_VARIANT_TYPE_STRING_ARRAY)) != NULL)
    {
      g_autoptr(GPtrArray) delta = init_save_env_from_variant (env);

      g_ptr_array_unref (job->env);
      job->env = init_env_copy (job->entry != NULL ? init_job_get_class_env (job->entry) : NULL);
      init_env_append (job->env, delta, TRUE);
    }
  start_env = g_variant_dict_lookup_value (dict, "start-env", G_VARIANT_TYPE_STRING_ARRAY);
  if (start_env != NULL)
    job->start_env = init_save_env_from_variant (start_env);
  stop_env = g_variant_dict_lookup_value (dict, "stop-env", G_VARIANT_TYPE_STRING_ARRAY);
  if (stop_env != NULL)
    job->stop_env = init_save_env_from_variant (stop_env);
}

/* The callers that waited for the instance, as @codec loads them. */
static void
restore_waiters (InitInstance        *job,
                 GVariantDict        *dict,
                 const InitSaveCodec *codec)
{
  g_autoptr(GVariant) waiters = NULL;

  waiters = g_variant_dict_lookup_value (dict, "waiters", G_VARIANT_TYPE ("a(uv)"));
  for (gsize i = 0; codec != NULL && waiters != NULL && i < g_variant_n_children (waiters); i++)
    {
      g_autoptr(GVariant) inner = NULL;
      guint32 kind;
      gpointer func = NULL, data = NULL;

      g_variant_get_child (waiters, i, "(uv)", &kind, &inner);
      if (codec->load (inner, &func, &data, codec->codec_data))
        init_instance_restore_waiter (job, kind, func, data);
    }
}

/* The log of @job, made now if it has none yet (NULL: output is not logged). */
static InitLog *
ensure_log (InitInstance *job)
{
  const InitEngineOptions *options = init_instance_options (job);

  if (job->log == NULL && options->log_dir != NULL)
    {
      g_autofree char *path = init_log_path_for (options->log_dir, job->klass->name, job->name);
      job->log = init_log_new (path);
    }
  return job->log;
}

/* The pty masters of `console log` came through the exec: output waiting in them is read
 * now. */
static void
restore_log_ptys (InitInstance *job,
                  GVariantDict *dict)
{
  g_autoptr(GVariant) ptys = NULL;

  ptys = g_variant_dict_lookup_value (dict, "log-ptys", G_VARIANT_TYPE ("a(ii)"));
  for (gsize i = 0; ptys != NULL && i < g_variant_n_children (ptys); i++)
    {
      gint32 pid, fd;

      g_variant_get_child (ptys, i, "(ii)", &pid, &fd);
      if (fd < 0 || fcntl (fd, F_GETFD) < 0)
        continue;
      if (ensure_log (job) != NULL)
        init_log_adopt_pty (job->log, pid, fd);
      else
        close (fd);
    }
}

/* After a crash: the ptys of @processes (a(sit)) were kept outside the dead daemon
 * (init-pty-store.h); their output is read again from now on, before the processes are
 * adopted (one that died meanwhile still has its last words logged). */
static void
adopt_kept_ptys (InitInstance *job,
                 GVariant     *processes)
{
  for (gsize i = 0; processes != NULL && i < g_variant_n_children (processes); i++)
    {
      gint32 pid;

      g_variant_get_child (processes, i, "(&sit)", NULL, &pid, NULL);
      if (pid > 0 && init_pty_store_has (pid) && ensure_log (job) != NULL)
        init_log_adopt_kept_pty (job->log, pid);
    }
}

void
init_instance_restore (InitInstance        *job,
                       GVariant            *saved,
                       InitEventQueue      *queue,
                       const InitSaveCodec *codec,
                       gboolean             adopt)
{
  g_autoptr(GVariant) cause = NULL, processes = NULL, tracked = NULL, latches = NULL;
  GVariantDict dict;
  const char *str;
  guint64 blocker = 0;
  gint64 kill_left = -1;
  gint32 log_pid = 0;
  gboolean expecting = FALSE;
  int value;

  g_variant_dict_init (&dict, saved);
  if (g_variant_dict_lookup (&dict, "goal", "&s", &str) && (value = init_goal_from_string (str)) >= 0)
    job->goal = value;
  if (g_variant_dict_lookup (&dict, "state", "&s", &str) && (value = init_state_from_string (str)) >= 0)
    job->state = value;
  restore_envs (job, &dict);

  g_variant_dict_lookup (&dict, "failed", "b", &job->failed);
  if (g_variant_dict_lookup (&dict, "failed-process", "&s", &str))
    job->failed_process = init_process_type_from_string (str);
  g_variant_dict_lookup (&dict, "exit-status", "i", &job->exit_status);
  g_variant_dict_lookup (&dict, "failed-reason", "s", &job->failed_reason);
  g_variant_dict_lookup (&dict, "failed-time", "x", &job->failed_time);
  g_variant_dict_lookup (&dict, "respawn-count", "i", &job->respawn_count);
  g_variant_dict_lookup (&dict, "respawn-time", "x", &job->respawn_time);
  g_variant_dict_lookup (&dict, "restarting", "b", &job->restarting);
  cause = g_variant_dict_lookup_value (&dict, "cause", G_VARIANT_TYPE_VARDICT);
  if (cause != NULL)
    {
      init_cause_free (job->cause);
      job->cause = init_save_cause_from_variant (cause);
    }
  g_variant_dict_lookup (&dict, "forks-seen", "u", &job->forks_seen);
  g_variant_dict_lookup (&dict, "expecting", "b", &expecting);
  g_variant_dict_lookup (&dict, "log-pid", "i", &log_pid);
  job->log_pid = log_pid;

  latches = g_variant_dict_lookup_value (&dict, "stop-on-latches", G_VARIANT_TYPE ("a(ut)"));
  if (latches != NULL && job->stop_on != NULL)
    init_save_latches_restore (job->stop_on, latches, queue);
  restore_event_list (&dict, "blocking", queue, job->blocking);
  if (g_variant_dict_lookup (&dict, "blocker", "t", &blocker))
    {
      InitEvent *event = init_event_queue_lookup (queue, blocker);

      /* Gone: it finished while we were away — move on as its watcher would have. */
      if (event != NULL)
        init_instance_restore_blocker (job, event);
    }

  restore_waiters (job, &dict, codec);
  if (!adopt)
    restore_log_ptys (job, &dict);

  processes = g_variant_dict_lookup_value (&dict, "processes", G_VARIANT_TYPE ("a(sit)"));
  if (adopt)
    adopt_kept_ptys (job, processes);
  tracked = g_variant_dict_lookup_value (&dict, "tracked", G_VARIANT_TYPE ("a(it)"));
  g_variant_dict_lookup (&dict, "kill-timer-left-ms", "x", &kill_left);
  g_variant_dict_clear (&dict);

  init_instance_process_restore (job, processes, tracked, expecting, kill_left, adopt);
}
