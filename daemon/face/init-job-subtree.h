/* init-job-subtree.h — /org/example/Init/jobs: one registration answers for every job
 *
 * A GDBus subtree is one level deep: it is asked about /org/example/Init/jobs and its direct
 * children, which are the jobs.  Calls are dispatched to nodes it did not enumerate
 * (G_DBUS_SUBTREE_FLAGS_DISPATCH_TO_UNENUMERATED_NODES), so a call never lists the jobs: the
 * job is found from its path with one unescape and one hash lookup, and a path that names no
 * job is answered as GDBus answers for a path where nothing is registered.  Instances, one
 * level further down, are ordinary registrations (InitObjectTree).
 */
#pragma once

#include <gio/gio.h>

#include "init-engine.h"

G_BEGIN_DECLS

/* The vtable for g_dbus_connection_register_subtree(); user data: the InitManager. */
const GDBusSubtreeVTable *init_job_subtree_vtable (void);

/* The job at @path (/org/example/Init/jobs/JOB, JOB escaped exactly as the XML says), or
 * NULL. */
InitJob *init_job_subtree_lookup (InitEngine *engine,
                                  const char *path);

/* The error GDBus gives for a path where nothing is registered (UnknownMethod, "Object does
 * not exist at path “PATH”"), for a job or instance that is gone or never was. */
void                      init_job_subtree_return_unknown_object (GDBusMethodInvocation *invocation);
void                      init_job_subtree_set_unknown_object (GError    **error,
                                                               const char *path);

/* Abort unless @info has exactly @n_props properties: the vtables' Prop enums follow the
 * XML's order, and a property added there must not go unnoticed. */
void init_job_subtree_check_properties (GDBusInterfaceInfo *info,
                                        guint               n_props);

G_END_DECLS
