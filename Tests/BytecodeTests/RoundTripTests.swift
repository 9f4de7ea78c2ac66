import XCTest
@testable import Bytecode

final class RoundTripTests: XCTestCase {
    let samples: [(String, Proto)] = [
        ("rich", richProgram()), ("rich stripped", richProgram(stripped: true)),
        ("minimal", minimalMain()), ("minimal stripped", minimalMain(stripped: true)),
    ]

    func testSamplesVerify() throws {
        for (name, p) in samples {
            XCTAssertNoThrow(try Verifier.verify(p), name)
        }
    }

    func testWriteReadWriteIsIdentical() throws {
        for (name, p) in samples {
            let bytes = BytecodeWriter.write(p)
            let back = try BytecodeFile.load(bytes)
            XCTAssertEqual(back, p, name)
            XCTAssertEqual(BytecodeWriter.write(back), bytes, name)
        }
    }

    func testHeaderLayout() {
        let bytes = BytecodeWriter.write(minimalMain())
        XCTAssertEqual(Array(bytes[0..<4]), [0x1b, 0x54, 0x4a, 0x42])
        XCTAssertEqual(Array(bytes[4..<6]), [0x01, 0x00])
        XCTAssertEqual(bytes[6], 0)
        XCTAssertEqual(bytes[7], UInt8("@prog.lua".utf8.count))
        XCTAssertEqual(Array(bytes[8..<17]), Array("@prog.lua".utf8))
        // main: flags, params, frame, lines 0 0, counts 1 0 0 0, RET0, line delta +1, 0 locals, 0 names
        XCTAssertEqual(Array(bytes[17...]),
                       [0, 0, 0, 0, 0, 1, 0, 0, 0,
                        UInt8(Opcode.RET0.rawValue), 0, 0, 0, 2, 0, 0])
        XCTAssertTrue(BytecodeFile.hasMagic(bytes))
        XCTAssertFalse(BytecodeFile.hasMagic(Array("print(1)".utf8)))
    }

    func testStrippedFileHasNoDebugInfo() throws {
        let full = BytecodeWriter.write(richProgram())
        let stripped = BytecodeWriter.write(richProgram().stripped())
        XCTAssertEqual(stripped[6], BytecodeFile.flagStripped)
        XCTAssertLessThan(stripped.count, full.count)
        XCTAssertEqual(stripped, BytecodeWriter.write(richProgram(stripped: true)))
        let back = try BytecodeFile.load(stripped)
        XCTAssertNil(back.debug)
        XCTAssertNil(back.protos[0].protos[0].debug)
        XCTAssertEqual(back.source, "@prog.lua")
        XCTAssertEqual(back.protos[0].lineDefined, 5)
    }

    func testConstantsKeepTheirBits() throws {
        let back = try BytecodeFile.load(BytecodeWriter.write(richProgram()))
        guard case .number(let negZero) = back.constants[2], case .number(let nan) = back.constants[7] else {
            return XCTFail("constants changed kind")
        }
        XCTAssertEqual(negZero.bitPattern, (-0.0).bitPattern)
        XCTAssertTrue(nan.isNaN)
        XCTAssertEqual(back.constants[1], .string(Array("hi\n\0\u{7f}\"\\".utf8) + [0xff]))
        XCTAssertEqual(back.debug?.locals[4].name, "ünïcode")
    }

    func testLinesAreDeltaEncoded() {
        // 5000 instructions on consecutive lines cost about one byte each.
        let n = 5000
        let code = [Instruction](repeating: I(.KPRI, 0, 0), count: n - 1) + [I(.RET0, 0, 0)]
        let p = makeProto(frame: 1, code: code, lines: (0..<n).map { Int32(1000 + $0) })
        let full = BytecodeWriter.write(p).count
        let stripped = BytecodeWriter.write(p.stripped()).count
        XCTAssertLessThan(full - stripped, n + 8)
    }

    func testDeepestAllowedNestingLoads() throws {
        var p = makeProto(line: 1, lastLine: 1, frame: 0, code: [I(.RET0, 0, 0)])
        for _ in 1..<BytecodeFile.maxDepth {
            p = makeProto(line: 1, lastLine: 1, frame: 1, code: [I(.RET0, 0, 0)], protos: [p])
        }
        p = makeProto(frame: 1, code: [I(.RET0, 0, 0)], protos: p.protos)  // main: lines 0-0
        let bytes = BytecodeWriter.write(p)
        XCTAssertEqual(try BytecodeFile.load(bytes), p)
    }
}
