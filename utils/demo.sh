#!/usr/bin/env bash
# Installs what is missing, builds hotast, and shows its main job on the
# bundled example: `hotast diff` of a cosmetic edit and of a semantic edit.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=utils/deps.sh
source "$top/utils/deps.sh"

hotast_ensure_packages
hotast_build "$top" >/dev/null
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
