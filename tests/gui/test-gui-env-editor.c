/* test-gui-env-editor.c — the KEY=VALUE list of the Start and Emit dialogs
 *
 * The real widget in a window on the private display (run-with-display.sh), driven through
 * its entries and buttons; no daemon.  Each case checks what the dialogs rely on: the
 * environment it gives back, when it is valid, what it says about a missing instance value.
 */
#define G_LOG_DOMAIN "init-admin-test"

#include "gui-fake-daemon.h"
#include "gui-test-util.h"
#include "test-util.h"
#include "init-admin-env-editor.h"

typedef struct
{
  GtkWindow          *window;
  InitAdminEnvEditor *editor;
  guint               valid_notes;
} Fixture;

static void
on_valid_notify (GObject    *object,
                 GParamSpec *pspec,
                 Fixture    *fx)
{
  fx->valid_notes++;
}

static void
fixture_set_up (Fixture      *fx,
                gconstpointer data)
{
  fx->window = GTK_WINDOW (gtk_window_new ());
  fx->editor = INIT_ADMIN_ENV_EDITOR (init_admin_env_editor_new ());
  gtk_window_set_child (fx->window, GTK_WIDGET (fx->editor));
  gtk_window_present (fx->window);
  g_signal_connect (fx->editor, "notify::valid", G_CALLBACK (on_valid_notify), fx);
}

static void
fixture_tear_down (Fixture      *fx,
                   gconstpointer data)
{
  gtk_window_destroy (fx->window);
  gui_test_spin (10);
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* The editor's entries (GtkEntry), in order. */
static GPtrArray *
entries (Fixture *fx)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (GTK_WIDGET (fx->editor), GTK_TYPE_ENTRY, found);
  return found;
}

static GtkEditable *
entry_at (Fixture *fx,
          guint    i)
{
  g_autoptr(GPtrArray) all = entries (fx);

  g_assert_cmpuint (i, <, all->len);
  return GTK_EDITABLE (g_ptr_array_index (all, i));
}

static guint
n_entries (Fixture *fx)
{
  g_autoptr(GPtrArray) all = entries (fx);

  return all->len;
}

/* The environment joined by "|". */
static char *
env_text (Fixture *fx)
{
  g_auto (GStrv) env = init_admin_env_editor_get_env (fx->editor);

  return g_strjoinv ("|", env);
}

/* The remove button of entry @i (the button beside it). */
static GtkWidget *
remove_button_of (Fixture *fx,
                  guint    i)
{
  GtkWidget *button = gtk_widget_get_next_sibling (GTK_WIDGET (entry_at (fx, i)));

  g_assert_true (GTK_IS_BUTTON (button));
  return button;
}

/* What is set comes back in order; blank entries are left out; an empty environment
 * leaves one blank entry to type into. */
static void
test_round_trip (Fixture      *fx,
                 gconstpointer data)
{
  const char *const env[] = { "B=2", "A=1", "C=x y", NULL };

  init_admin_env_editor_set_env (fx->editor, env);
  g_assert_cmpuint (n_entries (fx), ==, 3);
  gui_assert_text (env_text (fx), "B=2|A=1|C=x y");
  gtk_editable_set_text (entry_at (fx, 1), "");
  gui_assert_text (env_text (fx), "B=2|C=x y");

  init_admin_env_editor_set_env (fx->editor, NULL);
  g_assert_cmpuint (n_entries (fx), ==, 1);
  gui_assert_text (env_text (fx), "");
  g_assert_true (init_admin_env_editor_get_valid (fx->editor));
}

/* An entry that is not NAME=value makes the editor invalid (notified once) and is marked;
 * correcting it makes the editor valid again. */
static void
test_invalid_entry (Fixture      *fx,
                    gconstpointer data)
{
  const char *const env[] = { "GOOD=1", NULL };
  GtkEditable *second;

  init_admin_env_editor_set_env (fx->editor, env);
  fx->valid_notes = 0;
  g_signal_emit_by_name (gui_test_child (fx->editor, INIT_ADMIN_TYPE_ENV_EDITOR, "add_button"), "clicked");
  g_assert_cmpuint (n_entries (fx), ==, 2);
  second = entry_at (fx, 1);
  gtk_editable_set_text (second, "9LIVES=x");
  g_assert_false (init_admin_env_editor_get_valid (fx->editor));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (second), "error"));
  g_assert_cmpuint (fx->valid_notes, ==, 1);
  /* (Replacing the text empties the entry first: validity may change on the way.) */
  gtk_editable_set_text (second, "NOVALUE");
  g_assert_false (init_admin_env_editor_get_valid (fx->editor));

  fx->valid_notes = 0;
  gtk_editable_set_text (second, "LIVES=9");
  g_assert_true (init_admin_env_editor_get_valid (fx->editor));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (second), "error"));
  g_assert_cmpuint (fx->valid_notes, >=, 1);
  gui_assert_text (env_text (fx), "GOOD=1|LIVES=9");
}

/* Removing the entry that was wrong makes the editor valid; removing entries keeps the
 * others in order. */
static void
test_remove_entry (Fixture      *fx,
                   gconstpointer data)
{
  const char *const env[] = { "A=1", "-bad", "C=3", NULL };

  init_admin_env_editor_set_env (fx->editor, env);
  g_assert_false (init_admin_env_editor_get_valid (fx->editor));
  g_signal_emit_by_name (remove_button_of (fx, 1), "clicked");
  g_assert_true (init_admin_env_editor_get_valid (fx->editor));
  g_assert_cmpuint (n_entries (fx), ==, 2);
  gui_assert_text (env_text (fx), "A=1|C=3");
  g_signal_emit_by_name (remove_button_of (fx, 0), "clicked");
  gui_assert_text (env_text (fx), "C=3");
}

/* A variable that names the instance must have a value: until it has, the editor is
 * invalid and says which one under the entries; "NAME=" is no value, NAME2=… not NAME. */
static void
test_required_names (Fixture      *fx,
                     gconstpointer data)
{
  const char *const env[] = { "TTY=", NULL };
  const char *const required[] = { "TTY", NULL };
  GtkWidget *message = gui_test_child (fx->editor, INIT_ADMIN_TYPE_ENV_EDITOR, "message_label");

  init_admin_env_editor_set_env (fx->editor, env);
  g_assert_true (init_admin_env_editor_get_valid (fx->editor));
  g_assert_false (gtk_widget_get_visible (message));

  init_admin_env_editor_set_required (fx->editor, required);
  g_assert_false (init_admin_env_editor_get_valid (fx->editor));
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==, "TTY needs a value: it names the instance.");

  gtk_editable_set_text (entry_at (fx, 0), "TTY2=tty1");
  g_assert_false (init_admin_env_editor_get_valid (fx->editor));
  gtk_editable_set_text (entry_at (fx, 0), "TTY=tty1");
  g_assert_true (init_admin_env_editor_get_valid (fx->editor));
  g_assert_false (gtk_widget_get_visible (message));

  init_admin_env_editor_set_required (fx->editor, NULL);
  gtk_editable_set_text (entry_at (fx, 0), "TTY=");
  g_assert_true (init_admin_env_editor_get_valid (fx->editor));
}

/* Focusing the first entry puts the cursor after a prefilled "NAME=", nothing selected,
 * so typing adds the value. */
static void
test_focus_first (Fixture      *fx,
                  gconstpointer data)
{
  const char *const env[] = { "TTY=", "OTHER=1", NULL };
  int start = -1, end = -1;

  init_admin_env_editor_set_env (fx->editor, env);
  gui_test_settle (GTK_WIDGET (fx->window));
  g_assert_true (init_admin_env_editor_focus_first (fx->editor));
  {
    GtkWidget *first = GTK_WIDGET (entry_at (fx, 0));
    GtkWidget *focus = gtk_window_get_focus (fx->window);

    /* An entry's focus is its text child. */
    g_assert_true (focus != NULL && (focus == first || gtk_widget_is_ancestor (focus, first)));
  }
  g_assert_cmpint (gtk_editable_get_position (entry_at (fx, 0)), ==, 4);
  g_assert_false (gtk_editable_get_selection_bounds (entry_at (fx, 0), &start, &end));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/gui/env-editor/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("invalid-entry", test_invalid_entry);
  ADD ("remove-entry", test_remove_entry);
  ADD ("required-names", test_required_names);
  ADD ("focus-first", test_focus_first);
#undef ADD
  return g_test_run ();
}
