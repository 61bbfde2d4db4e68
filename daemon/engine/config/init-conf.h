/* init-conf.h — configuration sources: job directories, overrides, live reload (reference §7)
 *
 * Directories are added in priority order (first = highest).  A job is named by its path
 * relative to the directory without ".conf" ("net/apache").  When several directories define
 * the same name the highest-priority one wins; its best override is the first
 * "<dir>/<name>.override" found searching directories in order up to and including the one
 * holding the .conf.
 *
 * A file that fails to parse (the .conf or its .override) is reported and changes nothing:
 * the last good definition stays in force (DESIGN §2.3).  A deleted .conf removes the job
 * (or hands it to a lower-priority directory that also defines it).
 *
 * Directories are watched with GFileMonitor (moves included, so editors' atomic renames work);
 * changes are debounced briefly and only the changed file is re-parsed.
 */
#pragma once

#include <glib.h>

#include "init-conf-trust.h"
#include "init-job-class.h"

G_BEGIN_DECLS

typedef struct _InitConf InitConf;

typedef struct
{
  /* The definition of job @name changed: @klass is the new class (borrowed; ref it to keep it),
   * or NULL when the job no longer exists. */
  void (*job_changed)(const char   *name,
                      InitJobClass *klass,
                      gpointer      user_data);
  /* A file was rejected (@error message is "PATH:LINE:COLUMN: text") or a directory could not
   * be read.  Also logged with g_warning by the caller if it wishes. May be NULL. */
  void (*error)(const char   *path,
                const GError *error,
                gpointer      user_data);
  /* A file parsed with warnings (unsupported stanzas). May be NULL. */
  void (*warning)(const char *path,
                  const char *message,
                  gpointer    user_data);
  /* The number of files that fail to parse changed (after a pass). May be NULL. */
  void (*errors_changed)(guint    n_errors,
                         gpointer user_data);
} InitConfCallbacks;

InitConf *init_conf_new (const InitConfCallbacks *callbacks,
                         gpointer                 user_data);
void        init_conf_free (InitConf *conf);

/* Which files may be read (init-conf-trust.h); INIT_CONF_TRUST_ANY until set.  Takes effect
 * for files read from now on. */
void        init_conf_set_trust (InitConf     *conf,
                                 InitConfTrust trust);

/* Add a directory source (lowest priority so far).  It need not exist yet. */
void        init_conf_add_dir (InitConf   *conf,
                               const char *path);

/* Walk every source and report every job (job_changed) and every bad file (error); then,
 * if @watch, keep watching for changes.  Returns FALSE only if no source could be read at
 * all and none is missing-but-creatable; the per-file problems go to the error callback. */
gboolean    init_conf_load (InitConf *conf,
                            gboolean  watch,
                            GError  **error);

/* Re-walk every source (SIGHUP / ReloadConfiguration): jobs whose file content changed are
 * reported, vanished ones reported removed, unchanged files are not re-parsed. */
void        init_conf_reload (InitConf *conf);

/* Process pending (debounced) changes now (tests). */
void        init_conf_flush (InitConf *conf);

/* The current class of @name, or NULL (borrowed). */
InitJobClass *init_conf_lookup (InitConf   *conf,
                                const char *name);

/* Number of job files that currently fail to parse. */
guint       init_conf_get_n_errors (InitConf *conf);

G_END_DECLS
