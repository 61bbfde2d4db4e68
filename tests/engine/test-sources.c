/* test-sources.c — the registry arms each source with exactly the leaves naming its events
 *
 * A probe source registered from outside (as the bridges register theirs) records every
 * arm and disarm: it is armed only while some job names its events, with those leaves and
 * the jobs naming them, and it is disarmed when the last such job goes.
 */
#include <string.h>

#include "engine-fixture.h"
#include "init-reaper.h"
#include "init-sources.h"
#include "test-util.h"

typedef struct
{
  InitSource parent;
  GPtrArray *calls;   /* "arm job:leaf job:leaf" / "disarm", owned by the test */
} Probe;

static void
probe_arm (InitSource *source,
           GPtrArray  *leaves)
{
  Probe *probe = (Probe *) source;
  g_autoptr(GString) line = g_string_new ("arm");

  for (guint i = 0; i < leaves->len; i++)
    {
      const InitSourceLeaf *leaf = g_ptr_array_index (leaves, i);
      g_autofree char *text = init_event_operator_to_string (leaf->leaf);

      g_string_append_printf (line, " %s:%s", leaf->job, text);
    }
  g_ptr_array_add (probe->calls, g_string_free (g_steal_pointer (&line), FALSE));
}

static void
probe_disarm (InitSource *source)
{
  g_ptr_array_add (((Probe *) source)->calls, g_strdup ("disarm"));
}

static void
probe_free (InitSource *source)
{
  g_ptr_array_add (((Probe *) source)->calls, g_strdup ("free"));
  g_free (source);
}

static const InitSourceClass probe_class = { probe_arm, probe_disarm, probe_free };
static const char *const probe_events[] = { "probe", "*-device-*", NULL };

typedef struct
{
  Fixture      fx;
  InitSources *sources;
  GPtrArray   *calls;
} F;

static void
f_setup (F            *f,
         gconstpointer data)
{
  Probe *probe = g_new0 (Probe, 1);

  fixture_setup (&f->fx, data);
  f->calls = g_ptr_array_new_with_free_func (g_free);
  probe->parent = (InitSource) { &probe_class, "probe", probe_events, FALSE };
  probe->calls = f->calls;
  f->sources = init_sources_new (f->fx.engine);
  init_sources_add (f->sources, &probe->parent);
}

static void
f_teardown (F            *f,
            gconstpointer data)
{
  g_clear_pointer (&f->sources, init_sources_free);
  g_clear_pointer (&f->calls, g_ptr_array_unref);
  fixture_teardown (&f->fx, data);
}

/* The calls since the last look, joined by " | ", after the registry caught up. */
static char *
calls (F *f)
{
  g_autoptr(GString) out = g_string_new (NULL);

  init_sources_update (f->sources);
  for (guint i = 0; i < f->calls->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " | " : "",
                            (char *) g_ptr_array_index (f->calls, i));
  g_ptr_array_set_size (f->calls, 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_calls (F          *f,
              const char *expected)
{
  g_autofree char *got = calls (f);

  g_assert_cmpstr (got, ==, expected);
}

/* Nothing names the probe's events: it is never armed (nor disarmed). */
static void
test_idle_without_jobs (F            *f,
                        gconstpointer data)
{
  fixture_define (&f->fx, "plain", "start on startup\nstop on stopping other\nexec true\n");
  assert_calls (f, "");
}

/* Leaves of `start on' and `stop on' of every job, by the source's patterns, with the jobs
 * naming them; the last job going disarms it. */
static void
test_armed_with_named_leaves (F            *f,
                              gconstpointer data)
{
  fixture_define (&f->fx, "a", "start on probe X=1 or startup\nexec true\n");
  assert_calls (f, "arm a:probe X=1");
  fixture_define (&f->fx, "b", "start on usb-device-added ID_VENDOR_ID=abcd\n"
                  "stop on probe Y=2\nexec true\n");
  assert_calls (f, "arm a:probe X=1 b:usb-device-added ID_VENDOR_ID=abcd b:probe Y=2");
  init_engine_set_class (f->fx.engine, "a", NULL);
  assert_calls (f, "arm b:usb-device-added ID_VENDOR_ID=abcd b:probe Y=2");
  init_engine_set_class (f->fx.engine, "b", NULL);
  assert_calls (f, "disarm");
  assert_calls (f, "");
}

/* The registry re-arms on its own, at the next idle after the jobs changed. */
static void
test_rearmed_when_idle (F            *f,
                        gconstpointer data)
{
  g_autofree char *got = NULL;

  fixture_define (&f->fx, "a", "start on probe\nexec true\n");
  while (f->calls->len == 0)
    g_main_context_iteration (NULL, TRUE);
  got = g_strdup (g_ptr_array_index (f->calls, 0));
  g_assert_cmpstr (got, ==, "arm a:probe");
}

/* Freeing the registry disarms an armed source and frees it. */
static void
test_freed_with_registry (F            *f,
                          gconstpointer data)
{
  fixture_define (&f->fx, "a", "start on probe\nexec true\n");
  assert_calls (f, "arm a:probe");
  g_clear_pointer (&f->sources, init_sources_free);
  g_assert_cmpuint (f->calls->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->calls, 0), ==, "disarm");
  g_assert_cmpstr (g_ptr_array_index (f->calls, 1), ==, "free");
}

int
main (int    argc,
      char **argv)
{
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));
  g_test_add ("/sources/registry/idle-without-jobs", F, NULL, f_setup, test_idle_without_jobs,
              f_teardown);
  g_test_add ("/sources/registry/armed-with-named-leaves", F, NULL, f_setup,
              test_armed_with_named_leaves, f_teardown);
  g_test_add ("/sources/registry/rearmed-when-idle", F, NULL, f_setup, test_rearmed_when_idle,
              f_teardown);
  g_test_add ("/sources/registry/freed-with-registry", F, NULL, f_setup,
              test_freed_with_registry, f_teardown);
  return g_test_run ();
}
