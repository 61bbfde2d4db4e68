/* init-prefix-stream.c — an input stream that first returns some bytes, then reads another */
#define G_LOG_DOMAIN "init-service"

#include <string.h>

#include "init-prefix-stream.h"

struct _InitPrefixStream
{
  GInputStream parent_instance;

  GBytes       *prefix;
  gsize         offset;
  GInputStream *base;
};

static void init_prefix_stream_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InitPrefixStream, init_prefix_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      init_prefix_stream_pollable_iface_init))

static gsize
prefix_left (InitPrefixStream *self)
{
  return self->prefix != NULL ? g_bytes_get_size (self->prefix) - self->offset : 0;
}

static gssize
take_prefix (InitPrefixStream *self,
             void             *buffer,
             gsize             count)
{
  gsize n = MIN (count, prefix_left (self));

  memcpy (buffer, (const guint8 *) g_bytes_get_data (self->prefix, NULL) + self->offset, n);
  self->offset += n;
  if (prefix_left (self) == 0)
    g_clear_pointer (&self->prefix, g_bytes_unref);
  return n;
}

static gssize
init_prefix_stream_read (GInputStream *stream,
                         void         *buffer,
                         gsize         count,
                         GCancellable *cancellable,
                         GError      **error)
{
  InitPrefixStream *self = INIT_PREFIX_STREAM (stream);

  if (prefix_left (self) > 0)
    return take_prefix (self, buffer, count);
  return g_input_stream_read (self->base, buffer, count, cancellable, error);
}

static gboolean
init_prefix_stream_close (GInputStream *stream,
                          GCancellable *cancellable,
                          GError      **error)
{
  return g_input_stream_close (INIT_PREFIX_STREAM (stream)->base, cancellable, error);
}

static gboolean
init_prefix_stream_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
init_prefix_stream_is_readable (GPollableInputStream *stream)
{
  InitPrefixStream *self = INIT_PREFIX_STREAM (stream);

  return prefix_left (self) > 0
         || g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
init_prefix_stream_create_source (GPollableInputStream *stream,
                                  GCancellable         *cancellable)
{
  InitPrefixStream *self = INIT_PREFIX_STREAM (stream);
  g_autoptr(GSource) child = NULL;

  /* Ready at once while saved bytes are left; then as ready as the socket. */
  if (prefix_left (self) > 0)
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
init_prefix_stream_read_nonblocking (GPollableInputStream *stream,
                                     void                 *buffer,
                                     gsize                 count,
                                     GError              **error)
{
  InitPrefixStream *self = INIT_PREFIX_STREAM (stream);

  if (prefix_left (self) > 0)
    return take_prefix (self, buffer, count);
  return g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), buffer,
                                                   count, NULL, error);
}

static void
init_prefix_stream_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = init_prefix_stream_can_poll;
  iface->is_readable = init_prefix_stream_is_readable;
  iface->create_source = init_prefix_stream_create_source;
  iface->read_nonblocking = init_prefix_stream_read_nonblocking;
}

static void
init_prefix_stream_finalize (GObject *object)
{
  InitPrefixStream *self = INIT_PREFIX_STREAM (object);

  g_clear_pointer (&self->prefix, g_bytes_unref);
  g_clear_object (&self->base);
  G_OBJECT_CLASS (init_prefix_stream_parent_class)->finalize (object);
}

static void
init_prefix_stream_class_init (InitPrefixStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = init_prefix_stream_finalize;
  stream_class->read_fn = init_prefix_stream_read;
  stream_class->close_fn = init_prefix_stream_close;
}

static void
init_prefix_stream_init (InitPrefixStream *self)
{
}

GInputStream *
init_prefix_stream_new (GBytes       *prefix,
                        GInputStream *base)
{
  InitPrefixStream *self = g_object_new (INIT_TYPE_PREFIX_STREAM, NULL);

  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (base), NULL);
  if (prefix != NULL && g_bytes_get_size (prefix) > 0)
    self->prefix = g_bytes_ref (prefix);
  self->base = g_object_ref (base);
  return G_INPUT_STREAM (self);
}
