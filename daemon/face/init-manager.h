/* init-manager.h — the manager object /org/example/Init (org.example.Init)
 *
 * A final subclass of the generated InitDBusManagerSkeleton.  It follows the engine: it
 * tells its InitObjectTree (the jobs and instances on the bus, and the ObjectManager) what
 * changed, and broadcasts EventEmitted / EventFinished / HistoryRecord / JobAdded /
 * JobRemoved.  The signals sent for every event are written straight to the connection (no
 * GSignal emission, no GValue), since they are most of what an event costs.
 *
 * The bus side (connections, name, reconnects) is InitService's: it exports the manager
 * skeleton and attaches the object tree to the connection.
 *
 * Callers that asked to wait are parked here until the engine answers them.  If their
 * connection closes first (the bus went away), init_manager_connection_closed() drops them:
 * the answer could never be delivered.
 */
#pragma once

#include <gio/gio.h>

#include "init-authority.h"
#include "init-dbus-generated.h"
#include "init-engine.h"
#include "init-history.h"
#include "init-object-tree.h"

G_BEGIN_DECLS

#define INIT_MANAGER_PATH "/org/example/Init"

#define INIT_TYPE_MANAGER (init_manager_get_type ())
G_DECLARE_FINAL_TYPE (InitManager, init_manager, INIT, MANAGER, InitDBusManagerSkeleton)

typedef struct
{
  InitEngine         *engine;
  InitAuthority      *authority;
  InitHistory        *history;
  const char         *mode;        /* "system" or "session" */
  const char * const *conf_dirs;   /* highest priority first */
  const char         *log_dir;     /* NULL or "": logging off */
  /* Manager.Reexec, once authorized: takes over @invocation (the new process answers it).
   * NULL: Reexec fails with org.example.Init.Error.Failed. */
  void              (*reexec)      (GDBusMethodInvocation *invocation,
                                    gpointer               user_data);
  gpointer            reexec_data;
} InitManagerOptions;

/* Export every job and instance the engine has now, and follow it from then on. */
InitManager              *init_manager_new               (const InitManagerOptions *options);
/* The jobs and instances on the bus (attached to a connection by InitService). */
InitObjectTree           *init_manager_get_object_tree    (InitManager     *self);
InitEngine               *init_manager_get_engine         (InitManager     *self);
InitAuthority            *init_manager_get_authority      (InitManager     *self);
/* Drop every parked caller of @connection (it closed). */
void                      init_manager_connection_closed  (InitManager     *self,
                                                           GDBusConnection *connection);

/* ---- for the job and instance objects ---- */

typedef enum
{
  INIT_PARKED_JOB_START,        /* Job.Start: replies (o) */
  INIT_PARKED_JOB_STOP,         /* Job.Stop: replies () */
  INIT_PARKED_JOB_RESTART,      /* Job.Restart: replies (o) */
  INIT_PARKED_INSTANCE,         /* Instance.Start/Stop/Restart: replies () */
  INIT_PARKED_EMIT,             /* EmitEvent: replies (t) */
} InitParkedKind;

typedef struct _InitParked InitParked;

/* Park @invocation (its reference moves to the parked record) until the engine answers. */
InitParked *init_manager_park      (InitManager           *self,
                                    GDBusMethodInvocation *invocation,
                                    InitParkedKind         kind);
/* Take the invocation back out and free the record: NULL if the caller was dropped. */
GDBusMethodInvocation *init_parked_take (InitParked       *parked);
/* InitInstanceDoneFunc for @user_data = an InitParked: answers the caller with the outcome. */
void        init_manager_job_done  (InitInstance               *job,
                                    const GError          *error,
                                    gpointer               user_data);

/* Push (pop) @caller as the engine's cause around a command, so everything the command
 * causes is attributed to the caller. */
void        init_manager_push_caller (InitManager         *self,
                                      const InitCaller    *caller);
void        init_manager_pop_caller  (InitManager         *self);

G_END_DECLS
