/* init-job-class-fields.c — the one description of InitJobClass's fields, and copying,
 * freeing and comparing a class field by field through it */
#define G_LOG_DOMAIN "init-job-class"

#include <signal.h>
#include <string.h>

#include "init-job-class-fields.h"

#define FIELD(key, kind, member, min, max) \
  { key, kind, G_STRUCT_OFFSET (InitJobClass, member), \
    sizeof (((InitJobClass *) NULL)->member), min, max }
#define PLAIN(key, kind, member) FIELD (key, kind, member, 0, 0)

const InitJobClassField init_job_class_fields[] = {
  PLAIN ("name", INIT_FIELD_STRING, name),
  PLAIN ("path", INIT_FIELD_STRING, path),
  PLAIN ("override-path", INIT_FIELD_STRING, override_path),
  PLAIN ("description", INIT_FIELD_STRING, description),
  PLAIN ("author", INIT_FIELD_STRING, author),
  PLAIN ("version", INIT_FIELD_STRING, version),
  PLAIN ("usage", INIT_FIELD_STRING, usage),
  PLAIN ("instance", INIT_FIELD_STRING, instance),
  PLAIN ("env", INIT_FIELD_STRV, env),
  PLAIN ("export", INIT_FIELD_STRV, export),
  PLAIN ("emits", INIT_FIELD_STRV, emits),
  PLAIN ("start-on", INIT_FIELD_OPERATOR, start_on),
  PLAIN ("stop-on", INIT_FIELD_OPERATOR, stop_on),
  PLAIN ("process", INIT_FIELD_PROCESS, process),
  FIELD ("expect", INIT_FIELD_ENUM, expect, INIT_EXPECT_NONE, INIT_EXPECT_FORK),
  PLAIN ("task", INIT_FIELD_BOOLEAN, task),
  PLAIN ("manual", INIT_FIELD_BOOLEAN, manual),
  FIELD ("kill-timeout", INIT_FIELD_INT, kill_timeout, 0, G_MAXINT),
  FIELD ("kill-signal", INIT_FIELD_INT, kill_signal, 1, NSIG - 1),
  FIELD ("reload-signal", INIT_FIELD_INT, reload_signal, 1, NSIG - 1),
  PLAIN ("respawn", INIT_FIELD_BOOLEAN, respawn),
  FIELD ("respawn-limit", INIT_FIELD_INT, respawn_limit, 0, G_MAXINT),
  FIELD ("respawn-interval", INIT_FIELD_INT, respawn_interval, 0, G_MAXINT),
  PLAIN ("normal-exit", INIT_FIELD_NORMAL_EXIT, normal_exit),
  FIELD ("console", INIT_FIELD_ENUM, console, INIT_CONSOLE_LOG, INIT_CONSOLE_OWNER),
  PLAIN ("umask", INIT_FIELD_UMASK, umask),
  /* Unset (INIT_NICE_UNSET) is the default, outside the range a stanza may give. */
  FIELD ("nice", INIT_FIELD_INT, nice, -20, 19),
  FIELD ("oom-score-adj", INIT_FIELD_INT, oom_score_adj, -1000, 1000),
  PLAIN ("oom-set", INIT_FIELD_BOOLEAN, oom_set),
  PLAIN ("limits", INIT_FIELD_LIMITS, limits),
  PLAIN ("chroot", INIT_FIELD_STRING, chroot),
  PLAIN ("chdir", INIT_FIELD_STRING, chdir),
  PLAIN ("setuid", INIT_FIELD_STRING, setuid),
  PLAIN ("setgid", INIT_FIELD_STRING, setgid),
  PLAIN ("debug", INIT_FIELD_BOOLEAN, debug),
  PLAIN ("apparmor-load", INIT_FIELD_STRING, apparmor_load),
  PLAIN ("apparmor-switch", INIT_FIELD_STRING, apparmor_switch),
  PLAIN ("cgroups", INIT_FIELD_STRV, cgroups),
};

#undef PLAIN
#undef FIELD

const guint init_job_class_n_fields = G_N_ELEMENTS (init_job_class_fields);

const InitJobClassField *
init_job_class_field_lookup (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (init_job_class_fields); i++)
    {
      if (strcmp (init_job_class_fields[i].key, key) == 0)
        return &init_job_class_fields[i];
    }
  return NULL;
}

static GPtrArray *
copy_string_array (const GPtrArray *array)
{
  GPtrArray *copy;

  if (array->len == 0)
    return init_job_class_empty_strings ();
  copy = g_ptr_array_new_full (array->len, g_free);

  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (array, i)));

  return copy;
}

/* A structural copy of @op built with the public constructors, so every leaf of the copy
 * starts unlatched (no event, no block) whatever state the original is in.  Iterative: the
 * parser bounds trees, but a copy must never be what overflows the stack. */
static InitEventOperator *
copy_operator_unlatched (const InitEventOperator *op)
{
  g_autoptr(GPtrArray) order = init_event_operator_postfix (op);
  g_autoptr(GPtrArray) done = g_ptr_array_new ();   /* copies, consumed as a stack */

  if (op == NULL)
    return NULL;

  for (guint i = 0; i < order->len; i++)
    {
      const InitEventOperator *node = g_ptr_array_index (order, i);
      InitEventOperator *copy;

      if (node->type == INIT_EVENT_OPERATOR_MATCH)
        copy = init_event_operator_new_match (node->name, g_strdupv (node->args));
      else
        {
          InitEventOperator *right = g_ptr_array_steal_index (done, done->len - 1);
          InitEventOperator *left = g_ptr_array_steal_index (done, done->len - 1);

          copy = init_event_operator_new_binary (node->type, left, right);
        }
      g_ptr_array_add (done, copy);
    }

  g_assert (done->len == 1);
  return g_ptr_array_steal_index (done, 0);
}

/* Member access by kind. */
#define MEMBER(type, klass, field) (*(type *) init_job_class_field_ptr (klass, field))

void
init_job_class_field_copy (const InitJobClassField *field,
                           InitJobClass            *dst,
                           const InitJobClass      *src)
{
  switch (field->kind)
    {
    case INIT_FIELD_STRING:
      MEMBER (char *, dst, field) = g_strdup (MEMBER (char *, src, field));
      break;
    case INIT_FIELD_STRV:
      MEMBER (GPtrArray *, dst, field) = copy_string_array (MEMBER (GPtrArray *, src, field));
      break;
    case INIT_FIELD_OPERATOR:
      MEMBER (InitEventOperator *, dst, field)
        = copy_operator_unlatched (MEMBER (InitEventOperator *, src, field));
      break;
    case INIT_FIELD_PROCESS:
      for (guint i = 0; i < INIT_PROCESS_N; i++)
        {
          dst->process[i].script = src->process[i].script;
          dst->process[i].command = g_strdup (src->process[i].command);
        }
      break;
    case INIT_FIELD_NORMAL_EXIT:
      if (src->normal_exit->len == 0)
        dst->normal_exit = init_job_class_empty_ints ();
      else
        {
          dst->normal_exit = g_array_sized_new (FALSE, FALSE, sizeof (int),
                                                src->normal_exit->len);
          g_array_append_vals (dst->normal_exit, src->normal_exit->data,
                               src->normal_exit->len);
        }
      break;
    case INIT_FIELD_LIMITS:
      dst->limits = NULL;
      for (int i = 0; i < INIT_N_LIMITS; i++)
        {
          if (init_job_class_get_limit (src, i) != NULL)
            init_job_class_set_limit (dst, i, init_job_class_get_limit (src, i));
        }
      break;
    case INIT_FIELD_BOOLEAN:
    case INIT_FIELD_INT:
    case INIT_FIELD_UMASK:
    case INIT_FIELD_ENUM:
    default:
      /* Plain values: the bytes are the value. */
      memcpy (init_job_class_field_ptr (dst, field), init_job_class_field_ptr (src, field),
              field->size);
      break;
    }
}

void
init_job_class_field_clear (const InitJobClassField *field,
                            InitJobClass            *klass)
{
  switch (field->kind)
    {
    case INIT_FIELD_STRING:
      g_clear_pointer (&MEMBER (char *, klass, field), g_free);
      break;
    case INIT_FIELD_STRV:
      g_clear_pointer (&MEMBER (GPtrArray *, klass, field), g_ptr_array_unref);
      break;
    case INIT_FIELD_OPERATOR:
      g_clear_pointer (&MEMBER (InitEventOperator *, klass, field), init_event_operator_free);
      break;
    case INIT_FIELD_PROCESS:
      for (guint i = 0; i < INIT_PROCESS_N; i++)
        g_clear_pointer (&klass->process[i].command, g_free);
      break;
    case INIT_FIELD_NORMAL_EXIT:
      g_clear_pointer (&klass->normal_exit, g_array_unref);
      break;
    case INIT_FIELD_LIMITS:
      for (guint i = 0; klass->limits != NULL && i < INIT_N_LIMITS; i++)
        g_free (klass->limits[i]);
      g_clear_pointer (&klass->limits, g_free);
      break;
    case INIT_FIELD_BOOLEAN:
    case INIT_FIELD_INT:
    case INIT_FIELD_UMASK:
    case INIT_FIELD_ENUM:
    default:
      break;
    }
}

static gboolean
strings_equal (const GPtrArray *a,
               const GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Trees are equal when their RPN forms are (the operator module's own structural form). */
static gboolean
operators_equal (const InitEventOperator *a,
                 const InitEventOperator *b)
{
  g_autoptr(GPtrArray) ra = NULL;
  g_autoptr(GPtrArray) rb = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  ra = init_event_operator_to_rpn (a);
  rb = init_event_operator_to_rpn (b);
  if (ra->len != rb->len)
    return FALSE;
  for (guint i = 0; i < ra->len; i++)
    {
      if (!g_strv_equal (g_ptr_array_index (ra, i), g_ptr_array_index (rb, i)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
limits_equal (const InitJobClass *a,
              const InitJobClass *b)
{
  for (int i = 0; i < INIT_N_LIMITS; i++)
    {
      const struct rlimit *la = init_job_class_get_limit (a, i);
      const struct rlimit *lb = init_job_class_get_limit (b, i);

      if (la == NULL || lb == NULL ? la != lb
          : la->rlim_cur != lb->rlim_cur || la->rlim_max != lb->rlim_max)
        return FALSE;
    }
  return TRUE;
}

gboolean
init_job_class_field_equal (const InitJobClassField *field,
                            const InitJobClass      *a,
                            const InitJobClass      *b)
{
  switch (field->kind)
    {
    case INIT_FIELD_STRING:
      return g_strcmp0 (MEMBER (char *, a, field), MEMBER (char *, b, field)) == 0;
    case INIT_FIELD_STRV:
      return strings_equal (MEMBER (GPtrArray *, a, field), MEMBER (GPtrArray *, b, field));
    case INIT_FIELD_OPERATOR:
      return operators_equal (MEMBER (InitEventOperator *, a, field),
                              MEMBER (InitEventOperator *, b, field));
    case INIT_FIELD_PROCESS:
      for (guint i = 0; i < INIT_PROCESS_N; i++)
        {
          if (a->process[i].script != b->process[i].script
              || g_strcmp0 (a->process[i].command, b->process[i].command) != 0)
            return FALSE;
        }
      return TRUE;
    case INIT_FIELD_NORMAL_EXIT:
      /* An empty array's data may be NULL, which memcmp() must not be given. */
      return a->normal_exit->len == b->normal_exit->len
             && (a->normal_exit->len == 0
                 || memcmp (a->normal_exit->data, b->normal_exit->data,
                            a->normal_exit->len * sizeof (int)) == 0);
    case INIT_FIELD_LIMITS:
      return limits_equal (a, b);
    case INIT_FIELD_BOOLEAN:
      return !MEMBER (gboolean, a, field) == !MEMBER (gboolean, b, field);
    case INIT_FIELD_INT:
    case INIT_FIELD_UMASK:
    case INIT_FIELD_ENUM:
    default:
      return memcmp (init_job_class_field_ptr (a, field), init_job_class_field_ptr (b, field),
                     field->size) == 0;
    }
}

gboolean
init_job_class_equal (const InitJobClass *a,
                      const InitJobClass *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (init_job_class_fields); i++)
    {
      if (!init_job_class_field_equal (&init_job_class_fields[i], a, b))
        return FALSE;
    }
  return TRUE;
}
