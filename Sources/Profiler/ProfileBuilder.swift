// ProfileBuilder.swift: raw samples -> typed, root-first stacks.
//
// Lua-only mode (the default) shows the running coroutine's Lua frames, the innermost one marked
// JIT when the VM was in a trace, and a synthetic frame for GC, the trace compiler or the library
// function running. Mixed mode shows the native stack too: the Lua frames are spliced in right
// above the outermost interpreter frame (matched by symbol name), so the picture reads
// main -> ... -> interpreter -> Lua functions -> native callees. Addresses in JIT code are named
// by the trace registry before the native symbolizer is asked.

import CSampler
import Foundation

public struct ProfileBuilder {
    public enum Mode: Sendable { case lua, mixed }

    public var mode: Mode = .lua
    public var luaNamer: LuaFrameNaming?
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
            stacks.append(WeightedStack(frames: frames(for: s), weight: raw.weights[i], state: VMState(tag: s.state)))
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
        return p.merged()
    }

    /// Root-first frames of one sample.
    public func frames(for s: RawSample) -> [ProfileFrame] {
        let state = VMState(tag: s.state)
        var lua: [ProfileFrame] = []
        lua.reserveCapacity(s.lua.count + 1)
        if s.luaTruncated { lua.append(ProfileFrame(kind: .vm, name: "[truncated]")) }
        for (depth, packed) in s.lua.enumerated().reversed() {
            var f = luaFrame(proto: UInt32(truncatingIfNeeded: packed >> 32), pc: UInt32(truncatingIfNeeded: packed))
            if depth == 0 && state == .jit && mode == .lua { f.kind = .jit }
            lua.append(f)
        }
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
            return lua
        case .mixed:
            let native = nativeFrames(s)
            // the trace's own frame names the innermost Lua function: do not show it twice
            if let j = native.first(where: { $0.kind == .jit }), let last = lua.last,
               last.name == j.name, last.file == j.file, last.definedLine == j.definedLine {
                lua.removeLast()
            }
            return splice(lua: lua, native: native, state: state)
        }
    }

    private func luaFrame(proto: UInt32, pc: UInt32) -> ProfileFrame {
        if let info = luaNamer?.luaFrame(proto: proto, pc: pc) {
            return ProfileFrame(kind: .lua, name: info.name, file: info.source, line: info.line, definedLine: info.definedLine)
        }
        return ProfileFrame(kind: .lua, name: "proto#\(proto)", line: 0)
    }

    /// Native frames root-first; JIT addresses become JIT frames named after their Lua function.
    private func nativeFrames(_ s: RawSample) -> [ProfileFrame] {
        var out: [ProfileFrame] = []
        if s.nativeTruncated { out.append(ProfileFrame(kind: .vm, name: "[truncated]")) }
        for (i, ip) in s.native.enumerated().reversed() {
            if let j = jitRegistry?.location(of: ip) {
                var f = luaFrame(proto: j.proto, pc: j.pc)
                f.kind = .jit
                out.append(f)
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
