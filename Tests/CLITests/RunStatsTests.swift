// The stats channel of `tracejit run` that `tracejit bench` reads (docs/bench.md).
import Foundation
import XCTest

final class RunStatsTests: XCTestCase {
    func scratchDirectory(_ tag: String) throws -> String {
        let dir = NSTemporaryDirectory() + "tracejit-\(tag)-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func testStatsFileAndIterations() throws {
        let exe = try TracejitBinary.url()
        let dir = try scratchDirectory("stats")
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
        // The runs' thread CPU is the VM thread's, where all the work is (no other thread here).
        let cpu = interp?["iterations_cpu"] as? [Double] ?? [], thread = interp?["iterations_thread_cpu"] as? [Double] ?? []
        XCTAssertEqual(thread.count, 3)
        for (p, t) in zip(cpu, thread) { XCTAssertGreaterThan(t, 0.5 * p, "process \(cpu), thread \(thread)") }
        // The JIT is on by default: its fields are there (0 traces is a value then).
        let jit = try run([])
        XCTAssertEqual((jit?["iterations"] as? [Double])?.count, 3)
        XCTAssertNotNil(jit?["traces"] as? Int, "\(jit ?? [:])")
    }

    /// TRACEJIT_BENCH_PROFILE_ALTERNATE=1: only the odd-numbered runs are profiled. Interpreted, the
    /// timer is paused in the others; with the JIT on it keeps running for the JIT's hotness, whose
    /// records stay out of the profile.
    func testAlternatingProfiledRunsSampleOnlyTheOddOnes() throws {
        let exe = try TracejitBinary.url()
        let dir = try scratchDirectory("alt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let prog = dir + "/busy.lua", stats = dir + "/stats.json"
        try """
            local t0, s = os.clock(), 0
            repeat for i = 1, 10000 do s = s + i % 3 end until os.clock() - t0 >= 0.12
            """.write(toFile: prog, atomically: true, encoding: .utf8)
        for mode in [["--interp-only"], []] {
            let p = Process()
            p.executableURL = exe
            p.arguments = ["run"] + mode + ["--profile", "--profile-out", dir + "/report.txt", prog]
            var env = ProcessInfo.processInfo.environment
            env["TRACEJIT_STATS_JSON"] = stats
            env["TRACEJIT_BENCH_ITERATIONS"] = "5"
            env["TRACEJIT_BENCH_PROFILE_ALTERNATE"] = "1"
            p.environment = env
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "\(mode)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stats))) as? [String: Any]
            XCTAssertEqual(json?["iterations_profiled"] as? [Bool], [false, true, false, true, false], "\(mode)")
            let cpu = try XCTUnwrap(json?["iterations_cpu"] as? [Double])
            XCTAssertEqual(cpu.count, 5)
            let samples = try XCTUnwrap(json?["samples"] as? Int)
            // Sampled runs: about 0.24 s of CPU, at most ~240 periods of 1 ms; all five runs would give ~600.
            let sampledMs = (cpu[1] + cpu[3]) * 1000
            XCTAssertGreaterThan(samples, 0, "\(mode)")
            XCTAssertLessThan(Double(samples), sampledMs * 1.25 + 10, "\(mode): samples \(samples), runs \(cpu)")
            if mode.isEmpty {
                // The JIT's hotness kept sampling in the unprofiled runs: the loop got its trace.
                XCTAssertGreaterThan(json?["traces"] as? Int ?? 0, 0, "\(json ?? [:])")
            }
        }
    }
}
