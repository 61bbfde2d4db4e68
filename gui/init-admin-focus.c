/* init-admin-focus.c — keyboard focus around lists: Tab past a list, focus one of its rows */
#define G_LOG_DOMAIN "init-admin"

#include "init-admin-focus.h"

/* The first (last) widget in @widget, in widget order, that can take the focus now. */
static GtkWidget *
focusable_in (GtkWidget *widget,
              gboolean   forward)
{
  if (!gtk_widget_get_mapped (widget) || !gtk_widget_is_sensitive (widget)
      || !gtk_widget_get_can_focus (widget))
    return NULL;
  if (forward && gtk_widget_get_focusable (widget))
    return widget;
  for (GtkWidget *child = forward ? gtk_widget_get_first_child (widget) : gtk_widget_get_last_child (widget);
       child != NULL;
       child = forward ? gtk_widget_get_next_sibling (child) : gtk_widget_get_prev_sibling (child))
    {
      GtkWidget *found = focusable_in (child, forward);

      if (found != NULL)
        return found;
    }
  return !forward && gtk_widget_get_focusable (widget) ? widget : NULL;
}

/* Reading order within one parent: top to bottom, then left to right (widget order is not
 * it: AdwLeaflet puts the page shown last, to draw it on top). */
static int
compare_reading (gconstpointer a,
                 gconstpointer b)
{
  const graphene_rect_t *ra = g_object_get_data (*(GObject **) a, "init-admin-bounds");
  const graphene_rect_t *rb = g_object_get_data (*(GObject **) b, "init-admin-bounds");

  if ((int) ra->origin.y != (int) rb->origin.y)
    return (int) ra->origin.y < (int) rb->origin.y ? -1 : 1;
  if ((int) ra->origin.x != (int) rb->origin.x)
    return (int) ra->origin.x < (int) rb->origin.x ? -1 : 1;
  return 0;
}

/* @parent's shown children in reading order; @w's index in it is *at. */
static GPtrArray *
children_in_reading_order (GtkWidget *parent,
                           GtkWidget *w,
                           guint     *at)
{
  GPtrArray *children = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t *bounds = g_new0 (graphene_rect_t, 1);

      if (!gtk_widget_get_mapped (child) || !gtk_widget_compute_bounds (child, parent, bounds))
        {
          g_free (bounds);
          continue;
        }
      g_object_set_data_full (G_OBJECT (child), "init-admin-bounds", bounds, g_free);
      g_ptr_array_add (children, child);
    }
  g_ptr_array_sort (children, compare_reading);
  if (!g_ptr_array_find (children, w, at))
    *at = children->len;
  return children;
}

/* Focus the first control after (before) @list: in the widgets after (before) it in reading
 * order, then after its parent, up to the window, which wraps around to its start (end).
 * GTK's own walk cannot be used: it enters the focused row first (and the list moves to
 * its next row), and it follows each container's last focused child, even into a hidden
 * stack page. */
static void
focus_past (GtkWidget *list,
            gboolean   forward)
{
  GtkRoot *root = gtk_widget_get_root (list);

  for (GtkWidget *w = list; w != NULL && w != GTK_WIDGET (root); w = gtk_widget_get_parent (w))
    {
      guint at;
      g_autoptr(GPtrArray) children = children_in_reading_order (gtk_widget_get_parent (w), w, &at);

      for (guint i = at; children->len > 0 && (forward ? i + 1 < children->len : i > 0);)
        {
          GtkWidget *found;

          i = forward ? i + 1 : i - 1;
          found = focusable_in (g_ptr_array_index (children, i), forward);
          if (found != NULL)
            {
              gtk_widget_grab_focus (found);
              return;
            }
        }
    }
  gtk_root_set_focus (root, NULL);
  gtk_widget_child_focus (GTK_WIDGET (root), forward ? GTK_DIR_TAB_FORWARD : GTK_DIR_TAB_BACKWARD);
}

static gboolean
on_tab_key (GtkEventControllerKey *controller,
            guint                  keyval,
            guint                  keycode,
            GdkModifierType        state,
            gpointer               user_data)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 || gtk_widget_get_root (list) == NULL)
    return FALSE;
  if (keyval == GDK_KEY_ISO_Left_Tab)
    focus_past (list, FALSE);
  else if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    focus_past (list, (state & GDK_SHIFT_MASK) == 0);
  else
    return FALSE;
  return TRUE;
}

void
init_admin_focus_tab_past (GtkWidget *list)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_return_if_fail (GTK_IS_WIDGET (list));

  /* Capture: before the focused row sees the key. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_tab_key), NULL);
  gtk_widget_add_controller (list, keys);
}

gboolean
init_admin_focus_row_of (GtkWidget *list,
                         GtkWidget *cell)
{
  g_return_val_if_fail (GTK_IS_WIDGET (list), FALSE);

  /* The row widget is the ancestor whose parent is the list (or, in a column view, the
   * list view inside it); it takes the focus, and the list follows it. */
  for (GtkWidget *w = cell; w != NULL && w != list; w = gtk_widget_get_parent (w))
    {
      GtkWidget *parent = gtk_widget_get_parent (w);

      if (parent != NULL && GTK_IS_LIST_VIEW (parent)
          && (parent == list || gtk_widget_is_ancestor (parent, list)))
        return gtk_widget_grab_focus (w);
    }
  return FALSE;
}
