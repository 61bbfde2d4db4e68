/* init-admin-resources.h — the app's GResource (templates, style, shortcuts window) */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INIT_ADMIN_APP_ID   "org.example.Init.Admin"
#define INIT_ADMIN_RESOURCE "/org/example/Init/Admin"

/* Register the resource once (the library is static, so nothing else pulls it in). */
void init_admin_ensure_resources (void);

G_END_DECLS
