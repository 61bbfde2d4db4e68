/* init-call.c — one method call that changes state, from the bus to its answer */
#define G_LOG_DOMAIN "init-call"

#include <glib/gi18n.h>

#include "init-call.h"
#include "init-dbus-error.h"
#include "init-error.h"
#include "init-object-tree.h"

static InitCall *
call_alloc (InitManager  *manager,
            InitCallReply reply)
{
  InitCall *call = g_rc_box_new0 (InitCall);

  call->manager = g_object_ref (manager);
  call->reply = reply;
  call->link.data = call;
  return call;
}

InitCall *
init_call_new (InitManager           *manager,
               GDBusMethodInvocation *invocation,
               InitCallReply          reply,
               InitCallRunFunc        run)
{
  InitCall *call;

  g_return_val_if_fail (INIT_IS_MANAGER (manager), NULL);
  g_return_val_if_fail (G_IS_DBUS_METHOD_INVOCATION (invocation), NULL);
  g_return_val_if_fail (run != NULL, NULL);

  call = call_alloc (manager, reply);
  call->invocation = invocation;
  call->run = run;
  return call;
}

InitCall *
init_call_ref (InitCall *call)
{
  return g_rc_box_acquire (call);
}

static void
call_clear (gpointer data)
{
  InitCall *call = data;

  /* Every live caller is answered (or dropped with its connection) before its call goes;
   * a parked call is held by its waiter, so it is never freed in the queue. */
  g_assert (call->invocation == NULL);
  g_assert (call->queue == NULL);
  g_clear_object (&call->manager);
  g_free (call->name);
  g_clear_pointer (&call->env, g_ptr_array_unref);
  g_clear_pointer (&call->job, init_job_unref);
  g_clear_pointer (&call->instance, init_instance_unref);
  g_clear_pointer (&call->caller, init_caller_free);
  g_free (call->sender);
  g_clear_pointer (&call->value, g_variant_unref);
}

void
init_call_unref (InitCall *call)
{
  g_rc_box_release_full (call, call_clear);
}

/* ---- parking: the manager's queue ---- */

/* While parked the manager pointer is borrowed (not a reference): a parked call lives as
 * long as the engine holds it, which must not keep the manager alive.  The manager lets go
 * of its queue (call_release) when it goes, and the pointer is cleared then. */
static void
call_park (InitCall *call)
{
  GQueue *queue = init_manager_get_calls (call->manager);

  g_queue_push_tail_link (queue, &call->link);
  call->queue = queue;
  g_object_unref (call->manager);
}

/* Out of the queue by the call's own doing: the manager pointer is a reference again. */
static void
call_unpark (InitCall *call)
{
  if (call->queue == NULL)
    return;
  g_queue_unlink (call->queue, &call->link);
  call->queue = NULL;
  g_object_ref (call->manager);
}

/* Out of the queue by the manager's doing: the call no longer knows it. */
static void
call_release (InitCall *call)
{
  g_queue_unlink (call->queue, &call->link);
  call->queue = NULL;
  call->manager = NULL;
}

void
init_call_queue_drop_connection (GQueue          *queue,
                                 GDBusConnection *connection)
{
  GList *l = queue->head;

  while (l != NULL)
    {
      InitCall *call = l->data;

      l = l->next;
      /* A caller carried over a re-exec was on the connection we had then: it is gone too. */
      if (call->sender != NULL)
        {
          g_clear_pointer (&call->sender, g_free);
          call_release (call);
        }
      else if (call->invocation != NULL
               && g_dbus_method_invocation_get_connection (call->invocation) == connection)
        {
          /* The engine still holds the call and drops it when it answers. */
          g_clear_object (&call->invocation);
          call_release (call);
        }
    }
}

void
init_call_queue_fail_all (GQueue     *queue,
                          const char *message)
{
  InitCall *call;

  /* Every caller gets an answer, even now; the engine drops the calls later (or never, if
   * it goes away first). */
  while ((call = g_queue_peek_head (queue)) != NULL)
    {
      GDBusMethodInvocation *invocation = g_steal_pointer (&call->invocation);

      call_release (call);
      if (invocation != NULL)
        g_dbus_method_invocation_return_error_literal (invocation, INIT_ERROR, INIT_ERROR_FAILED,
                                                       message);
    }
}

/* ---- the way of every call ---- */

static void
push_caller (InitManager      *manager,
             const InitCaller *caller)
{
  g_autoptr(InitCause) cause = init_cause_new_caller (caller->uid, caller->pid, caller->command);

  init_engine_push_cause (init_manager_get_engine (manager), cause);
}

static void
authorized_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(InitCall) call = user_data;
  /* Parking lends the call's reference out: the manager stays for the whole callback. */
  g_autoptr(InitManager) manager = g_object_ref (call->manager);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  call->caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  if (call->caller == NULL)
    {
      init_call_answer (call, NULL, error);
      return;
    }
  if (call->wait)
    {
      call_park (call);
      /* The waiter's reference, which the run hands on (to the engine, or the re-exec). */
      init_call_ref (call);
    }
  push_caller (manager, call->caller);
  ok = call->run (call, &error);
  init_engine_pop_cause (init_manager_get_engine (manager));

  if (!ok)
    {
      /* A refused command registered no waiter: its reference is still ours. */
      if (call->wait)
        init_call_unref (call);
      init_call_answer (call, NULL, error);
    }
  else if (!call->wait)
    init_call_answer (call, call->value, NULL);
}

void
init_call_authorize (InitCall          *call,
                     const char        *action_id,
                     const char *const *details)
{
  g_return_if_fail (call != NULL && call->invocation != NULL && call->manager != NULL);

  init_authority_check_async (init_manager_get_authority (call->manager), call->invocation,
                              action_id, details, NULL, authorized_cb, call);
}

void
init_call_set_value (InitCall *call,
                     GVariant *value)
{
  g_return_if_fail (call != NULL);

  g_clear_pointer (&call->value, g_variant_unref);
  call->value = value != NULL ? g_variant_ref_sink (value) : NULL;
}

gpointer
init_call_waiter (InitCall *call)
{
  return call->wait ? call : NULL;
}

GDBusMethodInvocation *
init_call_steal_invocation (InitCall *call)
{
  return g_steal_pointer (&call->invocation);
}

/* ---- answers ---- */

/* Send the reply to a caller carried across a re-exec, on the manager's current
 * connection: a stand-in for the call we received before the exec, with its serial and
 * sender, is all a reply needs. */
static void
answer_carried (InitCall     *call,
                GVariant     *value,
                const GError *error)
{
  GDBusConnection *connection = NULL;
  g_autoptr(GDBusMessage) stand_in = NULL;
  g_autoptr(GDBusMessage) reply = NULL;
  g_autoptr(GError) send_error = NULL;

  if (call->manager != NULL)
    connection = g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (call->manager));
  if (connection == NULL)
    return;
  stand_in = g_dbus_message_new_method_call (NULL, "/", "org.example.Init", "Carried");
  g_dbus_message_set_serial (stand_in, call->serial);
  g_dbus_message_set_sender (stand_in, call->sender);
  if (error != NULL)
    {
      g_autofree char *message = NULL;
      g_autofree char *name = init_dbus_error_describe (error, &message);

      reply = g_dbus_message_new_method_error_literal (stand_in, name, message);
    }
  else
    {
      reply = g_dbus_message_new_method_reply (stand_in);
      g_dbus_message_set_body (reply, value != NULL ? value : g_variant_new ("()"));
    }
  if (!g_dbus_connection_send_message (connection, reply, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL,
                                       &send_error))
    g_debug ("Could not answer %s: %s", call->sender, send_error->message);
}

void
init_call_answer (InitCall     *call,
                  GVariant     *value,
                  const GError *error)
{
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;

  g_return_if_fail (call != NULL);

  call_unpark (call);
  if (call->invocation == NULL && call->sender == NULL)
    return;
  /* The client's cached properties are current when the answer arrives. */
  if (call->manager != NULL)
    init_object_tree_flush (init_manager_get_object_tree (call->manager));
  if (call->invocation == NULL)
    {
      answer_carried (call, owned, error);
      g_clear_pointer (&call->sender, g_free);
    }
  else if (error != NULL)
    init_dbus_return_error (g_steal_pointer (&call->invocation), error);
  else
    g_dbus_method_invocation_return_value (g_steal_pointer (&call->invocation), owned);
}

void
init_call_job_done (InitInstance *instance,
                    const GError *error,
                    gpointer      user_data)
{
  g_autoptr(InitCall) call = user_data;
  g_autofree char *path = NULL;

  if (error == NULL && call->reply == INIT_CALL_REPLY_INSTANCE_PATH)
    {
      path = init_dbus_instance_path (instance->klass->name, instance->name);
      init_call_answer (call, g_variant_new ("(o)", path), NULL);
    }
  else
    init_call_answer (call, NULL, error);
}

void
init_call_emit_done (InitEvent *event,
                     gpointer   user_data)
{
  g_autoptr(InitCall) call = user_data;
  g_autoptr(GError) error = NULL;

  if (!event->failed)
    {
      init_call_answer (call, g_variant_new ("(t)", event->id), NULL);
      return;
    }
  error = g_error_new (INIT_ERROR, INIT_ERROR_EVENT_FAILED, _("Event failed: %s: job %s: %s"),
                       event->name, event->failed_job != NULL ? event->failed_job : "?",
                       event->failed_reason != NULL ? event->failed_reason : "?");
  init_call_answer (call, NULL, error);
}

/* ---- across a re-exec ---- */

GVariant *
init_call_save (InitCall *call)
{
  const char *sender = call->sender;
  guint32 serial = call->serial;

  g_return_val_if_fail (call != NULL, NULL);

  if (sender == NULL && call->invocation != NULL)
    {
      /* Without a sender (a peer-to-peer connection) there is nobody to address later. */
      sender = g_dbus_method_invocation_get_sender (call->invocation);
      serial = g_dbus_message_get_serial (g_dbus_method_invocation_get_message (call->invocation));
    }
  if (sender == NULL)
    return NULL;
  return g_variant_new ("(usu)", (guint32) call->reply, sender, serial);
}

InitCall *
init_call_load (InitManager *manager,
                GVariant    *saved)
{
  /* The numbers older daemons saved, one per method, by the reply each gets. */
  static const InitCallReply replies[] = {
    INIT_CALL_REPLY_INSTANCE_PATH, INIT_CALL_REPLY_EMPTY, INIT_CALL_REPLY_INSTANCE_PATH,
    INIT_CALL_REPLY_EMPTY, INIT_CALL_REPLY_EVENT_ID,
  };
  InitCall *call;
  guint32 reply;
  const char *sender;
  guint32 serial;

  g_return_val_if_fail (INIT_IS_MANAGER (manager), NULL);

  if (saved == NULL || !g_variant_is_of_type (saved, G_VARIANT_TYPE ("(usu)")))
    return NULL;
  g_variant_get (saved, "(u&su)", &reply, &sender, &serial);
  if (reply >= G_N_ELEMENTS (replies) || !g_dbus_is_unique_name (sender))
    return NULL;
  call = call_alloc (manager, replies[reply]);
  call->sender = g_strdup (sender);
  call->serial = serial;
  return call;
}

static GVariant *
codec_save (gpointer func,
            gpointer user_data,
            gpointer codec_data)
{
  if (func != (gpointer) init_call_job_done && func != (gpointer) init_call_emit_done)
    return NULL;
  return init_call_save (user_data);
}

static gboolean
codec_load (GVariant *saved,
            gpointer *func,
            gpointer *user_data,
            gpointer  codec_data)
{
  InitCall *call = init_call_load (codec_data, saved);

  if (call == NULL)
    return FALSE;
  /* Parked as it was before the exec; the engine holds the only reference. */
  call_park (call);
  *user_data = call;
  *func = call->reply == INIT_CALL_REPLY_EVENT_ID ? (gpointer) init_call_emit_done
                                                  : (gpointer) init_call_job_done;
  return TRUE;
}

void
init_call_get_codec (InitManager   *manager,
                     InitSaveCodec *codec)
{
  codec->save = codec_save;
  codec->load = codec_load;
  codec->codec_data = manager;
}
