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
} HistoryCall;

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
history_authorized_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(HistoryCall) call = user_data;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  guint max = call->max == 0 ? INIT_HISTORY_READER_MAX_RECORDS
                             : MIN (call->max, INIT_HISTORY_READER_MAX_RECORDS);
  gboolean trusted;

  caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  /* Whatever kept the answer from being yes (a denial, no polkitd, too many checks), the
   * caller still gets the history, without what only the trusted may see. */
  trusted = caller != NULL;
  if (!trusted)
    g_debug ("GetHistory without private details: %s", error->message);
  init_dbus_manager_complete_get_history (
      INIT_DBUS_MANAGER (call->manager), g_steal_pointer (&call->invocation),
      init_history_get_page (call->history, call->after, max, INIT_HISTORY_READER_MAX_BYTES,
                             !trusted),
      init_history_get_last_id (call->history));
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
