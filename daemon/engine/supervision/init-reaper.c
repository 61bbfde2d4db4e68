/* init-reaper.c — the single place that waits for children */
#define G_LOG_DOMAIN "init-reaper"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-error.h"
#include "init-proc-info.h"
#include "init-reaper.h"

/* How many statuses of unwatched children are remembered for a watch that comes late. */
#define RECENT_MAX 64

typedef struct
{
  guint          id;
  pid_t          pid;
  InitReaperFunc func;
  gpointer       user_data;
  GDestroyNotify destroy;        /* frees user_data when the watch goes, however it goes */
  GSource       *late_source;    /* delivers a status reaped before the watch existed */
  int            late_status;
  GSource       *pidfd_source;   /* adopted process: readable when it exits */
  int            pidfd;
} Watch;

typedef struct
{
  pid_t pid;
  int   status;
} Recent;

typedef struct
{
  guint          id;
  InitReaperFunc func;
  gpointer       user_data;
} OrphanFunc;

static struct
{
  gboolean      started;
  int           fd;
  GSource      *source;
  GMainContext *context;
  guint         next_id;
  GHashTable   *by_id;    /* id -> Watch (owned) */
  GHashTable   *by_pid;   /* pid -> GSList of Watch, newest first */
  GArray       *orphan_funcs;       /* OrphanFunc */
  guint         next_orphan_id;
  Recent        recent[RECENT_MAX]; /* a ring; pid 0 marks a free slot */
  guint         recent_next;        /* the slot to overwrite next */
} reaper = { FALSE, -1, };

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  if (watch->late_source != NULL)
    {
      g_source_destroy (watch->late_source);
      g_source_unref (watch->late_source);
    }
  if (watch->pidfd_source != NULL)
    {
      g_source_destroy (watch->pidfd_source);
      g_source_unref (watch->pidfd_source);
      close (watch->pidfd);
    }
  if (watch->destroy != NULL)
    watch->destroy (watch->user_data);
  g_free (watch);
}

static void
ensure_tables (void)
{
  if (reaper.by_id != NULL)
    return;
  reaper.by_id = g_hash_table_new_full (NULL, NULL, NULL, watch_free);
  reaper.by_pid = g_hash_table_new (NULL, NULL);
}

static GMainContext *
reaper_context (void)
{
  return reaper.context != NULL ? reaper.context : g_main_context_get_thread_default ();
}

void
init_reaper_block_sigchld (void)
{
  sigset_t set;

  sigemptyset (&set);
  sigaddset (&set, SIGCHLD);
  pthread_sigmask (SIG_BLOCK, &set, NULL);
}

/* Take @watch out of both tables without freeing it. */
static void
watch_detach (Watch *watch)
{
  GSList *list = g_hash_table_lookup (reaper.by_pid, GINT_TO_POINTER (watch->pid));

  list = g_slist_remove (list, watch);
  if (list != NULL)
    g_hash_table_insert (reaper.by_pid, GINT_TO_POINTER (watch->pid), list);
  else
    g_hash_table_remove (reaper.by_pid, GINT_TO_POINTER (watch->pid));
  g_hash_table_steal (reaper.by_id, GUINT_TO_POINTER (watch->id));
}

/* Call @watch with @status; after an exit or death the watch is gone before the callback
 * runs, so the callback may watch or unwatch freely. */
static void
watch_deliver (Watch *watch,
               int    status)
{
  if (WIFSTOPPED (status))
    {
      watch->func (watch->pid, status, watch->user_data);
      return;
    }
  watch_detach (watch);
  watch->func (watch->pid, status, watch->user_data);
  watch_free (watch);
}

static Recent *
recent_find (pid_t pid)
{
  guint i;

  for (i = 0; i < RECENT_MAX; i++)
    {
      if (reaper.recent[i].pid == pid)
        return &reaper.recent[i];
    }
  return NULL;
}

static void
recent_remember (pid_t pid,
                 int   status)
{
  Recent *entry = recent_find (pid);

  if (entry == NULL)
    {
      /* The oldest entry goes: the race this serves lasts a few main-loop iterations. */
      entry = &reaper.recent[reaper.recent_next];
      reaper.recent_next = (reaper.recent_next + 1) % RECENT_MAX;
    }
  entry->pid = pid;
  entry->status = status;
}

void
init_reaper_forget (pid_t pid)
{
  Recent *entry;

  if (pid > 0 && (entry = recent_find (pid)) != NULL)
    entry->pid = 0;
}

static void
dispatch (pid_t pid,
          int   status)
{
  GSList *list;

  ensure_tables ();
  list = g_hash_table_lookup (reaper.by_pid, GINT_TO_POINTER (pid));
  if (list == NULL)
    {
      /* An orphan re-parented to us, or a child whose watch is still to come. */
      g_debug ("Reaped unwatched process %d (status 0x%x)", (int) pid, status);
      recent_remember (pid, status);
      if (!WIFSTOPPED (status) && reaper.orphan_funcs != NULL)
        {
          /* Copy: a callback may remove hooks. */
          g_autoptr(GArray) funcs = g_array_copy (reaper.orphan_funcs);

          for (guint i = 0; i < funcs->len; i++)
            {
              OrphanFunc *hook = &g_array_index (funcs, OrphanFunc, i);
              hook->func (pid, status, hook->user_data);
            }
        }
      return;
    }

  if (WIFSTOPPED (status))
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
      GSList *l;
      guint i;

      /* Callbacks may unwatch others: deliver only to watches that still exist. */
      for (l = list; l != NULL; l = l->next)
        g_array_prepend_val (ids, ((Watch *) l->data)->id);
      for (i = 0; i < ids->len; i++)
        {
          Watch *watch = g_hash_table_lookup (reaper.by_id,
                                              GUINT_TO_POINTER (g_array_index (ids, guint, i)));

          if (watch != NULL && watch->pid == pid)
            watch_deliver (watch, status);
        }
      return;
    }

  /* The pid is gone: every watch on it ends, including any a callback adds meanwhile. */
  while ((list = g_hash_table_lookup (reaper.by_pid, GINT_TO_POINTER (pid))) != NULL)
    watch_deliver (g_slist_last (list)->data, status);
}

void
init_reaper_reap (void)
{
  pid_t pid;
  int status;

  for (;;)
    {
      pid = waitpid (-1, &status, WNOHANG | WUNTRACED);
      if (pid < 0 && errno == EINTR)
        continue;
      if (pid <= 0)
        break;
      dispatch (pid, status);
    }
}

static gboolean
sigchld_ready (int          fd,
               GIOCondition condition,
               gpointer     user_data)
{
  struct signalfd_siginfo info[8];
  gssize n;

  /* Signals coalesce, so the content does not matter: drain, then reap everything. */
  do
    n = read (fd, info, sizeof info);
  while (n > 0 || (n < 0 && errno == EINTR));

  init_reaper_reap ();
  return G_SOURCE_CONTINUE;
}

gboolean
init_reaper_start (GError **error)
{
  sigset_t set;
  int saved;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (reaper.started)
    return TRUE;

  /* A SIGCHLD that is not blocked is discarded (default disposition) and never reaches the
   * signalfd; make sure at least this thread blocks it. */
  init_reaper_block_sigchld ();
  sigemptyset (&set);
  sigaddset (&set, SIGCHLD);
  reaper.fd = signalfd (-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (reaper.fd < 0)
    {
      saved = errno;
      g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED,
                   _("Unable to watch for child processes: %s"), g_strerror (saved));
      return FALSE;
    }

  ensure_tables ();
  reaper.context = g_main_context_ref_thread_default ();
  reaper.source = g_unix_fd_source_new (reaper.fd, G_IO_IN);
  g_source_set_callback (reaper.source, G_SOURCE_FUNC (sigchld_ready), NULL, NULL);
  g_source_set_static_name (reaper.source, "[init] reaper");
  /* Children are collected before other work so exits are seen promptly. */
  g_source_set_priority (reaper.source, G_PRIORITY_HIGH);
  g_source_attach (reaper.source, reaper.context);
  reaper.started = TRUE;

  /* Children that ended before we were listening. */
  init_reaper_reap ();
  return TRUE;
}

static gboolean
late_delivery (gpointer user_data)
{
  Watch *watch = user_data;

  g_clear_pointer (&watch->late_source, g_source_unref);
  watch_deliver (watch, watch->late_status);
  return G_SOURCE_REMOVE;
}

guint
init_reaper_watch (pid_t          pid,
                   InitReaperFunc func,
                   gpointer       user_data)
{
  return init_reaper_watch_full (pid, func, user_data, NULL);
}

guint
init_reaper_watch_full (pid_t          pid,
                        InitReaperFunc func,
                        gpointer       user_data,
                        GDestroyNotify destroy)
{
  Watch *watch;
  Recent *entry;
  GSList *list;

  g_return_val_if_fail (pid > 0, 0);
  g_return_val_if_fail (func != NULL, 0);

  ensure_tables ();
  watch = g_new0 (Watch, 1);
  do
    watch->id = ++reaper.next_id;
  while (watch->id == 0 || g_hash_table_contains (reaper.by_id, GUINT_TO_POINTER (watch->id)));
  watch->pid = pid;
  watch->func = func;
  watch->user_data = user_data;
  watch->destroy = destroy;
  g_hash_table_insert (reaper.by_id, GUINT_TO_POINTER (watch->id), watch);
  list = g_hash_table_lookup (reaper.by_pid, GINT_TO_POINTER (pid));
  g_hash_table_insert (reaper.by_pid, GINT_TO_POINTER (pid), g_slist_prepend (list, watch));

  /* The child changed state before anyone watched it (the race between spawning and
   * watching): deliver that from the main loop, never inside this call. */
  entry = recent_find (pid);
  if (entry != NULL)
    {
      watch->late_status = entry->status;
      entry->pid = 0;
      watch->late_source = g_idle_source_new ();
      g_source_set_priority (watch->late_source, G_PRIORITY_HIGH);
      g_source_set_callback (watch->late_source, late_delivery, watch, NULL);
      g_source_set_static_name (watch->late_source, "[init] reaper late delivery");
      g_source_attach (watch->late_source, reaper_context ());
    }
  return watch->id;
}

void
init_reaper_unwatch (guint id)
{
  Watch *watch;

  g_return_if_fail (id > 0);

  if (reaper.by_id == NULL)
    return;
  watch = g_hash_table_lookup (reaper.by_id, GUINT_TO_POINTER (id));
  if (watch == NULL)
    return;
  watch_detach (watch);
  watch_free (watch);
}

guint
init_reaper_add_orphan_func (InitReaperFunc func,
                             gpointer       user_data)
{
  OrphanFunc hook = { ++reaper.next_orphan_id, func, user_data };

  g_return_val_if_fail (func != NULL, 0);
  if (reaper.orphan_funcs == NULL)
    reaper.orphan_funcs = g_array_new (FALSE, FALSE, sizeof (OrphanFunc));
  g_array_append_val (reaper.orphan_funcs, hook);
  return hook.id;
}

void
init_reaper_remove_orphan_func (guint id)
{
  for (guint i = 0; reaper.orphan_funcs != NULL && i < reaper.orphan_funcs->len; i++)
    if (g_array_index (reaper.orphan_funcs, OrphanFunc, i).id == id)
      {
        g_array_remove_index (reaper.orphan_funcs, i);
        return;
      }
}

static gboolean
pidfd_ready (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  guint id = GPOINTER_TO_UINT (user_data);
  Watch *watch = g_hash_table_lookup (reaper.by_id, GUINT_TO_POINTER (id));

  if (watch != NULL)
    watch_deliver (watch, 0);
  return G_SOURCE_REMOVE;
}

guint
init_reaper_watch_pidfd (pid_t          pid,
                         InitReaperFunc func,
                         gpointer       user_data,
                         GDestroyNotify destroy)
{
  int fd = init_proc_pidfd_open (pid);
  guint id;
  Watch *watch;

  if (fd < 0)
    {
      if (destroy != NULL)
        destroy (user_data);
      return 0;
    }
  id = init_reaper_watch_full (pid, func, user_data, destroy);
  watch = g_hash_table_lookup (reaper.by_id, GUINT_TO_POINTER (id));
  watch->pidfd_source = g_unix_fd_source_new (fd, G_IO_IN);
  g_source_set_callback (watch->pidfd_source, G_SOURCE_FUNC (pidfd_ready),
                         GUINT_TO_POINTER (id), NULL);
  g_source_set_static_name (watch->pidfd_source, "[init] adopted process");
  watch->pidfd = fd;
  g_source_attach (watch->pidfd_source, reaper_context ());
  return id;
}
