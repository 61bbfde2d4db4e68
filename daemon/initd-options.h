/* initd-options.h — initd's command line and log output
 *
 * Kept out of main() so that it only parses and runs (init-daemon.h).
 */
#pragma once

#include "init-daemon.h"

G_BEGIN_DECLS

/* Log records on stderr as "initd: text", filtered by -v/--debug (set by the options). */
void  initd_options_set_log_writer (void);
/* Parse and check the command line into @options.  Returns -1 to go on, or the exit status
 * to end with (0 after --version, 2 for a bad option; the message is printed). */
int   initd_options_parse (InitDaemonOptions *options,
                           int               *argc,
                           char            ***argv);

G_END_DECLS
