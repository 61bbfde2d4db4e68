/* init-authority.c — who is calling, and may they?  The daemon's one async polkit wrapper. */
#define G_LOG_DOMAIN "init-authority"

#include <glib/gi18n.h>
#include <polkit/polkit.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init-authority.h"
#include "init-polkit-details.h"
#include "init-check-limiter.h"
#include "init-denial-cache.h"
#include "init-env-policy.h"
#include "init-error.h"

/* How long a check may take before it is refused.  A non-interactive check is a few
 * milliseconds when polkitd is healthy; an interactive one waits for a person typing a
 * password.  Either way a hung polkitd must not hold a caller forever. */
#define DEFAULT_TIMEOUT_MSEC             25000
/* Two minutes: enough to type a password; an agent that never answers holds one of its
 * user's two interactive slots (init-check-limiter.h) no longer than that. */
#define DEFAULT_INTERACTIVE_TIMEOUT_MSEC 120000

#define DBUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED \
  "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"

struct _InitAuthority
{
  GObject parent_instance;

  gboolean use_polkit;
  guint    timeout_msec;
  guint    interactive_timeout_msec;

  /* Fetched once, on the system bus connection @polkit_bus, and dropped (to be fetched again
   * by the next check) as soon as that connection closes.  Holding either past the close
   * would pin GLib's closed system-bus singleton, and g_bus_get() would keep handing the
   * dead connection to the daemon when it tries to reconnect. */
  PolkitAuthority *authority;
  GDBusConnection *polkit_bus;
  gulong           polkit_bus_closed_id;

  InitCallerDirectory *callers;   /* who is calling (cached, lookups shared) */
  guint                n_pending;  /* checks not finished yet */

  /* Every uid's share of polkit, and one budget of warnings for all checks. */
  InitCheckLimiter *limiter;
  InitCallGate     *gate;        /* refuses a full share's calls in GDBus's worker thread */
  InitWarnLimit     warnings;
  InitDenialCache  *denials;     /* polkit's recent "no"s, not asked again */
};

enum
{
  PROP_0,
  PROP_USE_POLKIT,
  PROP_TIMEOUT_MSEC,
  PROP_INTERACTIVE_TIMEOUT_MSEC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (InitAuthority, init_authority, G_TYPE_OBJECT)

/* One check in flight. */
typedef struct
{
  GDBusConnection *connection;
  char            *sender;            /* NULL on a peer-to-peer connection */
  char            *action_id;
  PolkitDetails   *details;
  GStrv            question;          /* the details as sorted key, value pairs */
  GError          *env_error;         /* a variable only root may pass, or NULL */
  gboolean         interactive;
  InitCaller      *caller;
  gboolean         retried;           /* already re-fetched a stale authority once */
  GCancellable    *check_cancellable; /* interactive: cancelled by the timeout or the caller's */
  GCancellable    *cancellable;       /* the caller's */
  gulong           cancelled_id;
  GSource         *timeout_source;
  gboolean         timed_out;
  gboolean         gave_up;           /* answered before polkit: its late answer is dropped */
  GTask           *task;              /* borrowed: the task owns the data */
  gboolean         has_slot;          /* the limiter let it ask polkit: release when done */
  guint32          slot_uid;
  InitAuthority   *authority;         /* counts the checks in flight (a ref) */
  PolkitAuthority *polkit;            /* the one asked, held until it answered */
} CheckData;

static void
stop_timeout (CheckData *data)
{
  if (data->timeout_source == NULL)
    return;
  g_source_destroy (data->timeout_source);
  g_clear_pointer (&data->timeout_source, g_source_unref);
}

static void
check_data_free (CheckData *data)
{
  stop_timeout (data);
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (data->cancellable, data->cancelled_id);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->check_cancellable);
  g_clear_object (&data->polkit);
  g_clear_object (&data->connection);
  g_free (data->sender);
  g_free (data->action_id);
  g_clear_object (&data->details);
  g_strfreev (data->question);
  g_clear_error (&data->env_error);
  if (data->has_slot)
    init_check_limiter_release (data->authority->limiter, data->slot_uid, data->interactive);
  init_caller_free (data->caller);
  if (data->authority != NULL)
    {
      data->authority->n_pending--;
      g_object_unref (data->authority);
    }
  g_free (data);
}

static void
forget_authority (InitAuthority *self)
{
  if (self->polkit_bus != NULL)
    g_clear_signal_handler (&self->polkit_bus_closed_id, self->polkit_bus);
  g_clear_object (&self->polkit_bus);
  g_clear_object (&self->authority);
}

static void
polkit_bus_closed (GDBusConnection *connection,
                   gboolean         remote_peer_vanished,
                   GError          *error,
                   InitAuthority   *self)
{
  g_debug ("system bus closed; dropping the polkit authority");
  forget_authority (self);
}

/* The qdata key under which a system bus connection keeps its PolkitAuthority. */
#define KEPT_AUTHORITY_KEY "init-authority-polkit"

static void
drop_kept_authority (GDBusConnection *bus,
                     gboolean         remote_peer_vanished,
                     GError          *error,
                     gpointer         user_data)
{
  g_object_set_data (G_OBJECT (bus), KEPT_AUTHORITY_KEY, NULL);
}

/* Keep @authority as long as @bus is open.  libpolkit's PolkitAuthority leaves handlers on
 * its GDBusProxy when finalized, and the proxy lives on while a call it made is in flight
 * (its own CancelCheckAuthorization, a reply in GDBus's worker): a name-owner change or a
 * "Changed" signal then reached freed memory ("invalid uninstantiatable type '(null)' in
 * cast to 'PolkitAuthority'", issue 16).  After "closed" no message reaches the proxy, so
 * the authority goes then (a closed singleton is not pinned: forget_authority()). */
static void
keep_with_bus (GDBusConnection *bus,
               PolkitAuthority *authority)
{
  if (g_object_get_data (G_OBJECT (bus), KEPT_AUTHORITY_KEY) == authority)
    return;
  if (g_object_get_data (G_OBJECT (bus), KEPT_AUTHORITY_KEY) == NULL)
    g_signal_connect (bus, "closed", G_CALLBACK (drop_kept_authority), NULL);
  g_object_set_data_full (G_OBJECT (bus), KEPT_AUTHORITY_KEY, g_object_ref (authority),
                          g_object_unref);
}

static void check_with_polkit (GTask *task);

static gboolean
check_with_polkit_idle (gpointer user_data)
{
  check_with_polkit (G_TASK (user_data));
  return G_SOURCE_REMOVE;
}

static void
return_polkit_unavailable (GTask        *task,
                           const GError *error)
{
  InitAuthority *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);

  init_warn_limit_warn (&self->warnings, "Cannot check authorization for %s (%s): %s",
                        data->action_id, data->sender, error->message);
  g_task_return_new_error (task, INIT_ERROR, INIT_ERROR_PERMISSION_DENIED,
                           _("Cannot check authorization: polkit is not available (%s)"),
                           error->message);
}

/* Warn that polkit did not answer in time; the error for the caller. */
static GError *
timed_out_error (InitAuthority *self,
                 CheckData     *data)
{
  init_warn_limit_warn (&self->warnings,
                        "polkit did not answer the check of %s for %s within %u ms",
                        data->action_id, data->sender,
                        data->interactive ? self->interactive_timeout_msec : self->timeout_msec);
  return g_error_new_literal (INIT_ERROR, INIT_ERROR_PERMISSION_DENIED,
                              _("Cannot check authorization: polkit did not answer in time"));
}

/* Answer a non-interactive check now with @error (taken), without telling polkitd: it
 * answers such a check by itself in a moment, and a cancellation arriving after that answer
 * (polkitd stopped, then resumed) only earned a warning from libpolkit, "No such
 * cancellation_id".  The slot goes to the next check; polkit's answer is dropped. */
static void
give_up (CheckData *data,
         GError    *error)
{
  if (data->gave_up)
    {
      g_error_free (error);
      return;
    }
  data->gave_up = TRUE;
  stop_timeout (data);
  if (data->has_slot)
    {
      data->has_slot = FALSE;
      init_check_limiter_release (data->authority->limiter, data->slot_uid, data->interactive);
    }
  g_task_return_error (data->task, error);
}

static void
caller_gave_up (GCancellable *cancellable,
                CheckData    *data)
{
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  give_up (data, error);
}

/* polkit gave no answer for @task's check (@error): a timeout, a cancelled caller, a stale
 * authority (retried once with a fresh one), polkitd not running, or unavailable. */
static void
check_failed (InitAuthority   *self,
              GTask           *task_in,
              CheckData       *data,
              PolkitAuthority *polkit,
              GError          *error)
{
  g_autoptr(GTask) task = task_in;
  g_autofree char *remote = g_dbus_error_get_remote_error (error);

  if (data->timed_out)
    {
      g_task_return_error (task, timed_out_error (self, data));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) && !data->retried)
    {
      /* The system bus went away since the authority was fetched: its proxy is dead
       * for good.  Drop our reference and try once more with a fresh authority; the
       * retry waits for an idle so the failed call has released its reference too and
       * polkit_authority_get_async() builds a new singleton. */
      g_debug ("polkit authority is stale (%s); fetching it again", error->message);
      if (self->authority == polkit)
        forget_authority (self);
      data->retried = TRUE;
      g_idle_add (check_with_polkit_idle, g_steal_pointer (&task));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) && self->authority == polkit)
    forget_authority (self);
  if (g_strcmp0 (remote, "org.freedesktop.DBus.Error.ServiceUnknown") == 0 ||
      g_strcmp0 (remote, "org.freedesktop.DBus.Error.NameHasNoOwner") == 0)
    {
      init_warn_limit_warn (&self->warnings,
                            "Cannot check authorization for %s: polkitd is not running",
                            data->action_id);
      g_task_return_new_error (task, INIT_ERROR, INIT_ERROR_PERMISSION_DENIED,
                               _("Cannot check authorization: polkit is not running"));
      return;
    }
  return_polkit_unavailable (task, error);
}

static void
check_authorization_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  InitAuthority *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(PolkitAuthorizationResult) res = NULL;
  g_autoptr(GError) error = NULL;

  /* Our own reference kept @source alive: the bus closing (forget_authority()) may have
   * dropped every other one while the check was in flight. */
  g_autoptr(PolkitAuthority) polkit = g_steal_pointer (&data->polkit);

  res = polkit_authority_check_authorization_finish (polkit, result, &error);
  stop_timeout (data);
  if (data->gave_up)
    return;
  if (data->cancelled_id != 0)
    {
      /* Answered: the caller giving up now changes nothing. */
      g_cancellable_disconnect (data->cancellable, data->cancelled_id);
      data->cancelled_id = 0;
    }
  if (res == NULL)
    {
      check_failed (self, g_steal_pointer (&task), data, polkit, error);
      return;
    }

  if (polkit_authorization_result_get_is_authorized (res))
    {
      g_debug ("polkit: %s allowed for uid %u", data->action_id, data->caller->uid);
      g_task_return_pointer (task, g_steal_pointer (&data->caller), (GDestroyNotify) init_caller_free);
      return;
    }
  if (polkit_authorization_result_get_is_challenge (res) && !data->interactive)
    {
      g_task_return_error (task,
                           g_dbus_error_new_for_dbus_error (DBUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED,
                                                            _("Interactive authentication required")));
      return;
    }
  g_info ("polkit: %s denied for uid %u", data->action_id, data->caller->uid);
  /* Not after an interactive check: the person may have dismissed the dialog, and may
   * well try again at once. */
  if (!data->interactive)
    init_denial_cache_add (self->denials, data->sender, data->action_id,
                           (const char *const *) data->question);
  g_task_return_new_error (task, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                           _("Not authorized to perform this operation (%s)"), data->action_id);
}

static gboolean
check_timed_out (gpointer user_data)
{
  CheckData *data = user_data;

  data->timed_out = TRUE;
  g_clear_pointer (&data->timeout_source, g_source_unref);
  if (data->interactive)
    g_cancellable_cancel (data->check_cancellable);
  else
    give_up (data, timed_out_error (data->authority, data));
  return G_SOURCE_REMOVE;
}

static void
parent_cancelled (GCancellable *parent,
                  GCancellable *child)
{
  g_cancellable_cancel (child);
}

static void
authority_ready_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  InitAuthority *self = g_task_get_source_object (task);
  g_autoptr(PolkitAuthority) authority = NULL;
  g_autoptr(GError) error = NULL;

  authority = polkit_authority_get_finish (result, &error);
  if (authority == NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      return_polkit_unavailable (task, error);
      return;
    }
  if (self->authority == NULL && self->polkit_bus != NULL)
    {
      self->authority = g_object_ref (authority);
      keep_with_bus (self->polkit_bus, authority);
    }
  if (self->authority == NULL)
    {
      /* The bus closed while polkit was being set up. */
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The system bus connection is closed"));
      return_polkit_unavailable (task, error);
      return;
    }
  check_with_polkit (g_steal_pointer (&task));
}

static void
polkit_bus_ready_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  InitAuthority *self = g_task_get_source_object (task);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      return_polkit_unavailable (task, error);
      return;
    }
  if (g_dbus_connection_is_closed (bus))
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The system bus connection is closed"));
      return_polkit_unavailable (task, error);
      return;
    }
  /* GDBus would raise SIGTERM (initd's shutdown signal) when the bus goes away. */
  g_dbus_connection_set_exit_on_close (bus, FALSE);
  if (self->polkit_bus != bus)
    {
      forget_authority (self);
      self->polkit_bus = g_object_ref (bus);
      self->polkit_bus_closed_id = g_signal_connect (bus, "closed", G_CALLBACK (polkit_bus_closed), self);
    }
  /* libpolkit talks on the same system-bus singleton we now watch. */
  cancellable = g_task_get_cancellable (task);
  polkit_authority_get_async (cancellable, authority_ready_cb, g_steal_pointer (&task));
}

/* Ask polkit (fetching the authority first if needed).  Takes the task's reference. */
static void
check_with_polkit (GTask *task)
{
  InitAuthority *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(PolkitSubject) subject = NULL;
  PolkitCheckAuthorizationFlags flags = POLKIT_CHECK_AUTHORIZATION_FLAGS_NONE;
  guint timeout;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (self->authority == NULL)
    {
      g_bus_get (G_BUS_TYPE_SYSTEM, g_task_get_cancellable (task), polkit_bus_ready_cb, task);
      return;
    }

  /* polkit identifies the caller by its bus name: polkitd asks the bus for its uid and pid
   * itself, so nothing the caller controls is trusted. */
  subject = polkit_system_bus_name_new (data->sender);
  if (data->interactive)
    flags |= POLKIT_CHECK_AUTHORIZATION_FLAGS_ALLOW_USER_INTERACTION;

  g_clear_object (&data->check_cancellable);
  data->check_cancellable = g_cancellable_new ();
  data->timed_out = FALSE;
  if (data->cancellable != NULL)
    {
      if (data->cancelled_id != 0)
        g_cancellable_disconnect (data->cancellable, data->cancelled_id);
      if (data->interactive)
        data->cancelled_id = g_cancellable_connect (data->cancellable,
                                                    G_CALLBACK (parent_cancelled),
                                                    g_object_ref (data->check_cancellable),
                                                    g_object_unref);
      else
        data->cancelled_id = g_cancellable_connect (data->cancellable,
                                                    G_CALLBACK (caller_gave_up), data, NULL);
    }
  timeout = data->interactive ? self->interactive_timeout_msec : self->timeout_msec;
  stop_timeout (data);
  data->timeout_source = g_timeout_source_new (timeout);
  g_source_set_callback (data->timeout_source, check_timed_out, data, NULL);
  g_source_attach (data->timeout_source, g_task_get_context (task));

  g_set_object (&data->polkit, self->authority);
  polkit_authority_check_authorization (self->authority, subject, data->action_id,
                                        data->details, flags,
                                        data->interactive ? data->check_cancellable : NULL,
                                        check_authorization_cb, task);
}

/* The limiter's turn for @user_data (a task): ask polkit, holding a slot until the check's
 * data is freed. */
static void
start_check (gpointer user_data)
{
  GTask *task = user_data;
  CheckData *data = g_task_get_task_data (task);

  data->has_slot = TRUE;
  data->slot_uid = data->caller->uid;
  check_with_polkit (task);
}

/* The caller is known: decide without polkit where we can. */
static void
decide (GTask *task)
{
  InitAuthority *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (data->action_id == NULL || data->caller->uid == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->caller), (GDestroyNotify) init_caller_free);
      g_object_unref (task);
      return;
    }
  if (!self->use_polkit)
    {
      if (data->caller->uid == getuid ())
        g_task_return_pointer (task, g_steal_pointer (&data->caller), (GDestroyNotify) init_caller_free);
      else
        g_task_return_new_error (task, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                                 _("Only user %u may change this session's jobs"),
                                 (guint) getuid ());
      g_object_unref (task);
      return;
    }
  if (data->env_error != NULL)
    {
      /* Checked before polkit: no rule may hand root's loader to a user. */
      g_task_return_error (task, g_steal_pointer (&data->env_error));
      g_object_unref (task);
      return;
    }
  if (data->sender == NULL)
    {
      /* polkit needs a bus name to identify the subject. */
      g_task_return_new_error (task, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                               _("Not authorized to perform this operation (%s)"), data->action_id);
      g_object_unref (task);
      return;
    }
  if (init_denial_cache_lookup (self->denials, data->sender, data->action_id,
                                (const char *const *) data->question))
    {
      /* What polkit said a moment ago to this very question (init-denial-cache.h). */
      g_task_return_new_error (task, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                               _("Not authorized to perform this operation (%s)"), data->action_id);
      g_object_unref (task);
      return;
    }
  if (!init_check_limiter_submit (self->limiter, data->caller->uid, data->interactive,
                                  start_check, task, &error))
    {
      init_warn_limit_warn (&self->warnings, "Refused a check of %s for uid %u (%s): %s",
                            data->action_id, data->caller->uid, data->sender, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
    }
}

/* The directory's answer for a check waiting to know its caller. */
static void
identified (const InitCaller *caller,
            const GError     *error,
            gpointer          user_data)
{
  GTask *task = G_TASK (user_data);
  CheckData *data = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (caller == NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
      return;
    }
  data->caller = init_caller_copy (caller);
  init_call_gate_set_sender (INIT_AUTHORITY (g_task_get_source_object (task))->gate,
                             data->sender, caller->uid);
  decide (task);
}

static void
init_authority_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  InitAuthority *self = INIT_AUTHORITY (object);

  switch (prop_id)
    {
    case PROP_USE_POLKIT:
      g_value_set_boolean (value, self->use_polkit);
      break;
    case PROP_TIMEOUT_MSEC:
      g_value_set_uint (value, self->timeout_msec);
      break;
    case PROP_INTERACTIVE_TIMEOUT_MSEC:
      g_value_set_uint (value, self->interactive_timeout_msec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_authority_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  InitAuthority *self = INIT_AUTHORITY (object);

  switch (prop_id)
    {
    case PROP_USE_POLKIT:
      self->use_polkit = g_value_get_boolean (value);
      break;
    case PROP_TIMEOUT_MSEC:
      self->timeout_msec = g_value_get_uint (value);
      break;
    case PROP_INTERACTIVE_TIMEOUT_MSEC:
      self->interactive_timeout_msec = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_authority_finalize (GObject *object)
{
  InitAuthority *self = INIT_AUTHORITY (object);

  forget_authority (self);
  init_warn_limit_clear (&self->warnings);
  g_clear_pointer (&self->limiter, init_check_limiter_free);
  g_clear_pointer (&self->gate, init_call_gate_unref);
  g_clear_pointer (&self->callers, init_caller_directory_free);
  g_clear_pointer (&self->denials, init_denial_cache_free);

  G_OBJECT_CLASS (init_authority_parent_class)->finalize (object);
}

static void
init_authority_class_init (InitAuthorityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = init_authority_get_property;
  object_class->set_property = init_authority_set_property;
  object_class->finalize = init_authority_finalize;

  /* TRUE for the system daemon (polkit decides), FALSE for a session daemon (same uid). */
  properties[PROP_USE_POLKIT] =
    g_param_spec_boolean ("use-polkit", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Longest wait for polkit's answer to a non-interactive check; then the call is refused. */
  properties[PROP_TIMEOUT_MSEC] =
    g_param_spec_uint ("timeout-msec", NULL, NULL, 1, G_MAXUINT, DEFAULT_TIMEOUT_MSEC,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /* The same for interactive checks, which wait for a person to authenticate. */
  properties[PROP_INTERACTIVE_TIMEOUT_MSEC] =
    g_param_spec_uint ("interactive-timeout-msec", NULL, NULL, 1, G_MAXUINT,
                       DEFAULT_INTERACTIVE_TIMEOUT_MSEC,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
init_authority_init (InitAuthority *self)
{
  self->callers = init_caller_directory_new ();
  self->limiter = init_check_limiter_new (&init_check_limits_default);
  self->gate = init_call_gate_new ();
  self->denials = init_denial_cache_new ();
  init_check_limiter_set_gate (self->limiter, self->gate);
}

InitAuthority *
init_authority_new (gboolean use_polkit)
{
  return g_object_new (INIT_TYPE_AUTHORITY, "use-polkit", use_polkit, NULL);
}

void
init_authority_check_async (InitAuthority         *self,
                            GDBusMethodInvocation *invocation,
                            const char            *action_id,
                            const char *const     *details,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;
  GDBusMessage *message;

  g_return_if_fail (INIT_IS_AUTHORITY (self));
  g_return_if_fail (G_IS_DBUS_METHOD_INVOCATION (invocation));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, init_authority_check_async);

  data = g_new0 (CheckData, 1);
  data->authority = g_object_ref (self);
  data->task = task;
  self->n_pending++;
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  data->connection = g_object_ref (g_dbus_method_invocation_get_connection (invocation));
  data->sender = g_strdup (g_dbus_method_invocation_get_sender (invocation));
  data->action_id = g_strdup (action_id);
  data->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  message = g_dbus_method_invocation_get_message (invocation);
  data->interactive = (g_dbus_message_get_flags (message) &
                       G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) != 0;
  if (action_id != NULL)
    {
      g_autofree const char **env = init_env_policy_invocation_env (invocation);
      const char *text;

      data->details = polkit_details_new ();
      for (gsize i = 0; details != NULL && details[i] != NULL && details[i + 1] != NULL; i += 2)
        polkit_details_insert (data->details, details[i], details[i + 1]);
      if (env != NULL)
        {
          /* The variables' names, so a rule can allow a call only without any. */
          g_autofree char *keys = init_env_policy_keys (env);

          polkit_details_insert (data->details, "env-keys", keys);
          init_env_policy_check_keys (env, &data->env_error);
        }
      text = init_polkit_message_for (action_id, data->details);
      if (text != NULL && polkit_details_lookup (data->details, "polkit.message") == NULL)
        {
          polkit_details_insert (data->details, "polkit.message", text);
          polkit_details_insert (data->details, "polkit.gettext_domain", GETTEXT_PACKAGE);
        }
      data->question = init_polkit_sorted_details (data->details);
    }

  if (data->sender == NULL)
    {
      /* A peer-to-peer connection (tests, or a private socket): the peer is the caller. */
      GCredentials *credentials = g_dbus_connection_get_peer_credentials (data->connection);
      uid_t uid = credentials != NULL ? g_credentials_get_unix_user (credentials, NULL) : (uid_t) -1;
      pid_t pid = credentials != NULL ? g_credentials_get_unix_pid (credentials, NULL) : -1;

      if (uid == (uid_t) -1)
        {
          g_task_return_new_error (task, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                                   _("Cannot identify the caller: no credentials"));
          return;
        }
      data->caller = init_caller_new (uid, pid > 0 ? (guint32) pid : 0);
      decide (g_steal_pointer (&task));
      return;
    }

  init_caller_directory_lookup (self->callers, data->connection, data->sender, identified,
                                g_steal_pointer (&task));
}

InitCaller *
init_authority_check_finish (InitAuthority *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (INIT_IS_AUTHORITY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == init_authority_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
init_authority_attach (InitAuthority   *self,
                       GDBusConnection *connection)
{
  g_return_val_if_fail (INIT_IS_AUTHORITY (self), 0);
  return init_call_gate_attach (self->gate, connection, self->use_polkit);
}

guint
init_authority_get_n_pending (InitAuthority *self)
{
  g_return_val_if_fail (INIT_IS_AUTHORITY (self), 0);
  return self->n_pending;
}
