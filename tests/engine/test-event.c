/* test-event.c — the event queue: pending → handling → finished, blocks, failure (§4.1) */
#include <glib.h>

#include "init-env.h"
#include "init-event.h"

typedef struct
{
  GPtrArray *handled;   /* names, in handling order */
  GPtrArray *finished;  /* names, in finishing order */
  InitEvent *block_me;  /* if the handled event has this name, block it */
  char      *block_name;
} Recorder;

static void
handle_cb (InitEventQueue *queue,
           InitEvent      *event,
           gpointer        user_data)
{
  Recorder *r = user_data;

  g_ptr_array_add (r->handled, g_strdup (event->name));
  if (r->block_name != NULL && g_str_equal (event->name, r->block_name))
    {
      init_event_block (event);
      r->block_me = init_event_ref (event);
    }
}

static void
finished_cb (InitEvent *event,
             gpointer   user_data)
{
  Recorder *r = user_data;

  g_ptr_array_add (r->finished, g_strdup (event->name));
}

static void
recorder_init (Recorder *r)
{
  r->handled = g_ptr_array_new_with_free_func (g_free);
  r->finished = g_ptr_array_new_with_free_func (g_free);
  r->block_me = NULL;
  r->block_name = NULL;
}

static void
recorder_clear (Recorder *r)
{
  g_ptr_array_unref (r->handled);
  g_ptr_array_unref (r->finished);
  g_clear_pointer (&r->block_me, init_event_unref);
}

/* An event nobody blocks is handled and finished in the same poll, in FIFO order. */
static void
test_unblocked_events_finish_in_order (void)
{
  Recorder r;
  InitEventQueue *queue;
  InitEvent *a;

  recorder_init (&r);
  queue = init_event_queue_new (handle_cb, &r);
  init_event_queue_set_observer (queue, NULL, finished_cb, &r);
  a = init_event_queue_emit (queue, "a", NULL, 0);
  init_event_queue_emit (queue, "b", NULL, 0);
  g_assert_cmpint (a->progress, ==, INIT_EVENT_PENDING);
  g_assert_cmpuint (init_event_queue_get_length (queue), ==, 2);
  init_event_queue_poll (queue);
  g_assert_cmpuint (r.handled->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (r.finished, 0), ==, "a");
  g_assert_cmpstr (g_ptr_array_index (r.finished, 1), ==, "b");
  g_assert_cmpuint (init_event_queue_get_length (queue), ==, 0);
  init_event_queue_free (queue);
  recorder_clear (&r);
}

/* A blocked event stays in handling until its last block goes, then finishes. */
static void
test_blocked_event_waits (void)
{
  Recorder r;
  InitEventQueue *queue;

  recorder_init (&r);
  r.block_name = "held";
  queue = init_event_queue_new (handle_cb, &r);
  init_event_queue_set_observer (queue, NULL, finished_cb, &r);
  init_event_queue_emit (queue, "held", NULL, 0);
  init_event_queue_poll (queue);
  g_assert_nonnull (r.block_me);
  g_assert_cmpint (r.block_me->progress, ==, INIT_EVENT_HANDLING);
  g_assert_cmpuint (r.finished->len, ==, 0);
  init_event_unblock (r.block_me);
  init_event_queue_poll (queue);
  g_assert_cmpint (r.block_me->progress, ==, INIT_EVENT_FINISHED);
  g_assert_cmpuint (r.finished->len, ==, 1);
  init_event_queue_free (queue);
  recorder_clear (&r);
}

/* Unblocking schedules processing from the main loop without an explicit poll. */
static void
test_unblock_schedules_idle (void)
{
  Recorder r;
  InitEventQueue *queue;

  recorder_init (&r);
  r.block_name = "held";
  queue = init_event_queue_new (handle_cb, &r);
  init_event_queue_set_observer (queue, NULL, finished_cb, &r);
  init_event_queue_emit (queue, "held", NULL, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (r.finished->len, ==, 0);
  init_event_unblock (r.block_me);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (r.finished->len, ==, 1);
  init_event_queue_free (queue);
  recorder_clear (&r);
}

static void
watcher_cb (InitEvent *event,
            gpointer   user_data)
{
  int *calls = user_data;
  (*calls)++;
}

/* A failed event tells its watcher, then queues NAME/failed with the same env, once. */
static void
test_failed_event_emits_failed (void)
{
  Recorder r;
  InitEventQueue *queue;
  g_autoptr(GPtrArray) env = init_env_new ();
  InitEvent *event;
  int calls = 0;

  recorder_init (&r);
  r.block_name = "go";
  queue = init_event_queue_new (handle_cb, &r);
  init_event_queue_set_observer (queue, NULL, finished_cb, &r);
  init_env_set (env, "A", "1");
  event = init_event_queue_emit (queue, "go", env, 0);
  init_event_add_watcher (event, watcher_cb, &calls);
  init_event_queue_poll (queue);
  init_event_set_failed (r.block_me, "job", "main process terminated with status 1");
  init_event_set_failed (r.block_me, "other", "ignored: first failure wins");
  g_assert_cmpstr (r.block_me->failed_job, ==, "job");
  init_event_unblock (r.block_me);
  init_event_queue_poll (queue);
  g_assert_cmpint (calls, ==, 1);
  g_assert_cmpuint (r.finished->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (r.finished, 1), ==, "go/failed");
  init_event_queue_free (queue);
  recorder_clear (&r);
}

/* NAME/failed failing does not produce NAME/failed/failed. */
static void
test_failed_failed_not_emitted (void)
{
  Recorder r;
  InitEventQueue *queue;

  recorder_init (&r);
  r.block_name = "go/failed";
  queue = init_event_queue_new (handle_cb, &r);
  init_event_queue_set_observer (queue, NULL, finished_cb, &r);
  init_event_queue_emit (queue, "go/failed", NULL, 0);
  init_event_queue_poll (queue);
  init_event_set_failed (r.block_me, "job", "x");
  init_event_unblock (r.block_me);
  init_event_queue_poll (queue);
  g_assert_cmpuint (r.finished->len, ==, 1);
  init_event_queue_free (queue);
  recorder_clear (&r);
}

/* Ids are unique and increasing; the /failed event names its cause. */
static void
test_ids_and_cause (void)
{
  InitEventQueue *queue = init_event_queue_new (NULL, NULL);
  InitEvent *a = init_event_queue_emit (queue, "a", NULL, 0);
  g_autoptr(InitCause) cause = init_cause_new_event (a->id, "a");
  InitEvent *b = init_event_queue_emit (queue, "b", NULL, cause);

  g_assert_cmpuint (a->id, >, 0);
  g_assert_cmpuint (b->id, >, a->id);
  g_assert_cmpuint (b->cause_id, ==, a->id);
  g_assert_cmpint (b->cause->kind, ==, INIT_CAUSE_EVENT);
  g_assert_cmpint (a->cause->kind, ==, INIT_CAUSE_NONE);
  init_event_queue_free (queue);
}

/* Event names: non-empty, bounded, no whitespace or control characters. */
static void
test_name_validation (void)
{
  g_autofree char *long_name = g_strnfill (257, 'x');

  g_assert_true (init_event_name_is_valid ("startup"));
  g_assert_true (init_event_name_is_valid ("go/failed"));
  g_assert_true (init_event_name_is_valid (":sys:startup"));
  g_assert_false (init_event_name_is_valid (""));
  g_assert_false (init_event_name_is_valid (NULL));
  g_assert_false (init_event_name_is_valid ("two words"));
  g_assert_false (init_event_name_is_valid ("tab\there"));
  g_assert_false (init_event_name_is_valid ("\xff\xfe"));
  g_assert_false (init_event_name_is_valid (long_name));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/event/unblocked-finish-in-order", test_unblocked_events_finish_in_order);
  g_test_add_func ("/engine/event/blocked-waits", test_blocked_event_waits);
  g_test_add_func ("/engine/event/unblock-schedules-idle", test_unblock_schedules_idle);
  g_test_add_func ("/engine/event/failed-emits-failed", test_failed_event_emits_failed);
  g_test_add_func ("/engine/event/failed-failed-not-emitted", test_failed_failed_not_emitted);
  g_test_add_func ("/engine/event/ids-and-cause", test_ids_and_cause);
  g_test_add_func ("/engine/event/name-validation", test_name_validation);

  return g_test_run ();
}
