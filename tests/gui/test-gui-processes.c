/* test-gui-processes.c — the process trees of a job's instances in the details pane
 *
 * The real section on the private display (run-with-display.sh) over instance proxies of the
 * stand-in daemon (gui-fake-daemon.c), whose GetProcessTree answers what the case sets: the
 * rows in tree order, read again when Processes changes or on refresh, emptied when the
 * instance is gone.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include "gui-fake-daemon.h"
#include "gui-test-util.h"
#include "init-admin-process-view.h"
#include "test-util.h"

typedef struct
{
  FakeDaemon           *fd;
  GDBusObjectManager   *om;
  InitAdminProcessView *view;
} Fixture;

/* What a stand-in instance answers to GetProcessTree: the tree in its "tree" data (text
 * form of a(iiss)), counting the calls in "calls"; no tree: UnknownInstance. */
static gboolean
handle_get_process_tree (InitDBusInstance      *instance,
                         GDBusMethodInvocation *invocation)
{
  const char *text = g_object_get_data (G_OBJECT (instance), "tree");
  guint calls = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (instance), "calls"));

  g_object_set_data (G_OBJECT (instance), "calls", GUINT_TO_POINTER (calls + 1));
  if (text == NULL)
    g_dbus_method_invocation_return_dbus_error (invocation, "org.example.Init.Error.UnknownInstance",
                                                "Unknown instance");
  else
    init_dbus_instance_complete_get_process_tree (instance, invocation, g_variant_new_parsed (text));
  return TRUE;
}

static InitDBusInstance *
add_instance (Fixture    *fx,
              const char *job,
              const char *name,
              const char *tree)
{
  InitDBusInstance *instance = fake_daemon_add_instance (fx->fd, job, name, "start", "running");

  g_object_set_data_full (G_OBJECT (instance), "tree", g_strdup (tree), g_free);
  g_signal_connect (instance, "handle-get-process-tree", G_CALLBACK (handle_get_process_tree), NULL);
  return instance;
}

static guint
calls_of (InitDBusInstance *instance)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (instance), "calls"));
}

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  fx->fd = fake_daemon_new ();
  fx->view = g_object_ref_sink (INIT_ADMIN_PROCESS_VIEW (init_admin_process_view_new ()));
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  init_admin_process_view_set_instances (fx->view, NULL);
  g_clear_object (&fx->view);
  g_clear_object (&fx->om);
  fake_daemon_free (fx->fd);
}

/* The app's proxies of @names (instances of @job), shown in the view. */
static void
show (Fixture           *fx,
      const char        *job,
      const char *const *names)
{
  g_autoptr(GPtrArray) proxies = g_ptr_array_new_with_free_func (g_object_unref);

  if (fx->om == NULL)
    fx->om = fake_daemon_object_manager (fx->fd);
  fake_daemon_sync (fx->fd);
  for (gsize i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = fake_daemon_instance_path (job, names[i]);
      GDBusInterface *proxy = g_dbus_object_manager_get_interface (fx->om, path, "org.example.Init.Instance");

      g_assert_nonnull (proxy);
      g_ptr_array_add (proxies, proxy);
    }
  init_admin_process_view_set_instances (fx->view, proxies);
}

/* "pid:role:command:depth …" of what is shown for @instance ("gone" if not shown). */
static char *
shown (Fixture    *fx,
       const char *instance)
{
  GListModel *processes = init_admin_process_view_get_processes (fx->view, instance);
  g_autoptr(GString) out = g_string_new (NULL);

  if (processes == NULL)
    return g_strdup ("gone");
  for (guint i = 0; i < g_list_model_get_n_items (processes); i++)
    {
      g_autoptr(InitAdminProcessItem) item = g_list_model_get_item (processes, i);

      g_string_append_printf (out, "%s%d:%s:%s:%u", i > 0 ? " " : "",
                              init_admin_process_item_get_pid (item),
                              init_admin_process_item_get_role (item),
                              init_admin_process_item_get_command (item),
                              init_admin_process_item_get_depth (item));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  Fixture    *fx;
  const char *instance;
  const char *expected;
} ShownWait;

static gboolean
shown_is (gpointer user_data)
{
  ShownWait *w = user_data;
  g_autofree char *text = shown (w->fx, w->instance);

  return g_str_equal (text, w->expected);
}

/* Wait (the tree is read asynchronously) until @instance shows @expected. */
static void
wait_shown (Fixture    *fx,
            const char *instance,
            const char *expected)
{
  ShownWait w = { fx, instance, expected };

  if (!test_util_wait_until (shown_is, &w, 20000))
    gui_assert_text (shown (fx, instance), expected);
}

/* Each instance's tree in reading order: the processes it started, each followed by its
 * descendants, indented. */
static void
test_tree_order (Fixture      *fx,
                 gconstpointer data)
{
  const char *const names[] = { "a", "b", NULL };

  fake_daemon_add_job (fx->fd, "svc");
  add_instance (fx, "svc", "a", "[(10, 1, 'main', 'sh -c x'), (11, 10, '', 'x'), (12, 11, '', 'y')]");
  add_instance (fx, "svc", "b", "[(20, 1, 'main', 'b'), (21, 1, 'post-start', 'ps')]");
  show (fx, "svc", names);
  wait_shown (fx, "a", "10:main:sh -c x:0 11::x:1 12::y:2");
  wait_shown (fx, "b", "20:main:b:0 21:post-start:ps:0");
  gui_assert_text (shown (fx, "c"), "gone");
}

/* Job "web" with one instance, main process 10, shown and read. */
static InitDBusInstance *
show_web (Fixture *fx)
{
  const char *const names[] = { "", NULL };
  InitDBusInstance *instance;

  fake_daemon_add_job (fx->fd, "web");
  instance = add_instance (fx, "web", "", "[(10, 1, 'main', 'web')]");
  show (fx, "web", names);
  wait_shown (fx, "", "10:main:web:0");
  return instance;
}

/* A change of the instance's Processes reads the tree again; so does refresh. */
static void
test_read_again (Fixture      *fx,
                 gconstpointer data)
{
  InitDBusInstance *instance = show_web (fx);
  g_assert_cmpuint (calls_of (instance), ==, 1);

  g_object_set_data_full (G_OBJECT (instance), "tree",
                          g_strdup ("[(10, 1, 'main', 'web'), (30, 1, 'pre-stop', 'drain')]"), g_free);
  init_dbus_instance_set_processes (instance, g_variant_new_parsed ("[('main', 10), ('pre-stop', 30)]"));
  wait_shown (fx, "", "10:main:web:0 30:pre-stop:drain:0");
  g_assert_cmpuint (calls_of (instance), ==, 2);

  g_object_set_data_full (G_OBJECT (instance), "tree",
                          g_strdup ("[(10, 1, 'main', 'web'), (40, 10, '', 'worker')]"), g_free);
  init_admin_process_view_refresh (fx->view);
  wait_shown (fx, "", "10:main:web:0 40::worker:1");
  g_assert_cmpuint (calls_of (instance), ==, 3);
}

/* An instance that cannot be read (gone meanwhile) shows no processes. */
static void
test_unreadable (Fixture      *fx,
                 gconstpointer data)
{
  InitDBusInstance *instance = show_web (fx);
  g_object_set_data (G_OBJECT (instance), "tree", NULL);
  init_admin_process_view_refresh (fx->view);
  wait_shown (fx, "", "");
}

/* Instances already shown keep their list (no new read); instances dropped are gone; none
 * at all empties the section. */
static void
test_set_instances (Fixture      *fx,
                    gconstpointer data)
{
  const char *const both[] = { "a", "b", NULL };
  const char *const only_b[] = { "b", NULL };
  InitDBusInstance *b;

  fake_daemon_add_job (fx->fd, "svc");
  add_instance (fx, "svc", "a", "[(10, 1, 'main', 'a')]");
  b = add_instance (fx, "svc", "b", "[(20, 1, 'main', 'b')]");
  show (fx, "svc", both);
  wait_shown (fx, "b", "20:main:b:0");
  show (fx, "svc", only_b);
  gui_assert_text (shown (fx, "a"), "gone");
  gui_assert_text (shown (fx, "b"), "20:main:b:0");
  test_util_spin (50);
  g_assert_cmpuint (calls_of (b), ==, 1);

  init_admin_process_view_set_instances (fx->view, NULL);
  gui_assert_text (shown (fx, "b"), "gone");
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/gui/processes/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("tree-order", test_tree_order);
  ADD ("read-again", test_read_again);
  ADD ("unreadable", test_unreadable);
  ADD ("set-instances", test_set_instances);
#undef ADD
  return g_test_run ();
}
