/* init-admin-suggestions.h — a list of suggestions under an entry that never changes what is typed
 *
 * GTK 4.8's GtkEntryCompletion was not fit for typing at a person's pace: its inline
 * completion raced the keys ("weather" became "weatherer"), and while its list was shown it
 * swallowed Enter and kept the list open after the focus had left.  This list only shows:
 * the entry keeps the keyboard, Down/Up pick a suggestion, Enter on a picked one takes it
 * (otherwise Enter goes on to the entry: the dialog's default button), Escape or leaving
 * the entry closes the list, and a click takes a suggestion.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_SUGGESTIONS (init_admin_suggestions_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminSuggestions, init_admin_suggestions, INIT_ADMIN, SUGGESTIONS, GObject)

/* Suggest for @entry (the list lives as long as the entry). */
InitAdminSuggestions *init_admin_suggestions_attach (GtkEntry             *entry);
/* The words to suggest from (copied). */
void                  init_admin_suggestions_set_words (InitAdminSuggestions *self,
                                                        const char *const    *words);
/* The words, in order. */
const char *const *init_admin_suggestions_get_words (InitAdminSuggestions *self);
/* Whether the list is shown. */
gboolean              init_admin_suggestions_is_shown (InitAdminSuggestions *self);

G_END_DECLS
