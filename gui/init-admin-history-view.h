/* init-admin-history-view.h — the live event timeline
 *
 * Newest first: time, what happened (an event with its environment, a request, a failure, a
 * configuration change), who or what caused it, the result, and what it started, stopped or
 * failed.  Pause keeps the view still (new rows are counted, not shown); clear hides what is
 * there now; the filter matches event and job names.  Selecting a row reports it (the
 * window highlights the jobs it affected); rows that moved the selected job are highlighted.
 */
#pragma once

#include <gtk/gtk.h>

#include "init-admin-history.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_HISTORY_VIEW (init_admin_history_view_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminHistoryView, init_admin_history_view, INIT_ADMIN, HISTORY_VIEW, GtkWidget)

void                 init_admin_history_view_set_history (InitAdminHistoryView *self,
                                                          InitAdminHistory     *history);
/* "selected-row" notifies. */
InitAdminHistoryRow *init_admin_history_view_get_selected_row (InitAdminHistoryView *self);
void                 init_admin_history_view_select_row (InitAdminHistoryView *self,
                                                         InitAdminHistoryRow  *row);
/* Highlight the rows that affected @job (NULL: none). */
void                 init_admin_history_view_set_highlight_job (InitAdminHistoryView *self,
                                                                const char           *job);
void                 init_admin_history_view_set_paused (InitAdminHistoryView *self,
                                                         gboolean              paused);
void                 init_admin_history_view_clear (InitAdminHistoryView *self);
void                 init_admin_history_view_set_filter_text (InitAdminHistoryView *self,
                                                              const char           *text);
/* Put the keyboard focus in the filter (Ctrl+Shift+F). */
void                 init_admin_history_view_start_filter (InitAdminHistoryView *self);
/* The rows shown, newest first (tests). */
GListModel *init_admin_history_view_get_shown (InitAdminHistoryView *self);
/* Factory for the rows of the details pane's event list too. */
GtkListItemFactory *init_admin_history_view_make_compact_factory (void);

G_END_DECLS
