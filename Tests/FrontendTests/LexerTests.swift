// The lexer on its own: numbers (decimal, hex, hex floats), every string escape, long brackets,
// comments, newlines in all their spellings, and line counting.
import XCTest
import Bytecode
@testable import Frontend

final class LexerTests: XCTestCase {
    private func tokens(_ src: String) throws -> [String] {
        let interner = StringInterner()
        for k in Tok.keywords { _ = interner.intern(k) }
        let lex = Lexer(Array(src.utf8), chunkID: "t", interner: interner)
        var out: [String] = []
        while true {
            try lex.next()
            if lex.cur.tok == Tok.eof { return out }
            switch lex.cur.tok {
            case Tok.number: out.append("n:\(lex.cur.num)")
            case Tok.string: out.append("s:" + interner.string(lex.cur.str))
            case Tok.name: out.append("id:" + interner.string(lex.cur.str))
            default: out.append(Tok.name(lex.cur.tok))
            }
        }
    }

    private func number(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { parseNumber($0.baseAddress!, $0.count) }
    }

    func testNumbers() {
        XCTAssertEqual(number("0"), 0)
        XCTAssertEqual(number("123"), 123)
        XCTAssertEqual(number("3.25"), 3.25)
        XCTAssertEqual(number(".5"), 0.5)
        XCTAssertEqual(number("5."), 5)
        XCTAssertEqual(number("1e3"), 1000)
        XCTAssertEqual(number("1E-2"), 0.01)
        XCTAssertEqual(number("2.5e+2"), 250)
        XCTAssertEqual(number("0x10"), 16)
        XCTAssertEqual(number("0XfF"), 255)
        XCTAssertEqual(number("0x1p4"), 16)
        XCTAssertEqual(number("0x1.8"), 1.5)
        XCTAssertEqual(number("0x.8p1"), 1)
        XCTAssertEqual(number("0X1P-1"), 0.5)
        XCTAssertEqual(number("0x1e2"), 482)
        XCTAssertEqual(number("08"), 8)
        XCTAssertEqual(number("0xffffffffffffffffff"), 4.722366482869645e21)
        XCTAssertEqual(number("3e500"), .infinity)
        XCTAssertEqual(number("123456789012345678"), 123456789012345680)
        XCTAssertEqual(number("0.1"), 0.1)
        for bad in ["0x", "1e", "1e+", "3.4.5", "0x1p", "0x.p1", "1_0", "1..2", "0x1g", "1ULL", "1LL", "1i"] {
            XCTAssertNil(number(bad), bad)
        }
    }

    func testStringEscapes() throws {
        XCTAssertEqual(try tokens(#""\a\b\f\n\r\t\v\\\"\'""#), ["s:\u{7}\u{8}\u{c}\n\r\t\u{b}\\\"'"])
        XCTAssertEqual(try compileLua(#"local s = '\65\066\0671\255\0'"#).constants, [.string([65, 66, 67, 49, 255, 0])])
        XCTAssertEqual(try tokens(#"'\x41\x7a'"#), ["s:Az"])
        XCTAssertEqual(try tokens("'a\\z  \n\t  b'"), ["s:ab"])
        XCTAssertEqual(try tokens("'a\\\nb'"), ["s:a\nb"])
        XCTAssertEqual(try tokens("'a\\\r\nb'"), ["s:a\nb"])
        XCTAssertEqual(try tokens(#"'\u{48}\u{20AC}\u{10FFFF}\u{0}'"#), ["s:H\u{20AC}\u{10FFFF}\u{0}"])
    }

    func testStringBytesAreExact() throws {
        let p = try compileLua(#"local a, b = '\255\128', "\u{7FF}""#)
        XCTAssertEqual(p.constants, [.string([255, 128]), .string([0xdf, 0xbf])])
    }

    func testLongBracketsAndComments() throws {
        XCTAssertEqual(try tokens("[[\nabc]]"), ["s:abc"])
        XCTAssertEqual(try tokens("[==[a]]b]=]c]==]"), ["s:a]]b]=]c"])
        XCTAssertEqual(try tokens("[[a\r\nb\n\rc\rd]]"), ["s:a\nb\nc\nd"])
        XCTAssertEqual(try tokens("x --[[ long\ncomment ]] y -- line\nz --[==[ ]] ]==] w"), ["id:x", "id:y", "id:z", "id:w"])
        XCTAssertEqual(try tokens("--[ not long\nx"), ["id:x"])
        XCTAssertEqual(try tokens("a[ [b] ]"), ["id:a", "[", "[", "id:b", "]", "]"])
    }

    func testOperatorsAndKeywords() throws {
        XCTAssertEqual(try tokens("a.b:c(...)..d==e~=f<=g>=h<i>j::k::#l%m^n"),
                       ["id:a", ".", "id:b", ":", "id:c", "(", "...", ")", "..", "id:d", "==", "id:e", "~=", "id:f",
                        "<=", "id:g", ">=", "id:h", "<", "id:i", ">", "id:j", "::", "id:k", "::", "#", "id:l", "%",
                        "id:m", "^", "id:n"])
        XCTAssertEqual(try tokens("and break goto gotox _1 \u{e9}t\u{e9}"),
                       ["and", "break", "goto", "id:gotox", "id:_1", "id:\u{e9}t\u{e9}"])
    }

    func testLineCounting() throws {
        // "\r\n", "\n\r", "\r" and "\n" each count once.
        let p = try compileLua("local a = 1\r\nlocal b = 2\n\rlocal c = 3\rlocal d = 4\nlocal e = 5")
        XCTAssertEqual(p.debug?.lineInfo.prefix(5), [1, 2, 3, 4, 5])
        XCTAssertEqual(syntaxError("x = 1\r\n\r\ny = = 2"), "t.lua:3: unexpected symbol near '='")
    }

    func testShebangLineIsSkipped() {
        XCTAssertNoThrow(try compileLua("#!/usr/bin/env luajit\nprint(1)"))
        XCTAssertEqual(try compileLua("#!x\nlocal a = 1").debug?.lineInfo.first, 2)
    }

    func testCompileOnASmallThreadStack() {
        // The deepest accepted nesting must fit a 1 MB stack (debug build), so the runtime may
        // compile off the main thread.
        let deep = "x = " + String(repeating: "(", count: 197) + "1" + String(repeating: ")", count: 197)
        let fns = "x = " + String(repeating: "function() return ", count: 98) + "1" + String(repeating: " end", count: 98)
        let done = expectation(description: "compiled")
        let t = Thread {
            XCTAssertNil(syntaxError(deep))
            XCTAssertNil(syntaxError(fns))
            XCTAssertNotNil(syntaxError(String(repeating: "(", count: 100_000)))
            done.fulfill()
        }
        t.stackSize = 1 << 20
        t.start()
        wait(for: [done], timeout: 60)
    }
}
