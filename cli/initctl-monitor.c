/* initctl-monitor.c — `initctl monitor' (alias `events'): events and job transitions, live
 *
 * Text, one line each:
 *   event-emitted ID NAME [KEY=VALUE]…
 *   event-finished ID NAME
 *   event-finished ID NAME failed: JOB: REASON
 *   job-state <status line>          e.g. `job-state example1 start/running, process 1234'
 *   job-added NAME / job-changed NAME / job-removed NAME
 *   config-error FILE: MESSAGE
 * With --json, one JSON object per line with a "type" member of the same name.
 *
 * Events come from EventEmitted and EventFinished; job transitions from HistoryRecord, which
 * the daemon sends for every goal and state change and every process started or ended
 * (PropertiesChanged is coalesced, so it can skip the short states in between).  A
 * job-state line is written once the records that follow it in the same burst (the process
 * a state starts) have been seen, so it shows the instance's processes as `status' would.
 *
 * The daemon sends its signals only while somebody subscribed (Manager.Subscribe): the match
 * rules are added and Subscribe called before anything is read (GetManagedObjects, for the
 * processes that already run), so nothing that happens in between is lost: what arrived
 * meanwhile is applied, in order, once the list is in.  The subscription ends as initctl
 * leaves the bus.
 */
#define G_LOG_DOMAIN "init-cli"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>

#include "init-dbus-generated.h"
#include "initctl.h"

/* Process names in the order the status line lists them. */
static const char *const process_names[] = {
  "main", "pre-start", "post-start", "pre-stop", "post-stop", NULL
};
#define N_PROCESSES 5

typedef struct
{
  gint32 pid[N_PROCESSES];
} Processes;

typedef struct
{
  char *job;
  char *instance;
  char *goal;
  char *state;
  char *from_state;
} Transition;

typedef struct
{
  Initctl    *ctl;
  GMainLoop  *loop;
  GHashTable *processes;   /* "job\ninstance" -> Processes* */
  Transition *pending;     /* a job-state line waiting for its burst to end */
  guint       flush_id;
  int         status;
} Monitor;

static char *
instance_key (const char *job,
              const char *instance)
{
  return g_strconcat (job, "\n", instance, NULL);
}

static void
transition_free (Transition *t)
{
  g_free (t->job);
  g_free (t->instance);
  g_free (t->goal);
  g_free (t->state);
  g_free (t->from_state);
  g_free (t);
}

static void
emit_line (Monitor *monitor,
           GString *line)
{
  g_string_append_c (line, '\n');
  initctl_output (monitor->ctl, line);
}

/* Text mode keeps one line per record: control characters in names and values are escaped. */
static void
append_text (GString    *out,
             const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
}

/* ---- job transitions ---- */

static GVariant *
processes_variant (Monitor    *monitor,
                   const char *job,
                   const char *instance)
{
  g_autofree char *key = instance_key (job, instance);
  Processes *procs = g_hash_table_lookup (monitor->processes, key);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(si)"));
  for (guint i = 0; procs != NULL && i < N_PROCESSES; i++)
    if (procs->pid[i] > 0)
      g_variant_builder_add (&builder, "(si)", process_names[i], procs->pid[i]);
  return g_variant_builder_end (&builder);
}

static void
flush_pending (Monitor *monitor)
{
  Transition *t = g_steal_pointer (&monitor->pending);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GVariant) processes = NULL;

  if (t == NULL)
    return;
  processes = g_variant_ref_sink (processes_variant (monitor, t->job, t->instance));
  if (monitor->ctl->json)
    {
      gsize n = g_variant_n_children (processes);

      g_string_append (line, "{\"type\":\"job-state\",\"job\":");
      initctl_json_string (line, t->job);
      g_string_append (line, ",\"instance\":");
      initctl_json_string (line, t->instance);
      g_string_append (line, ",\"goal\":");
      initctl_json_string (line, t->goal);
      g_string_append (line, ",\"state\":");
      initctl_json_string (line, t->state);
      g_string_append (line, ",\"from_state\":");
      initctl_json_string (line, t->from_state);
      g_string_append (line, ",\"processes\":[");
      for (gsize i = 0; i < n; i++)
        {
          const char *name;
          gint32 pid;

          g_variant_get_child (processes, i, "(&si)", &name, &pid);
          g_string_append (line, i > 0 ? ",{\"name\":" : "{\"name\":");
          initctl_json_string (line, name);
          g_string_append_printf (line, ",\"pid\":%d}", pid);
        }
      g_string_append (line, "]}");
    }
  else
    {
      GVariantBuilder props;
      char *newline;

      /* The status line exactly as `status' prints it (its first line only). */
      g_variant_builder_init (&props, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&props, "{sv}", "Name", g_variant_new_string (t->instance));
      g_variant_builder_add (&props, "{sv}", "Goal", g_variant_new_string (t->goal));
      g_variant_builder_add (&props, "{sv}", "State", g_variant_new_string (t->state));
      g_variant_builder_add (&props, "{sv}", "Processes", processes);
      {
        g_autoptr(GVariant) dict = g_variant_ref_sink (g_variant_builder_end (&props));
        g_autoptr(GString) status = g_string_new (NULL);

        initctl_append_status (status, t->job, dict);
        newline = strchr (status->str, '\n');
        g_string_truncate (status, newline - status->str);
        g_string_append (line, "job-state ");
        append_text (line, status->str);
      }
    }
  transition_free (t);
  emit_line (monitor, line);
}

static gboolean
flush_idle_cb (gpointer user_data)
{
  Monitor *monitor = user_data;

  monitor->flush_id = 0;
  flush_pending (monitor);
  return G_SOURCE_REMOVE;
}

static void
set_process (Monitor    *monitor,
             const char *job,
             const char *instance,
             const char *process,
             gint32      pid)
{
  g_autofree char *key = instance_key (job, instance);
  Processes *procs = g_hash_table_lookup (monitor->processes, key);

  for (guint i = 0; i < N_PROCESSES; i++)
    if (g_str_equal (process, process_names[i]))
      {
        if (procs == NULL)
          {
            procs = g_new0 (Processes, 1);
            g_hash_table_insert (monitor->processes, g_steal_pointer (&key), procs);
          }
        procs->pid[i] = pid;
      }
}

static void
print_simple (Monitor    *monitor,
              const char *type,
              const char *key,
              const char *value,
              const char *message)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (monitor->ctl->json)
    {
      g_string_append_printf (line, "{\"type\":\"%s\",\"%s\":", type, key);
      initctl_json_string (line, value);
      if (message != NULL)
        {
          g_string_append (line, ",\"message\":");
          initctl_json_string (line, message);
        }
      g_string_append_c (line, '}');
    }
  else
    {
      g_string_append_printf (line, "%s ", type);
      append_text (line, value);
      if (message != NULL)
        {
          g_string_append (line, ": ");
          append_text (line, message);
        }
    }
  emit_line (monitor, line);
}

static void
on_history_record (GDBusConnection *connection,
                   const char      *sender,
                   const char      *path,
                   const char      *iface,
                   const char      *signal,
                   GVariant        *params,
                   gpointer         user_data)
{
  Monitor *monitor = user_data;
  g_autoptr(GVariant) details = NULL;
  const char *kind, *subject, *job, *instance;

  if (!g_variant_is_of_type (params, G_VARIANT_TYPE ("(ttssa{sv})")))
    return;
  g_variant_get (params, "(tt&s&s@a{sv})", NULL, NULL, &kind, &subject, &details);
  job = initctl_prop_string (details, "job", NULL);
  instance = initctl_prop_string (details, "instance", "");

  /* A process started by the state just entered belongs on that state's line: keep the
   * line open for it.  Anything else ends the line first (an exit comes before the state
   * change it causes). */
  if (job != NULL && g_str_equal (kind, "process-started"))
    {
      if (monitor->pending != NULL && (!g_str_equal (monitor->pending->job, job)
                                       || !g_str_equal (monitor->pending->instance, instance)))
        flush_pending (monitor);
      set_process (monitor, job, instance, initctl_prop_string (details, "process", ""),
                   (gint32) initctl_prop_int (details, "pid", 0));
      return;
    }
  flush_pending (monitor);
  if (job != NULL && g_str_equal (kind, "process-exited"))
    {
      set_process (monitor, job, instance, initctl_prop_string (details, "process", ""), 0);
      return;
    }

  if (job != NULL && g_str_equal (kind, "job-state"))
    {
      Transition *t = g_new0 (Transition, 1);

      t->job = g_strdup (job);
      t->instance = g_strdup (instance);
      t->goal = g_strdup (initctl_prop_string (details, "goal", ""));
      t->state = g_strdup (initctl_prop_string (details, "state", ""));
      t->from_state = g_strdup (initctl_prop_string (details, "from-state", ""));
      monitor->pending = t;
      /* D-Bus messages are dispatched before idle sources: this runs once the burst of
       * records already received has been seen. */
      if (monitor->flush_id == 0)
        monitor->flush_id = g_idle_add (flush_idle_cb, monitor);
    }
  else if (job != NULL && (g_str_equal (kind, "job-added") || g_str_equal (kind, "job-changed")
                           || g_str_equal (kind, "job-removed")))
    print_simple (monitor, kind, "job", job, NULL);
  else if (g_str_equal (kind, "config-error"))
    print_simple (monitor, kind, "file", subject,
                  initctl_prop_string (details, "reason", ""));
}

/* ---- events ---- */

static void
on_event_emitted (GDBusConnection *connection,
                  const char      *sender,
                  const char      *path,
                  const char      *iface,
                  const char      *signal,
                  GVariant        *params,
                  gpointer         user_data)
{
  Monitor *monitor = user_data;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree const char **env = NULL;
  const char *name;
  guint64 id;

  if (!g_variant_is_of_type (params, G_VARIANT_TYPE ("(tsasa{sv})")))
    return;
  flush_pending (monitor);
  g_variant_get (params, "(t&s^a&s@a{sv})", &id, &name, &env, NULL);
  if (monitor->ctl->json)
    {
      g_string_append_printf (line, "{\"type\":\"event-emitted\",\"id\":%" G_GUINT64_FORMAT
                              ",\"name\":", id);
      initctl_json_string (line, name);
      g_string_append (line, ",\"env\":");
      initctl_json_strv (line, env);
      g_string_append_c (line, '}');
    }
  else
    {
      g_string_append_printf (line, "event-emitted %" G_GUINT64_FORMAT " ", id);
      append_text (line, name);
      for (guint i = 0; env[i] != NULL; i++)
        {
          g_string_append_c (line, ' ');
          append_text (line, env[i]);
        }
    }
  emit_line (monitor, line);
}

static void
on_event_finished (GDBusConnection *connection,
                   const char      *sender,
                   const char      *path,
                   const char      *iface,
                   const char      *signal,
                   GVariant        *params,
                   gpointer         user_data)
{
  Monitor *monitor = user_data;
  g_autoptr(GString) line = g_string_new (NULL);
  const char *name, *failed_job, *reason;
  gboolean failed;
  guint64 id;

  if (!g_variant_is_of_type (params, G_VARIANT_TYPE ("(tsbss)")))
    return;
  flush_pending (monitor);
  g_variant_get (params, "(t&sb&s&s)", &id, &name, &failed, &failed_job, &reason);
  if (monitor->ctl->json)
    {
      g_string_append_printf (line, "{\"type\":\"event-finished\",\"id\":%" G_GUINT64_FORMAT
                              ",\"name\":", id);
      initctl_json_string (line, name);
      g_string_append_printf (line, ",\"failed\":%s,\"failed_job\":", failed ? "true" : "false");
      initctl_json_string (line, failed_job);
      g_string_append (line, ",\"reason\":");
      initctl_json_string (line, reason);
      g_string_append_c (line, '}');
    }
  else
    {
      g_string_append_printf (line, "event-finished %" G_GUINT64_FORMAT " ", id);
      append_text (line, name);
      if (failed)
        {
          g_string_append (line, " failed: ");
          append_text (line, failed_job);
          g_string_append (line, ": ");
          append_text (line, reason);
        }
    }
  emit_line (monitor, line);
}

/* ---- the end ---- */

static void
on_name_owner_changed (GDBusConnection *connection,
                       const char      *sender,
                       const char      *path,
                       const char      *iface,
                       const char      *signal,
                       GVariant        *params,
                       gpointer         user_data)
{
  Monitor *monitor = user_data;
  const char *new_owner;

  g_variant_get (params, "(&s&s&s)", NULL, NULL, &new_owner);
  if (new_owner[0] != '\0')
    return;
  flush_pending (monitor);
  initctl_error (monitor->ctl, _("The init daemon went away"));
  monitor->status = INITCTL_EXIT_NO_DAEMON;
  g_main_loop_quit (monitor->loop);
}

static void
on_closed (GDBusConnection *connection,
           gboolean         remote_peer_vanished,
           GError          *error,
           gpointer         user_data)
{
  Monitor *monitor = user_data;

  flush_pending (monitor);
  initctl_error (monitor->ctl, _("Lost the connection to the bus"));
  monitor->status = INITCTL_EXIT_NO_DAEMON;
  g_main_loop_quit (monitor->loop);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  Monitor *monitor = user_data;

  g_main_loop_quit (monitor->loop);
  return G_SOURCE_CONTINUE;
}

/* The processes of the instances that already run. */
static void
seed_processes (Monitor  *monitor,
                GVariant *objects)
{
  g_autoptr(GPtrArray) rows = initctl_collect_jobs (objects);

  for (guint i = 0; i < rows->len; i++)
    {
      InitctlJobRow *row = g_ptr_array_index (rows, i);

      for (guint j = 0; row->instances != NULL && j < row->instances->len; j++)
        {
          GVariant *props = g_ptr_array_index (row->instances, j);
          const char *instance = initctl_prop_string (props, "Name", "");
          g_autoptr(GVariant) procs = g_variant_lookup_value (props, "Processes",
                                                              G_VARIANT_TYPE ("a(si)"));

          for (gsize k = 0; procs != NULL && k < g_variant_n_children (procs); k++)
            {
              const char *name;
              gint32 pid;

              g_variant_get_child (procs, k, "(&si)", &name, &pid);
              set_process (monitor, row->name, instance, name, pid);
            }
        }
    }
}

int
initctl_cmd_monitor (Initctl *ctl,
                     char   **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) objects = NULL;
  const char *name = ctl->dest != NULL ? ctl->dest : INITCTL_BUS_NAME;
  const char *manager = init_dbus_manager_interface_info ()->name;
  Monitor monitor = { ctl, NULL, NULL, NULL, 0, INITCTL_EXIT_OK };
  guint subscriptions[4], sigint, sigterm;

  if (args[0] != NULL)
    return initctl_usage_error (ctl, _("unexpected argument: %s"), args[0]);
  if (!initctl_connect (ctl, &error))
    return initctl_report_error (ctl, error);

  /* Subscribe first, read second (see the comment at the top). */
  subscriptions[0] = g_dbus_connection_signal_subscribe (
    ctl->bus, name, manager, "EventEmitted", INITCTL_MANAGER_PATH, NULL,
    G_DBUS_SIGNAL_FLAGS_NONE, on_event_emitted, &monitor, NULL);
  subscriptions[1] = g_dbus_connection_signal_subscribe (
    ctl->bus, name, manager, "EventFinished", INITCTL_MANAGER_PATH, NULL,
    G_DBUS_SIGNAL_FLAGS_NONE, on_event_finished, &monitor, NULL);
  subscriptions[2] = g_dbus_connection_signal_subscribe (
    ctl->bus, name, manager, "HistoryRecord", INITCTL_MANAGER_PATH, NULL,
    G_DBUS_SIGNAL_FLAGS_NONE, on_history_record, &monitor, NULL);
  subscriptions[3] = g_dbus_connection_signal_subscribe (
    ctl->bus, "org.freedesktop.DBus", "org.freedesktop.DBus", "NameOwnerChanged",
    "/org/freedesktop/DBus", name, G_DBUS_SIGNAL_FLAGS_NONE, on_name_owner_changed,
    &monitor, NULL);

  monitor.processes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  {
    g_autoptr(GVariant) subscribed = initctl_call (ctl, INITCTL_MANAGER_PATH,
                                                   init_dbus_manager_interface_info (), "Subscribe",
                                                   NULL, INITCTL_CALL_NONE, &error);

    if (subscribed != NULL)
      objects = initctl_get_managed_objects (ctl, &error);
  }
  if (objects == NULL)
    monitor.status = initctl_report_error (ctl, error);
  else
    {
      seed_processes (&monitor, objects);
      monitor.loop = g_main_loop_new (NULL, FALSE);
      g_signal_connect (ctl->bus, "closed", G_CALLBACK (on_closed), &monitor);
      sigint = g_unix_signal_add (SIGINT, on_quit_signal, &monitor);
      sigterm = g_unix_signal_add (SIGTERM, on_quit_signal, &monitor);
      g_main_loop_run (monitor.loop);
      flush_pending (&monitor);
      g_source_remove (sigint);
      g_source_remove (sigterm);
      g_signal_handlers_disconnect_by_data (ctl->bus, &monitor);
      g_main_loop_unref (monitor.loop);
    }

  for (guint i = 0; i < G_N_ELEMENTS (subscriptions); i++)
    g_dbus_connection_signal_unsubscribe (ctl->bus, subscriptions[i]);
  if (monitor.flush_id != 0)
    g_source_remove (monitor.flush_id);
  g_clear_pointer (&monitor.pending, transition_free);
  g_hash_table_unref (monitor.processes);
  return monitor.status;
}
