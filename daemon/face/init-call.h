/* init-call.h — one method call that changes state, from the bus to its answer
 *
 * Every method that changes something (EmitEvent, ReloadConfiguration, Reexec, Job.Start,
 * Job.Stop, Job.Restart, Instance.Start, Instance.Stop, Instance.Restart, Instance.Reload)
 * goes the same way, written once here:
 *
 *   handler: check the input, init_call_new(), fill in the arguments,
 *            init_call_authorize()                       (nothing touched before polkit says yes)
 *   authorised: park the call if the caller waits,       (the manager's queue)
 *            push the caller as the engine's cause, run the method's InitCallRunFunc, pop
 *   answer:  at once (the run's reply), or when the engine calls init_call_job_done() /
 *            init_call_emit_done() — init_call_answer() picks the live caller or the caller
 *            carried across a re-exec.
 *
 * A call is counted (g_rc_box): the authorisation holds one reference, the engine one while
 * it holds the call as a waiter.  A parked call sits in the manager's queue (the link is
 * embedded) so that the manager can drop the callers of a closed connection and answer
 * everyone when it goes away.
 *
 * Across a re-exec a parked caller becomes (reply, sender, serial) (init_call_save()) and
 * comes back as a call with a carried caller (init_call_load()): the daemon keeps its bus
 * connection through the exec, so a reply sent with the saved serial is the reply the bus
 * daemon is waiting for.
 */
#pragma once

#include <gio/gio.h>

#include "init-authority.h"
#include "init-engine.h"
#include "init-engine-save.h"
#include "init-manager.h"

G_BEGIN_DECLS

/* What a call answers once the engine is done with it.  Saved across a re-exec as this
 * number, so never renumber: a state written by an older daemon (which had one number per
 * method: 2 was Job.Restart, 3 Instance.*) is read with the same numbers. */
typedef enum
{
  INIT_CALL_REPLY_INSTANCE_PATH = 0,  /* (o): the instance's path (Job.Start, Job.Restart) */
  INIT_CALL_REPLY_EMPTY = 1,          /* (): every other method but EmitEvent */
  INIT_CALL_REPLY_EVENT_ID = 4,       /* (t): the event's id (EmitEvent) */
} InitCallReply;

/* The method's own step, run once authorised with the caller pushed as the engine's cause.
 * TRUE: accepted (answered later if the call waits, else now with init_call_set_value());
 * FALSE with @error: refused, the caller gets @error. */
typedef gboolean (*InitCallRunFunc) (InitCall *call,
                                     GError  **error);

struct _InitCall
{
  /* The arguments, filled in by the handler (each method uses the ones it needs). */
  InitCallRunFunc run;
  InitCallReply   reply;
  gboolean        wait;              /* park until the engine answers */
  char           *name;              /* EmitEvent: the event */
  GPtrArray      *env;               /* EmitEvent, Job.*: KEY=VALUE, owned */
  InitJob        *job;               /* Job.*: a reference */
  InitInstance   *instance;          /* Instance.*: a reference */
  guint           verb;              /* the method's own enum (start, stop…) */
  /* Set by the authorisation: who called (for the run's messages). */
  InitCaller *caller;

  /*< private >*/
  InitManager           *manager;    /* held while authorising; NULL once it let go */
  GDBusMethodInvocation *invocation; /* the live caller, NULL once answered or dropped */
  char                  *sender;     /* a carried caller: its unique name, or NULL */
  guint32                serial;     /* a carried caller: the serial of its call */
  GVariant              *value;      /* the run's immediate reply, or NULL: () */
  GList                  link;       /* in the manager's queue while parked */
  GQueue                *queue;      /* that queue, or NULL */
};

/* A new call from @invocation (its reference moves to the call) on @manager. */
InitCall *init_call_new (InitManager           *manager,
                         GDBusMethodInvocation *invocation,
                         InitCallReply          reply,
                         InitCallRunFunc        run);
InitCall *init_call_ref (InitCall *call);
void      init_call_unref (InitCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitCall, init_call_unref)

/* Ask the manager's authority whether the caller may do @action_id (polkit @details: a
 * NULL-terminated key, value… list), then run the call (see above).  Takes @call. */
void      init_call_authorize (InitCall          *call,
                               const char        *action_id,
                               const char *const *details);

/* For a run function: the reply to send if the call does not wait (floating is sunk). */
void      init_call_set_value (InitCall *call,
                               GVariant *value);
/* For a run function: the engine's waiter for this call (the call itself), or NULL if the
 * caller does not wait (then pass NULL as the done callback too). */
gpointer  init_call_waiter (InitCall *call);

/* Answer the caller, live or carried, with @value (NULL: an empty reply) or @error; the
 * client's cached properties are brought up to date first.  Unparks the call.  A call whose
 * caller is gone (or was answered) is left alone. */
void      init_call_answer (InitCall     *call,
                            GVariant     *value,
                            const GError *error);
/* Take the live caller away from the call (Reexec hands it to the new process): NULL if
 * there is none. */
GDBusMethodInvocation *init_call_steal_invocation (InitCall *call);

/* The engine's done callbacks: answer the call in @user_data, with the outcome, and drop
 * the engine's reference. */
void      init_call_job_done (InitInstance *instance,
                              const GError *error,
                              gpointer      user_data);
void      init_call_emit_done (InitEvent *event,
                               gpointer   user_data);

/* ---- the manager's queue of parked calls ---- */

/* Forget the callers of @connection (it closed: an answer could not be delivered), and every
 * caller carried across a re-exec (they were on the connection we had then). */
void      init_call_queue_drop_connection (GQueue          *queue,
                                           GDBusConnection *connection);
/* Answer every parked caller with @message (INIT_ERROR_FAILED) and empty the queue; the
 * engine still holds the calls and drops them when it answers (or never). */
void      init_call_queue_fail_all (GQueue     *queue,
                                    const char *message);

/* ---- across a re-exec ---- */

/* @call's caller as (reply, sender, serial), or NULL if there is nobody to answer later (a
 * dropped caller, or a peer-to-peer connection without sender names). */
GVariant *init_call_save (InitCall *call);
/* A call on @manager for a caller saved by init_call_save(), or NULL (with nothing done) if
 * @saved is not one. */
InitCall *init_call_load (InitManager *manager,
                          GVariant    *saved);
/* The codec for init_engine_save()/init_engine_restore(): carries the engine's waiters that
 * are calls; @manager must outlive its use. */
void      init_call_get_codec (InitManager   *manager,
                               InitSaveCodec *codec);

G_END_DECLS
