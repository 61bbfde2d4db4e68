/* init-logind-source.h — display-manager session events from logind
 *
 * What LightDM, GDM and KDM emitted into Upstart's system init when a session began
 * (reference event-sources.md §11, §13), derived from systemd-logind's SessionNew:
 *
 *   login-session-start DISPLAY_MANAGER=SERVICE    a greeter session (Class=greeter)
 *   desktop-session-start DISPLAY_MANAGER=SERVICE  a user's graphical session (Class=user,
 *                                                  Type=x11, wayland or mir)
 *
 * DISPLAY_MANAGER is the session's PAM service (lightdm, gdm-password, sddm…), where the
 * display managers wrote their own name.  Unlike theirs, these events wait for nothing: the
 * session has begun.  Only while a job names one of them: then one connection to the system
 * bus and one match rule (SessionNew from org.freedesktop.login1); the session's properties
 * are asked of logind itself, so a signal from anyone else names no real session.
 */
#pragma once

#include <gio/gio.h>

#include "init-engine.h"
#include "init-source.h"

G_BEGIN_DECLS

typedef struct _InitLogindSource InitLogindSource;

/* An InitSource (init-source.h) following logind on the bus at @address (NULL: the system
 * bus as GIO finds it), emitting into @engine. */
InitLogindSource *init_logind_source_new (InitEngine *engine,
                                          const char *address);

G_END_DECLS
