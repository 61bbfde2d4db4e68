/* test-env-policy.c — which job variables a caller other than root may pass, and how much:
 * the refused names and patterns, the size limits, the polkit detail */
#include <string.h>

#include <gio/gio.h>

#include "init-env-policy.h"
#include "init-error.h"

static gboolean
allowed (const char *key)
{
  return init_env_policy_key_is_allowed (key, strlen (key));
}

/* Variables that choose programs, libraries or code are refused, by exact name. */
static void
test_refused_names (void)
{
  const char *refused[] = {
    "PATH", "HOME", "SHELL", "IFS", "BASH_ENV", "ENV", "NODE_OPTIONS", "CLASSPATH",
    "GLIBC_TUNABLES", "TMPDIR", "EDITOR", "PAGER", "SSH_ASKPASS", "TERMINFO",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("%s", refused[i]);
      g_assert_false (allowed (refused[i]));
    }
}

/* A pattern ending in '*' refuses every name with that prefix, the prefix alone included. */
static void
test_refused_prefixes (void)
{
  const char *refused[] = {
    "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_", "MALLOC_CHECK_", "PYTHONPATH", "PYTHONSTARTUP",
    "PERL5LIB", "PERL5OPT", "RUBYOPT", "GEM_HOME", "GIT_SSH", "GIO_EXTRA_MODULES",
    "GTK_MODULES", "QT_PLUGIN_PATH", "OPENSSL_CONF", "XDG_CONFIG_HOME", "BASH_FUNC_x%%",
    "LUA_INIT", "GUILE_LOAD_PATH", "LIBGL_DRIVERS_PATH",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("%s", refused[i]);
      g_assert_false (allowed (refused[i]));
    }
}

/* Everything else is a job parameter: allowed, including names that merely contain a
 * refused one or differ in case. */
static void
test_parameters_allowed (void)
{
  const char *ok[] = {
    "FOO", "INSTANCE", "DEVICE", "RUNLEVEL", "MYPATH", "PATH_EXTRA", "path", "Home",
    "XDG", "LD", "PYTHO", "SHELLS", "ENVIRONMENT", "NODE", "GIT", "A",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_test_message ("%s", ok[i]);
      g_assert_true (allowed (ok[i]));
    }
}

/* The key's length decides, not the string's end: "PATH" within "PATHX" is PATH. */
static void
test_key_length_counts (void)
{
  g_assert_false (init_env_policy_key_is_allowed ("PATHX", 4));
  g_assert_true (init_env_policy_key_is_allowed ("PATHX", 5));
  g_assert_true (init_env_policy_key_is_allowed ("PAT", 3));
  g_assert_false (init_env_policy_key_is_allowed ("LD_X", 3));
}

/* check_keys names the first refused key, even with a value that looks harmless. */
static void
test_check_keys_names_key (void)
{
  const char *env[] = { "FOO=1", "LD_PRELOAD=/tmp/x.so", "PATH=/bin", NULL };
  const char *fine[] = { "FOO=1", "BAR", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (init_env_policy_check_keys (env, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT);
  g_assert_nonnull (strstr (error->message, "LD_PRELOAD"));
  g_assert_null (strstr (error->message, "/tmp/x.so"));
  g_assert_null (strstr (error->message, "PATH"));

  g_assert_true (init_env_policy_check_keys (fine, NULL));
  g_assert_true (init_env_policy_check_keys (NULL, NULL));
}

/* A key that is not UTF-8 is named in valid UTF-8 (the message goes on the bus). */
static void
test_check_keys_invalid_utf8 (void)
{
  const char *env[] = { "LD_\xff\xfe=1", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (init_env_policy_check_keys (env, &error));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* polkit's "env-keys" detail: the keys in order, comma-separated, values left out. */
static void
test_keys_detail (void)
{
  const char *env[] = { "FOO=secret", "BAR", "BAZ=a=b", NULL };
  const char *none[] = { NULL };
  g_autofree char *keys = init_env_policy_keys (env);
  g_autofree char *empty = init_env_policy_keys (none);
  g_autofree char *null = init_env_policy_keys (NULL);

  g_assert_cmpstr (keys, ==, "FOO,BAR,BAZ");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (null, ==, "");
}

/* Up to the entry limit is fine; one more is refused. */
static void
test_size_entries (void)
{
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < INIT_ENV_POLICY_MAX_ENTRIES; i++)
    g_ptr_array_add (env, g_strdup_printf ("K%d=v", i));
  g_ptr_array_add (env, NULL);
  g_assert_true (init_env_policy_check_size ((const char *const *) env->pdata, NULL));

  env->pdata[INIT_ENV_POLICY_MAX_ENTRIES] = g_strdup ("ONE=more");
  g_ptr_array_add (env, NULL);
  g_assert_false (init_env_policy_check_size ((const char *const *) env->pdata, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT);
}

/* The byte limit counts all entries together: sixteen entries of 64,000 bytes fit in a MiB,
 * a seventeenth does not, though each is well under the limit of one entry. */
static void
test_size_bytes (void)
{
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 17; i++)
    {
      char *entry = g_strnfill (64000, 'v');

      memcpy (entry, "K0=", 3);
      entry[1] = (char) ('A' + i);
      g_ptr_array_add (env, entry);
    }
  g_ptr_array_add (env, NULL);
  g_assert_cmpint (16 * 64000, <=, INIT_ENV_POLICY_MAX_BYTES);
  g_assert_cmpint (17 * 64000, >, INIT_ENV_POLICY_MAX_BYTES);

  g_assert_false (init_env_policy_check_size ((const char *const *) env->pdata, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT);
  g_clear_pointer (&env->pdata[16], g_free);
  g_assert_true (init_env_policy_check_size ((const char *const *) env->pdata, NULL));
}

/* Sizes fine but not KEY=VALUE: refused by the same check. */
static void
test_size_validates (void)
{
  const char *bad[] = { "=value", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (init_env_policy_check_size (bad, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT);
  g_assert_true (init_env_policy_check_size (NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/face/env-policy/refused-names", test_refused_names);
  g_test_add_func ("/face/env-policy/refused-prefixes", test_refused_prefixes);
  g_test_add_func ("/face/env-policy/parameters-allowed", test_parameters_allowed);
  g_test_add_func ("/face/env-policy/key-length-counts", test_key_length_counts);
  g_test_add_func ("/face/env-policy/check-keys-names-key", test_check_keys_names_key);
  g_test_add_func ("/face/env-policy/check-keys-invalid-utf8", test_check_keys_invalid_utf8);
  g_test_add_func ("/face/env-policy/keys-detail", test_keys_detail);
  g_test_add_func ("/face/env-policy/size-entries", test_size_entries);
  g_test_add_func ("/face/env-policy/size-bytes", test_size_bytes);
  g_test_add_func ("/face/env-policy/size-validates", test_size_validates);

  return g_test_run ();
}
