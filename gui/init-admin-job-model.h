/* init-admin-job-model.h — every job and instance of the daemon as a list of rows, live
 *
 * Built from the object manager client's objects (one GetManagedObjects) and kept up to date
 * from its object-added / object-removed / interface-proxy-properties-changed signals: no
 * refresh, no polling.  A row whose state changes is spliced in place, so the sort and filter
 * models above re-place just that row.
 *
 * Failures outlive instances (a failed task's instance is gone as soon as it stops), so the
 * model also keeps each job's last failure, from the instance's last properties and from the
 * history's process-exited records (init_admin_job_model_add_record()).
 */
#pragma once

#include <gio/gio.h>

#include "init-admin-job-row.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_JOB_MODEL (init_admin_job_model_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminJobModel, init_admin_job_model, INIT_ADMIN, JOB_MODEL, GObject)

/* Signals:
 *   "job-changed" (const char *job_name)   its definition or its last failure changed
 */

InitAdminJobModel *init_admin_job_model_new (void);
/* Follow @object_manager (NULL: the daemon is gone, every row goes). */
void               init_admin_job_model_set_object_manager (InitAdminJobModel  *self,
                                                            GDBusObjectManager *object_manager);
/* A GListModel of InitAdminJobRow. */
GListModel *init_admin_job_model_get_rows (InitAdminJobModel *self);
/* Feed a history record (in id order): failures and new starts. */
void               init_admin_job_model_add_record (InitAdminJobModel *self,
                                                    gint64             timestamp,
                                                    const char        *kind,
                                                    GVariant          *details);
/* The last failure of @job: TRUE and its description, time and instance if it has one. */
gboolean           init_admin_job_model_get_failure (InitAdminJobModel *self,
                                                     const char        *job,
                                                     char             **text,
                                                     gint64            *when,
                                                     char             **instance);
/* Highlight the rows of the jobs in @jobs (a set of job names; NULL: none). */
void               init_admin_job_model_set_highlight (InitAdminJobModel *self,
                                                       GHashTable        *jobs);
/* The row of @job's @instance (NULL: the job's first row), or NULL. */
InitAdminJobRow *init_admin_job_model_find_row (InitAdminJobModel *self,
                                                const char        *job,
                                                const char        *instance);
/* The rows of @job (its instances, or its one row without an instance); NULL if unknown.
 * The array belongs to the model. */
GPtrArray *init_admin_job_model_get_job_rows (InitAdminJobModel *self,
                                              const char        *job);
/* Every event name the jobs refer to (start on, stop on, emits), added to @names. */
void               init_admin_job_model_collect_event_names (InitAdminJobModel *self,
                                                             GHashTable        *names);

/* The daemon went away: stop following it and keep its last rows as they are (the next
 * init_admin_job_model_set_object_manager() replaces them). */
void init_admin_job_model_keep_last_known (InitAdminJobModel *self);

G_END_DECLS
