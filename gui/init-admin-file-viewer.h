/* init-admin-file-viewer.h — a job's file, read-only: what the daemon reads, to look at
 * without the risk of changing it (editing goes through the daemon's API elsewhere)
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_FILE_VIEWER (init_admin_file_viewer_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminFileViewer, init_admin_file_viewer, INIT_ADMIN, FILE_VIEWER, AdwWindow)

/* A window over @parent showing @path (read asynchronously; a file that cannot be read
 * says why).  @title: what the file is, e.g. the job's name. */
InitAdminFileViewer *init_admin_file_viewer_new (GtkWindow  *parent,
                                                 const char *title,
                                                 const char *path);
/* The text shown ("" until it is read) and whether it was read (tests). */
char *init_admin_file_viewer_get_text (InitAdminFileViewer *self);
gboolean             init_admin_file_viewer_get_loaded (InitAdminFileViewer *self);
/* The text view (tests: not editable). */
GtkTextView *init_admin_file_viewer_get_view (InitAdminFileViewer *self);

G_END_DECLS
