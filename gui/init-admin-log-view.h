/* init-admin-log-view.h — the output of a `console log` job, followed live
 *
 * Reads the tail with Job.GetLog, then follows Job.LogChanged: each change reads from where
 * the last read ended, so a chatty job costs one small read per signal (the daemon sends at
 * most about four a second).  Only reads while shown (set_active), so selecting jobs does not
 * fetch logs nobody looks at, and on the system bus no password is asked until the log is
 * opened.
 */
#pragma once

#include <gtk/gtk.h>

#include "init-dbus-generated.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_LOG_VIEW (init_admin_log_view_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminLogView, init_admin_log_view, INIT_ADMIN, LOG_VIEW, GtkWidget)

/* Show @job's log for @instance ("" for a single instance; NULL job: nothing).  @log_dir: the
 * daemon's LogDirectory ("" if it logs nothing). */
void        init_admin_log_view_set_target (InitAdminLogView *self,
                                            InitDBusJob      *job,
                                            const char       *instance,
                                            const char       *log_dir);
/* Read and follow only while active (the log page is visible). */
void        init_admin_log_view_set_active (InitAdminLogView *self,
                                            gboolean          active);
/* Everything shown (tests). */
char *init_admin_log_view_get_text (InitAdminLogView *self);
/* The message shown instead of text, or NULL (tests). */
const char *init_admin_log_view_get_message (InitAdminLogView *self);

G_END_DECLS
