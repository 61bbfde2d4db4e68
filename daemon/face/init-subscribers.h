/* init-subscribers.h — the clients following the daemon's signals (Manager.Subscribe)
 *
 * The daemon sends its signals (EventEmitted, EventFinished, HistoryRecord, JobAdded,
 * JobRemoved, the object tree's InterfacesAdded/InterfacesRemoved/PropertiesChanged,
 * InstanceAdded/InstanceRemoved, LogChanged) only while at least one client is subscribed;
 * then they are broadcast as before, so `gdbus monitor` and every match rule see them.  A task
 * run nobody follows costs one method reply instead of some forty signals.
 *
 * A subscriber is a bus name (the caller's unique name), kept until it calls Unsubscribe or
 * leaves the bus (NameOwnerChanged, through a match rule per name).  Subscribing twice is one
 * subscription; Unsubscribe of a name that is not subscribed does nothing.  At most
 * INIT_SUBSCRIBERS_MAX names are kept (each costs a match rule on the bus).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INIT_SUBSCRIBERS_MAX 1024

typedef struct _InitSubscribers InitSubscribers;

InitSubscribers *init_subscribers_new (void);
void             init_subscribers_free (InitSubscribers *self);

/* Follow names on @connection (NULL: none).  Forgets every subscriber: a name belongs to one
 * bus connection. */
void             init_subscribers_set_connection (InitSubscribers *self,
                                                  GDBusConnection *connection);

/* Subscribe @name (a unique name); G_DBUS_ERROR_LIMITS_EXCEEDED when full, and
 * G_DBUS_ERROR_FAILED without a connection. */
gboolean         init_subscribers_add (InitSubscribers *self,
                                       const char      *name,
                                       GError         **error);
/* A subscriber carried over a re-exec: its match rule is still on the connection. */
gboolean         init_subscribers_adopt (InitSubscribers *self,
                                         const char      *name,
                                         GError         **error);
void             init_subscribers_remove (InitSubscribers *self,
                                          const char      *name);
/* Whether anybody follows the signals now. */
gboolean         init_subscribers_any (InitSubscribers *self);
/* The subscribed names (for a re-exec to carry), NULL-terminated, newly allocated. */
char **init_subscribers_list (InitSubscribers *self);

G_END_DECLS
