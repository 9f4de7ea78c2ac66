#!/usr/bin/env bash
# Installs the Debian packages tracejit's build, tests and benchmarks need, only when missing.
set -euo pipefail
need=()
for p in luajit lua5.4 libunwind-dev libdw-dev pkg-config binutils; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
