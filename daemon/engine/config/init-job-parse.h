/* init-job-parse.h — Upstart job files to InitJobClass (reference §1)
 *
 * Errors are INIT_PARSE_ERROR with a message "PATH:LINE:COLUMN: TEXT" (PATH omitted when NULL),
 * where TEXT names what was expected (e.g. "Illegal nice value, expected -20 to 19").
 * LINE and COLUMN are 1-based; COLUMN counts bytes within the line.
 */
#pragma once

#include <glib.h>

#include "init-job-class.h"

G_BEGIN_DECLS

typedef struct
{
  guint line;    /* 1-based */
  guint column;  /* 1-based byte column */
} InitParsePos;

/* Parse @data (@len bytes, or -1 for nul-terminated) into a new class named @name.
 * @path is used in messages only (may be NULL).  @warnings (nullable) receives one
 * g_malloc'ed "PATH:LINE:COLUMN: text" string per warning (unsupported stanzas such as
 * `apparmor`, `cgroup`, `debug`).  On error returns NULL, sets @error and, if @pos is not
 * NULL, the position of the error. */
InitJobClass *init_job_parse (const char   *name,
                              const char   *path,
                              const char   *data,
                              gssize        len,
                              GPtrArray    *warnings,
                              InitParsePos *pos,
                              GError      **error);

/* Apply an override file on top of @klass (which must not be shared yet: pass a copy).
 * Same stanzas and errors as init_job_parse(); list stanzas append, scalars replace.
 * On error @klass may be partly modified: the caller discards it (the whole override is
 * rejected). */
gboolean      init_job_parse_override (InitJobClass *klass,
                                       const char   *path,
                                       const char   *data,
                                       gssize        len,
                                       GPtrArray    *warnings,
                                       InitParsePos *pos,
                                       GError      **error);

/* Parse a stand-alone event expression (the text after `start on`), e.g. for tests and
 * clients.  May span lines inside parentheses. */
InitEventOperator *init_event_expression_parse (const char   *text,
                                                InitParsePos *pos,
                                                GError      **error);

G_END_DECLS
