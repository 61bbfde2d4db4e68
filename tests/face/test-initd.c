/* test-initd.c — the initd binary: options, startup event, SIGHUP, SIGTERM, bad files */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "test-util.h"

#define WAIT_MS 20000

typedef struct
{
  char         *dir;
  char         *confdir;
  char         *logdir;
  GSubprocess  *daemon;
  GString      *err;         /* everything initd wrote to stderr so far */
  GInputStream *err_stream;
  gboolean      exited;
} Daemon;

static void
read_stderr (Daemon *d)
{
  char buf[4096];
  gssize n;

  /* non-blocking read of whatever is there */
  while ((n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (d->err_stream),
                                                        buf, sizeof buf, NULL, NULL)) > 0)
    g_string_append_len (d->err, buf, n);
}

static void
daemon_setup (Daemon *d, gconstpointer data)
{
  d->dir = test_util_mkdtemp ();
  d->confdir = g_build_filename (d->dir, "conf", NULL);
  d->logdir = g_build_filename (d->dir, "log", NULL);
  g_mkdir_with_parents (d->confdir, 0755);
  d->err = g_string_new (NULL);
}

static void
daemon_start (Daemon *d, const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = g_strdup_printf ("%s --session -v --confdir %s --logdir %s "
                                          "--pty-keeper %s %s",
                                          g_getenv ("INITD"), d->confdir, d->logdir,
                                          g_getenv ("INIT_PTY_KEEPER"), extra);
  g_auto (GStrv) argv = NULL;

  g_assert_true (g_shell_parse_argv (cmd, NULL, &argv, &error));
  d->daemon = g_subprocess_newv ((const char *const *) argv, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  d->err_stream = g_subprocess_get_stderr_pipe (d->daemon);
}

static gboolean
exited (gpointer user_data)
{
  Daemon *d = user_data;
  read_stderr (d);
  return d->exited;
}

static void
on_daemon_exit (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Daemon *d = user_data;
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  d->exited = TRUE;
}

/* Wait for the daemon to exit; returns its exit status. */
static int
daemon_wait_exit (Daemon *d)
{
  g_subprocess_wait_async (d->daemon, NULL, on_daemon_exit, d);
  g_assert_true (test_util_wait_until (exited, d, WAIT_MS));
  g_assert_true (g_subprocess_get_if_exited (d->daemon));
  return g_subprocess_get_exit_status (d->daemon);
}

static void
daemon_teardown (Daemon *d, gconstpointer data)
{
  if (d->daemon != NULL && !d->exited)
    {
      g_subprocess_send_signal (d->daemon, SIGTERM);
      daemon_wait_exit (d);
    }
  g_clear_object (&d->daemon);
  test_util_rm_rf (d->dir);
  g_free (d->dir);
  g_free (d->confdir);
  g_free (d->logdir);
  g_string_free (d->err, TRUE);
}

typedef struct
{
  Daemon     *d;
  const char *needle;
} StderrWait;

static gboolean
stderr_has (gpointer user_data)
{
  StderrWait *w = user_data;
  read_stderr (w->d);
  return strstr (w->d->err->str, w->needle) != NULL;
}

static void
wait_stderr (Daemon *d, const char *needle)
{
  StderrWait w = { d, needle };
  if (!test_util_wait_until (stderr_has, &w, WAIT_MS))
    g_error ("initd never said \"%s\"; it said:\n%s", needle, d->err->str);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Write conf/NAME.conf from @text with every "@ARG@" replaced by @arg; returns its path. */
static char *
conf_job (Daemon *d, const char *name, const char *text_in, const char *arg)
{
  g_autofree char *file = g_strconcat (name, ".conf", NULL);
  g_autoptr(GString) str = g_string_new (text_in);
  g_autofree char *text = NULL;

  g_string_replace (str, "@ARG@", arg, 0);
  text = g_strdup (str->str);
  test_util_write_file (d->confdir, file, text);
  return g_build_filename (d->confdir, file, NULL);
}

/* initd emits `startup` after loading: a job on it runs. */
static void
test_startup_event (Daemon *d, gconstpointer data)
{
  g_autofree char *marker = g_build_filename (d->dir, "ran", NULL);

  g_free (conf_job (d, "hello", "start on startup\ntask\nexec touch @ARG@\n", marker));
  daemon_start (d, "");
  g_assert_true (test_util_wait_until (file_exists, marker, WAIT_MS));
}

/* --startup-event NAME replaces startup; --no-startup-event emits nothing. */
static void
test_startup_event_options (Daemon *d, gconstpointer data)
{
  g_autofree char *custom = g_build_filename (d->dir, "custom", NULL);
  g_autofree char *plain = g_build_filename (d->dir, "plain", NULL);

  g_free (conf_job (d, "a", "start on boot-done\ntask\nexec touch @ARG@\n", custom));
  g_free (conf_job (d, "b", "start on startup\ntask\nexec touch @ARG@\n", plain));
  daemon_start (d, "--startup-event boot-done");
  g_assert_true (test_util_wait_until (file_exists, custom, WAIT_MS));
  test_util_spin (300);
  g_assert_false (g_file_test (plain, G_FILE_TEST_EXISTS));
}

/* --no-startup-event: nothing runs on its own. */
static void
test_no_startup_event (Daemon *d, gconstpointer data)
{
  g_autofree char *plain = g_build_filename (d->dir, "plain", NULL);

  g_free (conf_job (d, "b", "start on startup\ntask\nexec touch @ARG@\n", plain));
  daemon_start (d, "--no-startup-event");
  wait_stderr (d, "Loaded 1 jobs");
  test_util_spin (300);
  g_assert_false (g_file_test (plain, G_FILE_TEST_EXISTS));
}

/* A bad job file is reported as file:line:column and the others still load. */
static void
test_bad_file_reported (Daemon *d, gconstpointer data)
{
  g_autofree char *marker = g_build_filename (d->dir, "ran", NULL);
  g_autofree char *bad = NULL, *expected = NULL;

  g_free (conf_job (d, "good", "start on startup\ntask\nexec touch @ARG@\n", marker));
  bad = conf_job (d, "bad", "start on startup\nnice @ARG@\n", "99");
  daemon_start (d, "");
  expected = g_strdup_printf ("%s:2:6: Illegal nice value, expected -20 to 19", bad);
  wait_stderr (d, expected);
  g_assert_true (test_util_wait_until (file_exists, marker, WAIT_MS));
}

/* SIGTERM stops every job (escalating past a job that ignores TERM) and exits 0. */
static void
test_sigterm_stops_jobs (Daemon *d, gconstpointer data)
{
  g_autofree char *pidfile = g_build_filename (d->dir, "pid", NULL);
  g_autofree char *pidtext = NULL;
  gint64 start;
  int pid;

  g_free (conf_job (d, "stubborn",
                    "start on startup\nkill timeout 1\n"
                    "script\n  trap '' TERM\n  echo $$ > @ARG@\n  while true; do sleep 0.1; done\nend script\n",
                    pidfile));
  daemon_start (d, "");
  g_assert_true (test_util_wait_until (file_exists, pidfile, WAIT_MS));
  test_util_spin (100);
  pidtext = test_util_read_file (pidfile);
  pid = atoi (pidtext);
  g_assert_cmpint (pid, >, 1);
  start = g_get_monotonic_time ();
  g_subprocess_send_signal (d->daemon, SIGTERM);
  g_assert_cmpint (daemon_wait_exit (d), ==, 0);
  g_assert_false (test_util_pid_alive (pid));
  /* within the job's kill timeout plus a margin */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

/* SIGHUP re-reads the configuration: a new job appears and can run. */
static void
test_sighup_reloads (Daemon *d, gconstpointer data)
{
  daemon_start (d, "--no-startup-event");
  wait_stderr (d, "Loaded 0 jobs");
  g_free (conf_job (d, "late", "start on startup\n@ARG@", ""));
  g_subprocess_send_signal (d->daemon, SIGHUP);
  wait_stderr (d, "Reloading configuration");
  wait_stderr (d, "Job late added");
}

/* Invalid options are refused with exit status 2. */
static void
test_bad_options (Daemon *d, gconstpointer data)
{
  daemon_start (d, "--startup-event 'two words'");
  g_assert_cmpint (daemon_wait_exit (d), ==, 2);
  g_assert_nonnull (strstr (d->err->str, "Invalid event name"));
}

/* `console log` output goes to <logdir>/<job>.log. */
static void
test_console_log_dir (Daemon *d, gconstpointer data)
{
  g_autofree char *log = g_build_filename (d->logdir, "talker.log", NULL);
  g_autofree char *contents = NULL;

  g_free (conf_job (d, "talker", "start on startup\ntask\nexec echo @ARG@\n", "spoken"));
  daemon_start (d, "");
  g_assert_true (test_util_wait_until (file_exists, log, WAIT_MS));
  test_util_spin (100);
  contents = test_util_read_file (log);
  g_assert_cmpstr (contents, ==, "spoken\r\n");
}

/* A log directory others may write to is refused at start-up, with the reason, and nothing
 * is logged there. */
static void
test_untrusted_log_dir (Daemon *d, gconstpointer data)
{
  g_autofree char *log = g_build_filename (d->logdir, "talker.log", NULL);

  g_assert_cmpint (g_mkdir_with_parents (d->logdir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (d->logdir, 0777), ==, 0);
  g_free (conf_job (d, "talker", "start on startup\ntask\nexec echo @ARG@\n", "spoken"));
  daemon_start (d, "");
  wait_stderr (d, "writable by nobody else");
  wait_stderr (d, "talker stopped");
  g_assert_nonnull (strstr (d->err->str, "Not logging to"));
  g_assert_false (g_file_test (log, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/initd/startup-event", Daemon, NULL, daemon_setup, test_startup_event, daemon_teardown);
  g_test_add ("/initd/bad-file-reported", Daemon, NULL, daemon_setup, test_bad_file_reported, daemon_teardown);
  g_test_add ("/initd/sigterm-stops-jobs", Daemon, NULL, daemon_setup, test_sigterm_stops_jobs, daemon_teardown);
  g_test_add ("/initd/sighup-reloads", Daemon, NULL, daemon_setup, test_sighup_reloads, daemon_teardown);
  g_test_add ("/initd/bad-options", Daemon, NULL, daemon_setup, test_bad_options, daemon_teardown);
  g_test_add ("/initd/console-log-dir", Daemon, NULL, daemon_setup, test_console_log_dir, daemon_teardown);
  g_test_add ("/initd/untrusted-log-dir", Daemon, NULL, daemon_setup, test_untrusted_log_dir, daemon_teardown);
  g_test_add ("/initd/startup-event-option", Daemon, NULL, daemon_setup, test_startup_event_options, daemon_teardown);
  g_test_add ("/initd/no-startup-event", Daemon, NULL, daemon_setup, test_no_startup_event, daemon_teardown);

  return g_test_run ();
}
