/* test-initctl-upstart.c — real Upstart job files run unchanged
 *
 * Part of test-initctl (see test-initctl.c).  Each case uses a job file written the way the
 * real one is (walinuxagent.conf, Ubuntu's wait-for-state.conf and nova-compute.conf,
 * lightdm.conf) and checks what Upstart did with it.
 */
#include <string.h>

#include "initctl-run.h"
#include "test-util.h"

#define WAIT_MS 10000

/* walinuxagent.conf's pre-start ends with `stop ; exit 0' when the agent is disabled: job
 * scripts find start, stop, status… on their PATH (the daemon's command directory, first),
 * with nothing installed system-wide, and the job stops instead of failing with
 * `stop: not found'.  `status' of another job prints Upstart's status line. */
static void
test_commands_on_path (void)
{
  const char *jobs[] = {
    "walinuxagent", "description \"Microsoft Azure Linux agent\"\n"
    "start on runlevel [2345]\n"
    "stop on runlevel [!2345]\n"
    "pre-start script\n"
    "    [ -r @DIR@/default ] && . @DIR@/default\n"
    "    status other > @DIR@/other-status\n"
    "    for c in start stop restart reload status initctl; do\n"
    "        command -v $c >> @DIR@/found\n"
    "    done\n"
    "    if [ \"$WALINUXAGENT_ENABLED\" != \"1\" ]; then\n"
    "        stop ; exit 0\n"
    "    fi\n"
    "end script\n"
    "exec sleep 1000\n",
    "other", "exec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *found_path = dbus_fixture_path (fx, "found");
  g_autofree char *status_path = dbus_fixture_path (fx, "other-status");
  g_autofree char *log_path = g_build_filename (fx->logdir, "walinuxagent.log", NULL);
  g_autofree char *found = NULL, *status = NULL, *log = NULL, *expected = NULL;
  const char *dir = g_getenv ("INIT_COMMAND_DIR");

  assert_initctl (fx, 0, NULL, "", "emit", "runlevel", "RUNLEVEL=2");
  g_assert_true (run_wait_status (fx, "walinuxagent", "walinuxagent stop/waiting\n", WAIT_MS));
  found = test_util_read_file (found_path);
  expected = g_strdup_printf ("%s/start\n%s/stop\n%s/restart\n%s/reload\n%s/status\n"
                              "%s/initctl\n", dir, dir, dir, dir, dir, dir);
  g_assert_cmpstr (found, ==, expected);
  status = test_util_read_file (status_path);
  g_assert_cmpstr (status, ==, "other stop/waiting\n");
  /* nothing went wrong on the way: the pre-start wrote nothing to its log */
  log = test_util_read_file (log_path);
  g_assert_true (log == NULL || strstr (log, "not found") == NULL);
  dbus_fixture_free (fx);
}

/* Ubuntu's wait-for-state stops itself from its pre-start when the state already holds; its
 * `start' is then overtaken by a stop.  Upstart's `start' printed the status line and exited
 * 0, and nova-compute.conf depends on it: its pre-start (under `sh -e') runs
 * `start wait-for-state …' unguarded. */
static void
test_start_overtaken (void)
{
  const char *jobs[] = {
    "wait-for-state", "task\n"
    "normal exit 2\n"
    "instance $WAITER$WAIT_FOR$WAIT_STATE\n"
    "pre-start script\n"
    "  status ${WAIT_FOR} | grep -q \"${WAIT_STATE}\" && stop && exit 0\n"
    "  exit 0\n"
    "end script\n"
    "exec sleep 1000\n",
    "libvirt-bin", "exec sleep 1000\n",
    "nova-compute", "start on stopped rc RUNLEVEL=[2345]\n"
    "pre-start script\n"
    "  start wait-for-state WAIT_FOR=libvirt-bin WAIT_STATE=running "
    "WAITER=nova-compute > @DIR@/waited\n"
    "end script\n"
    "exec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);
  g_autofree char *waited_path = dbus_fixture_path (fx, "waited");
  g_autofree char *waited = NULL;

  assert_initctl (fx, 0, "libvirt-bin start/running, process N\n", "", "start", "libvirt-bin");
  /* directly: the status line, exit 0; the instance is gone by then, so (as Upstart's
   * status of a vanished instance) it names the job only */
  assert_initctl (fx, 0, "wait-for-state stop/waiting\n", "",
                  "start", "wait-for-state", "WAIT_FOR=libvirt-bin", "WAIT_STATE=running",
                  "WAITER=x");
  /* from the real job's pre-start, under sh -e */
  assert_initctl (fx, 0, "nova-compute start/running, process N\n", "", "start", "nova-compute");
  waited = test_util_read_file (waited_path);
  g_assert_cmpstr (waited, ==, "wait-for-state stop/waiting\n");
  /* a start that fails is still a failure */
  run_write_job (fx, "broken", "task\nexec false\n");
  assert_initctl (fx, 0, NULL, "", "reload-configuration");
  assert_initctl (fx, 5, "", "initctl: Job failed to start: broken: main process terminated "
                  "with status 1\n", "start", "broken");
  dbus_fixture_free (fx);
}

/* Error messages begin with Upstart's exact text; the detail follows after ": ". */
static void
test_error_texts (void)
{
  const char *jobs[] = {
    "suspend", "start on suspend\ntask\nexec false\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  assert_initctl (fx, 5, "", "initctl: Event failed: suspend: job suspend: main process "
                  "terminated with status 1\n", "emit", "suspend");
  assert_initctl (fx, 2, "", "initctl: Unknown job: nope\n", "start", "nope");
  dbus_fixture_free (fx);
}

/* check-config reports the first sub-expression that cannot be satisfied even when another
 * branch can, as Upstart's does (lightdm.conf: with `runlevel' known, the `or' can be
 * satisfied, but its other branch cannot); its unknown events and jobs come in Upstart's
 * order (right-hand operands first). */
static void
test_check_config_first_unsatisfied (void)
{
  const char *jobs[] = {
    "lightdm", "description \"LightDM Display Manager\"\n"
    "start on ((filesystem\n"
    "           and runlevel [!06]\n"
    "           and started dbus\n"
    "           and plymouth-ready)\n"
    "          or runlevel PREVLEVEL=S)\n"
    "stop on runlevel [016]\n"
    "emits login-session-start\n"
    "emits desktop-session-start\n"
    "emits desktop-shutdown\n"
    "exec sleep 1000\n",
    NULL
  };
  DBusFixture *fx = run_fixture_new (jobs);

  assert_initctl (fx, 1, "lightdm\n"
                  "  start on: unknown event plymouth-ready\n"
                  "  start on: unknown job dbus\n"
                  "  start on: unknown event filesystem\n", "",
                  "check-config", "--ignore-events=runlevel");
  /* a leaf under a satisfiable `or' alone is not reported (only operators are examined) */
  run_write_job (fx, "lightdm", "start on runlevel PREVLEVEL=S or plymouth-ready\n");
  assert_initctl (fx, 0, NULL, "", "reload-configuration");
  assert_initctl (fx, 0, "", "", "check-config", "--ignore-events=runlevel");
  /* a leaf that is the whole condition is */
  run_write_job (fx, "lightdm", "start on started dbus\n");
  assert_initctl (fx, 0, NULL, "", "reload-configuration");
  assert_initctl (fx, 1, "lightdm\n  start on: unknown job dbus\n", "", "check-config");
  dbus_fixture_free (fx);
}

void
test_initctl_upstart_register (void)
{
  g_test_add_func ("/initctl/upstart/commands-on-path", test_commands_on_path);
  g_test_add_func ("/initctl/upstart/start-overtaken", test_start_overtaken);
  g_test_add_func ("/initctl/upstart/error-texts", test_error_texts);
  g_test_add_func ("/initctl/upstart/check-config-first-unsatisfied",
                   test_check_config_first_unsatisfied);
}
