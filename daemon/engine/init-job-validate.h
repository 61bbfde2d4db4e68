/* init-job-validate.h — a job file's text checked without installing it
 *
 * What `initctl check-config --file` and the editor show as you type: the parse error (with
 * its line and column), the parser's warnings, and mistakes that parse but will not do what
 * the author meant, each with a suggestion where one helps:
 *   - an event in `start on`/`stop on` that nothing here produces (no job `emits` it, no
 *     event source or built-in event has that name), with the nearest known name;
 *   - a job event (starting, started, stopping, stopped) naming a job that does not exist;
 *   - `expect fork`/`expect daemon` on a main `script` that does not end by exec'ing its
 *     program: the shell's own forks would be followed instead of the daemon's.
 * The text is parsed like a job file (init-job-parse.h) and compared against the engine's
 * loaded jobs; nothing is changed.
 */
#pragma once

#include <glib.h>

#include "init-engine.h"

G_BEGIN_DECLS

typedef enum
{
  INIT_DIAGNOSTIC_ERROR,     /* the file is rejected */
  INIT_DIAGNOSTIC_WARNING,   /* it loads, but probably does not do what was meant */
} InitDiagnosticSeverity;

typedef struct
{
  guint                  line;        /* 1-based */
  guint                  column;      /* 1-based byte column */
  InitDiagnosticSeverity severity;
  char                  *message;
  char                  *suggestion;  /* "" when there is none */
} InitDiagnostic;

void        init_diagnostic_free (InitDiagnostic *diagnostic);
/* "error" or "warning". */
const char *init_diagnostic_severity_to_string (InitDiagnosticSeverity severity);

/* Check @text (@len bytes, or -1 if nul-terminated) as the file of job @name.  Returns the
 * diagnostics in file order (a new array of InitDiagnostic, empty when all is well). */
GPtrArray *init_job_validate (InitEngine *engine,
                              const char *name,
                              const char *text,
                              gssize      len);

/* The smallest number of single-byte insertions, deletions and substitutions that turn
 * @a into @b (Levenshtein), or more than @max when it exceeds @max. */
guint init_edit_distance (const char *a,
                          const char *b,
                          guint       max);

G_END_DECLS
