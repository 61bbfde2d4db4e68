/* init-job-private.h — shared between the state machine and the process side of an instance */
#pragma once

#include "init-instance.h"

G_BEGIN_DECLS

/* Tell the engine the instance changed (goal, state, processes, failure). */
void          init_instance_notify             (InitInstance         *job);
/* job's next state from the table, applying a respawn goal change. */
InitState  init_instance_next_state_for     (InitInstance         *job);
/* Enter @state and keep going while states have nothing to wait for (§3.3). */
void          init_instance_change_state       (InitInstance         *job,
                                           InitState     state);
/* Record the first failure since `starting` and release everything waiting on the job. */
void          init_instance_failed             (InitInstance         *job,
                                           InitProcessType  process,
                                           int              status);
/* Spawn process @type; FALSE (logged) if it could not be started. */
gboolean      init_instance_process_run        (InitInstance         *job,
                                           InitProcessType  type);
/* Wait in spawned for the main process to fork (expect fork: once, daemon: twice). */
void          init_instance_process_expect_forks (InitInstance       *job);
/* Re-exec / crash recovery: watch the saved processes again (see init_engine_restore). */
void          init_instance_process_restore    (InitInstance         *job,
                                           GVariant        *processes,
                                           GVariant        *tracked,
                                           gboolean         expecting,
                                           gint64           kill_left_ms,
                                           gboolean         adopt);
/* Once every instance is back: processes found dead fail the job ("daemon restarted"). */
void          init_instance_process_finish_restore (InitInstance     *job);
/* While killed, the tracker must notice strays dying (scanning needs polling). */
void          init_instance_process_await_strays (InitInstance       *job,
                                             gboolean       waiting);
/* Stop waiting for those forks (the job is being stopped). */
void          init_instance_process_expect_cancel (InitInstance      *job);
/* Does the instance have processes besides the ones it spawned (left behind, escaped)? */
gboolean      init_instance_process_has_strays (InitInstance         *job);
/* Send the kill signal to the main process group and every stray, arm the SIGKILL timer and
 * wait for the strays too; FALSE (nothing done) if none of them is left. */
gboolean      init_instance_process_kill       (InitInstance         *job);

/* For init-job-state.c: the waiters (kind as WaitKind in init-job.c) and the event waited on. */
guint         init_instance_get_n_waiters      (InitInstance         *job);
void          init_instance_get_waiter         (InitInstance         *job,
                                           guint            index,
                                           guint           *kind,
                                           gpointer        *func,
                                           gpointer        *user_data);
/* FALSE if @kind is unknown (a newer daemon's). */
gboolean      init_instance_restore_waiter     (InitInstance         *job,
                                           guint            kind,
                                           gpointer         func,
                                           gpointer         user_data);
void          init_instance_restore_blocker    (InitInstance         *job,
                                           InitEvent       *event);

G_END_DECLS
