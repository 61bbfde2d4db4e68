/* init-event-operator-save.c — an event operator tree as a GVariant and back (re-exec) */
#define G_LOG_DOMAIN "init-engine"

#include <glib/gi18n.h>

#include "init-error.h"
#include "init-event-operator-save.h"

/**
 * init_event_operator_to_variant:
 * @op: (nullable): an operator tree
 *
 * The tree as a(ybsas) in postfix order: (type, value, name, args).  The value slot is written
 * FALSE whatever the tree's latched state (latches are saved by the caller, by leaf index, see
 * init_event_operator_leaves()), so a latched and an unlatched tree serialize the same.
 *
 * Returns: (transfer floating): the array; empty for a NULL tree.
 */
GVariant *
init_event_operator_to_variant (const InitEventOperator *op)
{
  static const char *const no_args[] = { NULL };
  g_autoptr(GPtrArray) order = init_event_operator_postfix (op);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE (INIT_EVENT_OPERATOR_VARIANT_TYPE));
  for (guint i = 0; i < order->len; i++)
    {
      const InitEventOperator *node = g_ptr_array_index (order, i);
      gboolean leaf = node->type == INIT_EVENT_OPERATOR_MATCH;

      g_variant_builder_add (&builder, "(ybs^as)", (guchar) node->type, FALSE,
                             leaf ? node->name : "",
                             leaf ? (const char *const *) node->args : no_args);
    }

  return g_variant_builder_end (&builder);
}

/* Entry @i of a postfix tree: a leaf is pushed onto @stack, an operator takes the two
 * operands on top of it. */
static gboolean
push_node (GPtrArray *stack,
           GVariant  *node,
           gsize      i,
           GError   **error)
{
  g_autoptr(GVariant) args_v = NULL;
  InitEventOperator *left, *right;
  guchar type;
  const char *name;

  /* The value slot is ignored: latches are restored by the caller, by leaf index. */
  g_variant_get (node, "(yb&s@as)", &type, NULL, &name, &args_v);
  if (type == INIT_EVENT_OPERATOR_MATCH)
    {
      if (*name == '\0')
        {
          g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                       _("Operator tree entry %u: event without a name"), (guint) i);
          return FALSE;
        }
      g_ptr_array_add (stack, init_event_operator_new_match (name, g_variant_dup_strv (args_v, NULL)));
      return TRUE;
    }
  if (type != INIT_EVENT_OPERATOR_OR && type != INIT_EVENT_OPERATOR_AND)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                   _("Operator tree entry %u: unknown node type %u"),
                   (guint) i, (guint) type);
      return FALSE;
    }
  if (*name != '\0' || g_variant_n_children (args_v) != 0)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                   _("Operator tree entry %u: an operator has no name "
                     "or arguments"), (guint) i);
      return FALSE;
    }
  if (stack->len < 2)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                   _("Operator tree entry %u: operator without two "
                     "operands"), (guint) i);
      return FALSE;
    }
  right = g_ptr_array_steal_index (stack, stack->len - 1);
  left = g_ptr_array_steal_index (stack, stack->len - 1);
  g_ptr_array_add (stack, init_event_operator_new_binary (type, left, right));
  return TRUE;
}

/**
 * init_event_operator_from_variant:
 * @variant: an a(ybsas) as written by init_event_operator_to_variant()
 * @op: (out) (transfer full): the rebuilt tree, NULL for an empty array
 * @error: return location for an INIT_ERROR_INVALID_ARGS error
 *
 * Rebuilds the tree with every leaf unlatched.  Rejects anything that is not exactly one
 * well-formed postfix tree: unknown node types, a leaf without a name, an operator with a name
 * or arguments, too few operands, or operands left over.
 *
 * Returns: TRUE on success.
 */
gboolean
init_event_operator_from_variant (GVariant           *variant,
                                  InitEventOperator **op,
                                  GError            **error)
{
  g_autoptr(GPtrArray) stack = NULL;
  gsize n;

  g_return_val_if_fail (variant != NULL, FALSE);
  g_return_val_if_fail (op != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *op = NULL;
  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (INIT_EVENT_OPERATOR_VARIANT_TYPE)))
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                   _("Expected an operator tree of type '%s', got '%s'"),
                   INIT_EVENT_OPERATOR_VARIANT_TYPE, g_variant_get_type_string (variant));
      return FALSE;
    }

  stack = g_ptr_array_new_with_free_func ((GDestroyNotify) init_event_operator_free);
  n = g_variant_n_children (variant);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) node = g_variant_get_child_value (variant, i);

      if (!push_node (stack, node, i, error))
        return FALSE;
    }

  if (stack->len > 1)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                   _("Operator tree has %u separate parts, expected one"), stack->len);
      return FALSE;
    }

  if (stack->len == 1)
    *op = g_ptr_array_steal_index (stack, 0);
  return TRUE;
}

/**
 * init_event_operator_leaves:
 * @op: (nullable): an operator tree
 *
 * Returns: (transfer container) (element-type InitEventOperator): the MATCH leaves of @op,
 *   left to right, the order in which init_event_operator_to_variant() writes them.
 */
GPtrArray *
init_event_operator_leaves (InitEventOperator *op)
{
  GPtrArray *order = init_event_operator_postfix (op);
  guint n = 0;

  /* Keep the leaves of the postfix walk in place. */
  for (guint i = 0; i < order->len; i++)
    {
      InitEventOperator *node = g_ptr_array_index (order, i);

      if (node->type == INIT_EVENT_OPERATOR_MATCH)
        order->pdata[n++] = node;
    }
  g_ptr_array_set_size (order, n);

  return order;
}
