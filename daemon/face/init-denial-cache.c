/* init-denial-cache.c — polkit's "no" to one connection, remembered for a moment */
#define G_LOG_DOMAIN "init-authority"

#include "init-denial-cache.h"

/* Past this many questions remembered, all are forgotten (a flood over more connections
 * than this only asks polkit as before). */
#define ENTRIES_MAX 4096

struct _InitDenialCache
{
  GHashTable *refused;   /* question -> monotonic µs when polkit refused it */
};

InitDenialCache *
init_denial_cache_new (void)
{
  InitDenialCache *self = g_new0 (InitDenialCache, 1);

  self->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
init_denial_cache_free (InitDenialCache *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->refused);
  g_free (self);
}

/* One string for the whole question, its fields separated by \x1f, which neither a bus name
 * nor an action id holds (details are escaped). */
static char *
question (const char        *sender,
          const char        *action_id,
          const char *const *details)
{
  GString *text = g_string_new (sender);

  g_string_append_printf (text, "\x1f%s", action_id);
  for (gsize i = 0; details != NULL && details[i] != NULL; i++)
    {
      g_autofree char *escaped = g_strescape (details[i], NULL);

      g_string_append_printf (text, "\x1f%s", escaped);
    }
  return g_string_free (text, FALSE);
}

void
init_denial_cache_add (InitDenialCache   *self,
                       const char        *sender,
                       const char        *action_id,
                       const char *const *details)
{
  gint64 *when;

  g_return_if_fail (self != NULL && sender != NULL && action_id != NULL);

  if (g_hash_table_size (self->refused) >= ENTRIES_MAX)
    g_hash_table_remove_all (self->refused);
  when = g_new (gint64, 1);
  *when = g_get_monotonic_time ();
  g_hash_table_replace (self->refused, question (sender, action_id, details), when);
}

gboolean
init_denial_cache_lookup (InitDenialCache   *self,
                          const char        *sender,
                          const char        *action_id,
                          const char *const *details)
{
  g_autofree char *key = NULL;
  gint64 *when;

  g_return_val_if_fail (self != NULL && action_id != NULL, FALSE);

  if (sender == NULL || g_hash_table_size (self->refused) == 0)
    return FALSE;
  key = question (sender, action_id, details);
  when = g_hash_table_lookup (self->refused, key);
  if (when == NULL)
    return FALSE;
  if (g_get_monotonic_time () - *when < INIT_DENIAL_CACHE_MSEC * 1000)
    return TRUE;
  g_hash_table_remove (self->refused, key);
  return FALSE;
}
