/* init-process-tree-reader.c — Instance.GetProcessTree, command lines for the trusted only */
#define G_LOG_DOMAIN "init-process-tree-reader"

#include "init-authority.h"
#include "init-process-tree-reader.h"
#include "init-process.h"

typedef struct
{
  GDBusMethodInvocation *invocation;
  InitInstance          *instance;
} TreeCall;

static void
tree_call_free (TreeCall *call)
{
  g_clear_object (&call->invocation);
  g_clear_pointer (&call->instance, init_instance_unref);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TreeCall, tree_call_free)

static GVariant *
build_tree (InitInstance *instance,
            gboolean with_command_lines)
{
  g_autoptr(GArray) tree = init_instance_get_process_tree (instance);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(iiss)"));
  for (guint i = 0; tree != NULL && i < tree->len; i++)
    {
      const InitInstanceProcessInfo *info = &g_array_index (tree, InitInstanceProcessInfo, i);
      const char *role = info->type == INIT_PROCESS_NONE ? ""
                         : init_process_type_to_string (info->type);
      const char *cmdline = with_command_lines && info->cmdline != NULL ? info->cmdline : "";
      /* A command line is whatever bytes the process was given; D-Bus strings are UTF-8. */
      g_autofree char *valid = g_utf8_validate (cmdline, -1, NULL) ? NULL
                               : g_utf8_make_valid (cmdline, -1);

      g_variant_builder_add (&builder, "(iiss)", (gint32) info->pid, (gint32) info->ppid,
                             role, valid != NULL ? valid : cmdline);
    }
  return g_variant_new ("(a(iiss))", &builder);
}

static void
tree_authorized_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TreeCall) call = user_data;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;

  caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  /* Not allowed (or polkit could not say): the tree without command lines. */
  g_dbus_method_invocation_return_value (g_steal_pointer (&call->invocation),
                                         build_tree (call->instance, caller != NULL));
}

void
init_process_tree_reader_handle (InitManager           *manager,
                                 GDBusMethodInvocation *invocation,
                                 InitInstance          *instance)
{
  TreeCall *call = g_new0 (TreeCall, 1);
  const char *details[] = { "job", instance->klass->name, "instance", instance->name, NULL };

  call->invocation = invocation;   /* its reference moves to the call */
  call->instance = init_instance_ref (instance);
  init_authority_check_async (init_manager_get_authority (manager), invocation,
                              "org.example.Init.read-history", details, NULL,
                              tree_authorized_cb, call);
}
