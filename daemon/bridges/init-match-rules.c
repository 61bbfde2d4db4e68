/* init-match-rules.c — keeping a connection's match rules, see init-match-rules.h */
#define G_LOG_DOMAIN "init-bridges"

#include <glib/gi18n.h>

#include "init-match-rules.h"

typedef struct
{
  char *rule;
  char *what;
} MatchCall;

static void
on_match_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  MatchCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result,
                                                             &error);

  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning (_("Cannot watch for %s (%s): %s"), call->what, call->rule, error->message);
  g_free (call->rule);
  g_free (call->what);
  g_free (call);
}

static void
call_match (GDBusConnection *connection,
            const char      *method,
            const char      *rule,
            const char      *what,
            GCancellable    *cancellable)
{
  MatchCall *call = g_new (MatchCall, 1);

  call->rule = g_strdup (rule);
  call->what = g_strdup (what);
  g_dbus_connection_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", method, g_variant_new ("(s)", rule), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, cancellable, on_match_done, call);
}

void
init_match_rules_sync (GDBusConnection *connection,
                       GHashTable      *added,
                       GHashTable      *wanted,
                       const char      *what,
                       GCancellable    *cancellable)
{
  GHashTableIter iter;
  gpointer rule;

  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));
  g_hash_table_iter_init (&iter, added);
  while (g_hash_table_iter_next (&iter, &rule, NULL))
    if (!g_hash_table_contains (wanted, rule))
      {
        call_match (connection, "RemoveMatch", rule, what, cancellable);
        g_hash_table_iter_remove (&iter);
      }
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &rule, NULL))
    if (!g_hash_table_contains (added, rule))
      {
        call_match (connection, "AddMatch", rule, what, cancellable);
        g_hash_table_add (added, g_strdup (rule));
      }
}
