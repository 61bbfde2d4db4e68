/* init-engine-internal.h — the engine object's fields, shared by its own files only
 * (init-engine.c, init-engine-dispatch.c, init-job.c; instances use init-engine-private.h) */
#pragma once

#include "init-conf.h"
#include "init-engine-private.h"
#include "init-event-operator.h"
#include "init-proc-tracker.h"

G_BEGIN_DECLS

struct _InitEngine
{
  GObject parent_instance;

  InitEngineOptions options;
  InitEventQueue   *queue;
  InitConf         *conf;
  GHashTable       *entries;       /* name -> InitJob* (owned ref) */
  GHashTable       *index;         /* event name -> GPtrArray of InitJob* (borrowed) */
  GPtrArray        *global_env;
  GPtrArray        *causes;        /* InitCause* stack pushed by callers */
  guint             next_order;
  guint             n_instances;

  gboolean shutting_down;
  GFunc    shutdown_done;
  gpointer shutdown_data;
  guint    shutdown_timer;

  InitProcTracker *tracker;        /* every process of every instance */
  guint            orphan_hook;    /* reaper hook for re-parented strays */
  guint            n_polling;      /* instances waiting for what only polling /proc notices in time */
};

enum
{
  SIGNAL_JOB_ADDED,
  SIGNAL_JOB_CHANGED,
  SIGNAL_JOB_REMOVED,
  SIGNAL_INSTANCE_ADDED,
  SIGNAL_INSTANCE_CHANGED,
  SIGNAL_INSTANCE_REMOVED,
  SIGNAL_EVENT_QUEUED,
  SIGNAL_EVENT_FINISHED,
  SIGNAL_CONFIG_ERROR,
  SIGNAL_CONFIG_ERRORS_CHANGED,
  SIGNAL_PROCESS_EXITED,
  SIGNAL_IDLE,
  SIGNAL_PROCESS_TRACKING_CHANGED,
  N_SIGNALS
};

extern guint init_engine_signals[N_SIGNALS];

/* What instances reach the engine through (their host data is the engine). */
extern const InitInstanceHost init_engine_instance_host;

/* The instance reached waiting: remove it from its job (and the job, if it was deleted). */
void        init_engine_instance_finished (InitEngine   *engine,
                                           InitInstance *job);

/* ---- jobs (init-job.c) ---- */
InitJob *init_job_new (InitEngine   *engine,
                       const char   *name,
                       InitJobClass *klass);
/* The one empty instance table every job without instances shares (never written). */
GHashTable *init_job_shared_empty_instances (void);
/* The job's own instance table, made on its first instance. */
GHashTable *init_job_writable_instances (InitJob *entry);
/* A new instance @name of the job's current class, announced with "instance-added". */
InitInstance *init_job_add_instance (InitJob    *entry,
                                     const char *name);
/* Expand the instance pattern against @env; the error carries the usage text if asked. */
char *init_job_instance_name (InitJob   *entry,
                              GPtrArray *env,
                              gboolean   with_usage,
                              GError   **error);

/* ---- events reaching jobs (init-engine-dispatch.c) ---- */
/* Index @entry under every event name its trees mention (none once it left the engine). */
void        init_engine_reindex_job (InitEngine *engine,
                                     InitJob    *entry);
/* Make @klass the job's current class, carrying latched `start on` leaves over. */
void        init_job_take_class (InitJob      *entry,
                                 InitJobClass *klass);
/* The event queue's handler: feed @event to every job that names it. */
void        init_engine_handle_event (InitEventQueue *queue,
                                      InitEvent      *event,
                                      gpointer        user_data);

G_END_DECLS
