/* init-admin-format.c — turning the daemon's values into words for people */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "init-admin-format.h"

InitAdminStatus
init_admin_status_from (const char *goal,
                        const char *state,
                        gboolean    failed)
{
  if (goal == NULL || state == NULL)
    return failed ? INIT_ADMIN_STATUS_FAILED : INIT_ADMIN_STATUS_STOPPED;

  if (g_str_equal (goal, "stop"))
    {
      /* Going down because something failed: say so at once, not only once it is down. */
      if (failed)
        return INIT_ADMIN_STATUS_FAILED;
      return g_str_equal (state, "waiting") ? INIT_ADMIN_STATUS_STOPPED
                                            : INIT_ADMIN_STATUS_STOPPING;
    }
  /* Goal start or respawn: it is on its way up unless it is there. */
  if (g_str_equal (state, "running"))
    return INIT_ADMIN_STATUS_RUNNING;
  return INIT_ADMIN_STATUS_STARTING;
}

const char *
init_admin_status_label (InitAdminStatus status)
{
  switch (status)
    {
    case INIT_ADMIN_STATUS_FAILED:
      return _("Failed");
    case INIT_ADMIN_STATUS_STARTING:
      return _("Starting");
    case INIT_ADMIN_STATUS_RUNNING:
      return _("Running");
    case INIT_ADMIN_STATUS_STOPPING:
      return _("Stopping");
    case INIT_ADMIN_STATUS_STOPPED:
    default:
      return _("Stopped");
    }
}

const char *
init_admin_status_icon_name (InitAdminStatus status)
{
  switch (status)
    {
    case INIT_ADMIN_STATUS_FAILED:
      return "dialog-error-symbolic";
    case INIT_ADMIN_STATUS_STARTING:
      return "media-seek-forward-symbolic";
    case INIT_ADMIN_STATUS_RUNNING:
      return "media-playback-start-symbolic";
    case INIT_ADMIN_STATUS_STOPPING:
      return "media-seek-backward-symbolic";
    case INIT_ADMIN_STATUS_STOPPED:
    default:
      return "media-playback-stop-symbolic";
    }
}

const char *
init_admin_status_css_class (InitAdminStatus status)
{
  switch (status)
    {
    case INIT_ADMIN_STATUS_FAILED:
      return "status-failed";
    case INIT_ADMIN_STATUS_STARTING:
      return "status-starting";
    case INIT_ADMIN_STATUS_RUNNING:
      return "status-running";
    case INIT_ADMIN_STATUS_STOPPING:
      return "status-stopping";
    case INIT_ADMIN_STATUS_STOPPED:
    default:
      return "status-stopped";
    }
}

/* ---- conditions ---- */

typedef struct
{
  char       *text;
  const char *op;     /* "/AND", "/OR" or NULL for a leaf */
} Term;

static void
append_args (GString           *out,
             const char *const *leaf,
             gsize              first)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = first; leaf[i] != NULL; i++)
    {
      const char *arg = leaf[i];
      const char *eq = strchr (arg, '=');

      if (eq == NULL)
        g_ptr_array_add (parts, g_strdup_printf ("“%s”", arg));
      else if (eq > arg && eq[-1] == '!')
        /* Translators: an event condition, e.g. KIND is not “sun”; it follows " where %s", so in
         * German it is a subordinate clause (verb last: "KIND nicht „sun“ ist") */
        g_ptr_array_add (parts, g_strdup_printf (_("%.*s is not “%s”"), (int) (eq - arg - 1), arg, eq + 1));
      else
        /* Translators: an event condition, e.g. KIND is “rain”; it follows " where %s", so in
         * German it is a subordinate clause (verb last: "KIND „rain“ ist") */
        g_ptr_array_add (parts, g_strdup_printf (_("%.*s is “%s”"), (int) (eq - arg), arg, eq + 1));
    }
  if (parts->len == 0)
    return;
  g_ptr_array_add (parts, NULL);
  {
    g_autofree char *joined = g_strjoinv (", ", (char **) parts->pdata);

    /* Translators: appended to an event, e.g. event “weather” where KIND is “rain” */
    g_string_append_printf (out, _(" where %s"), joined);
  }
}

static char *
format_leaf (const char *const *leaf)
{
  GString *out = g_string_new (NULL);
  const char *event = leaf[0];
  gboolean job_event = leaf[1] != NULL && strchr (leaf[1], '=') == NULL
                       && (g_str_equal (event, "starting") || g_str_equal (event, "started")
                           || g_str_equal (event, "stopping") || g_str_equal (event, "stopped"));

  if (job_event && g_str_equal (event, "starting"))
    g_string_append_printf (out, _("job %s is starting"), leaf[1]);
  else if (job_event && g_str_equal (event, "started"))
    g_string_append_printf (out, _("job %s has started"), leaf[1]);
  else if (job_event && g_str_equal (event, "stopping"))
    g_string_append_printf (out, _("job %s is stopping"), leaf[1]);
  else if (job_event)
    g_string_append_printf (out, _("job %s has stopped"), leaf[1]);
  else
    g_string_append_printf (out, _("event “%s”"), event);
  append_args (out, leaf, job_event ? 2 : 1);
  return g_string_free (out, FALSE);
}

static char *
wrap_term (Term       *term,
           const char *parent_op)
{
  if (term->op != NULL && g_strcmp0 (term->op, parent_op) != 0)
    return g_strdup_printf ("(%s)", term->text);
  return g_strdup (term->text);
}

char *
init_admin_format_condition (GVariant *tree)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, TRUE, sizeof (Term));
  GVariantIter iter;
  GVariant *child;
  char *result;

  if (tree == NULL || !g_variant_is_of_type (tree, G_VARIANT_TYPE ("aas")))
    return g_strdup ("");

  g_variant_iter_init (&iter, tree);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autofree const char **leaf = g_variant_get_strv (child, NULL);
      Term term = { NULL, NULL };

      g_variant_unref (child);
      if (leaf[0] == NULL)
        continue;
      if ((g_str_equal (leaf[0], "/AND") || g_str_equal (leaf[0], "/OR")) && stack->len >= 2)
        {
          Term *a = &g_array_index (stack, Term, stack->len - 2);
          Term *b = &g_array_index (stack, Term, stack->len - 1);
          const char *op = g_str_equal (leaf[0], "/AND") ? "/AND" : "/OR";
          g_autofree char *left = wrap_term (a, op);
          g_autofree char *right = wrap_term (b, op);

          term.op = op;
          term.text = g_str_equal (op, "/AND")
                      /* Translators: both conditions must hold */
                      ? g_strdup_printf (_("%s and %s"), left, right)
                      /* Translators: either condition is enough */
                      : g_strdup_printf (_("%s or %s"), left, right);
          g_free (a->text);
          g_free (b->text);
          g_array_set_size (stack, stack->len - 2);
        }
      else
        term.text = format_leaf (leaf);
      g_array_append_val (stack, term);
    }

  if (stack->len == 0)
    return g_strdup ("");
  result = g_strdup (g_array_index (stack, Term, stack->len - 1).text);
  for (guint i = 0; i < stack->len; i++)
    g_free (g_array_index (stack, Term, i).text);
  return result;
}

void
init_admin_collect_event_names (GVariant   *tree,
                                GHashTable *names)
{
  GVariantIter iter;
  GVariant *child;

  if (tree == NULL || !g_variant_is_of_type (tree, G_VARIANT_TYPE ("aas")))
    return;
  g_variant_iter_init (&iter, tree);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *name = NULL;

      if (g_variant_n_children (child) > 0)
        g_variant_get_child (child, 0, "&s", &name);
      if (name != NULL && name[0] != '\0' && name[0] != '/')
        g_hash_table_add (names, g_strdup (name));
      g_variant_unref (child);
    }
}

/* ---- failures, times, causes ---- */

static const char *
process_noun (const char *process)
{
  if (g_strcmp0 (process, "main") == 0)
    return _("main process");
  if (g_strcmp0 (process, "pre-start") == 0)
    return _("pre-start process");
  if (g_strcmp0 (process, "post-start") == 0)
    return _("post-start process");
  if (g_strcmp0 (process, "pre-stop") == 0)
    return _("pre-stop process");
  if (g_strcmp0 (process, "post-stop") == 0)
    return _("post-stop process");
  return process != NULL && process[0] != '\0' ? process : _("process");
}

char *
init_admin_format_failure (const char *process,
                           int         exit_status,
                           const char *exit_signal)
{
  const char *noun;

  if (g_strcmp0 (process, "respawn") == 0)
    return g_strdup (_("It ended too often in a short time, so it is no longer respawned (respawn limit reached)"));
  noun = process_noun (process);
  if (exit_signal != NULL && exit_signal[0] != '\0')
    /* Translators: e.g. The main process was killed by signal SEGV */
    return g_strdup_printf (_("The %s was killed by signal %s"), noun, exit_signal);
  if (exit_status >= 0)
    /* Translators: e.g. The main process exited with status 1 */
    return g_strdup_printf (_("The %s exited with status %d"), noun, exit_status);
  /* Translators: e.g. The pre-start process could not be started */
  return g_strdup_printf (_("The %s could not be started"), noun);
}

char *
init_admin_format_time (gint64 usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (when == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (when) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    return g_date_time_format (when, "%H:%M:%S");
  return g_date_time_format (when, "%Y-%m-%d %H:%M:%S");
}

char *
init_admin_format_user (guint32 uid)
{
  struct passwd pw, *result = NULL;
  char buf[1024];

  if (getpwuid_r (uid, &pw, buf, sizeof buf, &result) == 0 && result != NULL)
    return g_strdup (result->pw_name);
  return g_strdup_printf (_("uid %u"), uid);
}

char *
init_admin_format_cause (GVariant *details)
{
  const char *cause = NULL;

  if (details == NULL || !g_variant_lookup (details, "cause", "&s", &cause))
    return g_strdup ("");

  if (g_str_equal (cause, "event"))
    {
      const char *event = NULL;

      if (g_variant_lookup (details, "cause-event", "&s", &event))
        /* Translators: what caused a change: an event, e.g. event “startup” */
        return g_strdup_printf (_("event “%s”"), event);
      return g_strdup (_("an event"));
    }
  if (g_str_equal (cause, "caller"))
    {
      guint32 uid = 0;
      const char *command = NULL;
      g_autofree char *user = NULL;

      g_autofree char *program = NULL;

      g_variant_lookup (details, "caller-uid", "u", &uid);
      g_variant_lookup (details, "caller-command", "&s", &command);
      /* As a person reads it: "you" for this window's user, the program by its name (the
       * daemon gives its whole path, which the column cut to "/work/…/bu…"). */
      /* Translators: who asked, when it is the user running this window; it stands alone
       * ("you (init-admin)"), not after a preposition */
      user = uid == getuid () ? g_strdup (_("you")) : init_admin_format_user (uid);
      if (command != NULL && command[0] == '/')
        program = g_path_get_basename (command);
      else if (command != NULL)
        program = g_strdup (command);
      if (program != NULL && program[0] != '\0')
        /* Translators: who asked: a user and the program they used, e.g. you (init-admin) or
         * root (initctl) */
        return g_strdup_printf (_("%s (%s)"), user, program);
      return g_steal_pointer (&user);
    }
  if (g_str_equal (cause, "respawn"))
    return g_strdup (_("respawn"));
  if (g_str_equal (cause, "reload"))
    return g_strdup (_("configuration reload"));
  if (g_str_equal (cause, "startup"))
    return g_strdup (_("daemon start-up"));
  if (g_str_equal (cause, "shutdown"))
    return g_strdup (_("daemon shutdown"));
  if (g_str_equal (cause, "process"))
    return g_strdup (_("a process ended"));
  return g_strdup ("");
}

char *
init_admin_format_respawn (gboolean respawn,
                           guint32  count,
                           guint32  interval)
{
  if (!respawn)
    return g_strdup (_("No"));
  if (count == 0 && interval == 0)
    return g_strdup (_("Yes, without limit"));
  /* Translators: respawn limit, e.g. Yes, at most 10 times in 5 seconds */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Yes, at most %u time in %u seconds",
                                       "Yes, at most %u times in %u seconds", count),
                          count, interval);
}

char *
init_admin_format_processes (GVariant *processes)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GVariantIter iter;
  const char *name;
  gint32 pid;

  if (processes == NULL)
    return g_strdup ("");
  g_variant_iter_init (&iter, processes);
  while (g_variant_iter_next (&iter, "(&si)", &name, &pid))
    {
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "%s %d", name, pid);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

GArray *
init_admin_process_tree_order (GVariant *tree)
{
  gsize n = tree != NULL ? g_variant_n_children (tree) : 0;
  GArray *order = g_array_sized_new (FALSE, FALSE, sizeof (InitAdminTreeEntry), n);
  g_autofree gint32 *pids = g_new0 (gint32, n + 1);
  g_autofree gint32 *ppids = g_new0 (gint32, n + 1);
  g_autofree gboolean *rooted = g_new0 (gboolean, n + 1);
  g_autofree gboolean *placed = g_new0 (gboolean, n + 1);
  g_autoptr(GHashTable) by_pid = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (InitAdminTreeEntry));

  for (gsize i = 0; i < n; i++)
    {
      const char *role;

      g_variant_get_child (tree, i, "(ii&s&s)", &pids[i], &ppids[i], &role, NULL);
      rooted[i] = role[0] != '\0';
      g_hash_table_insert (by_pid, GINT_TO_POINTER (pids[i]), GSIZE_TO_POINTER (i + 1));
    }
  for (gsize i = 0; i < n; i++)
    if (!rooted[i])
      rooted[i] = GPOINTER_TO_SIZE (g_hash_table_lookup (by_pid, GINT_TO_POINTER (ppids[i]))) == 0;

  /* Depth first from each root; each process is placed once, so a (never seen) cycle in the
   * parent links cannot loop, and what it hides is shown at the end. */
  for (gsize root = 0; root <= n; root++)
    {
      InitAdminTreeEntry start = { (guint) root, 0 };

      if (root == n)
        {
          for (gsize i = 0; i < n; i++)
            if (!placed[i])
              {
                InitAdminTreeEntry left = { (guint) i, 0 };
                g_array_append_val (order, left);
              }
          break;
        }
      if (!rooted[root] || placed[root])
        continue;
      placed[root] = TRUE;
      g_array_append_val (stack, start);
      while (stack->len > 0)
        {
          InitAdminTreeEntry at = g_array_index (stack, InitAdminTreeEntry, stack->len - 1);

          g_array_set_size (stack, stack->len - 1);
          g_array_append_val (order, at);
          /* Children pushed last first, so they come out in the daemon's order. */
          for (gsize c = n; c-- > 0;)
            if (!placed[c] && !rooted[c] && ppids[c] == pids[at.index])
              {
                InitAdminTreeEntry child = { (guint) c, at.depth + 1 };

                placed[c] = TRUE;
                g_array_append_val (stack, child);
              }
        }
    }
  return order;
}

int
init_admin_main_pid (GVariant *processes)
{
  GVariantIter iter;
  const char *name;
  gint32 pid;

  if (processes == NULL)
    return 0;
  g_variant_iter_init (&iter, processes);
  while (g_variant_iter_next (&iter, "(&si)", &name, &pid))
    if (g_str_equal (name, "main"))
      return pid;
  return 0;
}

char *
init_admin_format_env (const char *const *env)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *eq = strchr (env[i], '=');

      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (eq != NULL && (strchr (eq, ' ') != NULL || eq[1] == '\0'))
        g_string_append_printf (out, "%.*s\"%s\"", (int) (eq - env[i] + 1), env[i], eq + 1);
      else
        g_string_append (out, env[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
init_admin_display_name (const char *job,
                         const char *instance)
{
  if (instance == NULL || instance[0] == '\0')
    return g_strdup (job);
  return g_strdup_printf ("%s (%s)", job, instance);
}

/* "weather KIND=rain"; the jobs' own events read "started hello RESULT=ok" rather than
 * "started JOB=hello INSTANCE=". */
char *
init_admin_format_event_title (const char        *name,
                               const char *const *env)
{
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  const char *job = NULL, *instance = "";
  g_autofree char *env_text = NULL;
  gboolean job_event = g_str_equal (name, "starting") || g_str_equal (name, "started")
                       || g_str_equal (name, "stopping") || g_str_equal (name, "stopped");

  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    {
      if (job_event && g_str_has_prefix (env[i], "JOB="))
        job = env[i] + 4;
      else if (job_event && g_str_has_prefix (env[i], "INSTANCE="))
        instance = env[i] + 9;
      else
        g_ptr_array_add (rest, (gpointer) env[i]);
    }
  g_ptr_array_add (rest, NULL);
  env_text = init_admin_format_env ((const char *const *) rest->pdata);
  if (job != NULL)
    {
      g_autofree char *display = init_admin_display_name (job, instance);

      return env_text[0] != '\0' ? g_strdup_printf ("%s %s %s", name, display, env_text)
                                 : g_strdup_printf ("%s %s", name, display);
    }
  return env_text[0] != '\0' ? g_strdup_printf ("%s %s", name, env_text) : g_strdup (name);
}
