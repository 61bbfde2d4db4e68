/* test-gui-details.c — the selected job's pane: its definition in words, its failure, its
 * instances and which actions it offers
 *
 * The real widget on the private display (run-with-display.sh) over the real models and
 * client, which follow the stand-in daemon of gui-fake-daemon.c (no initd): each case sets
 * the job's properties there and reads what the pane shows.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <adwaita.h>
#include <string.h>

#include "gui-fake-daemon.h"
#include "gui-test-util.h"
#include "init-admin-details.h"
#include "test-util.h"

typedef struct
{
  FakeDaemon         *fd;
  GDBusObjectManager *om;
  InitAdminJobModel  *model;
  InitAdminHistory   *history;
  InitAdminClient    *client;
  InitAdminDetails   *details;
  GtkWindow          *window;
} Fixture;

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  fx->fd = fake_daemon_new ();
  fx->model = init_admin_job_model_new ();
  fx->history = init_admin_history_new ();
  fx->details = g_object_ref_sink (g_object_new (INIT_ADMIN_TYPE_DETAILS, NULL));
  init_admin_details_set_context (fx->details, fx->model, fx->history);
  /* In a window, as in the app: the buttons follow the actions of a widget on screen. */
  fx->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (fx->window, GTK_WIDGET (fx->details));
  gtk_window_present (fx->window);
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  init_admin_details_set_row (fx->details, NULL);
  gtk_window_destroy (fx->window);
  g_clear_object (&fx->details);
  g_clear_object (&fx->client);
  g_clear_object (&fx->model);
  g_clear_object (&fx->history);
  g_clear_object (&fx->om);
  fake_daemon_free (fx->fd);
}

/* Follow the stand-in and show @job (@instance: NULL for its first row). */
static InitAdminJobRow *
show (Fixture    *fx,
      const char *job,
      const char *instance)
{
  InitAdminJobRow *row;

  if (fx->om == NULL)
    {
      fx->om = fake_daemon_object_manager (fx->fd);
      init_admin_job_model_set_object_manager (fx->model, fx->om);
    }
  fake_daemon_sync (fx->fd);
  row = init_admin_job_model_find_row (fx->model, job, instance);
  g_assert_nonnull (row);
  init_admin_details_set_row (fx->details, row);
  return row;
}

/* The definition grid as "Key: value" lines. */
static char *
facts (Fixture *fx)
{
  GtkGrid *grid = GTK_GRID (gui_test_child (fx->details, INIT_ADMIN_TYPE_DETAILS, "definition_grid"));
  g_autoptr(GString) out = g_string_new (NULL);

  for (int line = 0; gtk_grid_get_child_at (grid, 0, line) != NULL; line++)
    g_string_append_printf (out, "%s: %s\n",
                            gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 0, line))),
                            gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 1, line))));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
label_text (Fixture    *fx,
            const char *id)
{
  return gtk_label_get_text (GTK_LABEL (gui_test_child (fx->details, INIT_ADMIN_TYPE_DETAILS, id)));
}

/* A service with every fact set: each in words, in the pane's order. */
static void
test_definition_service (Fixture      *fx,
                         gconstpointer data)
{
  InitDBusJob *job = fake_daemon_add_job (fx->fd, "web");
  const char *const processes[] = { "pre-start", "main", NULL };
  const char *const emits[] = { "web-up", "web-down", NULL };
  g_autofree char *text = NULL;

  init_dbus_job_set_description (job, "The HTTP server");
  init_dbus_job_set_start_on_tree (job, g_variant_new_parsed ("[['net-up', 'IFACE=eth0']]"));
  init_dbus_job_set_start_on (job, "net-up IFACE=eth0");
  init_dbus_job_set_respawn (job, TRUE);
  init_dbus_job_set_respawn_limit (job, g_variant_new ("(uu)", 10, 5));
  init_dbus_job_set_console (job, "log");
  init_dbus_job_set_defined_processes (job, processes);
  init_dbus_job_set_kill_timeout (job, 1);
  init_dbus_job_set_emits (job, emits);
  init_dbus_job_set_author (job, "Ada");
  init_dbus_job_set_config_file (job, "/etc/init/web.conf");
  show (fx, "web", NULL);

  text = facts (fx);
  g_assert_cmpstr (text, ==,
                   "Starts: event “net-up” where IFACE is “eth0”\n"
                   "Stops: When stopped by hand, or when it ends by itself\n"
                   "Kind: Service: runs until stopped\n"
                   "Respawn: Yes, at most 10 times in 5 seconds\n"
                   "Instances: A single instance\n"
                   "Output: log\n"
                   "Processes: pre-start, main\n"
                   "Kill timeout: 1 second\n"
                   "Emits: web-up, web-down\n"
                   "Author: Ada\n"
                   "Configuration: /etc/init/web.conf\n");
  g_assert_cmpstr (label_text (fx, "title_label"), ==, "web");
  g_assert_cmpstr (label_text (fx, "description_label"), ==, "The HTTP server");
}

/* A task started by hand, one instance per $TTY, whose file is gone: said so; no
 * description reads "No description."; empty facts are left out. */
static void
test_definition_task (Fixture      *fx,
                      gconstpointer data)
{
  InitDBusJob *job = fake_daemon_add_job (fx->fd, "tty");
  g_autofree char *text = NULL;

  init_dbus_job_set_task (job, TRUE);
  init_dbus_job_set_instance_pattern (job, "$TTY");
  init_dbus_job_set_kill_timeout (job, 5);
  init_dbus_job_set_deleted (job, TRUE);
  show (fx, "tty", NULL);

  text = facts (fx);
  g_assert_cmpstr (text, ==,
                   "Starts: Only when started by hand\n"
                   "Stops: When stopped by hand, or when it ends by itself\n"
                   "Kind: Task: done when its process finishes\n"
                   "Respawn: No\n"
                   "Instances: One per value of $TTY\n"
                   "Kill timeout: 5 seconds\n"
                   "Note: Its file is gone: the job goes away when its last instance stops.\n");
  g_assert_cmpstr (label_text (fx, "description_label"), ==, "No description.");
}

static void
fail (InitDBusInstance *instance)
{
  init_dbus_instance_set_goal (instance, "stop");
  init_dbus_instance_set_state (instance, "stopping");
  init_dbus_instance_set_failed (instance, TRUE);
  init_dbus_instance_set_failed_process (instance, "main");
  init_dbus_instance_set_exit_status (instance, 3);
  init_dbus_instance_set_failed_at (instance, 0);
}

/* A failing instance: "Failed: …" now; a later good run: "Last failure: …"; never failed:
 * no failure line. */
static void
test_failure_line (Fixture      *fx,
                   gconstpointer data)
{
  g_autofree char *path = fake_daemon_instance_path ("task", "");
  InitDBusInstance *instance;

  fake_daemon_add_job (fx->fd, "task");
  show (fx, "task", NULL);
  g_assert_null (init_admin_details_get_failure_text (fx->details));

  instance = fake_daemon_add_instance (fx->fd, "task", "", "start", "running");
  fake_daemon_sync (fx->fd);
  fail (instance);
  fake_daemon_sync (fx->fd);
  g_assert_cmpstr (init_admin_details_get_failure_text (fx->details), ==,
                   "Failed: The main process exited with status 3 (at ?).");

  fake_daemon_remove (fx->fd, path);
  fake_daemon_add_instance (fx->fd, "task", "", "start", "running");
  fake_daemon_sync (fx->fd);
  g_assert_cmpstr (init_admin_details_get_failure_text (fx->details), ==,
                   "Last failure: The main process exited with status 3 (at ?).");
}

/* The instances page: "No instance" without one, "The only instance" for a single-instance
 * job, the names otherwise, with their processes. */
static void
test_instances (Fixture      *fx,
                gconstpointer data)
{
  GtkWidget *list = gui_test_child (fx->details, INIT_ADMIN_TYPE_DETAILS, "instances_list");
  InitDBusInstance *one;

  fake_daemon_add_job (fx->fd, "idle");
  fake_daemon_add_job (fx->fd, "cron");
  one = fake_daemon_add_instance (fx->fd, "cron", "", "start", "running");
  init_dbus_instance_set_processes (one, g_variant_new_parsed ("[('main', 42)]"));
  fake_daemon_add_job (fx->fd, "tty");
  fake_daemon_add_instance (fx->fd, "tty", "tty1", "start", "running");
  fake_daemon_add_instance (fx->fd, "tty", "tty2", "start", "running");

  show (fx, "idle", NULL);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0))),
                   ==, "No instance");
  show (fx, "cron", NULL);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0))),
                   ==, "The only instance");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0))),
                   ==, "Processes: main 42");
  g_assert_cmpstr (label_text (fx, "processes_label"), ==, "main 42");
  show (fx, "tty", "tty2");
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 2));
  g_assert_cmpstr (label_text (fx, "title_label"), ==, "tty (tty2)");
}

static gboolean
client_connected (gpointer user_data)
{
  return init_admin_client_get_state (user_data) == INIT_ADMIN_CLIENT_CONNECTED;
}

/* "start,stop,restart" for the buttons that can be pressed now. */
static char *
enabled_actions (Fixture *fx)
{
  static const char *const ids[] = { "start_button", "stop_button", "restart_button" };
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      GtkWidget *button = gui_test_child (fx->details, INIT_ADMIN_TYPE_DETAILS, ids[i]);

      /* A split button is enabled through its own button, its first child. */
      if (ADW_IS_SPLIT_BUTTON (button))
        button = gtk_widget_get_first_child (button);
      if (gtk_widget_get_sensitive (button))
        g_string_append_printf (out, "%s%.*s", out->len > 0 ? "," : "",
                                (int) (strchr (ids[i], '_') - ids[i]), ids[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Without a daemon nothing can be pressed; a stopped job can be started, a running one
 * stopped or restarted, one on its way down started again; a job with instances can
 * always start another. */
static void
test_actions (Fixture      *fx,
              gconstpointer data)
{
  InitDBusInstance *instance;

  fake_daemon_add_job (fx->fd, "web");
  init_dbus_job_set_instance_pattern (fake_daemon_add_job (fx->fd, "tty"), "$TTY");
  fake_daemon_add_instance (fx->fd, "tty", "tty1", "start", "running");
  show (fx, "web", NULL);
  gui_assert_text (enabled_actions (fx), "");

  fx->client = init_admin_client_new (INIT_ADMIN_BUS_SESSION, fx->fd->bus->address);
  g_assert_true (test_util_wait_until (client_connected, fx->client, 30000));
  init_admin_details_set_client (fx->details, fx->client);
  gui_assert_text (enabled_actions (fx), "start");

  instance = fake_daemon_add_instance (fx->fd, "web", "", "start", "running");
  fake_daemon_sync (fx->fd);
  gui_assert_text (enabled_actions (fx), "stop,restart");
  init_dbus_instance_set_goal (instance, "stop");
  init_dbus_instance_set_state (instance, "stopping");
  fake_daemon_sync (fx->fd);
  gui_assert_text (enabled_actions (fx), "start");

  show (fx, "tty", "tty1");
  gui_assert_text (enabled_actions (fx), "start,stop,restart");
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/gui/details/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("definition-service", test_definition_service);
  ADD ("definition-task", test_definition_task);
  ADD ("failure-line", test_failure_line);
  ADD ("instances", test_instances);
  ADD ("actions", test_actions);
#undef ADD
  return g_test_run ();
}
