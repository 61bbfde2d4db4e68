/* init-process-child.h — what the parent prepares for the child, and the child's side of
 * spawning (private to init-process.c)
 *
 * The parent computes everything in a ChildSetup before fork(); the child runs
 * init_process_child_run() which uses only async-signal-safe calls (no allocation, no NSS,
 * no stdio) and either execs or reports the failed step over the report pipe and exits.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "init-job-class.h"

G_BEGIN_DECLS

#define SHELL "/bin/sh"
/* The fd a multi-line script is read from, as /proc/self/fd/9. */
#define SCRIPT_FD 9

/* Steps of the child setup that can fail, reported to the parent as {step, errno}. */
typedef enum
{
  STEP_CONSOLE,         /* not fatal: /dev/console unusable, /dev/null used instead */
  STEP_SETSID,
  STEP_STDIO,
  STEP_RLIMIT,
  STEP_PRIORITY,
  STEP_OOM,
  STEP_CHROOT,
  STEP_CHDIR,
  STEP_GETPWNAM,
  STEP_GETGRNAM,
  STEP_CHOWN,
  STEP_INITGROUPS,
  STEP_SETGID,
  STEP_SETUID,
  STEP_EXEC,
} ChildStep;

typedef struct
{
  gint32 step;
  gint32 err;
} ChildReport;

/* Everything the child needs, computed before fork(): between fork and exec only
 * async-signal-safe calls are allowed, so no allocation, no NSS, no stdio there. */
typedef struct
{
  const InitJobClass *klass;
  InitProcessType     type;
  char              **argv;        /* what to exec */
  char              **candidates;  /* argv[0] resolved against PATH, in search order */
  char              **sh_argv;     /* "/bin/sh FILE ARGS…" for ENOEXEC (execvp semantics) */
  char *const        *envp;
  const char         *chdir;       /* NULL: keep the working directory */
  int                 log_fd;      /* pty slave for console log, or -1 */
  gboolean            inherit_output; /* console output: the daemon's own stdout/stderr */
  char                oom_text[16];
  gsize               oom_len;
  gboolean            set_uid;
  gboolean            set_gid;
  gboolean            user_missing;
  gboolean            group_missing;
  uid_t               uid;
  gid_t               gid;
  gboolean            set_groups;
  gid_t              *groups;
  int                 n_groups;
  int                 script_fd;   /* read end of the script pipe (>= 10), or -1 */
  int                 report_fd;   /* write end of the error pipe (>= 10, close-on-exec) */
  int                 pass_fds[6]; /* to be fds 3, 4, … (all >= 10) */
  guint               n_pass_fds;
} ChildSetup;

/* Free what the parent allocated in @setup. */
void init_process_child_setup_clear (ChildSetup *setup);
/* In the child after fork(): set up and exec, or report the failed step and _exit(). */
void init_process_child_run (ChildSetup *setup) G_GNUC_NORETURN;

G_END_DECLS
