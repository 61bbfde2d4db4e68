/* init-instance-vtable.c — org.example.Init.Instance at /org/example/Init/jobs/JOB/INSTANCE */
#define G_LOG_DOMAIN "init-instance-vtable"

#include <glib/gi18n.h>
#include <string.h>

#include "init-call.h"
#include "init-dbus-error.h"
#include "init-dbus-generated.h"
#include "init-error.h"
#include "init-instance-vtable.h"
#include "init-kernel-names.h"
#include "init-manager.h"
#include "init-job-subtree.h"
#include "init-object-tree.h"
#include "init-process-tree-reader.h"
#include "init-process.h"

/* ---- what a client sees ---- */

typedef enum
{
  PROP_NAME,
  PROP_JOB,
  PROP_GOAL,
  PROP_STATE,
  PROP_PROCESSES,
  PROP_FAILED,
  PROP_FAILED_PROCESS,
  PROP_EXIT_STATUS,
  PROP_EXIT_SIGNAL,
  PROP_FAILED_AT,
  PROP_RESPAWN_COUNT,
  N_PROPS
} Prop;

/* A property's name and type, from the generated interface info: Prop follows the XML's
 * order (init_instance_vtable_get() checks the count; the tests read every property by name). */
static const GDBusPropertyInfo *
prop_info (Prop prop)
{
  return init_dbus_instance_interface_info ()->properties[prop];
}

void
init_instance_view_init (InitInstanceView *view,
                         InitInstance     *job)
{
  g_return_if_fail (view != NULL && job != NULL);

  memset (view, 0, sizeof *view);
  view->goal = job->goal;
  view->state = job->state;
  memcpy (view->pid, job->pid, sizeof view->pid);
  view->failed = job->failed;
  view->failed_process = "";
  view->exit_status = -1;
  if (job->failed)
    {
      view->failed_process = job->failed_process == INIT_PROCESS_NONE
                             ? "respawn" : init_process_type_to_string (job->failed_process);
      /* exit_status is the exit code, signum << 8 when killed, -1 when it never ran. */
      if (job->exit_status != -1 && (job->exit_status & ~0xff))
        view->exit_signal = job->exit_status >> 8;
      else if (job->failed_process != INIT_PROCESS_NONE)
        view->exit_status = job->exit_status;
      view->failed_at = (guint64) job->failed_time;
    }
  view->respawn_count = (guint32) MAX (job->respawn_count, 0);
}

guint
init_instance_view_diff (const InitInstanceView *a,
                         const InitInstanceView *b)
{
  guint mask = 0;

  g_return_val_if_fail (a != NULL && b != NULL, 0);

  if (a->goal != b->goal)
    mask |= 1u << PROP_GOAL;
  if (a->state != b->state)
    mask |= 1u << PROP_STATE;
  for (guint i = 0; i < INIT_PROCESS_N; i++)
    if ((a->pid[i] > 0 ? a->pid[i] : 0) != (b->pid[i] > 0 ? b->pid[i] : 0))
      mask |= 1u << PROP_PROCESSES;
  if (a->failed != b->failed)
    mask |= 1u << PROP_FAILED;
  if (!g_str_equal (a->failed_process, b->failed_process))
    mask |= 1u << PROP_FAILED_PROCESS;
  if (a->exit_status != b->exit_status)
    mask |= 1u << PROP_EXIT_STATUS;
  if (a->exit_signal != b->exit_signal)
    mask |= 1u << PROP_EXIT_SIGNAL;
  if (a->failed_at != b->failed_at)
    mask |= 1u << PROP_FAILED_AT;
  if (a->respawn_count != b->respawn_count)
    mask |= 1u << PROP_RESPAWN_COUNT;
  return mask;
}

static void
write_value (InitVariantWriter      *writer,
             Prop                    prop,
             InitInstance           *job,
             const char             *job_path,
             const InitInstanceView *view)
{
  switch (prop)
    {
    case PROP_NAME:
      init_variant_writer_string (writer, job->name);
      break;
    case PROP_JOB:
      init_variant_writer_string (writer, job_path);
      break;
    case PROP_GOAL:
      init_variant_writer_string (writer, init_goal_to_string (view->goal));
      break;
    case PROP_STATE:
      init_variant_writer_string (writer, init_state_to_string (view->state));
      break;
    case PROP_PROCESSES:
      init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_4, FALSE);
      for (guint i = 0; i < INIT_PROCESS_N; i++)
        if (view->pid[i] > 0)
          {
            init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_4, FALSE);
            init_variant_writer_string (writer, init_process_type_to_string (i));
            init_variant_writer_int32 (writer, (gint32) view->pid[i]);
            init_variant_writer_close_tuple (writer);
          }
      init_variant_writer_close_array (writer);
      break;
    case PROP_FAILED:
      init_variant_writer_boolean (writer, view->failed);
      break;
    case PROP_FAILED_PROCESS:
      init_variant_writer_string (writer, view->failed_process);
      break;
    case PROP_EXIT_STATUS:
      init_variant_writer_int32 (writer, view->exit_status);
      break;
    case PROP_EXIT_SIGNAL:
      {
        g_autofree char *name = view->exit_signal != 0 ? init_signal_to_name (view->exit_signal) : NULL;

        init_variant_writer_string (writer, name);
      }
      break;
    case PROP_FAILED_AT:
      init_variant_writer_uint64 (writer, view->failed_at);
      break;
    case PROP_RESPAWN_COUNT:
      init_variant_writer_uint32 (writer, view->respawn_count);
      break;
    case N_PROPS:
    default:
      g_assert_not_reached ();
    }
}

void
init_instance_vtable_write_properties (InitVariantWriter      *writer,
                                       InitInstance           *job,
                                       const char             *job_path,
                                       const InitInstanceView *view,
                                       guint                   mask)
{
  g_return_if_fail (writer != NULL && job != NULL && job_path != NULL && view != NULL);

  init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_8, FALSE);
  for (Prop prop = 0; prop < N_PROPS; prop++)
    if (mask & (1u << prop))
      {
        init_variant_writer_open_entry (writer, prop_info (prop)->name);
        write_value (writer, prop, job, job_path, view);
        init_variant_writer_close_entry (writer, prop_info (prop)->signature);
      }
  init_variant_writer_close_array (writer);
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
  InitManager *manager = user_data;
  InitInstance *job = init_object_tree_lookup_instance (init_manager_get_object_tree (manager),
                                                        object_path);
  InitInstanceView view;

  if (job == NULL)
    {
      init_job_subtree_set_unknown_object (error, object_path);
      return NULL;
    }
  init_instance_view_init (&view, job);
  for (Prop prop = 0; prop < N_PROPS; prop++)
    if (g_str_equal (prop_info (prop)->name, property_name))
      {
        InitVariantWriter *writer = init_variant_writer_new (64);
        g_autofree char *job_path = init_dbus_job_path (job->klass->name);

        write_value (writer, prop, job, job_path, &view);
        return init_variant_writer_finish (writer, G_VARIANT_TYPE (prop_info (prop)->signature));
      }
  /* GDBus checks names against the interface info first; this is only a safety net. */
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
               _("No such property: %s"), property_name);
  return NULL;
}

/* ---- methods ---- */

typedef enum
{
  VERB_START,
  VERB_STOP,
  VERB_RESTART,
  VERB_RELOAD,
} Verb;

static const char *const verb_names[] = { "start", "stop", "restart", "reload" };

static gboolean
verb_run (InitCall *call,
          GError  **error)
{
  InitInstanceDoneFunc done = call->wait ? init_call_job_done : NULL;
  gpointer waiter = init_call_waiter (call);

  /* The instance may have finished while we asked. */
  if (call->instance->removed)
    {
      g_autofree char *display = init_instance_display_name (call->instance);

      g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_INSTANCE, _("Unknown instance: %s"),
                   display);
      return FALSE;
    }
  switch (call->verb)
    {
    case VERB_START:
      return init_instance_start (call->instance, done, waiter, error);
    case VERB_STOP:
      return init_instance_stop (call->instance, NULL, done, waiter, error);
    case VERB_RESTART:
      return init_instance_restart (call->instance, NULL, done, waiter, error);
    case VERB_RELOAD:
    default:
      return init_instance_reload (call->instance, error);
    }
}

static void
instance_method_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *object_path,
                      const char            *interface_name,
                      const char            *method_name,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  InitManager *manager = user_data;
  InitInstance *job = init_object_tree_lookup_instance (init_manager_get_object_tree (manager),
                                                        object_path);
  InitCall *call;
  Verb verb;

  if (job == NULL)
    {
      init_job_subtree_return_unknown_object (invocation);
      return;
    }
  if (g_str_equal (method_name, "GetProcessTree"))
    {
      init_process_tree_reader_handle (manager, invocation, job);
      return;
    }
  if (g_str_equal (method_name, "Start"))
    verb = VERB_START;
  else if (g_str_equal (method_name, "Stop"))
    verb = VERB_STOP;
  else if (g_str_equal (method_name, "Restart"))
    verb = VERB_RESTART;
  else
    verb = VERB_RELOAD;

  call = init_call_new (manager, invocation, INIT_CALL_REPLY_EMPTY, verb_run);
  call->instance = init_instance_ref (job);
  call->verb = verb;
  /* GDBus has checked the signature: (b) for all but Reload, which never waits. */
  if (verb != VERB_RELOAD)
    g_variant_get (parameters, "(b)", &call->wait);

  {
    const char *details[] = {
      "job", job->klass->name, "instance", job->name, "verb", verb_names[verb], NULL
    };

    init_call_authorize (call, "org.example.Init.manage-jobs", details);
  }
}

const GDBusInterfaceVTable *
init_instance_vtable_get (void)
{
  static const GDBusInterfaceVTable vtable = {
    instance_method_call, instance_get_property, NULL, { 0 }
  };

  /* Prop must follow the XML: a property added there fails here, at once. */
  init_job_subtree_check_properties (init_dbus_instance_interface_info (), N_PROPS);
  return &vtable;
}
