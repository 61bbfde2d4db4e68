/* init-admin-focus.h — keyboard focus around lists: Tab past a list, focus one of its rows
 *
 * GTK 4.8's list and column views make every row a Tab stop (GtkListView:tab-behavior came
 * in 4.12), so Tab walks 5,000 rows before it reaches the next control.  A list made
 * "tab-past" leaves on one Tab (or Shift+Tab), as a GNOME user expects; the arrow keys still
 * move between rows.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Tab and Shift+Tab pressed anywhere in @list (a GtkListView or GtkColumnView) move the
 * focus to the next (previous) control outside it. */
void     init_admin_focus_tab_past (GtkWidget *list);

/* Give the keyboard focus to the row of @list that holds @cell (a cell widget bound to a
 * row); FALSE if @cell is not in @list. */
gboolean init_admin_focus_row_of (GtkWidget *list,
                                  GtkWidget *cell);

G_END_DECLS
