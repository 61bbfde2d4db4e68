/* init-source-list.h — the manager's EventSources property, from the sources' registry
 *
 * EventSources (a(sssas): name, state, detail, jobs) is set again whenever the registry
 * says what it shows may have changed; the generated skeleton sends PropertiesChanged only
 * when the value differs.
 */
#pragma once

#include "init-dbus-generated.h"
#include "init-sources.h"

G_BEGIN_DECLS

/* The registry's sources as an a(sssas) (floating). */
GVariant *init_source_list_to_variant (InitSources *sources);
/* Keep @manager's EventSources up to date with @sources from now on, until the manager is
 * freed (which must happen before the sources are). */
void      init_source_list_follow (InitDBusManager *manager,
                                   InitSources     *sources);

G_END_DECLS
