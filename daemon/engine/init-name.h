/* init-name.h — job and instance names as single path elements (object paths, log files)
 *
 * One escaping for every place a name becomes part of a path, so two different names can
 * never give the same element: [A-Za-z0-9] are kept, every other byte becomes "_" plus two
 * lowercase hex digits, and the empty name is "_" (org.example.Init.xml, the header).  The
 * result contains no "/", ".", "-" or NUL, so those can separate escaped names.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Append @name escaped to @out. */
void   init_name_append_escaped (GString    *out,
                                 const char *name);

G_END_DECLS
