/* initctl-tree.c — an instance's process tree (`status --tree'), as text and JSON */
#define G_LOG_DOMAIN "init-cli"

#include "init-dbus-generated.h"
#include "initctl.h"

GVariant *
initctl_get_process_tree (Initctl    *ctl,
                          const char *path,
                          GError    **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) local = NULL;

  reply = initctl_call (ctl, path, init_dbus_instance_interface_info (), "GetProcessTree",
                        NULL, INITCTL_CALL_NONE, &local);
  if (reply == NULL && initctl_error_is_vanished (local))
    return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("(iiss)"), NULL, 0));
  if (reply == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_variant_get_child_value (reply, 0);
}

typedef struct
{
  gint32      pid;
  gint32      ppid;
  const char *role;      /* points into the reply */
  const char *command;
  int         depth;
} Node;

/* The processes of @tree in display order: each process the instance started (in the
 * daemon's order, main first), every descendant after its parent, siblings by the daemon's
 * order (pid).  A process whose parent is not in the tree (an orphan the daemon adopted as
 * subreaper) is a root too. */
static GArray *
flatten (GVariant *tree)
{
  gsize n = tree != NULL ? g_variant_n_children (tree) : 0;
  g_autoptr(GArray) nodes = g_array_sized_new (FALSE, TRUE, sizeof (Node), n);
  g_autoptr(GHashTable) by_pid = g_hash_table_new (NULL, NULL);
  g_autofree gboolean *placed = g_new0 (gboolean, n + 1);
  GArray *order = g_array_sized_new (FALSE, TRUE, sizeof (Node), n);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));

  for (gsize i = 0; i < n; i++)
    {
      Node node = { 0 };

      g_variant_get_child (tree, i, "(ii&s&s)", &node.pid, &node.ppid, &node.role,
                           &node.command);
      g_array_append_val (nodes, node);
      g_hash_table_insert (by_pid, GINT_TO_POINTER (node.pid), GUINT_TO_POINTER (i + 1));
    }

  /* Depth-first from each root; a process is placed once, so even a (never seen) cycle in
   * the parent links ends. */
  for (guint root = 0; root < nodes->len; root++)
    {
      Node *r = &g_array_index (nodes, Node, root);
      guint parent = GPOINTER_TO_UINT (g_hash_table_lookup (by_pid, GINT_TO_POINTER (r->ppid)));

      if (placed[root] || (parent != 0 && parent - 1 != root && r->role[0] == '\0'))
        continue;
      r->depth = 0;
      placed[root] = TRUE;
      g_array_set_size (stack, 0);
      g_array_append_val (stack, root);
      while (stack->len > 0)
        {
          guint at = g_array_index (stack, guint, stack->len - 1);
          Node *node = &g_array_index (nodes, Node, at);

          g_array_set_size (stack, stack->len - 1);
          g_array_append_val (order, *node);
          /* Children pushed last-first so they come out in the daemon's order. */
          for (guint c = nodes->len; c-- > 0;)
            {
              Node *child = &g_array_index (nodes, Node, c);

              if (!placed[c] && child->ppid == node->pid && child->role[0] == '\0')
                {
                  child->depth = node->depth + 1;
                  placed[c] = TRUE;
                  g_array_append_val (stack, c);
                }
            }
        }
    }
  /* Whatever a cycle kept from being reached from a root. */
  for (guint i = 0; i < nodes->len; i++)
    if (!placed[i])
      {
        g_array_index (nodes, Node, i).depth = 0;
        g_array_append_val (order, g_array_index (nodes, Node, i));
      }
  return order;
}

void
initctl_append_tree (GString  *out,
                     GVariant *tree)
{
  g_autoptr(GArray) order = flatten (tree);

  for (guint i = 0; i < order->len; i++)
    {
      const Node *node = &g_array_index (order, Node, i);

      g_string_append_printf (out, "%*s%d ", 4 + 2 * node->depth, "", node->pid);
      if (node->role[0] != '\0')
        g_string_append_printf (out, "%s ", node->role);
      g_string_append (out, node->command);
      g_string_append_c (out, '\n');
    }
}

void
initctl_append_tree_json (GString  *out,
                          GVariant *tree)
{
  g_autoptr(GArray) order = flatten (tree);

  g_string_append_c (out, '[');
  for (guint i = 0; i < order->len; i++)
    {
      const Node *node = &g_array_index (order, Node, i);

      g_string_append_printf (out, "%s{\"pid\":%d,\"ppid\":%d,\"role\":", i > 0 ? "," : "",
                              node->pid, node->ppid);
      initctl_json_string (out, node->role);
      g_string_append (out, ",\"command\":");
      initctl_json_string (out, node->command);
      g_string_append_printf (out, ",\"depth\":%d}", node->depth);
    }
  g_string_append_c (out, ']');
}
