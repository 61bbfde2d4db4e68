/* init-boot-source.c — boot milestones from the machine's state, see init-boot-source.h */
#define G_LOG_DOMAIN "init-sources"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <mntent.h>
#include <string.h>
#include <utmpx.h>

#include "init-boot-source.h"

struct _InitBootSource
{
  InitSource            parent;
  InitEngine           *engine;
  InitBootSourceOptions options;    /* strings owned */
  GHashTable           *wanted;     /* event names some job names (set) */
  GPtrArray            *queue;      /* Milestone *, still to emit in order */
  InitEvent            *current;    /* the one emitted last while it runs (a reference) */
  gboolean              ran;
};

typedef struct
{
  char      *name;
  GPtrArray *env;
  gboolean   wait;   /* the next goes out once this one finished (mountall's `mounted') */
} Milestone;

static void
milestone_free (gpointer data)
{
  Milestone *m = data;

  g_free (m->name);
  g_ptr_array_unref (m->env);
  g_free (m);
}

static void
add_milestone (GPtrArray  *plan,
               const char *name,
               GPtrArray  *env)
{
  Milestone *m = g_new0 (Milestone, 1);

  m->name = g_strdup (name);
  m->env = env != NULL ? g_ptr_array_ref (env) : g_ptr_array_new_with_free_func (g_free);
  m->wait = env != NULL && g_str_equal (name, "mounted");
  g_ptr_array_add (plan, m);
}

/* ---- the mount table ---- */

typedef enum
{
  CLASS_VIRTUAL,
  CLASS_LOCAL,
  CLASS_REMOTE,
} MountClass;

/* "\040" and the other octal escapes of mountinfo, undone. */
static char *
unescape (const char *field)
{
  GString *out = g_string_new (NULL);

  for (const char *p = field; *p != '\0'; p++)
    if (p[0] == '\\' && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2])
        && g_ascii_isdigit (p[3]))
      {
        g_string_append_c (out, (char) ((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0')));
        p += 3;
      }
    else
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* The filesystem types that need no device (virtual), from /proc/filesystems. */
static GHashTable *
read_nodev_types (const char *path)
{
  GHashTable *types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return types;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "nodev"))
      {
        const char *type = g_strstrip (lines[i] + 5);

        if (!g_str_has_prefix (type, "fuse"))
          g_hash_table_add (types, g_strdup (type));
      }
  return types;
}

static gboolean
is_remote_type (const char *type)
{
  static const char *const remote[] = {
    "nfs", "nfs4", "smbfs", "cifs", "coda", "ncp", "ncpfs", "ocfs2", "gfs", "gfs2", "ceph"
  };

  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    if (g_str_equal (type, remote[i]))
      return TRUE;
  return FALSE;
}

/* fstab's entry for @mountpoint (device, options), if it has one. */
static gboolean
fstab_lookup (const char *fstab,
              const char *mountpoint,
              char      **device,
              char      **options)
{
  FILE *fp = setmntent (fstab, "r");
  struct mntent *ent;
  gboolean found = FALSE;

  if (fp == NULL)
    return FALSE;
  while (!found && (ent = getmntent (fp)) != NULL)
    if (g_str_equal (ent->mnt_dir, mountpoint))
      {
        *device = g_strdup (ent->mnt_fsname);
        *options = g_strdup (ent->mnt_opts);
        found = TRUE;
      }
  endmntent (fp);
  return found;
}

/* Kernel sources that say nothing about the device: mountall took fstab's spec instead. */
static gboolean
vague_source (const char *device)
{
  return g_str_equal (device, "/dev/root") || g_str_equal (device, "none")
         || g_str_equal (device, "rootfs");
}

/* One mountinfo line as a `mounted' environment and its class; FALSE if malformed.  Like
 * mountall for a filesystem it found mounted: DEVICE and TYPE from the mount table (DEVICE
 * from fstab when the table's says nothing), OPTIONS from fstab when it lists the mount
 * point (else the mount's own); remote before virtual (nfs is a nodev type too). */
static gboolean
parse_mount (const InitBootSourceOptions *o,
             GHashTable                  *nodev,
             const char                  *line,
             GPtrArray                  **env,
             MountClass                  *klass)
{
  g_auto (GStrv) fields = g_strsplit (line, " ", -1);
  g_autofree char *mountpoint = NULL;
  g_autofree char *device = NULL;
  g_autofree char *options = NULL;
  g_autofree char *fstab_device = NULL;
  guint n = g_strv_length (fields), dash;
  const char *type;

  if (n < 10)
    return FALSE;
  for (dash = 6; dash < n && !g_str_equal (fields[dash], "-"); dash++)
    ;
  if (dash + 2 >= n)
    return FALSE;
  type = fields[dash + 1];
  mountpoint = unescape (fields[4]);
  device = unescape (fields[dash + 2]);
  if (fstab_lookup (o->fstab, mountpoint, &fstab_device, &options))
    {
      if (vague_source (device))
        {
          g_free (device);
          device = g_steal_pointer (&fstab_device);
        }
    }
  else
    options = g_strdup (fields[5]);
  if (is_remote_type (type) || strstr (options, "_netdev") != NULL)
    *klass = CLASS_REMOTE;
  else if (g_hash_table_contains (nodev, type) && !g_str_equal (mountpoint, "/"))
    *klass = CLASS_VIRTUAL;
  else
    *klass = CLASS_LOCAL;
  *env = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (*env, g_strconcat ("DEVICE=", device, NULL));
  g_ptr_array_add (*env, g_strconcat ("MOUNTPOINT=", mountpoint, NULL));
  g_ptr_array_add (*env, g_strconcat ("TYPE=", type, NULL));
  g_ptr_array_add (*env, g_strconcat ("OPTIONS=", options, NULL));
  return TRUE;
}

/* ---- the run level ---- */

/* RUNLEVEL and PREVLEVEL from utmp's run-level record, else systemd's default target. */
static GPtrArray *
runlevel_env (const InitBootSourceOptions *o)
{
  GPtrArray *env = g_ptr_array_new_with_free_func (g_free);
  char level = 0, prev = 0;
  struct utmpx *ut;

  if (utmpxname (o->utmp) == 0)
    {
      setutxent ();
      while ((ut = getutxent ()) != NULL)
        if (ut->ut_type == RUN_LVL)
          {
            level = (char) (ut->ut_pid & 0xff);
            prev = (char) ((ut->ut_pid >> 8) & 0xff);
          }
      endutxent ();
    }
  if (!g_ascii_isalnum (level))
    {
      g_autofree char *target = g_file_read_link (o->default_target, NULL);

      level = '2';
      if (target != NULL && g_str_has_suffix (target, "graphical.target"))
        level = '5';
      else if (target != NULL && g_str_has_suffix (target, "rescue.target"))
        level = '1';
    }
  if (!g_ascii_isalnum (prev))
    prev = 'N';
  g_ptr_array_add (env, g_strdup_printf ("RUNLEVEL=%c", level));
  g_ptr_array_add (env, g_strdup_printf ("PREVLEVEL=%c", prev));
  return env;
}

/* ---- the plan ---- */

static GPtrArray *
plan_milestones (const InitBootSourceOptions *o)
{
  static const char *const aggregates[] = {
    "virtual-filesystems", "local-filesystems", "remote-filesystems"
  };
  GPtrArray *plan = g_ptr_array_new_with_free_func (milestone_free);
  g_autoptr(GHashTable) nodev = read_nodev_types (o->filesystems);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr(GPtrArray) runlevel = NULL;

  if (!g_file_get_contents (o->mountinfo, &text, NULL, NULL))
    text = g_strdup ("");
  lines = g_strsplit (text, "\n", -1);
  for (MountClass klass = CLASS_VIRTUAL; klass <= CLASS_REMOTE; klass++)
    {
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autoptr(GPtrArray) env = NULL;
          MountClass line_class;

          if (parse_mount (o, nodev, lines[i], &env, &line_class) && line_class == klass)
            add_milestone (plan, "mounted", env);
        }
      add_milestone (plan, aggregates[klass], NULL);
    }
  add_milestone (plan, "filesystem", NULL);
  runlevel = runlevel_env (o);
  add_milestone (plan, "runlevel", runlevel);
  return plan;
}

GPtrArray *
init_boot_source_plan (const InitBootSourceOptions *options)
{
  g_autoptr(GPtrArray) plan = plan_milestones (options);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < plan->len; i++)
    {
      Milestone *m = g_ptr_array_index (plan, i);
      GString *line = g_string_new (m->name);

      for (guint j = 0; j < m->env->len; j++)
        g_string_append_printf (line, " %s", (char *) g_ptr_array_index (m->env, j));
      g_ptr_array_add (lines, g_string_free (line, FALSE));
    }
  return lines;
}

/* ---- emitting, one after the other ---- */

static void emit_next (InitBootSource *self);

static void
on_finished (InitEvent *event,
             gpointer   user_data)
{
  InitBootSource *self = user_data;

  g_clear_pointer (&self->current, init_event_unref);
  emit_next (self);
}

/* Like mountall, which waited for init's answer to each `mounted' (a hook) but only for the
 * queueing of the others (virtual-filesystems … filesystem, and telinit's runlevel): a
 * `mounted' holds the rest back until it finished, the others only keep their order.  (An
 * aggregate may stay unfinished for long: `start on filesystem and runlevel' holds it until
 * the runlevel.)  Those no job names are left out. */
static void
emit_next (InitBootSource *self)
{
  g_autoptr(InitCause) cause = init_cause_new (INIT_CAUSE_STARTUP);

  init_engine_push_cause (self->engine, cause);
  while (self->current == NULL && self->queue->len > 0)
    {
      Milestone *m = g_ptr_array_steal_index (self->queue, 0);

      if (g_hash_table_contains (self->wanted, m->name))
        {
          InitEvent *event = init_engine_emit (self->engine, m->name, m->env, NULL, NULL);

          if (m->wait)
            {
              self->current = init_event_ref (event);
              init_event_add_watcher (event, on_finished, self);
            }
        }
      milestone_free (m);
    }
  init_engine_pop_cause (self->engine);
}

/* Has this boot had its milestones?  Records the boot id if not. */
static gboolean
already_this_boot (InitBootSource *self)
{
  const InitBootSourceOptions *o = &self->options;
  g_autofree char *id = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *dir = g_path_get_dirname (o->boot_id_file);
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (o->boot_id, &id, NULL, NULL))
    id = g_strdup ("");
  g_strstrip (id);
  if (g_file_get_contents (o->boot_id_file, &seen, NULL, NULL)
      && g_str_equal (g_strstrip (seen), id) && id[0] != '\0')
    return TRUE;
  if (g_mkdir_with_parents (dir, 0700) < 0
      || !g_file_set_contents_full (o->boot_id_file, id, -1,
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning (_("Cannot record the boot id in %s: %s"), o->boot_id_file,
               error != NULL ? error->message : g_strerror (errno));
  return FALSE;
}

void
init_boot_source_run (InitBootSource *self)
{
  g_autofree char *detail = NULL;

  g_return_if_fail (!self->ran);
  self->ran = TRUE;
  if (already_this_boot (self))
    {
      init_source_report (&self->parent, self->parent.state,
                          _("emitted earlier in this boot"));
      return;
    }
  g_ptr_array_extend_and_steal (self->queue, plan_milestones (&self->options));
  if (g_hash_table_size (self->wanted) > 0)
    init_source_report (&self->parent, INIT_SOURCE_ACTIVE, _("emitted in this boot"));
  emit_next (self);
}

/* ---- as a source ---- */

static void
boot_arm (InitSource *parent,
          GPtrArray  *leaves)
{
  InitBootSource *self = (InitBootSource *) parent;

  g_hash_table_remove_all (self->wanted);
  for (guint i = 0; i < leaves->len; i++)
    {
      const InitSourceLeaf *leaf = g_ptr_array_index (leaves, i);

      g_hash_table_add (self->wanted, g_strdup (leaf->leaf->name));
    }
  if (self->ran)
    init_source_report (parent, INIT_SOURCE_ACTIVE, self->queue->len > 0
                        ? _("emitted in this boot") : _("emitted earlier in this boot"));
}

static void
boot_disarm (InitSource *parent)
{
  g_hash_table_remove_all (((InitBootSource *) parent)->wanted);
}

static void
boot_free (InitSource *parent)
{
  InitBootSource *self = (InitBootSource *) parent;
  InitBootSourceOptions *o = &self->options;

  g_free ((char *) o->boot_id_file);
  g_free ((char *) o->mountinfo);
  g_free ((char *) o->fstab);
  g_free ((char *) o->filesystems);
  g_free ((char *) o->utmp);
  g_free ((char *) o->boot_id);
  g_free ((char *) o->default_target);
  if (self->current != NULL)
    init_event_remove_watcher (self->current, on_finished, self);
  g_clear_pointer (&self->current, init_event_unref);
  g_hash_table_unref (self->wanted);
  g_ptr_array_unref (self->queue);
  g_free (self);
}

static const InitSourceClass boot_class = { boot_arm, boot_disarm, boot_free };
static const char *const boot_events[] = {
  "mounted", "virtual-filesystems", "local-filesystems", "remote-filesystems", "filesystem",
  "runlevel", NULL
};

InitBootSource *
init_boot_source_new (InitEngine                  *engine,
                      const InitBootSourceOptions *options)
{
  InitBootSource *self = g_new0 (InitBootSource, 1);
  const InitBootSourceOptions *o = options;

  g_return_val_if_fail (options != NULL && options->boot_id_file != NULL, NULL);
  self->parent = (InitSource) { &boot_class, "boot", boot_events };
  self->engine = engine;
  self->options = (InitBootSourceOptions) {
    g_strdup (o->boot_id_file),
    g_strdup (o->mountinfo != NULL ? o->mountinfo : "/proc/self/mountinfo"),
    g_strdup (o->fstab != NULL ? o->fstab : "/etc/fstab"),
    g_strdup (o->filesystems != NULL ? o->filesystems : "/proc/filesystems"),
    g_strdup (o->utmp != NULL ? o->utmp : _PATH_UTMPX),
    g_strdup (o->boot_id != NULL ? o->boot_id : "/proc/sys/kernel/random/boot_id"),
    g_strdup (o->default_target != NULL ? o->default_target
                                        : "/etc/systemd/system/default.target"),
  };
  self->wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->queue = g_ptr_array_new_with_free_func (milestone_free);
  return self;
}
