/* init-event-operator.c — `start on` / `stop on` expression trees: match, latch, reset, harvest */
#define G_LOG_DOMAIN "init-event-operator"

#include <fnmatch.h>
#include <string.h>

#include "init-env.h"
#include "init-event-operator.h"

/* ---- iterative traversal ---------------------------------------------------------------------
 *
 * A left-deep chain of `or`s is as deep as it has leaves (up to INIT_PARSE_MAX_LEAVES), so every
 * walk uses an explicit stack rather than recursion.  The visitor sees each node on ENTER
 * (returning FALSE skips its subtree and its LEAVE), binary nodes again BETWEEN their children,
 * and every node on LEAVE, after which the walker never touches it again (so LEAVE may free). */

typedef enum
{
  WALK_ENTER,
  WALK_BETWEEN,
  WALK_LEAVE,
} WalkStep;

typedef gboolean (*WalkFunc) (InitEventOperator *node,
                              WalkStep           step,
                              gpointer           user_data);

typedef struct
{
  InitEventOperator *node;
  WalkStep           next;
} WalkFrame;

static void
walk (InitEventOperator *root,
      WalkFunc           func,
      gpointer           user_data)
{
  g_autoptr(GArray) stack = NULL;
  WalkFrame frame = { root, WALK_ENTER };

  if (root == NULL)
    return;

  stack = g_array_sized_new (FALSE, FALSE, sizeof (WalkFrame), 16);
  g_array_append_val (stack, frame);

  while (stack->len > 0)
    {
      WalkFrame *top = &g_array_index (stack, WalkFrame, stack->len - 1);
      InitEventOperator *node = top->node;
      WalkFrame child = { NULL, WALK_ENTER };

      switch (top->next)
        {
        case WALK_ENTER:
          top->next = WALK_BETWEEN;
          if (!func (node, WALK_ENTER, user_data))
            {
              g_array_set_size (stack, stack->len - 1);
            }
          else if (node->type == INIT_EVENT_OPERATOR_MATCH)
            {
              g_array_set_size (stack, stack->len - 1);
              func (node, WALK_LEAVE, user_data);
            }
          else
            {
              child.node = node->left;
              g_array_append_val (stack, child);
            }
          break;

        case WALK_BETWEEN:
          top->next = WALK_LEAVE;
          func (node, WALK_BETWEEN, user_data);
          child.node = node->right;
          g_array_append_val (stack, child);
          break;

        case WALK_LEAVE:
          g_array_set_size (stack, stack->len - 1);
          func (node, WALK_LEAVE, user_data);
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/* ---- construction and destruction ----------------------------------------------------------- */

InitEventOperator *
init_event_operator_new_match (const char *name,
                               char      **args)
{
  InitEventOperator *op;
  gsize n_args = args != NULL ? g_strv_length (args) : 0;
  gsize size, name_len = strlen (name) + 1;
  char **packed_args;
  char *p;

  g_return_val_if_fail (name != NULL, NULL);

  /* A leaf is one allocation: the node, its argument vector, then the name and argument
   * strings.  Thousands of jobs each hold a few leaves, so this saves three or more small
   * allocations per leaf. */
  size = sizeof (InitEventOperator) + (n_args + 1) * sizeof (char *) + name_len;
  for (gsize i = 0; i < n_args; i++)
    size += strlen (args[i]) + 1;

  op = g_malloc0 (size);
  packed_args = (char **) (op + 1);
  p = (char *) (packed_args + n_args + 1);
  op->type = INIT_EVENT_OPERATOR_MATCH;
  op->name = memcpy (p, name, name_len);
  p += name_len;
  for (gsize i = 0; i < n_args; i++)
    {
      gsize len = strlen (args[i]) + 1;
      packed_args[i] = memcpy (p, args[i], len);
      p += len;
    }
  packed_args[n_args] = NULL;
  op->args = packed_args;
  g_strfreev (args);

  return op;
}

InitEventOperator *
init_event_operator_new_binary (InitEventOperatorType type,
                                InitEventOperator    *left,
                                InitEventOperator    *right)
{
  InitEventOperator *op;

  g_return_val_if_fail (type == INIT_EVENT_OPERATOR_OR || type == INIT_EVENT_OPERATOR_AND, NULL);
  g_return_val_if_fail (left != NULL, NULL);
  g_return_val_if_fail (right != NULL, NULL);

  op = g_new0 (InitEventOperator, 1);
  op->type = type;
  op->left = left;
  op->right = right;

  return op;
}

/* Forget the event a leaf latched, releasing our block and ref. */
static void
leaf_release (InitEventOperator *leaf)
{
  InitEvent *event = g_steal_pointer (&leaf->event);

  if (event != NULL)
    {
      init_event_unblock (event);
      init_event_unref (event);
    }
}

static gboolean
free_visit (InitEventOperator *node,
            WalkStep           step,
            gpointer           user_data)
{
  if (step != WALK_LEAVE)
    return TRUE;

  if (node->type == INIT_EVENT_OPERATOR_MATCH)
    {
      /* name and args live in the node's own allocation */
      leaf_release (node);
    }
  g_free (node);

  return TRUE;
}

void
init_event_operator_free (InitEventOperator *op)
{
  walk (op, free_visit, NULL);
}

/* Copy is evaluated like RPN: each finished subtree's copy is pushed; a binary node pops its
 * two children's copies. */
static gboolean
copy_visit (InitEventOperator *node,
            WalkStep           step,
            gpointer           user_data)
{
  GPtrArray *built = user_data;
  InitEventOperator *copy;

  if (step != WALK_LEAVE)
    return TRUE;

  if (node->type == INIT_EVENT_OPERATOR_MATCH)
    {
      copy = init_event_operator_new_match (node->name, g_strdupv (node->args));
      if (node->event != NULL)
        {
          copy->event = init_event_ref (node->event);
          init_event_block (copy->event);
        }
    }
  else
    {
      InitEventOperator *right = g_ptr_array_steal_index (built, built->len - 1);
      InitEventOperator *left = g_ptr_array_steal_index (built, built->len - 1);

      copy = init_event_operator_new_binary (node->type, left, right);
    }
  copy->value = node->value;
  g_ptr_array_add (built, copy);

  return TRUE;
}

InitEventOperator *
init_event_operator_copy (const InitEventOperator *op)
{
  g_autoptr(GPtrArray) built = NULL;

  if (op == NULL)
    return NULL;

  built = g_ptr_array_new ();
  walk ((InitEventOperator *) op, copy_visit, built);
  g_assert (built->len == 1);

  return g_ptr_array_steal_index (built, 0);
}

/* ---- matching and latching ------------------------------------------------------------------ */

/* The value part of an event env entry ("K=V" → "V"). */
static const char *
entry_value (const char *entry)
{
  const char *eq = strchr (entry, '=');

  return eq ? eq + 1 : entry;
}

/* Does the event value @value satisfy the argument pattern @pattern, negated if @negate
 * (§2.2)?  A pattern that fails to expand never matches, whether negated or not. */
static gboolean
value_matches (const char *pattern,
               const char *value,
               gboolean    negate,
               GPtrArray  *expand_env)
{
  g_autofree char *expanded = NULL;
  g_autoptr(GError) error = NULL;

  expanded = init_env_expand (pattern, expand_env, &error);
  if (expanded == NULL)
    {
      g_debug ("Argument '%s' never matches: %s", pattern, error->message);
      return FALSE;
    }

  return (fnmatch (expanded, value, 0) == 0) != negate;
}

gboolean
init_event_operator_match (const InitEventOperator *leaf,
                           const InitEvent         *event,
                           GPtrArray               *expand_env)
{
  guint position = 0;

  g_return_val_if_fail (leaf != NULL, FALSE);
  g_return_val_if_fail (leaf->type == INIT_EVENT_OPERATOR_MATCH, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (strcmp (leaf->name, event->name) != 0)
    return FALSE;

  for (char **a = leaf->args; *a != NULL; a++)
    {
      const char *arg = *a;
      const char *eq = strchr (arg, '=');

      if (eq != NULL)
        {
          /* Named: "KEY=PATTERN" or "KEY!=PATTERN", looked up by key. */
          gboolean negate = eq > arg && eq[-1] == '!';
          gsize key_len = (eq - arg) - (negate ? 1 : 0);
          const char *entry = event->env ? init_env_lookup (event->env, arg, key_len) : NULL;

          if (entry == NULL)
            return FALSE;
          if (!value_matches (eq + 1, entry + key_len + 1, negate, expand_env))
            return FALSE;
        }
      else
        {
          /* Positional: the event's entry at the same position, whatever its key. */
          if (event->env == NULL || position >= event->env->len)
            return FALSE;
          if (!value_matches (arg, entry_value (g_ptr_array_index (event->env, position)),
                              FALSE, expand_env))
            return FALSE;
          position++;
        }
    }

  return TRUE;
}

typedef struct
{
  InitEvent *event;
  GPtrArray *expand_env;
  gboolean   matched;
} HandleData;

static gboolean
handle_visit (InitEventOperator *node,
              WalkStep           step,
              gpointer           user_data)
{
  HandleData *data = user_data;

  if (step != WALK_LEAVE)
    return TRUE;

  switch (node->type)
    {
    case INIT_EVENT_OPERATOR_MATCH:
      /* A latched leaf ignores further events: they are neither matched nor blocked. */
      if (!node->value && init_event_operator_match (node, data->event, data->expand_env))
        {
          node->value = TRUE;
          node->event = init_event_ref (data->event);
          init_event_block (data->event);
          data->matched = TRUE;
        }
      break;
    case INIT_EVENT_OPERATOR_OR:
      node->value = node->left->value || node->right->value;
      break;
    case INIT_EVENT_OPERATOR_AND:
      node->value = node->left->value && node->right->value;
      break;
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

gboolean
init_event_operator_handle (InitEventOperator *op,
                            InitEvent         *event,
                            GPtrArray         *expand_env)
{
  HandleData data = { event, expand_env, FALSE };

  g_return_val_if_fail (op != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  walk (op, handle_visit, &data);

  return data.matched;
}

static gboolean
reset_visit (InitEventOperator *node,
             WalkStep           step,
             gpointer           user_data)
{
  if (step != WALK_LEAVE)
    return TRUE;

  if (node->type == INIT_EVENT_OPERATOR_MATCH)
    leaf_release (node);
  node->value = FALSE;

  return TRUE;
}

void
init_event_operator_reset (InitEventOperator *op)
{
  walk (op, reset_visit, NULL);
}

/* ---- harvesting ----------------------------------------------------------------------------- */

/* Calls @func for every latched leaf under TRUE nodes, left to right. */
typedef struct
{
  void (*func)(InitEvent *event, gpointer user_data);
  gpointer user_data;
} TrueLeavesData;

static gboolean
true_leaves_visit (InitEventOperator *node,
                   WalkStep           step,
                   gpointer           user_data)
{
  TrueLeavesData *data = user_data;

  if (step != WALK_ENTER)
    return TRUE;
  if (!node->value)
    return FALSE;
  if (node->type == INIT_EVENT_OPERATOR_MATCH && node->event != NULL)
    data->func (node->event, data->user_data);

  return TRUE;
}

static void
foreach_true_leaf (InitEventOperator *op,
                   void ( *func ) (InitEvent *event, gpointer user_data),
                   gpointer user_data)
{
  TrueLeavesData data = { func, user_data };

  walk (op, true_leaves_visit, &data);
}

typedef struct
{
  GPtrArray *env;
  GString   *names;
} EnvironmentData;

static void
environment_add_event (InitEvent *event,
                       gpointer   user_data)
{
  EnvironmentData *data = user_data;

  /* Later events' keys replace earlier ones but keep their first position. */
  init_env_append (data->env, event->env, TRUE);

  if (data->names->len > 0)
    g_string_append_c (data->names, ' ');
  g_string_append (data->names, event->name);
}

void
init_event_operator_environment (InitEventOperator *op,
                                 GPtrArray         *env,
                                 const char        *key)
{
  g_autoptr(GString) names = g_string_new (NULL);
  EnvironmentData data = { env, names };

  g_return_if_fail (env != NULL);
  g_return_if_fail (key != NULL);

  foreach_true_leaf (op, environment_add_event, &data);
  init_env_set (env, key, names->str);
}

static void
collect_event (InitEvent *event,
               gpointer   user_data)
{
  g_ptr_array_add (user_data, init_event_ref (event));
}

void
init_event_operator_collect_events (InitEventOperator *op,
                                    GPtrArray         *events)
{
  g_return_if_fail (events != NULL);

  foreach_true_leaf (op, collect_event, events);
}

static gboolean
collect_names_visit (InitEventOperator *node,
                     WalkStep           step,
                     gpointer           user_data)
{
  GHashTable *names = user_data;

  if (step == WALK_ENTER && node->type == INIT_EVENT_OPERATOR_MATCH
      && !g_hash_table_contains (names, node->name))
    g_hash_table_add (names, g_strdup (node->name));

  return TRUE;
}

void
init_event_operator_collect_names (const InitEventOperator *op,
                                   GHashTable              *names)
{
  g_return_if_fail (names != NULL);

  walk ((InitEventOperator *) op, collect_names_visit, names);
}

/* ---- text forms ----------------------------------------------------------------------------- */

/* Characters that end or alter a token in the job-file tokenizer (§1.1, §2.1). */
static gboolean
char_is_special (char c)
{
  return strchr (" \t\r\n\"'\\()#", c) != NULL;
}

/* Append @word so that the tokenizer, dequoting, gives back exactly @word: bare when it is
 * plain, otherwise in double quotes with '\' doubled and '"' spliced in as '"'"'.  A newline
 * cannot survive (the tokenizer turns it into a space); job files cannot produce one either. */
static void
append_word (GString    *out,
             const char *word,
             gsize       len)
{
  gboolean plain = len > 0;

  for (gsize i = 0; plain && i < len; i++)
    if (char_is_special (word[i]))
      plain = FALSE;

  /* A bare "and"/"or" would read back as an operator. */
  if (plain && ((len == 3 && memcmp (word, "and", 3) == 0)
                || (len == 2 && memcmp (word, "or", 2) == 0)))
    plain = FALSE;

  if (plain)
    {
      g_string_append_len (out, word, len);
      return;
    }

  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (word[i] == '\\')
        g_string_append (out, "\\\\");
      else if (word[i] == '"')
        g_string_append (out, "\"'\"'\"");
      else
        g_string_append_c (out, word[i]);
    }
  g_string_append_c (out, '"');
}

/* An argument: a named one keeps its "KEY=" / "KEY!=" prefix bare and quotes only the value. */
static void
append_arg (GString    *out,
            const char *arg)
{
  const char *eq = strchr (arg, '=');

  if (eq != NULL)
    {
      gsize key_len = (eq - arg) - (eq > arg && eq[-1] == '!' ? 1 : 0);

      if (init_env_key_is_valid (arg, key_len))
        {
          g_string_append_len (out, arg, eq + 1 - arg);
          if (eq[1] != '\0')
            append_word (out, eq + 1, strlen (eq + 1));
          return;
        }
    }

  append_word (out, arg, strlen (arg));
}

static gboolean
to_string_visit (InitEventOperator *node,
                 WalkStep           step,
                 gpointer           user_data)
{
  GString *out = user_data;

  if (node->type == INIT_EVENT_OPERATOR_MATCH)
    {
      if (step == WALK_ENTER)
        {
          append_word (out, node->name, strlen (node->name));
          for (char **a = node->args; *a != NULL; a++)
            {
              g_string_append_c (out, ' ');
              append_arg (out, *a);
            }
        }
      return TRUE;
    }

  switch (step)
    {
    case WALK_ENTER:
      g_string_append_c (out, '(');
      break;
    case WALK_BETWEEN:
      g_string_append (out, node->type == INIT_EVENT_OPERATOR_AND ? " and " : " or ");
      break;
    case WALK_LEAVE:
      g_string_append_c (out, ')');
      break;
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

char *
init_event_operator_to_string (const InitEventOperator *op)
{
  GString *out;

  g_return_val_if_fail (op != NULL, NULL);

  out = g_string_new (NULL);
  walk ((InitEventOperator *) op, to_string_visit, out);

  return g_string_free (out, FALSE);
}

static gboolean
to_rpn_visit (InitEventOperator *node,
              WalkStep           step,
              gpointer           user_data)
{
  GPtrArray *rpn = user_data;
  GStrvBuilder *builder;

  if (step != WALK_LEAVE)
    return TRUE;

  builder = g_strv_builder_new ();
  if (node->type == INIT_EVENT_OPERATOR_MATCH)
    {
      g_strv_builder_add (builder, node->name);
      g_strv_builder_addv (builder, (const char **) node->args);
    }
  else
    {
      g_strv_builder_add (builder, node->type == INIT_EVENT_OPERATOR_AND ? "/AND" : "/OR");
    }
  g_ptr_array_add (rpn, g_strv_builder_end (builder));
  g_strv_builder_unref (builder);

  return TRUE;
}

GPtrArray *
init_event_operator_to_rpn (const InitEventOperator *op)
{
  GPtrArray *rpn = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  walk ((InitEventOperator *) op, to_rpn_visit, rpn);

  return rpn;
}

/* The nodes of @op in postfix order (children before their parent, left before right), without
 * recursion: a left-deep chain of 4096 `or`s is 4096 frames deep.  The save form,
 * its leaf indexes and unlatched copies all read this one walk. */
GPtrArray *
init_event_operator_postfix (const InitEventOperator *op)
{
  GPtrArray *order = g_ptr_array_new ();
  g_autoptr(GPtrArray) stack = NULL;

  if (op == NULL)
    return order;

  /* Pop a node, push it to @order, then push left and right: @order is then the reverse of
   * a right-to-left postfix walk, i.e. read backwards it is the left-to-right postfix. */
  stack = g_ptr_array_new ();
  g_ptr_array_add (stack, (gpointer) op);
  while (stack->len > 0)
    {
      const InitEventOperator *node = g_ptr_array_steal_index (stack, stack->len - 1);

      g_ptr_array_add (order, (gpointer) node);
      if (node->type != INIT_EVENT_OPERATOR_MATCH)
        {
          g_ptr_array_add (stack, node->left);
          g_ptr_array_add (stack, node->right);
        }
    }

  for (guint i = 0, j = order->len - 1; i < j; i++, j--)
    {
      gpointer tmp = order->pdata[i];

      order->pdata[i] = order->pdata[j];
      order->pdata[j] = tmp;
    }

  return order;
}

gboolean
init_event_name_is_job_event (const char *name)
{
  static const char *const job_events[] = {
    "starting", "started", "stopping", "stopped", NULL
  };

  return name != NULL && g_strv_contains (job_events, name);
}

const char *
init_event_operator_leaf_job (const InitEventOperator *leaf)
{
  g_return_val_if_fail (leaf != NULL && leaf->type == INIT_EVENT_OPERATOR_MATCH, NULL);

  for (guint i = 0; leaf->args[i] != NULL; i++)
    {
      if (g_str_has_prefix (leaf->args[i], "JOB="))
        return leaf->args[i] + strlen ("JOB=");
      if (i == 0 && strchr (leaf->args[i], '=') == NULL)
        return leaf->args[i];
    }
  return NULL;
}
