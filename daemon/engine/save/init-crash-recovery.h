/* init-state-file.h — what runs, kept on disk for a restart after a crash
 *
 * A small file (the minimal engine state of init-state.h: jobs with instances, their goals,
 * states and processes with start times) rewritten atomically whenever an instance changes,
 * at most once per main-loop turn.  It lives on a tmpfs (/run or $XDG_RUNTIME_DIR), so it
 * does not survive a reboot or logout.  A clean exit removes it, so finding one at start-up
 * means the previous daemon died: its processes are adopted instead of started again.
 */
#pragma once

#include "init-engine.h"

G_BEGIN_DECLS

typedef struct _InitStateFile InitCrashRecovery;

/* Default path: /run/init/state (system), or $XDG_RUNTIME_DIR/init/state-HASH where HASH
 * identifies @bus_address and @conf_dirs (session daemons on different buses do not mix). */
char *init_crash_recovery_default_path (gboolean           user_mode,
                                        const char        *bus_address,
                                        const char *const *conf_dirs);

/* Start following @engine, writing to @path. */
InitCrashRecovery *init_crash_recovery_new (InitEngine *engine,
                                            const char *path);
/* Write now if a write is pending (tests, before exec). */
void           init_crash_recovery_flush (InitCrashRecovery *file);
/* Clean exit: remove the file and stop following. */
void           init_crash_recovery_remove (InitCrashRecovery *file);
void           init_crash_recovery_free (InitCrashRecovery *file);
/* Number of times the file was written (tests, benchmarks). */
guint          init_crash_recovery_get_n_writes (InitCrashRecovery *file);

/* Take the writer's lock of the state file @path: an OFD lock on "<path>.lock" (created mode
 * 0600 in the state file's directory, 0700), held through the returned fd for as long as the
 * daemon runs; an exec closes it and the new process takes it again.  Only a live daemon can
 * hold it and nobody else can open the file, so unlike a pid (which another process can get
 * after a crash) it cannot be faked.  -1 with G_IO_ERROR_BUSY while another daemon holds it;
 * -1 with another error when it cannot be taken at all. */
int            init_crash_recovery_lock (const char *path,
                                         GError    **error);

/* The state a previous daemon left at @path, or NULL (no file: *@error stays NULL; a file
 * that cannot be used: @error says why). */
GVariant *init_crash_recovery_load (const char *path,
                                    GError    **error);

G_END_DECLS
