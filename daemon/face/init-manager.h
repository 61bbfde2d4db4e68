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
 * Methods that change state are InitCalls (init-call.h).  Callers that asked to wait are
 * parked here until the engine answers them.  If their connection closes first (the bus went
 * away), init_manager_connection_closed() drops them: the answer could never be delivered.
 */
#pragma once

#include <gio/gio.h>

#include "init-authority.h"
#include "init-dbus-generated.h"
#include "init-engine.h"
#include "init-history.h"
#include "init-object-tree.h"
#include "init-source.h"

G_BEGIN_DECLS

#define INIT_MANAGER_PATH "/org/example/Init"

typedef struct _InitCall InitCall;   /* init-call.h */

#define INIT_TYPE_MANAGER (init_manager_get_type ())
G_DECLARE_FINAL_TYPE (InitManager, init_manager, INIT, MANAGER, InitDBusManagerSkeleton)

typedef struct
{
  InitEngine        *engine;
  InitAuthority     *authority;
  InitHistory       *history;
  const char        *mode;         /* "system" or "session" */
  const char *const *conf_dirs;    /* highest priority first */
  const char        *log_dir;      /* NULL or "": logging off */
  /* Manager.Reexec, once authorized: takes over @call's reference and answers it (the new
   * process does, with init_call_load()).  NULL: Reexec fails with
   * org.example.Init.Error.Failed. */
  void (*reexec)(InitCall *call,
                 gpointer  user_data);
  gpointer reexec_data;
} InitManagerOptions;

/* Export every job and instance the engine has now, and follow it from then on. */
InitManager *init_manager_new (const InitManagerOptions *options);
/* The jobs and instances on the bus (attached to a connection by InitService). */
InitObjectTree *init_manager_get_object_tree (InitManager *self);
InitEngine *init_manager_get_engine (InitManager *self);
InitAuthority *init_manager_get_authority (InitManager *self);
InitHistory *init_manager_get_history (InitManager *self);
/* The event sources WhyNot names as producers (borrowed; the daemon clears them with NULL
 * before it frees them). */
void          init_manager_set_sources (InitManager *self,
                                        InitSources *sources);
InitSources *init_manager_get_sources (InitManager *self);
/* Drop every parked caller of @connection (it closed). */
void                      init_manager_connection_closed (InitManager     *self,
                                                          GDBusConnection *connection);

/* ---- for the calls (init-call.h) ---- */

/* The parked calls (InitCall*, links embedded): callers waiting on the engine. */
GQueue *init_manager_get_calls (InitManager *self);

G_END_DECLS
