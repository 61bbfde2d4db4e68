/* init-udev-source.h — udev events: `SUBSYSTEM-device-ACTION' for the subsystems jobs name
 *
 * Upstart's upstart-udev-bridge inside the daemon (reference event-sources.md §2), armed
 * only with the subsystems the loaded jobs name in leaves such as `usb-device-added' or
 * `net-device-removed INTERFACE=eth0': the daemon listens to udev (the monitor of processed
 * events, as the bridge did) filtered to those subsystems, and has no udev monitor at all
 * while no job names a device event.  Event names: action add → SUBSYSTEM-device-added,
 * change → -changed, remove → -removed, any other action verbatim (SUBSYSTEM-device-bind);
 * only the names some job waits for are emitted.  Variables, in Upstart's order: KERNEL,
 * DEVPATH, DEVNAME, SUBSYSTEM, ACTION (each if present), then every other udev property in
 * libudev's order (sorted by name), names and values stripped of bytes that are neither
 * printable nor blank ASCII, as the bridge did.
 *
 * Devices present when a subsystem starts being watched (at start-up, or when a job first
 * names it) are announced as SUBSYSTEM-device-added with ACTION=add, as the coldplug trigger
 * of an Upstart boot did.  `net-device-up' and `net-device-down' are not udev's (they come
 * from the network source).
 */
#pragma once

#include "init-engine.h"

G_BEGIN_DECLS

typedef struct _InitUdevSource InitUdevSource;

/* An InitSource (init-source.h) serving `*-device-*', emitting into @engine (borrowed). */
InitUdevSource *init_udev_source_new (InitEngine *engine);
/* The subsystems watched now (a new NULL-terminated sorted array; empty while none). */
char **init_udev_source_list (InitUdevSource *source);
/* The event name for @subsystem and the udev @action ("usb", "add" → "usb-device-added"),
 * newly allocated. */
char *init_udev_source_event_name (const char *subsystem,
                                   const char *action);
/* The subsystem a `*-device-*' event name is about ("usb-device-added" → "usb", newly
 * allocated), or NULL if it is not a udev event (no "-device-", net-device-up/down). */
char *init_udev_source_subsystem (const char *event_name);

G_END_DECLS
