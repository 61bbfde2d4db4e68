/* init-state-file.c — what runs, kept on disk for a restart after a crash */
#define G_LOG_DOMAIN "init-engine"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "init-error.h"
#include "init-crash-recovery.h"
#include "init-instance.h"
#include "init-engine-save.h"

struct _InitStateFile
{
  InitEngine *engine;
  char       *path;
  char       *tmp_path;
  guint       idle;
  guint       n_writes;
  gulong      handlers[3];
  /* InitInstance* (ref) -> its saved form (GVariant, NULL: to be saved again).  Only instances
   * that changed are saved again on a write; the file is put together from these. */
  GHashTable *saved;
  GHashTable *entries;      /* job name (owned) -> its part of the file (GVariant), NULL: dirty */
  GHashTable *written_pids; /* InitInstance* (borrowed; removed with it) -> pid_t[INIT_PROCESS_N] */
  guint       delayed;      /* a write for changes that can wait a little */
  GBytes     *written;      /* what the file holds (NULL: not written yet) */
};

/* Changes that start or end processes are written at once: a process missing from the file
 * would be started a second time after a crash.  Other changes (goals, states) are
 * gathered for this long. */
#define STATE_FILE_DELAY_MS 100

char *
init_crash_recovery_default_path (gboolean           user_mode,
                                  const char        *bus_address,
                                  const char *const *conf_dirs)
{
  g_autoptr(GChecksum) sum = NULL;
  g_autofree char *name = NULL;

  if (!user_mode)
    return g_strdup ("/run/init/state");
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  if (bus_address != NULL)
    g_checksum_update (sum, (const guchar *) bus_address, -1);
  for (guint i = 0; conf_dirs != NULL && conf_dirs[i] != NULL; i++)
    {
      g_checksum_update (sum, (const guchar *) "\n", 1);
      g_checksum_update (sum, (const guchar *) conf_dirs[i], -1);
    }
  name = g_strdup_printf ("state-%.16s", g_checksum_get_string (sum));
  return g_build_filename (g_get_user_runtime_dir (), "init", name, NULL);
}

static void
variant_unref0 (gpointer variant)
{
  if (variant != NULL)
    g_variant_unref (variant);
}

/* One job's part of the minimal engine state: {name, instances}, from the saved
 * instances (saved again where they changed).  NULL if it has no instance left. */
static GVariant *
state_file_entry (InitCrashRecovery *file,
                  const char        *name)
{
  InitJob *entry = init_engine_lookup (file->engine, name);
  g_autoptr(GPtrArray) instances = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer job;
  GVariantDict dict;
  GVariant *saved;

  if (entry == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, entry->instances);
  while (g_hash_table_iter_next (&iter, NULL, &job))
    {
      GVariant *value;

      if (!g_hash_table_lookup_extended (file->saved, job, NULL, (gpointer *) &value))
        continue;
      if (value == NULL)
        {
          value = g_variant_ref_sink (init_instance_save (job, NULL, TRUE));
          g_hash_table_insert (file->saved, init_instance_ref (job), value);
        }
      g_ptr_array_add (instances, value);
    }
  if (instances->len == 0)
    return NULL;
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", name);
  g_variant_dict_insert_value (&dict, "instances",
                               g_variant_new_array (G_VARIANT_TYPE_VARDICT,
                                                    (GVariant **) instances->pdata, instances->len));
  saved = g_variant_ref_sink (g_variant_dict_end (&dict));
  /* Serialised once now: each write then copies its bytes instead of walking it. */
  (void) g_variant_get_data (saved);
  return saved;
}

/* The minimal engine state (init-state.h): only jobs whose instances changed are put
 * together again. */
static GVariant *
state_file_engine (InitCrashRecovery *file)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  GVariantDict dict;

  g_hash_table_iter_init (&iter, file->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (value == NULL)
        {
          value = state_file_entry (file, key);
          if (value == NULL)
            {
              g_hash_table_iter_remove (&iter);
              continue;
            }
          g_hash_table_iter_replace (&iter, value);
        }
      g_ptr_array_add (parts, value);
    }
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "minimal", "b", TRUE);
  g_variant_dict_insert_value (&dict, "entries",
                               g_variant_new_array (G_VARIANT_TYPE_VARDICT,
                                                    (GVariant **) parts->pdata, parts->len));
  return g_variant_dict_end (&dict);
}

/* @bytes to the temporary file, renamed over the file.  Its directory is made only when it is
 * missing (not at every write: that was two system calls per process started and ended). */
static gboolean
state_file_put (InitCrashRecovery *file,
                GBytes            *bytes,
                GError           **error)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);
  g_autoptr(GError) missing = NULL;

  if (!g_file_set_contents_full (file->tmp_path, data, size, G_FILE_SET_CONTENTS_NONE, 0600,
                                 &missing))
    {
      g_autofree char *dir = g_path_get_dirname (file->path);

      if (!g_error_matches (missing, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&missing));
          return FALSE;
        }
      if (g_mkdir_with_parents (dir, 0700) < 0
          || !g_file_set_contents_full (file->tmp_path, data, size, G_FILE_SET_CONTENTS_NONE,
                                        0600, error))
        return FALSE;
    }
  if (g_rename (file->tmp_path, file->path) < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s", g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
state_file_write (InitCrashRecovery *file)
{
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "version", "u", (guint32) INIT_STATE_VERSION);
  g_variant_dict_insert (&dict, "writer", "s", PACKAGE_VERSION);
  g_variant_dict_insert (&dict, "pid", "i", (gint32) getpid ());
  g_variant_dict_insert_value (&dict, "engine", state_file_engine (file));
  state = g_variant_ref_sink (g_variant_dict_end (&dict));

  bytes = g_variant_get_data_as_bytes (state);
  /* What the file holds already: a task that started and ended before the write came round
   * leaves the file as it was (most task runs: no rename at all). */
  if (file->written != NULL && g_bytes_equal (bytes, file->written))
    return;
  /* Written to a temporary file and renamed over it, so a crash in the middle leaves the
   * previous version.  No fsync: the file has to outlive the daemon, not the machine (it
   * lives on a tmpfs), and the page cache survives a crashed process. */
  g_clear_pointer (&file->written, g_bytes_unref);
  if (!state_file_put (file, bytes, &error))
    {
      g_debug ("Cannot write %s: %s", file->path, error->message);
      return;
    }
  file->written = g_steal_pointer (&bytes);
  file->n_writes++;
}

static gboolean
state_file_idle_cb (gpointer user_data)
{
  InitCrashRecovery *file = user_data;

  file->idle = 0;
  g_clear_handle_id (&file->delayed, g_source_remove);
  state_file_write (file);
  return G_SOURCE_REMOVE;
}

static gboolean
state_file_delayed_cb (gpointer user_data)
{
  InitCrashRecovery *file = user_data;

  file->delayed = 0;
  if (file->idle == 0)
    state_file_write (file);
  return G_SOURCE_REMOVE;
}

static void
schedule_write (InitCrashRecovery *file,
                gboolean           urgent)
{
  /* High priority: the file is current before the next event or client call is handled. */
  if (urgent && file->idle == 0)
    file->idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, state_file_idle_cb, file, NULL);
  else if (!urgent && file->idle == 0 && file->delayed == 0)
    file->delayed = g_timeout_add (STATE_FILE_DELAY_MS, state_file_delayed_cb, file);
}

static void
on_instance_removed (InitEngine *engine,
                     gpointer    job,
                     gpointer    user_data)
{
  InitCrashRecovery *file = user_data;

  g_hash_table_remove (file->written_pids, job);
  g_hash_table_remove (file->saved, job);
  g_hash_table_insert (file->entries, g_strdup (((InitInstance *) job)->klass->name), NULL);
  schedule_write (file, FALSE);
}

static void
on_instance (InitEngine *engine,
             gpointer    job,
             gpointer    user_data)
{
  InitCrashRecovery *file = user_data;
  InitInstance *instance = job;
  pid_t *written = g_hash_table_lookup (file->written_pids, job);
  gboolean processes_changed;

  /* Saved again at the next write, and so is its job's part. */
  g_hash_table_insert (file->saved, init_instance_ref (job), NULL);
  g_hash_table_insert (file->entries, g_strdup (instance->klass->name), NULL);
  if (written == NULL)
    {
      written = g_new0 (pid_t, INIT_PROCESS_N);
      g_hash_table_insert (file->written_pids, job, written);
    }
  processes_changed = memcmp (written, instance->pid, sizeof instance->pid) != 0;
  memcpy (written, instance->pid, sizeof instance->pid);
  schedule_write (file, processes_changed);
}

InitCrashRecovery *
init_crash_recovery_new (InitEngine *engine,
                         const char *path)
{
  InitCrashRecovery *file = g_new0 (InitCrashRecovery, 1);
  g_autoptr(GPtrArray) jobs = init_engine_list_instances (engine);

  file->engine = g_object_ref (engine);
  file->path = g_strdup (path);
  file->tmp_path = g_strconcat (path, ".new", NULL);
  file->saved = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) init_instance_unref,
                                       (GDestroyNotify) variant_unref0);
  file->written_pids = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  file->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) variant_unref0);
  file->handlers[0] = g_signal_connect (engine, "instance-added", G_CALLBACK (on_instance), file);
  file->handlers[1] = g_signal_connect (engine, "instance-changed", G_CALLBACK (on_instance), file);
  file->handlers[2] = g_signal_connect (engine, "instance-removed",
                                        G_CALLBACK (on_instance_removed), file);
  /* What runs already (after a re-exec or an adoption); written at the first change, so a
   * daemon that is refused its bus name writes nothing. */
  for (guint i = 0; i < jobs->len; i++)
    on_instance (engine, g_ptr_array_index (jobs, i), file);
  return file;
}

void
init_crash_recovery_flush (InitCrashRecovery *file)
{
  if (file->idle == 0 && file->delayed == 0)
    return;
  g_clear_handle_id (&file->idle, g_source_remove);
  g_clear_handle_id (&file->delayed, g_source_remove);
  state_file_write (file);
}

static void
state_file_stop (InitCrashRecovery *file)
{
  for (guint i = 0; i < G_N_ELEMENTS (file->handlers); i++)
    g_clear_signal_handler (&file->handlers[i], file->engine);
  g_clear_handle_id (&file->idle, g_source_remove);
  g_clear_handle_id (&file->delayed, g_source_remove);
  g_hash_table_remove_all (file->written_pids);
  g_hash_table_remove_all (file->saved);
  g_hash_table_remove_all (file->entries);
  g_clear_pointer (&file->written, g_bytes_unref);
}

void
init_crash_recovery_remove (InitCrashRecovery *file)
{
  state_file_stop (file);
  if (g_unlink (file->path) < 0 && errno != ENOENT)
    g_debug ("Cannot remove %s: %s", file->path, g_strerror (errno));
}

void
init_crash_recovery_free (InitCrashRecovery *file)
{
  if (file == NULL)
    return;
  state_file_stop (file);
  g_hash_table_unref (file->saved);
  g_hash_table_unref (file->written_pids);
  g_hash_table_unref (file->entries);
  g_object_unref (file->engine);
  g_free (file->path);
  g_free (file->tmp_path);
  g_free (file);
}

guint
init_crash_recovery_get_n_writes (InitCrashRecovery *file)
{
  return file->n_writes;
}

int
init_crash_recovery_lock (const char *path,
                          GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
  int fd, saved;

  if (g_mkdir_with_parents (dir, 0700) < 0
      || (fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600)) < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot open %s: %s"), lock_path, g_strerror (saved));
      return -1;
    }
  /* An OFD lock belongs to this open file, not to the process: a second open in the same
   * process conflicts too (tests), and it goes away only with the daemon (or its exec). */
  if (fcntl (fd, F_OFD_SETLK, &lock) == 0)
    return fd;
  saved = errno;
  close (fd);
  if (saved == EAGAIN || saved == EACCES)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 _("Another daemon is running on %s"), path);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 _("Cannot lock %s: %s"), lock_path, g_strerror (saved));
  return -1;
}

GVariant *
init_crash_recovery_load (const char *path,
                          GError    **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, &local))
    {
      if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, "%s", local->message);
      return NULL;
    }
  /* The variant owns the buffer from here (and frees it with itself). */
  bytes = g_bytes_new_take (g_steal_pointer (&data), length);
  state = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));
  if (!init_save_check_version (state, error))
    return NULL;
  return g_steal_pointer (&state);
}
