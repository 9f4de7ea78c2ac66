// `tracejit bench` argument parsing: the default subcommand takes program paths, `history` is its
// own subcommand. (The behaviour behind it is tested in BenchTests through BenchDriver.)
import ArgumentParser
import XCTest
@testable import TracejitCLI

final class BenchCommandTests: XCTestCase {
    func testDefaultSubcommandTakesPrograms() throws {
        let c = try TracejitCommand.parseAsRoot(["bench", "bench/", "--runs", "3", "--peer", "luajit -joff",
                                                 "--peer", "lua5.4", "--size", "small", "--min-effect", "0.1"])
        let r = try XCTUnwrap(c as? BenchRunCommand)
        XCTAssertEqual(r.paths, ["bench/"])
        XCTAssertEqual(r.runs, 3)
        XCTAssertEqual(r.peer, ["luajit -joff", "lua5.4"])
        XCTAssertEqual(r.size, "small")
        XCTAssertEqual(r.minEffect, "0.1")
    }

    func testHistorySubcommand() throws {
        let c = try TracejitCommand.parseAsRoot(["bench", "history", "a.json", "b.json", "-o", "chart.svg"])
        let h = try XCTUnwrap(c as? BenchHistoryCommand)
        XCTAssertEqual(h.files, ["a.json", "b.json"])
        XCTAssertEqual(h.output, "chart.svg")
    }
}
