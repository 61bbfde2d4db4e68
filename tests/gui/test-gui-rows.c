/* test-gui-rows.c — the rows init-admin's lists show, and the slot model under the job list
 *
 * In-process, no display and no daemon: history rows are fed the way the timeline feeds them,
 * job rows read D-Bus skeletons (which implement the same interfaces as the proxies the app
 * gets), and the slot model follows a GListStore.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include <locale.h>
#include <string.h>

#include "init-admin-history-row.h"
#include "init-admin-job-row.h"
#include "init-admin-slot-model.h"

/* Counts "notify" emissions per property name. */
typedef struct
{
  GHashTable *counts;
} Notes;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Notes      *notes)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, pspec->name));

  g_hash_table_insert (notes->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static void
notes_watch (Notes   *notes,
             gpointer object)
{
  notes->counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (object, "notify", G_CALLBACK (on_notify), notes);
}

static guint
notes_get (Notes      *notes,
           const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, name));
}

static void
notes_clear (Notes *notes)
{
  g_hash_table_unref (notes->counts);
}

/* ---- history rows ---- */

/* A new row has its kind, id and timestamp, empty texts, no event and a pending result. */
static void
test_history_row_new (void)
{
  g_autoptr(InitAdminHistoryRow) row = init_admin_history_row_new (INIT_ADMIN_HISTORY_FAILURE, 42,
                                                                   1700000000000000);

  g_assert_cmpint (init_admin_history_row_get_kind (row), ==, INIT_ADMIN_HISTORY_FAILURE);
  g_assert_cmpuint (init_admin_history_row_get_id (row), ==, 42);
  g_assert_cmpint (init_admin_history_row_get_timestamp (row), ==, 1700000000000000);
  g_assert_cmpuint (init_admin_history_row_get_event_id (row), ==, 0);
  g_assert_cmpstr (init_admin_history_row_get_title (row), ==, "");
  g_assert_cmpstr (init_admin_history_row_get_cause (row), ==, "");
  g_assert_cmpstr (init_admin_history_row_get_effect (row), ==, "");
  g_assert_cmpstr (init_admin_history_row_get_result_text (row), ==, "");
  g_assert_cmpint (init_admin_history_row_get_result (row), ==, INIT_ADMIN_RESULT_PENDING);
  g_assert_cmpuint (g_hash_table_size (init_admin_history_row_get_jobs (row)), ==, 0);
  g_assert_false (init_admin_history_row_get_highlighted (row));
}

/* Setting a text notifies once per real change; NULL reads back as "". */
static void
test_history_row_notify_on_change (void)
{
  g_autoptr(InitAdminHistoryRow) row = init_admin_history_row_new (INIT_ADMIN_HISTORY_EVENT, 1, 0);
  Notes notes;

  notes_watch (&notes, row);
  init_admin_history_row_set_title (row, "weather");
  init_admin_history_row_set_title (row, "weather");
  init_admin_history_row_set_cause (row, "root");
  init_admin_history_row_set_cause (row, "root");
  init_admin_history_row_set_cause (row, NULL);
  init_admin_history_row_set_highlighted (row, TRUE);
  init_admin_history_row_set_highlighted (row, 7);

  g_assert_cmpuint (notes_get (&notes, "title"), ==, 1);
  g_assert_cmpuint (notes_get (&notes, "cause"), ==, 2);
  g_assert_cmpstr (init_admin_history_row_get_cause (row), ==, "");
  g_assert_cmpuint (notes_get (&notes, "highlighted"), ==, 1);
  g_assert_true (init_admin_history_row_get_highlighted (row));
  notes_clear (&notes);
}

/* The result and its text notify separately: the same result with a new text notifies
 * only the text, and nothing notifies when neither changes. */
static void
test_history_row_result (void)
{
  g_autoptr(InitAdminHistoryRow) row = init_admin_history_row_new (INIT_ADMIN_HISTORY_REQUEST, 1, 0);
  Notes notes;

  notes_watch (&notes, row);
  init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_PENDING, "in progress");
  g_assert_cmpuint (notes_get (&notes, "result"), ==, 0);
  g_assert_cmpuint (notes_get (&notes, "result-text"), ==, 1);

  init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_OK, "in progress");
  g_assert_cmpuint (notes_get (&notes, "result"), ==, 1);
  g_assert_cmpuint (notes_get (&notes, "result-text"), ==, 1);

  init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_OK, "in progress");
  g_assert_cmpuint (notes_get (&notes, "result"), ==, 1);
  g_assert_cmpuint (notes_get (&notes, "result-text"), ==, 1);

  init_admin_history_row_set_result (row, INIT_ADMIN_RESULT_FAILED, NULL);
  g_assert_cmpint (init_admin_history_row_get_result (row), ==, INIT_ADMIN_RESULT_FAILED);
  g_assert_cmpstr (init_admin_history_row_get_result_text (row), ==, "");
  g_assert_cmpuint (notes_get (&notes, "result"), ==, 2);
  g_assert_cmpuint (notes_get (&notes, "result-text"), ==, 2);
  notes_clear (&notes);
}

/* Effects read "started … · stopped … · restarted … · failed: …" in that order whatever
 * order they came in, each job once per verb, instances shown as "job (instance)". */
static void
test_history_row_effect_order (void)
{
  g_autoptr(InitAdminHistoryRow) row = init_admin_history_row_new (INIT_ADMIN_HISTORY_EVENT, 1, 0);

  init_admin_history_row_add_effect (row, "failed", "crash", "");
  init_admin_history_row_add_effect (row, "stopped", "weather", NULL);
  init_admin_history_row_add_effect (row, "started", "hello", "");
  init_admin_history_row_add_effect (row, "started", "tty", "tty1");
  init_admin_history_row_add_effect (row, "restarted", "cron", "");
  init_admin_history_row_add_effect (row, "started", "hello", "");

  g_assert_cmpstr (init_admin_history_row_get_effect (row), ==,
                   "started hello, tty (tty1) · stopped weather · restarted cron · failed: crash");
}

/* A job started under two instances is listed twice; the same instance only once. */
static void
test_history_row_effect_instances (void)
{
  g_autoptr(InitAdminHistoryRow) row = init_admin_history_row_new (INIT_ADMIN_HISTORY_EVENT, 1, 0);
  GPtrArray *started;

  init_admin_history_row_add_effect (row, "started", "tty", "tty1");
  init_admin_history_row_add_effect (row, "started", "tty", "tty2");
  init_admin_history_row_add_effect (row, "started", "tty", "tty1");
  started = init_admin_history_row_get_started (row);

  g_assert_nonnull (started);
  g_assert_cmpuint (started->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (started, 0), ==, "tty (tty1)");
  g_assert_cmpstr (g_ptr_array_index (started, 1), ==, "tty (tty2)");
  g_assert_cmpuint (g_hash_table_size (init_admin_history_row_get_jobs (row)), ==, 1);
  g_assert_null (init_admin_history_row_get_failed (row));
}

/* An unknown verb counts as a failure (the one verb left over), and "effect" notifies once
 * per new entry only. */
static void
test_history_row_effect_notify (void)
{
  g_autoptr(InitAdminHistoryRow) row = init_admin_history_row_new (INIT_ADMIN_HISTORY_EVENT, 1, 0);
  Notes notes;
  GPtrArray *failed;

  notes_watch (&notes, row);
  init_admin_history_row_add_effect (row, "exploded", "bang", "");
  init_admin_history_row_add_effect (row, "exploded", "bang", "");
  failed = init_admin_history_row_get_failed (row);

  g_assert_nonnull (failed);
  g_assert_cmpuint (failed->len, ==, 1);
  g_assert_cmpstr (init_admin_history_row_get_effect (row), ==, "failed: bang");
  g_assert_cmpuint (notes_get (&notes, "effect"), ==, 1);
  notes_clear (&notes);
}

/* The jobs a row concerns: those with effects and those added on their own, by job name
 * (not the display name with the instance). */
static void
test_history_row_affects (void)
{
  g_autoptr(InitAdminHistoryRow) row = init_admin_history_row_new (INIT_ADMIN_HISTORY_EVENT, 1, 0);

  init_admin_history_row_add_effect (row, "started", "tty", "tty1");
  init_admin_history_row_add_job (row, "weather");
  init_admin_history_row_add_job (row, "weather");

  g_assert_true (init_admin_history_row_affects (row, "tty"));
  g_assert_true (init_admin_history_row_affects (row, "weather"));
  g_assert_false (init_admin_history_row_affects (row, "tty (tty1)"));
  g_assert_false (init_admin_history_row_affects (row, "hello"));
  g_assert_cmpuint (g_hash_table_size (init_admin_history_row_get_jobs (row)), ==, 2);
  /* Adding a job alone is no effect. */
  g_assert_cmpstr (init_admin_history_row_get_effect (row), ==, "started tty (tty1)");
}

/* The name filter matches case-folded text in the title or in a job's name; an empty
 * filter matches everything. */
static void
test_history_row_matches (void)
{
  g_autoptr(InitAdminHistoryRow) row = init_admin_history_row_new (INIT_ADMIN_HISTORY_EVENT, 1, 0);
  g_autofree char *folded_title = g_utf8_casefold ("WEATHER", -1);
  g_autofree char *folded_job = g_utf8_casefold ("HeartBeat", -1);
  g_autofree char *folded_umlaut = g_utf8_casefold ("GRÜN", -1);

  init_admin_history_row_set_title (row, "Weather KIND=grün");
  init_admin_history_row_add_effect (row, "started", "heartbeat", "");

  g_assert_true (init_admin_history_row_matches (row, NULL));
  g_assert_true (init_admin_history_row_matches (row, ""));
  g_assert_true (init_admin_history_row_matches (row, folded_title));
  g_assert_true (init_admin_history_row_matches (row, folded_job));
  g_assert_true (init_admin_history_row_matches (row, folded_umlaut));
  g_assert_true (init_admin_history_row_matches (row, "kind=gr"));
  g_assert_false (init_admin_history_row_matches (row, "snow"));
  /* The title's old text no longer matches once it changes. */
  init_admin_history_row_set_title (row, "rain");
  g_assert_false (init_admin_history_row_matches (row, "weather"));
}

/* ---- job rows ---- */

static InitDBusJob *
job_skeleton (const char *name,
              const char *description)
{
  InitDBusJob *job = init_dbus_job_skeleton_new ();

  init_dbus_job_set_name (job, name);
  init_dbus_job_set_description (job, description);
  return job;
}

static InitDBusInstance *
instance_skeleton (const char *name,
                   const char *goal,
                   const char *state,
                   const char *processes)
{
  InitDBusInstance *instance = init_dbus_instance_skeleton_new ();

  init_dbus_instance_set_name (instance, name);
  init_dbus_instance_set_goal (instance, goal);
  init_dbus_instance_set_state (instance, state);
  if (processes != NULL)
    init_dbus_instance_set_processes (instance, g_variant_new_parsed (processes));
  return instance;
}

/* A job without an instance reads as stopped ("stop/waiting", no pid), named by the job,
 * searchable by name and description case-folded. */
static void
test_job_row_without_instance (void)
{
  g_autoptr(InitDBusJob) job = job_skeleton ("Hello", "Says HELLO");
  g_autoptr(InitAdminJobRow) row = init_admin_job_row_new (job);

  g_assert_true (init_admin_job_row_get_job (row) == job);
  g_assert_null (init_admin_job_row_get_instance (row));
  g_assert_null (init_admin_job_row_get_instance_name (row));
  g_assert_cmpstr (init_admin_job_row_get_name (row), ==, "Hello");
  g_assert_cmpstr (init_admin_job_row_get_job_name (row), ==, "Hello");
  g_assert_cmpstr (init_admin_job_row_get_description (row), ==, "Says HELLO");
  g_assert_cmpstr (init_admin_job_row_get_goal_state (row), ==, "stop/waiting");
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_STOPPED);
  g_assert_cmpint (init_admin_job_row_get_pid (row), ==, 0);
  g_assert_cmpstr (init_admin_job_row_get_search_key (row), ==, "hello\nsays hello");
}

/* With an instance: its name joins the display name, its goal and state make the status,
 * the main process gives the pid. */
static void
test_job_row_with_instance (void)
{
  g_autoptr(InitDBusJob) job = job_skeleton ("tty", "");
  g_autoptr(InitDBusInstance) instance =
    instance_skeleton ("tty1", "start", "running", "[('main', 321), ('post-start', 400)]");
  g_autoptr(InitAdminJobRow) row = init_admin_job_row_new (job);

  init_admin_job_row_set_instance (row, instance);
  g_assert_true (init_admin_job_row_refresh (row));

  g_assert_cmpstr (init_admin_job_row_get_name (row), ==, "tty (tty1)");
  g_assert_cmpstr (init_admin_job_row_get_instance_name (row), ==, "tty1");
  g_assert_cmpstr (init_admin_job_row_get_goal_state (row), ==, "start/running");
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_RUNNING);
  g_assert_cmpint (init_admin_job_row_get_pid (row), ==, 321);
  g_assert_true (g_str_has_prefix (init_admin_job_row_get_search_key (row), "tty (tty1)\n"));
}

/* refresh() says whether anything the list sorts or filters on changed: not for the
 * goal/state text alone, yes for the status, the pid, the name and the description. */
static void
test_job_row_refresh_reports_keys (void)
{
  g_autoptr(InitDBusJob) job = job_skeleton ("web", "a server");
  g_autoptr(InitDBusInstance) instance = instance_skeleton ("", "start", "pre-start", NULL);
  g_autoptr(InitAdminJobRow) row = init_admin_job_row_new (job);
  Notes notes;

  init_admin_job_row_set_instance (row, instance);
  g_assert_true (init_admin_job_row_refresh (row));
  g_assert_false (init_admin_job_row_refresh (row));

  notes_watch (&notes, row);
  /* pre-start -> spawned: still "starting", only the goal/state text changes. */
  init_dbus_instance_set_state (instance, "spawned");
  g_assert_false (init_admin_job_row_refresh (row));
  g_assert_cmpuint (notes_get (&notes, "goal-state"), ==, 1);
  g_assert_cmpuint (notes_get (&notes, "status"), ==, 0);

  init_dbus_instance_set_state (instance, "running");
  g_assert_true (init_admin_job_row_refresh (row));
  g_assert_cmpuint (notes_get (&notes, "status"), ==, 1);

  init_dbus_instance_set_processes (instance, g_variant_new_parsed ("[('main', 99)]"));
  g_assert_true (init_admin_job_row_refresh (row));
  g_assert_cmpuint (notes_get (&notes, "pid"), ==, 1);

  init_dbus_job_set_description (job, "a web server");
  g_assert_true (init_admin_job_row_refresh (row));
  g_assert_cmpuint (notes_get (&notes, "description"), ==, 1);
  g_assert_cmpstr (init_admin_job_row_get_search_key (row), ==, "web\na web server");
  g_assert_cmpuint (notes_get (&notes, "name"), ==, 0);
  notes_clear (&notes);
}

/* A job whose last run failed shows as failed while it has no instance; an instance's own
 * Failed property decides once it has one. */
static void
test_job_row_failed (void)
{
  g_autoptr(InitDBusJob) job = job_skeleton ("task", "");
  g_autoptr(InitDBusInstance) instance = instance_skeleton ("", "start", "running", NULL);
  g_autoptr(InitAdminJobRow) row = init_admin_job_row_new (job);

  init_admin_job_row_set_job_failed (row, TRUE);
  /* Nothing changes before the next refresh. */
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_STOPPED);
  g_assert_true (init_admin_job_row_refresh (row));
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_FAILED);

  init_admin_job_row_set_instance (row, instance);
  init_admin_job_row_refresh (row);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_RUNNING);

  init_dbus_instance_set_goal (instance, "stop");
  init_dbus_instance_set_state (instance, "stopping");
  init_dbus_instance_set_failed (instance, TRUE);
  init_admin_job_row_refresh (row);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_FAILED);

  init_admin_job_row_set_instance (row, NULL);
  init_admin_job_row_set_job_failed (row, FALSE);
  init_admin_job_row_refresh (row);
  g_assert_cmpint (init_admin_job_row_get_status (row), ==, INIT_ADMIN_STATUS_STOPPED);
  g_assert_cmpstr (init_admin_job_row_get_goal_state (row), ==, "stop/waiting");
}

/* A single-instance job's instance is named "", which shows the job name alone. */
static void
test_job_row_single_instance_name (void)
{
  g_autoptr(InitDBusJob) job = job_skeleton ("cron", NULL);
  g_autoptr(InitDBusInstance) instance = instance_skeleton ("", "start", "running", "@a(si) []");
  g_autoptr(InitAdminJobRow) row = init_admin_job_row_new (job);

  init_admin_job_row_set_instance (row, instance);
  init_admin_job_row_refresh (row);
  g_assert_cmpstr (init_admin_job_row_get_name (row), ==, "cron");
  g_assert_cmpstr (init_admin_job_row_get_instance_name (row), ==, "");
  g_assert_cmpstr (init_admin_job_row_get_description (row), ==, "");
  g_assert_cmpint (init_admin_job_row_get_pid (row), ==, 0);
}

/* ---- the slot model ---- */

static GListStore *
store_of (guint n)
{
  GListStore *store = g_list_store_new (G_TYPE_OBJECT);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);

      g_list_store_append (store, item);
    }
  return store;
}

typedef struct
{
  guint calls;
  guint position, removed, added;
  guint contents;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->calls++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static void
on_contents_changed (InitAdminSlotModel *model,
                     Changes            *changes)
{
  changes->contents++;
}

static void
watch_changes (InitAdminSlotModel *model,
               Changes            *changes)
{
  memset (changes, 0, sizeof *changes);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), changes);
  g_signal_connect (model, "contents-changed", G_CALLBACK (on_contents_changed), changes);
}

/* Every slot shows the item at its position in the source, whatever happened below. */
static void
assert_slots_follow (InitAdminSlotModel *model,
                     GListModel         *source)
{
  guint n = g_list_model_get_n_items (source);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(InitAdminSlot) slot = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_autoptr(GObject) item = g_list_model_get_item (source, i);

      g_assert_true (init_admin_slot_get_item (slot) == item);
    }
}

/* A new model has one slot per item, in order, of type InitAdminSlot; past the end is NULL. */
static void
test_slot_model_initial (void)
{
  g_autoptr(GListStore) store = store_of (3);
  g_autoptr(InitAdminSlotModel) model = init_admin_slot_model_new (G_LIST_MODEL (store));

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == INIT_ADMIN_TYPE_SLOT);
  assert_slots_follow (model, G_LIST_MODEL (store));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 3));
}

/* Replacing items in place keeps the slots (the same objects) and announces no change of
 * the slot list, only "contents-changed"; the slots show the new items. */
static void
test_slot_model_replace_keeps_slots (void)
{
  g_autoptr(GListStore) store = store_of (4);
  g_autoptr(InitAdminSlotModel) model = init_admin_slot_model_new (G_LIST_MODEL (store));
  g_autoptr(InitAdminSlot) first = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_autoptr(GObject) replacement = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(InitAdminSlot) again = NULL;
  Changes changes;
  Notes notes;

  watch_changes (model, &changes);
  notes_watch (&notes, first);
  g_list_store_splice (store, 1, 1, (gpointer *) &replacement, 1);
  again = g_list_model_get_item (G_LIST_MODEL (model), 1);

  g_assert_true (again == first);
  g_assert_true (init_admin_slot_get_item (first) == replacement);
  g_assert_cmpuint (changes.calls, ==, 0);
  g_assert_cmpuint (changes.contents, ==, 1);
  g_assert_cmpuint (notes_get (&notes, "item"), ==, 1);
  assert_slots_follow (model, G_LIST_MODEL (store));
  notes_clear (&notes);
}

/* Narrowing (a search): slots are dropped at the end, announced as one removal there, and
 * every remaining slot shows the shifted items. */
static void
test_slot_model_shrink (void)
{
  g_autoptr(GListStore) store = store_of (6);
  g_autoptr(InitAdminSlotModel) model = init_admin_slot_model_new (G_LIST_MODEL (store));
  Changes changes;

  watch_changes (model, &changes);
  g_list_store_splice (store, 1, 3, NULL, 0);

  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 3);
  g_assert_cmpuint (changes.removed, ==, 3);
  g_assert_cmpuint (changes.added, ==, 0);
  assert_slots_follow (model, G_LIST_MODEL (store));
}

/* Widening: new slots at the end, announced as one addition there. */
static void
test_slot_model_grow (void)
{
  g_autoptr(GListStore) store = store_of (2);
  g_autoptr(InitAdminSlotModel) model = init_admin_slot_model_new (G_LIST_MODEL (store));
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  gpointer items[] = { a, b };
  Changes changes;

  watch_changes (model, &changes);
  g_list_store_splice (store, 0, 0, items, 2);

  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 2);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 2);
  g_assert_cmpuint (changes.contents, ==, 1);
  assert_slots_follow (model, G_LIST_MODEL (store));
}

/* Emptying the source empties the model; refilling brings slots back. */
static void
test_slot_model_empty_and_refill (void)
{
  g_autoptr(GListStore) store = store_of (3);
  g_autoptr(InitAdminSlotModel) model = init_admin_slot_model_new (G_LIST_MODEL (store));
  g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);

  g_list_store_remove_all (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpuint (init_admin_slot_model_find (model, item), ==, G_MAXUINT);
  g_list_store_append (store, item);
  assert_slots_follow (model, G_LIST_MODEL (store));
  g_assert_cmpuint (init_admin_slot_model_find (model, item), ==, 0);
}

/* find() maps an item to the slot showing it now, after moves too; NULL and unknown items
 * are not found. */
static void
test_slot_model_find (void)
{
  g_autoptr(GListStore) store = store_of (5);
  g_autoptr(InitAdminSlotModel) model = init_admin_slot_model_new (G_LIST_MODEL (store));
  g_autoptr(GObject) last = g_list_model_get_item (G_LIST_MODEL (store), 4);
  g_autoptr(GObject) stranger = g_object_new (G_TYPE_OBJECT, NULL);

  g_assert_cmpuint (init_admin_slot_model_find (model, last), ==, 4);
  g_list_store_remove (store, 0);
  g_assert_cmpuint (init_admin_slot_model_find (model, last), ==, 3);
  g_list_store_insert (store, 0, stranger);
  g_assert_cmpuint (init_admin_slot_model_find (model, last), ==, 4);
  g_assert_cmpuint (init_admin_slot_model_find (model, stranger), ==, 0);
  g_list_store_remove (store, 0);
  g_assert_cmpuint (init_admin_slot_model_find (model, stranger), ==, G_MAXUINT);
  g_assert_cmpuint (init_admin_slot_model_find (model, NULL), ==, G_MAXUINT);
}

/* The model holds the source, stops following it when finalised, and a slot keeps its item
 * alive while it shows it. */
static void
test_slot_model_lifetime (void)
{
  g_autoptr(GListStore) store = store_of (1);
  InitAdminSlotModel *model = init_admin_slot_model_new (G_LIST_MODEL (store));
  g_autoptr(InitAdminSlot) slot = g_list_model_get_item (G_LIST_MODEL (model), 0);
  GObject *item = init_admin_slot_get_item (slot);

  g_object_add_weak_pointer (item, (gpointer *) &item);
  g_list_store_remove_all (store);
  /* The slot was dropped by the model but our reference still shows the old item. */
  g_assert_nonnull (item);
  g_clear_object (&slot);
  g_assert_null (item);

  g_object_unref (model);
  /* Changes after the model is gone reach nobody (no crash, no warning). */
  {
    g_autoptr(GObject) late = g_object_new (G_TYPE_OBJECT, NULL);

    g_list_store_append (store, late);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/rows/history/new", test_history_row_new);
  g_test_add_func ("/gui/rows/history/notify-on-change", test_history_row_notify_on_change);
  g_test_add_func ("/gui/rows/history/result", test_history_row_result);
  g_test_add_func ("/gui/rows/history/effect-order", test_history_row_effect_order);
  g_test_add_func ("/gui/rows/history/effect-instances", test_history_row_effect_instances);
  g_test_add_func ("/gui/rows/history/effect-notify", test_history_row_effect_notify);
  g_test_add_func ("/gui/rows/history/affects", test_history_row_affects);
  g_test_add_func ("/gui/rows/history/matches", test_history_row_matches);
  g_test_add_func ("/gui/rows/job/without-instance", test_job_row_without_instance);
  g_test_add_func ("/gui/rows/job/with-instance", test_job_row_with_instance);
  g_test_add_func ("/gui/rows/job/refresh-reports-keys", test_job_row_refresh_reports_keys);
  g_test_add_func ("/gui/rows/job/failed", test_job_row_failed);
  g_test_add_func ("/gui/rows/job/single-instance-name", test_job_row_single_instance_name);
  g_test_add_func ("/gui/rows/slots/initial", test_slot_model_initial);
  g_test_add_func ("/gui/rows/slots/replace-keeps-slots", test_slot_model_replace_keeps_slots);
  g_test_add_func ("/gui/rows/slots/shrink", test_slot_model_shrink);
  g_test_add_func ("/gui/rows/slots/grow", test_slot_model_grow);
  g_test_add_func ("/gui/rows/slots/empty-and-refill", test_slot_model_empty_and_refill);
  g_test_add_func ("/gui/rows/slots/find", test_slot_model_find);
  g_test_add_func ("/gui/rows/slots/lifetime", test_slot_model_lifetime);
  return g_test_run ();
}
