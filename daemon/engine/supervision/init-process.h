/* init-process.h — spawning and signalling job processes (reference §3.10)
 *
 * Spawning forks, sets the child up exactly as the job class says (new session and process
 * group, environment, console, limits, umask, nice, oom score, chroot, chdir, setgid/setuid,
 * signal dispositions reset) and execs either the command directly or /bin/sh -e.  A setup or
 * exec failure in the child is reported back over a close-on-exec pipe, so spawn returns either
 * a running process or an error naming the step that failed.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "init-job-class.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean user_mode;      /* session daemon: keep cwd when no `chdir`, no initgroups,
                            * `console output` goes to the daemon's own stdout/stderr */
  int log_fd;              /* for console log: the pty slave to use as stdout/stderr, or -1
                            * (then console log behaves as none) */
  const int *pass_fds;     /* descriptors (each >= 10) the process gets as 3, 4, … (socket
                            * activation); nothing else of the daemon's reaches it */
  guint n_pass_fds;        /* at most 6 */
} InitSpawnOptions;

/* Spawn @type of @klass with environment @envp (NULL-terminated).  Returns the pid (> 0), or
 * -1 with INIT_ERROR_SPAWN_FAILED and a message such as
 * "unable to execute: No such file or directory" or "unable to find setuid user". */
pid_t     init_process_spawn (const InitJobClass     *klass,
                              InitProcessType         type,
                              char *const            *envp,
                              const InitSpawnOptions *options,
                              GError                **error);

/* Would the command run through /bin/sh (script, or exec with shell characters)? */
gboolean  init_process_needs_shell (const InitProcessDef *def);

/* Send @signum to the process group of @pid (falls back to the pid itself); ESRCH ignored. */
void      init_process_kill (pid_t pid,
                             int   signum);


G_END_DECLS
