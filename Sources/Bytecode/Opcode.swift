// The instruction set: one enum and one metadata table, defined once and used everywhere (the
// compiler, the verifier, the disassembler, the interpreter, the recorder).
//
// Every instruction is one little-endian 32-bit word in one of two formats:
//
//     bits  31..24 23..16 15..8  7..0
//     ABC:    B      C      A     op          A, B, C: 8-bit operands
//     AD:     ---- D ----   A     op          D: 16-bit operand (D = B << 8 | C)
//
// Registers ("slots") are 8-bit, so a frame holds at most `Limits.maxFrameSize` slots. Constant,
// upvalue and prototype indexes are 16-bit in the AD format. Jump offsets are D operands biased by
// 0x8000: the target is `pc + 1 + (D - 0x8000)`.
//
// Conditional jumps are two words: a test (ISLT, ISEQS, IST, ...) followed by a JMP. If the test
// holds, the JMP is taken; otherwise execution continues after the JMP. Every test opcode is paired
// with its negation at `raw ^ 1`, so the compiler inverts a condition by flipping the low bit.
//
// Loop headers are explicit: FORLOOP (numeric for), ITERL (generic for) and LOOP (while, repeat and
// backward goto). They are where hotness is credited and where traces are anchored. Each one's jump
// operand also fixes the loop's extent (see docs/bytecode.md), so "the innermost loop around pc" is a
// static question.
//
// docs/bytecode.md documents each opcode's semantics; this file is the authority on encodings.

/// How an operand is interpreted. The verifier checks each kind's range; the disassembler prints it.
public enum OperandKind: UInt8, Sendable {
    case none       // unused; must be 0
    case dst        // register written
    case src        // register read
    case base       // first register of a range whose length depends on the opcode
    case str        // index of a string constant
    case num        // index of a number constant
    case pri        // primitive: 0 nil, 1 false, 2 true
    case lit        // unsigned literal
    case slit       // signed 16-bit literal (two's complement in D)
    case upv        // upvalue index
    case proto      // index of a child prototype
    case jump       // biased jump offset
    case count      // n+1 encoding: 0 means "up to top" (multiple values)
}

public enum Format: UInt8, Sendable {
    case abc
    case ad
}

public struct OpcodeInfo: Sendable {
    public let name: String
    public let format: Format
    public let a: OperandKind
    public let b: OperandKind       // ABC only
    public let c: OperandKind       // ABC only
    public let d: OperandKind       // AD only
    public let flags: Flags
    public let summary: String

    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let test = Flags(rawValue: 1 << 0)        // must be followed by JMP
        public static let terminator = Flags(rawValue: 1 << 1)  // never falls through
        public static let loopHeader = Flags(rawValue: 1 << 2)
        public static let call = Flags(rawValue: 1 << 3)
        public static let branch = Flags(rawValue: 1 << 4)      // has a jump operand
    }
}

/// The opcodes. The order is part of the file format (bump `BytecodeFile.version` when it changes)
/// and test/negation pairs must stay adjacent at even/odd values.
public enum Opcode: UInt8, CaseIterable, Sendable {
    // Comparisons, followed by JMP. Even = test, odd = its negation.
    case ISLT, ISNLT        // A < D           (numbers or strings; __lt)
    case ISLE, ISNLE        // A <= D          (numbers or strings; __le, else not (D < A))
    case ISEQV, ISNEV       // A == D          (__eq for tables/userdata)
    case ISEQS, ISNES       // A == str D
    case ISEQN, ISNEN       // A == num D
    case ISEQP, ISNEP       // A == pri D
    case IST, ISF           // D is truthy / falsy
    case ISTC, ISFC         // if D truthy / falsy: A = D, take the jump

    // Unary and moves.
    case MOV, NOT, UNM, LEN

    // Arithmetic. VN: B op num C; NV: num C op B; VV: B op C.
    case ADDVN, SUBVN, MULVN, DIVVN, MODVN, POWVN
    case ADDNV, SUBNV, MULNV, DIVNV, MODNV, POWNV
    case ADDVV, SUBVV, MULVV, DIVVV, MODVV, POWVV
    case CAT                // A = B .. ... .. C

    // Constants.
    case KSTR, KNUM, KSHORT, KPRI, KNIL

    // Upvalues and closures.
    case UGET, USET, UCLO, FNEW

    // Tables and globals.
    case TNEW, GGET, GSET
    case TGETV, TGETS, TGETB
    case TSETV, TSETS, TSETB
    case SETLIST

    // Calls and returns.
    case CALL, TAILCALL, ITERC, VARG, SELF
    case RET, RET0, RET1

    // Loops and jumps.
    case FORPREP, FORLOOP, ITERL, LOOP, JMP

    // Payload word of the preceding instruction (SETLIST with C == 0).
    case EXTRAARG

    @inline(__always) public var info: OpcodeInfo { opcodeTable[Int(rawValue)] }
    @inline(__always) public var name: String { info.name }

    public static func named(_ name: String) -> Opcode? {
        allCases.first { $0.info.name == name }
    }
}

private func abc(_ name: String, _ a: OperandKind, _ b: OperandKind, _ c: OperandKind,
                 _ flags: OpcodeInfo.Flags = [], _ summary: String) -> OpcodeInfo {
    OpcodeInfo(name: name, format: .abc, a: a, b: b, c: c, d: .none, flags: flags, summary: summary)
}

private func ad(_ name: String, _ a: OperandKind, _ d: OperandKind,
                _ flags: OpcodeInfo.Flags = [], _ summary: String) -> OpcodeInfo {
    OpcodeInfo(name: name, format: .ad, a: a, b: .none, c: .none, d: d, flags: flags, summary: summary)
}

/// Indexed by `Opcode.rawValue`. `OpcodeTableTests` checks it lines up with the enum.
public let opcodeTable: [OpcodeInfo] = [
    ad("ISLT", .src, .src, .test, "jump if A < D"),
    ad("ISNLT", .src, .src, .test, "jump if not (A < D)"),
    ad("ISLE", .src, .src, .test, "jump if A <= D"),
    ad("ISNLE", .src, .src, .test, "jump if not (A <= D)"),
    ad("ISEQV", .src, .src, .test, "jump if A == D"),
    ad("ISNEV", .src, .src, .test, "jump if A ~= D"),
    ad("ISEQS", .src, .str, .test, "jump if A == string D"),
    ad("ISNES", .src, .str, .test, "jump if A ~= string D"),
    ad("ISEQN", .src, .num, .test, "jump if A == number D"),
    ad("ISNEN", .src, .num, .test, "jump if A ~= number D"),
    ad("ISEQP", .src, .pri, .test, "jump if A == primitive D"),
    ad("ISNEP", .src, .pri, .test, "jump if A ~= primitive D"),
    ad("IST", .none, .src, .test, "jump if D is truthy"),
    ad("ISF", .none, .src, .test, "jump if D is falsy"),
    ad("ISTC", .dst, .src, .test, "if D is truthy: A = D and jump"),
    ad("ISFC", .dst, .src, .test, "if D is falsy: A = D and jump"),

    ad("MOV", .dst, .src, [], "A = D"),
    ad("NOT", .dst, .src, [], "A = not D"),
    ad("UNM", .dst, .src, [], "A = -D"),
    ad("LEN", .dst, .src, [], "A = #D"),

    abc("ADDVN", .dst, .src, .num, [], "A = B + num C"),
    abc("SUBVN", .dst, .src, .num, [], "A = B - num C"),
    abc("MULVN", .dst, .src, .num, [], "A = B * num C"),
    abc("DIVVN", .dst, .src, .num, [], "A = B / num C"),
    abc("MODVN", .dst, .src, .num, [], "A = B % num C"),
    abc("POWVN", .dst, .src, .num, [], "A = B ^ num C"),
    abc("ADDNV", .dst, .src, .num, [], "A = num C + B"),
    abc("SUBNV", .dst, .src, .num, [], "A = num C - B"),
    abc("MULNV", .dst, .src, .num, [], "A = num C * B"),
    abc("DIVNV", .dst, .src, .num, [], "A = num C / B"),
    abc("MODNV", .dst, .src, .num, [], "A = num C % B"),
    abc("POWNV", .dst, .src, .num, [], "A = num C ^ B"),
    abc("ADDVV", .dst, .src, .src, [], "A = B + C"),
    abc("SUBVV", .dst, .src, .src, [], "A = B - C"),
    abc("MULVV", .dst, .src, .src, [], "A = B * C"),
    abc("DIVVV", .dst, .src, .src, [], "A = B / C"),
    abc("MODVV", .dst, .src, .src, [], "A = B % C"),
    abc("POWVV", .dst, .src, .src, [], "A = B ^ C"),
    abc("CAT", .dst, .base, .base, [], "A = B .. B+1 .. ... .. C"),

    ad("KSTR", .dst, .str, [], "A = string D"),
    ad("KNUM", .dst, .num, [], "A = number D"),
    ad("KSHORT", .dst, .slit, [], "A = signed 16-bit D"),
    ad("KPRI", .dst, .pri, [], "A = primitive D"),
    ad("KNIL", .base, .base, [], "A, A+1, ..., D = nil"),

    ad("UGET", .dst, .upv, [], "A = upvalue D"),
    ad("USET", .upv, .src, [], "upvalue A = D"),
    ad("UCLO", .base, .jump, [.branch], "close upvalues of slots >= A, then jump"),
    ad("FNEW", .dst, .proto, [], "A = new closure of child prototype D"),

    abc("TNEW", .dst, .lit, .lit, [], "A = {} (array size hint B, hash size hint C)"),
    ad("GGET", .dst, .str, [], "A = env[string D]"),
    ad("GSET", .src, .str, [], "env[string D] = A"),
    abc("TGETV", .dst, .src, .src, [], "A = B[C]"),
    abc("TGETS", .dst, .src, .str, [], "A = B[string C]"),
    abc("TGETB", .dst, .src, .lit, [], "A = B[C] (C a literal 0..255)"),
    abc("TSETV", .src, .src, .src, [], "B[C] = A"),
    abc("TSETS", .src, .src, .str, [], "B[string C] = A"),
    abc("TSETB", .src, .src, .lit, [], "B[C] = A (C a literal 0..255)"),
    abc("SETLIST", .base, .count, .lit, [],
        "A[(C-1)*50+i] = A+i for 1 <= i <= B-1 (B == 0: up to top; C == 0: batch in next word)"),

    abc("CALL", .base, .count, .count, [.call],
        "A, ..., A+C-2 = A(A+1, ..., A+B-1) (B == 0: args up to top; C == 0: all results, set top)"),
    abc("TAILCALL", .base, .count, .none, [.call, .terminator], "return A(A+1, ..., A+B-1)"),
    abc("ITERC", .base, .lit, .count, [.call],
        "A, A+1, A+2 = A-3, A-2, A-1; A, ..., A+C-2 = A(A+1, A+2)"),
    abc("VARG", .base, .count, .none, [], "A, ..., A+B-2 = ... (B == 0: all, set top)"),
    abc("SELF", .base, .src, .str, [], "A+1 = B; A = B[string C]"),
    abc("RET", .base, .count, .none, [.terminator], "return A, ..., A+B-2 (B == 0: up to top)"),
    ad("RET0", .none, .none, [.terminator], "return"),
    ad("RET1", .src, .none, [.terminator], "return A"),

    ad("FORPREP", .base, .jump, [.branch],
       "numeric for: check A (start), A+1 (limit), A+2 (step); A+3 = A, or jump past the loop"),
    ad("FORLOOP", .base, .jump, [.branch, .loopHeader],
       "numeric for: A += A+2; if within A+1: A+3 = A and jump back"),
    ad("ITERL", .base, .jump, [.branch, .loopHeader], "generic for: if A ~= nil: A-1 = A and jump back"),
    ad("LOOP", .base, .jump, [.branch, .loopHeader], "loop header; D points past the loop"),
    ad("JMP", .none, .jump, [.branch, .terminator], "jump"),

    ad("EXTRAARG", .lit, .lit, [], "payload (A << 16 | D) of the preceding instruction"),
]

/// Limits shared by the compiler, the verifier and the runtime.
public enum Limits {
    /// Slots a frame may use (registers are 8-bit; a few are kept for call set-up).
    public static let maxFrameSize = 250
    public static let maxUpvalues = 255
    public static let maxParams = 200
    public static let maxConstants = 65_536
    public static let maxChildProtos = 65_536
    /// Number of array items flushed per SETLIST.
    public static let fieldsPerFlush = 50
    /// Range of a jump offset.
    public static let jumpBias = 0x8000
}
