/* init-job-parse.c — Upstart job files to InitJobClass (reference §1) */
#define G_LOG_DOMAIN "init-job-parse"

#include <string.h>

#include <glib/gi18n.h>

#include "init-event-parse.h"
#include "init-job-parse.h"
#include "init-job-stanza.h"

void
init_job_parser_warn (InitJobParser *parser,
                      gsize          offset,
                      const char    *text)
{
  guint n = parser->n_warnings++;

  if (parser->warnings == NULL || n > INIT_JOB_PARSE_MAX_WARNINGS)
    return;

  /* A file of a million `debug` lines must not become a million log lines. */
  if (n == INIT_JOB_PARSE_MAX_WARNINGS)
    text = _("Too many warnings, further warnings suppressed");

  g_ptr_array_add (parser->warnings,
                   init_lexer_format_message (&parser->lexer, offset, parser->path, text));
}

/* description, author, version, usage, instance, chroot, chdir, setuid, setgid: one
 * argument, the last stanza wins.  stanza->data is the offset of the field. */
static gboolean
stanza_string (InitJobParser       *parser,
               const InitJobStanza *stanza,
               gsize                keyword,
               GError             **error)
{
  char **field = G_STRUCT_MEMBER_P (parser->klass, stanza->data);
  g_autofree char *value = init_lexer_next_arg (&parser->lexer, NULL, error);

  if (value == NULL || !init_lexer_end_of_line (&parser->lexer, error))
    return FALSE;

  g_free (*field);
  *field = g_steal_pointer (&value);
  return TRUE;
}

/* env: one argument, KEY=VALUE or KEY, stored verbatim; stanzas accumulate. */
static gboolean
stanza_env (InitJobParser       *parser,
            const InitJobStanza *stanza,
            gsize                keyword,
            GError             **error)
{
  g_autofree char *value = init_lexer_next_arg (&parser->lexer, NULL, error);

  if (value == NULL || !init_lexer_end_of_line (&parser->lexer, error))
    return FALSE;

  g_ptr_array_add (init_job_class_writable_list (&parser->klass->env), g_steal_pointer (&value));
  return TRUE;
}

/* export, emits: one or more arguments; stanzas accumulate.  stanza->data is the offset of
 * the GPtrArray field. */
static gboolean
stanza_list (InitJobParser       *parser,
             const InitJobStanza *stanza,
             gsize                keyword,
             GError             **error)
{
  GPtrArray *list = init_job_class_writable_list (&G_STRUCT_MEMBER (GPtrArray *, parser->klass,
                                                                    stanza->data));
  g_autoptr(GPtrArray) args = NULL;

  if (!init_lexer_has_token (&parser->lexer))
    return init_lexer_error (&parser->lexer, error, parser->lexer.pos,
                             INIT_PARSE_ERROR_EXPECTED_TOKEN, "%s", _("Expected token"));

  args = init_lexer_parse_args (&parser->lexer, NULL, error);
  if (args == NULL)
    return FALSE;

  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (list, g_steal_pointer (&g_ptr_array_index (args, i)));
  return TRUE;
}

/* Flag stanzas without arguments: task.  stanza->data is the offset of the gboolean. */
static gboolean
stanza_flag (InitJobParser       *parser,
             const InitJobStanza *stanza,
             gsize                keyword,
             GError             **error)
{
  if (!init_lexer_end_of_line (&parser->lexer, error))
    return FALSE;

  G_STRUCT_MEMBER (gboolean, parser->klass, stanza->data) = TRUE;
  return TRUE;
}

static void
set_process (InitJobParser  *parser,
             InitProcessType type,
             gboolean        script,
             char           *command)
{
  InitProcessDef *def = &parser->klass->process[type];

  /* `exec` and `script` for the same process replace each other: last wins. */
  g_free (def->command);
  def->command = command;
  def->script = script;
}

static gboolean
process_exec (InitJobParser  *parser,
              InitProcessType type,
              GError        **error)
{
  char *command;

  if (!init_lexer_has_token (&parser->lexer))
    return init_lexer_error (&parser->lexer, error, parser->lexer.pos,
                             INIT_PARSE_ERROR_EXPECTED_TOKEN, "%s", _("Expected token"));

  command = init_lexer_parse_command (&parser->lexer, error);
  if (command == NULL)
    return FALSE;

  set_process (parser, type, FALSE, command);
  return TRUE;
}

static gboolean
process_script (InitJobParser  *parser,
                InitProcessType type,
                gsize           keyword,
                GError        **error)
{
  char *script;

  /* Only a comment may follow the opening keyword. */
  if (!init_lexer_end_of_line (&parser->lexer, error))
    return FALSE;

  script = init_lexer_parse_block (&parser->lexer, "script", keyword, error);
  if (script == NULL)
    return FALSE;

  set_process (parser, type, TRUE, script);
  return TRUE;
}

/* exec COMMAND… — the main process. */
static gboolean
stanza_exec (InitJobParser       *parser,
             const InitJobStanza *stanza,
             gsize                keyword,
             GError             **error)
{
  return process_exec (parser, INIT_PROCESS_MAIN, error);
}

/* script … end script — the main process. */
static gboolean
stanza_script (InitJobParser       *parser,
               const InitJobStanza *stanza,
               gsize                keyword,
               GError             **error)
{
  return process_script (parser, INIT_PROCESS_MAIN, keyword, error);
}

/* pre-start / post-start / pre-stop / post-stop followed by exec or script.
 * stanza->data is the process type. */
static gboolean
stanza_process (InitJobParser       *parser,
                const InitJobStanza *stanza,
                gsize                keyword,
                GError             **error)
{
  InitProcessType type = (InitProcessType) stanza->data;
  gsize offset;
  g_autofree char *sub = init_lexer_next_token (&parser->lexer, INIT_LEXER_CNLWS, FALSE,
                                                &offset, error);

  if (sub == NULL)
    return FALSE;

  if (strcmp (sub, "exec") == 0)
    return process_exec (parser, type, error);
  if (strcmp (sub, "script") == 0)
    return process_script (parser, type, keyword, error);

  return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                           _("Unknown stanza, expected %s exec or %s script"),
                           stanza->name, stanza->name);
}

/* start on EXPR / stop on EXPR.  stanza->data is the offset of the operator field. */
static gboolean
stanza_on (InitJobParser       *parser,
           const InitJobStanza *stanza,
           gsize                keyword,
           GError             **error)
{
  InitEventOperator **field = G_STRUCT_MEMBER_P (parser->klass, stanza->data);
  InitEventOperator *expression;
  gsize offset;
  g_autofree char *on = init_lexer_next_token (&parser->lexer, INIT_LEXER_CNLWS, FALSE,
                                               &offset, error);

  if (on == NULL)
    return FALSE;
  if (strcmp (on, "on") != 0)
    return init_lexer_error (&parser->lexer, error, offset, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                             _("Unknown stanza, expected %s on"), stanza->name);

  expression = init_event_parse_expression (&parser->lexer, error);
  if (expression == NULL)
    return FALSE;

  /* The expression stopped at a comment, a newline or the end: this cannot fail. */
  init_lexer_next_line (&parser->lexer);

  g_clear_pointer (field, init_event_operator_free);
  *field = expression;

  /* A later `start on` overrides an earlier `manual`. */
  if (field == &parser->klass->start_on)
    parser->klass->manual = FALSE;
  return TRUE;
}

/* manual: forget any `start on` seen so far (in this file or, for an override, in the
 * .conf).  Unlike Upstart, arguments are an error rather than silently ignored. */
static gboolean
stanza_manual (InitJobParser       *parser,
               const InitJobStanza *stanza,
               gsize                keyword,
               GError             **error)
{
  if (init_lexer_has_token (&parser->lexer))
    return init_lexer_error (&parser->lexer, error, parser->lexer.pos,
                             INIT_PARSE_ERROR_ILLEGAL_ARGUMENT,
                             "%s", _("Unexpected argument, manual takes no arguments"));

  init_lexer_next_line (&parser->lexer);
  g_clear_pointer (&parser->klass->start_on, init_event_operator_free);
  parser->klass->manual = TRUE;
  return TRUE;
}

#define FIELD(f) G_STRUCT_OFFSET (InitJobClass, f)

/* Each stanza: its handler, the form named in "Expected token" errors, and a line using it
 * (test-job-class-fields checks that every stanza lands in a described field of the class). */
static const InitJobStanza stanzas[] = {
  { "instance", stanza_string, FIELD (instance),
    "instance NAME", "instance $TTY" },
  { "description", stanza_string, FIELD (description),
    "description TEXT", "description \"a job\"" },
  { "author", stanza_string, FIELD (author),
    "author TEXT", "author \"Some One\"" },
  { "version", stanza_string, FIELD (version),
    "version TEXT", "version 1.2" },
  { "env", stanza_env, 0,
    "env KEY[=VALUE]", "env FOO=bar" },
  { "export", stanza_list, FIELD (export),
    "export KEY…", "export FOO" },
  { "start", stanza_on, FIELD (start_on),
    "start on EVENT…", "start on startup" },
  { "stop", stanza_on, FIELD (stop_on),
    "stop on EVENT…", "stop on runlevel [016]" },
  { "emits", stanza_list, FIELD (emits),
    "emits EVENT…", "emits ready" },
  { "exec", stanza_exec, 0,
    "exec COMMAND [ARG]…", "exec /bin/true" },
  { "script", stanza_script, 0,
    "script … end script", "script\n  true\nend script" },
  { "pre-start", stanza_process, INIT_PROCESS_PRE_START,
    "pre-start exec COMMAND | pre-start script", "pre-start exec /bin/true" },
  { "post-start", stanza_process, INIT_PROCESS_POST_START,
    "post-start exec COMMAND | post-start script", "post-start exec /bin/true" },
  { "pre-stop", stanza_process, INIT_PROCESS_PRE_STOP,
    "pre-stop exec COMMAND | pre-stop script", "pre-stop exec /bin/true" },
  { "post-stop", stanza_process, INIT_PROCESS_POST_STOP,
    "post-stop exec COMMAND | post-stop script", "post-stop exec /bin/true" },
  { "expect", init_job_stanza_expect, 0,
    "expect stop|daemon|fork", "expect fork" },
  { "task", stanza_flag, FIELD (task),
    NULL, "task" },
  { "kill", init_job_stanza_kill, 0,
    "kill timeout SECONDS | kill signal SIGNAL", "kill timeout 30" },
  { "reload", init_job_stanza_reload, 0,
    "reload signal SIGNAL", "reload signal USR1" },
  { "respawn", init_job_stanza_respawn, 0,
    "respawn [limit COUNT SECONDS | limit unlimited]", "respawn" },
  { "normal", init_job_stanza_normal, 0,
    "normal exit STATUS|SIGNAL…", "normal exit 0 TERM" },
  { "console", init_job_stanza_console, 0,
    "console log|output|owner|none", "console output" },
  { "umask", init_job_stanza_umask, 0,
    "umask OCTAL", "umask 0077" },
  { "nice", init_job_stanza_nice, 0,
    "nice -20..19", "nice 5" },
  { "oom", init_job_stanza_oom, 0,
    "oom [score] ADJUSTMENT|never", "oom score 500" },
  { "limit", init_job_stanza_limit, 0,
    "limit RESOURCE SOFT|unlimited HARD|unlimited", "limit nofile 10 20" },
  { "chroot", stanza_string, FIELD (chroot),
    "chroot DIR", "chroot /srv" },
  { "chdir", stanza_string, FIELD (chdir),
    "chdir DIR", "chdir /var/lib" },
  { "setuid", stanza_string, FIELD (setuid),
    "setuid USER", "setuid nobody" },
  { "setgid", stanza_string, FIELD (setgid),
    "setgid GROUP", "setgid nogroup" },
  { "debug", init_job_stanza_debug, 0,
    NULL, "debug" },
  { "manual", stanza_manual, 0,
    NULL, "manual" },
  { "usage", stanza_string, FIELD (usage),
    "usage TEXT", "usage \"start x N=1\"" },
  { "apparmor", init_job_stanza_apparmor, 0,
    "apparmor load PROFILE | apparmor switch NAME", "apparmor load /etc/apparmor.d/x" },
  { "cgroup", init_job_stanza_cgroup, 0,
    "cgroup CONTROLLER [NAME] [KEY VALUE]", "cgroup cpu" },
};

#undef FIELD

const InitJobStanza *
init_job_parse_get_stanzas (guint *n_stanzas)
{
  *n_stanzas = G_N_ELEMENTS (stanzas);
  return stanzas;
}

/* Upstart's bare "Expected token" says what is missing only by its column: name the
 * stanza's form after it ("limit nofile 16384" lacks the hard limit). */
static void
name_expected (const InitJobStanza *stanza,
               GError             **error)
{
  char *message;

  if (error == NULL || stanza->syntax == NULL
      || !g_error_matches (*error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_EXPECTED_TOKEN))
    return;
  message = g_strdup_printf ("%s: %s", (*error)->message, stanza->syntax);
  g_free ((*error)->message);
  (*error)->message = message;
}

static const InitJobStanza *
lookup_stanza (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (stanzas); i++)
    {
      if (strcmp (name, stanzas[i].name) == 0)
        return &stanzas[i];
    }

  return NULL;
}

/* The file loop: skip blank and comment lines, dispatch each stanza on its keyword (taken
 * as written: a quoted keyword is not a keyword). */
static gboolean
parse_stanzas (InitJobParser *parser,
               GError       **error)
{
  InitLexer *lexer = &parser->lexer;

  while (lexer->pos < lexer->len)
    {
      g_autofree char *keyword = NULL;
      const InitJobStanza *stanza;
      gsize offset;

      init_lexer_skip_whitespace (lexer);
      if (!init_lexer_has_token (lexer))
        {
          init_lexer_next_line (lexer);
          continue;
        }

      keyword = init_lexer_next_token (lexer, INIT_LEXER_CNLWS, FALSE, &offset, error);
      if (keyword == NULL)
        return FALSE;

      stanza = lookup_stanza (keyword);
      if (stanza == NULL)
        return init_lexer_error (lexer, error, offset, INIT_PARSE_ERROR_UNKNOWN_STANZA,
                                 "%s", _("Unknown stanza"));

      if (!stanza->func (parser, stanza, offset, error))
        {
          name_expected (stanza, error);
          return FALSE;
        }
    }

  return TRUE;
}

/* Run every stanza of @data against @klass; on error, position the message. */
static gboolean
parse_into (InitJobClass *klass,
            const char   *path,
            const char   *data,
            gssize        len,
            GPtrArray    *warnings,
            InitParsePos *pos,
            GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  InitJobParser parser = { .klass = klass, .path = path, .warnings = warnings };
  guint line, column;

  if (init_lexer_init_checked (&parser.lexer, data, len, &local_error) &&
      parse_stanzas (&parser, &local_error))
    return TRUE;

  init_lexer_locate_error (&parser.lexer, local_error, path, &line, &column);
  if (pos != NULL)
    {
      pos->line = line;
      pos->column = column;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * init_job_parse:
 * @name: (nullable): job name for the new class
 * @path: (nullable): file name used in messages
 * @data: the file contents
 * @len: length of @data, or -1 if nul-terminated
 * @warnings: (nullable): receives one "PATH:LINE:COLUMN: text" string per warning
 * @pos: (out) (optional): position of the error
 * @error: return location for an INIT_PARSE_ERROR
 *
 * Returns: (transfer full) (nullable): the new class, or NULL on error.
 */
InitJobClass *
init_job_parse (const char   *name,
                const char   *path,
                const char   *data,
                gssize        len,
                GPtrArray    *warnings,
                InitParsePos *pos,
                GError      **error)
{
  g_autoptr(InitJobClass) klass = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  klass = init_job_class_new (name);
  klass->path = g_strdup (path);

  if (!parse_into (klass, path, data, len, warnings, pos, error))
    return NULL;

  return g_steal_pointer (&klass);
}

/**
 * init_job_parse_override:
 * @klass: an unshared class (a copy) to modify
 * @path: (nullable): the override file name, for messages and klass->override_path
 * @data: the file contents
 * @len: length of @data, or -1 if nul-terminated
 * @warnings: (nullable): receives warnings as for init_job_parse()
 * @pos: (out) (optional): position of the error
 * @error: return location for an INIT_PARSE_ERROR
 *
 * Runs the same stanzas over @klass: list stanzas append, scalars replace, `manual` drops
 * the `start on`.  On error @klass may be half modified and must be discarded.
 *
 * Returns: TRUE on success.
 */
gboolean
init_job_parse_override (InitJobClass *klass,
                         const char   *path,
                         const char   *data,
                         gssize        len,
                         GPtrArray    *warnings,
                         InitParsePos *pos,
                         GError      **error)
{
  g_return_val_if_fail (klass != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!parse_into (klass, path, data, len, warnings, pos, error))
    return FALSE;

  g_free (klass->override_path);
  klass->override_path = g_strdup (path);
  return TRUE;
}
