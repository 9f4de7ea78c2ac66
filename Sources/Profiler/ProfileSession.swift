// ProfileSession.swift: what `tracejit run --profile` calls: start before the program, stop and
// report after. Everything the CLI needs is here so the CLI stays a thin argument parser.

import CSampler
import CVM
import Foundation
import Glibc

public struct ProfileOptions: Sendable {
    public var sampler = SamplerConfiguration()
    public var mode: ProfileBuilder.Mode = .lua
    /// Where the text report goes: nil = stderr, "" = nowhere.
    public var reportPath: String?
    public var flamegraphPath: String?
    public var foldedPath: String?
    public var speedscopePath: String?
    public var pprofPath: String?
    /// nil: color when the report goes to a TTY.
    public var color: Bool?
    /// nil: frame pointers in Lua mode (only the interrupted pc is used, for JIT attribution),
    /// libunwind in mixed mode (complete stacks through code without frame pointers); see
    /// docs/profiler.md for the measured costs.
    public var nativeWalk: SamplerConfiguration.NativeWalk?
    public var reportWidth = 100

    public init() {}
}

public final class ProfileSession {
    public let options: ProfileOptions
    private let sampler: Sampler
    private var started = false

    /// `frameLayout` comes from the runtime (how its call records are laid out); `vmState` is
    /// for tests (nil: the VM's global `tj_vm_state`).
    public init(options: ProfileOptions = ProfileOptions(), frameLayout: FrameLayout? = nil,
                vmState: UnsafePointer<tj_vmstate_t>? = nil) {
        var opts = options
        opts.sampler.nativeWalk = opts.nativeWalk ?? (opts.mode == .mixed ? .libunwind : .framePointers)
        // Lua mode names JIT code from native addresses and uses them for nothing else.
        opts.sampler.nativeOnlyInTraces = opts.mode == .lua
        self.options = opts
        self.sampler = Sampler(configuration: opts.sampler, vmState: vmState, frameLayout: frameLayout)
    }

    /// Delivered every record on the drain thread while sampling (e.g. HotLoopDetector.credit);
    /// set before start().
    public var sampleObserver: ((RawSample, Int) -> Void)? {
        get { sampler.sampleObserver }
        set { sampler.sampleObserver = newValue }
    }

    /// See `Sampler.observerWantsPromptDrain`.
    public var observerWantsPromptDrain: (() -> Bool)? {
        get { sampler.observerWantsPromptDrain }
        set { sampler.observerWantsPromptDrain = newValue }
    }

    /// Call on the VM thread, right before running the program.
    public func start() throws {
        try sampler.start()
        started = true
    }

    /// Pauses or resumes the timer (VM thread; see `Sampler.setPaused`).
    public func setPaused(_ paused: Bool) { if started { sampler.setPaused(paused) } }

    /// Takes records as the JIT's hotness-only sampler does, left out of the profile (VM thread;
    /// see `Sampler.setHotnessOnly`).
    public func setHotnessOnly(_ on: Bool) { if started { sampler.setHotnessOnly(on) } }

    /// Call on the VM thread after the program ends (also after it failed). Symbolizes and
    /// builds the profile; libdwfl runs only here, never while sampling.
    public func stop(luaNamer: LuaFrameNaming? = nil, jitRegistry: JITCodeRegistry? = nil,
                     interpreterSymbols: [String] = []) -> Profile {
        let raw = sampler.stop()
        started = false
        var b = ProfileBuilder(mode: options.mode, luaNamer: luaNamer, jitRegistry: jitRegistry)
        if options.mode == .mixed { b.symbolizer = Symbolizer() }
        b.interpreterSymbols = interpreterSymbols
        return b.build(raw)
    }

    /// An output file that could not be written (the description names it).
    public struct OutputError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes the report and every requested export.
    public func writeOutputs(_ p: Profile) throws {
        if let path = options.flamegraphPath { try write(FlameGraphSVG().render(p), to: path) }
        if let path = options.foldedPath { try write(FoldedStacks.render(p), to: path) }
        if let path = options.speedscopePath { try write(data: Speedscope.render(p), to: path) }
        if let path = options.pprofPath { try write(data: Pprof.render(p), to: path) }
        switch options.reportPath {
        case .some(""): break
        case .some(let path):
            try write(TextReport(width: options.reportWidth, color: options.color ?? false).render(p), to: path)
        case .none:
            let color = options.color ?? (isatty(2) != 0)
            FileHandle.standardError.write(Data(TextReport(width: options.reportWidth, color: color).render(p).utf8))
        }
    }

    private func write(_ s: String, to path: String) throws {
        try write(data: Data(s.utf8), to: path)
    }

    private func write(data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        try data.withUnsafeBytes { (b: UnsafeRawBufferPointer) in
            var off = 0
            while off < b.count {
                let n = Glibc.write(fd, b.baseAddress! + off, b.count - off)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
                off += n
            }
        }
    }
}

/// `tracejit flamegraph diff before.folded after.folded -o diff.svg`.
public func differentialFlameGraph(beforeFolded: String, afterFolded: String,
                                   title: String = "tracejit differential flame graph") throws -> String {
    let before = try FoldedStacks.profile(fromFolded: beforeFolded)
    let after = try FoldedStacks.profile(fromFolded: afterFolded)
    return FlameGraphSVG(title: title).renderDiff(before: before, after: after)
}
