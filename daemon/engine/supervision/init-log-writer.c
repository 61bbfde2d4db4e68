/* init-log-writer.c — the log writer thread: bounded buffers and rotating files */
#define G_LOG_DOMAIN "init-log"

#include <glib/gi18n.h>
#include <string.h>

#include "init-log-file.h"
#include "init-log.h"
#include "init-log-writer.h"

/* Back-off between attempts on a file that cannot be opened or written. */
#define LOG_RETRY_MIN (50 * G_TIME_SPAN_MILLISECOND)
#define LOG_RETRY_MAX (2 * G_TIME_SPAN_SECOND)
/* How long an unfinished line near the limit waits for its end (sink_hold_back). */
#define LOG_HOLD (100 * G_TIME_SPAN_MILLISECOND)
/* A disk just slower than a job starts and ends many spells of dropping: warn this seldom
 * (the file has a lost-output line for each). */
#define LOG_WARN_INTERVAL (30 * G_TIME_SPAN_SECOND)
/* Buffers that grew past this are freed once written. */
#define LOG_KEEP_ALLOCATED (64 * 1024)
/* Room the lost-output line needs in a buffer. */
#define LOG_MARKER_MAX 96

struct _InitLogSink
{
  /* Guarded by writer_lock. */
  char         *path;
  guint         refs;           /* users, plus one while queued for the writer */
  guint         users;          /* init_log_sink_get() callers not yet released */
  guint         ptys;           /* processes writing: none left and written → file closed */
  GByteArray   *buffer;         /* appended by the main thread */
  GByteArray   *writing;        /* taken by the writer; counts towards the bound until written */
  guint64       lost;           /* bytes dropped since the last lost-output line */
  gboolean      tail_newline;   /* the last byte buffered ended a line */
  gboolean      drop_warned;    /* one warning per spell of dropping… */
  gint64        drop_warned_at; /* …and at most one per LOG_WARN_INTERVAL */
  gboolean      queued;         /* in writer_queue, or being written */
  gboolean      held;           /* an unfinished line was kept back: write it next round */
  guint         syncers;        /* threads in init_log_sink_sync(): hold nothing back */
  gint64        retry_at;       /* after a failure: not before this (monotonic µs) */
  gint64        backoff;
  gint64        orphan_deadline; /* no users left: give up on the data after this; 0 none */
  GMainContext *context;        /* warnings from the writer are reported there */

  /* The writer thread's own. */
  InitLogFile file;
  gboolean    fail_warned;      /* one warning per spell of failing to open or write */
};

static GMutex writer_lock;
static GCond writer_wake;           /* work for the writer, or it was unpaused */
static GCond writer_done;           /* the writer finished a round */
static GQueue writer_queue;         /* InitLogSink, each holding a reference */
static GHashTable *writer_sinks;    /* path → InitLogSink, every sink alive */
static GThread *writer_thread;
static gboolean writer_busy;        /* in a round for some sink */
static gboolean writer_paused;
static guint writer_syncers;        /* threads in init_log_writer_sync_all() */
static InitLogWriterStats writer_stats;
static gsize writer_buffered;        /* bytes in every sink's buffers */
static goffset limit_size = INIT_LOG_DEFAULT_MAX_SIZE;
static guint limit_keep = INIT_LOG_DEFAULT_KEEP;
static guint orphan_timeout_ms = 30000;

static gpointer writer_main (gpointer data);

/* ---- warnings: always from the main context, never from the writer thread ---- */

static gboolean
report_warning (gpointer data)
{
  g_warning ("%s", (const char *) data);
  return G_SOURCE_REMOVE;
}

/* An idle source rather than g_main_context_invoke(), which would run the function in the
 * writer thread whenever the context happens to be free. */
static void
post_warning (InitLogSink *sink,
              char        *message)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, report_warning, message, g_free);
  g_source_set_static_name (source, "[init] log warning");
  g_source_attach (source, sink->context);
  g_source_unref (source);
}

/* ---- sinks ---- */

static void
sink_unref_locked (InitLogSink *sink)
{
  g_assert (sink->refs > 0);
  if (--sink->refs > 0)
    return;
  g_hash_table_remove (writer_sinks, sink->path);
  init_log_file_clear (&sink->file);
  g_byte_array_unref (sink->buffer);
  g_byte_array_unref (sink->writing);
  g_main_context_unref (sink->context);
  g_free (sink->path);
  g_free (sink);
}

static gboolean
sink_clean_locked (InitLogSink *sink)
{
  return sink->buffer->len == 0 && sink->writing->len == 0 && sink->lost == 0;
}

/* Hand @sink to the writer if it is not with it already. */
static void
sink_queue_locked (InitLogSink *sink)
{
  if (sink->queued)
    return;
  sink->queued = TRUE;
  sink->refs++;
  g_queue_push_tail (&writer_queue, sink);
  g_cond_signal (&writer_wake);
}

/* The line that stands for dropped output, on a line of its own. */
static void
sink_add_marker_locked (InitLogSink *sink,
                        GByteArray  *into)
{
  g_autofree char *line = NULL;

  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "[initd: %llu byte of output lost]\n",
                                       "[initd: %llu bytes of output lost]\n",
                                       (gulong) MIN (sink->lost, G_MAXULONG)),
                          (unsigned long long) sink->lost);
  if (!sink->tail_newline)
    g_byte_array_append (into, (const guint8 *) "\n", 1);
  g_byte_array_append (into, (const guint8 *) line, strlen (line));
  sink->tail_newline = TRUE;
  sink->lost = 0;
}

InitLogSink *
init_log_sink_get (const char *path)
{
  InitLogSink *sink;

  g_return_val_if_fail (path != NULL, NULL);

  g_mutex_lock (&writer_lock);
  if (writer_thread == NULL)
    {
      writer_sinks = g_hash_table_new (g_str_hash, g_str_equal);
      writer_thread = g_thread_new ("init-log-writer", writer_main, NULL);
    }
  sink = g_hash_table_lookup (writer_sinks, path);
  if (sink == NULL)
    {
      sink = g_new0 (InitLogSink, 1);
      sink->path = g_strdup (path);
      sink->buffer = g_byte_array_new ();
      sink->writing = g_byte_array_new ();
      sink->tail_newline = TRUE;
      sink->context = g_main_context_ref_thread_default ();
      init_log_file_init (&sink->file, path);
      g_hash_table_insert (writer_sinks, sink->path, sink);
    }
  sink->refs++;
  sink->users++;
  sink->orphan_deadline = 0;
  g_mutex_unlock (&writer_lock);
  return sink;
}

void
init_log_sink_release (InitLogSink *sink)
{
  g_return_if_fail (sink != NULL);

  g_mutex_lock (&writer_lock);
  g_assert (sink->users > 0);
  if (--sink->users == 0)
    {
      sink->orphan_deadline = g_get_monotonic_time ()
                              + (gint64) orphan_timeout_ms * G_TIME_SPAN_MILLISECOND;
      /* The writer finishes what is buffered, and closes the file. */
      sink_queue_locked (sink);
    }
  sink_unref_locked (sink);
  g_mutex_unlock (&writer_lock);
}

void
init_log_sink_append (InitLogSink *sink,
                      const char  *data,
                      gsize        length)
{
  gsize used, room, kept;
  gboolean warn = FALSE;

  g_return_if_fail (sink != NULL);
  if (length == 0)
    return;

  g_mutex_lock (&writer_lock);
  used = sink->buffer->len + sink->writing->len;
  room = used < INIT_LOG_BUFFER_MAX ? INIT_LOG_BUFFER_MAX - used : 0;
  if (writer_buffered >= INIT_LOG_BUFFER_TOTAL_MAX)
    room = 0;
  else
    room = MIN (room, INIT_LOG_BUFFER_TOTAL_MAX - writer_buffered);
  /* After a loss the line saying so comes first, as soon as there is room for it. */
  if (sink->lost > 0)
    {
      if (room > LOG_MARKER_MAX)
        {
          sink_add_marker_locked (sink, sink->buffer);
          room -= LOG_MARKER_MAX;
        }
      else
        room = 0;
    }
  kept = MIN (length, room);
  if (kept > 0)
    {
      g_byte_array_append (sink->buffer, (const guint8 *) data, kept);
      sink->tail_newline = data[kept - 1] == '\n';
      sink_queue_locked (sink);
      /* The line kept back may be finished now. */
      if (sink->held)
        {
          sink->held = FALSE;
          sink->retry_at = 0;
          g_cond_signal (&writer_wake);
        }
    }
  writer_buffered += sink->buffer->len + sink->writing->len - used;
  if (kept < length)
    {
      writer_stats.dropped += length - kept;
      sink->lost += length - kept;
      if (!sink->drop_warned)
        {
          gint64 now = g_get_monotonic_time ();

          sink->drop_warned = TRUE;
          warn = sink->drop_warned_at == 0 || now - sink->drop_warned_at >= LOG_WARN_INTERVAL;
          if (warn)
            sink->drop_warned_at = now;
        }
    }
  g_mutex_unlock (&writer_lock);

  if (warn)
    g_warning (_("Log buffer for %s is full, discarding output"), sink->path);
}

void
init_log_sink_add_lost (InitLogSink *sink,
                        guint64      lost)
{
  g_return_if_fail (sink != NULL);

  g_mutex_lock (&writer_lock);
  sink->lost += lost;
  writer_stats.dropped += lost;
  sink_queue_locked (sink);
  g_mutex_unlock (&writer_lock);
}

void
init_log_sink_count_pty (InitLogSink *sink,
                         int          delta)
{
  g_return_if_fail (sink != NULL);

  g_mutex_lock (&writer_lock);
  g_assert (delta > 0 || sink->ptys > 0);
  sink->ptys += delta;
  /* Let the writer close the file once it has written everything. */
  if (sink->ptys == 0)
    sink_queue_locked (sink);
  g_mutex_unlock (&writer_lock);
}

void
init_log_sink_kick (InitLogSink *sink)
{
  g_return_if_fail (sink != NULL);

  g_mutex_lock (&writer_lock);
  sink->retry_at = 0;
  if (!sink_clean_locked (sink))
    sink_queue_locked (sink);
  g_cond_signal (&writer_wake);
  g_mutex_unlock (&writer_lock);
}

/* Wait for the writer's next round; FALSE once @deadline (monotonic µs) has passed. */
static gboolean
wait_done_locked (gint64 deadline)
{
  if (deadline == G_MAXINT64)
    {
      g_cond_wait (&writer_done, &writer_lock);
      return TRUE;
    }
  return g_cond_wait_until (&writer_done, &writer_lock, deadline);
}

static gint64
deadline_after (int timeout_ms)
{
  if (timeout_ms < 0)
    return G_MAXINT64;
  return g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
}

gboolean
init_log_sink_sync (InitLogSink *sink,
                    int          timeout_ms)
{
  gint64 deadline = deadline_after (timeout_ms);
  gboolean clean;

  g_return_val_if_fail (sink != NULL, FALSE);

  g_mutex_lock (&writer_lock);
  sink->retry_at = 0;
  sink->syncers++;
  if (!sink_clean_locked (sink))
    sink_queue_locked (sink);
  g_cond_signal (&writer_wake);
  while (!(clean = sink_clean_locked (sink)) && wait_done_locked (deadline))
    ;
  sink->syncers--;
  g_mutex_unlock (&writer_lock);
  return clean;
}

static gboolean
all_clean_locked (void)
{
  GHashTableIter iter;
  gpointer value;

  /* Idle too, so that files no process writes any more have been closed. */
  if (writer_busy || !g_queue_is_empty (&writer_queue))
    return FALSE;
  if (writer_sinks == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, writer_sinks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!sink_clean_locked (value))
      return FALSE;
  return TRUE;
}

gboolean
init_log_writer_sync_all (int timeout_ms)
{
  gint64 deadline = deadline_after (timeout_ms);
  gboolean clean;

  g_mutex_lock (&writer_lock);
  writer_syncers++;
  for (GList *l = writer_queue.head; l != NULL; l = l->next)
    ((InitLogSink *) l->data)->retry_at = 0;
  g_cond_signal (&writer_wake);
  while (!(clean = all_clean_locked ()) && wait_done_locked (deadline))
    ;
  writer_syncers--;
  g_mutex_unlock (&writer_lock);
  return clean;
}

void
init_log_writer_set_limits (goffset max_size,
                            guint   keep)
{
  g_return_if_fail (max_size >= 0);

  g_mutex_lock (&writer_lock);
  limit_size = max_size;
  limit_keep = keep;
  g_mutex_unlock (&writer_lock);
}

void
init_log_writer_get_stats (InitLogWriterStats *stats)
{
  g_return_if_fail (stats != NULL);

  g_mutex_lock (&writer_lock);
  *stats = writer_stats;
  g_mutex_unlock (&writer_lock);
}

void
init_log_writer_pause_for_testing (gboolean paused)
{
  g_mutex_lock (&writer_lock);
  writer_paused = paused;
  g_cond_signal (&writer_wake);
  g_mutex_unlock (&writer_lock);
}

void
init_log_writer_set_orphan_timeout_for_testing (guint timeout_ms)
{
  g_mutex_lock (&writer_lock);
  orphan_timeout_ms = timeout_ms;
  g_mutex_unlock (&writer_lock);
}

/* ---- the writer thread ---- */

/* The next sink with work that is due, waiting for one; with the lock held. */
static InitLogSink *
writer_next_locked (void)
{
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 wake = G_MAXINT64;

      for (GList *l = writer_queue.head; l != NULL && !writer_paused; l = l->next)
        {
          InitLogSink *sink = l->data;
          gint64 due = sink->retry_at;

          if (sink->users == 0 && sink->orphan_deadline > 0)
            due = MIN (due, sink->orphan_deadline);
          if (due <= now)
            {
              g_queue_delete_link (&writer_queue, l);
              writer_busy = TRUE;
              return sink;
            }
          wake = MIN (wake, due);
        }
      if (wake == G_MAXINT64)
        g_cond_wait (&writer_wake, &writer_lock);
      else
        g_cond_wait_until (&writer_wake, &writer_lock, wake);
    }
}

/* What the job wrote since the last round joins what is still to be written (a swap of the
 * buffers when all was written). */
static void
sink_take_buffer_locked (InitLogSink *sink)
{
  if (sink->writing->len == 0)
    {
      GByteArray *swap = sink->writing;

      sink->writing = sink->buffer;
      sink->buffer = swap;
      /* Caught up after a loss: the line saying so, even if the job says nothing more. */
      if (sink->writing->len == 0 && sink->lost > 0)
        {
          sink_add_marker_locked (sink, sink->writing);
          writer_buffered += sink->writing->len;
        }
    }
  else if (sink->buffer->len > 0)
    {
      g_byte_array_append (sink->writing, sink->buffer->data, sink->buffer->len);
      g_byte_array_set_size (sink->buffer, 0);
    }
}

/* Writes @sink's pending bytes with the lock dropped (disk I/O never holds it); returns how
 * many went out, with @held (an unfinished line kept back), @err and the first failure's
 * @warning; updates the statistics. */
static gsize
sink_write_round_locked (InitLogSink *sink,
                         gboolean     force,
                         gboolean    *held,
                         int         *err,
                         char       **warning)
{
  goffset max_size = limit_size;
  guint keep = limit_keep;
  gint64 started = g_get_monotonic_time ();
  guint rotations;
  gsize done;

  g_mutex_unlock (&writer_lock);
  rotations = sink->file.rotations;
  done = init_log_file_write (&sink->file, sink->writing->data, sink->writing->len,
                              max_size, keep, force, held, err);
  if (*err != 0 && !sink->fail_warned)
    *warning = g_strdup_printf (sink->file.open_failed
                                ? _("Unable to open log file %s: %s")
                                : _("Unable to write log file %s: %s"),
                                sink->path, g_strerror (*err));
  sink->fail_warned = *err != 0;
  g_mutex_lock (&writer_lock);
  g_byte_array_remove_range (sink->writing, 0, done);
  writer_buffered -= done;
  writer_stats.written += done;
  writer_stats.rotations += sink->file.rotations - rotations;
  writer_stats.rounds++;
  writer_stats.max_round_usec = MAX (writer_stats.max_round_usec,
                                     g_get_monotonic_time () - started);
  return done;
}

/* One round for @sink: write what it has (the lock is dropped meanwhile), then requeue it if
 * more is left, or release it. */
static void
writer_service_locked (InitLogSink *sink)
{
  g_autofree char *warning = NULL;
  gboolean pending, close_file, force, held = FALSE;
  gsize done = 0;
  gint64 now;
  int err = 0;

  /* An unfinished line kept back goes out if nothing followed it in time, when someone
   * waits for the disk, or when no more output can come. */
  force = sink->held || sink->syncers > 0 || writer_syncers > 0 || sink->users == 0
          || sink->ptys == 0;
  sink->held = FALSE;
  sink_take_buffer_locked (sink);

  if (sink->writing->len > 0)
    done = sink_write_round_locked (sink, force, &held, &err, &warning);

  now = g_get_monotonic_time ();
  if (err != 0)
    {
      sink->backoff = CLAMP (sink->backoff * 2, LOG_RETRY_MIN, LOG_RETRY_MAX);
      sink->retry_at = now + sink->backoff;
    }
  else
    {
      sink->backoff = 0;
      sink->retry_at = held ? now + LOG_HOLD : 0;
      sink->held = held;
    }
  if (warning != NULL)
    post_warning (sink, g_steal_pointer (&warning));

  pending = !sink_clean_locked (sink);
  if (pending && err != 0 && sink->users == 0 && sink->orphan_deadline > 0
      && now >= sink->orphan_deadline)
    {
      post_warning (sink, g_strdup_printf (_("Discarding %u bytes of output that could not be "
                                             "written to %s"),
                                           sink->buffer->len + sink->writing->len, sink->path));
      writer_buffered -= sink->buffer->len + sink->writing->len;
      g_byte_array_set_size (sink->buffer, 0);
      g_byte_array_set_size (sink->writing, 0);
      sink->lost = 0;
      pending = FALSE;
    }
  if (!pending)
    sink->drop_warned = FALSE;
  /* After a burst, give the memory back: an idle log keeps small buffers. */
  if (sink->writing->len == 0 && done > LOG_KEEP_ALLOCATED)
    {
      g_byte_array_unref (sink->writing);
      sink->writing = g_byte_array_new ();
    }

  close_file = !pending && sink->ptys == 0 && sink->file.fd >= 0;
  if (pending)
    g_queue_push_tail (&writer_queue, sink);
  else
    sink->queued = FALSE;

  if (close_file)
    {
      /* Closing may flush (NFS): not under the lock.  The queue's reference is still ours. */
      g_mutex_unlock (&writer_lock);
      init_log_file_close (&sink->file);
      g_mutex_lock (&writer_lock);
    }
  if (!pending)
    sink_unref_locked (sink);
  writer_busy = FALSE;
  g_cond_broadcast (&writer_done);
}

static gpointer
writer_main (gpointer data)
{
  g_mutex_lock (&writer_lock);
  for (;;)
    writer_service_locked (writer_next_locked ());
  return NULL;
}
