/* test-log-crash.c — `console log` jobs outlive a crash of initd, and so does their output
 *
 * The real initd on a private session bus, a real job writing a numbered line every 50 ms
 * to its console log.  initd is killed (SIGKILL) and started again: the job must not notice
 * (no EIO, so its `sh -e` script goes on), the new daemon adopts it, and the log has every
 * line, in order, including those written while no daemon ran.  Once with the pty keeper
 * (initd-pty-keeper), once with systemd's file-descriptor store, the test playing systemd:
 * it listens on $NOTIFY_SOCKET, keeps the fds sent with FDSTORE=1 under their FDNAME, drops
 * them on FDSTOREREMOVE=1, and passes them to the next initd as LISTEN_FDS.
 */
#define G_LOG_DOMAIN "test-log-crash"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "init-fd-passing.h"
#include "initctl-run.h"
#include "test-util.h"

#define TICKER "console log\n" \
  "script\n" \
  "  i=0\n" \
  "  while :; do echo \"line $i\"; i=$((i+1)); sleep 0.05; done\n" \
  "end script\n"

typedef struct
{
  DBusFixture *fx;
  GHashTable  *stored;   /* the fake systemd's store: FDNAME → fd */
  int          notify;   /* its NOTIFY_SOCKET, or -1 */
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  f->stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->notify = -1;
}

static void
teardown (Fixture *f, gconstpointer data)
{
  GHashTableIter iter;
  gpointer fd;

  dbus_fixture_free (f->fx);
  g_hash_table_iter_init (&iter, f->stored);
  while (g_hash_table_iter_next (&iter, NULL, &fd))
    close (GPOINTER_TO_INT (fd));
  g_hash_table_unref (f->stored);
  if (f->notify >= 0)
    close (f->notify);
}

/* The pid in "job start/running, process N". */
static int
main_pid (Fixture    *f,
          const char *job)
{
  g_autofree char *out = NULL;
  char *p;

  run_initctl (f->fx, &out, NULL, "status", job, NULL);
  p = strstr (out, "process ");
  g_assert_nonnull (p);
  return (int) g_ascii_strtoll (p + strlen ("process "), NULL, 10);
}

/* The log holds "line 0", "line 1"… with none missing, doubled or out of order; returns how
 * many. */
static int
assert_lines_complete (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->fx->logdir, "ticker.log", NULL);
  g_autofree char *text = test_util_read_file (path);

  g_assert_nonnull (text);
  return test_util_assert_numbered_lines (text);
}

/* After the kill: the environment for the next initd (NULL: the same). */
typedef char **(*BetweenFunc) (Fixture *f);

/* Run the ticker, kill initd, let the ticker write on for a second without a daemon, start
 * initd again (crash adoption), and check that nothing was lost.  initd runs with @env;
 * @between (if not NULL) runs after the kill (the fake systemd hands its store back). */
static void
crash_and_restart (Fixture           *f,
                   const char *const *env,
                   BetweenFunc        between)
{
  g_autofree char *err = NULL;
  g_auto (GStrv) env_after = NULL;
  g_autofree char *initd = g_strdup (g_getenv ("INITD"));
  int pid, lines;

  dbus_fixture_write_job (f->fx, "ticker", TICKER);
  dbus_fixture_start_initd (f->fx, (const char *[]) { "--no-startup-event", "-v", NULL }, env);
  g_assert_cmpint (run_initctl (f->fx, NULL, NULL, "start", "ticker", NULL), ==, 0);
  pid = main_pid (f, "ticker");
  test_util_spin (500);

  g_assert_cmpint (kill (dbus_fixture_get_initd_pid (f->fx), SIGKILL), ==, 0);
  dbus_fixture_stop_initd (f->fx);
  if (between != NULL)
    env_after = between (f);
  /* ~20 lines without a daemon: its terminal must not hang up (EIO would end `sh -e`). */
  test_util_spin (1000);
  g_assert_true (test_util_pid_alive (pid));

  dbus_fixture_start_initd (f->fx, (const char *[]) { "--no-startup-event", "-v", NULL },
                            env_after != NULL ? (const char *const *) env_after : env);
  g_setenv ("INITD", initd, TRUE);
  if (!run_wait_status (f->fx, "ticker", "ticker start/running, process N\n", 30000))
    {
      g_autofree char *log = dbus_fixture_get_stderr (f->fx);

      g_error ("the ticker was not adopted; initd said:\n%s", log);
    }
  g_assert_cmpint (main_pid (f, "ticker"), ==, pid);
  test_util_spin (500);
  g_assert_cmpint (run_initctl (f->fx, NULL, &err, "stop", "ticker", NULL), ==, 0);
  g_assert_false (test_util_pid_alive (pid));

  lines = assert_lines_complete (f);
  /* 2 s of ticking at 20 lines a second, a second of it with no daemon at all. */
  g_assert_cmpint (lines, >, 30);
  g_assert_cmpint (dbus_fixture_stop_initd (f->fx), ==, 0);
}

/* Nobody listens at @user_data (a socket path) any more. */
static gboolean
keeper_gone (gpointer user_data)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  gboolean gone;

  g_strlcpy (addr.sun_path, user_data, sizeof addr.sun_path);
  gone = connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0;
  close (fd);
  return gone;
}

/* Without systemd: the pty keeper holds the masters and reads them while initd is away. */
static void
test_keeper (Fixture *f, gconstpointer data)
{
  g_autofree char *socket_path = g_build_filename (f->fx->dir, "state.ptys", NULL);

  crash_and_restart (f, NULL, NULL);
  /* The keeper was the one used, and it goes with the clean exit. */
  g_assert_true (g_file_test (socket_path, G_FILE_TEST_EXISTS));
  g_assert_true (test_util_wait_until (keeper_gone, socket_path, 10000));
}

/* ---- playing systemd ---- */

/* Everything initd sent to $NOTIFY_SOCKET so far, applied to the store. */
static void
collect_store (Fixture *f)
{
  char text[4096];
  int fds[4];
  guint n_fds;
  gssize n;

  while ((n = init_fd_receive (f->notify, text, fds, &n_fds)) > 0)
    {
      const char *name = strstr (text, "FDNAME=");
      g_autofree char *key = name != NULL ? g_strndup (name + 7, strcspn (name + 7, "\n")) : NULL;
      gpointer old_key, old;

      g_assert_nonnull (key);
      /* Stolen: the fd is closed here, the key freed here (the table would not). */
      if (g_hash_table_steal_extended (f->stored, key, &old_key, &old))
        {
          g_free (old_key);
          close (GPOINTER_TO_INT (old));
        }
      if (strstr (text, "FDSTORE=1") != NULL)
        {
          g_assert_cmpuint (n_fds, ==, 1);
          g_hash_table_insert (f->stored, g_strdup (key), GINT_TO_POINTER (fds[0]));
        }
      else
        g_assert_nonnull (strstr (text, "FDSTOREREMOVE=1"));
    }
}

/* The store goes to the next initd as systemd passes it: fds 3…, LISTEN_FDS and
 * LISTEN_FDNAMES in order, LISTEN_PID set by a wrapper that execs initd (the pid is known
 * only after the fork).  Returns the next initd's environment. */
static char **
hand_store_back (Fixture *f)
{
  g_autofree char *wrapper = g_build_filename (f->fx->dir, "initd-under-systemd", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\nLISTEN_PID=$$ exec %s \"$@\"\n",
                                             g_getenv ("INITD"));
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *notify = g_strconcat ("NOTIFY_SOCKET=", f->fx->dir, "/notify.sock", NULL);
  g_autofree char *n_fds = NULL;
  g_autofree char *fd_names = NULL;
  g_autoptr(GStrvBuilder) env = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key, fd;

  collect_store (f);
  /* The ticker's one process, and nothing else. */
  g_assert_cmpuint (g_hash_table_size (f->stored), ==, 1);
  g_hash_table_iter_init (&iter, f->stored);
  while (g_hash_table_iter_next (&iter, &key, &fd))
    {
      int copy = dup (GPOINTER_TO_INT (fd));

      g_assert_true (g_str_has_prefix (key, "pty-"));
      g_string_append_printf (names, "%s%s", names->len > 0 ? ":" : "", (char *) key);
      dbus_fixture_pass_fds (f->fx, &copy, 1);
    }
  g_assert_true (g_file_set_contents (wrapper, script, -1, NULL));
  g_assert_cmpint (g_chmod (wrapper, 0755), ==, 0);
  g_setenv ("INITD", wrapper, TRUE);
  n_fds = g_strdup_printf ("LISTEN_FDS=%u", g_hash_table_size (f->stored));
  fd_names = g_strconcat ("LISTEN_FDNAMES=", names->str, NULL);
  g_strv_builder_add_many (env, notify, n_fds, fd_names, NULL);
  return g_strv_builder_end (env);
}

static void
test_fd_store (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->fx->dir, "notify.sock", NULL);
  g_autofree char *keeper = g_build_filename (f->fx->dir, "state.ptys", NULL);
  g_autofree char *notify_env = g_strconcat ("NOTIFY_SOCKET=", path, NULL);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  const char *env[] = { notify_env, NULL };

  f->notify = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  g_assert_cmpint (f->notify, >=, 0);
  g_strlcpy (addr.sun_path, path, sizeof addr.sun_path);
  g_assert_cmpint (bind (f->notify, (struct sockaddr *) &addr, sizeof addr), ==, 0);

  crash_and_restart (f, env, hand_store_back);
  /* systemd's store was used, not a keeper; and a pty that ended was removed from it. */
  g_assert_false (g_file_test (keeper, G_FILE_TEST_EXISTS));
  collect_store (f);
  g_assert_cmpuint (g_hash_table_size (f->stored), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/log-crash/keeper", Fixture, NULL, setup, test_keeper, teardown);
  g_test_add ("/log-crash/fd-store", Fixture, NULL, setup, test_fd_store, teardown);
  return g_test_run ();
}
