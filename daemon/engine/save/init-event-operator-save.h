/* init-event-operator-save.h — an event operator tree as a GVariant, and back (for re-exec)
 *
 * Trees are stored structurally (postfix), never re-parsed from text, so what comes back is
 * exactly what went in.  Latched state is not part of the form: saved instances refer to
 * leaves by their index in init_event_operator_leaves().
 */
#pragma once

#include <glib.h>

#include "init-event-operator.h"

G_BEGIN_DECLS

/* The GVariant type of a saved tree. */
#define INIT_EVENT_OPERATOR_VARIANT_TYPE "a(ybsas)"

/* An operator tree as a(ybsas) in postfix order: (type, value, name, args) — OR/AND nodes
 * have empty name and args.  NULL tree → empty array. */
GVariant *init_event_operator_to_variant (const InitEventOperator *op);
/* *@op is set to NULL for an empty array. */
gboolean           init_event_operator_from_variant (GVariant           *variant,
                                                     InitEventOperator **op,
                                                     GError            **error);
/* The MATCH leaves of @op in the same order to_variant writes them (left to right): the
 * index of a leaf in this array is how saved latched state refers to it.  Borrowed pointers;
 * no recursion (trees may be 4096 deep). */
GPtrArray *init_event_operator_leaves (InitEventOperator *op);

G_END_DECLS
