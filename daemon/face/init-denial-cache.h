/* init-denial-cache.h — polkit's "no" to one connection, remembered for a moment
 *
 * A flood of calls polkit will refuse, sent over a few hundred connections, kept polkitd busy
 * with the same question again and again, and polkitd answers one check after another: every
 * other user's check waited behind them.  A denial (not a challenge: that one may turn into a
 * yes once the user authenticates) is remembered for INIT_DENIAL_CACHE_MSEC for the exact
 * question — the same bus connection, action and details — and the same question is refused
 * without asking again.  A bus connection is one process, so nothing about the subject can
 * change meanwhile; only an administrator's new rule takes up to that long to be seen by a
 * connection that was refused just before.  Main thread only; bounded.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define INIT_DENIAL_CACHE_MSEC 2000

typedef struct _InitDenialCache InitDenialCache;

InitDenialCache *init_denial_cache_new (void);
void             init_denial_cache_free (InitDenialCache *self);

/* Remember that polkit refused @action_id with @details (key, value pairs in the order polkit
 * got them) to @sender. */
void             init_denial_cache_add (InitDenialCache   *self,
                                        const char        *sender,
                                        const char        *action_id,
                                        const char *const *details);
/* Did polkit refuse exactly this less than INIT_DENIAL_CACHE_MSEC ago? */
gboolean         init_denial_cache_lookup (InitDenialCache   *self,
                                           const char        *sender,
                                           const char        *action_id,
                                           const char *const *details);

G_END_DECLS
