/* init-admin-format.h — turning the daemon's values into words for people
 *
 * Pure functions (no widgets), so they are unit-tested without a display.  Every string they
 * return is translated.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a row looks like at a glance; the order is the sort order of the state column. */
typedef enum
{
  INIT_ADMIN_STATUS_FAILED,
  INIT_ADMIN_STATUS_STARTING,
  INIT_ADMIN_STATUS_RUNNING,
  INIT_ADMIN_STATUS_STOPPING,
  INIT_ADMIN_STATUS_STOPPED,
} InitAdminStatus;

/* @goal/@state: an instance's Goal and State, or NULL for a job without instances. */
InitAdminStatus  init_admin_status_from (const char *goal,
                                         const char *state,
                                         gboolean    failed);
const char *init_admin_status_label (InitAdminStatus status);
const char *init_admin_status_icon_name (InitAdminStatus status);
const char *init_admin_status_css_class (InitAdminStatus status);

/* `start on` / `stop on` in words, from the StartOnTree form (post-order, "/AND" "/OR");
 * "" for an empty tree. */
char *init_admin_format_condition (GVariant *tree);
/* Event names a tree refers to, added to @names (a set of owned strings). */
void             init_admin_collect_event_names (GVariant   *tree,
                                                 GHashTable *names);

/* "The main process exited with status 1", "… was killed by signal SEGV", "… could not be
 * started", or for @process "respawn": the respawn limit was reached. */
char *init_admin_format_failure (const char *process,
                                 int         exit_status,
                                 const char *exit_signal);
/* Local time of @usec (µs since the epoch): "14:03:22" today, "2026-11-28 14:03:22" else. */
char *init_admin_format_time (gint64 usec);
/* Who or what caused a history record, from its details ("cause" and friends): "event
 * “startup”", "root (initctl start hello)", "respawn" …; "" when unknown. */
char *init_admin_format_cause (GVariant *details);
/* A user name for @uid ("uid 1234" if it has none). */
char *init_admin_format_user (guint32 uid);
/* "Yes, at most 10 times in 5 seconds", "Yes, without limit", "No". */
char *init_admin_format_respawn (gboolean respawn,
                                 guint32  count,
                                 guint32  interval);
/* "main 1234, post-start 1240" from Processes a(si); "" if none. */
char *init_admin_format_processes (GVariant *processes);
/* The main process's pid from Processes a(si), 0 if none. */
int              init_admin_main_pid (GVariant *processes);
/* One process of a GetProcessTree reply in display order: its index in the reply and its
 * depth below the processes the instance started. */
typedef struct
{
  guint index;
  guint depth;
} InitAdminTreeEntry;

/* The processes of a GetProcessTree reply (a(iiss): pid, ppid, role, command line) in the
 * order a tree is read: each process the instance started (a role; or an orphan, whose
 * parent is not in the tree) in the daemon's order, each descendant right after its parent
 * and its older siblings.  An array of InitAdminTreeEntry. */
GArray *init_admin_process_tree_order (GVariant *tree);
/* "KEY=VALUE KEY2=VALUE2" for an environment, values with spaces quoted. */
char *init_admin_format_env (const char *const *env);
/* An event as a title: "weather KIND=rain"; job events read "started hello RESULT=ok". */
char *init_admin_format_event_title (const char        *name,
                                     const char *const *env);
/* A job's display name: "job" or "job (instance)". */
char *init_admin_display_name (const char *job,
                               const char *instance);

G_END_DECLS
