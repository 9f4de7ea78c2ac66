// The parser: a recursive-descent pass over the tokens that emits code as it goes (no syntax tree),
// in the manner of Lua 5.1's lparser.c and LuaJIT's lj_parse.c. Expressions are parsed by
// precedence climbing (`subexpr`), with Lua 5.1's priorities; statements map one-to-one onto the
// code shapes described in docs/bytecode.md (loop headers, jump lists, UCLO on scope exit).
//
// Recursion is bounded: every nested block and every subexpression counts as a syntax level, and
// more than 200 levels is LuaJIT's "chunk has too many syntax levels", so no input can exhaust the
// Swift stack.

import Bytecode

private let unaryPriority = 8
private let leftPriority: [Int] = [6, 6, 7, 7, 7, 10, 5, 3, 3, 3, 3, 3, 3, 2, 1]
private let rightPriority: [Int] = [6, 6, 7, 7, 7, 9, 4, 3, 3, 3, 3, 3, 3, 2, 1]
private let maxLevels = 200
private let fieldsPerFlush = Limits.fieldsPerFlush

final class Parser {
    let lex: Lexer
    let source: String
    @exclusivity(unchecked) var fs: FuncState
    @exclusivity(unchecked) private var level = 0
    @exclusivity(unchecked) private var lhs: [ExpDesc] = []  // assignment targets being parsed (a stack)
    private let idSelf: Int32
    private let forNames: [Int32]

    init(lex: Lexer, source: String) {
        self.lex = lex
        self.source = source
        fs = FuncState(parent: nil, lex: lex, lineDefined: 0)
        idSelf = lex.interner.intern("self")
        forNames = ["(for index)", "(for limit)", "(for step)", "(for generator)", "(for state)",
                    "(for control)"].map { lex.interner.intern($0) }
    }

    // MARK: Helpers

    @inline(__always) private var tok: Int { lex.cur.tok }

    private func enterLevel() throws {
        level += 1
        if level >= maxLevels { throw lex.error("chunk has too many syntax levels", near: nil) }
    }

    @inline(__always) private func leaveLevel() { level -= 1 }

    private func check(_ t: Int) throws {
        if tok != t { throw lex.errorNear("'\(Tok.name(t))' expected") }
    }

    private func checkNext(_ t: Int) throws {
        try check(t)
        try lex.next()
    }

    private func testNext(_ t: Int) throws -> Bool {
        if tok == t { try lex.next(); return true }
        return false
    }

    private func checkMatch(_ what: Int, _ who: Int, _ line: Int) throws {
        if tok == what { try lex.next(); return }
        if line == lex.line { throw lex.errorNear("'\(Tok.name(what))' expected") }
        throw lex.errorNear("'\(Tok.name(what))' expected (to close '\(Tok.name(who))' at line \(line))")
    }

    /// A name (LuaJIT also accepts `goto` where a name is expected).
    private func checkName() throws -> Int32 {
        if tok == Tok.name {
            let s = lex.cur.str
            try lex.next()
            return s
        }
        if tok == Tok.kGoto {
            try lex.next()
            return Int32(Tok.kGoto - Tok.firstKeyword)
        }
        throw lex.errorNear("'<name>' expected")
    }

    private func blockFollow() -> Bool {
        switch tok {
        case Tok.kElse, Tok.kElseif, Tok.kEnd, Tok.kUntil, Tok.eof: return true
        default: return false
        }
    }

    // MARK: Chunks and functions

    func parseMain() throws -> Proto {
        fs.isVararg = true
        fs.enterBlock(isLoop: false)
        try lex.next()
        try chunk()
        try check(Tok.eof)
        return try closeFunction()
    }

    private func closeFunction() throws -> Proto {
        let f = fs
        try f.leaveBlock()
        // Every function ends in a return; skip it only when the code cannot reach the end.
        if f.pc == 0 || f.lastTarget == f.pc || !isReturn(f.code[f.pc - 1].op) {
            f.emitAD(.RET0, 0, 0)
        }
        f.removeLocals(to: 0)
        let p = f.finish(source: source)
        if let parent = f.parent { fs = parent }
        return p
    }

    private func isReturn(_ op: Opcode) -> Bool {
        op == .RET || op == .RET0 || op == .RET1 || op == .TAILCALL
    }

    private func chunk() throws {
        try enterLevel()
        var isLast = false
        while !isLast && !blockFollow() {
            isLast = try statement()
            _ = try testNext(Int(UInt8(ascii: ";")))
            fs.freereg = fs.nactvar
        }
        leaveLevel()
    }

    private func block() throws {
        fs.enterBlock(isLoop: false)
        try chunk()
        try fs.leaveBlock()
    }

    /// `function (params) body end` -> a FNEW of the new child prototype.
    private func body(_ e: inout ExpDesc, isMethod: Bool, line: Int) throws {
        let parent = fs
        let nfs = FuncState(parent: parent, lex: lex, lineDefined: line)
        fs = nfs
        nfs.enterBlock(isLoop: false)
        var nparams = 0
        if isMethod {
            try nfs.addLocal(idSelf, 0)
            nparams = 1
        }
        try checkNext(Int(UInt8(ascii: "(")))
        if tok != Int(UInt8(ascii: ")")) {
            repeat {
                if tok == Tok.name || tok == Tok.kGoto {
                    try nfs.addLocal(try checkName(), nparams)
                    nparams += 1
                } else if tok == Tok.dots {
                    try lex.next()
                    nfs.isVararg = true
                } else {
                    throw lex.errorNear("<name> or '...' expected")
                }
            } while try !nfs.isVararg && testNext(Int(UInt8(ascii: ",")))
        }
        try nfs.activateLocals(nparams)
        nfs.numParams = nparams
        try nfs.reserveRegs(nparams)
        try checkNext(Int(UInt8(ascii: ")")))
        try chunk()
        nfs.lastLineDefined = lex.line
        try checkMatch(Tok.kEnd, Tok.kFunction, line)
        let p = try closeFunction()
        if parent.protos.count >= Limits.maxChildProtos {
            throw parent.limitError(Limits.maxChildProtos, "functions")
        }
        parent.protos.append(p)
        e = ExpDesc(.relocable, parent.emitAD(.FNEW, 0, parent.protos.count - 1))
    }

    // MARK: Variables

    private func singleVar(_ name: Int32) throws -> ExpDesc {
        let f = fs
        if let reg = f.findLocal(name) { return ExpDesc(.local, reg) }
        // While f is parsed, its enclosing scopes are frozen: a name it already captured still
        // means the same variable.
        if let i = f.upvalueNames.firstIndex(of: name) { return ExpDesc(.upval, i) }
        return try resolve(f, name, base: true)
    }

    private func resolve(_ f: FuncState?, _ name: Int32, base: Bool) throws -> ExpDesc {
        guard let f = f else { return ExpDesc(.global, Int(name)) }
        if let reg = f.findLocal(name) {
            if !base { f.markUpval(reg) }
            return ExpDesc(.local, reg)
        }
        let up = try resolve(f.parent, name, base: false)
        if up.kind == .global { return up }
        let idx = try f.addUpvalue(name, inParent: up.kind == .local, index: up.info)
        return ExpDesc(.upval, idx)
    }

    // MARK: Expressions

    private func expr(_ e: inout ExpDesc) throws {
        _ = try subexpr(&e, 0)
    }

    private func binaryOp(_ t: Int) -> BinOpr? {
        switch t {
        case Int(UInt8(ascii: "+")): return .add
        case Int(UInt8(ascii: "-")): return .sub
        case Int(UInt8(ascii: "*")): return .mul
        case Int(UInt8(ascii: "/")): return .div
        case Int(UInt8(ascii: "%")): return .mod
        case Int(UInt8(ascii: "^")): return .pow
        case Tok.concat: return .concat
        case Tok.eq: return .eq
        case Tok.ne: return .ne
        case Int(UInt8(ascii: "<")): return .lt
        case Tok.le: return .le
        case Int(UInt8(ascii: ">")): return .gt
        case Tok.ge: return .ge
        case Tok.kAnd: return .and
        case Tok.kOr: return .or
        default: return nil
        }
    }

    /// Precedence climbing: parses operators that bind tighter than `limit`.
    private func subexpr(_ e: inout ExpDesc, _ limit: Int) throws -> BinOpr? {
        try enterLevel()
        let uop: UnOpr?
        switch tok {
        case Tok.kNot: uop = .not
        case Int(UInt8(ascii: "-")): uop = .minus
        case Int(UInt8(ascii: "#")): uop = .len
        default: uop = nil
        }
        if let u = uop {
            try lex.next()
            _ = try subexpr(&e, unaryPriority)
            try fs.prefix(u, &e)
        } else {
            try simpleExp(&e)
        }
        var op = binaryOp(tok)
        while let o = op, leftPriority[o.rawValue] > limit {
            try lex.next()
            try fs.infix(o, &e)
            var e2 = ExpDesc(.void)
            let nextOp = try subexpr(&e2, rightPriority[o.rawValue])
            try fs.posfix(o, &e, &e2)
            op = nextOp
        }
        leaveLevel()
        return op
    }

    private func simpleExp(_ e: inout ExpDesc) throws {
        switch tok {
        case Tok.number:
            e = .number(lex.cur.num)
        case Tok.string:
            e = ExpDesc(.str, Int(lex.cur.str))
        case Tok.kNil:
            e = ExpDesc(.nilK)
        case Tok.kTrue:
            e = ExpDesc(.trueK)
        case Tok.kFalse:
            e = ExpDesc(.falseK)
        case Tok.dots:
            if !fs.isVararg { throw lex.errorNear("cannot use '...' outside a vararg function") }
            e = ExpDesc(.vararg, fs.emitABC(.VARG, 0, 2, 0))
        case Int(UInt8(ascii: "{")):
            try constructor(&e)
            return
        case Tok.kFunction:
            try lex.next()
            try body(&e, isMethod: false, line: lex.line)
            return
        default:
            try suffixedExp(&e)
            return
        }
        try lex.next()
    }

    private func primaryExp(_ e: inout ExpDesc) throws {
        switch tok {
        case Tok.name, Tok.kGoto:
            e = try singleVar(try checkName())
        case Int(UInt8(ascii: "(")):
            let line = lex.line
            try lex.next()
            try expr(&e)
            try checkMatch(Int(UInt8(ascii: ")")), Int(UInt8(ascii: "(")), line)
            try fs.dischargeVars(&e)
        default:
            throw lex.errorNear("unexpected symbol")
        }
    }

    private func suffixedExp(_ e: inout ExpDesc) throws {
        try primaryExp(&e)
        while true {
            switch tok {
            case Int(UInt8(ascii: ".")):
                try fs.exp2anyreg(&e)
                try lex.next()
                var k = ExpDesc(.str, Int(try checkName()))
                try fs.indexed(&e, &k)
            case Int(UInt8(ascii: "[")):
                try fs.exp2anyreg(&e)
                try lex.next()
                var k = ExpDesc(.void)
                try expr(&k)
                try fs.exp2val(&k)
                try checkNext(Int(UInt8(ascii: "]")))
                try fs.indexed(&e, &k)
            case Int(UInt8(ascii: ":")):
                try lex.next()
                let name = try checkName()
                try fs.selfCall(&e, name)
                try callArgs(&e)
            case Int(UInt8(ascii: "(")), Tok.string, Int(UInt8(ascii: "{")):
                try fs.exp2nextreg(&e)
                try callArgs(&e)
            default:
                return
            }
        }
    }

    /// Arguments of a call whose function (and self) are in place at `e.info`.
    private func callArgs(_ e: inout ExpDesc) throws {
        let line = lex.line
        var args = ExpDesc(.void)
        switch tok {
        case Int(UInt8(ascii: "(")):
            if line != lex.lastLine {
                throw lex.errorNear("ambiguous syntax (function call x new statement)")
            }
            try lex.next()
            if tok != Int(UInt8(ascii: ")")) {
                _ = try exprList(&args)
                if args.isMultRet { try fs.setReturns(&args, -1) }
            }
            try checkMatch(Int(UInt8(ascii: ")")), Int(UInt8(ascii: "(")), line)
        case Int(UInt8(ascii: "{")):
            try constructor(&args)
        case Tok.string:
            args = ExpDesc(.str, Int(lex.cur.str))
            try lex.next()
        default:
            throw lex.errorNear("function arguments expected")
        }
        let base = e.info
        var b: Int
        if args.isMultRet {
            b = 0
        } else {
            if args.kind != .void { try fs.exp2nextreg(&args) }
            b = fs.freereg - base  // nargs + 1
        }
        let pc = fs.emitABC(.CALL, base, b, 2)
        fs.lines[pc] = Int32(truncatingIfNeeded: line)
        e = ExpDesc(.call, pc)
        fs.freereg = base + 1
    }

    private func exprList(_ e: inout ExpDesc) throws -> Int {
        var n = 1
        try expr(&e)
        while tok == Int(UInt8(ascii: ",")) {
            try lex.next()
            try fs.exp2nextreg(&e)
            try expr(&e)
            n += 1
        }
        return n
    }

    // MARK: Table constructors

    private func constructor(_ t: inout ExpDesc) throws {
        let line = lex.line
        let f = fs
        let pc = f.emitABC(.TNEW, f.freereg, 0, 0)
        let treg = f.freereg
        t = ExpDesc(.nonreloc, treg)
        try f.reserveRegs(1)
        try checkNext(Int(UInt8(ascii: "{")))
        var na = 0, nh = 0, pending = 0
        var v = ExpDesc(.void)
        while tok != Int(UInt8(ascii: "}")) {
            if v.kind != .void {  // close the previous positional item
                try f.exp2nextreg(&v)
                v = ExpDesc(.void)
                if pending == fieldsPerFlush {
                    try flushList(treg, na, pending)
                    pending = 0
                }
            }
            let reg = f.freereg
            if (tok == Tok.name || tok == Tok.kGoto), try lex.lookahead() == Int(UInt8(ascii: "=")) {
                var k = ExpDesc(.str, Int(try checkName()))
                try recordField(treg, &k, reg)
                nh += 1
            } else if tok == Int(UInt8(ascii: "[")) {
                try lex.next()
                var k = ExpDesc(.void)
                try expr(&k)
                try f.exp2val(&k)
                try checkNext(Int(UInt8(ascii: "]")))
                try recordField(treg, &k, reg)
                nh += 1
            } else {
                try expr(&v)
                na += 1
                pending += 1
            }
            if try !(testNext(Int(UInt8(ascii: ","))) || testNext(Int(UInt8(ascii: ";")))) { break }
        }
        try checkMatch(Int(UInt8(ascii: "}")), Int(UInt8(ascii: "{")), line)
        if pending > 0 {
            if v.isMultRet {
                try f.setReturns(&v, -1)
                try flushList(treg, na, -1)
                // The array-size hint keeps the call's slot: it gives at least one value as a rule,
                // and a table built as `{ f(x), g(x) }` then needs no array resize in SETLIST.
            } else {
                if v.kind != .void { try f.exp2nextreg(&v) }
                try flushList(treg, na, pending)
            }
        }
        f.code[pc].setB(min(na, 255))
        f.code[pc].setC(min(nh, 255))
    }

    /// `name = v` or `[k] = v` in a constructor.
    private func recordField(_ treg: Int, _ k: inout ExpDesc, _ reg: Int) throws {
        let f = fs
        try checkNext(Int(UInt8(ascii: "=")))
        var kind = KeyKind.reg
        var key = 0
        if k.kind == .str && !k.hasJumps, case let idx = try f.stringConstant(Int32(k.info)), idx < 256 {
            kind = .str
            key = idx
        } else if k.isNumK, let b = byteKey(k.num) {
            kind = .byte
            key = b
        } else {
            key = try f.exp2anyreg(&k)
        }
        var v = ExpDesc(.void)
        try expr(&v)
        let r = try f.exp2anyreg(&v)
        switch kind {
        case .reg: f.emitABC(.TSETV, r, treg, key)
        case .str: f.emitABC(.TSETS, r, treg, key)
        case .byte: f.emitABC(.TSETB, r, treg, key)
        }
        f.freereg = reg
    }

    /// SETLIST of the pending items; `count` -1 means "up to top".
    private func flushList(_ treg: Int, _ total: Int, _ count: Int) throws {
        let f = fs
        let batch = (total - 1) / fieldsPerFlush + 1
        let b = count < 0 ? 0 : count + 1
        if batch <= 255 {
            f.emitABC(.SETLIST, treg, b, batch)
        } else {
            f.emitABC(.SETLIST, treg, b, 0)
            f.emitAD(.EXTRAARG, (batch >> 16) & 0xff, batch & 0xffff)
        }
        f.freereg = treg + 1
    }

    // MARK: Statements

    /// Parses one statement; true when it must be the last of its block (return, break).
    private func statement() throws -> Bool {
        let line = lex.line
        switch tok {
        case Tok.kIf:
            try ifStat(line)
        case Tok.kWhile:
            try whileStat(line)
        case Tok.kDo:
            try lex.next()
            try block()
            try checkMatch(Tok.kEnd, Tok.kDo, line)
        case Tok.kFor:
            try forStat(line)
        case Tok.kRepeat:
            try repeatStat(line)
        case Tok.kFunction:
            try funcStat(line)
        case Tok.kLocal:
            try lex.next()
            if try testNext(Tok.kFunction) { try localFunc() } else { try localStat() }
        case Tok.label:
            try labelStat()
        case Tok.kReturn:
            try lex.next()
            try retStat()
            return true
        case Tok.kBreak:
            try lex.next()
            try fs.gotoStatement(breakName, line: line)
            return true
        case Tok.kGoto:
            if try lex.lookahead() == Tok.name {
                try lex.next()
                let name = try checkName()
                try fs.gotoStatement(name, line: line)
            } else {
                try exprStat()
            }
        default:
            try exprStat()
        }
        return false
    }

    private func cond() throws -> Int {
        var v = ExpDesc(.void)
        try expr(&v)
        if v.kind == .nilK { v.kind = .falseK }
        try fs.goIfTrue(&v)
        return v.f
    }

    private func testThenBlock() throws -> Int {
        try lex.next()  // if / elseif
        let flist = try cond()
        try checkNext(Tok.kThen)
        try block()
        return flist
    }

    private func ifStat(_ line: Int) throws {
        let f = fs
        var escape = noJump
        var flist = try testThenBlock()
        while tok == Tok.kElseif {
            try f.concatJumps(&escape, f.emitJump())
            try f.patchToHere(flist)
            flist = try testThenBlock()
        }
        if tok == Tok.kElse {
            try f.concatJumps(&escape, f.emitJump())
            try f.patchToHere(flist)
            try lex.next()
            try block()
        } else {
            try f.concatJumps(&escape, flist)
        }
        try f.patchToHere(escape)
        try checkMatch(Tok.kEnd, Tok.kIf, line)
    }

    private func whileStat(_ line: Int) throws {
        let f = fs
        try lex.next()
        f.markTarget()
        try f.bumpFrame(f.nactvar + 1)
        let start = f.emitAD(.LOOP, f.nactvar, Limits.jumpBias)
        let exit = try cond()
        f.enterBlock(isLoop: true)
        try checkNext(Tok.kDo)
        try block()
        try f.fixJump(f.emitJump(), start)
        try checkMatch(Tok.kEnd, Tok.kWhile, line)
        try f.fixJump(start, f.pc)
        try f.leaveBlock()
        try f.patchToHere(exit)
    }

    private func repeatStat(_ line: Int) throws {
        let f = fs
        f.markTarget()
        try f.bumpFrame(f.nactvar + 1)
        let start = f.emitAD(.LOOP, f.nactvar, Limits.jumpBias)
        f.enterBlock(isLoop: true)
        f.enterBlock(isLoop: false)
        try lex.next()
        try chunk()
        try checkMatch(Tok.kUntil, Tok.kRepeat, line)
        let exit = try cond()  // inside the body's scope
        if !f.blocks[f.blocks.count - 1].upval {
            try f.leaveBlock()
            try f.patchList(exit, start)
        } else {
            // Captured body locals are closed on both ways out of the iteration.
            let out = f.emitJump()
            try f.patchToHere(exit)
            let inner = f.blocks[f.blocks.count - 1].nactvar
            try f.fixJump(f.emitAD(.UCLO, inner, 0), start)
            try f.patchToHere(out)
            try f.leaveBlock()
        }
        try f.fixJump(start, f.pc)
        try f.leaveBlock()
    }

    private func forStat(_ line: Int) throws {
        let f = fs
        f.enterBlock(isLoop: true)
        try lex.next()
        let v1 = try checkName()
        switch tok {
        case Int(UInt8(ascii: "=")):
            try forNum(v1, line)
        case Int(UInt8(ascii: ",")), Tok.kIn:
            try forList(v1, line)
        default:
            throw lex.errorNear("'=' or 'in' expected")
        }
        try checkMatch(Tok.kEnd, Tok.kFor, line)
        try f.leaveBlock()
    }

    private func exp1() throws {
        var e = ExpDesc(.void)
        try expr(&e)
        try fs.exp2nextreg(&e)
    }

    private func forNum(_ name: Int32, _ line: Int) throws {
        let f = fs
        let base = f.freereg
        try f.addLocal(forNames[0], 0)
        try f.addLocal(forNames[1], 1)
        try f.addLocal(forNames[2], 2)
        try f.addLocal(name, 3)
        try checkNext(Int(UInt8(ascii: "=")))
        try exp1()
        try checkNext(Int(UInt8(ascii: ",")))
        try exp1()
        if try testNext(Int(UInt8(ascii: ","))) {
            try exp1()
        } else {
            f.emitAD(.KSHORT, f.freereg, 1)
            try f.reserveRegs(1)
        }
        try f.activateLocals(3)
        try checkNext(Tok.kDo)
        let prep = f.emitAD(.FORPREP, base, 0)
        f.enterBlock(isLoop: false)
        try f.activateLocals(1)
        try f.reserveRegs(1)
        try chunk()
        try f.leaveBlock()
        let loop = f.emitAD(.FORLOOP, base, 0)
        f.lines[loop] = Int32(truncatingIfNeeded: line)
        try f.fixJump(loop, prep + 1)
        try f.fixJump(prep, f.pc)
        f.markTarget()
    }

    private func forList(_ first: Int32, _ line: Int) throws {
        let f = fs
        let base = f.freereg
        try f.addLocal(forNames[3], 0)
        try f.addLocal(forNames[4], 1)
        try f.addLocal(forNames[5], 2)
        try f.addLocal(first, 3)
        var nvars = 1
        while try testNext(Int(UInt8(ascii: ","))) {
            try f.addLocal(try checkName(), 3 + nvars)
            nvars += 1
        }
        try checkNext(Tok.kIn)
        let eline = lex.line
        var e = ExpDesc(.void)
        let n = try exprList(&e)
        try adjustAssign(3, n, &e)
        _ = eline
        try f.activateLocals(3)
        try f.bumpFrame(base + 3 + 3)
        try checkNext(Tok.kDo)
        let jmp = f.emitJump()
        f.markTarget()
        let bodyStart = f.pc
        f.enterBlock(isLoop: false)
        try f.activateLocals(nvars)
        try f.reserveRegs(nvars)
        try chunk()
        try f.leaveBlock()
        f.markTarget()
        try f.fixJump(jmp, f.pc)
        let iterc = f.emitABC(.ITERC, base + 3, 3, nvars + 1)
        f.lines[iterc] = Int32(truncatingIfNeeded: line)
        let iterl = f.emitAD(.ITERL, base + 3, 0)
        f.lines[iterl] = Int32(truncatingIfNeeded: line)
        try f.fixJump(iterl, bodyStart)
        f.markTarget()
    }

    private func funcStat(_ line: Int) throws {
        try lex.next()
        var v = try singleVar(try checkName())
        var isMethod = false
        while tok == Int(UInt8(ascii: ".")) || tok == Int(UInt8(ascii: ":")) {
            isMethod = tok == Int(UInt8(ascii: ":"))
            try fs.exp2anyreg(&v)
            try lex.next()
            var k = ExpDesc(.str, Int(try checkName()))
            try fs.indexed(&v, &k)
            if isMethod { break }
        }
        var b = ExpDesc(.void)
        try body(&b, isMethod: isMethod, line: line)
        try fs.storeVar(v, &b)
        fs.lines[fs.pc - 1] = Int32(truncatingIfNeeded: line)
    }

    private func localFunc() throws {
        let f = fs
        try f.addLocal(try checkName(), 0)
        let reg = f.freereg
        try f.reserveRegs(1)
        try f.activateLocals(1)
        var b = ExpDesc(.void)
        try body(&b, isMethod: false, line: lex.line)
        try f.exp2reg(&b, reg)
        f.locals[f.actvars[reg]].startPC = f.pc
    }

    private func localStat() throws {
        let f = fs
        var nvars = 0
        repeat {
            try f.addLocal(try checkName(), nvars)
            nvars += 1
        } while try testNext(Int(UInt8(ascii: ",")))
        var e = ExpDesc(.void)
        var nexps = 0
        if try testNext(Int(UInt8(ascii: "="))) { nexps = try exprList(&e) }
        try adjustAssign(nvars, nexps, &e)
        try f.activateLocals(nvars)
    }

    private func adjustAssign(_ nvars: Int, _ nexps: Int, _ e: inout ExpDesc) throws {
        let f = fs
        var extra = nvars - nexps
        if e.isMultRet {
            extra += 1
            if extra < 0 { extra = 0 }
            try f.setReturns(&e, extra)
            if extra > 1 { try f.reserveRegs(extra - 1) }
        } else {
            if e.kind != .void { try f.exp2nextreg(&e) }
            if extra > 0 {
                let reg = f.freereg
                try f.reserveRegs(extra)
                f.emitNil(reg, extra)
            }
        }
        if nexps > nvars { f.freereg -= nexps - nvars }
    }

    private func retStat() throws {
        let f = fs
        if blockFollow() || tok == Int(UInt8(ascii: ";")) {
            f.emitAD(.RET0, 0, 0)
            return
        }
        var e = ExpDesc(.void)
        let n = try exprList(&e)
        if e.isMultRet {
            try f.setReturns(&e, -1)
            if e.kind == .call && n == 1 {
                let c = f.code[e.info]
                f.code[e.info] = Instruction(.TAILCALL, a: c.a, b: c.b, c: 0)
                return
            }
            f.emitABC(.RET, f.nactvar, 0, 0)
        } else if n == 1 {
            let r = try f.exp2anyreg(&e)
            f.emitAD(.RET1, r, 0)
        } else {
            try f.exp2nextreg(&e)
            f.emitABC(.RET, f.nactvar, n + 1, 0)
        }
    }

    private func labelStat() throws {
        var names: [Int32] = []
        guard let bl = fs.blocks.last else { return }
        while tok == Tok.label {
            try lex.next()
            let name = try checkName()
            if names.contains(name) || fs.labels[bl.firstLabel...].contains(where: { $0.name == name }) {
                throw lex.error("duplicate label '\(lex.interner.string(name))'", near: nil)
            }
            try checkNext(Tok.label)
            names.append(name)
        }
        let trailing = blockFollow() && tok != Tok.kUntil
        try fs.defineLabels(names, trailing: trailing)
    }

    // MARK: Assignment and calls

    private func exprStat() throws {
        var v = ExpDesc(.void)
        try suffixedExp(&v)
        if v.kind == .call {
            fs.code[v.info].setC(1)
            return
        }
        let base = lhs.count
        lhs.append(v)
        defer { lhs.removeSubrange(base...) }
        try assignment(base)
    }

    /// Targets lhs[base...] are parsed; the last one is being checked.
    private func assignment(_ base: Int) throws {
        let f = fs
        let v = lhs[lhs.count - 1]
        let nvars = lhs.count - base
        switch v.kind {
        case .local, .upval, .global, .indexed: break
        default: throw lex.errorNear("syntax error")
        }
        if try testNext(Int(UInt8(ascii: ","))) {
            var nv = ExpDesc(.void)
            try suffixedExp(&nv)
            if nv.kind == .local { try checkConflict(base, nv) }
            if level + nvars > maxLevels { throw f.limitError(maxLevels, "variable names") }
            lhs.append(nv)
            try assignment(base)
            lhs.removeLast()
        } else {
            try checkNext(Int(UInt8(ascii: "=")))
            var e = ExpDesc(.void)
            let nexps = try exprList(&e)
            if nexps != nvars {
                try adjustAssign(nvars, nexps, &e)
            } else {
                f.setOneRet(&e)
                try f.storeVar(v, &e)
                return
            }
        }
        var e = ExpDesc(.nonreloc, f.freereg - 1)
        try f.storeVar(lhs[lhs.count - 1], &e)
    }

    /// A local assigned later in the list is read as a table or key of an earlier target: that
    /// target uses a copy of its old value.
    private func checkConflict(_ base: Int, _ v: ExpDesc) throws {
        let f = fs
        let extra = f.freereg
        var conflict = false
        for i in base..<lhs.count where lhs[i].kind == .indexed {
            if lhs[i].info == v.info {
                conflict = true
                lhs[i].info = extra
            }
            if lhs[i].keyKind == .reg && lhs[i].aux == v.info {
                conflict = true
                lhs[i].aux = extra
            }
        }
        if conflict {
            f.emitAD(.MOV, extra, v.info)
            try f.reserveRegs(1)
        }
    }
}
