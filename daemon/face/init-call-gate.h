/* init-call-gate.h — a user over its share is refused before the main loop sees the call
 *
 * A flood of calls from one user is refused by the limiter (init-check-limiter.h), but every
 * call still waits its turn in the main loop's queue, and the calls of other users wait
 * behind the flood.  The gate is a D-Bus message filter, run by GDBus in its worker thread as
 * each message is read: a call that needs authorisation, from a sender whose uid is known
 * and whose share is used up (its queue of checks is full, or for a call that allows
 * interactive authorisation, its interactive checks), or who has 256 such calls unanswered,
 * is refused with org.example.Init.Error.LimitsExceeded and never reaches the main loop.  So
 * is such a call from a connection that already has 32 of them unanswered, once 256 more
 * from connections whose uid is not known yet are unanswered: before the main loop has
 * learnt a flooding sender's uid, that bounds what it can queue, while one client pipelining
 * its first calls is not refused for it.  The refusals go out paced (init-reply-pacer.h),
 * behind everyone else's replies.  Everyone else's calls pass untouched.  A daemon that never
 * asks polkit (a session daemon: every call is decided at once) counts nothing.
 * Thread-safe: the main loop tells it who is who and who is full.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _InitCallGate InitCallGate;

typedef enum
{
  INIT_CALL_GATE_OPEN             = 0,
  INIT_CALL_GATE_CHECKS_FULL      = 1 << 0,   /* every call needing polkit is refused */
  INIT_CALL_GATE_INTERACTIVE_FULL = 1 << 1,   /* calls allowing interaction are refused */
} InitCallGateState;

InitCallGate *init_call_gate_new (void);
InitCallGate *init_call_gate_ref (InitCallGate *self);
void          init_call_gate_unref (InitCallGate *self);

/* Filter @connection's incoming calls from now on; returns the filter id for
 * g_dbus_connection_remove_filter().  What the gate knew of senders is forgotten (unique
 * names start again on another bus).  @limited FALSE: refuse no call for the number of calls
 * waiting (the daemon never asks polkit, so nothing waits for it); TRUE: the limits above. */
guint         init_call_gate_attach (InitCallGate    *self,
                                     GDBusConnection *connection,
                                     gboolean         limited);
/* @sender (a unique name) is @uid. */
void          init_call_gate_set_sender (InitCallGate *self,
                                         const char   *sender,
                                         guint32       uid);
/* What @uid may still send. */
void          init_call_gate_set_state (InitCallGate     *self,
                                        guint32           uid,
                                        InitCallGateState state);
/* Calls refused so far (for the daemon's log and tests). */
guint64       init_call_gate_get_refused (InitCallGate *self);

G_END_DECLS
