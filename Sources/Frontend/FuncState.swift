// Per-function code generation state: the instruction buffer with its line numbers, the constant
// pool, child prototypes, upvalue descriptors, active locals and register allocation, block scopes,
// labels and pending gotos. ExpressionCodeGen.swift turns expression descriptors into code on top of
// this; Parser.swift drives both in one pass over the tokens, as Lua's and LuaJIT's compilers do.
//
// Registers are allocated in a stack discipline: active locals occupy slots 0 ..< nactvar, and
// temporaries are pushed above them (`freereg`) and popped in reverse order. `frameSize` is the
// high-water mark. A statement starts and ends with freereg == nactvar.
//
// Jump lists: a pending forward jump keeps the next jump of its list in its own D operand (raw
// D == 0 ends a list), so "the false exits of this condition" is one Int, the pc of its head.

import Bytecode

let noJump = -1
let noReg = 255  // A of an ISTC/ISFC whose destination is not decided yet

struct BlockScope {
    var nactvar: Int        // active locals when the block was entered
    var upval = false       // some local of this block is captured by a closure
    var isLoop = false      // a loop: `break` inside ends up after it
    var firstLabel: Int     // labels of this block start here in FuncState.labels
    var firstGoto: Int      // pending gotos of this block start here in FuncState.gotos
    var firstBackJump: Int  // backward gotos emitted in this block start here in FuncState.backJumps
}

struct LabelInfo {
    var name: Int32
    var pc: Int             // where a goto to it lands
    var nactvar: Int        // locals active at the label
    var jmpPC: Int          // the JMP +0 placed at the label (becomes LOOP), or -1
}

struct PendingGoto {
    var name: Int32         // breakName for `break`
    var pc: Int             // its JMP (or UCLO)
    var line: Int
    var nactvar: Int        // locals active at the goto (lowered as it leaves blocks)
}

let breakName: Int32 = -2

struct LocalVar {
    var name: Int32
    var register: Int
    var startPC: Int
    var endPC: Int
}

/// Open-addressing map from 64-bit keys to constant-pool indices, for deduplicating a function's
/// constants. Dictionary's seeded SipHash cost more than the rest of a constant lookup; keys here
/// are compiler-chosen (string ids, number bit patterns), so a fixed mixing function is enough.
struct ConstIndexMap {
    private var keys: [UInt64] = []
    private var values: [Int32] = []   // -1: empty slot
    private var count = 0
    private var mask = -1              // table size - 1; -1 before the first insert

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var x = key
        x ^= x >> 30
        x = x &* 0xbf58_476d_1ce4_e5b9
        x ^= x >> 27
        x = x &* 0x94d0_49bb_1331_11eb
        x ^= x >> 31
        return Int(truncatingIfNeeded: x) & mask
    }

    func get(_ key: UInt64) -> Int? {
        guard mask >= 0 else { return nil }
        var i = ConstIndexMap.slot(key, mask)
        while true {
            let v = values[i]
            if v < 0 { return nil }
            if keys[i] == key { return Int(v) }
            i = (i &+ 1) & mask
        }
    }

    /// Adds `key` (which must be absent) with `value` (>= 0).
    mutating func insert(_ key: UInt64, _ value: Int) {
        if (count + 1) * 2 > mask + 1 { grow() }
        place(key, Int32(truncatingIfNeeded: value))
        count += 1
    }

    private mutating func place(_ key: UInt64, _ value: Int32) {
        var i = ConstIndexMap.slot(key, mask)
        while values[i] >= 0 { i = (i &+ 1) & mask }
        keys[i] = key
        values[i] = value
    }

    private mutating func grow() {
        let size = mask < 0 ? 16 : (mask + 1) * 2
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
        mask = size - 1
        for j in 0..<oldValues.count where oldValues[j] >= 0 { place(oldKeys[j], oldValues[j]) }
    }
}

final class FuncState {
    let parent: FuncState?
    let lex: Lexer
    let lineDefined: Int
    @exclusivity(unchecked) var lastLineDefined = 0
    @exclusivity(unchecked) var numParams = 0
    @exclusivity(unchecked) var isVararg = false

    @exclusivity(unchecked) var code: [Instruction] = []
    @exclusivity(unchecked) var lines: [Int32] = []
    @exclusivity(unchecked) var constants: [Constant] = []
    @exclusivity(unchecked) private var strConsts = ConstIndexMap()   // interned string id -> index
    @exclusivity(unchecked) private var numConsts = ConstIndexMap()   // Double bit pattern -> index
    @exclusivity(unchecked) var protos: [Proto] = []
    @exclusivity(unchecked) var upvalues: [UpvalueDesc] = []
    @exclusivity(unchecked) var upvalueNames: [Int32] = []

    @exclusivity(unchecked) var locals: [LocalVar] = []     // debug records, in declaration order
    @exclusivity(unchecked) var actvars: [Int] = []         // index into `locals` of the local in each active register
    @exclusivity(unchecked) var freereg = 0
    @exclusivity(unchecked) var frameSize = 0
    @exclusivity(unchecked) var lastTarget = 0              // the last pc that is a jump target

    @exclusivity(unchecked) var blocks: [BlockScope] = []
    @exclusivity(unchecked) var labels: [LabelInfo] = []
    @exclusivity(unchecked) var gotos: [PendingGoto] = []
    /// Backward gotos: (pc of the jump, slot level of its label). A closure created later in a block
    /// the goto leaves may capture a local that the jump must close, so each block end revisits them.
    @exclusivity(unchecked) var backJumps: [(pc: Int, level: Int)] = []

    init(parent: FuncState?, lex: Lexer, lineDefined: Int) {
        self.parent = parent
        self.lex = lex
        self.lineDefined = lineDefined
        code.reserveCapacity(64)
        lines.reserveCapacity(64)
    }

    @inline(__always) var pc: Int { code.count }
    @inline(__always) var nactvar: Int { actvars.count }

    // MARK: Errors and limits

    func limitError(_ limit: Int, _ what: String) -> SyntaxError {
        if lineDefined == 0 {
            return lex.error("main function has more than \(limit) \(what)", near: nil)
        }
        return lex.error("function at line \(lineDefined) has more than \(limit) \(what)", near: nil)
    }

    // MARK: Emission

    @discardableResult
    @inline(__always) func emit(_ i: Instruction) -> Int {
        code.append(i)
        lines.append(Int32(truncatingIfNeeded: lex.lastLine))
        return code.count - 1
    }

    @discardableResult
    func emitAD(_ op: Opcode, _ a: Int, _ d: Int) -> Int { emit(Instruction(op, a: a, d: d)) }

    @discardableResult
    func emitABC(_ op: Opcode, _ a: Int, _ b: Int, _ c: Int) -> Int { emit(Instruction(op, a: a, b: b, c: c)) }

    /// Marks the current pc as a jump target (no instruction merging across it).
    @inline(__always) func markTarget() { lastTarget = pc }

    /// Sets `n` registers from `from` to nil, merging with a nil load just before when possible.
    func emitNil(_ from: Int, _ n: Int) {
        var lo = from, hi = from + n - 1
        if pc > lastTarget && pc > 0 {
            let prev = code[pc - 1]
            var plo = -1, phi = -1
            if prev.op == .KPRI && prev.d == 0 { plo = prev.a; phi = prev.a }
            else if prev.op == .KNIL { plo = prev.a; phi = prev.d }
            if plo >= 0 && lo <= phi + 1 && hi >= plo - 1 {
                lo = min(lo, plo)
                hi = max(hi, phi)
                code[pc - 1] = lo == hi ? Instruction(.KPRI, a: lo, d: 0) : Instruction(.KNIL, a: lo, d: hi)
                return
            }
        }
        if lo == hi { emitAD(.KPRI, lo, 0) } else { emitAD(.KNIL, lo, hi) }
    }

    // MARK: Constants

    func stringConstant(_ id: Int32) throws -> Int {
        if let k = strConsts.get(UInt64(UInt32(bitPattern: id))) { return k }
        let k = constants.count
        if k >= Limits.maxConstants { throw limitError(Limits.maxConstants, "constants") }
        constants.append(.string(lex.interner.bytes(id)))
        strConsts.insert(UInt64(UInt32(bitPattern: id)), k)
        return k
    }

    func numberConstant(_ v: Double) throws -> Int {
        if let k = numConsts.get(v.bitPattern) { return k }
        let k = constants.count
        if k >= Limits.maxConstants { throw limitError(Limits.maxConstants, "constants") }
        constants.append(.number(v))
        numConsts.insert(v.bitPattern, k)
        return k
    }

    // MARK: Registers

    func reserveRegs(_ n: Int) throws {
        freereg += n
        if freereg > frameSize {
            if freereg >= Limits.maxFrameSize { throw lex.errorNear("function or expression too complex") }
            frameSize = freereg
        }
    }

    /// Makes sure slots up to `top` (exclusive) exist in the frame.
    func bumpFrame(_ top: Int) throws {
        if top > frameSize {
            if top >= Limits.maxFrameSize { throw lex.errorNear("function or expression too complex") }
            frameSize = top
        }
    }

    @inline(__always) func freeReg(_ r: Int) {
        if r >= nactvar {
            freereg -= 1
            assert(r == freereg, "register freed out of order")
        }
    }

    // MARK: Locals

    func addLocal(_ name: Int32, _ offset: Int) throws {
        // Checked as each name is declared (as LuaJIT), so the error names the declaring line.
        if nactvar + pendingLocals.count + 1 > 200 { throw limitError(200, "local variables") }
        pendingLocals.append(name)
    }
    @exclusivity(unchecked) var pendingLocals: [Int32] = []

    /// Activates the pending locals (their registers are already filled).
    func activateLocals(_ n: Int) throws {
        if nactvar + n > 200 { throw limitError(200, "local variables") }
        for i in 0..<n {
            locals.append(LocalVar(name: pendingLocals[i], register: nactvar, startPC: pc, endPC: -1))
            actvars.append(locals.count - 1)
        }
        pendingLocals.removeFirst(n)
    }

    func removeLocals(to level: Int) {
        while actvars.count > level {
            let i = actvars.removeLast()
            locals[i].endPC = pc
        }
    }

    func findLocal(_ name: Int32) -> Int? {
        var i = actvars.count - 1
        while i >= 0 {
            if locals[actvars[i]].name == name { return i }
            i -= 1
        }
        return nil
    }

    func localName(at reg: Int) -> String {
        reg < actvars.count ? lex.interner.string(locals[actvars[reg]].name) : "?"
    }

    /// A closure captures register `reg`: the block that declared it must close it on exit.
    func markUpval(_ reg: Int) {
        var i = blocks.count - 1
        while i > 0 && blocks[i].nactvar > reg { i -= 1 }
        if i >= 0 { blocks[i].upval = true }
    }

    func findUpvalue(_ inParent: Bool, _ index: Int) -> Int? {
        for (i, u) in upvalues.enumerated() where u.inParentFrame == inParent && u.index == index { return i }
        return nil
    }

    func addUpvalue(_ name: Int32, inParent: Bool, index: Int) throws -> Int {
        if let i = findUpvalue(inParent, index) { return i }
        if upvalues.count >= 60 { throw limitError(60, "upvalues") }
        upvalues.append(UpvalueDesc(inParentFrame: inParent, index: index))
        upvalueNames.append(name)
        return upvalues.count - 1
    }

    // MARK: Jumps

    @discardableResult
    func emitJump() -> Int { emitAD(.JMP, 0, 0) }

    @inline(__always) func jumpTarget(_ pc: Int) -> Int {
        let d = code[pc].d
        return d == 0 ? noJump : pc + 1 + (d - Limits.jumpBias)
    }

    func fixJump(_ at: Int, _ dest: Int) throws {
        let off = dest - (at + 1)
        if off < -0x7fff || off > 0x7fff { throw lex.errorNear("control structure too long") }
        code[at].setJump(off)
    }

    func concatJumps(_ l1: inout Int, _ l2: Int) throws {
        if l2 == noJump { return }
        if l1 == noJump { l1 = l2; return }
        var list = l1
        while true {
            let next = jumpTarget(list)
            if next == noJump { break }
            list = next
        }
        try fixJump(list, l2)
    }

    /// The test instruction that controls the jump at `pc`, if any.
    @inline(__always) func jumpControl(_ pc: Int) -> Int {
        if pc >= 1 && code[pc].op == .JMP && code[pc - 1].op.info.flags.contains(.test) { return pc - 1 }
        return pc
    }

    /// Gives an ISTC/ISFC controlling the jump at `node` its destination `reg`, or turns it into
    /// IST/ISF when no value is needed. False when the jump is not controlled by such a test.
    func patchTestReg(_ node: Int, _ reg: Int) -> Bool {
        let i = jumpControl(node)
        let ins = code[i]
        let op = ins.op
        guard op == .ISTC || op == .ISFC else { return false }
        if reg != noReg && reg != ins.d {
            code[i].setA(reg)
        } else {
            code[i] = Instruction(op == .ISTC ? .IST : .ISF, a: 0, d: ins.d)
        }
        return true
    }

    func removeValues(_ list: Int) {
        var l = list
        while l != noJump {
            _ = patchTestReg(l, noReg)
            l = jumpTarget(l)
        }
    }

    /// True when some jump in the list cannot produce its value by an ISTC/ISFC.
    func needValue(_ list: Int) -> Bool {
        var l = list
        while l != noJump {
            let op = code[jumpControl(l)].op
            if op != .ISTC && op != .ISFC { return true }
            l = jumpTarget(l)
        }
        return false
    }

    func patchListAux(_ list: Int, _ vtarget: Int, _ reg: Int, _ dtarget: Int) throws {
        var l = list
        while l != noJump {
            let next = jumpTarget(l)
            if patchTestReg(l, reg) { try fixJump(l, vtarget) } else { try fixJump(l, dtarget) }
            l = next
        }
    }

    func patchToHere(_ list: Int) throws {
        markTarget()
        try patchListAux(list, pc, noReg, pc)
    }

    func patchList(_ list: Int, _ target: Int) throws {
        if target == pc { try patchToHere(list) } else { try patchListAux(list, target, noReg, target) }
    }

    // MARK: Blocks, labels and gotos

    func enterBlock(isLoop: Bool) {
        blocks.append(BlockScope(nactvar: nactvar, isLoop: isLoop, firstLabel: labels.count,
                                 firstGoto: gotos.count, firstBackJump: backJumps.count))
    }

    /// Ends the innermost block: its locals die, its labels go out of sight, its pending gotos move to
    /// the enclosing block (closing captured locals on the way), a loop's breaks land here, and a
    /// block whose locals were captured closes them on the way out.
    func leaveBlock() throws {
        guard let bl = blocks.popLast() else { return }
        let outermost = blocks.isEmpty
        let levelAtEnd = nactvar
        removeLocals(to: bl.nactvar)
        freereg = nactvar
        labels.removeLast(labels.count - bl.firstLabel)
        var i = bl.firstGoto
        while i < gotos.count {
            var g = gotos[i]
            if bl.upval && !outermost {
                code[g.pc] = Instruction(.UCLO, a: bl.nactvar, d: code[g.pc].d)
            }
            g.nactvar = min(g.nactvar, bl.nactvar)
            if bl.isLoop && g.name == breakName {
                gotos.remove(at: i)
                markTarget()
                try fixJump(g.pc, pc)
                continue
            }
            if outermost {
                if g.name == breakName { throw lex.error("no loop to break", near: nil, line: g.line) }
                throw lex.error("undefined label '\(lex.interner.string(g.name))'", near: nil, line: g.line)
            }
            gotos[i] = g
            i += 1
        }
        // A backward goto leaves the scope of every local at or above its label's level.
        for (j, level) in backJumps[bl.firstBackJump...] where bl.upval && level < levelAtEnd {
            let a = code[j].op == .UCLO ? min(code[j].a, level) : level
            code[j] = Instruction(.UCLO, a: a, d: code[j].d)
        }
        if outermost { backJumps.removeAll() }
        if bl.upval && !outermost {
            emitAD(.UCLO, bl.nactvar, Limits.jumpBias)
        }
    }

    /// A `goto name` (or `break`, name = breakName) at the current pc.
    func gotoStatement(_ name: Int32, line: Int) throws {
        if name != breakName, let li = labels.lastIndex(where: { $0.name == name }) {
            // Backward: the label's JMP +0 becomes the LOOP of this back-edge.
            let label = labels[li]
            var close = false
            if nactvar > label.nactvar {
                for b in blocks.reversed() {
                    if b.upval { close = true }
                    if b.firstLabel <= li { break }
                }
            }
            let j = close ? emitAD(.UCLO, label.nactvar, 0) : emitJump()
            try fixJump(j, label.pc)
            backJumps.append((pc: j, level: label.nactvar))
            if label.jmpPC >= 0 {
                try bumpFrame(label.nactvar + 1)
                code[label.jmpPC] = Instruction(.LOOP, a: label.nactvar, d: 0)
                try fixJump(label.jmpPC, pc)
            }
            return
        }
        let j = emitJump()
        gotos.append(PendingGoto(name: name, pc: j, line: line, nactvar: nactvar))
    }

    /// Defines labels at the current position. `trailing`: only the end of the block follows, so
    /// the block's locals are out of scope there.
    func defineLabels(_ names: [Int32], trailing: Bool) throws {
        guard let bl = blocks.last else { return }
        let nact = trailing ? bl.nactvar : nactvar
        markTarget()
        let target = pc
        let jmpPC = trailing ? -1 : emitAD(.JMP, 0, Limits.jumpBias)
        for name in names {
            labels.append(LabelInfo(name: name, pc: target, nactvar: nact, jmpPC: jmpPC))
            var i = bl.firstGoto
            while i < gotos.count {
                let g = gotos[i]
                if g.name == name {
                    if g.nactvar < nact {
                        throw lex.error("<goto \(lex.interner.string(name))> jumps into the scope of local '\(localName(at: g.nactvar))'",
                                        near: nil, line: g.line)
                    }
                    try fixJump(g.pc, target)
                    gotos.remove(at: i)
                    continue
                }
                i += 1
            }
        }
    }

    // MARK: Finishing

    func finish(source: String) -> Proto {
        let interner = lex.interner
        let dbg = DebugInfo(
            lineInfo: lines,
            locals: locals.map {
                LocalVarInfo(name: interner.string($0.name), register: $0.register, startPC: $0.startPC,
                             endPC: $0.endPC < 0 ? code.count : $0.endPC)
            },
            upvalueNames: upvalueNames.map { interner.string($0) })
        return Proto(source: source, lineDefined: lineDefined, lastLineDefined: lastLineDefined,
                     numParams: numParams, isVararg: isVararg, frameSize: frameSize, code: code,
                     constants: constants, upvalues: upvalues, protos: protos, debug: dbg)
    }
}
