/* init-event.c — events and the event queue (reference §4.1) */
#define G_LOG_DOMAIN "init-event"

#include <string.h>

#include "init-env.h"
#include "init-event.h"

struct _InitEventQueue
{
  GQueue               events;      /* InitEvent*, unfinished, oldest first; one ref each */
  InitEventHandleFunc  handle;
  gpointer             handle_data;
  InitEventFunc        queued;
  InitEventFunc        finished;
  gpointer             observer_data;
  guint64              next_id;
  GSource             *idle;
  GMainContext        *context;
  gboolean             polling;
  gboolean             again;       /* a poll was requested while polling */
};

typedef struct
{
  InitEventFunc func;
  gpointer      user_data;
} Watcher;

static gboolean
queue_idle_cb (gpointer user_data)
{
  InitEventQueue *queue = user_data;

  g_clear_pointer (&queue->idle, g_source_unref);
  init_event_queue_poll (queue);
  return G_SOURCE_REMOVE;
}

/* Make sure the queue gets processed soon: from the main loop, or right after the current
 * poll pass if we are inside one. */
static void
queue_schedule (InitEventQueue *queue)
{
  if (queue->polling)
    {
      queue->again = TRUE;
      return;
    }
  if (queue->idle != NULL)
    return;
  queue->idle = g_idle_source_new ();
  g_source_set_priority (queue->idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (queue->idle, queue_idle_cb, queue, NULL);
  g_source_set_static_name (queue->idle, "[init] event queue");
  g_source_attach (queue->idle, queue->context);
}

InitEventQueue *
init_event_queue_new (InitEventHandleFunc handle,
                      gpointer            user_data)
{
  InitEventQueue *queue = g_new0 (InitEventQueue, 1);

  g_queue_init (&queue->events);
  queue->handle = handle;
  queue->handle_data = user_data;
  queue->next_id = 1;
  queue->context = g_main_context_ref_thread_default ();
  return queue;
}

void
init_event_queue_free (InitEventQueue *queue)
{
  InitEvent *event;

  if (queue == NULL)
    return;
  if (queue->idle != NULL)
    {
      g_source_destroy (queue->idle);
      g_clear_pointer (&queue->idle, g_source_unref);
    }
  while ((event = g_queue_pop_head (&queue->events)) != NULL)
    {
      event->queue = NULL;
      init_event_unref (event);
    }
  g_main_context_unref (queue->context);
  g_free (queue);
}

void
init_event_queue_set_observer (InitEventQueue *queue,
                               InitEventFunc   queued,
                               InitEventFunc   finished,
                               gpointer        user_data)
{
  g_return_if_fail (queue != NULL);

  queue->queued = queued;
  queue->finished = finished;
  queue->observer_data = user_data;
}

InitEvent *
init_event_queue_emit (InitEventQueue *queue,
                       const char     *name,
                       GPtrArray      *env,
                       const InitCause *cause)
{
  InitEvent *event;

  g_return_val_if_fail (queue != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  event = g_new0 (InitEvent, 1);
  event->ref_count = 1;
  event->id = queue->next_id++;
  event->name = g_strdup (name);
  event->env = init_env_copy (env);
  event->progress = INIT_EVENT_PENDING;
  event->cause = cause != NULL ? init_cause_copy (cause) : init_cause_new (INIT_CAUSE_NONE);
  if (event->cause->kind == INIT_CAUSE_EVENT)
    event->cause_id = event->cause->event_id;
  event->queue = queue;
  g_queue_push_tail (&queue->events, event);

  g_debug ("Queued %s event (id %" G_GUINT64_FORMAT ")", name, event->id);
  if (queue->queued != NULL)
    queue->queued (event, queue->observer_data);
  queue_schedule (queue);
  return event;
}

static void
event_finish (InitEventQueue *queue,
              InitEvent      *event)
{
  g_autoptr(GArray) watchers = NULL;

  event->progress = INIT_EVENT_FINISHED;
  g_debug ("Finished %s event%s", event->name, event->failed ? " (failed)" : "");

  if (queue->finished != NULL)
    queue->finished (event, queue->observer_data);

  /* Watchers may add or remove watchers of other events; take ours out first. */
  watchers = g_steal_pointer (&event->watchers);
  for (guint i = 0; watchers != NULL && i < watchers->len; i++)
    {
      Watcher *w = &g_array_index (watchers, Watcher, i);
      w->func (event, w->user_data);
    }

  if (event->failed && !g_str_has_suffix (event->name, "/failed"))
    {
      g_autofree char *failed_name = g_strconcat (event->name, "/failed", NULL);
      g_autoptr(InitCause) cause = init_cause_new_event (event->id, event->name);
      init_event_queue_emit (queue, failed_name, event->env, cause);
    }
}

void
init_event_queue_poll (InitEventQueue *queue)
{
  g_return_if_fail (queue != NULL);

  if (queue->polling)
    {
      queue->again = TRUE;
      return;
    }

  queue->polling = TRUE;
  do
    {
      GList *link;

      queue->again = FALSE;
      link = queue->events.head;
      while (link != NULL)
        {
          InitEvent *event = link->data;

          if (event->progress == INIT_EVENT_PENDING)
            {
              event->progress = INIT_EVENT_HANDLING;
              g_debug ("Handling %s event", event->name);
              /* Hold a block while handling so a job that takes and drops one during the
               * callback cannot make us finish half-way. */
              event->blockers++;
              if (queue->handle != NULL)
                queue->handle (queue, event, queue->handle_data);
              event->blockers--;
              queue->again = TRUE;
            }

          if (event->progress == INIT_EVENT_HANDLING && event->blockers == 0)
            {
              GList *next;

              event_finish (queue, event);
              /* The list may have grown during finish; links before ours are untouched. */
              next = link->next;
              g_queue_delete_link (&queue->events, link);
              event->queue = NULL;
              init_event_unref (event);
              link = next;
              queue->again = TRUE;
              continue;
            }
          link = link->next;
        }
    }
  while (queue->again);
  queue->polling = FALSE;
}

guint
init_event_queue_get_length (InitEventQueue *queue)
{
  g_return_val_if_fail (queue != NULL, 0);
  return queue->events.length;
}

void
init_event_queue_foreach (InitEventQueue *queue,
                          InitEventFunc   func,
                          gpointer        user_data)
{
  g_return_if_fail (queue != NULL);

  for (GList *l = queue->events.head; l != NULL; l = l->next)
    func (l->data, user_data);
}

InitEvent *
init_event_ref (InitEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);
  g_atomic_int_inc (&event->ref_count);
  return event;
}

void
init_event_unref (InitEvent *event)
{
  if (event == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&event->ref_count))
    return;
  g_free (event->name);
  g_ptr_array_unref (event->env);
  g_free (event->failed_job);
  g_free (event->failed_reason);
  init_cause_free (event->cause);
  g_clear_pointer (&event->watchers, g_array_unref);
  g_free (event);
}

void
init_event_block (InitEvent *event)
{
  g_return_if_fail (event != NULL);
  event->blockers++;
}

void
init_event_unblock (InitEvent *event)
{
  g_return_if_fail (event != NULL);
  g_return_if_fail (event->blockers > 0);

  event->blockers--;
  if (event->blockers == 0 && event->queue != NULL
      && event->progress == INIT_EVENT_HANDLING)
    queue_schedule (event->queue);
}

void
init_event_set_failed (InitEvent  *event,
                       const char *job_name,
                       const char *reason)
{
  g_return_if_fail (event != NULL);

  if (event->failed)
    return;
  event->failed = TRUE;
  event->failed_job = g_strdup (job_name);
  event->failed_reason = g_strdup (reason);
}

void
init_event_add_watcher (InitEvent     *event,
                        InitEventFunc  func,
                        gpointer       user_data)
{
  Watcher w = { func, user_data };

  g_return_if_fail (event != NULL);
  g_return_if_fail (func != NULL);

  if (event->progress == INIT_EVENT_FINISHED)
    return;
  if (event->watchers == NULL)
    event->watchers = g_array_new (FALSE, FALSE, sizeof (Watcher));
  g_array_append_val (event->watchers, w);
}

void
init_event_remove_watcher (InitEvent     *event,
                           InitEventFunc  func,
                           gpointer       user_data)
{
  g_return_if_fail (event != NULL);

  for (guint i = 0; event->watchers != NULL && i < event->watchers->len; i++)
    {
      Watcher *w = &g_array_index (event->watchers, Watcher, i);
      if (w->func == func && w->user_data == user_data)
        {
          g_array_remove_index (event->watchers, i);
          return;
        }
    }
}

gboolean
init_event_name_is_valid (const char *name)
{
  gsize len;

  if (name == NULL || *name == '\0')
    return FALSE;
  len = strlen (name);
  if (len > 256 || !g_utf8_validate (name, len, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;
  return TRUE;
}
