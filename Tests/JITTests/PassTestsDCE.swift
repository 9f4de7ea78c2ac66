// DCE: unused removable instructions become NOP; guards, effects, snapshot refs and live PHIs stay.
import XCTest
@testable import JIT

final class PassTestsDCE: XCTestCase {
    func testRemovesUnusedKeepsRoots() {
        let (t, b) = makeTrace()
        b.snap()
        let x = b.sload(0, .num)                            // guarded: kept
        let y = b.sload(1, .num, guarded: false)            // only feeds dead code
        let dead = b.bin(.MUL, y, b.num(3))                 // unused
        let inSnap = b.bin(.ADD, x, b.num(1))               // used by a snapshot only
        let feeds = b.bin(.SUB, x, b.num(1))                // used by a guard
        b.snap([(0, inSnap)])
        b.guardOp(.LT, feeds, b.num(10))
        let tab = b.sload(2, .tab, guarded: false)
        let stored = b.bin(.DIV, x, b.num(3))
        let arr = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue))
        b.emit(IRIns(.ASTORE, .void, a: b.bin(.AREF, arr, b.int(1), .ptr), b: stored))
        let n = t.ins.count
        XCTAssertEqual(DCE.run(t), 2)
        XCTAssertEqual(t.ins.count, n)                      // no renumbering
        XCTAssertEqual(t.ins[Int(dead)].op, .NOP)
        XCTAssertEqual(t.ins[Int(y)].op, .NOP)
        for r in [x, inSnap, feeds, tab, stored, arr] { XCTAssertNotEqual(t.ins[Int(r)].op, .NOP, "\(r)") }
        assertVerifies(t)
        XCTAssertEqual(DCE.run(t), 0)
    }

    func testDeadPHIChainRemovedLivePHIKept() {
        let (t, b) = makeTrace()
        b.snap()
        let c = b.sload(0, .num)                     // a counter nobody reads after the loop
        let v = b.sload(1, .num)                     // a value an exit needs
        let c1 = b.bin(.ADD, c, b.num(1))
        let v1 = b.bin(.ADD, v, b.num(2))
        t.loopStart = Int(b.emitRaw(IRIns(.LOOP, .void)))
        let c2 = b.bin(.ADD, c1, b.num(1))
        let v2 = b.bin(.ADD, v1, b.num(2))
        b.snap([(1, v2)])
        b.emit(IRIns(.GCSTEP, .void))
        b.emitRaw(IRIns(.PHI, .num, a: c1, b: c2))
        let pv = b.emitRaw(IRIns(.PHI, .num, a: v1, b: v2))
        assertVerifies(t)
        XCTAssertEqual(DCE.run(t), 3)                // c1, c2 and their PHI
        XCTAssertEqual(t.ins[Int(c1)].op, .NOP)
        XCTAssertEqual(t.ins[Int(c2)].op, .NOP)
        XCTAssertEqual(t.count(.PHI), 1)
        XCTAssertEqual(t.ins[Int(pv)].op, .PHI)
        XCTAssertEqual(t.ins[Int(v1)].op, .ADD)
        assertVerifies(t)
    }
}

final class PassTestsPipeline: XCTestCase {
    func testPipelinePeelsRemovesAndVerifies() {
        let (t, b) = makeTrace(link: .loop)
        b.snap()
        let x = b.sload(0, .num), y = b.sload(1, .num)
        _ = b.bin(.MUL, y, b.num(3))                          // dead
        let x1 = b.bin(.ADD, x, y)
        b.snap([(0, x1)], pc: 2)
        b.guardOp(.LT, x1, b.num(100))
        b.snap([(0, x1)], pc: 0)
        let problems = PassPipeline.finish(t, builder: b, options: PassOptions(), verify: true)
        XCTAssertEqual(problems, [])
        XCTAssertNotNil(t.loopStart)
        XCTAssertEqual(t.count(.MUL), 0)
        XCTAssertEqual(t.count(.NOP), 1)
        // A broken trace is reported with the stage.
        let (u, c) = makeTrace(link: .interpreter)
        c.snap()
        c.emitRaw(IRIns(.ADD, .num, a: 5, b: 6))
        XCTAssert(PassPipeline.finish(u, builder: c, options: PassOptions(), verify: true).first?.hasPrefix("after recording") ?? false)
    }
}
