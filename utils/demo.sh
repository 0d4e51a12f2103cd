#!/usr/bin/env bash
# Installs what is missing, builds hotast, and shows it on the bundled
# examples: `hotast diff` of a cosmetic and of a semantic edit, then the
# compiler wrapper rebuilding three files after edits (examples/wrapper),
# and hot reload of a running program (examples/reload): one edit patched,
# one refused with its reason, the program's state kept throughout.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=utils/deps.sh
source "$top/utils/deps.sh"

hotast_ensure_packages
hotast_build "$top" >/dev/null
ninja -C "$top/build" hotast-clang >/dev/null
hotast=$top/build/bin/hotast
ex=$top/examples/diff

show() {
  echo
  echo "\$ hotast diff $*"
  local rc=0
  (cd "$ex" && "$hotast" diff "$@") || rc=$?
  echo "(exit status $rc)"
}

echo "== A cosmetic edit: comments, formatting, hex literal, renamed locals"
diff -u "$ex/shapes.cpp" "$ex/shapes_cosmetic.cpp" || true
show shapes.cpp shapes_cosmetic.cpp -- -std=c++17

echo
echo "== A semantic edit: a field added, a default argument and one body changed"
diff -u "$ex/shapes.cpp" "$ex/shapes_semantic.cpp" || true
show shapes.cpp shapes_semantic.cpp -- -std=c++17
show --format=json shapes.cpp shapes_semantic.cpp -- -std=c++17

echo
echo "== The same cosmetic edit with -g: line moves now reach the object"
show shapes.cpp shapes_cosmetic.cpp -- -std=c++17 -g

echo
echo "== The compiler wrapper: three files, one header (examples/wrapper)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$top"/examples/wrapper/* "$work"/
export HOTAST_DIR=$work/cache HOTAST_LOGFILE=$work/log
build() {
  for f in area length project; do
    (cd "$work" && "$hotast" clang++-19 -O2 -c $f.cpp -o $f.o -MD -MF $f.d)
  done
  sed 's/^[^ ]* \[[0-9]*\] /  /' "$work/log"
  : > "$work/log"
}
echo "-- cold build"
build
echo "-- touch every file, rebuild"
touch "$work"/*.cpp "$work"/geometry.h
build
echo "-- a comment added to geometry.h, rebuild"
sed -i 's|^// Only area.cpp calls this one.|// Only area.cpp calls this one (a comment edit).|' "$work/geometry.h"
build
echo "-- cross() changed in geometry.h (only area.cpp uses it), rebuild"
sed -i 's|a.x \* b.y - a.y \* b.x|a.y * b.x - a.x * b.y|' "$work/geometry.h"
build
echo
echo "\$ hotast stats"
"$hotast" stats

echo
echo "== Hot reload: a running program patched, its state kept (examples/reload)"
ninja -C "$top/build" hotast-rt >/dev/null
rl=$work/reload
mkdir -p "$rl"
cp "$top"/examples/reload/counter.cpp "$rl"/
export HOTAST_DIR=$rl/cache
unset HOTAST_LOGFILE
(cd "$rl" && "$hotast" clang++-19 -O0 $("$hotast" reload-flags --cflags) -c counter.cpp -o counter.o &&
  "$hotast" clang++-19 counter.o -o counter $("$hotast" reload-flags --ldflags))
(cd "$rl" && exec ./counter > out.txt) &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
echo "-- the program runs (pid $pid):"
tail -2 "$rl/out.txt"
echo "-- greet() edited: 'hello' becomes 'welcome back'"
sed -i 's|return "hello " + f.name;|return "welcome back, " + f.name;|' "$rl/counter.cpp"
echo "\$ hotast reload --pid $pid"
"$hotast" reload --pid $pid || true
sleep 0.5
tail -2 "$rl/out.txt"
echo "-- a field added to Form: objects that exist have the old layout"
sed -i 's|  int age = 36;|  int age = 36;\n  int height = 170;|' "$rl/counter.cpp"
echo "\$ hotast reload --pid $pid"
"$hotast" reload --pid $pid || echo "(exit status $?: refused, nothing changed in the process)"
sleep 0.5
tail -2 "$rl/out.txt"
echo "-- same pid, ticks and entries went on counting: the state was kept"
kill $pid
