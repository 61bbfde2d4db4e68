/* dbus-fixture.h — a private dbus-daemon and the real initd on it, for integration tests
 *
 * Typical use:
 *
 *   DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);   // private bus is up
 *   dbus_fixture_write_job (fx, "hello", "start on go\nexec true\n");
 *   dbus_fixture_start_initd (fx, NULL, NULL);      // returns once initd owns org.example.Init
 *   ... call fx->connection / fx->address (gdbus call --address, busctl --address) ...
 *   dbus_fixture_free (fx);                         // SIGTERMs initd and the bus, removes files
 *
 * Everything lives in one temporary directory (mode 0755, so other users can reach the bus
 * socket).  The bus is started from a config template in tests/data/ in which @SOCKET@ is
 * replaced by the socket path and @POLICYDIR@ by the policy directory given (if any).  initd is
 * the binary named by $INITD (set by tests/meson.build), started with --session or --system,
 * --confdir, --logdir, --no-startup-event unless given other args, --state-file in the
 * directory unless the args name one, and DBUS_SESSION_BUS_ADDRESS
 * or DBUS_SYSTEM_BUS_ADDRESS pointing at the private bus.  Its stderr (and stdout) go to a file
 * that dbus_fixture_get_stderr() reads.  Processes are GSubprocesses, ended by pid, and get
 * SIGTERM if the test process dies (PR_SET_PDEATHSIG), so a failed assertion leaks nothing.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  DBUS_FIXTURE_SESSION,   /* session-bus.conf.in, initd --session */
  DBUS_FIXTURE_SYSTEM,    /* caller's template (e.g. a system bus with our policy), initd --system */
} DBusFixtureMode;

typedef struct
{
  /*< public, read-only >*/
  DBusFixtureMode  mode;
  char            *dir;          /* the temporary directory */
  char            *confdir;      /* dir/conf: initd's --confdir */
  char            *logdir;       /* dir/log: initd's --logdir */
  char            *address;      /* "unix:path=dir/bus.sock" */
  GDBusConnection *connection;   /* the test's own connection to the bus (NULL while it is down) */
  GSubprocess     *bus;          /* NULL while stopped */
  GSubprocess     *initd;        /* NULL until started / after stopped */

  /*< private >*/
  char            *template_path;
  char            *policy_dir;
  char            *stderr_path;
  gboolean         initd_exited;
} DBusFixture;

/* Create the directory and start the bus.  @bus_template: a file name in tests/data/ or an
 * absolute path; NULL means "session-bus.conf.in" (session) — a SYSTEM fixture must name one.
 * Also sets @policy_dir for @POLICYDIR@ with dbus_fixture_set_policy_dir() before a restart. */
DBusFixture *dbus_fixture_new          (DBusFixtureMode      mode,
                                        const char          *bus_template);
/* Substitute @POLICYDIR@ with @dir in the template (takes effect on the next bus start). */
void         dbus_fixture_set_policy_dir (DBusFixture       *fx,
                                          const char        *dir);
/* Stop initd (SIGTERM, wait), stop the bus, remove the directory, free. */
void         dbus_fixture_free         (DBusFixture         *fx);

/* Start initd.  @args: NULL for the defaults (mode, --confdir, --logdir, --no-startup-event),
 * otherwise they replace --no-startup-event (mode, --confdir and --logdir are always given).
 * @env: extra KEY=VALUE entries.  Waits (20 s at most) until initd owns org.example.Init;
 * fails the test with initd's stderr if it exits first. */
void         dbus_fixture_start_initd  (DBusFixture         *fx,
                                        const char * const  *args,
                                        const char * const  *env);
/* SIGTERM initd and wait for it; returns its exit status (or 128 + signal). */
int          dbus_fixture_stop_initd   (DBusFixture         *fx);
/* initd's pid (0 if not running). */
int          dbus_fixture_get_initd_pid (DBusFixture        *fx);
/* Everything initd wrote to stderr so far (newly allocated). */
char        *dbus_fixture_get_stderr   (DBusFixture         *fx);

/* Kill the bus (SIGTERM, or SIGKILL if @hard) and wait for it; fx->connection is dropped. */
void         dbus_fixture_stop_bus     (DBusFixture         *fx,
                                        gboolean             hard);
/* Start the bus again at the same address and reconnect fx->connection. */
void         dbus_fixture_start_bus    (DBusFixture         *fx);
/* Wait (20 s at most) until @name has an owner on the bus; FALSE on timeout. */
gboolean     dbus_fixture_wait_name    (DBusFixture         *fx,
                                        const char          *name);

/* Write @text as confdir/@name.conf (sub-directories are created for "a/b"). */
void         dbus_fixture_write_job    (DBusFixture         *fx,
                                        const char          *name,
                                        const char          *text);
/* A path inside the temporary directory (newly allocated). */
char        *dbus_fixture_path         (DBusFixture         *fx,
                                        const char          *name);

/* Run @argv (NULL-terminated) to completion with the bus address in the environment
 * (DBUS_SESSION_BUS_ADDRESS / DBUS_SYSTEM_BUS_ADDRESS), capturing stdout and stderr (either may
 * be NULL).  Returns the exit status (128 + signal if killed).  The main context keeps running
 * meanwhile, so signals sent to the test connection are not lost. */
int          dbus_fixture_run          (DBusFixture         *fx,
                                        const char * const  *argv,
                                        char               **out,
                                        char               **err);

/* Method calls to org.example.Init on the fixture's bus (60 s timeout). */
GVariant *dbus_fixture_call       (DBusFixture *fx,
                                   const char  *path,
                                   const char  *iface,
                                   const char  *method,
                                   GVariant    *params,
                                   GError     **error);
/* The call succeeds; returns the reply. */
GVariant *dbus_fixture_call_ok    (DBusFixture *fx,
                                   const char  *path,
                                   const char  *iface,
                                   const char  *method,
                                   GVariant    *params);
/* The call fails with D-Bus error @name; returns the message (remote name stripped). */
char     *dbus_fixture_call_fails (DBusFixture *fx,
                                   const char  *path,
                                   const char  *iface,
                                   const char  *method,
                                   GVariant    *params,
                                   const char  *name);

G_END_DECLS
