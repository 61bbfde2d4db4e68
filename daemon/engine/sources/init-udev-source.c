/* init-udev-source.c — udev events through libgudev, see init-udev-source.h */
#define G_LOG_DOMAIN "init-sources"

#include <gudev/gudev.h>
#include <string.h>

#include "init-source.h"
#include "init-udev-source.h"

struct _InitUdevSource
{
  InitSource   parent;
  InitEngine  *engine;
  GUdevClient *client;     /* filtered to the subsystems; NULL while none is named */
  char       **subsystems; /* sorted, what the client listens to; NULL while none */
  GHashTable  *names;      /* the event names jobs wait for (set) */
};

char *
init_udev_source_event_name (const char *subsystem,
                             const char *action)
{
  const char *what = g_str_equal (action, "add") ? "added"
                     : g_str_equal (action, "change") ? "changed"
                     : g_str_equal (action, "remove") ? "removed" : action;

  /* A device without subsystem is "(null)-device-…" in Upstart; none reaches us (every
   * client filters by subsystem). */
  return g_strconcat (subsystem, "-device-", what, NULL);
}

char *
init_udev_source_subsystem (const char *event_name)
{
  const char *mark = strstr (event_name, "-device-");

  /* net-device-up/down are ifupdown's in Upstart: the network source has them. */
  if (mark == NULL || mark == event_name || mark[strlen ("-device-")] == '\0'
      || g_str_equal (event_name, "net-device-up") || g_str_equal (event_name, "net-device-down"))
    return NULL;
  return g_strndup (event_name, mark - event_name);
}

/* What upstart-udev-bridge's make_safe_string() leaves of @s: printable or blank ASCII. */
static char *
safe_string (const char *s)
{
  GString *out = g_string_sized_new (strlen (s));

  for (; *s != '\0'; s++)
    if ((*s >= 0x20 && *s < 0x7f) || *s == '\t')
      g_string_append_c (out, *s);
  return g_string_free (out, FALSE);
}

static void
add_var (GPtrArray  *env,
         const char *name,
         const char *value)
{
  g_autofree char *safe_name = NULL;
  g_autofree char *safe_value = NULL;

  if (value == NULL)
    return;
  safe_name = safe_string (name);
  safe_value = safe_string (value);
  g_ptr_array_add (env, g_strconcat (safe_name, "=", safe_value, NULL));
}

/* KERNEL, DEVPATH, DEVNAME, SUBSYSTEM, ACTION, then the other properties in libudev's
 * order (upstart-udev-bridge's udev_monitor_watcher()). */
static GPtrArray *
device_env (GUdevDevice *device,
            const char  *action)
{
  static const char *const first[] = { "DEVPATH", "DEVNAME", "SUBSYSTEM", "ACTION", NULL };
  const char *const *keys = g_udev_device_get_property_keys (device);
  GPtrArray *env = g_ptr_array_new_with_free_func (g_free);

  add_var (env, "KERNEL", g_udev_device_get_name (device));
  add_var (env, "DEVPATH", g_udev_device_get_property (device, "DEVPATH"));
  add_var (env, "DEVNAME", g_udev_device_get_property (device, "DEVNAME"));
  add_var (env, "SUBSYSTEM", g_udev_device_get_subsystem (device));
  add_var (env, "ACTION", action);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (first, keys[i]))
      add_var (env, keys[i], g_udev_device_get_property (device, keys[i]));
  return env;
}

static void
emit_device (InitUdevSource *self,
             GUdevDevice    *device,
             const char     *action)
{
  const char *subsystem = g_udev_device_get_subsystem (device);
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) env = NULL;

  if (action == NULL || subsystem == NULL)
    return;   /* as the bridge: messages without an action are dropped */
  name = init_udev_source_event_name (subsystem, action);
  if (!g_hash_table_contains (self->names, name))
    return;
  env = device_env (device, action);   /* copied by the engine */
  init_engine_emit (self->engine, name, env, NULL, NULL);
}

static void
on_uevent (GUdevClient *client,
           const char  *action,
           GUdevDevice *device,
           gpointer     user_data)
{
  emit_device (user_data, device, action);
}

/* The devices of @subsystem there are now, as if they had just been added. */
static void
replay (InitUdevSource *self,
        const char     *subsystem)
{
  GList *devices = g_udev_client_query_by_subsystem (self->client, subsystem);

  for (GList *l = devices; l != NULL; l = l->next)
    emit_device (self, l->data, "add");
  g_list_free_full (devices, g_object_unref);
}

static void
udev_source_disarm (InitSource *parent)
{
  InitUdevSource *self = (InitUdevSource *) parent;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_pointer (&self->subsystems, g_strfreev);
  g_hash_table_remove_all (self->names);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The subsystems of @names, sorted, NULL-terminated (NULL if none). */
static char **
subsystems_of (GHashTable *names)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (set, init_udev_source_subsystem (key));
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (list, key);
    }
  if (list->len == 0)
    {
      g_ptr_array_unref (list);
      return NULL;
    }
  g_ptr_array_sort (list, compare_strings);
  g_ptr_array_add (list, NULL);
  return (char **) g_ptr_array_free (list, FALSE);
}

static void
udev_source_arm (InitSource *parent,
                 GPtrArray  *leaves)
{
  InitUdevSource *self = (InitUdevSource *) parent;
  g_auto (GStrv) subsystems = NULL;
  g_auto (GStrv) old = NULL;

  g_hash_table_remove_all (self->names);
  for (guint i = 0; i < leaves->len; i++)
    {
      const InitSourceLeaf *leaf = g_ptr_array_index (leaves, i);
      g_autofree char *subsystem = init_udev_source_subsystem (leaf->leaf->name);

      if (subsystem != NULL)
        g_hash_table_add (self->names, g_strdup (leaf->leaf->name));
    }
  subsystems = subsystems_of (self->names);
  if (self->subsystems != NULL && subsystems != NULL
      && g_strv_equal ((const char *const *) self->subsystems,
                       (const char *const *) subsystems))
    return;
  /* The filter is the client's: another set of subsystems needs another client. */
  old = g_steal_pointer (&self->subsystems);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  if (subsystems == NULL)
    return;
  self->client = g_udev_client_new ((const char *const *) subsystems);
  g_signal_connect (self->client, "uevent", G_CALLBACK (on_uevent), self);
  self->subsystems = g_steal_pointer (&subsystems);
  for (guint i = 0; self->subsystems[i] != NULL; i++)
    if (old == NULL || !g_strv_contains ((const char *const *) old, self->subsystems[i]))
      replay (self, self->subsystems[i]);
}

static void
udev_source_free (InitSource *parent)
{
  InitUdevSource *self = (InitUdevSource *) parent;

  udev_source_disarm (parent);
  g_hash_table_unref (self->names);
  g_free (self);
}

static const InitSourceClass udev_source_class = {
  udev_source_arm, udev_source_disarm, udev_source_free,
};
static const char *const udev_source_events[] = { "*-device-*", NULL };

InitUdevSource *
init_udev_source_new (InitEngine *engine)
{
  InitUdevSource *self = g_new0 (InitUdevSource, 1);

  self->parent = (InitSource) { &udev_source_class, "udev", udev_source_events, FALSE };
  self->engine = engine;
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

char **
init_udev_source_list (InitUdevSource *source)
{
  return source->subsystems != NULL ? g_strdupv (source->subsystems) : g_new0 (char *, 1);
}
