// The conformance corpus (Tests/conformance, see its README) with the JIT forced on, under both
// backends: every program runs in-process with a JITEngine attached (hotness eager: every loop is
// recorded at its first taken back-edge, as `tracejit run --jit-eager`), once with
// `--jit-backend=ir` (traces run on the IR interpreter) and once with `--jit-backend=native`
// (x86-64 code), and must print exactly what luajit and the interpreter print (`.expected`,
// `.status`, first line of `.stderr`, compared as RuntimeTests/ConformanceCorpusTests does).
//
// So that the test cannot pass on the interpreter alone, the engine's own counters must show, per
// corpus area and per backend, that traces were recorded and entered (and, native, compiled to
// machine code); every program whose loops iterate must have tried to record. The two backends
// must also make the same JIT decisions: the same `--jit-log` lines (traces, side traces, aborts,
// flushes) and the same counts of traces and entries, so a native guard that exits when the
// IR interpreter's does not (or the reverse) fails here even when the output happens to agree.
// (Programs iterating with pairs/next are exempt from that: string hashes are seeded at random per
// VM, so their iteration order and JIT decisions vary from run to run on either backend.)
//
// One test method per corpus area. Programs in Tests/conformance/KNOWN_FAILURES (the interpreter
// does not conform yet) must print the same with the JIT as without it. JIT-only failures would be
// listed in `jitKnownFailures` (none today); a listed program that passes fails the test.
import Foundation
import XCTest
import Bytecode
import Frontend
import JIT
@testable import Runtime

final class JITConformanceTests: XCTestCase {
    /// Programs the JIT gets wrong today: "backend path" (e.g. "native Tests/conformance/x/y.lua")
    /// -> reason.
    static let jitKnownFailures: [String: String] = [:]

    static func programs(area: String) -> [String] {
        let dir = JITTestSupport.root.appendingPathComponent("Tests/conformance/" + area).path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".lua") }.sorted().map { "Tests/conformance/\(area)/\($0)" }
    }

    /// Corpus KNOWN_FAILURES: path -> reason (the same parsing as ConformanceCorpusTests).
    static func corpusKnownFailures() -> [String: String] {
        var out: [String: String] = [:]
        for line in (JITTestSupport.read("Tests/conformance/KNOWN_FAILURES") ?? "").split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") { continue }
            let parts = t.split(separator: "#", maxSplits: 1)
            out[parts[0].trimmingCharacters(in: .whitespaces)] = parts.count > 1 ? String(parts[1]) : ""
        }
        return out
    }

    /// Whether any function of the program has a loop instruction (FORLOOP, ITERL, LOOP).
    static func hasLoop(_ source: [UInt8], _ path: String) -> Bool {
        guard let p = try? Compiler.compile(source, chunkName: "@" + path) else { return false }
        func scan(_ p: Proto) -> Bool {
            p.code.contains { [.FORLOOP, .ITERL, .LOOP].contains($0.op) } || p.protos.contains(where: scan)
        }
        return scan(p)
    }

    /// What differs from the program's expectation files (nil: it conforms).
    static func problem(_ path: String, _ r: JITTestSupport.Run) -> String? {
        let stem = String(path.dropLast(4))
        let wantOut = JITTestSupport.readBytes(stem + ".expected") ?? []
        let wantStatus = Int32(JITTestSupport.read(stem + ".status")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0
        let wantErr = JITTestSupport.read(stem + ".stderr").map { String($0.split(separator: "\n", omittingEmptySubsequences: false)[0]) }
        var problems: [String] = []
        if r.stdout != wantOut {
            problems.append("stdout differs\n--- expected\n\(String(decoding: wantOut.prefix(3000), as: UTF8.self))"
                            + "--- got\n\(String(decoding: r.stdout.prefix(3000), as: UTF8.self))")
        }
        if r.status != wantStatus { problems.append("exit status \(r.status), expected \(wantStatus)") }
        // stderr as the process would show it: io.stderr writes, then the error report.
        let stderrText = String(decoding: r.stderr, as: UTF8.self) + (r.errorReport ?? "")
        var firstLine = String(stderrText.split(separator: "\n", omittingEmptySubsequences: false)[0])
        if firstLine.hasPrefix("tracejit: ") { firstLine = "LUA: " + firstLine.dropFirst(10) }
        if let w = wantErr, firstLine != w {
            problems.append("error line '\(firstLine)', expected '\(w)'")
        } else if wantErr == nil, !stderrText.isEmpty {
            problems.append("unexpected stderr '\(firstLine)'")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// The JIT's decisions in a run, as text: its log lines (less the native backend's refusals)
    /// and its counts of traces, side traces, aborts, flushes and entries from the interpreter
    /// (not exits: native traces jump into linked and side traces without the engine).
    static func decisions(_ r: JITTestSupport.Run) -> String {
        guard let s = r.stats else { return "no JIT" }
        return r.logLines.filter { !$0.contains("-- native backend:") }.joined(separator: "\n")
            + "\ntraces \(s.tracesMade) side \(s.sideTraces) aborts \(s.aborts) flushes \(s.flushes)"
            + " entries \(s.traceEntries)"
    }

    /// Whether the program calls pairs or next (hash-order iteration; ipairs is ordered).
    static func iteratesHashOrder(_ source: [UInt8]) -> Bool {
        let text = String(decoding: source, as: UTF8.self)
        return text.range(of: #"(^|[^A-Za-z0-9_i])pairs\b|\bnext\b"#, options: .regularExpression) != nil
    }

    /// Per-backend totals over an area.
    struct Totals {
        var made = 0, entries = 0, aborts = 0, native = 0
        mutating func add(_ r: JITTestSupport.Run) {
            made += r.stats?.tracesMade ?? 0
            entries += r.stats?.traceEntries ?? 0
            aborts += r.stats?.aborts ?? 0
            native += r.nativeTraces
        }
    }

    /// Runs one corpus area under both backends; asserts conformance, that the JIT really ran, and
    /// that both backends made the same decisions.
    func checkArea(_ area: String, file: StaticString = #filePath, line: UInt = #line) {
        let programs = Self.programs(area: area)
        XCTAssertFalse(programs.isEmpty, "no programs in Tests/conformance/\(area)", file: file, line: line)
        let corpusKnown = Self.corpusKnownFailures()
        var failures: [String] = [], nowPassing: [String] = [], silent: [String] = [], refused: [String] = []
        var unstable: [String] = []
        var orderDependent = 0
        var totals: [JITBackend: Totals] = [.ir: Totals(), .native: Totals()]
        var report: [String] = []
        for p in programs where Self.notRunUnderTheJIT[p] == nil {
            let source = JITTestSupport.readBytes(p) ?? []
            let ir = JITTestSupport.run(source, path: p, params: JITTestSupport.params(.ir))
            let nat = JITTestSupport.run(source, path: p, params: JITTestSupport.params(.native))
            if corpusKnown[p] != nil {
                // The interpreter does not conform here; the JIT must at least not change anything.
                let plain = JITTestSupport.run(source, path: p, params: nil)
                for (b, r) in [("ir", ir), ("native", nat)]
                where plain.stdout != r.stdout || plain.status != r.status || plain.errorReport != r.errorReport {
                    failures.append("\(b) \(p): (in corpus KNOWN_FAILURES) prints differently with the JIT than without")
                }
                continue
            }
            for (b, r) in [(JITBackend.ir, ir), (.native, nat)] {
                totals[b]!.add(r)
                let key = "\(b.rawValue) \(p)"
                let problem = Self.problem(p, r)
                if let problem, Self.jitKnownFailures[key] == nil { failures.append("\(key): \(problem)") }
                if problem == nil, Self.jitKnownFailures[key] != nil { nowPassing.append(key) }
                report.append("\(key): traces \(r.stats?.tracesMade ?? 0) entries \(r.stats?.traceEntries ?? 0) "
                              + "exits \(r.stats?.exits ?? 0) aborts \(r.stats?.aborts ?? 0) native \(r.nativeTraces)")
            }
            if let why = Self.nativeRefusals[p] {
                if nat.refused.isEmpty || !nat.refused.allSatisfy({ $0.contains(why) }) {
                    failures.append("\(p): listed in nativeRefusals ('\(why)') but refused: \(nat.refused)")
                }
                totals[.native]!.native += nat.refused.count
            } else {
                refused += nat.refused.map { "\(p): \($0)" }
            }
            // Eager hotness: any loop whose back-edge was taken starts a recording. A program with a
            // loop and no recording at all means the hook never ran (or the loop never iterated:
            // such programs are listed in `loopsNeverIterate`).
            let tried = (ir.stats?.tracesMade ?? 0) + (ir.stats?.aborts ?? 0)
            if tried == 0 && Self.hasLoop(source, p) && !Self.loopsNeverIterate.contains(p) { silent.append(p) }
            // Same decisions on both backends. Programs that iterate with pairs/next are exempt:
            // string hashes are seeded at random per VM, so their iteration order (and with it
            // which exits are taken) changes from run to run on either backend. For the others,
            // when the backends differ, each runs again, and only a difference that both repeat
            // counts.
            if Self.iteratesHashOrder(source) {
                orderDependent += 1
            } else if Self.decisions(ir) != Self.decisions(nat) {
                let ir2 = JITTestSupport.run(source, path: p, params: JITTestSupport.params(.ir))
                let nat2 = JITTestSupport.run(source, path: p, params: JITTestSupport.params(.native))
                if Self.decisions(ir) == Self.decisions(ir2) && Self.decisions(nat) == Self.decisions(nat2) {
                    failures.append("\(p): the backends make different JIT decisions:\n"
                                    + UnifiedDiff.text(Self.decisions(ir), Self.decisions(nat), from: "ir", to: "native"))
                } else {
                    unstable.append(p)
                }
            }
            if ProcessInfo.processInfo.environment["TRACEJIT_JIT_REPORT"] == "1" {
                FileHandle.standardError.write(Data((report.suffix(2).joined(separator: "\n") + "\n").utf8))
            }
        }
        if !unstable.isEmpty { print("JITConformanceTests: JIT decisions vary from run to run in \(unstable)") }
        XCTAssertLessThan(orderDependent, programs.count, "\(area): no program's JIT decisions were compared", file: file, line: line)
        XCTAssert(failures.isEmpty, "\(failures.count) problems under the JIT:\n" + failures.joined(separator: "\n\n"),
                  file: file, line: line)
        XCTAssert(nowPassing.isEmpty, "in jitKnownFailures but passing now: \(nowPassing)", file: file, line: line)
        XCTAssert(silent.isEmpty, "programs with loops that recorded nothing under eager hotness: \(silent)", file: file, line: line)
        XCTAssert(refused.isEmpty, "traces the native backend refused:\n" + refused.joined(separator: "\n"), file: file, line: line)
        for b in [JITBackend.ir, .native] {
            let t = totals[b]!
            if Self.areasWithoutTraces.contains(area) {
                XCTAssertEqual(t.made, 0, "\(b) \(area) records traces now: remove it from areasWithoutTraces", file: file, line: line)
                XCTAssertGreaterThan(t.aborts, 0, "\(b): the JIT never tried to record in \(area)", file: file, line: line)
            } else {
                XCTAssertGreaterThan(t.made, 0, "\(b): no trace was recorded in \(area)", file: file, line: line)
                XCTAssertGreaterThan(t.entries, 0, "\(b): no trace was entered in \(area)", file: file, line: line)
            }
        }
        XCTAssertEqual(totals[.ir]!.native, 0, file: file, line: line)
        XCTAssertEqual(totals[.native]!.native, totals[.native]!.made, "native: traces not compiled to machine code (or refused)",
                       file: file, line: line)
    }

    /// Programs not run here: path -> why. Each must have no loop (so no trace could come of it).
    static let notRunUnderTheJIT: [String: String] = [:]

    func testProgramsNotRunHaveNoLoop() {
        for p in Self.notRunUnderTheJIT.keys {
            guard let source = JITTestSupport.readBytes(p) else { XCTFail("\(p) is missing"); continue }
            XCTAssertFalse(Self.hasLoop(source, p), "\(p) has a loop: run it under the JIT")
        }
    }

    /// Programs with traces the native backend refuses today (they run on the IR interpreter):
    /// path -> the refusal. A listed program that compiles every trace fails the test.
    static let nativeRefusals: [String: String] = [:]

    /// Corpus areas where every recording aborts today (os_io: its loops call io functions, native
    /// calls the recorder does not know).
    static let areasWithoutTraces: Set<String> = ["os_io"]

    /// Programs that contain a loop instruction but never take a back-edge (their loops run zero
    /// or one time, or sit in code that does not run).
    static let loopsNeverIterate: Set<String> = [
        "Tests/conformance/errors/index_local.lua",   // for i = 1, 1 (returns in its only iteration)
        "Tests/conformance/meta/proxy.lua",           // pairs over an empty proxy table
    ]

    /// The whole corpus on the native backend with counter hotness at tiny thresholds (a loop is
    /// hot after 2 back-edges, an exit after 2 exits): traces start mid-run with live state, and
    /// many more side traces and links grow than under eager hotness (this found an exit at a
    /// multiple-results CALL resuming with a stale top). Output must not change.
    func testCorpusUnderCounterHotnessWithSideTraces() {
        var p = JITParams()
        p.hotness = .counter
        p.hotloop = 2
        p.hotexit = 2
        p.backend = .native
        let corpusKnown = Self.corpusKnownFailures()
        var failures: [String] = []
        var made = 0, sides = 0
        for area in ["base", "bit", "coro", "errors", "jit", "lang", "math", "meta", "os_io", "programs", "string", "table"] {
            for path in Self.programs(area: area) where corpusKnown[path] == nil && Self.notRunUnderTheJIT[path] == nil {
                let r = JITTestSupport.run(JITTestSupport.readBytes(path) ?? [], path: path, params: p)
                if let problem = Self.problem(path, r), Self.jitKnownFailures["native \(path)"] == nil {
                    failures.append("\(path): \(problem)")
                }
                made += r.stats?.tracesMade ?? 0
                sides += r.stats?.sideTraces ?? 0
            }
        }
        XCTAssert(failures.isEmpty, "counter hotness changed the output of:\n" + failures.joined(separator: "\n"))
        XCTAssertGreaterThan(made, 100, "traces made over the corpus")
        XCTAssertGreaterThan(sides, 50, "side traces made over the corpus")
    }

    func testBase() { checkArea("base") }
    func testBit() { checkArea("bit") }
    func testCoro() { checkArea("coro") }
    func testErrors() { checkArea("errors") }
    func testJIT() { checkArea("jit") }
    func testLang() { checkArea("lang") }
    func testMath() { checkArea("math") }
    func testMeta() { checkArea("meta") }
    func testOSIO() { checkArea("os_io") }
    func testPrograms() { checkArea("programs") }
    func testString() { checkArea("string") }
    func testTable() { checkArea("table") }

    /// Every area directory has a test method above.
    func testEveryAreaIsCovered() throws {
        let dirs = try FileManager.default.contentsOfDirectory(atPath: JITTestSupport.root.appendingPathComponent("Tests/conformance").path)
        let areas = dirs.filter { d in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: JITTestSupport.root.appendingPathComponent("Tests/conformance/" + d).path,
                                                  isDirectory: &isDir) && isDir.boolValue
        }
        XCTAssertEqual(Set(areas), ["base", "bit", "coro", "errors", "jit", "lang", "math", "meta", "os_io", "programs", "string", "table"])
    }
}
