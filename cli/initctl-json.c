/* initctl-json.c — the little JSON initctl writes (strings and string arrays)
 *
 * Written by hand: the output is a handful of flat objects, and a JSON library would be a
 * new dependency and a start-up cost for every initctl run.  The tests check every --json
 * output with a real JSON parser.
 */
#define G_LOG_DOMAIN "init-cli"

#include "initctl.h"

void
initctl_json_string (GString    *out,
                     const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          /* D-Bus strings are valid UTF-8, so only control characters need escaping. */
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
          break;
        }
    }
  g_string_append_c (out, '"');
}

void
initctl_json_strv (GString           *out,
                   const char *const *strv)
{
  g_string_append_c (out, '[');
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      initctl_json_string (out, strv[i]);
    }
  g_string_append_c (out, ']');
}
