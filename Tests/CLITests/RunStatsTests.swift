// The stats channel of `tracejit run` that `tracejit bench` reads (docs/bench.md).
import Foundation
import XCTest

final class RunStatsTests: XCTestCase {
    func testStatsFileAndIterations() throws {
        let exe = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent().appendingPathComponent("tracejit")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("tracejit not built") }
        let dir = NSTemporaryDirectory() + "tracejit-stats-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let prog = dir + "/p.lua", stats = dir + "/stats.json"
        // Global state persists across iterations: the counter keeps growing.
        try "n = (n or 0) + 1; local t = {} for i = 1, 1000 do t[i] = {} end; print(n)\n"
            .write(toFile: prog, atomically: true, encoding: .utf8)
        func run(_ extra: [String]) throws -> [String: Any]? {
            try? FileManager.default.removeItem(atPath: stats)
            let p = Process()
            p.executableURL = exe
            p.arguments = ["run"] + extra + [prog]
            var env = ProcessInfo.processInfo.environment
            env["TRACEJIT_STATS_JSON"] = stats
            env["TRACEJIT_BENCH_ITERATIONS"] = "3"
            p.environment = env
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
            XCTAssertEqual(o, "1\n2\n3\n")
            return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stats))) as? [String: Any]
        }
        let interp = try run(["--interp-only"])
        XCTAssertEqual((interp?["iterations"] as? [Double])?.count, 3)
        XCTAssertNotNil(interp?["gc_count"] as? Int)
        XCTAssertNil(interp?["traces"], "JIT off: the field must be absent, not 0")
        // The JIT is on by default: its fields are there (0 traces is a value then).
        let jit = try run([])
        XCTAssertEqual((jit?["iterations"] as? [Double])?.count, 3)
        XCTAssertNotNil(jit?["traces"] as? Int, "\(jit ?? [:])")
    }
}
