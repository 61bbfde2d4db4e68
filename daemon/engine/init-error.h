/* init-error.h — error domains of the engine
 *
 * The engine reports domain failures in INIT_ERROR and job-file syntax problems in
 * INIT_PARSE_ERROR.  The D-Bus face maps INIT_ERROR codes to org.example.Init.Error.* names;
 * the engine itself knows nothing of D-Bus.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define INIT_ERROR (init_error_quark ())
#define INIT_PARSE_ERROR (init_parse_error_quark ())

typedef enum
{
  INIT_ERROR_FAILED,
  INIT_ERROR_UNKNOWN_JOB,
  INIT_ERROR_UNKNOWN_INSTANCE,
  INIT_ERROR_ALREADY_STARTED,
  INIT_ERROR_ALREADY_STOPPED,
  INIT_ERROR_JOB_FAILED,
  INIT_ERROR_EVENT_FAILED,
  INIT_ERROR_INVALID_EVENT,
  INIT_ERROR_INVALID_ENVIRONMENT,
  INIT_ERROR_INVALID_ARGS,        /* e.g. instance name expansion failed */
  INIT_ERROR_NOT_RUNNING,
  INIT_ERROR_CANCELED,            /* a stop superseded a start before it completed */
  INIT_ERROR_PERMISSION_DENIED,
  INIT_ERROR_SPAWN_FAILED,
  INIT_ERROR_CONFIGURATION,       /* a configuration source could not be read */
  INIT_ERROR_LIMITS_EXCEEDED,     /* a caller asked for more than its share (the face's) */
  INIT_ERROR_NOT_WRITABLE,        /* a job's file could not be written */
} InitErrorCode;

typedef enum
{
  /* lexical */
  INIT_PARSE_ERROR_EXPECTED_TOKEN,
  INIT_PARSE_ERROR_UNEXPECTED_TOKEN,
  INIT_PARSE_ERROR_TRAILING_SLASH,
  INIT_PARSE_ERROR_UNTERMINATED_QUOTE,
  INIT_PARSE_ERROR_UNTERMINATED_BLOCK,
  INIT_PARSE_ERROR_UNKNOWN_STANZA,
  /* stanza values */
  INIT_PARSE_ERROR_ILLEGAL_INTERVAL,
  INIT_PARSE_ERROR_ILLEGAL_EXIT,
  INIT_PARSE_ERROR_ILLEGAL_SIGNAL,
  INIT_PARSE_ERROR_ILLEGAL_UMASK,
  INIT_PARSE_ERROR_ILLEGAL_NICE,
  INIT_PARSE_ERROR_ILLEGAL_OOM,
  INIT_PARSE_ERROR_ILLEGAL_LIMIT,
  INIT_PARSE_ERROR_ILLEGAL_ARGUMENT,  /* e.g. `manual` with arguments */
  /* event expressions */
  INIT_PARSE_ERROR_EXPECTED_EVENT,
  INIT_PARSE_ERROR_EXPECTED_OPERATOR,
  INIT_PARSE_ERROR_EXPECTED_VARIABLE,
  INIT_PARSE_ERROR_MISMATCHED_PARENS,
  INIT_PARSE_ERROR_TOO_DEEP,          /* nesting beyond INIT_PARSE_MAX_DEPTH */
  /* variable expansion (§3.9.1) */
  INIT_PARSE_ERROR_UNKNOWN_PARAMETER,
  INIT_PARSE_ERROR_EXPECTED_EXPANSION_OPERATOR,
  INIT_PARSE_ERROR_MISMATCHED_BRACES,
  /* whole file */
  INIT_PARSE_ERROR_TOO_LARGE,
  INIT_PARSE_ERROR_BINARY,
} InitParseErrorCode;

/* Deepest parenthesis nesting accepted in an event expression. */
#define INIT_PARSE_MAX_DEPTH 4096
/* Most event names (leaves) accepted in one event expression. */
#define INIT_PARSE_MAX_LEAVES 4096
/* Largest job file accepted, in bytes. */
#define INIT_PARSE_MAX_FILE_SIZE (1024 * 1024)

GQuark init_error_quark (void);
GQuark init_parse_error_quark (void);

G_END_DECLS
