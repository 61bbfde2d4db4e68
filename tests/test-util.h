/* test-util.h — small helpers shared by the test programs */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fresh private directory under $TMPDIR, removed (recursively) by test_util_rm_rf(). */
char     *test_util_mkdtemp     (void);
/* Write @content to @dir/@name (creating sub-directories) atomically or directly. */
void      test_util_write_file  (const char *dir,
                                 const char *name,
                                 const char *content);
/* Read a whole file, or NULL if it does not exist. */
char     *test_util_read_file   (const char *path);
/* Recursively delete @path (no symlink following). */
void      test_util_rm_rf       (const char *path);

typedef gboolean (*TestUtilCondition) (gpointer user_data);

/* Iterate the thread-default main context until @cond returns TRUE or @timeout_ms elapses
 * (generous timeouts only: never a measure of speed). Returns the last value of @cond. */
gboolean  test_util_wait_until  (TestUtilCondition cond,
                                 gpointer          user_data,
                                 guint             timeout_ms);
/* Iterate the main context for @ms milliseconds (for "nothing happens" checks). */
void      test_util_spin        (guint             ms);

/* Does a process with @pid exist (and is not a zombie)? */
gboolean  test_util_pid_alive   (int               pid);

G_END_DECLS

G_BEGIN_DECLS
/* g_test_expect_message() does not see structured log messages in GLib 2.74 (the engine is
 * built with G_LOG_USE_STRUCTURED), so tests capture the warnings they provoke with a log
 * writer and compare them; any other warning still aborts the test.
 * Call test_util_capture_install() once in main() after g_test_init(). */
void      test_util_capture_install (void);
void      test_util_capture_start   (void);
/* Exactly the warnings matching @patterns (globs on "domain: message"), in order. */
void      test_util_capture_assert  (const char * const *patterns);
/* Was a warning matching @pattern captured since the last start? */
gboolean  test_util_capture_contains (const char *pattern);
/* Stop capturing (captured warnings are logged as test messages). */
void      test_util_capture_stop    (void);
G_END_DECLS
