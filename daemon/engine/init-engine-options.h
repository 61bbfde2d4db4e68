/* init-engine-options.h — how the daemon runs, as the engine and its instances see it */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean user_mode;           /* session daemon: inherit environment, keep cwd */
  char    *log_dir;             /* for `console log`; NULL: logging as `console none` */
  char   **extra_env;           /* added to every process (e.g. INIT_ADDRESS), may be NULL */
  gboolean no_proc_connector;   /* track forks by scanning /proc only (tests, containers) */
  char    *command_dir;         /* put first on the jobs' PATH (start, stop, … as links to
                                 * initctl), NULL: none */
} InitEngineOptions;

G_END_DECLS
