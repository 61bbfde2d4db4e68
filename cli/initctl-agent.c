/* initctl-agent.c — a textual polkit agent, so `initctl start foo' can ask for a password
 *
 * When a system daemon's polkit check wants authentication (the daemon answers
 * InteractiveAuthorizationRequired), initctl registers polkit's text listener for its own
 * process (a unix-process subject) and asks again, allowing interaction.  In a logind
 * session the agent is registered as a *fallback*: polkitd still prefers the session's own
 * agent (a desktop dialog) when there is one, as pkttyagent --fallback does for systemctl.
 * Outside a session it is registered plainly, because polkitd (0.114 to 126 at least) only
 * consults fallback agents of subjects that have a session.  The listener runs in a thread
 * of its own, reading the password from the controlling terminal, while the main thread
 * waits for the reply.
 *
 * libpolkit-agent-1 is loaded only when it is needed: linking it would load libpolkit-gobject-1
 * and libsystemd (with libgcrypt, liblzma, libzstd…) into every initctl run, which costs more
 * than the round trip of `initctl version' itself.  The headers still give the types.
 */
#define G_LOG_DOMAIN "init-cli"

#define POLKIT_AGENT_I_KNOW_API_IS_SUBJECT_TO_CHANGE
#include <glib/gi18n.h>
#include <fcntl.h>
#include <gmodule.h>
#include <polkitagent/polkitagent.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "initctl.h"

#define POLKIT_AGENT_LIBRARY "libpolkit-agent-1.so.0"

typedef struct
{
  PolkitAgentListener *listener;
  gpointer             handle;
  void (*unregister)(gpointer);
  int            tty_fd;
  struct termios saved;
  gboolean       have_saved;
  gboolean       interrupted;  /* Ctrl-C at the prompt: the listener may still read */
} Agent;

gboolean
initctl_agent_possible (Initctl *ctl)
{
  /* root never needs a password; the session daemon does not use polkit. */
  return ctl->polkit && !ctl->no_ask_password && geteuid () != 0 && isatty (STDIN_FILENO);
}

typedef struct
{
  PolkitSubject *(*process_new_for_owner)(gint, guint64, gint);
  PolkitAgentListener *(*text_listener_new)(GCancellable *, GError **);
  gpointer (*register_with_options)(PolkitAgentListener *,
                                    PolkitAgentRegisterFlags, PolkitSubject *,
                                    const gchar *, GVariant *, GCancellable *,
                                    GError **);
  void (*unregister)(gpointer);
} PolkitFunctions;

static gboolean
load_polkit (PolkitFunctions *fn,
             GError         **error)
{
  GModule *module = g_module_open (POLKIT_AGENT_LIBRARY, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

  if (module == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", g_module_error ());
      return FALSE;
    }
  /* Stays loaded: the listener thread runs its code until we exit. */
  g_module_make_resident (module);
  if (!g_module_symbol (module, "polkit_unix_process_new_for_owner",
                        (gpointer *) &fn->process_new_for_owner)
      || !g_module_symbol (module, "polkit_agent_text_listener_new",
                           (gpointer *) &fn->text_listener_new)
      || !g_module_symbol (module, "polkit_agent_listener_register_with_options",
                           (gpointer *) &fn->register_with_options)
      || !g_module_symbol (module, "polkit_agent_listener_unregister",
                           (gpointer *) &fn->unregister))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", g_module_error ());
      return FALSE;
    }
  return TRUE;
}

/* Is this process in a logind session?  The way sd_pid_get_session() tells: a cgroup path
 * with a session-N.scope in it. */
static gboolean
in_logind_session (void)
{
  g_autofree char *cgroup = NULL;

  if (!g_file_get_contents ("/proc/self/cgroup", &cgroup, NULL, NULL))
    return FALSE;
  return strstr (cgroup, "/session-") != NULL && strstr (cgroup, ".scope") != NULL;
}

gboolean
initctl_agent_start (Initctl *ctl,
                     GError **error)
{
  PolkitFunctions fn;
  g_autoptr(PolkitSubject) subject = NULL;
  g_autoptr(PolkitAgentListener) listener = NULL;
  GVariantBuilder options;
  Agent *agent;
  gpointer handle;

  if (ctl->agent != NULL)
    return TRUE;

  if (!load_polkit (&fn, error))
    return FALSE;
  subject = fn.process_new_for_owner (getpid (), 0, getuid ());
  listener = fn.text_listener_new (NULL, error);
  if (listener == NULL)
    return FALSE;
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  if (in_logind_session ())
    g_variant_builder_add (&options, "{sv}", "fallback", g_variant_new_boolean (TRUE));
  handle = fn.register_with_options (listener, POLKIT_AGENT_REGISTER_FLAGS_RUN_IN_THREAD,
                                     subject, NULL, g_variant_builder_end (&options), NULL,
                                     error);
  if (handle == NULL)
    return FALSE;

  agent = g_new0 (Agent, 1);
  agent->listener = g_steal_pointer (&listener);
  agent->handle = handle;
  agent->unregister = fn.unregister;
  /* The listener turns echo off while it reads the password; if Ctrl-C ends us in the
   * middle, the terminal must get its settings back. */
  agent->tty_fd = open ("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (agent->tty_fd >= 0)
    agent->have_saved = tcgetattr (agent->tty_fd, &agent->saved) == 0;
  /* Until initctl_agent_stop(): the next call may need a password again. */
  ctl->agent = agent;
  return TRUE;
}

void
initctl_agent_restore_tty (Initctl *ctl)
{
  Agent *agent = ctl->agent;

  struct termios now;

  if (agent != NULL)
    agent->interrupted = TRUE;
  /* Only if interrupted at the prompt: echo is off and the cursor after "Password: ". */
  if (agent == NULL || !agent->have_saved || tcgetattr (agent->tty_fd, &now) != 0
      || (now.c_lflag & ECHO))
    return;
  tcsetattr (agent->tty_fd, TCSAFLUSH, &agent->saved);
  if (write (agent->tty_fd, "\n", 1) < 0)
    return;
}

void
initctl_agent_stop (Initctl *ctl)
{
  Agent *agent = ctl->agent;

  /* Interrupted, the listener's thread may be blocked reading the password: unregistering
   * would wait for it.  We are about to exit; polkitd drops the agent with our connection. */
  if (agent == NULL || agent->interrupted)
    return;
  /* Stops the listener's thread and tells polkitd the agent is gone. */
  agent->unregister (agent->handle);
  g_object_unref (agent->listener);
  if (agent->tty_fd >= 0)
    close (agent->tty_fd);
  g_free (agent);
  ctl->agent = NULL;
}
