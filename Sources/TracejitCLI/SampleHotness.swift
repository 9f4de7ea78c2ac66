// Sample hotness (`hotness=sample`, the default; ARCHITECTURE decision 7): the glue between the
// profiler's sampler and the JIT engine, which do not know each other (TracejitCLI -> JIT,
// Profiler). On the sampler's drain thread every record goes to a SampledLoopHeat, which credits
// interpreted samples to the innermost loop around the running pc; a loop that gets hot is marked
// with `JITEngine.markHot` (thread-safe: it sets the loop's JIT byte, and the interpreter starts
// recording the next time it reaches that header). Loop maps come from the engine's prototype
// registry (prototypes whose loops the interpreter has reached). Side exits get hot the same way:
// the engine publishes the last exit it restored (`tj_vm_state.last_exit`) until a trace is
// entered again, the heat credits each sampled exit event once (`hotexitsamples`), and a hot exit
// is marked with `JITEngine.markExitHot` (thread-safe: the engine applies the mark at its next
// exit and records a side trace from that exit when it is taken next, once it has been taken
// `hotexit` times).
import Foundation
import JIT
import Profiler
import Runtime

public final class SampleHotness {
    public let heat: SampledLoopHeat
    public let sampleHz: Int

    /// `sampleHz`: the rate the sampler actually runs at (the heat's clock).
    public init(engine: JITEngine, sampleHz: Int) {
        let p = engine.params
        self.sampleHz = sampleHz
        // Strong captures (no cycle: the engine does not know this object). A weak reference would
        // give the engine a side table, and every retain of it (the interpreter takes one per
        // coroutine resume) would take Swift's slow refcount path: coroutines.lua ran 2x slower.
        heat = SampledLoopHeat(threshold: p.hotsamples, sampleHz: sampleHz, halfLifeMilliseconds: p.decayms,
                               functionThreshold: p.functraces ? p.hotfuncsamples : 0,
                               exitThreshold: p.sampledExits ? p.hotexitsamples : 0,
                               exitHalfLifeMilliseconds: p.exitdecayms) { id in
            engine.prototype(id: id).map { LoopMap(code: $0.code) }
        }
        heat.onHot = { id, pc in engine.markHot(protoID: id.proto, pc: pc) }
        heat.onHotExit = { e in engine.markExitHot(epoch: e.epoch, trace: e.trace, snap: e.snap) }
    }

    /// The sampler's per-record callback (drain thread).
    public var observer: (RawSample, Int) -> Void {
        let h = heat
        return { s, w in h.observe(s, weight: w) }
    }

    /// Whether the sampler should keep draining promptly (`Sampler.observerWantsPromptDrain`,
    /// drain thread): yes when a loop or exit got hot since the last drain (more may follow), or
    /// when a quarter or more of the new samples were interpreted (loops there may get hot), or
    /// when there were none (the program has just started); no when the program ran in its traces
    /// (or in the GC or native functions, where no loop can get hot).
    public var wantsPromptDrain: () -> Bool {
        let h = heat
        var last = (reports: 0, interpreted: 0, total: 0)
        return {
            let now = (reports: h.reports &+ h.exitReports, interpreted: h.interpretedWeight, total: h.totalWeight)
            defer { last = now }
            if now.reports != last.reports || now.total == last.total { return true }
            return (now.interpreted - last.interpreted) * 4 >= now.total - last.total
        }
    }

    /// Sampler settings for hotness alone (no profile wanted): only the running frame's pc.
    public static func samplerConfiguration(hz: Int) -> SamplerConfiguration {
        var c = SamplerConfiguration()
        c.hz = hz
        c.nativeWalk = .none
        c.maxLuaDepth = 1
        c.aggregate = false
        return c
    }
}

/// Runs `body` on the VM thread with a hotness-only sampler feeding `hotness` (no profile is
/// built). A sampler that cannot start is reported; `body` then runs without it and is told so.
public func withHotnessSampler<T>(_ vm: LuaVM, _ hotness: SampleHotness, _ body: @escaping (_ sampling: Bool) -> T) -> T {
    let sampler = Sampler(configuration: SampleHotness.samplerConfiguration(hz: hotness.sampleHz))
    sampler.sampleObserver = hotness.observer
    sampler.observerWantsPromptDrain = hotness.wantsPromptDrain
    return vm.runOnVMThread {
        var sampling = true
        do { try sampler.start() } catch {
            sampling = false
            fputs("tracejit: sample hotness: \(error); no loop will get hot (try --hotness counter)\n", stderr)
        }
        let r = body(sampling)
        if sampling { _ = sampler.stop() }
        return r
    }
}
