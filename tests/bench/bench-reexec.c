/* bench-reexec.c — stateful re-exec and the crash-recovery state file, against a real initd
 *
 * A private session bus and initd -v with 1,000 jobs: 200 running processes (plain
 * `exec sleep` services, a few `console log` services writing a line every 100 ms, a few
 * `instance $N` jobs with several instances) and 808 tasks and services waiting on `start on`
 * expressions, about half of them holding latched events (`start on latch-a and ...` after
 * latch-a was emitted).  Prints (issue 6's target in brackets):
 *   - Manager.Reexec wall time, call to reply (the reply comes from the new process)
 *     [< 200 ms with 1,000 jobs and 200 running processes], 10 in a row, with the state
 *     file on and with --state-file ""
 *   - the following GetManagedObjects, the daemon's own "State saved in" / "Re-executed in"
 *     lines, initd's RSS before and after, the saved state's size and the history's length
 *   - the state file (--state-file): its size with 200 running instances, how often it is
 *     written while 1,000 waiting events each run a tiny task (one without a process, one
 *     `exec /bin/true`), and the daemon CPU and memory that costs, against the same runs
 *     with --state-file "".
 * Timing never fails the benchmark; a Reexec error, a changed daemon pid, or a job process
 * lost or added across the re-exec does (g_error), since that is correctness.
 * Usage: bench-reexec BUS-CONFIG-TEMPLATE (with $INITD set); meson passes both.
 */
#define G_LOG_DOMAIN "init-bench"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbus-fixture.h"
#include "test-util.h"

#define NAME "org.example.Init"
#define MANAGER "/org/example/Init"
#define IFACE_INSTANCE "org.example.Init.Instance"

#define N_JOBS      1000
#define N_SLEEP     187   /* services running `sleep` */
#define N_LOG       3     /* services with `console log`, writing a line every 100 ms */
#define N_INST_JOBS 2     /* `instance $N` jobs ... */
#define N_INSTANCES 5     /* ... with this many instances each */
#define N_RUNNING   (N_SLEEP + N_LOG + N_INST_JOBS * N_INSTANCES)
#define N_REEXEC    10
#define N_TICKS     1000
#define CALL_TIMEOUT_MS 60000

/* ---- the daemon ---- */

static GVariant *
call (DBusFixture *fx,
      const char  *iface,
      const char  *method,
      GVariant    *params)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = g_dbus_connection_call_sync (fx->connection, NAME, MANAGER, iface, method,
                                                 params, NULL, G_DBUS_CALL_FLAGS_NONE,
                                                 CALL_TIMEOUT_MS, NULL, &error);

  if (reply == NULL)
    {
      g_autofree char *err = dbus_fixture_get_stderr (fx);
      g_error ("%s: %s\ninitd's stderr:\n%s", method, error->message, err);
    }
  return reply;
}

static void
emit (DBusFixture       *fx,
      const char        *name,
      const char *const *env,
      gboolean           wait)
{
  static const char *const none[] = { NULL };
  g_autoptr(GVariant) reply = call (fx, NAME, "EmitEvent",
                                    g_variant_new ("(s^asb)", name, env != NULL ? env : none, wait));
}

static void
write_jobs (DBusFixture *fx)
{
  guint n = 0;

  for (guint i = 0; i < N_SLEEP; i++, n++)
    {
      g_autofree char *name = g_strdup_printf ("svc-%u", i);
      g_autofree char *text = g_strdup_printf ("description \"sleeping service %u\"\n"
                                               "start on go-services\n"
                                               "stop on halt\n"
                                               "env NUMBER=%u\n"
                                               "console none\n"
                                               "exec sleep 100000\n", i, i);
      dbus_fixture_write_job (fx, name, text);
    }
  /* One process each (the shell execs perl), so the process count stays exact. */
  for (guint i = 0; i < N_LOG; i++, n++)
    {
      g_autofree char *name = g_strdup_printf ("log-%u", i);
      dbus_fixture_write_job (fx, name,
                              "start on go-services\n"
                              "console log\n"
                              "exec perl -e '$| = 1; for ($n = 1; ; $n++) { print \"line $n\\n\"; select (undef, undef, undef, 0.1) }'\n");
    }
  for (guint i = 0; i < N_INST_JOBS; i++, n++)
    {
      g_autofree char *name = g_strdup_printf ("inst-%u", i);
      dbus_fixture_write_job (fx, name,
                              "start on go-inst\n"
                              "instance $N\n"
                              "console none\n"
                              "exec sleep 100000\n");
    }
  /* The tiny tasks of the state-file measurement: one runs a process, one none. */
  dbus_fixture_write_job (fx, "tick-task", "start on tick\ntask\nconsole none\nexec /bin/true\n");
  dbus_fixture_write_job (fx, "tock-task", "start on tock\ntask\n");
  n += 2;
  for (guint i = 0; n < N_JOBS; i++, n++)
    {
      g_autofree char *name = g_strdup_printf ("task-%u", i);
      g_autofree char *text = NULL;

      switch (i % 4)
        {
        case 0:   /* latched once latch-a is emitted */
          text = g_strdup_printf ("start on latch-a and latch-b-%u\ntask\nexec /bin/true\n", i);
          break;
        case 1:   /* `started svc-N` gets latched when the services start */
          text = g_strdup_printf ("description \"task %u\"\n"
                                  "start on ev-%u or (started svc-%u and net-up IFACE=eth%u)\n"
                                  "stop on halt\n"
                                  "env NUMBER=%u\n"
                                  "task\n"
                                  "exec /bin/true\n", i, i, i % N_SLEEP, i % 4, i);
          break;
        case 2:
          text = g_strdup_printf ("start on stopped task-%u and (a-%u or b-%u)\n"
                                  "stop on c-%u\n"
                                  "exec sleep 1\n", i + 1, i, i, i);
          break;
        default:  /* latch-a satisfies the OR, which waits on the AND */
          text = g_strdup_printf ("start on (latch-a or never-%u) and latch-e-%u\n"
                                  "task\n"
                                  "script\n"
                                  "  echo %u\n"
                                  "end script\n", i, i, i);
          break;
        }
      dbus_fixture_write_job (fx, name, text);
    }
}

/* Instances (path → main pid) whose state is "running" with a main process. */
static GHashTable *
running_instances (GVariant *objects)
{
  GHashTable *running = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GVariantIter iter;
  const char *path;
  GVariant *ifaces;

  g_variant_iter_init (&iter, objects);
  while (g_variant_iter_next (&iter, "{&o@a{sa{sv}}}", &path, &ifaces))
    {
      g_autoptr(GVariant) props = g_variant_lookup_value (ifaces, IFACE_INSTANCE, NULL);
      const char *state = NULL;
      g_autoptr(GVariant) procs = NULL;
      const char *proc;
      gint32 pid, main_pid = 0;
      GVariantIter pi;

      g_variant_unref (ifaces);
      if (props == NULL || !g_variant_lookup (props, "State", "&s", &state)
          || !g_str_equal (state, "running"))
        continue;
      procs = g_variant_lookup_value (props, "Processes", G_VARIANT_TYPE ("a(si)"));
      g_variant_iter_init (&pi, procs);
      while (g_variant_iter_next (&pi, "(&si)", &proc, &pid))
        if (g_str_equal (proc, "main"))
          main_pid = pid;
      if (main_pid > 0)
        g_hash_table_insert (running, g_strdup (path), GINT_TO_POINTER (main_pid));
    }
  return running;
}

static GVariant *
managed_objects (DBusFixture *fx)
{
  g_autoptr(GVariant) reply = call (fx, "org.freedesktop.DBus.ObjectManager",
                                    "GetManagedObjects", NULL);

  return g_variant_get_child_value (reply, 0);
}

static gboolean
all_running (gpointer user_data)
{
  DBusFixture *fx = user_data;
  g_autoptr(GVariant) objects = managed_objects (fx);
  g_autoptr(GHashTable) running = running_instances (objects);

  return g_hash_table_size (running) == N_RUNNING;
}

/* initd with the jobs, 200 processes running and latched events. */
static DBusFixture *
start_daemon (const char *template,
              const char *state_file)
{
  DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, template);
  const char *args[] = { "--no-startup-event", "-v", "--state-file", state_file, NULL };

  write_jobs (fx);
  dbus_fixture_start_initd (fx, args, NULL);
  emit (fx, "go-services", NULL, TRUE);
  for (guint i = 0; i < N_INSTANCES; i++)
    {
      g_autofree char *n = g_strdup_printf ("N=%u", i);
      emit (fx, "go-inst", (const char *[]) { n, NULL }, TRUE);
    }
  /* Not waited for: the events stay held by the `and` operators that latched them. */
  emit (fx, "latch-a", NULL, FALSE);
  if (!test_util_wait_until (all_running, fx, 60000))
    {
      g_autofree char *err = dbus_fixture_get_stderr (fx);
      g_error ("not all %d instances came up; initd's stderr:\n%s", N_RUNNING, err);
    }
  return fx;
}

/* How many history records the daemon keeps. */
static guint
history_length (DBusFixture *fx)
{
  g_autoptr(GVariant) reply = call (fx, NAME, "GetHistory", g_variant_new ("(tu)", (guint64) 0, 0u));
  g_autoptr(GVariant) records = g_variant_get_child_value (reply, 0);

  return g_variant_n_children (records);
}

/* ---- /proc ---- */

static gboolean
read_stat (int     pid,
           int    *ppid,
           char   *state,
           gint64 *cpu_usec)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  unsigned long utime = 0, stime = 0;
  const char *p;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (p = strrchr (stat, ')')) == NULL)
    return FALSE;
  /* after the command: state(3) ppid(4) ... utime(14) stime(15) */
  if (sscanf (p + 2, "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
              state, ppid, &utime, &stime) != 4)
    return FALSE;
  if (cpu_usec != NULL)
    *cpu_usec = (gint64) (utime + stime) * G_USEC_PER_SEC / sysconf (_SC_CLK_TCK);
  return TRUE;
}

static gint64
process_cpu_usec (int pid)
{
  int ppid;
  char state;
  gint64 cpu = 0;

  if (!read_stat (pid, &ppid, &state, &cpu))
    g_error ("cannot read /proc/%d/stat", pid);
  return cpu;
}

static long
process_rss_kib (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = test_util_read_file (path);
  const char *p = status != NULL ? strstr (status, "VmRSS:") : NULL;

  return p != NULL ? atol (p + 6) : -1;
}

static int
compare_int (gconstpointer a,
             gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* Live (not zombie) descendants of @root, sorted by pid. */
static GArray *
descendants (int root)
{
  g_autoptr(GHashTable) parent = g_hash_table_new (NULL, NULL);
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  GArray *result = g_array_new (FALSE, FALSE, sizeof (int));
  GHashTableIter iter;
  gpointer key, value;
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      int pid = atoi (name), ppid;
      char state;

      if (pid <= 0 || !read_stat (pid, &ppid, &state, NULL) || state == 'Z')
        continue;
      g_hash_table_insert (parent, GINT_TO_POINTER (pid), GINT_TO_POINTER (ppid));
    }
  g_hash_table_iter_init (&iter, parent);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      int pid = GPOINTER_TO_INT (key), up = GPOINTER_TO_INT (value);

      for (guint depth = 0; up > 1 && up != root && depth < 64; depth++)
        up = GPOINTER_TO_INT (g_hash_table_lookup (parent, GINT_TO_POINTER (up)));
      if (up == root)
        g_array_append_val (result, pid);
    }
  g_array_sort (result, compare_int);
  return result;
}

static gboolean
same_pids (GArray *a,
           GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (int)) == 0;
}

/* ---- figures ---- */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_row (const char *label,
           GArray     *values,
           const char *unit,
           const char *note)
{
  double *v = (double *) values->data;
  double median;

  if (values->len == 0)
    {
      printf ("  %-44s %10s\n", label, "(none)");
      return;
    }
  g_array_sort (values, compare_double);
  median = values->len % 2 ? v[values->len / 2] : (v[values->len / 2 - 1] + v[values->len / 2]) / 2;
  printf ("  %-44s %10.1f %10.1f %10.1f  %-6s %s\n", label, v[0], median, v[values->len - 1],
          unit, note != NULL ? note : "");
}

static void
add (GArray *values,
     double  value)
{
  g_array_append_val (values, value);
}

/* The numbers after @prefix in every line of @log that has it (one per occurrence). */
static void
scan_log (const char *log,
          const char *prefix,
          GArray     *first,
          GArray     *second)
{
  for (const char *p = strstr (log, prefix); p != NULL; p = strstr (p + 1, prefix))
    {
      const char *q = p + strlen (prefix);
      double a = g_ascii_strtod (q, (char **) &q);

      add (first, a);
      if (second != NULL && (q = strchr (q, '(')) != NULL)
        add (second, g_ascii_strtod (q + 1, NULL));
    }
}

/* Lines of a `console log` file ("line N"), and how many numbers are missing between them. */
static void
log_continuity (const char *path,
                guint      *lines,
                guint      *gaps)
{
  g_autofree char *text = test_util_read_file (path);
  g_auto (GStrv) split = g_strsplit (text != NULL ? text : "", "\n", -1);
  long last = 0;

  *lines = *gaps = 0;
  for (guint i = 0; split[i] != NULL; i++)
    {
      long n;

      if (!g_str_has_prefix (split[i], "line "))
        continue;
      n = atol (split[i] + 5);
      (*lines)++;
      if (n != last + 1)
        (*gaps)++;
      last = n;
    }
}

/* ---- re-exec ---- */

/* N_REEXEC re-execs in a row, with the state file at @state_file ("": none). */
static void
bench_reexec (const char *template,
              const char *state_file)
{
  g_autoptr(GArray) reexec_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) objects_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rss_mb = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) saved_us = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) saved_bytes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) restored_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) before = NULL;
  g_autoptr(GHashTable) running_before = NULL;
  g_autofree char *log = NULL;
  DBusFixture *fx = start_daemon (template, state_file);
  int pid = dbus_fixture_get_initd_pid (fx);
  long rss_before;
  guint n_objects = 0, history_before;
  struct stat st;

  {
    g_autoptr(GVariant) objects = managed_objects (fx);
    running_before = running_instances (objects);
  }
  before = descendants (pid);
  rss_before = process_rss_kib (pid);
  history_before = history_length (fx);
  if (before->len != N_RUNNING)
    g_error ("expected %d job processes under initd, found %u", N_RUNNING, before->len);

  for (guint i = 0; i < N_REEXEC; i++)
    {
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GVariant) objects = NULL;
      g_autoptr(GHashTable) running = NULL;
      g_autoptr(GArray) after = NULL;
      GHashTableIter iter;
      gpointer path, main_pid;
      gint64 t0, t1, t2;

      t0 = g_get_monotonic_time ();
      reply = call (fx, NAME, "Reexec", NULL);
      t1 = g_get_monotonic_time ();
      objects = managed_objects (fx);
      t2 = g_get_monotonic_time ();
      add (reexec_ms, (t1 - t0) / 1000.0);
      add (objects_ms, (t2 - t1) / 1000.0);
      n_objects = g_variant_n_children (objects);

      /* Correctness: same daemon process, same job processes, same instances and pids. */
      if (dbus_fixture_get_initd_pid (fx) != pid)
        g_error ("initd's pid changed across Reexec: %d -> %d", pid, dbus_fixture_get_initd_pid (fx));
      after = descendants (pid);
      if (!same_pids (before, after))
        {
          g_autofree char *err = dbus_fixture_get_stderr (fx);
          g_error ("re-exec %u: %u job processes before, %u after (or different pids); "
                   "initd's stderr:\n%s", i + 1, before->len, after->len, err);
        }
      running = running_instances (objects);
      if (g_hash_table_size (running) != g_hash_table_size (running_before))
        g_error ("re-exec %u: %u running instances before, %u after", i + 1,
                 g_hash_table_size (running_before), g_hash_table_size (running));
      g_hash_table_iter_init (&iter, running_before);
      while (g_hash_table_iter_next (&iter, &path, &main_pid))
        if (g_hash_table_lookup (running, path) != main_pid)
          g_error ("re-exec %u: %s main pid %d before, %d after", i + 1, (char *) path,
                   GPOINTER_TO_INT (main_pid),
                   GPOINTER_TO_INT (g_hash_table_lookup (running, path)));
      add (rss_mb, process_rss_kib (pid) / 1024.0);
    }

  log = dbus_fixture_get_stderr (fx);
  scan_log (log, "State saved in ", saved_us, saved_bytes);
  scan_log (log, "Re-executed in ", restored_ms, NULL);

  printf ("Re-exec, %s: %d jobs, %d running processes (%d sleep services, %d console log, "
          "%d instances of %d instance jobs)\n",
          state_file[0] != '\0' ? "state file on" : "--state-file \"\"",
          N_JOBS, N_RUNNING, N_SLEEP, N_LOG, N_INST_JOBS * N_INSTANCES, N_INST_JOBS);
  printf ("  %-44s %10s %10s %10s\n", "", "min", "median", "max");
  print_row ("Reexec, call to reply", reexec_ms, "ms", "(target < 200 ms)");
  print_row ("  \"State saved in\" (old process)", saved_us, "us", NULL);
  print_row ("  \"Re-executed in\" (save to restored)", restored_ms, "ms", NULL);
  print_row ("following GetManagedObjects", objects_ms, "ms", NULL);
  {
    g_autofree char *note = g_strdup_printf ("(%.1f MB before the first)", rss_before / 1024.0);
    print_row ("initd RSS after each re-exec", rss_mb, "MB", note);
  }
  printf ("  saved state, re-exec 1 to %u (KiB):", saved_bytes->len);
  for (guint i = 0; i < saved_bytes->len; i++)
    printf (" %.0f", g_array_index (saved_bytes, double, i) / 1024.0);
  printf ("\n  history records kept: %u before the first re-exec, %u after the last\n",
          history_before, history_length (fx));
  printf ("  after each of %d re-execs: daemon pid %d unchanged, %u job processes with the same "
          "pids, %u objects exported\n", N_REEXEC, pid, before->len, n_objects);
  for (guint i = 0; i < N_LOG; i++)
    {
      g_autofree char *name = g_strdup_printf ("log-%u.log", i);
      g_autofree char *path = g_build_filename (fx->logdir, name, NULL);
      guint lines, gaps;

      log_continuity (path, &lines, &gaps);
      printf ("  console log %s: %u lines, %u gaps in the numbering\n", name, lines, gaps);
    }
  if (state_file[0] != '\0' && stat (state_file, &st) == 0)
    printf ("  state file with %d running instances: %lld bytes\n", N_RUNNING,
            (long long) st.st_size);
  fflush (stdout);
  dbus_fixture_free (fx);
}

/* ---- the state file ---- */

/* Rewrites of @name: a close after writing it in place (IN_CLOSE_WRITE), or a rename of a
 * temporary file over it (IN_MOVED_TO); each write is one or the other. */
static guint
drain_inotify (int         fd,
               const char *name)
{
  char buffer[64 * 1024] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
  guint n = 0;
  ssize_t len;

  while ((len = read (fd, buffer, sizeof buffer)) > 0)
    for (char *p = buffer; p < buffer + len;)
      {
        struct inotify_event *event = (struct inotify_event *) p;

        if (event->mask & IN_Q_OVERFLOW)
          g_warning ("inotify queue overflowed: write count is low");
        if ((event->mask & (IN_MOVED_TO | IN_CLOSE_WRITE)) && event->len > 0
            && g_str_equal (event->name, name))
          n++;
        p += sizeof (struct inotify_event) + event->len;
      }
  return n;
}

typedef struct
{
  guint  events;       /* how many were sent before the time budget ran out */
  double cpu_ms;
  double wall_ms;
  guint  writes;
} TickRun;

typedef struct
{
  gint64  size;
  long    rss_before_kib;
  long    rss_after_kib;
  TickRun abstract;    /* tock-task: no process, so only the engine and the state file */
  TickRun true_task;   /* tick-task: exec /bin/true */
} StateRun;

/* At most N_TICKS waiting @event, each running a task to completion; stops early after
 * @budget_ms so a slow daemon cannot time the benchmark out. */
static TickRun
run_ticks (DBusFixture *fx,
           int          fd,
           const char  *event,
           double       budget_ms)
{
  int pid = dbus_fixture_get_initd_pid (fx);
  TickRun run = { 0 };
  gint64 cpu, begin;

  for (guint i = 0; i < 20; i++)    /* warm-up */
    emit (fx, event, NULL, TRUE);
  drain_inotify (fd, "state");
  cpu = process_cpu_usec (pid);
  begin = g_get_monotonic_time ();
  for (run.events = 0; run.events < N_TICKS; run.events++)
    {
      if ((g_get_monotonic_time () - begin) / 1000.0 > budget_ms)
        break;
      emit (fx, event, NULL, TRUE);
      run.writes += drain_inotify (fd, "state");
    }
  run.wall_ms = (g_get_monotonic_time () - begin) / 1000.0;
  run.cpu_ms = (process_cpu_usec (pid) - cpu) / 1000.0;
  /* the last write of the last event may land just after its reply */
  g_usleep (100000);
  run.writes += drain_inotify (fd, "state");
  return run;
}

/* Where initd keeps the file in real life is a tmpfs (/run, $XDG_RUNTIME_DIR): measure
 * there (on ext4, replacing a file by rename forces a flush that /run never pays). */
static char *
runtime_tmpdir (void)
{
  g_autofree char *template = g_build_filename ("/dev/shm", "init-bench-XXXXXX", NULL);

  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_mkdtemp (template) != NULL)
    return g_steal_pointer (&template);
  return test_util_mkdtemp ();
}

static StateRun
run_state (const char *template,
           gboolean    with_file)
{
  g_autofree char *tmp = runtime_tmpdir ();
  g_autofree char *path = g_build_filename (tmp, "state", NULL);
  DBusFixture *fx = start_daemon (template, with_file ? path : "");
  int pid = dbus_fixture_get_initd_pid (fx);
  int fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  StateRun run = { 0 };
  struct stat st;

  if (fd < 0 || inotify_add_watch (fd, tmp, IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
    g_error ("inotify: %s", g_strerror (errno));
  /* the file is current once a call has been answered */
  emit (fx, "nothing", NULL, TRUE);
  if (with_file && stat (path, &st) == 0)
    run.size = st.st_size;
  run.rss_before_kib = process_rss_kib (pid);
  run.abstract = run_ticks (fx, fd, "tock", 60000);
  run.true_task = run_ticks (fx, fd, "tick", 120000);
  run.rss_after_kib = process_rss_kib (pid);
  if (!with_file && g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("--state-file \"\" still wrote %s", path);
  close (fd);
  dbus_fixture_free (fx);
  test_util_rm_rf (tmp);
  return run;
}

static void
print_ticks (const char    *label,
             const TickRun *with,
             const TickRun *without)
{
  double with_us = with->cpu_ms * 1000.0 / MAX (with->events, 1);
  double without_us = without->cpu_ms * 1000.0 / MAX (without->events, 1);

  printf ("  %s\n", label);
  printf ("    events sent (budget 1,000)               %10u   %10u\n", with->events, without->events);
  printf ("    daemon CPU per event                     %10.0f   %10.0f us\n", with_us, without_us);
  printf ("    wall per event                           %10.0f   %10.0f us\n",
          with->wall_ms * 1000.0 / MAX (with->events, 1),
          without->wall_ms * 1000.0 / MAX (without->events, 1));
  printf ("    state file writes (inotify)              %10u   %10u\n", with->writes, without->writes);
  printf ("    => the state file: %.0f us daemon CPU per event", with_us - without_us);
  if (with->writes > 0)
    printf (", %.0f us per write (%.2f writes per event)",
            (with_us - without_us) * with->events / with->writes,
            (double) with->writes / MAX (with->events, 1));
  printf ("\n");
}

static void
bench_state_file (const char *template)
{
  StateRun with = run_state (template, TRUE);
  StateRun without = run_state (template, FALSE);

  printf ("State file (--state-file), %d running instances, %d jobs: %lld bytes\n",
          N_RUNNING, N_JOBS, (long long) with.size);
  printf ("  (daemon CPU from /proc/PID/stat utime+stime, 10 ms ticks)  with file   --state-file \"\"\n");
  print_ticks ("waiting events each running an abstract task (no process):", &with.abstract, &without.abstract);
  print_ticks ("waiting events each running a task `exec /bin/true`:", &with.true_task, &without.true_task);
  printf ("  initd RSS before -> after both runs:        %6.1f -> %6.1f MB   %6.1f -> %6.1f MB\n",
          with.rss_before_kib / 1024.0, with.rss_after_kib / 1024.0,
          without.rss_before_kib / 1024.0, without.rss_after_kib / 1024.0);
  fflush (stdout);
}

int
main (int argc, char **argv)
{
  g_autofree char *tmp = NULL;
  g_autofree char *state_file = NULL;

  if (argc < 2 || g_getenv ("INITD") == NULL)
    {
      fprintf (stderr, "usage: INITD=path/to/initd %s BUS-CONFIG-TEMPLATE\n", argv[0]);
      return 2;
    }
  /* Outside the fixture's directory, which is made with the bus. */
  tmp = runtime_tmpdir ();
  state_file = g_build_filename (tmp, "state", NULL);
  bench_reexec (argv[1], state_file);
  bench_reexec (argv[1], "");
  test_util_rm_rf (tmp);
  bench_state_file (argv[1]);
  return 0;
}
