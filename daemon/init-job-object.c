/* init-job-object.c — one job: /org/example/Init/jobs/JOB */
#define G_LOG_DOMAIN "init-job-object"

#include <glib/gi18n.h>

#include "init-authority.h"
#include "init-dbus-error.h"
#include "init-env.h"
#include "init-error.h"
#include "init-event-operator.h"
#include "init-job-object.h"
#include "init-manager.h"

struct _InitJobObject
{
  InitDBusJobSkeleton  parent_instance;

  InitManager         *manager;    /* not owned: it owns us */
  InitJobEntry        *entry;
  GDBusObjectSkeleton *object;
  char                *path;
  GHashTable          *instances;  /* InitJob* -> InitInstanceObject* (owned) */
  gboolean             deleted;    /* as last sent */
};

static void init_job_object_iface_init (InitDBusJobIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InitJobObject, init_job_object, INIT_DBUS_TYPE_JOB_SKELETON,
                               G_IMPLEMENT_INTERFACE (INIT_DBUS_TYPE_JOB,
                                                      init_job_object_iface_init))

/* ---- properties ---- */

static GVariant *
string_or_empty (const char *value)
{
  return g_variant_new_string (value != NULL ? value : "");
}

static GVariant *
strv_from_array (GPtrArray *array)
{
  if (array == NULL)
    return g_variant_new_strv (NULL, 0);
  return g_variant_new_strv ((const char * const *) array->pdata, array->len);
}

static GVariant *
operator_text (const InitEventOperator *op)
{
  g_autofree char *text = op != NULL ? init_event_operator_to_string (op) : NULL;

  return string_or_empty (text);
}

static GVariant *
operator_tree (const InitEventOperator *op)
{
  g_autoptr(GPtrArray) rpn = init_event_operator_to_rpn (op);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aas"));
  for (guint i = 0; rpn != NULL && i < rpn->len; i++)
    g_variant_builder_add_value (&builder,
                                 g_variant_new_strv (g_ptr_array_index (rpn, i), -1));
  return g_variant_builder_end (&builder);
}

static GVariant *
defined_processes (const InitJobClass *klass)
{
  const char *names[INIT_PROCESS_N + 1];
  guint n = 0;

  for (guint i = 0; i < INIT_PROCESS_N; i++)
    if (klass->process[i].command != NULL)
      names[n++] = init_process_type_to_string (i);
  names[n] = NULL;
  return g_variant_new_strv (names, n);
}

/* Every property, in the XML's order, straight from the current definition. */
static GVariant *
build_properties (InitJobObject *self)
{
  const InitJobClass *k = self->entry->klass;
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "Name", g_variant_new_string (self->entry->name));
  g_variant_builder_add (&b, "{sv}", "Description", string_or_empty (k->description));
  g_variant_builder_add (&b, "{sv}", "Author", string_or_empty (k->author));
  g_variant_builder_add (&b, "{sv}", "Version", string_or_empty (k->version));
  g_variant_builder_add (&b, "{sv}", "Usage", string_or_empty (k->usage));
  g_variant_builder_add (&b, "{sv}", "ConfigFile", string_or_empty (k->path));
  g_variant_builder_add (&b, "{sv}", "OverrideFile", string_or_empty (k->override_path));
  g_variant_builder_add (&b, "{sv}", "StartOn", operator_text (k->start_on));
  g_variant_builder_add (&b, "{sv}", "StopOn", operator_text (k->stop_on));
  g_variant_builder_add (&b, "{sv}", "StartOnTree", operator_tree (k->start_on));
  g_variant_builder_add (&b, "{sv}", "StopOnTree", operator_tree (k->stop_on));
  g_variant_builder_add (&b, "{sv}", "Emits", strv_from_array (k->emits));
  g_variant_builder_add (&b, "{sv}", "Task", g_variant_new_boolean (k->task));
  g_variant_builder_add (&b, "{sv}", "Respawn", g_variant_new_boolean (k->respawn));
  g_variant_builder_add (&b, "{sv}", "RespawnLimit",
                         g_variant_new ("(uu)", (guint32) MAX (k->respawn_limit, 0),
                                        (guint32) MAX (k->respawn_interval, 0)));
  g_variant_builder_add (&b, "{sv}", "InstancePattern", string_or_empty (k->instance));
  g_variant_builder_add (&b, "{sv}", "Console",
                         g_variant_new_string (init_console_type_to_string (k->console)));
  g_variant_builder_add (&b, "{sv}", "KillTimeout",
                         g_variant_new_uint32 ((guint32) MAX (k->kill_timeout, 0)));
  g_variant_builder_add (&b, "{sv}", "DefinedProcesses", defined_processes (k));
  g_variant_builder_add (&b, "{sv}", "Deleted", g_variant_new_boolean (self->entry->deleted));
  return g_variant_builder_end (&b);
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
  g_autoptr(GVariant) all = g_variant_ref_sink (build_properties (INIT_JOB_OBJECT (user_data)));
  GVariant *value = g_variant_lookup_value (all, property_name, NULL);

  if (value == NULL)
    g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
                 _("No such property: %s"), property_name);
  return value;
}

static GDBusInterfaceVTable *
init_job_object_get_vtable (GDBusInterfaceSkeleton *skeleton)
{
  static GDBusInterfaceVTable vtable;

  /* The generated method dispatch, with properties read from the engine. */
  if (vtable.method_call == NULL)
    {
      vtable = *G_DBUS_INTERFACE_SKELETON_CLASS (init_job_object_parent_class)->get_vtable (skeleton);
      vtable.get_property = job_get_property;
      vtable.set_property = NULL;
    }
  return &vtable;
}

static GVariant *
init_job_object_get_properties (GDBusInterfaceSkeleton *skeleton)
{
  /* Floating, as GDBusInterfaceSkeleton expects. */
  return build_properties (INIT_JOB_OBJECT (skeleton));
}

void
init_job_object_changed (InitJobObject *self)
{
  g_return_if_fail (INIT_IS_JOB_OBJECT (self));

  self->deleted = self->entry->deleted;
  init_dbus_emit_properties_changed (G_DBUS_INTERFACE_SKELETON (self), build_properties (self));
}

/* The engine flips `deleted` without a signal; notice it whenever an instance moves. */
static void
check_deleted (InitJobObject *self)
{
  if (self->entry->deleted != self->deleted)
    {
      GVariantBuilder b;

      self->deleted = self->entry->deleted;
      g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&b, "{sv}", "Deleted", g_variant_new_boolean (self->deleted));
      init_dbus_emit_properties_changed (G_DBUS_INTERFACE_SKELETON (self), g_variant_builder_end (&b));
    }
}

/* ---- instances ---- */

void
init_job_object_instance_added (InitJobObject *self,
                                InitJob       *job)
{
  GDBusObjectManagerServer *om = init_manager_get_object_manager (self->manager);
  InitInstanceObject *inst;

  g_return_if_fail (INIT_IS_JOB_OBJECT (self));

  if (g_hash_table_contains (self->instances, job))
    return;
  inst = init_instance_object_new (self->manager, job);
  g_hash_table_insert (self->instances, job, inst);
  g_dbus_object_manager_server_export (om, init_instance_object_get_object (inst));
  init_dbus_job_emit_instance_added (INIT_DBUS_JOB (self), init_instance_object_get_path (inst));
}

void
init_job_object_instance_changed (InitJobObject *self,
                                  InitJob       *job)
{
  InitInstanceObject *inst;

  g_return_if_fail (INIT_IS_JOB_OBJECT (self));

  inst = g_hash_table_lookup (self->instances, job);
  if (inst == NULL)
    {
      init_job_object_instance_added (self, job);
      inst = g_hash_table_lookup (self->instances, job);
    }
  init_instance_object_changed (inst);
  check_deleted (self);
}

static void
unexport_instance (InitJobObject      *self,
                   InitInstanceObject *inst)
{
  GDBusObjectManagerServer *om = init_manager_get_object_manager (self->manager);
  GDBusObjectSkeleton *object = init_instance_object_get_object (inst);

  g_dbus_object_manager_server_unexport (om, init_instance_object_get_path (inst));
  /* The object skeleton and its interface refer to each other: break the cycle. */
  g_dbus_object_skeleton_remove_interface (object, G_DBUS_INTERFACE_SKELETON (inst));
}

void
init_job_object_instance_removed (InitJobObject *self,
                                  InitJob       *job)
{
  InitInstanceObject *inst;
  g_autofree char *path = NULL;

  g_return_if_fail (INIT_IS_JOB_OBJECT (self));

  inst = g_hash_table_lookup (self->instances, job);
  if (inst == NULL)
    return;
  /* Last values first (state waiting), so a client following PropertiesChanged sees them. */
  init_instance_object_changed (inst);
  path = g_strdup (init_instance_object_get_path (inst));
  unexport_instance (self, inst);
  g_hash_table_remove (self->instances, job);
  init_dbus_job_emit_instance_removed (INIT_DBUS_JOB (self), path);
  check_deleted (self);
}

void
init_job_object_clear (InitJobObject *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (INIT_IS_JOB_OBJECT (self));

  g_hash_table_iter_init (&iter, self->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      unexport_instance (self, value);
      g_hash_table_iter_remove (&iter);
    }
}

/* ---- methods ---- */

typedef enum
{
  VERB_START,
  VERB_STOP,
  VERB_RESTART,
} Verb;

static const char * const verb_names[] = { "start", "stop", "restart" };

typedef struct
{
  InitJobObject         *self;
  GDBusMethodInvocation *invocation;
  Verb                   verb;
  GPtrArray             *env;
  gboolean               wait;
} JobCall;

static void
job_call_free (JobCall *call)
{
  g_clear_object (&call->self);
  g_assert (call->invocation == NULL);
  g_clear_pointer (&call->env, g_ptr_array_unref);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JobCall, job_call_free)

static gboolean
check_usable (InitJobObject  *self,
              GError        **error)
{
  if (self->entry->engine == NULL)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB, _("Unknown job: %s"), self->entry->name);
      return FALSE;
    }
  return TRUE;
}

/* The instance name @env selects for a start (which may create it), or NULL with the
 * engine's INIT_ERROR_INVALID_ARGS (which carries the usage text). */
static char *
start_instance_name (InitJobEntry  *entry,
                     GPtrArray     *env,
                     GError       **error)
{
  g_autoptr(GPtrArray) full = init_env_copy (init_job_entry_get_class_env (entry));
  char *name;

  init_env_append (full, env, TRUE);
  name = init_env_expand (entry->klass->instance, full, NULL);
  if (name == NULL)
    {
      g_autoptr(GError) local = NULL;

      if (init_job_entry_get_instance (entry, env, &local) == NULL && local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error_literal (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                             _("Cannot expand the instance name"));
    }
  return name;
}

static void
authorized_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JobCall) call = user_data;
  InitJobObject *self = call->self;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  InitParked *parked = NULL;
  InitJob *job = NULL;
  gboolean ok = FALSE;
  static const InitParkedKind kinds[] = {
    INIT_PARKED_JOB_START, INIT_PARKED_JOB_STOP, INIT_PARKED_JOB_RESTART
  };

  caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  if (caller == NULL || !check_usable (self, &error))
    {
      init_dbus_return_error (g_steal_pointer (&call->invocation), error);
      return;
    }

  if (call->wait)
    parked = init_manager_park (self->manager, g_steal_pointer (&call->invocation), kinds[call->verb]);

  init_manager_push_caller (self->manager, caller);
  switch (call->verb)
    {
    case VERB_START:
      job = init_job_entry_start (self->entry, call->env, parked ? init_manager_job_done : NULL,
                                  parked, &error);
      ok = job != NULL;
      break;
    case VERB_STOP:
      ok = init_job_entry_stop (self->entry, call->env, parked ? init_manager_job_done : NULL,
                                parked, &error);
      break;
    case VERB_RESTART:
    default:
      job = init_job_entry_restart (self->entry, call->env, parked ? init_manager_job_done : NULL,
                                    parked, &error);
      ok = job != NULL;
      break;
    }
  init_manager_pop_caller (self->manager);

  if (parked != NULL && !ok)
    call->invocation = init_parked_take (parked);
  if (!ok)
    init_dbus_return_error (g_steal_pointer (&call->invocation), error);
  else if (parked == NULL)
    {
      g_autofree char *path = job != NULL ? init_dbus_instance_path (job->klass->name, job->name) : NULL;

      if (call->verb == VERB_START)
        init_dbus_job_complete_start (NULL, g_steal_pointer (&call->invocation), path);
      else if (call->verb == VERB_STOP)
        init_dbus_job_complete_stop (NULL, g_steal_pointer (&call->invocation));
      else
        init_dbus_job_complete_restart (NULL, g_steal_pointer (&call->invocation), path);
    }
}

static gboolean
handle_verb (InitJobObject         *self,
             GDBusMethodInvocation *invocation,
             Verb                   verb,
             const char * const    *env,
             gboolean               wait)
{
  g_autoptr(JobCall) call = g_new0 (JobCall, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *instance = NULL;

  call->self = g_object_ref (self);
  call->invocation = invocation;
  call->verb = verb;
  call->wait = wait;

  /* Reject bad input before anything else (and before any polkit prompt). */
  if (!init_dbus_check_env (env, &error) || !check_usable (self, &error))
    {
      init_dbus_return_error (g_steal_pointer (&call->invocation), error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  call->env = init_env_from_strv (env);
  if (verb == VERB_START)
    instance = start_instance_name (self->entry, call->env, &error);
  else
    {
      InitJob *job = init_job_entry_get_instance (self->entry, call->env, &error);
      instance = job != NULL ? g_strdup (job->name) : NULL;
    }
  if (instance == NULL)
    {
      init_dbus_return_error (g_steal_pointer (&call->invocation), error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  {
    const char *details[] = {
      "job", self->entry->name, "instance", instance, "verb", verb_names[verb], NULL
    };

    init_authority_check_async (init_manager_get_authority (self->manager), invocation,
                                "org.example.Init.manage-jobs", details, NULL,
                                authorized_cb, g_steal_pointer (&call));
  }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_start (InitDBusJob           *object,
              GDBusMethodInvocation *invocation,
              const char * const    *env,
              gboolean               wait)
{
  return handle_verb (INIT_JOB_OBJECT (object), invocation, VERB_START, env, wait);
}

static gboolean
handle_stop (InitDBusJob           *object,
             GDBusMethodInvocation *invocation,
             const char * const    *env,
             gboolean               wait)
{
  return handle_verb (INIT_JOB_OBJECT (object), invocation, VERB_STOP, env, wait);
}

static gboolean
handle_restart (InitDBusJob           *object,
                GDBusMethodInvocation *invocation,
                const char * const    *env,
                gboolean               wait)
{
  return handle_verb (INIT_JOB_OBJECT (object), invocation, VERB_RESTART, env, wait);
}

static gboolean
handle_get_instance (InitDBusJob           *object,
                     GDBusMethodInvocation *invocation,
                     const char * const    *env)
{
  InitJobObject *self = INIT_JOB_OBJECT (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) table = NULL;
  g_autofree char *path = NULL;
  InitJob *job;

  if (!init_dbus_check_env (env, &error))
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  table = init_env_from_strv (env);
  job = init_job_entry_get_instance (self->entry, table, &error);
  if (job == NULL)
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  path = init_dbus_instance_path (self->entry->name, job->name);
  init_dbus_job_complete_get_instance (object, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_instance_by_name (InitDBusJob           *object,
                             GDBusMethodInvocation *invocation,
                             const char            *name)
{
  InitJobObject *self = INIT_JOB_OBJECT (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  InitJob *job;

  if (!init_dbus_check_instance_name (name, &error))
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  job = init_job_entry_lookup_instance (self->entry, name);
  if (job == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, INIT_ERROR, INIT_ERROR_UNKNOWN_INSTANCE,
                                             _("Unknown instance: %s"), name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  path = init_dbus_instance_path (self->entry->name, job->name);
  init_dbus_job_complete_get_instance_by_name (object, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_all_instances (InitDBusJob           *object,
                          GDBusMethodInvocation *invocation)
{
  InitJobObject *self = INIT_JOB_OBJECT (object);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (paths, g_strdup (init_instance_object_get_path (value)));
  g_ptr_array_sort (paths, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (paths, NULL);
  init_dbus_job_complete_get_all_instances (object, invocation,
                                            (const char * const *) paths->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
init_job_object_iface_init (InitDBusJobIface *iface)
{
  iface->handle_start = handle_start;
  iface->handle_stop = handle_stop;
  iface->handle_restart = handle_restart;
  iface->handle_get_instance = handle_get_instance;
  iface->handle_get_instance_by_name = handle_get_instance_by_name;
  iface->handle_get_all_instances = handle_get_all_instances;
}

/* ---- GObject ---- */

static void
init_job_object_finalize (GObject *object)
{
  InitJobObject *self = INIT_JOB_OBJECT (object);

  g_hash_table_unref (self->instances);
  g_clear_pointer (&self->entry, init_job_entry_unref);
  g_clear_object (&self->object);
  g_free (self->path);

  G_OBJECT_CLASS (init_job_object_parent_class)->finalize (object);
}

static void
init_job_object_class_init (InitJobObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS (klass);

  object_class->finalize = init_job_object_finalize;
  skeleton_class->get_vtable = init_job_object_get_vtable;
  skeleton_class->get_properties = init_job_object_get_properties;
}

static void
init_job_object_init (InitJobObject *self)
{
  self->instances = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
}

InitJobObject *
init_job_object_new (InitManager  *manager,
                     InitJobEntry *entry)
{
  InitJobObject *self;

  g_return_val_if_fail (INIT_IS_MANAGER (manager), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (INIT_TYPE_JOB_OBJECT, NULL);
  self->manager = manager;
  self->entry = init_job_entry_ref (entry);
  self->deleted = entry->deleted;
  self->path = init_dbus_job_path (entry->name);
  self->object = g_dbus_object_skeleton_new (self->path);
  g_dbus_object_skeleton_add_interface (self->object, G_DBUS_INTERFACE_SKELETON (self));
  return self;
}

GDBusObjectSkeleton *
init_job_object_get_object (InitJobObject *self)
{
  g_return_val_if_fail (INIT_IS_JOB_OBJECT (self), NULL);
  return self->object;
}

const char *
init_job_object_get_path (InitJobObject *self)
{
  g_return_val_if_fail (INIT_IS_JOB_OBJECT (self), NULL);
  return self->path;
}

InitJobEntry *
init_job_object_get_entry (InitJobObject *self)
{
  g_return_val_if_fail (INIT_IS_JOB_OBJECT (self), NULL);
  return self->entry;
}
