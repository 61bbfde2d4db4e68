/* init-lexer.c — the job-file tokenizer (reference §1.1) */
#define G_LOG_DOMAIN "init-lexer"

#include <string.h>

#include <glib/gi18n.h>

#include "init-lexer.h"

/* strchr() would also match the terminating NUL; a NUL byte is never in a class. */
static inline gboolean
char_in (char        c,
         const char *set)
{
  return c != '\0' && strchr (set, c) != NULL;
}

static inline gboolean
is_ws (char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

void
init_lexer_init (InitLexer  *lexer,
                 const char *data,
                 gsize       len)
{
  g_return_if_fail (lexer != NULL);
  g_return_if_fail (data != NULL || len == 0);

  memset (lexer, 0, sizeof *lexer);
  lexer->data = data != NULL ? data : "";
  lexer->len = len;
  lexer->line_cache_line = 1;
}

gboolean
init_lexer_init_checked (InitLexer  *lexer,
                         const char *data,
                         gssize      len,
                         GError    **error)
{
  gsize n;
  const char *bad = NULL;
  const char *nul;

  g_return_val_if_fail (data != NULL || len <= 0, FALSE);

  /* Bound the length first, so a huge buffer is rejected without being read. */
  if (len < 0)
    n = data != NULL ? strnlen (data, (gsize) INIT_PARSE_MAX_FILE_SIZE + 1) : 0;
  else
    n = (gsize) len;

  if (n > INIT_PARSE_MAX_FILE_SIZE)
    {
      init_lexer_init (lexer, data, 0);
      return init_lexer_error (lexer, error, 0, INIT_PARSE_ERROR_TOO_LARGE,
                               _("File too large, expected at most %d bytes"),
                               INIT_PARSE_MAX_FILE_SIZE);
    }

  init_lexer_init (lexer, data, n);

  nul = n > 0 ? memchr (data, '\0', n) : NULL;
  if (nul != NULL)
    return init_lexer_error (lexer, error, (gsize) (nul - data), INIT_PARSE_ERROR_BINARY,
                             "%s", _("Binary data (a NUL byte), expected a text file"));

  if (!g_utf8_validate_len (data, n, &bad))
    return init_lexer_error (lexer, error, (gsize) (bad - data), INIT_PARSE_ERROR_BINARY,
                             "%s", _("Invalid UTF-8, expected a text file"));

  return TRUE;
}

gboolean
init_lexer_error (InitLexer  *lexer,
                  GError    **error,
                  gsize       offset,
                  gint        code,
                  const char *format,
                  ...)
{
  va_list args;

  lexer->error_offset = MIN (offset, lexer->len);

  va_start (args, format);
  if (error != NULL)
    {
      g_assert (*error == NULL);
      *error = g_error_new_valist (INIT_PARSE_ERROR, code, format, args);
    }
  va_end (args);

  return FALSE;
}

void
init_lexer_position (InitLexer *lexer,
                     gsize      offset,
                     guint     *line,
                     guint     *column)
{
  gsize p;

  offset = MIN (offset, lexer->len);

  /* Positions are requested mostly in increasing order (warnings, then maybe an error), so
   * resume counting from the last answer instead of rescanning from the top. */
  if (offset < lexer->line_cache_offset)
    {
      lexer->line_cache_offset = 0;
      lexer->line_cache_line = 1;
      lexer->line_cache_start = 0;
    }

  p = lexer->line_cache_offset;
  while (p < offset)
    {
      const char *nl = memchr (lexer->data + p, '\n', offset - p);

      if (nl == NULL)
        break;

      lexer->line_cache_line++;
      p = (gsize) (nl - lexer->data) + 1;
      lexer->line_cache_start = p;
    }
  lexer->line_cache_offset = offset;

  if (line != NULL)
    *line = lexer->line_cache_line;
  if (column != NULL)
    *column = (guint) MIN (offset - lexer->line_cache_start + 1, (gsize) G_MAXUINT);
}

char *
init_lexer_format_message (InitLexer  *lexer,
                           gsize       offset,
                           const char *path,
                           const char *text)
{
  guint line, column;

  init_lexer_position (lexer, offset, &line, &column);
  if (path != NULL)
    return g_strdup_printf ("%s:%u:%u: %s", path, line, column, text);

  return g_strdup_printf ("%u:%u: %s", line, column, text);
}

void
init_lexer_locate_error (InitLexer  *lexer,
                         GError     *error,
                         const char *path,
                         guint      *line,
                         guint      *column)
{
  init_lexer_position (lexer, lexer->error_offset, line, column);

  if (error != NULL)
    {
      char *message = init_lexer_format_message (lexer, lexer->error_offset, path,
                                                 error->message);

      g_free (error->message);
      error->message = message;
    }
}

gboolean
init_lexer_has_token (const InitLexer *lexer)
{
  return lexer->pos < lexer->len && !char_in (lexer->data[lexer->pos], INIT_LEXER_CNL);
}

void
init_lexer_skip_whitespace (InitLexer *lexer)
{
  const char *d = lexer->data;

  while (lexer->pos < lexer->len)
    {
      if (is_ws (d[lexer->pos]))
        lexer->pos++;
      else if (d[lexer->pos] == '\\' && lexer->pos + 1 < lexer->len && d[lexer->pos + 1] == '\n')
        lexer->pos += 2;
      else
        break;
    }
}

void
init_lexer_next_line (InitLexer *lexer)
{
  const char *nl;

  if (lexer->pos >= lexer->len)
    return;

  nl = memchr (lexer->data + lexer->pos, '\n', lexer->len - lexer->pos);
  lexer->pos = nl != NULL ? (gsize) (nl - lexer->data) + 1 : lexer->len;
}

gboolean
init_lexer_end_of_line (InitLexer *lexer,
                        GError   **error)
{
  if (init_lexer_has_token (lexer))
    return init_lexer_error (lexer, error, lexer->pos, INIT_PARSE_ERROR_UNEXPECTED_TOKEN,
                             "%s", _("Unexpected token"));

  init_lexer_next_line (lexer);
  return TRUE;
}

/* Text seen since the last full character that has not been copied yet: either a run of
 * whitespace (copied verbatim) or a folded newline (copied as one space, swallowing the
 * whitespace around it). */
typedef struct
{
  gsize    ws_start;
  gsize    ws_len;
  gboolean newline;
} Pending;

static void
pending_flush (Pending    *pending,
               const char *data,
               GString    *out)
{
  if (pending->newline)
    g_string_append_c (out, ' ');
  else if (pending->ws_len > 0)
    g_string_append_len (out, data + pending->ws_start, pending->ws_len);

  pending->newline = FALSE;
  pending->ws_len = 0;
}

static void
pending_whitespace (Pending *pending,
                    gsize    p)
{
  if (pending->ws_len == 0)
    pending->ws_start = p;
  pending->ws_len++;
}

static void
pending_newline (Pending *pending)
{
  pending->newline = TRUE;
  pending->ws_len = 0;
}

/* The cursor *@p is on a backslash: a line continuation (pending whitespace), or an escaped
 * character, which is always literal; only `\\` and `\<space>` lose their backslash, and only
 * when dequoting.  FALSE at the end of the file. */
static gboolean
lex_backslash (InitLexer *lexer,
               Pending   *pending,
               GString   *out,
               gsize     *p,
               gboolean   dequote,
               GError   **error)
{
  char next;

  if (*p + 1 >= lexer->len)
    {
      lexer->pos = *p;
      init_lexer_error (lexer, error, *p, INIT_PARSE_ERROR_TRAILING_SLASH,
                        "%s", _("Trailing slash in file"));
      return FALSE;
    }

  next = lexer->data[*p + 1];
  *p += 2;
  if (next == '\n')
    {
      /* Line continuation, quoted or not. */
      pending_newline (pending);
      return TRUE;
    }
  pending_flush (pending, lexer->data, out);
  if (!dequote || !(next == '\\' || is_ws (next)))
    g_string_append_c (out, '\\');
  g_string_append_c (out, next);
  return TRUE;
}

char *
init_lexer_token (InitLexer  *lexer,
                  const char *delim,
                  gboolean    dequote,
                  GError    **error)
{
  const char *d = lexer->data;
  gsize len = lexer->len;
  gsize p = lexer->pos;
  Pending pending = { 0, 0, FALSE };
  char quote = '\0';
  gsize quote_start = 0;
  g_autoptr(GString) out = g_string_new (NULL);

  while (p < len)
    {
      char c = d[p];

      if (c == '\\')
        {
          if (!lex_backslash (lexer, &pending, out, &p, dequote, error))
            return NULL;
          continue;
        }

      /* A quote opens or closes a quoted part; the quotes stay unless dequoting. */
      if (quote == '\0' ? (c == '"' || c == '\'') : c == quote)
        {
          if (quote == '\0')
            {
              quote = c;
              quote_start = p;
            }
          else
            quote = '\0';
          pending_flush (&pending, d, out);
          if (!dequote)
            g_string_append_c (out, c);
          p++;
          continue;
        }
      if (quote == '\0' && char_in (c, delim))
        break;
      /* Whitespace (and, quoted, a newline) waits: it is kept only if more of the token follows. */
      if (quote != '\0' && c == '\n')
        {
          pending_newline (&pending);
          p++;
          continue;
        }
      if (is_ws (c))
        {
          pending_whitespace (&pending, p);
          p++;
          continue;
        }

      pending_flush (&pending, d, out);
      g_string_append_c (out, c);
      p++;
    }

  lexer->pos = p;

  /* Pending whitespace at the end is trailing whitespace: dropped. */
  if (quote != '\0')
    {
      init_lexer_error (lexer, error, quote_start, INIT_PARSE_ERROR_UNTERMINATED_QUOTE,
                        "%s", _("Unterminated quoted string"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
init_lexer_next_token (InitLexer  *lexer,
                       const char *delim,
                       gboolean    dequote,
                       gsize      *start,
                       GError    **error)
{
  gsize token_start = lexer->pos;
  g_autofree char *token = NULL;

  if (start != NULL)
    *start = token_start;

  token = init_lexer_token (lexer, delim, dequote, error);
  if (token == NULL)
    return NULL;

  if (token[0] == '\0')
    {
      init_lexer_error (lexer, error, token_start, INIT_PARSE_ERROR_EXPECTED_TOKEN,
                        "%s", _("Expected token"));
      return NULL;
    }

  init_lexer_skip_whitespace (lexer);
  return g_steal_pointer (&token);
}

char *
init_lexer_next_arg (InitLexer *lexer,
                     gsize     *start,
                     GError   **error)
{
  return init_lexer_next_token (lexer, INIT_LEXER_CNLWS, TRUE, start, error);
}

GPtrArray *
init_lexer_parse_args (InitLexer *lexer,
                       GArray    *starts,
                       GError   **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);

  while (init_lexer_has_token (lexer))
    {
      gsize start;
      char *arg = init_lexer_next_arg (lexer, &start, error);

      if (arg == NULL)
        return NULL;

      g_ptr_array_add (args, arg);
      if (starts != NULL)
        g_array_append_val (starts, start);
    }

  /* Only a comment, a newline or the end can be left. */
  init_lexer_next_line (lexer);
  return g_steal_pointer (&args);
}

char *
init_lexer_parse_command (InitLexer *lexer,
                          GError   **error)
{
  char *command = init_lexer_token (lexer, INIT_LEXER_CNL, FALSE, error);

  if (command == NULL)
    return NULL;

  /* The token stopped at a comment, a newline or the end. */
  init_lexer_next_line (lexer);
  return command;
}

/* Is the line starting at @p a block terminator `WS* end WS+ TYPE WS* (#…)? EOL`?  If so,
 * @after receives the offset just past it (after its newline). */
static gboolean
block_end (const InitLexer *lexer,
           gsize            p,
           const char      *type,
           gsize           *after)
{
  const char *d = lexer->data;
  gsize len = lexer->len;
  gsize type_len = strlen (type);

  while (p < len && is_ws (d[p]))
    p++;

  if (len - p < 4 || memcmp (d + p, "end", 3) != 0 || !is_ws (d[p + 3]))
    return FALSE;

  p += 3;
  while (p < len && is_ws (d[p]))
    p++;

  if (len - p < type_len || memcmp (d + p, type, type_len) != 0)
    return FALSE;

  p += type_len;
  while (p < len && is_ws (d[p]))
    p++;

  if (p < len && d[p] == '#')
    {
      const char *nl = memchr (d + p, '\n', len - p);

      p = nl != NULL ? (gsize) (nl - d) : len;
    }

  if (p < len && d[p] != '\n')
    return FALSE;

  *after = p < len ? p + 1 : len;
  return TRUE;
}

char *
init_lexer_parse_block (InitLexer  *lexer,
                        const char *type,
                        gsize       opening_offset,
                        GError    **error)
{
  const char *d = lexer->data;
  gsize block_start = lexer->pos;
  gsize p = lexer->pos;
  gsize indent = 0;
  gsize after = 0;
  gsize n_lines = 0;
  GString *text;

  /* Find the terminator, narrowing the indentation to the longest prefix of the first
   * line's leading whitespace that every line shares byte for byte. */
  while (!block_end (lexer, p, type, &after))
    {
      gsize line_start = p;
      const char *nl;

      n_lines++;
      if (n_lines == 1)
        {
          while (p < lexer->len && is_ws (d[p]))
            p++;
          indent = p - line_start;
        }
      else
        {
          gsize k = 0;

          while (k < indent && p < lexer->len && d[p] == d[block_start + k])
            {
              p++;
              k++;
            }
          indent = MIN (indent, k);
        }

      nl = memchr (d + p, '\n', lexer->len - p);
      p = nl != NULL ? (gsize) (nl - d) + 1 : lexer->len;
      if (p >= lexer->len)
        {
          lexer->pos = lexer->len;
          init_lexer_error (lexer, error, opening_offset,
                            INIT_PARSE_ERROR_UNTERMINATED_BLOCK,
                            "%s", _("Unterminated block"));
          return NULL;
        }
    }

  /* Every block line ends with a newline: the terminator line follows them. */
  text = g_string_sized_new (p - block_start + 1);
  for (gsize q = block_start; q < p;)
    {
      const char *nl = memchr (d + q + indent, '\n', p - q - indent);
      gsize line_end = (gsize) (nl - d) + 1;

      g_string_append_len (text, d + q + indent, line_end - q - indent);
      q = line_end;
    }

  lexer->pos = after;
  return g_string_free (text, FALSE);
}
