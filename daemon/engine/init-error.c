/* init-error.c — error domains of the engine */
#include "init-error.h"

G_DEFINE_QUARK (init-error-quark, init_error)
G_DEFINE_QUARK (init-parse-error-quark, init_parse_error)
