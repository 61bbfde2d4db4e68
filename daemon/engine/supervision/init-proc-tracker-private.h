/* init-proc-tracker-private.h — the tracker's records, shared by its three parts:
 * init-proc-tracker.c (records and the public API), init-proc-scan.c (walking /proc) and
 * init-proc-connector.c (the kernel's fork and exit events)
 */
#pragma once

#include "init-proc-tracker.h"

G_BEGIN_DECLS

#define POLL_INTERVAL_MS      10
#define VERIFY_TIMEOUT_MS     200
#define RCVBUF_INITIAL        (1 << 20)
#define RCVBUF_MAX            (64 << 20)
/* Messages read per main-loop dispatch: the host's whole fork firehose arrives here, and the
 * loop must stay responsive however busy the host is. */
#define MESSAGES_PER_DISPATCH 4096
/* ... and per sync(), which must read what was pending when it was called, not chase a
 * host that forks forever. */
#define MESSAGES_PER_SYNC     65536

typedef struct
{
  gpointer owner;
  char    *job;
  char    *instance;
  pid_t    last_root;
  pid_t    root_sid;      /* session of the latest root: generations of orphans */
  GArray  *pids;          /* pid_t, in the order they became known */
} Owner;

typedef struct
{
  Owner   *owner;
  pid_t    root;          /* the root it descends from (itself for a root) */
  guint    generation;    /* 0 for a root */
  gboolean is_root;
  guint64  start_time;    /* 0: not known yet */
} Record;

struct _InitProcTracker
{
  InitProcTracking mode;
  GFunc            mode_func;
  gpointer         mode_data;
  InitProcForkFunc fork_func;
  InitProcExitFunc exit_func;
  gpointer         user_data;
  GMainContext    *context;

  GHashTable *records;           /* pid → Record */
  GHashTable *owners;            /* owner pointer → Owner */
  GHashTable *unmatched;         /* pid → start_time: our children whose environment names
                                  * no root; not read again every 10 ms */

  int      fd;                   /* the connector socket, or -1 */
  int      rcvbuf;
  GSource *source;
  GSource *poll_source;
  gboolean polling;
  gboolean syncing;
  pid_t             self;

  guint64 n_wakeups;
  guint64 n_messages;
  guint64 n_losses;
};

/* ---- records (init-proc-tracker.c) ---- */
Record *init_proc_record_lookup (InitProcTracker *tracker,
                                 pid_t            pid);
/* Remember @pid as @owner's, descending from @root, @generation forks below it. */
Record *init_proc_record_track (InitProcTracker *tracker,
                                pid_t            pid,
                                Owner           *owner,
                                pid_t            root,
                                guint            generation,
                                guint64          start_time);
void      init_proc_record_forget (InitProcTracker *tracker,
                                   pid_t            pid);
/* Is @owner still known?  A callback may have removed it meanwhile. */
gboolean  init_proc_owner_known (InitProcTracker *tracker,
                                 gpointer         owner);
/* Poll /proc every POLL_INTERVAL_MS while polling is wanted and the mode is scanning. */
void      init_proc_tracker_update_polling (InitProcTracker *tracker);

/* ---- /proc (init-proc-scan.c) ---- */
/* One walk of /proc: exits, orphans re-parented to us, descendants; then the callbacks. */
void      init_proc_tracker_scan_all (InitProcTracker *tracker);

/* ---- the proc connector (init-proc-connector.c) ---- */
/* Open the socket with its filter and ask for events; FALSE with a @reason on failure. */
gboolean  init_proc_connector_open (InitProcTracker *tracker,
                                    const char     **reason);
/* Fork a child and wait for its FORK event: FALSE (with @reason) if none arrives. */
gboolean  init_proc_connector_verify (InitProcTracker *tracker,
                                      const char     **reason);
/* The source callback of the connector socket. */
gboolean  init_proc_connector_ready (int          fd,
                                     GIOCondition condition,
                                     gpointer     user_data);
/* Read up to @limit queued messages without blocking (see the .c for @verify_child). */
void      init_proc_connector_read (InitProcTracker *tracker,
                                    guint            limit,
                                    pid_t            verify_child,
                                    gboolean        *verified);
void      init_proc_connector_close (InitProcTracker *tracker);
/* Ask for a receive queue of @size bytes (the kernel doubles it for its bookkeeping). */
void      init_proc_connector_set_rcvbuf (InitProcTracker *tracker,
                                          int              size);
/* The connector failed for good: fall back to scanning and tell the mode callback. */
void      init_proc_connector_stop (InitProcTracker *tracker,
                                    const char      *reason);

G_END_DECLS
