/* test-engine.c — jobs, events and processes driven in-process (reference §3, §4, §11.2) */
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "engine-fixture.h"
#include "init-env.h"
#include "init-error.h"
#include "init-reaper.h"
#include "test-util.h"

#define FIXTURE_TEST(path, func) \
  g_test_add ("/engine/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

/* D6: an abstract job runs without processes and emits all four job events. */
static void
test_abstract_job_start_stop (Fixture *fx, gconstpointer data)
{
  FixtureReply reply = { 0 };
  InitJob *entry;
  const char *status = NULL;

  fixture_define (fx, "test", "description \"abstract\"\n");
  entry = init_engine_lookup (fx->engine, "test");
  g_assert_nonnull (init_job_start (entry, NULL, fixture_reply_cb, &reply, NULL));
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);
  status = fixture_status (fx, "test", "");
  g_assert_cmpstr (status, ==, "start/running");
  g_assert_true (fixture_saw_event (fx, "starting JOB=test INSTANCE="));
  g_assert_true (fixture_saw_event (fx, "started JOB=test INSTANCE="));

  reply.done = FALSE;
  g_assert_true (init_job_stop (entry, NULL, fixture_reply_cb, &reply, NULL));
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);
  fixture_wait_status (fx, "test", "", "stop/waiting");
  g_assert_true (fixture_saw_event (fx, "stopping JOB=test INSTANCE= RESULT=ok"));
  fixture_wait_event (fx, "stopped JOB=test INSTANCE= RESULT=ok");
}

/* Example 1: a job that starts on an event is running after the emit returns. */
static void
test_start_on_event (Fixture *fx, gconstpointer data)
{
  const char *before = NULL, *after = NULL;

  fixture_define (fx, "example1", "start on surprise\n");
  before = fixture_status (fx, "example1", "");
  g_assert_cmpstr (before, ==, "stop/waiting");
  g_assert_false (fixture_emit_wait (fx, "surprise", NULL));
  after = fixture_status (fx, "example1", "");
  g_assert_cmpstr (after, ==, "start/running");
}

/* Example 2: the event's environment reaches the job's script. */
static void
test_event_env_reaches_script (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = fixture_path (fx, "weather");
  g_autofree char *text = g_strdup_printf ("start on weather\n\nscript\n    echo $KIND > %s\nend script\n", out);
  g_autofree char *contents = NULL;

  fixture_define (fx, "example2", text);
  g_assert_false (fixture_emit_wait (fx, "weather", "KIND=RAIN", NULL));
  /* a service: the emit returns once it runs, the script may still be writing */
  contents = fixture_wait_file (fx, out);
  g_assert_cmpstr (contents, ==, "RAIN\n");
}

/* Example 3: only a matching KIND starts the job. */
static void
test_match_on_env (Fixture *fx, gconstpointer data)
{
  const char *s1 = NULL, *s2 = NULL;

  fixture_define (fx, "example3", "start on weather KIND=snow\n");
  fixture_emit_wait (fx, "weather", "KIND=hail", NULL);
  s1 = fixture_status (fx, "example3", "");
  g_assert_cmpstr (s1, ==, "stop/waiting");
  fixture_emit_wait (fx, "weather", "KIND=snow", NULL);
  s2 = fixture_status (fx, "example3", "");
  g_assert_cmpstr (s2, ==, "start/running");
}

/* Example 4: `stop on weather KIND!=$KIND` compares with the value the job started with. */
static void
test_stop_on_own_env (Fixture *fx, gconstpointer data)
{
  const char *s1 = NULL, *s2 = NULL, *s3 = NULL;

  fixture_define (fx, "example4",
                  "start on weather KIND=rain or weather KIND=snow\n"
                  "stop on weather KIND!=$KIND\n");
  fixture_emit_wait (fx, "weather", "KIND=rain", "INTENSITY=heavy", NULL);
  s1 = fixture_status (fx, "example4", "");
  g_assert_cmpstr (s1, ==, "start/running");
  fixture_emit_wait (fx, "weather", "KIND=rain", "INTENSITY=light", NULL);
  s2 = fixture_status (fx, "example4", "");
  g_assert_cmpstr (s2, ==, "start/running");
  fixture_emit_wait (fx, "weather", "KIND=sun", NULL);
  s3 = fixture_status (fx, "example4", "");
  g_assert_cmpstr (s3, ==, "stop/waiting");
}

static gboolean
file_is_rain_snow (gpointer path)
{
  g_autofree char *contents = test_util_read_file (path);
  return g_strcmp0 (contents, "rain\nsnow\n") == 0;
}

/* Example 4 with a process: KIND=snow while running with KIND=rain restarts it with snow. */
static void
test_stop_on_restart_with_new_env (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = fixture_path (fx, "kind");
  g_autofree char *text = g_strdup_printf (
    "start on weather KIND=rain or weather KIND=snow\n"
    "stop on weather KIND!=$KIND\n"
    "script\n  echo $KIND >> %s\n  exec sleep 1000\nend script\n", out);
  g_autofree char *contents = NULL;
  int first_pid;

  fixture_define (fx, "example4", text);
  fixture_emit_wait (fx, "weather", "KIND=rain", NULL);
  fixture_wait_status (fx, "example4", "", "start/running");
  first_pid = fixture_main_pid (fx, "example4", "");
  g_assert_cmpint (first_pid, >, 0);
  contents = fixture_wait_file (fx, out);
  g_assert_cmpstr (contents, ==, "rain\n");
  fixture_emit_wait (fx, "weather", "KIND=snow", NULL);
  fixture_wait_status (fx, "example4", "", "start/running");
  g_assert_cmpint (fixture_main_pid (fx, "example4", ""), !=, first_pid);
  g_assert_true (test_util_wait_until (file_is_rain_snow, out, 20000));
  /* restarted through stopping, without a stopped event in between */
  g_assert_true (fixture_saw_event (fx, "stopping JOB=example4 INSTANCE= RESULT=ok"));
  g_assert_cmpint (fixture_event_index (fx, "stopped"), ==, -1);
}

/* D4: a service with all four auxiliary processes walks the whole state table. */
static void
test_service_full_lifecycle (Fixture *fx, gconstpointer data)
{
  const char *expected[] = {
    "test start/waiting", "test start/starting", "test start/pre-start", "test start/spawned",
    "test start/post-start", "test start/running", "test stop/running", "test stop/pre-stop",
    "test stop/stopping", "test stop/killed", "test stop/post-stop", "test stop/waiting",
  };
  FixtureReply reply = { 0 };
  InitJob *entry;
  guint n = 0;

  fixture_define (fx, "test",
                  "pre-start exec true\npost-start exec true\nexec sleep 1000\n"
                  "pre-stop exec true\npost-stop exec true\n");
  entry = init_engine_lookup (fx->engine, "test");
  init_job_start (entry, NULL, fixture_reply_cb, &reply, NULL);
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);
  reply.done = FALSE;
  init_job_stop (entry, NULL, fixture_reply_cb, &reply, NULL);
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);

  /* Process bookkeeping may repeat a state line; compare the distinct sequence. */
  for (guint i = 0; i < fx->states->len; i++)
    {
      const char *line = g_ptr_array_index (fx->states, i);
      if (n > 0 && g_str_equal (line, expected[n - 1]))
        continue;
      g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
      g_assert_cmpstr (line, ==, expected[n]);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
}

/* D5/§3.6: Start of a task is answered when it has finished, of a service when running. */
static void
test_task_vs_service_completion (Fixture *fx, gconstpointer data)
{
  g_autofree char *marker = fixture_path (fx, "task-ran");
  g_autofree char *text = g_strdup_printf ("task\nexec sh -c 'sleep 0.2; touch %s'\n", marker);
  FixtureReply task_reply = { 0 }, svc_reply = { 0 };
  const char *svc_status = NULL;

  fixture_define (fx, "t", text);
  fixture_define (fx, "s", "exec sleep 1000\n");
  init_job_start (init_engine_lookup (fx->engine, "t"), NULL, fixture_reply_cb, &task_reply, NULL);
  fixture_wait_reply (&task_reply);
  g_assert_no_error (task_reply.error);
  /* the reply came only after the task's process ran to completion */
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));

  init_job_start (init_engine_lookup (fx->engine, "s"), NULL, fixture_reply_cb, &svc_reply, NULL);
  fixture_wait_reply (&svc_reply);
  g_assert_no_error (svc_reply.error);
  svc_status = fixture_status (fx, "s", "");
  g_assert_cmpstr (svc_status, ==, "start/running");
}

/* F10/F3: a task that fails makes the event fail, names the job, and emits NAME/failed. */
static void
test_failed_task_fails_event (Fixture *fx, gconstpointer data)
{
  fixture_define (fx, "test", "start on go\ntask\nexec sh -c 'exit 3'\n");
  g_assert_true (fixture_emit_wait (fx, "go", "A=1", NULL));
  g_assert_true (fixture_saw_event (fx, "stopping JOB=test INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=3"));
  g_assert_true (fixture_saw_event (fx, "stopped JOB=test INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=3"));
  /* the /failed event follows with the same environment, and never /failed/failed */
  test_util_spin (50);
  g_assert_true (fixture_saw_event (fx, "go/failed A=1"));
  g_assert_cmpint (fixture_event_index (fx, "go/failed/failed"), ==, -1);
}

static void
emit_record (InitEvent *event, gpointer user_data)
{
  GPtrArray *out = user_data;
  g_ptr_array_add (out, g_strdup_printf ("%s|%s|%s", event->failed ? "failed" : "ok",
                                         event->failed_job ? event->failed_job : "",
                                         event->failed_reason ? event->failed_reason : ""));
}

static gboolean
array_nonempty (gpointer user_data)
{
  return ((GPtrArray *) user_data)->len > 0;
}

/* The engine tells an emitter which job failed and how. */
static void
test_event_failure_names_job (Fixture *fx, gconstpointer data)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  fixture_define (fx, "broken", "start on go\ntask\nexec sh -c 'exit 7'\n");
  init_engine_emit (fx->engine, "go", NULL, emit_record, out);
  g_assert_true (test_util_wait_until (array_nonempty, out, 20000));
  g_assert_cmpstr (g_ptr_array_index (out, 0), ==, "failed|broken|main process terminated with status 7");
}

/* F10: a service already running when it fails later does not fail the event that started it. */
static void
test_running_service_makes_event_succeed (Fixture *fx, gconstpointer data)
{
  fixture_define (fx, "svc", "start on go\nexec sleep 1000\n");
  g_assert_false (fixture_emit_wait (fx, "go", NULL));
  fixture_wait_status (fx, "svc", "", "start/running");
}

/* D12: a main process killed by a signal reports EXIT_SIGNAL with the signal's name. */
static void
test_killed_by_signal_env (Fixture *fx, gconstpointer data)
{
  fixture_define (fx, "test", "start on go\ntask\nexec sh -c 'kill -SEGV $$'\n");
  g_assert_true (fixture_emit_wait (fx, "go", NULL));
  g_assert_true (fixture_saw_event (fx, "stopped JOB=test INSTANCE= RESULT=failed PROCESS=main EXIT_SIGNAL=SEGV"));
  g_assert_true (test_util_capture_contains ("init-job: test main process (*) killed by SEGV signal"));
}

/* D11: exported variables follow the standard ones and cannot override JOB. */
static void
test_export_in_job_events (Fixture *fx, gconstpointer data)
{
  fixture_define (fx, "test", "start on go\nexport FOO\nexport JOB\n");
  fixture_emit_wait (fx, "go", "FOO=bar", "JOB=evil", NULL);
  g_assert_true (fixture_saw_event (fx, "starting JOB=test INSTANCE= FOO=bar"));
  g_assert_true (fixture_saw_event (fx, "started JOB=test INSTANCE= FOO=bar"));
}

/* E2: an exit status listed in `normal exit` is not a failure. */
static void
test_normal_exit (Fixture *fx, gconstpointer data)
{
  fixture_define (fx, "test", "start on go\ntask\nnormal exit 100\nexec sh -c 'exit 100'\n");
  g_assert_false (fixture_emit_wait (fx, "go", NULL));
  fixture_wait_event (fx, "stopped JOB=test INSTANCE= RESULT=ok");
}

/* E3/E4: a respawning service whose main process exits (even with 0) is started again. */
static void
test_respawn (Fixture *fx, gconstpointer data)
{
  g_autofree char *count = fixture_path (fx, "count");
  g_autofree char *text = g_strdup_printf ("respawn\nscript\n  echo x >> %s\n  sleep 0.1\nend script\n", count);
  FixtureReply reply = { 0 };
  g_autofree char *contents = NULL;

  fixture_define (fx, "test", text);
  init_job_start (init_engine_lookup (fx->engine, "test"), NULL, fixture_reply_cb, &reply, NULL);
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);
  /* Wait until it ran three times: each exit was followed by a respawn. */
  for (int i = 0; i < 200; i++)
    {
      g_free (contents);
      contents = test_util_read_file (count);
      if (contents != NULL && strlen (contents) >= 6)
        break;
      test_util_spin (50);
    }
  g_assert_nonnull (contents);
  g_assert_cmpuint (strlen (contents), >=, 6);
  g_assert_true (fixture_saw_event (fx, "stopping JOB=test INSTANCE= RESULT=ok"));
  /* a respawn cycle emits stopping but never stopped (reference §3.5) */
  g_assert_cmpint (fixture_event_index (fx, "stopped"), ==, -1);
}

/* E5: beyond the respawn limit the job stops, failed, with PROCESS=respawn. */
static void
test_respawn_limit (Fixture *fx, gconstpointer data)
{
  fixture_define (fx, "test", "respawn\nrespawn limit 3 60\nexec false\n");
  init_job_start (init_engine_lookup (fx->engine, "test"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "stop/waiting");
  fixture_wait_event (fx, "stopped JOB=test INSTANCE= RESULT=failed PROCESS=respawn");
}

/* E9: a main process that ignores the kill signal is killed with SIGKILL after kill timeout. */
static void
test_kill_escalation (Fixture *fx, gconstpointer data)
{
  g_autofree char *ready = fixture_path (fx, "ready");
  g_autofree char *text = g_strdup_printf (
    "kill timeout 1\nscript\n  trap '' TERM\n  echo ready > %s\n  while true; do sleep 0.1; done\nend script\n", ready);
  FixtureReply reply = { 0 };
  gint64 start;
  int pid;

  fixture_define (fx, "stubborn", text);
  init_job_start (init_engine_lookup (fx->engine, "stubborn"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "stubborn", "", "start/running");
  g_free (fixture_wait_file (fx, ready));
  pid = fixture_main_pid (fx, "stubborn", "");
  start = g_get_monotonic_time ();
  init_job_stop (init_engine_lookup (fx->engine, "stubborn"), NULL, fixture_reply_cb, &reply, NULL);
  test_util_spin (300);
  /* still there after TERM: it ignores it */
  g_assert_true (test_util_pid_alive (pid));
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);
  g_assert_false (test_util_pid_alive (pid));
  /* the KILL came after the timeout, not before */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
}

/* G1/G6: `instance $NAME` keeps one instance per value, stopped independently. */
static void
test_instances (Fixture *fx, gconstpointer data)
{
  InitJob *entry;
  const char *a = NULL, *b = NULL;
  g_autoptr(GPtrArray) env = init_env_new ();

  fixture_define (fx, "tty", "instance $TTY\nstart on getty\nexec sleep 1000\n");
  fixture_emit_wait (fx, "getty", "TTY=tty1", NULL);
  fixture_emit_wait (fx, "getty", "TTY=tty2", NULL);
  entry = init_engine_lookup (fx->engine, "tty");
  g_assert_cmpuint (g_hash_table_size (entry->instances), ==, 2);
  init_env_set (env, "TTY", "tty1");
  g_assert_true (init_job_stop (entry, env, NULL, NULL, NULL));
  fixture_wait_status (fx, "tty", "tty1", "stop/waiting");
  a = fixture_status (fx, "tty", "tty1");
  b = fixture_status (fx, "tty", "tty2");
  g_assert_cmpstr (a, ==, "stop/waiting");
  g_assert_cmpstr (b, ==, "start/running");
}

/* G3 + DESIGN §2.4: a failing instance expansion skips that job only. */
static void
test_instance_expansion_failure_skips_one_job (Fixture *fx, gconstpointer data)
{
  const char *s = NULL;

  fixture_define (fx, "bad", "instance $TIPPLE\nstart on go\n");
  fixture_define (fx, "good", "start on go\n");
  fixture_emit_wait (fx, "go", NULL);
  g_assert_true (test_util_capture_contains ("init-engine: Failed to obtain bad instance: Unknown parameter: TIPPLE"));
  s = fixture_status (fx, "good", "");
  g_assert_cmpstr (s, ==, "start/running");
  g_assert_cmpuint (g_hash_table_size (init_engine_lookup (fx->engine, "bad")->instances), ==, 0);
}

/* G4/G5: Start with env picks the instance; a missing variable is InvalidArgs with usage. */
static void
test_start_instance_with_env (Fixture *fx, gconstpointer data)
{
  g_autoptr(GPtrArray) env = init_env_new ();
  g_autoptr(GError) error = NULL;
  InitJob *entry;
  InitInstance *job;

  fixture_define (fx, "test", "instance $FOO\nusage \"this is usage\"\n");
  entry = init_engine_lookup (fx->engine, "test");
  g_assert_null (init_job_start (entry, NULL, NULL, NULL, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS);
  g_assert_cmpstr (error->message, ==, "Unknown parameter: FOO\nUsage: this is usage");
  init_env_set (env, "FOO", "wibble");
  init_env_set (env, "BAR", "wobble");
  job = init_job_start (entry, env, NULL, NULL, NULL);
  g_assert_nonnull (job);
  g_assert_cmpstr (job->name, ==, "wibble");
  g_assert_cmpstr (init_env_get (job->env, "BAR"), ==, "wobble");
}

/* F6: duplicate commands are refused with named errors. */
static void
test_already_started_stopped (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  InitJob *entry;

  fixture_define (fx, "test", "exec sleep 1000\n");
  entry = init_engine_lookup (fx->engine, "test");
  g_assert_false (init_job_stop (entry, NULL, NULL, NULL, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_INSTANCE);
  g_clear_error (&error);
  g_assert_nonnull (init_job_start (entry, NULL, NULL, NULL, NULL));
  g_assert_null (init_job_start (entry, NULL, NULL, NULL, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_ALREADY_STARTED);
  g_assert_cmpstr (error->message, ==, "Job is already running: test");
  g_clear_error (&error);
  g_assert_true (init_job_stop (entry, NULL, NULL, NULL, NULL));
  g_assert_false (init_job_stop (entry, NULL, NULL, NULL, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_ALREADY_STOPPED);
}

/* DESIGN §2.5: a start waiter overtaken by a stop gets Canceled, not success. */
static void
test_start_canceled_by_stop (Fixture *fx, gconstpointer data)
{
  FixtureReply start_reply = { 0 }, stop_reply = { 0 };
  InitJob *entry;

  fixture_define (fx, "slow", "pre-start exec sleep 0.5\nexec sleep 1000\n");
  entry = init_engine_lookup (fx->engine, "slow");
  init_job_start (entry, NULL, fixture_reply_cb, &start_reply, NULL);
  fixture_wait_status (fx, "slow", "", "start/pre-start");
  init_job_stop (entry, NULL, fixture_reply_cb, &stop_reply, NULL);
  g_assert_true (start_reply.done);
  g_assert_error (start_reply.error, INIT_ERROR, INIT_ERROR_CANCELED);
  fixture_wait_reply (&stop_reply);
  g_assert_no_error (stop_reply.error);
  g_clear_error (&start_reply.error);
}

/* Failed start is answered JobFailed naming the process (D8/D9). */
static void
test_start_failure_reply (Fixture *fx, gconstpointer data)
{
  FixtureReply reply = { 0 };

  fixture_define (fx, "test", "pre-start exec /no/such/binary\nexec sleep 1000\n");
  init_job_start (init_engine_lookup (fx->engine, "test"), NULL, fixture_reply_cb, &reply, NULL);
  fixture_wait_reply (&reply);
  g_assert_true (test_util_capture_contains (
                   "init-job: Failed to spawn test pre-start process: unable to execute: No such file or directory"));
  g_assert_error (reply.error, INIT_ERROR, INIT_ERROR_JOB_FAILED);
  fixture_wait_status (fx, "test", "", "stop/waiting");
  g_assert_true (fixture_saw_event (fx, "stopping JOB=test INSTANCE= RESULT=failed PROCESS=pre-start"));
  g_clear_error (&reply.error);
}

/* E10: pre-start exiting 1 fails the job; post-start exiting 1 is ignored. */
static void
test_pre_start_exit_fails_post_start_ignored (Fixture *fx, gconstpointer data)
{
  fixture_define (fx, "pre", "start on go\npre-start exec false\nexec sleep 1000\n");
  fixture_define (fx, "post", "start on go2\npost-start exec false\nexec sleep 1000\n");
  g_assert_true (fixture_emit_wait (fx, "go", NULL));
  g_assert_true (fixture_saw_event (fx, "stopped JOB=pre INSTANCE= RESULT=failed PROCESS=pre-start EXIT_STATUS=1"));
  g_assert_false (fixture_emit_wait (fx, "go2", NULL));
  fixture_wait_status (fx, "post", "", "start/running");
}

/* C1–C3: `A and B` latches A, holds the emitter of A until B, then resets. */
static void
test_and_latches_and_holds_event (Fixture *fx, gconstpointer data)
{
  InitEvent *wibble;
  const char *s = NULL;

  fixture_define (fx, "test", "start on wibble and wobble\ntask\n");
  wibble = init_engine_emit (fx->engine, "wibble", NULL, NULL, NULL);
  init_event_ref (wibble);
  test_util_spin (100);
  g_assert_cmpint (wibble->progress, ==, INIT_EVENT_HANDLING);
  g_assert_cmpuint (wibble->blockers, ==, 1);
  g_assert_cmpuint (g_hash_table_size (init_engine_lookup (fx->engine, "test")->instances), ==, 0);
  g_assert_false (fixture_emit_wait (fx, "wobble", NULL));
  test_util_spin (50);
  g_assert_cmpint (wibble->progress, ==, INIT_EVENT_FINISHED);
  init_event_unref (wibble);
  fixture_wait_event (fx, "stopped JOB=test INSTANCE= RESULT=ok");
  /* after the reset a second wobble alone starts nothing */
  g_ptr_array_set_size (fx->queued, 0);
  fixture_emit (fx, "wobble", NULL);
  test_util_spin (100);
  g_assert_cmpuint (fx->queued->len, ==, 1);   /* only wobble itself: no job events */
  s = fixture_status (fx, "test", "");
  g_assert_cmpstr (s, ==, "stop/waiting");
}

/* B9: later events win for duplicate keys while keeping the first position. */
static void
test_start_env_composition (Fixture *fx, gconstpointer data)
{
  InitInstance *job;
  g_autofree char *joined = NULL;
  GPtrArray *env;
  guint first = 0;

  fixture_define (fx, "test", "env FOO=BAR\nenv BAR=BAZ\nstart on wibble and wobble\n");
  fixture_emit (fx, "wibble", "FRODO=baggins", "BILBO=took", NULL);
  fixture_emit_wait (fx, "wobble", "FRODO=brandybuck", "TEA=MILK", NULL);
  job = init_job_lookup_instance (init_engine_lookup (fx->engine, "test"), "");
  g_assert_nonnull (job);
  env = job->env;
  /* skip the inherited global environment */
  while (first < env->len && !g_str_has_prefix (g_ptr_array_index (env, first), "FOO="))
    first++;
  g_ptr_array_add (env, NULL);
  joined = g_strjoinv (" ", (char **) env->pdata + first);
  g_ptr_array_remove_index (env, env->len - 1);
  g_assert_cmpstr (joined, ==, "FOO=BAR BAR=BAZ FRODO=brandybuck BILBO=took TEA=MILK UPSTART_EVENTS=wibble wobble");
}

/* DESIGN §2.2 (B6 decided): `start on` values may use the job's own env stanzas. */
static void
test_start_on_uses_env_stanza (Fixture *fx, gconstpointer data)
{
  const char *s = NULL;

  fixture_define (fx, "test", "env WANT=x\nstart on e V=$WANT\n");
  fixture_emit_wait (fx, "e", "V=x", NULL);
  s = fixture_status (fx, "test", "");
  g_assert_cmpstr (s, ==, "start/running");
}

/* C4: events for an already running job change nothing. */
static void
test_already_running_ignores_start_event (Fixture *fx, gconstpointer data)
{
  InitInstance *job;

  fixture_define (fx, "test", "start on go\n");
  fixture_emit_wait (fx, "go", "A=1", NULL);
  g_ptr_array_set_size (fx->events, 0);
  fixture_emit_wait (fx, "go", "A=2", NULL);
  job = init_job_lookup_instance (init_engine_lookup (fx->engine, "test"), "");
  g_assert_cmpstr (init_env_get (job->env, "A"), ==, "1");
  g_assert_cmpint (fixture_event_index (fx, "starting"), ==, -1);
}

/* C6: an event in both `start on` and `stop on` of a running job restarts it. */
static void
test_same_event_stops_then_starts (Fixture *fx, gconstpointer data)
{
  int pid;

  fixture_define (fx, "test", "start on bounce\nstop on bounce\nexec sleep 1000\n");
  fixture_emit_wait (fx, "bounce", NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  pid = fixture_main_pid (fx, "test", "");
  g_ptr_array_set_size (fx->events, 0);
  fixture_emit_wait (fx, "bounce", NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  g_assert_cmpint (fixture_main_pid (fx, "test", ""), !=, pid);
  g_assert_true (fixture_saw_event (fx, "stopping JOB=test INSTANCE= RESULT=ok"));
  g_assert_cmpint (fixture_event_index (fx, "stopped"), ==, -1);
}

/* B5 + §3.9: pre-stop sees the stop event's env and UPSTART_STOP_EVENTS over the job env. */
static void
test_stop_env_reaches_pre_stop (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = fixture_path (fx, "prestop-env");
  g_autofree char *text = g_strdup_printf (
    "env COLOUR=GOLD\nstart on go\nstop on wibble SNITCH=$COLOUR\nexec sleep 1000\n"
    "pre-stop exec sh -c 'echo \"$SNITCH $SEAKER $UPSTART_STOP_EVENTS $UPSTART_JOB\" > %s'\n", out);
  g_autofree char *contents = NULL;

  fixture_define (fx, "test", text);
  fixture_emit_wait (fx, "go", NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  fixture_emit_wait (fx, "wibble", "SNITCH=GOLD", "SEAKER=WIZARD", NULL);
  fixture_wait_status (fx, "test", "", "stop/waiting");
  contents = test_util_read_file (out);
  g_assert_cmpstr (contents, ==, "GOLD WIZARD wibble test\n");
}

/* F5: `start on starting A` holds A in starting until the dependency runs. */
static void
test_dependency_holds_starting (Fixture *fx, gconstpointer data)
{
  FixtureReply reply = { 0 };
  const char *a_state = NULL;

  fixture_define (fx, "a", "exec sleep 1000\n");
  fixture_define (fx, "dep", "start on starting a\npre-start exec sleep 0.5\nexec sleep 1000\n");
  init_job_start (init_engine_lookup (fx->engine, "a"), NULL, fixture_reply_cb, &reply, NULL);
  test_util_spin (200);
  a_state = fixture_status (fx, "a", "");
  g_assert_cmpstr (a_state, ==, "start/starting");
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);
  /* by the time a runs, dep is running */
  g_assert_cmpstr (fixture_status (fx, "dep", ""), ==, "start/running");
}

/* D13: a start during pre-stop cancels the stop; the job returns to running without `started`. */
static void
test_start_during_pre_stop (Fixture *fx, gconstpointer data)
{
  InitJob *entry;
  InitInstance *job;
  int pid;

  fixture_define (fx, "test", "exec sleep 1000\npre-stop exec sleep 0.3\n");
  entry = init_engine_lookup (fx->engine, "test");
  job = init_job_start (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  pid = fixture_main_pid (fx, "test", "");
  init_job_stop (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "stop/pre-stop");
  g_ptr_array_set_size (fx->events, 0);
  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  fixture_wait_status (fx, "test", "", "start/running");
  g_assert_cmpint (fixture_main_pid (fx, "test", ""), ==, pid);
  g_assert_cmpint (fixture_event_index (fx, "started"), ==, -1);
}

/* §3.7: Restart keeps the instance, runs stopping without stopped, new process. */
static void
test_restart (Fixture *fx, gconstpointer data)
{
  FixtureReply reply = { 0 };
  InitJob *entry;
  int pid;

  fixture_define (fx, "test", "exec sleep 1000\n");
  entry = init_engine_lookup (fx->engine, "test");
  init_job_start (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  pid = fixture_main_pid (fx, "test", "");
  g_ptr_array_set_size (fx->events, 0);
  g_assert_nonnull (init_job_restart (entry, NULL, fixture_reply_cb, &reply, NULL));
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);
  g_assert_cmpint (fixture_main_pid (fx, "test", ""), !=, pid);
  g_assert_false (test_util_pid_alive (pid));
  g_assert_true (fixture_saw_event (fx, "stopping JOB=test INSTANCE= RESULT=ok"));
  g_assert_cmpint (fixture_event_index (fx, "stopped"), ==, -1);
}

/* Reload sends the reload signal to the main process; NotRunning without one. */
static void
test_reload_signal (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = fixture_path (fx, "hup");
  g_autofree char *text = g_strdup_printf (
    "reload signal USR1\nscript\n  trap 'echo got > %s' USR1\n  while true; do sleep 0.05; done\nend script\n", out);
  g_autoptr(GError) error = NULL;
  InitInstance *job;

  fixture_define (fx, "test", text);
  job = init_job_start (init_engine_lookup (fx->engine, "test"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  test_util_spin (200);
  g_assert_true (init_instance_reload (job, &error));
  g_free (fixture_wait_file (fx, out));

  fixture_define (fx, "abstract", "");
  job = init_job_start (init_engine_lookup (fx->engine, "abstract"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "abstract", "", "start/running");
  g_assert_false (init_instance_reload (job, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_NOT_RUNNING);
}

/* J1: `console log` output lands in <logdir>/<job>.log through a pty. */
static void
test_console_log (Fixture *fx, gconstpointer data)
{
  g_autofree char *log = g_build_filename (fx->logdir, "test.log", NULL);
  g_autofree char *contents = NULL;

  fixture_define (fx, "test", "start on go\ntask\nexec echo hello world\n");
  fixture_emit_wait (fx, "go", NULL);
  contents = fixture_wait_file (fx, log);
  g_assert_cmpstr (contents, ==, "hello world\r\n");
}

/* K1: `expect stop` waits in spawned until the process stops itself, then continues it. */
static void
test_expect_stop (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = fixture_path (fx, "continued");
  g_autofree char *text = g_strdup_printf (
    "expect stop\nscript\n  sleep 0.3\n  kill -STOP $$\n  echo continued > %s\n  exec sleep 1000\nend script\n", out);

  fixture_define (fx, "test", text);
  init_job_start (init_engine_lookup (fx->engine, "test"), NULL, NULL, NULL, NULL);
  test_util_spin (100);
  g_assert_cmpstr (fixture_status (fx, "test", ""), ==, "start/spawned");
  fixture_wait_status (fx, "test", "", "start/running");
  g_free (fixture_wait_file (fx, out));
}

/* I4/I5: an edited definition waits for the running instance; a deleted job goes when stopped. */
static void
test_redefine_running_job (Fixture *fx, gconstpointer data)
{
  InitJob *entry;
  g_autoptr(GError) error = NULL;

  fixture_define (fx, "test", "description \"old\"\nexec sleep 1000\n");
  entry = init_engine_lookup (fx->engine, "test");
  init_job_start (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  fixture_define (fx, "test", "description \"new\"\nexec sleep 1000\n");
  g_assert_cmpstr (entry->klass->description, ==, "old");
  init_job_stop (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "stop/waiting");
  g_assert_cmpstr (entry->klass->description, ==, "new");

  init_job_start (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  init_engine_set_class (fx->engine, "test", NULL);
  g_assert_true (init_engine_lookup (fx->engine, "test") == entry);
  g_assert_null (init_job_start (entry, NULL, NULL, NULL, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB);
  init_job_stop (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "stop/waiting");
  g_assert_null (init_engine_lookup (fx->engine, "test"));
}

/* C5: latched `start on` state survives a redefinition. */
static void
test_redefine_keeps_latched_events (Fixture *fx, gconstpointer data)
{
  const char *s = NULL;

  fixture_define (fx, "test", "start on bar and baz\n");
  fixture_emit (fx, "bar", NULL);
  test_util_spin (50);
  fixture_define (fx, "test", "start on baz and bar\n");
  fixture_emit_wait (fx, "baz", NULL);
  s = fixture_status (fx, "test", "");
  g_assert_cmpstr (s, ==, "start/running");
}

/* Configuration from files: load, and a bad file is reported and defines nothing. */
static void
test_load_from_conf_dir (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture_write_conf (fx, "one", "start on go\n");
  fixture_write_conf (fx, "sub/two", "exec sleep 1\n");
  fixture_write_conf (fx, "bad", "start on go\nwibble\n");
  g_assert_true (init_engine_load (fx->engine, FALSE, &error));
  g_assert_true (test_util_capture_contains ("init-engine: */bad.conf:2:1: *"));
  g_assert_nonnull (init_engine_lookup (fx->engine, "one"));
  g_assert_nonnull (init_engine_lookup (fx->engine, "sub/two"));
  g_assert_null (init_engine_lookup (fx->engine, "bad"));
}

/* SIGTERM path: shutdown stops every job and reports when none is left. */
static void
test_shutdown_stops_everything (Fixture *fx, gconstpointer data)
{
  int pid;

  fixture_define (fx, "a", "respawn\nexec sleep 1000\n");
  fixture_define (fx, "b", "exec sleep 1000\n");
  init_job_start (init_engine_lookup (fx->engine, "a"), NULL, NULL, NULL, NULL);
  init_job_start (init_engine_lookup (fx->engine, "b"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "a", "", "start/running");
  fixture_wait_status (fx, "b", "", "start/running");
  pid = fixture_main_pid (fx, "a", "");
  init_engine_shutdown (fx->engine, NULL, NULL);
  fixture_wait_status (fx, "a", "", "stop/waiting");
  fixture_wait_status (fx, "b", "", "stop/waiting");
  g_assert_false (test_util_pid_alive (pid));
  g_assert_cmpuint (init_engine_get_n_instances (fx->engine), ==, 0);
}

/* Causes: a caller's start, an event's start and a respawn are each recorded on the instance,
 * and job events carry the cause of the goal change. */
static void
test_causes (Fixture *fx, gconstpointer data)
{
  g_autoptr(InitCause) caller = init_cause_new_caller (1000, 4242, "initctl start svc");
  InitEvent *event;
  InitInstance *job;

  fixture_define (fx, "svc", "exec sleep 1000\n");
  fixture_define (fx, "byevent", "start on go\n");
  init_engine_push_cause (fx->engine, caller);
  job = init_job_start (init_engine_lookup (fx->engine, "svc"), NULL, NULL, NULL, NULL);
  init_engine_pop_cause (fx->engine);
  g_assert_cmpint (job->cause->kind, ==, INIT_CAUSE_CALLER);
  g_assert_cmpuint (job->cause->uid, ==, 1000);
  g_assert_cmpuint (job->cause->pid, ==, 4242);
  g_assert_cmpstr (job->cause->command, ==, "initctl start svc");

  event = init_engine_emit (fx->engine, "go", NULL, NULL, NULL);
  init_event_ref (event);
  fixture_wait_status (fx, "byevent", "", "start/running");
  job = init_job_lookup_instance (init_engine_lookup (fx->engine, "byevent"), "");
  g_assert_cmpint (job->cause->kind, ==, INIT_CAUSE_EVENT);
  g_assert_cmpuint (job->cause->event_id, ==, event->id);
  g_assert_cmpstr (job->cause->event_name, ==, "go");
  init_event_unref (event);
}

/* A respawned instance says so in its cause. */
static void
test_respawn_cause (Fixture *fx, gconstpointer data)
{
  InitInstance *job;
  int pid;

  fixture_define (fx, "r", "respawn\nexec sleep 1000\n");
  job = init_job_start (init_engine_lookup (fx->engine, "r"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "r", "", "start/running");
  pid = fixture_main_pid (fx, "r", "");
  kill (pid, SIGKILL);
  while (fixture_main_pid (fx, "r", "") == pid || fixture_main_pid (fx, "r", "") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (job->cause->kind, ==, INIT_CAUSE_RESPAWN);
}

/* D2: stopping a running service without pre-stop goes to stopping, held by its event. */
static void
test_stop_running_holds_in_stopping (Fixture *fx, gconstpointer data)
{
  fixture_define (fx, "blocker", "start on stopping test\npre-start exec sleep 0.4\nexec sleep 1000\n");
  fixture_define (fx, "test", "exec sleep 1000\n");
  init_job_start (init_engine_lookup (fx->engine, "test"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  init_job_stop (init_engine_lookup (fx->engine, "test"), NULL, NULL, NULL, NULL);
  /* the stopping event is held by `blocker` starting, so test waits in stopping */
  test_util_spin (150);
  g_assert_cmpstr (fixture_status (fx, "test", ""), ==, "stop/stopping");
  g_assert_true (test_util_pid_alive (fixture_main_pid (fx, "test", "")));
  fixture_wait_status (fx, "test", "", "stop/waiting");
  g_assert_cmpstr (fixture_status (fx, "blocker", ""), ==, "start/running");
}

/* D3: a goal change in a busy state only takes effect when that state's process is done. */
static void
test_goal_change_waits_for_process (Fixture *fx, gconstpointer data)
{
  InitJob *entry;
  InitInstance *job;

  fixture_define (fx, "test", "pre-start exec sleep 0.4\nexec sleep 1000\n");
  entry = init_engine_lookup (fx->engine, "test");
  job = init_job_start (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "start/pre-start");
  init_job_stop (entry, NULL, NULL, NULL, NULL);
  g_assert_cmpstr (fixture_status (fx, "test", ""), ==, "stop/pre-start");
  g_assert_cmpint (job->pid[INIT_PROCESS_PRE_START], >, 0);
  fixture_wait_status (fx, "test", "", "stop/waiting");
  /* the main process never ran */
  g_assert_cmpint (fixture_event_index (fx, "started"), ==, -1);
}

/* D7: a start while in post-stop goes straight back to starting with the new env, no stopped. */
static void
test_start_from_post_stop (Fixture *fx, gconstpointer data)
{
  g_autoptr(GPtrArray) env = init_env_new ();
  InitJob *entry;
  InitInstance *job;

  fixture_define (fx, "test", "exec sleep 1000\npost-stop exec sleep 0.4\n");
  entry = init_engine_lookup (fx->engine, "test");
  init_job_start (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  init_job_stop (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "stop/post-stop");
  g_ptr_array_set_size (fx->events, 0);
  init_env_set (env, "NEW", "yes");
  job = init_job_start (entry, env, NULL, NULL, NULL);
  g_assert_nonnull (job);
  fixture_wait_status (fx, "test", "", "start/running");
  g_assert_cmpstr (init_env_get (job->env, "NEW"), ==, "yes");
  g_assert_cmpint (fixture_event_index (fx, "stopped"), ==, -1);
  g_assert_true (fixture_saw_event (fx, "starting JOB=test INSTANCE="));
}

/* D10: post-stop failing during a restart abandons the restart: stopped RESULT=failed. */
static void
test_post_stop_failure_abandons_restart (Fixture *fx, gconstpointer data)
{
  FixtureReply reply = { 0 };
  InitJob *entry;

  fixture_define (fx, "test", "exec sleep 1000\npost-stop exec false\n");
  entry = init_engine_lookup (fx->engine, "test");
  init_job_start (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  init_job_restart (entry, NULL, fixture_reply_cb, &reply, NULL);
  fixture_wait_reply (&reply);
  g_assert_error (reply.error, INIT_ERROR, INIT_ERROR_JOB_FAILED);
  fixture_wait_status (fx, "test", "", "stop/waiting");
  fixture_wait_event (fx, "stopped JOB=test INSTANCE= RESULT=failed PROCESS=post-stop EXIT_STATUS=1");
  g_clear_error (&reply.error);
}

/* E1: a service's main process exiting 0 stops it cleanly; 99 (not in normal exit) fails it. */
static void
test_service_exit_status (Fixture *fx, gconstpointer data)
{
  fixture_define (fx, "ok", "exec sh -c 'sleep 0.1'\n");
  fixture_define (fx, "bad", "normal exit 100\nexec sh -c 'sleep 0.1; exit 99'\n");
  init_job_start (init_engine_lookup (fx->engine, "ok"), NULL, NULL, NULL, NULL);
  init_job_start (init_engine_lookup (fx->engine, "bad"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "ok", "", "stop/waiting");
  fixture_wait_status (fx, "bad", "", "stop/waiting");
  fixture_wait_event (fx, "stopped JOB=ok INSTANCE= RESULT=ok");
  fixture_wait_event (fx, "stopped JOB=bad INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=99");
  g_assert_true (test_util_capture_contains ("init-job: bad main process (*) terminated with status 99"));
}

/* E6: the respawn count resets once the interval has passed, so a slow crasher keeps going. */
static void
test_respawn_window_resets (Fixture *fx, gconstpointer data)
{
  InitInstance *job;

  fixture_define (fx, "slow", "respawn\nrespawn limit 2 1\nexec sleep 0.6\n");
  job = init_job_start (init_engine_lookup (fx->engine, "slow"), NULL, NULL, NULL, NULL);
  init_instance_ref (job);
  test_util_spin (3200);
  /* 5 or so exits, never more than 2 within one second: still going */
  g_assert_cmpint (job->goal, ==, INIT_GOAL_START);
  g_assert_false (job->failed);
  g_assert_cmpint (job->respawn_count, <=, 2);
  init_instance_unref (job);
}

/* E7: main dying while post-start still runs: the job waits for post-start, then stops. */
static void
test_main_dies_during_post_start (Fixture *fx, gconstpointer data)
{
  fixture_define (fx, "test", "exec sh -c 'exit 0'\npost-start exec sleep 0.4\n");
  init_job_start (init_engine_lookup (fx->engine, "test"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "stop/post-start");
  fixture_wait_status (fx, "test", "", "stop/waiting");
  fixture_wait_event (fx, "stopped JOB=test INSTANCE= RESULT=ok");
  g_assert_cmpint (fixture_event_index (fx, "started"), ==, -1);
}

/* G2: an event for an instance that is stopping restarts it without `stopped`. */
static void
test_event_restarts_stopping_instance (Fixture *fx, gconstpointer data)
{
  g_autoptr(GPtrArray) env = init_env_new ();

  fixture_define (fx, "test", "instance $NAME\nstart on go\nexec sleep 1000\npost-stop exec sleep 0.4\n");
  fixture_emit_wait (fx, "go", "NAME=brandybuck", NULL);
  init_env_set (env, "NAME", "brandybuck");
  init_job_stop (init_engine_lookup (fx->engine, "test"), env, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "brandybuck", "stop/post-stop");
  g_ptr_array_set_size (fx->events, 0);
  fixture_emit (fx, "go", "NAME=brandybuck", NULL);
  test_util_spin (50);
  g_assert_cmpstr (fixture_status (fx, "test", "brandybuck"), ==, "start/post-stop");
  fixture_wait_status (fx, "test", "brandybuck", "start/running");
  g_assert_cmpint (fixture_event_index (fx, "stopped"), ==, -1);
}

/* J3: `console none` writes no log file. */
static void
test_console_none_no_log (Fixture *fx, gconstpointer data)
{
  g_autofree char *log = g_build_filename (fx->logdir, "quiet.log", NULL);

  fixture_define (fx, "quiet", "console none\nstart on go\ntask\nexec echo hidden\n");
  fixture_emit_wait (fx, "go", NULL);
  g_assert_false (g_file_test (log, G_FILE_TEST_EXISTS));
}

static gboolean
job_defined (gpointer user_data)
{
  gpointer *args = user_data;
  InitJob *entry = init_engine_lookup (args[0], args[1]);
  return entry != NULL && (args[2] == NULL || g_strcmp0 (entry->klass->description, args[2]) == 0);
}

static gboolean
job_gone (gpointer user_data)
{
  gpointer *args = user_data;
  return init_engine_lookup (args[0], args[1]) == NULL;
}

/* Live reload from files: create, atomic rename, edit a running job (old definition kept until
 * it stops), bad edit keeps the last good definition, delete. */
static void
test_live_reload_from_files (Fixture *fx, gconstpointer data)
{
  g_autofree char *tmp = g_build_filename (fx->confdir, ".live.conf.tmp", NULL);
  g_autofree char *dst = g_build_filename (fx->confdir, "live.conf", NULL);
  gpointer args[3] = { fx->engine, "live", NULL };
  InitJob *entry;

  g_assert_true (init_engine_load (fx->engine, TRUE, NULL));
  fixture_write_conf (fx, "live", "description \"one\"\nexec sleep 1000\n");
  args[2] = "one";
  g_assert_true (test_util_wait_until (job_defined, args, 20000));

  /* an editor's atomic save: write a temp file and rename it over */
  g_assert_true (g_file_set_contents (tmp, "description \"two\"\nexec sleep 1000\n", -1, NULL));
  g_assert_cmpint (g_rename (tmp, dst), ==, 0);
  args[2] = "two";
  g_assert_true (test_util_wait_until (job_defined, args, 20000));

  entry = init_engine_lookup (fx->engine, "live");
  init_job_start (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "live", "", "start/running");
  fixture_write_conf (fx, "live", "description \"three\"\nexec sleep 1000\n");
  test_util_spin (300);
  g_assert_cmpstr (entry->klass->description, ==, "two");     /* running: old definition */
  init_job_stop (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "live", "", "stop/waiting");
  g_assert_cmpstr (entry->klass->description, ==, "three");

  fixture_write_conf (fx, "live", "description \"four\"\nnice 99\n");
  test_util_spin (300);
  g_assert_cmpstr (entry->klass->description, ==, "three");   /* bad edit: nothing changes */
  g_assert_true (test_util_capture_contains ("init-engine: */live.conf:2:6: Illegal nice value*"));

  g_assert_cmpint (g_unlink (dst), ==, 0);
  g_assert_true (test_util_wait_until (job_gone, args, 20000));
}

/* Seed example 7: `start on starting` runs whenever any job starts, and that job waits for it;
 * `env` gives a default the event can override. */
static void
test_starting_any_job_and_env_default (Fixture *fx, gconstpointer data)
{
  g_autofree char *seen = fixture_path (fx, "seen");
  g_autofree char *mp = fixture_path (fx, "mountpoint");
  g_autofree char *watcher = g_strdup_printf (
    "start on starting\ntask\nscript\n  sleep 0.3\n  echo $JOB >> %s\nend script\n", seen);
  g_autofree char *mounted = g_strdup_printf (
    "start on mounted\nenv MOUNTPOINT=/tmp\ntask\nexec sh -c 'echo $MOUNTPOINT >> %s'\n", mp);
  g_autofree char *contents = NULL;
  FixtureReply reply = { 0 };

  fixture_define (fx, "watcher", watcher);
  fixture_define (fx, "svc", "exec sleep 1000\n");
  fixture_define (fx, "mounted", mounted);
  init_job_start (init_engine_lookup (fx->engine, "svc"), NULL, fixture_reply_cb, &reply, NULL);
  test_util_spin (100);
  g_assert_cmpstr (fixture_status (fx, "svc", ""), ==, "start/starting");
  fixture_wait_reply (&reply);
  contents = test_util_read_file (seen);
  g_assert_nonnull (strstr (contents, "svc\n"));

  fixture_emit_wait (fx, "mounted", NULL);
  fixture_emit_wait (fx, "mounted", "MOUNTPOINT=/mnt", NULL);
  g_free (contents);
  contents = test_util_read_file (mp);
  g_assert_cmpstr (contents, ==, "/tmp\n/mnt\n");
}

/* Seed example 8: exported variables tag job events; `start on starting NEED_PORTMAP=1` starts
 * portmap and holds the first job in starting until portmap runs. */
static void
test_exported_dependency (Fixture *fx, gconstpointer data)
{
  FixtureReply reply = { 0 };

  fixture_define (fx, "nfs", "env NEED_PORTMAP=1\nexport NEED_PORTMAP\nexec sleep 1000\n");
  fixture_define (fx, "portmap", "start on starting NEED_PORTMAP=1\npre-start exec sleep 0.3\nexec sleep 1000\n");
  fixture_define (fx, "dm", "env AM_A_DISPLAY_MANAGER=1\nexport AM_A_DISPLAY_MANAGER\nexec sleep 1000\n");
  fixture_define (fx, "greeter", "start on started AM_A_DISPLAY_MANAGER=1\n");
  init_job_start (init_engine_lookup (fx->engine, "nfs"), NULL, fixture_reply_cb, &reply, NULL);
  test_util_spin (100);
  g_assert_cmpstr (fixture_status (fx, "nfs", ""), ==, "start/starting");
  fixture_wait_reply (&reply);
  g_assert_cmpstr (fixture_status (fx, "portmap", ""), ==, "start/running");
  fixture_wait_event (fx, "starting JOB=nfs INSTANCE= NEED_PORTMAP=1");

  init_job_start (init_engine_lookup (fx->engine, "dm"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "greeter", "", "start/running");
}

static void
count_signal (gpointer instance, gpointer arg, gpointer user_data)
{
  (*(guint *) user_data)++;
}

typedef struct
{
  int type, pid, status;
} Exited;

static void
on_process_exited (InitEngine *engine, InitInstance *job, int type, int pid, int status, gpointer user_data)
{
  GArray *exits = user_data;
  Exited e = { type, pid, status };
  g_array_append_val (exits, e);
}

/* Deleting a running job's file flips `deleted` and says so with job-changed; every process
 * exit (not only failures) is reported with its status. */
static void
test_deleted_and_process_exits_signalled (Fixture *fx, gconstpointer data)
{
  g_autoptr(GArray) exits = g_array_new (FALSE, FALSE, sizeof (Exited));
  InitJob *entry;
  guint changed = 0;

  fixture_define (fx, "test", "pre-start exec sh -c 'exit 0'\nexec sleep 1000\n");
  g_signal_connect (fx->engine, "job-changed", G_CALLBACK (count_signal), &changed);
  g_signal_connect (fx->engine, "process-exited", G_CALLBACK (on_process_exited), exits);
  entry = init_engine_lookup (fx->engine, "test");
  init_job_start (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "start/running");
  g_assert_cmpuint (exits->len, ==, 1);
  g_assert_cmpint (g_array_index (exits, Exited, 0).type, ==, INIT_PROCESS_PRE_START);
  g_assert_cmpint (g_array_index (exits, Exited, 0).status, ==, 0);

  init_engine_set_class (fx->engine, "test", NULL);
  g_assert_true (entry->deleted);
  g_assert_cmpuint (changed, ==, 1);
  init_job_stop (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "test", "", "stop/waiting");
  g_assert_cmpuint (exits->len, ==, 2);
  g_assert_cmpint (g_array_index (exits, Exited, 1).type, ==, INIT_PROCESS_MAIN);
  g_assert_cmpint (g_array_index (exits, Exited, 1).status, ==, SIGTERM << 8);
}

static void
on_errors_changed (InitEngine *engine, guint n, gpointer user_data)
{
  g_array_append_val ((GArray *) user_data, n);
}

/* The number of bad files is signalled when it rises and when a bad file is deleted. */
static void
test_config_errors_changed (Fixture *fx, gconstpointer data)
{
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *bad = g_build_filename (fx->confdir, "bad.conf", NULL);

  g_signal_connect (fx->engine, "config-errors-changed", G_CALLBACK (on_errors_changed), counts);
  fixture_write_conf (fx, "bad", "wibble\n");
  g_assert_true (init_engine_load (fx->engine, TRUE, NULL));
  g_assert_cmpuint (counts->len, ==, 1);
  g_assert_cmpuint (g_array_index (counts, guint, 0), ==, 1);
  g_assert_cmpuint (init_engine_get_n_config_errors (fx->engine), ==, 1);
  g_assert_cmpint (g_unlink (bad), ==, 0);
  while (counts->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_array_index (counts, guint, 1), ==, 0);
}

/* Restart goes all the way down and up even with a pre-stop process (Upstart's restart read
 * pre-stop + goal start as "stop cancelled"), and with `console log` the post-stop runs to
 * completion: the previous process's terminal going away does not hang it up. */
static void
test_restart_with_pre_stop (Fixture *fx, gconstpointer data)
{
  g_autofree char *marker = fixture_path (fx, "post-stop-done");
  g_autofree char *text = g_strdup_printf (
    "exec sleep 1000\npre-stop exec sleep 0.2\npost-stop exec sh -c 'sleep 0.3; touch %s'\n",
    marker);
  int pid;
  FixtureReply reply = { 0 };
  InitJob *entry;

  fixture_define (fx, "logged", text);
  entry = init_engine_lookup (fx->engine, "logged");
  init_job_start (entry, NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "logged", "", "start/running");
  pid = fixture_main_pid (fx, "logged", "");
  init_job_restart (entry, NULL, fixture_reply_cb, &reply, NULL);
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_cmpint (fixture_main_pid (fx, "logged", ""), !=, pid);
  g_assert_false (test_util_pid_alive (pid));
  g_assert_false (test_util_capture_contains ("*post-stop process*killed by HUP*"));
}

/* A `console log` process that closes its output and keeps running is not hung up: its pty
* master stays open until the process has been reaped (closing it would SIGHUP the job). */
static void
test_console_log_no_hangup (Fixture *fx, gconstpointer data)
{
  FixtureReply reply = { 0 };

  fixture_define (fx, "quietly",
                  "pre-start script\n  echo before\n  exec >/dev/null 2>&1\n  sleep 0.5\nend script\n"
                  "exec sleep 1000\n");
  init_job_start (init_engine_lookup (fx->engine, "quietly"), NULL, fixture_reply_cb, &reply, NULL);
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);
  g_assert_cmpstr (fixture_status (fx, "quietly", ""), ==, "start/running");
  g_assert_false (test_util_capture_contains ("*killed by HUP*"));
}

int
main (int argc, char **argv)
{
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));

  FIXTURE_TEST ("job/abstract-start-stop", test_abstract_job_start_stop);
  FIXTURE_TEST ("event/start-on", test_start_on_event);
  FIXTURE_TEST ("event/env-reaches-script", test_event_env_reaches_script);
  FIXTURE_TEST ("event/match-on-env", test_match_on_env);
  FIXTURE_TEST ("event/stop-on-own-env", test_stop_on_own_env);
  FIXTURE_TEST ("event/stop-on-restart-with-new-env", test_stop_on_restart_with_new_env);
  FIXTURE_TEST ("job/service-full-lifecycle", test_service_full_lifecycle);
  FIXTURE_TEST ("job/task-vs-service-completion", test_task_vs_service_completion);
  FIXTURE_TEST ("event/failed-task-fails-event", test_failed_task_fails_event);
  FIXTURE_TEST ("event/failure-names-job", test_event_failure_names_job);
  FIXTURE_TEST ("event/running-service-succeeds", test_running_service_makes_event_succeed);
  FIXTURE_TEST ("job/killed-by-signal-env", test_killed_by_signal_env);
  FIXTURE_TEST ("job/export-in-job-events", test_export_in_job_events);
  FIXTURE_TEST ("job/normal-exit", test_normal_exit);
  FIXTURE_TEST ("job/respawn", test_respawn);
  FIXTURE_TEST ("job/respawn-limit", test_respawn_limit);
  FIXTURE_TEST ("job/kill-escalation", test_kill_escalation);
  FIXTURE_TEST ("job/instances", test_instances);
  FIXTURE_TEST ("job/instance-expansion-failure", test_instance_expansion_failure_skips_one_job);
  FIXTURE_TEST ("job/start-instance-with-env", test_start_instance_with_env);
  FIXTURE_TEST ("job/already-started-stopped", test_already_started_stopped);
  FIXTURE_TEST ("job/start-canceled-by-stop", test_start_canceled_by_stop);
  FIXTURE_TEST ("job/start-failure-reply", test_start_failure_reply);
  FIXTURE_TEST ("job/pre-start-fails-post-start-ignored", test_pre_start_exit_fails_post_start_ignored);
  FIXTURE_TEST ("event/and-latches-and-holds", test_and_latches_and_holds_event);
  FIXTURE_TEST ("event/start-env-composition", test_start_env_composition);
  FIXTURE_TEST ("event/start-on-uses-env-stanza", test_start_on_uses_env_stanza);
  FIXTURE_TEST ("event/already-running-ignored", test_already_running_ignores_start_event);
  FIXTURE_TEST ("event/same-event-stop-then-start", test_same_event_stops_then_starts);
  FIXTURE_TEST ("event/stop-env-reaches-pre-stop", test_stop_env_reaches_pre_stop);
  FIXTURE_TEST ("event/dependency-holds-starting", test_dependency_holds_starting);
  FIXTURE_TEST ("job/start-during-pre-stop", test_start_during_pre_stop);
  FIXTURE_TEST ("job/restart", test_restart);
  FIXTURE_TEST ("job/reload-signal", test_reload_signal);
  FIXTURE_TEST ("job/console-log", test_console_log);
  FIXTURE_TEST ("job/expect-stop", test_expect_stop);
  FIXTURE_TEST ("conf/redefine-running-job", test_redefine_running_job);
  FIXTURE_TEST ("conf/redefine-keeps-latched", test_redefine_keeps_latched_events);
  FIXTURE_TEST ("conf/load-from-dir", test_load_from_conf_dir);
  FIXTURE_TEST ("shutdown/stops-everything", test_shutdown_stops_everything);
  FIXTURE_TEST ("cause/caller-and-event", test_causes);
  FIXTURE_TEST ("cause/respawn", test_respawn_cause);
  FIXTURE_TEST ("job/stop-running-holds-in-stopping", test_stop_running_holds_in_stopping);
  FIXTURE_TEST ("job/goal-change-waits-for-process", test_goal_change_waits_for_process);
  FIXTURE_TEST ("job/start-from-post-stop", test_start_from_post_stop);
  FIXTURE_TEST ("job/post-stop-failure-abandons-restart", test_post_stop_failure_abandons_restart);
  FIXTURE_TEST ("job/service-exit-status", test_service_exit_status);
  FIXTURE_TEST ("job/respawn-window-resets", test_respawn_window_resets);
  FIXTURE_TEST ("job/main-dies-during-post-start", test_main_dies_during_post_start);
  FIXTURE_TEST ("event/restarts-stopping-instance", test_event_restarts_stopping_instance);
  FIXTURE_TEST ("job/console-none-no-log", test_console_none_no_log);
  FIXTURE_TEST ("conf/live-reload-from-files", test_live_reload_from_files);
  FIXTURE_TEST ("seed/starting-any-job-and-env-default", test_starting_any_job_and_env_default);
  FIXTURE_TEST ("seed/exported-dependency", test_exported_dependency);
  FIXTURE_TEST ("signals/deleted-and-process-exits", test_deleted_and_process_exits_signalled);
  FIXTURE_TEST ("signals/config-errors-changed", test_config_errors_changed);
  FIXTURE_TEST ("job/restart-with-pre-stop", test_restart_with_pre_stop);
  FIXTURE_TEST ("job/console-log-no-hangup", test_console_log_no_hangup);

  return g_test_run ();
}
