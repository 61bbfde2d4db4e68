/* init-variant-writer.c — GVariant values written straight in their serialised form */
#define G_LOG_DOMAIN "init-variant-writer"

#include <string.h>

#include "init-variant-writer.h"

/* The format is GVariant's (docs/reference/glib/gvariant-specification-1.0): every value is
 * aligned relative to the start of its container, and since every container starts aligned to
 * its own alignment, which is at least that of its members, aligning absolute offsets in the
 * one buffer is the same thing.  Variable-sized containers end with framing offsets: one per
 * element for arrays (in order), one per variable-sized member but the last for tuples (in
 * reverse order), all of the smallest size that can address the whole container. */

typedef enum
{
  FRAME_ROOT,
  FRAME_TUPLE,
  FRAME_ARRAY,
  FRAME_VARIANT,
} FrameKind;

typedef struct
{
  FrameKind kind;
  gsize     start;         /* offset of the container's first byte */
  guint     first_offset;  /* this frame's first entry in ->offsets */
  guint     align;         /* alignment mask of the container (fixed tuples round up to it) */
  gboolean  fixed;         /* tuple: of fixed size; array: of fixed-size elements */
  gboolean  has_pending;   /* tuple: the last member was variable-sized ... */
  gsize     pending;       /* ... and ended here (an offset unless it is the last) */
  guint     n_members;
} Frame;

/* Deeper than anything the face writes (a{oa{sa{sv}}} holding aas is 11 levels). */
#define MAX_DEPTH 32

/* Plain arrays rather than GByteArray/GArray: this is the innermost loop of the biggest
 * replies, and every append is a bounds check and a copy. */
struct _InitVariantWriter
{
  guint8 *data;
  gsize   len;
  gsize   allocated;
  gsize  *offsets;       /* framing offsets of the open containers */
  gsize   n_offsets;
  gsize   allocated_offsets;
  Frame   frames[MAX_DEPTH];  /* innermost last */
  guint   depth;
};

InitVariantWriter *
init_variant_writer_new (gsize reserve)
{
  InitVariantWriter *writer = g_new0 (InitVariantWriter, 1);

  writer->allocated = MAX (reserve, 64);
  writer->data = g_malloc (writer->allocated);
  writer->allocated_offsets = 64;
  writer->offsets = g_new (gsize, writer->allocated_offsets);
  writer->frames[0].kind = FRAME_ROOT;
  writer->depth = 1;
  return writer;
}

void
init_variant_writer_free (InitVariantWriter *writer)
{
  if (writer == NULL)
    return;
  g_free (writer->data);
  g_free (writer->offsets);
  g_free (writer);
}

static inline Frame *
top (InitVariantWriter *writer)
{
  return &writer->frames[writer->depth - 1];
}

static inline void
reserve (InitVariantWriter *writer,
         gsize              more)
{
  if (G_UNLIKELY (writer->len + more > writer->allocated))
    {
      writer->allocated = MAX (writer->allocated * 2, writer->len + more);
      writer->data = g_realloc (writer->data, writer->allocated);
    }
}

static inline void
append (InitVariantWriter *writer,
        gconstpointer      bytes,
        gsize              len)
{
  reserve (writer, len);
  memcpy (writer->data + writer->len, bytes, len);
  writer->len += len;
}

static inline void
pad (InitVariantWriter *writer,
     guint              align)
{
  gsize n = (-writer->len) & align;

  if (n > 0)
    {
      reserve (writer, n);
      memset (writer->data + writer->len, 0, n);
      writer->len += n;
    }
}

static inline void
push_offset (InitVariantWriter *writer,
             gsize              offset)
{
  if (G_UNLIKELY (writer->n_offsets == writer->allocated_offsets))
    {
      writer->allocated_offsets *= 2;
      writer->offsets = g_renew (gsize, writer->offsets, writer->allocated_offsets);
    }
  writer->offsets[writer->n_offsets++] = offset;
}

/* Before a value: a tuple learns that its previous variable-sized member was not the last. */
static void
member_begin (InitVariantWriter *writer,
              guint              align)
{
  Frame *frame = top (writer);

  if (frame->kind == FRAME_TUPLE && frame->has_pending)
    {
      push_offset (writer, frame->pending);
      frame->has_pending = FALSE;
    }
  g_assert (frame->kind == FRAME_TUPLE || frame->kind == FRAME_ARRAY || frame->n_members == 0);
  frame->n_members++;
  pad (writer, align);
}

/* After a value: record where it ended, if its container frames it. */
static void
member_end (InitVariantWriter *writer,
            gboolean           variable)
{
  Frame *frame = top (writer);
  gsize end = writer->len - frame->start;

  if (frame->kind == FRAME_TUPLE && variable)
    {
      frame->has_pending = TRUE;
      frame->pending = end;
    }
  else if (frame->kind == FRAME_ARRAY && !frame->fixed)
    push_offset (writer, end);
}

static gsize
offset_size_for (gsize body,
                 gsize n)
{
  if (n == 0)
    return 0;
  if (body + n <= G_MAXUINT8)
    return 1;
  if (body + 2 * n <= G_MAXUINT16)
    return 2;
  if (body + 4 * n <= G_MAXUINT32)
    return 4;
  return 8;
}

static void
write_offsets (InitVariantWriter *writer,
               const Frame       *frame,
               gboolean           reverse)
{
  gsize n = writer->n_offsets - frame->first_offset;
  gsize size = offset_size_for (writer->len - frame->start, n);
  guint8 *out;

  reserve (writer, n * size);
  out = writer->data + writer->len;
  for (gsize i = 0; i < n; i++)
    {
      gsize value = writer->offsets[frame->first_offset + (reverse ? n - 1 - i : i)];

      for (gsize b = 0; b < size; b++)
        *out++ = (guint8) (value >> (8 * b));
    }
  writer->len += n * size;
  writer->n_offsets = frame->first_offset;
}

static void
push (InitVariantWriter *writer,
      FrameKind          kind,
      guint              align,
      gboolean           fixed)
{
  Frame frame = { kind, writer->len, (guint) writer->n_offsets, align, fixed, FALSE, 0, 0 };

  g_assert (writer->depth < MAX_DEPTH);
  writer->frames[writer->depth++] = frame;
}

static Frame
pop (InitVariantWriter *writer,
     FrameKind          kind)
{
  Frame frame = *top (writer);

  g_assert (frame.kind == kind);
  writer->depth--;
  return frame;
}

void
init_variant_writer_string (InitVariantWriter *writer,
                            const char        *value)
{
  gsize len;

  if (value == NULL)
    value = "";
  len = strlen (value);
  member_begin (writer, INIT_VARIANT_ALIGN_1);
  /* The value is trusted as it is written: a string that is not UTF-8 (a file name can be
   * anything) would reach GDBus's serialiser, which aborts on it. */
  if (G_LIKELY (g_utf8_validate_len (value, len, NULL)))
    append (writer, value, len + 1);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, len);

      append (writer, valid, strlen (valid) + 1);
    }
  member_end (writer, TRUE);
}

void
init_variant_writer_boolean (InitVariantWriter *writer,
                             gboolean           value)
{
  guint8 byte = value ? 1 : 0;

  member_begin (writer, INIT_VARIANT_ALIGN_1);
  append (writer, &byte, 1);
  member_end (writer, FALSE);
}

void
init_variant_writer_int32 (InitVariantWriter *writer,
                           gint32             value)
{
  member_begin (writer, INIT_VARIANT_ALIGN_4);
  append (writer, &value, sizeof value);
  member_end (writer, FALSE);
}

void
init_variant_writer_uint32 (InitVariantWriter *writer,
                            guint32            value)
{
  member_begin (writer, INIT_VARIANT_ALIGN_4);
  append (writer, &value, sizeof value);
  member_end (writer, FALSE);
}

void
init_variant_writer_uint64 (InitVariantWriter *writer,
                            guint64            value)
{
  member_begin (writer, INIT_VARIANT_ALIGN_8);
  append (writer, &value, sizeof value);
  member_end (writer, FALSE);
}

void
init_variant_writer_strv (InitVariantWriter *writer,
                          const char *const *values,
                          gsize              n)
{
  init_variant_writer_open_array (writer, INIT_VARIANT_ALIGN_1, FALSE);
  for (gsize i = 0; i < n; i++)
    init_variant_writer_string (writer, values[i]);
  init_variant_writer_close_array (writer);
}

void
init_variant_writer_open_tuple (InitVariantWriter *writer,
                                guint              align,
                                gboolean           fixed_size)
{
  member_begin (writer, align);
  push (writer, FRAME_TUPLE, align, fixed_size);
}

void
init_variant_writer_close_tuple (InitVariantWriter *writer)
{
  Frame frame = pop (writer, FRAME_TUPLE);

  /* The last variable-sized member needs no offset: it ends where the offsets begin. */
  if (frame.fixed)
    {
      g_assert (writer->n_offsets == frame.first_offset);
      pad (writer, frame.align);
    }
  else
    write_offsets (writer, &frame, TRUE);
  member_end (writer, !frame.fixed);
}

void
init_variant_writer_open_array (InitVariantWriter *writer,
                                guint              align,
                                gboolean           fixed_elements)
{
  member_begin (writer, align);
  push (writer, FRAME_ARRAY, align, fixed_elements);
}

void
init_variant_writer_close_array (InitVariantWriter *writer)
{
  Frame frame = pop (writer, FRAME_ARRAY);

  if (!frame.fixed)
    write_offsets (writer, &frame, FALSE);
  member_end (writer, TRUE);
}

void
init_variant_writer_open_variant (InitVariantWriter *writer)
{
  member_begin (writer, INIT_VARIANT_ALIGN_8);
  push (writer, FRAME_VARIANT, INIT_VARIANT_ALIGN_8, FALSE);
}

void
init_variant_writer_close_variant (InitVariantWriter *writer,
                                   const char        *type_string)
{
  Frame frame = pop (writer, FRAME_VARIANT);
  guint8 zero = 0;

  g_assert (frame.n_members == 1);
  append (writer, &zero, 1);
  append (writer, type_string, strlen (type_string));
  member_end (writer, TRUE);
}

void
init_variant_writer_open_entry (InitVariantWriter *writer,
                                const char        *key)
{
  init_variant_writer_open_tuple (writer, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_string (writer, key);
  init_variant_writer_open_variant (writer);
}

void
init_variant_writer_close_entry (InitVariantWriter *writer,
                                 const char        *type_string)
{
  init_variant_writer_close_variant (writer, type_string);
  init_variant_writer_close_tuple (writer);
}

void
init_variant_writer_entry_string (InitVariantWriter *writer,
                                  const char        *key,
                                  const char        *value)
{
  init_variant_writer_open_entry (writer, key);
  init_variant_writer_string (writer, value);
  init_variant_writer_close_entry (writer, "s");
}

void
init_variant_writer_entry_boolean (InitVariantWriter *writer,
                                   const char        *key,
                                   gboolean           value)
{
  init_variant_writer_open_entry (writer, key);
  init_variant_writer_boolean (writer, value);
  init_variant_writer_close_entry (writer, "b");
}

void
init_variant_writer_entry_int32 (InitVariantWriter *writer,
                                 const char        *key,
                                 gint32             value)
{
  init_variant_writer_open_entry (writer, key);
  init_variant_writer_int32 (writer, value);
  init_variant_writer_close_entry (writer, "i");
}

void
init_variant_writer_entry_uint32 (InitVariantWriter *writer,
                                  const char        *key,
                                  guint32            value)
{
  init_variant_writer_open_entry (writer, key);
  init_variant_writer_uint32 (writer, value);
  init_variant_writer_close_entry (writer, "u");
}

void
init_variant_writer_entry_uint64 (InitVariantWriter *writer,
                                  const char        *key,
                                  guint64            value)
{
  init_variant_writer_open_entry (writer, key);
  init_variant_writer_uint64 (writer, value);
  init_variant_writer_close_entry (writer, "t");
}

void
init_variant_writer_entry_strv (InitVariantWriter *writer,
                                const char        *key,
                                const char *const *values,
                                gsize              n)
{
  init_variant_writer_open_entry (writer, key);
  init_variant_writer_strv (writer, values, n);
  init_variant_writer_close_entry (writer, "as");
}

GVariant *
init_variant_writer_finish (InitVariantWriter  *writer,
                            const GVariantType *type)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (writer != NULL, NULL);
  g_return_val_if_fail (writer->depth == 1, NULL);
  g_return_val_if_fail (top (writer)->n_members == 1, NULL);

  bytes = g_bytes_new_take (g_steal_pointer (&writer->data), writer->len);
  init_variant_writer_free (writer);
  /* Trusted: it is in normal form by construction (and by test). */
  return g_variant_new_from_bytes (type, bytes, TRUE);
}
