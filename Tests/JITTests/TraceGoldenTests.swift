// The trace goldens in Traces/ (see Traces/README.md): every program runs in-process with the JIT
// options of its first line, `--jit-log` and `--dump-traces=b,i,s`, and what the JIT printed plus
// the program's stdout must equal its `.expected` file; a mismatch shows a unified diff. Each
// program must also print exactly what the interpreter alone prints. Where the `tracejit` binary is
// built, a second test checks that the CLI prints the same dumps (the README's recipe).
//
//   TRACEJIT_UPDATE_TRACES=1 swift test --filter TraceGoldenTests    rewrites the .expected files
import Foundation
import XCTest
import JIT
@testable import Runtime

final class TraceGoldenTests: XCTestCase {
    static let dir = "Traces"
    static let dumpOptions = DumpOptions(letters: "b,i,s")!
    static let stdoutMarker = "---- stdout\n"

    /// "Traces/<name>.lua" for every program, sorted.
    static func programs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: JITTestSupport.root.appendingPathComponent(dir).path)) ?? []
        return names.filter { $0.hasSuffix(".lua") }.sorted().map { dir + "/" + $0 }
    }

    /// The options of the first line `-- tracejit: OPTIONS` (the subset of `tracejit run`'s JIT
    /// options that makes sense for a golden: --jit-eager, --hotness, --jit-param, --jit-backend).
    static func params(fromHeader source: [UInt8]) throws -> JITParams {
        let firstLine = String(decoding: source.prefix(while: { $0 != 10 }), as: UTF8.self)
        let prefix = "-- tracejit:"
        guard firstLine.hasPrefix(prefix) else { throw HeaderError(message: "first line is not '\(prefix) OPTIONS'") }
        var words = firstLine.dropFirst(prefix.count).split(separator: " ").map(String.init)[...]
        var p = JITParams()
        var hotnessGiven = false
        while let w = words.popFirst() {
            var name = w, inline: String?
            if let eq = w.firstIndex(of: "="), w.hasPrefix("--") {
                name = String(w[..<eq]); inline = String(w[w.index(after: eq)...])
            }
            func value() throws -> String {
                if let inline { return inline }
                guard let v = words.popFirst() else { throw HeaderError(message: "\(name) needs a value") }
                return v
            }
            switch name {
            case "--jit-eager":
                p.hotness = .eager; hotnessGiven = true
            case "--hotness":
                let v = try value()
                guard let h = HotnessMode(rawValue: v), h != .sample else {
                    throw HeaderError(message: "--hotness must be counter or eager in a golden (sampling is not deterministic)")
                }
                p.hotness = h; hotnessGiven = true
            case "--jit-param":
                let v = try value()
                do { try p.set(v) } catch { throw HeaderError(message: "\(error)") }
            case "--jit-backend":
                let v = try value()
                guard let b = JITBackend(rawValue: v) else { throw HeaderError(message: "bad --jit-backend \(v)") }
                p.backend = b
            default:
                throw HeaderError(message: "option \(w) is not allowed in a golden header")
            }
        }
        if !hotnessGiven || p.hotness == .sample {
            throw HeaderError(message: "the header must choose --jit-eager or --hotness=counter (sampling is not deterministic)")
        }
        return p
    }

    struct HeaderError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// The golden text of one run: the JIT's log and dumps, the stdout marker and the program's
    /// stdout, then (only when the program failed) its exit status and error report.
    static func goldenText(_ r: JITTestSupport.Run) -> String {
        var s = r.jitText + stdoutMarker + String(decoding: r.stdout, as: UTF8.self)
        if !r.stdout.isEmpty && r.stdout.last != 10 { s += "\n" }
        if r.status != 0 || r.errorReport != nil {
            s += "---- exit status \(r.status)\n"
            if let e = r.errorReport { s += e + "\n" }
        }
        return s
    }

    static var updating: Bool { ProcessInfo.processInfo.environment["TRACEJIT_UPDATE_TRACES"] == "1" }

    func testGoldenDumps() throws {
        let programs = Self.programs()
        XCTAssertGreaterThanOrEqual(programs.count, 24, "Traces/ should hold at least 24 programs")
        var updated: [String] = []
        for path in programs {
            guard let source = JITTestSupport.readBytes(path) else { XCTFail("\(path): unreadable"); continue }
            let params: JITParams
            do { params = try Self.params(fromHeader: source) } catch {
                XCTFail("\(path): \(error)"); continue
            }
            let jit = JITTestSupport.run(source, path: path, params: params, log: true, dump: Self.dumpOptions)
            let plain = JITTestSupport.run(source, path: path, params: nil)
            // The JIT must not change what the program does (never rewritten by update mode).
            XCTAssertEqual(String(decoding: jit.stdout, as: UTF8.self), String(decoding: plain.stdout, as: UTF8.self),
                           "\(path): stdout with the JIT differs from the interpreter's")
            XCTAssertEqual(jit.status, plain.status, "\(path): exit status with the JIT differs from the interpreter's")
            XCTAssertEqual(jit.errorReport, plain.errorReport, "\(path): error report with the JIT differs")
            let got = Self.goldenText(jit)
            let expectedPath = String(path.dropLast(4)) + ".expected"
            let want = JITTestSupport.read(expectedPath)
            if Self.updating {
                if want != got {
                    try Data(got.utf8).write(to: JITTestSupport.root.appendingPathComponent(expectedPath))
                    updated.append(expectedPath)
                }
                continue
            }
            guard let want else {
                XCTFail("\(expectedPath) is missing (run TRACEJIT_UPDATE_TRACES=1 swift test --filter TraceGoldenTests)")
                continue
            }
            if want != got {
                XCTFail("\(path): the trace dump differs from \(expectedPath) (--- expected, +++ got):\n"
                        + UnifiedDiff.text(want, got, from: expectedPath, to: "got"))
            }
        }
        if Self.updating { print("TraceGoldenTests: rewrote \(updated.count) file(s): \(updated.joined(separator: " "))") }
        // Every .expected belongs to a program.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: JITTestSupport.root.appendingPathComponent(Self.dir).path)) ?? []
        for n in names where n.hasSuffix(".expected") {
            XCTAssert(programs.contains(Self.dir + "/" + n.dropLast(9) + ".lua"), "Traces/\(n) has no program")
        }
    }

    /// Every golden program with its header's options but `--jit-backend=native`: stdout, status
    /// and error report equal to the interpreter's and to the IR backend's, the same `--jit-log`
    /// lines as the IR backend (the same traces, side traces, aborts and flushes, so the machine
    /// code's guards exit exactly where the IR interpreter's do), the same count of entries from
    /// the interpreter (exits differ: native traces jump into linked and side traces), and every
    /// trace compiled to machine code. (The .expected dumps stay IR-backend
    /// dumps; machine code is not part of a golden.)
    func testGoldenProgramsOnTheNativeBackend() throws {
        var nativeTraces = 0, exits = 0
        for path in Self.programs() {
            guard let source = JITTestSupport.readBytes(path) else { XCTFail("\(path): unreadable"); continue }
            var params: JITParams
            do { params = try Self.params(fromHeader: source) } catch { XCTFail("\(path): \(error)"); continue }
            params.backend = .ir
            let ir = JITTestSupport.run(source, path: path, params: params)
            params.backend = .native
            let nat = JITTestSupport.run(source, path: path, params: params)
            let plain = JITTestSupport.run(source, path: path, params: nil)
            let natOut = String(decoding: nat.stdout, as: UTF8.self)
            XCTAssertEqual(natOut, String(decoding: plain.stdout, as: UTF8.self), "\(path): native stdout differs from the interpreter's")
            XCTAssertEqual(natOut, String(decoding: ir.stdout, as: UTF8.self), "\(path): native stdout differs from the IR backend's")
            XCTAssertEqual(nat.status, plain.status, "\(path): exit status")
            XCTAssertEqual(nat.errorReport, plain.errorReport, "\(path): error report")
            XCTAssertEqual(nat.refused, [], "\(path): traces the native backend refused")
            let natLog = nat.logLines.filter { !$0.contains("-- native backend:") }
            if natLog != ir.logLines {
                XCTFail("\(path): the JIT log differs between the backends:\n"
                        + UnifiedDiff.text(ir.logLines.joined(separator: "\n"), natLog.joined(separator: "\n"), from: "ir", to: "native"))
            }
            if let a = ir.stats, let n = nat.stats {
                XCTAssertEqual(n.traceEntries, a.traceEntries, "\(path): trace entries")
                XCTAssertEqual(nat.nativeTraces, n.tracesMade, "\(path): traces not compiled to machine code")
                exits += a.exits
            }
            nativeTraces += nat.nativeTraces
        }
        XCTAssertGreaterThan(nativeTraces, 30)
        XCTAssertGreaterThan(exits, 0)
    }

    /// The goldens really cover what Traces/README.md promises: traces, side traces, links, aborts.
    func testGoldensCoverTraceKinds() throws {
        var all = ""
        for path in Self.programs() {
            all += JITTestSupport.read(String(path.dropLast(4)) + ".expected") ?? ""
        }
        for needle in [" loop]", "-> interpreter]", "blacklisted after", "inner loop not compiled", "trace too long",
                       "loop left", "NYI: upvalue of a local the trace changed", " FNEW ", " UCLO ", "NYI: more than 200 varargs", "NYI: tail call", "NYI: __index function",
                       "error thrown:", "NYI: call to native", "[TRACE flush", " GCSTEP", "too many snapshots"] {
            XCTAssert(all.contains(needle), "no golden shows '\(needle)'")
        }
        XCTAssertNotNil(all.range(of: #"\[TRACE +\d+ \(\d+/\d+\) [^\]]* -> \d+\]"#, options: .regularExpression),
                        "no golden shows a side trace linked to a trace")
    }

    /// The built `tracejit` next to the test bundle (the CLI tests; skipped in update mode).
    static func tracejitBinary() throws -> URL {
        if updating { throw XCTSkip("update mode") }
        let exe = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent().appendingPathComponent("tracejit")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw XCTSkip("tracejit binary not built at \(exe.path)")
        }
        return exe
    }

    /// `--jit-log` ends with the most taken exits, most first, naming the side trace that took over.
    func testCLIExitSummary() throws {
        let exe = try Self.tracejitBinary()
        let p = Process()
        p.executableURL = exe
        p.arguments = ["run", "--hotness=counter", "--jit-param", "hotloop=5", "--jit-param", "hotexit=3", "--jit-backend=ir",
                       "--jit-log", "Traces/side_trace.lua"]
        p.currentDirectoryURL = JITTestSupport.root
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let exits = e.split(separator: "\n").filter { $0.hasPrefix("[EXIT ") }
        XCTAssertFalse(exits.isEmpty, e)
        XCTAssert(exits.first?.contains("at side_trace.lua:") == true && exits.first?.hasSuffix("-> side trace 2]") == true,
                  "\(exits)")
        let counts = exits.compactMap { l in l.split(separator: " ").first(where: { $0.hasSuffix("x") }).flatMap { Int($0.dropLast()) } }
        XCTAssertEqual(counts.count, exits.count)
        XCTAssertEqual(counts, counts.sorted(by: >))
    }

    /// `tracejit run OPTIONS --jit-log --dump-traces=b,i,s --jit-out FILE Traces/x.lua` (the
    /// README's recipe) prints the same as the in-process run.
    func testCLIPrintsTheGoldens() throws {
        let exe = try Self.tracejitBinary()
        let tmp = NSTemporaryDirectory() + "tracejit-goldens-\(getpid()).txt"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        for path in Self.programs() {
            guard let source = JITTestSupport.readBytes(path),
                  let want = JITTestSupport.read(String(path.dropLast(4)) + ".expected") else { continue }
            let header = String(decoding: source.prefix(while: { $0 != 10 }), as: UTF8.self)
            let opts = header.dropFirst("-- tracejit:".count).split(separator: " ").map(String.init)
            let p = Process()
            p.executableURL = exe
            p.arguments = ["run"] + opts + ["--jit-log", "--dump-traces=b,i,s", "--jit-out", tmp, path]
            p.currentDirectoryURL = JITTestSupport.root
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            p.standardInput = FileHandle.nullDevice
            try p.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            // The log's end-of-run exit summary is the CLI's alone (testCLIExitSummary checks it).
            let jitText = ((try? String(contentsOfFile: tmp, encoding: .utf8)) ?? "")
                .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("[EXIT ") }
                .joined(separator: "\n")
            var r = JITTestSupport.Run(stdout: [UInt8](o), stderr: [UInt8](e), status: p.terminationStatus,
                                       errorReport: nil, jitText: jitText, stats: nil)
            if p.terminationStatus != 0 { r.errorReport = String(decoding: e, as: UTF8.self).trimmingCharacters(in: .newlines) }
            let got = Self.goldenText(r)
            if got != want {
                XCTFail("\(path): `tracejit run` prints differently from the golden:\n"
                        + UnifiedDiff.text(want, got, from: "expected", to: "tracejit run"))
            }
        }
    }
}

/// A unified diff of two texts by lines (longest common subsequence; the goldens are small).
enum UnifiedDiff {
    static func text(_ a: String, _ b: String, from: String, to: String, context: Int = 3) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let n = x.count, m = y.count
        // lcs[i][j]: length of the LCS of x[i...] and y[j...].
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        // The edit script: (kind, line, old index, new index).
        var ops: [(Character, String, Int, Int)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && x[i] == y[j] { ops.append((" ", x[i], i, j)); i += 1; j += 1 }
            else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) { ops.append(("-", x[i], i, j)); i += 1 }
            else { ops.append(("+", y[j], i, j)); j += 1 }
        }
        var out = "--- \(from)\n+++ \(to)\n"
        var k = 0
        while k < ops.count {
            guard ops[k].0 != " " else { k += 1; continue }
            // A hunk: from `context` lines before this change to `context` lines after the last
            // change that is within 2*context lines of the previous one.
            let start = max(0, k - context)
            var end = k
            var last = k
            while end < ops.count {
                if ops[end].0 != " " { last = end }
                if end - last > 2 * context { break }
                end += 1
            }
            end = min(ops.count, last + context + 1)
            let oldStart = ops[start].2, newStart = ops[start].3
            let oldCount = ops[start..<end].filter { $0.0 != "+" }.count
            let newCount = ops[start..<end].filter { $0.0 != "-" }.count
            out += "@@ -\(oldStart + 1),\(oldCount) +\(newStart + 1),\(newCount) @@\n"
            for op in ops[start..<end] { out += String(op.0) + op.1 + "\n" }
            k = end
        }
        return out
    }
}
