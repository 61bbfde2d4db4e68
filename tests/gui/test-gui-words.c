/* test-gui-words.c — every word init-admin picks for a state, an error, a condition (no display)
 *
 * test-gui-format.c checks one example of each formatter; this file walks their tables: every
 * goal/state pair, every D-Bus error the daemon answers with, every way a condition, a
 * failure, a time or an environment can look.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <locale.h>
#include <string.h>

#include "init-admin-error.h"
#include "init-admin-format.h"

/* ---- status ---- */

typedef struct
{
  const char     *goal;
  const char     *state;
  gboolean        failed;
  InitAdminStatus status;
} StatusCase;

/* Every state of the daemon's state machine under each goal, failed or not. */
static void
test_status_matrix (void)
{
  static const char *const states[] = {
    "waiting", "starting", "security", "pre-start", "spawned", "post-start", "running",
    "pre-stop", "stopping", "killed", "post-stop",
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      gboolean running = g_str_equal (states[i], "running");
      gboolean waiting = g_str_equal (states[i], "waiting");

      g_assert_cmpint (init_admin_status_from ("start", states[i], FALSE), ==,
                       running ? INIT_ADMIN_STATUS_RUNNING : INIT_ADMIN_STATUS_STARTING);
      g_assert_cmpint (init_admin_status_from ("respawn", states[i], FALSE), ==,
                       running ? INIT_ADMIN_STATUS_RUNNING : INIT_ADMIN_STATUS_STARTING);
      g_assert_cmpint (init_admin_status_from ("stop", states[i], FALSE), ==,
                       waiting ? INIT_ADMIN_STATUS_STOPPED : INIT_ADMIN_STATUS_STOPPING);
      /* Going down because of a failure shows as failed at once. */
      g_assert_cmpint (init_admin_status_from ("stop", states[i], TRUE), ==, INIT_ADMIN_STATUS_FAILED);
    }
}

/* Failed while the goal is still start (a respawning service): its progress shows, not the
 * failure; half-known instances (no goal or no state) are stopped or failed. */
static void
test_status_edges (void)
{
  static const StatusCase cases[] = {
    { "start", "running", TRUE, INIT_ADMIN_STATUS_RUNNING },
    { "start", "starting", TRUE, INIT_ADMIN_STATUS_STARTING },
    { "start", NULL, FALSE, INIT_ADMIN_STATUS_STOPPED },
    { NULL, "running", FALSE, INIT_ADMIN_STATUS_STOPPED },
    { NULL, "running", TRUE, INIT_ADMIN_STATUS_FAILED },
    { "anything", "running", FALSE, INIT_ADMIN_STATUS_RUNNING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (init_admin_status_from (cases[i].goal, cases[i].state, cases[i].failed), ==,
                     cases[i].status);
}

/* Each status has its own label, icon and style class, and the sort order puts failures
 * first and stopped jobs last. */
static void
test_status_visuals (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (InitAdminStatus s = INIT_ADMIN_STATUS_FAILED; s <= INIT_ADMIN_STATUS_STOPPED; s++)
    {
      const char *label = init_admin_status_label (s);
      const char *icon = init_admin_status_icon_name (s);
      const char *css = init_admin_status_css_class (s);

      g_assert_true (g_hash_table_add (seen, (gpointer) label));
      g_assert_true (g_hash_table_add (seen, (gpointer) icon));
      g_assert_true (g_hash_table_add (seen, (gpointer) css));
      g_assert_true (g_str_has_suffix (icon, "-symbolic"));
      g_assert_true (g_str_has_prefix (css, "status-"));
    }
  g_assert_cmpstr (init_admin_status_label (INIT_ADMIN_STATUS_STARTING), ==, "Starting");
  g_assert_cmpstr (init_admin_status_label (INIT_ADMIN_STATUS_STOPPING), ==, "Stopping");
  g_assert_cmpstr (init_admin_status_label (INIT_ADMIN_STATUS_STOPPED), ==, "Stopped");
  g_assert_cmpstr (init_admin_status_icon_name (INIT_ADMIN_STATUS_FAILED), ==, "dialog-error-symbolic");
  g_assert_cmpstr (init_admin_status_css_class (INIT_ADMIN_STATUS_RUNNING), ==, "status-running");
  g_assert_cmpint (INIT_ADMIN_STATUS_FAILED, <, INIT_ADMIN_STATUS_RUNNING);
  g_assert_cmpint (INIT_ADMIN_STATUS_RUNNING, <, INIT_ADMIN_STATUS_STOPPED);
}

/* ---- errors ---- */

typedef struct
{
  const char        *name;       /* D-Bus error name */
  const char        *message;    /* the daemon's message */
  InitAdminErrorKind kind;
  const char        *words;      /* what people read */
} ErrorCase;

/* Every error name the daemon answers with: its kind and its sentence, with the daemon's
 * message where it helps and without the D-Bus name. */
static void
test_error_names (void)
{
  static const ErrorCase cases[] = {
    { "org.example.Init.Error.JobFailed", "x: main process terminated", INIT_ADMIN_ERROR_KIND_FAILED,
      "The job failed. x: main process terminated" },
    { "org.example.Init.Error.EventFailed", "hello failed", INIT_ADMIN_ERROR_KIND_FAILED,
      "A job started or stopped by the event failed. hello failed" },
    { "org.example.Init.Error.Canceled", "x", INIT_ADMIN_ERROR_KIND_FAILED,
      "It was stopped (or started) again before it got there." },
    { "org.example.Init.Error.SpawnFailed", "No such file", INIT_ADMIN_ERROR_KIND_FAILED,
      "A process could not be started. No such file" },
    { "org.example.Init.Error.AlreadyStarted", "x", INIT_ADMIN_ERROR_KIND_STATE,
      "It is already started." },
    { "org.example.Init.Error.AlreadyStopped", "x", INIT_ADMIN_ERROR_KIND_STATE,
      "It is already stopped." },
    { "org.example.Init.Error.UnknownJob", "x", INIT_ADMIN_ERROR_KIND_STATE,
      "The job does not exist any more." },
    { "org.example.Init.Error.UnknownInstance", "x", INIT_ADMIN_ERROR_KIND_STATE,
      "That instance does not exist (any more)." },
    { "org.example.Init.Error.UnknownEvent", "no such event", INIT_ADMIN_ERROR_KIND_STATE,
      "no such event" },
    { "org.example.Init.Error.NotRunning", "x", INIT_ADMIN_ERROR_KIND_STATE,
      "It has no running main process." },
    { "org.example.Init.Error.InvalidEvent", "bad name", INIT_ADMIN_ERROR_KIND_INPUT,
      "The event name is not valid. bad name" },
    { "org.example.Init.Error.InvalidEnvironment", "1X=y", INIT_ADMIN_ERROR_KIND_INPUT,
      "The environment is not valid. 1X=y" },
    { "org.example.Init.Error.InvalidArgs", "needs TTY", INIT_ADMIN_ERROR_KIND_INPUT,
      "The job needs more information to start. needs TTY" },
    { "org.example.Init.Error.PermissionDenied", "no", INIT_ADMIN_ERROR_KIND_DENIED,
      "Permission denied: you are not allowed to do this. no" },
    { "org.example.Init.Error.LimitsExceeded", "too many calls", INIT_ADMIN_ERROR_KIND_OTHER,
      "too many calls" },
    { "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", "x", INIT_ADMIN_ERROR_KIND_DENIED,
      "Permission denied: this needs an administrator’s password, but no authentication agent is running to ask for it." },
    { "org.freedesktop.DBus.Error.UnknownMethod", "no Frobnicate", INIT_ADMIN_ERROR_KIND_OTHER,
      "The daemon is too old for this: it does not offer the request." },
    { "com.example.Other", "their words", INIT_ADMIN_ERROR_KIND_OTHER, "their words" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_dbus_error_new_for_dbus_error (cases[i].name, cases[i].message);
      g_autofree char *words = init_admin_error_describe (error);

      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (init_admin_error_kind (error), ==, cases[i].kind);
      g_assert_cmpstr (words, ==, cases[i].words);
      g_assert_null (strstr (words, "GDBus.Error"));
    }
}

typedef struct
{
  GQuark             domain;
  int                code;
  InitAdminErrorKind kind;
  const char        *words;     /* NULL: the message itself */
} LocalCase;

/* Errors of the connection itself: a daemon that is gone, one that does not answer, a
 * call we cancelled, and anything else told as it is. */
static void
test_error_local (void)
{
  const LocalCase cases[] = {
    { G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN, INIT_ADMIN_ERROR_KIND_DAEMON_GONE,
      "The daemon is not running any more (it stopped or the bus went away)." },
    { G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER, INIT_ADMIN_ERROR_KIND_DAEMON_GONE,
      "The daemon is not running any more (it stopped or the bus went away)." },
    { G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED, INIT_ADMIN_ERROR_KIND_DAEMON_GONE,
      "The daemon is not running any more (it stopped or the bus went away)." },
    { G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT, INIT_ADMIN_ERROR_KIND_DAEMON_GONE,
      "The daemon is not running any more (it stopped or the bus went away)." },
    { G_DBUS_ERROR, G_DBUS_ERROR_NO_SERVER, INIT_ADMIN_ERROR_KIND_DAEMON_GONE,
      "The daemon is not running any more (it stopped or the bus went away)." },
    { G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY, INIT_ADMIN_ERROR_KIND_DAEMON_GONE,
      "The daemon did not answer in time." },
    { G_IO_ERROR, G_IO_ERROR_CLOSED, INIT_ADMIN_ERROR_KIND_DAEMON_GONE,
      "The daemon is not running any more (it stopped or the bus went away)." },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, INIT_ADMIN_ERROR_KIND_DAEMON_GONE,
      "The daemon is not running any more (it stopped or the bus went away)." },
    { G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, INIT_ADMIN_ERROR_KIND_DAEMON_GONE,
      "The daemon is not running any more (it stopped or the bus went away)." },
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, INIT_ADMIN_ERROR_KIND_CANCELLED, "Cancelled." },
    { G_DBUS_ERROR, G_DBUS_ERROR_AUTH_FAILED, INIT_ADMIN_ERROR_KIND_DENIED, NULL },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, INIT_ADMIN_ERROR_KIND_OTHER, NULL },
    { G_FILE_ERROR, G_FILE_ERROR_NOENT, INIT_ADMIN_ERROR_KIND_OTHER, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new (cases[i].domain, cases[i].code, "message %u", i);
      g_autofree char *words = init_admin_error_describe (error);
      g_autofree char *message = g_strdup_printf ("message %u", i);

      g_test_message ("case %u", i);
      g_assert_cmpint (init_admin_error_kind (error), ==, cases[i].kind);
      g_assert_cmpstr (words, ==, cases[i].words != NULL ? cases[i].words : message);
    }
}

/* ---- conditions ---- */

static char *
condition (const char *text)
{
  g_autoptr(GVariant) tree = g_variant_ref_sink (g_variant_new_parsed (text));

  return init_admin_format_condition (tree);
}

typedef struct
{
  const char *tree;
  const char *words;
} ConditionCase;

/* Job events in words for each of the four; a job event with a KEY=VALUE first is an
 * ordinary event; positional values are quoted; brackets only where and/or mix, on either
 * side. */
static void
test_conditions (void)
{
  static const ConditionCase cases[] = {
    { "[['starting', 'web']]", "job web is starting" },
    { "[['started', 'web']]", "job web has started" },
    { "[['stopping', 'web', 'RESULT=failed']]", "job web is stopping where RESULT is “failed”" },
    { "[['stopped', 'web']]", "job web has stopped" },
    { "[['started']]", "event “started”" },
    { "[['started', 'JOB=web']]", "event “started” where JOB is “web”" },
    { "[['net-up', 'eth0', 'ADDR!=']]", "event “net-up” where “eth0”, ADDR is not “”" },
    { "[['a'], ['b'], ['/AND'], ['c'], ['/AND']]", "event “a” and event “b” and event “c”" },
    { "[['a'], ['b'], ['c'], ['/OR'], ['/AND']]", "event “a” and (event “b” or event “c”)" },
    { "[['a'], ['b'], ['/AND'], ['c'], ['d'], ['/AND'], ['/OR']]",
      "(event “a” and event “b”) or (event “c” and event “d”)" },
    { "@aas []", "" },
    /* A stray operator without two terms is shown as a leaf, never crashes. */
    { "[['/AND']]", "event “/AND”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = condition (cases[i].tree);

      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

/* Anything but an aas (a daemon that sends something else) reads as no condition; NULL too. */
static void
test_condition_wrong_type (void)
{
  g_autofree char *null = init_admin_format_condition (NULL);
  g_autofree char *other = condition ("['a', 'b']");
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GVariant) strings = g_variant_ref_sink (g_variant_new_parsed ("['a', 'b']"));
  g_autoptr(GVariant) empty_leaf = g_variant_ref_sink (g_variant_new_parsed ("[@as [], [''], ['ok']]"));

  g_assert_cmpstr (null, ==, "");
  g_assert_cmpstr (other, ==, "");
  init_admin_collect_event_names (NULL, names);
  init_admin_collect_event_names (strings, names);
  init_admin_collect_event_names (empty_leaf, names);
  g_assert_cmpuint (g_hash_table_size (names), ==, 1);
  g_assert_true (g_hash_table_contains (names, "ok"));
}

/* ---- failures, times, users, respawn ---- */

typedef struct
{
  const char *process;
  int         status;
  const char *sig;
  const char *words;
} FailureCase;

/* Each process by its noun; a signal wins over a status; no status and no signal means it
 * could not be started; an unknown process keeps its own name. */
static void
test_failures (void)
{
  static const FailureCase cases[] = {
    { "main", 0, NULL, "The main process exited with status 0" },
    { "pre-start", 2, NULL, "The pre-start process exited with status 2" },
    { "post-start", 1, "", "The post-start process exited with status 1" },
    { "pre-stop", 1, "TERM", "The pre-stop process was killed by signal TERM" },
    { "post-stop", -1, NULL, "The post-stop process could not be started" },
    { "security", 5, NULL, "The security exited with status 5" },
    { "", 5, NULL, "The process exited with status 5" },
    { NULL, -1, "KILL", "The process was killed by signal KILL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = init_admin_format_failure (cases[i].process, cases[i].status, cases[i].sig);

      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

/* Today's times show the clock only, other days the date too. */
static void
test_time (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) noon = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                     g_date_time_get_day_of_month (now), 12, 34, 56);
  g_autoptr(GDateTime) old = g_date_time_new_local (2020, 2, 29, 1, 2, 3);
  g_autofree char *today = init_admin_format_time (g_date_time_to_unix (noon) * G_USEC_PER_SEC + 999999);
  g_autofree char *other = init_admin_format_time (g_date_time_to_unix (old) * G_USEC_PER_SEC);

  g_assert_cmpstr (today, ==, "12:34:56");
  g_assert_cmpstr (other, ==, "2020-02-29 01:02:03");
}

/* Users by name when the system knows them, by number otherwise. */
static void
test_user (void)
{
  g_autofree char *root = init_admin_format_user (0);
  g_autofree char *nobody = init_admin_format_user (4000000000u);

  g_assert_cmpstr (root, ==, "root");
  g_assert_cmpstr (nobody, ==, "uid 4000000000");
}

/* Respawn limits: one time in the singular, many in the plural; no respawn is "No". */
static void
test_respawn (void)
{
  g_autofree char *no = init_admin_format_respawn (FALSE, 10, 5);
  g_autofree char *one = init_admin_format_respawn (TRUE, 1, 60);
  g_autofree char *interval_only = init_admin_format_respawn (TRUE, 0, 5);

  g_assert_cmpstr (no, ==, "No");
  g_assert_cmpstr (one, ==, "Yes, at most 1 time in 60 seconds");
  g_assert_cmpstr (interval_only, ==, "Yes, at most 0 times in 5 seconds");
}

/* Every cause kind of a history record in words; unknown kinds and records without a
 * cause say nothing; a caller without a command is the user alone, a program by its name. */
static void
test_causes (void)
{
  static const char *const cases[][2] = {
    { "{'cause': <'respawn'>}", "respawn" },
    { "{'cause': <'reload'>}", "configuration reload" },
    { "{'cause': <'startup'>}", "daemon start-up" },
    { "{'cause': <'shutdown'>}", "daemon shutdown" },
    { "{'cause': <'process'>}", "a process ended" },
    { "{'cause': <'event'>}", "an event" },
    { "{'cause': <'caller'>, 'caller-uid': <uint32 4000000000>}", "uid 4000000000" },
    { "{'cause': <'caller'>, 'caller-uid': <uint32 4000000000>, 'caller-command': <''>}", "uid 4000000000" },
    { "{'cause': <'caller'>, 'caller-uid': <uint32 4000000000>, 'caller-command': <'/usr/sbin/initctl'>}",
      "uid 4000000000 (initctl)" },
    { "{'cause': <'martians'>}", "" },
    { "@a{sv} {}", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) details = g_variant_ref_sink (g_variant_new_parsed (cases[i][0]));
      g_autofree char *words = init_admin_format_cause (details);

      g_assert_cmpstr (words, ==, cases[i][1]);
    }
  {
    g_autofree char *none = init_admin_format_cause (NULL);

    g_assert_cmpstr (none, ==, "");
  }
}

/* ---- processes and environments ---- */

/* Processes in the daemon's order; no main process gives pid 0; NULL gives nothing. */
static void
test_processes (void)
{
  g_autoptr(GVariant) no_main = g_variant_ref_sink (g_variant_new_parsed ("[('pre-start', 7)]"));
  g_autoptr(GVariant) empty = g_variant_ref_sink (g_variant_new_parsed ("@a(si) []"));
  g_autofree char *text = init_admin_format_processes (no_main);
  g_autofree char *none = init_admin_format_processes (empty);
  g_autofree char *null = init_admin_format_processes (NULL);

  g_assert_cmpstr (text, ==, "pre-start 7");
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (null, ==, "");
  g_assert_cmpint (init_admin_main_pid (no_main), ==, 0);
  g_assert_cmpint (init_admin_main_pid (NULL), ==, 0);
}

/* Values with spaces or empty are quoted after the '='; an entry without '=' and '=' inside
 * a value stay as they are; NULL and empty lists are "". */
static void
test_env_quoting (void)
{
  const char *const env[] = { "A=1", "B=x y", "C=", "NOEQ", "D=a=b", "E= lead", NULL };
  const char *const empty[] = { NULL };
  g_autofree char *text = init_admin_format_env (env);
  g_autofree char *none = init_admin_format_env (empty);
  g_autofree char *null = init_admin_format_env (NULL);

  g_assert_cmpstr (text, ==, "A=1 B=\"x y\" C=\"\" NOEQ D=a=b E=\" lead\"");
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (null, ==, "");
}

/* Display names: the instance in brackets, none for NULL or "". */
static void
test_display_names (void)
{
  g_autofree char *plain = init_admin_display_name ("web", NULL);
  g_autofree char *empty = init_admin_display_name ("web", "");
  g_autofree char *inst = init_admin_display_name ("web", "8080");

  g_assert_cmpstr (plain, ==, "web");
  g_assert_cmpstr (empty, ==, "web");
  g_assert_cmpstr (inst, ==, "web (8080)");
}

/* The process tree of NULL is empty; a child listed before its parent still sits under it;
 * two processes the instance started each lead their own subtree. */
static void
test_process_tree_edges (void)
{
  g_autoptr(GArray) none = init_admin_process_tree_order (NULL);
  g_autoptr(GVariant) backwards = g_variant_ref_sink (g_variant_new_parsed (
                                                        "[(30, 20, '', 'grandchild'), (20, 10, '', 'child'),"
                                                        " (10, 1, 'main', 'sh'), (40, 1, 'pre-stop', 'ps')]"));
  g_autoptr(GArray) order = init_admin_process_tree_order (backwards);
  static const guint expected[][2] = { { 2, 0 }, { 1, 1 }, { 0, 2 }, { 3, 0 } };

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (order->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < order->len; i++)
    {
      InitAdminTreeEntry *e = &g_array_index (order, InitAdminTreeEntry, i);

      g_assert_cmpuint (e->index, ==, expected[i][0]);
      g_assert_cmpuint (e->depth, ==, expected[i][1]);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/words/status/matrix", test_status_matrix);
  g_test_add_func ("/gui/words/status/edges", test_status_edges);
  g_test_add_func ("/gui/words/status/visuals", test_status_visuals);
  g_test_add_func ("/gui/words/errors/names", test_error_names);
  g_test_add_func ("/gui/words/errors/local", test_error_local);
  g_test_add_func ("/gui/words/conditions/shapes", test_conditions);
  g_test_add_func ("/gui/words/conditions/wrong-type", test_condition_wrong_type);
  g_test_add_func ("/gui/words/failures", test_failures);
  g_test_add_func ("/gui/words/time", test_time);
  g_test_add_func ("/gui/words/user", test_user);
  g_test_add_func ("/gui/words/respawn", test_respawn);
  g_test_add_func ("/gui/words/causes", test_causes);
  g_test_add_func ("/gui/words/processes", test_processes);
  g_test_add_func ("/gui/words/env-quoting", test_env_quoting);
  g_test_add_func ("/gui/words/display-names", test_display_names);
  g_test_add_func ("/gui/words/process-tree-edges", test_process_tree_edges);
  return g_test_run ();
}
