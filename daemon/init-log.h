/* init-log.h — `console log`: a job's output through a pty into a file (reference §8)
 *
 * One InitLog per instance.  Each process of the instance gets a pty from the log; the log
 * reads every master side on the main context and appends to the file, which is opened
 * lazily on first output (O_APPEND|O_NOFOLLOW, mode 0640) and reopened if it was unlinked.
 * Writes never block the daemon: output that cannot be written is dropped with a warning.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct _InitLog InitLog;

/* @path: the log file (its directory is created on demand). */
InitLog    *init_log_new        (const char *path);
void        init_log_free       (InitLog    *log);

/* Open a new pty for one process: returns the slave fd for the child's stdout/stderr (the
 * caller closes it after spawning), or -1 with @error.  The log owns the master and reads
 * it until EOF/EIO. */
int         init_log_open_pty   (InitLog    *log,
                                 GError    **error);

/* The pty opened last (and not yet assigned) belongs to process @pid: its master is then kept
 * open until init_log_process_exited(), so the process is never hung up while it runs. */
void        init_log_set_pid    (InitLog    *log,
                                 pid_t       pid);
/* Process @pid has been reaped: read what it left and let its pty go. */
void        init_log_process_exited (InitLog *log,
                                     pid_t    pid);

/* Read whatever is pending on the ptys right now (used before the instance goes away, and by
 * tests). */
void        init_log_flush      (InitLog    *log);

const char *init_log_get_path   (InitLog    *log);

/* "<dir>/<class>.log" or "<dir>/<class>-<instance>.log" with every '/' in class and instance
 * replaced by '_' (reference §8, J2). */
char       *init_log_path_for   (const char *dir,
                                 const char *class_name,
                                 const char *instance);

G_END_DECLS
