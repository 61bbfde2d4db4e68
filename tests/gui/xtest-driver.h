/* xtest-driver.h — the real init-admin, typed at and clicked like a person
 *
 * A case gets the display of run-with-display.sh with a window manager (openbox) on it, the
 * real initd on a private bus (../fixtures/dbus-fixture.h) and the real `init-admin` binary
 * ($INIT_ADMIN) connected to that bus.  Keys and clicks go through the X server's XTEST
 * extension (`xdotool`), one key at a time with a person's pauses (150–350 ms), so focus,
 * key handling, completion popups and the window manager behave as they do on a desktop.
 * Assertions look at what the daemon did (the events that reached it, through EventEmitted;
 * the environment a job got, from a file the job writes) and at what the X server shows
 * (windows and popups mapped).  Each case leaves PNG screenshots of the screen in
 * <G_TEST_BUILDDIR>/screenshots/xtest-<case>-<step>.png as artefacts.
 */
#pragma once

#include "dbus-fixture.h"

G_BEGIN_DECLS

typedef struct _Xtest Xtest;

/* Jobs to write before initd starts: name, text pairs, NULL-terminated. */
/* Start the window manager, the bus, initd (with --startup-event go) and init-admin; return
 * once the app's main window is shown and has had time to load.  @shot_prefix names the
 * screenshots. */
Xtest *xtest_new (const char        *shot_prefix,
                  const char *const *jobs);
/* Close the app, stop everything, free. */
void         xtest_free (Xtest *xt);
DBusFixture *xtest_get_fixture (Xtest *xt);

/* Type @text one key at a time at a person's speed into whatever has the focus. */
void         xtest_type (Xtest      *xt,
                         const char *text);
/* Press one key or chord (xdotool names: "Return", "Tab", "ctrl+e", "ctrl+shift+s"),
 * then pause as a person would. */
void         xtest_key (Xtest      *xt,
                        const char *keys);
/* Pause (the main context runs meanwhile, so D-Bus signals are not lost). */
void         xtest_pause (Xtest *xt,
                          guint  ms);

/* Wait (10 s at most) until a window whose title matches the regular expression @title is
 * shown; FALSE if none. */
gboolean     xtest_wait_window (Xtest      *xt,
                                const char *title);
/* Whether a window whose title matches @title is shown now. */
gboolean     xtest_window_shown (Xtest      *xt,
                                 const char *title);
/* Resize the app's main window as a person dragging its edge would (the window manager
 * honours the window's minimum size), then pause. */
void         xtest_resize (Xtest *xt,
                           guint  width,
                           guint  height);
/* The width of the app's main window now. */
guint        xtest_window_width (Xtest *xt);
/* How many popups (override-redirect windows: completion lists, menus, tooltips) are
 * mapped now. */
guint        xtest_count_popups (Xtest *xt);

/* Wait (20 s at most) until the daemon has emitted an event named @name (EventEmitted,
 * whoever asked); returns its environment (NULL on timeout). */
GStrv        xtest_wait_event (Xtest      *xt,
                               const char *name);
/* Every event name the daemon emitted since the case began, in order, joined by spaces. */
char *xtest_events_seen (Xtest *xt);

/* Save the whole screen as <G_TEST_BUILDDIR>/screenshots/xtest-<prefix>-<step>.png;
 * returns the path. */
char *xtest_screenshot (Xtest      *xt,
                        const char *step);

/* The longest horizontal run of text-coloured pixels on the screen (dark, not the bare
* black screen): a line of "█" shown in a text view makes a run as wide as the line. */
guint        xtest_longest_dark_run (Xtest *xt);

/* Wait (20 s at most) until @path exists and is not empty; returns its contents or NULL. */
char *xtest_wait_file (const char *path);

G_END_DECLS
