/* init-kernel-names.h — the kernel's signal and resource-limit names as job files, logs,
 * history and the saved state write them: one table of each, for the parser, the process
 * code and save/restore alike */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Signal name without "SIG" ("TERM"), or the number as text for unknown signals.
 * Returns a newly allocated string. */
char *init_signal_to_name (int signum);
/* "TERM" or "SIGTERM" to 15; -1 if not a known signal name (numbers are not names). */
int         init_signal_from_name (const char *name);
/* A signal name, or the number of a signal that exists ("15"); -1 otherwise. */
int         init_signal_parse (const char *text);

/* The `limit` stanza's word for RLIMIT_* @resource ("nofile"); NULL if it has none. */
const char *init_limit_to_name (int resource);
/* RLIMIT_* for a `limit` word; -1 if unknown. */
int         init_limit_from_name (const char *name);

G_END_DECLS
