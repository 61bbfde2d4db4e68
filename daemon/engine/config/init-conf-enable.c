/* init-conf-enable.c — enabling and disabling a job by `manual` in its override */
#define G_LOG_DOMAIN "init-conf"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "init-conf-enable.h"
#include "init-error.h"

/* Whether the line of @len bytes at @line is a `manual` stanza. */
static gboolean
line_is_manual (const char *line,
                gsize       len)
{
  const char *end = line + len;
  const char *p = line;

  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if ((gsize) (end - p) < 6 || strncmp (p, "manual", 6) != 0)
    return FALSE;
  for (p += 6; p < end; p++)
    {
      if (*p == '#')
        return TRUE;
      if (*p != ' ' && *p != '\t' && *p != '\r')
        return FALSE;
    }
  return TRUE;
}

gboolean
init_conf_has_manual (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *line = text; *line != '\0';)
    {
      const char *nl = strchr (line, '\n');
      gsize len = nl != NULL ? (gsize) (nl - line) : strlen (line);

      if (line_is_manual (line, len))
        return TRUE;
      line += len + (nl != NULL ? 1 : 0);
    }
  return FALSE;
}

char *
init_conf_strip_manual (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (const char *line = text; *line != '\0';)
    {
      const char *nl = strchr (line, '\n');
      gsize len = nl != NULL ? (gsize) (nl - line) : strlen (line);
      gsize with_newline = len + (nl != NULL ? 1 : 0);

      if (!line_is_manual (line, len))
        g_string_append_len (out, line, with_newline);
      line += with_newline;
    }
  return g_string_free (out, FALSE);
}

gboolean
init_conf_is_enabled (const InitJobClass *klass)
{
  g_return_val_if_fail (klass != NULL, FALSE);

  return !klass->manual;
}

/* The override that applies to @klass, or the one a change would create next to its .conf. */
static char *
override_path (const InitJobClass *klass)
{
  if (klass->override_path != NULL)
    return g_strdup (klass->override_path);
  if (g_str_has_suffix (klass->path, ".conf"))
    {
      g_autofree char *stem = g_strndup (klass->path, strlen (klass->path) - strlen (".conf"));

      return g_strconcat (stem, ".override", NULL);
    }
  return g_strconcat (klass->path, ".override", NULL);
}

/* @path's text, "" if it does not exist. */
static char *
read_text (const char *path,
           GError    **error)
{
  g_autoptr(GError) local = NULL;
  char *text = NULL;

  if (g_file_get_contents (path, &text, NULL, &local))
    return text;
  if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return g_strdup ("");
  g_set_error (error, INIT_ERROR, INIT_ERROR_NOT_WRITABLE, _("Cannot read %s: %s"), path,
               local->message);
  return NULL;
}

/* Replace @path by @text, or remove it when @text is only blanks. */
static gboolean
write_text (const char *path,
            const char *text,
            GError    **error)
{
  g_autoptr(GError) local = NULL;
  const char *p = text;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '\0')
    {
      if (g_unlink (path) == 0 || errno == ENOENT)
        return TRUE;
      g_set_error (error, INIT_ERROR, INIT_ERROR_NOT_WRITABLE, _("Cannot remove %s: %s"), path,
                   g_strerror (errno));
      return FALSE;
    }
  if (g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    return TRUE;
  g_set_error (error, INIT_ERROR, INIT_ERROR_NOT_WRITABLE, _("Cannot write %s: %s"), path,
               local->message);
  return FALSE;
}

gboolean
init_conf_set_enabled (const InitJobClass *klass,
                       gboolean            enabled,
                       gboolean           *changed,
                       GError            **error)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *new_text = NULL;

  g_return_val_if_fail (klass != NULL && klass->path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (changed != NULL)
    *changed = FALSE;
  if (init_conf_is_enabled (klass) == enabled)
    return TRUE;

  path = override_path (klass);
  text = read_text (path, error);
  if (text == NULL)
    return FALSE;
  if (enabled)
    {
      g_autofree char *conf = read_text (klass->path, error);

      if (conf == NULL)
        return FALSE;
      /* Nothing to undo in the override: the .conf itself says so. */
      if (init_conf_has_manual (conf) || !init_conf_has_manual (text))
        {
          g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED,
                       _("%s says manual itself: only an edit of that file enables the job"),
                       klass->path);
          return FALSE;
        }
      new_text = init_conf_strip_manual (text);
    }
  else if (text[0] == '\0' || g_str_has_suffix (text, "\n"))
    new_text = g_strconcat (text, "manual\n", NULL);
  else
    new_text = g_strconcat (text, "\nmanual\n", NULL);

  if (!write_text (path, new_text, error))
    return FALSE;
  if (changed != NULL)
    *changed = TRUE;
  return TRUE;
}
