/* init-job-class-save.c — a job class as an a{sv} GVariant and back, for stateful re-exec */
#define G_LOG_DOMAIN "init-engine"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gi18n.h>

#include "init-error.h"
#include "init-job-class-fields.h"
#include "init-job-class-save.h"
#include "init-kernel-names.h"

/* The version of this codec, written as "format".  Key meanings never change within a
 * format: a field whose meaning changes gets a new key, so readers only ever need to know
 * which keys they understand.  Readers accept any format ≥ 1 (an older daemon reading a
 * newer one's state skips the keys it does not know). */
#define CLASS_STATE_FORMAT 1

/* ---- errors --------------------------------------------------------------------------------- */

static gboolean
G_GNUC_PRINTF (3, 4)
key_error (GError **error,
           const char *key,
           const char *format,
           ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
               _("Invalid job class state: key '%s': %s"), key, detail);
  return FALSE;
}

/* ---- class fields --------------------------------------------------------------------------- */

static const char *const field_types[] = {
  [INIT_FIELD_STRING] = "s", [INIT_FIELD_STRV] = "as", [INIT_FIELD_BOOLEAN] = "b",
  [INIT_FIELD_INT] = "i", [INIT_FIELD_UMASK] = "u", [INIT_FIELD_ENUM] = "s", [INIT_FIELD_OPERATOR] = INIT_EVENT_OPERATOR_VARIANT_TYPE,
  [INIT_FIELD_PROCESS] = "a{s(bs)}", [INIT_FIELD_NORMAL_EXIT] = "ai", [INIT_FIELD_LIMITS] = "a{s(tt)}",
};

/* The two enumerations are stored by name, so their numbering may change. */
static int
enum_get (const InitJobClass      *klass,
          const InitJobClassField *field)
{
  return field->offset == G_STRUCT_OFFSET (InitJobClass, expect) ? (int) klass->expect
                                                                  : (int) klass->console;
}

static const char *
enum_name (const InitJobClassField *field,
           int                      value)
{
  return field->offset == G_STRUCT_OFFSET (InitJobClass, expect)
         ? init_expect_type_to_string (value) : init_console_type_to_string (value);
}

static GVariant *
strv_to_variant (const GPtrArray *list)
{
  return g_variant_new_strv ((const char *const *) list->pdata, list->len);
}

static GVariant *
process_to_variant (const InitJobClass *klass)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(bs)}"));
  for (int i = 0; i < INIT_PROCESS_N; i++)
    {
      const InitProcessDef *def = &klass->process[i];

      if (def->command != NULL)
        g_variant_builder_add (&builder, "{s(bs)}", init_process_type_to_string (i),
                               def->script, def->command);
    }
  return g_variant_builder_end (&builder);
}

static GVariant *
limits_to_variant (const InitJobClass *klass)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(tt)}"));
  for (int i = 0; i < INIT_N_LIMITS; i++)
    {
      const struct rlimit *limit = init_job_class_get_limit (klass, i);
      const char *name = init_limit_to_name (i);

      /* The parser only sets the resources it can name. */
      if (limit != NULL && name != NULL)
        g_variant_builder_add (&builder, "{s(tt)}", name, (guint64) limit->rlim_cur,
                               (guint64) limit->rlim_max);
    }
  return g_variant_builder_end (&builder);
}

/* A class with every §1.3 default, to compare against (never freed, like the shared empty
 * lists of init-job-class.c). */
static const InitJobClass *
default_class (void)
{
  static InitJobClass *defaults;

  if (g_once_init_enter (&defaults))
    g_once_init_leave (&defaults, init_job_class_new (NULL));
  return defaults;
}

/* Does @klass hold the §1.3 default in @field?  (Then the field is not written.) */
static gboolean
field_is_default (const InitJobClass      *klass,
                  const InitJobClassField *field)
{
  const InitJobClass *defaults = default_class ();
  gconstpointer slot = G_STRUCT_MEMBER_P (klass, field->offset);
  gconstpointer default_slot = G_STRUCT_MEMBER_P (defaults, field->offset);

  switch (field->kind)
    {
    case INIT_FIELD_STRING:
      return g_strcmp0 (*(char *const *) slot, *(char *const *) default_slot) == 0;
    case INIT_FIELD_STRV:
      return (*(GPtrArray *const *) slot)->len == 0;
    case INIT_FIELD_BOOLEAN:
      return !*(const gboolean *) slot == !*(const gboolean *) default_slot;
    case INIT_FIELD_INT:
      return *(const int *) slot == *(const int *) default_slot;
    case INIT_FIELD_UMASK:
      return klass->umask == defaults->umask;
    case INIT_FIELD_ENUM:
      return enum_get (klass, field) == enum_get (defaults, field);
    case INIT_FIELD_OPERATOR:
      return *(InitEventOperator *const *) slot == NULL;
    case INIT_FIELD_PROCESS:
      return init_job_class_is_abstract (klass);
    case INIT_FIELD_NORMAL_EXIT:
      return klass->normal_exit->len == 0;
    case INIT_FIELD_LIMITS:
      for (int i = 0; i < INIT_N_LIMITS; i++)
        {
          if (init_job_class_get_limit (klass, i) != NULL)
            return FALSE;
        }
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* The value of @field for @klass, or NULL if it holds the default. */
static GVariant *
field_to_variant (const InitJobClass      *klass,
                  const InitJobClassField *field)
{
  gconstpointer slot = G_STRUCT_MEMBER_P (klass, field->offset);

  if (field_is_default (klass, field))
    return NULL;

  switch (field->kind)
    {
    case INIT_FIELD_STRING:
      {
        const char *value = *(char *const *) slot;
        return value != NULL ? g_variant_new_string (value) : NULL;
      }
    case INIT_FIELD_STRV:
      return strv_to_variant (*(GPtrArray *const *) slot);
    case INIT_FIELD_BOOLEAN:
      return g_variant_new_boolean (*(const gboolean *) slot);
    case INIT_FIELD_INT:
      return g_variant_new_int32 (*(const int *) slot);
    case INIT_FIELD_UMASK:
      return g_variant_new_uint32 (klass->umask);
    case INIT_FIELD_ENUM:
      return g_variant_new_string (enum_name (field, enum_get (klass, field)));
    case INIT_FIELD_OPERATOR:
      return init_event_operator_to_variant (*(InitEventOperator *const *) slot);
    case INIT_FIELD_PROCESS:
      return process_to_variant (klass);
    case INIT_FIELD_NORMAL_EXIT:
      return g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, klass->normal_exit->data,
                                        klass->normal_exit->len, sizeof (gint32));
    case INIT_FIELD_LIMITS:
      return limits_to_variant (klass);
    default:
      g_assert_not_reached ();
    }
}

/**
 * init_job_class_to_variant:
 * @klass: a class
 *
 * Every field of @klass as an a{sv}, keys in a fixed order (so equal classes give equal
 * variants), plus "format".  Fields that hold their §1.3 default are left out: a reader
 * fills them in with its own defaults, exactly as it would when parsing the job file that
 * did not mention them, and a typical job's state shrinks to a handful of keys.
 *
 * Returns: (transfer floating): the dictionary.
 */
GVariant *
init_job_class_to_variant (const InitJobClass *klass)
{
  GVariantBuilder builder;

  g_return_val_if_fail (klass != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "format", g_variant_new_uint32 (CLASS_STATE_FORMAT));
  for (guint i = 0; i < init_job_class_n_fields; i++)
    {
      const InitJobClassField *field = &init_job_class_fields[i];
      GVariant *value = field_to_variant (klass, field);

      if (value != NULL)
        g_variant_builder_add (&builder, "{sv}", field->key, value);
    }

  return g_variant_builder_end (&builder);
}

/* ---- reading -------------------------------------------------------------------------------- */

static gboolean
strv_from_variant (GPtrArray **slot,
                   GVariant   *value)
{
  gsize n = g_variant_n_children (value);
  GPtrArray *list;

  /* Keep the shared empty list when there is nothing to add (a repeated key replaces). */
  if (n == 0 && (*slot)->len == 0)
    return TRUE;

  list = init_job_class_writable_list (slot);
  g_ptr_array_set_size (list, 0);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (value, i);

      g_ptr_array_add (list, g_variant_dup_string (item, NULL));
    }
  return TRUE;
}

static gboolean
process_from_variant (InitJobClass            *klass,
                      const InitJobClassField *field,
                      GVariant                *value,
                      GError                 **error)
{
  GVariantIter iter;
  const char *name;
  const char *command;
  gboolean script;

  for (int i = 0; i < INIT_PROCESS_N; i++)
    {
      g_clear_pointer (&klass->process[i].command, g_free);
      klass->process[i].script = FALSE;
    }

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s(b&s)}", &name, &script, &command))
    {
      InitProcessType type = init_process_type_from_string (name);

      if (type == INIT_PROCESS_NONE)
        return key_error (error, field->key, _("unknown process type '%s'"), name);
      g_free (klass->process[type].command);
      klass->process[type].command = g_strdup (command);
      klass->process[type].script = script;
    }
  return TRUE;
}

/* An exit code 0…255, or a signal number shifted left by 8 (as `normal exit` stores them). */
static gboolean
normal_exit_is_valid (gint32 status)
{
  if (status >= 0 && status <= 255)
    return TRUE;
  return (status & 0xff) == 0 && (status >> 8) >= 1 && (status >> 8) <= NSIG - 1;
}

static gboolean
normal_exit_from_variant (InitJobClass            *klass,
                          const InitJobClassField *field,
                          GVariant                *value,
                          GError                 **error)
{
  gsize n;
  const gint32 *statuses = g_variant_get_fixed_array (value, &n, sizeof (gint32));
  GArray *array;

  for (gsize i = 0; i < n; i++)
    {
      if (!normal_exit_is_valid (statuses[i]))
        return key_error (error, field->key,
                          _("exit status %d is neither 0 to 255 nor a signal"),
                          (int) statuses[i]);
    }

  if (n == 0 && klass->normal_exit->len == 0)
    return TRUE;
  array = init_job_class_writable_normal_exit (klass);
  g_array_set_size (array, 0);
  g_array_append_vals (array, statuses, n);
  return TRUE;
}

static gboolean
limits_from_variant (InitJobClass            *klass,
                     const InitJobClassField *field,
                     GVariant                *value,
                     GError                 **error)
{
  GVariantIter iter;
  const char *name;
  guint64 soft, hard;

  for (int i = 0; klass->limits != NULL && i < INIT_N_LIMITS; i++)
    init_job_class_set_limit (klass, i, NULL);

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s(tt)}", &name, &soft, &hard))
    {
      int resource = init_limit_from_name (name);
      struct rlimit limit;

      if (resource < 0 || resource >= INIT_N_LIMITS)
        return key_error (error, field->key, _("unknown resource '%s'"), name);
      /* rlim_t may be narrower than 64 bits (RLIM_INFINITY is then its maximum). */
      if (soft > (guint64) RLIM_INFINITY || hard > (guint64) RLIM_INFINITY)
        return key_error (error, field->key, _("limit of '%s' out of range"), name);

      limit.rlim_cur = (rlim_t) soft;
      limit.rlim_max = (rlim_t) hard;
      init_job_class_set_limit (klass, resource, &limit);
    }
  return TRUE;
}

static gboolean
int_from_variant (gpointer                 slot,
                  const InitJobClassField *field,
                  GVariant                *value,
                  GError                 **error)
{
  gint32 v = g_variant_get_int32 (value);

  if (v < field->min || v > field->max)
    return key_error (error, field->key,
                      _("value %d out of range %lld to %lld"), (int) v,
                      (long long) field->min, (long long) field->max);
  *(int *) slot = v;
  return TRUE;
}

/* An enum is saved by name (the parser's words), so a reordered enum still restores. */
static gboolean
enum_from_variant (InitJobClass            *klass,
                   const InitJobClassField *field,
                   GVariant                *value,
                   GError                 **error)
{
  const char *name = g_variant_get_string (value, NULL);

  for (int i = field->min; i <= field->max; i++)
    {
      if (strcmp (name, enum_name (field, i)) != 0)
        continue;
      if (field->offset == G_STRUCT_OFFSET (InitJobClass, expect))
        klass->expect = i;
      else
        klass->console = i;
      return TRUE;
    }
  return key_error (error, field->key, _("unknown value '%s'"), name);
}

static gboolean
operator_from_variant (gpointer                 slot,
                       const InitJobClassField *field,
                       GVariant                *value,
                       GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  InitEventOperator *op;

  if (!init_event_operator_from_variant (value, &op, &local_error))
    return key_error (error, field->key, "%s", local_error->message);
  g_clear_pointer ((InitEventOperator **) slot, init_event_operator_free);
  *(InitEventOperator **) slot = op;
  return TRUE;
}

static gboolean
field_from_variant (InitJobClass            *klass,
                    const InitJobClassField *field,
                    GVariant                *value,
                    GError                 **error)
{
  gpointer slot = G_STRUCT_MEMBER_P (klass, field->offset);
  const char *type = field_types[field->kind];

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE (type)))
    return key_error (error, field->key, _("expected type '%s', got '%s'"), type,
                      g_variant_get_type_string (value));

  switch (field->kind)
    {
    case INIT_FIELD_STRING:
      g_free (*(char **) slot);
      *(char **) slot = g_variant_dup_string (value, NULL);
      return TRUE;

    case INIT_FIELD_STRV:
      return strv_from_variant (slot, value);

    case INIT_FIELD_BOOLEAN:
      *(gboolean *) slot = g_variant_get_boolean (value);
      return TRUE;

    case INIT_FIELD_INT:
      return int_from_variant (slot, field, value, error);

    case INIT_FIELD_UMASK:
      if (g_variant_get_uint32 (value) > 0777)
        return key_error (error, field->key, _("mask %o out of range 0 to 777"),
                          g_variant_get_uint32 (value));
      klass->umask = g_variant_get_uint32 (value);
      return TRUE;

    case INIT_FIELD_ENUM:
      return enum_from_variant (klass, field, value, error);

    case INIT_FIELD_OPERATOR:
      return operator_from_variant (slot, field, value, error);

    case INIT_FIELD_PROCESS:
      return process_from_variant (klass, field, value, error);

    case INIT_FIELD_NORMAL_EXIT:
      return normal_exit_from_variant (klass, field, value, error);

    case INIT_FIELD_LIMITS:
      return limits_from_variant (klass, field, value, error);

    default:
      g_assert_not_reached ();
    }
}

/* "format" is not a field of the class: any format ≥ 1 is read (see CLASS_STATE_FORMAT). */
static gboolean
format_is_valid (GVariant *value,
                 GError  **error)
{
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return key_error (error, "format", _("expected type '%s', got '%s'"), "u",
                      g_variant_get_type_string (value));
  if (g_variant_get_uint32 (value) < 1)
    return key_error (error, "format", _("format %u is not a format"),
                      g_variant_get_uint32 (value));
  return TRUE;
}

/**
 * init_job_class_from_variant:
 * @variant: an a{sv} as written by init_job_class_to_variant() (of this or another version)
 * @error: return location for an INIT_ERROR_INVALID_ARGS error naming the offending key
 *
 * Keys this version does not know are ignored; missing keys keep the §1.3 default.  Every
 * known value is checked for type and range as the job-file parser checks it, so that even a
 * corrupt or hostile state yields either an error or a class the parser could have produced.
 *
 * Returns: (transfer full) (nullable): the class, or NULL on error.
 */
InitJobClass *
init_job_class_from_variant (GVariant *variant,
                             GError  **error)
{
  g_autoptr(InitJobClass) klass = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                   _("Invalid job class state: expected type 'a{sv}', got '%s'"),
                   g_variant_get_type_string (variant));
      return NULL;
    }

  klass = init_job_class_new (NULL);

  g_variant_iter_init (&iter, variant);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) owned = value;
      const InitJobClassField *field = init_job_class_field_lookup (key);

      if (strcmp (key, "format") == 0 && !format_is_valid (value, error))
        return NULL;
      if (field != NULL && !field_from_variant (klass, field, value, error))
        return NULL;
    }

  /* The parser drops `start on` when it reads `manual`, and clears `manual` on `start on`. */
  if (klass->manual && klass->start_on != NULL)
    {
      key_error (error, "manual", _("set together with a 'start-on' expression"));
      return NULL;
    }

  return g_steal_pointer (&klass);
}
