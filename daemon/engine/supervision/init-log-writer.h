/* init-log-writer.h — the log writer thread: bounded buffers and rotating files (private)
 *
 * Only init-log.c, the tests and the benchmark include this.  There is one InitLogSink per
 * log file path, shared by every InitLog writing that file, so that output keeps its order
 * and one size count governs rotation even when a new log for the same job appears before
 * the old one's data is on disk.
 *
 * The main thread appends what it reads from the ptys to the sink's buffer and never touches
 * the file.  A single writer thread for the whole process writes the buffers out, rotates the
 * files and retries after failures.  A buffer holds at most INIT_LOG_BUFFER_MAX bytes (what
 * is being written counts), all of them together INIT_LOG_BUFFER_TOTAL_MAX: what does not fit
 * is dropped and counted, and a line "[initd: N bytes of output lost]" takes its place in the
 * file.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Per log, enough for a job printing at pty speed (~80 MB/s) while the writer is held up
 * for ~10 ms (a rotation, a journal commit, a busy CPU); and for all logs together. */
#define INIT_LOG_BUFFER_MAX       (1024 * 1024)
#define INIT_LOG_BUFFER_TOTAL_MAX (64 * 1024 * 1024)

typedef struct _InitLogSink InitLogSink;

/* The sink for @path (a new reference; the writer thread is started on first use). */
InitLogSink *init_log_sink_get (const char *path);
/* Drop a reference from init_log_sink_get().  What is buffered is still written: the writer
 * keeps the sink until its buffer is on disk, or until the data has waited for the orphan
 * timeout (then it is discarded with a warning). */
void         init_log_sink_release (InitLogSink *sink);
/* Main thread: queue @data for the file; never blocks.  Output that does not fit in the
 * buffer is dropped and counted (one warning per spell of dropping). */
void         init_log_sink_append (InitLogSink *sink,
                                   const char  *data,
                                   gsize        length);
/* @lost bytes of output were lost before they reached us (the pty keeper's buffer was
 * full): the file gets a lost-output line for them, in order. */
void         init_log_sink_add_lost (InitLogSink *sink,
                                     guint64      lost);
/* One more (@delta 1) or one fewer (-1) process writing: once none is left and the buffer is
 * written, the file is closed (reopened lazily). */
void         init_log_sink_count_pty (InitLogSink *sink,
                                      int          delta);
/* Retry a failed open or write now rather than after the back-off. */
void         init_log_sink_kick (InitLogSink *sink);
/* Wait at most @timeout_ms (< 0: no limit) until everything appended so far is on disk. */
gboolean     init_log_sink_sync (InitLogSink *sink,
                                 int          timeout_ms);

/* The same for every sink, including those whose logs have been freed. */
gboolean     init_log_writer_sync_all (int timeout_ms);
void         init_log_writer_set_limits (goffset max_size,
                                         guint   keep);

/* Totals since start-up, for benchmarks and diagnostics. */
typedef struct
{
  guint64 written;     /* bytes put in files (lost-output lines included) */
  guint64 dropped;     /* bytes dropped because a buffer was full */
  guint64 rounds;      /* writer rounds that wrote something */
  guint64 rotations;   /* files rotated or emptied at the limit */
  gint64  max_round_usec; /* the longest time the writer spent on one round */
} InitLogWriterStats;
void         init_log_writer_get_stats (InitLogWriterStats *stats);

/* ---- tests only ---- */
/* While paused the writer takes no work, as if it were stuck in a write to a slow disk. */
void         init_log_writer_pause_for_testing (gboolean paused);
/* How long a freed log's data may wait for the disk (default 30 s). */
void         init_log_writer_set_orphan_timeout_for_testing (guint timeout_ms);

G_END_DECLS
