#!/bin/sh
# runtime/tests/run.sh - tests of libhotast-rt.so (the hot-patch runtime).
# Builds everything with clang-19 (or $CC) into a mktemp -d directory that is
# removed at the end; every process runs under `timeout 20`. Last line:
# "N passed, M failed"; exit status 0 only when nothing failed.
#
#   sha256     known answers: empty, "abc", the 448-bit message, 1,000,000
#              x 'a', each also fed in odd-sized pieces (sha256_test.c).
#   exports    the .so exports exactly the six hotast_rt_* functions.
#   basic      value() returns 1; patch b1 (value_v2) makes value() and a
#              pointer taken before the patch return 2; b2 (value_v3) stacks
#              to 3; undo -> 2, undo -> 1 with the entry back to `66 90`;
#              undo on an empty stack is refused; a re-apply over the
#              restored entry works; callbacks see b1,b2,b2,b1,b3,b3 and may
#              only ask `status`.
#   stress     two threads each call value() directly and through the
#              early pointer in a tight loop while the main thread applies and
#              undoes 150 patches in 100 rounds: no crash, every result 1-3.
#   refuse     each bad request is refused with an error naming the cause and
#              leaves value(), the entry bytes and the patch stack unchanged:
#              wrong build id, parent, sha256; file outside the directory
#              (also via a symlink), relative, group-writable, not ELF, same
#              file or inode as an applied patch; expected state mismatch
#              (also when one of two functions is wrong); symbol missing or
#              undefined in the .so; offset in data, in the ELF header, past
#              the end, unaligned, a function without NOP padding; duplicate
#              or reused id; missing, repeated, unknown lines; text after
#              `end`; truncated (no `end`); garbage; empty; over-long;
#              reply buffer too small; dlopen failure (missing dependency).
#   disabled   HOTAST_RT_DISABLE=1: no socket, in-process apply still works.
#   snapshot   the app's save function's bytes go to a 0600 file with its
#              header (id, time, build id, size, SHA-256); hotast_rt_restore
#              passes them back and removes the file; none named is 0; a
#              tampered file, one outside the private directory and a
#              group-writable one are refused; no save function: refused.
#   no membarrier  with membarrier denied by seccomp (after registration at
#              startup, or before any), an apply is refused and the entry
#              bytes are put back: there is no fallback (see redirect.c).
#   nolisten   a private directory with mode 0755: the runtime refuses to
#              listen, says why on stderr, and refuses applies.
#   socket     the same protocol over the real socket (client.c): status,
#              apply through the socket changes value() in the running host,
#              garbage / over-long / truncated (closed mid-request, and
#              shut down without `end`) / silent (2 s timeout) requests get
#              error replies and the host keeps serving; a request is framed
#              without shutdown; undo; the directory is 0700; a fork child's
#              exit leaves the socket alone; the socket is removed at exit.
#   preload    plain.c, which calls no hotast API, run with
#              LD_PRELOAD=libhotast-rt.so, is patched and unpatched through
#              its socket.
#   uid        (root only) a host running as nobody refuses a root peer via
#              SO_PEERCRED; nobody cannot even reach root's socket (the
#              directory is 0700). Without root this test is skipped.
#   bench      median time (of 20) of an in-process apply of a 10-function
#              patch: validate + sha256 + dlopen + redirect.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
RT=$(dirname "$HERE")
ROOT=$(dirname "$RT")
CC=${CC:-clang-19}
# Under /tmp whatever TMPDIR says: the uid test runs a host as nobody, which
# must be able to reach its binary (lit's TMPDIR is a 0700 folder of root's).
T=$(mktemp -d /tmp/hotast-rt-tests.XXXXXX)
B=$T/bin
mkdir -p "$B"
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
# run NAME CMD...: passes when CMD exits 0; shows its output either way.
run() {
  name=$1; shift
  if out=$(timeout 20 "$@" 2>&1); then ok "$name"; else ko "$name"; fi
  [ -n "$out" ] && echo "$out" | sed 's/^/    /'
}

# ---- build ----
build() {
  timeout 20 "$@" || { ko "build: $*"; finish; }
}
build "$CC" -std=c11 -O2 -Wall -Wextra -Werror -fPIC -fvisibility=hidden \
  -shared -I"$ROOT/include" -o "$B/libhotast-rt.so" \
  "$RT/sha256.c" "$RT/elf.c" "$RT/redirect.c" "$RT/protocol.c" \
  "$RT/snapshot.c" "$RT/hotast_rt.c" -ldl -lpthread
build "$CC" -O2 -Wall -o "$B/sha256_test" "$HERE/sha256_test.c" "$RT/sha256.c"
build "$CC" -O0 -Wall -fpatchable-function-entry=18,16 -rdynamic \
  -Wl,--build-id -I"$ROOT/include" -o "$B/host" "$HERE/host.c" \
  "$RT/sha256.c" -L"$B" -lhotast-rt -Wl,-rpath,"$B" -lpthread
build "$CC" -O2 -Wall -o "$B/client" "$HERE/client.c"
build "$CC" -O0 -Wall -Wl,--build-id -I"$ROOT/include" -o "$B/snapshot" \
  "$HERE/snapshot.c" -L"$B" -lhotast-rt -Wl,-rpath,"$B"
build "$CC" -O0 -Wall -fpatchable-function-entry=18,16 -rdynamic \
  -Wl,--build-id -o "$B/plain" "$HERE/plain.c"
for v in 2 3; do
  build "$CC" -fPIC -shared -DSYM=value_v$v -DV=$v -o "$B/v$v.so" \
    "$HERE/patches.c"
done
build "$CC" -fPIC -shared -DBENCH -o "$B/bench.so" "$HERE/patches.c"
build "$CC" -fPIC -shared -DDEP -o "$B/libdep.so" "$HERE/patches.c"
build "$CC" -fPIC -shared -DNEEDS_DEP -o "$B/nodep.so" "$HERE/patches.c" \
  -L"$B" -ldep
rm -f "$B/libdep.so" # now nodep.so passes every check but dlopen

XDG=$T/xdg
mkdir -m 700 "$XDG"
export XDG_RUNTIME_DIR=$XDG
unset HOTAST_RT_DISABLE
D=$XDG/hotast-$(id -u)

# ---- in-process tests ----
run sha256 "$B/sha256_test"
exports=$(nm -D --defined-only "$B/libhotast-rt.so" | awk '{print $3}' | sort | tr '\n' ' ')
if [ "$exports" = "hotast_rt_apply hotast_rt_dir hotast_rt_on_patch hotast_rt_on_snapshot hotast_rt_restore hotast_rt_socket_path " ]
then ok exports; else ko exports; echo "    exports: $exports"; fi
run basic "$B/host" basic "$B/v2.so" "$B/v3.so"
run stress "$B/host" stress "$B/v2.so" "$B/v3.so"
run refuse "$B/host" refuse "$B/v2.so" "$B/nodep.so" "$T/outside.so"
run disabled env HOTAST_RT_DISABLE=1 "$B/host" disabled "$B/v2.so"
run "no membarrier (registered, then denied)" "$B/host" nomembarrier "$B/v2.so"
run "no membarrier (never registered)" env HOTAST_RT_DISABLE=1 "$B/host" \
  nomembarrier "$B/v2.so"
mkdir -p "$T/unsafe/hotast-$(id -u)"
chmod 755 "$T/unsafe/hotast-$(id -u)"
XDG_RUNTIME_DIR=$T/unsafe timeout 20 "$B/host" nolisten >"$T/nl.out" 2>"$T/nl.err"
if [ $? -eq 0 ] && grep -q "not listening: .* has mode 755" "$T/nl.err"
then ok nolisten; else ko nolisten; cat "$T/nl.out" "$T/nl.err"; fi
if ls "$D"/*.sock >/dev/null 2>&1; then ko "sockets removed at exit"; ls "$D"
else ok "sockets removed at exit"; fi

# ---- socket ----
# start_host LOG [wrapper...]: runs `host serve LOG` in the background and
# waits for it to print its socket path into $SOCK.
start_host() {
  log=$1; shift
  "$@" timeout 20 "$B/host" serve "$log" >"$log.out" 2>"$log.err" &
  HPID=$!
  SOCK=
  for _ in $(seq 100); do
    SOCK=$(head -n1 "$log.out" 2>/dev/null)
    [ -n "$SOCK" ] && return 0
    sleep 0.05
  done
  return 1
}
# ask NAME MODE REQUEST-TEXT EXPECTED-SUBSTRING
ask() {
  printf '%b' "$3" >"$T/req"
  reply=$(timeout 20 "$B/client" "$SOCK" "$2" "$T/req")
  case $reply in
  *"$4"*) ok "socket: $1" ;;
  *) ko "socket: $1"; echo "    reply: $reply" ;;
  esac
}
wait_values() { # wait_values LOG N: up to 2 s for N "value" lines in LOG
  for _ in $(seq 40); do
    [ "$(grep -c '^value' "$1" 2>/dev/null)" = "$2" ] && return 0
    sleep 0.05
  done
  return 1
}

if start_host "$T/serve.log"; then
  ok "socket: host listening"
  [ -S "$SOCK" ] && [ "$(dirname "$SOCK")" = "$D" ] && [ "$(stat -c %a "$D")" = 700 ] &&
    ok "socket: in a 0700 directory" || ko "socket: in a 0700 directory ($SOCK)"
  ask status send 'status\n' '"ok":true'
  printf 'status\n' >"$T/req"
  st=$(timeout 20 "$B/client" "$SOCK" send "$T/req")
  bid=$(echo "$st" | sed -n 's/.*"build_id":"\([0-9a-f]*\)".*/\1/p')
  off=$(nm "$B/host" | awk '$3 == "value" { print $1 }')
  cp "$B/v2.so" "$D/sock1.so"
  chmod 644 "$D/sock1.so"
  sha=$(sha256sum "$D/sock1.so" | cut -d' ' -f1)
  ask apply send "apply\nid sock1\nbuild-id $bid\nparent none\nfile $D/sock1.so\nsha256 $sha\nfunc $off value_v2 original\nend\n" \
    '{"ok":true,"applied":"sock1","functions":1}'
  wait_values "$T/serve.log" 2 && ok "socket: host sees value 2" ||
    ko "socket: host sees value 2"
  ask garbage send '\001\377garbage "x"\n' '{"ok":false,"error":"unknown request"}'
  head -c 70000 /dev/zero | tr '\0' x >"$T/big"
  reply=$(timeout 20 "$B/client" "$SOCK" send "$T/big")
  case $reply in *"longer than 65536"*) ok "socket: over-long" ;;
  *) ko "socket: over-long"; echo "    reply: $reply" ;; esac
  printf 'apply\nid t1\nbuild-id ' >"$T/req"
  timeout 20 "$B/client" "$SOCK" trunc "$T/req"
  ask "closed mid-request, host still serves" send 'status\n' '"patches":["sock1"]'
  ask "shut down before end" send "apply\nid t1\nbuild-id $bid\n" \
    "truncated: no 'end' line"
  ask "framed without shutdown (status)" nosd 'status\n' '"ok":true'
  ask "framed without shutdown (apply)" nosd \
    "apply\nid t2\nbuild-id $bid\nparent none\nfile $D/sock1.so\nsha256 $sha\nfunc $off value_v2 original\nend\n" \
    "parent mismatch"
  ask "silent peer times out" idle '' 'timed out after 2 s'
  ask undo send 'undo\n' '{"ok":true,"undone":"sock1"}'
  wait_values "$T/serve.log" 3 && ok "socket: host back to value 1" ||
    ko "socket: host back to value 1"
  if [ "$(id -u)" = 0 ]; then
    chmod 755 "$T" "$B"
    reply=$(timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups \
      "$B/client" "$SOCK" connect)
    case $reply in *"Permission denied"*) ok "uid: nobody cannot reach root's socket" ;;
    *) ko "uid: nobody cannot reach root's socket"; echo "    $reply" ;; esac
  fi
  touch "$T/serve.log.stop"
  wait "$HPID"
  rc=$?
  values=$(grep '^value' "$T/serve.log" | tr '\n' ' ')
  if [ $rc -eq 0 ] && [ "$values" = "value 1 value 2 value 1 " ] &&
    [ "$(grep -c '^callback sock1' "$T/serve.log")" = 2 ]; then
    ok "socket: host log"
  else
    ko "socket: host log (rc $rc)"; sed 's/^/    /' "$T/serve.log" "$T/serve.log.err"
  fi
  [ -e "$SOCK" ] && ko "socket: removed at exit" || ok "socket: removed at exit"
else
  ko "socket: host listening"; cat "$T/serve.log.err"
fi

# ---- preload: a program that never heard of hotast ----
timeout 20 env LD_PRELOAD="$B/libhotast-rt.so" "$B/plain" "$T/plain.log" \
  2>"$T/plain.err" &
PPID_=$!
SOCK=
for _ in $(seq 100); do
  SOCK=$(ls "$D"/*.sock 2>/dev/null | head -n1)
  [ -n "$SOCK" ] && break
  sleep 0.05
done
if [ -n "$SOCK" ]; then
  printf 'status\n' >"$T/req"
  bid=$(timeout 20 "$B/client" "$SOCK" send "$T/req" |
    sed -n 's/.*"build_id":"\([0-9a-f]*\)".*/\1/p')
  off=$(nm "$B/plain" | awk '$3 == "value" { print $1 }')
  cp "$B/v2.so" "$D/pre1.so"
  chmod 644 "$D/pre1.so"
  sha=$(sha256sum "$D/pre1.so" | cut -d' ' -f1)
  ask "LD_PRELOAD apply" send "apply\nid pre1\nbuild-id $bid\nparent none\nfile $D/pre1.so\nsha256 $sha\nfunc $off value_v2 original\nend\n" \
    '"applied":"pre1"'
  wait_values "$T/plain.log" 2 && ok "preload: value 2" || ko "preload: value 2"
  ask "LD_PRELOAD undo" send 'undo\n' '"undone":"pre1"'
  wait_values "$T/plain.log" 3
  touch "$T/plain.log.stop"
  wait "$PPID_"
  rc=$?
  values=$(tr '\n' ' ' <"$T/plain.log")
  [ $rc -eq 0 ] && [ "$values" = "value 1 value 2 value 1 " ] && [ ! -e "$SOCK" ] &&
    ok "preload: log and cleanup" || { ko "preload: log and cleanup (rc $rc)"; cat "$T/plain.log" "$T/plain.err"; }
else
  ko "preload: listening"; cat "$T/plain.err"
fi

# ---- uid: a peer of another uid ----
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  chmod 755 "$T" "$B"
  mkdir -m 700 "$T/xdgn"
  chown nobody "$T/xdgn"
  if XDG_RUNTIME_DIR=$T/xdgn start_host "$T/xdgn/serve.log" \
    setpriv --reuid=65534 --regid=65534 --clear-groups; then
    printf 'status\n' >"$T/req"
    reply=$(timeout 20 "$B/client" "$SOCK" send "$T/req" 2>/dev/null)
    case $reply in
    *"peer uid 0 is not this process's uid 65534"*) ok "uid: root peer refused by a nobody host" ;;
    *) ko "uid: root peer refused by a nobody host"; echo "    reply: $reply" ;;
    esac
    touch "$T/xdgn/serve.log.stop"
    wait "$HPID"
  else
    ko "uid: host as nobody"; cat "$T/xdgn/serve.log.err"
  fi
else
  echo "SKIP uid: needs root (setpriv to nobody) to make a peer of another uid"
fi

# ---- bench ----
# ---- snapshot: the app's state across a restart ----
snapshot_test() {
  timeout 20 env HOTAST_RT_DISABLE=1 "$B/snapshot" nohook || return 1
  f=$(timeout 20 env HOTAST_RT_DISABLE=1 "$B/snapshot" save) || return 1
  head -1 "$f" | grep -Eq '^hotast-snapshot 1 [^ ]+ [0-9]+ [0-9a-f]+ 19 [0-9a-f]{64}$' || return 1
  [ "$(stat -c %a "$f")" = 600 ] || return 1
  # none named: nothing to do
  [ "$(timeout 20 env -u HOTAST_RT_SNAPSHOT HOTAST_RT_DISABLE=1 "$B/snapshot" restore)" = "result 0" ] || return 1
  # tampered, outside the directory, writable by the group: refused
  cp "$f" "$f.bad" && sed -i '2s/Ada/Bob/' "$f.bad" && chmod 600 "$f.bad"
  timeout 20 env HOTAST_RT_SNAPSHOT="$f.bad" HOTAST_RT_DISABLE=1 "$B/snapshot" restore 2>&1 |
    grep -q 'do not match its size and hash' || return 1
  cp "$f" "$T/outside.bin"
  timeout 20 env HOTAST_RT_SNAPSHOT="$T/outside.bin" HOTAST_RT_DISABLE=1 "$B/snapshot" restore 2>&1 |
    grep -q 'not in the runtime.s private directory' || return 1
  cp "$f" "$f.gw" && chmod 620 "$f.gw"
  timeout 20 env HOTAST_RT_SNAPSHOT="$f.gw" HOTAST_RT_DISABLE=1 "$B/snapshot" restore 2>&1 |
    grep -q 'closed to others' || return 1
  # the real one: restored, then removed
  timeout 20 env HOTAST_RT_SNAPSHOT="$f" HOTAST_RT_DISABLE=1 "$B/snapshot" restore |
    grep -q 'restored 19 bytes: text=Ada' || return 1
  [ ! -e "$f" ] || return 1
  echo "saved, checked and restored; tampered, foreign and writable files refused"
}
if out=$(snapshot_test 2>&1); then ok snapshot; else ko snapshot; fi
[ -n "$out" ] && echo "$out" | sed 's/^/    /'

run bench "$B/host" bench "$B/bench.so"

finish
