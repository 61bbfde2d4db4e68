/* init-job-subtree.c — /org/example/Init/jobs: one registration answers for every job */
#define G_LOG_DOMAIN "init-job-subtree"

#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-error.h"
#include "init-dbus-generated.h"
#include "init-job-subtree.h"
#include "init-job-vtable.h"
#include "init-manager.h"

InitJob *
init_job_subtree_lookup (InitEngine *engine,
                         const char *path)
{
  g_autofree char *name = NULL;
  const char *element;

  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_str_has_prefix (path, INIT_DBUS_JOBS_PATH "/"))
    return NULL;
  element = path + strlen (INIT_DBUS_JOBS_PATH "/");
  if (strchr (element, '/') != NULL)
    return NULL;
  name = init_dbus_unescape_path_element (element);
  return name != NULL ? init_engine_lookup (engine, name) : NULL;
}

void
init_job_subtree_set_unknown_object (GError    **error,
                                     const char *path)
{
  /* Word for word what GDBus says for a path nothing is registered at. */
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
               _("Object does not exist at path “%s”"), path);
}

void
init_job_subtree_return_unknown_object (GDBusMethodInvocation *invocation)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (G_IS_DBUS_METHOD_INVOCATION (invocation));

  init_job_subtree_set_unknown_object (&error, g_dbus_method_invocation_get_object_path (invocation));
  g_dbus_method_invocation_return_gerror (invocation, error);
}

static char **
subtree_enumerate (GDBusConnection *connection,
                   const char      *sender,
                   const char      *object_path,
                   gpointer         user_data)
{
  g_autoptr(GPtrArray) entries = init_engine_list (init_manager_get_engine (user_data));
  char **nodes = g_new (char *, entries->len + 1);

  /* Only Introspect asks (calls go to unenumerated nodes too). */
  for (guint i = 0; i < entries->len; i++)
    nodes[i] = init_dbus_escape_path_element (((InitJob *) g_ptr_array_index (entries, i))->name);
  nodes[entries->len] = NULL;
  return nodes;
}

static GDBusInterfaceInfo **
subtree_introspect (GDBusConnection *connection,
                    const char      *sender,
                    const char      *object_path,
                    const char      *node,
                    gpointer         user_data)
{
  GDBusInterfaceInfo **infos;

  /* The jobs directory itself has no interface, only children. */
  if (node == NULL)
    return NULL;
  /* A call to a job that does not exist still goes to the job vtable, which answers as GDBus
   * does for an empty path ("Object does not exist"), where GDBus's own answer would be
   * "Method … does not exist".  GDBus names the node's own path when it dispatches a call and
   * the subtree's when it introspects one: an introspection shows nothing there. */
  if (g_str_equal (object_path, INIT_DBUS_JOBS_PATH))
    {
      g_autofree char *path = g_strconcat (INIT_DBUS_JOBS_PATH "/", node, NULL);

      if (init_job_subtree_lookup (init_manager_get_engine (user_data), path) == NULL)
        return NULL;
    }
  infos = g_new0 (GDBusInterfaceInfo *, 2);
  infos[0] = g_dbus_interface_info_ref (init_dbus_job_interface_info ());
  return infos;
}

static const GDBusInterfaceVTable *
subtree_dispatch (GDBusConnection *connection,
                  const char      *sender,
                  const char      *object_path,
                  const char      *interface_name,
                  const char      *node,
                  gpointer        *out_user_data,
                  gpointer         user_data)
{
  if (node == NULL || g_strcmp0 (interface_name, INIT_JOB_INTERFACE) != 0)
    return NULL;
  *out_user_data = user_data;
  return init_job_vtable_get ();
}

const GDBusSubtreeVTable *
init_job_subtree_vtable (void)
{
  static const GDBusSubtreeVTable vtable = {
    subtree_enumerate, subtree_introspect, subtree_dispatch, { 0 }
  };

  return &vtable;
}

void
init_job_subtree_check_properties (GDBusInterfaceInfo *info,
                                   guint               n_props)
{
  guint n = 0;

  while (info->properties[n] != NULL)
    n++;
  g_assert (n == n_props);
}
