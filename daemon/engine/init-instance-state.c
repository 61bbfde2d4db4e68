/* init-instance-state.c — an instance's state machine (reference §3.2, §3.3): the transition
 * table, what entering each state does, and the job events it emits (§3.5) */
#define G_LOG_DOMAIN "init-instance"

#include <glib/gi18n.h>
#include <string.h>

#include "init-env.h"
#include "init-instance.h"
#include "init-instance-private.h"
#include "init-kernel-names.h"
#include "init-process.h"

static const char *const goal_names[] = { "stop", "start", "respawn" };
static const char *const state_names[] = {
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
init_instance_next_state (InitState state,
                          InitGoal  goal,
                          gboolean  main_alive,
                          InitGoal *new_goal)
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
      init_instance_notify (job);
    }
  return state;
}

/* ---- job events (§3.5) ---- */

static GPtrArray *
job_event_env (InitInstance *job,
               const char   *name)
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
job_emit_event (InitInstance *job,
                const char   *name,
                gboolean      block)
{
  g_autoptr(GPtrArray) env = job_event_env (job, name);
  InitEvent *event;

  event = job->host->emit_job_event (job->host_data, name, env, job->cause);
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
      if (job->host != NULL)
        init_instance_change_state (job, init_instance_next_state_for (job));
    }
  init_instance_unref (job);
}

void
init_instance_failed (InitInstance   *job,
                      InitProcessType process,
                      int             status)
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

/* Long because it is one table: one case per state, each a few lines, read side by side
 * with reference §3.3 and test-instance-transitions (a case per (state, event) pair);
 * splitting the cases into functions would only scatter that table. */
void
init_instance_change_state (InitInstance *job,
                            InitState     state)
{
  g_autoptr(InitInstance) hold = init_instance_ref (job);

  while (job->host != NULL && job->state != state)
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
              g_clear_pointer (&job->fds, g_ptr_array_unref);
              job->fds = g_steal_pointer (&job->start_fds);
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
          /* A socket it was started for is watched again (init-fd-lease.h). */
          g_clear_pointer (&job->fds, g_ptr_array_unref);
          job_emit_event (job, "stopped", FALSE);
          init_instance_finished (job, FALSE);
          if (job->host != NULL)
            job->host->instance_finished (job->host_data, job);
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

gboolean
init_instance_forget_blocker (InitInstance *job)
{
  g_autoptr(InitEvent) blocker = g_steal_pointer (&job->blocker);

  return blocker != NULL && init_event_remove_watcher (blocker, job_blocker_finished, job);
}

void
init_instance_restore_blocker (InitInstance *job,
                               InitEvent    *event)
{
  job->blocker = init_event_ref (event);
  init_event_add_watcher (event, job_blocker_finished, init_instance_ref (job));
}
