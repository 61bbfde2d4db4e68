/* gui-test-util.h — driving init-admin's real widgets from a test, against a real initd
 *
 * The GUI tests link the app's static library and drive its widgets with GTK calls, in the
 * test process, on a private bus (tests/dbus-fixture.h) with the real initd.  The display is
 * a private Xvfb started by run-with-display.sh.
 */
#pragma once

#include <gtk/gtk.h>

#include "dbus-fixture.h"
#include "init-admin-log-view.h"
#include "init-admin-state-cell.h"
#include "init-admin-window.h"

G_BEGIN_DECLS

/* g_test_init, translations from the build tree, and the application (registered, so GTK
 * and libadwaita are initialised).  Call first in main(). */
void             gui_test_init (int    *argc,
                                char ***argv);
GtkApplication *gui_test_get_app (void);

/* A window showing the session daemon on @fx's bus, presented; waits (20 s at most) until it
 * is connected and the history is loaded. */
InitAdminWindow *gui_test_window_new (DBusFixture *fx);
/* Close the window and let GTK finish with it. */
void             gui_test_window_free (InitAdminWindow *window);

typedef gboolean (*GuiTestCondition) (gpointer user_data);
/* Iterate the main context until @cond holds or @timeout_ms pass (generous timeouts only). */
gboolean         gui_test_wait (GuiTestCondition cond,
                                gpointer         user_data,
                                guint            timeout_ms);
/* Iterate the main context for @ms. */
void             gui_test_spin (guint ms);
/* Let @widget lay out and draw (a few frames). */
void             gui_test_settle (GtkWidget *widget);

/* Render @widget's window to "<G_TEST_BUILDDIR>/screenshots/<name>.png" (or into @dir if
 * not NULL); returns the path. */
char *gui_test_screenshot (GtkWidget  *widget,
                           const char *name,
                           const char *dir);

/* The row of @job (and @instance, NULL for the job's first row) in the window's model. */
InitAdminJobRow *gui_test_find_row (InitAdminWindow *window,
                                    const char      *job,
                                    const char      *instance);
/* Select @job's row in the job list (asserts it is shown). */
InitAdminJobRow *gui_test_select_job (InitAdminWindow *window,
                                      const char      *job,
                                      const char      *instance);
/* The history row shown whose title is @title, or NULL. */
InitAdminHistoryRow *gui_test_find_history_row (InitAdminWindow *window,
                                                const char      *title);
/* A GuiTestCondition: @window (an InitAdminWindow) shows the daemon as gone (its banner). */
gboolean         gui_test_lost_shown (gpointer window);
/* Wait until @job's row has @status (20 s at most). */
gboolean         gui_test_wait_status (InitAdminWindow *window,
                                       const char      *job,
                                       InitAdminStatus  status);
/* A template child of a widget by id (buttons etc.). */
GtkWidget *gui_test_child (gpointer    widget,
                           GType       type,
                           const char *id);

/* The daemon's view, through the test's own connection: "goal/state" of @job's instance
 * ("" for single), or "none" if it has no such instance. */
char *gui_test_daemon_state (DBusFixture *fx,
                             const char  *job,
                             const char  *instance);
/* The main pid of @job's instance per the daemon, 0 if none. */
int              gui_test_daemon_pid (DBusFixture *fx,
                                      const char  *job,
                                      const char  *instance);
/* Emit @event on the daemon (no wait) through the test's connection. */
void             gui_test_daemon_emit (DBusFixture       *fx,
                                       const char        *event,
                                       const char *const *env);

G_END_DECLS
