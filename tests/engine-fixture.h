/* engine-fixture.h — an in-process engine with a private conf dir, for engine tests */
#pragma once

#include <glib.h>

#include "init-engine.h"

G_BEGIN_DECLS

typedef struct
{
  InitEngine *engine;
  char       *dir;        /* scratch dir: conf/ logs/ and files jobs write */
  char       *confdir;
  char       *logdir;
  GPtrArray  *events;     /* "name K=V K=V" of every finished event, in order */
  GPtrArray  *queued;     /* names of every queued event, in order */
  GPtrArray  *states;     /* "job goal/state" on every instance change, in order */
} Fixture;

/* Engines made by fixture_setup follow forks by scanning /proc when this is TRUE. */
extern gboolean fixture_no_proc_connector;
void        fixture_setup       (Fixture *fx, gconstpointer data);
/* Follow fx->engine again (events, states) after replacing it. */
void        fixture_reconnect   (Fixture *fx);
void        fixture_teardown    (Fixture *fx, gconstpointer data);

/* Parse @text (printf format; %1$s in it stands for fx->dir if used via fixture_path) and
 * install it as job @name directly (no file). Fails the test on parse errors. */
void        fixture_define      (Fixture *fx, const char *name, const char *text);
/* Write @text as confdir/@name.conf. */
void        fixture_write_conf  (Fixture *fx, const char *name, const char *text);
/* A path inside the scratch dir (newly allocated). */
char       *fixture_path        (Fixture *fx, const char *name);

/* Emit and run the main loop until the event finished; returns the event's failed flag. */
gboolean    fixture_emit_wait   (Fixture *fx, const char *name, ...) G_GNUC_NULL_TERMINATED;
/* Emit without waiting. */
void        fixture_emit        (Fixture *fx, const char *name, ...) G_GNUC_NULL_TERMINATED;

/* "goal/state" of @job's instance @instance ("" for singletons), or "stop/waiting". */
char       *fixture_status      (Fixture *fx, const char *job, const char *instance);
/* Wait (generous timeout) until fixture_status equals @status. */
void        fixture_wait_status (Fixture *fx, const char *job, const char *instance, const char *status);
/* Wait until @path holds at least one complete line and return its contents. */
char       *fixture_wait_file   (Fixture *fx, const char *path);
/* Has an event line equal to @line finished? */
gboolean    fixture_saw_event   (Fixture *fx, const char *line);
/* Wait (generous timeout) until an event line equal to @line has finished. */
void        fixture_wait_event  (Fixture *fx, const char *line);
/* Index of the first finished event named @name (by name only), or -1. */
int         fixture_event_index (Fixture *fx, const char *name);
/* Main pid of the instance (0 if none). */
int         fixture_main_pid    (Fixture *fx, const char *job, const char *instance);

typedef struct
{
  gboolean  done;
  GError   *error;
} FixtureReply;

/* InitJobDoneFunc that fills a FixtureReply. */
void        fixture_reply_cb    (InitJob *job, const GError *error, gpointer user_data);
void        fixture_wait_reply  (FixtureReply *reply);

G_END_DECLS
