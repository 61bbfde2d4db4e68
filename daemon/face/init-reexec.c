/* init-reexec.c — initd replaces itself with a new binary and keeps everything */
#define G_LOG_DOMAIN "init-reexec"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "init-dbus-error.h"
#include "init-error.h"
#include "init-instance.h"
#include "init-log.h"
#include "init-pty-store.h"
#include "init-call.h"
#include "init-history-reader.h"
#include "init-reexec.h"
#include "init-engine-save.h"

/* Answer (and drop) every Reexec caller waiting for the re-exec with @error. */
static void
refuse_waiting (InitReexec   *reexec,
                const GError *error)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&reexec->waiting);

  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    init_call_answer (g_ptr_array_index (waiting, i), NULL, error);
}

static void
refuse_shutting_down (InitReexec *reexec)
{
  g_autoptr(GError) error = NULL;

  g_set_error_literal (&error, INIT_ERROR, INIT_ERROR_FAILED, _("The daemon is shutting down"));
  refuse_waiting (reexec, error);
}

static gboolean
request_idle_cb (gpointer user_data)
{
  InitReexec *reexec = user_data;
  g_autoptr(GError) error = NULL;

  reexec->idle_id = 0;
  if (init_engine_is_shutting_down (reexec->engine))
    {
      refuse_shutting_down (reexec);
      return G_SOURCE_REMOVE;
    }
  g_message (_("Re-executing %s"), reexec->exe);
  /* Requests that come while this one waits for authorisations and freezes the bus (both
   * turn the main loop) join it rather than start a re-exec of their own. */
  reexec->busy = TRUE;
  if (!init_reexec_now (reexec, &error))
    {
      g_warning (_("Re-exec failed, carrying on: %s"), error->message);
      refuse_waiting (reexec, error);
    }
  reexec->busy = FALSE;
  return G_SOURCE_REMOVE;
}

void
init_reexec_request (InitCall *call,
                     gpointer  user_data)
{
  InitReexec *reexec = user_data;

  /* Concurrent requests share one re-exec: every caller waits in the one list, goes with the
   * state and is answered by the new process (or here with the error if the exec failed).
   * Each used to queue a re-exec of its own, and the callers of all but the one that ran
   * were never answered. */
  if (reexec->waiting == NULL)
    reexec->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) init_call_unref);
  g_ptr_array_add (reexec->waiting, call);
  /* Out of the method handler: freezing the bus iterates the main loop. */
  if (reexec->idle_id == 0 && !reexec->busy)
    reexec->idle_id = g_idle_add_full (G_PRIORITY_HIGH, request_idle_cb, reexec, NULL);
}

void
init_reexec_clear (InitReexec *reexec)
{
  g_clear_handle_id (&reexec->idle_id, g_source_remove);
  refuse_shutting_down (reexec);
}

/* The waiting callers as they are carried through the exec ("av" of init_call_save()), or
 * NULL if there is nobody to answer later. */
static GVariant *
save_waiting (InitReexec *reexec)
{
  GVariantBuilder builder;
  gboolean any = FALSE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
  for (guint i = 0; reexec->waiting != NULL && i < reexec->waiting->len; i++)
    {
      GVariant *caller = init_call_save (g_ptr_array_index (reexec->waiting, i));

      if (caller != NULL)
        {
          g_variant_builder_add (&builder, "v", caller);
          any = TRUE;
        }
    }
  if (!any)
    {
      g_variant_builder_clear (&builder);
      return NULL;
    }
  return g_variant_builder_end (&builder);
}

/* ---- the logs' ptys go through the exec ---- */

/* The pty master @fd stays open across exec (@user_data: a GArray of the fds so kept). */
static void
keep_pty (pid_t    pid,
          int      fd,
          gpointer user_data)
{
  int flags = fcntl (fd, F_GETFD);

  if (flags >= 0)
    fcntl (fd, F_SETFD, flags & ~FD_CLOEXEC);
  g_array_append_val ((GArray *) user_data, fd);
}


/* Every instance with a log, as borrowed pointers. */
static GPtrArray *
jobs_with_logs (InitEngine *engine)
{
  GPtrArray *jobs = init_engine_list_instances (engine);

  for (guint i = jobs->len; i > 0; i--)
    if (((InitInstance *) g_ptr_array_index (jobs, i - 1))->log == NULL)
      g_ptr_array_remove_index (jobs, i - 1);
  return jobs;
}

static char **
exec_argv (InitReexec *reexec,
           int         fd)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, g_strdup (reexec->exe));
  for (guint i = 1; reexec->argv != NULL && reexec->argv[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (reexec->argv[i]));
  g_ptr_array_add (argv, g_strdup_printf ("--restore-fd=%d", fd));
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

/* Callers whose authorization is still being decided exist only in this process: let those
 * checks finish (and the calls be handled or parked, which is carried) first. */
static void
wait_for_authorizations (InitReexec *reexec)
{
  InitAuthority *authority;
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  if (reexec->manager == NULL)
    return;
  authority = init_manager_get_authority (reexec->manager);
  while (authority != NULL && init_authority_get_n_pending (authority) > 0
         && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  if (authority != NULL && init_authority_get_n_pending (authority) > 0)
    g_warning (_("Re-executing with %u authorization checks still pending; their callers get no answer"),
               init_authority_get_n_pending (authority));
}

/* Everything the new process needs, as a floating a{sv}. */
static GVariant *
save_state (InitReexec *reexec,
            int         bus_fd,
            int         capture_fd,
            const char *unique_name,
            gint64      start)
{
  InitSaveCodec codec = { 0 };
  GVariantDict dict;
  GVariant *callers;

  if (reexec->manager != NULL)
    init_call_get_codec (reexec->manager, &codec);
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "version", "u", (guint32) INIT_STATE_VERSION);
  g_variant_dict_insert (&dict, "writer", "s", PACKAGE_VERSION);
  g_variant_dict_insert_value (&dict, "engine",
                               init_engine_save (reexec->engine,
                                                 reexec->manager != NULL ? &codec : NULL, FALSE));
  if (reexec->history != NULL)
    g_variant_dict_insert_value (&dict, "history",
                                 init_history_get_records (reexec->history, 0, 0));
  if (bus_fd >= 0)
    {
      g_variant_dict_insert (&dict, "bus-fd", "i", (gint32) bus_fd);
      g_variant_dict_insert (&dict, "bus-capture-fd", "i", (gint32) capture_fd);
      g_variant_dict_insert (&dict, "bus-name", "s", unique_name);
    }
  /* After the bus froze: no Reexec call can join any more. */
  callers = save_waiting (reexec);
  if (callers != NULL)
    g_variant_dict_insert_value (&dict, "reexec-callers", callers);
  if (reexec->manager != NULL)
    {
      g_auto (GStrv) subscribers =
        init_object_tree_list_subscribers (init_manager_get_object_tree (reexec->manager));

      g_variant_dict_insert (&dict, "subscribers", "^as", subscribers);
    }
  /* The ptys go through the exec themselves; the store that keeps their copies does not. */
  g_variant_dict_insert_value (&dict, "pty-store", init_pty_store_save ());
  g_variant_dict_insert (&dict, "saved-at", "x", start);
  return g_variant_dict_end (&dict);
}

/* @state written to a new memfd, rewound for the new process to read; -1 on failure. */
static int
state_to_memfd (GVariant *state,
                GError  **error)
{
  int fd = memfd_create ("initd-state", 0);

  if (fd >= 0 && init_save_write_fd (state, fd, error)
      && lseek (fd, 0, SEEK_SET) == 0)
    return fd;
  if (error != NULL && *error == NULL)
    g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, _("Cannot save the daemon state: %s"),
                 g_strerror (errno));
  if (fd >= 0)
    close (fd);
  return -1;
}

/* The exec failed: the ptys kept open for the new process are ours alone again. */
static void
close_on_exec_again (GArray *kept)
{
  for (guint i = 0; i < kept->len; i++)
    {
      int fd = g_array_index (kept, int, i);
      int flags = fcntl (fd, F_GETFD);

      if (flags >= 0)
        fcntl (fd, F_SETFD, flags | FD_CLOEXEC);
    }
}

gboolean
init_reexec_now (InitReexec *reexec,
                 GError    **error)
{
  g_autoptr(GPtrArray) logged = NULL;
  g_autoptr(GVariant) state = NULL;
  g_auto (GStrv) argv = NULL;
  g_autofree char *unique_name = NULL;
  g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (int));
  sigset_t block, saved_mask;
  int bus_fd = -1, capture_fd = -1, state_fd, saved_errno;
  gint64 start = g_get_monotonic_time ();

  wait_for_authorizations (reexec);
  init_history_reader_flush ();

  /* The bus first: after this no message is read by this process. */
  if (reexec->service != NULL)
    bus_fd = init_service_freeze (reexec->service, &capture_fd, &unique_name);

  /* Logs: everything read so far on disk, the ptys kept open for the new process. */
  logged = jobs_with_logs (reexec->engine);
  init_log_sync_all (2000);

  state = g_variant_ref_sink (save_state (reexec, bus_fd, capture_fd, unique_name, start));

  state_fd = state_to_memfd (state, error);
  if (state_fd < 0)
    {
      if (bus_fd >= 0)
        close (bus_fd);
      if (reexec->service != NULL)
        init_service_thaw (reexec->service);
      return FALSE;
    }

  /* No main-loop turn happens from here to the exec, so nothing reads the ptys any more:
   * what the jobs write now waits in them for the new process. */
  for (guint i = 0; i < logged->len; i++)
    init_log_foreach_pty (((InitInstance *) g_ptr_array_index (logged, i))->log, keep_pty, kept);
  if (reexec->before_exec != NULL)
    reexec->before_exec (reexec, reexec->before_exec_data);

  g_info ("State saved in %" G_GINT64_FORMAT " µs (%" G_GSIZE_FORMAT " bytes)",
          g_get_monotonic_time () - start, g_variant_get_size (state));

  /* Signals that would end us stay pending until the new process handles them. */
  sigemptyset (&block);
  sigaddset (&block, SIGTERM);
  sigaddset (&block, SIGINT);
  sigaddset (&block, SIGHUP);
  pthread_sigmask (SIG_BLOCK, &block, &saved_mask);
  argv = exec_argv (reexec, state_fd);
  execv (reexec->exe, argv);
  saved_errno = errno;

  /* Still here: undo, and carry on as if nothing happened. */
  pthread_sigmask (SIG_SETMASK, &saved_mask, NULL);
  close (state_fd);
  if (bus_fd >= 0)
    close (bus_fd);
  close_on_exec_again (kept);
  if (reexec->service != NULL)
    init_service_thaw (reexec->service);
  g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, _("Cannot execute %s: %s"), reexec->exe,
               g_strerror (saved_errno));
  return FALSE;
}

GVariant *
init_reexec_read (int      fd,
                  GError **error)
{
  g_autoptr(GVariant) state = init_save_read_fd (fd, error);

  close (fd);
  if (state == NULL || !init_save_check_version (state, error))
    return NULL;
  return g_steal_pointer (&state);
}

/* The clients that followed the signals still do, on the connection we took over (a name that
 * left meanwhile is dropped by its watch). */
static void
restore_subscribers (InitReexec *reexec,
                     GVariant   *state)
{
  InitObjectTree *tree = init_manager_get_object_tree (reexec->manager);
  g_autofree const char **names = NULL;

  if (!g_variant_lookup (state, "subscribers", "^a&s", &names))
    return;
  for (guint i = 0; names[i] != NULL; i++)
    if (g_dbus_is_unique_name (names[i]))
      init_object_tree_subscribe_carried (tree, names[i]);
}

/* Answer a Reexec caller carried through the exec (init_call_save()): it is done. */
static void
answer_carried (InitReexec *reexec,
                GVariant   *saved)
{
  g_autoptr(InitCall) call = saved != NULL ? init_call_load (reexec->manager, saved) : NULL;

  if (call != NULL)
    init_call_answer (call, NULL, NULL);
}

gboolean
init_reexec_restore (InitReexec *reexec,
                     GVariant   *state,
                     GError    **error)
{
  g_autoptr(GVariant) engine = NULL, history = NULL, caller = NULL, callers = NULL;
  g_autoptr(GVariant) pty_store = NULL;
  InitSaveCodec codec = { 0 };
  const char *bus_name = NULL;
  gint32 bus_fd = -1, capture_fd = -1;
  gint64 saved_at = 0;

  pty_store = g_variant_lookup_value (state, "pty-store", G_VARIANT_TYPE_VARDICT);
  init_pty_store_restore (pty_store);
  engine = g_variant_lookup_value (state, "engine", G_VARIANT_TYPE_VARDICT);
  history = g_variant_lookup_value (state, "history", G_VARIANT_TYPE ("a(ttssa{sv})"));
  /* One caller from a predecessor that carried only one, else every caller that waited. */
  caller = g_variant_lookup_value (state, "reexec-caller", NULL);
  callers = g_variant_lookup_value (state, "reexec-callers", G_VARIANT_TYPE ("av"));
  g_variant_lookup (state, "bus-fd", "i", &bus_fd);
  g_variant_lookup (state, "bus-name", "&s", &bus_name);
  g_variant_lookup (state, "bus-capture-fd", "i", &capture_fd);
  g_variant_lookup (state, "saved-at", "x", &saved_at);

  if (reexec->history != NULL && history != NULL)
    init_history_restore (reexec->history, history);
  if (reexec->manager != NULL)
    init_call_get_codec (reexec->manager, &codec);
  if (engine != NULL
      && !init_engine_restore (reexec->engine, engine, reexec->manager != NULL ? &codec : NULL,
                               FALSE, error))
    return FALSE;

  if (reexec->service != NULL)
    {
      g_autoptr(GError) local = NULL;

      if (bus_fd < 0 || bus_name == NULL
          || !init_service_adopt (reexec->service, bus_fd, capture_fd, bus_name, &local))
        {
          if (local != NULL)
            g_warning (_("Cannot take over the bus connection, connecting again: %s"), local->message);
          init_service_start (reexec->service);
        }
      else if (reexec->manager != NULL)
        {
          restore_subscribers (reexec, state);
          answer_carried (reexec, caller);
          for (gsize i = 0; callers != NULL && i < g_variant_n_children (callers); i++)
            {
              g_autoptr(GVariant) boxed = g_variant_get_child_value (callers, i);
              g_autoptr(GVariant) one = g_variant_get_variant (boxed);

              answer_carried (reexec, one);
            }
        }
    }
  else if (bus_fd >= 0)
    close (bus_fd);
  if (saved_at > 0)
    {
      g_autofree char *ms = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             (g_get_monotonic_time () - saved_at) / 1000);
      g_message (_("Re-executed in %s ms"), ms);
    }
  return TRUE;
}
