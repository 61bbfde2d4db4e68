/* init-kernel-names.c — signal and resource-limit names (see init-kernel-names.h) */

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "init-kernel-names.h"

/* Aliases (IOT, CLD, POLL) come after the name a number is shown by. */
static const struct
{
  int         num;
  const char *name;
} signal_names[] = {
  { SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" }, { SIGILL, "ILL" },
  { SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" }, { SIGIOT, "IOT" }, { SIGBUS, "BUS" },
  { SIGFPE, "FPE" }, { SIGKILL, "KILL" }, { SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" },
  { SIGUSR2, "USR2" }, { SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" }, { SIGTERM, "TERM" },
#ifdef SIGSTKFLT
  { SIGSTKFLT, "STKFLT" },
#endif
  { SIGCHLD, "CHLD" }, { SIGCHLD, "CLD" }, { SIGCONT, "CONT" }, { SIGSTOP, "STOP" },
  { SIGTSTP, "TSTP" }, { SIGTTIN, "TTIN" }, { SIGTTOU, "TTOU" }, { SIGURG, "URG" },
  { SIGXCPU, "XCPU" }, { SIGXFSZ, "XFSZ" }, { SIGVTALRM, "VTALRM" }, { SIGPROF, "PROF" },
  { SIGWINCH, "WINCH" }, { SIGIO, "IO" }, { SIGPOLL, "POLL" },
#ifdef SIGPWR
  { SIGPWR, "PWR" },
#endif
  { SIGSYS, "SYS" },
};

/* `limit` resource names, as job files write them. */
static const struct
{
  const char *name;
  int         resource;
} limit_names[] = {
  { "as", RLIMIT_AS }, { "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU },
  { "data", RLIMIT_DATA }, { "fsize", RLIMIT_FSIZE }, { "memlock", RLIMIT_MEMLOCK },
  { "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE }, { "nofile", RLIMIT_NOFILE },
  { "nproc", RLIMIT_NPROC }, { "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO },
  { "sigpending", RLIMIT_SIGPENDING }, { "stack", RLIMIT_STACK },
};

char *
init_signal_to_name (int signum)
{
  for (gsize i = 0; i < G_N_ELEMENTS (signal_names); i++)
    {
      if (signal_names[i].num == signum)
        return g_strdup (signal_names[i].name);
    }
  return g_strdup_printf ("%d", signum);
}

int
init_signal_from_name (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  if (g_str_has_prefix (name, "SIG"))
    name += 3;
  for (gsize i = 0; i < G_N_ELEMENTS (signal_names); i++)
    {
      if (strcmp (signal_names[i].name, name) == 0)
        return signal_names[i].num;
    }
  return -1;
}

int
init_signal_parse (const char *text)
{
  guint64 number;

  g_return_val_if_fail (text != NULL, -1);

  if (!g_ascii_isdigit (text[0]))
    return init_signal_from_name (text);
  if (!g_ascii_string_to_unsigned (text, 10, 1, NSIG - 1, &number, NULL))
    return -1;
  return (int) number;
}

const char *
init_limit_to_name (int resource)
{
  for (gsize i = 0; i < G_N_ELEMENTS (limit_names); i++)
    {
      if (limit_names[i].resource == resource)
        return limit_names[i].name;
    }
  return NULL;
}

int
init_limit_from_name (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (limit_names); i++)
    {
      if (strcmp (limit_names[i].name, name) == 0)
        return limit_names[i].resource;
    }
  return -1;
}
