// The stats channel `tracejit bench` reads (docs/bench.md): when TRACEJIT_STATS_JSON names a file,
// `run` writes one JSON object there at the end with the VM's own figures; when
// TRACEJIT_BENCH_ITERATIONS=K, the program's main chunk runs K times in this process (same global
// state) and the seconds of each run are reported as `iterations`, to show warm-up.
// Fields a run does not measure (the JIT's with the JIT off, samples without sampling) are left
// out, never written as 0.
import Foundation
import JIT
import Runtime

final class RunStats {
    let path: String?
    let iterationCount: Int
    var iterationSeconds: [Double] = []
    var samples: Int?
    var jit: JITEngine?
    /// Sample hotness's counters (read after the sampler stopped).
    var hotness: SampleHotness?

    init(path: String?, iterationCount: Int) {
        self.path = path
        self.iterationCount = max(1, iterationCount)
    }

    static func fromEnvironment() -> RunStats {
        let env = ProcessInfo.processInfo.environment
        let path = env["TRACEJIT_STATS_JSON"].flatMap { $0.isEmpty ? nil : $0 }
        let k = env["TRACEJIT_BENCH_ITERATIONS"].flatMap { Int($0) } ?? 1
        return RunStats(path: path, iterationCount: min(max(k, 1), 100_000))
    }

    /// Runs `body`, recording its wall-clock seconds when `timed`.
    func timeIteration(timed: Bool, _ body: () -> Int32) -> Int32 {
        guard timed else { return body() }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let status = body()
        iterationSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        return status
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
