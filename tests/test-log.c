/* test-log.c — `console log`: real processes writing through a pty into the log file */
#define G_LOG_DOMAIN "test-log"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-error.h"
#include "init-job-class.h"
#include "init-log.h"
#include "init-process.h"
#include "init-reaper.h"
#include "test-util.h"

#define TIMEOUT 10000

static char *base_env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", NULL };

typedef struct
{
  pid_t    pid;
  gboolean done;
  int      status;
} Child;

static void
child_exited (pid_t    pid,
              int      status,
              gpointer user_data)
{
  Child *child = user_data;

  if (WIFSTOPPED (status))
    return;
  child->done = TRUE;
  child->status = status;
}

static gboolean
child_done (gpointer user_data)
{
  return ((Child *) user_data)->done;
}

/* Run @command (an exec line, or a script) with console log into @log, the way the job
 * module does: a pty per process, the slave closed once the child has it. */
static void
spawn_logged (InitLog    *log,
              gboolean    script,
              const char *command,
              Child      *child)
{
  g_autoptr(InitJobClass) klass = init_job_class_new ("test");
  g_autoptr(GError) error = NULL;
  InitSpawnOptions options = { FALSE, -1 };

  klass->process[INIT_PROCESS_MAIN].script = script;
  klass->process[INIT_PROCESS_MAIN].command = g_strdup (command);
  g_assert_cmpint (klass->console, ==, INIT_CONSOLE_LOG);

  options.log_fd = init_log_open_pty (log, &error);
  g_assert_no_error (error);
  g_assert_cmpint (options.log_fd, >=, 0);

  memset (child, 0, sizeof *child);
  child->pid = init_process_spawn (klass, INIT_PROCESS_MAIN, base_env, &options, &error);
  close (options.log_fd);
  g_assert_no_error (error);
  init_reaper_watch (child->pid, child_exited, child);
}

/* Run to completion; the output is read by the main loop, not by an explicit flush. */
static void
run_logged (InitLog    *log,
            gboolean    script,
            const char *command)
{
  Child child;

  spawn_logged (log, script, command, &child);
  g_assert_true (test_util_wait_until (child_done, &child, TIMEOUT));
  g_assert_cmpint (child.status, ==, 0);
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
  g_autofree char *actual = NULL;

  test_util_wait_until (file_has, &wait, TIMEOUT);
  actual = test_util_read_file (path);
  g_assert_cmpstr (actual, ==, content);
}

static gboolean
file_exists (gpointer user_data)
{
  return g_file_test (user_data, G_FILE_TEST_EXISTS);
}


/* Class and instance names have every '/' replaced by '_' (reference §8, J2). */
static void
test_path_for (void)
{
  struct { const char *klass, *instance, *expected; } cases[] = {
    { "a/b", "c/d_?/", "/var/log/init/a_b-c_d_?_.log" },
    { "//hello_foo bar.z/", NULL, "/var/log/init/__hello_foo bar.z_.log" },
    { "foo bar", "bar foo", "/var/log/init/foo bar-bar foo.log" },
    { "test", "", "/var/log/init/test.log" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = init_log_path_for ("/var/log/init", cases[i].klass,
                                                 cases[i].instance);

      g_assert_cmpstr (path, ==, cases[i].expected);
    }
}

/* J1: `exec echo hello world` logs "hello world\r\n" (the pty turns \n into \r\n) into a new
 * file of mode 0640, whatever the daemon's umask; the log directory is created on demand. */
static void
test_hello_world (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "sub", "test.log", NULL);
  InitLog *log = init_log_new (path);
  struct stat st;
  mode_t old_umask = umask (077);

  g_assert_cmpstr (init_log_get_path (log), ==, path);
  run_logged (log, FALSE, "echo hello world");
  assert_file_becomes (path, "hello world\r\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  umask (old_umask);
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* Both stdout and stderr are logged. */
static void
test_stderr (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  InitLog *log = init_log_new (path);

  run_logged (log, TRUE, "echo out\necho err >&2\n");
  assert_file_becomes (path, "out\r\nerr\r\n");
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* J1: a process that writes nothing creates no file (and no directory). */
static void
test_no_output (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *path = g_build_filename (sub, "test.log", NULL);
  InitLog *log = init_log_new (path);

  run_logged (log, FALSE, "/bin/true");
  init_log_flush (log);
  test_util_spin (100);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (sub, G_FILE_TEST_EXISTS));
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* init_log_flush reads what is pending right now, without the main loop running. */
static void
test_flush (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *content = NULL;
  InitLog *log = init_log_new (path);
  Child child;

  spawn_logged (log, FALSE, "echo flushed", &child);
  /* Wait without iterating the main loop: nothing may be read meanwhile. */
  while (test_util_pid_alive (child.pid))
    g_usleep (1000);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  init_log_flush (log);
  content = test_util_read_file (path);
  g_assert_cmpstr (content, ==, "flushed\r\n");
  g_assert_true (test_util_wait_until (child_done, &child, TIMEOUT));
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* An existing file is appended to, and every process of the instance writes to the same
 * file. */
static void
test_append (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  InitLog *log = init_log_new (path);

  test_util_write_file (dir, "test.log", "old\n");
  run_logged (log, FALSE, "echo pre-start");
  run_logged (log, TRUE, "echo main");
  assert_file_becomes (path, "old\npre-start\r\nmain\r\n");
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* A log file unlinked while the job runs (logrotate) is recreated for later output. */
static void
test_reopen_unlinked (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *go = g_build_filename (dir, "go", NULL);
  g_autofree char *script = g_strdup_printf ("echo one\n"
                                             "while [ ! -e %s ]; do sleep 0.05; done\n"
                                             "echo two\n", go);
  InitLog *log = init_log_new (path);
  Child child;

  spawn_logged (log, TRUE, script, &child);
  assert_file_becomes (path, "one\r\n");
  g_assert_cmpint (g_unlink (path), ==, 0);
  test_util_write_file (dir, "go", "");
  assert_file_becomes (path, "two\r\n");
  g_assert_true (test_util_wait_until (child_done, &child, TIMEOUT));
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* O_NOFOLLOW: a symlink at the log path is never written through; the output is dropped
 * with a warning. */
static void
test_no_follow (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *target = g_build_filename (dir, "target", NULL);
  g_autofree char *content = NULL;
  InitLog *log = init_log_new (path);

  test_util_write_file (dir, "target", "precious\n");
  g_assert_cmpint (symlink (target, path), ==, 0);
  test_util_capture_start ();
  run_logged (log, FALSE, "echo evil");
  init_log_flush (log);
  test_util_capture_assert ((const char *[]) {
    "init-log: Unable to open log file *: Too many levels of symbolic links", NULL });

  test_util_capture_start ();
  init_log_free (log);
  test_util_capture_assert ((const char *[]) { "init-log: Discarding 6 bytes *", NULL });
  content = test_util_read_file (target);
  g_assert_cmpstr (content, ==, "precious\n");
  test_util_rm_rf (dir);
}

/* Output that cannot be written yet (log directory unavailable) is kept and written, oldest
 * first, once the file can be opened; the failure is warned about once. */
static void
test_buffer_until_writable (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *blocker = g_build_filename (dir, "logs", NULL);
  g_autofree char *path = g_build_filename (blocker, "test.log", NULL);
  InitLog *log = init_log_new (path);

  test_util_write_file (dir, "logs", "a file where the directory should be");
  test_util_capture_start ();
  run_logged (log, FALSE, "echo first");
  run_logged (log, FALSE, "echo second");
  init_log_flush (log);
  test_util_capture_assert ((const char *[]) { "init-log: Unable to open log file *", NULL });

  g_assert_cmpint (g_unlink (blocker), ==, 0);
  init_log_flush (log);
  assert_file_becomes (path, "first\r\nsecond\r\n");
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* The buffer is bounded: past 64 KiB output is dropped, with one warning. */
static void
test_buffer_bound (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *blocker = g_build_filename (dir, "logs", NULL);
  g_autofree char *path = g_build_filename (blocker, "test.log", NULL);
  g_autofree char *content = NULL;
  InitLog *log = init_log_new (path);
  gsize length = 0;

  test_util_write_file (dir, "logs", "");
  test_util_capture_start ();
  run_logged (log, TRUE, "head -c 200000 /dev/zero | tr '\\0' x");
  init_log_flush (log);
  test_util_capture_assert ((const char *[]) { "init-log: Unable to open log file *",
                                     "init-log: Log buffer for * is full*", NULL });

  g_assert_cmpint (g_unlink (blocker), ==, 0);
  init_log_flush (log);
  g_assert_true (g_file_get_contents (path, &content, &length, NULL));
  g_assert_cmpuint (length, ==, 64 * 1024);
  g_assert_cmpuint (strspn (content, "x"), ==, length);
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* A large burst arrives whole through the main loop, however it is split into reads. */
static void
test_large_output (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *content = NULL;
  InitLog *log = init_log_new (path);
  gsize length = 0;

  run_logged (log, TRUE, "head -c 1048576 /dev/zero | tr '\\0' y\necho\n");
  init_log_flush (log);
  g_assert_true (g_file_get_contents (path, &content, &length, NULL));
  g_assert_cmpuint (length, ==, 1048576 + 2);
  g_assert_cmpuint (strspn (content, "y"), ==, 1048576);
  g_assert_cmpstr (content + 1048576, ==, "\r\n");
  init_log_free (log);
  test_util_rm_rf (dir);
}

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint count = 0;

  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

typedef struct
{
  guint expected;
} FdWait;

static gboolean
fds_back_to (gpointer user_data)
{
  return count_fds () == ((FdWait *) user_data)->expected;
}

/* When the last process closes the slave (EIO on the master) the pty and the log file are
 * closed; further output reopens the file lazily. */
static void
test_eof_closes (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  InitLog *log = init_log_new (path);
  FdWait wait = { count_fds () };

  run_logged (log, FALSE, "echo one");
  g_assert_true (test_util_wait_until (fds_back_to, &wait, TIMEOUT));
  assert_file_becomes (path, "one\r\n");

  run_logged (log, FALSE, "echo two");
  g_assert_true (test_util_wait_until (fds_back_to, &wait, TIMEOUT));
  assert_file_becomes (path, "one\r\ntwo\r\n");
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* Freeing the log hangs up the pty: a job still running gets SIGHUP, its output so far is
 * in the file. */
static void
test_free_hangs_up (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *script = g_strdup_printf ("echo started\nsleep 30\n");
  InitLog *log = init_log_new (path);
  Child child;

  spawn_logged (log, TRUE, script, &child);
  g_assert_true (test_util_wait_until (file_exists, path, TIMEOUT));
  init_log_free (log);
  g_assert_true (test_util_wait_until (child_done, &child, TIMEOUT));
  g_assert_true (WIFSIGNALED (child.status));
  g_assert_cmpint (WTERMSIG (child.status), ==, SIGHUP);
  assert_file_becomes (path, "started\r\n");
  test_util_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  init_reaper_block_sigchld ();
  test_util_capture_install ();
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  g_assert_true (init_reaper_start (&error));
  g_assert_no_error (error);

  g_test_add_func ("/engine/log/path-for", test_path_for);
  g_test_add_func ("/engine/log/hello-world", test_hello_world);
  g_test_add_func ("/engine/log/stderr", test_stderr);
  g_test_add_func ("/engine/log/no-output", test_no_output);
  g_test_add_func ("/engine/log/flush", test_flush);
  g_test_add_func ("/engine/log/append", test_append);
  g_test_add_func ("/engine/log/reopen-unlinked", test_reopen_unlinked);
  g_test_add_func ("/engine/log/no-follow", test_no_follow);
  g_test_add_func ("/engine/log/buffer-until-writable", test_buffer_until_writable);
  g_test_add_func ("/engine/log/buffer-bound", test_buffer_bound);
  g_test_add_func ("/engine/log/large-output", test_large_output);
  g_test_add_func ("/engine/log/eof-closes", test_eof_closes);
  g_test_add_func ("/engine/log/free-hangs-up", test_free_hangs_up);

  return g_test_run ();
}
