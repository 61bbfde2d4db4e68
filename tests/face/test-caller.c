/* test-caller.c — what the history records of a caller: uid, pid and the program it runs
 * (never its arguments, which can carry secrets) */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>

#include "init-caller.h"

/* A live process: its program is the path of its executable. */
static void
test_command_is_executable (void)
{
  g_autoptr(InitCaller) caller = init_caller_new (1000, (guint32) getpid ());
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  g_assert_cmpuint (caller->uid, ==, 1000);
  g_assert_cmpuint (caller->pid, ==, (guint32) getpid ());
  g_assert_nonnull (exe);
  g_assert_cmpstr (caller->command, ==, exe);
  /* The program, not the command line: our arguments do not show. */
  g_assert_null (strstr (caller->command, " "));
}

/* No pid, or a process that is gone: the program is "" (never NULL). */
static void
test_command_unknown (void)
{
  g_autoptr(InitCaller) none = init_caller_new (0, 0);
  g_autoptr(InitCaller) gone = NULL;
  pid_t child = fork ();

  if (child == 0)
    _exit (0);
  g_assert_cmpint (child, >, 0);
  g_assert_cmpint (waitpid (child, NULL, 0), ==, child);
  gone = init_caller_new (0, (guint32) child);
  g_assert_cmpstr (none->command, ==, "");
  g_assert_cmpstr (gone->command, ==, "");
}

/* A copy owns its command: freeing the original leaves it whole. */
static void
test_copy_is_deep (void)
{
  InitCaller *caller = init_caller_new (7, (guint32) getpid ());
  g_autoptr(InitCaller) copy = init_caller_copy (caller);
  g_autofree char *command = g_strdup (caller->command);

  g_assert_true (copy->command != caller->command);
  init_caller_free (caller);
  g_assert_cmpuint (copy->uid, ==, 7);
  g_assert_cmpuint (copy->pid, ==, (guint32) getpid ());
  g_assert_cmpstr (copy->command, ==, command);
  init_caller_free (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/face/caller/command-is-executable", test_command_is_executable);
  g_test_add_func ("/face/caller/command-unknown", test_command_unknown);
  g_test_add_func ("/face/caller/copy-is-deep", test_copy_is_deep);

  return g_test_run ();
}
