/* init-proc-info.c — (being written) */
#define G_LOG_DOMAIN "init-engine"
#include "init-proc-info.h"
