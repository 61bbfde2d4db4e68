/* init-conf-enable.h — enabling and disabling a job the Upstart way
 *
 * A job is disabled by a line `manual` in its override file: the convention of Upstart
 * 0.6.7 and later, which Ubuntu's tools and Ansible's service module write and read.  The
 * job stays loaded and can be started by hand; only its `start on` is forgotten.
 *
 * Disabling appends the line to the override in force, or creates "NAME.override" next to
 * the job's .conf when there is none.  Enabling removes every `manual` line from the
 * override, and the override itself when nothing else is left in it.  The .conf is never
 * changed: a job whose .conf says `manual` cannot be enabled this way (the caller is told
 * so).  Files are replaced atomically (a new file renamed over the old), mode 0644, so a
 * reader sees the old or the new text and never half of it; the configuration watch then
 * sees the change like any other edit.
 */
#pragma once

#include <glib.h>

#include "init-job-class.h"

G_BEGIN_DECLS

/* Whether @klass is enabled: its `start on` is in force (no `manual` after it). */
gboolean init_conf_is_enabled (const InitJobClass *klass);

/* Make the files of @klass (its path and override_path) say enabled or disabled.
 * @changed (optional) says whether a file was written or removed (FALSE: already so).
 * Errors: INIT_ERROR_NOT_WRITABLE when the override cannot be written or removed,
 * INIT_ERROR_FAILED when the .conf itself says `manual`. */
gboolean init_conf_set_enabled (const InitJobClass *klass,
                                gboolean            enabled,
                                gboolean           *changed,
                                GError            **error);

/* Whether @text has a `manual` stanza: a line holding only the word, perhaps indented and
 * followed by a comment. */
gboolean init_conf_has_manual (const char *text);
/* @text without its `manual` lines (a new string; every other line is kept as it was). */
char *init_conf_strip_manual (const char *text);

G_END_DECLS
