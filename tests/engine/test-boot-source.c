/* test-boot-source.c — boot milestones derived from the machine's state
 *
 * The engine in-process with the real boot source (init-boot-source.c) reading a mount
 * table, fstab, /proc/filesystems, a utmp file and a boot id that the test writes (real
 * files in the fixture's directory), and once the kernel's own mount table in a private
 * mount namespace with a tmpfs the test mounts: mounted per mount (DEVICE MOUNTPOINT TYPE
 * OPTIONS), virtual-, local-, remote-filesystems, filesystem and runlevel, in mountall's
 * order, each after the one before finished, only those a job names, once per boot.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <utmpx.h>

#include "init-boot-source.h"
#include "init-reaper.h"
#include "sources-fixture.h"
#include "test-util.h"

typedef SourcesFixture F;

#define define sources_fixture_define
#define wait_event sources_fixture_wait_event

/* A machine: the first NFS line is remote, proc/sysfs/tmpfs virtual, ext4 and / local. */
static const char mountinfo[] =
  "21 1 8:1 / / rw,relatime shared:1 - ext4 /dev/root rw\n"
  "22 21 0:20 / /proc rw,nosuid,nodev,noexec shared:2 - proc proc rw\n"
  "23 21 0:21 / /sys rw,nosuid shared:3 - sysfs sysfs rw\n"
  "24 21 8:2 / /home\\040dir rw,relatime shared:4 - ext4 /dev/sda2 rw\n"
  "25 21 0:40 / /srv rw,relatime shared:5 - nfs4 server:/export rw,vers=4.2\n"
  "26 21 0:22 / /run rw,nosuid,nodev shared:6 master:1 - tmpfs tmpfs rw,mode=755\n"
  "27 21 8:3 / /data rw shared:7 - xfs /dev/sdb1 rw\n"
  "garbage line\n";
static const char fstab[] =
  "# a comment\n"
  "UUID=1234-root / ext4 errors=remount-ro 0 1\n"
  "UUID=abcd /home\\040dir ext4 defaults,noatime 0 2\n"
  "/dev/sdb1 /data xfs _netdev 0 0\n";
static const char filesystems[] =
  "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\n\text4\nnodev\tnfs4\nnodev\tfuse\n\txfs\n";

typedef struct
{
  char *mountinfo, *fstab, *filesystems, *utmp, *boot_id, *boot_id_file, *target;
} Paths;

static void
paths_clear (Paths *p)
{
  g_free (p->mountinfo);
  g_free (p->fstab);
  g_free (p->filesystems);
  g_free (p->utmp);
  g_free (p->boot_id);
  g_free (p->boot_id_file);
  g_free (p->target);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Paths, paths_clear)

/* A utmp file at @path with a run-level record for @level after @prev (as systemd-update-utmp
 * and sysvinit write it: ut_pid = level + 256 × prev). */
static void
write_utmp (const char *path,
            char        level,
            char        prev)
{
  struct utmpx ut = { 0 };

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_assert_cmpint (utmpxname (path), ==, 0);
  setutxent ();
  ut.ut_type = RUN_LVL;
  ut.ut_pid = level + 256 * prev;
  strcpy (ut.ut_user, "runlevel");
  strcpy (ut.ut_id, "~~");
  strcpy (ut.ut_line, "~");
  g_assert_nonnull (pututxline (&ut));
  endutxent ();
}

/* The machine's files in the fixture's directory, boot id @boot. */
static void
write_machine (F          *f,
               Paths      *p,
               const char *boot)
{
  const char *dir = f->fx.dir;

  test_util_write_file (dir, "mountinfo", mountinfo);
  test_util_write_file (dir, "fstab", fstab);
  test_util_write_file (dir, "filesystems", filesystems);
  test_util_write_file (dir, "boot_id", boot);
  p->mountinfo = g_build_filename (dir, "mountinfo", NULL);
  p->fstab = g_build_filename (dir, "fstab", NULL);
  p->filesystems = g_build_filename (dir, "filesystems", NULL);
  p->boot_id = g_build_filename (dir, "boot_id", NULL);
  p->boot_id_file = g_build_filename (dir, "state", "boot-id", NULL);
  p->utmp = g_build_filename (dir, "utmp", NULL);
  p->target = g_build_filename (dir, "default.target", NULL);
  write_utmp (p->utmp, '2', 0);
}

static InitBootSourceOptions
options_of (const Paths *p)
{
  return (InitBootSourceOptions) {
           p->boot_id_file, p->mountinfo, p->fstab, p->filesystems, p->utmp, p->boot_id,
           p->target,
  };
}

/* Add a boot source reading @p to the registry, arm it and run it. */
static void
run_boot (F           *f,
          const Paths *p)
{
  InitBootSourceOptions o = options_of (p);
  InitBootSource *boot = init_boot_source_new (f->fx.engine, &o);

  init_sources_add (f->sources, (InitSource *) boot);
  init_sources_update (f->sources);
  init_boot_source_run (boot);
}

static char *
plan_text (const Paths *p)
{
  InitBootSourceOptions o = options_of (p);
  g_autoptr(GPtrArray) plan = init_boot_source_plan (&o);

  g_ptr_array_add (plan, NULL);
  return g_strjoinv ("\n", (char **) plan->pdata);
}

/* mountall's order: virtual mounts, virtual-filesystems, local mounts, local-filesystems,
 * remote mounts, remote-filesystems, filesystem, runlevel; the variables from the mount
 * table and fstab as mountall took them. */
static void
test_plan (F            *f,
           gconstpointer data)
{
  g_auto (Paths) p = { 0 };
  g_autofree char *text = NULL;

  write_machine (f, &p, "boot-1\n");
  text = plan_text (&p);
  g_assert_cmpstr (text, ==,
                   "mounted DEVICE=proc MOUNTPOINT=/proc TYPE=proc OPTIONS=rw,nosuid,nodev,noexec\n"
                   "mounted DEVICE=sysfs MOUNTPOINT=/sys TYPE=sysfs OPTIONS=rw,nosuid\n"
                   "mounted DEVICE=tmpfs MOUNTPOINT=/run TYPE=tmpfs OPTIONS=rw,nosuid,nodev\n"
                   "virtual-filesystems\n"
                   "mounted DEVICE=UUID=1234-root MOUNTPOINT=/ TYPE=ext4 OPTIONS=errors=remount-ro\n"
                   "mounted DEVICE=/dev/sda2 MOUNTPOINT=/home dir TYPE=ext4 OPTIONS=defaults,noatime\n"
                   "local-filesystems\n"
                   "mounted DEVICE=server:/export MOUNTPOINT=/srv TYPE=nfs4 OPTIONS=rw,relatime\n"
                   "mounted DEVICE=/dev/sdb1 MOUNTPOINT=/data TYPE=xfs OPTIONS=_netdev\n"
                   "remote-filesystems\n"
                   "filesystem\n"
                   "runlevel RUNLEVEL=2 PREVLEVEL=N");
}

/* Without a run-level record in utmp the level comes from systemd's default target. */
static void
test_runlevel_from_target (F            *f,
                           gconstpointer data)
{
  g_auto (Paths) p = { 0 };
  g_autofree char *text = NULL;

  write_machine (f, &p, "boot-1\n");
  g_assert_true (g_file_set_contents (p.utmp, "", 0, NULL));
  g_assert_cmpint (symlink ("/lib/systemd/system/graphical.target", p.target), ==, 0);
  text = plan_text (&p);
  g_assert_true (g_str_has_suffix (text, "\nfilesystem\nrunlevel RUNLEVEL=5 PREVLEVEL=N"));
  write_utmp (p.utmp, '3', '1');
  g_clear_pointer (&text, g_free);
  text = plan_text (&p);
  g_assert_true (g_str_has_suffix (text, "\nrunlevel RUNLEVEL=3 PREVLEVEL=1"));
}

/* Where the first event called @name is in the fixture's queued list (-1: nowhere). */
static int
queued_index (F          *f,
              const char *name)
{
  for (guint i = 0; i < f->fx.queued->len; i++)
    if (g_str_equal (g_ptr_array_index (f->fx.queued, i), name))
      return (int) i;
  return -1;
}

/* Upstart's rc-sysinit condition and a mounted one start their jobs with the milestones'
 * variables; the events go out in order and nothing a job does not name is emitted. */
static void
test_jobs_start (F            *f,
                 gconstpointer data)
{
  g_auto (Paths) p = { 0 };
  g_autofree char *out = fixture_path (&f->fx, "out");
  g_autofree char *text = NULL;
  int last = -1;

  write_machine (f, &p, "boot-1\n");
  define (f, "rc", "start on (filesystem and runlevel [2345])\ntask\n"
          "exec sh -c 'echo $RUNLEVEL $PREVLEVEL $UPSTART_EVENTS >> %s'\n", out);
  define (f, "nfs", "start on mounted MOUNTPOINT=/srv TYPE=nfs4\ntask\n"
          "exec sh -c 'echo $DEVICE $OPTIONS >> %s'\n", out);
  define (f, "local", "start on local-filesystems or virtual-filesystems\nexec sleep 100\n");
  run_boot (f, &p);
  wait_event (f, "runlevel RUNLEVEL=2 PREVLEVEL=N");
  text = fixture_wait_file (&f->fx, out);
  fixture_wait_status (&f->fx, "rc", "", "stop/waiting");
  g_clear_pointer (&text, g_free);
  text = test_util_read_file (out);
  g_assert_cmpstr (text, ==, "server:/export rw,relatime\n2 N filesystem runlevel\n");
  /* Queued in mountall's order: every mount (seven) before filesystem. */
  for (const char *const *name = (const char *const[]) {
    "virtual-filesystems", "local-filesystems", "filesystem", "runlevel", NULL
  }; *name != NULL; name++)
    {
      int at = queued_index (f, *name);

      g_assert_cmpint (at, >, last);
      last = at;
    }
  for (guint i = queued_index (f, "filesystem"); i < f->fx.queued->len; i++)
    g_assert_cmpstr (g_ptr_array_index (f->fx.queued, i), !=, "mounted");
  g_assert_true (fixture_saw_event (&f->fx, "mounted DEVICE=server:/export MOUNTPOINT=/srv "
                                    "TYPE=nfs4 OPTIONS=rw,relatime"));
  /* Once a job names `mounted' it goes out for every mount; remote-filesystems, which no
   * job names, not at all. */
  g_assert_true (fixture_saw_event (&f->fx, "mounted DEVICE=proc MOUNTPOINT=/proc TYPE=proc "
                                    "OPTIONS=rw,nosuid,nodev,noexec"));
  g_assert_cmpint (fixture_event_index (&f->fx, "remote-filesystems"), ==, -1);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Like mountall (which waited for init's answer to each `mounted'), the milestones after a
 * `mounted' go out only once it finished: a task started by the mount of /proc holds back
 * the next mount and virtual-filesystems. */
static void
test_one_after_another (F            *f,
                        gconstpointer data)
{
  g_auto (Paths) p = { 0 };
  g_autofree char *go = fixture_path (&f->fx, "go");
  g_autofree char *running = fixture_path (&f->fx, "running");

  write_machine (f, &p, "boot-1\n");
  define (f, "slow", "start on mounted MOUNTPOINT=/proc\ntask\n"
          "exec sh -c 'touch %s; while [ ! -e %s ]; do sleep 0.05; done'\n", running, go);
  define (f, "after", "start on virtual-filesystems\nexec sleep 100\n");
  run_boot (f, &p);
  g_assert_true (test_util_wait_until (file_exists, running, 30000));
  g_assert_cmpint (queued_index (f, "mounted"), >=, 0);
  g_assert_cmpint (queued_index (f, "virtual-filesystems"), ==, -1);
  g_assert_false (fixture_saw_event (&f->fx, "mounted DEVICE=sysfs MOUNTPOINT=/sys TYPE=sysfs "
                                     "OPTIONS=rw,nosuid"));
  test_util_write_file (f->fx.dir, "go", "");
  wait_event (f, "virtual-filesystems");
  fixture_wait_status (&f->fx, "after", "", "start/running");
  g_assert_cmpint (fixture_event_index (&f->fx, "mounted"), <,
                   fixture_event_index (&f->fx, "virtual-filesystems"));
}

/* Once per boot: a second daemon (a restart, a re-exec) in the same boot emits nothing; a new
 * boot id means a new boot. */
static void
test_once_per_boot (F            *f,
                    gconstpointer data)
{
  g_auto (Paths) p = { 0 };

  write_machine (f, &p, "boot-1\n");
  define (f, "fs", "start on filesystem\nexec sleep 100\n");
  run_boot (f, &p);
  wait_event (f, "filesystem");
  g_clear_pointer (&f->sources, init_sources_free);
  f->sources = init_sources_new (f->fx.engine);
  g_ptr_array_set_size (f->fx.events, 0);
  g_ptr_array_set_size (f->fx.queued, 0);
  run_boot (f, &p);
  init_engine_poll (f->fx.engine);
  g_assert_cmpuint (f->fx.queued->len, ==, 0);
  g_clear_pointer (&f->sources, init_sources_free);
  f->sources = init_sources_new (f->fx.engine);
  test_util_write_file (f->fx.dir, "boot_id", "boot-2\n");
  run_boot (f, &p);
  wait_event (f, "filesystem");
}

/* No job names a milestone: nothing at all is emitted (and the source shows inactive). */
static void
test_nothing_unnamed (F            *f,
                      gconstpointer data)
{
  g_auto (Paths) p = { 0 };
  g_autoptr(GPtrArray) list = NULL;

  write_machine (f, &p, "boot-1\n");
  define (f, "other", "start on something-else\nexec true\n");
  run_boot (f, &p);
  init_engine_poll (f->fx.engine);
  g_assert_cmpuint (f->fx.queued->len, ==, 0);
  list = init_sources_list (f->sources);
  for (guint i = 0; i < list->len; i++)
    {
      InitSource *source = g_ptr_array_index (list, i);

      if (g_str_equal (source->name, "boot"))
        g_assert_cmpint (source->state, ==, INIT_SOURCE_INACTIVE);
    }
}

/* The kernel's own mount table, in a mount namespace of this program's: a tmpfs mounted by
 * the test is a virtual filesystem with its source as DEVICE. */
static void
test_real_mount (F            *f,
                 gconstpointer data)
{
  g_autofree char *where = fixture_path (&f->fx, "mnt");
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  Paths p = { 0 };
  gboolean mounted;

  g_assert_cmpint (g_mkdir (where, 0755), ==, 0);
  g_assert_cmpint (mount ("bootsrc-test", where, "tmpfs", MS_NOSUID, "size=64k"), ==, 0);
  p.mountinfo = (char *) "/proc/self/mountinfo";
  p.fstab = (char *) "/nonexistent/fstab";
  p.filesystems = (char *) "/proc/filesystems";
  p.utmp = (char *) "/nonexistent/utmp";
  p.boot_id = (char *) "/proc/sys/kernel/random/boot_id";
  p.boot_id_file = (char *) "/nonexistent/boot-id";
  p.target = (char *) "/nonexistent/default.target";
  text = plan_text (&p);
  line = g_strdup_printf ("mounted DEVICE=bootsrc-test MOUNTPOINT=%s TYPE=tmpfs "
                          "OPTIONS=rw,nosuid", where);
  mounted = strstr (text, line) != NULL
            && strstr (text, line) < strstr (text, "\nvirtual-filesystems\n");
  g_assert_cmpint (umount (where), ==, 0);
  if (!mounted)
    g_error ("no `%s' before virtual-filesystems in:\n%s", line, text);
  g_assert_true (g_str_has_suffix (text, "\nfilesystem\nrunlevel RUNLEVEL=2 PREVLEVEL=N"));
}

/* Into a mount namespace of our own (as root directly, otherwise `unshare -rm' running this
 * program again), with mounts private so nothing reaches the host. */
static void
enter_private_mounts (char **argv)
{
  if (unshare (CLONE_NEWNS) == 0)
    {
      g_assert_cmpint (mount ("none", "/", NULL, MS_REC | MS_PRIVATE, NULL), ==, 0);
      return;
    }
  if (g_getenv ("INIT_TEST_MNTNS") != NULL)
    g_error ("cannot enter a mount namespace: %s", g_strerror (errno));
  g_setenv ("INIT_TEST_MNTNS", "1", TRUE);
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto (GStrv) args = NULL;

    g_strv_builder_add_many (builder, "unshare", "-rm", NULL);
    g_strv_builder_addv (builder, (const char **) argv);
    args = g_strv_builder_end (builder);
    execvp ("unshare", args);
  }
  g_error ("cannot run unshare -rm: %s", g_strerror (errno));
}

int
main (int    argc,
      char **argv)
{
  enter_private_mounts (argv);
  init_reaper_block_sigchld ();
  g_test_init (&argc, &argv, NULL);
  test_util_capture_install ();
  g_assert_true (init_reaper_start (NULL));
  g_test_add ("/sources/boot/plan", F, NULL, sources_fixture_setup, test_plan,
              sources_fixture_teardown);
  g_test_add ("/sources/boot/runlevel-from-target", F, NULL, sources_fixture_setup,
              test_runlevel_from_target, sources_fixture_teardown);
  g_test_add ("/sources/boot/jobs-start", F, NULL, sources_fixture_setup, test_jobs_start,
              sources_fixture_teardown);
  g_test_add ("/sources/boot/one-after-another", F, NULL, sources_fixture_setup,
              test_one_after_another, sources_fixture_teardown);
  g_test_add ("/sources/boot/once-per-boot", F, NULL, sources_fixture_setup,
              test_once_per_boot, sources_fixture_teardown);
  g_test_add ("/sources/boot/nothing-unnamed", F, NULL, sources_fixture_setup,
              test_nothing_unnamed, sources_fixture_teardown);
  g_test_add ("/sources/boot/real-mount", F, NULL, sources_fixture_setup, test_real_mount,
              sources_fixture_teardown);
  return g_test_run ();
}
