#!/usr/bin/env bash
# profile_overhead.sh: what `--profile` (and the JIT's sample hotness) costs, counted in
# instructions under callgrind, so the answer does not depend on how busy the machine is.
# docs/profiler.md ("Overhead") explains the method and records the results.
#
#   bench/tools/profile_overhead.sh TRACEJIT [PROGRAM SIZE]...
#
# TRACEJIT: a release build. valgrind 3.19 cannot read the DWARF 5 the Swift toolchain emits, so a
# copy with the debug sections stripped is what runs (symbols stay; Lua-mode profiles need no
# DWARF). For each program (run from bench/):
#   native  `run --interp-only --profile` once natively: the records a real 1 kHz run takes (n_nat)
#           and its CPU seconds;
#   base    callgrind, `run --interp-only`: instructions I_base;
#   prof    callgrind, `run --interp-only --profile` at 1000 Hz: I_prof and the records taken under
#           valgrind (n_vg; valgrind runs the program ~50x slower, so the CPU-time timer fires far
#           more often per instruction: valgrind delivers 80-120 per CPU-second of its own, ~5x the
#           records of the native run);
#   match   callgrind, `run --interp-only --profile --sample-rate R`, R = 1000 * n_nat / n_vg, an
#           attempt at as many records as the native run: I_match, n_match (valgrind delivers
#           pending signals at its own pace, so n_match stays close to n_vg: a check of linearity);
#   jit     (with JIT=1 in the environment) callgrind, `run --jit-backend=native`: the sample
#           hotness sampler's handler, drain and start/stop instructions and the run's stats;
#           (--smc-check=all-non-file for the JIT's code; sample hotness at its default 1000 Hz).
# and prints: the instructions the profile adds per record, (I_prof - I_base) / n_vg, with the
# attribution of the handler (on_sigprof), the drain thread (drainLoop: ring pops, aggregation)
# and the end of the run (ProfileSession.stop: stacks, naming, merging; writeOutputs: the report);
# the user-space overhead of a native-like run, (I_match - I_base) / I_base scaled to n_nat
# records ("match%": (I_match - I_base) * n_nat / n_match / I_base); and the same from the 1000 Hz
# run ("lin%": per-record cost * n_nat / I_base). Both spread the report, a fixed cost per run, over
# the records; docs/profiler.md keeps it apart (the report/r column times n_vg). The kernel's part (signal delivery, the handler's syscalls) is
# invisible to callgrind and is measured natively (bench/tools/signal_cost.c).
set -eu
TJ=${1:?usage: profile_overhead.sh TRACEJIT [PROGRAM SIZE]...}
shift
OUT=${OUT:-/tmp/tj-profile-overhead}
mkdir -p "$OUT"
STRIPPED="$OUT/tracejit"
objcopy --strip-debug "$TJ" "$STRIPPED"
if [ $# -eq 0 ]; then
  set -- fib.lua 32 mandelbrot.lua 400 binary_trees.lua 13 richards.lua 60 nbody.lua 60000 json.lua 2000 strings.lua 8000
fi
cd "$(dirname "$0")/.."  # bench/

# Inclusive instructions of the functions whose names contain each pattern (largest match).
incl() { # file pattern
  callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
    awk -v pat="$2" 'index($0, pat) { gsub(",", "", $1); if ($1 + 0 > m) m = $1 + 0 } END { print m + 0 }'
}
total() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }'; }
records() { sed -n 's/^ *\([0-9]*\) samples.*/\1/p' "$1" | head -1; }

printf '%-18s %6s %7s %13s %13s %6s %9s %9s %9s %9s %9s %6s %7s %7s\n' program n_nat cpu_nat I_base I_prof n_vg per_rec handler/r drain/r stop/r report/r n_match match% lin%
while [ $# -ge 2 ]; do
  p=$1 n=$2
  shift 2
  tag=${p%.lua}-$n
  "$STRIPPED" run --interp-only --profile --profile-out "$OUT/$tag.native.txt" "$p" "$n" >/dev/null
  n_nat=$(records "$OUT/$tag.native.txt")
  cpu_nat=$(sed -n 's/.* \([0-9.]*\) s CPU.*/\1/p' "$OUT/$tag.native.txt" | head -1)
  valgrind --tool=callgrind --callgrind-out-file="$OUT/$tag.base.cg" "$STRIPPED" run --interp-only "$p" "$n" \
    >/dev/null 2>"$OUT/$tag.base.log"
  valgrind --tool=callgrind --callgrind-out-file="$OUT/$tag.prof.cg" "$STRIPPED" run --interp-only --profile \
    --profile-out "$OUT/$tag.prof.txt" "$p" "$n" >/dev/null 2>"$OUT/$tag.prof.log"
  ib=$(total "$OUT/$tag.base.cg")
  ip=$(total "$OUT/$tag.prof.cg")
  n_vg=$(records "$OUT/$tag.prof.txt")
  rate=$(awk -v a="$n_nat" -v b="$n_vg" 'BEGIN { r = int(1000 * a / b + 0.5); print (r < 1 ? 1 : r) }')
  valgrind --tool=callgrind --callgrind-out-file="$OUT/$tag.match.cg" "$STRIPPED" run --interp-only --profile \
    --sample-rate "$rate" --profile-out "$OUT/$tag.match.txt" "$p" "$n" >/dev/null 2>"$OUT/$tag.match.log"
  im=$(total "$OUT/$tag.match.cg")
  n_m=$(records "$OUT/$tag.match.txt")
  h=$(incl "$OUT/$tag.prof.cg" ":on_sigprof")
  d=$(incl "$OUT/$tag.prof.cg" "drainLoop")
  sp=$(incl "$OUT/$tag.prof.cg" "ProfileSessionC4stop")
  wo=$(incl "$OUT/$tag.prof.cg" "ProfileSessionC12writeOutputs")
  awk -v p="$tag" -v nn="$n_nat" -v cn="$cpu_nat" -v ib="$ib" -v ip="$ip" -v nv="$n_vg" -v h="$h" -v d="$d" \
      -v sp="$sp" -v wo="$wo" -v im="$im" -v nm="$n_m" 'BEGIN {
    per = (ip - ib) / nv
    printf "%-18s %6d %7.3f %13.0f %13.0f %6d %9.0f %9.0f %9.0f %9.0f %9.0f %6d %6.2f%% %6.2f%%\n", p, nn, cn, ib, ip, nv, per,
      h / nv, d / nv, sp / nv, wo / nv, nm, (im - ib) * nn / nm / ib * 100, per * nn / ib * 100
  }'
  # The JIT with sample hotness: the sampler's share by attribution.
  if [ -n "${JIT:-}" ]; then
    : >"$OUT/$tag.jit.json"
    TRACEJIT_STATS_JSON="$OUT/$tag.jit.json" valgrind --tool=callgrind --smc-check=all-non-file \
      --callgrind-out-file="$OUT/$tag.jit.cg" "$STRIPPED" run --jit-backend=native "$p" "$n" >/dev/null 2>"$OUT/$tag.jit.log" || true
    jt=$(total "$OUT/$tag.jit.cg")
    jh=$(incl "$OUT/$tag.jit.cg" ":on_sigprof")
    jd=$(incl "$OUT/$tag.jit.cg" "drainLoop")
    js=$(incl "$OUT/$tag.jit.cg" "SamplerC5start")
    jp=$(incl "$OUT/$tag.jit.cg" "SamplerC4stop")
    echo "  jit: total $jt handler $jh drain $jd start $js stop $jp; stats $(cat "$OUT/$tag.jit.json")"
  fi
done
