/* init-admin-job-model.c — every job and instance of the daemon as a list of rows, live */
#define G_LOG_DOMAIN "init-admin"

#include <string.h>

#include "init-admin-job-model.h"

#define IFACE_JOB      "org.example.Init.Job"
#define IFACE_INSTANCE "org.example.Init.Instance"

typedef struct
{
  InitDBusJob *proxy;
  GPtrArray   *rows;       /* InitAdminJobRow* (owned); never empty */
} JobInfo;

typedef struct
{
  char    *instance;
  char    *text;
  gint64   when;
  gboolean active;         /* not started again since */
} Failure;

struct _InitAdminJobModel
{
  GObject parent_instance;

  GDBusObjectManager *object_manager;
  GListStore         *store;       /* InitAdminJobRow* */
  GHashTable         *jobs;        /* job path -> JobInfo* */
  GHashTable         *by_name;     /* job name -> JobInfo* (not owned) */
  GHashTable         *instances;   /* instance path -> InitAdminJobRow* (not owned) */
  GHashTable         *orphans;     /* instance path -> InitDBusInstance* whose job is not here yet */
  GHashTable         *failures;    /* job name -> Failure* */
};

G_DEFINE_FINAL_TYPE (InitAdminJobModel, init_admin_job_model, G_TYPE_OBJECT)

enum
{
  SIGNAL_JOB_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
job_info_free (JobInfo *info)
{
  g_clear_object (&info->proxy);
  g_ptr_array_unref (info->rows);
  g_free (info);
}

static void
failure_free (Failure *failure)
{
  g_free (failure->instance);
  g_free (failure->text);
  g_free (failure);
}

/* Re-place @row in the sort and filter models above: remove and insert it where it is. */
static void
row_moved (InitAdminJobModel *self,
           InitAdminJobRow   *row)
{
  guint position;

  if (g_list_store_find (self->store, row, &position))
    g_list_store_splice (self->store, position, 1, (gpointer *) &row, 1);
}

static void
refresh_row (InitAdminJobModel *self,
             InitAdminJobRow   *row)
{
  if (init_admin_job_row_refresh (row))
    row_moved (self, row);
}

static gboolean
job_failed (InitAdminJobModel *self,
            const char        *job)
{
  Failure *failure = job != NULL ? g_hash_table_lookup (self->failures, job) : NULL;

  return failure != NULL && failure->active;
}

static void
refresh_job (InitAdminJobModel *self,
             JobInfo           *info)
{
  gboolean failed = job_failed (self, init_dbus_job_get_name (info->proxy));

  for (guint i = 0; i < info->rows->len; i++)
    {
      InitAdminJobRow *row = g_ptr_array_index (info->rows, i);

      init_admin_job_row_set_job_failed (row, failed);
      refresh_row (self, row);
    }
}

static JobInfo *
add_job (InitAdminJobModel *self,
         InitDBusJob       *proxy,
         GPtrArray         *batch)
{
  const char *path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (proxy));
  JobInfo *info = g_hash_table_lookup (self->jobs, path);
  InitAdminJobRow *row;

  if (info != NULL)
    return info;
  info = g_new0 (JobInfo, 1);
  info->proxy = g_object_ref (proxy);
  info->rows = g_ptr_array_new_with_free_func (g_object_unref);
  row = init_admin_job_row_new (proxy);
  init_admin_job_row_set_job_failed (row, job_failed (self, init_dbus_job_get_name (proxy)));
  init_admin_job_row_refresh (row);
  g_ptr_array_add (info->rows, row);
  g_hash_table_insert (self->jobs, g_strdup (path), info);
  if (init_dbus_job_get_name (proxy) != NULL)
    g_hash_table_insert (self->by_name, g_strdup (init_dbus_job_get_name (proxy)), info);
  if (batch != NULL)
    g_ptr_array_add (batch, row);
  else
    g_list_store_append (self->store, row);
  return info;
}

static void
add_instance (InitAdminJobModel *self,
              InitDBusInstance  *proxy)
{
  const char *path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (proxy));
  const char *job_path = init_dbus_instance_get_job (proxy);
  JobInfo *info = job_path != NULL ? g_hash_table_lookup (self->jobs, job_path) : NULL;
  InitAdminJobRow *row = NULL;

  Failure *failure;

  if (g_hash_table_contains (self->instances, path))
    return;
  if (info == NULL)
    {
      /* Objects arrive in no particular order: wait for the job. */
      g_hash_table_insert (self->orphans, g_strdup (path), g_object_ref (proxy));
      return;
    }
  /* A new instance is a new attempt: the last failure is history now. */
  failure = g_hash_table_lookup (self->failures, init_dbus_job_get_name (info->proxy));
  if (failure != NULL && !init_dbus_instance_get_failed (proxy))
    failure->active = FALSE;

  /* A job without instances shows one row; the first instance takes it over. */
  if (info->rows->len == 1
      && init_admin_job_row_get_instance (g_ptr_array_index (info->rows, 0)) == NULL)
    row = g_ptr_array_index (info->rows, 0);
  if (row == NULL)
    {
      row = init_admin_job_row_new (info->proxy);
      g_ptr_array_add (info->rows, row);
      init_admin_job_row_set_instance (row, proxy);
      init_admin_job_row_refresh (row);
      g_list_store_append (self->store, row);
    }
  else
    {
      init_admin_job_row_set_instance (row, proxy);
      refresh_row (self, row);
    }
  g_hash_table_insert (self->instances, g_strdup (path), row);
}

static void
adopt_orphans (InitAdminJobModel *self,
               const char        *job_path)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) adopt = g_ptr_array_new_with_free_func (g_object_unref);

  g_hash_table_iter_init (&iter, self->orphans);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (init_dbus_instance_get_job (value), job_path) == 0)
      {
        g_ptr_array_add (adopt, g_object_ref (value));
        g_hash_table_iter_remove (&iter);
      }
  for (guint i = 0; i < adopt->len; i++)
    add_instance (self, g_ptr_array_index (adopt, i));
}

static void
set_failure (InitAdminJobModel *self,
             const char        *job,
             const char        *instance,
             char              *text,
             gint64             when)
{
  Failure *failure = g_new0 (Failure, 1);

  failure->instance = g_strdup (instance);
  failure->text = text;
  failure->when = when;
  failure->active = TRUE;
  g_hash_table_replace (self->failures, g_strdup (job), failure);
}

/* An instance that goes away failed: remember it for the job's remaining row. */
static void
note_instance_failure (InitAdminJobModel *self,
                       InitDBusInstance  *proxy,
                       const char        *job)
{
  if (!init_dbus_instance_get_failed (proxy) || job == NULL)
    return;
  set_failure (self, job, init_dbus_instance_get_name (proxy),
               init_admin_format_failure (init_dbus_instance_get_failed_process (proxy),
                                          init_dbus_instance_get_exit_status (proxy),
                                          init_dbus_instance_get_exit_signal (proxy)),
               (gint64) init_dbus_instance_get_failed_at (proxy));
}

static void
remove_instance (InitAdminJobModel *self,
                 const char        *path)
{
  InitAdminJobRow *row = g_hash_table_lookup (self->instances, path);
  const char *job_name;
  JobInfo *info;

  g_hash_table_remove (self->orphans, path);
  if (row == NULL)
    return;
  g_hash_table_remove (self->instances, path);
  job_name = init_admin_job_row_get_job_name (row);
  info = job_name != NULL ? g_hash_table_lookup (self->by_name, job_name) : NULL;
  if (init_admin_job_row_get_instance (row) != NULL)
    note_instance_failure (self, init_admin_job_row_get_instance (row), job_name);

  if (info != NULL && info->rows->len > 1)
    {
      guint position;

      if (g_list_store_find (self->store, row, &position))
        g_list_store_remove (self->store, position);
      g_ptr_array_remove (info->rows, row);
    }
  else
    {
      init_admin_job_row_set_instance (row, NULL);
      init_admin_job_row_set_job_failed (row, job_failed (self, job_name));
      refresh_row (self, row);
    }
  if (job_name != NULL)
    g_signal_emit (self, signals[SIGNAL_JOB_CHANGED], 0, job_name);
}

static void
remove_job (InitAdminJobModel *self,
            const char        *path)
{
  JobInfo *info = g_hash_table_lookup (self->jobs, path);

  if (info == NULL)
    return;
  for (guint i = 0; i < info->rows->len; i++)
    {
      InitAdminJobRow *row = g_ptr_array_index (info->rows, i);
      InitDBusInstance *instance = init_admin_job_row_get_instance (row);
      guint position;

      if (instance != NULL)
        g_hash_table_remove (self->instances,
                             g_dbus_proxy_get_object_path (G_DBUS_PROXY (instance)));
      if (g_list_store_find (self->store, row, &position))
        g_list_store_remove (self->store, position);
    }
  if (init_dbus_job_get_name (info->proxy) != NULL)
    g_hash_table_remove (self->by_name, init_dbus_job_get_name (info->proxy));
  g_hash_table_remove (self->jobs, path);
}

static void
on_object_added (GDBusObjectManager *om,
                 GDBusObject        *object,
                 gpointer            user_data)
{
  InitAdminJobModel *self = user_data;
  g_autoptr(GDBusInterface) job = g_dbus_object_get_interface (object, IFACE_JOB);
  g_autoptr(GDBusInterface) instance = g_dbus_object_get_interface (object, IFACE_INSTANCE);

  if (job != NULL)
    {
      add_job (self, INIT_DBUS_JOB (job), NULL);
      adopt_orphans (self, g_dbus_object_get_object_path (object));
    }
  if (instance != NULL)
    add_instance (self, INIT_DBUS_INSTANCE (instance));
}

static void
on_object_removed (GDBusObjectManager *om,
                   GDBusObject        *object,
                   gpointer            user_data)
{
  InitAdminJobModel *self = user_data;
  const char *path = g_dbus_object_get_object_path (object);
  g_autofree char *owner = g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (om));

  /* The daemon went away (the manager lost the name's owner and drops everything): keep
   * what it last said, to be shown dimmed until a daemon is back. */
  if (owner == NULL)
    return;
  remove_instance (self, path);
  remove_job (self, path);
}

static void
on_properties_changed (GDBusObjectManagerClient *om,
                       GDBusObjectProxy         *object,
                       GDBusProxy               *proxy,
                       GVariant                 *changed,
                       const char *const        *invalidated,
                       gpointer                  user_data)
{
  InitAdminJobModel *self = user_data;
  const char *path = g_dbus_proxy_get_object_path (proxy);

  if (INIT_DBUS_IS_INSTANCE (proxy))
    {
      InitAdminJobRow *row = g_hash_table_lookup (self->instances, path);

      if (row != NULL)
        {
          refresh_row (self, row);
          g_signal_emit (self, signals[SIGNAL_JOB_CHANGED], 0,
                         init_admin_job_row_get_job_name (row));
        }
    }
  else if (INIT_DBUS_IS_JOB (proxy))
    {
      JobInfo *info = g_hash_table_lookup (self->jobs, path);

      if (info != NULL)
        {
          refresh_job (self, info);
          g_signal_emit (self, signals[SIGNAL_JOB_CHANGED], 0,
                         init_dbus_job_get_name (info->proxy));
        }
    }
}

static void
clear_all (InitAdminJobModel *self)
{
  g_list_store_remove_all (self->store);
  g_hash_table_remove_all (self->instances);
  g_hash_table_remove_all (self->orphans);
  g_hash_table_remove_all (self->by_name);
  g_hash_table_remove_all (self->jobs);
}

void
init_admin_job_model_keep_last_known (InitAdminJobModel *self)
{
  g_return_if_fail (INIT_ADMIN_IS_JOB_MODEL (self));

  if (self->object_manager == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->object_manager, self);
  g_clear_object (&self->object_manager);
}

void
init_admin_job_model_set_object_manager (InitAdminJobModel  *self,
                                         GDBusObjectManager *object_manager)
{
  g_autolist(GDBusObject) objects = NULL;
  g_autoptr(GPtrArray) batch = NULL;

  g_return_if_fail (INIT_ADMIN_IS_JOB_MODEL (self));

  /* NULL after keep_last_known() still drops the rows kept (another bus, no bus). */
  if (self->object_manager == object_manager && object_manager != NULL)
    return;
  if (self->object_manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->object_manager, self);
      g_clear_object (&self->object_manager);
    }
  clear_all (self);
  /* The failures came from the history of the daemon we followed. */
  g_hash_table_remove_all (self->failures);
  if (object_manager == NULL)
    return;

  self->object_manager = g_object_ref (object_manager);
  g_signal_connect (object_manager, "object-added", G_CALLBACK (on_object_added), self);
  g_signal_connect (object_manager, "object-removed", G_CALLBACK (on_object_removed), self);
  g_signal_connect (object_manager, "interface-proxy-properties-changed",
                    G_CALLBACK (on_properties_changed), self);

  /* Jobs first, then their instances; all rows in one splice, so the views above see one
   * change instead of thousands. */
  objects = g_dbus_object_manager_get_objects (object_manager);
  batch = g_ptr_array_new ();
  for (GList *l = objects; l != NULL; l = l->next)
    {
      g_autoptr(GDBusInterface) job = g_dbus_object_get_interface (l->data, IFACE_JOB);

      if (job != NULL)
        add_job (self, INIT_DBUS_JOB (job), batch);
    }
  g_list_store_splice (self->store, 0, 0, batch->pdata, batch->len);
  for (GList *l = objects; l != NULL; l = l->next)
    {
      g_autoptr(GDBusInterface) instance = g_dbus_object_get_interface (l->data, IFACE_INSTANCE);

      if (instance != NULL)
        add_instance (self, INIT_DBUS_INSTANCE (instance));
    }
}

GListModel *
init_admin_job_model_get_rows (InitAdminJobModel *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_MODEL (self), NULL);
  return G_LIST_MODEL (self->store);
}

void
init_admin_job_model_add_record (InitAdminJobModel *self,
                                 gint64             timestamp,
                                 const char        *kind,
                                 GVariant          *details)
{
  const char *job = NULL, *instance = "";
  JobInfo *info;

  g_return_if_fail (INIT_ADMIN_IS_JOB_MODEL (self));

  if (!g_variant_lookup (details, "job", "&s", &job))
    return;
  g_variant_lookup (details, "instance", "&s", &instance);

  if (g_str_equal (kind, "process-exited"))
    {
      gboolean failed = FALSE;
      const char *process = NULL, *sig = NULL;
      gint32 status = -1;

      if (!g_variant_lookup (details, "failed", "b", &failed) || !failed)
        return;
      g_variant_lookup (details, "process", "&s", &process);
      g_variant_lookup (details, "status", "i", &status);
      g_variant_lookup (details, "signal", "&s", &sig);
      set_failure (self, job, instance, init_admin_format_failure (process, status, sig),
                   timestamp);
    }
  else if (g_str_equal (kind, "job-goal"))
    {
      const char *goal = NULL;
      Failure *failure = g_hash_table_lookup (self->failures, job);

      if (!g_variant_lookup (details, "goal", "&s", &goal) || !g_str_equal (goal, "start")
          || failure == NULL || !failure->active)
        return;
      failure->active = FALSE;
    }
  else
    return;

  info = g_hash_table_lookup (self->by_name, job);
  if (info != NULL)
    refresh_job (self, info);
  g_signal_emit (self, signals[SIGNAL_JOB_CHANGED], 0, job);
}

gboolean
init_admin_job_model_get_failure (InitAdminJobModel *self,
                                  const char        *job,
                                  char             **text,
                                  gint64            *when,
                                  char             **instance)
{
  Failure *failure;

  g_return_val_if_fail (INIT_ADMIN_IS_JOB_MODEL (self), FALSE);

  failure = job != NULL ? g_hash_table_lookup (self->failures, job) : NULL;
  if (failure == NULL)
    return FALSE;
  if (text != NULL)
    *text = g_strdup (failure->text);
  if (when != NULL)
    *when = failure->when;
  if (instance != NULL)
    *instance = g_strdup (failure->instance);
  return TRUE;
}

void
init_admin_job_model_set_highlight (InitAdminJobModel *self,
                                    GHashTable        *jobs)
{
  guint n;

  g_return_if_fail (INIT_ADMIN_IS_JOB_MODEL (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(InitAdminJobRow) row = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const char *name = init_admin_job_row_get_job_name (row);

      init_admin_job_row_set_highlighted (row, jobs != NULL && name != NULL
                                          && g_hash_table_contains (jobs, name));
    }
}

InitAdminJobRow *
init_admin_job_model_find_row (InitAdminJobModel *self,
                               const char        *job,
                               const char        *instance)
{
  JobInfo *info;

  g_return_val_if_fail (INIT_ADMIN_IS_JOB_MODEL (self), NULL);

  info = job != NULL ? g_hash_table_lookup (self->by_name, job) : NULL;
  if (info == NULL)
    return NULL;
  if (instance == NULL)
    return g_ptr_array_index (info->rows, 0);
  for (guint i = 0; i < info->rows->len; i++)
    {
      InitAdminJobRow *row = g_ptr_array_index (info->rows, i);

      if (g_strcmp0 (init_admin_job_row_get_instance_name (row), instance) == 0)
        return row;
    }
  return NULL;
}

GPtrArray *
init_admin_job_model_get_job_rows (InitAdminJobModel *self,
                                   const char        *job)
{
  JobInfo *info;

  g_return_val_if_fail (INIT_ADMIN_IS_JOB_MODEL (self), NULL);

  info = job != NULL ? g_hash_table_lookup (self->by_name, job) : NULL;
  return info != NULL ? info->rows : NULL;
}

void
init_admin_job_model_collect_event_names (InitAdminJobModel *self,
                                          GHashTable        *names)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (INIT_ADMIN_IS_JOB_MODEL (self));

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JobInfo *info = value;
      const char *const *emits = init_dbus_job_get_emits (info->proxy);

      init_admin_collect_event_names (init_dbus_job_get_start_on_tree (info->proxy), names);
      init_admin_collect_event_names (init_dbus_job_get_stop_on_tree (info->proxy), names);
      for (gsize i = 0; emits != NULL && emits[i] != NULL; i++)
        if (strpbrk (emits[i], "*?[") == NULL)
          g_hash_table_add (names, g_strdup (emits[i]));
    }
}

static void
init_admin_job_model_dispose (GObject *object)
{
  InitAdminJobModel *self = INIT_ADMIN_JOB_MODEL (object);

  init_admin_job_model_set_object_manager (self, NULL);

  G_OBJECT_CLASS (init_admin_job_model_parent_class)->dispose (object);
}

static void
init_admin_job_model_finalize (GObject *object)
{
  InitAdminJobModel *self = INIT_ADMIN_JOB_MODEL (object);

  g_clear_object (&self->store);
  g_hash_table_unref (self->jobs);
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->instances);
  g_hash_table_unref (self->orphans);
  g_hash_table_unref (self->failures);

  G_OBJECT_CLASS (init_admin_job_model_parent_class)->finalize (object);
}

static void
init_admin_job_model_class_init (InitAdminJobModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = init_admin_job_model_dispose;
  object_class->finalize = init_admin_job_model_finalize;

  signals[SIGNAL_JOB_CHANGED] =
    g_signal_new ("job-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
init_admin_job_model_init (InitAdminJobModel *self)
{
  self->store = g_list_store_new (INIT_ADMIN_TYPE_JOB_ROW);
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) job_info_free);
  self->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->instances = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->orphans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) failure_free);
}

InitAdminJobModel *
init_admin_job_model_new (void)
{
  return g_object_new (INIT_ADMIN_TYPE_JOB_MODEL, NULL);
}
