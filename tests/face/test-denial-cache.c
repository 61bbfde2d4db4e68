/* test-denial-cache.c — polkit's "no" remembered for one exact question, for a moment */
#define G_LOG_DOMAIN "init-test"

#include "init-denial-cache.h"
#include "test-util.h"

#define ACTION "org.example.Init.start"

/* A refusal is remembered for the same connection, action and details only. */
static void
test_exact_question (void)
{
  InitDenialCache *cache = init_denial_cache_new ();
  const char *const details[] = { "job", "web", "instance", "", NULL };
  const char *const other_job[] = { "job", "cron", "instance", "", NULL };
  const char *const fewer[] = { "job", "web", NULL };

  g_assert_false (init_denial_cache_lookup (cache, ":1.5", ACTION, details));
  init_denial_cache_add (cache, ":1.5", ACTION, details);
  g_assert_true (init_denial_cache_lookup (cache, ":1.5", ACTION, details));
  g_assert_false (init_denial_cache_lookup (cache, ":1.6", ACTION, details));
  g_assert_false (init_denial_cache_lookup (cache, ":1.5", "org.example.Init.stop", details));
  g_assert_false (init_denial_cache_lookup (cache, ":1.5", ACTION, other_job));
  g_assert_false (init_denial_cache_lookup (cache, ":1.5", ACTION, fewer));
  g_assert_false (init_denial_cache_lookup (cache, ":1.5", ACTION, NULL));
  /* A caller without a unique name (a peer connection) is never answered from memory. */
  g_assert_false (init_denial_cache_lookup (cache, NULL, ACTION, details));
  init_denial_cache_free (cache);
}

/* Details are told apart however they are split: a value holding the separator, or the same
 * words in another order, is another question. */
static void
test_details_not_confused (void)
{
  InitDenialCache *cache = init_denial_cache_new ();
  const char *const joined[] = { "a\x1f" "b", NULL };
  const char *const split[] = { "a", "b", NULL };
  const char *const swapped[] = { "b", "a", NULL };
  const char *const escaped[] = { "a\\037b", NULL };

  init_denial_cache_add (cache, ":1.5", ACTION, split);
  g_assert_false (init_denial_cache_lookup (cache, ":1.5", ACTION, joined));
  g_assert_false (init_denial_cache_lookup (cache, ":1.5", ACTION, swapped));
  init_denial_cache_add (cache, ":1.5", ACTION, joined);
  g_assert_true (init_denial_cache_lookup (cache, ":1.5", ACTION, joined));
  g_assert_false (init_denial_cache_lookup (cache, ":1.5", ACTION, escaped));
  init_denial_cache_free (cache);
}

/* After INIT_DENIAL_CACHE_MSEC polkit is asked again; a new refusal starts the time anew. */
static void
test_expires (void)
{
  InitDenialCache *cache = init_denial_cache_new ();
  gint64 start = g_get_monotonic_time ();

  init_denial_cache_add (cache, ":1.5", ACTION, NULL);
  /* Remembered unless the time has passed already (a frozen machine cannot make this fail). */
  {
    gboolean hit = init_denial_cache_lookup (cache, ":1.5", ACTION, NULL);

    g_assert_true (hit || g_get_monotonic_time () - start >= INIT_DENIAL_CACHE_MSEC * 1000);
  }
  while (g_get_monotonic_time () - start < (INIT_DENIAL_CACHE_MSEC + 100) * 1000)
    g_usleep (50 * 1000);
  g_assert_false (init_denial_cache_lookup (cache, ":1.5", ACTION, NULL));
  /* Forgotten, not just hidden: a second lookup is still a miss; a new add is a hit. */
  g_assert_false (init_denial_cache_lookup (cache, ":1.5", ACTION, NULL));
  init_denial_cache_add (cache, ":1.5", ACTION, NULL);
  g_assert_true (init_denial_cache_lookup (cache, ":1.5", ACTION, NULL));
  init_denial_cache_free (cache);
}

/* Bounded: past 4096 questions every one is forgotten at once. */
static void
test_bounded (void)
{
  InitDenialCache *cache = init_denial_cache_new ();

  for (guint i = 0; i < 4096; i++)
    {
      g_autofree char *sender = g_strdup_printf (":1.%u", i);

      init_denial_cache_add (cache, sender, ACTION, NULL);
    }
  g_assert_true (init_denial_cache_lookup (cache, ":1.0", ACTION, NULL));
  g_assert_true (init_denial_cache_lookup (cache, ":1.4095", ACTION, NULL));
  init_denial_cache_add (cache, ":2.0", ACTION, NULL);
  g_assert_false (init_denial_cache_lookup (cache, ":1.0", ACTION, NULL));
  g_assert_false (init_denial_cache_lookup (cache, ":1.4095", ACTION, NULL));
  g_assert_true (init_denial_cache_lookup (cache, ":2.0", ACTION, NULL));
  init_denial_cache_free (cache);
  /* Freeing nothing is allowed. */
  init_denial_cache_free (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/face/denial-cache/exact-question", test_exact_question);
  g_test_add_func ("/face/denial-cache/details-not-confused", test_details_not_confused);
  g_test_add_func ("/face/denial-cache/expires", test_expires);
  g_test_add_func ("/face/denial-cache/bounded", test_bounded);
  return g_test_run ();
}
