/* init-memory.c — the daemon gives memory back to the system after big replies */
#define G_LOG_DOMAIN "init-memory"

#include <malloc.h>

#include "init-memory.h"

#define MMAP_THRESHOLD (128 * 1024)

void
init_memory_setup (void)
{
  /* Setting them at all turns glibc's dynamic adjustment off (mallopt(3)). */
  mallopt (M_MMAP_THRESHOLD, MMAP_THRESHOLD);
  mallopt (M_TRIM_THRESHOLD, MMAP_THRESHOLD);
}

static guint trim_id;

static gboolean
trim_cb (gpointer user_data)
{
  trim_id = 0;
  malloc_trim (0);
  return G_SOURCE_REMOVE;
}

void
init_memory_trim_soon (void)
{
  /* Low priority: after the reply has been handed over and everything else is done. */
  if (trim_id == 0)
    trim_id = g_idle_add_full (G_PRIORITY_LOW, trim_cb, NULL, NULL);
}
