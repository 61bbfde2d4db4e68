/* init-admin-resources.c — the app's GResource (templates, style, shortcuts window) */
#define G_LOG_DOMAIN "init-admin"

#include "init-admin-resources.h"
#include "init-admin-gresource.h"

void
init_admin_ensure_resources (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      init_admin_register_resource ();
      g_once_init_leave (&done, 1);
    }
}
