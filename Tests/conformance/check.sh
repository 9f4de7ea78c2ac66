#!/usr/bin/env bash
# Run the conformance corpus under an interpreter and compare with the blessed outputs.
#
# usage: Tests/conformance/check.sh ["interpreter command"] [area-or-program ...]
#   e.g.  Tests/conformance/check.sh                      # luajit
#         Tests/conformance/check.sh "tracejit run"
#         Tests/conformance/check.sh "tracejit run" lang meta/index_chain.lua
# Each program runs as `<command> Tests/conformance/<area>/<name>.lua` from the repository
# root with stdin from /dev/null. Compared: stdout exactly against .expected; the exit code
# against .status (0 when absent); the first line of stderr against .stderr (stderr must be
# empty when absent). Before comparing, the interpreter prefix "<name>: " at the start of the
# stderr line is replaced by "LUA: ", where <name> is the basename of the first word of the
# command (override with LUA_PREFIX=...). Exit status 0 iff every program passes.
# Environment: TIMEOUT (seconds per program, default 120), VERBOSE=1 prints passes too.
set -uo pipefail
CMD=${1:-luajit}
shift || true
cd "$(dirname "$0")/../.."
first=${CMD%% *}
PREFIX=${LUA_PREFIX:-$(basename "$first")}
TIMEOUT=${TIMEOUT:-120}
progs=()
if [ $# -gt 0 ]; then
  for a in "$@"; do
    a=${a#Tests/conformance/}
    if [ -d "Tests/conformance/$a" ]; then
      while IFS= read -r f; do progs+=("$f"); done < <(find "Tests/conformance/$a" -name '*.lua' | LC_ALL=C sort)
    else
      progs+=("Tests/conformance/$a")
    fi
  done
else
  while IFS= read -r f; do progs+=("$f"); done < <(find Tests/conformance -mindepth 2 -name '*.lua' | LC_ALL=C sort)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0; failed=()
for p in "${progs[@]}"; do
  base=${p%.lua}
  # shellcheck disable=SC2086
  timeout "$TIMEOUT" $CMD "$p" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  want_rc=0
  [ -f "$base.status" ] && want_rc=$(cat "$base.status")
  head -n 1 "$tmp/err" | sed "s/^$PREFIX: /LUA: /" >"$tmp/err1"
  ok=1; why=""
  if ! cmp -s "$tmp/out" "$base.expected"; then ok=0; why="stdout differs"; fi
  if [ "$rc" != "$want_rc" ]; then ok=0; why="$why; exit $rc, want $want_rc"; fi
  if [ -f "$base.stderr" ]; then
    if ! cmp -s "$tmp/err1" "$base.stderr"; then ok=0; why="$why; stderr differs"; fi
  elif [ -s "$tmp/err" ]; then
    ok=0; why="$why; unexpected stderr"
  fi
  if [ $ok = 1 ]; then
    pass=$((pass + 1))
    [ "${VERBOSE:-0}" = 1 ] && echo "PASS $p"
  else
    fail=$((fail + 1)); failed+=("$p")
    echo "FAIL $p (${why#; })"
    diff -u "$base.expected" "$tmp/out" | head -n 20 | sed 's/^/    /'
    if [ -f "$base.stderr" ]; then
      diff -u "$base.stderr" "$tmp/err1" | sed 's/^/    /'
    elif [ -s "$tmp/err" ]; then
      head -n 3 "$tmp/err" | sed 's/^/    stderr: /'
    fi
  fi
done
echo "conformance: $pass passed, $fail failed (of $((pass + fail))) with '$CMD'"
[ $fail = 0 ]
