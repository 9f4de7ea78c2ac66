// The conformance corpus under Tests/conformance/ (see its README): every program runs in-process
// and must print exactly what luajit printed for it (`.expected`), exit with its status (`.status`)
// and report the same first error line (`.stderr`, with the interpreter's name normalized to LUA).
// Programs that do not conform yet are listed in Tests/conformance/KNOWN_FAILURES with a reason; the
// test also fails when a listed program starts to pass, so the list stays honest.
// Where luajit is installed, a second test runs the whole corpus under luajit itself.
import Foundation
import XCTest
@testable import Runtime

final class ConformanceCorpusTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = root.appendingPathComponent("Tests/conformance")

    /// Repository-relative paths of every program, e.g. "Tests/conformance/lang/closures.lua".
    static func programs() -> [String] {
        guard let e = FileManager.default.enumerator(atPath: corpus.path) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            if p.hasSuffix(".lua") { out.append("Tests/conformance/" + p) }
        }
        return out.sorted()
    }

    static func read(_ rel: String) -> String? {
        try? String(contentsOf: root.appendingPathComponent(rel), encoding: .utf8)
    }

    static func readBytes(_ rel: String) -> [UInt8]? {
        (try? Data(contentsOf: root.appendingPathComponent(rel))).map { [UInt8]($0) }
    }

    /// Listed programs: path -> reason. Lines are "path  # reason"; blank lines and #-lines skipped.
    static func knownFailures() -> [String: String] {
        var out: [String: String] = [:]
        for line in (read("Tests/conformance/KNOWN_FAILURES") ?? "").split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") { continue }
            let parts = t.split(separator: "#", maxSplits: 1)
            out[parts[0].trimmingCharacters(in: .whitespaces)] =
                parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        }
        return out
    }

    struct Expectation {
        var stdout: [UInt8]
        var status: Int32
        var firstErrorLine: String?
    }

    static func expectation(for program: String) -> Expectation {
        let stem = String(program.dropLast(4))
        let status = Int32(read(stem + ".status")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0
        let err = read(stem + ".stderr").map { String($0.split(separator: "\n", omittingEmptySubsequences: false)[0]) }
        return Expectation(stdout: readBytes(stem + ".expected") ?? [], status: status, firstErrorLine: err)
    }

    /// Runs one program in-process; returns what differs (empty when it conforms).
    static func check(_ program: String, gcStress: Bool = false) -> String? {
        guard let source = readBytes(program) else { return "\(program): unreadable" }
        let want = expectation(for: program)
        var o = VMOptions()
        o.captureOutput = true
        o.gcStress = gcStress
        let vm = LuaVM(options: o)
        vm.setScriptArguments(scriptName: program, args: [])
        let r = vm.runMain(bytes: source, chunkName: "@" + program)
        var problems: [String] = []
        let got = vm.outputBuffer
        if got != want.stdout {
            problems.append("stdout differs\n--- expected\n\(String(decoding: want.stdout, as: UTF8.self))--- got\n\(vm.capturedOutput)")
        }
        if r.status != want.status { problems.append("exit status \(r.status), expected \(want.status)") }
        // stderr as the process would show it: the program's io.stderr writes, then the error report
        // (nothing at all reads as an empty first line, as in a .stderr file for `os.exit(3)`).
        let stderrText = String(decoding: vm.capturedStderr, as: UTF8.self) + (r.errorReport ?? "")
        var firstLine = String(stderrText.split(separator: "\n", omittingEmptySubsequences: false)[0])
        if firstLine.hasPrefix("tracejit: ") { firstLine = "LUA: " + firstLine.dropFirst(10) }
        if let w = want.firstErrorLine, firstLine != w {
            problems.append("error line '\(firstLine)', expected '\(w)'")
        } else if want.firstErrorLine == nil, !stderrText.isEmpty {
            problems.append("unexpected stderr '\(firstLine)'")
        }
        return problems.isEmpty ? nil : "\(program): " + problems.joined(separator: "; ")
    }

    func testCorpusConforms() {
        let programs = ConformanceCorpusTests.programs()
        XCTAssertGreaterThan(programs.count, 250)
        let known = ConformanceCorpusTests.knownFailures()
        var failures: [String] = [], nowPassing: [String] = []
        for p in programs {
            let problem = ConformanceCorpusTests.check(p)
            if let problem, known[p] == nil { failures.append(problem) }
            if problem == nil, known[p] != nil { nowPassing.append(p) }
        }
        XCTAssert(failures.isEmpty, "\(failures.count) programs differ from luajit:\n" + failures.joined(separator: "\n\n"))
        XCTAssert(nowPassing.isEmpty, "listed in KNOWN_FAILURES but passing now: \(nowPassing)")
        for p in known.keys { XCTAssert(programs.contains(p), "KNOWN_FAILURES names a missing program \(p)") }
    }

    func testGCStressSubset() {
        let known = ConformanceCorpusTests.knownFailures()
        let list = (ConformanceCorpusTests.read("Tests/conformance/gcstress.txt") ?? "").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { $0.hasPrefix("Tests/") ? $0 : "Tests/conformance/" + $0 }
        XCTAssertGreaterThan(list.count, 20)
        var failures: [String] = []
        for p in list where known[p] == nil && known[p + " (gc-stress)"] == nil {
            if let problem = ConformanceCorpusTests.check(p, gcStress: true) { failures.append(problem) }
        }
        XCTAssert(failures.isEmpty, failures.joined(separator: "\n\n"))
    }

    /// The corpus's expected outputs are luajit's: re-check them against luajit where it is installed.
    func testCorpusMatchesLuaJIT() throws {
        guard let luajit = ["/usr/bin/luajit", "/usr/local/bin/luajit"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("luajit is not installed")
        }
        var failures: [String] = []
        for program in ConformanceCorpusTests.programs() {
            let want = ConformanceCorpusTests.expectation(for: program)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: luajit)
            p.arguments = [program]
            p.currentDirectoryURL = ConformanceCorpusTests.root
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            p.standardInput = FileHandle.nullDevice
            try p.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            var problems: [String] = []
            if [UInt8](o) != want.stdout { problems.append("stdout differs") }
            if p.terminationStatus != want.status { problems.append("status \(p.terminationStatus)") }
            if let w = want.firstErrorLine {
                let first = String(decoding: e, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)[0]
                var norm = String(first)
                for prefix in ["\(luajit): ", "luajit: "] where norm.hasPrefix(prefix) {
                    norm = "LUA: " + norm.dropFirst(prefix.count)
                    break
                }
                if norm != w { problems.append("error line '\(norm)'") }
            }
            if !problems.isEmpty { failures.append("\(program): " + problems.joined(separator: "; ")) }
        }
        XCTAssert(failures.isEmpty, failures.joined(separator: "\n"))
    }
}
