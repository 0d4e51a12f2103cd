#!/usr/bin/env bash
# Installs what is missing, builds hotast and runs every test (lit behaviour
# tests and GoogleTest unit tests). Exits non-zero on any failure.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=utils/deps.sh
source "$top/utils/deps.sh"

hotast_ensure_packages
hotast_build "$top"
ninja -C "$top/build" check
