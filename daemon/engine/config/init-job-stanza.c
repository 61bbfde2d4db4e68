/* init-job-stanza.c — job-file stanzas that take validated values (reference §1.3) */
#define G_LOG_DOMAIN "init-job-parse"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gi18n.h>

#include "init-job-stanza.h"
#include "init-kernel-names.h"

static gboolean
parse_signed (const char *text,
              gint64      min,
              gint64      max,
              int        *value)
{
  gint64 v;

  if (!g_ascii_string_to_signed (text, 10, min, max, &v, NULL))
    return FALSE;

  *value = (int) v;
  return TRUE;
}

/* A word after the stanza keyword (`kill timeout`), compared as written. */
static char *
next_keyword (InitJobParser *parser,
              gsize         *offset,
              GError       **error)
{
  return init_lexer_next_token (&parser->lexer, INIT_LEXER_CNLWS, FALSE, offset, error);
}

/* One keyword argument out of @words, alone on the line: its index, or -1 with an
 * UNKNOWN_STANZA error (text @expected) at the argument, or with the lexer's error. */
static int
stanza_one_of (InitJobParser     *parser,
               const char *const *words,
               const char        *expected,
               GError           **error)
{
  gsize offset;
  g_autofree char *arg = init_lexer_next_arg (&parser->lexer, &offset, error);

  if (arg == NULL)
    return -1;
  for (int i = 0; words[i] != NULL; i++)
    if (strcmp (arg, words[i]) == 0)
      return init_lexer_end_of_line (&parser->lexer, error) ? i : -1;
  init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_UNKNOWN_STANZA, "%s", expected);
  return -1;
}

/* One of @words sets *@slot to the matching entry of @values. */
static gboolean
stanza_choose (InitJobParser     *parser,
               const char *const *words,
               const int         *values,
               const char        *expected,
               int               *slot,
               GError           **error)
{
  int i = stanza_one_of (parser, words, expected, error);

  if (i < 0)
    return FALSE;
  *slot = values[i];
  return TRUE;
}

gboolean
init_job_stanza_expect (InitJobParser       *parser,
                        const InitJobStanza *stanza,
                        gsize                keyword,
                        GError             **error)
{
  static const char *const words[] = { "stop", "daemon", "fork", "none", NULL };
  static const int values[] = {
    INIT_EXPECT_STOP, INIT_EXPECT_DAEMON, INIT_EXPECT_FORK, INIT_EXPECT_NONE,
  };
  G_STATIC_ASSERT (sizeof (InitExpectType) == sizeof (int));

  return stanza_choose (parser, words, values,
                        _("Unknown stanza, expected expect stop, daemon, fork or none"),
                        (int *) &parser->klass->expect, error);
}

/* `kill signal SIG` / `reload signal SIG`: the value after the sub-keyword. */
static gboolean
signal_value (InitJobParser *parser,
              int           *slot,
              GError       **error)
{
  gsize offset;
  g_autofree char *arg = init_lexer_next_arg (&parser->lexer, &offset, error);
  int signum;

  if (arg == NULL)
    return FALSE;

  signum = init_signal_parse (arg);
  if (signum < 0)
    return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_ILLEGAL_SIGNAL,
                             _("Illegal signal, expected a signal name or 1 to %d"),
                             (int) SIGRTMAX);

  if (!init_lexer_end_of_line (&parser->lexer, error))
    return FALSE;

  *slot = signum;
  return TRUE;
}

gboolean
init_job_stanza_kill (InitJobParser       *parser,
                      const InitJobStanza *stanza,
                      gsize                keyword,
                      GError             **error)
{
  gsize offset;
  g_autofree char *sub = next_keyword (parser, &offset, error);

  if (sub == NULL)
    return FALSE;

  if (strcmp (sub, "timeout") == 0)
    {
      g_autofree char *arg = init_lexer_next_arg (&parser->lexer, &offset, error);
      int timeout;

      if (arg == NULL)
        return FALSE;
      if (!parse_signed (arg, 0, G_MAXINT, &timeout))
        return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_ILLEGAL_INTERVAL,
                                 "%s", _("Illegal interval, expected number of seconds"));
      if (!init_lexer_end_of_line (&parser->lexer, error))
        return FALSE;

      parser->klass->kill_timeout = timeout;
      return TRUE;
    }

  if (strcmp (sub, "signal") == 0)
    return signal_value (parser, &parser->klass->kill_signal, error);

  return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                           "%s", _("Unknown stanza, expected kill timeout or kill signal"));
}

gboolean
init_job_stanza_reload (InitJobParser       *parser,
                        const InitJobStanza *stanza,
                        gsize                keyword,
                        GError             **error)
{
  gsize offset;
  g_autofree char *sub = next_keyword (parser, &offset, error);

  if (sub == NULL)
    return FALSE;

  if (strcmp (sub, "signal") == 0)
    return signal_value (parser, &parser->klass->reload_signal, error);

  return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                           "%s", _("Unknown stanza, expected reload signal"));
}

gboolean
init_job_stanza_respawn (InitJobParser       *parser,
                         const InitJobStanza *stanza,
                         gsize                keyword,
                         GError             **error)
{
  InitLexer *lexer = &parser->lexer;
  gsize offset;
  g_autofree char *sub = NULL;
  g_autofree char *count = NULL;
  int limit = 0, interval = 0;

  /* Plain `respawn` enables respawning; `respawn limit` only sets the rate limit. */
  if (!init_lexer_has_token (lexer))
    {
      parser->klass->respawn = TRUE;
      return init_lexer_end_of_line (lexer, error);
    }

  sub = next_keyword (parser, &offset, error);
  if (sub == NULL)
    return FALSE;
  if (strcmp (sub, "limit") != 0)
    return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                             "%s", _("Unknown stanza, expected respawn or respawn limit"));

  count = init_lexer_next_arg (lexer, &offset, error);
  if (count == NULL)
    return FALSE;

  if (strcmp (count, "unlimited") != 0)
    {
      g_autofree char *seconds = NULL;

      if (!parse_signed (count, 0, G_MAXINT, &limit))
        return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_ILLEGAL_LIMIT,
                                 "%s", _("Illegal limit, expected 'unlimited' or integer"));

      seconds = init_lexer_next_arg (lexer, &offset, error);
      if (seconds == NULL)
        return FALSE;
      if (!parse_signed (seconds, 0, G_MAXINT, &interval))
        return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_ILLEGAL_INTERVAL,
                                 "%s", _("Illegal interval, expected number of seconds"));
    }

  if (!init_lexer_end_of_line (lexer, error))
    return FALSE;

  parser->klass->respawn_limit = limit;
  parser->klass->respawn_interval = interval;
  return TRUE;
}

gboolean
init_job_stanza_normal (InitJobParser       *parser,
                        const InitJobStanza *stanza,
                        gsize                keyword,
                        GError             **error)
{
  InitLexer *lexer = &parser->lexer;
  gsize offset;
  g_autofree char *sub = next_keyword (parser, &offset, error);
  g_autoptr(GArray) statuses = g_array_new (FALSE, FALSE, sizeof (int));

  if (sub == NULL)
    return FALSE;
  if (strcmp (sub, "exit") != 0)
    return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                             "%s", _("Unknown stanza, expected normal exit"));

  do
    {
      g_autofree char *arg = init_lexer_next_arg (lexer, &offset, error);
      int signum;
      guint64 status;
      int value;

      if (arg == NULL)
        return FALSE;

      /* Statuses above 255 cannot be exit codes, and would alias `signum << 8`. */
      signum = init_signal_from_name (arg);
      if (signum > 0)
        value = signum << 8;
      else if (g_ascii_string_to_unsigned (arg, 10, 0, 255, &status, NULL))
        value = (int) status;
      else
        return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_ILLEGAL_EXIT,
                                 "%s", _("Illegal exit status, expected 0 to 255 or a signal name"));

      g_array_append_val (statuses, value);
    }
  while (init_lexer_has_token (lexer));

  if (!init_lexer_end_of_line (lexer, error))
    return FALSE;

  g_array_append_vals (init_job_class_writable_normal_exit (parser->klass), statuses->data,
                       statuses->len);
  return TRUE;
}

gboolean
init_job_stanza_console (InitJobParser       *parser,
                         const InitJobStanza *stanza,
                         gsize                keyword,
                         GError             **error)
{
  static const char *const words[] = { "none", "output", "owner", "log", NULL };
  static const int values[] = {
    INIT_CONSOLE_NONE, INIT_CONSOLE_OUTPUT, INIT_CONSOLE_OWNER, INIT_CONSOLE_LOG,
  };
  G_STATIC_ASSERT (sizeof (InitConsoleType) == sizeof (int));

  return stanza_choose (parser, words, values,
                        _("Unknown stanza, expected console none, output, owner or log"),
                        (int *) &parser->klass->console, error);
}

gboolean
init_job_stanza_umask (InitJobParser       *parser,
                       const InitJobStanza *stanza,
                       gsize                keyword,
                       GError             **error)
{
  gsize offset;
  g_autofree char *arg = init_lexer_next_arg (&parser->lexer, &offset, error);
  guint64 mask;

  if (arg == NULL)
    return FALSE;

  if (!g_ascii_string_to_unsigned (arg, 8, 0, 0777, &mask, NULL))
    return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_ILLEGAL_UMASK,
                             "%s", _("Illegal file creation mask, expected octal 0 to 777"));

  if (!init_lexer_end_of_line (&parser->lexer, error))
    return FALSE;

  parser->klass->umask = (mode_t) mask;
  return TRUE;
}

gboolean
init_job_stanza_nice (InitJobParser       *parser,
                      const InitJobStanza *stanza,
                      gsize                keyword,
                      GError             **error)
{
  gsize offset;
  g_autofree char *arg = init_lexer_next_arg (&parser->lexer, &offset, error);
  int nice;

  if (arg == NULL)
    return FALSE;

  if (!parse_signed (arg, -20, 19, &nice))
    return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_ILLEGAL_NICE,
                             "%s", _("Illegal nice value, expected -20 to 19"));

  if (!init_lexer_end_of_line (&parser->lexer, error))
    return FALSE;

  parser->klass->nice = nice;
  return TRUE;
}

gboolean
init_job_stanza_oom (InitJobParser       *parser,
                     const InitJobStanza *stanza,
                     gsize                keyword,
                     GError             **error)
{
  InitLexer *lexer = &parser->lexer;
  gsize offset;
  g_autofree char *arg = init_lexer_next_arg (lexer, &offset, error);
  int score;

  if (arg == NULL)
    return FALSE;

  if (strcmp (arg, "score") == 0)
    {
      g_autofree char *value = init_lexer_next_arg (lexer, &offset, error);

      if (value == NULL)
        return FALSE;
      if (strcmp (value, "never") == 0)
        score = -1000;
      else if (!parse_signed (value, -1000, 1000, &score))
        return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_ILLEGAL_OOM,
                                 "%s", _("Illegal oom score adjustment, expected -1000 to 1000 or 'never'"));
    }
  else if (strcmp (arg, "never") == 0)
    {
      score = -1000;
    }
  else
    {
      int adj;

      if (!parse_signed (arg, -17, 15, &adj))
        return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_ILLEGAL_OOM,
                                 "%s", _("Illegal oom adjustment, expected -17 to 15 or 'never'"));

      /* The legacy oom_adj scale (-17 … 15) mapped onto oom_score_adj (-1000 … 1000). */
      score = adj * 1000 / (adj < 0 ? 17 : 15);
    }

  if (!init_lexer_end_of_line (lexer, error))
    return FALSE;

  parser->klass->oom_score_adj = score;
  parser->klass->oom_set = TRUE;
  return TRUE;
}

static gboolean
limit_value (InitJobParser *parser,
             rlim_t        *value,
             GError       **error)
{
  gsize offset;
  g_autofree char *arg = init_lexer_next_arg (&parser->lexer, &offset, error);
  guint64 v;

  if (arg == NULL)
    return FALSE;

  if (strcmp (arg, "unlimited") == 0)
    {
      *value = RLIM_INFINITY;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (arg, 10, 0, (guint64) RLIM_INFINITY, &v, NULL))
    return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_ILLEGAL_LIMIT,
                             "%s", _("Illegal limit, expected 'unlimited' or integer"));

  *value = (rlim_t) v;
  return TRUE;
}

gboolean
init_job_stanza_limit (InitJobParser       *parser,
                       const InitJobStanza *stanza,
                       gsize                keyword,
                       GError             **error)
{
  gsize offset;
  g_autofree char *name = init_lexer_next_arg (&parser->lexer, &offset, error);
  struct rlimit limit;
  int resource;

  if (name == NULL)
    return FALSE;

  resource = init_limit_from_name (name);
  if (resource < 0)
    return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                             "%s", _("Unknown stanza, expected limit as, core, cpu, data, fsize, "
                                     "memlock, msgqueue, nice, nofile, nproc, rss, rtprio, "
                                     "sigpending or stack"));

  if (!limit_value (parser, &limit.rlim_cur, error) ||
      !limit_value (parser, &limit.rlim_max, error) ||
      !init_lexer_end_of_line (&parser->lexer, error))
    return FALSE;

  g_assert (resource < INIT_N_LIMITS);
  init_job_class_set_limit (parser->klass, resource, &limit);
  return TRUE;
}

/* Parsed so that Upstart job files load, but without effect: say so, never silently. */
static void
warn_unsupported (InitJobParser *parser,
                  gsize          keyword,
                  const char    *what)
{
  g_autofree char *text = g_strdup_printf (_("'%s' is not supported and has no effect"), what);

  init_job_parser_warn (parser, keyword, text);
}

gboolean
init_job_stanza_debug (InitJobParser       *parser,
                       const InitJobStanza *stanza,
                       gsize                keyword,
                       GError             **error)
{
  if (!init_lexer_end_of_line (&parser->lexer, error))
    return FALSE;

  parser->klass->debug = TRUE;
  warn_unsupported (parser, keyword, "debug");
  return TRUE;
}

gboolean
init_job_stanza_apparmor (InitJobParser       *parser,
                          const InitJobStanza *stanza,
                          gsize                keyword,
                          GError             **error)
{
  gsize offset;
  g_autofree char *sub = next_keyword (parser, &offset, error);
  g_autofree char *arg = NULL;
  char **slot;

  if (sub == NULL)
    return FALSE;

  if (strcmp (sub, "load") == 0)
    slot = &parser->klass->apparmor_load;
  else if (strcmp (sub, "switch") == 0)
    slot = &parser->klass->apparmor_switch;
  else
    return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                             "%s", _("Unknown stanza, expected apparmor load or apparmor switch"));

  arg = init_lexer_next_arg (&parser->lexer, NULL, error);
  if (arg == NULL || !init_lexer_end_of_line (&parser->lexer, error))
    return FALSE;

  g_free (*slot);
  *slot = g_steal_pointer (&arg);
  warn_unsupported (parser, keyword, slot == &parser->klass->apparmor_load
                                     ? "apparmor load" : "apparmor switch");
  return TRUE;
}

gboolean
init_job_stanza_cgroup (InitJobParser       *parser,
                        const InitJobStanza *stanza,
                        gsize                keyword,
                        GError             **error)
{
  InitLexer *lexer = &parser->lexer;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GPtrArray) args = NULL;

  /* CONTROLLER [NAME] [KEY VALUE]: one to four arguments. */
  if (!init_lexer_has_token (lexer))
    return init_lexer_error (lexer, error, lexer->pos, INIT_PARSE_ERROR_EXPECTED_TOKEN,
                             "%s", _("Expected token"));

  args = init_lexer_parse_args (lexer, starts, error);
  if (args == NULL)
    return FALSE;
  if (args->len > 4)
    return init_lexer_error (lexer, error, g_array_index (starts, gsize, 4),
                             INIT_PARSE_ERROR_UNEXPECTED_TOKEN, "%s", _("Unexpected token"));

  g_ptr_array_add (args, NULL);
  g_ptr_array_add (init_job_class_writable_list (&parser->klass->cgroups), g_strjoinv (" ", (char **) args->pdata));
  warn_unsupported (parser, keyword, "cgroup");
  return TRUE;
}
