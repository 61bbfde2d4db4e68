/* init-event-parse.c — `start on` / `stop on` expressions to operator trees (reference §2.1) */
#define G_LOG_DOMAIN "init-event-parse"

#include <string.h>

#include <glib/gi18n.h>

#include "init-event-parse.h"
#include "init-job-parse.h"

/* Operands end at whitespace, comments, newlines and parentheses. */
#define OPERAND_DELIMITERS "()" INIT_LEXER_CNLWS

/* One level of parentheses (the first is the whole expression). */
typedef struct
{
  InitEventOperator    *tree;         /* everything combined so far, or NULL */
  InitEventOperatorType op;           /* operator waiting for its right operand */
  gboolean              has_op;
  gsize                 op_offset;    /* where that operator was written */
  gsize                 open_offset;  /* where this group's "(" was written */
} Group;

typedef enum
{
  WANT_OPERAND,   /* at the start of a group or after an operator */
  IN_MATCH,       /* after an event name or one of its arguments */
  AFTER_GROUP,    /* after ")" */
} State;

typedef struct
{
  InitLexer *lexer;
  GArray    *groups;
  State      state;
  guint      n_leaves;

  /* The event match being collected (IN_MATCH). */
  char      *name;
  GPtrArray *args;
  gboolean   named;      /* a KEY=VALUE argument was seen: no positional may follow */
} Parser;

static void
parser_clear (Parser *parser)
{
  for (guint i = 0; i < parser->groups->len; i++)
    g_clear_pointer (&g_array_index (parser->groups, Group, i).tree, init_event_operator_free);
  g_array_unref (parser->groups);
  g_free (parser->name);
  g_clear_pointer (&parser->args, g_ptr_array_unref);
}

static Group *
top_group (Parser *parser)
{
  return &g_array_index (parser->groups, Group, parser->groups->len - 1);
}

/* Combine @operand (transfer full) with what the innermost group holds. */
static void
add_operand (Parser            *parser,
             InitEventOperator *operand)
{
  Group *group = top_group (parser);

  if (group->tree == NULL)
    {
      group->tree = operand;
    }
  else
    {
      /* The state machine only accepts an operand after an operator. */
      g_assert (group->has_op);
      group->tree = init_event_operator_new_binary (group->op, group->tree, operand);
    }
  group->has_op = FALSE;
}

/* The event being collected is complete: make it a leaf of the innermost group. */
static void
finish_match (Parser *parser)
{
  g_autofree char *name = g_steal_pointer (&parser->name);
  char **args;

  g_ptr_array_add (parser->args, NULL);
  args = (char **) g_ptr_array_free (g_steal_pointer (&parser->args), FALSE);
  add_operand (parser, init_event_operator_new_match (name, args));
}

static gboolean
open_group (Parser  *parser,
            GError **error)
{
  InitLexer *lexer = parser->lexer;
  Group group = { NULL, INIT_EVENT_OPERATOR_OR, FALSE, 0, lexer->pos };

  if (parser->state != WANT_OPERAND)
    return init_lexer_error (lexer, error, lexer->pos, INIT_PARSE_ERROR_EXPECTED_OPERATOR,
                             "%s", _("Expected operator"));

  if (parser->groups->len > INIT_PARSE_MAX_DEPTH)
    return init_lexer_error (lexer, error, lexer->pos, INIT_PARSE_ERROR_TOO_DEEP,
                             _("Expression nested too deeply, expected at most %d levels of parentheses"),
                             INIT_PARSE_MAX_DEPTH);

  g_array_append_val (parser->groups, group);
  lexer->pos++;
  return TRUE;
}

static gboolean
close_group (Parser  *parser,
             GError **error)
{
  InitLexer *lexer = parser->lexer;
  InitEventOperator *tree;

  if (parser->state == WANT_OPERAND)
    return init_lexer_error (lexer, error, lexer->pos, INIT_PARSE_ERROR_EXPECTED_EVENT,
                             "%s", _("Expected event"));

  if (parser->state == IN_MATCH)
    finish_match (parser);

  if (parser->groups->len == 1)
    return init_lexer_error (lexer, error, lexer->pos, INIT_PARSE_ERROR_MISMATCHED_PARENS,
                             "%s", _("Mismatched parentheses"));

  tree = g_steal_pointer (&top_group (parser)->tree);
  g_array_set_size (parser->groups, parser->groups->len - 1);
  add_operand (parser, tree);

  parser->state = AFTER_GROUP;
  lexer->pos++;
  return TRUE;
}

static gboolean
operator (Parser               *parser,
          InitEventOperatorType type,
          gsize                 offset,
          GError              **error)
{
  Group *group;

  if (parser->state == WANT_OPERAND)
    return init_lexer_error (parser->lexer, error, offset, INIT_PARSE_ERROR_EXPECTED_EVENT,
                             "%s", _("Expected event"));

  if (parser->state == IN_MATCH)
    finish_match (parser);

  group = top_group (parser);
  group->op = type;
  group->has_op = TRUE;
  group->op_offset = offset;
  parser->state = WANT_OPERAND;
  return TRUE;
}

static gboolean
operand (Parser  *parser,
         gsize    offset,
         GError **error)
{
  InitLexer *lexer = parser->lexer;
  g_autofree char *value = NULL;

  /* Operators were recognised on the raw text; operands are dequoted. */
  lexer->pos = offset;
  value = init_lexer_token (lexer, OPERAND_DELIMITERS, TRUE, error);
  if (value == NULL)
    return FALSE;
  if (value[0] == '\0')
    return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_EXPECTED_TOKEN,
                             "%s", _("Expected token"));

  switch (parser->state)
    {
    case WANT_OPERAND:
      if (parser->n_leaves >= INIT_PARSE_MAX_LEAVES)
        return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_TOO_DEEP,
                                 _("Expression too large, expected at most %d events"),
                                 INIT_PARSE_MAX_LEAVES);
      parser->n_leaves++;
      parser->name = g_steal_pointer (&value);
      parser->args = g_ptr_array_new_with_free_func (g_free);
      parser->named = FALSE;
      parser->state = IN_MATCH;
      return TRUE;

    case IN_MATCH:
      if (strchr (value, '=') != NULL)
        {
          parser->named = TRUE;
        }
      else if (parser->named)
        {
          /* Reported just past the offending value, as Upstart does. */
          init_lexer_skip_whitespace (lexer);
          return init_lexer_error (lexer, error, lexer->pos, INIT_PARSE_ERROR_EXPECTED_VARIABLE,
                                   "%s", _("Expected variable name before value"));
        }
      g_ptr_array_add (parser->args, g_steal_pointer (&value));
      return TRUE;

    case AFTER_GROUP:
    default:
      return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_EXPECTED_OPERATOR,
                               "%s", _("Expected operator"));
    }
}

static gboolean
word (Parser  *parser,
      GError **error)
{
  InitLexer *lexer = parser->lexer;
  gsize offset = lexer->pos;
  g_autofree char *raw = init_lexer_token (lexer, OPERAND_DELIMITERS, FALSE, error);

  if (raw == NULL)
    return FALSE;

  /* A quoted "and" is an operand, so compare the text as written. */
  if (strcmp (raw, "and") == 0)
    return operator (parser, INIT_EVENT_OPERATOR_AND, offset, error);
  if (strcmp (raw, "or") == 0)
    return operator (parser, INIT_EVENT_OPERATOR_OR, offset, error);

  return operand (parser, offset, error);
}

/* The text ran out: check that it ended somewhere an expression may end. */
static InitEventOperator *
finish (Parser  *parser,
        gsize    start,
        GError **error)
{
  InitLexer *lexer = parser->lexer;
  Group *group = top_group (parser);

  if (parser->state == WANT_OPERAND)
    {
      if (group->has_op)
        init_lexer_error (lexer, error, group->op_offset, INIT_PARSE_ERROR_EXPECTED_EVENT,
                          "%s", _("Expected event"));
      else if (parser->groups->len > 1)
        init_lexer_error (lexer, error, group->open_offset, INIT_PARSE_ERROR_EXPECTED_EVENT,
                          "%s", _("Expected event"));
      else
        init_lexer_error (lexer, error, start, INIT_PARSE_ERROR_EXPECTED_TOKEN,
                          "%s", _("Expected token"));
      return NULL;
    }

  if (parser->state == IN_MATCH)
    finish_match (parser);

  if (parser->groups->len > 1)
    {
      init_lexer_error (lexer, error, lexer->pos, INIT_PARSE_ERROR_MISMATCHED_PARENS,
                        "%s", _("Mismatched parentheses"));
      return NULL;
    }

  return g_steal_pointer (&top_group (parser)->tree);
}

InitEventOperator *
init_event_parse_expression (InitLexer *lexer,
                             GError   **error)
{
  Parser parser = { lexer, NULL, WANT_OPERAND, 0, NULL, NULL, FALSE };
  Group top = { NULL, INIT_EVENT_OPERATOR_OR, FALSE, 0, lexer->pos };
  InitEventOperator *result = NULL;
  gsize start;

  g_return_val_if_fail (lexer != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser.groups = g_array_new (FALSE, FALSE, sizeof (Group));
  g_array_append_val (parser.groups, top);

  init_lexer_skip_whitespace (lexer);
  start = lexer->pos;

  for (;;)
    {
      gboolean ok;

      init_lexer_skip_whitespace (lexer);
      if (!init_lexer_has_token (lexer))
        {
          /* Inside parentheses newlines, comments and blank lines are allowed. */
          if (parser.groups->len > 1 && lexer->pos < lexer->len)
            {
              init_lexer_next_line (lexer);
              continue;
            }
          break;
        }

      switch (lexer->data[lexer->pos])
        {
        case '(':
          ok = open_group (&parser, error);
          break;
        case ')':
          ok = close_group (&parser, error);
          break;
        default:
          ok = word (&parser, error);
          break;
        }

      if (!ok)
        {
          parser_clear (&parser);
          return NULL;
        }
    }

  result = finish (&parser, start, error);
  parser_clear (&parser);
  return result;
}

InitEventOperator *
init_event_expression_parse (const char   *text,
                             InitParsePos *pos,
                             GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  InitLexer lexer;
  InitEventOperator *op = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (init_lexer_init_checked (&lexer, text, -1, &local_error))
    op = init_event_parse_expression (&lexer, &local_error);

  /* Only blank lines and comments may follow the expression. */
  while (op != NULL && lexer.pos < lexer.len)
    {
      init_lexer_next_line (&lexer);
      init_lexer_skip_whitespace (&lexer);
      if (init_lexer_has_token (&lexer))
        {
          init_lexer_error (&lexer, &local_error, lexer.pos, INIT_PARSE_ERROR_UNEXPECTED_TOKEN,
                            "%s", _("Unexpected token"));
          g_clear_pointer (&op, init_event_operator_free);
        }
    }

  if (op == NULL)
    {
      guint line, column;

      init_lexer_locate_error (&lexer, local_error, NULL, &line, &column);
      if (pos != NULL)
        {
          pos->line = line;
          pos->column = column;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return op;
}
