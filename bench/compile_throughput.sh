#!/usr/bin/env bash
# Compile throughput of tracejit's front end on a large generated Lua file,
# measured side by side with `luac5.4 -p` (parse + code generation, no output)
# and, for reference, `luajit -b` (parse + code generation + writing bytecode).
#
#   bash bench/compile_throughput.sh [--runs N] [--mb MB] [--seed S] [--file F.lua]
#
#   --runs N   timed runs per compiler (default 5); the median CPU time counts
#   --mb MB    size of the generated file in megabytes (default 8)
#   --seed S   generator seed (default 1); the same seed gives the same file
#   --file F   measure an existing Lua file instead of generating one
#   TRACEJIT   path to the tracejit binary (default .build/release/tracejit)
#
# CPU time is user+sys of the child process, from bash's `time` keyword. The
# generator (bench/tools/gen_source.lua) runs under lua5.4 or luajit. Before
# timing, the file is checked with `luac5.4 -p` and `luajit -b` (valid Lua 5.1).
# When the tracejit binary does not exist the script still measures the peers,
# says so, and exits 0; when tracejit fails to compile the file it exits 1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=5
mb=8
seed=1
file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift ;;
    --mb) mb="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --file) file="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "compile_throughput: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
tracejit="${TRACEJIT:-$root/.build/release/tracejit}"
work="${TMPDIR:-/tmp}/tracejit-compile-throughput"
mkdir -p "$work"

have() { command -v "$1" >/dev/null 2>&1; }
if ! have luac5.4; then echo "compile_throughput: luac5.4 is not installed" >&2; exit 2; fi

if [ -z "$file" ]; then
  file="$work/generated-${mb}mb-seed${seed}.lua"
  gen=""
  if have lua5.4; then gen=lua5.4; elif have luajit; then gen=luajit; else
    echo "compile_throughput: need lua5.4 or luajit to run the generator" >&2; exit 2
  fi
  $gen "$root/bench/tools/gen_source.lua" "$file" "$mb" "$seed" >/dev/null
fi
bytes=$(wc -c < "$file")

# validity: both reference front ends must accept the file
if ! luac5.4 -p "$file"; then echo "compile_throughput: luac5.4 rejects $file" >&2; exit 1; fi
if have luajit && ! luajit -b "$file" "$work/check.luajit.out"; then
  echo "compile_throughput: luajit rejects $file" >&2; exit 1
fi

# cpu_seconds CMD...: prints user+sys CPU seconds of one run; fails if CMD fails
cpu_seconds() {
  local t rc
  t=$( { TIMEFORMAT='%3U %3S'; time "$@" >/dev/null 2>"$work/stderr"; } 2>&1 ) || {
    rc=$?; echo "compile_throughput: '$*' failed (exit $rc):" >&2; head -5 "$work/stderr" >&2; return 1; }
  echo "$t" | awk '{ printf "%.3f\n", $1 + $2 }'
}

# median_cpu CMD...: runs CMD $runs times, prints the median CPU seconds
median_cpu() {
  local samples=() i s
  for ((i = 0; i < runs; i++)); do
    s=$(cpu_seconds "$@") || return 1
    samples+=("$s")
  done
  printf '%s\n' "${samples[@]}" | sort -g | awk '{ a[NR] = $1 } END {
    if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { if (s > 0) printf "%.1f", b / 1e6 / s; else print "inf" }'; }

printf 'file: %s (%.2f MB), %d runs each, median CPU time (user+sys)\n' "$file" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$runs"
printf '%-34s %10s %10s\n' "compiler" "seconds" "MB/s"

luac_s=$(median_cpu luac5.4 -p "$file")
printf '%-34s %10s %10s\n' "luac5.4 -p" "$luac_s" "$(mbps "$luac_s")"
if have luajit; then
  lj_s=$(median_cpu luajit -b "$file" "$work/out.luajit")
  printf '%-34s %10s %10s\n' "luajit -b" "$lj_s" "$(mbps "$lj_s")"
fi

if [ ! -x "$tracejit" ]; then
  echo "tracejit: no binary at $tracejit (build it with 'swift build -c release'" \
       "or set TRACEJIT=/path/to/tracejit); only the peers were measured"
  exit 0
fi
tj_s=$(median_cpu "$tracejit" compile "$file" -o "$work/out.bc") || exit 1
printf '%-34s %10s %10s\n' "tracejit compile" "$tj_s" "$(mbps "$tj_s")"
awk -v t="$tj_s" -v l="$luac_s" 'BEGIN {
  if (t > 0) printf "ratio: tracejit compiles at %.2fx the speed of luac5.4 -p\n", l / t }'
