// IRVerifier: a well-formed trace passes; each class of malformed IR is reported.
import XCTest
@testable import JIT

final class IRVerifierTests: XCTestCase {
    /// A small valid trace: snapshot, two loads, an add, a guard, a snapshot.
    private func valid() -> (Trace, IRBuilder, x: IRRef, y: IRRef, sum: IRRef) {
        let (t, b) = makeTrace(.none)
        b.snap()
        let x = b.sload(0, .num), y = b.sload(1, .num)
        let sum = b.bin(.ADD, x, y)
        b.snap([(0, sum)])
        b.guardOp(.LT, sum, b.num(10))
        return (t, b, x, y, sum)
    }

    private func expect(_ t: Trace, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        let p = IRVerifier.verify(t)
        XCTAssert(p.contains { $0.contains(fragment) }, "expected '\(fragment)' in \(p)", file: file, line: line)
    }

    func testValidTracePasses() {
        let (t, _, _, _, _) = valid()
        XCTAssertEqual(IRVerifier.verify(t), [])
    }

    func testOperandReferences() {
        var (t, _, _, _, sum) = valid()
        t.ins[Int(sum)].a = 7                                 // forward reference
        expect(t, "operand a 7 is not an earlier ref")
        (t, _, _, _, sum) = valid()
        t.ins[Int(sum)].b = constRef(99)                      // no such constant
        expect(t, "operand b")
        (t, _, _, _, sum) = valid()
        t.ins[Int(sum)].c = 0                                 // unused operand set
        expect(t, "operand c must be unused")
        (t, _, _, _, sum) = valid()
        t.ins[Int(sum)].b = noRef
        expect(t, "operand b missing")
    }

    func testOperandTypes() {
        var (t, b, x, _, sum) = valid()
        t.ins[Int(sum)].b = b.int(3)
        expect(t, "ADD: operand b is int, needs num")
        (t, b, x, _, sum) = valid()
        t.ins[Int(sum)].type = .int
        expect(t, "ADD: result type int")
        (t, b, x, _, _) = valid()
        b.emitRaw(IRIns(.EQ, .void, a: x, b: b.str(0x10), guarded: true, snap: 1))
        expect(t, "operand types differ")
        (t, b, x, _, _) = valid()
        b.emitRaw(IRIns(.FLOAD, .ptr, a: x, b: IRField.tabArray.rawValue))
        expect(t, "FLOAD: operand a is num, needs tab")
        (t, b, x, _, _) = valid()
        b.emitRaw(IRIns(.FPMATH, .num, a: x, b: 99))
        expect(t, "no math function")
        (t, b, x, _, _) = valid()
        b.emitRaw(IRIns(.ADD, .num, a: x, b: IRRef(t.ins.count - 1)))   // the guard has no value
        expect(t, "which has no value")
    }

    func testGuards() {
        var (t, b, x, _, sum) = valid()
        t.ins[t.ins.count - 1].snap = 5
        expect(t, "no valid snapshot")
        (t, b, x, _, sum) = valid()
        t.ins[t.ins.count - 1].flags = 0
        expect(t, "LT must carry the guard flag")
        (t, b, x, _, sum) = valid()
        t.ins[Int(sum)].flags = IRIns.guardFlag
        t.ins[Int(sum)].snap = 0
        expect(t, "ADD cannot be a guard")
        (t, b, x, _, sum) = valid()
        t.ins[Int(x)].snap = 1                                // snapshot 1 is taken after x
        expect(t, "taken after it")
        _ = b; _ = sum
    }

    func testSnapshots() {
        var (t, _, x, y, _) = valid()
        t.snapshots[0].entries = [SnapEntry(slot: 0, ref: x)]   // snapshot 0 is before x
        expect(t, "snapshot 0: slot 0 refers to")
        (t, _, x, y, _) = valid()
        t.snapshots[1].entries = [SnapEntry(slot: 2, ref: x), SnapEntry(slot: 1, ref: y)]
        expect(t, "out of order")
        (t, _, x, y, _) = valid()
        t.snapshots[1].ref = 99
        expect(t, "outside the trace")
        (t, _, x, y, _) = valid()
        t.snapshots[1].frames = [SnapFrame(funcSlot: 3, closure: x, proto: t.startProto, returnPC: 0, nresults: 1)]
        expect(t, "frame closure")
        (t, _, x, y, _) = valid()
        t.snapshots.swapAt(0, 1)
        expect(t, "before the previous snapshot")
    }

    func testLoopAndPHIs() {
        var (t, b, x, y, sum) = valid()
        b.emitRaw(IRIns(.PHI, .num, a: x, b: sum))
        expect(t, "PHI before LOOP")
        (t, b, x, y, sum) = valid()
        t.loopStart = Int(b.emitRaw(IRIns(.LOOP, .void)))
        let s2 = b.emitRaw(IRIns(.ADD, .num, a: sum, b: y))
        b.emitRaw(IRIns(.PHI, .num, a: s2, b: s2))
        expect(t, "PHI left side")
        (t, b, x, y, sum) = valid()
        t.loopStart = Int(b.emitRaw(IRIns(.LOOP, .void)))
        b.emitRaw(IRIns(.LOOP, .void))
        expect(t, "second LOOP")
        (t, b, x, y, sum) = valid()
        b.emitRaw(IRIns(.LOOP, .void))
        expect(t, "trace.loopStart is nil")
        (t, b, x, y, sum) = valid()
        t.loopStart = Int(b.emitRaw(IRIns(.LOOP, .void)))
        b.emitRaw(IRIns(.PHI, .num, a: x, b: sum))
        b.emitRaw(IRIns(.ADD, .num, a: x, b: y))
        expect(t, "after the PHIs")
        (t, b, x, y, sum) = valid()
        t.loopStart = Int(b.emitRaw(IRIns(.LOOP, .void)))
        b.emitRaw(IRIns(.PHI, .num, a: x, b: sum))
        b.emitRaw(IRIns(.PHI, .num, a: x, b: y))
        expect(t, "second PHI")
        (t, b, x, y, sum) = valid()
        t.loopStart = Int(b.emitRaw(IRIns(.LOOP, .void)))
        b.emitRaw(IRIns(.PHI, .num, a: x, b: b.str(1)))
        expect(t, "PHI: types differ")
    }

    func testNOPUses() {
        var (t, _, x, _, sum) = valid()
        t.ins[Int(x)] = IRIns(.NOP, .void)
        expect(t, "uses NOP")
        (t, _, x, _, sum) = valid()
        t.ins[Int(sum)] = IRIns(.NOP, .void)
        expect(t, "refers to NOP")
    }
}
