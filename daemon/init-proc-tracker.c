/* init-proc-tracker.c — (being written) */
#define G_LOG_DOMAIN "init-engine"
#include "init-proc-tracker.h"
