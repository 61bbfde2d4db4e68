/* init-admin-history-row.h — one line of the event timeline
 *
 * An event (with its environment, who emitted it, its result and the jobs it started and
 * stopped), a goal change someone asked for or a respawn, a process that failed, or a
 * configuration change.  Rows change after they appear: an event's result and effects fill
 * in as its history records arrive.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  INIT_ADMIN_HISTORY_EVENT,
  INIT_ADMIN_HISTORY_REQUEST,   /* a goal change not caused by an event: a caller, respawn … */
  INIT_ADMIN_HISTORY_FAILURE,   /* a process failed */
  INIT_ADMIN_HISTORY_CONFIG,    /* jobs added, changed, removed; configuration errors */
} InitAdminHistoryKind;

typedef enum
{
  INIT_ADMIN_RESULT_PENDING,
  INIT_ADMIN_RESULT_OK,
  INIT_ADMIN_RESULT_FAILED,
} InitAdminResult;

#define INIT_ADMIN_TYPE_HISTORY_ROW (init_admin_history_row_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminHistoryRow, init_admin_history_row, INIT_ADMIN, HISTORY_ROW, GObject)

InitAdminHistoryRow *init_admin_history_row_new (InitAdminHistoryKind kind,
                                                 guint64 id,
                                                 gint64 timestamp);

InitAdminHistoryKind  init_admin_history_row_get_kind (InitAdminHistoryRow *self);
/* The id of the record that created the row (rows are ordered by it). */
guint64               init_admin_history_row_get_id (InitAdminHistoryRow *self);
gint64                init_admin_history_row_get_timestamp (InitAdminHistoryRow *self);
/* For event rows: the event's id, else 0. */
guint64               init_admin_history_row_get_event_id (InitAdminHistoryRow *self);
void                  init_admin_history_row_set_event_id (InitAdminHistoryRow *self,
                                                           guint64              event_id);

/* For a configuration error: the job file it is in, else NULL. */
const char *init_admin_history_row_get_file (InitAdminHistoryRow *self);
void                  init_admin_history_row_set_file (InitAdminHistoryRow *self,
                                                       const char          *file);
const char *init_admin_history_row_get_title (InitAdminHistoryRow *self);
void                  init_admin_history_row_set_title (InitAdminHistoryRow *self,
                                                        const char          *title);
const char *init_admin_history_row_get_cause (InitAdminHistoryRow *self);
void                  init_admin_history_row_set_cause (InitAdminHistoryRow *self,
                                                        const char          *cause);
InitAdminResult       init_admin_history_row_get_result (InitAdminHistoryRow *self);
const char *init_admin_history_row_get_result_text (InitAdminHistoryRow *self);
void                  init_admin_history_row_set_result (InitAdminHistoryRow *self,
                                                         InitAdminResult      result,
                                                         const char          *text);

/* What it did to a job (@instance "" or NULL for a single instance): verb is "started",
 * "stopped", "restarted" or "failed".  Each job is listed once per verb. */
void                  init_admin_history_row_add_effect (InitAdminHistoryRow *self,
                                                         const char          *verb,
                                                         const char          *job,
                                                         const char          *instance);
/* "started hello, heartbeat · stopped weather" */
const char *init_admin_history_row_get_effect (InitAdminHistoryRow *self);
/* The jobs started by it (display names), in order. */
GPtrArray *init_admin_history_row_get_started (InitAdminHistoryRow *self);
GPtrArray *init_admin_history_row_get_failed (InitAdminHistoryRow *self);
/* A job it concerns without an effect (a failure, a configuration change). */
void                  init_admin_history_row_add_job (InitAdminHistoryRow *self,
                                                      const char          *job);
/* Every job (by job name) it affected or concerns. */
gboolean              init_admin_history_row_affects (InitAdminHistoryRow *self,
                                                      const char          *job);
GHashTable *init_admin_history_row_get_jobs (InitAdminHistoryRow *self);
/* Title and jobs, case-folded, for the name filter. */
gboolean              init_admin_history_row_matches (InitAdminHistoryRow *self,
                                                      const char          *folded);

gboolean              init_admin_history_row_get_highlighted (InitAdminHistoryRow *self);
void                  init_admin_history_row_set_highlighted (InitAdminHistoryRow *self,
                                                              gboolean             highlighted);

G_END_DECLS
