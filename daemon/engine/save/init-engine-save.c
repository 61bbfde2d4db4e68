/* init-state.c — the engine's whole state as a GVariant, for re-exec and crash recovery */
#define G_LOG_DOMAIN "init-engine"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "init-engine-private.h"
#include "init-env.h"
#include "init-error.h"
#include "init-job-class-fields.h"
#include "init-job-class-save.h"
#include "init-instance-private.h"
#include "init-proc-tracker.h"
#include "init-engine-save.h"

/* A saved state larger than this is refused as corrupt (5,000 jobs take ~3 MB). */
#define STATE_MAX_SIZE (512 * 1024 * 1024)

/* ---- small parts ---- */

GVariant *
init_save_cause_to_variant (const InitCause *cause)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  if (cause != NULL)
    {
      g_variant_dict_insert (&dict, "kind", "s", init_cause_kind_to_string (cause->kind));
      if (cause->event_id != 0)
        g_variant_dict_insert (&dict, "event-id", "t", cause->event_id);
      if (cause->event_name != NULL)
        g_variant_dict_insert (&dict, "event-name", "s", cause->event_name);
      if (cause->kind == INIT_CAUSE_CALLER)
        {
          g_variant_dict_insert (&dict, "uid", "u", cause->uid);
          g_variant_dict_insert (&dict, "pid", "u", cause->pid);
        }
      if (cause->command != NULL)
        g_variant_dict_insert (&dict, "command", "s", cause->command);
    }
  return g_variant_dict_end (&dict);
}

InitCause *
init_save_cause_from_variant (GVariant *variant)
{
  GVariantDict dict;
  InitCause *cause = init_cause_new (INIT_CAUSE_NONE);
  const char *kind = NULL;

  if (variant == NULL || !g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    return cause;
  g_variant_dict_init (&dict, variant);
  if (g_variant_dict_lookup (&dict, "kind", "&s", &kind))
    for (int k = INIT_CAUSE_NONE; k <= INIT_CAUSE_PROCESS; k++)
      if (g_strcmp0 (kind, init_cause_kind_to_string (k)) == 0)
        cause->kind = k;
  g_variant_dict_lookup (&dict, "event-id", "t", &cause->event_id);
  g_variant_dict_lookup (&dict, "event-name", "s", &cause->event_name);
  g_variant_dict_lookup (&dict, "uid", "u", &cause->uid);
  g_variant_dict_lookup (&dict, "pid", "u", &cause->pid);
  g_variant_dict_lookup (&dict, "command", "s", &cause->command);
  g_variant_dict_clear (&dict);
  return cause;
}

GVariant *
init_save_env_to_variant (GPtrArray *env)
{
  if (env == NULL || env->len == 0)
    return g_variant_new_strv (NULL, 0);
  return g_variant_new_strv ((const char *const *) env->pdata, env->len);
}

GPtrArray *
init_save_env_from_variant (GVariant *variant)
{
  GPtrArray *env = init_env_new ();
  g_autofree const char **strv = NULL;
  gsize n = 0;

  if (variant == NULL || !g_variant_is_of_type (variant, G_VARIANT_TYPE_STRING_ARRAY))
    return env;
  strv = g_variant_get_strv (variant, &n);
  for (gsize i = 0; i < n; i++)
    if (strchr (strv[i], '=') != NULL)
      init_env_add (env, strv[i], TRUE);
  return env;
}

/* Every node of @op in post-order (children before parents), without recursion. */
static GPtrArray *
operator_postorder (InitEventOperator *op)
{
  GPtrArray *out = g_ptr_array_new ();
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  if (op == NULL)
    return out;
  /* Reverse of a (node, right, left) pre-order is a (left, right, node) post-order. */
  g_ptr_array_add (stack, op);
  while (stack->len > 0)
    {
      InitEventOperator *node = g_ptr_array_steal_index (stack, stack->len - 1);

      g_ptr_array_add (out, node);
      if (node->left != NULL)
        g_ptr_array_add (stack, node->left);
      if (node->right != NULL)
        g_ptr_array_add (stack, node->right);
    }
  for (guint i = 0, j = out->len; i + 1 < j; i++, j--)
    {
      gpointer tmp = out->pdata[i];
      out->pdata[i] = out->pdata[j - 1];
      out->pdata[j - 1] = tmp;
    }
  return out;
}

GVariant *
init_save_latches_save (InitEventOperator *op)
{
  g_autoptr(GPtrArray) leaves = init_event_operator_leaves (op);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ut)"));
  for (guint i = 0; i < leaves->len; i++)
    {
      InitEventOperator *leaf = g_ptr_array_index (leaves, i);

      if (leaf->event != NULL)
        g_variant_builder_add (&builder, "(ut)", i, leaf->event->id);
    }
  return g_variant_builder_end (&builder);
}

void
init_save_latches_restore (InitEventOperator *op,
                           GVariant          *latches,
                           InitEventQueue    *queue)
{
  g_autoptr(GPtrArray) leaves = init_event_operator_leaves (op);
  g_autoptr(GPtrArray) nodes = NULL;

  for (gsize i = 0; i < g_variant_n_children (latches); i++)
    {
      guint32 index;
      guint64 id;
      InitEventOperator *leaf;
      InitEvent *event;

      g_variant_get_child (latches, i, "(ut)", &index, &id);
      if (index >= leaves->len || (event = init_event_queue_lookup (queue, id)) == NULL)
        continue;
      leaf = g_ptr_array_index (leaves, index);
      if (leaf->event != NULL)
        continue;
      /* As init_event_operator_handle latches: a ref and a block. */
      leaf->event = init_event_ref (event);
      init_event_block (event);
      leaf->value = TRUE;
    }

  nodes = operator_postorder (op);
  for (guint i = 0; i < nodes->len; i++)
    {
      InitEventOperator *node = g_ptr_array_index (nodes, i);

      if (node->type == INIT_EVENT_OPERATOR_OR)
        node->value = node->left->value || node->right->value;
      else if (node->type == INIT_EVENT_OPERATOR_AND)
        node->value = node->left->value && node->right->value;
    }
}

/* ---- the engine ---- */

static void
add_class (GVariantDict       *dict,
           const char         *key,
           const InitJobClass *klass)
{
  if (klass != NULL)
    g_variant_dict_insert_value (dict, key, init_job_class_to_variant (klass));
}

GVariant *
init_engine_save (InitEngine          *engine,
                  const InitSaveCodec *codec,
                  gboolean             minimal)
{
  g_autoptr(GPtrArray) entries = init_engine_list (engine);
  GVariantBuilder saved_entries;
  GVariantDict dict;
  InitEventQueue *queue = init_engine_get_queue (engine);

  g_return_val_if_fail (INIT_IS_ENGINE (engine), NULL);

  g_variant_builder_init (&saved_entries, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < entries->len; i++)
    {
      InitJob *entry = g_ptr_array_index (entries, i);
      guint n_instances = g_hash_table_size (entry->instances);
      GVariantBuilder instances;
      GVariantDict saved;
      GHashTableIter iter;
      gpointer value;

      /* Crash recovery needs only what runs; the definitions are read again from disk. */
      if (minimal && n_instances == 0)
        continue;
      if (!minimal && n_instances == 0 && entry->start_on == NULL)
        {
          /* Nothing but the definition, which the new process reads from disk too; only say
           * the job exists, so a file deleted meanwhile is noticed. */
          g_variant_dict_init (&saved, NULL);
          g_variant_dict_insert (&saved, "name", "s", entry->name);
          g_variant_builder_add_value (&saved_entries, g_variant_dict_end (&saved));
          continue;
        }

      g_variant_dict_init (&saved, NULL);
      g_variant_dict_insert (&saved, "name", "s", entry->name);
      if (!minimal)
        {
          add_class (&saved, "class", entry->klass);
          if (entry->start_on != NULL)
            g_variant_dict_insert_value (&saved, "start-on-latches",
                                         init_save_latches_save (entry->start_on));
        }
      g_variant_builder_init (&instances, G_VARIANT_TYPE ("aa{sv}"));
      g_hash_table_iter_init (&iter, entry->instances);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          InitInstance *job = value;
          GVariantDict inst;

          g_autoptr(GVariant) saved_job = g_variant_ref_sink (init_instance_save (job, codec, minimal));

          g_variant_dict_init (&inst, saved_job);
          if (!minimal && job->klass != entry->klass)
            add_class (&inst, "class", job->klass);
          g_variant_builder_add_value (&instances, g_variant_dict_end (&inst));
        }
      g_variant_dict_insert_value (&saved, "instances", g_variant_builder_end (&instances));
      g_variant_builder_add_value (&saved_entries, g_variant_dict_end (&saved));
    }

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "minimal", "b", minimal);
  if (!minimal)
    {
      g_variant_dict_insert (&dict, "next-event-id", "t", init_event_queue_get_next_id (queue));
      g_variant_dict_insert_value (&dict, "events", init_event_queue_save (queue, codec));
    }
  g_variant_dict_insert_value (&dict, "entries", g_variant_builder_end (&saved_entries));
  return g_variant_dict_end (&dict);
}

static InitJobClass *
lookup_class (GVariantDict *dict,
              const char   *key,
              GError      **error)
{
  g_autoptr(GVariant) variant = g_variant_dict_lookup_value (dict, key, G_VARIANT_TYPE_VARDICT);

  if (variant == NULL)
    return NULL;
  return init_job_class_from_variant (variant, error);
}

/* One saved instance @inst of the job @entry (named @name), with the class it ran (the job's
 * current class when the saved one is the same or missing); one already there is left be. */
static gboolean
restore_instance (InitEngine          *engine,
                  InitJob             *entry,
                  const char          *name,
                  GVariant            *inst,
                  const InitSaveCodec *codec,
                  gboolean             adopt,
                  GPtrArray           *restored,
                  GError             **error)
{
  g_autoptr(InitJobClass) klass = NULL;
  const char *inst_name = "";
  GVariantDict idict;
  InitInstance *job;

  g_variant_dict_init (&idict, inst);
  g_variant_dict_lookup (&idict, "name", "&s", &inst_name);
  klass = lookup_class (&idict, "class", error);
  g_variant_dict_clear (&idict);
  if (klass == NULL && error != NULL && *error != NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  if (klass == NULL || init_job_class_equal (klass, entry->klass))
    {
      g_clear_pointer (&klass, init_job_class_unref);
      klass = init_job_class_ref (entry->klass);
    }
  if (init_job_lookup_instance (entry, inst_name) != NULL)
    return TRUE;
  job = init_engine_restore_instance (engine, entry, klass, inst_name);
  init_instance_restore (job, inst, init_engine_get_queue (engine), codec, adopt);
  init_engine_announce_instance (engine, job);
  g_ptr_array_add (restored, init_instance_ref (job));
  return TRUE;
}

/* One saved job: its instances come back with the class they ran; the definition on disk now
 * (if it differs) waits to take over, or the job is marked deleted if its file is gone. */
static gboolean
restore_entry (InitEngine          *engine,
               GVariant            *saved,
               const InitSaveCodec *codec,
               gboolean             adopt,
               GPtrArray           *restored,
               GError             **error)
{
  g_autoptr(InitJobClass) saved_class = NULL;
  g_autoptr(InitJobClass) disk_class = NULL;
  g_autoptr(GVariant) instances = NULL, latches = NULL;
  InitJob *entry;
  GVariantDict dict;
  const char *name = NULL;
  gboolean unchanged;

  g_variant_dict_init (&dict, saved);
  if (!g_variant_dict_lookup (&dict, "name", "&s", &name))
    {
      g_variant_dict_clear (&dict);
      return TRUE;
    }
  entry = init_engine_lookup (engine, name);
  if (entry != NULL)
    disk_class = init_job_class_ref (entry->klass);
  saved_class = lookup_class (&dict, "class", error);
  if (saved_class == NULL && error != NULL && *error != NULL)
    {
      g_prefix_error (error, "%s: ", name);
      g_variant_dict_clear (&dict);
      return FALSE;
    }
  if (saved_class == NULL)
    saved_class = disk_class != NULL ? init_job_class_ref (disk_class) : NULL;
  instances = g_variant_dict_lookup_value (&dict, "instances", G_VARIANT_TYPE ("aa{sv}"));
  latches = g_variant_dict_lookup_value (&dict, "start-on-latches", G_VARIANT_TYPE ("a(ut)"));
  g_variant_dict_clear (&dict);
  /* Compared once: serialising classes is most of what a comparison costs. */
  unchanged = init_job_class_equal (saved_class, disk_class);

  if (instances != NULL && g_variant_n_children (instances) > 0 && saved_class != NULL)
    {
      if (!unchanged)
        init_engine_set_class (engine, name, saved_class);
      entry = init_engine_lookup (engine, name);
      for (gsize i = 0; i < g_variant_n_children (instances); i++)
        {
          g_autoptr(GVariant) inst = g_variant_get_child_value (instances, i);

          if (!restore_instance (engine, entry, name, inst, codec, adopt, restored, error))
            return FALSE;
        }
      /* What is on disk now: it takes over when these instances stop. */
      if (disk_class == NULL)
        init_engine_set_class (engine, name, NULL);
      else if (!unchanged)
        init_engine_set_class (engine, name, disk_class);
    }

  /* Latched leaves are indexes into the saved tree: only valid on that very tree. */
  entry = init_engine_lookup (engine, name);
  if (latches != NULL && entry != NULL && entry->klass->start_on != NULL && entry->start_on == NULL
      && (unchanged || entry->klass == saved_class))
    {
      entry->start_on = init_event_operator_copy (entry->klass->start_on);
      init_save_latches_restore (entry->start_on, latches, init_engine_get_queue (engine));
    }
  return TRUE;
}

gboolean
init_engine_restore (InitEngine          *engine,
                     GVariant            *state,
                     const InitSaveCodec *codec,
                     gboolean             adopt,
                     GError             **error)
{
  g_autoptr(GVariant) events = NULL, entries = NULL;
  g_autoptr(GPtrArray) restored = g_ptr_array_new_with_free_func ((GDestroyNotify) init_instance_unref);
  GVariantDict dict;
  guint64 next_id = 1;

  g_return_val_if_fail (INIT_IS_ENGINE (engine), FALSE);
  if (!g_variant_is_of_type (state, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS, _("Saved state is not a dictionary"));
      return FALSE;
    }

  g_variant_dict_init (&dict, state);
  g_variant_dict_lookup (&dict, "next-event-id", "t", &next_id);
  events = g_variant_dict_lookup_value (&dict, "events", G_VARIANT_TYPE ("aa{sv}"));
  entries = g_variant_dict_lookup_value (&dict, "entries", G_VARIANT_TYPE ("aa{sv}"));
  g_variant_dict_clear (&dict);

  /* Events first: instances and latched leaves refer to them by id and take their blocks. */
  if (events != NULL
      && !init_event_queue_restore (init_engine_get_queue (engine), events, next_id, codec, error))
    return FALSE;
  for (gsize i = 0; entries != NULL && i < g_variant_n_children (entries); i++)
    {
      g_autoptr(GVariant) saved = g_variant_get_child_value (entries, i);

      if (!restore_entry (engine, saved, codec, adopt, restored, error))
        return FALSE;
    }
  /* Everything is back: now processes found dead may move their jobs on. */
  for (guint i = 0; i < restored->len; i++)
    init_instance_process_finish_restore (g_ptr_array_index (restored, i));
  /* Forks that happened while nobody listened. */
  init_proc_tracker_rescan (init_engine_get_tracker (engine));
  return TRUE;
}

/* ---- blobs ---- */

gboolean
init_save_write_fd (GVariant *state,
                    int       fd,
                    GError  **error)
{
  const guint8 *data = g_variant_get_data (state);
  gsize size = g_variant_get_size (state), done = 0;

  while (done < size)
    {
      gssize n = write (fd, data + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED,
                       _("Unable to write the daemon state: %s"), g_strerror (saved));
          return FALSE;
        }
      done += n;
    }
  return TRUE;
}

GVariant *
init_save_read_fd (int      fd,
                   GError **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[65536];
  g_autoptr(GBytes) bytes = NULL;
  GVariant *state;

  for (;;)
    {
      gssize n = read (fd, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED,
                       _("Unable to read the daemon state: %s"), g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (buffer->len + n > STATE_MAX_SIZE)
        {
          g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS, _("Saved state is too large"));
          return NULL;
        }
      g_byte_array_append (buffer, chunk, n);
    }
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
  /* Trusted or not, never read past what is there: a corrupt blob yields defaults. */
  state = g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE);
  return g_variant_ref_sink (state);
}

gboolean
init_save_check_version (GVariant *state,
                         GError  **error)
{
  guint32 version = 0;

  if (!g_variant_is_of_type (state, G_VARIANT_TYPE_VARDICT)
      || !g_variant_lookup (state, "version", "u", &version) || version == 0)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                   _("Saved state has no version: not a state file"));
      return FALSE;
    }
  if (version > INIT_STATE_MAX_COMPAT)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_INVALID_ARGS,
                   _("Saved state has version %u; this daemon reads up to %u"), version,
                   INIT_STATE_MAX_COMPAT);
      return FALSE;
    }
  return TRUE;
}
