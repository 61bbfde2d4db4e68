/* test-expect.c — following daemons that fork (expect fork/daemon), process trees, strays
 *
 * Every case runs twice: with the kernel's proc connector, and with it disabled (forks found by
 * scanning /proc), since both must give the same answers.  The jobs run the small programs in
 * tests/helpers, which write the pids that matter to files.
 */
#define G_LOG_DOMAIN "test-expect"

#include <errno.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "engine-fixture.h"
#include "init-engine-private.h"
#include "init-proc-tracker.h"
#include "init-reaper.h"
#include "test-util.h"

static const char *
helper (const char *name)
{
  static char path[4096];
  const char *dir = g_getenv ("INIT_TEST_HELPERS_DIR");

  g_assert_nonnull (dir);
  g_snprintf (path, sizeof path, "%s/%s", dir, name);
  return path;
}

/* The pids in @path, one per line (waits for the file to hold @n lines). */
static GArray *
read_pids (Fixture    *fx,
           const char *path,
           guint       n)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *text = test_util_read_file (path);
      g_auto (GStrv) lines = NULL;

      g_array_set_size (pids, 0);
      if (text != NULL)
        {
          lines = g_strsplit (text, "\n", -1);
          for (guint i = 0; lines[i] != NULL; i++)
            if (g_ascii_isdigit (lines[i][0]))
              {
                int pid = atoi (lines[i]);
                g_array_append_val (pids, pid);
              }
        }
      if (pids->len >= n && text != NULL && g_str_has_suffix (text, "\n"))
        return pids;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      test_util_spin (10);
    }
}

typedef struct
{
  int pid;
} PidGone;

static gboolean
pid_gone (gpointer user_data)
{
  return !test_util_pid_alive (GPOINTER_TO_INT (user_data));
}

static void
assert_pid_gone (int pid)
{
  g_assert_true (test_util_wait_until (pid_gone, GINT_TO_POINTER (pid), 20000));
}

static InitInstance *
instance (Fixture    *fx,
          const char *name)
{
  InitJob *entry = init_engine_lookup (fx->engine, name);

  g_assert_nonnull (entry);
  return init_job_lookup_instance (entry, "");
}

static void
start_job (Fixture    *fx,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  InitJob *entry = init_engine_lookup (fx->engine, name);

  g_assert_nonnull (init_job_start (entry, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
stop_job (Fixture    *fx,
          const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (init_job_stop (init_engine_lookup (fx->engine, name), NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  fixture_wait_status (fx, name, "", "stop/waiting");
}

/* expect fork: ready once the main process forked; the child is the main process. */
static void
test_expect_fork (Fixture *fx, gconstpointer data)
{
  g_autofree char *pidfile = fixture_path (fx, "pid");
  g_autofree char *text = g_strdup_printf ("expect fork\nexec %s %s\n", helper ("fork-once"), pidfile);
  g_autoptr(GArray) pids = NULL;
  int pid;

  fixture_define (fx, "forker", text);
  start_job (fx, "forker");
  fixture_wait_status (fx, "forker", "", "start/running");
  pids = read_pids (fx, pidfile, 1);
  pid = g_array_index (pids, int, 0);
  g_assert_cmpint (fixture_main_pid (fx, "forker", ""), ==, pid);
  g_assert_true (test_util_pid_alive (pid));

  stop_job (fx, "forker");
  assert_pid_gone (pid);
  /* Stopping on purpose is no failure. */
  g_assert_false (fixture_saw_event (fx, "stopped JOB=forker INSTANCE= RESULT=failed"));
}

/* expect daemon: two forks (the second after setsid); the grandchild is the main process. */
static void
test_expect_daemon (Fixture *fx, gconstpointer data)
{
  g_autofree char *pidfile = fixture_path (fx, "pid");
  g_autofree char *childfile = fixture_path (fx, "child");
  g_autofree char *text = g_strdup_printf ("expect daemon\nexec %s %s %s\n", helper ("fork-twice"),
                                           pidfile, childfile);
  g_autoptr(GArray) pids = NULL, child = NULL;
  int pid;

  fixture_define (fx, "daemon", text);
  start_job (fx, "daemon");
  fixture_wait_status (fx, "daemon", "", "start/running");
  pids = read_pids (fx, pidfile, 1);
  child = read_pids (fx, childfile, 1);
  pid = g_array_index (pids, int, 0);
  g_assert_cmpint (pid, !=, g_array_index (child, int, 0));
  g_assert_cmpint (fixture_main_pid (fx, "daemon", ""), ==, pid);

  stop_job (fx, "daemon");
  assert_pid_gone (pid);
}

/* A job stays in spawned until the fork it expects happens. */
static void
test_expect_waits_for_fork (Fixture *fx, gconstpointer data)
{
  g_autofree char *text = g_strdup ("expect fork\nexec sleep 1000\n");
  int pid;

  fixture_define (fx, "never-forks", text);
  start_job (fx, "never-forks");
  fixture_wait_status (fx, "never-forks", "", "start/spawned");
  test_util_spin (300);
  g_assert_cmpstr (fixture_status (fx, "never-forks", ""), ==, "start/spawned");
  pid = fixture_main_pid (fx, "never-forks", "");
  g_assert_cmpint (pid, >, 0);
  stop_job (fx, "never-forks");
  assert_pid_gone (pid);
}

/* A forking daemon with respawn: killing the daemon starts a new one, followed again. */
static void
test_expect_daemon_respawn (Fixture *fx, gconstpointer data)
{
  g_autofree char *pidfile = fixture_path (fx, "pid");
  g_autofree char *text = g_strdup_printf ("expect daemon\nrespawn\nexec %s %s\n",
                                           helper ("fork-twice"), pidfile);
  g_autoptr(GArray) first = NULL;
  int pid, second = 0;
  gint64 deadline;

  fixture_define (fx, "respawner", text);
  start_job (fx, "respawner");
  fixture_wait_status (fx, "respawner", "", "start/running");
  first = read_pids (fx, pidfile, 1);
  pid = g_array_index (first, int, 0);
  g_assert_cmpint (fixture_main_pid (fx, "respawner", ""), ==, pid);
  g_unlink (pidfile);

  /* Not our child's exit but a daemon's death: the tracker (or the reaper, as subreaper)
   * tells the engine. */
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      test_util_spin (20);
      second = fixture_main_pid (fx, "respawner", "");
      if (second > 0 && second != pid && g_file_test (pidfile, G_FILE_TEST_EXISTS))
        {
          const char *status = fixture_status (fx, "respawner", "");
          if (g_str_equal (status, "start/running"))
            break;
        }
    }
  {
    g_autoptr(GArray) again = read_pids (fx, pidfile, 1);
    g_assert_cmpint (second, ==, g_array_index (again, int, 0));
  }
  g_assert_cmpint (second, !=, pid);
  stop_job (fx, "respawner");
  assert_pid_gone (second);
}

/* Wait until no instance is left beyond @baseline (stopped instances go once their last
 * reference is dropped, which may take a main-loop turn). */
static gboolean
instances_back_to (gpointer user_data)
{
  return init_instance_count_live () == GPOINTER_TO_UINT (user_data);
}

/* Following forks drops watches: the records of the dropped watches used to hold their
 * instance forever.  Every start of a forking job is freed again once it stopped. */
static void
test_expect_no_leaked_instances (Fixture *fx, gconstpointer data)
{
  guint baseline = init_instance_count_live ();
  g_autofree char *pidfile = fixture_path (fx, "pid");
  g_autofree char *forker = g_strdup_printf ("expect fork\nexec %s %s\n", helper ("fork-once"),
                                             pidfile);
  g_autofree char *daemon = g_strdup_printf ("expect daemon\nexec %s %s\n",
                                             helper ("fork-twice"), pidfile);

  fixture_define (fx, "forker", forker);
  fixture_define (fx, "daemon", daemon);
  for (guint round = 0; round < 5; round++)
    {
      start_job (fx, "forker");
      start_job (fx, "daemon");
      fixture_wait_status (fx, "forker", "", "start/running");
      fixture_wait_status (fx, "daemon", "", "start/running");
      stop_job (fx, "forker");
      stop_job (fx, "daemon");
    }
  g_assert_true (test_util_wait_until (instances_back_to, GUINT_TO_POINTER (baseline), 5000));
  g_assert_cmpuint (init_instance_count_live (), ==, baseline);
}

/* Stopping a job kills the strays that left its process group and session. */
static void
test_stop_kills_strays (Fixture *fx, gconstpointer data)
{
  g_autofree char *pidfile = fixture_path (fx, "pids");
  g_autofree char *text = g_strdup_printf ("exec %s %s\n", helper ("leave-strays"), pidfile);
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GArray) tree = NULL;
  int main_pid, grandchild;
  gboolean listed = FALSE;

  fixture_define (fx, "leaky", text);
  start_job (fx, "leaky");
  fixture_wait_status (fx, "leaky", "", "start/running");
  pids = read_pids (fx, pidfile, 3);
  main_pid = g_array_index (pids, int, 0);
  grandchild = g_array_index (pids, int, 2);
  g_assert_cmpint (fixture_main_pid (fx, "leaky", ""), ==, main_pid);

  /* The tree lists the main process and the escaped grandchild. */
  for (int tries = 0; tries < 200 && !listed; tries++)
    {
      g_clear_pointer (&tree, g_array_unref);
      tree = init_instance_get_process_tree (instance (fx, "leaky"));
      for (guint i = 0; i < tree->len; i++)
        if (g_array_index (tree, InitInstanceProcessInfo, i).pid == grandchild)
          listed = TRUE;
      if (!listed)
        test_util_spin (10);
    }
  g_assert_true (listed);
  g_assert_cmpint (g_array_index (tree, InitInstanceProcessInfo, 0).pid, ==, main_pid);
  g_assert_cmpint (g_array_index (tree, InitInstanceProcessInfo, 0).type, ==, INIT_PROCESS_MAIN);
  g_assert_nonnull (strstr (g_array_index (tree, InitInstanceProcessInfo, 0).cmdline, "leave-strays"));

  stop_job (fx, "leaky");
  assert_pid_gone (main_pid);
  assert_pid_gone (grandchild);
}

/* A stray that ignores the kill signal is killed at the kill timeout, and the job waits for it. */
static void
test_stray_killed_at_timeout (Fixture *fx, gconstpointer data)
{
  g_autofree char *pidfile = fixture_path (fx, "stray");
  g_autofree char *text = g_strdup_printf (
    "kill timeout 1\n"
    "script\n"
    "  setsid sh -c 'trap \"\" TERM; echo $$ > %s; while :; do sleep 0.1; done' &\n"
    "  exec sleep 1000\n"
    "end script\n", pidfile);
  g_autoptr(GArray) pids = NULL;
  int stray;

  fixture_define (fx, "stubborn", text);
  start_job (fx, "stubborn");
  fixture_wait_status (fx, "stubborn", "", "start/running");
  pids = read_pids (fx, pidfile, 1);
  stray = g_array_index (pids, int, 0);
  g_assert_true (test_util_pid_alive (stray));

  g_assert_true (init_job_stop (init_engine_lookup (fx->engine, "stubborn"), NULL, NULL, NULL, NULL));
  /* The main process dies at once; the stray holds the job in killed. */
  fixture_wait_status (fx, "stubborn", "", "stop/killed");
  test_util_spin (300);
  g_assert_cmpstr (fixture_status (fx, "stubborn", ""), ==, "stop/killed");
  g_assert_cmpint (fixture_main_pid (fx, "stubborn", ""), ==, 0);
  g_assert_true (test_util_pid_alive (stray));
  fixture_wait_status (fx, "stubborn", "", "stop/waiting");
  assert_pid_gone (stray);
}

/* A task whose script leaves a background process behind: stop cleans it up. */
static void
test_task_leftovers_killed (Fixture *fx, gconstpointer data)
{
  g_autofree char *pidfile = fixture_path (fx, "bg");
  g_autofree char *text = g_strdup_printf ("task\nscript\n  sleep 1000 &\n  echo $! > %s\nend script\n",
                                           pidfile);
  g_autoptr(GArray) pids = NULL;

  fixture_define (fx, "leaves", text);
  start_job (fx, "leaves");
  pids = read_pids (fx, pidfile, 1);
  fixture_wait_status (fx, "leaves", "", "stop/waiting");
  assert_pid_gone (g_array_index (pids, int, 0));
}

/* Threads are not processes: 100 of them barely wake the daemon (connector) and never show
 * in the tree. */
static void
test_threads_not_tracked (Fixture *fx, gconstpointer data)
{
  g_autofree char *pidfile = fixture_path (fx, "threads");
  g_autofree char *text = g_strdup_printf ("exec %s 100 %s\n", helper ("spawn-threads"), pidfile);
  InitProcTracker *tracker = init_engine_get_tracker (fx->engine);
  g_autoptr(GArray) tree = NULL;
  guint64 before;
  int pid;

  fixture_define (fx, "threads", text);
  before = init_proc_tracker_get_n_wakeups (tracker);
  start_job (fx, "threads");
  fixture_wait_status (fx, "threads", "", "start/running");
  /* Wait for "threads 100". */
  for (int tries = 0; tries < 2000; tries++)
    {
      g_autofree char *contents = test_util_read_file (pidfile);
      if (contents != NULL && strstr (contents, "threads 100") != NULL)
        break;
      test_util_spin (10);
    }
  pid = fixture_main_pid (fx, "threads", "");
  tree = init_instance_get_process_tree (instance (fx, "threads"));
  g_assert_cmpuint (tree->len, ==, 1);
  g_assert_cmpint (g_array_index (tree, InitInstanceProcessInfo, 0).pid, ==, pid);
  if (init_proc_tracker_get_mode (tracker) == INIT_PROC_TRACKING_CONNECTOR)
    {
      guint64 woken = init_proc_tracker_get_n_wakeups (tracker) - before;

      g_test_message ("%" G_GUINT64_FORMAT " wake-ups while starting a job with 100 threads", woken);
      /* Without the kernel filter each thread would be a message; other processes on the
       * machine fork too, so allow some. */
      g_assert_cmpuint (woken, <, 60);
    }
  stop_job (fx, "threads");
}

/* The daemon says which way it follows forks. */
static void
test_tracking_mode (Fixture *fx, gconstpointer data)
{
  const char *mode = init_engine_get_process_tracking (fx->engine);

  if (fixture_no_proc_connector)
    g_assert_cmpstr (mode, ==, "proc-scan");
  else
    g_assert_cmpstr (mode, ==, "proc-connector");
}

static void
count_signal (InitEngine *engine,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* The connector failing at run time: the engine says so and forks are still followed. */
static void
test_connector_fails_later (Fixture *fx, gconstpointer data)
{
  g_autofree char *pidfile = fixture_path (fx, "pid");
  g_autofree char *text = g_strdup_printf ("expect fork\nexec %s %s\n", helper ("fork-once"), pidfile);
  g_autoptr(GArray) pids = NULL;
  guint changed = 0;

  if (fixture_no_proc_connector)
    return;
  g_signal_connect (fx->engine, "process-tracking-changed", G_CALLBACK (count_signal), &changed);
  test_util_capture_start ();
  init_proc_tracker_fail_connector_for_testing (init_engine_get_tracker (fx->engine));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpstr (init_engine_get_process_tracking (fx->engine), ==, "proc-scan");
  g_assert_true (test_util_capture_contains ("*Proc connector failed*"));

  fixture_define (fx, "forker", text);
  start_job (fx, "forker");
  fixture_wait_status (fx, "forker", "", "start/running");
  pids = read_pids (fx, pidfile, 1);
  g_assert_cmpint (fixture_main_pid (fx, "forker", ""), ==, g_array_index (pids, int, 0));
  stop_job (fx, "forker");
  assert_pid_gone (g_array_index (pids, int, 0));
}

typedef void (*Case) (Fixture *fx, gconstpointer data);

static void
setup_connector (Fixture *fx, gconstpointer data)
{
  fixture_no_proc_connector = FALSE;
  fixture_setup (fx, data);
}

static void
setup_scan (Fixture *fx, gconstpointer data)
{
  fixture_no_proc_connector = TRUE;
  fixture_setup (fx, data);
}

static void
add_both (const char *name,
          Case        func)
{
  g_autofree char *a = g_strdup_printf ("/engine/expect/connector/%s", name);
  g_autofree char *b = g_strdup_printf ("/engine/expect/scan/%s", name);

  g_test_add (a, Fixture, NULL, setup_connector, func, fixture_teardown);
  g_test_add (b, Fixture, NULL, setup_scan, func, fixture_teardown);
}

int
main (int argc, char **argv)
{
  /* Before any thread exists, as initd does. */
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  g_assert_true (init_reaper_start (NULL));
  test_util_capture_install ();
  /* As initd: orphans of the jobs come back to us. */
  prctl (PR_SET_CHILD_SUBREAPER, 1);

  add_both ("tracking-mode", test_tracking_mode);
  add_both ("fork", test_expect_fork);
  add_both ("daemon", test_expect_daemon);
  add_both ("waits-for-fork", test_expect_waits_for_fork);
  add_both ("daemon-respawn", test_expect_daemon_respawn);
  add_both ("no-leaked-instances", test_expect_no_leaked_instances);
  add_both ("stop-kills-strays", test_stop_kills_strays);
  add_both ("stray-killed-at-timeout", test_stray_killed_at_timeout);
  add_both ("task-leftovers-killed", test_task_leftovers_killed);
  add_both ("threads-not-tracked", test_threads_not_tracked);
  g_test_add ("/engine/expect/connector/fails-later", Fixture, NULL, setup_connector,
              test_connector_fails_later, fixture_teardown);
  return g_test_run ();
}
