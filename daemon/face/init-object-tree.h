/* init-object-tree.h — every job and instance on the bus, and their ObjectManager
 *
 * Jobs are not objects: one subtree registration at /org/example/Init/jobs answers for all of
 * them (init-job-subtree.c, init-job-vtable.c), so a job costs the face no memory however
 * many are loaded.
 * Instances, a few hundred at most, are registered one by one (init-instance-vtable.c).
 * org.freedesktop.DBus.ObjectManager on /org/example/Init is written by hand: GetManagedObjects
 * is serialised in one pass straight from the engine, and InterfacesAdded/InterfacesRemoved
 * carry exactly what GDBusObjectManagerServer would send, so GDBusObjectManagerClient (initctl,
 * init-admin) sees every job and instance as before.
 *
 * PropertiesChanged carries only what changed, and is coalesced per object: changes are noted
 * as they happen and sent from a high-priority idle (so once per main-loop iteration however
 * many states an instance walked through), or earlier by init_object_tree_flush(), which the
 * face calls before every method reply so a client's cached properties are current when its
 * reply arrives.  An instance's last values are sent before it is removed.
 *
 * Signals go out only while a client is subscribed (Manager.Subscribe, init-subscribers.h);
 * meanwhile changes are still noted, so what was sent last stays the base of the next diff.
 *
 * The manager (InitManager) owns the tree and tells it what the engine does, so the order of
 * its own signals (JobAdded after InterfacesAdded, ...) stays its own.
 */
#pragma once

#include <gio/gio.h>

#include "init-engine.h"

G_BEGIN_DECLS

typedef struct _InitManager InitManager;

#define INIT_TYPE_OBJECT_TREE (init_object_tree_get_type ())
G_DECLARE_FINAL_TYPE (InitObjectTree, init_object_tree, INIT, OBJECT_TREE, GObject)

/* @manager is not referenced (it owns the tree) and is the user data of the vtables. */
InitObjectTree *init_object_tree_new (InitManager     *manager,
                                      InitEngine      *engine);

/* Register the object manager, the job subtree and every instance on @connection (FALSE if
 * any of that fails); detach unregisters everything and drops the connection. */
gboolean         init_object_tree_attach (InitObjectTree  *self,
                                          GDBusConnection *connection,
                                          GError         **error);
void             init_object_tree_detach (InitObjectTree *self);
/* The attached connection, or NULL. */
GDBusConnection *init_object_tree_get_connection (InitObjectTree *self);

/* What the engine did (the manager forwards its signals). */
void             init_object_tree_job_added (InitObjectTree *self,
                                             InitJob        *entry);
void             init_object_tree_job_changed (InitObjectTree *self,
                                               InitJob        *entry);
void             init_object_tree_job_removed (InitObjectTree *self,
                                               InitJob        *entry);
void             init_object_tree_instance_added (InitObjectTree *self,
                                                  InitInstance   *job);
void             init_object_tree_instance_changed (InitObjectTree *self,
                                                    InitInstance   *job);
void             init_object_tree_instance_removed (InitObjectTree *self,
                                                    InitInstance   *job);

/* Send every pending PropertiesChanged now. */
void             init_object_tree_flush (InitObjectTree *self);

/* ListJobs' reply: every job (in load order) as (name, description, path, instances), each
 * instance (by name) as (path, all its properties); pending changes are flushed first. */
GVariant *init_object_tree_list_jobs (InitObjectTree *self);

/* The exported instance at @path (/org/example/Init/jobs/JOB/INSTANCE), or NULL. */
InitInstance *init_object_tree_lookup_instance (InitObjectTree *self,
                                                const char     *path);

/* Subscribers (Manager.Subscribe): @name is a unique bus name, forgotten when it leaves the
 * bus or on detach.  is_followed: attached and somebody subscribed, so signals go out. */
gboolean         init_object_tree_subscribe (InitObjectTree *self,
                                             const char     *name,
                                             GError        **error);
/* A subscriber carried over a re-exec (its match rule is still on the connection). */
void             init_object_tree_subscribe_carried (InitObjectTree *self,
                                                     const char     *name);
void             init_object_tree_unsubscribe (InitObjectTree *self,
                                               const char     *name);
gboolean         init_object_tree_is_followed (InitObjectTree *self);
char **init_object_tree_list_subscribers (InitObjectTree *self);

/* Send signal @member of @interface_name from @path on the attached connection (@params, a
 * tuple, is consumed if floating; nothing is sent while detached or while nobody is
 * subscribed). */
void             init_object_tree_emit (InitObjectTree *self,
                                        const char     *path,
                                        const char     *interface_name,
                                        const char     *member,
                                        GVariant       *params);

G_END_DECLS
