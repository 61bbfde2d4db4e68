/* test-log.c — `console log`: real processes writing through a pty into the log file */
#define G_LOG_DOMAIN "test-log"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-error.h"
#include "init-job-class.h"
#include "init-log.h"
#include "init-log-writer.h"
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
  InitLog *log;      /* told when the process exits, as the job module does; or NULL */
} Child;

static void
child_exited (pid_t    pid,
              int      status,
              gpointer user_data)
{
  Child *child = user_data;

  if (WIFSTOPPED (status))
    return;
  if (child->log != NULL)
    init_log_process_exited (child->log, pid);
  child->done = TRUE;
  child->status = status;
}

static gboolean
child_done (gpointer user_data)
{
  return ((Child *) user_data)->done;
}

/* Run @command (an exec line, or a script) with console log into @log, the way the job
 * module does: a pty per process, the slave closed once the child has it, the pty assigned
 * to the process and released when it has been reaped.  (A pty nobody is assigned to is
 * closed as soon as it reports EIO, which can hang up a process still exiting.) */
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
  init_log_set_pid (log, child->pid);
  child->log = log;
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

static gboolean
warning_seen (gpointer user_data)
{
  return test_util_capture_contains (user_data);
}

/* Warnings from the writer thread reach the main context through an idle source. */
static void
wait_warning (const char *pattern)
{
  g_assert_true (test_util_wait_until (warning_seen, (gpointer) pattern, TIMEOUT));
}


/* Class and instance names are escaped as object path elements, so no two (job, instance)
 * pairs share a file: instance "secret" of "pub" is not job "pub-secret". */
static void
test_path_for (void)
{
  struct { const char *klass, *instance, *expected; } cases[] = {
    { "a/b", "c/d_?/", "/var/log/init/a_2fb-c_2fd_5f_3f_2f.log" },
    { "//hello_foo bar.z/", NULL, "/var/log/init/_2f_2fhello_5ffoo_20bar_2ez_2f.log" },
    { "foo bar", "bar foo", "/var/log/init/foo_20bar-bar_20foo.log" },
    { "test", "", "/var/log/init/test.log" },
    { "pub", "secret", "/var/log/init/pub-secret.log" },
    { "pub-secret", "", "/var/log/init/pub_2dsecret.log" },
    { "pub", "x.log", "/var/log/init/pub-x_2elog.log" },
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
  g_assert_true (init_log_sync (log, TIMEOUT));
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
  init_log_writer_set_orphan_timeout_for_testing (200);
  test_util_capture_start ();
  run_logged (log, FALSE, "echo evil");
  init_log_flush (log);
  wait_warning ("init-log: Unable to open log file *");
  test_util_capture_assert ((const char *[]) {
    "init-log: Unable to open log file *: Too many levels of symbolic links", NULL
  });

  /* Freeing never waits: the writer keeps trying, then gives up on the output. */
  test_util_capture_start ();
  init_log_free (log);
  wait_warning ("init-log: Discarding *");
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
  wait_warning ("init-log: Unable to open log file *");
  test_util_capture_assert ((const char *[]) { "init-log: Unable to open log file *", NULL });

  g_assert_cmpint (g_unlink (blocker), ==, 0);
  init_log_flush (log);
  assert_file_becomes (path, "first\r\nsecond\r\n");
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* Run `echo secret` logged to @log, whose file must not be opened: one warning says so. */
static void
run_refused (InitLog *log)
{
  test_util_capture_start ();
  run_logged (log, FALSE, "echo secret");
  init_log_flush (log);
  wait_warning ("init-log: Unable to open log file *");
  test_util_capture_assert ((const char *[]) { "init-log: Unable to open log file *", NULL });
}

/* A log directory others may write to (a 0777 directory in /tmp) is not used: another user
 * could plant or swap the files in it.  Once it is the daemon's alone, output goes there. */
static void
test_untrusted_dir (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  InitLog *log = init_log_new (path);

  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  run_refused (log);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  init_log_flush (log);
  assert_file_becomes (path, "secret\r\n");
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* No symbolic link is followed anywhere on the way: a linked directory would let whoever
 * made the link choose where root writes. */
static void
test_symlinked_dir (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *real = g_build_filename (dir, "real", NULL);
  g_autofree char *link = g_build_filename (dir, "link", NULL);
  g_autofree char *path = g_build_filename (link, "test.log", NULL);
  g_autofree char *target = g_build_filename (real, "test.log", NULL);
  InitLog *log = init_log_new (path);

  g_assert_cmpint (g_mkdir (real, 0755), ==, 0);
  g_assert_cmpint (symlink (real, link), ==, 0);
  run_refused (log);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* A log file that belongs to another user (planted before the job ran) is not written. */
static void
test_foreign_file (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *content = NULL;
  InitLog *log = init_log_new (path);

  if (geteuid () != 0)
    {
      /* Only root can give a file away; CI runs as root. */
      g_test_fail_printf ("needs root to plant another user's file");
      init_log_free (log);
      return;
    }
  test_util_write_file (dir, "test.log", "planted\n");
  g_assert_cmpint (chown (path, 65534, 65534), ==, 0);
  run_refused (log);
  content = test_util_read_file (path);
  g_assert_cmpstr (content, ==, "planted\n");
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* The buffer is bounded: past INIT_LOG_BUFFER_MAX output is dropped, with one warning, and a
 * line counting the lost bytes follows what was kept once the file can be written. */
static void
test_buffer_bound (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *blocker = g_build_filename (dir, "logs", NULL);
  g_autofree char *path = g_build_filename (blocker, "test.log", NULL);
  g_autofree char *content = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *command = NULL;
  InitLog *log = init_log_new (path);
  int total = INIT_LOG_BUFFER_MAX * 3 / 2;
  gsize length = 0;

  init_log_set_limits (0, 0);
  test_util_write_file (dir, "logs", "");
  test_util_capture_start ();
  command = g_strdup_printf ("head -c %d /dev/zero | tr '\\0' x", total);
  run_logged (log, TRUE, command);
  init_log_flush (log);
  wait_warning ("init-log: Unable to open log file *");
  wait_warning ("init-log: Log buffer for * is full*");
  test_util_capture_stop ();

  g_assert_cmpint (g_unlink (blocker), ==, 0);
  init_log_flush (log);
  g_assert_true (init_log_sync (log, TIMEOUT));
  g_assert_true (g_file_get_contents (path, &content, &length, NULL));
  marker = g_strdup_printf ("\n[initd: %d bytes of output lost]\n",
                            total - INIT_LOG_BUFFER_MAX);
  g_assert_cmpuint (length, ==, INIT_LOG_BUFFER_MAX + strlen (marker));
  g_assert_cmpuint (strspn (content, "x"), ==, INIT_LOG_BUFFER_MAX);
  g_assert_cmpstr (content + INIT_LOG_BUFFER_MAX, ==, marker);
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* A large burst arrives whole through the main loop, however it is split into reads.  (Kept
 * within the writer's buffer: a writer thread starved of CPU for longer than the burst takes
 * may legitimately drop output, which slow-disk shows.) */
static void
test_large_output (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *content = NULL;
  InitLog *log = init_log_new (path);
  gsize length = 0;

  init_log_set_limits (0, 0);
  run_logged (log, TRUE, "head -c 196608 /dev/zero | tr '\\0' y\necho\n");
  init_log_flush (log);
  g_assert_true (init_log_sync (log, TIMEOUT));
  g_assert_true (g_file_get_contents (path, &content, &length, NULL));
  g_assert_cmpuint (length, ==, 196608 + 2);
  g_assert_cmpuint (strspn (content, "y"), ==, 196608);
  g_assert_cmpstr (content + 196608, ==, "\r\n");
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

/* Freeing the log does not kill a job still running (the daemon may be gone, crashed, and a
 * new one adopt the job): its output so far is in the file, and it runs on. */
static void
test_free_leaves_job_running (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *script = g_strdup_printf ("echo started\nsleep 30\n");
  InitLog *log = init_log_new (path);
  Child child;

  spawn_logged (log, TRUE, script, &child);
  g_assert_true (test_util_wait_until (file_exists, path, TIMEOUT));
  init_log_free (log);
  child.log = NULL;
  test_util_spin (300);
  g_assert_false (child_done (&child));
  assert_file_becomes (path, "started\r\n");
  kill (child.pid, SIGKILL);
  g_assert_true (test_util_wait_until (child_done, &child, TIMEOUT));
  test_util_rm_rf (dir);
}

/* ---- bounded files, the writer thread, re-exec ---- */

/* What `seq -f 'line %0<width>g' FIRST LAST` prints through a pty. */
static GString *
numbered_lines_width (guint first,
                      guint last,
                      int   width)
{
  GString *text = g_string_new (NULL);

  for (guint i = first; i <= last; i++)
    g_string_append_printf (text, "line %0*u\r\n", width, i);
  return text;
}

static GString *
numbered_lines (guint first,
                guint last)
{
  return numbered_lines_width (first, last, 5);
}

static char *
rotated_path (const char *path,
              guint       n)
{
  return n == 0 ? g_strdup (path) : g_strdup_printf ("%s.%u", path, n);
}

/* The files <path>.<max> … <path>.1 <path> (those that exist), oldest first, joined. */
static GString *
read_rotated (const char *path,
              guint       max,
              gsize       limit)
{
  GString *all = g_string_new (NULL);

  for (guint n = max + 1; n > 0; n--)
    {
      g_autofree char *file = rotated_path (path, n - 1);
      g_autofree char *content = NULL;
      gsize length = 0;

      if (!g_file_get_contents (file, &content, &length, NULL))
        continue;
      g_assert_cmpuint (length, <=, limit);
      g_string_append_len (all, content, length);
    }
  return all;
}

/* Files are rotated at the limit, keeping N: every file is within the limit, <file>.1 … N
 * exist, the oldest output is gone, and what is kept is an unbroken run of whole lines
 * ending with the last one (nothing lost or repeated across the files); each rotated file
 * was cut at a line end, within a line of the limit. */
static void
test_rotate_keep (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *gone = rotated_path (path, 4);
  g_autoptr(GString) expected = numbered_lines (1, 10000);
  g_autoptr(GString) kept = NULL;
  InitLog *log = init_log_new (path);

  init_log_set_limits (16384, 3);
  run_logged (log, TRUE, "seq -f 'line %05g' 1 10000");
  init_log_flush (log);
  g_assert_true (init_log_sync (log, TIMEOUT));

  for (guint n = 1; n <= 3; n++)
    {
      g_autofree char *file = rotated_path (path, n);
      g_autofree char *content = test_util_read_file (file);

      g_assert_nonnull (content);
      g_assert_cmpuint (strlen (content), >, 16384 - 12);
      g_assert_true (g_str_has_prefix (content, "line "));
      g_assert_true (g_str_has_suffix (content, "\r\n"));
    }
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
  kept = read_rotated (path, 3, 16384);
  g_assert_cmpuint (kept->len, <, expected->len);
  g_assert_true (g_str_has_suffix (expected->str, kept->str));
  g_assert_true (g_str_has_prefix (kept->str, "line "));
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* With room for everything in the rotated files, 10,000 numbered lines come out whole and in
 * order across the files. */
static void
test_rotate_keep_all (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *eighth = rotated_path (path, 8);
  g_autoptr(GString) expected = numbered_lines (1, 10000);
  g_autoptr(GString) all = NULL;
  InitLog *log = init_log_new (path);

  init_log_set_limits (16384, 20);
  run_logged (log, TRUE, "seq -f 'line %05g' 1 10000");
  init_log_flush (log);
  g_assert_true (init_log_sync (log, TIMEOUT));

  /* 120,000 bytes in files of 16,380 (1,365 whole lines): <file>, .1 … .7 */
  g_assert_false (g_file_test (eighth, G_FILE_TEST_EXISTS));
  all = read_rotated (path, 20, 16384);
  g_assert_cmpuint (all->len, ==, expected->len);
  g_assert_true (g_str_equal (all->str, expected->str));
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* keep 0: the file is emptied at the limit instead of rotated. */
static void
test_rotate_keep_zero (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *first = rotated_path (path, 1);
  g_autofree char *content = NULL;
  g_autoptr(GString) expected = numbered_lines (1, 10000);
  InitLog *log = init_log_new (path);

  init_log_set_limits (16384, 0);
  run_logged (log, TRUE, "seq -f 'line %05g' 1 10000");
  init_log_flush (log);
  g_assert_true (init_log_sync (log, TIMEOUT));

  g_assert_false (g_file_test (first, G_FILE_TEST_EXISTS));
  content = test_util_read_file (path);
  g_assert_nonnull (content);
  g_assert_cmpuint (strlen (content), <=, 16384);
  g_assert_cmpuint (strlen (content), >, 0);
  g_assert_true (g_str_has_prefix (content, "line "));
  g_assert_true (g_str_has_suffix (expected->str, content));
  /* 120,000 = 7 × 16,380 + 5,340: the last file holds the last 445 lines. */
  g_assert_cmpuint (strlen (content), ==, 120000 - 7 * 16380);
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* A file already past the limit (limits lowered since, say) is rotated before new output. */
static void
test_rotate_existing (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *first = rotated_path (path, 1);
  g_autofree char *old = g_strnfill (3000, 'o');
  g_autofree char *old_line = g_strconcat (old, "\n", NULL);
  g_autofree char *rotated = NULL;
  InitLog *log = init_log_new (path);

  test_util_write_file (dir, "test.log", old_line);
  init_log_set_limits (1024, 1);
  run_logged (log, TRUE, "echo new");
  g_assert_true (init_log_sync (log, TIMEOUT));
  assert_file_becomes (path, "new\r\n");
  rotated = test_util_read_file (first);
  g_assert_cmpstr (rotated, ==, old_line);
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* Deleting the files while a rotating log is written: the file is recreated (mode 0640) and
 * later output lands in it, whole lines in order. */
static void
test_deleted_while_rotating (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *go = g_build_filename (dir, "go", NULL);
  g_autofree char *printed = g_build_filename (dir, "printed", NULL);
  g_autofree char *script = g_strdup_printf ("seq -f 'line %%05g' 1 3000\n"
                                             "touch %s\n"
                                             "while [ ! -e %s ]; do sleep 0.05; done\n"
                                             "seq -f 'line %%05g' 3001 4000\n", printed, go);
  g_autoptr(GString) second = numbered_lines (3001, 4000);
  g_autoptr(GString) kept = NULL;
  InitLog *log = init_log_new (path);
  struct stat st;
  Child child;

  init_log_set_limits (16384, 2);
  spawn_logged (log, TRUE, script, &child);
  g_assert_true (test_util_wait_until (file_exists, path, TIMEOUT));
  for (guint n = 0; n <= 2; n++)
    {
      g_autofree char *file = rotated_path (path, n);

      g_unlink (file);
    }
  /* Also while the writer is between files, and once all is written. */
  test_util_spin (20);
  for (guint n = 0; n <= 2; n++)
    {
      g_autofree char *file = rotated_path (path, n);

      g_unlink (file);
    }
  g_assert_true (test_util_wait_until (file_exists, printed, TIMEOUT));
  init_log_flush (log);
  g_assert_true (init_log_sync (log, TIMEOUT));
  for (guint n = 0; n <= 2; n++)
    {
      g_autofree char *file = rotated_path (path, n);

      g_unlink (file);
    }
  test_util_write_file (dir, "go", "");
  g_assert_true (test_util_wait_until (child_done, &child, TIMEOUT));
  g_assert_true (init_log_sync (log, TIMEOUT));

  kept = read_rotated (path, 2, 16384);
  g_assert_cmpuint (kept->len, ==, second->len);
  g_assert_true (g_str_equal (kept->str, second->str));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* A file moved away (logrotate without copytruncate) keeps what was written; later output
 * goes to a new file at the path. */
static void
test_moved_reopened (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *moved = g_build_filename (dir, "test.log.old", NULL);
  g_autofree char *go = g_build_filename (dir, "go", NULL);
  g_autofree char *script = g_strdup_printf ("echo one\n"
                                             "while [ ! -e %s ]; do sleep 0.05; done\n"
                                             "echo two\n", go);
  InitLog *log = init_log_new (path);
  Child child;

  spawn_logged (log, TRUE, script, &child);
  assert_file_becomes (path, "one\r\n");
  g_assert_cmpint (g_rename (path, moved), ==, 0);
  test_util_write_file (dir, "go", "");
  g_assert_true (test_util_wait_until (child_done, &child, TIMEOUT));
  g_assert_true (init_log_sync (log, TIMEOUT));
  assert_file_becomes (path, "two\r\n");
  assert_file_becomes (moved, "one\r\n");
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* @content is a prefix of @expected, a line "[initd: N bytes of output lost]" where N is the
 * rest of @expected (on a line of its own: after a newline added if the prefix ends inside a
 * line), then @tail. */
static void
assert_prefix_lost (const char *content,
                    GString    *expected,
                    const char *tail)
{
  const char *marker = strstr (content, "[initd: ");
  g_autofree char *line = NULL;
  guint64 lost;
  gsize kept;

  g_assert_nonnull (marker);
  lost = g_ascii_strtoull (marker + strlen ("[initd: "), NULL, 10);
  g_assert_cmpuint (lost, >, 0);
  g_assert_cmpuint (lost, <=, expected->len);
  kept = expected->len - lost;
  g_assert_cmpint (memcmp (content, expected->str, kept), ==, 0);
  if (kept > 0 && expected->str[kept - 1] != '\n')
    g_assert_cmpint (content[kept++], ==, '\n');
  g_assert_true (content + kept == marker);
  line = g_strdup_printf ("[initd: %" G_GUINT64_FORMAT " bytes of output lost]\n%s", lost, tail);
  g_assert_cmpstr (marker, ==, line);
}

static gboolean
ticked (gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/* A writer stuck on a slow disk blocks neither the job nor the main loop: the job prints
 * 2.6 MB and finishes while nothing is written, output past the buffer is dropped with a
 * single warning, init_log_sync gives up at its timeout, and once the disk moves the kept
 * output, the lost-bytes line and later output follow in order. */
static void
test_slow_disk (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *content = NULL;
  g_autoptr(GString) expected = numbered_lines_width (1, 200000, 6);
  InitLog *log = init_log_new (path);
  guint ticks = 0, timer;
  Child child;

  init_log_set_limits (0, 0);
  init_log_writer_pause_for_testing (TRUE);
  timer = g_timeout_add (5, ticked, &ticks);
  test_util_capture_start ();
  spawn_logged (log, TRUE, "seq -f 'line %06g' 1 200000", &child);
  g_assert_true (test_util_wait_until (child_done, &child, TIMEOUT));
  g_assert_cmpint (child.status, ==, 0);
  init_log_flush (log);
  g_assert_cmpuint (ticks, >, 0);
  g_source_remove (timer);
  test_util_capture_assert ((const char *[]) {
    "init-log: Log buffer for * is full, discarding output", NULL
  });

  g_assert_false (init_log_sync (log, 50));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  init_log_writer_pause_for_testing (FALSE);
  g_assert_true (init_log_sync (log, TIMEOUT));
  run_logged (log, TRUE, "echo later");
  g_assert_true (init_log_sync (log, TIMEOUT));
  content = test_util_read_file (path);
  g_assert_cmpuint (strlen (content), <, INIT_LOG_BUFFER_MAX + 100);
  assert_prefix_lost (content, expected, "later\r\n");
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* init_log_sync waits for the writer: false at its timeout while nothing can be written,
 * true (and the output is in the file) once it is. */
static void
test_sync (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *content = NULL;
  InitLog *log = init_log_new (path);

  g_assert_true (init_log_sync (log, 0));
  init_log_writer_pause_for_testing (TRUE);
  run_logged (log, TRUE, "echo synced");
  init_log_flush (log);
  g_assert_false (init_log_sync (log, 50));
  g_assert_false (init_log_sync_all (0));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  init_log_writer_pause_for_testing (FALSE);
  g_assert_true (init_log_sync (log, TIMEOUT));
  content = test_util_read_file (path);
  g_assert_cmpstr (content, ==, "synced\r\n");
  g_assert_true (init_log_sync_all (0));
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* init_log_free never waits for the disk and loses nothing: the writer finishes the freed
 * log's output, ahead of a new log's for the same file, then closes the file. */
static void
test_free_keeps_buffered (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  InitLog *log = init_log_new (path);
  FdWait wait = { count_fds () };

  init_log_writer_pause_for_testing (TRUE);
  run_logged (log, TRUE, "echo first");
  init_log_free (log);
  log = init_log_new (path);
  run_logged (log, TRUE, "echo second");
  init_log_free (log);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  init_log_writer_pause_for_testing (FALSE);
  g_assert_true (init_log_sync_all (TIMEOUT));
  assert_file_becomes (path, "first\r\nsecond\r\n");
  g_assert_true (test_util_wait_until (fds_back_to, &wait, TIMEOUT));
  test_util_rm_rf (dir);
}

typedef struct
{
  pid_t pid;
  int   fd;
  guint count;
} PtyList;

static void
list_pty (pid_t    pid,
          int      master_fd,
          gpointer user_data)
{
  PtyList *list = user_data;

  list->pid = pid;
  list->fd = master_fd;
  list->count++;
}

/* Re-exec hand-over: the old log lists the pty of its process, detaches and is freed without
 * hanging the job up; what the job writes meanwhile waits in the pty, and the new log that
 * adopts the master (close-on-exec and non-blocking again) writes it exactly once, after
 * what the old one had; the pty is released when the process exits. */
static void
test_detach_adopt (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "test.log", NULL);
  g_autofree char *go = g_build_filename (dir, "go", NULL);
  g_autofree char *wrote = g_build_filename (dir, "wrote", NULL);
  g_autofree char *end = g_build_filename (dir, "end", NULL);
  g_autofree char *script = g_strdup_printf ("echo before\n"
                                             "while [ ! -e %s ]; do sleep 0.05; done\n"
                                             "echo meanwhile\n"
                                             "touch %s\n"
                                             "while [ ! -e %s ]; do sleep 0.05; done\n"
                                             "echo after\n", go, wrote, end);
  InitLog *log = init_log_new (path);
  PtyList list = { 0 };
  FdWait wait = { count_fds () };
  int unassigned;
  Child child;

  /* A pty not (yet) assigned to a process is not handed over. */
  unassigned = init_log_open_pty (log, NULL);
  g_assert_cmpint (unassigned, >=, 0);
  init_log_foreach_pty (log, list_pty, &list);
  g_assert_cmpuint (list.count, ==, 0);
  close (unassigned);
  init_log_flush (log);

  spawn_logged (log, TRUE, script, &child);
  assert_file_becomes (path, "before\r\n");
  init_log_foreach_pty (log, list_pty, &list);
  g_assert_cmpuint (list.count, ==, 1);
  g_assert_cmpint (list.pid, ==, child.pid);
  g_assert_cmpint (list.fd, >=, 0);

  /* As before exec: stop reading, write out what was read, let the fd survive exec. */
  init_log_detach (log);
  g_assert_true (init_log_sync (log, TIMEOUT));
  g_assert_cmpint (fcntl (list.fd, F_SETFD, 0), ==, 0);
  g_assert_cmpint (fcntl (list.fd, F_SETFL, fcntl (list.fd, F_GETFL) & ~O_NONBLOCK), ==, 0);
  init_log_free (log);
  child.log = NULL;

  test_util_write_file (dir, "go", "");
  g_assert_true (test_util_wait_until (file_exists, wrote, TIMEOUT));
  test_util_spin (50);
  g_assert_false (child.done);
  assert_file_becomes (path, "before\r\n");

  /* The new process image. */
  log = init_log_new (path);
  init_log_adopt_pty (log, list.pid, list.fd);
  g_assert_cmpint (fcntl (list.fd, F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);
  g_assert_cmpint (fcntl (list.fd, F_GETFL) & O_NONBLOCK, ==, O_NONBLOCK);
  child.log = log;
  assert_file_becomes (path, "before\r\nmeanwhile\r\n");
  memset (&list, 0, sizeof list);
  init_log_foreach_pty (log, list_pty, &list);
  g_assert_cmpuint (list.count, ==, 1);
  g_assert_cmpint (list.pid, ==, child.pid);

  test_util_write_file (dir, "end", "");
  g_assert_true (test_util_wait_until (child_done, &child, TIMEOUT));
  g_assert_cmpint (child.status, ==, 0);
  g_assert_true (init_log_sync (log, TIMEOUT));
  assert_file_becomes (path, "before\r\nmeanwhile\r\nafter\r\n");
  g_assert_true (test_util_wait_until (fds_back_to, &wait, TIMEOUT));
  init_log_free (log);
  test_util_rm_rf (dir);
}

/* A full disk (a 64 KiB tmpfs) does not block the job: it prints 2.6 MB and keeps running,
 * the loss is warned about; once there is space again the kept output, a line counting the
 * lost bytes and the job's later output follow in order. */
static void
test_disk_full (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *mnt = g_build_filename (dir, "mnt", NULL);
  g_autofree char *path = g_build_filename (mnt, "test.log", NULL);
  g_autofree char *printed = g_build_filename (dir, "printed", NULL);
  g_autofree char *go = g_build_filename (dir, "go", NULL);
  g_autofree char *script = g_strdup_printf ("seq -f 'line %%06g' 1 200000\n"
                                             "touch %s\n"
                                             "while [ ! -e %s ]; do sleep 0.05; done\n"
                                             "echo after\n", printed, go);
  g_autofree char *content = NULL;
  g_autoptr(GString) expected = numbered_lines_width (1, 200000, 6);
  InitLog *log;
  Child child;

  g_assert_cmpint (g_mkdir (mnt, 0755), ==, 0);
  if (mount ("tmpfs", mnt, "tmpfs", 0, "size=64k,mode=0755") < 0)
    {
      g_test_skip_printf ("cannot mount a tmpfs: %s", g_strerror (errno));
      test_util_rm_rf (dir);
      return;
    }
  init_log_set_limits (0, 0);
  log = init_log_new (path);
  test_util_capture_start ();
  spawn_logged (log, TRUE, script, &child);
  g_assert_true (test_util_wait_until (file_exists, printed, TIMEOUT));
  /* All it printed is in the pty or read: take the rest before space comes back. */
  init_log_flush (log);
  wait_warning ("init-log: Unable to write log file *: No space left on device");
  wait_warning ("init-log: Log buffer for * is full, discarding output");
  g_assert_false (child.done);
  g_assert_false (init_log_sync (log, 50));
  test_util_capture_stop ();

  g_assert_cmpint (mount ("tmpfs", mnt, "tmpfs", MS_REMOUNT, "size=4m,mode=0755"), ==, 0);
  g_assert_true (init_log_sync (log, TIMEOUT));
  test_util_write_file (dir, "go", "");
  g_assert_true (test_util_wait_until (child_done, &child, TIMEOUT));
  g_assert_cmpint (child.status, ==, 0);
  g_assert_true (init_log_sync (log, TIMEOUT));
  init_log_free (log);
  g_assert_true (init_log_sync_all (TIMEOUT));

  content = test_util_read_file (path);
  if (umount (mnt) < 0)
    umount2 (mnt, MNT_DETACH);
  g_assert_nonnull (content);
  assert_prefix_lost (content, expected, "after\r\n");
  test_util_rm_rf (dir);
}

/* @content is @expected with gaps, each replaced by one line "[initd: N bytes of output
 * lost]" (after a newline added if the text before it ends inside a line) where N is the
 * size of the gap: nothing doubled, no gap without its line, no line without its gap.
 * Returns how many such lines there are. */
static guint
assert_gaps_accounted (const char *content,
                       GString    *expected)
{
  const char *c = content;
  gsize pos = 0;
  guint markers = 0;
  gboolean after_marker = FALSE;

  while (*c != '\0')
    {
      const char *line_start = (c == content || c[-1] == '\n') ? c : NULL;

      if (c[0] == '\n' && g_str_has_prefix (c + 1, "[initd: ") && pos > 0
          && expected->str[pos - 1] != '\n')
        c++;
      else if (line_start != NULL && g_str_has_prefix (c, "[initd: "))
        {
          guint64 lost = g_ascii_strtoull (c + strlen ("[initd: "), NULL, 10);

          if (after_marker)
            g_error ("two lost-output lines for one gap at byte %" G_GSIZE_FORMAT " of the file",
                     (gsize) (c - content));
          g_assert_cmpuint (lost, >, 0);
          pos += lost;
          g_assert_cmpuint (pos, <=, expected->len);
          c = strchr (c, '\n');
          g_assert_nonnull (c);
          c++;
          markers++;
          after_marker = TRUE;
        }
      else
        {
          if (pos >= expected->len || *c != expected->str[pos])
            g_error ("byte %" G_GSIZE_FORMAT " of the file is not byte %" G_GSIZE_FORMAT
                     " of the output (a gap not accounted for)", (gsize) (c - content), pos);
          c++;
          pos++;
          after_marker = FALSE;
        }
    }
  g_assert_cmpuint (pos, ==, expected->len);
  return markers;
}

/* The disk fills up, frees, fills and frees again while a job keeps writing: each gap in the
 * file has exactly one lost-output line, counting the bytes missing there. */
static void
test_disk_full_spells (void)
{
  g_autofree char *dir = test_util_mkdtemp ();
  g_autofree char *mnt = g_build_filename (dir, "mnt", NULL);
  g_autofree char *path = g_build_filename (mnt, "test.log", NULL);
  g_autofree char *content = NULL;
  g_autoptr(GString) expected = numbered_lines_width (1, 300000, 7);
  InitLog *log;
  Child child;
  guint markers;

  g_assert_cmpint (g_mkdir (mnt, 0755), ==, 0);
  if (mount ("tmpfs", mnt, "tmpfs", 0, "size=64k,mode=0755") < 0)
    {
      g_test_skip_printf ("cannot mount a tmpfs: %s", g_strerror (errno));
      test_util_rm_rf (dir);
      return;
    }
  init_log_set_limits (0, 0);
  log = init_log_new (path);
  test_util_capture_start ();
  spawn_logged (log, TRUE, "seq -f 'line %07g' 1 300000", &child);
  /* Full (until output is dropped), then room for part of it, then room for all of it. */
  wait_warning ("init-log: Log buffer for * is full, discarding output");
  g_assert_cmpint (mount ("tmpfs", mnt, "tmpfs", MS_REMOUNT, "size=2m,mode=0755"), ==, 0);
  test_util_spin (300);
  g_assert_cmpint (mount ("tmpfs", mnt, "tmpfs", MS_REMOUNT, "size=64m,mode=0755"), ==, 0);
  g_assert_true (test_util_wait_until (child_done, &child, 6 * TIMEOUT));
  init_log_flush (log);
  g_assert_true (init_log_sync (log, TIMEOUT));
  init_log_free (log);
  g_assert_true (init_log_sync_all (TIMEOUT));
  test_util_capture_stop ();

  content = test_util_read_file (path);
  if (umount (mnt) < 0)
    umount2 (mnt, MNT_DETACH);
  g_assert_nonnull (content);
  markers = assert_gaps_accounted (content, expected);
  g_test_message ("%u lost-output lines", markers);
  test_util_rm_rf (dir);
}

static void
log_setup (gpointer      fixture,
           gconstpointer data)
{
  init_log_set_limits (INIT_LOG_DEFAULT_MAX_SIZE, INIT_LOG_DEFAULT_KEEP);
  init_log_writer_pause_for_testing (FALSE);
  init_log_writer_set_orphan_timeout_for_testing (30000);
}

static void
log_run (gpointer      fixture,
         gconstpointer data)
{
  ((void (*)(void))data)();
}

/* Everything is written by the end of each case, and warnings the writer posted are seen
 * (and fail) in the case that caused them. */
static void
log_teardown (gpointer      fixture,
              gconstpointer data)
{
  init_log_writer_pause_for_testing (FALSE);
  g_assert_true (init_log_sync_all (TIMEOUT));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

#define ADD_TEST(name, func) \
  g_test_add_vtable ("/engine/log/" name, 0, (gconstpointer) (func), log_setup, log_run, \
                     log_teardown)

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  init_reaper_block_sigchld ();
  /* A mount namespace of our own (before any thread exists), so the tmpfs of disk-full
   * never outlives us, even when a case fails half-way.  Without privilege it is skipped. */
  if (unshare (CLONE_NEWNS) == 0)
    mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
  test_util_capture_install ();
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  g_assert_true (init_reaper_start (&error));
  g_assert_no_error (error);

  ADD_TEST ("path-for", test_path_for);
  ADD_TEST ("untrusted-dir", test_untrusted_dir);
  ADD_TEST ("symlinked-dir", test_symlinked_dir);
  ADD_TEST ("foreign-file", test_foreign_file);
  ADD_TEST ("hello-world", test_hello_world);
  ADD_TEST ("stderr", test_stderr);
  ADD_TEST ("no-output", test_no_output);
  ADD_TEST ("flush", test_flush);
  ADD_TEST ("append", test_append);
  ADD_TEST ("reopen-unlinked", test_reopen_unlinked);
  ADD_TEST ("no-follow", test_no_follow);
  ADD_TEST ("buffer-until-writable", test_buffer_until_writable);
  ADD_TEST ("buffer-bound", test_buffer_bound);
  ADD_TEST ("large-output", test_large_output);
  ADD_TEST ("eof-closes", test_eof_closes);
  ADD_TEST ("free-leaves-job-running", test_free_leaves_job_running);
  ADD_TEST ("rotate-keep", test_rotate_keep);
  ADD_TEST ("rotate-keep-all", test_rotate_keep_all);
  ADD_TEST ("rotate-keep-zero", test_rotate_keep_zero);
  ADD_TEST ("rotate-existing", test_rotate_existing);
  ADD_TEST ("deleted-while-rotating", test_deleted_while_rotating);
  ADD_TEST ("moved-reopened", test_moved_reopened);
  ADD_TEST ("slow-disk", test_slow_disk);
  ADD_TEST ("sync", test_sync);
  ADD_TEST ("free-keeps-buffered", test_free_keeps_buffered);
  ADD_TEST ("detach-adopt", test_detach_adopt);
  ADD_TEST ("disk-full", test_disk_full);
  ADD_TEST ("disk-full-spells", test_disk_full_spells);

  return g_test_run ();
}
