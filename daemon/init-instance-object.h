/* init-instance-object.h — one instance: /org/example/Init/jobs/JOB/INSTANCE
 *
 * A final subclass of the generated InitDBusInstanceSkeleton.  Properties are computed from
 * the engine's InitJob when asked; on every engine notification the ones that changed are
 * sent in one PropertiesChanged.
 */
#pragma once

#include <gio/gio.h>

#include "init-dbus-generated.h"
#include "init-engine.h"

G_BEGIN_DECLS

typedef struct _InitManager InitManager;

#define INIT_TYPE_INSTANCE_OBJECT (init_instance_object_get_type ())
G_DECLARE_FINAL_TYPE (InitInstanceObject, init_instance_object, INIT, INSTANCE_OBJECT,
                      InitDBusInstanceSkeleton)

InitInstanceObject  *init_instance_object_new        (InitManager        *manager,
                                                      InitJob            *job);
GDBusObjectSkeleton *init_instance_object_get_object (InitInstanceObject *self);
const char          *init_instance_object_get_path   (InitInstanceObject *self);
/* The instance changed: send PropertiesChanged with what differs from the last time. */
void                 init_instance_object_changed    (InitInstanceObject *self);

G_END_DECLS
