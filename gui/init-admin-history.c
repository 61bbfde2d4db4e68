/* init-admin-history.c — the daemon's history as a timeline of rows, live */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "init-admin-format.h"
#include "init-admin-history.h"

/* Rows kept; the oldest go first.  The daemon keeps HistorySize records (10000 by default),
 * which make fewer rows than that. */
#define MAX_ROWS        20000
/* Records per GetHistory call while catching up: GDBus parses a reply into one GVariant per
 * value, so 10,000 records at once would cost ~15 MB for a moment. */
#define CHUNK           1000
#define CONFIG_NAMES    4

typedef struct
{
  InitAdminHistoryRow *row;
  char                *kind;
  char                *cause;
  guint64              last_id;
  GPtrArray           *names;
} ConfigRun;

struct _InitAdminHistory
{
  GObject parent_instance;

  InitDBusManager *manager;
  GCancellable    *cancellable;
  GListStore      *store;          /* newest first */
  GPtrArray       *batch;          /* rows made while loading, oldest first */
  GQueue           queued;         /* GVariant (ttssa{sv}) records that came during loading */
  gboolean         loading;
  gboolean         loaded;
  guint64          last_id;

  GHashTable *events;              /* event id -> row (not owned) */
  GHashTable *requests;            /* display name -> request row waiting for its outcome */
  GHashTable *job_event;           /* display name -> event id of its last goal change */
  GHashTable *crashes;             /* display name -> GVariant record of an abnormal exit that
                                    * was no failure: a row once the job respawns */
  ConfigRun config;
};

G_DEFINE_FINAL_TYPE (InitAdminHistory, init_admin_history, G_TYPE_OBJECT)

enum
{
  SIGNAL_RECORD,
  SIGNAL_LOADED,
  SIGNAL_LOADING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
config_run_reset (ConfigRun *run)
{
  run->row = NULL;
  g_clear_pointer (&run->kind, g_free);
  g_clear_pointer (&run->cause, g_free);
  g_clear_pointer (&run->names, g_ptr_array_unref);
  run->last_id = 0;
}

static void
forget_row (InitAdminHistory    *self,
            InitAdminHistoryRow *row)
{
  guint64 event_id = init_admin_history_row_get_event_id (row);
  GHashTableIter iter;
  gpointer value;

  if (event_id != 0 && g_hash_table_lookup (self->events, &event_id) == row)
    g_hash_table_remove (self->events, &event_id);
  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == row)
      g_hash_table_iter_remove (&iter);
  if (self->config.row == row)
    config_run_reset (&self->config);
}

static void
add_row (InitAdminHistory    *self,
         InitAdminHistoryRow *row)
{
  guint n;

  if (self->loading)
    {
      g_ptr_array_add (self->batch, g_object_ref (row));
      return;
    }
  g_list_store_insert (self->store, 0, row);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  if (n > MAX_ROWS)
    {
      g_autoptr(InitAdminHistoryRow) oldest = g_list_model_get_item (G_LIST_MODEL (self->store), n - 1);

      forget_row (self, oldest);
      g_list_store_remove (self->store, n - 1);
    }
}

static InitAdminHistoryRow *
new_row (InitAdminHistory    *self,
         InitAdminHistoryKind kind,
         guint64              id,
         gint64               timestamp)
{
  g_autoptr(InitAdminHistoryRow) row = init_admin_history_row_new (kind, id, timestamp);

  add_row (self, row);
  return row;   /* owned by the store (or the batch) */
}

/* ---- records ---- */

/* A job's stopping event says whether and how it failed (RESULT=failed PROCESS=…
 * EXIT_STATUS=… or EXIT_SIGNAL=…), also when no process exit was a failure of its own, as
 * when the respawn limit is reached: the request that moved the job last failed with it. */
static void
request_failed_by (InitAdminHistory  *self,
                   const char *const *env)
{
  const char *job = NULL, *instance = "", *result = NULL, *process = NULL, *sig = NULL;
  int status = -1;
  g_autofree char *display = NULL;
  g_autofree char *text = NULL;
  InitAdminHistoryRow *row;

  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    if (g_str_has_prefix (env[i], "JOB="))
      job = env[i] + 4;
    else if (g_str_has_prefix (env[i], "INSTANCE="))
      instance = env[i] + 9;
    else if (g_str_has_prefix (env[i], "RESULT="))
      result = env[i] + 7;
    else if (g_str_has_prefix (env[i], "PROCESS="))
      process = env[i] + 8;
    else if (g_str_has_prefix (env[i], "EXIT_STATUS="))
      status = atoi (env[i] + 12);
    else if (g_str_has_prefix (env[i], "EXIT_SIGNAL="))
      sig = env[i] + 12;
  if (job == NULL || g_strcmp0 (result, "failed") != 0)
    return;
  display = init_admin_display_name (job, instance);
  row = g_hash_table_lookup (self->requests, display);
  if (row == NULL || init_admin_history_row_get_result (row) == INIT_ADMIN_RESULT_FAILED)
    return;
  text = init_admin_format_failure (process, status, sig);
  init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_FAILED, text);
}

static void
event_queued (InitAdminHistory *self,
              guint64           id,
              gint64            timestamp,
              const char       *name,
              GVariant         *details)
{
  InitAdminHistoryRow *row = new_row (self, INIT_ADMIN_HISTORY_EVENT, id, timestamp);
  g_autofree const char **env = NULL;
  g_autofree char *title = NULL;
  g_autofree char *cause = init_admin_format_cause (details);
  guint64 event_id = 0;

  g_variant_lookup (details, "event-id", "t", &event_id);
  g_variant_lookup (details, "env", "^a&s", &env);
  title = init_admin_format_event_title (name, env);
  init_admin_history_row_set_event_id (row, event_id);
  init_admin_history_row_set_title (row, title);
  init_admin_history_row_set_cause (row, cause);
  init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_PENDING, _("in progress"));
  if (event_id != 0)
    g_hash_table_insert (self->events, g_memdup2 (&event_id, sizeof event_id), row);
  if (g_str_equal (name, "stopping"))
    request_failed_by (self, env);
}

static char *
job_of_display (const char *display)
{
  const char *paren = strstr (display, " (");

  return paren != NULL ? g_strndup (display, paren - display) : g_strdup (display);
}

static void
event_finished (InitAdminHistory *self,
                GVariant         *details)
{
  guint64 event_id = 0;
  gboolean failed = FALSE;
  const char *failed_job = "", *reason = "";
  InitAdminHistoryRow *row;

  g_variant_lookup (details, "event-id", "t", &event_id);
  row = g_hash_table_lookup (self->events, &event_id);
  if (row == NULL)
    return;
  g_variant_lookup (details, "failed", "b", &failed);
  g_variant_lookup (details, "failed-job", "&s", &failed_job);
  g_variant_lookup (details, "reason", "&s", &reason);
  if (failed)
    {
      g_autofree char *text = g_strdup_printf (_("failed: %s: %s"), failed_job, reason);
      g_autofree char *job = job_of_display (failed_job);

      init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_FAILED, text);
      init_admin_history_row_add_job (row, job);
    }
  else
    init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_OK, _("done"));
}

/* Who asked, as "pid command" (NULL for the daemon itself). */
static char *
caller_of (GVariant *details)
{
  guint32 pid = 0;
  const char *command = "";

  if (!g_variant_lookup (details, "caller-pid", "u", &pid))
    return NULL;
  g_variant_lookup (details, "caller-command", "&s", &command);
  return g_strdup_printf ("%u %s", pid, command);
}

/* A restart is one request that sets the goal to stop and at once back to start: the start
 * joins the stop's row (which becomes "Restart …") rather than leaving it in progress for
 * ever beside a second row. */
static gboolean
merge_restart (InitAdminHistory *self,
               const char       *display,
               const char       *goal,
               GVariant         *details)
{
  InitAdminHistoryRow *row = g_hash_table_lookup (self->requests, display);
  g_autofree char *caller = caller_of (details);
  g_autofree char *title = NULL;

  if (row == NULL || caller == NULL || !g_str_equal (goal, "start")
      || g_strcmp0 (g_object_get_data (G_OBJECT (row), "init-admin-goal"), "stop") != 0
      || g_strcmp0 (g_object_get_data (G_OBJECT (row), "init-admin-caller"), caller) != 0)
    return FALSE;
  /* Translators: a request in the timeline, e.g. Restart heartbeat */
  title = g_strdup_printf (_("Restart %s"), display);
  init_admin_history_row_set_title (row, title);
  g_object_set_data_full (G_OBJECT (row), "init-admin-goal", g_strdup ("restart"), g_free);
  return TRUE;
}

static void
job_goal (InitAdminHistory *self,
          guint64           id,
          gint64            timestamp,
          GVariant         *details)
{
  const char *job = NULL, *instance = "", *goal = "", *cause = "";
  guint64 event_id = 0;
  g_autofree char *display = NULL;
  InitAdminHistoryRow *row;

  if (!g_variant_lookup (details, "job", "&s", &job))
    return;
  g_variant_lookup (details, "instance", "&s", &instance);
  g_variant_lookup (details, "goal", "&s", &goal);
  g_variant_lookup (details, "cause", "&s", &cause);
  g_variant_lookup (details, "cause-event-id", "t", &event_id);
  display = init_admin_display_name (job, instance);

  row = g_str_equal (cause, "event") ? g_hash_table_lookup (self->events, &event_id) : NULL;
  if (row != NULL)
    {
      const char *verb = g_str_equal (goal, "start") ? "started"
                         : g_str_equal (goal, "stop") ? "stopped" : "restarted";

      init_admin_history_row_add_effect (row, verb, job, instance);
      g_hash_table_insert (self->job_event, g_strdup (display),
                           g_memdup2 (&event_id, sizeof event_id));
      return;
    }

  /* A task's goal falls back to stop when its process ends: the exit (and any failure)
   * has its own row. */
  if (g_str_equal (cause, "process"))
    return;

  /* Not an event: someone asked (initctl, this app), a respawn, start-up or shutdown. */
  if (merge_restart (self, display, goal, details))
    return;
  {
    g_autofree char *title = NULL;
    g_autofree char *why = init_admin_format_cause (details);

    if (g_str_equal (goal, "start"))
      /* Translators: a request in the timeline, e.g. Start hello */
      title = g_strdup_printf (_("Start %s"), display);
    else if (g_str_equal (goal, "stop"))
      title = g_strdup_printf (_("Stop %s"), display);
    else
      title = g_strdup_printf (_("Respawn %s"), display);
    row = new_row (self, INIT_ADMIN_HISTORY_REQUEST, id, timestamp);
    init_admin_history_row_set_title (row, title);
    init_admin_history_row_set_cause (row, why);
    init_admin_history_row_add_job (row, job);
    init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_PENDING, _("in progress"));
    g_object_set_data_full (G_OBJECT (row), "init-admin-goal", g_strdup (goal), g_free);
    g_object_set_data_full (G_OBJECT (row), "init-admin-caller", caller_of (details), g_free);
    g_hash_table_replace (self->requests, g_strdup (display), row);
    g_hash_table_remove (self->job_event, display);
  }
}

/* A crash that the daemon respawns: a row of its own with how the process ended (not the
 * "stopping … RESULT=ok" of the respawn alone, which read as done). */
static void
respawned_crash (InitAdminHistory *self,
                 const char       *display,
                 const char       *cause)
{
  g_autoptr(GVariant) record = NULL;
  g_autoptr(GVariant) details = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  const char *job = "", *process = NULL, *sig = NULL;
  gint32 status = -1;
  guint64 id;
  gint64 timestamp;
  InitAdminHistoryRow *row;

  g_autofree char *key = NULL;

  if (!g_hash_table_steal_extended (self->crashes, display, (gpointer *) &key, (gpointer *) &record))
    return;
  if (!g_str_equal (cause, "respawn"))
    return;
  g_variant_get (record, "(tx@a{sv})", &id, &timestamp, &details);
  g_variant_lookup (details, "job", "&s", &job);
  g_variant_lookup (details, "process", "&s", &process);
  g_variant_lookup (details, "status", "i", &status);
  g_variant_lookup (details, "signal", "&s", &sig);
  text = init_admin_format_failure (process, status, sig);
  title = g_strdup_printf ("%s: %s", display, text);
  row = new_row (self, INIT_ADMIN_HISTORY_FAILURE, id, timestamp);
  init_admin_history_row_set_title (row, title);
  init_admin_history_row_add_job (row, job);
  init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_FAILED, _("respawned"));
}

static void
job_state (InitAdminHistory *self,
           GVariant         *details)
{
  const char *job = NULL, *instance = "", *state = "", *goal = "";
  g_autofree char *display = NULL;
  InitAdminHistoryRow *row;

  if (!g_variant_lookup (details, "job", "&s", &job))
    return;
  g_variant_lookup (details, "instance", "&s", &instance);
  g_variant_lookup (details, "state", "&s", &state);
  g_variant_lookup (details, "goal", "&s", &goal);
  display = init_admin_display_name (job, instance);
  {
    const char *cause = "";

    g_variant_lookup (details, "cause", "&s", &cause);
    respawned_crash (self, display, cause);
  }
  row = g_hash_table_lookup (self->requests, display);
  if (row == NULL)
    return;
  /* "running" is not the end of a start: a task runs until it finishes (or fails), and a
   * service may crash until its respawn limit fails it.  The request stays open, so what
   * happens next is its outcome, until the job stops or someone asks again. */
  if (g_str_equal (state, "running") && !g_str_equal (goal, "stop"))
    init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_OK, _("running"));
  else if (g_str_equal (state, "waiting"))
    {
      const char *asked = g_object_get_data (G_OBJECT (row), "init-admin-goal");

      if (init_admin_history_row_get_result (row) != INIT_ADMIN_RESULT_FAILED)
        init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_OK,
                                           g_strcmp0 (asked, "start") == 0 ? _("finished")
                                                                           : _("stopped"));
      g_hash_table_remove (self->requests, display);
    }
}

static void
process_exited (InitAdminHistory *self,
                guint64           id,
                gint64            timestamp,
                GVariant         *details)
{
  const char *job = NULL, *instance = "", *process = NULL, *sig = NULL;
  gboolean failed = FALSE;
  gint32 status = -1;
  g_autofree char *display = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  InitAdminHistoryRow *row, *request, *event = NULL;
  guint64 *event_id;

  if (!g_variant_lookup (details, "job", "&s", &job))
    return;
  g_variant_lookup (details, "failed", "b", &failed);
  g_variant_lookup (details, "instance", "&s", &instance);
  g_variant_lookup (details, "process", "&s", &process);
  g_variant_lookup (details, "status", "i", &status);
  g_variant_lookup (details, "signal", "&s", &sig);
  display = init_admin_display_name (job, instance);
  if (!failed)
    {
      /* Ended badly but no failure: a crash to be respawned, or the signal of a stop.  The
       * next state change tells which. */
      if (status > 0 || sig != NULL)
        g_hash_table_replace (self->crashes, g_strdup (display),
                              g_variant_ref_sink (g_variant_new ("(tx@a{sv})", id, timestamp, details)));
      return;
    }
  text = init_admin_format_failure (process, status, sig);

  row = new_row (self, INIT_ADMIN_HISTORY_FAILURE, id, timestamp);
  title = g_strdup_printf ("%s: %s", display, text);
  init_admin_history_row_set_title (row, title);
  init_admin_history_row_add_job (row, job);
  init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_FAILED, _("failed"));

  /* Whatever moved the job last shares the failure. */
  request = g_hash_table_lookup (self->requests, display);
  if (request != NULL)
    init_admin_history_row_set_result (request, INIT_ADMIN_RESULT_FAILED, text);
  event_id = g_hash_table_lookup (self->job_event, display);
  if (event_id != NULL)
    event = g_hash_table_lookup (self->events, event_id);
  if (event != NULL)
    init_admin_history_row_add_effect (event, "failed", job, instance);
}

static void
config_record (InitAdminHistory *self,
               guint64           id,
               gint64            timestamp,
               const char       *kind,
               const char       *subject,
               GVariant         *details)
{
  g_autofree char *cause = init_admin_format_cause (details);
  g_autoptr(GString) names = NULL;
  g_autofree char *title = NULL;
  const char *job = NULL;
  ConfigRun *run = &self->config;
  guint n;

  if (g_str_equal (kind, "config-error"))
    {
      InitAdminHistoryRow *row = new_row (self, INIT_ADMIN_HISTORY_CONFIG, id, timestamp);
      const char *reason = "";
      g_autofree char *text = NULL;

      g_variant_lookup (details, "reason", "&s", &reason);
      text = g_strdup_printf (_("Configuration error in %s"), subject);
      init_admin_history_row_set_title (row, text);
      init_admin_history_row_set_file (row, subject);
      init_admin_history_row_set_cause (row, cause);
      init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_FAILED, reason);
      config_run_reset (run);
      return;
    }

  g_variant_lookup (details, "job", "&s", &job);
  /* Loading many jobs at once makes one row, not thousands. */
  if (run->row == NULL || g_strcmp0 (run->kind, kind) != 0 || g_strcmp0 (run->cause, cause) != 0
      || run->last_id + 1 != id)
    {
      config_run_reset (run);
      run->row = new_row (self, INIT_ADMIN_HISTORY_CONFIG, id, timestamp);
      run->kind = g_strdup (kind);
      run->cause = g_strdup (cause);
      run->names = g_ptr_array_new_with_free_func (g_free);
      init_admin_history_row_set_cause (run->row, cause);
      init_admin_history_row_set_result (run->row, INIT_ADMIN_RESULT_OK, "");
    }
  run->last_id = id;
  g_ptr_array_add (run->names, g_strdup (subject));
  init_admin_history_row_add_job (run->row, job != NULL ? job : subject);

  n = run->names->len;
  names = g_string_new (NULL);
  for (guint i = 0; i < MIN (n, CONFIG_NAMES); i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                            (char *) g_ptr_array_index (run->names, i));
  if (n > CONFIG_NAMES)
    g_string_append (names, ", …");
  if (g_str_equal (kind, "job-added"))
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u job loaded: %s",
                                          "%u jobs loaded: %s", n), n, names->str);
  else if (g_str_equal (kind, "job-changed"))
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u job changed: %s",
                                          "%u jobs changed: %s", n), n, names->str);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u job removed: %s",
                                          "%u jobs removed: %s", n), n, names->str);
  init_admin_history_row_set_title (run->row, title);
}

static void
ingest (InitAdminHistory *self,
        GVariant         *record)
{
  guint64 id, timestamp;
  const char *kind, *subject;
  g_autoptr(GVariant) details = NULL;

  g_variant_get (record, "(tt&s&s@a{sv})", &id, &timestamp, &kind, &subject, &details);
  if (id <= self->last_id)
    return;
  self->last_id = id;

  g_signal_emit (self, signals[SIGNAL_RECORD], 0, (gint64) timestamp, kind, details);

  if (g_str_equal (kind, "event-queued"))
    event_queued (self, id, (gint64) timestamp, subject, details);
  else if (g_str_equal (kind, "event-finished"))
    event_finished (self, details);
  else if (g_str_equal (kind, "job-goal"))
    job_goal (self, id, (gint64) timestamp, details);
  else if (g_str_equal (kind, "job-state"))
    job_state (self, details);
  else if (g_str_equal (kind, "process-exited"))
    process_exited (self, id, (gint64) timestamp, details);
  else if (g_str_has_prefix (kind, "job-") || g_str_equal (kind, "config-error"))
    config_record (self, id, (gint64) timestamp, kind, subject, details);
}

static void
on_history_record (InitDBusManager *manager,
                   guint64          id,
                   guint64          timestamp,
                   const char      *kind,
                   const char      *subject,
                   GVariant        *details,
                   gpointer         user_data)
{
  InitAdminHistory *self = user_data;
  g_autoptr(GVariant) record = g_variant_ref_sink (g_variant_new ("(ttss@a{sv})", id, timestamp,
                                                                  kind, subject, details));

  if (self->loading)
    g_queue_push_tail (&self->queued, g_steal_pointer (&record));
  else
    ingest (self, record);
}

static void request_chunk (InitAdminHistory *self);

static void
finish_loading (InitAdminHistory *self)
{
  GVariant *queued;

  while ((queued = g_queue_pop_head (&self->queued)) != NULL)
    {
      ingest (self, queued);
      g_variant_unref (queued);
    }

  /* One change for the whole backlog. */
  self->loading = FALSE;
  for (guint i = 0, j = self->batch->len; i + 1 < j; i++, j--)
    {
      gpointer tmp = self->batch->pdata[i];

      self->batch->pdata[i] = self->batch->pdata[j - 1];
      self->batch->pdata[j - 1] = tmp;
    }
  g_list_store_splice (self->store, 0, 0, self->batch->pdata, self->batch->len);
  g_ptr_array_set_size (self->batch, 0);
  self->loaded = TRUE;
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

static void
get_history_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(InitAdminHistory) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  g_autoptr(GVariant) records = NULL;
  guint64 newest = 0;
  gsize n = 0;

  if (reply == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (INIT_DBUS_MANAGER (source) != self->manager)
    return;
  if (reply == NULL)
    g_warning ("Cannot read the daemon's history: %s", error->message);
  else
    {
      GVariantIter iter;
      GVariant *record;

      records = g_variant_get_child_value (reply, 0);
      g_variant_get_child (reply, 1, "t", &newest);
      n = g_variant_n_children (records);
      g_variant_iter_init (&iter, records);
      while ((record = g_variant_iter_next_value (&iter)) != NULL)
        {
          ingest (self, record);
          g_variant_unref (record);
        }
    }
  /* More to read while records came and the daemon has newer ones (a reply can hold fewer
   * than CHUNK: the daemon bounds replies by size too). */
  if (reply != NULL && n > 0 && self->last_id < newest)
    request_chunk (self);
  else
    finish_loading (self);
}

static void
request_chunk (InitAdminHistory *self)
{
  g_dbus_proxy_call (G_DBUS_PROXY (self->manager), "GetHistory",
                     g_variant_new ("(tu)", self->last_id, CHUNK),
                     /* Environments and callers need org.example.Init.read-history on the
                      * system bus: an administrator may be asked to authenticate. */
                     G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION, -1, self->cancellable,
                     get_history_cb,
                     g_object_ref (self));
}

void
init_admin_history_set_manager (InitAdminHistory *self,
                                InitDBusManager  *manager,
                                GCancellable     *cancellable)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY (self));

  if (self->manager == manager)
    return;
  if (self->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->manager, self);
      g_clear_object (&self->manager);
    }
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->queued, (GDestroyNotify) g_variant_unref);
  g_ptr_array_set_size (self->batch, 0);
  self->loading = FALSE;
  if (manager == NULL)
    return;

  /* A new daemon starts its ids from 1 again. */
  g_list_store_remove_all (self->store);
  g_hash_table_remove_all (self->events);
  g_hash_table_remove_all (self->requests);
  g_hash_table_remove_all (self->job_event);
  config_run_reset (&self->config);
  self->last_id = 0;
  self->loaded = FALSE;

  self->manager = g_object_ref (manager);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->loading = TRUE;
  g_signal_connect (manager, "history-record", G_CALLBACK (on_history_record), self);
  request_chunk (self);
  g_signal_emit (self, signals[SIGNAL_LOADING], 0);
}

gboolean
init_admin_history_get_loading (InitAdminHistory *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY (self), FALSE);
  return self->loading;
}

GListModel *
init_admin_history_get_rows (InitAdminHistory *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY (self), NULL);
  return G_LIST_MODEL (self->store);
}

InitAdminHistoryRow *
init_admin_history_find_event (InitAdminHistory *self,
                               guint64           event_id)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY (self), NULL);
  return g_hash_table_lookup (self->events, &event_id);
}

guint64
init_admin_history_get_last_id (InitAdminHistory *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY (self), 0);
  return self->last_id;
}

gboolean
init_admin_history_get_loaded (InitAdminHistory *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY (self), FALSE);
  return self->loaded;
}

static void
init_admin_history_dispose (GObject *object)
{
  InitAdminHistory *self = INIT_ADMIN_HISTORY (object);

  init_admin_history_set_manager (self, NULL, NULL);

  G_OBJECT_CLASS (init_admin_history_parent_class)->dispose (object);
}

static void
init_admin_history_finalize (GObject *object)
{
  InitAdminHistory *self = INIT_ADMIN_HISTORY (object);

  g_clear_object (&self->store);
  g_ptr_array_unref (self->batch);
  g_hash_table_unref (self->events);
  g_hash_table_unref (self->requests);
  g_hash_table_unref (self->job_event);
  g_hash_table_unref (self->crashes);
  config_run_reset (&self->config);

  G_OBJECT_CLASS (init_admin_history_parent_class)->finalize (object);
}

static void
init_admin_history_class_init (InitAdminHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = init_admin_history_dispose;
  object_class->finalize = init_admin_history_finalize;

  signals[SIGNAL_RECORD] =
    g_signal_new ("record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_VARIANT);
  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_LOADING] =
    g_signal_new ("loading", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
init_admin_history_init (InitAdminHistory *self)
{
  self->store = g_list_store_new (INIT_ADMIN_TYPE_HISTORY_ROW);
  self->batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->queued);
  self->events = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->job_event = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->crashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
}

InitAdminHistory *
init_admin_history_new (void)
{
  return g_object_new (INIT_ADMIN_TYPE_HISTORY, NULL);
}
