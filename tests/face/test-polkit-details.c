/* test-polkit-details.c — the prompt's message per verb and the details in one order */
#define G_LOG_DOMAIN "init-test"

#include "init-polkit-details.h"

static PolkitDetails *
details_of (const char *const *pairs)
{
  PolkitDetails *details = polkit_details_new ();

  for (gsize i = 0; pairs != NULL && pairs[i] != NULL; i += 2)
    polkit_details_insert (details, pairs[i], pairs[i + 1]);
  return details;
}

typedef struct
{
  const char *action;
  const char *pairs[7];
  const char *message;   /* NULL: the action's own */
} MessageCase;

/* Each verb on a job names it; emitting names the event; without the detail the prompt
 * falls back to the action's own message, as it does for every other action. */
static void
test_messages (void)
{
  static const MessageCase cases[] = {
    { "org.example.Init.manage-jobs", { "verb", "start", "job", "web", NULL },
      "Authentication is required to start the job “$(job)”." },
    { "org.example.Init.manage-jobs", { "verb", "stop", "job", "web", NULL },
      "Authentication is required to stop the job “$(job)”." },
    { "org.example.Init.manage-jobs", { "verb", "restart", "job", "web", NULL },
      "Authentication is required to restart the job “$(job)”." },
    { "org.example.Init.manage-jobs", { "verb", "reload", "job", "web", NULL },
      "Authentication is required to reload the job “$(job)”." },
    { "org.example.Init.manage-jobs", { "verb", "enable", "job", "web", NULL }, NULL },
    { "org.example.Init.manage-jobs", { "verb", "start", NULL }, NULL },
    { "org.example.Init.emit-events", { "event", "go", NULL },
      "Authentication is required to emit the event “$(event)”." },
    { "org.example.Init.emit-events", { NULL }, NULL },
    { "org.example.Init.reload-configuration", { "verb", "start", "job", "web", "event", "go", NULL }, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PolkitDetails) details = details_of (cases[i].pairs);

      g_assert_cmpstr (init_polkit_message_for (cases[i].action, details), ==, cases[i].message);
    }
}

/* Details come out as key, value pairs sorted by key, whatever order they were put in: the
 * same question is the same list. */
static void
test_sorted_details (void)
{
  const char *const one_way[] = { "verb", "start", "job", "web", "instance", "", NULL };
  const char *const other_way[] = { "instance", "", "job", "web", "verb", "start", NULL };
  g_autoptr(PolkitDetails) a = details_of (one_way);
  g_autoptr(PolkitDetails) b = details_of (other_way);
  g_auto (GStrv) sorted_a = init_polkit_sorted_details (a);
  g_auto (GStrv) sorted_b = init_polkit_sorted_details (b);
  g_autofree char *joined = g_strjoinv ("|", sorted_a);

  g_assert_cmpstr (joined, ==, "instance||job|web|verb|start");
  g_assert_true (g_strv_equal ((const char *const *) sorted_a, (const char *const *) sorted_b));
}

/* No details give an empty list (never NULL). */
static void
test_no_details (void)
{
  g_autoptr(PolkitDetails) details = polkit_details_new ();
  g_auto (GStrv) sorted = init_polkit_sorted_details (details);

  g_assert_nonnull (sorted);
  g_assert_null (sorted[0]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/face/polkit-details/messages", test_messages);
  g_test_add_func ("/face/polkit-details/sorted", test_sorted_details);
  g_test_add_func ("/face/polkit-details/none", test_no_details);
  return g_test_run ();
}
