#!/usr/bin/env bash
# Hot reload of a UI: builds examples/ui (Dear ImGui on SDL2) through hotast,
# runs it under Xvfb with `hotast watch`, fills its form (a name, a counter, a
# selection, a scroll position), takes a screenshot, edits the title's label
# and colour in ui.cpp, waits for the patch, and takes another: the title
# changed, the form did not. usage: utils/demo-ui.sh [OUTPUT_DIR]
# (default docs/images: ui-before.png, ui-after.png).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

session() {
  hotast watch -- ./ui ctl app.out > watch.out 2>&1 &
  local watch=$!
  wait_for() { # FILE TEXT
    for _ in $(seq 1 400); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
    echo "timed out waiting for '$2' in $1" >&2; cat watch.out >&2; return 1
  }
  wait_for app.out ready
  printf 'type Ada Lovelace\nclick\nclick\nclick\nselect 7\nscroll 60\n' > ctl
  sleep 0.3
  printf 'state\nshot %s\n' "$out/ui-before.png" > ctl
  wait_for app.out "shot $out/ui-before.png"
  echo "-- before: $(grep '^state' app.out | tail -1)"
  echo "-- editing drawTitle() in ui.cpp: label 'Inventory' -> 'Stock on hand', green -> red"
  sed -i 's/ImVec4(0.2f, 0.9f, 0.2f, 1.0f), "Inventory"/ImVec4(0.95f, 0.3f, 0.2f, 1.0f), "Stock on hand"/' ui.cpp
  wait_for watch.out "applied patch"
  sleep 0.3
  printf 'state\nshot %s\n' "$out/ui-after.png" > ctl
  wait_for app.out "shot $out/ui-after.png"
  echo "-- after:  $(grep '^state' app.out | tail -1)"
  echo "-- hotast watch said:"
  sed 's/^/   /' watch.out
  kill $watch
  wait $watch || true
}

# Run again inside Xvfb: the part that needs the display.
if [ "${1:-}" = "--in-display" ]; then
  cd "$work/ui"
  session
  exit 0
fi
# shellcheck source=utils/deps.sh
source "$top/utils/deps.sh"
hotast_ensure_packages
hotast_build "$top" >/dev/null
out=$(realpath -m "${1:-$top/docs/images}")
mkdir -p "$out"
export PATH=$top/build/bin:$PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOTAST_DIR=$work/cache
echo "-- building examples/ui through hotast (reload profile)"
"$top/examples/ui/build.sh" "$work/ui"
mkfifo "$work/ui/ctl"

export out work
xvfb-run -a -s "-screen 0 640x480x24" "$0" --in-display
echo "-- screenshots: $out/ui-before.png $out/ui-after.png"
