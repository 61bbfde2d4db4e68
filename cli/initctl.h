/* initctl.h — what initctl's modules share: options, the connection, calls, output helpers
 *
 * initctl is a thin client of org.example.Init.xml.  Every call goes through initctl_call(),
 * which takes the interface description gdbus-codegen generated from the XML, so method names
 * and reply signatures cannot drift from the contract.  Calls are made directly on the
 * connection rather than through generated GDBusProxy objects: a proxy costs a GetNameOwner
 * round trip and a match rule per object before the first call, and a one-shot command wants
 * exactly one round trip per question (see cli/README.md, "Performance").
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INITCTL_BUS_NAME      "org.example.Init"
#define INITCTL_MANAGER_PATH  "/org/example/Init"

/* Exit statuses (cli/README.md has the table the man page copies). */
typedef enum
{
  INITCTL_EXIT_OK              = 0,
  INITCTL_EXIT_FAILURE         = 1,   /* any other error; bad command line */
  INITCTL_EXIT_UNKNOWN_JOB     = 2,
  INITCTL_EXIT_NOT_RUNNING     = 3,   /* no such instance, already stopped, nothing to reload */
  INITCTL_EXIT_ALREADY_RUNNING = 4,
  INITCTL_EXIT_JOB_FAILED      = 5,   /* a waited-for job or event failed, or was canceled */
  INITCTL_EXIT_DENIED          = 6,
  INITCTL_EXIT_NO_DAEMON       = 7,   /* no bus, or no initd on it */
  INITCTL_EXIT_INTERRUPTED     = 130, /* Ctrl-C while waiting */
} InitctlExit;

typedef struct
{
  const char *prog;                 /* "initctl", or "start", "stop"… when run through a link */

  /* global options */
  gboolean opt_system;
  gboolean opt_session;
  char    *dest;
  gboolean quiet;
  gboolean verbose;
  gboolean no_ask_password;

  /* command options */
  gboolean no_wait;
  gboolean json;
  gboolean tree;
  gboolean enumerate;
  gboolean warn;
  char    *ignore_events;
  char    *check_file;      /* check-config --file */

  /* the connection */
  GDBusConnection *bus;
  char            *bus_label;       /* "system bus", "session bus" or the address used */
  gboolean         polkit;          /* the daemon is a system daemon: polkit decides */
  gpointer         agent;           /* the textual polkit agent, once registered */
  char            *agent_failure;   /* why it could not be registered, if it could not */
} Initctl;

typedef enum
{
  INITCTL_CALL_NONE    = 0,
  INITCTL_CALL_CHANGES = 1 << 0,    /* changes something: may need (interactive) authorization */
  INITCTL_CALL_WAITS   = 1 << 1,    /* may take as long as a job: no timeout, Ctrl-C aborts */
} InitctlCallFlags;

/* ---- initctl.c ---- */

/* "<prog>: <message>" on stderr (unless the message is empty). */
void       initctl_error (Initctl    *ctl,
                          const char *format,
                          ...) G_GNUC_PRINTF (2, 3);
/* initctl_error() plus the "Try `<prog> --help'" line; returns INITCTL_EXIT_FAILURE. */
int        initctl_usage_error (Initctl    *ctl,
                                const char *format,
                                ...) G_GNUC_PRINTF (2, 3);
/* Write @text to stdout (nothing with --quiet). */
void       initctl_output (Initctl       *ctl,
                           const GString *text);

/* ---- initctl-connect.c ---- */

gboolean   initctl_connect (Initctl *ctl,
                            GError **error);
/* Call @method of @iface (generated interface info) on @path; the reply is checked against
 * the method's out-arguments.  NULL with @error on failure; with INITCTL_CALL_WAITS a Ctrl-C
 * gives G_IO_ERROR_CANCELLED. */
GVariant *initctl_call (Initctl            *ctl,
                        const char         *path,
                        GDBusInterfaceInfo *iface,
                        const char         *method,
                        GVariant           *params,
                        InitctlCallFlags    flags,
                        GError            **error);
/* One property (the unboxed value), or all of them (a{sv}). */
GVariant *initctl_get_property (Initctl            *ctl,
                                const char         *path,
                                GDBusInterfaceInfo *iface,
                                const char         *name,
                                GError            **error);
GVariant *initctl_get_all (Initctl            *ctl,
                           const char         *path,
                           GDBusInterfaceInfo *iface,
                           GError            **error);
/* Every job and instance with its properties (a{oa{sa{sv}}}): one round trip.  At most once
 * per run: the reply is kept until the process exits. */
GVariant *initctl_get_managed_objects (Initctl *ctl,
                                       GError **error);
/* GetJobByName. */
char *initctl_get_job_path (Initctl    *ctl,
                            const char *name,
                            GError    **error);
/* `JOB [KEY=VALUE…]` in @args: checks them, connects, and asks the job for the instance they
 * name (Job.GetInstance); its path, or NULL with @error. */
char *initctl_get_instance_path (Initctl *ctl,
                                 char   **args,
                                 GError **error);
/* Print @error the way Upstart did ("<prog>: <message>") and return its exit status. */
int        initctl_report_error (Initctl      *ctl,
                                 const GError *error);
/* The D-Bus error name of @error, or NULL. */
char *initctl_error_name (const GError *error);
/* Did the object go away under us (instance finished between two calls)? */
gboolean   initctl_error_is_vanished (const GError *error);
/* Check that every string in @args is UTF-8 (D-Bus strings must be). */
gboolean   initctl_check_utf8 (char   **args,
                               GError **error);

/* ---- initctl-agent.c ---- */

/* Could a textual agent help here (system daemon, not root, a terminal, not refused)? */
gboolean   initctl_agent_possible (Initctl *ctl);
/* Register the textual agent for this process (once). */
gboolean   initctl_agent_start (Initctl *ctl,
                                GError **error);
/* Put the terminal back as it was (after an interrupted password prompt). */
void       initctl_agent_restore_tty (Initctl *ctl);
/* Unregister the agent and free it (nothing if none was registered). */
void       initctl_agent_stop (Initctl *ctl);

/* ---- initctl-status.c ---- */

/* Properties from an a{sv} (NULL allowed) without flattening it (see initctl-status.c). */
const char *initctl_prop_string (GVariant   *props,
                                 const char *key,
                                 const char *fallback);
const char **initctl_prop_strv (GVariant   *props,
                                const char *key);
gboolean     initctl_prop_boolean (GVariant   *props,
                                   const char *key);
gint64       initctl_prop_int (GVariant   *props,
                               const char *key,
                               gint64      fallback);

/* "<job>[ (<instance>)] <goal>/<state>[, …process N]\n[\t<name> process N\n]…" from the
 * Instance properties @props (a{sv}); @props NULL gives "<job> stop/waiting". */
void       initctl_append_status (GString    *out,
                                  const char *job,
                                  GVariant   *props);
/* The same as one JSON object (no newline). */
void       initctl_append_status_json (GString    *out,
                                       const char *job,
                                       GVariant   *props);
/* Print the status of the instance at @path (NULL, or gone: "<job> stop/waiting"), as text
 * or (--json) one JSON object. */
int        initctl_print_instance (Initctl    *ctl,
                                   const char *job,
                                   const char *path);

typedef struct
{
  const char *name;        /* the job name (points into the GetManagedObjects reply) */
  GVariant   *job;         /* its Job properties (a{sv}) */
  GPtrArray  *instances;   /* its Instance properties (a{sv}), sorted by name; NULL if none */
} InitctlJobRow;

/* Every job with its instances from one GetManagedObjects reply, as InitctlJobRow sorted by
 * job name (the daemon's order is its load order; scripts want a stable one).  The rows
 * point into @objects, which must outlive them. */
GPtrArray *initctl_collect_jobs (GVariant *objects);

/* ---- initctl-tree.c ---- */

/* Instance.GetProcessTree of the instance at @path: a(iiss); an instance that went away
 * meanwhile has an empty tree. */
GVariant *initctl_get_process_tree (Initctl    *ctl,
                                    const char *path,
                                    GError    **error);
/* One line per process, indented by its depth below the processes the instance started:
 * "    PID ROLE COMMAND" (ROLE left out for descendants). */
void       initctl_append_tree (GString  *out,
                                GVariant *tree);
/* The same as a JSON array of {"pid","ppid","role","command","depth"} objects. */
void       initctl_append_tree_json (GString  *out,
                                     GVariant *tree);

/* "HH:MM:SS.mmm", the local time of @usec (µs since the epoch), or "?" for 0
 * (initctl-why.c).  Newly allocated. */
char *initctl_format_usec (guint64 usec);

/* ---- initctl-json.c ---- */

void       initctl_json_string (GString    *out,
                                const char *text);
void       initctl_json_strv (GString           *out,
                              const char *const *strv);

/* ---- commands: (ctl, positional arguments) -> exit status ---- */

int        initctl_cmd_start (Initctl *ctl, char **args);
int        initctl_cmd_stop (Initctl *ctl, char **args);
int        initctl_cmd_restart (Initctl *ctl, char **args);
int        initctl_cmd_reload (Initctl *ctl, char **args);
int        initctl_cmd_status (Initctl *ctl, char **args);
int        initctl_cmd_usage (Initctl *ctl, char **args);
int        initctl_cmd_list (Initctl *ctl, char **args);
int        initctl_cmd_emit (Initctl *ctl, char **args);
int        initctl_cmd_reload_configuration (Initctl *ctl, char **args);
int        initctl_cmd_enable (Initctl *ctl, char **args);
int        initctl_cmd_disable (Initctl *ctl, char **args);
int        initctl_cmd_reexec (Initctl *ctl, char **args);
int        initctl_cmd_version (Initctl *ctl, char **args);
int        initctl_cmd_list_sources (Initctl *ctl, char **args);
int        initctl_cmd_log_priority (Initctl *ctl, char **args);
int        initctl_cmd_show_config (Initctl *ctl, char **args);
int        initctl_cmd_check_config (Initctl *ctl, char **args);
int        initctl_cmd_why (Initctl *ctl, char **args);
int        initctl_cmd_why_not (Initctl *ctl, char **args);
int        initctl_cmd_monitor (Initctl *ctl, char **args);

G_END_DECLS
