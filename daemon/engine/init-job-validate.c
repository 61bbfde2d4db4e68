/* init-job-validate.c — a job file's text checked without installing it */
#define G_LOG_DOMAIN "init-engine"

#include <fnmatch.h>
#include <glib/gi18n.h>
#include <string.h>

#include "init-error.h"
#include "init-job-parse.h"
#include "init-job-stanza.h"
#include "init-job-validate.h"

/* Events that come from no job: the daemon's own (reference upstart-behaviour §3.5,
 * event-sources §1) and those its event sources and Upstart systems' usual emitters
 * produce (event-sources §14).  A name here is never reported as produced by nothing. */
static const char *const known_events[] = {
  "startup", "starting", "started", "stopping", "stopped", "debug", "control-alt-delete",
  "keyboard-request", "power-status-changed", "session-end", "socket", "file", "dbus",
  "mounting", "mounted", "virtual-filesystems", "local-filesystems", "remote-filesystems",
  "filesystem", "all-swaps", "net-device-up", "net-device-down", "static-network-up",
  "runlevel", "desktop-start", "desktop-end", "login-session-start", "desktop-session-start",
  "desktop-shutdown", "xsession", "rotate-logs", "container", "not-container", "recovery",
  NULL
};

/* ... and name patterns of events sources produce. */
static const char *const known_event_patterns[] = {
  "*-device-added", "*-device-changed", "*-device-removed", ":sys:*", "*/failed", NULL
};


void
init_diagnostic_free (InitDiagnostic *diagnostic)
{
  if (diagnostic == NULL)
    return;
  g_free (diagnostic->message);
  g_free (diagnostic->suggestion);
  g_free (diagnostic);
}

const char *
init_diagnostic_severity_to_string (InitDiagnosticSeverity severity)
{
  return severity == INIT_DIAGNOSTIC_ERROR ? "error" : "warning";
}

guint
init_edit_distance (const char *a,
                    const char *b,
                    guint       max)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = NULL;

  if ((la > lb ? la - lb : lb - la) > max)
    return max + 1;
  row = g_new (guint, lb + 1);
  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0], smallest;

      row[0] = i;
      smallest = row[0];
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] != b[j - 1]));
          diagonal = above;
          smallest = MIN (smallest, row[j]);
        }
      if (smallest > max)
        return max + 1;
    }
  return row[lb];
}

/* The known name nearest @word (at most 2 edits, and fewer than its length), or NULL. */
static const char *
nearest (const char *word,
         GPtrArray  *names)
{
  const char *best = NULL;
  guint best_distance = MIN (2, strlen (word) / 2) + 1;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      guint d = init_edit_distance (word, name, best_distance - 1);

      if (d < best_distance && d > 0)
        {
          best = name;
          best_distance = d;
        }
    }
  return best;
}

/* ---- positions ---- */

typedef struct
{
  const char *text;
  const char *name;
  InitEngine *engine;
  GPtrArray  *diagnostics;
  GPtrArray  *event_names;   /* every known event name (borrowed strings), for suggestions */
  GPtrArray  *emit_patterns; /* the jobs' `emits` that are patterns (borrowed) */
  GPtrArray  *job_names;     /* every loaded job's name (borrowed) */
} Validator;

static void
add (Validator             *v,
     gsize                  offset,
     InitDiagnosticSeverity severity,
     const char            *suggestion,
     const char            *format,
     ...) G_GNUC_PRINTF (5, 6);

static void
add (Validator             *v,
     gsize                  offset,
     InitDiagnosticSeverity severity,
     const char            *suggestion,
     const char            *format,
     ...)
{
  InitDiagnostic *d = g_new0 (InitDiagnostic, 1);
  va_list ap;

  d->line = 1;
  d->column = 1;
  for (gsize i = 0; i < offset && v->text[i] != '\0'; i++)
    {
      if (v->text[i] == '\n')
        {
          d->line++;
          d->column = 1;
        }
      else
        d->column++;
    }
  d->severity = severity;
  va_start (ap, format);
  d->message = g_strdup_vprintf (format, ap);
  va_end (ap);
  d->suggestion = g_strdup (suggestion != NULL ? suggestion : "");
  g_ptr_array_add (v->diagnostics, d);
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == ':' || c == '/' || c == '.';
}

/* The offset of the line starting with the words @first @second (`start on`), or -1. */
static gssize
find_stanza (const char *text,
             const char *first,
             const char *second)
{
  for (const char *line = text; line != NULL && *line != '\0';)
    {
      const char *p = line, *nl = strchr (line, '\n');

      while (*p == ' ' || *p == '\t')
        p++;
      if (g_str_has_prefix (p, first) && (p[strlen (first)] == ' ' || p[strlen (first)] == '\t'))
        {
          const char *q = p + strlen (first);

          while (*q == ' ' || *q == '\t')
            q++;
          if (second == NULL || (g_str_has_prefix (q, second) && !is_word_char (q[strlen (second)])))
            return p - text;
        }
      line = nl != NULL ? nl + 1 : NULL;
    }
  return -1;
}

/* The offset of @word as a whole word at or after @from, or @from if it is not there. */
static gsize
find_word (const char *text,
           gsize       from,
           const char *word)
{
  gsize len = strlen (word);

  for (const char *p = strstr (text + from, word); p != NULL; p = strstr (p + 1, word))
    if ((p == text || !is_word_char (p[-1])) && !is_word_char (p[len]))
      return p - text;
  return from;
}

/* The offset of 1-based @line and @column in @text (the end if the line is not there). */
static gsize
offset_of (const char *text,
           guint64     line,
           guint64     column)
{
  gsize offset = 0;

  for (guint64 l = 1; l < line && text[offset] != '\0'; offset++)
    if (text[offset] == '\n')
      l++;
  return offset + (column > 0 ? column - 1 : 0);
}

/* ---- the checks ---- */

static gboolean
event_is_known (Validator  *v,
                const char *name)
{
  for (guint i = 0; i < v->event_names->len; i++)
    if (g_str_equal (g_ptr_array_index (v->event_names, i), name))
      return TRUE;
  for (guint i = 0; known_event_patterns[i] != NULL; i++)
    if (fnmatch (known_event_patterns[i], name, 0) == 0)
      return TRUE;
  for (guint i = 0; i < v->emit_patterns->len; i++)
    if (fnmatch (g_ptr_array_index (v->emit_patterns, i), name, 0) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
job_exists (Validator  *v,
            const char *name)
{
  if (g_str_equal (name, v->name) || strpbrk (name, "*?[$") != NULL)
    return TRUE;
  return init_engine_lookup (v->engine, name) != NULL;
}

static void
check_leaf (Validator               *v,
            const InitEventOperator *leaf,
            gsize                    stanza)
{
  const char *job;

  if (!event_is_known (v, leaf->name))
    {
      const char *near = nearest (leaf->name, v->event_names);
      g_autofree char *hint = near != NULL ? g_strdup_printf (_("did you mean the event “%s”?"),
                                                              near) : NULL;

      add (v, find_word (v->text, stanza, leaf->name), INIT_DIAGNOSTIC_WARNING, hint,
           _("Nothing emits the event “%s”: no job names it in `emits' and no event source "
             "produces it"), leaf->name);
    }
  if (!init_event_name_is_job_event (leaf->name) || (job = init_event_operator_leaf_job (leaf)) == NULL
      || job_exists (v, job))
    return;
  {
    const char *near = nearest (job, v->job_names);
    g_autofree char *hint = near != NULL ? g_strdup_printf (_("did you mean the job “%s”?"),
                                                            near) : NULL;

    add (v, find_word (v->text, stanza, job), INIT_DIAGNOSTIC_WARNING, hint,
         _("There is no job “%s”"), job);
  }
}

static void
check_tree (Validator               *v,
            const InitEventOperator *op,
            const char              *keyword)
{
  g_autoptr(GPtrArray) nodes = init_event_operator_postfix (op);
  gssize stanza = find_stanza (v->text, keyword, "on");

  for (guint i = 0; i < nodes->len; i++)
    {
      const InitEventOperator *node = g_ptr_array_index (nodes, i);

      if (node->type == INIT_EVENT_OPERATOR_MATCH)
        check_leaf (v, node, MAX (stanza, 0));
    }
}

/* Whether the last command of @script is an exec (the shell becomes the program). */
static gboolean
ends_in_exec (const char *script)
{
  g_auto (GStrv) lines = g_strsplit (script, "\n", -1);

  for (gint i = g_strv_length (lines) - 1; i >= 0; i--)
    {
      const char *line = g_strstrip (lines[i]);

      if (line[0] == '\0' || line[0] == '#')
        continue;
      return g_str_has_prefix (line, "exec ");
    }
  return FALSE;
}

static void
check_expect (Validator          *v,
              const InitJobClass *klass)
{
  const InitProcessDef *main_process = &klass->process[INIT_PROCESS_MAIN];
  const char *which = klass->expect == INIT_EXPECT_FORK ? "fork" : "daemon";

  if (klass->expect == INIT_EXPECT_NONE || main_process->command == NULL
      || !main_process->script || ends_in_exec (main_process->command))
    return;
  add (v, MAX (find_stanza (v->text, "expect", NULL), 0), INIT_DIAGNOSTIC_WARNING,
       _("run the program with `exec', or end the script by exec'ing it"),
       _("`expect %s' on a script follows the forks of the script's shell, not of the program "
         "it starts"), which);
}

/* The parse error as a diagnostic, its "LINE:COLUMN: " prefix dropped. */
static void
add_parse_error (Validator          *v,
                 const GError       *error,
                 const InitParsePos *pos)
{
  const char *message = error->message;
  const char *colon = strstr (message, ": ");
  g_autofree char *hint = NULL;
  gsize offset = offset_of (v->text, pos->line, pos->column);

  if (colon != NULL && g_ascii_isdigit (message[0]))
    message = colon + 2;
  if (g_error_matches (error, INIT_PARSE_ERROR, INIT_PARSE_ERROR_UNKNOWN_STANZA))
    {
      g_autoptr(GPtrArray) stanzas = g_ptr_array_new ();
      g_autofree char *word = NULL;
      const InitJobStanza *table;
      const char *end = v->text + offset;
      const char *near;
      guint n;

      while (*end != '\0' && is_word_char (*end))
        end++;
      word = g_strndup (v->text + offset, end - (v->text + offset));
      table = init_job_parse_get_stanzas (&n);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (stanzas, (gpointer) table[i].name);
      near = nearest (word, stanzas);
      if (near != NULL)
        hint = g_strdup_printf (_("did you mean “%s”?"), near);
    }
  add (v, offset, INIT_DIAGNOSTIC_ERROR, hint, "%s", message);
}

/* A parser warning "LINE:COLUMN: text" as a diagnostic. */
static void
add_parse_warning (Validator  *v,
                   const char *warning)
{
  char *end = NULL;
  guint64 line = g_ascii_strtoull (warning, &end, 10);
  guint64 column = end != NULL && *end == ':' ? g_ascii_strtoull (end + 1, &end, 10) : 0;
  add (v, offset_of (v->text, line, column), INIT_DIAGNOSTIC_WARNING, NULL, "%s",
       end != NULL && g_str_has_prefix (end, ": ") ? end + 2 : warning);
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  const InitDiagnostic *da = *(InitDiagnostic *const *) a, *db = *(InitDiagnostic *const *) b;

  if (da->line != db->line)
    return da->line < db->line ? -1 : 1;
  return da->column < db->column ? -1 : da->column > db->column;
}

static void
collect_known (Validator *v)
{
  g_autoptr(GPtrArray) jobs = init_engine_list (v->engine);

  for (guint i = 0; known_events[i] != NULL; i++)
    g_ptr_array_add (v->event_names, (gpointer) known_events[i]);
  for (guint i = 0; i < jobs->len; i++)
    {
      InitJob *job = g_ptr_array_index (jobs, i);
      GPtrArray *emits = job->klass->emits;

      g_ptr_array_add (v->job_names, job->name);
      for (guint j = 0; emits != NULL && j < emits->len; j++)
        {
          const char *e = g_ptr_array_index (emits, j);

          g_ptr_array_add (strpbrk (e, "*?[") != NULL ? v->emit_patterns : v->event_names,
                           (gpointer) e);
        }
    }
}

GPtrArray *
init_job_validate (InitEngine *engine,
                   const char *name,
                   const char *text,
                   gssize      len)
{
  g_autofree char *copy = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) event_names = g_ptr_array_new ();
  g_autoptr(GPtrArray) emit_patterns = g_ptr_array_new ();
  g_autoptr(GPtrArray) job_names = g_ptr_array_new ();
  g_autoptr(InitJobClass) klass = NULL;
  g_autoptr(GError) error = NULL;
  InitParsePos pos = { 0, 0 };
  Validator v = { 0 };

  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (name != NULL && text != NULL, NULL);

  copy = len < 0 ? g_strdup (text) : g_strndup (text, len);
  v.text = copy;
  v.name = name;
  v.engine = engine;
  v.diagnostics = g_ptr_array_new_with_free_func ((GDestroyNotify) init_diagnostic_free);
  v.event_names = event_names;
  v.emit_patterns = emit_patterns;
  v.job_names = job_names;

  klass = init_job_parse (name, NULL, text, len, warnings, &pos, &error);
  if (klass == NULL)
    {
      add_parse_error (&v, error, &pos);
      return v.diagnostics;
    }
  for (guint i = 0; i < warnings->len; i++)
    add_parse_warning (&v, g_ptr_array_index (warnings, i));

  collect_known (&v);
  for (guint i = 0; klass->emits != NULL && i < klass->emits->len; i++)
    g_ptr_array_add (event_names, g_ptr_array_index (klass->emits, i));
  check_tree (&v, klass->start_on, "start");
  check_tree (&v, klass->stop_on, "stop");
  check_expect (&v, klass);
  g_ptr_array_sort (v.diagnostics, compare_positions);
  return v.diagnostics;
}
