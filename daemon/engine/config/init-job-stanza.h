/* init-job-stanza.h — stanza handlers shared by the job-file parser, internal
 *
 * init-job-parse.c owns the file loop and the stanza table; the handlers for stanzas that
 * take validated values (numbers, signals, limits, enumerations) and the ones we parse but
 * do not support live in init-job-stanza.c.  Every handler is called with the lexer's
 * cursor just past the stanza keyword (and its whitespace) and must consume the stanza up
 * to and including its newline.
 */
#pragma once

#include <glib.h>

#include "init-job-class.h"
#include "init-lexer.h"

G_BEGIN_DECLS

typedef struct
{
  InitLexer     lexer;
  InitJobClass *klass;
  const char   *path;      /* for messages, may be NULL */
  GPtrArray    *warnings;  /* may be NULL */
  guint         n_warnings;
} InitJobParser;

typedef struct _InitJobStanza InitJobStanza;

/* @keyword: offset of the stanza keyword (for warnings and block errors). */
typedef gboolean (*InitJobStanzaFunc) (InitJobParser       *parser,
                                       const InitJobStanza *stanza,
                                       gsize                keyword,
                                       GError             **error);

struct _InitJobStanza
{
  const char       *name;
  InitJobStanzaFunc func;
  gsize             data;    /* handler-specific: a struct offset or a process type */
  const char       *syntax;  /* the stanza's form, named after "Expected token: " */
  const char       *example; /* a line using it with a value other than the default */
};

/* The parser's table of stanzas (@n_stanzas set to its length). */
const InitJobStanza *init_job_parse_get_stanzas (guint *n_stanzas);

/* Most warnings kept per parse; one more line says how many were dropped. */
#define INIT_JOB_PARSE_MAX_WARNINGS 50

/* Append "PATH:LINE:COLUMN: TEXT" for @offset to the parser's warnings (if any). */
void     init_job_parser_warn (InitJobParser *parser,
                               gsize          offset,
                               const char    *text);

gboolean init_job_stanza_expect (InitJobParser *parser, const InitJobStanza *stanza,
                                 gsize keyword, GError **error);
gboolean init_job_stanza_kill (InitJobParser *parser, const InitJobStanza *stanza,
                               gsize keyword, GError **error);
gboolean init_job_stanza_reload (InitJobParser *parser, const InitJobStanza *stanza,
                                 gsize keyword, GError **error);
gboolean init_job_stanza_respawn (InitJobParser *parser, const InitJobStanza *stanza,
                                  gsize keyword, GError **error);
gboolean init_job_stanza_normal (InitJobParser *parser, const InitJobStanza *stanza,
                                 gsize keyword, GError **error);
gboolean init_job_stanza_console (InitJobParser *parser, const InitJobStanza *stanza,
                                  gsize keyword, GError **error);
gboolean init_job_stanza_umask (InitJobParser *parser, const InitJobStanza *stanza,
                                gsize keyword, GError **error);
gboolean init_job_stanza_nice (InitJobParser *parser, const InitJobStanza *stanza,
                               gsize keyword, GError **error);
gboolean init_job_stanza_oom (InitJobParser *parser, const InitJobStanza *stanza,
                              gsize keyword, GError **error);
gboolean init_job_stanza_limit (InitJobParser *parser, const InitJobStanza *stanza,
                                gsize keyword, GError **error);
gboolean init_job_stanza_debug (InitJobParser *parser, const InitJobStanza *stanza,
                                gsize keyword, GError **error);
gboolean init_job_stanza_apparmor (InitJobParser *parser, const InitJobStanza *stanza,
                                   gsize keyword, GError **error);
gboolean init_job_stanza_cgroup (InitJobParser *parser, const InitJobStanza *stanza,
                                 gsize keyword, GError **error);

G_END_DECLS
