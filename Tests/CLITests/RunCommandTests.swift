// `tracejit run` argument handling: options before or after the program, `--`, script arguments.
import XCTest
import JIT
import Profiler
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

    func testJITIsOnByDefaultAndInterpOnlyTurnsItOff() throws {
        let d = try parse(["prog.lua"])
        XCTAssertTrue(d.jit.enabled)
        XCTAssertFalse(d.interpOnly)
        XCTAssertEqual(d.jit.params.backend, .native)
        XCTAssertEqual(d.jit.params.hotness, .sample)
        XCTAssertTrue(try parse(["prog.lua", "--interp-only"]).interpOnly)
        // --interp-only wins over JIT options, wherever they stand.
        XCTAssertTrue(try parse(["--jit-eager", "prog.lua", "--interp-only"]).interpOnly)
        XCTAssertTrue(try parse(["--jit", "prog.lua"]).jit.enabled)
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

    func testProfileOptionsBeforeAndAfterTheProgram() throws {
        XCTAssertNil(try parse(["prog.lua"]).profile)
        let a = try parse(["--profile", "prog.lua", "x"])
        XCTAssertEqual(a.profile?.mode, .lua)
        XCTAssertEqual(a.profile?.sampler.hz, 1000)
        XCTAssertNil(a.profile?.reportPath)
        XCTAssertEqual(a.scriptArgs, ["x"])
        let b = try parse(["prog.bc", "--profile=mixed", "--sample-rate", "4000", "--profile-out", "r.txt",
                           "--flamegraph", "f.svg", "--folded=f.txt", "--speedscope", "s.json", "--pprof", "p.pb.gz"])
        XCTAssertEqual(b.program, "prog.bc")
        XCTAssertEqual(b.profile?.mode, .mixed)
        XCTAssertEqual(b.profile?.sampler.hz, 4000)
        XCTAssertEqual(b.profile?.reportPath, "r.txt")
        XCTAssertEqual(b.profile?.flamegraphPath, "f.svg")
        XCTAssertEqual(b.profile?.foldedPath, "f.txt")
        XCTAssertEqual(b.profile?.speedscopePath, "s.json")
        XCTAssertEqual(b.profile?.pprofPath, "p.pb.gz")
        XCTAssertEqual(b.scriptArgs, [])
        // An export alone implies sampling in Lua mode.
        let c = try parse(["--folded", "out.txt", "prog.lua"])
        XCTAssertEqual(c.profile?.mode, .lua)
        XCTAssertEqual(c.profile?.foldedPath, "out.txt")
        XCTAssertEqual(c.program, "prog.lua")
        // After `--` they belong to the script.
        let d = try parse(["prog.lua", "--", "--profile"])
        XCTAssertNil(d.profile)
        XCTAssertEqual(d.scriptArgs, ["--profile"])
    }

    func testBadProfileOptionsAreRejected() {
        XCTAssertThrowsError(try parse(["prog.lua", "--profile=native"]))
        XCTAssertThrowsError(try parse(["prog.lua", "--sample-rate", "0"]))
        XCTAssertThrowsError(try parse(["prog.lua", "--sample-rate", "fast"]))
        XCTAssertThrowsError(try parse(["prog.lua", "--flamegraph"]))
    }
}
