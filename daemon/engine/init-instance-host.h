/* init-instance-host.h — what an instance needs from whoever holds it
 *
 * An instance never calls the engine: it is given a host at creation (a table of functions
 * plus their data) and reaches the world above it only through that.  The engine is the
 * real host (init-engine.c); the state machine's unit tests give it a fake one
 * (tests/engine/test-instance-transitions.c) that records what the instance asked for.
 * A detached instance (its engine went away, or it left its job) has no host and does
 * nothing more.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "init-cause.h"
#include "init-engine-options.h"
#include "init-event.h"
#include "init-job-class.h"
#include "init-proc-tracker.h"

G_BEGIN_DECLS

typedef struct _InitInstance InitInstance;

typedef struct
{
  /* Queue the job event @name (starting, started, stopping, stopped) with @env, caused by
   * @cause.  Returns the queued event (borrowed: the host's queue owns it). */
  InitEvent *(*emit_job_event)(gpointer host_data,
                               const char *name,
                               GPtrArray *env,
                               const InitCause *cause);
  /* The instance's goal, state, processes or failure changed. */
  void (*instance_changed)(gpointer      host_data,
                           InitInstance *instance);
  /* The instance reached waiting with goal stop: the host lets it go (detaching it). */
  void (*instance_finished)(gpointer      host_data,
                            InitInstance *instance);
  /* A process of the instance ended (status: exit code or signum << 8). */
  void (*process_exited)(gpointer        host_data,
                         InitInstance   *instance,
                         InitProcessType type,
                         pid_t           pid,
                         int             status);
  /* The cause pushed by the caller of the current command, or NULL. */
  const InitCause *(*get_current_cause)(gpointer host_data);
  /* TRUE while no instance may respawn (shutting down). */
  gboolean (*respawn_disabled)(gpointer host_data);
  /* The instance starts (TRUE) or stops (FALSE) waiting for something only a /proc scan
   * would notice in time (its main process to fork, its strays to die). */
  void (*want_polling)(gpointer host_data,
                       gboolean waiting);
  /* The daemon's options (never NULL). */
  const InitEngineOptions *(*get_options)(gpointer host_data);
  /* The tracker of every process of every instance (never NULL). */
  InitProcTracker *(*get_tracker)(gpointer host_data);
} InitInstanceHost;

G_END_DECLS
