/* init-event.h — events and the event queue (reference §4.1)
 *
 * An event is a name plus an ordered KEY=VALUE environment.  It moves
 * pending -> handling -> finished.  While handling, anything that depends on it takes a block
 * (latched `start on` leaves, jobs it started or stopped, jobs waiting on their own
 * starting/stopping event); it finishes when the blocks are gone.  When it finishes, its
 * watchers are told (with the failure, if a job it caused failed), and a failed event
 * `NAME` queues `NAME/failed` with the same environment.
 */
#pragma once

#include <glib.h>

#include "init-cause.h"
#include "init-fd-lease.h"

G_BEGIN_DECLS

typedef enum
{
  INIT_EVENT_PENDING,
  INIT_EVENT_HANDLING,
  INIT_EVENT_FINISHED,
} InitEventProgress;

typedef struct _InitEvent InitEvent;
typedef struct _InitEventQueue InitEventQueue;

typedef void (*InitEventFunc) (InitEvent *event,
                               gpointer   user_data);

struct _InitEvent
{
  /*< public, read-only >*/
  guint64           id;           /* unique, increasing, never 0 */
  char             *name;
  GPtrArray        *env;          /* "KEY=VALUE" strings, in order */
  InitEventProgress progress;
  gboolean          failed;
  char             *failed_job;   /* display name of the first job that failed, or NULL */
  char             *failed_reason;  /* e.g. "main process exited with status 1", or NULL */
  guint             blockers;
  guint64           cause_id;     /* id of the event that led to this one (job events,
                                   * NAME/failed), or 0 */
  InitCause   *cause;             /* why it was emitted (never NULL) */
  InitFdLease *lease;             /* a descriptor for the jobs it starts (socket), or NULL;
                                   * let go when the event finishes */

  /*< private >*/
  gint            ref_count;
  InitEventQueue *queue;          /* weak */
  GArray         *watchers;
  guint           handled : 1;
};

/* Called when an event moves from pending to handling: this is where the engine matches it
 * against every job.  Blocks taken during the call keep it from finishing. */
typedef void (*InitEventHandleFunc) (InitEventQueue *queue,
                                     InitEvent      *event,
                                     gpointer        user_data);

InitEventQueue *init_event_queue_new (InitEventHandleFunc handle,
                                      gpointer            user_data);
void            init_event_queue_free (InitEventQueue *queue);

/* Observers (for history and D-Bus signals): @queued is called as soon as an event is queued,
 * @finished right before its watchers.  Either may be NULL. */
void            init_event_queue_set_observer (InitEventQueue *queue,
                                               InitEventFunc   queued,
                                               InitEventFunc   finished,
                                               gpointer        user_data);

/* Queue a new event.  @env (may be NULL) is copied, and so is @cause (NULL: unknown); an
 * event cause also sets ->cause_id.  Returns the event, owned by the queue
 * until it finished; take a ref to keep it longer.  Processing happens from an idle source on
 * the thread-default main context, or synchronously through init_event_queue_poll(). */
InitEvent *init_event_queue_emit (InitEventQueue  *queue,
                                  const char      *name,
                                  GPtrArray       *env,
                                  const InitCause *cause);

/* Attach @lease (a new reference) to a pending @event: the instances its `start on' starts
 * take it (init-fd-lease.h). */
void            init_event_set_lease (InitEvent   *event,
                                      InitFdLease *lease);

/* Process the queue until no further progress is possible.  Re-entrant calls are ignored. */
void            init_event_queue_poll (InitEventQueue *queue);
/* Number of events not yet finished. */
guint           init_event_queue_get_length (InitEventQueue *queue);
/* Iterate over unfinished events (oldest first). */
void            init_event_queue_foreach (InitEventQueue *queue,
                                          InitEventFunc   func,
                                          gpointer        user_data);

InitEvent *init_event_ref (InitEvent *event);
void            init_event_unref (InitEvent *event);

/* Take / release a block.  Releasing the last block of a handling event schedules the queue. */
void            init_event_block (InitEvent *event);
void            init_event_unblock (InitEvent *event);

/* Mark the event failed because of @job_name (first failure wins). */
void            init_event_set_failed (InitEvent  *event,
                                       const char *job_name,
                                       const char *reason);

/* Call @func once when the event finishes (after the `finished` observer).  If it already has,
 * @func is not called; check ->progress first. */
void            init_event_add_watcher (InitEvent    *event,
                                        InitEventFunc func,
                                        gpointer      user_data);
/* Remove a watcher added with the same @func and @user_data; FALSE if there was none. */
gboolean        init_event_remove_watcher (InitEvent    *event,
                                           InitEventFunc func,
                                           gpointer      user_data);

/* TRUE if @name is acceptable as an event name: non-empty, valid UTF-8, at most 256 bytes, no
 * whitespace or control characters. */
gboolean        init_event_name_is_valid (const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitEvent, init_event_unref)

G_END_DECLS
