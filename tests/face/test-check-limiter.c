/* test-check-limiter.c — polkit checks shared fairly between users: caps in flight (in all
 * and per uid), bounded queues, turns between uids, interactive checks, summarised warnings */
#include <glib.h>

#include "init-check-limiter.h"
#include "init-error.h"
#include "test-util.h"

/* Small limits, so every edge is a few calls away. */
static const InitCheckLimits small = {
  .max_in_flight = 3,
  .max_in_flight_per_uid = 2,
  .max_interactive_per_uid = 1,
  .max_waiting_per_uid = 2,
  .max_waiting = 3,
};

typedef struct
{
  InitCheckLimiter *limiter;
  GArray           *started;   /* guint32 uid of each check, in the order started */
  GPtrArray        *checks;    /* every Check submitted: some never start */
} Fixture;

typedef struct
{
  Fixture *fx;
  guint32  uid;
} Check;

static void
fixture_setup (Fixture      *fx,
               gconstpointer data)
{
  fx->limiter = init_check_limiter_new (&small);
  fx->started = g_array_new (FALSE, FALSE, sizeof (guint32));
  fx->checks = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture      *fx,
                  gconstpointer data)
{
  init_check_limiter_free (fx->limiter);
  g_array_unref (fx->started);
  g_ptr_array_unref (fx->checks);
}

static void
record_start (gpointer data)
{
  Check *check = data;

  g_array_append_val (check->fx->started, check->uid);
}

/* Submit a check for @uid; TRUE if accepted (started now or queued). */
static gboolean
submit (Fixture *fx,
        guint32  uid,
        gboolean interactive,
        GError **error)
{
  Check *check = g_new0 (Check, 1);

  check->fx = fx;
  check->uid = uid;
  g_ptr_array_add (fx->checks, check);
  return init_check_limiter_submit (fx->limiter, uid, interactive, record_start, check, error);
}

static void
submit_ok (Fixture *fx,
           guint32  uid,
           gboolean interactive)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (submit (fx, uid, interactive, &error));
  g_assert_no_error (error);
}

static void
submit_refused (Fixture *fx,
                guint32  uid,
                gboolean interactive)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (submit (fx, uid, interactive, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_LIMITS_EXCEEDED);
}

static guint32
started (Fixture *fx,
         guint    i)
{
  g_assert_cmpuint (i, <, fx->started->len);
  return g_array_index (fx->started, guint32, i);
}

/* A check with a free slot starts at once, inside submit. */
static void
test_starts_at_once (Fixture      *fx,
                     gconstpointer data)
{
  submit_ok (fx, 1000, FALSE);
  g_assert_cmpuint (fx->started->len, ==, 1);
  g_assert_cmpuint (init_check_limiter_get_in_flight (fx->limiter), ==, 1);
  init_check_limiter_release (fx->limiter, 1000, FALSE);
  g_assert_cmpuint (init_check_limiter_get_in_flight (fx->limiter), ==, 0);
}

/* One uid has at most its share in flight; the next waits and starts when one is released. */
static void
test_per_uid_cap_queues (Fixture      *fx,
                         gconstpointer data)
{
  submit_ok (fx, 1000, FALSE);
  submit_ok (fx, 1000, FALSE);
  submit_ok (fx, 1000, FALSE);
  g_assert_cmpuint (fx->started->len, ==, 2);
  g_assert_cmpuint (init_check_limiter_get_in_flight (fx->limiter), ==, 2);

  init_check_limiter_release (fx->limiter, 1000, FALSE);
  g_assert_cmpuint (fx->started->len, ==, 3);
  g_assert_cmpuint (init_check_limiter_get_in_flight (fx->limiter), ==, 2);
}

/* A uid whose queue is full is refused with LimitsExceeded; others are not affected. */
static void
test_full_queue_refuses_that_uid (Fixture      *fx,
                                  gconstpointer data)
{
  for (int i = 0; i < 4; i++)
    submit_ok (fx, 1000, FALSE);          /* two in flight, two waiting */
  submit_refused (fx, 1000, FALSE);
  submit_ok (fx, 2000, FALSE);
  g_assert_cmpuint (fx->started->len, ==, 3);
  g_assert_cmpuint (started (fx, 2), ==, 2000);
}

/* The total in flight is capped below the bus's cap, whoever asks. */
static void
test_total_cap (Fixture      *fx,
                gconstpointer data)
{
  submit_ok (fx, 1, FALSE);
  submit_ok (fx, 2, FALSE);
  submit_ok (fx, 3, FALSE);
  submit_ok (fx, 4, FALSE);
  g_assert_cmpuint (fx->started->len, ==, 3);
  g_assert_cmpuint (init_check_limiter_get_in_flight (fx->limiter), ==, 3);
  init_check_limiter_release (fx->limiter, 2, FALSE);
  g_assert_cmpuint (fx->started->len, ==, 4);
  g_assert_cmpuint (started (fx, 3), ==, 4);
}

/* The whole queue is bounded too: past it even a new uid is refused. */
static void
test_total_queue_bound (Fixture      *fx,
                        gconstpointer data)
{
  submit_ok (fx, 1, FALSE);
  submit_ok (fx, 2, FALSE);
  submit_ok (fx, 3, FALSE);               /* three in flight: the total cap */
  submit_ok (fx, 4, FALSE);
  submit_ok (fx, 5, FALSE);
  submit_ok (fx, 6, FALSE);               /* three waiting: the whole queue */
  submit_refused (fx, 7, FALSE);
  g_assert_cmpuint (fx->started->len, ==, 3);
}

/* Waiting uids are served in turn: a flood queued first does not make a later uid wait for
 * all of it. */
static void
test_turns_between_uids (Fixture      *fx,
                         gconstpointer data)
{
  submit_ok (fx, 9, FALSE);
  submit_ok (fx, 9, FALSE);               /* uid 9 at its share */
  submit_ok (fx, 1, FALSE);               /* the third slot */
  submit_ok (fx, 9, FALSE);
  submit_ok (fx, 9, FALSE);               /* uid 9: two waiting */
  submit_ok (fx, 2, FALSE);               /* uid 2: one waiting, queued after uid 9's */
  g_assert_cmpuint (fx->started->len, ==, 3);

  /* A slot frees: uid 9 has its share in flight, so uid 2 goes first. */
  init_check_limiter_release (fx->limiter, 1, FALSE);
  g_assert_cmpuint (fx->started->len, ==, 4);
  g_assert_cmpuint (started (fx, 3), ==, 2);

  /* Then uid 9's waiting checks, as its own slots free. */
  init_check_limiter_release (fx->limiter, 9, FALSE);
  g_assert_cmpuint (started (fx, 4), ==, 9);
}

/* At most one interactive check per uid, waiting or in flight; a plain check still fits. */
static void
test_interactive_cap (Fixture      *fx,
                      gconstpointer data)
{
  submit_ok (fx, 1000, TRUE);
  submit_refused (fx, 1000, TRUE);
  submit_ok (fx, 1000, FALSE);
  submit_ok (fx, 2000, TRUE);

  /* Once answered, the uid may prompt again. */
  init_check_limiter_release (fx->limiter, 1000, TRUE);
  submit_ok (fx, 1000, TRUE);
}

/* An interactive check that waits in the queue counts against the interactive cap too. */
static void
test_interactive_counts_while_waiting (Fixture      *fx,
                                       gconstpointer data)
{
  submit_ok (fx, 1000, FALSE);
  submit_ok (fx, 1000, FALSE);
  submit_ok (fx, 1000, TRUE);             /* waits: the uid's slots are taken */
  g_assert_cmpuint (fx->started->len, ==, 2);
  submit_refused (fx, 1000, TRUE);
}

/* A refused uid that has nothing in flight is forgotten: it starts afresh next time. */
static void
test_idle_uid_starts_afresh (Fixture      *fx,
                             gconstpointer data)
{
  submit_ok (fx, 1, FALSE);
  submit_ok (fx, 2, FALSE);
  submit_ok (fx, 3, FALSE);
  submit_ok (fx, 4, FALSE);
  submit_ok (fx, 4, FALSE);
  submit_ok (fx, 5, FALSE);               /* the whole queue is full */
  submit_refused (fx, 6, FALSE);
  for (guint32 uid = 1; uid <= 3; uid++)
    init_check_limiter_release (fx->limiter, uid, FALSE);
  g_assert_cmpuint (fx->started->len, ==, 6);
  submit_ok (fx, 6, FALSE);               /* queued: the three slots are 4, 4 and 5 */
  init_check_limiter_release (fx->limiter, 5, FALSE);
  g_assert_cmpuint (fx->started->len, ==, 7);
  g_assert_cmpuint (started (fx, 6), ==, 6);
}

/* A check that finishes inside its start (a cached answer) frees its slot at once, and the
 * waiting checks still all start, in order. */
typedef struct
{
  InitCheckLimiter *limiter;
  guint             count;
} Instant;

static void
instant_start (gpointer data)
{
  Instant *instant = data;

  instant->count++;
  init_check_limiter_release (instant->limiter, 1000, FALSE);
}

static void
test_release_inside_start (void)
{
  InitCheckLimiter *limiter = init_check_limiter_new (&small);
  Instant instant = { limiter, 0 };

  for (int i = 0; i < 3; i++)
    g_assert_true (init_check_limiter_submit (limiter, 1000, FALSE, instant_start, &instant,
                                              NULL));
  g_assert_cmpuint (instant.count, ==, 3);
  g_assert_cmpuint (init_check_limiter_get_in_flight (limiter), ==, 0);
  init_check_limiter_free (limiter);
}

/* The daemon's defaults stay below dbus-daemon's 128 pending replies per connection. */
static void
test_defaults_below_bus_cap (void)
{
  g_assert_cmpuint (init_check_limits_default.max_in_flight, <, 128);
  g_assert_cmpuint (init_check_limits_default.max_in_flight_per_uid, <,
                    init_check_limits_default.max_in_flight);
  g_assert_cmpuint (init_check_limits_default.max_interactive_per_uid, <=,
                    init_check_limits_default.max_in_flight_per_uid);
}

/* Repeated warnings: the first burst is logged, the rest only counted; clearing says how
 * many were held back, in one line. */
static void
test_warn_limit_burst (void)
{
  InitWarnLimit limit = { 0 };
  const char *burst[INIT_WARN_LIMIT_BURST + 1] = { NULL };
  const char *summary[] = { "init-authority: 7 more warnings like these in 10 s*", NULL };

  for (int i = 0; i < INIT_WARN_LIMIT_BURST; i++)
    burst[i] = "init-authority: flood ?";
  test_util_capture_start ();
  for (int i = 0; i < INIT_WARN_LIMIT_BURST + 7; i++)
    init_warn_limit_warn (&limit, "flood %d", i);
  test_util_capture_assert (burst);
  g_assert_cmpuint (limit.suppressed, ==, 7);
  g_assert_cmpuint (limit.flush_id, !=, 0);

  test_util_capture_start ();
  init_warn_limit_clear (&limit);
  test_util_capture_assert (summary);
  test_util_capture_stop ();
  g_assert_cmpuint (limit.flush_id, ==, 0);
  g_assert_cmpuint (limit.suppressed, ==, 0);
}

#define ADD(path, func) \
  g_test_add ("/face/check-limiter/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();

  ADD ("starts-at-once", test_starts_at_once);
  ADD ("per-uid-cap-queues", test_per_uid_cap_queues);
  ADD ("full-queue-refuses-that-uid", test_full_queue_refuses_that_uid);
  ADD ("total-cap", test_total_cap);
  ADD ("total-queue-bound", test_total_queue_bound);
  ADD ("turns-between-uids", test_turns_between_uids);
  ADD ("interactive-cap", test_interactive_cap);
  ADD ("interactive-counts-while-waiting", test_interactive_counts_while_waiting);
  ADD ("idle-uid-starts-afresh", test_idle_uid_starts_afresh);
  g_test_add_func ("/face/check-limiter/release-inside-start", test_release_inside_start);
  g_test_add_func ("/face/check-limiter/defaults-below-bus-cap", test_defaults_below_bus_cap);
  g_test_add_func ("/face/check-limiter/warn-limit-burst", test_warn_limit_burst);

  return g_test_run ();
}
