// One test per verifier rule: a hand-built prototype that breaks exactly that rule, and the message.
import XCTest
@testable import Bytecode

final class VerifierTests: XCTestCase {
    /// Asserts that `p` is rejected with a message containing every `expected` string. When
    /// `viaFile`, the same message must come from writing the tree and loading the bytes.
    func assertRejects(_ p: Proto, _ expected: String..., viaFile: Bool = true,
                       file: StaticString = #filePath, line: UInt = #line) {
        func check(_ what: String, _ body: () throws -> Void) {
            do {
                try body()
                XCTFail("\(what): accepted", file: file, line: line)
            } catch let e as BytecodeError {
                for s in expected {
                    XCTAssertTrue(e.message.contains(s), "\(what): \"\(e.message)\" lacks \"\(s)\"", file: file, line: line)
                }
            } catch {
                XCTFail("\(what): unexpected error \(error)", file: file, line: line)
            }
        }
        check("verify") { try Verifier.verify(p) }
        if viaFile { check("load") { _ = try BytecodeFile.load(BytecodeWriter.write(p)) } }
    }

    func assertAccepts(_ p: Proto, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try Verifier.verify(p), file: file, line: line)
        XCTAssertNoThrow(try BytecodeFile.load(BytecodeWriter.write(p)), file: file, line: line)
    }

    // MARK: Operands

    func testUnknownOpcode() {
        assertRejects(mainWith([Instruction(raw: 0x0000_00ee)]), "pc 0", "unknown opcode byte 0xee")
    }

    func testRegistersInsideTheFrame() {
        assertRejects(mainWith([I(.MOV, 20, 0)]), "pc 0 (MOV 20 0)", "operand A: register 20 is outside the frame (size 20)")
        assertRejects(mainWith([I(.MOV, 0, 20)]), "operand D: register 20 is outside the frame")
        assertRejects(mainWith([I(.ADDVV, 0, 1, 200)]), "operand C: register 200")
        assertAccepts(mainWith([I(.MOV, 19, 0)]))
    }

    func testConstantKinds() {
        assertRejects(mainWith([I(.KSTR, 0, 0)]), "operand D: constant 0 is not a string")
        assertRejects(mainWith([I(.KNUM, 0, 1)]), "operand D: constant 1 is not a number")
        assertRejects(mainWith([I(.ADDVN, 0, 0, 2)]), "operand C: constant 2 is not a number")
        assertRejects(mainWith([I(.GGET, 0, 9)]), "operand D: constant 9 does not exist (4 constants)")
        assertRejects(mainWith([I(.ISEQS, 0, 0), J(.JMP, 0, at: 1, to: 2)]), "constant 0 is not a string")
        assertAccepts(mainWith([I(.TGETS, 0, 1, 2), I(.KNUM, 0, 3)]))
    }

    func testPrimitives() {
        assertRejects(mainWith([I(.KPRI, 0, 3)]), "primitive 3 is not 0 (nil), 1 (false) or 2 (true)")
        assertAccepts(mainWith([I(.KPRI, 0, 2)]))
    }

    func testUnusedOperandsAreZero() {
        assertRejects(mainWith([J(.JMP, 1, at: 0, to: 1)]), "unused operand A must be 0, not 1")
        assertRejects(mainWith([I(.RET0, 0, 1)], terminate: false), "unused operand D must be 0, not 1")
        assertRejects(mainWith([I(.IST, 3, 0), J(.JMP, 0, at: 1, to: 2)]), "unused operand A must be 0")
        assertRejects(mainWith([I(.RET, 0, 1, 5)], terminate: false), "unused operand C must be 0, not 5")
    }

    func testUpvalueAndFunctionIndexes() {
        assertRejects(mainWith([I(.UGET, 0, 0)]), "operand D: upvalue 0 does not exist (0 upvalues)")
        assertRejects(mainWith([I(.USET, 1, 0)]), "operand A: upvalue 1 does not exist")
        assertRejects(mainWith([I(.FNEW, 0, 1)]), "operand D: function 1 does not exist (1 nested functions)")
        assertAccepts(mainWith([I(.FNEW, 0, 0)]))
    }

    // MARK: Ranges

    func testCallRanges() {
        assertAccepts(mainWith([I(.CALL, 17, 3, 3)]))   // f(18, 19) -> 17, 18
        assertRejects(mainWith([I(.CALL, 18, 3, 1)]), "registers 18..20 are outside the frame")
        assertRejects(mainWith([I(.CALL, 17, 1, 5)]), "registers 17..20")
        assertRejects(mainWith([I(.TAILCALL, 18, 3, 0)], terminate: false), "registers 18..20")
        assertRejects(mainWith([I(.SELF, 19, 0, 1)]), "registers 19..20")
        assertRejects(mainWith([I(.VARG, 18, 4, 0)]), "registers 18..20")
        assertRejects(mainWith([I(.RET, 18, 4, 0)], terminate: false), "registers 18..20")
        assertAccepts(mainWith([I(.RET, 20, 1, 0)], terminate: false))  // returns nothing
        assertRejects(mainWith([I(.RET, 21, 1, 0)], terminate: false), "register 21 is outside the frame")
    }

    func testKnilAndCat() {
        assertAccepts(mainWith([I(.KNIL, 3, 3), I(.CAT, 0, 1, 19)]))
        assertRejects(mainWith([I(.KNIL, 4, 3)]), "KNIL range 4..3 is empty")
        assertRejects(mainWith([I(.KNIL, 4, 20)]), "registers 4..20")
        assertRejects(mainWith([I(.CAT, 0, 2, 2)]), "CAT needs B < C")
        assertRejects(mainWith([I(.CAT, 0, 2, 20)]), "registers 2..20")
    }

    func testSetlist() {
        assertAccepts(mainWith([I(.SETLIST, 0, 20, 1)]))
        assertRejects(mainWith([I(.SETLIST, 0, 21, 1)]), "registers 0..20")
        assertRejects(mainWith([I(.SETLIST, 0, 2, 0), I(.MOV, 0, 0)]), "SETLIST with C = 0 must be followed by EXTRAARG")
        assertRejects(mainWith([I(.SETLIST, 0, 2, 0), I(.EXTRAARG, 0, 0)]), "pc 1", "SETLIST batch number 0")
        assertAccepts(mainWith([I(.SETLIST, 0, 2, 0), I(.EXTRAARG, 1, 0)]))
        assertRejects(mainWith([I(.EXTRAARG, 0, 1)]), "pc 0", "EXTRAARG must directly follow a SETLIST with C = 0")
        assertRejects(mainWith([I(.SETLIST, 0, 2, 1), I(.EXTRAARG, 0, 1)]), "pc 1", "EXTRAARG must directly follow")
    }

    // MARK: Control flow

    func testJumpsStayInsideTheCode() {
        assertRejects(mainWith([J(.JMP, 0, at: 0, to: 2)]), "jump target 2 is outside the code (0..<2)")
        assertRejects(mainWith([J(.JMP, 0, at: 0, to: -1)]), "jump target -1 is outside the code")
        assertRejects(mainWith([J(.UCLO, 0, at: 0, to: 5)]), "jump target 5")
        assertAccepts(mainWith([J(.UCLO, 20, at: 0, to: 1)]))
    }

    func testNoJumpOntoExtraarg() {
        assertRejects(mainWith([J(.JMP, 0, at: 0, to: 2), I(.SETLIST, 0, 1, 0), I(.EXTRAARG, 0, 1)]),
                      "pc 0", "jump target 2 is an EXTRAARG")
    }

    func testTestsAreFollowedByJmp() {
        assertRejects(mainWith([I(.ISLT, 0, 1), I(.MOV, 0, 1)]), "pc 0 (ISLT 0 1)", "a test must be followed by a JMP")
        assertRejects(mainWith([I(.ISF, 0, 1)], terminate: false), "a test must be followed by a JMP")
        assertAccepts(mainWith([I(.ISNLE, 0, 1), J(.JMP, 0, at: 1, to: 2)]))
    }

    func testLastInstructionIsATerminator() {
        assertRejects(mainWith([I(.MOV, 0, 1)], terminate: false), "pc 0", "the last instruction falls off the end")
        assertRejects(mainWith([J(.UCLO, 0, at: 0, to: 0)], terminate: false), "falls off")
        assertRejects(mainWith([], terminate: false), "no instructions")
        for t in [I(.RET1, 0, 0), I(.RET, 0, 1, 0), I(.TAILCALL, 0, 1, 0), J(.JMP, 0, at: 0, to: 0)] {
            assertAccepts(mainWith([t], terminate: false))
        }
    }

    func numericFor(prepTarget: Int = 3, loopTarget: Int = 2, loopA: Int = 0) -> Proto {
        mainWith([I(.KSHORT, 0, 1), J(.FORPREP, 0, at: 1, to: prepTarget),
                  I(.MOV, 4, 3), J(.FORLOOP, loopA, at: 3, to: loopTarget), J(.JMP, 0, at: 4, to: 5)])
    }

    func testNumericForPairing() {
        assertAccepts(mainWith([J(.FORPREP, 0, at: 0, to: 2), J(.FORLOOP, 0, at: 1, to: 1)]))  // empty body
        assertAccepts(numericFor(prepTarget: 4))
        assertRejects(numericFor(prepTarget: 3), "pc 1", "FORPREP must jump just past a FORLOOP with the same A")
        assertRejects(numericFor(prepTarget: 4, loopA: 1), "pc 1", "FORPREP must jump just past")
        assertRejects(numericFor(prepTarget: 4, loopTarget: 1), "pc 1", "FORPREP must jump just past")
        assertRejects(mainWith([I(.MOV, 0, 0), J(.FORLOOP, 0, at: 1, to: 1)]), "pc 1",
                      "FORLOOP must jump back to just after a FORPREP")
        assertRejects(mainWith([J(.FORPREP, 17, at: 0, to: 2), J(.FORLOOP, 17, at: 1, to: 1)]), "registers 17..20")
    }

    func testGenericForPairing() {
        let ok: [Instruction] = [J(.JMP, 0, at: 0, to: 2), I(.MOV, 5, 3), I(.ITERC, 3, 3, 3), J(.ITERL, 3, at: 3, to: 1)]
        assertAccepts(mainWith(ok))
        var bad = ok; bad[3] = J(.ITERL, 4, at: 3, to: 1)
        assertRejects(mainWith(bad), "pc 2", "ITERC must be followed by ITERL with the same A")
        bad = ok; bad[2] = I(.ITERC, 2, 3, 3); bad[3] = J(.ITERL, 2, at: 3, to: 1)
        assertRejects(mainWith(bad), "ITERC needs A >= 3")
        bad = ok; bad[2] = I(.ITERC, 3, 2, 3)
        assertRejects(mainWith(bad), "ITERC must pass 2 arguments (B = 3)")
        bad = ok; bad[2] = I(.ITERC, 3, 3, 1)
        assertRejects(mainWith(bad), "ITERC must produce at least one value")
        bad = ok; bad[2] = I(.ITERC, 17, 3, 3); bad[3] = J(.ITERL, 17, at: 3, to: 1)
        assertAccepts(mainWith(bad))  // A+2 = 19 is the last slot
    }

    func testGenericForRanges() {
        let code: [Instruction] = [I(.ITERC, 18, 3, 2), J(.ITERL, 18, at: 1, to: 0)]
        assertRejects(mainWith(code), "registers 15..20 are outside the frame")
        assertRejects(mainWith([I(.ITERC, 3, 3, 20), J(.ITERL, 3, at: 1, to: 0)]), "registers 0..21")
        assertRejects(mainWith([I(.MOV, 0, 0), J(.ITERL, 3, at: 1, to: 0)]), "pc 1", "ITERL must follow ITERC with the same A")
        assertRejects(mainWith([I(.ITERC, 3, 3, 2), J(.ITERL, 3, at: 1, to: 2)]), "pc 1", "ITERL must jump backwards")
    }

    func testLoopTargets() {
        // while loop: LOOP at 0 exits to 3 (past the back-edge at 2).
        assertAccepts(mainWith([J(.LOOP, 0, at: 0, to: 3), I(.MOV, 0, 0), J(.JMP, 0, at: 2, to: 0)]))
        // Exit at the very end (one past the last instruction) is allowed.
        assertAccepts(mainWith([J(.LOOP, 20, at: 0, to: 2), J(.JMP, 0, at: 1, to: 0)], terminate: false))
        assertRejects(mainWith([J(.LOOP, 0, at: 0, to: 0)]), "LOOP exit target 0 must lie after the LOOP")
        assertRejects(mainWith([J(.LOOP, 0, at: 0, to: 3)]), "LOOP exit target 3 must lie after the LOOP, within 0...2")
        assertRejects(mainWith([J(.LOOP, 21, at: 0, to: 1)]), "register 21 is outside the frame")
    }

    // MARK: top

    func testMultipleValueConsumersFollowProducers() {
        assertAccepts(mainWith([I(.CALL, 1, 1, 0), I(.CALL, 0, 0, 1)]))               // g(f())
        assertAccepts(mainWith([I(.VARG, 2, 0, 0), I(.RET, 0, 0, 0)], terminate: false))
        assertAccepts(mainWith([I(.CALL, 4, 1, 0), I(.CALL, 3, 0, 0), I(.SETLIST, 2, 0, 1)]))
        assertAccepts(mainWith([I(.VARG, 1, 0, 0), I(.TAILCALL, 0, 0, 0)], terminate: false))
        assertRejects(mainWith([I(.CALL, 0, 0, 1)]), "pc 0", "must directly follow a CALL with C = 0 or a VARG with B = 0")
        assertRejects(mainWith([I(.CALL, 1, 1, 2), I(.RET, 0, 0, 0)], terminate: false), "pc 1", "must directly follow")
        assertRejects(mainWith([I(.VARG, 1, 2, 0), I(.SETLIST, 0, 0, 1)]), "must directly follow")
        assertRejects(mainWith([I(.VARG, 0, 0, 0), I(.CALL, 0, 0, 1)]), "the multiple values start at 0, below this instruction's range (from 1)")
        assertRejects(mainWith([I(.VARG, 0, 0, 0), I(.SETLIST, 0, 0, 1)]), "start at 0")
    }

    func testConsumerIsNotAJumpTarget() {
        assertRejects(mainWith([I(.ISF, 0, 0), J(.JMP, 0, at: 1, to: 3), I(.VARG, 1, 0, 0), I(.CALL, 0, 0, 1)]),
                      "pc 3", "a B = 0 consumer of top must not be a jump target")
    }

    func testVargOnlyInVarargFunctions() {
        assertRejects(mainWith([I(.VARG, 0, 2, 0)], vararg: false), "VARG in a function that is not vararg")
    }

    // MARK: Prototype shape

    func testFrameAndParams() {
        assertRejects(makeProto(frame: 251, code: [I(.RET0, 0, 0)]), "frame size 251 is outside 0...250")
        assertRejects(makeProto(params: 3, frame: 2, code: [I(.RET0, 0, 0)]), "parameter count 3 exceeds the frame size 2")
        assertRejects(makeProto(params: 201, frame: 240, code: [I(.RET0, 0, 0)]), "parameter count 201 is outside 0...200")
        assertRejects(makeProto(frame: -1, code: [I(.RET0, 0, 0)]), "frame size -1", viaFile: false)
    }

    func testCountLimits() {
        let many = (0..<(Limits.maxConstants + 1)).map { Constant.number(Double($0)) }
        assertRejects(makeProto(frame: 0, code: [I(.RET0, 0, 0)], constants: many), "65537 constants (at most 65536)")
        let uvs = [UpvalueDesc](repeating: UpvalueDesc(inParentFrame: true, index: 0), count: 256)
        let child = makeProto(line: 1, lastLine: 1, frame: 0, code: [I(.RET0, 0, 0)], upvalues: uvs)
        assertRejects(makeProto(frame: 1, code: [I(.RET0, 0, 0)], protos: [child]), "function main>0 (line 1)",
                      "256 upvalues (at most 255)")
    }

    func testLineRange() {
        assertRejects(makeProto(line: 5, lastLine: 4, frame: 0, code: [I(.RET0, 0, 0)]), "bad line range 5-4")
        assertRejects(makeProto(line: 5, lastLine: 1 << 31, frame: 0, code: [I(.RET0, 0, 0)], stripped: true),
                      "bad line range 5-2147483648", viaFile: false)
    }

    func testUpvalueDescriptors() {
        let main = makeProto(frame: 0, code: [I(.RET0, 0, 0)], upvalues: [UpvalueDesc(inParentFrame: true, index: 0)])
        assertRejects(main, "function main:", "the main function cannot have upvalues")
        func tree(_ uv: UpvalueDesc) -> Proto {
            let grandchild = makeProto(line: 2, lastLine: 2, frame: 0, code: [I(.RET0, 0, 0)], upvalues: [uv])
            let child = makeProto(line: 1, lastLine: 3, frame: 3, code: [I(.RET0, 0, 0)],
                                  upvalues: [UpvalueDesc(inParentFrame: true, index: 4)], protos: [grandchild])
            return makeProto(frame: 5, code: [I(.RET0, 0, 0)], protos: [child])
        }
        assertAccepts(tree(UpvalueDesc(inParentFrame: true, index: 2)))
        assertAccepts(tree(UpvalueDesc(inParentFrame: false, index: 0)))
        assertRejects(tree(UpvalueDesc(inParentFrame: true, index: 3)), "function main>0>0 (line 2)",
                      "upvalue 0 names slot 3 of the enclosing frame (size 3)")
        assertRejects(tree(UpvalueDesc(inParentFrame: false, index: 1)),
                      "upvalue 0 names upvalue 1 of the enclosing function (it has 1)")
    }

    func testSourceNamesAgree() {
        let child = makeProto(source: "other.lua", line: 1, lastLine: 1, frame: 0, code: [I(.RET0, 0, 0)])
        assertRejects(makeProto(frame: 1, code: [I(.RET0, 0, 0)], protos: [child]),
                      "source name \"other.lua\" differs from the main function's \"@prog.lua\"", viaFile: false)
    }

    func testNestingDepth() {
        var p = makeProto(line: 1, lastLine: 1, frame: 0, code: [I(.RET0, 0, 0)])
        for _ in 0..<BytecodeFile.maxDepth { p = makeProto(line: 1, lastLine: 1, frame: 0, code: [I(.RET0, 0, 0)], protos: [p]) }
        assertRejects(p, "functions nested more than 200 deep", viaFile: false)
    }

    // MARK: Debug info

    func testDebugInfo() {
        let ret = [I(.RET0, 0, 0)]
        assertRejects(makeProto(frame: 1, code: ret, lines: [1, 2]), "2 line entries for 1 instructions", viaFile: false)
        assertRejects(makeProto(frame: 1, code: ret, lines: [-3]), "pc 0", "negative line number -3", viaFile: false)
        assertRejects(makeProto(frame: 1, code: ret, locals: [LocalVarInfo(name: "x", register: 1, startPC: 0, endPC: 1)]),
                      "local 0 'x' lives in register 1, outside the frame (size 1)")
        assertRejects(makeProto(frame: 1, code: ret, locals: [LocalVarInfo(name: "x", register: 0, startPC: 0, endPC: 2)]),
                      "local 0 'x' has live range [0, 2) outside 0...1")
        assertRejects(makeProto(frame: 1, code: ret, locals: [LocalVarInfo(name: "x", register: 0, startPC: 1, endPC: 0)]),
                      "has live range [1, 0)", viaFile: false)
        assertAccepts(makeProto(frame: 1, code: ret, locals: [LocalVarInfo(name: "x", register: 0, startPC: 1, endPC: 1)]))
        let child = makeProto(line: 1, lastLine: 1, frame: 0, code: ret,
                              upvalues: [UpvalueDesc(inParentFrame: true, index: 0)], upvalueNames: ["a", "b"])
        assertRejects(makeProto(frame: 1, code: ret, protos: [child]), "2 upvalue names for 1 upvalues")
        let unnamed = makeProto(line: 1, lastLine: 1, frame: 0, code: ret,
                                upvalues: [UpvalueDesc(inParentFrame: true, index: 0)], upvalueNames: [])
        assertAccepts(makeProto(frame: 1, code: ret, protos: [unnamed]))
    }

    func testDebugInfoOnAllOrNone() {
        let ret = [I(.RET0, 0, 0)]
        let strippedChild = makeProto(line: 1, lastLine: 1, frame: 0, code: ret, stripped: true)
        assertRejects(makeProto(frame: 1, code: ret, protos: [strippedChild]),
                      "function main>0 (line 1)", "debug information is missing", viaFile: false)
        let fullChild = makeProto(line: 1, lastLine: 1, frame: 0, code: ret)
        assertRejects(makeProto(frame: 1, code: ret, protos: [fullChild], stripped: true),
                      "has debug information but the main function is stripped", viaFile: false)
    }

    func testFirstErrorIsReported() {
        // Two errors: the earlier pc wins.
        assertRejects(mainWith([I(.MOV, 0, 99), I(.KPRI, 0, 9)]), "pc 0")
        // Prototype-level problems come before code problems.
        assertRejects(makeProto(frame: 251, code: [I(.MOV, 0, 255), I(.RET0, 0, 0)]), "frame size 251")
    }

    func testRichProgramPasses() {
        assertAccepts(richProgram())
        assertAccepts(richProgram(stripped: true))
    }
}
