/* init-daemon.c — initd as an object: options → start → run → shutdown */
#define G_LOG_DOMAIN "initd"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "init-authority.h"
#include "init-boot-source.h"
#include "init-bridges.h"
#include "init-crash-recovery.h"
#include "init-daemon.h"
#include "init-engine-save.h"
#include "init-engine.h"
#include "init-history.h"
#include "init-log-dir.h"
#include "init-log.h"
#include "init-manager.h"
#include "init-pty-store.h"
#include "init-reaper.h"
#include "init-reexec.h"
#include "init-service.h"
#include "init-source-list.h"
#include "init-sources.h"

struct _InitDaemon
{
  InitDaemonOptions  options;
  const char        *mode;          /* "system" or "session" */
  char             **conf_dirs;     /* the ones used */
  char              *bus_address;   /* NULL: no D-Bus */
  GVariant          *restored;      /* a re-exec's saved state, or NULL */
  GMainLoop         *loop;
  InitEngine        *engine;
  InitSources       *sources;       /* event sources (file, …), armed by what jobs wait for */
  InitHistory       *history;
  InitAuthority     *authority;
  InitManager       *manager;
  InitService       *service;
  InitReexec         reexec;
  InitCrashRecovery *state_file;    /* what runs, for a restart after a crash; or NULL */
  guint              signal_ids[3];
  gboolean           started_up;    /* startup (and the boot milestones) went out */
  int                exit_status;
};

void
init_daemon_options_clear (InitDaemonOptions *options)
{
  g_clear_pointer (&options->conf_dirs, g_strfreev);
  g_clear_pointer (&options->log_dir, g_free);
  g_clear_pointer (&options->startup_event, g_free);
  g_clear_pointer (&options->state_path, g_free);
  g_clear_pointer (&options->command_dir, g_free);
  g_clear_pointer (&options->pty_keeper, g_free);
  g_clear_pointer (&options->exe, g_free);
  g_clear_pointer (&options->argv, g_strfreev);
}

InitDaemon *
init_daemon_new (const InitDaemonOptions *options)
{
  InitDaemon *self = g_new0 (InitDaemon, 1);

  g_return_val_if_fail (options != NULL, NULL);

  self->options = *options;
  self->options.conf_dirs = g_strdupv (options->conf_dirs);
  self->options.log_dir = g_strdup (options->log_dir);
  self->options.startup_event = g_strdup (options->startup_event);
  self->options.state_path = g_strdup (options->state_path);
  self->options.command_dir = g_strdup (options->command_dir);
  self->options.pty_keeper = g_strdup (options->pty_keeper);
  self->options.exe = g_strdup (options->exe);
  self->options.argv = g_strdupv (options->argv);
  self->mode = options->user_mode ? "session" : "system";
  self->loop = g_main_loop_new (NULL, FALSE);
  return self;
}

/* ---- signals and the bus side ---- */

static gboolean
on_sighup (gpointer user_data)
{
  InitDaemon *self = user_data;
  g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_RELOAD);

  g_message (_("Reloading configuration"));
  init_engine_push_cause (self->engine, cause);
  init_engine_reload (self->engine);
  init_engine_pop_cause (self->engine);
  return G_SOURCE_CONTINUE;
}

static void
on_shutdown_done (gpointer engine,
                  gpointer user_data)
{
  InitDaemon *self = user_data;

  g_main_loop_quit (self->loop);
}

static gboolean
on_sigterm (gpointer user_data)
{
  InitDaemon *self = user_data;

  if (init_engine_is_shutting_down (self->engine))
    return G_SOURCE_CONTINUE;
  g_message (_("Stopping all jobs"));
  init_engine_shutdown (self->engine, on_shutdown_done, self);
  return G_SOURCE_CONTINUE;
}

/* The boot milestones, once per boot, right after `startup' (system daemon only). */
static void
run_boot_milestones (InitDaemon *self)
{
  const InitDaemonOptions *o = &self->options;
  g_autofree char *boot_id_file = NULL;
  InitBootSource *boot;

  if (o->user_mode || o->no_boot_events)
    return;
  boot_id_file = o->state_path != NULL && o->state_path[0] != '\0'
                 ? g_strconcat (o->state_path, ".boot-id", NULL)
                 : g_strdup ("/run/init/boot-id");
  boot = init_boot_source_new (self->engine, &(InitBootSourceOptions) {
    .boot_id_file = boot_id_file
  });
  init_sources_add (self->sources, (InitSource *) boot);
  init_sources_update (self->sources);
  init_boot_source_run (boot);
}

/* `startup` goes out once the bus side is settled (the name is ours, or there is no bus to
 * be had right now), so a second daemon that cannot own the name starts no jobs. */
static void
emit_startup (InitDaemon *self)
{
  g_autoptr(InitCause) cause = NULL;
  g_autofree char *name = g_steal_pointer (&self->options.startup_event);

  if (self->started_up)
    return;
  self->started_up = TRUE;
  if (name != NULL)
    {
      cause = init_cause_new (INIT_CAUSE_STARTUP);
      init_engine_push_cause (self->engine, cause);
      init_engine_emit (self->engine, name, NULL, NULL, NULL);
      init_engine_pop_cause (self->engine);
    }
  run_boot_milestones (self);
}

static void
on_name_acquired (InitService *service,
                  gpointer     user_data)
{
  emit_startup (user_data);
}

static void
on_bus_unavailable (InitService *service,
                    const char  *message,
                    gpointer     user_data)
{
  emit_startup (user_data);
}

static void
on_name_lost (InitService *service,
              const char  *name,
              gpointer     user_data)
{
  InitDaemon *self = user_data;

  /* Before start-up this is a second daemon: refuse clearly.  Later (a bus restart raced by
   * someone else) we keep supervising and the service tries again. */
  if (self->options.startup_event != NULL)
    {
      fprintf (stderr, "initd: %s\n", _("org.example.Init is already owned on this bus (is another initd running?)"));
      self->exit_status = 1;
      g_clear_pointer (&self->options.startup_event, g_free);
      g_main_loop_quit (self->loop);
    }
}

static void
before_exec (gpointer reexec,
             gpointer user_data)
{
  InitDaemon *self = user_data;

  if (self->state_file != NULL)
    init_crash_recovery_flush (self->state_file);
}

/* ---- start ---- */

static char *
default_conf_dir (gboolean user_mode)
{
  if (user_mode)
    return g_build_filename (g_get_user_config_dir (), "init", NULL);
  return g_build_filename (SYSCONFDIR, "init", NULL);
}

static char *
default_log_dir (gboolean user_mode)
{
  if (user_mode)
    return g_build_filename (g_get_user_state_dir (), "init", "log", NULL);
  return g_build_filename (LOCALSTATEDIR, "log", "init", NULL);
}

/* A log directory that exists but another user could tamper with is not used at all (one
 * that does not exist yet is made, the daemon's, on the first output). */
static gboolean
log_dir_trusted (const char *path)
{
  g_autoptr(GError) error = NULL;
  int fd = init_log_dir_open (path, FALSE, &error);

  if (fd >= 0)
    close (fd);
  else if (errno != ENOENT)
    {
      g_warning ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* The engine and its history, with the jobs' environment naming our bus. */
static void
start_engine (InitDaemon *self)
{
  const InitDaemonOptions *o = &self->options;
  g_autoptr(GPtrArray) extra_env = g_ptr_array_new_with_free_func (g_free);
  InitEngineOptions options = { 0 };

  /* Jobs find the daemon that runs them (initctl inside a job talks to this bus). */
  if (!o->no_dbus)
    self->bus_address = init_service_find_bus_address (o->user_mode ? G_BUS_TYPE_SESSION
                                                                    : G_BUS_TYPE_SYSTEM);
  if (self->bus_address != NULL)
    {
      g_ptr_array_add (extra_env, g_strconcat ("INIT_DBUS_ADDRESS=", self->bus_address, NULL));
      g_ptr_array_add (extra_env, g_strconcat ("INIT_DBUS_MODE=", self->mode, NULL));
    }
  else if (!o->no_dbus)
    g_warning (_("No %s bus address is known: running without D-Bus"), self->mode);
  g_ptr_array_add (extra_env, NULL);

  options.user_mode = o->user_mode;
  if (!o->no_log && !log_dir_trusted (o->log_dir))
    self->options.no_log = TRUE;
  options.log_dir = o->no_log ? NULL : o->log_dir;
  options.extra_env = (char **) extra_env->pdata;
  options.no_proc_connector = o->no_proc_connector;
  options.command_dir = o->command_dir != NULL ? o->command_dir : (char *) COMMANDDIR;
  self->engine = init_engine_new (&options);
  g_info ("Following forks through the %s", init_engine_get_process_tracking (self->engine));
  self->history = init_history_new (self->engine, o->history_size);

  if (o->conf_dirs == NULL || o->conf_dirs[0] == NULL)
    {
      self->conf_dirs = g_new0 (char *, 2);
      self->conf_dirs[0] = default_conf_dir (o->user_mode);
    }
  else
    self->conf_dirs = g_strdupv (o->conf_dirs);
  for (guint i = 0; self->conf_dirs[i] != NULL; i++)
    init_engine_add_conf_dir (self->engine, self->conf_dirs[i]);
}

/* The face follows the engine from the first job loaded (definitions, config errors). */
static void
start_face (InitDaemon *self)
{
  InitManagerOptions options = {
    .engine = self->engine,
    .history = self->history,
    .mode = self->mode,
    .conf_dirs = (const char *const *) self->conf_dirs,
    .log_dir = self->options.no_log ? "" : self->options.log_dir,
    .reexec = init_reexec_request,
    .reexec_data = &self->reexec,
  };

  self->authority = init_authority_new (!self->options.user_mode);
  options.authority = self->authority;
  self->manager = init_manager_new (&options);
  self->service = init_service_new (self->manager, self->bus_address);
  g_signal_connect (self->service, "name-acquired", G_CALLBACK (on_name_acquired), self);
  g_signal_connect (self->service, "name-lost", G_CALLBACK (on_name_lost), self);
  g_signal_connect (self->service, "unavailable", G_CALLBACK (on_bus_unavailable), self);
}

static void
load_configuration (InitDaemon *self)
{
  g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_STARTUP);
  g_autoptr(GError) error = NULL;

  init_engine_push_cause (self->engine, cause);
  if (!init_engine_load (self->engine, TRUE, &error))
    g_warning (_("Unable to load configuration: %s"), error->message);
  init_engine_pop_cause (self->engine);
  g_info ("Loaded %u jobs", init_engine_get_n_jobs (self->engine));
  self->sources = init_sources_new (self->engine);
  init_bridges_add (self->sources, &(InitBridgesOptions) {
    .engine = self->engine,
    .bus_address = self->bus_address,
    .user_mode = self->options.user_mode,
  });
  if (self->manager != NULL)
    {
      init_source_list_follow (INIT_DBUS_MANAGER (self->manager), self->sources);
      init_manager_set_sources (self->manager, self->sources);
    }
}

/* Is another daemon running on the state file @path (then the file is not a crash's)?  If
 * not, this daemon takes the writer's lock and holds it until it exits. */
static gboolean
state_writer_alive (const char *path)
{
  g_autoptr(GError) error = NULL;

  /* The fd is kept open on purpose: the lock lives as long as it does. */
  if (init_crash_recovery_lock (path, &error) >= 0)
    return FALSE;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    g_warning (_("Cannot take the lock of the state file: %s"), error->message);
  return TRUE;
}

/* The job logs' ptys are kept outside the daemon from now on, so that a crash does not hang
 * the jobs up; after a crash, the ones kept for the dead daemon come back for adoption.  The
 * keeper belongs to the state file: one per daemon, found again by the next. */
static void
keep_ptys_outside (InitDaemon *self)
{
  const InitDaemonOptions *o = &self->options;
  g_autofree char *socket_path = NULL;
  g_autoptr(GError) error = NULL;

  if (o->no_log || init_pty_store_use_systemd ())
    return;
  if (o->pty_keeper != NULL && o->pty_keeper[0] == '\0')
    return;
  socket_path = g_strconcat (o->state_path, ".ptys", NULL);
  if (!init_pty_store_use_keeper (socket_path, o->pty_keeper != NULL ? o->pty_keeper : PTY_KEEPER,
                                  &error))
    g_warning (_("Job logs will not outlive a crash of the daemon: %s"), error->message);
}

/* If the daemon that wrote @path died, adopt the processes it ran (TRUE: there was one). */
static gboolean
adopt_after_crash (InitEngine *engine,
                   const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) state = init_crash_recovery_load (path, &error);
  g_autoptr(GVariant) saved = NULL;

  if (error != NULL)
    g_warning (_("Ignoring %s: %s"), path, error->message);
  if (state == NULL)
    return FALSE;

  g_message (_("The previous daemon did not exit cleanly: adopting its processes"));
  saved = g_variant_lookup_value (state, "engine", G_VARIANT_TYPE_VARDICT);
  if (saved != NULL && !init_engine_restore (engine, saved, NULL, TRUE, &error))
    g_warning (_("Cannot adopt the previous daemon's processes: %s"), error->message);
  return TRUE;
}

/* SIGHUP, SIGTERM and SIGINT from the main loop on. */
static void
watch_signals (InitDaemon *self)
{
  sigset_t set;

  self->signal_ids[0] = g_unix_signal_add (SIGHUP, on_sighup, self);
  self->signal_ids[1] = g_unix_signal_add (SIGTERM, on_sigterm, self);
  self->signal_ids[2] = g_unix_signal_add (SIGINT, on_sigterm, self);
  /* A re-exec kept these blocked through the exec; GLib handles them from now on. */
  sigemptyset (&set);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGHUP);
  pthread_sigmask (SIG_UNBLOCK, &set, NULL);
}

/* The bus side and what ran before us: a re-exec's state, or a fresh start. */
static void
start_running (InitDaemon *self)
{
  g_autoptr(GError) error = NULL;

  if (self->restored != NULL)
    {
      if (!init_reexec_restore (&self->reexec, self->restored, &error))
        {
          g_warning (_("Cannot restore the saved state: %s"), error->message);
          if (self->service != NULL && init_service_get_connection (self->service) == NULL)
            init_service_start (self->service);
        }
    }
  else if (self->service != NULL)
    init_service_start (self->service);
  else
    emit_startup (self);
}

gboolean
init_daemon_start (InitDaemon *self,
                   GError    **error)
{
  InitDaemonOptions *o = &self->options;
  gboolean recovered = FALSE;

  g_return_val_if_fail (self != NULL && self->engine == NULL, FALSE);

  init_log_set_limits (o->log_max_size, o->log_keep);
  /* Re-exec'd: read the state before anything else may open files over its fd. */
  if (o->restore_fd >= 0)
    {
      g_autoptr(GError) local = NULL;

      self->restored = init_reexec_read (o->restore_fd, &local);
      if (self->restored == NULL)
        fprintf (stderr, "initd: %s: %s\n", _("Cannot restore the saved state"), local->message);
    }
  if (!init_reaper_start (error))
    return FALSE;
  /* Daemons that double-fork stay our descendants, so we can reap (and later track) them. */
  if (prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
    g_warning (_("Could not become child subreaper: %s"), g_strerror (errno));
  if (o->log_dir == NULL)
    o->log_dir = default_log_dir (o->user_mode);

  start_engine (self);
  /* Before the configuration is loaded: a SIGHUP or SIGTERM sent as soon as "Loaded N jobs"
   * shows is handled, not fatal (the default action) as it was while start-up went on. */
  watch_signals (self);
  if (self->bus_address != NULL)
    start_face (self);
  load_configuration (self);

  self->reexec = (InitReexec) {
    .engine = self->engine,
    .history = self->history,
    .manager = self->manager,
    .service = self->service,
    .exe = o->exe,
    .argv = o->argv,
    .before_exec = before_exec,
    .before_exec_data = self,
  };
  if (o->state_path == NULL)
    o->state_path = init_crash_recovery_default_path (o->user_mode, self->bus_address,
                                                      (const char *const *) self->conf_dirs);
  /* Every daemon with a state file holds its lock (after a re-exec too), so a state file
   * nobody holds, with no re-exec, means the previous daemon died: adopt what it ran.  One
   * that another daemon holds is not ours to take, nor to write.  After a re-exec or a crash
   * the system is up already: no second startup. */
  if (o->state_path[0] != '\0' && state_writer_alive (o->state_path))
    o->state_path[0] = '\0';
  else if (self->restored == NULL && o->state_path[0] != '\0')
    {
      keep_ptys_outside (self);
      recovered = adopt_after_crash (self->engine, o->state_path);
      init_pty_store_drop_unclaimed ();
    }
  if (self->restored != NULL || recovered)
    {
      g_clear_pointer (&o->startup_event, g_free);
      self->started_up = TRUE;
    }

  start_running (self);
  if (o->state_path[0] != '\0')
    self->state_file = init_crash_recovery_new (self->engine, o->state_path);
  return TRUE;
}

/* ---- run and shut down ---- */

int
init_daemon_run (InitDaemon *self)
{
  g_return_val_if_fail (self != NULL && self->engine != NULL, 1);

  g_main_loop_run (self->loop);
  return self->exit_status;
}

void
init_daemon_free (InitDaemon *self)
{
  if (self == NULL)
    return;
  /* A clean exit: nothing to adopt next time.  (A daemon refused at start-up leaves the
   * file of the one that runs alone.) */
  if (self->state_file != NULL)
    {
      if (self->exit_status == 0)
        init_crash_recovery_remove (self->state_file);
      init_crash_recovery_free (self->state_file);
    }
  init_reexec_clear (&self->reexec);
  if (self->service != NULL)
    init_service_stop (self->service);
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);
  g_clear_object (&self->service);
  /* A call that holds the manager must not reach the freed sources. */
  if (self->manager != NULL)
    init_manager_set_sources (self->manager, NULL);
  g_clear_object (&self->manager);
  g_clear_object (&self->authority);
  g_clear_object (&self->history);
  g_clear_pointer (&self->sources, init_sources_free);
  g_clear_object (&self->engine);
  /* After the engine: its logs have let their ptys go. */
  init_pty_store_shutdown ();
  g_clear_pointer (&self->restored, g_variant_unref);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->conf_dirs, g_strfreev);
  g_free (self->bus_address);
  init_daemon_options_clear (&self->options);
  g_free (self);
}
