/* init-instance-object.c — one instance: /org/example/Init/jobs/JOB/INSTANCE */
#define G_LOG_DOMAIN "init-instance-object"

#include <glib/gi18n.h>

#include "init-authority.h"
#include "init-dbus-error.h"
#include "init-error.h"
#include "init-instance-object.h"
#include "init-manager.h"
#include "init-process.h"

struct _InitInstanceObject
{
  InitDBusInstanceSkeleton  parent_instance;

  InitManager              *manager;   /* not owned: it owns us */
  InitJob                  *job;
  GDBusObjectSkeleton      *object;
  char                     *path;
  char                     *job_path;
  GVariant                 *last;      /* the properties last sent (a{sv}) */
};

static void init_instance_object_iface_init (InitDBusInstanceIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InitInstanceObject, init_instance_object,
                               INIT_DBUS_TYPE_INSTANCE_SKELETON,
                               G_IMPLEMENT_INTERFACE (INIT_DBUS_TYPE_INSTANCE,
                                                      init_instance_object_iface_init))

/* ---- properties ---- */

static GVariant *
build_processes (InitJob *job)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(si)"));
  for (guint i = 0; i < INIT_PROCESS_N; i++)
    if (job->pid[i] > 0)
      g_variant_builder_add (&builder, "(si)", init_process_type_to_string (i), (gint32) job->pid[i]);
  return g_variant_builder_end (&builder);
}

/* Every property, in the XML's order. */
static GVariant *
build_properties (InitInstanceObject *self)
{
  InitJob *job = self->job;
  GVariantBuilder builder;
  const char *failed_process = "";
  g_autofree char *signal = NULL;
  int exit_status = -1;

  if (job->failed)
    {
      failed_process = job->failed_process == INIT_PROCESS_NONE
                       ? "respawn" : init_process_type_to_string (job->failed_process);
      if (job->exit_status != -1 && (job->exit_status & ~0xff))
        signal = init_signal_to_name (job->exit_status >> 8);
      else if (job->failed_process != INIT_PROCESS_NONE)
        exit_status = job->exit_status;
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "Name", g_variant_new_string (job->name));
  g_variant_builder_add (&builder, "{sv}", "Job", g_variant_new_object_path (self->job_path));
  g_variant_builder_add (&builder, "{sv}", "Goal", g_variant_new_string (init_job_goal_to_string (job->goal)));
  g_variant_builder_add (&builder, "{sv}", "State", g_variant_new_string (init_job_state_to_string (job->state)));
  g_variant_builder_add (&builder, "{sv}", "Processes", build_processes (job));
  g_variant_builder_add (&builder, "{sv}", "Failed", g_variant_new_boolean (job->failed));
  g_variant_builder_add (&builder, "{sv}", "FailedProcess", g_variant_new_string (failed_process));
  g_variant_builder_add (&builder, "{sv}", "ExitStatus", g_variant_new_int32 (exit_status));
  g_variant_builder_add (&builder, "{sv}", "ExitSignal", g_variant_new_string (signal != NULL ? signal : ""));
  g_variant_builder_add (&builder, "{sv}", "FailedAt",
                         g_variant_new_uint64 (job->failed ? (guint64) job->failed_time : 0));
  g_variant_builder_add (&builder, "{sv}", "RespawnCount",
                         g_variant_new_uint32 ((guint32) MAX (job->respawn_count, 0)));
  return g_variant_builder_end (&builder);
}

static GVariant *
instance_get_property (GDBusConnection *connection,
                       const char      *sender,
                       const char      *object_path,
                       const char      *interface_name,
                       const char      *property_name,
                       GError         **error,
                       gpointer         user_data)
{
  g_autoptr(GVariant) all = build_properties (INIT_INSTANCE_OBJECT (user_data));
  GVariant *value = g_variant_lookup_value (all, property_name, NULL);

  if (value == NULL)
    g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
                 _("No such property: %s"), property_name);
  return value;
}

static GDBusInterfaceVTable *
init_instance_object_get_vtable (GDBusInterfaceSkeleton *skeleton)
{
  static GDBusInterfaceVTable vtable;

  /* The generated method dispatch, with properties read from the engine. */
  if (vtable.method_call == NULL)
    {
      vtable = *G_DBUS_INTERFACE_SKELETON_CLASS (init_instance_object_parent_class)->get_vtable (skeleton);
      vtable.get_property = instance_get_property;
      vtable.set_property = NULL;
    }
  return &vtable;
}

static GVariant *
init_instance_object_get_properties (GDBusInterfaceSkeleton *skeleton)
{
  /* Floating, as GDBusInterfaceSkeleton expects. */
  return build_properties (INIT_INSTANCE_OBJECT (skeleton));
}

void
init_instance_object_changed (InitInstanceObject *self)
{
  g_autoptr(GVariant) now = NULL;
  GVariantBuilder changed;
  GVariantIter iter;
  const char *key;
  GVariant *value;
  gboolean any = FALSE;

  g_return_if_fail (INIT_IS_INSTANCE_OBJECT (self));

  now = g_variant_ref_sink (build_properties (self));
  g_variant_builder_init (&changed, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, now);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) old = self->last != NULL ? g_variant_lookup_value (self->last, key, NULL) : NULL;

      if (old == NULL || !g_variant_equal (old, value))
        {
          g_variant_builder_add (&changed, "{sv}", key, value);
          any = TRUE;
        }
      g_variant_unref (value);
    }
  g_clear_pointer (&self->last, g_variant_unref);
  self->last = g_steal_pointer (&now);
  if (any)
    init_dbus_emit_properties_changed (G_DBUS_INTERFACE_SKELETON (self),
                                       g_variant_builder_end (&changed));
  else
    g_variant_builder_clear (&changed);
}

/* ---- methods ---- */

typedef enum
{
  VERB_START,
  VERB_STOP,
  VERB_RESTART,
  VERB_RELOAD,
} Verb;

static const char * const verb_names[] = { "start", "stop", "restart", "reload" };

typedef struct
{
  InitInstanceObject    *self;
  GDBusMethodInvocation *invocation;
  Verb                   verb;
  gboolean               wait;
} InstanceCall;

static void
instance_call_free (InstanceCall *call)
{
  g_clear_object (&call->self);
  /* Only set here if the call was never answered: that cannot happen by design. */
  g_assert (call->invocation == NULL);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InstanceCall, instance_call_free)

static void
complete_now (GDBusMethodInvocation *invocation,
              Verb                   verb)
{
  switch (verb)
    {
    case VERB_START:
      init_dbus_instance_complete_start (NULL, invocation);
      break;
    case VERB_STOP:
      init_dbus_instance_complete_stop (NULL, invocation);
      break;
    case VERB_RESTART:
      init_dbus_instance_complete_restart (NULL, invocation);
      break;
    case VERB_RELOAD:
      init_dbus_instance_complete_reload (NULL, invocation);
      break;
    }
}

static void
authorized_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(InstanceCall) call = user_data;
  InitInstanceObject *self = call->self;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  InitParked *parked = NULL;
  gboolean ok;

  caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  if (caller == NULL)
    {
      init_dbus_return_error (g_steal_pointer (&call->invocation), error);
      return;
    }
  /* The instance may have finished while we asked. */
  if (self->job->removed)
    {
      g_autofree char *display = init_job_display_name (self->job);
      g_dbus_method_invocation_return_error (g_steal_pointer (&call->invocation), INIT_ERROR,
                                             INIT_ERROR_UNKNOWN_INSTANCE,
                                             _("Unknown instance: %s"), display);
      return;
    }

  if (call->wait && call->verb != VERB_RELOAD)
    parked = init_manager_park (self->manager, g_steal_pointer (&call->invocation),
                                INIT_PARKED_INSTANCE);

  init_manager_push_caller (self->manager, caller);
  switch (call->verb)
    {
    case VERB_START:
      ok = init_job_start (self->job, parked ? init_manager_job_done : NULL, parked, &error);
      break;
    case VERB_STOP:
      ok = init_job_stop (self->job, NULL, parked ? init_manager_job_done : NULL, parked, &error);
      break;
    case VERB_RESTART:
      ok = init_job_restart (self->job, NULL, parked ? init_manager_job_done : NULL, parked, &error);
      break;
    case VERB_RELOAD:
    default:
      ok = init_job_reload (self->job, &error);
      break;
    }
  init_manager_pop_caller (self->manager);

  /* A refused command registered no waiter: the parked caller is still ours to answer. */
  if (parked != NULL && !ok)
    call->invocation = init_parked_take (parked);
  if (!ok)
    init_dbus_return_error (g_steal_pointer (&call->invocation), error);
  else if (parked == NULL)
    complete_now (g_steal_pointer (&call->invocation), call->verb);
}

static gboolean
handle_verb (InitInstanceObject    *self,
             GDBusMethodInvocation *invocation,
             Verb                   verb,
             gboolean               wait)
{
  InstanceCall *call = g_new0 (InstanceCall, 1);
  const char *details[] = {
    "job", self->job->klass->name, "instance", self->job->name, "verb", verb_names[verb], NULL
  };

  call->self = g_object_ref (self);
  call->invocation = invocation;
  call->verb = verb;
  call->wait = wait;
  init_authority_check_async (init_manager_get_authority (self->manager), invocation,
                              "org.example.Init.manage-jobs", details, NULL,
                              authorized_cb, call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_start (InitDBusInstance      *object,
              GDBusMethodInvocation *invocation,
              gboolean               wait)
{
  return handle_verb (INIT_INSTANCE_OBJECT (object), invocation, VERB_START, wait);
}

static gboolean
handle_stop (InitDBusInstance      *object,
             GDBusMethodInvocation *invocation,
             gboolean               wait)
{
  return handle_verb (INIT_INSTANCE_OBJECT (object), invocation, VERB_STOP, wait);
}

static gboolean
handle_restart (InitDBusInstance      *object,
                GDBusMethodInvocation *invocation,
                gboolean               wait)
{
  return handle_verb (INIT_INSTANCE_OBJECT (object), invocation, VERB_RESTART, wait);
}

static gboolean
handle_reload (InitDBusInstance      *object,
               GDBusMethodInvocation *invocation)
{
  return handle_verb (INIT_INSTANCE_OBJECT (object), invocation, VERB_RELOAD, FALSE);
}

static void
init_instance_object_iface_init (InitDBusInstanceIface *iface)
{
  iface->handle_start = handle_start;
  iface->handle_stop = handle_stop;
  iface->handle_restart = handle_restart;
  iface->handle_reload = handle_reload;
}

/* ---- GObject ---- */

static void
init_instance_object_finalize (GObject *object)
{
  InitInstanceObject *self = INIT_INSTANCE_OBJECT (object);

  g_clear_pointer (&self->job, init_job_unref);
  g_clear_pointer (&self->last, g_variant_unref);
  g_clear_object (&self->object);
  g_free (self->path);
  g_free (self->job_path);

  G_OBJECT_CLASS (init_instance_object_parent_class)->finalize (object);
}

static void
init_instance_object_class_init (InitInstanceObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS (klass);

  object_class->finalize = init_instance_object_finalize;
  skeleton_class->get_vtable = init_instance_object_get_vtable;
  skeleton_class->get_properties = init_instance_object_get_properties;
}

static void
init_instance_object_init (InitInstanceObject *self)
{
}

InitInstanceObject *
init_instance_object_new (InitManager *manager,
                          InitJob     *job)
{
  InitInstanceObject *self;

  g_return_val_if_fail (INIT_IS_MANAGER (manager), NULL);
  g_return_val_if_fail (job != NULL, NULL);

  self = g_object_new (INIT_TYPE_INSTANCE_OBJECT, NULL);
  self->manager = manager;
  self->job = init_job_ref (job);
  self->path = init_dbus_instance_path (job->klass->name, job->name);
  self->job_path = init_dbus_job_path (job->klass->name);
  self->last = g_variant_ref_sink (build_properties (self));
  self->object = g_dbus_object_skeleton_new (self->path);
  g_dbus_object_skeleton_add_interface (self->object, G_DBUS_INTERFACE_SKELETON (self));
  return self;
}

GDBusObjectSkeleton *
init_instance_object_get_object (InitInstanceObject *self)
{
  g_return_val_if_fail (INIT_IS_INSTANCE_OBJECT (self), NULL);
  return self->object;
}

const char *
init_instance_object_get_path (InitInstanceObject *self)
{
  g_return_val_if_fail (INIT_IS_INSTANCE_OBJECT (self), NULL);
  return self->path;
}
