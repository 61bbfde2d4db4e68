/* main.c — init-admin, the GTK 4 admin app of Init */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>
#include <locale.h>

#include "init-admin-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(InitAdminApplication) app = NULL;
  const char *localedir = g_getenv ("INIT_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* INIT_LOCALEDIR: translations from a build tree (tools/run-demo), not the installed ones. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = init_admin_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
