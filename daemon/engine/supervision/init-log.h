/* init-log.h — `console log`: a job's output through a pty into a file (reference §8)
 *
 * One InitLog per instance.  Each process of the instance gets a pty from the log; the log
 * reads every master side on the main context and appends to the file, which is opened
 * lazily on first output (O_APPEND|O_NOFOLLOW, mode 0640) and reopened if it was unlinked.
 *
 * Files are bounded: when a write would take the file past the size limit it is rotated
 * (<file>.1 … <file>.N, the oldest dropped; N = keep) — at a line boundary where one is near.
 * Writing happens off the main thread through a bounded buffer per log, so neither the daemon
 * nor the job ever waits for a slow or full disk: the ptys are always drained; what cannot be
 * buffered is dropped and counted, and a line "[initd: N bytes of output lost]" is written
 * once the disk takes data again.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct _InitLog InitLog;

/* @path: the log file (its directory is created on demand). */
InitLog *init_log_new (const char *path);

/* Size limits for every log (process-wide; set once at start-up).  @max_size 0: unbounded.
 * @keep: rotated files kept (0: the file is truncated instead of rotated). */
void        init_log_set_limits (goffset max_size,
                                 guint   keep);
#define INIT_LOG_DEFAULT_MAX_SIZE (1024 * 1024)
#define INIT_LOG_DEFAULT_KEEP     5
void        init_log_free (InitLog *log);

/* Open a new pty for one process: returns the slave fd for the child's stdout/stderr (the
 * caller closes it after spawning), or -1 with @error.  The log owns the master and reads
 * it until EOF/EIO. */
int         init_log_open_pty (InitLog *log,
                               GError **error);

/* The pty opened last (and not yet assigned) belongs to process @pid: its master is then kept
 * open until init_log_process_exited(), so the process is never hung up while it runs. */
void        init_log_set_pid (InitLog *log,
                              pid_t    pid);
/* Process @pid has been reaped: read what it left and let its pty go. */
void        init_log_process_exited (InitLog *log,
                                     pid_t    pid);

/* Read whatever is pending on the ptys right now (used before the instance goes away, and by
 * tests). */
void        init_log_flush (InitLog *log);

const char *init_log_get_path (InitLog *log);

/* Wait (blocking, at most @timeout_ms) until everything read so far is on disk.  TRUE if it
 * is.  Used before re-exec and at exit. */
gboolean    init_log_sync (InitLog *log,
                           int      timeout_ms);
/* Added (log writer): the same for every log, including freed ones whose output the writer
 * is still finishing (init_log_free() never waits).  Call before re-exec and at exit. */
gboolean    init_log_sync_all (int timeout_ms);

/* ---- re-exec: the pty masters live on in the new process ---- */
typedef void (*InitLogPtyFunc) (pid_t    pid,
                                int      master_fd,
                                gpointer user_data);
/* Every pty master still assigned to a process.  The caller makes the fds survive exec
 * (clears FD_CLOEXEC); the log must not read them any more after init_log_detach(). */
void        init_log_foreach_pty (InitLog       *log,
                                  InitLogPtyFunc func,
                                  gpointer       user_data);
/* Stop reading every pty (without closing them): the process is about to exec. */
void        init_log_detach (InitLog *log);
/* In the new process: take over @master_fd for @pid (sets it close-on-exec again and reads
 * it as init_log_open_pty()'s masters are read).  Output the job wrote meanwhile waited in
 * the pty and is not lost. */
void        init_log_adopt_pty (InitLog *log,
                                pid_t    pid,
                                int      master_fd);

/* After a crash of the daemon: take over the master the pty store (init-pty-store.h) kept
 * for @pid, writing first what was read from it while no daemon was there.  FALSE if the
 * store has none. */
gboolean    init_log_adopt_kept_pty (InitLog *log,
                                     pid_t    pid);

/* "<dir>/<class>.log" or "<dir>/<class>-<instance>.log" with class and instance escaped as
 * object path elements are (init-name.h: "net/apache" is "net_2fapache"), so no two jobs or
 * instances share a file.  (Upstart replaced only "/" by "_", reference §8, J2.) */
char *init_log_path_for (const char *dir,
                         const char *class_name,
                         const char *instance);

G_END_DECLS
