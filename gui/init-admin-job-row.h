/* init-admin-job-row.h — one line of the job list: a job, or one instance of a job
 *
 * A job without instances has one row (stopped, or failed if its last run failed); a job
 * with instances has one row per instance.  The row reads its values from the proxies the
 * object manager client keeps up to date, and caches what the list sorts and filters on.
 */
#pragma once

#include <gio/gio.h>

#include "init-admin-format.h"
#include "init-dbus-generated.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_JOB_ROW (init_admin_job_row_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminJobRow, init_admin_job_row, INIT_ADMIN, JOB_ROW, GObject)

InitAdminJobRow *init_admin_job_row_new (InitDBusJob      *job);

InitDBusJob *init_admin_job_row_get_job (InitAdminJobRow *self);
/* NULL while the job has no instance. */
InitDBusInstance *init_admin_job_row_get_instance (InitAdminJobRow *self);
void              init_admin_job_row_set_instance (InitAdminJobRow  *self,
                                                   InitDBusInstance *instance);
/* The job failed last time and has not been started since (rows without an instance). */
void              init_admin_job_row_set_job_failed (InitAdminJobRow *self,
                                                     gboolean         failed);

/* Re-read the proxies; TRUE if anything the list sorts or filters on changed. */
gboolean          init_admin_job_row_refresh (InitAdminJobRow *self);

const char *init_admin_job_row_get_name (InitAdminJobRow *self);
const char *init_admin_job_row_get_job_name (InitAdminJobRow *self);
/* "" for a single-instance job's instance; NULL without an instance. */
const char *init_admin_job_row_get_instance_name (InitAdminJobRow *self);
const char *init_admin_job_row_get_description (InitAdminJobRow *self);
InitAdminStatus   init_admin_job_row_get_status (InitAdminJobRow *self);
/* "start/running", "stop/waiting" … */
const char *init_admin_job_row_get_goal_state (InitAdminJobRow *self);
int               init_admin_job_row_get_pid (InitAdminJobRow *self);
/* Case-folded name and description, for search. */
const char *init_admin_job_row_get_search_key (InitAdminJobRow *self);

gboolean          init_admin_job_row_get_highlighted (InitAdminJobRow *self);
void              init_admin_job_row_set_highlighted (InitAdminJobRow *self,
                                                      gboolean         highlighted);

G_END_DECLS
