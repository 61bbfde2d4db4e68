/* init-authority.h — who is calling, and may they? (DESIGN §4)
 *
 * One object per daemon.  For every method call that changes something the D-Bus face asks
 * it, asynchronously and before touching any state:
 *   system mode:  uid 0 passes; otherwise polkit decides (subject = the caller's bus name,
 *                 interactive authentication only if the call carried the D-Bus
 *                 ALLOW_INTERACTIVE_AUTHORIZATION flag).  The polkit authority is fetched once
 *                 and re-fetched if polkitd went away.
 *   session mode: only the daemon's own uid (and root) may change things; no polkit.
 * Read-only calls pass @action_id NULL and just get the caller's identity (for history).
 *
 * Job variables: when the invocation's method has an "env" argument (init-env-policy.h), its
 * keys go to polkit as the detail "env-keys" ("A,B", "" for none), and on the system bus a
 * caller other than root is refused, before polkit is asked, if it passes a variable only
 * root may pass (INIT_ERROR_INVALID_ENVIRONMENT naming it).
 *
 * Errors from finish:
 *   G_DBUS_ERROR_ACCESS_DENIED                        polkit said no / another user
 *   org.freedesktop.DBus.Error.InteractiveAuthorizationRequired (as a G_IO_ERROR_DBUS_ERROR
 *     created with g_dbus_error_new_for_dbus_error)   polkit would ask, but the call did not
 *                                                     allow interaction
 *   INIT_ERROR_PERMISSION_DENIED                      polkit is not available (message says so)
 *   INIT_ERROR_INVALID_ENVIRONMENT                    a variable only root may pass
 * so the face can pass them to g_dbus_method_invocation_return_gerror() unchanged.
 */
#pragma once

#include <gio/gio.h>

#include "init-caller.h"

G_BEGIN_DECLS

#define INIT_TYPE_AUTHORITY (init_authority_get_type ())
G_DECLARE_FINAL_TYPE (InitAuthority, init_authority, INIT, AUTHORITY, GObject)

/* @use_polkit: TRUE for the system daemon, FALSE for a session daemon. */
InitAuthority *init_authority_new (gboolean use_polkit);

/* Check that the sender of @invocation may perform @action_id (NULL: no check, identity only)
 * with polkit @details (NULL-terminated key, value, key, value… list; may be NULL). */
void           init_authority_check_async (InitAuthority         *self,
                                           GDBusMethodInvocation *invocation,
                                           const char            *action_id,
                                           const char *const     *details,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
/* The caller's identity if allowed, NULL with @error otherwise. */
InitCaller *init_authority_check_finish (InitAuthority *self,
                                         GAsyncResult  *result,
                                         GError       **error);

/* Refuse, as they are read, the calls of users whose share of checks is used up
 * (init-call-gate.h) on @connection, the daemon's bus connection; returns the filter id for
 * g_dbus_connection_remove_filter(). */
guint          init_authority_attach (InitAuthority   *self,
                                      GDBusConnection *connection);

/* Checks started and not finished yet (re-exec waits for them: their callers would be lost). */
guint          init_authority_get_n_pending (InitAuthority *self);

G_END_DECLS
