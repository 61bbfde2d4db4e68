/* init-proc-tracker.c — every process a job started, and their descendants: the records and
 * the public API (the ways of learning about forks are init-proc-scan.c and
 * init-proc-connector.c) */
#define G_LOG_DOMAIN "init-proc-tracker"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "init-proc-info.h"
#include "init-proc-tracker-private.h"

/* ---- records ---- */

static void
owner_free (gpointer data)
{
  Owner *owner = data;

  g_free (owner->job);
  g_free (owner->instance);
  g_array_unref (owner->pids);
  g_free (owner);
}

Record *
init_proc_record_lookup (InitProcTracker *tracker,
                         pid_t            pid)
{
  return g_hash_table_lookup (tracker->records, GINT_TO_POINTER (pid));
}

Record *
init_proc_record_track (InitProcTracker *tracker,
                        pid_t            pid,
                        Owner           *owner,
                        pid_t            root,
                        guint            generation,
                        guint64          start_time)
{
  Record *record = g_new0 (Record, 1);

  record->owner = owner;
  record->root = root;
  record->generation = generation;
  record->start_time = start_time;
  g_hash_table_insert (tracker->records, GINT_TO_POINTER (pid), record);
  g_array_append_val (owner->pids, pid);
  return record;
}

void
init_proc_record_forget (InitProcTracker *tracker,
                         pid_t            pid)
{
  Record *record = init_proc_record_lookup (tracker, pid);
  GArray *pids;

  if (record == NULL)
    return;
  pids = record->owner->pids;
  for (guint i = 0; i < pids->len; i++)
    {
      if (g_array_index (pids, pid_t, i) == pid)
        {
          g_array_remove_index (pids, i);
          break;
        }
    }
  g_hash_table_remove (tracker->records, GINT_TO_POINTER (pid));
}

/* A callback may have removed the owner meanwhile (the engine freeing the instance): never
 * hand a stale owner pointer back. */
gboolean
init_proc_owner_known (InitProcTracker *tracker,
                       gpointer         owner)
{
  return g_hash_table_contains (tracker->owners, owner);
}

static gboolean
poll_timeout (gpointer user_data)
{
  init_proc_tracker_sync (user_data);
  return G_SOURCE_CONTINUE;
}

void
init_proc_tracker_update_polling (InitProcTracker *tracker)
{
  gboolean wanted = tracker->polling && tracker->mode == INIT_PROC_TRACKING_SCAN;

  if (wanted && tracker->poll_source == NULL)
    {
      tracker->poll_source = g_timeout_source_new (POLL_INTERVAL_MS);
      g_source_set_callback (tracker->poll_source, poll_timeout, tracker, NULL);
      g_source_set_static_name (tracker->poll_source, "init-proc-tracker poll");
      g_source_attach (tracker->poll_source, tracker->context);
    }
  else if (!wanted && tracker->poll_source != NULL)
    {
      g_source_destroy (tracker->poll_source);
      g_clear_pointer (&tracker->poll_source, g_source_unref);
    }
}

/* ---- public ---- */

InitProcTracker *
init_proc_tracker_new (gboolean         use_connector,
                       InitProcForkFunc fork_func,
                       InitProcExitFunc exit_func,
                       gpointer         user_data)
{
  InitProcTracker *tracker = g_new0 (InitProcTracker, 1);
  const char *reason = _("disabled");

  tracker->fork_func = fork_func;
  tracker->exit_func = exit_func;
  tracker->user_data = user_data;
  tracker->context = g_main_context_ref_thread_default ();
  tracker->records = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  tracker->owners = g_hash_table_new_full (NULL, NULL, NULL, owner_free);
  tracker->unmatched = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  tracker->fd = -1;
  tracker->self = getpid ();
  tracker->mode = INIT_PROC_TRACKING_SCAN;

  if (use_connector && init_proc_connector_open (tracker, &reason) && init_proc_connector_verify (tracker, &reason))
    {
      tracker->mode = INIT_PROC_TRACKING_CONNECTOR;
      tracker->source = g_unix_fd_source_new (tracker->fd, G_IO_IN | G_IO_ERR | G_IO_HUP);
      g_source_set_callback (tracker->source, G_SOURCE_FUNC (init_proc_connector_ready), tracker, NULL);
      g_source_set_static_name (tracker->source, "init-proc-tracker connector");
      g_source_attach (tracker->source, tracker->context);
      g_info (_("Process tracking: proc connector (kernel-filtered fork and exit events)"));
    }
  else
    {
      init_proc_connector_close (tracker);
      g_info (_("Process tracking: scanning /proc; proc connector not used: %s"), reason);
    }
  return tracker;
}

void
init_proc_tracker_free (InitProcTracker *tracker)
{
  if (tracker == NULL)
    return;
  init_proc_connector_close (tracker);
  tracker->polling = FALSE;
  init_proc_tracker_update_polling (tracker);
  g_hash_table_unref (tracker->records);
  g_hash_table_unref (tracker->owners);
  g_hash_table_unref (tracker->unmatched);
  g_main_context_unref (tracker->context);
  g_free (tracker);
}

InitProcTracking
init_proc_tracker_get_mode (InitProcTracker *tracker)
{
  g_return_val_if_fail (tracker != NULL, INIT_PROC_TRACKING_SCAN);

  return tracker->mode;
}

const char *
init_proc_tracking_to_string (InitProcTracking mode)
{
  switch (mode)
    {
    case INIT_PROC_TRACKING_CONNECTOR:
      return "proc-connector";
    case INIT_PROC_TRACKING_SCAN:
      return "proc-scan";
    default:
      g_return_val_if_reached (NULL);
    }
}

static Owner *
owner_ensure (InitProcTracker *tracker,
              gpointer         owner)
{
  Owner *entry = g_hash_table_lookup (tracker->owners, owner);

  if (entry == NULL)
    {
      entry = g_new0 (Owner, 1);
      entry->owner = owner;
      entry->pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
      g_hash_table_insert (tracker->owners, owner, entry);
    }
  return entry;
}

void
init_proc_tracker_add_root (InitProcTracker *tracker,
                            pid_t            pid,
                            gpointer         owner,
                            const char      *job_name,
                            const char      *instance)
{
  InitProcInfo info;
  Owner *entry;
  Record *record;

  g_return_if_fail (tracker != NULL);
  g_return_if_fail (pid > 0);
  g_return_if_fail (owner != NULL);

  entry = owner_ensure (tracker, owner);
  if (job_name != NULL && g_strcmp0 (entry->job, job_name) != 0)
    {
      g_free (entry->job);
      entry->job = g_strdup (job_name);
    }
  if (g_strcmp0 (entry->instance, instance) != 0)
    {
      g_free (entry->instance);
      entry->instance = g_strdup (instance);
    }

  /* The engine makes every job process lead its own session; if the root is already gone,
   * that is what its session was. */
  if (!init_proc_info_read (pid, &info))
    {
      info.sid = pid;
      info.start_time = 0;
    }
  entry->last_root = pid;
  entry->root_sid = info.sid;
  g_hash_table_remove (tracker->unmatched, GINT_TO_POINTER (pid));

  /* Already known (a descendant the owner now supervises itself, or adopted): it keeps its
  * generation and place, and becomes a root; moving owners puts it last in the new one. */
  record = init_proc_record_lookup (tracker, pid);
  if (record != NULL && record->owner != entry)
    {
      init_proc_record_forget (tracker, pid);
      record = NULL;
    }
  if (record == NULL)
    record = init_proc_record_track (tracker, pid, entry, pid, 0, info.start_time);
  record->is_root = TRUE;
  record->root = pid;
  if (record->start_time == 0)
    record->start_time = info.start_time;
}

void
init_proc_tracker_process_exited (InitProcTracker *tracker,
                                  pid_t            pid)
{
  g_return_if_fail (tracker != NULL);

  /* The owner knows (it reaped it): no callback.  Descendants stay with the owner. */
  init_proc_record_forget (tracker, pid);
}

void
init_proc_tracker_remove_owner (InitProcTracker *tracker,
                                gpointer         owner)
{
  Owner *entry;

  g_return_if_fail (tracker != NULL);

  entry = g_hash_table_lookup (tracker->owners, owner);
  if (entry == NULL)
    return;
  for (guint i = 0; i < entry->pids->len; i++)
    g_hash_table_remove (tracker->records,
                         GINT_TO_POINTER (g_array_index (entry->pids, pid_t, i)));
  g_hash_table_remove (tracker->owners, owner);
}

void
init_proc_tracker_add_descendant (InitProcTracker *tracker,
                                  pid_t            pid,
                                  gpointer         owner,
                                  guint64          start_time)
{
  Owner *entry;

  g_return_if_fail (tracker != NULL);
  g_return_if_fail (pid > 0);

  entry = owner_ensure (tracker, owner);
  if (init_proc_record_lookup (tracker, pid) != NULL)
    return;
  /* Its own root: what it forks still belongs to the owner. */
  init_proc_record_track (tracker, pid, entry, entry->last_root > 0 ? entry->last_root : pid, 1, start_time);
}

void
init_proc_tracker_fail_connector_for_testing (InitProcTracker *tracker)
{
  g_return_if_fail (tracker != NULL);
  if (tracker->mode == INIT_PROC_TRACKING_CONNECTOR)
    init_proc_connector_stop (tracker, "test");
}

void
init_proc_tracker_set_queue_for_testing (InitProcTracker *tracker,
                                         int              bytes)
{
  g_return_if_fail (tracker != NULL);
  if (tracker->fd >= 0)
    init_proc_connector_set_rcvbuf (tracker, bytes);
}

void
init_proc_tracker_set_mode_func (InitProcTracker *tracker,
                                 GFunc            func,
                                 gpointer         user_data)
{
  g_return_if_fail (tracker != NULL);
  tracker->mode_func = func;
  tracker->mode_data = user_data;
}

void
init_proc_tracker_rescan (InitProcTracker *tracker)
{
  g_return_if_fail (tracker != NULL);

  if (tracker->syncing)
    return;
  tracker->syncing = TRUE;
  init_proc_tracker_scan_all (tracker);
  tracker->syncing = FALSE;
}

void
init_proc_tracker_sync (InitProcTracker *tracker)
{
  g_return_if_fail (tracker != NULL);

  /* Called again from a callback of this very sync: the outer one carries on. */
  if (tracker->syncing)
    return;
  tracker->syncing = TRUE;
  if (tracker->mode == INIT_PROC_TRACKING_CONNECTOR)
    init_proc_connector_read (tracker, MESSAGES_PER_SYNC, 0, NULL);
  else
    init_proc_tracker_scan_all (tracker);
  tracker->syncing = FALSE;
}

void
init_proc_tracker_set_polling (InitProcTracker *tracker,
                               gboolean         wanted)
{
  g_return_if_fail (tracker != NULL);

  tracker->polling = wanted;
  init_proc_tracker_update_polling (tracker);
}

GArray *
init_proc_tracker_get_pids (InitProcTracker *tracker,
                            gpointer         owner)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  Owner *entry;

  g_return_val_if_fail (tracker != NULL, pids);

  entry = g_hash_table_lookup (tracker->owners, owner);
  if (entry != NULL)
    g_array_append_vals (pids, entry->pids->data, entry->pids->len);
  return pids;
}

gpointer
init_proc_tracker_lookup (InitProcTracker *tracker,
                          pid_t            pid)
{
  Record *record;

  g_return_val_if_fail (tracker != NULL, NULL);

  record = init_proc_record_lookup (tracker, pid);
  return record != NULL ? record->owner->owner : NULL;
}

guint64
init_proc_tracker_get_n_wakeups (InitProcTracker *tracker)
{
  g_return_val_if_fail (tracker != NULL, 0);

  return tracker->n_wakeups;
}

guint64
init_proc_tracker_get_n_messages (InitProcTracker *tracker)
{
  g_return_val_if_fail (tracker != NULL, 0);

  return tracker->n_messages;
}

guint64
init_proc_tracker_get_n_losses (InitProcTracker *tracker)
{
  g_return_val_if_fail (tracker != NULL, 0);

  return tracker->n_losses;
}
