/* init-name.c — job and instance names as single path elements */
#include "init-name.h"

void
init_name_append_escaped (GString    *out,
                          const char *name)
{
  static const char hex[] = "0123456789abcdef";

  g_return_if_fail (out != NULL && name != NULL);

  if (name[0] == '\0')
    {
      g_string_append_c (out, '_');
      return;
    }
  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, (char) *p);
      else
        {
          g_string_append_c (out, '_');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0xf]);
        }
    }
}
