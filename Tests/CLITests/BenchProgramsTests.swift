// Every bench/ program, at its small size from bench/sizes.txt, runs through the built `tracejit`
// binary and prints exactly its expected line (the programs also check themselves and exit
// non-zero when wrong): under `--interp-only`, and with `--jit-eager` (every loop recorded at its
// first back-edge) under both backends, `--jit-backend=ir` and `--jit-backend=native`. The JIT runs
// must show from the engine's own counters (TRACEJIT_STATS_JSON) that traces were made and entered,
// and the native runs that no trace was refused by the backend (`--jit-log`). Speed is measured by
// `tracejit bench`, not here.
import Foundation
import XCTest

final class BenchProgramsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct BenchCase { var program: String; var arg: String; var expected: String }

    static func cases() throws -> [BenchCase] {
        let sizes = try String(contentsOf: root.appendingPathComponent("bench/sizes.txt"), encoding: .utf8)
        var out: [BenchCase] = []
        for line in sizes.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { XCTFail("bad sizes.txt line: \(line)"); continue }
            out.append(BenchCase(program: parts[0], arg: parts[1], expected: parts[2]))
        }
        return out
    }

    static func executable() throws -> URL {
        let exe = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent().appendingPathComponent("tracejit")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw XCTSkip("tracejit binary not built at \(exe.path)")
        }
        return exe
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ exe: URL, _ args: [String], env: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = root
        if !env.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 } }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: o, stderr: e)
    }

    func testEveryBenchProgramVerifiesUnderTheInterpreter() throws {
        let exe = try Self.executable()
        var checked = 0
        for c in try Self.cases() {
            let r = try Self.run(exe, ["run", "--interp-only", "bench/" + c.program, c.arg])
            XCTAssertEqual(r.status, 0, "\(c.program) \(c.arg): \(r.stderr)")
            XCTAssertEqual(r.stdout, c.expected + "\n", "\(c.program) \(c.arg)")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 16)
    }

    func testEveryBenchProgramVerifiesUnderTheIRBackend() throws { try checkJIT(backend: "ir") }
    func testEveryBenchProgramVerifiesUnderTheNativeBackend() throws { try checkJIT(backend: "native") }

    /// bench/ programs where every recording aborts today (eager hotness): name -> why. A listed
    /// program that makes a trace fails the test, so the list stays honest.
    static let withoutTraces: [String: String] = [:]

    /// bench/ programs with traces the native backend refuses today (they run on the IR
    /// interpreter): name -> the refusal. A listed program that compiles every trace fails.
    static let nativeRefusals: [String: String] = [:]

    func checkJIT(backend: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let exe = try Self.executable()
        let dir = NSTemporaryDirectory() + "tracejit-bench-jit-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let statsPath = dir + "/stats.json", logPath = dir + "/jit.log"
        var checked = 0, made = 0, entries = 0
        for c in try Self.cases() {
            try? FileManager.default.removeItem(atPath: statsPath)
            let r = try Self.run(exe, ["run", "--jit-eager", "--jit-backend=\(backend)", "--jit-log", "--jit-out", logPath,
                                       "bench/" + c.program, c.arg], env: ["TRACEJIT_STATS_JSON": statsPath])
            let what = "\(backend): \(c.program) \(c.arg)"
            XCTAssertEqual(r.status, 0, "\(what): \(r.stderr)", file: file, line: line)
            XCTAssertEqual(r.stdout, c.expected + "\n", what, file: file, line: line)
            let stats = (try? Data(contentsOf: URL(fileURLWithPath: statsPath)))
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
            let t = stats["traces"] as? Int ?? 0, e = stats["trace_entries"] as? Int ?? 0, a = stats["aborts"] as? Int ?? 0
            XCTAssertGreaterThan(t + a, 0, "\(what): the JIT never tried to record (stats: \(stats))", file: file, line: line)
            if Self.withoutTraces[c.program] != nil {
                XCTAssertEqual(t, 0, "\(what) records traces now: remove it from withoutTraces", file: file, line: line)
            } else {
                XCTAssertGreaterThan(t, 0, "\(what): no trace recorded", file: file, line: line)
                XCTAssertGreaterThan(e, 0, "\(what): no trace entered", file: file, line: line)
            }
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            let refused = log.split(separator: "\n").filter { $0.contains("-- native backend:") }
            if backend == "native", let why = Self.nativeRefusals[c.program] {
                XCTAssertFalse(refused.isEmpty, "\(what): compiles every trace now: remove it from nativeRefusals",
                               file: file, line: line)
                XCTAssert(refused.allSatisfy { $0.contains(why) }, "\(what): refused \(refused)", file: file, line: line)
            } else {
                XCTAssertEqual(refused, [], "\(what): traces the native backend refused", file: file, line: line)
            }
            if ProcessInfo.processInfo.environment["TRACEJIT_JIT_REPORT"] == "1" {
                print("\(what): traces \(t) entries \(e) aborts \(a) exits \(stats["exits"] ?? 0)")
            }
            made += t; entries += e
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 16, file: file, line: line)
        XCTAssertGreaterThan(made, 0, file: file, line: line)
        XCTAssertGreaterThan(entries, 0, file: file, line: line)
    }
}
