#!/bin/sh
# check-man.sh CHECK ARGS... — the man page tests (data/man/meson.build).
#   lint PAGE              render with groff -ww and man -l, lint with mandoc: any warning fails
#   options PAGE PROGRAM   every option PROGRAM --help lists is documented in PAGE
#   commands PAGE PROGRAM  every command PROGRAM --help lists is documented in PAGE
#   stanzas PAGE SOURCE    every stanza in the parser's table (SOURCE) is documented in PAGE
# Exit 0 pass, 1 fail, 77 skip (only when a tool or the program is missing; CI has them all).
set -u
check=$1; shift
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
need() { command -v "$1" >/dev/null 2>&1 || skip "$1 not installed"; }

# The page source as plain text: \- as -, font escapes and \& removed (for grepping names).
plain() {
  sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\e/\\/g' "$1"
}

# Is the option/word $2 written in page $1 (not as a prefix of a longer name)?
documented() {
  plain "$1" | grep -Eq -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)"
}

# The commands a --help text lists: the first word of the indented lines of its
# "Commands:" section.
commands_of() {
  printf '%s\n' "$1" | awk '
    /^[A-Za-z ]*[Cc]ommands?:[ \t]*$/ { on = 1; next }
    on && /^[^ \t]/ { on = 0 }
    on && /^[ \t]+[a-z][a-z-]*([ \t]|$)/ { print $1 }' | sort -u
}

case $check in
lint)
  page=$1
  need groff
  need man
  need mandoc
  [ -s "$page" ] || fail "$page is missing or empty"
  if grep -n '@[A-Za-z_]*@' "$page"; then
    fail "$page has unsubstituted @VARIABLES@"
  fi
  name=$(basename "$page")
  title=$(sed -n 's/^\.TH \([^ ]*\) \([^ ]*\) .*/\1.\2/p' "$page" | tr 'A-Z' 'a-z')
  [ "$title" = "$name" ] || fail "$page: .TH says $title"
  out=$(groff -man -Tutf8 -ww -z "$page" 2>&1) || fail "groff failed on $page: $out"
  [ -z "$out" ] || fail "groff warns on $page:
$out"
  # man-db's own pipeline (preconv, tbl, groff with warnings) as a reader would see it.
  out=$(MANWIDTH=80 MAN_KEEP_STDERR=1 man --warnings=w -E UTF-8 -P cat -l "$page" 2>&1 >/dev/null) \
    || fail "man -l failed on $page: $out"
  [ -z "$out" ] || fail "man -l warns on $page:
$out"
  MANWIDTH=80 man -E UTF-8 -P cat -l "$page" 2>/dev/null | grep -q 'NAME' \
    || fail "man -l renders nothing useful for $page"
  out=$(mandoc -T lint -W warning "$page" 2>&1)
  [ -z "$out" ] || fail "mandoc warns on $page:
$out"
  ;;
options)
  # The options of PROGRAM --help and, if it lists commands, of PROGRAM COMMAND --help.
  page=$1; program=$2
  [ -x "$program" ] || skip "$program not built"
  help=$("$program" --help 2>&1) || fail "$program --help failed"
  for c in $(commands_of "$help"); do
    help="$help
$("$program" "$c" --help 2>&1)" || fail "$program $c --help failed"
  done
  opts=$(printf '%s\n' "$help" | grep -Eo -- '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' \
         | sed 's/^[ ,]*//' | sort -u)
  [ -n "$opts" ] || fail "no options found in $program --help"
  missing=""
  for o in $opts; do
    documented "$page" "$o" || missing="$missing $o"
  done
  [ -z "$missing" ] || fail "$page does not document:$missing"
  echo "$(printf '%s\n' "$opts" | wc -l) options documented"
  ;;
commands)
  # Commands are the first word of indented lines in a "Commands:" section of --help.
  page=$1; program=$2
  [ -x "$program" ] || skip "$program not built"
  help=$("$program" --help 2>&1) || fail "$program --help failed"
  cmds=$(commands_of "$help")
  [ -n "$cmds" ] || fail "no commands found in $program --help"
  missing=""
  for c in $cmds; do
    # A bold word of a macro line (".B start", ".BR monitor \", \" events").
    plain "$page" | grep -Eq -- "^\.(B|BR|BI)[ ](.*[ \"])?$c([ \"]|\$)" || missing="$missing $c"
  done
  [ -z "$missing" ] || fail "$page does not document the commands:$missing"
  echo "$(printf '%s\n' "$cmds" | wc -l) commands documented"
  ;;
stanzas)
  page=$1; source=$2
  stanzas=$(sed -n 's/^ *{ "\([a-z-]*\)", \(stanza_\|init_job_stanza_\).*/\1/p' "$source" | sort -u)
  [ -n "$stanzas" ] || fail "no stanza table found in $source"
  missing=""
  for s in $stanzas; do
    plain "$page" | grep -Eq -- "^\.(B|BI|BR|TP)[ ]+\"?$s([ \"]|\$)" || missing="$missing $s"
  done
  [ -z "$missing" ] || fail "$page does not document the stanzas:$missing"
  echo "$(printf '%s\n' "$stanzas" | wc -l) stanzas documented"
  ;;
*)
  fail "unknown check $check"
  ;;
esac
