/* init-daemon.h — initd as an object: options → start → run → shutdown
 *
 * What the daemon is made of and the order it comes up in, in one place:
 *   start:    a re-exec's saved state is read first (before anything opens files over its
 *             fd); the reaper, the child subreaper flag; the engine and its history; the face
 *             (authority, manager, bus service) when a bus address is known; the configuration;
 *             the job logs' ptys are kept outside the daemon (systemd's fd store, or the
 *             pty keeper; init-pty-store.h) and the processes of a daemon that crashed are
 *             adopted with them; signals; then the saved
 *             state is restored, or the bus service started (the startup event goes out once
 *             the bus side is settled, see emit_startup), and the crash-recovery file kept.
 *   run:      the main loop, until SIGTERM/SIGINT stopped every job, or another daemon owns
 *             the name at start-up (exit status 1).
 *   shutdown: (init_daemon_free) a clean exit removes the crash-recovery file and lets
 *             the pty keeper go; the bus service stops.
 * main() parses the options (init-daemon-options.h) and runs this.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean user_mode;            /* a session daemon (else the system daemon) */
  char   **conf_dirs;            /* highest priority first; NULL: the mode's default */
  char    *log_dir;              /* NULL: the mode's default */
  gboolean no_log;               /* discard job output */
  char    *startup_event;        /* emitted once the bus side is settled; NULL: none */
  guint    history_size;
  gint64   log_max_size;         /* bytes; 0: never rotate */
  guint    log_keep;             /* rotated logs kept per job */
  gboolean no_proc_connector;    /* follow forks by scanning /proc */
  char    *state_path;           /* the crash-recovery file; NULL: the default, "": none */
  char    *command_dir;          /* first on the jobs' PATH; NULL: COMMANDDIR, "": none */
  char    *pty_keeper;           /* the pty keeper program; NULL: PTY_KEEPER, "": none */
  int      restore_fd;           /* a re-exec's saved state, or -1 */
  gboolean no_dbus;              /* the engine only */
  gboolean no_boot_events;       /* system mode: no boot milestones (init-boot-source.h) */
  char    *exe;                  /* our binary's path, for a re-exec */
  char   **argv;                 /* our arguments for a re-exec (without --restore-fd) */
} InitDaemonOptions;

void        init_daemon_options_clear (InitDaemonOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (InitDaemonOptions, init_daemon_options_clear)

typedef struct _InitDaemon InitDaemon;

/* A daemon to start with @options (copied). */
InitDaemon *init_daemon_new (const InitDaemonOptions *options);
/* Bring everything up (see above); FALSE with @error if the daemon cannot run at all. */
gboolean    init_daemon_start (InitDaemon *self,
                               GError    **error);
/* The main loop, until the daemon is told to stop; returns the exit status. */
int         init_daemon_run (InitDaemon *self);
/* Shut down and free. */
void        init_daemon_free (InitDaemon *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitDaemon, init_daemon_free)

G_END_DECLS
