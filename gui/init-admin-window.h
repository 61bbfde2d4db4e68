/* init-admin-window.h — the main window: one daemon's jobs, the selected job, the timeline
 *
 * The header bar switches between the session and the system daemon and says which one is
 * shown and whether it is connected; when the daemon is not there an empty state says so,
 * and the window fills again by itself when it comes back.  Selecting an event highlights
 * the jobs it affected; selecting a job highlights the events that moved it.
 *
 * Window actions: win.bus (string "session" / "system"), win.search (Ctrl+F), win.emit
 * (Ctrl+E), win.start / win.stop / win.restart (Ctrl+Shift+S/T/R, for the selected job),
 * win.dismiss-error; the application adds app.quit, app.about and the shortcuts
 * window.
 */
#pragma once

#include <adwaita.h>

#include "init-admin-client.h"
#include "init-admin-details.h"
#include "init-admin-emit-dialog.h"
#include "init-admin-history-view.h"
#include "init-admin-job-list.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_WINDOW (init_admin_window_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminWindow, init_admin_window, INIT_ADMIN, WINDOW, AdwApplicationWindow)

/* @address: connect there instead of the bus's usual address (tests, demos), or NULL. */
InitAdminWindow *init_admin_window_new (GtkApplication  *application,
                                        InitAdminBus bus,
                                        const char *address);
void                  init_admin_window_set_bus (InitAdminWindow *self,
                                                 InitAdminBus     bus,
                                                 const char      *address);
InitAdminClient *init_admin_window_get_client (InitAdminWindow *self);
InitAdminJobModel *init_admin_window_get_job_model (InitAdminWindow *self);
InitAdminHistory *init_admin_window_get_history (InitAdminWindow *self);
InitAdminJobList *init_admin_window_get_job_list (InitAdminWindow *self);
InitAdminDetails *init_admin_window_get_details (InitAdminWindow *self);
InitAdminHistoryView *init_admin_window_get_history_view (InitAdminWindow *self);
/* Open (or raise) the emit dialog. */
InitAdminEmitDialog *init_admin_window_open_emit_dialog (InitAdminWindow *self);
/* Show an error in the banner. */
void                  init_admin_window_show_error (InitAdminWindow *self,
                                                    const char      *title,
                                                    const char      *message);
/* "title\nmessage" of the error shown, or NULL (tests). */
char *init_admin_window_get_error (InitAdminWindow *self);
/* "loading", "status" or "content", and the status page's title (tests). */
const char *init_admin_window_get_page (InitAdminWindow *self);
const char *init_admin_window_get_status_title (InitAdminWindow *self);
const char *init_admin_window_get_subtitle (InitAdminWindow *self);

/* While the daemon is away and its last known jobs are shown: the banner's text (else NULL). */
const char *init_admin_window_get_lost_text (InitAdminWindow *self);

/* The text of the last toast shown (tests). */
const char *init_admin_window_get_last_toast (InitAdminWindow *self);

G_END_DECLS
