/* init-log-reader.h — `console log` files for clients: Job.GetLog and Job.LogChanged
 *
 * init_log_reader_read() reads a slice of a log file as valid UTF-8 together with the file
 * offsets it covers, so a client can show the tail and then follow the file from where it
 * stopped (org.example.Init.xml, GetLog).
 *
 * InitLogWatch watches the log directory (inotify through GFileMonitor, rate-limited to about
 * four events a second per file) and sends LogChanged on the job object whose log changed.
 * There is one per manager, created with the manager and kept on it.
 */
#pragma once

#include <gio/gio.h>

#include "init-dbus-generated.h"
#include "init-manager.h"

G_BEGIN_DECLS

#define INIT_LOG_READER_DEFAULT_MAX (64 * 1024)     /* max_bytes 0 */
#define INIT_LOG_READER_LIMIT       (1024 * 1024)   /* larger requests are clamped */
#define INIT_LOG_READER_TAIL        G_MAXUINT64     /* offset: read the tail */

/* Read at most @max_bytes of @path from @offset (INIT_LOG_READER_TAIL: the tail, from the
 * first whole line).  A missing file reads as empty.  @text: newly allocated valid UTF-8
 * without NUL bytes; @start/@end: the file offsets it covers; @size: the file size now.
 * FALSE with a G_IO_ERROR if the file exists but cannot be read. */
gboolean       init_log_reader_read (const char *path,
                                     guint64     offset,
                                     guint       max_bytes,
                                     char      **text,
                                     guint64    *start,
                                     guint64    *end,
                                     guint64    *size,
                                     GError    **error);

/* Job.GetLog for the job @job_name of @manager: checks the instance name, authorizes
 * (org.example.Init.read-logs), reads and completes @invocation.  Always handled.  @object
 * may be NULL (jobs have no skeleton objects: init-job-vtable.c). */
gboolean       init_log_reader_handle_get_log (InitManager           *manager,
                                               InitDBusJob           *object,
                                               GDBusMethodInvocation *invocation,
                                               const char            *job_name,
                                               const char            *instance,
                                               guint64                offset,
                                               guint                  max_bytes);

#define INIT_TYPE_LOG_WATCH (init_log_watch_get_type ())
G_DECLARE_FINAL_TYPE (InitLogWatch, init_log_watch, INIT, LOG_WATCH, GObject)

/* Make sure @manager has its log watch (nothing happens when logging is off).  Called by the
 * manager as it is created; only the first call does any work. */
void           init_log_watch_ensure (InitManager *manager);

/* The watch of @manager, or NULL (tests). */
InitLogWatch *init_log_watch_get (InitManager *manager);

G_END_DECLS
