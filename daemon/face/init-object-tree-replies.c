/* init-object-tree-replies.c — the replies that list the whole tree (GetManagedObjects and
 * ListJobs), written straight into the message with the variant writer */
#define G_LOG_DOMAIN "init-object-tree"

#include <string.h>

#include "init-dbus-error.h"
#include "init-dbus-generated.h"
#include "init-job-vtable.h"
#include "init-object-tree-private.h"

/* Open (o a{sa{sv}}) up to the property dict of @interface_name at @path. */
void
init_object_tree_open_object (InitVariantWriter *writer,
                              const char        *path,
                              const char        *interface_name)
{
  init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_string (writer, path);
  init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_string (writer, interface_name);
}

void
init_object_tree_close_object (InitVariantWriter *writer)
{
  init_variant_writer_close_tuple (writer);
  init_variant_writer_close_array (writer);
  init_variant_writer_close_tuple (writer);
}

void
init_object_tree_write_instance (InitVariantWriter *writer,
                                 Instance          *inst)
{
  init_object_tree_open_object (writer, inst->path, INIT_INSTANCE_INTERFACE);
  init_instance_vtable_write_properties (writer, inst->job, inst->job_path, &inst->sent,
                                         INIT_INSTANCE_ALL_PROPERTIES);
  init_object_tree_close_object (writer);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* @entry's exported instances, sorted by instance name, into @out (emptied first). */
static void
sorted_instances (InitObjectTree *self,
                  InitJob        *entry,
                  GPtrArray      *out)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_ptr_array_set_size (out, 0);
  if (g_hash_table_size (entry->instances) == 0)
    return;
  g_hash_table_iter_init (&iter, entry->instances);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_names);
  for (guint j = 0; j < names->len; j++)
    {
      InitInstance *job = g_hash_table_lookup (entry->instances, g_ptr_array_index (names, j));
      Instance *inst = g_hash_table_lookup (self->instances, job);

      if (inst != NULL)
        g_ptr_array_add (out, inst);
    }
}

/* Straight into the reply, without a GVariant tree in between. */
GVariant *
init_object_tree_write_managed_objects (InitObjectTree *self)
{
  g_autoptr(GPtrArray) entries = init_engine_list (self->engine);
  g_autoptr(GString) path = g_string_sized_new (128);
  g_autoptr(GPtrArray) instances = g_ptr_array_new ();
  /* About 700 bytes a job: reserve once rather than grow by doubling. */
  InitVariantWriter *writer = init_variant_writer_new (1024 + entries->len * 768);

  init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_8, FALSE);
  for (guint i = 0; i < entries->len; i++)
    {
      InitJob *entry = g_ptr_array_index (entries, i);

      g_string_assign (path, INIT_DBUS_JOBS_PATH "/");
      init_dbus_append_escaped (path, entry->name);
      init_object_tree_open_object (writer, path->str, INIT_JOB_INTERFACE);
      init_job_vtable_write_properties (writer, entry);
      init_object_tree_close_object (writer);

      sorted_instances (self, entry, instances);
      for (guint j = 0; j < instances->len; j++)
        init_object_tree_write_instance (writer, g_ptr_array_index (instances, j));
    }
  init_variant_writer_close_array (writer);
  init_variant_writer_close_tuple (writer);
  return init_variant_writer_finish (writer, G_VARIANT_TYPE ("(a{oa{sa{sv}}})"));
}

GVariant *
init_object_tree_list_jobs (InitObjectTree *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) path = g_string_sized_new (128);
  g_autoptr(GPtrArray) instances = g_ptr_array_new ();
  InitVariantWriter *writer;

  g_return_val_if_fail (INIT_IS_OBJECT_TREE (self), NULL);

  /* Values never older than a signal that follows the reply (as GetManagedObjects). */
  init_object_tree_flush (self);
  entries = init_engine_list (self->engine);
  /* A job without instances takes about 80 bytes: its name, description and path. */
  writer = init_variant_writer_new (256 + entries->len * 96);
  init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_8, FALSE);
  for (guint i = 0; i < entries->len; i++)
    {
      InitJob *entry = g_ptr_array_index (entries, i);

      g_string_assign (path, INIT_DBUS_JOBS_PATH "/");
      init_dbus_append_escaped (path, entry->name);
      init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_8, FALSE);
      init_variant_writer_string (writer, entry->name);
      init_variant_writer_string (writer, entry->klass->description);
      init_variant_writer_string (writer, path->str);
      init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_8, FALSE);
      sorted_instances (self, entry, instances);
      for (guint j = 0; j < instances->len; j++)
        {
          Instance *inst = g_ptr_array_index (instances, j);

          init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_8, FALSE);
          init_variant_writer_string (writer, inst->path);
          init_instance_vtable_write_properties (writer, inst->job, inst->job_path, &inst->sent,
                                                 INIT_INSTANCE_ALL_PROPERTIES);
          init_variant_writer_close_tuple (writer);
        }
      init_variant_writer_close_array (writer);
      init_variant_writer_close_tuple (writer);
    }
  init_variant_writer_close_array (writer);
  init_variant_writer_close_tuple (writer);
  return init_variant_writer_finish (writer, G_VARIANT_TYPE ("(a(ssoa(oa{sv})))"));
}

