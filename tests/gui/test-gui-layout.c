/* test-gui-layout.c — the window on small screens: default size, minimum width, list and job
 * as pages when narrow
 *
 * The app's widgets in-process against the real initd (gui-test-util.h).  The same typed at
 * the real app in a window a person narrows is /xtest/layout/narrow (test-gui-typing.c).
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <adwaita.h>

#include "gui-test-util.h"

/* What fits on a 1366×768 laptop screen under a top bar (~32 px) and a title bar. */
#define SCREEN_WIDTH 1366
#define USABLE_HEIGHT 700
/* Narrower than this and the window could not sit beside another on such a screen (it was
 * 831 px, 847 px in German). */
#define MAX_MIN_WIDTH 540

static gboolean
folded_is (gpointer user_data)
{
  gpointer *args = user_data;

  return adw_leaflet_get_folded (args[0]) == GPOINTER_TO_INT (args[1]);
}

static void
test_small_screens (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  InitAdminWindow *window;
  AdwLeaflet *leaflet;
  int width, height, min_width;
  gpointer folded[2], unfolded[2];
  g_autofree char *shot = NULL;

  dbus_fixture_write_job (fx, "heartbeat", "description \"A job with a long name\"\nconsole none\nexec sleep 1000\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  window = gui_test_window_new (fx);
  leaflet = ADW_LEAFLET (gui_test_child (window, INIT_ADMIN_TYPE_WINDOW, "jobs_leaflet"));
  folded[0] = unfolded[0] = leaflet;
  folded[1] = GINT_TO_POINTER (TRUE);
  unfolded[1] = GINT_TO_POINTER (FALSE);

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, <=, SCREEN_WIDTH);
  g_assert_cmpint (height, <=, USABLE_HEIGHT);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_test_message ("minimum width %d", min_width);
  g_assert_cmpint (min_width, <=, MAX_MIN_WIDTH);
  g_assert_true (gui_test_wait (folded_is, unfolded, 5000));

  /* Narrow: the list alone; opening the job shows it alone, with the way back. */
  gtk_window_set_default_size (GTK_WINDOW (window), MAX_MIN_WIDTH, USABLE_HEIGHT);
  g_assert_true (gui_test_wait (folded_is, folded, 5000));
  gui_test_select_job (window, "heartbeat", NULL);
  g_assert_true (adw_leaflet_get_visible_child (leaflet)
                 == GTK_WIDGET (init_admin_window_get_job_list (window)));
  g_signal_emit_by_name (init_admin_window_get_job_list (window), "row-activated");
  gui_test_settle (GTK_WIDGET (window));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == GTK_WIDGET (init_admin_window_get_details (window)));
  g_assert_true (gtk_widget_get_visible (gui_test_child (window, INIT_ADMIN_TYPE_WINDOW, "back_button")));
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-layout-narrow-job", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  gui_test_settle (GTK_WIDGET (window));
  g_assert_true (adw_leaflet_get_visible_child (leaflet)
                 == GTK_WIDGET (init_admin_window_get_job_list (window)));
  g_assert_false (gtk_widget_get_visible (gui_test_child (window, INIT_ADMIN_TYPE_WINDOW, "back_button")));

  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* Whether @cell lies wholly inside the visible part of @view (the scrolled window). */
static gboolean
cell_on_screen (GtkWidget *cell,
                GtkWidget *view)
{
  graphene_rect_t bounds;

  if (cell == NULL || !gtk_widget_compute_bounds (cell, view, &bounds))
    return FALSE;
  g_test_message ("cell %s: x %.0f width %.0f in %d", G_OBJECT_TYPE_NAME (cell),
                  bounds.origin.x, bounds.size.width, gtk_widget_get_width (view));
  return bounds.origin.x >= 0 && bounds.size.width > 0
         && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (view) + 0.5;
}

/* Side by side in the default window, every column of the job list is on screen: the main
* PID and the description were beyond the list's right edge (a horizontal scroll away). */
static void
test_wide_columns (void)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  InitAdminWindow *window;
  InitAdminJobList *list;
  InitAdminJobRow *row;
  GtkWidget *view;
  gpointer unfolded[2];
  g_autofree char *shot = NULL;

  dbus_fixture_write_job (fx, "heartbeat", "description \"Beats once a second\"\nconsole none\nexec sleep 1000\n");
  dbus_fixture_write_job (fx, "worker", "description \"Works\"\nconsole none\nexec sleep 1000\n");
  dbus_fixture_start_initd (fx, NULL, NULL);
  window = gui_test_window_new (fx);
  unfolded[0] = gui_test_child (window, INIT_ADMIN_TYPE_WINDOW, "jobs_leaflet");
  unfolded[1] = GINT_TO_POINTER (FALSE);
  g_assert_true (gui_test_wait (folded_is, unfolded, 5000));
  list = init_admin_window_get_job_list (window);
  view = gtk_widget_get_ancestor (GTK_WIDGET (gui_test_child (list, INIT_ADMIN_TYPE_JOB_LIST, "column_view")),
                                  GTK_TYPE_SCROLLED_WINDOW);
  row = gui_test_select_job (window, "heartbeat", NULL);
  gui_test_settle (GTK_WIDGET (window));
  shot = gui_test_screenshot (GTK_WIDGET (window), "gui-layout-wide-columns", NULL);
  for (guint column = 0; column < 4; column++)
    g_assert_true (cell_on_screen (init_admin_job_list_get_cell (list, row, column), view));

  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/layout/small-screens", test_small_screens);
  g_test_add_func ("/gui/layout/wide-columns", test_wide_columns);
  return g_test_run ();
}
