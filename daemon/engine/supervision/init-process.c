/* init-process.c — spawning and signalling job processes (reference §3.10) */
#define G_LOG_DOMAIN "init-process"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <grp.h>
#include <sched.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-error.h"
#include "init-process.h"
#include "init-process-child.h"
#include "init-reaper.h"

/* Characters that make an `exec` line go through /bin/sh (reference §3.10). */
#define SHELL_CHARS "~`!$^&*()=|\\{}[];\"'<>?"
/* Pipes grow to hold a whole script when the kernel lets us (pipe-max-size, 1 MiB default). */
#define SCRIPT_PIPE_MAX (1024 * 1024)
#define FORK_ATTEMPTS 5

/* ---- the parent: preparing ---- */

gboolean
init_process_needs_shell (const InitProcessDef *def)
{
  g_return_val_if_fail (def != NULL, FALSE);

  return def->script || (def->command != NULL && strpbrk (def->command, SHELL_CHARS) != NULL);
}

/* Is @text one line, ignoring trailing newlines?  Then it goes to `sh -c`. */
static gboolean
script_is_single_line (const char *text,
                       gsize      *length)
{
  const char *nl = strchr (text, '\n');

  if (nl == NULL)
    {
      *length = strlen (text);
      return TRUE;
    }
  *length = nl - text;
  return strspn (nl, "\n") == strlen (nl);
}

static char **
split_command (const char *command)
{
  g_auto (GStrv) words = g_strsplit_set (command, " \t\n", -1);
  GPtrArray *argv = g_ptr_array_new ();
  int i;

  for (i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] != '\0')
        g_ptr_array_add (argv, g_strdup (words[i]));
    }
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

/* Fill argv and the PATH candidates; *script is set to the text to feed through fd 9. */
static void
prepare_command (ChildSetup           *setup,
                 const InitProcessDef *def,
                 char                **script)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  const char *path;
  gsize length = 0;
  int argc, i;

  *script = NULL;
  if (def->script && !script_is_single_line (def->command, &length))
    {
      setup->argv = g_new0 (char *, 4);
      setup->argv[0] = g_strdup (SHELL);
      setup->argv[1] = g_strdup ("-e");
      setup->argv[2] = g_strdup_printf ("/proc/self/fd/%d", SCRIPT_FD);
      *script = g_strdup_printf ("exec %d<&-\n%s", SCRIPT_FD, def->command);
    }
  else if (init_process_needs_shell (def))
    {
      setup->argv = g_new0 (char *, 6);
      setup->argv[0] = g_strdup (SHELL);
      setup->argv[1] = g_strdup ("-e");
      setup->argv[2] = g_strdup ("-c");
      setup->argv[3] = def->script ? g_strndup (def->command, length)
                                   : g_strconcat ("exec ", def->command, NULL);
      setup->argv[4] = g_strdup (SHELL);
    }
  else
    {
      setup->argv = split_command (def->command);
    }

  argc = g_strv_length (setup->argv);
  /* An empty command still goes through exec, which reports ENOENT. */
  if (argc == 0)
    {
      g_strfreev (setup->argv);
      setup->argv = g_new0 (char *, 2);
      setup->argv[0] = g_strdup ("");
      argc = 1;
    }

  if (strchr (setup->argv[0], '/') != NULL || setup->argv[0][0] == '\0')
    {
      g_ptr_array_add (candidates, g_strdup (setup->argv[0]));
    }
  else
    {
      g_auto (GStrv) dirs = NULL;

      path = g_environ_getenv ((char **) setup->envp, "PATH");
      /* The C library's default search path (confstr _CS_PATH), as execvp() uses. */
      dirs = g_strsplit (path != NULL ? path : "/bin:/usr/bin", ":", -1);
      for (i = 0; dirs[i] != NULL; i++)
        g_ptr_array_add (candidates, dirs[i][0] == '\0'
                                     ? g_strdup (setup->argv[0])
                                     : g_build_filename (dirs[i], setup->argv[0], NULL));
    }
  g_ptr_array_add (candidates, NULL);
  setup->candidates = (char **) g_ptr_array_steal (candidates, NULL);

  /* "/bin/sh" FILE argv[1..] NULL; FILE is filled in by the child. */
  setup->sh_argv = g_new0 (char *, argc + 2);
  setup->sh_argv[0] = (char *) SHELL;
  for (i = 1; i < argc; i++)
    setup->sh_argv[i + 1] = setup->argv[i];
}

/* The names are resolved here, with the daemon's user databases, because NSS is not
 * async-signal-safe and so cannot run between fork and exec.  (Upstart resolved them in the
 * child after `chroot`, i.e. with the chroot's databases; ids are normally the same.) */
static void
prepare_credentials (ChildSetup             *setup,
                     const InitJobClass     *klass,
                     const InitSpawnOptions *options)
{
  g_autofree char *buffer = NULL;
  struct passwd pw, *user = NULL;
  struct group gr, *group = NULL;
  gsize size = 1024;
  int n;

  if (klass->setuid != NULL)
    {
      do
        buffer = g_realloc (buffer, size *= 2);
      while (getpwnam_r (klass->setuid, &pw, buffer, size, &user) == ERANGE);
      setup->user_missing = (user == NULL);
    }
  if (user != NULL)
    {
      setup->set_uid = TRUE;
      setup->uid = user->pw_uid;
      /* Without `setgid` the user's own group is used. */
      setup->set_gid = TRUE;
      setup->gid = user->pw_gid;
      /* initgroups (user, primary group), as Upstart does for root. */
      if (!options->user_mode && geteuid () == 0)
        {
          n = 32;
          setup->groups = g_new (gid_t, n);
          while (getgrouplist (user->pw_name, user->pw_gid, setup->groups, &n) < 0)
            setup->groups = g_renew (gid_t, setup->groups, n);
          setup->n_groups = n;
          setup->set_groups = TRUE;
        }
    }

  if (klass->setgid != NULL)
    {
      do
        buffer = g_realloc (buffer, size *= 2);
      while (getgrnam_r (klass->setgid, &gr, buffer, size, &group) == ERANGE);
      setup->group_missing = (group == NULL);
      setup->set_gid = (group != NULL);
      if (group != NULL)
        setup->gid = group->gr_gid;
    }
}

/* ---- the parent: after fork ---- */

static const char *
step_message (ChildStep step)
{
  switch (step)
    {
    case STEP_CONSOLE:    return N_("unable to open console");
    case STEP_SETSID:     return N_("unable to create a new session");
    case STEP_STDIO:      return N_("unable to set up standard input and output");
    case STEP_RLIMIT:     return N_("unable to set resource limit");
    case STEP_PRIORITY:   return N_("unable to set priority");
    case STEP_OOM:        return N_("unable to set oom adjustment");
    case STEP_CHROOT:     return N_("unable to change root directory");
    case STEP_CHDIR:      return N_("unable to change working directory");
    case STEP_GETPWNAM:   return N_("unable to find setuid user");
    case STEP_GETGRNAM:   return N_("unable to find setgid group");
    case STEP_CHOWN:      return N_("unable to change owner of the script");
    case STEP_INITGROUPS: return N_("unable to initialise supplementary groups");
    case STEP_SETGID:     return N_("unable to set group");
    case STEP_SETUID:     return N_("unable to set user");
    case STEP_EXEC:       return N_("unable to execute");
    default:              return N_("unable to spawn process");
    }
}

/* Read the child's reports until exec closes the pipe.  Returns FALSE with @error if a
 * setup step failed. */
static gboolean
read_reports (int      fd,
              GError **error)
{
  ChildReport report;
  gsize got = 0;
  gssize n;

  for (;;)
    {
      n = read (fd, (char *) &report + got, sizeof report - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return TRUE;
      got += n;
      if (got < sizeof report)
        continue;
      got = 0;

      if (report.step == STEP_CONSOLE)
        {
          g_warning (_("Unable to open /dev/console, using /dev/null instead: %s"),
                     g_strerror (report.err));
          continue;
        }
      if (report.err != 0)
        g_set_error (error, INIT_ERROR, INIT_ERROR_SPAWN_FAILED, "%s: %s",
                     _(step_message (report.step)), g_strerror (report.err));
      else
        g_set_error_literal (error, INIT_ERROR, INIT_ERROR_SPAWN_FAILED,
                             _(step_message (report.step)));
      return FALSE;
    }
}

/* write() that never raises SIGPIPE, whatever the daemon's disposition: a shell that stops
 * early (sh -e) closes its end of the script pipe. */
static gssize
write_quietly (int         fd,
               const char *data,
               gsize       length)
{
  sigset_t pipe_set, old, pending;
  gboolean was_pending;
  gssize n;
  int saved;

  sigemptyset (&pipe_set);
  sigaddset (&pipe_set, SIGPIPE);
  sigpending (&pending);
  was_pending = sigismember (&pending, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &pipe_set, &old);

  do
    n = write (fd, data, length);
  while (n < 0 && errno == EINTR);
  saved = errno;

  if (n < 0 && saved == EPIPE && !was_pending)
    {
      const struct timespec zero = { 0, 0 };

      sigtimedwait (&pipe_set, NULL, &zero);
    }
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  errno = saved;
  return n;
}

typedef struct
{
  int   fd;
  char *data;
  gsize length;
  gsize offset;
} ScriptWriter;

static void
script_writer_free (gpointer data)
{
  ScriptWriter *writer = data;

  close (writer->fd);
  g_free (writer->data);
  g_free (writer);
}

/* Write what fits; TRUE when there is nothing more to write (done, or the reader is gone). */
static gboolean
script_writer_write (ScriptWriter *writer)
{
  while (writer->offset < writer->length)
    {
      gssize n = write_quietly (writer->fd, writer->data + writer->offset,
                                writer->length - writer->offset);

      if (n < 0 && errno == EAGAIN)
        return FALSE;
      if (n < 0)
        {
          if (errno != EPIPE)
            g_warning (_("Unable to write script to shell: %s"), g_strerror (errno));
          return TRUE;
        }
      writer->offset += n;
    }
  return TRUE;
}

static gboolean
script_writer_ready (int          fd,
                     GIOCondition condition,
                     gpointer     user_data)
{
  return script_writer_write (user_data) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* Feed the script to the shell.  The pipe is enlarged to hold it when the kernel allows, so
 * ordinary scripts are written at once; whatever does not fit is written from a watch on the
 * main context as the shell reads, so the daemon never blocks on a slow or stuck shell. */
static void
write_script (int   fd,
              char *script)
{
  ScriptWriter *writer = g_new0 (ScriptWriter, 1);
  GSource *source;

  writer->fd = fd;
  writer->data = script;
  writer->length = strlen (script);
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  if (writer->length > 65536)
    fcntl (fd, F_SETPIPE_SZ, (int) MIN (writer->length, SCRIPT_PIPE_MAX));

  if (script_writer_write (writer))
    {
      script_writer_free (writer);
      return;
    }
  source = g_unix_fd_source_new (fd, G_IO_OUT | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (source, G_SOURCE_FUNC (script_writer_ready), writer,
                         script_writer_free);
  g_source_set_static_name (source, "[init] script writer");
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

/* A pipe whose ends are both above fd 9, so the child can place the script at fd 9 without
 * disturbing them. */
static gboolean
make_high_pipe (int      fds[2],
                GError **error)
{
  int raw[2], i;

  if (pipe2 (raw, O_CLOEXEC) < 0)
    {
      int saved = errno;

      g_set_error (error, INIT_ERROR, INIT_ERROR_SPAWN_FAILED, _("unable to create pipe: %s"),
                   g_strerror (saved));
      return FALSE;
    }
  for (i = 0; i < 2; i++)
    {
      fds[i] = fcntl (raw[i], F_DUPFD_CLOEXEC, SCRIPT_FD + 1);
      close (raw[i]);
    }
  if (fds[0] < 0 || fds[1] < 0)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_SPAWN_FAILED, _("unable to create pipe: %s"),
                   g_strerror (EMFILE));
      if (fds[0] >= 0)
        close (fds[0]);
      if (fds[1] >= 0)
        close (fds[1]);
      return FALSE;
    }
  return TRUE;
}

/* ---- the parent: starting the child ---- */

/* The child shares the daemon's memory until it execs or exits (CLONE_VM | CLONE_VFORK, as
 * posix_spawn does): no copy of the daemon's page tables and no copy-on-write faults in the
 * daemon afterwards, which were most of a spawn's cost.  The calling thread waits meanwhile.
 * The child side (init-process-child.c) is async-signal-safe, allocates nothing, changes
 * credentials with raw system calls and writes nothing the parent reads but the report pipe;
 * it runs on a stack of its own, one for all spawns (only the main thread spawns, and a
 * child is done with it before clone() returns).  Signals stay blocked in the child until it
 * has reset every disposition (its handler table is its own copy: no CLONE_SIGHAND). */
#define CHILD_STACK_SIZE (256 * 1024)

#if !defined(__SANITIZE_ADDRESS__)
static int
child_main (void *data)
{
  init_process_child_run (data);
  return 127;   /* not reached: the child execs or _exits */
}
#endif

static pid_t
start_child (ChildSetup *setup)
{
#if defined(__SANITIZE_ADDRESS__)
  /* The sanitizer's bookkeeping does not expect a second process on our memory. */
  pid_t pid = fork ();

  if (pid == 0)
    init_process_child_run (setup);
  return pid;
#else
  static char *stack;
  long page = sysconf (_SC_PAGESIZE);

  if (stack == NULL)
    {
      char *area = mmap (NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

      if (area == MAP_FAILED)
        return -1;
      /* A guard page below, so an overflow faults instead of writing our memory. */
      mprotect (area, page, PROT_NONE);
      stack = area;
    }
  return clone (child_main, stack + CHILD_STACK_SIZE, CLONE_VM | CLONE_VFORK | SIGCHLD, setup);
#endif
}

/* Everything the child needs, computed in the parent before the clone. */
static void
prepare_setup (ChildSetup             *setup,
               const InitJobClass     *klass,
               InitProcessType         type,
               char *const            *envp,
               const InitSpawnOptions *options,
               char                  **script)
{
  static char *const empty_env[] = { NULL };

  setup->klass = klass;
  setup->type = type;
  setup->envp = envp != NULL ? envp : empty_env;
  setup->log_fd = options->log_fd;
  if (options->n_pass_fds > 0)
    memcpy (setup->pass_fds, options->pass_fds, options->n_pass_fds * sizeof (int));
  setup->n_pass_fds = options->n_pass_fds;
  setup->inherit_output = options->user_mode;
  setup->script_fd = -1;
  setup->chdir = klass->chdir != NULL ? klass->chdir : options->user_mode ? NULL : "/";
  setup->oom_len = g_snprintf (setup->oom_text, sizeof setup->oom_text, "%d\n",
                               klass->oom_score_adj);
  prepare_command (setup, &klass->process[type], script);
  prepare_credentials (setup, klass, options);
}

/* Starts the child, retrying a transient EAGAIN (process limits, memory) a few times; every
 * signal is blocked meanwhile, so no handler of the daemon runs in the child before the
 * dispositions are reset.  Returns the pid, or -1 with the errno in @saved. */
static pid_t
fork_child (ChildSetup *setup,
            int        *saved)
{
  sigset_t all, old;
  pid_t pid;

  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, &old);
  for (int attempt = 1; ; attempt++)
    {
      pid = start_child (setup);
      /* Only a failure sets errno for us (the child shared it until it exec'd). */
      *saved = pid < 0 ? errno : 0;
      if (pid > 0 || *saved != EAGAIN || attempt >= FORK_ATTEMPTS)
        break;
      g_usleep (G_USEC_PER_SEC / 20);
    }
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  return pid;
}

pid_t
init_process_spawn (const InitJobClass     *klass,
                    InitProcessType         type,
                    char *const            *envp,
                    const InitSpawnOptions *options,
                    GError                **error)
{
  static const InitSpawnOptions default_options = { FALSE, -1 };
  ChildSetup setup = { 0, };
  g_autofree char *script = NULL;
  int report_pipe[2], script_pipe[2] = { -1, -1 };
  pid_t pid;
  int saved;
  gboolean ok;

  g_return_val_if_fail (klass != NULL, -1);
  g_return_val_if_fail (type >= 0 && type < INIT_PROCESS_N, -1);
  g_return_val_if_fail (klass->process[type].command != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (options == NULL)
    options = &default_options;
  g_return_val_if_fail (options->n_pass_fds <= G_N_ELEMENTS (setup.pass_fds), -1);
  for (guint i = 0; i < options->n_pass_fds; i++)
    g_return_val_if_fail (options->pass_fds[i] > SCRIPT_FD, -1);

  prepare_setup (&setup, klass, type, envp, options, &script);

  if (!make_high_pipe (report_pipe, error))
    {
      init_process_child_setup_clear (&setup);
      return -1;
    }
  if (script != NULL && !make_high_pipe (script_pipe, error))
    {
      close (report_pipe[0]);
      close (report_pipe[1]);
      init_process_child_setup_clear (&setup);
      return -1;
    }
  setup.report_fd = report_pipe[1];
  setup.script_fd = script_pipe[0];

  pid = fork_child (&setup, &saved);

  close (report_pipe[1]);
  if (script_pipe[0] >= 0)
    close (script_pipe[0]);
  if (pid < 0)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_SPAWN_FAILED, _("unable to fork: %s"),
                   g_strerror (saved));
      close (report_pipe[0]);
      if (script_pipe[1] >= 0)
        close (script_pipe[1]);
      init_process_child_setup_clear (&setup);
      return -1;
    }

  /* A status remembered for an earlier process with this pid is not ours. */
  init_reaper_forget (pid);

  ok = read_reports (report_pipe[0], error);
  close (report_pipe[0]);
  init_process_child_setup_clear (&setup);
  if (!ok)
    {
      /* The child has reported and is exiting: collect it here so no stray is left. */
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
      if (script_pipe[1] >= 0)
        close (script_pipe[1]);
      return -1;
    }

  if (script != NULL)
    write_script (script_pipe[1], g_steal_pointer (&script));
  return pid;
}

/* ---- signals ---- */

void
init_process_kill (pid_t pid,
                   int   signum)
{
  pid_t pgid;
  int ret;

  g_return_if_fail (pid > 0);

  /* Jobs run in their own process group; never signal the daemon's own group. */
  pgid = getpgid (pid);
  if (pgid > 0 && pgid != getpgrp ())
    ret = kill (-pgid, signum);
  else
    ret = kill (pid, signum);
  if (ret < 0 && errno == ESRCH && pgid > 0)
    ret = kill (pid, signum);
  if (ret < 0 && errno != ESRCH)
    g_warning (_("Unable to send signal %d to process %d: %s"), signum, (int) pid,
               g_strerror (errno));
}
