// Expression descriptors and the code they turn into.
//
// The parser builds an ExpDesc for each (sub)expression and delays emitting code until it knows
// where the value must go: a constant stays a constant (so `x + 1` becomes ADDVN and `x == "a"`
// ISEQS), a local stays its register, a table access or a call is emitted with its destination
// left open ("relocable") and fixed when the value is placed. Conditions are jump lists: `t` holds
// the jumps taken when the expression is true, `f` when it is false; `and`/`or` values come from
// ISTC/ISFC, whose destination is patched in when the value is finally needed (or which turn into
// IST/ISF when it is not).
//
// Constant folding follows LuaJIT: numeric literal arithmetic and unary minus fold, except when the
// result is NaN (the operation stays for run time); -0 is kept exactly (as a KNUM constant).

import Bytecode

enum ExpKind: UInt8 {
    case void           // no value (empty expression list)
    case nilK, falseK, trueK
    case str            // info: intern id
    case num            // num
    case local          // info: register
    case upval          // info: upvalue index
    case global         // info: intern id of the name
    case indexed        // info: table register, aux: key (per keyKind)
    case call           // info: pc of the CALL
    case vararg         // info: pc of the VARG
    case relocable      // info: pc of an instruction whose A is still open
    case nonreloc       // info: register holding the value
    case jmp            // info: pc of the JMP taken when the expression is true
}

enum KeyKind: UInt8 { case reg, str, byte }

struct ExpDesc {
    var kind: ExpKind
    var info = 0
    var aux = 0
    var keyKind = KeyKind.reg
    var num = 0.0
    var t = noJump
    var f = noJump

    init(_ kind: ExpKind, _ info: Int = 0) {
        self.kind = kind
        self.info = info
    }

    static func number(_ v: Double) -> ExpDesc {
        var e = ExpDesc(.num)
        e.num = v
        return e
    }

    @inline(__always) var hasJumps: Bool { t != f }
    @inline(__always) var isNumK: Bool { kind == .num && t == noJump && f == noJump }
    @inline(__always) var isConstK: Bool {
        (kind == .nilK || kind == .falseK || kind == .trueK || kind == .str || kind == .num)
            && t == noJump && f == noJump
    }
    @inline(__always) var isMultRet: Bool { kind == .call || kind == .vararg }
}

enum BinOpr: Int {
    case add, sub, mul, div, mod, pow, concat, eq, ne, lt, le, gt, ge, and, or
}

enum UnOpr { case minus, not, len }

/// Exact integer in 0...255 (a TGETB/TSETB key). Not -0: a metamethod must see the key as written.
@inline(__always) func byteKey(_ v: Double) -> Int? {
    (v >= 0 && v <= 255 && v == v.rounded(.down) && v.sign == .plus) ? Int(v) : nil
}

/// Lua 5.1's `%`: a - floor(a/b)*b.
@inline(__always) func luaMod(_ a: Double, _ b: Double) -> Double { a - (a / b).rounded(.down) * b }

extension FuncState {
    // MARK: Discharging

    func setReturns(_ e: inout ExpDesc, _ n: Int) throws {
        if e.kind == .call {
            code[e.info].setC(n + 1)
        } else if e.kind == .vararg {
            code[e.info].setB(n + 1)
            code[e.info].setA(freereg)
            try reserveRegs(1)
        }
    }

    func setOneRet(_ e: inout ExpDesc) {
        if e.kind == .call {
            e.kind = .nonreloc
            e.info = code[e.info].a
        } else if e.kind == .vararg {
            code[e.info].setB(2)
            e.kind = .relocable
        }
    }

    func dischargeVars(_ e: inout ExpDesc) throws {
        switch e.kind {
        case .local:
            e.kind = .nonreloc
        case .upval:
            e.info = emitAD(.UGET, 0, e.info)
            e.kind = .relocable
        case .global:
            e.info = emitAD(.GGET, 0, try stringConstant(Int32(e.info)))
            e.kind = .relocable
        case .indexed:
            let t = e.info
            switch e.keyKind {
            case .reg:
                let k = e.aux
                if k > t { freeReg(k); freeReg(t) } else { freeReg(t); freeReg(k) }
                e.info = emitABC(.TGETV, 0, t, k)
            case .str:
                freeReg(t)
                e.info = emitABC(.TGETS, 0, t, e.aux)
            case .byte:
                freeReg(t)
                e.info = emitABC(.TGETB, 0, t, e.aux)
            }
            e.kind = .relocable
        case .call, .vararg:
            setOneRet(&e)
        default:
            break
        }
    }

    func discharge2reg(_ e: inout ExpDesc, _ reg: Int) throws {
        try dischargeVars(&e)
        switch e.kind {
        case .nilK: emitNil(reg, 1)
        case .falseK: emitAD(.KPRI, reg, 1)
        case .trueK: emitAD(.KPRI, reg, 2)
        case .str: emitAD(.KSTR, reg, try stringConstant(Int32(e.info)))
        case .num:
            let v = e.num
            if v >= -32768 && v <= 32767 && v == v.rounded(.down) && !(v == 0 && v.sign == .minus) {
                emitAD(.KSHORT, reg, Int(v) & 0xffff)
            } else {
                emitAD(.KNUM, reg, try numberConstant(v))
            }
        case .relocable:
            code[e.info].setA(reg)
        case .nonreloc:
            if reg != e.info { emitAD(.MOV, reg, e.info) }
        default:
            return  // .jmp / .void: nothing to load
        }
        e.info = reg
        e.kind = .nonreloc
    }

    func discharge2anyreg(_ e: inout ExpDesc) throws {
        if e.kind != .nonreloc {
            try reserveRegs(1)
            try discharge2reg(&e, freereg - 1)
        }
    }

    func freeExp(_ e: ExpDesc) {
        if e.kind == .nonreloc { freeReg(e.info) }
    }

    func exp2reg(_ e: inout ExpDesc, _ reg: Int) throws {
        try discharge2reg(&e, reg)
        if e.kind == .jmp { try concatJumps(&e.t, e.info) }
        if e.hasJumps {
            var pf = noJump, pt = noJump
            if needValue(e.t) || needValue(e.f) {
                let fj = e.kind == .jmp ? noJump : emitJump()
                pf = emitAD(.KPRI, reg, 1)
                emit(Instruction(.JMP, a: 0, jump: 1))
                pt = emitAD(.KPRI, reg, 2)
                try patchToHere(fj)
            }
            markTarget()
            let end = pc
            try patchListAux(e.f, end, reg, pf)
            try patchListAux(e.t, end, reg, pt)
        }
        e.f = noJump
        e.t = noJump
        e.info = reg
        e.kind = .nonreloc
    }

    func exp2nextreg(_ e: inout ExpDesc) throws {
        try dischargeVars(&e)
        freeExp(e)
        try reserveRegs(1)
        try exp2reg(&e, freereg - 1)
    }

    @discardableResult
    func exp2anyreg(_ e: inout ExpDesc) throws -> Int {
        try dischargeVars(&e)
        if e.kind == .nonreloc {
            if !e.hasJumps { return e.info }
            if e.info >= nactvar {
                try exp2reg(&e, e.info)
                return e.info
            }
        }
        try exp2nextreg(&e)
        return e.info
    }

    func exp2val(_ e: inout ExpDesc) throws {
        if e.hasJumps { try exp2anyreg(&e) } else { try dischargeVars(&e) }
    }

    // MARK: Stores and indexing

    func storeVar(_ v: ExpDesc, _ e: inout ExpDesc) throws {
        switch v.kind {
        case .local:
            freeExp(e)
            try exp2reg(&e, v.info)
            return
        case .upval:
            let r = try exp2anyreg(&e)
            emitAD(.USET, v.info, r)
        case .global:
            let r = try exp2anyreg(&e)
            emitAD(.GSET, r, try stringConstant(Int32(v.info)))
        case .indexed:
            let r = try exp2anyreg(&e)
            switch v.keyKind {
            case .reg: emitABC(.TSETV, r, v.info, v.aux)
            case .str: emitABC(.TSETS, r, v.info, v.aux)
            case .byte: emitABC(.TSETB, r, v.info, v.aux)
            }
        default:
            break
        }
        freeExp(e)
    }

    /// `t[k]`: t is in a register already.
    func indexed(_ t: inout ExpDesc, _ k: inout ExpDesc) throws {
        let treg = t.info
        if k.kind == .str && !k.hasJumps {
            let idx = try stringConstant(Int32(k.info))
            if idx < 256 {
                t = ExpDesc(.indexed, treg)
                t.keyKind = .str
                t.aux = idx
                return
            }
        } else if k.isNumK, let b = byteKey(k.num) {
            t = ExpDesc(.indexed, treg)
            t.keyKind = .byte
            t.aux = b
            return
        }
        let kr = try exp2anyreg(&k)
        t = ExpDesc(.indexed, treg)
        t.keyKind = .reg
        t.aux = kr
    }

    /// `obj:name` set-up: func in freereg, obj in freereg+1.
    func selfCall(_ e: inout ExpDesc, _ name: Int32) throws {
        let obj = try exp2anyreg(&e)
        freeExp(e)
        let fn = freereg
        try reserveRegs(2)
        let k = try stringConstant(name)
        if k < 256 {
            emitABC(.SELF, fn, obj, k)
        } else {
            emitAD(.MOV, fn + 1, obj)
            emitAD(.KSTR, fn, k)
            emitABC(.TGETV, fn, fn + 1, fn)
        }
        e = ExpDesc(.nonreloc, fn)
    }

    // MARK: Conditions

    func invertJump(_ e: ExpDesc) {
        let i = jumpControl(e.info)
        code[i].setOp(Opcode(rawValue: code[i].op.rawValue ^ 1)!)
    }

    /// Emits a test of `e` and a JMP taken when e is truthy (cond) or falsy (!cond).
    func jumpOnCond(_ e: inout ExpDesc, _ cond: Bool) throws -> Int {
        if e.kind == .relocable && code[e.info].op == .NOT && e.info == pc - 1 && lastTarget < pc {
            let operand = code[e.info].d
            code.removeLast()
            lines.removeLast()
            emitAD(cond ? .ISF : .IST, 0, operand)
            return emitJump()
        }
        try discharge2anyreg(&e)
        freeExp(e)
        emitAD(cond ? .ISTC : .ISFC, noReg, e.info)
        return emitJump()
    }

    /// Falls through when e is true, jumps (via e.f) when false.
    func goIfTrue(_ e: inout ExpDesc) throws {
        try dischargeVars(&e)
        var j: Int
        switch e.kind {
        case .str, .num, .trueK:
            j = noJump
        case .falseK:
            j = emitJump()
        case .jmp:
            invertJump(e)
            j = e.info
        default:
            j = try jumpOnCond(&e, false)
        }
        try concatJumps(&e.f, j)
        try patchToHere(e.t)
        e.t = noJump
    }

    /// Falls through when e is false, jumps (via e.t) when true.
    func goIfFalse(_ e: inout ExpDesc) throws {
        try dischargeVars(&e)
        var j: Int
        switch e.kind {
        case .nilK, .falseK:
            j = noJump
        case .trueK:
            j = emitJump()
        case .jmp:
            j = e.info
        default:
            j = try jumpOnCond(&e, true)
        }
        try concatJumps(&e.t, j)
        try patchToHere(e.f)
        e.f = noJump
    }

    // MARK: Operators

    func prefix(_ op: UnOpr, _ e: inout ExpDesc) throws {
        switch op {
        case .minus:
            if e.isNumK {
                e.num = -e.num
                return
            }
            let r = try exp2anyreg(&e)
            freeExp(e)
            e = ExpDesc(.relocable, emitAD(.UNM, 0, r))
        case .len:
            let r = try exp2anyreg(&e)
            freeExp(e)
            e = ExpDesc(.relocable, emitAD(.LEN, 0, r))
        case .not:
            try dischargeVars(&e)
            switch e.kind {
            case .nilK, .falseK:
                e.kind = .trueK
            case .str, .num, .trueK:
                e.kind = .falseK
            case .jmp:
                invertJump(e)
            case .relocable, .nonreloc:
                try discharge2anyreg(&e)
                freeExp(e)
                e.info = emitAD(.NOT, 0, e.info)
                e.kind = .relocable
            default:
                break
            }
            swap(&e.f, &e.t)
            removeValues(e.f)
            removeValues(e.t)
        }
    }

    func infix(_ op: BinOpr, _ v: inout ExpDesc) throws {
        switch op {
        case .and: try goIfTrue(&v)
        case .or: try goIfFalse(&v)
        case .concat: try exp2nextreg(&v)
        case .add, .sub, .mul, .div, .mod, .pow:
            if !v.isNumK { try exp2anyreg(&v) }
        case .eq, .ne:
            if !v.isConstK { try exp2anyreg(&v) }
        case .lt, .le, .gt, .ge:
            try exp2anyreg(&v)
        }
    }

    func posfix(_ op: BinOpr, _ e1: inout ExpDesc, _ e2: inout ExpDesc) throws {
        switch op {
        case .and:
            try dischargeVars(&e2)
            try concatJumps(&e2.f, e1.f)
            e1 = e2
        case .or:
            try dischargeVars(&e2)
            try concatJumps(&e2.t, e1.t)
            e1 = e2
        case .concat:
            try exp2val(&e2)
            if e2.kind == .relocable && code[e2.info].op == .CAT && e1.kind == .nonreloc
                && code[e2.info].b == e1.info + 1 {
                freeExp(e1)
                code[e2.info].setB(e1.info)
                e1 = ExpDesc(.relocable, e2.info)
            } else {
                try exp2nextreg(&e2)
                let b = e1.info, c = e2.info
                freeExp(e2)
                freeExp(e1)
                e1 = ExpDesc(.relocable, emitABC(.CAT, 0, b, c))
            }
        case .add, .sub, .mul, .div, .mod, .pow:
            try arith(op, &e1, &e2)
        case .eq, .ne:
            try compareEq(op == .eq, &e1, &e2)
        case .lt, .le, .gt, .ge:
            try compareOrder(op, &e1, &e2)
        }
    }

    private func fold(_ op: BinOpr, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .mod: return luaMod(a, b)
        case .pow: return pow(a, b)
        default: return .nan
        }
    }

    private func arith(_ op: BinOpr, _ e1: inout ExpDesc, _ e2: inout ExpDesc) throws {
        if e1.isNumK && e2.isNumK {
            let r = fold(op, e1.num, e2.num)
            if !r.isNaN {
                e1.num = r
                return
            }
        }
        let base = op.rawValue  // add..pow in opcode order
        var ins: Instruction
        if e2.isNumK, case let k = try numberConstant(e2.num), k < 256 {
            let rb = try exp2anyreg(&e1)
            ins = Instruction(Opcode(rawValue: Opcode.ADDVN.rawValue + UInt8(base))!, a: 0, b: rb, c: k)
        } else if e1.isNumK, case let k = try numberConstant(e1.num), k < 256 {
            let rb = try exp2anyreg(&e2)
            ins = Instruction(Opcode(rawValue: Opcode.ADDNV.rawValue + UInt8(base))!, a: 0, b: rb, c: k)
        } else {
            let rc = try exp2anyreg(&e2)
            let rb = try exp2anyreg(&e1)
            ins = Instruction(Opcode(rawValue: Opcode.ADDVV.rawValue + UInt8(base))!, a: 0, b: rb, c: rc)
        }
        if e1.kind == .nonreloc && e1.info >= nactvar { freereg -= 1 }
        if e2.kind == .nonreloc && e2.info >= nactvar { freereg -= 1 }
        e1 = ExpDesc(.relocable, emit(ins))
    }

    private func compareEq(_ eq: Bool, _ e1: inout ExpDesc, _ e2: inout ExpDesc) throws {
        if e1.isConstK { swap(&e1, &e2) }
        let ra = try exp2anyreg(&e1)
        var ins: Instruction
        switch e2.kind {
        case .nilK where !e2.hasJumps:
            ins = Instruction(eq ? .ISEQP : .ISNEP, a: ra, d: 0)
        case .falseK where !e2.hasJumps:
            ins = Instruction(eq ? .ISEQP : .ISNEP, a: ra, d: 1)
        case .trueK where !e2.hasJumps:
            ins = Instruction(eq ? .ISEQP : .ISNEP, a: ra, d: 2)
        case .str where !e2.hasJumps:
            ins = Instruction(eq ? .ISEQS : .ISNES, a: ra, d: try stringConstant(Int32(e2.info)))
        case .num where !e2.hasJumps:
            ins = Instruction(eq ? .ISEQN : .ISNEN, a: ra, d: try numberConstant(e2.num))
        default:
            let rd = try exp2anyreg(&e2)
            ins = Instruction(eq ? .ISEQV : .ISNEV, a: ra, d: rd)
        }
        if e1.kind == .nonreloc && e1.info >= nactvar { freereg -= 1 }
        if e2.kind == .nonreloc && e2.info >= nactvar { freereg -= 1 }
        emit(ins)
        e1 = ExpDesc(.jmp, emitJump())
    }

    private func compareOrder(_ op: BinOpr, _ e1: inout ExpDesc, _ e2: inout ExpDesc) throws {
        let r2 = try exp2anyreg(&e2)
        let r1 = try exp2anyreg(&e1)
        let ins: Instruction
        switch op {
        case .lt: ins = Instruction(.ISLT, a: r1, d: r2)
        case .le: ins = Instruction(.ISLE, a: r1, d: r2)
        case .gt: ins = Instruction(.ISLT, a: r2, d: r1)
        default: ins = Instruction(.ISLE, a: r2, d: r1)
        }
        if e1.kind == .nonreloc && e1.info >= nactvar { freereg -= 1 }
        if e2.kind == .nonreloc && e2.info >= nactvar { freereg -= 1 }
        emit(ins)
        e1 = ExpDesc(.jmp, emitJump())
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
