/* init-admin-state-cell.c — a job's state at a glance: icon, word and goal/state */
#define G_LOG_DOMAIN "init-admin"

#include "init-admin-state-cell.h"

struct _InitAdminStateCell
{
  GtkWidget parent_instance;

  GtkWidget      *icon;
  GtkWidget      *label;
  GtkWidget      *detail;
  InitAdminStatus status;
  gboolean        set;
};

G_DEFINE_FINAL_TYPE (InitAdminStateCell, init_admin_state_cell, GTK_TYPE_WIDGET)

static void
init_admin_state_cell_dispose (GObject *object)
{
  InitAdminStateCell *self = INIT_ADMIN_STATE_CELL (object);

  g_clear_pointer (&self->icon, gtk_widget_unparent);
  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_pointer (&self->detail, gtk_widget_unparent);

  G_OBJECT_CLASS (init_admin_state_cell_parent_class)->dispose (object);
}

static void
init_admin_state_cell_class_init (InitAdminStateCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_state_cell_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statecell");
}

static void
init_admin_state_cell_init (InitAdminStateCell *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  self->icon = gtk_image_new ();
  self->label = gtk_label_new (NULL);
  self->detail = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_xalign (GTK_LABEL (self->detail), 0);
  gtk_widget_add_css_class (self->detail, "dim-label");
  gtk_widget_add_css_class (self->detail, "caption");
  gtk_widget_set_parent (self->icon, GTK_WIDGET (self));
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  gtk_widget_set_parent (self->detail, GTK_WIDGET (self));
  /* The icon repeats the word; screen readers read the word. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
}

GtkWidget *
init_admin_state_cell_new (void)
{
  return g_object_new (INIT_ADMIN_TYPE_STATE_CELL, NULL);
}

void
init_admin_state_cell_set (InitAdminStateCell *self,
                           InitAdminStatus     status,
                           const char         *goal_state)
{
  g_return_if_fail (INIT_ADMIN_IS_STATE_CELL (self));

  if (!self->set || self->status != status)
    {
      if (self->set)
        gtk_widget_remove_css_class (GTK_WIDGET (self), init_admin_status_css_class (self->status));
      gtk_widget_add_css_class (GTK_WIDGET (self), init_admin_status_css_class (status));
      gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), init_admin_status_icon_name (status));
      gtk_label_set_text (GTK_LABEL (self->label), init_admin_status_label (status));
      self->status = status;
      self->set = TRUE;
    }
  gtk_label_set_text (GTK_LABEL (self->detail), goal_state != NULL ? goal_state : "");
  gtk_widget_set_visible (self->detail, goal_state != NULL);
}

const char *
init_admin_state_cell_get_text (InitAdminStateCell *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_STATE_CELL (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->label));
}
