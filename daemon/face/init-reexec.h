/* init-reexec.h — initd replaces itself with a new binary and keeps everything
 *
 * The old process freezes its bus connection (init-service.h), saves the engine (with parked
 * callers, through the manager's codec), the history and the bus connection into a memfd,
 * keeps the job log ptys open across exec and execs the daemon's binary path again with
 * --restore-fd.  SIGCHLD stays blocked through the exec, so children that die meanwhile stay
 * zombies until the new process reaps them: no exit status is lost.  The new process loads
 * the configuration, restores the state, adopts the bus connection and answers the Reexec
 * callers.
 */
#pragma once

#include "init-call.h"
#include "init-history.h"
#include "init-manager.h"
#include "init-service.h"

G_BEGIN_DECLS

typedef struct
{
  InitEngine  *engine;
  InitHistory *history;
  InitManager *manager;        /* may be NULL (--no-dbus) */
  InitService *service;        /* may be NULL */
  char        *exe;            /* the binary to exec: its path, so an upgrade takes effect */
  char       **argv;           /* the arguments we were started with (without --restore-fd) */
  GFunc        before_exec;    /* called right before exec (the daemon flushes its files) */
  gpointer     before_exec_data;
  /*< private >*/
  GPtrArray *waiting;          /* InitCall: the Reexec callers sharing the coming re-exec */
  guint      idle_id;          /* the one re-exec requested, not yet begun */
  gboolean   busy;             /* init_reexec_now() runs (and turns the main loop) */
} InitReexec;

/* InitManagerOptions.reexec: re-exec from an idle callback; the new process answers @call
 * (whose reference this takes), or this one does with the error if the exec failed.  Calls
 * made until the bus is frozen share that one re-exec, and every caller is answered. */
void      init_reexec_request (InitCall *call,
                               gpointer  reexec);
/* The daemon goes away: a re-exec requested but not begun is not done, its callers are told
 * so. */
void      init_reexec_clear (InitReexec *reexec);
/* Re-exec now, carrying the waiting Reexec callers.  Returns only on failure (the old process
 * carries on unchanged; the callers still wait). */
gboolean  init_reexec_now (InitReexec *reexec,
                           GError    **error);

/* In the new process: the state from @fd (closed). */
GVariant *init_reexec_read (int      fd,
                            GError **error);
/* Restore engine and history from @state; then the bus (adopted connection, or a fresh
 * connect) and the answer to the caller of Reexec. */
gboolean  init_reexec_restore (InitReexec *reexec,
                               GVariant   *state,
                               GError    **error);

G_END_DECLS
