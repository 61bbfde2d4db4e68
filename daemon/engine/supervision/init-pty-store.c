/* init-pty-store.c — the pty masters of `console log` jobs, kept beyond the daemon's life */
#define G_LOG_DOMAIN "init-log"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "init-error.h"
#include "init-fd-passing.h"
#include "init-pty-store.h"

/* How long a keeper may take to hand everything back. */
#define KEEPER_REPLY_MS 5000
/* The first fd systemd passes (SD_LISTEN_FDS_START). */
#define LISTEN_FDS_START 3

typedef enum
{
  STORE_NONE,
  STORE_SYSTEMD,
  STORE_KEEPER,
} StoreKind;

typedef struct
{
  int     master;
  int     output;
  guint64 lost;
} HandedBack;

static StoreKind store_kind;
static char *notify_socket;      /* STORE_SYSTEMD: where to send */
static int notify_fd = -1;       /* STORE_SYSTEMD: our datagram socket */
static int keeper_fd = -1;       /* STORE_KEEPER: the connection */
static GHashTable *handed_back;  /* pid → HandedBack, until taken */

static void
handed_back_free (gpointer data)
{
  HandedBack *h = data;

  if (h->master >= 0)
    close (h->master);
  if (h->output >= 0)
    close (h->output);
  g_free (h);
}

static void
add_handed_back (pid_t   pid,
                 int     master,
                 int     output,
                 guint64 lost)
{
  HandedBack *h = g_new0 (HandedBack, 1);

  h->master = master;
  h->output = output;
  h->lost = lost;
  if (handed_back == NULL)
    handed_back = g_hash_table_new_full (NULL, NULL, NULL, handed_back_free);
  g_hash_table_replace (handed_back, GINT_TO_POINTER (pid), h);
}

/* "pty-PID" → PID, or 0. */
static pid_t
parse_name (const char *name)
{
  guint64 pid = 0;

  if (!g_str_has_prefix (name, "pty-")
      || !g_ascii_string_to_unsigned (name + 4, 10, 1, G_MAXINT32, &pid, NULL))
    return 0;
  return (pid_t) pid;
}

/* ---- systemd's file-descriptor store ---- */

/* The fds systemd passed us if they are meant for this process: sd_listen_fds()'s rules. */
static void
take_listen_fds (void)
{
  const char *pid_text = g_getenv ("LISTEN_PID");
  const char *fds_text = g_getenv ("LISTEN_FDS");
  g_auto (GStrv) names = g_strsplit (g_getenv ("LISTEN_FDNAMES") ?: "", ":", -1);
  guint64 pid = 0, n = 0;

  if (pid_text == NULL || fds_text == NULL
      || !g_ascii_string_to_unsigned (pid_text, 10, 1, G_MAXINT32, &pid, NULL)
      || (pid_t) pid != getpid ()
      || !g_ascii_string_to_unsigned (fds_text, 10, 0, 4096, &n, NULL))
    return;
  for (guint i = 0; i < n; i++)
    {
      int fd = LISTEN_FDS_START + i;
      pid_t job = i < g_strv_length (names) ? parse_name (names[i]) : 0;

      /* Only ours: anything else systemd passes is not ours to close. */
      if (job == 0 || fcntl (fd, F_SETFD, FD_CLOEXEC) < 0)
        continue;
      add_handed_back (job, fd, -1, 0);
    }
}

gboolean
init_pty_store_use_systemd (void)
{
  const char *socket_path = g_getenv ("NOTIFY_SOCKET");

  if (socket_path == NULL || socket_path[0] == '\0')
    return FALSE;
  notify_fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (notify_fd < 0)
    return FALSE;
  notify_socket = g_strdup (socket_path);
  store_kind = STORE_SYSTEMD;
  take_listen_fds ();
  /* Jobs are not systemd's services: none of this is for them. */
  g_unsetenv ("NOTIFY_SOCKET");
  g_unsetenv ("LISTEN_PID");
  g_unsetenv ("LISTEN_FDS");
  g_unsetenv ("LISTEN_FDNAMES");
  g_info ("Keeping the job logs' ptys in systemd's file-descriptor store");
  return TRUE;
}

static void
notify (const char *text,
        int         fd)
{
  if (!init_fd_send (notify_fd, notify_socket, text, &fd, fd >= 0 ? 1 : 0))
    g_debug ("Telling systemd \"%s\": %s", text, g_strerror (errno));
}

/* ---- the keeper ---- */

static gboolean
keeper_say (const char *text,
            int         fd)
{
  if (keeper_fd < 0)
    return FALSE;
  if (init_fd_send (keeper_fd, NULL, text, &fd, fd >= 0 ? 1 : 0))
    return TRUE;
  g_debug ("Telling the pty keeper \"%s\": %s", text, g_strerror (errno));
  return FALSE;
}

/* "give": every pty the keeper holds, until "end". */
static gboolean
keeper_take_back (GError **error)
{
  char text[INIT_FD_PASSING_MAX_TEXT];
  int fds[INIT_FD_PASSING_MAX_FDS];
  guint n_fds;

  if (!keeper_say ("give", -1))
    return g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, "%s", g_strerror (errno)), FALSE;
  for (;;)
    {
      struct pollfd p = { keeper_fd, POLLIN, 0 };
      int pid = 0;
      guint64 lost = 0;

      if (poll (&p, 1, KEEPER_REPLY_MS) <= 0 || init_fd_receive (keeper_fd, text, fds, &n_fds) <= 0)
        return g_set_error_literal (error, INIT_ERROR, INIT_ERROR_FAILED,
                                    _("The pty keeper did not answer")), FALSE;
      if (strcmp (text, "end") == 0)
        return TRUE;
      if (sscanf (text, "pty %d %" G_GUINT64_FORMAT, &pid, &lost) == 2 && pid > 0 && n_fds >= 1)
        add_handed_back (pid, fds[0], n_fds > 1 ? fds[1] : -1, lost);
      else
        for (guint i = 0; i < n_fds; i++)
          close (fds[i]);
    }
}

static int
keeper_socket (const char         *path,
               struct sockaddr_un *addr,
               GError            **error)
{
  int fd;

  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  if (strlen (path) >= sizeof addr->sun_path)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, _("Socket path too long: %s"), path);
      return -1;
    }
  strcpy (addr->sun_path, path);
  fd = socket (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0)
    g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, "%s", g_strerror (errno));
  return fd;
}

/* A new keeper on a fresh socket at @path (its fd 3). */
static gboolean
keeper_start (const char *path,
              const char *keeper_exe,
              GError    **error)
{
  struct sockaddr_un addr;
  int listener = keeper_socket (path, &addr, error);
  const char *argv[] = { keeper_exe, NULL };
  int source_fds[] = { -1 };
  int target_fds[] = { 3 };
  gboolean ok;

  if (listener < 0)
    return FALSE;
  g_unlink (path);
  if (bind (listener, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (listener, 4) < 0)
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, _("Cannot listen on %s: %s"), path,
                   g_strerror (errno));
      close (listener);
      return FALSE;
    }
  source_fds[0] = listener;
  /* Not our child for long: GLib's intermediate child exits at once, and the keeper, an
   * orphan, outlives us (as child subreaper we still reap it when it ends). */
  ok = g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL,
                                         NULL, NULL, -1, -1, -1, source_fds, target_fds, 1,
                                         NULL, NULL, NULL, NULL, error);
  close (listener);
  return ok;
}

static gboolean
keeper_connect (const char *path)
{
  struct sockaddr_un addr;
  int fd = keeper_socket (path, &addr, NULL);

  if (fd < 0)
    return FALSE;
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    {
      close (fd);
      return FALSE;
    }
  keeper_fd = fd;
  return TRUE;
}

gboolean
init_pty_store_use_keeper (const char *socket_path,
                           const char *keeper_exe,
                           GError    **error)
{
  g_return_val_if_fail (socket_path != NULL && keeper_exe != NULL, FALSE);

  /* One that outlived a daemon that crashed holds that daemon's ptys. */
  if (keeper_connect (socket_path))
    {
      g_autoptr(GError) local = NULL;

      store_kind = STORE_KEEPER;
      if (!keeper_take_back (&local))
        g_warning (_("Cannot take the job logs' ptys back: %s"), local->message);
      return TRUE;
    }
  if (!keeper_start (socket_path, keeper_exe, error))
    return FALSE;
  if (!keeper_connect (socket_path))
    {
      g_set_error (error, INIT_ERROR, INIT_ERROR_FAILED, _("Cannot connect to %s: %s"),
                   socket_path, g_strerror (errno));
      return FALSE;
    }
  store_kind = STORE_KEEPER;
  return TRUE;
}

/* ---- keeping ---- */

void
init_pty_store_keep (pid_t pid,
                     int   master)
{
  g_autofree char *text = NULL;

  if (store_kind == STORE_SYSTEMD)
    {
      /* FDPOLL=0: systemd would drop a master at the hang-up, and the output still in it. */
      text = g_strdup_printf ("FDSTORE=1\nFDNAME=pty-%d\nFDPOLL=0", (int) pid);
      notify (text, master);
    }
  else if (store_kind == STORE_KEEPER)
    {
      text = g_strdup_printf ("keep %d", (int) pid);
      keeper_say (text, master);
    }
}

void
init_pty_store_forget (pid_t pid)
{
  g_autofree char *text = NULL;

  if (store_kind == STORE_SYSTEMD)
    {
      text = g_strdup_printf ("FDSTOREREMOVE=1\nFDNAME=pty-%d", (int) pid);
      notify (text, -1);
    }
  else if (store_kind == STORE_KEEPER)
    {
      text = g_strdup_printf ("forget %d", (int) pid);
      keeper_say (text, -1);
    }
}

gboolean
init_pty_store_has (pid_t pid)
{
  return handed_back != NULL && g_hash_table_contains (handed_back, GINT_TO_POINTER (pid));
}

gboolean
init_pty_store_take (pid_t    pid,
                     int     *master,
                     int     *output,
                     guint64 *lost)
{
  HandedBack *h = handed_back != NULL ? g_hash_table_lookup (handed_back, GINT_TO_POINTER (pid))
                                      : NULL;

  if (h == NULL)
    return FALSE;
  *master = h->master;
  *output = h->output;
  *lost = h->lost;
  h->master = h->output = -1;
  g_hash_table_remove (handed_back, GINT_TO_POINTER (pid));
  return TRUE;
}

void
init_pty_store_drop_unclaimed (void)
{
  GHashTableIter iter;
  gpointer key;

  if (handed_back == NULL)
    return;
  g_hash_table_iter_init (&iter, handed_back);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    init_pty_store_forget (GPOINTER_TO_INT (key));
  g_clear_pointer (&handed_back, g_hash_table_unref);
}

/* ---- re-exec and exit ---- */

GVariant *
init_pty_store_save (void)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  if (store_kind == STORE_SYSTEMD)
    g_variant_dict_insert (&dict, "notify-socket", "s", notify_socket);
  else if (store_kind == STORE_KEEPER && fcntl (keeper_fd, F_SETFD, 0) == 0)
    g_variant_dict_insert (&dict, "keeper-fd", "i", (gint32) keeper_fd);
  return g_variant_dict_end (&dict);
}

void
init_pty_store_restore (GVariant *saved)
{
  const char *path;
  gint32 fd;

  if (saved == NULL)
    return;
  if (g_variant_lookup (saved, "notify-socket", "&s", &path))
    {
      notify_fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      notify_socket = g_strdup (path);
      store_kind = notify_fd >= 0 ? STORE_SYSTEMD : STORE_NONE;
    }
  else if (g_variant_lookup (saved, "keeper-fd", "i", &fd) && fd >= 0
           && fcntl (fd, F_SETFD, FD_CLOEXEC) == 0)
    {
      keeper_fd = fd;
      store_kind = STORE_KEEPER;
    }
}

void
init_pty_store_shutdown (void)
{
  if (store_kind == STORE_KEEPER)
    {
      keeper_say ("quit", -1);
      close (keeper_fd);
      keeper_fd = -1;
    }
  if (notify_fd >= 0)
    close (notify_fd);
  notify_fd = -1;
  g_clear_pointer (&notify_socket, g_free);
  g_clear_pointer (&handed_back, g_hash_table_unref);
  store_kind = STORE_NONE;
}
