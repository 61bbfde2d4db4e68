/* init-env.h — ordered KEY=VALUE environment tables and ${…} expansion
 *
 * An environment is a GPtrArray of g_malloc'ed "KEY=VALUE" strings (free func g_free), in
 * order.  Order matters: job events put JOB and INSTANCE first, positional matches index into
 * the list, and replacing a key keeps its original position (Upstart's environ_add).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Maximum length of an environment key, and of a whole entry, accepted from clients. */
#define INIT_ENV_MAX_KEY 256
#define INIT_ENV_MAX_ENTRY (64 * 1024)

/* A new, empty table (element free func g_free). */
GPtrArray *init_env_new (void);
/* A deep copy; @env may be NULL (gives an empty table). */
GPtrArray *init_env_copy (GPtrArray *env);

/* Add @entry ("KEY=VALUE"): if KEY exists and @replace, its entry is replaced in place; if KEY
 * exists and !@replace, nothing happens; otherwise appended.
 *
 * An entry without '=' ("KEY") means "copy KEY from the daemon's own environment": if the
 * process environment has KEY it is added as KEY=value, otherwise an existing KEY is removed
 * (Upstart's environ_add semantics). */
void        init_env_add (GPtrArray  *env,
                          const char *entry,
                          gboolean    replace);
/* Same as init_env_add for every entry of @other (which may be NULL). */
void        init_env_append (GPtrArray *env,
                             GPtrArray *other,
                             gboolean   replace);
/* Set KEY to VALUE (replace in place or append). */
void        init_env_set (GPtrArray  *env,
                          const char *key,
                          const char *value);
/* Remove KEY; returns whether it was present. */
gboolean    init_env_remove (GPtrArray  *env,
                             const char *key);
/* The value of KEY, or NULL. */
const char *init_env_get (GPtrArray  *env,
                          const char *key);
/* As init_env_get with a key of @key_len bytes (not necessarily nul-terminated). */
const char *init_env_getn (GPtrArray  *env,
                           const char *key,
                           gsize       key_len);
/* The "KEY=VALUE" entry for KEY, or NULL. */
const char *init_env_lookup (GPtrArray  *env,
                             const char *key,
                             gsize       key_len);

/* TRUE if @key is a valid variable name: [A-Za-z_][A-Za-z0-9_]*, at most INIT_ENV_MAX_KEY. */
gboolean    init_env_key_is_valid (const char *key,
                                   gssize      key_len);
/* Validate a client-supplied "KEY=VALUE" list: every entry has '=', a valid key, valid UTF-8
 * and a bounded size.  On failure returns FALSE with INIT_ERROR_INVALID_ENVIRONMENT and a
 * message naming the offending entry. @entries may be NULL (valid). */
gboolean    init_env_validate (const char *const *entries,
                               GError           **error);

/* A NULL-terminated deep copy suitable for execve. */
char **init_env_to_strv (GPtrArray *env);
/* Build a table from a NULL-terminated list; NULL gives an empty table. */
GPtrArray *init_env_from_strv (const char *const *strv);

/* Expand $NAME, ${NAME}, ${NAME-word}, ${NAME:-word}, ${NAME+word}, ${NAME:+word}, nested
 * ${$X} / ${${X}} and ${} (literal $) in @string against @env (NULL = empty).
 * Errors (INIT_PARSE_ERROR): UNKNOWN_PARAMETER "Unknown parameter: NAME",
 * EXPECTED_EXPANSION_OPERATOR, MISMATCHED_BRACES. */
char *init_env_expand (const char *string,
                       GPtrArray  *env,
                       GError    **error);

G_END_DECLS
