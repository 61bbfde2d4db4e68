/* main.c — initd: set the process up, parse the options, run the daemon (init-daemon.h) */
#define G_LOG_DOMAIN "initd"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include "init-daemon.h"
#include "init-memory.h"
#include "init-reaper.h"
#include "initd-options.h"

int
main (int argc, char **argv)
{
  g_auto (InitDaemonOptions) options = { 0 };
  g_autoptr(InitDaemon) daemon = NULL;
  g_autoptr(GError) error = NULL;
  int status;

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
  initd_options_set_log_writer ();

  status = initd_options_parse (&options, &argc, &argv);
  if (status >= 0)
    return status;
  daemon = init_daemon_new (&options);
  if (!init_daemon_start (daemon, &error))
    {
      fprintf (stderr, "initd: %s\n", error->message);
      return 1;
    }
  return init_daemon_run (daemon);
}
