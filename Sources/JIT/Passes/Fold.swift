// Fold: constant folding and algebraic simplification, applied to every instruction as the
// IRBuilder emits it (before CSE).
//
// What it does. `Fold.simplify(ins, in:)` looks at one instruction whose operands are already in
// the trace and answers one of three things: emit it (possibly rewritten into a cheaper or
// canonical form), use an existing reference instead (a constant or an earlier instruction), or
// drop it (a guard that provably holds). It never looks further than the operands' defining
// instructions, so it is O(1) per instruction and needs no state of its own.
// Inside a loop body (LoopOpt), a ref before LOOP may stand for the value a PHI carries into the
// current iteration, not for what its instruction computed in the peel: a rule may answer with
// such a ref's operand (LoopOpt then gives that operand a PHI), but a rule that builds a new
// instruction from it must not look into a ref before LOOP (`bodyDef`).
//
// Exactness. Every rule must give bit-identical results to the interpreter for every input,
// including -0, NaN, infinities and int32 wrap-around, because an exit hands the values to the
// interpreter and the program must print the same with and without the JIT. So:
//   - constants are folded with JITMath, the definitions the IR interpreter uses and the interpreter
//     computes (MOD: a - floor(a/b)*b; POW: b == 2 is a*a, else pow; TOBIT via 2^52 + 2^51;
//     MIN/MAX as math.min/max: `a < b ? a : b`; TOINT: exactInt);
//   - `x + 0` is NOT `x` (-0 + 0 = +0), but `x + (-0)`, `x - 0`, `x * 1`, `x / 1` are;
//     `x * 2` is `x + x`; `x / 2^k` is `x * 2^-k` when 2^-k is a normal double (both are the exact
//     product rounded once); `x * 0`, `x - x`, `0 - x` are not simplified (NaN, inf, -0);
//   - `x * -1` is not `-x` (the sign of a NaN differs, and tostring shows it);
//   - NEG(NEG x), BNOT(BNOT x), BSWAP(BSWAP x) are x; TOINT(TONUM i) and TOBIT(TONUM i) are i;
//     TONUM(TOINT x) is NOT x: TOINT's guard accepts -0, which comes back as +0;
//   - integer identities (x & -1, x | 0, x ^ 0, x + 0, x - 0, shifts/rotates by a multiple of 32,
//     x & x, x | x, x ^ x = 0, x - x = 0, 0 << n, ...) hold for every int32, and so does combining
//     constants of wrapping adds: (x + k1) - k2 is x + (k1 - k2), (k1 - x) + k2 is (k1 + k2) - x.
// Guards whose condition is decided by constants (or by identical operands, e.g. NLT x,x, LE x,x
// on ints, or EQ on two refs of one singleton type) are dropped when they always hold; when they always fail they
// stay (the trace then always exits there, which is what the interpreter would do too).
// Canonical form: commutative operations get a constant as their second operand and otherwise the
// lower reference first, so `a+b` and `b+a` meet in CSE (num ADD/MUL: only non-NaN constants move,
// because with two NaN operands the first one's NaN is the result).
// Helpers that need the runtime (CAT, STRSUB, STRCHAR, TOSTR, STRBYTE on constant strings) and all
// loads and stores are left alone.
import Glibc

public enum Fold {
    public static func simplify(_ ins: IRIns, in trace: Trace) -> FoldResult {
        var cur = ins
        // A rewrite (x*2 -> x+x, x/4 -> x*0.25, POW x,2 -> MUL x,x) may enable another rule; the
        // chain is short and each step strictly simplifies, so a small bound is enough.
        for _ in 0..<4 {
            let r = step(cur, trace)
            guard case .emit(let next) = r, next != cur else { return r }
            cur = next
        }
        return .emit(cur)
    }

    // MARK: - Constant evaluation (JITMath: the interpreter's own definitions)

    /// The value of a num operation on constants (ops of the "num" rows of the IR table).
    public static func evalNum(_ op: IROp, _ x: Double, _ y: Double) -> Double? {
        switch op {
        case .ADD: return x + y
        case .SUB: return x - y
        case .MUL: return x * y
        case .DIV: return x / y
        case .MOD: return JITMath.mod(x, y)
        case .POW: return JITMath.pow(x, y)
        case .NEG: return -x
        case .MIN: return JITMath.min(x, y)
        case .MAX: return JITMath.max(x, y)
        case .ATAN2: return Glibc.atan2(x, y)
        case .FMOD: return Glibc.fmod(x, y)
        default: return nil
        }
    }

    /// The value of an int32 operation on constants (wrapping; shift counts use their low 5 bits).
    public static func evalInt(_ op: IROp, _ x: Int32, _ y: Int32) -> Int32? {
        let ux = UInt32(bitPattern: x), n = UInt32(bitPattern: y) & 31
        switch op {
        case .ADDI: return x &+ y
        case .SUBI: return x &- y
        case .BAND: return x & y
        case .BOR: return x | y
        case .BXOR: return x ^ y
        case .BSHL: return Int32(bitPattern: ux << n)
        case .BSHR: return Int32(bitPattern: ux >> n)
        case .BSAR: return x >> Int32(n)
        case .BROL: return Int32(bitPattern: (ux << n) | (ux >> ((32 &- n) & 31)))
        case .BROR: return Int32(bitPattern: (ux >> n) | (ux << ((32 &- n) & 31)))
        case .BNOT: return ~x
        case .BSWAP: return Int32(bitPattern: ux.byteSwapped)
        default: return nil
        }
    }

    /// The outcome of a comparison guard on constants (true: the guard holds).
    public static func evalGuard(_ op: IROp, _ x: IRConst, _ y: IRConst) -> Bool? {
        if x.type == .int && y.type == .int && (op == .LT || op == .NLT || op == .LE || op == .NLE) {
            let a = x.intValue, b = y.intValue
            switch op {
            case .LT: return a < b
            case .NLT: return !(a < b)
            case .LE: return a <= b
            default: return !(a <= b)
            }
        }
        switch op {
        case .LT: return x.number < y.number
        case .NLT: return !(x.number < y.number)
        case .LE: return x.number <= y.number
        case .NLE: return !(x.number <= y.number)
        case .EQ, .NE:
            let eq = x.type == .num && y.type == .num ? x.number == y.number : x == y
            return op == .EQ ? eq : !eq
        case .ABC: return UInt32(bitPattern: x.intValue) < UInt32(bitPattern: y.intValue)
        default: return nil
        }
    }

    // MARK: - One rewriting step

    private static let negZeroBits = (-0.0 as Double).bitPattern

    /// Canonical operand order of a commutative op: constant second, else the lower ref first.
    /// ADD and MUL on numbers only move a non-NaN constant: with two NaN operands the result is the
    /// first one's NaN (its sign shows in tostring), so two variable operands keep their order.
    private static func shouldSwap(_ ins: IRIns, _ trace: Trace) -> Bool {
        let a = ins.a, b = ins.b
        if isConst(b) { return false }
        if isConst(a) {
            if ins.type == .num && (ins.op == .ADD || ins.op == .MUL) { return !trace.const(of: a).number.isNaN }
            return true
        }
        if ins.type == .num && (ins.op == .ADD || ins.op == .MUL) { return false }
        return a > b
    }

    private static func step(_ ins0: IRIns, _ trace: Trace) -> FoldResult {
        var ins = ins0
        let op = ins.op
        let info = op.info
        if info.flags.contains(.commutative), ins.a != noRef, ins.b != noRef, shouldSwap(ins, trace) {
            swap(&ins.a, &ins.b)
        }
        let a = ins.a, b = ins.b
        let ka = info.a == .ref && a != noRef && isConst(a)
        let kb = info.b == .ref && b != noRef && isConst(b)

        func num(_ d: Double) -> FoldResult { .ref(trace.const(.num(d))) }
        func int(_ i: Int32) -> FoldResult { .ref(trace.const(.int(i))) }
        func numK(_ r: IRRef) -> Double { trace.const(of: r).number }
        func intK(_ r: IRRef) -> Int32 { trace.const(of: r).intValue }
        /// The defining instruction of a non-constant operand.
        func def(_ r: IRRef) -> IRIns? { r >= 0 && Int(r) < trace.ins.count ? trace.ins[Int(r)] : nil }
        /// def(r), except for a ref before LOOP while a loop body is emitted (see the file comment).
        func bodyDef(_ r: IRRef) -> IRIns? {
            if let ls = trace.loopStart, Int(r) < ls { return nil }
            return def(r)
        }

        switch op {
        // Guards.
        case .LT, .NLT, .LE, .NLE, .EQ, .NE, .ABC:
            if ka && kb, let holds = evalGuard(op, trace.const(of: a), trace.const(of: b)) {
                return holds ? .dropGuard : .emit(ins)
            }
            if a == b && a != noRef {
                let t = trace.type(of: a)
                switch op {
                case .NLT: return .dropGuard                             // not (x < x): true even for NaN
                case .LE where t == .int: return .dropGuard              // x <= x for every int32
                case .EQ where t != .num: return .dropGuard              // identity
                default: break
                }
            }
            if op == .EQ, a != noRef, b != noRef {
                let t = trace.type(of: a)
                if t.isSingleton && trace.type(of: b) == t { return .dropGuard }   // nil == nil, ...
            }
            return .emit(ins)

        // Arithmetic on numbers.
        case .ADD:
            if ka && kb { return num(numK(a) + numK(b)) }
            if kb && numK(b).bitPattern == negZeroBits { return .ref(a) }   // x + (-0) == x, even for x = -0
        case .SUB:
            if ka && kb { return num(numK(a) - numK(b)) }
            if kb && numK(b).bitPattern == 0 { return .ref(a) }              // x - (+0) == x
        case .MUL:
            if ka && kb { return num(numK(a) * numK(b)) }
            if kb {
                let y = numK(b)
                if y == 1 { return .ref(a) }
                if y == 2 { ins.op = .ADD; ins.b = a; return .emit(ins) }   // x * 2 == x + x exactly
            }
        case .DIV:
            if ka && kb { return num(numK(a) / numK(b)) }
            if kb {
                let y = numK(b)
                if y == 1 { return .ref(a) }
                // x / 2^k == x * 2^-k: both round the same exact value once.
                if y.isNormal && y.significandBitPattern == 0 {
                    let r = 1 / y
                    if r.isNormal { ins.op = .MUL; ins.b = trace.const(.num(r)); return .emit(ins) }
                }
            }
        case .MOD:
            if ka && kb { return num(JITMath.mod(numK(a), numK(b))) }
        case .POW:
            if ka && kb { return num(JITMath.pow(numK(a), numK(b))) }
            if kb && numK(b) == 2 { ins.op = .MUL; ins.b = a; return .emit(ins) }   // the interpreter's a*a
        case .NEG:
            if ka { return num(-numK(a)) }
            if let d = def(a), d.op == .NEG { return .ref(d.a) }
        case .MIN, .MAX:
            if ka && kb, let r = evalNum(op, numK(a), numK(b)) { return num(r) }
            if a == b { return .ref(a) }                                     // x < x is false: the result is x
        case .ATAN2, .FMOD:
            if ka && kb, let r = evalNum(op, numK(a), numK(b)) { return num(r) }
        case .FPMATH:
            guard let fn = IRMathFn(rawValue: b) else { break }
            if ka { return num(fn.apply(numK(a))) }
            if fn == .floor || fn == .ceil, let d = def(a) {
                // The operand is already integral (or NaN/inf, which floor and ceil return as is).
                if d.op == .TONUM { return .ref(a) }
                if d.op == .FPMATH, let g = IRMathFn(rawValue: d.b), g == .floor || g == .ceil { return .ref(a) }
            }
            if fn == .abs, let d = def(a), d.op == .FPMATH, d.b == IRMathFn.abs.rawValue { return .ref(a) }

        // int32 arithmetic.
        case .ADDI, .SUBI, .BAND, .BOR, .BXOR, .BSHL, .BSHR, .BSAR, .BROL, .BROR:
            if ka && kb, let r = evalInt(op, intK(a), intK(b)) { return int(r) }
            if kb, op == .ADDI || op == .SUBI, let d = bodyDef(a), d.op == .ADDI || d.op == .SUBI {
                // (x +- k1) +- k2 and (k1 - x) +- k2 with one constant: int32 arithmetic wraps, so
                // the constants combine exactly.
                let y = op == .ADDI ? intK(b) : 0 &- intK(b)
                if isConst(d.b), !isConst(d.a) {
                    let c = (d.op == .ADDI ? intK(d.b) : 0 &- intK(d.b)) &+ y
                    if c == 0 { return .ref(d.a) }
                    if c < 0 && c != Int32.min { return .emit(IRIns(.SUBI, .int, a: d.a, b: trace.const(.int(0 &- c)))) }
                    return .emit(IRIns(.ADDI, .int, a: d.a, b: trace.const(.int(c))))
                }
                if d.op == .SUBI, isConst(d.a), !isConst(d.b) {
                    return .emit(IRIns(.SUBI, .int, a: trace.const(.int(intK(d.a) &+ y)), b: d.b))
                }
            }
            if kb {
                let y = intK(b)
                switch op {
                case .ADDI, .SUBI, .BOR, .BXOR: if y == 0 { return .ref(a) }
                case .BAND: if y == -1 { return .ref(a) }; if y == 0 { return int(0) }
                default: if y & 31 == 0 { return .ref(a) }                    // shifts and rotates by 0
                }
                if op == .BOR && y == -1 { return int(-1) }
            }
            if ka {
                let x = intK(a)
                let shift = op == .BSHL || op == .BSHR || op == .BSAR || op == .BROL || op == .BROR
                if shift && x == 0 { return int(0) }                          // 0 shifted/rotated is 0
                if x == -1 && (op == .BSAR || op == .BROL || op == .BROR) { return int(-1) }
            }
            if a == b {
                switch op {
                case .BAND, .BOR: return .ref(a)
                case .BXOR, .SUBI: return int(0)
                default: break
                }
            }
        case .BNOT, .BSWAP:
            if ka, let r = evalInt(op, intK(a), 0) { return int(r) }
            if let d = def(a), d.op == op { return .ref(d.a) }

        // Conversions.
        case .TOBIT:
            if ka { return int(JITMath.tobit(numK(a))) }
            if let d = def(a), d.op == .TONUM { return .ref(d.a) }            // every int32 round-trips
        case .TOINT:
            if ka {
                if let i = JITMath.exactInt(numK(a)) { return int(i) }
                return .emit(ins)                                             // always fails: keep the guard
            }
            if let d = def(a), d.op == .TONUM { return .ref(d.a) }
        case .TONUM:
            if ka { return num(Double(intK(a))) }
            // Not TONUM(TOINT x) -> x: TOINT accepts -0 (JITMath.exactInt), and -0 comes back as +0.
        default:
            break
        }
        return .emit(ins)
    }
}
