/* init-event-operator.h — `start on` / `stop on` expression trees (reference §2)
 *
 * A tree of OR/AND nodes over MATCH leaves.  Leaves latch: once a leaf has matched an event
 * it stays TRUE (holding a block on that event) until the tree is reset.  Matching is by exact
 * event name, then positional / KEY= / KEY!= arguments with fnmatch(3) globs after ${…}
 * expansion.  Building trees from text is init-event-parse.h's job.
 */
#pragma once

#include <glib.h>

#include "init-event.h"

G_BEGIN_DECLS

typedef enum
{
  INIT_EVENT_OPERATOR_OR,
  INIT_EVENT_OPERATOR_AND,
  INIT_EVENT_OPERATOR_MATCH,
} InitEventOperatorType;

typedef struct _InitEventOperator InitEventOperator;

struct _InitEventOperator
{
  InitEventOperatorType type;
  gboolean              value;
  /* OR / AND */
  InitEventOperator *left;
  InitEventOperator *right;
  /* MATCH */
  char *name;                    /* event name, matched exactly; name and args share the
                                  * node's allocation: never free or replace them */
  char     **args;               /* dequoted arguments as written ("x", "K=v", "K!=v"); never NULL */
  InitEvent *event;              /* the event this leaf latched (we hold a ref and a block), or NULL */
};

/* @args: transfer full, may be NULL (no arguments). */
InitEventOperator *init_event_operator_new_match (const char *name,
                                                  char      **args);
/* @left, @right: transfer full. */
InitEventOperator *init_event_operator_new_binary (InitEventOperatorType type,
                                                   InitEventOperator    *left,
                                                   InitEventOperator    *right);
/* Frees the tree, releasing every block it holds. NULL-safe. */
void               init_event_operator_free (InitEventOperator *op);
/* Deep copy including latched values (a latched leaf of the copy takes its own block). */
InitEventOperator *init_event_operator_copy (const InitEventOperator *op);

/* Does the MATCH leaf @leaf match @event?  @expand_env (NULL = empty) is used to expand
 * argument values; a value that fails to expand never matches (§2.2). */
gboolean           init_event_operator_match (const InitEventOperator *leaf,
                                              const InitEvent         *event,
                                              GPtrArray               *expand_env);
/* Feed @event to the tree (§2.3): every FALSE leaf that matches latches and blocks the event;
 * operator values are recomputed.  Returns TRUE if any leaf matched; check op->value for the
 * result. */
gboolean           init_event_operator_handle (InitEventOperator *op,
                                               InitEvent         *event,
                                               GPtrArray         *expand_env);
/* Every leaf FALSE, every block released (§2.4). */
void               init_event_operator_reset (InitEventOperator *op);
/* Harvest (§2.5): append (replacing keys) the environment of every matched event under TRUE
 * nodes, left to right, to @env, then set @key to the space-separated event names. */
void               init_event_operator_environment (InitEventOperator *op,
                                                    GPtrArray         *env,
                                                    const char        *key);
/* Append (with a new ref) every event latched under TRUE nodes, left to right, to @events
 * (a GPtrArray with free func init_event_unref). */
void               init_event_operator_collect_events (InitEventOperator *op,
                                                       GPtrArray         *events);
/* Add every leaf's event name to @names (a set: g_hash_table_add with g_strdup'ed keys owned by
 * the table, which must have been created with g_free as key destroy func). */
void               init_event_operator_collect_names (const InitEventOperator *op,
                                                      GHashTable              *names);
/* Fully bracketed text form (§2.6): leaf "name args…", operator "(L op R)", lone leaf bare.
 * Arguments containing whitespace or quotes are quoted so the text parses back to the same tree. */
char *init_event_operator_to_string (const InitEventOperator *op);
/* Post-order (RPN) form (§2.6): a GPtrArray (free func g_strfreev) of NULL-terminated string
 * vectors: a leaf is [name, args…], an operator ["/AND"] or ["/OR"].  NULL @op gives empty. */
GPtrArray *init_event_operator_to_rpn (const InitEventOperator *op);

/* Is @name a job event: starting, started, stopping or stopped? */
gboolean           init_event_name_is_job_event (const char *name);
/* The job a job event's leaf names: its JOB= argument or its first positional one, or NULL
 * (borrowed from @leaf). */
const char *init_event_operator_leaf_job (const InitEventOperator *leaf);

/* The nodes of @op (NULL: none) in postfix order, children before parents, left before
 * right; no recursion.  A new array of borrowed pointers. */
GPtrArray *init_event_operator_postfix (const InitEventOperator *op);

G_END_DECLS
