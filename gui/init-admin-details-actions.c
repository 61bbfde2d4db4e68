/* init-admin-details-actions.c — the selected job's actions: Start (with an environment),
 * Stop, Restart, as calls to the daemon that allow interactive authorisation */
#define G_LOG_DOMAIN "init-admin"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "init-admin-details-private.h"
#include "init-admin-env-editor.h"
#include "init-admin-error.h"
#include "init-admin-file-viewer.h"

guint
init_admin_details_busy_count (InitAdminDetails *self,
                               const char       *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->busy, name));
}

void
init_admin_details_update_actions (InitAdminDetails *self)
{
  InitDBusInstance *instance = self->row != NULL ? init_admin_job_row_get_instance (self->row) : NULL;
  const char *pattern = self->row != NULL ? init_dbus_job_get_instance_pattern (init_admin_job_row_get_job (self->row)) : NULL;
  gboolean multi = pattern != NULL && pattern[0] != '\0';
  gboolean usable = self->row != NULL && self->client != NULL
                    && init_admin_client_get_state (self->client) == INIT_ADMIN_CLIENT_CONNECTED
                    && init_admin_details_busy_count (self, init_admin_job_row_get_name (self->row)) == 0;
  gboolean going_down = instance != NULL && g_strcmp0 (init_dbus_instance_get_goal (instance), "stop") == 0;
  gboolean can_start = usable && (multi || instance == NULL || going_down);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.start", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.start-env", usable && (multi || instance == NULL || going_down));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.stop", usable && instance != NULL && !going_down);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.restart", usable && instance != NULL && !going_down);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.reload", usable && instance != NULL && !going_down);
  /* Looking at the file needs no daemon: also while it is away. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.open-file",
                                 self->row != NULL
                                 && init_dbus_job_get_config_file (init_admin_job_row_get_job (self->row)) != NULL
                                 && init_dbus_job_get_config_file (init_admin_job_row_get_job (self->row))[0] != '\0');
}

typedef struct
{
  InitAdminDetails *self;
  char             *name;      /* display name */
  const char       *verb;      /* "start", "stop", "restart" */
} Call;

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;
  InitAdminDetails *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  guint n = init_admin_details_busy_count (self, call->name);

  if (n <= 1)
    g_hash_table_remove (self->busy, call->name);
  else
    g_hash_table_insert (self->busy, g_strdup (call->name), GUINT_TO_POINTER (n - 1));

  if (reply == NULL && init_admin_error_is_job_failed (error))
    {
      /* The job's failure card says what failed, how and when, with its log: a banner
       * repeating the daemon's account of it in other words would say it twice. */
      g_autofree char *text = g_strdup_printf (_("“%s” failed (shown with the job)"), call->name);

      g_signal_emit_by_name (self, "toast", text);
    }
  else if (reply == NULL && init_admin_error_kind (error) != INIT_ADMIN_ERROR_KIND_CANCELLED)
    {
      g_autofree char *title = NULL;
      g_autofree char *message = init_admin_error_describe (error);

      if (g_str_equal (call->verb, "start"))
        title = g_strdup_printf (_("Could not start “%s”"), call->name);
      else if (g_str_equal (call->verb, "stop"))
        title = g_strdup_printf (_("Could not stop “%s”"), call->name);
      else if (g_str_equal (call->verb, "reload"))
        title = g_strdup_printf (_("Could not reload “%s”"), call->name);
      else
        title = g_strdup_printf (_("Could not restart “%s”"), call->name);
      g_signal_emit_by_name (self, "error", title, message);
    }
  else if (reply != NULL)
    {
      g_autofree char *text = NULL;

      if (g_str_equal (call->verb, "start"))
        text = g_strdup_printf (_("Started “%s”"), call->name);
      else if (g_str_equal (call->verb, "stop"))
        text = g_strdup_printf (_("Stopped “%s”"), call->name);
      else if (g_str_equal (call->verb, "reload"))
        text = g_strdup_printf (_("Sent the reload signal to “%s”"), call->name);
      else
        text = g_strdup_printf (_("Restarted “%s”"), call->name);
      g_signal_emit_by_name (self, "toast", text);
    }
  init_admin_details_refresh (self);
  g_object_unref (self);
  g_free (call->name);
  g_free (call);
}

static void
call (InitAdminDetails *self,
      GDBusProxy       *proxy,
      const char       *method,
      GVariant         *params,
      const char       *verb)
{
  Call *data = g_new0 (Call, 1);
  const char *name = init_admin_job_row_get_name (self->row);

  data->self = g_object_ref (self);
  data->name = g_strdup (name);
  data->verb = verb;
  g_hash_table_insert (self->busy, g_strdup (name), GUINT_TO_POINTER (init_admin_details_busy_count (self, name) + 1));
  /* Changes may need a password from the polkit agent, and wait for the outcome however
   * long the job takes. */
  g_dbus_proxy_call (proxy, method, params, INIT_ADMIN_CALL_FLAGS, INIT_ADMIN_CALL_TIMEOUT,
                     init_admin_client_get_cancellable (self->client), call_done_cb, data);
  init_admin_details_refresh (self);
}

void
init_admin_details_start_with_env (InitAdminDetails  *self,
                                   const char *const *env)
{
  static const char *const none[] = { NULL };

  g_return_if_fail (INIT_ADMIN_IS_DETAILS (self));
  g_return_if_fail (self->row != NULL);

  call (self, G_DBUS_PROXY (init_admin_job_row_get_job (self->row)), "Start",
        g_variant_new ("(^asb)", env != NULL ? env : none, TRUE), "start");
}

/* The names of every $KEY or ${KEY…} in an instance pattern. */
static char **
pattern_variables (const char *pattern)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (const char *p = pattern != NULL ? pattern : ""; (p = strchr (p, '$')) != NULL;)
    {
      const char *name = p[1] == '{' ? p + 2 : p + 1;
      const char *end = name;
      g_autofree char *var = NULL;

      while (g_ascii_isalnum (*end) || *end == '_')
        end++;
      p = end;
      if (end == name)
        continue;
      var = g_strndup (name, end - name);
      g_strv_builder_add (builder, var);
    }
  return g_strv_builder_end (builder);
}

static void
on_start_dialog_response (AdwMessageDialog *dialog,
                          const char       *response,
                          InitAdminDetails *self)
{
  InitAdminEnvEditor *editor = INIT_ADMIN_ENV_EDITOR (adw_message_dialog_get_extra_child (dialog));
  g_auto (GStrv) env = NULL;

  if (g_strcmp0 (response, "start") != 0 || self->row == NULL)
    return;
  env = init_admin_env_editor_get_env (editor);
  init_admin_details_start_with_env (self, (const char *const *) env);
}

static void
on_editor_valid (InitAdminEnvEditor *editor,
                 GParamSpec         *pspec,
                 AdwMessageDialog   *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "start", init_admin_env_editor_get_valid (editor));
}

static void
open_start_dialog (InitAdminDetails *self)
{
  InitDBusJob *job = init_admin_job_row_get_job (self->row);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = g_strdup_printf (_("Start “%s”"), init_dbus_job_get_name (job));
  g_auto (GStrv) vars = pattern_variables (init_dbus_job_get_instance_pattern (job));
  g_autoptr(GStrvBuilder) prefill = g_strv_builder_new ();
  g_auto (GStrv) entries = NULL;
  const char *usage = init_dbus_job_get_usage (job);
  g_autofree char *body = NULL;
  GtkWidget *dialog, *editor;

  if (usage != NULL && usage[0] != '\0')
    body = g_strdup_printf (_("Add variables to the job’s environment. Usage: %s"), usage);
  else
    body = g_strdup (_("Add variables to the job’s environment. For a job with instances they also name the instance."));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  editor = init_admin_env_editor_new ();
  /* "KEY=" for each variable of the instance name, to fill in; each must get a value. */
  for (gsize i = 0; vars[i] != NULL; i++)
    {
      g_autofree char *entry = g_strconcat (vars[i], "=", NULL);

      g_strv_builder_add (prefill, entry);
    }
  entries = g_strv_builder_end (prefill);
  init_admin_env_editor_set_env (INIT_ADMIN_ENV_EDITOR (editor), (const char *const *) entries);
  init_admin_env_editor_set_required (INIT_ADMIN_ENV_EDITOR (editor), (const char *const *) vars);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), editor);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "start", _("_Start"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "start",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "start");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (editor, "notify::valid", G_CALLBACK (on_editor_valid), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_start_dialog_response), self, 0);
  on_editor_valid (INIT_ADMIN_ENV_EDITOR (editor), NULL, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  /* Typing goes to the first variable, after its "KEY=" (not to a button). */
  init_admin_env_editor_focus_first (INIT_ADMIN_ENV_EDITOR (editor));
}

static void
action_start (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  InitAdminDetails *self = INIT_ADMIN_DETAILS (widget);
  InitDBusInstance *instance;

  if (self->row == NULL)
    return;
  instance = init_admin_job_row_get_instance (self->row);
  if (instance != NULL)
    call (self, G_DBUS_PROXY (instance), "Start", g_variant_new ("(b)", TRUE), "start");
  else
    {
      const char *pattern = init_dbus_job_get_instance_pattern (init_admin_job_row_get_job (self->row));

      /* A job with instances needs the variables that name the instance. */
      if (pattern != NULL && pattern[0] != '\0')
        open_start_dialog (self);
      else
        init_admin_details_start_with_env (self, NULL);
    }
}

static void
action_start_env (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  InitAdminDetails *self = INIT_ADMIN_DETAILS (widget);

  if (self->row != NULL)
    open_start_dialog (self);
}

static void
action_stop_restart (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  InitAdminDetails *self = INIT_ADMIN_DETAILS (widget);
  InitDBusInstance *instance = self->row != NULL ? init_admin_job_row_get_instance (self->row) : NULL;
  gboolean stop = g_str_equal (action_name, "job.stop");

  if (instance == NULL)
    return;
  call (self, G_DBUS_PROXY (instance), stop ? "Stop" : "Restart", g_variant_new ("(b)", TRUE),
        stop ? "stop" : "restart");
}

void
init_admin_details_focus_actions (InitAdminDetails *self)
{
  GtkWidget *buttons[] = { self->start_button, self->stop_button, self->restart_button };

  g_return_if_fail (INIT_ADMIN_IS_DETAILS (self));

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    if (gtk_widget_is_sensitive (buttons[i]) && gtk_widget_child_focus (buttons[i], GTK_DIR_TAB_FORWARD))
      return;
  gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

/* The job's reload signal (its `reload signal`, SIGHUP by default) to its main process. */
static void
action_reload (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  InitAdminDetails *self = INIT_ADMIN_DETAILS (widget);
  InitDBusInstance *instance = self->row != NULL ? init_admin_job_row_get_instance (self->row) : NULL;

  if (instance != NULL)
    call (self, G_DBUS_PROXY (instance), "Reload", NULL, "reload");
}

/* The job's file in a window of its own, read-only. */
static void
action_open_file (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  InitAdminDetails *self = INIT_ADMIN_DETAILS (widget);
  const char *path;
  InitAdminFileViewer *viewer;

  if (self->row == NULL)
    return;
  path = init_dbus_job_get_config_file (init_admin_job_row_get_job (self->row));
  if (path == NULL || path[0] == '\0')
    return;
  viewer = init_admin_file_viewer_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                       init_admin_job_row_get_job_name (self->row), path);
  if (self->file_viewer != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->file_viewer), (gpointer *) &self->file_viewer);
  self->file_viewer = viewer;
  g_object_add_weak_pointer (G_OBJECT (viewer), (gpointer *) &self->file_viewer);
  gtk_window_present (GTK_WINDOW (viewer));
}

GtkWindow *
init_admin_details_get_file_viewer (InitAdminDetails *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_DETAILS (self), NULL);
  return self->file_viewer != NULL ? GTK_WINDOW (self->file_viewer) : NULL;
}

void
init_admin_details_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "job.start", NULL, action_start);
  gtk_widget_class_install_action (widget_class, "job.start-env", NULL, action_start_env);
  gtk_widget_class_install_action (widget_class, "job.stop", NULL, action_stop_restart);
  gtk_widget_class_install_action (widget_class, "job.restart", NULL, action_stop_restart);
  gtk_widget_class_install_action (widget_class, "job.reload", NULL, action_reload);
  gtk_widget_class_install_action (widget_class, "job.open-file", NULL, action_open_file);
}
