/* test-gui-state-cell.c — a job's state at a glance: word, icon, style class and goal/state
 *
 * The real cell on the private display (run-with-display.sh); no daemon.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include "gui-test-util.h"
#include "init-admin-state-cell.h"

/* The cell's children: the icon, the word, the goal/state. */
static GtkWidget *
part (GtkWidget *cell,
      guint      index)
{
  GtkWidget *child = gtk_widget_get_first_child (cell);

  for (guint i = 0; i < index && child != NULL; i++)
    child = gtk_widget_get_next_sibling (child);
  g_assert_nonnull (child);
  return child;
}

/* How many "status-…" classes the cell has. */
static guint
status_classes (GtkWidget *cell)
{
  g_auto (GStrv) classes = gtk_widget_get_css_classes (cell);
  guint n = 0;

  for (gsize i = 0; classes[i] != NULL; i++)
    n += g_str_has_prefix (classes[i], "status-");
  return n;
}

/* Every status shows its word, its icon and its one style class, whatever came before. */
static void
test_each_status (void)
{
  GtkWidget *cell = g_object_ref_sink (init_admin_state_cell_new ());

  for (InitAdminStatus s = INIT_ADMIN_STATUS_FAILED; s <= INIT_ADMIN_STATUS_STOPPED; s++)
    {
      g_autofree char *icon = NULL;

      init_admin_state_cell_set (INIT_ADMIN_STATE_CELL (cell), s, "start/running");
      g_object_get (part (cell, 0), "icon-name", &icon, NULL);
      g_assert_cmpstr (init_admin_state_cell_get_text (INIT_ADMIN_STATE_CELL (cell)), ==,
                       init_admin_status_label (s));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (part (cell, 1))), ==, init_admin_status_label (s));
      g_assert_cmpstr (icon, ==, init_admin_status_icon_name (s));
      g_assert_true (gtk_widget_has_css_class (cell, init_admin_status_css_class (s)));
      g_assert_cmpuint (status_classes (cell), ==, 1);
    }
  g_object_unref (cell);
}

/* The goal/state shows after the word, and is hidden when there is none. */
static void
test_goal_state (void)
{
  GtkWidget *cell = g_object_ref_sink (init_admin_state_cell_new ());
  GtkWidget *detail = part (cell, 2);

  init_admin_state_cell_set (INIT_ADMIN_STATE_CELL (cell), INIT_ADMIN_STATUS_STARTING, "start/pre-start");
  g_assert_true (gtk_widget_get_visible (detail));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (detail)), ==, "start/pre-start");
  /* The same status with another goal/state only changes the detail. */
  init_admin_state_cell_set (INIT_ADMIN_STATE_CELL (cell), INIT_ADMIN_STATUS_STARTING, "start/spawned");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (detail)), ==, "start/spawned");
  g_assert_true (gtk_widget_has_css_class (cell, "status-starting"));
  init_admin_state_cell_set (INIT_ADMIN_STATE_CELL (cell), INIT_ADMIN_STATUS_STOPPED, NULL);
  g_assert_false (gtk_widget_get_visible (detail));
  g_assert_false (gtk_widget_has_css_class (cell, "status-starting"));
  g_object_unref (cell);
}

/* A new cell shows nothing until it is set (no status class yet). */
static void
test_unset (void)
{
  GtkWidget *cell = g_object_ref_sink (init_admin_state_cell_new ());

  g_assert_cmpuint (status_classes (cell), ==, 0);
  g_assert_cmpstr (init_admin_state_cell_get_text (INIT_ADMIN_STATE_CELL (cell)), ==, "");
  g_object_unref (cell);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/state-cell/each-status", test_each_status);
  g_test_add_func ("/gui/state-cell/goal-state", test_goal_state);
  g_test_add_func ("/gui/state-cell/unset", test_unset);
  return g_test_run ();
}
