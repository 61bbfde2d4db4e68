#!/bin/sh
# check-wall.sh CC SRCROOT BUILDROOT — the walls inside initd: the engine sees neither the
# bridges nor the face, the bridges see the engine but not the face.  With exactly a layer's
# include directories its own header compiles and every header of a layer above it is
# "not found".
set -u
cc=$1 src=$2 build=$3
# The engine's include directories are its folders (daemon/engine/meson.build): all of them;
# the bridges' are daemon/bridges and the engine's (daemon/bridges/meson.build).
engine_inc="-I$build"
for dir in $(find "$src/daemon/engine" -type d); do
  engine_inc="$engine_inc -I$dir"
done
bridges_inc="$engine_inc -I$src/daemon/bridges"
glib=$(pkg-config --cflags gio-unix-2.0)
probe=$(mktemp --suffix=.c) || exit 1
trap 'rm -f "$probe"' EXIT
status=0

# compiles INC HEADER: does "#include HEADER" compile with the include flags INC?
compiles() {
  echo "#include \"$2\"" >"$probe"
  # shellcheck disable=SC2086
  $cc -fsyntax-only -include "$build/config.h" $1 $glib "$probe" 2>/dev/null
}

# wall LAYER INC OWN FORBIDDEN-DIR...: LAYER's own header OWN compiles with INC, no header of
# the forbidden directories does.
wall() {
  layer=$1 inc=$2 own=$3
  shift 3
  if ! compiles "$inc" "$own"; then
    echo "FAIL: $own does not compile with the $layer's include dirs" >&2
    status=1
  fi
  for dir in "$@"; do
    for header in "$dir"/*.h; do
      name=$(basename "$header")
      if compiles "$inc" "$name"; then
        echo "FAIL: a $layer file can include $name ($dir)" >&2
        status=1
      fi
    done
  done
}

wall engine "$engine_inc" init-engine.h "$src/daemon/bridges" "$src/daemon/face"
wall bridges "$bridges_inc" init-bridges.h "$src/daemon/face"
[ $status -eq 0 ] && echo "ok: the engine sees neither bridges nor face headers, the bridges no face header"
exit $status
