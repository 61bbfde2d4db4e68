/* init-admin-failure-card.h — a job's failure at a glance: what failed, how, when, and the
 * last lines its log had then (as `systemctl status` and Cockpit show them)
 */
#pragma once

#include <gtk/gtk.h>

#include "init-dbus-generated.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_FAILURE_CARD (init_admin_failure_card_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminFailureCard, init_admin_failure_card, INIT_ADMIN, FAILURE_CARD, GtkWidget)

/* How many lines of the log the card shows. */
#define INIT_ADMIN_FAILURE_LOG_LINES 5

/* Show @text (the failure in words, with when) for @job's instance @instance ("" for the only
 * one); @now: it is failed now rather than failed before.  For a job with `console log` the
 * log's last lines are read (Job.GetLog) and shown under it; asked again only when the job,
 * the instance or the text change. */
void        init_admin_failure_card_show (InitAdminFailureCard *self,
                                          const char           *text,
                                          gboolean              now,
                                          InitDBusJob          *job,
                                          const char           *instance);
/* Hide the card (no failure to show). */
void        init_admin_failure_card_hide (InitAdminFailureCard *self);
/* The failure text, NULL while hidden (tests). */
const char *init_admin_failure_card_get_text (InitAdminFailureCard *self);
/* The log lines shown, "" for none (tests). */
const char *init_admin_failure_card_get_log (InitAdminFailureCard *self);

G_END_DECLS
