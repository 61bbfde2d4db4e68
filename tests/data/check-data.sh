#!/bin/sh
# check-data.sh CHECK FILE... — validate one kind of installed data file (tests/data/meson.build).
# Exit 0 pass, 1 fail, 77 skip (only when an optional tool is missing; CI has them all).
set -u
check=$1; shift
fail() { echo "FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 not installed" >&2; exit 77; }; }

case $check in
policy-xml)
  # Well-formed, valid against polkit's DTD, the three actions with translatable texts merged.
  need xmllint
  xmllint --noout --dtdvalid /usr/share/polkit-1/policyconfig-1.dtd "$1" || fail "$1 is not valid"
  for a in manage-jobs emit-events reload-configuration read-logs read-history; do
    xmllint --xpath "//action[@id='org.example.Init.$a']/defaults/allow_any/text()" "$1" \
      | grep -qx auth_admin || fail "action $a: allow_any is not auth_admin"
    xmllint --xpath "//action[@id='org.example.Init.$a']/defaults/allow_active/text()" "$1" \
      | grep -qx auth_admin_keep || fail "action $a: allow_active is not auth_admin_keep"
    xmllint --xpath "//action[@id='org.example.Init.$a']/message/text()" "$1" >/dev/null \
      || fail "action $a has no message"
  done
  ;;
bus-policy-xml)
  need xmllint
  xmllint --noout "$1" || fail "$1 is not well-formed"
  # Every member a client may send is listed explicitly; nothing is allowed wholesale
  # except for root.
  for m in GetJobByName GetAllJobs GetHistory EmitEvent ReloadConfiguration \
           GetInstance GetInstanceByName GetAllInstances Start Stop Restart Reload \
           Get GetAll GetManagedObjects; do
    xmllint --xpath "//policy[@context='default']/allow[@send_member='$m']" "$1" >/dev/null 2>&1 \
      || fail "member $m is not allowed in the default context"
  done
  n=$(xmllint --xpath "count(//policy[@context='default']/allow[@send_destination='org.example.Init' and not(@send_member) and not(@send_interface)])" "$1")
  [ "$n" = 0 ] || fail "the default context allows everything to org.example.Init"
  xmllint --xpath "//policy[@context='default']/deny[@send_destination='org.example.Init']" "$1" >/dev/null 2>&1 \
    || fail "the default context does not deny by default"
  n=$(xmllint --xpath "count(//allow[@own='org.example.Init'])" "$1")
  [ "$n" = 1 ] || fail "org.example.Init must be ownable exactly once (by root)"
  xmllint --xpath "//policy[@user='root']/allow[@own='org.example.Init']" "$1" >/dev/null 2>&1 \
    || fail "root may not own org.example.Init"
  # Signals with environments and callers reach root and the administrators only.
  for m in EventEmitted HistoryRecord; do
    xmllint --xpath "//policy[@context='default']/deny[@receive_member='$m']" "$1" >/dev/null 2>&1 \
      || fail "signal $m is not denied to everyone"
    xmllint --xpath "//policy[@user='root']/allow[@receive_member='$m']" "$1" >/dev/null 2>&1 \
      || fail "signal $m is not allowed to root"
  done
  grep -q '@ADMIN_GROUP@' "$1" && fail "@ADMIN_GROUP@ was not substituted"
  ;;
bus-policy-loads)
  # A real dbus-daemon parses the policy: <include> (unlike <includedir>) makes any error in
  # it fatal.  A broken copy must be refused, which shows the check can fail.
  need dbus-daemon
  t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
  mkbus() {
    cat > "$t/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$t/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow user="*"/></policy>
  <include>$1</include>
</busconfig>
CONF
    rm -f "$t/addr" "$t/err"
    dbus-daemon --config-file="$t/bus.conf" --nofork --print-address=3 3>"$t/addr" 2>"$t/err" &
    pid=$!
    i=0; while [ ! -s "$t/addr" ] && kill -0 $pid 2>/dev/null && [ $i -lt 500 ]; do sleep 0.02; i=$((i+1)); done
    if [ -s "$t/addr" ]; then kill $pid; wait $pid; return 0; fi
    wait $pid; return 1
  }
  mkbus "$1/org.example.Init.conf" || { cat "$t/err" >&2; fail "dbus-daemon refused $1/org.example.Init.conf"; }
  if grep -q 'Encountered error' "$t/err"; then cat "$t/err" >&2; fail "dbus-daemon complained"; fi
  sed 's/send_member=/send_membr=/' "$1/org.example.Init.conf" > "$t/broken.conf"
  mkbus "$t/broken.conf" && fail "dbus-daemon accepted a broken policy: the check proves nothing"
  ;;
activation-file)
  grep -qx 'Name=org.example.Init' "$1" || fail "no Name="
  grep -qx 'User=root' "$1" || fail "no User=root"
  grep -qx 'SystemdService=initd.service' "$1" || fail "no SystemdService="
  exec_line=$(sed -n 's/^Exec=//p' "$1")
  case $exec_line in
    /*/initd\ --system) ;;
    *) fail "Exec= is not an absolute initd --system: $exec_line" ;;
  esac
  ;;
systemd-units)
  need systemd-analyze
  t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
  for unit in "$@"; do
    # verify wants the ExecStart binary to exist: point it at one that does.
    name=$(basename "$unit")
    sed 's|^ExecStart=[^ ]*|ExecStart=/bin/true|' "$unit" > "$t/$name"
    grep -qx 'Type=dbus' "$unit" || fail "$name: not Type=dbus"
    grep -qx 'BusName=org.example.Init' "$unit" || fail "$name: no BusName"
    # Jobs must outlive a crash of initd so that the restarted daemon adopts them.
    grep -qx 'KillMode=process' "$unit" || fail "$name: KillMode is not process (jobs would die with initd)"
    grep -q '^ExecStart=/.*/initd --' "$unit" || fail "$name: ExecStart is not initd"
    SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "$t/$name" 2>"$t/err"
    rc=$?
    # Without a running systemd, verify may note the missing D-Bus name's unit; only real
    # unit-file errors count.
    if [ $rc -ne 0 ] || grep -qiE "unknown (key|section)|invalid|failed to parse|bad" "$t/err"; then
      cat "$t/err" >&2; fail "$name does not verify"
    fi
  done
  ;;
*)
  fail "unknown check $check"
  ;;
esac
echo "ok $check"
