/* init-job-class-fields.h — the one description of InitJobClass's fields
 *
 * Every field of a job class is listed once, in declaration order, with its kind; copying,
 * freeing, comparing and saving/restoring a class (init-job-class.c, init-job-class-save.c)
 * walk this table instead of naming fields.  test-job-class-fields checks that the table
 * covers the struct exactly (a member missing from it fails the test) and that every stanza
 * of the parser lands in a described field.
 *
 * Adding a stanza: a parser table entry (config/init-job-parse.c), one line here (and the
 * member in init-job-class.h), the code that uses it, init(5), and the tests.
 */
#pragma once

#include <glib.h>

#include "init-job-class.h"

G_BEGIN_DECLS

typedef enum
{
  INIT_FIELD_STRING,      /* char *, NULL = unset */
  INIT_FIELD_STRV,        /* GPtrArray * of strings (shared empty arrays, see the class) */
  INIT_FIELD_BOOLEAN,     /* gboolean */
  INIT_FIELD_INT,         /* int in [min, max] */
  INIT_FIELD_UMASK,       /* mode_t ≤ 0777 */
  INIT_FIELD_ENUM,        /* an enumeration in [min, max], saved by name */
  INIT_FIELD_OPERATOR,    /* InitEventOperator * (copied unlatched) */
  INIT_FIELD_PROCESS,     /* InitProcessDef[INIT_PROCESS_N] */
  INIT_FIELD_NORMAL_EXIT, /* GArray * of int */
  INIT_FIELD_LIMITS,      /* struct rlimit ** (NULL or INIT_N_LIMITS entries) */
} InitFieldKind;

typedef struct
{
  const char   *key;      /* its name in the saved form, e.g. "kill-timeout" */
  InitFieldKind kind;
  gsize         offset;   /* G_STRUCT_OFFSET in InitJobClass */
  gsize         size;     /* sizeof the member */
  gint64        min;      /* INT and ENUM: the valid range */
  gint64        max;
} InitJobClassField;

/* Every field, in declaration order. */
extern const InitJobClassField init_job_class_fields[];
extern const guint init_job_class_n_fields;

/* The shared empty lists new classes start with (copy on write, see the class). */
GPtrArray *init_job_class_empty_strings (void);
GArray *init_job_class_empty_ints (void);

/* The field whose saved name is @key, or NULL. */
const InitJobClassField *init_job_class_field_lookup (const char *key);

/* The member @field of @klass. */
static inline gpointer
init_job_class_field_ptr (const InitJobClass      *klass,
                          const InitJobClassField *field)
{
  return (guint8 *) klass + field->offset;
}

/* Copy @field from @src into @dst (whose value is not set yet: not freed first). */
void      init_job_class_field_copy (const InitJobClassField *field,
                                     InitJobClass            *dst,
                                     const InitJobClass      *src);
/* Free what @field of @klass owns. */
void      init_job_class_field_clear (const InitJobClassField *field,
                                      InitJobClass            *klass);
/* Do @a and @b have the same value in @field (trees compared by structure)? */
gboolean  init_job_class_field_equal (const InitJobClassField *field,
                                      const InitJobClass      *a,
                                      const InitJobClass      *b);

/* Are @a and @b the same definition, field for field? */
gboolean  init_job_class_equal (const InitJobClass *a,
                                const InitJobClass *b);

G_END_DECLS
