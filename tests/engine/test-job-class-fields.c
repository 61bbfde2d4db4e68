/* test-job-class-fields.c — the one description of InitJobClass's fields covers the class
 *
 * Copying, comparing, freeing and saving a class walk init_job_class_fields[]; a member the
 * table forgets would silently be lost by a copy or a re-exec.  These cases fail when that
 * happens: the table must tile the struct in declaration order (a member missing from it
 * leaves a gap), every stanza of the parser must change a described field, and every
 * described field must survive copy and save/restore and be seen by equality.
 */
#include <glib.h>
#include <string.h>

#include "init-job-class-fields.h"
#include "init-job-class-save.h"
#include "init-job-parse.h"
#include "init-job-stanza.h"

static InitJobClass *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  InitJobClass *klass = init_job_parse ("test", NULL, text, -1, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (klass);
  return klass;
}

/* The size and alignment a member of @kind has in C. */
static void
kind_layout (InitFieldKind kind,
             gsize        *size,
             gsize        *align)
{
  switch (kind)
    {
    case INIT_FIELD_BOOLEAN:
      *size = sizeof (gboolean), *align = G_ALIGNOF (gboolean);
      break;
    case INIT_FIELD_INT:
    case INIT_FIELD_ENUM:
      *size = sizeof (int), *align = G_ALIGNOF (int);
      break;
    case INIT_FIELD_UMASK:
      *size = sizeof (mode_t), *align = G_ALIGNOF (mode_t);
      break;
    case INIT_FIELD_PROCESS:
      *size = sizeof (InitProcessDef) * INIT_PROCESS_N, *align = G_ALIGNOF (InitProcessDef);
      break;
    case INIT_FIELD_STRING:
    case INIT_FIELD_STRV:
    case INIT_FIELD_OPERATOR:
    case INIT_FIELD_NORMAL_EXIT:
    case INIT_FIELD_LIMITS:
    default:
      *size = sizeof (gpointer), *align = G_ALIGNOF (gpointer);
      break;
    }
}

/* Laid out as the compiler lays out a struct (each member at the next offset its alignment
 * allows), the described fields land exactly where the real members are and end where the
 * struct ends: a member missing from the table shifts what follows it or grows the struct,
 * and a field described with the wrong kind has the wrong size. */
static void
test_table_covers_struct (void)
{
  gsize expected = 0, max_align = 1;

  for (guint i = 0; i < init_job_class_n_fields; i++)
    {
      const InitJobClassField *field = &init_job_class_fields[i];
      gsize size, align;

      kind_layout (field->kind, &size, &align);
      expected = (expected + align - 1) / align * align;
      max_align = MAX (max_align, align);
      if (field->offset != expected)
        g_error ("field \"%s\" is at offset %" G_GSIZE_FORMAT ", expected %" G_GSIZE_FORMAT
                 ": a member before it is not described in init-job-class-fields.c",
                 field->key, field->offset, expected);
      if (field->size != size)
        g_error ("field \"%s\" is %" G_GSIZE_FORMAT " bytes, its kind says %" G_GSIZE_FORMAT,
                 field->key, field->size, size);
      expected += size;
    }
  expected = (expected + max_align - 1) / max_align * max_align;
  if (sizeof (InitJobClass) != expected)
    g_error ("InitJobClass is %" G_GSIZE_FORMAT " bytes, the described fields %" G_GSIZE_FORMAT
             ": a member at its end is not described", sizeof (InitJobClass), expected);
}

/* Every stanza the parser knows (its example line) changes the class in a described field:
* a stanza writing a member the table forgets would compare equal to a class without it. */
static void
test_every_stanza_lands_in_a_field (void)
{
  g_autoptr(InitJobClass) plain = parse_ok ("");
  const InitJobStanza *stanzas;
  guint n;

  stanzas = init_job_parse_get_stanzas (&n);
  g_assert_cmpuint (n, >, 30);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(InitJobClass) klass = NULL;
      g_autoptr(InitJobClass) copy = NULL;

      g_assert_nonnull (stanzas[i].example);
      g_assert_true (g_str_has_prefix (stanzas[i].example, stanzas[i].name));
      text = g_strdup_printf ("%s\n", stanzas[i].example);
      klass = parse_ok (text);
      if (init_job_class_equal (klass, plain))
        g_error ("stanza \"%s\" changes no field described in init-job-class-fields.c",
                 stanzas[i].example);
      copy = init_job_class_copy (klass);
      g_assert_true (init_job_class_equal (copy, klass));
    }
}

/* Give @field of @klass a value other than the one it has, whatever its kind. */
static void
change_field (InitJobClass            *klass,
              const InitJobClassField *field)
{
  gpointer slot = init_job_class_field_ptr (klass, field);

  switch (field->kind)
    {
    case INIT_FIELD_STRING:
      g_free (*(char **) slot);
      *(char **) slot = g_strdup_printf ("changed-%s", field->key);
      break;
    case INIT_FIELD_STRV:
      g_ptr_array_add (init_job_class_writable_list (slot), g_strdup ("changed"));
      break;
    case INIT_FIELD_BOOLEAN:
      *(gboolean *) slot = !*(gboolean *) slot;
      break;
    case INIT_FIELD_INT:
    case INIT_FIELD_ENUM:
      *(int *) slot = *(int *) slot != field->max ? (int) field->max : (int) field->min;
      break;
    case INIT_FIELD_UMASK:
      klass->umask = klass->umask == 0077 ? 0 : 0077;
      break;
    case INIT_FIELD_OPERATOR:
      init_event_operator_free (*(InitEventOperator **) slot);
      *(InitEventOperator **) slot = init_event_operator_new_match ("changed", NULL);
      break;
    case INIT_FIELD_PROCESS:
      g_free (klass->process[INIT_PROCESS_POST_STOP].command);
      klass->process[INIT_PROCESS_POST_STOP].command = g_strdup ("/bin/changed");
      break;
    case INIT_FIELD_NORMAL_EXIT:
      g_array_append_val (init_job_class_writable_normal_exit (klass), (int) { 42 });
      break;
    case INIT_FIELD_LIMITS:
      init_job_class_set_limit (klass, RLIMIT_NOFILE, &(struct rlimit) { 7, 9 });
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Each described field, changed alone, is seen by equality (in that field only), carried
 * by a copy, and survives save/restore. */
static void
test_each_field_copied_compared_saved (void)
{
  for (guint i = 0; i < init_job_class_n_fields; i++)
    {
      const InitJobClassField *field = &init_job_class_fields[i];
      g_autoptr(InitJobClass) plain = init_job_class_new ("test");
      g_autoptr(InitJobClass) changed = init_job_class_copy (plain);
      g_autoptr(InitJobClass) copy = NULL;
      g_autoptr(InitJobClass) back = NULL;
      g_autoptr(GVariant) saved = NULL;
      g_autoptr(GVariant) value = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("field %s", field->key);
      g_assert_true (init_job_class_equal (plain, changed));
      change_field (changed, field);
      for (guint j = 0; j < init_job_class_n_fields; j++)
        g_assert_true (init_job_class_field_equal (&init_job_class_fields[j], plain, changed)
                       == (i != j));
      g_assert_false (init_job_class_equal (plain, changed));

      copy = init_job_class_copy (changed);
      g_assert_true (init_job_class_equal (copy, changed));

      saved = g_variant_ref_sink (init_job_class_to_variant (changed));
      value = g_variant_lookup_value (saved, field->key, NULL);
      g_assert_nonnull (value);
      back = init_job_class_from_variant (saved, &error);
      g_assert_no_error (error);
      g_assert_true (init_job_class_equal (back, changed));
    }
}

/* Keys find their field; unknown keys (and "format", which is not a field) find nothing. */
static void
test_lookup (void)
{
  for (guint i = 0; i < init_job_class_n_fields; i++)
    g_assert_true (init_job_class_field_lookup (init_job_class_fields[i].key)
                   == &init_job_class_fields[i]);
  g_assert_null (init_job_class_field_lookup ("format"));
  g_assert_null (init_job_class_field_lookup ("no-such-field"));
}

/* Trees are compared by structure, not by pointer; a latched copy equals its class. */
static void
test_equal_trees_by_structure (void)
{
  g_autoptr(InitJobClass) a = parse_ok ("start on a and (b or c X=1)\n");
  g_autoptr(InitJobClass) b = parse_ok ("start on a and (b or c X=1)\n");
  g_autoptr(InitJobClass) c = parse_ok ("start on a and (b or c X=2)\n");

  g_assert_true (a->start_on != b->start_on);
  g_assert_true (init_job_class_equal (a, b));
  g_assert_false (init_job_class_equal (a, c));
  g_assert_false (init_job_class_equal (a, NULL));
  g_assert_true (init_job_class_equal (NULL, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/job-class-fields/table-covers-struct", test_table_covers_struct);
  g_test_add_func ("/engine/job-class-fields/every-stanza-lands-in-a-field",
                   test_every_stanza_lands_in_a_field);
  g_test_add_func ("/engine/job-class-fields/each-field-copied-compared-saved",
                   test_each_field_copied_compared_saved);
  g_test_add_func ("/engine/job-class-fields/lookup", test_lookup);
  g_test_add_func ("/engine/job-class-fields/equal-trees-by-structure",
                   test_equal_trees_by_structure);

  return g_test_run ();
}
