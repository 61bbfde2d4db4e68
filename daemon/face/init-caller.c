/* init-caller.c — who is calling: a bus caller's uid, pid and command, looked up once */
#define G_LOG_DOMAIN "init-authority"

#include <glib/gi18n.h>

#include "init-caller.h"

/* Bounded: dropped whole when full (a flood of new names costs a lookup each, no memory). */
#define CALLER_CACHE_MAX 512

/* How much of the program's path a caller record carries. */
#define COMMAND_MAX 256

struct _InitCallerDirectory
{
  /* Weak pointer: the cache must not keep a closed connection alive. */
  GDBusConnection *connection;
  GHashTable      *cache;     /* unique name -> InitCaller */
  GHashTable      *lookups;   /* unique name -> Lookup, while the bus is asked */
};

typedef struct
{
  InitCallerFunc func;
  gpointer       user_data;
} Waiter;

/* One GetConnectionCredentials call and everyone waiting for its answer. */
typedef struct
{
  InitCallerDirectory *directory;   /* NULL once the directory is gone */
  GDBusConnection     *connection;
  char                *sender;
  GArray              *waiters;     /* Waiter */
} Lookup;

/* The caller's program: the path of its executable (/proc/PID/exe), cut at COMMAND_MAX bytes
 * on a UTF-8 character boundary; "" when the process is gone or unreadable.  Never its
 * arguments: a command line can carry secrets (`initctl start job API_KEY=…`) and the
 * history is read by others. */
static char *
read_command (guint32 pid)
{
  g_autofree char *path = NULL;
  g_autofree char *target = NULL;
  gsize len;
  const char *end = NULL;

  if (pid == 0)
    return g_strdup ("");
  path = g_strdup_printf ("/proc/%u/exe", pid);
  target = g_file_read_link (path, NULL);
  if (target == NULL)
    return g_strdup ("");
  len = strlen (target);
  if (len > COMMAND_MAX)
    target[len = COMMAND_MAX] = '\0';
  /* The program is shown to people and put in D-Bus strings: keep it valid UTF-8. */
  if (!g_utf8_validate (target, len, &end))
    return g_utf8_make_valid (target, len);
  return g_steal_pointer (&target);
}

InitCaller *
init_caller_new (guint32 uid,
                 guint32 pid)
{
  InitCaller *caller = g_new0 (InitCaller, 1);

  caller->uid = uid;
  caller->pid = pid;
  caller->command = read_command (pid);
  return caller;
}

InitCaller *
init_caller_copy (const InitCaller *caller)
{
  InitCaller *copy = g_new0 (InitCaller, 1);

  g_return_val_if_fail (caller != NULL, NULL);

  copy->uid = caller->uid;
  copy->pid = caller->pid;
  copy->command = g_strdup (caller->command);
  return copy;
}

void
init_caller_free (InitCaller *caller)
{
  if (caller == NULL)
    return;
  g_free (caller->command);
  g_free (caller);
}

InitCallerDirectory *
init_caller_directory_new (void)
{
  InitCallerDirectory *self = g_new0 (InitCallerDirectory, 1);

  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) init_caller_free);
  self->lookups = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

void
init_caller_directory_free (InitCallerDirectory *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self == NULL)
    return;
  /* Lookups in flight answer their waiters without us. */
  g_hash_table_iter_init (&iter, self->lookups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((Lookup *) value)->directory = NULL;
  g_hash_table_unref (self->lookups);
  g_hash_table_unref (self->cache);
  g_clear_weak_pointer (&self->connection);
  g_free (self);
}

/* Forget everything learnt on another connection. */
static void
use_connection (InitCallerDirectory *self,
                GDBusConnection     *connection)
{
  if (self->connection == connection)
    return;
  g_hash_table_remove_all (self->cache);
  g_set_weak_pointer (&self->connection, connection);
}

static void
remember (InitCallerDirectory *self,
          const char          *sender,
          const InitCaller    *caller)
{
  if (g_hash_table_size (self->cache) >= CALLER_CACHE_MAX)
    g_hash_table_remove_all (self->cache);
  g_hash_table_replace (self->cache, g_strdup (sender), init_caller_copy (caller));
}

static InitCaller *
caller_from_reply (GVariant *reply,
                   GError  **error)
{
  g_autoptr(GVariant) creds = NULL;
  guint32 uid = 0;
  guint32 pid = 0;

  g_variant_get (reply, "(@a{sv})", &creds);
  if (!g_variant_lookup (creds, "UnixUserID", "u", &uid))
    {
      g_set_error_literal (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                           _("Cannot identify the caller: the bus does not know its user"));
      return NULL;
    }
  g_variant_lookup (creds, "ProcessID", "u", &pid);
  return init_caller_new (uid, pid);
}

static void
credentials_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      g_autoptr(GError) local = g_steal_pointer (&error);

      g_dbus_error_strip_remote_error (local);
      g_set_error (&error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                   _("Cannot identify the caller: %s"), local->message);
    }
  else
    caller = caller_from_reply (reply, &error);

  if (lookup->directory != NULL)
    {
      if (g_hash_table_lookup (lookup->directory->lookups, lookup->sender) == lookup)
        g_hash_table_remove (lookup->directory->lookups, lookup->sender);
      if (caller != NULL && lookup->directory->connection == lookup->connection)
        remember (lookup->directory, lookup->sender, caller);
    }
  for (guint i = 0; i < lookup->waiters->len; i++)
    {
      Waiter *w = &g_array_index (lookup->waiters, Waiter, i);

      w->func (caller, error, w->user_data);
    }
  g_array_unref (lookup->waiters);
  g_object_unref (lookup->connection);
  g_free (lookup->sender);
  g_free (lookup);
}

void
init_caller_directory_lookup (InitCallerDirectory *self,
                              GDBusConnection     *connection,
                              const char          *sender,
                              InitCallerFunc       func,
                              gpointer             user_data)
{
  Waiter waiter = { func, user_data };
  const InitCaller *cached;
  Lookup *lookup;

  g_return_if_fail (self != NULL && G_IS_DBUS_CONNECTION (connection) && sender != NULL);

  use_connection (self, connection);
  cached = g_hash_table_lookup (self->cache, sender);
  if (cached != NULL)
    {
      func (cached, NULL, user_data);
      return;
    }
  lookup = g_hash_table_lookup (self->lookups, sender);
  if (lookup != NULL && lookup->connection == connection)
    {
      g_array_append_val (lookup->waiters, waiter);
      return;
    }

  lookup = g_new0 (Lookup, 1);
  lookup->directory = self;
  lookup->connection = g_object_ref (connection);
  lookup->sender = g_strdup (sender);
  lookup->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  g_array_append_val (lookup->waiters, waiter);
  g_hash_table_replace (self->lookups, lookup->sender, lookup);
  g_dbus_connection_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "GetConnectionCredentials",
                          g_variant_new ("(s)", sender), G_VARIANT_TYPE ("(a{sv})"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, credentials_cb, lookup);
}
