/* init-fd-passing.h — a short text message with file descriptors over a unix socket
 *
 * The pty masters of `console log` jobs live outside the daemon (init-pty-store.h): in
 * systemd's file-descriptor store or in initd-pty-keeper.  Both take them the same way, as
 * one datagram (or SOCK_SEQPACKET record) of text with the fds attached (SCM_RIGHTS).  Plain
 * C, shared by the daemon and the keeper program.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define INIT_FD_PASSING_MAX_FDS  4
#define INIT_FD_PASSING_MAX_TEXT 4096

/* Send @text (not NUL-terminated on the wire) with @n_fds fds on @sock, or to @path if not
 * NULL (a datagram socket's address; a leading '@' is the abstract namespace).  Never
 * blocks longer than the kernel's send buffer allows (MSG_NOSIGNAL).  Returns FALSE with
 * errno set. */
gboolean init_fd_send (int         sock,
                       const char *path,
                       const char *text,
                       const int  *fds,
                       guint       n_fds);

/* Receive one message: its text (NUL-terminated, at most INIT_FD_PASSING_MAX_TEXT - 1
 * bytes) into @text, the fds that came with it into @fds (made close-on-exec; extra ones
 * are closed) and their number into *@n_fds.  Returns the text's length, 0 at end of
 * stream, or -1 with errno set. */
gssize   init_fd_receive (int    sock,
                          char  *text,
                          int   *fds,
                          guint *n_fds);

G_END_DECLS
