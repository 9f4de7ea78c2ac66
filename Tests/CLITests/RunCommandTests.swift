// `tracejit run` argument handling: options before or after the program, `--`, script arguments.
import XCTest
@testable import TracejitCLI

final class RunCommandTests: XCTestCase {
    func parse(_ args: [String]) throws -> RunOptions {
        var o = RunOptions()
        try o.absorb(args)
        return o
    }

    func testProgramThenScriptArguments() throws {
        let o = try parse(["prog.lua", "a", "b"])
        XCTAssertEqual(o.program, "prog.lua")
        XCTAssertEqual(o.scriptArgs, ["a", "b"])
    }

    func testOptionsAfterTheProgram() throws {
        let o = try parse(["prog.bc", "--interp-only", "x", "--max-memory", "64M", "--gc-stress"])
        XCTAssertEqual(o.program, "prog.bc")
        XCTAssertTrue(o.interpOnly)
        XCTAssertTrue(o.gcStress)
        XCTAssertEqual(o.maxMemoryText, "64M")
        XCTAssertEqual(o.scriptArgs, ["x"])
    }

    func testArgumentsAfterDoubleDashGoToTheScript() throws {
        let o = try parse(["prog.lua", "--", "--interp-only", "-e"])
        XCTAssertFalse(o.interpOnly)
        XCTAssertEqual(o.scriptArgs, ["--interp-only", "-e"])
    }

    func testUnknownOptionIsRejected() {
        XCTAssertThrowsError(try parse(["prog.lua", "--profile-bogus"]))
        XCTAssertThrowsError(try parse([]))
        XCTAssertThrowsError(try parse(["prog.lua", "--max-memory", "lots"]))
    }

    func testChunkOption() throws {
        let o = try parse(["-e", "print(1)", "arg1"])
        XCTAssertEqual(o.chunks, ["print(1)"])
        XCTAssertNil(o.program)
        XCTAssertEqual(o.scriptArgs, ["arg1"])
    }

    func testSizes() {
        XCTAssertEqual(RunOptions.parseSize("64M"), 64 << 20)
        XCTAssertEqual(RunOptions.parseSize("1g"), 1 << 30)
        XCTAssertEqual(RunOptions.parseSize("4096"), 4096)
        XCTAssertNil(RunOptions.parseSize("-1"))
    }
}
