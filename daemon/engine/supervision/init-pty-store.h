/* init-pty-store.h — the pty masters of `console log` jobs, kept beyond the daemon's life
 *
 * A job's terminal lives as long as someone holds its pty master.  If only initd held it,
 * a SIGKILL of initd would hang every `console log` job's terminal up: the job's next write
 * fails with EIO (a script under `sh -e` ends there) and its output is lost.  So every master
 * initd reads is also kept elsewhere (init-log.c hands them here), and a daemon started after
 * a crash takes them back when it adopts the processes:
 *
 *   - under systemd (NOTIFY_SOCKET set; the unit has FileDescriptorStoreMax=): in its
 *     file-descriptor store ("FDSTORE=1", "FDNAME=pty-PID"), handed back on the restart as
 *     LISTEN_FDS with LISTEN_FDNAMES.  Output written meanwhile waits in the pty;
 *   - otherwise: in initd-pty-keeper, a small process started once per state file, which
 *     reads the ptys while no initd is connected (bounded) and hands the masters back with
 *     that output (the protocol is in daemon/keeper/initd-pty-keeper.c).
 *
 * Process-wide, like the log writer; everything is a no-op until a store is chosen.  Across a
 * re-exec the masters go through the exec themselves; only the way to the store is carried
 * (init_pty_store_save()).
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Under systemd (NOTIFY_SOCKET in the environment): use its file-descriptor store and take
 * the ptys it handed back (LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES, removed from the environment
 * with NOTIFY_SOCKET so jobs do not inherit them).  FALSE: not under systemd. */
gboolean init_pty_store_use_systemd (void);
/* Use the keeper listening at @socket_path, taking back the ptys it holds (after a crash);
 * if none runs there, start @keeper_exe on a new socket.  FALSE with @error if neither. */
gboolean init_pty_store_use_keeper (const char *socket_path,
                                    const char *keeper_exe,
                                    GError    **error);

/* Keep @master (the pty of process @pid) outside the daemon. */
void     init_pty_store_keep (pid_t pid,
                              int   master);
/* The pty of @pid is done with: let it go. */
void     init_pty_store_forget (pid_t pid);

/* Is a master for @pid handed back (by systemd or the keeper) and not yet taken? */
gboolean init_pty_store_has (pid_t pid);
/* Take the master handed back for @pid (the store still keeps its own copy): *@master, the
 * output read while no daemon was there in *@output (a memfd at offset 0, or -1), bytes
 * lost meanwhile in *@lost.  FALSE if there is none. */
gboolean init_pty_store_take (pid_t    pid,
                              int     *master,
                              int     *output,
                              guint64 *lost);
/* The masters handed back that no adopted process claimed: closed and forgotten. */
void     init_pty_store_drop_unclaimed (void);

/* Re-exec: the way to the store as an a{sv} (floating; the keeper's socket is kept open
 * across exec), and back in the new process. */
GVariant *init_pty_store_save (void);
void      init_pty_store_restore (GVariant *saved);

/* A clean exit: the keeper lets everything go and ends. */
void     init_pty_store_shutdown (void);

G_END_DECLS
