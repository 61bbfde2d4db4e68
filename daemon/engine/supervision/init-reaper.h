/* init-reaper.h — the single place that waits for children
 *
 * SIGCHLD is blocked in every thread (call init_reaper_block_sigchld() first thing in main(),
 * before any thread exists) and read from a signalfd on the main context.  On each SIGCHLD the
 * reaper collects every child with waitpid(-1, WNOHANG|WUNTRACED): watched pids get their
 * callback, others (orphans re-parented to us as child subreaper) are simply reaped.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* @status is the raw wait status (use WIFEXITED etc.); called for exits, deaths by signal,
 * and stops (WIFSTOPPED).  After an exit or death the watch is removed automatically. */
typedef void (*InitReaperFunc) (pid_t    pid,
                                int      status,
                                gpointer user_data);

/* Block SIGCHLD for the calling thread (and threads it creates later). */
void     init_reaper_block_sigchld (void);

/* Start reaping on the thread-default main context. Idempotent. Returns FALSE with @error if
 * the signalfd could not be set up. */
gboolean init_reaper_start (GError **error);

/* Watch @pid; returns an id > 0. */
guint    init_reaper_watch (pid_t          pid,
                            InitReaperFunc func,
                            gpointer       user_data);
/* As init_reaper_watch(); @destroy (if not NULL) frees @user_data when the watch goes: after
 * the callback for an exit or death, or in init_reaper_unwatch(). */
guint    init_reaper_watch_full (pid_t          pid,
                                 InitReaperFunc func,
                                 gpointer       user_data,
                                 GDestroyNotify destroy);
void     init_reaper_unwatch (guint id);

/* Reap whatever is ready now, dispatching callbacks (normally driven by the signalfd). */
void     init_reaper_reap (void);

/* Added (process module): forget any status remembered for an unwatched, already reaped
 * @pid.  init_process_spawn() calls it for each new child, so a status kept for an earlier
 * process that had the same pid is never delivered to a watch of the new one. */
void     init_reaper_forget (pid_t pid);

/* Added (crash recovery): watch @pid, which is not our child (adopted after a restart),
 * through a pidfd.  Its exit status is unknown: the callback gets status 0.  Returns 0 (and
 * calls nothing but @destroy) if the process is already gone. */
guint    init_reaper_watch_pidfd (pid_t          pid,
                                  InitReaperFunc func,
                                  gpointer       user_data,
                                  GDestroyNotify destroy);

/* Added (process trees): call @func for every child reaped without a watch — orphans of job
 * processes re-parented to us as child subreaper.  Returns an id for removal. */
guint    init_reaper_add_orphan_func (InitReaperFunc func,
                                      gpointer       user_data);
void     init_reaper_remove_orphan_func (guint id);

G_END_DECLS
