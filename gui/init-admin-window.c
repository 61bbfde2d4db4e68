/* init-admin-window.c — the main window: one daemon's jobs, the selected job, the timeline */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "init-admin-error.h"
#include "init-admin-resources.h"
#include "init-admin-window.h"

struct _InitAdminWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *emit_button;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_title;
  GtkLabel             *error_message;
  GtkRevealer          *lost_revealer;
  GtkLabel             *lost_label;
  GtkWidget            *content_paned;
  GtkStack             *main_stack;
  AdwStatusPage        *status_page;
  AdwLeaflet           *jobs_leaflet;
  GtkWidget            *back_button;
  InitAdminJobList     *job_list;
  InitAdminDetails     *details;
  InitAdminHistoryView *history_view;

  InitAdminBus         bus;
  char                *address;       /* for the bus it was given with */
  InitAdminBus         address_bus;
  InitAdminClient     *client;
  InitAdminJobModel   *job_model;
  InitAdminHistory    *history;
  InitAdminEmitDialog *emit_dialog;   /* weak */
  gboolean             lost;          /* showing what a daemon that went away last said */
  GHashTable          *lost_running;  /* job row name -> main pid, running when it went away */
  char                *last_toast;    /* tests */
};

G_DEFINE_FINAL_TYPE (InitAdminWindow, init_admin_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_BUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_toast (InitAdminWindow *self,
                        const char      *message);

/* ---- connection state ---- */

/* Running rows: name -> main pid (as a pointer; NULL: none). */
static GHashTable *
running_pids (InitAdminJobModel *model)
{
  GListModel *rows = init_admin_job_model_get_rows (model);
  GHashTable *pids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(InitAdminJobRow) row = g_list_model_get_item (rows, i);

      if (init_admin_job_row_get_status (row) == INIT_ADMIN_STATUS_RUNNING)
        g_hash_table_insert (pids, g_strdup (init_admin_job_row_get_name (row)),
                             GINT_TO_POINTER (init_admin_job_row_get_pid (row)));
    }
  return pids;
}

/* The daemon went away: its jobs and history stay, dimmed, under a banner saying so. */
static void
show_lost (InitAdminWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *text = NULL;

  init_admin_job_model_keep_last_known (self->job_model);
  init_admin_history_set_manager (self->history, NULL, NULL);
  if (!self->lost)
    {
      g_clear_pointer (&self->lost_running, g_hash_table_unref);
      self->lost_running = running_pids (self->job_model);
      /* Translators: %s is a time, e.g. 14:02:11 */
      text = g_strdup_printf (_("The daemon went away at %s. Its jobs and history as it last reported them are shown until it is back; this window reconnects by itself."),
                              when);
      gtk_label_set_text (self->lost_label, text);
    }
  self->lost = TRUE;
  gtk_widget_add_css_class (self->content_paned, "last-known");
  gtk_revealer_set_reveal_child (self->lost_revealer, TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "content");
}

/* A daemon is there again (after show_lost()): say what it runs, and how many of the jobs
 * that ran before it took over still running (the same main process: adopted after a crash)
 * rather than started anew. */
static void
end_lost (InitAdminWindow *self,
          gboolean         back)
{
  g_autoptr(GHashTable) before = g_steal_pointer (&self->lost_running);
  g_autoptr(GHashTable) now = NULL;
  GHashTableIter iter;
  gpointer name, pid;
  guint adopted = 0;
  g_autofree char *text = NULL;

  if (!self->lost)
    return;
  self->lost = FALSE;
  gtk_widget_remove_css_class (self->content_paned, "last-known");
  gtk_revealer_set_reveal_child (self->lost_revealer, FALSE);
  if (!back)
    return;
  now = running_pids (self->job_model);
  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &name, &pid))
    adopted += pid != NULL && before != NULL && g_hash_table_lookup (before, name) == pid;
  if (adopted > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The daemon is back: %u running job adopted",
                                         "The daemon is back: %u running jobs adopted", adopted),
                            adopted);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The daemon is back: %u job is running",
                                         "The daemon is back: %u jobs are running",
                                         g_hash_table_size (now)),
                            g_hash_table_size (now));
  show_toast (self, text);
}

static void
update_state (InitAdminWindow *self)
{
  InitAdminClientState state = init_admin_client_get_state (self->client);
  const char *daemon = init_admin_client_get_title (self->client);
  const char *what;
  g_autofree char *subtitle = NULL;
  gboolean session = self->bus == INIT_ADMIN_BUS_SESSION;

  switch (state)
    {
    case INIT_ADMIN_CLIENT_CONNECTED:
      what = _("connected");
      init_admin_job_model_set_object_manager (self->job_model,
                                               init_admin_client_get_object_manager (self->client));
      init_admin_history_set_manager (self->history, init_admin_client_get_manager (self->client),
                                      init_admin_client_get_cancellable (self->client));
      gtk_stack_set_visible_child_name (self->main_stack, "content");
      end_lost (self, TRUE);
      break;
    case INIT_ADMIN_CLIENT_LOADING:
    case INIT_ADMIN_CLIENT_CONNECTING:
      what = _("connecting…");
      if (!self->lost)
        gtk_stack_set_visible_child_name (self->main_stack, "loading");
      break;
    case INIT_ADMIN_CLIENT_NO_BUS:
      what = _("no bus");
      end_lost (self, FALSE);
      init_admin_job_model_set_object_manager (self->job_model, NULL);
      init_admin_history_set_manager (self->history, NULL, NULL);
      adw_status_page_set_icon_name (self->status_page, "network-offline-symbolic");
      adw_status_page_set_title (self->status_page,
                                 session ? _("No Session Bus") : _("No System Bus"));
      {
        g_autofree char *text =
          g_strdup_printf (_("The bus the daemon would be on is not available (%s). This window connects as soon as it is."),
                           init_admin_client_get_message (self->client) != NULL
                           ? init_admin_client_get_message (self->client) : "?");

        adw_status_page_set_description (self->status_page, text);
      }
      gtk_stack_set_visible_child_name (self->main_stack, "status");
      break;
    case INIT_ADMIN_CLIENT_NOT_RUNNING:
    default:
      what = _("not running");
      if (self->lost || g_list_model_get_n_items (init_admin_job_model_get_rows (self->job_model)) > 0)
        {
          show_lost (self);
          break;
        }
      init_admin_job_model_set_object_manager (self->job_model, NULL);
      init_admin_history_set_manager (self->history, NULL, NULL);
      adw_status_page_set_icon_name (self->status_page, "system-run-symbolic");
      adw_status_page_set_title (self->status_page,
                                 session ? _("The Session Daemon Is Not Running")
                                         : _("The System Daemon Is Not Running"));
      adw_status_page_set_description (self->status_page,
                                       session ? _("Start it with “initd --session”. This window shows its jobs as soon as it is there.")
                                               : _("Start it with “systemctl start initd” (or “initd --system” as root). This window shows its jobs as soon as it is there."));
      gtk_stack_set_visible_child_name (self->main_stack, "status");
      break;
    }
  /* Translators: the window subtitle, e.g. "Session daemon · connected" */
  subtitle = g_strdup_printf (_("%s · %s"), daemon, what);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.emit", state == INIT_ADMIN_CLIENT_CONNECTED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload-configuration",
                                 state == INIT_ADMIN_CLIENT_CONNECTED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reexec", state == INIT_ADMIN_CLIENT_CONNECTED);
}

void
init_admin_window_set_bus (InitAdminWindow *self,
                           InitAdminBus     bus,
                           const char      *address)
{
  g_return_if_fail (INIT_ADMIN_IS_WINDOW (self));

  if (address != NULL)
    {
      g_free (self->address);
      g_clear_pointer (&self->last_toast, g_free);   /* was freed and left dangling */
      self->address = g_strdup (address);
      self->address_bus = bus;
    }
  if (self->client != NULL && self->bus == bus && address == NULL)
    return;
  self->bus = bus;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  end_lost (self, FALSE);
  init_admin_job_model_set_object_manager (self->job_model, NULL);
  init_admin_history_set_manager (self->history, NULL, NULL);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  if (self->emit_dialog != NULL)
    gtk_window_close (GTK_WINDOW (self->emit_dialog));

  self->client = init_admin_client_new (bus, self->address != NULL && self->address_bus == bus
                                             ? self->address : NULL);
  g_signal_connect_swapped (self->client, "notify::state", G_CALLBACK (update_state), self);
  init_admin_details_set_client (self->details, self->client);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUS]);
}

/* ---- errors and toasts ---- */

void
init_admin_window_show_error (InitAdminWindow *self,
                              const char      *title,
                              const char      *message)
{
  g_return_if_fail (INIT_ADMIN_IS_WINDOW (self));

  gtk_label_set_text (self->error_title, title);
  gtk_label_set_text (self->error_message, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

char *
init_admin_window_get_error (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->error_revealer))
    return NULL;
  return g_strdup_printf ("%s\n%s", gtk_label_get_text (self->error_title),
                          gtk_label_get_text (self->error_message));
}

static void
on_details_error (InitAdminDetails *details,
                  const char       *title,
                  const char       *message,
                  InitAdminWindow  *self)
{
  init_admin_window_show_error (self, title, message);
}

static void
show_toast (InitAdminWindow *self,
            const char      *message)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

const char *
init_admin_window_get_last_toast (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return self->last_toast;
}

static void
on_details_toast (InitAdminDetails *details,
                  const char       *message,
                  InitAdminWindow  *self)
{
  show_toast (self, message);
}

/* ---- the daemon's own actions ---- */

typedef struct
{
  InitAdminWindow *self;
  gboolean         reexec;
} ManagerCall;

static void
manager_call_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ManagerCall *call = user_data;
  g_autoptr(InitAdminWindow) self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  gboolean reexec = call->reexec;

  g_free (call);
  if (reply != NULL)
    show_toast (self, reexec ? _("The daemon re-executed itself; its jobs kept running")
                             : _("Configuration reloaded"));
  else if (init_admin_error_kind (error) != INIT_ADMIN_ERROR_KIND_CANCELLED)
    {
      g_autofree char *message = init_admin_error_describe (error);

      init_admin_window_show_error (self, reexec ? _("Could not re-execute the daemon")
                                                 : _("Could not reload the configuration"),
                                    message);
    }
}

/* Reload Configuration and Re-execute: the polkit agent may ask for a password. */
static void
action_manager (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  InitAdminWindow *self = INIT_ADMIN_WINDOW (widget);
  InitDBusManager *manager = self->client != NULL ? init_admin_client_get_manager (self->client) : NULL;
  ManagerCall *call;

  if (manager == NULL)
    return;
  call = g_new0 (ManagerCall, 1);
  call->self = g_object_ref (self);
  call->reexec = g_str_equal (action_name, "win.reexec");
  g_dbus_proxy_call (G_DBUS_PROXY (manager), call->reexec ? "Reexec" : "ReloadConfiguration", NULL,
                     INIT_ADMIN_CALL_FLAGS, INIT_ADMIN_CALL_TIMEOUT,
                     init_admin_client_get_cancellable (self->client), manager_call_done_cb, call);
}

/* ---- selection links ---- */

static void
on_job_selected (InitAdminWindow *self)
{
  InitAdminJobRow *row = init_admin_job_list_get_selected_row (self->job_list);

  init_admin_details_set_row (self->details, row);
  init_admin_history_view_set_highlight_job (self->history_view,
                                             row != NULL ? init_admin_job_row_get_job_name (row) : NULL);
}

/* Enter on a job row opens it: the job's page when the window is narrow, and the focus on
 * its actions. */
static void
on_job_activated (InitAdminWindow *self)
{
  if (adw_leaflet_get_folded (self->jobs_leaflet))
    adw_leaflet_set_visible_child (self->jobs_leaflet, GTK_WIDGET (self->details));
  init_admin_details_focus_actions (self->details);
}

/* The back button shows where there is a list to go back to; back in the list (the button,
* Alt+Left, a swipe), the focus is on the job it came from, not lost in the hidden page. */
static void
on_leaflet_changed (InitAdminWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->jobs_leaflet);
  gboolean on_job = adw_leaflet_get_visible_child (self->jobs_leaflet) == GTK_WIDGET (self->details);
  gboolean can_go_back = folded && on_job
                         && g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "content") == 0;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (folded && !on_job && (focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->details))))
    init_admin_job_list_focus_selected (self->job_list);
  gtk_widget_set_visible (self->back_button, can_go_back);
  /* Alt+Left is the window's (the leaflet's own works only while the focus is in it). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", can_go_back);
}

static void
action_back (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  InitAdminWindow *self = INIT_ADMIN_WINDOW (widget);

  adw_leaflet_set_visible_child (self->jobs_leaflet, GTK_WIDGET (self->job_list));
}

static void
on_history_selected (InitAdminWindow *self)
{
  InitAdminHistoryRow *row = init_admin_history_view_get_selected_row (self->history_view);

  init_admin_job_model_set_highlight (self->job_model,
                                      row != NULL ? init_admin_history_row_get_jobs (row) : NULL);
}

static void
on_record (InitAdminHistory *history,
           gint64            timestamp,
           const char       *kind,
           GVariant         *details,
           InitAdminWindow  *self)
{
  init_admin_job_model_add_record (self->job_model, timestamp, kind, details);
}

/* GDBus parses the GetManagedObjects and GetHistory replies into one GVariant per value
* (hundreds of thousands with 5,000 jobs) and frees most of them once the proxies and rows
* are made: hand those pages back instead of keeping them for the life of the window. */
static gboolean
trim_cb (gpointer user_data)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

static void
on_history_loaded (InitAdminWindow *self)
{
  g_idle_add_full (G_PRIORITY_LOW, trim_cb, NULL, NULL);
}

/* ---- actions ---- */

static void
action_search (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  InitAdminWindow *self = INIT_ADMIN_WINDOW (widget);

  init_admin_job_list_start_search (self->job_list);
}

static void
action_filter_history (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  init_admin_history_view_start_filter (INIT_ADMIN_WINDOW (widget)->history_view);
}

InitAdminEmitDialog *
init_admin_window_open_emit_dialog (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);

  if (self->emit_dialog == NULL)
    {
      self->emit_dialog = init_admin_emit_dialog_new (GTK_WINDOW (self), self->client,
                                                      self->job_model, self->history);
      g_object_add_weak_pointer (G_OBJECT (self->emit_dialog), (gpointer *) &self->emit_dialog);
    }
  gtk_window_present (GTK_WINDOW (self->emit_dialog));
  return self->emit_dialog;
}

static void
action_emit (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  init_admin_window_open_emit_dialog (INIT_ADMIN_WINDOW (widget));
}

/* Start/Stop/Restart from anywhere in the window: the details pane owns the actions (and
 * knows whether they make sense now). */
static void
action_job (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  InitAdminWindow *self = INIT_ADMIN_WINDOW (widget);

  /* "win.start" -> "job.start" */
  g_autofree char *name = g_strconcat ("job.", action_name + 4, NULL);

  gtk_widget_activate_action (GTK_WIDGET (self->details), name, NULL);
}

/* Overview, Log, Events of the selected job from the keyboard (Alt+1, 2, 3). */
static void
action_show_page (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  InitAdminWindow *self = INIT_ADMIN_WINDOW (widget);

  init_admin_details_show_page (self->details, g_variant_get_string (parameter, NULL));
}

static void
action_dismiss_error (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  gtk_revealer_set_reveal_child (INIT_ADMIN_WINDOW (widget)->error_revealer, FALSE);
}

/* ---- accessors ---- */

InitAdminClient *
init_admin_window_get_client (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return self->client;
}

InitAdminJobModel *
init_admin_window_get_job_model (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return self->job_model;
}

InitAdminHistory *
init_admin_window_get_history (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return self->history;
}

InitAdminJobList *
init_admin_window_get_job_list (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return self->job_list;
}

InitAdminDetails *
init_admin_window_get_details (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return self->details;
}

InitAdminHistoryView *
init_admin_window_get_history_view (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return self->history_view;
}

const char *
init_admin_window_get_page (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
init_admin_window_get_lost_text (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return self->lost ? gtk_label_get_text (self->lost_label) : NULL;
}

const char *
init_admin_window_get_status_title (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return adw_status_page_get_title (self->status_page);
}

const char *
init_admin_window_get_subtitle (InitAdminWindow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_WINDOW (self), NULL);
  return adw_window_title_get_subtitle (self->window_title);
}

/* ---- GObject ---- */

static void
init_admin_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  InitAdminWindow *self = INIT_ADMIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUS:
      g_value_set_string (value, self->bus == INIT_ADMIN_BUS_SYSTEM ? "system" : "session");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_admin_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  InitAdminWindow *self = INIT_ADMIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUS:
      init_admin_window_set_bus (self, g_strcmp0 (g_value_get_string (value), "system") == 0
                                       ? INIT_ADMIN_BUS_SYSTEM : INIT_ADMIN_BUS_SESSION, NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_admin_window_dispose (GObject *object)
{
  InitAdminWindow *self = INIT_ADMIN_WINDOW (object);

  if (self->emit_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->emit_dialog), (gpointer *) &self->emit_dialog);
      gtk_window_destroy (GTK_WINDOW (self->emit_dialog));
      self->emit_dialog = NULL;
    }
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), INIT_ADMIN_TYPE_WINDOW);
  g_clear_object (&self->client);
  g_clear_object (&self->job_model);
  g_clear_object (&self->history);
  g_clear_pointer (&self->lost_running, g_hash_table_unref);

  G_OBJECT_CLASS (init_admin_window_parent_class)->dispose (object);
}

static void
init_admin_window_finalize (GObject *object)
{
  InitAdminWindow *self = INIT_ADMIN_WINDOW (object);

  g_free (self->address);
  g_free (self->last_toast);

  G_OBJECT_CLASS (init_admin_window_parent_class)->finalize (object);
}

static void
init_admin_window_class_init (InitAdminWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = init_admin_window_dispose;
  object_class->finalize = init_admin_window_finalize;
  object_class->get_property = init_admin_window_get_property;
  object_class->set_property = init_admin_window_set_property;

  properties[PROP_BUS] =
    g_param_spec_string ("bus", NULL, NULL, "session",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_property_action (widget_class, "win.bus", "bus");
  gtk_widget_class_install_action (widget_class, "win.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "win.emit", NULL, action_emit);
  gtk_widget_class_install_action (widget_class, "win.filter-history", NULL, action_filter_history);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, action_back);
  gtk_widget_class_install_action (widget_class, "win.reload-configuration", NULL, action_manager);
  gtk_widget_class_install_action (widget_class, "win.reexec", NULL, action_manager);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, action_dismiss_error);
  gtk_widget_class_install_action (widget_class, "win.start", NULL, action_job);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, action_job);
  gtk_widget_class_install_action (widget_class, "win.restart", NULL, action_job);
  gtk_widget_class_install_action (widget_class, "win.start-env", NULL, action_job);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", action_show_page);

  init_admin_ensure_resources ();
  g_type_ensure (INIT_ADMIN_TYPE_JOB_LIST);
  g_type_ensure (INIT_ADMIN_TYPE_DETAILS);
  g_type_ensure (INIT_ADMIN_TYPE_HISTORY_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, INIT_ADMIN_RESOURCE "/init-admin-window.ui");
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, emit_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, error_title);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, error_message);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, lost_revealer);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, lost_label);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, content_paned);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, jobs_leaflet);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, job_list);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, details);
  gtk_widget_class_bind_template_child (widget_class, InitAdminWindow, history_view);
}

static void
init_admin_window_init (InitAdminWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->job_model = init_admin_job_model_new ();
  self->history = init_admin_history_new ();
  init_admin_job_list_set_model (self->job_list, self->job_model);
  init_admin_job_list_set_key_capture_widget (self->job_list, GTK_WIDGET (self));
  init_admin_history_view_set_history (self->history_view, self->history);
  init_admin_details_set_context (self->details, self->job_model, self->history);

  g_signal_connect (self->history, "record", G_CALLBACK (on_record), self);
  g_signal_connect_swapped (self->history, "loaded", G_CALLBACK (on_history_loaded), self);
  g_signal_connect_swapped (self->job_list, "notify::selected-row", G_CALLBACK (on_job_selected), self);
  g_signal_connect_swapped (self->job_list, "row-activated", G_CALLBACK (on_job_activated), self);
  g_signal_connect_swapped (self->jobs_leaflet, "notify::folded", G_CALLBACK (on_leaflet_changed), self);
  g_signal_connect_swapped (self->jobs_leaflet, "notify::visible-child",
                            G_CALLBACK (on_leaflet_changed), self);
  g_signal_connect_swapped (self->main_stack, "notify::visible-child",
                            G_CALLBACK (on_leaflet_changed), self);
  on_leaflet_changed (self);
  g_signal_connect_swapped (self->history_view, "notify::selected-row",
                            G_CALLBACK (on_history_selected), self);
  g_signal_connect (self->details, "error", G_CALLBACK (on_details_error), self);
  g_signal_connect (self->details, "toast", G_CALLBACK (on_details_toast), self);
}

InitAdminWindow *
init_admin_window_new (GtkApplication *application,
                       InitAdminBus    bus,
                       const char     *address)
{
  InitAdminWindow *self = g_object_new (INIT_ADMIN_TYPE_WINDOW, "application", application, NULL);

  init_admin_window_set_bus (self, bus, address);
  return self;
}
