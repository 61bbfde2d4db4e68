/* initctl-run.c — running the real initctl against a DBusFixture (see initctl-run.h) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "initctl-run.h"
#include "test-util.h"

const char *
run_initctl_path (void)
{
  const char *path = g_getenv ("INITCTL");

  g_assert_nonnull (path);
  return path;
}

static GPtrArray *
full_argv (const RunOptions   *opts,
           const char * const *argv)
{
  GPtrArray *full = g_ptr_array_new_with_free_func (g_free);

  if (opts != NULL && opts->user != NULL)
    {
      struct passwd *pw = getpwnam (opts->user);

      g_assert_nonnull (pw);
      g_ptr_array_add (full, g_strdup ("setpriv"));
      g_ptr_array_add (full, g_strdup_printf ("--reuid=%u", (guint) pw->pw_uid));
      g_ptr_array_add (full, g_strdup_printf ("--regid=%u", (guint) pw->pw_gid));
      g_ptr_array_add (full, g_strdup ("--init-groups"));
      g_ptr_array_add (full, g_strdup ("--"));
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, g_strdup (i == 0 && g_str_equal (argv[0], "initctl")
                                       ? run_initctl_path () : argv[i]));
  g_ptr_array_add (full, NULL);
  return full;
}

static GSubprocessLauncher *
make_launcher (DBusFixture       *fx,
               const RunOptions  *opts,
               GSubprocessFlags   flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  static const char * const cleared[] = {
    "INIT_DBUS_ADDRESS", "INIT_DBUS_MODE", "UPSTART_JOB", "UPSTART_INSTANCE", "UPSTART_EVENTS",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cleared); i++)
    g_subprocess_launcher_unsetenv (launcher, cleared[i]);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", fx->address, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS", fx->address, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  for (guint i = 0; opts != NULL && opts->env != NULL && opts->env[i] != NULL; i++)
    {
      const char *eq = strchr (opts->env[i], '=');

      if (eq == NULL)
        g_subprocess_launcher_unsetenv (launcher, opts->env[i]);
      else
        {
          g_autofree char *key = g_strndup (opts->env[i], eq - opts->env[i]);
          g_subprocess_launcher_setenv (launcher, key, eq + 1, TRUE);
        }
    }
  return launcher;
}

GSubprocess *
run_spawn (DBusFixture        *fx,
           const RunOptions   *opts,
           const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) full = full_argv (opts, argv);
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  launcher = make_launcher (fx, opts, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | (opts != NULL && opts->merge
                                             ? G_SUBPROCESS_FLAGS_STDERR_MERGE
                                             : G_SUBPROCESS_FLAGS_STDERR_PIPE));
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) full->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

int
run_wait (GSubprocess *proc,
          guint        timeout_ms)
{
  gboolean exited = FALSE, timed_out = FALSE;
  guint timer = g_timeout_add (timeout_ms, flag_cb, &timed_out);

  g_subprocess_wait_async (proc, NULL, on_exited, &exited);
  while (!exited && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (exited);
  g_source_remove (timer);
  if (g_subprocess_get_if_signaled (proc))
    return 128 + g_subprocess_get_term_sig (proc);
  return g_subprocess_get_exit_status (proc);
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Communicated;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communicated *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err,
                                        &c->error);
  c->done = TRUE;
}

int
run_argv (DBusFixture         *fx,
          const RunOptions    *opts,
          const char * const  *argv,
          char               **out,
          char               **err)
{
  g_autoptr(GSubprocess) proc = run_spawn (fx, opts, argv);
  Communicated c = { 0 };
  gboolean timed_out = FALSE;
  guint timer = g_timeout_add (120000, flag_cb, &timed_out);
  int status;

  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, &c);
  while (!c.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (c.done);
  g_source_remove (timer);
  g_assert_no_error (c.error);
  status = run_wait (proc, 20000);
  if (out != NULL)
    *out = g_strdup (c.out != NULL ? c.out : "");
  if (err != NULL)
    *err = g_strdup (c.err != NULL ? c.err : "");
  g_free (c.out);
  g_free (c.err);
  return status;
}

int
run_initctl (DBusFixture  *fx,
             char        **out,
             char        **err,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, "initctl");
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return run_argv (fx, NULL, (const char * const *) argv->pdata, out, err);
}

/* ---- pseudo-terminal ---- */

typedef struct
{
  int slave;
} PtyChild;

static void
pty_child_setup (gpointer user_data)
{
  PtyChild *child = user_data;

  /* A new session whose controlling terminal is the pty (fds 0-2 already point at it). */
  setsid ();
  ioctl (child->slave, TIOCSCTTY, 0);
}

gboolean run_pty_echoed;

/* On Linux the master reports the terminal's (slave's) settings. */
static gboolean
echo_on (int master)
{
  struct termios settings;

  return tcgetattr (master, &settings) != 0 || (settings.c_lflag & ECHO);
}

int
run_on_pty (DBusFixture         *fx,
            const RunOptions    *opts,
            const char * const  *argv,
            const char          *prompt,
            const char          *answer,
            char               **output)
{
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (fx, opts, G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) full = full_argv (opts, argv);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean exited = FALSE;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gsize answered_at = 0;
  PtyChild child;
  int master, status;

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  child.slave = open (ptsname (master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (child.slave, >=, 0);
  /* Other users (setpriv) must be able to use it. */
  g_assert_cmpint (fchmod (child.slave, 0666), ==, 0);

  g_subprocess_launcher_take_stdin_fd (launcher, dup (child.slave));
  g_subprocess_launcher_take_stdout_fd (launcher, dup (child.slave));
  g_subprocess_launcher_take_stderr_fd (launcher, dup (child.slave));
  g_subprocess_launcher_set_child_setup (launcher, pty_child_setup, &child, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) full->pdata, &error);
  g_assert_no_error (error);
  close (child.slave);
  g_subprocess_wait_async (proc, NULL, on_exited, &exited);

  /* Read until the child has exited and the terminal has nothing more to say.  The master
   * stays open meanwhile: a reader that sees EOF on its terminal aborts. */
  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd pfd = { master, POLLIN, 0 };
      char buf[4096];
      ssize_t n = 0;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (poll (&pfd, 1, 20) > 0 && (pfd.revents & POLLIN))
        n = read (master, buf, sizeof buf);
      if (n > 0)
        g_string_append_len (text, buf, n);
      else if (exited)
        break;
      /* Answer once the reader has turned echo off: it flushes what was typed before. */
      if (prompt != NULL && text->len > answered_at
          && g_str_has_suffix (text->str, prompt) && !echo_on (master))
        {
          g_assert_cmpint (write (master, answer, strlen (answer)), ==, (gssize) strlen (answer));
          answered_at = text->len;
        }
    }
  if (!exited)
    g_error ("%s did not exit; the terminal showed:\n%s", argv[0], text->str);
  run_pty_echoed = echo_on (master);
  close (master);
  status = g_subprocess_get_if_signaled (proc) ? 128 + g_subprocess_get_term_sig (proc)
                                               : g_subprocess_get_exit_status (proc);
  if (output != NULL)
    *output = g_string_free (g_steal_pointer (&text), FALSE);
  return status;
}

/* ---- assertions ---- */

void
run_assert (DBusFixture *fx,
            int          status,
            const char  *expected_out,
            const char  *expected_err,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *masked = NULL;
  const char *arg;
  va_list args;
  int got;

  g_ptr_array_add (argv, "initctl");
  va_start (args, expected_err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  got = run_argv (fx, NULL, (const char * const *) argv->pdata, &out, &err);
  masked = run_mask_pids (out);
  if (expected_out != NULL)
    g_assert_cmpstr (masked, ==, expected_out);
  if (expected_err != NULL)
    g_assert_cmpstr (err, ==, expected_err);
  if (got != status)
    g_error ("exit status %d, expected %d; stdout:\n%s\nstderr:\n%s", got, status, out, err);
}

char *
run_python (const char *script,
            const char *input)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                             | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, "/usr/bin/python3", "-c", script, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("python failed on:\n%s\n%s", input, err);
  return out;
}

/* ---- fixtures ---- */

void
run_write_job (DBusFixture *fx,
               const char  *name,
               const char  *text)
{
  g_autoptr(GString) expanded = g_string_new (text);

  g_string_replace (expanded, "@DIR@", fx->dir, 0);
  g_string_replace (expanded, "@INITCTL@", run_initctl_path (), 0);
  dbus_fixture_write_job (fx, name, expanded->str);
}

DBusFixture *
run_fixture_new (const char * const *jobs)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);

  for (guint i = 0; jobs != NULL && jobs[i] != NULL; i += 2)
    run_write_job (fx, jobs[i], jobs[i + 1]);
  dbus_fixture_start_initd (fx, NULL, NULL);
  return fx;
}

typedef struct
{
  DBusFixture        *fx;
  const char * const *argv;
  const char         *expected;
} OutputWait;

static gboolean
output_is (gpointer user_data)
{
  OutputWait *w = user_data;
  g_autofree char *out = NULL;
  g_autofree char *masked = NULL;

  run_argv (w->fx, NULL, w->argv, &out, NULL);
  masked = run_mask_pids (out);
  return g_str_equal (masked, w->expected);
}

gboolean
run_wait_output (DBusFixture        *fx,
                 const char * const *argv,
                 const char         *expected,
                 guint               ms)
{
  OutputWait w = { fx, argv, expected };

  return test_util_wait_until (output_is, &w, ms);
}

gboolean
run_wait_status (DBusFixture *fx,
                 const char  *job,
                 const char  *line,
                 guint        ms)
{
  const char *argv[] = { "initctl", "status", job, NULL };

  return run_wait_output (fx, argv, line, ms);
}

/* ---- transcripts ---- */

char *
run_mask_pids (const char *text)
{
  static GRegex *regex;

  if (regex == NULL)
    regex = g_regex_new ("process [0-9]+", G_REGEX_OPTIMIZE, 0, NULL);
  return g_regex_replace_literal (regex, text, -1, 0, "process N", 0, NULL);
}

static gboolean
file_written (gpointer user_data)
{
  g_autofree char *text = test_util_read_file (user_data);

  return text != NULL && text[0] != '\0';
}

gboolean
run_wait_for_file (const char *path,
                   guint       ms)
{
  return test_util_wait_until (file_written, (gpointer) path, ms);
}

static void
run_one (DBusFixture *fx,
         const char  *command,
         GString     *expected)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *masked_out = NULL;
  g_autofree char *masked_expected = NULL;
  RunOptions opts = { NULL, NULL, TRUE };

  g_shell_parse_argv (command, NULL, &argv, &error);
  g_assert_no_error (error);
  if (g_str_equal (argv[0], "cat") && argv[1] != NULL && !g_str_has_prefix (expected->str, "cat:"))
    g_assert_true (run_wait_for_file (argv[1], 10000));
  run_argv (fx, &opts, (const char * const *) argv, &out, NULL);
  masked_out = run_mask_pids (out);
  masked_expected = run_mask_pids (expected->str);
  if (g_strcmp0 (masked_out, masked_expected) != 0)
    g_error ("transcript: `%s'\nexpected:\n%s\ngot:\n%s", command, masked_expected, masked_out);
}

void
run_transcript (DBusFixture *fx,
                const char  *transcript)
{
  g_autoptr(GString) text = g_string_new (transcript);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  const char *command = NULL;

  g_string_replace (text, "@DIR@", fx->dir, 0);
  if (g_str_has_suffix (text->str, "\n"))
    g_string_truncate (text, text->len - 1);
  lines = g_strsplit (text->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "# "))
        {
          if (command != NULL)
            run_one (fx, command, expected);
          command = lines[i] + 2;
          g_string_truncate (expected, 0);
          continue;
        }
      g_string_append (expected, lines[i]);
      g_string_append_c (expected, '\n');
    }
  if (command != NULL)
    run_one (fx, command, expected);
}
