/* init-history.c — a bounded record of events and job transitions, with their causes */
#define G_LOG_DOMAIN "init-history"

#include "init-engine-private.h"
#include "init-history.h"
#include "init-instance.h"
#include "init-kernel-names.h"
#include "init-process.h"
#include "init-variant-writer.h"

/* What we last recorded of an instance, to record only real changes. */
typedef struct
{
  InitGoal  goal;
  InitState state;
  pid_t     pid[INIT_PROCESS_N];
  gint64    failed_time;
  /* A process that ended, not recorded yet: the engine reports the failure (exit status)
   * in its next notification, so the record waits for it (or for anything else to happen). */
  InitProcessType exited_type;
  pid_t           exited_pid;
  /* How the last process that ended did (the engine says so before it notifies). */
  pid_t status_pid;
  int   status;
} Snapshot;

struct _InitHistory
{
  GObject parent_instance;

  InitEngine *engine;
  GVariant  **ring;        /* serialised (ttssa{sv}) records */
  guint       size;        /* most records kept */
  guint       allocated;   /* slots in @ring (grows up to @size) */
  guint       start;       /* index of the oldest record */
  guint       length;
  guint64     last_id;

  GHashTable *snapshots;   /* InitInstance* -> Snapshot* */
  GPtrArray  *exited;      /* InitInstance* (ref) with a pending process-exited record */
  guint       flush_idle;
  gboolean    writing;     /* between record_begin() and record_end() */
};

enum
{
  SIGNAL_RECORD_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (InitHistory, init_history, G_TYPE_OBJECT)

void
init_history_write_cause (InitVariantWriter *writer,
                          const InitCause   *cause)
{
  g_return_if_fail (writer != NULL);

  init_variant_writer_entry_string (writer, "cause",
                                    init_cause_kind_to_string (cause != NULL ? cause->kind
                                                                             : INIT_CAUSE_NONE));
  if (cause == NULL)
    return;
  if (cause->kind == INIT_CAUSE_EVENT)
    {
      init_variant_writer_entry_uint64 (writer, "cause-event-id", cause->event_id);
      init_variant_writer_entry_string (writer, "cause-event", cause->event_name);
    }
  else if (cause->kind == INIT_CAUSE_CALLER)
    {
      init_variant_writer_entry_uint32 (writer, "caller-uid", cause->uid);
      init_variant_writer_entry_uint32 (writer, "caller-pid", cause->pid);
      init_variant_writer_entry_string (writer, "caller-command", cause->command);
    }
}

void
init_history_add_cause (GVariantBuilder *builder,
                        const InitCause *cause)
{
  InitVariantWriter *writer = init_variant_writer_new (128);
  g_autoptr(GVariant) keys = NULL;
  GVariantIter iter;
  GVariant *entry;

  g_return_if_fail (builder != NULL);

  init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_8, FALSE);
  init_history_write_cause (writer, cause);
  init_variant_writer_close_array (writer);
  keys = g_variant_ref_sink (init_variant_writer_finish (writer, G_VARIANT_TYPE_VARDICT));
  g_variant_iter_init (&iter, keys);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_variant_builder_add_value (builder, entry);
      g_variant_unref (entry);
    }
}

/* ---- the ring ---- */

/* Put @record (a full reference) in the ring, dropping the oldest if it is full. */
static void
ring_push (InitHistory *self,
           GVariant    *record)
{
  if (self->length < self->size)
    {
      /* Not full yet, so the ring has not wrapped: start is 0 and records are in order. */
      if (self->length == self->allocated)
        {
          self->allocated = MIN (self->size, MAX (64, self->allocated * 2));
          self->ring = g_renew (GVariant *, self->ring, self->allocated);
        }
      self->ring[self->length++] = record;
    }
  else
    {
      g_variant_unref (self->ring[self->start]);
      self->ring[self->start] = record;
      self->start = (self->start + 1) % self->size;
    }
}

/* Keep @record (a full reference, its id the newest) and announce it. */
static guint64
keep (InitHistory *self,
      GVariant    *record)
{
  ring_push (self, record);
  g_signal_emit (self, signals[SIGNAL_RECORD_ADDED], 0, record);
  return self->last_id;
}

static guint64
history_append (InitHistory *self,
                const char  *kind,
                const char  *subject,
                GVariant    *details)
{
  GVariant *record;
  guint64 id = ++self->last_id;

  if (details == NULL)
    details = g_variant_new ("a{sv}", NULL);
  record = g_variant_ref_sink (g_variant_new ("(ttss@a{sv})", id, (guint64) g_get_real_time (),
                                              kind, subject, details));
  /* Serialise now: the tree of child values is freed and one compact buffer remains. */
  (void) g_variant_get_data (record);
  return keep (self, record);
}

/* A record written straight in its serialised form (init-variant-writer.h: building it with
 * GVariantBuilder and serialising it was most of the daemon's CPU per task run, ~23 records
 * each).  Between record_begin() and record_end() the caller writes the details' entries;
 * no other record may be appended meanwhile (the id is written first). */
static InitVariantWriter *
record_begin (InitHistory *self,
              const char  *kind,
              const char  *subject)
{
  InitVariantWriter *writer = init_variant_writer_new (320);

  g_assert (!self->writing);
  self->writing = TRUE;
  init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_uint64 (writer, self->last_id + 1);
  init_variant_writer_uint64 (writer, (guint64) g_get_real_time ());
  init_variant_writer_string (writer, kind);
  init_variant_writer_string (writer, subject);
  init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_8, FALSE);
  return writer;
}

static guint64
record_end (InitHistory       *self,
            InitVariantWriter *writer)
{
  GVariant *record;

  init_variant_writer_close_array (writer);
  init_variant_writer_close_tuple (writer);
  record = g_variant_ref_sink (init_variant_writer_finish (writer, G_VARIANT_TYPE ("(ttssa{sv})")));
  self->writing = FALSE;
  ++self->last_id;
  return keep (self, record);
}

void
init_history_restore (InitHistory *self,
                      GVariant    *records)
{
  g_return_if_fail (INIT_IS_HISTORY (self));

  if (records == NULL || !g_variant_is_of_type (records, G_VARIANT_TYPE ("a(ttssa{sv})")))
    return;
  for (gsize i = 0; i < g_variant_n_children (records); i++)
    {
      GVariant *record = g_variant_get_child_value (records, i);
      guint64 id;

      g_variant_get_child (record, 0, "t", &id);
      /* Ids only ever grow: anything out of order is not ours. */
      if (id <= self->last_id)
        {
          g_variant_unref (record);
          continue;
        }
      self->last_id = id;
      ring_push (self, record);
    }
}

/* ---- instances ---- */

/* record_begin() for an instance, with its job keys written. */
static InitVariantWriter *
job_record_begin (InitHistory  *self,
                  const char   *kind,
                  const char   *display,
                  InitInstance *job)
{
  InitVariantWriter *writer = record_begin (self, kind, display);

  init_variant_writer_entry_string (writer, "job", job->klass->name);
  init_variant_writer_entry_string (writer, "instance", job->name);
  /* A failure with a reason of its own ("daemon restarted"). */
  if (job->failed && job->failed_reason != NULL)
    init_variant_writer_entry_string (writer, "failed-reason", job->failed_reason);
  return writer;
}

static void
add_exit_keys (InitVariantWriter *writer,
               int                status)
{
  if (status == -1)
    return;
  if (status & ~0xff)
    {
      g_autofree char *sig = init_signal_to_name (status >> 8);
      init_variant_writer_entry_string (writer, "signal", sig);
    }
  else
    init_variant_writer_entry_int32 (writer, "status", status);
}

static void
record_exit (InitHistory  *self,
             InitInstance *job,
             Snapshot     *snap)
{
  g_autofree char *display = init_instance_display_name (job);
  InitVariantWriter *writer = job_record_begin (self, "process-exited", display, job);

  init_variant_writer_entry_string (writer, "process",
                                    init_process_type_to_string (snap->exited_type));
  init_variant_writer_entry_int32 (writer, "pid", snap->exited_pid);
  if (job->failed && job->failed_time != snap->failed_time
      && job->failed_process == snap->exited_type)
    {
      init_variant_writer_entry_boolean (writer, "failed", TRUE);
      add_exit_keys (writer, job->exit_status);
    }
  else if (snap->status_pid == snap->exited_pid)
    /* Not a failure (a respawn, a normal exit, the signal of a stop): how it ended all the
     * same, so a crash that is respawned is not "done" without a word. */
    add_exit_keys (writer, snap->status);
  snap->exited_type = INIT_PROCESS_NONE;
  record_end (self, writer);
}

/* Record every process exit still waiting for its status. */
static void
flush_exits (InitHistory *self)
{
  g_autoptr(GPtrArray) exited = NULL;

  if (self->exited->len == 0)
    return;
  exited = g_steal_pointer (&self->exited);
  self->exited = g_ptr_array_new_with_free_func ((GDestroyNotify) init_instance_unref);
  for (guint i = 0; i < exited->len; i++)
    {
      InitInstance *job = g_ptr_array_index (exited, i);
      Snapshot *snap = g_hash_table_lookup (self->snapshots, job);

      if (snap != NULL && snap->exited_type != INIT_PROCESS_NONE)
        record_exit (self, job, snap);
    }
}

static gboolean
flush_idle_cb (gpointer user_data)
{
  InitHistory *self = user_data;

  self->flush_idle = 0;
  flush_exits (self);
  return G_SOURCE_REMOVE;
}

static void
on_instance_added (InitEngine   *engine,
                   InitInstance *job,
                   gpointer      user_data)
{
  InitHistory *self = user_data;
  Snapshot *snap = g_new0 (Snapshot, 1);

  /* A new instance is stop/waiting; one restored after a re-exec is whatever it was. */
  snap->goal = job->goal;
  snap->state = job->state;
  memcpy (snap->pid, job->pid, sizeof snap->pid);
  snap->exited_type = INIT_PROCESS_NONE;
  snap->failed_time = job->failed_time;
  g_hash_table_replace (self->snapshots, job, snap);
}

static void
on_process_exited (InitEngine   *engine,
                   InitInstance *job,
                   int           type,
                   int           pid,
                   int           status,
                   gpointer      user_data)
{
  InitHistory *self = user_data;
  Snapshot *snap = g_hash_table_lookup (self->snapshots, job);

  if (snap == NULL)
    return;
  snap->status_pid = pid;
  snap->status = status;
}

/* Records "job-goal" if the goal moved since @snap. */
static void
record_goal_change (InitHistory  *self,
                    InitInstance *job,
                    Snapshot     *snap,
                    const char   *display)
{
  InitVariantWriter *writer;

  if (job->goal == snap->goal)
    return;
  writer = job_record_begin (self, "job-goal", display, job);
  init_variant_writer_entry_string (writer, "goal", init_goal_to_string (job->goal));
  init_history_write_cause (writer, job->cause);
  snap->goal = job->goal;
  record_end (self, writer);
}

/* Notes the processes of @snap that are gone: an exit is recorded once its status (and any
 * failure it causes) is known, at the latest when the main loop is idle. */
static void
note_exits (InitHistory  *self,
            InitInstance *job,
            Snapshot     *snap)
{
  for (guint i = 0; i < INIT_PROCESS_N; i++)
    if (snap->pid[i] > 0 && job->pid[i] != snap->pid[i])
      {
        if (snap->exited_type != INIT_PROCESS_NONE)
          record_exit (self, job, snap);
        snap->exited_type = i;
        snap->exited_pid = snap->pid[i];
        snap->pid[i] = 0;
      }
  if (snap->exited_type != INIT_PROCESS_NONE)
    {
      g_ptr_array_add (self->exited, init_instance_ref (job));
      if (self->flush_idle == 0)
        self->flush_idle = g_idle_add (flush_idle_cb, self);
    }
}

/* Records "job-state" if the state moved since @snap. */
static void
record_state_change (InitHistory  *self,
                     InitInstance *job,
                     Snapshot     *snap,
                     const char   *display)
{
  InitVariantWriter *writer;

  if (job->state == snap->state)
    return;
  /* A state change settles any exit it follows from. */
  if (snap->exited_type != INIT_PROCESS_NONE)
    flush_exits (self);
  writer = job_record_begin (self, "job-state", display, job);
  init_variant_writer_entry_string (writer, "state", init_state_to_string (job->state));
  init_variant_writer_entry_string (writer, "from-state", init_state_to_string (snap->state));
  init_variant_writer_entry_string (writer, "goal", init_goal_to_string (job->goal));
  init_history_write_cause (writer, job->cause);
  snap->state = job->state;
  record_end (self, writer);
}

/* Records "process-started" for each process that is new since @snap. */
static void
record_process_starts (InitHistory  *self,
                       InitInstance *job,
                       Snapshot     *snap,
                       const char   *display)
{
  for (guint i = 0; i < INIT_PROCESS_N; i++)
    if (job->pid[i] > 0 && job->pid[i] != snap->pid[i])
      {
        InitVariantWriter *writer;

        if (snap->exited_type != INIT_PROCESS_NONE)
          flush_exits (self);
        writer = job_record_begin (self, "process-started", display, job);
        init_variant_writer_entry_string (writer, "process", init_process_type_to_string (i));
        init_variant_writer_entry_int32 (writer, "pid", job->pid[i]);
        snap->pid[i] = job->pid[i];
        record_end (self, writer);
      }
}

/* What changed since the instance's snapshot, recorded in the order it happened: the goal,
 * the processes that ended, the state, the processes that started. */
static void
on_instance_changed (InitEngine   *engine,
                     InitInstance *job,
                     gpointer      user_data)
{
  InitHistory *self = user_data;
  Snapshot *snap = g_hash_table_lookup (self->snapshots, job);
  g_autofree char *display = NULL;

  if (snap == NULL)
    {
      on_instance_added (engine, job, self);
      snap = g_hash_table_lookup (self->snapshots, job);
    }

  /* This is the notification that carries a failure, if the exit was one. */
  if (snap->exited_type != INIT_PROCESS_NONE)
    record_exit (self, job, snap);
  flush_exits (self);
  display = init_instance_display_name (job);

  record_goal_change (self, job, snap, display);
  note_exits (self, job, snap);
  record_state_change (self, job, snap, display);
  record_process_starts (self, job, snap, display);

  /* Remember the failure we have seen, once no exit is waiting to report it. */
  if (snap->exited_type == INIT_PROCESS_NONE)
    snap->failed_time = job->failed_time;
}

static void
on_instance_removed (InitEngine   *engine,
                     InitInstance *job,
                     gpointer      user_data)
{
  InitHistory *self = user_data;
  Snapshot *snap = g_hash_table_lookup (self->snapshots, job);

  if (snap != NULL && snap->exited_type != INIT_PROCESS_NONE)
    record_exit (self, job, snap);
  g_hash_table_remove (self->snapshots, job);
}

/* ---- events ---- */

static void
on_event_queued (InitEngine *engine,
                 InitEvent  *event,
                 gpointer    user_data)
{
  InitHistory *self = user_data;
  InitVariantWriter *writer;

  flush_exits (self);
  writer = record_begin (self, "event-queued", event->name);
  init_variant_writer_entry_uint64 (writer, "event-id", event->id);
  init_variant_writer_entry_strv (writer, "env", (const char *const *) event->env->pdata,
                                  event->env->len);
  init_history_write_cause (writer, event->cause);
  record_end (self, writer);
}

static void
on_event_finished (InitEngine *engine,
                   InitEvent  *event,
                   gpointer    user_data)
{
  InitHistory *self = user_data;
  InitVariantWriter *writer;

  flush_exits (self);
  writer = record_begin (self, "event-finished", event->name);
  init_variant_writer_entry_uint64 (writer, "event-id", event->id);
  init_variant_writer_entry_boolean (writer, "failed", event->failed);
  if (event->failed)
    {
      init_variant_writer_entry_string (writer, "failed-job", event->failed_job);
      init_variant_writer_entry_string (writer, "reason", event->failed_reason);
    }
  record_end (self, writer);
}

/* ---- configuration ---- */

/* Definitions change only through (re)loading configuration: without a caller or start-up
 * cause pushed, the cause is a reload (a file watch or SIGHUP). */
static void
add_config_cause (InitHistory       *self,
                  InitVariantWriter *writer)
{
  const InitCause *cause = init_engine_get_current_cause (self->engine);
  g_autoptr(InitCause) reload = NULL;

  if (cause == NULL)
    cause = reload = init_cause_new (INIT_CAUSE_RELOAD);
  init_history_write_cause (writer, cause);
}

static void
record_entry (InitHistory *self,
              const char  *kind,
              InitJob     *entry)
{
  InitVariantWriter *writer;

  flush_exits (self);
  writer = record_begin (self, kind, entry->name);
  init_variant_writer_entry_string (writer, "job", entry->name);
  add_config_cause (self, writer);
  record_end (self, writer);
}

static void
on_job_added (InitEngine *engine,
              InitJob    *entry,
              gpointer    user_data)
{
  record_entry (user_data, "job-added", entry);
}

static void
on_job_changed (InitEngine *engine,
                InitJob    *entry,
                gpointer    user_data)
{
  record_entry (user_data, "job-changed", entry);
}

static void
on_job_removed (InitEngine *engine,
                InitJob    *entry,
                gpointer    user_data)
{
  record_entry (user_data, "job-removed", entry);
}

static void
on_config_error (InitEngine *engine,
                 const char *path,
                 const char *message,
                 gpointer    user_data)
{
  InitHistory *self = user_data;
  InitVariantWriter *writer;

  flush_exits (self);
  writer = record_begin (self, "config-error", path);
  init_variant_writer_entry_string (writer, "reason", message);
  add_config_cause (self, writer);
  record_end (self, writer);
}

/* ---- GObject ---- */

static void
init_history_dispose (GObject *object)
{
  InitHistory *self = INIT_HISTORY (object);

  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      g_clear_object (&self->engine);
    }
  g_clear_handle_id (&self->flush_idle, g_source_remove);
  if (self->exited != NULL)
    g_ptr_array_set_size (self->exited, 0);

  G_OBJECT_CLASS (init_history_parent_class)->dispose (object);
}

static void
init_history_finalize (GObject *object)
{
  InitHistory *self = INIT_HISTORY (object);

  for (guint i = 0; i < self->length; i++)
    g_variant_unref (self->ring[i]);
  g_free (self->ring);
  g_hash_table_unref (self->snapshots);
  g_ptr_array_unref (self->exited);

  G_OBJECT_CLASS (init_history_parent_class)->finalize (object);
}

static void
init_history_class_init (InitHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = init_history_dispose;
  object_class->finalize = init_history_finalize;

  signals[SIGNAL_RECORD_ADDED] =
    g_signal_new ("record-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_VARIANT);
}

static void
init_history_init (InitHistory *self)
{
  self->snapshots = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->exited = g_ptr_array_new_with_free_func ((GDestroyNotify) init_instance_unref);
}

InitHistory *
init_history_new (InitEngine *engine,
                  guint       size)
{
  InitHistory *self;

  g_return_val_if_fail (engine == NULL || INIT_IS_ENGINE (engine), NULL);

  self = g_object_new (INIT_TYPE_HISTORY, NULL);
  self->size = size > 0 ? size : INIT_HISTORY_DEFAULT_SIZE;
  if (engine != NULL)
    {
      self->engine = g_object_ref (engine);
      g_signal_connect (engine, "event-queued", G_CALLBACK (on_event_queued), self);
      g_signal_connect (engine, "event-finished", G_CALLBACK (on_event_finished), self);
      g_signal_connect (engine, "instance-added", G_CALLBACK (on_instance_added), self);
      g_signal_connect (engine, "instance-changed", G_CALLBACK (on_instance_changed), self);
      g_signal_connect (engine, "process-exited", G_CALLBACK (on_process_exited), self);
      g_signal_connect (engine, "instance-removed", G_CALLBACK (on_instance_removed), self);
      g_signal_connect (engine, "job-added", G_CALLBACK (on_job_added), self);
      g_signal_connect (engine, "job-changed", G_CALLBACK (on_job_changed), self);
      g_signal_connect (engine, "job-removed", G_CALLBACK (on_job_removed), self);
      g_signal_connect (engine, "config-error", G_CALLBACK (on_config_error), self);
    }
  return self;
}

guint
init_history_get_size (InitHistory *self)
{
  g_return_val_if_fail (INIT_IS_HISTORY (self), 0);
  return self->size;
}

guint
init_history_get_length (InitHistory *self)
{
  g_return_val_if_fail (INIT_IS_HISTORY (self), 0);
  return self->length;
}

guint64
init_history_get_last_id (InitHistory *self)
{
  g_return_val_if_fail (INIT_IS_HISTORY (self), 0);
  return self->last_id;
}

GVariant *
init_history_get_records (InitHistory *self,
                          guint64      after,
                          guint        max)
{
  return init_history_get_page (self, after, max, 0, FALSE);
}

GVariant *
init_history_find_last (InitHistory         *self,
                        guint64              before,
                        InitHistoryMatchFunc match,
                        gpointer             user_data)
{
  g_return_val_if_fail (INIT_IS_HISTORY (self), NULL);
  g_return_val_if_fail (match != NULL, NULL);

  for (guint i = self->length; i > 0; i--)
    {
      GVariant *record = self->ring[(self->start + i - 1) % self->size];
      guint64 id;

      g_variant_get_child (record, 0, "t", &id);
      if ((before == 0 || id < before) && match (record, user_data))
        return g_variant_ref (record);
    }
  return NULL;
}

GVariant *
init_history_get_page (InitHistory *self,
                       guint64      after,
                       guint        max,
                       gsize        max_bytes,
                       gboolean     strip)
{
  GVariantBuilder builder;
  guint64 oldest;
  gsize bytes = 0;
  guint first, n;

  g_return_val_if_fail (INIT_IS_HISTORY (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ttssa{sv})"));
  /* Ids are consecutive, so the record after @after is found by arithmetic. */
  oldest = self->last_id - self->length + 1;
  if (self->length == 0 || after >= self->last_id)
    return g_variant_builder_end (&builder);
  first = after < oldest ? 0 : (guint) (after - oldest + 1);
  n = self->length - first;
  if (max > 0)
    n = MIN (n, max);
  for (guint i = 0; i < n; i++)
    {
      GVariant *kept = self->ring[(self->start + first + i) % self->size];
      g_autoptr(GVariant) record = strip ? init_history_record_strip (kept) : g_variant_ref (kept);
      gsize size = g_variant_get_size (record);

      /* The first record always goes, so a caller paging with the cursor gets past it. */
      if (max_bytes > 0 && i > 0 && bytes + size > max_bytes)
        break;
      bytes += size;
      g_variant_builder_add_value (&builder, record);
    }
  return g_variant_builder_end (&builder);
}

guint64
init_history_add (InitHistory *self,
                  const char  *kind,
                  const char  *subject,
                  GVariant    *details)
{
  g_return_val_if_fail (INIT_IS_HISTORY (self), 0);
  g_return_val_if_fail (kind != NULL && subject != NULL, 0);
  g_return_val_if_fail (details == NULL || g_variant_is_of_type (details, G_VARIANT_TYPE_VARDICT), 0);

  flush_exits (self);
  return history_append (self, kind, subject, details);
}
