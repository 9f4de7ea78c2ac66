// Malformed .bc bytes: each class of damage is rejected with a message that says what and where.
import XCTest
@testable import Bytecode

final class ReaderErrorTests: XCTestCase {
    func message(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try BytecodeFile.load(bytes)
            XCTFail("accepted", file: file, line: line)
            return ""
        } catch let e as BytecodeError {
            return e.message
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
            return ""
        }
    }

    func assertRejects(_ bytes: [UInt8], _ expected: String..., file: StaticString = #filePath, line: UInt = #line) {
        let m = message(bytes, file: file, line: line)
        for e in expected {
            XCTAssertTrue(m.contains(e), "message \"\(m)\" lacks \"\(e)\"", file: file, line: line)
        }
    }

    /// Header of a non-stripped file named "p" followed by `rest`.
    func file(_ rest: [UInt8], flags: UInt8 = 0) -> [UInt8] {
        BytecodeFile.magic + [1, 0, flags, 1, UInt8(ascii: "p")] + rest
    }

    /// A stripped main prototype: flags, params, frame, lines, counts, then `body`.
    func strippedMain(code: Int, consts: Int = 0, upvals: Int = 0, protos: Int = 0, body: [UInt8]) -> [UInt8] {
        file([0, 0, 1, 0, 0, UInt8(code), UInt8(consts), UInt8(upvals), UInt8(protos)] + body,
             flags: BytecodeFile.flagStripped)
    }

    let ret0: [UInt8] = [UInt8(Opcode.RET0.rawValue), 0, 0, 0]

    func testHandBuiltMinimalFileLoads() throws {
        let p = try BytecodeFile.load(strippedMain(code: 1, body: ret0))
        XCTAssertEqual(p.code, [I(.RET0, 0, 0)])
        XCTAssertEqual(p.source, "p")
    }

    func testBadMagic() {
        assertRejects([], "not a tracejit bytecode file")
        assertRejects(Array("print('hi')".utf8), "not a tracejit bytecode file")
        assertRejects([0x1b, 0x4c, 0x4a, 0x02, 0, 0], "not a tracejit bytecode file")
    }

    func testOtherVersion() {
        var bytes = BytecodeWriter.write(minimalMain())
        bytes[4] = 2
        assertRejects(bytes, "version 2", "version 1")
        bytes[4] = 0; bytes[5] = 1
        assertRejects(bytes, "version 256", "version 1")
    }

    func testUnknownFlags() {
        assertRejects(file([], flags: 0x80), "offset 6", "unknown header flags 0x80")
        assertRejects(strippedMain(code: 1, body: ret0).enumerated().map { $0.offset == 9 ? 0x02 : $0.element },
                      "offset 9", "function main", "unknown function flags 0x2")
        assertRejects(strippedMain(code: 1, upvals: 1, body: ret0 + [0x04, 0]), "upvalue 0 has unknown flags 0x4")
    }

    func testTrailingBytes() {
        assertRejects(BytecodeWriter.write(minimalMain()) + [0], "1 unexpected bytes after the main function")
    }

    func testTruncatedAtEveryOffset() {
        for p in [richProgram(), richProgram(stripped: true)] {
            let bytes = BytecodeWriter.write(p)
            for n in 0..<bytes.count {
                let m = message(Array(bytes[0..<n]))
                if n < 4 {
                    XCTAssertTrue(m.contains("bad magic"), "at \(n): \(m)")
                } else {
                    XCTAssertTrue(m.hasPrefix("malformed bytecode at offset "), "at \(n): \(m)")
                    XCTAssertTrue(["file ends inside", "runs past the end", "does not fit"].contains { m.contains($0) },
                                  "at \(n): \(m)")
                }
            }
        }
    }

    func testCountsAreBoundedByTheRemainingBytes() {
        // 2^32-1 instructions claimed in a file of a few bytes: rejected before allocating.
        var b = file([0, 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0] + ret0, flags: 1)
        assertRejects(b, "instruction count 4294967295 does not fit")
        b = strippedMain(code: 1, consts: 3, body: ret0 + [0, 0])
        assertRejects(b, "constant count 3 does not fit")
        b = strippedMain(code: 1, protos: 100, body: ret0)
        assertRejects(b, "function count 100 does not fit")
        // A string longer than the file.
        b = strippedMain(code: 1, consts: 1, body: ret0 + [1, 0x80, 0x01, 0x41])
        assertRejects(b, "string constant 0 of 128 bytes runs past the end")
        // Too large for 32 bits.
        b = file([0, 0, 1, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0] + ret0, flags: 1)
        assertRejects(b, "instruction count 4294967296 is larger than 4294967295")
    }

    func testVarintsMustBeMinimalAndFit() {
        assertRejects(file([0, 0, 1, 0x80, 0x00], flags: 1), "offset 12", "first line is not minimally encoded")
        assertRejects(file([0, 0, 1] + [UInt8](repeating: 0xff, count: 11), flags: 1), "first line overflows 64 bits")
        assertRejects(file([0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f], flags: 1), "first line 4294967295 is larger")
    }

    func testUnknownConstantTag() {
        assertRejects(strippedMain(code: 1, consts: 1, body: ret0 + [7, 0]), "constant 0 has unknown tag 7")
    }

    func testNamesMustBeUTF8() {
        // Not stripped: line delta, 1 local named "\xff", register 0, start 0, length 1, 0 names.
        let b = file([0, 0, 1, 0, 0, 1, 0, 0, 0] + ret0 + [2, 1, 1, 0xff, 0, 0, 1, 0])
        assertRejects(b, "name of local 0 is not valid UTF-8")
        var chunk = BytecodeWriter.write(minimalMain())
        chunk[8] = 0xc0
        assertRejects(chunk, "in the header", "chunk name is not valid UTF-8")
    }

    func testLinesMustStayInRange() {
        // Line delta -1 from lineDefined 0.
        assertRejects(file([0, 0, 1, 0, 0, 1, 0, 0, 0] + ret0 + [1, 0, 0]), "line of pc 0 is out of range (-1)")
    }

    func testNestingIsBounded() {
        var p = makeProto(line: 1, lastLine: 1, frame: 1, code: [I(.RET0, 0, 0)])
        for _ in 0..<BytecodeFile.maxDepth { p = makeProto(line: 1, lastLine: 1, frame: 1, code: [I(.RET0, 0, 0)], protos: [p]) }
        assertRejects(BytecodeWriter.write(p), "functions nested more than 200 deep")
        // Nested 100000 deep (more than the stack could take if the reader recursed freely).
        let chain = [UInt8]((0..<100_000).flatMap { _ in [0, 0, 1, 0, 0, 1, 0, 0, 1] + ret0 })
        assertRejects(file(chain, flags: 1), "functions nested more than 200 deep", "main>0>0>0")
    }

    func testErrorsNameTheFunction() {
        var bytes = BytecodeWriter.write(richProgram(stripped: true))
        // Corrupt the last byte of the last instruction of main>1 (the final function): RET0 gets D != 0.
        bytes[bytes.count - 1] = 1
        assertRejects(bytes, "function main>1", "pc 1", "unused operand D must be 0")
    }
}
