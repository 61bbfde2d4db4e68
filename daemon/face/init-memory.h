/* init-memory.h — the daemon gives memory back to the system after big replies
 *
 * glibc raises its mmap threshold to the size of the largest block freed (up to 32 MiB), so
 * after one GetManagedObjects of a few megabytes every later reply buffer lands in the heap,
 * and the heap only shrinks from its top: the daemon kept its peak for good.  With a fixed
 * threshold, buffers of 128 KiB and more are mapped and unmapped; malloc_trim() after a big
 * reply returns what the smaller pieces left free.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fix the malloc thresholds (call first thing in main()). */
void     init_memory_setup (void);
/* Return free heap memory to the system once the main loop is idle (one trim however many
 * ask before it runs). */
void     init_memory_trim_soon (void);

G_END_DECLS
