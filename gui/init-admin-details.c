/* init-admin-details.c — the selected job: what it is, how it is doing, and the actions */
#define G_LOG_DOMAIN "init-admin"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "init-admin-details-private.h"
#include "init-admin-focus.h"
#include "init-admin-history-view.h"
#include "init-admin-log-view.h"
#include "init-admin-process-view.h"
#include "init-admin-resources.h"
#include "init-admin-state-cell.h"


G_DEFINE_FINAL_TYPE (InitAdminDetails, init_admin_details, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_ERROR,
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- definition in words ---- */

static void
add_fact (InitAdminDetails *self,
          int              *line,
          const char       *key,
          const char       *value,
          const char       *tooltip)
{
  GtkWidget *key_label, *value_label;

  if (value == NULL || value[0] == '\0')
    return;
  key_label = gtk_label_new (key);
  value_label = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (key_label), 1);
  gtk_label_set_yalign (GTK_LABEL (key_label), 0);
  gtk_widget_set_valign (key_label, GTK_ALIGN_START);
  gtk_widget_add_css_class (key_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_focusable (value_label, FALSE);   /* not a Tab stop */
  gtk_widget_set_hexpand (value_label, TRUE);
  if (tooltip != NULL && tooltip[0] != '\0')
    gtk_widget_set_tooltip_text (value_label, tooltip);
  gtk_grid_attach (self->definition_grid, key_label, 0, *line, 1, 1);
  gtk_grid_attach (self->definition_grid, value_label, 1, *line, 1, 1);
  (*line)++;
}

static void
fill_definition (InitAdminDetails *self,
                 InitDBusJob      *job)
{
  GtkWidget *child;
  g_autofree char *start_on = init_admin_format_condition (init_dbus_job_get_start_on_tree (job));
  g_autofree char *stop_on = init_admin_format_condition (init_dbus_job_get_stop_on_tree (job));
  g_autofree char *respawn = NULL;
  g_autofree char *kill = NULL;
  g_autofree char *processes = NULL;
  g_autofree char *emits = NULL;
  g_autofree char *instances = NULL;
  const char *pattern = init_dbus_job_get_instance_pattern (job);
  const char *const *defined = init_dbus_job_get_defined_processes (job);
  const char *const *emit_list = init_dbus_job_get_emits (job);
  guint32 count = 0, interval = 0;
  int line = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->definition_grid))) != NULL)
    gtk_grid_remove (self->definition_grid, child);

  if (init_dbus_job_get_respawn_limit (job) != NULL)
    g_variant_get (init_dbus_job_get_respawn_limit (job), "(uu)", &count, &interval);
  respawn = init_admin_format_respawn (init_dbus_job_get_respawn (job), count, interval);
  kill = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds",
                                       init_dbus_job_get_kill_timeout (job)),
                          init_dbus_job_get_kill_timeout (job));
  processes = defined != NULL ? g_strjoinv (", ", (char **) defined) : NULL;
  emits = emit_list != NULL ? g_strjoinv (", ", (char **) emit_list) : NULL;
  if (pattern != NULL && pattern[0] != '\0')
    /* Translators: %s is the instance pattern, e.g. $TTY */
    instances = g_strdup_printf (_("One per value of %s"), pattern);
  else
    instances = g_strdup (_("A single instance"));

  add_fact (self, &line, _("Starts"), start_on[0] != '\0' ? start_on : _("Only when started by hand"),
            init_dbus_job_get_start_on (job));
  add_fact (self, &line, _("Stops"), stop_on[0] != '\0' ? stop_on
            : _("When stopped by hand, or when it ends by itself"),
            init_dbus_job_get_stop_on (job));
  add_fact (self, &line, _("Kind"), init_dbus_job_get_task (job)
            ? _("Task: done when its process finishes")
            : _("Service: runs until stopped"), NULL);
  add_fact (self, &line, _("Respawn"), respawn, NULL);
  add_fact (self, &line, _("Instances"), instances, NULL);
  add_fact (self, &line, _("Output"), init_dbus_job_get_console (job), NULL);
  add_fact (self, &line, _("Processes"), processes, NULL);
  add_fact (self, &line, _("Kill timeout"), kill, NULL);
  add_fact (self, &line, _("Emits"), emits, NULL);
  add_fact (self, &line, _("Author"), init_dbus_job_get_author (job), NULL);
  add_fact (self, &line, _("Version"), init_dbus_job_get_version (job), NULL);
  add_fact (self, &line, _("Usage"), init_dbus_job_get_usage (job), NULL);
  add_fact (self, &line, _("Configuration"), init_dbus_job_get_config_file (job), NULL);
  add_fact (self, &line, _("Override"), init_dbus_job_get_override_file (job), NULL);
  if (init_dbus_job_get_deleted (job))
    add_fact (self, &line, _("Note"),
              _("Its file is gone: the job goes away when its last instance stops."), NULL);
}

static void
fill_instances (InitAdminDetails *self,
                const char       *job_name)
{
  GPtrArray *rows = init_admin_job_model_get_job_rows (self->model, job_name);
  g_autoptr(GPtrArray) instances = g_ptr_array_new ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->instances_list))) != NULL)
    gtk_list_box_remove (self->instances_list, child);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      InitAdminJobRow *row = g_ptr_array_index (rows, i);
      InitDBusInstance *instance = init_admin_job_row_get_instance (row);
      GtkWidget *action_row = adw_action_row_new ();
      GtkWidget *state = init_admin_state_cell_new ();
      g_autofree char *processes = NULL;
      g_autofree char *subtitle = NULL;
      const char *name;

      if (instance == NULL)
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), _("No instance"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), _("Nothing of this job is running."));
        }
      else
        {
          name = init_dbus_instance_get_name (instance);
          processes = init_admin_format_processes (init_dbus_instance_get_processes (instance));
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row),
                                         name[0] != '\0' ? name : _("The only instance"));
          subtitle = processes[0] != '\0' ? g_strdup_printf (_("Processes: %s"), processes)
                                          : g_strdup (_("No processes"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), subtitle);
        }
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
      init_admin_state_cell_set (INIT_ADMIN_STATE_CELL (state), init_admin_job_row_get_status (row),
                                 init_admin_job_row_get_goal_state (row));
      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), state);
      gtk_list_box_append (self->instances_list, action_row);
      if (instance != NULL)
        g_ptr_array_add (instances, instance);
    }
  init_admin_process_view_set_instances (self->process_view, instances);
}

static void
fill_failure (InitAdminDetails *self)
{
  InitDBusInstance *instance = init_admin_job_row_get_instance (self->row);
  g_autofree char *text = NULL;
  g_autofree char *failed_instance = NULL;
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;
  gint64 at = 0;
  gboolean now = init_admin_job_row_get_status (self->row) == INIT_ADMIN_STATUS_FAILED;

  if (instance != NULL && init_dbus_instance_get_failed (instance))
    {
      text = init_admin_format_failure (init_dbus_instance_get_failed_process (instance),
                                        init_dbus_instance_get_exit_status (instance),
                                        init_dbus_instance_get_exit_signal (instance));
      at = (gint64) init_dbus_instance_get_failed_at (instance);
    }
  else if (!init_admin_job_model_get_failure (self->model, init_admin_job_row_get_job_name (self->row),
                                              &text, &at, &failed_instance))
    {
      init_admin_failure_card_hide (self->failure_card);
      return;
    }
  when = at > 0 ? init_admin_format_time (at) : g_strdup ("?");
  if (now)
    /* Translators: the failure, then when, e.g. The main process exited with status 1 (at 14:02:11) */
    line = g_strdup_printf (_("Failed: %s (at %s)."), text, when);
  else
    line = g_strdup_printf (_("Last failure: %s (at %s)."), text, when);
  init_admin_failure_card_show (self->failure_card, line, now, init_admin_job_row_get_job (self->row),
                                failed_instance != NULL ? failed_instance
                                : init_admin_job_row_get_instance_name (self->row));
}

/* The newest configuration error in the job's file (or its override) since the job was last
 * loaded or changed: the edit was refused and the definition before it still holds. */
static void
fill_rejected (InitAdminDetails *self)
{
  InitDBusJob *job = init_admin_job_row_get_job (self->row);
  const char *name = init_admin_job_row_get_job_name (self->row);
  const char *file = init_dbus_job_get_config_file (job);
  const char *override = init_dbus_job_get_override_file (job);
  GListModel *rows = init_admin_history_get_rows (self->history);
  guint n = g_list_model_get_n_items (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(InitAdminHistoryRow) row = g_list_model_get_item (rows, i);
      const char *in = init_admin_history_row_get_file (row);
      const char *reason;
      g_autofree char *when = NULL;
      g_autofree char *where = NULL;
      g_autofree char *text = NULL;

      if (init_admin_history_row_get_kind (row) != INIT_ADMIN_HISTORY_CONFIG)
        continue;
      if (in == NULL && init_admin_history_row_affects (row, name))
        break;    /* loaded or changed since */
      if (in == NULL || in[0] == '\0' || (g_strcmp0 (in, file) != 0 && g_strcmp0 (in, override) != 0))
        continue;
      when = init_admin_format_time (init_admin_history_row_get_timestamp (row));
      /* The parser's message names the file, line and column ("x.conf:4:15: …"). */
      reason = init_admin_history_row_get_result_text (row);
      where = g_str_has_prefix (reason, in) ? g_strdup (reason) : g_strdup_printf ("%s: %s", in, reason);
      /* Translators: a change to a job file the daemon refused: when, then the file, line,
       * column and the parser's message */
      text = g_strdup_printf (_("Rejected edit (at %s): %s. The last good definition is in force."),
                              when, where);
      init_admin_failure_card_show (self->rejected_card, text, TRUE, NULL, NULL);
      return;
    }
  init_admin_failure_card_hide (self->rejected_card);
}

/* Why it is in its state: the newest event or request in the history that moved it. */
static void
fill_why (InitAdminDetails *self)
{
  GListModel *rows = init_admin_history_get_rows (self->history);
  const char *job = init_admin_job_row_get_job_name (self->row);
  guint n = g_list_model_get_n_items (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(InitAdminHistoryRow) row = g_list_model_get_item (rows, i);
      InitAdminHistoryKind kind = init_admin_history_row_get_kind (row);
      g_autofree char *when = NULL;
      g_autofree char *text = NULL;
      const char *cause;

      if ((kind != INIT_ADMIN_HISTORY_EVENT && kind != INIT_ADMIN_HISTORY_REQUEST)
          || !init_admin_history_row_affects (row, job)
          || (kind == INIT_ADMIN_HISTORY_EVENT && init_admin_history_row_get_effect (row)[0] == '\0'))
        continue;
      when = init_admin_format_time (init_admin_history_row_get_timestamp (row));
      cause = init_admin_history_row_get_cause (row);
      if (kind == INIT_ADMIN_HISTORY_EVENT)
        /* Translators: why a job is in its state: event, time, who emitted it */
        text = g_strdup_printf (_("Last moved by the event “%s” at %s (emitted by %s)."),
                                init_admin_history_row_get_title (row), when,
                                cause[0] != '\0' ? cause : "?");
      else
        /* Translators: why a job is in its state: request, time, who asked */
        text = g_strdup_printf (_("Last moved by “%s” at %s (asked by %s)."),
                                init_admin_history_row_get_title (row), when,
                                cause[0] != '\0' ? cause : "?");
      gtk_label_set_text (self->why_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->why_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->why_label), FALSE);
}

/* ---- refresh ---- */

static void
update_log_target (InitAdminDetails *self)
{
  InitDBusManager *manager = self->client != NULL ? init_admin_client_get_manager (self->client) : NULL;
  const char *instance = self->row != NULL ? init_admin_job_row_get_instance_name (self->row) : NULL;

  init_admin_log_view_set_target (self->log_view,
                                  self->row != NULL ? init_admin_job_row_get_job (self->row) : NULL,
                                  instance != NULL ? instance : "",
                                  manager != NULL ? init_dbus_manager_get_log_directory (manager) : "");
}

void
init_admin_details_refresh (InitAdminDetails *self)
{
  InitDBusJob *job;
  InitDBusInstance *instance;
  const char *description;
  guint busy;

  init_admin_details_update_actions (self);
  if (self->row == NULL)
    {
      gtk_stack_set_visible_child_name (self->details_stack, "empty");
      init_admin_process_view_set_instances (self->process_view, NULL);
      return;
    }
  gtk_stack_set_visible_child_name (self->details_stack, "job");
  job = init_admin_job_row_get_job (self->row);
  instance = init_admin_job_row_get_instance (self->row);

  gtk_label_set_text (self->title_label, init_admin_job_row_get_name (self->row));
  init_admin_state_cell_set (self->state_cell, init_admin_job_row_get_status (self->row),
                             init_admin_job_row_get_goal_state (self->row));
  {
    g_autofree char *processes = instance != NULL
      ? init_admin_format_processes (init_dbus_instance_get_processes (instance)) : NULL;

    gtk_label_set_text (self->processes_label, processes != NULL ? processes : "");
  }
  description = init_admin_job_row_get_description (self->row);
  gtk_label_set_text (self->description_label,
                      description != NULL && description[0] != '\0' ? description : _("No description."));
  busy = init_admin_details_busy_count (self, init_admin_job_row_get_name (self->row));
  gtk_widget_set_visible (self->busy_box, busy > 0);
  gtk_label_set_text (self->busy_label, _("Waiting for the daemon…"));
  fill_failure (self);
  fill_why (self);
  fill_rejected (self);
  fill_instances (self, init_admin_job_row_get_job_name (self->row));
  fill_definition (self, job);
  update_log_target (self);
}

static gboolean
events_filter_func (gpointer item,
                    gpointer user_data)
{
  InitAdminDetails *self = user_data;

  return self->row != NULL
         && init_admin_history_row_affects (item, init_admin_job_row_get_job_name (self->row));
}

static void
update_events_stack (InitAdminDetails *self)
{
  /* A new event may explain the job's state. */
  if (self->row != NULL)
    fill_why (self);
  gtk_stack_set_visible_child_name (self->events_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->events_model)) > 0
                                    ? "list" : "empty");
}

static void
on_row_notify (InitAdminDetails *self)
{
  init_admin_details_refresh (self);
}

void
init_admin_details_set_row (InitAdminDetails *self,
                            InitAdminJobRow  *row)
{
  g_return_if_fail (INIT_ADMIN_IS_DETAILS (self));

  if (self->row == row)
    return;
  if (self->row != NULL)
    g_signal_handlers_disconnect_by_func (self->row, on_row_notify, self);
  g_set_object (&self->row, row);
  if (row != NULL)
    g_signal_connect_swapped (row, "notify", G_CALLBACK (on_row_notify), self);
  gtk_filter_changed (GTK_FILTER (self->events_filter), GTK_FILTER_CHANGE_DIFFERENT);
  init_admin_details_refresh (self);
}

InitAdminJobRow *
init_admin_details_get_row (InitAdminDetails *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_DETAILS (self), NULL);
  return self->row;
}

static void
on_job_changed (InitAdminJobModel *model,
                const char        *job,
                InitAdminDetails  *self)
{
  if (self->row != NULL && g_strcmp0 (job, init_admin_job_row_get_job_name (self->row)) == 0)
    init_admin_details_refresh (self);
}

/* A configuration error concerns the job without affecting it: look again at every change. */
static void
on_history_changed (InitAdminDetails *self)
{
  if (self->row != NULL)
    fill_rejected (self);
}

void
init_admin_details_set_context (InitAdminDetails  *self,
                                InitAdminJobModel *model,
                                InitAdminHistory  *history)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (INIT_ADMIN_IS_DETAILS (self));
  g_return_if_fail (self->model == NULL);

  self->model = g_object_ref (model);
  self->history = g_object_ref (history);
  g_signal_connect (model, "job-changed", G_CALLBACK (on_job_changed), self);
  gtk_filter_list_model_set_model (self->events_model, init_admin_history_get_rows (history));
  g_signal_connect_swapped (init_admin_history_get_rows (history), "items-changed",
                            G_CALLBACK (on_history_changed), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->events_model)));
  gtk_list_view_set_model (self->events_list, GTK_SELECTION_MODEL (selection));
  update_events_stack (self);
}

static void
on_client_state (InitAdminDetails *self)
{
  init_admin_details_refresh (self);
}

void
init_admin_details_set_client (InitAdminDetails *self,
                               InitAdminClient  *client)
{
  g_return_if_fail (INIT_ADMIN_IS_DETAILS (self));

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  g_hash_table_remove_all (self->busy);
  if (client != NULL)
    g_signal_connect_swapped (client, "notify::state", G_CALLBACK (on_client_state), self);
  init_admin_details_refresh (self);
}

void
init_admin_details_show_page (InitAdminDetails *self,
                              const char       *page)
{
  g_return_if_fail (INIT_ADMIN_IS_DETAILS (self));
  gtk_stack_set_visible_child_name (self->pages, page);
}

const char *
init_admin_details_get_failure_text (InitAdminDetails *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_DETAILS (self), NULL);
  return init_admin_failure_card_get_text (self->failure_card);
}

static void
on_page_changed (InitAdminDetails *self)
{
  init_admin_log_view_set_active (self->log_view,
                                  g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "log") == 0);
}

/* ---- GObject ---- */

static void
init_admin_details_dispose (GObject *object)
{
  InitAdminDetails *self = INIT_ADMIN_DETAILS (object);

  init_admin_details_set_row (self, NULL);
  if (self->file_viewer != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->file_viewer), (gpointer *) &self->file_viewer);
      self->file_viewer = NULL;
    }
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  if (self->events_model != NULL)
    g_signal_handlers_disconnect_by_data (self->events_model, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (init_admin_history_get_rows (self->history), self);
  if (self->events_list != NULL)
    gtk_list_view_set_model (self->events_list, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), INIT_ADMIN_TYPE_DETAILS);
  /* Children the template does not bind are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->events_model);
  g_clear_object (&self->events_filter);
  g_clear_object (&self->model);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (init_admin_details_parent_class)->dispose (object);
}

static void
init_admin_details_finalize (GObject *object)
{
  InitAdminDetails *self = INIT_ADMIN_DETAILS (object);

  g_hash_table_unref (self->busy);

  G_OBJECT_CLASS (init_admin_details_parent_class)->finalize (object);
}

static void
init_admin_details_class_init (InitAdminDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_details_dispose;
  object_class->finalize = init_admin_details_finalize;

  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  init_admin_details_install_actions (widget_class);

  init_admin_ensure_resources ();
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  g_type_ensure (ADW_TYPE_SPLIT_BUTTON);
  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  g_type_ensure (INIT_ADMIN_TYPE_STATE_CELL);
  g_type_ensure (INIT_ADMIN_TYPE_LOG_VIEW);
  g_type_ensure (INIT_ADMIN_TYPE_PROCESS_VIEW);
  g_type_ensure (INIT_ADMIN_TYPE_FAILURE_CARD);
  gtk_widget_class_set_template_from_resource (widget_class, INIT_ADMIN_RESOURCE "/init-admin-details.ui");
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, details_stack);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, title_label);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, start_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, stop_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, restart_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, more_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, state_cell);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, processes_label);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, busy_box);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, busy_label);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, description_label);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, why_label);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, failure_card);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, rejected_card);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, pages);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, instances_list);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, process_view);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, definition_grid);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, log_view);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, events_stack);
  gtk_widget_class_bind_template_child (widget_class, InitAdminDetails, events_list);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
}

static void
init_admin_details_init (InitAdminDetails *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->events_filter = gtk_custom_filter_new (events_filter_func, self, NULL);
  self->events_model = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->events_filter)));
  g_signal_connect_swapped (self->events_model, "items-changed", G_CALLBACK (update_events_stack), self);
  factory = init_admin_history_view_make_compact_factory ();
  gtk_list_view_set_factory (self->events_list, factory);
  init_admin_focus_tab_past (GTK_WIDGET (self->events_list));

  init_admin_details_refresh (self);
}
