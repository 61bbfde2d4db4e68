/* init-history-reader.h — Manager.GetHistory: bounded pages, private details for the trusted
 *
 * Records can hold secrets: an event's environment (and with it the variables jobs export)
 * and who called (uid, pid, program).  So a caller gets them only if the polkit action
 * org.example.Init.read-history allows it (root always; on the session bus the daemon's own
 * user); everyone else gets the same records without those details (init_history_record_strip)
 * — not an error, so `initctl` and init-admin still show every other user what happened.
 *
 * A reply holds at most INIT_HISTORY_READER_MAX_RECORDS records and about
 * INIT_HISTORY_READER_MAX_BYTES bytes, whatever the caller asks: the client pages with the
 * id of the last record it got, so nobody can make the daemon build and queue replies of the
 * whole history over and over.  Replies are built one per main-loop iteration at low
 * priority, so a flood of GetHistory calls never holds up other callers for more than one
 * page.
 */
#pragma once

#include <gio/gio.h>

#include "init-history.h"
#include "init-manager.h"

G_BEGIN_DECLS

#define INIT_HISTORY_READER_MAX_RECORDS 1000
#define INIT_HISTORY_READER_MAX_BYTES   (256 * 1024)

/* Answer GetHistory(@after, @max) on @invocation (its reference is taken over). */
void init_history_reader_handle (InitManager           *manager,
                                 InitHistory           *history,
                                 GDBusMethodInvocation *invocation,
                                 guint64                after,
                                 guint                  max);

/* Build and send every reply still pending now (before a re-exec: they are not carried). */
void  init_history_reader_flush (void);

G_END_DECLS
