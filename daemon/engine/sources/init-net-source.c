/* init-net-source.c — network events from rtnetlink, see init-net-source.h */
#define G_LOG_DOMAIN "init-sources"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "init-net-source.h"

enum { FAM_INET, FAM_INET6, N_FAMS };

typedef enum
{
  WANT_UP = 1 << 0,
  WANT_DOWN = 1 << 1,
  WANT_STATIC = 1 << 2,
} Wants;

/* How long a dump of the kernel's tables may take before we give up (it takes microseconds). */
#define DUMP_TIMEOUT_MS 5000

typedef struct
{
  int      fam;
  guint32  flags;         /* IFA_F_* */
  gboolean link_local;    /* fe80::/10 */
} Addr;

typedef struct
{
  char       *name;
  guint       flags;              /* IFF_* */
  gboolean    seen;               /* in the dump being read */
  GHashTable *addrs;              /* "family address/prefix" -> Addr */
  char       *up_name[N_FAMS];    /* the name it went up with, NULL while not up */
  const char *up_method[N_FAMS];
} Link;

struct _InitNetSource
{
  InitSource  parent;
  InitEngine *engine;
  Wants       wants;
  int         fd;               /* the netlink socket, -1 while disarmed */
  guint       watch;
  guint32     seq;
  gboolean    syncing;          /* reading a dump: decide nothing before it is complete */
  gboolean    warned;
  gboolean    static_emitted;   /* once per daemon run */
  GHashTable *links;            /* ifindex -> Link */
};

static const char *const fam_names[N_FAMS] = { "inet", "inet6" };

static void
link_free (gpointer data)
{
  Link *link = data;

  g_free (link->name);
  g_hash_table_unref (link->addrs);
  for (int fam = 0; fam < N_FAMS; fam++)
    g_free (link->up_name[fam]);
  g_free (link);
}

static Link *
link_get (InitNetSource *source,
          int            index)
{
  Link *link = g_hash_table_lookup (source->links, GINT_TO_POINTER (index));

  if (link == NULL)
    {
      link = g_new0 (Link, 1);
      link->addrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (source->links, GINT_TO_POINTER (index), link);
    }
  return link;
}

/* ---- deciding and emitting ---- */

/* Is @link configured for @fam, and how (NULL: not up)? */
static const char *
link_method (Link *link,
             int   fam)
{
  gboolean usable = FALSE, permanent = FALSE;
  GHashTableIter iter;
  gpointer value;

  if (!(link->flags & IFF_UP) || link->name == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, link->addrs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const Addr *addr = value;

      if (addr->fam != fam || addr->link_local
          || (addr->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
        continue;
      usable = TRUE;
      permanent |= (addr->flags & IFA_F_PERMANENT) != 0;
    }
  if (!usable)
    return NULL;
  if (link->flags & IFF_LOOPBACK)
    return "loopback";
  if (permanent)
    return "static";
  return fam == FAM_INET ? "dhcp" : "auto";
}

static void
emit_device (InitNetSource *source,
             const char    *event,
             const char    *name,
             int            fam,
             const char    *method)
{
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (env, g_strconcat ("IFACE=", name, NULL));
  g_ptr_array_add (env, g_strconcat ("LOGICAL=", name, NULL));
  g_ptr_array_add (env, g_strconcat ("ADDRFAM=", fam_names[fam], NULL));
  g_ptr_array_add (env, g_strconcat ("METHOD=", method, NULL));
  init_engine_emit (source->engine, event, env, NULL, NULL);
}

/* The first interface other than the loopback that is up gives static-network-up. */
static void
maybe_static (InitNetSource *source)
{
  GHashTableIter iter;
  gpointer value;

  if (source->static_emitted || !(source->wants & WANT_STATIC) || source->syncing)
    return;
  g_hash_table_iter_init (&iter, source->links);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Link *link = value;

      if (!(link->flags & IFF_LOOPBACK)
          && (link->up_name[FAM_INET] != NULL || link->up_name[FAM_INET6] != NULL))
        {
          source->static_emitted = TRUE;
          init_engine_emit (source->engine, "static-network-up", NULL, NULL, NULL);
          return;
        }
    }
}

/* Compare what @link is now with what was announced, and announce the difference. */
static void
link_evaluate (InitNetSource *source,
               Link          *link)
{
  for (int fam = 0; fam < N_FAMS; fam++)
    {
      const char *method = link_method (link, fam);

      if (method != NULL && link->up_name[fam] == NULL)
        {
          link->up_name[fam] = g_strdup (link->name);
          link->up_method[fam] = method;
          if (source->wants & WANT_UP)
            emit_device (source, "net-device-up", link->name, fam, method);
        }
      else if (method == NULL && link->up_name[fam] != NULL)
        {
          if (source->wants & WANT_DOWN)
            emit_device (source, "net-device-down", link->up_name[fam], fam,
                         link->up_method[fam]);
          g_clear_pointer (&link->up_name[fam], g_free);
        }
    }
}

/* ---- reading rtnetlink ---- */

static void
handle_link (InitNetSource   *source,
             struct nlmsghdr *h)
{
  struct ifinfomsg *ifi = NLMSG_DATA (h);
  int len = NLMSG_PAYLOAD (h, sizeof *ifi);
  Link *link;

  /* AF_BRIDGE messages are about bridge ports, not the links themselves. */
  if (h->nlmsg_len < NLMSG_LENGTH (sizeof *ifi) || ifi->ifi_family == AF_BRIDGE)
    return;
  link = link_get (source, ifi->ifi_index);
  link->seen = TRUE;
  link->flags = h->nlmsg_type == RTM_DELLINK ? 0 : ifi->ifi_flags;
  for (struct rtattr *rta = (struct rtattr *) ((char *) ifi + NLMSG_ALIGN (sizeof *ifi));
       RTA_OK (rta, len); rta = RTA_NEXT (rta, len))
    if (rta->rta_type == IFLA_IFNAME && RTA_PAYLOAD (rta) > 0)
      {
        g_free (link->name);
        link->name = g_strndup (RTA_DATA (rta), RTA_PAYLOAD (rta));
      }
  if (source->syncing)
    return;
  link_evaluate (source, link);
  if (h->nlmsg_type == RTM_DELLINK)
    g_hash_table_remove (source->links, GINT_TO_POINTER (ifi->ifi_index));
  maybe_static (source);
}

static void
handle_addr (InitNetSource   *source,
             struct nlmsghdr *h)
{
  struct ifaddrmsg *ifa = NLMSG_DATA (h);
  int len = NLMSG_PAYLOAD (h, sizeof *ifa);
  struct rtattr *address = NULL, *local = NULL;
  guint32 flags;
  g_autoptr(GString) key = g_string_new (NULL);
  Link *link;

  if (h->nlmsg_len < NLMSG_LENGTH (sizeof *ifa)
      || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
    return;
  flags = ifa->ifa_flags;
  for (struct rtattr *rta = (struct rtattr *) ((char *) ifa + NLMSG_ALIGN (sizeof *ifa));
       RTA_OK (rta, len); rta = RTA_NEXT (rta, len))
    if (rta->rta_type == IFA_ADDRESS)
      address = rta;
    else if (rta->rta_type == IFA_LOCAL)
      local = rta;
    else if (rta->rta_type == IFA_FLAGS && RTA_PAYLOAD (rta) >= sizeof (guint32))
      memcpy (&flags, RTA_DATA (rta), sizeof flags);
  if (local != NULL)
    address = local;   /* on point-to-point links IFA_ADDRESS is the peer's */
  if (address == NULL)
    return;

  g_string_append_printf (key, "%d ", ifa->ifa_family);
  for (guint i = 0; i < RTA_PAYLOAD (address); i++)
    g_string_append_printf (key, "%02x", ((guint8 *) RTA_DATA (address))[i]);
  g_string_append_printf (key, "/%u", ifa->ifa_prefixlen);

  link = link_get (source, ifa->ifa_index);
  if (h->nlmsg_type == RTM_DELADDR)
    g_hash_table_remove (link->addrs, key->str);
  else
    {
      Addr *addr = g_new0 (Addr, 1);
      const guint8 *bytes = RTA_DATA (address);

      addr->fam = ifa->ifa_family == AF_INET ? FAM_INET : FAM_INET6;
      addr->flags = flags;
      addr->link_local = ifa->ifa_family == AF_INET6 && RTA_PAYLOAD (address) >= 2
                         && bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;
      g_hash_table_insert (link->addrs, g_strdup (key->str), addr);
    }
  if (source->syncing)
    return;
  link_evaluate (source, link);
  maybe_static (source);
}

/* Handle every message in @buf (@len bytes); TRUE when it held the end of dump @seq. */
static gboolean
handle_messages (InitNetSource *source,
                 char          *buf,
                 gssize         len,
                 guint32        seq)
{
  gboolean done = FALSE;

  for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK (h, len); h = NLMSG_NEXT (h, len))
    switch (h->nlmsg_type)
      {
      case RTM_NEWLINK:
      case RTM_DELLINK:
        handle_link (source, h);
        break;
      case RTM_NEWADDR:
      case RTM_DELADDR:
        handle_addr (source, h);
        break;
      case NLMSG_DONE:
      case NLMSG_ERROR:
        done |= seq != 0 && h->nlmsg_seq == seq;
        break;
      default:
        break;
      }
  return done;
}

/* Ask for the kernel's table (@type: RTM_GETLINK, RTM_GETADDR) and read it all. */
static gboolean
dump (InitNetSource *source,
      int            type,
      GError       **error)
{
  /* The request's body is an ifinfomsg (links) or an ifaddrmsg (addresses): room for the
   * larger, so that the length sent never reaches past the request (ifaddrmsg is half of
   * ifinfomsg: AddressSanitizer caught send() reading the stack beyond it). */
  struct
  {
    struct nlmsghdr h;
    union
    {
      struct ifinfomsg link;
      struct ifaddrmsg addr;
    } body;
  } req;
  char buf[32768] __attribute__ ((aligned (NLMSG_ALIGNTO)));
  gboolean done = FALSE;

  memset (&req, 0, sizeof req);
  req.h.nlmsg_len = NLMSG_LENGTH (type == RTM_GETLINK ? sizeof (struct ifinfomsg)
                                                      : sizeof (struct ifaddrmsg));
  req.h.nlmsg_type = type;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.h.nlmsg_seq = ++source->seq;
  if (type == RTM_GETLINK)
    req.body.link.ifi_family = AF_UNSPEC;
  else
    req.body.addr.ifa_family = AF_UNSPEC;
  if (send (source->fd, &req, req.h.nlmsg_len, 0) < 0)
    goto fail;
  while (!done)
    {
      struct pollfd pfd = { source->fd, POLLIN, 0 };
      gssize n;

      if (poll (&pfd, 1, DUMP_TIMEOUT_MS) == 0)
        {
          errno = ETIMEDOUT;
          goto fail;
        }
      n = recv (source->fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        goto fail;
      done = handle_messages (source, buf, n, req.h.nlmsg_seq);
    }
  return TRUE;

fail:
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errno), g_strerror (errno));
  return FALSE;
}

/* Read the whole state again (at arming, and when the kernel dropped notifications). */
static gboolean
resync (InitNetSource *source,
        GError       **error)
{
  GHashTableIter iter;
  gpointer value;
  gboolean ok;

  source->syncing = TRUE;
  g_hash_table_iter_init (&iter, source->links);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ((Link *) value)->seen = FALSE;
      g_hash_table_remove_all (((Link *) value)->addrs);
    }
  ok = dump (source, RTM_GETLINK, error) && dump (source, RTM_GETADDR, error);
  source->syncing = FALSE;
  g_hash_table_iter_init (&iter, source->links);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Link *link = value;

      if (!link->seen)
        link->flags = 0;
      link_evaluate (source, link);
      if (!link->seen)
        g_hash_table_iter_remove (&iter);
    }
  maybe_static (source);
  return ok;
}

static gboolean
on_readable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  InitNetSource *source = user_data;
  char buf[32768] __attribute__ ((aligned (NLMSG_ALIGNTO)));
  gssize n;

  while ((n = recv (fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
    handle_messages (source, buf, n, 0);
  if (n < 0 && errno == ENOBUFS)
    {
      /* The kernel dropped notifications: read the state again. */
      g_autoptr(GError) error = NULL;

      if (!resync (source, &error))
        g_warning (_("Cannot read the network state again: %s"), error->message);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- the source ---- */

static void
net_source_disarm (InitSource *parent)
{
  InitNetSource *source = (InitNetSource *) parent;

  g_clear_handle_id (&source->watch, g_source_remove);
  if (source->fd >= 0)
    close (source->fd);
  source->fd = -1;
  source->wants = 0;
  g_hash_table_remove_all (source->links);
}

static gboolean
net_source_open (InitNetSource *source,
                 GError       **error)
{
  struct sockaddr_nl sa = {
    .nl_family = AF_NETLINK,
    .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
  };

  source->fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  if (source->fd < 0 || bind (source->fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    {
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                           g_strerror (errno));
      return FALSE;
    }
  source->watch = g_unix_fd_add (source->fd, G_IO_IN, on_readable, source);
  return resync (source, error);
}

static void
net_source_arm (InitSource *parent,
                GPtrArray  *leaves)
{
  InitNetSource *source = (InitNetSource *) parent;
  g_autoptr(GError) error = NULL;
  Wants wants = 0;

  for (guint i = 0; i < leaves->len; i++)
    {
      const char *name = ((const InitSourceLeaf *) g_ptr_array_index (leaves, i))->leaf->name;

      wants |= g_str_equal (name, "net-device-up") ? WANT_UP
               : g_str_equal (name, "net-device-down") ? WANT_DOWN : WANT_STATIC;
    }
  if (source->fd >= 0 && (wants & WANT_UP) && !(source->wants & WANT_UP))
    {
      /* Newly wanted: the interfaces up now are announced, as at arming. */
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, source->links);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        for (int fam = 0; fam < N_FAMS; fam++)
          if (((Link *) value)->up_name[fam] != NULL)
            emit_device (source, "net-device-up", ((Link *) value)->up_name[fam], fam,
                         ((Link *) value)->up_method[fam]);
    }
  source->wants = wants;
  if (source->fd < 0 && !net_source_open (source, &error))
    {
      if (!source->warned)
        g_warning (_("Cannot follow the network through rtnetlink: %s; net-device-up, "
                     "net-device-down and static-network-up will not be emitted"),
                   error->message);
      source->warned = TRUE;
      net_source_disarm (parent);
      return;
    }
  maybe_static (source);
}

static void
net_source_free (InitSource *parent)
{
  InitNetSource *source = (InitNetSource *) parent;

  net_source_disarm (parent);
  g_hash_table_unref (source->links);
  g_free (source);
}

static const InitSourceClass net_source_class = {
  net_source_arm, net_source_disarm, net_source_free,
};
static const char *const net_source_events[] = {
  "net-device-up", "net-device-down", "static-network-up", NULL
};

InitNetSource *
init_net_source_new (InitEngine *engine)
{
  InitNetSource *source = g_new0 (InitNetSource, 1);

  source->parent = (InitSource) { &net_source_class, "network", net_source_events, FALSE };
  source->engine = engine;
  source->fd = -1;
  source->links = g_hash_table_new_full (NULL, NULL, NULL, link_free);
  return source;
}

gboolean
init_net_source_is_listening (InitNetSource *source)
{
  return source->fd >= 0;
}
