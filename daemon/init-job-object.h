/* init-job-object.h — one job: /org/example/Init/jobs/JOB (org.example.Init.Job)
 *
 * A final subclass of the generated InitDBusJobSkeleton.  Its properties are read from the
 * engine's job entry when asked (GetManagedObjects, Get, GetAll), so they are never stale and
 * cost no copies; a definition change sends PropertiesChanged.  It owns the instance
 * objects of the job.
 */
#pragma once

#include <gio/gio.h>

#include "init-dbus-generated.h"
#include "init-engine.h"
#include "init-instance-object.h"

G_BEGIN_DECLS

typedef struct _InitManager InitManager;

#define INIT_TYPE_JOB_OBJECT (init_job_object_get_type ())
G_DECLARE_FINAL_TYPE (InitJobObject, init_job_object, INIT, JOB_OBJECT, InitDBusJobSkeleton)

/* @manager is not referenced: it owns every job object. */
InitJobObject       *init_job_object_new               (InitManager   *manager,
                                                        InitJobEntry  *entry);
/* The GDBusObjectSkeleton to export (holds this interface). */
GDBusObjectSkeleton *init_job_object_get_object        (InitJobObject *self);
const char          *init_job_object_get_path          (InitJobObject *self);
InitJobEntry        *init_job_object_get_entry         (InitJobObject *self);

/* The definition (or the Deleted flag) changed: send PropertiesChanged. */
void                 init_job_object_changed           (InitJobObject *self);
/* Instances: create and export / update / unexport the instance object. */
void                 init_job_object_instance_added    (InitJobObject *self,
                                                        InitJob       *job);
void                 init_job_object_instance_changed  (InitJobObject *self,
                                                        InitJob       *job);
void                 init_job_object_instance_removed  (InitJobObject *self,
                                                        InitJob       *job);
/* Unexport every instance object (the job goes away). */
void                 init_job_object_clear             (InitJobObject *self);

G_END_DECLS
