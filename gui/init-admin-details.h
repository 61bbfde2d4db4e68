/* init-admin-details.h — the selected job: what it is, how it is doing, and the actions
 *
 * Header: name, state, processes, description, the last failure (which process, exit status
 * or signal, when) and Start / Stop / Restart, enabled only when they make sense for the
 * state.  Pages: Overview (instances with goal, state and processes; the definition in words:
 * start on, stop on, respawn …), Log (followed live) and Events (the history rows that moved
 * the job).
 *
 * The actions are "job.start", "job.start-env", "job.stop" and "job.restart", installed on
 * this widget.  Calls allow interactive authorization and wait for the outcome; failures are
 * reported with the "error" signal in plain words, successes with "toast".
 */
#pragma once

#include <gtk/gtk.h>

#include "init-admin-client.h"
#include "init-admin-history.h"
#include "init-admin-job-model.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_DETAILS (init_admin_details_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminDetails, init_admin_details, INIT_ADMIN, DETAILS, GtkWidget)

/* Signals:
 *   "error" (const char *title, const char *message)
 *   "toast" (const char *message)
 */

void             init_admin_details_set_context (InitAdminDetails  *self,
                                                 InitAdminJobModel *model,
                                                 InitAdminHistory  *history);
void             init_admin_details_set_client (InitAdminDetails *self,
                                                InitAdminClient  *client);
void             init_admin_details_set_row (InitAdminDetails *self,
                                             InitAdminJobRow  *row);
InitAdminJobRow *init_admin_details_get_row (InitAdminDetails *self);
/* Show a page: "overview", "log" or "events". */
void             init_admin_details_show_page (InitAdminDetails *self,
                                               const char       *page);
/* Give the keyboard focus to the first action that can be used now (Start, Stop or Restart),
 * else to the first control of the pane: Enter on a job row "opens" it. */
void             init_admin_details_focus_actions (InitAdminDetails *self);
/* Start with @env (what the environment dialog does). */
void             init_admin_details_start_with_env (InitAdminDetails  *self,
                                                    const char *const *env);
/* The failure line shown, or NULL (tests). */
const char *init_admin_details_get_failure_text (InitAdminDetails *self);
/* The window "job.open-file" opened last, while it is open, else NULL (tests). */
GtkWindow *init_admin_details_get_file_viewer (InitAdminDetails *self);

G_END_DECLS
