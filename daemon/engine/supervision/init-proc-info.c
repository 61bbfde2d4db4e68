/* init-proc-info.c — what /proc says about a process */
#define G_LOG_DOMAIN "init-proc-info"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init-proc-info.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434      /* the same number on every architecture */
#endif

#define CMDLINE_MAX 4096

/* Read at most @size - 1 bytes of @path into @buf, NUL-terminated; the length, or -1 if the
 * file cannot be opened or read (the process is gone, or not ours to read).  Plain
 * open/read: called for every process on every scan, so no stdio or GIO. */
static gssize
read_small (const char *path,
            char       *buf,
            gsize       size)
{
  gsize len = 0;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return -1;
  while (len < size - 1)
    {
      gssize n = read (fd, buf + len, size - 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          /* ESRCH: the process died between open and read. */
          close (fd);
          return -1;
        }
      if (n == 0)
        break;
      len += n;
    }
  close (fd);
  buf[len] = '\0';
  return len;
}

/* Parse the text of /proc/PID/stat into @info; also hand back the comm (pointing into
 * @text, which is modified) when @comm is not NULL. */
static gboolean
parse_stat (char         *text,
            InitProcInfo *info,
            const char  **comm)
{
  char *open_paren, *close_paren, *p, *end;
  guint64 values[20];
  guint i;

  /* comm is whatever the process called itself, ")" and " " included: the only reliable
   * delimiters are the first "(" and the LAST ")". */
  open_paren = strchr (text, '(');
  close_paren = strrchr (text, ')');
  if (open_paren == NULL || close_paren == NULL || close_paren < open_paren)
    return FALSE;

  info->pid = strtol (text, &end, 10);
  if (end == text || info->pid <= 0)
    return FALSE;

  p = close_paren + 1;
  while (*p == ' ')
    p++;
  if (*p == '\0')
    return FALSE;
  info->state = *p++;

  /* Fields 4 (ppid) to 22 (starttime): 19 numbers; tty_nr and the like may be negative. */
  for (i = 0; i < 19; i++)
    {
      values[i] = (guint64) g_ascii_strtoll (p, &end, 10);
      if (end == p)
        return FALSE;
      p = end;
    }
  info->ppid = (pid_t) values[0];
  info->pgid = (pid_t) values[1];
  info->sid = (pid_t) values[2];
  info->start_time = values[18];

  if (comm != NULL)
    {
      *close_paren = '\0';
      *comm = open_paren + 1;
    }
  return TRUE;
}

static gboolean
read_stat (pid_t         pid,
           InitProcInfo *info,
           char         *buf,
           gsize         size,
           const char  **comm)
{
  char path[64];

  g_snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  if (read_small (path, buf, size) <= 0)
    return FALSE;
  return parse_stat (buf, info, comm);
}

gboolean
init_proc_info_read (pid_t         pid,
                     InitProcInfo *info)
{
  char buf[1024];

  g_return_val_if_fail (info != NULL, FALSE);

  if (pid <= 0)
    return FALSE;
  return read_stat (pid, info, buf, sizeof buf, NULL);
}

gboolean
init_proc_info_is_alive (pid_t   pid,
                         guint64 start_time)
{
  InitProcInfo info;

  if (!init_proc_info_read (pid, &info))
    return FALSE;
  if (info.state == 'Z' || info.state == 'X' || info.state == 'x')
    return FALSE;
  return start_time == 0 || info.start_time == start_time;
}

char *
init_proc_info_cmdline (pid_t pid)
{
  char path[64], buf[CMDLINE_MAX + 1];
  gssize len;

  if (pid <= 0)
    return NULL;

  g_snprintf (path, sizeof path, "/proc/%d/cmdline", (int) pid);
  len = read_small (path, buf, sizeof buf);
  if (len < 0)
    return NULL;

  /* Drop the trailing NUL(s), then the separators become spaces. */
  while (len > 0 && buf[len - 1] == '\0')
    len--;
  if (len == 0)
    {
      /* Kernel threads and zombies have no command line: show what ps shows. */
      char stat[1024];
      InitProcInfo info;
      const char *comm;

      if (!read_stat (pid, &info, stat, sizeof stat, &comm))
        return NULL;
      return g_strdup_printf ("[%s]", comm);
    }
  for (gssize i = 0; i < len; i++)
    if (buf[i] == '\0')
      buf[i] = ' ';
  return g_strndup (buf, len);
}

char *
init_proc_info_environ_get (pid_t       pid,
                            const char *key)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize len, key_len;
  const char *p, *end;

  g_return_val_if_fail (key != NULL, NULL);

  if (pid <= 0)
    return NULL;

  /* The environment can be large; g_file_get_contents() reads /proc files to EOF. */
  path = g_strdup_printf ("/proc/%d/environ", (int) pid);
  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;

  key_len = strlen (key);
  end = contents + len;
  for (p = contents; p < end; p += strlen (p) + 1)
    {
      if (strncmp (p, key, key_len) == 0 && p[key_len] == '=')
        return g_strdup (p + key_len + 1);
    }
  return NULL;
}

static gboolean
parse_pid (const char *name,
           pid_t      *pid)
{
  char *end;
  long value;

  if (!g_ascii_isdigit (name[0]))
    return FALSE;
  value = strtol (name, &end, 10);
  if (*end != '\0' || value <= 0 || value > G_MAXINT)
    return FALSE;
  *pid = (pid_t) value;
  return TRUE;
}

GArray *
init_proc_info_scan (void)
{
  GArray *procs = g_array_sized_new (FALSE, FALSE, sizeof (InitProcInfo), 256);
  struct dirent *entry;
  DIR *dir;

  dir = opendir ("/proc");
  if (dir == NULL)
    return procs;
  while ((entry = readdir (dir)) != NULL)
    {
      InitProcInfo info;
      pid_t pid;

      if (!parse_pid (entry->d_name, &pid))
        continue;
      /* Gone since readdir: simply not there. */
      if (init_proc_info_read (pid, &info))
        g_array_append_val (procs, info);
    }
  closedir (dir);
  return procs;
}

/* Add the pids listed in a task's children file to @children.  FALSE only when the file
 * does not exist although the task does (a kernel without CONFIG_PROC_CHILDREN); a task or
 * process that vanished meanwhile simply has no children to list. */
static gboolean
read_children_file (pid_t       pid,
                    const char *tid,
                    GArray     *children)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *p;

  path = g_strdup_printf ("/proc/%d/task/%s/children", (int) pid, tid);
  /* Usually tiny; read it whole, however many children there are. */
  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      g_autofree char *task = NULL;

      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      task = g_strdup_printf ("/proc/%d/task/%s", (int) pid, tid);
      return !g_file_test (task, G_FILE_TEST_IS_DIR);
    }
  for (p = contents; *p != '\0';)
    {
      char *end;
      long value = strtol (p, &end, 10);

      if (end == p)
        break;
      if (value > 0)
        {
          pid_t child = (pid_t) value;

          g_array_append_val (children, child);
        }
      p = end;
    }
  return TRUE;
}

GArray *
init_proc_info_children (pid_t pid)
{
  GArray *children = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GArray) all = NULL;
  char path[64];
  struct dirent *entry;
  DIR *dir;
  gboolean need_scan = FALSE;

  if (pid <= 0)
    return children;

  /* Each thread has its own children file (a child belongs to the thread that forked it). */
  g_snprintf (path, sizeof path, "/proc/%d/task", (int) pid);
  dir = opendir (path);
  if (dir == NULL)
    return children;      /* gone */
  while ((entry = readdir (dir)) != NULL)
    {
      if (entry->d_name[0] == '.')
        continue;
      if (!read_children_file (pid, entry->d_name, children))
        {
          /* Kernel without CONFIG_PROC_CHILDREN (or the thread just went): scan. */
          need_scan = TRUE;
          break;
        }
    }
  closedir (dir);
  if (!need_scan)
    return children;

  g_array_set_size (children, 0);
  all = init_proc_info_scan ();
  for (guint i = 0; i < all->len; i++)
    {
      const InitProcInfo *info = &g_array_index (all, InitProcInfo, i);

      if (info->ppid == pid && info->pid != pid)
        g_array_append_val (children, info->pid);
    }
  return children;
}

int
init_proc_pidfd_open (pid_t pid)
{
  if (pid <= 0)
    {
      errno = EINVAL;
      return -1;
    }
  return (int) syscall (SYS_pidfd_open, pid, 0);
}
