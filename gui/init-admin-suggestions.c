/* init-admin-suggestions.c — a list of suggestions under an entry that never changes what is typed */
#define G_LOG_DOMAIN "init-admin"

#include <string.h>

#include "init-admin-suggestions.h"

#define MAX_SHOWN 8

struct _InitAdminSuggestions
{
  GObject parent_instance;

  GtkEntry           *entry; /* not owned: the entry owns us */
  GtkPopover         *popover; /* parented to the entry */
  GtkListBox         *list;
  GtkEventController *focus;
  GStrv               words;
};

G_DEFINE_FINAL_TYPE (InitAdminSuggestions, init_admin_suggestions, G_TYPE_OBJECT)

static void
hide (InitAdminSuggestions *self)
{
  if (self->popover == NULL)
    return;
  gtk_list_box_unselect_all (self->list);
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_popover_popdown (self->popover);
}

static void
take (InitAdminSuggestions *self,
      GtkListBoxRow        *row)
{
  GtkWidget *label = gtk_list_box_row_get_child (row);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), gtk_label_get_text (GTK_LABEL (label)));
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  hide (self);
}

/* The words that start with what is typed (and are longer): shown only while the entry has
 * the focus, so setting the text from code opens nothing. */
static void
on_changed (InitAdminSuggestions *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  gsize len = strlen (text);
  guint shown = 0;
  GtkWidget *child;

  if (self->popover == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (gsize i = 0; len > 0 && self->words != NULL && self->words[i] != NULL && shown < MAX_SHOWN; i++)
    if (strncmp (self->words[i], text, len) == 0 && self->words[i][len] != '\0')
      {
        GtkWidget *label = gtk_label_new (self->words[i]);

        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_widget_set_margin_start (label, 6);
        gtk_widget_set_margin_end (label, 6);
        gtk_list_box_append (self->list, label);
        gtk_widget_set_focusable (gtk_widget_get_parent (label), FALSE);
        shown++;
      }
  if (shown == 0 || !gtk_event_controller_focus_contains_focus (GTK_EVENT_CONTROLLER_FOCUS (self->focus)))
    hide (self);
  else if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_popover_popup (self->popover);
}

/* Down/Up pick, Enter takes the picked one, Escape closes; everything else is typing. */
static gboolean
on_key_pressed (InitAdminSuggestions  *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->list);
  GtkListBoxRow *next;
  int index;

  if (self->popover == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      index = selected != NULL ? gtk_list_box_row_get_index (selected) : -1;
      index += keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down ? 1 : -1;
      next = index >= 0 ? gtk_list_box_get_row_at_index (self->list, index) : NULL;
      if (next != NULL)
        gtk_list_box_select_row (self->list, next);
      else
        gtk_list_box_unselect_all (self->list);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      if (selected == NULL)
        {
          /* Nothing picked: Enter is the entry's (it submits what was typed). */
          hide (self);
          return FALSE;
        }
      take (self, selected);
      return TRUE;
    case GDK_KEY_Escape:
      hide (self);
      return TRUE;
    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
    case GDK_KEY_ISO_Left_Tab:
      /* The focus moves on from the entry, not into the list (a shown popover is a focus
       * stop of its parent). */
      hide (self);
      return FALSE;
    default:
      return FALSE;
    }
}

static void
on_row_activated (InitAdminSuggestions *self,
                  GtkListBoxRow        *row)
{
  take (self, row);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
on_entry_destroy (InitAdminSuggestions *self)
{
  if (self->popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->popover));
  self->popover = NULL;
}

static void
init_admin_suggestions_finalize (GObject *object)
{
  InitAdminSuggestions *self = INIT_ADMIN_SUGGESTIONS (object);

  g_strfreev (self->words);
  G_OBJECT_CLASS (init_admin_suggestions_parent_class)->finalize (object);
}

static void
init_admin_suggestions_class_init (InitAdminSuggestionsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = init_admin_suggestions_finalize;
}

static void
init_admin_suggestions_init (InitAdminSuggestions *self)
{
}

InitAdminSuggestions *
init_admin_suggestions_attach (GtkEntry *entry)
{
  InitAdminSuggestions *self;
  GtkEventController *keys;
  GtkWidget *scrolled;

  g_return_val_if_fail (GTK_IS_ENTRY (entry), NULL);

  self = g_object_new (INIT_ADMIN_TYPE_SUGGESTIONS, NULL);
  self->entry = entry;
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  /* The entry keeps the keyboard: the list is picked from with Down/Up, never focused. */
  gtk_widget_set_can_focus (GTK_WIDGET (self->list), FALSE);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->popover, scrolled);
  /* No autohide: an autohiding popover grabs the keyboard away from the entry. */
  gtk_popover_set_autohide (self->popover, FALSE);
  gtk_popover_set_has_arrow (self->popover, FALSE);
  gtk_popover_set_position (self->popover, GTK_POS_BOTTOM);
  gtk_widget_set_halign (GTK_WIDGET (self->popover), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (self->popover), "menu");
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (entry));

  g_signal_connect_object (self->list, "row-activated", G_CALLBACK (on_row_activated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (entry, "destroy", G_CALLBACK (on_entry_destroy), self, G_CONNECT_SWAPPED);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (entry), keys);
  self->focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (self->focus, "leave", G_CALLBACK (hide), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (entry), self->focus);

  g_object_set_data_full (G_OBJECT (entry), "init-admin-suggestions", self, g_object_unref);
  return self;
}

void
init_admin_suggestions_set_words (InitAdminSuggestions *self,
                                  const char *const    *words)
{
  g_return_if_fail (INIT_ADMIN_IS_SUGGESTIONS (self));

  g_strfreev (self->words);
  self->words = g_strdupv ((char **) words);
}

const char *const *
init_admin_suggestions_get_words (InitAdminSuggestions *self)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (INIT_ADMIN_IS_SUGGESTIONS (self), NULL);
  return self->words != NULL ? (const char *const *) self->words : none;
}

gboolean
init_admin_suggestions_is_shown (InitAdminSuggestions *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_SUGGESTIONS (self), FALSE);
  return self->popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->popover));
}
