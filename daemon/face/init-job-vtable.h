/* init-job-vtable.h — org.example.Init.Job at /org/example/Init/jobs/JOB
 *
 * There is no object per job: InitObjectTree registers one subtree for every job path and
 * dispatches to this vtable, whose user data is the InitManager.  The job is found from the
 * object path each time (one unescape and one hash lookup), so a job costs the face no memory
 * and is never stale.  Properties are written from the engine's entry on demand; methods check
 * their input, authorize (before touching anything) and then act on the engine, as the XML
 * documents.
 */
#pragma once

#include <gio/gio.h>

#include "init-engine.h"
#include "init-variant-writer.h"

G_BEGIN_DECLS

#define INIT_JOB_INTERFACE "org.example.Init.Job"

/* The vtable for a subtree dispatch; user data: the InitManager. */
const GDBusInterfaceVTable *init_job_vtable_get (void);

/* What the properties of a job are written from besides its name: the definition in force
 * (running instances keep theirs until they stop), whether its file is gone, and whether it
 * is enabled, which follows its newest definition (Enable/Disable act on the files now). */
typedef struct
{
  const InitJobClass *klass;
  gboolean            deleted;
  gboolean            enabled;
} InitJobView;

/* @entry's view now (borrows its class). */
void init_job_view_init (InitJobView *view,
                         InitJob     *entry);

/* Write @entry's properties, all of them in the XML's order, as an a{sv}. */
void                        init_job_vtable_write_properties (InitVariantWriter *writer,
                                                              InitJob           *entry);
/* The properties of job @name that differ between @before and @now, as a new floating
 * a{sv}, or NULL if none does. */
GVariant *init_job_vtable_diff (const char        *name,
                                const InitJobView *before,
                                const InitJobView *now);

G_END_DECLS
