/* test-instance-transitions.c — the instance state machine against a fake host
 *
 * One case per (state, event) pair that exists (reference §3.2, §3.3), in the manner of
 * Upstart's init/tests/test_job.c: an instance is created with a host that records what the
 * instance asks of it (job events, changes, the end), and the test drives it with the events
 * the real engine would deliver — a goal change, its own starting/stopping event finishing, a
 * process ending.  Classes without processes walk through the process states without
 * spawning anything; only the cases about a process's end run one (`true`, `false`, `sleep`).
 */
#include <glib.h>
#include <signal.h>
#include <string.h>

#include "init-error.h"
#include "init-instance-private.h"
#include "init-proc-tracker.h"
#include "init-reaper.h"
#include "test-util.h"

#define TIMEOUT_MS 10000

typedef struct
{
  InitEventQueue   *queue;
  GPtrArray        *emitted;        /* "name" of every job event, in order */
  GPtrArray        *held;           /* job events not let finish yet (we hold a block) */
  guint             n_changed;
  guint             n_finished;
  GArray           *exits;          /* InitProcessType of every process-exited report */
  gboolean          respawn_off;
  int               polling;        /* want_polling(TRUE) minus want_polling(FALSE) */
  InitCause        *current_cause;  /* what get_current_cause() answers, or NULL */
  InitEngineOptions options;
  InitProcTracker  *tracker;
  InitInstance     *job;
  GPtrArray        *replies;        /* "ok" or the error message of each waiter answered */
} Host;

/* ---- the fake host ---- */

static void
ignore_event (InitEventQueue *queue,
              InitEvent      *event,
              gpointer        user_data)
{
}

static InitEvent *
host_emit_job_event (gpointer         data,
                     const char      *name,
                     GPtrArray       *env,
                     const InitCause *cause)
{
  Host *host = data;

  InitEvent *event = init_event_queue_emit (host->queue, name, env, cause);

  /* Held until the test lets it finish (step()), as jobs the event starts would. */
  g_ptr_array_add (host->emitted, g_strdup (name));
  init_event_block (event);
  g_ptr_array_add (host->held, init_event_ref (event));
  return event;
}

static void
host_instance_changed (gpointer      data,
                       InitInstance *job)
{
  ((Host *) data)->n_changed++;
}

static void
host_instance_finished (gpointer      data,
                        InitInstance *job)
{
  ((Host *) data)->n_finished++;
  init_instance_detach (job);
}

static void
host_process_exited (gpointer        data,
                     InitInstance   *job,
                     InitProcessType type,
                     pid_t           pid,
                     int             status)
{
  g_array_append_val (((Host *) data)->exits, type);
}

static const InitCause *
host_get_current_cause (gpointer data)
{
  return ((Host *) data)->current_cause;
}

static gboolean
host_respawn_disabled (gpointer data)
{
  return ((Host *) data)->respawn_off;
}

static void
host_want_polling (gpointer data,
                   gboolean waiting)
{
  Host *host = data;

  host->polling += waiting ? 1 : -1;
  init_proc_tracker_set_polling (host->tracker, host->polling > 0);
}

static const InitEngineOptions *
host_get_options (gpointer data)
{
  return &((Host *) data)->options;
}

static InitProcTracker *
host_get_tracker (gpointer data)
{
  return ((Host *) data)->tracker;
}

static const InitInstanceHost fake_host = {
  .emit_job_event = host_emit_job_event,
  .instance_changed = host_instance_changed,
  .instance_finished = host_instance_finished,
  .process_exited = host_process_exited,
  .get_current_cause = host_get_current_cause,
  .respawn_disabled = host_respawn_disabled,
  .want_polling = host_want_polling,
  .get_options = host_get_options,
  .get_tracker = host_get_tracker,
};

static void
host_setup (Host         *host,
            gconstpointer data)
{
  host->queue = init_event_queue_new (ignore_event, host);
  host->emitted = g_ptr_array_new_with_free_func (g_free);
  host->held = g_ptr_array_new_with_free_func ((GDestroyNotify) init_event_unref);
  host->exits = g_array_new (FALSE, FALSE, sizeof (InitProcessType));
  host->replies = g_ptr_array_new_with_free_func (g_free);
  host->options.user_mode = TRUE;
  host->options.no_proc_connector = TRUE;
  host->tracker = init_proc_tracker_new (FALSE, NULL, NULL, NULL);
}

static void
host_teardown (Host         *host,
               gconstpointer data)
{
  if (host->job != NULL)
    {
      if (host->job->pid[INIT_PROCESS_MAIN] > 0)
        kill (host->job->pid[INIT_PROCESS_MAIN], SIGKILL);
      init_instance_detach (host->job);
      init_instance_unref (host->job);
    }
  for (guint i = 0; i < host->held->len; i++)
    init_event_unblock (g_ptr_array_index (host->held, i));
  g_ptr_array_unref (host->held);
  init_event_queue_free (host->queue);
  g_ptr_array_unref (host->emitted);
  g_array_unref (host->exits);
  g_ptr_array_unref (host->replies);
  g_clear_pointer (&host->current_cause, init_cause_free);
  init_proc_tracker_free (host->tracker);
}

/* ---- helpers ---- */

/* A job class; each non-NULL of @pre_start, @main, @pre_stop, @post_stop is an `exec`. */
static InitJobClass *
make_class (const char *pre_start,
            const char *main,
            const char *pre_stop,
            const char *post_stop)
{
  InitJobClass *klass = init_job_class_new ("svc");

  klass->process[INIT_PROCESS_PRE_START].command = g_strdup (pre_start);
  klass->process[INIT_PROCESS_MAIN].command = g_strdup (main);
  klass->process[INIT_PROCESS_PRE_STOP].command = g_strdup (pre_stop);
  klass->process[INIT_PROCESS_POST_STOP].command = g_strdup (post_stop);
  return klass;
}

static InitInstance *
host_new_instance (Host         *host,
                   InitJobClass *klass)
{
  g_autoptr(InitJobClass) owned = klass;

  host->job = init_instance_new (&fake_host, host, NULL, owned, "");
  return host->job;
}

/* @strings joined by @separator. */
static char *
joined (GPtrArray  *strings,
        const char *separator)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? separator : "",
                            (const char *) g_ptr_array_index (strings, i));
  return g_string_free (text, FALSE);
}

/* The job events emitted so far, space separated. */
static void
assert_emitted (Host       *host,
                const char *expected)
{
  g_autofree char *text = joined (host->emitted, " ");

  g_assert_cmpstr (text, ==, expected);
}

/* The answers waiters got so far ("ok" or the error message), separated by " | ". */
static void
assert_replies (Host       *host,
                const char *expected)
{
  g_autofree char *text = joined (host->replies, " | ");

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_at (InitInstance *job,
           InitGoal      goal,
           InitState     state)
{
  g_assert_cmpstr (init_goal_to_string (job->goal), ==, init_goal_to_string (goal));
  g_assert_cmpstr (init_state_to_string (job->state), ==, init_state_to_string (state));
}

/* Let the job events emitted so far finish (those they lead to are held for the next step). */
static void
step (Host *host)
{
  g_autoptr(GPtrArray) held = g_steal_pointer (&host->held);

  host->held = g_ptr_array_new_with_free_func ((GDestroyNotify) init_event_unref);
  for (guint i = 0; i < held->len; i++)
    init_event_unblock (g_ptr_array_index (held, i));
  init_event_queue_poll (host->queue);
}

static void
record_reply (InitInstance *job,
              const GError *error,
              gpointer      user_data)
{
  Host *host = user_data;

  g_ptr_array_add (host->replies, g_strdup (error != NULL ? error->message : "ok"));
}

typedef struct
{
  InitInstance *job;
  InitState     state;
} StateWait;

static gboolean
state_reached (gpointer data)
{
  StateWait *wait = data;

  return wait->job->state == wait->state;
}

/* Run the main loop (the reaper delivers process ends) until @job is in @state. */
static void
wait_state (Host     *host,
            InitState state)
{
  StateWait wait = { host->job, state };

  g_assert_true (test_util_wait_until (state_reached, &wait, TIMEOUT_MS));
}

/* An abstract job (no process) started and running. */
static InitInstance *
running_abstract (Host *host)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, NULL, NULL, NULL));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_RUNNING);
  g_ptr_array_set_size (host->emitted, 0);
  return job;
}

/* ---- waiting ---- */

/* waiting + start: starting, `starting` emitted and held until it finishes. */
static void
test_waiting_start (Host         *host,
                    gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, NULL, NULL, NULL));
  guint changed = host->n_changed;

  assert_at (job, INIT_GOAL_STOP, INIT_STATE_WAITING);
  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  assert_at (job, INIT_GOAL_START, INIT_STATE_STARTING);
  assert_emitted (host, "starting");
  g_assert_nonnull (job->blocker);
  g_assert_cmpuint (host->n_changed, >, changed);
}

/* waiting + stop: refused (AlreadyStopped), nothing emitted, nothing changes. */
static void
test_waiting_stop (Host         *host,
                   gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, NULL, NULL, NULL));
  g_autoptr(GError) error = NULL;

  g_assert_false (init_instance_stop (job, NULL, NULL, NULL, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_ALREADY_STOPPED);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_WAITING);
  assert_emitted (host, "");
  g_assert_cmpuint (host->n_changed, ==, 0);
}

/* ---- starting ---- */

/* starting + its event finishes, no processes: pre-start, spawned and post-start pass
 * through to running, `started` emitted, the start caller answered. */
static void
test_starting_event_finished (Host         *host,
                              gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, NULL, NULL, NULL));

  g_assert_true (init_instance_start (job, record_reply, host, NULL));
  assert_replies (host, "");
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_RUNNING);
  assert_emitted (host, "starting started");
  assert_replies (host, "ok");
}

/* starting + stop: stays in starting until its event finishes, then stopping; the start
 * caller is told its start was canceled. */
static void
test_starting_stop (Host         *host,
                    gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, NULL, NULL, NULL));

  g_assert_true (init_instance_start (job, record_reply, host, NULL));
  g_assert_true (init_instance_stop (job, NULL, NULL, NULL, NULL));
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_STARTING);
  g_assert_cmpuint (host->replies->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (host->replies, 0), "canceled"));

  step (host);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_STOPPING);
  assert_emitted (host, "starting stopping");
}

/* ---- pre-start ---- */

/* pre-start + its process exits 0: spawned (and on to running without a main process). */
static void
test_pre_start_exit_ok (Host         *host,
                        gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class ("true", NULL, NULL, NULL));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_PRE_START);
  g_assert_cmpint (job->pid[INIT_PROCESS_PRE_START], >, 0);
  wait_state (host, INIT_STATE_RUNNING);
  g_assert_cmpuint (host->exits->len, ==, 1);
  g_assert_cmpint (g_array_index (host->exits, InitProcessType, 0), ==, INIT_PROCESS_PRE_START);
  g_assert_false (job->failed);
}

/* pre-start + its process fails: the job failed (pre-start, status 1), goal stop, down. */
static void
test_pre_start_exit_failed (Host         *host,
                            gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class ("false", NULL, NULL, NULL));

  g_assert_true (init_instance_start (job, record_reply, host, NULL));
  step (host);
  wait_state (host, INIT_STATE_STOPPING);
  g_assert_true (job->failed);
  g_assert_cmpint (job->failed_process, ==, INIT_PROCESS_PRE_START);
  g_assert_cmpint (job->exit_status, ==, 1);
  g_assert_cmpint (job->goal, ==, INIT_GOAL_STOP);
  g_assert_cmpuint (host->replies->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (host->replies, 0), "pre-start"));
}

/* pre-start + spawning fails: failed with exit status -1, straight to stopping. */
static void
test_pre_start_spawn_failed (Host         *host,
                             gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class ("/nonexistent/pre-start", NULL,
                                                           NULL, NULL));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_STOPPING);
  g_assert_true (job->failed);
  g_assert_cmpint (job->exit_status, ==, -1);
  assert_emitted (host, "starting stopping");
}

/* ---- spawned ---- */

/* spawned + the main process started (no expect): post-start and running, with its pid. */
static void
test_spawned_main_started (Host         *host,
                           gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, "sleep 100", NULL, NULL));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_RUNNING);
  g_assert_cmpint (job->pid[INIT_PROCESS_MAIN], >, 0);
  assert_emitted (host, "starting started");
}

/* spawned + the main process cannot be spawned: failed (main, -1), stopping. */
static void
test_spawned_spawn_failed (Host         *host,
                           gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, "/nonexistent/main", NULL,
                                                           NULL));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_STOPPING);
  g_assert_cmpint (job->failed_process, ==, INIT_PROCESS_MAIN);
  g_assert_cmpint (job->exit_status, ==, -1);
}

/* spawned waiting for a fork (expect fork) + stop: the wait is given up (polling too), and
 * the job goes down instead of staying in spawned. */
static void
test_spawned_expect_stop (Host         *host,
                          gconstpointer data)
{
  InitJobClass *klass = make_class (NULL, "sleep 100", NULL, NULL);
  InitInstance *job;

  klass->expect = INIT_EXPECT_FORK;
  job = host_new_instance (host, klass);
  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_SPAWNED);
  g_assert_true (job->expecting);
  g_assert_cmpint (host->polling, ==, 1);

  g_assert_true (init_instance_stop (job, NULL, NULL, NULL, NULL));
  g_assert_false (job->expecting);
  g_assert_cmpint (host->polling, ==, 0);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_STOPPING);
}

/* ---- running ---- */

/* running + stop with no main process: pre-stop is skipped, stopping. */
static void
test_running_stop_no_main (Host         *host,
                           gconstpointer data)
{
  InitInstance *job = running_abstract (host);

  g_assert_true (init_instance_stop (job, NULL, NULL, NULL, NULL));
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_STOPPING);
  assert_emitted (host, "stopping");
}

/* running + stop with a live main process and a pre-stop: pre-stop runs first. */
static void
test_running_stop_pre_stop (Host         *host,
                            gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, "sleep 100", "sleep 100",
                                                           NULL));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  g_assert_true (init_instance_stop (job, NULL, NULL, NULL, NULL));
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_PRE_STOP);
  g_assert_cmpint (job->pid[INIT_PROCESS_PRE_STOP], >, 0);
  /* pre-stop + its process ends: stopping. */
  kill (job->pid[INIT_PROCESS_PRE_STOP], SIGKILL);
  wait_state (host, INIT_STATE_STOPPING);
  assert_emitted (host, "starting started stopping");
}

/* running + start: refused (AlreadyStarted). */
static void
test_running_start (Host         *host,
                    gconstpointer data)
{
  InitInstance *job = running_abstract (host);
  g_autoptr(GError) error = NULL;

  g_assert_false (init_instance_start (job, NULL, NULL, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_ALREADY_STARTED);
  assert_at (job, INIT_GOAL_START, INIT_STATE_RUNNING);
}

/* running + the main process dies (respawn): stopping with goal start, and back up. */
static void
test_running_main_died_respawn (Host         *host,
                                gconstpointer data)
{
  InitJobClass *klass = make_class (NULL, "sleep 100", NULL, NULL);
  InitInstance *job;
  pid_t first;

  klass->respawn = TRUE;
  job = host_new_instance (host, klass);
  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  first = job->pid[INIT_PROCESS_MAIN];
  kill (first, SIGKILL);
  wait_state (host, INIT_STATE_STOPPING);
  g_assert_cmpint (job->goal, ==, INIT_GOAL_START);
  step (host);
  /* killed: the tracker confirms nothing of the old process is left, then starting. */
  wait_state (host, INIT_STATE_STARTING);
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_RUNNING);
  g_assert_cmpint (job->pid[INIT_PROCESS_MAIN], >, 0);
  g_assert_cmpint (job->pid[INIT_PROCESS_MAIN], !=, first);
  g_assert_false (job->failed);
}

/* running + the main process dies while the host disables respawning: the job fails and
 * stops instead. */
static void
test_running_main_died_respawn_disabled (Host         *host,
                                         gconstpointer data)
{
  InitJobClass *klass = make_class (NULL, "sleep 100", NULL, NULL);
  InitInstance *job;

  klass->respawn = TRUE;
  job = host_new_instance (host, klass);
  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  host->respawn_off = TRUE;
  kill (job->pid[INIT_PROCESS_MAIN], SIGKILL);
  wait_state (host, INIT_STATE_STOPPING);
  g_assert_cmpint (job->goal, ==, INIT_GOAL_STOP);
}

/* running + a task's main process exits 0: stopping, goal stop, not failed. */
static void
test_running_task_done (Host         *host,
                        gconstpointer data)
{
  InitJobClass *klass = make_class (NULL, "true", NULL, NULL);
  InitInstance *job;

  klass->task = TRUE;
  job = host_new_instance (host, klass);
  g_assert_true (init_instance_start (job, record_reply, host, NULL));
  step (host);
  wait_state (host, INIT_STATE_STOPPING);
  g_assert_cmpint (job->goal, ==, INIT_GOAL_STOP);
  g_assert_false (job->failed);
  /* A task's caller waits until it has stopped. */
  assert_replies (host, "");
  step (host);
  assert_replies (host, "ok");
}

/* running + restart: down to post-stop and up again; `stopping` but no `stopped`. */
static void
test_running_restart (Host         *host,
                      gconstpointer data)
{
  InitInstance *job = running_abstract (host);

  g_assert_true (init_instance_restart (job, NULL, record_reply, host, NULL));
  assert_at (job, INIT_GOAL_START, INIT_STATE_STOPPING);
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_STARTING);
  assert_replies (host, "");
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_RUNNING);
  assert_emitted (host, "stopping starting started");
  assert_replies (host, "ok");
}

/* ---- pre-stop ---- */

/* pre-stop + start: the stop is canceled, back to running without `started`. */
static void
test_pre_stop_start (Host         *host,
                     gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, "sleep 100", "sleep 100",
                                                           NULL));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  g_assert_true (init_instance_stop (job, NULL, NULL, NULL, NULL));
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_PRE_STOP);
  g_ptr_array_set_size (host->emitted, 0);
  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  kill (job->pid[INIT_PROCESS_PRE_STOP], SIGKILL);
  wait_state (host, INIT_STATE_RUNNING);
  assert_emitted (host, "");
  g_assert_cmpint (job->pid[INIT_PROCESS_MAIN], >, 0);
}

/* ---- stopping, killed, post-stop ---- */

/* stopping + its event finishes, nothing running: killed and post-stop pass through to
 * waiting, `stopped` emitted, the host told the instance is finished. */
static void
test_stopping_event_finished (Host         *host,
                              gconstpointer data)
{
  InitInstance *job = running_abstract (host);

  g_assert_true (init_instance_stop (job, NULL, record_reply, host, NULL));
  g_assert_cmpuint (host->n_finished, ==, 0);
  step (host);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_WAITING);
  assert_emitted (host, "stopping stopped");
  g_assert_cmpuint (host->n_finished, ==, 1);
  g_assert_cmpuint (host->replies->len, ==, 1);
  g_assert_null (job->host);
}

/* stopping + start: goes on down (stopping cannot be canceled) and comes back up. */
static void
test_stopping_start (Host         *host,
                     gconstpointer data)
{
  InitInstance *job = running_abstract (host);

  g_assert_true (init_instance_stop (job, NULL, NULL, NULL, NULL));
  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  assert_at (job, INIT_GOAL_START, INIT_STATE_STOPPING);
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_STARTING);
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_RUNNING);
  assert_emitted (host, "stopping starting started");
  g_assert_cmpuint (host->n_finished, ==, 0);
}

/* killed + the main process ends after the kill signal: post-stop, then waiting. */
static void
test_killed_main_ended (Host         *host,
                        gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, "sleep 100", NULL, NULL));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  g_assert_true (init_instance_stop (job, NULL, NULL, NULL, NULL));
  step (host);
  /* The stopping event finished; the main process got SIGTERM and we wait for its end. */
  if (job->state == INIT_STATE_KILLED)
    wait_state (host, INIT_STATE_WAITING);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_WAITING);
  step (host);
  g_assert_cmpuint (host->n_finished, ==, 1);
  g_assert_cmpint (job->pid[INIT_PROCESS_MAIN], ==, 0);
}

/* post-stop + its process exits: waiting (goal stop). */
static void
test_post_stop_exit (Host         *host,
                     gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, NULL, NULL, "true"));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  g_assert_true (init_instance_stop (job, NULL, NULL, NULL, NULL));
  step (host);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_POST_STOP);
  g_assert_cmpint (job->pid[INIT_PROCESS_POST_STOP], >, 0);
  wait_state (host, INIT_STATE_WAITING);
  g_assert_cmpuint (host->n_finished, ==, 1);
}

/* post-stop + start (its process still running): on to starting once it ends well. */
static void
test_post_stop_start (Host         *host,
                      gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, NULL, NULL, "sleep 0.3"));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  step (host);
  g_assert_true (init_instance_stop (job, NULL, NULL, NULL, NULL));
  step (host);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_POST_STOP);
  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  assert_at (job, INIT_GOAL_START, INIT_STATE_POST_STOP);
  wait_state (host, INIT_STATE_STARTING);
  g_assert_cmpuint (host->n_finished, ==, 0);
}

/* ---- events moving the goal, the host's cause, detaching ---- */

/* An event moving the goal (stop on): stop environment, the event held until the job is
 * down, cause = the event. */
static void
test_goal_from_event (Host         *host,
                      gconstpointer data)
{
  InitInstance *job = running_abstract (host);
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  InitEvent *event = init_event_queue_emit (host->queue, "halt", NULL, NULL);
  g_autoptr(InitEvent) hold = init_event_ref (event);
  InitEventOperator *op = init_event_operator_new_match ("halt", NULL);

  g_assert_true (init_event_operator_handle (op, event, NULL));
  g_ptr_array_add (env, g_strdup ("UPSTART_STOP_EVENTS=halt"));
  init_instance_goal_from_event (job, INIT_GOAL_STOP, env, op, event);
  init_event_operator_free (op);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_STOPPING);
  g_assert_cmpstr (g_ptr_array_index (job->stop_env, 0), ==, "UPSTART_STOP_EVENTS=halt");
  g_assert_cmpint (job->cause->kind, ==, INIT_CAUSE_EVENT);
  g_assert_cmpuint (job->cause->event_id, ==, event->id);

  /* The leaf's block went to the instance: the event waits for the job, not the tree. */
  init_event_queue_poll (host->queue);
  g_assert_cmpint (event->progress, !=, INIT_EVENT_FINISHED);
  step (host);
  assert_at (job, INIT_GOAL_STOP, INIT_STATE_WAITING);
  init_event_queue_poll (host->queue);
  g_assert_cmpint (event->progress, ==, INIT_EVENT_FINISHED);
}

/* A command's cause is the one the host has current. */
static void
test_cause_from_host (Host         *host,
                      gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, NULL, NULL, NULL));

  host->current_cause = init_cause_new (INIT_CAUSE_SHUTDOWN);
  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  g_assert_cmpint (job->cause->kind, ==, INIT_CAUSE_SHUTDOWN);
}

/* A detached instance does nothing more: its starting event finishing moves nothing. */
static void
test_detached_stays (Host         *host,
                     gconstpointer data)
{
  InitInstance *job = host_new_instance (host, make_class (NULL, NULL, NULL, NULL));

  g_assert_true (init_instance_start (job, NULL, NULL, NULL));
  init_instance_detach (job);
  step (host);
  assert_at (job, INIT_GOAL_START, INIT_STATE_STARTING);
  assert_emitted (host, "starting");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  /* Failing processes are logged as warnings: expected here, so only criticals abort. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_true (init_reaper_start (&error));

#define ADD(path, func) \
  g_test_add ("/engine/instance-transitions/" path, Host, NULL, host_setup, func, host_teardown)
  ADD ("waiting/start", test_waiting_start);
  ADD ("waiting/stop", test_waiting_stop);
  ADD ("starting/event-finished", test_starting_event_finished);
  ADD ("starting/stop", test_starting_stop);
  ADD ("pre-start/exit-ok", test_pre_start_exit_ok);
  ADD ("pre-start/exit-failed", test_pre_start_exit_failed);
  ADD ("pre-start/spawn-failed", test_pre_start_spawn_failed);
  ADD ("spawned/main-started", test_spawned_main_started);
  ADD ("spawned/spawn-failed", test_spawned_spawn_failed);
  ADD ("spawned/expect-then-stop", test_spawned_expect_stop);
  ADD ("running/stop-no-main", test_running_stop_no_main);
  ADD ("running/stop-pre-stop", test_running_stop_pre_stop);
  ADD ("running/start", test_running_start);
  ADD ("running/main-died-respawn", test_running_main_died_respawn);
  ADD ("running/main-died-respawn-disabled", test_running_main_died_respawn_disabled);
  ADD ("running/task-done", test_running_task_done);
  ADD ("running/restart", test_running_restart);
  ADD ("pre-stop/start", test_pre_stop_start);
  ADD ("stopping/event-finished", test_stopping_event_finished);
  ADD ("stopping/start", test_stopping_start);
  ADD ("killed/main-ended", test_killed_main_ended);
  ADD ("post-stop/exit", test_post_stop_exit);
  ADD ("post-stop/start", test_post_stop_start);
  ADD ("goal-from-event", test_goal_from_event);
  ADD ("cause-from-host", test_cause_from_host);
  ADD ("detached-stays", test_detached_stays);
#undef ADD

  return g_test_run ();
}
