/* init-state.h — the engine's whole state as a GVariant, for re-exec and crash recovery
 *
 * Format (version INIT_STATE_VERSION): a{sv} at every level, so a reader ignores keys it does
 * not know and gives missing keys their defaults; "version" says which layout the writer used
 * and a reader refuses only versions newer than INIT_STATE_MAX_COMPAT.  Top level keys (the
 * daemon adds its own, e.g. "history", "face"):
 *   "version" u, "writer" s (daemon version), "engine" a{sv}:
 *     "next-event-id" t,
 *     "events"  aa{sv}  unfinished events, oldest first (id, name, env, progress, failed, …,
 *                       watchers carried through the codec),
 *     "entries" aa{sv}  per job: name, class, pending class, deleted, latched start on leaves
 *                       a(ut) (leaf index, event id), instances aa{sv} (goal, state, env,
 *                       pids, failure, respawn counters, cause, latched stop on leaves,
 *                       the event it waits on, events it holds, carried waiters, kill timer,
 *                       expect progress, tracked descendants, log ptys).
 *
 * Callers waiting on the engine (a D-Bus method call parked until a job starts) are not the
 * engine's to serialise: an InitSaveCodec turns them into variants and back.  Waiters the
 * codec does not know are answered before saving with INIT_ERROR_CANCELED.
 */
#pragma once

#include <glib.h>

#include "init-cause.h"
#include "init-engine.h"
#include "init-event-operator.h"

G_BEGIN_DECLS

#define INIT_STATE_VERSION     1
#define INIT_STATE_MAX_COMPAT  1

typedef struct
{
  /* @func/@user_data: a waiter's callback (an InitInstanceDoneFunc or InitEventFunc).  Return a
   * variant describing it, or NULL if it cannot be carried. */
  GVariant *(*save)(gpointer func,
                    gpointer user_data,
                    gpointer codec_data);
  /* Rebuild a waiter; FALSE if @saved is not understood (it is then dropped). */
  gboolean (*load)(GVariant *saved,
                   gpointer *func,
                   gpointer *user_data,
                   gpointer  codec_data);
  gpointer codec_data;
} InitSaveCodec;

/* Causes and environments, shared by the modules' own save/restore. */
GVariant *init_save_cause_to_variant (const InitCause *cause);
InitCause *init_save_cause_from_variant (GVariant *variant);
GVariant *init_save_env_to_variant (GPtrArray *env);               /* NULL → empty as */
GPtrArray *init_save_env_from_variant (GVariant *variant);

/* The whole engine, to be written before exec.  Timers are stored as the time they have
 * left.  @minimal (the crash-recovery file): only jobs with instances, without classes,
 * events or waiters — what is needed to adopt processes after a crash. */
GVariant *init_engine_save (InitEngine          *engine,
                            const InitSaveCodec *codec,
                            gboolean             minimal);
/* Restore into an engine that has loaded its configuration but started nothing.  Instances
 * get back their class, goal, state, processes (watched again: our children's exits, even
 * those that happened during the exec, are reaped now), environment and waiters; events come
 * back with their ids and blocks.  With @adopt (crash recovery) processes are not our
 * children any more: they are watched through pidfds, and instances whose processes died
 * are marked failed ("daemon restarted") and stopped. */
gboolean    init_engine_restore (InitEngine          *engine,
                                 GVariant            *state,
                                 const InitSaveCodec *codec,
                                 gboolean             adopt,
                                 GError             **error);

/* Read / write a state blob (serialised a{sv}) from / to @fd (writing does not take
 * @state: a reference it sank, and dropped only when it was the last, leaked the whole
 * state of a re-exec that failed). */
gboolean    init_save_write_fd (GVariant *state,
                                int       fd,
                                GError  **error);
GVariant *init_save_read_fd (int      fd,
                             GError **error);
/* Check "version": FALSE with INIT_ERROR_INVALID_ARGS if newer than we understand. */
gboolean    init_save_check_version (GVariant *state,
                                     GError  **error);

/* ---- each module's part (implemented next to the state it saves) ---- */

/* init-event.c: unfinished events, oldest first; restored events are not re-announced. */
GVariant *init_event_queue_save (InitEventQueue      *queue,
                                 const InitSaveCodec *codec);
gboolean    init_event_queue_restore (InitEventQueue      *queue,
                                      GVariant            *events,
                                      guint64              next_id,
                                      const InitSaveCodec *codec,
                                      GError             **error);
guint64     init_event_queue_get_next_id (InitEventQueue *queue);
InitEvent *init_event_queue_lookup (InitEventQueue *queue,
                                    guint64         id);

/* init-job.c: one instance (its class is saved by the engine).  @minimal: only what crash
 * recovery needs (no waiters, events or ptys; the environment as its difference from the
 * class environment). */
GVariant *init_instance_save (InitInstance        *job,
                              const InitSaveCodec *codec,
                              gboolean             minimal);
/* @job is a fresh instance (waiting, goal stop) of the right class; events are looked up in
 * @queue.  Processes are watched again (see init_engine_restore for @adopt). */
void        init_instance_restore (InitInstance        *job,
                                   GVariant            *saved,
                                   InitEventQueue      *queue,
                                   const InitSaveCodec *codec,
                                   gboolean             adopt);

/* Latched leaves of an operator tree as a(ut): (leaf index, event id); and back (events
 * that are gone leave their leaf unlatched; node values are recomputed). */
GVariant *init_save_latches_save (InitEventOperator *op);
void        init_save_latches_restore (InitEventOperator *op,
                                       GVariant          *latches,
                                       InitEventQueue    *queue);

G_END_DECLS
