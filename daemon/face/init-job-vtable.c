/* init-job-vtable.c — org.example.Init.Job at /org/example/Init/jobs/JOB */
#define G_LOG_DOMAIN "init-job-vtable"

#include <glib/gi18n.h>
#include <string.h>

#include "init-call.h"
#include "init-conf-enable.h"
#include "init-dbus-error.h"
#include "init-dbus-generated.h"
#include "init-env.h"
#include "init-error.h"
#include "init-event-operator.h"
#include "init-job-vtable.h"
#include "init-log-reader.h"
#include "init-manager.h"
#include "init-job-subtree.h"
#include "init-object-tree.h"

/* ---- properties ---- */

typedef enum
{
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_AUTHOR,
  PROP_VERSION,
  PROP_USAGE,
  PROP_CONFIG_FILE,
  PROP_OVERRIDE_FILE,
  PROP_START_ON,
  PROP_STOP_ON,
  PROP_START_ON_TREE,
  PROP_STOP_ON_TREE,
  PROP_EMITS,
  PROP_TASK,
  PROP_RESPAWN,
  PROP_RESPAWN_LIMIT,
  PROP_INSTANCE_PATTERN,
  PROP_CONSOLE,
  PROP_KILL_TIMEOUT,
  PROP_DEFINED_PROCESSES,
  PROP_DELETED,
  PROP_ENABLED,
  N_PROPS
} Prop;

/* A property's name and type, from the generated interface info: Prop follows the XML's
 * order (init_job_vtable_get() checks the count; the tests read every property by name). */
static const GDBusPropertyInfo *
prop_info (Prop prop)
{
  return init_dbus_job_interface_info ()->properties[prop];
}

static void
write_operator_text (InitVariantWriter       *writer,
                     const InitEventOperator *op)
{
  g_autofree char *text = op != NULL ? init_event_operator_to_string (op) : NULL;

  init_variant_writer_string (writer, text);
}

static void
write_operator_tree (InitVariantWriter       *writer,
                     const InitEventOperator *op)
{
  g_autoptr(GPtrArray) rpn = op != NULL ? init_event_operator_to_rpn (op) : NULL;

  init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_1, FALSE);
  for (guint i = 0; rpn != NULL && i < rpn->len; i++)
    {
      const char *const *node = g_ptr_array_index (rpn, i);

      init_variant_writer_strv (writer, node, g_strv_length ((char **) node));
    }
  init_variant_writer_close_array (writer);
}

static void
write_array (InitVariantWriter *writer,
             GPtrArray         *array)
{
  if (array == NULL)
    init_variant_writer_strv (writer, NULL, 0);
  else
    init_variant_writer_strv (writer, (const char *const *) array->pdata, array->len);
}

static void
write_defined_processes (InitVariantWriter  *writer,
                         const InitJobClass *klass)
{
  const char *names[INIT_PROCESS_N];
  guint n = 0;

  for (guint i = 0; i < INIT_PROCESS_N; i++)
    if (klass->process[i].command != NULL)
      names[n++] = init_process_type_to_string (i);
  init_variant_writer_strv (writer, names, n);
}

void
init_job_view_init (InitJobView *view,
                    InitJob     *entry)
{
  g_return_if_fail (view != NULL && entry != NULL);

  view->klass = entry->klass;
  view->deleted = entry->deleted;
  view->enabled = init_conf_is_enabled (entry->pending != NULL ? entry->pending : entry->klass);
}

/* Long because it is the Job interface's property table: one short case per property, in
 * the XML's order; a property added to the XML gets its case here and nowhere else. */
static void
write_value (InitVariantWriter *writer,
             Prop               prop,
             const char        *name,
             const InitJobView *view)
{
  const InitJobClass *k = view->klass;

  switch (prop)
    {
    case PROP_NAME:
      init_variant_writer_string (writer, name);
      break;
    case PROP_DESCRIPTION:
      init_variant_writer_string (writer, k->description);
      break;
    case PROP_AUTHOR:
      init_variant_writer_string (writer, k->author);
      break;
    case PROP_VERSION:
      init_variant_writer_string (writer, k->version);
      break;
    case PROP_USAGE:
      init_variant_writer_string (writer, k->usage);
      break;
    case PROP_CONFIG_FILE:
      init_variant_writer_string (writer, k->path);
      break;
    case PROP_OVERRIDE_FILE:
      init_variant_writer_string (writer, k->override_path);
      break;
    case PROP_START_ON:
      write_operator_text (writer, k->start_on);
      break;
    case PROP_STOP_ON:
      write_operator_text (writer, k->stop_on);
      break;
    case PROP_START_ON_TREE:
      write_operator_tree (writer, k->start_on);
      break;
    case PROP_STOP_ON_TREE:
      write_operator_tree (writer, k->stop_on);
      break;
    case PROP_EMITS:
      write_array (writer, k->emits);
      break;
    case PROP_TASK:
      init_variant_writer_boolean (writer, k->task);
      break;
    case PROP_RESPAWN:
      init_variant_writer_boolean (writer, k->respawn);
      break;
    case PROP_RESPAWN_LIMIT:
      init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_4, TRUE);
      init_variant_writer_uint32 (writer, (guint32) MAX (k->respawn_limit, 0));
      init_variant_writer_uint32 (writer, (guint32) MAX (k->respawn_interval, 0));
      init_variant_writer_close_tuple (writer);
      break;
    case PROP_INSTANCE_PATTERN:
      init_variant_writer_string (writer, k->instance);
      break;
    case PROP_CONSOLE:
      init_variant_writer_string (writer, init_console_type_to_string (k->console));
      break;
    case PROP_KILL_TIMEOUT:
      init_variant_writer_uint32 (writer, (guint32) MAX (k->kill_timeout, 0));
      break;
    case PROP_DEFINED_PROCESSES:
      write_defined_processes (writer, k);
      break;
    case PROP_DELETED:
      init_variant_writer_boolean (writer, view->deleted);
      break;
    case PROP_ENABLED:
      init_variant_writer_boolean (writer, view->enabled);
      break;
    case N_PROPS:
    default:
      g_assert_not_reached ();
    }
}

static void
write_entry (InitVariantWriter *writer,
             Prop               prop,
             const char        *name,
             const InitJobView *view)
{
  init_variant_writer_open_entry (writer, prop_info (prop)->name);
  write_value (writer, prop, name, view);
  init_variant_writer_close_entry (writer, prop_info (prop)->signature);
}

void
init_job_vtable_write_properties (InitVariantWriter *writer,
                                  InitJob           *entry)
{
  InitJobView view;

  g_return_if_fail (writer != NULL && entry != NULL);

  init_job_view_init (&view, entry);
  init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_8, FALSE);
  for (Prop prop = 0; prop < N_PROPS; prop++)
    write_entry (writer, prop, entry->name, &view);
  init_variant_writer_close_array (writer);
}

/* One property as a floating GVariant of its own type. */
static GVariant *
property_value (Prop               prop,
                const char        *name,
                const InitJobView *view)
{
  InitVariantWriter *writer = init_variant_writer_new (64);

  write_value (writer, prop, name, view);
  return init_variant_writer_finish (writer, G_VARIANT_TYPE (prop_info (prop)->signature));
}

GVariant *
init_job_vtable_diff (const char        *name,
                      const InitJobView *before,
                      const InitJobView *now)
{
  GVariantBuilder changed;
  gboolean any = FALSE;

  g_return_val_if_fail (name != NULL && before != NULL && now != NULL, NULL);

  g_variant_builder_init (&changed, G_VARIANT_TYPE_VARDICT);
  for (Prop prop = 0; prop < N_PROPS; prop++)
    {
      g_autoptr(GVariant) old = NULL;
      GVariant *after;

      if (before->klass == now->klass && prop != PROP_DELETED && prop != PROP_ENABLED)
        continue;
      old = g_variant_ref_sink (property_value (prop, name, before));
      after = property_value (prop, name, now);
      if (g_variant_equal (old, after))
        {
          g_variant_unref (g_variant_ref_sink (after));
          continue;
        }
      g_variant_builder_add (&changed, "{sv}", prop_info (prop)->name, after);
      any = TRUE;
    }
  if (!any)
    {
      g_variant_builder_clear (&changed);
      return NULL;
    }
  return g_variant_builder_end (&changed);
}

static GVariant *
job_get_property (GDBusConnection *connection,
                  const char      *sender,
                  const char      *object_path,
                  const char      *interface_name,
                  const char      *property_name,
                  GError         **error,
                  gpointer         user_data)
{
  InitManager *manager = user_data;
  InitJob *entry = init_job_subtree_lookup (init_manager_get_engine (manager),
                                            object_path);

  if (entry == NULL)
    {
      init_job_subtree_set_unknown_object (error, object_path);
      return NULL;
    }
  for (Prop prop = 0; prop < N_PROPS; prop++)
    if (g_str_equal (prop_info (prop)->name, property_name))
      {
        InitJobView view;

        init_job_view_init (&view, entry);
        return property_value (prop, entry->name, &view);
      }
  /* GDBus checks names against the interface info first; this is only a safety net. */
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
               _("No such property: %s"), property_name);
  return NULL;
}

/* ---- start, stop, restart ---- */

typedef enum
{
  VERB_START,
  VERB_STOP,
  VERB_RESTART,
} Verb;

static const char *const verb_names[] = { "start", "stop", "restart" };

static gboolean
check_usable (InitJob *entry,
              GError **error)
{
  /* The job went away while polkit was asked. */
  if (entry->engine == NULL)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB, _("Unknown job: %s"), entry->name);
      return FALSE;
    }
  return TRUE;
}

/* The instance name @env selects for a start (which may create it), or NULL with the
 * engine's INIT_ERROR_INVALID_ARGS (which carries the usage text). */
static char *
start_instance_name (InitJob   *entry,
                     GPtrArray *env,
                     GError   **error)
{
  g_autoptr(GPtrArray) full = init_env_copy (init_job_get_class_env (entry));
  char *name;

  init_env_append (full, env, TRUE);
  name = init_env_expand (entry->klass->instance, full, NULL);
  if (name == NULL)
    {
      g_autoptr(GError) local = NULL;

      if (init_job_get_instance (entry, env, &local) == NULL && local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error_literal (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                             _("Cannot expand the instance name"));
    }
  return name;
}

static gboolean
verb_run (InitCall *call,
          GError  **error)
{
  InitInstanceDoneFunc done = call->wait ? init_call_job_done : NULL;
  gpointer waiter = init_call_waiter (call);
  InitInstance *instance;
  g_autofree char *path = NULL;

  if (!check_usable (call->job, error))
    return FALSE;
  if (call->verb == VERB_STOP)
    return init_job_stop (call->job, call->env, done, waiter, error);
  if (call->verb == VERB_START)
    instance = init_job_start (call->job, call->env, done, waiter, error);
  else
    instance = init_job_restart (call->job, call->env, done, waiter, error);
  if (instance == NULL)
    return FALSE;
  /* A waiting caller gets the path when the instance is there. */
  if (!call->wait)
    {
      path = init_dbus_instance_path (instance->klass->name, instance->name);
      init_call_set_value (call, g_variant_new ("(o)", path));
    }
  return TRUE;
}

static void
handle_verb (InitManager           *manager,
             InitJob               *entry,
             GDBusMethodInvocation *invocation,
             Verb                   verb,
             const char *const     *env,
             gboolean               wait)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) table = NULL;
  g_autofree char *instance = NULL;
  InitCall *call;

  /* Reject bad input before anything else (and before any polkit prompt). */
  if (!init_dbus_check_env (env, &error) || !check_usable (entry, &error))
    {
      init_dbus_return_error (invocation, error);
      return;
    }
  table = init_env_from_strv (env);
  if (verb == VERB_START)
    instance = start_instance_name (entry, table, &error);
  else
    {
      InitInstance *job = init_job_get_instance (entry, table, &error);

      instance = job != NULL ? g_strdup (job->name) : NULL;
    }
  if (instance == NULL)
    {
      init_dbus_return_error (invocation, error);
      return;
    }

  call = init_call_new (manager, invocation, verb == VERB_STOP ? INIT_CALL_REPLY_EMPTY
                                                               : INIT_CALL_REPLY_INSTANCE_PATH,
                        verb_run);
  call->job = init_job_ref (entry);
  call->env = g_steal_pointer (&table);
  call->verb = verb;
  call->wait = wait;
  {
    const char *details[] = {
      "job", entry->name, "instance", instance, "verb", verb_names[verb], NULL
    };

    init_call_authorize (call, "org.example.Init.manage-jobs", details);
  }
}

/* ---- enable, disable ---- */

static gboolean
enable_run (InitCall *call,
            GError  **error)
{
  return check_usable (call->job, error)
         && init_job_set_enabled (call->job, call->verb != 0, error);
}

static void
handle_enable (InitManager           *manager,
               InitJob               *entry,
               GDBusMethodInvocation *invocation,
               gboolean               enabled)
{
  InitCall *call = init_call_new (manager, invocation, INIT_CALL_REPLY_EMPTY, enable_run);
  const char *details[] = { "job", entry->name, NULL };

  call->job = init_job_ref (entry);
  call->verb = enabled;
  init_call_authorize (call, "org.example.Init.enable-jobs", details);
}

/* ---- lookups ---- */

static void
handle_get_instance (InitJob               *entry,
                     GDBusMethodInvocation *invocation,
                     const char *const     *env)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) table = NULL;
  g_autofree char *path = NULL;
  InitInstance *job;

  if (!init_dbus_check_env (env, &error))
    {
      init_dbus_return_error (invocation, error);
      return;
    }
  table = init_env_from_strv (env);
  job = init_job_get_instance (entry, table, &error);
  if (job == NULL)
    {
      init_dbus_return_error (invocation, error);
      return;
    }
  path = init_dbus_instance_path (entry->name, job->name);
  init_dbus_job_complete_get_instance (NULL, invocation, path);
}

static void
handle_get_instance_by_name (InitJob               *entry,
                             GDBusMethodInvocation *invocation,
                             const char            *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  InitInstance *job;

  if (!init_dbus_check_instance_name (name, &error))
    {
      init_dbus_return_error (invocation, error);
      return;
    }
  job = init_job_lookup_instance (entry, name);
  if (job == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, INIT_ERROR, INIT_ERROR_UNKNOWN_INSTANCE,
                                             _("Unknown instance: %s"), name);
      return;
    }
  path = init_dbus_instance_path (entry->name, job->name);
  init_dbus_job_complete_get_instance_by_name (NULL, invocation, path);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Sorted by instance name (byte order), so the answer does not depend on hashing. */
static void
handle_get_all_instances (InitJob               *entry,
                          GDBusMethodInvocation *invocation)
{
  g_autoptr(GPtrArray) names = g_ptr_array_sized_new (g_hash_table_size (entry->instances));
  g_autoptr(GPtrArray) paths = g_ptr_array_new_full (g_hash_table_size (entry->instances) + 1,
                                                     g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, entry->instances);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (paths, init_dbus_instance_path (entry->name, g_ptr_array_index (names, i)));
  g_ptr_array_add (paths, NULL);
  init_dbus_job_complete_get_all_instances (NULL, invocation,
                                            (const char *const *) paths->pdata);
}

/* ---- dispatch ---- */

static void
job_method_call (GDBusConnection       *connection,
                 const char            *sender,
                 const char            *object_path,
                 const char            *interface_name,
                 const char            *method_name,
                 GVariant              *parameters,
                 GDBusMethodInvocation *invocation,
                 gpointer               user_data)
{
  InitManager *manager = user_data;
  InitJob *entry = init_job_subtree_lookup (init_manager_get_engine (manager),
                                            object_path);
  g_autofree const char **env = NULL;
  gboolean wait = FALSE;

  if (entry == NULL)
    {
      init_job_subtree_return_unknown_object (invocation);
      return;
    }

  /* GDBus has checked the signature against the interface info already. */
  if (g_str_equal (method_name, "Start") || g_str_equal (method_name, "Stop")
      || g_str_equal (method_name, "Restart"))
    {
      Verb verb = g_str_equal (method_name, "Start") ? VERB_START
                  : g_str_equal (method_name, "Stop") ? VERB_STOP : VERB_RESTART;

      g_variant_get (parameters, "(^a&sb)", &env, &wait);
      handle_verb (manager, entry, invocation, verb, env, wait);
    }
  else if (g_str_equal (method_name, "Enable") || g_str_equal (method_name, "Disable"))
    handle_enable (manager, entry, invocation, g_str_equal (method_name, "Enable"));
  else if (g_str_equal (method_name, "GetInstance"))
    {
      g_variant_get (parameters, "(^a&s)", &env);
      handle_get_instance (entry, invocation, env);
    }
  else if (g_str_equal (method_name, "GetInstanceByName"))
    {
      const char *name;

      g_variant_get (parameters, "(&s)", &name);
      handle_get_instance_by_name (entry, invocation, name);
    }
  else if (g_str_equal (method_name, "GetAllInstances"))
    handle_get_all_instances (entry, invocation);
  else if (g_str_equal (method_name, "GetLog"))
    {
      const char *instance;
      guint64 offset;
      guint32 max_bytes;

      g_variant_get (parameters, "(&stu)", &instance, &offset, &max_bytes);
      init_log_reader_handle_get_log (manager, NULL, invocation, entry->name, instance, offset,
                                      max_bytes);
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           _("No such method “%s”"), method_name);
}

const GDBusInterfaceVTable *
init_job_vtable_get (void)
{
  static const GDBusInterfaceVTable vtable = { job_method_call, job_get_property, NULL, { 0 } };

  /* Prop must follow the XML: a property added there fails here, at once. */
  init_job_subtree_check_properties (init_dbus_job_interface_info (), N_PROPS);
  return &vtable;
}
