/* test-log-api.c — Job.GetLog and Job.LogChanged on the real initd (no display needed) */
#define G_LOG_DOMAIN "init-test"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "test-util.h"

#define BUS_NAME "org.example.Init"
#define TAIL     G_MAXUINT64
#define WAIT_MS  20000

typedef struct
{
  char   *text;
  guint64 start;
  guint64 end;
  guint64 size;
} Slice;

static void
slice_clear (Slice *slice)
{
  g_clear_pointer (&slice->text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Slice, slice_clear)

/* GetLog on @job; NULL error expected unless @error is given. */
static gboolean
get_log (DBusFixture *fx,
         const char  *job,
         const char  *instance,
         guint64      offset,
         guint        max,
         Slice       *slice,
         GError     **error)
{
  g_autofree char *path = g_strconcat ("/org/example/Init/jobs/", job, NULL);
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (fx->connection, BUS_NAME, path, "org.example.Init.Job",
                                       "GetLog", g_variant_new ("(stu)", instance, offset, max),
                                       G_VARIANT_TYPE ("(sttt)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, error);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(sttt)", &slice->text, &slice->start, &slice->end, &slice->size);
  return TRUE;
}

static DBusFixture *
start (const char *const *extra_args)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);

  dbus_fixture_write_job (fx, "talk", "console log\n"
                          "exec sh -c 'i=0; while :; do echo \"talk $i\"; i=$((i+1)); sleep 0.1; done'\n");
  dbus_fixture_write_job (fx, "quiet", "console log\nexec sleep 1000\n");
  dbus_fixture_write_job (fx, "web", "console log\ninstance $PORT\nexec echo \"serving $PORT\"\n");
  dbus_fixture_start_initd (fx, extra_args, NULL);
  /* LogChanged, like every signal, is sent only while a client is subscribed. */
  dbus_fixture_subscribe (fx);
  return fx;
}

static void
start_job (DBusFixture *fx,
           const char  *job,
           const char  *env)
{
  g_autofree char *path = g_strconcat ("/org/example/Init/jobs/", job, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *envv[] = { env, NULL };

  reply = g_dbus_connection_call_sync (fx->connection, BUS_NAME, path, "org.example.Init.Job",
                                       "Start", g_variant_new ("(^asb)", envv, TRUE), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

typedef struct
{
  guint64 size;
  char   *instance;
  guint   count;
} Changed;

static void
on_signal (GDBusConnection *connection,
           const char      *sender,
           const char      *path,
           const char      *iface,
           const char      *member,
           GVariant        *params,
           gpointer         user_data)
{
  Changed *changed = user_data;

  g_free (changed->instance);
  g_variant_get (params, "(st)", &changed->instance, &changed->size);
  changed->count++;
}

static gboolean
grew_past (gpointer user_data)
{
  gpointer *args = user_data;
  Changed *changed = args[0];

  return changed->size > *(guint64 *) args[1];
}

/* The tail of a growing log, then LogChanged and reads from the last end: nothing lost,
 * nothing repeated. */
static void
test_follow (void)
{
  DBusFixture *fx = start (NULL);
  g_auto (Slice) first = { 0 };
  g_auto (Slice) next = { 0 };
  Changed changed = { 0 };
  gpointer args[2];
  guint id;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;

  id = g_dbus_connection_signal_subscribe (fx->connection, BUS_NAME, "org.example.Init.Job",
                                           "LogChanged", "/org/example/Init/jobs/talk", NULL,
                                           G_DBUS_SIGNAL_FLAGS_NONE, on_signal, &changed, NULL);
  start_job (fx, "talk", NULL);
  args[0] = &changed;
  {
    guint64 zero = 0;

    args[1] = &zero;
    g_assert_true (test_util_wait_until ((TestUtilCondition) grew_past, args, WAIT_MS));
  }
  g_assert_cmpstr (changed.instance, ==, "");

  g_assert_true (get_log (fx, "talk", "", TAIL, 0, &first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (first.start, ==, 0);
  g_assert_cmpuint (first.end, >, 0);
  g_assert_true (g_str_has_prefix (first.text, "talk 0\r\n"));

  args[1] = &first.end;
  g_assert_true (test_util_wait_until ((TestUtilCondition) grew_past, args, WAIT_MS));
  g_assert_true (get_log (fx, "talk", "", first.end, 0, &next, &error));
  g_assert_cmpuint (next.start, ==, first.end);
  g_assert_cmpuint (next.end, >, next.start);
  g_assert_cmpuint (next.end, <=, next.size);

  /* What was read is exactly the file's bytes. */
  file = g_build_filename (fx->logdir, "talk.log", NULL);
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_true (strncmp (contents, first.text, strlen (first.text)) == 0);
  g_assert_true (strncmp (contents + next.start, next.text, strlen (next.text)) == 0);
  /* Coalesced: far fewer signals than lines written. */
  g_assert_cmpuint (changed.count, <, 40);

  g_dbus_connection_signal_unsubscribe (fx->connection, id);
  g_free (changed.instance);
  dbus_fixture_free (fx);
}

/* A job that never wrote has an empty log; an instance's log is its own file. */
static void
test_empty_and_instance (void)
{
  DBusFixture *fx = start (NULL);
  g_auto (Slice) empty = { 0 };
  g_auto (Slice) inst = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (get_log (fx, "quiet", "", TAIL, 0, &empty, &error));
  g_assert_cmpstr (empty.text, ==, "");
  g_assert_cmpuint (empty.start, ==, 0);
  g_assert_cmpuint (empty.end, ==, 0);
  g_assert_cmpuint (empty.size, ==, 0);

  start_job (fx, "web", "PORT=8080");
  {
    g_autofree char *file = g_build_filename (fx->logdir, "web-8080.log", NULL);

    for (guint i = 0; i < 200 && !g_file_test (file, G_FILE_TEST_EXISTS); i++)
      test_util_spin (50);
  }
  test_util_spin (200);
  g_assert_true (get_log (fx, "web", "8080", TAIL, 0, &inst, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (inst.text, ==, "serving 8080\r\n");
  dbus_fixture_free (fx);
}

/* The tail starts at a whole line; a read never ends inside a character; a file shorter
 * than the offset is read again from 0. */
static void
test_boundaries (void)
{
  DBusFixture *fx = start (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (fx->logdir, "quiet.log", NULL);
  g_auto (Slice) tail = { 0 };
  g_auto (Slice) cut = { 0 };
  g_auto (Slice) rest = { 0 };
  g_auto (Slice) again = { 0 };

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (text, "line %03u\n", i);     /* 9 bytes each */
  g_mkdir_with_parents (fx->logdir, 0755);
  g_assert_true (g_file_set_contents (file, text->str, text->len, NULL));

  g_assert_true (get_log (fx, "quiet", "", TAIL, 40, &tail, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tail.size, ==, 900);
  g_assert_cmpuint (tail.end, ==, 900);
  g_assert_cmpstr (tail.text, ==, "line 096\nline 097\nline 098\nline 099\n");
  g_assert_cmpuint (tail.start, ==, 864);

  /* "é" is two bytes: a 4-byte read of "aé…" stops before a cut "é". */
  g_assert_true (g_file_set_contents (file, "abcé\n", -1, NULL));
  g_assert_true (get_log (fx, "quiet", "", 0, 4, &cut, &error));
  g_assert_cmpstr (cut.text, ==, "abc");
  g_assert_cmpuint (cut.end, ==, 3);
  g_assert_true (get_log (fx, "quiet", "", cut.end, 0, &rest, &error));
  g_assert_cmpstr (rest.text, ==, "é\n");
  g_assert_cmpuint (rest.end, ==, 6);

  /* Truncated below what was read: start over at 0. */
  g_assert_true (get_log (fx, "quiet", "", 900, 0, &again, &error));
  g_assert_cmpuint (again.start, ==, 0);
  g_assert_cmpstr (again.text, ==, "abcé\n");
  dbus_fixture_free (fx);
}

/* Bad instance names are refused with a named error; without a log directory, Failed. */
static void
test_errors (void)
{
  DBusFixture *fx = start (NULL);
  const char *const no_log[] = { "--no-startup-event", "--no-log", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_auto (Slice) slice = { 0 };
  g_autofree char *remote = NULL;

  g_assert_false (get_log (fx, "quiet", long_name, TAIL, 0, &slice, &error));
  remote = g_dbus_error_get_remote_error (error);
  g_assert_cmpstr (remote, ==, "org.example.Init.Error.UnknownInstance");
  g_clear_error (&error);
  g_clear_pointer (&remote, g_free);

  dbus_fixture_stop_initd (fx);
  dbus_fixture_start_initd (fx, no_log, NULL);
  g_assert_false (get_log (fx, "quiet", "", TAIL, 0, &slice, &error));
  remote = g_dbus_error_get_remote_error (error);
  g_assert_cmpstr (remote, ==, "org.example.Init.Error.Failed");
  dbus_fixture_free (fx);
}

/* Logs can hold secrets: another user may not read a session daemon's logs. */
static void
test_denied (void)
{
  DBusFixture *fx;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (getuid () != 0)
    {
      g_test_skip ("needs root to call as another user (pkother)");
      return;
    }
  fx = start (NULL);
  {
    const char *const argv[] = {
      "runuser", "-u", "pkother", "--", "gdbus", "call", "--address", fx->address,
      "--dest", BUS_NAME, "--object-path", "/org/example/Init/jobs/quiet",
      "--method", "org.example.Init.Job.GetLog", "", "0", "0", NULL
    };

    status = dbus_fixture_run (fx, argv, &out, &err);
  }
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "org.freedesktop.DBus.Error.AccessDenied"));
  dbus_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/face/log/follow", test_follow);
  g_test_add_func ("/face/log/empty-and-instance", test_empty_and_instance);
  g_test_add_func ("/face/log/boundaries", test_boundaries);
  g_test_add_func ("/face/log/errors", test_errors);
  g_test_add_func ("/face/log/denied", test_denied);
  return g_test_run ();
}
