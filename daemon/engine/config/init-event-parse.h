/* init-event-parse.h — `start on` / `stop on` expressions (reference §2.1), internal
 *
 * expr := term (("and" | "or") term)*   equal precedence, left associative
 * term := EVENT ARG* | "(" expr ")"      positional ARGs first, then KEY=VALUE / KEY!=VALUE
 *
 * The parser is iterative (an explicit group stack), so no input can exhaust the C stack;
 * nesting beyond INIT_PARSE_MAX_DEPTH and more than INIT_PARSE_MAX_LEAVES events are
 * rejected with INIT_PARSE_ERROR_TOO_DEEP.  The public entry point for stand-alone text is
 * init_event_expression_parse() in init-job-parse.h.
 */
#pragma once

#include <glib.h>

#include "init-event-operator.h"
#include "init-lexer.h"

G_BEGIN_DECLS

/* Parse the expression at the cursor of @lexer (just after `on`).  The expression ends at
 * the first comment, newline or end outside parentheses; the cursor is left there.  Inside
 * parentheses it may span lines, with comments and blank lines.  On error returns NULL and
 * sets @error (bare text; offset in lexer->error_offset). */
InitEventOperator *init_event_parse_expression (InitLexer *lexer,
                                                GError   **error);

G_END_DECLS
