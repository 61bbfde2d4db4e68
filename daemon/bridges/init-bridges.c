/* init-bridges.c — adding the D-Bus event sources, see init-bridges.h */
#define G_LOG_DOMAIN "init-bridges"

#include "init-bridges.h"

void
init_bridges_add (InitSources              *sources,
                  const InitBridgesOptions *options)
{
  g_return_if_fail (sources != NULL && options != NULL && options->engine != NULL);

  /* Nothing yet: the `dbus' signal source comes next. */
}
