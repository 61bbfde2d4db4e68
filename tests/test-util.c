/* test-util.c — small helpers shared by the test programs */
#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "test-util.h"

char *
test_util_mkdtemp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("init-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
test_util_write_file (const char *dir,
                      const char *name,
                      const char *content)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
}

char *
test_util_read_file (const char *path)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

void
test_util_rm_rf (const char *path)
{
  GDir *dir;
  const char *name;

  if (path == NULL)
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          test_util_rm_rf (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

gboolean
test_util_wait_until (TestUtilCondition cond,
                      gpointer          user_data,
                      guint             timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GMainContext *context = g_main_context_get_thread_default ();

  while (!cond (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        return cond (user_data);
      /* Non-blocking iterations with a short sleep so a condition that depends on another
       * process (not on a main-context source) is noticed too. */
      if (!g_main_context_iteration (context, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

void
test_util_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  GMainContext *context = g_main_context_get_thread_default ();

  while (g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (context, FALSE))
        g_usleep (1000);
    }
}

gboolean
test_util_pid_alive (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = test_util_read_file (path);
  const char *p;

  if (stat == NULL)
    return FALSE;
  /* State is the field after the parenthesised command name. */
  p = strrchr (stat, ')');
  if (p == NULL || p[1] == '\0' || p[2] == '\0')
    return FALSE;
  return p[2] != 'Z' && p[2] != 'X';
}

static GPtrArray *captured;   /* "domain: message" */
static gboolean capturing;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  if (!capturing || (level & G_LOG_LEVEL_WARNING) == 0)
    return g_log_writer_default (level, fields, n_fields, user_data);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }
  g_ptr_array_add (captured, g_strdup_printf ("%s: %s", domain, message));
  return G_LOG_WRITER_HANDLED;
}

void
test_util_capture_install (void)
{
  captured = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (capture_writer, NULL, NULL);
}

void
test_util_capture_start (void)
{
  g_assert_nonnull (captured);
  g_ptr_array_set_size (captured, 0);
  capturing = TRUE;
}

void
test_util_capture_assert (const char * const *patterns)
{
  guint i;

  capturing = FALSE;
  for (i = 0; patterns[i] != NULL; i++)
    {
      g_assert_cmpuint (i, <, captured->len);
      g_test_message ("warning \"%s\", expected \"%s\"",
                      (char *) g_ptr_array_index (captured, i), patterns[i]);
      g_assert_true (g_pattern_match_simple (patterns[i], g_ptr_array_index (captured, i)));
    }
  g_assert_cmpuint (captured->len, ==, i);
}

gboolean
test_util_capture_contains (const char *pattern)
{
  for (guint i = 0; captured != NULL && i < captured->len; i++)
    if (g_pattern_match_simple (pattern, g_ptr_array_index (captured, i)))
      return TRUE;
  return FALSE;
}

void
test_util_capture_stop (void)
{
  capturing = FALSE;
  for (guint i = 0; captured != NULL && i < captured->len; i++)
    g_test_message ("captured warning: %s", (char *) g_ptr_array_index (captured, i));
}
