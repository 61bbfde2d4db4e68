/* test-gui-views.c — what the job list and the timeline show: search, state filter, pause,
 * clear, highlight
 *
 * The real widgets on the private display (run-with-display.sh) over the real models, which
 * follow the stand-in daemon of gui-fake-daemon.c (no initd): each case sets the daemon's
 * jobs or records and checks the rows the widget lets through.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include "gui-fake-daemon.h"
#include "gui-test-util.h"
#include "init-admin-history-view.h"
#include "init-admin-job-list.h"
#include "test-util.h"

typedef struct
{
  FakeDaemon           *fd;
  GDBusObjectManager   *om;
  InitDBusManager      *manager;
  InitAdminJobModel    *model;
  InitAdminHistory     *history;
  InitAdminJobList     *list;
  InitAdminHistoryView *view;
} Fixture;

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  fx->fd = fake_daemon_new ();
  fx->model = init_admin_job_model_new ();
  fx->history = init_admin_history_new ();
  fx->list = g_object_ref_sink (g_object_new (INIT_ADMIN_TYPE_JOB_LIST, NULL));
  fx->view = g_object_ref_sink (g_object_new (INIT_ADMIN_TYPE_HISTORY_VIEW, NULL));
  init_admin_job_list_set_model (fx->list, fx->model);
  init_admin_history_view_set_history (fx->view, fx->history);
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  g_clear_object (&fx->list);
  g_clear_object (&fx->view);
  g_clear_object (&fx->model);
  g_clear_object (&fx->history);
  g_clear_object (&fx->om);
  g_clear_object (&fx->manager);
  fake_daemon_free (fx->fd);
}

/* ---- the job list ---- */

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Jobs a (running), b (stopped), c (failed), "web" (described as "The HTTP server"). */
static void
follow_jobs (Fixture *fx)
{
  InitDBusInstance *failed;

  fake_daemon_add_job (fx->fd, "a");
  fake_daemon_add_instance (fx->fd, "a", "", "start", "running");
  fake_daemon_add_job (fx->fd, "b");
  fake_daemon_add_job (fx->fd, "c");
  failed = fake_daemon_add_instance (fx->fd, "c", "", "stop", "stopping");
  init_dbus_instance_set_failed (failed, TRUE);
  init_dbus_job_set_description (fake_daemon_add_job (fx->fd, "web"), "The HTTP server");
  fx->om = fake_daemon_object_manager (fx->fd);
  init_admin_job_model_set_object_manager (fx->model, fx->om);
}

/* The names of the rows shown, sorted (the list's own order is the columns' business),
 * joined by ",". */
static char *
shown_jobs (Fixture *fx)
{
  GListModel *shown = init_admin_job_list_get_shown (fx->list);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(InitAdminJobRow) row = g_list_model_get_item (shown, i);

      g_ptr_array_add (names, g_strdup (init_admin_job_row_get_name (row)));
    }
  g_ptr_array_sort_with_data (names, (GCompareDataFunc) compare_names, NULL);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

/* Search matches the name or the description, whatever the case, ignoring spaces around;
 * an empty search shows everything again. */
static void
test_list_search (Fixture      *fx,
                  gconstpointer data)
{
  follow_jobs (fx);
  gui_assert_text (shown_jobs (fx), "a,b,c,web");
  init_admin_job_list_set_search_text (fx->list, "  WE ");
  gui_assert_text (shown_jobs (fx), "web");
  init_admin_job_list_set_search_text (fx->list, "http");
  gui_assert_text (shown_jobs (fx), "web");
  init_admin_job_list_set_search_text (fx->list, "nothing");
  gui_assert_text (shown_jobs (fx), "");
  init_admin_job_list_set_search_text (fx->list, NULL);
  gui_assert_text (shown_jobs (fx), "a,b,c,web");
}

/* The state filter: running (with starting and stopping), stopped, failed. */
static void
test_list_state_filter (Fixture      *fx,
                        gconstpointer data)
{
  follow_jobs (fx);
  init_admin_job_list_set_state_filter (fx->list, INIT_ADMIN_STATE_FILTER_RUNNING);
  gui_assert_text (shown_jobs (fx), "a");
  init_admin_job_list_set_state_filter (fx->list, INIT_ADMIN_STATE_FILTER_STOPPED);
  gui_assert_text (shown_jobs (fx), "b,web");
  init_admin_job_list_set_state_filter (fx->list, INIT_ADMIN_STATE_FILTER_FAILED);
  gui_assert_text (shown_jobs (fx), "c");
  /* Search and state filter together. */
  init_admin_job_list_set_state_filter (fx->list, INIT_ADMIN_STATE_FILTER_STOPPED);
  init_admin_job_list_set_search_text (fx->list, "serv");
  gui_assert_text (shown_jobs (fx), "web");
  init_admin_job_list_set_state_filter (fx->list, INIT_ADMIN_STATE_FILTER_ALL);
  init_admin_job_list_set_search_text (fx->list, "");
  gui_assert_text (shown_jobs (fx), "a,b,c,web");
}

/* A job that starts moves into the "running" view by itself; one that stops leaves it. */
static void
test_list_follows_changes (Fixture      *fx,
                           gconstpointer data)
{
  g_autofree char *a_path = fake_daemon_instance_path ("a", "");
  InitDBusInstance *b;

  follow_jobs (fx);
  init_admin_job_list_set_state_filter (fx->list, INIT_ADMIN_STATE_FILTER_RUNNING);
  b = fake_daemon_add_instance (fx->fd, "b", "", "start", "starting");
  fake_daemon_sync (fx->fd);
  gui_assert_text (shown_jobs (fx), "a,b");
  init_dbus_instance_set_state (b, "running");
  fake_daemon_remove (fx->fd, a_path);
  fake_daemon_sync (fx->fd);
  gui_assert_text (shown_jobs (fx), "b");
}

/* Only a row the filters let through can be selected. */
static void
test_list_select_hidden (Fixture      *fx,
                         gconstpointer data)
{
  InitAdminJobRow *b;

  follow_jobs (fx);
  b = init_admin_job_model_find_row (fx->model, "b", NULL);
  init_admin_job_list_set_state_filter (fx->list, INIT_ADMIN_STATE_FILTER_RUNNING);
  g_assert_false (init_admin_job_list_select_row (fx->list, b));
  init_admin_job_list_set_state_filter (fx->list, INIT_ADMIN_STATE_FILTER_ALL);
  g_assert_true (init_admin_job_list_select_row (fx->list, b));
  g_assert_true (init_admin_job_list_get_selected_row (fx->list) == b);
}

/* ---- the timeline ---- */

static gboolean
history_loaded (gpointer user_data)
{
  return init_admin_history_get_loaded (user_data);
}

static void
follow_history (Fixture *fx)
{
  fx->manager = fake_daemon_manager_proxy (fx->fd);
  init_admin_history_set_manager (fx->history, fx->manager, NULL);
  g_assert_true (test_util_wait_until (history_loaded, fx->history, 20000));
}

/* Announce an event named @name that started @job (NULL: none). */
static void
event (Fixture    *fx,
       const char *name,
       const char *job)
{
  static guint64 event_id = 100;
  g_autofree char *queued = g_strdup_printf ("{'event-id': <uint64 %" G_GUINT64_FORMAT ">}", ++event_id);

  fake_daemon_record (fx->fd, TRUE, "event-queued", name, queued);
  if (job != NULL)
    {
      g_autofree char *goal = g_strdup_printf ("{'job': <'%s'>, 'goal': <'start'>, 'cause': <'event'>, "
                                               "'cause-event-id': <uint64 %" G_GUINT64_FORMAT ">}",
                                               job, event_id);

      fake_daemon_record (fx->fd, TRUE, "job-goal", job, goal);
    }
  fake_daemon_sync (fx->fd);
}

/* The titles shown, newest first, joined by ",". */
static char *
shown_titles (Fixture *fx)
{
  GListModel *shown = init_admin_history_view_get_shown (fx->view);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(InitAdminHistoryRow) row = g_list_model_get_item (shown, i);

      g_string_append_printf (out, "%s%s", i > 0 ? "," : "", init_admin_history_row_get_title (row));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The filter matches titles and the jobs rows concern, whatever the case. */
static void
test_view_filter (Fixture      *fx,
                  gconstpointer data)
{
  follow_history (fx);
  event (fx, "rain", "umbrella");
  event (fx, "sun", NULL);
  gui_assert_text (shown_titles (fx), "sun,rain");
  init_admin_history_view_set_filter_text (fx->view, " RAIN ");
  gui_assert_text (shown_titles (fx), "rain");
  init_admin_history_view_set_filter_text (fx->view, "umbr");
  gui_assert_text (shown_titles (fx), "rain");
  init_admin_history_view_set_filter_text (fx->view, "");
  gui_assert_text (shown_titles (fx), "sun,rain");
}

/* Paused, new rows are held back (and counted in the pause label); resumed, they show. */
static void
test_view_pause (Fixture      *fx,
                 gconstpointer data)
{
  GtkWidget *label;

  follow_history (fx);
  event (fx, "one", NULL);
  init_admin_history_view_set_paused (fx->view, TRUE);
  event (fx, "two", NULL);
  event (fx, "three", NULL);
  gui_assert_text (shown_titles (fx), "one");
  label = gui_test_child (fx->view, INIT_ADMIN_TYPE_HISTORY_VIEW, "paused_label");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Paused: 2 new entries");

  init_admin_history_view_set_paused (fx->view, FALSE);
  gui_assert_text (shown_titles (fx), "three,two,one");
  g_assert_false (gtk_widget_get_visible (label));
}

/* Clearing hides what is there now; what comes later shows.  Cleared while paused, what was
 * held back stays to be seen. */
static void
test_view_clear (Fixture      *fx,
                 gconstpointer data)
{
  follow_history (fx);
  event (fx, "old", NULL);
  init_admin_history_view_clear (fx->view);
  gui_assert_text (shown_titles (fx), "");
  event (fx, "new", NULL);
  gui_assert_text (shown_titles (fx), "new");

  init_admin_history_view_set_paused (fx->view, TRUE);
  event (fx, "held", NULL);
  init_admin_history_view_clear (fx->view);
  init_admin_history_view_set_paused (fx->view, FALSE);
  gui_assert_text (shown_titles (fx), "held");
}

/* Highlighting a job marks the rows that concern it; no job clears the marks.  (Rows that
 * arrive while a job is highlighted are not marked: the row is inserted before its jobs are
 * known — reported, not covered here.) */
static void
test_view_highlight (Fixture      *fx,
                     gconstpointer data)
{
  GListModel *rows = init_admin_history_get_rows (fx->history);
  g_autoptr(InitAdminHistoryRow) newest = NULL;
  g_autoptr(InitAdminHistoryRow) other = NULL;
  g_autoptr(InitAdminHistoryRow) oldest = NULL;

  follow_history (fx);
  event (fx, "rain", "umbrella");
  event (fx, "sun", NULL);
  event (fx, "storm", "umbrella");
  init_admin_history_view_set_highlight_job (fx->view, "umbrella");
  newest = g_list_model_get_item (rows, 0);
  other = g_list_model_get_item (rows, 1);
  oldest = g_list_model_get_item (rows, 2);
  g_assert_true (init_admin_history_row_get_highlighted (newest));
  g_assert_false (init_admin_history_row_get_highlighted (other));
  g_assert_true (init_admin_history_row_get_highlighted (oldest));

  init_admin_history_view_set_highlight_job (fx->view, "sun");
  g_assert_false (init_admin_history_row_get_highlighted (newest));
  init_admin_history_view_set_highlight_job (fx->view, NULL);
  g_assert_false (init_admin_history_row_get_highlighted (oldest));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/gui/views/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list-search", test_list_search);
  ADD ("list-state-filter", test_list_state_filter);
  ADD ("list-follows-changes", test_list_follows_changes);
  ADD ("list-select-hidden", test_list_select_hidden);
  ADD ("view-filter", test_view_filter);
  ADD ("view-pause", test_view_pause);
  ADD ("view-clear", test_view_clear);
  ADD ("view-highlight", test_view_highlight);
#undef ADD
  return g_test_run ();
}
