/* init-bridges.c — adding the D-Bus event sources, see init-bridges.h */
#define G_LOG_DOMAIN "init-bridges"

#include "init-bridges.h"
#include "init-dbus-source.h"
#include "init-logind-source.h"
#include "init-sys-relay.h"

void
init_bridges_add (InitSources              *sources,
                  const InitBridgesOptions *options)
{
  g_return_if_fail (sources != NULL && options != NULL && options->engine != NULL);

  if (options->bus_address != NULL)
    {
      InitDbusSource *dbus = init_dbus_source_new (options->engine, options->bus_address,
                                                   options->user_mode ? "session" : "system");

      init_sources_add (sources, (InitSource *) dbus);
    }
  /* A session daemon relays the system daemon's events (the system bus is found when a job
   * first names one). */
  if (options->user_mode)
    init_sources_add (sources, (InitSource *) init_sys_relay_new (options->engine, NULL));
  /* The system daemon follows logind's sessions (session daemons get them as :sys:). */
  else if (options->bus_address != NULL)
    init_sources_add (sources, (InitSource *) init_logind_source_new (options->engine,
                                                                      options->bus_address));
}
