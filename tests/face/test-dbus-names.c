/* test-dbus-names.c — the face's gate on client input and its names on the bus: error names,
 * checks of job, instance and event names, object paths and their escaping both ways */
#include <string.h>

#include <gio/gio.h>

#include "init-dbus-error.h"
#include "init-error.h"

/* Every INIT_ERROR code goes out as org.example.Init.Error.<Name>, with its message. */
static void
test_error_names (void)
{
  static const struct { int code; const char *name; } codes[] = {
    { INIT_ERROR_UNKNOWN_JOB, "UnknownJob" }, { INIT_ERROR_ALREADY_STARTED, "AlreadyStarted" },
    { INIT_ERROR_EVENT_FAILED, "EventFailed" }, { INIT_ERROR_LIMITS_EXCEEDED, "LimitsExceeded" },
    { INIT_ERROR_NOT_WRITABLE, "NotWritable" }, { INIT_ERROR_PERMISSION_DENIED, "PermissionDenied" },
  };

  init_dbus_error_register ();
  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(GError) error = g_error_new (INIT_ERROR, codes[i].code, "because %zu", i);
      g_autofree char *message = NULL;
      g_autofree char *name = init_dbus_error_describe (error, &message);
      g_autofree char *expected = g_strconcat (INIT_DBUS_ERROR_PREFIX, codes[i].name, NULL);
      g_autofree char *expected_message = g_strdup_printf ("because %zu", i);

      g_assert_cmpstr (name, ==, expected);
      g_assert_cmpstr (message, ==, expected_message);
    }
}

/* An error from another domain goes out as Failed; one that came from the bus under its own
 * name (polkit's) goes out under that name, without GDBus's prefix in the message. */
static void
test_error_foreign_and_remote (void)
{
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "gone");
  g_autoptr(GError) remote =
    g_dbus_error_new_for_dbus_error ("org.freedesktop.PolicyKit1.Error.Failed", "no agent");
  g_autofree char *io_message = NULL, *remote_message = NULL;
  g_autofree char *io_name = init_dbus_error_describe (io, &io_message);
  g_autofree char *remote_name = init_dbus_error_describe (remote, &remote_message);

  g_assert_cmpstr (io_name, ==, INIT_DBUS_ERROR_PREFIX "Failed");
  g_assert_cmpstr (io_message, ==, "gone");
  g_assert_cmpstr (remote_name, ==, "org.freedesktop.PolicyKit1.Error.Failed");
  g_assert_cmpstr (remote_message, ==, "no agent");
}

/* Job names: non-empty, at most 256 bytes, UTF-8; a refused one is UnknownJob. */
static void
test_job_name_checks (void)
{
  g_autofree char *longest = g_strnfill (INIT_DBUS_MAX_NAME, 'j');
  g_autofree char *too_long = g_strnfill (INIT_DBUS_MAX_NAME + 1, 'j');
  g_autoptr(GError) empty = NULL, over = NULL, invalid = NULL;

  g_assert_true (init_dbus_check_job_name ("my-job", NULL));
  g_assert_true (init_dbus_check_job_name (longest, NULL));
  g_assert_false (init_dbus_check_job_name ("", &empty));
  g_assert_error (empty, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB);
  g_assert_false (init_dbus_check_job_name (too_long, &over));
  g_assert_error (over, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB);
  /* The message shows a short excerpt, never the whole input. */
  g_assert_cmpuint (strlen (over->message), <, 200);
  g_assert_false (init_dbus_check_job_name ("bad\xff", &invalid));
  g_assert_error (invalid, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB);
  g_assert_true (g_utf8_validate (invalid->message, -1, NULL));
}

/* Instance names may be empty (the default instance); otherwise the same bounds. */
static void
test_instance_name_checks (void)
{
  g_autofree char *too_long = g_strnfill (INIT_DBUS_MAX_NAME + 1, 'i');
  g_autoptr(GError) error = NULL;

  g_assert_true (init_dbus_check_instance_name ("", NULL));
  g_assert_true (init_dbus_check_instance_name ("tty1", NULL));
  g_assert_false (init_dbus_check_instance_name (too_long, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_INSTANCE);
}

/* Event names: refused empty or with whitespace, and control characters in the message are
 * shown escaped, so a client cannot write to the daemon's log terminal. */
static void
test_event_name_checks (void)
{
  g_autoptr(GError) empty = NULL, spaced = NULL, control = NULL;

  g_assert_true (init_dbus_check_event_name ("net-device-up", NULL));
  g_assert_false (init_dbus_check_event_name ("", &empty));
  g_assert_error (empty, INIT_ERROR, INIT_ERROR_INVALID_EVENT);
  g_assert_false (init_dbus_check_event_name ("two words", &spaced));
  g_assert_error (spaced, INIT_ERROR, INIT_ERROR_INVALID_EVENT);
  g_assert_false (init_dbus_check_event_name ("bell\x07", &control));
  g_assert_nonnull (strstr (control->message, "bell\\x07"));
  g_assert_null (strchr (control->message, '\x07'));
}

/* Object paths: jobs under /org/example/Init/jobs, instances under their job; the default
 * instance is "_". */
static void
test_paths (void)
{
  g_autofree char *job = init_dbus_job_path ("my-job");
  g_autofree char *instance = init_dbus_instance_path ("tty", "tty1");
  g_autofree char *unnamed = init_dbus_instance_path ("svc", "");

  g_assert_cmpstr (job, ==, INIT_DBUS_JOBS_PATH "/my_2djob");
  g_assert_cmpstr (instance, ==, INIT_DBUS_JOBS_PATH "/tty/tty1");
  g_assert_cmpstr (unnamed, ==, INIT_DBUS_JOBS_PATH "/svc/_");
  g_assert_true (g_variant_is_object_path (job));
  g_assert_true (g_variant_is_object_path (instance));
  g_assert_true (g_variant_is_object_path (unnamed));
}

/* Escaping and unescaping are inverse for every name, including bytes past ASCII. */
static void
test_escape_round_trip (void)
{
  const char *names[] = { "", "a", "_", "a_b", "a-b.c/d", "caf\xc3\xa9", "\x01\x7f", "123" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *escaped = init_dbus_escape_path_element (names[i]);
      g_autofree char *back = init_dbus_unescape_path_element (escaped);

      g_test_message ("'%s' -> '%s'", names[i], escaped);
      g_assert_cmpstr (back, ==, names[i]);
    }
}

/* Only the one spelling escaping produces is accepted back: no second path for a name. */
static void
test_unescape_rejects_other_spellings (void)
{
  const char *bad[] = {
    "_61",      /* 'a' escaped: escaping keeps letters */
    "_2D",      /* upper-case hex */
    "_2",       /* cut short */
    "_zz",      /* not hex */
    "_00",      /* NUL */
    "a-b",      /* a byte escaping would have changed */
    "",         /* the empty name is "_" */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *back = init_dbus_unescape_path_element (bad[i]);

      g_test_message ("'%s'", bad[i]);
      g_assert_null (back);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/face/dbus-names/error-names", test_error_names);
  g_test_add_func ("/face/dbus-names/error-foreign-and-remote", test_error_foreign_and_remote);
  g_test_add_func ("/face/dbus-names/job-name-checks", test_job_name_checks);
  g_test_add_func ("/face/dbus-names/instance-name-checks", test_instance_name_checks);
  g_test_add_func ("/face/dbus-names/event-name-checks", test_event_name_checks);
  g_test_add_func ("/face/dbus-names/paths", test_paths);
  g_test_add_func ("/face/dbus-names/escape-round-trip", test_escape_round_trip);
  g_test_add_func ("/face/dbus-names/unescape-rejects-other-spellings",
                   test_unescape_rejects_other_spellings);

  return g_test_run ();
}
