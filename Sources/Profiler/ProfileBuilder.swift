// ProfileBuilder.swift: raw samples -> typed, root-first stacks.
//
// Lua-only mode (the default) shows the running coroutine's Lua frames, the innermost one marked
// JIT when the VM was in a trace, and a synthetic frame for GC, the trace compiler or the library
// function running. Mixed mode shows the native stack too: the Lua frames are spliced in right
// above the outermost interpreter frame (matched by symbol name), so the picture reads
// main -> ... -> interpreter -> Lua functions -> native callees. Addresses in JIT code are named
// by the trace registry before the native symbolizer is asked.
//
// JIT code. A sample taken while a trace runs (state TRACE) names the trace's frames from the
// machine-code address, not from the VM's published pc (which stays at the loop header while the
// trace runs): the innermost native address inside trace code (the interrupted pc, or the return
// address into the trace when a helper was running) is looked up in the trace registry of the
// sample's code generation, which gives the bytecode position (prototype + pc) of that code and
// the frames the trace inlined around it. Those frames replace the trace's base frame, as JIT
// frames named `function [trace N]`, so lines, functions and flame graphs show where in the Lua
// source the compiled code's time went. Without a registry answer (IR backend, a sample between
// trace exit and the state switch) the base frame is only marked `[trace N]` (N from the state);
// when trace N does have machine code, the sample was taken in its entry or exit handling (the
// engine's Swift code around the trace: restoring an exit, following a link), shown as a
// `[trace entry/exit]` frame above it.

import CSampler
import Foundation

public struct ProfileBuilder {
    public enum Mode: Sendable { case lua, mixed }

    public var mode: Mode = .lua
    public var luaNamer: LuaFrameNaming? {
        didSet { luaFrames = LuaFrameMemo() }  // a new table: copies of this builder keep theirs
    }
    /// Named Lua frames by (prototype id << 32 | pc): deep stacks repeat the same few positions
    /// in sample after sample, and naming one (function name, source, line) costs far more than
    /// a lookup; it was most of the work `stop` did on recursive programs.
    private var luaFrames = LuaFrameMemo()

    private final class LuaFrameMemo {
        var table: [UInt64: ProfileFrame] = [:]
    }
    public var jitRegistry: JITCodeRegistry?
    public var symbolizer: NativeSymbolizing?
    /// The interpreter's dispatch function(s): a native frame matches when its name, or its base
    /// name (the demangled name before the first "("), equals one of these or ends with "." + it
    /// ("LuaVM.run" matches "Runtime.LuaVM.run(...) throws -> Bool" but not "LuaVM.runOnBigStack").
    public var interpreterSymbols: [String] = []

    static func matches(_ name: String, _ wanted: [String]) -> Bool {
        let base = name.firstIndex(of: "(").map { String(name[..<$0]) } ?? name
        return wanted.contains { w in name == w || base == w || base.hasSuffix("." + w) }
    }
    /// Native frames whose names contain one of these are dropped in mixed mode (the sampler's
    /// own plumbing, if it ever shows up).
    public var hiddenNativeSymbols: [String] = ["on_sigprof", "__restore_rt"]

    public init(mode: Mode = .lua, luaNamer: LuaFrameNaming? = nil, jitRegistry: JITCodeRegistry? = nil,
                symbolizer: NativeSymbolizing? = nil) {
        self.mode = mode
        self.luaNamer = luaNamer
        self.jitRegistry = jitRegistry
        self.symbolizer = symbolizer
    }

    public func build(_ raw: RawProfile) -> Profile {
        var stacks: [WeightedStack] = []
        stacks.reserveCapacity(raw.samples.count)
        for (i, s) in raw.samples.enumerated() {
            let (f, trace) = framesAndTrace(for: s)
            stacks.append(WeightedStack(frames: f, weight: raw.weights[i], state: VMState(tag: s.state), trace: trace))
        }
        let st = raw.stats
        let hz = Int(st.hz)
        var p = Profile(
            stacks: stacks, sampleCount: raw.sampleCount,
            periodNanoseconds: st.period_ns > 0 ? st.period_ns : 1_000_000,
            requestedHz: hz > 0 ? hz : 1000,
            cpuSeconds: st.cpu_ns > 0 ? Double(st.cpu_ns) / 1e9 : nil,
            wallSeconds: raw.wallSeconds > 0 ? raw.wallSeconds : nil,
            missedPeriods: Int(st.missed_periods), dropped: Int(st.dropped), droppedWeight: Int(st.dropped_weight),
            timer: raw.timerName, startTime: raw.startTime)
        p.handlerSeconds = Double(st.handler_ns) / 1e9
        p.throttles = Int(st.throttles)
        p.finalPeriodNanoseconds = st.final_period_ns
        return p.merged()
    }

    /// Root-first frames of one sample.
    public func frames(for s: RawSample) -> [ProfileFrame] { framesAndTrace(for: s).frames }

    /// Between a coroutine's frames and those of the code that resumed it (coroutine.resume or a
    /// wrap function's call).
    public static let coroutineBoundary = "[coroutine]"

    /// The frame of samples taken in a native trace's entry or exit handling.
    public static let traceTransition = "[trace entry/exit]"

    /// The JIT location of the innermost native address inside trace code, with its index in
    /// `s.native` (innermost first).
    func jitLocation(_ s: RawSample) -> (JITCodeLocation, Int)? {
        guard let reg = jitRegistry else { return nil }
        for (i, ip) in s.native.enumerated() {
            // a return address points after the call: look up the call itself
            if let j = reg.location(of: i == 0 ? ip : ip &- 1, epoch: s.codeEpoch) { return (j, i) }
        }
        return nil
    }

    /// Root-first frames of one sample and the trace it ran in (0: none).
    func framesAndTrace(for s: RawSample) -> (frames: [ProfileFrame], trace: Int) {
        let state = VMState(tag: s.state)
        let jit = state == .jit || mode == .mixed ? jitLocation(s) : nil
        var trace = jit?.0.trace ?? (state == .jit ? Int(s.aux) : 0)
        var lua: [ProfileFrame] = []
        lua.reserveCapacity(s.lua.count + 1)
        if s.luaTruncated { lua.append(ProfileFrame(kind: .vm, name: "[truncated]")) }
        for (depth, packed) in s.lua.enumerated().reversed() {
            var f = luaFrame(proto: UInt32(truncatingIfNeeded: packed >> 32), pc: UInt32(truncatingIfNeeded: packed))
            if depth == 0 && state == .jit && (mode == .lua || jit == nil) {
                // the trace's base frame: replaced by the trace's own frames when its code was found
                if mode == .lua, let (loc, _) = jit { lua += jitFrames(loc); continue }
                f.kind = .jit
                f.name += " [trace \(s.aux)]"
                lua.append(f)
                if mode == .lua, jitRegistry?.hasMachineCode(trace: Int(s.aux), epoch: s.codeEpoch) == true {
                    lua.append(ProfileFrame(kind: .vm, name: ProfileBuilder.traceTransition))
                }
                continue
            }
            lua.append(f)
        }
        if s.lua.isEmpty && state == .jit && mode == .lua, let (loc, _) = jit { lua += jitFrames(loc) }
        switch mode {
        case .lua:
            switch state {
            case .gc: lua.append(ProfileFrame(kind: .gc, name: "[gc]"))
            case .compiler: lua.append(ProfileFrame(kind: .vm, name: "[trace compiler]"))
            case .recorder: lua.append(ProfileFrame(kind: .vm, name: "[trace recorder]"))
            case .library:
                let n = luaNamer?.builtinName(s.aux) ?? "builtin#\(s.aux)"
                lua.append(ProfileFrame(kind: .native, name: n))
            case .idle where lua.isEmpty: lua.append(ProfileFrame(kind: .vm, name: "[outside Lua]"))
            default: break
            }
            return (lua, trace)
        case .mixed:
            let native = nativeFrames(s)
            // the trace's base frame names the innermost Lua function: do not show it twice
            if let j = native.first(where: { $0.kind == .jit }), let last = lua.last, last.kind != .vm,
               last.file == j.file, last.definedLine == j.definedLine,
               last.name == j.name || j.name.hasPrefix(last.name + " [trace ") {
                lua.removeLast()
            }
            if jit == nil && state != .jit { trace = 0 }
            return (splice(lua: lua, native: native, state: state), trace)
        }
    }

    /// The frames of a JIT location, root-first: the inlined callers, then the position itself;
    /// all JIT frames named `function [trace N]`.
    func jitFrames(_ loc: JITCodeLocation) -> [ProfileFrame] {
        var out: [ProfileFrame] = []
        out.reserveCapacity(loc.callers.count + 1)
        for p in loc.callers + [JITCodeLocation.Position(proto: loc.proto, pc: loc.pc)] {
            var f = luaFrame(proto: p.proto, pc: p.pc)
            f.kind = .jit
            f.name += " [trace \(loc.trace)]"
            out.append(f)
        }
        return out
    }

    private func luaFrame(proto: UInt32, pc: UInt32) -> ProfileFrame {
        let key = RawSample.luaFrame(proto: proto, pc: pc)
        if let f = luaFrames.table[key] { return f }
        let f: ProfileFrame
        if proto == TJ_PROTO_COROUTINE_BOUNDARY {
            f = ProfileFrame(kind: .vm, name: ProfileBuilder.coroutineBoundary)
        } else if let info = luaNamer?.luaFrame(proto: proto, pc: pc) {
            f = ProfileFrame(kind: .lua, name: info.name, file: info.source, line: info.line, definedLine: info.definedLine)
        } else {
            f = ProfileFrame(kind: .lua, name: "proto#\(proto)", line: 0)
        }
        luaFrames.table[key] = f
        return f
    }

    /// Native frames root-first; JIT addresses become JIT frames named after their Lua function.
    private func nativeFrames(_ s: RawSample) -> [ProfileFrame] {
        var out: [ProfileFrame] = []
        if s.nativeTruncated { out.append(ProfileFrame(kind: .vm, name: "[truncated]")) }
        for (i, ip) in s.native.enumerated().reversed() {
            if let j = jitRegistry?.location(of: i == 0 ? ip : ip &- 1, epoch: s.codeEpoch) {
                out += jitFrames(j)
                continue
            }
            guard let sym = symbolizer?.symbolize(ip, isReturnAddress: i > 0) else {
                out.append(ProfileFrame(kind: .native, name: String(format: "0x%llx", ip)))
                continue
            }
            if hiddenNativeSymbols.contains(where: { sym.name.contains($0) }) { continue }
            out.append(ProfileFrame(kind: .native, name: sym.name, file: sym.file, line: sym.line))
        }
        return out
    }

    private func splice(lua: [ProfileFrame], native: [ProfileFrame], state: VMState) -> [ProfileFrame] {
        var native = native
        if state == .gc, !native.contains(where: { $0.kind == .gc }) {
            // keep the state visible even when the GC's own frames are not distinguishable
            native.append(ProfileFrame(kind: .gc, name: "[gc]"))
        }
        guard !interpreterSymbols.isEmpty,
              let at = native.firstIndex(where: { $0.kind == .native && ProfileBuilder.matches($0.name, interpreterSymbols) })
        else { return lua + native }
        return Array(native[...at]) + lua + Array(native[(at + 1)...])
    }
}
