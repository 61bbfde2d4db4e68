/* init-polkit-details.h — what a polkit check says besides its action: the prompt's
 * message and the details in one order */
#pragma once

#include <polkit/polkit.h>

G_BEGIN_DECLS

/* The prompt should name what is being done, as systemd's does: a per-verb message (not yet
 * translated: polkitd expands $(job) and $(event) from the details and translates it in our
 * gettext domain) for @action_id with @details, or NULL for the action's own. */
const char *init_polkit_message_for (const char    *action_id,
                                     PolkitDetails *details);

/* @details as key, value pairs in the keys' order: one question, however it was built. */
GStrv       init_polkit_sorted_details (PolkitDetails *details);

G_END_DECLS
