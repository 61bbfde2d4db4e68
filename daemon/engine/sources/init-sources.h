/* init-sources.h — event sources armed by what the loaded jobs wait for
 *
 * Follows the engine's jobs ("job-added", "job-changed", "job-removed") and, once the changes
 * have settled (an idle callback), collects the leaves of every job's `start on' and
 * `stop on', and gives each source (init-source.h) exactly the leaves naming the events it
 * serves: nothing is watched, bound or subscribed while no job names a source's events.
 * Sources emit through the engine like any other event.  Built in: `file'
 * (init-file-source.h), udev's `*-device-*' (init-udev-source.h), `socket'
 * (init-socket-source.h), the network (init-net-source.h); others are added by their owners (the daemon adds the D-Bus ones
 * from daemon/bridges/).
 *
 * It also keeps what is shown to people (EventSources, `initctl list-sources'): for each
 * source its state, a detail and the jobs that need it (init-source.h).
 */
#pragma once

#include "init-engine.h"
#include "init-source.h"

G_BEGIN_DECLS

/* Follows @engine (a weak reference: free the sources before the engine). */
InitSources *init_sources_new (InitEngine *engine);
/* Disarms and frees every source. */
void         init_sources_free (InitSources *sources);
/* Take @source (transfer full) and arm it with what the jobs name, at the next idle. */
void         init_sources_add (InitSources *sources,
                               InitSource  *source);
/* Re-arm now instead of at the next idle (tests, and start-up before the first event). */
void         init_sources_update (InitSources *sources);
/* The sources, in the order they were added (a new array of borrowed pointers). */
GPtrArray *init_sources_list (InitSources *sources);
/* Call @func whenever what the sources show (state, detail, jobs) may have changed; one
 * function at a time, NULL for none. */
void         init_sources_set_changed_func (InitSources *sources,
                                            void (      *func )(gpointer user_data),
                                            gpointer     user_data);
/* The paths the file source watches now (a new array of borrowed strings, sorted). */
GPtrArray *init_sources_list_files (InitSources *sources);

/* The subsystems the udev source listens to now (a new NULL-terminated sorted array). */
char **init_sources_list_subsystems (InitSources *sources);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitSources, init_sources_free)

G_END_DECLS
