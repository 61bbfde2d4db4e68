/* init-manager-carry.c — callers parked on the engine, carried across a re-exec */
#define G_LOG_DOMAIN "init-manager"

#include <glib/gi18n.h>

#include "init-dbus-error.h"
#include "init-error.h"
#include "init-manager-carry.h"

GVariant *
init_manager_save_invocation (GDBusMethodInvocation *invocation,
                              InitParkedKind         kind)
{
  GDBusMessage *message = g_dbus_method_invocation_get_message (invocation);
  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  /* Without a sender (a peer-to-peer connection) there is nobody to address later. */
  if (sender == NULL)
    return NULL;
  return g_variant_new ("(usu)", (guint32) kind, sender, g_dbus_message_get_serial (message));
}

static GVariant *
codec_save (gpointer func,
            gpointer user_data,
            gpointer codec_data)
{
  if (func != (gpointer) init_manager_job_done && func != (gpointer) init_manager_emit_done)
    return NULL;
  return init_parked_save (user_data);
}

static gboolean
codec_load (GVariant  *saved,
            gpointer  *func,
            gpointer  *user_data,
            gpointer   codec_data)
{
  InitManager *self = codec_data;
  InitCarried *carried;
  guint32 kind;
  const char *sender;
  guint32 serial;

  if (!g_variant_is_of_type (saved, G_VARIANT_TYPE ("(usu)")))
    return FALSE;
  g_variant_get (saved, "(u&su)", &kind, &sender, &serial);
  if (kind > INIT_PARKED_EMIT || !g_dbus_is_unique_name (sender))
    return FALSE;
  carried = g_new0 (InitCarried, 1);
  carried->sender = g_strdup (sender);
  carried->serial = serial;
  *user_data = init_manager_park_carried (self, carried, kind);
  *func = kind == INIT_PARKED_EMIT ? (gpointer) init_manager_emit_done
                                   : (gpointer) init_manager_job_done;
  return TRUE;
}

void
init_manager_get_codec (InitManager    *self,
                        InitSaveCodec *codec)
{
  codec->save = codec_save;
  codec->load = codec_load;
  codec->codec_data = self;
}

void
init_manager_answer_carried (InitManager       *self,
                             const InitCarried *carried,
                             GVariant          *value,
                             const GError      *error)
{
  GDBusConnection *connection = g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self));
  g_autoptr(GDBusMessage) call = NULL;
  g_autoptr(GDBusMessage) reply = NULL;
  g_autoptr(GError) send_error = NULL;

  if (connection == NULL)
    return;
  /* A stand-in for the call we received before the exec: what a reply needs of it is its
   * serial and its sender. */
  call = g_dbus_message_new_method_call (NULL, "/", "org.example.Init", "Carried");
  g_dbus_message_set_serial (call, carried->serial);
  g_dbus_message_set_sender (call, carried->sender);
  if (error != NULL)
    {
      g_autofree char *name = NULL;
      g_autoptr(GError) copy = g_error_copy (error);

      if (g_dbus_error_is_remote_error (copy))
        {
          name = g_dbus_error_get_remote_error (copy);
          g_dbus_error_strip_remote_error (copy);
        }
      else if (copy->domain == INIT_ERROR || copy->domain == G_DBUS_ERROR)
        name = g_dbus_error_encode_gerror (copy);
      else
        name = g_strdup ("org.example.Init.Error.Failed");
      reply = g_dbus_message_new_method_error_literal (call, name, copy->message);
    }
  else
    {
      reply = g_dbus_message_new_method_reply (call);
      g_dbus_message_set_body (reply, value != NULL ? value : g_variant_new ("()"));
    }
  if (!g_dbus_connection_send_message (connection, reply, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL,
                                       &send_error))
    g_debug ("Could not answer %s: %s", carried->sender, send_error->message);
}

void
init_manager_answer_saved (InitManager  *self,
                           GVariant     *saved,
                           GVariant     *value,
                           const GError *error)
{
  InitCarried carried = { 0 };
  guint32 kind;

  if (saved == NULL || !g_variant_is_of_type (saved, G_VARIANT_TYPE ("(usu)")))
    return;
  g_variant_get (saved, "(u&su)", &kind, &carried.sender, &carried.serial);
  init_manager_answer_carried (self, &carried, value, error);
}
