/* init-admin-details-private.h — what the details pane's files share
 *
 * init-admin-details.c shows the selected job (header, failure, pages);
 * init-admin-details-actions.c runs its actions (calls to the daemon, the start dialog).
 */
#pragma once

#include "init-admin-details.h"
#include "init-admin-failure-card.h"
#include "init-admin-file-viewer.h"
#include "init-admin-log-view.h"
#include "init-admin-process-view.h"
#include "init-admin-state-cell.h"

G_BEGIN_DECLS

struct _InitAdminDetails
{
  GtkWidget parent_instance;

  GtkStack             *details_stack;
  GtkLabel             *title_label;
  GtkWidget            *start_button;
  GtkWidget            *stop_button;
  GtkWidget            *restart_button;
  GtkWidget            *more_button;
  InitAdminStateCell   *state_cell;
  GtkLabel             *processes_label;
  GtkWidget            *busy_box;
  GtkLabel             *busy_label;
  GtkLabel             *description_label;
  GtkLabel             *why_label;
  InitAdminFailureCard *failure_card;
  InitAdminFailureCard *rejected_card;
  GtkStack             *pages;
  GtkListBox           *instances_list;
  InitAdminProcessView *process_view;
  GtkGrid              *definition_grid;
  InitAdminLogView     *log_view;
  GtkStack             *events_stack;
  GtkListView          *events_list;

  InitAdminClient     *client;
  InitAdminJobModel   *model;
  InitAdminHistory    *history;
  InitAdminJobRow     *row;
  GtkCustomFilter     *events_filter;
  GtkFilterListModel  *events_model;
  InitAdminFileViewer *file_viewer;  /* the last one opened (weak) */
  GHashTable          *busy;         /* job display name -> GUINT_TO_POINTER (calls pending) */
};

/* Show the row's current state again (header, pages, which actions make sense). */
void  init_admin_details_refresh (InitAdminDetails *self);
/* Enable the actions that make sense for the row's state now. */
void  init_admin_details_update_actions (InitAdminDetails *self);
/* How many calls for the job (display name) are waiting for the daemon. */
guint init_admin_details_busy_count (InitAdminDetails *self,
                                     const char       *name);
/* Install "job.start", "job.start-env", "job.stop", "job.restart" and "job.reload". */
void  init_admin_details_install_actions (GtkWidgetClass *widget_class);

G_END_DECLS
