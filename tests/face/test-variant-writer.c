/* test-variant-writer.c — InitVariantWriter writes exactly the bytes GLib's serialiser does */
#include <string.h>

#include "init-variant-writer.h"

/* @written must equal @expected byte for byte, be in normal form, and compare equal. */
static void
assert_same (GVariant *written,
             GVariant *expected)
{
  g_autoptr(GVariant) w = g_variant_ref_sink (written);
  g_autoptr(GVariant) e = g_variant_ref_sink (expected);
  gsize size = g_variant_get_size (e);

  g_assert_cmpstr (g_variant_get_type_string (w), ==, g_variant_get_type_string (e));
  g_assert_cmpuint (g_variant_get_size (w), ==, size);
  g_assert_cmpmem (g_variant_get_data (w), size, g_variant_get_data (e), size);
  g_assert_true (g_variant_is_normal_form (w));
  g_assert_true (g_variant_equal (w, e));
}

/* Each basic type on its own, the empty string and array, and a string that is not UTF-8. */
static void
test_basic (void)
{
  InitVariantWriter *w;

  w = init_variant_writer_new (0);
  init_variant_writer_string (w, "hello");
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_STRING), g_variant_new_string ("hello"));

  w = init_variant_writer_new (0);
  init_variant_writer_string (w, NULL);
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_STRING), g_variant_new_string (""));

  /* A string that is not UTF-8 (a file name) is made valid, never written as it is. */
  w = init_variant_writer_new (0);
  init_variant_writer_string (w, "caf\xe9.conf");
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_STRING), g_variant_new_string ("caf\xef\xbf\xbd.conf"));

  w = init_variant_writer_new (0);
  init_variant_writer_string (w, "/org/example/Init/jobs/a_2db");
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_OBJECT_PATH),
               g_variant_new_object_path ("/org/example/Init/jobs/a_2db"));

  w = init_variant_writer_new (0);
  init_variant_writer_boolean (w, TRUE);
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_BOOLEAN), g_variant_new_boolean (TRUE));

  w = init_variant_writer_new (0);
  init_variant_writer_int32 (w, -1);
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_INT32), g_variant_new_int32 (-1));

  w = init_variant_writer_new (0);
  init_variant_writer_uint32 (w, 4000000000u);
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_UINT32), g_variant_new_uint32 (4000000000u));

  w = init_variant_writer_new (0);
  init_variant_writer_uint64 (w, G_GUINT64_CONSTANT (1795923601885827));
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_UINT64),
               g_variant_new_uint64 (G_GUINT64_CONSTANT (1795923601885827)));

  w = init_variant_writer_new (0);
  init_variant_writer_strv (w, NULL, 0);
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_STRING_ARRAY), g_variant_new_strv (NULL, 0));
}

/* Containers of every shape the face writes: as, aas, (uu), a(si), and variants of each. */
static void
test_containers (void)
{
  const char *words[] = { "a", "", "three words here", "é", NULL };
  InitVariantWriter *w;
  GVariantBuilder b;

  w = init_variant_writer_new (0);
  init_variant_writer_strv (w, words, 4);
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_STRING_ARRAY), g_variant_new_strv (words, 4));

  w = init_variant_writer_new (0);
  init_variant_writer_open_array (w, INIT_VARIANT_ALIGN_1, FALSE);
  init_variant_writer_strv (w, words, 2);
  init_variant_writer_strv (w, NULL, 0);
  init_variant_writer_strv (w, words + 2, 1);
  init_variant_writer_close_array (w);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aas"));
  g_variant_builder_add_value (&b, g_variant_new_strv (words, 2));
  g_variant_builder_add_value (&b, g_variant_new_strv (NULL, 0));
  g_variant_builder_add_value (&b, g_variant_new_strv (words + 2, 1));
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE ("aas")), g_variant_builder_end (&b));

  w = init_variant_writer_new (0);
  init_variant_writer_open_tuple (w, INIT_VARIANT_ALIGN_4, TRUE);
  init_variant_writer_uint32 (w, 3);
  init_variant_writer_uint32 (w, 7);
  init_variant_writer_close_tuple (w);
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE ("(uu)")), g_variant_new ("(uu)", 3, 7));

  w = init_variant_writer_new (0);
  init_variant_writer_open_array (w, INIT_VARIANT_ALIGN_4, FALSE);
  init_variant_writer_open_tuple (w, INIT_VARIANT_ALIGN_4, FALSE);
  init_variant_writer_string (w, "main");
  init_variant_writer_int32 (w, 4242);
  init_variant_writer_close_tuple (w);
  init_variant_writer_open_tuple (w, INIT_VARIANT_ALIGN_4, FALSE);
  init_variant_writer_string (w, "post-start");
  init_variant_writer_int32 (w, 7);
  init_variant_writer_close_tuple (w);
  init_variant_writer_close_array (w);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(si)"));
  g_variant_builder_add (&b, "(si)", "main", 4242);
  g_variant_builder_add (&b, "(si)", "post-start", 7);
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE ("a(si)")), g_variant_builder_end (&b));

  /* A signal's arguments: (tsbss) with empty strings, and (sa{sv}as). */
  w = init_variant_writer_new (0);
  init_variant_writer_open_tuple (w, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_uint64 (w, 12);
  init_variant_writer_string (w, "boom");
  init_variant_writer_boolean (w, TRUE);
  init_variant_writer_string (w, "bad");
  init_variant_writer_string (w, NULL);
  init_variant_writer_close_tuple (w);
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE ("(tsbss)")),
               g_variant_new ("(tsbss)", (guint64) 12, "boom", TRUE, "bad", ""));

  w = init_variant_writer_new (0);
  init_variant_writer_open_tuple (w, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_string (w, "org.example.Init.Instance");
  init_variant_writer_open_array (w, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_open_entry (w, "State");
  init_variant_writer_string (w, "running");
  init_variant_writer_close_entry (w, "s");
  init_variant_writer_open_entry (w, "FailedAt");
  init_variant_writer_uint64 (w, 0);
  init_variant_writer_close_entry (w, "t");
  init_variant_writer_close_array (w);
  init_variant_writer_strv (w, NULL, 0);
  init_variant_writer_close_tuple (w);
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "State", g_variant_new_string ("running"));
  g_variant_builder_add (&b, "{sv}", "FailedAt", g_variant_new_uint64 (0));
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE ("(sa{sv}as)")),
               g_variant_new ("(s@a{sv}^as)", "org.example.Init.Instance", g_variant_builder_end (&b),
                              (const char *[]) { NULL }));
}

/* Every property type the face sends, each in a variant of an a{sv}. */
static void
write_dict (InitVariantWriter *w,
            GVariantBuilder   *b,
            guint              seed)
{
  g_autofree char *name = g_strdup_printf ("job-%u", seed);
  g_autofree char *path = g_strdup_printf ("/org/example/Init/jobs/job_2d%u", seed);
  const char *tree[] = { "started", "JOB=x", NULL };
  const char *op[] = { "/AND", NULL };

  init_variant_writer_open_array (w, INIT_VARIANT_ALIGN_8, FALSE);
  g_variant_builder_open (b, G_VARIANT_TYPE_VARDICT);

  init_variant_writer_open_entry (w, "Name");
  init_variant_writer_string (w, name);
  init_variant_writer_close_entry (w, "s");
  g_variant_builder_add (b, "{sv}", "Name", g_variant_new_string (name));

  init_variant_writer_open_entry (w, "Job");
  init_variant_writer_string (w, path);
  init_variant_writer_close_entry (w, "o");
  g_variant_builder_add (b, "{sv}", "Job", g_variant_new_object_path (path));

  init_variant_writer_open_entry (w, "StartOnTree");
  init_variant_writer_open_array (w, INIT_VARIANT_ALIGN_1, FALSE);
  init_variant_writer_strv (w, tree, seed % 3);
  init_variant_writer_strv (w, op, 1);
  init_variant_writer_close_array (w);
  init_variant_writer_close_entry (w, "aas");
  {
    GVariant *children[] = { g_variant_new_strv (tree, seed % 3), g_variant_new_strv (op, 1) };
    g_variant_builder_add (b, "{sv}", "StartOnTree",
                           g_variant_new_array (G_VARIANT_TYPE_STRING_ARRAY, children, 2));
  }

  init_variant_writer_open_entry (w, "Task");
  init_variant_writer_boolean (w, seed & 1);
  init_variant_writer_close_entry (w, "b");
  g_variant_builder_add (b, "{sv}", "Task", g_variant_new_boolean (seed & 1));

  init_variant_writer_open_entry (w, "RespawnLimit");
  init_variant_writer_open_tuple (w, INIT_VARIANT_ALIGN_4, TRUE);
  init_variant_writer_uint32 (w, seed);
  init_variant_writer_uint32 (w, 5);
  init_variant_writer_close_tuple (w);
  init_variant_writer_close_entry (w, "(uu)");
  g_variant_builder_add (b, "{sv}", "RespawnLimit", g_variant_new ("(uu)", seed, 5));

  init_variant_writer_open_entry (w, "ExitStatus");
  init_variant_writer_int32 (w, -1);
  init_variant_writer_close_entry (w, "i");
  g_variant_builder_add (b, "{sv}", "ExitStatus", g_variant_new_int32 (-1));

  init_variant_writer_open_entry (w, "FailedAt");
  init_variant_writer_uint64 (w, seed * G_GUINT64_CONSTANT (1000003));
  init_variant_writer_close_entry (w, "t");
  g_variant_builder_add (b, "{sv}", "FailedAt", g_variant_new_uint64 (seed * G_GUINT64_CONSTANT (1000003)));

  init_variant_writer_close_array (w);
  g_variant_builder_close (b);
}

/* GetManagedObjects' shape with enough objects that framing offsets need 1, 2 and 4 bytes. */
static void
test_managed_objects (void)
{
  const guint sizes[] = { 0, 1, 3, 40, 5000 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      InitVariantWriter *w = init_variant_writer_new (0);
      GVariantBuilder b;

      g_variant_builder_init (&b, G_VARIANT_TYPE ("(a{oa{sa{sv}}})"));
      g_variant_builder_open (&b, G_VARIANT_TYPE ("a{oa{sa{sv}}}"));
      init_variant_writer_open_tuple (w, INIT_VARIANT_ALIGN_8, FALSE);
      init_variant_writer_open_array (w, INIT_VARIANT_ALIGN_8, FALSE);
      for (guint i = 0; i < sizes[s]; i++)
        {
          g_autofree char *path = g_strdup_printf ("/org/example/Init/jobs/job_2d%u", i);

          init_variant_writer_open_tuple (w, INIT_VARIANT_ALIGN_8, FALSE);
          init_variant_writer_string (w, path);
          init_variant_writer_open_array (w, INIT_VARIANT_ALIGN_8, FALSE);
          init_variant_writer_open_tuple (w, INIT_VARIANT_ALIGN_8, FALSE);
          init_variant_writer_string (w, "org.example.Init.Job");
          g_variant_builder_open (&b, G_VARIANT_TYPE ("{oa{sa{sv}}}"));
          g_variant_builder_add (&b, "o", path);
          g_variant_builder_open (&b, G_VARIANT_TYPE ("a{sa{sv}}"));
          g_variant_builder_open (&b, G_VARIANT_TYPE ("{sa{sv}}"));
          g_variant_builder_add (&b, "s", "org.example.Init.Job");
          write_dict (w, &b, i);
          g_variant_builder_close (&b);
          g_variant_builder_close (&b);
          g_variant_builder_close (&b);
          init_variant_writer_close_tuple (w);
          init_variant_writer_close_array (w);
          init_variant_writer_close_tuple (w);
        }
      init_variant_writer_close_array (w);
      init_variant_writer_close_tuple (w);
      g_variant_builder_close (&b);
      assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE ("(a{oa{sa{sv}}})")),
                   g_variant_builder_end (&b));
    }
}

/* A string array just over each offset-size boundary (255 and 65535 bytes in total). */
static void
test_offset_sizes (void)
{
  for (gsize total = 240; total < 70000; total = total < 300 ? total + 1 : total * 3 / 2)
    {
      g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
      InitVariantWriter *w = init_variant_writer_new (0);
      gsize used = 0;

      while (used < total)
        {
          gsize len = MIN (total - used, 9);

          g_ptr_array_add (strings, g_strnfill (len, 'x'));
          used += len + 1;
        }
      init_variant_writer_strv (w, (const char *const *) strings->pdata, strings->len);
      assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE_STRING_ARRAY),
                   g_variant_new_strv ((const char *const *) strings->pdata, strings->len));
    }
}

/* A history record (ttssa{sv}) with an entry of every kind the history writes
 * (init_variant_writer_entry_*), as GVariantBuilder built it before. */
static void
test_history_record (void)
{
  InitVariantWriter *w = init_variant_writer_new (0);
  const char *env[] = { "A=1", "B=", NULL };
  GVariantBuilder details;

  init_variant_writer_open_tuple (w, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_uint64 (w, 42);
  init_variant_writer_uint64 (w, G_GUINT64_CONSTANT (1795923601885827));
  init_variant_writer_string (w, "job-state");
  init_variant_writer_string (w, "svc (one)");
  init_variant_writer_open_array (w, INIT_VARIANT_ALIGN_8, FALSE);
  init_variant_writer_entry_string (w, "job", "svc");
  init_variant_writer_entry_int32 (w, "pid", 4242);
  init_variant_writer_entry_uint32 (w, "caller-uid", 1000);
  init_variant_writer_entry_uint64 (w, "event-id", 7);
  init_variant_writer_entry_boolean (w, "failed", TRUE);
  init_variant_writer_entry_strv (w, "env", env, 2);
  init_variant_writer_entry_string (w, "cause-event", NULL);
  init_variant_writer_close_array (w);
  init_variant_writer_close_tuple (w);

  g_variant_builder_init (&details, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&details, "{sv}", "job", g_variant_new_string ("svc"));
  g_variant_builder_add (&details, "{sv}", "pid", g_variant_new_int32 (4242));
  g_variant_builder_add (&details, "{sv}", "caller-uid", g_variant_new_uint32 (1000));
  g_variant_builder_add (&details, "{sv}", "event-id", g_variant_new_uint64 (7));
  g_variant_builder_add (&details, "{sv}", "failed", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&details, "{sv}", "env", g_variant_new_strv (env, 2));
  g_variant_builder_add (&details, "{sv}", "cause-event", g_variant_new_string (""));
  assert_same (init_variant_writer_finish (w, G_VARIANT_TYPE ("(ttssa{sv})")),
               g_variant_new ("(ttssa{sv})", (guint64) 42, G_GUINT64_CONSTANT (1795923601885827),
                              "job-state", "svc (one)", &details));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/face/variant-writer/basic", test_basic);
  g_test_add_func ("/face/variant-writer/containers", test_containers);
  g_test_add_func ("/face/variant-writer/managed-objects", test_managed_objects);
  g_test_add_func ("/face/variant-writer/offset-sizes", test_offset_sizes);
  g_test_add_func ("/face/variant-writer/history-record", test_history_record);
  return g_test_run ();
}
