/* init-admin-log-view.c — the output of a `console log` job, followed live */
#define G_LOG_DOMAIN "init-admin"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "init-admin-client.h"
#include "init-admin-error.h"
#include "init-admin-log-view.h"
#include "init-admin-resources.h"

#define READ_MAX      (256 * 1024)
#define TAIL          G_MAXUINT64
#define KEEP_CHARS    (1024 * 1024)   /* trim the oldest output beyond this */

struct _InitAdminLogView
{
  GtkWidget parent_instance;

  GtkLabel          *path_label;
  GtkToggleButton   *follow_button;
  GtkToggleButton   *wrap_button;
  GtkStack          *stack;
  GtkScrolledWindow *scrolled;
  GtkTextView       *text_view;
  AdwStatusPage     *message_page;

  InitDBusJob  *job;
  char         *instance;
  char         *log_dir;
  gboolean      active;
  gboolean      loaded;          /* the tail was read for this target */
  guint64       offset;          /* file offset just past what is shown */
  gboolean      reading;
  gboolean      again;           /* a change came while reading */
  GCancellable *cancellable;
  guint         follow_tick;      /* keeping the view at the bottom */
  guint         follow_frames;    /* frames the bottom has stayed put */
  double        follow_bottom;
};

G_DEFINE_FINAL_TYPE (InitAdminLogView, init_admin_log_view, GTK_TYPE_WIDGET)

static void read_from (InitAdminLogView *self, guint64 offset);

static void
show_message (InitAdminLogView *self,
              const char       *title,
              const char       *description)
{
  adw_status_page_set_title (self->message_page, title);
  adw_status_page_set_description (self->message_page, description);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

/* Following means the view's bottom is the text's end.  Scrolling to a mark right after an
* insert worked with the text view's old, not yet validated line heights (and, on the first
* log shown, with a view not yet allocated): the view ended up in the middle of the text or
* past its end, blank.  The text view validates its lines over several frames and keeps its
* own anchor meanwhile, so the bottom is set on each frame until the height has settled. */
#define SETTLED_FRAMES 3

static gboolean
follow_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  InitAdminLogView *self = user_data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scrolled);
  double bottom = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);

  if (!gtk_toggle_button_get_active (self->follow_button))
    {
      self->follow_tick = 0;
      return G_SOURCE_REMOVE;
    }
  if (bottom != self->follow_bottom || gtk_adjustment_get_value (adj) != bottom)
    self->follow_frames = 0;
  self->follow_bottom = bottom;
  gtk_adjustment_set_value (adj, bottom);
  if (++self->follow_frames < SETTLED_FRAMES)
    return G_SOURCE_CONTINUE;
  self->follow_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
scroll_to_end (InitAdminLogView *self)
{
  self->follow_frames = 0;
  if (self->follow_tick == 0)
    self->follow_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->text_view), follow_tick,
                                                      self, NULL);
}

static void
on_text_view_map (InitAdminLogView *self)
{
  /* A callback left from before the view was hidden starts over. */
  if (self->follow_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->text_view), self->follow_tick);
  self->follow_tick = 0;
  if (gtk_toggle_button_get_active (self->follow_button))
    scroll_to_end (self);
}

static void
append_text (InitAdminLogView *self,
             const char       *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autoptr(GString) clean = g_string_new (text);
  GtkTextIter end;

  /* Jobs write through a terminal, which ends lines with "\r\n". */
  g_string_replace (clean, "\r\n", "\n", 0);
  g_string_replace (clean, "\r", "\n", 0);
  if (clean->len == 0)
    return;
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, clean->str, (int) clean->len);

  if (gtk_text_buffer_get_char_count (buffer) > KEEP_CHARS)
    {
      GtkTextIter start, cut;

      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_get_iter_at_offset (buffer, &cut,
                                          gtk_text_buffer_get_char_count (buffer) - KEEP_CHARS);
      gtk_text_iter_forward_line (&cut);
      gtk_text_buffer_delete (buffer, &start, &cut);
    }
  gtk_stack_set_visible_child_name (self->stack, "text");
  if (gtk_toggle_button_get_active (self->follow_button))
    scroll_to_end (self);
}

static void
get_log_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  InitAdminLogView *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  const char *text;
  guint64 start, end, size;

  if (reply == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  self->reading = FALSE;
  if (reply == NULL)
    {
      g_autofree char *why = init_admin_error_describe (error);

      self->loaded = FALSE;
      show_message (self, _("The Log Cannot Be Shown"), why);
      g_object_unref (self);
      return;
    }

  g_variant_get (reply, "(&sttt)", &text, &start, &end, &size);
  if (start < self->offset || !self->loaded)
    {
      /* The first read, or the file was truncated or replaced: start over. */
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
    }
  self->loaded = TRUE;
  self->offset = end;
  append_text (self, text);
  if (gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->text_view)) == 0)
    show_message (self, _("Nothing Logged Yet"),
                  _("Output appears here as soon as the job writes some."));

  if (end < size || self->again)
    {
      self->again = FALSE;
      read_from (self, self->offset);
    }
  g_object_unref (self);
}

static void
read_from (InitAdminLogView *self,
           guint64           offset)
{
  if (self->job == NULL || !self->active)
    return;
  if (self->reading)
    {
      self->again = TRUE;
      return;
    }
  self->reading = TRUE;
  /* Reading a log may need authorization on the system bus: let the agent ask. */
  g_dbus_proxy_call (G_DBUS_PROXY (self->job), "GetLog",
                     g_variant_new ("(stu)", self->instance, offset, READ_MAX),
                     INIT_ADMIN_CALL_FLAGS, INIT_ADMIN_CALL_TIMEOUT, self->cancellable,
                     get_log_cb, g_object_ref (self));
}

static void
on_log_changed (InitDBusJob *job,
                const char  *instance,
                guint64      size,
                gpointer     user_data)
{
  InitAdminLogView *self = user_data;

  if (!self->active || !self->loaded || g_strcmp0 (instance, self->instance) != 0)
    return;
  if (size == self->offset && !self->reading)
    return;
  read_from (self, size < self->offset ? TAIL : self->offset);
}

/* One name as the daemon puts it in a log file's name (the XML, GetLog): [A-Za-z0-9] kept,
 * any other byte as "_xx". */
static void
append_file_name_part (GString    *out,
                       const char *name)
{
  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, (char) *p);
    else
      g_string_append_printf (out, "_%02x", *p);
}

static char *
log_path (const char *dir,
          const char *job,
          const char *instance)
{
  g_autoptr(GString) name = g_string_new (NULL);

  append_file_name_part (name, job);
  if (instance != NULL && instance[0] != '\0')
    {
      g_string_append_c (name, '-');
      append_file_name_part (name, instance);
    }
  g_string_append (name, ".log");
  return g_build_filename (dir, name->str, NULL);
}

/* Path, Follow and Wrap only for a log there is: a job that does not log has no log file. */
static void
show_log_controls (InitAdminLogView *self,
                   const char       *path)
{
  gtk_label_set_text (self->path_label, path != NULL ? path : "");
  gtk_widget_set_visible (GTK_WIDGET (self->path_label), path != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->follow_button), path != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->wrap_button), path != NULL);
}

static void
start (InitAdminLogView *self)
{
  const char *console;

  if (self->job == NULL)
    {
      show_log_controls (self, NULL);
      show_message (self, _("No Job Selected"), NULL);
      return;
    }
  console = init_dbus_job_get_console (self->job);
  if (self->log_dir == NULL || self->log_dir[0] == '\0')
    {
      show_log_controls (self, NULL);
      show_message (self, _("Output Is Not Logged"),
                    _("The daemon runs without a log directory."));
      return;
    }
  if (g_strcmp0 (console, "log") != 0)
    {
      g_autofree char *why =
        g_strdup_printf (_("Its console is “%s”: only jobs with “console log” (the default) write a log."),
                         console != NULL ? console : "");

      show_log_controls (self, NULL);
      show_message (self, _("This Job Does Not Log Its Output"), why);
      return;
    }
  {
    g_autofree char *path = log_path (self->log_dir, init_dbus_job_get_name (self->job),
                                      self->instance);

    show_log_controls (self, path);
  }
  if (!self->loaded && self->active)
    read_from (self, TAIL);
}

void
init_admin_log_view_set_target (InitAdminLogView *self,
                                InitDBusJob      *job,
                                const char       *instance,
                                const char       *log_dir)
{
  g_return_if_fail (INIT_ADMIN_IS_LOG_VIEW (self));

  if (self->job == job && g_strcmp0 (self->instance, instance) == 0
      && g_strcmp0 (self->log_dir, log_dir) == 0)
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_set_object (&self->job, job);
  g_free (self->instance);
  self->instance = g_strdup (instance != NULL ? instance : "");
  g_free (self->log_dir);
  self->log_dir = g_strdup (log_dir);
  self->loaded = FALSE;
  self->reading = FALSE;
  self->again = FALSE;
  self->offset = 0;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
  self->cancellable = g_cancellable_new ();
  if (job != NULL)
    g_signal_connect (job, "log-changed", G_CALLBACK (on_log_changed), self);
  start (self);
}

void
init_admin_log_view_set_active (InitAdminLogView *self,
                                gboolean          active)
{
  g_return_if_fail (INIT_ADMIN_IS_LOG_VIEW (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  if (active)
    {
      /* Whatever happened while hidden: read the tail afresh. */
      self->loaded = FALSE;
      self->offset = 0;
      start (self);
    }
}

char *
init_admin_log_view_get_text (InitAdminLogView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start_iter, end_iter;

  g_return_val_if_fail (INIT_ADMIN_IS_LOG_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start_iter, &end_iter);
  return gtk_text_buffer_get_text (buffer, &start_iter, &end_iter, FALSE);
}

const char *
init_admin_log_view_get_message (InitAdminLogView *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_LOG_VIEW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "message") != 0)
    return NULL;
  return adw_status_page_get_title (self->message_page);
}

static void
on_follow_toggled (InitAdminLogView *self)
{
  if (gtk_toggle_button_get_active (self->follow_button))
    scroll_to_end (self);
}

static void
on_wrap_toggled (InitAdminLogView *self)
{
  gtk_text_view_set_wrap_mode (self->text_view,
                               gtk_toggle_button_get_active (self->wrap_button)
                               ? GTK_WRAP_WORD_CHAR : GTK_WRAP_NONE);
}

static void
init_admin_log_view_dispose (GObject *object)
{
  InitAdminLogView *self = INIT_ADMIN_LOG_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  if (self->follow_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->text_view), self->follow_tick);
  self->follow_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), INIT_ADMIN_TYPE_LOG_VIEW);
  /* Children the template does not bind are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (init_admin_log_view_parent_class)->dispose (object);
}

static void
init_admin_log_view_finalize (GObject *object)
{
  InitAdminLogView *self = INIT_ADMIN_LOG_VIEW (object);

  g_free (self->instance);
  g_free (self->log_dir);

  G_OBJECT_CLASS (init_admin_log_view_parent_class)->finalize (object);
}

static void
init_admin_log_view_class_init (InitAdminLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_log_view_dispose;
  object_class->finalize = init_admin_log_view_finalize;

  init_admin_ensure_resources ();
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, INIT_ADMIN_RESOURCE "/init-admin-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, InitAdminLogView, path_label);
  gtk_widget_class_bind_template_child (widget_class, InitAdminLogView, follow_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminLogView, wrap_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminLogView, stack);
  gtk_widget_class_bind_template_child (widget_class, InitAdminLogView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, InitAdminLogView, text_view);
  gtk_widget_class_bind_template_child (widget_class, InitAdminLogView, message_page);
  gtk_widget_class_bind_template_callback (widget_class, on_follow_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_wrap_toggled);
}

static void
init_admin_log_view_init (InitAdminLogView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->text_view, "map", G_CALLBACK (on_text_view_map), self,
                           G_CONNECT_SWAPPED);
  self->instance = g_strdup ("");
  show_message (self, _("No Job Selected"), NULL);
}
