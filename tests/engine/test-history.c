/* test-history.c — the bounded history of events and job transitions, with causes */
#include <string.h>
#include <unistd.h>

#include "engine-fixture.h"
#include "init-history.h"
#include "init-reaper.h"
#include "test-util.h"

#define FIXTURE_TEST(path, func) \
  g_test_add ("/engine/history/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

typedef struct
{
  guint64     id;
  const char *kind;
  const char *subject;
  GVariant   *details;
} Record;

static void
record_clear (gpointer data)
{
  g_variant_unref (((Record *) data)->details);
}

/* The records of @records, unpacked (strings borrowed from @records). */
static GArray *
unpack (GVariant *records)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (Record));
  gsize n = g_variant_n_children (records);

  for (gsize i = 0; i < n; i++)
    {
      GVariant *child = g_variant_get_child_value (records, i);
      Record r;
      guint64 ts;

      g_variant_get (child, "(tt&s&s@a{sv})", &r.id, &ts, &r.kind, &r.subject, &r.details);
      g_assert_cmpuint (ts, >, 0);
      g_array_append_val (out, r);
      g_variant_unref (child);
    }
  g_array_set_clear_func (out, record_clear);
  return out;
}

static const char *
detail_str (const Record *r,
            const char   *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (r->details, key, "&s", &value))
    return NULL;
  return value;
}

/* The first record of @kind whose detail @key equals @value (NULL: any), from index *@from. */
static const Record *
find (GArray     *records,
      guint      *from,
      const char *kind,
      const char *key,
      const char *value)
{
  for (guint i = from != NULL ? *from : 0; i < records->len; i++)
    {
      const Record *r = &g_array_index (records, Record, i);

      if (!g_str_equal (r->kind, kind))
        continue;
      if (key != NULL && g_strcmp0 (detail_str (r, key), value) != 0)
        continue;
      if (from != NULL)
        *from = i + 1;
      return r;
    }
  return NULL;
}

/* The ring keeps the newest @size records; a cursor finds the ones after it. */
static void
test_ring (void)
{
  g_autoptr(InitHistory) history = init_history_new (NULL, 5);
  g_autoptr(GVariant) all = NULL, after9 = NULL, after9max2 = NULL, none = NULL, future = NULL;
  g_autoptr(GArray) r = NULL, r9 = NULL, r9m = NULL;

  for (guint i = 1; i <= 12; i++)
    {
      g_autofree char *subject = g_strdup_printf ("s%u", i);
      g_assert_cmpuint (init_history_add (history, "event-queued", subject, NULL), ==, i);
    }
  g_assert_cmpuint (init_history_get_size (history), ==, 5);
  g_assert_cmpuint (init_history_get_length (history), ==, 5);
  g_assert_cmpuint (init_history_get_last_id (history), ==, 12);

  all = g_variant_ref_sink (init_history_get_records (history, 0, 0));
  r = unpack (all);
  g_assert_cmpuint (r->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *subject = g_strdup_printf ("s%u", 8 + i);
      g_assert_cmpuint (g_array_index (r, Record, i).id, ==, 8 + i);
      g_assert_cmpstr (g_array_index (r, Record, i).subject, ==, subject);
    }

  after9 = g_variant_ref_sink (init_history_get_records (history, 9, 0));
  r9 = unpack (after9);
  g_assert_cmpuint (r9->len, ==, 3);
  g_assert_cmpuint (g_array_index (r9, Record, 0).id, ==, 10);

  after9max2 = g_variant_ref_sink (init_history_get_records (history, 9, 2));
  r9m = unpack (after9max2);
  g_assert_cmpuint (r9m->len, ==, 2);
  g_assert_cmpuint (g_array_index (r9m, Record, 1).id, ==, 11);

  none = g_variant_ref_sink (init_history_get_records (history, 12, 0));
  g_assert_cmpuint (g_variant_n_children (none), ==, 0);
  future = g_variant_ref_sink (init_history_get_records (history, 1000, 0));
  g_assert_cmpuint (g_variant_n_children (future), ==, 0);
}

/* A page stops before @max_bytes (the first record always comes), so a reply stays small
 * whatever the history holds; the cursor then reads the rest. */
static void
test_page_bytes (void)
{
  g_autoptr(InitHistory) history = init_history_new (NULL, 0);
  g_autofree char *big = g_strnfill (1000, 'x');
  guint64 after = 0;
  guint pages = 0, seen = 0;

  for (guint i = 0; i < 50; i++)
    init_history_add (history, "event-queued", big, NULL);
  while (after < init_history_get_last_id (history))
    {
      g_autoptr(GVariant) page = g_variant_ref_sink (init_history_get_page (history, after, 0,
                                                                            4096, FALSE));
      gsize n = g_variant_n_children (page);

      g_assert_cmpuint (n, >=, 1);
      g_assert_cmpuint (n, <=, 4);
      g_assert_cmpuint (g_variant_get_size (page), <=, 4096 + 64);
      g_variant_get_child (page, n - 1, "(tt&s&sa{sv})", &after, NULL, NULL, NULL, NULL);
      seen += n;
      pages++;
    }
  g_assert_cmpuint (seen, ==, 50);
  g_assert_cmpuint (pages, >=, 13);
  {
    /* One record over the limit still comes alone. */
    g_autoptr(GVariant) one = g_variant_ref_sink (init_history_get_page (history, 0, 0, 10,
                                                                         FALSE));
    g_assert_cmpuint (g_variant_n_children (one), ==, 1);
  }
}

/* Stripped records lose the environment and the caller, and keep everything else. */
static void
test_strip (void)
{
  g_autoptr(InitHistory) history = init_history_new (NULL, 0);
  g_autoptr(InitCause) cause = init_cause_new_caller (1234, 99, "/usr/bin/initctl");
  g_autoptr(GVariant) page = NULL;
  g_autoptr(GVariant) full = NULL;
  g_autoptr(GVariant) details = NULL;
  const char *env[] = { "DB_PASSWORD=hunter2", NULL };
  g_autofree char *printed = NULL;
  GVariantBuilder builder;
  const char *text;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "event-id", g_variant_new_uint64 (7));
  g_variant_builder_add (&builder, "{sv}", "env", g_variant_new_strv (env, -1));
  init_history_add_cause (&builder, cause);
  init_history_add (history, "event-queued", "weather", g_variant_builder_end (&builder));

  full = g_variant_ref_sink (init_history_get_page (history, 0, 0, 0, FALSE));
  printed = g_variant_print (full, FALSE);
  g_assert_nonnull (strstr (printed, "hunter2"));
  page = g_variant_ref_sink (init_history_get_page (history, 0, 0, 0, TRUE));
  g_assert_cmpuint (g_variant_n_children (page), ==, 1);
  g_variant_get_child (page, 0, "(tt&s&s@a{sv})", NULL, NULL, NULL, NULL, &details);
  g_assert_true (g_variant_lookup (details, "event-id", "t", NULL));
  g_assert_true (g_variant_lookup (details, "cause", "&s", &text));
  g_assert_cmpstr (text, ==, "caller");
  g_assert_false (g_variant_lookup (details, "env", "^a&s", NULL));
  g_assert_false (g_variant_lookup (details, "caller-uid", "u", NULL));
  g_assert_false (g_variant_lookup (details, "caller-pid", "u", NULL));
  g_assert_false (g_variant_lookup (details, "caller-command", "&s", NULL));
}

/* Before the ring is full, records come back in order from the first. */
static void
test_ring_partial (void)
{
  g_autoptr(InitHistory) history = init_history_new (NULL, 0);
  g_autoptr(GVariant) records = NULL;
  g_autoptr(GArray) r = NULL;

  g_assert_cmpuint (init_history_get_size (history), ==, INIT_HISTORY_DEFAULT_SIZE);
  g_assert_cmpuint (init_history_get_last_id (history), ==, 0);
  records = g_variant_ref_sink (init_history_get_records (history, 0, 0));
  g_assert_cmpuint (g_variant_n_children (records), ==, 0);
  g_clear_pointer (&records, g_variant_unref);

  for (guint i = 0; i < 200; i++)
    init_history_add (history, "config-error", "/x", NULL);
  records = g_variant_ref_sink (init_history_get_records (history, 0, 0));
  r = unpack (records);
  g_assert_cmpuint (r->len, ==, 200);
  for (guint i = 0; i < 200; i++)
    g_assert_cmpuint (g_array_index (r, Record, i).id, ==, i + 1);
}

static void
count_record (InitHistory *history,
              GVariant    *record,
              gpointer     user_data)
{
  g_assert_true (g_variant_is_of_type (record, G_VARIANT_TYPE ("(ttssa{sv})")));
  (*(guint *) user_data)++;
}

/* Events are recorded when queued (id, env, cause) and when finished (result). */
static void
test_events (Fixture *fx, gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 100);
  g_autoptr(GVariant) records = NULL;
  g_autoptr(GArray) r = NULL;
  const Record *queued, *finished;
  const char **env = NULL;
  guint64 id = 0;
  guint signalled = 0;
  gboolean failed = TRUE;

  g_signal_connect (history, "record-added", G_CALLBACK (count_record), &signalled);
  fixture_emit_wait (fx, "weather", "KIND=rain", "WIND=none", NULL);
  records = g_variant_ref_sink (init_history_get_records (history, 0, 0));
  r = unpack (records);
  g_assert_cmpuint (signalled, ==, r->len);
  queued = find (r, NULL, "event-queued", NULL, NULL);
  finished = find (r, NULL, "event-finished", NULL, NULL);
  g_assert_nonnull (queued);
  g_assert_nonnull (finished);
  g_assert_cmpstr (queued->subject, ==, "weather");
  g_assert_true (g_variant_lookup (queued->details, "env", "^a&s", &env));
  g_assert_cmpuint (g_strv_length ((char **) env), ==, 2);
  g_assert_cmpstr (env[0], ==, "KIND=rain");
  g_assert_cmpstr (env[1], ==, "WIND=none");
  g_free (env);
  g_assert_cmpstr (detail_str (queued, "cause"), ==, "none");
  g_assert_true (g_variant_lookup (queued->details, "event-id", "t", &id));
  g_assert_cmpuint (id, >, 0);
  g_assert_true (g_variant_lookup (finished->details, "failed", "b", &failed));
  g_assert_false (failed);
  g_assert_cmpuint (finished->id, >, queued->id);
}

/* A caller's start is attributed to the caller; goal, states and processes are recorded once
 * each, in order. */
static void
test_caller_transitions (Fixture *fx, gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(InitCause) cause = init_cause_new_caller (1234, 99, "initctl start t");
  g_autoptr(GVariant) records = NULL;
  g_autoptr(GArray) r = NULL;
  FixtureReply reply = { 0 };
  const char *states[] = { "starting", "pre-start", "spawned", "post-start", "running",
                           "stopping", "killed", "post-stop", "waiting" };
  const Record *goal, *started, *exited;
  guint32 uid = 0, pid = 0;
  gint32 proc_pid = 0, exit_pid = -1;
  guint from = 0;

  fixture_define (fx, "t", "task\nexec true\n");
  init_engine_push_cause (fx->engine, cause);
  g_assert_nonnull (init_job_start (init_engine_lookup (fx->engine, "t"), NULL,
                                    fixture_reply_cb, &reply, NULL));
  init_engine_pop_cause (fx->engine);
  fixture_wait_reply (&reply);
  g_assert_no_error (reply.error);
  fixture_wait_status (fx, "t", "", "stop/waiting");

  records = g_variant_ref_sink (init_history_get_records (history, 0, 0));
  r = unpack (records);
  goal = find (r, NULL, "job-goal", "goal", "start");
  g_assert_nonnull (goal);
  g_assert_cmpstr (goal->subject, ==, "t");
  g_assert_cmpstr (detail_str (goal, "job"), ==, "t");
  g_assert_cmpstr (detail_str (goal, "instance"), ==, "");
  g_assert_cmpstr (detail_str (goal, "cause"), ==, "caller");
  g_assert_true (g_variant_lookup (goal->details, "caller-uid", "u", &uid));
  g_assert_true (g_variant_lookup (goal->details, "caller-pid", "u", &pid));
  g_assert_cmpuint (uid, ==, 1234);
  g_assert_cmpuint (pid, ==, 99);
  g_assert_cmpstr (detail_str (goal, "caller-command"), ==, "initctl start t");

  /* every state exactly once, in order, each naming the one before */
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      const Record *s = find (r, &from, "job-state", NULL, NULL);
      g_assert_nonnull (s);
      g_assert_cmpstr (detail_str (s, "state"), ==, states[i]);
      g_assert_cmpstr (detail_str (s, "from-state"), ==, i == 0 ? "waiting" : states[i - 1]);
    }
  g_assert_null (find (r, &from, "job-state", NULL, NULL));

  started = find (r, NULL, "process-started", "process", "main");
  exited = find (r, NULL, "process-exited", "process", "main");
  g_assert_nonnull (started);
  g_assert_nonnull (exited);
  g_assert_true (g_variant_lookup (started->details, "pid", "i", &proc_pid));
  g_assert_true (g_variant_lookup (exited->details, "pid", "i", &exit_pid));
  g_assert_cmpint (proc_pid, >, 0);
  g_assert_cmpint (exit_pid, ==, proc_pid);
  g_assert_false (g_variant_lookup (exited->details, "failed", "b", NULL));
  g_assert_cmpuint (exited->id, >, started->id);
  /* the goal went back to stop because the process ended */
  goal = find (r, NULL, "job-goal", "goal", "stop");
  g_assert_nonnull (goal);
  g_assert_cmpstr (detail_str (goal, "cause"), ==, "process");
}

/* A job an event starts names that event (by id) as its cause; a failing process records its
 * exit status; the failed event names the job. */
static void
test_event_cause_and_failure (Fixture *fx, gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(GVariant) records = NULL;
  g_autoptr(GArray) r = NULL;
  const Record *queued, *goal, *exited, *finished;
  guint64 event_id = 0, cause_id = 0;
  gint32 status = 0;
  gboolean failed = FALSE;

  fixture_define (fx, "f", "start on boom\ntask\nexec sh -c 'exit 3'\n");
  g_assert_true (fixture_emit_wait (fx, "boom", NULL));

  records = g_variant_ref_sink (init_history_get_records (history, 0, 0));
  r = unpack (records);
  queued = find (r, NULL, "event-queued", NULL, NULL);
  g_assert_cmpstr (queued->subject, ==, "boom");
  g_assert_true (g_variant_lookup (queued->details, "event-id", "t", &event_id));

  goal = find (r, NULL, "job-goal", "goal", "start");
  g_assert_nonnull (goal);
  g_assert_cmpstr (detail_str (goal, "cause"), ==, "event");
  g_assert_cmpstr (detail_str (goal, "cause-event"), ==, "boom");
  g_assert_true (g_variant_lookup (goal->details, "cause-event-id", "t", &cause_id));
  g_assert_cmpuint (cause_id, ==, event_id);

  exited = find (r, NULL, "process-exited", "process", "main");
  g_assert_nonnull (exited);
  g_assert_true (g_variant_lookup (exited->details, "failed", "b", &failed));
  g_assert_true (failed);
  g_assert_true (g_variant_lookup (exited->details, "status", "i", &status));
  g_assert_cmpint (status, ==, 3);

  finished = find (r, NULL, "event-finished", NULL, NULL);
  while (finished != NULL && !g_str_equal (finished->subject, "boom"))
    {
      guint from = (guint) (finished - (const Record *) r->data) + 1;
      finished = find (r, &from, "event-finished", NULL, NULL);
    }
  g_assert_nonnull (finished);
  g_assert_true (g_variant_lookup (finished->details, "failed", "b", &failed));
  g_assert_true (failed);
  g_assert_cmpstr (detail_str (finished, "failed-job"), ==, "f");
  g_assert_cmpstr (detail_str (finished, "reason"), ==, "main process terminated with status 3");
  /* and boom/failed was queued with the failing event as its cause */
  queued = find (r, NULL, "event-queued", NULL, NULL);
  {
    guint from = 0;
    const Record *q;
    gboolean seen = FALSE;

    while ((q = find (r, &from, "event-queued", NULL, NULL)) != NULL)
      if (g_str_equal (q->subject, "boom/failed"))
        {
          g_assert_cmpstr (detail_str (q, "cause"), ==, "event");
          g_assert_true (g_variant_lookup (q->details, "cause-event-id", "t", &cause_id));
          g_assert_cmpuint (cause_id, ==, event_id);
          seen = TRUE;
        }
    g_assert_true (seen);
  }
}

/* Job definitions and configuration errors are recorded with a reload cause by default. */
static void
test_config_records (Fixture *fx, gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 100);
  g_autoptr(GVariant) records = NULL;
  g_autoptr(GArray) r = NULL;
  g_autoptr(GError) error = NULL;
  const Record *added, *error_record;

  fixture_write_conf (fx, "good", "exec true\n");
  fixture_write_conf (fx, "bad", "exec true\nnonsense stanza\n");
  init_engine_load (fx->engine, FALSE, &error);
  g_assert_no_error (error);

  records = g_variant_ref_sink (init_history_get_records (history, 0, 0));
  r = unpack (records);
  added = find (r, NULL, "job-added", "job", "good");
  g_assert_nonnull (added);
  g_assert_cmpstr (added->subject, ==, "good");
  g_assert_cmpstr (detail_str (added, "cause"), ==, "reload");
  error_record = find (r, NULL, "config-error", NULL, NULL);
  g_assert_nonnull (error_record);
  g_assert_true (g_str_has_suffix (error_record->subject, "bad.conf"));
  g_test_message ("config-error: %s", detail_str (error_record, "reason"));
  g_assert_nonnull (strstr (detail_str (error_record, "reason"), "bad.conf:2:1"));
  g_assert_true (test_util_capture_contains ("*bad.conf:2:1*"));
}

/* Nothing is recorded twice: a notification that changes nothing adds no record. */
static void
test_only_real_changes (Fixture *fx, gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(GVariant) records = NULL;
  g_autoptr(GArray) r = NULL;
  FixtureReply reply = { 0 };
  guint64 before;

  fixture_define (fx, "svc", "exec sleep 1000\n");
  init_job_start (init_engine_lookup (fx->engine, "svc"), NULL, fixture_reply_cb, &reply, NULL);
  fixture_wait_reply (&reply);
  before = init_history_get_last_id (history);
  /* the engine re-notifies an unchanged instance: nothing new */
  g_signal_emit_by_name (fx->engine, "instance-changed",
                         init_job_lookup_instance (init_engine_lookup (fx->engine, "svc"), ""));
  g_assert_cmpuint (init_history_get_last_id (history), ==, before);

  records = g_variant_ref_sink (init_history_get_records (history, 0, 0));
  r = unpack (records);
  for (guint i = 1; i < r->len; i++)
    {
      const Record *a = &g_array_index (r, Record, i - 1);
      const Record *b = &g_array_index (r, Record, i);
      if (g_str_equal (a->kind, "job-state") && g_str_equal (b->kind, "job-state"))
        g_assert_cmpstr (detail_str (a, "state"), !=, detail_str (b, "state"));
    }
}

/* A small ring under a busy engine stays bounded and consistent. */
static void
test_bounded_under_load (Fixture *fx, gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 16);
  g_autoptr(GVariant) records = NULL;
  g_autoptr(GArray) r = NULL;

  for (guint i = 0; i < 100; i++)
    fixture_emit (fx, "tick", NULL);
  init_engine_poll (fx->engine);
  g_assert_cmpuint (init_history_get_length (history), ==, 16);
  g_assert_cmpuint (init_history_get_last_id (history), ==, 200);
  records = g_variant_ref_sink (init_history_get_records (history, 190, 0));
  r = unpack (records);
  g_assert_cmpuint (r->len, ==, 10);
  g_assert_cmpuint (g_array_index (r, Record, 0).id, ==, 191);
}

static gboolean
has_signalled_exit (gpointer user_data)
{
  InitHistory *history = user_data;
  g_autoptr(GVariant) records = g_variant_ref_sink (init_history_get_records (history, 0, 0));
  g_autoptr(GArray) r = unpack (records);
  const Record *exited = find (r, NULL, "process-exited", "process", "main");

  return exited != NULL && g_variant_lookup (exited->details, "signal", "&s", NULL);
}

/* A crash that is respawned is no failure of the job, but its record says how the process
 * ended (signal SEGV), so it does not read as a clean exit. */
static void
test_respawned_crash_status (Fixture *fx, gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(GVariant) records = NULL;
  g_autoptr(GArray) r = NULL;
  g_autofree char *mark = fixture_path (fx, "crashed");
  g_autofree char *text = g_strdup_printf ("start on boom\nrespawn\n"
                                           "exec sh -c 'if [ -e %s ]; then exec sleep 1000; fi; "
                                           "touch %s; kill -SEGV $$'\n", mark, mark);
  const Record *exited;
  const char *sig = NULL;

  fixture_define (fx, "crashy", text);
  fixture_emit (fx, "boom", NULL);
  g_assert_true (test_util_wait_until (has_signalled_exit, history, 20000));
  records = g_variant_ref_sink (init_history_get_records (history, 0, 0));
  r = unpack (records);
  exited = find (r, NULL, "process-exited", "process", "main");
  g_assert_false (g_variant_lookup (exited->details, "failed", "b", NULL));
  g_assert_true (g_variant_lookup (exited->details, "signal", "&s", &sig));
  g_assert_cmpstr (sig, ==, "SEGV");
  g_assert_nonnull (find (r, NULL, "job-state", "cause", "respawn"));
}

int
main (int argc, char **argv)
{
  /* Before any thread exists, so SIGCHLD reaches only the reaper. */
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));

  g_test_add_func ("/engine/history/ring", test_ring);
  g_test_add_func ("/engine/history/ring-partial", test_ring_partial);
  g_test_add_func ("/engine/history/page-bytes", test_page_bytes);
  g_test_add_func ("/engine/history/strip", test_strip);
  FIXTURE_TEST ("events", test_events);
  FIXTURE_TEST ("caller-transitions", test_caller_transitions);
  FIXTURE_TEST ("event-cause-and-failure", test_event_cause_and_failure);
  FIXTURE_TEST ("config-records", test_config_records);
  FIXTURE_TEST ("only-real-changes", test_only_real_changes);
  FIXTURE_TEST ("bounded-under-load", test_bounded_under_load);
  FIXTURE_TEST ("respawned-crash-status", test_respawned_crash_status);
  return g_test_run ();
}
