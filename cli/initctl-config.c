/* initctl-config.c — show-config and check-config (Upstart's layout and algorithm, §6.5, §6.6)
 *
 * Both work from the StartOnTree/StopOnTree properties: the expression in post-order, a leaf
 * being [event, args…] and an operator ["/AND"] or ["/OR"].  Like Upstart's initctl, the
 * bracketed text is rebuilt here from the tree rather than taken from the daemon.
 */
#define G_LOG_DOMAIN "init-cli"

#include <fnmatch.h>
#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-generated.h"
#include "initctl.h"

typedef struct Node Node;
struct Node
{
  const char **leaf;      /* event, args… (points into the property); NULL for an operator */
  gboolean     is_and;
  Node        *left;
  Node        *right;
  gboolean     value;     /* check-config: is this subtree satisfied? */
};

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  node_free (node->left);
  node_free (node->right);
  g_free (node->leaf);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Node, node_free)

/* The tree of an `aas' post-order property; NULL if it is empty (or malformed). */
static Node *
tree_from_rpn (GVariant *rpn)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  gsize n = rpn != NULL ? g_variant_n_children (rpn) : 0;

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (rpn, i);
      g_autofree const char **strv = g_variant_get_strv (entry, NULL);
      Node *node;

      if (strv[0] == NULL)
        return NULL;
      node = g_new0 (Node, 1);
      if (g_str_equal (strv[0], "/AND") || g_str_equal (strv[0], "/OR"))
        {
          if (stack->len < 2)
            {
              g_free (node);
              return NULL;
            }
          node->is_and = g_str_equal (strv[0], "/AND");
          node->right = g_ptr_array_steal_index (stack, stack->len - 1);
          node->left = g_ptr_array_steal_index (stack, stack->len - 1);
        }
      else
        node->leaf = g_steal_pointer (&strv);
      g_ptr_array_add (stack, node);
    }
  if (stack->len != 1)
    return NULL;
  return g_ptr_array_steal_index (stack, 0);
}

static void
collapse (GString    *out,
          const Node *node)
{
  if (node->leaf != NULL)
    {
      for (guint i = 0; node->leaf[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          g_string_append (out, node->leaf[i]);
        }
      return;
    }
  g_string_append_c (out, '(');
  collapse (out, node->left);
  g_string_append (out, node->is_and ? " and " : " or ");
  collapse (out, node->right);
  g_string_append_c (out, ')');
}

static gboolean
is_job_event (const char *name)
{
  return g_str_equal (name, "starting") || g_str_equal (name, "started")
         || g_str_equal (name, "stopping") || g_str_equal (name, "stopped");
}

/* For a job event, the job it names: its first argument when that is positional (the
 * event's first variable is JOB), or the value of JOB=.  @env gets the other arguments. */
static const char *
leaf_job (const Node *leaf,
          GPtrArray  *env)
{
  const char *job = NULL;
  gboolean job_event = is_job_event (leaf->leaf[0]);

  for (guint i = 1; leaf->leaf[i] != NULL; i++)
    {
      const char *arg = leaf->leaf[i];

      if (job_event && job == NULL && i == 1 && strchr (arg, '=') == NULL)
        job = arg;
      else if (job_event && job == NULL && g_str_has_prefix (arg, "JOB="))
        job = arg + 4;
      else if (env != NULL)
        g_ptr_array_add (env, (char *) arg);
    }
  return job;
}

static void
collect_leaves (const Node *node,
                GPtrArray  *leaves)
{
  if (node == NULL)
    return;
  if (node->leaf != NULL)
    {
      g_ptr_array_add (leaves, (gpointer) node);
      return;
    }
  collect_leaves (node->left, leaves);
  collect_leaves (node->right, leaves);
}

/* ---- show-config ---- */

static void
show_condition (GString    *out,
                const char *label,
                GVariant   *rpn,
                gboolean    enumerate)
{
  g_autoptr(Node) tree = tree_from_rpn (rpn);
  g_autoptr(GPtrArray) leaves = NULL;

  if (tree == NULL)
    return;
  if (!enumerate)
    {
      g_string_append_printf (out, "  %s ", label);
      collapse (out, tree);
      g_string_append_c (out, '\n');
      return;
    }
  leaves = g_ptr_array_new ();
  collect_leaves (tree, leaves);
  for (guint i = 0; i < leaves->len; i++)
    {
      const Node *leaf = g_ptr_array_index (leaves, i);
      g_autoptr(GPtrArray) env = g_ptr_array_new ();
      const char *job = leaf_job (leaf, env);

      g_string_append_printf (out, "  %s %s (job:%s%s, env:", label, leaf->leaf[0],
                              job != NULL ? " " : "", job != NULL ? job : "");
      for (guint j = 0; j < env->len; j++)
        g_string_append_printf (out, " %s", (char *) g_ptr_array_index (env, j));
      g_string_append (out, ")\n");
    }
}

static void
show_condition_json (GString    *out,
                     const char *key,
                     GVariant   *rpn)
{
  g_autoptr(Node) tree = tree_from_rpn (rpn);
  g_autoptr(GPtrArray) leaves = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  if (tree != NULL)
    {
      collapse (text, tree);
      collect_leaves (tree, leaves);
    }
  g_string_append_printf (out, ",\"%s\":", key);
  initctl_json_string (out, text->str);
  g_string_append_printf (out, ",\"%s_events\":[", key);
  for (guint i = 0; i < leaves->len; i++)
    {
      const Node *leaf = g_ptr_array_index (leaves, i);
      g_autoptr(GPtrArray) env = g_ptr_array_new ();
      const char *job = leaf_job (leaf, env);

      g_ptr_array_add (env, NULL);
      g_string_append (out, i > 0 ? ",{\"event\":" : "{\"event\":");
      initctl_json_string (out, leaf->leaf[0]);
      g_string_append (out, ",\"job\":");
      initctl_json_string (out, job != NULL ? job : "");
      g_string_append (out, ",\"env\":");
      initctl_json_strv (out, (const char *const *) env->pdata);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

static void
json_member_string (GString    *out,
                    GVariant   *props,
                    const char *property,
                    const char *key)
{
  g_string_append_printf (out, ",\"%s\":", key);
  initctl_json_string (out, initctl_prop_string (props, property, ""));
}

static void
show_job (Initctl  *ctl,
          GString  *out,
          GVariant *props)
{
  g_autoptr(GVariant) start_on = NULL;
  g_autoptr(GVariant) stop_on = NULL;
  g_autofree const char **emits = initctl_prop_strv (props, "Emits");
  const char *name = initctl_prop_string (props, "Name", "");

  start_on = g_variant_lookup_value (props, "StartOnTree", G_VARIANT_TYPE ("aas"));
  stop_on = g_variant_lookup_value (props, "StopOnTree", G_VARIANT_TYPE ("aas"));

  if (!ctl->json)
    {
      g_string_append_printf (out, "%s\n", name);
      for (guint i = 0; emits[i] != NULL; i++)
        g_string_append_printf (out, "  emits %s\n", emits[i]);
      show_condition (out, "start on", start_on, ctl->enumerate);
      show_condition (out, "stop on", stop_on, ctl->enumerate);
      return;
    }

  g_string_append (out, "{\"name\":");
  initctl_json_string (out, name);
  json_member_string (out, props, "Description", "description");
  json_member_string (out, props, "ConfigFile", "config_file");
  json_member_string (out, props, "InstancePattern", "instance");
  g_string_append_printf (out, ",\"task\":%s,\"emits\":",
                          initctl_prop_boolean (props, "Task") ? "true" : "false");
  initctl_json_strv (out, emits);
  show_condition_json (out, "start_on", start_on);
  show_condition_json (out, "stop_on", stop_on);
  g_string_append_c (out, '}');
}

int
initctl_cmd_show_config (Initctl *ctl,
                         char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GVariant) objects = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  if (args[0] != NULL && args[1] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[1]);
  if (!initctl_check_utf8 (args, &error) || !initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);

  if (ctl->json)
    g_string_append_c (out, '[');
  if (args[0] != NULL)
    {
      g_autofree char *path = initctl_get_job_path (ctl, args[0], &error);
      g_autoptr(GVariant) props = NULL;

      if (path == NULL)
        return initctl_report_error (ctl, error);
      props = initctl_get_all (ctl, path, init_dbus_job_interface_info (), &error);
      if (props == NULL)
        return initctl_report_error (ctl, error);
      if (ctl->json)
        g_string_append (out, "\n  ");
      show_job (ctl, out, props);
    }
  else
    {
      objects = initctl_get_managed_objects (ctl, &error);
      if (objects == NULL)
        return initctl_report_error (ctl, error);
      rows = initctl_collect_jobs (objects);
      for (guint i = 0; i < rows->len; i++)
        {
          InitctlJobRow *row = g_ptr_array_index (rows, i);

          if (ctl->json)
            g_string_append (out, i > 0 ? ",\n  " : "\n  ");
          show_job (ctl, out, row->job);
        }
    }
  if (ctl->json)
    g_string_append (out, out->len > 1 ? "\n]\n" : "]\n");
  initctl_output (ctl, out);
  return INITCTL_EXIT_OK;
}

/* ---- check-config ---- */

typedef struct
{
  GHashTable *jobs;       /* known job names (set) */
  GPtrArray  *emits;      /* every `emits' pattern */
  GHashTable *known;      /* built-in and ignored events (set) */
  gboolean    warn;
} Checker;

static gboolean
event_known (Checker    *checker,
             const char *event)
{
  if (g_hash_table_contains (checker->known, event))
    return TRUE;
  for (guint i = 0; i < checker->emits->len; i++)
    if (fnmatch (g_ptr_array_index (checker->emits, i), event, 0) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
leaf_ok (Checker    *checker,
         const Node *leaf)
{
  const char *job;

  if (!event_known (checker, leaf->leaf[0]))
    return FALSE;
  job = leaf_job (leaf, NULL);
  /* A variable stands for a job we cannot know; it is accepted, as Upstart does. */
  return job == NULL || job[0] == '$' || g_hash_table_contains (checker->jobs, job);
}

static gboolean
evaluate (Checker *checker,
          Node    *node)
{
  if (node->leaf != NULL)
    node->value = leaf_ok (checker, node);
  else
    {
      gboolean left = evaluate (checker, node->left);
      gboolean right = evaluate (checker, node->right);

      /* With --warn an `or' is as strict as an `and': every branch must be reachable. */
      node->value = node->is_and || checker->warn ? left && right : left || right;
    }
  return node->value;
}

/* Upstart's tree holds each operator's right-hand operand as its first child, and its
 * check walks that tree: so here the right-hand side comes first, for the same output. */
static const Node *
first_unsatisfied (const Node *node,
                   gboolean    is_root)
{
  const Node *found;

  /* Only operators (and the root) are examined; a leaf reports through its parent. */
  if (node->leaf != NULL)
    return is_root && !node->value ? node : NULL;
  if (!node->value)
    return node;
  found = first_unsatisfied (node->right, FALSE);
  return found != NULL ? found : first_unsatisfied (node->left, FALSE);
}

static void
print_unreachable (Checker    *checker,
                   GString    *out,
                   const char *label,
                   const Node *node)
{
  const char *job;

  if (node->leaf == NULL)
    {
      print_unreachable (checker, out, label, node->right);
      print_unreachable (checker, out, label, node->left);
      return;
    }
  if (!event_known (checker, node->leaf[0]))
    g_string_append_printf (out, "  %s: unknown event %s\n", label, node->leaf[0]);
  job = leaf_job (node, NULL);
  if (job != NULL && job[0] != '$' && !g_hash_table_contains (checker->jobs, job))
    g_string_append_printf (out, "  %s: unknown job %s\n", label, job);
}

/* Upstart's algorithm (reference §6.6): the first operator, from the top, that cannot be
 * satisfied — even when another branch can, so the whole condition may still be — is
 * reported with every unknown event and job beneath it.  Prints the job's name (once);
 * returns whether nothing was reported. */
static gboolean
check_condition (Checker    *checker,
                 GString    *out,
                 const char *name,
                 const char *label,
                 GVariant   *rpn,
                 gboolean   *name_shown)
{
  g_autoptr(Node) tree = tree_from_rpn (rpn);
  const Node *failing;

  if (tree == NULL)
    return TRUE;
  evaluate (checker, tree);
  failing = first_unsatisfied (tree, TRUE);
  if (failing == NULL)
    return TRUE;
  if (!*name_shown)
    {
      g_string_append_printf (out, "%s\n", name);
      *name_shown = TRUE;
    }
  print_unreachable (checker, out, label, failing);
  return FALSE;
}

static const char *const builtin_events[] = {
  "startup", "debug", "control-alt-delete", "keyboard-request", "power-status-changed",
  "starting", "started", "stopping", "stopped", NULL
};

/* `check-config --file FILE': the daemon's ValidateJob on a file not yet installed, printed
 * as compilers do ("FILE:LINE:COLUMN: error: MESSAGE", then the suggestion as a note), so
 * editors can jump to each line.  Exit status 1 if anything was found. */
static int
check_file (Initctl    *ctl,
            const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *base = g_path_get_basename (file);
  const char *severity, *message, *suggestion;
  guint32 line, column;
  gsize len;

  if (!g_file_get_contents (file, &text, &len, &error))
    return initctl_report_error (ctl, error);
  if (!g_utf8_validate_len (text, len, NULL))
    {
      initctl_error (ctl, _("%s: not UTF-8 text"), file);
      return INITCTL_EXIT_FAILURE;
    }
  if (g_str_has_suffix (base, ".conf"))
    base[strlen (base) - strlen (".conf")] = '\0';
  if (!initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  reply = initctl_call (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                        "ValidateJob", g_variant_new ("(ss)", base, text), INITCTL_CALL_NONE,
                        &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);
  g_variant_get (reply, "(a(uusss))", &iter);
  while (g_variant_iter_next (iter, "(uu&s&s&s)", &line, &column, &severity, &message,
                              &suggestion))
    {
      g_string_append_printf (out, "%s:%u:%u: %s: %s\n", file, line, column,
                              g_str_equal (severity, "error") ? _("error") : _("warning"),
                              message);
      if (suggestion[0] != '\0')
        g_string_append_printf (out, "%s:%u:%u: %s: %s\n", file, line, column, _("note"),
                                suggestion);
    }
  initctl_output (ctl, out);
  return g_variant_iter_n_children (iter) > 0 ? INITCTL_EXIT_FAILURE : INITCTL_EXIT_OK;
}

/* The events no job needs to emit into @known: the daemon's own (and session-end in a
 * session), and those --ignore-events names.  Returns the split names @known points into. */
static GStrv
add_known_events (Initctl    *ctl,
                  GHashTable *known,
                  GVariant   *mode)
{
  GStrv ignored = NULL;

  for (guint i = 0; builtin_events[i] != NULL; i++)
    g_hash_table_add (known, (char *) builtin_events[i]);
  if (g_variant_is_of_type (mode, G_VARIANT_TYPE_STRING)
      && g_str_equal (g_variant_get_string (mode, NULL), "session"))
    g_hash_table_add (known, "session-end");
  if (ctl->ignore_events != NULL)
    {
      ignored = g_strsplit (ctl->ignore_events, ",", -1);
      for (guint i = 0; ignored[i] != NULL; i++)
        if (ignored[i][0] != '\0')
          g_hash_table_add (known, ignored[i]);
    }
  return ignored;
}

int
initctl_cmd_check_config (Initctl *ctl,
                          char   **args)
{
  if (ctl->check_file != NULL)
    {
      if (args[0] != NULL)
        return initctl_usage_error (ctl, _("unexpected argument: %s"), args[0]);
      return check_file (ctl, ctl->check_file);
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) objects = NULL;
  g_autoptr(GVariant) mode = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) jobs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) emits = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto (GStrv) ignored = NULL;
  Checker checker = { jobs, emits, known, ctl->warn };
  gboolean ok = TRUE, found = FALSE;

  if (args[0] != NULL && args[1] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[1]);
  if (!initctl_check_utf8 (args, &error) || !initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);

  /* Unlike Upstart, a configuration that cannot be read is a failed check. */
  objects = initctl_get_managed_objects (ctl, &error);
  if (objects == NULL)
    return initctl_report_error (ctl, error);
  mode = initctl_get_property (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                               "Mode", &error);
  if (mode == NULL)
    return initctl_report_error (ctl, error);

  ignored = add_known_events (ctl, known, mode);

  rows = initctl_collect_jobs (objects);
  for (guint i = 0; i < rows->len; i++)
    {
      InitctlJobRow *row = g_ptr_array_index (rows, i);
      g_autofree const char **job_emits = initctl_prop_strv (row->job, "Emits");

      g_hash_table_add (jobs, (char *) row->name);
      for (guint j = 0; job_emits[j] != NULL; j++)
        g_ptr_array_add (emits, g_strdup (job_emits[j]));
    }

  for (guint i = 0; i < rows->len; i++)
    {
      InitctlJobRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GVariant) start_on = NULL;
      g_autoptr(GVariant) stop_on = NULL;
      gboolean shown = FALSE;

      if (args[0] != NULL && !g_str_equal (args[0], row->name))
        continue;
      found = TRUE;
      start_on = g_variant_lookup_value (row->job, "StartOnTree", G_VARIANT_TYPE ("aas"));
      stop_on = g_variant_lookup_value (row->job, "StopOnTree", G_VARIANT_TYPE ("aas"));
      ok &= check_condition (&checker, out, row->name, "start on", start_on, &shown);
      ok &= check_condition (&checker, out, row->name, "stop on", stop_on, &shown);
    }
  if (args[0] != NULL && !found)
    {
      initctl_error (ctl, _("Invalid job class: %s"), args[0]);
      return INITCTL_EXIT_UNKNOWN_JOB;
    }
  initctl_output (ctl, out);
  return ok ? INITCTL_EXIT_OK : INITCTL_EXIT_FAILURE;
}
