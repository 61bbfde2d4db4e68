/* test-gui-keyboard.c — the keyboard: Tab order, shortcuts and the shortcuts window
 *
 * The app's widgets in-process against the real initd (gui-test-util.h).  What needs real
 * key presses (Tab out of a list, Enter in the search or on a row) is typed at the real app
 * in test-gui-typing.c (/xtest/keyboard/...).
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <adwaita.h>
#include <string.h>

#include "gui-test-util.h"
#include "init-admin-history-view.h"

static InitAdminWindow *
open_window (DBusFixture **fx)
{
  *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  dbus_fixture_write_job (*fx, "alpha", "description \"The first\"\nconsole none\nexec sleep 1000\n");
  dbus_fixture_write_job (*fx, "beta", "console none\nexec sleep 1000\n");
  dbus_fixture_start_initd (*fx, NULL, NULL);
  return gui_test_window_new (*fx);
}

/* Every GtkShortcutsShortcut under @widget: its action name, or its accelerator. */
static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *actions,
                   GPtrArray *accels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_SHORTCUTS_SHORTCUT (child))
        {
          g_autofree char *action = NULL;
          g_autofree char *accel = NULL;

          g_object_get (child, "action-name", &action, "accelerator", &accel, NULL);
          if (action != NULL)
            g_ptr_array_add (actions, g_steal_pointer (&action));
          if (accel != NULL)
            g_ptr_array_add (accels, g_steal_pointer (&accel));
        }
      collect_shortcuts (child, actions, accels);
    }
}

/* Whether @accel is one of the accelerators a shortcut lists ("Tab <Shift>Tab"). */
static gboolean
accel_listed (GPtrArray  *accels,
              const char *accel)
{
  guint key, want_key;
  GdkModifierType mods, want_mods;

  g_assert_true (gtk_accelerator_parse (accel, &want_key, &want_mods));
  for (guint i = 0; i < accels->len; i++)
    {
      g_auto (GStrv) each = g_strsplit (g_ptr_array_index (accels, i), " ", -1);

      for (gsize j = 0; each[j] != NULL; j++)
        if (gtk_accelerator_parse (each[j], &key, &mods) && key == want_key && mods == want_mods)
          return TRUE;
    }
  return FALSE;
}

/* Each action with a shortcut is in the shortcuts window, with the history filter's. */
static void
test_shortcuts_listed (void)
{
  DBusFixture *fx;
  InitAdminWindow *window = open_window (&fx);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) accels = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) described = gtk_application_list_action_descriptions (gui_test_get_app ());
  g_auto (GStrv) filter = gtk_application_get_accels_for_action (gui_test_get_app (), "win.filter-history");

  g_assert_nonnull (overlay);
  collect_shortcuts (GTK_WIDGET (overlay), actions, accels);
  g_assert_cmpuint (actions->len, >, 0);
  g_assert_nonnull (filter);
  {
    g_autoptr(GPtrArray) listed = g_ptr_array_new ();

    g_ptr_array_add (listed, filter[0]);
    g_assert_true (accel_listed (listed, "<Control><Shift>f"));
  }
  for (gsize i = 0; described[i] != NULL; i++)
    {
      g_auto (GStrv) keys = gtk_application_get_accels_for_action (gui_test_get_app (), described[i]);

      if (keys == NULL || keys[0] == NULL)
        continue;
      /* A plain action is listed by name (the window shows its keys); a detailed one
       * ("win.show-page::log") by its keys. */
      if (strstr (described[i], "::") == NULL
          && g_ptr_array_find_with_equal_func (actions, described[i], g_str_equal, NULL))
        continue;
      for (gsize j = 0; keys[j] != NULL; j++)
        if (!accel_listed (accels, keys[j]))
          g_error ("the shortcut %s (%s) is not in the shortcuts window", keys[j], described[i]);
    }
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* Labels under @widget that take the keyboard focus, joined. */
static void
find_focusable_labels (GtkWidget *widget,
                       GString   *found)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_focusable (widget))
    g_string_append_printf (found, "“%s” ", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_focusable_labels (child, found);
}

/* Tab from nowhere goes to the header bar first, and no label (selectable ones included:
 * the job's name, description, failure, definition) is a Tab stop.  That one Tab leaves a
 * list is typed in /xtest/keyboard/tab-leaves-list: GTK's focus walk cannot be driven
 * in-process past a list. */
static void
test_tab_order (void)
{
  DBusFixture *fx;
  InitAdminWindow *window = open_window (&fx);
  g_autoptr(GString) labels = g_string_new (NULL);
  GtkWidget *first;

  gui_test_select_job (window, "alpha", NULL);
  gui_test_settle (GTK_WIDGET (window));
  gtk_root_set_focus (GTK_ROOT (window), NULL);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  first = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (gtk_widget_get_ancestor (first, ADW_TYPE_HEADER_BAR));
  find_focusable_labels (GTK_WIDGET (window), labels);
  g_assert_cmpstr (labels->str, ==, "");
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

/* Ctrl+Shift+F's action puts the focus in the history's filter. */
static void
test_filter_history (void)
{
  DBusFixture *fx;
  InitAdminWindow *window = open_window (&fx);
  GtkWidget *entry = gui_test_child (init_admin_window_get_history_view (window),
                                     INIT_ADMIN_TYPE_HISTORY_VIEW, "filter_entry");
  GtkWidget *focus;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.filter-history", NULL));
  gui_test_settle (GTK_WIDGET (window));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
  gui_test_window_free (window);
  dbus_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/keyboard/shortcuts-listed", test_shortcuts_listed);
  g_test_add_func ("/gui/keyboard/tab-order", test_tab_order);
  g_test_add_func ("/gui/keyboard/filter-history", test_filter_history);
  return g_test_run ();
}
