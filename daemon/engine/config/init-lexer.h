/* init-lexer.h — the job-file tokenizer (reference §1.1), internal to the parser
 *
 * A cursor over a byte buffer with libnih's lexical rules: tokens separated by unquoted,
 * unescaped delimiters; `"` and `'` quote; `\` escapes and continues lines; `#` starts a
 * comment; `exec` command lines kept verbatim; `script … end script` blocks with common
 * indentation removed.  Every position is a byte offset into the buffer; line and column
 * are derived from offsets on demand, so every newline consumed anywhere (quotes,
 * continuations, blocks) is counted.
 *
 * Errors are INIT_PARSE_ERROR with the bare text (no position in the message); the offset
 * of the error is left in InitLexer.error_offset for the caller to format.
 */
#pragma once

#include <glib.h>

#include "init-error.h"

G_BEGIN_DECLS

/* Character classes of libnih's config tokenizer. */
#define INIT_LEXER_WS     " \t\r"     /* whitespace within a line */
#define INIT_LEXER_CNL    "#\n"       /* ends a line: comment or newline */
#define INIT_LEXER_CNLWS  " \t\r#\n"  /* separates arguments */

typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;           /* current offset */
  gsize       error_offset;  /* offset of the last error raised through this lexer */

  /*< private >*/
  gsize line_cache_offset;        /* line/column cache: offsets are usually asked in order */
  guint line_cache_line;
  gsize line_cache_start;
} InitLexer;

void      init_lexer_init (InitLexer  *lexer,
                           const char *data,
                           gsize       len);

/* init_lexer_init() after the whole-text checks every parse entry point makes: @len may be
 * -1 (NUL-terminated); more than INIT_PARSE_MAX_FILE_SIZE bytes is TOO_LARGE (at 1:1, found
 * without reading the excess), a NUL byte or invalid UTF-8 is BINARY at the offending byte. */
gboolean  init_lexer_init_checked (InitLexer  *lexer,
                                   const char *data,
                                   gssize      len,
                                   GError    **error);

/* Raise @code at @offset: sets @error (bare text) and lexer->error_offset.  Always FALSE. */
gboolean  init_lexer_error (InitLexer  *lexer,
                            GError    **error,
                            gsize       offset,
                            gint        code,
                            const char *format,
                            ...) G_GNUC_PRINTF (5, 6);

/* 1-based line and byte column of @offset (offsets past the end clamp to the end). */
void      init_lexer_position (InitLexer *lexer,
                               gsize      offset,
                               guint     *line,
                               guint     *column);

/* "PATH:LINE:COLUMN: TEXT" (no "PATH:" when @path is NULL) for @offset. */
char *init_lexer_format_message (InitLexer  *lexer,
                                 gsize       offset,
                                 const char *path,
                                 const char *text);

/* Rewrite @error's message to init_lexer_format_message() of lexer->error_offset and
 * return that position.  @error may be NULL (position only). */
void      init_lexer_locate_error (InitLexer  *lexer,
                                   GError     *error,
                                   const char *path,
                                   guint      *line,
                                   guint      *column);

/* Is there a token at the cursor: not at the end, not at a comment or newline? */
gboolean  init_lexer_has_token (const InitLexer *lexer);

/* Skip whitespace and escaped newlines (stops at a token, comment, newline or the end). */
void      init_lexer_skip_whitespace (InitLexer *lexer);

/* Skip the rest of the line including its newline, whatever it holds. */
void      init_lexer_next_line (InitLexer *lexer);

/* End of a stanza: the cursor must be at a comment, a newline or the end (else
 * UNEXPECTED_TOKEN at the cursor); skips the comment and the newline. */
gboolean  init_lexer_end_of_line (InitLexer *lexer,
                                  GError   **error);

/* Extract one token from the cursor up to the first unquoted, unescaped byte of @delim (or
 * the end), leaving the cursor there.  Quoted or escaped newlines and the whitespace around
 * them become one space.  With @dequote, quotes are removed and `\\` / `\<whitespace>` lose
 * their backslash; other escapes keep it.  The token may be empty.  Errors:
 * UNTERMINATED_QUOTE (at the opening quote), TRAILING_SLASH (at the backslash). */
char *init_lexer_token (InitLexer  *lexer,
                        const char *delim,
                        gboolean    dequote,
                        GError    **error);

/* init_lexer_token(), then EXPECTED_TOKEN (at the token's start) if it came out empty, then
 * skip the whitespace after it.  @start (nullable) receives the token's offset. */
char *init_lexer_next_token (InitLexer  *lexer,
                             const char *delim,
                             gboolean    dequote,
                             gsize      *start,
                             GError    **error);

/* A dequoted argument: init_lexer_next_token (INIT_LEXER_CNLWS, TRUE). */
char *init_lexer_next_arg (InitLexer *lexer,
                           gsize     *start,
                           GError   **error);

/* Every argument up to the end of the line (comment and newline consumed); may be empty.
 * @starts (nullable) receives the offset of each argument (as gsize). */
GPtrArray *init_lexer_parse_args (InitLexer *lexer,
                                  GArray    *starts,
                                  GError   **error);

/* The rest of the line as a command: quotes and backslashes kept verbatim, continuations
 * collapsed, trailing whitespace removed; the comment and newline are consumed. */
char *init_lexer_parse_command (InitLexer *lexer,
                                GError   **error);

/* The block starting at the cursor (the line after the opening keyword) up to the line
 * `end TYPE`, with the common leading indentation removed; every line keeps its newline.
 * The cursor ends after the terminator line.  UNTERMINATED_BLOCK is reported at
 * @opening_offset (the stanza that opened the block). */
char *init_lexer_parse_block (InitLexer  *lexer,
                              const char *type,
                              gsize       opening_offset,
                              GError    **error);

G_END_DECLS
