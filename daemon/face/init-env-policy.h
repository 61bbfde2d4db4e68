/* init-env-policy.h — which job variables a caller may pass, and how many bytes of them
 *
 * The variables a client passes (EmitEvent, Job.Start/Stop/Restart) become the environment
 * of processes the daemon starts: on the system bus, root's processes.  Granting a user
 * emit-events or manage-jobs therefore lets that user pass parameters to root jobs, and some
 * variables are more than parameters: they choose which programs run (PATH), which libraries
 * are loaded (LD_PRELOAD), or make a shell or interpreter run code of the caller's choice
 * (BASH_ENV, PYTHONSTARTUP, NODE_OPTIONS…).  Those are refused for every caller other than
 * uid 0 on the system bus (the authority applies this, init-authority.c); the table in
 * init-env-policy.c is the one list, documented in init(5), initd(8) and the README.
 *
 * Sizes are checked for everyone, before anything is copied or anyone is asked.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Most entries, and most bytes (all entries together), one call may pass. */
#define INIT_ENV_POLICY_MAX_ENTRIES 1024
#define INIT_ENV_POLICY_MAX_BYTES   (1024 * 1024)

/* INIT_ERROR_INVALID_ENVIRONMENT if @env (NULL-terminated, may be NULL) has more than
 * INIT_ENV_POLICY_MAX_ENTRIES entries or INIT_ENV_POLICY_MAX_BYTES bytes, or is not a valid
 * KEY=VALUE list (init_env_validate).  Reads at most about INIT_ENV_POLICY_MAX_BYTES of it. */
gboolean     init_env_policy_check_size (const char *const *env,
                                         GError           **error);

/* Whether a caller other than root may pass the variable @key (@key_len bytes). */
gboolean     init_env_policy_key_is_allowed (const char *key,
                                             gsize       key_len);

/* INIT_ERROR_INVALID_ENVIRONMENT naming the first key of @env a caller other than root may
 * not pass; TRUE if there is none. */
gboolean     init_env_policy_check_keys (const char *const *env,
                                         GError           **error);

/* The keys of @env joined by commas ("" for none), for polkit's "env-keys" detail. */
char *init_env_policy_keys (const char *const *env);

/* The job variables @invocation carries: its method's "env" argument of type "as" (a
 * NULL-terminated array pointing into the message; free the array only), or NULL when the
 * method takes none. */
const char **init_env_policy_invocation_env (GDBusMethodInvocation *invocation);

G_END_DECLS
