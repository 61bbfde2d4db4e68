/* test-initctl-seed.c — every example of seed-examples.md, with initctl against the real initd
 *
 * The transcripts are the documents' own, byte for byte (pids masked, /tmp paths moved into
 * the fixture's directory); where a document states a behaviour in prose, the test says so.
 */
#include <signal.h>
#include <string.h>

#include "initctl-run.h"
#include "test-util.h"

#define WAIT_MS 10000

static char *
fixture_file (DBusFixture *fx,
              const char  *name)
{
  g_autofree char *path = dbus_fixture_path (fx, name);

  return test_util_read_file (path);
}

/* §1: an abstract job is running without a process after its event. */
static void
test_seed_1_starts_on_event (void)
{
  const char *jobs[] = {
    "example1", "start on surprise\n",
    "example1p", "start on surprise\nexec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  run_transcript (fx,
                  "# initctl status example1\n"
                  "example1 stop/waiting\n"
                  "# initctl emit surprise\n"
                  "# initctl status example1\n"
                  "example1 start/running\n"
                  "# initctl status example1p\n"
                  "example1p start/running, process 1234\n");
  dbus_fixture_free (fx);
}

/* §2: the event's environment reaches the job's script. */
static void
test_seed_2_event_environment (void)
{
  const char *jobs[] = {
    "example2", "start on weather\n\nscript\n    echo $KIND > @DIR@/weather\nend script\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  run_transcript (fx,
                  "# cat @DIR@/weather\n"
                  "cat: @DIR@/weather: No such file or directory\n"
                  "# initctl emit weather KIND=RAIN\n"
                  "# cat @DIR@/weather\n"
                  "RAIN\n");
  dbus_fixture_free (fx);
}

/* §3: matching on the environment, with globs, != and several matches. */
static void
test_seed_3_matching (void)
{
  const char *jobs[] = {
    "example3", "start on weather KIND=snow\n",
    "glob", "start on weather KIND=r?in\n",
    "class", "start on weather KIND=[rs]*\n",
    "negated", "start on weather KIND!=sun\n",
    "both", "start on weather KIND=rain INTENSITY=heavy\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  run_transcript (fx,
                  "# initctl emit weather KIND=hail\n"
                  "# initctl status example3\n"
                  "example3 stop/waiting\n"
                  "# initctl emit weather KIND=snow\n"
                  "# initctl status example3\n"
                  "example3 start/running\n");
  run_transcript (fx,
                  "# initctl emit weather KIND=rain INTENSITY=light\n"
                  "# initctl list\n"
                  "both stop/waiting\n"
                  "class start/running\n"
                  "example3 start/running\n"
                  "glob start/running\n"
                  "negated start/running\n"
                  "# initctl emit weather KIND=rain INTENSITY=heavy\n"
                  "# initctl status both\n"
                  "both start/running\n");
  dbus_fixture_free (fx);
}

/* §4: `or', and a `stop on' that refers to the job's own environment. */
static void
test_seed_4_or_and_own_environment (void)
{
  const char *jobs[] = {
    "example4", "start on weather KIND=rain or weather KIND=snow\n"
    "stop on weather KIND!=$KIND\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  run_transcript (fx,
                  "# initctl emit weather KIND=rain INTENSITY=heavy\n"
                  "# initctl status example4\n"
                  "example4 start/running\n"
                  "# initctl emit weather KIND=rain INTENSITY=light\n"
                  "# initctl status example4\n"
                  "example4 start/running\n"
                  "# initctl emit weather KIND=sun\n"
                  "# initctl status example4\n"
                  "example4 stop/waiting\n");
  dbus_fixture_free (fx);
}

/* §4 (measured on Upstart): with a process, KIND=snow while running with KIND=rain stops the
 * job and starts it again with KIND=snow. */
static void
test_seed_4_restart_with_new_kind (void)
{
  const char *jobs[] = {
    "example4", "start on weather KIND=rain or weather KIND=snow\n"
    "stop on weather KIND!=$KIND\n"
    "script\n  echo $KIND >> @DIR@/kinds\n  exec sleep 1000\nend script\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *kinds = NULL;

  run_transcript (fx,
                  "# initctl emit weather KIND=rain\n"
                  "# initctl status example4\n"
                  "example4 start/running, process 1234\n"
                  "# initctl emit weather KIND=snow\n"
                  "# initctl status example4\n"
                  "example4 start/running, process 1234\n");
  g_assert_true (run_wait_status (fx, "example4", "example4 start/running, process N\n", WAIT_MS));
  for (guint i = 0; i < 200; i++)
    {
      g_free (kinds);
      kinds = fixture_file (fx, "kinds");
      if (g_strcmp0 (kinds, "rain\nsnow\n") == 0)
        break;
      test_util_spin (50);
    }
  g_assert_cmpstr (kinds, ==, "rain\nsnow\n");
  dbus_fixture_free (fx);
}

/* §5: positional arguments match the event's variables in order, whatever their names. */
static void
test_seed_5_positional (void)
{
  const char *jobs[] = {
    "heavy-rain", "start on weather rain heavy\n",
    "any-names", "start on storm rain heavy\n",
    "after-dbus", "start on started dbus\n",
    "dbus", "exec sleep 1000\n",
    "on-segv", "start on stopped EXIT_SIGNAL=SEGV\n",
    "crasher", "exec sh -c 'kill -SEGV $$'\n",
    "rc", "start on runlevel [0123456]\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  run_transcript (fx,
                  "# initctl emit weather KIND=rain INTENSITY=heavy\n"
                  "# initctl status heavy-rain\n"
                  "heavy-rain start/running\n"
                  "# initctl emit storm A=rain B=heavy\n"
                  "# initctl status any-names\n"
                  "any-names start/running\n"
                  "# initctl status after-dbus\n"
                  "after-dbus stop/waiting\n"
                  "# initctl start dbus\n"
                  "dbus start/running, process 1234\n"
                  "# initctl status after-dbus\n"
                  "after-dbus start/running\n"
                  "# initctl emit runlevel RUNLEVEL=S PREVLEVEL=N\n"
                  "# initctl status rc\n"
                  "rc stop/waiting\n"
                  "# initctl emit runlevel RUNLEVEL=2 PREVLEVEL=N\n"
                  "# initctl status rc\n"
                  "rc start/running\n"
                  "# initctl status on-segv\n"
                  "on-segv stop/waiting\n");
  /* The crash's timing is the kernel's: start without waiting, then watch. */
  g_assert_cmpint (run_initctl (fx, NULL, NULL, "start", "--no-wait", "crasher", NULL), ==, 0);
  g_assert_true (run_wait_status (fx, "on-segv", "on-segv start/running\n", WAIT_MS));
  dbus_fixture_free (fx);
}

/* §6: `emit' of a task's event returns only once the task has finished. */
static void
test_seed_6_emit_waits_for_task (void)
{
  const char *jobs[] = {
    "suspend", "start on suspend\n\ntask\nexec sh -c 'sleep 0.3; echo done > @DIR@/suspended'\n",
    "rc", "start on runlevel [0123456]\ntask\nscript\n  echo $RUNLEVEL > @DIR@/rc\nend script\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *suspended = NULL;
  g_autofree char *rc = NULL;

  run_transcript (fx,
                  "# initctl emit suspend\n"
                  "# initctl status suspend\n"
                  "suspend stop/waiting\n"
                  "# initctl emit runlevel RUNLEVEL=2\n");
  /* Read at once, without waiting: the emits returned only after the tasks finished. */
  suspended = fixture_file (fx, "suspended");
  rc = fixture_file (fx, "rc");
  g_assert_cmpstr (suspended, ==, "done\n");
  g_assert_cmpstr (rc, ==, "2\n");
  dbus_fixture_free (fx);
}

/* §6: a failing task makes the emit fail (non-zero, with the reason); --no-wait returns at
 * once; a service's event returns once it runs, and fails if it cannot be started. */
static void
test_seed_6_emit_failures_and_no_wait (void)
{
  const char *jobs[] = {
    "suspend", "start on suspend\ntask\nexec false\n",
    "slow", "start on slow\ntask\nexec sleep 1000\n",
    "up", "start on up\nexec sleep 1000\n",
    "broken", "start on broken\nexec /nonexistent/program\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_initctl (fx, &out, &err, "emit", "suspend", NULL), ==, 5);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "initctl: Event failed: suspend: job suspend: main process "
                   "terminated with status 1\n");
  g_clear_pointer (&err, g_free);

  /* --no-wait: the task is still running when emit has returned. */
  g_assert_cmpint (run_initctl (fx, NULL, NULL, "emit", "--no-wait", "slow", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_initctl (fx, &out, NULL, "status", "slow", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "slow start/"));

  run_transcript (fx,
                  "# initctl emit up\n"
                  "# initctl status up\n"
                  "up start/running, process 1234\n");

  g_assert_cmpint (run_initctl (fx, NULL, &err, "emit", "broken", NULL), ==, 5);
  g_assert_true (g_str_has_prefix (err, "initctl: Event failed: broken: job broken: "));
  g_assert_nonnull (strchr (err, '\n'));
  g_assert_cmpint (strchr (err, '\n')[1], ==, '\0');
  dbus_fixture_free (fx);
}

/* §7: `start on starting' runs before any job starts, and the job waits for it. */
static void
test_seed_7_starting_blocks (void)
{
  const char *jobs[] = {
    "blocker", "start on starting\ntask\n\nscript\n  sleep 0.3\n"
    "  [ \"$JOB\" = blocker ] || echo $JOB >> @DIR@/blocked\nend script\n",
    "svc", "exec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *blocked = NULL;

  run_transcript (fx,
                  "# initctl start svc\n"
                  "svc start/running, process 1234\n");
  blocked = fixture_file (fx, "blocked");
  g_assert_cmpstr (blocked, ==, "svc\n");
  dbus_fixture_free (fx);
}

/* §7: an `env' default is used unless the event (or the start) carries the variable. */
static void
test_seed_7_env_default (void)
{
  const char *jobs[] = {
    "mounted", "start on mounted\ntask\n\nenv MOUNTPOINT=/tmp\n"
    "script\n  echo $MOUNTPOINT >> @DIR@/mounts\nend script\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *mounts = NULL;

  run_transcript (fx,
                  "# initctl emit mounted MOUNTPOINT=/srv\n"
                  "# initctl emit mounted\n"
                  "# initctl start mounted\n"
                  "mounted stop/waiting\n"
                  "# initctl start mounted MOUNTPOINT=/home\n"
                  "mounted stop/waiting\n");
  mounts = fixture_file (fx, "mounts");
  g_assert_cmpstr (mounts, ==, "/srv\n/tmp\n/tmp\n/home\n");
  dbus_fixture_free (fx);
}

/* §8: exported variables reach the job events, and `starting' makes dependencies. */
static void
test_seed_8_exported_variables (void)
{
  const char *jobs[] = {
    "gdm", "env AM_A_DISPLAY_MANAGER=1\nexport AM_A_DISPLAY_MANAGER\nexec sleep 1000\n",
    "after-dm", "start on started AM_A_DISPLAY_MANAGER=1\n",
    "needy", "env NEED_PORTMAP=1\nexport NEED_PORTMAP\nexec sleep 1000\n",
    "portmap", "start on starting NEED_PORTMAP=1\nexec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  run_transcript (fx,
                  "# initctl start gdm\n"
                  "gdm start/running, process 1234\n");
  g_assert_true (run_wait_status (fx, "after-dm", "after-dm start/running\n", WAIT_MS));
  /* portmap runs before needy gets past `starting', so it is running when start returns. */
  run_transcript (fx,
                  "# initctl status portmap\n"
                  "portmap stop/waiting\n"
                  "# initctl start needy\n"
                  "needy start/running, process 1234\n"
                  "# initctl status portmap\n"
                  "portmap start/running, process 1234\n");
  dbus_fixture_free (fx);
}

typedef struct
{
  DBusFixture *fx;
  const char  *expected;
} ConfigWait;

static gboolean
config_is (gpointer user_data)
{
  ConfigWait *w = user_data;
  g_autofree char *out = NULL;

  run_initctl (w->fx, &out, NULL, "show-config", "edited", NULL);
  return g_strcmp0 (out, w->expected) == 0;
}

/* §9: saving a changed job file reloads that job, without a signal. */
static void
test_seed_9_edit_reloads (void)
{
  const char *jobs[] = { "edited", "start on one\n", NULL };
  DBusFixture *fx = run_fixture_new (jobs);
  ConfigWait w = { fx, "edited\n  start on two\n" };

  run_transcript (fx,
                  "# initctl show-config edited\n"
                  "edited\n"
                  "  start on one\n");
  run_write_job (fx, "edited", "start on two\n");
  g_assert_true (test_util_wait_until (config_is, &w, WAIT_MS));
  run_transcript (fx,
                  "# initctl emit two\n"
                  "# initctl status edited\n"
                  "edited start/running\n");
  dbus_fixture_free (fx);
}

void
test_initctl_seed_register (void)
{
  g_test_add_func ("/initctl/seed/1-starts-on-event", test_seed_1_starts_on_event);
  g_test_add_func ("/initctl/seed/2-event-environment", test_seed_2_event_environment);
  g_test_add_func ("/initctl/seed/3-matching", test_seed_3_matching);
  g_test_add_func ("/initctl/seed/4-or-and-own-environment", test_seed_4_or_and_own_environment);
  g_test_add_func ("/initctl/seed/4-restart-with-new-kind", test_seed_4_restart_with_new_kind);
  g_test_add_func ("/initctl/seed/5-positional", test_seed_5_positional);
  g_test_add_func ("/initctl/seed/6-emit-waits-for-task", test_seed_6_emit_waits_for_task);
  g_test_add_func ("/initctl/seed/6-emit-failures-and-no-wait",
                   test_seed_6_emit_failures_and_no_wait);
  g_test_add_func ("/initctl/seed/7-starting-blocks", test_seed_7_starting_blocks);
  g_test_add_func ("/initctl/seed/7-env-default", test_seed_7_env_default);
  g_test_add_func ("/initctl/seed/8-exported-variables", test_seed_8_exported_variables);
  g_test_add_func ("/initctl/seed/9-edit-reloads", test_seed_9_edit_reloads);
}
