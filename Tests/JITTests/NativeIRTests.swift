// Hand-built traces run on the native backend and the IR interpreter side by side: peeled loops
// with PHIs (including cycles, the parallel-assignment case), un-peeled loops, and exits. The
// recorder does not peel loops yet, so these are the tests of LOOP/PHI code generation.
import Bytecode
import Runtime
import XCTest
@testable import JIT

final class NativeIRTests: XCTestCase {
    var vm: LuaVM!
    var engine: JITEngine!
    var proto: ProtoRef!

    override func setUpWithError() throws {
        vm = LuaVM(options: VMOptions())
        var p = JITParams()
        p.backend = .native
        engine = JITEngine(vm: vm, params: p)
        let f = try vm.load(bytes: Array("return 1".utf8), chunkName: "=t")
        proto = f.luaFunction.pointee.proto!
    }

    func newTrace() -> Trace { Trace(id: 1, parent: nil, startProto: proto, startPC: 0) }

    func snap(_ t: Trace, _ entries: [(Int32, IRRef)]) -> Int32 {
        t.snapshots.append(Snapshot(ref: Int32(t.ins.count), pc: 0, entries: entries.map { SnapEntry(slot: $0.0, ref: $0.1) },
                                    frames: [], topSlot: 8))
        return Int32(t.snapshots.count - 1)
    }

    @discardableResult
    func ins(_ t: Trace, _ op: IROp, _ ty: IRType, a: IRRef = noRef, b: IRRef = noRef, c: IRRef = noRef,
             guarded: Bool = false) -> IRRef {
        var i = IRIns(op, ty, a: a, b: b, c: c, guarded: guarded)
        if guarded || op.info.flags.contains(.alwaysGuard) {
            i.flags |= IRIns.guardFlag
            i.snap = Int32(t.snapshots.count - 1)
        }
        t.ins.append(i)
        return IRRef(t.ins.count - 1)
    }

    /// Runs t on both backends from the same slots; compares the exit and the snapshot's values.
    func compare(_ t: Trace, slots: [Value], file: StaticString = #filePath, line: UInt = #line) throws {
        let code = try NativeBackend().compile(t, engine: engine)
        let interp = IRInterpreter(vm: vm)
        var s1 = slots, s2 = slots
        let r1 = s1.withUnsafeMutableBufferPointer { code.run(base: $0.baseAddress!) }
        let r2 = try s2.withUnsafeMutableBufferPointer { try interp.run(t, base: $0.baseAddress!) }
        let (k1, e1) = decode(r1), (k2, e2) = decode(r2)
        XCTAssertEqual(k1, k2, "snapshot", file: file, line: line)
        XCTAssertEqual(e1, e2, "exit kind", file: file, line: line)
        for e in t.snapshots[k1].entries where e.ref >= 0 {
            let ty = t.type(of: e.ref)
            XCTAssertEqual(ty.box(code.exitValue(e.ref)).bits, ty.box(interp.value(e.ref, in: t)).bits,
                           "slot \(e.slot) (ref \(e.ref))", file: file, line: line)
        }
        XCTAssertEqual(s1.map { $0.bits }, s2.map { $0.bits }, "stack", file: file, line: line)
    }

    func decode(_ r: TraceExit) -> (Int, Bool) {
        switch r {
        case .exit(let s): return (s, false)
        case .end(let s): return (s, true)
        }
    }

    /// i, s = SLOAD 0, 1; LOOP; s' = s + i; i' = i + 1; guard i' <= 100; PHI s s'; PHI i i'.
    func testPeeledLoopWithPHIs() throws {
        let t = newTrace()
        t.link = .loop
        _ = snap(t, [])
        let i0 = ins(t, .SLOAD, .num, c: 0, guarded: true)
        let s0 = ins(t, .SLOAD, .num, c: 1, guarded: true)
        t.loopStart = Int(ins(t, .LOOP, .void))
        let s1 = ins(t, .ADD, .num, a: s0, b: i0)
        let i1 = ins(t, .ADD, .num, a: i0, b: t.const(.num(1)))
        _ = snap(t, [(0, i1), (1, s1)])
        ins(t, .LE, .void, a: i1, b: t.const(.num(100)))
        ins(t, .PHI, .num, a: s0, b: s1)
        ins(t, .PHI, .num, a: i0, b: i1)
        _ = snap(t, [(0, i1), (1, s1)])
        try compare(t, slots: [Value(1.0), Value(0.0)])
        try compare(t, slots: [Value(1.0), Value("x" == "y" ? 1 : 0.5)])
        try compare(t, slots: [Value.nil, Value(0.0)])   // type guard exit
    }

    /// Swapping PHIs (a cycle) in both register classes: x, y = y, x each iteration.
    func testPHICycles() throws {
        let ks = try vm.heap.string("k")
        let ls = try vm.heap.string("l")
        let t = newTrace()
        t.link = .loop
        _ = snap(t, [])
        let x0 = ins(t, .SLOAD, .num, c: 0, guarded: true)
        let y0 = ins(t, .SLOAD, .num, c: 1, guarded: true)
        let n0 = ins(t, .SLOAD, .num, c: 2, guarded: true)
        let p0 = ins(t, .SLOAD, .str, c: 3, guarded: true)
        let q0 = ins(t, .SLOAD, .str, c: 4, guarded: true)
        let z0 = ins(t, .SLOAD, .num, c: 5, guarded: true)
        t.loopStart = Int(ins(t, .LOOP, .void))
        let n1 = ins(t, .SUB, .num, a: n0, b: t.const(.num(1)))
        let z1 = ins(t, .ADD, .num, a: z0, b: x0)
        _ = snap(t, [(0, x0), (1, y0), (2, n1), (3, p0), (4, q0), (5, z1)])
        ins(t, .LT, .void, a: t.const(.num(0)), b: n1)
        ins(t, .PHI, .num, a: x0, b: y0)
        ins(t, .PHI, .num, a: y0, b: x0)
        ins(t, .PHI, .num, a: n0, b: n1)
        ins(t, .PHI, .str, a: p0, b: q0)
        ins(t, .PHI, .str, a: q0, b: p0)
        ins(t, .PHI, .num, a: z0, b: z1)
        _ = snap(t, [(0, x0), (1, y0), (2, n1)])
        for n in [1.0, 2.0, 5.0, 10.0] {
            try compare(t, slots: [Value(3.0), Value(7.0), Value(n), ks, ls, Value(0.0)])
        }
    }

    /// An un-peeled loop: the last snapshot is written back and the trace restarts at 0.
    func testUnpeeledLoopWriteBack() throws {
        let t = newTrace()
        t.link = .loop
        _ = snap(t, [])
        let i0 = ins(t, .SLOAD, .num, c: 0, guarded: true)
        let k = ins(t, .TOBIT, .int, a: i0)
        let m = ins(t, .BAND, .int, a: k, b: t.const(.int(3)))
        let mn = ins(t, .TONUM, .num, a: m)
        let i1 = ins(t, .ADD, .num, a: i0, b: t.const(.num(1)))
        _ = snap(t, [(0, i1), (1, mn), (2, t.const(.value(.true)))])
        ins(t, .LT, .void, a: i1, b: t.const(.num(50)))
        _ = snap(t, [(0, i1), (1, mn), (2, t.const(.value(.true)))])
        try compare(t, slots: [Value(0.0), Value.nil, Value.nil])
        try compare(t, slots: [Value(49.0), Value.nil, Value.nil])
    }

    /// A linking trace ends through its last snapshot with the "end" code.
    func testTraceEnd() throws {
        let t = newTrace()
        t.link = .interpreter
        _ = snap(t, [])
        let a0 = ins(t, .SLOAD, .num, c: 0, guarded: true)
        let b0 = ins(t, .MUL, .num, a: a0, b: a0)
        _ = snap(t, [(1, b0)])
        try compare(t, slots: [Value(3.0), Value.nil])
    }
}
