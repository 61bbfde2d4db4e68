/* init-cause.h — why something happened: an event, a caller, a respawn, a reload…
 *
 * Every goal change of an instance and every event carries a cause, so the history can answer
 * "why is this running?".  The D-Bus face fills in callers (uid, pid, command) and pushes them
 * on the engine around a command (init_engine_push_cause); everything that happens
 * synchronously inside the command is attributed to that caller.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  INIT_CAUSE_NONE,
  INIT_CAUSE_EVENT,     /* an event (event_id, event_name) */
  INIT_CAUSE_CALLER,    /* a client (uid, pid, command) */
  INIT_CAUSE_RESPAWN,   /* the main process ended and was respawned */
  INIT_CAUSE_RELOAD,    /* a configuration reload */
  INIT_CAUSE_STARTUP,   /* the daemon itself at start-up */
  INIT_CAUSE_SHUTDOWN,  /* the daemon is stopping everything */
  INIT_CAUSE_PROCESS,   /* a process of the job ended or failed */
} InitCauseKind;

typedef struct
{
  InitCauseKind kind;
  guint64       event_id;
  char         *event_name;
  guint32       uid;
  guint32       pid;
  char         *command;
} InitCause;

InitCause *init_cause_new (InitCauseKind kind);
InitCause *init_cause_new_event (guint64     event_id,
                                 const char *event_name);
InitCause *init_cause_new_caller (guint32     uid,
                                  guint32     pid,
                                  const char *command);
InitCause *init_cause_copy (const InitCause *cause);
void        init_cause_free (InitCause *cause);
/* "event", "caller", "respawn", "reload", "startup", "shutdown", "process", "none". */
const char *init_cause_kind_to_string (InitCauseKind kind);
/* One line for logs and initctl: "event weather (#12)", "uid 1000 (pid 42, initctl)". */
char *init_cause_describe (const InitCause *cause);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitCause, init_cause_free)

G_END_DECLS
