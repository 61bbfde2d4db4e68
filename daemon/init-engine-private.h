/* init-engine-private.h — what instances need from the engine (not for the D-Bus face) */
#pragma once

#include "init-engine.h"

G_BEGIN_DECLS

/* Queue a job event (starting/started/stopping/stopped) caused by @job. */
InitEvent  *init_engine_emit_job_event     (InitEngine *engine,
                                            const char *name,
                                            GPtrArray  *env,
                                            const InitCause *cause);
/* A process of @job ended (status: exit code or signum << 8). */
void        init_engine_process_exited     (InitEngine      *engine,
                                            InitJob         *job,
                                            InitProcessType  type,
                                            pid_t            pid,
                                            int              status);
/* The instance's goal/state/processes/failure changed. */
void        init_engine_instance_changed   (InitEngine *engine,
                                            InitJob    *job);
/* The instance reached waiting: remove it from its entry. */
void        init_engine_instance_finished  (InitEngine *engine,
                                            InitJob    *job);
const InitEngineOptions *init_engine_get_options (InitEngine *engine);
gboolean    init_engine_respawn_disabled   (InitEngine *engine);

/* The cause pushed by the caller of the current command, or NULL. */
const InitCause *init_engine_get_current_cause (InitEngine *engine);
/* Replace the instance's cause with a copy of @cause (NULL: the engine's current cause, or
 * unknown). */
void        init_job_set_cause             (InitJob         *job,
                                            const InitCause *cause);

/* Create an instance (goal stop, state waiting) of @entry named @name with @klass. */
InitJob    *init_job_new                   (InitEngine   *engine,
                                            InitJobEntry *entry,
                                            InitJobClass *klass,
                                            const char   *name);
/* Engine-side commands used by event handling: */
void        init_job_change_goal           (InitJob      *job,
                                            InitJobGoal   goal);
/* Release everything waiting on the instance: events (marked failed if @failed), callers. */
void        init_job_finished              (InitJob      *job,
                                            gboolean      failed);
/* Hold @events (the ones that caused this goal change) until the job finishes. */
void        init_job_take_blocks           (InitJob      *job,
                                            GPtrArray    *events);
/* Feed @event to the instance's stop on; returns TRUE if it decided to stop. */
gboolean    init_job_handle_stop_on        (InitJob      *job,
                                            InitEvent    *event);
/* An event (re)starts the instance: answer callers waiting for the other direction. */
void        init_job_supersede_for_start   (InitJob      *job);
/* FALSE with AlreadyStarted / AlreadyStopped if the instance's goal is already @refused. */
gboolean    init_job_check_goal            (InitJob      *job,
                                            InitJobGoal   refused,
                                            GError      **error);
/* Restore: a new instance @name of @entry running @klass, without any side effect; once it
 * has its state back, init_engine_announce_instance() emits "instance-added". */
InitJob    *init_engine_restore_instance   (InitEngine   *engine,
                                            InitJobEntry *entry,
                                            InitJobClass *klass,
                                            const char   *name);
void        init_engine_announce_instance  (InitEngine   *engine,
                                            InitJob      *job);
/* ---- process trees ---- */
struct _InitProcTracker *init_engine_get_tracker (InitEngine *engine);
/* An instance starts (TRUE) or stops (FALSE) waiting for something only a /proc scan would
 * notice in time (its main process to fork, its strays to die): the tracker polls while any
 * does (scan mode only). */
void        init_engine_want_polling       (InitEngine   *engine,
                                            gboolean      waiting);
/* The tracker saw a new process of @job (see InitProcForkFunc). */
void        init_job_process_forked        (InitJob      *job,
                                            pid_t         parent,
                                            pid_t         child,
                                            guint         generation);
/* A tracked process of @job that we do not watch is gone. */
void        init_job_process_gone          (InitJob      *job,
                                            pid_t         pid);
/* Forget the engine (it is going away): cancel timers, drop watches. */
void        init_job_detach                (InitJob      *job);

G_END_DECLS
