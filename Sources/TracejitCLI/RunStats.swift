// The stats channel `tracejit bench` reads (docs/bench.md): when TRACEJIT_STATS_JSON names a file,
// `run` writes one JSON object there at the end with the VM's own figures; when
// TRACEJIT_BENCH_ITERATIONS=K, the program's main chunk runs K times in this process (same global
// state) and the seconds of each run are reported as `iterations`, to show warm-up.
// TRACEJIT_BENCH_PROFILE_ALTERNATE=1 (with --profile and K > 1) pauses the sampler's timer during
// the even-numbered runs (the first is run 0), so one process gives interleaved runs without and
// with sampling: `iterations_profiled` says which, `iterations_cpu` has each run's process CPU
// seconds (bench/tools/profile_overhead_alternate.py; docs/profiler.md). With the JIT's sample
// hotness the timer keeps running and the unprofiled runs take hotness-only records instead.
// Fields a run does not measure (the JIT's with the JIT off, samples without sampling) are left
// out, never written as 0.
import Foundation
import JIT
import Runtime

final class RunStats {
    let path: String?
    let iterationCount: Int
    var iterationSeconds: [Double] = []
    var iterationCPUSeconds: [Double] = []
    /// The running thread's CPU seconds per run (process CPU minus this: the profiler's drain
    /// thread and any other thread).
    var iterationThreadCPUSeconds: [Double] = []
    /// Pause sampling in even-numbered runs (TRACEJIT_BENCH_PROFILE_ALTERNATE=1).
    let alternateProfile: Bool
    /// Set by a profiled run when `alternateProfile`: pauses (true) or resumes the sampler.
    var pauseSampling: ((Bool) -> Void)?
    var iterationProfiled: [Bool] = []
    var samples: Int?
    var jit: JITEngine?
    /// Sample hotness's counters (read after the sampler stopped).
    var hotness: SampleHotness?

    init(path: String?, iterationCount: Int, alternateProfile: Bool = false) {
        self.path = path
        self.iterationCount = max(1, iterationCount)
        self.alternateProfile = alternateProfile
    }

    static func fromEnvironment() -> RunStats {
        let env = ProcessInfo.processInfo.environment
        let path = env["TRACEJIT_STATS_JSON"].flatMap { $0.isEmpty ? nil : $0 }
        let k = env["TRACEJIT_BENCH_ITERATIONS"].flatMap { Int($0) } ?? 1
        return RunStats(path: path, iterationCount: min(max(k, 1), 100_000),
                        alternateProfile: env["TRACEJIT_BENCH_PROFILE_ALTERNATE"] == "1")
    }

    /// Runs `body` (run number `index`), recording its wall-clock and process CPU seconds when
    /// `timed`; pauses or resumes sampling first when alternating.
    func timeIteration(_ index: Int, timed: Bool, _ body: () -> Int32) -> Int32 {
        guard timed else { return body() }
        if alternateProfile, let pause = pauseSampling {
            pause(index % 2 == 0)
            iterationProfiled.append(index % 2 != 0)
        }
        let t0 = DispatchTime.now().uptimeNanoseconds, c0 = RunStats.cpuSeconds(CLOCK_PROCESS_CPUTIME_ID)
        let tc0 = RunStats.cpuSeconds(CLOCK_THREAD_CPUTIME_ID)
        let status = body()
        iterationSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        iterationThreadCPUSeconds.append(RunStats.cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - tc0)
        iterationCPUSeconds.append(RunStats.cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - c0)
        return status
    }

    static func cpuSeconds(_ clock: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The JSON object for `vm`, with only the fields this build measures.
    func json(vm: LuaVM) -> String {
        var fields = [
            "\"gc_count\": \(vm.heap.collections)",
            "\"gc_seconds\": \(Double(vm.heap.gcNanoseconds) / 1e9)",
        ]
        if let s = samples {
            fields.append("\"samples\": \(s)")
        } else if let h = hotness {
            fields.append("\"samples\": \(h.heat.samples)")
        }
        if let h = hotness, h.heat.totalWeight > 0 { fields.append("\"jit_sample_share\": \(h.heat.traceShare)") }
        if let j = jit?.stats {
            fields.append("\"traces\": \(j.tracesMade)")
            fields.append("\"side_traces\": \(j.sideTraces)")
            fields.append("\"aborts\": \(j.aborts)")
            fields.append("\"trace_entries\": \(j.traceEntries)")
            fields.append("\"exits\": \(j.exits)")
            if jit?.params.sampledExits == true { fields.append("\"exits_hot_by_samples\": \(j.exitsHotBySamples)") }
            fields.append("\"compile_seconds\": \(Double(j.compileNanos) / 1e9)")
            if let f = j.firstTraceNanos { fields.append("\"first_trace_seconds\": \(Double(f) / 1e9)") }
        }
        if !iterationSeconds.isEmpty {
            fields.append("\"iterations\": [" + iterationSeconds.map { "\($0)" }.joined(separator: ", ") + "]")
            fields.append("\"iterations_cpu\": [" + iterationCPUSeconds.map { "\($0)" }.joined(separator: ", ") + "]")
            fields.append("\"iterations_thread_cpu\": [" + iterationThreadCPUSeconds.map { "\($0)" }.joined(separator: ", ") + "]")
        }
        if !iterationProfiled.isEmpty {
            fields.append("\"iterations_profiled\": [" + iterationProfiled.map { "\($0)" }.joined(separator: ", ") + "]")
        }
        return "{" + fields.joined(separator: ", ") + "}\n"
    }

    func write(vm: LuaVM) {
        guard let path else { return }
        do {
            try json(vm: vm).write(toFile: path, atomically: false, encoding: .utf8)
        } catch {
            fputs("tracejit: cannot write stats to \(path): \(error)\n", stderr)
        }
    }
}
