/* init-why.h — why an instance is in its state, and why a job is not running
 *
 * Why: the chain of causes behind an instance, from its last goal change back to where it
 * began, read from the history (init-history.h), so it also answers for an instance that has
 * stopped and left.  Each link is the history record itself (ttssa{sv}), newest first:
 *   - the instance's last goal change ("job-goal"), whose cause says what moved it;
 *   - for a process cause (a process failed, or the main one ended), that exit
 *     ("process-exited", with "failed" and the status), then the goal change before it;
 *   - for an event cause, the event ("event-queued"); a job event (starting, started,
 *     stopping, stopped) continues at the goal change of the job that emitted it, any other
 *     event at the event that caused it;
 *   - and so on, until a cause that is not an event: a caller (uid, pid, program), the
 *     daemon's start-up, a reload, a source's event, or the edge of the history.
 *
 * Why not: for a job, what keeps it from running: its instances (running, starting and held
 * by another job, failed, over its respawn limit), whether it is disabled, deleted, rejected
 * (its newest file failed to parse), only started by hand, or was stopped (by which event or
 * caller); and its `start on' leaves, each satisfied (by which event, when) or missing, with
 * what could produce a missing event (jobs that `emit' it, the job whose job event it is,
 * event sources, the daemon) or nothing.
 */
#pragma once

#include <glib.h>

#include "init-engine.h"
#include "init-history.h"
#include "init-source.h"

G_BEGIN_DECLS

/* At most this many links in a chain (a respawn loop would otherwise be followed to the
 * edge of the history). */
#define INIT_WHY_MAX_LINKS 64

/* The chain for instance @instance ("" for a single one) of job @job: a new array of
 * records (GVariant (ttssa{sv}), full references), newest first; empty if the history holds
 * no goal change of that instance. */
GPtrArray *init_why (InitHistory *history,
                     const char  *job,
                     const char  *instance);

/* One reason a job is (not) running. */
typedef struct
{
  const char *kind;     /* "running", "starting", "held", "stopping", "failed",
                         * "respawn-limit", "disabled", "deleted", "pending", "rejected",
                         * "manual-only", "stopped" (static strings) */
  char *subject;        /* the instance, or the job/event/file it is about; "" if none */
  char *detail;         /* free text for people ("pre-start process exited with status 1"),
                         * "" if none */
} InitWhyNotReason;

/* One `start on' leaf. */
typedef struct
{
  char   *event;        /* the event name as written */
  char  **args;         /* its arguments as written */
  guint64 event_id;     /* the event that satisfied it, 0 while it is missing */
  guint64 time;         /* when that event was queued (real µs), 0 if unknown */
  char  **producers;    /* for a missing event, what could produce it: "job:NAME" (it
                         * `emits' the event), "job-event:NAME" (the job's own starting,
                         * started… event), "source:NAME", "daemon"; empty: nothing here */
} InitWhyNotLeaf;

typedef struct
{
  char      *start_on;  /* the `start on' condition as text, "" if none */
  GPtrArray *reasons;   /* InitWhyNotReason* */
  GPtrArray *leaves;    /* InitWhyNotLeaf*, in the order they are written */
} InitWhyNot;

void        init_why_not_free (InitWhyNot *why_not);

/* Why job @name is (not) running.  @sources may be NULL (no event source is named).  A
 * name the engine does not know is INIT_ERROR_UNKNOWN_JOB, unless its file was rejected:
 * then the answer is that reason alone. */
InitWhyNot *init_why_not (InitEngine  *engine,
                          InitHistory *history,
                          InitSources *sources,
                          const char  *name,
                          GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitWhyNot, init_why_not_free)

G_END_DECLS
