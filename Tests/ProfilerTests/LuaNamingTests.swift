import Bytecode
import XCTest

@testable import Profiler

final class LuaNamingTests: XCTestCase {
    func fn(_ line: Int, params: Int = 0, locals: [String] = []) -> Proto {
        Proto(source: "@prog.lua", lineDefined: line, lastLineDefined: line + 2, numParams: params, isVararg: false,
              frameSize: 2, code: [Instruction(.RET0, a: 0, d: 1)], constants: [], upvalues: [], protos: [],
              debug: DebugInfo(lineInfo: [Int32(line + 1)],
                               locals: locals.enumerated().map { LocalVarInfo(name: $0.element, register: $0.offset, startPC: 0, endPC: 1) }))
    }

    /// main chunk:
    ///   function g() end            FNEW 0 0; GSET 0 "g"
    ///   local function l() end      FNEW 1 1 (register 1 is local "l" from pc 3)
    ///   M.f = function() end        GGET 2 "M"; FNEW 3 2; TSETS 3 2 "f"
    ///   function M:m() end          FNEW 3 3; TSETS 3 2 "m"   (first parameter self)
    ///   call(function() end)        FNEW 3 4; CALL ...
    func mainChunk() -> Proto {
        let code: [Instruction] = [
            Instruction(.FNEW, a: 0, d: 0), Instruction(.GSET, a: 0, d: 0),      // 0, 1
            Instruction(.FNEW, a: 1, d: 1),                                       // 2
            Instruction(.GGET, a: 2, d: 1), Instruction(.FNEW, a: 3, d: 2),      // 3, 4
            Instruction(.TSETS, a: 3, b: 2, c: 2),                                // 5
            Instruction(.FNEW, a: 3, d: 3), Instruction(.TSETS, a: 3, b: 2, c: 3), // 6, 7
            Instruction(.FNEW, a: 3, d: 4), Instruction(.CALL, a: 3, b: 2, c: 1), // 8, 9
            Instruction(.RET0, a: 0, d: 1),                                       // 10
        ]
        return Proto(source: "@prog.lua", lineDefined: 0, lastLineDefined: 0, numParams: 0, isVararg: true, frameSize: 5,
                     code: code, constants: [.string(Array("g".utf8)), .string(Array("M".utf8)), .string(Array("f".utf8)), .string(Array("m".utf8))],
                     upvalues: [], protos: [fn(1), fn(2), fn(3), fn(4, params: 1, locals: ["self"]), fn(5)],
                     debug: DebugInfo(lineInfo: (0..<11).map { Int32($0 + 1) },
                                      locals: [LocalVarInfo(name: "l", register: 1, startPC: 3, endPC: 11)]))
    }

    func testFunctionsAreNamedWhereTheyAreDefined() {
        let main = mainChunk()
        var ids: [UInt32: Proto] = [0: main]
        for (i, c) in main.protos.enumerated() { ids[UInt32(i + 1)] = c }
        let n = BytecodeFrameNamer(protos: ids, builtins: ["print", "string.rep"])
        XCTAssertEqual((0...5).map { n.luaFrame(proto: UInt32($0), pc: 0)?.name },
                       ["main chunk", "g", "l", "M.f", "M:m", "(anonymous)"])
        XCTAssertEqual(n.luaFrame(proto: 0, pc: 7), LuaFrameInfo(name: "main chunk", source: "prog.lua", line: 8, definedLine: 0))
        XCTAssertEqual(n.luaFrame(proto: 4, pc: 0)?.definedLine, 4)
        XCTAssertEqual(BytecodeFrameNamer.displaySource("@dir/prog.lua"), "dir/prog.lua")
        XCTAssertEqual(BytecodeFrameNamer.displaySource("=stdin"), "stdin")
        XCTAssertEqual(BytecodeFrameNamer.displaySource("return 1"), "[string \"return 1\"]")
        XCTAssertEqual(BytecodeFrameNamer.displaySource("x = 1\ny = 2"), "[string \"x = 1...\"]")
        XCTAssertEqual(n.luaFrame(proto: 4, pc: 0xFFFF_FFFF)?.line, 0)  // TJ_PC_UNKNOWN
        XCTAssertNil(n.luaFrame(proto: 99, pc: 0))
        XCTAssertEqual(n.builtinName(1), "string.rep")
        XCTAssertNil(n.builtinName(7))
        // stripped bytecode: globals and fields keep their names, locals do not
        let s = main.stripped()
        var sids: [UInt32: Proto] = [0: s]
        for (i, c) in s.protos.enumerated() { sids[UInt32(i + 1)] = c }
        let sn = BytecodeFrameNamer(protos: sids)
        XCTAssertEqual((1...5).map { sn.luaFrame(proto: UInt32($0), pc: 0)?.name }, ["g", "(anonymous)", "M.f", "M.m", "(anonymous)"])
    }
}
