#!/bin/bash
# test-completion.sh SCRIPT [INITCTL [INITD]] — tests of the initctl bash completion.
#
# 1. Against a stub `initctl` (first in PATH) whose `list` and `show-config -e` output is
#    known: commands, options, job names, event names, the connection options passed on,
#    with and without bash-completion's helpers loaded.
# 2. If INITCTL is given and built: every command and option of `initctl --help` is offered.
# 3. If INITD is given too and dbus-daemon exists: against the real initctl and a real initd
#    on a private session bus (the output formats the completion parses are the real ones).
# Exit 0 pass, 1 fail.  Parts 2 and 3 are skipped (with a message) when a program is missing.
set -u
# Absolute: `. initctl` would search PATH, where the stub is.
script=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
initctl_bin=${2:-}
initd_bin=${3:-}

tmp=$(mktemp -d)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

failures=0
passes=0
fail() { echo "not ok - $*"; failures=$((failures + 1)); }
pass() { echo "ok - $*"; passes=$((passes + 1)); }

bash -n "$script" && pass "bash -n parses $script" || fail "bash -n $script"

# ---- the stub ------------------------------------------------------------------------
mkdir -p "$tmp/bin"
cat >"$tmp/bin/initctl" <<'EOF'
#!/bin/sh
# Records its arguments, answers list and show-config -e like initctl does.
echo "$*" >>"$STUB_LOG"
for a; do
    case $a in
    list)
        printf 'hello stop/waiting\n'
        printf 'heartbeat start/running, process 1234\n'
        printf '\tpost-start process 1240\n'
        printf 'tty (tty1) start/running, process 99\n'
        printf 'tty (tty2) start/running, process 98\n'
        printf 'net/apache stop/waiting\n'
        exit 0 ;;
    show-config)
        printf 'hello\n  emits greeted\n  emits net-device-*\n  start on startup (job:, env:)\n'
        printf 'heartbeat\n  start on stopped (job: hello, env: RESULT=ok)\n'
        printf '  stop on shutdown (job:, env:)\n'
        printf 'weather\n  start on weather (job:, env: KIND=rain)\n'
        printf '  start on weather (job:, env: KIND=snow)\n'
        printf '  stop on weather (job:, env: KIND!=$KIND)\n'
        exit 0 ;;
    esac
done
exit 1
EOF
chmod +x "$tmp/bin/initctl"

# complete LINE [helpers]: print the completions of LINE (the cursor at its end), sorted,
# space separated.  With "helpers", bash-completion's own functions are loaded first.
complete_line() {
    local line=$1 helpers=${2:-}
    STUB_LOG="$tmp/stub.log" PATH="$tmp/bin:$PATH" LINE="$line" HELPERS="$helpers" \
        SCRIPT="$script" bash --norc --noprofile -c '
        if [ -n "$HELPERS" ]; then
            . /usr/share/bash-completion/bash_completion || exit 3
        fi
        . "$SCRIPT"
        read -r -a COMP_WORDS <<<"$LINE"
        [[ $LINE == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$LINE
        COMP_POINT=${#LINE}
        COMP_TYPE=9
        COMP_KEY=9
        _initctl initctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " " | sed "s/ *$//"'
}

expect() {
    local line=$1 want=$2 helpers=${3:-} got
    got=$(complete_line "$line" "$helpers")
    if [ "$got" = "$want" ]; then
        pass "'$line<TAB>'${helpers:+ (with bash-completion)} gives '$want'"
    else
        fail "'$line<TAB>'${helpers:+ (with bash-completion)}: expected '$want', got '$got'"
    fi
}

variants=("")
if [ -r /usr/share/bash-completion/bash_completion ]; then
    variants+=(helpers)
else
    echo "# bash-completion not installed: testing the fallback path only"
fi

for h in "${variants[@]}"; do
    expect "initctl st" "start status stop" "$h"
    expect "initctl re" "reexec reload reload-configuration restart" "$h"
    expect "initctl ree" "reexec" "$h"
    expect "initctl di" "disable" "$h"
    expect "initctl enable he" "heartbeat hello" "$h"
    expect "initctl reexec " "" "$h"
    expect "initctl status --t" "--tree" "$h"
    expect "initctl status --tree t" "tty" "$h"
    expect "initctl list --t" "" "$h"
    expect "initctl list-s" "list-sources" "$h"
    expect "initctl list-sources --j" "--json" "$h"
    expect "initctl start " "heartbeat hello net/apache tty" "$h"
    expect "initctl stop he" "heartbeat hello" "$h"
    expect "initctl status t" "tty" "$h"
    expect "initctl start hello " "" "$h"
    expect "initctl start -n " "heartbeat hello net/apache tty" "$h"
    expect "initctl --system start h" "heartbeat hello" "$h"
    expect "initctl emit " "greeted shutdown started starting startup stopped stopping weather" "$h"
    expect "initctl emit w" "weather" "$h"
    expect "initctl emit weather " "" "$h"
    expect "initctl start --no" "--no-ask-password --no-wait" "$h"
    expect "initctl show-config --e" "--enumerate" "$h"
    expect "initctl --ses" "--session" "$h"
    expect "initctl --dest org.example.Init st" "start status stop" "$h"
    expect "initctl log-priority w" "warn" "$h"
done

# The connection options reach the query, so names come from the daemon that will act.
: >"$tmp/stub.log"
complete_line "initctl --session --dest org.example.Test start h" >/dev/null
if grep -qx -- "--session --dest org.example.Test list" "$tmp/stub.log"; then
    pass "connection options are passed to 'initctl list'"
else
    fail "connection options not passed on: $(cat "$tmp/stub.log")"
fi

# ---- the real initctl: commands and options ------------------------------------------
if [ -n "$initctl_bin" ] && [ -x "$initctl_bin" ]; then
    help=$("$initctl_bin" --help 2>&1)
    # shellcheck disable=SC1090
    . "$script"
    cmds=$(printf '%s\n' "$help" | awk '
        /^[A-Za-z ]*[Cc]ommands?:[ \t]*$/ { on = 1; next }
        on && /^[^ \t]/ { on = 0 }
        on && /^[ \t]+[a-z][a-z-]*([ \t]|$)/ { print $1 }')
    missing=""
    for c in $cmds; do
        [[ " $(echo $_initctl_commands) " == *" $c "* ]] || missing="$missing $c"
    done
    [ -n "$cmds" ] || missing=" (no commands found in initctl --help)"
    [ -z "$missing" ] && pass "every command of initctl --help is completed" \
        || fail "commands of initctl --help not completed:$missing"
else
    echo "# initctl not built: command list not checked against initctl --help"
fi

# ---- the real initctl and initd -------------------------------------------------------
dbus_daemon=$(command -v dbus-daemon || true)
if [ -n "$initctl_bin" ] && [ -x "$initctl_bin" ] && [ -n "$initd_bin" ] && [ -x "$initd_bin" ] \
    && [ -n "$dbus_daemon" ]; then
    mkdir -p "$tmp/conf/net" "$tmp/real"
    printf 'start on weather KIND=rain\nemits rainbow\n' >"$tmp/conf/umbrella.conf"
    printf 'start on stopped umbrella or (solstice and equinox)\nexec sleep 1000\n' \
        >"$tmp/conf/net/apache.conf"
    ln -s "$(cd "$(dirname "$initctl_bin")" && pwd)/$(basename "$initctl_bin")" \
        "$tmp/real/initctl"
    "$dbus_daemon" --session --nofork --print-address=3 3>"$tmp/address" &
    pids+=($!)
    for _ in $(seq 100); do [ -s "$tmp/address" ] && break; sleep 0.1; done
    export DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$tmp/address")
    env -u INIT_DBUS_ADDRESS -u INIT_DBUS_MODE -u UPSTART_JOB -u UPSTART_INSTANCE \
        "$initd_bin" --session --confdir "$tmp/conf" --no-log --no-startup-event \
        2>"$tmp/initd.log" &
    pids+=($!)
    for _ in $(seq 100); do
        "$tmp/real/initctl" --session version >/dev/null 2>&1 && break
        sleep 0.1
    done
    real() {
        PATH="$tmp/real:$PATH" LINE="$1" SCRIPT="$script" bash --norc --noprofile -c '
            . "$SCRIPT"
            read -r -a COMP_WORDS <<<"$LINE"
            [[ $LINE == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            _initctl initctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " " | sed "s/ *$//"'
    }
    got=$(real "initctl --session start ")
    [ "$got" = "net/apache umbrella" ] && pass "real daemon: job names ($got)" \
        || fail "real daemon: job names: expected 'net/apache umbrella', got '$got'"
    got=$(real "initctl --session emit ")
    want="equinox rainbow solstice started starting startup stopped stopping weather"
    [ "$got" = "$want" ] && pass "real daemon: event names ($got)" \
        || fail "real daemon: event names: expected '$want', got '$got'"
else
    echo "# initctl, initd or dbus-daemon missing: not tested against a real daemon"
fi

echo "1..$((passes + failures))"
[ "$failures" -eq 0 ]
