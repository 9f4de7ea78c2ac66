#!/usr/bin/env bash
# Runs every benchmark program under lua5.4, luajit and luajit -joff and checks
# that each exits 0 and that all three print the same line.
#
#   bash bench/check_peers.sh            # small sizes from bench/sizes.txt; the
#                                        # output must also equal the expected line
#   bash bench/check_peers.sh --full     # additionally run each program at its
#                                        # default size (slow: minutes under lua5.4)
#   bash bench/check_peers.sh --only fib.lua,nbody.lua   # a subset
#   PEERS="lua5.4|luajit" bash bench/check_peers.sh      # other peer commands
#
# Exits non-zero if any run fails, any outputs differ, or a bench/*.lua program
# is missing from sizes.txt.
set -uo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
sizes="$dir/sizes.txt"
full=0
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) full=1 ;;
    --only) shift; only=",${1:-},"; ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "check_peers: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
IFS='|' read -r -a peers <<< "${PEERS:-lua5.4|luajit|luajit -joff}"
for p in "${peers[@]}"; do
  if ! command -v ${p%% *} >/dev/null 2>&1; then
    echo "check_peers: '${p%% *}' is not installed" >&2; exit 2
  fi
done

failures=0
runs=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# run_all PROGRAM ARG|"" EXPECTED|"": runs under every peer, compares outputs
run_all() {
  local prog="$1" arg="$2" want="$3" first="" firstpeer="" out rc peer
  for peer in "${peers[@]}"; do
    runs=$((runs + 1))
    # shellcheck disable=SC2086
    out=$(cd "$dir" && $peer "$prog" $arg 2>&1); rc=$?
    if [ $rc -ne 0 ]; then
      fail "$prog ${arg:-(default)} under '$peer': exit $rc: $(echo "$out" | head -3)"
      continue
    fi
    if [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ]; then
      fail "$prog ${arg:-(default)} under '$peer': expected one line, got: $out"
      continue
    fi
    if [ -n "$want" ] && [ "$out" != "$want" ]; then
      fail "$prog $arg under '$peer': got '$out', expected '$want'"
      continue
    fi
    if [ -z "$firstpeer" ]; then first="$out"; firstpeer="$peer"
    elif [ "$out" != "$first" ]; then
      fail "$prog ${arg:-(default)}: '$peer' printed '$out' but '$firstpeer' printed '$first'"
    fi
  done
  [ -n "$firstpeer" ] && echo "ok   $prog ${arg:-(default)}: $first"
}

listed=()
while read -r prog arg want; do
  case "$prog" in ''|'#'*) continue ;; esac
  listed+=("$prog")
  if [ -n "$only" ] && [[ "$only" != *",$prog,"* ]]; then continue; fi
  if [ ! -f "$dir/$prog" ]; then fail "$prog is listed in sizes.txt but does not exist"; continue; fi
  run_all "$prog" "$arg" "$want"
  if [ $full -eq 1 ]; then run_all "$prog" "" ""; fi
done < "$sizes"

for f in "$dir"/*.lua; do
  name=$(basename "$f")
  found=0
  for l in "${listed[@]}"; do [ "$l" = "$name" ] && found=1; done
  [ $found -eq 1 ] || fail "$name is not listed in sizes.txt"
done

echo "check_peers: $runs runs, $failures failures"
[ $failures -eq 0 ]
