/* test-initctl-live.c — initctl over time: inside jobs, waiting, Ctrl-C, monitor
 *
 * Part of test-initctl (see test-initctl.c); the real initctl against the real initd.
 */
#include <signal.h>
#include <string.h>

#include "initctl-run.h"
#include "test-util.h"

#define WAIT_MS 10000

/* ---- inside a job ---- */

/* A job's script runs `initctl stop': no job name, no options, no bus variables: it stops the
* instance that runs it, through $INIT_DBUS_ADDRESS, without waiting (so without deadlock). */
static void
test_in_job_stop_self (void)
{
  const char *jobs[] = {
    "selfstop", "instance $N\nscript\n"
    "  unset DBUS_SESSION_BUS_ADDRESS DBUS_SYSTEM_BUS_ADDRESS\n"
    "  echo \"$UPSTART_JOB ($UPSTART_INSTANCE) $INIT_DBUS_MODE\" > @DIR@/who\n"
    "  @INITCTL@ stop\n"
    "  sleep 1000\n"
    "end script\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *who = dbus_fixture_path (fx, "who");
  g_autofree char *text = NULL;

  assert_initctl (fx, 0, NULL, "", "start", "--no-wait", "selfstop", "N=one");
  g_assert_true (run_wait_for_file (who, WAIT_MS));
  text = test_util_read_file (who);
  g_assert_cmpstr (text, ==, "selfstop (one) session\n");
  g_assert_true (run_wait_output (fx, (const char *[]) { "initctl", "list", NULL },
                                  "selfstop stop/waiting\n", WAIT_MS));
  dbus_fixture_free (fx);
}

/* `initctl restart' from inside restarts that instance; `start'/`status' of another job work
 * from a job without any option. */
static void
test_in_job_restart_and_other_jobs (void)
{
  const char *jobs[] = {
    "again", "script\n"
    "  unset DBUS_SESSION_BUS_ADDRESS DBUS_SYSTEM_BUS_ADDRESS\n"
    "  echo run >> @DIR@/runs\n"
    "  if [ $(wc -l < @DIR@/runs) -lt 2 ]; then\n"
    "    @INITCTL@ restart\n"
    "    exec sleep 1000\n"
    "  fi\n"
    "  @INITCTL@ start other > @DIR@/other 2>&1\n"
    "  exec sleep 1000\n"
    "end script\n",
    "other", "exec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *other = dbus_fixture_path (fx, "other");
  g_autofree char *runs_path = dbus_fixture_path (fx, "runs");
  g_autofree char *runs = NULL;
  g_autofree char *text = NULL;
  g_autofree char *masked = NULL;

  assert_initctl (fx, 0, NULL, "", "start", "again");
  g_assert_true (run_wait_for_file (other, WAIT_MS));
  runs = test_util_read_file (runs_path);
  g_assert_cmpstr (runs, ==, "run\nrun\n");
  text = test_util_read_file (other);
  masked = run_mask_pids (text);
  g_assert_cmpstr (masked, ==, "other start/running, process N\n");
  g_assert_true (run_wait_status (fx, "again", "again start/running, process N\n", WAIT_MS));
  dbus_fixture_free (fx);
}

/* ---- waiting ---- */

static gboolean
status_starts_with (gpointer user_data)
{
  gpointer *args = user_data;
  g_autofree char *out = NULL;

  run_initctl (args[0], &out, NULL, "status", args[1], NULL);
  return g_str_has_prefix (out, args[2]);
}

/* Ctrl-C while `start' waits: initctl exits 130 at once and the job carries on. */
static void
test_ctrl_c (void)
{
  const char *jobs[] = {
    /* (console none: initd's log ptys are not what this is about; see the report) */
    "slow", "console none\npre-start exec sleep 5\nexec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  const char *argv[] = { "initctl", "start", "slow", NULL };
  g_autoptr(GSubprocess) proc = run_spawn (fx, NULL, argv);
  gpointer args[] = { fx, "slow", "slow start/pre-start" };

  g_assert_true (test_util_wait_until (status_starts_with, args, WAIT_MS));
  g_subprocess_send_signal (proc, SIGINT);
  g_assert_cmpint (run_wait (proc, WAIT_MS), ==, 130);
  if (!run_wait_status (fx, "slow", "slow start/running, process N\n", 3 * WAIT_MS))
    {
      g_autofree char *status = NULL;
      g_autofree char *log = dbus_fixture_get_stderr (fx);

      run_initctl (fx, &status, NULL, "status", "slow", NULL);
      g_error ("the job did not carry on: %s\ninitd:\n%s", status, log);
    }
  dbus_fixture_free (fx);
}

/* A wait longer than D-Bus's default 25 s timeout still ends with the job's outcome. */
static void
test_wait_beyond_dbus_timeout (void)
{
  const char *jobs[] = {
    "very-slow", "pre-start exec sleep 27\nexec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  gint64 start = g_get_monotonic_time ();

  assert_initctl (fx, 0, "very-slow start/running, process N\n", "", "start", "very-slow");
  g_assert_cmpint (g_get_monotonic_time () - start, >, 26 * G_USEC_PER_SEC);
  dbus_fixture_free (fx);
}

/* ---- monitor ---- */

typedef struct
{
  GSubprocess      *proc;
  GDataInputStream *out;
  GString          *seen;
} Monitor;

static void
monitor_start (Monitor     *m,
               DBusFixture *fx,
               gboolean     json)
{
  const char *argv[] = { "initctl", json ? "monitor" : "events", json ? "--json" : NULL, NULL };

  m->proc = run_spawn (fx, NULL, argv);
  m->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (m->proc));
  m->seen = g_string_new (NULL);
}

typedef struct
{
  Monitor *m;
  char    *line;
  gboolean done;
} LineRead;

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LineRead *r = user_data;

  r->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                       NULL, NULL);
  r->done = TRUE;
}

static gboolean
cancel_read (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Read lines until one has @prefix; FALSE if the monitor ended or @ms passed. */
static gboolean
monitor_wait_line (Monitor    *m,
                   const char *prefix,
                   guint       ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      LineRead r = { m, NULL, FALSE };
      g_autofree char *line = NULL;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      guint timer;

      /* The read itself must end at the deadline too: a line that never comes (a probe
       * emitted before the monitor subscribed) must not block the test forever. */
      timer = g_timeout_add (MAX ((deadline - g_get_monotonic_time ()) / 1000, 1),
                             cancel_read, cancellable);
      g_data_input_stream_read_line_async (m->out, G_PRIORITY_DEFAULT, cancellable, on_line, &r);
      while (!r.done)
        g_main_context_iteration (NULL, TRUE);
      if (!g_cancellable_is_cancelled (cancellable))
        g_source_remove (timer);
      line = r.line;
      if (line == NULL)
        return FALSE;
      g_string_append_printf (m->seen, "%s\n", line);
      if (g_str_has_prefix (line, prefix))
        return TRUE;
    }
  return FALSE;
}

static void
monitor_stop (Monitor *m)
{
  g_subprocess_send_signal (m->proc, SIGINT);
  g_assert_cmpint (run_wait (m->proc, WAIT_MS), ==, 0);
  g_clear_object (&m->out);
  g_clear_object (&m->proc);
  g_string_free (m->seen, TRUE);
}

/* Emit probes until the monitor shows one: then it is subscribed. */
static void
monitor_sync (Monitor     *m,
              DBusFixture *fx,
              gboolean     json)
{
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("probe-%u", i);
      g_autofree char *prefix = json ? g_strdup ("{\"type\":\"event-emitted\"")
                                     : g_strdup ("event-emitted ");

      assert_initctl (fx, 0, "", "", "emit", name);
      if (monitor_wait_line (m, prefix, 200) && strstr (m->seen->str, "probe-") != NULL)
        return;
    }
  g_error ("monitor never showed a probe event: %s", m->seen->str);
}

/* monitor shows an emit made by another process, and the job transitions it causes, one line
 * each; it ends with status 0 on Ctrl-C. */
static void
test_monitor_text (void)
{
  const char *jobs[] = { "watched", "start on ping\ntask\nexec true\n", NULL };
  DBusFixture *fx = run_fixture_new (jobs);
  Monitor m;
  g_autoptr(GRegex) emitted = g_regex_new ("^event-emitted [0-9]+ ping KIND=a b$",
                                           G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GRegex) finished = g_regex_new ("^event-finished [0-9]+ ping$", G_REGEX_MULTILINE,
                                            0, NULL);

  monitor_start (&m, fx, FALSE);
  monitor_sync (&m, fx, FALSE);
  assert_initctl (fx, 0, "", "", "emit", "ping", "KIND=a b");
  g_assert_true (monitor_wait_line (&m, "event-finished", WAIT_MS));
  while (!g_regex_match (finished, m.seen->str, 0, NULL))
    g_assert_true (monitor_wait_line (&m, "event-finished", WAIT_MS));
  g_assert_true (g_regex_match (emitted, m.seen->str, 0, NULL));
  if (strstr (m.seen->str, "\njob-state watched stop/waiting\n") == NULL)
    g_assert_true (monitor_wait_line (&m, "job-state watched stop/waiting", WAIT_MS));
  g_assert_nonnull (strstr (m.seen->str, "\njob-state watched start/starting\n"));
  g_assert_nonnull (strstr (m.seen->str, " started JOB=watched INSTANCE=\n"));

  /* Every state it passed through, in order, with its process where it has one. */
  {
    const char *states[] = {
      "job-state watched start/starting\n", "job-state watched start/pre-start\n",
      /* spawned: the main process may or may not be known yet when the line is printed */
      "job-state watched start/spawned", "job-state watched start/post-start, process ",
      "job-state watched start/running, process ", "job-state watched stop/stopping",
      "job-state watched stop/killed", "job-state watched stop/post-stop\n",
      "job-state watched stop/waiting\n", NULL
    };
    const char *at = m.seen->str;

    for (guint i = 0; states[i] != NULL; i++)
      {
        at = strstr (at, states[i]);
        if (at == NULL)
          g_error ("monitor: no `%s' (in order) in:\n%s", states[i], m.seen->str);
      }
  }

  run_write_job (fx, "newcomer", "\n");
  g_assert_true (monitor_wait_line (&m, "job-added newcomer", WAIT_MS));
  run_write_job (fx, "newcomer", "start on ping\n");
  g_assert_true (monitor_wait_line (&m, "job-changed newcomer", WAIT_MS));
  run_write_job (fx, "broken", "start on (\n");
  {
    g_autofree char *prefix = g_strdup_printf ("config-error %s/broken.conf: ", fx->confdir);

    g_assert_true (monitor_wait_line (&m, prefix, WAIT_MS));
    g_assert_true (g_str_has_suffix (m.seen->str, "Expected event\n"));
  }
  monitor_stop (&m);
  dbus_fixture_free (fx);
}

/* monitor --json: one JSON object per line, every line parses, the emit is there. */
static void
test_monitor_json (void)
{
  const char *jobs[] = { "failing", "start on ping\ntask\nexec false\n", NULL };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *summary = NULL;
  Monitor m;

  monitor_start (&m, fx, TRUE);
  monitor_sync (&m, fx, TRUE);
  g_string_truncate (m.seen, 0);
  assert_initctl (fx, 5, "", NULL, "emit", "ping");
  while (strstr (m.seen->str, "\"name\":\"ping\",\"failed\"") == NULL)
    g_assert_true (monitor_wait_line (&m, "{\"type\":\"event-finished\"", WAIT_MS));
  summary = run_python ("import json, sys\n"
                        "for line in sys.stdin:\n"
                        "    o = json.loads(line)\n"
                        "    if o['type'] == 'event-finished' and o['name'] == 'ping':\n"
                        "        print(o['failed'], o['failed_job'], o['reason'])\n"
                        "    if (o['type'] == 'job-state' and o['state'] == 'running'\n"
                        "            and o['goal'] == 'start'):\n"
                        "        print(o['job'], o['goal'], o['state'], o['from_state'],\n"
                        "              [p['name'] for p in o['processes']])\n",
                        m.seen->str);
  g_assert_cmpstr (summary, ==, "failing start running post-start ['main']\n"
                   "True failing main process terminated with status 1\n");
  monitor_stop (&m);
  dbus_fixture_free (fx);
}

void
test_initctl_live_register (void)
{
  g_test_add_func ("/initctl/in-job/stop-self", test_in_job_stop_self);
  g_test_add_func ("/initctl/in-job/restart-and-other-jobs", test_in_job_restart_and_other_jobs);
  g_test_add_func ("/initctl/wait/ctrl-c", test_ctrl_c);
  g_test_add_func ("/initctl/wait/beyond-dbus-timeout", test_wait_beyond_dbus_timeout);
  g_test_add_func ("/initctl/monitor/text", test_monitor_text);
  g_test_add_func ("/initctl/monitor/json", test_monitor_json);
}
