/* init-admin-env-editor.c — an environment as a list of KEY=VALUE entries */
#define G_LOG_DOMAIN "init-admin"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "init-admin-env-editor.h"
#include "init-admin-resources.h"

struct _InitAdminEnvEditor
{
  GtkWidget parent_instance;

  GtkListBox *list;
  GtkButton  *add_button;
  GtkLabel   *message_label;
  GPtrArray  *entries;     /* GtkEntry* (not owned) in order */
  GStrv       required;    /* names that must have a value (an instance's variables) */
  gboolean    valid;
};

G_DEFINE_FINAL_TYPE (InitAdminEnvEditor, init_admin_env_editor, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
init_admin_env_entry_is_valid (const char *entry)
{
  const char *eq = entry != NULL ? strchr (entry, '=') : NULL;

  if (eq == NULL || eq == entry)
    return FALSE;
  if (!g_ascii_isalpha (entry[0]) && entry[0] != '_')
    return FALSE;
  for (const char *p = entry; p < eq; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* The entry that gives @name a value, NULL if none does ("NAME=" gives none). */
static GtkWidget *
find_value (InitAdminEnvEditor *self,
            const char         *name)
{
  gsize len = strlen (name);

  for (guint i = 0; i < self->entries->len; i++)
    {
      GtkWidget *entry = g_ptr_array_index (self->entries, i);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

      if (strncmp (text, name, len) == 0 && text[len] == '=' && text[len + 1] != '\0')
        return entry;
    }
  return NULL;
}

/* The first required name without a value, NULL if all have one. */
static const char *
missing_value (InitAdminEnvEditor *self)
{
  for (gsize i = 0; self->required != NULL && self->required[i] != NULL; i++)
    if (find_value (self, self->required[i]) == NULL)
      return self->required[i];
  return NULL;
}

static void
revalidate (InitAdminEnvEditor *self)
{
  const char *missing = missing_value (self);
  gboolean valid = missing == NULL;

  for (guint i = 0; i < self->entries->len; i++)
    {
      GtkWidget *entry = g_ptr_array_index (self->entries, i);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
      gboolean ok = text[0] == '\0' || init_admin_env_entry_is_valid (text);

      if (ok)
        gtk_widget_remove_css_class (entry, "error");
      else
        gtk_widget_add_css_class (entry, "error");
      valid &= ok;
    }
  if (missing != NULL)
    {
      /* Translators: %s is a variable name such as TTY */
      g_autofree char *text = g_strdup_printf (_("%s needs a value: it names the instance."), missing);

      gtk_label_set_text (self->message_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), missing != NULL);
  if (self->valid != valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

static void
on_remove_clicked (GtkButton *button,
                   GtkWidget *row)
{
  InitAdminEnvEditor *self = g_object_get_data (G_OBJECT (row), "init-admin-editor");
  GtkWidget *entry = g_object_get_data (G_OBJECT (row), "init-admin-entry");

  g_ptr_array_remove (self->entries, entry);
  gtk_list_box_remove (self->list, row);
  revalidate (self);
}

static GtkWidget *
add_entry (InitAdminEnvEditor *self,
           const char         *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* Tab goes straight to the entry: the row itself does nothing. */
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("NAME=value"));
  /* Enter in any variable submits the dialog, as it does in a dialog's first field. */
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Variable"), -1);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove variable"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove variable"), -1);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "init-admin-editor", self);
  g_object_set_data (G_OBJECT (row), "init-admin-entry", entry);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), row);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (revalidate), self);
  gtk_list_box_append (self->list, row);
  g_ptr_array_add (self->entries, entry);
  return entry;
}

static void
on_add_clicked (InitAdminEnvEditor *self)
{
  GtkWidget *entry = add_entry (self, NULL);

  gtk_widget_grab_focus (entry);
  revalidate (self);
}

void
init_admin_env_editor_set_env (InitAdminEnvEditor *self,
                               const char *const  *env)
{
  GtkWidget *child;

  g_return_if_fail (INIT_ADMIN_IS_ENV_EDITOR (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->entries, 0);
  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    add_entry (self, env[i]);
  if (self->entries->len == 0)
    add_entry (self, NULL);
  revalidate (self);
}

char **
init_admin_env_editor_get_env (InitAdminEnvEditor *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (INIT_ADMIN_IS_ENV_EDITOR (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (self->entries, i)));

      if (text[0] != '\0')
        g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

void
init_admin_env_editor_set_required (InitAdminEnvEditor *self,
                                    const char *const  *names)
{
  g_return_if_fail (INIT_ADMIN_IS_ENV_EDITOR (self));

  g_strfreev (self->required);
  self->required = g_strdupv ((char **) names);
  revalidate (self);
}

gboolean
init_admin_env_editor_focus_first (InitAdminEnvEditor *self)
{
  GtkWidget *entry;

  g_return_val_if_fail (INIT_ADMIN_IS_ENV_EDITOR (self), FALSE);

  if (self->entries->len == 0)
    return FALSE;
  entry = g_ptr_array_index (self->entries, 0);
  /* Focusing an entry selects its text: typing would replace "TTY=" instead of adding to it. */
  if (!gtk_widget_grab_focus (entry))
    return FALSE;
  gtk_editable_select_region (GTK_EDITABLE (entry), -1, -1);
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
  return TRUE;
}

gboolean
init_admin_env_editor_get_valid (InitAdminEnvEditor *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_ENV_EDITOR (self), FALSE);
  return self->valid;
}

static void
init_admin_env_editor_dispose (GObject *object)
{
  InitAdminEnvEditor *self = INIT_ADMIN_ENV_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), INIT_ADMIN_TYPE_ENV_EDITOR);
  /* Children the template does not bind are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (init_admin_env_editor_parent_class)->dispose (object);
}

static void
init_admin_env_editor_finalize (GObject *object)
{
  InitAdminEnvEditor *self = INIT_ADMIN_ENV_EDITOR (object);

  g_ptr_array_unref (self->entries);
  g_strfreev (self->required);

  G_OBJECT_CLASS (init_admin_env_editor_parent_class)->finalize (object);
}

static void
init_admin_env_editor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  InitAdminEnvEditor *self = INIT_ADMIN_ENV_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_admin_env_editor_class_init (InitAdminEnvEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_env_editor_dispose;
  object_class->finalize = init_admin_env_editor_finalize;
  object_class->get_property = init_admin_env_editor_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  init_admin_ensure_resources ();
  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  gtk_widget_class_set_template_from_resource (widget_class, INIT_ADMIN_RESOURCE "/init-admin-env-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, InitAdminEnvEditor, list);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEnvEditor, add_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminEnvEditor, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
}

static void
init_admin_env_editor_init (InitAdminEnvEditor *self)
{
  self->entries = g_ptr_array_new ();
  self->valid = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  add_entry (self, NULL);
}

GtkWidget *
init_admin_env_editor_new (void)
{
  return g_object_new (INIT_ADMIN_TYPE_ENV_EDITOR, NULL);
}
