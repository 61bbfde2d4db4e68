/* init-process-child.c — the child side of spawning: from fork() to exec() */
#define G_LOG_DOMAIN "init-process"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init-process-child.h"

/* Exit status of a child whose setup failed (only ever seen by the reaper). */
#define CHILD_FAILED 255

void
init_process_child_setup_clear (ChildSetup *setup)
{
  g_strfreev (setup->argv);
  g_strfreev (setup->candidates);
  g_free (setup->sh_argv);
  g_free (setup->groups);
}

/* ---- async-signal-safe from here to the end of the file ---- */

static void
child_report (ChildSetup *setup,
              ChildStep   step,
              int         err)
{
  ChildReport report = { step, err };

  if (setup->report_fd < 0)
    return;
  /* Smaller than PIPE_BUF, so the write is atomic. */
  while (write (setup->report_fd, &report, sizeof report) < 0 && errno == EINTR)
    ;
}

static void G_GNUC_NORETURN
child_fail (ChildSetup *setup,
            ChildStep   step,
            int         err)
{
  child_report (setup, step, err);
  _exit (CHILD_FAILED);
}

/* dup2() that also works when @fd already is @target (then only close-on-exec is cleared). */
static int
child_dup2 (int fd,
            int target)
{
  if (fd == target)
    return fcntl (fd, F_SETFD, 0);
  while (dup2 (fd, target) < 0)
    {
      if (errno != EINTR)
        return -1;
    }
  return 0;
}

static int
child_open_all (const char *path,
                int         flags)
{
  int fd = open (path, flags | O_NOCTTY);

  if (fd < 0)
    return -1;
  if (child_dup2 (fd, 0) < 0 || child_dup2 (fd, 1) < 0 || child_dup2 (fd, 2) < 0)
    return -1;
  if (fd > 2)
    close (fd);
  return 0;
}

static void
child_setup_stdio (ChildSetup *setup)
{
  InitConsoleType console = setup->klass->console;
  int fd;

  if (console == INIT_CONSOLE_LOG && setup->log_fd >= 0)
    {
      /* Keep the slave clear of 0..2 while they are being replaced. */
      fd = setup->log_fd > 2 ? setup->log_fd : fcntl (setup->log_fd, F_DUPFD, 3);
      if (fd < 0 || child_dup2 (fd, 1) < 0 || child_dup2 (fd, 2) < 0)
        child_fail (setup, STEP_STDIO, errno);
      if (fd != setup->log_fd)
        close (fd);
      /* The pty is not made the controlling terminal (Upstart did): a job must outlive
       * the daemon that holds the master — through a crash, until a new daemon adopts it —
       * and a session leader that exits (a daemon's first process) must not hang up the
       * process it left running.  Output still goes through a terminal (isatty is true). */
      fd = open ("/dev/null", O_RDONLY | O_NOCTTY);
      if (fd < 0 || child_dup2 (fd, 0) < 0)
        child_fail (setup, STEP_STDIO, errno);
      if (fd > 2)
        close (fd);
      return;
    }

  if (console == INIT_CONSOLE_OUTPUT && setup->inherit_output)
    {
      /* A session daemon has no console of its own: its jobs write where it writes. */
      fd = open ("/dev/null", O_RDONLY | O_NOCTTY);
      if (fd < 0 || child_dup2 (fd, 0) < 0)
        child_fail (setup, STEP_STDIO, errno);
      if (fd > 2)
        close (fd);
      return;
    }

  if (console == INIT_CONSOLE_OUTPUT || console == INIT_CONSOLE_OWNER)
    {
      if (child_open_all ("/dev/console", O_RDWR) == 0)
        {
          if (console == INIT_CONSOLE_OWNER)
            ioctl (0, TIOCSCTTY, 1);
          return;
        }
      child_report (setup, STEP_CONSOLE, errno);
    }

  if (child_open_all ("/dev/null", O_RDWR) < 0)
    child_fail (setup, STEP_STDIO, errno);
}

/* Whatever else the daemon had open must not leak into jobs.  fd 9 is set up afterwards. */
static void
child_close_on_exec_from (int first)
{
  int fd;

  if (close_range (first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return;
  for (fd = first; fd < 4096; fd++)
    fcntl (fd, F_SETFD, FD_CLOEXEC);
}

static void
child_reset_signals (void)
{
  struct sigaction action;
  sigset_t empty;
  int signum;

  memset (&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  sigemptyset (&action.sa_mask);
  /* Errors (SIGKILL, SIGSTOP, the C library's internal signals) are irrelevant. */
  for (signum = 1; signum < NSIG; signum++)
    sigaction (signum, &action, NULL);

  sigemptyset (&empty);
  sigprocmask (SIG_SETMASK, &empty, NULL);
}

/* execvp() without its allocation and environment lookup: the candidates were resolved
 * against the job's PATH before fork. */
static void G_GNUC_NORETURN
child_exec (ChildSetup *setup)
{
  gboolean denied = FALSE;
  int err = ENOENT;
  int i;

  for (i = 0; setup->candidates[i] != NULL; i++)
    {
      execve (setup->candidates[i], setup->argv, setup->envp);
      err = errno;
      if (err == ENOEXEC)
        {
          /* A file without #! runs through the shell, as execvp() does. */
          setup->sh_argv[1] = setup->candidates[i];
          execve (SHELL, setup->sh_argv, setup->envp);
          child_fail (setup, STEP_EXEC, errno);
        }
      if (err == EACCES)
        denied = TRUE;
      else if (err != ENOENT && err != ENOTDIR && err != ESTALE && err != ENODEV
               && err != ETIMEDOUT && err != ELOOP && err != ENAMETOOLONG)
        break;
    }
  child_fail (setup, STEP_EXEC, denied ? EACCES : err);
}

void
init_process_child_run (ChildSetup *setup)
{
  const InitJobClass *klass = setup->klass;
  int resource;

  if (setsid () < 0)
    child_fail (setup, STEP_SETSID, errno);

  child_setup_stdio (setup);
  child_close_on_exec_from (3);
  if (setup->script_fd >= 0 && child_dup2 (setup->script_fd, SCRIPT_FD) < 0)
    child_fail (setup, STEP_STDIO, errno);
  /* The sources are all above SCRIPT_FD, so no copy overwrites one still to be made. */
  for (guint i = 0; i < setup->n_pass_fds; i++)
    if (child_dup2 (setup->pass_fds[i], 3 + i) < 0)
      child_fail (setup, STEP_STDIO, errno);

  for (resource = 0; resource < INIT_N_LIMITS; resource++)
    {
      if (klass->limits != NULL && klass->limits[resource] != NULL
          && setrlimit (resource, klass->limits[resource]) < 0)
        child_fail (setup, STEP_RLIMIT, errno);
    }

  umask (klass->umask);

  if (klass->nice != INIT_NICE_UNSET && setpriority (PRIO_PROCESS, 0, klass->nice) < 0)
    child_fail (setup, STEP_PRIORITY, errno);

  if (klass->oom_set)
    {
      int fd = open ("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

      if (fd < 0 || write (fd, setup->oom_text, setup->oom_len) < 0)
        child_fail (setup, STEP_OOM, errno);
      close (fd);
    }

  if (klass->chroot != NULL && chroot (klass->chroot) < 0)
    child_fail (setup, STEP_CHROOT, errno);
  if (setup->chdir != NULL && chdir (setup->chdir) < 0)
    child_fail (setup, STEP_CHDIR, errno);

  /* The names were looked up before fork; failures are reported at their place in the
   * order, after chroot and chdir, as Upstart does. */
  if (setup->user_missing)
    child_fail (setup, STEP_GETPWNAM, 0);
  if (setup->group_missing)
    child_fail (setup, STEP_GETGRNAM, 0);

  /* The shell opens /proc/self/fd/9 after dropping privileges; the pipe must be its own. */
  if (setup->script_fd >= 0 && (setup->set_uid || setup->set_gid)
      && fchown (SCRIPT_FD, setup->set_uid ? setup->uid : (uid_t) -1,
                 setup->set_gid ? setup->gid : (gid_t) -1) < 0)
    child_fail (setup, STEP_CHOWN, errno);

  /* Raw system calls, not the C library's: its setgroups/setgid/setuid change the
   * credentials of every thread it knows of, and a child sharing the daemon's memory
   * (init-process.c) would reach the daemon's threads. */
  if (setup->set_groups && syscall (SYS_setgroups, setup->n_groups, setup->groups) < 0)
    child_fail (setup, STEP_INITGROUPS, errno);
  if (setup->set_gid && syscall (SYS_setgid, setup->gid) < 0)
    child_fail (setup, STEP_SETGID, errno);
  if (setup->set_uid && syscall (SYS_setuid, setup->uid) < 0)
    child_fail (setup, STEP_SETUID, errno);

  /* `debug` is parsed and reported as unsupported: it never stops the child (a process
   * nobody continues would hang the job). */
  child_reset_signals ();
  child_exec (setup);
}
