/* init-dbus-error.h — INIT_ERROR as org.example.Init.Error.*, checks on client input, paths
 *
 * The engine trusts its callers to hand it valid names and environments; these helpers are
 * the D-Bus face's gate: everything a client sends is checked here, before any state is
 * touched, and rejected with a named error.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INIT_DBUS_ERROR_PREFIX "org.example.Init.Error."

/* Longest job or instance name a client may pass (the XML's limit on names). */
#define INIT_DBUS_MAX_NAME 256

/* Map every INIT_ERROR code to its D-Bus name ("UnknownJob" …), once per process.  Clients
* that link the face (tests) may call it too, to get INIT_ERROR codes back from proxies. */
void      init_dbus_error_register (void);

/* The D-Bus error name @error goes out as (returned) and its message (in @message): an
 * error with a D-Bus name of its own under that name, INIT_ERROR and D-Bus errors under
 * their registered names, anything else as org.example.Init.Error.Failed. */
char *init_dbus_error_describe (const GError *error,
                                char        **message);
/* Return @error on @invocation, named as init_dbus_error_describe() says. */
void      init_dbus_return_error (GDBusMethodInvocation *invocation,
                                  const GError          *error);

/* INIT_ERROR_INVALID_EVENT unless @name is a valid event name (init_event_name_is_valid). */
gboolean  init_dbus_check_event_name (const char *name,
                                      GError    **error);
/* INIT_ERROR_INVALID_ENVIRONMENT unless @env (NULL-terminated) is a valid KEY=VALUE list of
 * bounded size (init_env_policy_check_size: counted and measured before anything else). */
gboolean  init_dbus_check_env (const char *const *env,
                               GError           **error);
/* INIT_ERROR_UNKNOWN_JOB for an empty, over-long or non-UTF-8 job name (it cannot name a
 * job), with a message that says why. */
gboolean  init_dbus_check_job_name (const char *name,
                                    GError    **error);
/* INIT_ERROR_UNKNOWN_INSTANCE for an over-long or non-UTF-8 instance name. */
gboolean  init_dbus_check_instance_name (const char *name,
                                         GError    **error);

/* Object-path element escaping (XML header): [A-Za-z0-9] kept, every other byte "_xx",
 * empty -> "_".  Newly allocated. */
char *init_dbus_escape_path_element (const char *element);
/* The same, appended to @out (no allocation when @out has room). */
void      init_dbus_append_escaped (GString    *out,
                                    const char *element);
/* The name @element (one path element) escapes, or NULL if no name escapes to exactly
 * @element (stray characters, upper-case or missing hex digits, an escaped [A-Za-z0-9]).
 * "_" is "".  Newly allocated. */
char *init_dbus_unescape_path_element (const char *element);
/* "/org/example/Init/jobs/JOB" and ".../JOB/INSTANCE". */
char *init_dbus_job_path (const char *job);
char *init_dbus_instance_path (const char *job,
                               const char *instance);

/* "/org/example/Init/jobs", the parent of every job's path. */
#define INIT_DBUS_JOBS_PATH "/org/example/Init/jobs"

G_END_DECLS
