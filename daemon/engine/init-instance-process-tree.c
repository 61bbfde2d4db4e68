/* init-instance-process-tree.c — the processes an instance has right now, for display: the
 * ones it spawned and every process the tracker counts as its own, with their command lines
 * read from /proc */

#include "init-instance-private.h"
#include "init-proc-info.h"
#include "init-proc-tracker.h"

static gint
compare_process_info (gconstpointer a,
                      gconstpointer b)
{
  const InitInstanceProcessInfo *pa = a, *pb = b;

  if ((pa->type == INIT_PROCESS_MAIN) != (pb->type == INIT_PROCESS_MAIN))
    return pa->type == INIT_PROCESS_MAIN ? -1 : 1;
  return (pa->pid > pb->pid) - (pa->pid < pb->pid);
}

static void
process_info_clear (gpointer data)
{
  g_free (((InitInstanceProcessInfo *) data)->cmdline);
}

GArray *
init_instance_get_process_tree (InitInstance *job)
{
  GArray *tree = g_array_new (FALSE, TRUE, sizeof (InitInstanceProcessInfo));
  g_autoptr(GArray) pids = NULL;

  g_return_val_if_fail (job != NULL, tree);
  g_array_set_clear_func (tree, process_info_clear);
  /* Current as of now (with scanning, forks are only found by looking). */
  if (job->host != NULL)
    init_proc_tracker_sync (init_instance_tracker (job));
  pids = job->host != NULL
         ? init_proc_tracker_get_pids (init_instance_tracker (job), job)
         : g_array_new (FALSE, FALSE, sizeof (pid_t));
  /* The spawned processes first (the tracker may not list a followed main process yet). */
  for (guint t = 0; t < INIT_PROCESS_N; t++)
    if (job->pid[t] > 0)
      g_array_prepend_val (pids, job->pid[t]);

  for (guint i = 0; i < pids->len; i++)
    {
      pid_t pid = g_array_index (pids, pid_t, i);
      InitInstanceProcessInfo node = { pid, 0, INIT_PROCESS_NONE, NULL };
      InitProcInfo info;
      gboolean dup = FALSE;

      for (guint j = 0; j < tree->len && !dup; j++)
        dup = g_array_index (tree, InitInstanceProcessInfo, j).pid == pid;
      if (dup || !init_proc_info_read (pid, &info) || info.state == 'Z')
        continue;
      node.ppid = info.ppid;
      for (guint t = 0; t < INIT_PROCESS_N; t++)
        if (job->pid[t] == pid)
          node.type = t;
      node.cmdline = init_proc_info_cmdline (pid);
      if (node.cmdline == NULL)
        continue;
      g_array_append_val (tree, node);
    }
  g_array_sort (tree, compare_process_info);
  return tree;
}
