/* init-job-private.h — shared between the state machine and the process side of an instance */
#pragma once

#include "init-job.h"

G_BEGIN_DECLS

/* Tell the engine the instance changed (goal, state, processes, failure). */
void          init_job_notify             (InitJob         *job);
/* job's next state from the table, applying a respawn goal change. */
InitJobState  init_job_next_state_for     (InitJob         *job);
/* Enter @state and keep going while states have nothing to wait for (§3.3). */
void          init_job_change_state       (InitJob         *job,
                                           InitJobState     state);
/* Record the first failure since `starting` and release everything waiting on the job. */
void          init_job_failed             (InitJob         *job,
                                           InitProcessType  process,
                                           int              status);
/* Spawn process @type; FALSE (logged) if it could not be started. */
gboolean      init_job_process_run        (InitJob         *job,
                                           InitProcessType  type);
/* Send the kill signal to the main process group and arm the SIGKILL timer. */
void          init_job_process_kill_main  (InitJob         *job);

G_END_DECLS
