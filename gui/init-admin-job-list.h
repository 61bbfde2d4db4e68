/* init-admin-job-list.h — the job list: search as you type, state filter, sortable columns
 *
 * Rows (InitAdminJobModel) → GtkSortListModel (the column view's sorter) → GtkFilterListModel
 * (search text and state; synchronous, and told whether a new search is stricter or looser
 * than the last so it re-checks only what can change) → GtkSingleSelection → GtkColumnView.
 */
#pragma once

#include <gtk/gtk.h>

#include "init-admin-job-model.h"

G_BEGIN_DECLS

typedef enum
{
  INIT_ADMIN_STATE_FILTER_ALL,
  INIT_ADMIN_STATE_FILTER_RUNNING,   /* running, starting or stopping */
  INIT_ADMIN_STATE_FILTER_STOPPED,
  INIT_ADMIN_STATE_FILTER_FAILED,
} InitAdminStateFilter;

#define INIT_ADMIN_TYPE_JOB_LIST (init_admin_job_list_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminJobList, init_admin_job_list, INIT_ADMIN, JOB_LIST, GtkWidget)

void             init_admin_job_list_set_model (InitAdminJobList  *self,
                                                InitAdminJobModel *model);
/* The selected row, or NULL ("selected-row" notifies). */
InitAdminJobRow *init_admin_job_list_get_selected_row (InitAdminJobList *self);
/* Select @row if it is shown; FALSE if the filter hides it. */
gboolean         init_admin_job_list_select_row (InitAdminJobList *self,
                                                 InitAdminJobRow  *row);
/* Give the keyboard focus to the selected row (scrolled into view), or to the list. */
void             init_admin_job_list_focus_selected (InitAdminJobList *self);
/* Show the search bar and focus it; Enter there selects the first job shown (unless the
 * selected one is shown) and focuses it in the list.  Enter on a row emits "row-activated". */
void             init_admin_job_list_start_search (InitAdminJobList *self);
/* Where key presses are captured for search-as-you-type (the window). */
void             init_admin_job_list_set_key_capture_widget (InitAdminJobList *self,
                                                             GtkWidget        *widget);
void             init_admin_job_list_set_search_text (InitAdminJobList *self,
                                                      const char       *text);
void             init_admin_job_list_set_state_filter (InitAdminJobList    *self,
                                                       InitAdminStateFilter filter);
/* The rows shown, in order (tests, benchmarks). */
GListModel *init_admin_job_list_get_shown (InitAdminJobList *self);
/* The cell widget of @row in @column (0 name, 1 state, 2 pid, 3 description) if it is
 * realized on screen, else NULL (tests). */
GtkWidget *init_admin_job_list_get_cell (InitAdminJobList *self,
                                         InitAdminJobRow  *row,
                                         guint             column);

G_END_DECLS
