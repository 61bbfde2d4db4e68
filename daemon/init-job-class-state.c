/* init-job-class-state.c — (being written) */
#define G_LOG_DOMAIN "init-engine"
#include "init-job-class-state.h"
