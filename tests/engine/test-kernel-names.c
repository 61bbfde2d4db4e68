/* test-kernel-names.c — the one table of signal names and the one of `limit` names, as the
 * parser, the process code and save/restore all read them */
#include <signal.h>
#include <sys/resource.h>

#include <glib.h>

#include "init-kernel-names.h"

/* Every name a number is shown by reads back to that number, with or without "SIG". */
static void
test_signal_names_round_trip (void)
{
  for (int signum = 1; signum < SIGRTMIN; signum++)
    {
      g_autofree char *name = init_signal_to_name (signum);
      g_autofree char *prefixed = g_strconcat ("SIG", name, NULL);

      if (g_ascii_isdigit (name[0]))
        continue;                         /* no name: shown as its number */
      g_assert_cmpint (init_signal_from_name (name), ==, signum);
      g_assert_cmpint (init_signal_from_name (prefixed), ==, signum);
      g_assert_cmpint (init_signal_parse (name), ==, signum);
    }
}

/* An alias is read, but a number is shown by its first name (IOT is ABRT, CLD is CHLD). */
static void
test_signal_aliases_show_first_name (void)
{
  g_autofree char *abrt = init_signal_to_name (SIGABRT);
  g_autofree char *chld = init_signal_to_name (SIGCHLD);
  g_autofree char *io = init_signal_to_name (SIGIO);

  g_assert_cmpint (init_signal_from_name ("IOT"), ==, SIGABRT);
  g_assert_cmpint (init_signal_from_name ("SIGCLD"), ==, SIGCHLD);
  g_assert_cmpint (init_signal_from_name ("POLL"), ==, SIGIO);
  g_assert_cmpstr (abrt, ==, "ABRT");
  g_assert_cmpstr (chld, ==, "CHLD");
  g_assert_cmpstr (io, ==, "IO");
}

/* `normal exit 15 TERM` means status 15 and signal TERM: a number is never a signal name. */
static void
test_signal_numbers_are_not_names (void)
{
  g_assert_cmpint (init_signal_from_name ("15"), ==, -1);
  g_assert_cmpint (init_signal_from_name ("SIG15"), ==, -1);
  g_assert_cmpint (init_signal_parse ("15"), ==, SIGTERM);
}

/* Names are upper case and whole: no lower case, no prefix alone, no trailing text. */
static void
test_signal_names_are_exact (void)
{
  const char *bad[] = { "term", "Term", "SIG", "SIGSIGTERM", "TERM ", " TERM", "TERMX", "" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("%s", bad[i]);
      g_assert_cmpint (init_signal_from_name (bad[i]), ==, -1);
      g_assert_cmpint (init_signal_parse (bad[i]), ==, -1);
    }
}

/* A number is taken only for a signal that exists: 1 to the last real-time signal. */
static void
test_signal_parse_range (void)
{
  g_autofree char *last = g_strdup_printf ("%d", SIGRTMAX);
  g_autofree char *past = g_strdup_printf ("%d", SIGRTMAX + 1);

  g_assert_cmpint (init_signal_parse ("1"), ==, SIGHUP);
  g_assert_cmpint (init_signal_parse (last), ==, SIGRTMAX);
  g_assert_cmpint (init_signal_parse (past), ==, -1);
  g_assert_cmpint (init_signal_parse ("0"), ==, -1);
  g_assert_cmpint (init_signal_parse ("+9"), ==, -1);
  g_assert_cmpint (init_signal_parse ("9 "), ==, -1);
  g_assert_cmpint (init_signal_parse ("0x9"), ==, -1);
}

/* A signal without a name (real-time) is shown as its number, which parses back. */
static void
test_signal_unnamed_shown_as_number (void)
{
  g_autofree char *rt = init_signal_to_name (SIGRTMIN + 3);
  g_autofree char *expected = g_strdup_printf ("%d", SIGRTMIN + 3);
  g_autofree char *zero = init_signal_to_name (0);

  g_assert_cmpstr (rt, ==, expected);
  g_assert_cmpint (init_signal_parse (rt), ==, SIGRTMIN + 3);
  g_assert_cmpstr (zero, ==, "0");
}

/* Each of the fourteen `limit` words maps to its resource and back. */
static void
test_limit_names_round_trip (void)
{
  static const struct { const char *name; int resource; } limits[] = {
    { "as", RLIMIT_AS }, { "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU },
    { "data", RLIMIT_DATA }, { "fsize", RLIMIT_FSIZE }, { "memlock", RLIMIT_MEMLOCK },
    { "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE }, { "nofile", RLIMIT_NOFILE },
    { "nproc", RLIMIT_NPROC }, { "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO },
    { "sigpending", RLIMIT_SIGPENDING }, { "stack", RLIMIT_STACK },
  };
  guint named = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      g_assert_cmpint (init_limit_from_name (limits[i].name), ==, limits[i].resource);
      g_assert_cmpstr (init_limit_to_name (limits[i].resource), ==, limits[i].name);
    }
  /* …and no other resource has a word (save/restore walks 0 to RLIM_NLIMITS). */
  for (int r = 0; r < RLIM_NLIMITS; r++)
    named += init_limit_to_name (r) != NULL;
  g_assert_cmpuint (named, ==, G_N_ELEMENTS (limits));
}

/* Limit words are lower case and whole; RLIMIT_ names and unknown numbers have none. */
static void
test_limit_unknown (void)
{
  g_assert_cmpint (init_limit_from_name ("NOFILE"), ==, -1);
  g_assert_cmpint (init_limit_from_name ("RLIMIT_NOFILE"), ==, -1);
  g_assert_cmpint (init_limit_from_name ("nofiles"), ==, -1);
  g_assert_cmpint (init_limit_from_name (""), ==, -1);
  g_assert_null (init_limit_to_name (-1));
  g_assert_null (init_limit_to_name (RLIM_NLIMITS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/kernel-names/signal/round-trip", test_signal_names_round_trip);
  g_test_add_func ("/engine/kernel-names/signal/aliases", test_signal_aliases_show_first_name);
  g_test_add_func ("/engine/kernel-names/signal/numbers-are-not-names",
                   test_signal_numbers_are_not_names);
  g_test_add_func ("/engine/kernel-names/signal/exact", test_signal_names_are_exact);
  g_test_add_func ("/engine/kernel-names/signal/parse-range", test_signal_parse_range);
  g_test_add_func ("/engine/kernel-names/signal/unnamed", test_signal_unnamed_shown_as_number);
  g_test_add_func ("/engine/kernel-names/limit/round-trip", test_limit_names_round_trip);
  g_test_add_func ("/engine/kernel-names/limit/unknown", test_limit_unknown);

  return g_test_run ();
}
