/* fake-polkit.c — a stand-in for polkitd that records what it is asked and answers as told */
#define G_LOG_DOMAIN "fake-polkit"

#include "fake-polkit.h"

static const char fake_polkit_xml[] =
  "<node><interface name='org.freedesktop.PolicyKit1.Authority'>"
  "  <method name='CheckAuthorization'>"
  "    <arg type='(sa{sv})' direction='in'/><arg type='s' direction='in'/>"
  "    <arg type='a{ss}' direction='in'/><arg type='u' direction='in'/>"
  "    <arg type='s' direction='in'/><arg type='(bba{ss})' direction='out'/>"
  "  </method>"
  "  <method name='CancelCheckAuthorization'><arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
fake_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *iface,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  FakePolkit *fake = user_data;

  if (g_str_equal (method, "CancelCheckAuthorization"))
    {
      fake->cancels++;
      for (guint i = 0; i < fake->held->len; i++)
        g_dbus_method_invocation_return_dbus_error (g_ptr_array_index (fake->held, i),
                                                    "org.freedesktop.PolicyKit1.Error.Cancelled",
                                                    "cancelled");
      /* return_dbus_error took the references */
      g_ptr_array_set_free_func (fake->held, NULL);
      g_ptr_array_set_size (fake->held, 0);
      g_ptr_array_set_free_func (fake->held, g_object_unref);
      g_dbus_method_invocation_return_value (invocation, NULL);
      return;
    }

  {
    g_autoptr(GVariant) subject_details = NULL;
    g_autoptr(GVariant) details = NULL;
    g_autoptr(GVariant) name = NULL;
    GVariantIter iter;
    const char *key, *value;

    fake->checks++;
    g_clear_pointer (&fake->subject_kind, g_free);
    g_clear_pointer (&fake->subject_name, g_free);
    g_clear_pointer (&fake->action_id, g_free);
    g_hash_table_remove_all (fake->details);
    g_variant_get (parameters, "((s@a{sv})s@a{ss}u&s)", &fake->subject_kind, &subject_details,
                   &fake->action_id, &details, &fake->flags, NULL);
    name = g_variant_lookup_value (subject_details, "name", G_VARIANT_TYPE_STRING);
    fake->subject_name = name != NULL ? g_variant_dup_string (name, NULL) : NULL;
    g_variant_iter_init (&iter, details);
    while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
      g_hash_table_insert (fake->details, g_strdup (key), g_strdup (value));
  }

  if (fake->hang)
    {
      g_ptr_array_add (fake->held, invocation);   /* the handler owns it until it returns it */
      return;
    }
  g_dbus_method_invocation_return_value (
      invocation, g_variant_new ("((bb@a{ss}))", fake->is_authorized, fake->is_challenge,
                                 g_variant_new_array (G_VARIANT_TYPE ("{ss}"), NULL, 0)));
}

static void
fake_acquired (GDBusConnection *connection,
               const char      *name,
               gpointer         user_data)
{
  ((FakePolkit *) user_data)->owned = TRUE;
}

FakePolkit *
fake_polkit_new (const char *address)
{
  static const GDBusInterfaceVTable vtable = { fake_method_call };
  FakePolkit *fake = g_new0 (FakePolkit, 1);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (fake_polkit_xml, NULL);
  g_autoptr(GError) error = NULL;

  fake->held = g_ptr_array_new_with_free_func (g_object_unref);
  fake->details = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fake->connection = g_dbus_connection_new_for_address_sync (
      address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (fake->connection, FALSE);
  fake->reg_id = g_dbus_connection_register_object (fake->connection,
                                                    "/org/freedesktop/PolicyKit1/Authority",
                                                    info->interfaces[0], &vtable,
                                                    fake, NULL, &error);
  g_assert_no_error (error);
  fake->owner_id = g_bus_own_name_on_connection (fake->connection, "org.freedesktop.PolicyKit1",
                                                 G_BUS_NAME_OWNER_FLAGS_NONE,
                                                 fake_acquired, NULL, fake, NULL);
  while (!fake->owned)
    g_main_context_iteration (NULL, TRUE);
  return fake;
}

void
fake_polkit_free (FakePolkit *fake)
{
  g_bus_unown_name (fake->owner_id);
  g_dbus_connection_unregister_object (fake->connection, fake->reg_id);
  g_dbus_connection_close_sync (fake->connection, NULL, NULL);
  g_clear_object (&fake->connection);
  g_ptr_array_unref (fake->held);
  g_hash_table_unref (fake->details);
  g_free (fake->subject_kind);
  g_free (fake->subject_name);
  g_free (fake->action_id);
  g_free (fake);
}
