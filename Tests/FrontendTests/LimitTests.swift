// Limits and robustness: LuaJIT's limits with its messages (verified with luajit 2.1), deep nesting
// that must end in an error rather than a stack overflow, and random input that must never crash.
import XCTest
import Bytecode
@testable import Frontend

final class LimitTests: XCTestCase {
    private let list = { (n: Int, f: (Int) -> String) in (0..<n).map(f).joined(separator: ",") }

    func testLimitsMatchLuaJIT() {
        let cases: [(String, String?)] = [
            ("local " + list(200) { "a\($0)" } + "\n", nil),
            ("local " + list(201) { "a\($0)" } + "\n", "t.lua:2: main function has more than 200 local variables"),
            ("function f()\n local " + list(201) { "a\($0)" } + "\nend",
             "t.lua:3: function at line 1 has more than 200 local variables"),
            ("function f(" + list(201) { "a\($0)" } + ") end", "t.lua:1: function at line 1 has more than 200 local variables"),
            ("local " + list(60) { "a\($0)" } + "\nfunction f() return " + (0..<60).map { "a\($0)" }.joined(separator: "+") + " end", nil),
            ("local " + list(61) { "a\($0)" } + "\nfunction f() return " + (0..<61).map { "a\($0)" }.joined(separator: "+") + " end",
             "t.lua:2: function at line 2 has more than 60 upvalues"),
            ("local x = f(" + list(250) { _ in "1" } + ")", "t.lua:1: function or expression too complex near '1'"),
            ("local x = f(" + list(240) { _ in "1" } + ")", nil),
            ("local x = {f(" + list(250) { _ in "1" } + ")}", "t.lua:1: function or expression too complex near '1'"),
            ("x = " + String(repeating: "(", count: 197) + "1" + String(repeating: ")", count: 197), nil),
            ("x = " + String(repeating: "(", count: 198) + "1" + String(repeating: ")", count: 198),
             "t.lua:1: chunk has too many syntax levels"),
            (String(repeating: "do ", count: 198) + String(repeating: " end", count: 198), nil),
            (String(repeating: "do ", count: 199) + String(repeating: " end", count: 199), "t.lua:1: chunk has too many syntax levels"),
            ("local a; local x = a" + String(repeating: "..a", count: 300), "t.lua:1: chunk has too many syntax levels"),
            ("local a; local x = a" + String(repeating: "..a", count: 150), nil),
            ("x = " + String(repeating: "- ", count: 300) + "1", "t.lua:1: chunk has too many syntax levels"),
            ("x = " + String(repeating: "function() return ", count: 100) + "1" + String(repeating: " end", count: 100),
             "t.lua:1: chunk has too many syntax levels"),
            (String(repeating: "if x then ", count: 100) + String(repeating: " end", count: 100), nil),
            ("x = " + String(repeating: "{", count: 300) + String(repeating: "}", count: 300), "t.lua:1: chunk has too many syntax levels"),
            (list(300) { "a\($0)" } + " = 1", "t.lua:1: main function has more than 200 variable names"),
        ]
        for (src, expected) in cases {
            XCTAssertEqual(syntaxError(src), expected, "program: \(src.prefix(80))")
            if expected == nil, let p = try? compileLua(src) { assertWellFormed(p, src) }
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let n = 100_000
        let programs = [
            "x = " + String(repeating: "(", count: n),
            "x = " + String(repeating: "{", count: n),
            "x = " + String(repeating: "not ", count: n) + "1",
            "x = " + String(repeating: "f(", count: n),
            "x = " + String(repeating: "a..", count: n) + "a",
            "x = " + String(repeating: "2^", count: n) + "2",
            String(repeating: "do ", count: n),
            String(repeating: "while x do ", count: n),
            String(repeating: "if x then ", count: n),
            String(repeating: "function f() ", count: n),
            String(repeating: "repeat ", count: n),
            String(repeating: "for i=1,2 do ", count: n),
            String(repeating: "::a:: ", count: 3),
        ]
        for src in programs {
            XCTAssertNotNil(syntaxError(src), "\(src.prefix(40))")
        }
    }

    func testLongLeftAssociativeChainsCompile() {
        let src = "local a = 1" + String(repeating: " + a", count: 20_000)
        guard let p = compileChecked(src) else { return }
        XCTAssertEqual(p.code.filter { $0.op == .ADDVV }.count, 19_999)
        XCTAssertEqual(p.code[1].op, .ADDNV)
        XCTAssertEqual(p.frameSize, 2)
    }

    func testJumpOutOfRangeIsAnError() {
        let body = String(repeating: "x = y\n", count: 10_000)
        XCTAssertEqual(syntaxError("if c then\n" + body + "end"), nil)
        let big = String(repeating: "x = y\n", count: 40_000)
        let msg = syntaxError("if c then\n" + big + "end")
        XCTAssertEqual(msg?.hasSuffix("control structure too long near 'end'"), true, msg ?? "no error")
    }

    func testManyConstantsAndFunctions() {
        let src = (0..<70_000).map { "x = \($0).5" }.joined(separator: "\n")
        XCTAssertEqual(syntaxError(src), "t.lua:65537: main function has more than 65536 constants")
    }
}
