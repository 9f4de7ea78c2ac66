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
}
