/* test-sources-shown.c — what the registry shows of each source: state, detail, jobs
 *
 * The engine in-process with the real registry and a probe source added from outside (as
 * the bridges add theirs): the jobs naming its events are listed, sorted; it is inactive
 * while none does; a failure stands with its reason, is logged once, and is cleared when the
 * source says it works again; every change is signalled.
 */
#include <string.h>

#include "engine-fixture.h"
#include "init-reaper.h"
#include "init-sources.h"
#include "test-util.h"

static void
probe_arm (InitSource *source,
           GPtrArray  *leaves)
{
}

static void
probe_disarm (InitSource *source)
{
}

static void
probe_free (InitSource *source)
{
  g_free (source);
}

static const InitSourceClass probe_class = { probe_arm, probe_disarm, probe_free };
static const char *const probe_events[] = { "rec-*", NULL };

typedef struct
{
  Fixture      fx;
  InitSources *sources;
  InitSource  *probe;
  guint        n_changed;
} F;

static void
on_changed (gpointer user_data)
{
  ((F *) user_data)->n_changed++;
}

static void
f_setup (F            *f,
         gconstpointer data)
{
  fixture_setup (&f->fx, data);
  f->probe = g_new0 (InitSource, 1);
  *f->probe = (InitSource) { &probe_class, "rec", probe_events };
  f->sources = init_sources_new (f->fx.engine);
  init_sources_add (f->sources, f->probe);
  init_sources_set_changed_func (f->sources, on_changed, f);
}

static void
f_teardown (F            *f,
            gconstpointer data)
{
  g_clear_pointer (&f->sources, init_sources_free);
  fixture_teardown (&f->fx, data);
}

/* Source @name as "state|detail|job job…" once the registry caught up, or NULL. */
static char *
shown (F          *f,
       const char *name)
{
  g_autoptr(GPtrArray) list = NULL;

  init_sources_update (f->sources);
  list = init_sources_list (f->sources);
  for (guint i = 0; i < list->len; i++)
    {
      InitSource *source = g_ptr_array_index (list, i);
      g_autoptr(GString) jobs = g_string_new (NULL);

      if (!g_str_equal (source->name, name))
        continue;
      for (guint j = 0; j < source->jobs->len; j++)
        g_string_append_printf (jobs, "%s%s", j > 0 ? " " : "",
                                (char *) g_ptr_array_index (source->jobs, j));
      return g_strdup_printf ("%s|%s|%s", init_source_state_to_string (source->state),
                              source->detail, jobs->str);
    }
  return NULL;
}

static void
assert_shown (F          *f,
              const char *name,
              const char *expected)
{
  g_autofree char *got = shown (f, name);

  g_assert_cmpstr (got, ==, expected);
}

/* The jobs naming the source's events in `start on' or `stop on', sorted, each once; the
 * built-in file source says how many paths it watches. */
static void
test_jobs_listed (F            *f,
                  gconstpointer data)
{
  g_autofree char *text = NULL;

  assert_shown (f, "rec", "inactive||");
  assert_shown (f, "file", "inactive||");
  fixture_define (&f->fx, "zeta", "start on rec-a X=1 or other\nstop on rec-b\nexec true\n");
  fixture_define (&f->fx, "alpha", "start on (startup and rec-a Y=2)\nexec true\n");
  assert_shown (f, "rec", "active||alpha zeta");
  text = g_strdup_printf ("start on file FILE=%s/a or file FILE=%s/b\nexec true\n",
                          f->fx.dir, f->fx.dir);
  fixture_define (&f->fx, "files", text);
  assert_shown (f, "file", "active|2 paths|files");
  init_engine_set_class (f->fx.engine, "zeta", NULL);
  init_engine_set_class (f->fx.engine, "alpha", NULL);
  init_engine_set_class (f->fx.engine, "files", NULL);
  assert_shown (f, "rec", "inactive||");
  assert_shown (f, "file", "inactive||");
}

/* A failure is shown with its reason and logged once however often it is reported (a new
 * reason is logged again); re-arming keeps it; working again clears it. */
static void
test_failure_reported_once (F            *f,
                            gconstpointer data)
{
  guint changed;

  fixture_define (&f->fx, "needs", "start on rec-a\nexec true\n");
  assert_shown (f, "rec", "active||needs");
  changed = f->n_changed;
  test_util_capture_start ();
  init_source_report (f->probe, INIT_SOURCE_FAILED, "no bus");
  init_source_report (f->probe, INIT_SOURCE_FAILED, "no bus");
  g_assert_cmpuint (f->n_changed, ==, changed + 1);
  assert_shown (f, "rec", "failed|no bus|needs");
  fixture_define (&f->fx, "needs2", "start on rec-b\nexec true\n");
  assert_shown (f, "rec", "failed|no bus|needs needs2");
  init_source_report (f->probe, INIT_SOURCE_FAILED, "bus gone");
  init_source_report (f->probe, INIT_SOURCE_ACTIVE, "watching");
  assert_shown (f, "rec", "active|watching|needs needs2");
  test_util_capture_assert ((const char *[]) {
    "init-sources: Event source rec failed: no bus",
    "init-sources: Event source rec failed: bus gone",
    NULL
  });
}

int
main (int    argc,
      char **argv)
{
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));
  g_test_add ("/sources/shown/jobs-listed", F, NULL, f_setup, test_jobs_listed, f_teardown);
  g_test_add ("/sources/shown/failure-reported-once", F, NULL, f_setup,
              test_failure_reported_once, f_teardown);
  return g_test_run ();
}
