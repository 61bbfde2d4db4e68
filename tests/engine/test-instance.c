/* test-job.c — the pure transition table of job instances (reference §3.2) */
#include <glib.h>

#include "init-instance.h"

typedef struct
{
  InitState state;
  InitGoal  goal;
  gboolean  main_alive;
  InitState next;
  InitGoal  next_goal;
} Transition;

/* Every (state, goal) pair of the table, including both main-process cases where it matters. */
static const Transition table[] = {
  { INIT_STATE_WAITING, INIT_GOAL_START, FALSE, INIT_STATE_STARTING, INIT_GOAL_START },
  { INIT_STATE_WAITING, INIT_GOAL_STOP, FALSE, INIT_STATE_WAITING, INIT_GOAL_STOP },
  { INIT_STATE_WAITING, INIT_GOAL_RESPAWN, FALSE, INIT_STATE_STARTING, INIT_GOAL_START },
  { INIT_STATE_STARTING, INIT_GOAL_START, FALSE, INIT_STATE_PRE_START, INIT_GOAL_START },
  { INIT_STATE_STARTING, INIT_GOAL_STOP, FALSE, INIT_STATE_STOPPING, INIT_GOAL_STOP },
  { INIT_STATE_PRE_START, INIT_GOAL_START, FALSE, INIT_STATE_SPAWNED, INIT_GOAL_START },
  { INIT_STATE_PRE_START, INIT_GOAL_STOP, FALSE, INIT_STATE_STOPPING, INIT_GOAL_STOP },
  { INIT_STATE_SPAWNED, INIT_GOAL_START, TRUE, INIT_STATE_POST_START, INIT_GOAL_START },
  { INIT_STATE_SPAWNED, INIT_GOAL_STOP, TRUE, INIT_STATE_STOPPING, INIT_GOAL_STOP },
  { INIT_STATE_POST_START, INIT_GOAL_START, TRUE, INIT_STATE_RUNNING, INIT_GOAL_START },
  { INIT_STATE_POST_START, INIT_GOAL_STOP, TRUE, INIT_STATE_STOPPING, INIT_GOAL_STOP },
  { INIT_STATE_POST_START, INIT_GOAL_RESPAWN, FALSE, INIT_STATE_STOPPING, INIT_GOAL_START },
  { INIT_STATE_RUNNING, INIT_GOAL_STOP, TRUE, INIT_STATE_PRE_STOP, INIT_GOAL_STOP },
  { INIT_STATE_RUNNING, INIT_GOAL_STOP, FALSE, INIT_STATE_STOPPING, INIT_GOAL_STOP },
  { INIT_STATE_RUNNING, INIT_GOAL_START, FALSE, INIT_STATE_STOPPING, INIT_GOAL_START },
  { INIT_STATE_RUNNING, INIT_GOAL_RESPAWN, FALSE, INIT_STATE_STOPPING, INIT_GOAL_START },
  { INIT_STATE_PRE_STOP, INIT_GOAL_START, TRUE, INIT_STATE_RUNNING, INIT_GOAL_START },
  { INIT_STATE_PRE_STOP, INIT_GOAL_STOP, TRUE, INIT_STATE_STOPPING, INIT_GOAL_STOP },
  { INIT_STATE_PRE_STOP, INIT_GOAL_RESPAWN, FALSE, INIT_STATE_STOPPING, INIT_GOAL_START },
  { INIT_STATE_STOPPING, INIT_GOAL_START, TRUE, INIT_STATE_KILLED, INIT_GOAL_START },
  { INIT_STATE_STOPPING, INIT_GOAL_STOP, TRUE, INIT_STATE_KILLED, INIT_GOAL_STOP },
  { INIT_STATE_KILLED, INIT_GOAL_START, FALSE, INIT_STATE_POST_STOP, INIT_GOAL_START },
  { INIT_STATE_KILLED, INIT_GOAL_STOP, FALSE, INIT_STATE_POST_STOP, INIT_GOAL_STOP },
  { INIT_STATE_POST_STOP, INIT_GOAL_START, FALSE, INIT_STATE_STARTING, INIT_GOAL_START },
  { INIT_STATE_POST_STOP, INIT_GOAL_STOP, FALSE, INIT_STATE_WAITING, INIT_GOAL_STOP },
  { INIT_STATE_POST_STOP, INIT_GOAL_RESPAWN, FALSE, INIT_STATE_STARTING, INIT_GOAL_START },
};

/* Each row of the transition table gives the documented next state and goal. */
static void
test_next_state_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      const Transition *t = &table[i];
      InitGoal goal = -1;
      InitState next = init_instance_next_state (t->state, t->goal, t->main_alive, &goal);

      g_test_message ("%s/%s (main %s)", init_goal_to_string (t->goal),
                      init_state_to_string (t->state), t->main_alive ? "alive" : "dead");
      g_assert_cmpstr (init_state_to_string (next), ==, init_state_to_string (t->next));
      g_assert_cmpstr (init_goal_to_string (goal), ==, init_goal_to_string (t->next_goal));
    }
}

/* pre-stop is skipped when the main process already died (reference §3.4 point 4). */
static void
test_next_state_running_stop_dead_main (void)
{
  g_assert_cmpint (init_instance_next_state (INIT_STATE_RUNNING, INIT_GOAL_STOP, FALSE, NULL), ==,
                   INIT_STATE_STOPPING);
  g_assert_cmpint (init_instance_next_state (INIT_STATE_RUNNING, INIT_GOAL_STOP, TRUE, NULL), ==,
                   INIT_STATE_PRE_STOP);
}

/* Goal and state names round-trip, and unknown names are rejected. */
static void
test_names_round_trip (void)
{
  for (int s = INIT_STATE_WAITING; s <= INIT_STATE_POST_STOP; s++)
    g_assert_cmpint (init_state_from_string (init_state_to_string (s)), ==, s);
  for (int g = INIT_GOAL_STOP; g <= INIT_GOAL_RESPAWN; g++)
    g_assert_cmpint (init_goal_from_string (init_goal_to_string (g)), ==, g);
  g_assert_cmpint (init_state_from_string ("sleeping"), ==, -1);
  g_assert_cmpint (init_goal_from_string (NULL), ==, -1);
  g_assert_cmpstr (init_state_to_string (INIT_STATE_POST_START), ==, "post-start");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/job/next-state/table", test_next_state_table);
  g_test_add_func ("/engine/job/next-state/running-stop-dead-main", test_next_state_running_stop_dead_main);
  g_test_add_func ("/engine/job/names/round-trip", test_names_round_trip);

  return g_test_run ();
}
