/* init-proc-scan.c — the process tracker's walk of /proc: the whole truth, whatever the
 * connector said or missed */
#define G_LOG_DOMAIN "init-proc-tracker"

#include <string.h>

#include "init-proc-info.h"
#include "init-proc-tracker-private.h"

typedef struct
{
  gboolean is_fork;
  gpointer owner;
  pid_t    parent;
  pid_t    pid;
  guint    generation;
} Change;

typedef struct
{
  GArray     *procs;        /* InitProcInfo */
  GHashTable *index;        /* pid → index + 1 */
  int        *first_child;  /* per index: index of the first child, or -1 */
  int        *next_sibling;
} Scan;

static void
scan_build (Scan *scan)
{
  guint n;

  scan->procs = init_proc_info_scan ();
  n = scan->procs->len;
  scan->index = g_hash_table_new (NULL, NULL);
  scan->first_child = g_new (int, n);
  scan->next_sibling = g_new (int, n);
  for (guint i = 0; i < n; i++)
    {
      const InitProcInfo *info = &g_array_index (scan->procs, InitProcInfo, i);

      scan->first_child[i] = -1;
      scan->next_sibling[i] = -1;
      g_hash_table_insert (scan->index, GINT_TO_POINTER (info->pid), GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < n; i++)
    {
      const InitProcInfo *info = &g_array_index (scan->procs, InitProcInfo, i);
      guint parent = GPOINTER_TO_UINT (g_hash_table_lookup (scan->index,
                                                            GINT_TO_POINTER (info->ppid)));

      if (parent == 0 || info->ppid == info->pid)
        continue;
      scan->next_sibling[i] = scan->first_child[parent - 1];
      scan->first_child[parent - 1] = i;
    }
}

static void
scan_clear (Scan *scan)
{
  g_array_unref (scan->procs);
  g_hash_table_unref (scan->index);
  g_free (scan->first_child);
  g_free (scan->next_sibling);
}

static const InitProcInfo *
scan_find (Scan *scan,
           pid_t pid,
           int  *index)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (scan->index, GINT_TO_POINTER (pid)));

  if (i == 0)
    return NULL;
  if (index != NULL)
    *index = i - 1;
  return &g_array_index (scan->procs, InitProcInfo, i - 1);
}

static gboolean
is_zombie (const InitProcInfo *info)
{
  return info->state == 'Z' || info->state == 'X' || info->state == 'x';
}

/* Tracked processes that are gone (or zombies, or whose pid now names another process) are
 * forgotten; roots are left to the owner, which learns of them from the reaper. */
static void
scan_exits (InitProcTracker *tracker,
            Scan            *scan,
            GArray          *changes)
{
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (pid_t));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, tracker->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Record *record = value;
      pid_t pid = GPOINTER_TO_INT (key);
      const InitProcInfo *info = scan_find (scan, pid, NULL);

      if (info != NULL && !is_zombie (info)
          && (record->start_time == 0 || record->start_time == info->start_time))
        {
          record->start_time = info->start_time;
          continue;
        }
      if (!record->is_root)
        g_array_append_val (gone, pid);
    }
  for (guint i = 0; i < gone->len; i++)
    {
      pid_t pid = g_array_index (gone, pid_t, i);
      Change change = { FALSE, init_proc_record_lookup (tracker, pid)->owner->owner, 0, pid, 0 };

      init_proc_record_forget (tracker, pid);
      g_array_append_val (changes, change);
    }
}

/* *@definite is set FALSE when the environment could not be read or had no UPSTART_JOB:
 * a process caught half-way through an exec reads as empty, so that is no verdict. */
static Owner *
owner_for_environment (InitProcTracker *tracker,
                       pid_t            pid,
                       gboolean        *definite)
{
  g_autofree char *job = NULL;
  g_autofree char *instance = NULL;
  GHashTableIter iter;
  gpointer value;

  job = init_proc_info_environ_get (pid, "UPSTART_JOB");
  *definite = job != NULL;
  if (job == NULL)
    return NULL;
  instance = init_proc_info_environ_get (pid, "UPSTART_INSTANCE");

  g_hash_table_iter_init (&iter, tracker->owners);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Owner *owner = value;

      if (g_strcmp0 (owner->job, job) == 0
          && g_strcmp0 (owner->instance != NULL ? owner->instance : "",
                        instance != NULL ? instance : "") == 0)
        return owner;
    }
  return NULL;
}

/* Processes re-parented to us (we are child subreaper) whose parent chain is lost: their
 * UPSTART_JOB / UPSTART_INSTANCE say which root they came from. */
static void
scan_orphans (InitProcTracker *tracker,
              Scan            *scan,
              GArray          *changes)
{
  GArray *queue;
  int self, i;

  if (scan_find (scan, tracker->self, &self) == NULL)
    return;
  /* Our children, and below any that is a zombie: a scan is not atomic, so a grandchild
   * read before its parent died may still name that (now dead) parent, not us. */
  queue = g_array_new (FALSE, FALSE, sizeof (int));
  for (i = scan->first_child[self]; i >= 0; i = scan->next_sibling[i])
    g_array_append_val (queue, i);
  for (guint q = 0; q < queue->len; q++)
    {
      const InitProcInfo *info;
      gpointer cached;
      Owner *owner;
      Change change;
      guint generation;
      gboolean definite;

      i = g_array_index (queue, int, q);
      info = &g_array_index (scan->procs, InitProcInfo, i);
      if (is_zombie (info) && init_proc_record_lookup (tracker, info->pid) == NULL)
        {
          for (int c = scan->first_child[i]; c >= 0; c = scan->next_sibling[c])
            g_array_append_val (queue, c);
          continue;
        }
      if (is_zombie (info) || init_proc_record_lookup (tracker, info->pid) != NULL)
        continue;
      if (g_hash_table_lookup_extended (tracker->unmatched, GINT_TO_POINTER (info->pid),
                                        NULL, &cached)
          && *(guint64 *) cached == info->start_time)
        continue;

      owner = owner_for_environment (tracker, info->pid, &definite);
      if (owner == NULL && !definite)
        continue;
      if (owner == NULL)
        {
          guint64 *start_time = g_new (guint64, 1);

          *start_time = info->start_time;
          g_hash_table_insert (tracker->unmatched, GINT_TO_POINTER (info->pid), start_time);
          continue;
        }
      /* The first fork keeps the root's session, and a daemon's first child calls setsid();
       * only the second fork's child is in a session it does not lead. */
      generation = (info->sid == owner->root_sid || info->pid == info->sid) ? 1 : 2;
      init_proc_record_track (tracker, info->pid, owner, owner->last_root, generation, info->start_time);
      change = (Change) { TRUE, owner->owner, 0, info->pid, generation };
      g_array_append_val (changes, change);
    }
  g_array_unref (queue);

  /* Forget cached verdicts about processes that are no longer our children. */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, tracker->unmatched);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        const InitProcInfo *info = scan_find (scan, GPOINTER_TO_INT (key), NULL);

        if (info == NULL || info->start_time != *(guint64 *) value)
          g_hash_table_iter_remove (&iter);
      }
  }
}

/* Children of tracked processes belong to the same owner, transitively (breadth first, so a
 * parent is always reported before its children). */
static void
scan_descendants (InitProcTracker *tracker,
                  Scan            *scan,
                  GArray          *changes)
{
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (int));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, tracker->records);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      int index;

      if (scan_find (scan, GPOINTER_TO_INT (key), &index) != NULL)
        g_array_append_val (queue, index);
    }
  for (guint q = 0; q < queue->len; q++)
    {
      int parent_index = g_array_index (queue, int, q);
      const InitProcInfo *parent = &g_array_index (scan->procs, InitProcInfo, parent_index);
      Record *parent_record = init_proc_record_lookup (tracker, parent->pid);

      for (int i = scan->first_child[parent_index]; i >= 0; i = scan->next_sibling[i])
        {
          const InitProcInfo *info = &g_array_index (scan->procs, InitProcInfo, i);
          Change change;

          if (is_zombie (info) || init_proc_record_lookup (tracker, info->pid) != NULL)
            continue;
          init_proc_record_track (tracker, info->pid, parent_record->owner, parent_record->root,
                                  parent_record->generation + 1, info->start_time);
          change = (Change) { TRUE, parent_record->owner->owner, parent->pid, info->pid,
                              parent_record->generation + 1 };
          g_array_append_val (changes, change);
          g_array_append_val (queue, i);
        }
    }
}

static void
dispatch_changes (InitProcTracker *tracker,
                  GArray          *changes)
{
  for (guint i = 0; i < changes->len; i++)
    {
      const Change *change = &g_array_index (changes, Change, i);

      if (!init_proc_owner_known (tracker, change->owner))
        continue;
      if (change->is_fork)
        {
          Record *record = init_proc_record_lookup (tracker, change->pid);

          /* An earlier callback may have dropped it again. */
          if (record == NULL || record->owner->owner != change->owner)
            continue;
          if (tracker->fork_func != NULL)
            tracker->fork_func (change->owner, change->parent, change->pid,
                                change->generation, tracker->user_data);
        }
      else if (tracker->exit_func != NULL)
        tracker->exit_func (change->owner, change->pid, tracker->user_data);
    }
}

/* One walk of /proc: the whole truth, whatever the connector said or missed. */
void
init_proc_tracker_scan_all (InitProcTracker *tracker)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  Scan scan;

  /* Nothing to attribute anything to: not even a walk. */
  if (g_hash_table_size (tracker->owners) == 0)
    {
      g_hash_table_remove_all (tracker->unmatched);
      return;
    }
  scan_build (&scan);
  scan_exits (tracker, &scan, changes);
  scan_orphans (tracker, &scan, changes);
  scan_descendants (tracker, &scan, changes);
  scan_clear (&scan);
  dispatch_changes (tracker, changes);
}
