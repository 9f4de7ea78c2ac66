// The bytecode verifier: runs on every prototype tree before it is run, whether it came from the
// compiler or from a .bc file, as the JVM verifies class files. Once it passes, the interpreter and
// the trace recorder trust the code: they do no bounds or kind checks of their own.
//
// What holds after verification, for every prototype P of the tree:
//   - Shape: frameSize <= Limits.maxFrameSize, numParams <= min(frameSize, Limits.maxParams), the
//     counts of constants, upvalues and children within Limits, nesting <= BytecodeFile.maxDepth,
//     every prototype has the main chunk's source name.
//   - Operands: every opcode byte is known; every operand is valid for its OperandKind: registers
//     (including every register of a range) are < frameSize, `str`/`num` operands name constants of
//     that kind, `pri` <= 2, `upv` < the upvalue count, `proto` < the child count, `none` is 0.
//   - Control flow: every jump lands inside the code and never on an EXTRAARG; the last
//     instruction never falls through (RET*, TAILCALL or JMP); each test is followed by a JMP; an
//     EXTRAARG follows exactly the SETLIST with C = 0 it belongs to; FORPREP/FORLOOP pair up both
//     ways; ITERC is followed by ITERL with the same A; LOOP's exit target lies after it, at most
//     one past the end.
//   - `top`: each consumer of multiple values (CALL, TAILCALL, RET, SETLIST with B = 0) directly
//     follows a producer (CALL with C = 0, VARG with B = 0), is not a jump target (so the producer
//     always ran just before it), and the producer's values start inside the consumer's range.
//     VARG occurs only in vararg functions.
//   - Upvalues: the main chunk has none; a child's descriptors name a slot of the parent's frame or
//     one of the parent's upvalues.
//   - Debug info: present on all prototypes or on none; one line (>= 0) per instruction; locals
//     name registers < frameSize with 0 <= startPC <= endPC <= code count; upvalue names are one
//     per upvalue or absent.
//
// What it does not promise: anything about values at run time (types, `top` beyond the frame after
// a multiple-result call, stack depth). Those are the interpreter's checks.
//
// Errors are collected in program order (prototypes pre-order, then pc) and the first one is thrown
// as a BytecodeError naming the function's index path ("main>2>0"), its first line, the pc and the
// instruction.

public enum Verifier {
    /// Throws the first problem found in the tree rooted at `main`.
    public static func verify(_ main: Proto) throws {
        let ctx = VerifyContext()
        var v = ProtoVerifier(proto: main, ctx: ctx, parent: nil, root: main)
        try v.run(depth: 1)
    }
}

/// The operand kinds and flags of each opcode, without the names: copying an `OpcodeInfo` retains its
/// strings, which cost more than the rest of verification together.
private struct OperandShape {
    let format: Format
    let a, b, c, d: OperandKind
    let flags: OpcodeInfo.Flags
}

private let operandShapes: [OperandShape] = opcodeTable.map {
    OperandShape(format: $0.format, a: $0.a, b: $0.b, c: $0.c, d: $0.d, flags: $0.flags)
}

/// The opcode of each of the 256 byte values, nil for unknown bytes: one load instead of
/// `Opcode(rawValue:)`.
private let opcodeByByte: [Opcode?] = (0..<256).map { Opcode(rawValue: UInt8($0)) }

/// State shared by the verifiers of one tree: the child-index path of the prototype being checked
/// (its name is only spelled out for a message) and a reusable jump-target buffer.
private final class VerifyContext {
    @exclusivity(unchecked) var indices: [Int] = []
    @exclusivity(unchecked) var isTarget: [Bool] = []
    let shapes = operandShapes
    let ops = opcodeByByte

    var path: String {
        var s = "main"
        for i in indices { s += ">\(i)" }
        return s
    }
}

private struct ProtoVerifier {
    let p: Proto
    let ctx: VerifyContext
    let parent: Proto?
    let root: Proto
    let code: [Instruction]
    let constants: [Constant]
    let shapes: [OperandShape]
    let ops: [Opcode?]
    let fs: Int
    let upvalueCount: Int
    let protoCount: Int
    init(proto: Proto, ctx: VerifyContext, parent: Proto?, root: Proto) {
        p = proto
        self.ctx = ctx
        self.parent = parent
        self.root = root
        code = proto.code
        constants = proto.constants
        shapes = ctx.shapes
        ops = ctx.ops
        fs = proto.frameSize
        upvalueCount = proto.upvalues.count
        protoCount = proto.protos.count
    }

    // MARK: Messages

    /// The prototype's index path ("main>2>0"); valid while it is being checked.
    var path: String { ctx.path }

    var location: String {
        p.lineDefined > 0 ? "function \(path) (line \(p.lineDefined))" : "function \(path)"
    }

    func fail(_ what: String) -> BytecodeError {
        BytecodeError(message: "invalid bytecode in \(location): \(what)", function: path)
    }

    func fail(pc: Int, _ what: String) -> BytecodeError {
        let ins = pc >= 0 && pc < code.count ? " (\(code[pc]))" : ""
        return BytecodeError(message: "invalid bytecode in \(location), pc \(pc)\(ins): \(what)",
                             function: path, pc: pc)
    }

    // MARK: Driver

    mutating func run(depth: Int) throws {
        guard depth <= BytecodeFile.maxDepth else {
            throw fail("functions nested more than \(BytecodeFile.maxDepth) deep")
        }
        try checkShape()
        try checkUpvalues()
        try checkDebug()
        try checkCode()
        let n = p.protos.count
        for i in 0..<n {
            ctx.indices.append(i)
            var v = ProtoVerifier(proto: p.protos[i], ctx: ctx, parent: p, root: root)
            try v.run(depth: depth + 1)
            ctx.indices.removeLast()
        }
    }

    // MARK: Prototype-level checks

    func checkShape() throws {
        if p.frameSize < 0 || p.frameSize > Limits.maxFrameSize {
            throw fail("frame size \(p.frameSize) is outside 0...\(Limits.maxFrameSize)")
        }
        if p.numParams < 0 || p.numParams > Limits.maxParams {
            throw fail("parameter count \(p.numParams) is outside 0...\(Limits.maxParams)")
        }
        if p.numParams > p.frameSize {
            throw fail("parameter count \(p.numParams) exceeds the frame size \(p.frameSize)")
        }
        if p.constants.count > Limits.maxConstants {
            throw fail("\(p.constants.count) constants (at most \(Limits.maxConstants))")
        }
        if p.upvalues.count > Limits.maxUpvalues {
            throw fail("\(p.upvalues.count) upvalues (at most \(Limits.maxUpvalues))")
        }
        if p.protos.count > Limits.maxChildProtos {
            throw fail("\(p.protos.count) nested functions (at most \(Limits.maxChildProtos))")
        }
        if p.lineDefined < 0 || p.lastLineDefined < p.lineDefined || p.lastLineDefined > Int(Int32.max) {
            throw fail("bad line range \(p.lineDefined)-\(p.lastLineDefined)")
        }
        if p.source != root.source {
            throw fail("source name \"\(p.source)\" differs from the main function's \"\(root.source)\"")
        }
        if code.isEmpty { throw fail("no instructions") }
    }

    func checkUpvalues() throws {
        guard let parent else {
            if !p.upvalues.isEmpty { throw fail("the main function cannot have upvalues") }
            return
        }
        for (i, uv) in p.upvalues.enumerated() {
            if uv.inParentFrame {
                if uv.index < 0 || uv.index >= parent.frameSize {
                    throw fail("upvalue \(i) names slot \(uv.index) of the enclosing frame (size \(parent.frameSize))")
                }
            } else if uv.index < 0 || uv.index >= parent.upvalues.count {
                throw fail("upvalue \(i) names upvalue \(uv.index) of the enclosing function "
                    + "(it has \(parent.upvalues.count))")
            }
        }
    }

    func checkDebug() throws {
        guard let d = p.debug else {
            if root.debug != nil { throw fail("debug information is missing (the main function has it)") }
            return
        }
        if root.debug == nil { throw fail("has debug information but the main function is stripped") }
        if d.lineInfo.count != code.count {
            throw fail("\(d.lineInfo.count) line entries for \(code.count) instructions")
        }
        for (pc, line) in d.lineInfo.enumerated() where line < 0 {
            throw fail(pc: pc, "negative line number \(line)")
        }
        for (i, l) in d.locals.enumerated() {
            if l.register < 0 || l.register >= fs {
                throw fail("local \(i) '\(l.name)' lives in register \(l.register), outside the frame (size \(fs))")
            }
            if l.startPC < 0 || l.startPC > l.endPC || l.endPC > code.count {
                throw fail("local \(i) '\(l.name)' has live range [\(l.startPC), \(l.endPC)) outside "
                    + "0...\(code.count)")
            }
        }
        if !d.upvalueNames.isEmpty && d.upvalueNames.count != p.upvalues.count {
            throw fail("\(d.upvalueNames.count) upvalue names for \(p.upvalues.count) upvalues")
        }
    }

    // MARK: Code

    /// Target of the jump operand of the instruction at `pc` (may be out of range).
    func target(_ pc: Int) -> Int { pc + 1 + code[pc].jumpOffset }

    func opcode(at pc: Int) -> Opcode? {
        pc >= 0 && pc < code.count ? ops[Int(code[pc].opByte)] : nil
    }

    func checkCode() throws {
        // Executed jump targets first, so the `top` rule can ask "is this a jump target?" in order.
        // isTarget[pc]: some executed jump lands on pc. One buffer serves the whole tree.
        ctx.isTarget.removeAll(keepingCapacity: true)
        ctx.isTarget.append(contentsOf: repeatElement(false, count: code.count))
        for pc in code.indices {
            guard let op = opcode(at: pc) else { continue }
            switch op {
            case .JMP, .FORPREP, .FORLOOP, .ITERL:
                break
            case .UCLO where code[pc].d != Limits.jumpBias:
                break
            default:
                continue
            }
            let t = target(pc)
            if t >= 0 && t < code.count { ctx.isTarget[t] = true }
        }
        for pc in code.indices { try checkInstruction(pc) }
        if let last = opcode(at: code.count - 1), !shapes[Int(last.rawValue)].flags.contains(.terminator) {
            throw fail(pc: code.count - 1, "the last instruction falls off the end of the code")
        }
    }

    func checkInstruction(_ pc: Int) throws {
        let ins = code[pc]
        guard let op = ops[Int(ins.opByte)] else {
            throw fail(pc: pc, "unknown opcode byte 0x\(String(ins.opByte, radix: 16))")
        }
        let info = shapes[Int(op.rawValue)]
        switch info.format {
        case .abc:
            try operand(pc, "A", info.a, ins.a)
            try operand(pc, "B", info.b, ins.b)
            try operand(pc, "C", info.c, ins.c)
        case .ad:
            try operand(pc, "A", info.a, ins.a)
            try operand(pc, "D", info.d, ins.d)
        }
        if info.flags.contains(.test) && opcode(at: pc + 1) != .JMP {
            throw fail(pc: pc, "a test must be followed by a JMP")
        }

        let a = ins.a, b = ins.b, c = ins.c, d = ins.d
        switch op {
        case .KNIL:
            if a > d { throw fail(pc: pc, "KNIL range \(a)..\(d) is empty") }
            try registers(pc, a, d)
        case .CAT:
            if b >= c { throw fail(pc: pc, "CAT needs B < C") }
            try registers(pc, b, c)
        case .UCLO:
            try registers(pc, a, a - 1)
            try jump(pc)
        case .SETLIST:
            try registers(pc, a, b == 0 ? a : a + b - 1)
            if b == 0 { try consumer(pc, start: a + 1) }
            if c == 0 {
                guard opcode(at: pc + 1) == .EXTRAARG else {
                    throw fail(pc: pc, "SETLIST with C = 0 must be followed by EXTRAARG")
                }
                let batch = code[pc + 1].a << 16 | code[pc + 1].d
                if batch == 0 { throw fail(pc: pc + 1, "SETLIST batch number 0 (batches start at 1)") }
            }
        case .CALL:
            try registers(pc, a, max(a, a + b - 1, a + c - 2))
            if b == 0 { try consumer(pc, start: a + 1) }
        case .TAILCALL:
            try registers(pc, a, max(a, a + b - 1))
            if b == 0 { try consumer(pc, start: a + 1) }
        case .RET:
            try registers(pc, a, b == 0 ? a : a + b - 2)
            if b == 0 { try consumer(pc, start: a) }
        case .VARG:
            if !p.isVararg { throw fail(pc: pc, "VARG in a function that is not vararg") }
            try registers(pc, a, b == 0 ? a : a + b - 2)
        case .SELF:
            try registers(pc, a, a + 1)
        case .ITERC:
            if a < 3 { throw fail(pc: pc, "ITERC needs A >= 3 (iterator, state and control below A)") }
            if b != 3 { throw fail(pc: pc, "ITERC must pass 2 arguments (B = 3)") }
            if c < 2 { throw fail(pc: pc, "ITERC must produce at least one value (C >= 2)") }
            try registers(pc, a - 3, max(a + 2, a + c - 2))
            guard opcode(at: pc + 1) == .ITERL, code[pc + 1].a == a else {
                throw fail(pc: pc, "ITERC must be followed by ITERL with the same A")
            }
        case .ITERL:
            guard opcode(at: pc - 1) == .ITERC, code[pc - 1].a == a else {
                throw fail(pc: pc, "ITERL must follow ITERC with the same A")
            }
            try jump(pc)
            if target(pc) > pc { throw fail(pc: pc, "ITERL must jump backwards") }
        case .FORPREP:
            try registers(pc, a, a + 3)
            try jump(pc)
            let t = target(pc)
            guard t >= pc + 2, opcode(at: t - 1) == .FORLOOP, code[t - 1].a == a, target(t - 1) == pc + 1 else {
                throw fail(pc: pc, "FORPREP must jump just past a FORLOOP with the same A that loops back to it")
            }
        case .FORLOOP:
            try registers(pc, a, a + 3)
            try jump(pc)
            let t = target(pc)
            guard t <= pc, opcode(at: t - 1) == .FORPREP, code[t - 1].a == a, target(t - 1) == pc + 1 else {
                throw fail(pc: pc, "FORLOOP must jump back to just after a FORPREP with the same A that exits past it")
            }
        case .LOOP:
            try registers(pc, a, a - 1)
            let t = target(pc)
            if t <= pc || t > code.count {
                throw fail(pc: pc, "LOOP exit target \(t) must lie after the LOOP, within 0...\(code.count)")
            }
            if opcode(at: t) == .EXTRAARG { throw fail(pc: pc, "jump target \(t) is an EXTRAARG") }
        case .JMP:
            try jump(pc)
        case .EXTRAARG:
            guard opcode(at: pc - 1) == .SETLIST, code[pc - 1].c == 0 else {
                throw fail(pc: pc, "EXTRAARG must directly follow a SETLIST with C = 0")
            }
        default:
            break
        }
    }

    /// Checks one operand by its kind. `base`, `count`, `jump` and literals are checked per opcode.
    @inline(__always)
    func operand(_ pc: Int, _ field: String, _ kind: OperandKind, _ v: Int) throws {
        if !operandOK(kind, v) { try operandSlow(pc, field, kind, v) }
    }

    /// True exactly when `operandSlow` does not throw.
    @inline(__always)
    func operandOK(_ kind: OperandKind, _ v: Int) -> Bool {
        switch kind {
        case .none: return v == 0
        case .dst, .src: return v < fs
        case .str:
            guard v < constants.count else { return false }
            if case .string = constants[v] { return true }
            return false
        case .num:
            guard v < constants.count else { return false }
            if case .number = constants[v] { return true }
            return false
        case .pri: return v <= 2
        case .upv: return v < upvalueCount
        case .proto: return v < protoCount
        case .base, .lit, .slit, .jump, .count: return true
        }
    }

    /// The operand check with its messages: throws the problem with the operand.
    @inline(never)
    func operandSlow(_ pc: Int, _ field: String, _ kind: OperandKind, _ v: Int) throws {
        switch kind {
        case .none:
            if v != 0 { throw fail(pc: pc, "unused operand \(field) must be 0, not \(v)") }
        case .dst, .src:
            if v >= fs { throw fail(pc: pc, "operand \(field): register \(v) is outside the frame (size \(fs))") }
        case .str, .num:
            guard v < p.constants.count else {
                throw fail(pc: pc, "operand \(field): constant \(v) does not exist (\(p.constants.count) constants)")
            }
            switch (kind, p.constants[v]) {
            case (.str, .string), (.num, .number): break
            default:
                throw fail(pc: pc, "operand \(field): constant \(v) is not a \(kind == .str ? "string" : "number")")
            }
        case .pri:
            if v > 2 { throw fail(pc: pc, "operand \(field): primitive \(v) is not 0 (nil), 1 (false) or 2 (true)") }
        case .upv:
            if v >= p.upvalues.count {
                throw fail(pc: pc, "operand \(field): upvalue \(v) does not exist (\(p.upvalues.count) upvalues)")
            }
        case .proto:
            if v >= p.protos.count {
                throw fail(pc: pc, "operand \(field): function \(v) does not exist (\(p.protos.count) nested functions)")
            }
        case .base, .lit, .slit, .jump, .count:
            break
        }
    }

    /// Registers lo...hi must lie in the frame; an empty range (hi < lo) must start at most at its end.
    func registers(_ pc: Int, _ lo: Int, _ hi: Int) throws {
        if hi < lo {
            if lo > fs { throw fail(pc: pc, "register \(lo) is outside the frame (size \(fs))") }
        } else if lo < 0 || hi >= fs {
            throw fail(pc: pc, "registers \(lo)..\(hi) are outside the frame (size \(fs))")
        }
    }

    func jump(_ pc: Int) throws {
        let t = target(pc)
        if t < 0 || t >= code.count {
            throw fail(pc: pc, "jump target \(t) is outside the code (0..<\(code.count))")
        }
        if opcode(at: t) == .EXTRAARG { throw fail(pc: pc, "jump target \(t) is an EXTRAARG") }
    }

    /// A B = 0 consumer at `pc` whose values start at register `start`.
    func consumer(_ pc: Int, start: Int) throws {
        let prev = opcode(at: pc - 1)
        let ins = pc > 0 ? code[pc - 1] : Instruction(raw: 0)
        let produces = (prev == .CALL && ins.c == 0) || (prev == .VARG && ins.b == 0)
        guard produces else {
            throw fail(pc: pc, "B = 0 (values up to top) must directly follow a CALL with C = 0 or a VARG with B = 0")
        }
        if ctx.isTarget[pc] { throw fail(pc: pc, "a B = 0 consumer of top must not be a jump target") }
        if ins.a < start {
            throw fail(pc: pc, "the multiple values start at \(ins.a), below this instruction's range (from \(start))")
        }
    }
}
