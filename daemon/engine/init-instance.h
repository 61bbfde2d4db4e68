/* init-job.h — job instances: goal, state, processes (reference §3)
 *
 * An instance belongs to a job entry (one per job name, see init-engine.h) and runs the class it
 * was created with.  Its goal (start/stop) is kept apart from its state; the next state is a
 * pure function of (state, goal, main process alive).  Entering a state performs its action
 * (emit an event and wait for it, spawn a process and wait for it, kill…), and the machine
 * advances when that action completes.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "init-cause.h"
#include "init-event.h"
#include "init-instance-host.h"
#include "init-job-class.h"

G_BEGIN_DECLS

typedef enum
{
  INIT_GOAL_STOP,
  INIT_GOAL_START,
  INIT_GOAL_RESPAWN,
} InitGoal;

typedef enum
{
  INIT_STATE_WAITING,
  INIT_STATE_STARTING,
  INIT_STATE_PRE_START,
  INIT_STATE_SPAWNED,
  INIT_STATE_POST_START,
  INIT_STATE_RUNNING,
  INIT_STATE_PRE_STOP,
  INIT_STATE_STOPPING,
  INIT_STATE_KILLED,
  INIT_STATE_POST_STOP,
} InitState;

typedef struct _InitInstance InitInstance;
typedef struct _InitJob InitJob;
typedef struct _InitEngine InitEngine;

/* Answer to a caller that asked to wait: @error is NULL on success, else INIT_ERROR_JOB_FAILED
 * or INIT_ERROR_CANCELED. @job may already have left the instance table (a finished task). */
typedef void (*InitInstanceDoneFunc) (InitInstance *job,
                                      const GError *error,
                                      gpointer      user_data);

struct _InitInstance
{
  /*< public, read-only >*/
  char         *name;           /* instance name, "" for single-instance jobs */
  InitJob      *entry;     /* weak: cleared when the instance is removed */
  InitJobClass *klass;          /* the definition this instance runs */
  InitGoal      goal;
  InitState     state;
  GPtrArray    *env;            /* the instance environment */
  GPtrArray    *start_env;      /* pending environment for the next start, or NULL */
  GPtrArray    *stop_env;       /* environment of the stop request, or NULL */
  GPtrArray    *fds;            /* InitFdLease*: what its processes get as fd 3, 4, … (the
                                 * UPSTART_FDS of env), held until it stops; or NULL */
  GPtrArray *start_fds;         /* the same for start_env, or NULL */
  pid_t      pid[INIT_PROCESS_N];

  gboolean        failed;
  InitProcessType failed_process;  /* INIT_PROCESS_NONE with failed = respawn limit */
  int             exit_status;     /* exit code, signum << 8, or -1 (spawn failure) */
  gint64          failed_time;     /* real time (µs) of the last failure, 0 if none */
  int             respawn_count;
  gint64          respawn_time;    /* monotonic µs */
  gboolean        removed;         /* reached waiting and left the table */
  gboolean        restarting;      /* a Restart is on its way down: pre-stop leads on to
                                    * stopping although the goal is start */
  InitCause *cause;                /* why the goal last changed (never NULL) */

  /*< private; counted with g_rc_box (init_instance_ref/unref) >*/
  const InitInstanceHost *host;  /* NULL once detached (init-instance-host.h) */
  gpointer                host_data;
  InitEventOperator      *stop_on; /* private copy of the class tree */
  InitEvent              *blocker; /* our own starting/stopping event we wait for */
  GPtrArray              *blocking; /* InitEvent*: events we hold until we finish */
  GArray                 *waiters; /* method callers waiting for us */
  guint                   watch[INIT_PROCESS_N];
  guint                   kill_timer;
  struct _InitLog        *log;
  int                     changing; /* re-entrancy depth of change_state */
  guint                   forks_seen; /* expect fork/daemon: forks of the main process so far */
  gboolean                expecting; /* waiting in spawned for those forks */
  gboolean                awaiting_strays; /* killed: waiting for what the job left behind */
  pid_t                   log_pid; /* the pid the main process's pty was opened for */
  guint                   dead_on_restore; /* bit per process type found dead when adopted */
  char                   *failed_reason; /* set when the failure has a reason of its own */
};

/* Descriptors from events (init-fd-lease.h) reach processes as fd 3, 4, …, at most 6 of them
 * (the script pipe is fd 9). */
#define INIT_INSTANCE_FIRST_FD 3
#define INIT_INSTANCE_MAX_FDS 6

const char *init_goal_to_string (InitGoal goal);
const char *init_state_to_string (InitState state);
/* -1 if unknown. */
int           init_goal_from_string (const char *str);
int           init_state_from_string (const char *str);

/* The transition table (§3.2), pure: returns the state that follows @state when the goal is
 * @goal and the main process is (or is not) alive.  For goal respawn, *@new_goal is set to
 * start where the table says so (may be NULL). */
InitState  init_instance_next_state (InitState state,
                                     InitGoal  goal,
                                     gboolean  main_alive,
                                     InitGoal *new_goal);

InitInstance *init_instance_ref (InitInstance *job);
void          init_instance_unref (InitInstance *job);

/* How many instances exist in this process, freed or not by their engine (for leak tests and
 * the soak: engines are single-threaded, so is this count). */
guint         init_instance_count_live (void);

/* "name" or "name (instance)". Newly allocated. */
char *init_instance_display_name (InitInstance *job);

/* Instance-level commands (Instance.Start/Stop/Restart/Reload): see init-engine.h for the
 * job-level ones.  With a @done callback the caller is answered when the instance reaches its
 * goal (service running / task finished / stopped) or fails. */
gboolean      init_instance_start (InitInstance        *job,
                                   InitInstanceDoneFunc done,
                                   gpointer             user_data,
                                   GError             **error);
gboolean      init_instance_stop (InitInstance        *job,
                                  GPtrArray           *stop_env,
                                  InitInstanceDoneFunc done,
                                  gpointer             user_data,
                                  GError             **error);
gboolean      init_instance_restart (InitInstance        *job,
                                     GPtrArray           *start_env,
                                     InitInstanceDoneFunc done,
                                     gpointer             user_data,
                                     GError             **error);
/* Send the class's reload signal to the main process. INIT_ERROR_NOT_RUNNING without one. */
gboolean      init_instance_reload (InitInstance *job,
                                    GError      **error);

/* Why the failed instance @job failed, for people: "respawning too fast", "pre-start
 * process terminated with status 1", its own reason ("daemon restarted")…  Newly
 * allocated. */
char *init_instance_failure_reason (InitInstance *job);

/* Number of live processes of the instance. */
guint         init_instance_count_processes (InitInstance *job);

/* One process of an instance's tree. */
typedef struct
{
  pid_t           pid;
  pid_t           ppid;
  InitProcessType type;      /* main, pre-start…; INIT_PROCESS_NONE for other descendants */
  char           *cmdline;   /* "/usr/sbin/foo -d", or "[comm]" */
} InitInstanceProcessInfo;

/* Every live process of the instance: the ones it spawned and all their descendants (also
 * those that left the process group or session), main process first, then by pid.  An array
 * of InitInstanceProcessInfo that frees its cmdlines. */
GArray *init_instance_get_process_tree (InitInstance *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitInstance, init_instance_unref)

G_END_DECLS
