/* init-sources.c — arming event sources from the jobs' conditions, see init-sources.h */
#define G_LOG_DOMAIN "init-sources"

#include <glib/gi18n.h>

#include "init-event-operator.h"
#include "init-file-source.h"
#include "init-net-source.h"
#include "init-socket-source.h"
#include "init-sources.h"
#include "init-udev-source.h"

struct _InitSources
{
  InitEngine     *engine;
  gulong          handlers[3];
  guint           idle_id;
  GPtrArray      *all;     /* InitSource *, owned */
  InitFileSource *files;   /* one of them */
  InitUdevSource *udev;    /* one of them */
  void            (*changed) (gpointer user_data);
  gpointer        changed_data;
};

gboolean
init_source_serves (const InitSource *source,
                    const char       *name)
{
  for (guint i = 0; source->events[i] != NULL; i++)
    if (g_pattern_match_simple (source->events[i], name))
      return TRUE;
  return FALSE;
}

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

/* Every leaf of @op naming an event of a source into that source's array in @leaves. */
static void
collect (InitSources             *sources,
         const char              *job,
         const InitEventOperator *op,
         GPtrArray              **leaves)
{
  if (op == NULL)
    return;
  if (op->type != INIT_EVENT_OPERATOR_MATCH)
    {
      collect (sources, job, op->left, leaves);
      collect (sources, job, op->right, leaves);
      return;
    }
  for (guint i = 0; i < sources->all->len; i++)
    if (init_source_serves (g_ptr_array_index (sources->all, i), op->name))
      {
        InitSourceLeaf *leaf = g_new (InitSourceLeaf, 1);

        *leaf = (InitSourceLeaf) { job, op };
        g_ptr_array_add (leaves[i], leaf);
      }
}

static void
notify_changed (InitSources *sources)
{
  if (sources->changed != NULL)
    sources->changed (sources->changed_data);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The jobs of @leaves (InitSourceLeaf *) as @source's, sorted, each once; and the state
* shown before the source reports its own: inactive without leaves, active when it gets its
* first ones; otherwise what it said last stands (a failure until it says otherwise). */
static void
show_jobs (InitSource *source,
           GPtrArray  *leaves)
{
  g_ptr_array_set_size (source->jobs, 0);
  for (guint i = 0; i < leaves->len; i++)
    {
      const InitSourceLeaf *leaf = g_ptr_array_index (leaves, i);

      if (source->jobs->len == 0
          || !g_str_equal (g_ptr_array_index (source->jobs, source->jobs->len - 1), leaf->job))
        g_ptr_array_add (source->jobs, g_strdup (leaf->job));
    }
  g_ptr_array_sort (source->jobs, compare_names);
  if (leaves->len > 0 && source->state != INIT_SOURCE_INACTIVE)
    return;
  source->state = leaves->len > 0 ? INIT_SOURCE_ACTIVE : INIT_SOURCE_INACTIVE;
  g_free (source->detail);
  source->detail = g_strdup ("");
}

void
init_source_report (InitSource     *source,
                    InitSourceState state,
                    const char     *detail)
{
  if (detail == NULL)
    detail = "";
  if (source->state == state && g_strcmp0 (source->detail, detail) == 0)
    return;
  if (state == INIT_SOURCE_FAILED)
    g_warning (_("Event source %s failed: %s"), source->name, detail);
  else if (source->state == INIT_SOURCE_FAILED && state == INIT_SOURCE_ACTIVE)
    g_message (_("Event source %s works again"), source->name);
  source->state = state;
  g_free (source->detail);
  source->detail = g_strdup (detail);
  if (source->registry != NULL)
    notify_changed (source->registry);
}

const char *
init_source_state_to_string (InitSourceState state)
{
  switch (state)
    {
    case INIT_SOURCE_ACTIVE: return "active";
    case INIT_SOURCE_FAILED: return "failed";
    case INIT_SOURCE_INACTIVE:
    default: return "inactive";
    }
}

void
init_sources_set_changed_func (InitSources *sources,
                               void (      *func )(gpointer user_data),
                               gpointer     user_data)
{
  sources->changed = func;
  sources->changed_data = user_data;
}

void
init_sources_update (InitSources *sources)
{
  g_autoptr(GPtrArray) jobs = init_engine_list (sources->engine);
  guint n = sources->all->len;
  g_autofree GPtrArray **leaves = g_new0 (GPtrArray *, n + 1);

  g_clear_handle_id (&sources->idle_id, g_source_remove);
  for (guint i = 0; i < n; i++)
    leaves[i] = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < jobs->len; i++)
    {
      InitJob *job = g_ptr_array_index (jobs, i);

      if (job->deleted || job->klass == NULL)
        continue;
      collect (sources, job->name, job->klass->start_on, leaves);
      collect (sources, job->name, job->klass->stop_on, leaves);
    }
  for (guint i = 0; i < n; i++)
    {
      InitSource *source = g_ptr_array_index (sources->all, i);

      show_jobs (source, leaves[i]);
      if (leaves[i]->len > 0)
        source->klass->arm (source, leaves[i]);
      else if (source->armed)
        source->klass->disarm (source);
      source->armed = leaves[i]->len > 0;
      g_ptr_array_unref (leaves[i]);
    }
  notify_changed (sources);
}

static gboolean
update_idle (gpointer user_data)
{
  InitSources *sources = user_data;

  sources->idle_id = 0;
  init_sources_update (sources);
  return G_SOURCE_REMOVE;
}

static void
update_soon (InitSources *sources)
{
  if (sources->idle_id == 0)
    sources->idle_id = g_idle_add (update_idle, sources);
}

/* Many jobs change at once on a reload: re-arm once, when they have. */
static void
on_job (InitEngine *engine,
        InitJob    *job,
        gpointer    user_data)
{
  update_soon (user_data);
}

static void
source_free (gpointer data)
{
  InitSource *source = data;

  if (source->armed)
    source->klass->disarm (source);
  g_clear_pointer (&source->jobs, g_ptr_array_unref);
  g_clear_pointer (&source->detail, g_free);
  source->klass->free (source);
}

InitSources *
init_sources_new (InitEngine *engine)
{
  InitSources *sources = g_new0 (InitSources, 1);
  static const char *const signals[] = { "job-added", "job-changed", "job-removed" };

  sources->engine = engine;
  sources->all = g_ptr_array_new_with_free_func (source_free);
  sources->files = init_file_source_new (emit_file, sources);
  init_sources_add (sources, (InitSource *) sources->files);
  sources->udev = init_udev_source_new (engine);
  init_sources_add (sources, (InitSource *) sources->udev);
  init_sources_add (sources, (InitSource *) init_socket_source_new (engine));
  init_sources_add (sources, (InitSource *) init_net_source_new (engine));
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    sources->handlers[i] = g_signal_connect (engine, signals[i], G_CALLBACK (on_job), sources);
  init_sources_update (sources);
  return sources;
}

void
init_sources_add (InitSources *sources,
                  InitSource  *source)
{
  g_return_if_fail (source != NULL && source->klass != NULL && source->events != NULL);

  source->armed = FALSE;
  source->registry = sources;
  source->state = INIT_SOURCE_INACTIVE;
  source->detail = g_strdup ("");
  source->jobs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (sources->all, source);
  update_soon (sources);
}

void
init_sources_free (InitSources *sources)
{
  if (sources == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (sources->handlers); i++)
    g_signal_handler_disconnect (sources->engine, sources->handlers[i]);
  g_clear_handle_id (&sources->idle_id, g_source_remove);
  sources->changed = NULL;
  g_ptr_array_unref (sources->all);
  g_free (sources);
}

GPtrArray *
init_sources_list (InitSources *sources)
{
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; i < sources->all->len; i++)
    g_ptr_array_add (list, g_ptr_array_index (sources->all, i));
  return list;
}

GPtrArray *
init_sources_list_files (InitSources *sources)
{
  return init_file_source_list (sources->files);
}

char **
init_sources_list_subsystems (InitSources *sources)
{
  return init_udev_source_list (sources->udev);
}
