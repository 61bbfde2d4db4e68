/* init-history-strip.c — what of a history record is private: the variables and the caller
 *
 * Records are kept whole; a reader not allowed to see secrets (read-history) gets them with
 * these keys left out (init_history_get_page's @strip, Manager.Why).
 */
#define G_LOG_DOMAIN "init-history"

#include "init-history.h"

/* The keys of details that may carry secrets: an event's environment (a job's exported
 * variables are in the environment of the events it emits) and who the caller was. */
static const char *const private_keys[] = {
  "env", "caller-uid", "caller-pid", "caller-command", NULL
};

static gboolean
record_has_private_keys (GVariant *record)
{
  g_autoptr(GVariant) details = g_variant_get_child_value (record, 4);

  for (guint i = 0; private_keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_variant_lookup_value (details, private_keys[i], NULL);

      if (value != NULL)
        return TRUE;
    }
  return FALSE;
}

GVariant *
init_history_record_strip (GVariant *record)
{
  g_autoptr(GVariant) details = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key, *kind, *subject;
  GVariant *value;
  guint64 id, timestamp;

  g_return_val_if_fail (g_variant_is_of_type (record, G_VARIANT_TYPE ("(ttssa{sv})")), NULL);

  if (!record_has_private_keys (record))
    return g_variant_ref (record);
  g_variant_get (record, "(tt&s&s@a{sv})", &id, &timestamp, &kind, &subject, &details);
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, details);
  while (g_variant_iter_next (&iter, "{&s@v}", &key, &value))
    {
      if (!g_strv_contains (private_keys, key))
        g_variant_builder_add (&builder, "{s@v}", key, value);
      g_variant_unref (value);
    }
  return g_variant_ref_sink (g_variant_new ("(ttssa{sv})", id, timestamp, kind, subject,
                                            &builder));
}
