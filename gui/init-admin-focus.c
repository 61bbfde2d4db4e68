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

/* Focus the first control after (before) @list: in its later (earlier) siblings, then its
 * parent's, up to the window, which wraps around to its start (end).  GTK's own walk cannot
 * be used: it enters the focused row first (and the list moves to its next row), and it
 * follows each container's last focused child, even into a hidden stack page. */
static void
focus_past (GtkWidget *list,
            gboolean   forward)
{
  GtkRoot *root = gtk_widget_get_root (list);

  for (GtkWidget *w = list; w != NULL && w != GTK_WIDGET (root); w = gtk_widget_get_parent (w))
    for (GtkWidget *sib = forward ? gtk_widget_get_next_sibling (w) : gtk_widget_get_prev_sibling (w);
         sib != NULL; sib = forward ? gtk_widget_get_next_sibling (sib) : gtk_widget_get_prev_sibling (sib))
      {
        GtkWidget *found = focusable_in (sib, forward);

        if (found != NULL)
          {
            gtk_widget_grab_focus (found);
            return;
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
