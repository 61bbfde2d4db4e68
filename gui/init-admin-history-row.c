/* init-admin-history-row.c — one line of the event timeline */
#define G_LOG_DOMAIN "init-admin"

#include <glib/gi18n.h>
#include <string.h>

#include "init-admin-format.h"
#include "init-admin-history-row.h"

enum
{
  EFFECT_STARTED,
  EFFECT_STOPPED,
  EFFECT_RESTARTED,
  EFFECT_FAILED,
  N_EFFECTS
};

struct _InitAdminHistoryRow
{
  GObject parent_instance;

  InitAdminHistoryKind kind;
  guint64              id;
  gint64               timestamp;
  guint64              event_id;
  char                *title;
  char                *file;                  /* the job file a configuration error is in */
  char                *cause;
  InitAdminResult      result;
  char                *result_text;
  GPtrArray           *effects[N_EFFECTS];    /* display names */
  char                *effect;
  GHashTable          *jobs;                  /* job names */
  char                *folded;                /* title, case-folded */
  gboolean             highlighted;
};

G_DEFINE_FINAL_TYPE (InitAdminHistoryRow, init_admin_history_row, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_CAUSE,
  PROP_RESULT,
  PROP_RESULT_TEXT,
  PROP_EFFECT,
  PROP_HIGHLIGHTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
init_admin_history_row_finalize (GObject *object)
{
  InitAdminHistoryRow *self = INIT_ADMIN_HISTORY_ROW (object);

  g_free (self->title);
  g_free (self->file);
  g_free (self->cause);
  g_free (self->result_text);
  g_free (self->effect);
  g_free (self->folded);
  for (guint i = 0; i < N_EFFECTS; i++)
    g_clear_pointer (&self->effects[i], g_ptr_array_unref);
  g_hash_table_unref (self->jobs);

  G_OBJECT_CLASS (init_admin_history_row_parent_class)->finalize (object);
}

static void
init_admin_history_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  InitAdminHistoryRow *self = INIT_ADMIN_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_CAUSE:
      g_value_set_string (value, self->cause);
      break;
    case PROP_RESULT:
      g_value_set_int (value, self->result);
      break;
    case PROP_RESULT_TEXT:
      g_value_set_string (value, self->result_text);
      break;
    case PROP_EFFECT:
      g_value_set_string (value, self->effect);
      break;
    case PROP_HIGHLIGHTED:
      g_value_set_boolean (value, self->highlighted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_admin_history_row_class_init (InitAdminHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = init_admin_history_row_finalize;
  object_class->get_property = init_admin_history_row_get_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_CAUSE] = g_param_spec_string ("cause", NULL, NULL, NULL, flags);
  properties[PROP_RESULT] = g_param_spec_int ("result", NULL, NULL, INIT_ADMIN_RESULT_PENDING,
                                              INIT_ADMIN_RESULT_FAILED,
                                              INIT_ADMIN_RESULT_PENDING, flags);
  properties[PROP_RESULT_TEXT] = g_param_spec_string ("result-text", NULL, NULL, NULL, flags);
  properties[PROP_EFFECT] = g_param_spec_string ("effect", NULL, NULL, NULL, flags);
  properties[PROP_HIGHLIGHTED] = g_param_spec_boolean ("highlighted", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
init_admin_history_row_init (InitAdminHistoryRow *self)
{
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->title = g_strdup ("");
  self->cause = g_strdup ("");
  self->result_text = g_strdup ("");
  self->effect = g_strdup ("");
  self->folded = g_strdup ("");
}

InitAdminHistoryRow *
init_admin_history_row_new (InitAdminHistoryKind kind,
                            guint64              id,
                            gint64               timestamp)
{
  InitAdminHistoryRow *self = g_object_new (INIT_ADMIN_TYPE_HISTORY_ROW, NULL);

  self->kind = kind;
  self->id = id;
  self->timestamp = timestamp;
  return self;
}

InitAdminHistoryKind
init_admin_history_row_get_kind (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), INIT_ADMIN_HISTORY_EVENT);
  return self->kind;
}

guint64
init_admin_history_row_get_id (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), 0);
  return self->id;
}

gint64
init_admin_history_row_get_timestamp (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), 0);
  return self->timestamp;
}

guint64
init_admin_history_row_get_event_id (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), 0);
  return self->event_id;
}

void
init_admin_history_row_set_event_id (InitAdminHistoryRow *self,
                                     guint64              event_id)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self));
  self->event_id = event_id;
}

const char *
init_admin_history_row_get_file (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), NULL);
  return self->file;
}

void
init_admin_history_row_set_file (InitAdminHistoryRow *self,
                                 const char          *file)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self));

  g_free (self->file);
  self->file = g_strdup (file);
}

const char *
init_admin_history_row_get_title (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), NULL);
  return self->title;
}

void
init_admin_history_row_set_title (InitAdminHistoryRow *self,
                                  const char          *title)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title != NULL ? title : "");
  g_free (self->folded);
  self->folded = g_utf8_casefold (self->title, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
init_admin_history_row_get_cause (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), NULL);
  return self->cause;
}

void
init_admin_history_row_set_cause (InitAdminHistoryRow *self,
                                  const char          *cause)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self));

  if (g_strcmp0 (self->cause, cause) == 0)
    return;
  g_free (self->cause);
  self->cause = g_strdup (cause != NULL ? cause : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAUSE]);
}

InitAdminResult
init_admin_history_row_get_result (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), INIT_ADMIN_RESULT_PENDING);
  return self->result;
}

const char *
init_admin_history_row_get_result_text (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), NULL);
  return self->result_text;
}

void
init_admin_history_row_set_result (InitAdminHistoryRow *self,
                                   InitAdminResult      result,
                                   const char          *text)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->result != result)
    {
      self->result = result;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
    }
  if (g_strcmp0 (self->result_text, text) != 0)
    {
      g_free (self->result_text);
      self->result_text = g_strdup (text != NULL ? text : "");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT_TEXT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* "a, b, c", or NULL for none. */
static char *
join_names (GPtrArray *names)
{
  GString *out;

  if (names == NULL || names->len == 0)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", (char *) g_ptr_array_index (names, i));
  return g_string_free (out, FALSE);
}

static void
separate (GString *out)
{
  if (out->len > 0)
    g_string_append (out, " · ");
}

void
init_admin_history_row_add_effect (InitAdminHistoryRow *self,
                                   const char          *verb,
                                   const char          *job,
                                   const char          *instance)
{
  g_autofree char *display = NULL;
  g_autoptr(GString) out = NULL;
  guint which;

  g_return_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self));
  g_return_if_fail (verb != NULL && job != NULL);

  if (g_str_equal (verb, "started"))
    which = EFFECT_STARTED;
  else if (g_str_equal (verb, "stopped"))
    which = EFFECT_STOPPED;
  else if (g_str_equal (verb, "restarted"))
    which = EFFECT_RESTARTED;
  else
    which = EFFECT_FAILED;

  init_admin_history_row_add_job (self, job);
  display = init_admin_display_name (job, instance);
  if (self->effects[which] == NULL)
    self->effects[which] = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->effects[which]->len; i++)
    if (g_str_equal (g_ptr_array_index (self->effects[which], i), display))
      return;
  g_ptr_array_add (self->effects[which], g_steal_pointer (&display));

  out = g_string_new (NULL);
  {
    g_autofree char *started = join_names (self->effects[EFFECT_STARTED]);
    g_autofree char *stopped = join_names (self->effects[EFFECT_STOPPED]);
    g_autofree char *restarted = join_names (self->effects[EFFECT_RESTARTED]);
    g_autofree char *failed = join_names (self->effects[EFFECT_FAILED]);

    /* Translators: what an event did; %s is a list of jobs */
    if (started != NULL)
      g_string_append_printf (out, _("started %s"), started);
    if (stopped != NULL)
      {
        separate (out);
        g_string_append_printf (out, _("stopped %s"), stopped);
      }
    if (restarted != NULL)
      {
        separate (out);
        g_string_append_printf (out, _("restarted %s"), restarted);
      }
    if (failed != NULL)
      {
        separate (out);
        g_string_append_printf (out, _("failed: %s"), failed);
      }
  }
  g_free (self->effect);
  self->effect = g_string_free (g_steal_pointer (&out), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EFFECT]);
}

const char *
init_admin_history_row_get_effect (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), NULL);
  return self->effect;
}

GPtrArray *
init_admin_history_row_get_started (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), NULL);
  return self->effects[EFFECT_STARTED];
}

GPtrArray *
init_admin_history_row_get_failed (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), NULL);
  return self->effects[EFFECT_FAILED];
}

void
init_admin_history_row_add_job (InitAdminHistoryRow *self,
                                const char          *job)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self));

  if (job != NULL && !g_hash_table_contains (self->jobs, job))
    g_hash_table_add (self->jobs, g_strdup (job));
}

gboolean
init_admin_history_row_affects (InitAdminHistoryRow *self,
                                const char          *job)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), FALSE);
  return job != NULL && g_hash_table_contains (self->jobs, job);
}

GHashTable *
init_admin_history_row_get_jobs (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), NULL);
  return self->jobs;
}

gboolean
init_admin_history_row_matches (InitAdminHistoryRow *self,
                                const char          *folded)
{
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), FALSE);

  if (folded == NULL || folded[0] == '\0' || strstr (self->folded, folded) != NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *job = g_utf8_casefold (key, -1);

      if (strstr (job, folded) != NULL)
        return TRUE;
    }
  return FALSE;
}

gboolean
init_admin_history_row_get_highlighted (InitAdminHistoryRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self), FALSE);
  return self->highlighted;
}

void
init_admin_history_row_set_highlighted (InitAdminHistoryRow *self,
                                        gboolean             highlighted)
{
  g_return_if_fail (INIT_ADMIN_IS_HISTORY_ROW (self));

  highlighted = !!highlighted;
  if (self->highlighted == highlighted)
    return;
  self->highlighted = highlighted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHTED]);
}
