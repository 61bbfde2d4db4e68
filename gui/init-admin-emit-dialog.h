/* init-admin-emit-dialog.h — emit an event and see its consequences
 *
 * The name entry completes from the events the jobs refer to (start on, stop on, emits);
 * the environment is a KEY=VALUE list; "wait" holds the call until the event has finished.
 * The outcome page follows the event in the history while it runs (the daemon's
 * EventEmitted names us as the caller, so the event is known before the reply) and shows
 * which jobs it started, stopped and which failed, and errors in plain words.
 */
#pragma once

#include <adwaita.h>

#include "init-admin-client.h"
#include "init-admin-history.h"
#include "init-admin-job-model.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_EMIT_DIALOG (init_admin_emit_dialog_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminEmitDialog, init_admin_emit_dialog, INIT_ADMIN, EMIT_DIALOG, AdwWindow)

InitAdminEmitDialog *init_admin_emit_dialog_new (GtkWindow           *parent,
                                                 InitAdminClient     *client,
                                                 InitAdminJobModel   *model,
                                                 InitAdminHistory    *history);
void                 init_admin_emit_dialog_set_event (InitAdminEmitDialog *self,
                                                       const char          *name,
                                                       const char *const   *env,
                                                       gboolean             wait);
/* Press Emit (FALSE if the form is not valid). */
gboolean             init_admin_emit_dialog_emit (InitAdminEmitDialog *self);
/* TRUE once the outcome is final (finished, failed, or an error). */
gboolean             init_admin_emit_dialog_is_done (InitAdminEmitDialog *self);
/* The outcome as shown: title, effects and error, one per line (tests). */
char *init_admin_emit_dialog_get_outcome (InitAdminEmitDialog *self);
/* Event names offered for completion, sorted (tests). */
GStrv                init_admin_emit_dialog_get_suggestions (InitAdminEmitDialog *self);

G_END_DECLS
