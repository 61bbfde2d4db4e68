/* bench-util.h — shared bits of the benchmarks: job trees, clocks, memory */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE: job files are three lines (description, start on, exec); FALSE: five lines with an
 * and/or expression, stop on and env. */
extern gboolean bench_small_jobs;

/* Resident set size of this process in KiB (from /proc/self/status). */
long    bench_rss_kib (void);
/* CPU time (user + system) of this process in microseconds. */
gint64  bench_cpu_usec (void);
/* CPU time (user + system) of process @pid in microseconds, from /proc/PID/stat (0 if gone). */
gint64  bench_pid_cpu_usec (int pid);
/* VmRSS of process @pid in KiB (-1 if gone). */
long    bench_pid_rss_kib (int pid);
/* Sort @values (@n > 0) and return the median; *@min (optional) gets the smallest. */
double  bench_median (double *values, guint n, double *min);
/* A bare fork + exec + wait of /bin/true, @n times: mean milliseconds per run (the floor every
 * task run pays). */
double  bench_bare_true_ms (guint n);
/* Write @n small job files into @dir: job-<i>.conf with `start on ev-<i>` etc. */
void    bench_write_jobs (const char *dir, guint n);
/* Parse-and-define @n jobs directly into @engine (no files). */
void    bench_define_jobs (gpointer engine, guint n);
/* A call that failed (e.g. with a named D-Bus error): printed with its error's name and
 * counted, and the benchmark goes on: a figure is never worth a crash. */
void    bench_call_failed (const char *what, const GError *error);
/* How many calls failed so far. */
guint   bench_calls_failed (void);

G_END_DECLS
