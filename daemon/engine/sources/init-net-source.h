/* init-net-source.h — `net-device-up', `net-device-down', `static-network-up' from rtnetlink
 *
 * What Ubuntu's ifupdown hooks emitted (reference event-sources.md §9, §13), followed in the
 * kernel's routing netlink (NETLINK_ROUTE: links and addresses) instead, so it works whatever
 * configures the network (ifupdown, NetworkManager, networkd, `ip').  The netlink socket is
 * open only while some job names one of the three events.
 *
 * An interface is up for an address family (inet, inet6) while the link is up (IFF_UP) and
 * has an address of that family that is usable (not tentative, DAD not failed) and is not an
 * IPv6 link-local address (which the kernel gives every link that is up: like ifupdown,
 * "up" means configured).  Each change gives
 *
 *   net-device-up   IFACE=NAME LOGICAL=NAME ADDRFAM=inet|inet6 METHOD=M
 *   net-device-down IFACE=NAME LOGICAL=NAME ADDRFAM=inet|inet6 METHOD=M   (as it was up)
 *
 * LOGICAL is the interface name (there is no ifupdown stanza to name); METHOD is `loopback'
 * for the loopback interface, `static' when an address of the family was set by hand
 * (permanent), otherwise `dhcp' (inet) or `auto' (inet6, router advertisements or DHCPv6).
 * An interface with both families gives two events, as ifupdown's two stanzas did.
 * When the source is armed, the interfaces already up give their net-device-up at once.
 * `static-network-up' (no variables) is emitted once per daemon run, the first time an
 * interface other than the loopback is up (ifupdown's rule when it has no `auto' list).
 */
#pragma once

#include "init-engine.h"
#include "init-source.h"

G_BEGIN_DECLS

typedef struct _InitNetSource InitNetSource;

/* An InitSource (init-source.h) serving the three events, emitting into @engine (a weak
 * reference): cast it to give it to the registry, which owns it. */
InitNetSource *init_net_source_new (InitEngine *engine);
/* Is the netlink socket open (some job names the events)? */
gboolean       init_net_source_is_listening (InitNetSource *source);

G_END_DECLS
