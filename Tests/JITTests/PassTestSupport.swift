// Helpers for the pass tests: hand-built traces through IRBuilder.
import XCTest
@testable import JIT
import Runtime

/// A trace with a builder; the prototype is never dereferenced by the passes.
func makeTrace(_ options: PassOptions = PassOptions(), link: TraceLink = .interpreter) -> (Trace, IRBuilder) {
    let t = Trace(id: 1, parent: nil, startProto: ProtoRef(bitPattern: 0x1000)!, startPC: 0)
    t.link = link
    return (t, IRBuilder(trace: t, options: options))
}

extension IRBuilder {
    /// Takes a snapshot at the current position.
    @discardableResult
    func snap(_ entries: [(Int32, IRRef)] = [], pc: Int32 = 0, top: Int32 = 8) -> Int {
        let e = entries.sorted { $0.0 < $1.0 }.map { SnapEntry(slot: $0.0, ref: $0.1) }
        trace.snapshots.append(Snapshot(ref: Int32(trace.ins.count), pc: pc, entries: e, frames: [], topSlot: top))
        return trace.snapshots.count - 1
    }
    func sload(_ slot: Int32, _ t: IRType, guarded: Bool = true) -> IRRef {
        emit(IRIns(.SLOAD, t, c: slot, guarded: guarded))
    }
    /// An int value from slot `slot` (bit.tobit of a number slot).
    func intSlot(_ slot: Int32) -> IRRef { un(.TOBIT, sload(slot, .num), .int) }
    func bin(_ op: IROp, _ a: IRRef, _ b: IRRef, _ t: IRType = .num) -> IRRef { emit(IRIns(op, t, a: a, b: b)) }
    func un(_ op: IROp, _ a: IRRef, _ t: IRType) -> IRRef { emit(IRIns(op, t, a: a)) }
    @discardableResult
    func guardOp(_ op: IROp, _ a: IRRef, _ b: IRRef) -> IRRef { emit(IRIns(op, .void, a: a, b: b)) }
    func str(_ bits: UInt64) -> IRRef { const(IRConst(.str, bits)) }
}

extension Trace {
    func count(_ op: IROp, from: Int = 0) -> Int { ins[from...].filter { $0.op == op }.count }
    func numConst(_ r: IRRef, file: StaticString = #filePath, line: UInt = #line) -> Double? {
        guard isConst(r), const(of: r).type == .num else { XCTFail("\(r) is not a num constant", file: file, line: line); return nil }
        return const(of: r).number
    }
    func intConst(_ r: IRRef, file: StaticString = #filePath, line: UInt = #line) -> Int32? {
        guard isConst(r), const(of: r).type == .int else { XCTFail("\(r) is not an int constant", file: file, line: line); return nil }
        return const(of: r).intValue
    }
}

func assertVerifies(_ t: Trace, file: StaticString = #filePath, line: UInt = #line) {
    let p = IRVerifier.verify(t)
    XCTAssert(p.isEmpty, "verifier: \(p.joined(separator: "; "))", file: file, line: line)
}

/// Bit-exact double comparison (distinguishes -0 and NaN payloads).
func assertBits(_ x: Double?, _ y: Double, file: StaticString = #filePath, line: UInt = #line) {
    guard let x else { XCTFail("no value", file: file, line: line); return }
    XCTAssertEqual(x.bitPattern, y.bitPattern, "\(x) vs \(y)", file: file, line: line)
}
