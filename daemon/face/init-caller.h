/* init-caller.h — who is calling: a bus caller's uid, pid and command, looked up once
 *
 * The authority needs every caller's uid before it can decide (and the history records uid,
 * pid and command).  The bus knows them (GetConnectionCredentials).  A flood of calls from a
 * few connections must not become a flood of lookups, each a round trip through the bus
 * before the main loop gets to the next caller: so identities are cached per unique name
 * (a unique name is never reused on one connection, so its uid and pid cannot change), and
 * concurrent lookups of the same name share one bus call.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  guint32 uid;
  guint32 pid;
  char   *command;    /* the program (/proc/PID/exe), at most 256 bytes, never its arguments;
                       * or "" */
} InitCaller;

InitCaller *init_caller_new (guint32 uid,
                             guint32 pid);
InitCaller *init_caller_copy (const InitCaller *caller);
void        init_caller_free (InitCaller *caller);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitCaller, init_caller_free)

typedef struct _InitCallerDirectory InitCallerDirectory;

/* @caller is borrowed; exactly one of @caller and @error is set. */
typedef void (*InitCallerFunc) (const InitCaller *caller,
                                const GError     *error,
                                gpointer          user_data);

InitCallerDirectory *init_caller_directory_new (void);
void                 init_caller_directory_free (InitCallerDirectory *self);

/* Who is @sender on @connection?  @func runs at once when the answer is cached, otherwise
 * once the bus has answered (errors: G_DBUS_ERROR_ACCESS_DENIED "Cannot identify the
 * caller…").  The cache is bounded and starts again on another connection (a restarted bus
 * hands out the same unique names again). */
void                 init_caller_directory_lookup (InitCallerDirectory *self,
                                                   GDBusConnection     *connection,
                                                   const char          *sender,
                                                   InitCallerFunc       func,
                                                   gpointer             user_data);

G_END_DECLS
