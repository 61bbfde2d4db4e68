/* gui-fake-daemon.h — a stand-in for initd on a private bus, for init-admin's models
 *
 * The app's models (job list, history) follow the daemon through an object manager client
 * and a Manager proxy.  This stand-in owns org.example.Init on a private dbus-daemon
 * (../fixtures/dbus-fixture.h, without initd) and exports what the test puts there: jobs
 * and instances as D-Bus skeletons (whose properties the test sets directly; a change
 * reaches the app's proxies as PropertiesChanged) and history records served by GetHistory
 * and announced by HistoryRecord.  Everything runs on the test's one main context: the app
 * side must use the asynchronous constructors (fake_daemon_object_manager() and
 * fake_daemon_manager_proxy() do).
 */
#pragma once

#include <gio/gio.h>

#include "dbus-fixture.h"
#include "init-dbus-generated.h"

G_BEGIN_DECLS

/* Assert that @text_call (an expression giving a newly allocated string, freed here) is
 * @expected: for helpers that describe a state as one line of text. */
#define gui_assert_text(text_call, expected) \
  G_STMT_START { \
    g_autofree char *gui_described_ = (text_call); \
    g_assert_cmpstr (gui_described_, ==, (expected)); \
  } G_STMT_END

typedef struct
{
  /*< public, read-only >*/
  DBusFixture              *bus;           /* bus->connection is the app's side */
  GDBusConnection          *connection;    /* the stand-in's own (owns org.example.Init) */
  GDBusObjectManagerServer *server;
  InitDBusManager          *manager;       /* skeleton at /org/example/Init */
  GPtrArray                *records;       /* GVariant (ttssa{sv}), in id order */
  guint                     history_calls; /* GetHistory calls answered */
  guint64                   history_after; /* @after of the last GetHistory */
  guint                     history_max;   /* @max of the last GetHistory */
  guint                     subscribes;    /* Subscribe calls answered */
} FakeDaemon;

/* Start the bus and the stand-in (it owns the name when this returns). */
FakeDaemon *fake_daemon_new (void);
/* Drop the stand-in and the bus. */
void        fake_daemon_free (FakeDaemon *fd);

/* /org/example/Init/jobs/@job and …/@job/@instance ("_" for ""): @job and @instance are
 * plain letters and digits in these tests. */
char *fake_daemon_job_path (const char *job);
char *fake_daemon_instance_path (const char *job,
                                 const char *instance);

/* Export job @name (Name set; the test sets the rest).  The skeleton belongs to the
 * stand-in (valid until it is removed). */
InitDBusJob *fake_daemon_add_job (FakeDaemon *fd,
                                  const char *name);
/* Export an instance of @job with Name, Job, Goal and State set. */
InitDBusInstance *fake_daemon_add_instance (FakeDaemon *fd,
                                            const char *job,
                                            const char *instance,
                                            const char *goal,
                                            const char *state);
/* Unexport the object at @path (InterfacesRemoved). */
void        fake_daemon_remove (FakeDaemon *fd,
                                const char *path);

/* Append a history record: @details in GVariant text form (an a{sv}; NULL: empty), the
 * timestamp is the id in seconds.  If @announce, HistoryRecord is emitted too.  Returns
 * the id. */
guint64     fake_daemon_record (FakeDaemon *fd,
                                gboolean    announce,
                                const char *kind,
                                const char *subject,
                                const char *details);
/* Emit HistoryRecord for a record already kept (to test de-duplication). */
void        fake_daemon_announce (FakeDaemon *fd,
                                  guint64     id);

/* The app's side: an object manager client and a Manager proxy on fd->bus->connection,
 * made asynchronously (the stand-in answers on this main context). */
GDBusObjectManager *fake_daemon_object_manager (FakeDaemon *fd);
InitDBusManager *fake_daemon_manager_proxy (FakeDaemon *fd);

/* Return once everything the stand-in sent so far has been handled on the app's side. */
void        fake_daemon_sync (FakeDaemon *fd);
/* The stand-in leaves the bus (its connection closes): the name loses its owner. */
void        fake_daemon_vanish (FakeDaemon *fd);
/* It comes back (a new connection owns the name) with the same objects and records. */
void        fake_daemon_appear (FakeDaemon *fd);

G_END_DECLS
