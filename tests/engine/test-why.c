/* test-why.c — why an instance is in its state and why a job is not running
 * (daemon/engine/init-why.c, init-why-not.c), checked against what really happened */
#include <string.h>

#include "engine-fixture.h"
#include "init-error.h"
#include "init-reaper.h"
#include "init-why.h"
#include "test-util.h"

#define ADD(path, func) \
  g_test_add ("/engine/why/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

/* The chain as one "kind subject cause" line per link, newest first. */
static char *
describe_chain (GPtrArray *chain)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < chain->len; i++)
    {
      g_autoptr(GVariant) details = NULL;
      const char *kind, *subject, *cause = "-", *goal = NULL;

      g_variant_get_child (g_ptr_array_index (chain, i), 2, "&s", &kind);
      g_variant_get_child (g_ptr_array_index (chain, i), 3, "&s", &subject);
      details = g_variant_get_child_value (g_ptr_array_index (chain, i), 4);
      g_variant_lookup (details, "cause", "&s", &cause);
      g_string_append_printf (out, "%s %s %s", kind, subject, cause);
      if (g_variant_lookup (details, "goal", "&s", &goal))
        g_string_append_printf (out, " %s", goal);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static guint64
child_u64 (GVariant *record,
           int       index)
{
  guint64 value;

  g_variant_get_child (record, index, "t", &value);
  return value;
}

/* A chain of three jobs started by an emitted event: the exact chain back to the caller who
 * emitted it, record ids going back and times never forward. */
static void
test_chain (Fixture      *fx,
            gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(InitCause) caller = init_cause_new_caller (1000, 42, "/usr/bin/initctl");
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GVariant) origin = NULL;
  g_autofree char *text = NULL;
  guint32 uid = 0;

  fixture_define (fx, "a", "start on go\nexec sleep 1000\n");
  fixture_define (fx, "b", "start on started a\nexec sleep 1000\n");
  fixture_define (fx, "c", "start on started b\nexec sleep 1000\n");
  init_engine_push_cause (fx->engine, caller);
  fixture_emit (fx, "go", NULL);
  init_engine_pop_cause (fx->engine);
  fixture_wait_status (fx, "c", "", "start/running");

  chain = init_why (history, "c", "");
  text = describe_chain (chain);
  g_assert_cmpstr (text, ==,
                   "job-goal c event start\n"
                   "event-queued started event\n"
                   "job-goal b event start\n"
                   "event-queued started event\n"
                   "job-goal a event start\n"
                   "event-queued go caller\n");
  for (guint i = 1; i < chain->len; i++)
    {
      g_assert_cmpuint (child_u64 (g_ptr_array_index (chain, i), 0), <,
                        child_u64 (g_ptr_array_index (chain, i - 1), 0));
      g_assert_cmpuint (child_u64 (g_ptr_array_index (chain, i), 1), <=,
                        child_u64 (g_ptr_array_index (chain, i - 1), 1));
    }
  origin = g_variant_get_child_value (g_ptr_array_index (chain, 5), 4);
  g_assert_true (g_variant_lookup (origin, "caller-uid", "u", &uid));
  g_assert_cmpuint (uid, ==, 1000);
}

/* A failed pre-start: the stop it caused, the failure (the process, its status), then the
 * goal change and the event behind it. */
static void
test_failure (Fixture      *fx,
              gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GVariant) failure = NULL;
  g_autofree char *text = NULL;
  const char *process = NULL;
  gint32 status = 0;

  fixture_define (fx, "f", "start on boom\npre-start exec false\nexec sleep 1000\n");
  g_assert_true (fixture_emit_wait (fx, "boom", NULL));
  fixture_wait_status (fx, "f", "", "stop/waiting");

  chain = init_why (history, "f", "");
  text = describe_chain (chain);
  g_assert_cmpstr (text, ==,
                   "job-goal f process stop\n"
                   "process-exited f -\n"
                   "job-goal f event start\n"
                   "event-queued boom none\n");
  failure = g_variant_get_child_value (g_ptr_array_index (chain, 1), 4);
  g_assert_true (g_variant_lookup (failure, "process", "&s", &process));
  g_assert_cmpstr (process, ==, "pre-start");
  g_assert_true (g_variant_lookup (failure, "status", "i", &status));
  g_assert_cmpint (status, ==, 1);
}

static gboolean
ran_three_times (gpointer user_data)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (user_data, &text, NULL, NULL))
    return FALSE;
  return strlen (text) >= 3;
}

/* Respawns change no goal: the chain still leads to the start that began them. */
static void
test_respawn (Fixture      *fx,
              gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *mark = fixture_path (fx, "ran");
  g_autofree char *job = g_strdup_printf ("start on go\nrespawn\nrespawn limit 100 10\n"
                                          "exec sh -c 'echo >> %s; "
                                          "test $(wc -l < %s) -ge 3 && exec sleep 1000; exit 0'\n",
                                          mark, mark);
  g_autofree char *text = NULL;

  fixture_define (fx, "r", job);
  fixture_emit (fx, "go", NULL);
  g_assert_true (test_util_wait_until (ran_three_times, mark, 60000));
  fixture_wait_status (fx, "r", "", "start/running");

  chain = init_why (history, "r", "");
  text = describe_chain (chain);
  g_assert_cmpstr (text, ==, "job-goal r event start\nevent-queued go none\n");
}

/* An instance that stopped and left is still explained (its last goal change: the stop);
 * an instance never seen has an empty chain. */
static void
test_stopped (Fixture      *fx,
              gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(GPtrArray) chain = NULL, none = NULL;
  g_autofree char *text = NULL;

  fixture_define (fx, "s", "start on go\nstop on halt\nexec sleep 1000\n");
  fixture_emit (fx, "go", NULL);
  fixture_wait_status (fx, "s", "", "start/running");
  fixture_emit (fx, "halt", NULL);
  fixture_wait_status (fx, "s", "", "stop/waiting");

  chain = init_why (history, "s", "");
  text = describe_chain (chain);
  g_assert_cmpstr (text, ==, "job-goal s event stop\nevent-queued halt none\n");
  none = init_why (history, "s", "other");
  g_assert_cmpuint (none->len, ==, 0);
}

/* ---- why not ---- */

static const InitWhyNotReason *
find_reason (InitWhyNot *why_not,
             const char *kind)
{
  for (guint i = 0; i < why_not->reasons->len; i++)
    {
      InitWhyNotReason *r = g_ptr_array_index (why_not->reasons, i);

      if (g_str_equal (r->kind, kind))
        return r;
    }
  return NULL;
}

/* `start on a and b' after only a: a is satisfied (by which event, when), b is missing and
 * names the job that emits it; an event nothing produces has no producer. */
static void
test_not_missing_leaf (Fixture      *fx,
                       gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(InitWhyNot) why_not = NULL;
  g_autoptr(GError) error = NULL;
  InitWhyNotLeaf *a, *b, *c;

  fixture_define (fx, "producer", "emits b\n");
  fixture_define (fx, "j", "start on a and b or nothing-makes-this\nexec sleep 1000\n");
  /* a stays held by the latched leaf until b comes */
  fixture_emit (fx, "a", NULL);
  init_engine_poll (fx->engine);

  why_not = init_why_not (fx->engine, history, NULL, "j", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (why_not->start_on, ==, "((a and b) or nothing-makes-this)");
  g_assert_cmpuint (why_not->leaves->len, ==, 3);
  a = g_ptr_array_index (why_not->leaves, 0);
  b = g_ptr_array_index (why_not->leaves, 1);
  c = g_ptr_array_index (why_not->leaves, 2);
  g_assert_cmpstr (a->event, ==, "a");
  g_assert_cmpuint (a->event_id, >, 0);
  g_assert_cmpuint (a->time, >, 0);
  g_assert_cmpstr (b->event, ==, "b");
  g_assert_cmpuint (b->event_id, ==, 0);
  g_assert_cmpstrv (b->producers, ((const char *[]) { "job:producer", NULL }));
  g_assert_cmpstr (c->event, ==, "nothing-makes-this");
  g_assert_cmpstrv (c->producers, ((const char *[]) { NULL }));
  g_assert_cmpuint (why_not->reasons->len, ==, 0);
}

/* A job sitting in starting is held by the job whose `start on' latched its starting event
 * while it waits for the rest; a job event leaf names the job whose event it is. */
static void
test_not_held (Fixture      *fx,
               gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(InitWhyNot) x = NULL, y = NULL;
  const InitWhyNotReason *held;
  InitWhyNotLeaf *leaf;

  fixture_define (fx, "x", "start on go\nexec sleep 1000\n");
  fixture_define (fx, "y", "start on starting x and later\nexec sleep 1000\n");
  fixture_emit (fx, "go", NULL);
  fixture_wait_status (fx, "x", "", "start/starting");

  x = init_why_not (fx->engine, history, NULL, "x", NULL);
  held = find_reason (x, "held");
  g_assert_nonnull (held);
  g_assert_cmpstr (held->subject, ==, "x");
  g_assert_cmpstr (held->detail, ==, "y");
  g_assert_nonnull (find_reason (x, "starting"));
  y = init_why_not (fx->engine, history, NULL, "y", NULL);
  leaf = g_ptr_array_index (y->leaves, 0);
  g_assert_cmpuint (leaf->event_id, >, 0);
  leaf = g_ptr_array_index (y->leaves, 1);
  g_assert_cmpstrv (leaf->producers, ((const char *[]) { NULL }));
  /* let both go, so the teardown stops running jobs */
  fixture_emit (fx, "later", NULL);
  fixture_wait_status (fx, "x", "", "start/running");
}

typedef struct
{
  Fixture     *fx;
  InitHistory *history;
} Asking;

static gboolean
over_respawn_limit (gpointer user_data)
{
  Asking *a = user_data;
  g_autoptr(InitWhyNot) f = init_why_not (a->fx->engine, a->history, NULL, "f", NULL);

  return f != NULL && find_reason (f, "respawn-limit") != NULL;
}

/* Disabled by `manual' in its override; stopped by an event (named with its id); failed
 * while running. */
static void
test_not_disabled_stopped_failed (Fixture      *fx,
                                  gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(InitWhyNot) off = NULL, s = NULL, f = NULL;
  const InitWhyNotReason *r;

  fixture_define (fx, "off", "start on go\nmanual\nexec true\n");
  off = init_why_not (fx->engine, history, NULL, "off", NULL);
  g_assert_nonnull (find_reason (off, "disabled"));

  fixture_define (fx, "s", "start on go\nstop on halt\nexec sleep 1000\n");
  fixture_emit (fx, "go", NULL);
  fixture_wait_status (fx, "s", "", "start/running");
  fixture_emit (fx, "halt", NULL);
  fixture_wait_status (fx, "s", "", "stop/waiting");
  s = init_why_not (fx->engine, history, NULL, "s", NULL);
  r = find_reason (s, "stopped");
  g_assert_nonnull (r);
  g_assert_cmpstr (r->subject, ==, "event");
  g_assert_true (g_str_has_prefix (r->detail, "halt (#"));

  fixture_define (fx, "f", "start on boom\nrespawn\nrespawn limit 2 100\nexec false\n");
  fixture_emit (fx, "boom", NULL);
  g_assert_true (test_util_wait_until (over_respawn_limit, &(Asking) { fx, history }, 60000));
  f = init_why_not (fx->engine, history, NULL, "f", NULL);
  g_assert_cmpstr (find_reason (f, "respawn-limit")->detail, ==, "respawning too fast");
}

/* A file that fails to parse after a good one: rejected, with the error, the old definition
 * kept; a name only a rejected file has is answered with that alone; others are unknown. */
static void
test_not_rejected (Fixture      *fx,
                   gconstpointer data)
{
  g_autoptr(InitHistory) history = init_history_new (fx->engine, 1000);
  g_autoptr(InitWhyNot) bad = NULL, never = NULL, unknown = NULL;
  g_autoptr(GError) error = NULL;
  const InitWhyNotReason *r;

  fixture_write_conf (fx, "bad", "exec true\n");
  fixture_write_conf (fx, "never", "exec true\nnonsense stanza\n");
  init_engine_load (fx->engine, FALSE, NULL);
  fixture_write_conf (fx, "bad", "exec true\nrespwn\n");
  init_engine_reload (fx->engine);
  init_engine_flush_config (fx->engine);

  bad = init_why_not (fx->engine, history, NULL, "bad", &error);
  g_assert_no_error (error);
  r = find_reason (bad, "rejected");
  g_assert_nonnull (r);
  g_assert_true (g_str_has_suffix (r->subject, "/bad.conf"));
  g_assert_nonnull (strstr (r->detail, "Unknown stanza"));

  never = init_why_not (fx->engine, history, NULL, "never", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (never->reasons->len, ==, 1);
  g_assert_nonnull (find_reason (never, "rejected"));

  unknown = init_why_not (fx->engine, history, NULL, "nobody", &error);
  g_assert_null (unknown);
  g_assert_error (error, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB);
}

int
main (int    argc,
      char **argv)
{
  /* Before any thread exists, so SIGCHLD reaches only the reaper. */
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));
  ADD ("chain", test_chain);
  ADD ("failure", test_failure);
  ADD ("respawn", test_respawn);
  ADD ("stopped", test_stopped);
  ADD ("not/missing-leaf", test_not_missing_leaf);
  ADD ("not/held", test_not_held);
  ADD ("not/disabled-stopped-failed", test_not_disabled_stopped_failed);
  ADD ("not/rejected", test_not_rejected);
  return g_test_run ();
}
