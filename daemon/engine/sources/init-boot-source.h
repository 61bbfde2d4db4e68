/* init-boot-source.h — boot milestones on a host that another init booted (systemd)
 *
 * What mountall and rc-sysinit gave Upstart systems (reference event-sources.md §8, §10,
 * §13), derived from the machine's state once per boot, right after `startup', in this
 * order, each `mounted' holding the rest back until it finished (mountall waited for those;
 * the others it only queued in order):
 *
 *   mounted DEVICE= MOUNTPOINT= TYPE= OPTIONS=   each virtual filesystem (nodev types of
 *                                                /proc/filesystems), in mount order
 *   virtual-filesystems
 *   mounted …                                    each local filesystem
 *   local-filesystems
 *   mounted …                                    each remote one (nfs, cifs, …, _netdev)
 *   remote-filesystems
 *   filesystem
 *   runlevel RUNLEVEL= PREVLEVEL=                from utmp's run-level record (systemd
 *                                                writes it), else systemd's default target
 *
 * The mounts are the lines of /proc/self/mountinfo, as mountall reported the filesystems it
 * found mounted: DEVICE and TYPE from the mount table (DEVICE from /etc/fstab when the table
 * says only /dev/root, none or rootfs), OPTIONS from /etc/fstab when it lists the mount
 * point, else the mount's own.  Remote: nfs, nfs4, smbfs, cifs, coda, ncp, ncpfs, ocfs2, gfs,
 * gfs2, ceph or the _netdev option; virtual: the other nodev types (not fuse), never `/';
 * local: the rest.  Only the events some job names are emitted, with the daemon's start-up
 * as their cause.  The boot id is written to a file in the daemon's state directory: a
 * daemon restarted or re-executed in the same boot emits nothing again.
 */
#pragma once

#include "init-engine.h"
#include "init-source.h"

G_BEGIN_DECLS

typedef struct _InitBootSource InitBootSource;

typedef struct
{
  const char *boot_id_file;   /* where the boot id of the last emission is kept */
  /* NULL: the system's (tests give their own) */
  const char *mountinfo;      /* /proc/self/mountinfo */
  const char *fstab;          /* /etc/fstab */
  const char *filesystems;    /* /proc/filesystems */
  const char *utmp;           /* utmp (_PATH_UTMP) */
  const char *boot_id;        /* /proc/sys/kernel/random/boot_id */
  const char *default_target; /* /etc/systemd/system/default.target (when utmp has no level) */
} InitBootSourceOptions;

/* An InitSource (init-source.h) serving the milestones, emitting into @engine. */
InitBootSource *init_boot_source_new (InitEngine                  *engine,
                                      const InitBootSourceOptions *options);
/* Emit the milestones the jobs name now, unless this boot already had them; the boot id is
 * recorded either way (jobs added later in the boot do not get them: they were events). */
void            init_boot_source_run (InitBootSource *source);

/* The milestones of @mountinfo (and the others of @options) in order, as "name K=V …"
 * lines, every one of them (tests). */
GPtrArray *init_boot_source_plan (const InitBootSourceOptions *options);

G_END_DECLS
