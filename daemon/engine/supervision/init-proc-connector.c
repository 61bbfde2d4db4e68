/* init-proc-connector.c — the process tracker's kernel events (NETLINK_CONNECTOR) */
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
#include "init-proc-tracker-private.h"


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
void
init_proc_connector_set_rcvbuf (InitProcTracker *tracker,
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
  parent_record = init_proc_record_lookup (tracker, parent);
  if (parent_record == NULL)
    return;

  old = init_proc_record_lookup (tracker, child);
  if (old != NULL)
    {
      /* The pid was ours before and we missed its end: the old process is surely gone. */
      gpointer old_owner = old->owner->owner;
      gboolean was_root = old->is_root;

      init_proc_record_forget (tracker, child);
      if (!was_root && tracker->exit_func != NULL)
        tracker->exit_func (old_owner, child, tracker->user_data);
      parent_record = init_proc_record_lookup (tracker, parent);
      if (parent_record == NULL)
        return;
    }

  owner = parent_record->owner;
  generation = parent_record->generation + 1;
  init_proc_record_track (tracker, child, owner, parent_record->root, generation, 0);
  if (tracker->fork_func != NULL)
    tracker->fork_func (owner->owner, parent, child, generation, tracker->user_data);
}

static void
handle_exit (InitProcTracker *tracker,
             pid_t            pid)
{
  Record *record = init_proc_record_lookup (tracker, pid);
  gpointer owner;

  /* Roots are reaped by the owner, which then calls init_proc_tracker_process_exited(). */
  if (record == NULL || record->is_root)
    return;
  owner = record->owner->owner;
  init_proc_record_forget (tracker, pid);
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

/* Read up to @limit queued datagrams without blocking.  A lost-message error (ENOBUFS)
 * grows the queue and rescans /proc; any other error gives up on the connector. */
void
init_proc_connector_read (InitProcTracker *tracker,
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
              tracker->n_losses++;
              if (tracker->rcvbuf < RCVBUF_MAX)
                init_proc_connector_set_rcvbuf (tracker, MIN (tracker->rcvbuf * 2, RCVBUF_MAX));
              g_info (_("Process events were lost (receive queue now %d bytes): rescanning"),
                      tracker->rcvbuf);
              continue;
            }
          init_proc_connector_stop (tracker, g_strerror (errno));
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
    init_proc_tracker_scan_all (tracker);
}

gboolean
init_proc_connector_ready (int          fd,
                           GIOCondition condition,
                           gpointer     user_data)
{
  InitProcTracker *tracker = user_data;

  tracker->n_wakeups++;
  if (!tracker->syncing)
    {
      tracker->syncing = TRUE;
      init_proc_connector_read (tracker, MESSAGES_PER_DISPATCH, 0, NULL);
      tracker->syncing = FALSE;
    }
  return tracker->fd >= 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

gboolean
init_proc_connector_open (InitProcTracker *tracker,
                          const char     **reason)
{
  struct sockaddr_nl address = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
  struct
  {
    struct nlmsghdr       header;
    struct cn_msg         cn;
    enum proc_cn_mcast_op op;
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
  init_proc_connector_set_rcvbuf (tracker, RCVBUF_INITIAL);
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
gboolean
init_proc_connector_verify (InitProcTracker *tracker,
                            const char     **reason)
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
      init_proc_connector_read (tracker, MESSAGES_PER_SYNC, child, &verified);
    }
  if (!verified)
    *reason = _("it delivers no events here (a container?)");
  return verified;
}

void
init_proc_connector_close (InitProcTracker *tracker)
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

/* The connector failed for good while running: scanning keeps us correct. */
void
init_proc_connector_stop (InitProcTracker *tracker,
                          const char      *reason)
{
  g_warning (_("Proc connector failed (%s): tracking processes by scanning /proc"), reason);
  /* Destroying the source from its own dispatch is fine; the fd number must not be polled
   * again once closed (it may be reused). */
  init_proc_connector_close (tracker);
  tracker->mode = INIT_PROC_TRACKING_SCAN;
  init_proc_tracker_update_polling (tracker);
  if (tracker->mode_func != NULL)
    tracker->mode_func (tracker, tracker->mode_data);
}
