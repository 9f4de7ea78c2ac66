#!/usr/bin/env python3
"""The profiler's cost at 1 kHz, measured inside one process (docs/profiler.md, "Overhead").

Side-by-side runs of separate processes cannot resolve a 3% effect on a shared VM (run-to-run
spread 5-20% even at load 1). Here each program runs K times in one `tracejit run --interp-only
--profile` process (TRACEJIT_BENCH_ITERATIONS=K) with TRACEJIT_BENCH_PROFILE_ALTERNATE=1: the
sampler's timer is paused in the even-numbered runs, so sampled and unsampled runs alternate a few
seconds apart in the same process, on the same heap and warm code. Each sampled run is compared
with the mean of the unsampled runs on either side of it (process CPU seconds, drain thread
included; the last column uses the VM thread's own CPU clock, leaving the drain thread out); runs 0
and 1 are warm-up and dropped. The per-program figure is the median of those
ratios with a bootstrap 95% interval; the suite figure is their geometric mean.

Not included: the fixed cost per run (starting the sampler, building and printing the report:
a few ms, measured separately by side-by-side runs of short programs).

--jit: the JIT on (the default of `tracejit run`) instead of --interp-only. The JIT's sample
hotness needs the timer in every run, so the unprofiled runs take records as the hotness-only
sampler does (the running frame only, not kept) and the figure is what --profile adds to the
sampling the JIT does anyway.

usage: bench/tools/profile_overhead_alternate.py TRACEJIT [--budget SECONDS] [--hz HZ] [--jit]
           [--size medium|default] [--json OUT] [PROGRAM.lua[:ARG] ...]
       bench/tools/profile_overhead_alternate.py - --pool RUN1.json RUN2.json ...
Default: every bench/*.lua at a medium size (about 1 s a run interpreted, so each program gets
several pairs of runs within the budget); `--size default` uses the programs' own sizes.
"""
import argparse
import glob
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile


# About 1 CPU second per run in the interpreter on these machines (default sizes take 1-22 s).
MEDIUM = {
    "binary_trees.lua": "14", "closures.lua": "5000", "coroutines.lua": "1000000", "deltablue.lua": "250",
    "fannkuch.lua": "9", "fasta.lua": "600000", "fib.lua": "35", "findmax.lua": "5", "hanoi.lua": "22",
    "json.lua": "8000", "knucleotide.lua": "250000", "life.lua": "130", "mandelbrot.lua": "1000",
    "matmul.lua": "400", "nbody.lua": "400000", "nqueens.lua": "12", "queue.lua": "150",
    "raytrace.lua": "300", "richards.lua": "200", "sieve.lua": "200", "sort.lua": "200000",
    "spectral_norm.lua": "700", "strings.lua": "64000",
}


def run(tj, prog, k, hz, jit=False):
    prog, _, arg = prog.partition(":")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        stats = f.name
    env = dict(os.environ, TRACEJIT_STATS_JSON=stats, TRACEJIT_BENCH_ITERATIONS=str(k),
               TRACEJIT_BENCH_PROFILE_ALTERNATE="1")
    cmd = [tj, "run"] + ([] if jit else ["--interp-only"]) + ["--profile", "--profile-out", "/dev/null", "--sample-rate", str(hz), prog] + ([arg] if arg else [])
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"{prog}: exit {p.returncode}: {p.stderr.strip()[:300]}")
    with open(stats) as f:
        d = json.load(f)
    os.unlink(stats)
    cpu, on = d["iterations_cpu"], d["iterations_profiled"]
    if len(on) != len(cpu) or any(on[i] != (i % 2 == 1) for i in range(len(on))):
        sys.exit(f"{prog}: the run did not alternate (is this tracejit new enough?)")
    return cpu, d.get("iterations_thread_cpu", [])


def ratios(cpu):
    """Sampled run i (odd) over the mean of its unsampled neighbours, from run 2 on."""
    out = []
    for i in range(3, len(cpu), 2):
        nb = [cpu[j] for j in (i - 1, i + 1) if j < len(cpu)]
        out.append(cpu[i] / (sum(nb) / len(nb)))
    return out


def bootstrap(xs, stat, n=2000, seed=1):
    rnd = random.Random(seed)
    vals = sorted(stat([rnd.choice(xs) for _ in xs]) for _ in range(n))
    return vals[int(0.025 * n)], vals[int(0.975 * n) - 1]


def geomean_interval(per, seed=2, n=1000):
    """Geometric mean of the per-program median ratios, with a bootstrap 95% interval that
    resamples runs within every program."""
    g = math.exp(sum(math.log(statistics.median(rs)) for rs in per) / len(per))
    rnd = random.Random(seed)
    boots = sorted(math.exp(sum(math.log(statistics.median([rnd.choice(rs) for _ in rs])) for rs in per) / len(per))
                   for _ in range(n))
    return g, boots[int(0.025 * n)], boots[int(0.975 * n) - 1]


def pool(files):
    per = {}
    for path in files:
        with open(path) as f:
            d = json.load(f)
        for name, cpu in d["cpu_seconds_per_run"].items():
            per.setdefault(name, []).extend(ratios(cpu))
    print(f"{'program':18} {'pairs':>5} {'overhead':>9}  95% interval")
    for name, rs in per.items():
        lo, hi = bootstrap(rs, statistics.median)
        print(f"{name:18} {len(rs):5d} {100 * (statistics.median(rs) - 1):+8.2f}%  {100 * (lo - 1):+.2f} .. {100 * (hi - 1):+.2f}%")
    g, lo, hi = geomean_interval(list(per.values()))
    print(f"pooled geometric mean over {len(per)} programs, {len(files)} runs: {100 * (g - 1):+.2f}% "
          f"(95% interval {100 * (lo - 1):+.2f} .. {100 * (hi - 1):+.2f}%)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tracejit")
    ap.add_argument("programs", nargs="*")
    ap.add_argument("--budget", type=float, default=15.0, help="CPU seconds per program (default 15)")
    ap.add_argument("--hz", type=int, default=1000)
    ap.add_argument("--json", help="write the per-run figures here")
    ap.add_argument("--size", choices=["medium", "default"], default="medium")
    ap.add_argument("--jit", action="store_true", help="JIT on; unprofiled runs sample for hotness only")
    ap.add_argument("--pool", nargs="+", metavar="JSON",
                    help="run nothing: pool the runs saved by earlier --json runs (ratios per program "
                         "from every file) and print the combined figures")
    a = ap.parse_intermixed_args()
    if a.pool:
        pool(a.pool)
        return
    progs = a.programs or sorted(glob.glob("bench/*.lua"))
    if a.size == "medium":
        progs = [p if ":" in p or os.path.basename(p) not in MEDIUM else p + ":" + MEDIUM[os.path.basename(p)]
                 for p in progs]
    rows, raw, raw_thread, thread_logs = [], {}, {}, []
    print(f"{'program':18} {'runs':>4} {'unsampled s':>11} {'sampled s':>10} {'overhead':>9}  {'95% interval':20} VM thread only")
    for prog in progs:
        # One probe run sets K so that the program gets about `budget` seconds (K odd, 15..41 runs:
        # at least 6 sampled runs with two unsampled neighbours each after the warm-up).
        t = run(a.tracejit, prog, 2, a.hz, a.jit)[0][0]
        k = int(min(41, max(15, a.budget / max(t, 1e-3))))
        k += (k % 2 == 0)  # odd K: the last run is unsampled, so every sampled run has two neighbours
        cpu, tcpu = run(a.tracejit, prog, k, a.hz, a.jit)
        rs = ratios(cpu)
        # the same on the VM thread's own CPU clock: the difference is the drain thread's share
        vm_thread = statistics.median(ratios(tcpu)) if len(tcpu) == len(cpu) else float("nan")
        med = statistics.median(rs)
        lo, hi = bootstrap(rs, statistics.median)
        off = statistics.median(cpu[2::2])
        on = statistics.median(cpu[3::2])
        name = os.path.basename(prog).replace(".lua:", " ")
        raw[name] = cpu
        raw_thread[name] = tcpu
        rows.append(med)
        thread_logs.append(math.log(vm_thread))
        interval = f"{100 * (lo - 1):+.2f} .. {100 * (hi - 1):+.2f}%"
        print(f"{name:18} {k:4d} {off:11.3f} {on:10.3f} {100 * (med - 1):+8.2f}%  {interval:20} {100 * (vm_thread - 1):+.2f}%",
              flush=True)
    g, glo, ghi = geomean_interval([ratios(raw[n]) for n in raw])
    print(f"geometric mean over {len(rows)} programs: {100 * (g - 1):+.2f}% "
          f"(95% interval {100 * (glo - 1):+.2f} .. {100 * (ghi - 1):+.2f}%) at {a.hz} Hz"
          + (", JIT on" if a.jit else ", interpreter"))
    print(f"on the VM thread's CPU clock alone (no drain thread): {100 * (math.exp(sum(thread_logs) / len(thread_logs)) - 1):+.2f}%")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"hz": a.hz, "tracejit": a.tracejit, "jit": a.jit, "cpu_seconds_per_run": raw,
                       "vm_thread_cpu_seconds_per_run": raw_thread,
                       "note": "runs alternate unsampled (even) / sampled (odd); runs 0-1 are warm-up"}, f, indent=1)


if __name__ == "__main__":
    main()
