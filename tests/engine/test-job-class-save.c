/* test-job-class-state.c — job classes and operator trees as GVariants and back (re-exec state)
 *
 * `test-job-class-state --write-fixtures DIR` writes the committed format fixtures
 * (class-v1.gvariant, little-endian, and its g_variant_print() text class-v1.txt) to DIR and
 * exits; run it once per new format version into tests/data/state/, never to refresh an
 * existing version: the fixture is what older daemons wrote.
 */
#define G_LOG_DOMAIN "test-job-class-state"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "init-error.h"
#include "init-event.h"
#include "init-job-class-fields.h"
#include "init-job-class-save.h"
#include "init-job-parse.h"

/* ---- helpers ---------------------------------------------------------------------------------- */

static InitJobClass *
parse_ok (const char *name,
          const char *path,
          const char *text)
{
  g_autoptr(GError) error = NULL;
  InitJobClass *klass = init_job_parse (name, path, text, -1, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (klass);
  return klass;
}

static GVariant *
parse_variant (const char *type,
               const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_parse (type != NULL ? G_VARIANT_TYPE (type) : NULL, text, NULL, NULL,
                                 &error);

  g_assert_no_error (error);
  return v;  /* g_variant_parse() returns a non-floating reference */
}

/* Structural equality through the operator module's own RPN form (not our codec). */
static void
assert_trees_equal (const InitEventOperator *a,
                    const InitEventOperator *b)
{
  g_autoptr(GPtrArray) ra = init_event_operator_to_rpn (a);
  g_autoptr(GPtrArray) rb = init_event_operator_to_rpn (b);

  g_assert_cmpuint (ra->len, ==, rb->len);
  for (guint i = 0; i < ra->len; i++)
    g_assert_cmpstrv (g_ptr_array_index (ra, i), g_ptr_array_index (rb, i));
}

/* Every field of InitJobClass (the one table of them, whose coverage of the struct
 * test-job-class-fields checks), naming the first that differs. */
static void
assert_classes_equal (const InitJobClass *a,
                      const InitJobClass *b)
{
  for (guint i = 0; i < init_job_class_n_fields; i++)
    {
      const InitJobClassField *field = &init_job_class_fields[i];

      if (!init_job_class_field_equal (field, a, b))
        g_error ("field \"%s\" differs after the round trip", field->key);
    }
  g_assert_true (init_job_class_equal (a, b));
}

/* Serialize, deserialize, serialize again: the class comes back field for field and the two
 * variants are identical.  Returns the (sunk) first variant. */
static GVariant *
assert_round_trip (const InitJobClass *klass)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v1 = g_variant_ref_sink (init_job_class_to_variant (klass));
  g_autoptr(InitJobClass) back = init_job_class_from_variant (v1, &error);
  g_autoptr(GVariant) v2 = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (back);
  assert_classes_equal (klass, back);
  v2 = g_variant_ref_sink (init_job_class_to_variant (back));
  g_assert_true (g_variant_equal (v1, v2));
  g_assert_true (g_variant_is_normal_form (v1));

  return g_steal_pointer (&v1);
}

static void
assert_invalid (GVariant   *variant,
                const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(InitJobClass) klass = init_job_class_from_variant (variant, &error);
  g_autofree char *quoted = g_strdup_printf ("'%s'", key);

  g_assert_null (klass);
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS);
  if (strstr (error->message, quoted) == NULL)
    g_error ("error \"%s\" does not name key %s", error->message, quoted);
}

/* Every key of format 1 and its type: the written contract, independent of the codec's table. */
static const struct
{
  const char *key;
  const char *type;
} format1_keys[] = {
  { "format", "u" }, { "name", "s" }, { "path", "s" }, { "override-path", "s" },
  { "description", "s" }, { "author", "s" }, { "version", "s" }, { "usage", "s" },
  { "instance", "s" }, { "env", "as" }, { "export", "as" }, { "emits", "as" },
  { "start-on", "a(ybsas)" }, { "stop-on", "a(ybsas)" }, { "process", "a{s(bs)}" },
  { "expect", "s" }, { "task", "b" }, { "manual", "b" }, { "kill-timeout", "i" },
  { "kill-signal", "i" }, { "reload-signal", "i" }, { "respawn", "b" },
  { "respawn-limit", "i" }, { "respawn-interval", "i" }, { "normal-exit", "ai" },
  { "console", "s" }, { "umask", "u" }, { "nice", "i" }, { "oom-score-adj", "i" },
  { "oom-set", "b" }, { "limits", "a{s(tt)}" }, { "chroot", "s" }, { "chdir", "s" },
  { "setuid", "s" }, { "setgid", "s" }, { "debug", "b" }, { "apparmor-load", "s" },
  { "apparmor-switch", "s" }, { "cgroups", "as" },
};

/* ---- the representative class (also the version-1 fixture) -------------------------------- */

static const char rich_text[] =
  "# Every stanza at once.\n"
  "description \"Every stanza at once\"\n"
  "author \"Init tests <tests@example.org>\"\n"
  "version 1.0\n"
  "usage \"initctl start rich NAME=x\"\n"
  "instance $NAME\n"
  "env PATH=/usr/bin:/bin\n"
  "env GREETING=\"hello world\"\n"
  "env BARE\n"
  "export GREETING\n"
  "emits rich-ready rich-*\n"
  "start on (startup and filesystem) or (runlevel [2345] KIND!=single \"SPACED=a b\")\n"
  "stop on runlevel [!2345] or stopping dbus\n"
  "pre-start script\n"
  "    mkdir -p /run/rich\n"
  "end script\n"
  "exec /usr/bin/rich --name \"$NAME\"\n"
  "post-start exec /bin/echo started\n"
  "pre-stop exec /bin/echo stopping\n"
  "post-stop script\n"
  "    rm -rf /run/rich\n"
  "end script\n"
  "expect fork\n"
  "kill timeout 30\n"
  "kill signal INT\n"
  "reload signal USR1\n"
  "respawn\n"
  "respawn limit 3 60\n"
  "normal exit 0 2 TERM SIGHUP\n"
  "console output\n"
  "umask 027\n"
  "nice -5\n"
  "oom score 500\n"
  "limit nofile 1024 4096\n"
  "limit core unlimited unlimited\n"
  "chroot /srv/jail\n"
  "chdir /var/lib/rich\n"
  "setuid daemon\n"
  "setgid daemon\n"
  "debug\n"
  "apparmor load /etc/apparmor.d/rich\n"
  "apparmor switch rich-profile\n"
  "cgroup memory rich limit_in_bytes 1G\n";

static InitJobClass *
rich_class (void)
{
  g_autoptr(GError) error = NULL;
  InitJobClass *klass = parse_ok ("rich", "/etc/init/rich.conf", rich_text);

  g_assert_true (init_job_parse_override (klass, "/etc/init/rich.override",
                                          "env FROM_OVERRIDE=1\n", -1, NULL, NULL, &error));
  g_assert_no_error (error);
  return klass;
}

/* The fields of rich_class(), spelled out (what the fixture must keep meaning). */
static void
check_rich_class (const InitJobClass *klass)
{
  const char *env[] = { "PATH=/usr/bin:/bin", "GREETING=hello world", "BARE", "FROM_OVERRIDE=1" };
  const int normal[] = { 0, 2, SIGTERM << 8, SIGHUP << 8 };
  g_autofree char *start_on = init_event_operator_to_string (klass->start_on);
  g_autofree char *stop_on = init_event_operator_to_string (klass->stop_on);
  const struct rlimit *nofile = init_job_class_get_limit (klass, RLIMIT_NOFILE);
  const struct rlimit *core = init_job_class_get_limit (klass, RLIMIT_CORE);
  g_autoptr(GPtrArray) leaves = init_event_operator_leaves (klass->start_on);
  const char *runlevel_args[] = { "[2345]", "KIND!=single", "SPACED=a b", NULL };

  g_assert_cmpstr (klass->name, ==, "rich");
  g_assert_cmpstr (klass->path, ==, "/etc/init/rich.conf");
  g_assert_cmpstr (klass->override_path, ==, "/etc/init/rich.override");
  g_assert_cmpstr (klass->description, ==, "Every stanza at once");
  g_assert_cmpstr (klass->author, ==, "Init tests <tests@example.org>");
  g_assert_cmpstr (klass->version, ==, "1.0");
  g_assert_cmpstr (klass->usage, ==, "initctl start rich NAME=x");
  g_assert_cmpstr (klass->instance, ==, "$NAME");
  g_assert_cmpuint (klass->env->len, ==, G_N_ELEMENTS (env));
  for (guint i = 0; i < G_N_ELEMENTS (env); i++)
    g_assert_cmpstr (g_ptr_array_index (klass->env, i), ==, env[i]);
  g_assert_cmpuint (klass->export->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (klass->export, 0), ==, "GREETING");
  g_assert_cmpuint (klass->emits->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (klass->emits, 1), ==, "rich-*");
  g_assert_cmpstr (start_on, ==,
                   "((startup and filesystem) or runlevel [2345] KIND!=single SPACED=\"a b\")");
  g_assert_cmpuint (leaves->len, ==, 3);
  g_assert_cmpstrv (((InitEventOperator *) g_ptr_array_index (leaves, 2))->args, runlevel_args);
  g_assert_cmpstr (stop_on, ==, "(runlevel [!2345] or stopping dbus)");
  g_assert_true (klass->process[INIT_PROCESS_PRE_START].script);
  g_assert_cmpstr (klass->process[INIT_PROCESS_PRE_START].command, ==, "mkdir -p /run/rich\n");
  g_assert_false (klass->process[INIT_PROCESS_MAIN].script);
  g_assert_cmpstr (klass->process[INIT_PROCESS_MAIN].command, ==, "/usr/bin/rich --name \"$NAME\"");
  g_assert_cmpstr (klass->process[INIT_PROCESS_POST_START].command, ==, "/bin/echo started");
  g_assert_cmpstr (klass->process[INIT_PROCESS_PRE_STOP].command, ==, "/bin/echo stopping");
  g_assert_true (klass->process[INIT_PROCESS_POST_STOP].script);
  g_assert_cmpint (klass->expect, ==, INIT_EXPECT_FORK);
  g_assert_false (klass->task);
  g_assert_false (klass->manual);
  g_assert_cmpint (klass->kill_timeout, ==, 30);
  g_assert_cmpint (klass->kill_signal, ==, SIGINT);
  g_assert_cmpint (klass->reload_signal, ==, SIGUSR1);
  g_assert_true (klass->respawn);
  g_assert_cmpint (klass->respawn_limit, ==, 3);
  g_assert_cmpint (klass->respawn_interval, ==, 60);
  g_assert_cmpuint (klass->normal_exit->len, ==, G_N_ELEMENTS (normal));
  for (guint i = 0; i < G_N_ELEMENTS (normal); i++)
    g_assert_cmpint (g_array_index (klass->normal_exit, int, i), ==, normal[i]);
  g_assert_cmpint (klass->console, ==, INIT_CONSOLE_OUTPUT);
  g_assert_cmpuint (klass->umask, ==, 027);
  g_assert_cmpint (klass->nice, ==, -5);
  g_assert_cmpint (klass->oom_score_adj, ==, 500);
  g_assert_true (klass->oom_set);
  g_assert_nonnull (nofile);
  g_assert_cmpuint (nofile->rlim_cur, ==, 1024);
  g_assert_cmpuint (nofile->rlim_max, ==, 4096);
  g_assert_nonnull (core);
  g_assert_true (core->rlim_cur == RLIM_INFINITY && core->rlim_max == RLIM_INFINITY);
  g_assert_null (init_job_class_get_limit (klass, RLIMIT_AS));
  g_assert_cmpstr (klass->chroot, ==, "/srv/jail");
  g_assert_cmpstr (klass->chdir, ==, "/var/lib/rich");
  g_assert_cmpstr (klass->setuid, ==, "daemon");
  g_assert_cmpstr (klass->setgid, ==, "daemon");
  g_assert_true (klass->debug);
  g_assert_cmpstr (klass->apparmor_load, ==, "/etc/apparmor.d/rich");
  g_assert_cmpstr (klass->apparmor_switch, ==, "rich-profile");
  g_assert_cmpuint (klass->cgroups->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (klass->cgroups, 0), ==, "memory rich limit_in_bytes 1G");
}

/* ---- round trips ------------------------------------------------------------------------------ */

/* Every stanza (and every form of it) survives to_variant/from_variant, and is carried (the
 * variant differs from a default class's unless the stanza states the default). */
static void
test_round_trip_stanzas (void)
{
  static const struct
  {
    const char *text;
    gboolean    is_default;
  } cases[] = {
    { "instance $TTY\n" }, { "description \"A described job\"\n" },
    { "author \"Some One <one@example.org>\"\n" }, { "version 1.2.3\n" },
    { "usage \"initctl start x N=1\"\n" },
    { "env FOO=bar\nenv BARE\nenv QUOTED=\"a b\"\nenv EMPTY=\n" },
    { "export FOO BAR\nexport BAZ\n" }, { "emits one two\nemits three\n" },
    { "start on (a and b) or c \"po s\" X=1 Y!=2 \"Z=q r\"\n" },
    { "start on startup\n" },
    { "stop on runlevel [!2345] or stopping other\n" },
    { "exec /bin/echo \"hello world\" 'x y'\n" },
    { "script\n  echo one\n\n  echo two\nend script\n" },
    { "pre-start exec /bin/true\n" }, { "pre-start script\n  echo pre\nend script\n" },
    { "post-start exec /bin/true\n" }, { "post-start script\n  echo post\nend script\n" },
    { "pre-stop exec /bin/true\n" }, { "pre-stop script\n  echo stop\nend script\n" },
    { "post-stop exec /bin/true\n" }, { "post-stop script\n  echo gone\nend script\n" },
    { "expect stop\n" }, { "expect daemon\n" }, { "expect fork\n" }, { "expect none\n", TRUE },
    { "task\n" }, { "kill timeout 30\n" }, { "kill timeout 0\n" }, { "kill signal INT\n" },
    { "kill signal 64\n" }, { "reload signal USR1\n" }, { "respawn\n" },
    { "respawn limit 3 60\n" }, { "respawn limit unlimited\n" }, { "respawn limit 0 0\n" },
    { "normal exit 0 1 TERM SIGHUP 255\n" }, { "console none\n" }, { "console output\n" },
    { "console owner\n" }, { "console log\n", TRUE }, { "umask 0077\n" }, { "umask 0\n" },
    { "umask 0777\n" }, { "nice -20\n" }, { "nice 19\n" }, { "nice 0\n" },
    { "oom score 500\n" }, { "oom score -1000\n" }, { "oom never\n" }, { "oom -17\n" },
    { "oom 15\n" }, { "oom score 0\n" },
    { "limit as 1 2\nlimit core 3 4\nlimit cpu 5 6\nlimit data 7 8\nlimit fsize 9 10\n"
      "limit memlock 11 12\nlimit msgqueue 13 14\nlimit nice 15 16\nlimit nofile 17 18\n"
      "limit nproc 19 20\nlimit rss 21 22\nlimit rtprio 23 24\nlimit sigpending 25 26\n"
      "limit stack 27 28\n" },
    { "limit core unlimited unlimited\n" }, { "limit nofile 0 18446744073709551615\n" },
    { "chroot /srv/jail\n" }, { "chdir /var/lib/x\n" }, { "setuid nobody\n" },
    { "setgid nogroup\n" }, { "debug\n" }, { "manual\n" }, { "start on a\nmanual\n" },
    { "manual\nstart on a\n" }, { "apparmor load /etc/apparmor.d/x\n" },
    { "apparmor switch profile\n" }, { "cgroup memory mem limit_in_bytes 1G\ncgroup cpu\n" },
  };
  g_autoptr(InitJobClass) plain = parse_ok ("test", NULL, "");
  g_autoptr(GVariant) defaults = g_variant_ref_sink (init_job_class_to_variant (plain));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(InitJobClass) klass = parse_ok ("test", NULL, cases[i].text);
      g_autoptr(GVariant) v = assert_round_trip (klass);

      if (g_variant_equal (v, defaults) != cases[i].is_default)
        g_error ("stanza \"%s\" is not carried by the variant", cases[i].text);
    }
}

/* A class using every stanza, and an override, comes back with each field as written. */
static void
test_round_trip_fields (void)
{
  g_autoptr(InitJobClass) klass = rich_class ();
  g_autoptr(GVariant) v = assert_round_trip (klass);
  g_autoptr(GError) error = NULL;
  g_autoptr(InitJobClass) back = init_job_class_from_variant (v, &error);
  guint32 format;

  g_assert_no_error (error);
  check_rich_class (klass);
  check_rich_class (back);
  g_assert_true (g_variant_lookup (v, "format", "u", &format));
  g_assert_cmpuint (format, ==, 1);
}

/* Every job file shipped in data/examples/ round-trips. */
static void
test_round_trip_examples (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  const char *entry;
  guint n = 0;

  g_assert_no_error (error);
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);
      g_autofree char *name = NULL;
      g_autofree char *text = NULL;
      g_autoptr(InitJobClass) klass = NULL;
      g_autoptr(GVariant) v = NULL;

      if (!g_str_has_suffix (entry, ".conf"))
        continue;
      g_assert_true (g_file_get_contents (path, &text, NULL, &error));
      name = g_strndup (entry, strlen (entry) - strlen (".conf"));
      klass = parse_ok (name, path, text);
      v = assert_round_trip (klass);
      n++;
    }
  g_assert_cmpuint (n, >=, 6);
}

/* Every job of seed-examples.md round-trips. */
static void
test_round_trip_seed (void)
{
  static const char *const seeds[] = {
    "start on surprise\n",
    "start on surprise\nexec sleep 1000\n",
    "start on weather\n\nscript\n    echo $KIND > /tmp/weather\nend script\n",
    "start on weather KIND=snow\n",
    "start on weather KIND=r?in\n",
    "start on weather KIND=[rs]*\n",
    "start on weather KIND!=sun\n",
    "start on weather KIND=rain INTENSITY=heavy\n",
    "start on weather KIND=rain or weather KIND=snow\nstop on weather KIND!=$KIND\n",
    "start on weather rain heavy\n",
    "start on started dbus\n",
    "start on stopped EXIT_SIGNAL=SEGV\n",
    "start on runlevel [0123456]\n",
    "start on suspend\n\ntask\nexec pm suspend\n",
    "start on runlevel [0123456]\ntask\nexec /etc/init.d/rc $RUNLEVEL\n",
    "start on starting\ntask\n\nscript\n    ....\nend script\n",
    "start on mounted\n\nenv MOUNTPOINT=/tmp\nscript\n    ....\nend script\n",
    "env AM_A_DISPLAY_MANAGER=1\nexport AM_A_DISPLAY_MANAGER\n",
    "start on started AM_A_DISPLAY_MANAGER=1\n",
    "env NEED_PORTMAP=1\nexport NEED_PORTMAP\n",
    "start on starting NEED_PORTMAP=1\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autofree char *name = g_strdup_printf ("example%" G_GSIZE_FORMAT, i);
      g_autoptr(InitJobClass) klass = parse_ok (name, NULL, seeds[i]);
      g_autoptr(GVariant) v = assert_round_trip (klass);
    }
}

/* ---- operator trees --------------------------------------------------------------------------- */

/* The parser's deepest trees (4096 leaves, left- and right-deep) and a far deeper one built by
 * hand round-trip without recursion (a recursive codec would overflow the stack on the last). */
static void
test_operator_deep (void)
{
  g_autoptr(GString) left = g_string_new ("start on ");
  g_autoptr(GString) right = g_string_new ("start on ");
  const char *texts[2];
  InitEventOperator *chain = init_event_operator_new_match ("e0", NULL);
  g_autoptr(GVariant) v = NULL;
  InitEventOperator *back = NULL;
  g_autoptr(GError) error = NULL;

  /* (((e0 or e1) or e2) … or e4095) and e0 or (e1 or (… (e4094 or e4095)…)) */
  for (int i = 0; i < 4095; i++)
    g_string_append_c (left, '(');
  g_string_append (left, "e0");
  for (int i = 1; i < 4096; i++)
    {
      g_string_append_printf (left, " or e%d)", i);
      g_string_append_printf (right, "e%d or (", i - 1);
    }
  g_string_truncate (right, right->len - 1);
  g_string_append (right, "e4095");
  for (int i = 0; i < 4094; i++)
    g_string_append_c (right, ')');
  g_string_append_c (right, '\n');
  g_string_append_c (left, '\n');
  texts[0] = left->str;
  texts[1] = right->str;

  for (int t = 0; t < 2; t++)
    {
      g_autoptr(InitJobClass) klass = parse_ok ("deep", NULL, texts[t]);
      g_autoptr(GVariant) cv = assert_round_trip (klass);
      g_autoptr(GPtrArray) leaves = init_event_operator_leaves (klass->start_on);

      g_assert_cmpuint (leaves->len, ==, 4096);
      g_assert_cmpstr (((InitEventOperator *) g_ptr_array_index (leaves, 4095))->name, ==, "e4095");
    }

  for (int i = 1; i < 200000; i++)
    chain = init_event_operator_new_binary (i % 2 ? INIT_EVENT_OPERATOR_OR : INIT_EVENT_OPERATOR_AND,
                                            chain, init_event_operator_new_match ("e", NULL));
  v = g_variant_ref_sink (init_event_operator_to_variant (chain));
  g_assert_cmpuint (g_variant_n_children (v), ==, 2 * 200000 - 1);
  g_assert_true (init_event_operator_from_variant (v, &back, &error));
  g_assert_no_error (error);
  assert_trees_equal (chain, back);
  init_event_operator_free (back);
  init_event_operator_free (chain);
}

/* leaves() lists the MATCH leaves left to right, exactly the order of the leaf entries that
 * to_variant() writes, so index i names the same leaf before and after a restore. */
static void
test_operator_leaves_order (void)
{
  g_autoptr(InitJobClass) klass = parse_ok ("t", NULL,
                                            "start on (a X=1 and (b or c)) or ((d and e f) or g)\n");
  g_autoptr(GPtrArray) leaves = init_event_operator_leaves (klass->start_on);
  g_autoptr(GVariant) v = g_variant_ref_sink (init_event_operator_to_variant (klass->start_on));
  g_autoptr(GPtrArray) none = init_event_operator_leaves (NULL);
  g_autoptr(GPtrArray) back_leaves = NULL;
  InitEventOperator *back = NULL;
  const char *expected[] = { "a", "b", "c", "d", "e", "g" };
  GVariantIter iter;
  guchar type;
  const char *name;
  guint n = 0;

  g_assert_cmpuint (leaves->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < leaves->len; i++)
    {
      InitEventOperator *leaf = g_ptr_array_index (leaves, i);

      g_assert_cmpint (leaf->type, ==, INIT_EVENT_OPERATOR_MATCH);
      g_assert_cmpstr (leaf->name, ==, expected[i]);
    }

  g_variant_iter_init (&iter, v);
  while (g_variant_iter_next (&iter, "(yb&s@as)", &type, NULL, &name, NULL))
    {
      if (type == INIT_EVENT_OPERATOR_MATCH)
        g_assert_cmpstr (name, ==, ((InitEventOperator *) g_ptr_array_index (leaves, n++))->name);
    }
  g_assert_cmpuint (n, ==, leaves->len);

  g_assert_true (init_event_operator_from_variant (v, &back, NULL));
  back_leaves = init_event_operator_leaves (back);
  g_assert_cmpuint (back_leaves->len, ==, leaves->len);
  for (guint i = 0; i < leaves->len; i++)
    {
      InitEventOperator *a = g_ptr_array_index (leaves, i);
      InitEventOperator *b = g_ptr_array_index (back_leaves, i);

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpstrv (a->args, b->args);
    }
  g_assert_cmpuint (none->len, ==, 0);
  init_event_operator_free (back);
}

/* A NULL tree is an empty array and back; a lone leaf is one entry. */
static void
test_operator_empty (void)
{
  g_autoptr(GVariant) empty = g_variant_ref_sink (init_event_operator_to_variant (NULL));
  g_autoptr(GVariant) one = parse_variant ("a(ybsas)", "[(byte 2, false, 'startup', @as [])]");
  InitEventOperator *op = (gpointer) 1;

  g_assert_cmpstr (g_variant_get_type_string (empty), ==, "a(ybsas)");
  g_assert_cmpuint (g_variant_n_children (empty), ==, 0);
  g_assert_true (init_event_operator_from_variant (empty, &op, NULL));
  g_assert_null (op);
  g_assert_true (init_event_operator_from_variant (one, &op, NULL));
  g_assert_nonnull (op);
  g_assert_cmpstr (op->name, ==, "startup");
  g_assert_cmpstrv (op->args, ((const char *[]) { NULL }));
  init_event_operator_free (op);
}

/* Latched state is not written: a latched tree serializes like an unlatched one, every value
 * slot is FALSE, and what comes back is unlatched. */
static void
test_operator_latch_not_saved (void)
{
  InitEventQueue *queue = init_event_queue_new (NULL, NULL);
  g_autoptr(InitJobClass) klass = parse_ok ("t", NULL, "start on a or b\n");
  g_autoptr(GVariant) before = g_variant_ref_sink (init_event_operator_to_variant (klass->start_on));
  g_autoptr(GVariant) after = NULL;
  InitEvent *event = init_event_queue_emit (queue, "a", NULL, NULL);
  InitEventOperator *back = NULL;
  g_autoptr(GPtrArray) leaves = NULL;
  GVariantIter iter;
  gboolean value;

  g_assert_true (init_event_operator_handle (klass->start_on, event, NULL));
  g_assert_true (klass->start_on->value);
  after = g_variant_ref_sink (init_event_operator_to_variant (klass->start_on));
  g_assert_true (g_variant_equal (before, after));
  g_variant_iter_init (&iter, after);
  while (g_variant_iter_next (&iter, "(yb&s@as)", NULL, &value, NULL, NULL))
    g_assert_false (value);

  g_assert_true (init_event_operator_from_variant (after, &back, NULL));
  g_assert_false (back->value);
  leaves = init_event_operator_leaves (back);
  for (guint i = 0; i < leaves->len; i++)
    g_assert_null (((InitEventOperator *) g_ptr_array_index (leaves, i))->event);

  init_event_operator_free (back);
  init_event_operator_reset (klass->start_on);
  g_assert_cmpuint (event->blockers, ==, 0);
  init_event_queue_free (queue);
}

/* Malformed trees are rejected, never half-built. */
static void
test_operator_malformed (void)
{
  static const char *const bad[] = {
    "[(byte 2, false, '', @as [])]",                                    /* leaf without name */
    "[(byte 0, false, '', @as [])]",                                    /* operator, no operands */
    "[(byte 2, false, 'a', @as []), (byte 1, false, '', @as [])]",      /* one operand */
    "[(byte 2, false, 'a', @as []), (byte 2, false, 'b', @as [])]",     /* two trees */
    "[(byte 2, false, 'a', @as []), (byte 2, false, 'b', @as []), (byte 0, false, 'x', @as [])]",
    "[(byte 2, false, 'a', @as []), (byte 2, false, 'b', @as []), (byte 1, false, '', ['y'])]",
    "[(byte 3, false, 'a', @as [])]",                                   /* unknown type */
    "[(byte 255, true, 'a', @as [])]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GVariant) v = parse_variant ("a(ybsas)", bad[i]);
      g_autoptr(GError) error = NULL;
      InitEventOperator *op = (gpointer) 1;

      g_assert_false (init_event_operator_from_variant (v, &op, &error));
      g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS);
      g_assert_null (op);
    }

  {
    g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new_string ("a or b"));
    g_autoptr(GError) error = NULL;
    InitEventOperator *op = NULL;

    g_assert_false (init_event_operator_from_variant (v, &op, &error));
    g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS);
  }
}

/* ---- compatibility ---------------------------------------------------------------------------- */

/* Written keys are exactly those of format 1 with their types (between them, the rich class
* and a `task`/`manual` class write every one), and a default class writes only "format". */
static void
test_format_keys (void)
{
  g_autoptr(InitJobClass) rich = rich_class ();
  g_autoptr(InitJobClass) flags = parse_ok (NULL, NULL, "task\nmanual\n");
  g_autoptr(InitJobClass) plain = init_job_class_new (NULL);
  g_autoptr(GVariant) defaults = g_variant_ref_sink (init_job_class_to_variant (plain));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  InitJobClass *classes[] = { rich, flags };

  for (gsize c = 0; c < G_N_ELEMENTS (classes); c++)
    {
      g_autoptr(GVariant) v = g_variant_ref_sink (init_job_class_to_variant (classes[c]));
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_variant_iter_init (&iter, v);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_autoptr(GVariant) owned = value;
          gsize k;

          for (k = 0; k < G_N_ELEMENTS (format1_keys); k++)
            if (strcmp (format1_keys[k].key, key) == 0)
              break;
          if (k == G_N_ELEMENTS (format1_keys))
            g_error ("key '%s' is not part of format 1", key);
          g_assert_cmpstr (g_variant_get_type_string (value), ==, format1_keys[k].type);
          g_hash_table_add (seen, (gpointer) format1_keys[k].key);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, G_N_ELEMENTS (format1_keys));

  g_assert_cmpuint (g_variant_n_children (defaults), ==, 1);
  g_assert_true (g_variant_lookup (defaults, "format", "u", NULL));
}

/* Keys a reader does not know (a newer daemon's) are ignored, whatever their type, and a newer
 * format number is read by the keys it shares. */
static void
test_compat_unknown_keys (void)
{
  g_autoptr(InitJobClass) klass = rich_class ();
  g_autoptr(GVariant) v = g_variant_ref_sink (init_job_class_to_variant (klass));
  g_autoptr(GVariant) again = NULL;
  g_autoptr(GVariant) input = NULL;
  g_autoptr(InitJobClass) back = NULL;
  g_autoptr(GError) error = NULL;
  GVariantDict dict;

  g_variant_dict_init (&dict, v);
  g_variant_dict_insert (&dict, "format", "u", 2);
  g_variant_dict_insert (&dict, "future-field", "s", "x");
  g_variant_dict_insert_value (&dict, "future-tree", g_variant_new_parsed ("{'a': <[1, 2]>}"));
  g_variant_dict_insert (&dict, "Name", "i", 3);
  g_variant_dict_insert (&dict, "", "b", TRUE);
  input = g_variant_ref_sink (g_variant_dict_end (&dict));
  back = init_job_class_from_variant (input, &error);

  g_assert_no_error (error);
  assert_classes_equal (klass, back);
  again = g_variant_ref_sink (init_job_class_to_variant (back));
  g_assert_true (g_variant_equal (v, again));
}

/* A missing key takes the §1.3 default (an older daemon's state), one key at a time, and an
 * empty dictionary is a default class. */
static void
test_compat_missing_keys (void)
{
  g_autoptr(InitJobClass) klass = rich_class ();
  g_autoptr(InitJobClass) plain = init_job_class_new (NULL);
  g_autoptr(GVariant) full = g_variant_ref_sink (init_job_class_to_variant (klass));
  g_autoptr(GVariant) defaults = g_variant_ref_sink (init_job_class_to_variant (plain));
  g_autoptr(GVariant) empty = parse_variant ("a{sv}", "@a{sv} {}");
  g_autoptr(InitJobClass) from_empty = init_job_class_from_variant (empty, NULL);
  GVariantIter iter;
  const char *key;

  g_assert_nonnull (from_empty);
  assert_classes_equal (plain, from_empty);

  g_variant_iter_init (&iter, full);
  while (g_variant_iter_next (&iter, "{&s@v}", &key, NULL))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(InitJobClass) back = NULL;
      g_autoptr(GVariant) out = NULL;
      g_autoptr(GVariant) input = NULL;
      GVariantIter fields;
      const char *other;
      GVariantDict dict;

      g_variant_dict_init (&dict, full);
      g_variant_dict_remove (&dict, key);
      input = g_variant_ref_sink (g_variant_dict_end (&dict));
      back = init_job_class_from_variant (input, &error);
      g_assert_no_error (error);
      out = g_variant_ref_sink (init_job_class_to_variant (back));

      /* The dropped key reads back as the default's value (or absent), the rest unchanged. */
      g_variant_iter_init (&fields, full);
      while (g_variant_iter_next (&fields, "{&s@v}", &other, NULL))
        {
          g_autoptr(GVariant) got = g_variant_lookup_value (out, other, NULL);
          g_autoptr(GVariant) want = g_variant_lookup_value (strcmp (other, key) == 0
                                                             ? defaults : full, other, NULL);

          if (!(got == NULL ? want == NULL : want != NULL && g_variant_equal (got, want)))
            g_error ("without '%s', key '%s' did not read back as expected", key, other);
        }
    }
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "state", name, NULL);
}

static GVariant *
load_fixture (void)
{
  g_autofree char *path = fixture_path ("class-v1.gvariant");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *data;
  gsize len;
  GVariant *v;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  bytes = g_bytes_new_take (data, len);
  v = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));
  /* The fixture is little-endian, as written on the machines that made it. */
  if (G_BYTE_ORDER == G_BIG_ENDIAN)
    {
      GVariant *swapped = g_variant_ref_sink (g_variant_byteswap (v));
      g_variant_unref (v);
      v = swapped;
    }
  return v;
}

/* The committed version-1 state (what daemons of format 1 wrote) still reads, field for field,
 * and its reviewable text form is the same value. */
static void
test_compat_fixture_v1 (void)
{
  g_autoptr(GVariant) v = load_fixture ();
  g_autoptr(GError) error = NULL;
  g_autoptr(InitJobClass) klass = NULL;
  g_autofree char *txt_path = fixture_path ("class-v1.txt");
  g_autofree char *text = NULL;
  g_autoptr(GVariant) parsed = NULL;
  guint32 format;

  g_assert_true (g_variant_is_normal_form (v));
  g_assert_true (g_variant_lookup (v, "format", "u", &format));
  g_assert_cmpuint (format, ==, 1);
  klass = init_job_class_from_variant (v, &error);
  g_assert_no_error (error);
  check_rich_class (klass);

  g_assert_true (g_file_get_contents (txt_path, &text, NULL, &error));
  parsed = parse_variant ("a{sv}", text);
  g_assert_true (g_variant_equal (parsed, v));
}

/* ---- corrupt input ---------------------------------------------------------------------------- */

/* A value of the wrong type or out of the parser's range is rejected, naming its key. */
static void
test_corrupt_rejected (void)
{
  static const struct
  {
    const char *key;
    const char *value;
  } cases[] = {
    { "format", "<uint32 0>" }, { "format", "<1>" }, { "name", "<42>" }, { "path", "<@ms nothing>" },
    { "instance", "<['x']>" }, { "env", "<'FOO=bar'>" }, { "export", "<[1]>" },
    { "cgroups", "<'cpu'>" }, { "task", "<1>" }, { "debug", "<'yes'>" },
    { "nice", "<20>" }, { "nice", "<-21>" }, { "nice", "<int64 0>" },
    { "oom-score-adj", "<1001>" }, { "oom-score-adj", "<-1001>" },
    { "umask", "<uint32 512>" }, { "umask", "<18>" },
    { "kill-signal", "<0>" }, { "kill-signal", "<65>" }, { "reload-signal", "<-1>" },
    { "kill-timeout", "<-1>" }, { "respawn-limit", "<-1>" }, { "respawn-interval", "<-5>" },
    { "normal-exit", "<[257]>" }, { "normal-exit", "<[-1]>" }, { "normal-exit", "<[16640]>" },
    { "normal-exit", "<[0, 256, 65536]>" }, { "normal-exit", "<[uint32 1]>" },
    { "limits", "<{'bogus': (uint64 1, uint64 2)}>" }, { "limits", "<{'nofile': (1, 2)}>" },
    { "process", "<{'reload': (false, 'x')}>" }, { "process", "<{'main': 'x'}>" },
    { "expect", "<'sometimes'>" }, { "expect", "<uint32 1>" }, { "console", "<'tty'>" },
    { "console", "<''>" },
    { "start-on", "<'startup'>" }, { "start-on", "<[(byte 2, false, '', @as [])]>" },
    { "start-on", "<[(byte 0, false, '', @as [])]>" },
    { "stop-on", "<[(byte 7, false, 'a', @as [])]>" },
    { "stop-on", "<[(byte 2, false, 'a', @as []), (byte 2, false, 'b', @as [])]>" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'name': <'t'>, '%s': %s}", cases[i].key,
                                               cases[i].value);
      g_autoptr(GVariant) v = parse_variant ("a{sv}", text);

      assert_invalid (v, cases[i].key);
    }
}

/* Every known key given a value of any other type is rejected, naming the key. */
static void
test_corrupt_wrong_types (void)
{
  static const char *const samples[] = {
    "'text'", "int32 1", "uint32 1", "true", "int64 1", "byte 1", "1.5", "['a']", "[1]",
    "{'a': <1>}", "{'main': (false, 'x')}", "{'nofile': (uint64 1, uint64 2)}",
    "[(byte 2, false, 'a', @as [])]", "('a', 1)", "<'nested'>",
  };
  g_autoptr(InitJobClass) klass = rich_class ();
  g_autoptr(GVariant) full = g_variant_ref_sink (init_job_class_to_variant (klass));
  guint n_checked = 0;

  for (gsize k = 0; k < G_N_ELEMENTS (format1_keys); k++)
    {
      const char *key = format1_keys[k].key;

      for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
        {
          g_autoptr(GVariant) sample = parse_variant (NULL, samples[i]);
          g_autoptr(GVariant) bad = NULL;
          GVariantDict dict;

          if (strcmp (g_variant_get_type_string (sample), format1_keys[k].type) == 0)
            continue;
          g_variant_dict_init (&dict, full);
          g_variant_dict_insert_value (&dict, key, sample);
          bad = g_variant_ref_sink (g_variant_dict_end (&dict));
          assert_invalid (bad, key);
          n_checked++;
        }
    }
  g_assert_cmpuint (n_checked, >, 500);
}

/* Not a dictionary at all; `manual` with a `start on` (which no job file can produce). */
static void
test_corrupt_shape (void)
{
  g_autoptr(GVariant) s = g_variant_ref_sink (g_variant_new_string ("job"));
  g_autoptr(GVariant) dict = parse_variant ("a{ss}", "{'name': 'x'}");
  g_autoptr(GVariant) manual = parse_variant ("a{sv}",
                                              "{'manual': <true>, "
                                              "'start-on': <[(byte 2, false, 'a', @as [])]>}");
  g_autoptr(GError) error = NULL;

  g_assert_null (init_job_class_from_variant (s, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS);
  g_clear_error (&error);
  g_assert_null (init_job_class_from_variant (dict, &error));
  g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS);
  assert_invalid (manual, "manual");
}

/* Random, truncated and mutated serialized data (much of it not in normal form) never crashes
 * the reader: it yields an INVALID_ARGS error or a class that itself round-trips. */
static void
test_corrupt_fuzz (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240917);
  g_autoptr(InitJobClass) klass = rich_class ();
  g_autoptr(GVariant) v = g_variant_ref_sink (init_job_class_to_variant (klass));
  const guint8 *base = g_variant_get_data (v);
  gsize base_len = g_variant_get_size (v);
  guint n_ok = 0, n_rejected = 0, n_abnormal = 0;

  for (int round = 0; round < 4000; round++)
    {
      g_autoptr(GByteArray) data = g_byte_array_new ();
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GVariant) input = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(InitJobClass) back = NULL;
      int mode = round % 4;

      if (mode == 0)
        {
          guint len = g_rand_int_range (rand, 0, 256);
          for (guint i = 0; i < len; i++)
            g_byte_array_append (data, (guint8[]) { g_rand_int_range (rand, 0, 256) }, 1);
        }
      else if (mode == 1)
        {
          g_byte_array_append (data, base, g_rand_int_range (rand, 0, base_len));
        }
      else
        {
          int flips = g_rand_int_range (rand, 1, mode == 2 ? 4 : 32);

          g_byte_array_append (data, base, base_len);
          for (int i = 0; i < flips; i++)
            data->data[g_rand_int_range (rand, 0, base_len)] = g_rand_int_range (rand, 0, 256);
        }

      bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data));
      input = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));
      if (!g_variant_is_normal_form (input))
        n_abnormal++;
      back = init_job_class_from_variant (input, &error);
      if (back == NULL)
        {
          g_assert_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS);
          n_rejected++;
        }
      else
        {
          g_autoptr(GVariant) again = assert_round_trip (back);
          n_ok++;
        }
    }

  g_test_message ("fuzz: %u read, %u rejected, %u not in normal form", n_ok, n_rejected,
                  n_abnormal);
  g_assert_cmpuint (n_ok, >, 0);
  g_assert_cmpuint (n_rejected, >, 0);
  g_assert_cmpuint (n_abnormal, >, 0);
}

/* ---- fixture writer --------------------------------------------------------------------------- */

/* g_variant_print() of @dict, one key per line for review (g_variant_parse() reads it back). */
static char *
print_dict (GVariant *dict)
{
  GString *out = g_string_new ("{\n");
  GVariantIter iter;
  GVariant *key, *value;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{@s@v}", &key, &value))
    {
      g_autofree char *key_text = g_variant_print (key, FALSE);
      g_autofree char *value_text = g_variant_print (value, TRUE);

      g_string_append_printf (out, "  %s: %s,\n", key_text, value_text);
      g_variant_unref (key);
      g_variant_unref (value);
    }
  if (out->len > 2)
    g_string_truncate (out, out->len - 2);
  g_string_append (out, "\n}\n");
  return g_string_free (out, FALSE);
}

/* Writes DIR/class-v1.gvariant (little-endian) and DIR/class-v1.txt. */
static int
write_fixtures (const char *dir)
{
  g_autoptr(InitJobClass) klass = rich_class ();
  g_autoptr(GVariant) v = g_variant_ref_sink (init_job_class_to_variant (klass));
  g_autoptr(GVariant) le = NULL;
  g_autofree char *bin = g_build_filename (dir, "class-v1.gvariant", NULL);
  g_autofree char *txt = g_build_filename (dir, "class-v1.txt", NULL);
  g_autofree char *text_nl = print_dict (v);
  g_autoptr(GError) error = NULL;

  le = g_variant_ref_sink (G_BYTE_ORDER == G_BIG_ENDIAN ? g_variant_byteswap (v) : g_variant_ref (v));
  if (g_mkdir_with_parents (dir, 0755) < 0 ||
      !g_file_set_contents (bin, g_variant_get_data (le), g_variant_get_size (le), &error) ||
      !g_file_set_contents (txt, text_nl, -1, &error))
    {
      g_printerr ("%s: %s\n", dir, error != NULL ? error->message : g_strerror (errno));
      return 1;
    }
  g_print ("wrote %s and %s\n", bin, txt);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && strcmp (argv[1], "--write-fixtures") == 0)
    return write_fixtures (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/class-state/round-trip/every-stanza", test_round_trip_stanzas);
  g_test_add_func ("/engine/class-state/round-trip/fields", test_round_trip_fields);
  g_test_add_func ("/engine/class-state/round-trip/examples", test_round_trip_examples);
  g_test_add_func ("/engine/class-state/round-trip/seed", test_round_trip_seed);
  g_test_add_func ("/engine/class-state/operator/deep", test_operator_deep);
  g_test_add_func ("/engine/class-state/operator/leaves-order", test_operator_leaves_order);
  g_test_add_func ("/engine/class-state/operator/empty", test_operator_empty);
  g_test_add_func ("/engine/class-state/operator/latch-not-saved", test_operator_latch_not_saved);
  g_test_add_func ("/engine/class-state/operator/malformed", test_operator_malformed);
  g_test_add_func ("/engine/class-state/compat/format-keys", test_format_keys);
  g_test_add_func ("/engine/class-state/compat/unknown-keys", test_compat_unknown_keys);
  g_test_add_func ("/engine/class-state/compat/missing-keys", test_compat_missing_keys);
  g_test_add_func ("/engine/class-state/compat/fixture-v1", test_compat_fixture_v1);
  g_test_add_func ("/engine/class-state/corrupt/rejected", test_corrupt_rejected);
  g_test_add_func ("/engine/class-state/corrupt/wrong-types", test_corrupt_wrong_types);
  g_test_add_func ("/engine/class-state/corrupt/shape", test_corrupt_shape);
  g_test_add_func ("/engine/class-state/corrupt/fuzz", test_corrupt_fuzz);

  return g_test_run ();
}
