/* init-admin-application.h — the application: options, window, about, shortcuts
 *
 * init-admin [--session | --system] [--address ADDRESS]
 * App actions: app.quit (Ctrl+Q), app.about; accelerators for the window's actions
 * (Ctrl+F search, Ctrl+E emit) and the shortcuts window (Ctrl+?, from gtk/help-overlay.ui).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_APPLICATION (init_admin_application_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminApplication, init_admin_application, INIT_ADMIN, APPLICATION, AdwApplication)

/* @flags: G_APPLICATION_DEFAULT_FLAGS, or G_APPLICATION_NON_UNIQUE for tests. */
InitAdminApplication *init_admin_application_new (GApplicationFlags flags);

G_END_DECLS
