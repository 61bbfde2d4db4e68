/* xtest-driver.c — the real init-admin, typed at and clicked like a person */
#define G_LOG_DOMAIN "init-admin-xtest"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "test-util.h"
#include "xtest-driver.h"

#define WAIT_MS 20000
#define WINDOW_WAIT_MS 10000

struct _Xtest
{
  DBusFixture *fx;
  Display     *display;
  GSubprocess *wm;
  GSubprocess *app;
  char        *prefix;
  GPtrArray   *events;      /* GStrv: name, then env */
  guint        subscription;
};

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
xtest_pause (Xtest *xt,
             guint  ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* A person's pause between two keys. */
static void
human_pause (Xtest *xt)
{
  xtest_pause (xt, g_test_rand_int_range (150, 351));
}

static int
xdotool (Xtest             *xt,
         const char *const *args,
         char             **out)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;

  g_strv_builder_add (builder, "xdotool");
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  return dbus_fixture_run (xt->fx, (const char *const *) argv, out, NULL);
}

void
xtest_type (Xtest      *xt,
            const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_autofree char *ch = g_strndup (p, g_utf8_next_char (p) - p);
      const char *const args[] = { "type", "--delay", "0", "--", ch, NULL };

      g_assert_cmpint (xdotool (xt, args, NULL), ==, 0);
      human_pause (xt);
    }
}

void
xtest_key (Xtest      *xt,
           const char *keys)
{
  const char *const args[] = { "key", "--clearmodifiers", keys, NULL };

  g_test_message ("key %s", keys);
  g_assert_cmpint (xdotool (xt, args, NULL), ==, 0);
  human_pause (xt);
}

gboolean
xtest_window_shown (Xtest      *xt,
                    const char *title)
{
  const char *const args[] = { "search", "--onlyvisible", "--name", title, NULL };
  g_autofree char *out = NULL;

  return xdotool (xt, args, &out) == 0 && out != NULL && out[0] != '\0';
}

/* The app's main window, as xdotool names it. */
static char *
main_window_id (Xtest *xt)
{
  const char *const args[] = { "search", "--onlyvisible", "--name", "^Init Admin$", NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (xdotool (xt, args, &out), ==, 0);
  g_assert_nonnull (out);
  return g_strndup (out, strcspn (out, "\n"));
}

void
xtest_resize (Xtest *xt,
              guint  width,
              guint  height)
{
  g_autofree char *id = main_window_id (xt);
  g_autofree char *w = g_strdup_printf ("%u", width);
  g_autofree char *h = g_strdup_printf ("%u", height);
  const char *const args[] = { "windowsize", "--sync", id, w, h, NULL };

  g_test_message ("resize %s×%s", w, h);
  xdotool (xt, args, NULL);    /* --sync fails when the window refuses the size */
  xtest_pause (xt, 800);
}

guint
xtest_window_width (Xtest *xt)
{
  g_autofree char *id = main_window_id (xt);
  XWindowAttributes attrs;

  XSync (xt->display, False);
  g_assert_true (XGetWindowAttributes (xt->display, (Window) g_ascii_strtoull (id, NULL, 10), &attrs));
  return attrs.width;
}

gboolean
xtest_wait_window (Xtest      *xt,
                   const char *title)
{
  gint64 end = g_get_monotonic_time () + WINDOW_WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      if (xtest_window_shown (xt, title))
        return TRUE;
      xtest_pause (xt, 50);
    }
  return FALSE;
}

guint
xtest_count_popups (Xtest *xt)
{
  Window root, parent, *children = NULL;
  unsigned int n = 0;
  guint popups = 0;

  XSync (xt->display, False);
  if (!XQueryTree (xt->display, DefaultRootWindow (xt->display), &root, &parent, &children, &n))
    return 0;
  for (unsigned int i = 0; i < n; i++)
    {
      XWindowAttributes attrs;

      if (XGetWindowAttributes (xt->display, children[i], &attrs)
          && attrs.map_state == IsViewable && attrs.override_redirect
          && attrs.width > 1 && attrs.height > 1)
        popups++;
    }
  if (children != NULL)
    XFree (children);
  return popups;
}

/* ---- what the daemon did ---- */

static void
on_event_emitted (GDBusConnection *connection,
                  const char      *sender,
                  const char      *path,
                  const char      *iface,
                  const char      *signal,
                  GVariant        *params,
                  gpointer         user_data)
{
  Xtest *xt = user_data;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree const char **env = NULL;
  const char *name;
  guint64 id;

  g_variant_get_child (params, 0, "t", &id);
  g_variant_get_child (params, 1, "&s", &name);
  g_variant_get_child (params, 2, "^a&s", &env);
  g_strv_builder_add (builder, name);
  g_strv_builder_addv (builder, env);
  g_test_message ("daemon emitted %s", name);
  g_ptr_array_add (xt->events, g_strv_builder_end (builder));
}

GStrv
xtest_wait_event (Xtest      *xt,
                  const char *name)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      for (guint i = 0; i < xt->events->len; i++)
        {
          GStrv event = g_ptr_array_index (xt->events, i);

          if (g_str_equal (event[0], name))
            return g_strdupv (event + 1);
        }
      xtest_pause (xt, 50);
    }
  g_free (xtest_screenshot (xt, "no-event"));
  return NULL;
}

char *
xtest_events_seen (Xtest *xt)
{
  g_autoptr(GString) seen = g_string_new ("");

  for (guint i = 0; i < xt->events->len; i++)
    g_string_append_printf (seen, "%s%s", i > 0 ? " " : "",
                            ((GStrv) g_ptr_array_index (xt->events, i))[0]);
  return g_string_free (g_steal_pointer (&seen), FALSE);
}

char *
xtest_wait_file (const char *path)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      char *text = NULL;

      if (g_file_get_contents (path, &text, NULL, NULL) && text[0] != '\0')
        return text;
      g_free (text);
      g_usleep (50 * 1000);
    }
  return NULL;
}

/* ---- screenshots ---- */

static guint
mask_shift (unsigned long mask)
{
  guint shift = 0;

  while (mask != 0 && (mask & 1) == 0)
    {
      mask >>= 1;
      shift++;
    }
  return shift;
}

/* The whole screen, as it is now. */
static GdkPixbuf *
capture (Xtest *xt)
{
  Window root = DefaultRootWindow (xt->display);
  XWindowAttributes attrs;
  GdkPixbuf *pixbuf;
  XImage *image;
  guchar *pixels;
  int stride;

  XSync (xt->display, False);
  XGetWindowAttributes (xt->display, root, &attrs);
  image = XGetImage (xt->display, root, 0, 0, attrs.width, attrs.height, AllPlanes, ZPixmap);
  g_assert_nonnull (image);
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, attrs.width, attrs.height);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < attrs.height; y++)
    for (int x = 0; x < attrs.width; x++)
      {
        unsigned long p = XGetPixel (image, x, y);
        guchar *out = pixels + y * stride + x * 3;

        out[0] = (p & image->red_mask) >> mask_shift (image->red_mask);
        out[1] = (p & image->green_mask) >> mask_shift (image->green_mask);
        out[2] = (p & image->blue_mask) >> mask_shift (image->blue_mask);
      }
  XDestroyImage (image);
  return pixbuf;
}

char *
xtest_screenshot (Xtest      *xt,
                  const char *step)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = capture (xt);
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("xtest-%s-%s.png", xt->prefix, step);
  char *path = g_build_filename (dir, file, NULL);

  g_mkdir_with_parents (dir, 0755);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
  return path;
}

guint
xtest_longest_dark_run (Xtest *xt)
{
  g_autoptr(GdkPixbuf) pixbuf = capture (xt);
  const guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint longest = 0;

  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    {
      guint run = 0;

      for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
        {
          const guchar *p = pixels + y * stride + x * 3;
          guint sum = p[0] + p[1] + p[2];

          /* Text colour, not the black of the bare screen around the windows. */
          run = sum > 0 && sum < 3 * 100 ? run + 1 : 0;
          longest = MAX (longest, run);
        }
    }
  return longest;
}

/* ---- set-up ---- */

/* A window manager owns the screen once the root window names its check window. */
static gboolean
wm_running (Display *display)
{
  Atom check = XInternAtom (display, "_NET_SUPPORTING_WM_CHECK", False);
  Atom type;
  int format;
  unsigned long n, left;
  unsigned char *data = NULL;
  gboolean running;

  if (XGetWindowProperty (display, DefaultRootWindow (display), check, 0, 1, False, XA_WINDOW,
                          &type, &format, &n, &left, &data) != Success)
    return FALSE;
  running = data != NULL && n == 1;
  if (data != NULL)
    XFree (data);
  return running;
}

static GSubprocess *
spawn (GSubprocessLauncher *launcher,
       const char *const   *argv)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_launcher_spawnv (launcher, argv, &error);

  g_assert_no_error (error);
  return process;
}

static void
start_window_manager (Xtest *xt)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *log = dbus_fixture_path (xt->fx, "openbox.log");
  const char *const argv[] = { "openbox", "--sm-disable", NULL };
  gint64 end = g_get_monotonic_time () + WINDOW_WAIT_MS * G_TIME_SPAN_MILLISECOND;

  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  xt->wm = spawn (launcher, argv);
  while (!wm_running (xt->display))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_usleep (20 * 1000);
    }
}

static void
start_app (Xtest *xt)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  const char *binary = g_getenv ("INIT_ADMIN");
  const char *po = g_getenv ("INIT_PO_BUILDDIR");
  const char *const argv[] = { binary, "--address", xt->fx->address, NULL };

  g_assert_nonnull (binary);
  if (po != NULL)
    g_subprocess_launcher_setenv (launcher, "INIT_LOCALEDIR", po, TRUE);
  xt->app = spawn (launcher, argv);
  g_assert_true (xtest_wait_window (xt, "^Init Admin$"));
  /* Where a person's pointer rests: off the window, so no tooltip comes up by chance. */
  {
    const char *const args[] = { "mousemove", "--sync", "1590", "990", NULL };

    g_assert_cmpint (xdotool (xt, args, NULL), ==, 0);
  }
  /* A person looks at the window for a moment before typing: the jobs load meanwhile. */
  xtest_pause (xt, 1500);
}

Xtest *
xtest_new (const char        *shot_prefix,
           const char *const *jobs)
{
  const char *const args[] = { "--startup-event", "go", NULL };
  Xtest *xt = g_new0 (Xtest, 1);

  xt->prefix = g_strdup (shot_prefix);
  xt->events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  xt->display = XOpenDisplay (NULL);
  g_assert_nonnull (xt->display);
  xt->fx = dbus_fixture_new (DBUS_FIXTURE_SESSION, NULL);
  for (guint i = 0; jobs != NULL && jobs[i] != NULL && jobs[i + 1] != NULL; i += 2)
    dbus_fixture_write_job (xt->fx, jobs[i], jobs[i + 1]);
  xt->subscription = g_dbus_connection_signal_subscribe (xt->fx->connection, NULL,
                                                         "org.example.Init", "EventEmitted",
                                                         NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                         on_event_emitted, xt, NULL);
  dbus_fixture_start_initd (xt->fx, args, NULL);
  /* initd sends EventEmitted only while a client is subscribed: from here on (the startup
   * event went out before anybody could subscribe). */
  dbus_fixture_subscribe (xt->fx);
  start_window_manager (xt);
  start_app (xt);
  return xt;
}

DBusFixture *
xtest_get_fixture (Xtest *xt)
{
  return xt->fx;
}

static void
end_process (GSubprocess *process)
{
  if (process == NULL)
    return;
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

void
xtest_free (Xtest *xt)
{
  g_autofree char *last = xtest_screenshot (xt, "end");

  end_process (xt->app);
  end_process (xt->wm);
  g_clear_object (&xt->app);
  g_clear_object (&xt->wm);
  if (xt->fx->connection != NULL)
    g_dbus_connection_signal_unsubscribe (xt->fx->connection, xt->subscription);
  dbus_fixture_free (xt->fx);
  XCloseDisplay (xt->display);
  g_ptr_array_unref (xt->events);
  g_free (xt->prefix);
  g_free (xt);
}
