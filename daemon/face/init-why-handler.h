/* init-why-handler.h — Manager.Why and Manager.WhyNot on the bus
 *
 * The engine computes the answers (init-why.h); this turns them into the replies the XML
 * documents.  Why's chain is made of history records, so it carries the same private keys
 * as GetHistory: the caller gets them only if org.example.Init.read-history allows it
 * (checked without interaction unless the caller allows it), otherwise the chain without
 * them.  WhyNot shows nothing private and is answered at once.
 */
#pragma once

#include <gio/gio.h>

#include "init-manager.h"

G_BEGIN_DECLS

/* The generated interface's handlers (InitDBusManagerIface.handle_why / handle_why_not);
 * @object is the InitManager. */
gboolean init_why_handler_why (InitDBusManager       *object,
                               GDBusMethodInvocation *invocation,
                               const char            *job,
                               const char *const     *env);
gboolean init_why_handler_why_not (InitDBusManager       *object,
                                   GDBusMethodInvocation *invocation,
                                   const char            *job);

G_END_DECLS
