/* init-conf-private.h — internals shared by init-conf.c and init-conf-watch.c
 *
 * A source keeps one small record per considered file (".conf" or ".override"), keyed by its
 * path relative to the source directory ("net/apache.conf").  The record remembers the stat
 * identity seen last, so a reload re-parses only what changed, and for a .conf the last good
 * classes (DESIGN §2.3: a bad edit keeps them in force).  Directories are watched with one
 * GFileMonitor each; events only queue relative paths, which are looked at after a short
 * debounce (init-conf-watch.c).
 */
#pragma once

#include <gio/gio.h>
#include <sys/stat.h>

#include "init-conf.h"
#include "init-conf-trust.h"

G_BEGIN_DECLS

typedef struct _InitConfSource InitConfSource;

typedef struct
{
  /* Identity when last seen (walk) or read (parse): the reload compares these. */
  dev_t  dev;
  ino_t  ino;
  off_t  size;
  gint64 mtime_ns;

  guint    seen_gen;            /* InitConf.generation of the walk that last saw the file */
  guint    reported_pass;       /* InitConf.pass in which its error was last reported */
  gint     override_src;        /* .conf: source index of the override last tried, -1 none */
  gboolean changed;             /* must be (re)read in the current pass */

  InitJobClass *base;           /* .conf: last good parse, without override */
  InitJobClass *klass;          /* .conf: last good base + best override (may be == base) */
  GError       *error;          /* why the last read or parse failed, or NULL */
} InitConfFile;

typedef struct
{
  InitConfSource *source;
  char           *reldir;       /* "" for the source directory itself */
  GFile          *file;
  GFileMonitor   *monitor;
  dev_t           dev;
  ino_t           ino;
  guint           seen_gen;
  gboolean        gone;         /* its monitor saw the directory itself go: dead from now on */
} InitConfWatch;

struct _InitConfSource
{
  InitConf   *conf;
  char       *path;
  GHashTable *files;            /* relpath -> InitConfFile */
  GHashTable *watches;          /* reldir -> InitConfWatch */
  GHashTable *pending;          /* relpath -> gint64 due time (monotonic µs) */
  gboolean    present;          /* the directory existed at the last look */

  /* While the directory is missing: a monitor on the nearest existing ancestor, and the
   * name of the component below it that we wait for. */
  GFileMonitor *parent_monitor;
  char         *parent_next;
};

struct _InitConf
{
  InitConfCallbacks callbacks;
  gpointer          user_data;
  GPtrArray        *sources;    /* InitConfSource, priority order */
  GHashTable       *jobs;       /* name -> InitJobClass last reported by job_changed */
  gboolean          loaded;
  gboolean          watching;
  guint             generation;  /* bumped by every full walk */
  guint             pass;       /* bumped by every processing pass (walk or flush) */
  guint             n_errors;   /* records whose error is set */
  guint             reported_n_errors;  /* last value given to errors_changed */
  GSource          *flush_source;  /* debounce timer, or NULL */
  InitConfTrust     trust;      /* which files may be read (init-conf-trust.h) */
};

typedef enum
{
  INIT_CONF_SCAN_READ,
  INIT_CONF_SCAN_MISSING,
  INIT_CONF_SCAN_FAILED,
} InitConfScanResult;

/* init-conf-source.c */
gboolean            init_conf_name_is_ignored (const char *basename);
gboolean            init_conf_name_is_considered (const char *basename);
char *init_conf_name_from_relpath (const char *relpath);
int                 init_conf_compare_strings (const void *a,
                                               const void *b);
GHashTable *init_conf_dirty_new (void);
char *init_conf_source_abspath (InitConfSource *source,
                                const char     *relpath);
void                init_conf_file_free (gpointer rec);
void                init_conf_file_set_identity (InitConfFile      *rec,
                                                 const struct stat *st);
InitConfScanResult  init_conf_source_scan (InitConfSource *source,
                                           GHashTable     *dirty);
void                init_conf_source_sweep (InitConfSource *source,
                                            GHashTable     *dirty);
void                init_conf_note_path (InitConfSource *source,
                                         const char     *relpath,
                                         GHashTable     *dirty);

/* init-conf.c */
void                init_conf_process_dirty (InitConf   *conf,
                                             GHashTable *dirty);

/* init-conf-watch.c */
void                init_conf_watch_dir (InitConfSource    *source,
                                         const char        *reldir,
                                         const struct stat *st);
void                init_conf_watch_sweep (InitConfSource *source);
void                init_conf_watch_parent (InitConfSource *source);
void                init_conf_watch_parent_clear (InitConfSource *source);
void                init_conf_watch_clear (InitConfSource *source);
gboolean            init_conf_watch_is (InitConfWatch     *watch,
                                        const struct stat *st);
void                init_conf_watch_free (InitConfWatch *watch);
void                init_conf_watch_process (InitConf *conf,
                                             gboolean  all);
void                init_conf_watch_cancel_timer (InitConf *conf);

G_END_DECLS
