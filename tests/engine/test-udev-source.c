/* test-udev-source.c — udev events from fake devices (umockdev), armed by what jobs wait for
 *
 * The engine in-process with the real sources (init-sources.c, init-udev-source.c, libgudev)
 * in a umockdev testbed: the test adds devices to a private sysfs and sends uevents, which
 * libgudev receives through umockdev's preload library exactly as it would receive udev's.
 * The program runs itself again under LD_PRELOAD=libumockdev-preload.so.0 (what
 * umockdev-wrapper does) when it is not in a mock environment already.  Checked: the event
 * names and variables (in Upstart's order, stripped as Upstart did), the jobs they start,
 * the replay of devices already present, and that there is no udev monitor while no job
 * names a device event.
 */
#include <errno.h>
#include <string.h>
#include <link.h>
#include <umockdev.h>
#include <unistd.h>

#include "engine-fixture.h"
#include "init-reaper.h"
#include "init-sources.h"
#include "test-util.h"

typedef struct
{
  Fixture          fx;
  UMockdevTestbed *bed;
  InitSources     *sources;
} F;

static void
f_setup (F            *f,
         gconstpointer data)
{
  f->bed = umockdev_testbed_new ();
  fixture_setup (&f->fx, data);
  f->sources = init_sources_new (f->fx.engine);
}

static void
f_teardown (F            *f,
            gconstpointer data)
{
  g_clear_pointer (&f->sources, init_sources_free);
  fixture_teardown (&f->fx, data);
  g_clear_object (&f->bed);
}

static void
define (F          *f,
        const char *name,
        const char *text)
{
  fixture_define (&f->fx, name, text);
  init_sources_update (f->sources);
}

/* The subsystems watched now, joined by spaces. */
static char *
watched (F *f)
{
  g_auto (GStrv) list = NULL;

  init_sources_update (f->sources);
  list = init_sources_list_subsystems (f->sources);
  return g_strjoinv (" ", list);
}

/* The finished events named @name, SEQNUM (the testbed's counter) left out, joined by
 * " | ". */
static char *
events_named (F          *f,
              const char *name)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GRegex) seqnum = g_regex_new (" SEQNUM=[0-9]+", 0, 0, NULL);
  g_autofree char *prefix = g_strconcat (name, " ", NULL);

  for (guint i = 0; i < f->fx.events->len; i++)
    {
      const char *line = g_ptr_array_index (f->fx.events, i);
      g_autofree char *plain = NULL;

      if (!g_str_equal (line, name) && !g_str_has_prefix (line, prefix))
        continue;
      plain = g_regex_replace_literal (seqnum, line, -1, 0, "", 0, NULL);
      g_string_append_printf (out, "%s%s", out->len > 0 ? " | " : "", plain);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  F          *f;
  const char *name;
  guint       count;
} Wait;

static gboolean
saw_events (gpointer user_data)
{
  Wait *w = user_data;
  guint n = 0;

  for (guint i = 0; i < w->f->fx.events->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (w->f->fx.events, i), w->name))
      n++;
  return n >= w->count;
}

/* Wait until @count events whose lines start with @name have finished. */
static void
wait_events (F          *f,
             const char *name,
             guint       count)
{
  Wait w = { f, name, count };

  g_assert_true (test_util_wait_until (saw_events, &w, 10000));
}

/* Socket inodes of this process's descriptors. */
static GHashTable *
socket_inodes (void)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", entry, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:["))
        g_hash_table_add (set, g_strndup (target + 8, strlen (target) - 9));
    }
  return set;
}

/* The whitespace-separated words of a /proc/net table row. */
static char **
words_of (char *line)
{
  return g_regex_split_simple ("\\s+", g_strstrip (line), 0, 0);
}

/* How many udev monitors this process holds: netlink uevent sockets, or (under umockdev)
 * the unix sockets its preload library binds in the testbed for them. */
static guint
count_monitors (F *f)
{
  g_autoptr(GHashTable) inodes = socket_inodes ();
  g_autofree char *unix_table = test_util_read_file ("/proc/self/net/unix");
  g_autofree char *netlink_table = test_util_read_file ("/proc/self/net/netlink");
  g_autofree char *root = umockdev_testbed_get_root_dir (f->bed);   /* a copy */
  g_autofree char *prefix = g_build_filename (root, "event", NULL);
  g_auto (GStrv) unix_lines = g_strsplit (unix_table, "\n", -1);
  g_auto (GStrv) netlink_lines = g_strsplit (netlink_table, "\n", -1);
  guint n = 0;

  /* Num RefCount Protocol Flags Type St Inode Path */
  for (guint i = 1; unix_lines[i] != NULL; i++)
    {
      g_auto (GStrv) w = words_of (unix_lines[i]);

      if (g_strv_length (w) >= 8 && g_hash_table_contains (inodes, w[6])
          && g_str_has_prefix (w[7], prefix))
        n++;
    }
  /* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode; Eth 15 = NETLINK_KOBJECT_UEVENT */
  for (guint i = 1; netlink_lines[i] != NULL; i++)
    {
      g_auto (GStrv) w = words_of (netlink_lines[i]);

      if (g_strv_length (w) >= 10 && g_str_equal (w[1], "15")
          && g_hash_table_contains (inodes, w[9]))
        n++;
    }
  return n;
}

static char *
add_usb (F          *f,
         const char *name,
         const char *vendor,
         const char *model)
{
  return umockdev_testbed_add_device (f->bed, "usb", name, NULL,
                                      "idVendor", vendor, NULL,
                                      "ID_VENDOR_ID", vendor, "ID_MODEL", model,
                                      "DEVNAME", "/dev/bus/usb/001/002", NULL);
}

/* A device plugged in starts the job waiting for it, with udev's variables in Upstart's
 * order; another device does not. */
static void
test_added_starts_job (F            *f,
                       gconstpointer data)
{
  g_autofree char *out = fixture_path (&f->fx, "out");
  g_autofree char *job = g_strdup_printf ("start on usb-device-added ID_VENDOR_ID=abcd\ntask\n"
                                          "exec sh -c 'echo \"$KERNEL $DEVNAME $ID_MODEL\" > %s'\n",
                                          out);
  g_autofree char *gadget = NULL;
  g_autofree char *other = NULL;
  g_autofree char *text = NULL;
  g_autofree char *events = NULL;

  define (f, "gadget", job);
  /* Adding a device to the testbed sends its "add" uevent. */
  other = add_usb (f, "usb2", "ffff", "Other");
  wait_events (f, "usb-device-added", 1);
  test_util_spin (300);
  g_assert_cmpstr (fixture_status (&f->fx, "gadget", ""), ==, "stop/waiting");
  gadget = add_usb (f, "usb1", "abcd", "Gadget");
  text = fixture_wait_file (&f->fx, out);
  g_assert_cmpstr (text, ==, "usb1 /dev/bus/usb/001/002 Gadget\n");
  wait_events (f, "usb-device-added", 2);
  events = events_named (f, "usb-device-added");
  g_assert_cmpstr (events, ==,
                   "usb-device-added KERNEL=usb2 DEVPATH=/devices/usb2 DEVNAME=/dev/bus/usb/001/002 "
                   "SUBSYSTEM=usb ACTION=add ID_MODEL=Other ID_VENDOR_ID=ffff"
                   " | usb-device-added KERNEL=usb1 DEVPATH=/devices/usb1 DEVNAME=/dev/bus/usb/001/002 "
                   "SUBSYSTEM=usb ACTION=add ID_MODEL=Gadget ID_VENDOR_ID=abcd");
}

/* Devices present when the source starts watching their subsystem are announced as added
 * (the coldplug an Upstart boot did); a subsystem nobody names is not. */
static void
test_existing_replayed (F            *f,
                        gconstpointer data)
{
  g_autofree char *gadget = add_usb (f, "usb1", "abcd", "Gadget");
  g_autofree char *disk = umockdev_testbed_add_device (f->bed, "block", "sda", NULL, NULL,
                                                       "DEVNAME", "/dev/sda", NULL);
  g_autofree char *events = NULL;

  define (f, "gadget", "start on usb-device-added ID_VENDOR_ID=abcd\ntask\nexec true\n");
  wait_events (f, "usb-device-added", 1);
  test_util_spin (300);
  events = events_named (f, "usb-device-added");
  g_assert_cmpstr (events, ==,
                   "usb-device-added KERNEL=usb1 DEVPATH=/devices/usb1 DEVNAME=/dev/bus/usb/001/002 "
                   "SUBSYSTEM=usb ACTION=add ID_MODEL=Gadget ID_VENDOR_ID=abcd");
  g_assert_cmpint (fixture_event_index (&f->fx, "block-device-added"), ==, -1);
  g_assert_cmpint (fixture_event_index (&f->fx, "stopped"), >=, 0);
}

/* No udev monitor at all while no job names a device event; one, filtered to the named
 * subsystems, while some do; re-armed when the jobs change. */
static void
test_monitor_only_when_named (F            *f,
                              gconstpointer data)
{
  g_autofree char *none = NULL;
  g_autofree char *usb = NULL;
  g_autofree char *both = NULL;
  g_autofree char *block = NULL;
  g_autofree char *gone = NULL;

  define (f, "plain", "start on startup\nstop on net-device-up IFACE=eth0\nexec true\n");
  none = watched (f);
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpuint (count_monitors (f), ==, 0);
  define (f, "gadget", "start on usb-device-added\nexec true\n");
  usb = watched (f);
  g_assert_cmpstr (usb, ==, "usb");
  g_assert_cmpuint (count_monitors (f), ==, 1);
  define (f, "disk", "start on startup\nstop on block-device-removed DEVNAME=/dev/sda\nexec true\n");
  both = watched (f);
  g_assert_cmpstr (both, ==, "block usb");
  g_assert_cmpuint (count_monitors (f), ==, 1);
  init_engine_set_class (f->fx.engine, "gadget", NULL);
  block = watched (f);
  g_assert_cmpstr (block, ==, "block");
  init_engine_set_class (f->fx.engine, "disk", NULL);
  gone = watched (f);
  g_assert_cmpstr (gone, ==, "");
  g_assert_cmpuint (count_monitors (f), ==, 0);
}

/* change/remove/other actions, net's names, and Upstart's stripping of non-ASCII bytes. */
static void
test_actions_and_stripping (F            *f,
                            gconstpointer data)
{
  g_autofree char *nic = umockdev_testbed_add_device (f->bed, "net", "eth9", NULL, NULL,
                                                      "INTERFACE", "eth9",
                                                      "ID_MODEL_FROM_DATABASE",
                                                      "Caf\xc3\xa9 NIC\tv2", NULL);
  g_autofree char *added = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *removed = NULL;

  define (f, "nic", "start on net-device-added INTERFACE=eth9\n"
          "stop on net-device-removed or net-device-changed\nexec sleep 100\n");
  wait_events (f, "net-device-added", 1);
  added = events_named (f, "net-device-added");
  g_assert_cmpstr (added, ==, "net-device-added KERNEL=eth9 DEVPATH=/devices/eth9 SUBSYSTEM=net "
                   "ACTION=add ID_MODEL_FROM_DATABASE=Caf NIC\tv2 INTERFACE=eth9");
  fixture_wait_status (&f->fx, "nic", "", "start/running");
  umockdev_testbed_uevent (f->bed, nic, "change");
  wait_events (f, "net-device-changed", 1);
  changed = events_named (f, "net-device-changed");
  g_assert_cmpstr (changed, ==, "net-device-changed KERNEL=eth9 DEVPATH=/devices/eth9 "
                   "SUBSYSTEM=net ACTION=change ID_MODEL_FROM_DATABASE=Caf NIC\tv2 INTERFACE=eth9");
  fixture_wait_status (&f->fx, "nic", "", "stop/waiting");
  umockdev_testbed_uevent (f->bed, nic, "bind");
  umockdev_testbed_uevent (f->bed, nic, "remove");
  wait_events (f, "net-device-removed", 1);
  removed = events_named (f, "net-device-removed");
  g_assert_cmpstr (removed, ==, "net-device-removed KERNEL=eth9 DEVPATH=/devices/eth9 "
                   "SUBSYSTEM=net ACTION=remove ID_MODEL_FROM_DATABASE=Caf NIC\tv2 INTERFACE=eth9");
  /* Nobody waits for net-device-bind: not emitted. */
  g_assert_cmpint (fixture_event_index (&f->fx, "net-device-bind"), ==, -1);
}

static int
find_asan (struct dl_phdr_info *info,
           size_t               size,
           void                *data)
{
  if (strstr (info->dlpi_name, "/libasan.so") == NULL)
    return 0;
  *(char **) data = g_strdup (info->dlpi_name);
  return 1;
}

/* libgudev must see the testbed: run again under umockdev's preload library if needed.  In a
 * sanitizer build AddressSanitizer's runtime must stay the first library loaded (it refuses
 * to run otherwise): it is preloaded before umockdev's. */
static void
ensure_mock_environment (char **argv)
{
  const char *preload = g_getenv ("LD_PRELOAD");
  g_autofree char *asan = NULL;
  g_autofree char *with = NULL;

  if (preload != NULL && strstr (preload, "libumockdev-preload") != NULL)
    return;
  dl_iterate_phdr (find_asan, &asan);
  with = g_strjoin (" ", asan != NULL ? asan : "", "libumockdev-preload.so.0",
                    preload != NULL ? preload : "", NULL);
  g_setenv ("LD_PRELOAD", with, TRUE);
  execv ("/proc/self/exe", argv);
  g_error ("cannot run again under umockdev: %s", g_strerror (errno));
}

int
main (int    argc,
      char **argv)
{
  ensure_mock_environment (argv);
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));
  g_test_add ("/sources/udev/added-starts-job", F, NULL, f_setup, test_added_starts_job,
              f_teardown);
  g_test_add ("/sources/udev/existing-replayed", F, NULL, f_setup, test_existing_replayed,
              f_teardown);
  g_test_add ("/sources/udev/monitor-only-when-named", F, NULL, f_setup,
              test_monitor_only_when_named, f_teardown);
  g_test_add ("/sources/udev/actions-and-stripping", F, NULL, f_setup,
              test_actions_and_stripping, f_teardown);
  return g_test_run ();
}
