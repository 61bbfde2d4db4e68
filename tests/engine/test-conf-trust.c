/* test-conf-trust.c — which job files the daemon believes (owner and mode, file and directories)
 *
 * The cases change owners (chown to another uid), so they need root, as CI has; without root
 * they are skipped outside CI and fail in it.
 */
#define G_LOG_DOMAIN "init-test"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init-conf-trust.h"
#include "test-util.h"

#define STRANGER 4242

typedef struct
{
  char *root;        /* the configuration directory */
  char *sub;         /* root/sub */
  char *top;         /* root/top.conf */
  char *deep;        /* root/sub/deep.conf */
} Fixture;

static gboolean
need_root (void)
{
  if (geteuid () == 0)
    return TRUE;
  if (g_getenv ("CI") != NULL)
    g_test_fail_printf ("these cases change file owners: run them as root");
  else
    g_test_skip ("needs root");
  return FALSE;
}

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  g_autofree char *base = test_util_mkdtemp ();

  fx->root = g_build_filename (base, "init", NULL);
  fx->sub = g_build_filename (fx->root, "sub", NULL);
  fx->top = g_build_filename (fx->root, "top.conf", NULL);
  fx->deep = g_build_filename (fx->sub, "deep.conf", NULL);
  g_assert_no_errno (g_mkdir_with_parents (fx->sub, 0755));
  g_assert_no_errno (chmod (fx->root, 0755));
  g_assert_no_errno (chmod (fx->sub, 0755));
  test_util_write_file (fx->root, "top.conf", "exec true\n");
  test_util_write_file (fx->sub, "deep.conf", "exec true\n");
  g_assert_no_errno (chmod (fx->top, 0644));
  g_assert_no_errno (chmod (fx->deep, 0644));
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  g_autofree char *base = g_path_get_dirname (fx->root);

  test_util_rm_rf (base);
  g_free (fx->root);
  g_free (fx->sub);
  g_free (fx->top);
  g_free (fx->deep);
}

/* Check @path as the daemon would after opening it. */
static gboolean
check (Fixture      *fx,
       InitConfTrust trust,
       const char   *path,
       GError      **error)
{
  struct stat st;

  g_assert_no_errno (stat (path, &st));
  return init_conf_trust_check (trust, fx->root, path, &st, error);
}

/* Files and directories of root, mode 0644/0755, are believed in both modes. */
static void
test_root_owned (Fixture      *fx,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!need_root ())
    return;
  g_assert_true (check (fx, INIT_CONF_TRUST_SYSTEM, fx->top, &error));
  g_assert_true (check (fx, INIT_CONF_TRUST_SYSTEM, fx->deep, &error));
  g_assert_true (check (fx, INIT_CONF_TRUST_SESSION, fx->deep, &error));
  g_assert_no_error (error);
}

/* A file owned by someone else is refused in both modes, saying whose it is; no check at
 * all accepts it. */
static void
test_stranger_file (Fixture      *fx,
                    gconstpointer data)
{
  g_autoptr(GError) system = NULL;
  g_autoptr(GError) session = NULL;
  g_autofree char *expected = NULL;

  if (!need_root ())
    return;
  g_assert_no_errno (chown (fx->deep, STRANGER, STRANGER));
  g_assert_false (check (fx, INIT_CONF_TRUST_SYSTEM, fx->deep, &system));
  g_assert_false (check (fx, INIT_CONF_TRUST_SESSION, fx->deep, &session));
  g_assert_error (system, G_FILE_ERROR, G_FILE_ERROR_PERM);
  expected = g_strdup_printf ("%s: Refusing the configuration: the file is owned by uid %d, neither root "
                              "nor the daemon's user (uid 0)", fx->deep, STRANGER);
  g_assert_cmpstr (system->message, ==, expected);
  g_assert_cmpstr (session->message, ==, expected);
  g_assert_true (check (fx, INIT_CONF_TRUST_ANY, fx->deep, NULL));
}

/* A group- or world-writable file is refused for the system daemon only. */
static void
test_writable_file (Fixture      *fx,
                    gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  if (!need_root ())
    return;
  g_assert_no_errno (chmod (fx->top, 0664));
  g_assert_false (check (fx, INIT_CONF_TRUST_SYSTEM, fx->top, &error));
  expected = g_strdup_printf ("%s: Refusing the configuration: the file is writable by group or others",
                              fx->top);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_true (check (fx, INIT_CONF_TRUST_SESSION, fx->top, NULL));

  g_clear_error (&error);
  g_assert_no_errno (chmod (fx->top, 0646));
  g_assert_false (check (fx, INIT_CONF_TRUST_SYSTEM, fx->top, &error));
  /* Readable by all is fine: only writing matters. */
  g_assert_no_errno (chmod (fx->top, 0444));
  g_assert_true (check (fx, INIT_CONF_TRUST_SYSTEM, fx->top, NULL));
}

/* Every directory from the file's up to the configuration directory counts: a writable or
 * foreign one is named. */
static void
test_directories (Fixture      *fx,
                  gconstpointer data)
{
  g_autoptr(GError) sub_writable = NULL;
  g_autoptr(GError) root_foreign = NULL;
  g_autofree char *expected = NULL;

  if (!need_root ())
    return;
  g_assert_no_errno (chmod (fx->sub, 0775));
  g_assert_false (check (fx, INIT_CONF_TRUST_SYSTEM, fx->deep, &sub_writable));
  expected = g_strdup_printf ("%s: Refusing the configuration: the directory %s is writable by group or "
                              "others", fx->deep, fx->sub);
  g_assert_cmpstr (sub_writable->message, ==, expected);
  /* The file beside it, directly in root, does not go through sub. */
  g_assert_true (check (fx, INIT_CONF_TRUST_SYSTEM, fx->top, NULL));
  g_assert_no_errno (chmod (fx->sub, 0755));

  g_assert_no_errno (chown (fx->root, STRANGER, 0));
  g_assert_false (check (fx, INIT_CONF_TRUST_SESSION, fx->top, &root_foreign));
  g_assert_nonnull (strstr (root_foreign->message, "the directory"));
  g_assert_nonnull (strstr (root_foreign->message, "owned by uid 4242"));
}

/* Directories above the configuration directory are not the daemon's business (/etc may be
 * anything): only the ones from the file up to the root are looked at. */
static void
test_above_root_ignored (Fixture      *fx,
                         gconstpointer data)
{
  g_autofree char *above = g_path_get_dirname (fx->root);
  g_autofree char *with_slash = g_strconcat (fx->root, "/", NULL);
  struct stat st;

  if (!need_root ())
    return;
  g_assert_no_errno (chmod (above, 0777));
  g_assert_no_errno (chown (above, STRANGER, STRANGER));
  g_assert_true (check (fx, INIT_CONF_TRUST_SYSTEM, fx->deep, NULL));
  /* A root given with a trailing slash stops there too. */
  g_assert_no_errno (stat (fx->deep, &st));
  g_assert_true (init_conf_trust_check (INIT_CONF_TRUST_SYSTEM, with_slash, fx->deep, &st, NULL));
}

/* A directory that cannot be looked at (removed meanwhile) is a refusal with the reason. */
static void
test_missing_directory (Fixture      *fx,
                        gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  struct stat st;

  if (!need_root ())
    return;
  g_assert_no_errno (stat (fx->deep, &st));
  test_util_rm_rf (fx->sub);
  g_assert_false (init_conf_trust_check (INIT_CONF_TRUST_SYSTEM, fx->root, fx->deep, &st, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM);
  g_assert_nonnull (strstr (error->message, "No such file or directory"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/conf-trust/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("root-owned", test_root_owned);
  ADD ("stranger-file", test_stranger_file);
  ADD ("writable-file", test_writable_file);
  ADD ("directories", test_directories);
  ADD ("above-root-ignored", test_above_root_ignored);
  ADD ("missing-directory", test_missing_directory);
#undef ADD
  return g_test_run ();
}
