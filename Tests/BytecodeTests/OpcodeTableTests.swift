import XCTest
@testable import Bytecode

final class OpcodeTableTests: XCTestCase {
    func testTableLinesUpWithEnum() {
        XCTAssertEqual(opcodeTable.count, Opcode.allCases.count)
        for op in Opcode.allCases {
            XCTAssertEqual(op.info.name, "\(op)", "table row \(op.rawValue) is misplaced")
        }
        XCTAssertEqual(Set(opcodeTable.map(\.name)).count, opcodeTable.count)
    }

    func testTestsPairWithTheirNegation() {
        for op in Opcode.allCases where op.info.flags.contains(.test) {
            let neg = Opcode(rawValue: op.rawValue ^ 1)!
            XCTAssertTrue(neg.info.flags.contains(.test), "\(op) pairs with \(neg)")
            XCTAssertEqual(neg.info.format, op.info.format)
        }
    }

    func testFormatsUseTheirOperands() {
        for op in Opcode.allCases {
            let i = op.info
            switch i.format {
            case .abc: XCTAssertEqual(i.d, .none, "\(op)")
            case .ad: XCTAssertEqual(i.b, .none, "\(op)"); XCTAssertEqual(i.c, .none, "\(op)")
            }
            if i.flags.contains(.branch) { XCTAssertEqual(i.d, .jump, "\(op)") }
        }
    }

    func testInstructionFields() {
        var i = Instruction(.TGETS, a: 1, b: 2, c: 3)
        XCTAssertEqual(i.op, .TGETS); XCTAssertEqual(i.a, 1); XCTAssertEqual(i.b, 2); XCTAssertEqual(i.c, 3)
        XCTAssertEqual(i.d, 2 << 8 | 3)
        i = Instruction(.JMP, a: 0, jump: -5)
        XCTAssertEqual(i.jumpOffset, -5)
        i = Instruction(.KSHORT, a: 4, d: 0xffff)
        XCTAssertEqual(i.sd, -1)
    }
}
