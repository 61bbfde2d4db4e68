/* init-proc-info.h — what /proc says about a process (used where the kernel tells us nothing)
 *
 * Small, allocation-light readers of /proc/PID/{stat,cmdline,environ,task/TID/children} and a
 * pidfd wrapper.  Every reader tolerates the process vanishing while it is read (returns
 * FALSE/NULL, never warns): processes die at any time.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct
{
  pid_t   pid;
  pid_t   ppid;
  pid_t   pgid;
  pid_t   sid;
  char    state;        /* 'R', 'S', 'Z', … from /proc/PID/stat */
  guint64 start_time;   /* field 22 (clock ticks since boot): with pid, a process identity
                         * that survives pid reuse */
} InitProcInfo;

/* Parse /proc/@pid/stat (the comm field may hold spaces and parentheses). FALSE if the process
 * does not exist (or is unreadable). */
gboolean  init_proc_info_read (pid_t         pid,
                               InitProcInfo *info);
/* Is @pid alive and still the process that started at @start_time (0: any)?  Zombies count
 * as dead. */
gboolean  init_proc_info_is_alive (pid_t   pid,
                                   guint64 start_time);
/* The command line with NULs as spaces (trailing one dropped), at most 4 KiB; "[comm]" when
 * empty (kernel threads, zombies); NULL if the process is gone. */
char *init_proc_info_cmdline (pid_t pid);
/* The value of @key in the environment the process was exec'd with, or NULL (absent,
 * process gone, or not readable by us). */
char *init_proc_info_environ_get (pid_t       pid,
                                  const char *key);
/* Every process on the system (an array of InitProcInfo, unordered). */
GArray *init_proc_info_scan (void);
/* Direct children of @pid (pid_t values) from /proc/PID/task/TID/children, or from a full
 * scan where that file does not exist. */
GArray *init_proc_info_children (pid_t pid);
/* pidfd_open(2) (syscall; glibc 2.36 has no wrapper on every arch).  -1 with errno set. */
int       init_proc_pidfd_open (pid_t pid);

G_END_DECLS
