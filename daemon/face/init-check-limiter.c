/* init-check-limiter.c — a fair share of polkit for every user, and warnings that summarise */
#define G_LOG_DOMAIN "init-authority"

#include <glib/gi18n.h>

#include "init-check-limiter.h"
#include "init-error.h"

const InitCheckLimits init_check_limits_default = {
  .max_in_flight = 64,
  /* polkitd answers one check after another (it asks the bus who the subject is
   * synchronously): another user's check waits behind every one a flooding user has in
   * flight there.  Three: two interactive checks waiting for a password never hold the
   * last one up. */
  .max_in_flight_per_uid = 3,
  .max_interactive_per_uid = 2,
  .max_waiting_per_uid = 64,
  .max_waiting = 4096,
};

typedef struct
{
  InitCheckStartFunc start;
  gpointer           data;
} Waiting;

/* One uid with checks in flight or waiting. */
typedef struct
{
  guint32           uid;
  guint             in_flight;
  guint             interactive; /* in flight or waiting */
  GQueue            waiting; /* Waiting* */
  GList             turn; /* link in the limiter's turns while it waits and may start */
  gboolean          has_turn;
  InitCallGateState reported;   /* what the gate was told */
} UidShare;

struct _InitCheckLimiter
{
  InitCheckLimits limits;
  GHashTable     *shares;      /* uid -> UidShare* */
  GQueue          turns;       /* UidShare* with waiting checks, served in turn */
  guint           in_flight;
  guint           waiting;
  gboolean        pumping;
  InitCallGate   *gate;
};

static void
share_free (gpointer data)
{
  UidShare *share = data;

  g_queue_clear_full (&share->waiting, g_free);
  g_free (share);
}

InitCheckLimiter *
init_check_limiter_new (const InitCheckLimits *limits)
{
  InitCheckLimiter *self = g_new0 (InitCheckLimiter, 1);

  g_return_val_if_fail (limits != NULL, NULL);

  self->limits = *limits;
  self->shares = g_hash_table_new_full (NULL, NULL, NULL, share_free);
  g_queue_init (&self->turns);
  return self;
}

void
init_check_limiter_free (InitCheckLimiter *self)
{
  if (self == NULL)
    return;
  /* Checks still waiting belong to their callers' tasks, which hold the daemon's authority
   * alive: nothing waits when the authority (our owner) goes.  Whoever frees a limiter with
   * checks waiting anyway (a test) gets back only its own memory: the checks' data stays
   * theirs. */
  g_hash_table_unref (self->shares);
  g_free (self);
}

static UidShare *
share_for (InitCheckLimiter *self,
           guint32           uid)
{
  UidShare *share = g_hash_table_lookup (self->shares, GUINT_TO_POINTER (uid));

  if (share == NULL)
    {
      share = g_new0 (UidShare, 1);
      share->uid = uid;
      share->turn.data = share;
      g_queue_init (&share->waiting);
      g_hash_table_insert (self->shares, GUINT_TO_POINTER (uid), share);
    }
  return share;
}

void
init_check_limiter_set_gate (InitCheckLimiter *self,
                             InitCallGate     *gate)
{
  g_return_if_fail (self != NULL);
  self->gate = gate;
}

/* Tell the gate when @share fills up or frees. */
static void
report (InitCheckLimiter *self,
        UidShare         *share)
{
  InitCallGateState state = INIT_CALL_GATE_OPEN;
  guint waiting = share->waiting.length;

  /* Full until half the queue is free again: a flood's calls, let through each time one
   * check finished, would only be refused here in the main loop. */
  if (waiting >= self->limits.max_waiting_per_uid
      || ((share->reported & INIT_CALL_GATE_CHECKS_FULL) && waiting > self->limits.max_waiting_per_uid / 2))
    state |= INIT_CALL_GATE_CHECKS_FULL;
  if (share->interactive >= self->limits.max_interactive_per_uid)
    state |= INIT_CALL_GATE_INTERACTIVE_FULL;
  if (state == share->reported || self->gate == NULL)
    return;
  share->reported = state;
  init_call_gate_set_state (self->gate, share->uid, state);
}

static void
forget_if_idle (InitCheckLimiter *self,
                UidShare         *share)
{
  if (share->in_flight == 0 && share->interactive == 0 && g_queue_is_empty (&share->waiting)
      && !share->has_turn)
    g_hash_table_remove (self->shares, GUINT_TO_POINTER (share->uid));
}

static void
take_turn (InitCheckLimiter *self,
           UidShare         *share)
{
  if (!share->has_turn && !g_queue_is_empty (&share->waiting)
      && share->in_flight < self->limits.max_in_flight_per_uid)
    {
      g_queue_push_tail_link (&self->turns, &share->turn);
      share->has_turn = TRUE;
    }
}

/* Start waiting checks, one per uid in turn, while there are free slots.  A start may finish
 * at once and release its slot: that only asks for another round. */
static void
pump (InitCheckLimiter *self)
{
  if (self->pumping)
    return;
  self->pumping = TRUE;
  while (self->in_flight < self->limits.max_in_flight && !g_queue_is_empty (&self->turns))
    {
      UidShare *share = g_queue_peek_head (&self->turns);
      Waiting *next;

      g_queue_unlink (&self->turns, &share->turn);
      share->has_turn = FALSE;
      next = g_queue_pop_head (&share->waiting);
      self->waiting--;
      share->in_flight++;
      self->in_flight++;
      take_turn (self, share);
      report (self, share);
      next->start (next->data);
      g_free (next);
    }
  self->pumping = FALSE;
}

gboolean
init_check_limiter_submit (InitCheckLimiter  *self,
                           guint32            uid,
                           gboolean           interactive,
                           InitCheckStartFunc start,
                           gpointer           data,
                           GError           **error)
{
  UidShare *share;
  Waiting *waiting;

  g_return_val_if_fail (self != NULL && start != NULL, FALSE);

  share = share_for (self, uid);
  if (interactive && share->interactive >= self->limits.max_interactive_per_uid)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_LIMITS_EXCEEDED,
                   _("Too many authentication requests of user %u are open (at most %u)"),
                   uid, self->limits.max_interactive_per_uid);
      return FALSE;
    }
  if (share->waiting.length >= self->limits.max_waiting_per_uid
      || self->waiting >= self->limits.max_waiting)
    {
      forget_if_idle (self, share);
      g_set_error (error, INIT_ERROR, INIT_ERROR_LIMITS_EXCEEDED,
                   _("Too many authorization checks of user %u are waiting; try again later"),
                   uid);
      return FALSE;
    }
  if (interactive)
    share->interactive++;
  waiting = g_new0 (Waiting, 1);
  waiting->start = start;
  waiting->data = data;
  g_queue_push_tail (&share->waiting, waiting);
  self->waiting++;
  take_turn (self, share);
  report (self, share);
  pump (self);
  return TRUE;
}

void
init_check_limiter_release (InitCheckLimiter *self,
                            guint32           uid,
                            gboolean          interactive)
{
  UidShare *share;

  g_return_if_fail (self != NULL);

  share = g_hash_table_lookup (self->shares, GUINT_TO_POINTER (uid));
  g_return_if_fail (share != NULL && share->in_flight > 0);

  share->in_flight--;
  self->in_flight--;
  if (interactive)
    share->interactive--;
  take_turn (self, share);
  report (self, share);
  forget_if_idle (self, share);
  pump (self);
}

guint
init_check_limiter_get_in_flight (InitCheckLimiter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->in_flight;
}

/* ---- summarised warnings ---- */

static gboolean
flush_cb (gpointer user_data)
{
  InitWarnLimit *limit = user_data;

  limit->flush_id = 0;
  if (limit->suppressed > 0)
    g_warning ("%u more warnings like these in %d s were not logged", limit->suppressed,
               INIT_WARN_LIMIT_INTERVAL);
  limit->suppressed = 0;
  limit->in_window = 0;
  limit->window_start = g_get_monotonic_time ();
  return G_SOURCE_REMOVE;
}

void
init_warn_limit_warn (InitWarnLimit *limit,
                      const char    *format,
                      ...)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (limit != NULL && format != NULL);

  if (limit->flush_id == 0 && now - limit->window_start >= INIT_WARN_LIMIT_INTERVAL * G_USEC_PER_SEC)
    {
      limit->window_start = now;
      limit->in_window = 0;
    }
  if (limit->in_window >= INIT_WARN_LIMIT_BURST)
    {
      /* Said once the interval is over, in one line. */
      if (limit->suppressed++ == 0)
        limit->flush_id = g_timeout_add_seconds (INIT_WARN_LIMIT_INTERVAL, flush_cb, limit);
      return;
    }
  limit->in_window++;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_warning ("%s", message);
}

void
init_warn_limit_clear (InitWarnLimit *limit)
{
  g_return_if_fail (limit != NULL);

  if (limit->flush_id != 0)
    {
      g_source_remove (limit->flush_id);
      flush_cb (limit);
    }
}
