// Interpreter tests on hand-assembled prototypes (independent of the front end): one or more per
// opcode family, checking printed output and error messages.
import Bytecode
import XCTest
@testable import Runtime

/// A tiny assembler for tests: instructions with symbolic constants.
struct Asm {
    var code: [Instruction] = []
    var constants: [Constant] = []
    var lines: [Int32] = []
    var children: [Proto] = []
    var upvalues: [UpvalueDesc] = []
    var locals: [LocalVarInfo] = []
    var upvalueNames: [String] = []

    mutating func k(_ s: String) -> Int {
        let c = Constant.string(Array(s.utf8))
        if let i = constants.firstIndex(of: c) { return i }
        constants.append(c); return constants.count - 1
    }
    mutating func k(_ d: Double) -> Int {
        let c = Constant.number(d)
        if let i = constants.firstIndex(of: c) { return i }
        constants.append(c); return constants.count - 1
    }
    mutating func abc(_ op: Opcode, _ a: Int, _ b: Int, _ c: Int, line: Int32 = 1) {
        code.append(Instruction(op, a: a, b: b, c: c)); lines.append(line)
    }
    mutating func ad(_ op: Opcode, _ a: Int, _ d: Int, line: Int32 = 1) {
        code.append(Instruction(op, a: a, d: d)); lines.append(line)
    }
    mutating func jmp(_ op: Opcode, _ a: Int, to target: Int, line: Int32 = 1) {
        let pc = code.count
        code.append(Instruction(op, a: a, jump: target - pc - 1)); lines.append(line)
    }
    var pc: Int { code.count }

    func proto(params: Int = 0, vararg: Bool = false, frame: Int = 10, line: Int = 0) -> Proto {
        Proto(source: "@test.lua", lineDefined: line, lastLineDefined: line, numParams: params,
              isVararg: vararg, frameSize: frame, code: code, constants: constants, upvalues: upvalues,
              protos: children, debug: DebugInfo(lineInfo: lines, locals: locals, upvalueNames: upvalueNames))
    }
}

func runProto(_ p: Proto, gcStress: Bool = false) -> (String, LuaVM.Outcome) {
    var o = VMOptions()
    o.captureOutput = true
    o.gcStress = gcStress
    let vm = LuaVM(options: o)
    let f: Value
    do { f = try vm.load(p) } catch { return ("", LuaVM.Outcome(status: 99, errorReport: "\(error)")) }
    let out = vm.runFunction(f)
    return (vm.capturedOutput, out)
}

final class InterpreterTests: XCTestCase {
    func testNumericForAndPrint() {
        var a = Asm()
        a.ad(.KSHORT, 0, 0)
        a.ad(.KSHORT, 1, 1)
        a.ad(.KSHORT, 2, 10)
        a.ad(.KSHORT, 3, 1)
        a.jmp(.FORPREP, 1, to: 7)
        a.abc(.ADDVV, 0, 0, 4)
        a.jmp(.FORLOOP, 1, to: 5)
        a.ad(.GGET, 1, a.k("print"))
        a.ad(.MOV, 2, 0)
        a.abc(.CALL, 1, 2, 1)
        a.ad(.RET0, 0, 0)
        let (out, r) = runProto(a.proto())
        XCTAssertEqual(r.status, 0, r.errorReport ?? "")
        XCTAssertEqual(out, "55\n")
    }

    func check(_ p: Proto, _ expected: String, status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) {
        for stress in [false, true] {
            let (out, r) = runProto(p, gcStress: stress)
            XCTAssertEqual(r.status, status, r.errorReport ?? "", file: file, line: line)
            XCTAssertEqual(out, expected, "gcStress=\(stress)", file: file, line: line)
        }
    }

    func testClosureCounterSharesUpvalue() {
        var inner = Asm()
        inner.ad(.UGET, 0, 0)
        inner.abc(.ADDVN, 0, 0, inner.k(1.0))
        inner.ad(.USET, 0, 0)
        inner.ad(.UGET, 0, 0)
        inner.ad(.RET1, 0, 0)
        inner.upvalues = [UpvalueDesc(inParentFrame: true, index: 0)]
        inner.upvalueNames = ["n"]
        var mk = Asm()
        mk.ad(.KSHORT, 0, 0)
        mk.ad(.FNEW, 1, 0)
        mk.ad(.RET1, 1, 0)
        mk.children = [inner.proto(frame: 2, line: 1)]
        var m = Asm()
        m.ad(.FNEW, 0, 0)
        m.ad(.MOV, 1, 0)
        m.abc(.CALL, 1, 1, 2)
        m.ad(.MOV, 2, 1)
        m.abc(.CALL, 2, 1, 1)
        m.ad(.GGET, 2, m.k("print"))
        m.ad(.MOV, 3, 1)
        m.abc(.CALL, 3, 1, 0)
        m.abc(.CALL, 2, 0, 1)
        m.ad(.RET0, 0, 0)
        m.children = [mk.proto(frame: 3, line: 1)]
        check(m.proto(), "2\n")
    }

    func testVarargsAndMultipleResults() {
        var f = Asm()
        f.ad(.GGET, 0, f.k("select"))
        f.ad(.KSTR, 1, f.k("#"))
        f.abc(.VARG, 2, 0, 0)
        f.abc(.CALL, 0, 0, 2)
        f.abc(.VARG, 1, 0, 0)
        f.abc(.RET, 0, 0, 0)
        var m = Asm()
        m.ad(.FNEW, 0, 0)
        m.ad(.GGET, 1, m.k("print"))
        m.ad(.MOV, 2, 0)
        m.ad(.KSHORT, 3, 1)
        m.ad(.KPRI, 4, 0)
        m.ad(.KSHORT, 5, 3)
        m.abc(.CALL, 2, 4, 0)
        m.abc(.CALL, 1, 0, 1)
        m.ad(.RET0, 0, 0)
        m.children = [f.proto(vararg: true, frame: 4, line: 1)]
        check(m.proto(), "3\t1\tnil\t3\n")
    }

    func testPcallCatchesErrorWithFieldName() {
        var f = Asm()
        f.ad(.UGET, 0, 0)
        f.abc(.TGETS, 0, 0, f.k("foo"))
        f.abc(.CALL, 0, 1, 1)
        f.ad(.RET0, 0, 0)
        f.upvalues = [UpvalueDesc(inParentFrame: true, index: 0)]
        f.upvalueNames = ["t"]
        var m = Asm()
        m.abc(.TNEW, 0, 0, 0)
        m.ad(.GGET, 1, m.k("print"))
        m.ad(.GGET, 2, m.k("pcall"))
        m.ad(.FNEW, 3, 0)
        m.abc(.CALL, 2, 2, 0)
        m.abc(.CALL, 1, 0, 1)
        m.ad(.RET0, 0, 0)
        m.children = [f.proto(frame: 2, line: 1)]
        m.locals = [LocalVarInfo(name: "t", register: 0, startPC: 1, endPC: 7)]
        check(m.proto(), "false\ttest.lua:1: attempt to call field 'foo' (a nil value)\n")
    }

    func testUncaughtErrorReportAndTraceback() {
        var m = Asm()
        m.ad(.GGET, 0, m.k("x"), line: 3)
        m.abc(.TGETS, 0, 0, m.k("y"), line: 3)
        m.ad(.RET0, 0, 0, line: 3)
        let (_, r) = runProto(m.proto())
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.errorReport, "tracejit: test.lua:3: attempt to index global 'x' (a nil value)\nstack traceback:\n\ttest.lua:3: in main chunk")
    }

    func testDeepTailRecursion() {
        var f = Asm()
        f.ad(.ISNEN, 0, f.k(0.0))
        f.jmp(.JMP, 0, to: 4)
        f.ad(.KSTR, 1, f.k("done"))
        f.ad(.RET1, 1, 0)
        f.ad(.UGET, 1, 0)
        f.abc(.SUBVN, 2, 0, f.k(1.0))
        f.abc(.TAILCALL, 1, 2, 0)
        f.upvalues = [UpvalueDesc(inParentFrame: true, index: 0)]
        var m = Asm()
        m.ad(.KNIL, 0, 0)
        m.ad(.FNEW, 0, 0)
        m.ad(.GGET, 1, m.k("print"))
        m.ad(.MOV, 2, 0)
        m.ad(.KNUM, 3, m.k(1e6))
        m.abc(.CALL, 2, 2, 0)
        m.abc(.CALL, 1, 0, 1)
        m.ad(.RET0, 0, 0)
        m.children = [f.proto(params: 1, frame: 3, line: 1)]
        let (out, r) = runProto(m.proto())
        XCTAssertEqual(r.status, 0, r.errorReport ?? "")
        XCTAssertEqual(out, "done\n")
    }

    func testCoroutineWrapYieldResume() {
        var f = Asm()
        f.ad(.GGET, 1, f.k("coroutine"))
        f.abc(.TGETS, 1, 1, f.k("yield"))
        f.abc(.ADDVN, 2, 0, f.k(1.0))
        f.abc(.CALL, 1, 2, 2)
        f.ad(.GGET, 2, f.k("print"))
        f.ad(.MOV, 3, 1)
        f.abc(.CALL, 2, 2, 1)
        f.ad(.KSHORT, 2, 7)
        f.ad(.RET1, 2, 0)
        var m = Asm()
        m.ad(.GGET, 0, m.k("coroutine"))
        m.abc(.TGETS, 0, 0, m.k("wrap"))
        m.ad(.FNEW, 1, 0)
        m.abc(.CALL, 0, 2, 2)
        for arg in [1, 10] {
            m.ad(.GGET, 1, m.k("print"))
            m.ad(.MOV, 2, 0)
            m.ad(.KSHORT, 3, arg)
            m.abc(.CALL, 2, 2, 0)
            m.abc(.CALL, 1, 0, 1)
        }
        m.ad(.RET0, 0, 0)
        m.children = [f.proto(params: 1, frame: 4, line: 1)]
        check(m.proto(), "2\n10\n7\n")
    }

    func testArithmeticMetamethodAndCoercion() {
        var add = Asm()
        add.ad(.KSHORT, 2, 42)
        add.ad(.RET1, 2, 0)
        var m = Asm()
        m.abc(.TNEW, 0, 0, 0)          // mt
        m.ad(.FNEW, 1, 0)
        m.abc(.TSETS, 1, 0, m.k("__add"))
        m.ad(.GGET, 1, m.k("setmetatable"))
        m.abc(.TNEW, 2, 0, 0)
        m.ad(.MOV, 3, 0)
        m.abc(.CALL, 1, 3, 2)          // t
        m.ad(.GGET, 2, m.k("print"))
        m.abc(.ADDVN, 3, 1, m.k(1.0))  // t + 1 -> 42
        m.ad(.KSTR, 4, m.k("10"))
        m.abc(.MULVN, 4, 4, m.k(2.0))  // "10" * 2 -> 20
        m.ad(.KSHORT, 5, 1)
        m.ad(.KSHORT, 6, 2)
        m.abc(.CAT, 5, 5, 6)           // 1 .. 2 -> "12"
        m.abc(.DIVVV, 6, 6, 6)
        m.abc(.CALL, 2, 5, 1)
        m.ad(.RET0, 0, 0)
        m.children = [add.proto(params: 2, frame: 3, line: 1)]
        check(m.proto(), "42\t20\t12\t1\n")
    }
}
