/* test-job-parse.c — job files to InitJobClass: every stanza and every error (reference §1) */
#define G_LOG_DOMAIN "test-job-parse"

#include <signal.h>
#include <string.h>

#include "init-error.h"
#include "init-job-parse.h"

static InitJobClass *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  InitJobClass *klass = init_job_parse ("test", NULL, text, -1, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (klass);
  return klass;
}

/* Leaf "name [arg]…", operator "(L op R)": our own rendering, independent of the
 * operator module's. */
static void
append_tree (GString                 *out,
             const InitEventOperator *op)
{
  if (op->type == INIT_EVENT_OPERATOR_MATCH)
    {
      g_string_append (out, op->name);
      for (char **arg = op->args; *arg != NULL; arg++)
        g_string_append_printf (out, " [%s]", *arg);
      return;
    }

  g_string_append_c (out, '(');
  append_tree (out, op->left);
  g_string_append (out, op->type == INIT_EVENT_OPERATOR_AND ? " and " : " or ");
  append_tree (out, op->right);
  g_string_append_c (out, ')');
}

static char *
tree_string (const InitEventOperator *op)
{
  GString *out = g_string_new (NULL);

  if (op == NULL)
    g_string_append (out, "(null)");
  else
    append_tree (out, op);
  return g_string_free (out, FALSE);
}

static void
assert_start_on (const char *text,
                 const char *expected)
{
  g_autoptr(InitJobClass) klass = parse_ok (text);
  g_autofree char *tree = tree_string (klass->start_on);

  g_assert_cmpstr (tree, ==, expected);
}

typedef struct
{
  const char *text;
  gint        code;
  guint       line;
  guint       column;
  const char *message;  /* without the position prefix; NULL: not checked */
} ErrorCase;

static void
check_error_case (const ErrorCase *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InitJobClass) klass = NULL;
  InitParsePos pos = { 0, 0 };

  klass = init_job_parse ("test", NULL, c->text, -1, NULL, &pos, &error);
  if (klass != NULL || !g_error_matches (error, INIT_PARSE_ERROR, c->code) ||
      pos.line != c->line || pos.column != c->column)
    g_error ("%s: expected code %d at %u:%u, got %s at %u:%u", c->text, c->code, c->line,
             c->column, error ? error->message : "success", pos.line, pos.column);

  if (c->message != NULL)
    {
      g_autofree char *expected = g_strdup_printf ("%u:%u: %s", c->line, c->column, c->message);

      g_assert_cmpstr (error->message, ==, expected);
    }
}

/* Every error of §1.3/§1.4 (and of our stricter checks) with its code and position;
 * columns are Upstart's byte offsets plus one. */
static const ErrorCase error_cases[] = {
  /* processes (A3, A4, A5) */
  { "exec", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 5, "Expected token: exec COMMAND [ARG]…" },
  { "exec\n", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 5, NULL },
  { "exec   # only a comment\n", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 8, NULL },
  { "script foo", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 8, "Unexpected token" },
  { "exec x\nscript\necho\n", INIT_PARSE_ERROR_UNTERMINATED_BLOCK, 2, 1, "Unterminated block" },
  { "pre-start foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 11,
    "Unknown stanza, expected pre-start exec or pre-start script" },
  { "pre-start", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 10, NULL },
  { "pre-start exec", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 15, NULL },
  { "post-start bar", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 12, NULL },
  { "pre-stop\n", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 9, NULL },
  { "post-stop script x", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 18, NULL },
  { "post-stop script\n  echo\n", INIT_PARSE_ERROR_UNTERMINATED_BLOCK, 1, 1, NULL },
  /* event expressions (A6 – A9) */
  { "start on wibble foo KEY=bar baz", INIT_PARSE_ERROR_EXPECTED_VARIABLE, 1, 32,
    "Expected variable name before value" },
  { "start on a K!=v b", INIT_PARSE_ERROR_EXPECTED_VARIABLE, 1, 18, NULL },
  { "start on or foo", INIT_PARSE_ERROR_EXPECTED_EVENT, 1, 10, "Expected event" },
  { "start on foo or", INIT_PARSE_ERROR_EXPECTED_EVENT, 1, 14, NULL },
  { "start on foo or and bar", INIT_PARSE_ERROR_EXPECTED_EVENT, 1, 17, NULL },
  { "start on foo or (or foo)", INIT_PARSE_ERROR_EXPECTED_EVENT, 1, 18, NULL },
  { "start on foo or (bar or)", INIT_PARSE_ERROR_EXPECTED_EVENT, 1, 24, NULL },
  { "start on ()", INIT_PARSE_ERROR_EXPECTED_EVENT, 1, 11, NULL },
  { "start on (", INIT_PARSE_ERROR_EXPECTED_EVENT, 1, 10, NULL },
  { "start on )", INIT_PARSE_ERROR_EXPECTED_EVENT, 1, 10, NULL },
  { "start on frodo (foo or bar)", INIT_PARSE_ERROR_EXPECTED_OPERATOR, 1, 16, "Expected operator" },
  { "start on (foo or bar) frodo", INIT_PARSE_ERROR_EXPECTED_OPERATOR, 1, 23, NULL },
  { "start on (a) (b)", INIT_PARSE_ERROR_EXPECTED_OPERATOR, 1, 14, NULL },
  { "start on foo or bar or foo)", INIT_PARSE_ERROR_MISMATCHED_PARENS, 1, 27,
    "Mismatched parentheses" },
  { "start on foo or (bar or foo\n", INIT_PARSE_ERROR_MISMATCHED_PARENS, 2, 1, NULL },
  { "start on (a or\n(b\n", INIT_PARSE_ERROR_MISMATCHED_PARENS, 3, 1, NULL },
  { "start on", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 9, "Expected token: start on EVENT…" },
  { "start on   # nothing", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 12, NULL },
  { "start on \"\"", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 10, NULL },
  { "start on \"foo", INIT_PARSE_ERROR_UNTERMINATED_QUOTE, 1, 10, NULL },
  { "start foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 7, "Unknown stanza, expected start on" },
  { "start", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 6, NULL },
  { "stop off", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 6, "Unknown stanza, expected stop on" },
  { "stop on a and", INIT_PARSE_ERROR_EXPECTED_EVENT, 1, 11, NULL },
  { "stop", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 5, NULL },
  { "manual foo", INIT_PARSE_ERROR_ILLEGAL_ARGUMENT, 1, 8,
    "Unexpected argument, manual takes no arguments" },
  /* one-argument stanzas */
  { "description", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 12, NULL },
  { "description \"a test job\" \"ya ya\"", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 26, NULL },
  { "author a b", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 10, NULL },
  { "version 1 2", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 11, NULL },
  { "usage a b", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 9, NULL },
  { "instance $A $B", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 13, NULL },
  { "chroot /a /b", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 11, NULL },
  { "chdir", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 6, NULL },
  { "setuid a b", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 10, NULL },
  { "setgid", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 7, NULL },
  { "env FOO=BAR oops", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 13, NULL },
  { "env", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 4, NULL },
  { "export", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 7, NULL },
  { "emits\n", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 6, NULL },
  /* enumerations and flags (A16) */
  { "expect daemon foo", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 15, NULL },
  { "expect foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 8,
    "Unknown stanza, expected expect stop, daemon, fork or none" },
  { "expect", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 7, NULL },
  { "task foo", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 6, NULL },
  { "respawn foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 9,
    "Unknown stanza, expected respawn or respawn limit" },
  { "console foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 9,
    "Unknown stanza, expected console none, output, owner or log" },
  { "console log x", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 13, NULL },
  { "console", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 8, NULL },
  /* numbers (A14) */
  { "kill timeout foo", INIT_PARSE_ERROR_ILLEGAL_INTERVAL, 1, 14,
    "Illegal interval, expected number of seconds" },
  { "kill timeout -1", INIT_PARSE_ERROR_ILLEGAL_INTERVAL, 1, 14, NULL },
  { "kill timeout 99999999999", INIT_PARSE_ERROR_ILLEGAL_INTERVAL, 1, 14, NULL },
  { "kill timeout 5s", INIT_PARSE_ERROR_ILLEGAL_INTERVAL, 1, 14, NULL },
  { "kill timeout", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 13, NULL },
  { "kill timeout 5 6", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 16, NULL },
  { "kill foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 6,
    "Unknown stanza, expected kill timeout or kill signal" },
  { "kill", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 5, NULL },
  { "kill signal foo", INIT_PARSE_ERROR_ILLEGAL_SIGNAL, 1, 13,
    "Illegal signal, expected a signal name or 1 to 64" },
  { "kill signal 0", INIT_PARSE_ERROR_ILLEGAL_SIGNAL, 1, 13, NULL },
  { "kill signal 65", INIT_PARSE_ERROR_ILLEGAL_SIGNAL, 1, 13, NULL },
  { "kill signal -9", INIT_PARSE_ERROR_ILLEGAL_SIGNAL, 1, 13, NULL },
  { "kill signal term", INIT_PARSE_ERROR_ILLEGAL_SIGNAL, 1, 13, NULL },
  { "kill signal", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 12, NULL },
  { "\n\nkill signal KILL x", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 3, 18, NULL },
  { "reload signal BOGUS", INIT_PARSE_ERROR_ILLEGAL_SIGNAL, 1, 15, NULL },
  { "reload foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 8, "Unknown stanza, expected reload signal" },
  { "respawn limit 10 foo", INIT_PARSE_ERROR_ILLEGAL_INTERVAL, 1, 18, NULL },
  { "respawn limit -1 120", INIT_PARSE_ERROR_ILLEGAL_LIMIT, 1, 15,
    "Illegal limit, expected 'unlimited' or integer" },
  { "respawn limit 10", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 17, NULL },
  { "respawn limit 10\n", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 17, NULL },
  { "respawn limit", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 14, NULL },
  { "respawn limit 1 2 3", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 19, NULL },
  { "respawn limit unlimited 5", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 25, NULL },
  { "normal exit -1", INIT_PARSE_ERROR_ILLEGAL_EXIT, 1, 13,
    "Illegal exit status, expected 0 to 255 or a signal name" },
  { "normal exit 0 256", INIT_PARSE_ERROR_ILLEGAL_EXIT, 1, 15, NULL },
  { "normal exit 1 FOO", INIT_PARSE_ERROR_ILLEGAL_EXIT, 1, 15, NULL },
  { "normal exit", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 12, NULL },
  { "normal foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 8, "Unknown stanza, expected normal exit" },
  { "umask 999", INIT_PARSE_ERROR_ILLEGAL_UMASK, 1, 7,
    "Illegal file creation mask, expected octal 0 to 777" },
  { "umask -1", INIT_PARSE_ERROR_ILLEGAL_UMASK, 1, 7, NULL },
  { "umask 1000", INIT_PARSE_ERROR_ILLEGAL_UMASK, 1, 7, NULL },
  { "umask 0x12", INIT_PARSE_ERROR_ILLEGAL_UMASK, 1, 7, NULL },
  { "nice 20", INIT_PARSE_ERROR_ILLEGAL_NICE, 1, 6, "Illegal nice value, expected -20 to 19" },
  { "nice -21", INIT_PARSE_ERROR_ILLEGAL_NICE, 1, 6, NULL },
  { "nice 1.5", INIT_PARSE_ERROR_ILLEGAL_NICE, 1, 6, NULL },
  { "oom 20", INIT_PARSE_ERROR_ILLEGAL_OOM, 1, 5,
    "Illegal oom adjustment, expected -17 to 15 or 'never'" },
  { "oom -18", INIT_PARSE_ERROR_ILLEGAL_OOM, 1, 5, NULL },
  { "oom score 1200", INIT_PARSE_ERROR_ILLEGAL_OOM, 1, 11,
    "Illegal oom score adjustment, expected -1000 to 1000 or 'never'" },
  { "oom score -1001", INIT_PARSE_ERROR_ILLEGAL_OOM, 1, 11, NULL },
  { "oom score", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 10, NULL },
  { "oom", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 4, NULL },
  { "oom never x", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 11, NULL },
  { "limit core 10 20000000000000000000", INIT_PARSE_ERROR_ILLEGAL_LIMIT, 1, 15, NULL },
  { "limit core 10 foo", INIT_PARSE_ERROR_ILLEGAL_LIMIT, 1, 15, NULL },
  { "limit core -1 10", INIT_PARSE_ERROR_ILLEGAL_LIMIT, 1, 12, NULL },
  { "limit foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 7, NULL },
  { "limit core 10", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 14, NULL },
  /* as a real job file had it: the message names the form, so the missing hard limit shows */
  { "limit nofile 16384\n", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 19,
    "Expected token: limit RESOURCE SOFT|unlimited HARD|unlimited" },
  { "limit core 1 2 3", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 16, NULL },
  /* parsed but unsupported */
  { "debug x", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 7, NULL },
  { "apparmor foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 10,
    "Unknown stanza, expected apparmor load or apparmor switch" },
  { "apparmor load", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 14, NULL },
  { "apparmor switch a b", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 19, NULL },
  { "apparmor", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 9, NULL },
  { "cgroup", INIT_PARSE_ERROR_EXPECTED_TOKEN, 1, 7, NULL },
  { "cgroup a b c d e", INIT_PARSE_ERROR_UNEXPECTED_TOKEN, 1, 16, NULL },
  /* the file level */
  { "foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 1, "Unknown stanza" },
  { "\"exec\" foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 1, NULL },
  { "Exec foo", INIT_PARSE_ERROR_UNKNOWN_STANZA, 1, 1, NULL },
  { "exec foo\n  \n # c\n   bogus x\n", INIT_PARSE_ERROR_UNKNOWN_STANZA, 4, 4, NULL },
  { "exec \"foo", INIT_PARSE_ERROR_UNTERMINATED_QUOTE, 1, 6, "Unterminated quoted string" },
  { "env \"A=\nB\nexec x", INIT_PARSE_ERROR_UNTERMINATED_QUOTE, 1, 5, NULL },
  { "exec foo \\", INIT_PARSE_ERROR_TRAILING_SLASH, 1, 10, "Trailing slash in file" },
  { "exec a\x80", INIT_PARSE_ERROR_BINARY, 1, 7, "Invalid UTF-8, expected a text file" },
};

static void
test_errors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_cases); i++)
    check_error_case (&error_cases[i]);
}

/* A17: the message names the file, line and column; the class is not defined. */
static void
test_error_with_path (void)
{
  g_autoptr(GError) error = NULL;
  InitParsePos pos = { 0, 0 };
  InitJobClass *klass;

  klass = init_job_parse ("foo", "/etc/init/foo.conf", "exec foo\nenv A=1\nbogus\n", -1,
                          NULL, &pos, &error);
  g_assert_null (klass);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_UNKNOWN_STANZA);
  g_assert_cmpstr (error->message, ==, "/etc/init/foo.conf:3:1: Unknown stanza");
  g_assert_cmpuint (pos.line, ==, 3);
  g_assert_cmpuint (pos.column, ==, 1);

  /* The position out-parameter is optional. */
  g_clear_error (&error);
  klass = init_job_parse ("foo", NULL, "nice 99", -1, NULL, NULL, &error);
  g_assert_null (klass);
  g_assert_cmpstr (error->message, ==, "1:6: Illegal nice value, expected -20 to 19");
}

/* An empty file is an abstract job carrying every default of §1.3. */
static void
test_defaults (void)
{
  g_autoptr(InitJobClass) klass = NULL;
  g_autoptr(GError) error = NULL;

  klass = init_job_parse ("net/apache", "/etc/init/net/apache.conf", "", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (klass->name, ==, "net/apache");
  g_assert_cmpstr (klass->path, ==, "/etc/init/net/apache.conf");
  g_assert_null (klass->override_path);
  g_assert_null (klass->description);
  g_assert_null (klass->author);
  g_assert_null (klass->version);
  g_assert_null (klass->usage);
  g_assert_cmpstr (klass->instance, ==, "");
  g_assert_cmpuint (klass->env->len, ==, 0);
  g_assert_cmpuint (klass->export->len, ==, 0);
  g_assert_cmpuint (klass->emits->len, ==, 0);
  g_assert_null (klass->start_on);
  g_assert_null (klass->stop_on);
  for (int i = 0; i < INIT_PROCESS_N; i++)
    g_assert_null (klass->process[i].command);
  g_assert_true (init_job_class_is_abstract (klass));
  g_assert_cmpint (klass->expect, ==, INIT_EXPECT_NONE);
  g_assert_false (klass->task);
  g_assert_false (klass->manual);
  g_assert_cmpint (klass->kill_timeout, ==, 5);
  g_assert_cmpint (klass->kill_signal, ==, SIGTERM);
  g_assert_cmpint (klass->reload_signal, ==, SIGHUP);
  g_assert_false (klass->respawn);
  g_assert_cmpint (klass->respawn_limit, ==, 10);
  g_assert_cmpint (klass->respawn_interval, ==, 5);
  g_assert_cmpuint (klass->normal_exit->len, ==, 0);
  g_assert_cmpint (klass->console, ==, INIT_CONSOLE_LOG);
  g_assert_cmpint (klass->umask, ==, 022);
  g_assert_cmpint (klass->nice, ==, INIT_NICE_UNSET);
  g_assert_cmpint (klass->oom_score_adj, ==, 0);
  g_assert_false (klass->oom_set);
  for (int i = 0; i < INIT_N_LIMITS; i++)
    g_assert_null (init_job_class_get_limit (klass, i));
  g_assert_null (klass->chroot);
  g_assert_null (klass->chdir);
  g_assert_null (klass->setuid);
  g_assert_null (klass->setgid);
  g_assert_false (klass->debug);
  g_assert_null (klass->apparmor_load);
  g_assert_null (klass->apparmor_switch);
  g_assert_cmpuint (klass->cgroups->len, ==, 0);
}

/* Blank lines, comments and indentation around stanzas are ignored. */
static void
test_layout (void)
{
  g_autoptr(InitJobClass) klass = parse_ok ("# a job\n\n   \t\n  description  \"x\"   # trailing\n"
                                            "\t# indented comment\n\r\ntask\r\n");

  g_assert_cmpstr (klass->description, ==, "x");
  g_assert_true (klass->task);
}

/* exec keeps the command verbatim (A1); script strips indentation (A2); they replace
 * each other; every auxiliary process takes either form. */
static void
test_processes (void)
{
  g_autoptr(InitJobClass) a = parse_ok ("exec /sbin/daemon -d \"foo\"");
  g_autoptr(InitJobClass) b = parse_ok ("script\n    echo\nend script");
  g_autoptr(InitJobClass) c = parse_ok ("script\n  echo a\nend script\nexec /bin/b # note\n");
  g_autoptr(InitJobClass) d = parse_ok ("exec /bin/a\nscript # a comment\n  echo b\nend script\n");
  g_autoptr(InitJobClass) e = parse_ok ("pre-start exec /bin/pre\n"
                                        "post-start script\n  echo post\nend script\n"
                                        "pre-stop exec /bin/prestop  \\\n   --now\n"
                                        "post-stop script\necho done\n  end script  # x\n"
                                        "exec /bin/main\n");

  g_assert_false (a->process[INIT_PROCESS_MAIN].script);
  g_assert_cmpstr (a->process[INIT_PROCESS_MAIN].command, ==, "/sbin/daemon -d \"foo\"");
  g_assert_false (init_job_class_is_abstract (a));

  g_assert_true (b->process[INIT_PROCESS_MAIN].script);
  g_assert_cmpstr (b->process[INIT_PROCESS_MAIN].command, ==, "echo\n");

  g_assert_false (c->process[INIT_PROCESS_MAIN].script);
  g_assert_cmpstr (c->process[INIT_PROCESS_MAIN].command, ==, "/bin/b");

  g_assert_true (d->process[INIT_PROCESS_MAIN].script);
  g_assert_cmpstr (d->process[INIT_PROCESS_MAIN].command, ==, "echo b\n");

  g_assert_false (e->process[INIT_PROCESS_PRE_START].script);
  g_assert_cmpstr (e->process[INIT_PROCESS_PRE_START].command, ==, "/bin/pre");
  g_assert_true (e->process[INIT_PROCESS_POST_START].script);
  g_assert_cmpstr (e->process[INIT_PROCESS_POST_START].command, ==, "echo post\n");
  g_assert_cmpstr (e->process[INIT_PROCESS_PRE_STOP].command, ==, "/bin/prestop --now");
  g_assert_true (e->process[INIT_PROCESS_POST_STOP].script);
  g_assert_cmpstr (e->process[INIT_PROCESS_POST_STOP].command, ==, "echo done\n");
  g_assert_cmpstr (e->process[INIT_PROCESS_MAIN].command, ==, "/bin/main");
}

/* A block consumes its lines: an error after it is reported on the right line. */
static void
test_block_line_count (void)
{
  const ErrorCase c = {
    "script\n  a \"\n  b '\nend script\ndescription \"x\n",
    INIT_PARSE_ERROR_UNTERMINATED_QUOTE, 5, 13, NULL
  };

  check_error_case (&c);
}

/* Grammar (A10, A11, §2.1): left-associative equal precedence, parentheses across lines,
 * arguments dequoted, operators only unquoted. */
static void
test_start_on_grammar (void)
{
  assert_start_on ("start on startup", "startup");
  assert_start_on ("start on a or b and c", "((a or b) and c)");
  assert_start_on ("start on w or x or y", "((w or x) or y)");
  assert_start_on ("start on a and (b or c)", "(a and (b or c))");
  assert_start_on ("start on (a)", "a");
  assert_start_on ("start on ((a))or(b)", "(a or b)");
  assert_start_on ("start on (wibble\n          or (wobble or wiggle))\nexec x",
                   "(wibble or (wobble or wiggle))");
  assert_start_on ("start on (a # first\n\n  # comment only\n  or b)   # done\n",
                   "(a or b)");
  assert_start_on ("start on a \\\n  or b", "(a or b)");
  assert_start_on ("start on wibble foo bar KEY=b?z* \"FRODO=foo bar\" BILBO=\"foo bar\"",
                   "wibble [foo] [bar] [KEY=b?z*] [FRODO=foo bar] [BILBO=foo bar]");
  assert_start_on ("start on \"and\" or 'or'", "(and or or)");
  assert_start_on ("start on foo \"and\" x", "foo [and] [x]");
  assert_start_on ("start on runlevel [2345]", "runlevel [[2345]]");
  assert_start_on ("start on weather KIND!=$KIND", "weather [KIND!=$KIND]");
  assert_start_on ("start on stopped gdm or stopped kdm or stopped xdm A=B or stopping lxdm",
                   "(((stopped [gdm] or stopped [kdm]) or stopped [xdm] [A=B]) or stopping [lxdm])");
}

/* The last `start on` wins (A12); `stop on` is independent. */
static void
test_start_on_repeated (void)
{
  g_autoptr(InitJobClass) klass = parse_ok ("start on wibble or wiggle\n"
                                            "stop on a\n"
                                            "start on wobble and wave\n"
                                            "start on waggle\n");
  g_autofree char *start = tree_string (klass->start_on);
  g_autofree char *stop = tree_string (klass->stop_on);

  g_assert_cmpstr (start, ==, "waggle");
  g_assert_cmpstr (stop, ==, "a");
}

/* A multi-line expression consumes its lines: the next stanza is parsed normally. */
static void
test_start_on_then_stanza (void)
{
  g_autoptr(InitJobClass) klass = parse_ok ("start on (a\n or b)\ntask\n");
  const ErrorCase c = { "start on (a\n or b)\nbogus\n", INIT_PARSE_ERROR_UNKNOWN_STANZA, 3, 1, NULL };

  g_assert_true (klass->task);
  check_error_case (&c);
}

/* `manual` drops an earlier `start on`, a later one re-enables (A13). */
static void
test_manual (void)
{
  g_autoptr(InitJobClass) before = parse_ok ("manual\nstart on wibble\n");
  g_autoptr(InitJobClass) after = parse_ok ("start on wibble\nmanual # keep it off\n");
  g_autofree char *tree = tree_string (before->start_on);

  g_assert_cmpstr (tree, ==, "wibble");
  g_assert_false (before->manual);
  g_assert_null (after->start_on);
  g_assert_true (after->manual);
}

/* One-argument stanzas: dequoted value, the last occurrence wins (A16). */
static void
test_string_stanzas (void)
{
  g_autoptr(InitJobClass) klass = parse_ok ("description \"first\"\n"
                                            "description \"a test job\"\n"
                                            "author 'Ann Author'\n"
                                            "version 1.0\n"
                                            "usage \"usage: start test X=y\"\n"
                                            "instance $TTY\n"
                                            "instance ${NAME}-x\n"
                                            "chroot /srv/jail\n"
                                            "chdir /var/lib/x\n"
                                            "setuid nobody\n"
                                            "setgid nogroup\n");

  g_assert_cmpstr (klass->description, ==, "a test job");
  g_assert_cmpstr (klass->author, ==, "Ann Author");
  g_assert_cmpstr (klass->version, ==, "1.0");
  g_assert_cmpstr (klass->usage, ==, "usage: start test X=y");
  g_assert_cmpstr (klass->instance, ==, "${NAME}-x");
  g_assert_cmpstr (klass->chroot, ==, "/srv/jail");
  g_assert_cmpstr (klass->chdir, ==, "/var/lib/x");
  g_assert_cmpstr (klass->setuid, ==, "nobody");
  g_assert_cmpstr (klass->setgid, ==, "nogroup");
}

static void
assert_strings (GPtrArray  *array,
                const char *joined)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < array->len; i++)
    g_string_append_printf (out, "%s%s", i ? "|" : "", (char *) g_ptr_array_index (array, i));
  g_assert_cmpstr (out->str, ==, joined);
}

/* env, export and emits accumulate in order; env keeps KEY=VALUE or KEY verbatim. */
static void
test_list_stanzas (void)
{
  g_autoptr(InitJobClass) klass = parse_ok ("env FOO=BAR\n"
                                            "env BAZ=\"with spaces\"\n"
                                            "env INHERITED\n"
                                            "env EMPTY=\n"
                                            "export FOO BAZ\n"
                                            "export INHERITED\n"
                                            "emits foo bar-*\n"
                                            "emits baz\n");

  assert_strings (klass->env, "FOO=BAR|BAZ=with spaces|INHERITED|EMPTY=");
  assert_strings (klass->export, "FOO|BAZ|INHERITED");
  assert_strings (klass->emits, "foo|bar-*|baz");
}

/* expect, console: every value, last wins; task and respawn flags. */
static void
test_enumerations (void)
{
  const char *expects[] = { "none", "stop", "daemon", "fork" };
  const char *consoles[] = { "log", "none", "output", "owner" };
  g_autoptr(InitJobClass) flags = parse_ok ("task\nrespawn\n");
  g_autoptr(InitJobClass) last = parse_ok ("expect fork\nexpect daemon\nconsole none\nconsole owner\n");

  for (int i = 0; i < (int) G_N_ELEMENTS (expects); i++)
    {
      g_autofree char *text = g_strdup_printf ("expect %s", expects[i]);
      g_autoptr(InitJobClass) klass = parse_ok (text);

      g_assert_cmpint (klass->expect, ==, i);
      g_assert_cmpstr (init_expect_type_to_string (klass->expect), ==, expects[i]);
    }
  for (int i = 0; i < (int) G_N_ELEMENTS (consoles); i++)
    {
      g_autofree char *text = g_strdup_printf ("console %s", consoles[i]);
      g_autoptr(InitJobClass) klass = parse_ok (text);

      g_assert_cmpint (klass->console, ==, i);
      g_assert_cmpstr (init_console_type_to_string (klass->console), ==, consoles[i]);
    }

  g_assert_true (flags->task);
  g_assert_true (flags->respawn);
  g_assert_cmpint (last->expect, ==, INIT_EXPECT_DAEMON);
  g_assert_cmpint (last->console, ==, INIT_CONSOLE_OWNER);
}

/* kill timeout / kill signal / reload signal: names with or without SIG, or numbers. */
static void
test_signals (void)
{
  g_autoptr(InitJobClass) a = parse_ok ("kill timeout 30\nkill signal INT\nreload signal USR1\n");
  g_autoptr(InitJobClass) b = parse_ok ("kill timeout 0\nkill signal 2\nreload signal SIGUSR2\n");
  g_autoptr(InitJobClass) c = parse_ok ("kill signal SIGKILL\nkill signal 64\n");

  g_assert_cmpint (a->kill_timeout, ==, 30);
  g_assert_cmpint (a->kill_signal, ==, SIGINT);
  g_assert_cmpint (a->reload_signal, ==, SIGUSR1);
  g_assert_cmpint (b->kill_timeout, ==, 0);
  g_assert_cmpint (b->kill_signal, ==, SIGINT);
  g_assert_cmpint (b->reload_signal, ==, SIGUSR2);
  g_assert_cmpint (c->kill_signal, ==, 64);
}

/* respawn limit (A15): COUNT INTERVAL, `unlimited` is 0/0, and it does not enable respawn. */
static void
test_respawn_limit (void)
{
  g_autoptr(InitJobClass) a = parse_ok ("respawn limit 3 60\n");
  g_autoptr(InitJobClass) b = parse_ok ("respawn\nrespawn limit unlimited\n");

  g_assert_false (a->respawn);
  g_assert_cmpint (a->respawn_limit, ==, 3);
  g_assert_cmpint (a->respawn_interval, ==, 60);
  g_assert_true (b->respawn);
  g_assert_cmpint (b->respawn_limit, ==, 0);
  g_assert_cmpint (b->respawn_interval, ==, 0);
}

/* normal exit (A15): statuses and signals (signum << 8), accumulating across stanzas. */
static void
test_normal_exit (void)
{
  g_autoptr(InitJobClass) a = parse_ok ("normal exit 99 100 101 SIGTERM\nnormal exit INT 0 255\n");
  const int expected[] = { 99, 100, 101, SIGTERM << 8, SIGINT << 8, 0, 255 };

  g_assert_cmpuint (a->normal_exit->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (a->normal_exit, int, i), ==, expected[i]);

  g_assert_true (init_job_class_is_normal_exit (a, 100));
  g_assert_true (init_job_class_is_normal_exit (a, SIGINT << 8));
  g_assert_false (init_job_class_is_normal_exit (a, 1));
  g_assert_false (init_job_class_is_normal_exit (a, SIGKILL << 8));
}

/* umask, nice, oom (A15): ranges and the legacy oom scale; oom and oom score overwrite
 * each other. */
static void
test_numbers (void)
{
  const struct { const char *text; int score; } ooms[] = {
    { "oom never", -1000 }, { "oom -10", -588 }, { "oom 15", 1000 }, { "oom -17", -1000 },
    { "oom 0", 0 }, { "oom 3", 200 }, { "oom score never", -1000 }, { "oom score -1000", -1000 },
    { "oom score 1000", 1000 }, { "oom score 42", 42 }, { "oom score 5\noom -17", -1000 },
    { "oom -17\noom score 5", 5 },
  };
  g_autoptr(InitJobClass) a = parse_ok ("umask 0\nnice -20\n");
  g_autoptr(InitJobClass) b = parse_ok ("umask 0777\nnice 19\n");
  g_autoptr(InitJobClass) c = parse_ok ("umask 27\n");

  g_assert_cmpint (a->umask, ==, 0);
  g_assert_cmpint (a->nice, ==, -20);
  g_assert_cmpint (b->umask, ==, 0777);
  g_assert_cmpint (b->nice, ==, 19);
  g_assert_cmpint (c->umask, ==, 027);

  for (gsize i = 0; i < G_N_ELEMENTS (ooms); i++)
    {
      g_autoptr(InitJobClass) klass = parse_ok (ooms[i].text);

      g_assert_cmpint (klass->oom_score_adj, ==, ooms[i].score);
      g_assert_true (klass->oom_set);
    }
}

/* limit: every resource name, `unlimited`, each resource last-wins independently. */
static void
test_limits (void)
{
  const struct { const char *name; int resource; } names[] = {
    { "as", RLIMIT_AS }, { "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU },
    { "data", RLIMIT_DATA }, { "fsize", RLIMIT_FSIZE }, { "memlock", RLIMIT_MEMLOCK },
    { "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE }, { "nofile", RLIMIT_NOFILE },
    { "nproc", RLIMIT_NPROC }, { "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO },
    { "sigpending", RLIMIT_SIGPENDING }, { "stack", RLIMIT_STACK },
  };
  g_autoptr(InitJobClass) klass = parse_ok ("limit core unlimited 20\n"
                                            "limit nofile 10 20\n"
                                            "limit nofile 1024 4096\n"
                                            "limit stack 18446744073709551615 unlimited\n");

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *text = g_strdup_printf ("limit %s 1 2", names[i].name);
      g_autoptr(InitJobClass) one = parse_ok (text);

      g_assert_nonnull (init_job_class_get_limit (one, names[i].resource));
      g_assert_cmpuint (init_job_class_get_limit (one, names[i].resource)->rlim_cur, ==, 1);
      g_assert_cmpuint (init_job_class_get_limit (one, names[i].resource)->rlim_max, ==, 2);
    }

  g_assert_cmpuint (init_job_class_get_limit (klass, RLIMIT_CORE)->rlim_cur, ==, RLIM_INFINITY);
  g_assert_cmpuint (init_job_class_get_limit (klass, RLIMIT_CORE)->rlim_max, ==, 20);
  g_assert_cmpuint (init_job_class_get_limit (klass, RLIMIT_NOFILE)->rlim_cur, ==, 1024);
  g_assert_cmpuint (init_job_class_get_limit (klass, RLIMIT_NOFILE)->rlim_max, ==, 4096);
  g_assert_cmpuint (init_job_class_get_limit (klass, RLIMIT_STACK)->rlim_cur, ==, RLIM_INFINITY);
  g_assert_null (init_job_class_get_limit (klass, RLIMIT_CPU));
}

/* apparmor, cgroup and debug parse, fill their fields and each leave a positioned
 * "unsupported" warning; they are never silently ignored. */
static void
test_unsupported_warnings (void)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(InitJobClass) klass = NULL;
  g_autoptr(InitJobClass) quiet = NULL;

  klass = init_job_parse ("w", "/etc/init/w.conf",
                          "debug\n"
                          "  apparmor load /etc/apparmor.d/w\n"
                          "apparmor switch w-profile # comment\n"
                          "cgroup cpu\n"
                          "cgroup memory mygroup limit_in_bytes 52428800\n",
                          -1, warnings, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (klass->debug);
  g_assert_cmpstr (klass->apparmor_load, ==, "/etc/apparmor.d/w");
  g_assert_cmpstr (klass->apparmor_switch, ==, "w-profile");
  assert_strings (klass->cgroups, "cpu|memory mygroup limit_in_bytes 52428800");

  g_assert_cmpuint (warnings->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "/etc/init/w.conf:1:1: 'debug' is not supported and has no effect");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==,
                   "/etc/init/w.conf:2:3: 'apparmor load' is not supported and has no effect");
  g_assert_cmpstr (g_ptr_array_index (warnings, 2), ==,
                   "/etc/init/w.conf:3:1: 'apparmor switch' is not supported and has no effect");
  g_assert_cmpstr (g_ptr_array_index (warnings, 3), ==,
                   "/etc/init/w.conf:4:1: 'cgroup' is not supported and has no effect");
  g_assert_cmpstr (g_ptr_array_index (warnings, 4), ==,
                   "/etc/init/w.conf:5:1: 'cgroup' is not supported and has no effect");

  /* A NULL warnings array is allowed. */
  quiet = init_job_parse ("w", NULL, "debug\n", -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (quiet->debug);
}

/* Warnings are bounded: after INIT_JOB_PARSE_MAX_WARNINGS one line says the rest are
 * dropped. */
static void
test_warnings_bounded (void)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(InitJobClass) klass = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  for (int i = 0; i < 1000; i++)
    g_string_append (text, "debug\n");

  klass = init_job_parse ("w", NULL, text->str, -1, warnings, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 51);
  g_assert_cmpstr (g_ptr_array_index (warnings, 49), ==,
                   "50:1: 'debug' is not supported and has no effect");
  g_assert_cmpstr (g_ptr_array_index (warnings, 50), ==,
                   "51:1: Too many warnings, further warnings suppressed");
}

/* An override re-runs the stanzas: lists append, scalars replace, `manual` clears the
 * conf's `start on`, the original class is untouched. */
static void
test_override (void)
{
  g_autoptr(InitJobClass) base = NULL;
  g_autoptr(InitJobClass) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  base = init_job_parse ("foo", "/etc/init/foo.conf",
                         "description base\nauthor me\nenv A=1\nemits x\nstart on foo\n"
                         "stop on bar\nexec /bin/a\nnormal exit 1\nnice 5\n", -1, NULL, NULL, &error);
  g_assert_no_error (error);

  copy = init_job_class_copy (base);
  g_assert_true (init_job_parse_override (copy, "/etc/init/foo.override",
                                          "author \"you\"\nmanual\ndescription over\nenv B=2\n"
                                          "emits y\nnormal exit 2\nstop on baz\ndebug\n",
                                          -1, warnings, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (copy->author, ==, "you");
  g_assert_cmpstr (copy->description, ==, "over");
  g_assert_null (copy->start_on);
  g_assert_true (copy->manual);
  assert_strings (copy->env, "A=1|B=2");
  assert_strings (copy->emits, "x|y");
  g_assert_cmpuint (copy->normal_exit->len, ==, 2);
  g_assert_cmpint (copy->nice, ==, 5);
  g_assert_cmpstr (copy->process[INIT_PROCESS_MAIN].command, ==, "/bin/a");
  g_assert_cmpstr (copy->stop_on->name, ==, "baz");
  g_assert_cmpstr (copy->path, ==, "/etc/init/foo.conf");
  g_assert_cmpstr (copy->override_path, ==, "/etc/init/foo.override");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "/etc/init/foo.override:8:1: 'debug' is not supported and has no effect");

  /* The original is untouched. */
  g_assert_cmpstr (base->author, ==, "me");
  g_assert_cmpstr (base->start_on->name, ==, "foo");
  g_assert_cmpstr (base->stop_on->name, ==, "bar");
  assert_strings (base->env, "A=1");
  g_assert_null (base->override_path);
}

/* A bad override is an error naming the override file and position. */
static void
test_override_error (void)
{
  g_autoptr(InitJobClass) klass = parse_ok ("exec /bin/a\n");
  g_autoptr(GError) error = NULL;
  InitParsePos pos = { 0, 0 };

  g_assert_false (init_job_parse_override (klass, "/etc/init/a.override", "env X=1\nnice 50\n",
                                           -1, NULL, &pos, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_ILLEGAL_NICE);
  g_assert_cmpstr (error->message, ==,
                   "/etc/init/a.override:2:6: Illegal nice value, expected -20 to 19");
  g_assert_cmpuint (pos.line, ==, 2);
  g_assert_cmpuint (pos.column, ==, 6);
  g_assert_null (klass->override_path);
}

/* Explicit lengths are honoured (no NUL terminator needed); NUL bytes are rejected. */
static void
test_explicit_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InitJobClass) klass = NULL;
  InitParsePos pos = { 0, 0 };
  const char text[] = "exec /bin/a\nbogus";

  klass = init_job_parse ("t", NULL, text, 11, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (klass->process[INIT_PROCESS_MAIN].command, ==, "/bin/a");
  g_clear_pointer (&klass, init_job_class_unref);

  klass = init_job_parse ("t", NULL, "exec a\n\0exec b", 14, NULL, &pos, &error);
  g_assert_null (klass);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_BINARY);
  g_assert_cmpstr (error->message, ==, "2:1: Binary data (a NUL byte), expected a text file");
  g_assert_cmpuint (pos.line, ==, 2);
  g_assert_cmpuint (pos.column, ==, 1);
}

/* A 50 MB buffer is rejected as too large without being parsed. */
static void
test_too_large (void)
{
  gsize len = 50 * 1024 * 1024;
  g_autofree char *data = g_malloc (len + 1);
  g_autoptr(GError) error = NULL;
  InitParsePos pos = { 0, 0 };
  g_autoptr(GTimer) timer = g_timer_new ();

  memset (data, 'x', len);
  data[len] = '\0';

  g_assert_null (init_job_parse ("big", "/big.conf", data, len, NULL, &pos, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "/big.conf:1:1: File too large, expected at most 1048576 bytes");
  g_assert_cmpuint (pos.line, ==, 1);
  g_assert_cmpuint (pos.column, ==, 1);
  g_clear_error (&error);

  g_assert_null (init_job_parse ("big", NULL, data, -1, NULL, NULL, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_LARGE);

  /* Generous: the point is that nothing proportional to 50 MB happens. */
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 10.0);
}

/* Random bytes never crash the parser: they are binary, or text that fails or parses. */
static void
test_binary_junk (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);

  for (int round = 0; round < 300; round++)
    {
      gsize len = g_rand_int_range (rand, 1, 4096);
      g_autofree char *data = g_malloc (len);
      g_autoptr(GError) error = NULL;
      g_autoptr(InitJobClass) klass = NULL;
      gboolean printable = round % 2 == 1;

      for (gsize i = 0; i < len; i++)
        {
          static const char alphabet[] = "exec start on or and ( ) \"'\\#\n\t=!$x";

          data[i] = printable ? alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]
                              : (char) g_rand_int_range (rand, 0, 256);
        }

      klass = init_job_parse ("junk", NULL, data, len, NULL, NULL, &error);
      g_assert_true ((klass == NULL) != (error == NULL));
      if (!printable)
        g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_BINARY);
    }
}

/* Very long lines within the size limit parse in one piece. */
static void
test_long_lines (void)
{
  gsize n = 1000 * 1000;
  g_autoptr(GString) text = g_string_new ("description \"");
  g_autoptr(GString) exec = g_string_new ("exec /bin/echo");
  g_autoptr(InitJobClass) a = NULL;
  g_autoptr(InitJobClass) b = NULL;

  for (gsize i = 0; i < n; i++)
    g_string_append_c (text, "abc "[i % 4]);
  g_string_append (text, "\"\n");
  a = parse_ok (text->str);
  g_assert_cmpuint (strlen (a->description), ==, n);

  while (exec->len < 900 * 1000)
    g_string_append (exec, " argument");
  b = parse_ok (exec->str);
  g_assert_cmpuint (strlen (b->process[INIT_PROCESS_MAIN].command), ==, exec->len - 5);
}

/* A copy is deep and independent, with unlatched operator trees; refs are counted. */
static void
test_class_copy (void)
{
  g_autoptr(InitJobClass) klass = parse_ok ("start on (a X=1 or b) and c\nstop on d\nenv A=1\n"
                                            "normal exit 3\nlimit core 1 2\nscript\n echo\nend script\n"
                                            "cgroup cpu\napparmor load p\n");
  g_autoptr(InitJobClass) copy = NULL;
  g_autofree char *original_tree = tree_string (klass->start_on);
  g_autofree char *copied_tree = NULL;

  klass->start_on->value = TRUE;
  copy = init_job_class_copy (klass);
  klass->start_on->value = FALSE;

  copied_tree = tree_string (copy->start_on);
  g_assert_cmpstr (copied_tree, ==, original_tree);
  g_assert_true (copy->start_on != klass->start_on);
  g_assert_false (copy->start_on->value);
  g_assert_null (copy->start_on->left->left->event);
  g_assert_cmpstr (copy->stop_on->name, ==, "d");
  assert_strings (copy->env, "A=1");
  g_assert_cmpint (g_array_index (copy->normal_exit, int, 0), ==, 3);
  g_assert_true (init_job_class_get_limit (copy, RLIMIT_CORE) != init_job_class_get_limit (klass, RLIMIT_CORE));
  g_assert_cmpuint (init_job_class_get_limit (copy, RLIMIT_CORE)->rlim_max, ==, 2);
  g_assert_cmpstr (copy->process[INIT_PROCESS_MAIN].command, ==, "echo\n");
  g_assert_true (copy->process[INIT_PROCESS_MAIN].script);
  assert_strings (copy->cgroups, "cpu");
  g_assert_cmpstr (copy->apparmor_load, ==, "p");

  g_ptr_array_add (copy->env, g_strdup ("B=2"));
  assert_strings (klass->env, "A=1");

  /* A reference of its own: dropping it leaves the copy (still held by the test) intact. */
  g_assert_true (init_job_class_ref (copy) == copy);
  init_job_class_unref (copy);
  g_assert_cmpstr (copy->apparmor_load, ==, "p");
}

/* Process type names round-trip; unknown names and values map to NONE / NULL. */
static void
test_process_names (void)
{
  const char *names[] = { "main", "pre-start", "post-start", "pre-stop", "post-stop" };

  for (int i = 0; i < INIT_PROCESS_N; i++)
    {
      g_assert_cmpstr (init_process_type_to_string (i), ==, names[i]);
      g_assert_cmpint (init_process_type_from_string (names[i]), ==, i);
    }
  g_assert_null (init_process_type_to_string (INIT_PROCESS_NONE));
  g_assert_null (init_process_type_to_string (INIT_PROCESS_N));
  g_assert_cmpint (init_process_type_from_string ("exec"), ==, INIT_PROCESS_NONE);
  g_assert_cmpint (init_process_type_from_string (NULL), ==, INIT_PROCESS_NONE);
  g_assert_null (init_expect_type_to_string (42));
  g_assert_null (init_console_type_to_string (42));
}

/* Inputs that end in the middle of a construct fail with the right error or parse
 * cleanly, never half-way (-1: parses). */
static void
test_truncated_inputs (void)
{
  const struct { const char *text; gint code; } cases[] = {
    { "start on (\n", INIT_PARSE_ERROR_EXPECTED_EVENT },
    { "start on (a\n\n", INIT_PARSE_ERROR_MISMATCHED_PARENS },
    { "start on a or\\", INIT_PARSE_ERROR_TRAILING_SLASH },
    { "exec \\\n", INIT_PARSE_ERROR_EXPECTED_TOKEN },
    { "env \"A=", INIT_PARSE_ERROR_UNTERMINATED_QUOTE },
    { "script\nend script", -1 },
    { "script\n\nend script\n", -1 },
    { "\\\nexec x", -1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(InitJobClass) klass = init_job_parse ("f", NULL, cases[i].text, -1, NULL, NULL, &error);

      if (cases[i].code < 0)
        g_assert_no_error (error);
      else
        g_assert_error (error, INIT_PARSE_ERROR, cases[i].code);
      g_assert_true ((klass == NULL) != (error == NULL));
    }
}

/* Empty lists are shared between classes; writing one (parsing an override that adds env)
 * never shows up in another class. */
static void
test_shared_empty_lists (void)
{
  g_autoptr(InitJobClass) a = init_job_parse ("a", NULL, "exec true\n", -1, NULL, NULL, NULL);
  g_autoptr(InitJobClass) b = init_job_parse ("b", NULL, "exec true\n", -1, NULL, NULL, NULL);
  g_autoptr(InitJobClass) c = init_job_class_copy (a);
  g_autoptr(GError) error = NULL;

  g_assert_true (a->env == b->env);
  g_assert_true (a->normal_exit == b->normal_exit);
  g_assert_true (init_job_parse_override (c, NULL, "env X=1\nexport X\nnormal exit 3\nemits e\n",
                                          -1, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c->env->len, ==, 1);
  g_assert_cmpuint (c->export->len, ==, 1);
  g_assert_cmpuint (c->emits->len, ==, 1);
  g_assert_cmpuint (c->normal_exit->len, ==, 1);
  g_assert_cmpuint (a->env->len, ==, 0);
  g_assert_cmpuint (b->export->len, ==, 0);
  g_assert_cmpuint (b->emits->len, ==, 0);
  g_assert_cmpuint (a->normal_exit->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/job-parse/errors/all", test_errors);
  g_test_add_func ("/engine/job-parse/errors/with-path", test_error_with_path);
  g_test_add_func ("/engine/job-parse/defaults", test_defaults);
  g_test_add_func ("/engine/job-parse/layout", test_layout);
  g_test_add_func ("/engine/job-parse/process/forms", test_processes);
  g_test_add_func ("/engine/job-parse/process/block-line-count", test_block_line_count);
  g_test_add_func ("/engine/job-parse/start-on/grammar", test_start_on_grammar);
  g_test_add_func ("/engine/job-parse/start-on/repeated", test_start_on_repeated);
  g_test_add_func ("/engine/job-parse/start-on/multi-line", test_start_on_then_stanza);
  g_test_add_func ("/engine/job-parse/manual", test_manual);
  g_test_add_func ("/engine/job-parse/stanza/strings", test_string_stanzas);
  g_test_add_func ("/engine/job-parse/stanza/lists", test_list_stanzas);
  g_test_add_func ("/engine/job-parse/stanza/enumerations", test_enumerations);
  g_test_add_func ("/engine/job-parse/stanza/signals", test_signals);
  g_test_add_func ("/engine/job-parse/stanza/respawn-limit", test_respawn_limit);
  g_test_add_func ("/engine/job-parse/stanza/normal-exit", test_normal_exit);
  g_test_add_func ("/engine/job-parse/class/shared-empty-lists", test_shared_empty_lists);
  g_test_add_func ("/engine/job-parse/stanza/numbers", test_numbers);
  g_test_add_func ("/engine/job-parse/stanza/limits", test_limits);
  g_test_add_func ("/engine/job-parse/unsupported/warnings", test_unsupported_warnings);
  g_test_add_func ("/engine/job-parse/unsupported/bounded", test_warnings_bounded);
  g_test_add_func ("/engine/job-parse/override/apply", test_override);
  g_test_add_func ("/engine/job-parse/override/error", test_override_error);
  g_test_add_func ("/engine/job-parse/file/explicit-length", test_explicit_length);
  g_test_add_func ("/engine/job-parse/file/too-large", test_too_large);
  g_test_add_func ("/engine/job-parse/file/binary-junk", test_binary_junk);
  g_test_add_func ("/engine/job-parse/file/long-lines", test_long_lines);
  g_test_add_func ("/engine/job-parse/file/truncated", test_truncated_inputs);
  g_test_add_func ("/engine/job-class/copy", test_class_copy);
  g_test_add_func ("/engine/job-class/names", test_process_names);

  return g_test_run ();
}
