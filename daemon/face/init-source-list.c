/* init-source-list.c — EventSources from the registry, see init-source-list.h */
#include "init-source-list.h"

GVariant *
init_source_list_to_variant (InitSources *sources)
{
  g_autoptr(GPtrArray) list = init_sources_list (sources);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssas)"));
  for (guint i = 0; i < list->len; i++)
    {
      const InitSource *source = g_ptr_array_index (list, i);

      g_variant_builder_open (&builder, G_VARIANT_TYPE ("(sssas)"));
      g_variant_builder_add (&builder, "s", source->name);
      g_variant_builder_add (&builder, "s", init_source_state_to_string (source->state));
      g_variant_builder_add (&builder, "s", source->detail);
      g_variant_builder_add_value (&builder,
                                   g_variant_new_strv ((const char *const *) source->jobs->pdata,
                                                       source->jobs->len));
      g_variant_builder_close (&builder);
    }
  return g_variant_builder_end (&builder);
}

typedef struct
{
  InitDBusManager *manager;
  InitSources     *sources;
  guint            idle_id;
} Follower;

static gboolean
update (gpointer user_data)
{
  Follower *follower = user_data;

  follower->idle_id = 0;
  init_dbus_manager_set_event_sources (follower->manager,
                                       init_source_list_to_variant (follower->sources));
  return G_SOURCE_REMOVE;
}

/* Reports come in bursts (a reload re-arms every source): build the value once after. */
static void
on_changed (gpointer user_data)
{
  Follower *follower = user_data;

  if (follower->idle_id == 0)
    follower->idle_id = g_idle_add (update, follower);
}

static void
follower_free (gpointer data,
               GObject *where_the_manager_was)
{
  Follower *follower = data;

  g_clear_handle_id (&follower->idle_id, g_source_remove);
  init_sources_set_changed_func (follower->sources, NULL, NULL);
  g_free (follower);
}

void
init_source_list_follow (InitDBusManager *manager,
                         InitSources     *sources)
{
  Follower *follower = g_new0 (Follower, 1);

  follower->manager = manager;
  follower->sources = sources;
  update (follower);
  init_sources_set_changed_func (sources, on_changed, follower);
  g_object_weak_ref (G_OBJECT (manager), follower_free, follower);
}
