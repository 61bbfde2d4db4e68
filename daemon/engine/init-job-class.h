/* init-job-class.h — a parsed job definition (one .conf file plus its .override)
 *
 * Pure configuration, immutable once parsing has finished: the engine keeps runtime state
 * (instances, the latched `start on` tree) elsewhere and holds classes by reference.
 * Defaults follow reference §1.3.
 */
#pragma once

#include <glib.h>
#include <sys/resource.h>

#include "init-event-operator.h"

G_BEGIN_DECLS

typedef enum
{
  INIT_PROCESS_MAIN,
  INIT_PROCESS_PRE_START,
  INIT_PROCESS_POST_START,
  INIT_PROCESS_PRE_STOP,
  INIT_PROCESS_POST_STOP,
  INIT_PROCESS_N,
  INIT_PROCESS_NONE = -1,
} InitProcessType;

typedef enum
{
  INIT_EXPECT_NONE,
  INIT_EXPECT_STOP,
  INIT_EXPECT_DAEMON,
  INIT_EXPECT_FORK,
} InitExpectType;

typedef enum
{
  INIT_CONSOLE_LOG,     /* default */
  INIT_CONSOLE_NONE,
  INIT_CONSOLE_OUTPUT,
  INIT_CONSOLE_OWNER,
} InitConsoleType;

#define INIT_DEFAULT_KILL_TIMEOUT      5
#define INIT_DEFAULT_RESPAWN_LIMIT     10
#define INIT_DEFAULT_RESPAWN_INTERVAL  5
#define INIT_DEFAULT_UMASK             022
#define INIT_NICE_UNSET                (-21)
/* Number of resources `limit` knows (RLIMIT_NLIMITS on Linux). */
#define INIT_N_LIMITS                  RLIM_NLIMITS

typedef struct
{
  gboolean script;      /* TRUE: `script … end script`; FALSE: `exec COMMAND` */
  char    *command;     /* command line (quotes kept) or script text; NULL: no process */
} InitProcessDef;

typedef struct _InitJobClass InitJobClass;

/* Reference counted with g_atomic_rc_box (atomically, as it always was);
 * every member is described once in init-job-class-fields.c. */
struct _InitJobClass
{
  char *name;                      /* job name, e.g. "net/apache" */
  char *path;                      /* the .conf file, or NULL */
  char *override_path;             /* the .override applied, or NULL */

  char *description;
  char *author;
  char *version;
  char *usage;
  char *instance;                  /* unexpanded instance pattern; "" = single instance */

  /* Lists are never NULL, but empty ones are shared: read them freely, append only through
   * init_job_class_writable_list() / init_job_class_writable_normal_exit(). */
  GPtrArray *env;                  /* `env` entries in order ("KEY=VALUE" or "KEY") */
  GPtrArray *export;               /* `export` names */
  GPtrArray *emits;                /* `emits` patterns */

  InitEventOperator *start_on;     /* NULL: never starts on an event */
  InitEventOperator *stop_on;      /* NULL: never stops on an event */

  InitProcessDef process[INIT_PROCESS_N];

  InitExpectType expect;
  gboolean       task;
  gboolean       manual;           /* a `manual` stanza was seen (after which start on is NULL) */

  int kill_timeout;                 /* seconds */
  int kill_signal;                  /* default SIGTERM */
  int reload_signal;                /* default SIGHUP */

  gboolean respawn;
  int      respawn_limit;               /* 0 with interval 0: unlimited */
  int      respawn_interval;            /* seconds */

  GArray *normal_exit;             /* int: exit status, or signum << 8 */

  InitConsoleType console;
  mode_t          umask;
  int             nice;             /* INIT_NICE_UNSET if not given */
  int             oom_score_adj;    /* -1000 … 1000 */
  gboolean        oom_set;          /* an `oom` stanza was given */
  struct rlimit **limits;           /* NULL (no `limit` at all), or INIT_N_LIMITS entries, NULL
                                     * = inherit; use init_job_class_get/set_limit() */

  char *chroot;
  char *chdir;
  char *setuid;
  char *setgid;

  gboolean   debug;
  char      *apparmor_load;           /* parsed, unsupported */
  char      *apparmor_switch;         /* parsed, unsupported */
  GPtrArray *cgroups;                 /* parsed text of each `cgroup` stanza, unsupported */
};

/* A class with every default of §1.3.  @name may be NULL (set later). */
InitJobClass *init_job_class_new (const char *name);
/* Deep copy, used to apply an override without touching the original. Latched state of the
 * operator trees is not copied (the copies are reset). */
InitJobClass *init_job_class_copy (const InitJobClass *klass);
InitJobClass *init_job_class_ref (InitJobClass *klass);
void          init_job_class_unref (InitJobClass *klass);

/* "main", "pre-start", "post-start", "pre-stop", "post-stop"; NULL for NONE/out of range. */
const char *init_process_type_to_string (InitProcessType type);
/* Inverse of the above; INIT_PROCESS_NONE if unknown. */
InitProcessType init_process_type_from_string (const char *str);
const char *init_expect_type_to_string (InitExpectType type);
const char *init_console_type_to_string (InitConsoleType type);

/* The list in @field (one of klass->env, export, emits, cgroups) made safe to append to: empty
 * lists are shared between classes until written (used by the parser). */
GPtrArray *init_job_class_writable_list (GPtrArray **field);
/* klass->normal_exit made safe to append to. */
GArray *init_job_class_writable_normal_exit (InitJobClass *klass);

/* The `limit` for @resource, or NULL to inherit. */
const struct rlimit *init_job_class_get_limit (const InitJobClass *klass,
                                               int                 resource);
void          init_job_class_set_limit (InitJobClass        *klass,
                                        int                  resource,
                                        const struct rlimit *limit);

/* Is exit @status (exit code, or signum << 8) listed in `normal exit`? */
gboolean      init_job_class_is_normal_exit (const InitJobClass *klass,
                                             int                 status);
/* Does the class run no process at all ("abstract job")? */
gboolean      init_job_class_is_abstract (const InitJobClass *klass);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitJobClass, init_job_class_unref)

G_END_DECLS
