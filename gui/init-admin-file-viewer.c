/* init-admin-file-viewer.c — a job's file, read-only */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>

#include "init-admin-file-viewer.h"

/* Job files are small; a larger one is shown up to here. */
#define SHOW_MAX (1024 * 1024)

struct _InitAdminFileViewer
{
  AdwWindow parent_instance;

  GtkTextView   *view;
  AdwStatusPage *status;
  GtkStack      *stack;
  GCancellable  *cancellable;
  gboolean       loaded;
};

G_DEFINE_FINAL_TYPE (InitAdminFileViewer, init_admin_file_viewer, ADW_TYPE_WINDOW)

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(InitAdminFileViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_title (self->status, _("The File Cannot Be Read"));
      adw_status_page_set_description (self->status, error->message);
      gtk_stack_set_visible_child_name (self->stack, "status");
      return;
    }
  if (length > SHOW_MAX)
    length = SHOW_MAX;
  if (!g_utf8_validate (contents, (gssize) length, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (contents, (gssize) length);

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->view), valid, -1);
    }
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->view), contents, (int) length);
  self->loaded = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "text");
}

InitAdminFileViewer *
init_admin_file_viewer_new (GtkWindow  *parent,
                            const char *title,
                            const char *path)
{
  InitAdminFileViewer *self = g_object_new (INIT_ADMIN_TYPE_FILE_VIEWER,
                                            "transient-for", parent,
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *window_title = adw_window_title_new (title, path);

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), window_title);
  gtk_box_prepend (GTK_BOX (adw_window_get_content (ADW_WINDOW (self))), header);
  /* Translators: the title of the window showing a job's file, e.g. heartbeat (read-only) */
  {
    g_autofree char *text = g_strdup_printf (_("%s (read-only)"), title);

    gtk_window_set_title (GTK_WINDOW (self), text);
    adw_window_title_set_title (ADW_WINDOW_TITLE (window_title), text);
  }
  g_file_load_contents_async (file, self->cancellable, loaded_cb, g_object_ref (self));
  return self;
}

char *
init_admin_file_viewer_get_text (InitAdminFileViewer *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (INIT_ADMIN_IS_FILE_VIEWER (self), NULL);

  buffer = gtk_text_view_get_buffer (self->view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

gboolean
init_admin_file_viewer_get_loaded (InitAdminFileViewer *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_FILE_VIEWER (self), FALSE);
  return self->loaded;
}

GtkTextView *
init_admin_file_viewer_get_view (InitAdminFileViewer *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_FILE_VIEWER (self), NULL);
  return self->view;
}

static void
init_admin_file_viewer_dispose (GObject *object)
{
  InitAdminFileViewer *self = INIT_ADMIN_FILE_VIEWER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (init_admin_file_viewer_parent_class)->dispose (object);
}

static void
init_admin_file_viewer_class_init (InitAdminFileViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_file_viewer_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
init_admin_file_viewer_init (InitAdminFileViewer *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 480);
  gtk_window_set_modal (GTK_WINDOW (self), FALSE);
  self->view = GTK_TEXT_VIEW (gtk_text_view_new ());
  /* Read-only: looking cannot change the file. */
  gtk_text_view_set_editable (self->view, FALSE);
  gtk_text_view_set_cursor_visible (self->view, FALSE);
  gtk_text_view_set_monospace (self->view, TRUE);
  gtk_text_view_set_left_margin (self->view, 12);
  gtk_text_view_set_top_margin (self->view, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The job’s file (read-only)"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->view));
  self->status = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->status, "dialog-error-symbolic");
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, scrolled, "text");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->status), "status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), box);
}
