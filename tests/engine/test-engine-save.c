/* test-state.c — the engine saved and restored (re-exec), and adopted after a crash
 *
 * In-process: one engine runs jobs, its state is saved, a second engine on the same
 * configuration restores it and carries on with the same processes, events and waiters.
 */
#define G_LOG_DOMAIN "test-state"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine-fixture.h"
#include "init-engine-private.h"
#include "init-job-class-save.h"
#include "init-error.h"
#include "init-reaper.h"
#include "init-crash-recovery.h"
#include "init-engine-save.h"
#include "init-instance-private.h"
#include "test-util.h"

/* Save @fx's engine, drop it (its processes keep running) and restore into a new engine on
 * the same configuration. */
static void
swap_engine (Fixture             *fx,
             const InitSaveCodec *codec,
             gboolean             minimal,
             gboolean             adopt)
{
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GError) error = NULL;
  InitEngineOptions options = { 0 };

  state = g_variant_ref_sink (init_engine_save (fx->engine, codec, minimal));
  /* Through bytes, as it goes through a memfd or a file. */
  {
    g_autoptr(GBytes) bytes = g_variant_get_data_as_bytes (state);
    g_autoptr(GVariant) copy = g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE);
    g_clear_pointer (&state, g_variant_unref);
    state = g_variant_ref_sink (g_steal_pointer (&copy));
  }
  g_signal_handlers_disconnect_by_data (fx->engine, fx);
  g_clear_object (&fx->engine);

  options.user_mode = TRUE;
  options.log_dir = fx->logdir;
  fx->engine = init_engine_new (&options);
  init_engine_add_conf_dir (fx->engine, fx->confdir);
  g_assert_true (init_engine_load (fx->engine, FALSE, &error));
  g_assert_no_error (error);
  fixture_reconnect (fx);
  g_assert_true (init_engine_restore (fx->engine, state, codec, adopt, &error));
  g_assert_no_error (error);
}

static InitJob *
entry (Fixture    *fx,
       const char *name)
{
  InitJob *e = init_engine_lookup (fx->engine, name);

  g_assert_nonnull (e);
  return e;
}

static void
start_job (Fixture    *fx,
           const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (init_job_start (entry (fx, name), NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
pid_gone (gpointer user_data)
{
  return !test_util_pid_alive (GPOINTER_TO_INT (user_data));
}

/* A running service keeps its process and stays controllable. */
static void
test_running_service (Fixture *fx, gconstpointer data)
{
  int pid;

  fixture_write_conf (fx, "svc", "exec sleep 1000\n");
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  start_job (fx, "svc");
  fixture_wait_status (fx, "svc", "", "start/running");
  pid = fixture_main_pid (fx, "svc", "");

  swap_engine (fx, NULL, FALSE, FALSE);
  g_assert_cmpstr (fixture_status (fx, "svc", ""), ==, "start/running");
  g_assert_cmpint (fixture_main_pid (fx, "svc", ""), ==, pid);
  g_assert_true (test_util_pid_alive (pid));

  g_assert_true (init_job_stop (entry (fx, "svc"), NULL, NULL, NULL, NULL));
  fixture_wait_status (fx, "svc", "", "stop/waiting");
  g_assert_true (test_util_wait_until (pid_gone, GINT_TO_POINTER (pid), 20000));
  fixture_wait_event (fx, "stopped JOB=svc INSTANCE= RESULT=ok");
}

/* A task running across the switch finishes in the new engine. */
static void
test_task (Fixture *fx, gconstpointer data)
{
  g_autofree char *done = fixture_path (fx, "done");
  g_autofree char *text = g_strdup_printf ("task\nexec sh -c 'sleep 0.5; echo ok > %s'\n", done);

  fixture_write_conf (fx, "t", text);
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  start_job (fx, "t");
  fixture_wait_status (fx, "t", "", "start/running");
  swap_engine (fx, NULL, FALSE, FALSE);
  g_assert_cmpstr (fixture_status (fx, "t", ""), ==, "start/running");
  fixture_wait_status (fx, "t", "", "stop/waiting");
  test_util_assert_file (done, "ok\n");
  fixture_wait_event (fx, "stopped JOB=t INSTANCE= RESULT=ok");
}

/* A process that dies while no engine watches it: its exit status is not lost. */
static void
test_exit_during_switch (Fixture *fx, gconstpointer data)
{
  g_autoptr(GVariant) state = NULL;
  int pid;

  fixture_write_conf (fx, "victim", "exec sleep 1000\n");
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  start_job (fx, "victim");
  fixture_wait_status (fx, "victim", "", "start/running");
  pid = fixture_main_pid (fx, "victim", "");

  /* Killed right after the state was taken: the new engine learns it from the reaper. */
  {
    g_autoptr(GVariant) saved = g_variant_ref_sink (init_engine_save (fx->engine, NULL, FALSE));
    g_autoptr(GError) error = NULL;
    InitEngineOptions options = { .user_mode = TRUE, .log_dir = fx->logdir };

    g_signal_handlers_disconnect_by_data (fx->engine, fx);
    g_clear_object (&fx->engine);
    g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
    test_util_spin (200);
    fx->engine = init_engine_new (&options);
    init_engine_add_conf_dir (fx->engine, fx->confdir);
    g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
    fixture_reconnect (fx);
    g_assert_true (init_engine_restore (fx->engine, saved, NULL, FALSE, &error));
    g_assert_no_error (error);
  }
  fixture_wait_status (fx, "victim", "", "stop/waiting");
  fixture_wait_event (fx, "stopped JOB=victim INSTANCE= RESULT=failed PROCESS=main EXIT_SIGNAL=KILL");
}

/* A job blocked in starting (its starting event is held by another job) goes on after the
 * switch once the other job is done. */
static void
test_blocked_in_starting (Fixture *fx, gconstpointer data)
{
  fixture_write_conf (fx, "a", "exec sleep 1000\n");
  fixture_write_conf (fx, "b", "start on starting a\ntask\nexec sleep 0.5\n");
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  start_job (fx, "a");
  fixture_wait_status (fx, "b", "", "start/running");
  g_assert_cmpstr (fixture_status (fx, "a", ""), ==, "start/starting");

  swap_engine (fx, NULL, FALSE, FALSE);
  g_assert_cmpstr (fixture_status (fx, "a", ""), ==, "start/starting");
  fixture_wait_status (fx, "a", "", "start/running");
  g_assert_cmpstr (fixture_status (fx, "b", ""), ==, "stop/waiting");
  g_assert_true (fixture_saw_event (fx, "starting JOB=a INSTANCE="));
  g_assert_true (fixture_saw_event (fx, "started JOB=a INSTANCE="));
  init_job_stop (entry (fx, "a"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "a", "", "stop/waiting");
}

/* ---- waiters carried through a codec ---- */

typedef struct
{
  guint    id;
  gboolean done;
  gboolean failed;
  guint64  event_id;
} Waiter;

static Waiter waiters[4];

static void
waiter_event_done (InitEvent *event,
                   gpointer   user_data)
{
  Waiter *w = user_data;

  w->done = TRUE;
  w->failed = event->failed;
  w->event_id = event->id;
}

static GVariant *
codec_save (gpointer func, gpointer user_data, gpointer codec_data)
{
  if (func != (gpointer) waiter_event_done)
    return NULL;
  return g_variant_new_uint32 (((Waiter *) user_data)->id);
}

static gboolean
codec_load (GVariant *saved, gpointer *func, gpointer *user_data, gpointer codec_data)
{
  guint32 id = g_variant_get_uint32 (saved);

  g_assert_cmpuint (id, <, G_N_ELEMENTS (waiters));
  /* A new record stands for the old one, as the D-Bus face does. */
  waiters[id + 2] = waiters[id];
  *func = waiter_event_done;
  *user_data = &waiters[id + 2];
  return TRUE;
}

static const InitSaveCodec codec = { codec_save, codec_load, NULL };

/* A caller waiting for an event (emit with wait) gets the true answer after the switch. */
static void
test_waiting_emit (Fixture *fx, gconstpointer data)
{
  InitEvent *event;
  guint64 id;

  memset (waiters, 0, sizeof waiters);
  waiters[0].id = 0;
  fixture_write_conf (fx, "slow", "start on go\ntask\nexec sh -c 'sleep 0.5; exit 3'\n");
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  event = init_engine_emit (fx->engine, "go", NULL, waiter_event_done, &waiters[0]);
  id = event->id;
  fixture_wait_status (fx, "slow", "", "start/running");

  swap_engine (fx, &codec, FALSE, FALSE);
  g_assert_false (waiters[0].done);
  while (!waiters[2].done)
    g_main_context_iteration (NULL, TRUE);
  /* The task failed (exit 3), so the event failed; same event id as before the switch. */
  g_assert_true (waiters[2].failed);
  g_assert_cmpuint (waiters[2].event_id, ==, id);
  g_assert_false (waiters[0].done);
  /* New events continue the ids. */
  event = init_engine_emit (fx->engine, "later", NULL, NULL, NULL);
  g_assert_cmpuint (event->id, >, id);
}

/* A half-matched `start on a and b` keeps its latch: b alone starts the job afterwards. */
static void
test_latched_start_on (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = fixture_path (fx, "env");
  g_autofree char *text = g_strdup_printf ("start on a and b\ntask\nexec sh -c 'echo $X $Y > %s'\n", out);

  fixture_write_conf (fx, "both", text);
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  fixture_emit (fx, "a", "X=1", NULL);
  test_util_spin (100);
  g_assert_cmpstr (fixture_status (fx, "both", ""), ==, "stop/waiting");
  g_assert_nonnull (entry (fx, "both")->start_on);

  swap_engine (fx, NULL, FALSE, FALSE);
  g_assert_nonnull (entry (fx, "both")->start_on);
  g_assert_true (fixture_emit_wait (fx, "b", "Y=2", NULL) == FALSE);
  fixture_wait_status (fx, "both", "", "stop/waiting");
  g_free (fixture_wait_file (fx, out));
  test_util_assert_file (out, "1 2\n");
}

/* A definition changed on disk while an instance ran: the instance keeps its class, the new
 * one takes over when it stops. */
static void
test_changed_definition (Fixture *fx, gconstpointer data)
{
  InitInstance *job;

  fixture_write_conf (fx, "d", "description \"old\"\nexec sleep 1000\n");
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  start_job (fx, "d");
  fixture_wait_status (fx, "d", "", "start/running");
  {
    g_autoptr(GVariant) state = g_variant_ref_sink (init_engine_save (fx->engine, NULL, FALSE));
    g_autoptr(GError) error = NULL;
    InitEngineOptions options = { .user_mode = TRUE, .log_dir = fx->logdir };

    g_signal_handlers_disconnect_by_data (fx->engine, fx);
    g_clear_object (&fx->engine);
    fixture_write_conf (fx, "d", "description \"new\"\nexec sleep 1000\n");
    fx->engine = init_engine_new (&options);
    init_engine_add_conf_dir (fx->engine, fx->confdir);
    g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
    fixture_reconnect (fx);
    g_assert_true (init_engine_restore (fx->engine, state, NULL, FALSE, &error));
    g_assert_no_error (error);
  }
  job = init_job_lookup_instance (entry (fx, "d"), "");
  g_assert_cmpstr (job->klass->description, ==, "old");
  g_assert_nonnull (entry (fx, "d")->pending);
  init_job_stop (entry (fx, "d"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "d", "", "stop/waiting");
  g_assert_cmpstr (entry (fx, "d")->klass->description, ==, "new");
}

/* After a crash: live processes are adopted (not started again); a job whose process died
 * meanwhile is failed with the reason "daemon restarted". */
static void
test_adopt_after_crash (Fixture *fx, gconstpointer data)
{
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GError) error = NULL;
  InitEngineOptions options = { .user_mode = TRUE, .log_dir = fx->logdir };
  int alive, dead;

  fixture_write_conf (fx, "alive", "exec sleep 1000\n");
  fixture_write_conf (fx, "dead", "exec sleep 1000\n");
  fixture_write_conf (fx, "idle", "start on never\nexec sleep 1000\n");
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  start_job (fx, "alive");
  start_job (fx, "dead");
  fixture_wait_status (fx, "alive", "", "start/running");
  fixture_wait_status (fx, "dead", "", "start/running");
  alive = fixture_main_pid (fx, "alive", "");
  dead = fixture_main_pid (fx, "dead", "");

  /* The crash-recovery form: no classes, no events. */
  state = g_variant_ref_sink (init_engine_save (fx->engine, NULL, TRUE));
  g_assert_false (g_variant_lookup (state, "events", "*", NULL));
  g_signal_handlers_disconnect_by_data (fx->engine, fx);
  g_clear_object (&fx->engine);
  kill (dead, SIGKILL);
  g_assert_true (test_util_wait_until (pid_gone, GINT_TO_POINTER (dead), 20000));

  fx->engine = init_engine_new (&options);
  init_engine_add_conf_dir (fx->engine, fx->confdir);
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  fixture_reconnect (fx);
  g_assert_true (init_engine_restore (fx->engine, state, NULL, TRUE, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (fixture_status (fx, "alive", ""), ==, "start/running");
  g_assert_cmpint (fixture_main_pid (fx, "alive", ""), ==, alive);
  g_assert_cmpstr (fixture_status (fx, "idle", ""), ==, "stop/waiting");
  fixture_wait_status (fx, "dead", "", "stop/waiting");
  fixture_wait_event (fx, "stopped JOB=dead INSTANCE= RESULT=failed PROCESS=main");
  g_assert_true (test_util_capture_contains ("*ended while the daemon was not running*"));

  /* The adopted one can be stopped like any other. */
  g_assert_true (init_job_stop (entry (fx, "alive"), NULL, NULL, NULL, NULL));
  fixture_wait_status (fx, "alive", "", "stop/waiting");
  g_assert_true (test_util_wait_until (pid_gone, GINT_TO_POINTER (alive), 20000));
}

/* Versions: ours and older are read, newer refused; unknown keys are ignored. */
static void
test_versions (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v1 = g_variant_ref_sink (g_variant_new_parsed ("{'version': <uint32 1>}"));
  g_autoptr(GVariant) v99 = g_variant_ref_sink (g_variant_new_parsed ("{'version': <uint32 99>}"));
  g_autoptr(GVariant) none = g_variant_ref_sink (g_variant_new_parsed ("@a{sv} {}"));

  g_assert_true (init_save_check_version (v1, &error));
  g_assert_no_error (error);
  g_assert_false (init_save_check_version (v99, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS);
  g_assert_nonnull (strstr (error->message, "99"));
  g_clear_error (&error);
  g_assert_false (init_save_check_version (none, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS);
}

/* The committed version-1 state (tests/data/state/engine-v1.txt) still restores: a pending
 * event, a latched `start on` and the event ids carry on. */
static void
test_fixture_v1 (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "state", "engine-v1.txt", NULL);
  g_autofree char *text = test_util_read_file (path);
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = fixture_path (fx, "out");
  g_autofree char *job = g_strdup_printf ("start on first and second\ntask\nexec sh -c 'echo $A $B > %s'\n", out);
  InitEvent *event;

  g_assert_nonnull (text);
  state = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (init_save_check_version (state, &error));
  fixture_write_conf (fx, "pair", job);
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  engine = g_variant_lookup_value (state, "engine", G_VARIANT_TYPE_VARDICT);
  g_assert_true (init_engine_restore (fx->engine, engine, NULL, FALSE, &error));
  g_assert_no_error (error);

  /* Event 41 "first" A=1 was handled and latched by pair; "second" completes it. */
  g_assert_nonnull (entry (fx, "pair")->start_on);
  fixture_emit (fx, "second", "B=2", NULL);
  g_free (fixture_wait_file (fx, out));
  test_util_assert_file (out, "1 2\n");
  event = init_engine_emit (fx->engine, "next", NULL, NULL, NULL);
  g_assert_cmpuint (event->id, >=, 50);
}

/* The crash-recovery file follows the instances and goes away on a clean exit. */
static void
test_state_file (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = fixture_path (fx, "run/state");
  g_autoptr(GVariant) loaded = NULL;
  g_autoptr(GVariant) engine = NULL;
  g_autoptr(GError) error = NULL;
  InitCrashRecovery *file;

  fixture_write_conf (fx, "svc", "exec sleep 1000\n");
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  file = init_crash_recovery_new (fx->engine, path);
  g_assert_null (init_crash_recovery_load (path, &error));
  g_assert_no_error (error);
  start_job (fx, "svc");
  fixture_wait_status (fx, "svc", "", "start/running");
  test_util_spin (50);
  g_assert_cmpuint (init_crash_recovery_get_n_writes (file), >, 0);

  loaded = init_crash_recovery_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  engine = g_variant_lookup_value (loaded, "engine", G_VARIANT_TYPE_VARDICT);
  g_assert_nonnull (engine);
  {
    g_autofree char *printed = g_variant_print (engine, FALSE);
    g_autofree char *pid = g_strdup_printf ("%d", fixture_main_pid (fx, "svc", ""));
    g_assert_nonnull (strstr (printed, "'svc'"));
    g_assert_nonnull (strstr (printed, pid));
  }
  init_crash_recovery_remove (file);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  init_crash_recovery_free (file);

  /* Garbage is refused with a reason, not taken for a state. */
  g_file_set_contents (path, "junk", -1, NULL);
  g_assert_null (init_crash_recovery_load (path, &error));
  g_assert_nonnull (error);
  init_job_stop (entry (fx, "svc"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "svc", "", "stop/waiting");
}

/* A change that leaves the file's bytes as they are writes nothing (a task that came and
 * went between two writes renamed a new copy of the same file per run); a real change is
 * written, also after the file's directory went away. */
static void
test_state_file_unchanged (Fixture *fx, gconstpointer data)
{
  g_autofree char *dir = fixture_path (fx, "run");
  g_autofree char *path = fixture_path (fx, "run/state");
  InitCrashRecovery *file;
  InitInstance *svc;
  guint writes;

  fixture_write_conf (fx, "svc", "exec sleep 1000\n");
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  file = init_crash_recovery_new (fx->engine, path);
  start_job (fx, "svc");
  fixture_wait_status (fx, "svc", "", "start/running");
  init_crash_recovery_flush (file);
  writes = init_crash_recovery_get_n_writes (file);
  g_assert_cmpuint (writes, >, 0);

  /* Told the instance changed, but nothing in the file would. */
  svc = init_job_lookup_instance (entry (fx, "svc"), "");
  init_instance_notify (svc);
  init_crash_recovery_flush (file);
  g_assert_cmpuint (init_crash_recovery_get_n_writes (file), ==, writes);

  /* A real change, with the directory gone meanwhile: made again and written. */
  test_util_rm_rf (dir);
  init_job_stop (entry (fx, "svc"), NULL, NULL, NULL, NULL);
  fixture_wait_status (fx, "svc", "", "stop/waiting");
  init_crash_recovery_flush (file);
  g_assert_cmpuint (init_crash_recovery_get_n_writes (file), >, writes);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  init_crash_recovery_remove (file);
  init_crash_recovery_free (file);
}

/* The writer's lock: one holder at a time, mode 0600, free again once its holder is gone. */
static void
test_state_file_lock (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = fixture_path (fx, "run/state");
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  g_autoptr(GError) error = NULL;
  struct stat st;
  int fd, again;

  fd = init_crash_recovery_lock (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (stat (lock_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  again = init_crash_recovery_lock (path, &error);
  g_assert_cmpint (again, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  close (fd);

  /* Its holder gone (an exit closes the fd too), it is free again. */
  fd = init_crash_recovery_lock (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
}

/* A damaged crash-recovery file: whatever its bytes, restoring neither crashes nor warns
 * critically, and never adopts (or signals) a process that is not provably one the file's
 * jobs ran: a bystander survives every round.  (Re-exec states come from our own previous
 * image; this file is the input that could be corrupt.) */
static void
test_corrupt_state_file (Fixture *fx, gconstpointer data)
{
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  InitEngineOptions options = { .user_mode = TRUE, .log_dir = fx->logdir,
                                .no_proc_connector = TRUE };
  const guint8 *original;
  gsize size;
  int pids[2];
  pid_t bystander;
  char *sleep_argv[] = { (char *) "sleep", (char *) "1000", NULL };
  guint live;

  g_assert_cmpint (posix_spawnp (&bystander, "sleep", NULL, NULL, sleep_argv, environ), ==, 0);

  fixture_write_conf (fx, "a", "exec sleep 1000\n");
  fixture_write_conf (fx, "b", "instance $N\nexec sleep 1000\n");
  fixture_write_conf (fx, "c", "start on x and y\nexec sleep 1000\n");
  g_assert_true (init_engine_load (fx->engine, FALSE, NULL));
  start_job (fx, "a");
  {
    g_autoptr(GPtrArray) env = g_ptr_array_new ();
    g_ptr_array_add (env, (gpointer) "N=1");
    g_assert_nonnull (init_job_start (entry (fx, "b"), env, NULL, NULL, NULL));
  }
  fixture_wait_status (fx, "a", "", "start/running");
  fixture_wait_status (fx, "b", "1", "start/running");
  pids[0] = fixture_main_pid (fx, "a", "");
  pids[1] = fixture_main_pid (fx, "b", "1");
  state = g_variant_ref_sink (init_engine_save (fx->engine, NULL, TRUE));
  bytes = g_variant_get_data_as_bytes (state);
  original = g_bytes_get_data (bytes, &size);
  live = init_instance_count_live ();

  for (int round = 0; round < 300; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (original, size);
      gsize length = size;
      g_autoptr(GBytes) mutated = NULL;
      g_autoptr(GVariant) damaged = NULL;
      g_autoptr(InitEngine) engine = NULL;
      g_autoptr(GError) error = NULL;
      int flips = g_rand_int_range (rand, 1, 9);

      for (int i = 0; i < flips; i++)
        copy[g_rand_int_range (rand, 0, (gint32) size)] ^= (guint8) g_rand_int_range (rand, 1, 256);
      if (round % 5 == 0)
        length = g_rand_int_range (rand, 0, (gint32) size);
      mutated = g_bytes_new (copy, length);
      damaged = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, mutated, FALSE));

      engine = init_engine_new (&options);
      init_engine_add_conf_dir (engine, fx->confdir);
      g_assert_true (init_engine_load (engine, FALSE, NULL));
      /* FALSE with an error is fine; a crash or a critical is not. */
      if (!init_engine_restore (engine, damaged, NULL, TRUE, &error))
        g_assert_nonnull (error);
      /* Whatever it adopted is one of ours, untouched. */
      {
        g_autoptr(GPtrArray) jobs = init_engine_list_instances (engine);

        for (guint i = 0; i < jobs->len; i++)
          {
            InitInstance *job = g_ptr_array_index (jobs, i);

            for (guint t = 0; t < INIT_PROCESS_N; t++)
              if (job->pid[t] > 0)
                g_assert_true (job->pid[t] == pids[0] || job->pid[t] == pids[1]);
          }
      }
      g_assert_true (test_util_pid_alive (bystander));
    }
  /* Every engine made above is gone, and with it every instance it restored. */
  g_assert_cmpuint (init_instance_count_live (), ==, live);
  kill (bystander, SIGKILL);
}

int
main (int argc, char **argv)
{
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));
  prctl (PR_SET_CHILD_SUBREAPER, 1);

  g_test_add ("/engine/state/running-service", Fixture, NULL, fixture_setup, test_running_service, fixture_teardown);
  g_test_add ("/engine/state/task", Fixture, NULL, fixture_setup, test_task, fixture_teardown);
  g_test_add ("/engine/state/exit-during-switch", Fixture, NULL, fixture_setup, test_exit_during_switch, fixture_teardown);
  g_test_add ("/engine/state/blocked-in-starting", Fixture, NULL, fixture_setup, test_blocked_in_starting, fixture_teardown);
  g_test_add ("/engine/state/waiting-emit", Fixture, NULL, fixture_setup, test_waiting_emit, fixture_teardown);
  g_test_add ("/engine/state/latched-start-on", Fixture, NULL, fixture_setup, test_latched_start_on, fixture_teardown);
  g_test_add ("/engine/state/changed-definition", Fixture, NULL, fixture_setup, test_changed_definition, fixture_teardown);
  g_test_add ("/engine/state/adopt-after-crash", Fixture, NULL, fixture_setup, test_adopt_after_crash, fixture_teardown);
  g_test_add ("/engine/state/versions", Fixture, NULL, fixture_setup, test_versions, fixture_teardown);
  g_test_add ("/engine/state/fixture-v1", Fixture, NULL, fixture_setup, test_fixture_v1, fixture_teardown);
  g_test_add ("/engine/state/state-file", Fixture, NULL, fixture_setup, test_state_file, fixture_teardown);
  g_test_add ("/engine/state/state-file-unchanged", Fixture, NULL, fixture_setup, test_state_file_unchanged, fixture_teardown);
  g_test_add ("/engine/state/state-file-lock", Fixture, NULL, fixture_setup, test_state_file_lock, fixture_teardown);
  g_test_add ("/engine/state/corrupt-state-file", Fixture, NULL, fixture_setup, test_corrupt_state_file, fixture_teardown);
  return g_test_run ();
}
