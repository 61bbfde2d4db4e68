/* init-file-source.c — `file' events from inotify (GFileMonitor), see init-file-source.h */
#define G_LOG_DOMAIN "init-sources"

#include <fnmatch.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "init-file-source.h"
#include "init-source.h"

typedef enum
{
  KIND_FILE,   /* FILE=/dir/name */
  KIND_DIR,    /* FILE=/dir/ */
  KIND_GLOB,   /* FILE=/dir/pattern */
} Kind;

typedef struct
{
  InitFileSource *source;
  char           *file;       /* FILE as the job wrote it */
  Kind            kind;
  InitFileEvents  events;
  char           *target;     /* the directory whose entries matter (DIR: itself) */
  char           *name;       /* KIND_FILE: the full path; KIND_GLOB: the pattern */
  char           *monitored;  /* the directory monitored now: target or its nearest parent */
  GFileMonitor   *monitor;
  GHashTable     *pending;    /* new regular files not yet written and closed (set) */
} Watch;

struct _InitFileSource
{
  InitSource         parent;
  InitFileSourceEmit emit;
  gpointer           user_data;
  GHashTable        *watches;   /* FILE -> Watch */
};

static void watch_rehome (Watch *watch, gboolean force);

static gboolean
has_glob (const char *s)
{
  return strpbrk (s, "*?[]") != NULL;
}

static void
watch_emit (Watch         *watch,
            InitFileEvents what,
            const char    *match)
{
  const char *name = what == INIT_FILE_CREATE ? "create"
                     : what == INIT_FILE_MODIFY ? "modify" : "delete";
  g_autoptr(GPtrArray) env = NULL;

  if (!(watch->events & what))
    return;
  env = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (env, g_strconcat ("FILE=", watch->file, NULL));
  g_ptr_array_add (env, g_strconcat ("EVENT=", name, NULL));
  if (match != NULL)
    g_ptr_array_add (env, g_strconcat ("MATCH=", match, NULL));
  watch->source->emit (env, watch->source->user_data);
}

/* Does an entry at @path concern @watch? */
static gboolean
watch_wants (Watch      *watch,
             const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);

  if (!g_str_equal (dir, watch->target))
    return FALSE;
  switch (watch->kind)
    {
    case KIND_FILE:
      return g_str_equal (path, watch->name);
    case KIND_GLOB:
      return fnmatch (watch->name, base, FNM_PATHNAME) == 0;
    case KIND_DIR:
    default:
      return TRUE;
    }
}

/* An entry @path of the target directory was created, changed or deleted. */
static void
watch_entry (Watch         *watch,
             const char    *path,
             InitFileEvents what)
{
  if (!watch_wants (watch, path))
    return;
  if (watch->kind == KIND_DIR)
    watch_emit (watch, INIT_FILE_MODIFY, path);
  else
    watch_emit (watch, what, watch->kind == KIND_GLOB ? path : NULL);
}

/* What exists now, reported as created (a new watch, or one that reached its directory). */
static void
watch_catch_up (Watch *watch)
{
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  if (!g_str_equal (watch->monitored, watch->target))
    return;
  if (watch->kind == KIND_DIR)
    {
      watch_emit (watch, INIT_FILE_CREATE, NULL);
      return;
    }
  if (watch->kind == KIND_FILE)
    {
      if (g_file_test (watch->name, G_FILE_TEST_EXISTS))
        watch_emit (watch, INIT_FILE_CREATE, NULL);
      return;
    }
  dir = g_dir_open (watch->target, 0, NULL);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    if (fnmatch (watch->name, entry, FNM_PATHNAME) == 0)
      {
        g_autofree char *path = g_build_filename (watch->target, entry, NULL);
        watch_emit (watch, INIT_FILE_CREATE, path);
      }
}

static gboolean
is_regular (const char *path)
{
  struct stat st;

  return lstat (path, &st) == 0 && S_ISREG (st.st_mode);
}

/* An entry event of the target directory, mapped as libnih did: a new regular file counts
 * once it was written and closed. */
static void
watch_target_event (Watch            *watch,
                    const char       *path,
                    const char       *other,
                    GFileMonitorEvent type)
{
  switch (type)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
      if (is_regular (path))
        g_hash_table_add (watch->pending, g_strdup (path));
      else
        watch_entry (watch, path, INIT_FILE_CREATE);
      break;
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      watch_entry (watch, path, g_hash_table_remove (watch->pending, path)
                                  ? INIT_FILE_CREATE : INIT_FILE_MODIFY);
      break;
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      watch_entry (watch, path, INIT_FILE_CREATE);
      break;
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      if (!g_hash_table_remove (watch->pending, path))
        watch_entry (watch, path, INIT_FILE_DELETE);
      break;
    case G_FILE_MONITOR_EVENT_RENAMED:
      if (!g_hash_table_remove (watch->pending, path))
        watch_entry (watch, path, INIT_FILE_DELETE);
      if (other != NULL)
        watch_entry (watch, other, INIT_FILE_CREATE);
      break;
    default:
      break;
    }
}

static void
on_changed (GFileMonitor     *monitor,
            GFile            *file,
            GFile            *other_file,
            GFileMonitorEvent type,
            gpointer          user_data)
{
  Watch *watch = user_data;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *other = other_file != NULL ? g_file_get_path (other_file) : NULL;
  gboolean self = path != NULL && g_str_equal (path, watch->monitored);

  if (path == NULL)
    return;
  /* Watching a parent: something appeared or went; move to the nearest existing one. */
  if (!g_str_equal (watch->monitored, watch->target) || self)
    {
      if (self && watch->kind == KIND_DIR && g_str_equal (watch->monitored, watch->target)
          && (type == G_FILE_MONITOR_EVENT_DELETED || type == G_FILE_MONITOR_EVENT_MOVED_OUT
              || type == G_FILE_MONITOR_EVENT_RENAMED))
        watch_emit (watch, INIT_FILE_DELETE, NULL);
      /* GLib itself follows a monitored directory that is made again and then says it was
       * created: what was made inside meanwhile was never reported, so start afresh. */
      if (type != G_FILE_MONITOR_EVENT_CHANGED && type != G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED
          && type != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
        watch_rehome (watch, self && type == G_FILE_MONITOR_EVENT_CREATED);
      return;
    }
  watch_target_event (watch, path, other, type);
}

static char *
nearest_existing (const char *dir)
{
  char *p = g_strdup (dir);

  while (!g_file_test (p, G_FILE_TEST_IS_DIR) && strcmp (p, "/") != 0)
    {
      char *parent = g_path_get_dirname (p);
      g_free (p);
      p = parent;
    }
  return p;
}

/* Monitor the nearest existing directory on the way to the target; again until stable, so a
 * directory made while we were moving is not missed.  Reaching the target reports what it
 * holds. */
static void
watch_rehome (Watch   *watch,
              gboolean force)
{
  for (guint tries = 0; tries < 64; tries++, force = FALSE)
    {
      g_autofree char *best = nearest_existing (watch->target);
      g_autoptr(GFile) dir = NULL;
      g_autoptr(GError) error = NULL;

      if (watch->monitor != NULL && g_str_equal (best, watch->monitored) && !force)
        return;
      if (watch->monitor != NULL)
        {
          g_signal_handlers_disconnect_by_data (watch->monitor, watch);
          g_file_monitor_cancel (watch->monitor);
          g_clear_object (&watch->monitor);
        }
      g_free (watch->monitored);
      watch->monitored = g_steal_pointer (&best);
      g_hash_table_remove_all (watch->pending);
      dir = g_file_new_for_path (watch->monitored);
      watch->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
      if (watch->monitor == NULL)
        {
          g_warning (_("Cannot watch %s for %s: %s"), watch->monitored, watch->file, error->message);
          return;
        }
      g_signal_connect (watch->monitor, "changed", G_CALLBACK (on_changed), watch);
      watch_catch_up (watch);
    }
}

static void
watch_free (Watch *watch)
{
  if (watch->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (watch->monitor, watch);
      g_file_monitor_cancel (watch->monitor);
      g_object_unref (watch->monitor);
    }
  g_hash_table_unref (watch->pending);
  g_free (watch->file);
  g_free (watch->target);
  g_free (watch->name);
  g_free (watch->monitored);
  g_free (watch);
}

static Watch *
watch_new (InitFileSource *source,
           const char     *file,
           InitFileEvents  events)
{
  Watch *watch = g_new0 (Watch, 1);
  gsize len = strlen (file);

  watch->source = source;
  watch->file = g_strdup (file);
  watch->events = events;
  watch->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (len > 1 && file[len - 1] == '/')
    {
      watch->kind = KIND_DIR;
      watch->target = g_strndup (file, len - 1);
    }
  else
    {
      g_autofree char *base = g_path_get_basename (file);

      watch->target = g_path_get_dirname (file);
      watch->kind = has_glob (base) ? KIND_GLOB : KIND_FILE;
      watch->name = watch->kind == KIND_GLOB ? g_steal_pointer (&base) : g_strdup (file);
    }
  return watch;
}

/* ---- as a source of the registry (init-source.h) ---- */

/* Every `file' leaf into @files (FILE -> events mask, merged). */
static void
file_source_arm (InitSource *parent,
                 GPtrArray  *leaves)
{
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *detail = NULL;
  guint n;

  for (guint i = 0; i < leaves->len; i++)
    {
      const InitSourceLeaf *leaf = g_ptr_array_index (leaves, i);
      InitFileEvents events = 0;
      char *file = init_file_source_parse_leaf (leaf->leaf->args, &events);

      if (file == NULL)
        {
          g_autofree char *text = init_event_operator_to_string (leaf->leaf);
          g_message (_("Cannot watch for %s: FILE must be an absolute path without variables, "
                       "`..' or globs in its directories"), text);
          continue;
        }
      events |= GPOINTER_TO_UINT (g_hash_table_lookup (files, file));
      g_hash_table_insert (files, file, GUINT_TO_POINTER (events));
    }
  init_file_source_set ((InitFileSource *) parent, files);
  n = g_hash_table_size (files);
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u path", "%u paths", n), n);
  init_source_report (parent, n > 0 ? INIT_SOURCE_ACTIVE : INIT_SOURCE_INACTIVE,
                      n > 0 ? detail : NULL);
}

static void
file_source_disarm (InitSource *parent)
{
  g_hash_table_remove_all (((InitFileSource *) parent)->watches);
}

static void
file_source_free (InitSource *parent)
{
  init_file_source_free ((InitFileSource *) parent);
}

static const InitSourceClass file_source_class = {
  file_source_arm, file_source_disarm, file_source_free,
};
static const char *const file_source_events[] = { "file", NULL };

InitFileSource *
init_file_source_new (InitFileSourceEmit emit,
                      gpointer           user_data)
{
  InitFileSource *source = g_new0 (InitFileSource, 1);

  source->parent = (InitSource) { &file_source_class, "file", file_source_events, FALSE };
  source->emit = emit;
  source->user_data = user_data;
  source->watches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) watch_free);
  return source;
}

void
init_file_source_free (InitFileSource *source)
{
  if (source == NULL)
    return;
  g_hash_table_unref (source->watches);
  g_free (source);
}

void
init_file_source_set (InitFileSource *source,
                      GHashTable     *wanted)
{
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GPtrArray) added = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, source->watches);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Watch *watch = value;
      gpointer events;

      if (!g_hash_table_lookup_extended (wanted, key, NULL, &events))
        g_hash_table_iter_remove (&iter);
      else
        watch->events = GPOINTER_TO_UINT (events);
    }
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (source->watches, key))
      {
        Watch *watch = watch_new (source, key, GPOINTER_TO_UINT (value));

        g_hash_table_insert (source->watches, watch->file, watch);
        g_ptr_array_add (added, watch);
      }
  /* Armed after the table is complete: a create event may reach the engine at once. */
  for (guint i = 0; i < added->len; i++)
    watch_rehome (g_ptr_array_index (added, i), FALSE);
}

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
init_file_source_list (InitFileSource *source)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, source->watches);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (list, key);
  g_ptr_array_sort (list, compare_paths);
  return list;
}

const char *
init_file_source_monitored (InitFileSource *source,
                            const char     *file)
{
  Watch *watch = g_hash_table_lookup (source->watches, file);

  return watch != NULL && watch->monitor != NULL ? watch->monitored : NULL;
}

static InitFileEvents
events_from (const char *value)
{
  if (g_strcmp0 (value, "create") == 0)
    return INIT_FILE_CREATE;
  if (g_strcmp0 (value, "modify") == 0)
    return INIT_FILE_MODIFY;
  if (g_strcmp0 (value, "delete") == 0)
    return INIT_FILE_DELETE;
  /* absent or anything else: all three (as Upstart) */
  return INIT_FILE_CREATE | INIT_FILE_MODIFY | INIT_FILE_DELETE;
}

char *
init_file_source_parse_leaf (char *const    *args,
                             InitFileEvents *events)
{
  const char *file = NULL, *event = NULL;
  g_autofree char *dir = NULL;

  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      if (g_str_has_prefix (args[i], "FILE="))
        file = args[i] + 5;
      else if (g_str_has_prefix (args[i], "EVENT="))
        event = args[i] + 6;
      else if (strchr (args[i], '=') == NULL)
        return NULL;   /* positional arguments are not understood (as Upstart) */
    }
  /* The event carries FILE as the job wrote it, so that it matches: only absolute paths
   * without variables, `..' or globs in a directory part can be watched for sure. */
  if (file == NULL || file[0] != '/' || strchr (file, '$') != NULL
      || strstr (file, "/../") != NULL || g_str_has_suffix (file, "/..") || strlen (file) >= 4096)
    return NULL;
  dir = g_path_get_dirname (file);
  if (has_glob (dir))
    return NULL;
  *events = events_from (event);
  return g_strdup (file);
}
