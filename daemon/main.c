/* main.c — initd: options, mode, bus service, signals, main loop */
#define G_LOG_DOMAIN "initd"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "init-authority.h"
#include "init-engine.h"
#include "init-history.h"
#include "init-manager.h"
#include "init-memory.h"
#include "init-log.h"
#include "init-reaper.h"
#include "init-reexec.h"
#include "init-service.h"
#include "init-crash-recovery.h"
#include "init-engine-save.h"

typedef struct
{
  GMainLoop   *loop;
  InitEngine  *engine;
  InitService *service;
  char        *startup_event;   /* NULL: none (or already emitted) */
  int          exit_status;
  InitCrashRecovery *state_file;    /* what runs, for a restart after a crash; or NULL */
} Daemon;

/* "1048576", "512K", "10M", "1G" → bytes; -1 if not a size. */
static gint64
parse_size (const char *text)
{
  guint64 value;
  char *end = NULL;

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return -1;
  value = g_ascii_strtoull (text, &end, 10);
  switch (g_ascii_toupper (*end))
    {
    case 'K': value <<= 10; end++; break;
    case 'M': value <<= 20; end++; break;
    case 'G': value <<= 30; end++; break;
    default: break;
    }
  if (*end != '\0' || value > G_MAXINT64 / 2)
    return -1;
  return (gint64) value;
}

/* Our binary's path now: where a package upgrade puts the new one we re-exec. */
static char *
own_executable (const char *argv0)
{
  g_autofree char *link = g_file_read_link ("/proc/self/exe", NULL);

  if (link != NULL && g_path_is_absolute (link) && !g_str_has_suffix (link, " (deleted)"))
    return g_steal_pointer (&link);
  return g_find_program_in_path (argv0);
}

/* Our arguments for the next exec: all but a --restore-fd from the previous one. */
static char **
reexec_arguments (int argc, char **argv)
{
  GPtrArray *args = g_ptr_array_new ();

  for (int i = 0; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--restore-fd="))
        continue;
      if (g_str_equal (argv[i], "--restore-fd"))
        {
          i++;
          continue;
        }
      g_ptr_array_add (args, g_strdup (argv[i]));
    }
  g_ptr_array_add (args, NULL);
  return (char **) g_ptr_array_free (args, FALSE);
}

/* Is the daemon that wrote @state still running (then the file is not a crash's)? */
static gboolean
state_writer_alive (GVariant *state)
{
  g_autofree char *comm_path = NULL, *comm = NULL;
  gint32 pid = 0;

  if (!g_variant_lookup (state, "pid", "i", &pid) || pid <= 0 || pid == getpid ())
    return FALSE;
  comm_path = g_strdup_printf ("/proc/%d/comm", pid);
  if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
    return FALSE;
  return g_str_has_prefix (comm, "initd");
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
  /* No file, or another daemon is running on it: not ours to take. */
  if (state == NULL || state_writer_alive (state))
    return FALSE;

  g_message (_("The previous daemon did not exit cleanly: adopting its processes"));
  saved = g_variant_lookup_value (state, "engine", G_VARIANT_TYPE_VARDICT);
  if (saved != NULL && !init_engine_restore (engine, saved, NULL, TRUE, &error))
    g_warning (_("Cannot adopt the previous daemon's processes: %s"), error->message);
  return TRUE;
}

static void
before_exec (gpointer reexec,
             gpointer user_data)
{
  Daemon *daemon = user_data;

  if (daemon->state_file != NULL)
    init_crash_recovery_flush (daemon->state_file);
}

static int verbosity;     /* 0: messages and warnings, 1: + info (-v), 2: + debug (--debug) */

static gboolean
opt_verbose_cb (const char *name, const char *value, gpointer data, GError **error)
{
  verbosity = MAX (verbosity, 1);
  return TRUE;
}

static gboolean
opt_debug_cb (const char *name, const char *value, gpointer data, GError **error)
{
  verbosity = 2;
  return TRUE;
}

/* One line per record on stderr, "initd: text", filtered by -v/--debug. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *message = NULL;

  if ((level & G_LOG_LEVEL_DEBUG) && verbosity < 2)
    return G_LOG_WRITER_HANDLED;
  if ((level & G_LOG_LEVEL_INFO) && verbosity < 1)
    return G_LOG_WRITER_HANDLED;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  if (message == NULL)
    return G_LOG_WRITER_UNHANDLED;

  fprintf (stderr, "initd: %s%s\n",
           (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL)) ? _("warning: ") : "",
           message);
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
on_sighup (gpointer user_data)
{
  Daemon *daemon = user_data;
  g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_RELOAD);

  g_message (_("Reloading configuration"));
  init_engine_push_cause (daemon->engine, cause);
  init_engine_reload (daemon->engine);
  init_engine_pop_cause (daemon->engine);
  return G_SOURCE_CONTINUE;
}

/* `startup` goes out once the bus side is settled (the name is ours, or there is no bus to
 * be had right now), so a second daemon that cannot own the name starts no jobs. */
static void
emit_startup (Daemon *daemon)
{
  g_autoptr(InitCause) cause = NULL;
  g_autofree char *name = g_steal_pointer (&daemon->startup_event);

  if (name == NULL)
    return;
  cause = init_cause_new (INIT_CAUSE_STARTUP);
  init_engine_push_cause (daemon->engine, cause);
  init_engine_emit (daemon->engine, name, NULL, NULL, NULL);
  init_engine_pop_cause (daemon->engine);
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
  Daemon *daemon = user_data;

  /* Before start-up this is a second daemon: refuse clearly.  Later (a bus restart raced by
   * someone else) we keep supervising and the service tries again. */
  if (daemon->startup_event != NULL)
    {
      fprintf (stderr, "initd: %s\n", _("org.example.Init is already owned on this bus (is another initd running?)"));
      daemon->exit_status = 1;
      g_clear_pointer (&daemon->startup_event, g_free);
      g_main_loop_quit (daemon->loop);
    }
}

static void
on_shutdown_done (gpointer engine,
                  gpointer user_data)
{
  Daemon *daemon = user_data;

  g_main_loop_quit (daemon->loop);
}

static gboolean
on_sigterm (gpointer user_data)
{
  Daemon *daemon = user_data;

  if (init_engine_is_shutting_down (daemon->engine))
    return G_SOURCE_CONTINUE;
  g_message (_("Stopping all jobs"));
  init_engine_shutdown (daemon->engine, on_shutdown_done, daemon);
  return G_SOURCE_CONTINUE;
}

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

int
main (int argc, char **argv)
{
  g_auto(GStrv) confdirs = NULL;
  g_autofree char *startup_event = NULL;
  g_autofree char *logdir = NULL;
  gboolean no_startup_event = FALSE, opt_system = FALSE, opt_session = FALSE, no_log = FALSE;
  gboolean version = FALSE, no_dbus = FALSE, no_proc_connector = FALSE;
  int history_size = INIT_HISTORY_DEFAULT_SIZE;
  int log_keep = INIT_LOG_DEFAULT_KEEP, restore_fd = -1;
  g_autofree char *log_max_size = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *command_dir = NULL;
  g_auto(GStrv) original_argv = reexec_arguments (argc, argv);
  g_autofree char *exe = own_executable (argv[0]);
  g_autoptr(GVariant) restored = NULL;
  gboolean recovered = FALSE;
  gint64 max_size;
  InitReexec reexec = { 0 };
  const GOptionEntry entries[] = {
    { "system", 0, 0, G_OPTION_ARG_NONE, &opt_system,
      N_("Run as the system daemon (jobs in /etc/init)"), NULL },
    { "session", 0, 0, G_OPTION_ARG_NONE, &opt_session,
      N_("Run as a per-user session daemon (jobs in ~/.config/init)"), NULL },
    { "user", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_session, NULL, NULL },
    { "confdir", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &confdirs,
      N_("Read jobs from DIR instead of the default (repeatable; first has priority)"), N_("DIR") },
    { "logdir", 0, 0, G_OPTION_ARG_FILENAME, &logdir,
      N_("Write job output logs to DIR"), N_("DIR") },
    { "no-log", 0, 0, G_OPTION_ARG_NONE, &no_log,
      N_("Discard job output instead of logging it"), NULL },
    { "startup-event", 0, 0, G_OPTION_ARG_STRING, &startup_event,
      N_("Emit NAME instead of 'startup' once the configuration is loaded"), N_("NAME") },
    { "no-startup-event", 0, 0, G_OPTION_ARG_NONE, &no_startup_event,
      N_("Do not emit a startup event"), NULL },
    { "history-size", 0, 0, G_OPTION_ARG_INT, &history_size,
      N_("Keep the last N events and job transitions in the history (default 10000)"), N_("N") },
    { "log-max-size", 0, 0, G_OPTION_ARG_STRING, &log_max_size,
      N_("Rotate a job's log when it reaches SIZE bytes (K, M, G suffixes; 0: never; default 1M)"),
      N_("SIZE") },
    { "log-keep", 0, 0, G_OPTION_ARG_INT, &log_keep,
      N_("Keep N rotated logs per job (default 5)"), N_("N") },
    { "no-proc-connector", 0, 0, G_OPTION_ARG_NONE, &no_proc_connector,
      N_("Follow forks by scanning /proc instead of the kernel's proc connector"), NULL },
    { "state-file", 0, 0, G_OPTION_ARG_FILENAME, &state_path,
      N_("Keep what runs in FILE, to adopt it after a crash (default under /run or $XDG_RUNTIME_DIR; \"\" disables)"),
      N_("FILE") },
    { "command-dir", 0, 0, G_OPTION_ARG_FILENAME, &command_dir,
      N_("Job scripts find start, stop, status… in DIR, first on their PATH (\"\" for none)"),
      N_("DIR") },
    { "restore-fd", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &restore_fd, NULL, NULL },
    { "no-dbus", 0, 0, G_OPTION_ARG_NONE, &no_dbus,
      N_("Do not connect to D-Bus (debugging: the engine only)"), NULL },
    { "verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, opt_verbose_cb,
      N_("Log job goal and state changes"), NULL },
    { "debug", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, opt_debug_cb,
      N_("Log debugging information"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(InitEngine) engine = NULL;
  g_autoptr(InitHistory) history = NULL;
  g_autoptr(InitAuthority) authority = NULL;
  g_autoptr(InitManager) manager = NULL;
  g_autoptr(InitService) service = NULL;
  g_autofree char *bus_address = NULL;
  g_autoptr(GPtrArray) extra_env = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) used_confdirs = NULL;
  InitEngineOptions options = { 0 };
  gboolean user_mode;
  const char *mode;
  Daemon daemon = { 0 };

  /* Before anything is allocated. */
  init_memory_setup ();
  /* Before any thread exists, so every thread inherits the mask and SIGCHLD reaches only the
   * reaper's signalfd. */
  init_reaper_block_sigchld ();
  signal (SIGPIPE, SIG_IGN);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_log_set_writer_func (log_writer, NULL, NULL);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Event-driven job supervisor."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "initd: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      printf ("initd %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (opt_system && opt_session)
    {
      fprintf (stderr, "initd: %s\n", _("--system and --session are mutually exclusive"));
      return 2;
    }
  if (startup_event != NULL && !init_event_name_is_valid (startup_event))
    {
      fprintf (stderr, "initd: %s: %s\n", _("Invalid event name"), startup_event);
      return 2;
    }
  if (history_size < 1 || history_size > 10000000)
    {
      fprintf (stderr, "initd: %s\n", _("--history-size must be between 1 and 10000000"));
      return 2;
    }
  max_size = log_max_size != NULL ? parse_size (log_max_size) : INIT_LOG_DEFAULT_MAX_SIZE;
  if (max_size < 0)
    {
      fprintf (stderr, "initd: %s: %s\n", _("Invalid size"), log_max_size);
      return 2;
    }
  if (log_keep < 0 || log_keep > 1000)
    {
      fprintf (stderr, "initd: %s\n", _("--log-keep must be between 0 and 1000"));
      return 2;
    }
  init_log_set_limits (max_size, (guint) log_keep);
  /* Re-exec'd: read the state before anything else may open files over its fd. */
  if (restore_fd >= 0)
    {
      restored = init_reexec_read (restore_fd, &error);
      if (restored == NULL)
        {
          fprintf (stderr, "initd: %s: %s\n", _("Cannot restore the saved state"), error->message);
          g_clear_error (&error);
        }
    }
  user_mode = opt_session || (!opt_system && getuid () != 0);
  mode = user_mode ? "session" : "system";

  if (!init_reaper_start (&error))
    {
      fprintf (stderr, "initd: %s\n", error->message);
      return 1;
    }
  /* Daemons that double-fork stay our descendants, so we can reap (and later track) them. */
  if (prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
    g_warning (_("Could not become child subreaper: %s"), g_strerror (errno));

  if (logdir == NULL)
    logdir = default_log_dir (user_mode);
  /* Jobs find the daemon that runs them (initctl inside a job talks to this bus). */
  if (!no_dbus)
    bus_address = init_service_find_bus_address (user_mode ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM);
  if (bus_address != NULL)
    {
      g_ptr_array_add (extra_env, g_strconcat ("INIT_DBUS_ADDRESS=", bus_address, NULL));
      g_ptr_array_add (extra_env, g_strconcat ("INIT_DBUS_MODE=", mode, NULL));
    }
  else if (!no_dbus)
    g_warning (_("No %s bus address is known: running without D-Bus"), mode);
  g_ptr_array_add (extra_env, NULL);

  options.user_mode = user_mode;
  options.log_dir = no_log ? NULL : logdir;
  options.extra_env = (char **) extra_env->pdata;
  options.no_proc_connector = no_proc_connector;
  options.command_dir = command_dir != NULL ? command_dir : (char *) COMMANDDIR;
  engine = init_engine_new (&options);
  g_info ("Following forks through the %s", init_engine_get_process_tracking (engine));
  history = init_history_new (engine, (guint) history_size);

  if (confdirs == NULL || confdirs[0] == NULL)
    {
      used_confdirs = g_new0 (char *, 2);
      used_confdirs[0] = default_conf_dir (user_mode);
    }
  else
    used_confdirs = g_strdupv (confdirs);
  for (guint i = 0; used_confdirs[i] != NULL; i++)
    init_engine_add_conf_dir (engine, used_confdirs[i]);

  /* The face follows the engine from the first job loaded (definitions, config errors). */
  if (bus_address != NULL)
    {
      InitManagerOptions manager_options = {
        .engine = engine,
        .history = history,
        .mode = mode,
        .conf_dirs = (const char * const *) used_confdirs,
        .log_dir = no_log ? "" : logdir,
      };

      authority = init_authority_new (!user_mode);
      manager_options.authority = authority;
      manager_options.reexec = init_reexec_request;
      manager_options.reexec_data = &reexec;
      manager = init_manager_new (&manager_options);
      service = init_service_new (manager, bus_address);
      daemon.service = service;
      g_signal_connect (service, "name-acquired", G_CALLBACK (on_name_acquired), &daemon);
      g_signal_connect (service, "name-lost", G_CALLBACK (on_name_lost), &daemon);
      g_signal_connect (service, "unavailable", G_CALLBACK (on_bus_unavailable), &daemon);
    }

  {
    g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_STARTUP);

    init_engine_push_cause (engine, cause);
    if (!init_engine_load (engine, TRUE, &error))
      {
        g_warning (_("Unable to load configuration: %s"), error->message);
        g_clear_error (&error);
      }
    init_engine_pop_cause (engine);
  }
  g_info ("Loaded %u jobs", init_engine_get_n_jobs (engine));

  reexec.engine = engine;
  reexec.history = history;
  reexec.manager = manager;
  reexec.service = service;
  reexec.exe = exe;
  reexec.argv = original_argv;
  reexec.before_exec = before_exec;
  reexec.before_exec_data = &daemon;

  if (state_path == NULL)
    state_path = init_crash_recovery_default_path (user_mode, bus_address,
                                               (const char * const *) used_confdirs);
  /* A state file with no re-exec means the previous daemon died: adopt what it ran. */
  if (restored == NULL && state_path[0] != '\0')
    recovered = adopt_after_crash (engine, state_path);

  daemon.loop = g_main_loop_new (NULL, FALSE);
  daemon.engine = engine;
  /* After a re-exec or a crash the system is up already: no second startup. */
  if (!no_startup_event && restored == NULL && !recovered)
    daemon.startup_event = g_strdup (startup_event != NULL ? startup_event : "startup");
  g_unix_signal_add (SIGHUP, on_sighup, &daemon);
  g_unix_signal_add (SIGTERM, on_sigterm, &daemon);
  g_unix_signal_add (SIGINT, on_sigterm, &daemon);
  {
    sigset_t set;

    /* A re-exec kept these blocked through the exec; GLib handles them from now on. */
    sigemptyset (&set);
    sigaddset (&set, SIGTERM);
    sigaddset (&set, SIGINT);
    sigaddset (&set, SIGHUP);
    pthread_sigmask (SIG_UNBLOCK, &set, NULL);
  }

  if (restored != NULL)
    {
      if (!init_reexec_restore (&reexec, restored, &error))
        {
          g_warning (_("Cannot restore the saved state: %s"), error->message);
          g_clear_error (&error);
          if (service != NULL && init_service_get_connection (service) == NULL)
            init_service_start (service);
        }
    }
  else if (service != NULL)
    init_service_start (service);
  else
    emit_startup (&daemon);
  if (state_path[0] != '\0')
    daemon.state_file = init_crash_recovery_new (engine, state_path);

  g_main_loop_run (daemon.loop);

  /* A clean exit: nothing to adopt next time.  (A daemon refused at start-up leaves the
   * file of the one that runs alone.) */
  if (daemon.state_file != NULL)
    {
      if (daemon.exit_status == 0)
        init_crash_recovery_remove (daemon.state_file);
      init_crash_recovery_free (daemon.state_file);
    }

  if (service != NULL)
    init_service_stop (service);
  g_main_loop_unref (daemon.loop);
  g_free (daemon.startup_event);
  return daemon.exit_status;
}
