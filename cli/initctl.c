/* initctl.c — initctl: command line, dispatch and output conventions */
#define G_LOG_DOMAIN "init-cli"

#include <glib/gi18n.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "initctl.h"

typedef enum
{
  OPT_NO_WAIT   = 1 << 0,
  OPT_JSON      = 1 << 1,
  OPT_ENUMERATE = 1 << 2,
  OPT_CHECK     = 1 << 3,
  OPT_TREE      = 1 << 4,
} CommandOptions;

typedef struct
{
  const char *name;
  int (*func)(Initctl *ctl, char **args);
  const char *params;    /* translatable */
  const char *summary;   /* translatable */
  guint       options;
  const char *alias_of;  /* listed in --help as an alias */
} Command;

static const Command commands[] = {
  { "start", initctl_cmd_start, N_("JOB [KEY=VALUE]…"),
    N_("Start a job and wait until it is running (a task: until it has finished)."),
    OPT_NO_WAIT, NULL },
  { "stop", initctl_cmd_stop, N_("JOB [KEY=VALUE]…"),
    N_("Stop a job and wait until it has stopped."), OPT_NO_WAIT, NULL },
  { "restart", initctl_cmd_restart, N_("JOB [KEY=VALUE]…"),
    N_("Restart a job and wait until it is running again."), OPT_NO_WAIT, NULL },
  { "reload", initctl_cmd_reload, N_("JOB [KEY=VALUE]…"),
    N_("Send the job's reload signal (SIGHUP by default) to its main process."), 0, NULL },
  { "enable", initctl_cmd_enable, N_("JOB"),
    N_("Let a job start on its events again (removes `manual' from its override)."), 0, NULL },
  { "disable", initctl_cmd_disable, N_("JOB"),
    N_("Keep a job from starting on its events (`manual' in its override); it still starts "
       "by hand."), 0, NULL },
  { "status", initctl_cmd_status, N_("JOB [KEY=VALUE]…"),
    N_("Show the goal, state and processes of a job instance."), OPT_JSON | OPT_TREE, NULL },
  { "list", initctl_cmd_list, "",
    N_("Show every job and instance, sorted by name."), OPT_JSON, NULL },
  { "emit", initctl_cmd_emit, N_("EVENT [KEY=VALUE]…"),
    N_("Emit an event and wait until every job it started or stopped is done."),
    OPT_NO_WAIT, NULL },
  { "reload-configuration", initctl_cmd_reload_configuration, "",
    N_("Make the daemon read its job directories again."), 0, NULL },
  { "reexec", initctl_cmd_reexec, "",
    N_("Make the daemon execute itself again, keeping its state; jobs keep running."),
    0, NULL },
  { "list-sources", initctl_cmd_list_sources, "",
    N_("Show the event sources, whether they are active, and the jobs that need them."),
    OPT_JSON, NULL },
  { "version", initctl_cmd_version, "", N_("Show the daemon's version."), 0, NULL },
  { "log-priority", initctl_cmd_log_priority, N_("[PRIORITY]"),
    N_("Show the daemon's log priority."), 0, NULL },
  { "show-config", initctl_cmd_show_config, N_("[JOB]"),
    N_("Show what jobs emit and the events they start and stop on."),
    OPT_ENUMERATE | OPT_JSON, NULL },
  { "check-config", initctl_cmd_check_config, N_("[JOB | --file FILE]"),
    N_("Report events and jobs named in `start on'/`stop on' that nothing provides."),
    OPT_CHECK, NULL },
  { "why", initctl_cmd_why, N_("JOB [KEY=VALUE]…"),
    N_("Show why an instance is in its state: the chain of events and callers behind it."),
    OPT_JSON, NULL },
  { "why-not", initctl_cmd_why_not, N_("JOB"),
    N_("Show what keeps a job from running: its state, and which `start on' events are "
       "missing and what would produce them."), OPT_JSON, NULL },
  { "usage", initctl_cmd_usage, N_("JOB"), N_("Show a job's usage text."), 0, NULL },
  { "monitor", initctl_cmd_monitor, "",
    N_("Follow events and job state changes live, one line each, until interrupted."),
    OPT_JSON, NULL },
  { "events", initctl_cmd_monitor, "", NULL, OPT_JSON, "monitor" },
  { "help", NULL, "", N_("Show this help."), 0, NULL },
};

/* Commands that may be run through a link named after them (as Upstart's start, stop…). */
static const char *const link_commands[] = {
  "start", "stop", "restart", "reload", "status", NULL
};

void
initctl_error (Initctl    *ctl,
               const char *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (message[0] == '\0')
    return;
  fflush (stdout);
  fprintf (stderr, "%s: %s\n", ctl->prog, message);
}

int
initctl_usage_error (Initctl    *ctl,
                     const char *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fflush (stdout);
  fprintf (stderr, "%s: %s\n", ctl->prog, message);
  fprintf (stderr, _("Try `%s --help' for more information.\n"), ctl->prog);
  return INITCTL_EXIT_FAILURE;
}

void
initctl_output (Initctl       *ctl,
                const GString *text)
{
  if (ctl->quiet || text->len == 0)
    return;
  fwrite (text->str, 1, text->len, stdout);
  fflush (stdout);
}

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

/* The index of the command word: the first argument that is not an option (nor the value of
 * one).  Options may come before or after it, as with Upstart. */
static int
find_command_index (int    argc,
                    char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        return i + 1 < argc ? i + 1 : -1;
      if (g_str_equal (arg, "--dest") || g_str_equal (arg, "-i")
          || g_str_equal (arg, "--ignore-events") || g_str_equal (arg, "-f")
          || g_str_equal (arg, "--file"))
        {
          i++;
          continue;
        }
      if (arg[0] != '-' || arg[1] == '\0')
        return i;
    }
  return -1;
}

static char *
commands_description (void)
{
  GString *text = g_string_new (_("Commands:"));

  g_string_append_c (text, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const Command *c = &commands[i];
      g_autofree char *alias = NULL;

      g_autofree char *synopsis = NULL;
      glong width;

      if (c->alias_of != NULL)
        alias = g_strdup_printf (_("Alias of %s."), c->alias_of);
      synopsis = c->params[0] != '\0' ? g_strdup_printf ("%s %s", c->name, _(c->params))
                                       : g_strdup (c->name);
      /* Pad by characters, not bytes: the synopses contain "…". */
      width = g_utf8_strlen (synopsis, -1);
      g_string_append_printf (text, "  %s%*s %s\n", synopsis, (int) MAX (0, 30 - width), "",
                              alias != NULL ? alias : _(c->summary));
    }
  g_string_append_c (text, '\n');
  g_string_append (text,
                   _("Run “initctl COMMAND --help” for the options of a command.\n"
                     "Without --system or --session, initctl talks to the daemon that runs\n"
                     "it when run by a job ($INIT_DBUS_ADDRESS), and to the system daemon\n"
                     "otherwise.\n"
                     "\n"
                     "Exit status: 0 success; 1 error; 2 unknown job; 3 not running (no such\n"
                     "instance, already stopped); 4 already running; 5 the job or event\n"
                     "failed; 6 permission denied; 7 the daemon cannot be reached;\n"
                     "130 interrupted while waiting.  `status' exits 0 whatever the state."));
  return g_string_free (text, FALSE);
}

static void
add_entry (GArray     *entries,
           const char *long_name,
           char        short_name,
           int         flags,
           GOptionArg  arg,
           gpointer    data,
           const char *description,
           const char *arg_description)
{
  GOptionEntry e = { long_name, short_name, flags, arg, data, description, arg_description };

  g_array_append_val (entries, e);
}

static GOptionContext *
make_context (Initctl       *ctl,
              const Command *cmd,
              gboolean       link_mode,
              gboolean      *show_version,
              char        ***remaining)
{
  g_autoptr(GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  g_autofree char *params = NULL;
  GOptionContext *context;

  if (cmd == NULL)
    params = g_strdup (_("COMMAND [OPTION…] [ARGUMENT…]"));
  else if (link_mode)
    params = g_strdup (_(cmd->params));
  else
    params = g_strdup_printf ("%s %s", cmd->name, _(cmd->params));
  context = g_option_context_new (params);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (cmd == NULL)
    {
      g_autofree char *description = commands_description ();

      g_option_context_set_summary (context, _("Control the init daemon: start and stop jobs, "
                                               "emit events, inspect the configuration."));
      g_option_context_set_description (context, description);
    }
  else if (cmd->summary != NULL)
    g_option_context_set_summary (context, _(cmd->summary));

  if (cmd != NULL && (cmd->options & OPT_NO_WAIT))
    add_entry (entries, "no-wait", 'n', 0, G_OPTION_ARG_NONE, &ctl->no_wait,
               g_str_equal (cmd->name, "emit")
                 ? N_("Return as soon as the event is queued")
                 : N_("Return as soon as the goal is changed"), NULL);
  if (cmd != NULL && (cmd->options & OPT_JSON))
    add_entry (entries, "json", 0, 0, G_OPTION_ARG_NONE, &ctl->json,
               N_("Print JSON instead of text"), NULL);
  if (cmd != NULL && (cmd->options & OPT_TREE))
    add_entry (entries, "tree", 't', 0, G_OPTION_ARG_NONE, &ctl->tree,
               N_("Also show every process of the instance, as a tree"), NULL);
  if (cmd != NULL && (cmd->options & OPT_ENUMERATE))
    add_entry (entries, "enumerate", 'e', 0, G_OPTION_ARG_NONE, &ctl->enumerate,
               N_("Show each event of `start on' and `stop on' on a line of its own"), NULL);
  if (cmd != NULL && (cmd->options & OPT_CHECK))
    {
      add_entry (entries, "ignore-events", 'i', 0, G_OPTION_ARG_STRING, &ctl->ignore_events,
                 N_("Comma-separated events that are known to exist"), N_("LIST"));
      add_entry (entries, "warn", 'w', 0, G_OPTION_ARG_NONE, &ctl->warn,
                 N_("Also report unknown events on one side of an `or'"), NULL);
      add_entry (entries, "file", 'f', 0, G_OPTION_ARG_FILENAME, &ctl->check_file,
                 N_("Check this job file, not yet installed, instead of the loaded jobs"),
                 N_("FILE"));
    }
  add_entry (entries, "system", 0, 0, G_OPTION_ARG_NONE, &ctl->opt_system,
             N_("Talk to the system daemon on the system bus"), NULL);
  add_entry (entries, "session", 0, 0, G_OPTION_ARG_NONE, &ctl->opt_session,
             N_("Talk to your session daemon on the session bus"), NULL);
  add_entry (entries, "user", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &ctl->opt_session,
             NULL, NULL);
  add_entry (entries, "dest", 0, 0, G_OPTION_ARG_STRING, &ctl->dest,
             N_("Talk to the daemon that owns NAME instead of org.example.Init"), N_("NAME"));
  add_entry (entries, "no-ask-password", 0, 0, G_OPTION_ARG_NONE, &ctl->no_ask_password,
             N_("Never ask for a password; fail if authorization needs one"), NULL);
  add_entry (entries, "quiet", 'q', 0, G_OPTION_ARG_NONE, &ctl->quiet,
             N_("Print errors only"), NULL);
  add_entry (entries, "verbose", 'v', 0, G_OPTION_ARG_NONE, &ctl->verbose,
             N_("Also print D-Bus error names"), NULL);
  add_entry (entries, "version", 0, 0, G_OPTION_ARG_NONE, show_version,
             N_("Show initctl's own version and exit"), NULL);
  add_entry (entries, G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, remaining,
             NULL, NULL);
  g_option_context_add_main_entries (context, (GOptionEntry *) (gpointer) entries->data,
                                     GETTEXT_PACKAGE);
  return context;
}

static int
print_help (Initctl *ctl)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto (GStrv) remaining = NULL;
  g_autofree char *help = NULL;
  gboolean version = FALSE;

  context = make_context (ctl, NULL, FALSE, &version, &remaining);
  help = g_option_context_get_help (context, TRUE, NULL);
  fputs (help, stdout);
  return INITCTL_EXIT_OK;
}

/* Parse the command line and run the command; the caller frees @ctl's strings. */
static int
run (Initctl *ctl,
     int      argc,
     char   **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto (GStrv) remaining = NULL;
  const Command *cmd = NULL;
  gboolean show_version = FALSE;
  gboolean link_mode = g_strv_contains (link_commands, ctl->prog);
  char *none[] = { NULL };
  int index = -1;

  /* The command word leaves argv; what is left is parsed with that command's options. */
  if (link_mode)
    cmd = find_command (ctl->prog);
  else
    {
      index = find_command_index (argc, argv);
      if (index > 0 && (cmd = find_command (argv[index])) == NULL)
        return initctl_usage_error (ctl, _("invalid command: %s"), argv[index]);
    }
  for (int i = 0; i < argc; i++)
    if (i != index)
      g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);

  context = make_context (ctl, cmd, link_mode, &show_version, &remaining);
  {
    int n = (int) args->len - 1;
    char **v = (char **) args->pdata;

    if (!g_option_context_parse (context, &n, &v, &error))
      return initctl_usage_error (ctl, "%s", error->message);
  }

  if (show_version)
    {
      printf ("%s (%s %s)\n", ctl->prog, "Init", PACKAGE_VERSION);
      return INITCTL_EXIT_OK;
    }
  if (cmd == NULL)
    return initctl_usage_error (ctl, _("missing command"));
  if (ctl->opt_system && ctl->opt_session)
    return initctl_usage_error (ctl, _("--system and --session are mutually exclusive"));
  if (ctl->dest != NULL && !g_dbus_is_name (ctl->dest))
    return initctl_usage_error (ctl, _("invalid bus name: %s"), ctl->dest);
  if (cmd->func == NULL)
    return print_help (ctl);
  return cmd->func (ctl, remaining != NULL ? remaining : none);
}

int
main (int    argc,
      char **argv)
{
  Initctl ctl = { 0 };
  g_autofree char *base = NULL;
  int status;

#ifdef M_ARENA_MAX
  /* GDBus parses replies in its worker thread.  In a thread arena glibc grows the heap a
   * page at a time with mprotect(), which for the reply of a `list' of thousands of jobs
   * costs more than the parsing; the main arena grows in large steps.  One CLI, one arena. */
  mallopt (M_ARENA_MAX, 1);
#endif
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Run through a link named after a command, initctl is that command (as Upstart's). */
  base = g_path_get_basename (argc > 0 ? argv[0] : "initctl");
  ctl.prog = g_strv_contains (link_commands, base) ? base : "initctl";
  g_set_prgname (ctl.prog);

  status = run (&ctl, argc, argv);

  initctl_agent_stop (&ctl);
  g_clear_object (&ctl.bus);
  g_free (ctl.bus_label);
  g_free (ctl.dest);
  g_free (ctl.ignore_events);
  g_free (ctl.check_file);
  g_free (ctl.agent_failure);
  return status;
}
