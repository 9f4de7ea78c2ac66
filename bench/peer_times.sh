#!/usr/bin/env bash
# Times every benchmark program at its default size under lua5.4, luajit and
# luajit -joff and prints a Markdown table of median CPU times (user+sys, from
# bash's `time`), as in bench/README.md.
#
#   bash bench/peer_times.sh [--runs N] [--only a.lua,b.lua]
#
# Runs are interleaved (program by program, peer by peer, round by round) so
# that a change in machine load affects all peers alike. A failed run (non-zero
# exit) is reported and makes the script exit 1.
set -uo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
runs=3
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift ;;
    --only) only=",$2,"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "peer_times: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
peers=("luajit" "luajit -joff" "lua5.4")
status=0

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) printf "%.2f", a[(NR + 1) / 2]; else printf "%.2f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

printf '| program | default size | luajit (s) | luajit -joff (s) | lua5.4 (s) |\n'
printf '|---|---|---:|---:|---:|\n'
while read -r prog arg want; do
  case "$prog" in ''|'#'*) continue ;; esac
  if [ -n "$only" ] && [[ "$only" != *",$prog,"* ]]; then continue; fi
  size=$(sed -n 's/^local N = tonumber(arg and arg\[1\]) or \([0-9]*\).*/\1/p' "$dir/$prog" | head -1)
  declare -A samples=()
  for ((r = 0; r < runs; r++)); do
    for peer in "${peers[@]}"; do
      # shellcheck disable=SC2086
      t=$( { TIMEFORMAT='%3U %3S'; time (cd "$dir" && $peer "$prog" >/dev/null 2>&1); } 2>&1 ); rc=$?
      if [ $rc -ne 0 ]; then echo "peer_times: $prog failed under '$peer'" >&2; status=1; fi
      samples[$peer]+="$(echo "$t" | awk '{ printf "%.3f", $1 + $2 }') "
    done
  done
  row="| $prog | $size |"
  for peer in "${peers[@]}"; do
    row+=" $(printf '%s\n' ${samples[$peer]} | median) |"
  done
  echo "$row"
  unset samples
done < "$dir/sizes.txt"
exit $status
