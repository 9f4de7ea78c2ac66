// Pass equivalence on the IR interpreter: each trace is built twice from the same recipe, once with
// no passes and once with the passes under test (plus LoopOpt/DCE at the end as the pipeline runs
// them); both run on the same input stacks and must leave the same slots (bit for bit, written back
// through the exit's snapshot), the same resume pc and the same table contents.
import XCTest
@testable import JIT
import Runtime

final class PassTestsEquivalence: XCTestCase {
    var vm: LuaVM!

    override func setUp() {
        var o = VMOptions()
        o.captureOutput = true
        vm = LuaVM(options: o)
    }

    struct Outcome: Equatable {
        var slots: [UInt64]
        var pc: Int32
        var ended: Bool
        var tables: [UInt64]
    }

    /// Runs `t` on a copy of `stack` (slot -1 is nil) and writes the exit's snapshot back.
    func run(_ t: Trace, _ stack: [Value], file: StaticString = #filePath, line: UInt = #line) -> Outcome? {
        let buf = UnsafeMutablePointer<Value>.allocate(capacity: stack.count + 1)
        defer { buf.deallocate() }
        buf.initialize(to: .nil)
        for (i, v) in stack.enumerated() { (buf + 1 + i).initialize(to: v) }
        let base = buf + 1
        let interp = IRInterpreter(vm: vm)
        let r: TraceExit
        do { r = try interp.run(t, base: base) } catch { XCTFail("trace threw \(error)", file: file, line: line); return nil }
        let s: Int, ended: Bool
        switch r {
        case .exit(let k): s = k; ended = false
        case .end(let k): s = k; ended = true
        }
        for e in t.snapshots[s].entries {
            base[Int(e.slot)] = t.type(of: e.ref).box(interp.value(e.ref, in: t))
        }
        var tables: [UInt64] = []
        for i in 0..<stack.count where base[i].isTable {
            for k in 1...8 { tables.append(base[i].table.get(int: k).bits) }
        }
        return Outcome(slots: (0..<stack.count).map { base[$0].isTable ? 1 : base[$0].bits }, pc: t.snapshots[s].pc, ended: ended, tables: tables)
    }

    /// Builds the recipe without passes and with `options`; checks both agree on every input.
    /// Returns the optimized trace and whether LoopOpt peeled it.
    @discardableResult
    func assertEquivalent(_ options: PassOptions, link: TraceLink = .interpreter, inputs: [() -> [Value]],
                          file: StaticString = #filePath, line: UInt = #line,
                          _ build: (IRBuilder) -> Void) -> (Trace, Bool) {
        let (ref, rb) = makeTrace(.none, link: link)
        build(rb)
        let (opt, ob) = makeTrace(options, link: link)
        build(ob)
        var peeled = false
        if options.loop && link == .loop {
            peeled = LoopOpt.run(opt, builder: ob)
            assertVerifies(opt, file: file, line: line)
        }
        if options.dce { DCE.run(opt) }
        assertVerifies(ref, file: file, line: line)
        assertVerifies(opt, file: file, line: line)
        for (k, input) in inputs.enumerated() {
            let a = run(ref, input(), file: file, line: line)
            let b = run(opt, input(), file: file, line: line)
            XCTAssertEqual(a, b, "input #\(k)", file: file, line: line)
        }
        return (opt, peeled)
    }

    static var all: PassOptions { PassOptions() }
    static var foldOnly: PassOptions { var o = PassOptions.none; o.fold = true; return o }
    static var cseOnly: PassOptions { var o = PassOptions.none; o.cse = true; return o }
    static var dceOnly: PassOptions { var o = PassOptions.none; o.dce = true; return o }
    static var loopOnly: PassOptions { var o = PassOptions.none; o.loop = true; return o }

    func table(_ values: [Double]) -> Value {
        let t = try! vm.heap.newTable(narray: values.count, nhash: 2)
        for (i, v) in values.enumerated() { try! t.set(int: i + 1, Value(v), vm.heap) }
        return Value(t)
    }

    static let nums: [Double] = [0, -0.0, 1, -1, 1.5, -2.5, 3, .nan, .infinity, -.infinity, 0x1p31, -0x1p31 - 1,
                                 1e300, Double.leastNonzeroMagnitude, 4294967301, 0.1]

    // MARK: straight-line traces

    /// Every num and int rule of Fold on the interesting values.
    func arithmeticRecipe(_ b: IRBuilder) {
        b.snap()
        let x = b.sload(0, .num), y = b.sload(1, .num)
        var out: [IRRef] = []
        func n(_ d: Double) -> IRRef { b.num(d) }
        for (op, k) in [(IROp.ADD, -0.0), (.ADD, 0), (.SUB, 0), (.SUB, -0.0), (.MUL, 1), (.MUL, 2), (.MUL, -1),
                        (.DIV, 1), (.DIV, 4), (.DIV, -0.5), (.DIV, 3), (.POW, 2), (.POW, 0.5), (.MOD, 2), (.MIN, 1), (.MAX, 1)] {
            out.append(b.bin(op, x, n(k)))
            out.append(b.bin(op, n(k), x))
        }
        for op in [IROp.ADD, .SUB, .MUL, .DIV, .MOD, .POW, .MIN, .MAX, .ATAN2, .FMOD] {
            out.append(b.bin(op, x, y))
            out.append(b.bin(op, y, x))
            out.append(b.bin(op, x, x))
        }
        out.append(b.un(.NEG, b.un(.NEG, x, .num), .num))
        for fn in IRMathFn.allCases {
            let f = b.emit(IRIns(.FPMATH, .num, a: x, b: fn.rawValue))
            out.append(f)
            out.append(b.emit(IRIns(.FPMATH, .num, a: f, b: IRMathFn.floor.rawValue)))
        }
        // Constant expressions.
        for (p, q) in [(5.5, -2.0), (-8, 1.0 / 3), (.nan, 1), (1, -0.0), (0, 0), (-0.0, 1), (2, 1024)] {
            for op in [IROp.ADD, .SUB, .MUL, .DIV, .MOD, .POW, .MIN, .MAX, .ATAN2, .FMOD] { out.append(b.bin(op, n(p), n(q))) }
        }
        // Integers.
        let xi = b.un(.TOBIT, x, .int), yi = b.un(.TOBIT, y, .int)
        for op in [IROp.ADDI, .SUBI, .BAND, .BOR, .BXOR, .BSHL, .BSHR, .BSAR, .BROL, .BROR] {
            for k: Int32 in [0, -1, 1, 31, 32, 33, .max, .min] {
                out.append(b.un(.TONUM, b.bin(op, xi, b.int(k), .int), .num))
                out.append(b.un(.TONUM, b.bin(op, b.int(k), xi, .int), .num))
            }
            out.append(b.un(.TONUM, b.bin(op, xi, yi, .int), .num))
            out.append(b.un(.TONUM, b.bin(op, xi, xi, .int), .num))
        }
        out.append(b.un(.TONUM, b.un(.BNOT, b.un(.BNOT, xi, .int), .int), .num))
        out.append(b.un(.TONUM, b.un(.BSWAP, b.un(.BSWAP, xi, .int), .int), .num))
        out.append(b.un(.TONUM, b.un(.TOBIT, b.un(.TONUM, xi, .num), .int), .num))
        for d in [0x1p32 + 5, 1.5, 2.5, -0.0, 0x1p31, .nan] { out.append(b.un(.TONUM, b.un(.TOBIT, n(d), .int), .num)) }
        b.snap(out.enumerated().map { (Int32(4 + $0.offset), $0.element) }, pc: 42, top: Int32(4 + out.count))
    }

    func testFoldAndCSEOnArithmetic() {
        var inputs: [() -> [Value]] = []
        for x in Self.nums { for y in [0, -0.0, 3, -7, .nan, .infinity] {
            inputs.append { [Value(x), Value(y), .nil, .nil] + [Value](repeating: .nil, count: 1200) }
        } }
        let (t, _) = assertEquivalent(Self.all, inputs: inputs, arithmeticRecipe)
        let (u, _) = assertEquivalent(Self.none, inputs: inputs, arithmeticRecipe)
        XCTAssertLessThan(t.ins.count, u.ins.count)           // something was folded
        assertEquivalent(Self.foldOnly, inputs: inputs, arithmeticRecipe)
        assertEquivalent(Self.cseOnly, inputs: inputs, arithmeticRecipe)
    }
    static var none: PassOptions { .none }

    /// Guards with constant and identical operands, TOINT, and an exit in the middle.
    func testGuardsExitAlike() {
        let recipe: (IRBuilder) -> Void = { b in
            b.snap()
            let x = b.sload(0, .num)
            let tab = b.sload(1, .tab)
            b.guardOp(.NLT, x, x)
            b.guardOp(.LE, b.num(1), b.num(2))
            let x1 = b.bin(.ADD, x, b.num(1))
            b.snap([(0, x1)], pc: 3)
            b.guardOp(.LE, x, x)                                // fails for NaN
            let xi = b.emit(IRIns(.TOINT, .int, a: x1, guarded: true))   // fails for non-integers
            let idx = b.bin(.SUBI, xi, b.int(1), .int)
            let asize = b.emit(IRIns(.FLOAD, .int, a: tab, b: IRField.tabAsize.rawValue))
            b.guardOp(.ABC, idx, asize)
            let arr = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue))
            let v = b.emit(IRIns(.ALOAD, .num, a: b.bin(.AREF, arr, idx, .ptr), guarded: true))
            b.snap([(0, x1), (2, v)], pc: 4)
            b.guardOp(.LT, v, b.num(100))
            b.guardOp(.LT, v, b.num(100))                        // CSE'd
            b.snap([(0, x1), (2, b.bin(.MUL, v, b.num(2)))], pc: 5)
        }
        var inputs: [() -> [Value]] = []
        for x in [0, 1, 2, 5, -1, 0.5, .nan, -0.0, 7, 8] as [Double] {
            inputs.append { [Value(x), self.table([10, 20, 30, 40, 50, 200, 70, 80]), .nil] }
        }
        for o in [Self.all, Self.foldOnly, Self.cseOnly, Self.dceOnly] { assertEquivalent(o, inputs: inputs, recipe) }
    }

    /// Loads, stores and forwarding in a straight line.
    func testMemoryOpsWithCSE() {
        let recipe: (IRBuilder) -> Void = { b in
            b.snap()
            let tab = b.sload(0, .tab), x = b.sload(1, .num)
            let arr = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue))
            let r1 = b.bin(.AREF, arr, b.int(0), .ptr), r2 = b.bin(.AREF, arr, b.int(1), .ptr)
            let a = b.emit(IRIns(.ALOAD, .num, a: r1, guarded: true))
            b.emit(IRIns(.ASTORE, .void, a: r2, b: b.bin(.ADD, a, x)))
            let c = b.emit(IRIns(.ALOAD, .num, a: r2, guarded: true))      // forwarded
            let a2 = b.emit(IRIns(.ALOAD, .num, a: r1, guarded: true))     // reloaded (r1 may alias)
            b.emit(IRIns(.ASTORE, .void, a: r1, b: b.bin(.MUL, c, a2)))
            let arr2 = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue))
            let d = b.emit(IRIns(.ALOAD, .num, a: b.bin(.AREF, arr2, b.int(0), .ptr), guarded: true))
            b.snap([(2, c), (3, d), (4, a2)], pc: 9)
        }
        var inputs: [() -> [Value]] = []
        for x in [1, -0.0, .nan, 2.5] as [Double] {
            inputs.append { [self.table([3, 4, 5]), Value(x), .nil, .nil, .nil] }
        }
        for o in [Self.all, Self.cseOnly, Self.dceOnly] { assertEquivalent(o, inputs: inputs, recipe) }
    }

    // MARK: loops

    func sumLoop(_ b: IRBuilder) {
        // for i = i, n do s = s + t[i] end  (slots 0 = i, 1 = n, 2 = s, 3 = t)
        b.snap(pc: 0)
        let i = b.sload(0, .num), n = b.sload(1, .num), s = b.sload(2, .num), t = b.sload(3, .tab)
        let ii = b.emit(IRIns(.TOINT, .int, a: i, guarded: true))
        let idx = b.bin(.SUBI, ii, b.int(1), .int)
        let asize = b.emit(IRIns(.FLOAD, .int, a: t, b: IRField.tabAsize.rawValue))
        b.guardOp(.ABC, idx, asize)
        let arr = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabArray.rawValue))
        let e = b.emit(IRIns(.ALOAD, .num, a: b.bin(.AREF, arr, idx, .ptr), guarded: true))
        let sum = b.bin(.ADD, s, e)
        let i1 = b.bin(.ADD, i, b.num(1))
        b.snap([(0, i1), (2, sum)], pc: 7)
        b.guardOp(.LE, i1, n)
        b.snap([(0, i1), (2, sum)], pc: 0)
    }

    func testSumLoop() {
        var inputs: [() -> [Value]] = []
        for n in [1.0, 2, 3, 8, 12] {                  // 12: the bounds check exits
            for s0 in [0, -0.0, .nan] as [Double] {
                inputs.append { [Value(1.0), Value(n), Value(s0), self.table([1, -0.0, 2.5, 1e300, 1e300, -1e300, 7, 0.1])] }
            }
        }
        inputs.append { [Value(1.0), Value(8.0), Value(0.0), self.table([1, 2, 3, 4, 5, 6, 7, 8])] }
        let (t, peeled) = assertEquivalent(Self.all, link: .loop, inputs: inputs, sumLoop)
        XCTAssertTrue(peeled)
        XCTAssertEqual(t.count(.FLOAD, from: t.loopStart!), 0)
        assertEquivalent(Self.loopOnly, link: .loop, inputs: inputs, sumLoop)
        var noDCE = Self.all; noDCE.dce = false
        assertEquivalent(noDCE, link: .loop, inputs: inputs, sumLoop)
    }

    func testSwapAndPreviousValueLoop() {
        // prev = a; a, b = b, a; c = c + 1; exit when c > limit (slots 0 a, 1 b, 2 prev, 3 c, 4 limit)
        let recipe: (IRBuilder) -> Void = { b in
            b.snap(pc: 0)
            let a = b.sload(0, .num), bb = b.sload(1, .num), c = b.sload(3, .num), lim = b.sload(4, .num)
            let c1 = b.bin(.ADD, c, b.num(1))
            b.snap([(0, bb), (1, a), (2, a), (3, c1)], pc: 5)
            b.guardOp(.LE, c1, lim)
            b.snap([(0, bb), (1, a), (2, a), (3, c1)], pc: 0)
        }
        var inputs: [() -> [Value]] = []
        for lim in [0.0, 1, 2, 3, 4, 7] { inputs.append { [Value(10.0), Value(20.0), .nil, Value(0.0), Value(lim)] } }
        let (t, peeled) = assertEquivalent(Self.all, link: .loop, inputs: inputs, recipe)
        XCTAssertTrue(peeled)
        XCTAssertEqual(t.count(.PHI), 3)
    }

    func testMidIterationExitWritesPreviousIteration() {
        // x = x + y; if x >= lim then exit; tmp = x * 3  (slots 0 x, 1 tmp, 2 y, 3 lim)
        let recipe: (IRBuilder) -> Void = { b in
            b.snap(pc: 0)
            let x = b.sload(0, .num), y = b.sload(2, .num), lim = b.sload(3, .num)
            let x1 = b.bin(.ADD, x, y)
            b.snap([(0, x1)], pc: 2)
            b.guardOp(.LT, x1, lim)
            let tmp = b.bin(.MUL, x1, b.num(3))
            b.snap([(0, x1), (1, tmp)], pc: 0)
        }
        var inputs: [() -> [Value]] = []
        for lim in [0.0, 1.5, 2.5, 3.5, 6] { inputs.append { [Value(0.0), Value(-1.0), Value(1.0), Value(lim)] } }
        let (_, peeled) = assertEquivalent(Self.all, link: .loop, inputs: inputs, recipe)
        XCTAssertTrue(peeled)
        assertEquivalent(Self.loopOnly, link: .loop, inputs: inputs, recipe)
    }

    func testStoreForwardingAcrossBackEdge() {
        // t[1] = t[1] * 2 + k; c = c + 1 until c > lim  (slots 0 t, 1 k, 2 c, 3 lim)
        let recipe: (IRBuilder) -> Void = { b in
            b.snap(pc: 0)
            let t = b.sload(0, .tab), k = b.sload(1, .num), c = b.sload(2, .num), lim = b.sload(3, .num)
            let arr = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabArray.rawValue))
            let r = b.bin(.AREF, arr, b.int(0), .ptr)
            let v = b.emit(IRIns(.ALOAD, .num, a: r, guarded: true))
            b.emit(IRIns(.ASTORE, .void, a: r, b: b.bin(.ADD, b.bin(.MUL, v, b.num(2)), k)))
            let w = b.emit(IRIns(.ALOAD, .num, a: b.bin(.AREF, arr, b.int(1), .ptr), guarded: true))
            let c1 = b.bin(.ADD, c, b.num(1))
            b.snap([(2, c1), (4, w)], pc: 6)
            b.guardOp(.LE, c1, lim)
            b.snap([(2, c1), (4, w)], pc: 0)
        }
        var inputs: [() -> [Value]] = []
        for lim in [0.0, 1, 2, 5] { inputs.append { [self.table([1, 2]), Value(0.5), Value(0.0), Value(lim), .nil] } }
        let (t, peeled) = assertEquivalent(Self.all, link: .loop, inputs: inputs, recipe)
        XCTAssertTrue(peeled)
        XCTAssertEqual(t.count(.ALOAD, from: t.loopStart!), 1)   // t[2] reloaded, t[1] forwarded
    }

    func testTypeUnstableLoopStillRuns() {
        // x = (x is a number) -> nil: not peeled; the unpeeled trace restarts and exits on the type guard.
        let recipe: (IRBuilder) -> Void = { b in
            b.snap(pc: 0)
            let x = b.sload(0, .num)
            b.snap([(1, b.bin(.ADD, x, b.num(1)))], pc: 1)
            b.snap([(0, b.singleton(.nil)), (1, b.bin(.ADD, x, b.num(1)))], pc: 0)
        }
        let (t, peeled) = assertEquivalent(Self.all, link: .loop, inputs: [{ [Value(1.0), .nil] }], recipe)
        XCTAssertFalse(peeled)
        XCTAssertNil(t.loopStart)
    }
}
