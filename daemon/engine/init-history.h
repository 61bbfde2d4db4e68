/* init-history.h — a bounded record of events and job transitions, with their causes
 *
 * Fed by the engine's signals; read by the D-Bus face (GetHistory, HistoryRecord) and by
 * tests.  A record is the GVariant (ttssa{sv}) (id, timestamp, kind, subject, details) that
 * org.example.Init.xml documents under GetHistory: ids increase by one per record and never
 * repeat; the timestamp is real time in µs; kinds are "event-queued", "event-finished",
 * "job-goal", "job-state", "process-started", "process-exited", "job-added", "job-changed",
 * "job-removed" and "config-error".  Only real changes of an instance's goal, state and
 * processes are recorded.
 *
 * Records live in a ring of at most @size entries: appending is O(1) and the oldest record
 * is dropped when the ring is full.  Each record is kept as one serialised GVariant.
 */
#pragma once

#include <glib-object.h>

#include "init-cause.h"
#include "init-engine.h"
#include "init-variant-writer.h"

G_BEGIN_DECLS

#define INIT_HISTORY_DEFAULT_SIZE 10000

#define INIT_TYPE_HISTORY (init_history_get_type ())
G_DECLARE_FINAL_TYPE (InitHistory, init_history, INIT, HISTORY, GObject)

/* Signals:
 *   "record-added" (GVariant *record)   a record of type (ttssa{sv}) was appended
 */

/* Follow @engine (may be NULL: records come only from init_history_add()); keep at most
 * @size records (0: INIT_HISTORY_DEFAULT_SIZE). */
InitHistory *init_history_new (InitEngine      *engine,
                               guint size);
/* Maximum number of records kept. */
guint        init_history_get_size (InitHistory *self);
/* Number of records currently kept. */
guint        init_history_get_length (InitHistory *self);
/* Id of the newest record, 0 if none was ever added. */
guint64      init_history_get_last_id (InitHistory *self);
/* Records with an id greater than @after, oldest first, at most @max (0: no limit), as a new
 * floating GVariant of type a(ttssa{sv}). */
GVariant *init_history_get_records (InitHistory *self,
                                    guint64      after,
                                    guint        max);
/* The same, also stopping before the records would take more than @max_bytes serialised
 * (0: no limit; the first record always comes, however large), and with every record
 * stripped of its private keys if @strip (init_history_record_strip).  A caller pages with
 * the id of the last record returned as the next @after. */
GVariant *init_history_get_page (InitHistory *self,
                                 guint64      after,
                                 guint        max,
                                 gsize        max_bytes,
                                 gboolean     strip);
/* @record (ttssa{sv}) without the details that may carry secrets: "env" (an event's
 * environment, which holds the variables jobs export) and "caller-uid", "caller-pid",
 * "caller-command".  A new full reference (@record itself when it has none of them). */
GVariant *init_history_record_strip (GVariant *record);
/* Decides whether @record (ttssa{sv}) is the one looked for. */
typedef gboolean (*InitHistoryMatchFunc) (GVariant *record,
                                          gpointer  user_data);
/* The newest record with an id below @before (0: any) that @match accepts, walking back
 * from the newest; a new full reference, or NULL if the ring holds none. */
GVariant *init_history_find_last (InitHistory         *self,
                                  guint64              before,
                                  InitHistoryMatchFunc match,
                                  gpointer             user_data);
/* Append a record.  @kind is one of the kinds above (any static string); @details is an
 * a{sv} (floating references are sunk; NULL: empty).  Returns the new record's id. */
guint64      init_history_add (InitHistory *self,
                               const char  *kind,
                               const char  *subject,
                               GVariant    *details);
/* Add @cause's keys ("cause", "cause-event-id", "cause-event", "caller-uid", "caller-pid",
 * "caller-command") to @builder, an a{sv} builder.  NULL adds "cause" = "none". */
void         init_history_add_cause (GVariantBuilder *builder,
                                     const InitCause *cause);

/* The same keys as {sv} entries into @writer (init-variant-writer.h), inside an open a{sv}. */
void         init_history_write_cause (InitVariantWriter *writer,
                                       const InitCause   *cause);

/* After a re-exec: put back @records (a(ttssa{sv}) from init_history_get_records()) without
 * announcing them; new records continue their ids. */
void         init_history_restore (InitHistory *self,
                                   GVariant    *records);

G_END_DECLS
