#!/usr/bin/env bash
# Regenerate the expected outputs of the conformance corpus from the oracle (luajit).
#
# usage: Tests/conformance/bless.sh [program.lua ...]
#   With no arguments every Tests/conformance/<area>/<name>.lua is blessed.
#   Programs are run as `luajit <path relative to the repository root>` from the
#   repository root, so chunk names in messages read "Tests/conformance/<area>/<name>.lua:N:".
#
# For each program writes <name>.expected (stdout). When the program exits non-zero or
# writes to stderr it also writes <name>.status (exit code) and <name>.stderr (the FIRST
# line of stderr, with the interpreter prefix "luajit: " replaced by "LUA: "); otherwise
# stale .status/.stderr files are removed.
set -euo pipefail
ORACLE=${ORACLE:-luajit}
cd "$(dirname "$0")/../.."
if [ $# -gt 0 ]; then
  progs=("$@")
else
  mapfile -t progs < <(find Tests/conformance -mindepth 2 -name '*.lua' | LC_ALL=C sort)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for p in "${progs[@]}"; do
  p=${p#./}
  base=${p%.lua}
  set +e
  timeout 120 "$ORACLE" "$p" >"$base.expected" 2>"$tmp/err" </dev/null
  rc=$?
  set -e
  if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ]; then
    echo "$rc" >"$base.status"
    head -n 1 "$tmp/err" | sed "s/^$ORACLE: /LUA: /" >"$base.stderr"
  else
    rm -f "$base.status" "$base.stderr"
  fi
  n=$((n + 1))
done
echo "blessed $n programs"
