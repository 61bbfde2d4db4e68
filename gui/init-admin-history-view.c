/* init-admin-history-view.c — the live event timeline */
#define G_LOG_DOMAIN "init-admin"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "init-admin-focus.h"
#include "init-admin-format.h"
#include "init-admin-history-view.h"
#include "init-admin-resources.h"

enum
{
  COLUMN_TIME,
  COLUMN_TITLE,
  COLUMN_CAUSE,
  COLUMN_RESULT,
  COLUMN_EFFECT,
  N_COLUMNS
};

struct _InitAdminHistoryView
{
  GtkWidget parent_instance;

  GtkLabel          *paused_label;
  GtkSearchEntry    *filter_entry;
  GtkToggleButton   *pause_button;
  GtkStack          *stack;
  GtkColumnView     *column_view;
  GtkScrolledWindow *scrolled;
  gboolean           at_top;        /* newest rows in view: keep them there */
  guint              top_idle;

  InitAdminHistory   *history;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;

  char    *folded;                  /* filter text, case-folded */
  gboolean syncing_entry;           /* set_filter_text() is setting the entry's text */
  guint64  cleared_at;              /* rows up to this id are hidden */
  guint64  paused_at;               /* 0, or rows after this id are held back */
  char    *highlight_job;
};

G_DEFINE_FINAL_TYPE (InitAdminHistoryView, init_admin_history_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SELECTED_ROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- cells, shared with the details pane's list ---- */

static const char *
kind_icon (InitAdminHistoryKind kind)
{
  switch (kind)
    {
    case INIT_ADMIN_HISTORY_REQUEST:
      return "system-run-symbolic";
    case INIT_ADMIN_HISTORY_FAILURE:
      return "dialog-error-symbolic";
    case INIT_ADMIN_HISTORY_CONFIG:
      return "document-open-recent-symbolic";
    case INIT_ADMIN_HISTORY_EVENT:
    default:
      return "mail-send-symbolic";
    }
}

static void
set_result (GtkWidget           *box,
            InitAdminHistoryRow *row)
{
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (icon);
  InitAdminResult result = init_admin_history_row_get_result (row);

  gtk_widget_remove_css_class (box, "result-ok");
  gtk_widget_remove_css_class (box, "result-failed");
  gtk_widget_remove_css_class (box, "result-pending");
  switch (result)
    {
    case INIT_ADMIN_RESULT_OK:
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "emblem-ok-symbolic");
      gtk_widget_add_css_class (box, "result-ok");
      break;
    case INIT_ADMIN_RESULT_FAILED:
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "dialog-error-symbolic");
      gtk_widget_add_css_class (box, "result-failed");
      break;
    case INIT_ADMIN_RESULT_PENDING:
    default:
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "content-loading-symbolic");
      gtk_widget_add_css_class (box, "result-pending");
      break;
    }
  gtk_label_set_text (GTK_LABEL (label), init_admin_history_row_get_result_text (row));
  gtk_widget_set_tooltip_text (box, init_admin_history_row_get_result_text (row));
}

static void
update_cell (GtkListItem *item)
{
  InitAdminHistoryRow *row = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), "init-admin-column"));

  if (row == NULL || child == NULL)
    return;
  switch (column)
    {
    case COLUMN_TIME:
      {
        g_autofree char *time = init_admin_format_time (init_admin_history_row_get_timestamp (row));

        gtk_label_set_text (GTK_LABEL (child), time);
      }
      break;
    case COLUMN_TITLE:
      {
        GtkWidget *icon = gtk_widget_get_first_child (child);
        GtkWidget *label = gtk_widget_get_next_sibling (icon);

        gtk_image_set_from_icon_name (GTK_IMAGE (icon),
                                      kind_icon (init_admin_history_row_get_kind (row)));
        gtk_label_set_text (GTK_LABEL (label), init_admin_history_row_get_title (row));
        gtk_widget_set_tooltip_text (label, init_admin_history_row_get_title (row));
        if (init_admin_history_row_get_highlighted (row))
          gtk_widget_add_css_class (child, "highlighted");
        else
          gtk_widget_remove_css_class (child, "highlighted");
      }
      break;
    case COLUMN_CAUSE:
      gtk_label_set_text (GTK_LABEL (child), init_admin_history_row_get_cause (row));
      gtk_widget_set_tooltip_text (child, init_admin_history_row_get_cause (row));
      break;
    case COLUMN_RESULT:
      set_result (child, row);
      break;
    case COLUMN_EFFECT:
    default:
      gtk_label_set_text (GTK_LABEL (child), init_admin_history_row_get_effect (row));
      gtk_widget_set_tooltip_text (child, init_admin_history_row_get_effect (row));
      break;
    }
}

static void
on_row_notify (InitAdminHistoryRow *row,
               GParamSpec          *pspec,
               GtkListItem         *item)
{
  update_cell (item);
}

static GtkWidget *
ellipsized_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  return label;
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
    case COLUMN_TIME:
      child = gtk_label_new (NULL);
      gtk_widget_add_css_class (child, "numeric");
      gtk_widget_add_css_class (child, "dim-label");
      break;
    case COLUMN_TITLE:
    case COLUMN_RESULT:
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (child), gtk_image_new ());
      gtk_box_append (GTK_BOX (child), ellipsized_label ());
      gtk_widget_add_css_class (child, column == COLUMN_TITLE ? "history-title" : "history-result");
      break;
    case COLUMN_CAUSE:
    case COLUMN_EFFECT:
    default:
      child = ellipsized_label ();
      break;
    }
  gtk_list_item_set_child (item, child);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  update_cell (item);
  g_signal_connect (gtk_list_item_get_item (item), "notify", G_CALLBACK (on_row_notify), item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gpointer row = gtk_list_item_get_item (item);

  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, on_row_notify, item);
}

static GtkListItemFactory *
make_factory (guint column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), GUINT_TO_POINTER (column));
  return factory;
}

/* The details pane lists a job's events in one column: time, title, cause and effect. */
static void
compact_update (GtkListItem *item)
{
  InitAdminHistoryRow *row = gtk_list_item_get_item (item);
  GtkWidget *grid = gtk_list_item_get_child (item);
  GtkWidget *time = gtk_grid_get_child_at (GTK_GRID (grid), 0, 0);
  GtkWidget *title = gtk_grid_get_child_at (GTK_GRID (grid), 1, 0);
  GtkWidget *detail = gtk_grid_get_child_at (GTK_GRID (grid), 1, 1);
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;
  const char *cause, *effect, *result;

  if (row == NULL)
    return;
  when = init_admin_format_time (init_admin_history_row_get_timestamp (row));
  cause = init_admin_history_row_get_cause (row);
  effect = init_admin_history_row_get_effect (row);
  result = init_admin_history_row_get_result_text (row);
  /* Translators: one line under an event: cause · result · effect */
  line = g_strjoin (" · ", cause[0] != '\0' ? cause : "—", result[0] != '\0' ? result : "—",
                    effect[0] != '\0' ? effect : NULL, NULL);
  gtk_label_set_text (GTK_LABEL (time), when);
  gtk_label_set_text (GTK_LABEL (title), init_admin_history_row_get_title (row));
  gtk_label_set_text (GTK_LABEL (detail), line);
}

static void
compact_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *title = ellipsized_label ();
  GtkWidget *detail = ellipsized_label ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_top (grid, 4);
  gtk_widget_set_margin_bottom (grid, 4);
  gtk_widget_add_css_class (time, "numeric");
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), time, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), title, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), detail, 1, 1, 1, 1);
  gtk_list_item_set_child (item, grid);
}

static void
compact_notify (InitAdminHistoryRow *row,
                GParamSpec          *pspec,
                GtkListItem         *item)
{
  compact_update (item);
}

static void
compact_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  compact_update (item);
  g_signal_connect (gtk_list_item_get_item (item), "notify", G_CALLBACK (compact_notify), item);
}

static void
compact_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  gpointer row = gtk_list_item_get_item (item);

  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, compact_notify, item);
}

GtkListItemFactory *
init_admin_history_view_make_compact_factory (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (compact_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (compact_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (compact_unbind_cb), NULL);
  return factory;
}

/* ---- filter, pause, clear ---- */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  InitAdminHistoryView *self = user_data;
  guint64 id = init_admin_history_row_get_id (item);

  if (id <= self->cleared_at)
    return FALSE;
  if (self->paused_at != 0 && id > self->paused_at)
    return FALSE;
  return init_admin_history_row_matches (item, self->folded);
}

static void
update_status (InitAdminHistoryView *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0;

  /* "No events" only once the daemon said so: while it is asked, the view says so. */
  if (empty && self->history != NULL && init_admin_history_get_loading (self->history))
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
  if (self->paused_at != 0 && self->history != NULL)
    {
      GListModel *rows = init_admin_history_get_rows (self->history);
      guint n = g_list_model_get_n_items (rows), held = 0;
      g_autofree char *text = NULL;

      /* Newest first: the held-back rows are at the top. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(InitAdminHistoryRow) row = g_list_model_get_item (rows, i);

          if (init_admin_history_row_get_id (row) <= self->paused_at)
            break;
          held++;
        }
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Paused: %u new entry",
                                           "Paused: %u new entries", held), held);
      gtk_label_set_text (self->paused_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->paused_label), self->paused_at != 0);
}

void
init_admin_history_view_set_paused (InitAdminHistoryView *self,
                                    gboolean              paused)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_VIEW (self));

  if (paused == (self->paused_at != 0))
    return;
  if (paused)
    {
      self->paused_at = MAX (self->history != NULL ? init_admin_history_get_last_id (self->history) : 0, 1);
      gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_MORE_STRICT);
    }
  else
    {
      self->paused_at = 0;
      gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
    }
  if (gtk_toggle_button_get_active (self->pause_button) != paused)
    gtk_toggle_button_set_active (self->pause_button, paused);
  update_status (self);
}

void
init_admin_history_view_clear (InitAdminHistoryView *self)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_VIEW (self));

  if (self->history == NULL)
    return;
  self->cleared_at = self->paused_at != 0 ? self->paused_at
                                          : init_admin_history_get_last_id (self->history);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_MORE_STRICT);
  update_status (self);
}

void
init_admin_history_view_set_filter_text (InitAdminHistoryView *self,
                                         const char           *text)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_VIEW (self));

  g_free (self->folded);
  self->folded = g_utf8_casefold (text != NULL ? text : "", -1);
  g_strstrip (self->folded);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  /* Setting the text deletes it first, and an emptied search entry reports at once: the
   * filter would be cleared until the new text's report comes (the job list does the same). */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)), text) != 0)
    {
      self->syncing_entry = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text != NULL ? text : "");
      self->syncing_entry = FALSE;
    }
}

static void
on_filter_changed (InitAdminHistoryView *self)
{
  if (self->syncing_entry)
    return;
  init_admin_history_view_set_filter_text (self, gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
}

static void
on_pause_toggled (InitAdminHistoryView *self)
{
  init_admin_history_view_set_paused (self, gtk_toggle_button_get_active (self->pause_button));
}

static void
on_clear_clicked (InitAdminHistoryView *self)
{
  init_admin_history_view_clear (self);
}

/* ---- selection and highlight ---- */

static void
on_selected_item (InitAdminHistoryView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ROW]);
}

InitAdminHistoryRow *
init_admin_history_view_get_selected_row (InitAdminHistoryView *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_VIEW (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

void
init_admin_history_view_select_row (InitAdminHistoryView *self,
                                    InitAdminHistoryRow  *row)
{
  GListModel *shown;
  guint n;

  g_return_if_fail (INIT_ADMIN_IS_HISTORY_VIEW (self));

  shown = G_LIST_MODEL (self->filtered);
  n = g_list_model_get_n_items (shown);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(InitAdminHistoryRow) item = g_list_model_get_item (shown, i);

      if (item == row)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
apply_highlight (InitAdminHistoryView *self,
                 guint                 position,
                 guint                 n)
{
  GListModel *rows;

  if (self->history == NULL)
    return;
  rows = init_admin_history_get_rows (self->history);
  for (guint i = position; i < position + n; i++)
    {
      g_autoptr(InitAdminHistoryRow) row = g_list_model_get_item (rows, i);

      init_admin_history_row_set_highlighted (row, init_admin_history_row_affects (row, self->highlight_job));
    }
}

void
init_admin_history_view_set_highlight_job (InitAdminHistoryView *self,
                                           const char           *job)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_VIEW (self));

  if (g_strcmp0 (self->highlight_job, job) == 0)
    return;
  g_free (self->highlight_job);
  self->highlight_job = g_strdup (job);
  if (self->history != NULL)
    apply_highlight (self, 0, g_list_model_get_n_items (init_admin_history_get_rows (self->history)));
}

/* GtkListView keeps the rows in view where they are when rows are inserted above them; a
 * timeline read from the top should show the new rows instead. */
static gboolean
scroll_top_cb (gpointer user_data)
{
  InitAdminHistoryView *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);

  self->top_idle = 0;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
  self->at_top = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_shown_changed (GListModel           *shown,
                  guint                 position,
                  guint                 removed,
                  guint                 added,
                  InitAdminHistoryView *self)
{
  if (position == 0 && added > 0 && self->at_top && self->top_idle == 0)
    self->top_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 30, scroll_top_cb, self, NULL);
}

static void
on_scrolled (GtkAdjustment        *adjustment,
             InitAdminHistoryView *self)
{
  if (self->top_idle == 0)
    self->at_top = gtk_adjustment_get_value (adjustment) <= gtk_adjustment_get_lower (adjustment) + 1;
}

static void
on_rows_changed (GListModel           *rows,
                 guint                 position,
                 guint                 removed,
                 guint                 added,
                 InitAdminHistoryView *self)
{
  if (self->highlight_job != NULL)
    apply_highlight (self, position, added);
  update_status (self);
}

void
init_admin_history_view_set_history (InitAdminHistoryView *self,
                                     InitAdminHistory     *history)
{
  GListModel *rows;

  g_return_if_fail (INIT_ADMIN_IS_HISTORY_VIEW (self));
  g_return_if_fail (self->history == NULL);

  self->history = g_object_ref (history);
  rows = init_admin_history_get_rows (history);
  gtk_filter_list_model_set_model (self->filtered, rows);
  g_signal_connect (rows, "items-changed", G_CALLBACK (on_rows_changed), self);
  g_signal_connect_swapped (history, "loading", G_CALLBACK (update_status), self);
  g_signal_connect_swapped (history, "loaded", G_CALLBACK (update_status), self);
  update_status (self);
}

GListModel *
init_admin_history_view_get_shown (InitAdminHistoryView *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_VIEW (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

/* ---- GObject ---- */

static void
init_admin_history_view_dispose (GObject *object)
{
  InitAdminHistoryView *self = INIT_ADMIN_HISTORY_VIEW (object);

  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_handle_id (&self->top_idle, g_source_remove);
  if (self->history != NULL)
    {
      g_signal_handlers_disconnect_by_data (init_admin_history_get_rows (self->history), self);
      g_signal_handlers_disconnect_by_data (self->history, self);
    }
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), INIT_ADMIN_TYPE_HISTORY_VIEW);
  /* Children the template does not bind are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (init_admin_history_view_parent_class)->dispose (object);
}

static void
init_admin_history_view_finalize (GObject *object)
{
  InitAdminHistoryView *self = INIT_ADMIN_HISTORY_VIEW (object);

  g_free (self->folded);
  g_free (self->highlight_job);

  G_OBJECT_CLASS (init_admin_history_view_parent_class)->finalize (object);
}

static void
init_admin_history_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  InitAdminHistoryView *self = INIT_ADMIN_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED_ROW:
      g_value_set_object (value, init_admin_history_view_get_selected_row (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_admin_history_view_class_init (InitAdminHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_history_view_dispose;
  object_class->finalize = init_admin_history_view_finalize;
  object_class->get_property = init_admin_history_view_get_property;

  properties[PROP_SELECTED_ROW] =
    g_param_spec_object ("selected-row", NULL, NULL, INIT_ADMIN_TYPE_HISTORY_ROW,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  init_admin_ensure_resources ();
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, INIT_ADMIN_RESOURCE "/init-admin-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, InitAdminHistoryView, paused_label);
  gtk_widget_class_bind_template_child (widget_class, InitAdminHistoryView, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, InitAdminHistoryView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, InitAdminHistoryView, column_view);
  gtk_widget_class_bind_template_child (widget_class, InitAdminHistoryView, scrolled);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_pause_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
}

void
init_admin_history_view_start_filter (InitAdminHistoryView *self)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

static void
init_admin_history_view_init (InitAdminHistoryView *self)
{
  const char *titles[N_COLUMNS] = {
    _("Time"), _("What happened"), _("Caused by"), _("Result"), _("Started, stopped, failed"),
  };
  const int widths[N_COLUMNS] = { 80, 260, 200, 160, -1 };

  self->folded = g_strdup ("");
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_entry_set_search_delay (self->filter_entry, 100);

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkColumnViewColumn *column = gtk_column_view_column_new (titles[i], make_factory (i));

      gtk_column_view_column_set_resizable (column, TRUE);
      if (widths[i] > 0)
        gtk_column_view_column_set_fixed_width (column, widths[i]);
      else
        gtk_column_view_column_set_expand (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selected_item), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_status), self);
  g_signal_connect (self->filtered, "items-changed", G_CALLBACK (on_shown_changed), self);
  init_admin_focus_tab_past (GTK_WIDGET (self->column_view));
  self->at_top = TRUE;
  g_signal_connect (gtk_scrolled_window_get_vadjustment (self->scrolled), "value-changed",
                    G_CALLBACK (on_scrolled), self);
}
