/* init-manager-carry.h — callers parked on the engine, carried across a re-exec
 *
 * A caller parked until the engine answers (Job.Start with wait, EmitEvent with wait,
 * Manager.Reexec itself) is known to the engine only as a callback and a pointer.  Across an
 * exec the pointer means nothing, so the manager gives the engine a codec (init-state.h) that
 * turns a parked caller into (kind, sender, serial) and back.  After the exec the daemon
 * keeps the same bus connection (the socket survives exec), so a reply it sends with the
 * saved reply serial is the reply the bus daemon is waiting for.
 */
#pragma once

#include "init-manager.h"
#include "init-engine-save.h"

G_BEGIN_DECLS

/* The codec for init_engine_save()/init_engine_restore(); @self must outlive its use. */
void      init_manager_get_codec         (InitManager     *self,
                                          InitSaveCodec  *codec);

/* A parked caller as a variant (us s u: kind, sender, serial), for the daemon's own use
 * (the Reexec caller). */
GVariant *init_manager_save_invocation   (GDBusMethodInvocation *invocation,
                                          InitParkedKind         kind);
/* Answer a caller saved with the function above: @value (NULL: empty reply) or @error. */
void      init_manager_answer_saved      (InitManager     *self,
                                          GVariant        *saved,
                                          GVariant        *value,
                                          const GError    *error);

/* For init-manager.c: the carried side of a parked record. */
typedef struct
{
  char    *sender;     /* unique name of the caller */
  guint32  serial;     /* the serial of its call */
} InitCarried;

/* Send the reply to @carried on the manager's current connection. */
void      init_manager_answer_carried    (InitManager       *self,
                                          const InitCarried *carried,
                                          GVariant          *value,
                                          const GError      *error);

/* ---- provided by init-manager.c ---- */
InitParked *init_manager_park_carried    (InitManager     *self,
                                          InitCarried     *carried,
                                          InitParkedKind   kind);
/* The parked record's caller as (kind, sender, serial), or NULL if dropped. */
GVariant   *init_parked_save             (InitParked      *parked);
void        init_manager_emit_done       (InitEvent       *event,
                                          gpointer         user_data);

G_END_DECLS
