/* init-history-reader.c — Manager.GetHistory: bounded pages, private details for the trusted */
#define G_LOG_DOMAIN "init-history-reader"

#include "init-authority.h"
#include "init-history-reader.h"

typedef struct
{
  InitManager           *manager;
  InitHistory           *history;
  GDBusMethodInvocation *invocation;
  guint64                after;
  guint                  max;
  gboolean               trusted;
} HistoryCall;

/* Authorised calls whose replies are still to be built, oldest first.  A page costs
 * milliseconds to build and up to 256 KiB on the wire.  Built in the authorisation callback,
 * a flood of GetHistory calls kept the main loop busy for seconds and queued megabytes on the
 * bus connection, and every other caller (a property read, a Start) waited behind all of
 * them.  So pages are built one at a time, at low priority (below message dispatch), and the
 * next only once the connection has written the previous one out: another caller's answer
 * waits for at most one page. */
static GQueue pending = G_QUEUE_INIT;
static guint pending_idle;
static gboolean flushing;

static void schedule_next (void);

static void
history_call_free (HistoryCall *call)
{
  g_clear_object (&call->manager);
  g_clear_object (&call->history);
  g_clear_object (&call->invocation);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HistoryCall, history_call_free)

static void
history_call_answer (HistoryCall *call)
{
  guint max = call->max == 0 ? INIT_HISTORY_READER_MAX_RECORDS
                             : MIN (call->max, INIT_HISTORY_READER_MAX_RECORDS);

  init_dbus_manager_complete_get_history (
    INIT_DBUS_MANAGER (call->manager), g_steal_pointer (&call->invocation),
    init_history_get_page (call->history, call->after, max, INIT_HISTORY_READER_MAX_BYTES,
                           !call->trusted),
    init_history_get_last_id (call->history));
}

static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  /* A failed flush (the connection closed) changes nothing: the next reply finds out. */
  g_dbus_connection_flush_finish (G_DBUS_CONNECTION (source), result, NULL);
  flushing = FALSE;
  schedule_next ();
}

static gboolean
answer_next_cb (gpointer user_data)
{
  g_autoptr(HistoryCall) call = g_queue_pop_head (&pending);
  g_autoptr(GDBusConnection) connection = NULL;

  pending_idle = 0;
  if (call == NULL)
    return G_SOURCE_REMOVE;
  connection = g_object_ref (g_dbus_method_invocation_get_connection (call->invocation));
  history_call_answer (call);
  if (!g_queue_is_empty (&pending))
    {
      flushing = TRUE;
      g_dbus_connection_flush (connection, NULL, flushed_cb, NULL);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_next (void)
{
  if (pending_idle == 0 && !flushing && !g_queue_is_empty (&pending))
    pending_idle = g_idle_add_full (G_PRIORITY_LOW, answer_next_cb, NULL, NULL);
}

static void
history_authorized_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  HistoryCall *call = user_data;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;

  caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  /* Whatever kept the answer from being yes (a denial, no polkitd, too many checks), the
   * caller still gets the history, without what only the trusted may see. */
  call->trusted = caller != NULL;
  if (!call->trusted)
    g_debug ("GetHistory without private details: %s", error->message);
  g_queue_push_tail (&pending, call);
  schedule_next ();
}

void
init_history_reader_flush (void)
{
  HistoryCall *call;

  while ((call = g_queue_pop_head (&pending)) != NULL)
    {
      history_call_answer (call);
      history_call_free (call);
    }
  g_clear_handle_id (&pending_idle, g_source_remove);
}

void
init_history_reader_handle (InitManager           *manager,
                            InitHistory           *history,
                            GDBusMethodInvocation *invocation,
                            guint64                after,
                            guint                  max)
{
  HistoryCall *call = g_new0 (HistoryCall, 1);

  call->manager = g_object_ref (manager);
  call->history = g_object_ref (history);
  call->invocation = invocation;   /* its reference moves to the call */
  call->after = after;
  call->max = max;
  init_authority_check_async (init_manager_get_authority (manager), invocation,
                              "org.example.Init.read-history", NULL, NULL,
                              history_authorized_cb, call);
}
