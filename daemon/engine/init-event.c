/* init-event.c — events and the event queue (reference §4.1) */
#define G_LOG_DOMAIN "init-event"

#include <glib/gi18n.h>
#include <string.h>

#include "init-env.h"
#include "init-error.h"
#include "init-event.h"
#include "init-engine-save.h"

struct _InitEventQueue
{
  GQueue              events;       /* InitEvent*, unfinished, oldest first; one ref each */
  InitEventHandleFunc handle;
  gpointer            handle_data;
  InitEventFunc       queued;
  InitEventFunc       finished;
  gpointer            observer_data;
  guint64             next_id;
  GSource            *idle;
  GMainContext       *context;
  gboolean            polling;
  gboolean            again;        /* a poll was requested while polling */
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
init_event_queue_emit (InitEventQueue  *queue,
                       const char      *name,
                       GPtrArray       *env,
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

void
init_event_set_lease (InitEvent   *event,
                      InitFdLease *lease)
{
  g_return_if_fail (event->progress == INIT_EVENT_PENDING);
  g_clear_pointer (&event->lease, init_fd_lease_unref);
  event->lease = init_fd_lease_ref (lease);
}

static void
event_finish (InitEventQueue *queue,
              InitEvent      *event)
{
  g_autoptr(GArray) watchers = NULL;

  event->progress = INIT_EVENT_FINISHED;
  /* Only what it started keeps the descriptor (Upstart also closed it here). */
  g_clear_pointer (&event->lease, init_fd_lease_unref);
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
  g_clear_pointer (&event->lease, init_fd_lease_unref);
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
init_event_add_watcher (InitEvent    *event,
                        InitEventFunc func,
                        gpointer      user_data)
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

gboolean
init_event_remove_watcher (InitEvent    *event,
                           InitEventFunc func,
                           gpointer      user_data)
{
  g_return_val_if_fail (event != NULL, FALSE);

  for (guint i = 0; event->watchers != NULL && i < event->watchers->len; i++)
    {
      Watcher *w = &g_array_index (event->watchers, Watcher, i);
      if (w->func == func && w->user_data == user_data)
        {
          g_array_remove_index (event->watchers, i);
          return TRUE;
        }
    }
  return FALSE;
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

/* ---- re-exec (init-state.h) ---- */

GVariant *
init_event_queue_save (InitEventQueue      *queue,
                       const InitSaveCodec *codec)
{
  GVariantBuilder events;

  g_variant_builder_init (&events, G_VARIANT_TYPE ("aa{sv}"));
  for (GList *l = queue->events.head; l != NULL; l = l->next)
    {
      InitEvent *event = l->data;
      GVariantBuilder watchers;
      GVariantDict dict;

      g_variant_dict_init (&dict, NULL);
      g_variant_dict_insert (&dict, "id", "t", event->id);
      g_variant_dict_insert (&dict, "name", "s", event->name);
      g_variant_dict_insert_value (&dict, "env", init_save_env_to_variant (event->env));
      g_variant_dict_insert (&dict, "progress", "u", (guint32) event->progress);
      g_variant_dict_insert (&dict, "failed", "b", event->failed);
      if (event->failed_job != NULL)
        g_variant_dict_insert (&dict, "failed-job", "s", event->failed_job);
      if (event->failed_reason != NULL)
        g_variant_dict_insert (&dict, "failed-reason", "s", event->failed_reason);
      g_variant_dict_insert (&dict, "cause-id", "t", event->cause_id);
      g_variant_dict_insert_value (&dict, "cause", init_save_cause_to_variant (event->cause));

      /* Watchers the codec knows (callers of EmitEvent waiting for the answer); the engine's
       * own (jobs waiting on their starting/stopping event) come back with the jobs. */
      g_variant_builder_init (&watchers, G_VARIANT_TYPE ("av"));
      for (guint i = 0; codec != NULL && event->watchers != NULL && i < event->watchers->len; i++)
        {
          Watcher *w = &g_array_index (event->watchers, Watcher, i);
          GVariant *saved = codec->save (w->func, w->user_data, codec->codec_data);

          if (saved != NULL)
            g_variant_builder_add (&watchers, "v", saved);
        }
      g_variant_dict_insert_value (&dict, "watchers", g_variant_builder_end (&watchers));
      g_variant_builder_add_value (&events, g_variant_dict_end (&dict));
    }
  return g_variant_builder_end (&events);
}

gboolean
init_event_queue_restore (InitEventQueue      *queue,
                          GVariant            *events,
                          guint64              next_id,
                          const InitSaveCodec *codec,
                          GError             **error)
{
  GVariantIter iter;
  GVariant *child;

  g_variant_iter_init (&iter, events);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) owned = child;
      g_autoptr(GVariant) env = NULL, cause = NULL, watchers = NULL;
      GVariantDict dict;
      InitEvent *event;
      const char *name = NULL;
      guint32 progress = INIT_EVENT_PENDING;

      g_variant_dict_init (&dict, owned);
      if (!g_variant_dict_lookup (&dict, "name", "&s", &name) || !init_event_name_is_valid (name))
        {
          g_variant_dict_clear (&dict);
          g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                       _("Saved state has an event without a valid name"));
          return FALSE;
        }
      event = g_new0 (InitEvent, 1);
      event->ref_count = 1;
      g_variant_dict_lookup (&dict, "id", "t", &event->id);
      if (event->id == 0)
        event->id = next_id++;
      event->name = g_strdup (name);
      env = g_variant_dict_lookup_value (&dict, "env", G_VARIANT_TYPE_STRING_ARRAY);
      event->env = init_save_env_from_variant (env);
      g_variant_dict_lookup (&dict, "progress", "u", &progress);
      event->progress = progress == INIT_EVENT_HANDLING ? INIT_EVENT_HANDLING : INIT_EVENT_PENDING;
      g_variant_dict_lookup (&dict, "failed", "b", &event->failed);
      g_variant_dict_lookup (&dict, "failed-job", "s", &event->failed_job);
      g_variant_dict_lookup (&dict, "failed-reason", "s", &event->failed_reason);
      g_variant_dict_lookup (&dict, "cause-id", "t", &event->cause_id);
      cause = g_variant_dict_lookup_value (&dict, "cause", G_VARIANT_TYPE_VARDICT);
      event->cause = init_save_cause_from_variant (cause);
      event->queue = queue;
      g_queue_push_tail (&queue->events, event);
      queue->next_id = MAX (queue->next_id, event->id + 1);

      watchers = g_variant_dict_lookup_value (&dict, "watchers", G_VARIANT_TYPE ("av"));
      for (gsize i = 0; codec != NULL && watchers != NULL && i < g_variant_n_children (watchers); i++)
        {
          g_autoptr(GVariant) boxed = g_variant_get_child_value (watchers, i);
          g_autoptr(GVariant) saved = g_variant_get_variant (boxed);
          gpointer func = NULL, data = NULL;

          if (codec->load (saved, &func, &data, codec->codec_data))
            init_event_add_watcher (event, (InitEventFunc) func, data);
        }
      g_variant_dict_clear (&dict);
    }
  queue->next_id = MAX (queue->next_id, next_id);
  /* Whatever is ready (no blocks left once everything is restored) moves on. */
  queue_schedule (queue);
  return TRUE;
}

guint64
init_event_queue_get_next_id (InitEventQueue *queue)
{
  return queue->next_id;
}

InitEvent *
init_event_queue_lookup (InitEventQueue *queue,
                         guint64         id)
{
  for (GList *l = queue->events.head; l != NULL; l = l->next)
    if (((InitEvent *) l->data)->id == id)
      return l->data;
  return NULL;
}
