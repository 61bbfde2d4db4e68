/* init-variant-writer.h — GVariant values written straight in their serialised form
 *
 * GVariantBuilder makes a tree of small GVariants (several allocations per leaf) and then
 * serialises it; for the biggest replies (GetManagedObjects: 100,000 properties for 5,000 jobs)
 * that costs tens of milliseconds and tens of megabytes of short-lived heap.  This writer
 * appends each value to one buffer in GVariant's serialised format (alignment padding,
 * framing offsets at the end of each variable-sized container), so a reply is one
 * allocation, built in a few milliseconds.
 *
 * The caller states the shape: containers are opened and closed explicitly, with the
 * alignment of their type.  tests/face/test-variant-writer.c checks the bytes against GLib's own
 * serialiser for every shape the daemon writes.  The face writes its biggest replies and its
 * signals with it, the engine its history records (one per event and per state change of
 * every task run, where GVariantBuilder was most of the daemon's CPU).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Alignment masks (alignment - 1) of the types the daemon writes. */
#define INIT_VARIANT_ALIGN_1 0   /* s o b y, and containers of them (as, aas) */
#define INIT_VARIANT_ALIGN_4 3   /* u i, (si), (uu), a(si) */
#define INIT_VARIANT_ALIGN_8 7   /* t v, and anything holding one ({sv}, a{sv}, ...) */

typedef struct _InitVariantWriter InitVariantWriter;

InitVariantWriter *init_variant_writer_new (gsize reserve);
void               init_variant_writer_free (InitVariantWriter *writer);
/* The value written (exactly one top-level value, every container closed), of @type, as a
 * new floating GVariant; frees @writer. */
GVariant *init_variant_writer_finish (InitVariantWriter  *writer,
                                      const GVariantType *type);

/* Basic values. */
void               init_variant_writer_string (InitVariantWriter *writer,
                                               const char        *value);
void               init_variant_writer_boolean (InitVariantWriter *writer,
                                                gboolean           value);
void               init_variant_writer_int32 (InitVariantWriter *writer,
                                              gint32             value);
void               init_variant_writer_uint32 (InitVariantWriter *writer,
                                               guint32            value);
void               init_variant_writer_uint64 (InitVariantWriter *writer,
                                               guint64            value);
/* A string array ("as") from @n strings (NULL entries are written as ""). */
void               init_variant_writer_strv (InitVariantWriter *writer,
                                             const char *const *values,
                                             gsize              n);

/* Containers.  @align is the container type's alignment mask. */
/* Tuples and dict entries; @fixed_size for tuples of fixed size only ((uu)). */
void               init_variant_writer_open_tuple (InitVariantWriter *writer,
                                                   guint              align,
                                                   gboolean           fixed_size);
void               init_variant_writer_close_tuple (InitVariantWriter *writer);
/* Arrays; @fixed_elements when the element type has a fixed size (au, a(uu)). */
void               init_variant_writer_open_array (InitVariantWriter *writer,
                                                   guint              align,
                                                   gboolean           fixed_elements);
void               init_variant_writer_close_array (InitVariantWriter *writer);
/* A variant: open, write exactly one value, close with that value's type string. */
void               init_variant_writer_open_variant (InitVariantWriter *writer);
void               init_variant_writer_close_variant (InitVariantWriter *writer,
                                                      const char        *type_string);

/* A dict entry {sv} opened up to its variant: write the value, then close_entry. */
void               init_variant_writer_open_entry (InitVariantWriter *writer,
                                                   const char        *key);
void               init_variant_writer_close_entry (InitVariantWriter *writer,
                                                    const char        *type_string);
/* A whole {sv} entry whose value is of a basic type (or "as" from @n strings). */
void               init_variant_writer_entry_string (InitVariantWriter *writer,
                                                     const char        *key,
                                                     const char        *value);
void               init_variant_writer_entry_boolean (InitVariantWriter *writer,
                                                      const char        *key,
                                                      gboolean           value);
void               init_variant_writer_entry_int32 (InitVariantWriter *writer,
                                                    const char        *key,
                                                    gint32             value);
void               init_variant_writer_entry_uint32 (InitVariantWriter *writer,
                                                     const char        *key,
                                                     guint32            value);
void               init_variant_writer_entry_uint64 (InitVariantWriter *writer,
                                                     const char        *key,
                                                     guint64            value);
void               init_variant_writer_entry_strv (InitVariantWriter *writer,
                                                   const char        *key,
                                                   const char *const *values,
                                                   gsize              n);

G_END_DECLS
