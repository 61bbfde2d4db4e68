/* init-admin-env-editor.h — an environment as a list of KEY=VALUE entries
 *
 * Used for Start (the job's extra environment, which also names an instance) and for Emit
 * (the event's environment).  Entries that are not KEY=VALUE are marked and make the editor
 * invalid ("valid" notifies), so the dialog can refuse them before the daemon does.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_ENV_EDITOR (init_admin_env_editor_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminEnvEditor, init_admin_env_editor, INIT_ADMIN, ENV_EDITOR, GtkWidget)

GtkWidget *init_admin_env_editor_new (void);
/* Replace every entry (an empty editor keeps one blank entry to type into). */
void        init_admin_env_editor_set_env (InitAdminEnvEditor *self,
                                           const char *const  *env);
/* The non-blank entries, in order. */
char **init_admin_env_editor_get_env (InitAdminEnvEditor *self);
gboolean    init_admin_env_editor_get_valid (InitAdminEnvEditor *self);
/* Names that must be given a value (an instance's variables): while one has none the editor
 * is invalid and says so under the entries. */
void        init_admin_env_editor_set_required (InitAdminEnvEditor *self,
                                                const char *const  *names);
/* Focus the first entry with the cursor at its end (after a prefilled "NAME="). */
gboolean    init_admin_env_editor_focus_first (InitAdminEnvEditor *self);
/* TRUE if @entry is NAME=value with a valid name. */
gboolean    init_admin_env_entry_is_valid (const char *entry);

G_END_DECLS
