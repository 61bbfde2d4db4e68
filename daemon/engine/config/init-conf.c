/* init-conf.c — configuration sources: reading, overrides, job selection (reference §7) */
#define G_LOG_DOMAIN "init-conf"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <unistd.h>

#include "init-conf-private.h"
#include "init-error.h"
#include "init-job-parse.h"

#define CONF_SUFFIX     ".conf"
#define OVERRIDE_SUFFIX ".override"

/* ---- errors ----------------------------------------------------------------------------- */

static void
set_error (InitConf     *conf,
           InitConfFile *rec,
           GError       *error)
{
  if (rec->error == NULL)
    conf->n_errors++;
  g_clear_error (&rec->error);
  rec->error = error;
}

static void
clear_error (InitConf     *conf,
             InitConfFile *rec)
{
  if (rec->error == NULL)
    return;
  g_clear_error (&rec->error);
  conf->n_errors--;
}

static void
report_error (InitConf     *conf,
              const char   *path,
              InitConfFile *rec)
{
  rec->reported_pass = conf->pass;
  if (conf->callbacks.error != NULL)
    conf->callbacks.error (path, rec->error, conf->user_data);
}

static void
report_warnings (InitConf   *conf,
                 const char *path,
                 GPtrArray  *warnings)
{
  if (conf->callbacks.warning == NULL)
    return;
  for (guint i = 0; i < warnings->len; i++)
    conf->callbacks.warning (path, warnings->pdata[i], conf->user_data);
}

/* ---- reading and parsing ---------------------------------------------------------------- */

/* Open a job file for reading and check what it is: a regular file (O_NONBLOCK keeps a FIFO
 * swapped in after the walk from hanging the daemon, O_NOFOLLOW keeps symlinks unsupported)
 * that the directory's trust rules accept.  Returns the descriptor, or -1. */
static int
open_job_file (InitConfSource *source,
               const char     *path,
               struct stat    *st,
               GError        **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);

  if (fd < 0 || fstat (fd, st) < 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("%s: Unable to load configuration: %s"), path, g_strerror (saved));
      return -1;
    }
  if (!S_ISREG (st->st_mode))
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s: Unable to load configuration: %s"), path, _("Not a regular file"));
      return -1;
    }
  if (!init_conf_trust_check (source->conf->trust, source->path, path, st, error))
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* Read a whole job file.  The size is checked with fstat first so an oversized file is
 * rejected without being read, and again while reading (it may grow). */
static char *
read_file (InitConfSource *source,
           const char     *path,
           gsize          *len_out,
           struct stat    *st,
           GError        **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  gsize alloc;
  int fd;

  fd = open_job_file (source, path, st, error);
  if (fd < 0)
    return NULL;

  /* Two spare bytes: the terminating nul and room to see EOF without growing. */
  alloc = st->st_size <= INIT_PARSE_MAX_FILE_SIZE ? (gsize) st->st_size + 2 : 0;
  if (alloc > 0)
    data = g_malloc (alloc);
  while (alloc > 0)
    {
      gssize n;

      if (len + 1 >= alloc)
        {
          alloc *= 2;
          data = g_realloc (data, alloc);
        }
      n = read (fd, data + len, alloc - len - 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("%s: Unable to load configuration: %s"), path, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      len += n;
      if (len > INIT_PARSE_MAX_FILE_SIZE)
        alloc = 0;   /* grew while we read it */
    }
  close (fd);

  if (alloc == 0)
    {
      /* Same words and position as the parser's own check. */
      g_set_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_LARGE,
                   _("%s:1:1: File too large, expected at most %d bytes"), path,
                   INIT_PARSE_MAX_FILE_SIZE);
      return NULL;
    }
  data[len] = '\0';
  *len_out = len;
  return g_steal_pointer (&data);
}

/* Parse a .conf into a new class; on failure record and report the error and return NULL
 * (the caller keeps the last good class). */
static InitJobClass *
load_conf (InitConfSource *source,
           const char     *relpath,
           const char     *name,
           InitConfFile   *rec)
{
  InitConf *conf = source->conf;
  g_autofree char *path = init_conf_source_abspath (source, relpath);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  InitJobClass *klass = NULL;
  struct stat st;
  gsize len = 0;

  data = read_file (source, path, &len, &st, &error);
  if (data != NULL)
    {
      init_conf_file_set_identity (rec, &st);
      klass = init_job_parse (name, path, data, len, warnings, NULL, &error);
    }
  report_warnings (conf, path, warnings);
  if (klass == NULL)
    {
      if (error == NULL)
        error = g_error_new (INIT_PARSE_ERROR, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                             _("%s: Unable to parse"), path);
      set_error (conf, rec, g_steal_pointer (&error));
      report_error (conf, path, rec);
      return NULL;
    }

  clear_error (conf, rec);
  g_free (klass->path);
  klass->path = g_steal_pointer (&path);
  g_clear_pointer (&klass->override_path, g_free);
  return klass;
}

/* Apply override @orec on @klass (a private copy).  A failure is recorded on the override,
 * reported once per pass (one override can serve .conf files in several sources). */
static gboolean
apply_override (InitConfSource *osource,
                const char     *orelpath,
                InitConfFile   *orec,
                InitJobClass   *klass)
{
  InitConf *conf = osource->conf;
  g_autofree char *path = init_conf_source_abspath (osource, orelpath);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gboolean ok = FALSE;
  struct stat st;
  gsize len = 0;

  data = read_file (osource, path, &len, &st, &error);
  if (data != NULL)
    {
      init_conf_file_set_identity (orec, &st);
      ok = init_job_parse_override (klass, path, data, len, warnings, NULL, &error);
    }
  if (orec->reported_pass != conf->pass)
    report_warnings (conf, path, warnings);
  if (!ok)
    {
      if (error == NULL)
        error = g_error_new (INIT_PARSE_ERROR, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                             _("%s: Unable to parse"), path);
      set_error (conf, orec, g_steal_pointer (&error));
      if (orec->reported_pass != conf->pass)
        report_error (conf, path, orec);
      return FALSE;
    }

  clear_error (conf, orec);
  g_free (klass->override_path);
  klass->override_path = g_steal_pointer (&path);
  return TRUE;
}

/* ---- selection -------------------------------------------------------------------------- */

/* The first "<dir>/<name>.override" searching sources 0 … @upto (reference §7). */
static InitConfFile *
find_best_override (InitConf   *conf,
                    const char *okey,
                    guint       upto,
                    gint       *index_out)
{
  for (guint i = 0; i <= upto; i++)
    {
      InitConfSource *source = conf->sources->pdata[i];
      InitConfFile *orec = g_hash_table_lookup (source->files, okey);

      if (orec != NULL)
        {
          *index_out = i;
          return orec;
        }
    }
  *index_out = -1;
  return NULL;
}

static void
set_class (InitConfFile *rec,
           InitJobClass *klass)
{
  if (rec->klass != NULL)
    init_job_class_unref (rec->klass);
  rec->klass = init_job_class_ref (klass);
}

/* Bring one .conf's classes up to date: re-parse it if it changed, re-apply its best
 * override if that changed (the cached base means an override edit never re-parses the
 * .conf).  On any failure the last good class stays. */
static void
refresh_conf (InitConf     *conf,
              guint         index,
              const char   *name,
              const char   *ckey,
              const char   *okey,
              InitConfFile *rec)
{
  InitConfSource *source = conf->sources->pdata[index];
  g_autoptr(InitJobClass) effective = NULL;
  InitConfFile *orec;
  gint oindex;

  orec = find_best_override (conf, okey, index, &oindex);
  if (rec->changed)
    {
      InitJobClass *base;

      rec->changed = FALSE;
      base = load_conf (source, ckey, name, rec);
      if (base == NULL)
        return;
      g_clear_pointer (&rec->base, init_job_class_unref);
      rec->base = base;
    }
  else if (rec->base == NULL
           || (oindex == rec->override_src && (orec == NULL || !orec->changed)))
    return;

  rec->override_src = oindex;
  if (orec == NULL)
    {
      set_class (rec, rec->base);
      return;
    }
  effective = init_job_class_copy (rec->base);
  if (apply_override (conf->sources->pdata[oindex], okey, orec, effective))
    set_class (rec, effective);
}

/* Tell the owner if the class in force for @name is no longer the one it was told about:
 * the first source whose .conf has a good class wins. */
static void
reconcile (InitConf   *conf,
           const char *name,
           const char *ckey)
{
  InitJobClass *selected = NULL;
  InitJobClass *current;

  for (guint i = 0; i < conf->sources->len && selected == NULL; i++)
    {
      InitConfSource *source = conf->sources->pdata[i];
      InitConfFile *rec = g_hash_table_lookup (source->files, ckey);

      if (rec != NULL)
        selected = rec->klass;
    }

  current = g_hash_table_lookup (conf->jobs, name);
  if (current == selected)
    return;
  if (selected != NULL)
    g_hash_table_replace (conf->jobs, g_strdup (name), init_job_class_ref (selected));
  else
    g_hash_table_remove (conf->jobs, name);
  if (conf->callbacks.job_changed != NULL)
    conf->callbacks.job_changed (name, selected, conf->user_data);
}

static void
refresh_name (InitConf   *conf,
              const char *name)
{
  g_autofree char *ckey = g_strconcat (name, CONF_SUFFIX, NULL);
  g_autofree char *okey = g_strconcat (name, OVERRIDE_SUFFIX, NULL);

  for (guint i = 0; i < conf->sources->len; i++)
    {
      InitConfSource *source = conf->sources->pdata[i];
      InitConfFile *rec = g_hash_table_lookup (source->files, ckey);

      if (rec != NULL)
        refresh_conf (conf, i, name, ckey, okey, rec);
    }

  /* An override no .conf uses any more (its job went away, or a better override appeared)
   * is not parsed, so it cannot count as failing. */
  for (guint i = 0; i < conf->sources->len; i++)
    {
      InitConfSource *source = conf->sources->pdata[i];
      InitConfFile *orec = g_hash_table_lookup (source->files, okey);
      gboolean used = FALSE;

      if (orec == NULL)
        continue;
      orec->changed = FALSE;
      for (guint j = i; j < conf->sources->len && !used; j++)
        {
          InitConfSource *csource = conf->sources->pdata[j];
          InitConfFile *rec = g_hash_table_lookup (csource->files, ckey);

          used = rec != NULL && rec->base != NULL && rec->override_src == (gint) i;
        }
      if (!used)
        clear_error (conf, orec);
    }

  reconcile (conf, name, ckey);
}

void
init_conf_process_dirty (InitConf   *conf,
                         GHashTable *dirty)
{
  g_autofree gpointer *names = NULL;
  guint n = 0;

  /* Sorted, so owners see jobs in a stable order. */
  names = g_hash_table_get_keys_as_array (dirty, &n);
  qsort (names, n, sizeof (gpointer), init_conf_compare_strings);
  for (guint i = 0; i < n; i++)
    refresh_name (conf, names[i]);

  /* Every pass (walk, reload, monitor batch) ends here: tell the owner if the number of bad
   * files changed, including when a bad file was fixed or deleted. */
  if (conf->n_errors != conf->reported_n_errors)
    {
      conf->reported_n_errors = conf->n_errors;
      if (conf->callbacks.errors_changed != NULL)
        conf->callbacks.errors_changed (conf->n_errors, conf->user_data);
    }
}

/* Walk every source, re-read what changed, forget what vanished. */
static gboolean
rescan (InitConf *conf,
        GError  **error)
{
  g_autoptr(GHashTable) dirty = init_conf_dirty_new ();
  guint n_failed = 0;

  conf->generation++;
  conf->pass++;
  for (guint i = 0; i < conf->sources->len; i++)
    if (init_conf_source_scan (conf->sources->pdata[i], dirty) == INIT_CONF_SCAN_FAILED)
      n_failed++;

  for (guint i = 0; i < conf->sources->len; i++)
    {
      InitConfSource *source = conf->sources->pdata[i];

      init_conf_source_sweep (source, dirty);
      if (conf->watching)
        init_conf_watch_sweep (source);
      else
        init_conf_watch_clear (source);
    }

  init_conf_process_dirty (conf, dirty);

  /* A reload is when an administrator expects to hear about files still broken, even
   * those not re-read because they did not change. */
  for (guint i = 0; i < conf->sources->len; i++)
    {
      InitConfSource *source = conf->sources->pdata[i];
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, source->files);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          InitConfFile *rec = value;
          g_autofree char *path = NULL;

          if (rec->error == NULL || rec->reported_pass == conf->pass)
            continue;
          path = init_conf_source_abspath (source, key);
          report_error (conf, path, rec);
        }
    }

  if (n_failed > 0 && n_failed == conf->sources->len)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_CONFIGURATION,
                   _("No configuration directory could be read"));
      return FALSE;
    }
  return TRUE;
}

/* ---- public API ------------------------------------------------------------------------- */

static void
source_free (gpointer data)
{
  InitConfSource *source = data;

  init_conf_watch_clear (source);
  g_hash_table_unref (source->watches);
  g_hash_table_unref (source->pending);
  g_hash_table_unref (source->files);
  g_free (source->path);
  g_free (source);
}

/**
 * init_conf_new:
 * @callbacks: how changes are reported (copied)
 * @user_data: passed to every callback
 *
 * Returns: (transfer full): a configuration with no sources yet
 */
InitConf *
init_conf_new (const InitConfCallbacks *callbacks,
               gpointer                 user_data)
{
  InitConf *conf;

  g_return_val_if_fail (callbacks != NULL, NULL);

  conf = g_new0 (InitConf, 1);
  conf->callbacks = *callbacks;
  conf->user_data = user_data;
  conf->sources = g_ptr_array_new_with_free_func (source_free);
  conf->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) init_job_class_unref);
  return conf;
}

void
init_conf_set_trust (InitConf     *conf,
                     InitConfTrust trust)
{
  g_return_if_fail (conf != NULL);
  conf->trust = trust;
}

/**
 * init_conf_free:
 * @conf: (nullable): a configuration
 *
 * Stops watching and drops every class reference.  No callback is called.
 */
void
init_conf_free (InitConf *conf)
{
  if (conf == NULL)
    return;
  init_conf_watch_cancel_timer (conf);
  g_ptr_array_unref (conf->sources);
  g_hash_table_unref (conf->jobs);
  g_free (conf);
}

/**
 * init_conf_add_dir:
 * @conf: a configuration
 * @path: a directory, which need not exist yet
 *
 * Adds a source of lower priority than every one added before.  After init_conf_load()
 * the sources are walked again at once.
 */
void
init_conf_add_dir (InitConf   *conf,
                   const char *path)
{
  InitConfSource *source;

  g_return_if_fail (conf != NULL);
  g_return_if_fail (path != NULL && path[0] != '\0');

  source = g_new0 (InitConfSource, 1);
  source->conf = conf;
  source->path = g_canonicalize_filename (path, NULL);
  source->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, init_conf_file_free);
  source->watches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) init_conf_watch_free);
  source->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (conf->sources, source);

  if (conf->loaded)
    rescan (conf, NULL);
}

/**
 * init_conf_load:
 * @conf: a configuration
 * @watch: keep watching the sources for changes
 * @error: set when no source could be read at all
 *
 * Walks every source, reporting every job and every bad file.
 *
 * Returns: FALSE only if every source failed with something other than "missing"
 */
gboolean
init_conf_load (InitConf *conf,
                gboolean  watch,
                GError  **error)
{
  g_return_val_if_fail (conf != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conf->loaded = TRUE;
  conf->watching = watch;
  return rescan (conf, error);
}

/**
 * init_conf_reload:
 * @conf: a configuration
 *
 * Walks every source again (SIGHUP): files whose identity (device, inode, size, mtime)
 * changed are re-read, vanished jobs reported removed, and still-broken files reported
 * again.
 */
void
init_conf_reload (InitConf *conf)
{
  g_return_if_fail (conf != NULL);

  conf->loaded = TRUE;
  rescan (conf, NULL);
}

/**
 * init_conf_flush:
 * @conf: a configuration
 *
 * Processes every change queued by the monitors now, without waiting for the debounce.
 */
void
init_conf_flush (InitConf *conf)
{
  g_return_if_fail (conf != NULL);

  init_conf_watch_process (conf, TRUE);
}

/**
 * init_conf_lookup:
 * @conf: a configuration
 * @name: a job name, e.g. "net/apache"
 *
 * Returns: (transfer none) (nullable): the class in force for @name
 */
InitJobClass *
init_conf_lookup (InitConf   *conf,
                  const char *name)
{
  g_return_val_if_fail (conf != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (conf->jobs, name);
}

/**
 * init_conf_get_n_errors:
 * @conf: a configuration
 *
 * Returns: how many .conf and .override files currently fail to read or parse
 */
guint
init_conf_get_n_errors (InitConf *conf)
{
  g_return_val_if_fail (conf != NULL, 0);

  return conf->n_errors;
}
