/* fake-polkit.h — a stand-in for polkitd that records what it is asked and answers as told
 *
 * It owns org.freedesktop.PolicyKit1 on its own connection to the bus at an address (the real
 * polkitd must not be running there) and implements CheckAuthorization and
 * CancelCheckAuthorization: each check is recorded (subject, action, details, flags) and
 * answered with is_authorized / is_challenge or, with hang, not answered until the caller
 * cancels it.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  /*< public: set hang, is_authorized, is_challenge; read the rest >*/
  GDBusConnection *connection;
  guint            reg_id;
  guint            owner_id;
  gboolean         owned;
  gboolean         hang;          /* never answer CheckAuthorization */
  gboolean         is_authorized;
  gboolean         is_challenge;
  GPtrArray       *held;          /* unanswered invocations */
  guint            checks;
  guint            cancels;
  char            *subject_kind;
  char            *subject_name;
  char            *action_id;
  GHashTable      *details;
  guint32          flags;
} FakePolkit;

/* Start the fake on the bus at @address; returns once it owns the name. */
FakePolkit *fake_polkit_new  (const char *address);
/* Release the name, close the connection, free. */
void        fake_polkit_free (FakePolkit *fake);

G_END_DECLS
