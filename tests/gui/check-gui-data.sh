#!/bin/sh
# check-gui-data.sh CHECK FILE... — validate init-admin's data files and the translations.
# Exit 0 pass, 1 fail, 77 skip (only when a tool is not installed; CI installs them all).
set -u
check=$1; shift
fail() { echo "FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 not installed" >&2; exit 77; }; }

case $check in
desktop)
  need desktop-file-validate
  desktop-file-validate "$1" || fail "$1 is not a valid desktop file"
  grep -q '^Name\[de\]=' "$1" || fail "$1 has no German name (translations not merged)"
  ;;
metainfo)
  need appstreamcli
  appstreamcli validate --no-net --pedantic "$1" || fail "$1 does not validate"
  grep -q 'screenshot' "$1" || fail "$1 has no screenshot"
  grep -q 'xml:lang="de"' "$1" || fail "$1 has no German text (translations not merged)"
  ;;
xml)
  # Well-formed XML: the .ui templates, the shortcuts window, the icons.
  need xmllint
  for f in "$@"; do
    xmllint --noout "$f" || fail "$f is not well-formed"
  done
  ;;
ui)
  # Every user-visible property in the templates is marked translatable.
  need xmllint
  for f in "$@"; do
    xmllint --noout "$f" || fail "$f is not well-formed"
    for p in label title description placeholder-text tooltip-text dropdown-tooltip; do
      n=$(xmllint --xpath "count(//property[@name='$p'][not(@translatable='yes')][normalize-space(.)!=''])" "$f")
      [ "$n" = 0 ] || fail "$f: $n $p properties are not translatable"
    done
    n=$(xmllint --xpath "count(//attribute[@name='label'][not(@translatable='yes')])" "$f")
    [ "$n" = 0 ] || fail "$f: $n menu labels are not translatable"
  done
  ;;
po)
  # msgfmt --check: well-formed, format strings match; and complete: nothing untranslated
  # or fuzzy.
  need msgfmt
  for f in "$@"; do
    msgfmt --check --statistics -o /dev/null "$f" 2>"$f.stats.$$" || { cat "$f.stats.$$" >&2; rm -f "$f.stats.$$"; fail "$f: msgfmt --check failed"; }
    stats=$(cat "$f.stats.$$"); rm -f "$f.stats.$$"
    echo "$f: $stats"
    case $stats in
      *untranslated*|*fuzzy*) fail "$f is not complete: $stats" ;;
    esac
  done
  ;;
*)
  fail "unknown check $check"
  ;;
esac
exit 0
