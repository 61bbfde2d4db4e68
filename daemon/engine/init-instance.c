/* init-instance.c — an instance's life: creation, goal, callers and events it holds,
 * instance-level commands (the state machine is init-instance-state.c) */
#define G_LOG_DOMAIN "init-instance"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-env.h"
#include "init-error.h"
#include "init-event-operator.h"
#include "init-instance.h"
#include "init-instance-private.h"
#include "init-kernel-names.h"
#include "init-log.h"
#include "init-process.h"
#include "init-proc-tracker.h"
#include "init-reaper.h"

typedef enum
{
  WAIT_START,
  WAIT_STOP,
  WAIT_RESTART,
} WaitKind;

typedef struct
{
  WaitKind             kind;
  InitInstanceDoneFunc func;
  gpointer             user_data;
} Waiter;


/* Instances alive in this process: a leak shows as a count that never comes back down. */
static guint live_instances;

guint
init_instance_count_live (void)
{
  return live_instances;
}

InitInstance *
init_instance_new (const InitInstanceHost *host,
                   gpointer                host_data,
                   InitJob                *entry,
                   InitJobClass           *klass,
                   const char             *name)
{
  InitInstance *job = g_rc_box_new0 (InitInstance);

  live_instances++;
  job->host = host;
  job->host_data = host_data;
  job->entry = entry;
  job->klass = init_job_class_ref (klass);
  job->name = g_strdup (name);
  job->goal = INIT_GOAL_STOP;
  job->state = INIT_STATE_WAITING;
  job->env = init_env_new ();
  job->failed_process = INIT_PROCESS_NONE;
  job->cause = init_cause_new (INIT_CAUSE_NONE);
  job->blocking = g_ptr_array_new ();
  job->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  if (klass->stop_on != NULL)
    job->stop_on = init_event_operator_copy (klass->stop_on);
  return job;
}

InitInstance *
init_instance_ref (InitInstance *job)
{
  g_return_val_if_fail (job != NULL, NULL);
  return g_rc_box_acquire (job);
}

void
init_instance_detach (InitInstance *job)
{
  if (job->host != NULL)
    {
      if (job->expecting)
        job->host->want_polling (job->host_data, FALSE);
      job->expecting = FALSE;
      init_instance_process_await_strays (job, FALSE);
      init_proc_tracker_remove_owner (init_instance_tracker (job), job);
    }
  for (guint i = 0; i < INIT_PROCESS_N; i++)
    if (job->watch[i] != 0)
      {
        init_reaper_unwatch (job->watch[i]);
        job->watch[i] = 0;
      }
  g_clear_handle_id (&job->kill_timer, g_source_remove);
  job->host = NULL;
  /* The watcher on the blocker held a reference: last, as it may be the final one. */
  if (init_instance_forget_blocker (job))
    init_instance_unref (job);
}

/* The last reference is gone: release what the instance holds (g_rc_box frees the rest). */
static void
instance_clear (gpointer data)
{
  InitInstance *job = data;

  init_instance_detach (job);
  /* Anything still held is released without failure: the instance is going away. */
  for (guint i = 0; i < job->blocking->len; i++)
    {
      InitEvent *event = g_ptr_array_index (job->blocking, i);
      init_event_unblock (event);
      init_event_unref (event);
    }
  g_ptr_array_unref (job->blocking);
  g_array_unref (job->waiters);
  init_event_operator_free (job->stop_on);
  g_clear_pointer (&job->log, init_log_free);
  g_clear_pointer (&job->env, g_ptr_array_unref);
  g_clear_pointer (&job->start_env, g_ptr_array_unref);
  g_clear_pointer (&job->stop_env, g_ptr_array_unref);
  g_clear_pointer (&job->fds, g_ptr_array_unref);
  g_clear_pointer (&job->start_fds, g_ptr_array_unref);
  init_job_class_unref (job->klass);
  init_cause_free (job->cause);
  g_free (job->name);
  g_free (job->failed_reason);
  live_instances--;
}

void
init_instance_unref (InitInstance *job)
{
  if (job != NULL)
    g_rc_box_release_full (job, instance_clear);
}

char *
init_instance_display_name (InitInstance *job)
{
  if (job->name == NULL || job->name[0] == '\0')
    return g_strdup (job->klass->name);
  return g_strdup_printf ("%s (%s)", job->klass->name, job->name);
}

guint
init_instance_count_processes (InitInstance *job)
{
  guint n = 0;

  for (guint i = 0; i < INIT_PROCESS_N; i++)
    if (job->pid[i] > 0)
      n++;
  return n;
}

void
init_instance_notify (InitInstance *job)
{
  if (job->host != NULL)
    job->host->instance_changed (job->host_data, job);
}

void
init_instance_set_cause (InitInstance    *job,
                         const InitCause *cause)
{
  if (cause == NULL && job->host != NULL)
    cause = job->host->get_current_cause (job->host_data);
  init_cause_free (job->cause);
  job->cause = cause != NULL ? init_cause_copy (cause) : init_cause_new (INIT_CAUSE_NONE);
}

char *
init_instance_failure_reason (InitInstance *job)
{
  g_return_val_if_fail (job != NULL, NULL);

  if (job->failed_reason != NULL)
    return g_strdup (job->failed_reason);
  if (job->failed_process == INIT_PROCESS_NONE)
    return g_strdup (_("respawning too fast"));
  if (job->exit_status == -1)
    return g_strdup_printf (_("%s process failed to spawn"),
                            init_process_type_to_string (job->failed_process));
  if (job->exit_status & ~0xff)
    {
      g_autofree char *sig = init_signal_to_name (job->exit_status >> 8);
      return g_strdup_printf (_("%s process killed by %s signal"),
                              init_process_type_to_string (job->failed_process), sig);
    }
  return g_strdup_printf (_("%s process terminated with status %d"),
                          init_process_type_to_string (job->failed_process), job->exit_status);
}

/* Answer every waiting caller, and release every event we hold (marking it failed if we did). */
void
init_instance_finished (InitInstance *job,
                        gboolean      failed)
{
  g_autoptr(GPtrArray) blocking = NULL;
  g_autoptr(GArray) waiters = NULL;
  g_autofree char *display = NULL;
  g_autofree char *reason = NULL;

  if (job->blocking->len == 0 && job->waiters->len == 0)
    return;

  display = init_instance_display_name (job);
  if (failed)
    reason = init_instance_failure_reason (job);

  blocking = g_steal_pointer (&job->blocking);
  job->blocking = g_ptr_array_new ();
  waiters = g_steal_pointer (&job->waiters);
  job->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));

  init_instance_ref (job);
  for (guint i = 0; i < blocking->len; i++)
    {
      InitEvent *event = g_ptr_array_index (blocking, i);
      if (failed)
        init_event_set_failed (event, display, reason);
      init_event_unblock (event);
      init_event_unref (event);
    }
  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *w = &g_array_index (waiters, Waiter, i);
      g_autoptr(GError) error = NULL;

      if (failed)
        {
          if (w->kind == WAIT_START)
            error = g_error_new (INIT_ERROR, INIT_ERROR_JOB_FAILED,
                                 _("Job failed to start: %s: %s"), display, reason);
          else if (w->kind == WAIT_STOP)
            error = g_error_new (INIT_ERROR, INIT_ERROR_JOB_FAILED,
                                 _("Job failed while stopping: %s: %s"), display, reason);
          else
            error = g_error_new (INIT_ERROR, INIT_ERROR_JOB_FAILED,
                                 _("Job failed to restart: %s: %s"), display, reason);
        }
      w->func (job, error, w->user_data);
    }
  init_instance_unref (job);
}

/* A new command or event moves the goal: callers waiting for the other direction get the truth
 * (canceled, DESIGN §2.5) and events we held are let go, since we no longer act for them. */
static void
job_supersede (InitInstance *job,
               InitGoal      new_goal)
{
  g_autoptr(GArray) keep = g_array_new (FALSE, FALSE, sizeof (Waiter));
  g_autoptr(GArray) cancel = g_array_new (FALSE, FALSE, sizeof (Waiter));
  g_autofree char *display = init_instance_display_name (job);

  for (guint i = 0; i < job->waiters->len; i++)
    {
      Waiter *w = &g_array_index (job->waiters, Waiter, i);
      gboolean wants_start = w->kind != WAIT_STOP;

      if (wants_start == (new_goal != INIT_GOAL_STOP))
        g_array_append_val (keep, *w);
      else
        g_array_append_val (cancel, *w);
    }
  g_array_set_size (job->waiters, 0);
  g_array_append_vals (job->waiters, keep->data, keep->len);

  for (guint i = 0; i < job->blocking->len; i++)
    {
      InitEvent *event = g_ptr_array_index (job->blocking, i);
      init_event_unblock (event);
      init_event_unref (event);
    }
  g_ptr_array_set_size (job->blocking, 0);

  init_instance_ref (job);
  for (guint i = 0; i < cancel->len; i++)
    {
      Waiter *w = &g_array_index (cancel, Waiter, i);
      g_autoptr(GError) error = NULL;

      error = g_error_new (INIT_ERROR, INIT_ERROR_CANCELED,
                           w->kind == WAIT_STOP
                             ? _("Stop of %s was canceled by a start request")
                             : _("Start of %s was canceled by a stop request"),
                           display);
      w->func (job, error, w->user_data);
    }
  init_instance_unref (job);
}

/* Hold @events (the ones that caused this goal change) until the job finishes. */
static void
instance_take_blocks (InitInstance *job,
                      GPtrArray    *events)
{
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      InitEvent *event = g_ptr_array_index (events, i);
      init_event_block (event);
      g_ptr_array_add (job->blocking, init_event_ref (event));
    }
}

static void
job_add_waiter (InitInstance        *job,
                WaitKind             kind,
                InitInstanceDoneFunc func,
                gpointer             user_data)
{
  Waiter w = { kind, func, user_data };

  if (func != NULL)
    g_array_append_val (job->waiters, w);
}

void
init_instance_change_goal (InitInstance *job,
                           InitGoal      goal)
{
  if (job->goal == goal)
    return;

  g_info ("%s%s%s goal changed from %s to %s", job->klass->name,
          job->name[0] ? " " : "", job->name,
          init_goal_to_string (job->goal), init_goal_to_string (goal));
  job->goal = goal;
  init_instance_notify (job);

  /* Only the rest states need a kick; elsewhere the pending process or event carries the job
   * on and the new goal takes effect when it completes (§3.2). */
  if ((goal == INIT_GOAL_START && job->state == INIT_STATE_WAITING)
      || (goal == INIT_GOAL_STOP && job->state == INIT_STATE_RUNNING))
    init_instance_change_state (job, init_instance_next_state_for (job));
  /* A main process waiting to fork may never do so (a wrong `expect`): a stop does not wait
   * for it (Upstart left such jobs stuck in spawned). */
  else if (goal == INIT_GOAL_STOP && job->state == INIT_STATE_SPAWNED && job->expecting)
    {
      init_instance_process_expect_cancel (job);
      init_instance_change_state (job, init_instance_next_state_for (job));
    }
}

/* ---- instance-level commands ---- */

/* Refuse a command whose goal the instance already has (AlreadyStarted / AlreadyStopped). */
gboolean
init_instance_check_goal (InitInstance *job,
                          InitGoal      refused,
                          GError      **error)
{
  g_autofree char *display = NULL;

  if (job->goal != refused)
    return TRUE;
  display = init_instance_display_name (job);
  if (refused == INIT_GOAL_START)
    g_set_error (error, INIT_ERROR, INIT_ERROR_ALREADY_STARTED,
                 _("Job is already running: %s"), display);
  else
    g_set_error (error, INIT_ERROR, INIT_ERROR_ALREADY_STOPPED,
                 _("Job has already been stopped: %s"), display);
  return FALSE;
}

/* What every command does first: refuse if the goal already is @refused, answer callers
 * waiting for the other direction than @goal, take the caller's cause, and replace *@env_slot
 * (if given) with a copy of @env. */
static gboolean
command_begin (InitInstance *job,
               InitGoal      refused,
               InitGoal      goal,
               GPtrArray   **env_slot,
               GPtrArray    *env,
               GError      **error)
{
  if (!init_instance_check_goal (job, refused, error))
    return FALSE;
  job_supersede (job, goal);
  init_instance_set_cause (job, NULL);
  if (env_slot == &job->start_env)
    init_instance_set_start_env (job, env != NULL ? init_env_copy (env) : NULL, NULL);
  else if (env_slot != NULL)
    {
      g_clear_pointer (env_slot, g_ptr_array_unref);
      if (env != NULL)
        *env_slot = init_env_copy (env);
    }
  return TRUE;
}

gboolean
init_instance_start (InitInstance        *job,
                     InitInstanceDoneFunc done,
                     gpointer             user_data,
                     GError             **error)
{
  g_return_val_if_fail (job != NULL, FALSE);

  if (!command_begin (job, INIT_GOAL_START, INIT_GOAL_START, NULL, NULL, error))
    return FALSE;
  job_add_waiter (job, WAIT_START, done, user_data);
  init_instance_change_goal (job, INIT_GOAL_START);
  return TRUE;
}

gboolean
init_instance_stop (InitInstance        *job,
                    GPtrArray           *stop_env,
                    InitInstanceDoneFunc done,
                    gpointer             user_data,
                    GError             **error)
{
  g_return_val_if_fail (job != NULL, FALSE);

  if (!command_begin (job, INIT_GOAL_STOP, INIT_GOAL_STOP, &job->stop_env, stop_env, error))
    return FALSE;
  job_add_waiter (job, WAIT_STOP, done, user_data);
  init_instance_change_goal (job, INIT_GOAL_STOP);
  return TRUE;
}

gboolean
init_instance_restart (InitInstance        *job,
                       GPtrArray           *start_env,
                       InitInstanceDoneFunc done,
                       gpointer             user_data,
                       GError             **error)
{
  g_return_val_if_fail (job != NULL, FALSE);

  if (!command_begin (job, INIT_GOAL_STOP, INIT_GOAL_START, &job->start_env, start_env, error))
    return FALSE;
  g_clear_pointer (&job->stop_env, g_ptr_array_unref);
  job_add_waiter (job, WAIT_RESTART, done, user_data);
  /* Stop then start: runs stopping → killed → post-stop → starting, emitting `stopping` but
   * not `stopped` (§3.7). */
  init_instance_ref (job);
  job->restarting = TRUE;
  init_instance_change_goal (job, INIT_GOAL_STOP);
  init_instance_change_goal (job, INIT_GOAL_START);
  init_instance_unref (job);
  return TRUE;
}

gboolean
init_instance_reload (InitInstance *job,
                      GError      **error)
{
  g_return_val_if_fail (job != NULL, FALSE);

  if (job->pid[INIT_PROCESS_MAIN] <= 0)
    {
      g_autofree char *display = init_instance_display_name (job);
      g_set_error (error, INIT_ERROR, INIT_ERROR_NOT_RUNNING,
                   _("Job is not running: %s"), display);
      return FALSE;
    }
  if (kill (job->pid[INIT_PROCESS_MAIN], job->klass->reload_signal) < 0 && errno != ESRCH)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, "%s", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
init_instance_handle_stop_on (InitInstance *job,
                              InitEvent    *event)
{
  gboolean stopped = FALSE;

  if (job->stop_on == NULL || !init_event_operator_handle (job->stop_on, event, job->env))
    return FALSE;
  if (!job->stop_on->value)
    return FALSE;

  if (job->goal != INIT_GOAL_STOP)
    {
      g_autoptr(GPtrArray) stop_env = init_env_new ();

      init_event_operator_environment (job->stop_on, stop_env, "UPSTART_STOP_EVENTS");
      init_instance_goal_from_event (job, INIT_GOAL_STOP, stop_env, job->stop_on, event);
      stopped = TRUE;
    }
  else
    init_event_operator_reset (job->stop_on);
  return stopped;
}

void
init_instance_set_start_env (InitInstance *job,
                             GPtrArray    *env,
                             GPtrArray    *fds)
{
  g_clear_pointer (&job->start_env, g_ptr_array_unref);
  g_clear_pointer (&job->start_fds, g_ptr_array_unref);
  job->start_env = env;
  job->start_fds = fds;
}

/* The descriptors the events of @events carry (NULL if none), each taken for the instance,
 * and UPSTART_FDS in @env naming the numbers its processes get them as (3, 4, …). */
static GPtrArray *
take_leases (GPtrArray *events,
             GPtrArray *env)
{
  g_autoptr(GPtrArray) fds = NULL;
  g_autoptr(GString) numbers = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      InitEvent *event = g_ptr_array_index (events, i);

      if (event->lease == NULL || (fds != NULL && fds->len >= INIT_INSTANCE_MAX_FDS))
        continue;
      if (fds == NULL)
        fds = g_ptr_array_new_with_free_func ((GDestroyNotify) init_fd_lease_unref);
      g_ptr_array_add (fds, init_fd_lease_take (event->lease));
      g_string_append_printf (numbers, "%s%u", numbers->len > 0 ? " " : "",
                              INIT_INSTANCE_FIRST_FD + fds->len - 1);
    }
  if (fds != NULL)
    init_env_set (env, "UPSTART_FDS", numbers->str);
  return g_steal_pointer (&fds);
}

void
init_instance_goal_from_event (InitInstance      *job,
                               InitGoal           goal,
                               GPtrArray         *env,
                               InitEventOperator *op,
                               InitEvent         *event)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) init_event_unref);
  g_autoptr(InitCause) cause = init_cause_new_event (event->id, event->name);
  g_autoptr(InitInstance) hold = init_instance_ref (job);
  GPtrArray **slot = goal == INIT_GOAL_STOP ? &job->stop_env : &job->start_env;

  job_supersede (job, goal);
  init_event_operator_collect_events (op, events);
  if (goal == INIT_GOAL_STOP)
    {
      g_clear_pointer (slot, g_ptr_array_unref);
      *slot = env != NULL ? g_ptr_array_ref (env) : NULL;
    }
  else if (env != NULL)
    init_instance_set_start_env (job, g_ptr_array_ref (env), take_leases (events, env));
  else
    init_instance_set_start_env (job, NULL, NULL);
  instance_take_blocks (job, events);
  init_instance_set_cause (job, cause);
  init_event_operator_reset (op);
  init_instance_change_goal (job, goal);
}

/* ---- for init-instance-save.c ---- */

guint
init_instance_get_n_waiters (InitInstance *job)
{
  return job->waiters->len;
}

void
init_instance_get_waiter (InitInstance *job,
                          guint         index,
                          guint        *kind,
                          gpointer     *func,
                          gpointer     *user_data)
{
  Waiter *w = &g_array_index (job->waiters, Waiter, index);

  *kind = w->kind;
  *func = w->func;
  *user_data = w->user_data;
}

gboolean
init_instance_restore_waiter (InitInstance *job,
                              guint         kind,
                              gpointer      func,
                              gpointer      user_data)
{
  if (kind > WAIT_RESTART)
    return FALSE;
  job_add_waiter (job, kind, func, user_data);
  return TRUE;
}
