/* init-object-tree-private.h — the object tree's insides, shared by init-object-tree.c
 * (exports, signals, coalescing) and init-object-tree-replies.c (the replies that list the
 * whole tree) */
#pragma once

#include "init-instance-vtable.h"
#include "init-object-tree.h"
#include "init-subscribers.h"
#include "init-variant-writer.h"

G_BEGIN_DECLS

/* An exported instance. */
typedef struct
{
  InitInstance    *job;
  char            *path;
  char            *job_path;
  guint            registration;   /* 0 while detached */
  InitInstanceView sent;           /* what clients were told last */
  gboolean         dirty;          /* changed since */
} Instance;

struct _InitObjectTree
{
  GObject parent_instance;

  InitManager     *manager;          /* not owned: it owns us */
  InitEngine      *engine;
  GDBusConnection *connection;
  guint            manager_registration;
  guint            subtree_registration;

  GHashTable *instances;             /* InitInstance* -> Instance* (owned) */
  GHashTable *paths;                 /* instance path -> Instance* */
  /* The definition clients were told of, per job, to send only what a change changed. */
  GHashTable *announced;             /* InitJob* (ref) -> Announced*: what clients know */

  InitSubscribers *subscribers;      /* who follows the signals (none: none are sent) */

  GPtrArray *dirty_jobs;             /* InitJob* (ref) */
  GPtrArray *dirty_instances;        /* InitInstance* (ref) */
  guint      flush_id;
};

/* Open (o a{sa{sv}}) up to the property dict of @interface_name at @path. */
void      init_object_tree_open_object (InitVariantWriter *writer,
                                        const char        *path,
                                        const char        *interface_name);
void      init_object_tree_close_object (InitVariantWriter *writer);
/* @inst as (o a{sa{sv}}) with all its properties, as clients were told them. */
void      init_object_tree_write_instance (InitVariantWriter *writer,
                                           Instance          *inst);
/* GetManagedObjects' reply: every job (in load order) with its instances (by name). */
GVariant *init_object_tree_write_managed_objects (InitObjectTree *self);

G_END_DECLS
