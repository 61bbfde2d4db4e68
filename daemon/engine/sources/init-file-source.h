/* init-file-source.h — `file' events: files, directories and globs that jobs wait for
 *
 * Upstart's upstart-file-bridge inside the daemon (reference event-sources.md §4), armed only
 * with the paths the loaded jobs name in `file FILE=… [EVENT=…]' leaves:
 *
 *   file FILE=PATH EVENT=create|modify|delete          PATH as the job wrote it
 *   file FILE=DIR/ EVENT=create|delete                 the directory itself
 *   file FILE=DIR/ EVENT=modify MATCH=DIR/ENTRY        an entry inside it changed
 *   file FILE=DIR/GLOB EVENT=… MATCH=DIR/ENTRY         an entry matching GLOB (fnmatch)
 *
 * A new regular file is reported once it was first written and closed (its contents are
 * complete), as Upstart did; "modify" is a close after writing; a rename is a delete and a
 * create.  A path that exists when its watch is armed gives a create at once (a directory as
 * DIR/, so it matches the job's own FILE=DIR/, unlike Upstart).  Unlike Upstart, a watch
 * whose directory does not exist (yet, or any more) follows the nearest existing parent and
 * moves down when the directories appear, so no creation is ever missed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _InitFileSource InitFileSource;

typedef enum
{
  INIT_FILE_CREATE = 1 << 0,
  INIT_FILE_MODIFY = 1 << 1,
  INIT_FILE_DELETE = 1 << 2,
} InitFileEvents;


/* Called for every occurrence: @env is "FILE=…", "EVENT=…" [, "MATCH=…"] (borrowed). */
typedef void (*InitFileSourceEmit) (GPtrArray *env,
                                    gpointer   user_data);

/* Also an InitSource (init-source.h) serving `file': cast it to give it to the registry. */
InitFileSource *init_file_source_new (InitFileSourceEmit emit,
                                      gpointer           user_data);
void            init_file_source_free (InitFileSource *source);

/* Watch exactly the paths of @wanted (FILE value -> GUINT_TO_POINTER of an
 * InitFileEvents mask): new ones are armed (with their create event if they exist), gone
 * ones disarmed, unchanged ones kept as they are. */
void            init_file_source_set (InitFileSource *source,
                                      GHashTable     *wanted);
/* The paths watched now (a new array of borrowed strings, sorted). */
GPtrArray *init_file_source_list (InitFileSource *source);
/* The directory a watch of @file monitors now (borrowed), or NULL if not watched (tests). */
const char *init_file_source_monitored (InitFileSource *source,
                                        const char     *file);

/* The watch a `file' leaf's arguments ask for: its FILE (newly allocated) and *@events, or
 * NULL if the leaf cannot be watched (no FILE, a relative path, a variable, `..', a glob in a
 * directory part). */
char *init_file_source_parse_leaf (char *const    *args,
                                   InitFileEvents *events);

G_END_DECLS
