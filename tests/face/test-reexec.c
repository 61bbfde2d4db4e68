/* test-reexec.c — initd re-executes itself, or is killed and started again, without losing
 * a job
 *
 * The real initd on a private session bus, real initctl, real processes.  Re-exec in the
 * middle of a running service, a task, a job blocked in `starting` and a waiting `emit`:
 * afterwards everything goes on with the same processes and the waiter gets its true answer.
 * After SIGKILL and a new start, services are adopted, never started twice, and stop.
 */
#define G_LOG_DOMAIN "test-reexec"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "test-util.h"

#define MANAGER_PATH "/org/example/Init"
#define MANAGER_IFACE "org.example.Init"

typedef struct
{
  DBusFixture *fx;
  char        *state_file;
} Fixture;

static const char *
initctl_path (void)
{
  const char *path = g_getenv ("INITCTL");

  g_assert_nonnull (path);
  return path;
}

static void
setup (Fixture *f, gconstpointer data)
{
  f->fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  f->state_file = dbus_fixture_path (f->fx, "run/state");
}

static void
teardown (Fixture *f, gconstpointer data)
{
  dbus_fixture_free (f->fx);
  g_free (f->state_file);
}

static void
start_initd (Fixture *f)
{
  const char *args[] = { "--no-startup-event", "-v", "--state-file", f->state_file, NULL };

  dbus_fixture_start_initd (f->fx, args, NULL);
}

/* initctl ARGS…; returns the exit status, *out the output. */
static int
initctl (Fixture    *f,
         char      **out,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) initctl_path ());
  g_ptr_array_add (argv, (gpointer) "--session");
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return dbus_fixture_run (f->fx, (const char *const *) argv->pdata, out, NULL);
}

static char *
status (Fixture    *f,
        const char *job)
{
  g_autofree char *out = NULL;

  initctl (f, &out, "status", job, NULL);
  return g_strdup (g_strchomp (out));
}

typedef struct
{
  Fixture    *f;
  const char *job;
  const char *prefix;
} StatusWait;

static gboolean
status_has_prefix (gpointer user_data)
{
  StatusWait *w = user_data;
  g_autofree char *now = status (w->f, w->job);

  return g_str_has_prefix (now, w->prefix);
}

static void
wait_status (Fixture    *f,
             const char *job,
             const char *prefix)
{
  StatusWait w = { f, job, prefix };

  if (!test_util_wait_until (status_has_prefix, &w, 30000))
    {
      g_autofree char *now = status (f, job);
      g_autofree char *log = dbus_fixture_get_stderr (f->fx);
      g_test_message ("initd said:\n%s", log);
      g_assert_cmpstr (now, ==, prefix);
    }
}

/* The pid in "job start/running, process N". */
static int
main_pid (Fixture    *f,
          const char *job)
{
  g_autofree char *now = status (f, job);
  char *p = strstr (now, "process ");

  if (p == NULL)
    {
      g_autofree char *log = dbus_fixture_get_stderr (f->fx);

      g_test_message ("initd said:\n%s", log);
      g_assert_cmpstr (now, ==, "(a status with a process)");
    }
  return (int) g_ascii_strtoll (p + strlen ("process "), NULL, 10);
}

/* A background initctl (e.g. a waiting emit), collected later. */
static GSubprocess *
initctl_background (Fixture    *f,
                    const char *first,
                    ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;
  va_list ap;

  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", f->fx->address, TRUE);
  g_ptr_array_add (argv, (gpointer) initctl_path ());
  g_ptr_array_add (argv, (gpointer) "--session");
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

typedef struct
{
  GSubprocess *proc;
  gboolean     done;
  char        *out;
} Background;

static void
background_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Background *bg = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &bg->out, NULL, NULL);
  bg->done = TRUE;
}

static gboolean
background_finished (gpointer user_data)
{
  return ((Background *) user_data)->done;
}

static int
background_wait (Background *bg)
{
  g_subprocess_communicate_utf8_async (bg->proc, NULL, NULL, background_done, bg);
  g_assert_true (test_util_wait_until (background_finished, bg, 60000));
  return g_subprocess_get_exit_status (bg->proc);
}

static void
reexec (Fixture *f)
{
  g_autofree char *out = NULL;
  int pid = dbus_fixture_get_initd_pid (f->fx);

  g_assert_cmpint (initctl (f, &out, "reexec", NULL), ==, 0);
  /* The same process, a new program: and it answers. */
  g_assert_cmpint (dbus_fixture_get_initd_pid (f->fx), ==, pid);
  g_assert_true (test_util_pid_alive (pid));
}

/* A job's `exec` line: a shell that waits until the test opens the gate (never a fixed
 * sleep: on a loaded machine a job "long enough to be seen running" may already be done
 * when initctl first looks), then runs @body. */
static char *
gated (Fixture    *f,
       const char *body)
{
  g_autofree char *gate = dbus_fixture_path (f->fx, "gate");

  return g_strdup_printf ("exec sh -c 'while [ ! -e %s ]; do sleep 0.1; done; %s'\n", gate,
                          body);
}

static void
open_gate (Fixture *f)
{
  g_autofree char *gate = dbus_fixture_path (f->fx, "gate");

  g_assert_true (g_file_set_contents (gate, "", 0, NULL));
}

/* Re-exec while a service runs, a task runs, a job is blocked in starting and an emit waits:
 * all of it carries on, and the waiter gets the real outcome. */
static void
test_reexec_midflight (Fixture *f, gconstpointer data)
{
  g_autofree char *done = dbus_fixture_path (f->fx, "task-done");
  g_autofree char *echo_done = g_strdup_printf ("echo done > %s", done);
  g_autofree char *task_exec = gated (f, echo_done);
  g_autofree char *task = g_strconcat ("task\n", task_exec, NULL);
  g_autofree char *holder_exec = gated (f, "true");
  g_autofree char *holder_job = g_strconcat ("start on starting blocked\ntask\n", holder_exec, NULL);
  g_autofree char *good_exec = gated (f, "exit 0");
  g_autofree char *good_job = g_strconcat ("start on go\ntask\n", good_exec, NULL);
  g_autofree char *bad_exec = gated (f, "exit 3");
  g_autofree char *bad_job = g_strconcat ("start on boom\ntask\n", bad_exec, NULL);
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;
  Background ok = { 0 }, failing = { 0 };
  int svc, holder;

  dbus_fixture_write_job (f->fx, "svc", "exec sleep 100000\n");
  dbus_fixture_write_job (f->fx, "t", task);
  dbus_fixture_write_job (f->fx, "blocked", "exec sleep 100000\n");
  dbus_fixture_write_job (f->fx, "holder", holder_job);
  dbus_fixture_write_job (f->fx, "good", good_job);
  dbus_fixture_write_job (f->fx, "bad", bad_job);
  start_initd (f);

  g_assert_cmpint (initctl (f, NULL, "start", "svc", NULL), ==, 0);
  svc = main_pid (f, "svc");
  g_assert_cmpint (initctl (f, NULL, "start", "--no-wait", "t", NULL), ==, 0);
  g_assert_cmpint (initctl (f, NULL, "start", "--no-wait", "blocked", NULL), ==, 0);
  ok.proc = initctl_background (f, "emit", "go", NULL);
  failing.proc = initctl_background (f, "emit", "boom", NULL);
  wait_status (f, "holder", "holder start/running");
  wait_status (f, "good", "good start/running");
  wait_status (f, "bad", "bad start/running");
  wait_status (f, "t", "t start/running");
  holder = main_pid (f, "holder");
  {
    g_autofree char *blocked = status (f, "blocked");
    g_assert_cmpstr (blocked, ==, "blocked start/starting");
  }

  reexec (f);

  /* The service: same process, still running; so are the gated ones. */
  g_assert_cmpint (main_pid (f, "svc"), ==, svc);
  g_assert_true (test_util_pid_alive (svc));
  g_assert_cmpint (main_pid (f, "holder"), ==, holder);
  {
    g_autofree char *blocked = status (f, "blocked");
    g_assert_cmpstr (blocked, ==, "blocked start/starting");
  }
  /* The blocked job goes on once its holder is done; the task finishes. */
  open_gate (f);
  wait_status (f, "blocked", "blocked start/running");
  wait_status (f, "t", "t stop/waiting");
  test_util_assert_file (done, "done\n");
  /* Both waiters get their true answer from the new process. */
  g_assert_cmpint (background_wait (&ok), ==, 0);
  g_assert_cmpint (background_wait (&failing), ==, 5);
  g_assert_nonnull (strstr (failing.out, "bad"));

  /* Everything is still controllable. */
  g_assert_cmpint (initctl (f, NULL, "stop", "svc", NULL), ==, 0);
  g_assert_false (test_util_pid_alive (svc));
  g_assert_cmpint (initctl (f, NULL, "stop", "blocked", NULL), ==, 0);
  log = dbus_fixture_get_stderr (f->fx);
  g_assert_nonnull (strstr (log, "Re-executed in"));
  g_free (ok.out);
  g_free (failing.out);
  g_object_unref (ok.proc);
  g_object_unref (failing.proc);
}

/* Processes that end while the daemon switches: their exit status reaches the new process
 * (whether they end just before, during or after the exec, the outcome is the same). */
static void
test_reexec_exit_during_switch (Fixture *f, gconstpointer data)
{
  Background waiters[5] = { 0 };
  char name[16];

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *body = g_strdup_printf ("sleep %g; exit %d",
                                               0.1 * i * TEST_UTIL_TIME_SCALE, 10 + i);
      g_autofree char *exec = gated (f, body);
      g_autofree char *text = g_strconcat ("task\n", exec, NULL);

      g_snprintf (name, sizeof name, "ends%d", i);
      dbus_fixture_write_job (f->fx, name, text);
    }
  start_initd (f);
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *running = NULL;

      g_snprintf (name, sizeof name, "ends%d", i);
      waiters[i].proc = initctl_background (f, "start", name, NULL);
      running = g_strdup_printf ("%s start/running", name);
      wait_status (f, name, running);
    }
  /* They end 0 to 0.4 s from now: around the exec. */
  open_gate (f);
  reexec (f);
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *want = g_strdup_printf ("status %d", 10 + i);

      g_assert_cmpint (background_wait (&waiters[i]), ==, 5);
      if (strstr (waiters[i].out, want) == NULL)
        g_test_message ("initctl said: %s", waiters[i].out);
      g_assert_nonnull (strstr (waiters[i].out, want));
      g_free (waiters[i].out);
      g_object_unref (waiters[i].proc);
    }
}

/* History survives; ids carry on; Reexec goes through twice in a row. */
static void
test_reexec_history (Fixture *f, gconstpointer data)
{
  g_autoptr(GVariant) before = NULL, after = NULL;
  g_autoptr(GVariant) records = NULL;
  guint64 last_before = 0, first_after_new = 0;
  gboolean found = FALSE;

  start_initd (f);
  g_assert_cmpint (initctl (f, NULL, "emit", "before-reexec", "X=1", NULL), ==, 0);
  before = dbus_fixture_call_ok (f->fx, MANAGER_PATH, MANAGER_IFACE, "GetHistory",
                                 g_variant_new ("(tu)", (guint64) 0, 0));
  records = g_variant_get_child_value (before, 0);
  g_assert_cmpuint (g_variant_n_children (records), >, 0);
  {
    g_autoptr(GVariant) last = g_variant_get_child_value (records,
                                                          g_variant_n_children (records) - 1);

    g_variant_get_child (last, 0, "t", &last_before);
  }

  reexec (f);
  reexec (f);
  g_assert_cmpint (initctl (f, NULL, "emit", "after-reexec", NULL), ==, 0);
  after = dbus_fixture_call_ok (f->fx, MANAGER_PATH, MANAGER_IFACE, "GetHistory",
                                g_variant_new ("(tu)", (guint64) 0, 0));
  g_clear_pointer (&records, g_variant_unref);
  records = g_variant_get_child_value (after, 0);
  for (gsize i = 0; i < g_variant_n_children (records); i++)
    {
      g_autoptr(GVariant) record = g_variant_get_child_value (records, i);
      const char *subject;
      guint64 id;

      g_variant_get (record, "(tt&s&s@a{sv})", &id, NULL, NULL, &subject, NULL);
      if (g_str_equal (subject, "before-reexec"))
        found = TRUE;
      if (g_str_equal (subject, "after-reexec") && first_after_new == 0)
        first_after_new = id;
    }
  g_assert_true (found);
  g_assert_cmpuint (first_after_new, >, last_before);
}

/* A job writing to its console log all the while: not a line lost or doubled. */
static void
test_reexec_log_lines (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  int expected;

  dbus_fixture_write_job (f->fx, "chatty",
                          "console log\nscript\n  i=0\n  while :; do echo \"line $i\"; i=$((i+1)); sleep 0.01; done\nend script\n");
  start_initd (f);
  g_assert_cmpint (initctl (f, NULL, "start", "chatty", NULL), ==, 0);
  for (int i = 0; i < 3; i++)
    {
      test_util_spin (200);
      reexec (f);
    }
  test_util_spin (200);
  g_assert_cmpint (initctl (f, NULL, "stop", "chatty", NULL), ==, 0);

  path = g_build_filename (f->fx->logdir, "chatty.log", NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  expected = test_util_assert_numbered_lines (text);
  /* ~80 lines at least over 800 ms with three re-execs in between. */
  g_assert_cmpint (expected, >, 30);
}

typedef struct
{
  guint answered;
  guint failed;
  guint expected;   /* all_answered: how many (101 if 0) */
} Calls;

static void
call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Calls *calls = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  calls->answered++;
  if (reply == NULL)
    {
      g_test_message ("call failed: %s", error->message);
      calls->failed++;
    }
}

static gboolean
all_answered (gpointer user_data)
{
  Calls *calls = user_data;

  return calls->answered == (calls->expected != 0 ? calls->expected : 101);
}

/* Calls that arrive while the daemon switches are answered by the new process, none lost. */
static void
test_reexec_calls_in_flight (Fixture *f, gconstpointer data)
{
  Calls calls = { 0 };

  dbus_fixture_write_job (f->fx, "svc", "exec sleep 100000\n");
  start_initd (f);
  g_dbus_connection_call (f->fx->connection, "org.example.Init", MANAGER_PATH, MANAGER_IFACE,
                          "Reexec", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, 60000, NULL, call_done, &calls);
  /* (dbus-daemon allows 128 pending calls per connection) */
  for (int i = 0; i < 100; i++)
    g_dbus_connection_call (f->fx->connection, "org.example.Init", MANAGER_PATH, MANAGER_IFACE,
                            "GetJobByName", g_variant_new ("(s)", "svc"), NULL,
                            G_DBUS_CALL_FLAGS_NONE, 60000, NULL, call_done, &calls);
  g_assert_true (test_util_wait_until (all_answered, &calls, 60000));
  if (calls.failed > 0)
    {
      g_autofree char *log = dbus_fixture_get_stderr (f->fx);
      g_test_message ("initd said:\n%s", log);
    }
  g_assert_cmpuint (calls.failed, ==, 0);
}

/* @data (a count) Reexec calls at the same moment share one re-exec (or two, for one that
 * arrives while the first is under way): every caller gets its answer, none waits forever. */
static void
test_reexec_concurrent (Fixture *f, gconstpointer data)
{
  Calls calls = { 0, 0, GPOINTER_TO_UINT (data) };
  int pid;

  dbus_fixture_write_job (f->fx, "svc", "exec sleep 100000\n");
  start_initd (f);
  g_assert_cmpint (initctl (f, NULL, "start", "svc", NULL), ==, 0);
  pid = dbus_fixture_get_initd_pid (f->fx);
  for (guint i = 0; i < calls.expected; i++)
    g_dbus_connection_call (f->fx->connection, "org.example.Init", MANAGER_PATH, MANAGER_IFACE,
                            "Reexec", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, 20000, NULL, call_done,
                            &calls);
  g_assert_true (test_util_wait_until (all_answered, &calls, 30000));
  g_assert_cmpuint (calls.failed, ==, 0);
  /* The same daemon, re-executed, and the service untouched. */
  g_assert_cmpint (dbus_fixture_get_initd_pid (f->fx), ==, pid);
  wait_status (f, "svc", "svc start/running");
}

/* How many live processes run @path's command line (argv[0] and argv[1])? */
static guint
count_processes (const char *arg0,
                 const char *arg1)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL, *cmdline = NULL;
      gsize length;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_strdup_printf ("/proc/%s/cmdline", name);
      if (!g_file_get_contents (path, &cmdline, &length, NULL) || length == 0)
        continue;
      if (g_str_equal (cmdline, arg0) && strlen (cmdline) + 1 < length
          && g_str_equal (cmdline + strlen (cmdline) + 1, arg1)
          && test_util_pid_alive (atoi (name)))
        n++;
    }
  return n;
}

/* initd killed outright and started again: services are adopted, not doubled, and stop;
 * a service that died meanwhile is reported failed. */
static void
test_crash_restart (Fixture *f, gconstpointer data)
{
  g_autofree char *marker = g_strdup_printf ("%d4242", (int) getpid ());
  g_autofree char *svc_text = g_strdup_printf ("exec sleep %s\n", marker);
  g_autofree char *dies_text = g_strdup_printf ("exec sleep 1%s\n", marker);
  g_autofree char *pidfile = dbus_fixture_path (f->fx, "daemon.pid");
  g_autofree char *daemon_text = NULL;
  g_autofree char *dies_arg = g_strdup_printf ("1%s", marker);
  g_autofree char *log = NULL;
  int svc, dies, daemon_pid, initd;

  daemon_text = g_strdup_printf ("expect daemon\nexec %s/fork-twice %s\n",
                                 g_getenv ("INIT_TEST_HELPERS_DIR"), pidfile);
  dbus_fixture_write_job (f->fx, "svc", svc_text);
  dbus_fixture_write_job (f->fx, "dies", dies_text);
  dbus_fixture_write_job (f->fx, "forker", daemon_text);
  start_initd (f);
  g_assert_cmpint (initctl (f, NULL, "start", "svc", NULL), ==, 0);
  g_assert_cmpint (initctl (f, NULL, "start", "dies", NULL), ==, 0);
  g_assert_cmpint (initctl (f, NULL, "start", "forker", NULL), ==, 0);
  svc = main_pid (f, "svc");
  dies = main_pid (f, "dies");
  daemon_pid = main_pid (f, "forker");
  g_assert_cmpuint (count_processes ("sleep", marker), ==, 1);
  /* The state file is current. */
  test_util_spin (100);
  g_assert_true (g_file_test (f->state_file, G_FILE_TEST_EXISTS));

  initd = dbus_fixture_get_initd_pid (f->fx);
  g_assert_cmpint (kill (initd, SIGKILL), ==, 0);
  dbus_fixture_stop_initd (f->fx);
  g_assert_true (test_util_pid_alive (svc));
  g_assert_true (test_util_pid_alive (daemon_pid));
  kill (dies, SIGKILL);

  start_initd (f);
  /* Adopted, not started again. */
  wait_status (f, "svc", "svc start/running");
  g_assert_cmpint (main_pid (f, "svc"), ==, svc);
  g_assert_cmpint (main_pid (f, "forker"), ==, daemon_pid);
  g_assert_cmpuint (count_processes ("sleep", marker), ==, 1);
  /* Died while nobody watched: failed, with the reason. */
  wait_status (f, "dies", "dies stop/waiting");
  g_assert_cmpuint (count_processes ("sleep", dies_arg), ==, 0);
  log = dbus_fixture_get_stderr (f->fx);
  g_assert_nonnull (strstr (log, "adopting its processes"));
  g_assert_nonnull (strstr (log, "ended while the daemon was not running"));
  {
    g_autoptr(GVariant) history = dbus_fixture_call_ok (f->fx, MANAGER_PATH, MANAGER_IFACE, "GetHistory",
                                                        g_variant_new ("(tu)", (guint64) 0, 0));
    g_autofree char *text = g_variant_print (history, FALSE);

    /* The history says why the job failed. */
    g_assert_nonnull (strstr (text, "'failed-reason': <'daemon restarted'>"));
  }

  /* Adopted processes stop like any other. */
  g_assert_cmpint (initctl (f, NULL, "stop", "svc", NULL), ==, 0);
  g_assert_cmpint (initctl (f, NULL, "stop", "forker", NULL), ==, 0);
  g_assert_cmpuint (count_processes ("sleep", marker), ==, 0);
  g_assert_false (test_util_pid_alive (daemon_pid));

  /* A clean exit leaves no state to adopt. */
  g_assert_cmpint (dbus_fixture_stop_initd (f->fx), ==, 0);
  g_assert_false (g_file_test (f->state_file, G_FILE_TEST_EXISTS));
}

/* After a crash a user process named "initd" sits on the dead daemon's recorded pid: the
 * restarted daemon still knows the writer is gone (nobody holds the state file's lock) and
 * adopts, instead of starting every job a second time. */
static void
test_crash_restart_impostor (Fixture *f, gconstpointer data)
{
  g_autofree char *marker = g_strdup_printf ("%d4343", (int) getpid ());
  g_autofree char *svc_text = g_strdup_printf ("exec sleep %s\n", marker);
  g_autofree char *impostor_path = dbus_fixture_path (f->fx, "initd");
  g_autofree char *sleep_path = g_find_program_in_path ("sleep");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) impostor = NULL;
  g_autoptr(GVariant) state = NULL;
  GVariantDict dict;
  gsize length;
  int svc, initd;

  dbus_fixture_write_job (f->fx, "svc", svc_text);
  start_initd (f);
  g_assert_cmpint (initctl (f, NULL, "start", "svc", NULL), ==, 0);
  svc = main_pid (f, "svc");
  test_util_spin (100);
  initd = dbus_fixture_get_initd_pid (f->fx);
  g_assert_cmpint (kill (initd, SIGKILL), ==, 0);
  dbus_fixture_stop_initd (f->fx);

  /* A copy of sleep called initd: /proc/PID/comm says "initd". */
  g_assert_true (g_file_get_contents (sleep_path, &text, &length, NULL));
  g_assert_true (g_file_set_contents (impostor_path, text, length, NULL));
  g_assert_cmpint (g_chmod (impostor_path, 0755), ==, 0);
  impostor = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, impostor_path, "1000", NULL);
  g_assert_no_error (error);
  /* The state file now names the impostor as its writer. */
  g_free (text);
  g_assert_true (g_file_get_contents (f->state_file, &text, &length, NULL));
  state = g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE_VARDICT, text, length,
                                                       FALSE, NULL, NULL));
  g_variant_dict_init (&dict, state);
  g_variant_dict_insert (&dict, "pid", "i",
                         (gint32) atoi (g_subprocess_get_identifier (impostor)));
  g_clear_pointer (&state, g_variant_unref);
  state = g_variant_ref_sink (g_variant_dict_end (&dict));
  g_assert_true (g_file_set_contents (f->state_file, g_variant_get_data (state),
                                      g_variant_get_size (state), NULL));

  start_initd (f);
  wait_status (f, "svc", "svc start/running");
  g_assert_cmpint (main_pid (f, "svc"), ==, svc);
  g_assert_cmpuint (count_processes ("sleep", marker), ==, 1);
  g_assert_cmpint (initctl (f, NULL, "stop", "svc", NULL), ==, 0);
  g_subprocess_force_exit (impostor);
  g_subprocess_wait (impostor, NULL, NULL);
}

/* The binary is gone: Reexec fails with a named error and the daemon carries on unchanged. */
static void
test_reexec_exec_fails (Fixture *f, gconstpointer data)
{
  g_autofree char *copy = dbus_fixture_path (f->fx, "initd-copy");
  g_autofree char *contents = NULL;
  g_autofree char *message = NULL;
  g_autofree char *original = g_strdup (g_getenv ("INITD"));
  gsize length;
  int svc;

  /* Run a copy of initd, then take the copy away. */
  g_assert_true (g_file_get_contents (original, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  g_assert_cmpint (g_chmod (copy, 0755), ==, 0);
  g_setenv ("INITD", copy, TRUE);
  dbus_fixture_write_job (f->fx, "svc", "exec sleep 100000\n");
  start_initd (f);
  g_setenv ("INITD", original, TRUE);
  g_assert_cmpint (initctl (f, NULL, "start", "svc", NULL), ==, 0);
  svc = main_pid (f, "svc");
  g_assert_cmpint (g_unlink (copy), ==, 0);

  message = dbus_fixture_call_fails (f->fx, MANAGER_PATH, MANAGER_IFACE, "Reexec", NULL,
                                     "org.example.Init.Error.Failed");
  g_assert_nonnull (strstr (message, "initd-copy"));
  /* Everything as before, and the daemon still answers and acts. */
  g_assert_cmpint (main_pid (f, "svc"), ==, svc);
  g_assert_cmpint (initctl (f, NULL, "stop", "svc", NULL), ==, 0);
  g_assert_false (test_util_pid_alive (svc));
  g_assert_cmpint (initctl (f, NULL, "emit", "still-alive", NULL), ==, 0);
}

/* A quiet re-exec adds no history of its own: no job seems to change. */
static void
test_reexec_history_quiet (Fixture *f, gconstpointer data)
{
  g_autoptr(GVariant) before = NULL, after = NULL;
  g_autoptr(GVariant) records_before = NULL, records_after = NULL;

  dbus_fixture_write_job (f->fx, "svc", "exec sleep 100000\n");
  start_initd (f);
  g_assert_cmpint (initctl (f, NULL, "start", "svc", NULL), ==, 0);
  before = dbus_fixture_call_ok (f->fx, MANAGER_PATH, MANAGER_IFACE, "GetHistory",
                                 g_variant_new ("(tu)", (guint64) 0, 0));
  reexec (f);
  after = dbus_fixture_call_ok (f->fx, MANAGER_PATH, MANAGER_IFACE, "GetHistory",
                                g_variant_new ("(tu)", (guint64) 0, 0));
  records_after = g_variant_get_child_value (after, 0);
  records_before = g_variant_get_child_value (before, 0);
  g_assert_cmpuint (g_variant_n_children (records_after), ==,
                    g_variant_n_children (records_before));
  g_assert_cmpint (initctl (f, NULL, "stop", "svc", NULL), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reexec/midflight", Fixture, NULL, setup, test_reexec_midflight, teardown);
  g_test_add ("/reexec/exit-during-switch", Fixture, NULL, setup, test_reexec_exit_during_switch, teardown);
  g_test_add ("/reexec/history", Fixture, NULL, setup, test_reexec_history, teardown);
  g_test_add ("/reexec/log-lines", Fixture, NULL, setup, test_reexec_log_lines, teardown);
  g_test_add ("/reexec/calls-in-flight", Fixture, NULL, setup, test_reexec_calls_in_flight, teardown);
  g_test_add ("/reexec/concurrent/2", Fixture, GUINT_TO_POINTER (2), setup,
              test_reexec_concurrent, teardown);
  g_test_add ("/reexec/concurrent/10", Fixture, GUINT_TO_POINTER (10), setup,
              test_reexec_concurrent, teardown);
  g_test_add ("/reexec/crash-restart", Fixture, NULL, setup, test_crash_restart, teardown);
  g_test_add ("/reexec/crash-restart-impostor", Fixture, NULL, setup, test_crash_restart_impostor, teardown);
  g_test_add ("/reexec/exec-fails", Fixture, NULL, setup, test_reexec_exec_fails, teardown);
  g_test_add ("/reexec/history-quiet", Fixture, NULL, setup, test_reexec_history_quiet, teardown);
  return g_test_run ();
}
