/* test-boot-events.c — the system daemon's boot milestones, once per boot
 *
 * The real initd --system on a private system bus, reading the machine's own mount table:
 * a job waiting for `filesystem' starts once the daemon is up; a second daemon in the same
 * boot (a restart) emits no milestone again, and `--no-boot-events' none at all.  Whether a
 * milestone went out is read after a probe event emitted with wait=TRUE: events are handled
 * in the order they were queued, and the milestones are queued before the daemon answers
 * any call.
 */
#include <gio/gio.h>
#include <string.h>

#include "dbus-fixture.h"
#include "source-entry.h"
#include "test-util.h"

/* `initctl status JOB' on the fixture's daemon. */
static char *
status_of (DBusFixture *fx,
           const char  *job)
{
  const char *argv[] = { g_getenv ("INITCTL"), "--system", "status", job, NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (dbus_fixture_run (fx, argv, &out, NULL), ==, 0);
  return g_strdup (g_strstrip (out));
}

/* Everything queued before now has been handled once this returns. */
static void
probe (DBusFixture *fx)
{
  g_autoptr(GVariant) reply = NULL;

  reply = dbus_fixture_call_ok (fx, "/org/example/Init", "org.example.Init", "EmitEvent",
                                g_variant_new ("(s^asb)", "probe",
                                               (const char *const[]) { NULL }, TRUE));
}

static DBusFixture *
new_system (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SYSTEM, "system-bus-allow-all.conf.in");

  dbus_fixture_write_job (fx, "fs", "start on filesystem\n"
                          "exec sleep 1000\n");
  dbus_fixture_write_job (fx, "mnt", "start on mounted MOUNTPOINT=/proc TYPE=proc\n"
                          "exec sleep 1000\n");
  return fx;
}

/* The milestones start their jobs in a fresh boot; a restarted daemon emits them no more. */
static void
test_once_per_boot (void)
{
  DBusFixture *fx = new_system ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *mnt = NULL;

  dbus_fixture_start_initd (fx, NULL, NULL);
  probe (fx);
  first = status_of (fx, "fs");
  mnt = status_of (fx, "mnt");
  g_assert_true (g_str_has_prefix (first, "fs start/"));
  g_assert_true (g_str_has_prefix (mnt, "mnt start/"));
  wait_entry (fx, "boot", "active|emitted in this boot|fs mnt");
  g_assert_cmpint (dbus_fixture_stop_initd (fx), ==, 0);
  dbus_fixture_start_initd (fx, NULL, NULL);
  probe (fx);
  second = status_of (fx, "fs");
  g_assert_cmpstr (second, ==, "fs stop/waiting");
  wait_entry (fx, "boot", "active|emitted earlier in this boot|fs mnt");
  dbus_fixture_free (fx);
}

/* --no-boot-events: no milestone, no boot source. */
static void
test_turned_off (void)
{
  DBusFixture *fx = new_system ();
  const char *args[] = { "--no-startup-event", "--no-boot-events", NULL };
  g_autofree char *status = NULL;
  g_autofree char *entry = NULL;

  dbus_fixture_start_initd (fx, args, NULL);
  probe (fx);
  status = status_of (fx, "fs");
  g_assert_cmpstr (status, ==, "fs stop/waiting");
  entry = source_entry (fx, "boot");
  g_assert_null (entry);
  dbus_fixture_free (fx);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/boot-events/once-per-boot", test_once_per_boot);
  g_test_add_func ("/boot-events/turned-off", test_turned_off);
  return g_test_run ();
}
