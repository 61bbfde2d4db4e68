/* init-instance-process.c — the processes of a job instance: spawn, watch, kill, exit rules
 * (reference §3.4, §3.10) */
#define G_LOG_DOMAIN "init-job"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-env.h"
#include "init-error.h"
#include "init-instance-private.h"
#include "init-kernel-names.h"
#include "init-log.h"
#include "init-proc-info.h"
#include "init-proc-tracker.h"
#include "init-process.h"
#include "init-reaper.h"

/* ---- processes (§3.4, §3.10) ---- */

static void job_process_handler (pid_t pid, int status, gpointer user_data);

static void job_end_later (InitInstance *job, pid_t pid, int status, guint delay_ms);
static void job_process_ended (InitInstance *job, InitProcessType type, pid_t pid, int status);

typedef struct
{
  InitInstance   *job;
  InitProcessType type;
} ProcessWatch;

static char **
job_process_env (InitInstance   *job,
                 InitProcessType type)
{
  g_autoptr(GPtrArray) env = init_env_copy (job->env);
  const InitEngineOptions *options = init_instance_options (job);

  if ((type == INIT_PROCESS_PRE_STOP || type == INIT_PROCESS_POST_STOP) && job->stop_env != NULL)
    init_env_append (env, job->stop_env, TRUE);
  init_env_set (env, "UPSTART_JOB", job->klass->name);
  init_env_set (env, "UPSTART_INSTANCE", job->name);
  for (guint i = 0; options->extra_env != NULL && options->extra_env[i] != NULL; i++)
    init_env_add (env, options->extra_env[i], TRUE);
  return init_env_to_strv (env);
}

static ProcessWatch *
process_watch_new (InitInstance   *job,
                   InitProcessType type)
{
  ProcessWatch *pw = g_new0 (ProcessWatch, 1);

  pw->job = init_instance_ref (job);
  pw->type = type;
  return pw;
}

/* The reaper frees the record whenever the watch goes (an exit, or an unwatch when a fork is
 * followed, at detach, for adopted processes): it holds a reference to the instance. */
static void
process_watch_free (gpointer data)
{
  ProcessWatch *pw = data;

  init_instance_unref (pw->job);
  g_free (pw);
}

static void
job_process_watch (InitInstance   *job,
                   InitProcessType type,
                   pid_t           pid)
{
  job->pid[type] = pid;
  job->watch[type] = init_reaper_watch_full (pid, job_process_handler,
                                             process_watch_new (job, type), process_watch_free);
}

/* Spawn @type; FALSE (after logging) if it could not be started. */
gboolean
init_instance_process_run (InitInstance   *job,
                           InitProcessType type)
{
  const InitEngineOptions *options = init_instance_options (job);
  InitSpawnOptions spawn = { options->user_mode, -1 };
  g_auto (GStrv) envp = job_process_env (job, type);
  g_autoptr(GError) error = NULL;
  g_autofree char *display = init_instance_display_name (job);
  int pass_fds[INIT_INSTANCE_MAX_FDS];
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

  for (guint i = 0; job->fds != NULL && i < job->fds->len; i++)
    pass_fds[i] = init_fd_lease_get_fd (g_ptr_array_index (job->fds, i));
  spawn.pass_fds = pass_fds;
  spawn.n_pass_fds = job->fds != NULL ? job->fds->len : 0;
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
  init_proc_tracker_add_root (init_instance_tracker (job), pid, job,
                              job->klass->name, job->name);
  if (type == INIT_PROCESS_MAIN)
    {
      job->log_pid = pid;
      job->forks_seen = 0;
    }
  job_process_watch (job, type, pid);
  init_instance_notify (job);
  return TRUE;
}

/* Processes of the instance other than the ones it spawned and still watches: children a
 * daemon left behind, setsid'd grandchildren…  As of now: forks the kernel reported that
 * were not read yet count too. */
static GArray *
job_strays (InitInstance *job)
{
  GArray *pids;

  if (job->host != NULL)
    init_proc_tracker_sync (init_instance_tracker (job));
  /* What the sync reported may have finished the instance (it left the engine). */
  if (job->host == NULL)
    return g_array_new (FALSE, FALSE, sizeof (pid_t));
  pids = init_proc_tracker_get_pids (init_instance_tracker (job), job);
  for (guint i = pids->len; i > 0; i--)
    {
      pid_t pid = g_array_index (pids, pid_t, i - 1);

      for (guint t = 0; t < INIT_PROCESS_N; t++)
        if (job->pid[t] == pid)
          {
            g_array_remove_index (pids, i - 1);
            break;
          }
    }
  return pids;
}

gboolean
init_instance_process_has_strays (InitInstance *job)
{
  g_autoptr(GArray) strays = job_strays (job);

  return strays->len > 0;
}

/* @signum to the main process group and to every one of @strays, whatever group or session
 * it is in now. */
static void
job_signal (InitInstance *job,
            GArray       *strays,
            int           signum)
{
  if (job->pid[INIT_PROCESS_MAIN] > 0)
    init_process_kill (job->pid[INIT_PROCESS_MAIN], signum);
  for (guint i = 0; i < strays->len; i++)
    {
      pid_t pid = g_array_index (strays, pid_t, i);

      g_debug ("Sending signal %d to stray process %d", signum, (int) pid);
      if (kill (pid, signum) < 0 && errno != ESRCH)
        g_debug ("kill %d: %s", (int) pid, g_strerror (errno));
    }
}

static gboolean
job_kill_timer_cb (gpointer user_data)
{
  InitInstance *job = user_data;
  g_autofree char *display = init_instance_display_name (job);
  g_autoptr(GArray) strays = job_strays (job);

  job->kill_timer = 0;
  if (job->pid[INIT_PROCESS_MAIN] > 0)
    g_warning (_("%s main process (%d) did not stop within %d seconds, sending KILL"),
               display, (int) job->pid[INIT_PROCESS_MAIN], job->klass->kill_timeout);
  else if (strays->len > 0)
    g_warning (_("%s left processes that did not stop within %d seconds, sending KILL"),
               display, job->klass->kill_timeout);
  job_signal (job, strays, SIGKILL);
  return G_SOURCE_REMOVE;
}

gboolean
init_instance_process_kill (InitInstance *job)
{
  g_autoptr(GArray) strays = job_strays (job);

  if (job->host == NULL || (job->pid[INIT_PROCESS_MAIN] <= 0 && strays->len == 0))
    return FALSE;
  job_signal (job, strays, job->klass->kill_signal);
  g_clear_handle_id (&job->kill_timer, g_source_remove);
  /* Millisecond timer: a seconds timer may fire up to a second early (it is aligned to
   * whole seconds), and `kill timeout` promises the process at least that long. */
  job->kill_timer = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                        (guint) MAX (job->klass->kill_timeout, 0) * 1000,
                                        job_kill_timer_cb, init_instance_ref (job),
                                        (GDestroyNotify) init_instance_unref);
  init_instance_process_await_strays (job, TRUE);
  return TRUE;
}

/* Has the main process been respawned too often within the interval? (§3.4) */
static gboolean
job_catch_runaway (InitInstance *job)
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
log_termination (InitInstance   *job,
                 InitProcessType type,
                 pid_t           pid,
                 int             status)
{
  g_autofree char *display = init_instance_display_name (job);
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

/* The main process ended: should the instance stop (TRUE), and did it fail (@failed)?  A
 * respawn is decided here too.  @advance is cleared while the state does not wait for the
 * main process (a post-start or pre-stop still running, or a state that waits for an
 * event). */
static gboolean
main_process_ended (InitInstance *job,
                    int           status,
                    gboolean     *failed,
                    gboolean     *advance)
{
  g_autofree char *display = NULL;

  /* With a post-start or pre-stop process still running we wait for it instead. */
  if ((job->state == INIT_STATE_POST_START && job->pid[INIT_PROCESS_POST_START] > 0)
      || (job->state == INIT_STATE_PRE_STOP && job->pid[INIT_PROCESS_PRE_STOP] > 0))
    *advance = FALSE;

  /* Dying after we killed it is normal, and the goal may be a restart: leave it be. */
  if (job->state == INIT_STATE_KILLED)
    return FALSE;
  /* Dying while our stopping event is pending changes nothing: we wait for the event. */
  if (job->state == INIT_STATE_STOPPING || job->state == INIT_STATE_STARTING
      || job->state == INIT_STATE_PRE_START || job->state == INIT_STATE_POST_STOP
      || job->state == INIT_STATE_WAITING)
    {
      *advance = FALSE;
      return FALSE;
    }

  if (job->goal == INIT_GOAL_STOP
      || (status == 0 && (!job->klass->respawn || job->klass->task)))
    return TRUE;
  *failed = !init_job_class_is_normal_exit (job->klass, status);
  if (!*failed || !job->klass->respawn || job->host->respawn_disabled (job->host_data))
    return TRUE;

  display = init_instance_display_name (job);
  if (job_catch_runaway (job))
    {
      g_warning (_("%s respawning too fast, stopped"), display);
      *failed = FALSE;
      init_instance_failed (job, INIT_PROCESS_NONE, 0);
      return TRUE;
    }

  g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_RESPAWN);

  g_warning (_("%s %s process ended, respawning"), display,
             init_process_type_to_string (INIT_PROCESS_MAIN));
  init_instance_set_cause (job, cause);
  *failed = FALSE;
  if (!*advance)
    {
      /* post-start / pre-stop still running: respawn once it is done. */
      job->goal = INIT_GOAL_RESPAWN;
      init_instance_notify (job);
    }
  return FALSE;
}

/* Was the end of a process of @type what @state waited for? */
static gboolean
state_waits_for (InitState       state,
                 InitProcessType type)
{
  switch (state)
    {
    case INIT_STATE_PRE_START:
      return type == INIT_PROCESS_PRE_START;
    case INIT_STATE_SPAWNED:
    case INIT_STATE_RUNNING:
    case INIT_STATE_KILLED:
      return type == INIT_PROCESS_MAIN;
    case INIT_STATE_POST_START:
      return type == INIT_PROCESS_POST_START;
    case INIT_STATE_PRE_STOP:
      return type == INIT_PROCESS_PRE_STOP || type == INIT_PROCESS_MAIN;
    case INIT_STATE_POST_STOP:
      return type == INIT_PROCESS_POST_STOP;
    default:
      return FALSE;
    }
}

static void
job_process_terminated (InitInstance   *job,
                        InitProcessType type,
                        int             status)
{
  gboolean failed = FALSE, stop = FALSE, advance = TRUE;

  switch (type)
    {
    case INIT_PROCESS_MAIN:
      stop = main_process_ended (job, status, &failed, &advance);
      break;

    case INIT_PROCESS_PRE_START:
    case INIT_PROCESS_POST_STOP:
      /* We cannot know what state the job is in after these fail. */
      failed = stop = status != 0;
      break;

    case INIT_PROCESS_POST_START:
    case INIT_PROCESS_PRE_STOP:
    default:
      /* Failures are ignored: nothing useful can be done about them now. */
      break;
    }

  job->pid[type] = 0;
  init_instance_notify (job);

  if (failed)
    init_instance_failed (job, type, status);

  /* Killing a job waits for everything it left behind too: the kill escalation stays armed
   * for the strays, and the state advances once the last of them is gone. */
  if (job->state == INIT_STATE_KILLED && type == INIT_PROCESS_MAIN
      && init_instance_process_has_strays (job))
    return;

  /* Any process ending cancels a pending kill escalation (as Upstart). */
  g_clear_handle_id (&job->kill_timer, g_source_remove);

  if (stop && job->goal != INIT_GOAL_STOP)
    {
      g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_PROCESS);
      init_instance_set_cause (job, cause);
      init_instance_change_goal (job, INIT_GOAL_STOP);
    }

  /* Only advance if this process was what the current state waited for. */
  if (advance && state_waits_for (job->state, type))
    init_instance_change_state (job, init_instance_next_state_for (job));
}

static void
job_process_handler (pid_t    pid,
                     int      wstatus,
                     gpointer user_data)
{
  ProcessWatch *pw = user_data;
  InitInstance *job = pw->job;
  InitProcessType type = pw->type;
  int status;

  if (WIFSTOPPED (wstatus))
    {
      /* `expect stop`: the main process says it is ready by stopping itself (§10). */
      if (job->host != NULL && type == INIT_PROCESS_MAIN && job->state == INIT_STATE_SPAWNED
          && job->klass->expect == INIT_EXPECT_STOP && WSTOPSIG (wstatus) == SIGSTOP)
        {
          kill (pid, SIGCONT);
          init_instance_change_state (job, init_instance_next_state_for (job));
        }
      return;
    }

  /* Exited or killed: the reaper drops the watch after this call. */
  status = WIFEXITED (wstatus) ? WEXITSTATUS (wstatus) : (WTERMSIG (wstatus) << 8);
  job->watch[type] = 0;
  if (job->host != NULL)
    {
      InitProcTracker *tracker = init_instance_tracker (job);

      /* Every fork it made must be known before it is forgotten (its children are found by
       * their parent), and a daemon that forked before its parent exited must be known
       * before we read the exit as the end of the job: read what the kernel reported. */
      init_proc_tracker_sync (tracker);
      init_proc_tracker_process_exited (tracker, pid);
    }
  if (job->host != NULL && job->pid[type] == pid && type == INIT_PROCESS_MAIN && job->expecting
      && init_proc_tracker_get_mode (init_instance_tracker (job)) == INIT_PROC_TRACKING_SCAN)
    /* A /proc scan is no snapshot: a daemon's child may be caught half-way through being
     * re-parented to us.  Look again a moment later before calling this the end. */
    job_end_later (job, pid, status, 50);
  else if (job->host != NULL && job->pid[type] == pid)
    job_process_ended (job, type, pid, status);
  /* The reaper frees @pw (and its reference to the instance) once this returns. */
}

/* The main process @pid of a job that expects it to fork has ended (or is gone), but a fork
 * may still be on its way to us: decide after @delay_ms, once the tracker has caught up. */
typedef struct
{
  InitInstance *job;
  pid_t         pid;
  int           status;
} EndCheck;

static gboolean
end_check_cb (gpointer user_data)
{
  EndCheck *check = user_data;
  InitInstance *job = check->job;

  if (job->host != NULL)
    {
      init_proc_tracker_sync (init_instance_tracker (job));
      if (job->host != NULL && job->pid[INIT_PROCESS_MAIN] == check->pid)
        {
          if (job->watch[INIT_PROCESS_MAIN] != 0)
            {
              init_reaper_unwatch (job->watch[INIT_PROCESS_MAIN]);
              job->watch[INIT_PROCESS_MAIN] = 0;
            }
          job_process_ended (job, INIT_PROCESS_MAIN, check->pid, check->status);
        }
    }
  init_instance_unref (job);
  g_free (check);
  return G_SOURCE_REMOVE;
}

static void
job_end_later (InitInstance *job,
               pid_t         pid,
               int           status,
               guint         delay_ms)
{
  EndCheck *check = g_new0 (EndCheck, 1);

  check->job = init_instance_ref (job);
  check->pid = pid;
  check->status = status;
  g_timeout_add_full (G_PRIORITY_HIGH, delay_ms, end_check_cb, check, NULL);
}

/* Process @pid of @type is gone with @status: log, tell the engine, apply the rules. */
static void
job_process_ended (InitInstance   *job,
                   InitProcessType type,
                   pid_t           pid,
                   int             status)
{
  if (type == INIT_PROCESS_MAIN)
    init_instance_process_expect_cancel (job);
  if (job->log != NULL)
    init_log_process_exited (job->log, type == INIT_PROCESS_MAIN && job->log_pid > 0
                                         ? job->log_pid : pid);
  log_termination (job, type, pid, status);
  job->host->process_exited (job->host_data, job, type, pid, status);
  job_process_terminated (job, type, status);
}

/* ---- expect fork / expect daemon (§10) and process trees ---- */

void
init_instance_process_expect_cancel (InitInstance *job)
{
  if (!job->expecting)
    return;
  job->expecting = FALSE;
  if (job->host != NULL)
    job->host->want_polling (job->host_data, FALSE);
}

static guint
job_forks_wanted (InitInstance *job)
{
  return job->klass->expect == INIT_EXPECT_DAEMON ? 2 : 1;
}

void
init_instance_process_expect_forks (InitInstance *job)
{
  g_return_if_fail (job->klass->expect == INIT_EXPECT_FORK
                    || job->klass->expect == INIT_EXPECT_DAEMON);
  if (job->expecting || job->host == NULL)
    return;
  job->expecting = TRUE;
  job->host->want_polling (job->host_data, TRUE);
}

void
init_instance_process_await_strays (InitInstance *job,
                                    gboolean      waiting)
{
  if (job->awaiting_strays == waiting || job->host == NULL)
    return;
  job->awaiting_strays = waiting;
  job->host->want_polling (job->host_data, waiting);
}

void
init_instance_process_forked (InitInstance *job,
                              pid_t         parent,
                              pid_t         child,
                              guint         generation)
{
  g_autofree char *display = NULL;
  pid_t old;

  if (job->host == NULL || !job->expecting || job->state != INIT_STATE_SPAWNED)
    return;
  /* Follow the main process's own forks; a child found re-parented to us (parent unknown)
   * counts when it is further down than where we are. */
  if (parent != 0 && parent != job->pid[INIT_PROCESS_MAIN])
    return;
  if (parent == 0 && generation <= job->forks_seen)
    return;
  job->forks_seen = parent != 0 ? job->forks_seen + 1 : generation;

  old = job->pid[INIT_PROCESS_MAIN];
  display = init_instance_display_name (job);
  g_info ("%s main process (%d) forked: following %d", display, (int) old, (int) child);
  if (job->watch[INIT_PROCESS_MAIN] != 0)
    {
      init_reaper_unwatch (job->watch[INIT_PROCESS_MAIN]);
      job->watch[INIT_PROCESS_MAIN] = 0;
    }
  job_process_watch (job, INIT_PROCESS_MAIN, child);
  init_instance_notify (job);

  if (job->forks_seen >= job_forks_wanted (job))
    {
      init_instance_process_expect_cancel (job);
      init_instance_change_state (job, init_instance_next_state_for (job));
    }
}

void
init_instance_process_gone (InitInstance *job,
                            pid_t         pid)
{
  InitProcInfo info;

  if (job->host == NULL)
    return;
  for (guint t = 0; t < INIT_PROCESS_N; t++)
    {
      g_autofree char *display = NULL;

      if (job->pid[t] != pid)
        continue;
      /* Our own child (now or in a moment, a zombie of ours): the reaper brings its status. */
      if (init_proc_info_read (pid, &info) && info.ppid == getpid ())
        return;
      /* A followed daemon that died while its parent still ran: that parent reaped it, and
       * its status never reaches us. */
      display = init_instance_display_name (job);
      g_info ("%s %s process (%d) is gone (exit status unknown)", display,
              init_process_type_to_string (t), (int) pid);
      /* A daemon's intermediate child is gone, but the fork it made before going may come in
       * the same scan: decide once the scan is through. */
      if (t == INIT_PROCESS_MAIN && job->expecting)
        {
          job_end_later (job, pid, 0, 0);
          return;
        }
      if (job->watch[t] != 0)
        {
          init_reaper_unwatch (job->watch[t]);
          job->watch[t] = 0;
        }
      job_process_ended (job, t, pid, 0);
      return;
    }

  /* A stray: once the last one of a killed job is gone, the job moves on. */
  if (job->state == INIT_STATE_KILLED && job->pid[INIT_PROCESS_MAIN] <= 0
      && !init_instance_process_has_strays (job))
    {
      g_clear_handle_id (&job->kill_timer, g_source_remove);
      init_instance_change_state (job, init_instance_next_state_for (job));
    }
}

/* ---- re-exec and crash recovery ---- */

void
init_instance_process_restore (InitInstance *job,
                               GVariant     *processes,
                               GVariant     *tracked,
                               gboolean      expecting,
                               gint64        kill_left_ms,
                               gboolean      adopt)
{
  InitProcTracker *tracker = init_instance_tracker (job);
  g_autofree char *display = init_instance_display_name (job);

  for (gsize i = 0; processes != NULL && i < g_variant_n_children (processes); i++)
    {
      const char *type_name;
      gint32 pid;
      guint64 start_time;
      InitProcessType type;

      g_variant_get_child (processes, i, "(&sit)", &type_name, &pid, &start_time);
      type = init_process_type_from_string (type_name);
      /* Never pid 1 or ourselves, and after a crash only a process that is provably the one
       * saved (same start time): the file must not make us signal a stranger. */
      if (type == INIT_PROCESS_NONE || pid <= 1 || pid == getpid () || (adopt && start_time == 0))
        continue;
      job->pid[type] = pid;
      if (!adopt)
        {
          /* Still our child, alive or a zombie waiting for us: the reaper brings its exit,
           * even one that happened while we were exec'ing. */
          job_process_watch (job, type, pid);
        }
      else if (init_proc_info_is_alive (pid, start_time))
        {
          job->watch[type] = init_reaper_watch_pidfd (pid, job_process_handler,
                                                      process_watch_new (job, type),
                                                      process_watch_free);
          if (job->watch[type] == 0)
            job->dead_on_restore |= 1u << type;
          else
            g_message (_("%s %s process (%d) adopted"), display, init_process_type_to_string (type),
                       (int) pid);
        }
      else
        job->dead_on_restore |= 1u << type;
      if ((job->dead_on_restore & (1u << type)) == 0)
        init_proc_tracker_add_root (tracker, pid, job, job->klass->name, job->name);
    }

  for (gsize i = 0; tracked != NULL && i < g_variant_n_children (tracked); i++)
    {
      gint32 pid;
      guint64 start_time;

      g_variant_get_child (tracked, i, "(it)", &pid, &start_time);
      if (pid > 1 && pid != getpid () && start_time != 0
          && init_proc_tracker_lookup (tracker, pid) == NULL
          && init_proc_info_is_alive (pid, start_time))
        init_proc_tracker_add_descendant (tracker, pid, job, start_time);
    }

  if (expecting && job->state == INIT_STATE_SPAWNED && job->dead_on_restore == 0)
    init_instance_process_expect_forks (job);
  if (job->state == INIT_STATE_KILLED)
    init_instance_process_await_strays (job, TRUE);
  if (kill_left_ms >= 0 && job->state == INIT_STATE_KILLED)
    job->kill_timer = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (kill_left_ms, G_MAXUINT),
                                          job_kill_timer_cb, init_instance_ref (job),
                                          (GDestroyNotify) init_instance_unref);
}

void
init_instance_process_finish_restore (InitInstance *job)
{
  g_autofree char *display = NULL;
  g_autoptr(InitInstance) hold = init_instance_ref (job);
  gboolean main_died;

  if (job->dead_on_restore == 0 || job->host == NULL)
    return;
  display = init_instance_display_name (job);
  main_died = (job->dead_on_restore & (1u << INIT_PROCESS_MAIN)) != 0;
  for (guint t = 0; t < INIT_PROCESS_N; t++)
    if (job->dead_on_restore & (1u << t))
      {
        g_warning (_("%s %s process (%d) ended while the daemon was not running"), display,
                   init_process_type_to_string (t), (int) job->pid[t]);
        job->pid[t] = 0;
      }
  job->dead_on_restore = 0;
  init_instance_notify (job);

  if (main_died || job->goal != INIT_GOAL_STOP)
    {
      g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_PROCESS);

      g_free (job->failed_reason);
      job->failed_reason = g_strdup (_("daemon restarted"));
      /* Its exit status is unknown: -1 (no EXIT_* in the events), the reason says why. */
      init_instance_failed (job, main_died ? INIT_PROCESS_MAIN : INIT_PROCESS_NONE, -1);
      init_instance_set_cause (job, cause);
      init_instance_change_goal (job, INIT_GOAL_STOP);
    }
  init_instance_change_state (job, init_instance_next_state_for (job));
}
