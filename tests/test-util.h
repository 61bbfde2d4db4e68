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
