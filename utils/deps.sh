# Sourced by utils/check.sh and utils/demo.sh: makes sure the Debian packages
# hotast builds and tests with are installed. As root it installs what is
# missing; otherwise it prints the exact apt-get line and stops.

HOTAST_PACKAGES=(
  g++ cmake ninja-build python3
  llvm-19-dev libclang-19-dev libclang-cpp19-dev clang-19 llvm-19-tools
  libxxhash-dev libzstd-dev libgtest-dev libsqlite3-dev libhiredis-dev redis-server
  libclang-rt-19-dev lld-19 liblld-19-dev
  libimgui-dev libsdl2-dev libstb-dev xvfb xauth
)

hotast_missing_packages() {
  local pkg
  for pkg in "${HOTAST_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      printf '%s\n' "$pkg"
    fi
  done
}

# Usage: hotast_ensure_packages [EXTRA_PACKAGE...]
hotast_ensure_packages() {
  local missing
  missing=$(hotast_missing_packages "$@" | tr '\n' ' ')
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "hotast needs these Debian packages: $missing" >&2
    echo "Install them as root with:" >&2
    echo "  apt-get install -y --no-install-recommends $missing" >&2
    exit 1
  fi
  echo "Installing: $missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Configures (once) and builds hotast in build/.
hotast_build() {
  local top=$1
  if [ ! -f "$top/build/build.ninja" ]; then
    cmake -S "$top" -B "$top/build" -G Ninja -DCMAKE_BUILD_TYPE=Release
  fi
  ninja -C "$top/build" hotast hotastUnitTests
}
