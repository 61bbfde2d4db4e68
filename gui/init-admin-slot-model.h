/* init-admin-slot-model.h — a list of stable slots over a changing list
 *
 * GTK 4.8's list views make new row widgets for every item that enters the model and throw
 * away those of items that leave it, so a search that narrows 5,000 rows to 100 rebuilds
 * every visible row (tens of milliseconds per keystroke).  This model keeps one slot object
 * per position instead: when the list below changes, the slots' "item" changes and the
 * bound cells just show another row; only a change of length adds or removes slots, at the
 * end.  Callers that care about identity (the selection) map slots back to items.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_SLOT (init_admin_slot_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminSlot, init_admin_slot, INIT_ADMIN, SLOT,GObject)

/* The item shown in the slot now ("item" notifies when it changes). */
gpointer            init_admin_slot_get_item (InitAdminSlot*self);

#define INIT_ADMIN_TYPE_SLOT_MODEL (init_admin_slot_model_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminSlotModel,init_admin_slot_model,INIT_ADMIN,SLOT_MODEL,GObject)

/* Signals:
 *   "contents-changed" ()   after the slots were updated for a change below
 */

InitAdminSlotModel*init_admin_slot_model_new (GListModel         *source);
/* The position of the slot showing @item, or GTK_INVALID_LIST_POSITION (G_MAXUINT). */
guint               init_admin_slot_model_find (InitAdminSlotModel*self,
                                                gpointer           item);

G_END_DECLS
