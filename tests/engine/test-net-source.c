/* test-net-source.c — network events from the kernel's rtnetlink, in a private namespace
 *
 * The program moves itself into a network namespace of its own first (unshare(2) as root,
 * otherwise it runs itself again under `unshare -rn'), so `ip' changes only its own world:
 * a dummy interface d0 (an ifb one where the kernel has no dummy driver) is created, brought
 * up, given addresses and taken down, and the engine in-process with the real sources
 * (init-sources.c, init-net-source.c) must emit net-device-up / net-device-down with IFACE,
 * LOGICAL, ADDRFAM, METHOD in that order, start the jobs waiting for them, and open no
 * netlink socket while no job names them.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "init-net-source.h"
#include "init-reaper.h"
#include "sources-fixture.h"
#include "test-util.h"

typedef SourcesFixture F;

#define define sources_fixture_define
#define wait_event sources_fixture_wait_event

/* Run `ip ARGS…' (split at spaces); TRUE if it succeeded. */
static gboolean
try_ip (const char *args)
{
  g_autofree char *command = g_strconcat ("ip ", args, NULL);
  g_auto (GStrv) argv = g_strsplit (command, " ", -1);
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, NULL));
  if (status != 0)
    g_test_message ("%s: %s", command, err);
  return status == 0;
}

static void
ip (const char *args)
{
  g_assert_true (try_ip (args));
}

/* A fresh interface d0 of a kind that is up as soon as it is set up (no carrier to wait for,
 * no duplicate address detection): dummy, or ifb where the kernel lacks dummy. */
static void
add_device (const char *name)
{
  g_autofree char *dummy = g_strdup_printf ("link add %s type dummy", name);
  g_autofree char *ifb = g_strdup_printf ("link add %s type ifb", name);

  if (!try_ip (dummy))
    ip (ifb);
}

static void
f_setup (F            *f,
         gconstpointer data)
{
  sources_fixture_setup (f, data);
}

static void
f_teardown (F            *f,
            gconstpointer data)
{
  sources_fixture_teardown (f, data);
  /* The cases share the namespace when the program runs whole. */
  try_ip ("link del d0");
  try_ip ("link del d1");
  ip ("link set lo down");
}

static InitNetSource *
net_source (F *f)
{
  g_autoptr(GPtrArray) sources = init_sources_list (f->sources);

  init_sources_update (f->sources);
  for (guint i = 0; i < sources->len; i++)
    {
      InitSource *source = g_ptr_array_index (sources, i);
      if (g_str_equal (source->name, "network"))
        return (InitNetSource *) source;
    }
  g_assert_not_reached ();
}

/* How many finished events begin with @prefix. */
static guint
count_events (F          *f,
              const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < f->fx.events->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (f->fx.events, i), prefix);
  return n;
}

/* No netlink socket while no job names the events; any of the three opens it; gone with
 * the last job naming them. */
static void
test_armed_by_jobs (F            *f,
                    gconstpointer data)
{
  define (f, "plain", "start on startup\nexec true\n");
  g_assert_false (init_net_source_is_listening (net_source (f)));
  define (f, "down", "stop on net-device-down IFACE=eth0\nexec true\n");
  g_assert_true (init_net_source_is_listening (net_source (f)));
  init_engine_set_class (f->fx.engine, "down", NULL);
  g_assert_false (init_net_source_is_listening (net_source (f)));
  define (f, "static", "start on static-network-up\nexec true\n");
  g_assert_true (init_net_source_is_listening (net_source (f)));
}

/* A link that is up is not yet configured (its IPv6 link-local address does not count); an
 * address makes it up for that family, with the variables in ifupdown's order, and the job
 * waiting for it starts with them. */
static void
test_device_up (F            *f,
                gconstpointer data)
{
  g_autofree char *out = fixture_path (&f->fx, "out");
  g_autofree char *text = NULL;

  define (f, "on-up", "start on net-device-up IFACE=d0 ADDRFAM=inet\ntask\n"
          "exec sh -c 'echo \"$IFACE $LOGICAL $ADDRFAM $METHOD\" >> %s'\n", out);
  add_device ("d0");
  ip ("link set d0 up");
  test_util_spin (300);
  g_assert_cmpuint (count_events (f, "net-device-up"), ==, 0);
  ip ("addr add 192.0.2.1/24 dev d0");
  wait_event (f, "net-device-up IFACE=d0 LOGICAL=d0 ADDRFAM=inet METHOD=static");
  text = fixture_wait_file (&f->fx, out);
  g_assert_cmpstr (text, ==, "d0 d0 inet static\n");
  ip ("addr add 2001:db8::1/64 dev d0 nodad");
  wait_event (f, "net-device-up IFACE=d0 LOGICAL=d0 ADDRFAM=inet6 METHOD=static");
  g_assert_cmpuint (count_events (f, "net-device-up"), ==, 2);
}

/* `IFACE!=lo': the loopback's own events (METHOD=loopback) do not start the job, d0's does. */
static void
test_not_lo (F            *f,
             gconstpointer data)
{
  g_autofree char *out = fixture_path (&f->fx, "out");
  g_autofree char *text = NULL;

  define (f, "not-lo", "start on net-device-up IFACE!=lo\ntask\n"
          "exec sh -c 'echo \"$IFACE\" >> %s'\n", out);
  ip ("link set lo up");
  wait_event (f, "net-device-up IFACE=lo LOGICAL=lo ADDRFAM=inet METHOD=loopback");
  add_device ("d0");
  ip ("link set d0 up");
  ip ("addr add 192.0.2.1/24 dev d0");
  wait_event (f, "net-device-up IFACE=d0 LOGICAL=d0 ADDRFAM=inet METHOD=static");
  text = fixture_wait_file (&f->fx, out);
  g_assert_cmpstr (text, ==, "d0\n");
}

static gboolean
downs_twice (gpointer user_data)
{
  return count_events (user_data, "net-device-down IFACE=d0") == 2;
}

/* `ip link set d0 down' gives net-device-down for each family it was up for, with the
 * variables it went up with; so does deleting the interface. */
static void
test_device_down (F            *f,
                  gconstpointer data)
{
  g_autofree char *out = fixture_path (&f->fx, "out");
  g_autofree char *text = NULL;

  define (f, "on-down", "start on net-device-down IFACE=d0\ntask\n"
          "exec sh -c 'echo \"$IFACE $ADDRFAM $METHOD\" >> %s'\n", out);
  add_device ("d0");
  ip ("link set d0 up");
  ip ("addr add 192.0.2.1/24 dev d0");
  test_util_spin (300);
  ip ("link set d0 down");
  wait_event (f, "net-device-down IFACE=d0 LOGICAL=d0 ADDRFAM=inet METHOD=static");
  text = fixture_wait_file (&f->fx, out);
  g_assert_cmpstr (text, ==, "d0 inet static\n");
  ip ("link set d0 up");
  test_util_spin (300);
  ip ("link del d0");
  g_assert_true (test_util_wait_until (downs_twice, f, 10000));
}

/* Interfaces up before any job names net-device-up are announced when one does. */
static void
test_already_up (F            *f,
                 gconstpointer data)
{
  add_device ("d0");
  ip ("link set d0 up");
  ip ("addr add 192.0.2.1/24 dev d0");
  define (f, "late", "start on net-device-up IFACE=d0\ntask\nexec true\n");
  wait_event (f, "net-device-up IFACE=d0 LOGICAL=d0 ADDRFAM=inet METHOD=static");
}

/* static-network-up: not for the loopback, once for the first other interface up, never
 * again. */
static void
test_static_network_up (F            *f,
                        gconstpointer data)
{
  define (f, "online", "start on static-network-up\ntask\nexec true\n");
  define (f, "up", "start on net-device-up\ntask\nexec true\n");
  ip ("link set lo up");
  wait_event (f, "net-device-up IFACE=lo LOGICAL=lo ADDRFAM=inet METHOD=loopback");
  g_assert_cmpuint (count_events (f, "static-network-up"), ==, 0);
  add_device ("d0");
  ip ("link set d0 up");
  ip ("addr add 192.0.2.1/24 dev d0");
  wait_event (f, "static-network-up");
  add_device ("d1");
  ip ("link set d1 up");
  ip ("addr add 198.51.100.1/24 dev d1");
  wait_event (f, "net-device-up IFACE=d1 LOGICAL=d1 ADDRFAM=inet METHOD=static");
  g_assert_cmpuint (count_events (f, "static-network-up"), ==, 1);
}

/* Into a network namespace of our own: as root directly, otherwise through a user
 * namespace (`unshare -rn' running this program again). */
static void
enter_private_network (char **argv)
{
  if (unshare (CLONE_NEWNET) == 0)
    return;
  if (g_getenv ("INIT_TEST_NETNS") != NULL)
    g_error ("cannot enter a network namespace: %s", g_strerror (errno));
  g_setenv ("INIT_TEST_NETNS", "1", TRUE);
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto (GStrv) args = NULL;

    g_strv_builder_add_many (builder, "unshare", "-rn", NULL);
    g_strv_builder_addv (builder, (const char **) argv);
    args = g_strv_builder_end (builder);
    execvp ("unshare", args);
  }
  g_error ("cannot run unshare -rn: %s", g_strerror (errno));
}

int
main (int    argc,
      char **argv)
{
  enter_private_network (argv);
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));
  g_test_add ("/sources/net/armed-by-jobs", F, NULL, f_setup, test_armed_by_jobs, f_teardown);
  g_test_add ("/sources/net/device-up", F, NULL, f_setup, test_device_up, f_teardown);
  g_test_add ("/sources/net/not-lo", F, NULL, f_setup, test_not_lo, f_teardown);
  g_test_add ("/sources/net/device-down", F, NULL, f_setup, test_device_down, f_teardown);
  g_test_add ("/sources/net/already-up", F, NULL, f_setup, test_already_up, f_teardown);
  g_test_add ("/sources/net/static-network-up", F, NULL, f_setup, test_static_network_up,
              f_teardown);
  return g_test_run ();
}
