/* init-admin-job-list.c — the job list: search as you type, state filter, sortable columns */
#define G_LOG_DOMAIN "init-admin"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "init-admin-focus.h"
#include "init-admin-job-list.h"
#include "init-admin-resources.h"
#include "init-admin-slot-model.h"
#include "init-admin-state-cell.h"

enum
{
  COLUMN_NAME,
  COLUMN_STATE,
  COLUMN_PID,
  COLUMN_DESCRIPTION,
  N_COLUMNS
};

struct _InitAdminJobList
{
  GtkWidget parent_instance;

  GtkSearchBar   *search_bar;
  GtkSearchEntry *search_entry;
  GtkDropDown    *state_dropdown;
  GtkStack       *list_stack;
  GtkColumnView  *column_view;
  GtkLabel       *summary_label;

  InitAdminJobModel   *model;
  GtkSortListModel    *sorted;
  GtkFilterListModel  *filtered;
  InitAdminSlotModel  *slots;
  GtkSingleSelection  *selection;
  InitAdminJobRow     *selected_row;         /* what the user selected (owned) */
  char                *selected_name;        /* its name, to find it again in a new daemon's rows */
  gboolean             restoring;            /* moving the selection to follow it */
  gboolean             syncing_entry;        /* showing a search set from code */
  gboolean             had_rows;
  GtkCustomFilter     *filter;
  GtkColumnViewColumn *columns[N_COLUMNS];
  GHashTable          *cells[N_COLUMNS];     /* row -> bound cell widget */

  char                *search;               /* case-folded, "" for none */
  InitAdminStateFilter state_filter;
  guint                summary_idle;
  guint                focus_idle;           /* focusing the selected row once it is laid out */
};

G_DEFINE_FINAL_TYPE (InitAdminJobList, init_admin_job_list, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SELECTED_ROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_ROW_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_summary_now (InitAdminJobList *self);

/* ---- filter ---- */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  InitAdminJobList *self = user_data;
  InitAdminJobRow *row = item;
  InitAdminStatus status = init_admin_job_row_get_status (row);

  switch (self->state_filter)
    {
    case INIT_ADMIN_STATE_FILTER_RUNNING:
      if (status != INIT_ADMIN_STATUS_RUNNING && status != INIT_ADMIN_STATUS_STARTING
          && status != INIT_ADMIN_STATUS_STOPPING)
        return FALSE;
      break;
    case INIT_ADMIN_STATE_FILTER_STOPPED:
      if (status != INIT_ADMIN_STATUS_STOPPED)
        return FALSE;
      break;
    case INIT_ADMIN_STATE_FILTER_FAILED:
      if (status != INIT_ADMIN_STATUS_FAILED)
        return FALSE;
      break;
    case INIT_ADMIN_STATE_FILTER_ALL:
    default:
      break;
    }
  return self->search[0] == '\0'
         || strstr (init_admin_job_row_get_search_key (row), self->search) != NULL;
}

static void
update_stack (InitAdminJobList *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0
                   && g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) > 0;

  gtk_stack_set_visible_child_name (self->list_stack, empty ? "empty" : "list");
}

void
init_admin_job_list_set_search_text (InitAdminJobList *self,
                                     const char       *text)
{
  g_autofree char *folded = NULL;
  GtkFilterChange change;

  g_return_if_fail (INIT_ADMIN_IS_JOB_LIST (self));

  folded = g_utf8_casefold (text != NULL ? text : "", -1);
  g_strstrip (folded);
  if (g_str_equal (folded, self->search))
    return;
  /* Typing one more letter can only hide rows; deleting one can only show rows. */
  if (strstr (folded, self->search) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (self->search, folded) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;
  g_free (self->search);
  self->search = g_steal_pointer (&folded);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_summary_now (self);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text) != 0)
    {
      /* Setting the text deletes and inserts: one search, not three. */
      self->syncing_entry = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
      self->syncing_entry = FALSE;
    }
}

void
init_admin_job_list_set_state_filter (InitAdminJobList    *self,
                                      InitAdminStateFilter filter)
{
  g_return_if_fail (INIT_ADMIN_IS_JOB_LIST (self));

  if (self->state_filter != filter)
    {
      GtkFilterChange change = filter == INIT_ADMIN_STATE_FILTER_ALL
                               ? GTK_FILTER_CHANGE_LESS_STRICT
                               : self->state_filter == INIT_ADMIN_STATE_FILTER_ALL
                               ? GTK_FILTER_CHANGE_MORE_STRICT
                               : GTK_FILTER_CHANGE_DIFFERENT;

      self->state_filter = filter;
      gtk_filter_changed (GTK_FILTER (self->filter), change);
      update_summary_now (self);
    }
  if (gtk_drop_down_get_selected (self->state_dropdown) != (guint) filter)
    gtk_drop_down_set_selected (self->state_dropdown, filter);
}

static void
on_search_changed (InitAdminJobList *self)
{
  if (self->syncing_entry)
    return;
  init_admin_job_list_set_search_text (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_state_changed (InitAdminJobList *self)
{
  guint selected = gtk_drop_down_get_selected (self->state_dropdown);

  if (selected <= INIT_ADMIN_STATE_FILTER_FAILED)
    init_admin_job_list_set_state_filter (self, selected);
}

/* ---- summary line ---- */

static gboolean
summary_idle_cb (gpointer user_data)
{
  InitAdminJobList *self = user_data;
  GListModel *all = G_LIST_MODEL (self->sorted);
  guint n = g_list_model_get_n_items (all);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint running = 0, failed = 0;
  g_autofree char *jobs = NULL;
  g_autofree char *text = NULL;

  self->summary_idle = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(InitAdminJobRow) row = g_list_model_get_item (all, i);

      switch (init_admin_job_row_get_status (row))
        {
        case INIT_ADMIN_STATUS_RUNNING:
          running++;
          break;
        case INIT_ADMIN_STATUS_FAILED:
          failed++;
          break;
        case INIT_ADMIN_STATUS_STARTING:
        case INIT_ADMIN_STATUS_STOPPING:
        case INIT_ADMIN_STATUS_STOPPED:
        default:
          break;
        }
    }
  if (shown != n)
    /* Translators: e.g. "12 jobs shown of 5000"; the plural follows the jobs shown */
    jobs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u job shown of %u",
                                         "%u jobs shown of %u", shown), shown, n);
  else
    jobs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u job", "%u jobs", n), n);
  /* Translators: e.g. "5000 jobs · 12 running · 1 failed" */
  text = g_strdup_printf (_("%s · %u running · %u failed"), jobs, running, failed);
  gtk_label_set_text (self->summary_label, text);
  update_stack (self);
  return G_SOURCE_REMOVE;
}

static void
queue_summary (InitAdminJobList *self)
{
  if (self->summary_idle == 0)
    self->summary_idle = g_idle_add_full (G_PRIORITY_LOW, summary_idle_cb, self, NULL);
}

/* A search or state filter changed what is shown: the line says so at once, not after the
 * redraws an idle at low priority waits for (it read "5000 jobs" over one row). */
static void
update_summary_now (InitAdminJobList *self)
{
  g_clear_handle_id (&self->summary_idle, g_source_remove);
  summary_idle_cb (self);
}

/* ---- cells ---- */

static void
update_cell (GtkListItem *item)
{
  InitAdminJobRow *row = g_object_get_data (G_OBJECT (item), "init-admin-row");
  GtkWidget *child = gtk_list_item_get_child (item);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), "init-admin-column"));

  if (row == NULL || child == NULL)
    return;
  switch (column)
    {
    case COLUMN_NAME:
      {
        GtkWidget *marker = gtk_widget_get_first_child (child);
        GtkWidget *label = gtk_widget_get_next_sibling (marker);
        gboolean highlighted = init_admin_job_row_get_highlighted (row);

        gtk_label_set_text (GTK_LABEL (label), init_admin_job_row_get_name (row));
        gtk_widget_set_visible (marker, highlighted);
        if (highlighted)
          gtk_widget_add_css_class (child, "highlighted");
        else
          gtk_widget_remove_css_class (child, "highlighted");
      }
      break;
    case COLUMN_STATE:
      init_admin_state_cell_set (INIT_ADMIN_STATE_CELL (child), init_admin_job_row_get_status (row),
                                 init_admin_job_row_get_goal_state (row));
      break;
    case COLUMN_PID:
      {
        int pid = init_admin_job_row_get_pid (row);
        char text[16] = "";

        if (pid > 0)
          g_snprintf (text, sizeof text, "%d", pid);
        gtk_label_set_text (GTK_LABEL (child), text);
      }
      break;
    case COLUMN_DESCRIPTION:
    default:
      gtk_label_set_text (GTK_LABEL (child), init_admin_job_row_get_description (row));
      break;
    }
}

static void
on_row_notify (InitAdminJobRow *row,
               GParamSpec      *pspec,
               GtkListItem     *item)
{
  update_cell (item);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  GtkWidget *child;

  g_object_set_data (G_OBJECT (item), "init-admin-column", user_data);
  switch (column)
    {
    case COLUMN_NAME:
      {
        GtkWidget *marker = gtk_image_new_from_icon_name ("go-next-symbolic");
        GtkWidget *label = gtk_label_new (NULL);

        child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
        gtk_widget_add_css_class (child, "job-name");
        gtk_widget_set_visible (marker, FALSE);
        gtk_widget_set_tooltip_text (marker, _("Affected by the selected event"));
        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
        gtk_box_append (GTK_BOX (child), marker);
        gtk_box_append (GTK_BOX (child), label);
      }
      break;
    case COLUMN_STATE:
      child = init_admin_state_cell_new ();
      break;
    case COLUMN_PID:
      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), 1);
      gtk_widget_add_css_class (child, "numeric");
      break;
    case COLUMN_DESCRIPTION:
    default:
      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), 0);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
      break;
    }
  gtk_list_item_set_child (item, child);
}

/* Follow the row shown in the slot of @item: its changes, and the slot getting another. */
static void
show_row (InitAdminJobList *self,
          GtkListItem      *item,
          InitAdminJobRow  *row)
{
  InitAdminJobRow *old = g_object_get_data (G_OBJECT (item), "init-admin-row");
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), "init-admin-column"));
  GHashTable *cells = self->cells[column];

  if (old != NULL)
    {
      g_signal_handlers_disconnect_by_func (old, on_row_notify, item);
      if (g_hash_table_lookup (cells, old) == gtk_list_item_get_child (item))
        g_hash_table_remove (cells, old);
    }
  g_object_set_data_full (G_OBJECT (item), "init-admin-row",
                          row != NULL ? g_object_ref (row) : NULL, g_object_unref);
  if (row == NULL)
    return;
  update_cell (item);
  g_signal_connect (row, "notify", G_CALLBACK (on_row_notify), item);
  g_hash_table_replace (cells, row, gtk_list_item_get_child (item));
}

static void
on_slot_item (InitAdminSlot *slot,
              GParamSpec    *pspec,
              GtkListItem   *item)
{
  InitAdminJobList *self = g_object_get_data (G_OBJECT (item), "init-admin-list");

  show_row (self, item, init_admin_slot_get_item (slot));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  InitAdminJobList *self = g_object_get_data (G_OBJECT (factory), "init-admin-list");
  InitAdminSlot *slot = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (item), "init-admin-list", self);
  show_row (self, item, init_admin_slot_get_item (slot));
  g_signal_connect (slot, "notify::item", G_CALLBACK (on_slot_item), item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  InitAdminJobList *self = g_object_get_data (G_OBJECT (factory), "init-admin-list");
  InitAdminSlot *slot = gtk_list_item_get_item (item);

  if (slot != NULL)
    g_signal_handlers_disconnect_by_func (slot, on_slot_item, item);
  show_row (self, item, NULL);
}

static GtkColumnViewColumn *
make_column (InitAdminJobList *self,
             guint             column,
             const char       *title,
             GtkSorter        *sorter)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  g_object_set_data (G_OBJECT (factory), "init-admin-list", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), GUINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (col, sorter);
  gtk_column_view_column_set_resizable (col, TRUE);
  g_object_unref (sorter);
  gtk_column_view_append_column (self->column_view, col);
  g_object_unref (col);   /* the view holds it */
  return col;
}

static GtkExpression *
property (const char *name)
{
  return gtk_property_expression_new (INIT_ADMIN_TYPE_JOB_ROW, NULL, name);
}

/* ---- selection ---- */

static void
set_selected_row (InitAdminJobList *self,
                  InitAdminJobRow  *row)
{
  if (row != NULL && g_strcmp0 (init_admin_job_row_get_name (row), self->selected_name) != 0)
    {
      g_free (self->selected_name);
      self->selected_name = g_strdup (init_admin_job_row_get_name (row));
    }
  if (g_set_object (&self->selected_row, row))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ROW]);
}

/* The user picked a slot: remember the row in it. */
static void
on_selected_item (InitAdminJobList *self)
{
  InitAdminSlot *slot;

  if (self->restoring)
    return;
  slot = gtk_single_selection_get_selected_item (self->selection);
  set_selected_row (self, slot != NULL ? init_admin_slot_get_item (slot) : NULL);
}

/* The rows moved under the slots: move the selection with the row (or drop it when the row
 * is no longer shown); select the first row when the list fills for the first time. */
static void
on_slots_changed (InitAdminJobList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->slots));
  guint position = init_admin_slot_model_find (self->slots, self->selected_row);

  if (self->selected_row == NULL && !self->had_rows && n > 0)
    position = 0;
  /* The rows were replaced (the daemon is back): the job selected before, if it is there. */
  if (position == GTK_INVALID_LIST_POSITION && self->selected_name != NULL)
    for (guint i = 0; i < n && position == GTK_INVALID_LIST_POSITION; i++)
      {
        g_autoptr(InitAdminSlot) slot = g_list_model_get_item (G_LIST_MODEL (self->slots), i);
        InitAdminJobRow *row = init_admin_slot_get_item (slot);

        if (row != NULL && g_strcmp0 (init_admin_job_row_get_name (row), self->selected_name) == 0)
          position = i;
      }
  self->had_rows |= n > 0;
  if (position != gtk_single_selection_get_selected (self->selection))
    {
      self->restoring = TRUE;
      gtk_single_selection_set_selected (self->selection, position);
      self->restoring = FALSE;
    }
  if (position == GTK_INVALID_LIST_POSITION)
    set_selected_row (self, NULL);
  else
    {
      g_autoptr(InitAdminSlot) slot = g_list_model_get_item (G_LIST_MODEL (self->slots), position);

      set_selected_row (self, init_admin_slot_get_item (slot));
    }
}

/* GTK 4.8 has no gtk_column_view_scroll_to(): the list view inside has the action. */
static void
scroll_to (InitAdminJobList *self,
           guint             position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

InitAdminJobRow *
init_admin_job_list_get_selected_row (InitAdminJobList *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_LIST (self), NULL);
  return self->selected_row;
}

gboolean
init_admin_job_list_select_row (InitAdminJobList *self,
                                InitAdminJobRow  *row)
{
  guint position;

  g_return_val_if_fail (INIT_ADMIN_IS_JOB_LIST (self), FALSE);

  position = init_admin_slot_model_find (self->slots, row);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  set_selected_row (self, row);
  scroll_to (self, position);
  return TRUE;
}

/* The selected row's widget exists once the list has laid out the rows scrolled to. */
static gboolean
focus_idle_cb (gpointer user_data)
{
  InitAdminJobList *self = user_data;
  GtkWidget *cell = self->selected_row != NULL
                    ? g_hash_table_lookup (self->cells[COLUMN_NAME], self->selected_row) : NULL;

  self->focus_idle = 0;
  if (cell == NULL || !init_admin_focus_row_of (GTK_WIDGET (self->column_view), cell))
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  return G_SOURCE_REMOVE;
}

void
init_admin_job_list_focus_selected (InitAdminJobList *self)
{
  guint position;

  g_return_if_fail (INIT_ADMIN_IS_JOB_LIST (self));

  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
      return;
    }
  scroll_to (self, position);
  if (self->focus_idle == 0)
    self->focus_idle = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, focus_idle_cb, self, NULL);
}

/* Enter in the search: the selected job if the search shows it, else the first one shown,
 * selected and focused in the list (where Enter opens it). */
static void
on_search_activate (InitAdminJobList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->slots));

  if (n == 0)
    return;
  if (init_admin_slot_model_find (self->slots, self->selected_row) == GTK_INVALID_LIST_POSITION)
    {
      g_autoptr(InitAdminSlot) slot = g_list_model_get_item (G_LIST_MODEL (self->slots), 0);

      init_admin_job_list_select_row (self, init_admin_slot_get_item (slot));
    }
  init_admin_job_list_focus_selected (self);
}

/* Enter (or a double click) on a row. */
static void
on_row_activate (InitAdminJobList *self,
                 guint             position)
{
  g_autoptr(InitAdminSlot) slot = g_list_model_get_item (G_LIST_MODEL (self->slots), position);

  if (slot == NULL || init_admin_slot_get_item (slot) == NULL)
    return;
  if (init_admin_slot_get_item (slot) != self->selected_row)
    init_admin_job_list_select_row (self, init_admin_slot_get_item (slot));
  g_signal_emit (self, signals[SIGNAL_ROW_ACTIVATED], 0);
}

void
init_admin_job_list_start_search (InitAdminJobList *self)
{
  g_return_if_fail (INIT_ADMIN_IS_JOB_LIST (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
init_admin_job_list_set_key_capture_widget (InitAdminJobList *self,
                                            GtkWidget        *widget)
{
  g_return_if_fail (INIT_ADMIN_IS_JOB_LIST (self));
  gtk_search_bar_set_key_capture_widget (self->search_bar, widget);
}

GListModel *
init_admin_job_list_get_shown (InitAdminJobList *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_LIST (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

GtkWidget *
init_admin_job_list_get_cell (InitAdminJobList *self,
                              InitAdminJobRow  *row,
                              guint             column)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_LIST (self), NULL);
  g_return_val_if_fail (column < N_COLUMNS, NULL);
  return g_hash_table_lookup (self->cells[column], row);
}

void
init_admin_job_list_set_model (InitAdminJobList  *self,
                               InitAdminJobModel *model)
{
  GListModel *rows;

  g_return_if_fail (INIT_ADMIN_IS_JOB_LIST (self));
  g_return_if_fail (self->model == NULL);

  self->model = g_object_ref (model);
  rows = init_admin_job_model_get_rows (model);
  gtk_sort_list_model_set_model (self->sorted, rows);
  g_signal_connect_swapped (rows, "items-changed", G_CALLBACK (queue_summary), self);
  queue_summary (self);
}

/* ---- GObject ---- */

static void
init_admin_job_list_dispose (GObject *object)
{
  InitAdminJobList *self = INIT_ADMIN_JOB_LIST (object);

  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (init_admin_job_model_get_rows (self->model), self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->slots != NULL)
    g_signal_handlers_disconnect_by_data (self->slots, self);
  g_clear_handle_id (&self->summary_idle, g_source_remove);
  g_clear_handle_id (&self->focus_idle, g_source_remove);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), INIT_ADMIN_TYPE_JOB_LIST);
  /* Children the template does not bind are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->slots);
  g_clear_object (&self->selected_row);
  g_clear_pointer (&self->selected_name, g_free);
  g_clear_object (&self->filtered);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filter);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (init_admin_job_list_parent_class)->dispose (object);
}

static void
init_admin_job_list_finalize (GObject *object)
{
  InitAdminJobList *self = INIT_ADMIN_JOB_LIST (object);

  for (guint i = 0; i < N_COLUMNS; i++)
    g_hash_table_unref (self->cells[i]);
  g_free (self->search);

  G_OBJECT_CLASS (init_admin_job_list_parent_class)->finalize (object);
}

static void
init_admin_job_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  InitAdminJobList *self = INIT_ADMIN_JOB_LIST (object);

  switch (prop_id)
    {
    case PROP_SELECTED_ROW:
      g_value_set_object (value, init_admin_job_list_get_selected_row (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_admin_job_list_class_init (InitAdminJobListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_job_list_dispose;
  object_class->finalize = init_admin_job_list_finalize;
  object_class->get_property = init_admin_job_list_get_property;

  properties[PROP_SELECTED_ROW] =
    g_param_spec_object ("selected-row", NULL, NULL, INIT_ADMIN_TYPE_JOB_ROW,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Enter or a double click on a row: the window opens the job. */
  signals[SIGNAL_ROW_ACTIVATED] =
    g_signal_new ("row-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  init_admin_ensure_resources ();
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, INIT_ADMIN_RESOURCE "/init-admin-job-list.ui");
  gtk_widget_class_bind_template_child (widget_class, InitAdminJobList, search_bar);
  gtk_widget_class_bind_template_child (widget_class, InitAdminJobList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, InitAdminJobList, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, InitAdminJobList, list_stack);
  gtk_widget_class_bind_template_child (widget_class, InitAdminJobList, column_view);
  gtk_widget_class_bind_template_child (widget_class, InitAdminJobList, summary_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_state_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activate);
}

static void
init_admin_job_list_init (InitAdminJobList *self)
{
  self->search = g_strdup ("");
  for (guint i = 0; i < N_COLUMNS; i++)
    self->cells[i] = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Filtering 5,000 rows takes about a millisecond: no need to wait for a pause in typing. */
  gtk_search_entry_set_search_delay (self->search_entry, 0);
  /* The entry sits in a box with the state filter: GTK does not find it by itself, and keys
   * typed at the window would go nowhere (with a warning) instead of into the search. */
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  self->columns[COLUMN_NAME] = make_column (self, COLUMN_NAME, _("Job"),
                                            GTK_SORTER (gtk_string_sorter_new (property ("name"))));
  self->columns[COLUMN_STATE] = make_column (self, COLUMN_STATE, _("State"),
                                             GTK_SORTER (gtk_numeric_sorter_new (property ("status"))));
  self->columns[COLUMN_PID] = make_column (self, COLUMN_PID, _("Main PID"),
                                           GTK_SORTER (gtk_numeric_sorter_new (property ("pid"))));
  self->columns[COLUMN_DESCRIPTION] = make_column (self, COLUMN_DESCRIPTION, _("Description"),
                                                   GTK_SORTER (gtk_string_sorter_new (property ("description"))));
  /* Every column fits the list's width (names and descriptions ellipsized): wider fixed
   * widths put the PID and the description off screen even in a wide window. */
  gtk_column_view_column_set_fixed_width (self->columns[COLUMN_NAME], 150);
  gtk_column_view_column_set_expand (self->columns[COLUMN_DESCRIPTION], TRUE);

  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  gtk_filter_list_model_set_incremental (self->filtered, FALSE);
  self->slots = init_admin_slot_model_new (G_LIST_MODEL (self->filtered));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->slots)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->column_view, self->columns[COLUMN_NAME], GTK_SORT_ASCENDING);

  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selected_item), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (queue_summary), self);
  g_signal_connect_swapped (self->slots, "contents-changed", G_CALLBACK (on_slots_changed), self);
  init_admin_focus_tab_past (GTK_WIDGET (self->column_view));
}
