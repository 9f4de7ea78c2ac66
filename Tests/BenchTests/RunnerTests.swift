// The real runner on tiny shell commands (behaviour only: exit status, output, the stats channel,
// rusage fields present; never how long anything took), and command splitting.
import Foundation
import XCTest
@testable import Bench

final class RunnerTests: XCTestCase {
    func runners() -> [(String, SpawnRunner)] {
        var r = [("direct", SpawnRunner(helperPath: nil))]
        if let h = SpawnRunner.locateHelper() { r.append(("tj-spawn", SpawnRunner(helperPath: h))) }
        return r
    }

    func testExitStatusOutputAndStatsChannel() throws {
        for (label, runner) in runners() {
            let ok = try runner.run(RunRequest(argv: ["sh", "-c", "echo hello; echo second"]))
            XCTAssertTrue(ok.sample.succeeded, label)
            XCTAssertEqual(ok.firstLine, "hello", label)
            XCTAssertNil(ok.sample.vm, label)  // nothing written: absent, not zero
            XCTAssertGreaterThan(ok.sample.maxRSSKiB, 0, label)
            let bad = try runner.run(RunRequest(argv: ["sh", "-c", "echo oops >&2; exit 3"]))
            XCTAssertEqual(bad.sample.exitStatus, 3, label)
            XCTAssertTrue(bad.stderrTail.contains("oops"), label)
            let killed = try runner.run(RunRequest(argv: ["sh", "-c", "kill -9 $$"]))
            XCTAssertFalse(killed.sample.succeeded, label)
            let stats = try runner.run(RunRequest(
                argv: ["sh", "-c", "printf '{\"traces\": 4, \"gc_count\": 2, \"first_trace_seconds\": 0.01, \"iterations\": [0.5, 0.25]}' > \"$TRACEJIT_STATS_JSON\""],
                environment: [iterationsEnvironmentKey: "2"]))
            XCTAssertEqual(stats.sample.vm?.traces, 4, label)
            XCTAssertEqual(stats.sample.vm?.gcCount, 2, label)
            XCTAssertNil(stats.sample.vm?.aborts, label)
            XCTAssertEqual(stats.sample.vm?.firstTraceSeconds, 0.01, label)
            XCTAssertEqual(stats.sample.vm?.iterations, [0.5, 0.25], label)
            let env = try runner.run(RunRequest(argv: ["sh", "-c", "echo $TRACEJIT_BENCH_ITERATIONS"],
                                                environment: [iterationsEnvironmentKey: "7"]))
            XCTAssertEqual(env.firstLine, "7", label)
        }
    }

    func testMissingProgram() {
        for (label, runner) in runners() {
            if let out = try? runner.run(RunRequest(argv: ["/nonexistent/prog"])) {
                XCTAssertFalse(out.sample.succeeded, label)  // the helper reports exit 127
            }
        }
    }

    func testHelperMeasuresTheProgramNotTheSpawner() throws {
        // Through tj-spawn the peak RSS of `true` is that of a tiny process (well under this test
        // process's own), which is the point of the helper.
        guard let h = SpawnRunner.locateHelper() else { throw XCTSkip("tj-spawn not built") }
        let out = try SpawnRunner(helperPath: h).run(RunRequest(argv: ["true"]))
        var ru = rusage()
        getrusage(RUSAGE_SELF.rawValue, &ru)
        XCTAssertLessThan(out.sample.maxRSSKiB, Int(ru.ru_maxrss))
    }

    func testSplitCommand() throws {
        XCTAssertEqual(try splitCommand("luajit -joff"), ["luajit", "-joff"])
        XCTAssertEqual(try splitCommand("  'a b' c\\ d \"e\\\"f\" ''"), ["a b", "c d", "e\"f", ""])
        XCTAssertThrowsError(try splitCommand("'open"))
    }

    func testResolveProgramsFromTheSuite() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("bench").path
        let small = try Programs.resolve([root], size: .small)
        XCTAssertGreaterThanOrEqual(small.count, 16)
        XCTAssertEqual(small.map(\.name), small.map(\.name).sorted())
        XCTAssertTrue(small.allSatisfy { $0.args.count == 1 })
        XCTAssertEqual(small.first { $0.name == "fib.lua" }?.args, ["20"])
        XCTAssertEqual(try Programs.resolve([root + "/fib.lua"], size: .argument("9")).first?.args, ["9"])
        XCTAssertEqual(try Programs.resolve([root + "/fib.lua"], size: .programDefault).first?.args, [])
        XCTAssertThrowsError(try Programs.resolve(["/nonexistent"], size: .programDefault))
    }
}
