/* init-admin-failure-card.c — a job's failure at a glance, with the last lines of its log */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>
#include <string.h>

#include "init-admin-client.h"
#include "init-admin-failure-card.h"

/* Enough for five lines of ordinary output; the tail starts at a line inside it. */
#define TAIL_BYTES 2048

struct _InitAdminFailureCard
{
  GtkWidget parent_instance;

  GtkWidget    *icon;
  GtkWidget    *box;
  GtkLabel     *text_label;
  GtkLabel     *log_label;
  char         *shown_for;     /* job path, instance and text the log was read for */
  GCancellable *cancellable;   /* the log read for shown_for */
};

G_DEFINE_FINAL_TYPE (InitAdminFailureCard, init_admin_failure_card, GTK_TYPE_WIDGET)

/* The last INIT_ADMIN_FAILURE_LOG_LINES lines of @text that say something, terminal line
 * ends made plain. */
static char *
last_lines (const char *text)
{
  g_autoptr(GString) clean = g_string_new (text);
  g_auto (GStrv) lines = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  guint n;

  g_string_replace (clean, "\r\n", "\n", 0);
  g_string_replace (clean, "\r", "\n", 0);
  lines = g_strsplit (clean->str, "\n", -1);
  n = g_strv_length (lines);
  for (guint i = n; i > 0 && kept->len < INIT_ADMIN_FAILURE_LOG_LINES; i--)
    if (lines[i - 1][strspn (lines[i - 1], " \t")] != '\0')
      g_ptr_array_insert (kept, 0, lines[i - 1]);
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("\n", (char **) kept->pdata);
}

static void
get_log_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(InitAdminFailureCard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  g_autofree char *tail = NULL;
  const char *text;

  /* Not readable (another user's log on the system bus): the card without it. */
  if (reply == NULL)
    return;
  g_variant_get (reply, "(&sttt)", &text, NULL, NULL, NULL);
  tail = last_lines (text);
  gtk_label_set_text (self->log_label, tail);
  gtk_widget_set_visible (GTK_WIDGET (self->log_label), tail[0] != '\0');
}

void
init_admin_failure_card_show (InitAdminFailureCard *self,
                              const char           *text,
                              gboolean              now,
                              InitDBusJob          *job,
                              const char           *instance)
{
  g_autofree char *key = NULL;

  g_return_if_fail (INIT_ADMIN_IS_FAILURE_CARD (self));

  if (now)
    gtk_widget_add_css_class (GTK_WIDGET (self), "failed-now");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "failed-now");
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  key = g_strdup_printf ("%s\n%s\n%s", job != NULL ? g_dbus_proxy_get_object_path (G_DBUS_PROXY (job)) : "",
                         instance != NULL ? instance : "", text);
  if (g_strcmp0 (key, self->shown_for) == 0)
    return;
  g_free (self->shown_for);
  self->shown_for = g_steal_pointer (&key);
  gtk_label_set_text (self->text_label, text);
  gtk_label_set_text (self->log_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->log_label), FALSE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (job == NULL || g_strcmp0 (init_dbus_job_get_console (job), "log") != 0)
    return;
  self->cancellable = g_cancellable_new ();
  /* No password prompt for a mere selection: an unreadable log leaves the card without it. */
  g_dbus_proxy_call (G_DBUS_PROXY (job), "GetLog",
                     g_variant_new ("(stu)", instance != NULL ? instance : "", G_MAXUINT64, TAIL_BYTES),
                     G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, get_log_cb, g_object_ref (self));
}

void
init_admin_failure_card_hide (InitAdminFailureCard *self)
{
  g_return_if_fail (INIT_ADMIN_IS_FAILURE_CARD (self));

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_clear_pointer (&self->shown_for, g_free);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

const char *
init_admin_failure_card_get_text (InitAdminFailureCard *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_FAILURE_CARD (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self)) ? gtk_label_get_text (self->text_label) : NULL;
}

const char *
init_admin_failure_card_get_log (InitAdminFailureCard *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_FAILURE_CARD (self), NULL);
  return gtk_label_get_text (self->log_label);
}

static void
init_admin_failure_card_dispose (GObject *object)
{
  InitAdminFailureCard *self = INIT_ADMIN_FAILURE_CARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->shown_for, g_free);
  g_clear_pointer (&self->icon, gtk_widget_unparent);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (init_admin_failure_card_parent_class)->dispose (object);
}

static void
init_admin_failure_card_class_init (InitAdminFailureCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_failure_card_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "failurecard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkLabel *
card_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* A long message wraps instead of asking for a wide pane (the job list beside it would
   * give up its columns for it). */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
  /* Selectable with the mouse, not a Tab stop. */
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_focusable (label, FALSE);
  return GTK_LABEL (label);
}

static void
init_admin_failure_card_init (InitAdminFailureCard *self)
{
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self), "failure-card");
  self->icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_set_valign (self->icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Failure"), -1);
  gtk_widget_set_parent (self->icon, GTK_WIDGET (self));
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_hexpand (self->box, TRUE);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->text_label = card_label ();
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->text_label));
  self->log_label = card_label ();
  gtk_widget_add_css_class (GTK_WIDGET (self->log_label), "monospace");
  gtk_widget_add_css_class (GTK_WIDGET (self->log_label), "failure-log");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->log_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The last lines of its log"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->log_label), FALSE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->log_label));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
