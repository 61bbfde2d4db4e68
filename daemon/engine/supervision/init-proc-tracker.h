/* init-proc-tracker.h — every process a job started, and their descendants
 *
 * The tracker knows which *owner* (an opaque pointer: the engine uses the InitInstance) each
 * process belongs to.  A process is added as a root for an owner when it is spawned (or
 * adopted); from then on every process it forks belongs to the same owner, transitively.
 *
 * Two ways to learn about forks:
 *  - the kernel's proc connector (NETLINK_CONNECTOR, PROC_CN_MCAST_LISTEN) with a classic
 *    BPF socket filter attached that passes only PROC_EVENT_FORK of processes (not threads:
 *    child pid == child tgid) and PROC_EVENT_EXIT of thread-group leaders, so thread creation
 *    never wakes the daemon.  Only messages from the kernel (nl_pid 0) are accepted; a fork is
 *    taken only when its parent is a tracked process.  ENOBUFS (lost messages) triggers a
 *    /proc rescan.
 *  - /proc scanning (fallback when the connector cannot be opened or delivers nothing, e.g.
 *    in a container; or when disabled): init_proc_tracker_sync() walks /proc, attributing
 *    children of tracked processes to their owner, and processes re-parented to us (we are
 *    child subreaper) by the UPSTART_JOB / UPSTART_INSTANCE in their environment.
 * Either way exits are learnt from the connector's EXIT messages, from the reaper (our own
 * children and orphans re-parented to us: init_proc_tracker_process_exited()), or by the
 * sync's scan noticing a process is gone.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef enum
{
  INIT_PROC_TRACKING_CONNECTOR,   /* "proc-connector" */
  INIT_PROC_TRACKING_SCAN,        /* "proc-scan" */
} InitProcTracking;

typedef struct _InitProcTracker InitProcTracker;

/* A new process of @owner: @child was forked by @parent (0 if the parent is not known: a
 * process found re-parented to us by a scan).  @generation is how many forks separate the
 * child from the root it descends from (1 = the root's child).  For a child whose parent is
 * unknown it is inferred from sessions: 1 if it shares the root's session or leads its own
 * session (setsid after the first fork), 2 otherwise. */
typedef void (*InitProcForkFunc) (gpointer owner,
                                  pid_t    parent,
                                  pid_t    child,
                                  guint    generation,
                                  gpointer user_data);
/* A tracked process that is *not* one of our watched children is gone (exit status unknown
 * to the tracker).  Also called for roots, after the owner's own handling. */
typedef void (*InitProcExitFunc) (gpointer owner,
                                  pid_t    pid,
                                  gpointer user_data);

/* @use_connector FALSE forces scanning (tests, --no-proc-connector).  Never fails: if the
 * connector cannot be opened it logs why (at info level) and scans. */
InitProcTracker *init_proc_tracker_new (gboolean         use_connector,
                                        InitProcForkFunc fork_func,
                                        InitProcExitFunc exit_func,
                                        gpointer         user_data);
void              init_proc_tracker_free (InitProcTracker *tracker);

InitProcTracking  init_proc_tracker_get_mode (InitProcTracker *tracker);
/* "proc-connector" or "proc-scan". */
const char *init_proc_tracking_to_string (InitProcTracking mode);

/* @pid (a process we just spawned, or adopted) belongs to @owner.  @job_name / @instance
 * are what its UPSTART_JOB / UPSTART_INSTANCE say, for attributing orphans when scanning. */
void              init_proc_tracker_add_root (InitProcTracker *tracker,
                                              pid_t            pid,
                                              gpointer         owner,
                                              const char      *job_name,
                                              const char      *instance);
/* Added (re-exec): @pid, a descendant of @owner's processes before the exec, is tracked
 * again as such (its exit is reported, it is no root). */
void              init_proc_tracker_add_descendant (InitProcTracker *tracker,
                                                    pid_t            pid,
                                                    gpointer         owner,
                                                    guint64          start_time);
/* Added (re-exec, adoption): walk /proc now whatever the mode, for forks nobody heard of. */
void              init_proc_tracker_rescan (InitProcTracker *tracker);

/* Forget one process (it was reaped) / every process of @owner (the instance is gone). */
void              init_proc_tracker_process_exited (InitProcTracker *tracker,
                                                    pid_t            pid);
void              init_proc_tracker_remove_owner (InitProcTracker *tracker,
                                                  gpointer         owner);

/* Bring the tracker up to date right now: read every pending connector message (or, when
 * scanning, rescan /proc), dispatching callbacks.  The engine calls it before it decides
 * anything from a process exit, so a fork that happened before the exit is always known. */
void              init_proc_tracker_sync (InitProcTracker *tracker);

/* While some owner waits for forks (expect fork/daemon) in scan mode, rescan every 10 ms;
 * @wanted FALSE when none waits any more.  No effect with the connector. */
void              init_proc_tracker_set_polling (InitProcTracker *tracker,
                                                 gboolean         wanted);

/* Live processes of @owner (pid_t, in the order they became known), or an empty array. */
GArray *init_proc_tracker_get_pids (InitProcTracker *tracker,
                                    gpointer         owner);
gpointer          init_proc_tracker_lookup (InitProcTracker *tracker,
                                            pid_t            pid);

/* Added: @func is called when the mode changes at run time (the connector failed and the
 * tracker fell back to scanning). */
void              init_proc_tracker_set_mode_func (InitProcTracker *tracker,
                                                   GFunc            func,
                                                   gpointer         user_data);

/* Tests: act as if the connector had failed (falls back to scanning, calls the mode func). */
void              init_proc_tracker_fail_connector_for_testing (InitProcTracker *tracker);
/* Tests: shrink the connector's receive queue to @bytes, so that a hundred forks overflow
 * it (the default queue holds thousands of messages, and forking that often takes tens of
 * seconds on a loaded machine). */
void              init_proc_tracker_set_queue_for_testing (InitProcTracker *tracker,
                                                           int              bytes);

/* Counters for tests and benchmarks: times the connector socket woke the main loop,
 * messages received (after the kernel filter), and times messages were lost (the receive
 * queue overflowed, which triggers a rescan of /proc). */
guint64           init_proc_tracker_get_n_wakeups (InitProcTracker *tracker);
guint64           init_proc_tracker_get_n_messages (InitProcTracker *tracker);
guint64           init_proc_tracker_get_n_losses (InitProcTracker *tracker);

G_END_DECLS
