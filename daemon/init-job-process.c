/* init-job-process.c — the processes of a job instance: spawn, watch, kill, exit rules
 * (reference §3.4, §3.10) */
#define G_LOG_DOMAIN "init-job"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-engine-private.h"
#include "init-env.h"
#include "init-error.h"
#include "init-job-private.h"
#include "init-log.h"
#include "init-process.h"
#include "init-reaper.h"

/* ---- processes (§3.4, §3.10) ---- */

static void job_process_handler (pid_t pid, int status, gpointer user_data);

typedef struct
{
  InitJob         *job;
  InitProcessType  type;
} ProcessWatch;

static char **
job_process_env (InitJob         *job,
                 InitProcessType  type)
{
  g_autoptr(GPtrArray) env = init_env_copy (job->env);
  const InitEngineOptions *options = init_engine_get_options (job->engine);

  if ((type == INIT_PROCESS_PRE_STOP || type == INIT_PROCESS_POST_STOP) && job->stop_env != NULL)
    init_env_append (env, job->stop_env, TRUE);
  init_env_set (env, "UPSTART_JOB", job->klass->name);
  init_env_set (env, "UPSTART_INSTANCE", job->name);
  for (guint i = 0; options->extra_env != NULL && options->extra_env[i] != NULL; i++)
    init_env_add (env, options->extra_env[i], TRUE);
  return init_env_to_strv (env);
}

/* Spawn @type; FALSE (after logging) if it could not be started. */
gboolean
init_job_process_run (InitJob         *job,
                 InitProcessType  type)
{
  const InitEngineOptions *options = init_engine_get_options (job->engine);
  InitSpawnOptions spawn = { options->user_mode, -1 };
  g_auto(GStrv) envp = job_process_env (job, type);
  g_autoptr(GError) error = NULL;
  g_autofree char *display = init_job_display_name (job);
  ProcessWatch *pw;
  pid_t pid;

  if (job->klass->console == INIT_CONSOLE_LOG && options->log_dir != NULL)
    {
      if (job->log == NULL)
        {
          g_autofree char *path = init_log_path_for (options->log_dir, job->klass->name, job->name);
          job->log = init_log_new (path);
        }
      spawn.log_fd = init_log_open_pty (job->log, &error);
      if (spawn.log_fd < 0)
        {
          g_warning (_("Failed to create pty for %s, logging disabled: %s"), display, error->message);
          g_clear_error (&error);
        }
    }

  pid = init_process_spawn (job->klass, type, envp, &spawn, &error);
  if (spawn.log_fd >= 0)
    close (spawn.log_fd);
  if (pid < 0)
    {
      g_warning (_("Failed to spawn %s %s process: %s"), display,
                 init_process_type_to_string (type), error->message);
      return FALSE;
    }

  g_info ("%s %s process (%d)", display, init_process_type_to_string (type), (int) pid);
  if (spawn.log_fd >= 0)
    init_log_set_pid (job->log, pid);
  job->pid[type] = pid;
  pw = g_new0 (ProcessWatch, 1);
  pw->job = init_job_ref (job);
  pw->type = type;
  job->watch[type] = init_reaper_watch (pid, job_process_handler, pw);
  init_job_notify (job);
  return TRUE;
}

static gboolean
job_kill_timer_cb (gpointer user_data)
{
  InitJob *job = user_data;
  g_autofree char *display = init_job_display_name (job);

  job->kill_timer = 0;
  if (job->pid[INIT_PROCESS_MAIN] > 0)
    {
      g_warning (_("%s main process (%d) did not stop within %d seconds, sending KILL"),
                 display, (int) job->pid[INIT_PROCESS_MAIN], job->klass->kill_timeout);
      init_process_kill (job->pid[INIT_PROCESS_MAIN], SIGKILL);
    }
  return G_SOURCE_REMOVE;
}

void
init_job_process_kill_main (InitJob *job)
{
  init_process_kill (job->pid[INIT_PROCESS_MAIN], job->klass->kill_signal);
  g_clear_handle_id (&job->kill_timer, g_source_remove);
  /* Millisecond timer: a seconds timer may fire up to a second early (it is aligned to
   * whole seconds), and `kill timeout` promises the process at least that long. */
  job->kill_timer = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                        (guint) MAX (job->klass->kill_timeout, 0) * 1000,
                                        job_kill_timer_cb, init_job_ref (job),
                                        (GDestroyNotify) init_job_unref);
}

/* Has the main process been respawned too often within the interval? (§3.4) */
static gboolean
job_catch_runaway (InitJob *job)
{
  gint64 now = g_get_monotonic_time ();

  if (job->klass->respawn_limit == 0 || job->klass->respawn_interval == 0)
    return FALSE;
  if (now - job->respawn_time < (gint64) job->klass->respawn_interval * G_USEC_PER_SEC)
    {
      job->respawn_count++;
      return job->respawn_count > job->klass->respawn_limit;
    }
  job->respawn_time = now;
  job->respawn_count = 1;
  return FALSE;
}

static void
log_termination (InitJob         *job,
                 InitProcessType  type,
                 pid_t            pid,
                 int              status)
{
  g_autofree char *display = init_job_display_name (job);
  const char *proc = init_process_type_to_string (type);
  /* Death by the signal we sent while killing it is expected: not worth a warning. */
  gboolean normal = status == 0 || init_job_class_is_normal_exit (job->klass, status)
                    || (type == INIT_PROCESS_MAIN && job->state == INIT_STATE_KILLED);

  if (status & ~0xff)
    {
      g_autofree char *sig = init_signal_to_name (status >> 8);
      if (normal)
        g_info ("%s %s process (%d) killed by %s signal", display, proc, (int) pid, sig);
      else
        g_warning (_("%s %s process (%d) killed by %s signal"), display, proc, (int) pid, sig);
    }
  else if (status != 0)
    {
      if (normal)
        g_info ("%s %s process (%d) terminated with status %d", display, proc, (int) pid, status);
      else
        g_warning (_("%s %s process (%d) terminated with status %d"), display, proc, (int) pid, status);
    }
  else
    g_info ("%s %s process (%d) exited normally", display, proc, (int) pid);
}

static void
job_process_terminated (InitJob         *job,
                        InitProcessType  type,
                        int              status)
{
  gboolean failed = FALSE, stop = FALSE, advance = TRUE;
  g_autofree char *display = init_job_display_name (job);

  switch (type)
    {
    case INIT_PROCESS_MAIN:
      /* With a post-start or pre-stop process still running we wait for it instead. */
      if ((job->state == INIT_STATE_POST_START && job->pid[INIT_PROCESS_POST_START] > 0)
          || (job->state == INIT_STATE_PRE_STOP && job->pid[INIT_PROCESS_PRE_STOP] > 0))
        advance = FALSE;

      /* Dying after we killed it is normal, and the goal may be a restart: leave it be. */
      if (job->state == INIT_STATE_KILLED)
        break;
      /* Dying while our stopping event is pending changes nothing: we wait for the event. */
      if (job->state == INIT_STATE_STOPPING || job->state == INIT_STATE_STARTING
          || job->state == INIT_STATE_PRE_START || job->state == INIT_STATE_POST_STOP
          || job->state == INIT_STATE_WAITING)
        {
          advance = FALSE;
          break;
        }

      if (job->goal != INIT_GOAL_STOP
          && (status != 0 || (job->klass->respawn && !job->klass->task)))
        {
          failed = !init_job_class_is_normal_exit (job->klass, status);

          if (failed && job->klass->respawn && !init_engine_respawn_disabled (job->engine))
            {
              if (job_catch_runaway (job))
                {
                  g_warning (_("%s respawning too fast, stopped"), display);
                  failed = FALSE;
                  init_job_failed (job, INIT_PROCESS_NONE, 0);
                }
              else
                {
                  g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_RESPAWN);

                  g_warning (_("%s %s process ended, respawning"), display,
                             init_process_type_to_string (type));
                  init_job_set_cause (job, cause);
                  failed = FALSE;
                  if (!advance)
                    {
                      /* post-start / pre-stop still running: respawn once it is done. */
                      job->goal = INIT_GOAL_RESPAWN;
                      init_job_notify (job);
                    }
                  break;
                }
            }
        }
      stop = TRUE;
      break;

    case INIT_PROCESS_PRE_START:
    case INIT_PROCESS_POST_STOP:
      /* We cannot know what state the job is in after these fail. */
      if (status != 0)
        {
          failed = TRUE;
          stop = TRUE;
        }
      break;

    case INIT_PROCESS_POST_START:
    case INIT_PROCESS_PRE_STOP:
    default:
      /* Failures are ignored: nothing useful can be done about them now. */
      break;
    }

  job->pid[type] = 0;
  init_job_notify (job);

  if (failed)
    init_job_failed (job, type, status);

  /* Any process ending cancels a pending kill escalation (as Upstart). */
  g_clear_handle_id (&job->kill_timer, g_source_remove);

  if (stop && job->goal != INIT_GOAL_STOP)
    {
      g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_PROCESS);
      init_job_set_cause (job, cause);
      init_job_change_goal (job, INIT_GOAL_STOP);
    }

  if (!advance)
    return;

  /* Only advance if this process was what the current state waited for. */
  switch (job->state)
    {
    case INIT_STATE_PRE_START:
      if (type == INIT_PROCESS_PRE_START)
        init_job_change_state (job, init_job_next_state_for (job));
      break;
    case INIT_STATE_SPAWNED:
      if (type == INIT_PROCESS_MAIN)
        init_job_change_state (job, init_job_next_state_for (job));
      break;
    case INIT_STATE_POST_START:
      if (type == INIT_PROCESS_POST_START)
        init_job_change_state (job, init_job_next_state_for (job));
      break;
    case INIT_STATE_RUNNING:
      if (type == INIT_PROCESS_MAIN)
        init_job_change_state (job, init_job_next_state_for (job));
      break;
    case INIT_STATE_PRE_STOP:
      if (type == INIT_PROCESS_PRE_STOP || type == INIT_PROCESS_MAIN)
        init_job_change_state (job, init_job_next_state_for (job));
      break;
    case INIT_STATE_KILLED:
      if (type == INIT_PROCESS_MAIN)
        init_job_change_state (job, init_job_next_state_for (job));
      break;
    case INIT_STATE_POST_STOP:
      if (type == INIT_PROCESS_POST_STOP)
        init_job_change_state (job, init_job_next_state_for (job));
      break;
    default:
      break;
    }
}

static void
job_process_handler (pid_t    pid,
                     int      wstatus,
                     gpointer user_data)
{
  ProcessWatch *pw = user_data;
  InitJob *job = pw->job;
  InitProcessType type = pw->type;
  int status;

  if (WIFSTOPPED (wstatus))
    {
      /* `expect stop`: the main process says it is ready by stopping itself (§10). */
      if (job->engine != NULL && type == INIT_PROCESS_MAIN && job->state == INIT_STATE_SPAWNED
          && job->klass->expect == INIT_EXPECT_STOP && WSTOPSIG (wstatus) == SIGSTOP)
        {
          kill (pid, SIGCONT);
          init_job_change_state (job, init_job_next_state_for (job));
        }
      return;
    }

  /* Exited or killed: the reaper drops the watch after this call. */
  status = WIFEXITED (wstatus) ? WEXITSTATUS (wstatus) : (WTERMSIG (wstatus) << 8);
  job->watch[type] = 0;
  if (job->engine != NULL && job->pid[type] == pid)
    {
      if (job->log != NULL)
        init_log_process_exited (job->log, pid);
      log_termination (job, type, pid, status);
      init_engine_process_exited (job->engine, job, type, pid, status);
      job_process_terminated (job, type, status);
    }
  init_job_unref (job);
  g_free (pw);
}

