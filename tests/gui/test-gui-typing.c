/* test-gui-typing.c — the real init-admin typed at like a person (XTEST, window manager)
 *
 * Each case starts initd with a few jobs, opens the real app and uses only the keyboard (and
 * where a person would, the mouse) through the X server.  What counts is what reached the
 * daemon and what the screen shows; a screenshot of each case is kept (xtest-driver.h).
 */
#define G_LOG_DOMAIN "init-admin-xtest"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "xtest-driver.h"

/* A job that writes its environment to <dir>/<name>.env, for the test to read.  */
static char *
env_job (DBusFixture *fx,
         const char  *name,
         const char  *stanzas)
{
  g_autofree char *file = g_strdup_printf ("%s.env", name);
  g_autofree char *path = dbus_fixture_path (fx, file);

  return g_strdup_printf ("%sconsole none\nexec sh -c 'env > \"%s.tmp\" && mv \"%s.tmp\" \"%s\"; exec sleep 1000'\n",
                          stanzas, path, path, path);
}

static char *
env_file (Xtest      *xt,
          const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.env", name);

  return dbus_fixture_path (xtest_get_fixture (xt), file);
}

/* ---- Emit Event ---- */

/* The jobs wait for weather (and for a similar name, so completion has a choice). */
static const char *const weather_jobs[] = {
  "umbrella", "start on weather KIND=rain\nconsole none\nexec sleep 1000\n",
  "windmill", "start on weathervane-turned\nconsole none\nexec sleep 1000\n",
  "sunshade", "start on weather KIND=sun\nconsole none\nexec sleep 1000\n",
  NULL,
};

/* Ctrl+E puts the focus in the event name, typing is kept exactly as typed (suggestions never
 * complete inline), and Enter emits it. */
static void
test_emit_typed_name (void)
{
  Xtest *xt = xtest_new ("emit-typed-name", weather_jobs);
  g_auto (GStrv) env = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *shot = NULL;

  xtest_key (xt, "ctrl+e");
  g_assert_true (xtest_wait_window (xt, "^Emit Event$"));
  xtest_type (xt, "weather");
  shot = xtest_screenshot (xt, "typed");
  xtest_key (xt, "Return");
  env = xtest_wait_event (xt, "weather");
  seen = xtest_events_seen (xt);
  g_assert_nonnull (env);
  /* Nothing else was emitted: no "weatherer", no "weathervane-turned". */
  g_assert_cmpstr (seen, ==, "weather");
  g_assert_cmpuint (g_strv_length (env), ==, 0);
  xtest_free (xt);
}

/* The suggestion list closes when the focus leaves the name. */
static void
test_emit_popup_closes (void)
{
  Xtest *xt = xtest_new ("emit-popup-closes", weather_jobs);
  g_autofree char *shot = NULL;

  xtest_key (xt, "ctrl+e");
  g_assert_true (xtest_wait_window (xt, "^Emit Event$"));
  g_assert_cmpuint (xtest_count_popups (xt), ==, 0);
  xtest_type (xt, "wea");
  shot = xtest_screenshot (xt, "suggesting");
  g_assert_cmpuint (xtest_count_popups (xt), ==, 1);
  xtest_key (xt, "Tab");
  xtest_pause (xt, 300);
  g_clear_pointer (&shot, g_free);
  shot = xtest_screenshot (xt, "tabbed");
  g_assert_cmpuint (xtest_count_popups (xt), ==, 0);
  xtest_free (xt);
}

/* Tab from the name to the variables, type one, Enter emits: the event carries it and the job
 * that waits for it gets it. */
static void
test_emit_enter_in_variables (void)
{
  DBusFixture *fx;
  Xtest *xt;
  g_autofree char *job = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) env = NULL;
  const char *jobs[] = { "umbrella", NULL, NULL };

  /* The env job needs the fixture's directory: write it once the fixture exists. */
  xt = xtest_new ("emit-enter-in-variables", NULL);
  fx = xtest_get_fixture (xt);
  job = env_job (fx, "umbrella", "start on weather KIND=rain\n");
  jobs[1] = job;
  dbus_fixture_write_job (fx, jobs[0], jobs[1]);
  xtest_pause (xt, 500);    /* the daemon and the app see the new job */

  xtest_key (xt, "ctrl+e");
  g_assert_true (xtest_wait_window (xt, "^Emit Event$"));
  xtest_type (xt, "weather");
  xtest_key (xt, "Tab");
  xtest_type (xt, "KIND=rain");
  xtest_key (xt, "Return");
  env = xtest_wait_event (xt, "weather");
  g_assert_nonnull (env);
  g_assert_cmpstrv (env, ((const char *const[]) { "KIND=rain", NULL }));
  path = env_file (xt, "umbrella");
  text = xtest_wait_file (path);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "\nKIND=rain\n"));
  xtest_free (xt);
}

/* ---- Start with Environment ---- */

/* The app with one job, tty (instance $TTY, writes its environment), selected, and
 * Ctrl+Shift+E pressed: the Start with Environment dialog is shown. */
static Xtest *
open_start_dialog (const char *prefix)
{
  Xtest *xt = xtest_new (prefix, NULL);
  g_autofree char *job = env_job (xtest_get_fixture (xt), "tty", "instance $TTY\n");

  dbus_fixture_write_job (xtest_get_fixture (xt), "tty", job);
  xtest_pause (xt, 800);    /* the only job: selected once the list fills */
  xtest_key (xt, "ctrl+shift+e");
  g_assert_true (xtest_wait_window (xt, "Start"));
  return xt;
}

/* The dialog's first field is the prefilled TTY=, with the cursor at its end: typing names
 * the instance, Enter starts it. */
static void
test_start_env_focus (void)
{
  Xtest *xt = open_start_dialog ("start-env-focus");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shot = NULL;

  xtest_type (xt, "tty1");
  shot = xtest_screenshot (xt, "typed");
  xtest_key (xt, "Return");
  path = env_file (xt, "tty");
  text = xtest_wait_file (path);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "\nTTY=tty1\n"));
  xtest_free (xt);
}

/* Enter with the instance variable left empty starts nothing and says why. */
static void
test_start_env_empty_refused (void)
{
  Xtest *xt = open_start_dialog ("start-env-empty-refused");
  DBusFixture *fx = xtest_get_fixture (xt);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  const char *initctl = g_getenv ("INITCTL");

  xtest_key (xt, "Return");
  xtest_pause (xt, 1000);
  /* The dialog stays (with its message) and nothing started. */
  g_assert_true (xtest_window_shown (xt, "Start"));
  path = env_file (xt, "tty");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  {
    const char *const argv[] = { initctl, "--session", "list", NULL };

    g_assert_cmpint (dbus_fixture_run (fx, argv, &out, NULL), ==, 0);
    g_assert_null (strstr (out, "start/"));
  }
  xtest_free (xt);
}

/* ---- the log ---- */

/* The last line a job logs: 60 full blocks, a solid bar some 480 pixels wide on screen. */
#define BAR "████████████████████████████████████████████████████████████"
#define BAR_SEEN 300

static const char *const chatty_jobs[] = {
  "chatty", "start on go\nconsole log\n"
  "exec sh -c 'i=1; while [ $i -le 80 ]; do echo \"chatty line $i\"; i=$((i+1)); done; "
  "echo " BAR "; exec sleep 1000'\n",
  NULL,
};

/* The first log shown shows its last lines, not an empty view scrolled past them. */
static void
test_log_first_shown (void)
{
  Xtest *xt = xtest_new ("log-first-shown", chatty_jobs);
  g_autofree char *shot = NULL;

  xtest_key (xt, "alt+2");
  xtest_pause (xt, 1000);
  shot = xtest_screenshot (xt, "log");
  /* Follow is on: the last line, the bar, is in view. */
  g_assert_cmpuint (xtest_longest_dark_run (xt), >=, BAR_SEEN);
  xtest_free (xt);
}

/* ---- the keyboard around the job list ---- */

/* job01 … job30, stopped, started only by hand. */
static Xtest *
xtest_with_thirty_jobs (const char *prefix)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_free);
  Xtest *xt;

  for (guint i = 1; i <= 30; i++)
    {
      g_ptr_array_add (jobs, g_strdup_printf ("job%02u", i));
      g_ptr_array_add (jobs, g_strdup ("console none\nexec sleep 1000\n"));
    }
  g_ptr_array_add (jobs, NULL);
  xt = xtest_new (prefix, (const char *const *) jobs->pdata);
  return xt;
}

/* The job's goal/state as initctl says it ("start/running"), waiting up to 10 s for
 * @want. */
static gboolean
wait_job_state (Xtest      *xt,
                const char *job,
                const char *want)
{
  const char *const argv[] = { g_getenv ("INITCTL"), "--session", "status", job, NULL };

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *out = NULL;

      dbus_fixture_run (xtest_get_fixture (xt), argv, &out, NULL);
      if (out != NULL && strstr (out, want) != NULL)
        return TRUE;
      xtest_pause (xt, 200);
    }
  return FALSE;
}

/* Ctrl+F, @text typed, Enter: the first job found is selected and focused in the list. */
static void
search_and_enter (Xtest      *xt,
                  const char *text)
{
  xtest_key (xt, "ctrl+f");
  xtest_type (xt, text);
  xtest_key (xt, "Return");
}

/* Enter in the search selects the first job found: Ctrl+Shift+S then starts that one. */
static void
test_keyboard_enter_in_search (void)
{
  Xtest *xt = xtest_with_thirty_jobs ("keyboard-enter-in-search");
  g_autofree char *shot = NULL;

  search_and_enter (xt, "job17");
  shot = xtest_screenshot (xt, "found");
  xtest_key (xt, "ctrl+shift+s");
  g_assert_true (wait_job_state (xt, "job17", "start/running"));
  g_assert_true (wait_job_state (xt, "job01", "stop/waiting"));
  xtest_free (xt);
}

/* In the list, one Tab leaves it (not one per row) for the selected job's first action:
 * Space there starts the job the arrow keys moved to. */
static void
test_keyboard_tab_leaves_list (void)
{
  Xtest *xt = xtest_with_thirty_jobs ("keyboard-tab-leaves-list");
  g_autofree char *shot = NULL;

  search_and_enter (xt, "job1");    /* job10, focused in the list */
  xtest_key (xt, "Down");
  xtest_key (xt, "Down");           /* job12 */
  xtest_key (xt, "Tab");
  shot = xtest_screenshot (xt, "tabbed");
  xtest_key (xt, "space");
  g_assert_true (wait_job_state (xt, "job12", "start/running"));
  g_assert_true (wait_job_state (xt, "job13", "stop/waiting"));
  xtest_free (xt);
}

/* Enter on a row opens the job: the focus is on its actions, Space starts it. */
static void
test_keyboard_enter_on_row (void)
{
  Xtest *xt = xtest_with_thirty_jobs ("keyboard-enter-on-row");
  g_autofree char *shot = NULL;

  search_and_enter (xt, "job2");    /* job20, focused in the list */
  xtest_key (xt, "Down");           /* job21 */
  xtest_key (xt, "Return");
  shot = xtest_screenshot (xt, "opened");
  xtest_key (xt, "space");
  g_assert_true (wait_job_state (xt, "job21", "start/running"));
  xtest_free (xt);
}

/* ---- a narrow window ---- */

/* Narrowed to 600 px, the window is 600 px wide (it would not go below 831 px), shows the
 * list alone; Enter opens the job alone (Space starts it there), Alt+Left goes back. */
static void
test_layout_narrow (void)
{
  Xtest *xt = xtest_with_thirty_jobs ("layout-narrow");
  g_autofree char *shot = NULL;

  xtest_resize (xt, 600, 600);
  g_assert_cmpuint (xtest_window_width (xt), <=, 600);
  search_and_enter (xt, "job2");    /* job20, focused in the list */
  shot = xtest_screenshot (xt, "list");
  xtest_key (xt, "Return");
  g_clear_pointer (&shot, g_free);
  shot = xtest_screenshot (xt, "job");
  xtest_key (xt, "space");
  g_assert_true (wait_job_state (xt, "job20", "start/running"));
  xtest_key (xt, "alt+Left");
  g_clear_pointer (&shot, g_free);
  shot = xtest_screenshot (xt, "back");
  xtest_key (xt, "Down");           /* back in the list, on job20: job21 */
  xtest_key (xt, "Return");
  xtest_key (xt, "space");
  g_assert_true (wait_job_state (xt, "job21", "start/running"));
  xtest_free (xt);
}

/* ---- the daemon goes away and comes back ---- */

/* The job selected before the daemon went away is selected again once it is back: the
 * start shortcut typed then starts that job. */
static void
test_daemon_back_selection (void)
{
  Xtest *xt = xtest_with_thirty_jobs ("daemon-back-selection");
  DBusFixture *fx = xtest_get_fixture (xt);
  const char *const args[] = { "--startup-event", "go", NULL };
  g_autofree char *shot = NULL;

  search_and_enter (xt, "job17");
  xtest_key (xt, "Escape");         /* the search closes: all jobs, job17 selected */
  dbus_fixture_stop_initd (fx);
  xtest_pause (xt, 1500);
  shot = xtest_screenshot (xt, "lost");
  dbus_fixture_start_initd (fx, args, NULL);
  xtest_pause (xt, 2500);           /* the app sees the daemon and reloads by itself */
  g_clear_pointer (&shot, g_free);
  shot = xtest_screenshot (xt, "back");
  xtest_key (xt, "ctrl+shift+s");
  g_assert_true (wait_job_state (xt, "job17", "start/running"));
  g_assert_true (wait_job_state (xt, "job01", "stop/waiting"));
  xtest_free (xt);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xtest/emit/typed-name-kept", test_emit_typed_name);
  g_test_add_func ("/xtest/emit/popup-closes-on-tab", test_emit_popup_closes);
  g_test_add_func ("/xtest/emit/enter-in-variables", test_emit_enter_in_variables);
  g_test_add_func ("/xtest/start-env/focus-and-enter", test_start_env_focus);
  g_test_add_func ("/xtest/start-env/empty-instance-refused", test_start_env_empty_refused);
  g_test_add_func ("/xtest/log/first-shown", test_log_first_shown);
  g_test_add_func ("/xtest/keyboard/enter-in-search", test_keyboard_enter_in_search);
  g_test_add_func ("/xtest/keyboard/tab-leaves-list", test_keyboard_tab_leaves_list);
  g_test_add_func ("/xtest/keyboard/enter-on-row", test_keyboard_enter_on_row);
  g_test_add_func ("/xtest/layout/narrow", test_layout_narrow);
  g_test_add_func ("/xtest/daemon/back-selection", test_daemon_back_selection);
  return g_test_run ();
}
