/* hostile-client.c — a local user trying to wear initd --system down (test-hostile-auth)
 *
 *   hostile-client [--agent] [--interactive] [--conns N] [--window W] [--env-mb M] CALLS emit EVENT
 *   hostile-client [--agent] [--interactive] [--conns N] [--window W] [--env-mb M] CALLS start JOB
 *   hostile-client [--conns N] CALLS history -
 *
 * Sends CALLS method calls (EmitEvent EVENT, Job.Start on JOB's path, or GetHistory (0, 0): the
 * oldest page of the history) to org.example.Init
 * on $DBUS_SYSTEM_BUS_ADDRESS, spread over N connections, without waiting for replies: at most
 * W (default 125) unanswered on each connection (the bus allows 128), the next sent as soon as one is
 * answered, until all CALLS are sent.  --env-mb M gives every call M MiB of
 * environment (64 KiB entries).  --interactive sets ALLOW_INTERACTIVE_AUTHORIZATION.  --agent
 * first registers a polkit authentication agent for this process that never answers, so every
 * interactive check initd makes for us waits for a person who never comes.
 *
 * Prints "sent" on stdout once the first calls (up to 125 per connection) are on the wire, then, when every call has been
 * answered or on SIGTERM, one line "ok=N", "ERROR.NAME=N" lines for the calls answered with
 * an error, and "unanswered=N", and exits.
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AGENT_PATH "/org/example/HostileAgent"

static const char agent_xml[] =
  "<node><interface name='org.freedesktop.PolicyKit1.AuthenticationAgent'>"
  "  <method name='BeginAuthentication'>"
  "    <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    <arg type='s' direction='in'/><arg type='a{ss}' direction='in'/>"
  "    <arg type='s' direction='in'/><arg type='a(sa{sv})' direction='in'/>"
  "  </method>"
  "  <method name='CancelAuthentication'><arg type='s' direction='in'/></method>"
  "</interface></node>";

static struct
{
  guint       outstanding;
  guint       ok;
  GHashTable *errors;     /* D-Bus error name -> count */
  GPtrArray  *held;       /* BeginAuthentication invocations never answered */
  GMainLoop  *loop;
} st;

/* What every call is, and how many are left to send. */
static struct
{
  const char    *kind;    /* "emit", "start" or "history" */
  const char    *name;
  char          *job_path;
  GVariant      *env;
  GDBusCallFlags flags;
  guint          unsent;
} plan;

/* The most calls left unanswered on one connection (dbus-daemon allows 128). */
#define WINDOW 125

static void call_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data);

static void
send_one (GDBusConnection *bus)
{
  plan.unsent--;
  if (g_str_equal (plan.kind, "emit"))
    g_dbus_connection_call (bus, "org.example.Init", "/org/example/Init", "org.example.Init",
                            "EmitEvent", g_variant_new ("(s@asb)", plan.name, plan.env, FALSE),
                            NULL, plan.flags, G_MAXINT, NULL, call_done, NULL);
  else if (g_str_equal (plan.kind, "history"))
    g_dbus_connection_call (bus, "org.example.Init", "/org/example/Init", "org.example.Init",
                            "GetHistory", g_variant_new ("(tu)", (guint64) 0, 0), NULL,
                            plan.flags, G_MAXINT, NULL, call_done, NULL);
  else
    g_dbus_connection_call (bus, "org.example.Init", plan.job_path, "org.example.Init.Job",
                            "Start", g_variant_new ("(@asb)", plan.env, FALSE), NULL, plan.flags,
                            G_MAXINT, NULL, call_done, NULL);
}

/* The agent: holds every authentication request forever, cancels politely. */
static void
agent_method_call (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  if (g_str_equal (method_name, "BeginAuthentication"))
    g_ptr_array_add (st.held, invocation);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
on_sigterm (gpointer user_data)
{
  g_main_loop_quit (st.loop);
  return G_SOURCE_REMOVE;
}

static guint64
own_start_time (void)
{
  g_autofree char *stat = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
    return 0;
  /* The command may hold spaces: count fields after its closing parenthesis. */
  after = strrchr (stat, ')');
  fields = g_strsplit (after + 2, " ", -1);
  return g_strv_length (fields) > 19 ? g_ascii_strtoull (fields[19], NULL, 10) : 0;
}

static void
register_agent (GDBusConnection *bus)
{
  static const GDBusInterfaceVTable vtable = { agent_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (agent_xml, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder details;

  g_dbus_connection_register_object (bus, AGENT_PATH, info->interfaces[0], &vtable, NULL, NULL,
                                     &error);
  g_assert_no_error (error);
  g_variant_builder_init (&details, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&details, "{sv}", "pid", g_variant_new_uint32 (getpid ()));
  g_variant_builder_add (&details, "{sv}", "start-time", g_variant_new_uint64 (own_start_time ()));
  g_variant_builder_add (&details, "{sv}", "uid", g_variant_new_int32 (getuid ()));
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.PolicyKit1",
                                       "/org/freedesktop/PolicyKit1/Authority",
                                       "org.freedesktop.PolicyKit1.Authority",
                                       "RegisterAuthenticationAgent",
                                       g_variant_new ("((sa{sv})ss)", "unix-process", &details,
                                                      "C", AGENT_PATH),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 20000, NULL, &error);
  if (reply == NULL)
    {
      g_printerr ("hostile-client: cannot register the agent: %s\n", error->message);
      exit (2);
    }
}

static void
call_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply != NULL)
    st.ok++;
  else
    {
      char *name = g_dbus_error_get_remote_error (error);

      if (name == NULL)
        name = g_strdup_printf ("local.%s.%d", g_quark_to_string (error->domain), error->code);
      else if (strstr (error->message, "this connection") != NULL)
        {
          /* Refused as it was read, before initd's main loop saw it. */
          char *gate = g_strconcat (name, ".at-once", NULL);
          g_free (name);
          name = gate;
        }
      g_hash_table_insert (st.errors, name,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (st.errors, name)) + 1));
    }
  if (plan.unsent > 0)
    send_one (G_DBUS_CONNECTION (source));
  if (--st.outstanding == 0)
    g_main_loop_quit (st.loop);
}

static GVariant *
make_env (guint mib)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) env = NULL;
  g_autofree char *value = g_strnfill (64 * 1024 - 16, 'x');

  for (guint i = 0; i < mib * 16; i++)
    {
      g_autofree char *entry = g_strdup_printf ("BIG%u=%s", i, value);
      g_strv_builder_add (builder, entry);
    }
  env = g_strv_builder_end (builder);
  return g_variant_ref_sink (g_variant_new_strv ((const char *const *) env, -1));
}

int
main (int    argc,
      char **argv)
{
  gboolean agent = FALSE;
  gboolean interactive = FALSE;
  int conns = 1;
  int env_mb = 0;
  int window = WINDOW;
  GOptionEntry entries[] = {
    { "agent", 0, 0, G_OPTION_ARG_NONE, &agent, "register a polkit agent that never answers", NULL },
    { "interactive", 0, 0, G_OPTION_ARG_NONE, &interactive, "allow interactive authorization", NULL },
    { "conns", 0, 0, G_OPTION_ARG_INT, &conns, "connections to spread the calls over", "N" },
    { "window", 0, 0, G_OPTION_ARG_INT, &window, "unanswered calls per connection", "W" },
    { "env-mb", 0, 0, G_OPTION_ARG_INT, &env_mb, "MiB of environment per call", "M" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("CALLS emit|start NAME");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) buses = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GVariant) env = NULL;
  g_autofree char *job_path = NULL;
  const char *address = g_getenv ("DBUS_SYSTEM_BUS_ADDRESS");
  guint calls;
  GHashTableIter iter;
  gpointer key, value;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 4 || address == NULL
      || conns < 1 || window < 1 || window > WINDOW)
    {
      g_printerr ("usage: hostile-client [options] CALLS emit|start NAME\n");
      return 2;
    }
  calls = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  st.errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  st.held = g_ptr_array_new ();
  st.loop = g_main_loop_new (NULL, FALSE);
  env = env_mb > 0 ? make_env (env_mb) : g_variant_ref_sink (g_variant_new_strv (NULL, 0));
  job_path = g_strconcat ("/org/example/Init/jobs/", argv[3], NULL);

  for (int i = 0; i < conns; i++)
    {
      GDBusConnection *bus = g_dbus_connection_new_for_address_sync (
        address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (buses, bus);
    }
  if (agent)
    register_agent (g_ptr_array_index (buses, 0));

  st.outstanding = calls;
  plan.kind = argv[2];
  plan.name = argv[3];
  plan.job_path = job_path;
  plan.env = env;
  plan.flags = interactive ? G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION
                           : G_DBUS_CALL_FLAGS_NONE;
  plan.unsent = calls;
  for (guint i = 0; i < MIN (calls, (guint) window * buses->len); i++)
    send_one (g_ptr_array_index (buses, i % buses->len));
  for (guint i = 0; i < buses->len; i++)
    g_dbus_connection_flush_sync (g_ptr_array_index (buses, i), NULL, NULL);
  printf ("sent\n");
  fflush (stdout);

  g_unix_signal_add (SIGTERM, on_sigterm, NULL);
  if (calls > 0)
    g_main_loop_run (st.loop);
  printf ("ok=%u\n", st.ok);
  printf ("unanswered=%u\n", st.outstanding);
  g_hash_table_iter_init (&iter, st.errors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    printf ("%s=%u\n", (const char *) key, GPOINTER_TO_UINT (value));
  fflush (stdout);
  /* Our connections close as we exit: whatever initd still asks polkit for us is dropped. */
  return 0;
}
