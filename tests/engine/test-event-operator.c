/* test-event-operator.c — event expression trees: match, latch, reset, harvest, text forms
 * (reference §2.2–§2.6, §11.2 B and C) */
#define G_LOG_DOMAIN "init-test-event-operator"

#include <string.h>

#include "init-env.h"
#include "init-event-operator.h"
#include "init-event.h"

/* ---- helpers ---------------------------------------------------------------------------------- */

/* A leaf from "name arg arg…" (space-separated; args contain no spaces). */
static InitEventOperator *
leaf (const char *spec)
{
  g_auto (GStrv) parts = g_strsplit (spec, " ", -1);

  return init_event_operator_new_match (parts[0], g_strdupv (parts + 1));
}

static InitEventOperator *
op_or (InitEventOperator *l,
       InitEventOperator *r)
{
  return init_event_operator_new_binary (INIT_EVENT_OPERATOR_OR, l, r);
}

static InitEventOperator *
op_and (InitEventOperator *l,
        InitEventOperator *r)
{
  return init_event_operator_new_binary (INIT_EVENT_OPERATOR_AND, l, r);
}

static GPtrArray *
env_of (const char *spaced)
{
  g_auto (GStrv) parts = g_strsplit (spaced, " ", -1);
  GPtrArray *env = init_env_new ();

  for (char **p = parts; *p; p++)
    if (**p != '\0')
      g_ptr_array_add (env, g_strdup (*p));

  return env;
}

/* Queue "name K=V K=V…" without processing it (events stay pending, so their blocker counts
 * show exactly the blocks the operators took). The queue owns the event. */
static InitEvent *
emit (InitEventQueue *queue,
      const char     *spec)
{
  const char *space = strchr (spec, ' ');
  g_autofree char *name = space ? g_strndup (spec, space - spec) : g_strdup (spec);
  g_autoptr(GPtrArray) env = env_of (space ? space + 1 : "");

  return init_event_queue_emit (queue, name, env, 0);
}

static char *
env_join (GPtrArray *env)
{
  g_auto (GStrv) strv = init_env_to_strv (env);

  return g_strjoinv (" ", strv);
}

typedef struct
{
  InitEventQueue *queue;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  f->queue = init_event_queue_new (NULL, NULL);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  init_event_queue_free (f->queue);
}

/* ---- §2.2 matching ---------------------------------------------------------------------------- */

/* Does leaf @spec match event @event_spec (expansion env @expand, may be NULL)? */
static gboolean
matches (InitEventQueue *queue,
         const char     *spec,
         const char     *event_spec,
         const char     *expand)
{
  InitEventOperator *op = leaf (spec);
  InitEvent *event = emit (queue, event_spec);
  g_autoptr(GPtrArray) env = expand ? env_of (expand) : NULL;
  gboolean result = init_event_operator_match (op, event, env);

  init_event_operator_free (op);
  return result;
}

/* The whole tested match table of §2.2 (Upstart's test_operator_match). */
static void
test_match_table (Fixture      *f,
                  gconstpointer data)
{
  const char *ev = "foo FRODO=foo BILBO=bar MERRY=baz";
  InitEventQueue *q = f->queue;

  g_assert_true (matches (q, "foo", ev, NULL));
  g_assert_false (matches (q, "bar", ev, NULL));
  g_assert_true (matches (q, "foo FRODO=foo BILBO=bar MERRY=baz", ev, NULL));
  g_assert_false (matches (q, "foo FRODO=foo BILBO=baz MERRY=baz", ev, NULL));
  g_assert_true (matches (q, "foo BILBO!=baz", ev, NULL));
  g_assert_false (matches (q, "foo BILBO!=bar", ev, NULL));
  g_assert_true (matches (q, "foo FRODO=foo BILBO=bar", ev, NULL));
  g_assert_true (matches (q, "foo foo bar baz", ev, NULL));
  g_assert_false (matches (q, "foo foo baz bar", ev, NULL));
  g_assert_true (matches (q, "foo foo bar", ev, NULL));
  g_assert_true (matches (q, "foo BILBO=bar FRODO=foo MERRY=baz", ev, NULL));
  g_assert_true (matches (q, "foo foo bar PIPPIN=quux",
                          "foo FRODO=foo BILBO=bar MERRY=baz PIPPIN=quux", NULL));
  g_assert_false (matches (q, "foo foo bar baz", "foo FRODO=foo BILBO=bar", NULL));
  g_assert_false (matches (q, "foo MERRY=baz", "foo FRODO=foo BILBO=bar", NULL));
  g_assert_true (matches (q, "foo BILBO=b?r", ev, NULL));
  g_assert_true (matches (q, "foo f*", ev, NULL));
  g_assert_true (matches (q, "foo $FOO", ev, "FOO=foo"));
  g_assert_false (matches (q, "foo $WIBBLE", ev, "FOO=foo"));
}

/* B2/B3/B4 and the finer points: positional prefix, missing key fails even for !=, names exact. */
static void
test_match_rules (Fixture      *f,
                  gconstpointer data)
{
  const char *ev = "foo FRODO=foo BILBO=bar MERRY=baz";
  InitEventQueue *q = f->queue;

  /* B4: != against an absent key does not match. */
  g_assert_false (matches (q, "net-device-up INTERFACE!=lo", "net-device-up ADDRESS=x", NULL));
  g_assert_true (matches (q, "net-device-up INTERFACE!=lo", "net-device-up INTERFACE=eth0", NULL));
  /* Positionals beyond the event's entries never match, even a "*". */
  g_assert_false (matches (q, "foo * * * *", ev, NULL));
  g_assert_true (matches (q, "foo * * *", ev, NULL));
  /* Positionals ignore keys. */
  g_assert_true (matches (q, "runlevel [2345]", "runlevel RUNLEVEL=2 PREVLEVEL=N", NULL));
  g_assert_false (matches (q, "runlevel [2345]", "runlevel RUNLEVEL=1 PREVLEVEL=2", NULL));
  /* The event name is compared exactly, never as a glob. */
  g_assert_false (matches (q, "f*", ev, NULL));
  g_assert_false (matches (q, "fo", ev, NULL));
  g_assert_false (matches (q, "foo", "foobar", NULL));
  /* fnmatch without flags: '*' crosses '/', a leading '.' is not special. */
  g_assert_true (matches (q, "mounted MOUNTPOINT=/usr/*", "mounted MOUNTPOINT=/usr/local/lib",
                          NULL));
  g_assert_true (matches (q, "foo *", "foo X=.hidden", NULL));
  g_assert_true (matches (q, "foo X=[!a]*", "foo X=.hidden", NULL));
  /* Empty values. */
  g_assert_true (matches (q, "foo X=", "foo X=", NULL));
  g_assert_false (matches (q, "foo X=", "foo X=a", NULL));
  g_assert_true (matches (q, "foo X!=", "foo X=a", NULL));
  /* A key lookup is exact (no prefix confusion). */
  g_assert_false (matches (q, "foo BIL=bar", ev, NULL));
  /* A value containing '=' compares whole. */
  g_assert_true (matches (q, "foo OPT=a=b", "foo OPT=a=b", NULL));
  g_assert_true (matches (q, "foo OPT!=a=c", "foo OPT=a=b", NULL));
}

/* Values are expanded against the given env; any expansion failure silently means no match. */
static void
test_match_expansion (Fixture      *f,
                      gconstpointer data)
{
  const char *ev = "wibble SNITCH=GOLD SEEKER=WIZARD";
  InitEventQueue *q = f->queue;

  g_assert_true (matches (q, "wibble SNITCH=$COLOUR", ev, "COLOUR=GOLD"));
  g_assert_true (matches (q, "wibble SNITCH=${COLOUR}", ev, "COLOUR=GOLD"));
  g_assert_false (matches (q, "wibble SNITCH=$COLOUR", ev, "COLOUR=SILVER"));
  g_assert_true (matches (q, "wibble SNITCH!=$COLOUR", ev, "COLOUR=SILVER"));
  g_assert_false (matches (q, "wibble SNITCH!=$COLOUR", ev, "COLOUR=GOLD"));
  /* Unknown variable: no match, for = and != alike, and with no env at all. */
  g_assert_false (matches (q, "wibble SNITCH=$COLOUR", ev, NULL));
  g_assert_false (matches (q, "wibble SNITCH!=$COLOUR", ev, NULL));
  /* Syntax errors: no match. */
  g_assert_false (matches (q, "wibble SNITCH=${COLOUR", ev, "COLOUR=GOLD"));
  g_assert_false (matches (q, "wibble SNITCH=${COLOUR?}", ev, "COLOUR=GOLD"));
  /* Globs may come from the expansion; a literal '$' stays literal. */
  g_assert_true (matches (q, "wibble SNITCH=$PAT", ev, "PAT=G*"));
  g_assert_true (matches (q, "foo X=$", "foo X=$", NULL));
  g_assert_true (matches (q, "foo X=${}5", "foo X=$5", NULL));
}

/* ---- §2.3 handle / latch / block, §2.4 reset -------------------------------------------------- */

/* B1: a non-matching event is neither latched nor blocked; a matching one is, once. */
static void
test_handle_single (Fixture      *f,
                    gconstpointer data)
{
  InitEventOperator *op = leaf ("foo");
  InitEvent *bar = emit (f->queue, "bar");
  InitEvent *foo = emit (f->queue, "foo");

  g_assert_false (init_event_operator_handle (op, bar, NULL));
  g_assert_false (op->value);
  g_assert_null (op->event);
  g_assert_cmpuint (bar->blockers, ==, 0);

  g_assert_true (init_event_operator_handle (op, foo, NULL));
  g_assert_true (op->value);
  g_assert_true (op->event == foo);
  g_assert_cmpuint (foo->blockers, ==, 1);

  init_event_operator_free (op);
  g_assert_cmpuint (foo->blockers, ==, 0);
}

/* B7: (foo and bar) or baz BAR=$WIBBLE — latching, duplicate events ignored, reset, re-match. */
static void
test_handle_tree (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GPtrArray) expand = env_of ("WIBBLE=baz");
  InitEventOperator *root = op_or (op_and (leaf ("foo"), leaf ("bar")), leaf ("baz BAR=$WIBBLE"));
  InitEventOperator *and_ = root->left;
  InitEvent *foo1 = emit (f->queue, "foo");
  InitEvent *foo2 = emit (f->queue, "foo");
  InitEvent *bar = emit (f->queue, "bar");
  InitEvent *baz = emit (f->queue, "baz BAR=baz");

  g_assert_true (init_event_operator_handle (root, foo1, expand));
  g_assert_true (and_->left->value);
  g_assert_false (and_->value);
  g_assert_false (root->value);
  g_assert_cmpuint (foo1->blockers, ==, 1);

  /* A latched leaf ignores a second matching event, which stays unblocked. */
  g_assert_false (init_event_operator_handle (root, foo2, expand));
  g_assert_true (and_->left->event == foo1);
  g_assert_cmpuint (foo1->blockers, ==, 1);
  g_assert_cmpuint (foo2->blockers, ==, 0);
  g_assert_false (root->value);

  g_assert_true (init_event_operator_handle (root, bar, expand));
  g_assert_true (and_->value);
  g_assert_true (root->value);
  g_assert_false (root->right->value);
  g_assert_cmpuint (bar->blockers, ==, 1);

  init_event_operator_reset (root);
  g_assert_false (root->value);
  g_assert_false (and_->value);
  g_assert_false (and_->left->value);
  g_assert_false (and_->right->value);
  g_assert_null (and_->left->event);
  g_assert_null (and_->right->event);
  g_assert_cmpuint (foo1->blockers, ==, 0);
  g_assert_cmpuint (bar->blockers, ==, 0);

  g_assert_true (init_event_operator_handle (root, baz, expand));
  g_assert_true (root->value);
  g_assert_false (and_->value);
  g_assert_true (root->right->value);
  g_assert_cmpuint (baz->blockers, ==, 1);

  /* Without the expansion env the right leaf could never have matched. */
  init_event_operator_reset (root);
  g_assert_false (init_event_operator_handle (root, baz, NULL));
  g_assert_cmpuint (baz->blockers, ==, 0);

  init_event_operator_free (root);
}

/* C1: a partial match of `wibble and wobble` holds one block; the second leaf completes it. */
static void
test_handle_partial_holds_block (Fixture      *f,
                                 gconstpointer data)
{
  InitEventOperator *root = op_and (leaf ("wibble"), leaf ("wobble"));
  InitEvent *wibble = emit (f->queue, "wibble");
  InitEvent *wobble = emit (f->queue, "wobble");

  g_assert_true (init_event_operator_handle (root, wibble, NULL));
  g_assert_false (root->value);
  g_assert_cmpuint (wibble->blockers, ==, 1);

  g_assert_true (init_event_operator_handle (root, wobble, NULL));
  g_assert_true (root->value);
  g_assert_cmpuint (wobble->blockers, ==, 1);

  /* C3: after reset a lone wobble does not make the tree true again. */
  init_event_operator_reset (root);
  g_assert_true (init_event_operator_handle (root, wobble, NULL));
  g_assert_false (root->value);
  g_assert_cmpuint (wibble->blockers, ==, 0);
  g_assert_cmpuint (wobble->blockers, ==, 1);

  init_event_operator_free (root);
  g_assert_cmpuint (wobble->blockers, ==, 0);
}

/* Every FALSE leaf that matches latches: one event can satisfy two leaves and is blocked twice. */
static void
test_handle_same_event_two_leaves (Fixture      *f,
                                   gconstpointer data)
{
  InitEventOperator *root = op_or (leaf ("foo"), leaf ("foo A=1"));
  InitEvent *foo = emit (f->queue, "foo A=1");

  g_assert_true (init_event_operator_handle (root, foo, NULL));
  g_assert_true (root->left->value);
  g_assert_true (root->right->value);
  g_assert_cmpuint (foo->blockers, ==, 2);

  init_event_operator_reset (root);
  g_assert_cmpuint (foo->blockers, ==, 0);
  init_event_operator_free (root);
}

/* A latched event stays alive (we hold a ref) even after the queue let go of it. */
static void
test_handle_keeps_ref (Fixture      *f,
                       gconstpointer data)
{
  InitEventOperator *op = leaf ("foo");
  InitEvent *foo = emit (f->queue, "foo X=1");

  g_assert_true (init_event_operator_handle (op, foo, NULL));
  g_assert_cmpint (foo->ref_count, ==, 2);

  init_event_queue_free (f->queue);
  f->queue = init_event_queue_new (NULL, NULL);
  g_assert_cmpstr (op->event->name, ==, "foo");
  g_assert_cmpstr (init_env_get (op->event->env, "X"), ==, "1");

  init_event_operator_free (op);
}

/* free releases every block the tree holds. */
static void
test_free_releases_blocks (Fixture      *f,
                           gconstpointer data)
{
  InitEventOperator *root = op_and (op_or (leaf ("a"), leaf ("b")), op_and (leaf ("c"), leaf ("d")));
  InitEvent *a = emit (f->queue, "a");
  InitEvent *b = emit (f->queue, "b");
  InitEvent *c = emit (f->queue, "c");

  init_event_operator_handle (root, a, NULL);
  init_event_operator_handle (root, b, NULL);
  init_event_operator_handle (root, c, NULL);
  g_assert_cmpuint (a->blockers + b->blockers + c->blockers, ==, 3);
  g_assert_false (root->value);

  init_event_operator_free (root);
  g_assert_cmpuint (a->blockers, ==, 0);
  g_assert_cmpuint (b->blockers, ==, 0);
  g_assert_cmpuint (c->blockers, ==, 0);

  init_event_operator_free (NULL);
}

/* copy is deep, keeps values, and a latched leaf of the copy takes its own block. */
static void
test_copy (Fixture      *f,
           gconstpointer data)
{
  InitEventOperator *root = op_or (op_and (leaf ("foo A=1"), leaf ("bar")), leaf ("baz"));
  InitEventOperator *copy;
  InitEvent *foo = emit (f->queue, "foo A=1");
  InitEvent *bar = emit (f->queue, "bar");
  g_autofree char *text = NULL;

  g_assert_null (init_event_operator_copy (NULL));

  init_event_operator_handle (root, foo, NULL);
  copy = init_event_operator_copy (root);
  g_assert_cmpuint (foo->blockers, ==, 2);
  g_assert_true (copy->left->left->value);
  g_assert_true (copy->left->left->event == foo);
  g_assert_false (copy->left->value);
  g_assert_false (copy->left->right->value);
  g_assert_true (copy->left->left->args != root->left->left->args);
  g_assert_cmpstrv (copy->left->left->args, root->left->left->args);
  text = init_event_operator_to_string (copy);
  g_assert_cmpstr (text, ==, "((foo A=1 and bar) or baz)");

  /* The two trees latch independently. */
  init_event_operator_handle (copy, bar, NULL);
  g_assert_true (copy->value);
  g_assert_false (root->value);
  g_assert_cmpuint (bar->blockers, ==, 1);

  init_event_operator_reset (copy);
  g_assert_cmpuint (foo->blockers, ==, 1);
  g_assert_cmpuint (bar->blockers, ==, 0);
  g_assert_true (root->left->left->value);

  init_event_operator_handle (copy, foo, NULL);
  g_assert_cmpuint (foo->blockers, ==, 2);
  init_event_operator_free (copy);
  g_assert_cmpuint (foo->blockers, ==, 1);
  init_event_operator_free (root);
  g_assert_cmpuint (foo->blockers, ==, 0);
}

/* ---- §2.5 harvesting -------------------------------------------------------------------------- */

/* B8: only leaves under TRUE nodes contribute, left to right; the key lists their names. */
static void
test_environment (Fixture      *f,
                  gconstpointer data)
{
  InitEventOperator *root = op_or (op_and (leaf ("foo"), leaf ("bar")),
                                   op_and (leaf ("frodo"), leaf ("bilbo")));
  InitEvent *foo = emit (f->queue, "foo FOO=APPLE TEA=YES");
  InitEvent *bar = emit (f->queue, "bar BAR=ORANGE COFFEE=NO");
  InitEvent *bilbo = emit (f->queue, "bilbo HOBBIT=YES");
  g_autoptr(GPtrArray) env = init_env_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) init_event_unref);
  g_autofree char *joined = NULL;

  init_event_operator_handle (root, foo, NULL);
  init_event_operator_handle (root, bar, NULL);
  init_event_operator_handle (root, bilbo, NULL);
  g_assert_true (root->value);
  g_assert_true (root->right->right->value);

  init_event_operator_environment (root, env, "UPSTART_EVENTS");
  joined = env_join (env);
  g_assert_cmpstr (joined, ==, "FOO=APPLE TEA=YES BAR=ORANGE COFFEE=NO UPSTART_EVENTS=foo bar");

  init_event_operator_collect_events (root, events);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_true (g_ptr_array_index (events, 0) == foo);
  g_assert_true (g_ptr_array_index (events, 1) == bar);
  g_assert_cmpint (foo->ref_count, ==, 3);
  /* Collecting takes refs, not blocks. */
  g_assert_cmpuint (foo->blockers, ==, 1);

  init_event_operator_free (root);
}

/* With no TRUE leaf the harvest is just KEY= (and an existing KEY is overwritten in place). */
static void
test_environment_empty (Fixture      *f,
                        gconstpointer data)
{
  InitEventOperator *root = op_and (leaf ("foo"), leaf ("bar"));
  InitEvent *foo = emit (f->queue, "foo FOO=APPLE");
  g_autoptr(GPtrArray) env = env_of ("UPSTART_STOP_EVENTS=old X=1");
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) init_event_unref);
  g_autofree char *joined = NULL;

  init_event_operator_handle (root, foo, NULL);
  init_event_operator_environment (root, env, "UPSTART_STOP_EVENTS");
  joined = env_join (env);
  g_assert_cmpstr (joined, ==, "UPSTART_STOP_EVENTS= X=1");

  init_event_operator_collect_events (root, events);
  g_assert_cmpuint (events->len, ==, 0);

  init_event_operator_free (root);
}

/* B9: a later event's key replaces an earlier one's value but keeps the first position. */
static void
test_environment_later_wins (Fixture      *f,
                             gconstpointer data)
{
  InitEventOperator *root = op_and (leaf ("wibble"), leaf ("wobble"));
  InitEvent *wibble = emit (f->queue, "wibble FRODO=baggins BILBO=took");
  InitEvent *wobble = emit (f->queue, "wobble FRODO=brandybuck TEA=MILK");
  g_autoptr(GPtrArray) env = env_of ("FOO=BAR BAR=BAZ");
  g_autofree char *joined = NULL;

  init_event_operator_handle (root, wibble, NULL);
  init_event_operator_handle (root, wobble, NULL);
  g_assert_true (root->value);

  init_event_operator_environment (root, env, "UPSTART_EVENTS");
  joined = env_join (env);
  g_assert_cmpstr (joined, ==,
                   "FOO=BAR BAR=BAZ FRODO=brandybuck BILBO=took TEA=MILK "
                   "UPSTART_EVENTS=wibble wobble");

  init_event_operator_free (root);
}

/* collect_names adds every leaf's name once, latched or not, into a caller-owned set. */
static void
test_collect_names (Fixture      *f,
                    gconstpointer data)
{
  InitEventOperator *root = op_or (op_and (leaf ("foo"), leaf ("bar A=1")),
                                   op_or (leaf ("foo B=2"), leaf ("baz")));
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_add (names, g_strdup ("preexisting"));
  init_event_operator_collect_names (root, names);
  g_assert_cmpuint (g_hash_table_size (names), ==, 4);
  g_assert_true (g_hash_table_contains (names, "foo"));
  g_assert_true (g_hash_table_contains (names, "bar"));
  g_assert_true (g_hash_table_contains (names, "baz"));

  init_event_operator_free (root);
}

/* ---- §2.6 text forms -------------------------------------------------------------------------- */

/* Fully bracketed text: left-associative chains nest to the left; a lone leaf is bare. */
static void
test_to_string (void)
{
  InitEventOperator *chain = op_or (op_or (op_or (leaf ("stopped gdm"), leaf ("stopped kdm")),
                                           leaf ("stopped xdm A=B")),
                                    leaf ("stopping lxdm"));
  InitEventOperator *lone = leaf ("runlevel [2345] PREVLEVEL!=S");
  InitEventOperator *right = op_and (leaf ("a"), op_or (leaf ("b"), leaf ("c")));
  g_autofree char *s1 = init_event_operator_to_string (chain);
  g_autofree char *s2 = init_event_operator_to_string (lone);
  g_autofree char *s3 = init_event_operator_to_string (right);

  g_assert_cmpstr (s1, ==, "(((stopped gdm or stopped kdm) or stopped xdm A=B) or stopping lxdm)");
  g_assert_cmpstr (s2, ==, "runlevel [2345] PREVLEVEL!=S");
  g_assert_cmpstr (s3, ==, "(a and (b or c))");

  init_event_operator_free (chain);
  init_event_operator_free (lone);
  init_event_operator_free (right);
}

/* A model of the job-file tokenizer's dequoting (§1.1: whitespace/()# delimit, " and ' quote,
 * "\\" and "\<space>" drop the backslash, other "\x" keep it) to check the quoting round-trips. */
static GPtrArray *
tokenize (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0')
    {
      GString *tok;
      char quote = 0;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      if (*p == '(' || *p == ')')
        {
          g_ptr_array_add (tokens, g_strndup (p++, 1));
          continue;
        }

      tok = g_string_new (NULL);
      for (; *p != '\0'; p++)
        {
          if (*p == '\\')
            {
              g_assert_true (p[1] != '\0');
              if (p[1] == '\\' || p[1] == ' ' || p[1] == '\t' || p[1] == '\r')
                g_string_append_c (tok, p[1]);
              else
                g_string_append_len (tok, p, 2);
              p++;
            }
          else if (quote != 0)
            {
              if (*p == quote)
                quote = 0;
              else
                g_string_append_c (tok, *p);
            }
          else if (*p == '"' || *p == '\'')
            quote = *p;
          else if (strchr (" \t\r\n()#", *p) != NULL)
            break;
          else
            g_string_append_c (tok, *p);
        }
      g_assert_cmpint (quote, ==, 0);
      g_ptr_array_add (tokens, g_string_free (tok, FALSE));
    }

  return tokens;
}

/* Names and arguments that need it are quoted so the text reads back as the same words. */
static void
test_to_string_quoting (void)
{
  const char *nasty[] = {
    "foo bar", "", "and", "or", "a\"b", "it's", "back\\slash", "trail\\", "\\\\",
    "tab\there", "#hash", "(paren)", "both \"'\" quotes", "K=v w", "K!=\"q\"", "=x",
    "ÅNGSTRÖM", "x=(y)", "café au lait", NULL,
  };
  InitEventOperator *op;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  char **args = g_new0 (char *, G_N_ELEMENTS (nasty));

  for (guint i = 0; nasty[i] != NULL; i++)
    args[i] = g_strdup (nasty[i]);
  op = init_event_operator_new_match ("and", args);

  text = init_event_operator_to_string (op);
  tokens = tokenize (text);
  g_assert_cmpuint (tokens->len, ==, G_N_ELEMENTS (nasty));
  g_assert_cmpstr (g_ptr_array_index (tokens, 0), ==, "and");
  for (guint i = 0; nasty[i] != NULL; i++)
    g_assert_cmpstr (g_ptr_array_index (tokens, i + 1), ==, nasty[i]);

  /* Specific renderings: named args quote only the value; plain words stay bare. */
  {
    char *a[] = { g_strdup ("FRODO=foo bar"), g_strdup ("plain"), g_strdup ("K="),
                  g_strdup ("a\"b"), g_strdup ("x\\y"), NULL };
    InitEventOperator *l = init_event_operator_new_match ("e", g_memdup2 (a, sizeof a));
    g_autofree char *s = init_event_operator_to_string (l);
    g_assert_cmpstr (s, ==, "e FRODO=\"foo bar\" plain K= \"a\"'\"'\"b\" \"x\\\\y\"");
    init_event_operator_free (l);
  }

  init_event_operator_free (op);
}

/* B11: the RPN form, post-order, leaves as [name, args…] and operators as ["/AND"]/["/OR"]. */
static void
test_to_rpn (void)
{
  InitEventOperator *root = op_or (op_and (leaf ("wibble"), leaf ("wobble")),
                                   leaf ("foo omnomnom ABER=crombie HOBBIT=frodo"));
  g_autoptr(GPtrArray) rpn = init_event_operator_to_rpn (root);
  g_autoptr(GPtrArray) none = init_event_operator_to_rpn (NULL);
  const char *e0[] = { "wibble", NULL };
  const char *e1[] = { "wobble", NULL };
  const char *e2[] = { "/AND", NULL };
  const char *e3[] = { "foo", "omnomnom", "ABER=crombie", "HOBBIT=frodo", NULL };
  const char *e4[] = { "/OR", NULL };

  g_assert_cmpuint (rpn->len, ==, 5);
  g_assert_cmpstrv (g_ptr_array_index (rpn, 0), e0);
  g_assert_cmpstrv (g_ptr_array_index (rpn, 1), e1);
  g_assert_cmpstrv (g_ptr_array_index (rpn, 2), e2);
  g_assert_cmpstrv (g_ptr_array_index (rpn, 3), e3);
  g_assert_cmpstrv (g_ptr_array_index (rpn, 4), e4);
  g_assert_cmpuint (none->len, ==, 0);

  init_event_operator_free (root);
}

/* A left-deep chain of 4096 `or`s (the parser's limit) is handled without deep recursion. */
static void
test_deep_chain (Fixture      *f,
                 gconstpointer data)
{
  InitEventOperator *root = leaf ("e0");
  InitEventOperator *copy;
  InitEvent *last = emit (f->queue, "e4095");
  InitEvent *first = emit (f->queue, "e0");
  g_autoptr(GPtrArray) rpn = NULL;
  g_autoptr(GPtrArray) env = init_env_new ();
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = NULL;

  for (int i = 1; i < 4096; i++)
    {
      g_autofree char *name = g_strdup_printf ("e%d", i);
      root = op_or (root, leaf (name));
    }

  g_assert_true (init_event_operator_handle (root, last, NULL));
  g_assert_true (root->value);
  g_assert_true (init_event_operator_handle (root, first, NULL));
  copy = init_event_operator_copy (root);
  g_assert_cmpuint (last->blockers, ==, 2);

  text = init_event_operator_to_string (copy);
  g_assert_cmpuint (strspn (text, "("), ==, 4095);
  g_assert_true (g_str_has_prefix (text + 4095, "e0 or e1) or e2) or e3)"));
  g_assert_true (g_str_has_suffix (text, " or e4094) or e4095)"));
  rpn = init_event_operator_to_rpn (copy);
  g_assert_cmpuint (rpn->len, ==, 4096 * 2 - 1);
  init_event_operator_collect_names (copy, names);
  g_assert_cmpuint (g_hash_table_size (names), ==, 4096);
  init_event_operator_environment (copy, env, "UPSTART_EVENTS");
  g_assert_cmpstr (init_env_get (env, "UPSTART_EVENTS"), ==, "e0 e4095");

  init_event_operator_reset (copy);
  g_assert_cmpuint (last->blockers, ==, 1);
  init_event_operator_free (copy);
  init_event_operator_free (root);
  g_assert_cmpuint (last->blockers, ==, 0);
  g_assert_cmpuint (first->blockers, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/event-operator/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("match/table", test_match_table);
  ADD ("match/rules", test_match_rules);
  ADD ("match/expansion", test_match_expansion);
  ADD ("handle/single", test_handle_single);
  ADD ("handle/tree-latch-reset", test_handle_tree);
  ADD ("handle/partial-holds-block", test_handle_partial_holds_block);
  ADD ("handle/same-event-two-leaves", test_handle_same_event_two_leaves);
  ADD ("handle/keeps-ref", test_handle_keeps_ref);
  ADD ("free-releases-blocks", test_free_releases_blocks);
  ADD ("copy", test_copy);
  ADD ("environment/harvest", test_environment);
  ADD ("environment/empty", test_environment_empty);
  ADD ("environment/later-wins", test_environment_later_wins);
  ADD ("collect-names", test_collect_names);
  ADD ("deep-chain", test_deep_chain);
#undef ADD

  g_test_add_func ("/engine/event-operator/to-string/brackets", test_to_string);
  g_test_add_func ("/engine/event-operator/to-string/quoting", test_to_string_quoting);
  g_test_add_func ("/engine/event-operator/to-rpn", test_to_rpn);

  return g_test_run ();
}
