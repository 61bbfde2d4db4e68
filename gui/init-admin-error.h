/* init-admin-error.h — what went wrong, in plain words
 *
 * The daemon answers with named D-Bus errors (org.example.Init.Error.*, AccessDenied …).
 * People should read "Permission denied: …" or "The daemon is not running", never
 * "GDBus.Error:org.example.Init.Error.JobFailed" alone.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  INIT_ADMIN_ERROR_KIND_OTHER,
  INIT_ADMIN_ERROR_KIND_DENIED,        /* AccessDenied, PermissionDenied, auth required */
  INIT_ADMIN_ERROR_KIND_DAEMON_GONE,   /* no owner, disconnected, no reply */
  INIT_ADMIN_ERROR_KIND_FAILED,        /* JobFailed, EventFailed, Canceled, SpawnFailed */
  INIT_ADMIN_ERROR_KIND_INPUT,         /* InvalidEvent, InvalidEnvironment, InvalidArgs */
  INIT_ADMIN_ERROR_KIND_STATE,         /* AlreadyStarted/Stopped, Unknown*, NotRunning */
  INIT_ADMIN_ERROR_KIND_CANCELLED,     /* we cancelled it ourselves: say nothing */
} InitAdminErrorKind;

InitAdminErrorKind init_admin_error_kind (const GError *error);
/* Whether @error is the daemon's JobFailed: the job ran and failed (the job shows how). */
gboolean           init_admin_error_is_job_failed (const GError *error);
/* One or two sentences for @error; the daemon's own message is kept when it helps, without
 * the D-Bus error name. */
char *init_admin_error_describe (const GError *error);

G_END_DECLS
