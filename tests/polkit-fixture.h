/* polkit-fixture.h — the real polkitd on a private system bus, and test users
 *
 *   DBusFixture *fx = dbus_fixture_new (DBUS_FIXTURE_SYSTEM, "system-bus.conf.in");
 *   PolkitFixture *pk = polkit_fixture_new (fx);   // polkitd owns org.freedesktop.PolicyKit1
 *   polkit_fixture_run_as (fx, "pkuser", argv, &out, &err);
 *   polkit_fixture_free (pk);                      // before dbus_fixture_free (fx)
 *
 * polkitd runs in its own mount namespace (unshare -m) in which a temporary actions directory
 * (the distribution's actions plus our built org.example.Init.policy, $INIT_POLKIT_POLICY)
 * is bind-mounted over /usr/share/polkit-1/actions, tests/data/polkit/ (the test rules) over
 * /etc/polkit-1/rules.d and an empty directory over /usr/share/polkit-1/rules.d, so nothing
 * is written to the real polkit directories and the distribution's rules do not interfere.
 * Needs root (CI runs as root); a test that cannot get it fails, it does not skip.
 */
#pragma once

#include <gio/gio.h>

#include "dbus-fixture.h"

G_BEGIN_DECLS

typedef struct
{
  /*< public, read-only >*/
  DBusFixture *fx;
  char        *dir;        /* actions/, rules-empty/, polkitd.log */
  GSubprocess *polkitd;    /* NULL while stopped */

  /*< private >*/
  char        *log_path;
  gboolean     exited;
} PolkitFixture;

/* Make sure pkuser and pkother exist (useradd, idempotent). */
void           polkit_fixture_ensure_users (void);
/* The uid of @user (asserts it exists). */
guint32        polkit_fixture_uid          (const char         *user);

/* Prepare the directories and start polkitd on @fx's bus. */
PolkitFixture *polkit_fixture_new          (DBusFixture        *fx);
/* Start polkitd (after polkit_fixture_stop or a bus restart); waits until it owns its name. */
void           polkit_fixture_start        (PolkitFixture      *pk);
/* SIGTERM polkitd and wait for it to exit. */
void           polkit_fixture_stop         (PolkitFixture      *pk);
/* polkitd exits by itself when its bus goes away: wait for that (after a bus stop). */
void           polkit_fixture_wait_exit    (PolkitFixture      *pk);
/* Everything polkitd logged so far (newly allocated). */
char          *polkit_fixture_get_log      (PolkitFixture      *pk);
void           polkit_fixture_free         (PolkitFixture      *pk);

/* dbus_fixture_run() as @user (setpriv --reuid/--regid/--init-groups); @user NULL runs as
 * the test's own uid. */
int            polkit_fixture_run_as       (DBusFixture        *fx,
                                            const char         *user,
                                            const char * const *argv,
                                            char              **out,
                                            char              **err);

G_END_DECLS
