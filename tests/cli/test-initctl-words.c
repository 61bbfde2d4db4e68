/* test-initctl-words.c — initctl's status lines, job rows and error reports, in-process
 *
 * initctl's status, connect, json, tree and agent sources are compiled into this program;
 * its output layer (initctl_error, initctl_usage_error, initctl_output, in initctl.c beside
 * main()) is replaced by the capture below, so each case reads exactly what a person would.
 * No bus: the values are the ones the daemon sends (property dictionaries, GetManagedObjects
 * replies, D-Bus errors).
 */
#define G_LOG_DOMAIN "init-cli-test"

#include <locale.h>
#include <string.h>

#include "initctl.h"

/* ---- the output layer, captured ---- */

static GString *captured_err;
static GString *captured_out;

/* "<prog>: <message>" into the captured stderr (nothing for an empty message). */
static void
capture_error (Initctl    *ctl,
               const char *format,
               va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  if (message[0] != '\0')
    g_string_append_printf (captured_err, "%s: %s\n", ctl->prog, message);
}

void
initctl_error (Initctl    *ctl,
               const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  capture_error (ctl, format, args);
  va_end (args);
}

int
initctl_usage_error (Initctl    *ctl,
                     const char *format,
                     ...)
{
  va_list args;

  va_start (args, format);
  capture_error (ctl, format, args);
  va_end (args);
  g_string_append (captured_err, "(usage)\n");
  return INITCTL_EXIT_FAILURE;
}

void
initctl_output (Initctl       *ctl,
                const GString *text)
{
  if (!ctl->quiet)
    g_string_append_len (captured_out, text->str, text->len);
}

static void
capture_reset (void)
{
  g_string_truncate (captured_err, 0);
  g_string_truncate (captured_out, 0);
}

static GVariant *
parsed (const char *text)
{
  return g_variant_ref_sink (g_variant_new_parsed (text));
}

/* ---- property lookups ---- */

/* Strings and object paths read as strings; a wrong type or a missing key gives the
 * fallback; NULL dictionaries are allowed everywhere. */
static void
test_prop_string (void)
{
  g_autoptr(GVariant) props = parsed ("{'Name': <'tty1'>, 'Job': <objectpath '/org/example/Init/jobs/tty'>,"
                                      " 'Goal': <uint32 3>}");

  g_assert_cmpstr (initctl_prop_string (props, "Name", "x"), ==, "tty1");
  g_assert_cmpstr (initctl_prop_string (props, "Job", NULL), ==, "/org/example/Init/jobs/tty");
  g_assert_cmpstr (initctl_prop_string (props, "Goal", "stop"), ==, "stop");
  g_assert_cmpstr (initctl_prop_string (props, "State", "waiting"), ==, "waiting");
  g_assert_null (initctl_prop_string (NULL, "Name", NULL));
}

/* String lists are empty (never NULL) when missing or of another type. */
static void
test_prop_strv (void)
{
  g_autoptr(GVariant) props = parsed ("{'Emits': <['a', 'b']>, 'Name': <'x'>}");
  g_autofree const char **emits = initctl_prop_strv (props, "Emits");
  g_autofree const char **wrong = initctl_prop_strv (props, "Name");
  g_autofree const char **missing = initctl_prop_strv (NULL, "Emits");

  g_assert_cmpuint (g_strv_length ((char **) emits), ==, 2);
  g_assert_cmpstr (emits[1], ==, "b");
  g_assert_nonnull (wrong);
  g_assert_null (wrong[0]);
  g_assert_null (missing[0]);
}

/* Booleans are FALSE unless present and true; integers take int32 and uint32 and fall back
 * otherwise (a 64-bit FailedAt is not an exit status). */
static void
test_prop_numbers (void)
{
  g_autoptr(GVariant) props = parsed ("{'Failed': <true>, 'Task': <false>, 'Count': <'3'>,"
                                      " 'ExitStatus': <-1>, 'RespawnCount': <uint32 4000000000>,"
                                      " 'FailedAt': <uint64 5>}");

  g_assert_true (initctl_prop_boolean (props, "Failed"));
  g_assert_false (initctl_prop_boolean (props, "Task"));
  g_assert_false (initctl_prop_boolean (props, "Count"));
  g_assert_false (initctl_prop_boolean (NULL, "Failed"));
  g_assert_cmpint (initctl_prop_int (props, "ExitStatus", 7), ==, -1);
  g_assert_cmpint (initctl_prop_int (props, "RespawnCount", 0), ==, 4000000000);
  g_assert_cmpint (initctl_prop_int (props, "FailedAt", 9), ==, 9);
  g_assert_cmpint (initctl_prop_int (props, "Count", 9), ==, 9);
  g_assert_cmpint (initctl_prop_int (NULL, "ExitStatus", -2), ==, -2);
}

/* ---- status lines ---- */

static char *
status_line (const char *job,
             const char *props_text)
{
  g_autoptr(GVariant) props = props_text != NULL ? parsed (props_text) : NULL;
  GString *out = g_string_new (NULL);

  initctl_append_status (out, job, props);
  return g_string_free (out, FALSE);
}

typedef struct
{
  const char *props;
  const char *line;
} StatusCase;

/* Upstart's status line: the instance in brackets, goal/state, the first process named
 * only when its state does not say which it is, further processes on lines of their own. */
static void
test_status_lines (void)
{
  static const StatusCase cases[] = {
    { NULL, "web stop/waiting\n" },
    { "{'Name': <''>, 'Goal': <'start'>, 'State': <'running'>, 'Processes': <[('main', 12)]>}",
      "web start/running, process 12\n" },
    { "{'Name': <'8080'>, 'Goal': <'start'>, 'State': <'running'>, 'Processes': <@a(si) []>}",
      "web (8080) start/running\n" },
    { "{'Goal': <'start'>, 'State': <'pre-start'>, 'Processes': <[('pre-start', 5)]>}",
      "web start/pre-start, process 5\n" },
    { "{'Goal': <'stop'>, 'State': <'post-stop'>, 'Processes': <[('post-stop', 6)]>}",
      "web stop/post-stop, process 6\n" },
    { "{'Goal': <'start'>, 'State': <'post-start'>, 'Processes': <[('post-start', 7), ('main', 8)]>}",
      "web start/post-start, (post-start) process 7\n\tmain process 8\n" },
    { "{'Goal': <'stop'>, 'State': <'pre-stop'>, 'Processes': <[('main', 8), ('pre-stop', 9)]>}",
      "web stop/pre-stop, process 8\n\tpre-stop process 9\n" },
    /* Processes of the wrong type are no processes. */
    { "{'Goal': <'start'>, 'State': <'running'>, 'Processes': <['main']>}",
      "web start/running\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = status_line ("web", cases[i].props);

      g_assert_cmpstr (line, ==, cases[i].line);
    }
}

/* The JSON twin has every field, with defaults for a job without an instance, and escapes
 * names. */
static void
test_status_json (void)
{
  g_autoptr(GVariant) failed = parsed ("{'Name': <'a\"b'>, 'Goal': <'stop'>, 'State': <'waiting'>,"
                                       " 'Processes': <[('main', 1), ('post-stop', 2)]>,"
                                       " 'Failed': <true>, 'FailedProcess': <'main'>,"
                                       " 'ExitStatus': <3>, 'ExitSignal': <''>, 'RespawnCount': <uint32 2>}");
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) none = g_string_new (NULL);

  initctl_append_status_json (out, "web", failed);
  initctl_append_status_json (none, "idle", NULL);

  g_assert_cmpstr (out->str, ==,
                   "{\"job\":\"web\",\"instance\":\"a\\\"b\",\"goal\":\"stop\",\"state\":\"waiting\","
                   "\"processes\":[{\"name\":\"main\",\"pid\":1},{\"name\":\"post-stop\",\"pid\":2}],"
                   "\"failed\":true,\"failed_process\":\"main\",\"exit_status\":3,\"exit_signal\":\"\","
                   "\"respawn_count\":2}");
  g_assert_cmpstr (none->str, ==,
                   "{\"job\":\"idle\",\"instance\":\"\",\"goal\":\"stop\",\"state\":\"waiting\","
                   "\"processes\":[],\"failed\":false,\"failed_process\":\"\",\"exit_status\":-1,"
                   "\"exit_signal\":\"\",\"respawn_count\":0}");
}

/* ---- job rows from GetManagedObjects ---- */

#define JOB(path, name) \
  "'" path "': {'org.example.Init.Job': {'Name': <'" name "'>}}"
#define INSTANCE(path, job_path, name) \
  "'" path "': {'org.example.Init.Instance': {'Name': <'" name "'>, 'Job': <objectpath '" job_path "'>}}"

/* "job: instance, instance; job: …" from collected rows. */
static char *
rows_text (GPtrArray *rows)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      InitctlJobRow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (out, "%s%s:", i > 0 ? "; " : "", row->name);
      for (guint j = 0; row->instances != NULL && j < row->instances->len; j++)
        g_string_append_printf (out, "%s%s", j > 0 ? "," : " ",
                                initctl_prop_string (g_ptr_array_index (row->instances, j), "Name", "?"));
    }
  return g_string_free (out, FALSE);
}

/* Jobs sorted by name whatever the daemon's order, each with its instances sorted by name;
 * instances may come before their job. */
static void
test_collect_sorted (void)
{
  g_autoptr(GVariant) objects = parsed ("@a{oa{sa{sv}}} {"
                                        INSTANCE ("/j/tty/tty2", "/j/tty", "tty2") ", "
                                        JOB ("/j/web", "web") ", "
                                        JOB ("/j/tty", "tty") ", "
                                        INSTANCE ("/j/tty/tty1", "/j/tty", "tty1") ", "
                                        JOB ("/j/cron", "cron") "}");
  g_autoptr(GPtrArray) rows = initctl_collect_jobs (objects);
  g_autofree char *text = rows_text (rows);

  g_assert_cmpstr (text, ==, "cron:; tty: tty1,tty2; web:");
  g_assert_null (((InitctlJobRow *) g_ptr_array_index (rows, 0))->instances);
  g_assert_cmpstr (initctl_prop_string (((InitctlJobRow *) g_ptr_array_index (rows, 2))->job, "Name", NULL),
                   ==, "web");
}

/* Instances whose job is not in the reply (it went away between two signals), instances
 * without a Job, objects with other interfaces and jobs without a name are left out. */
static void
test_collect_leftovers (void)
{
  g_autoptr(GVariant) objects = parsed ("@a{oa{sa{sv}}} {"
                                        INSTANCE ("/j/gone/x", "/j/gone", "x") ", "
                                        "'/j/nojob/y': {'org.example.Init.Instance': {'Name': <'y'>}}, "
                                        "'/org/example/Init': {'org.example.Init': {'Version': <'1'>}}, "
                                        "'/j/anon': {'org.example.Init.Job': {'Task': <true>}}, "
                                        JOB ("/j/web", "web") "}");
  g_autoptr(GPtrArray) rows = initctl_collect_jobs (objects);
  g_autofree char *text = rows_text (rows);
  g_autoptr(GVariant) empty = parsed ("@a{oa{sa{sv}}} {}");
  g_autoptr(GPtrArray) none = initctl_collect_jobs (empty);

  g_assert_cmpstr (text, ==, "web:");
  g_assert_cmpuint (none->len, ==, 0);
}

/* ---- errors ---- */

static Initctl *
ctl_new (void)
{
  Initctl *ctl = g_new0 (Initctl, 1);

  ctl->prog = "initctl";
  ctl->bus_label = g_strdup ("session bus");
  return ctl;
}

static void
ctl_free (Initctl *ctl)
{
  g_free (ctl->bus_label);
  g_free (ctl->agent_failure);
  g_free (ctl->dest);
  g_free (ctl);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Initctl, ctl_free)

typedef struct
{
  const char *name;
  const char *message;
  int         status;
  const char *said;      /* what initctl prints */
} ReportCase;

/* Each error name the daemon and the bus answer with: its exit status (the table in
 * cli/README.md) and the line printed, without the D-Bus error name. */
static void
test_report_statuses (void)
{
  static const ReportCase cases[] = {
    { "org.example.Init.Error.UnknownJob", "Unknown job: x", INITCTL_EXIT_UNKNOWN_JOB,
      "initctl: Unknown job: x\n" },
    { "org.example.Init.Error.UnknownInstance", "Unknown instance: x", INITCTL_EXIT_NOT_RUNNING,
      "initctl: Unknown instance: x\n" },
    { "org.example.Init.Error.AlreadyStopped", "stopped", INITCTL_EXIT_NOT_RUNNING, "initctl: stopped\n" },
    { "org.example.Init.Error.NotRunning", "no main", INITCTL_EXIT_NOT_RUNNING, "initctl: no main\n" },
    { "org.example.Init.Error.AlreadyStarted", "running", INITCTL_EXIT_ALREADY_RUNNING, "initctl: running\n" },
    { "org.example.Init.Error.JobFailed", "failed", INITCTL_EXIT_JOB_FAILED, "initctl: failed\n" },
    { "org.example.Init.Error.EventFailed", "ev", INITCTL_EXIT_JOB_FAILED, "initctl: ev\n" },
    { "org.example.Init.Error.Canceled", "c", INITCTL_EXIT_JOB_FAILED, "initctl: c\n" },
    { "org.example.Init.Error.PermissionDenied", "polkit said no", INITCTL_EXIT_DENIED,
      "initctl: polkit said no\n" },
    { "org.freedesktop.DBus.Error.AccessDenied", "not yours", INITCTL_EXIT_DENIED,
      "initctl: Permission denied: not yours\n" },
    { "org.freedesktop.DBus.Error.AccessDenied", "Rejected send message, 2 matched rules; type=…",
      INITCTL_EXIT_DENIED, "initctl: Permission denied by the bus policy\n" },
    { "org.freedesktop.DBus.Error.AuthFailed", "auth", INITCTL_EXIT_DENIED, "initctl: auth\n" },
    { "org.freedesktop.DBus.Error.ServiceUnknown", "x", INITCTL_EXIT_NO_DAEMON,
      "initctl: Unable to connect to the init daemon: org.example.Init is not running on the session bus\n" },
    { "org.freedesktop.DBus.Error.NameHasNoOwner", "x", INITCTL_EXIT_NO_DAEMON,
      "initctl: Unable to connect to the init daemon: org.example.Init is not running on the session bus\n" },
    { "org.freedesktop.DBus.Error.NoReply", "x", INITCTL_EXIT_NO_DAEMON,
      "initctl: Unable to connect to the init daemon: org.example.Init is not running on the session bus\n" },
    { "org.freedesktop.DBus.Error.Disconnected", "x", INITCTL_EXIT_NO_DAEMON,
      "initctl: Unable to connect to the init daemon: org.example.Init is not running on the session bus\n" },
    { "org.example.Init.Error.InvalidEvent", "Invalid event name: 1x", INITCTL_EXIT_FAILURE,
      "initctl: Invalid event name: 1x\n" },
    { "org.example.Init.Error.LimitsExceeded", "too many", INITCTL_EXIT_FAILURE, "initctl: too many\n" },
  };
  g_autoptr(Initctl) ctl = ctl_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_dbus_error_new_for_dbus_error (cases[i].name, cases[i].message);

      g_test_message ("%s: %s", cases[i].name, cases[i].message);
      capture_reset ();
      g_assert_cmpint (initctl_report_error (ctl, error), ==, cases[i].status);
      g_assert_cmpstr (captured_err->str, ==, cases[i].said);
    }
}

/* --verbose adds the error name in brackets; a --dest names that bus name when the daemon
 * is not there; as `start' (a link) the program's name leads the line. */
static void
test_report_verbose_and_dest (void)
{
  g_autoptr(Initctl) ctl = ctl_new ();
  g_autoptr(GError) failed = g_dbus_error_new_for_dbus_error ("org.example.Init.Error.JobFailed", "boom");
  g_autoptr(GError) gone = g_dbus_error_new_for_dbus_error ("org.freedesktop.DBus.Error.ServiceUnknown", "x");

  ctl->verbose = TRUE;
  ctl->prog = "start";
  capture_reset ();
  g_assert_cmpint (initctl_report_error (ctl, failed), ==, INITCTL_EXIT_JOB_FAILED);
  g_assert_cmpstr (captured_err->str, ==, "start: boom (org.example.Init.Error.JobFailed)\n");

  ctl->verbose = FALSE;
  ctl->dest = g_strdup ("org.example.Init.Test");
  g_free (ctl->bus_label);
  ctl->bus_label = g_strdup ("unix:path=/tmp/x");
  capture_reset ();
  g_assert_cmpint (initctl_report_error (ctl, gone), ==, INITCTL_EXIT_NO_DAEMON);
  g_assert_cmpstr (captured_err->str, ==,
                   "start: Unable to connect to the init daemon: org.example.Init.Test is not running on "
                   "the unix:path=/tmp/x\n");
}

/* A password that could not be asked for says why: --no-ask-password, an agent that could
 * not start (its reason), or no terminal. */
static void
test_report_interactive (void)
{
  g_autoptr(Initctl) ctl = ctl_new ();
  g_autoptr(GError) error = g_dbus_error_new_for_dbus_error (
    "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", "Interactive authentication required");

  capture_reset ();
  g_assert_cmpint (initctl_report_error (ctl, error), ==, INITCTL_EXIT_DENIED);
  g_assert_cmpstr (captured_err->str, ==, "initctl: Permission denied: authentication is required; run "
                   "initctl on a terminal, or as root\n");

  ctl->agent_failure = g_strdup ("no libpolkit-agent-1");
  capture_reset ();
  initctl_report_error (ctl, error);
  g_assert_cmpstr (captured_err->str, ==, "initctl: Permission denied: authentication is required, but no "
                   "password prompt could be started: no libpolkit-agent-1\n");

  ctl->no_ask_password = TRUE;
  capture_reset ();
  initctl_report_error (ctl, error);
  g_assert_cmpstr (captured_err->str, ==, "initctl: Permission denied: authentication is required (and "
                   "--no-ask-password was given)\n");
}

/* Errors that are not D-Bus errors: Ctrl-C is 130 and says nothing, a closed connection is
 * "no daemon", anything else a plain failure with its message. */
static void
test_report_local (void)
{
  g_autoptr(Initctl) ctl = ctl_new ();
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_autoptr(GError) closed = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, "The connection is closed");
  g_autoptr(GError) not_connected = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "nc");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Argument is bad");

  capture_reset ();
  g_assert_cmpint (initctl_report_error (ctl, cancelled), ==, INITCTL_EXIT_INTERRUPTED);
  g_assert_cmpstr (captured_err->str, ==, "");
  g_assert_cmpint (initctl_report_error (ctl, closed), ==, INITCTL_EXIT_NO_DAEMON);
  g_assert_cmpint (initctl_report_error (ctl, not_connected), ==, INITCTL_EXIT_NO_DAEMON);
  g_assert_cmpint (initctl_report_error (ctl, other), ==, INITCTL_EXIT_FAILURE);
  g_assert_cmpstr (captured_err->str, ==, "initctl: The connection is closed\ninitctl: nc\n"
                   "initctl: Argument is bad\n");
}

/* An error a GLib service passed on unmapped (org.gtk.GDBus.UnmappedGError.…) is known by
 * the name inside it, for the exit status and for the message. */
static void
test_error_unmapped (void)
{
  g_autoptr(Initctl) ctl = ctl_new ();
  g_autoptr(GError) inner = g_dbus_error_new_for_dbus_error (
    "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", "needs a password");
  g_autofree char *wrapped_name = g_strdup ("org.gtk.GDBus.UnmappedGError.Quark._g_2dio_2derror_2dquark.Code0");
  g_autoptr(GError) wrapped = g_dbus_error_new_for_dbus_error (wrapped_name, inner->message);
  g_autoptr(GError) plain = g_dbus_error_new_for_dbus_error (wrapped_name, "just text");
  g_autofree char *name = initctl_error_name (wrapped);
  g_autofree char *plain_name = initctl_error_name (plain);

  g_assert_cmpstr (name, ==, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired");
  g_assert_cmpstr (plain_name, ==, wrapped_name);
  g_assert_null (initctl_error_name (NULL));
  capture_reset ();
  g_assert_cmpint (initctl_report_error (ctl, wrapped), ==, INITCTL_EXIT_DENIED);
}

/* "Gone" is what GDBus says for an object or interface that is not there, and an unknown
 * instance; not other errors, not local ones. */
static void
test_error_vanished (void)
{
  static const char *const gone[] = {
    "org.freedesktop.DBus.Error.UnknownMethod", "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.UnknownInterface", "org.freedesktop.DBus.Error.InvalidArgs",
    "org.example.Init.Error.UnknownInstance",
  };
  static const char *const there[] = {
    "org.example.Init.Error.UnknownJob", "org.freedesktop.DBus.Error.AccessDenied",
    "org.example.Init.Error.JobFailed",
  };
  g_autoptr(GError) local = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "x");

  for (guint i = 0; i < G_N_ELEMENTS (gone); i++)
    {
      g_autoptr(GError) error = g_dbus_error_new_for_dbus_error (gone[i], "x");

      g_assert_true (initctl_error_is_vanished (error));
    }
  for (guint i = 0; i < G_N_ELEMENTS (there); i++)
    {
      g_autoptr(GError) error = g_dbus_error_new_for_dbus_error (there[i], "x");

      g_assert_false (initctl_error_is_vanished (error));
    }
  g_assert_false (initctl_error_is_vanished (local));
}

/* Arguments must be UTF-8 (D-Bus strings): the first bad one is named, made readable. */
static void
test_check_utf8 (void)
{
  char good_a[] = "start", good_b[] = "KEY=välue", bad[] = "X=\xff\xfe";
  char *good[] = { good_a, good_b, NULL };
  char *mixed[] = { good_a, bad, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (initctl_check_utf8 (good, NULL));
  g_assert_true (initctl_check_utf8 (NULL, NULL));
  g_assert_false (initctl_check_utf8 (mixed, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "Argument is not valid UTF-8: X="));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  captured_err = g_string_new (NULL);
  captured_out = g_string_new (NULL);

  g_test_add_func ("/initctl/words/prop/string", test_prop_string);
  g_test_add_func ("/initctl/words/prop/strv", test_prop_strv);
  g_test_add_func ("/initctl/words/prop/numbers", test_prop_numbers);
  g_test_add_func ("/initctl/words/status/lines", test_status_lines);
  g_test_add_func ("/initctl/words/status/json", test_status_json);
  g_test_add_func ("/initctl/words/collect/sorted", test_collect_sorted);
  g_test_add_func ("/initctl/words/collect/leftovers", test_collect_leftovers);
  g_test_add_func ("/initctl/words/report/statuses", test_report_statuses);
  g_test_add_func ("/initctl/words/report/verbose-and-dest", test_report_verbose_and_dest);
  g_test_add_func ("/initctl/words/report/interactive", test_report_interactive);
  g_test_add_func ("/initctl/words/report/local", test_report_local);
  g_test_add_func ("/initctl/words/error/unmapped", test_error_unmapped);
  g_test_add_func ("/initctl/words/error/vanished", test_error_vanished);
  g_test_add_func ("/initctl/words/check-utf8", test_check_utf8);
  return g_test_run ();
}
