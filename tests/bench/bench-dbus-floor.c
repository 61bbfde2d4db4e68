/* bench-dbus-floor.c — what GDBus itself costs: a bare service for bench-dbus to compare with
 *
 * Owns org.example.Init on the session bus and answers EmitEvent from a plain vtable (no
 * skeleton, no engine, no authorization) with the next id, sending before the reply as many
 * of the signals initd sends for an event nobody names (EventEmitted, HistoryRecord
 * event-queued, EventFinished, HistoryRecord event-finished) as $BENCH_FLOOR_SIGNALS says
 * (0-4; default 4), with the same arguments.  So bench-dbus can show how much of initd's
 * per-event CPU is the bus library's, whatever initd does.  Arguments are accepted and
 * ignored, so dbus-fixture can start it as it starts initd.
 */
#include <stdlib.h>
#include <unistd.h>

#include <gio/gio.h>

static guint64 next_id = 1;
static int n_signals = 4;

static GVariant *
cause (void)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "cause", g_variant_new_string ("caller"));
  g_variant_builder_add (&builder, "{sv}", "caller-uid", g_variant_new_uint32 (getuid ()));
  g_variant_builder_add (&builder, "{sv}", "caller-pid", g_variant_new_uint32 (1));
  g_variant_builder_add (&builder, "{sv}", "caller-command", g_variant_new_string ("bench-dbus"));
  return g_variant_builder_end (&builder);
}

static void
emit (GDBusConnection *connection,
      const char      *member,
      GVariant        *params)
{
  g_dbus_connection_emit_signal (connection, NULL, "/org/example/Init", "org.example.Init",
                                 member, params, NULL);
}

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  guint64 id = next_id++;
  const char *name;

  g_variant_get (parameters, "(&s@asb)", &name, NULL, NULL);
  if (n_signals >= 1)
    emit (connection, "EventEmitted",
          g_variant_new ("(ts^as@a{sv})", id, name, (const char *[]) { NULL }, cause ()));
  if (n_signals >= 2)
    {
      GVariantBuilder details;

      g_variant_builder_init (&details, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&details, "{sv}", "event-id", g_variant_new_uint64 (id));
      g_variant_builder_add (&details, "{sv}", "env", g_variant_new_strv (NULL, 0));
      emit (connection, "HistoryRecord",
            g_variant_new ("(ttss@a{sv})", id * 2, (guint64) g_get_real_time (), "event-queued",
                           name, g_variant_builder_end (&details)));
    }
  if (n_signals >= 3)
    emit (connection, "EventFinished", g_variant_new ("(tsbss)", id, name, FALSE, "", ""));
  if (n_signals >= 4)
    {
      GVariantBuilder details;

      g_variant_builder_init (&details, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&details, "{sv}", "event-id", g_variant_new_uint64 (id));
      g_variant_builder_add (&details, "{sv}", "failed", g_variant_new_boolean (FALSE));
      emit (connection, "HistoryRecord",
            g_variant_new ("(ttss@a{sv})", id * 2 + 1, (guint64) g_get_real_time (),
                           "event-finished", name, g_variant_builder_end (&details)));
    }
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(t)", id));
}

int
main (int argc, char **argv)
{
  static const char xml[] =
    "<node><interface name='org.example.Init'><method name='EmitEvent'>"
    "<arg type='s' direction='in'/><arg type='as' direction='in'/>"
    "<arg type='b' direction='in'/><arg type='t' direction='out'/>"
    "</method></interface></node>";
  static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, NULL);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  const char *signals = g_getenv ("BENCH_FLOOR_SIGNALS");

  if (signals != NULL)
    n_signals = CLAMP (atoi (signals), 0, 4);
  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (connection == NULL)
    g_error ("%s", error->message);
  if (g_dbus_connection_register_object (connection, "/org/example/Init", info->interfaces[0],
                                         &vtable, NULL, NULL, &error) == 0)
    g_error ("%s", error->message);
  g_bus_own_name_on_connection (connection, "org.example.Init", G_BUS_NAME_OWNER_FLAGS_NONE,
                                NULL, NULL, NULL, NULL);
  g_main_loop_run (loop);
  return 0;
}
