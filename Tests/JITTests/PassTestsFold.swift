// Fold: constant folding and algebraic simplification, bit-exact against the interpreter's formulas.
import XCTest
@testable import JIT
import Glibc

final class PassTestsFold: XCTestCase {
    private func foldNum(_ op: IROp, _ x: Double, _ y: Double = 0) -> Double? {
        let (t, b) = makeTrace()
        let r = op == .NEG ? b.un(.NEG, b.num(x), .num) : b.bin(op, b.num(x), b.num(y))
        XCTAssertEqual(t.ins.count, 0, "\(op.name) \(x) \(y) was not folded")
        return t.numConst(r)
    }
    private func foldInt(_ op: IROp, _ x: Int32, _ y: Int32 = 0) -> Int32? {
        let (t, b) = makeTrace()
        let r = op == .BNOT || op == .BSWAP ? b.un(op, b.int(x), .int) : b.bin(op, b.int(x), b.int(y), .int)
        XCTAssertEqual(t.ins.count, 0, "\(op.name) \(x) \(y) was not folded")
        return t.intConst(r)
    }

    func testNumConstants() {
        assertBits(foldNum(.ADD, 1, 2), 3)
        assertBits(foldNum(.ADD, -0.0, 0), 0)              // -0 + 0 = +0
        assertBits(foldNum(.ADD, -0.0, -0.0), -0.0)
        assertBits(foldNum(.ADD, .infinity, 1), .infinity)
        XCTAssert(foldNum(.ADD, .infinity, -.infinity)!.isNaN)
        assertBits(foldNum(.SUB, 0, 0), 0)
        assertBits(foldNum(.SUB, -0.0, 0), -0.0)
        assertBits(foldNum(.MUL, -1, 0), -0.0)
        assertBits(foldNum(.MUL, 1e308, 10), .infinity)
        assertBits(foldNum(.DIV, 1, -0.0), -.infinity)
        XCTAssert(foldNum(.DIV, 0, 0)!.isNaN)
        assertBits(foldNum(.NEG, 0), -0.0)
        assertBits(foldNum(.NEG, -0.0), 0)
        assertBits(foldNum(.NEG, 5), -5)
    }

    func testModAndPowFollowTheInterpreter() {
        assertBits(foldNum(.MOD, 5, 3), 2)
        assertBits(foldNum(.MOD, -5, 3), 1)
        assertBits(foldNum(.MOD, 5, -3), -1)
        assertBits(foldNum(.MOD, 5.5, 2), 1.5)
        assertBits(foldNum(.MOD, -0.0, 1), 0)              // -0 - floor(-0)*1 = -0 - -0 = +0
        XCTAssert(foldNum(.MOD, 5.5, .infinity)!.isNaN)    // 5.5 - 0*inf (Lua 5.1: nan)
        XCTAssert(foldNum(.MOD, 1, 0)!.isNaN)
        assertBits(foldNum(.POW, 3, 2), 9)
        assertBits(foldNum(.POW, 2, 0.5), 2.0.squareRoot())
        assertBits(foldNum(.POW, -8, 1.0 / 3), Glibc.pow(-8, 1.0 / 3))
        assertBits(foldNum(.POW, 0, -1), .infinity)
        assertBits(foldNum(.FMOD, -5, 3), -2)
        assertBits(foldNum(.ATAN2, 1, 1), Glibc.atan2(1, 1))
    }

    func testMinMaxNaNAndZeroOrder() {
        // math.min/max: r = r < y ? r : y (the first operand wins ties; NaN decides by position).
        assertBits(foldNum(.MIN, 1, 2), 1)
        assertBits(foldNum(.MIN, .nan, 1), 1)
        XCTAssert(foldNum(.MIN, 1, .nan)!.isNaN)
        assertBits(foldNum(.MIN, -0.0, 0), 0)
        assertBits(foldNum(.MIN, 0, -0.0), -0.0)
        assertBits(foldNum(.MAX, 0, -0.0), -0.0)
        assertBits(foldNum(.MAX, 3, 2), 3)
    }

    func testFPMath() {
        let (t, b) = makeTrace()
        func fp(_ fn: IRMathFn, _ x: IRRef) -> IRRef { b.emit(IRIns(.FPMATH, .num, a: x, b: fn.rawValue)) }
        assertBits(t.numConst(fp(.floor, b.num(-1.5))), -2)
        assertBits(t.numConst(fp(.ceil, b.num(-0.5))), -0.0)
        XCTAssert(t.numConst(fp(.sqrt, b.num(-1)))!.isNaN)
        assertBits(t.numConst(fp(.abs, b.num(-0.0))), 0)
        assertBits(t.numConst(fp(.sin, b.num(1))), Glibc.sin(1))
        XCTAssertEqual(t.ins.count, 0)
        let x = b.sload(0, .num)
        let f = fp(.floor, x)
        XCTAssertEqual(fp(.floor, f), f)
        XCTAssertEqual(fp(.ceil, f), f)
        let i = b.intSlot(1)
        let n = b.un(.TONUM, i, .num)
        XCTAssertEqual(fp(.floor, n), n)
        XCTAssertNotEqual(fp(.sqrt, f), f)
    }

    func testNumIdentities() {
        let (t, b) = makeTrace()
        b.snap()
        let x = b.sload(0, .num)
        XCTAssertEqual(b.bin(.ADD, x, b.num(-0.0)), x)
        XCTAssertEqual(b.bin(.ADD, b.num(-0.0), x), x)
        XCTAssertEqual(b.bin(.SUB, x, b.num(0)), x)
        XCTAssertEqual(b.bin(.MUL, x, b.num(1)), x)
        XCTAssertEqual(b.bin(.MUL, b.num(1), x), x)
        XCTAssertEqual(b.bin(.DIV, x, b.num(1)), x)
        XCTAssertEqual(b.un(.NEG, b.un(.NEG, x, .num), .num), x)
        XCTAssertEqual(b.bin(.MIN, x, x), x)
        XCTAssertEqual(b.bin(.MAX, x, x), x)
        let before = t.ins.count
        // Not identities: x + 0 (-0 + 0 = +0), x - (-0), x * 0, x * -1 (NaN sign), x - x, 0 - x.
        for (op, k) in [(IROp.ADD, 0.0), (.SUB, -0.0), (.MUL, 0), (.MUL, -1), (.DIV, 3)] {
            let r = b.bin(op, x, b.num(k))
            XCTAssertEqual(r, IRRef(t.ins.count - 1), "\(op.name) x, \(k) must be emitted")
            XCTAssertEqual(t.ins[Int(r)].op, op)
        }
        _ = b.bin(.SUB, x, x)
        _ = b.bin(.SUB, b.num(0), x)
        XCTAssertEqual(t.ins.count, before + 7)
        assertVerifies(t)
    }

    func testNumRewrites() {
        let (t, b) = makeTrace()
        b.snap()
        let x = b.sload(0, .num)
        let m2 = b.bin(.MUL, x, b.num(2))
        XCTAssertEqual(t.ins[Int(m2)], IRIns(.ADD, .num, a: x, b: x))
        let p2 = b.bin(.POW, x, b.num(2))
        XCTAssertEqual(t.ins[Int(p2)], IRIns(.MUL, .num, a: x, b: x))
        let d4 = b.bin(.DIV, x, b.num(4))
        XCTAssertEqual(t.ins[Int(d4)].op, .MUL)
        assertBits(t.numConst(t.ins[Int(d4)].b), 0.25)
        let dm = b.bin(.DIV, x, b.num(-0.5))
        XCTAssertEqual(t.ins[Int(dm)].op, .MUL)
        assertBits(t.numConst(t.ins[Int(dm)].b), -2)
        // DIV x, 2^-1074 (subnormal divisor) and x / 2^1023 (1/2^1023 is subnormal) stay divisions.
        let ds = b.bin(.DIV, x, b.num(Double.leastNonzeroMagnitude))
        XCTAssertEqual(t.ins[Int(ds)].op, .DIV)
        let dbig = b.bin(.DIV, x, b.num(0x1p1023))
        XCTAssertEqual(t.ins[Int(dbig)].op, .DIV)
        // Canonical order: constant second.
        let a1 = b.bin(.ADD, b.num(3), x)
        XCTAssertEqual(t.ins[Int(a1)], IRIns(.ADD, .num, a: x, b: b.num(3)))
        assertVerifies(t)
    }

    func testDivByPowerOfTwoIsExact() {
        // The rewrite must agree with real division for awkward operands.
        for d in [0x1p-3, 4, -8, 0x1p-1020, 0x1p1022] {
            for x in [1.0, 3.0, -0.0, .nan, .infinity, Double.leastNonzeroMagnitude, 0x1.fffffffffffffp-1022, 0x1.8p-1030, 1e308] {
                let r = 1 / d
                XCTAssertEqual((x * r).bitPattern, (x / d).bitPattern, "\(x) / \(d)")
            }
        }
    }

    func testIntConstants() {
        XCTAssertEqual(foldInt(.ADDI, .max, 1), .min)
        XCTAssertEqual(foldInt(.SUBI, .min, 1), .max)
        XCTAssertEqual(foldInt(.BAND, 0x0ff0, 0x00ff), 0x00f0)
        XCTAssertEqual(foldInt(.BOR, 0x0ff0, 0x00ff), 0x0fff)
        XCTAssertEqual(foldInt(.BXOR, -1, 0x0f), -16)
        XCTAssertEqual(foldInt(.BSHL, 1, 33), 2)            // count & 31
        XCTAssertEqual(foldInt(.BSHL, 1, 31), .min)
        XCTAssertEqual(foldInt(.BSHR, -1, 28), 15)
        XCTAssertEqual(foldInt(.BSAR, -8, 1), -4)
        XCTAssertEqual(foldInt(.BSAR, .min, 31), -1)
        XCTAssertEqual(foldInt(.BROL, Int32(bitPattern: 0x8000_0001), 1), 3)
        XCTAssertEqual(foldInt(.BROR, 1, 1), .min)
        XCTAssertEqual(foldInt(.BROL, 0x1234, 32), 0x1234)
        XCTAssertEqual(foldInt(.BROR, 0x1234, -32), 0x1234)
        XCTAssertEqual(foldInt(.BNOT, 0), -1)
        XCTAssertEqual(foldInt(.BSWAP, 0x1234_5678), 0x7856_3412)
    }

    func testIntIdentities() {
        let (t, b) = makeTrace()
        b.snap()
        let x = b.intSlot(0)
        XCTAssertEqual(b.bin(.BAND, x, b.int(-1), .int), x)
        XCTAssertEqual(b.bin(.BAND, b.int(-1), x, .int), x)
        XCTAssertEqual(t.intConst(b.bin(.BAND, x, b.int(0), .int)), 0)
        XCTAssertEqual(b.bin(.BOR, x, b.int(0), .int), x)
        XCTAssertEqual(t.intConst(b.bin(.BOR, x, b.int(-1), .int)), -1)
        XCTAssertEqual(b.bin(.BXOR, x, b.int(0), .int), x)
        XCTAssertEqual(b.bin(.ADDI, x, b.int(0), .int), x)
        XCTAssertEqual(b.bin(.SUBI, x, b.int(0), .int), x)
        XCTAssertEqual(b.bin(.BAND, x, x, .int), x)
        XCTAssertEqual(t.intConst(b.bin(.BXOR, x, x, .int)), 0)
        XCTAssertEqual(t.intConst(b.bin(.SUBI, x, x, .int)), 0)
        for op in [IROp.BSHL, .BSHR, .BSAR, .BROL, .BROR] {
            XCTAssertEqual(b.bin(op, x, b.int(0), .int), x)
            XCTAssertEqual(b.bin(op, x, b.int(64), .int), x)
            XCTAssertEqual(t.intConst(b.bin(op, b.int(0), x, .int)), 0)
        }
        XCTAssertEqual(t.intConst(b.bin(.BSAR, b.int(-1), x, .int)), -1)
        XCTAssertEqual(b.un(.BNOT, b.un(.BNOT, x, .int), .int), x)
        XCTAssertEqual(b.un(.BSWAP, b.un(.BSWAP, x, .int), .int), x)
        XCTAssertEqual(t.ins.count, 4)       // SLOAD, TOBIT, BNOT, BSWAP
        // Not identities: 0 + x stays x (commuted), 0 - x is emitted.
        XCTAssertEqual(b.bin(.ADDI, b.int(0), x, .int), x)
        XCTAssertNotEqual(b.bin(.SUBI, b.int(0), x, .int), x)
        assertVerifies(t)
    }

    func testConversions() {
        let (t, b) = makeTrace()
        func tobit(_ d: Double) -> Int32? { t.intConst(b.un(.TOBIT, b.num(d), .int)) }
        func toint(_ x: IRRef) -> IRRef { b.emit(IRIns(.TOINT, .int, a: x, guarded: true)) }
        XCTAssertEqual(tobit(0x1p32 + 5), 5)
        XCTAssertEqual(tobit(1.5), 2)          // round to nearest even
        XCTAssertEqual(tobit(2.5), 2)
        XCTAssertEqual(tobit(-1), -1)
        XCTAssertEqual(tobit(0x1p31), .min)
        XCTAssertEqual(tobit(-0.0), 0)
        XCTAssertEqual(t.intConst(toint(b.num(3))), 3)
        XCTAssertEqual(t.intConst(toint(b.num(-2147483648))), .min)
        XCTAssertEqual(t.ins.count, 0)
        b.snap()
        XCTAssertEqual(t.intConst(toint(b.num(-0.0))), 0)   // as JITMath.exactInt: -0 is 0
        // TOINT of a non-integer, out of range or NaN: the guard stays (it always exits).
        for d in [3.5, 0x1p31, -0x1p31 - 1, .nan, .infinity] {
            let r = toint(b.num(d))
            XCTAssertGreaterThanOrEqual(r, 0, "TOINT \(d)")
            XCTAssert(t.ins[Int(r)].isGuard)
        }
        assertBits(t.numConst(b.un(.TONUM, b.int(-7), .num)), -7)
        let i = b.intSlot(0)
        let n = b.un(.TONUM, i, .num)
        XCTAssertEqual(toint(n), i)
        XCTAssertEqual(b.un(.TOBIT, n, .int), i)
        let x = b.sload(1, .num)
        let xi = toint(x)
        XCTAssertNotEqual(b.un(.TONUM, xi, .num), x)     // x = -0 would come back as +0
        let tb = b.un(.TOBIT, x, .int)
        XCTAssertEqual(toint(b.un(.TONUM, tb, .num)), tb)
        assertVerifies(t)
    }

    func testGuardsOnConstants() {
        let (t, b) = makeTrace()
        b.snap()
        func g(_ op: IROp, _ x: IRRef, _ y: IRRef) -> Bool {   // true: dropped
            let n = t.ins.count
            let r = b.guardOp(op, x, y)
            if r == noRef { XCTAssertEqual(t.ins.count, n); return true }
            XCTAssert(t.ins[Int(r)].isGuard)
            return false
        }
        let nan = b.num(.nan), one = b.num(1), two = b.num(2), pz = b.num(0), nz = b.num(-0.0)
        XCTAssertTrue(g(.LT, one, two))
        XCTAssertFalse(g(.LT, two, one))
        XCTAssertFalse(g(.LT, nan, one))
        XCTAssertTrue(g(.NLT, nan, one))
        XCTAssertTrue(g(.NLT, two, one))
        XCTAssertTrue(g(.LE, one, one))
        XCTAssertFalse(g(.LE, nan, nan))
        XCTAssertTrue(g(.NLE, nan, nan))
        XCTAssertFalse(g(.NLE, one, two))
        XCTAssertTrue(g(.EQ, pz, nz))
        XCTAssertFalse(g(.EQ, nan, nan))
        XCTAssertTrue(g(.NE, nan, nan))
        XCTAssertFalse(g(.NE, pz, nz))
        let s1 = b.str(0x1000), s2 = b.str(0x2000)
        XCTAssertFalse(g(.EQ, s1, s2))
        XCTAssertTrue(g(.NE, s1, s2))
        XCTAssertTrue(g(.EQ, s1, s1))
        XCTAssertFalse(g(.NE, s2, s2))
        XCTAssertTrue(g(.EQ, b.singleton(.nil), b.singleton(.nil)))
        XCTAssertTrue(g(.ABC, b.int(3), b.int(5)))
        XCTAssertFalse(g(.ABC, b.int(5), b.int(5)))
        XCTAssertFalse(g(.ABC, b.int(-1), b.int(5)))       // unsigned compare
        // Identical operands.
        let x = b.sload(0, .num)
        let tb = b.sload(1, .tab)
        let nilv = b.sload(2, .nil)
        XCTAssertTrue(g(.NLT, x, x))
        XCTAssertFalse(g(.EQ, x, x))                        // NaN ~= NaN
        XCTAssertFalse(g(.LE, x, x))
        XCTAssertTrue(g(.EQ, tb, tb))
        XCTAssertFalse(g(.NE, tb, tb))
        XCTAssertTrue(g(.EQ, nilv, b.singleton(.nil)))
        assertVerifies(t)
    }

    func testFoldOffEmitsEverything() {
        var o = PassOptions(); o.fold = false
        let (t, b) = makeTrace(o)
        let r = b.bin(.ADD, b.num(1), b.num(2))
        XCTAssertEqual(r, 0)
        XCTAssertEqual(t.ins.count, 1)
    }
}
