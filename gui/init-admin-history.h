/* init-admin-history.h — the daemon's history as a timeline of rows, live
 *
 * GetHistory once, then HistoryRecord signals (subscribed before the call; records that
 * arrive during it are queued and de-duplicated by id).  Records become rows (newest
 * first): an event with what it started and stopped and how it ended, a goal change someone
 * asked for, a failed process, a configuration change.  Every record is also passed on with
 * the "record" signal (the job model learns failures from it).
 */
#pragma once

#include <gio/gio.h>

#include "init-admin-history-row.h"
#include "init-dbus-generated.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_HISTORY (init_admin_history_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminHistory, init_admin_history, INIT_ADMIN, HISTORY, GObject)

/* Signals:
 *   "record" (gint64 timestamp, const char *kind, GVariant *details)   in id order
 *   "loaded" ()                                                        GetHistory answered
 *   "loading" ()                                                       a new daemon's history asked for
 */

InitAdminHistory *init_admin_history_new (void);
/* Follow @manager (NULL: the daemon is gone; rows stay until the next daemon's arrive). */
void                 init_admin_history_set_manager (InitAdminHistory *self,
                                                     InitDBusManager  *manager,
                                                     GCancellable     *cancellable);
/* InitAdminHistoryRow, newest first. */
GListModel *init_admin_history_get_rows (InitAdminHistory *self);
/* The row of event @event_id, or NULL. */
InitAdminHistoryRow *init_admin_history_find_event (InitAdminHistory *self,
                                                    guint64           event_id);
/* The id of the newest record seen. */
guint64              init_admin_history_get_last_id (InitAdminHistory *self);
gboolean             init_admin_history_get_loaded (InitAdminHistory *self);
/* Whether the daemon's history is being read (rows may be missing yet). */
gboolean             init_admin_history_get_loading (InitAdminHistory *self);

G_END_DECLS
