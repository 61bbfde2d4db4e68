/* init-conf-trust.c — which job files the daemon may believe */
#define G_LOG_DOMAIN "init-conf"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "init-conf-trust.h"

/* Why @st cannot be trusted, or NULL. */
static char *
distrust (InitConfTrust      trust,
          const struct stat *st)
{
  /* root can change anything anyway: its files are as good as our own. */
  if (st->st_uid != geteuid () && st->st_uid != 0)
    return g_strdup_printf (_("owned by uid %u, neither root nor the daemon's user (uid %u)"),
                            (guint) st->st_uid, (guint) geteuid ());
  if (trust == INIT_CONF_TRUST_SYSTEM && (st->st_mode & (S_IWGRP | S_IWOTH)))
    return g_strdup (_("writable by group or others"));
  return NULL;
}

static gboolean
refuse (const char *path,
        const char *what,
        const char *why,
        GError    **error)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
               _("%s: Refusing the configuration: %s is %s"), path, what, why);
  return FALSE;
}

gboolean
init_conf_trust_check (InitConfTrust      trust,
                       const char        *root,
                       const char        *path,
                       const struct stat *st,
                       GError           **error)
{
  g_autofree char *why = NULL;
  g_autofree char *dir = NULL;
  gsize root_len = strlen (root);

  if (trust == INIT_CONF_TRUST_ANY)
    return TRUE;
  if ((why = distrust (trust, st)) != NULL)
    return refuse (path, _("the file"), why, error);
  /* Every directory from the file's up to the configuration directory: any of them could
   * swap the file. */
  dir = g_path_get_dirname (path);
  while (TRUE)
    {
      struct stat dst;
      char *up;

      if (stat (dir, &dst) < 0)
        return refuse (path, dir, g_strerror (errno), error);
      if ((why = distrust (trust, &dst)) != NULL)
        {
          g_autofree char *what = g_strdup_printf (_("the directory %s"), dir);
          return refuse (path, what, why, error);
        }
      if (strlen (dir) <= root_len || !g_str_has_prefix (dir, root))
        return TRUE;
      up = g_path_get_dirname (dir);
      g_free (dir);
      dir = up;
    }
}
