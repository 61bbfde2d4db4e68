/* init-job.c — job instances: goal, state, processes (reference §3) */
#define G_LOG_DOMAIN "init-job"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-engine-private.h"
#include "init-env.h"
#include "init-error.h"
#include "init-event-operator.h"
#include "init-instance.h"
#include "init-instance-private.h"
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
  WaitKind        kind;
  InitInstanceDoneFunc func;
  gpointer        user_data;
} Waiter;


static const char * const goal_names[] = { "stop", "start", "respawn" };
static const char * const state_names[] = {
  "waiting", "starting", "pre-start", "spawned", "post-start",
  "running", "pre-stop", "stopping", "killed", "post-stop",
};

const char *
init_goal_to_string (InitGoal goal)
{
  g_return_val_if_fail ((guint) goal < G_N_ELEMENTS (goal_names), NULL);
  return goal_names[goal];
}

const char *
init_state_to_string (InitState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

int
init_goal_from_string (const char *str)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (goal_names); i++)
    if (g_str_equal (str, goal_names[i]))
      return (int) i;
  return -1;
}

int
init_state_from_string (const char *str)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (str, state_names[i]))
      return (int) i;
  return -1;
}

InitState
init_instance_next_state (InitState  state,
                     InitGoal   goal,
                     gboolean      main_alive,
                     InitGoal  *new_goal)
{
  InitGoal dummy;

  if (new_goal == NULL)
    new_goal = &dummy;
  *new_goal = goal;

  switch (state)
    {
    case INIT_STATE_WAITING:
      /* Waiting with goal stop is a rest state: nothing follows. */
      if (goal == INIT_GOAL_STOP)
        return INIT_STATE_WAITING;
      *new_goal = INIT_GOAL_START;
      return INIT_STATE_STARTING;
    case INIT_STATE_STARTING:
      return goal == INIT_GOAL_STOP ? INIT_STATE_STOPPING : INIT_STATE_PRE_START;
    case INIT_STATE_PRE_START:
      return goal == INIT_GOAL_STOP ? INIT_STATE_STOPPING : INIT_STATE_SPAWNED;
    case INIT_STATE_SPAWNED:
      return goal == INIT_GOAL_STOP ? INIT_STATE_STOPPING : INIT_STATE_POST_START;
    case INIT_STATE_POST_START:
      if (goal == INIT_GOAL_START)
        return INIT_STATE_RUNNING;
      if (goal == INIT_GOAL_RESPAWN)
        *new_goal = INIT_GOAL_START;
      return INIT_STATE_STOPPING;
    case INIT_STATE_RUNNING:
      if (goal == INIT_GOAL_STOP)
        return main_alive ? INIT_STATE_PRE_STOP : INIT_STATE_STOPPING;
      /* goal start while running means the main process died and will be respawned */
      *new_goal = INIT_GOAL_START;
      return INIT_STATE_STOPPING;
    case INIT_STATE_PRE_STOP:
      if (goal == INIT_GOAL_START)
        return INIT_STATE_RUNNING;
      if (goal == INIT_GOAL_RESPAWN)
        *new_goal = INIT_GOAL_START;
      return INIT_STATE_STOPPING;
    case INIT_STATE_STOPPING:
      return INIT_STATE_KILLED;
    case INIT_STATE_KILLED:
      return INIT_STATE_POST_STOP;
    case INIT_STATE_POST_STOP:
      if (goal == INIT_GOAL_STOP)
        return INIT_STATE_WAITING;
      *new_goal = INIT_GOAL_START;
      return INIT_STATE_STARTING;
    default:
      g_assert_not_reached ();
    }
}

InitState
init_instance_next_state_for (InitInstance *job)
{
  InitGoal goal;
  InitState state;

  /* A restart must go all the way down even though its goal is already start again: the
   * table would read pre-stop + start as "stop cancelled" (Upstart's restart did nothing for
   * jobs with a pre-stop process). */
  if (job->restarting && job->state == INIT_STATE_PRE_STOP)
    return INIT_STATE_STOPPING;
  if (job->state == INIT_STATE_STOPPING || job->state == INIT_STATE_STARTING
      || job->state == INIT_STATE_WAITING)
    job->restarting = FALSE;

  state = init_instance_next_state (job->state, job->goal, job->pid[INIT_PROCESS_MAIN] > 0, &goal);
  if (goal != job->goal)
    {
      job->goal = goal;
      init_engine_instance_changed (job->engine, job);
    }
  return state;
}

InitInstance *
init_instance_new (InitEngine   *engine,
              InitJob *entry,
              InitJobClass *klass,
              const char   *name)
{
  InitInstance *job = g_new0 (InitInstance, 1);

  job->ref_count = 1;
  job->engine = engine;
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
  job->ref_count++;
  return job;
}

void
init_instance_detach (InitInstance *job)
{
  if (job->engine != NULL)
    {
      if (job->expecting)
        init_engine_want_polling (job->engine, FALSE);
      job->expecting = FALSE;
      init_instance_process_await_strays (job, FALSE);
      init_proc_tracker_remove_owner (init_engine_get_tracker (job->engine), job);
    }
  for (guint i = 0; i < INIT_PROCESS_N; i++)
    if (job->watch[i] != 0)
      {
        init_reaper_unwatch (job->watch[i]);
        job->watch[i] = 0;
      }
  g_clear_handle_id (&job->kill_timer, g_source_remove);
  if (job->blocker != NULL)
    {
      InitEvent *blocker = g_steal_pointer (&job->blocker);
      init_event_unref (blocker);
    }
  job->engine = NULL;
}

void
init_instance_unref (InitInstance *job)
{
  if (job == NULL)
    return;
  g_return_if_fail (job->ref_count > 0);
  if (--job->ref_count > 0)
    return;

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
  init_job_class_unref (job->klass);
  init_cause_free (job->cause);
  g_free (job->name);
  g_free (job->failed_reason);
  g_free (job);
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
  if (job->engine != NULL)
    init_engine_instance_changed (job->engine, job);
}

void
init_instance_set_cause (InitInstance         *job,
                    const InitCause *cause)
{
  if (cause == NULL && job->engine != NULL)
    cause = init_engine_get_current_cause (job->engine);
  init_cause_free (job->cause);
  job->cause = cause != NULL ? init_cause_copy (cause) : init_cause_new (INIT_CAUSE_NONE);
}

/* Answer every waiting caller, and release every event we hold (marking it failed if we did). */
void
init_instance_finished (InitInstance  *job,
                   gboolean  failed)
{
  g_autoptr(GPtrArray) blocking = NULL;
  g_autoptr(GArray) waiters = NULL;
  g_autofree char *display = NULL;
  g_autofree char *reason = NULL;

  if (job->blocking->len == 0 && job->waiters->len == 0)
    return;

  display = init_instance_display_name (job);
  if (failed)
    {
      if (job->failed_reason != NULL)
        reason = g_strdup (job->failed_reason);
      else if (job->failed_process == INIT_PROCESS_NONE)
        reason = g_strdup (_("respawning too fast"));
      else if (job->exit_status == -1)
        reason = g_strdup_printf (_("%s process failed to spawn"),
                                  init_process_type_to_string (job->failed_process));
      else if (job->exit_status & ~0xff)
        {
          g_autofree char *sig = init_signal_to_name (job->exit_status >> 8);
          reason = g_strdup_printf (_("%s process killed by %s signal"),
                                    init_process_type_to_string (job->failed_process), sig);
        }
      else
        reason = g_strdup_printf (_("%s process terminated with status %d"),
                                  init_process_type_to_string (job->failed_process),
                                  job->exit_status);
    }

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
job_supersede (InitInstance     *job,
               InitGoal  new_goal)
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

void
init_instance_take_blocks (InitInstance   *job,
                      GPtrArray *events)
{
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      InitEvent *event = g_ptr_array_index (events, i);
      init_event_block (event);
      g_ptr_array_add (job->blocking, init_event_ref (event));
    }
}

static void
job_add_waiter (InitInstance         *job,
                WaitKind         kind,
                InitInstanceDoneFunc  func,
                gpointer         user_data)
{
  Waiter w = { kind, func, user_data };

  if (func != NULL)
    g_array_append_val (job->waiters, w);
}

void
init_instance_change_goal (InitInstance     *job,
                      InitGoal  goal)
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

/* ---- job events (§3.5) ---- */

static GPtrArray *
job_event_env (InitInstance    *job,
               const char *name)
{
  GPtrArray *env = init_env_new ();

  init_env_set (env, "JOB", job->klass->name);
  init_env_set (env, "INSTANCE", job->name);

  if (g_str_equal (name, "stopping") || g_str_equal (name, "stopped"))
    {
      if (!job->failed)
        init_env_set (env, "RESULT", "ok");
      else
        {
          init_env_set (env, "RESULT", "failed");
          if (job->failed_process == INIT_PROCESS_NONE)
            init_env_set (env, "PROCESS", "respawn");
          else
            {
              init_env_set (env, "PROCESS", init_process_type_to_string (job->failed_process));
              if (job->exit_status != -1 && (job->exit_status & ~0xff))
                {
                  g_autofree char *sig = init_signal_to_name (job->exit_status >> 8);
                  init_env_set (env, "EXIT_SIGNAL", sig);
                }
              else if (job->exit_status != -1)
                {
                  g_autofree char *st = g_strdup_printf ("%d", job->exit_status);
                  init_env_set (env, "EXIT_STATUS", st);
                }
            }
        }
    }

  for (guint i = 0; job->klass->export != NULL && i < job->klass->export->len; i++)
    {
      const char *key = g_ptr_array_index (job->klass->export, i);
      const char *entry = init_env_lookup (job->env, key, strlen (key));

      if (entry != NULL)
        init_env_add (env, entry, FALSE);
    }
  return env;
}

static void job_blocker_finished (InitEvent *event, gpointer user_data);

static InitEvent *
job_emit_event (InitInstance    *job,
                const char *name,
                gboolean    block)
{
  g_autoptr(GPtrArray) env = job_event_env (job, name);
  InitEvent *event;

  event = init_engine_emit_job_event (job->engine, name, env, job->cause);
  if (block)
    {
      /* Our own starting/stopping event: we continue once everything it caused is done. */
      job->blocker = init_event_ref (event);
      init_event_add_watcher (event, job_blocker_finished, init_instance_ref (job));
    }
  return event;
}

static void
job_blocker_finished (InitEvent *event,
                      gpointer   user_data)
{
  InitInstance *job = user_data;

  if (job->blocker == event)
    {
      g_clear_pointer (&job->blocker, init_event_unref);
      if (job->engine != NULL)
        init_instance_change_state (job, init_instance_next_state_for (job));
    }
  init_instance_unref (job);
}

void
init_instance_failed (InitInstance         *job,
            InitProcessType  process,
            int              status)
{
  if (job->failed)
    return;
  job->failed = TRUE;
  job->failed_process = process;
  job->exit_status = status;
  job->failed_time = g_get_real_time ();
  init_instance_notify (job);
  init_instance_finished (job, TRUE);
}

/* ---- the state machine (§3.3) ---- */

void
init_instance_change_state (InitInstance      *job,
                  InitState  state)
{
  g_autoptr(InitInstance) hold = init_instance_ref (job);

  while (job->engine != NULL && job->state != state)
    {
      InitState old_state = job->state;
      g_autofree char *display = init_instance_display_name (job);

      g_info ("%s state changed from %s to %s", display,
              init_state_to_string (old_state), init_state_to_string (state));
      job->state = state;
      init_instance_notify (job);
      if (old_state == INIT_STATE_KILLED)
        init_instance_process_await_strays (job, FALSE);

      switch (state)
        {
        case INIT_STATE_STARTING:
          if (job->start_env != NULL)
            {
              g_ptr_array_unref (job->env);
              job->env = g_steal_pointer (&job->start_env);
            }
          g_clear_pointer (&job->stop_env, g_ptr_array_unref);
          job->failed = FALSE;
          g_clear_pointer (&job->failed_reason, g_free);
          job->failed_process = INIT_PROCESS_NONE;
          job->exit_status = 0;
          init_instance_notify (job);
          job_emit_event (job, "starting", TRUE);
          break;

        case INIT_STATE_PRE_START:
        case INIT_STATE_POST_STOP:
          {
            InitProcessType type = state == INIT_STATE_PRE_START ? INIT_PROCESS_PRE_START
                                                                 : INIT_PROCESS_POST_STOP;
            if (job->klass->process[type].command == NULL)
              state = init_instance_next_state_for (job);
            else if (!init_instance_process_run (job, type))
              {
                init_instance_failed (job, type, -1);
                init_instance_change_goal (job, INIT_GOAL_STOP);
                state = init_instance_next_state_for (job);
              }
            break;
          }

        case INIT_STATE_SPAWNED:
          if (job->klass->process[INIT_PROCESS_MAIN].command == NULL)
            state = init_instance_next_state_for (job);
          else if (!init_instance_process_run (job, INIT_PROCESS_MAIN))
            {
              init_instance_failed (job, INIT_PROCESS_MAIN, -1);
              init_instance_change_goal (job, INIT_GOAL_STOP);
              state = init_instance_next_state_for (job);
            }
          else if (job->klass->expect == INIT_EXPECT_FORK
                   || job->klass->expect == INIT_EXPECT_DAEMON)
            init_instance_process_expect_forks (job);
          else if (job->klass->expect != INIT_EXPECT_STOP)
            state = init_instance_next_state_for (job);
          break;

        case INIT_STATE_POST_START:
        case INIT_STATE_PRE_STOP:
          {
            InitProcessType type = state == INIT_STATE_POST_START ? INIT_PROCESS_POST_START
                                                                  : INIT_PROCESS_PRE_STOP;
            if (job->klass->process[type].command == NULL || !init_instance_process_run (job, type))
              state = init_instance_next_state_for (job);
            break;
          }

        case INIT_STATE_RUNNING:
          if (old_state == INIT_STATE_PRE_STOP)
            {
              /* The stop was cancelled: back to running, no `started`. */
              g_clear_pointer (&job->stop_env, g_ptr_array_unref);
              init_instance_finished (job, FALSE);
            }
          else
            {
              if (job->pid[INIT_PROCESS_MAIN] > 0)
                g_message (_("%s started (process %d)"), display, (int) job->pid[INIT_PROCESS_MAIN]);
              else
                g_message (_("%s started"), display);
              job_emit_event (job, "started", FALSE);
              if (!job->klass->task)
                init_instance_finished (job, FALSE);
              else if (job->pid[INIT_PROCESS_MAIN] <= 0)
                {
                  /* A task with nothing running (no main process) is done at once. */
                  init_instance_change_goal (job, INIT_GOAL_STOP);
                  state = job->state;
                }
            }
          break;

        case INIT_STATE_STOPPING:
          job_emit_event (job, "stopping", TRUE);
          break;

        case INIT_STATE_KILLED:
          /* The main process, or whatever it left behind when it died on its own. */
          if (!init_instance_process_kill (job))
            state = init_instance_next_state_for (job);
          break;

        case INIT_STATE_WAITING:
          if (job->failed)
            g_message (_("%s stopped (failed)"), display);
          else
            g_message (_("%s stopped"), display);
          job_emit_event (job, "stopped", FALSE);
          init_instance_finished (job, FALSE);
          init_engine_instance_finished (job->engine, job);
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/* ---- instance-level commands ---- */

/* Refuse a command whose goal the instance already has (AlreadyStarted / AlreadyStopped). */
gboolean
init_instance_check_goal (InitInstance      *job,
                     InitGoal   refused,
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

gboolean
init_instance_start (InitInstance         *job,
                InitInstanceDoneFunc  done,
                gpointer         user_data,
                GError         **error)
{
  g_return_val_if_fail (job != NULL, FALSE);

  if (!init_instance_check_goal (job, INIT_GOAL_START, error))
    return FALSE;
  job_supersede (job, INIT_GOAL_START);
  init_instance_set_cause (job, NULL);
  job_add_waiter (job, WAIT_START, done, user_data);
  init_instance_change_goal (job, INIT_GOAL_START);
  return TRUE;
}

gboolean
init_instance_stop (InitInstance         *job,
               GPtrArray       *stop_env,
               InitInstanceDoneFunc  done,
               gpointer         user_data,
               GError         **error)
{
  g_return_val_if_fail (job != NULL, FALSE);

  if (!init_instance_check_goal (job, INIT_GOAL_STOP, error))
    return FALSE;
  job_supersede (job, INIT_GOAL_STOP);
  init_instance_set_cause (job, NULL);
  g_clear_pointer (&job->stop_env, g_ptr_array_unref);
  if (stop_env != NULL)
    job->stop_env = init_env_copy (stop_env);
  job_add_waiter (job, WAIT_STOP, done, user_data);
  init_instance_change_goal (job, INIT_GOAL_STOP);
  return TRUE;
}

gboolean
init_instance_restart (InitInstance         *job,
                  GPtrArray       *start_env,
                  InitInstanceDoneFunc  done,
                  gpointer         user_data,
                  GError         **error)
{
  g_return_val_if_fail (job != NULL, FALSE);

  if (!init_instance_check_goal (job, INIT_GOAL_STOP, error))
    return FALSE;
  job_supersede (job, INIT_GOAL_START);
  init_instance_set_cause (job, NULL);
  g_clear_pointer (&job->start_env, g_ptr_array_unref);
  if (start_env != NULL)
    job->start_env = init_env_copy (start_env);
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
init_instance_reload (InitInstance  *job,
                 GError  **error)
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
init_instance_handle_stop_on (InitInstance   *job,
                         InitEvent *event)
{
  gboolean stopped = FALSE;

  if (job->stop_on == NULL || !init_event_operator_handle (job->stop_on, event, job->env))
    return FALSE;
  if (!job->stop_on->value)
    return FALSE;

  if (job->goal != INIT_GOAL_STOP)
    {
      g_autoptr(GPtrArray) stop_env = init_env_new ();
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) init_event_unref);

      init_event_operator_environment (job->stop_on, stop_env, "UPSTART_STOP_EVENTS");
      job_supersede (job, INIT_GOAL_STOP);
      g_clear_pointer (&job->stop_env, g_ptr_array_unref);
      job->stop_env = g_steal_pointer (&stop_env);
      init_event_operator_collect_events (job->stop_on, events);
      init_instance_take_blocks (job, events);
      {
        g_autoptr(InitCause) cause = init_cause_new_event (event->id, event->name);
        init_instance_set_cause (job, cause);
      }
      init_event_operator_reset (job->stop_on);
      init_instance_change_goal (job, INIT_GOAL_STOP);
      stopped = TRUE;
    }
  else
    init_event_operator_reset (job->stop_on);
  return stopped;
}

void
init_instance_supersede_for_start (InitInstance *job)
{
  job_supersede (job, INIT_GOAL_START);
}

/* ---- for init-job-state.c ---- */

guint
init_instance_get_n_waiters (InitInstance *job)
{
  return job->waiters->len;
}

void
init_instance_get_waiter (InitInstance   *job,
                     guint      index,
                     guint     *kind,
                     gpointer  *func,
                     gpointer  *user_data)
{
  Waiter *w = &g_array_index (job->waiters, Waiter, index);

  *kind = w->kind;
  *func = w->func;
  *user_data = w->user_data;
}

gboolean
init_instance_restore_waiter (InitInstance  *job,
                         guint     kind,
                         gpointer  func,
                         gpointer  user_data)
{
  if (kind > WAIT_RESTART)
    return FALSE;
  job_add_waiter (job, kind, func, user_data);
  return TRUE;
}

void
init_instance_restore_blocker (InitInstance   *job,
                          InitEvent *event)
{
  job->blocker = init_event_ref (event);
  init_event_add_watcher (event, job_blocker_finished, init_instance_ref (job));
}
