/* init-manager.c — the manager object /org/example/Init (org.example.Init) */
#define G_LOG_DOMAIN "init-manager"

#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-error.h"
#include "init-env.h"
#include "init-error.h"
#include "init-event-public.h"
#include "init-history-reader.h"
#include "init-job-validate.h"
#include "init-log-reader.h"
#include "init-manager.h"
#include "init-call.h"
#include "init-variant-writer.h"
#include "init-why-handler.h"

#define MANAGER_INTERFACE "org.example.Init"

struct _InitManager
{
  InitDBusManagerSkeleton parent_instance;

  InitEngine     *engine;
  InitAuthority  *authority;
  InitHistory    *history;
  InitSources    *sources;                 /* for WhyNot's producers; may be NULL */
  InitObjectTree *tree;
  GHashTable     *config_errors;           /* paths that failed to parse (set) */
  GQueue          calls;                   /* parked InitCall* (links embedded) */
  /* Manager.Reexec (see the "supervision" section) */
  void (*reexec) (InitCall *call,
                  gpointer  user_data);
  gpointer reexec_data;
};

static void init_manager_iface_init (InitDBusManagerIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InitManager, init_manager, INIT_DBUS_TYPE_MANAGER_SKELETON,
                               G_IMPLEMENT_INTERFACE (INIT_DBUS_TYPE_MANAGER,
                                                      init_manager_iface_init))

/* ---- parked calls (init-call.h) ---- */

GQueue *
init_manager_get_calls (InitManager *self)
{
  g_return_val_if_fail (INIT_IS_MANAGER (self), NULL);
  return &self->calls;
}

void
init_manager_connection_closed (InitManager     *self,
                                GDBusConnection *connection)
{
  g_return_if_fail (INIT_IS_MANAGER (self));
  init_call_queue_drop_connection (&self->calls, connection);
}

/* ---- following the engine ---- */

static void
update_config_errors (InitManager *self)
{
  init_dbus_manager_set_config_errors (INIT_DBUS_MANAGER (self),
                                       g_hash_table_size (self->config_errors));
}

/* A definition loaded from @klass's files: they parse now. */
static void
forget_config_errors (InitManager *self,
                      InitJob     *entry)
{
  gboolean changed = FALSE;

  if (entry->klass->path != NULL)
    changed |= g_hash_table_remove (self->config_errors, entry->klass->path);
  if (entry->klass->override_path != NULL)
    changed |= g_hash_table_remove (self->config_errors, entry->klass->override_path);
  if (changed)
    update_config_errors (self);
}

static char *
job_path (InitJob *entry)
{
  return init_dbus_job_path (entry->name);
}

static void
on_job_added (InitEngine *engine,
              InitJob    *entry,
              gpointer    user_data)
{
  InitManager *self = user_data;
  g_autofree char *path = job_path (entry);

  init_object_tree_job_added (self->tree, entry);
  init_object_tree_emit (self->tree, INIT_MANAGER_PATH, MANAGER_INTERFACE, "JobAdded",
                         g_variant_new ("(o)", path));
  forget_config_errors (self, entry);
}

static void
on_job_changed (InitEngine *engine,
                InitJob    *entry,
                gpointer    user_data)
{
  InitManager *self = user_data;

  init_object_tree_job_changed (self->tree, entry);
  forget_config_errors (self, entry);
}

static void
on_job_removed (InitEngine *engine,
                InitJob    *entry,
                gpointer    user_data)
{
  InitManager *self = user_data;
  g_autofree char *path = job_path (entry);

  init_object_tree_job_removed (self->tree, entry);
  init_object_tree_emit (self->tree, INIT_MANAGER_PATH, MANAGER_INTERFACE, "JobRemoved",
                         g_variant_new ("(o)", path));
}

static void
on_instance_added (InitEngine   *engine,
                   InitInstance *job,
                   gpointer      user_data)
{
  init_object_tree_instance_added (((InitManager *) user_data)->tree, job);
}

static void
on_instance_changed (InitEngine   *engine,
                     InitInstance *job,
                     gpointer      user_data)
{
  init_object_tree_instance_changed (((InitManager *) user_data)->tree, job);
}

static void
on_instance_removed (InitEngine   *engine,
                     InitInstance *job,
                     gpointer      user_data)
{
  init_object_tree_instance_removed (((InitManager *) user_data)->tree, job);
}

/* The keys of the event's cause (as in the history), for EventEmitted. */
static void
write_cause (InitVariantWriter *writer,
             const InitCause   *cause)
{
  init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_8, FALSE);
  init_history_write_cause (writer, cause);
  init_variant_writer_close_array (writer);
}

/* A writer for an event signal's arguments, the event's id and name written, or NULL if
 * nobody follows the signals (then nothing is built). */
static InitVariantWriter *
event_signal_begin (InitManager *self,
                    InitEvent   *event,
                    gsize        size)
{
  InitVariantWriter *writer;

  if (!init_object_tree_is_followed (self->tree))
    return NULL;
  writer = init_variant_writer_new (size);
  init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_uint64 (writer, event->id);
  init_variant_writer_string (writer, event->name);
  return writer;
}

static void
event_signal_send (InitManager       *self,
                   InitVariantWriter *writer,
                   const char        *member,
                   const char        *type)
{
  init_variant_writer_close_tuple (writer);
  init_object_tree_emit (self->tree, INIT_MANAGER_PATH, MANAGER_INTERFACE, member,
                         init_variant_writer_finish (writer, G_VARIANT_TYPE (type)));
}

static void
on_event_queued (InitEngine *engine,
                 InitEvent  *event,
                 gpointer    user_data)
{
  InitManager *self = user_data;
  InitVariantWriter *writer = event_signal_begin (self, event, 256);

  if (writer == NULL)
    return;
  init_variant_writer_strv (writer, (const char *const *) event->env->pdata, event->env->len);
  write_cause (writer, event->cause);
  event_signal_send (self, writer, "EventEmitted", "(tsasa{sv})");
}

static void
on_event_finished (InitEngine *engine,
                   InitEvent  *event,
                   gpointer    user_data)
{
  InitManager *self = user_data;
  InitVariantWriter *writer = event_signal_begin (self, event, 128);
  g_autoptr(GPtrArray) public_env = NULL;

  if (writer == NULL)
    return;
  init_variant_writer_boolean (writer, event->failed);
  init_variant_writer_string (writer, event->failed_job);
  init_variant_writer_string (writer, event->failed_reason);
  event_signal_send (self, writer, "EventFinished", "(tsbss)");

  writer = event_signal_begin (self, event, 256);
  public_env = init_event_public_env (event);
  init_variant_writer_strv (writer, (const char *const *) public_env->pdata, public_env->len);
  event_signal_send (self, writer, "EventPublished", "(tsas)");
}

static void
on_config_error (InitEngine *engine,
                 const char *path,
                 const char *message,
                 gpointer    user_data)
{
  InitManager *self = user_data;

  if (path != NULL && g_hash_table_add (self->config_errors, g_strdup (path)))
    update_config_errors (self);
}

static void
on_record_added (InitHistory *history,
                 GVariant    *record,
                 gpointer     user_data)
{
  InitManager *self = user_data;

  /* A record is (ttssa{sv}), HistoryRecord's very arguments: sent as it is kept. */
  init_object_tree_emit (self->tree, INIT_MANAGER_PATH, MANAGER_INTERFACE, "HistoryRecord",
                         record);
}

/* ---- methods ---- */

static gboolean
emit_run (InitCall *call,
          GError  **error)
{
  InitEvent *event = init_engine_emit (init_manager_get_engine (call->manager), call->name,
                                       call->env, call->wait ? init_call_emit_done : NULL,
                                       init_call_waiter (call));

  if (!call->wait)
    init_call_set_value (call, g_variant_new ("(t)", event->id));
  return TRUE;
}

static gboolean
handle_emit_event (InitDBusManager       *object,
                   GDBusMethodInvocation *invocation,
                   const char            *name,
                   const char *const     *env,
                   gboolean               wait)
{
  InitManager *self = INIT_MANAGER (object);
  g_autoptr(GError) error = NULL;
  InitCall *call;
  const char *details[] = { "event", name, NULL };

  if (!init_dbus_check_event_name (name, &error) || !init_dbus_check_env (env, &error))
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  call = init_call_new (self, invocation, INIT_CALL_REPLY_EVENT_ID, emit_run);
  call->name = g_strdup (name);
  call->env = init_env_from_strv (env);
  call->wait = wait;
  init_call_authorize (call, "org.example.Init.emit-events", details);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_job_by_name (InitDBusManager       *object,
                        GDBusMethodInvocation *invocation,
                        const char            *name)
{
  InitManager *self = INIT_MANAGER (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  InitJob *entry;

  if (!init_dbus_check_job_name (name, &error))
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  entry = init_engine_lookup (self->engine, name);
  if (entry == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB,
                                             _("Unknown job: %s"), name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  path = job_path (entry);
  init_dbus_manager_complete_get_job_by_name (object, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_all_jobs (InitDBusManager       *object,
                     GDBusMethodInvocation *invocation)
{
  InitManager *self = INIT_MANAGER (object);
  g_autoptr(GPtrArray) entries = init_engine_list (self->engine);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_full (entries->len + 1, g_free);

  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (paths, job_path (g_ptr_array_index (entries, i)));
  g_ptr_array_add (paths, NULL);
  init_dbus_manager_complete_get_all_jobs (object, invocation, (const char *const *) paths->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_jobs (InitDBusManager       *object,
                  GDBusMethodInvocation *invocation)
{
  InitManager *self = INIT_MANAGER (object);

  g_dbus_method_invocation_return_value (invocation, init_object_tree_list_jobs (self->tree));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_validate_job (InitDBusManager       *object,
                     GDBusMethodInvocation *invocation,
                     const char            *name,
                     const char            *text)
{
  InitManager *self = INIT_MANAGER (object);
  g_autoptr(GPtrArray) diagnostics = NULL;
  GVariantBuilder builder;

  if (strlen (text) > INIT_PARSE_MAX_FILE_SIZE)
    {
      g_dbus_method_invocation_return_error (invocation, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                                             _("The job file is larger than %u bytes"),
                                             (guint) INIT_PARSE_MAX_FILE_SIZE);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  diagnostics = init_job_validate (self->engine, name, text, -1);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(uusss)"));
  for (guint i = 0; i < diagnostics->len; i++)
    {
      InitDiagnostic *d = g_ptr_array_index (diagnostics, i);

      g_variant_builder_add (&builder, "(uusss)", d->line, d->column,
                             init_diagnostic_severity_to_string (d->severity), d->message,
                             d->suggestion);
    }
  init_dbus_manager_complete_validate_job (object, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
reload_run (InitCall *call,
            GError  **error)
{
  g_message (_("Reloading configuration (requested by uid %u)"), call->caller->uid);
  init_engine_reload (init_manager_get_engine (call->manager));
  return TRUE;
}

static gboolean
handle_reload_configuration (InitDBusManager       *object,
                             GDBusMethodInvocation *invocation)
{
  InitCall *call = init_call_new (INIT_MANAGER (object), invocation, INIT_CALL_REPLY_EMPTY,
                                  reload_run);

  init_call_authorize (call, "org.example.Init.reload-configuration", NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Subscribe and Unsubscribe: no authorization, they only decide whether signals are sent at
 * all (the bus policy decides who may receive them). */
static gboolean
handle_subscribe (InitDBusManager       *object,
                  GDBusMethodInvocation *invocation)
{
  InitManager *self = INIT_MANAGER (object);
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  g_autoptr(GError) error = NULL;

  if (sender == NULL)
    g_set_error_literal (&error, G_DBUS_ERROR, G_DBUS_ERROR_NOT_SUPPORTED,
                         _("Subscribing needs a message bus connection"));
  if (error != NULL || !init_object_tree_subscribe (self->tree, sender, &error))
    init_dbus_return_error (invocation, error);
  else
    init_dbus_manager_complete_subscribe (object, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_unsubscribe (InitDBusManager       *object,
                    GDBusMethodInvocation *invocation)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  if (sender != NULL)
    init_object_tree_unsubscribe (INIT_MANAGER (object)->tree, sender);
  init_dbus_manager_complete_unsubscribe (object, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_history (InitDBusManager       *object,
                    GDBusMethodInvocation *invocation,
                    guint64                after,
                    guint                  max)
{
  InitManager *self = INIT_MANAGER (object);

  init_history_reader_handle (self, self->history, invocation, after, max);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- supervision: ProcessTracking and Reexec ---- */

static gboolean
reexec_run (InitCall *call,
            GError  **error)
{
  InitManager *self = call->manager;

  if (self->reexec == NULL)
    {
      g_set_error_literal (error, INIT_ERROR, INIT_ERROR_FAILED,
                           _("This daemon cannot re-execute itself: "
                             "it was started without support for it"));
      return FALSE;
    }
  g_message (_("Re-executing (requested by uid %u)"), call->caller->uid);
  /* The call goes with the state: the new process answers it. */
  self->reexec (init_call_waiter (call), self->reexec_data);
  return TRUE;
}

static gboolean
handle_reexec (InitDBusManager       *object,
               GDBusMethodInvocation *invocation)
{
  InitCall *call = init_call_new (INIT_MANAGER (object), invocation, INIT_CALL_REPLY_EMPTY,
                                  reexec_run);

  /* Parked until the re-exec answers: from the new process, or with why it failed. */
  call->wait = TRUE;
  init_call_authorize (call, "org.example.Init.reexec", NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* The connector failed at run time and the engine scans /proc now. */
static void
on_process_tracking_changed (InitEngine *engine,
                             gpointer    user_data)
{
  init_dbus_manager_set_process_tracking (INIT_DBUS_MANAGER (user_data),
                                          init_engine_get_process_tracking (engine));
}

/* Called once from init_manager_new(). */
static void
supervision_init (InitManager              *self,
                  const InitManagerOptions *options)
{
  self->reexec = options->reexec;
  self->reexec_data = options->reexec_data;
  init_dbus_manager_set_process_tracking (INIT_DBUS_MANAGER (self),
                                          init_engine_get_process_tracking (self->engine));
  g_signal_connect_object (self->engine, "process-tracking-changed",
                           G_CALLBACK (on_process_tracking_changed), self, 0);
}

/* EmitEvent is every event's way in: its arguments are unpacked here and the handler called
 * directly, rather than copied into GValues for a GSignal emission through libffi as the
 * generated dispatch does.  Every other method goes the generated way. */
static GDBusInterfaceMethodCallFunc generated_method_call;

static void
manager_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  if (g_str_equal (method_name, "EmitEvent"))
    {
      g_autofree const char **env = NULL;
      const char *name;
      gboolean wait;

      /* GDBus has checked the signature against the interface info. */
      g_variant_get (parameters, "(&s^a&sb)", &name, &env, &wait);
      handle_emit_event (INIT_DBUS_MANAGER (user_data), invocation, name, env, wait);
      return;
    }
  generated_method_call (connection, sender, object_path, interface_name, method_name,
                         parameters, invocation, user_data);
}

static GDBusInterfaceVTable *
init_manager_get_vtable (GDBusInterfaceSkeleton *skeleton)
{
  static GDBusInterfaceVTable vtable;
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      vtable = *G_DBUS_INTERFACE_SKELETON_CLASS (init_manager_parent_class)->get_vtable (skeleton);
      generated_method_call = vtable.method_call;
      vtable.method_call = manager_method_call;
      g_once_init_leave (&initialized, 1);
    }
  return &vtable;
}

static void
init_manager_iface_init (InitDBusManagerIface *iface)
{
  iface->handle_emit_event = handle_emit_event;
  iface->handle_get_job_by_name = handle_get_job_by_name;
  iface->handle_get_all_jobs = handle_get_all_jobs;
  iface->handle_list_jobs = handle_list_jobs;
  iface->handle_validate_job = handle_validate_job;
  iface->handle_why = init_why_handler_why;
  iface->handle_why_not = init_why_handler_why_not;
  iface->handle_reload_configuration = handle_reload_configuration;
  iface->handle_get_history = handle_get_history;
  iface->handle_reexec = handle_reexec;
  iface->handle_subscribe = handle_subscribe;
  iface->handle_unsubscribe = handle_unsubscribe;
}

/* ---- GObject ---- */

static void
init_manager_dispose (GObject *object)
{
  InitManager *self = INIT_MANAGER (object);

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);

  init_call_queue_fail_all (&self->calls, _("The daemon is shutting down"));

  if (self->tree != NULL)
    init_object_tree_detach (self->tree);
  g_clear_object (&self->tree);
  g_clear_object (&self->history);
  g_clear_object (&self->authority);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (init_manager_parent_class)->dispose (object);
}

static void
init_manager_finalize (GObject *object)
{
  InitManager *self = INIT_MANAGER (object);

  g_clear_pointer (&self->config_errors, g_hash_table_unref);

  G_OBJECT_CLASS (init_manager_parent_class)->finalize (object);
}

static void
init_manager_class_init (InitManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = init_manager_dispose;
  object_class->finalize = init_manager_finalize;
  G_DBUS_INTERFACE_SKELETON_CLASS (klass)->get_vtable = init_manager_get_vtable;
}

static void
init_manager_init (InitManager *self)
{
  g_queue_init (&self->calls);
  self->config_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

InitManager *
init_manager_new (const InitManagerOptions *options)
{
  InitManager *self;
  InitDBusManager *iface;
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (INIT_IS_ENGINE (options->engine), NULL);
  g_return_val_if_fail (INIT_IS_AUTHORITY (options->authority), NULL);
  g_return_val_if_fail (INIT_IS_HISTORY (options->history), NULL);

  init_dbus_error_register ();

  self = g_object_new (INIT_TYPE_MANAGER, NULL);
  iface = INIT_DBUS_MANAGER (self);
  self->engine = g_object_ref (options->engine);
  self->authority = g_object_ref (options->authority);
  self->history = g_object_ref (options->history);
  self->tree = init_object_tree_new (self, self->engine);

  init_dbus_manager_set_version (iface, PACKAGE_VERSION);
  init_dbus_manager_set_mode (iface, options->mode != NULL ? options->mode : "session");
  init_dbus_manager_set_config_directories (iface, options->conf_dirs);
  init_dbus_manager_set_log_directory (iface, options->log_dir != NULL ? options->log_dir : "");
  init_dbus_manager_set_history_size (iface, init_history_get_size (self->history));
  init_dbus_manager_set_config_errors (iface, 0);
  /* The daemon follows its sources' registry once it exists (init-source-list.h). */
  init_dbus_manager_set_event_sources (iface, g_variant_new_array (G_VARIANT_TYPE ("(sssas)"),
                                                                   NULL, 0));
  supervision_init (self, options);

  g_signal_connect (self->engine, "job-added", G_CALLBACK (on_job_added), self);
  g_signal_connect (self->engine, "job-changed", G_CALLBACK (on_job_changed), self);
  g_signal_connect (self->engine, "job-removed", G_CALLBACK (on_job_removed), self);
  g_signal_connect (self->engine, "instance-added", G_CALLBACK (on_instance_added), self);
  g_signal_connect (self->engine, "instance-changed", G_CALLBACK (on_instance_changed), self);
  g_signal_connect (self->engine, "instance-removed", G_CALLBACK (on_instance_removed), self);
  g_signal_connect (self->engine, "event-queued", G_CALLBACK (on_event_queued), self);
  g_signal_connect (self->engine, "event-finished", G_CALLBACK (on_event_finished), self);
  g_signal_connect (self->engine, "config-error", G_CALLBACK (on_config_error), self);
  g_signal_connect (self->history, "record-added", G_CALLBACK (on_record_added), self);

  entries = init_engine_list (self->engine);
  for (guint i = 0; i < entries->len; i++)
    init_object_tree_job_added (self->tree, g_ptr_array_index (entries, i));
  /* LogChanged for every job's log: one directory watch per manager. */
  init_log_watch_ensure (self);
  return self;
}

InitObjectTree *
init_manager_get_object_tree (InitManager *self)
{
  g_return_val_if_fail (INIT_IS_MANAGER (self), NULL);
  return self->tree;
}

InitEngine *
init_manager_get_engine (InitManager *self)
{
  g_return_val_if_fail (INIT_IS_MANAGER (self), NULL);
  return self->engine;
}

InitHistory *
init_manager_get_history (InitManager *self)
{
  g_return_val_if_fail (INIT_IS_MANAGER (self), NULL);
  return self->history;
}

void
init_manager_set_sources (InitManager *self,
                          InitSources *sources)
{
  g_return_if_fail (INIT_IS_MANAGER (self));
  self->sources = sources;
}

InitSources *
init_manager_get_sources (InitManager *self)
{
  g_return_val_if_fail (INIT_IS_MANAGER (self), NULL);
  return self->sources;
}

InitAuthority *
init_manager_get_authority (InitManager *self)
{
  g_return_val_if_fail (INIT_IS_MANAGER (self), NULL);
  return self->authority;
}
