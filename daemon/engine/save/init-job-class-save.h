/* init-job-class-save.h — a job class as a GVariant, and back (for re-exec)
 *
 * The form is an a{sv} dictionary with one key per field of InitJobClass ("name", "path",
 * "start-on", "process", "limits", …).  Readers ignore keys they do not know and use the
 * §1.3 default for keys that are missing, so a newer daemon reads an older daemon's classes
 * and an older one reads a newer's (forward and backward compatible).  Operator trees are
 * stored structurally (postfix), never re-parsed from text, so what comes back is exactly
 * what went in; latched state is not part of a class (see init_event_operator_leaves()).
 */
#pragma once

#include <glib.h>

#include "init-event-operator-save.h"
#include "init-job-class.h"

G_BEGIN_DECLS

GVariant *init_job_class_to_variant (const InitJobClass *klass);
/* NULL with INIT_ERROR_INVALID_ARGS if @variant is not an a{sv} or a value has the wrong
 * type / is out of range (a corrupt state never yields a class that could not be parsed). */
InitJobClass *init_job_class_from_variant (GVariant *variant,
                                           GError  **error);

G_END_DECLS
