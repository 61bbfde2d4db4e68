/* gui-test-util.c — driving init-admin's real widgets from a test, against a real initd */
#define G_LOG_DOMAIN "init-admin-test"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "gui-test-util.h"
#include "init-admin-application.h"
#include "init-admin-history-view.h"

#define WAIT_MS 20000
#define BUS_NAME "org.example.Init"

static GtkApplication *app;

void
gui_test_init (int    *argc,
               char ***argv)
{
  g_autoptr(GError) error = NULL;
  const char *po = g_getenv ("INIT_PO_BUILDDIR");

  setlocale (LC_ALL, "");
  if (po != NULL)
    bindtextdomain (GETTEXT_PACKAGE, po);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (argc, argv, NULL);

  /* Not unique: no session bus name, so tests run side by side. */
  app = GTK_APPLICATION (init_admin_application_new (G_APPLICATION_NON_UNIQUE));
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("cannot register the application: %s", error->message);
}

GtkApplication *
gui_test_get_app (void)
{
  return app;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
gui_test_wait (GuiTestCondition cond,
               gpointer         user_data,
               guint            timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);
  /* Conditions may look at another process (the daemon): wake up to look again. */
  guint tick = g_timeout_add (50, tick_cb, NULL);
  gboolean ok;

  while (!(ok = cond (user_data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_source_remove (tick);
  return ok;
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

void
gui_test_spin (guint ms)
{
  gui_test_wait (never, NULL, ms);
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
three_frames (gpointer user_data)
{
  return *(guint *) user_data >= 3;
}

void
gui_test_settle (GtkWidget *widget)
{
  guint frames = 0;
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  guint id = gtk_widget_add_tick_callback (root, count_frame, &frames, NULL);

  gtk_widget_queue_draw (root);
  gui_test_wait (three_frames, &frames, 3000);
  gtk_widget_remove_tick_callback (root, id);
  /* Revealers and other animations take 250 ms. */
  gui_test_spin (300);
  /* Idle work (summaries, re-filtering) queued by those frames. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

char *
gui_test_screenshot (GtkWidget  *widget,
                     const char *name,
                     const char *dir)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (root);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *where = NULL;
  char *path;
  int width, height;

  gui_test_settle (root);
  width = gtk_widget_get_width (root);
  height = gtk_widget_get_height (root);
  g_assert_cmpint (width, >, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (root)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  where = dir != NULL ? g_strdup (dir)
                      : g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                          ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                          "screenshots", NULL);
  g_mkdir_with_parents (where, 0755);
  path = g_build_filename (where, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

typedef struct
{
  InitAdminWindow *window;
} WindowWait;

static gboolean
window_ready (gpointer user_data)
{
  InitAdminWindow *window = user_data;

  return init_admin_client_get_state (init_admin_window_get_client (window)) == INIT_ADMIN_CLIENT_CONNECTED
         && init_admin_history_get_loaded (init_admin_window_get_history (window))
         && g_strcmp0 (init_admin_window_get_page (window), "content") == 0;
}

InitAdminWindow *
gui_test_window_new (DBusFixture *fx)
{
  InitAdminWindow *window = init_admin_window_new (app, INIT_ADMIN_BUS_SESSION, fx->address);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gui_test_wait (window_ready, window, WAIT_MS));
  gui_test_settle (GTK_WIDGET (window));
  return window;
}

void
gui_test_window_free (InitAdminWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

InitAdminJobRow *
gui_test_find_row (InitAdminWindow *window,
                   const char      *job,
                   const char      *instance)
{
  return init_admin_job_model_find_row (init_admin_window_get_job_model (window), job, instance);
}

InitAdminJobRow *
gui_test_select_job (InitAdminWindow *window,
                     const char      *job,
                     const char      *instance)
{
  InitAdminJobRow *row = gui_test_find_row (window, job, instance);

  g_assert_nonnull (row);
  g_assert_true (init_admin_job_list_select_row (init_admin_window_get_job_list (window), row));
  g_assert_true (init_admin_details_get_row (init_admin_window_get_details (window)) == row);
  return row;
}

typedef struct
{
  InitAdminWindow *window;
  const char      *job;
  InitAdminStatus  status;
} StatusWait;

static gboolean
has_status (gpointer user_data)
{
  StatusWait *wait = user_data;
  InitAdminJobRow *row = gui_test_find_row (wait->window, wait->job, NULL);

  return row != NULL && init_admin_job_row_get_status (row) == wait->status;
}

gboolean
gui_test_wait_status (InitAdminWindow *window,
                      const char      *job,
                      InitAdminStatus  status)
{
  StatusWait wait = { window, job, status };

  return gui_test_wait (has_status, &wait, WAIT_MS);
}

GtkWidget *
gui_test_child (gpointer    widget,
                GType       type,
                const char *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, id);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

/* ---- the daemon's own view ---- */

static char *
instance_path (DBusFixture *fx,
               const char  *job,
               const char  *instance)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *job_path;

  reply = g_dbus_connection_call_sync (fx->connection, BUS_NAME, "/org/example/Init",
                                       "org.example.Init", "GetJobByName",
                                       g_variant_new ("(s)", job), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&o)", &job_path);
  {
    g_autoptr(GVariant) inst = g_dbus_connection_call_sync (fx->connection, BUS_NAME, job_path,
                                                            "org.example.Init.Job",
                                                            "GetInstanceByName",
                                                            g_variant_new ("(s)", instance != NULL ? instance : ""),
                                                            G_VARIANT_TYPE ("(o)"),
                                                            G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
    char *path = NULL;

    if (inst != NULL)
      g_variant_get (inst, "(o)", &path);
    return path;
  }
}

static GVariant *
instance_property (DBusFixture *fx,
                   const char  *path,
                   const char  *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *value;

  reply = g_dbus_connection_call_sync (fx->connection, BUS_NAME, path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.example.Init.Instance", name),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(v)", &value);
  return value;
}

char *
gui_test_daemon_state (DBusFixture *fx,
                       const char  *job,
                       const char  *instance)
{
  g_autofree char *path = instance_path (fx, job, instance);
  g_autoptr(GVariant) goal = NULL;
  g_autoptr(GVariant) state = NULL;

  if (path == NULL)
    return g_strdup ("none");
  goal = instance_property (fx, path, "Goal");
  state = instance_property (fx, path, "State");
  if (goal == NULL || state == NULL)
    return g_strdup ("none");
  return g_strdup_printf ("%s/%s", g_variant_get_string (goal, NULL),
                          g_variant_get_string (state, NULL));
}

int
gui_test_daemon_pid (DBusFixture *fx,
                     const char  *job,
                     const char  *instance)
{
  g_autofree char *path = instance_path (fx, job, instance);
  g_autoptr(GVariant) processes = NULL;
  GVariantIter iter;
  const char *name;
  gint32 pid;

  if (path == NULL || (processes = instance_property (fx, path, "Processes")) == NULL)
    return 0;
  g_variant_iter_init (&iter, processes);
  while (g_variant_iter_next (&iter, "(&si)", &name, &pid))
    if (g_str_equal (name, "main"))
      return pid;
  return 0;
}

void
gui_test_daemon_emit (DBusFixture       *fx,
                      const char        *event,
                      const char *const *env)
{
  static const char *const none[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (fx->connection, BUS_NAME, "/org/example/Init",
                                       "org.example.Init", "EmitEvent",
                                       g_variant_new ("(s^asb)", event, env != NULL ? env : none, FALSE),
                                       G_VARIANT_TYPE ("(t)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
}

InitAdminHistoryRow *
gui_test_find_history_row (InitAdminWindow *window,
                           const char      *title)
{
  GListModel *shown = init_admin_history_view_get_shown (init_admin_window_get_history_view (window));

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(InitAdminHistoryRow) row = g_list_model_get_item (shown, i);

      if (g_str_equal (init_admin_history_row_get_title (row), title))
        return row;   /* the view's model keeps it */
    }
  return NULL;
}

gboolean
gui_test_lost_shown (gpointer window)
{
  return init_admin_window_get_lost_text (window) != NULL;
}
