/* init-proc-tracker.c — every process a job started, and their descendants */
#define G_LOG_DOMAIN "init-proc-tracker"

#include <arpa/inet.h>
#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-proc-info.h"
#include "init-proc-tracker.h"

#define POLL_INTERVAL_MS      10
#define VERIFY_TIMEOUT_MS     200
#define RCVBUF_INITIAL        (1 << 20)
#define RCVBUF_MAX            (64 << 20)
/* Messages read per main-loop dispatch: the host's whole fork firehose arrives here, and the
 * loop must stay responsive however busy the host is. */
#define MESSAGES_PER_DISPATCH 4096
/* ... and per sync(), which must read what was pending when it was called, not chase a
 * host that forks forever. */
#define MESSAGES_PER_SYNC     65536

typedef struct
{
  gpointer  owner;
  char     *job;
  char     *instance;
  pid_t     last_root;
  pid_t     root_sid;     /* session of the latest root: generations of orphans */
  GArray   *pids;         /* pid_t, in the order they became known */
} Owner;

typedef struct
{
  Owner    *owner;
  pid_t     root;         /* the root it descends from (itself for a root) */
  guint     generation;   /* 0 for a root */
  gboolean  is_root;
  guint64   start_time;   /* 0: not known yet */
} Record;

struct _InitProcTracker
{
  InitProcTracking  mode;
  GFunc             mode_func;
  gpointer          mode_data;
  InitProcForkFunc  fork_func;
  InitProcExitFunc  exit_func;
  gpointer          user_data;
  GMainContext     *context;

  GHashTable       *records;     /* pid → Record */
  GHashTable       *owners;      /* owner pointer → Owner */
  GHashTable       *unmatched;   /* pid → start_time: our children whose environment names
                                  * no root; not read again every 10 ms */

  int               fd;          /* the connector socket, or -1 */
  int               rcvbuf;
  GSource          *source;
  GSource          *poll_source;
  gboolean          polling;
  gboolean          syncing;
  pid_t             self;

  guint64           n_wakeups;
  guint64           n_messages;
};

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

static Record *
lookup_record (InitProcTracker *tracker,
               pid_t            pid)
{
  return g_hash_table_lookup (tracker->records, GINT_TO_POINTER (pid));
}

static Record *
track (InitProcTracker *tracker,
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

static void
forget (InitProcTracker *tracker,
        pid_t            pid)
{
  Record *record = lookup_record (tracker, pid);
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
static gboolean
owner_known (InitProcTracker *tracker,
             gpointer         owner)
{
  return g_hash_table_contains (tracker->owners, owner);
}

/* ---- /proc scanning ---- */

typedef struct
{
  gboolean  is_fork;
  gpointer  owner;
  pid_t     parent;
  pid_t     pid;
  guint     generation;
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
scan_find (Scan  *scan,
           pid_t  pid,
           int   *index)
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
      Change change = { FALSE, lookup_record (tracker, pid)->owner->owner, 0, pid, 0 };

      forget (tracker, pid);
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
      if (is_zombie (info) && lookup_record (tracker, info->pid) == NULL)
        {
          for (int c = scan->first_child[i]; c >= 0; c = scan->next_sibling[c])
            g_array_append_val (queue, c);
          continue;
        }
      if (is_zombie (info) || lookup_record (tracker, info->pid) != NULL)
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
      track (tracker, info->pid, owner, owner->last_root, generation, info->start_time);
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
      Record *parent_record = lookup_record (tracker, parent->pid);

      for (int i = scan->first_child[parent_index]; i >= 0; i = scan->next_sibling[i])
        {
          const InitProcInfo *info = &g_array_index (scan->procs, InitProcInfo, i);
          Change change;

          if (is_zombie (info) || lookup_record (tracker, info->pid) != NULL)
            continue;
          track (tracker, info->pid, parent_record->owner, parent_record->root,
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

      if (!owner_known (tracker, change->owner))
        continue;
      if (change->is_fork)
        {
          Record *record = lookup_record (tracker, change->pid);

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
static void
rescan (InitProcTracker *tracker)
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

/* ---- the proc connector ---- */

#define NL_HDR_LEN      NLMSG_LENGTH (0)
#define CN_OFF(field)   (NL_HDR_LEN + offsetof (struct cn_msg, field))
#define EV_OFF(field)   (CN_OFF (data) + offsetof (struct proc_event, field))

/* Classic BPF run by the kernel on every message before it is queued: keep only process
 * forks (child pid == child tgid: not a thread) and exits of thread-group leaders, so thread
 * creation and every other event never wake the daemon.  BPF_ABS loads are big-endian, hence
 * htonl() on the constants (pid == tgid compares two loads, so it needs none). */
enum
{
  F_LD_IDX, F_IS_IDX, F_LD_VAL, F_IS_VAL, F_LD_WHAT, F_IS_FORK,
  F_LD_CHILD_TGID, F_FORK_TAX, F_LD_CHILD_PID, F_IS_PROCESS,
  F_IS_EXIT, F_LD_EXIT_TGID, F_EXIT_TAX, F_LD_EXIT_PID, F_IS_LEADER,
  F_DROP, F_KEEP,
};
#define JUMP(from, to)  ((to) - (from) - 1)

static gboolean
attach_filter (int fd)
{
  struct sock_filter code[] = {
    [F_LD_IDX] = BPF_STMT (BPF_LD | BPF_W | BPF_ABS, CN_OFF (id.idx)),
    [F_IS_IDX] = BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, htonl (CN_IDX_PROC),
                           0, JUMP (F_IS_IDX, F_DROP)),
    [F_LD_VAL] = BPF_STMT (BPF_LD | BPF_W | BPF_ABS, CN_OFF (id.val)),
    [F_IS_VAL] = BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, htonl (CN_VAL_PROC),
                           0, JUMP (F_IS_VAL, F_DROP)),
    [F_LD_WHAT] = BPF_STMT (BPF_LD | BPF_W | BPF_ABS, EV_OFF (what)),
    [F_IS_FORK] = BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, htonl (PROC_EVENT_FORK),
                            0, JUMP (F_IS_FORK, F_IS_EXIT)),
    [F_LD_CHILD_TGID] = BPF_STMT (BPF_LD | BPF_W | BPF_ABS, EV_OFF (event_data.fork.child_tgid)),
    [F_FORK_TAX] = BPF_STMT (BPF_MISC | BPF_TAX, 0),
    [F_LD_CHILD_PID] = BPF_STMT (BPF_LD | BPF_W | BPF_ABS, EV_OFF (event_data.fork.child_pid)),
    [F_IS_PROCESS] = BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_X, 0,
                               JUMP (F_IS_PROCESS, F_KEEP), JUMP (F_IS_PROCESS, F_DROP)),
    [F_IS_EXIT] = BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, htonl (PROC_EVENT_EXIT),
                            0, JUMP (F_IS_EXIT, F_DROP)),
    [F_LD_EXIT_TGID] = BPF_STMT (BPF_LD | BPF_W | BPF_ABS, EV_OFF (event_data.exit.process_tgid)),
    [F_EXIT_TAX] = BPF_STMT (BPF_MISC | BPF_TAX, 0),
    [F_LD_EXIT_PID] = BPF_STMT (BPF_LD | BPF_W | BPF_ABS, EV_OFF (event_data.exit.process_pid)),
    [F_IS_LEADER] = BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_X, 0,
                              JUMP (F_IS_LEADER, F_KEEP), JUMP (F_IS_LEADER, F_DROP)),
    [F_DROP] = BPF_STMT (BPF_RET | BPF_K, 0),
    [F_KEEP] = BPF_STMT (BPF_RET | BPF_K, 0xffffffff),
  };
  struct sock_fprog program = { G_N_ELEMENTS (code), code };

  return setsockopt (fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) == 0;
}

/* A bigger receive queue, so a burst of forks on the host is not lost: SO_RCVBUFFORCE where
 * we may (CAP_NET_ADMIN), else SO_RCVBUF (capped at net.core.rmem_max). */
static void
grow_rcvbuf (InitProcTracker *tracker,
             int              size)
{
  if (setsockopt (tracker->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    setsockopt (tracker->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  tracker->rcvbuf = size;
}

static void
handle_fork (InitProcTracker *tracker,
             pid_t            parent,
             pid_t            child)
{
  Record *parent_record, *old;
  Owner *owner;
  guint generation;

  /* The firehose: for every untracked fork on the host this one lookup is all we do. */
  parent_record = lookup_record (tracker, parent);
  if (parent_record == NULL)
    return;

  old = lookup_record (tracker, child);
  if (old != NULL)
    {
      /* The pid was ours before and we missed its end: the old process is surely gone. */
      gpointer old_owner = old->owner->owner;
      gboolean was_root = old->is_root;

      forget (tracker, child);
      if (!was_root && tracker->exit_func != NULL)
        tracker->exit_func (old_owner, child, tracker->user_data);
      parent_record = lookup_record (tracker, parent);
      if (parent_record == NULL)
        return;
    }

  owner = parent_record->owner;
  generation = parent_record->generation + 1;
  track (tracker, child, owner, parent_record->root, generation, 0);
  if (tracker->fork_func != NULL)
    tracker->fork_func (owner->owner, parent, child, generation, tracker->user_data);
}

static void
handle_exit (InitProcTracker *tracker,
             pid_t            pid)
{
  Record *record = lookup_record (tracker, pid);
  gpointer owner;

  /* Roots are reaped by the owner, which then calls init_proc_tracker_process_exited(). */
  if (record == NULL || record->is_root)
    return;
  owner = record->owner->owner;
  forget (tracker, pid);
  if (tracker->exit_func != NULL)
    tracker->exit_func (owner, pid, tracker->user_data);
}

static void
handle_message (InitProcTracker *tracker,
                const guint8    *payload,
                gsize            len,
                pid_t            verify_child,
                gboolean        *verified)
{
  const struct cn_msg *cn = (const struct cn_msg *) payload;
  const guint8 *event;
  guint32 what;

  if (len < sizeof (struct cn_msg) || cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC
      || len < sizeof (struct cn_msg) + cn->len)
    return;
  tracker->n_messages++;
  event = payload + offsetof (struct cn_msg, data);
  if (cn->len < offsetof (struct proc_event, event_data))
    return;
  memcpy (&what, event + offsetof (struct proc_event, what), sizeof what);

  if (what == PROC_EVENT_FORK
      && cn->len >= offsetof (struct proc_event, event_data) + sizeof (struct fork_proc_event))
    {
      struct fork_proc_event fork_event;

      memcpy (&fork_event, event + offsetof (struct proc_event, event_data.fork),
              sizeof fork_event);
      /* The kernel filter already dropped threads; checked again in case it is missing. */
      if (fork_event.child_pid != fork_event.child_tgid)
        return;
      if (verify_child > 0 && fork_event.child_tgid == verify_child)
        *verified = TRUE;
      handle_fork (tracker, fork_event.parent_tgid, fork_event.child_tgid);
    }
  else if (what == PROC_EVENT_EXIT
           && cn->len >= offsetof (struct proc_event, event_data.exit.exit_code))
    {
      pid_t ids[2];

      memcpy (ids, event + offsetof (struct proc_event, event_data.exit.process_pid),
              sizeof ids);
      if (ids[0] == ids[1])
        handle_exit (tracker, ids[1]);
    }
}

static void stop_connector (InitProcTracker *tracker, const char *reason);
static void close_connector (InitProcTracker *tracker);

/* Read up to @limit queued datagrams without blocking.  A lost-message error (ENOBUFS)
 * grows the queue and rescans /proc; any other error gives up on the connector. */
static void
read_messages (InitProcTracker *tracker,
               guint            limit,
               pid_t            verify_child,
               gboolean        *verified)
{
  union
  {
    struct nlmsghdr header;
    guint8          bytes[8192];
  } buffer;
  gboolean lost = FALSE;

  for (guint n = 0; n < limit && tracker->fd >= 0; n++)
    {
      struct sockaddr_nl from = { 0, };
      struct iovec iov = { .iov_base = buffer.bytes, .iov_len = sizeof buffer.bytes };
      struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof from,
                            .msg_iov = &iov, .msg_iovlen = 1 };
      const struct nlmsghdr *header;
      gssize len;

      len = recvmsg (tracker->fd, &msg, MSG_DONTWAIT);
      if (len < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
          if (errno == ENOBUFS)
            {
              lost = TRUE;
              if (tracker->rcvbuf < RCVBUF_MAX)
                grow_rcvbuf (tracker, MIN (tracker->rcvbuf * 2, RCVBUF_MAX));
              g_info (_("Process events were lost (receive queue now %d bytes): rescanning"),
                      tracker->rcvbuf);
              continue;
            }
          stop_connector (tracker, g_strerror (errno));
          break;
        }
      /* Only the kernel speaks on this socket; anyone else could forge forks. */
      if (msg.msg_namelen < sizeof from || from.nl_family != AF_NETLINK || from.nl_pid != 0
          || (msg.msg_flags & MSG_TRUNC) != 0)
        continue;
      for (header = &buffer.header; NLMSG_OK (header, len);
           header = NLMSG_NEXT (header, len))
        {
          if (header->nlmsg_type == NLMSG_NOOP || header->nlmsg_type == NLMSG_ERROR
              || header->nlmsg_type == NLMSG_OVERRUN)
            continue;
          handle_message (tracker, NLMSG_DATA (header), NLMSG_PAYLOAD (header, 0),
                          verify_child, verified);
        }
    }
  if (lost)
    rescan (tracker);
}

static gboolean
connector_ready (int          fd,
                 GIOCondition condition,
                 gpointer     user_data)
{
  InitProcTracker *tracker = user_data;

  tracker->n_wakeups++;
  if (!tracker->syncing)
    {
      tracker->syncing = TRUE;
      read_messages (tracker, MESSAGES_PER_DISPATCH, 0, NULL);
      tracker->syncing = FALSE;
    }
  return tracker->fd >= 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
open_connector (InitProcTracker  *tracker,
                const char      **reason)
{
  struct sockaddr_nl address = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
  struct
  {
    struct nlmsghdr         header;
    struct cn_msg           cn;
    enum proc_cn_mcast_op   op;
  } __attribute__ ((packed)) request;
  int fd;

  fd = socket (PF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (fd < 0)
    {
      *reason = g_strerror (errno);
      return FALSE;
    }
  tracker->fd = fd;
  if (!attach_filter (fd))
    {
      *reason = g_strerror (errno);
      return FALSE;
    }
  grow_rcvbuf (tracker, RCVBUF_INITIAL);
  if (bind (fd, (struct sockaddr *) &address, sizeof address) < 0)
    {
      *reason = g_strerror (errno);
      return FALSE;
    }

  memset (&request, 0, sizeof request);
  request.header.nlmsg_len = sizeof request;
  request.header.nlmsg_type = NLMSG_DONE;
  request.cn.id.idx = CN_IDX_PROC;
  request.cn.id.val = CN_VAL_PROC;
  request.cn.len = sizeof request.op;
  request.op = PROC_CN_MCAST_LISTEN;
  if (send (fd, &request, sizeof request, 0) < 0)
    {
      *reason = g_strerror (errno);
      return FALSE;
    }
  return TRUE;
}

/* The kernel ignores a LISTEN request it does not like (outside the initial user and pid
 * namespaces) without any error: fork a child of our own and see whether its FORK arrives. */
static gboolean
verify_connector (InitProcTracker  *tracker,
                  const char      **reason)
{
  gint64 deadline;
  gboolean verified = FALSE;
  pid_t child;

  child = fork ();
  if (child == 0)
    _exit (0);
  if (child < 0)
    {
      *reason = _("cannot fork to verify it");
      return FALSE;
    }
  /* Our own child, reaped by pid: the daemon's reaper never waits here, it is not running. */
  while (waitpid (child, NULL, 0) < 0 && errno == EINTR)
    ;

  deadline = g_get_monotonic_time () + VERIFY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (!verified && tracker->fd >= 0)
    {
      struct pollfd pfd = { tracker->fd, POLLIN, 0 };
      gint64 remaining = deadline - g_get_monotonic_time ();

      if (remaining <= 0)
        break;
      if (poll (&pfd, 1, (int) ((remaining + 999) / 1000)) < 0 && errno != EINTR)
        break;
      read_messages (tracker, MESSAGES_PER_SYNC, child, &verified);
    }
  if (!verified)
    *reason = _("it delivers no events here (a container?)");
  return verified;
}

static void
close_connector (InitProcTracker *tracker)
{
  if (tracker->source != NULL)
    {
      g_source_destroy (tracker->source);
      g_clear_pointer (&tracker->source, g_source_unref);
    }
  if (tracker->fd >= 0)
    {
      close (tracker->fd);
      tracker->fd = -1;
    }
}

static gboolean poll_timeout (gpointer user_data);

static void
update_polling (InitProcTracker *tracker)
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

/* The connector failed for good while running: scanning keeps us correct. */
static void
stop_connector (InitProcTracker *tracker,
                const char      *reason)
{
  g_warning (_("Proc connector failed (%s): tracking processes by scanning /proc"), reason);
  /* Destroying the source from its own dispatch is fine; the fd number must not be polled
   * again once closed (it may be reused). */
  close_connector (tracker);
  tracker->mode = INIT_PROC_TRACKING_SCAN;
  update_polling (tracker);
  if (tracker->mode_func != NULL)
    tracker->mode_func (tracker, tracker->mode_data);
}

static gboolean
poll_timeout (gpointer user_data)
{
  init_proc_tracker_sync (user_data);
  return G_SOURCE_CONTINUE;
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

  if (use_connector && open_connector (tracker, &reason) && verify_connector (tracker, &reason))
    {
      tracker->mode = INIT_PROC_TRACKING_CONNECTOR;
      tracker->source = g_unix_fd_source_new (tracker->fd, G_IO_IN | G_IO_ERR | G_IO_HUP);
      g_source_set_callback (tracker->source, G_SOURCE_FUNC (connector_ready), tracker, NULL);
      g_source_set_static_name (tracker->source, "init-proc-tracker connector");
      g_source_attach (tracker->source, tracker->context);
      g_info (_("Process tracking: proc connector (kernel-filtered fork and exit events)"));
    }
  else
    {
      close_connector (tracker);
      g_info (_("Process tracking: scanning /proc; proc connector not used: %s"), reason);
    }
  return tracker;
}

void
init_proc_tracker_free (InitProcTracker *tracker)
{
  if (tracker == NULL)
    return;
  close_connector (tracker);
  tracker->polling = FALSE;
  update_polling (tracker);
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
  record = lookup_record (tracker, pid);
  if (record != NULL && record->owner != entry)
    {
      forget (tracker, pid);
      record = NULL;
    }
  if (record == NULL)
    record = track (tracker, pid, entry, pid, 0, info.start_time);
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
  forget (tracker, pid);
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
  if (lookup_record (tracker, pid) != NULL)
    return;
  /* Its own root: what it forks still belongs to the owner. */
  track (tracker, pid, entry, entry->last_root > 0 ? entry->last_root : pid, 1, start_time);
}

void
init_proc_tracker_fail_connector_for_testing (InitProcTracker *tracker)
{
  g_return_if_fail (tracker != NULL);
  if (tracker->mode == INIT_PROC_TRACKING_CONNECTOR)
    stop_connector (tracker, "test");
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
  rescan (tracker);
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
    read_messages (tracker, MESSAGES_PER_SYNC, 0, NULL);
  else
    rescan (tracker);
  tracker->syncing = FALSE;
}

void
init_proc_tracker_set_polling (InitProcTracker *tracker,
                               gboolean         wanted)
{
  g_return_if_fail (tracker != NULL);

  tracker->polling = wanted;
  update_polling (tracker);
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

  record = lookup_record (tracker, pid);
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
