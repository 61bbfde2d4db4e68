/* init-why-handler.c — Manager.Why and Manager.WhyNot on the bus */
#define G_LOG_DOMAIN "init-why-handler"

#include <glib/gi18n.h>

#include "init-dbus-error.h"
#include "init-env.h"
#include "init-error.h"
#include "init-why-handler.h"
#include "init-why.h"

typedef struct
{
  InitManager           *manager;
  GDBusMethodInvocation *invocation;
  char                  *job;
  char                  *instance;
} WhyCall;

static void
why_call_free (WhyCall *call)
{
  g_clear_object (&call->manager);
  g_clear_object (&call->invocation);
  g_free (call->job);
  g_free (call->instance);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhyCall, why_call_free)

static void
why_authorized_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WhyCall) call = user_data;
  g_autoptr(InitCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  GVariantBuilder builder;

  /* Whatever kept the answer from being yes, the caller gets the chain without what only
   * the trusted may see (as GetHistory does). */
  caller = init_authority_check_finish (INIT_AUTHORITY (source), result, &error);
  chain = init_why (init_manager_get_history (call->manager), call->job, call->instance);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ttssa{sv})"));
  for (guint i = 0; i < chain->len; i++)
    {
      GVariant *record = g_ptr_array_index (chain, i);
      g_autoptr(GVariant) shown = caller != NULL ? g_variant_ref (record)
                                                 : init_history_record_strip (record);

      g_variant_builder_add_value (&builder, shown);
    }
  init_dbus_manager_complete_why (INIT_DBUS_MANAGER (call->manager),
                                  g_steal_pointer (&call->invocation),
                                  g_variant_builder_end (&builder));
}

gboolean
init_why_handler_why (InitDBusManager       *object,
                      GDBusMethodInvocation *invocation,
                      const char            *job,
                      const char *const     *env)
{
  InitManager *manager = INIT_MANAGER (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) table = NULL;
  g_autofree char *instance = NULL;
  InitJob *entry;
  WhyCall *call;

  if (!init_dbus_check_job_name (job, &error) || !init_dbus_check_env (env, &error))
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  entry = init_engine_lookup (init_manager_get_engine (manager), job);
  if (entry == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, INIT_ERROR, INIT_ERROR_UNKNOWN_JOB,
                                             _("Unknown job: %s"), job);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  table = init_env_from_strv (env);
  instance = init_job_select_instance_name (entry, table, &error);
  if (instance == NULL)
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  call = g_new0 (WhyCall, 1);
  call->manager = g_object_ref (manager);
  call->invocation = g_object_ref (invocation);
  call->job = g_strdup (job);
  call->instance = g_steal_pointer (&instance);
  init_authority_check_async (init_manager_get_authority (manager), invocation,
                              "org.example.Init.read-history", NULL, NULL,
                              why_authorized_cb, call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GVariant *
reasons_to_variant (GPtrArray *reasons)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < reasons->len; i++)
    {
      InitWhyNotReason *r = g_ptr_array_index (reasons, i);

      g_variant_builder_add (&builder, "(sss)", r->kind, r->subject, r->detail);
    }
  return g_variant_builder_end (&builder);
}

static GVariant *
leaves_to_variant (GPtrArray *leaves)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sasttas)"));
  for (guint i = 0; i < leaves->len; i++)
    {
      InitWhyNotLeaf *l = g_ptr_array_index (leaves, i);

      g_variant_builder_add (&builder, "(s^astt^as)", l->event, l->args, l->event_id,
                             l->time, l->producers);
    }
  return g_variant_builder_end (&builder);
}

gboolean
init_why_handler_why_not (InitDBusManager       *object,
                          GDBusMethodInvocation *invocation,
                          const char            *job)
{
  InitManager *manager = INIT_MANAGER (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(InitWhyNot) why_not = NULL;

  if (!init_dbus_check_job_name (job, &error)
      || (why_not = init_why_not (init_manager_get_engine (manager),
                                  init_manager_get_history (manager),
                                  init_manager_get_sources (manager), job, &error)) == NULL)
    {
      init_dbus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  init_dbus_manager_complete_why_not (object, invocation, why_not->start_on,
                                      reasons_to_variant (why_not->reasons),
                                      leaves_to_variant (why_not->leaves));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}
