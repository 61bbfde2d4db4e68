/* test-lexer.c — the job-file tokenizer (reference §1.1) and the event-expression grammar on
 * top of it (§2.1): nesting and size bounds, the stand-alone expression API */
#define G_LOG_DOMAIN "test-lexer"

#include <string.h>

#include "init-event-parse.h"
#include "init-job-parse.h"
#include "init-lexer.h"

static void
lexer_for (InitLexer  *lexer,
           const char *text)
{
  init_lexer_init (lexer, text, strlen (text));
}

/* Line and column of the lexer's last error. */
static void
assert_error_at (InitLexer *lexer,
                 guint      line,
                 guint      column)
{
  guint l, c;

  init_lexer_position (lexer, lexer->error_offset, &l, &c);
  g_assert_cmpuint (l, ==, line);
  g_assert_cmpuint (c, ==, column);
}

/* Arguments are separated by whitespace and the whitespace after one is consumed. */
static void
test_arg_simple (void)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize start;

  lexer_for (&lexer, "foo \t bar\n");
  a = init_lexer_next_arg (&lexer, &start, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "foo");
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (lexer.pos, ==, 6);

  b = init_lexer_next_arg (&lexer, &start, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b, ==, "bar");
  g_assert_cmpuint (start, ==, 6);
  g_assert_false (init_lexer_has_token (&lexer));
  g_assert_true (init_lexer_end_of_line (&lexer, &error));
  g_assert_cmpuint (lexer.pos, ==, strlen ("foo \t bar\n"));
}

/* Both quote characters group whitespace; dequoting removes them, even mid-token. */
static void
test_arg_quotes (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "\"foo bar\" x", "foo bar" },
    { "'foo bar' x", "foo bar" },
    { "FRODO=\"foo bar\"", "FRODO=foo bar" },
    { "\"FRODO=foo bar\"", "FRODO=foo bar" },
    { "'a\"b'", "a\"b" },
    { "\"a'b\"", "a'b" },
    { "\"a # not a comment\"", "a # not a comment" },
    { "a\"\"b", "ab" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      InitLexer lexer;
      g_autoptr(GError) error = NULL;
      g_autofree char *arg = NULL;

      lexer_for (&lexer, cases[i].in);
      arg = init_lexer_next_arg (&lexer, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (arg, ==, cases[i].out);
    }
}

/* `\\` and `\<space>` lose the backslash when dequoting; other escapes keep it, and an
 * escaped quote does not open a quote. */
static void
test_arg_escapes (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "a\\\\b", "a\\b" },
    { "a\\ b", "a b" },
    { "a\\\tb", "a\tb" },
    { "a\\\"b c", "a\\\"b" },
    { "a\\xb", "a\\xb" },
    { "a\\#b", "a\\#b" },
    { "\"a\\\"b\"", "a\\\"b" },
    { "\"a\\\\b\"", "a\\b" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      InitLexer lexer;
      g_autoptr(GError) error = NULL;
      g_autofree char *arg = NULL;

      lexer_for (&lexer, cases[i].in);
      arg = init_lexer_next_arg (&lexer, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (arg, ==, cases[i].out);
    }
}

/* Without dequoting (commands), quotes and every backslash are kept verbatim. */
static void
test_command_verbatim (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "/sbin/daemon -d \"foo\"\n", "/sbin/daemon -d \"foo\"" },
    { "echo 'a  b'   # comment\n", "echo 'a  b'" },
    { "echo a\\\\b a\\ b a\\xb\n", "echo a\\\\b a\\ b a\\xb" },
    { "echo \"a # b\" # c", "echo \"a # b\"" },
    { "echo a\\#b\n", "echo a\\#b" },
    { "echo   spaced    out  \t\r\n", "echo   spaced    out" },
    { "echo foo\\\n   bar\n", "echo foo bar" },
    { "echo foo   \\\n   bar\n", "echo foo bar" },
    { "\"this   is\" a \"test \\\n of\" \\\n commands\n", "\"this   is\" a \"test of\" commands" },
    { "echo \"multi\n   line\"\n", "echo \"multi line\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      InitLexer lexer;
      g_autoptr(GError) error = NULL;
      g_autofree char *command = NULL;

      lexer_for (&lexer, cases[i].in);
      command = init_lexer_parse_command (&lexer, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (command, ==, cases[i].out);
      g_assert_cmpuint (lexer.pos, ==, strlen (cases[i].in));
    }
}

/* An escaped newline continues a token; a newline in quotes becomes one space. */
static void
test_arg_continuation (void)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  guint line, column;

  lexer_for (&lexer, "foo\\\nbar \"x  \n  y\" \\\n  last\n");
  a = init_lexer_next_arg (&lexer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "foo bar");

  b = init_lexer_next_arg (&lexer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b, ==, "x y");

  /* The continuation after "x y" is skipped as whitespace; lines are still counted. */
  c = init_lexer_next_arg (&lexer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c, ==, "last");
  init_lexer_position (&lexer, lexer.pos, &line, &column);
  g_assert_cmpuint (line, ==, 4);
  g_assert_cmpuint (column, ==, 7);
}

/* An unterminated quote is reported at the opening quote, with lines counted before it. */
static void
test_unterminated_quote (void)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;
  g_autofree char *arg = NULL;

  lexer_for (&lexer, "\n\n  x \"open\nand on");
  lexer.pos = 6;
  arg = init_lexer_next_arg (&lexer, NULL, &error);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_UNTERMINATED_QUOTE);
  g_assert_cmpstr (error->message, ==, "Unterminated quoted string");
  assert_error_at (&lexer, 3, 5);
}

/* A backslash as the very last byte is an error at that byte. */
static void
test_trailing_slash (void)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;

  lexer_for (&lexer, "echo foo \\");
  command = init_lexer_parse_command (&lexer, &error);
  g_assert_null (command);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TRAILING_SLASH);
  g_assert_cmpstr (error->message, ==, "Trailing slash in file");
  assert_error_at (&lexer, 1, 10);
}

/* A missing (or empty after dequoting) argument is "Expected token" where it should be. */
static void
test_expected_token (void)
{
  const struct { const char *in; gsize offset; } cases[] = {
    { "", 0 },
    { "\n", 0 },
    { "# comment", 0 },
    { "\"\" x", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      InitLexer lexer;
      g_autoptr(GError) error = NULL;
      g_autofree char *arg = NULL;

      lexer_for (&lexer, cases[i].in);
      arg = init_lexer_next_arg (&lexer, NULL, &error);
      g_assert_null (arg);
      g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_EXPECTED_TOKEN);
      g_assert_cmpstr (error->message, ==, "Expected token");
      g_assert_cmpuint (lexer.error_offset, ==, cases[i].offset);
    }
}

/* After a stanza only a comment or the newline may follow; anything else is reported at
 * the extra token. */
static void
test_end_of_line (void)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;

  lexer_for (&lexer, "   # a comment\nnext");
  lexer.pos = 3;
  g_assert_true (init_lexer_end_of_line (&lexer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lexer.data + lexer.pos, ==, "next");

  lexer_for (&lexer, "a\nb oops\n");
  lexer.pos = 4;
  g_assert_false (init_lexer_end_of_line (&lexer, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_UNEXPECTED_TOKEN);
  g_assert_cmpstr (error->message, ==, "Unexpected token");
  assert_error_at (&lexer, 2, 3);
}

/* parse_args collects every argument of the line with their offsets. */
static void
test_parse_args (void)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gsize));

  lexer_for (&lexer, "one 'two three'  four # five\nsix");
  args = init_lexer_parse_args (&lexer, starts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (args->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (args, 0), ==, "one");
  g_assert_cmpstr (g_ptr_array_index (args, 1), ==, "two three");
  g_assert_cmpstr (g_ptr_array_index (args, 2), ==, "four");
  g_assert_cmpuint (g_array_index (starts, gsize, 1), ==, 4);
  g_assert_cmpuint (g_array_index (starts, gsize, 2), ==, 17);
  g_assert_cmpstr (lexer.data + lexer.pos, ==, "six");
}

/* Custom delimiters stop a token (as `(` and `)` do in event expressions). */
static void
test_token_delimiters (void)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;
  g_autofree char *tok = NULL;
  g_autofree char *quoted = NULL;

  lexer_for (&lexer, "foo(bar)");
  tok = init_lexer_token (&lexer, "()" INIT_LEXER_CNLWS, TRUE, &error);
  g_assert_cmpstr (tok, ==, "foo");
  g_assert_cmpuint (lexer.pos, ==, 3);

  lexer_for (&lexer, "\"a(b)\")");
  quoted = init_lexer_token (&lexer, "()" INIT_LEXER_CNLWS, TRUE, &error);
  g_assert_cmpstr (quoted, ==, "a(b)");
  g_assert_cmpuint (lexer.pos, ==, 6);
}

static char *
parse_block (const char *text,
             gsize      *end)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;
  char *block;

  lexer_for (&lexer, text);
  block = init_lexer_parse_block (&lexer, "script", 0, &error);
  g_assert_no_error (error);
  if (end != NULL)
    *end = lexer.pos;
  return block;
}

/* A block keeps a newline per line and loses the first line's indentation (A2). */
static void
test_block_simple (void)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *empty = NULL;
  gsize end;

  a = parse_block ("    echo\nend script", &end);
  g_assert_cmpstr (a, ==, "echo\n");
  g_assert_cmpuint (end, ==, strlen ("    echo\nend script"));

  b = parse_block ("\techo a\n\t  if x; then\n\t    y\n\t  fi\nend script\nexec z\n", &end);
  g_assert_cmpstr (b, ==, "echo a\n  if x; then\n    y\n  fi\n");
  g_assert_cmpstr ("\techo a\n\t  if x; then\n\t    y\n\t  fi\nend script\nexec z\n" + end,
                   ==, "exec z\n");

  empty = parse_block ("end script\n", NULL);
  g_assert_cmpstr (empty, ==, "");
}

/* Common indentation is the longest prefix of the first line's indentation that every
 * line shares byte for byte (a blank line shares none). */
static void
test_block_indentation (void)
{
  g_autofree char *mixed = parse_block ("    this is\n  \t a test\nend script\n", NULL);
  g_autofree char *deeper = parse_block ("  a\n      b\nend script\n", NULL);
  g_autofree char *blank = parse_block ("    a\n\n    b\nend script\n", NULL);
  g_autofree char *crlf = parse_block ("  a\r\n  b\r\nend script\r\n", NULL);

  g_assert_cmpstr (mixed, ==, "  this is\n\t a test\n");
  g_assert_cmpstr (deeper, ==, "a\n    b\n");
  g_assert_cmpstr (blank, ==, "    a\n\n    b\n");
  g_assert_cmpstr (crlf, ==, "a\r\nb\r\n");
}

/* Block text is raw: quotes, backslashes and `#` are kept. */
static void
test_block_raw (void)
{
  g_autofree char *block = parse_block ("  echo \"$X\" # keep \\\n  'x\nend script\n", NULL);

  g_assert_cmpstr (block, ==, "echo \"$X\" # keep \\\n'x\n");
}

/* Terminators: `end` WS+ `script` WS* comment? EOL, with any leading whitespace. */
static void
test_block_terminators (void)
{
  const char *terminators[] = {
    "end script",
    "end script\n",
    "  end script\n",
    "\tend\t\tscript \t\n",
    "end script # done\n",
    "end script#done\n",
    "end script\r\n",
  };
  const char *not_terminators[] = {
    "endscript\n",
    "end scripts\n",
    "end scriptfoo\n",
    "end a\n",
    "end\n",
    "end fooish\n",
    "end script x\n",
    "# end script\n",
    "x end script\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (terminators); i++)
    {
      /* A terminator at the very end needs no newline. */
      const char *after = strchr (terminators[i], '\n') != NULL ? "after" : "";
      g_autofree char *text = g_strconcat ("  body\n", terminators[i], after, NULL);
      gsize end;
      g_autofree char *block = parse_block (text, &end);

      g_assert_cmpstr (block, ==, "body\n");
      g_assert_cmpstr (text + end, ==, after);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (not_terminators); i++)
    {
      g_autofree char *text = g_strconcat ("body\n", not_terminators[i], "end script\n", NULL);
      g_autofree char *expected = g_strconcat ("body\n", not_terminators[i], NULL);
      g_autofree char *block = parse_block (text, NULL);

      g_assert_cmpstr (block, ==, expected);
    }
}

/* A block without terminator is reported at the opening stanza, never half-read. */
static void
test_block_unterminated (void)
{
  const char *texts[] = { "", "echo\n", "echo", "echo\nend scripts\n", "  end" };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *text = g_strconcat ("exec x\nscript\n", texts[i], NULL);
      InitLexer lexer;
      g_autoptr(GError) error = NULL;
      g_autofree char *block = NULL;

      lexer_for (&lexer, text);
      lexer.pos = 14;
      block = init_lexer_parse_block (&lexer, "script", 7, &error);
      g_assert_null (block);
      g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_UNTERMINATED_BLOCK);
      g_assert_cmpstr (error->message, ==, "Unterminated block");
      assert_error_at (&lexer, 2, 1);
    }
}

/* Line/column come from byte offsets, in any order of asking. */
static void
test_position (void)
{
  InitLexer lexer;
  guint line, column;

  lexer_for (&lexer, "ab\ncd\n\nefg");
  init_lexer_position (&lexer, 8, &line, &column);
  g_assert_cmpuint (line, ==, 4);
  g_assert_cmpuint (column, ==, 2);
  init_lexer_position (&lexer, 0, &line, &column);
  g_assert_cmpuint (line, ==, 1);
  g_assert_cmpuint (column, ==, 1);
  init_lexer_position (&lexer, 2, &line, &column);
  g_assert_cmpuint (line, ==, 1);
  g_assert_cmpuint (column, ==, 3);
  init_lexer_position (&lexer, 3, &line, &column);
  g_assert_cmpuint (line, ==, 2);
  g_assert_cmpuint (column, ==, 1);
  init_lexer_position (&lexer, 6, &line, &column);
  g_assert_cmpuint (line, ==, 3);
  g_assert_cmpuint (column, ==, 1);
  init_lexer_position (&lexer, 1000, &line, &column);
  g_assert_cmpuint (line, ==, 4);
  g_assert_cmpuint (column, ==, 4);
}

/* Messages are "PATH:LINE:COLUMN: text", without the path when there is none. */
static void
test_format_message (void)
{
  InitLexer lexer;
  g_autofree char *with = NULL;
  g_autofree char *without = NULL;

  lexer_for (&lexer, "a\nbc");
  with = init_lexer_format_message (&lexer, 3, "/etc/init/x.conf", "text");
  without = init_lexer_format_message (&lexer, 3, NULL, "text");
  g_assert_cmpstr (with, ==, "/etc/init/x.conf:2:2: text");
  g_assert_cmpstr (without, ==, "2:2: text");
}

/* Whole-text checks: size bound (without reading a huge buffer), NUL bytes and invalid
 * UTF-8 at their byte. */
static void
test_checked (void)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;
  gsize big_len = (gsize) INIT_PARSE_MAX_FILE_SIZE + 1;
  g_autofree char *big = g_malloc (big_len + 1);
  guint line, column;

  g_assert_true (init_lexer_init_checked (&lexer, "ok\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lexer.len, ==, 3);

  g_assert_true (init_lexer_init_checked (&lexer, "h\xc3\xa9llo", -1, &error));
  g_assert_no_error (error);

  memset (big, 'a', big_len);
  big[big_len] = '\0';
  g_assert_false (init_lexer_init_checked (&lexer, big, big_len, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (init_lexer_init_checked (&lexer, big, -1, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Exactly the limit is accepted. */
  g_assert_true (init_lexer_init_checked (&lexer, big, big_len - 1, &error));
  g_assert_no_error (error);

  g_assert_false (init_lexer_init_checked (&lexer, "ab\nc\0d", 6, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_BINARY);
  init_lexer_position (&lexer, lexer.error_offset, &line, &column);
  g_assert_cmpuint (line, ==, 2);
  g_assert_cmpuint (column, ==, 2);
  g_clear_error (&error);

  g_assert_false (init_lexer_init_checked (&lexer, "ab\nc\xff", -1, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_BINARY);
  init_lexer_position (&lexer, lexer.error_offset, &line, &column);
  g_assert_cmpuint (line, ==, 2);
  g_assert_cmpuint (column, ==, 2);
}

/* A very long token is read in one piece (linear time, no size limit in the lexer). */
static void
test_long_token (void)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;
  gsize n = 500000;
  g_autofree char *text = g_malloc (n + 3);
  g_autofree char *arg = NULL;

  text[0] = '"';
  memset (text + 1, 'x', n);
  text[n + 1] = '"';
  text[n + 2] = '\0';
  lexer_for (&lexer, text);
  arg = init_lexer_next_arg (&lexer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (arg), ==, n);
}

static char *
repeat (const char *unit,
        guint       n)
{
  GString *out = g_string_sized_new (strlen (unit) * n);

  for (guint i = 0; i < n; i++)
    g_string_append (out, unit);
  return g_string_free (out, FALSE);
}

/* Nesting depth is bounded, precisely at INIT_PARSE_MAX_DEPTH. */
static void
test_expression_depth (void)
{
  g_autofree char *open_ok = repeat ("(", INIT_PARSE_MAX_DEPTH);
  g_autofree char *close_ok = repeat (")", INIT_PARSE_MAX_DEPTH);
  g_autofree char *ok = g_strconcat (open_ok, "a", close_ok, NULL);
  g_autofree char *too_deep = g_strconcat ("(", ok, ")", NULL);
  g_autoptr(GError) error = NULL;
  InitParsePos pos = { 0, 0 };
  InitEventOperator *op;

  op = init_event_expression_parse (ok, &pos, &error);
  g_assert_no_error (error);
  g_assert_cmpint (op->type, ==, INIT_EVENT_OPERATOR_MATCH);
  g_assert_cmpstr (op->name, ==, "a");
  init_event_operator_free (op);

  op = init_event_expression_parse (too_deep, &pos, &error);
  g_assert_null (op);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_DEEP);
  g_assert_cmpuint (pos.line, ==, 1);
  g_assert_cmpuint (pos.column, ==, INIT_PARSE_MAX_DEPTH + 1);
  g_assert_cmpstr (error->message, ==,
                   "1:4097: Expression nested too deeply, expected at most 4096 levels of parentheses");
}

/* 100,000 nested parentheses fail at once (no recursion, no quadratic work). */
static void
test_expression_pathological (void)
{
  g_autofree char *opens = repeat ("(", 100000);
  g_autofree char *closes = repeat (")", 100000);
  g_autofree char *nested = g_strconcat (opens, "a", closes, NULL);
  g_autofree char *unbalanced = g_strconcat ("a", closes, NULL);
  g_autofree char *many_lines = repeat ("(\n", 100000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  InitParsePos pos = { 0, 0 };

  g_assert_null (init_event_expression_parse (nested, &pos, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_DEEP);
  g_clear_error (&error);

  g_assert_null (init_event_expression_parse (unbalanced, &pos, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_MISMATCHED_PARENS);
  g_assert_cmpuint (pos.column, ==, 2);
  g_clear_error (&error);

  g_assert_null (init_event_expression_parse (many_lines, &pos, &error));
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_DEEP);
  g_assert_cmpuint (pos.line, ==, INIT_PARSE_MAX_DEPTH + 1);
  g_assert_cmpuint (pos.column, ==, 1);

  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 10.0);
}

/* The number of events in one expression is bounded at INIT_PARSE_MAX_LEAVES; arguments
 * do not count. */
static void
test_expression_leaves (void)
{
  g_autofree char *body = repeat ("e X=1 or ", INIT_PARSE_MAX_LEAVES - 1);
  g_autofree char *ok = g_strconcat (body, "e", NULL);
  g_autofree char *too_many = g_strconcat (body, "e or f", NULL);
  g_autoptr(GError) error = NULL;
  InitParsePos pos = { 0, 0 };
  InitEventOperator *op;
  guint depth = 0;

  op = init_event_expression_parse (ok, &pos, &error);
  g_assert_no_error (error);
  for (InitEventOperator *o = op; o->type != INIT_EVENT_OPERATOR_MATCH; o = o->left)
    depth++;
  g_assert_cmpuint (depth, ==, INIT_PARSE_MAX_LEAVES - 1);
  init_event_operator_free (op);

  op = init_event_expression_parse (too_many, &pos, &error);
  g_assert_null (op);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_DEEP);
  g_assert_cmpuint (pos.column, ==, strlen (too_many));
}

/* The stand-alone API: lines inside parentheses, comments after, nothing else after, and
 * "LINE:COLUMN: " messages. */
static void
test_expression_standalone (void)
{
  g_autoptr(GError) error = NULL;
  InitParsePos pos = { 0, 0 };
  InitEventOperator *op;

  op = init_event_expression_parse ("  (started a\n   and\n  stopped b) # c\n\n# d\n", &pos, &error);
  g_assert_no_error (error);
  g_assert_cmpint (op->type, ==, INIT_EVENT_OPERATOR_AND);
  g_assert_cmpstr (op->left->name, ==, "started");
  g_assert_cmpstr (op->left->args[0], ==, "a");
  g_assert_null (op->left->args[1]);
  g_assert_cmpstr (op->right->name, ==, "stopped");
  init_event_operator_free (op);

  op = init_event_expression_parse ("a or", &pos, &error);
  g_assert_null (op);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_EXPECTED_EVENT);
  g_assert_cmpstr (error->message, ==, "1:3: Expected event");
  g_clear_error (&error);

  op = init_event_expression_parse ("a\nb", &pos, &error);
  g_assert_null (op);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_UNEXPECTED_TOKEN);
  g_assert_cmpuint (pos.line, ==, 2);
  g_assert_cmpuint (pos.column, ==, 1);
  g_clear_error (&error);

  op = init_event_expression_parse ("", &pos, &error);
  g_assert_null (op);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_EXPECTED_TOKEN);
  g_clear_error (&error);

  op = init_event_expression_parse ("a \xfe", NULL, &error);
  g_assert_null (op);
  g_assert_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_BINARY);
}

/* The internal entry point leaves the cursor where the expression ended. */
static void
test_expression_cursor (void)
{
  InitLexer lexer;
  g_autoptr(GError) error = NULL;
  InitEventOperator *op;

  lexer_for (&lexer, "a or (b\n or c) # x\ntask\n");
  op = init_event_parse_expression (&lexer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lexer.data + lexer.pos, ==, "# x\ntask\n");
  init_event_operator_free (op);
}

/* The operator module's text form parses back to the same text (show-config output is
 * valid `start on` input), including quoting, for chains within the nesting limit. */
static void
test_expression_round_trip (void)
{
  g_autofree char *chain = repeat ("e or ", INIT_PARSE_MAX_DEPTH - 1);
  g_autofree char *long_chain = g_strconcat (chain, "e", NULL);
  const char *cases[] = {
    "a or b and c",
    "wibble foo bar KEY=b?z* \"FRODO=foo bar\" BILBO=\"foo bar\"",
    "(a X=\"q'x\" or b) and (c or d Y!=$Z)",
    "\"and\" or 'or'",
    "x a\\\\b \"a#b\" 'a\"b' \"(\" \")\"",
    long_chain,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      InitEventOperator *op = init_event_expression_parse (cases[i], NULL, &error);
      InitEventOperator *again;
      g_autofree char *text = NULL;
      g_autofree char *text_again = NULL;

      g_assert_no_error (error);
      text = init_event_operator_to_string (op);
      again = init_event_expression_parse (text, NULL, &error);
      g_assert_no_error (error);
      text_again = init_event_operator_to_string (again);
      g_assert_cmpstr (text_again, ==, text);
      init_event_operator_free (op);
      init_event_operator_free (again);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/lexer/arg/simple", test_arg_simple);
  g_test_add_func ("/engine/lexer/arg/quotes", test_arg_quotes);
  g_test_add_func ("/engine/lexer/arg/escapes", test_arg_escapes);
  g_test_add_func ("/engine/lexer/arg/continuation", test_arg_continuation);
  g_test_add_func ("/engine/lexer/arg/expected-token", test_expected_token);
  g_test_add_func ("/engine/lexer/arg/long", test_long_token);
  g_test_add_func ("/engine/lexer/token/delimiters", test_token_delimiters);
  g_test_add_func ("/engine/lexer/error/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/engine/lexer/error/trailing-slash", test_trailing_slash);
  g_test_add_func ("/engine/lexer/line/end", test_end_of_line);
  g_test_add_func ("/engine/lexer/line/args", test_parse_args);
  g_test_add_func ("/engine/lexer/command/verbatim", test_command_verbatim);
  g_test_add_func ("/engine/lexer/block/simple", test_block_simple);
  g_test_add_func ("/engine/lexer/block/indentation", test_block_indentation);
  g_test_add_func ("/engine/lexer/block/raw", test_block_raw);
  g_test_add_func ("/engine/lexer/block/terminators", test_block_terminators);
  g_test_add_func ("/engine/lexer/block/unterminated", test_block_unterminated);
  g_test_add_func ("/engine/lexer/position/offsets", test_position);
  g_test_add_func ("/engine/lexer/position/message", test_format_message);
  g_test_add_func ("/engine/lexer/checked/text", test_checked);
  g_test_add_func ("/engine/event-parse/depth", test_expression_depth);
  g_test_add_func ("/engine/event-parse/pathological", test_expression_pathological);
  g_test_add_func ("/engine/event-parse/leaves", test_expression_leaves);
  g_test_add_func ("/engine/event-parse/standalone", test_expression_standalone);
  g_test_add_func ("/engine/event-parse/cursor", test_expression_cursor);
  g_test_add_func ("/engine/event-parse/round-trip", test_expression_round_trip);

  return g_test_run ();
}
