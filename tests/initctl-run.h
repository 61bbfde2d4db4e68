/* initctl-run.h — running the real initctl against a DBusFixture, for tests/test-initctl*.c
 *
 * Every run gets a clean environment for initctl: $INIT_DBUS_ADDRESS, $INIT_DBUS_MODE and
 * $UPSTART_* are removed, and both $DBUS_SESSION_BUS_ADDRESS and $DBUS_SYSTEM_BUS_ADDRESS
 * point at the fixture's bus, so a plain `initctl status foo' (which uses the system bus, as
 * a root prompt in the reference transcripts does) reaches the daemon under test.  The main
 * context keeps running while a command runs.
 */
#pragma once

#include <gio/gio.h>

#include "dbus-fixture.h"

G_BEGIN_DECLS

typedef struct
{
  const char * const *env;    /* extra "KEY=VALUE" entries; a bare "KEY" unsets it */
  const char         *user;   /* run as this user (setpriv), NULL: as ourselves */
  gboolean            merge;  /* stderr into stdout (in order) */
} RunOptions;

/* $INITCTL, the binary under test. */
const char  *run_initctl_path   (void);

/* Run @argv ("initctl" as argv[0] means $INITCTL) to completion; returns the exit status
 * (128 + signal if killed).  @out / @err may be NULL. */
int          run_argv           (DBusFixture         *fx,
                                 const RunOptions    *opts,
                                 const char * const  *argv,
                                 char               **out,
                                 char               **err);
/* run_argv() of `initctl ARGS…' (NULL-terminated) with default options. */
int          run_initctl        (DBusFixture         *fx,
                                 char               **out,
                                 char               **err,
                                 ...) G_GNUC_NULL_TERMINATED;
/* Start @argv without waiting (stdout and stderr piped, stdin /dev/null). */
GSubprocess *run_spawn          (DBusFixture         *fx,
                                 const RunOptions    *opts,
                                 const char * const  *argv);
/* Wait (iterating the main context) for @proc to exit; its exit status or 128 + signal. */
int          run_wait           (GSubprocess         *proc,
                                 guint                timeout_ms);

/* Run @argv on a fresh pseudo-terminal that is its controlling terminal and its stdin,
 * stdout and stderr.  Each time the output so far ends with @prompt (if not NULL), @answer
 * is typed, once the reader has turned echo off (a password prompt flushes earlier input).
 * Returns the exit status; *@output gets everything written to the terminal. */
int          run_on_pty         (DBusFixture         *fx,
                                 const RunOptions    *opts,
                                 const char * const  *argv,
                                 const char          *prompt,
                                 const char          *answer,
                                 char               **output);

/* Whether the terminal of the last run_on_pty() still echoed input when the program ended. */
extern gboolean run_pty_echoed;

/* "process 1234" -> "process N", so outputs compare byte for byte without their pids. */
char        *run_mask_pids      (const char          *text);

/* Run a transcript as in seed-examples.md.  Lines starting with "# " are commands (parsed
 * like a shell would; `initctl' is $INITCTL, others come from $PATH); the lines that follow,
 * up to the next command, are their exact output (stdout and stderr merged).  "@DIR@" stands
 * for the fixture's directory.  pids are masked.  `cat FILE', when the expected output is not
 * an error, first waits for FILE to be written: the transcripts' jobs are services whose
 * script runs after `emit' has returned (a service is running once its process is spawned). */
void         run_transcript     (DBusFixture         *fx,
                                 const char          *transcript);

/* A private session bus with the real initd running @jobs: pairs of "name", "text", NULL.
 * In the texts "@DIR@" is the fixture's directory and "@INITCTL@" the initctl under test. */
DBusFixture *run_fixture_new    (const char * const  *jobs);
/* Write one job the same way (initd picks it up by itself). */
void         run_write_job      (DBusFixture         *fx,
                                 const char          *name,
                                 const char          *text);
/* Iterate the main context until @argv prints @expected on stdout (pids masked), or @ms
 * pass; run_wait_status() for `initctl status JOB'. */
gboolean     run_wait_output    (DBusFixture         *fx,
                                 const char * const  *argv,
                                 const char          *expected,
                                 guint                ms);
gboolean     run_wait_status    (DBusFixture         *fx,
                                 const char          *job,
                                 const char          *line,
                                 guint                ms);

/* Iterate the main context until @path exists with non-empty contents (or @ms pass). */
gboolean     run_wait_for_file  (const char          *path,
                                 guint                ms);

/* Run `initctl ARGS…' and check its exit status, stdout and stderr (pids masked in stdout;
 * NULL: not checked). */
#define assert_initctl(fx, status, out, err, ...) \
  run_assert ((fx), (status), (out), (err), __VA_ARGS__, NULL)
void         run_assert         (DBusFixture         *fx,
                                 int                  status,
                                 const char          *expected_out,
                                 const char          *expected_err,
                                 ...) G_GNUC_NULL_TERMINATED;
/* Feed @input to /usr/bin/python3 -c @script and return its stdout (the test fails if the
 * script does: that is how JSON output is checked). */
char        *run_python         (const char          *script,
                                 const char          *input);

/* The other parts of test-initctl. */
void         test_initctl_seed_register (void);
void         test_initctl_auth_register (void);
void         test_initctl_live_register (void);

G_END_DECLS
