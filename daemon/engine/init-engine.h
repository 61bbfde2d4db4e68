/* init-engine.h — the job engine: job entries, instances, events, configuration
 *
 * Everything the daemon does without D-Bus.  Tests drive it in-process: create an engine,
 * add config dirs, load, emit events, observe states and processes.
 *
 * A job entry is one job name.  It has a current class (the definition new instances get) and
 * instances.  When the definition changes while instances run, they keep the old class and the
 * new one takes over when the last instance stops (reference §7).
 */
#pragma once

#include <glib-object.h>

#include "init-engine-options.h"
#include "init-instance.h"

G_BEGIN_DECLS

struct _InitJob
{
  /*< public, read-only >*/
  char         *name;
  InitJobClass *klass;           /* current definition */
  InitJobClass *pending;         /* newer definition waiting for instances to stop, or NULL */
  gboolean      deleted;         /* its file is gone: removed when its last instance stops */
  GHashTable   *instances;       /* instance name -> InitInstance*; read only (empty tables are
                                  * shared between entries) */

  /*< private; counted with g_rc_box (init_job_ref/unref) >*/
  InitEngine        *engine;     /* weak; NULL once removed */
  InitEventOperator *start_on;   /* runtime copy of klass->start_on while any leaf is
                                  * latched; NULL otherwise (the class tree is matched) */
  GPtrArray   *class_env;        /* cached class environment, or NULL */
  const char **index_names;      /* interned event names this entry is indexed under */
  guint        order;            /* load order, for stable iteration */
};

#define INIT_TYPE_ENGINE (init_engine_get_type ())
G_DECLARE_FINAL_TYPE (InitEngine, init_engine, INIT, ENGINE, GObject)

/* Signals (all on the main context):
 *   "job-added"        (InitJob *entry)
 *   "job-changed"      (InitJob *entry)      its current class, its pending class (a newer
 *                                            definition waiting for instances to stop) or
 *                                            its deleted flag changed
 *   "job-removed"      (InitJob *entry)
 *   "instance-added"   (InitInstance *job)
 *   "instance-changed" (InitInstance *job)             goal, state, processes or failure changed
 *   "instance-removed" (InitInstance *job)
 *   "event-queued"     (gpointer InitEvent *)
 *   "event-finished"   (gpointer InitEvent *)
 *   "config-error"     (const char *path, const char *message)
 *   "config-errors-changed" (guint n_errors)     number of bad job files changed
 *   "process-exited"   (InitInstance *job, int type, int pid, int status)  any process of a job
 *                      ended; status is the exit code or signum << 8
 *   "idle"             ()                          no instance left (after shutdown)
 *   "process-tracking-changed" ()                  init_engine_get_process_tracking() changed
 */

InitEngine *init_engine_new (const InitEngineOptions *options);

/* Configuration */
void          init_engine_add_conf_dir (InitEngine *engine,
                                        const char *path);
/* Load every source; if @watch, follow changes. */
gboolean      init_engine_load (InitEngine *engine,
                                gboolean    watch,
                                GError    **error);
/* Re-read every source (SIGHUP / ReloadConfiguration). Starts nothing by itself. */
void          init_engine_reload (InitEngine *engine);
/* Apply a definition directly (tests, and the conf callback): @klass NULL removes. */
void          init_engine_set_class (InitEngine   *engine,
                                     const char   *name,
                                     InitJobClass *klass);
/* Process debounced configuration changes now (tests). */
void          init_engine_flush_config (InitEngine *engine);

/* Events */
/* Queue event @name with @env (KEY=VALUE strings, validated by the caller).  If @done is not
 * NULL it is called when the event has finished (see init-event.h for ->failed).  Returns the
 * event (borrowed). */
InitEvent *init_engine_emit (InitEngine   *engine,
                             const char   *name,
                             GPtrArray    *env,
                             InitEventFunc done,
                             gpointer      user_data);
/* Attribute everything the following calls cause (until the matching pop) to @cause — a
 * client calling a method, the daemon at start-up…  Calls nest. */
void          init_engine_push_cause (InitEngine      *engine,
                                      const InitCause *cause);
void          init_engine_pop_cause (InitEngine *engine);

/* Run the event queue until it makes no more progress (tests; the daemon uses idle sources). */
void          init_engine_poll (InitEngine *engine);

/* Lookup */
InitJob *init_engine_lookup (InitEngine *engine,
                             const char *name);
/* Every entry, in load order (a new array of borrowed pointers). */
GPtrArray *init_engine_list (InitEngine *engine);
/* Every instance of every entry, entries in load order (a new array of borrowed pointers). */
GPtrArray *init_engine_list_instances (InitEngine *engine);
guint         init_engine_get_n_jobs (InitEngine *engine);
/* Number of job files that currently fail to parse. */
guint         init_engine_get_n_config_errors (InitEngine *engine);
InitEventQueue *init_engine_get_queue (InitEngine *engine);
/* Environment every job starts from (PATH, TERM, … + extra_env); borrowed. */
GPtrArray *init_engine_get_global_env (InitEngine *engine);

/* Job-level commands (Job.Start/Stop/Restart/GetInstance).  @env is the caller's KEY=VALUE
 * list (validated by the caller; may be NULL).  With @done, the caller is answered when the
 * instance reaches its goal or fails.  Errors: INIT_ERROR_ALREADY_STARTED,
 * INIT_ERROR_ALREADY_STOPPED, INIT_ERROR_UNKNOWN_INSTANCE, INIT_ERROR_INVALID_ARGS. */
InitInstance *init_job_start (InitJob             *entry,
                              GPtrArray           *env,
                              InitInstanceDoneFunc done,
                              gpointer             user_data,
                              GError             **error);
gboolean      init_job_stop (InitJob             *entry,
                             GPtrArray           *env,
                             InitInstanceDoneFunc done,
                             gpointer             user_data,
                             GError             **error);
InitInstance *init_job_restart (InitJob             *entry,
                                GPtrArray           *env,
                                InitInstanceDoneFunc done,
                                gpointer             user_data,
                                GError             **error);
/* Enable or disable @entry by `manual' in its override (init-conf-enable.h) and apply the
 * change at once (the job's file is re-read before this returns).  Errors: those of
 * init_conf_set_enabled(), INIT_ERROR_UNKNOWN_JOB for a job whose file is gone. */
gboolean      init_job_set_enabled (InitJob *entry,
                                    gboolean enabled,
                                    GError **error);
/* The instance @env selects (expanding the instance pattern), or NULL with
 * INIT_ERROR_UNKNOWN_INSTANCE / INIT_ERROR_INVALID_ARGS. */
InitInstance *init_job_get_instance (InitJob   *entry,
                                     GPtrArray *env,
                                     GError   **error);
/* The name of the instance @env would select (expanding the instance pattern), whether or
 * not it exists; NULL with INIT_ERROR_INVALID_ARGS.  Newly allocated. */
char *init_job_select_instance_name (InitJob   *entry,
                                     GPtrArray *env,
                                     GError   **error);
InitInstance *init_job_lookup_instance (InitJob    *entry,
                                        const char *name);
/* The class environment: global env + `env` stanzas (cached). Borrowed. */
GPtrArray *init_job_get_class_env (InitJob *entry);
InitJob *init_job_ref (InitJob *entry);
void          init_job_unref (InitJob *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitJob, init_job_unref)

/* Shutdown: stop every instance (no respawn) and call @done once none is left, or after the
 * largest kill timeout plus a margin has passed. */
void          init_engine_shutdown (InitEngine *engine,
                                    GFunc       done,
                                    gpointer    user_data);
gboolean      init_engine_is_shutting_down (InitEngine *engine);
guint         init_engine_get_n_instances (InitEngine *engine);

/* How forks of job processes are followed: "proc-connector" or "proc-scan". */
const char *init_engine_get_process_tracking (InitEngine *engine);

G_END_DECLS
