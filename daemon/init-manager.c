/* init-manager.c — the manager object /org/example/Init (org.example.Init) */
#define G_LOG_DOMAIN "init-manager"

#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-error.h"
#include "init-env.h"
#include "init-error.h"
#include "init-job-object.h"
#include "init-manager.h"

struct _InitManager
{
  InitDBusManagerSkeleton   parent_instance;

  InitEngine               *engine;
  InitAuthority            *authority;
  InitHistory              *history;
  GDBusObjectManagerServer *object_manager;
  GHashTable               *jobs;          /* job name -> InitJobObject* (owned) */
  GHashTable               *config_errors; /* paths that failed to parse (set) */
  GQueue                    parked;        /* InitParked* (links embedded) */
};

struct _InitParked
{
  GList                  link;
  InitManager           *manager;     /* NULL once the manager let go of it */
  GDBusMethodInvocation *invocation;  /* NULL if the caller was dropped */
  InitParkedKind         kind;
};

static void init_manager_iface_init (InitDBusManagerIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InitManager, init_manager, INIT_DBUS_TYPE_MANAGER_SKELETON,
                               G_IMPLEMENT_INTERFACE (INIT_DBUS_TYPE_MANAGER,
                                                      init_manager_iface_init))

/* ---- parked callers ---- */

InitParked *
init_manager_park (InitManager           *self,
                   GDBusMethodInvocation *invocation,
                   InitParkedKind         kind)
{
  InitParked *parked;

  g_return_val_if_fail (INIT_IS_MANAGER (self), NULL);
  g_return_val_if_fail (G_IS_DBUS_METHOD_INVOCATION (invocation), NULL);

  parked = g_new0 (InitParked, 1);
  parked->link.data = parked;
  parked->manager = self;
  parked->invocation = invocation;
  parked->kind = kind;
  g_queue_push_tail_link (&self->parked, &parked->link);
  return parked;
}

static void
parked_release (InitParked *parked)
{
  if (parked->manager != NULL)
    {
      g_queue_unlink (&parked->manager->parked, &parked->link);
      parked->manager = NULL;
    }
}

GDBusMethodInvocation *
init_parked_take (InitParked *parked)
{
  GDBusMethodInvocation *invocation;

  g_return_val_if_fail (parked != NULL, NULL);

  parked_release (parked);
  invocation = parked->invocation;
  g_free (parked);
  return invocation;
}

void
init_manager_connection_closed (InitManager     *self,
                                GDBusConnection *connection)
{
  GList *l = self->parked.head;

  g_return_if_fail (INIT_IS_MANAGER (self));

  while (l != NULL)
    {
      InitParked *parked = l->data;

      l = l->next;
      if (g_dbus_method_invocation_get_connection (parked->invocation) == connection)
        {
          /* The engine still holds the record and frees it when it answers. */
          g_clear_object (&parked->invocation);
          parked_release (parked);
        }
    }
}

void
init_manager_job_done (InitJob      *job,
                       const GError *error,
                       gpointer      user_data)
{
  InitParked *parked = user_data;
  InitParkedKind kind = parked->kind;
  GDBusMethodInvocation *invocation = init_parked_take (parked);
  g_autofree char *path = NULL;

  if (invocation == NULL)
    return;
  if (error != NULL)
    {
      init_dbus_return_error (invocation, error);
      return;
    }
  switch (kind)
    {
    case INIT_PARKED_JOB_START:
      path = init_dbus_instance_path (job->klass->name, job->name);
      init_dbus_job_complete_start (NULL, invocation, path);
      break;
    case INIT_PARKED_JOB_RESTART:
      path = init_dbus_instance_path (job->klass->name, job->name);
      init_dbus_job_complete_restart (NULL, invocation, path);
      break;
    case INIT_PARKED_JOB_STOP:
    case INIT_PARKED_INSTANCE:
    case INIT_PARKED_EMIT:
    default:
      g_dbus_method_invocation_return_value (invocation, NULL);
      break;
    }
}

void
init_manager_push_caller (InitManager      *self,
                          const InitCaller *caller)
{
  g_autoptr(InitCause) cause = NULL;

  g_return_if_fail (INIT_IS_MANAGER (self));
  g_return_if_fail (caller != NULL);

  cause = init_cause_new_caller (caller->uid, caller->pid, caller->command);
  init_engine_push_cause (self->engine, cause);
}

void
init_manager_pop_caller (InitManager *self)
{
  g_return_if_fail (INIT_IS_MANAGER (self));
  init_engine_pop_cause (self->engine);
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
forget_config_errors (InitManager  *self,
                      InitJobEntry *entry)
{
  gboolean changed = FALSE;

  if (entry->klass->path != NULL)
    changed |= g_hash_table_remove (self->config_errors, entry->klass->path);
  if (entry->klass->override_path != NULL)
    changed |= g_hash_table_remove (self->config_errors, entry->klass->override_path);
  if (changed)
    update_config_errors (self);
}

static void
add_job (InitManager  *self,
         InitJobEntry *entry,
         gboolean      announce)
{
  InitJobObject *job;
  GHashTableIter iter;
  gpointer value;

  job = init_job_object_new (self, entry);
  g_hash_table_replace (self->jobs, entry->name, job);
  g_dbus_object_manager_server_export (self->object_manager, init_job_object_get_object (job));
  if (announce)
    init_dbus_manager_emit_job_added (INIT_DBUS_MANAGER (self), init_job_object_get_path (job));

  g_hash_table_iter_init (&iter, entry->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    init_job_object_instance_added (job, value);
}

static void
remove_job (InitManager   *self,
            InitJobObject *job)
{
  g_autofree char *path = g_strdup (init_job_object_get_path (job));
  GDBusObjectSkeleton *object = init_job_object_get_object (job);

  init_job_object_clear (job);
  g_dbus_object_manager_server_unexport (self->object_manager, path);
  g_dbus_object_skeleton_remove_interface (object, G_DBUS_INTERFACE_SKELETON (job));
  g_hash_table_remove (self->jobs, init_job_object_get_entry (job)->name);
}

static void
on_job_added (InitEngine   *engine,
              InitJobEntry *entry,
              gpointer      user_data)
{
  InitManager *self = user_data;

  add_job (self, entry, TRUE);
  forget_config_errors (self, entry);
}

static void
on_job_changed (InitEngine   *engine,
                InitJobEntry *entry,
                gpointer      user_data)
{
  InitManager *self = user_data;
  InitJobObject *job = g_hash_table_lookup (self->jobs, entry->name);

  if (job != NULL)
    init_job_object_changed (job);
  forget_config_errors (self, entry);
}

static void
on_job_removed (InitEngine   *engine,
                InitJobEntry *entry,
                gpointer      user_data)
{
  InitManager *self = user_data;
  InitJobObject *job = g_hash_table_lookup (self->jobs, entry->name);
  g_autofree char *path = NULL;

  if (job == NULL)
    return;
  path = g_strdup (init_job_object_get_path (job));
  remove_job (self, job);
  init_dbus_manager_emit_job_removed (INIT_DBUS_MANAGER (self), path);
}

static InitJobObject *
job_of_instance (InitManager *self,
                 InitJob     *job)
{
  return g_hash_table_lookup (self->jobs, job->klass->name);
}

static void
on_instance_added (InitEngine *engine,
                   InitJob    *job,
                   gpointer    user_data)
{
  InitJobObject *object = job_of_instance (user_data, job);

  if (object != NULL)
    init_job_object_instance_added (object, job);
}

static void
on_instance_changed (InitEngine *engine,
                     InitJob    *job,
                     gpointer    user_data)
{
  InitJobObject *object = job_of_instance (user_data, job);

  if (object != NULL)
    init_job_object_instance_changed (object, job);
}

static void
on_instance_removed (InitEngine *engine,
                     InitJob    *job,
                     gpointer    user_data)
{
  InitJobObject *object = job_of_instance (user_data, job);

  if (object != NULL)
    init_job_object_instance_removed (object, job);
}

static void
on_event_queued (InitEngine *engine,
                 InitEvent  *event,
                 gpointer    user_data)
{
  InitManager *self = user_data;
  GVariantBuilder cause;

  g_autofree const char **env = g_new (const char *, event->env->len + 1);

  memcpy (env, event->env->pdata, event->env->len * sizeof (char *));
  env[event->env->len] = NULL;
  g_variant_builder_init (&cause, G_VARIANT_TYPE_VARDICT);
  init_history_add_cause (&cause, event->cause);
  init_dbus_manager_emit_event_emitted (INIT_DBUS_MANAGER (self), event->id, event->name, env,
                                        g_variant_builder_end (&cause));
}

static void
on_event_finished (InitEngine *engine,
                   InitEvent  *event,
                   gpointer    user_data)
{
  init_dbus_manager_emit_event_finished (INIT_DBUS_MANAGER (user_data), event->id, event->name,
                                         event->failed,
                                         event->failed_job != NULL ? event->failed_job : "",
                                         event->failed_reason != NULL ? event->failed_reason : "");
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
  guint64 id, timestamp;
  const char *kind, *subject;
  g_autoptr(GVariant) details = NULL;

  g_variant_get (record, "(tt&s&s@a{sv})", &id, &timestamp, &kind, &subject, &details);
  init_dbus_manager_emit_history_record (INIT_DBUS_MANAGER (user_data), id, timestamp, kind,
                                         subject, details);
}

/* ---- methods ---- */

typedef struct
{
  InitManager           *self;
  GDBusMethodInvocation *invocation;
  char                  *name;
  GPtrArray             *env;
  gboolean               wait;
} ManagerCall;

static void
manager_call_free (ManagerCall *call)
{
  g_clear_object (&call->self);
  g_assert (call->invocation == NULL);
  g_free (call->name);
  g_clear_pointer (&call->env, g_ptr_array_unref);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ManagerCall, manager_call_free)

static void
emit_done (InitEvent *event,
           gpointer   user_data)
{
  GDBusMethodInvocation *invocation = init_parked_take (user_data);

  if (invocation == NULL)
    return;
  if (event->failed)
    g_dbus_method_invocation_return_error (invocation, INIT_ERROR, INIT_ERROR_EVENT_FAILED,
                                           _("Event %s failed: job %s: %s"), event->name,
                                           event->failed_job != NULL ? event->failed_job : "?",
                                           event->failed_reason != NULL ? event->failed_reason : "?");
  else
    init_dbus_manager_complete_emit_event (NULL, invocation, event->id);
}

static void
emit_authorized_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ManagerCall) call = user_data;
  InitManager *self = call->self;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  InitEvent *event;

  caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  if (caller == NULL)
    {
      init_dbus_return_error (g_steal_pointer (&call->invocation), error);
      return;
    }

  init_manager_push_caller (self, caller);
  if (call->wait)
    {
      InitParked *parked = init_manager_park (self, g_steal_pointer (&call->invocation),
                                              INIT_PARKED_EMIT);
      init_engine_emit (self->engine, call->name, call->env, emit_done, parked);
    }
  else
    {
      event = init_engine_emit (self->engine, call->name, call->env, NULL, NULL);
      init_dbus_manager_complete_emit_event (NULL, g_steal_pointer (&call->invocation), event->id);
    }
  init_manager_pop_caller (self);
}

static gboolean
handle_emit_event (InitDBusManager       *object,
                   GDBusMethodInvocation *invocation,
                   const char            *name,
                   const char * const    *env,
                   gboolean               wait)
{
  InitManager *self = INIT_MANAGER (object);
  g_autoptr(GError) error = NULL;
  ManagerCall *call;
  const char *details[] = { "event", name, NULL };

  if (!init_dbus_check_event_name (name, &error) || !init_dbus_check_env (env, &error))
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  call = g_new0 (ManagerCall, 1);
  call->self = g_object_ref (self);
  call->invocation = invocation;
  call->name = g_strdup (name);
  call->env = init_env_from_strv (env);
  call->wait = wait;
  init_authority_check_async (self->authority, invocation, "org.example.Init.emit-events",
                              details, NULL, emit_authorized_cb, call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_job_by_name (InitDBusManager       *object,
                        GDBusMethodInvocation *invocation,
                        const char            *name)
{
  InitManager *self = INIT_MANAGER (object);
  g_autoptr(GError) error = NULL;
  InitJobObject *job;

  if (!init_dbus_check_job_name (name, &error))
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  job = g_hash_table_lookup (self->jobs, name);
  if (job == NULL)
    g_dbus_method_invocation_return_error (invocation, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB,
                                           _("Unknown job: %s"), name);
  else
    init_dbus_manager_complete_get_job_by_name (object, invocation, init_job_object_get_path (job));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_all_jobs (InitDBusManager       *object,
                     GDBusMethodInvocation *invocation)
{
  InitManager *self = INIT_MANAGER (object);
  g_autoptr(GPtrArray) entries = init_engine_list (self->engine);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_full (entries->len + 1, NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      InitJobEntry *entry = g_ptr_array_index (entries, i);
      InitJobObject *job = g_hash_table_lookup (self->jobs, entry->name);

      if (job != NULL)
        g_ptr_array_add (paths, (char *) init_job_object_get_path (job));
    }
  g_ptr_array_add (paths, NULL);
  init_dbus_manager_complete_get_all_jobs (object, invocation, (const char * const *) paths->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
reload_authorized_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ManagerCall) call = user_data;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;

  caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  if (caller == NULL)
    {
      init_dbus_return_error (g_steal_pointer (&call->invocation), error);
      return;
    }
  g_message (_("Reloading configuration (requested by uid %u)"), caller->uid);
  init_manager_push_caller (call->self, caller);
  init_engine_reload (call->self->engine);
  init_manager_pop_caller (call->self);
  init_dbus_manager_complete_reload_configuration (NULL, g_steal_pointer (&call->invocation));
}

static gboolean
handle_reload_configuration (InitDBusManager       *object,
                             GDBusMethodInvocation *invocation)
{
  InitManager *self = INIT_MANAGER (object);
  ManagerCall *call = g_new0 (ManagerCall, 1);

  call->self = g_object_ref (self);
  call->invocation = invocation;
  init_authority_check_async (self->authority, invocation,
                              "org.example.Init.reload-configuration", NULL, NULL,
                              reload_authorized_cb, call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_history (InitDBusManager       *object,
                    GDBusMethodInvocation *invocation,
                    guint64                after,
                    guint                  max)
{
  InitManager *self = INIT_MANAGER (object);

  init_dbus_manager_complete_get_history (object, invocation,
                                          init_history_get_records (self->history, after, max),
                                          init_history_get_last_id (self->history));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
init_manager_iface_init (InitDBusManagerIface *iface)
{
  iface->handle_emit_event = handle_emit_event;
  iface->handle_get_job_by_name = handle_get_job_by_name;
  iface->handle_get_all_jobs = handle_get_all_jobs;
  iface->handle_reload_configuration = handle_reload_configuration;
  iface->handle_get_history = handle_get_history;
}

/* ---- GObject ---- */

static void
init_manager_dispose (GObject *object)
{
  InitManager *self = INIT_MANAGER (object);
  InitParked *parked;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);

  /* Every caller gets an answer, even now; the engine frees the records later (or never,
   * if it goes away first). */
  while ((parked = g_queue_peek_head (&self->parked)) != NULL)
    {
      GDBusMethodInvocation *invocation = g_steal_pointer (&parked->invocation);

      parked_release (parked);
      if (invocation != NULL)
        g_dbus_method_invocation_return_error_literal (invocation, INIT_ERROR, INIT_ERROR_FAILED,
                                                       _("The daemon is shutting down"));
    }

  if (self->jobs != NULL)
    {
      GHashTableIter iter;
      gpointer value;
      g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);

      g_hash_table_iter_init (&iter, self->jobs);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (jobs, g_object_ref (value));
      for (guint i = 0; i < jobs->len; i++)
        remove_job (self, g_ptr_array_index (jobs, i));
    }

  g_clear_object (&self->object_manager);
  g_clear_object (&self->history);
  g_clear_object (&self->authority);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (init_manager_parent_class)->dispose (object);
}

static void
init_manager_finalize (GObject *object)
{
  InitManager *self = INIT_MANAGER (object);

  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->config_errors, g_hash_table_unref);

  G_OBJECT_CLASS (init_manager_parent_class)->finalize (object);
}

static void
init_manager_class_init (InitManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = init_manager_dispose;
  object_class->finalize = init_manager_finalize;
}

static void
init_manager_init (InitManager *self)
{
  g_queue_init (&self->parked);
  /* Keys are the entries' names, owned by the job objects' entries. */
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
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
  self->object_manager = g_dbus_object_manager_server_new (INIT_MANAGER_PATH);

  init_dbus_manager_set_version (iface, PACKAGE_VERSION);
  init_dbus_manager_set_mode (iface, options->mode != NULL ? options->mode : "session");
  init_dbus_manager_set_config_directories (iface, options->conf_dirs);
  init_dbus_manager_set_log_directory (iface, options->log_dir != NULL ? options->log_dir : "");
  init_dbus_manager_set_history_size (iface, init_history_get_size (self->history));
  init_dbus_manager_set_config_errors (iface, 0);

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
    add_job (self, g_ptr_array_index (entries, i), FALSE);
  return self;
}

GDBusObjectManagerServer *
init_manager_get_object_manager (InitManager *self)
{
  g_return_val_if_fail (INIT_IS_MANAGER (self), NULL);
  return self->object_manager;
}

InitEngine *
init_manager_get_engine (InitManager *self)
{
  g_return_val_if_fail (INIT_IS_MANAGER (self), NULL);
  return self->engine;
}

InitAuthority *
init_manager_get_authority (InitManager *self)
{
  g_return_val_if_fail (INIT_IS_MANAGER (self), NULL);
  return self->authority;
}
