/* initctl-status.c — the status line (Upstart's format), its JSON twin, `status' and `list' */
#define G_LOG_DOMAIN "init-cli"

#include <glib/gi18n.h>
#include <string.h>

#include "init-dbus-generated.h"
#include "initctl.h"

#define JOB_IFACE      "org.example.Init.Job"
#define INSTANCE_IFACE "org.example.Init.Instance"

/* Property lookups that leave the dictionary as it is.  g_variant_lookup() flattens the
 * whole dictionary first (serializes it), which for the tree-form values GDBus builds from a
 * message costs more than everything else `initctl list' does with 5,000 jobs.  Strings
 * returned point into @props, which holds them. */
const char *
initctl_prop_string (GVariant   *props,
                     const char *key,
                     const char *fallback)
{
  g_autoptr(GVariant) value = props != NULL ? g_variant_lookup_value (props, key, NULL) : NULL;

  if (value == NULL
      || !(g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
           || g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH)))
    return fallback;
  return g_variant_get_string (value, NULL);
}

/* A NULL-terminated array (free it, not its strings), empty if missing. */
const char **
initctl_prop_strv (GVariant   *props,
                   const char *key)
{
  g_autoptr(GVariant) value = props != NULL
                              ? g_variant_lookup_value (props, key, G_VARIANT_TYPE_STRING_ARRAY)
                              : NULL;

  if (value == NULL)
    return g_new0 (const char *, 1);
  return g_variant_get_strv (value, NULL);
}

gboolean
initctl_prop_boolean (GVariant   *props,
                      const char *key)
{
  g_autoptr(GVariant) value = props != NULL
                              ? g_variant_lookup_value (props, key, G_VARIANT_TYPE_BOOLEAN)
                              : NULL;

  return value != NULL && g_variant_get_boolean (value);
}

gint64
initctl_prop_int (GVariant   *props,
                  const char *key,
                  gint64      fallback)
{
  g_autoptr(GVariant) value = props != NULL ? g_variant_lookup_value (props, key, NULL) : NULL;

  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (value);
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  return fallback;
}

void
initctl_append_status (GString    *out,
                       const char *job,
                       GVariant   *props)
{
  const char *instance = initctl_prop_string (props, "Name", "");
  g_autoptr(GVariant) processes = NULL;
  gsize n;

  g_string_append (out, job);
  if (instance[0] != '\0')
    g_string_append_printf (out, " (%s)", instance);
  g_string_append_printf (out, " %s/%s", initctl_prop_string (props, "Goal", "stop"),
                          initctl_prop_string (props, "State", "waiting"));

  if (props != NULL)
    processes = g_variant_lookup_value (props, "Processes", G_VARIANT_TYPE ("a(si)"));
  n = processes != NULL ? g_variant_n_children (processes) : 0;
  for (gsize i = 0; i < n; i++)
    {
      const char *name;
      gint32 pid;

      g_variant_get_child (processes, i, "(&si)", &name, &pid);
      if (i > 0)
        g_string_append_printf (out, "\n\t%s process %d", name, pid);
      /* Upstart names the first process unless it is one that only ever runs alone in its
       * state (main, pre-start, post-stop), where the state already says which it is. */
      else if (g_str_equal (name, "main") || g_str_equal (name, "pre-start")
               || g_str_equal (name, "post-stop"))
        g_string_append_printf (out, ", process %d", pid);
      else
        g_string_append_printf (out, ", (%s) process %d", name, pid);
    }
  g_string_append_c (out, '\n');
}

void
initctl_append_status_json (GString    *out,
                            const char *job,
                            GVariant   *props)
{
  g_autoptr(GVariant) processes = NULL;
  gint64 exit_status = initctl_prop_int (props, "ExitStatus", -1);
  gint64 respawn_count = initctl_prop_int (props, "RespawnCount", 0);
  gboolean failed = initctl_prop_boolean (props, "Failed");
  gsize n;

  if (props != NULL)
    processes = g_variant_lookup_value (props, "Processes", G_VARIANT_TYPE ("a(si)"));

  g_string_append (out, "{\"job\":");
  initctl_json_string (out, job);
  g_string_append (out, ",\"instance\":");
  initctl_json_string (out, initctl_prop_string (props, "Name", ""));
  g_string_append (out, ",\"goal\":");
  initctl_json_string (out, initctl_prop_string (props, "Goal", "stop"));
  g_string_append (out, ",\"state\":");
  initctl_json_string (out, initctl_prop_string (props, "State", "waiting"));
  g_string_append (out, ",\"processes\":[");
  n = processes != NULL ? g_variant_n_children (processes) : 0;
  for (gsize i = 0; i < n; i++)
    {
      const char *name;
      gint32 pid;

      g_variant_get_child (processes, i, "(&si)", &name, &pid);
      g_string_append (out, i > 0 ? ",{\"name\":" : "{\"name\":");
      initctl_json_string (out, name);
      g_string_append_printf (out, ",\"pid\":%d}", pid);
    }
  g_string_append_printf (out, "],\"failed\":%s,\"failed_process\":", failed ? "true" : "false");
  initctl_json_string (out, initctl_prop_string (props, "FailedProcess", ""));
  g_string_append_printf (out, ",\"exit_status\":%" G_GINT64_FORMAT ",\"exit_signal\":",
                          exit_status);
  initctl_json_string (out, initctl_prop_string (props, "ExitSignal", ""));
  g_string_append_printf (out, ",\"respawn_count\":%" G_GINT64_FORMAT "}", respawn_count);
}

int
initctl_print_instance (Initctl    *ctl,
                        const char *job,
                        const char *path)
{
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) tree = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (path != NULL)
    {
      props = initctl_get_all (ctl, path, init_dbus_instance_interface_info (), &error);
      if (props == NULL && !initctl_error_is_vanished (error))
        return initctl_report_error (ctl, error);
    }
  /* --tree: read after the status, so it shows at least the processes the line names. */
  if (ctl->tree && props != NULL)
    {
      tree = initctl_get_process_tree (ctl, path, &error);
      if (tree == NULL)
        return initctl_report_error (ctl, error);
    }
  if (ctl->json)
    {
      initctl_append_status_json (out, job, props);
      if (ctl->tree)
        {
          /* One more member for the object: its closing brace moves behind it. */
          g_assert (out->len > 0 && out->str[out->len - 1] == '}');
          g_string_truncate (out, out->len - 1);
          g_string_append (out, ",\"process_tree\":");
          initctl_append_tree_json (out, tree);
          g_string_append_c (out, '}');
        }
      g_string_append_c (out, '\n');
    }
  else
    {
      initctl_append_status (out, job, props);
      if (tree != NULL)
        initctl_append_tree (out, tree);
    }
  initctl_output (ctl, out);
  return INITCTL_EXIT_OK;
}

int
initctl_cmd_status (Initctl *ctl,
                    char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (args[0] == NULL)
    return initctl_usage_error (ctl, _("missing job name"));
  path = initctl_get_instance_path (ctl, args, &error);
  if (path == NULL)
    {
      g_autofree char *name = initctl_error_name (error);

      /* A job that is not running has no instance: Upstart shows it stopped, unless the
       * arguments asked for one instance in particular. */
      if (args[1] != NULL || g_strcmp0 (name, "org.example.Init.Error.UnknownInstance") != 0)
        return initctl_report_error (ctl, error);
    }
  return initctl_print_instance (ctl, args[0], path);
}

/* ---- list ---- */

typedef InitctlJobRow ListRow;

static void
list_row_free (ListRow *row)
{
  g_clear_pointer (&row->job, g_variant_unref);
  g_clear_pointer (&row->instances, g_ptr_array_unref);
  g_free (row);
}

static ListRow *
row_for (GHashTable *rows,
         const char *job_path)
{
  ListRow *row = g_hash_table_lookup (rows, job_path);

  if (row == NULL)
    {
      row = g_new0 (ListRow, 1);
      g_hash_table_insert (rows, (gpointer) job_path, row);
    }
  return row;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const ListRow *ra = *(ListRow *const *) a, *rb = *(ListRow *const *) b;

  return strcmp (ra->name, rb->name);
}

static int
compare_instances (gconstpointer a,
                   gconstpointer b)
{
  GVariant *va = *(GVariant *const *) a, *vb = *(GVariant *const *) b;

  return strcmp (initctl_prop_string (va, "Name", ""), initctl_prop_string (vb, "Name", ""));
}

GPtrArray *
initctl_collect_jobs (GVariant *objects)
{
  g_autoptr(GHashTable) rows = NULL;
  GPtrArray *sorted;
  GVariantIter iter;
  const char *path;
  GVariant *ifaces;

  rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) list_row_free);
  g_variant_iter_init (&iter, objects);
  while (g_variant_iter_next (&iter, "{&o@a{sa{sv}}}", &path, &ifaces))
    {
      GVariant *job = g_variant_lookup_value (ifaces, JOB_IFACE, G_VARIANT_TYPE_VARDICT);
      GVariant *instance = g_variant_lookup_value (ifaces, INSTANCE_IFACE, G_VARIANT_TYPE_VARDICT);

      if (job != NULL)
        {
          ListRow *row = row_for (rows, path);

          g_clear_pointer (&row->job, g_variant_unref);
          row->job = job;
          row->name = initctl_prop_string (job, "Name", NULL);
        }
      if (instance != NULL)
        {
          const char *job_path = initctl_prop_string (instance, "Job", NULL);
          ListRow *row;

          if (job_path == NULL)
            {
              g_variant_unref (instance);
              g_variant_unref (ifaces);
              continue;
            }
          row = row_for (rows, job_path);
          if (row->instances == NULL)
            row->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
          g_ptr_array_add (row->instances, instance);
        }
      g_variant_unref (ifaces);
    }

  sorted = g_ptr_array_new_full (g_hash_table_size (rows), (GDestroyNotify) list_row_free);
  {
    GHashTableIter hiter;
    gpointer value;

    g_hash_table_iter_init (&hiter, rows);
    while (g_hash_table_iter_next (&hiter, NULL, &value))
      {
        ListRow *row = value;

        g_hash_table_iter_steal (&hiter);
        if (row->name == NULL)
          {
            list_row_free (row);
            continue;
          }
        if (row->instances != NULL)
          g_ptr_array_sort (row->instances, compare_instances);
        g_ptr_array_add (sorted, row);
      }
  }
  g_ptr_array_sort (sorted, compare_rows);
  return sorted;
}

/* A ListJobs entry's name, for sorting. */
static int
compare_listed (gconstpointer a,
                gconstpointer b)
{
  const char *na, *nb;

  g_variant_get_child (*(GVariant *const *) a, 0, "&s", &na);
  g_variant_get_child (*(GVariant *const *) b, 0, "&s", &nb);
  return strcmp (na, nb);
}

/* `list': one ListJobs call, whose reply carries only what the list shows (a tenth of
 * GetManagedObjects' size), sorted by job name: the daemon's order is its load order and
 * scripts want a stable one.  Instances come sorted by name. */
int
initctl_cmd_list (Initctl *ctl,
                  char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) jobs = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) out = NULL;
  gsize n_jobs;

  if (args[0] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[0]);
  if (!initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);
  reply = initctl_call (ctl, INITCTL_MANAGER_PATH, init_dbus_manager_interface_info (),
                        "ListJobs", NULL, INITCTL_CALL_NONE, &error);
  if (reply == NULL)
    return initctl_report_error (ctl, error);

  jobs = g_variant_get_child_value (reply, 0);
  n_jobs = g_variant_n_children (jobs);
  rows = g_ptr_array_new_full (n_jobs, (GDestroyNotify) g_variant_unref);
  for (gsize i = 0; i < n_jobs; i++)
    g_ptr_array_add (rows, g_variant_get_child_value (jobs, i));
  g_ptr_array_sort (rows, compare_listed);

  out = g_string_sized_new (64 * (n_jobs + 1));
  if (ctl->json)
    g_string_append_c (out, '[');
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GVariant) instances = NULL;
      const char *name;
      gsize n;

      g_variant_get_child (g_ptr_array_index (rows, i), 0, "&s", &name);
      instances = g_variant_get_child_value (g_ptr_array_index (rows, i), 3);
      n = g_variant_n_children (instances);
      for (gsize j = 0; j < MAX (n, 1); j++)
        {
          g_autoptr(GVariant) props = NULL;

          if (n > 0)
            g_variant_get_child (instances, j, "(&o@a{sv})", NULL, &props);
          if (ctl->json)
            {
              g_string_append (out, out->len > 1 ? ",\n  " : "\n  ");
              initctl_append_status_json (out, name, props);
            }
          else
            initctl_append_status (out, name, props);
        }
    }
  if (ctl->json)
    g_string_append (out, out->len > 1 ? "\n]\n" : "]\n");
  initctl_output (ctl, out);
  return INITCTL_EXIT_OK;
}
