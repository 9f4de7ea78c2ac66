import CSampler
import CVM
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

/// A fake VM in C memory: prototypes, closures, a coroutine whose `interp` block holds call
/// records laid out by a Swift struct (as the interpreter's are), and a tj_vmstate_t.
final class FakeVM {
    struct CallRecord {
        var fn: UnsafeMutableRawPointer? = nil
        var pc: UnsafePointer<UInt32>?
        var closure: UnsafeMutablePointer<tj_lfunc>?
        var nresults: Int32 = 0
        var flags: UInt32
    }
    struct CoBlock {
        var marker: Int = 0x5eed
        var cis: UnsafeMutablePointer<CallRecord>
        var count: Int
    }
    static let luaFlag: UInt32 = 1

    let state = UnsafeMutablePointer<tj_vmstate_t>.allocate(capacity: 1)
    let thread = UnsafeMutablePointer<tj_thread>.allocate(capacity: 1)
    let co = UnsafeMutablePointer<CoBlock>.allocate(capacity: 1)
    let records = UnsafeMutablePointer<CallRecord>.allocate(capacity: 128)
    var protos: [UnsafeMutablePointer<tj_proto>] = []
    var closures: [UnsafeMutablePointer<tj_lfunc>] = []
    var code: [UnsafeMutablePointer<UInt32>] = []

    static let layout = FrameLayout(
        callRecordStride: MemoryLayout<CallRecord>.stride,
        recordsPointerOffset: MemoryLayout<CoBlock>.offset(of: \CoBlock.cis)!,
        recordCountOffset: MemoryLayout<CoBlock>.offset(of: \CoBlock.count)!,
        pcOffset: MemoryLayout<CallRecord>.offset(of: \CallRecord.pc)!,
        closureOffset: MemoryLayout<CallRecord>.offset(of: \CallRecord.closure)!,
        flagsOffset: MemoryLayout<CallRecord>.offset(of: \CallRecord.flags)!,
        luaFlag: luaFlag)

    /// Prototypes 0..<n with ids 0..<n and 100 instructions each.
    init(protos n: Int = 4) {
        for i in 0..<n {
            let c = UnsafeMutablePointer<UInt32>.allocate(capacity: 100)
            c.initialize(repeating: 0, count: 100)
            let p = UnsafeMutablePointer<tj_proto>.allocate(capacity: 1)
            p.initialize(to: tj_proto())
            p.pointee.id = UInt32(i)
            p.pointee.ncode = 100
            p.pointee.code = UnsafePointer(c)
            let raw = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<tj_lfunc>.size + 8, alignment: 16)
            let cl = raw.bindMemory(to: tj_lfunc.self, capacity: 1)
            cl.initialize(to: tj_lfunc())
            cl.pointee.proto = p
            code.append(c); protos.append(p); closures.append(cl)
        }
        thread.initialize(to: tj_thread())
        co.initialize(to: CoBlock(cis: records, count: 0))
        thread.pointee.interp = UnsafeMutableRawPointer(co)
        state.initialize(to: tj_vmstate_t())
        state.pointee.tag = UInt32(TJ_VMSTATE_INTERP)
        state.pointee.thread = thread
    }

    deinit {
        for c in code { c.deallocate() }
        for p in protos { p.deallocate() }
        for c in closures { UnsafeMutableRawPointer(c).deallocate() }
        state.deallocate(); thread.deallocate(); co.deallocate(); records.deallocate()
    }

    /// Frames outermost first; `nil` proto = a native record. The last Lua frame runs at its pc.
    func setStack(_ frames: [(proto: Int?, pc: Int)]) {
        var running: (Int, Int)?
        for (i, f) in frames.enumerated() {
            if let p = f.proto {
                records[i] = CallRecord(pc: UnsafePointer(code[p] + f.pc + 1), closure: closures[p], flags: FakeVM.luaFlag | 8)
                running = (p, f.pc)
            } else {
                records[i] = CallRecord(pc: nil, closure: nil, flags: 0)
            }
        }
        co.pointee.count = frames.count
        if let (p, pc) = running {
            state.pointee.proto = protos[p]
            state.pointee.pc = UnsafePointer(code[p] + pc)
        } else {
            state.pointee.proto = nil
            state.pointee.pc = nil
        }
    }
}
