/* init-engine-private.h — the engine's side doors for the rest of the engine (history,
 * save/restore, tests); not for the D-Bus face.  Instances never use it: they reach the
 * engine only through their host (init-instance-host.h). */
#pragma once

#include "init-engine.h"
#include "init-instance-private.h"
#include "init-proc-tracker.h"

G_BEGIN_DECLS

const InitEngineOptions *init_engine_get_options (InitEngine *engine);

/* The cause pushed by the caller of the current command, or NULL. */
const InitCause *init_engine_get_current_cause (InitEngine *engine);

/* Restore: a new instance @name of @entry running @klass, without any side effect; once it
 * has its state back, init_engine_announce_instance() emits "instance-added". */
InitInstance *init_engine_restore_instance (InitEngine   *engine,
                                            InitJob      *entry,
                                            InitJobClass *klass,
                                            const char   *name);
void          init_engine_announce_instance (InitEngine   *engine,
                                             InitInstance *job);

/* The tracker of every process of every instance. */
InitProcTracker *init_engine_get_tracker (InitEngine *engine);

G_END_DECLS
