import XCTest
@testable import Bytecode

final class DisassemblerTests: XCTestCase {
    func testSnapshotOfOneFunction() {
        let child = richProgram().protos[0]
        XCTAssertEqual(Disassembler.listing(of: child, path: "main>0"), """
            -- BYTECODE -- main>0 prog.lua:5-12
            -- 2 params, frame 6, 17 instructions, 2 constants, 1 upvalue, 1 function
            -- upvalues: 0 t (slot 0)
            -- locals: 0 a [0000, 0017)  1 b [0000, 0017)  2 self [0001, 0017)
            0000     6    UGET        2   0          ; 2=self  t
            0001     6    TGETV       3   2   0      ; 2=self  0=a
            0002     7    SELF        3   2   0      ; 2=self  "m"
            0003     7    USET        0   1          ; t  1=b
            0004     8    ISTC        4   1          ; 1=b
            0005     8    JMP         0 => 0006
            0006     9 => LEN         4   2          ; 2=self
            0007     9    NOT         5   4
            0008    10    UNM         5   5
            0009    10    ADDVN       4   4   1      ; 2
            0010    11    SUBNV       4   4   1      ; 2
            0011    11    POWVV       4   4   5
            0012    12    TSETV       4   2   0      ; 2=self  0=a
            0013    12    TSETS       4   2   0      ; 2=self  "m"
            0014    13    GSET        4   0          ; "m"
            0015    13    FNEW        5   0          ; prog.lua:9
            0016    14    TAILCALL    3   3

            """)
    }

    func testStrippedListingHasNoLinesOrNames() {
        let text = Disassembler.listing(richProgram(stripped: true))
        XCTAssertTrue(text.contains("\n0000    UGET        2   0\n"), text)
        XCTAssertTrue(text.contains("-- upvalues: 0 (slot 0)\n"), text)
        XCTAssertFalse(text.contains("locals"))
        XCTAssertFalse(text.contains("self"))
    }

    func testTreeOrderAndMarks() {
        let text = Disassembler.listing(richProgram())
        let headers = text.split(separator: "\n").filter { $0.hasPrefix("-- BYTECODE --") }
        XCTAssertEqual(headers, ["-- BYTECODE -- main prog.lua:0-0", "-- BYTECODE -- main>0 prog.lua:5-12",
                                 "-- BYTECODE -- main>0>0 prog.lua:9-9", "-- BYTECODE -- main>1 prog.lua:14-14"])
        for line in ["0001     1    KSHORT      1  -5          ; 1=n",
                     "0003     2    KSTR        3   1          ; \"hi\\n\\0\\127\\\"\\\\\\255\"",
                     "0018     5    FORPREP     8 => 0021",
                     "0019     5 => ADDVV       2   2  11      ; 11=i",
                     "0030     4 => LOOP       18 => 0034",
                     "0034     6 => ISEQP       4   1          ; false",
                     "0041     5 => ISNEN       2   2          ; -0",
                     "0044     7    DIVVN       1   1   7      ; 1=n  nan",
                     "0045   104    MODNV       1   1   8      ; 1=n  1e+300",
                     "0009     4    EXTRAARG    0   2          ; batch 2"] {
            XCTAssertTrue(text.contains("\n" + line + "\n"), "missing: \(line)\n\(text)")
        }
    }

    func testQuotingAndNumbers() {
        XCTAssertEqual(Disassembler.quote(Array("a\"b\\c\n\t\r".utf8) + [0, 200]), "\"a\\\"b\\\\c\\n\\t\\r\\0\\200\"")
        XCTAssertEqual(Disassembler.quote(Array(repeating: 0x61, count: 70)), "\"" + String(repeating: "a", count: 60) + "\"...")
        XCTAssertEqual(Disassembler.formatNumber(1), "1")
        XCTAssertEqual(Disassembler.formatNumber(0.1), "0.1")
        XCTAssertEqual(Disassembler.formatNumber(1 / 3), "0.33333333333333")
        XCTAssertEqual(Disassembler.formatNumber(1e15), "1e+15")
        XCTAssertEqual(Disassembler.formatNumber(-.infinity), "-inf")
    }

    func testUnverifiedCodeStillLists() {
        let p = makeProto(frame: 1, code: [Instruction(raw: 0xffff_ffee), I(.KSTR, 0, 9), J(.JMP, 0, at: 2, to: 9999)])
        let text = Disassembler.listing(p)
        XCTAssertTrue(text.contains("???       0xffffffee"), text)
        XCTAssertTrue(text.contains("<bad constant>"), text)
        XCTAssertTrue(text.contains("=> 9999"), text)
    }
}
