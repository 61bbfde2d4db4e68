/* init-check-limiter.h — a fair share of polkit for every user, and warnings that summarise
 *
 * The daemon asks polkitd over one bus connection, on which dbus-daemon allows 128 pending
 * replies: past that every check fails, for every user.  One user's flood (thousands of calls
 * that will be refused anyway, or interactive checks whose agent never answers) must not take
 * authorisation from everyone else.  So checks in flight are capped in total (below the bus's
 * cap) and per uid; a uid over its share waits in its own bounded queue, and uids with waiting
 * checks are served in turn, so one user's queue never delays another's check by more than a
 * turn.  Interactive checks (a person typing a password) are capped per uid again: nobody
 * answers many prompts at once.  What does not fit is refused at once, for that uid only,
 * with INIT_ERROR_LIMITS_EXCEEDED (org.example.Init.Error.LimitsExceeded).
 */
#pragma once

#include <glib.h>

#include "init-call-gate.h"

G_BEGIN_DECLS

typedef struct
{
  guint max_in_flight;            /* all uids together (dbus-daemon allows 128) */
  guint max_in_flight_per_uid;
  guint max_interactive_per_uid;  /* in flight or waiting */
  guint max_waiting_per_uid;
  guint max_waiting;              /* all uids together */
} InitCheckLimits;

/* The daemon's limits: 64 in flight, 3 per uid, 2 interactive per uid, 64 waiting per uid,
 * 4096 waiting in all. */
extern const InitCheckLimits init_check_limits_default;

typedef struct _InitCheckLimiter InitCheckLimiter;

/* Starts one check (it must call init_check_limiter_release() once it is done). */
typedef void (*InitCheckStartFunc) (gpointer data);

InitCheckLimiter *init_check_limiter_new (const InitCheckLimits *limits);
void              init_check_limiter_free (InitCheckLimiter *self);

/* Run @start (@data) now if @uid has a free slot, or later in @uid's turn; FALSE with
 * INIT_ERROR_LIMITS_EXCEEDED (and @start never called) if @uid's queue, the whole queue or
 * @uid's interactive checks are full. */
gboolean          init_check_limiter_submit (InitCheckLimiter  *self,
                                             guint32            uid,
                                             gboolean           interactive,
                                             InitCheckStartFunc start,
                                             gpointer           data,
                                             GError           **error);
/* Tell @gate (borrowed; NULL: nobody) whenever a uid's share fills up or frees. */
void              init_check_limiter_set_gate (InitCheckLimiter *self,
                                               InitCallGate     *gate);
/* A check @start began has finished: its slot goes to the next waiting check. */
void              init_check_limiter_release (InitCheckLimiter *self,
                                              guint32           uid,
                                              gboolean          interactive);
/* Checks in flight (for tests and the daemon's figures). */
guint             init_check_limiter_get_in_flight (InitCheckLimiter *self);

/* Repeated warnings, summarised: at most INIT_WARN_LIMIT_BURST lines per
 * INIT_WARN_LIMIT_INTERVAL seconds; what is held back is counted and said in one line when
 * the interval ends.  Zero-initialise; init_warn_limit_clear() before freeing. */
#define INIT_WARN_LIMIT_BURST    5
#define INIT_WARN_LIMIT_INTERVAL 10

typedef struct
{
  gint64 window_start;   /* monotonic µs */
  guint  in_window;
  guint  suppressed;
  guint  flush_id;
} InitWarnLimit;

/* g_warning() the message, unless this interval has had its share (then count it). */
void              init_warn_limit_warn (InitWarnLimit *limit,
                                        const char    *format,
                                        ...) G_GNUC_PRINTF (2, 3);
/* Say what was held back, and stop the timer. */
void              init_warn_limit_clear (InitWarnLimit *limit);

G_END_DECLS
