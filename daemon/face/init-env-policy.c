/* init-env-policy.c — which job variables a caller may pass, and how many bytes of them */
#define G_LOG_DOMAIN "init-env-policy"

#include <glib/gi18n.h>
#include <string.h>

#include "init-env.h"
#include "init-env-policy.h"
#include "init-error.h"

/* Variables only root may pass to the system daemon's jobs.  A name ending in '*' is a
 * prefix.  Case matters: the C library and interpreters read these exact names.
 *
 * - glibc's list of variables it removes for set-uid programs (sysdeps/generic/unsecvars.h):
 *   the dynamic loader (LD_*), character-set converters, locale and time-zone data, resolver
 *   configuration, malloc hooks, tunables, the temporary directory;
 * - shell start-up and parsing hooks (a root `sh -c' would source or obey them);
 * - interpreters' start-up files, module paths and option variables (Python, Perl, Ruby,
 *   Node, Java, Lua, Tcl, Guile, PHP) and git's (hooks, helpers, askpass, exec path);
 * - plug-in and module paths of the libraries root programs load (GIO, GTK, GStreamer, Qt,
 *   OpenSSL, GObject introspection);
 * - programs other programs run on our behalf (EDITOR, PAGER, LESSOPEN, askpass helpers);
 * - where programs look for their configuration (HOME, XDG_*, ZDOTDIR);
 * - PATH, which chooses every program a job runs by name. */
static const char *const refused[] = {
  /* glibc's unsecure variables */
  "LD_*", "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCALDOMAIN",
  "LOCPATH", "MALLOC_*", "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR",
  "TZDIR",
  /* shells */
  "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "BASH_FUNC_*", "BASH_XTRACEFD", "PS4", "IFS",
  "CDPATH", "GLOBIGNORE", "PROMPT_COMMAND", "ZDOTDIR", "SHELL",
  /* interpreters */
  "PYTHON*", "PERL5*", "PERLLIB", "PERLIO*", "RUBY*", "GEM_*", "NODE_OPTIONS", "NODE_PATH",
  "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH", "LUA_*",
  "TCLLIBPATH", "GUILE_*", "PHPRC", "PHP_INI_SCAN_DIR", "GIT_*",
  /* libraries' plug-ins and modules */
  "GIO_*", "GTK_*", "GDK_*", "GST_*", "QT_*", "GI_TYPELIB_PATH", "OPENSSL_*", "SSLKEYLOGFILE",
  "LIBGL_*", "TERMINFO", "TERMINFO_DIRS",
  /* helpers other programs run */
  "EDITOR", "VISUAL", "PAGER", "MANPAGER", "LESSOPEN", "LESSCLOSE", "BROWSER", "SSH_ASKPASS",
  "SUDO_ASKPASS",
  /* configuration lookup */
  "HOME", "XDG_*",
  "PATH",
};

gboolean
init_env_policy_key_is_allowed (const char *key,
                                gsize       key_len)
{
  g_return_val_if_fail (key != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      gsize len = strlen (refused[i]);

      if (refused[i][len - 1] == '*')
        {
          if (key_len >= len - 1 && memcmp (key, refused[i], len - 1) == 0)
            return FALSE;
        }
      else if (key_len == len && memcmp (key, refused[i], len) == 0)
        return FALSE;
    }
  return TRUE;
}

/* The length of the key of @entry ("KEY=VALUE"; all of it without '='). */
static gsize
key_length (const char *entry)
{
  return strcspn (entry, "=");
}

gboolean
init_env_policy_check_keys (const char *const *env,
                            GError           **error)
{
  for (const char *const *e = env; e != NULL && *e != NULL; e++)
    {
      gsize len = key_length (*e);

      if (!init_env_policy_key_is_allowed (*e, len))
        {
          g_autofree char *key = g_utf8_make_valid (*e, MIN (len, INIT_ENV_MAX_KEY));

          g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT,
                       _("Only root may pass the variable %s: it changes which programs run "
                         "or how they are loaded"), key);
          return FALSE;
        }
    }
  return TRUE;
}

char *
init_env_policy_keys (const char *const *env)
{
  GString *keys = g_string_new (NULL);

  for (const char *const *e = env; e != NULL && *e != NULL; e++)
    {
      if (keys->len > 0)
        g_string_append_c (keys, ',');
      g_string_append_len (keys, *e, key_length (*e));
    }
  return g_string_free (keys, FALSE);
}

gboolean
init_env_policy_check_size (const char *const *env,
                            GError           **error)
{
  gsize count = 0;
  gsize budget = INIT_ENV_POLICY_MAX_BYTES;

  /* Count first, then measure with a budget: a refused call costs no more than the limits,
   * however much it sent. */
  for (const char *const *e = env; e != NULL && *e != NULL; e++)
    if (++count > INIT_ENV_POLICY_MAX_ENTRIES)
      {
        g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT,
                     _("Too many environment entries (at most %d)"), INIT_ENV_POLICY_MAX_ENTRIES);
        return FALSE;
      }
  for (const char *const *e = env; e != NULL && *e != NULL; e++)
    {
      gsize len = strnlen (*e, budget + 1);

      if (len > budget)
        {
          g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT,
                       _("Environment too large (at most %d bytes in all)"),
                       INIT_ENV_POLICY_MAX_BYTES);
          return FALSE;
        }
      budget -= len;
    }
  return init_env_validate (env, error);
}

const char **
init_env_policy_invocation_env (GDBusMethodInvocation *invocation)
{
  const GDBusMethodInfo *info;
  GVariant *parameters;

  g_return_val_if_fail (G_IS_DBUS_METHOD_INVOCATION (invocation), NULL);

  info = g_dbus_method_invocation_get_method_info (invocation);
  parameters = g_dbus_method_invocation_get_parameters (invocation);
  if (info == NULL || info->in_args == NULL || parameters == NULL)
    return NULL;
  /* GDBus has checked the parameters against this very info. */
  for (guint i = 0; info->in_args[i] != NULL; i++)
    if (g_str_equal (info->in_args[i]->name, "env")
        && g_str_equal (info->in_args[i]->signature, "as")
        && i < g_variant_n_children (parameters))
      {
        g_autoptr(GVariant) child = g_variant_get_child_value (parameters, i);

        /* Points into @parameters, which the invocation keeps. */
        return g_variant_get_strv (child, NULL);
      }
  return NULL;
}
