#!/bin/sh
# check-wall.sh CC SRCROOT BUILDROOT — the engine cannot see the face: with exactly the engine's
# include directories, an engine header compiles and every face header is "not found".
set -u
cc=$1 src=$2 build=$3
# The engine's include directories are its folders (daemon/engine/meson.build): all of them.
inc="-I$build"
for dir in $(find "$src/daemon/engine" -type d); do
  inc="$inc -I$dir"
done
glib=$(pkg-config --cflags gio-unix-2.0)
probe=$(mktemp --suffix=.c) || exit 1
trap 'rm -f "$probe"' EXIT

echo '#include "init-engine.h"' >"$probe"
# shellcheck disable=SC2086
if ! $cc -fsyntax-only -include "$build/config.h" $inc $glib "$probe"; then
  echo "FAIL: the engine's own header does not compile with the engine's include dirs" >&2
  exit 1
fi
status=0
for header in "$src"/daemon/face/*.h; do
  name=$(basename "$header")
  echo "#include \"$name\"" >"$probe"
  # shellcheck disable=SC2086
  if $cc -fsyntax-only -include "$build/config.h" $inc $glib "$probe" 2>/dev/null; then
    echo "FAIL: an engine file can include the face header $name" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "ok: no face header is visible to the engine"
exit $status
