/* init-admin-application.c — the application: options, window, about, shortcuts */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>

#include "init-admin-application.h"
#include "init-admin-resources.h"
#include "init-admin-window.h"

struct _InitAdminApplication
{
  AdwApplication parent_instance;

  InitAdminBus bus;
  char        *address;
};

G_DEFINE_FINAL_TYPE (InitAdminApplication, init_admin_application, ADW_TYPE_APPLICATION)

static void
action_quit (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
action_about (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The Init developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Init Admin"),
                        "application-icon", INIT_ADMIN_APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Init developers"),
                        "developers", developers,
                        "comments", _("See what your jobs do and why, start and stop them, and emit events."),
                        "website", "https://example.org/init",
                        "issue-url", "https://example.org/init/issues",
                        "license-type", GTK_LICENSE_GPL_2_0,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", action_quit, NULL, NULL, NULL, { 0 } },
  { "about", action_about, NULL, NULL, NULL, { 0 } },
};

static void
init_admin_application_startup (GApplication *application)
{
  GtkApplication *app = GTK_APPLICATION (application);
  const char *quit[] = { "<Control>q", NULL };
  const char *search[] = { "<Control>f", NULL };
  const char *emit[] = { "<Control>e", NULL };
  const char *filter_history[] = { "<Control><Shift>f", NULL };
  const char *back[] = { "<Alt>Left", NULL };
  const char *start[] = { "<Control><Shift>s", NULL };
  const char *stop[] = { "<Control><Shift>t", NULL };
  const char *restart[] = { "<Control><Shift>r", NULL };
  const char *start_env[] = { "<Control><Shift>e", NULL };
  const char *overview[] = { "<Alt>1", NULL };
  const char *log[] = { "<Alt>2", NULL };
  const char *events[] = { "<Alt>3", NULL };

  init_admin_ensure_resources ();
  G_APPLICATION_CLASS (init_admin_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (app, "app.quit", quit);
  gtk_application_set_accels_for_action (app, "win.search", search);
  gtk_application_set_accels_for_action (app, "win.emit", emit);
  gtk_application_set_accels_for_action (app, "win.filter-history", filter_history);
  gtk_application_set_accels_for_action (app, "win.back", back);
  gtk_application_set_accels_for_action (app, "win.start", start);
  gtk_application_set_accels_for_action (app, "win.stop", stop);
  gtk_application_set_accels_for_action (app, "win.restart", restart);
  gtk_application_set_accels_for_action (app, "win.start-env", start_env);
  gtk_application_set_accels_for_action (app, "win.show-page::overview", overview);
  gtk_application_set_accels_for_action (app, "win.show-page::log", log);
  gtk_application_set_accels_for_action (app, "win.show-page::events", events);
}

static void
init_admin_application_activate (GApplication *application)
{
  InitAdminApplication *self = INIT_ADMIN_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (init_admin_window_new (GTK_APPLICATION (application), self->bus, self->address));
  gtk_window_present (window);
}

static int
init_admin_application_handle_local_options (GApplication *application,
                                             GVariantDict *options)
{
  InitAdminApplication *self = INIT_ADMIN_APPLICATION (application);
  gboolean version = FALSE, system = FALSE;

  if (g_variant_dict_lookup (options, "version", "b", &version) && version)
    {
      g_print ("init-admin %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "system", "b", &system) && system)
    self->bus = INIT_ADMIN_BUS_SYSTEM;
  g_variant_dict_lookup (options, "address", "s", &self->address);
  return -1;
}

static void
init_admin_application_finalize (GObject *object)
{
  InitAdminApplication *self = INIT_ADMIN_APPLICATION (object);

  g_free (self->address);

  G_OBJECT_CLASS (init_admin_application_parent_class)->finalize (object);
}

static void
init_admin_application_class_init (InitAdminApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = init_admin_application_finalize;
  app_class->startup = init_admin_application_startup;
  app_class->activate = init_admin_application_activate;
  app_class->handle_local_options = init_admin_application_handle_local_options;
}

static void
init_admin_application_init (InitAdminApplication *self)
{
  const GOptionEntry entries[] = {
    { "session", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Show the session daemon (the default)"), NULL },
    { "system", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Show the system daemon"), NULL },
    { "address", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Connect to the daemon on the bus at ADDRESS instead"), N_("ADDRESS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  self->bus = INIT_ADMIN_BUS_SESSION;
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("See and manage the jobs of Init’s daemon."));
}

InitAdminApplication *
init_admin_application_new (GApplicationFlags flags)
{
  return g_object_new (INIT_ADMIN_TYPE_APPLICATION,
                       "application-id", INIT_ADMIN_APP_ID,
                       "flags", flags,
                       "resource-base-path", INIT_ADMIN_RESOURCE,
                       NULL);
}
