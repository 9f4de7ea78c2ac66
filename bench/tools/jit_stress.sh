#!/usr/bin/env bash
# jit_stress.sh: run Lua programs under many JIT configurations, several times each, and compare
# what they print (stdout, stderr, exit status) with `--interp-only`, the oracle. Sample hotness
# starts traces, grows side traces and flushes at moments the sampler decides, so one run proves
# little: the configurations below make traces start at random points (a fast sampler with every
# threshold at 1) or at chosen trip counts (counter hotness), and push the engine into its flush,
# blacklist and side-trace limits. docs/jit.md ("Stress testing") explains it.
#
#   bench/tools/jit_stress.sh [-n RUNS] [-c CONFIG,...] [-o OUTDIR] [-l] [PATTERN...]
#
#   -n RUNS      runs per program and configuration (default 3; deterministic configurations,
#                those without sample hotness or RND, run once unless -a)
#   -a           run deterministic configurations RUNS times too
#   -c LIST      configurations to run (comma-separated names; default: all; -l lists them)
#   -o OUTDIR    where reference outputs and divergences go (default /tmp/jit_stress)
#   PATTERN      only programs whose path contains one of these strings
#
# Environment: TRACEJIT (the binary; default .build-benchprof/release/tracejit, else `tracejit`),
# TIMEOUT (seconds per run, default 60). Runs from the repository root with stdin from /dev/null,
# one process at a time. A program whose reference run times out is skipped for that configuration;
# one that prints differently in two reference runs is reported NONDET and skipped.
#
# Output: one line per divergence (`DIFF config program run k: what`), its outputs and a diff in
# OUTDIR/fail/, then a table per configuration: runs, divergences, timeouts, skips, and the JIT's
# own counts summed over the runs (traces, side traces, aborts, trace entries, exits; from
# TRACEJIT_STATS_JSON) so a configuration that silently never compiled anything shows up.
# Exit status 0 iff no divergence and no JIT-only timeout.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

RUNS=3
ALLRUNS=0
ONLY=""
OUT=/tmp/jit_stress
LIST=0
while getopts "n:ac:o:l" opt; do
  case $opt in
    n) RUNS=$OPTARG ;;
    a) ALLRUNS=1 ;;
    c) ONLY=$OPTARG ;;
    o) OUT=$OPTARG ;;
    l) LIST=1 ;;
    *) sed -n '2,20p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
PATTERNS=("$@")

if [ -n "${TRACEJIT:-}" ]; then TJ=$TRACEJIT
elif [ -x "$ROOT/.build-benchprof/release/tracejit" ]; then TJ=$ROOT/.build-benchprof/release/tracejit
else TJ=tracejit
fi
TIMEOUT=${TIMEOUT:-60}

# ---- Configurations: name | program set | deterministic? | options -----------------------------
# Program sets: all (conformance, Traces, bench at small sizes), conf (conformance corpus only),
# mem (allocating programs, with a heap ceiling). `det` configurations (counter hotness) make the
# same traces on every run; `rand` ones depend on the sampler's timing.
# `--jit-param samplerate=N` is the hotness sampler's rate (`--sample-rate` would also print a
# profile report on stderr).
AGGR="--jit-param hotsamples=1 --jit-param hotfuncsamples=1 --jit-param hotexitsamples=1 --jit-param samplerate=20000"
CNT1="--hotness counter --jit-param hotloop=1 --jit-param hotexit=1 --jit-param hotcall=1"
CONFIGS=(
  "default|all|rand|"
  "rate20k|all|rand|--jit-param samplerate=20000"
  "aggr|all|rand|$AGGR"
  "aggr-exitcount|all|rand|$AGGR --jit-param hotexitsamples=0 --jit-param hotexit=1"
  "cnt1|all|det|$CNT1"
  "cnt2|all|det|--hotness counter --jit-param hotloop=2 --jit-param hotexit=2 --jit-param hotcall=2"
  "cnt3|all|det|--hotness counter --jit-param hotloop=3 --jit-param hotexit=1 --jit-param hotcall=3"
  "cnt7|all|det|--hotness counter --jit-param hotloop=7 --jit-param hotexit=7 --jit-param hotcall=7"
  "cntrand|all|rand|--hotness counter --jit-param hotloop=RND(1,20) --jit-param hotexit=RND(1,12) --jit-param hotcall=RND(1,30)"
  "ir-aggr|all|rand|--jit-backend ir $AGGR"
  "ir-cnt1|all|det|--jit-backend ir $CNT1"
  "flush-cnt|all|det|$CNT1 --jit-param maxtrace=5 --jit-param maxside=2 --jit-param tryside=1 --jit-param maxabort=1"
  "flush-aggr|all|rand|$AGGR --jit-param maxtrace=3 --jit-param maxside=2 --jit-param tryside=1"
  "mcode|all|det|$CNT1 --jit-param maxmcode=64"
  "limits|all|det|$CNT1 --jit-param maxrecord=30 --jit-param maxsnap=4 --jit-param maxinline=1 --jit-param loopunroll=1 --jit-param maxabort=2 --jit-param minfuncins=0"
  "nopass|all|det|$CNT1 --jit-param fold=0 --jit-param cse=0 --jit-param loopopt=0 --jit-param narrow=0 --jit-param unrollshort=0"
  "gcstress-cnt|conf|det|--gc-stress $CNT1"
  "gcstress-aggr|conf|rand|--gc-stress $AGGR"
  "mem-default|mem|rand|--jit"
  "mem-cnt1|mem|det|$CNT1"
  "mem-aggr|mem|rand|$AGGR"
)

if [ $LIST = 1 ]; then
  for c in "${CONFIGS[@]}"; do IFS='|' read -r n s d o <<<"$c"; printf '%-15s %-4s %-4s %s\n' "$n" "$s" "$d" "$o"; done
  exit 0
fi

# ---- Programs --------------------------------------------------------------------------------
# Excluded (their output depends on timing or addresses even under --interp-only, or they cannot
# finish under a configuration):
#   Tests/conformance/coro/yield_across_mm.lua: KNOWN_FAILURES (fails in every mode, same way; kept:
#     the JIT must fail the same way).
# (None of the corpus prints clock values or addresses: the conformance rules forbid it, and the
# NONDET check below catches any that slips in.)
EXCLUDE=()

# "path<TAB>args" lines.
progs_all=()
while IFS= read -r f; do progs_all+=("$f	"); done < <(find Tests/conformance -mindepth 2 -name '*.lua' | LC_ALL=C sort)
while IFS= read -r f; do progs_all+=("$f	"); done < <(find Traces -maxdepth 1 -name '*.lua' | LC_ALL=C sort)
while read -r prog size _; do
  case $prog in '#'*|'') continue ;; esac
  progs_all+=("bench/$prog	$size")
done < bench/sizes.txt
progs_conf=()
for p in "${progs_all[@]}"; do case $p in Tests/conformance/*) progs_conf+=("$p") ;; esac; done
# Programs that allocate, with heap ceilings: ones they stay under and ones they hit (the
# "not enough memory" error and its traceback must match the interpreter's).
progs_mem=()
for spec in "bench/binary_trees.lua 10" "bench/json.lua 200" "bench/strings.lua 500" "bench/queue.lua 2" \
            "bench/closures.lua 20" "bench/fasta.lua 1000" "bench/knucleotide.lua 2000" "bench/life.lua 24" \
            "bench/tools/stress/oom_retain.lua" "bench/tools/stress/oom_strings.lua"; do
  set -- $spec
  [ -f "$1" ] && progs_mem+=("$1	${2:-}")
done
MEM_LIMITS=(400K 1M 3M)

wanted() {
  local p=$1 x
  for x in "${EXCLUDE[@]}"; do [ "$p" = "$x" ] && return 1; done
  [ ${#PATTERNS[@]} = 0 ] && return 0
  for x in "${PATTERNS[@]}"; do case $p in *"$x"*) return 0 ;; esac; done
  return 1
}

mkdir -p "$OUT/ref" "$OUT/fail" "$OUT/run"
: > "$OUT/divergences.txt"
tmp=$OUT/run

# run_one OPTIONS PROG ARGS PREFIX: runs the program, leaves PREFIX.out/.err/.rc (and .json stats).
run_one() {
  local opts=$1 prog=$2 args=$3 pre=$4
  rm -f "$pre.json"
  # shellcheck disable=SC2086
  TRACEJIT_STATS_JSON=$pre.json timeout -k 5 "$TIMEOUT" "$TJ" run $opts "$prog" $args \
    >"$pre.out" 2>"$pre.err" </dev/null
  echo $? >"$pre.rc"
}

same() { cmp -s "$1.out" "$2.out" && cmp -s "$1.err" "$2.err" && cmp -s "$1.rc" "$2.rc"; }

# reference OPTIONS PROG ARGS: sets REF to the prefix of the interpreter's outputs, or "" when
# the reference is unusable (timeout or nondeterministic).
reference() {
  local opts=$1 prog=$2 args=$3
  local key
  key=$(printf '%s|%s|%s' "$opts" "$prog" "$args" | md5sum | cut -c1-16)
  REF=$OUT/ref/$key
  if [ ! -f "$REF.done" ]; then
    run_one "--interp-only $opts" "$prog" "$args" "$REF"
    run_one "--interp-only $opts" "$prog" "$args" "$REF.again"
    local st=ok
    if [ "$(cat "$REF.rc")" = 124 ] || [ "$(cat "$REF.rc")" = 137 ]; then st=timeout
    elif ! same "$REF" "$REF.again"; then st=nondet
    fi
    echo "$st" >"$REF.done"
  fi
  REFSTATE=$(cat "$REF.done")
}

declare -A stat_runs stat_diff stat_to stat_skip stat_traces stat_side stat_aborts stat_entries stat_exits
jsonfield() { sed -n "s/.*\"$2\": \([0-9]*\).*/\1/p" "$1" 2>/dev/null | head -n1; }

for c in "${CONFIGS[@]}"; do
  IFS='|' read -r name set kind opts <<<"$c"
  if [ -n "$ONLY" ] && [[ ",$ONLY," != *",$name,"* ]]; then continue; fi
  n=$RUNS
  [ "$kind" = det ] && [ $ALLRUNS = 0 ] && n=1
  case $set in
    all) list=("${progs_all[@]}") ;;
    conf) list=("${progs_conf[@]}") ;;
    mem) list=("${progs_mem[@]}") ;;
  esac
  limits=("")
  [ "$set" = mem ] && limits=("${MEM_LIMITS[@]}")
  extra_ref=""
  case $opts in *--gc-stress*) extra_ref="--gc-stress" ;; esac
  stat_runs[$name]=0; stat_diff[$name]=0; stat_to[$name]=0; stat_skip[$name]=0
  stat_traces[$name]=0; stat_side[$name]=0; stat_aborts[$name]=0; stat_entries[$name]=0; stat_exits[$name]=0
  echo "== $name ($kind, $n run(s)): $opts" >&2
  for entry in "${list[@]}"; do
    prog=${entry%%	*}; args=${entry#*	}
    wanted "$prog" || continue
    for lim in "${limits[@]}"; do
      ropts=$extra_ref
      jopts=$opts
      if [ -n "$lim" ]; then ropts="$ropts --max-memory $lim"; jopts="$jopts --max-memory $lim"; fi
      reference "$ropts" "$prog" "$args"
      if [ "$REFSTATE" != ok ]; then
        stat_skip[$name]=$((stat_skip[$name] + 1))
        echo "SKIP $name $prog ${lim:+(max-memory $lim) }reference $REFSTATE" >&2
        continue
      fi
      for k in $(seq 1 "$n"); do
        # RND(a,b) in a configuration's options: a fresh random integer in [a, b] for each run.
        ropts_k=$jopts
        while [[ $ropts_k =~ RND\(([0-9]+),([0-9]+)\) ]]; do
          lo=${BASH_REMATCH[1]}; hi=${BASH_REMATCH[2]}
          ropts_k=${ropts_k/"${BASH_REMATCH[0]}"/$((lo + RANDOM % (hi - lo + 1)))}
        done
        run_one "$ropts_k" "$prog" "$args" "$tmp/cur"
        stat_runs[$name]=$((stat_runs[$name] + 1))
        if [ -f "$tmp/cur.json" ]; then
          for f in traces:stat_traces side_traces:stat_side aborts:stat_aborts trace_entries:stat_entries exits:stat_exits; do
            v=$(jsonfield "$tmp/cur.json" "${f%%:*}")
            declare -n arr=${f#*:}
            arr[$name]=$((arr[$name] + ${v:-0}))
            unset -n arr
          done
        fi
        if same "$tmp/cur" "$REF"; then continue; fi
        rc=$(cat "$tmp/cur.rc")
        what=""
        cmp -s "$tmp/cur.out" "$REF.out" || what="$what stdout"
        cmp -s "$tmp/cur.err" "$REF.err" || what="$what stderr"
        [ "$rc" = "$(cat "$REF.rc")" ] || what="$what exit $rc (want $(cat "$REF.rc"))"
        if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
          stat_to[$name]=$((stat_to[$name] + 1)); what="TIMEOUT$what"
        else
          stat_diff[$name]=$((stat_diff[$name] + 1))
        fi
        tag=$(echo "$name-$prog${lim:+-$lim}-$k" | tr '/ ' '__')
        d=$OUT/fail/$tag
        cp "$tmp/cur.out" "$d.out"; cp "$tmp/cur.err" "$d.err"; cp "$tmp/cur.rc" "$d.rc"
        { echo "# $TJ run $ropts_k $prog $args"; echo "# reference: $TJ run --interp-only $ropts $prog $args"
          diff "$REF.out" "$d.out" | head -n 20; diff "$REF.err" "$d.err" | head -n 20; } >"$d.diff"
        line="DIFF $name $prog${args:+ $args}${lim:+ (max-memory $lim)} run $k:$what  [$d.diff]"
        echo "$line"
        echo "$line" >>"$OUT/divergences.txt"
      done
    done
  done
done

echo
printf '%-15s %6s %5s %5s %5s %8s %6s %7s %10s %9s\n' config runs diff tmout skip traces side aborts entries exits
bad=0
for c in "${CONFIGS[@]}"; do
  IFS='|' read -r name _ _ _ <<<"$c"
  [ -n "${stat_runs[$name]:-}" ] || continue
  printf '%-15s %6d %5d %5d %5d %8d %6d %7d %10d %9d\n' "$name" "${stat_runs[$name]}" "${stat_diff[$name]}" \
    "${stat_to[$name]}" "${stat_skip[$name]}" "${stat_traces[$name]}" "${stat_side[$name]}" "${stat_aborts[$name]}" \
    "${stat_entries[$name]}" "${stat_exits[$name]}"
  bad=$((bad + stat_diff[$name] + stat_to[$name]))
done
echo "divergences: $OUT/divergences.txt"
[ $bad = 0 ]
