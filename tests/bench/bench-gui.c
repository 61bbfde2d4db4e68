/* bench-gui.c — init-admin with 5,000 jobs: time to a populated window, search per
 * keystroke, memory.  Prints figures; never fails on timing. */
#define G_LOG_DOMAIN "init-bench"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "gui-test-util.h"

#define N_JOBS    5000
#define N_RUNNING (N_JOBS / 25)

/* The daemon has started the last service: a cheap check (a GetManagedObjects would cost
 * this process the memory we want to measure). */
static gboolean
services_running (gpointer user_data)
{
  DBusFixture *fx = user_data;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (fx->connection, "org.example.Init",
                                       "/org/example/Init/jobs/job_2d4975/_",
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.example.Init.Instance", "State"),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply == NULL)
    g_usleep (100000);
  return reply != NULL;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/* Wait for the next frame to be painted (a redraw is asked for, so one always comes). */
static void
wait_painted (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);

  gtk_widget_queue_draw (widget);
  gui_test_wait (flag_set, &painted, 10000);
  g_signal_handler_disconnect (clock, id);
}

typedef struct
{
  InitAdminJobList *list;
  const char       *text;
  gboolean          searched;
  gboolean          painted;
} KeyWait;

static void
on_after_paint_key (GdkFrameClock *clock,
                    KeyWait       *wait)
{
  /* Only a frame painted once the search ran counts. */
  if (wait->searched)
    wait->painted = TRUE;
}

static void
on_shown_changed (KeyWait *wait)
{
  wait->searched = TRUE;
}

static gboolean
key_painted (gpointer user_data)
{
  return ((KeyWait *) user_data)->painted;
}

/* Type one key (insert @key, or delete the last character when it is NULL) and wait for the
 * first frame painted after the search ran. */
static void
type_key (GtkWidget        *widget,
          InitAdminJobList *list,
          const char       *key)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  GListModel *shown = init_admin_job_list_get_shown (list);
  GtkEditable *entry = GTK_EDITABLE (gui_test_child (list, INIT_ADMIN_TYPE_JOB_LIST, "search_entry"));
  KeyWait wait = { list, NULL, FALSE, FALSE };
  gulong paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_key), &wait);
  gulong shown_id = g_signal_connect_swapped (shown, "items-changed", G_CALLBACK (on_shown_changed), &wait);
  gulong entry_id = g_signal_connect_swapped (entry, "search-changed", G_CALLBACK (on_shown_changed), &wait);
  int length = (int) strlen (gtk_editable_get_text (entry));

  if (key != NULL)
    gtk_editable_insert_text (entry, key, 1, &length);
  else
    gtk_editable_delete_text (entry, length - 1, -1);
  gui_test_wait (key_painted, &wait, 10000);
  g_signal_handler_disconnect (clock, paint_id);
  g_signal_handler_disconnect (shown, shown_id);
  g_signal_handler_disconnect (entry, entry_id);
}

static gboolean
populated (gpointer user_data)
{
  InitAdminWindow *window = user_data;

  return g_strcmp0 (init_admin_window_get_page (window), "content") == 0
         && g_list_model_get_n_items (init_admin_job_list_get_shown (init_admin_window_get_job_list (window))) == N_JOBS;
}

static void
write_jobs (DBusFixture *fx)
{
  for (guint i = 0; i < N_JOBS; i++)
    {
      g_autofree char *name = g_strdup_printf ("job-%04u", i);
      g_autofree char *text = NULL;

      if (i % 25 == 0)
        text = g_strdup_printf ("description \"Benchmark service %u\"\nstart on go\nconsole none\n"
                                "exec sleep 100000\n", i);
      else if (i % 500 == 1)
        text = g_strdup_printf ("description \"Benchmark task %u that fails\"\nstart on go\ntask\n"
                                "console none\nexec false\n", i);
      else
        text = g_strdup_printf ("description \"Benchmark job %u\"\nstart on ev-%u\n"
                                "console none\nexec true\n", i, i);
      dbus_fixture_write_job (fx, name, text);
    }
}

int
main (int   argc,
      char *argv[])
{
  const char *const args[] = { "--startup-event", "go", NULL };
  const char *keys = "job-123";
  DBusFixture *fx;
  InitAdminWindow *window;
  InitAdminJobList *list;
  gint64 t0, t_populated, t_painted;
  double worst = 0, total = 0;
  guint strokes = 0;
  long rss_before, rss_after;
  /* BENCH_GUI_REPEAT=N types the word N times (for profiling). */
  int repeat = MAX (1, atoi (g_getenv ("BENCH_GUI_REPEAT") != NULL ? g_getenv ("BENCH_GUI_REPEAT") : "1"));

  gui_test_init (&argc, &argv);
  fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, argc > 1 ? argv[1] : NULL);
  write_jobs (fx);
  dbus_fixture_start_initd (fx, args, NULL);
  g_assert_true (gui_test_wait (services_running, fx, 120000));
  rss_before = bench_rss_kib ();

  /* Window shown and populated: from creating it to the first frame with all rows. */
  t0 = g_get_monotonic_time ();
  window = init_admin_window_new (gui_test_get_app (), INIT_ADMIN_BUS_SESSION, fx->address);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gui_test_wait (populated, window, 60000));
  t_populated = g_get_monotonic_time ();
  wait_painted (GTK_WIDGET (window));
  t_painted = g_get_monotonic_time ();
  printf ("bench-gui: %u jobs (%u running): window shown and populated in %.0f ms "
          "(model filled after %.0f ms)\n", N_JOBS, N_RUNNING,
          (t_painted - t0) / 1000.0, (t_populated - t0) / 1000.0);

  /* Typing in the search field, one key at a time, then deleting them: each keystroke
   * measured from the key's edit of the entry to the next painted frame with the list
   * filtered (the entry's search-changed has no delay). */
  list = init_admin_window_get_job_list (window);
  init_admin_job_list_start_search (list);
  gui_test_settle (GTK_WIDGET (window));
  {
    GtkEditable *entry = GTK_EDITABLE (gui_test_child (list, INIT_ADMIN_TYPE_JOB_LIST, "search_entry"));
    GListModel *shown = init_admin_job_list_get_shown (list);
    int len = (int) strlen (keys);

    for (int step = 0; step < 2 * len * repeat; step++)
      {
        int k = step % (2 * len);
        gint64 start = g_get_monotonic_time ();
        guint before = g_list_model_get_n_items (shown);
        g_autofree char *expected = NULL;
        double ms;

        type_key (GTK_WIDGET (window), list, k < len ? keys + k : NULL);
        expected = g_strdup (gtk_editable_get_text (entry));
        ms = (g_get_monotonic_time () - start) / 1000.0;
        worst = MAX (worst, ms);
        total += ms;
        strokes++;
        if (step < 2 * len)
          printf ("bench-gui: typed \"%s\": %u -> %u rows shown, %.1f ms to a painted frame\n",
                  expected, before, g_list_model_get_n_items (shown), ms);
      }
  }
  printf ("bench-gui: search keystroke over %u jobs: mean %.1f ms, worst %.1f ms from the key "
          "to a painted frame (%u keystrokes)\n", N_JOBS, total / strokes, worst, strokes);

  /* Sorting by state (the column header). */
  {
    gint64 start = g_get_monotonic_time ();
    GtkColumnView *view = GTK_COLUMN_VIEW (gui_test_child (list, INIT_ADMIN_TYPE_JOB_LIST, "column_view"));
    GListModel *columns = gtk_column_view_get_columns (view);
    g_autoptr(GtkColumnViewColumn) state = g_list_model_get_item (columns, 1);

    gtk_column_view_sort_by_column (view, state, GTK_SORT_ASCENDING);
    wait_painted (GTK_WIDGET (window));
    printf ("bench-gui: sort %u jobs by state: %.1f ms to a painted frame\n", N_JOBS,
            (g_get_monotonic_time () - start) / 1000.0);
  }

  rss_after = bench_rss_kib ();
  printf ("bench-gui: RSS of this process with %u jobs: %.1f MB (%.1f MB before the window; "
          "renderer %s)\n", N_JOBS, rss_after / 1024.0, rss_before / 1024.0,
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));

  gui_test_window_free (window);

  /* The real app as users run it, in its own process: its RSS once it has settled. */
  if (g_getenv ("INIT_ADMIN") != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) app = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                                     g_getenv ("INIT_ADMIN"), "--address",
                                                     fx->address, NULL);
      g_autofree char *status_path = NULL;
      long peak = 0, last = 0;
      guint stable = 0;

      g_assert_no_error (error);
      status_path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (app));
      for (guint tick = 0; tick < 120 && stable < 8; tick++)
        {
          g_autofree char *status = NULL;
          const char *line;
          long now;

          gui_test_spin (250);
          if (!g_file_get_contents (status_path, &status, NULL, NULL)
              || (line = strstr (status, "VmRSS:")) == NULL)
            break;
          now = atol (line + 6);
          peak = MAX (peak, now);
          /* Settled: two seconds without growing by more than 1 %, after the first three. */
          stable = tick >= 12 && now <= last + last / 100 ? stable + 1 : 0;
          last = now;
        }
      printf ("bench-gui: init-admin process RSS with %u jobs: %.1f MB settled (%.1f MB peak; "
              "GSK_RENDERER=%s, GDK_DEBUG=%s)\n", N_JOBS, last / 1024.0, peak / 1024.0,
              g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "",
              g_getenv ("GDK_DEBUG") != NULL ? g_getenv ("GDK_DEBUG") : "");
      g_subprocess_send_signal (app, SIGTERM);
      g_subprocess_wait (app, NULL, NULL);
    }

  dbus_fixture_free (fx);
  return 0;
}
