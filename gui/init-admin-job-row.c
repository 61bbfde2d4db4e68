/* init-admin-job-row.c — one line of the job list: a job, or one instance of a job */
#define G_LOG_DOMAIN "init-admin"

#include "init-admin-job-row.h"

struct _InitAdminJobRow
{
  GObject parent_instance;

  InitDBusJob      *job;
  InitDBusInstance *instance;
  gboolean          job_failed;
  gboolean          highlighted;

  /* Cached from the proxies by refresh(). */
  char           *name;
  char           *description;
  char           *goal_state;
  char           *search_key;
  InitAdminStatus status;
  int             pid;
};

G_DEFINE_FINAL_TYPE (InitAdminJobRow, init_admin_job_row, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_STATUS,
  PROP_GOAL_STATE,
  PROP_PID,
  PROP_HIGHLIGHTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
set_string (char      **field,
            const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

gboolean
init_admin_job_row_refresh (InitAdminJobRow *self)
{
  const char *job_name, *description, *goal = NULL, *state = NULL;
  const char *instance_name = NULL;
  g_autofree char *name = NULL;
  g_autofree char *goal_state = NULL;
  gboolean failed = self->job_failed;
  gboolean keys = FALSE;
  InitAdminStatus status;
  int pid = 0;

  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), FALSE);

  g_object_freeze_notify (G_OBJECT (self));

  job_name = init_dbus_job_get_name (self->job);
  description = init_dbus_job_get_description (self->job);
  if (self->instance != NULL)
    {
      instance_name = init_dbus_instance_get_name (self->instance);
      goal = init_dbus_instance_get_goal (self->instance);
      state = init_dbus_instance_get_state (self->instance);
      failed = init_dbus_instance_get_failed (self->instance);
      pid = init_admin_main_pid (init_dbus_instance_get_processes (self->instance));
    }
  name = init_admin_display_name (job_name != NULL ? job_name : "", instance_name);
  goal_state = g_strdup_printf ("%s/%s", goal != NULL ? goal : "stop", state != NULL ? state : "waiting");
  status = init_admin_status_from (goal, state, failed);

  if (set_string (&self->name, name))
    {
      keys = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }
  if (set_string (&self->description, description != NULL ? description : ""))
    {
      keys = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
    }
  if (keys || self->search_key == NULL)
    {
      g_autofree char *both = g_strconcat (self->name, "\n", self->description, NULL);

      g_free (self->search_key);
      self->search_key = g_utf8_casefold (both, -1);
    }
  if (set_string (&self->goal_state, goal_state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GOAL_STATE]);
  if (self->status != status)
    {
      keys = TRUE;
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (self->pid != pid)
    {
      keys = TRUE;
      self->pid = pid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PID]);
    }

  g_object_thaw_notify (G_OBJECT (self));
  return keys;
}

static void
init_admin_job_row_finalize (GObject *object)
{
  InitAdminJobRow *self = INIT_ADMIN_JOB_ROW (object);

  g_clear_object (&self->job);
  g_clear_object (&self->instance);
  g_free (self->name);
  g_free (self->description);
  g_free (self->goal_state);
  g_free (self->search_key);

  G_OBJECT_CLASS (init_admin_job_row_parent_class)->finalize (object);
}

static void
init_admin_job_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  InitAdminJobRow *self = INIT_ADMIN_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_GOAL_STATE:
      g_value_set_string (value, self->goal_state);
      break;
    case PROP_PID:
      g_value_set_int (value, self->pid);
      break;
    case PROP_HIGHLIGHTED:
      g_value_set_boolean (value, self->highlighted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_admin_job_row_class_init (InitAdminJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = init_admin_job_row_finalize;
  object_class->get_property = init_admin_job_row_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL, INIT_ADMIN_STATUS_FAILED,
                                              INIT_ADMIN_STATUS_STOPPED,
                                              INIT_ADMIN_STATUS_STOPPED, flags);
  properties[PROP_GOAL_STATE] = g_param_spec_string ("goal-state", NULL, NULL, NULL, flags);
  properties[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_HIGHLIGHTED] = g_param_spec_boolean ("highlighted", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
init_admin_job_row_init (InitAdminJobRow *self)
{
  self->status = INIT_ADMIN_STATUS_STOPPED;
}

InitAdminJobRow *
init_admin_job_row_new (InitDBusJob *job)
{
  InitAdminJobRow *self;

  g_return_val_if_fail (INIT_DBUS_IS_JOB (job), NULL);

  self = g_object_new (INIT_ADMIN_TYPE_JOB_ROW, NULL);
  self->job = g_object_ref (job);
  init_admin_job_row_refresh (self);
  return self;
}

InitDBusJob *
init_admin_job_row_get_job (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), NULL);
  return self->job;
}

InitDBusInstance *
init_admin_job_row_get_instance (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), NULL);
  return self->instance;
}

void
init_admin_job_row_set_instance (InitAdminJobRow  *self,
                                 InitDBusInstance *instance)
{
  g_return_if_fail (INIT_ADMIN_IS_JOB_ROW (self));

  g_set_object (&self->instance, instance);
}

void
init_admin_job_row_set_job_failed (InitAdminJobRow *self,
                                   gboolean         failed)
{
  g_return_if_fail (INIT_ADMIN_IS_JOB_ROW (self));
  self->job_failed = failed;
}

const char *
init_admin_job_row_get_name (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), NULL);
  return self->name;
}

const char *
init_admin_job_row_get_job_name (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), NULL);
  return init_dbus_job_get_name (self->job);
}

const char *
init_admin_job_row_get_instance_name (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), NULL);
  return self->instance != NULL ? init_dbus_instance_get_name (self->instance) : NULL;
}

const char *
init_admin_job_row_get_description (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), NULL);
  return self->description;
}

InitAdminStatus
init_admin_job_row_get_status (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), INIT_ADMIN_STATUS_STOPPED);
  return self->status;
}

const char *
init_admin_job_row_get_goal_state (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), NULL);
  return self->goal_state;
}

int
init_admin_job_row_get_pid (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), 0);
  return self->pid;
}

const char *
init_admin_job_row_get_search_key (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), NULL);
  return self->search_key;
}

gboolean
init_admin_job_row_get_highlighted (InitAdminJobRow *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_JOB_ROW (self), FALSE);
  return self->highlighted;
}

void
init_admin_job_row_set_highlighted (InitAdminJobRow *self,
                                    gboolean         highlighted)
{
  g_return_if_fail (INIT_ADMIN_IS_JOB_ROW (self));

  highlighted = !!highlighted;
  if (self->highlighted == highlighted)
    return;
  self->highlighted = highlighted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHTED]);
}
