/* init-conf-trust.h — which job files the daemon may believe (like sshd's StrictModes)
 *
 * A job file says what runs as the daemon's user, so whoever can write it, or replace it in
 * its directory, can run anything as that user.  So a .conf or .override is read only if it
 * and every directory from its own up to the configuration directory may be trusted:
 *   system mode:  owned by root (the daemon's uid) and writable by neither group nor others;
 *   session mode: owned by the daemon's uid (the user) or root.
 * A file that fails is a configuration error saying why; the last good definition stays.
 */
#pragma once

#include <glib.h>
#include <sys/stat.h>

G_BEGIN_DECLS

typedef enum
{
  INIT_CONF_TRUST_ANY,       /* no check (tests of the parser) */
  INIT_CONF_TRUST_SESSION,
  INIT_CONF_TRUST_SYSTEM,
} InitConfTrust;

/* FALSE with a G_FILE_ERROR_PERM "@path: Refusing …: why" unless the open file @st (at
 * @path) and every directory from its own up to @root may be trusted under @trust. */
gboolean init_conf_trust_check (InitConfTrust      trust,
                                const char        *root,
                                const char        *path,
                                const struct stat *st,
                                GError           **error);

G_END_DECLS
