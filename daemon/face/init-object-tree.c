/* init-object-tree.c — every job and instance on the bus, and their ObjectManager */
#define G_LOG_DOMAIN "init-object-tree"

#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-error.h"
#include "init-dbus-generated.h"
#include "init-instance-vtable.h"
#include "init-job-subtree.h"
#include "init-job-vtable.h"
#include "init-manager.h"
#include "init-memory.h"
#include "init-object-tree-private.h"
#include "init-subscribers.h"
#include "init-variant-writer.h"

#define OBJECT_MANAGER_INTERFACE "org.freedesktop.DBus.ObjectManager"

G_DEFINE_FINAL_TYPE (InitObjectTree, init_object_tree, G_TYPE_OBJECT)

/* ---- signals ---- */

gboolean
init_object_tree_is_followed (InitObjectTree *self)
{
  g_return_val_if_fail (INIT_IS_OBJECT_TREE (self), FALSE);
  return self->connection != NULL && init_subscribers_any (self->subscribers);
}

gboolean
init_object_tree_subscribe (InitObjectTree *self,
                            const char     *name,
                            GError        **error)
{
  g_return_val_if_fail (INIT_IS_OBJECT_TREE (self), FALSE);

  /* What changed while nobody followed is settled unsent: the new subscriber reads the
   * current state (GetManagedObjects, GetHistory) after subscribing. */
  if (!init_subscribers_any (self->subscribers))
    init_object_tree_flush (self);
  return init_subscribers_add (self->subscribers, name, error);
}

void
init_object_tree_subscribe_carried (InitObjectTree *self,
                                    const char     *name)
{
  g_return_if_fail (INIT_IS_OBJECT_TREE (self));
  init_subscribers_adopt (self->subscribers, name, NULL);
}

void
init_object_tree_unsubscribe (InitObjectTree *self,
                              const char     *name)
{
  g_return_if_fail (INIT_IS_OBJECT_TREE (self));
  init_subscribers_remove (self->subscribers, name);
}

char **
init_object_tree_list_subscribers (InitObjectTree *self)
{
  g_return_val_if_fail (INIT_IS_OBJECT_TREE (self), NULL);
  return init_subscribers_list (self->subscribers);
}

void
init_object_tree_emit (InitObjectTree *self,
                       const char     *path,
                       const char     *interface_name,
                       const char     *member,
                       GVariant       *params)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (INIT_IS_OBJECT_TREE (self));
  g_return_if_fail (params != NULL);

  if (!init_object_tree_is_followed (self))
    {
      g_variant_unref (g_variant_ref_sink (params));
      return;
    }
  if (!g_dbus_connection_emit_signal (self->connection, NULL, path, interface_name, member,
                                      params, &error))
    g_debug ("Cannot send %s.%s: %s", interface_name, member, error->message);
}

static void
emit_interfaces_removed (InitObjectTree *self,
                         const char     *path,
                         const char     *interface_name)
{
  const char *names[] = { interface_name, NULL };

  init_object_tree_emit (self, INIT_MANAGER_PATH, OBJECT_MANAGER_INTERFACE, "InterfacesRemoved",
                         g_variant_new ("(o^as)", path, names));
}

/* ---- jobs: what clients were told ---- */

typedef struct
{
  InitJobClass *klass;   /* a reference */
  InitJobView   view;    /* its klass is the one above */
} Announced;

static void
announced_free (Announced *announced)
{
  init_job_class_unref (announced->klass);
  g_free (announced);
}

/* ---- instances ---- */

static void
instance_free (Instance *inst)
{
  g_clear_pointer (&inst->job, init_instance_unref);
  g_free (inst->path);
  g_free (inst->job_path);
  g_free (inst);
}

static void
register_instance (InitObjectTree *self,
                   Instance       *inst)
{
  g_autoptr(GError) error = NULL;

  inst->registration = g_dbus_connection_register_object (self->connection, inst->path,
                                                          init_dbus_instance_interface_info (),
                                                          init_instance_vtable_get (),
                                                          self->manager, NULL, &error);
  if (inst->registration == 0)
    g_warning (_("Cannot export %s: %s"), inst->path, error->message);
}

/* Tell clients what changed since they were told last. */
static void
flush_instance (InitObjectTree *self,
                Instance       *inst)
{
  InitInstanceView now;
  guint mask;

  inst->dirty = FALSE;
  init_instance_view_init (&now, inst->job);
  mask = init_instance_view_diff (&inst->sent, &now);
  inst->sent = now;
  if (mask != 0 && init_object_tree_is_followed (self))
    {
      InitVariantWriter *writer = init_variant_writer_new (256);

      init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_8, FALSE);
      init_variant_writer_string (writer, INIT_INSTANCE_INTERFACE);
      init_instance_vtable_write_properties (writer, inst->job, inst->job_path, &inst->sent, mask);
      init_variant_writer_strv (writer, NULL, 0);
      init_variant_writer_close_tuple (writer);
      init_object_tree_emit (self, inst->path, "org.freedesktop.DBus.Properties",
                             "PropertiesChanged",
                             init_variant_writer_finish (writer, G_VARIANT_TYPE ("(sa{sv}as)")));
    }
}

void
init_object_tree_instance_added (InitObjectTree *self,
                                 InitInstance   *job)
{
  Instance *inst;

  g_return_if_fail (INIT_IS_OBJECT_TREE (self));
  g_return_if_fail (job != NULL);

  if (g_hash_table_contains (self->instances, job))
    return;
  inst = g_new0 (Instance, 1);
  inst->job = init_instance_ref (job);
  inst->path = init_dbus_instance_path (job->klass->name, job->name);
  inst->job_path = init_dbus_job_path (job->klass->name);
  init_instance_view_init (&inst->sent, job);
  g_hash_table_insert (self->instances, job, inst);
  g_hash_table_insert (self->paths, inst->path, inst);

  if (self->connection == NULL)
    return;
  register_instance (self, inst);
  if (!init_object_tree_is_followed (self))
    return;
  {
    InitVariantWriter *writer = init_variant_writer_new (512);

    init_object_tree_write_instance (writer, inst);
    init_object_tree_emit (self, INIT_MANAGER_PATH, OBJECT_MANAGER_INTERFACE, "InterfacesAdded",
                           init_variant_writer_finish (writer, G_VARIANT_TYPE ("(oa{sa{sv}})")));
  }
  init_object_tree_emit (self, inst->job_path, INIT_JOB_INTERFACE, "InstanceAdded",
                         g_variant_new ("(o)", inst->path));
}

static void schedule_flush (InitObjectTree *self);

void
init_object_tree_instance_changed (InitObjectTree *self,
                                   InitInstance   *job)
{
  Instance *inst;

  g_return_if_fail (INIT_IS_OBJECT_TREE (self));
  g_return_if_fail (job != NULL);

  inst = g_hash_table_lookup (self->instances, job);
  if (inst == NULL)
    {
      init_object_tree_instance_added (self, job);
      inst = g_hash_table_lookup (self->instances, job);
    }
  if (inst->dirty)
    return;
  inst->dirty = TRUE;
  g_ptr_array_add (self->dirty_instances, init_instance_ref (job));
  schedule_flush (self);
}

/* Unexport @inst and free it; @announce: send InstanceRemoved as well. */
static void
remove_instance (InitObjectTree *self,
                 Instance       *inst,
                 gboolean        announce)
{
  g_autofree char *path = g_strdup (inst->path);
  g_autofree char *job_path = g_strdup (inst->job_path);

  /* Last values first (state waiting), so a client following PropertiesChanged sees them. */
  flush_instance (self, inst);
  if (inst->registration != 0)
    g_dbus_connection_unregister_object (self->connection, inst->registration);
  inst->registration = 0;
  emit_interfaces_removed (self, path, INIT_INSTANCE_INTERFACE);
  g_hash_table_remove (self->paths, inst->path);
  g_hash_table_remove (self->instances, inst->job);
  if (announce)
    init_object_tree_emit (self, job_path, INIT_JOB_INTERFACE, "InstanceRemoved",
                           g_variant_new ("(o)", path));
}

void
init_object_tree_instance_removed (InitObjectTree *self,
                                   InitInstance   *job)
{
  Instance *inst;

  g_return_if_fail (INIT_IS_OBJECT_TREE (self));
  g_return_if_fail (job != NULL);

  inst = g_hash_table_lookup (self->instances, job);
  if (inst != NULL)
    remove_instance (self, inst, TRUE);
}

InitInstance *
init_object_tree_lookup_instance (InitObjectTree *self,
                                  const char     *path)
{
  Instance *inst;

  g_return_val_if_fail (INIT_IS_OBJECT_TREE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  inst = g_hash_table_lookup (self->paths, path);
  return inst != NULL ? inst->job : NULL;
}

/* ---- jobs ---- */

/* Remember that clients now know @entry's current definition. */
static void
announce_definition (InitObjectTree *self,
                     InitJob        *entry)
{
  Announced *announced = g_new0 (Announced, 1);

  init_job_view_init (&announced->view, entry);
  announced->klass = init_job_class_ref (entry->klass);
  /* On a key already there, insert drops the passed key and the old value. */
  g_hash_table_insert (self->announced, init_job_ref (entry), announced);
}

void
init_object_tree_job_added (InitObjectTree *self,
                            InitJob        *entry)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (INIT_IS_OBJECT_TREE (self));
  g_return_if_fail (entry != NULL);

  announce_definition (self, entry);
  if (init_object_tree_is_followed (self))
    {
      InitVariantWriter *writer = init_variant_writer_new (1024);
      g_autofree char *path = init_dbus_job_path (entry->name);

      init_object_tree_open_object (writer, path, INIT_JOB_INTERFACE);
      init_job_vtable_write_properties (writer, entry);
      init_object_tree_close_object (writer);
      init_object_tree_emit (self, INIT_MANAGER_PATH, OBJECT_MANAGER_INTERFACE, "InterfacesAdded",
                             init_variant_writer_finish (writer, G_VARIANT_TYPE ("(oa{sa{sv}})")));
    }
  g_hash_table_iter_init (&iter, entry->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    init_object_tree_instance_added (self, value);
}

void
init_object_tree_job_changed (InitObjectTree *self,
                              InitJob        *entry)
{
  g_return_if_fail (INIT_IS_OBJECT_TREE (self));
  g_return_if_fail (entry != NULL);

  for (guint i = 0; i < self->dirty_jobs->len; i++)
    if (g_ptr_array_index (self->dirty_jobs, i) == entry)
      return;
  g_ptr_array_add (self->dirty_jobs, init_job_ref (entry));
  schedule_flush (self);
}

static void
flush_job (InitObjectTree *self,
           InitJob        *entry)
{
  Announced *before = g_hash_table_lookup (self->announced, entry);
  g_autoptr(GVariant) changed = NULL;
  InitJobView now;

  /* Removed meanwhile: InterfacesRemoved said all there is to say. */
  if (entry->engine == NULL || before == NULL)
    return;
  if (!init_object_tree_is_followed (self))
    {
      announce_definition (self, entry);
      return;
    }
  init_job_view_init (&now, entry);
  changed = init_job_vtable_diff (entry->name, &before->view, &now);
  announce_definition (self, entry);
  if (changed != NULL && self->connection != NULL)
    {
      g_autofree char *path = init_dbus_job_path (entry->name);
      const char *const no_invalidated[] = { NULL };

      init_object_tree_emit (self, path, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                             g_variant_new ("(s@a{sv}^as)", INIT_JOB_INTERFACE,
                                            g_steal_pointer (&changed), no_invalidated));
    }
}

void
init_object_tree_job_removed (InitObjectTree *self,
                              InitJob        *entry)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  g_autofree char *path = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (INIT_IS_OBJECT_TREE (self));
  g_return_if_fail (entry != NULL);

  /* The engine removes a job once its last instance is gone; this is only a safety net. */
  g_hash_table_iter_init (&iter, self->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_str_equal (((Instance *) value)->job->klass->name, entry->name))
      g_ptr_array_add (gone, value);
  for (guint i = 0; i < gone->len; i++)
    remove_instance (self, g_ptr_array_index (gone, i), FALSE);

  g_hash_table_remove (self->announced, entry);
  path = init_dbus_job_path (entry->name);
  emit_interfaces_removed (self, path, INIT_JOB_INTERFACE);
}

/* ---- coalescing ---- */

void
init_object_tree_flush (InitObjectTree *self)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) instances = NULL;

  g_return_if_fail (INIT_IS_OBJECT_TREE (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->dirty_jobs->len == 0 && self->dirty_instances->len == 0)
    return;

  /* Sending never changes the engine, but take the lists first all the same. */
  jobs = g_steal_pointer (&self->dirty_jobs);
  instances = g_steal_pointer (&self->dirty_instances);
  self->dirty_jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) init_job_unref);
  self->dirty_instances = g_ptr_array_new_with_free_func ((GDestroyNotify) init_instance_unref);

  for (guint i = 0; i < jobs->len; i++)
    flush_job (self, g_ptr_array_index (jobs, i));
  for (guint i = 0; i < instances->len; i++)
    {
      Instance *inst = g_hash_table_lookup (self->instances, g_ptr_array_index (instances, i));

      /* Gone already (its last values went out as it went). */
      if (inst != NULL && inst->dirty)
        flush_instance (self, inst);
    }
}

static gboolean
flush_cb (gpointer user_data)
{
  InitObjectTree *self = user_data;

  self->flush_id = 0;
  init_object_tree_flush (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (InitObjectTree *self)
{
  /* Above every default-priority source (method calls, the event queue, child exits), so
   * whatever one dispatch changed goes out before the next dispatch. */
  if (self->flush_id == 0)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_HIGH);
      g_source_set_callback (source, flush_cb, self, NULL);
      g_source_set_static_name (source, "[init] PropertiesChanged");
      self->flush_id = g_source_attach (source, g_main_context_get_thread_default ());
    }
}

/* ---- org.freedesktop.DBus.ObjectManager ---- */

static GDBusInterfaceInfo *
object_manager_info (void)
{
  static GDBusNodeInfo *node;

  if (g_once_init_enter (&node))
    {
      static const char xml[] =
        "<node>"
        " <interface name='" OBJECT_MANAGER_INTERFACE "'>"
        "  <method name='GetManagedObjects'>"
        "   <arg type='a{oa{sa{sv}}}' name='object_paths_interfaces_and_properties' direction='out'/>"
        "  </method>"
        "  <signal name='InterfacesAdded'>"
        "   <arg type='o' name='object_path'/>"
        "   <arg type='a{sa{sv}}' name='interfaces_and_properties'/>"
        "  </signal>"
        "  <signal name='InterfacesRemoved'>"
        "   <arg type='o' name='object_path'/>"
        "   <arg type='as' name='interfaces'/>"
        "  </signal>"
        " </interface>"
        "</node>";

      g_once_init_leave (&node, g_dbus_node_info_new_for_xml (xml, NULL));
    }
  return node->interfaces[0];
}

static void
object_manager_method_call (GDBusConnection       *connection,
                            const char            *sender,
                            const char            *object_path,
                            const char            *interface_name,
                            const char            *method_name,
                            GVariant              *parameters,
                            GDBusMethodInvocation *invocation,
                            gpointer               user_data)
{
  InitObjectTree *self = user_data;

  /* GetManagedObjects is the only method; GDBus refused anything else.  Pending changes go
   * first, so the reply's values are never older than a signal that follows it. */
  init_object_tree_flush (self);
  g_dbus_method_invocation_return_value (invocation, init_object_tree_write_managed_objects (self));
  /* Megabytes were allocated for that reply: give them back once it is out. */
  init_memory_trim_soon ();
}

/* ---- the connection ---- */

gboolean
init_object_tree_attach (InitObjectTree  *self,
                         GDBusConnection *connection,
                         GError         **error)
{
  static const GDBusInterfaceVTable object_manager_vtable = {
    object_manager_method_call, NULL, NULL, { 0 }
  };
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (INIT_IS_OBJECT_TREE (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);

  init_object_tree_detach (self);
  /* The new connection's clients start from GetManagedObjects: settle what is pending
   * without sending it. */
  init_object_tree_flush (self);
  self->connection = g_object_ref (connection);
  init_subscribers_set_connection (self->subscribers, connection);
  self->manager_registration =
    g_dbus_connection_register_object (connection, INIT_MANAGER_PATH, object_manager_info (),
                                       &object_manager_vtable, self, NULL, error);
  if (self->manager_registration == 0)
    {
      init_object_tree_detach (self);
      return FALSE;
    }
  self->subtree_registration =
    g_dbus_connection_register_subtree (connection, INIT_DBUS_JOBS_PATH, init_job_subtree_vtable (),
                                        G_DBUS_SUBTREE_FLAGS_DISPATCH_TO_UNENUMERATED_NODES,
                                        self->manager, NULL, error);
  if (self->subtree_registration == 0)
    {
      init_object_tree_detach (self);
      return FALSE;
    }

  g_hash_table_iter_init (&iter, self->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    register_instance (self, value);
  return TRUE;
}

void
init_object_tree_detach (InitObjectTree *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (INIT_IS_OBJECT_TREE (self));

  if (self->connection == NULL)
    return;
  g_hash_table_iter_init (&iter, self->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Instance *inst = value;

      if (inst->registration != 0)
        g_dbus_connection_unregister_object (self->connection, inst->registration);
      inst->registration = 0;
    }
  if (self->subtree_registration != 0)
    g_dbus_connection_unregister_subtree (self->connection, self->subtree_registration);
  if (self->manager_registration != 0)
    g_dbus_connection_unregister_object (self->connection, self->manager_registration);
  self->subtree_registration = 0;
  self->manager_registration = 0;
  init_subscribers_set_connection (self->subscribers, NULL);
  g_clear_object (&self->connection);
}

GDBusConnection *
init_object_tree_get_connection (InitObjectTree *self)
{
  g_return_val_if_fail (INIT_IS_OBJECT_TREE (self), NULL);
  return self->connection;
}

/* ---- GObject ---- */

static void
init_object_tree_dispose (GObject *object)
{
  InitObjectTree *self = INIT_OBJECT_TREE (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->instances != NULL)
    init_object_tree_detach (self);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (init_object_tree_parent_class)->dispose (object);
}

static void
init_object_tree_finalize (GObject *object)
{
  InitObjectTree *self = INIT_OBJECT_TREE (object);

  g_hash_table_unref (self->paths);
  g_hash_table_unref (self->instances);
  g_hash_table_unref (self->announced);
  g_ptr_array_unref (self->dirty_jobs);
  g_ptr_array_unref (self->dirty_instances);
  init_subscribers_free (self->subscribers);

  G_OBJECT_CLASS (init_object_tree_parent_class)->finalize (object);
}

static void
init_object_tree_class_init (InitObjectTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = init_object_tree_dispose;
  object_class->finalize = init_object_tree_finalize;
}

static void
init_object_tree_init (InitObjectTree *self)
{
  self->instances = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) instance_free);
  self->paths = g_hash_table_new (g_str_hash, g_str_equal);
  self->announced = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) init_job_unref,
                                           (GDestroyNotify) announced_free);
  self->dirty_jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) init_job_unref);
  self->dirty_instances = g_ptr_array_new_with_free_func ((GDestroyNotify) init_instance_unref);
  self->subscribers = init_subscribers_new ();
}

InitObjectTree *
init_object_tree_new (InitManager *manager,
                      InitEngine  *engine)
{
  InitObjectTree *self;

  g_return_val_if_fail (manager != NULL, NULL);
  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);

  self = g_object_new (INIT_TYPE_OBJECT_TREE, NULL);
  self->manager = manager;
  self->engine = g_object_ref (engine);
  return self;
}
