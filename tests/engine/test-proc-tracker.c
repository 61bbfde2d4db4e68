/* test-proc-tracker.c — following forks (proc connector and /proc scanning) and /proc readers */
#define G_LOG_DOMAIN "test-proc-tracker"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init-proc-info.h"
#include "init-proc-tracker.h"
#include "test-util.h"

#define TIMEOUT 10000

static int owner_a, owner_b;
#define OWNER_A (&owner_a)
#define OWNER_B (&owner_b)

typedef struct
{
  gpointer owner;
  pid_t    parent;
  pid_t    pid;
  guint    generation;
} Seen;

typedef struct
{
  InitProcTracker *tracker;
  gboolean         connector;
  char            *dir;
  GArray          *forks;     /* Seen */
  GArray          *exits;     /* Seen (owner, pid) */
  GArray          *started;   /* pid_t: every process to kill at the end */
} Fixture;

/* ---- callbacks and waiting ---- */

static void
on_proc_fork (gpointer owner,
              pid_t    parent,
              pid_t    child,
              guint    generation,
              gpointer user_data)
{
  Fixture *fx = user_data;
  Seen seen = { owner, parent, child, generation };

  g_array_append_val (fx->forks, seen);
}

static void
on_proc_exit (gpointer owner,
              pid_t    pid,
              gpointer user_data)
{
  Fixture *fx = user_data;
  Seen seen = { owner, 0, pid, 0 };

  g_array_append_val (fx->exits, seen);
}

static const Seen *
find_seen (GArray *array,
           pid_t   pid)
{
  for (guint i = 0; i < array->len; i++)
    if (g_array_index (array, Seen, i).pid == pid)
      return &g_array_index (array, Seen, i);
  return NULL;
}

typedef struct
{
  Fixture *fx;
  pid_t    pid;
  GArray  *array;
} WaitSeen;

static gboolean
seen_cond (gpointer user_data)
{
  WaitSeen *wait = user_data;

  init_proc_tracker_sync (wait->fx->tracker);
  return find_seen (wait->array, wait->pid) != NULL;
}

/* Wait (syncing the tracker) until a fork of / the exit of @pid was reported. */
static const Seen *
wait_seen (Fixture *fx,
           GArray  *array,
           pid_t    pid)
{
  WaitSeen wait = { fx, pid, array };

  g_assert_true (test_util_wait_until (seen_cond, &wait, TIMEOUT));
  return find_seen (array, pid);
}

typedef struct
{
  Fixture *fx;
  guint    forks;
  guint    exits;
  gboolean no_sync;
} WaitCount;

static gboolean
count_cond (gpointer user_data)
{
  WaitCount *wait = user_data;

  if (!wait->no_sync)
    init_proc_tracker_sync (wait->fx->tracker);
  return wait->fx->forks->len >= wait->forks && wait->fx->exits->len >= wait->exits;
}

/* Wait (syncing the tracker) until at least @forks forks and @exits exits were reported. */
static void
wait_counts (Fixture *fx,
             guint    forks,
             guint    exits)
{
  WaitCount wait = { fx, forks, exits };

  g_assert_true (test_util_wait_until (count_cond, &wait, TIMEOUT));
}

/* The pids (lines that are numbers) in @path, or NULL if it does not exist yet. */
static GArray *
read_pids (const char *path,
           gboolean   *has_needle,
           const char *needle)
{
  g_autofree char *text = test_util_read_file (path);
  g_auto (GStrv) lines = NULL;
  GArray *pids;

  if (text == NULL)
    return NULL;
  *has_needle = needle == NULL || strstr (text, needle) != NULL;
  pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *end;
      long value = strtol (lines[i], &end, 10);

      if (end != lines[i] && *end == '\0' && value > 0)
        {
          pid_t pid = value;

          g_array_append_val (pids, pid);
        }
    }
  return pids;
}

typedef struct
{
  const char *path;
  guint       lines;
  const char *needle;
} WaitFile;

static gboolean
file_cond (gpointer user_data)
{
  WaitFile *wait = user_data;
  gboolean has_needle = FALSE;
  g_autoptr(GArray) pids = read_pids (wait->path, &has_needle, wait->needle);

  return pids != NULL && has_needle && pids->len >= wait->lines;
}

/* Wait until @path (written whole by a helper) lists @lines pids and contains @needle (if
 * given); its pids. */
static GArray *
wait_pids (const char *path,
           guint       lines,
           const char *needle)
{
  WaitFile wait = { path, lines, needle };
  gboolean has_needle;

  g_assert_true (test_util_wait_until (file_cond, &wait, TIMEOUT));
  return read_pids (path, &has_needle, NULL);
}

/* ---- processes ---- */

static char *
helper_path (const char *name)
{
  const char *dir = g_getenv ("INIT_TEST_HELPERS_DIR");

  if (dir != NULL)
    return g_build_filename (dir, name, NULL);
  return g_test_build_filename (G_TEST_BUILT, "helpers", name, NULL);
}

/* Start @argv[0] (a helper's name, or an absolute path) like the engine starts a job
 * process: in a session of its own, with UPSTART_JOB / UPSTART_INSTANCE set (when @job is
 * given) and FOO=bar=baz, returning only once it has exec'd.  With @owner it becomes a root
 * of that owner. */
static pid_t
spawnv (Fixture           *fx,
        gpointer           owner,
        const char        *job,
        const char        *instance,
        const char *const *argv)
{
  g_autofree char *path = NULL;
  g_autofree char *marker = g_strdup_printf ("%d", (int) getpid ());
  g_autofree const char **args = NULL;
  g_auto (GStrv) envp = g_get_environ ();
  int report[2];
  pid_t pid;
  int error = 0;

  path = g_path_is_absolute (argv[0]) ? g_strdup (argv[0]) : helper_path (argv[0]);
  args = g_memdup2 (argv, (g_strv_length ((char **) argv) + 1) * sizeof (char *));
  args[0] = path;
  envp = g_environ_setenv (envp, "INIT_TEST_RUN", marker, TRUE);
  envp = g_environ_unsetenv (envp, "UPSTART_JOB");
  envp = g_environ_unsetenv (envp, "UPSTART_INSTANCE");
  if (job != NULL)
    {
      envp = g_environ_setenv (envp, "UPSTART_JOB", job, TRUE);
      envp = g_environ_setenv (envp, "UPSTART_INSTANCE", instance, TRUE);
    }
  envp = g_environ_setenv (envp, "FOO", "bar=baz", TRUE);

  g_assert_no_errno (pipe2 (report, O_CLOEXEC));
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      setsid ();
      execve (path, (char **) args, envp);
      error = errno;
      (void) !write (report[1], &error, sizeof error);
      _exit (127);
    }
  close (report[1]);
  /* EOF once it has exec'd (CLOEXEC), like init_process_spawn()'s report pipe: only then
   * has it its own session. */
  g_assert_cmpint (read (report[0], &error, sizeof error), ==, 0);
  close (report[0]);

  if (owner != NULL)
    init_proc_tracker_add_root (fx->tracker, pid, owner, job, instance);
  g_array_append_val (fx->started, pid);
  return pid;
}

static pid_t
spawn (Fixture    *fx,
       gpointer    owner,
       const char *job,
       const char *instance,
       const char *name,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) name);
  va_start (args, name);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return spawnv (fx, owner, job, instance, (const char *const *) argv->pdata);
}

static void
remember (Fixture *fx,
          GArray  *pids)
{
  g_array_append_vals (fx->started, pids->data, pids->len);
}

/* Reap @pid (our child, or an orphan re-parented to us: we are child subreaper). */
static void
reap (pid_t pid)
{
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
}

static gboolean
dead_cond (gpointer user_data)
{
  return !test_util_pid_alive (GPOINTER_TO_INT (user_data));
}

static void
wait_dead (pid_t pid)
{
  g_assert_true (test_util_wait_until (dead_cond, GINT_TO_POINTER (pid), TIMEOUT));
}

static void
assert_pids (Fixture     *fx,
             gpointer     owner,
             const pid_t *expected,
             guint        n)
{
  g_autoptr(GArray) pids = init_proc_tracker_get_pids (fx->tracker, owner);

  g_assert_cmpuint (pids->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (pids, pid_t, i), ==, expected[i]);
}

/* A failed assertion (or the harness's timeout) ends us before any teardown: take what we
 * started with us.  Every process we start carries INIT_TEST_RUN=<our pid>, and so do the
 * processes they fork.  Only reads and kill() here; we are going down anyway. */
static void
kill_leftovers (int signum)
{
  char needle[64], path[64], buf[65536];
  struct dirent *entry;
  int len;
  DIR *dir;

  len = g_snprintf (needle, sizeof needle, "INIT_TEST_RUN=%d", (int) getpid ());
  dir = opendir ("/proc");
  while (dir != NULL && (entry = readdir (dir)) != NULL)
    {
      pid_t pid = atoi (entry->d_name);
      ssize_t n;
      int fd;

      if (pid <= 0 || pid == getpid ())
        continue;
      g_snprintf (path, sizeof path, "/proc/%d/environ", (int) pid);
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        continue;
      n = read (fd, buf, sizeof buf - 1);
      close (fd);
      if (n <= len)
        continue;
      buf[n] = '\0';
      for (ssize_t i = 0; i + len <= n; i += strlen (buf + i) + 1)
        {
          if (memcmp (buf + i, needle, len) == 0 && buf[i + len] == '\0')
            {
              kill (pid, SIGKILL);
              break;
            }
        }
    }
  if (dir != NULL)
    closedir (dir);
  signal (signum, SIG_DFL);
  raise (signum);
}

/* ---- fixture ---- */

static void
fixture_setup (Fixture      *fx,
               gconstpointer data)
{
  fx->connector = GPOINTER_TO_INT (data);
  fx->dir = test_util_mkdtemp ();
  fx->forks = g_array_new (FALSE, FALSE, sizeof (Seen));
  fx->exits = g_array_new (FALSE, FALSE, sizeof (Seen));
  fx->started = g_array_new (FALSE, FALSE, sizeof (pid_t));
  fx->tracker = init_proc_tracker_new (fx->connector, on_proc_fork, on_proc_exit, fx);
  if (fx->connector)
    {
      if (init_proc_tracker_get_mode (fx->tracker) != INIT_PROC_TRACKING_CONNECTOR)
        g_test_skip ("the proc connector delivers no events on this machine");
    }
  else
    {
      g_assert_cmpint (init_proc_tracker_get_mode (fx->tracker), ==, INIT_PROC_TRACKING_SCAN);
      init_proc_tracker_set_polling (fx->tracker, TRUE);
    }
}

static void
fixture_teardown (Fixture      *fx,
                  gconstpointer data)
{
  /* Only what this test started, by pid; then collect those that are (now) ours. */
  for (guint i = 0; i < fx->started->len; i++)
    kill (g_array_index (fx->started, pid_t, i), SIGKILL);
  for (guint i = 0; i < fx->started->len; i++)
    reap (g_array_index (fx->started, pid_t, i));
  init_proc_tracker_free (fx->tracker);
  test_util_rm_rf (fx->dir);
  g_free (fx->dir);
  g_array_unref (fx->forks);
  g_array_unref (fx->exits);
  g_array_unref (fx->started);
}

/* fixture_setup() already called g_test_skip() when the connector is unusable here. */
/* *INDENT-OFF* */
#define SKIP_IF_UNAVAILABLE(fx) \
  G_STMT_START { if ((fx)->connector \
                     && init_proc_tracker_get_mode ((fx)->tracker) != INIT_PROC_TRACKING_CONNECTOR) \
                   return; } G_STMT_END
/* *INDENT-ON* */

/* ---- the tracker ---- */

/* A tracked root's fork is reported once, with the root as parent and generation 1. */
static void
test_fork_reported (Fixture      *fx,
                    gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "pids", NULL);
  g_autoptr(GArray) pids = NULL;
  const Seen *seen;
  pid_t root, child;

  SKIP_IF_UNAVAILABLE (fx);
  root = spawn (fx, OWNER_A, "svc", "", "spawn-threads", "0", file, "--fork-after", NULL);
  pids = wait_pids (file, 2, "threads");
  remember (fx, pids);
  g_assert_cmpint (g_array_index (pids, pid_t, 0), ==, root);
  child = g_array_index (pids, pid_t, 1);

  seen = wait_seen (fx, fx->forks, child);
  g_assert_true (seen->owner == OWNER_A);
  g_assert_cmpint (seen->parent, ==, root);
  g_assert_cmpuint (seen->generation, ==, 1);
  g_assert_cmpuint (fx->forks->len, ==, 1);
  g_assert_true (init_proc_tracker_lookup (fx->tracker, child) == OWNER_A);
  g_assert_true (init_proc_tracker_lookup (fx->tracker, root) == OWNER_A);
  assert_pids (fx, OWNER_A, (pid_t[]) { root, child }, 2);
  g_assert_cmpuint (fx->exits->len, ==, 0);
}

/* `expect fork`: the child of a root that exits at once is reported (generation 1) and
 * stays with the owner after the root is reaped and forgotten. */
static void
test_fork_once (Fixture      *fx,
                gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "pid", NULL);
  g_autoptr(GArray) pids = NULL;
  const Seen *seen;
  pid_t root, child;

  SKIP_IF_UNAVAILABLE (fx);
  root = spawn (fx, OWNER_A, "svc", "", "fork-once", file, NULL);
  pids = wait_pids (file, 1, NULL);
  remember (fx, pids);
  child = g_array_index (pids, pid_t, 0);

  seen = wait_seen (fx, fx->forks, child);
  g_assert_true (seen->owner == OWNER_A);
  g_assert_cmpuint (seen->generation, ==, 1);
  /* Scanning may only find it re-parented to us (parent unknown). */
  if (fx->connector)
    g_assert_cmpint (seen->parent, ==, root);
  else
    g_assert_true (seen->parent == root || seen->parent == 0);

  /* The reaper collects the root; the engine tells the tracker. */
  reap (root);
  init_proc_tracker_process_exited (fx->tracker, root);
  init_proc_tracker_sync (fx->tracker);
  g_assert_null (init_proc_tracker_lookup (fx->tracker, root));
  g_assert_true (init_proc_tracker_lookup (fx->tracker, child) == OWNER_A);
  assert_pids (fx, OWNER_A, (pid_t[]) { child }, 1);
  g_assert_cmpuint (fx->forks->len, ==, 1);
  g_assert_cmpuint (fx->exits->len, ==, 0);
}

/* `expect daemon`: fork, setsid, fork: generations 1 and 2, the grandchild stays tracked
 * and the intermediate child's exit is reported when it was seen. */
static void
test_fork_twice (Fixture      *fx,
                 gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "pid", NULL);
  g_autofree char *child_file = g_build_filename (fx->dir, "child", NULL);
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GArray) child_pids = NULL;
  const Seen *seen, *first;
  pid_t root, child, grandchild;

  SKIP_IF_UNAVAILABLE (fx);
  root = spawn (fx, OWNER_A, "svc", "", "fork-twice", file, child_file, NULL);
  pids = wait_pids (file, 1, NULL);
  child_pids = wait_pids (child_file, 1, NULL);
  remember (fx, pids);
  remember (fx, child_pids);
  grandchild = g_array_index (pids, pid_t, 0);
  child = g_array_index (child_pids, pid_t, 0);

  seen = wait_seen (fx, fx->forks, grandchild);
  g_assert_true (seen->owner == OWNER_A);
  g_assert_cmpuint (seen->generation, ==, 2);
  first = find_seen (fx->forks, child);
  if (fx->connector)
    {
      g_assert_nonnull (first);
      g_assert_cmpuint (fx->forks->len, ==, 2);
      g_assert_cmpint (g_array_index (fx->forks, Seen, 0).pid, ==, child);
      g_assert_cmpint (first->parent, ==, root);
      g_assert_cmpint (seen->parent, ==, child);
    }
  else
    g_assert_true (seen->parent == child || seen->parent == 0);
  if (first != NULL)
    {
      g_assert_true (first->owner == OWNER_A);
      g_assert_cmpuint (first->generation, ==, 1);
      /* The child exited after forking: reported, forgotten. */
      seen = wait_seen (fx, fx->exits, child);
      g_assert_true (seen->owner == OWNER_A);
      g_assert_null (init_proc_tracker_lookup (fx->tracker, child));
    }
  g_assert_true (init_proc_tracker_lookup (fx->tracker, grandchild) == OWNER_A);
  assert_pids (fx, OWNER_A, (pid_t[]) { root, grandchild }, 2);
}

/* Forks of processes nobody tracks (even one whose environment names a tracked job but
 * another instance) are ignored. */
static void
test_untracked_ignored (Fixture      *fx,
                        gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "pid", NULL);
  g_autofree char *third = g_build_filename (fx->dir, "third", NULL);
  g_autofree char *other = g_build_filename (fx->dir, "other", NULL);
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GArray) third_pids = NULL;
  g_autoptr(GArray) other_pids = NULL;
  pid_t root;

  SKIP_IF_UNAVAILABLE (fx);
  root = spawn (fx, OWNER_A, "svc", "one", "spawn-threads", "0", other, NULL);
  spawn (fx, NULL, "svc", "two", "fork-twice", file, NULL);
  spawn (fx, NULL, NULL, NULL, "fork-once", third, NULL);
  pids = wait_pids (file, 1, NULL);
  remember (fx, pids);
  third_pids = wait_pids (third, 1, NULL);
  remember (fx, third_pids);
  other_pids = wait_pids (other, 1, "threads");
  test_util_spin (100);
  init_proc_tracker_sync (fx->tracker);

  g_assert_cmpuint (fx->forks->len, ==, 0);
  g_assert_cmpuint (fx->exits->len, ==, 0);
  g_assert_null (init_proc_tracker_lookup (fx->tracker, g_array_index (pids, pid_t, 0)));
  g_assert_null (init_proc_tracker_lookup (fx->tracker, g_array_index (third_pids, pid_t, 0)));
  assert_pids (fx, OWNER_A, (pid_t[]) { root }, 1);
}

/* A tracked process that is not our child (its parent, a root, reaps it) is reported gone
 * and forgotten. */
static void
test_exit_of_non_child (Fixture      *fx,
                        gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "pids", NULL);
  g_autoptr(GArray) pids = NULL;
  const Seen *seen;
  pid_t root, child;

  SKIP_IF_UNAVAILABLE (fx);
  root = spawn (fx, OWNER_A, "svc", "", "spawn-threads", "0", file, "--fork-after", NULL);
  pids = wait_pids (file, 2, "threads");
  remember (fx, pids);
  child = g_array_index (pids, pid_t, 1);
  wait_seen (fx, fx->forks, child);

  g_assert_no_errno (kill (child, SIGKILL));
  seen = wait_seen (fx, fx->exits, child);
  g_assert_true (seen->owner == OWNER_A);
  g_assert_cmpuint (fx->exits->len, ==, 1);
  g_assert_null (init_proc_tracker_lookup (fx->tracker, child));
  assert_pids (fx, OWNER_A, (pid_t[]) { root }, 1);
}

/* A stray that setsid()s and escapes the process group and session still belongs to the
 * job, as the root's grandchild. */
static void
test_strays (Fixture      *fx,
             gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "pids", NULL);
  g_autoptr(GArray) pids = NULL;
  const Seen *seen;
  InitProcInfo info;
  pid_t root, child, stray;

  SKIP_IF_UNAVAILABLE (fx);
  root = spawn (fx, OWNER_A, "svc", "", "leave-strays", file, NULL);
  pids = wait_pids (file, 3, NULL);
  remember (fx, pids);
  g_assert_cmpint (g_array_index (pids, pid_t, 0), ==, root);
  child = g_array_index (pids, pid_t, 1);
  stray = g_array_index (pids, pid_t, 2);
  g_assert_true (init_proc_info_read (stray, &info));
  g_assert_cmpint (info.sid, !=, root);
  g_assert_cmpint (info.pgid, !=, root);

  seen = wait_seen (fx, fx->forks, stray);
  g_assert_true (seen->owner == OWNER_A);
  g_assert_cmpuint (seen->generation, ==, 2);
  if (fx->connector)
    {
      g_assert_cmpint (seen->parent, ==, child);
      g_assert_nonnull (find_seen (fx->forks, child));
      wait_seen (fx, fx->exits, child);
    }
  wait_dead (child);
  init_proc_tracker_sync (fx->tracker);
  g_assert_true (init_proc_tracker_lookup (fx->tracker, stray) == OWNER_A);
  assert_pids (fx, OWNER_A, (pid_t[]) { root, stray }, 2);

  /* Stopping the job: the stray's end is learnt too (it is an orphan of ours now). */
  g_assert_no_errno (kill (stray, SIGKILL));
  wait_seen (fx, fx->exits, stray);
  assert_pids (fx, OWNER_A, (pid_t[]) { root }, 1);
}

typedef struct
{
  guint64 wakeups;
  guint64 messages;
} Counts;

static Counts
counts (Fixture *fx)
{
  return (Counts) { init_proc_tracker_get_n_wakeups (fx->tracker),
                    init_proc_tracker_get_n_messages (fx->tracker) };
}

/* A second, unfiltered listener on the same multicast stream: it hears what the tracker
 * would hear without its filter, host noise included, so the two can be compared exactly. */
typedef struct
{
  guint    total;       /* every proc connector message */
  guint    processes;   /* forks of processes and exits of leaders: what the filter passes */
  guint    threads;     /* clones and thread exits of @tgid */
  gboolean lost;        /* the witness itself overflowed: counts unusable */
} Witness;

static int
witness_open (void)
{
  struct sockaddr_nl group = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
  int size = 16 << 20;
  int fd;

  fd = socket (PF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  g_assert_cmpint (fd, >=, 0);
  if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &group, sizeof group));
  return fd;
}

/* Read everything queued on the witness, counting into @witness. */
static void
witness_drain (int      fd,
               pid_t    tgid,
               Witness *witness)
{
  union
  {
    struct nlmsghdr header;
    char            bytes[8192];
  } buffer;
  gssize len;

  for (;;)
    {
      const struct nlmsghdr *header;

      len = recv (fd, buffer.bytes, sizeof buffer.bytes, 0);
      if (len < 0 && errno == ENOBUFS)
        {
          witness->lost = TRUE;
          continue;
        }
      if (len < 0 && errno == EINTR)
        continue;
      if (len < 0)
        break;
      for (header = &buffer.header; NLMSG_OK (header, len); header = NLMSG_NEXT (header, len))
        {
          const struct cn_msg *cn = NLMSG_DATA (header);
          struct proc_event event;

          if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
            continue;
          memset (&event, 0, sizeof event);
          memcpy (&event, cn->data, MIN (cn->len, sizeof event));
          witness->total++;
          if (event.what == PROC_EVENT_FORK)
            {
              if (event.event_data.fork.child_pid == event.event_data.fork.child_tgid)
                witness->processes++;
              else if (event.event_data.fork.child_tgid == tgid)
                witness->threads++;
            }
          else if (event.what == PROC_EVENT_EXIT)
            {
              if (event.event_data.exit.process_pid == event.event_data.exit.process_tgid)
                witness->processes++;
              else if (event.event_data.exit.process_tgid == tgid)
                witness->threads++;
            }
        }
    }
  g_assert_cmpint (errno, ==, EAGAIN);
}

/* Threads are never reported as forks.  With the connector, the 200 messages the kernel
 * sends for 100 threads (100 clones, 100 exits) never reach the tracker: it receives no more
 * than an unfiltered witness socket counts of process forks and exits (host noise hits both
 * alike), and it never wakes without receiving one of those (so the threads never woke it),
 * while 5 forks do arrive.  (The number of wake-ups itself depends on how often the rest of
 * the host forks: a busy machine forks a few hundred times a second.) */
static void
test_threads (Fixture      *fx,
              gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "pid", NULL);
  Counts before, after;
  gboolean judged = FALSE;
  int witness_fd = -1;
  pid_t root;

  SKIP_IF_UNAVAILABLE (fx);
  if (fx->connector)
    witness_fd = witness_open ();
  /* Again only if the witness itself overflowed (its counts are then unusable). */
  for (guint attempt = 1; attempt <= 10 && !judged; attempt++)
    {
      g_autoptr(GArray) pids = NULL;
      Witness witness = { 0, };
      guint wakeups, messages;

      /* The tracker's window lies inside the witness's: the witness is drained first at
       * the start and last at the end. */
      unlink (file);
      if (fx->connector)
        witness_drain (witness_fd, 0, &witness);
      witness = (Witness) { 0, };
      init_proc_tracker_sync (fx->tracker);
      before = counts (fx);
      root = spawn (fx, OWNER_A, "svc", "", "spawn-threads", "100", file, NULL);
      pids = wait_pids (file, 1, "threads 100");
      init_proc_tracker_sync (fx->tracker);
      after = counts (fx);
      g_assert_cmpuint (fx->forks->len, ==, 0);
      assert_pids (fx, OWNER_A, (pid_t[]) { root }, 1);
      kill (root, SIGKILL);
      reap (root);
      init_proc_tracker_process_exited (fx->tracker, root);
      if (!fx->connector)
        return;

      witness_drain (witness_fd, root, &witness);
      wakeups = after.wakeups - before.wakeups;
      messages = after.messages - before.messages;
      g_test_message ("attempt %u: %u wake-ups, %u messages for 100 threads; witness: %u "
                      "messages, %u of processes, %u of the threads%s", attempt, wakeups,
                      messages, witness.total, witness.processes, witness.threads,
                      witness.lost ? " (overflowed)" : "");
      if (witness.lost)
        continue;
      g_assert_cmpuint (witness.threads, ==, 200);
      /* Without the filter it would be at least witness.processes + 200. */
      g_assert_cmpuint (messages, <=, witness.processes);
      /* Every wake-up brought at least one message that passed the filter. */
      g_assert_cmpuint (wakeups, <=, messages);
      judged = TRUE;
    }
  close (witness_fd);
  g_assert_true (judged);

  /* The counters do count: a tracked process forking 5 children brings >= 10 messages. */
  {
    g_autoptr(GArray) pids = NULL;

    before = counts (fx);
    root = spawn (fx, OWNER_B, "forker", "", "fork-children", "5", file, NULL);
    pids = wait_pids (file, 1, "forks 5");
    remember (fx, pids);
    /* Only the main loop this time (no sync), so the socket's source must wake. */
    g_assert_true (test_util_wait_until (count_cond, &(WaitCount) { fx, 5, 5, TRUE }, TIMEOUT));
    after = counts (fx);
    g_assert_cmpuint (fx->forks->len, ==, 5);
    g_assert_cmpuint (fx->exits->len, ==, 5);
    g_assert_cmpuint (after.messages - before.messages, >=, 10);
    g_assert_cmpuint (after.wakeups - before.wakeups, >=, 1);
    for (guint i = 0; i < 5; i++)
      {
        g_assert_true (g_array_index (fx->forks, Seen, i).owner == OWNER_B);
        g_assert_cmpint (g_array_index (fx->forks, Seen, i).parent, ==, root);
        g_assert_cmpint (g_array_index (fx->exits, Seen, i).pid, ==,
                         g_array_index (fx->forks, Seen, i).pid);
      }
  }
}

/* Scanning: orphans re-parented to us (child subreaper) whose parents are gone are
 * attributed by UPSTART_JOB / UPSTART_INSTANCE, the generation inferred from sessions; an
 * orphan of no tracked job is not; a tracked orphan's death is noticed. */
static void
test_environ_orphans (Fixture      *fx,
                      gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "pid", NULL);
  g_autofree char *child_file = g_build_filename (fx->dir, "child", NULL);
  g_autofree char *once = g_build_filename (fx->dir, "once", NULL);
  g_autofree char *stranger = g_build_filename (fx->dir, "stranger", NULL);
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GArray) child_pids = NULL;
  g_autoptr(GArray) once_pids = NULL;
  g_autoptr(GArray) stranger_pids = NULL;
  const Seen *seen;
  pid_t root, root_once, grandchild, orphan;
  InitProcInfo info;

  /* No scan until every intermediate process is gone. */
  init_proc_tracker_set_polling (fx->tracker, FALSE);
  root = spawn (fx, OWNER_A, "svc", "i1", "fork-twice", file, child_file, NULL);
  root_once = spawn (fx, OWNER_B, "other", "", "fork-once", once, NULL);
  spawn (fx, NULL, "svc", "i2", "fork-once", stranger, NULL);
  pids = wait_pids (file, 1, NULL);
  child_pids = wait_pids (child_file, 1, NULL);
  once_pids = wait_pids (once, 1, NULL);
  stranger_pids = wait_pids (stranger, 1, NULL);
  remember (fx, pids);
  remember (fx, child_pids);
  remember (fx, once_pids);
  remember (fx, stranger_pids);
  grandchild = g_array_index (pids, pid_t, 0);
  orphan = g_array_index (once_pids, pid_t, 0);
  wait_dead (root);
  wait_dead (root_once);
  wait_dead (g_array_index (child_pids, pid_t, 0));
  g_assert_true (init_proc_info_read (grandchild, &info));
  g_assert_cmpint (info.ppid, ==, getpid ());
  g_assert_true (init_proc_info_read (orphan, &info));
  g_assert_cmpint (info.ppid, ==, getpid ());
  g_assert_cmpuint (fx->forks->len, ==, 0);

  init_proc_tracker_sync (fx->tracker);
  g_assert_cmpuint (fx->forks->len, ==, 2);
  /* Fork, setsid, fork: in a session it does not lead, so the second generation. */
  seen = find_seen (fx->forks, grandchild);
  g_assert_nonnull (seen);
  g_assert_true (seen->owner == OWNER_A);
  g_assert_cmpint (seen->parent, ==, 0);
  g_assert_cmpuint (seen->generation, ==, 2);
  /* Fork once: still in the root's session, the first generation. */
  seen = find_seen (fx->forks, orphan);
  g_assert_nonnull (seen);
  g_assert_true (seen->owner == OWNER_B);
  g_assert_cmpint (seen->parent, ==, 0);
  g_assert_cmpuint (seen->generation, ==, 1);
  g_assert_null (init_proc_tracker_lookup (fx->tracker, g_array_index (stranger_pids, pid_t, 0)));
  assert_pids (fx, OWNER_A, (pid_t[]) { root, grandchild }, 2);

  /* A second scan finds nothing new. */
  init_proc_tracker_sync (fx->tracker);
  g_assert_cmpuint (fx->forks->len, ==, 2);
  g_assert_cmpuint (fx->exits->len, ==, 0);

  /* Killed, it is a zombie of ours until reaped: gone all the same. */
  g_assert_no_errno (kill (grandchild, SIGKILL));
  wait_dead (grandchild);
  init_proc_tracker_sync (fx->tracker);
  g_assert_cmpuint (fx->exits->len, ==, 1);
  g_assert_cmpint (g_array_index (fx->exits, Seen, 0).pid, ==, grandchild);
  g_assert_true (g_array_index (fx->exits, Seen, 0).owner == OWNER_A);
  assert_pids (fx, OWNER_A, (pid_t[]) { root }, 1);
}

/* Owners: processes listed in the order they became known; a reaped root is forgotten but
 * its descendants stay; removing an owner forgets all its processes, and only its own. */
static void
test_owners (Fixture      *fx,
             gconstpointer data)
{
  g_autofree char *file_a = g_build_filename (fx->dir, "a", NULL);
  g_autofree char *file_b = g_build_filename (fx->dir, "b", NULL);
  g_autoptr(GArray) pids_a = NULL;
  g_autoptr(GArray) pids_b = NULL;
  g_autoptr(GArray) none = NULL;
  pid_t root_a, root_b, child_a, child_b;

  SKIP_IF_UNAVAILABLE (fx);
  root_a = spawn (fx, OWNER_A, "a", "", "spawn-threads", "0", file_a, "--fork-after", NULL);
  root_b = spawn (fx, OWNER_B, "b", "", "spawn-threads", "0", file_b, "--fork-after", NULL);
  pids_a = wait_pids (file_a, 2, "threads");
  pids_b = wait_pids (file_b, 2, "threads");
  remember (fx, pids_a);
  remember (fx, pids_b);
  child_a = g_array_index (pids_a, pid_t, 1);
  child_b = g_array_index (pids_b, pid_t, 1);
  wait_counts (fx, 2, 0);
  assert_pids (fx, OWNER_A, (pid_t[]) { root_a, child_a }, 2);
  assert_pids (fx, OWNER_B, (pid_t[]) { root_b, child_b }, 2);

  /* The engine supervises a descendant itself (expect fork): it keeps its place. */
  init_proc_tracker_add_root (fx->tracker, child_a, OWNER_A, "a", "");
  assert_pids (fx, OWNER_A, (pid_t[]) { root_a, child_a }, 2);
  init_proc_tracker_process_exited (fx->tracker, root_a);
  g_assert_null (init_proc_tracker_lookup (fx->tracker, root_a));
  assert_pids (fx, OWNER_A, (pid_t[]) { child_a }, 1);

  init_proc_tracker_remove_owner (fx->tracker, OWNER_B);
  g_assert_null (init_proc_tracker_lookup (fx->tracker, root_b));
  g_assert_null (init_proc_tracker_lookup (fx->tracker, child_b));
  none = init_proc_tracker_get_pids (fx->tracker, OWNER_B);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_true (init_proc_tracker_lookup (fx->tracker, child_a) == OWNER_A);

  /* A forgotten owner's processes are nobody's: their ends are not reported. */
  g_assert_no_errno (kill (child_b, SIGKILL));
  wait_dead (child_b);
  test_util_spin (50);
  init_proc_tracker_sync (fx->tracker);
  g_assert_cmpuint (fx->exits->len, ==, 0);
}

/* Wait for @path like wait_pids(), but without running the main loop (the tracker's
 * socket is left unread meanwhile). */
static GArray *
wait_pids_unread (const char *path,
                  guint       lines,
                  const char *needle)
{
  WaitFile wait = { path, lines, needle };
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_TIME_SPAN_MILLISECOND;
  gboolean has_needle;

  while (!file_cond (&wait))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  return read_pids (path, &has_needle, NULL);
}

/* Lost messages (the socket's queue overflowed while we were busy) make the tracker rescan
 * /proc: a tracked fork whose message was dropped is still found, and reported once.  The
 * queue is shrunk to a few messages first: the default one holds thousands, and that many
 * forks take longer than TIMEOUT on a loaded 2-core machine (3,000 took 29 s). */
static void
test_overflow_rescan (Fixture      *fx,
                      gconstpointer data)
{
  g_autofree char *flood = g_build_filename (fx->dir, "flood", NULL);
  g_autofree char *file = g_build_filename (fx->dir, "pids", NULL);
  g_autoptr(GArray) flood_pids = NULL;
  g_autoptr(GArray) pids = NULL;
  guint64 before;
  const Seen *seen;
  pid_t root, child;

  SKIP_IF_UNAVAILABLE (fx);
  init_proc_tracker_set_queue_for_testing (fx->tracker, 4096);
  init_proc_tracker_sync (fx->tracker);
  before = init_proc_tracker_get_n_losses (fx->tracker);
  /* 200 forks and exits of an untracked process: far more than the queue now holds. */
  spawn (fx, NULL, NULL, NULL, "fork-children", "200", flood, NULL);
  flood_pids = wait_pids_unread (flood, 1, "forks 200");
  root = spawn (fx, OWNER_A, "svc", "", "spawn-threads", "0", file, "--fork-after", NULL);
  pids = wait_pids_unread (file, 2, "threads");
  remember (fx, pids);
  child = g_array_index (pids, pid_t, 1);

  init_proc_tracker_sync (fx->tracker);
  /* Messages were lost (else this test tests nothing). */
  g_assert_cmpuint (init_proc_tracker_get_n_losses (fx->tracker) - before, >=, 1);
  seen = find_seen (fx->forks, child);
  g_assert_nonnull (seen);
  g_assert_true (seen->owner == OWNER_A);
  g_assert_cmpint (seen->parent, ==, root);
  g_assert_cmpuint (seen->generation, ==, 1);
  g_assert_cmpuint (fx->forks->len, ==, 1);
  assert_pids (fx, OWNER_A, (pid_t[]) { root, child }, 2);

  /* And the connector carries on: the child's end arrives as a message. */
  g_assert_no_errno (kill (child, SIGKILL));
  seen = wait_seen (fx, fx->exits, child);
  g_assert_true (seen->owner == OWNER_A);
  g_assert_cmpint (init_proc_tracker_get_mode (fx->tracker), ==, INIT_PROC_TRACKING_CONNECTOR);
}

/* Only the kernel may tell us of forks: a forged FORK multicast by a process (possible for
 * root) reaches every listener but the tracker ignores it. */
static void
test_forged_sender (Fixture      *fx,
                    gconstpointer data)
{
  struct
  {
    struct nlmsghdr   header;
    struct cn_msg     cn;
    struct proc_event event;
  } __attribute__ ((packed)) forged;
  struct sockaddr_nl self = { .nl_family = AF_NETLINK };
  struct sockaddr_nl group = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
  struct sockaddr_nl listener = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
  g_autofree char *file = g_build_filename (fx->dir, "pid", NULL);
  struct pollfd pfd;
  pid_t root, fake;
  int fd, witness;

  SKIP_IF_UNAVAILABLE (fx);
  root = spawn (fx, OWNER_A, "svc", "", "spawn-threads", "0", file, NULL);
  g_array_unref (wait_pids (file, 1, "threads"));
  fake = G_MAXINT - 7;

  /* A second listener proves the forgery is delivered to listeners at all. */
  witness = socket (PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  g_assert_cmpint (witness, >=, 0);
  g_assert_no_errno (bind (witness, (struct sockaddr *) &listener, sizeof listener));
  fd = socket (PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &self, sizeof self));

  memset (&forged, 0, sizeof forged);
  forged.header.nlmsg_len = sizeof forged;
  forged.header.nlmsg_type = NLMSG_DONE;
  forged.cn.id.idx = CN_IDX_PROC;
  forged.cn.id.val = CN_VAL_PROC;
  forged.cn.len = sizeof forged.event;
  forged.event.what = PROC_EVENT_FORK;
  forged.event.event_data.fork.parent_pid = root;
  forged.event.event_data.fork.parent_tgid = root;
  forged.event.event_data.fork.child_pid = fake;
  forged.event.event_data.fork.child_tgid = fake;
  if (sendto (fd, &forged, sizeof forged, 0, (struct sockaddr *) &group, sizeof group) < 0)
    {
      /* Not permitted (no CAP_NET_ADMIN): nobody here can forge; the sender check is moot. */
      g_test_message ("cannot multicast on the connector: %s", g_strerror (errno));
      close (fd);
      close (witness);
      return;
    }
  pfd = (struct pollfd) { witness, POLLIN, 0 };
  g_assert_cmpint (poll (&pfd, 1, TIMEOUT), ==, 1);

  test_util_spin (50);
  init_proc_tracker_sync (fx->tracker);
  g_assert_null (init_proc_tracker_lookup (fx->tracker, fake));
  g_assert_cmpuint (fx->forks->len, ==, 0);
  assert_pids (fx, OWNER_A, (pid_t[]) { root }, 1);
  close (fd);
  close (witness);
}

/* In a pid namespace (as in a container) the connector is useless: the kernel ignores the
* LISTEN request, or reports pids of another namespace.  The tracker notices and scans. */
static void
test_fallback_in_namespace (void)
{
  int status;
  pid_t child;

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      pid_t inner;

      if (unshare (CLONE_NEWPID) < 0 && unshare (CLONE_NEWUSER | CLONE_NEWPID) < 0)
        _exit (77);
      inner = fork ();
      if (inner == 0)
        {
          InitProcTracker *tracker = init_proc_tracker_new (TRUE, NULL, NULL, NULL);
          gboolean scanning = init_proc_tracker_get_mode (tracker) == INIT_PROC_TRACKING_SCAN;

          init_proc_tracker_free (tracker);
          _exit (scanning ? 0 : 1);
        }
      if (inner < 0 || waitpid (inner, &status, 0) < 0 || !WIFEXITED (status))
        _exit (3);
      _exit (WEXITSTATUS (status));
    }
  while (waitpid (child, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  g_assert_true (WIFEXITED (status));
  if (WEXITSTATUS (status) == 77)
    {
      g_test_skip ("cannot create a pid namespace here");
      return;
    }
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* The mode names shown by `initd -v` and the manager property. */
static void
test_mode_strings (void)
{
  g_assert_cmpstr (init_proc_tracking_to_string (INIT_PROC_TRACKING_CONNECTOR), ==,
                   "proc-connector");
  g_assert_cmpstr (init_proc_tracking_to_string (INIT_PROC_TRACKING_SCAN), ==, "proc-scan");
}

/* ---- /proc readers ---- */

/* A process whose comm holds ") (" and ends in ")" is parsed right (the LAST parenthesis
 * ends comm); is_alive honours start_time; a zombie is dead but readable, a reaped process
 * is not there at all. */
static void
test_info_stat (void)
{
  InitProcInfo self, info;
  g_autofree char *comm_path = NULL;
  g_autofree char *comm = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *own_cmdline = NULL;
  int ready[2];
  char byte;
  pid_t child;

  g_assert_true (init_proc_info_read (getpid (), &self));
  g_assert_cmpint (self.pid, ==, getpid ());
  g_assert_cmpint (self.ppid, ==, getppid ());
  g_assert_cmpint (self.pgid, ==, getpgrp ());
  g_assert_cmpint (self.sid, ==, getsid (0));
  g_assert_cmpint (self.state, ==, 'R');
  g_assert_cmpuint (self.start_time, >, 0);

  g_assert_no_errno (pipe2 (ready, O_CLOEXEC));
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      prctl (PR_SET_NAME, "a) (b) 1 2 c)");
      (void) !write (ready[1], "x", 1);
      for (;;)
        pause ();
    }
  close (ready[1]);
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  close (ready[0]);
  comm_path = g_strdup_printf ("/proc/%d/comm", child);
  comm = test_util_read_file (comm_path);
  g_assert_cmpstr (comm, ==, "a) (b) 1 2 c)\n");

  g_assert_true (init_proc_info_read (child, &info));
  g_assert_cmpint (info.pid, ==, child);
  g_assert_cmpint (info.ppid, ==, getpid ());
  g_assert_cmpint (info.pgid, ==, self.pgid);
  g_assert_cmpint (info.sid, ==, self.sid);
  g_assert_true (info.state == 'S' || info.state == 'R');
  g_assert_cmpuint (info.start_time, >=, self.start_time);
  g_assert_true (init_proc_info_is_alive (child, 0));
  g_assert_true (init_proc_info_is_alive (child, info.start_time));
  /* The same pid, another process (pid reuse): not alive. */
  g_assert_false (init_proc_info_is_alive (child, info.start_time + 1));
  /* The child's command line is ours (fork without exec), as the kernel has it. */
  {
    g_autofree char *raw_path = g_strdup_printf ("/proc/%d/cmdline", child);
    gsize len;

    g_assert_true (g_file_get_contents (raw_path, &own_cmdline, &len, NULL));
    g_assert_cmpuint (len, >, 1);
    g_assert_cmpint (own_cmdline[len - 1], ==, '\0');
    for (gsize i = 0; i + 1 < len; i++)
      if (own_cmdline[i] == '\0')
        own_cmdline[i] = ' ';
  }
  cmdline = init_proc_info_cmdline (child);
  g_assert_cmpstr (cmdline, ==, own_cmdline);
  g_clear_pointer (&cmdline, g_free);

  g_assert_no_errno (kill (child, SIGKILL));
  wait_dead (child);
  g_assert_true (init_proc_info_read (child, &info));
  g_assert_cmpint (info.state, ==, 'Z');
  g_assert_cmpint (info.ppid, ==, getpid ());
  g_assert_false (init_proc_info_is_alive (child, 0));
  cmdline = init_proc_info_cmdline (child);
  g_assert_cmpstr (cmdline, ==, "[a) (b) 1 2 c)]");
  g_clear_pointer (&cmdline, g_free);

  reap (child);
  g_assert_false (init_proc_info_read (child, &info));
  g_assert_false (init_proc_info_is_alive (child, 0));
  g_assert_null (init_proc_info_cmdline (child));
  g_assert_null (init_proc_info_environ_get (child, "PATH"));
  g_assert_false (init_proc_info_read (0, &info));
  g_assert_false (init_proc_info_read (-1, &info));
}

/* Command lines (spaces for NULs, at most 4 KiB) and values from the exec'd environment. */
static void
test_info_cmdline_environ (Fixture      *fx,
                           gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "pid", NULL);
  g_autofree char *path = helper_path ("spawn-threads");
  g_autofree char *expected = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  pid_t pid, sleeper;

  pid = spawn (fx, NULL, "svc", "x y", "spawn-threads", "0", file, NULL);
  g_array_unref (wait_pids (file, 1, "threads"));
  cmdline = init_proc_info_cmdline (pid);
  expected = g_strdup_printf ("%s 0 %s", path, file);
  g_assert_cmpstr (cmdline, ==, expected);

  value = init_proc_info_environ_get (pid, "FOO");
  g_assert_cmpstr (value, ==, "bar=baz");
  g_clear_pointer (&value, g_free);
  value = init_proc_info_environ_get (pid, "UPSTART_INSTANCE");
  g_assert_cmpstr (value, ==, "x y");
  g_clear_pointer (&value, g_free);
  g_assert_null (init_proc_info_environ_get (pid, "FO"));
  g_assert_null (init_proc_info_environ_get (pid, "NO_SUCH_VARIABLE"));

  /* 3,000 arguments: cut at 4 KiB. */
  g_ptr_array_add (argv, "/bin/sleep");
  g_ptr_array_add (argv, "1000");
  for (guint i = 0; i < 3000; i++)
    g_ptr_array_add (argv, "0");
  g_ptr_array_add (argv, NULL);
  sleeper = spawnv (fx, NULL, NULL, NULL, (const char *const *) argv->pdata);
  g_clear_pointer (&cmdline, g_free);
  cmdline = init_proc_info_cmdline (sleeper);
  g_assert_nonnull (cmdline);
  g_assert_true (g_str_has_prefix (cmdline, "/bin/sleep 1000 0 0 0 "));
  g_assert_cmpuint (strlen (cmdline), <=, 4096);
  g_assert_cmpuint (strlen (cmdline), >=, 4000);
}

/* Direct children from /proc/PID/task/TID/children; a vanished process has none; a full
 * scan lists us as we are. */
static void
test_info_children_scan (void)
{
  g_autoptr(GArray) children = NULL;
  g_autoptr(GArray) gone = NULL;
  g_autoptr(GArray) all = NULL;
  InitProcInfo self;
  pid_t kids[3];
  gboolean found_self = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kids); i++)
    {
      kids[i] = fork ();
      g_assert_cmpint (kids[i], >=, 0);
      if (kids[i] == 0)
        {
          for (;;)
            pause ();
        }
    }
  children = init_proc_info_children (getpid ());
  for (guint i = 0; i < G_N_ELEMENTS (kids); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < children->len; j++)
        found |= g_array_index (children, pid_t, j) == kids[i];
      g_assert_true (found);
    }

  all = init_proc_info_scan ();
  g_assert_true (init_proc_info_read (getpid (), &self));
  for (guint i = 0; i < all->len; i++)
    {
      const InitProcInfo *info = &g_array_index (all, InitProcInfo, i);

      if (info->pid == getpid ())
        {
          found_self = TRUE;
          g_assert_cmpint (info->ppid, ==, self.ppid);
          g_assert_cmpint (info->sid, ==, self.sid);
          g_assert_cmpuint (info->start_time, ==, self.start_time);
        }
    }
  g_assert_true (found_self);
  g_assert_cmpuint (all->len, >, G_N_ELEMENTS (kids));

  for (guint i = 0; i < G_N_ELEMENTS (kids); i++)
    {
      kill (kids[i], SIGKILL);
      reap (kids[i]);
    }
  gone = init_proc_info_children (kids[0]);
  g_assert_cmpuint (gone->len, ==, 0);
}

/* pidfd_open: a descriptor that becomes readable when the process exits; errors set errno. */
static void
test_info_pidfd (void)
{
  struct pollfd pfd;
  pid_t child;
  int fd;

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      for (;;)
        pause ();
    }
  fd = init_proc_pidfd_open (child);
  if (fd < 0 && errno == ENOSYS)
    {
      /* Only under an emulator that predates the syscall (valgrind 3.19): Linux has it. */
      kill (child, SIGKILL);
      reap (child);
      g_test_skip ("pidfd_open(2) is not implemented here (valgrind?)");
      return;
    }
  g_assert_cmpint (fd, >=, 0);
  pfd = (struct pollfd) { fd, POLLIN, 0 };
  g_assert_cmpint (poll (&pfd, 1, 0), ==, 0);
  g_assert_no_errno (kill (child, SIGKILL));
  g_assert_cmpint (poll (&pfd, 1, TIMEOUT), ==, 1);
  close (fd);
  reap (child);

  /* Gone (reaped a moment ago; reuse of the pid that soon is not a concern). */
  errno = 0;
  g_assert_cmpint (init_proc_pidfd_open (child), ==, -1);
  g_assert_cmpint (errno, ==, ESRCH);
  errno = 0;
  g_assert_cmpint (init_proc_pidfd_open (0), ==, -1);
  g_assert_cmpint (errno, ==, EINVAL);
}

static void
add_both (const char *name,
          void ( *func ) (Fixture *, gconstpointer))
{
  for (int connector = 1; connector >= 0; connector--)
    {
      g_autofree char *path = g_strdup_printf ("/engine/proc-tracker/%s/%s",
                                               connector ? "connector" : "scan", name);

      g_test_add (path, Fixture, GINT_TO_POINTER (connector), fixture_setup, func,
                  fixture_teardown);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Like initd: orphans of the processes we start come back to us. */
  if (prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
    g_error ("PR_SET_CHILD_SUBREAPER: %s", g_strerror (errno));

  signal (SIGABRT, kill_leftovers);
  signal (SIGTERM, kill_leftovers);

  add_both ("fork/reported", test_fork_reported);
  add_both ("fork/once", test_fork_once);
  add_both ("fork/twice", test_fork_twice);
  add_both ("fork/untracked-ignored", test_untracked_ignored);
  add_both ("exit/non-child", test_exit_of_non_child);
  add_both ("strays", test_strays);
  add_both ("threads", test_threads);
  add_both ("owners", test_owners);
  g_test_add ("/engine/proc-tracker/scan/environ-orphans", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_environ_orphans, fixture_teardown);
  g_test_add ("/engine/proc-tracker/connector/overflow-rescan", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_overflow_rescan, fixture_teardown);
  g_test_add ("/engine/proc-tracker/connector/forged-sender", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_forged_sender, fixture_teardown);
  g_test_add_func ("/engine/proc-tracker/connector/fallback-in-namespace",
                   test_fallback_in_namespace);
  g_test_add_func ("/engine/proc-tracker/mode-strings", test_mode_strings);
  g_test_add_func ("/engine/proc-info/stat", test_info_stat);
  g_test_add ("/engine/proc-info/cmdline-environ", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_info_cmdline_environ, fixture_teardown);
  g_test_add_func ("/engine/proc-info/children-scan", test_info_children_scan);
  g_test_add_func ("/engine/proc-info/pidfd", test_info_pidfd);

  return g_test_run ();
}
