/* init-conf-watch.c — directory monitors and debounced change processing for InitConf
 *
 * One GFileMonitor per watched directory (moves included, so an editor's atomic save
 * arrives as RENAMED from its temporary name).  An event only queues the relative path it
 * names; each path is looked at DEBOUNCE_US after its last event, so the burst of events of
 * one save is handled once.  A new file is looked at when its writer closes it
 * (CHANGES_DONE_HINT), never half-written.
 */
#define G_LOG_DOMAIN "init-conf"

#include <glib/gi18n.h>
#include <string.h>

#include "init-conf-private.h"

#define DEBOUNCE_US (50 * 1000)

typedef enum
{
  CHILD_CREATED,   /* created, perhaps still being written */
  CHILD_DONE,      /* a writer closed it */
  CHILD_APPEARED,  /* moved or renamed into place: complete */
  CHILD_VANISHED,  /* deleted, moved or renamed away */
} ChildChange;

static gboolean on_flush_timeout (gpointer user_data);

void
init_conf_watch_cancel_timer (InitConf *conf)
{
  if (conf->flush_source == NULL)
    return;
  g_source_destroy (conf->flush_source);
  g_clear_pointer (&conf->flush_source, g_source_unref);
}

static void
arm_timer (InitConf *conf,
           guint     ms)
{
  init_conf_watch_cancel_timer (conf);
  /* The thread-default context: the one the monitors deliver their events to. */
  conf->flush_source = g_timeout_source_new (ms);
  g_source_set_callback (conf->flush_source, on_flush_timeout, conf, NULL);
  g_source_set_static_name (conf->flush_source, "[init-conf] flush");
  g_source_attach (conf->flush_source, g_main_context_get_thread_default ());
}

static void
queue_path (InitConfSource *source,
            const char     *relpath)
{
  gint64 *due = g_new (gint64, 1);

  *due = g_get_monotonic_time () + DEBOUNCE_US;
  g_hash_table_replace (source->pending, g_strdup (relpath), due);
  if (source->conf->flush_source == NULL)
    arm_timer (source->conf, DEBOUNCE_US / 1000);
}

static void
queue_child (InitConfWatch *watch,
             GFile         *file,
             ChildChange    change)
{
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *relpath = NULL;

  if (base == NULL || init_conf_name_is_ignored (base))
    return;
  if (watch->reldir[0] == '\0')
    relpath = g_strdup (base);
  else
    relpath = g_strconcat (watch->reldir, "/", base, NULL);

  if (init_conf_name_is_considered (base))
    {
      if (change == CHILD_CREATED)
        return;
    }
  else
    {
      /* Any other name matters only as a directory appearing or going away. */
      if (change == CHILD_DONE)
        return;
      if (change == CHILD_VANISHED && !g_hash_table_contains (watch->source->watches, relpath))
        return;
    }
  queue_path (watch->source, relpath);
}

static void
on_dir_changed (GFileMonitor     *monitor,
                GFile            *file,
                GFile            *other_file,
                GFileMonitorEvent event,
                gpointer          user_data)
{
  InitConfWatch *watch = user_data;

  if (g_file_equal (file, watch->file))
    {
      /* The directory itself was deleted, moved or unmounted: this monitor is dead, even
      * if a directory with the same inode number is in its place by the time we look. */
      if (event != G_FILE_MONITOR_EVENT_CHANGED
          && event != G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED
          && event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
        {
          watch->gone = TRUE;
          queue_path (watch->source, watch->reldir);
        }
      return;
    }

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
      queue_child (watch, file, CHILD_CREATED);
      break;
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      queue_child (watch, file, CHILD_DONE);
      break;
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      queue_child (watch, file, CHILD_APPEARED);
      break;
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      queue_child (watch, file, CHILD_VANISHED);
      break;
    case G_FILE_MONITOR_EVENT_RENAMED:
      /* Match both names: an atomic save renames a temporary name onto "x.conf". */
      queue_child (watch, file, CHILD_VANISHED);
      if (other_file != NULL)
        queue_child (watch, other_file, CHILD_APPEARED);
      break;
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
      queue_path (watch->source, watch->reldir);
      break;
    default:
      /* CHANGED (wait for CHANGES_DONE_HINT), ATTRIBUTE_CHANGED, PRE_UNMOUNT. */
      break;
    }
}

/* Whether @watch (may be NULL) still watches the directory @st describes.  Device and inode
 * alone are not enough: a file system reuses a freed inode number at once, so a directory
 * deleted and re-created between two looks can have the old one's identity. */
gboolean
init_conf_watch_is (InitConfWatch     *watch,
                    const struct stat *st)
{
  return watch != NULL && !watch->gone && watch->dev == st->st_dev && watch->ino == st->st_ino;
}

void
init_conf_watch_free (InitConfWatch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->monitor, watch);
  g_file_monitor_cancel (watch->monitor);
  g_object_unref (watch->monitor);
  g_object_unref (watch->file);
  g_free (watch->reldir);
  g_free (watch);
}

/* Watch @reldir (already open, identity @st), unless the same directory is watched. */
void
init_conf_watch_dir (InitConfSource    *source,
                     const char        *reldir,
                     const struct stat *st)
{
  InitConf *conf = source->conf;
  InitConfWatch *watch = g_hash_table_lookup (source->watches, reldir);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GFileMonitor *monitor;
  GFile *file;

  if (init_conf_watch_is (watch, st))
    {
      watch->seen_gen = conf->generation;
      return;
    }
  g_hash_table_remove (source->watches, reldir);

  path = init_conf_source_abspath (source, reldir);
  file = g_file_new_for_path (path);
  monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (monitor == NULL)
    {
      g_object_unref (file);
      g_prefix_error (&error, _("%s: Unable to watch configuration directory: "), path);
      if (conf->callbacks.error != NULL)
        conf->callbacks.error (path, error, conf->user_data);
      return;
    }

  watch = g_new0 (InitConfWatch, 1);
  watch->source = source;
  watch->reldir = g_strdup (reldir);
  watch->file = file;
  watch->monitor = monitor;
  watch->dev = st->st_dev;
  watch->ino = st->st_ino;
  watch->seen_gen = conf->generation;
  g_signal_connect (monitor, "changed", G_CALLBACK (on_dir_changed), watch);
  g_hash_table_insert (source->watches, g_strdup (reldir), watch);
}

/* Drop monitors of directories the last walk did not see. */
void
init_conf_watch_sweep (InitConfSource *source)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, source->watches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      InitConfWatch *watch = value;

      if (watch->seen_gen != source->conf->generation)
        g_hash_table_iter_remove (&iter);
    }
}

void
init_conf_watch_parent_clear (InitConfSource *source)
{
  if (source->parent_monitor == NULL)
    return;
  g_signal_handlers_disconnect_by_data (source->parent_monitor, source);
  g_file_monitor_cancel (source->parent_monitor);
  g_clear_object (&source->parent_monitor);
  g_clear_pointer (&source->parent_next, g_free);
}

void
init_conf_watch_clear (InitConfSource *source)
{
  g_hash_table_remove_all (source->watches);
  g_hash_table_remove_all (source->pending);
  init_conf_watch_parent_clear (source);
}

static void
on_parent_changed (GFileMonitor     *monitor,
                   GFile            *file,
                   GFile            *other_file,
                   GFileMonitorEvent event,
                   gpointer          user_data)
{
  InitConfSource *source = user_data;
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *other_base = other_file != NULL ? g_file_get_basename (other_file) : NULL;

  if (g_strcmp0 (base, source->parent_next) == 0
      || g_strcmp0 (other_base, source->parent_next) == 0)
    queue_path (source, "");
}

/* The source directory is missing: watch its nearest existing ancestor for the next path
 * component, so the directory is picked up when it (or the path to it) is created. */
void
init_conf_watch_parent (InitConfSource *source)
{
  g_autofree char *dir = g_path_get_dirname (source->path);
  g_autofree char *next = g_path_get_basename (source->path);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  init_conf_watch_parent_clear (source);
  while (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      char *up = g_path_get_dirname (dir);

      g_free (next);
      next = g_path_get_basename (dir);
      if (strcmp (up, dir) == 0)
        {
          g_free (up);
          break;
        }
      g_free (dir);
      dir = up;
    }

  file = g_file_new_for_path (dir);
  source->parent_monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL,
                                                     &error);
  if (source->parent_monitor == NULL)
    {
      g_debug ("%s: cannot watch for %s: %s", dir, source->path, error->message);
      return;
    }
  g_signal_connect (source->parent_monitor, "changed", G_CALLBACK (on_parent_changed), source);
  source->parent_next = g_steal_pointer (&next);

  /* It may have been created between our look and the monitor. */
  expected = g_build_filename (dir, source->parent_next, NULL);
  if (g_file_test (expected, G_FILE_TEST_EXISTS))
    queue_path (source, "");
}

/* Look at the queued paths whose debounce is over (@all: every queued path). */
void
init_conf_watch_process (InitConf *conf,
                         gboolean  all)
{
  g_autoptr(GHashTable) dirty = init_conf_dirty_new ();
  gint64 now = g_get_monotonic_time ();
  gint64 next = G_MAXINT64;

  init_conf_watch_cancel_timer (conf);
  conf->pass++;

  for (guint i = 0; i < conf->sources->len; i++)
    {
      InitConfSource *source = conf->sources->pdata[i];
      g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_free);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, source->pending);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gint64 when = *(gint64 *) value;

          if (!all && when > now)
            {
              next = MIN (next, when);
              continue;
            }
          g_ptr_array_add (due, key);
          g_hash_table_iter_steal (&iter);
          g_free (value);
        }

      /* Parents before children, so a new directory is walked before its entries. */
      g_ptr_array_sort (due, init_conf_compare_strings);
      for (guint j = 0; j < due->len; j++)
        init_conf_note_path (source, due->pdata[j], dirty);
    }

  init_conf_process_dirty (conf, dirty);

  if (next != G_MAXINT64)
    arm_timer (conf, (guint) ((next - now) / 1000) + 1);
}

static gboolean
on_flush_timeout (gpointer user_data)
{
  InitConf *conf = user_data;

  /* The context drops its own reference when we return REMOVE. */
  g_clear_pointer (&conf->flush_source, g_source_unref);
  init_conf_watch_process (conf, FALSE);
  return G_SOURCE_REMOVE;
}
