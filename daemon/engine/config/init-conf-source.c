/* init-conf-source.c — one configuration directory: names, records, walking (reference §7) */
#define G_LOG_DOMAIN "init-conf"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "init-conf-private.h"
#include "init-error.h"

#define CONF_SUFFIX     ".conf"
#define OVERRIDE_SUFFIX ".override"

typedef struct
{
  dev_t dev;
  ino_t ino;
} DirId;

/* ---- names ------------------------------------------------------------------------------ */

/* Names the walk never looks at (reference §7, after libnih's file filter): editors' backup
 * and swap files, revision-control and package-manager leftovers.  Hidden names (which also
 * covers ".#x", ".git", ".svn", ".bzr") are tested first. */
static const char *const ignored_suffixes[] = {
  "~", ".bak", ".BAK", ".swp", ".swo", ".swn", ",v",
  ".rpmsave", ".rpmorig", ".rpmnew", ".ucf-old", ".ucf-new", ".ucf-dist",
  NULL
};
static const char *const ignored_names[] = {
  "RCS", "CVS", "CVS.adm", "SCCS", "BitKeeper", "{arch}", "_darcs",
  NULL
};

gboolean
init_conf_name_is_ignored (const char *basename)
{
  gsize len = strlen (basename);
  const char *dot;

  if (len == 0 || basename[0] == '.')
    return TRUE;
  if (len >= 2 && basename[0] == '#' && basename[len - 1] == '#')
    return TRUE;
  for (guint i = 0; ignored_suffixes[i] != NULL; i++)
    if (g_str_has_suffix (basename, ignored_suffixes[i]))
      return TRUE;
  for (guint i = 0; ignored_names[i] != NULL; i++)
    if (strcmp (basename, ignored_names[i]) == 0)
      return TRUE;
  dot = strrchr (basename, '.');
  return dot != NULL && g_str_has_prefix (dot, ".dpkg-");
}

/* A job file or an override.  Hidden names are ignored, so a name that is just ".conf"
 * (the dot first) never counts. */
gboolean
init_conf_name_is_considered (const char *basename)
{
  if (init_conf_name_is_ignored (basename))
    return FALSE;
  return g_str_has_suffix (basename, CONF_SUFFIX) || g_str_has_suffix (basename, OVERRIDE_SUFFIX);
}

/* "net/apache.conf" -> "net/apache" */
char *
init_conf_name_from_relpath (const char *relpath)
{
  gsize len = strlen (relpath);

  if (g_str_has_suffix (relpath, CONF_SUFFIX))
    return g_strndup (relpath, len - strlen (CONF_SUFFIX));
  g_assert (g_str_has_suffix (relpath, OVERRIDE_SUFFIX));
  return g_strndup (relpath, len - strlen (OVERRIDE_SUFFIX));
}

char *
init_conf_source_abspath (InitConfSource *source,
                          const char     *relpath)
{
  if (relpath[0] == '\0')
    return g_strdup (source->path);
  return g_build_filename (source->path, relpath, NULL);
}

static char *
child_relpath (const char *reldir,
               const char *name)
{
  if (reldir[0] == '\0')
    return g_strdup (name);
  return g_strconcat (reldir, "/", name, NULL);
}

int
init_conf_compare_strings (const void *a,
                           const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GHashTable *
init_conf_dirty_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---- records ---------------------------------------------------------------------------- */

void
init_conf_file_free (gpointer data)
{
  InitConfFile *rec = data;

  g_clear_pointer (&rec->base, init_job_class_unref);
  g_clear_pointer (&rec->klass, init_job_class_unref);
  g_clear_error (&rec->error);
  g_free (rec);
}

static void
report_dir_error (InitConfSource *source,
                  const char     *relpath,
                  int             saved_errno)
{
  InitConf *conf = source->conf;
  g_autofree char *path = init_conf_source_abspath (source, relpath);
  g_autoptr(GError) error = NULL;

  error = g_error_new (INIT_ERROR, INIT_ERROR_CONFIGURATION,
                       _("%s: Unable to load configuration: %s"), path, g_strerror (saved_errno));
  if (conf->callbacks.error != NULL)
    conf->callbacks.error (path, error, conf->user_data);
}

static gboolean
same_identity (const InitConfFile *rec,
               const struct stat  *st)
{
  return rec->dev == st->st_dev && rec->ino == st->st_ino && rec->size == st->st_size
         && rec->mtime_ns == (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000)
         + st->st_mtim.tv_nsec;
}

void
init_conf_file_set_identity (InitConfFile      *rec,
                             const struct stat *st)
{
  rec->dev = st->st_dev;
  rec->ino = st->st_ino;
  rec->size = st->st_size;
  rec->mtime_ns = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000)
                  + st->st_mtim.tv_nsec;
}

/* Remove a record, keeping the error count right; the job it named is looked at again. */
static void
drop_file (InitConfSource *source,
           const char     *relpath,
           GHashTable     *dirty)
{
  InitConfFile *rec = g_hash_table_lookup (source->files, relpath);

  if (rec == NULL)
    return;
  if (rec->error != NULL)
    source->conf->n_errors--;
  g_hash_table_add (dirty, init_conf_name_from_relpath (relpath));
  g_hash_table_remove (source->files, relpath);
}

/* Forget everything at or below @reldir ("" = the whole source): records and monitors. */
static void
drop_dir (InitConfSource *source,
          const char     *reldir,
          GHashTable     *dirty)
{
  g_autofree char *prefix = reldir[0] != '\0' ? g_strconcat (reldir, "/", NULL) : g_strdup ("");
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, source->files);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      InitConfFile *rec = value;

      if (!g_str_has_prefix (key, prefix))
        continue;
      if (rec->error != NULL)
        source->conf->n_errors--;
      g_hash_table_add (dirty, init_conf_name_from_relpath (key));
      g_hash_table_iter_remove (&iter);
    }

  g_hash_table_iter_init (&iter, source->watches);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (strcmp (key, reldir) == 0 || g_str_has_prefix (key, prefix))
      g_hash_table_iter_remove (&iter);
}

/* ---- walking ---------------------------------------------------------------------------- */

/* The walk saw a considered regular file.  @force: an event says it changed even if its
 * identity looks the same (timestamps are coarse). */
static void
note_file (InitConfSource    *source,
           const char        *relpath,
           const struct stat *st,
           gboolean           force,
           GHashTable        *dirty)
{
  InitConfFile *rec = g_hash_table_lookup (source->files, relpath);
  gboolean changed;

  if (rec == NULL)
    {
      rec = g_new0 (InitConfFile, 1);
      rec->override_src = -1;
      g_hash_table_insert (source->files, g_strdup (relpath), rec);
      changed = TRUE;
    }
  else
    {
      /* A file that could not be read (rather than parsed) is tried again: permissions may
       * have been fixed without touching its mtime. */
      changed = force || !same_identity (rec, st)
                || (rec->error != NULL && rec->error->domain != INIT_PARSE_ERROR);
    }

  rec->seen_gen = source->conf->generation;
  if (!changed)
    return;
  init_conf_file_set_identity (rec, st);
  rec->changed = TRUE;
  g_hash_table_add (dirty, init_conf_name_from_relpath (relpath));
}

static gboolean
dir_in_stack (GArray            *stack,
              const struct stat *st)
{
  for (guint i = 0; i < stack->len; i++)
    {
      DirId *id = &g_array_index (stack, DirId, i);

      if (id->dev == st->st_dev && id->ino == st->st_ino)
        return TRUE;
    }
  return FALSE;
}

/* Walk @reldir (open as @fd, which is consumed).  Symlinks are never followed (lstat), so a
 * symlink loop is harmless; @stack of (dev, ino) catches loops made with bind mounts. */
static void
walk_dir (InitConfSource    *source,
          const char        *reldir,
          int                fd,
          const struct stat *st,
          GArray            *stack,
          GHashTable        *dirty)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  DirId id = { st->st_dev, st->st_ino };
  struct dirent *ent;
  DIR *dir;

  /* Watch before reading, so a file created meanwhile is seen by one or the other. */
  if (source->conf->watching)
    init_conf_watch_dir (source, reldir, st);

  dir = fdopendir (fd);
  if (dir == NULL)
    {
      int saved = errno;

      close (fd);
      report_dir_error (source, reldir, saved);
      return;
    }
  while ((ent = readdir (dir)) != NULL)
    {
      gboolean maybe_dir = ent->d_type == DT_DIR || ent->d_type == DT_UNKNOWN;

      if (init_conf_name_is_ignored (ent->d_name))
        continue;
      if (maybe_dir || init_conf_name_is_considered (ent->d_name))
        g_ptr_array_add (names, g_strdup (ent->d_name));
    }
  g_ptr_array_sort (names, init_conf_compare_strings);

  g_array_append_val (stack, id);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autofree char *relpath = child_relpath (reldir, name);
      struct stat cst;

      if (fstatat (dirfd (dir), name, &cst, AT_SYMLINK_NOFOLLOW) < 0)
        continue;   /* gone since readdir */

      if (S_ISDIR (cst.st_mode))
        {
          int cfd;

          if (dir_in_stack (stack, &cst))
            {
              g_debug ("%s: directory loop, not descending", relpath);
              continue;
            }
          cfd = openat (dirfd (dir), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          if (cfd < 0)
            {
              report_dir_error (source, relpath, errno);
              continue;
            }
          walk_dir (source, relpath, cfd, &cst, stack, dirty);
        }
      else if (S_ISREG (cst.st_mode) && init_conf_name_is_considered (name))
        note_file (source, relpath, &cst, FALSE, dirty);
    }
  g_array_set_size (stack, stack->len - 1);
  closedir (dir);
}

static void
walk_subtree (InitConfSource    *source,
              const char        *reldir,
              int                fd,
              const struct stat *st,
              GHashTable        *dirty)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (DirId));

  walk_dir (source, reldir, fd, st, stack, dirty);
}

/* Walk a whole source.  A missing directory is fine (it may appear later); while watching,
 * its nearest existing ancestor is watched for it. */
InitConfScanResult
init_conf_source_scan (InitConfSource *source,
                       GHashTable     *dirty)
{
  struct stat st;
  int fd;

  fd = open (source->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      source->present = FALSE;
      if (source->conf->watching)
        init_conf_watch_parent (source);
      if (saved == ENOENT)
        return INIT_CONF_SCAN_MISSING;
      report_dir_error (source, "", saved);
      return INIT_CONF_SCAN_FAILED;
    }

  source->present = TRUE;
  init_conf_watch_parent_clear (source);
  walk_subtree (source, "", fd, &st, dirty);
  return INIT_CONF_SCAN_READ;
}

/* The source directory itself was created, deleted or replaced. */
static void
note_root (InitConfSource *source,
           GHashTable     *dirty)
{
  InitConfWatch *watch = g_hash_table_lookup (source->watches, "");
  struct stat st;

  if (stat (source->path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      if (source->present && init_conf_watch_is (watch, &st))
        return;
      drop_dir (source, "", dirty);
      init_conf_source_scan (source, dirty);
      return;
    }

  if (source->present)
    g_info ("%s: Configuration directory deleted", source->path);
  drop_dir (source, "", dirty);
  source->present = FALSE;
  if (source->conf->watching)
    init_conf_watch_parent (source);
}

/* A monitor said something happened at @relpath: look at that path only (never a re-walk
 * of the source, so a change costs the same with 10 or 10,000 jobs). */
void
init_conf_note_path (InitConfSource *source,
                     const char     *relpath,
                     GHashTable     *dirty)
{
  g_autofree char *path = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  InitConfWatch *watch;
  struct stat st;
  gboolean exists;

  if (relpath[0] == '\0')
    {
      note_root (source, dirty);
      return;
    }

  /* Events queued for a directory that has gone since are stale. */
  parent = g_path_get_dirname (relpath);
  if (!g_hash_table_contains (source->watches, strcmp (parent, ".") == 0 ? "" : parent))
    return;

  path = init_conf_source_abspath (source, relpath);
  base = g_path_get_basename (relpath);
  exists = lstat (path, &st) == 0;
  watch = g_hash_table_lookup (source->watches, relpath);

  if (exists && S_ISDIR (st.st_mode))
    {
      int fd;

      if (init_conf_watch_is (watch, &st))
        return;
      drop_dir (source, relpath, dirty);
      drop_file (source, relpath, dirty);
      fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        {
          report_dir_error (source, relpath, errno);
          return;
        }
      walk_subtree (source, relpath, fd, &st, dirty);
      return;
    }

  if (watch != NULL)
    drop_dir (source, relpath, dirty);
  if (exists && S_ISREG (st.st_mode) && init_conf_name_is_considered (base))
    note_file (source, relpath, &st, TRUE, dirty);
  else
    drop_file (source, relpath, dirty);
}

/* After a full walk: forget the records the walk did not see. */
void
init_conf_source_sweep (InitConfSource *source,
                        GHashTable     *dirty)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, source->files);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      InitConfFile *rec = value;

      if (rec->seen_gen == source->conf->generation)
        continue;
      if (rec->error != NULL)
        source->conf->n_errors--;
      g_hash_table_add (dirty, init_conf_name_from_relpath (key));
      g_hash_table_iter_remove (&iter);
    }
}
