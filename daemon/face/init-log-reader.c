/* init-log-reader.c — `console log` files for clients: Job.GetLog and Job.LogChanged */
#define G_LOG_DOMAIN "init-log-reader"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init-authority.h"
#include "init-dbus-error.h"
#include "init-error.h"
#include "init-log-dir.h"
#include "init-log-reader.h"
#include "init-log.h"

/* ---- reading ---- */

/* The length of @buf without a character that is cut off at its end. */
static gsize
complete_utf8_prefix (const char *buf,
                      gsize       len)
{
  gsize i = len;
  guchar lead;
  gsize need;

  /* Step back over at most three continuation bytes to the last lead byte. */
  while (i > 0 && len - i < 3 && ((guchar) buf[i - 1] & 0xC0) == 0x80)
    i--;
  if (i == 0)
    return len;
  lead = (guchar) buf[i - 1];
  if (lead < 0xC0)
    return len;           /* ASCII, or stray continuation bytes: nothing to wait for */
  need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  return len - (i - 1) < need ? i - 1 : len;
}

/* @path through its trusted directory, never following a link, and only if it is the
 * daemon's (init-log-dir.h): what another user planted there is not shown as a job's log. */
static int
open_log (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  int dir_fd = init_log_dir_open (dir, FALSE, NULL);
  int fd, saved;

  if (dir_fd < 0)
    return -1;
  fd = init_log_dir_open_file (dir_fd, name, O_RDONLY | O_NONBLOCK, 0);
  saved = errno;
  close (dir_fd);
  errno = saved;
  return fd;
}

/* Opens the log at @path for reading and checks it is a regular file; a log that does not
 * exist (yet) sets @missing instead. */
static int
open_regular_log (const char  *path,
                  struct stat *st,
                  gboolean    *missing,
                  GError     **error)
{
  int fd = open_log (path);

  *missing = FALSE;
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENOTDIR)
        *missing = TRUE;
      else if (saved == EINVAL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                     _("The log %s is not a regular file"), path);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     _("Cannot open the log file %s: %s"), path, g_strerror (saved));
      return -1;
    }
  if (fstat (fd, st) < 0 || !S_ISREG (st->st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("The log %s is not a regular file"), path);
      close (fd);
      return -1;
    }
  return fd;
}

/* Up to @want bytes from @from into @buf; fewer if the file shrank meanwhile.  Returns how
 * many, or -1. */
static gint64
read_range (int         fd,
            const char *path,
            guint64     from,
            guint64     want,
            char       *buf,
            GError    **error)
{
  guint64 got = 0;

  while (got < want)
    {
      ssize_t n = pread (fd, buf + got, want - got, (off_t) (from + got));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot read the log file %s: %s"), path, g_strerror (saved));
          return -1;
        }
      if (n == 0)
        break;                            /* shrank while we read */
      got += (guint64) n;
    }
  return (gint64) got;
}

/* Where a tail read from the middle of a file starts: after the first newline, so the first
 * line shown is whole (or, with none, after a character cut off at the start). */
static guint64
tail_start (const char *buf,
            guint64     got)
{
  const char *nl = memchr (buf, '\n', got);
  guint64 skip = 0;

  if (nl != NULL)
    return (guint64) (nl - buf) + 1;
  while (skip < got && ((guchar) buf[skip] & 0xC0) == 0x80)
    skip++;
  return skip;
}

gboolean
init_log_reader_read (const char *path,
                      guint64     offset,
                      guint       max_bytes,
                      char      **text,
                      guint64    *start,
                      guint64    *end,
                      guint64    *size,
                      GError    **error)
{
  g_autofree char *buf = NULL;
  struct stat st;
  guint64 from, want, skip = 0, keep;
  gint64 got;
  gboolean missing;
  guint max;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (text != NULL && start != NULL && end != NULL && size != NULL, FALSE);

  *text = NULL;
  *start = *end = *size = 0;
  fd = open_regular_log (path, &st, &missing, error);
  if (fd < 0)
    {
      if (missing)
        *text = g_strdup ("");
      return missing;
    }

  *size = (guint64) st.st_size;
  max = max_bytes == 0 ? INIT_LOG_READER_DEFAULT_MAX : MIN (max_bytes, INIT_LOG_READER_LIMIT);
  if (offset == INIT_LOG_READER_TAIL)
    from = *size > max ? *size - max : 0;
  else if (offset > *size)
    from = 0;                             /* truncated or replaced: start over */
  else
    from = offset;
  want = MIN ((guint64) max, *size - from);

  buf = g_malloc (want + 1);
  got = read_range (fd, path, from, want, buf, error);
  close (fd);
  if (got < 0)
    return FALSE;

  if (offset == INIT_LOG_READER_TAIL && from > 0)
    skip = tail_start (buf, got);

  keep = complete_utf8_prefix (buf + skip, got - skip);
  /* Keep a cut-off character only when nothing else was read: otherwise a client reading
   * "until end reaches size" would never get past it. */
  if (keep == 0)
    keep = got - skip;

  *text = g_utf8_make_valid (buf + skip, (gssize) keep);
  *start = from + skip;
  *end = from + skip + keep;
  if (*end > *size)
    *size = *end;
  return TRUE;
}

/* ---- GetLog ---- */

typedef struct
{
  InitManager           *manager;
  InitDBusJob           *object;
  GDBusMethodInvocation *invocation;
  char                  *path;
  char                  *job;
  char                  *instance;
  guint64                offset;
  guint                  max_bytes;
} LogCall;

static void
log_call_free (LogCall *call)
{
  g_clear_object (&call->manager);
  g_clear_object (&call->object);
  g_clear_object (&call->invocation);
  g_free (call->path);
  g_free (call->job);
  g_free (call->instance);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LogCall, log_call_free)

/* A named instance must exist now or have left its log: any other name is a mistake (or a
 * probe), answered as such rather than as an empty log.  Checked once the caller may read
 * the job's logs, so others do not learn which logs exist. */
static gboolean
instance_known (LogCall *call,
                GError **error)
{
  InitJob *job;

  if (call->instance[0] == '\0')
    return TRUE;
  job = init_engine_lookup (init_manager_get_engine (call->manager), call->job);
  if ((job != NULL && init_job_lookup_instance (job, call->instance) != NULL)
      || g_file_test (call->path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_set_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_INSTANCE,
               _("Job %s has no instance %s and no log of one"), call->job, call->instance);
  return FALSE;
}

static void
get_log_authorized_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(LogCall) call = user_data;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint64 start, end, size;

  caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  if (caller == NULL
      || !instance_known (call, &error)
      || !init_log_reader_read (call->path, call->offset, call->max_bytes,
                                &text, &start, &end, &size, &error))
    {
      init_dbus_return_error (g_steal_pointer (&call->invocation), error);
      return;
    }
  init_dbus_job_complete_get_log (call->object, g_steal_pointer (&call->invocation),
                                  text, start, end, size);
}

gboolean
init_log_reader_handle_get_log (InitManager           *manager,
                                InitDBusJob           *object,
                                GDBusMethodInvocation *invocation,
                                const char            *job_name,
                                const char            *instance,
                                guint64                offset,
                                guint                  max_bytes)
{
  g_autoptr(GError) error = NULL;
  LogCall *call;
  const char *dir;

  g_return_val_if_fail (INIT_IS_MANAGER (manager), G_DBUS_METHOD_INVOCATION_HANDLED);

  dir = init_dbus_manager_get_log_directory (INIT_DBUS_MANAGER (manager));
  if (!init_dbus_check_instance_name (instance, &error))
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (dir == NULL || dir[0] == '\0')
    {
      g_dbus_method_invocation_return_error_literal (invocation, INIT_ERROR, INIT_ERROR_FAILED,
                                                     _("Job output is not logged: the daemon runs without a log directory"));
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  call = g_new0 (LogCall, 1);
  call->manager = g_object_ref (manager);
  call->object = object != NULL ? g_object_ref (object) : NULL;
  call->invocation = invocation;   /* its reference moves to the call */
  call->path = init_log_path_for (dir, job_name, instance);
  call->job = g_strdup (job_name);
  call->instance = g_strdup (instance);
  call->offset = offset;
  call->max_bytes = max_bytes;

  {
    const char *details[] = { "job", job_name, "instance", instance, NULL };

    init_authority_check_async (init_manager_get_authority (manager), invocation,
                                "org.example.Init.read-logs", details, NULL,
                                get_log_authorized_cb, call);
  }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- LogChanged ---- */

#define RATE_LIMIT_MS   250
#define MAX_KNOWN_FILES 4096

typedef struct
{
  char    *job;
  char    *instance;
  guint64  last_size;
  gboolean sent;
} Target;

static void
target_free (Target *target)
{
  g_free (target->job);
  g_free (target->instance);
  g_free (target);
}

struct _InitLogWatch
{
  GObject parent_instance;

  InitManager  *manager;    /* not owned: it owns us */
  InitEngine   *engine;
  char         *dir;
  GFileMonitor *monitor;
  GHashTable   *targets;    /* file name -> Target* */
};

G_DEFINE_FINAL_TYPE (InitLogWatch, init_log_watch, G_TYPE_OBJECT)

static GQuark
watch_quark (void)
{
  return g_quark_from_static_string ("init-log-watch");
}

static char *
file_name_for (const char *job,
               const char *instance)
{
  g_autofree char *path = init_log_path_for ("/", job, instance);

  return g_path_get_basename (path);
}

static Target *
remember (InitLogWatch *self,
          const char   *job,
          const char   *instance)
{
  char *name = file_name_for (job, instance);
  Target *target = g_hash_table_lookup (self->targets, name);

  if (target != NULL)
    {
      g_free (name);
      return target;
    }
  /* Bounded: forgotten names are found again by a scan when they change. */
  if (g_hash_table_size (self->targets) >= MAX_KNOWN_FILES)
    g_hash_table_remove_all (self->targets);
  target = g_new0 (Target, 1);
  target->job = g_strdup (job);
  target->instance = g_strdup (instance);
  g_hash_table_insert (self->targets, name, target);
  return target;
}

/* Which job and instance write the file @name: every instance seen is remembered as it is
 * added; otherwise look through the jobs the engine has now (their default instance too). */
static Target *
resolve (InitLogWatch *self,
         const char   *name)
{
  g_autoptr(GPtrArray) entries = NULL;
  Target *target = g_hash_table_lookup (self->targets, name);

  if (target != NULL)
    return target;
  entries = init_engine_list (self->engine);
  for (guint i = 0; i < entries->len; i++)
    {
      InitJob *entry = g_ptr_array_index (entries, i);
      g_autofree char *plain = file_name_for (entry->name, "");
      GHashTableIter iter;
      gpointer key;

      if (g_str_equal (plain, name))
        return remember (self, entry->name, "");
      g_hash_table_iter_init (&iter, entry->instances);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          g_autofree char *file = file_name_for (entry->name, key);

          if (g_str_equal (file, name))
            return remember (self, entry->name, key);
        }
    }
  return NULL;
}

static void
send_changed (InitLogWatch *self,
              GFile        *file,
              gboolean      gone)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *path = NULL;
  g_autofree char *job_path = NULL;
  GStatBuf st;
  guint64 size = 0;
  Target *target;

  if (name == NULL || !g_str_has_suffix (name, ".log"))
    return;
  target = resolve (self, name);
  if (target == NULL)
    return;

  path = g_file_get_path (file);
  if (!gone && path != NULL && g_stat (path, &st) == 0)
    size = (guint64) st.st_size;
  if (target->sent && target->last_size == size)
    return;
  target->sent = TRUE;
  target->last_size = size;

  /* Jobs are no objects of their own (init-object-tree.h): the signal goes from the job's
   * path while the job exists. */
  if (init_engine_lookup (self->engine, target->job) == NULL)
    return;
  job_path = init_dbus_job_path (target->job);
  init_object_tree_emit (init_manager_get_object_tree (self->manager), job_path,
                         "org.example.Init.Job", "LogChanged",
                         g_variant_new ("(st)", target->instance, size));
}

static void
on_monitor_changed (GFileMonitor     *monitor,
                    GFile            *file,
                    GFile            *other_file,
                    GFileMonitorEvent event,
                    gpointer          user_data)
{
  InitLogWatch *self = user_data;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      send_changed (self, file, FALSE);
      break;
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      send_changed (self, file, TRUE);
      break;
    case G_FILE_MONITOR_EVENT_RENAMED:
      send_changed (self, file, TRUE);
      if (other_file != NULL)
        send_changed (self, other_file, FALSE);
      break;
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }
}

static void
on_instance_added (InitEngine   *engine,
                   InitInstance *job,
                   gpointer      user_data)
{
  remember (user_data, job->klass->name, job->name);
}

static void
init_log_watch_dispose (GObject *object)
{
  InitLogWatch *self = INIT_LOG_WATCH (object);

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      g_clear_object (&self->engine);
    }

  G_OBJECT_CLASS (init_log_watch_parent_class)->dispose (object);
}

static void
init_log_watch_finalize (GObject *object)
{
  InitLogWatch *self = INIT_LOG_WATCH (object);

  g_hash_table_unref (self->targets);
  g_free (self->dir);

  G_OBJECT_CLASS (init_log_watch_parent_class)->finalize (object);
}

static void
init_log_watch_class_init (InitLogWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = init_log_watch_dispose;
  object_class->finalize = init_log_watch_finalize;
}

static void
init_log_watch_init (InitLogWatch *self)
{
  self->targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) target_free);
}

void
init_log_watch_ensure (InitManager *manager)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;
  InitLogWatch *self;
  const char *path;

  g_return_if_fail (INIT_IS_MANAGER (manager));

  if (g_object_get_qdata (G_OBJECT (manager), watch_quark ()) != NULL)
    return;
  path = init_dbus_manager_get_log_directory (INIT_DBUS_MANAGER (manager));
  if (path == NULL || path[0] == '\0')
    return;

  self = g_object_new (INIT_TYPE_LOG_WATCH, NULL);
  self->manager = manager;
  self->engine = g_object_ref (init_manager_get_engine (manager));
  self->dir = g_strdup (path);
  g_object_set_qdata_full (G_OBJECT (manager), watch_quark (), self, g_object_unref);
  g_signal_connect (self->engine, "instance-added", G_CALLBACK (on_instance_added), self);

  /* Create the directory now (as the first `console log` output would, mode 0755): GIO
   * notices a missing directory appear only by polling every few seconds, and would miss a
   * job that writes once right after it is created. */
  if (g_mkdir_with_parents (path, 0755) < 0)
    g_debug ("Cannot create the log directory %s: %s", path, g_strerror (errno));
  dir = g_file_new_for_path (path);
  self->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    {
      g_warning (_("Cannot watch the log directory %s: %s"), path, error->message);
      return;
    }
  g_file_monitor_set_rate_limit (self->monitor, RATE_LIMIT_MS);
  g_signal_connect (self->monitor, "changed", G_CALLBACK (on_monitor_changed), self);
}

InitLogWatch *
init_log_watch_get (InitManager *manager)
{
  g_return_val_if_fail (INIT_IS_MANAGER (manager), NULL);
  return g_object_get_qdata (G_OBJECT (manager), watch_quark ());
}
