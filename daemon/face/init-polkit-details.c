/* init-polkit-details.c — what a polkit check says besides its action: the prompt's
 * message and the details in one order */
#define G_LOG_DOMAIN "init-authority"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "init-polkit-details.h"

/* The prompt should name what is being done, as systemd's does: a per-verb message the
 * agent shows instead of the action's generic one.  polkitd expands $(job) and $(event)
 * from the details and translates the text in our gettext domain. */
const char *
init_polkit_message_for (const char    *action_id,
                         PolkitDetails *details)
{
  const char *verb = polkit_details_lookup (details, "verb");

  if (g_strcmp0 (action_id, "org.example.Init.manage-jobs") == 0 &&
      polkit_details_lookup (details, "job") != NULL)
    {
      if (g_strcmp0 (verb, "start") == 0)
        return N_("Authentication is required to start the job “$(job)”.");
      if (g_strcmp0 (verb, "stop") == 0)
        return N_("Authentication is required to stop the job “$(job)”.");
      if (g_strcmp0 (verb, "restart") == 0)
        return N_("Authentication is required to restart the job “$(job)”.");
      if (g_strcmp0 (verb, "reload") == 0)
        return N_("Authentication is required to reload the job “$(job)”.");
    }
  if (g_strcmp0 (action_id, "org.example.Init.emit-events") == 0 &&
      polkit_details_lookup (details, "event") != NULL)
    return N_("Authentication is required to emit the event “$(event)”.");
  return NULL;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GStrv
init_polkit_sorted_details (PolkitDetails *details)
{
  g_auto (GStrv) keys = polkit_details_get_keys (details);
  g_autoptr(GStrvBuilder) pairs = g_strv_builder_new ();

  if (keys == NULL)
    return g_strv_builder_end (pairs);
  qsort (keys, g_strv_length (keys), sizeof (char *), compare_strings);
  for (gsize i = 0; keys[i] != NULL; i++)
    {
      g_strv_builder_add (pairs, keys[i]);
      g_strv_builder_add (pairs, polkit_details_lookup (details, keys[i]));
    }
  return g_strv_builder_end (pairs);
}
