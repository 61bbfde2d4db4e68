/* initd-options.c — initd's command line and log output */
#define G_LOG_DOMAIN "initd"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "init-event.h"
#include "init-history.h"
#include "init-log.h"
#include "initd-options.h"

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

void
initd_options_set_log_writer (void)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
}

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

typedef struct
{
  gboolean system, session, no_startup_event, version;
  int      history_size, log_keep;
  char    *log_max_size;
} Raw;

/* The options' values once parsed: 2 (and a message) if one is out of range, else -1. */
static int
check (Raw               *raw,
       InitDaemonOptions *options)
{
  const char *problem = NULL;

  if (raw->system && raw->session)
    problem = _("--system and --session are mutually exclusive");
  else if (options->startup_event != NULL && !init_event_name_is_valid (options->startup_event))
    {
      fprintf (stderr, "initd: %s: %s\n", _("Invalid event name"), options->startup_event);
      return 2;
    }
  else if (raw->history_size < 1 || raw->history_size > 10000000)
    problem = _("--history-size must be between 1 and 10000000");
  else if (raw->log_max_size != NULL
           && (options->log_max_size = parse_size (raw->log_max_size)) < 0)
    {
      fprintf (stderr, "initd: %s: %s\n", _("Invalid size"), raw->log_max_size);
      return 2;
    }
  else if (raw->log_keep < 0 || raw->log_keep > 1000)
    problem = _("--log-keep must be between 0 and 1000");
  if (problem != NULL)
    {
      fprintf (stderr, "initd: %s\n", problem);
      return 2;
    }
  options->history_size = (guint) raw->history_size;
  options->log_keep = (guint) raw->log_keep;
  options->user_mode = raw->session || (!raw->system && getuid () != 0);
  if (raw->no_startup_event)
    g_clear_pointer (&options->startup_event, g_free);
  else if (options->startup_event == NULL)
    options->startup_event = g_strdup ("startup");
  return -1;
}

int
initd_options_parse (InitDaemonOptions *options,
                     int               *argc,
                     char            ***argv)
{
  Raw raw = { .history_size = INIT_HISTORY_DEFAULT_SIZE, .log_keep = INIT_LOG_DEFAULT_KEEP };
  g_autofree char *log_max_size = NULL;
  const GOptionEntry entries[] = {
    { "system", 0, 0, G_OPTION_ARG_NONE, &raw.system,
      N_("Run as the system daemon (jobs in /etc/init)"), NULL },
    { "session", 0, 0, G_OPTION_ARG_NONE, &raw.session,
      N_("Run as a per-user session daemon (jobs in ~/.config/init)"), NULL },
    { "user", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &raw.session, NULL, NULL },
    { "confdir", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->conf_dirs,
      N_("Read jobs from DIR instead of the default (repeatable; first has priority)"), N_("DIR") },
    { "logdir", 0, 0, G_OPTION_ARG_FILENAME, &options->log_dir,
      N_("Write job output logs to DIR"), N_("DIR") },
    { "no-log", 0, 0, G_OPTION_ARG_NONE, &options->no_log,
      N_("Discard job output instead of logging it"), NULL },
    { "startup-event", 0, 0, G_OPTION_ARG_STRING, &options->startup_event,
      N_("Emit NAME instead of 'startup' once the configuration is loaded"), N_("NAME") },
    { "no-startup-event", 0, 0, G_OPTION_ARG_NONE, &raw.no_startup_event,
      N_("Do not emit a startup event"), NULL },
    { "history-size", 0, 0, G_OPTION_ARG_INT, &raw.history_size,
      N_("Keep the last N events and job transitions in the history (default 10000)"), N_("N") },
    { "log-max-size", 0, 0, G_OPTION_ARG_STRING, &log_max_size,
      N_("Rotate a job's log when it reaches SIZE bytes (K, M, G suffixes; 0: never; default 1M)"),
      N_("SIZE") },
    { "log-keep", 0, 0, G_OPTION_ARG_INT, &raw.log_keep,
      N_("Keep N rotated logs per job (default 5)"), N_("N") },
    { "no-proc-connector", 0, 0, G_OPTION_ARG_NONE, &options->no_proc_connector,
      N_("Follow forks by scanning /proc instead of the kernel's proc connector"), NULL },
    { "state-file", 0, 0, G_OPTION_ARG_FILENAME, &options->state_path,
      N_("Keep what runs in FILE, to adopt it after a crash (default under /run or $XDG_RUNTIME_DIR; \"\" disables)"),
      N_("FILE") },
    { "command-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->command_dir,
      N_("Job scripts find start, stop, status… in DIR, first on their PATH (\"\" for none)"),
      N_("DIR") },
    { "pty-keeper", 0, 0, G_OPTION_ARG_FILENAME, &options->pty_keeper,
      N_("Keep the job logs' ptys through a crash with PROGRAM when systemd's file-descriptor store is not there (\"\" for none)"),
      N_("PROGRAM") },
    { "restore-fd", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &options->restore_fd, NULL, NULL },
    { "no-boot-events", 0, 0, G_OPTION_ARG_NONE, &options->no_boot_events,
      N_("Do not emit the boot milestones (mounted, filesystem, runlevel…) in system mode"),
      NULL },
    { "no-dbus", 0, 0, G_OPTION_ARG_NONE, &options->no_dbus,
      N_("Do not connect to D-Bus (debugging: the engine only)"), NULL },
    { "verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, opt_verbose_cb,
      N_("Log job goal and state changes"), NULL },
    { "debug", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, opt_debug_cb,
      N_("Log debugging information"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &raw.version, N_("Show the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  options->restore_fd = -1;
  options->log_max_size = INIT_LOG_DEFAULT_MAX_SIZE;
  options->argv = reexec_arguments (*argc, *argv);
  options->exe = own_executable ((*argv)[0]);
  g_option_context_set_summary (context, _("Event-driven job supervisor."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "initd: %s\n", error->message);
      return 2;
    }
  if (raw.version)
    {
      printf ("initd %s\n", PACKAGE_VERSION);
      return 0;
    }
  raw.log_max_size = log_max_size;
  return check (&raw, options);
}
