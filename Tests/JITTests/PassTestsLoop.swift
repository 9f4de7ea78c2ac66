// LoopOpt: peeling one iteration, invariant hoisting through CSE, PHIs, snapshot merging, giving up
// on type-unstable slots.
import XCTest
@testable import JIT

final class PassTestsLoop: XCTestCase {
    /// for i = i, n do s = s + t[i] end, recorded as one iteration:
    /// slots 0 = i, 1 = n, 2 = s, 3 = t.
    struct SumLoop {
        var i, n, s, t, arr, asize, ii, elem, sum, inext: IRRef
    }
    func buildSumLoop(_ b: IRBuilder) -> SumLoop {
        b.snap(pc: 0)
        let i = b.sload(0, .num), n = b.sload(1, .num), s = b.sload(2, .num), t = b.sload(3, .tab)
        let arr = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabArray.rawValue))
        let asize = b.emit(IRIns(.FLOAD, .int, a: t, b: IRField.tabAsize.rawValue))
        let ii = b.emit(IRIns(.TOINT, .int, a: i, guarded: true))
        b.guardOp(.ABC, ii, asize)
        let elem = b.emit(IRIns(.ALOAD, .num, a: b.bin(.AREF, arr, ii, .ptr), guarded: true))
        let sum = b.bin(.ADD, s, elem)
        let inext = b.bin(.ADD, i, b.num(1))
        b.snap([(0, inext), (2, sum)], pc: 9)               // loop exit
        b.guardOp(.LE, inext, n)
        b.snap([(0, inext), (2, sum)], pc: 0)               // loop end
        b.emit(IRIns(.GCSTEP, .void))
        return SumLoop(i: i, n: n, s: s, t: t, arr: arr, asize: asize, ii: ii, elem: elem, sum: sum, inext: inext)
    }

    func testSumLoopHoistsInvariantsAndMakesPHIs() {
        let (t, b) = makeTrace(link: .loop)
        let r = buildSumLoop(b)
        let n = t.ins.count
        assertVerifies(t)
        XCTAssertTrue(LoopOpt.run(t, builder: b))
        assertVerifies(t)
        XCTAssertEqual(t.loopStart, n)
        XCTAssertEqual(t.ins[n].op, .LOOP)
        let body = n + 1
        XCTAssertEqual(t.count(.SLOAD, from: body), 0)        // all substituted
        XCTAssertEqual(t.count(.FLOAD, from: body), 0)        // invariant loads hoisted (no store in the loop)
        XCTAssertEqual(t.count(.ALOAD, from: body), 1)        // the index varies
        XCTAssertEqual(t.count(.ABC, from: body), 1)
        XCTAssertEqual(t.count(.TOINT, from: body), 1)
        XCTAssertEqual(t.count(.LE, from: body), 1)
        XCTAssertEqual(t.count(.GCSTEP, from: body), 1)
        let phis = t.ins[body...].filter { $0.op == .PHI }
        XCTAssertEqual(phis.map(\.a).sorted(), [r.sum, r.inext].sorted())
        for p in phis {
            XCTAssertGreaterThan(p.b, IRRef(n))
            XCTAssertEqual(t.ins[Int(p.b)].op, .ADD)
        }
        // The body's i + 1 reads the peeled i + 1 (carried by its PHI).
        let bodyInc = t.ins[body...].first { $0.op == .ADD && $0.b == b.num(1) }
        XCTAssertEqual(bodyInc?.a, r.inext)
        // Snapshots copied: 3 in the peel, 3 in the body; the loop end is the last one.
        XCTAssertEqual(t.snapshots.count, 6)
        let end = t.snapshots[5]
        XCTAssertEqual(end.pc, 0)
        XCTAssertEqual(end.entries.map(\.slot), [0, 2])
        XCTAssert(end.entries.allSatisfy { $0.ref > IRRef(n) })
        // The body's first snapshot inherits the loop-start state.
        XCTAssertEqual(t.snapshots[3].entries, [SnapEntry(slot: 0, ref: r.inext), SnapEntry(slot: 2, ref: r.sum)])
        // Body guards exit through body snapshots.
        for (k, ins) in t.ins.enumerated() where k > n && ins.isGuard {
            XCTAssertGreaterThanOrEqual(ins.snap, 3)
        }
        XCTAssertEqual(DCE.run(t), 0)
        assertVerifies(t)
    }

    func testStoreInLoopForwardsAcrossBackEdge() {
        let (t, b) = makeTrace(link: .loop)
        b.snap()
        let tab = b.sload(0, .tab)
        let arr = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue))
        let aref = b.bin(.AREF, arr, b.int(1), .ptr)
        let v = b.emit(IRIns(.ALOAD, .num, a: aref, guarded: true))
        b.emit(IRIns(.ASTORE, .void, a: aref, b: b.bin(.ADD, v, b.num(1))))
        b.snap(pc: 0)
        let n = t.ins.count
        XCTAssertTrue(LoopOpt.run(t, builder: b))
        assertVerifies(t)
        XCTAssertEqual(t.count(.FLOAD, from: n), 0)          // an array store leaves the table's shape
        // The body's load is forwarded from the previous iteration's store: a PHI carries it.
        XCTAssertEqual(t.count(.ALOAD, from: n), 0)
        XCTAssertEqual(t.count(.ASTORE, from: n), 1)
        XCTAssertEqual(t.count(.PHI), 1)
    }

    func testInvariantGuardsDisappearFromBody() {
        let (t, b) = makeTrace(link: .loop)
        b.snap()
        let i = b.sload(0, .num), lim = b.sload(1, .num)
        b.guardOp(.LT, lim, b.num(1000))                    // invariant
        let i1 = b.bin(.ADD, i, b.num(1))
        b.snap([(0, i1)], pc: 5)
        b.guardOp(.LE, i1, lim)                             // varies
        b.snap([(0, i1)], pc: 0)
        let n = t.ins.count
        XCTAssertTrue(LoopOpt.run(t, builder: b))
        assertVerifies(t)
        XCTAssertEqual(t.count(.LT, from: n), 0)
        XCTAssertEqual(t.count(.LE, from: n), 1)
        XCTAssertEqual(t.count(.PHI), 1)
    }

    func testSwapGivesParallelPHIs() {
        let (t, b) = makeTrace(link: .loop)
        b.snap()
        let a = b.sload(0, .num), c = b.sload(1, .num)
        b.guardOp(.LT, a, b.num(100))
        b.snap([(0, c), (1, a)], pc: 0)                     // a, b = b, a
        let n = t.ins.count
        XCTAssertTrue(LoopOpt.run(t, builder: b))
        assertVerifies(t)
        let phis = t.ins[n...].filter { $0.op == .PHI }
        XCTAssertEqual(phis.count, 2)
        XCTAssertEqual(Set(phis.map { [$0.a, $0.b] }), [[a, c], [c, a]])
        // The body checks the other value.
        XCTAssertEqual(t.ins[n...].first { $0.op == .LT }?.a, c)
        XCTAssertEqual(t.snapshots.last?.entries, [SnapEntry(slot: 0, ref: a), SnapEntry(slot: 1, ref: c)])
    }

    func testCopyOfSlotCarriesPreviousValue() {
        // prev = x; x = x + 1: slot 1 (prev) holds the start value of x of the previous iteration.
        let (t, b) = makeTrace(link: .loop)
        b.snap()
        let x = b.sload(0, .num)
        let x1 = b.bin(.ADD, x, b.num(1))
        b.snap([(0, x1), (1, x)], pc: 0)
        XCTAssertTrue(LoopOpt.run(t, builder: b))
        assertVerifies(t)
        let phis = t.ins.filter { $0.op == .PHI }
        XCTAssertEqual(Set(phis.map { [$0.a, $0.b] }), [[x1, IRRef(t.loopStart! + 1)], [x, x1]])
        XCTAssertEqual(t.snapshots.last?.entries, [SnapEntry(slot: 0, ref: IRRef(t.loopStart! + 1)), SnapEntry(slot: 1, ref: x1)])
    }

    func testWrittenOnlySlotGetsPHIForBodyExits() {
        // tmp = x * 2 (slot 1 written, never read), then a guard: a body exit before tmp is
        // recomputed must write the previous iteration's tmp.
        let (t, b) = makeTrace(link: .loop)
        b.snap()
        let x = b.sload(0, .num)
        let y = b.sload(2, .num)
        let x1 = b.bin(.ADD, x, y)
        b.snap([(0, x1)], pc: 3)
        b.guardOp(.LT, x1, b.num(1e9))
        let tmp = b.bin(.MUL, x1, b.num(3))
        b.snap([(0, x1), (1, tmp)], pc: 0)
        XCTAssertTrue(LoopOpt.run(t, builder: b))
        assertVerifies(t)
        let body = t.loopStart! + 1
        let bodyTmp = IRRef(t.ins.indices.last { t.ins[$0].op == .MUL }!)
        XCTAssertGreaterThan(bodyTmp, IRRef(body))
        let phis = t.ins.filter { $0.op == .PHI }
        XCTAssert(phis.contains { $0.a == tmp && $0.b == bodyTmp }, "\(phis)")
        // The body guard's snapshot holds slot 1 = tmp (previous iteration's value).
        let g = t.ins[body...].first { $0.op == .LT }!
        XCTAssert(t.snapshots[Int(g.snap)].entries.contains(SnapEntry(slot: 1, ref: tmp)))
    }

    func testTypeUnstableSlotIsNotPeeled() {
        let (t, b) = makeTrace(link: .loop)
        b.snap()
        let x = b.sload(0, .num)
        b.guardOp(.LT, x, b.num(10))
        b.snap([(0, b.singleton(.nil))], pc: 0)             // x = nil: num -> nil
        let ins = t.ins, snaps = t.snapshots, consts = t.consts
        XCTAssertFalse(LoopOpt.run(t, builder: b))
        XCTAssertEqual(t.ins, ins)
        XCTAssertEqual(t.snapshots, snaps)
        XCTAssertEqual(t.consts, consts)
        XCTAssertNil(t.loopStart)
        assertVerifies(t)
        // The builder still works as before (CSE state restored).
        XCTAssertEqual(b.sload(0, .num), x)
    }

    func testUSETIsNotPeeled() {
        let (t, b) = makeTrace(link: .loop)
        b.snap()
        let fn = b.sload(-1, .fn)
        let x = b.sload(0, .num)
        b.emit(IRIns(.USET, .void, a: fn, b: b.bin(.ADD, x, b.num(1)), c: 0))
        b.snap(pc: 0)
        XCTAssertFalse(LoopOpt.run(t, builder: b))
        XCTAssertNil(t.loopStart)
        assertVerifies(t)
    }

    func testNotALoopOrAlreadyPeeled() {
        let (t, b) = makeTrace(link: .interpreter)
        b.snap()
        _ = b.sload(0, .num)
        b.snap()
        XCTAssertFalse(LoopOpt.run(t, builder: b))
        t.link = .loop
        XCTAssertTrue(LoopOpt.run(t, builder: b))
        XCTAssertFalse(LoopOpt.run(t, builder: b))
    }

    func testPeelWithoutFoldOrCSE() {
        let (t, b) = makeTrace(.none, link: .loop)
        let r = buildSumLoop(b)
        let n = t.ins.count
        XCTAssertTrue(LoopOpt.run(t, builder: b))
        assertVerifies(t)
        // Everything but the SLOADs is copied; SLOADs of unmodified slots stay invariant.
        XCTAssertEqual(t.count(.FLOAD, from: n), 2)
        XCTAssertEqual(t.count(.SLOAD, from: n), 0)
        let phis = t.ins[n...].filter { $0.op == .PHI }
        XCTAssertEqual(phis.map(\.a).sorted(), [r.sum, r.inext].sorted())
    }
}
