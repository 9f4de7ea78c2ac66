// The `compile` and `dis` commands, in-process through the library and end to end through the
// built `tracejit` binary (exit codes, stderr messages, no stack dumps).
import XCTest
import Foundation
import Bytecode
import Frontend
import TracejitCLI

final class CLITests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "tracejit-cli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// A small valid program: `local x = "hi"; return x`.
    func sampleProto(stripped: Bool = false) -> Proto {
        let p = Proto(source: "@t.lua", lineDefined: 0, lastLineDefined: 0, numParams: 0, isVararg: true,
                      frameSize: 1, code: [Instruction(.KSTR, a: 0, d: 0), Instruction(.RET1, a: 0, d: 0)],
                      constants: [.string(Array("hi".utf8))], upvalues: [], protos: [],
                      debug: DebugInfo(lineInfo: [1, 1], locals: [LocalVarInfo(name: "x", register: 0, startPC: 1, endPC: 2)]))
        return stripped ? p.stripped() : p
    }

    func writeFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = dir + "/" + name
        try ProgramLoader.writeFile(path, bytes)
        return path
    }

    /// Runs the built binary; returns (exit code, stdout, stderr).
    func run(_ args: [String]) throws -> (Int32, String, String) {
        let r = try TracejitBinary.run(args)
        return (r.status, r.stdout, r.stderr)
    }

    // MARK: Library

    func testDefaultOutputPath() {
        XCTAssertEqual(CLI.defaultOutputPath(for: "prog.lua"), "prog.bc")
        XCTAssertEqual(CLI.defaultOutputPath(for: "a/b/prog.lua"), "a/b/prog.bc")
        XCTAssertEqual(CLI.defaultOutputPath(for: "prog"), "prog.bc")
        XCTAssertEqual(CLI.defaultOutputPath(for: "dir.lua/.lua"), "dir.lua/.lua.bc")
    }

    func testLoaderDetectsFormatByMagic() throws {
        let bc = BytecodeWriter.write(sampleProto())
        XCTAssertEqual(ProgramLoader.format(of: bc), .bytecode)
        XCTAssertEqual(ProgramLoader.format(of: Array("return 1".utf8)), .source)
        // A .lua name does not matter: the bytes decide.
        let path = try writeFile("really-bytecode.lua", bc)
        XCTAssertEqual(try ProgramLoader.load(path: path), sampleProto())
    }

    func testLoaderReportsBadBytecodeWithThePath() throws {
        var bc = BytecodeWriter.write(sampleProto())
        bc[4] = 9
        let path = try writeFile("bad.bc", bc)
        XCTAssertThrowsError(try ProgramLoader.load(path: path)) { e in
            XCTAssertEqual(CLI.message(for: e),
                           "\(path): unsupported bytecode format version 9 (this tracejit reads version 1); recompile the source")
        }
    }

    func testLoaderRejectsForeignBinaryChunks() throws {
        let path = try writeFile("lj.bc", [0x1b, 0x4c, 0x4a, 0x02, 0x0a])
        XCTAssertThrowsError(try ProgramLoader.load(path: path)) { e in
            XCTAssertEqual(CLI.message(for: e), "\(path): LuaJIT bytecode is not tracejit bytecode; compile the source with `tracejit compile`")
        }
    }

    func testLoaderReportsMissingFiles() {
        XCTAssertThrowsError(try ProgramLoader.load(path: dir + "/nope.lua")) { e in
            XCTAssertEqual(CLI.message(for: e), "cannot open \(self.dir)/nope.lua: No such file or directory")
        }
        XCTAssertThrowsError(try ProgramLoader.load(path: dir)) { e in
            XCTAssertEqual(CLI.message(for: e), "cannot read \(self.dir): Is a directory")
        }
    }

    func testCompileRewritesBytecodeAndStrips() throws {
        let input = try writeFile("p.bc", BytecodeWriter.write(sampleProto()))
        let out = try CLI.compile(input: input, output: dir + "/s.bc", strip: true)
        XCTAssertEqual(out, dir + "/s.bc")
        let back = try ProgramLoader.load(path: out)
        XCTAssertEqual(back, sampleProto(stripped: true))
        XCTAssertEqual(try CLI.compile(input: input), input + ".bc")
    }

    func testDisassembleMatchesTheLibrary() throws {
        let path = try writeFile("p.bc", BytecodeWriter.write(sampleProto()))
        let text = try CLI.disassemble(path: path)
        XCTAssertEqual(text, Disassembler.listing(sampleProto()))
        XCTAssertTrue(text.contains("KSTR        0   0          ; 0=x  \"hi\""), text)
    }

    // MARK: Binary

    func testBinaryDisassemblesBytecode() throws {
        let path = try writeFile("p.bc", BytecodeWriter.write(sampleProto()))
        let (code, out, err) = try run(["dis", path])
        XCTAssertEqual(code, 0, err)
        XCTAssertEqual(out, Disassembler.listing(sampleProto()))
        XCTAssertEqual(err, "")
    }

    func testBinaryCompileWritesNextToTheInput() throws {
        let input = try writeFile("q", BytecodeWriter.write(sampleProto()))
        let (code, _, err) = try run(["compile", input, "--strip"])
        XCTAssertEqual(code, 0, err)
        XCTAssertEqual(try ProgramLoader.load(path: input + ".bc"), sampleProto(stripped: true))
    }

    func testBinaryReportsCorruptBytecode() throws {
        var bc = BytecodeWriter.write(sampleProto())
        bc.removeLast(3)
        let path = try writeFile("cut.bc", bc)
        let (code, out, err) = try run(["dis", path])
        XCTAssertEqual(code, 1)
        XCTAssertEqual(out, "")
        XCTAssertTrue(err.hasPrefix("tracejit: \(path): malformed bytecode at offset "), err)
        XCTAssertEqual(err.filter { $0 == "\n" }.count, 1, "one line, no stack dump: \(err)")
    }

    func testBinaryReportsVerifierErrors() throws {
        let bad = Proto(source: "@t.lua", lineDefined: 0, lastLineDefined: 0, numParams: 0, isVararg: false,
                        frameSize: 1, code: [Instruction(.MOV, a: 0, d: 7), Instruction(.RET0, a: 0, d: 0)],
                        constants: [], upvalues: [], protos: [], debug: nil)
        let path = try writeFile("bad.bc", BytecodeWriter.write(bad))
        let (code, _, err) = try run(["compile", path, "-o", dir + "/out.bc"])
        XCTAssertEqual(code, 1)
        XCTAssertEqual(err, "tracejit: \(path): invalid bytecode in function main, pc 0 (MOV 0 7): operand D: register 7 is outside the frame (size 1)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out.bc"))
    }

    func testBinaryReportsMissingInputAndUnwritableOutput() throws {
        var (code, _, err) = try run(["dis", dir + "/missing.bc"])
        XCTAssertEqual(code, 1)
        XCTAssertEqual(err, "tracejit: cannot open \(dir)/missing.bc: No such file or directory\n")
        let input = try writeFile("p.bc", BytecodeWriter.write(sampleProto()))
        (code, _, err) = try run(["compile", input, "-o", dir + "/no/such/dir/x.bc"])
        XCTAssertEqual(code, 1)
        XCTAssertEqual(err, "tracejit: cannot write \(dir)/no/such/dir/x.bc: No such file or directory\n")
    }

    func testBinaryUsageErrors() throws {
        let (code, _, err) = try run(["dis"])
        XCTAssertNotEqual(code, 0)
        XCTAssertTrue(err.contains("Missing expected argument"), err)
    }

    // MARK: Lua source

    let program = "local t = {}\nfor i = 1, 3 do t[i] = i * 2 end\nprint(t[3])\n"

    func testCompileSourceWritesVerifiedBytecode() throws {
        let input = try writeFile("prog.lua", Array(program.utf8))
        let out = try CLI.compile(input: input)
        XCTAssertEqual(out, dir + "/prog.bc")
        let fromFile = try ProgramLoader.load(path: out)
        let fromSource = try ProgramLoader.load(path: input)
        XCTAssertEqual(fromFile, fromSource)
        XCTAssertEqual(fromFile.source, "@" + input)
        XCTAssertNotNil(fromFile.debug)
        XCTAssertEqual(try CLI.disassemble(path: out), try CLI.disassemble(path: input))
    }

    func testChunksFromMemory() throws {
        let bc = BytecodeWriter.write(sampleProto())
        XCTAssertEqual(try ProgramLoader.load(chunk: bc, chunkName: "=(load)"), sampleProto())
        var bad = bc
        bad.removeLast()
        XCTAssertThrowsError(try ProgramLoader.load(chunk: bad, chunkName: "=(load)")) { e in
            XCTAssertTrue(CLI.message(for: e).hasPrefix("(load): malformed bytecode at offset"), CLI.message(for: e))
        }
        let p = try ProgramLoader.load(chunk: Array("return 1".utf8), chunkName: "return 1")
        XCTAssertEqual(p.source, "return 1")
    }

    func testShebangSourceCompilesWithItsLineNumbers() throws {
        let input = try writeFile("script.lua", Array(("#!/usr/bin/env tracejit\n" + program).utf8))
        let p = try ProgramLoader.load(path: input)
        XCTAssertEqual(p.line(at: 0), 2)
    }

    func testBinaryCompilesSource() throws {
        let input = try writeFile("prog.lua", Array(program.utf8))
        var (code, out, err) = try run(["compile", input, "-o", dir + "/p.bc", "--strip"])
        XCTAssertEqual(code, 0, err)
        XCTAssertEqual(out + err, "")
        let p = try ProgramLoader.load(path: dir + "/p.bc")
        XCTAssertNil(p.debug)
        (code, out, err) = try run(["dis", input])
        XCTAssertEqual(code, 0, err)
        XCTAssertTrue(out.hasPrefix("-- BYTECODE -- main \(input):0-0\n"), out)
        XCTAssertTrue(out.contains("FORLOOP"), out)
    }

    func testBinaryReportsSyntaxErrors() throws {
        let input = try writeFile("bad.lua", Array("local x = 1\nx = = 2\n".utf8))
        for cmd in ["compile", "dis"] {
            let (code, out, err) = try run([cmd, input])
            XCTAssertEqual(code, 1)
            XCTAssertEqual(out, "")
            // luajit says: luajit: bad.lua:2: unexpected symbol near '='
            XCTAssertEqual(err, "tracejit: \(input):2: unexpected symbol near '='\n")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/bad.bc"))
    }
}
