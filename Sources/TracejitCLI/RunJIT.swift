// The JIT's options of `tracejit run` and the glue that attaches a JITEngine to the VM.
//
//   --jit                   JIT on (the default; `--interp-only` turns it off, like -Xint)
//   --jit-eager             every loop is hot at once (like -Xcomp)
//   --jit-backend=ir|native what runs traces (ir: the IR interpreter, the reference)
//   --hotness=sample|counter|eager
//   --jit-param name=value  any parameter of `tracejit flags` (repeatable)
//   --jit-log               one line per trace event on stderr (like luajit -jv)
//   --dump-traces[=b,i,s,m] trace dumps on stderr (like luajit -jdump)
//   --jit-out FILE          send the log and dumps to FILE instead of stderr
//   --perf-map              write /tmp/perf-<pid>.map (perf's JIT symbols: one line per trace)
import Foundation
import JIT
import Profiler
import Runtime

public struct JITRunOptions {
    /// On by default (native backend, sample hotness); `RunOptions.interpOnly` turns it off.
    public var enabled = true
    public var params = JITParams()
    public var log = false
    public var dump: DumpOptions?
    public var outPath: String?
    /// Write perf's JIT symbol map (PerfMap.swift).
    public var perfMap = false
    public init() {}
}

extension RunOptions {
    /// Handles a JIT option; returns false when `name` is not one.
    mutating func absorbJITOption(_ name: String, inline: String?, next: () throws -> String) throws -> Bool {
        switch name {
        case "--jit":
            jit.enabled = true  // the default; kept so scripts that say it keep working
        case "--jit-eager":
            jit.params.hotness = .eager
        case "--jit-backend":
            let v = try inline ?? next()
            guard let b = JITBackend(rawValue: v) else { throw UsageError(message: "bad --jit-backend '\(v)' (ir or native)") }
            jit.params.backend = b
        case "--hotness":
            let v = try inline ?? next()
            guard let h = HotnessMode(rawValue: v) else { throw UsageError(message: "bad --hotness '\(v)' (sample, counter or eager)") }
            jit.params.hotness = h
        case "--jit-param":
            let v = try inline ?? next()
            do { try jit.params.set(v) } catch { throw UsageError(message: "\(error)") }
        case "--jit-log":
            jit.log = true
        case "--dump-traces":
            guard let d = DumpOptions(letters: inline ?? "") else {
                throw UsageError(message: "bad --dump-traces '\(inline ?? "")' (letters b, i, s, m separated by commas)")
            }
            jit.dump = d
        case "--jit-out":
            jit.outPath = try inline ?? next()
        case "--perf-map":
            if inline != nil { throw UsageError(message: "--perf-map takes no value (it writes /tmp/perf-<pid>.map)") }
            jit.perfMap = true
        default:
            return false
        }
        return true
    }
}

/// Creates and attaches the engine for a run (nil with the JIT off).
func attachJIT(_ vm: LuaVM, _ o: RunOptions) -> (JITEngine, JITOutput)? {
    guard o.jit.enabled && !o.interpOnly else { return nil }
    let out = JITOutput(path: o.jit.outPath)
    let engine = JITEngine(vm: vm, params: o.jit.params)
    if o.jit.params.backend == .native { engine.nativeCompiler = NativeBackend(budgetKB: o.jit.params.maxmcode) }
    if o.jit.log { engine.log = { out.write($0 + "\n") } }
    if let d = o.jit.dump {
        engine.dump = { [unowned engine] t in out.write(TraceDump.text(t, engine: engine, options: d)) }
    }
    if o.jit.perfMap {
        if let w = PerfMapWriter() {
            engine.codeMap.addListener { w.write($0) }
        } else {
            fputs("tracejit: cannot write \(PerfMapWriter.defaultPath): \(String(cString: strerror(errno)))\n", stderr)
        }
    }
    engine.attach()
    return (engine, out)
}

/// The JIT's code map as the profiler's JITCodeRegistry: addresses in trace code -> trace number,
/// bytecode position and inlined frames, in the code generation the sample was taken in.
struct TraceCodeRegistry: JITCodeRegistry {
    let map: TraceCodeMap

    func location(of address: UInt64) -> JITCodeLocation? { location(of: address, epoch: 0) }

    func hasMachineCode(trace: Int, epoch: UInt32) -> Bool { map.hasCode(trace: trace, epoch: epoch) }

    func location(of address: UInt64, epoch: UInt32) -> JITCodeLocation? {
        guard let (c, frames) = map.lookup(address, epoch: epoch), let last = frames.last else { return nil }
        return JITCodeLocation(trace: c.trace, codeRange: c.codeRange, proto: last.proto, pc: last.pc,
                               callers: frames.dropLast().map { JITCodeLocation.Position(proto: $0.proto, pc: $0.pc) })
    }
}

final class JITOutput {
    let handle: UnsafeMutablePointer<FILE>?
    let owned: Bool
    init(path: String?) {
        if let p = path, let f = fopen(p, "w") { handle = f; owned = true } else { handle = stderr; owned = false }
    }
    func write(_ s: String) { fputs(s, handle) }
    func close() {
        fflush(handle)
        if owned { fclose(handle) }
    }
}
