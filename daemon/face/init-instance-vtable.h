/* init-instance-vtable.h — org.example.Init.Instance at /org/example/Init/jobs/JOB/INSTANCE
 *
 * Each instance is registered on the connection by InitObjectTree (there are a few hundred at
 * most) with this vtable, whose user data is the InitManager.  Properties are read from the
 * engine's InitInstance when asked.  An InitInstanceView is what a client sees of an instance: the
 * tree keeps the last one it sent, so PropertiesChanged carries exactly what changed since.
 */
#pragma once

#include <gio/gio.h>

#include "init-engine.h"
#include "init-variant-writer.h"

G_BEGIN_DECLS

#define INIT_INSTANCE_INTERFACE "org.example.Init.Instance"

/* Every property (a mask for init_instance_vtable_write_properties). */
#define INIT_INSTANCE_ALL_PROPERTIES (~0u)

typedef struct
{
  InitGoal    goal;
  InitState   state;
  pid_t       pid[INIT_PROCESS_N];
  gboolean    failed;
  const char *failed_process;    /* static: "", "respawn" or a process name */
  gint32      exit_status;       /* as shown: -1 unless a process failed with a status */
  int         exit_signal;       /* 0, or the signal that killed the failed process */
  guint64     failed_at;         /* µs since the epoch, 0 if it did not fail */
  guint32     respawn_count;
} InitInstanceView;

/* What a client sees of @job now. */
void     init_instance_view_init (InitInstanceView *view,
                                  InitInstance     *job);
/* The properties that differ between @a and @b: bit N for the XML's Nth property. */
guint    init_instance_view_diff (const InitInstanceView *a,
                                  const InitInstanceView *b);

/* Write the properties of @job in @mask (in the XML's order) as an a{sv}, values from @view;
 * @job_path: the path of its job. */
void     init_instance_vtable_write_properties (InitVariantWriter      *writer,
                                                InitInstance           *job,
                                                const char             *job_path,
                                                const InitInstanceView *view,
                                                guint                   mask);

/* The vtable for each instance registration; user data: the InitManager. */
const GDBusInterfaceVTable *init_instance_vtable_get (void);

G_END_DECLS
