/* init-env.c — ordered KEY=VALUE environment tables and ${…} expansion */
#define G_LOG_DOMAIN "init-env"

#include <string.h>

#include <glib/gi18n.h>

#include "init-env.h"
#include "init-error.h"

/* Client-supplied tables are bounded in count as well as per entry, so a single request cannot
 * make the daemon hold an unbounded amount of memory. */
#define INIT_ENV_MAX_ENTRIES 4096

/* Deepest nesting of "${" accepted by init_env_expand: every level is a recursion, and nothing
 * real comes close. */
#define INIT_ENV_MAX_EXPAND_DEPTH 64

/* Largest result of init_env_expand: a few references to large values must not multiply into
 * gigabytes. */
#define INIT_ENV_MAX_EXPANSION (1024 * 1024)

/* Longest excerpt of a bad entry quoted back in an error message. */
#define INIT_ENV_QUOTE_MAX 64

GPtrArray *
init_env_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

GPtrArray *
init_env_copy (GPtrArray *env)
{
  GPtrArray *copy;

  copy = g_ptr_array_new_full (env ? env->len : 0, g_free);
  for (guint i = 0; env && i < env->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (env, i)));

  return copy;
}

/* Index of the entry for the @key_len bytes of @key, or -1.  A key containing '=' can never
 * name an entry (it would otherwise match a prefix of some "K=V" entry). */
static gint
env_find (GPtrArray  *env,
          const char *key,
          gsize       key_len)
{
  if (env == NULL || memchr (key, '=', key_len) != NULL)
    return -1;

  for (guint i = 0; i < env->len; i++)
    {
      const char *entry = g_ptr_array_index (env, i);

      if (strncmp (entry, key, key_len) == 0 && entry[key_len] == '=')
        return (gint) i;
    }

  return -1;
}

void
init_env_add (GPtrArray  *env,
              const char *entry,
              gboolean    replace)
{
  const char *eq;
  gsize key_len;
  char *new_entry = NULL;
  gint idx;

  g_return_if_fail (env != NULL);
  g_return_if_fail (entry != NULL);

  eq = strchr (entry, '=');
  key_len = eq ? (gsize) (eq - entry) : strlen (entry);

  if (eq != NULL)
    {
      new_entry = g_strdup (entry);
    }
  else
    {
      /* "KEY" alone: take the value from our own environment; absent means remove. */
      const char *value = g_getenv (entry);

      if (value != NULL)
        new_entry = g_strconcat (entry, "=", value, NULL);
    }

  idx = env_find (env, entry, key_len);
  if (idx >= 0)
    {
      if (!replace)
        {
          g_free (new_entry);
          return;
        }

      if (new_entry != NULL)
        {
          /* Replace in place: the key keeps its original position. */
          g_free (g_ptr_array_index (env, idx));
          g_ptr_array_index (env, idx) = new_entry;
        }
      else
        {
          g_ptr_array_remove_index (env, idx);
        }
      return;
    }

  if (new_entry != NULL)
    g_ptr_array_add (env, new_entry);
}

void
init_env_append (GPtrArray *env,
                 GPtrArray *other,
                 gboolean   replace)
{
  g_return_if_fail (env != NULL);
  g_return_if_fail (env != other);

  for (guint i = 0; other && i < other->len; i++)
    init_env_add (env, g_ptr_array_index (other, i), replace);
}

void
init_env_set (GPtrArray  *env,
              const char *key,
              const char *value)
{
  gint idx;
  char *entry;

  g_return_if_fail (env != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (strchr (key, '=') == NULL);
  g_return_if_fail (value != NULL);

  entry = g_strconcat (key, "=", value, NULL);
  idx = env_find (env, key, strlen (key));
  if (idx >= 0)
    {
      g_free (g_ptr_array_index (env, idx));
      g_ptr_array_index (env, idx) = entry;
    }
  else
    {
      g_ptr_array_add (env, entry);
    }
}

gboolean
init_env_remove (GPtrArray  *env,
                 const char *key)
{
  gint idx;

  g_return_val_if_fail (env != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  idx = env_find (env, key, strlen (key));
  if (idx < 0)
    return FALSE;

  g_ptr_array_remove_index (env, idx);
  return TRUE;
}

const char *
init_env_lookup (GPtrArray  *env,
                 const char *key,
                 gsize       key_len)
{
  gint idx;

  g_return_val_if_fail (key != NULL || key_len == 0, NULL);

  idx = env_find (env, key, key_len);
  return idx >= 0 ? g_ptr_array_index (env, idx) : NULL;
}

const char *
init_env_getn (GPtrArray  *env,
               const char *key,
               gsize       key_len)
{
  const char *entry;

  g_return_val_if_fail (key != NULL || key_len == 0, NULL);

  entry = init_env_lookup (env, key, key_len);
  return entry ? entry + key_len + 1 : NULL;
}

const char *
init_env_get (GPtrArray  *env,
              const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return init_env_getn (env, key, strlen (key));
}

gboolean
init_env_key_is_valid (const char *key,
                       gssize      key_len)
{
  gsize len;

  g_return_val_if_fail (key != NULL, FALSE);

  len = key_len < 0 ? strlen (key) : (gsize) key_len;
  if (len == 0 || len > INIT_ENV_MAX_KEY)
    return FALSE;
  if (!g_ascii_isalpha (key[0]) && key[0] != '_')
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_isalnum (key[i]) && key[i] != '_')
      return FALSE;

  return TRUE;
}

/* A short, printable rendering of a rejected entry for an error message. */
static char *
describe_entry (const char *entry,
                gsize       len)
{
  g_autofree char *valid = g_utf8_make_valid (entry, MIN (len, INIT_ENV_QUOTE_MAX * 4));

  if (g_utf8_strlen (valid, -1) > INIT_ENV_QUOTE_MAX || len > INIT_ENV_QUOTE_MAX * 4)
    {
      g_autofree char *head = g_utf8_substring (valid, 0, INIT_ENV_QUOTE_MAX);
      return g_strconcat (head, "…", NULL);
    }

  return g_steal_pointer (&valid);
}

gboolean
init_env_validate (const char *const *entries,
                   GError           **error)
{
  gsize count = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (const char *const *e = entries; e && *e; e++, count++)
    {
      const char *entry = *e;
      gsize len = strnlen (entry, INIT_ENV_MAX_ENTRY + 1);
      const char *eq;

      if (count >= INIT_ENV_MAX_ENTRIES)
        {
          g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT,
                       _("Too many environment entries (at most %d)"), INIT_ENV_MAX_ENTRIES);
          return FALSE;
        }

      if (len > INIT_ENV_MAX_ENTRY)
        {
          g_autofree char *desc = describe_entry (entry, len);
          g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT,
                       _("Env entry too long (at most %d bytes): '%s'"),
                       INIT_ENV_MAX_ENTRY, desc);
          return FALSE;
        }

      if (!g_utf8_validate (entry, len, NULL))
        {
          g_autofree char *desc = describe_entry (entry, len);
          g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT,
                       _("Env entry is not valid UTF-8: '%s'"), desc);
          return FALSE;
        }

      eq = strchr (entry, '=');
      if (eq == NULL)
        {
          g_autofree char *desc = describe_entry (entry, len);
          g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT,
                       _("Env must be KEY=VALUE pairs: '%s'"), desc);
          return FALSE;
        }

      if (!init_env_key_is_valid (entry, eq - entry))
        {
          g_autofree char *desc = describe_entry (entry, len);
          g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ENVIRONMENT,
                       _("Invalid variable name in env entry (a letter or '_', then letters, "
                         "digits or '_', at most %d bytes): '%s'"),
                       INIT_ENV_MAX_KEY, desc);
          return FALSE;
        }
    }

  return TRUE;
}

char **
init_env_to_strv (GPtrArray *env)
{
  char **strv;

  strv = g_new (char *, (env ? env->len : 0) + 1);
  for (guint i = 0; env && i < env->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (env, i));
  strv[env ? env->len : 0] = NULL;

  return strv;
}

GPtrArray *
init_env_from_strv (const char *const *strv)
{
  GPtrArray *env = init_env_new ();

  for (const char *const *s = strv; s && *s; s++)
    g_ptr_array_add (env, g_strdup (*s));

  return env;
}

/* ---- expansion ------------------------------------------------------------------------------ */

typedef struct
{
  const char *p;      /* cursor into the string being expanded */
  GPtrArray  *env;
  guint       depth;  /* current "${" nesting */
} Expander;

static gboolean expand_text (Expander *x,
                             GString  *out,
                             gboolean  in_braces,
                             GError  **error);
static gboolean expand_dollar (Expander *x,
                               GString  *out,
                               GError  **error);

static inline gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static inline gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static void
set_unknown_parameter (GError    **error,
                       const char *name,
                       gsize       len)
{
  g_autofree char *desc = describe_entry (name, len);

  g_set_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_UNKNOWN_PARAMETER,
               _("Unknown parameter: %s"), desc);
}

/* Append a substituted value, refusing to grow past INIT_ENV_MAX_EXPANSION. */
static gboolean
append_value (GString    *out,
              const char *value,
              gsize       len,
              GError    **error)
{
  if (out->len + len > INIT_ENV_MAX_EXPANSION)
    {
      g_set_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_LARGE,
                   _("Variable expansion too large (at most %d bytes)"), INIT_ENV_MAX_EXPANSION);
      return FALSE;
    }

  g_string_append_len (out, value, len);
  return TRUE;
}

static void
set_mismatched_braces (GError **error)
{
  g_set_error_literal (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_MISMATCHED_BRACES,
                       _("Mismatched braces"));
}

/* Copy text to @out, expanding references, until the end of the string or — if @in_braces —
 * the '}' that closes the enclosing "${", which is left under the cursor. */
static gboolean
expand_text (Expander *x,
             GString  *out,
             gboolean  in_braces,
             GError  **error)
{
  while (*x->p != '\0')
    {
      const char *run;

      if (in_braces && *x->p == '}')
        return TRUE;

      if (*x->p == '$')
        {
          if (!expand_dollar (x, out, error))
            return FALSE;
          continue;
        }

      /* Copy plain text in one go. */
      run = x->p;
      while (*x->p != '\0' && *x->p != '$' && !(in_braces && *x->p == '}'))
        x->p++;
      g_string_append_len (out, run, x->p - run);
    }

  if (in_braces)
    {
      set_mismatched_braces (error);
      return FALSE;
    }

  return TRUE;
}

/* The name of a braced reference into @name: identifier characters and nested references
 * ("${$X}", "${${X}}"); stops on the first other character. */
static gboolean
expand_braced_name (Expander *x,
                    GString  *name,
                    GError  **error)
{
  while (*x->p == '$' || is_name_char (*x->p))
    {
      gboolean ok;

      if (*x->p != '$')
        {
          g_string_append_c (name, *x->p++);
          continue;
        }
      x->depth++;
      ok = expand_dollar (x, name, error);
      x->depth--;
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* After the name: the operator ("-", "+", ":-", ":+" into @op and @colon; '\0' for none) and
 * its word into @word; the cursor ends on the closing '}'. */
static gboolean
expand_braced_operator (Expander *x,
                        char     *op,
                        gboolean *colon,
                        GString **word,
                        GError  **error)
{
  gboolean ok;

  if (*x->p == '\0')
    {
      set_mismatched_braces (error);
      return FALSE;
    }
  else if (*x->p == ':' && (x->p[1] == '-' || x->p[1] == '+'))
    {
      *colon = TRUE;
      *op = x->p[1];
      x->p += 2;
    }
  else if (*x->p == '-' || *x->p == '+')
    {
      *op = *x->p++;
    }
  else if (*x->p != '}')
    {
      g_set_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_EXPECTED_EXPANSION_OPERATOR,
                   _("Expected operator after variable name in ${…}: one of }, -, :-, +, :+"));
      return FALSE;
    }
  else
    return TRUE;

  /* The word is expanded whether or not it is used, as Upstart does. */
  *word = g_string_new (NULL);
  x->depth++;
  ok = expand_text (x, *word, TRUE, error);
  x->depth--;
  return ok;
}

/* The cursor is on "${": expand the whole braced reference (§3.9.1). */
static gboolean
expand_braced (Expander *x,
               GString  *out,
               GError  **error)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) word = NULL;
  gboolean colon = FALSE;
  char op = '\0';
  const char *value;
  const char *name_start;

  if (x->depth >= INIT_ENV_MAX_EXPAND_DEPTH)
    {
      g_set_error (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_TOO_DEEP,
                   _("Variable references nested too deeply (at most %d levels of ${)"),
                   INIT_ENV_MAX_EXPAND_DEPTH);
      return FALSE;
    }

  x->p += 2;
  name_start = x->p;
  if (!expand_braced_name (x, name, error)
      || !expand_braced_operator (x, &op, &colon, &word, error))
    return FALSE;

  g_assert (*x->p == '}');
  x->p++;

  /* "${}" is a literal dollar sign. */
  if (op == '\0' && x->p - name_start == 1)
    {
      g_string_append_c (out, '$');
      return TRUE;
    }

  value = init_env_getn (x->env, name->str, name->len);
  switch (op)
    {
    case '\0':
      if (value == NULL)
        {
          set_unknown_parameter (error, name->str, name->len);
          return FALSE;
        }
      return append_value (out, value, strlen (value), error);
    case '-':
      if (value != NULL && !(colon && *value == '\0'))
        return append_value (out, value, strlen (value), error);
      return append_value (out, word->str, word->len, error);
    case '+':
      if (value != NULL && !(colon && *value == '\0'))
        return append_value (out, word->str, word->len, error);
      break;
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

/* The cursor is on '$'. */
static gboolean
expand_dollar (Expander *x,
               GString  *out,
               GError  **error)
{
  const char *name;
  const char *value;

  g_assert (*x->p == '$');

  if (x->p[1] == '{')
    return expand_braced (x, out, error);

  if (!is_name_start (x->p[1]))
    {
      /* '$' followed by anything else (space, digit, end of string) is literal. */
      g_string_append_c (out, '$');
      x->p++;
      return TRUE;
    }

  name = ++x->p;
  while (is_name_char (*x->p))
    x->p++;

  value = init_env_getn (x->env, name, x->p - name);
  if (value == NULL)
    {
      set_unknown_parameter (error, name, x->p - name);
      return FALSE;
    }

  return append_value (out, value, strlen (value), error);
}

char *
init_env_expand (const char *string,
                 GPtrArray  *env,
                 GError    **error)
{
  Expander x = { string, env, 0 };
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (string != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Nothing to do for the common case of a plain value. */
  if (strchr (string, '$') == NULL)
    return g_strdup (string);

  out = g_string_sized_new (strlen (string) + 16);
  if (!expand_text (&x, out, FALSE, error))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}
