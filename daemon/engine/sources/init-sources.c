/* init-sources.c — arming event sources from the jobs' conditions, see init-sources.h */
#define G_LOG_DOMAIN "init-sources"

#include <glib/gi18n.h>

#include "init-event-operator.h"
#include "init-file-source.h"
#include "init-sources.h"

struct _InitSources
{
  InitEngine     *engine;
  gulong          handlers[3];
  guint           idle_id;
  InitFileSource *files;
};

static void
emit_file (GPtrArray *env,
           gpointer   user_data)
{
  InitSources *sources = user_data;
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < env->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (env, i)));
  init_engine_emit (sources->engine, "file", copy, NULL, NULL);
}

/* Every `file' leaf of @op into @files (FILE -> events mask, merged). */
static void
collect_files (const InitEventOperator *op,
               GHashTable              *files)
{
  InitFileEvents events = 0;
  char *file;

  if (op == NULL)
    return;
  if (op->type != INIT_EVENT_OPERATOR_MATCH)
    {
      collect_files (op->left, files);
      collect_files (op->right, files);
      return;
    }
  if (!g_str_equal (op->name, "file"))
    return;
  file = init_file_source_parse_leaf (op->args, &events);
  if (file == NULL)
    {
      g_autofree char *text = init_event_operator_to_string (op);
      g_message (_("Cannot watch for %s: FILE must be an absolute path without variables, "
                   "`..' or globs in its directories"), text);
      return;
    }
  events |= GPOINTER_TO_UINT (g_hash_table_lookup (files, file));
  g_hash_table_insert (files, file, GUINT_TO_POINTER (events));
}

void
init_sources_update (InitSources *sources)
{
  g_autoptr(GPtrArray) jobs = init_engine_list (sources->engine);
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_clear_handle_id (&sources->idle_id, g_source_remove);
  for (guint i = 0; i < jobs->len; i++)
    {
      InitJob *job = g_ptr_array_index (jobs, i);

      if (job->deleted || job->klass == NULL)
        continue;
      collect_files (job->klass->start_on, files);
      collect_files (job->klass->stop_on, files);
    }
  init_file_source_set (sources->files, files);
}

static gboolean
update_idle (gpointer user_data)
{
  InitSources *sources = user_data;

  sources->idle_id = 0;
  init_sources_update (sources);
  return G_SOURCE_REMOVE;
}

/* Many jobs change at once on a reload: re-arm once, when they have. */
static void
on_job (InitEngine *engine,
        InitJob    *job,
        gpointer    user_data)
{
  InitSources *sources = user_data;

  if (sources->idle_id == 0)
    sources->idle_id = g_idle_add (update_idle, sources);
}

InitSources *
init_sources_new (InitEngine *engine)
{
  InitSources *sources = g_new0 (InitSources, 1);
  static const char *const signals[] = { "job-added", "job-changed", "job-removed" };

  sources->engine = engine;
  sources->files = init_file_source_new (emit_file, sources);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    sources->handlers[i] = g_signal_connect (engine, signals[i], G_CALLBACK (on_job), sources);
  init_sources_update (sources);
  return sources;
}

void
init_sources_free (InitSources *sources)
{
  if (sources == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (sources->handlers); i++)
    g_signal_handler_disconnect (sources->engine, sources->handlers[i]);
  g_clear_handle_id (&sources->idle_id, g_source_remove);
  init_file_source_free (sources->files);
  g_free (sources);
}

GPtrArray *
init_sources_list_files (InitSources *sources)
{
  return init_file_source_list (sources->files);
}
