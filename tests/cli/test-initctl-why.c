/* test-initctl-why.c — initctl why and why-not: the chain and the missing events as text
 * (times, ids and pids masked) and as JSON (parsed by a real JSON parser) */
#include <string.h>

#include "initctl-run.h"
#include "test-util.h"

#define WAIT_MS 20000

/* Times, event ids, pids and the caller's program path made comparable. */
static char *
mask (const char *text)
{
  static const char *const rules[][2] = {
    { "[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}", "TIME" },
    { "[0-9]{2}:[0-9]{2}:[0-9]{2}", "TIME" },
    { "#[0-9]+", "#N" },
    { "uid [0-9]+ \\(pid [0-9]+, [^)]*\\)", "uid U (pid P, PROGRAM)" },
  };
  g_autofree char *masked = g_strdup (text);

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(GRegex) regex = g_regex_new (rules[i][0], 0, 0, NULL);
      char *next = g_regex_replace_literal (regex, masked, -1, 0, rules[i][1], 0, NULL);

      g_free (masked);
      masked = next;
    }
  return g_steal_pointer (&masked);
}

/* why: a chain of three jobs back to the emit that began it, one line per link; --json
 * parses and holds the same links. */
static void
test_why (void)
{
  DBusFixture *fx = run_fixture_new ((const char *[]) {
    "a", "start on go\nexec sleep 1000\n",
    "b", "start on started a\nexec sleep 1000\n",
    "c", "start on started b\nexec sleep 1000\n",
    "idle", "exec sleep 1000\n", NULL
  });
  g_autofree char *out = NULL, *masked = NULL, *json = NULL, *kinds = NULL;

  assert_initctl (fx, 0, "", "", "emit", "go");
  g_assert_true (run_wait_status (fx, "c", "c start/running, process N\n", WAIT_MS));
  g_assert_cmpint (run_initctl (fx, &out, NULL, "why", "c", NULL), ==, 0);
  masked = mask (out);
  g_assert_cmpstr (masked, ==,
                   "TIME  c: goal start, because of the event started (#N)\n"
                   "TIME  event started (#N), because of the event started (#N)\n"
                   "TIME  b: goal start, because of the event started (#N)\n"
                   "TIME  event started (#N), because of the event go (#N)\n"
                   "TIME  a: goal start, because of the event go (#N)\n"
                   "TIME  event go (#N), asked by uid U (pid P, PROGRAM)\n");
  g_assert_cmpint (run_initctl (fx, &json, NULL, "why", "--json", "c", NULL), ==, 0);
  kinds = run_python ("import json, sys\n"
                      "links = json.load(sys.stdin)\n"
                      "print(' '.join(l['kind'] + ':' + l['subject'] for l in links))\n"
                      "assert links[5]['details']['cause'] == 'caller'\n", json);
  g_assert_cmpstr (kinds, ==, "job-goal:c event-queued:started job-goal:b event-queued:started "
                   "job-goal:a event-queued:go\n");
  assert_initctl (fx, 0, "idle: nothing in the history says why\n", "", "why", "idle");
  assert_initctl (fx, 2, "", "initctl: Unknown job: nope\n", "why", "nope");
  dbus_fixture_free (fx);
}

/* why-not: `start on a and b' after only a says b is missing and which job emits it, an
 * event nothing produces says so; --json parses; a disabled job says so. */
static void
test_why_not (void)
{
  DBusFixture *fx = run_fixture_new ((const char *[]) {
    "producer", "emits b\n",
    "j", "start on a and b or nowhere\nexec sleep 1000\n",
    "off", "start on a\nmanual\nexec sleep 1000\n", NULL
  });
  g_autofree char *json = NULL, *summary = NULL;
  const char *const argv[] = { "initctl", "why-not", "j", NULL };
  const char *expected =
    "j:\n"
    "start on ((a and b) or nowhere):\n"
    "  a: satisfied by the event #N at TIME\n"
    "  b: missing; the job producer emits it\n"
    "  nowhere: missing; nothing here produces it\n";
  g_autofree char *out = NULL, *masked = NULL;

  assert_initctl (fx, 0, "", "", "emit", "--no-wait", "a");
  /* the event is held by the latched leaf: wait until the daemon has handled it */
  for (gint64 end = g_get_monotonic_time () + WAIT_MS * 1000; ;)
    {
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&masked, g_free);
      g_assert_cmpint (run_argv (fx, NULL, argv, &out, NULL), ==, 0);
      masked = mask (out);
      if (g_str_equal (masked, expected) || g_get_monotonic_time () > end)
        break;
      test_util_spin (50);
    }
  g_assert_cmpstr (masked, ==, expected);
  g_assert_cmpint (run_initctl (fx, &json, NULL, "why-not", "--json", "j", NULL), ==, 0);
  summary = run_python ("import json, sys\n"
                        "o = json.load(sys.stdin)\n"
                        "print(o['start_on'], [(l['event'], l['event_id'] > 0, l['producers'])"
                        " for l in o['leaves']], o['reasons'])\n", json);
  g_assert_cmpstr (summary, ==, "((a and b) or nowhere) [('a', True, []), "
                   "('b', False, ['job:producer']), ('nowhere', False, [])] []\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_initctl (fx, &out, NULL, "why-not", "off", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "off:\n  disabled by `manual' in /"));
  g_assert_true (g_str_has_suffix (out, "/off.conf\n"));
  assert_initctl (fx, 2, "", "initctl: Unknown job: nope\n", "why-not", "nope");
  assert_initctl (fx, 1, "", "initctl: unexpected argument: x\n"
                  "Try `initctl --help' for more information.\n", "why-not", "j", "x");
  dbus_fixture_free (fx);
}

void
test_initctl_why_register (void)
{
  g_test_add_func ("/initctl/why/chain", test_why);
  g_test_add_func ("/initctl/why-not/missing", test_why_not);
}
