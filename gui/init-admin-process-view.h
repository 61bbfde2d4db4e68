/* init-admin-process-view.h — the process trees of a job's instances (details, Overview)
 *
 * A "Processes" section: for each instance, every live process it has (Instance.GetProcessTree)
 * as a list, one row per process with its pid, its role ("main", "post-start" … or none for a
 * descendant) and its command line, indented by its depth below the processes the instance
 * started.  A tree is read again when its instance's Processes property changes and when
 * the section's refresh button is pressed (descendants come and go without a signal).
 */
#pragma once

#include <gtk/gtk.h>

#include "init-dbus-generated.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_PROCESS_ITEM (init_admin_process_item_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminProcessItem, init_admin_process_item, INIT_ADMIN, PROCESS_ITEM, GObject)

/* One process of a tree. */
int         init_admin_process_item_get_pid (InitAdminProcessItem *self);
int         init_admin_process_item_get_ppid (InitAdminProcessItem *self);
/* "main", "pre-start" …, "" for a descendant. */
const char *init_admin_process_item_get_role (InitAdminProcessItem *self);
const char *init_admin_process_item_get_command (InitAdminProcessItem *self);
/* 0 for a process the instance started (or an orphan), 1 for its child … */
guint       init_admin_process_item_get_depth (InitAdminProcessItem *self);

#define INIT_ADMIN_TYPE_PROCESS_VIEW (init_admin_process_view_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminProcessView, init_admin_process_view, INIT_ADMIN, PROCESS_VIEW, GtkWidget)

GtkWidget *init_admin_process_view_new (void);
/* Show the trees of @instances (InitDBusInstance; NULL or empty: none).  Instances already
 * shown keep their list; new ones are read. */
void        init_admin_process_view_set_instances (InitAdminProcessView *self,
                                                   GPtrArray            *instances);
/* Read every tree again (what the refresh button does). */
void        init_admin_process_view_refresh (InitAdminProcessView *self);
/* The processes (InitAdminProcessItem, in display order) shown for the instance named
 * @instance ("" for a single-instance job), or NULL if it is not shown. */
GListModel *init_admin_process_view_get_processes (InitAdminProcessView *self,
                                                   const char           *instance);

G_END_DECLS
