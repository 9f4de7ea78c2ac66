import Bytecode
import CSampler
import CVM
import XCTest

@testable import Profiler

final class HotnessTests: XCTestCase {
    /// 0 FORPREP -> 7 | 1 nop | 2 LOOP (while, to 6) | 3 nop | 4 nop | 5 JMP back to 2 | 6 FORLOOP back to 1
    /// | 7 nop | 8 nop (ITERC-like) | 9 ITERL back to 8 | 10 RET0
    static func code() -> [Instruction] {
        let nop = Instruction(.MOV, a: 0, b: 0, c: 0)
        return [
            Instruction(.FORPREP, a: 0, jump: 6),   // 0: past FORLOOP (7)
            nop,                                     // 1: outer body
            Instruction(.LOOP, a: 4, jump: 3),      // 2: while header, D past the back-edge (6)
            nop,                                     // 3
            nop,                                     // 4
            Instruction(.JMP, a: 0, jump: -4),      // 5: back-edge to 2
            Instruction(.FORLOOP, a: 0, jump: -6),  // 6: back to 1
            nop,                                     // 7
            nop,                                     // 8: generic-for body
            Instruction(.ITERL, a: 4, jump: -2),    // 9: back to 8
            Instruction(.RET0, a: 0, d: 1),         // 10
        ]
    }

    func testLoopMapFindsTheInnermostLoop() {
        let m = LoopMap(code: HotnessTests.code())
        XCTAssertEqual(m.loops.map { [$0.header, $0.first, $0.last] }, [[2, 2, 5], [6, 1, 6], [9, 8, 9]])
        XCTAssertEqual((0...10).map { m.loop(around: $0) ?? -1 }, [-1, 6, 2, 2, 2, 2, 6, -1, 9, 9, -1])
        XCTAssertNil(m.loop(around: 99))
        XCTAssertNil(m.loop(around: -1))
        // nonsense jumps (malformed code) are ignored, never trapped on
        XCTAssertEqual(LoopMap(code: [Instruction(.FORLOOP, a: 0, jump: 5), Instruction(.LOOP, a: 0, jump: -9)]).loops.count, 0)
    }

    func testSamplesCreditTheInnermostLoopAndReportOnce() {
        var reported: [LoopID] = []
        let d = HotLoopDetector(threshold: 3) { $0 == 1 ? LoopMap(code: HotnessTests.code()) : nil }
        d.onHot = { reported.append($0) }
        let interp = UInt32(TJ_VMSTATE_INTERP)
        func s(_ pc: UInt32, state: UInt32 = interp, proto: UInt32 = 1) -> RawSample {
            RawSample(state: state, lua: [RawSample.luaFrame(proto: proto, pc: pc), RawSample.luaFrame(proto: 0, pc: 3)])
        }
        XCTAssertNil(d.credit(s(3)))             // while loop at 2
        XCTAssertNil(d.credit(s(1)))             // outer for at 6
        XCTAssertNil(d.credit(s(7)))             // no loop
        XCTAssertNil(d.credit(s(4, state: UInt32(TJ_VMSTATE_TRACE))))  // in a trace: no credit
        XCTAssertNil(d.credit(s(4, state: UInt32(TJ_VMSTATE_GC))))
        XCTAssertNil(d.credit(s(4, proto: 9)))   // unknown prototype
        XCTAssertEqual(d.credit(s(5), weight: 2), LoopID(proto: 1, header: 2))
        XCTAssertNil(d.credit(s(5)))             // already hot: reported once
        XCTAssertEqual(reported, [LoopID(proto: 1, header: 2)])
        XCTAssertEqual(d.credit[LoopID(proto: 1, header: 2)], 4)
        XCTAssertEqual(d.credit[LoopID(proto: 1, header: 6)], 1)
    }

    func testLiveSamplerFeedsTheDetector() throws {
        let vm = FakeVM()
        vm.setStack([(0, 1), (1, 4)])  // proto 1 at pc 4: inside the while loop at 2
        let d = HotLoopDetector(threshold: 20) { $0 == 1 ? LoopMap(code: HotnessTests.code()) : nil }
        let sampler = Sampler(configuration: SamplerConfiguration(), vmState: vm.state, frameLayout: FakeVM.layout)
        sampler.sampleObserver = { s, w in d.credit(s, weight: w) }
        try sampler.start()
        let t0 = tj_thread_cpu_ns()
        while tj_thread_cpu_ns() - t0 < 100_000_000 { _ = tj_test_busy_loop(100_000) }
        let raw = sampler.stop()
        XCTAssertGreaterThan(raw.sampleCount, 0)
        XCTAssertEqual(d.credit[LoopID(proto: 1, header: 2)], raw.totalWeight)
        XCTAssertEqual(d.hot.contains(LoopID(proto: 1, header: 2)), raw.totalWeight >= 20)
    }

    // MARK: SampledLoopHeat (the JIT's live sample hotness)

    func testHookPCIsTheBodyStartOrTheInstructionAfterLOOP() {
        let m = LoopMap(code: HotnessTests.code())
        XCTAssertEqual(m.loops.map { LoopMap.hookPC(header: $0.header, first: $0.first, last: $0.last) }, [3, 1, 8])
        // an empty numeric for body: FORLOOP jumps to itself
        let e = LoopMap(code: [Instruction(.FORPREP, a: 0, jump: 0), Instruction(.FORLOOP, a: 0, jump: -1),
                               Instruction(.RET0, a: 0, d: 1)])
        XCTAssertEqual(e.loops.map { LoopMap.hookPC(header: $0.header, first: $0.first, last: $0.last) }, [1])
    }

    func testHeatReportsWithTheHookPCAndStartsOver() {
        var marks: [(LoopID, Int)] = []
        // 1000 Hz, half-life 100 ms = 100 periods: no halving during this test
        let h = SampledLoopHeat(threshold: 3, sampleHz: 1000, halfLifeMilliseconds: 100) { $0 == 1 ? LoopMap(code: HotnessTests.code()) : nil }
        h.onHot = { marks.append(($0, $1)) }
        let interp = UInt32(TJ_VMSTATE_INTERP)
        func s(_ pc: UInt32, state: UInt32 = interp, proto: UInt32 = 1) -> RawSample {
            RawSample(state: state, lua: [RawSample.luaFrame(proto: proto, pc: pc)])
        }
        XCTAssertNil(h.observe(s(3)))                                   // while loop (header 2)
        XCTAssertNil(h.observe(s(4, state: UInt32(TJ_VMSTATE_TRACE))))  // in a trace: no credit
        XCTAssertNil(h.observe(s(4, state: UInt32(TJ_VMSTATE_LIBRARY))))
        XCTAssertNil(h.observe(s(4, proto: 7)))                         // unknown prototype
        XCTAssertNil(h.observe(s(7)))                                   // outside any loop
        XCTAssertEqual(h.credit(of: LoopID(proto: 1, header: 2)), 1)
        XCTAssertEqual(h.observe(s(5), weight: 2), LoopID(proto: 1, header: 2))
        XCTAssertEqual(marks.map { $0.1 }, [3])                          // LOOP at 2: the hook reports 3
        XCTAssertEqual(h.credit(of: LoopID(proto: 1, header: 2)), 0)    // starts over
        XCTAssertNil(h.observe(s(5)))
        XCTAssertNil(h.observe(s(5)))
        XCTAssertEqual(h.observe(s(4)), LoopID(proto: 1, header: 2))    // still hot: reported again
        XCTAssertEqual(h.observe(s(9), weight: 3), LoopID(proto: 1, header: 9))
        XCTAssertEqual(marks.map { $0.1 }, [3, 3, 8])                    // ITERL at 9: its body start 8
        XCTAssertEqual(h.reports, 3)
        XCTAssertEqual(h.samples, 10)
        XCTAssertEqual(h.totalWeight, 13)
        XCTAssertEqual(h.traceWeight, 1)
        XCTAssertEqual(h.interpretedWeight, 11)
    }

    /// With a function threshold, samples outside every loop credit the function (header -1),
    /// reported with pc 0 (function traces); loops keep their own threshold.
    func testHeatCreditsFunctionsOutsideLoops() {
        var marks: [(LoopID, Int)] = []
        let h = SampledLoopHeat(threshold: 3, sampleHz: 1000, halfLifeMilliseconds: 100, functionThreshold: 2) {
            $0 == 1 ? LoopMap(code: HotnessTests.code()) : nil
        }
        h.onHot = { marks.append(($0, $1)) }
        func s(_ pc: UInt32) -> RawSample {
            RawSample(state: UInt32(TJ_VMSTATE_INTERP), lua: [RawSample.luaFrame(proto: 1, pc: pc)])
        }
        let fn = LoopID(proto: 1, header: -1)
        XCTAssertNil(h.observe(s(7)))                          // outside any loop: the function
        XCTAssertEqual(h.credit(of: fn), 1)
        XCTAssertNil(h.observe(s(3)))                          // in the while loop: not the function
        XCTAssertEqual(h.credit(of: fn), 1)
        XCTAssertEqual(h.observe(s(10)), fn)                   // RET0, outside loops: hot at 2
        XCTAssertEqual(marks.map { $0.1 }, [0])                // reported with pc 0 (the entry)
        XCTAssertEqual(h.credit(of: fn), 0)
        // without a function threshold (the default) such samples credit nothing
        let plain = SampledLoopHeat(threshold: 1, sampleHz: 1000, halfLifeMilliseconds: 100) { _ in LoopMap(code: HotnessTests.code()) }
        XCTAssertNil(plain.observe(s(7)))
        XCTAssertEqual(plain.credit(of: fn), 0)
    }

    func testHeatHalvesEveryHalfLifeOfSampledTime() {
        let h = SampledLoopHeat(threshold: 100, sampleHz: 1000, halfLifeMilliseconds: 10) { _ in LoopMap(code: HotnessTests.code()) }
        XCTAssertEqual(h.halfLifePeriods, 10)
        let loop = LoopID(proto: 1, header: 6)
        let inLoop = RawSample(state: UInt32(TJ_VMSTATE_INTERP), lua: [RawSample.luaFrame(proto: 1, pc: 1)])
        let elsewhere = RawSample(state: UInt32(TJ_VMSTATE_GC), lua: [])
        for _ in 0..<8 { h.observe(inLoop) }       // clock 8, epoch 0
        XCTAssertEqual(h.credit(of: loop), 8)
        h.observe(elsewhere, weight: 2)            // clock 10: epoch 1, credit halves
        XCTAssertEqual(h.credit(of: loop), 4)
        h.observe(elsewhere, weight: 20)           // clock 30: two more halvings
        XCTAssertEqual(h.credit(of: loop), 1)
        h.observe(inLoop)                          // 1 + 1
        XCTAssertEqual(h.credit(of: loop), 2)
        h.observe(elsewhere, weight: 10_000)       // long cold: nothing left
        XCTAssertEqual(h.credit(of: loop), 0)
        XCTAssertEqual(h.reports, 0)
        // a loop that is hot only in a slow trickle never reaches the threshold
        let slow = SampledLoopHeat(threshold: 3, sampleHz: 1000, halfLifeMilliseconds: 10) { _ in LoopMap(code: HotnessTests.code()) }
        for _ in 0..<50 {
            slow.observe(inLoop)
            slow.observe(elsewhere, weight: 10)
        }
        XCTAssertEqual(slow.reports, 0)
        XCTAssertEqual(slow.credit(of: loop), 0)
    }

    // MARK: side exits

    func exitSample(_ trace: Int, _ snap: Int, seq: UInt64, state: UInt32 = UInt32(TJ_VMSTATE_INTERP),
                    epoch: UInt32 = 5, pc: UInt32 = 7) -> RawSample {
        RawSample(state: state, lua: [RawSample.luaFrame(proto: 1, pc: pc)], codeEpoch: epoch,
                  lastExit: ExitID.pack(trace: trace, snap: snap, seq: seq))
    }

    func testExitPackingRoundTripsAndRefusesWhatDoesNotFit() {
        let v = ExitID.pack(trace: 12, snap: 300, seq: 77)
        XCTAssertEqual(ExitID.unpack(v, epoch: 9), ExitID(epoch: 9, trace: 12, snap: 300))
        XCTAssertNotEqual(v, ExitID.pack(trace: 12, snap: 300, seq: 78))   // another taking
        XCTAssertEqual(ExitID.unpack(ExitID.pack(trace: 12, snap: 300, seq: 1 << 40), epoch: 1)?.snap, 300)  // seq wraps
        XCTAssertEqual(ExitID.pack(trace: 0, snap: 1, seq: 1), 0)
        XCTAssertEqual(ExitID.pack(trace: 1 << 24, snap: 1, seq: 1), 0)
        XCTAssertEqual(ExitID.pack(trace: 1, snap: 1 << 16, seq: 1), 0)
        XCTAssertEqual(ExitID.pack(trace: 1, snap: -1, seq: 1), 0)
        XCTAssertNil(ExitID.unpack(0, epoch: 1))
    }

    /// Each exit event (one taking) earns one credit however many samples land in it; distinct
    /// takings add up to `exitThreshold`, which reports the exit (with its code epoch) and starts
    /// over. Samples in the exit's handling (TRACE) count; GC time does not.
    func testExitCreditIsOnePerEventAndReportsAtTheThreshold() {
        var hot: [ExitID] = []
        let h = SampledLoopHeat(threshold: 100, sampleHz: 1000, halfLifeMilliseconds: 100, exitThreshold: 3) { _ in
            LoopMap(code: HotnessTests.code())
        }
        h.onHotExit = { hot.append($0) }
        let id = ExitID(epoch: 5, trace: 2, snap: 4)
        for _ in 0..<50 { h.observe(exitSample(2, 4, seq: 1)) }           // one long event
        XCTAssertEqual(h.credit(ofExit: id), 1)
        XCTAssertEqual(h.exitEvents, 1)
        XCTAssertEqual(h.exitWeight, 50)
        h.observe(exitSample(2, 4, seq: 2, state: UInt32(TJ_VMSTATE_GC)))   // GC: no credit
        XCTAssertEqual(h.credit(ofExit: id), 1)
        h.observe(exitSample(2, 4, seq: 3, state: UInt32(TJ_VMSTATE_TRACE)), weight: 9)  // restoring it: one credit
        XCTAssertEqual(h.credit(ofExit: id), 2)
        h.observe(exitSample(2, 5, seq: 4))                                  // another exit
        XCTAssertEqual(h.credit(ofExit: ExitID(epoch: 5, trace: 2, snap: 5)), 1)
        XCTAssertEqual(hot.count, 0)
        h.observe(exitSample(2, 4, seq: 5))
        XCTAssertEqual(hot, [id])
        XCTAssertEqual(h.credit(ofExit: id), 0)                              // starts over
        XCTAssertEqual(h.exitReports, 1)
        // the same ids in another code generation (after a flush) are another exit
        h.observe(exitSample(2, 4, seq: 6, epoch: 6))
        XCTAssertEqual(h.credit(ofExit: ExitID(epoch: 6, trace: 2, snap: 4)), 1)
        XCTAssertEqual(h.credit(ofExit: id), 0)
        // samples without an exit event credit no exit (and loops as before)
        h.observe(RawSample(state: UInt32(TJ_VMSTATE_INTERP), lua: [RawSample.luaFrame(proto: 1, pc: 3)]))
        XCTAssertEqual(h.exitEvents, 5)
    }

    /// A loop that exits for good followed by long interpretation is one event: never hot. The
    /// same time spread over many short takings is. Without an exit threshold nothing is credited.
    func testOneLongExitEventNeverMakesItHotButManyShortOnesDo() {
        let h = SampledLoopHeat(threshold: 2, sampleHz: 1000, halfLifeMilliseconds: 50, exitThreshold: 2) { _ in
            LoopMap(code: HotnessTests.code())
        }
        var hot: [ExitID] = []
        h.onHotExit = { hot.append($0) }
        for _ in 0..<5000 { h.observe(exitSample(1, 3, seq: 41)) }          // 5 s after one exit
        XCTAssertEqual(hot.count, 0)
        XCTAssertEqual(h.exitEvents, 1)
        h.observe(exitSample(1, 3, seq: 42, state: UInt32(TJ_VMSTATE_GC)), weight: 200)  // time passes
        h.observe(exitSample(1, 3, seq: 43))                                 // a taking much later: decayed
        XCTAssertEqual(hot.count, 0)
        for seq in UInt64(100)..<UInt64(110) {                               // frequent takings
            h.observe(exitSample(1, 3, seq: seq))
            h.observe(RawSample(state: UInt32(TJ_VMSTATE_TRACE), lua: []))   // the trace runs between them
        }
        XCTAssertEqual(hot.count, 5)
        XCTAssertEqual(hot.first, ExitID(epoch: 5, trace: 1, snap: 3))
        // exit credit with its own half-life: 0 never decays, so two takings far apart add up
        let keep = SampledLoopHeat(threshold: 2, sampleHz: 1000, halfLifeMilliseconds: 50, exitThreshold: 2,
                                   exitHalfLifeMilliseconds: 0) { _ in LoopMap(code: HotnessTests.code()) }
        XCTAssertEqual(keep.exitHalfLifePeriods, 0)
        var kept = 0
        keep.onHotExit = { _ in kept += 1 }
        keep.observe(exitSample(1, 3, seq: 1))
        keep.observe(RawSample(state: UInt32(TJ_VMSTATE_TRACE), lua: []), weight: 100_000)
        XCTAssertEqual(keep.credit(ofExit: ExitID(epoch: 5, trace: 1, snap: 3)), 1)
        keep.observe(exitSample(1, 3, seq: 2))
        XCTAssertEqual(kept, 1)
        let off = SampledLoopHeat(threshold: 2, sampleHz: 1000, halfLifeMilliseconds: 50) { _ in LoopMap(code: HotnessTests.code()) }
        off.onHotExit = { _ in XCTFail("exits are off") }
        for seq in UInt64(1)..<UInt64(10) { off.observe(exitSample(1, 3, seq: seq)) }
        XCTAssertEqual(off.exitEvents, 0)
        XCTAssertEqual(off.exitWeight, 0)
    }
}
