/* init-prefix-stream.h — an input stream that first returns some bytes, then reads another
 *
 * After a re-exec the daemon keeps its bus socket, but messages the old process had already
 * read (and saved) must still be handled: the new connection reads them first from this
 * stream, then whatever is waiting in the socket.  Pollable, so GDBus reads it without a
 * thread of its own.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INIT_TYPE_PREFIX_STREAM (init_prefix_stream_get_type ())
G_DECLARE_FINAL_TYPE (InitPrefixStream, init_prefix_stream, INIT, PREFIX_STREAM, GInputStream)

/* @base must be a pollable input stream (a socket's). */
GInputStream *init_prefix_stream_new (GBytes       *prefix,
                                      GInputStream *base);

G_END_DECLS
