// Code shapes: for each construct, the instructions (and operands) that docs/bytecode.md asks for.
import XCTest
import Bytecode
@testable import Frontend

final class CodeGenTests: XCTestCase {
    private func code(_ src: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        guard let p = compileChecked(src, file: file, line: line) else { return [] }
        return render(p)
    }

    private func child(_ src: String, _ i: Int = 0, file: StaticString = #filePath, line: UInt = #line) -> Proto? {
        guard let p = compileChecked(src, file: file, line: line), i < p.protos.count else { return nil }
        return p.protos[i]
    }

    // MARK: Constants and loads

    func testConstantLoads() {
        XCTAssertEqual(code("local a, b, c, d, e = 1, -32768, 32768, 1.5, -0"),
                       ["KSHORT 0 1", "KSHORT 1 -32768", "KNUM 2 0", "KNUM 3 1", "KNUM 4 2", "RET0 0 0"])
        let p = try! compileLua("local a, b, c = 32768, 1.5, -0")
        XCTAssertEqual(p.constants, [.number(32768), .number(1.5), .number(-0.0)])
        XCTAssertEqual(code("local a, b, c, d = nil, false, true, 'x'"),
                       ["KPRI 0 0", "KPRI 1 1", "KPRI 2 2", "KSTR 3 0", "RET0 0 0"])
        XCTAssertEqual(code("local a, b, c"), ["KNIL 0 2", "RET0 0 0"])
        XCTAssertEqual(code("local a local b"), ["KNIL 0 1", "RET0 0 0"])
    }

    func testConstantsAreDeduplicated() {
        let p = try! compileLua("local a, b, c, d = 'x', 'x', 2.5, 2.5 x = 'x'")
        XCTAssertEqual(p.constants, [.string(Array("x".utf8)), .number(2.5)])
    }

    func testConstantFolding() {
        XCTAssertEqual(code("local x = 2 + 3 * 4 - 1"), ["KSHORT 0 13", "RET0 0 0"])
        XCTAssertEqual(code("local x = -2 ^ 2"), ["KSHORT 0 -4", "RET0 0 0"])
        XCTAssertEqual(code("local x = 2 ^ -3"), ["KNUM 0 0", "RET0 0 0"])
        XCTAssertEqual(try! compileLua("local x = 2 ^ -3").constants, [.number(0.125)])
        XCTAssertEqual(code("local x = 7 % -3"), ["KSHORT 0 -2", "RET0 0 0"])
        // NaN is never folded; -0 is kept exactly.
        XCTAssertEqual(code("local x = 0 / 0"), ["KSHORT 0 0", "DIVVN 0 0 0", "RET0 0 0"])
        XCTAssertEqual(code("local x = 1 % 0"), ["KSHORT 0 1", "MODVN 0 0 0", "RET0 0 0"])
        XCTAssertEqual(try! compileLua("local x = 0 * -1").constants, [.number(-0.0)])
        XCTAssertEqual(try! compileLua("local x = 1 / 0").constants, [.number(.infinity)])
        XCTAssertEqual(code("local x = - -1"), ["KSHORT 0 1", "RET0 0 0"])
    }

    // MARK: Arithmetic forms

    func testArithmeticForms() {
        XCTAssertEqual(code("local a; local b = a + 1"), ["KPRI 0 0", "ADDVN 1 0 0", "RET0 0 0"])
        XCTAssertEqual(code("local a; local b = 2 - a"), ["KPRI 0 0", "SUBNV 1 0 0", "RET0 0 0"])
        XCTAssertEqual(code("local a, b; local c = a * b"), ["KNIL 0 1", "MULVV 2 0 1", "RET0 0 0"])
        XCTAssertEqual(code("local a; local b = a ^ 2 % 3 / 4"),
                       ["KPRI 0 0", "POWVN 1 0 0", "MODVN 1 1 1", "DIVVN 1 1 2", "RET0 0 0"])
        XCTAssertEqual(code("local a; local b = -a, not a, #a"),
                       ["KPRI 0 0", "UNM 1 0", "NOT 2 0", "LEN 3 0", "RET0 0 0"])
    }

    func testNumberConstantIndexAbove255IsLoaded() {
        var src = "local t = {"
        for i in 0..<256 { src += "\(Double(i) + 0.5)," }
        src += "}\nlocal x; x = x + 1000.5"
        let c = code(src)
        XCTAssertEqual(Array(c.suffix(3)), ["KNUM 2 256", "ADDVV 1 1 2", "RET0 0 0"])
    }

    func testConcatUsesOneCAT() {
        XCTAssertEqual(code("local a, b; local s = a .. b .. 'c'"),
                       ["KNIL 0 1", "MOV 2 0", "MOV 3 1", "KSTR 4 0", "CAT 2 2 4", "RET0 0 0"])
    }

    // MARK: Tables and globals

    func testTableAccessForms() {
        XCTAssertEqual(code("local t; local x = t.name, t[5], t[300], t[-1], t[x]"),
                       ["KPRI 0 0", "TGETS 1 0 0", "TGETB 2 0 5", "KSHORT 3 300", "TGETV 3 0 3",
                        "KSHORT 4 -1", "TGETV 4 0 4", "GGET 5 1", "TGETV 5 0 5", "RET0 0 0"])
        XCTAssertEqual(code("local t; t.x = 1; t[2] = t; t[t] = 'a'"),
                       ["KPRI 0 0", "KSHORT 1 1", "TSETS 1 0 0", "TSETB 0 0 2", "KSTR 1 1", "TSETV 1 0 0", "RET0 0 0"])
        XCTAssertEqual(code("x = y"), ["GGET 0 0", "GSET 0 1", "RET0 0 0"])
    }

    func testTableConstructor() {
        XCTAssertEqual(code("local t = {1, 2, x = 3, [4] = 5, ['y'] = 6}"),
                       ["TNEW 0 2 3", "KSHORT 1 1", "KSHORT 2 2", "KSHORT 3 3", "TSETS 3 0 0",
                        "KSHORT 3 5", "TSETB 3 0 4", "KSHORT 3 6", "TSETS 3 0 1", "SETLIST 0 3 1", "RET0 0 0"])
        // A trailing call or `...` keeps its slot in the array hint (one value as a rule).
        XCTAssertEqual(code("local t = {f()}"), ["TNEW 0 1 0", "GGET 1 0", "CALL 1 1 0", "SETLIST 0 0 1", "RET0 0 0"])
        XCTAssertEqual(code("local t = {...}"), ["TNEW 0 1 0", "VARG 1 0 0", "SETLIST 0 0 1", "RET0 0 0"])
        XCTAssertEqual(code("local t = {f(), f()}"),
                       ["TNEW 0 2 0", "GGET 1 0", "CALL 1 1 2", "GGET 2 0", "CALL 2 1 0", "SETLIST 0 0 1", "RET0 0 0"])
        XCTAssertEqual(code("local t = {(f())}"), ["TNEW 0 1 0", "GGET 1 0", "CALL 1 1 2", "SETLIST 0 2 1", "RET0 0 0"])
        XCTAssertEqual(code("local t = {}"), ["TNEW 0 0 0", "RET0 0 0"])
    }

    func testSetListBatches() {
        let items = (1...120).map { _ in "0" }.joined(separator: ",")
        let c = code("local t = {\(items)}")
        XCTAssertEqual(c.filter { $0.hasPrefix("SETLIST") }, ["SETLIST 0 51 1", "SETLIST 0 51 2", "SETLIST 0 21 3"])
        XCTAssertEqual(c.first, "TNEW 0 120 0")
        let big = (1...300).map { _ in "0" }.joined(separator: ",")
        XCTAssertEqual(code("local t = {\(big)}").first, "TNEW 0 255 0")
    }

    func testSetListExtraArgBeyondBatch255() {
        let n = 12_800
        let items = [String](repeating: "1", count: n).joined(separator: ",")
        guard let p = compileChecked("local t = {\(items), f()}") else { return }
        let c = render(p)
        let sl = c.enumerated().filter { $0.element.hasPrefix("SETLIST") }
        XCTAssertEqual(sl.count, 257)
        XCTAssertEqual(sl[254].element, "SETLIST 0 51 255")
        XCTAssertEqual(sl[255].element, "SETLIST 0 51 0")
        XCTAssertEqual(p.code[sl[255].offset + 1].op, .EXTRAARG)
        XCTAssertEqual(p.code[sl[255].offset + 1].a << 16 | p.code[sl[255].offset + 1].d, 256)
        XCTAssertEqual(sl[256].element, "SETLIST 0 0 0")  // the trailing call: B = 0
        XCTAssertEqual(p.code[sl[256].offset - 1].op, .CALL)
        XCTAssertEqual(p.code[sl[256].offset + 1].a << 16 | p.code[sl[256].offset + 1].d, 257)
    }

    // MARK: Calls, varargs, returns

    func testCallsAndReturns() {
        XCTAssertEqual(code("f(1, 2)"), ["GGET 0 0", "KSHORT 1 1", "KSHORT 2 2", "CALL 0 3 1", "RET0 0 0"])
        XCTAssertEqual(code("local a, b = f()"), ["GGET 0 0", "CALL 0 1 3", "RET0 0 0"])
        XCTAssertEqual(code("f(g())"), ["GGET 0 0", "GGET 1 1", "CALL 1 1 0", "CALL 0 0 1", "RET0 0 0"])
        XCTAssertEqual(code("f((g()))"), ["GGET 0 0", "GGET 1 1", "CALL 1 1 2", "CALL 0 2 1", "RET0 0 0"])
        XCTAssertEqual(code("return f(x)"), ["GGET 0 0", "GGET 1 1", "TAILCALL 0 2 0"])
        XCTAssertEqual(code("return (f(x))"), ["GGET 0 0", "GGET 1 1", "CALL 0 2 2", "RET1 0 0"])
        XCTAssertEqual(code("return 1, f()"), ["KSHORT 0 1", "GGET 1 0", "CALL 1 1 0", "RET 0 0 0"])
        XCTAssertEqual(code("return"), ["RET0 0 0"])
        XCTAssertEqual(code("local a return a"), ["KPRI 0 0", "RET1 0 0"])
        XCTAssertEqual(code("local a return a, a"), ["KPRI 0 0", "MOV 1 0", "MOV 2 0", "RET 1 3 0"])
        XCTAssertEqual(code("return ..."), ["VARG 0 0 0", "RET 0 0 0"])
        XCTAssertEqual(code("local a, b = ..."), ["VARG 0 3 0", "RET0 0 0"])
        XCTAssertEqual(code("f'x' f{}"), ["GGET 0 0", "KSTR 1 1", "CALL 0 2 1", "GGET 0 0", "TNEW 1 0 0", "CALL 0 2 1", "RET0 0 0"])
    }

    func testMethodCall() {
        XCTAssertEqual(code("local o; o:m(1)"), ["KPRI 0 0", "SELF 1 0 0", "KSHORT 3 1", "CALL 1 3 1", "RET0 0 0"])
        XCTAssertEqual(code("a.b.c:m()"), ["GGET 0 0", "TGETS 0 0 1", "TGETS 0 0 2", "SELF 0 0 3", "CALL 0 2 1", "RET0 0 0"])
    }

    func testCallLineIsWhereArgumentsOpen() {
        guard let p = compileChecked("f(\n1,\n2\n)") else { return }
        let call = p.code.firstIndex { $0.op == .CALL }!
        XCTAssertEqual(p.line(at: call), 1)
        guard let q = compileChecked("local x = a\n.b\n.c(\n1)") else { return }
        XCTAssertEqual(q.line(at: q.code.firstIndex { $0.op == .CALL }!), 3)
    }

    // MARK: Assignment

    func testMultipleAssignment() {
        XCTAssertEqual(code("local a, b = 1, 2; a, b = b, a"),
                       ["KSHORT 0 1", "KSHORT 1 2", "MOV 2 1", "MOV 1 0", "MOV 0 2", "RET0 0 0"])
        XCTAssertEqual(code("local t, i = {}, 1; t[i], i = 1, 2"),
                       ["TNEW 0 0 0", "KSHORT 1 1", "MOV 2 1", "KSHORT 3 1", "KSHORT 1 2", "TSETV 3 0 2", "RET0 0 0"])
        XCTAssertEqual(code("local a, b, c = 1"), ["KSHORT 0 1", "KNIL 1 2", "RET0 0 0"])
        XCTAssertEqual(code("local a = 1, f()"), ["KSHORT 0 1", "GGET 1 0", "CALL 1 1 1", "RET0 0 0"])
        XCTAssertEqual(code("a, b = f()"), ["GGET 0 0", "CALL 0 1 3", "GSET 1 1", "GSET 0 2", "RET0 0 0"])
        XCTAssertEqual(code("a, b, c = 1"), ["KSHORT 0 1", "KNIL 1 2", "GSET 2 0", "GSET 1 1", "GSET 0 2", "RET0 0 0"])
    }

    // MARK: Conditions

    func testComparisonForms() {
        XCTAssertEqual(code("local x if x == 'a' then x = 1 end"),
                       ["KPRI 0 0", "ISNES 0 0", "JMP 0 =>4", "KSHORT 0 1", "RET0 0 0"])
        XCTAssertEqual(code("local x if 'a' ~= x then x = 1 end"),
                       ["KPRI 0 0", "ISEQS 0 0", "JMP 0 =>4", "KSHORT 0 1", "RET0 0 0"])
        XCTAssertEqual(code("local x if x == 1.5 then x = 1 end")[1], "ISNEN 0 0")
        XCTAssertEqual(code("local x if x == nil then x = 1 end")[1], "ISNEP 0 0")
        XCTAssertEqual(code("local x if x ~= true then x = 1 end")[1], "ISEQP 0 2")
        XCTAssertEqual(code("local x, y if x == y then x = 1 end")[1], "ISNEV 0 1")
        XCTAssertEqual(code("local x, y if x < y then x = 1 end")[1], "ISNLT 0 1")
        XCTAssertEqual(code("local x, y if x <= y then x = 1 end")[1], "ISNLE 0 1")
        XCTAssertEqual(code("local x, y if x > y then x = 1 end")[1], "ISNLT 1 0")
        XCTAssertEqual(code("local x, y if x >= y then x = 1 end")[1], "ISNLE 1 0")
        XCTAssertEqual(code("local x, y if not (x < y) then x = 1 end")[1], "ISLT 0 1")
    }

    func testTruthTestsAndNot() {
        XCTAssertEqual(code("local x if x then x = 1 end"), ["KPRI 0 0", "ISF 0 0", "JMP 0 =>4", "KSHORT 0 1", "RET0 0 0"])
        XCTAssertEqual(code("local x if not x then x = 1 end"), ["KPRI 0 0", "IST 0 0", "JMP 0 =>4", "KSHORT 0 1", "RET0 0 0"])
        XCTAssertEqual(Array(code("local x if not not x then x = 1 end")[1...2]), ["NOT 1 0", "IST 0 1"])
    }

    func testAndOrValues() {
        XCTAssertEqual(code("local a, b; local c = a and b"),
                       ["KNIL 0 1", "ISFC 2 0", "JMP 0 =>4", "MOV 2 1", "RET0 0 0"])
        XCTAssertEqual(code("local a, b; local c = a or b"),
                       ["KNIL 0 1", "ISTC 2 0", "JMP 0 =>4", "MOV 2 1", "RET0 0 0"])
        XCTAssertEqual(code("local a, b; a = a or b"),
                       ["KNIL 0 1", "IST 0 0", "JMP 0 =>4", "MOV 0 1", "RET0 0 0"])
        XCTAssertEqual(code("local a, b; local c = a < b"),
                       ["KNIL 0 1", "ISLT 0 1", "JMP 0 =>5", "KPRI 2 1", "JMP 0 =>6", "KPRI 2 2", "RET0 0 0"])
        XCTAssertEqual(code("local c = nil and 1"), ["KPRI 0 0", "ISF 0 0", "JMP 0 =>4", "KSHORT 0 1", "RET0 0 0"])
    }

    func testIfElseChain() {
        XCTAssertEqual(code("local x if x then x = 1 elseif x == 2 then x = 3 else x = 4 end"),
                       ["KPRI 0 0", "ISF 0 0", "JMP 0 =>5", "KSHORT 0 1", "JMP 0 =>10", "ISNEN 0 0", "JMP 0 =>9",
                        "KSHORT 0 3", "JMP 0 =>10", "KSHORT 0 4", "RET0 0 0"])
    }

    // MARK: Loops

    func testNumericFor() {
        XCTAssertEqual(code("for i = 1, 10 do f(i) end"),
                       ["KSHORT 0 1", "KSHORT 1 10", "KSHORT 2 1", "FORPREP 0 =>8", "GGET 4 0", "MOV 5 3",
                          "CALL 4 2 1", "FORLOOP 0 =>4", "RET0 0 0"])
        let c = code("for i = 10, 1, -2 do end")
        XCTAssertEqual(c, ["KSHORT 0 10", "KSHORT 1 1", "KSHORT 2 -2", "FORPREP 0 =>5", "FORLOOP 0 =>4", "RET0 0 0"])
    }

    func testGenericFor() {
        XCTAssertEqual(code("for k, v in pairs(t) do f(k, v) end"),
                       ["GGET 0 0", "GGET 1 1", "CALL 0 2 4", "JMP 0 =>8", "GGET 5 2", "MOV 6 3", "MOV 7 4",
                          "CALL 5 3 1", "ITERC 3 3 3", "ITERL 3 =>4", "RET0 0 0"])
        guard let p = compileChecked("for k in next, t do end") else { return }
        XCTAssertEqual(render(p), ["GGET 0 0", "GGET 1 1", "KPRI 2 0", "JMP 0 =>4", "ITERC 3 3 2", "ITERL 3 =>4", "RET0 0 0"])
        XCTAssertGreaterThanOrEqual(p.frameSize, 6)
    }

    func testWhileLoop() {
        XCTAssertEqual(code("local i = 0 while i < 10 do i = i + 1 end"),
                       ["KSHORT 0 0", "LOOP 1 =>7", "KSHORT 1 10", "ISNLT 0 1", "JMP 0 =>7", "ADDVN 0 0 0",
                        "JMP 0 =>1", "RET0 0 0"])
    }

    func testRepeatLoop() {
        XCTAssertEqual(code("local i = 0 repeat local j = i; i = j + 1 until j > 5"),
                       ["KSHORT 0 0", "LOOP 1 =>7", "MOV 1 0", "ADDVN 0 1 0", "KSHORT 2 5", "ISNLT 2 1",
                          "JMP 0 =>1", "RET0 0 0"])
    }

    func testRepeatWithCapturedLocalClosesOnBothPaths() {
        let c = code("repeat local x = f(); g(function() return x end) until x")
        XCTAssertEqual(c.first, "LOOP 0 =>\(c.count - 1)")
        // until x: true -> exit (closing x); false -> close and loop.
        let tail = Array(c.suffix(6))
        XCTAssertEqual(tail, ["ISF 0 0", "JMP 0 =>\(c.count - 3)", "JMP 0 =>\(c.count - 2)",
                              "UCLO 0 =>0", "UCLO 0 =>\(c.count - 1)", "RET0 0 0"])
    }

    func testBreakAndCapturedLoopLocals() {
        let c = code("for i = 1, 3 do local x = i; f(function() return x end); if x then break end end")
        XCTAssertTrue(c.contains("UCLO 3 =>\(c.firstIndex { $0.hasPrefix("FORLOOP") }!)"), "\(c)")  // end of each iteration
        // The break leaves the body whose local is captured: it is an UCLO to after the loop.
        XCTAssertTrue(c.contains("UCLO 3 =>\(c.count - 1)"), "\(c)")
        XCTAssertEqual(code("while true do break end"), ["LOOP 0 =>3", "JMP 0 =>3", "JMP 0 =>0", "RET0 0 0"])
    }

    func testWhileBodyClosesCapturedLocals() {
        let c = code("while x do local y = 1; f(function() return y end) end")
        let back = c.count - 2
        XCTAssertEqual(c[back], "JMP 0 =>0")
        XCTAssertEqual(c[back - 1], "UCLO 0 =>\(back)")
    }

    // MARK: Goto and labels

    func testGotoForwardAndBackward() {
        XCTAssertEqual(code("goto a; f() ::a:: g()"),
                       ["JMP 0 =>3", "GGET 0 0", "CALL 0 1 1", "JMP 0 =>4", "GGET 0 1", "CALL 0 1 1", "RET0 0 0"])
        // A backward goto turns the label's JMP +0 into the loop header.
        XCTAssertEqual(code("local i = 0 ::top:: i = i + 1 if i < 3 then goto top end"),
                       ["KSHORT 0 0", "LOOP 1 =>7", "ADDVN 0 0 0", "KSHORT 1 3", "ISNLT 0 1", "JMP 0 =>7",
                        "JMP 0 =>1", "RET0 0 0"])
        XCTAssertEqual(code("while x do goto continue; f() ::continue:: end").filter { $0.hasPrefix("JMP") }.count, 3)
    }

    func testGotoClosesCapturedLocals() {
        let c = code("::top:: local x = f(); g(function() return x end); if x then goto top end")
        XCTAssertEqual(c[0], "LOOP 0 =>\(c.count - 1)")
        XCTAssertTrue(c.contains("UCLO 0 =>0"), "\(c)")
    }

    // MARK: Functions, closures and upvalues

    func testClosuresAndUpvalueDescriptors() {
        guard let p = compileChecked("local a, b\nfunction f()\n local c\n return function() return a, b, c end\nend") else { return }
        XCTAssertEqual(p.upvalues, [])
        let f = p.protos[0]
        XCTAssertEqual(f.lineDefined, 2)
        XCTAssertEqual(f.lastLineDefined, 5)
        let g = f.protos[0]
        XCTAssertEqual(g.upvalues, [UpvalueDesc(inParentFrame: false, index: 0), UpvalueDesc(inParentFrame: false, index: 1),
                                    UpvalueDesc(inParentFrame: true, index: 0)])
        XCTAssertEqual(g.debug?.upvalueNames, ["a", "b", "c"])
        XCTAssertEqual(f.upvalues, [UpvalueDesc(inParentFrame: true, index: 0), UpvalueDesc(inParentFrame: true, index: 1)])
        XCTAssertEqual(render(g), ["UGET 0 0", "UGET 1 1", "UGET 2 2", "RET 0 4 0"])
        XCTAssertEqual(render(p).suffix(3), ["FNEW 2 0", "GSET 2 0", "RET0 0 0"])
    }

    func testUpvalueAssignment() {
        guard let g = child("local a; function f() a = 1 end") else { return }
        XCTAssertEqual(render(g), ["KSHORT 0 1", "USET 0 0", "RET0 0 0"])
    }

    func testMethodDefinitionHasSelf() {
        guard let p = compileChecked("function a.b.c:m(x) return self, x end") else { return }
        XCTAssertEqual(render(p), ["GGET 0 0", "TGETS 0 0 1", "TGETS 0 0 2", "FNEW 1 0", "TSETS 1 0 3", "RET0 0 0"])
        let m = p.protos[0]
        XCTAssertEqual(m.numParams, 2)
        XCTAssertEqual(m.debug?.locals.map(\.name), ["self", "x"])
        XCTAssertEqual(render(m), ["MOV 2 0", "MOV 3 1", "RET 2 3 0"])
    }

    func testLocalFunctionIsVisibleInItsBody() {
        guard let p = compileChecked("local function f(n) return f(n) end") else { return }
        XCTAssertEqual(p.protos[0].upvalues, [UpvalueDesc(inParentFrame: true, index: 0)])
        XCTAssertEqual(render(p.protos[0]), ["UGET 1 0", "MOV 2 0", "TAILCALL 1 2 0"])
        XCTAssertEqual(p.debug?.locals.first?.startPC, 1)
    }

    func testVarargFunctions() {
        guard let p = compileChecked("local function f(a, ...) local b, c = ... return select('#', ...) end") else { return }
        let f = p.protos[0]
        XCTAssertTrue(f.isVararg)
        XCTAssertEqual(f.numParams, 1)
        XCTAssertEqual(render(f), ["VARG 1 3 0", "GGET 3 0", "KSTR 4 1", "VARG 5 0 0", "TAILCALL 3 0 0"])
        XCTAssertTrue(p.isVararg)
    }

    // MARK: Debug info

    func testLocalRangesAndLines() {
        guard let p = compileChecked("local a = 1\ndo\n  local b = 2\nend\nlocal c = 3") else { return }
        let locals = p.debug!.locals
        XCTAssertEqual(locals.map(\.name), ["a", "b", "c"])
        XCTAssertEqual(locals.map(\.register), [0, 1, 1])
        XCTAssertEqual(locals.map(\.startPC), [1, 2, 3])
        XCTAssertEqual(locals.map(\.endPC), [3, 2, 3])
        XCTAssertEqual(p.debug!.lineInfo, [1, 3, 5, 5])
        XCTAssertEqual(p.source, "=test")
    }

    func testStripPreservesCode() {
        guard let p = compileChecked("local x = 1 return x") else { return }
        XCTAssertNil(p.stripped().debug)
        XCTAssertEqual(p.stripped().code, p.code)
    }
}
