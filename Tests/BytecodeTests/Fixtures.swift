// Hand-built prototype trees for the reader, writer, verifier and disassembler tests.
import Bytecode

/// One instruction; jump operands are given as absolute targets via `J`.
func I(_ op: Opcode, _ a: Int, _ b: Int, _ c: Int) -> Instruction { Instruction(op, a: a, b: b, c: c) }
func I(_ op: Opcode, _ a: Int, _ d: Int) -> Instruction { Instruction(op, a: a, d: d) }
/// A jump-format instruction at `pc` whose target is `target`.
func J(_ op: Opcode, _ a: Int, at pc: Int, to target: Int) -> Instruction {
    Instruction(op, a: a, jump: target - pc - 1)
}

/// A prototype with convenient defaults; debug info is synthesized (line = 10 + pc) unless
/// `stripped`.
func makeProto(source: String = "@prog.lua", line: Int = 0, lastLine: Int = 0, params: Int = 0,
               vararg: Bool = false, frame: Int, code: [Instruction], constants: [Constant] = [],
               upvalues: [UpvalueDesc] = [], protos: [Proto] = [], locals: [LocalVarInfo] = [],
               upvalueNames: [String]? = nil, lines: [Int32]? = nil, stripped: Bool = false) -> Proto {
    let debug = stripped ? nil : DebugInfo(
        lineInfo: lines ?? code.indices.map { Int32(line + 1 + $0 / 2) },
        locals: locals,
        upvalueNames: upvalueNames ?? upvalues.indices.map { "u\($0)" })
    return Proto(source: source, lineDefined: line, lastLineDefined: lastLine, numParams: params,
                 isVararg: vararg, frameSize: frame, code: code, constants: constants, upvalues: upvalues,
                 protos: protos, debug: debug)
}

/// The smallest valid main chunk: `return`.
func minimalMain(stripped: Bool = false) -> Proto {
    makeProto(frame: 0, code: [I(.RET0, 0, 0)], stripped: stripped)
}

/// A main chunk in which one instruction sequence is wrapped: `code` then RET0, frame 20, vararg,
/// constants [1.5, "s", "x", 2], one child (returning) so FNEW 0 is valid.
func mainWith(_ code: [Instruction], frame: Int = 20, vararg: Bool = true, terminate: Bool = true,
              constants: [Constant] = [.number(1.5), .string(Array("s".utf8)), .string(Array("x".utf8)), .number(2)],
              protos: [Proto]? = nil) -> Proto {
    let child = makeProto(line: 3, lastLine: 4, frame: 1, code: [I(.RET0, 0, 0)])
    return makeProto(vararg: vararg, frame: frame, code: terminate ? code + [I(.RET0, 0, 0)] : code,
                     constants: constants, protos: protos ?? [child])
}

/// A tree that uses every opcode, nested three deep, with all kinds of constants and debug info.
func richProgram(stripped: Bool = false) -> Proto {
    let grandchild = makeProto(
        line: 9, lastLine: 9, frame: 1,
        code: [I(.UGET, 0, 0), I(.RET1, 0, 0)],
        upvalues: [UpvalueDesc(inParentFrame: false, index: 0)],
        upvalueNames: ["t"], stripped: stripped)
    let child0 = makeProto(
        line: 5, lastLine: 12, params: 2, frame: 6,
        code: [
            I(.UGET, 2, 0),             // 0
            I(.TGETV, 3, 2, 0),         // 1
            I(.SELF, 3, 2, 0),          // 2
            I(.USET, 0, 1),             // 3
            I(.ISTC, 4, 1),             // 4
            J(.JMP, 0, at: 5, to: 6),   // 5
            I(.LEN, 4, 2),              // 6
            I(.NOT, 5, 4),              // 7
            I(.UNM, 5, 5),              // 8
            I(.ADDVN, 4, 4, 1),         // 9
            I(.SUBNV, 4, 4, 1),         // 10
            I(.POWVV, 4, 4, 5),         // 11
            I(.TSETV, 4, 2, 0),         // 12
            I(.TSETS, 4, 2, 0),         // 13
            I(.GSET, 4, 0),             // 14
            I(.FNEW, 5, 0),             // 15
            I(.TAILCALL, 3, 3, 0),      // 16
        ],
        constants: [.string(Array("m".utf8)), .number(2)],
        upvalues: [UpvalueDesc(inParentFrame: true, index: 0)],
        protos: [grandchild],
        locals: [LocalVarInfo(name: "a", register: 0, startPC: 0, endPC: 17),
                 LocalVarInfo(name: "b", register: 1, startPC: 0, endPC: 17),
                 LocalVarInfo(name: "self", register: 2, startPC: 1, endPC: 17)],
        upvalueNames: ["t"], stripped: stripped)
    let child1 = makeProto(line: 14, lastLine: 14, frame: 2, code: [I(.KPRI, 0, 0), I(.RET0, 0, 0)],
                           stripped: stripped)
    let code: [Instruction] = [
        I(.TNEW, 0, 3, 1),              // 0  t = {}
        I(.KSHORT, 1, 0xfffb),          // 1  -5
        I(.KNUM, 2, 0),                 // 2  1.5
        I(.KSTR, 3, 1),                 // 3  "hi\n\0\xff\"\\"
        I(.KPRI, 4, 2),                 // 4  true
        I(.KNIL, 5, 7),                 // 5
        I(.SETLIST, 0, 5, 1),           // 6  t[1..4]
        I(.VARG, 1, 0, 0),              // 7  ... -> top
        I(.SETLIST, 0, 0, 0),           // 8  t[...] (batch in EXTRAARG)
        I(.EXTRAARG, 0, 2),             // 9
        I(.FNEW, 5, 0),                 // 10
        I(.GGET, 6, 4),                 // 11 print
        I(.MOV, 7, 5),                  // 12
        I(.CALL, 6, 2, 0),              // 13 print(f) -> top
        I(.CALL, 5, 0, 1),              // 14 f(...)
        I(.KSHORT, 8, 1),               // 15
        I(.KSHORT, 9, 10),              // 16
        I(.KSHORT, 10, 1),              // 17
        J(.FORPREP, 8, at: 18, to: 21), // 18
        I(.ADDVV, 2, 2, 11),            // 19
        J(.FORLOOP, 8, at: 20, to: 19), // 20
        I(.GGET, 12, 5),                // 21 pairs
        I(.MOV, 13, 0),                 // 22
        I(.CALL, 12, 2, 4),             // 23
        J(.JMP, 0, at: 24, to: 28),     // 24
        I(.ISEQS, 16, 6),               // 25
        J(.JMP, 0, at: 26, to: 28),     // 26
        J(.UCLO, 15, at: 27, to: 28),   // 27
        I(.ITERC, 15, 3, 3),            // 28
        J(.ITERL, 15, at: 29, to: 25),  // 29
        J(.LOOP, 18, at: 30, to: 34),   // 30
        I(.IST, 0, 4),                  // 31
        J(.JMP, 0, at: 32, to: 34),     // 32
        J(.JMP, 0, at: 33, to: 30),     // 33
        I(.ISEQP, 4, 1),                // 34
        J(.JMP, 0, at: 35, to: 36),     // 35
        I(.TGETS, 1, 0, 1),             // 36
        I(.TSETB, 4, 0, 1),             // 37
        I(.CAT, 1, 3, 4),               // 38
        I(.ISLT, 1, 2),                 // 39
        J(.JMP, 0, at: 40, to: 41),     // 40
        I(.ISNEN, 2, 2),                // 41
        J(.JMP, 0, at: 42, to: 43),     // 42
        I(.MULVV, 1, 1, 2),             // 43
        I(.DIVVN, 1, 1, 7),             // 44
        I(.MODNV, 1, 1, 8),             // 45
        I(.TGETB, 1, 0, 255),           // 46
        J(.UCLO, 0, at: 47, to: 48),    // 47 fall through (D = bias)
        I(.FNEW, 19, 1),                // 48
        I(.RET, 1, 3, 0),               // 49
    ]
    return makeProto(
        vararg: true, frame: 20, code: code,
        constants: [.number(1.5), .string(Array("hi\n\0\u{7f}\"\\".utf8) + [0xff]), .number(-0.0), .number(.infinity),
                    .string(Array("print".utf8)), .string(Array("pairs".utf8)), .string(Array("x".utf8)),
                    .number(.nan), .number(1e300), .string([])],
        protos: [child0, child1],
        locals: [LocalVarInfo(name: "t", register: 0, startPC: 1, endPC: 50),
                 LocalVarInfo(name: "n", register: 1, startPC: 2, endPC: 50),
                 LocalVarInfo(name: "i", register: 11, startPC: 19, endPC: 20),
                 LocalVarInfo(name: "k", register: 15, startPC: 25, endPC: 28),
                 LocalVarInfo(name: "ünïcode", register: 16, startPC: 25, endPC: 28)],
        lines: code.indices.map { Int32([1, 1, 2, 2, 3, 100, 4, 4, 4, 4][$0 % 10] + $0 / 10) },
        stripped: stripped)
}
