#!/usr/bin/env bash
# Builds the UI example into DIR with hotast as compiler and linker launcher
# and the reload profile: the app's own unit (ui.cpp) is patchable; Dear
# ImGui's SDL backends (from Debian's libimgui-dev examples) are built with
# the same flags. usage: examples/ui/build.sh DIR [-O0|-O2]  (HOTAST: the
# hotast binary)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$1
opt=${2:--O0}
hotast=${HOTAST:-hotast}
backends=/usr/share/doc/libimgui-dev/examples/backends
mkdir -p "$out"
[ -f "$out/ui.cpp" ] || cp "$here/ui.cpp" "$out/"   # a rebuild keeps the edited copy
cflags="$opt $($hotast reload-flags --cflags) $(pkg-config --cflags sdl2) -I/usr/include/imgui -I/usr/include/imgui/backends"
cd "$out"
for f in imgui_impl_sdl imgui_impl_sdlrenderer; do
  [ -f $f.o ] || $hotast clang++-19 $cflags -c $backends/$f.cpp -o $f.o
done
$hotast clang++-19 $cflags -c ui.cpp -o ui.o
$hotast clang++-19 ui.o imgui_impl_sdl.o imgui_impl_sdlrenderer.o -o ui \
  $($hotast reload-flags --ldflags) -limgui -lstb $(pkg-config --libs sdl2)
