/* test-process.c — spawning, killing and reaping real processes */
#define G_LOG_DOMAIN "test-process"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-error.h"
#include "init-job-class.h"
#include "init-kernel-names.h"
#include "init-process.h"
#include "init-reaper.h"
#include "test-util.h"

#define TIMEOUT 10000

static char *base_env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", NULL };

typedef struct
{
  pid_t    pid;
  guint    watch;
  gboolean done;
  int      status;
  int      stops;
} Child;

static void
child_changed (pid_t    pid,
               int      status,
               gpointer user_data)
{
  Child *child = user_data;

  g_assert_cmpint (pid, ==, child->pid);
  if (WIFSTOPPED (status))
    {
      child->stops++;
      return;
    }
  child->done = TRUE;
  child->status = status;
}

static gboolean
child_done (gpointer user_data)
{
  return ((Child *) user_data)->done;
}

static gboolean
child_stopped (gpointer user_data)
{
  return ((Child *) user_data)->stops > 0;
}

static InitJobClass *
make_class (gboolean    script,
            const char *command)
{
  InitJobClass *klass = init_job_class_new ("test");

  klass->console = INIT_CONSOLE_NONE;
  klass->process[INIT_PROCESS_MAIN].script = script;
  klass->process[INIT_PROCESS_MAIN].command = g_strdup (command);
  return klass;
}

/* Spawn the main process of @klass, which must succeed, and watch it. */
static void
spawn (InitJobClass *klass,
       char        **envp,
       Child        *child)
{
  g_autoptr(GError) error = NULL;

  memset (child, 0, sizeof *child);
  child->pid = init_process_spawn (klass, INIT_PROCESS_MAIN, envp ? envp : base_env, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpint (child->pid, >, 0);
  child->watch = init_reaper_watch (child->pid, child_changed, child);
}

static int
wait_exit (Child *child)
{
  g_assert_true (test_util_wait_until (child_done, child, TIMEOUT));
  return child->status;
}

static void
kill_and_wait (Child *child)
{
  if (!child->done)
    init_process_kill (child->pid, SIGKILL);
  wait_exit (child);
}

/* Spawning @klass must fail with @message; no child is left behind. */
static void
assert_spawn_fails (InitJobClass *klass,
                    const char   *message)
{
  g_autoptr(GError) error = NULL;
  pid_t pid;

  pid = init_process_spawn (klass, INIT_PROCESS_MAIN, base_env, NULL, &error);
  g_assert_cmpint (pid, ==, -1);
  g_assert_error (error, INIT_ERROR, INIT_ERROR_SPAWN_FAILED);
  g_assert_cmpstr (error->message, ==, message);
  /* The failed child was collected by spawn itself. */
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), <=, 0);
}

static GBytes *
read_proc (pid_t       pid,
           const char *what)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, what);
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_bytes_new_take (contents, length);
}

static char *
read_link (pid_t       pid,
           const char *what)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, what);

  return g_file_read_link (path, NULL);
}

/* @argv joined with NULs, as /proc/PID/cmdline shows it. */
static GBytes *
nul_joined (const char *const *argv)
{
  GByteArray *bytes = g_byte_array_new ();

  for (; *argv != NULL; argv++)
    g_byte_array_append (bytes, (const guint8 *) *argv, strlen (*argv) + 1);
  return g_byte_array_free_to_bytes (bytes);
}

typedef struct
{
  pid_t   pid;
  GBytes *expected;
} CmdlineWait;

static gboolean
cmdline_is (gpointer user_data)
{
  CmdlineWait *wait = user_data;
  g_autoptr(GBytes) actual = read_proc (wait->pid, "cmdline");

  return actual != NULL && g_bytes_equal (actual, wait->expected);
}

static void
assert_cmdline (pid_t              pid,
                const char *const *argv)
{
  g_autoptr(GBytes) expected = nul_joined (argv);
  CmdlineWait wait = { pid, expected };

  g_assert_true (test_util_wait_until (cmdline_is, &wait, TIMEOUT));
}

typedef struct
{
  const char *path;
  const char *content;
} FileWait;

static gboolean
file_has (gpointer user_data)
{
  FileWait *wait = user_data;
  g_autofree char *content = test_util_read_file (wait->path);

  return g_strcmp0 (content, wait->content) == 0;
}

static void
assert_file_becomes (const char *path,
                     const char *content)
{
  FileWait wait = { path, content };

  test_util_wait_until (file_has, &wait, TIMEOUT);
  g_autofree char *actual = test_util_read_file (path);
  g_assert_cmpstr (actual, ==, content);
}

/* The value of "Field:" in /proc/PID/status. */
static char *
proc_status_field (pid_t       pid,
                   const char *field)
{
  g_autoptr(GBytes) status = read_proc (pid, "status");
  g_auto (GStrv) lines = NULL;
  int i;

  g_assert_nonnull (status);
  lines = g_strsplit (g_bytes_get_data (status, NULL), "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], field) && lines[i][strlen (field)] == ':')
        return g_strstrip (g_strdup (lines[i] + strlen (field) + 1));
    }
  return NULL;
}

/* ---- shell decision and exec ---- */

/* Scripts and exec lines with any of SHELL_CHARS go through the shell; plain commands not. */
static void
test_needs_shell (void)
{
  const char *special = "~`!$^&*()=|\\{}[];\"'<>?";
  InitProcessDef def = { FALSE, (char *) "/bin/echo hello world" };
  char command[64];
  const char *c;

  g_assert_false (init_process_needs_shell (&def));
  def.command = (char *) "/usr/bin/env -i FOO\tBAR";
  g_assert_false (init_process_needs_shell (&def));
  for (c = special; *c != '\0'; c++)
    {
      g_snprintf (command, sizeof command, "/bin/echo a%cb", *c);
      def.command = command;
      g_assert_true (init_process_needs_shell (&def));
    }
  def.script = TRUE;
  def.command = (char *) "echo plain";
  g_assert_true (init_process_needs_shell (&def));
}

/* A plain command is split on whitespace and executed directly: the spawned pid is the
 * command itself with exactly those arguments. */
static void
test_exec_direct (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep \t 30  ");
  const char *argv[] = { "/bin/sleep", "30", NULL };
  g_autofree char *exe = NULL;
  Child child;

  spawn (klass, NULL, &child);
  assert_cmdline (child.pid, argv);
  exe = read_link (child.pid, "exe");
  g_assert_true (g_str_has_suffix (exe, "/sleep"));
  kill_and_wait (&child);
  g_assert_true (WIFSIGNALED (child.status));
  g_assert_cmpint (WTERMSIG (child.status), ==, SIGKILL);
}

/* A command without a slash is searched in the job's own PATH, not the daemon's. */
static void
test_exec_path (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "sleep 30");
  char *env[] = { "PATH=/nonexistent:/usr/bin", NULL };
  char *bad_env[] = { "PATH=/nonexistent", NULL };
  const char *argv[] = { "sleep", "30", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *exe = NULL;
  Child child;

  spawn (klass, env, &child);
  assert_cmdline (child.pid, argv);
  exe = read_link (child.pid, "exe");
  g_assert_cmpstr (exe, ==, "/usr/bin/sleep");
  kill_and_wait (&child);

  g_assert_cmpint (init_process_spawn (klass, INIT_PROCESS_MAIN, bad_env, NULL, &error),
                   ==, -1);
  g_assert_error (error, INIT_ERROR, INIT_ERROR_SPAWN_FAILED);
  g_assert_cmpstr (error->message, ==, "unable to execute: No such file or directory");
}

/* With shell characters the command runs as `/bin/sh -e -c "exec CMD"`: redirections work
 * and the shell is replaced by the command (same pid). */
static void
test_exec_shell (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *command = g_strdup_printf ("/bin/sh -c 'echo $0 > %s; exec sleep 30' shell",
                                              out);
  g_autoptr(InitJobClass) klass = make_class (FALSE, command);
  const char *argv[] = { "sleep", "30", NULL };
  Child child;

  spawn (klass, NULL, &child);
  assert_file_becomes (out, "shell\n");
  /* exec all the way down: the spawned pid ends up being sleep itself. */
  assert_cmdline (child.pid, argv);
  kill_and_wait (&child);
  test_util_rm_rf (dir);
}

/* An executable without #! runs through /bin/sh, as execvp() does. */
static void
test_exec_no_shebang (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *prog = g_build_filename (dir, "prog", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *body = g_strdup_printf ("echo \"ran $1\" > %s\n", out);
  g_autofree char *command = g_strdup_printf ("%s arg", prog);
  g_autoptr(InitJobClass) klass = make_class (FALSE, command);
  Child child;

  test_util_write_file (dir, "prog", body);
  g_assert_cmpint (g_chmod (prog, 0755), ==, 0);
  spawn (klass, NULL, &child);
  g_assert_cmpint (wait_exit (&child), ==, 0);
  assert_file_becomes (out, "ran arg\n");
  test_util_rm_rf (dir);
}

/* The environment is exactly the one given: nothing of the daemon's leaks in. */
static void
test_environment (void)
{
  char *env[] = { "PATH=/usr/bin:/bin", "FOO=bar baz", "EMPTY=", "UPSTART_JOB=test", NULL };
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  g_autoptr(GBytes) expected = nul_joined ((const char *const *) env);
  g_autoptr(GBytes) actual = NULL;
  Child child;

  g_setenv ("DAEMON_ONLY", "1", TRUE);
  spawn (klass, env, &child);
  actual = read_proc (child.pid, "environ");
  g_assert_nonnull (actual);
  g_assert_true (g_bytes_equal (actual, expected));
  kill_and_wait (&child);
  g_unsetenv ("DAEMON_ONLY");
}

/* ---- scripts ---- */

/* A one-line script (trailing newlines ignored) runs as /bin/sh -e -c TEXT /bin/sh. */
static void
test_script_single_line (void)
{
  g_autoptr(InitJobClass) klass = make_class (TRUE, "sleep 30; true\n\n\n");
  const char *argv[] = { "/bin/sh", "-e", "-c", "sleep 30; true", "/bin/sh", NULL };
  Child child;

  spawn (klass, NULL, &child);
  assert_cmdline (child.pid, argv);
  kill_and_wait (&child);
}

/* A multi-line script runs as /bin/sh -e /proc/self/fd/9, reading the text from fd 9, which
 * the script closes first thing; every line runs. */
static void
test_script_multi_line (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *script = g_strdup_printf ("echo one > %s\n"
                                             "echo \"$0\" >> %s\n"
                                             "sleep 30\n"
                                             "echo never >> %s\n", out, out, out);
  g_autoptr(InitJobClass) klass = make_class (TRUE, script);
  const char *argv[] = { "/bin/sh", "-e", "/proc/self/fd/9", NULL };
  g_autofree char *fd9 = NULL;
  Child child;

  spawn (klass, NULL, &child);
  assert_cmdline (child.pid, argv);
  assert_file_becomes (out, "one\n/proc/self/fd/9\n");
  /* `exec 9<&-` ran: the shell no longer holds the pipe at fd 9. */
  fd9 = read_link (child.pid, "fd/9");
  g_assert_null (fd9);
  kill_and_wait (&child);
  test_util_rm_rf (dir);
}

static char *
big_script (const char *out,
            gsize       size)
{
  GString *text = g_string_new ("# a big script\n");

  while (text->len < size)
    g_string_append (text, ": padding line to make the script larger than a pipe\n");
  g_string_append_printf (text, "echo done > %s\n", out);
  return g_string_free (text, FALSE);
}

/* Scripts larger than a pipe's default capacity (64 KiB) and larger than the biggest pipe
 * (1 MiB: the rest is written from the main loop) arrive whole. */
static void
test_script_large (void)
{
  const gsize sizes[] = { 200 * 1024, 3 * 1024 * 1024 };
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *script = big_script (out, sizes[i]);
      g_autoptr(InitJobClass) klass = make_class (TRUE, script);
      Child child;

      g_remove (out);
      spawn (klass, NULL, &child);
      g_assert_cmpint (wait_exit (&child), ==, 0);
      assert_file_becomes (out, "done\n");
    }
  test_util_rm_rf (dir);
}

/* `sh -e`: the first failing command ends the script with its status. */
static void
test_script_errexit (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *script = g_strdup_printf ("echo a > %s\nfalse\necho b >> %s\n", out, out);
  g_autofree char *one_line = g_strdup_printf ("echo c > %s; false; echo d >> %s", out, out);
  g_autoptr(InitJobClass) klass = make_class (TRUE, script);
  g_autoptr(InitJobClass) klass_one = make_class (TRUE, one_line);
  Child child;

  spawn (klass, NULL, &child);
  wait_exit (&child);
  g_assert_true (WIFEXITED (child.status));
  g_assert_cmpint (WEXITSTATUS (child.status), ==, 1);
  assert_file_becomes (out, "a\n");

  spawn (klass_one, NULL, &child);
  wait_exit (&child);
  g_assert_cmpint (WEXITSTATUS (child.status), ==, 1);
  assert_file_becomes (out, "c\n");
  test_util_rm_rf (dir);
}

/* A shell that stops reading a big script early closes the pipe; the daemon side neither
 * dies of SIGPIPE (even with the default disposition) nor complains. */
static void
test_script_reader_gone (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *body = big_script (out, 3 * 1024 * 1024);
  g_autofree char *script = g_strconcat ("exit 3\n", body, NULL);
  g_autoptr(InitJobClass) klass = make_class (TRUE, script);
  Child child;

  signal (SIGPIPE, SIG_DFL);
  spawn (klass, NULL, &child);
  g_assert_cmpint (wait_exit (&child), ==, 3 << 8);
  /* Let the writer notice the closed pipe. */
  test_util_spin (200);
  signal (SIGPIPE, SIG_IGN);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  test_util_rm_rf (dir);
}

/* ---- setup of the child ---- */

/* chdir: the class's directory; "/" by default in system mode; unchanged in user mode. */
static void
test_chdir (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *here = g_get_current_dir ();
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  InitSpawnOptions user = { TRUE, -1 };
  g_autoptr(GError) error = NULL;
  g_autofree char *cwd1 = NULL, *cwd2 = NULL, *cwd3 = NULL;
  Child child;

  spawn (klass, NULL, &child);
  cwd1 = read_link (child.pid, "cwd");
  g_assert_cmpstr (cwd1, ==, "/");
  kill_and_wait (&child);

  memset (&child, 0, sizeof child);
  child.pid = init_process_spawn (klass, INIT_PROCESS_MAIN, base_env, &user, &error);
  g_assert_no_error (error);
  init_reaper_watch (child.pid, child_changed, &child);
  cwd2 = read_link (child.pid, "cwd");
  g_assert_cmpstr (cwd2, ==, here);
  kill_and_wait (&child);

  klass->chdir = g_strdup (dir);
  spawn (klass, NULL, &child);
  cwd3 = read_link (child.pid, "cwd");
  g_assert_cmpstr (cwd3, ==, dir);
  kill_and_wait (&child);
  test_util_rm_rf (dir);
}

/* umask: the class's value, whatever the daemon's. */
static void
test_umask (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *script = g_strdup_printf ("umask > %s", out);
  g_autoptr(InitJobClass) klass = make_class (TRUE, script);
  Child child;

  klass->umask = 027;
  spawn (klass, NULL, &child);
  g_assert_cmpint (wait_exit (&child), ==, 0);
  assert_file_becomes (out, "0027\n");

  klass->umask = 0;
  spawn (klass, NULL, &child);
  wait_exit (&child);
  assert_file_becomes (out, "0000\n");
  test_util_rm_rf (dir);
}

/* nice: applied when set, inherited when not. */
static void
test_nice (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  Child child;

  klass->nice = 7;
  spawn (klass, NULL, &child);
  errno = 0;
  g_assert_cmpint (getpriority (PRIO_PROCESS, child.pid), ==, 7);
  g_assert_cmpint (errno, ==, 0);
  kill_and_wait (&child);

  klass->nice = INIT_NICE_UNSET;
  spawn (klass, NULL, &child);
  g_assert_cmpint (getpriority (PRIO_PROCESS, child.pid), ==, getpriority (PRIO_PROCESS, 0));
  kill_and_wait (&child);
}

/* valgrind keeps descriptors of its own and refuses to let RLIMIT_NOFILE change. */
static gboolean
under_valgrind (void)
{
  const char *preload = g_getenv ("LD_PRELOAD");

  return preload != NULL && strstr (preload, "vgpreload") != NULL;
}

/* `limit nofile 100 200` sets soft and hard limits, as `ulimit -n` sees them; other
 * resources likewise. */
static void
test_limits (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *script = g_strdup_printf ("ulimit -n > %s; ulimit -H -n >> %s\nsleep 30\n",
                                             out, out);
  g_autoptr(InitJobClass) klass = make_class (TRUE, script);
  struct rlimit limit;
  Child child;

  if (!under_valgrind ())
    {
      init_job_class_set_limit (klass, RLIMIT_NOFILE, &(struct rlimit) { 100, 200 });
    }
  init_job_class_set_limit (klass, RLIMIT_CORE, &(struct rlimit) { 4096, 8192 });
  spawn (klass, NULL, &child);
  if (!under_valgrind ())
    {
      assert_file_becomes (out, "100\n200\n");
      g_assert_cmpint (prlimit (child.pid, RLIMIT_NOFILE, NULL, &limit), ==, 0);
      g_assert_cmpint (limit.rlim_cur, ==, 100);
      g_assert_cmpint (limit.rlim_max, ==, 200);
    }
  g_assert_cmpint (prlimit (child.pid, RLIMIT_CORE, NULL, &limit), ==, 0);
  g_assert_cmpint (limit.rlim_cur, ==, 4096);
  g_assert_cmpint (limit.rlim_max, ==, 8192);
  kill_and_wait (&child);
  test_util_rm_rf (dir);
}

/* `oom score` is written to /proc/PID/oom_score_adj. */
static void
test_oom (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  g_autoptr(GBytes) score = NULL;
  Child child;

  klass->oom_score_adj = 500;
  klass->oom_set = TRUE;
  spawn (klass, NULL, &child);
  score = read_proc (child.pid, "oom_score_adj");
  g_assert_cmpmem (g_bytes_get_data (score, NULL), g_bytes_get_size (score), "500\n", 4);
  kill_and_wait (&child);
}

/* console none: all three standard fds are /dev/null; console log without a pty likewise. */
static void
test_console_none (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  InitConsoleType consoles[] = { INIT_CONSOLE_NONE, INIT_CONSOLE_LOG };
  gsize i;
  int fd;

  for (i = 0; i < G_N_ELEMENTS (consoles); i++)
    {
      Child child;

      klass->console = consoles[i];
      spawn (klass, NULL, &child);
      for (fd = 0; fd < 3; fd++)
        {
          g_autofree char *what = g_strdup_printf ("fd/%d", fd);
          g_autofree char *target = read_link (child.pid, what);

          g_assert_cmpstr (target, ==, "/dev/null");
        }
      kill_and_wait (&child);
    }
}

/* console output: /dev/console on all three, or /dev/null with a warning if unusable. */
static void
test_console_output (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  int probe = open ("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
  const char *expected = probe >= 0 ? "/dev/console" : "/dev/null";
  g_autofree char *target = NULL;
  Child child;

  if (probe >= 0)
    close (probe);
  klass->console = INIT_CONSOLE_OUTPUT;
  test_util_capture_start ();
  spawn (klass, NULL, &child);
  if (probe >= 0)
    test_util_capture_assert ((const char *[]) { NULL });
  else
    test_util_capture_assert ((const char *[]) {
      "init-process: Unable to open /dev/console, using /dev/null instead: *", NULL
    });
  target = read_link (child.pid, "fd/2");
  g_assert_cmpstr (target, ==, expected);
  kill_and_wait (&child);
}

/* console output in a session daemon: stdout and stderr are the daemon's own, stdin is
 * /dev/null (a session daemon has no console of its own). */
static void
test_console_output_session (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *file = g_build_filename (dir, "stdout", NULL);
  g_autofree char *out = NULL, *err = NULL, *in = NULL;
  g_autoptr(GError) error = NULL;
  InitSpawnOptions options = { TRUE, -1 };
  int saved_out, saved_err, fd;
  Child child = { 0, };

  klass->console = INIT_CONSOLE_OUTPUT;
  /* Point our own stdout/stderr at a file for the duration of the spawn. */
  fd = open (file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  saved_out = dup (1);
  saved_err = dup (2);
  dup2 (fd, 1);
  dup2 (fd, 2);
  child.pid = init_process_spawn (klass, INIT_PROCESS_MAIN, base_env, &options, &error);
  dup2 (saved_out, 1);
  dup2 (saved_err, 2);
  close (saved_out);
  close (saved_err);
  close (fd);
  g_assert_no_error (error);
  child.watch = init_reaper_watch (child.pid, child_changed, &child);
  out = read_link (child.pid, "fd/1");
  err = read_link (child.pid, "fd/2");
  in = read_link (child.pid, "fd/0");
  g_assert_cmpstr (out, ==, file);
  g_assert_cmpstr (err, ==, file);
  g_assert_cmpstr (in, ==, "/dev/null");
  kill_and_wait (&child);
  test_util_rm_rf (dir);
}

/* console log with a pty: stdin /dev/null, stdout and stderr the pty slave, which is not the
 * process's controlling terminal (so closing the master never hangs the job up). */
static void
test_console_log_pty (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  g_autofree char *in = NULL, *out = NULL, *err = NULL, *name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stat = NULL;
  g_auto (GStrv) fields = NULL;
  InitSpawnOptions options = { FALSE, -1 };
  int master, tty_nr;
  Child child = { 0, };

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  name = g_strdup (ptsname (master));
  options.log_fd = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (options.log_fd, >=, 0);

  klass->console = INIT_CONSOLE_LOG;
  child.pid = init_process_spawn (klass, INIT_PROCESS_MAIN, base_env, &options, &error);
  g_assert_no_error (error);
  init_reaper_watch (child.pid, child_changed, &child);
  close (options.log_fd);

  in = read_link (child.pid, "fd/0");
  out = read_link (child.pid, "fd/1");
  err = read_link (child.pid, "fd/2");
  g_assert_cmpstr (in, ==, "/dev/null");
  g_assert_cmpstr (out, ==, name);
  g_assert_cmpstr (err, ==, name);
  /* Field 7 of stat (after the command name) is tty_nr. */
  stat = read_proc (child.pid, "stat");
  fields = g_strsplit (strrchr (g_bytes_get_data (stat, NULL), ')') + 2, " ", -1);
  tty_nr = atoi (fields[4]);
  g_assert_cmpint (tty_nr, ==, 0);
  kill_and_wait (&child);
  close (master);
}

static gint
compare_ints (gconstpointer a,
              gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* The fds @pid holds, as "0 1 2"; NULL once it is gone. */
static char *
open_fds (pid_t pid)
{
  g_autofree char *fd_dir = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (fd_dir, 0, NULL);
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  GString *text = g_string_new (NULL);
  const char *name;

  if (dir == NULL)
    return g_string_free (text, TRUE);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      int fd = atoi (name);

      g_array_append_val (fds, fd);
    }
  g_array_sort (fds, compare_ints);
  for (guint i = 0; i < fds->len; i++)
    g_string_append_printf (text, "%s%d", i > 0 ? " " : "", g_array_index (fds, int, i));
  return g_string_free (text, FALSE);
}

static gboolean
only_std_fds (gpointer user_data)
{
  g_autofree char *fds = open_fds (GPOINTER_TO_INT (user_data));

  return g_strcmp0 (fds, "0 1 2") == 0;
}

/* Only the standard fds reach the job, even if the daemon leaked one without CLOEXEC.
 * Spawning returns once exec() has begun, but the dynamic loader of the new program still
 * opens its libraries (as fd 3) for a moment: so wait for the job to settle; a leaked fd
 * never goes away. */
static void
test_no_fd_leak (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  int leaked = open ("/dev/null", O_RDONLY);
  Child child;

  g_assert_cmpint (leaked, >=, 3);
  spawn (klass, NULL, &child);
  if (!test_util_wait_until (only_std_fds, GINT_TO_POINTER (child.pid), TIMEOUT))
    {
      g_autofree char *fds = open_fds (child.pid);

      g_assert_cmpstr (fds, ==, "0 1 2");
    }
  kill_and_wait (&child);
  close (leaked);
}

/* Each process leads its own session and process group. */
static void
test_session (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  Child child;

  spawn (klass, NULL, &child);
  g_assert_cmpint (getpgid (child.pid), ==, child.pid);
  g_assert_cmpint (getsid (child.pid), ==, child.pid);
  kill_and_wait (&child);
}

static void
on_hup (int signum)
{
}

/* The daemon blocks SIGCHLD, ignores SIGPIPE and handles others; the job starts with every
 * disposition at its default and nothing blocked. */
static void
test_signals_reset (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  g_autofree char *blocked = NULL, *ignored = NULL, *caught = NULL;
  struct sigaction action = { 0, }, old_hup;
  sigset_t set, old_mask;
  Child child;

  action.sa_handler = on_hup;
  sigaction (SIGHUP, &action, &old_hup);
  sigemptyset (&set);
  sigaddset (&set, SIGUSR1);
  sigprocmask (SIG_BLOCK, &set, &old_mask);
  signal (SIGPIPE, SIG_IGN);

  spawn (klass, NULL, &child);
  blocked = proc_status_field (child.pid, "SigBlk");
  ignored = proc_status_field (child.pid, "SigIgn");
  caught = proc_status_field (child.pid, "SigCgt");
  g_assert_cmpstr (blocked, ==, "0000000000000000");
  g_assert_cmpstr (ignored, ==, "0000000000000000");
  g_assert_cmpstr (caught, ==, "0000000000000000");
  kill_and_wait (&child);

  sigprocmask (SIG_SETMASK, &old_mask, NULL);
  sigaction (SIGHUP, &old_hup, NULL);
}

/* `debug` is unsupported (the parser warns): the child runs straight through, never stopped. */
static void
test_debug_ignored (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sh -c 'exit 4'");
  Child child;

  klass->debug = TRUE;
  spawn (klass, NULL, &child);
  g_assert_cmpint (wait_exit (&child), ==, 4 << 8);
  g_assert_cmpint (child.stops, ==, 0);
}

/* ---- credentials (root only) ---- */

static gboolean
skip_unless_root (void)
{
  if (geteuid () == 0 && getpwnam ("nobody") != NULL && getgrnam ("nogroup") != NULL)
    return FALSE;
  g_test_skip ("needs root and the nobody user / nogroup group");
  return TRUE;
}

static int
compare_gids (gconstpointer a,
              gconstpointer b)
{
  gid_t x = *(const gid_t *) a, y = *(const gid_t *) b;

  return x < y ? -1 : x > y;
}

/* The "Groups:" line of /proc/PID/status that initgroups (user) gives: sorted ids. */
static char *
expected_groups (const struct passwd *user)
{
  GString *text = g_string_new (NULL);
  gid_t groups[256];
  int n = G_N_ELEMENTS (groups), i;

  g_assert_cmpint (getgrouplist (user->pw_name, user->pw_gid, groups, &n), >=, 0);
  qsort (groups, n, sizeof (gid_t), compare_gids);
  for (i = 0; i < n; i++)
    g_string_append_printf (text, "%s%u", i > 0 ? " " : "", (guint) groups[i]);
  return g_string_free (text, FALSE);
}

/* setuid/setgid: the job runs as nobody:nogroup; setuid alone uses the user's group. */
static void
test_setuid (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  struct passwd *nobody;
  struct group *nogroup;
  g_autofree char *uids = NULL, *gids = NULL, *gids2 = NULL, *groups = NULL;
  g_autofree char *want_uids = NULL, *want_gids = NULL, *want_gids2 = NULL;
  g_autofree char *want_groups = NULL;
  gid_t extra[] = { 4, 27 }, saved[256];
  int n_saved;
  Child child;

  if (skip_unless_root ())
    return;
  nobody = getpwnam ("nobody");
  want_uids = g_strdup_printf ("%u\t%u\t%u\t%u", nobody->pw_uid, nobody->pw_uid,
                               nobody->pw_uid, nobody->pw_uid);
  want_gids2 = g_strdup_printf ("%u\t%u\t%u\t%u", nobody->pw_gid, nobody->pw_gid,
                                nobody->pw_gid, nobody->pw_gid);
  want_groups = expected_groups (nobody);
  nogroup = getgrnam ("nogroup");
  want_gids = g_strdup_printf ("%u\t%u\t%u\t%u", nogroup->gr_gid, nogroup->gr_gid,
                               nogroup->gr_gid, nogroup->gr_gid);

  /* Give the daemon supplementary groups the job must not keep. */
  n_saved = getgroups (G_N_ELEMENTS (saved), saved);
  g_assert_cmpint (n_saved, >=, 0);
  g_assert_cmpint (setgroups (G_N_ELEMENTS (extra), extra), ==, 0);

  klass->setuid = g_strdup ("nobody");
  klass->setgid = g_strdup ("nogroup");
  spawn (klass, NULL, &child);
  g_assert_cmpint (setgroups (n_saved, saved), ==, 0);
  uids = proc_status_field (child.pid, "Uid");
  gids = proc_status_field (child.pid, "Gid");
  groups = proc_status_field (child.pid, "Groups");
  g_assert_cmpstr (uids, ==, want_uids);
  g_assert_cmpstr (gids, ==, want_gids);
  /* initgroups: exactly nobody's groups, none of root's. */
  g_assert_cmpstr (groups, ==, want_groups);
  kill_and_wait (&child);

  g_clear_pointer (&klass->setgid, g_free);
  spawn (klass, NULL, &child);
  gids2 = proc_status_field (child.pid, "Gid");
  g_assert_cmpstr (gids2, ==, want_gids2);
  kill_and_wait (&child);
}

static gpointer
idle_thread (gpointer data)
{
  GAsyncQueue *queue = data;

  return g_async_queue_pop (queue);
}

/* The child shares the daemon's memory until it execs: its dropping root must reach none of
 * the daemon's threads (the C library's setuid/setgid change every thread it knows of). */
static void
test_setuid_daemon_untouched (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  g_autoptr(GAsyncQueue) queue = g_async_queue_new ();
  g_autoptr(GDir) tasks = NULL;
  GThread *thread;
  const char *tid;
  Child child;

  if (skip_unless_root ())
    return;
  thread = g_thread_new ("idle", idle_thread, queue);
  klass->setuid = g_strdup ("nobody");
  klass->setgid = g_strdup ("nogroup");
  spawn (klass, NULL, &child);
  tasks = g_dir_open ("/proc/self/task", 0, NULL);
  g_assert_nonnull (tasks);
  while ((tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/status", tid);
      g_autofree char *status = NULL;

      g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
      g_assert_nonnull (strstr (status, "\nUid:\t0\t0\t0\t0\n"));
      g_assert_nonnull (strstr (status, "\nGid:\t0\t0\t0\t0\n"));
    }
  g_assert_cmpuint (geteuid (), ==, 0);
  kill_and_wait (&child);
  g_async_queue_push (queue, queue);
  g_thread_join (thread);
}

/* A multi-line script still reads its text through /proc/self/fd/9 after dropping root. */
static void
test_setuid_script (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *script = g_strdup_printf ("id -un > %s\nid -gn >> %s\n", out, out);
  g_autoptr(InitJobClass) klass = make_class (TRUE, script);
  Child child;

  if (skip_unless_root ())
    return;
  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  klass->setuid = g_strdup ("nobody");
  klass->setgid = g_strdup ("nogroup");
  spawn (klass, NULL, &child);
  g_assert_cmpint (wait_exit (&child), ==, 0);
  assert_file_becomes (out, "nobody\nnogroup\n");
  test_util_rm_rf (dir);
}

/* ---- spawn failures ---- */

/* Each setup step that fails is reported with its reason, and no process is left. */
static void
test_failures (void)
{
  g_autoptr(InitJobClass) klass = NULL;
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *plain = NULL;

  klass = make_class (FALSE, "/nonexistent/binary --flag");
  assert_spawn_fails (klass, "unable to execute: No such file or directory");
  g_clear_pointer (&klass, init_job_class_unref);

  klass = make_class (FALSE, "/bin/true");
  klass->chdir = g_strdup ("/nonexistent");
  assert_spawn_fails (klass, "unable to change working directory: No such file or directory");
  g_clear_pointer (&klass->chdir, g_free);

  klass->chroot = g_strdup ("/nonexistent");
  assert_spawn_fails (klass, "unable to change root directory: No such file or directory");
  g_clear_pointer (&klass->chroot, g_free);

  init_job_class_set_limit (klass, RLIMIT_CORE, &(struct rlimit) { 200, 100 });
  assert_spawn_fails (klass, "unable to set resource limit: Invalid argument");
  init_job_class_set_limit (klass, RLIMIT_CORE, NULL);

  klass->setuid = g_strdup ("no-such-user-here");
  assert_spawn_fails (klass, "unable to find setuid user");
  g_clear_pointer (&klass->setuid, g_free);

  klass->setgid = g_strdup ("no-such-group-here");
  assert_spawn_fails (klass, "unable to find setgid group");

  /* Failures are reported in setup order: chdir comes before the user lookup. */
  klass->chdir = g_strdup ("/nonexistent");
  klass->setuid = g_strdup ("no-such-user-here");
  assert_spawn_fails (klass, "unable to change working directory: No such file or directory");
  g_clear_pointer (&klass, init_job_class_unref);

  test_util_write_file (dir, "plain", "not a program\n");
  plain = g_build_filename (dir, "plain", NULL);
  klass = make_class (FALSE, plain);
  assert_spawn_fails (klass, "unable to execute: Permission denied");
  test_util_rm_rf (dir);
}

/* Without privileges, switching to another user or group fails with the reason.  As root
 * the check runs in a subprocess that first drops to nobody:nogroup. */
static void
test_failure_unprivileged (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/true");
  struct group *own;

  if (geteuid () == 0 && !g_test_subprocess ())
    {
      if (skip_unless_root ())
        return;
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  if (geteuid () == 0)
    {
      g_assert_cmpint (setgroups (0, NULL), ==, 0);
      g_assert_cmpint (setgid (getgrnam ("nogroup")->gr_gid), ==, 0);
      g_assert_cmpint (setuid (getpwnam ("nobody")->pw_uid), ==, 0);
    }

  /* setuid alone also switches to the user's group, which comes first. */
  klass->setuid = g_strdup ("root");
  assert_spawn_fails (klass, "unable to set group: Operation not permitted");

  own = getgrgid (getegid ());
  g_assert_nonnull (own);
  klass->setgid = g_strdup (own->gr_name);
  assert_spawn_fails (klass, "unable to set user: Operation not permitted");
}

/* ---- killing ---- */

static gboolean
file_exists (gpointer user_data)
{
  return g_file_test (user_data, G_FILE_TEST_EXISTS);
}

static gboolean
proc_gone (gpointer user_data)
{
  return !g_file_test (user_data, G_FILE_TEST_EXISTS);
}

static gboolean
pid_dead (gpointer user_data)
{
  return !test_util_pid_alive (GPOINTER_TO_INT (user_data));
}

/* kill signals the whole process group: the job and its children die. */
static void
test_kill_group (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *script = g_strdup_printf ("sleep 300 &\necho $! > %s.tmp\nmv %s.tmp %s\n"
                                             "wait\n", out, out, out);
  g_autoptr(InitJobClass) klass = make_class (TRUE, script);
  g_autofree char *text = NULL;
  pid_t grandchild;
  Child child;

  spawn (klass, NULL, &child);
  g_assert_true (test_util_wait_until (file_exists, out, TIMEOUT));
  text = test_util_read_file (out);
  grandchild = atoi (text);
  g_assert_cmpint (grandchild, >, 0);
  g_assert_cmpint (getpgid (grandchild), ==, child.pid);

  init_process_kill (child.pid, SIGTERM);
  wait_exit (&child);
  g_assert_true (WIFSIGNALED (child.status));
  g_assert_cmpint (WTERMSIG (child.status), ==, SIGTERM);
  g_assert_true (test_util_wait_until (pid_dead, GINT_TO_POINTER (grandchild), TIMEOUT));
  test_util_rm_rf (dir);
}

/* A job ignoring SIGTERM survives it and dies on SIGKILL (the kill timer's escalation). */
static void
test_kill_escalation (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "ready", NULL);
  g_autofree char *script = g_strdup_printf ("trap '' TERM\ntouch %s\n"
                                             "while :; do sleep 1; done\n", out);
  g_autoptr(InitJobClass) klass = make_class (TRUE, script);
  Child child;

  spawn (klass, NULL, &child);
  g_assert_true (test_util_wait_until (file_exists, out, TIMEOUT));
  init_process_kill (child.pid, SIGTERM);
  test_util_spin (300);
  g_assert_false (child.done);
  g_assert_true (test_util_pid_alive (child.pid));
  init_process_kill (child.pid, SIGKILL);
  wait_exit (&child);
  g_assert_cmpint (WTERMSIG (child.status), ==, SIGKILL);
  test_util_rm_rf (dir);
}

/* A process in the daemon's own group is signalled alone, never the daemon's group; a pid
 * that is gone is ignored silently (a warning would abort this test). */
static void
test_kill_own_group (void)
{
  Child child = { 0, };

  child.pid = fork ();
  g_assert_cmpint (child.pid, >=, 0);
  if (child.pid == 0)
    {
      sigset_t empty;

      sigemptyset (&empty);
      sigprocmask (SIG_SETMASK, &empty, NULL);
      pause ();
      _exit (0);
    }
  init_reaper_watch (child.pid, child_changed, &child);
  g_assert_cmpint (getpgid (child.pid), ==, getpgrp ());
  init_process_kill (child.pid, SIGTERM);
  wait_exit (&child);
  g_assert_cmpint (WTERMSIG (child.status), ==, SIGTERM);

  /* Reaped: nothing of that pid is left to signal. */
  init_process_kill (child.pid, SIGTERM);
}

/* Signal names: without SIG, numbers for unknown and realtime ones; parsing accepts the
 * name with or without SIG, or a number, and nothing else. */
static void
test_signal_names (void)
{
  struct { int num; const char *name; } pairs[] = {
    { SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" }, { SIGKILL, "KILL" },
    { SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" }, { SIGTERM, "TERM" }, { SIGCHLD, "CHLD" },
    { SIGCONT, "CONT" }, { SIGSTOP, "STOP" }, { SIGWINCH, "WINCH" }, { SIGPWR, "PWR" },
    { SIGABRT, "ABRT" }, { SIGIO, "IO" },
  };
  g_autofree char *rt = g_strdup_printf ("%d", SIGRTMIN + 1);
  g_autofree char *rt_name = NULL;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *name = init_signal_to_name (pairs[i].num);
      g_autofree char *prefixed = g_strconcat ("SIG", pairs[i].name, NULL);
      g_autofree char *number = g_strdup_printf ("%d", pairs[i].num);

      g_assert_cmpstr (name, ==, pairs[i].name);
      g_assert_cmpint (init_signal_from_name (pairs[i].name), ==, pairs[i].num);
      g_assert_cmpint (init_signal_from_name (prefixed), ==, pairs[i].num);
      g_assert_cmpint (init_signal_parse (number), ==, pairs[i].num);
    }
  rt_name = init_signal_to_name (SIGRTMIN + 1);
  g_assert_cmpstr (rt_name, ==, rt);
  g_assert_cmpint (init_signal_parse (rt), ==, SIGRTMIN + 1);
  g_assert_cmpint (init_signal_from_name ("IOT"), ==, SIGABRT);
  g_assert_cmpint (init_signal_from_name ("CLD"), ==, SIGCHLD);
  g_assert_cmpint (init_signal_from_name ("term"), ==, -1);
  g_assert_cmpint (init_signal_from_name ("SIG"), ==, -1);
  g_assert_cmpint (init_signal_from_name ("BOGUS"), ==, -1);
  g_assert_cmpint (init_signal_from_name (""), ==, -1);
  g_assert_cmpint (init_signal_parse ("0"), ==, -1);
  g_assert_cmpint (init_signal_parse ("15x"), ==, -1);
  g_assert_cmpint (init_signal_parse ("-15"), ==, -1);
  g_assert_cmpint (init_signal_parse ("65"), ==, -1);
}

/* ---- reaper ---- */

/* The watch receives the exit status, then is gone. */
static void
test_reaper_exit (void)
{
  g_autoptr(InitJobClass) klass = make_class (TRUE, "exit 3");
  Child child;

  spawn (klass, NULL, &child);
  wait_exit (&child);
  g_assert_true (WIFEXITED (child.status));
  g_assert_cmpint (WEXITSTATUS (child.status), ==, 3);
  /* Removed automatically: unwatching now is a harmless no-op. */
  init_reaper_unwatch (child.watch);
}

/* Death by a signal is delivered as such. */
static void
test_reaper_signal (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  Child child;

  spawn (klass, NULL, &child);
  kill (child.pid, SIGINT);
  wait_exit (&child);
  g_assert_true (WIFSIGNALED (child.status));
  g_assert_cmpint (WTERMSIG (child.status), ==, SIGINT);
}

/* A stop is reported (for `expect stop`) and the watch stays for the exit that follows. */
static void
test_reaper_stop (void)
{
  g_autoptr(InitJobClass) klass = make_class (TRUE, "kill -STOP $$\nexit 5\n");
  Child child;

  spawn (klass, NULL, &child);
  g_assert_true (test_util_wait_until (child_stopped, &child, TIMEOUT));
  g_assert_cmpint (child.stops, ==, 1);
  g_assert_false (child.done);
  kill (child.pid, SIGCONT);
  g_assert_cmpint (wait_exit (&child), ==, 5 << 8);
  g_assert_cmpint (child.stops, ==, 1);
}

/* An orphan re-parented to us (child subreaper) is reaped although nobody watches it. */
static void
test_reaper_stray (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *script = g_strdup_printf ("sleep 0.3 &\necho $! > %s.tmp\nmv %s.tmp %s\n",
                                             out, out, out);
  g_autoptr(InitJobClass) klass = make_class (TRUE, script);
  g_autofree char *text = NULL;
  g_autofree char *proc = NULL;
  pid_t orphan;
  Child child;

  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);
  spawn (klass, NULL, &child);
  g_assert_cmpint (wait_exit (&child), ==, 0);
  text = test_util_read_file (out);
  orphan = atoi (text);
  g_assert_cmpint (orphan, >, 0);
  /* Reaped means gone from /proc entirely, not a zombie. */
  proc = g_strdup_printf ("/proc/%d", orphan);
  g_assert_true (test_util_wait_until (pid_dead,
                                       GINT_TO_POINTER (orphan), TIMEOUT));
  g_assert_true (test_util_wait_until (proc_gone, proc,
                                       TIMEOUT));
  test_util_rm_rf (dir);
}

/* The child ends and is reaped before the watch exists: the watch still gets the status,
 * from the main loop rather than inside init_reaper_watch(). */
static void
test_reaper_race (void)
{
  g_autoptr(InitJobClass) klass = make_class (TRUE, "exit 7");
  g_autoptr(GError) error = NULL;
  g_autofree char *proc = NULL;
  Child child = { 0, };

  child.pid = init_process_spawn (klass, INIT_PROCESS_MAIN, base_env, NULL, &error);
  g_assert_no_error (error);
  proc = g_strdup_printf ("/proc/%d", child.pid);
  /* Wait for the exit, then let the reaper collect it unwatched. */
  g_assert_true (test_util_wait_until (pid_dead, GINT_TO_POINTER (child.pid), TIMEOUT));
  g_assert_true (test_util_wait_until (proc_gone, proc, TIMEOUT));

  init_reaper_watch (child.pid, child_changed, &child);
  g_assert_false (child.done);
  g_assert_cmpint (wait_exit (&child), ==, 7 << 8);
}

/* An unwatched pid's callback never runs; two watches on one pid both get the exit. */
static void
test_reaper_unwatch (void)
{
  g_autoptr(InitJobClass) klass = make_class (FALSE, "/bin/sleep 30");
  Child first, second = { 0, }, third = { 0, };

  spawn (klass, NULL, &first);
  second.pid = third.pid = first.pid;
  second.watch = init_reaper_watch (first.pid, child_changed, &second);
  third.watch = init_reaper_watch (first.pid, child_changed, &third);
  init_reaper_unwatch (second.watch);
  kill (first.pid, SIGKILL);
  wait_exit (&first);
  wait_exit (&third);
  test_util_spin (100);
  g_assert_false (second.done);
  g_assert_cmpint (WTERMSIG (third.status), ==, SIGKILL);
}

/* A remembered status is dropped by init_reaper_forget (done for every new child, so a
 * reused pid never inherits an old status). */
static void
test_reaper_forget (void)
{
  g_autofree char *proc = NULL;
  Child child = { 0, };

  child.pid = fork ();
  g_assert_cmpint (child.pid, >=, 0);
  if (child.pid == 0)
    _exit (9);
  proc = g_strdup_printf ("/proc/%d", child.pid);
  g_assert_true (test_util_wait_until (proc_gone, proc, TIMEOUT));

  init_reaper_forget (child.pid);
  child.watch = init_reaper_watch (child.pid, child_changed, &child);
  test_util_spin (100);
  g_assert_false (child.done);
  init_reaper_unwatch (child.watch);
}

typedef struct
{
  Child children[50];
} Many;

static gboolean
all_done (gpointer user_data)
{
  Many *many = user_data;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (many->children); i++)
    {
      if (!many->children[i].done)
        return FALSE;
    }
  return TRUE;
}

/* Many children ending together (their SIGCHLDs coalesce) are each delivered their own
 * status. */
static void
test_reaper_many (void)
{
  g_autofree Many *many = g_new0 (Many, 1);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (many->children); i++)
    {
      g_autofree char *command = g_strdup_printf ("sleep 0.2; exit %u", (guint) i);
      g_autoptr(InitJobClass) klass = make_class (TRUE, command);

      spawn (klass, NULL, &many->children[i]);
    }
  g_assert_true (test_util_wait_until (all_done, many, TIMEOUT));
  for (i = 0; i < G_N_ELEMENTS (many->children); i++)
    g_assert_cmpint (many->children[i].status, ==, (int) i << 8);
}

/* Each process type runs its own command. */
static void
test_process_types (void)
{
  g_autoptr(InitJobClass) klass = make_class (TRUE, "exit 1");
  InitProcessType type;

  for (type = INIT_PROCESS_PRE_START; type < INIT_PROCESS_N; type++)
    {
      g_autoptr(GError) error = NULL;
      Child child = { 0, };

      klass->process[type].script = TRUE;
      klass->process[type].command = g_strdup_printf ("exit %d", 10 + type);
      child.pid = init_process_spawn (klass, type, base_env, NULL, &error);
      g_assert_no_error (error);
      init_reaper_watch (child.pid, child_changed, &child);
      g_assert_cmpint (wait_exit (&child), ==, (10 + type) << 8);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  init_reaper_block_sigchld ();
  test_util_capture_install ();
  g_test_init (&argc, &argv, NULL);
  /* A daemon ignores SIGPIPE; the tests check the child does not inherit that. */
  signal (SIGPIPE, SIG_IGN);
  g_assert_true (init_reaper_start (&error));
  g_assert_no_error (error);

  g_test_add_func ("/engine/process/needs-shell", test_needs_shell);
  g_test_add_func ("/engine/process/console/output-session", test_console_output_session);
  g_test_add_func ("/engine/process/exec/direct", test_exec_direct);
  g_test_add_func ("/engine/process/exec/path", test_exec_path);
  g_test_add_func ("/engine/process/exec/shell", test_exec_shell);
  g_test_add_func ("/engine/process/exec/no-shebang", test_exec_no_shebang);
  g_test_add_func ("/engine/process/exec/process-types", test_process_types);
  g_test_add_func ("/engine/process/environment", test_environment);
  g_test_add_func ("/engine/process/script/single-line", test_script_single_line);
  g_test_add_func ("/engine/process/script/multi-line", test_script_multi_line);
  g_test_add_func ("/engine/process/script/large", test_script_large);
  g_test_add_func ("/engine/process/script/errexit", test_script_errexit);
  g_test_add_func ("/engine/process/script/reader-gone", test_script_reader_gone);
  g_test_add_func ("/engine/process/setup/chdir", test_chdir);
  g_test_add_func ("/engine/process/setup/umask", test_umask);
  g_test_add_func ("/engine/process/setup/nice", test_nice);
  g_test_add_func ("/engine/process/setup/limits", test_limits);
  g_test_add_func ("/engine/process/setup/oom", test_oom);
  g_test_add_func ("/engine/process/setup/console-none", test_console_none);
  g_test_add_func ("/engine/process/setup/console-output", test_console_output);
  g_test_add_func ("/engine/process/setup/console-log-pty", test_console_log_pty);
  g_test_add_func ("/engine/process/setup/no-fd-leak", test_no_fd_leak);
  g_test_add_func ("/engine/process/setup/session", test_session);
  g_test_add_func ("/engine/process/setup/signals-reset", test_signals_reset);
  g_test_add_func ("/engine/process/setup/debug-ignored", test_debug_ignored);
  g_test_add_func ("/engine/process/credentials/setuid", test_setuid);
  g_test_add_func ("/engine/process/credentials/setuid-script", test_setuid_script);
  g_test_add_func ("/engine/process/credentials/daemon-untouched", test_setuid_daemon_untouched);
  g_test_add_func ("/engine/process/failure/reasons", test_failures);
  g_test_add_func ("/engine/process/failure/unprivileged", test_failure_unprivileged);
  g_test_add_func ("/engine/process/kill/group", test_kill_group);
  g_test_add_func ("/engine/process/kill/escalation", test_kill_escalation);
  g_test_add_func ("/engine/process/kill/own-group", test_kill_own_group);
  g_test_add_func ("/engine/process/signal-names", test_signal_names);
  g_test_add_func ("/engine/reaper/exit", test_reaper_exit);
  g_test_add_func ("/engine/reaper/signal", test_reaper_signal);
  g_test_add_func ("/engine/reaper/stop", test_reaper_stop);
  g_test_add_func ("/engine/reaper/stray", test_reaper_stray);
  g_test_add_func ("/engine/reaper/race", test_reaper_race);
  g_test_add_func ("/engine/reaper/unwatch", test_reaper_unwatch);
  g_test_add_func ("/engine/reaper/forget", test_reaper_forget);
  g_test_add_func ("/engine/reaper/many", test_reaper_many);

  return g_test_run ();
}
