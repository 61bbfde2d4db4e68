/* init-source.h — one event source, as the registry (init-sources.h) drives it
 *
 * A source serves some event names (glob patterns: "file", "*-device-*", ":sys:*") and is
 * armed with exactly the `start on'/`stop on' leaves of the loaded jobs that name them, so it
 * watches what they name and nothing else.  Sources live in the engine (file, udev, …) or
 * outside it (the D-Bus ones in daemon/bridges/), and emit through the engine like any other
 * event (init_engine_emit).  A source embeds InitSource as its first member:
 *
 *   static const InitSourceClass my_class = { my_arm, my_disarm, my_free };
 *   static const char *const my_events[] = { "dbus", NULL };
 *   self->parent = (InitSource) { &my_class, "dbus", my_events };
 *   init_sources_add (sources, &self->parent);
 */
#pragma once

#include <glib.h>

#include "init-event-operator.h"

G_BEGIN_DECLS

typedef struct _InitSource InitSource;
typedef struct _InitSources InitSources;

/* What a source does now, as shown to people (EventSources, `initctl list-sources'). */
typedef enum
{
  INIT_SOURCE_INACTIVE,   /* no job names its events: it watches nothing */
  INIT_SOURCE_ACTIVE,     /* armed with what the jobs name */
  INIT_SOURCE_FAILED,     /* jobs need it but it cannot watch (the detail says why) */
} InitSourceState;

/* One leaf naming a source's event. */
typedef struct
{
  const char              *job;    /* the job whose condition it is in (borrowed) */
  const InitEventOperator *leaf;   /* an INIT_EVENT_OPERATOR_MATCH node (borrowed) */
} InitSourceLeaf;

typedef struct
{
  /* Watch exactly what @leaves name (InitSourceLeaf *, at least one, borrowed for the call):
   * arm what is new, drop what no leaf names any more, keep the rest as it is.  Called after
   * every change to the jobs, so it must be cheap when nothing changed. */
  void (*arm)(InitSource *source,
              GPtrArray  *leaves);
  /* No job names the source's events any more: watch nothing, hold nothing. */
  void (*disarm)(InitSource *source);
  /* Disarmed first by the registry, which owns the source. */
  void (*free)(InitSource *source);
} InitSourceClass;

struct _InitSource
{
  const InitSourceClass *klass;
  const char            *name;     /* "file", "udev", "dbus": in messages and listings */
  const char *const     *events;   /* NULL-terminated glob patterns (g_pattern_match_simple) of
                                    * the event names it serves */
  /*< read-only, kept by the registry: what is shown >*/
  InitSourceState state;
  char           *detail;   /* what it watches, or why it failed; "" if nothing to say */
  GPtrArray      *jobs;     /* names of the jobs naming its events (owned strings, sorted) */
  /*< private: the registry's >*/
  gboolean     armed;
  InitSources *registry;
};

/* Does @source serve events called @name? */
gboolean init_source_serves (const InitSource *source,
                             const char       *name);
/* @source says what it does now (from arm() or whenever it changes): @detail is what it
 * watches (e.g. "3 paths") or, with INIT_SOURCE_FAILED, why it cannot (NULL: "").  A
 * failure is logged once, when it starts or its reason changes; repeating the same report
 * does nothing.  The registry shows INACTIVE with no detail while no job names the source's
 * events, and ACTIVE with no detail when one first does; otherwise the last report stands. */
void        init_source_report (InitSource     *source,
                                InitSourceState state,
                                const char     *detail);
/* "inactive", "active", "failed". */
const char *init_source_state_to_string (InitSourceState state);

G_END_DECLS
