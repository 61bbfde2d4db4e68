/* init-admin-emit-dialog.c — emit an event and see its consequences */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "init-admin-emit-dialog.h"
#include "init-admin-env-editor.h"
#include "init-admin-error.h"
#include "init-admin-resources.h"
#include "init-admin-suggestions.h"

#define MAX_EVENT_NAME 256

typedef enum
{
  STAGE_FORM,
  STAGE_RUNNING,
  STAGE_DONE,
} Stage;

struct _InitAdminEmitDialog
{
  AdwWindow parent_instance;

  GtkButton          *close_button;
  GtkButton          *emit_button;
  GtkStack           *stack;
  GtkEntry           *name_entry;
  InitAdminEnvEditor *env_editor;
  GtkSwitch          *wait_switch;
  GtkSpinner         *outcome_spinner;
  GtkImage           *outcome_icon;
  GtkLabel           *outcome_title;
  GtkLabel           *outcome_effect;
  GtkLabel           *outcome_error;

  InitAdminClient      *client;
  InitAdminJobModel    *model;
  InitAdminHistory     *history;
  InitAdminSuggestions *suggestions;  /* owned by name_entry */
  GCancellable         *cancellable;

  Stage                stage;
  char                *name;          /* the event being emitted */
  guint64              event_id;      /* 0 until known */
  InitAdminHistoryRow *row;           /* its history row, once known */
  gboolean             replied;
  char                *error;
};

G_DEFINE_FINAL_TYPE (InitAdminEmitDialog, init_admin_emit_dialog, ADW_TYPE_WINDOW)

static gboolean
name_is_valid (const char *name)
{
  if (name == NULL || name[0] == '\0' || strlen (name) > MAX_EVENT_NAME)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return FALSE;
  return g_utf8_validate (name, -1, NULL);
}

static void
update_buttons (InitAdminEmitDialog *self)
{
  gboolean connected = init_admin_client_get_state (self->client) == INIT_ADMIN_CLIENT_CONNECTED;

  switch (self->stage)
    {
    case STAGE_FORM:
      gtk_button_set_label (self->emit_button, _("_Emit"));
      gtk_button_set_label (self->close_button, _("_Cancel"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->emit_button),
                                connected
                                && name_is_valid (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)))
                                && init_admin_env_editor_get_valid (self->env_editor));
      break;
    case STAGE_RUNNING:
      gtk_button_set_label (self->close_button, _("_Close"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->emit_button), FALSE);
      break;
    case STAGE_DONE:
    default:
      gtk_button_set_label (self->emit_button, _("Emit _Another"));
      gtk_button_set_label (self->close_button, _("_Close"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->emit_button), TRUE);
      break;
    }
}

static void
on_input_changed (InitAdminEmitDialog *self)
{
  update_buttons (self);
}

/* ---- outcome ---- */

static void
show_outcome (InitAdminEmitDialog *self)
{
  InitAdminResult result = self->row != NULL ? init_admin_history_row_get_result (self->row)
                                             : INIT_ADMIN_RESULT_PENDING;
  gboolean done = self->error != NULL
                  || (self->row != NULL && result != INIT_ADMIN_RESULT_PENDING && self->replied)
                  || (self->row != NULL && result == INIT_ADMIN_RESULT_FAILED);
  g_autofree char *title = NULL;
  const char *effect = self->row != NULL ? init_admin_history_row_get_effect (self->row) : "";

  if (self->error != NULL && result != INIT_ADMIN_RESULT_FAILED)
    title = g_strdup_printf (_("Could not emit “%s”"), self->name);
  else if (result == INIT_ADMIN_RESULT_FAILED)
    title = g_strdup_printf (_("“%s” finished, but a job failed"), self->name);
  else if (done)
    title = g_strdup_printf (_("“%s” finished"), self->name);
  else
    title = g_strdup_printf (_("“%s” is in progress…"), self->name);
  gtk_label_set_text (self->outcome_title, title);

  if (effect[0] != '\0')
    {
      g_autoptr(GString) lines = g_string_new (effect);

      /* One line per kind of consequence: started …, stopped …, failed: … */
      g_string_replace (lines, " · ", "\n", 0);
      gtk_label_set_text (self->outcome_effect, lines->str);
    }
  else if (done && self->error == NULL)
    gtk_label_set_text (self->outcome_effect, _("It did not start or stop any job."));
  else
    gtk_label_set_text (self->outcome_effect, "");

  gtk_widget_set_visible (GTK_WIDGET (self->outcome_error), self->error != NULL);
  gtk_label_set_text (self->outcome_error, self->error != NULL ? self->error : "");

  gtk_spinner_set_spinning (self->outcome_spinner, !done);
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_spinner), !done);
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_icon), done);
  gtk_image_set_from_icon_name (self->outcome_icon,
                                self->error != NULL || result == INIT_ADMIN_RESULT_FAILED
                                ? "dialog-error-symbolic" : "emblem-ok-symbolic");
  self->stage = done ? STAGE_DONE : STAGE_RUNNING;
  update_buttons (self);
}

static void
on_row_notify (InitAdminEmitDialog *self)
{
  show_outcome (self);
}

static void
follow_event (InitAdminEmitDialog *self,
              guint64              event_id)
{
  InitAdminHistoryRow *row;

  if (self->event_id == 0)
    self->event_id = event_id;
  if (self->row != NULL || self->event_id != event_id)
    return;
  row = init_admin_history_find_event (self->history, event_id);
  if (row == NULL)
    return;
  self->row = g_object_ref (row);
  g_signal_connect_object (row, "notify", G_CALLBACK (on_row_notify), self, G_CONNECT_SWAPPED);
}

/* The history row of our event appears when its record arrives. */
static void
on_history_rows_changed (InitAdminEmitDialog *self)
{
  if (self->event_id != 0 && self->row == NULL)
    {
      follow_event (self, self->event_id);
      show_outcome (self);
    }
}

/* EventEmitted names the caller: our pid and the name tell us which event is ours before
 * a waiting call returns. */
static void
on_event_emitted (InitDBusManager     *manager,
                  guint64              id,
                  const char          *name,
                  const char *const   *env,
                  GVariant            *cause,
                  InitAdminEmitDialog *self)
{
  guint32 pid = 0;

  if (self->stage != STAGE_RUNNING || self->event_id != 0 || g_strcmp0 (name, self->name) != 0)
    return;
  if (!g_variant_lookup (cause, "caller-pid", "u", &pid) || pid != (guint32) getpid ())
    return;
  follow_event (self, id);
  show_outcome (self);
}

static void
emit_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(InitAdminEmitDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);

  if (reply == NULL && init_admin_error_kind (error) == INIT_ADMIN_ERROR_KIND_CANCELLED)
    return;
  self->replied = TRUE;
  if (reply == NULL)
    self->error = init_admin_error_describe (error);
  else
    {
      guint64 id;

      g_variant_get (reply, "(t)", &id);
      follow_event (self, id);
    }
  show_outcome (self);
}

gboolean
init_admin_emit_dialog_emit (InitAdminEmitDialog *self)
{
  InitDBusManager *manager;
  g_auto (GStrv) env = NULL;
  const char *name;

  g_return_val_if_fail (INIT_ADMIN_IS_EMIT_DIALOG (self), FALSE);

  manager = init_admin_client_get_manager (self->client);
  name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  if (self->stage != STAGE_FORM || manager == NULL || !name_is_valid (name)
      || !init_admin_env_editor_get_valid (self->env_editor))
    return FALSE;

  env = init_admin_env_editor_get_env (self->env_editor);
  g_free (self->name);
  self->name = g_strdup (name);
  self->event_id = 0;
  self->replied = FALSE;
  g_clear_pointer (&self->error, g_free);
  if (self->row != NULL)
    g_signal_handlers_disconnect_by_data (self->row, self);
  g_clear_object (&self->row);
  self->stage = STAGE_RUNNING;
  gtk_stack_set_visible_child_name (self->stack, "outcome");
  show_outcome (self);

  g_signal_handlers_disconnect_by_func (manager, on_event_emitted, self);
  g_signal_connect_object (manager, "event-emitted", G_CALLBACK (on_event_emitted), self, 0);
  /* Emitting may need a password from the polkit agent; a waited-for event can take as long
   * as its jobs take. */
  g_dbus_proxy_call (G_DBUS_PROXY (manager), "EmitEvent",
                     g_variant_new ("(s^asb)", name, env, gtk_switch_get_active (self->wait_switch)),
                     INIT_ADMIN_CALL_FLAGS, INIT_ADMIN_CALL_TIMEOUT, self->cancellable, emit_cb,
                     g_object_ref (self));
  return TRUE;
}

static void
on_emit_clicked (InitAdminEmitDialog *self)
{
  if (self->stage == STAGE_DONE)
    {
      self->stage = STAGE_FORM;
      gtk_stack_set_visible_child_name (self->stack, "form");
      update_buttons (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
      return;
    }
  init_admin_emit_dialog_emit (self);
}

static void
on_close_clicked (InitAdminEmitDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

void
init_admin_emit_dialog_set_event (InitAdminEmitDialog *self,
                                  const char          *name,
                                  const char *const   *env,
                                  gboolean             wait)
{
  g_return_if_fail (INIT_ADMIN_IS_EMIT_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name != NULL ? name : "");
  init_admin_env_editor_set_env (self->env_editor, env);
  gtk_switch_set_active (self->wait_switch, wait);
  update_buttons (self);
}

gboolean
init_admin_emit_dialog_is_done (InitAdminEmitDialog *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_EMIT_DIALOG (self), FALSE);
  return self->stage == STAGE_DONE;
}

char *
init_admin_emit_dialog_get_outcome (InitAdminEmitDialog *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_EMIT_DIALOG (self), NULL);
  return g_strjoin ("\n", gtk_label_get_text (self->outcome_title),
                    gtk_label_get_text (self->outcome_effect),
                    gtk_label_get_text (self->outcome_error), NULL);
}

GStrv
init_admin_emit_dialog_get_suggestions (InitAdminEmitDialog *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_EMIT_DIALOG (self), NULL);
  return g_strdupv ((char **) init_admin_suggestions_get_words (self->suggestions));
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
fill_suggestions (InitAdminEmitDialog *self)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree const char **sorted = NULL;
  guint n;

  /* The daemon emits these itself; they are fine to emit by hand too. */
  g_hash_table_add (names, g_strdup ("startup"));
  init_admin_job_model_collect_event_names (self->model, names);
  sorted = (const char **) g_hash_table_get_keys_as_array (names, &n);
  g_qsort_with_data (sorted, n, sizeof (char *), compare_names, NULL);
  /* The keys array is NULL-terminated. */
  init_admin_suggestions_set_words (self->suggestions, sorted);
}

/* ---- GObject ---- */

static void
init_admin_emit_dialog_dispose (GObject *object)
{
  InitAdminEmitDialog *self = INIT_ADMIN_EMIT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->row != NULL)
    g_signal_handlers_disconnect_by_data (self->row, self);
  g_clear_object (&self->row);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->model);
  g_clear_object (&self->history);
  gtk_widget_dispose_template (GTK_WIDGET (self), INIT_ADMIN_TYPE_EMIT_DIALOG);

  G_OBJECT_CLASS (init_admin_emit_dialog_parent_class)->dispose (object);
}

static void
init_admin_emit_dialog_finalize (GObject *object)
{
  InitAdminEmitDialog *self = INIT_ADMIN_EMIT_DIALOG (object);

  g_free (self->name);
  g_free (self->error);

  G_OBJECT_CLASS (init_admin_emit_dialog_parent_class)->finalize (object);
}

static void
init_admin_emit_dialog_class_init (InitAdminEmitDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_emit_dialog_dispose;
  object_class->finalize = init_admin_emit_dialog_finalize;

  init_admin_ensure_resources ();
  g_type_ensure (INIT_ADMIN_TYPE_ENV_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class, INIT_ADMIN_RESOURCE "/init-admin-emit-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, emit_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, env_editor);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, wait_switch);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, outcome_spinner);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, outcome_icon);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, outcome_title);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, outcome_effect);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEmitDialog, outcome_error);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_emit_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
init_admin_emit_dialog_init (InitAdminEmitDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->suggestions = init_admin_suggestions_attach (self->name_entry);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->emit_button));
  /* Typing goes to the event name, not to Cancel, the first button in the header bar. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_entry));
}

InitAdminEmitDialog *
init_admin_emit_dialog_new (GtkWindow         *parent,
                            InitAdminClient   *client,
                            InitAdminJobModel *model,
                            InitAdminHistory  *history)
{
  InitAdminEmitDialog *self;

  g_return_val_if_fail (INIT_ADMIN_IS_CLIENT (client), NULL);

  self = g_object_new (INIT_ADMIN_TYPE_EMIT_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  self->model = g_object_ref (model);
  self->history = g_object_ref (history);
  g_signal_connect_object (init_admin_history_get_rows (history), "items-changed",
                           G_CALLBACK (on_history_rows_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (client, "notify::state", G_CALLBACK (update_buttons), self);
  fill_suggestions (self);
  update_buttons (self);
  return self;
}
