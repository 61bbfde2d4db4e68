/* init-reply-pacer.h — refusals go out no faster than the bus takes them
 *
 * dbus-daemon reads a connection at most 2 KiB per turn of its main loop.  The call gate
 * refuses a flooding user's calls in microseconds, and when it wrote every refusal at once,
 * initd's one bus connection held thousands of them unread, in front of every other reply:
 * pkuser's `initctl start' waited 6 s behind a 30,000-call flood of pkother's.  So a refusal
 * waits in a queue of its own (its destination, serial and error; bounded) and is written, a
 * few at a time, only while the bus has read nearly everything initd wrote before: another
 * caller's reply overtakes the backlog.  The flood's callers wait for their refusals instead,
 * and since the bus lets a connection have only 128 calls unanswered, they send no more
 * meanwhile.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _InitReplyPacer InitReplyPacer;

/* Paces refusals on @connection (held weakly), written from @context (NULL: the global
 * default context). */
InitReplyPacer *init_reply_pacer_new (GDBusConnection *connection,
                                      GMainContext    *context);
InitReplyPacer *init_reply_pacer_ref (InitReplyPacer *self);
void            init_reply_pacer_unref (InitReplyPacer *self);

/* Answer @call (a method call that expects a reply) with the D-Bus error @error_name and
 * @text, in turn.  Both strings are kept as they are, not copied: they must live as long as
 * the program (literals, gettext's translations).  Any thread. */
void            init_reply_pacer_refuse (InitReplyPacer *self,
                                         GDBusMessage   *call,
                                         const char     *error_name,
                                         const char     *text);

/* Refusals waiting to be written (for tests and figures). */
guint           init_reply_pacer_get_waiting (InitReplyPacer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitReplyPacer, init_reply_pacer_unref)

G_END_DECLS
