/* init-fd-passing.c — a short text message with file descriptors over a unix socket */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "init-fd-passing.h"

/* @path as a sockaddr_un (abstract if it starts with '@'); FALSE if it does not fit. */
static gboolean
fill_address (const char         *path,
              struct sockaddr_un *addr,
              socklen_t          *length)
{
  gsize n = strlen (path);

  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  if (n == 0 || n >= sizeof addr->sun_path)
    return FALSE;
  memcpy (addr->sun_path, path, n);
  if (path[0] == '@')
    addr->sun_path[0] = '\0';
  *length = offsetof (struct sockaddr_un, sun_path) + n + (path[0] == '@' ? 0 : 1);
  return TRUE;
}

gboolean
init_fd_send (int         sock,
              const char *path,
              const char *text,
              const int  *fds,
              guint       n_fds)
{
  union
  {
    struct cmsghdr header;
    char           space[CMSG_SPACE (sizeof (int) * INIT_FD_PASSING_MAX_FDS)];
  } control;
  struct sockaddr_un addr;
  socklen_t addr_length = 0;
  struct iovec iov = { (void *) text, strlen (text) };
  struct msghdr msg = { 0 };

  g_return_val_if_fail (n_fds <= INIT_FD_PASSING_MAX_FDS, FALSE);

  if (path != NULL && !fill_address (path, &addr, &addr_length))
    {
      errno = ENAMETOOLONG;
      return FALSE;
    }
  msg.msg_name = path != NULL ? &addr : NULL;
  msg.msg_namelen = addr_length;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (n_fds > 0)
    {
      struct cmsghdr *cmsg;

      memset (&control, 0, sizeof control);
      msg.msg_control = control.space;
      msg.msg_controllen = CMSG_SPACE (sizeof (int) * n_fds);
      cmsg = CMSG_FIRSTHDR (&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN (sizeof (int) * n_fds);
      memcpy (CMSG_DATA (cmsg), fds, sizeof (int) * n_fds);
    }
  for (;;)
    {
      if (sendmsg (sock, &msg, MSG_NOSIGNAL) >= 0)
        return TRUE;
      if (errno != EINTR)
        return FALSE;
    }
}

gssize
init_fd_receive (int    sock,
                 char  *text,
                 int   *fds,
                 guint *n_fds)
{
  union
  {
    struct cmsghdr header;
    char           space[CMSG_SPACE (sizeof (int) * (INIT_FD_PASSING_MAX_FDS + 4))];
  } control;
  struct iovec iov = { text, INIT_FD_PASSING_MAX_TEXT - 1 };
  struct msghdr msg = { 0 };
  gssize n;

  *n_fds = 0;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.space;
  msg.msg_controllen = sizeof control.space;
  do
    n = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -1;
  text[n] = '\0';
  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
    {
      guint count;
      int *received = (int *) CMSG_DATA (cmsg);

      if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
        continue;
      count = (cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int);
      for (guint i = 0; i < count; i++)
        if (*n_fds < INIT_FD_PASSING_MAX_FDS)
          fds[(*n_fds)++] = received[i];
        else
          close (received[i]);
    }
  return n;
}
