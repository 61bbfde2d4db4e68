/* init-process-tree-reader.h — Instance.GetProcessTree, command lines for the trusted only
 *
 * Every local user may see which processes an instance has (pids, parents, roles: the
 * Processes property shows them too), but a command line can carry secrets
 * (`--password=…`), and /proc mounted with hidepid= hides other users' command lines on
 * purpose.  So command lines go only to callers the polkit action org.example.Init.read-history
 * allows (root always; on the session bus the daemon's own user); others get "".
 */
#pragma once

#include <gio/gio.h>

#include "init-instance.h"
#include "init-manager.h"

G_BEGIN_DECLS

/* Answer GetProcessTree for @instance on @invocation (its reference is taken over). */
void init_process_tree_reader_handle (InitManager           *manager,
                                      GDBusMethodInvocation *invocation,
                                      InitInstance          *instance);

G_END_DECLS
