import CSampler
import CVM
import XCTest

@testable import Profiler

final class BuilderTests: XCTestCase {
    func raw(_ samples: [(RawSample, Int)]) -> RawProfile {
        var r = RawProfile()
        for (s, w) in samples { r.samples.append(s); r.weights.append(w); r.counts.append(1) }
        r.stats.period_ns = 1_000_000
        r.stats.hz = 1000
        return r
    }

    let f = RawSample.luaFrame

    func testLuaModeNamesFramesAndAddsStateFrames() {
        let b = ProfileBuilder(mode: .lua, luaNamer: FakeLuaNamer())
        let p = b.build(raw([
            (RawSample(state: UInt32(TJ_VMSTATE_INTERP), lua: [f(2, 4), f(1, 2), f(0, 0)]), 3),
            (RawSample(state: UInt32(TJ_VMSTATE_TRACE), aux: 3, lua: [f(2, 8), f(0, 0)]), 2),
            (RawSample(state: UInt32(TJ_VMSTATE_GC), lua: [f(1, 2), f(0, 0)]), 1),
            (RawSample(state: UInt32(TJ_VMSTATE_LIBRARY), aux: 4, lua: [f(0, 0)]), 1),
            (RawSample(state: UInt32(TJ_VMSTATE_COMPILE), lua: [f(9, 1)]), 1),
            (RawSample(state: UInt32(TJ_VMSTATE_INTERP), flags: UInt32(TJ_SAMPLE_LUA_TRUNCATED), lua: [f(2, 0)]), 1),
        ]))
        XCTAssertEqual(p.stacks[0].frames.map(\.label), ["main chunk (prog.lua)", "work (prog.lua:3)", "hot (prog.lua:10)"])
        XCTAssertEqual(p.stacks[0].frames.map(\.line), [1, 5, 13])
        XCTAssertEqual(p.stacks[0].weight, 3)
        XCTAssertEqual(p.stacks[1].frames.map(\.kind), [.lua, .jit])
        XCTAssertEqual(p.stacks[1].frames.last?.label, "hot [trace 3] (prog.lua:10)_[j]")
        // What people read drops the folded format's marker: the name already says "[trace 3]".
        XCTAssertEqual(p.stacks[1].frames.last?.displayLabel, "hot [trace 3] (prog.lua:10)")
        XCTAssertEqual(p.stacks[0].frames.last?.displayLabel, "hot (prog.lua:10)")
        XCTAssertEqual(p.stacks[1].trace, 3)
        XCTAssertEqual(p.stacks[1].state, .jit)
        XCTAssertEqual(p.stacks[2].frames.last, ProfileFrame(kind: .gc, name: "[gc]"))
        XCTAssertEqual(p.stacks[3].frames.last?.name, "string.rep")
        XCTAssertEqual(p.stacks[4].frames.map(\.label), ["proto#9", "[trace compiler]"])
        XCTAssertEqual(p.stacks[5].frames.first?.label, "[truncated]")
        XCTAssertEqual(p.totalWeight, 9)
        XCTAssertEqual(p.stateWeights[.interpreted], 4)
    }

    /// Naming a Lua frame is done once per (prototype, pc), however many stacks hold it; a new
    /// namer is asked afresh (no names left over from the old one).
    func testLuaFramesAreNamedOncePerPosition() {
        final class Counting: LuaFrameNaming {
            let inner = FakeLuaNamer()
            let suffix: String
            var calls = 0
            init(_ suffix: String) { self.suffix = suffix }
            func luaFrame(proto: UInt32, pc: UInt32) -> LuaFrameInfo? {
                calls += 1
                guard var i = inner.luaFrame(proto: proto, pc: pc) else { return nil }
                i.name += suffix
                return i
            }
            func builtinName(_ id: UInt32) -> String? { nil }
        }
        let a = Counting("")
        var b = ProfileBuilder(mode: .lua, luaNamer: a)
        // 40 stacks of depth 1...40 over the same two positions (a recursive function).
        var samples: [(RawSample, Int)] = []
        for depth in 1...40 {
            let frames = (0..<depth).map { i in i == 0 ? f(2, 4) : f(2, 6) } + [f(0, 0)]
            samples.append((RawSample(state: UInt32(TJ_VMSTATE_INTERP), lua: frames), 1))
        }
        let p = b.build(raw(samples))
        XCTAssertEqual(a.calls, 3)
        XCTAssertEqual(p.stacks.count, 40)
        XCTAssertEqual(p.stacks[39].frames.count, 41)
        XCTAssertEqual(p.stacks[39].frames.last?.line, 13)
        XCTAssertEqual(p.stacks[39].frames[1].line, 14)
        let c = Counting(" (renamed)")
        b.luaNamer = c
        let q = b.build(raw(samples))
        XCTAssertEqual(c.calls, 3)
        XCTAssertEqual(q.stacks[0].frames.last?.name, "hot (renamed)")
    }

    func testMixedModeSplicesLuaFramesAboveTheInterpreterAndNamesJITCode() {
        let sym = FakeSymbolizer()
        var b = ProfileBuilder(mode: .mixed, luaNamer: FakeLuaNamer(), jitRegistry: FakeJIT(), symbolizer: sym)
        b.interpreterSymbols = ["interp_run"]
        // native innermost first: memcpy (interrupted pc) <- interp_run <- main
        let s1 = RawSample(state: UInt32(TJ_VMSTATE_INTERP), lua: [f(1, 2), f(0, 0)], native: [0x401, 0x202, 0x103])
        // in JIT code called from the interpreter
        let s2 = RawSample(state: UInt32(TJ_VMSTATE_TRACE), aux: 3, lua: [f(0, 0)], native: [0x9010, 0x202, 0x103])
        let p = b.build(raw([(s1, 1), (s2, 1)]))
        XCTAssertEqual(p.stacks[0].frames.map(\.label), ["main", "interp_run", "main chunk (prog.lua)", "work (prog.lua:3)", "memcpy"])
        XCTAssertEqual(p.stacks[0].frames.map(\.kind), [.native, .native, .lua, .lua, .native])
        XCTAssertEqual(p.stacks[1].frames.map(\.label), ["main", "interp_run", "main chunk (prog.lua)", "hot [trace 3] (prog.lua:10)_[j]"])
        XCTAssertEqual(p.stacks[1].frames.last?.line, 15)  // pc 8 -> line 10 + 4 + 1
        // the interrupted pc is looked up as is, return addresses at ip-1
        XCTAssertTrue(sym.calls.contains { $0 == (0x401, false) })
        XCTAssertTrue(sym.calls.contains { $0 == (0x202, true) })
        XCTAssertFalse(sym.calls.contains { $0.0 == 0x9010 })
        // a trace in `hot` with `hot` also the innermost published Lua frame: shown once, as JIT
        let s3 = RawSample(state: UInt32(TJ_VMSTATE_TRACE), aux: 3, lua: [f(2, 8), f(0, 0)], native: [0x9010, 0x202, 0x103])
        XCTAssertEqual(b.build(raw([(s3, 1)])).stacks[0].frames.map(\.label),
                       ["main", "interp_run", "main chunk (prog.lua)", "hot [trace 3] (prog.lua:10)_[j]"])
    }

    func testInterpreterSymbolMatching() {
        let w = ["LuaVM.run"]
        XCTAssertTrue(ProfileBuilder.matches("Runtime.LuaVM.run(UnsafeMutablePointer<tj_thread>) throws -> Bool", w))
        XCTAssertTrue(ProfileBuilder.matches("LuaVM.run", w))
        XCTAssertFalse(ProfileBuilder.matches("Runtime.LuaVM.runOnBigStack(() throws -> Int) throws -> Int", w))
        XCTAssertFalse(ProfileBuilder.matches("closure #1 () throws -> Int in Runtime.LuaVM.run(Runtime.Value)", w))
        XCTAssertTrue(ProfileBuilder.matches("interp_run", ["interp_run"]))
    }

    func testMixedModeWithoutInterpreterFramePutsLuaAtTheRoot() {
        let b = ProfileBuilder(mode: .mixed, luaNamer: FakeLuaNamer(), symbolizer: FakeSymbolizer())
        let p = b.build(raw([(RawSample(state: UInt32(TJ_VMSTATE_GC), lua: [f(0, 0)], native: [0x301, 0x103]), 1)]))
        XCTAssertEqual(p.stacks[0].frames.map(\.label), ["main chunk (prog.lua)", "main", "gc_mark", "[gc]"])
    }

    func testFunctionAndLineStats() {
        let p = Fixture.profile()
        let stats = p.functionStats()
        XCTAssertEqual(stats.first?.function.label, "hot (prog.lua:10)")
        XCTAssertEqual(stats.first?.selfWeight, 60)
        XCTAssertEqual(stats.first?.totalWeight, 60)
        let work = stats.first { $0.function.name == "work" }!
        XCTAssertEqual(work.selfWeight, 20)
        XCTAssertEqual(work.totalWeight, 85)
        let main = stats.first { $0.function.name == "main chunk" }!
        XCTAssertEqual(main.totalWeight, 110)
        XCTAssertEqual(main.selfWeight, 0)
        let lines = p.lineStats()
        XCTAssertEqual(lines.first?.function.location, "prog.lua:12")
        XCTAssertEqual(lines.first?.weight, 40)
        // gc frames have no line: the sample's line is the Lua caller's
        XCTAssertEqual(lines.first { $0.function.location == "prog.lua:5" }?.weight, 5)
        // a native leaf without line info is not charged to its Lua caller's line
        let native = ProfileFrame(kind: .native, name: "memcpy")
        let q = Profile(stacks: [WeightedStack(frames: [Fixture.main, Fixture.work(9), native], weight: 4)])
        XCTAssertEqual(q.lineStats(), [])
    }

    func testRecursionCountsOnceInTotal() {
        let r = ProfileFrame(kind: .lua, name: "fib", file: "f.lua", line: 2, definedLine: 1)
        let p = Profile(stacks: [WeightedStack(frames: [r, r, r], weight: 7)])
        XCTAssertEqual(p.functionStats().first?.totalWeight, 7)
        XCTAssertEqual(p.functionStats().first?.selfWeight, 7)
    }
}

final class DemangleTests: XCTestCase {
    func testSwiftAndCxxNamesAreDemangled() {
        XCTAssertEqual(Symbolizer.demangle("$sSi1poiyS2i_SitFZ"), "static Int.+ infix(Int, Int) -> Int")
        XCTAssertEqual(Symbolizer.demangle("_ZN5swift4testEv"), "swift::test()")
        XCTAssertEqual(Symbolizer.demangle("memcpy"), "memcpy")
        XCTAssertEqual(Symbolizer.demangle("_Znotvalid"), "_Znotvalid")
    }
}
