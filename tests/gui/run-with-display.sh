#!/bin/sh
# run-with-display.sh CMD... — run a GUI test with its own X server and a private session bus.
#
# A private Xvfb (-ac: the denied-action test runs part of itself as another user), GTK kept
# away from the desktop (no accessibility bus, in-memory settings, a private HOME and XDG
# directories) and dbus-run-session so nothing autolaunches a bus.  Exit 77 (skip) only when
# Xvfb or dbus-run-session is missing; CI installs both and fails on skips.
set -u
for tool in Xvfb dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-with-display: $tool is not installed" >&2
    exit 77
  fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/init-gui-test.XXXXXX") || exit 1
chmod 755 "$T"
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp -ac 3>"$T/display" 2>"$T/xvfb.log" &
xvfb=$!
cleanup() {
  [ -n "${test_pid:-}" ] && kill -TERM "-$test_pid" 2>/dev/null
  kill "$xvfb" 2>/dev/null
  wait "$xvfb" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT INT TERM

i=0
while [ ! -s "$T/display" ]; do
  if [ $i -ge 200 ] || ! kill -0 "$xvfb" 2>/dev/null; then
    echo "run-with-display: Xvfb did not start" >&2
    cat "$T/xvfb.log" >&2
    exit 1
  fi
  sleep 0.05
  i=$((i + 1))
done

DISPLAY=":$(cat "$T/display")"
export DISPLAY
unset WAYLAND_DISPLAY
mkdir -p "$T/home" "$T/config" "$T/cache" "$T/data" "$T/state" "$T/run"
chmod 700 "$T/run"
export HOME="$T/home" XDG_CONFIG_HOME="$T/config" XDG_CACHE_HOME="$T/cache" \
       XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state" XDG_RUNTIME_DIR="$T/run"
export GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory
export GSK_RENDERER="${GSK_RENDERER:-cairo}"

# In a process group of its own: whatever the test leaves behind if it aborts (the private
# bus and initd of tests/fixtures/dbus-fixture.c) is ended with it.
setsid dbus-run-session -- "$@" &
test_pid=$!
wait "$test_pid"
rc=$?
kill -TERM "-$test_pid" 2>/dev/null
exit $rc
