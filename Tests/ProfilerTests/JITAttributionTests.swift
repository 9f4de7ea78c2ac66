// Samples in JIT code: named from the machine-code address through the trace registry (bytecode
// position and inlined frames of that code offset, in the sample's code generation), with a
// fallback to the published state; per-trace statistics and the report's "JIT code by trace".
import CSampler
import CVM
import XCTest

@testable import Profiler

/// A registry with one trace (number 3, code 0x9000..<0x9100) in generation 7: the first half is
/// `work` (proto 1) at pc 6 inlined into `hot` (proto 2) called at pc 4; the second half is `hot`
/// itself at pc 10.
final class FakeTraceRegistry: JITCodeRegistry {
    var lookups: [(UInt64, UInt32)] = []
    func location(of address: UInt64) -> JITCodeLocation? { location(of: address, epoch: 7) }
    func location(of address: UInt64, epoch: UInt32) -> JITCodeLocation? {
        lookups.append((address, epoch))
        guard epoch == 7, (0x9000..<0x9100).contains(address) else { return nil }
        if address < 0x9080 {
            return JITCodeLocation(trace: 3, codeRange: 0x9000..<0x9100, proto: 1, pc: 6,
                                   callers: [.init(proto: 2, pc: 4)])
        }
        return JITCodeLocation(trace: 3, codeRange: 0x9000..<0x9100, proto: 2, pc: 10)
    }
    func hasMachineCode(trace: Int, epoch: UInt32) -> Bool { trace == 3 && epoch == 7 }
}

final class JITAttributionTests: XCTestCase {
    let f = RawSample.luaFrame
    let trace = UInt32(TJ_VMSTATE_TRACE)

    func raw(_ samples: [(RawSample, Int)]) -> RawProfile {
        var r = RawProfile()
        for (s, w) in samples { r.samples.append(s); r.weights.append(w); r.counts.append(1) }
        r.stats.period_ns = 1_000_000
        r.stats.hz = 1000
        return r
    }

    func testLuaModeNamesTraceSamplesByTheirCodeAddress() {
        let reg = FakeTraceRegistry()
        let b = ProfileBuilder(mode: .lua, luaNamer: FakeLuaNamer(), jitRegistry: reg)
        // the published state: `hot` at its loop header (pc 0), called from the main chunk
        let inlined = RawSample(state: trace, aux: 3, lua: [f(2, 0), f(0, 0)], native: [0x9010, 0x202], codeEpoch: 7)
        let own = RawSample(state: trace, aux: 3, lua: [f(2, 0), f(0, 0)], native: [0x9090, 0x202], codeEpoch: 7)
        let p = b.build(raw([(inlined, 5), (own, 2)]))
        XCTAssertEqual(p.stacks[0].frames.map(\.label),
                       ["main chunk (prog.lua)", "hot [trace 3] (prog.lua:10)_[j]", "work [trace 3] (prog.lua:3)_[j]"])
        XCTAssertEqual(p.stacks[0].frames.map(\.kind), [.lua, .jit, .jit])
        XCTAssertEqual(p.stacks[0].frames.map(\.line), [1, 13, 7])   // hot at its call (pc 4), work at pc 6
        XCTAssertEqual(p.stacks[0].trace, 3)
        XCTAssertEqual(p.stacks[1].frames.map(\.label), ["main chunk (prog.lua)", "hot [trace 3] (prog.lua:10)_[j]"])
        XCTAssertEqual(p.stacks[1].frames.last?.line, 16)             // pc 10, not the published pc 0
        // the interrupted pc is looked up as is, in the sample's generation
        XCTAssertEqual(reg.lookups.first?.0, 0x9010)
        XCTAssertEqual(reg.lookups.first?.1, 7)
        let lines = p.lineStats()
        XCTAssertEqual(lines.first?.function.location, "prog.lua:7")
        XCTAssertEqual(lines.first?.weight, 5)
    }

    func testAHelperCalledFromATraceIsChargedToTheTraceThroughItsReturnAddress() {
        let reg = FakeTraceRegistry()
        let b = ProfileBuilder(mode: .lua, luaNamer: FakeLuaNamer(), jitRegistry: reg)
        // interrupted in a helper (0x555); the return address 0x9091 points into the trace
        let s = RawSample(state: trace, aux: 3, lua: [f(2, 0), f(0, 0)], native: [0x555, 0x9091, 0x202], codeEpoch: 7)
        let p = b.build(raw([(s, 1)]))
        XCTAssertEqual(p.stacks[0].frames.last?.label, "hot [trace 3] (prog.lua:10)_[j]")
        XCTAssertEqual(p.stacks[0].frames.last?.line, 16)
        XCTAssertTrue(reg.lookups.contains { $0 == (0x9090, 7) }, "return addresses are looked up at ip-1")
    }

    func testWithoutTheCodeTheBaseFrameIsOnlyMarked() {
        // another generation (code flushed since), no registry, or an address outside trace code:
        // the published frame, marked as the trace from the VM state
        let stale = RawSample(state: trace, aux: 4, lua: [f(2, 2), f(0, 0)], native: [0x9010], codeEpoch: 6)
        let outside = RawSample(state: trace, aux: 4, lua: [f(2, 2), f(0, 0)], native: [0x1234], codeEpoch: 7)
        for b in [ProfileBuilder(mode: .lua, luaNamer: FakeLuaNamer(), jitRegistry: FakeTraceRegistry()),
                  ProfileBuilder(mode: .lua, luaNamer: FakeLuaNamer())] {
            let p = b.build(raw([(stale, 1), (outside, 1)]))
            for st in p.stacks {
                XCTAssertEqual(st.frames.map(\.label), ["main chunk (prog.lua)", "hot [trace 4] (prog.lua:10)_[j]"])
                XCTAssertEqual(st.frames.last?.line, 12)
                XCTAssertEqual(st.trace, 4)
            }
        }
        // an interpreted sample is never looked up
        let reg = FakeTraceRegistry()
        let interp = RawSample(state: UInt32(TJ_VMSTATE_INTERP), lua: [f(2, 2)], native: [0x9010], codeEpoch: 7)
        let p = ProfileBuilder(mode: .lua, luaNamer: FakeLuaNamer(), jitRegistry: reg).build(raw([(interp, 1)]))
        XCTAssertEqual(p.stacks[0].frames.map(\.kind), [.lua])
        XCTAssertEqual(p.stacks[0].trace, 0)
        XCTAssertTrue(reg.lookups.isEmpty)
    }

    func testASampleOutsideItsTracesCodeIsInTheTracesEntryOrExit() {
        // trace 3 has machine code, but the sample is in the engine's Swift code (restoring an exit)
        let b = ProfileBuilder(mode: .lua, luaNamer: FakeLuaNamer(), jitRegistry: FakeTraceRegistry())
        let p = b.build(raw([
            (RawSample(state: trace, aux: 3, lua: [f(2, 0), f(0, 0)], native: [0x555, 0x666], codeEpoch: 7), 3),
            (RawSample(state: trace, aux: 3, lua: [f(2, 0), f(0, 0)], native: [0x9090], codeEpoch: 7), 1),
        ]))
        XCTAssertEqual(p.stacks[0].frames.map(\.label),
                       ["main chunk (prog.lua)", "hot [trace 3] (prog.lua:10)_[j]", "[trace entry/exit]"])
        XCTAssertEqual(p.stacks[0].trace, 3)
        let ts = p.traceStats()
        XCTAssertEqual(ts.first?.transitionWeight, 3)
        XCTAssertEqual(ts.first?.lines.map(\.weight), [1])
        let text = TextReport().render(p)
        XCTAssertTrue(text.contains("entry/exit 75%, prog.lua:16 25%"), text)
    }

    func testMixedModeShowsInlinedFramesOnceAboveTheInterpreter() {
        var b = ProfileBuilder(mode: .mixed, luaNamer: FakeLuaNamer(), jitRegistry: FakeTraceRegistry(),
                               symbolizer: FakeSymbolizer())
        b.interpreterSymbols = ["interp_run"]
        let s = RawSample(state: trace, aux: 3, lua: [f(2, 0), f(0, 0)], native: [0x9010, 0x202, 0x103], codeEpoch: 7)
        let p = b.build(raw([(s, 1)]))
        XCTAssertEqual(p.stacks[0].frames.map(\.label),
                       ["main", "interp_run", "main chunk (prog.lua)", "hot [trace 3] (prog.lua:10)_[j]",
                        "work [trace 3] (prog.lua:3)_[j]"])
        XCTAssertEqual(p.stacks[0].trace, 3)
    }

    func testTraceStatsAndReport() {
        let b = ProfileBuilder(mode: .lua, luaNamer: FakeLuaNamer(), jitRegistry: FakeTraceRegistry())
        let p = b.build(raw([
            (RawSample(state: trace, aux: 3, lua: [f(2, 0), f(0, 0)], native: [0x9010], codeEpoch: 7), 6),
            (RawSample(state: trace, aux: 3, lua: [f(2, 0), f(0, 0)], native: [0x9090], codeEpoch: 7), 2),
            (RawSample(state: trace, aux: 5, lua: [f(3, 0), f(0, 0)], native: [], codeEpoch: 7), 1),
            (RawSample(state: UInt32(TJ_VMSTATE_INTERP), lua: [f(1, 2), f(0, 0)]), 1),
        ]))
        XCTAssertEqual(p.jitWeight, 9)
        let ts = p.traceStats()
        XCTAssertEqual(ts.map(\.trace), [3, 5])
        XCTAssertEqual(ts.map(\.weight), [8, 1])
        XCTAssertEqual(ts[0].function.name, "hot [trace 3]")
        XCTAssertEqual(ts[0].lines.map(\.function.location), ["prog.lua:7", "prog.lua:16"])
        XCTAssertEqual(ts[0].lines.map(\.weight), [6, 2])
        let text = TextReport().render(p)
        XCTAssertTrue(text.contains("JIT code by trace  (90.0% of samples in 2 traces)"), text)
        let row = text.split(separator: "\n").first { $0.hasPrefix("      3 ") }.map(String.init) ?? ""
        XCTAssertTrue(row.contains("80.0%") && row.contains("hot (prog.lua:10)") &&
                      row.contains("prog.lua:7 75%, prog.lua:16 25%"), row)
        // no JIT samples, no section
        XCTAssertFalse(TextReport().render(Profile(stacks: [WeightedStack(frames: [Fixture.main], weight: 1)]))
            .contains("JIT code by trace"))
    }

    func testFoldedStacksKeepTheTraceInTheName() throws {
        let b = ProfileBuilder(mode: .lua, luaNamer: FakeLuaNamer(), jitRegistry: FakeTraceRegistry())
        let p = b.build(raw([(RawSample(state: trace, aux: 3, lua: [f(2, 0), f(0, 0)], native: [0x9010], codeEpoch: 7), 3)]))
        let folded = FoldedStacks.render(p)
        XCTAssertEqual(folded, "main chunk (prog.lua);hot [trace 3] (prog.lua:10)_[j];work [trace 3] (prog.lua:3)_[j] 3\n")
        let back = try FoldedStacks.profile(fromFolded: folded)
        XCTAssertEqual(back.stacks[0].frames.map(\.kind), [.lua, .jit, .jit])
        XCTAssertEqual(back.stacks[0].frames.last?.name, "work [trace 3]")
    }
}
