import Foundation

@testable import Profiler

/// Deterministic stand-ins for the runtime, the JIT registry and libdwfl.
final class FakeLuaNamer: LuaFrameNaming {
    // proto id -> (name, defined line); line of pc = defined + pc / 2
    let protos: [UInt32: (String, Int)] = [0: ("main chunk", 0), 1: ("work", 3), 2: ("hot", 10), 3: ("cold", 20)]
    func luaFrame(proto: UInt32, pc: UInt32) -> LuaFrameInfo? {
        guard let (n, d) = protos[proto] else { return nil }
        return LuaFrameInfo(name: n, source: "prog.lua", line: d + Int(pc) / 2 + 1, definedLine: d)
    }
    func builtinName(_ id: UInt32) -> String? { id == 4 ? "string.rep" : nil }
}

final class FakeJIT: JITCodeRegistry {
    func location(of address: UInt64) -> JITCodeLocation? {
        (0x9000..<0x9100).contains(address) ? JITCodeLocation(trace: 3, codeRange: 0x9000..<0x9100, proto: 2, pc: 8) : nil
    }
}

final class FakeSymbolizer: NativeSymbolizing {
    var calls: [(UInt64, Bool)] = []
    let names: [UInt64: String] = [0x100: "main", 0x200: "interp_run", 0x300: "gc_mark", 0x400: "memcpy"]
    func symbolize(_ address: UInt64, isReturnAddress: Bool) -> NativeSymbol {
        calls.append((address, isReturnAddress))
        let a = isReturnAddress ? address - 1 : address
        return NativeSymbol(name: names[a & ~0xF] ?? "0x\(String(a, radix: 16))", file: "vm.c", line: Int(a & 0xF))
    }
}

enum Fixture {
    static let main = ProfileFrame(kind: .lua, name: "main chunk", file: "prog.lua", line: 1)
    static func work(_ line: Int = 5) -> ProfileFrame { ProfileFrame(kind: .lua, name: "work", file: "prog.lua", line: line, definedLine: 3) }
    static func hot(_ line: Int = 12) -> ProfileFrame { ProfileFrame(kind: .lua, name: "hot", file: "prog.lua", line: line, definedLine: 10) }
    static let cold = ProfileFrame(kind: .lua, name: "cold", file: "prog.lua", line: 21, definedLine: 20)
    static let gc = ProfileFrame(kind: .gc, name: "[gc]")
    static var hotJIT: ProfileFrame { var f = hot(); f.kind = .jit; return f }

    /// 100 samples of weight: hot 60+10 (JIT), work self 20, cold 15, gc 5 -> total 110.
    static func profile() -> Profile {
        Profile(stacks: [
            WeightedStack(frames: [main, work(), hot(12)], weight: 40),
            WeightedStack(frames: [main, work(), hot(13)], weight: 20),
            WeightedStack(frames: [main, work(6)], weight: 20),
            WeightedStack(frames: [main, cold], weight: 15),
            WeightedStack(frames: [main, work(), gc], weight: 5, state: .gc),
            WeightedStack(frames: [main, hotJIT], weight: 10, state: .jit),
        ], sampleCount: 105, periodNanoseconds: 1_000_000, requestedHz: 1000, cpuSeconds: 0.11, wallSeconds: 0.12,
           missedPeriods: 5, timer: "perf task-clock")
    }
}
