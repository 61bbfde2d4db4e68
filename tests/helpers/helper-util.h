/* helper-util.h — the little the test helper programs share (header-only: each helper is
 * one small program)
 *
 * Pid files are written whole and renamed into place, so a test that sees the file sees
 * every line of it.
 */
#pragma once

/* uncrustify 0.72 cannot parse attributes between "static inline" and a definition. */
/* *INDENT-OFF* */

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Replace @path with the printf-formatted text, atomically. */
static inline void __attribute__ ((format (printf, 2, 3)))
helper_write (const char *path,
              const char *format,
              ...)
{
  char tmp[4096];
  va_list args;
  FILE *file;

  snprintf (tmp, sizeof tmp, "%s.tmp.%d", path, (int) getpid ());
  file = fopen (tmp, "w");
  if (file == NULL)
    {
      perror (tmp);
      _exit (2);
    }
  va_start (args, format);
  vfprintf (file, format, args);
  va_end (args);
  if (fclose (file) != 0 || rename (tmp, path) != 0)
    {
      perror (path);
      _exit (2);
    }
}

/* SIGTERM kills us whatever the parent left in place (handlers, masks). */
static inline void
helper_default_signals (void)
{
  sigset_t set;

  signal (SIGTERM, SIG_DFL);
  signal (SIGINT, SIG_DFL);
  signal (SIGHUP, SIG_DFL);
  sigemptyset (&set);
  sigprocmask (SIG_SETMASK, &set, NULL);
}

static inline void __attribute__ ((noreturn))
helper_sleep_forever (void)
{
  for (;;)
    pause ();
}

static inline void __attribute__ ((noreturn))
helper_usage (const char *usage)
{
  fprintf (stderr, "usage: %s\n", usage);
  exit (2);
}
/* *INDENT-ON* */
