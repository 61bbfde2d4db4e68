/* init-admin-process-view.c — the process trees of a job's instances (details, Overview) */
#define G_LOG_DOMAIN "init-admin"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "init-admin-error.h"
#include "init-admin-format.h"
#include "init-admin-process-view.h"
#include "init-admin-resources.h"

/* ---- one process ---- */

struct _InitAdminProcessItem
{
  GObject parent_instance;

  int   pid;
  int   ppid;
  char *role;
  char *command;
  guint depth;
};

G_DEFINE_FINAL_TYPE (InitAdminProcessItem, init_admin_process_item, G_TYPE_OBJECT)

static void
init_admin_process_item_finalize (GObject *object)
{
  InitAdminProcessItem *self = INIT_ADMIN_PROCESS_ITEM (object);

  g_free (self->role);
  g_free (self->command);
  G_OBJECT_CLASS (init_admin_process_item_parent_class)->finalize (object);
}

static void
init_admin_process_item_class_init (InitAdminProcessItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = init_admin_process_item_finalize;
}

static void
init_admin_process_item_init (InitAdminProcessItem *self)
{
}

int
init_admin_process_item_get_pid (InitAdminProcessItem *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_PROCESS_ITEM (self), 0);
  return self->pid;
}

int
init_admin_process_item_get_ppid (InitAdminProcessItem *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_PROCESS_ITEM (self), 0);
  return self->ppid;
}

const char *
init_admin_process_item_get_role (InitAdminProcessItem *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_PROCESS_ITEM (self), NULL);
  return self->role;
}

const char *
init_admin_process_item_get_command (InitAdminProcessItem *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_PROCESS_ITEM (self), NULL);
  return self->command;
}

guint
init_admin_process_item_get_depth (InitAdminProcessItem *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_PROCESS_ITEM (self), 0);
  return self->depth;
}

/* ---- one instance's tree ---- */

typedef struct
{
  InitDBusInstance *instance;
  gulong            changed_id;
  GListStore       *store;        /* InitAdminProcessItem */
  GtkWidget        *widget;       /* title (several instances) and list; owned */
  GtkWidget        *title;
  GtkListBox       *list;
  GCancellable     *cancellable;  /* the read in flight */
} Tree;

struct _InitAdminProcessView
{
  GtkWidget parent_instance;

  GtkWidget *refresh_button;
  GtkWidget *none_label;
  GtkBox    *trees_box;

  GPtrArray *trees;               /* Tree*, in the order shown */
};

G_DEFINE_FINAL_TYPE (InitAdminProcessView, init_admin_process_view, GTK_TYPE_WIDGET)

static void
tree_free (Tree *tree)
{
  g_cancellable_cancel (tree->cancellable);
  g_clear_object (&tree->cancellable);
  g_clear_signal_handler (&tree->changed_id, tree->instance);
  g_clear_object (&tree->instance);
  g_clear_object (&tree->store);
  g_clear_object (&tree->widget);
  g_free (tree);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  InitAdminProcessItem *process = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *pid_text = g_strdup_printf ("%d", process->pid);
  GtkWidget *pid = gtk_label_new (pid_text);
  GtkWidget *role = gtk_label_new (process->role);
  GtkWidget *command = gtk_label_new (process->command);
  g_autofree char *description = NULL;

  /* A descendant sits under its parent, one step further in per generation. */
  gtk_widget_set_margin_start (box, 12 + 24 * (int) MIN (process->depth, 16));
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (pid), 0);
  gtk_label_set_width_chars (GTK_LABEL (pid), 7);
  gtk_widget_add_css_class (pid, "numeric");
  gtk_label_set_xalign (GTK_LABEL (role), 0);
  gtk_widget_add_css_class (role, "dim-label");
  gtk_widget_set_visible (role, process->role[0] != '\0');
  gtk_label_set_xalign (GTK_LABEL (command), 0);
  gtk_label_set_ellipsize (GTK_LABEL (command), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (command, TRUE);
  gtk_widget_set_tooltip_text (command, process->command);
  gtk_widget_add_css_class (command, "monospace");
  gtk_box_append (GTK_BOX (box), pid);
  gtk_box_append (GTK_BOX (box), role);
  gtk_box_append (GTK_BOX (box), command);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  if (process->role[0] != '\0')
    /* Translators: a process row read aloud: pid, role ("main", "post-start"…), command line */
    description = g_strdup_printf (_("Process %d, %s: %s"), process->pid, process->role,
                                   process->command);
  else
    /* Translators: a process row read aloud: pid, its parent's pid, command line */
    description = g_strdup_printf (_("Process %d, child of %d: %s"), process->pid,
                                   process->ppid, process->command);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);
  return row;
}

static void
tree_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) processes = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GArray) order = NULL;
  Tree *tree;

  if (!init_dbus_instance_call_get_process_tree_finish (INIT_DBUS_INSTANCE (source), &processes,
                                                        result, &error)
      && init_admin_error_kind (error) == INIT_ADMIN_ERROR_KIND_CANCELLED)
    return;
  /* Not cancelled: the tree is still shown and this is its latest read. */
  if (g_cancellable_is_cancelled (cancellable))
    return;
  tree = g_object_get_data (G_OBJECT (cancellable), "tree");
  if (error != NULL)
    {
      /* The instance went away meanwhile (its row goes with it), or the daemon did. */
      g_debug ("Could not read the process tree: %s", error->message);
      g_list_store_remove_all (tree->store);
      return;
    }
  order = init_admin_process_tree_order (processes);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < order->len; i++)
    {
      const InitAdminTreeEntry *entry = &g_array_index (order, InitAdminTreeEntry, i);
      InitAdminProcessItem *item = g_object_new (INIT_ADMIN_TYPE_PROCESS_ITEM, NULL);
      const char *role, *command;

      g_variant_get_child (processes, entry->index, "(ii&s&s)", &item->pid, &item->ppid,
                           &role, &command);
      item->role = g_strdup (role);
      item->command = g_strdup (command);
      item->depth = entry->depth;
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (tree->store, 0, g_list_model_get_n_items (G_LIST_MODEL (tree->store)),
                       items->pdata, items->len);
}

static void
tree_read (Tree *tree)
{
  g_cancellable_cancel (tree->cancellable);
  g_clear_object (&tree->cancellable);
  tree->cancellable = g_cancellable_new ();
  /* The callback finds the tree through its cancellable, which is cancelled before the tree
   * is freed. */
  g_object_set_data (G_OBJECT (tree->cancellable), "tree", tree);
  init_dbus_instance_call_get_process_tree (tree->instance, tree->cancellable, tree_read_cb,
                                            g_object_ref (tree->cancellable));
}

static void
on_properties_changed (GDBusProxy        *proxy,
                       GVariant          *changed,
                       const char *const *invalidated,
                       gpointer           user_data)
{
  Tree *tree = user_data;
  g_autoptr(GVariant) processes = g_variant_lookup_value (changed, "Processes", NULL);

  if (processes != NULL || g_strv_contains (invalidated, "Processes"))
    tree_read (tree);
}

static Tree *
tree_new (InitDBusInstance *instance)
{
  Tree *tree = g_new0 (Tree, 1);
  const char *name = init_dbus_instance_get_name (instance);
  g_autofree char *label = NULL;
  GtkWidget *placeholder;

  tree->instance = g_object_ref (instance);
  tree->store = g_list_store_new (INIT_ADMIN_TYPE_PROCESS_ITEM);
  tree->widget = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  tree->title = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (tree->title), 0);
  gtk_widget_add_css_class (tree->title, "caption-heading");
  /* Instance names are worth a line only for a job with instances. */
  gtk_widget_set_visible (tree->title, name != NULL && name[0] != '\0');
  tree->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (tree->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (tree->list), "boxed-list");
  placeholder = gtk_label_new (_("No processes"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 8);
  gtk_widget_set_margin_bottom (placeholder, 8);
  gtk_list_box_set_placeholder (tree->list, placeholder);
  gtk_list_box_bind_model (tree->list, G_LIST_MODEL (tree->store), create_row, NULL, NULL);
  if (name != NULL && name[0] != '\0')
    /* Translators: accessible name of the process list of instance %s */
    label = g_strdup_printf (_("Processes of instance “%s”"), name);
  else
    label = g_strdup (_("Processes"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (tree->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  gtk_box_append (GTK_BOX (tree->widget), tree->title);
  gtk_box_append (GTK_BOX (tree->widget), GTK_WIDGET (tree->list));
  tree->changed_id = g_signal_connect (instance, "g-properties-changed",
                                       G_CALLBACK (on_properties_changed), tree);
  tree_read (tree);
  return tree;
}

/* ---- the section ---- */

GtkWidget *
init_admin_process_view_new (void)
{
  return g_object_new (INIT_ADMIN_TYPE_PROCESS_VIEW, NULL);
}

/* The index of @instance's tree in self->trees, or -1. */
static int
find_tree (InitAdminProcessView *self,
           InitDBusInstance     *instance)
{
  for (guint i = 0; i < self->trees->len; i++)
    if (((Tree *) g_ptr_array_index (self->trees, i))->instance == instance)
      return (int) i;
  return -1;
}

void
init_admin_process_view_set_instances (InitAdminProcessView *self,
                                       GPtrArray            *instances)
{
  g_autoptr(GPtrArray) trees = g_ptr_array_new_with_free_func ((GDestroyNotify) tree_free);
  GtkWidget *child;
  guint n = instances != NULL ? instances->len : 0;

  g_return_if_fail (INIT_ADMIN_IS_PROCESS_VIEW (self));

  /* The details refresh often; the same instances leave the widgets alone. */
  if (n == self->trees->len)
    {
      guint same = 0;

      while (same < n && find_tree (self, g_ptr_array_index (instances, same)) == (int) same)
        same++;
      if (same == n)
        {
          gtk_widget_set_visible (self->none_label, n == 0);
          return;
        }
    }

  /* Keep the trees of instances still shown (their lists are not read again); read the
   * new ones; drop the rest. */
  for (guint i = 0; i < n; i++)
    {
      InitDBusInstance *instance = g_ptr_array_index (instances, i);
      int at = find_tree (self, instance);

      g_ptr_array_add (trees, at >= 0 ? g_ptr_array_steal_index (self->trees, (guint) at)
                                      : tree_new (instance));
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->trees_box))) != NULL)
    gtk_box_remove (self->trees_box, child);
  g_ptr_array_set_size (self->trees, 0);
  for (guint i = 0; i < trees->len; i++)
    gtk_box_append (self->trees_box, ((Tree *) g_ptr_array_index (trees, i))->widget);
  g_ptr_array_extend_and_steal (self->trees, g_steal_pointer (&trees));
  gtk_widget_set_visible (self->none_label, n == 0);
}

void
init_admin_process_view_refresh (InitAdminProcessView *self)
{
  g_return_if_fail (INIT_ADMIN_IS_PROCESS_VIEW (self));

  for (guint i = 0; i < self->trees->len; i++)
    tree_read (g_ptr_array_index (self->trees, i));
}

GListModel *
init_admin_process_view_get_processes (InitAdminProcessView *self,
                                       const char           *instance)
{
  g_return_val_if_fail (INIT_ADMIN_IS_PROCESS_VIEW (self), NULL);
  g_return_val_if_fail (instance != NULL, NULL);

  for (guint i = 0; i < self->trees->len; i++)
    {
      Tree *tree = g_ptr_array_index (self->trees, i);

      if (g_strcmp0 (init_dbus_instance_get_name (tree->instance), instance) == 0)
        return G_LIST_MODEL (tree->store);
    }
  return NULL;
}

/* ---- GObject ---- */

static void
init_admin_process_view_dispose (GObject *object)
{
  InitAdminProcessView *self = INIT_ADMIN_PROCESS_VIEW (object);

  g_clear_pointer (&self->trees, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), INIT_ADMIN_TYPE_PROCESS_VIEW);
  /* Children the template does not bind are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (init_admin_process_view_parent_class)->dispose (object);
}

static void
init_admin_process_view_class_init (InitAdminProcessViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_process_view_dispose;

  init_admin_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               INIT_ADMIN_RESOURCE "/init-admin-process-view.ui");
  gtk_widget_class_bind_template_child (widget_class, InitAdminProcessView, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminProcessView, none_label);
  gtk_widget_class_bind_template_child (widget_class, InitAdminProcessView, trees_box);
  gtk_widget_class_bind_template_callback (widget_class, init_admin_process_view_refresh);
}

static void
init_admin_process_view_init (InitAdminProcessView *self)
{
  self->trees = g_ptr_array_new_with_free_func ((GDestroyNotify) tree_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
