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
                                            InitInstance         *job,
                                            InitProcessType  type,
                                            pid_t            pid,
                                            int              status);
/* The instance's goal/state/processes/failure changed. */
void        init_engine_instance_changed   (InitEngine *engine,
                                            InitInstance    *job);
/* The instance reached waiting: remove it from its entry. */
void        init_engine_instance_finished  (InitEngine *engine,
                                            InitInstance    *job);
const InitEngineOptions *init_engine_get_options (InitEngine *engine);
gboolean    init_engine_respawn_disabled   (InitEngine *engine);

/* The cause pushed by the caller of the current command, or NULL. */
const InitCause *init_engine_get_current_cause (InitEngine *engine);
/* Replace the instance's cause with a copy of @cause (NULL: the engine's current cause, or
 * unknown). */
void        init_instance_set_cause             (InitInstance         *job,
                                            const InitCause *cause);

/* Create an instance (goal stop, state waiting) of @entry named @name with @klass. */
InitInstance    *init_instance_new                   (InitEngine   *engine,
                                            InitJob *entry,
                                            InitJobClass *klass,
                                            const char   *name);
/* Engine-side commands used by event handling: */
void        init_instance_change_goal           (InitInstance      *job,
                                            InitGoal   goal);
/* Release everything waiting on the instance: events (marked failed if @failed), callers. */
void        init_instance_finished              (InitInstance      *job,
                                            gboolean      failed);
/* Hold @events (the ones that caused this goal change) until the job finishes. */
void        init_instance_take_blocks           (InitInstance      *job,
                                            GPtrArray    *events);
/* Feed @event to the instance's stop on; returns TRUE if it decided to stop. */
gboolean    init_instance_handle_stop_on        (InitInstance      *job,
                                            InitEvent    *event);
/* An event (re)starts the instance: answer callers waiting for the other direction. */
void        init_instance_supersede_for_start   (InitInstance      *job);
/* FALSE with AlreadyStarted / AlreadyStopped if the instance's goal is already @refused. */
gboolean    init_instance_check_goal            (InitInstance      *job,
                                            InitGoal   refused,
                                            GError      **error);
/* Restore: a new instance @name of @entry running @klass, without any side effect; once it
 * has its state back, init_engine_announce_instance() emits "instance-added". */
InitInstance    *init_engine_restore_instance   (InitEngine   *engine,
                                            InitJob *entry,
                                            InitJobClass *klass,
                                            const char   *name);
void        init_engine_announce_instance  (InitEngine   *engine,
                                            InitInstance      *job);
/* ---- process trees ---- */
struct _InitProcTracker *init_engine_get_tracker (InitEngine *engine);
/* An instance starts (TRUE) or stops (FALSE) waiting for something only a /proc scan would
 * notice in time (its main process to fork, its strays to die): the tracker polls while any
 * does (scan mode only). */
void        init_engine_want_polling       (InitEngine   *engine,
                                            gboolean      waiting);
/* The tracker saw a new process of @job (see InitProcForkFunc). */
void        init_instance_process_forked        (InitInstance      *job,
                                            pid_t         parent,
                                            pid_t         child,
                                            guint         generation);
/* A tracked process of @job that we do not watch is gone. */
void        init_instance_process_gone          (InitInstance      *job,
                                            pid_t         pid);
/* Forget the engine (it is going away): cancel timers, drop watches. */
void        init_instance_detach                (InitInstance      *job);

G_END_DECLS
