/* gui-fake-daemon.c — a stand-in for initd on a private bus, for init-admin's models */
#define G_LOG_DOMAIN "init-admin-test"

#include "gui-fake-daemon.h"
#include "test-util.h"

#define BUS_NAME     "org.example.Init"
#define MANAGER_PATH "/org/example/Init"

static gboolean
handle_get_history (InitDBusManager       *manager,
                    GDBusMethodInvocation *invocation,
                    guint64                after,
                    guint                  max,
                    FakeDaemon            *fd)
{
  GVariantBuilder records;
  guint n = 0;

  fd->history_calls++;
  fd->history_after = after;
  fd->history_max = max;
  g_variant_builder_init (&records, G_VARIANT_TYPE ("a(ttssa{sv})"));
  for (guint i = 0; i < fd->records->len && (max == 0 || n < max); i++)
    {
      GVariant *record = g_ptr_array_index (fd->records, i);
      guint64 id;

      g_variant_get_child (record, 0, "t", &id);
      if (id <= after)
        continue;
      g_variant_builder_add_value (&records, record);
      n++;
    }
  init_dbus_manager_complete_get_history (manager, invocation,
                                          g_variant_builder_end (&records), fd->records->len);
  return TRUE;
}

static gboolean
handle_subscribe (InitDBusManager       *manager,
                  GDBusMethodInvocation *invocation,
                  FakeDaemon            *fd)
{
  fd->subscribes++;
  init_dbus_manager_complete_subscribe (manager, invocation);
  return TRUE;
}

FakeDaemon *
fake_daemon_new (void)
{
  FakeDaemon *fd = g_new0 (FakeDaemon, 1);

  fd->bus = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  fd->records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  fd->manager = init_dbus_manager_skeleton_new ();
  init_dbus_manager_set_version (fd->manager, "fake");
  g_signal_connect (fd->manager, "handle-get-history", G_CALLBACK (handle_get_history), fd);
  g_signal_connect (fd->manager, "handle-subscribe", G_CALLBACK (handle_subscribe), fd);
  fd->server = g_dbus_object_manager_server_new (MANAGER_PATH);
  fake_daemon_appear (fd);
  return fd;
}

void
fake_daemon_appear (FakeDaemon *fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 result = 0;

  g_assert_null (fd->connection);
  fd->connection = dbus_fixture_connect (fd->bus);
  g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (fd->manager), fd->connection,
                                    MANAGER_PATH, &error);
  g_assert_no_error (error);
  g_dbus_object_manager_server_set_connection (fd->server, fd->connection);

  reply = g_dbus_connection_call_sync (fd->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", BUS_NAME, 4 /* do not queue */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* primary owner */);
}

void
fake_daemon_free (FakeDaemon *fd)
{
  if (fd->connection != NULL)
    fake_daemon_vanish (fd);
  g_clear_object (&fd->server);
  g_clear_object (&fd->manager);
  g_ptr_array_unref (fd->records);
  dbus_fixture_free (fd->bus);
  g_free (fd);
}

char *
fake_daemon_job_path (const char *job)
{
  return g_strconcat (MANAGER_PATH "/jobs/", job, NULL);
}

char *
fake_daemon_instance_path (const char *job,
                           const char *instance)
{
  return g_strconcat (MANAGER_PATH "/jobs/", job, "/", instance[0] != '\0' ? instance : "_", NULL);
}

InitDBusJob *
fake_daemon_add_job (FakeDaemon *fd,
                     const char *name)
{
  g_autofree char *path = fake_daemon_job_path (name);
  g_autoptr(InitDBusObjectSkeleton) object = init_dbus_object_skeleton_new (path);
  g_autoptr(InitDBusJob) job = init_dbus_job_skeleton_new ();

  init_dbus_job_set_name (job, name);
  /* Exported once its interfaces are set, so InterfacesAdded carries their properties, as
   * initd's does. */
  init_dbus_object_skeleton_set_job (object, job);
  g_dbus_object_manager_server_export (fd->server, G_DBUS_OBJECT_SKELETON (object));
  return job;   /* owned by the object, which the server holds */
}

InitDBusInstance *
fake_daemon_add_instance (FakeDaemon *fd,
                          const char *job,
                          const char *instance,
                          const char *goal,
                          const char *state)
{
  g_autofree char *path = fake_daemon_instance_path (job, instance);
  g_autofree char *job_path = fake_daemon_job_path (job);
  g_autoptr(InitDBusObjectSkeleton) object = init_dbus_object_skeleton_new (path);
  g_autoptr(InitDBusInstance) skeleton = init_dbus_instance_skeleton_new ();

  init_dbus_instance_set_name (skeleton, instance);
  init_dbus_instance_set_job (skeleton, job_path);
  init_dbus_instance_set_goal (skeleton, goal);
  init_dbus_instance_set_state (skeleton, state);
  init_dbus_instance_set_processes (skeleton, g_variant_new ("a(si)", NULL));
  init_dbus_object_skeleton_set_instance (object, skeleton);
  g_dbus_object_manager_server_export (fd->server, G_DBUS_OBJECT_SKELETON (object));
  return skeleton;
}

void
fake_daemon_remove (FakeDaemon *fd,
                    const char *path)
{
  g_assert_true (g_dbus_object_manager_server_unexport (fd->server, path));
}

guint64
fake_daemon_record (FakeDaemon *fd,
                    gboolean    announce,
                    const char *kind,
                    const char *subject,
                    const char *details)
{
  guint64 id = fd->records->len + 1;
  GVariant *parsed = details != NULL ? g_variant_parse (G_VARIANT_TYPE_VARDICT, details, NULL, NULL, NULL)
                                     : g_variant_new ("a{sv}", NULL);
  GVariant *record;

  g_assert_nonnull (parsed);
  record = g_variant_ref_sink (g_variant_new ("(ttss@a{sv})", id, id * G_USEC_PER_SEC,
                                              kind, subject, parsed));
  g_ptr_array_add (fd->records, record);
  if (announce)
    fake_daemon_announce (fd, id);
  return id;
}

void
fake_daemon_announce (FakeDaemon *fd,
                      guint64     id)
{
  GVariant *record = g_ptr_array_index (fd->records, id - 1);
  guint64 timestamp;
  const char *kind, *subject;
  g_autoptr(GVariant) details = NULL;

  g_variant_get (record, "(tt&s&s@a{sv})", NULL, &timestamp, &kind, &subject, &details);
  init_dbus_manager_emit_history_record (fd->manager, id, timestamp, kind, subject, details);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
is_set (gpointer user_data)
{
  return *(gpointer *) user_data != NULL;
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  g_assert_true (test_util_wait_until (is_set, result, 20000));
  return *result;
}

GDBusObjectManager *
fake_daemon_object_manager (FakeDaemon *fd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GDBusObjectManager *om;

  init_dbus_object_manager_client_new (fd->bus->connection,
                                       G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START,
                                       BUS_NAME, MANAGER_PATH, NULL, got_result, &result);
  om = init_dbus_object_manager_client_new_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  return om;
}

InitDBusManager *
fake_daemon_manager_proxy (FakeDaemon *fd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  InitDBusManager *manager;

  init_dbus_manager_proxy_new (fd->bus->connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                               BUS_NAME, MANAGER_PATH, NULL, got_result, &result);
  manager = init_dbus_manager_proxy_new_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  return manager;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
fake_daemon_sync (FakeDaemon *fd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* The skeletons send PropertiesChanged from an idle: let them, then a round trip to the
   * stand-in's connection comes back after everything it sent before. */
  drain ();
  g_dbus_connection_call (fd->bus->connection, g_dbus_connection_get_unique_name (fd->connection),
                          "/", "org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, got_result, &result);
  reply = g_dbus_connection_call_finish (fd->bus->connection, wait_result (&result), &error);
  g_assert_no_error (error);
  drain ();
}

void
fake_daemon_vanish (FakeDaemon *fd)
{
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (fd->manager));
  g_dbus_object_manager_server_set_connection (fd->server, NULL);
  g_dbus_connection_close_sync (fd->connection, NULL, NULL);
  g_clear_object (&fd->connection);
}
