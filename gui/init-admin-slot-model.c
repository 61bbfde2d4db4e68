/* init-admin-slot-model.c — a list of stable slots over a changing list */
#define G_LOG_DOMAIN "init-admin"

#include "init-admin-slot-model.h"

struct _InitAdminSlot
{
  GObject  parent_instance;
  GObject *item;
};

G_DEFINE_FINAL_TYPE (InitAdminSlot, init_admin_slot, G_TYPE_OBJECT)

enum
{
  SLOT_PROP_0,
  SLOT_PROP_ITEM,
  SLOT_N_PROPS
};

static GParamSpec *slot_properties[SLOT_N_PROPS];

static void
init_admin_slot_finalize (GObject *object)
{
  g_clear_object (&INIT_ADMIN_SLOT (object)->item);
  G_OBJECT_CLASS (init_admin_slot_parent_class)->finalize (object);
}

static void
init_admin_slot_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case SLOT_PROP_ITEM:
      g_value_set_object (value, INIT_ADMIN_SLOT (object)->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
init_admin_slot_class_init (InitAdminSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = init_admin_slot_finalize;
  object_class->get_property = init_admin_slot_get_property;
  slot_properties[SLOT_PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, SLOT_N_PROPS, slot_properties);
}

static void
init_admin_slot_init (InitAdminSlot *self)
{
}

gpointer
init_admin_slot_get_item (InitAdminSlot *self)
{
  g_return_val_if_fail (INIT_ADMIN_IS_SLOT (self), NULL);
  return self->item;
}

/* Takes @item. */
static void
slot_set_item (InitAdminSlot *self,
               gpointer       item)
{
  if (self->item == item)
    {
      g_clear_object (&item);
      return;
    }
  g_clear_object (&self->item);
  self->item = item;
  g_object_notify_by_pspec (G_OBJECT (self), slot_properties[SLOT_PROP_ITEM]);
}

/* ---- the model ---- */

struct _InitAdminSlotModel
{
  GObject parent_instance;

  GListModel *source;
  GPtrArray  *slots;       /* InitAdminSlot* (owned) */
};

static void init_admin_slot_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (InitAdminSlotModel, init_admin_slot_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      init_admin_slot_model_iface_init))

enum
{
  SIGNAL_CONTENTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
slot_model_get_item_type (GListModel *model)
{
  return INIT_ADMIN_TYPE_SLOT;
}

static guint
slot_model_get_n_items (GListModel *model)
{
  return INIT_ADMIN_SLOT_MODEL (model)->slots->len;
}

static gpointer
slot_model_get_item (GListModel *model,
                     guint       position)
{
  InitAdminSlotModel *self = INIT_ADMIN_SLOT_MODEL (model);

  if (position >= self->slots->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->slots, position));
}

static void
init_admin_slot_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = slot_model_get_item_type;
  iface->get_n_items = slot_model_get_n_items;
  iface->get_item = slot_model_get_item;
}

static void
on_items_changed (GListModel         *source,
                  guint               position,
                  guint               removed,
                  guint               added,
                  InitAdminSlotModel *self)
{
  guint n = g_list_model_get_n_items (source);
  guint old = self->slots->len;
  /* Without a shift only the changed range shows other items; with one, everything after. */
  guint end = removed == added ? MIN (position + added, n) : n;

  for (guint i = position; i < end; i++)
    {
      if (i >= self->slots->len)
        g_ptr_array_add (self->slots, g_object_new (INIT_ADMIN_TYPE_SLOT, NULL));
      slot_set_item (g_ptr_array_index (self->slots, i), g_list_model_get_item (source, i));
    }
  if (n > old)
    g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n - old);
  else if (n < old)
    {
      g_ptr_array_set_size (self->slots, n);
      g_list_model_items_changed (G_LIST_MODEL (self), n, old - n, 0);
    }
  g_signal_emit (self, signals[SIGNAL_CONTENTS_CHANGED], 0);
}

guint
init_admin_slot_model_find (InitAdminSlotModel *self,
                            gpointer            item)
{
  g_return_val_if_fail (INIT_ADMIN_IS_SLOT_MODEL (self), G_MAXUINT);

  for (guint i = 0; item != NULL && i < self->slots->len; i++)
    if (INIT_ADMIN_SLOT (g_ptr_array_index (self->slots, i))->item == item)
      return i;
  return G_MAXUINT;
}

static void
init_admin_slot_model_dispose (GObject *object)
{
  InitAdminSlotModel *self = INIT_ADMIN_SLOT_MODEL (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (init_admin_slot_model_parent_class)->dispose (object);
}

static void
init_admin_slot_model_finalize (GObject *object)
{
  g_ptr_array_unref (INIT_ADMIN_SLOT_MODEL (object)->slots);
  G_OBJECT_CLASS (init_admin_slot_model_parent_class)->finalize (object);
}

static void
init_admin_slot_model_class_init (InitAdminSlotModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = init_admin_slot_model_dispose;
  object_class->finalize = init_admin_slot_model_finalize;

  signals[SIGNAL_CONTENTS_CHANGED] =
    g_signal_new ("contents-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
init_admin_slot_model_init (InitAdminSlotModel *self)
{
  self->slots = g_ptr_array_new_with_free_func (g_object_unref);
}

InitAdminSlotModel *
init_admin_slot_model_new (GListModel *source)
{
  InitAdminSlotModel *self;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  self = g_object_new (INIT_ADMIN_TYPE_SLOT_MODEL, NULL);
  self->source = g_object_ref (source);
  n = g_list_model_get_n_items (source);
  for (guint i = 0; i < n; i++)
    {
      InitAdminSlot *slot = g_object_new (INIT_ADMIN_TYPE_SLOT, NULL);

      slot->item = g_list_model_get_item (source, i);
      g_ptr_array_add (self->slots, slot);
    }
  g_signal_connect (source, "items-changed", G_CALLBACK (on_items_changed), self);
  return self;
}
