/* init-instance-private.h — an instance's insides: shared by its own files (init-instance.c,
 * init-instance-state.c, init-instance-process.c), and what its holder (the engine, the
 * save code, the state machine's tests) may call beyond init-instance.h */
#pragma once

#include "init-instance.h"

G_BEGIN_DECLS

/* ---- for the holder ---- */

/* Create an instance (goal stop, state waiting) of @entry named @name with @klass; it
 * reaches the world only through @host (called with @host_data). */
InitInstance *init_instance_new (const InitInstanceHost *host,
                                 gpointer                host_data,
                                 InitJob                *entry,
                                 InitJobClass           *klass,
                                 const char             *name);
/* Forget the host (it is going away, or the instance left it): cancel timers, drop
 * watches.  A detached instance does nothing more. */
void          init_instance_detach (InitInstance *job);
/* Replace the instance's cause with a copy of @cause (NULL: the host's current cause, or
 * unknown). */
void          init_instance_set_cause (InitInstance    *job,
                                       const InitCause *cause);
void          init_instance_change_goal (InitInstance *job,
                                         InitGoal      goal);
/* Release everything waiting on the instance: events (marked failed if @failed), callers. */
void          init_instance_finished (InitInstance *job,
                                      gboolean      failed);
/* An event (the one @op just became true for) moves the goal to @goal: callers waiting for
 * the other direction are answered, @env becomes the start or stop environment, the events
 * @op holds are held until the instance gets there, the cause is @event. */
void          init_instance_goal_from_event (InitInstance      *job,
                                             InitGoal           goal,
                                             GPtrArray         *env,
                                             InitEventOperator *op,
                                             InitEvent         *event);
/* @env (transfer full, may be NULL) becomes the environment of the next start, with the
 * descriptors of @fds (InitFdLease*, transfer full, may be NULL). */
void          init_instance_set_start_env (InitInstance *job,
                                           GPtrArray    *env,
                                           GPtrArray    *fds);
/* Feed @event to the instance's stop on; returns TRUE if it decided to stop. */
gboolean      init_instance_handle_stop_on (InitInstance *job,
                                            InitEvent    *event);
/* FALSE with AlreadyStarted / AlreadyStopped if the instance's goal is already @refused. */
gboolean      init_instance_check_goal (InitInstance *job,
                                        InitGoal      refused,
                                        GError      **error);
/* The tracker saw a new process of @job (see InitProcForkFunc). */
void          init_instance_process_forked (InitInstance *job,
                                            pid_t         parent,
                                            pid_t         child,
                                            guint         generation);
/* A tracked process of @job that we do not watch is gone. */
void          init_instance_process_gone (InitInstance *job,
                                          pid_t         pid);

/* ---- the host, as the instance's own files reach it (only while attached) ---- */

static inline InitProcTracker *
init_instance_tracker (InitInstance *job)
{
  return job->host->get_tracker (job->host_data);
}

static inline const InitEngineOptions *
init_instance_options (InitInstance *job)
{
  return job->host->get_options (job->host_data);
}

/* ---- inside the instance ---- */


/* Tell the engine the instance changed (goal, state, processes, failure). */
void          init_instance_notify (InitInstance *job);
/* job's next state from the table, applying a respawn goal change. */
InitState  init_instance_next_state_for (InitInstance *job);
/* Enter @state and keep going while states have nothing to wait for (§3.3). */
void          init_instance_change_state (InitInstance *job,
                                          InitState     state);
/* Record the first failure since `starting` and release everything waiting on the job. */
void          init_instance_failed (InitInstance   *job,
                                    InitProcessType process,
                                    int             status);
/* Spawn process @type; FALSE (logged) if it could not be started. */
gboolean      init_instance_process_run (InitInstance   *job,
                                         InitProcessType type);
/* Wait in spawned for the main process to fork (expect fork: once, daemon: twice). */
void          init_instance_process_expect_forks (InitInstance *job);
/* Re-exec / crash recovery: watch the saved processes again (see init_engine_restore). */
void          init_instance_process_restore (InitInstance *job,
                                             GVariant     *processes,
                                             GVariant     *tracked,
                                             gboolean      expecting,
                                             gint64        kill_left_ms,
                                             gboolean      adopt);
/* Once every instance is back: processes found dead fail the job ("daemon restarted"). */
void          init_instance_process_finish_restore (InitInstance *job);
/* While killed, the tracker must notice strays dying (scanning needs polling). */
void          init_instance_process_await_strays (InitInstance *job,
                                                  gboolean      waiting);
/* Stop waiting for those forks (the job is being stopped). */
void          init_instance_process_expect_cancel (InitInstance *job);
/* Does the instance have processes besides the ones it spawned (left behind, escaped)? */
gboolean      init_instance_process_has_strays (InitInstance *job);
/* Send the kill signal to the main process group and every stray, arm the SIGKILL timer and
 * wait for the strays too; FALSE (nothing done) if none of them is left. */
gboolean      init_instance_process_kill (InitInstance *job);

/* For init-job-state.c: the waiters (kind as WaitKind in init-job.c) and the event waited on. */
guint         init_instance_get_n_waiters (InitInstance *job);
void          init_instance_get_waiter (InitInstance *job,
                                        guint         index,
                                        guint        *kind,
                                        gpointer     *func,
                                        gpointer     *user_data);
/* FALSE if @kind is unknown (a newer daemon's). */
gboolean      init_instance_restore_waiter (InitInstance *job,
                                            guint         kind,
                                            gpointer      func,
                                            gpointer      user_data);
/* Stop waiting for the event the instance is blocked on (it leaves its engine, whose queue
 * will never finish it).  TRUE if the watcher was removed: the caller drops the reference it
 * held. */
gboolean      init_instance_forget_blocker (InitInstance *job);
void          init_instance_restore_blocker (InitInstance *job,
                                             InitEvent    *event);

G_END_DECLS
