/* init-state-file.c — what runs, kept on disk for a restart after a crash */
#define G_LOG_DOMAIN "init-engine"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "init-error.h"
#include "init-state-file.h"
#include "init-state.h"

struct _InitStateFile
{
  InitEngine *engine;
  char       *path;
  guint       idle;
  guint       n_writes;
  gulong      handlers[3];
};

char *
init_state_file_default_path (gboolean            user_mode,
                              const char         *bus_address,
                              const char * const *conf_dirs)
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
state_file_write (InitStateFile *file)
{
  g_autoptr(GVariant) engine = NULL, state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (file->path);
  GVariantDict dict;

  engine = g_variant_ref_sink (init_engine_save (file->engine, NULL, TRUE));
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "version", "u", (guint32) INIT_STATE_VERSION);
  g_variant_dict_insert (&dict, "writer", "s", PACKAGE_VERSION);
  g_variant_dict_insert (&dict, "pid", "i", (gint32) getpid ());
  g_variant_dict_insert_value (&dict, "engine", engine);
  state = g_variant_ref_sink (g_variant_dict_end (&dict));

  if (g_mkdir_with_parents (dir, 0700) < 0
      || !g_file_set_contents_full (file->path, g_variant_get_data (state), g_variant_get_size (state),
                                    G_FILE_SET_CONTENTS_NONE, 0600, &error))
    {
      g_debug ("Cannot write %s: %s", file->path, error != NULL ? error->message : g_strerror (errno));
      return;
    }
  file->n_writes++;
}

static gboolean
state_file_idle_cb (gpointer user_data)
{
  InitStateFile *file = user_data;

  file->idle = 0;
  state_file_write (file);
  return G_SOURCE_REMOVE;
}

static void
on_instance (InitEngine *engine,
             gpointer    job,
             gpointer    user_data)
{
  InitStateFile *file = user_data;

  /* High priority: the file is current before the next event or client call is handled. */
  if (file->idle == 0)
    file->idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, state_file_idle_cb, file, NULL);
}

InitStateFile *
init_state_file_new (InitEngine *engine,
                     const char *path)
{
  InitStateFile *file = g_new0 (InitStateFile, 1);
  static const char *const signals[] = { "instance-added", "instance-changed", "instance-removed" };

  file->engine = g_object_ref (engine);
  file->path = g_strdup (path);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    file->handlers[i] = g_signal_connect (engine, signals[i], G_CALLBACK (on_instance), file);
  /* Written at the first change (a daemon that is refused its bus name writes nothing). */
  if (init_engine_get_n_instances (engine) > 0)
    on_instance (engine, NULL, file);
  return file;
}

void
init_state_file_flush (InitStateFile *file)
{
  if (file->idle == 0)
    return;
  g_clear_handle_id (&file->idle, g_source_remove);
  state_file_write (file);
}

static void
state_file_stop (InitStateFile *file)
{
  for (guint i = 0; i < G_N_ELEMENTS (file->handlers); i++)
    g_clear_signal_handler (&file->handlers[i], file->engine);
  g_clear_handle_id (&file->idle, g_source_remove);
}

void
init_state_file_remove (InitStateFile *file)
{
  state_file_stop (file);
  if (g_unlink (file->path) < 0 && errno != ENOENT)
    g_debug ("Cannot remove %s: %s", file->path, g_strerror (errno));
}

void
init_state_file_free (InitStateFile *file)
{
  if (file == NULL)
    return;
  state_file_stop (file);
  g_object_unref (file->engine);
  g_free (file->path);
  g_free (file);
}

guint
init_state_file_get_n_writes (InitStateFile *file)
{
  return file->n_writes;
}

GVariant *
init_state_file_load (const char  *path,
                      GError     **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GVariant) state = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, &local))
    {
      if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, "%s", local->message);
      return NULL;
    }
  state = g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE_VARDICT, g_steal_pointer (&data),
                                                       length, FALSE, g_free, NULL));
  /* g_variant_new_from_data took the buffer. */
  if (!init_state_check_version (state, error))
    return NULL;
  return g_steal_pointer (&state);
}
