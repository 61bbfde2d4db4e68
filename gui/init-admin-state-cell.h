/* init-admin-state-cell.h — a job's state at a glance: icon, word and goal/state
 *
 * Colour and icon come from the status (running green, failed red, starting and stopping
 * amber, stopped dimmed), so the state reads without colour too.
 */
#pragma once

#include <gtk/gtk.h>

#include "init-admin-format.h"

G_BEGIN_DECLS

#define INIT_ADMIN_TYPE_STATE_CELL (init_admin_state_cell_get_type ())
G_DECLARE_FINAL_TYPE (InitAdminStateCell, init_admin_state_cell, INIT_ADMIN, STATE_CELL, GtkWidget)

GtkWidget *init_admin_state_cell_new (void);
/* @goal_state: "start/running" shown dimmed after the word, or NULL. */
void       init_admin_state_cell_set (InitAdminStateCell *self,
                                      InitAdminStatus     status,
                                      const char         *goal_state);
/* The word shown ("Running"), for tests. */
const char *init_admin_state_cell_get_text (InitAdminStateCell *self);

G_END_DECLS
