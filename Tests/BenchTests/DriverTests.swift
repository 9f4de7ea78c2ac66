// The whole `tracejit bench` flow driven in-process through a fake runner with deterministic
// samples: interleaving, exit statuses, baseline round trips, exports, explain, iterations.
import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Bench

/// Returns scripted CPU times per command (argv[0]) in turn; records every request.
final class FakeRunner: ProcessRunner {
    var times: [String: [Double]]
    var counters: [String: Int] = [:]
    var requests: [RunRequest] = []
    var failing: Set<String> = []
    /// Per-iteration times reported through the stats channel, when set.
    var iterations: [Double]?
    var vm: VMStats?
    /// Stats-channel figures per command (argv[0]); takes precedence over `vm`.
    var vmByCommand: [String: VMStats] = [:]
    /// Folded stacks written for `--folded FILE` runs, per command; absent: the run fails.
    var folded: [String: String] = [:]

    init(_ times: [String: [Double]]) { self.times = times }

    func run(_ r: RunRequest) throws -> RunOutcome {
        requests.append(r)
        let cmd = r.argv[0]
        if let i = r.argv.firstIndex(of: "--folded") {
            guard let text = folded[cmd] else {
                return RunOutcome(sample: RunSample(wallSeconds: 0, cpuSeconds: 0, exitStatus: 2),
                                  stderrTail: "tracejit: unknown option '--folded'\n")
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: r.argv[i + 1]))
            return RunOutcome(sample: RunSample(wallSeconds: 0.1, cpuSeconds: 0.1))
        }
        if failing.contains(cmd) {
            return RunOutcome(sample: RunSample(wallSeconds: 0, cpuSeconds: 0, exitStatus: 1),
                              stderrTail: "error: wrong result\n")
        }
        let list = times[cmd] ?? [1]
        let k = counters[cmd, default: 0]
        counters[cmd] = k + 1
        let t = list[k % list.count]
        var stats = vmByCommand[cmd] ?? vm
        if r.environment[iterationsEnvironmentKey] != nil, let it = iterations {
            if stats == nil { stats = VMStats() }
            stats?.iterations = it
        }
        return RunOutcome(sample: RunSample(wallSeconds: t * 1.01, cpuSeconds: t, userSeconds: t, maxRSSKiB: 2048, vm: stats),
                          firstLine: "prog ok")
    }
}

final class DriverTests: XCTestCase {
    var dir: String!
    var progs: [String]!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "benchtests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        progs = []
        for name in ["a.lua", "b.lua"] {
            let p = dir + "/" + name
            try Data("print('x')\n".utf8).write(to: URL(fileURLWithPath: p))
            progs.append(p)
        }
        try Data("a.lua 3 x\nb.lua 4 x\n".utf8).write(to: URL(fileURLWithPath: dir + "/sizes.txt"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    static let base: [Double] = [1.00, 1.01, 0.99, 1.02, 0.98, 1.005, 0.995]

    func driver(_ runner: FakeRunner, _ out: inout String, _ err: inout String) -> (BenchDriver, () -> (String, String)) {
        final class Sink { var out = "", err = "" }
        let s = Sink()
        let d = BenchDriver(runner: runner, out: { s.out += $0 }, err: { s.err += $0 },
                            machine: { MachineFacts(cpuModel: "Fake CPU", cores: 2, kernel: "Linux test", tracejitCommit: "abc123") })
        d.now = { Date(timeIntervalSince1970: 1_800_000_000) }
        return (d, { (s.out, s.err) })
    }

    func options(_ extra: (inout BenchOptions) -> Void = { _ in }) -> BenchOptions {
        var o = BenchOptions()
        o.paths = [dir]
        o.command = "new"
        o.name = "new"
        o.runs = 7
        o.warmup = 1
        o.baselineDirectory = dir + "/baselines"
        o.progressOnTTY = false
        extra(&o)
        return o
    }

    func run(_ runner: FakeRunner, _ o: BenchOptions) -> (Int32, String, String) {
        var a = "", b = ""
        let (d, get) = driver(runner, &a, &b)
        let st = d.run(o)
        let (out, err) = get()
        return (st, out, err)
    }

    func testVsInterleavesAndDetectsRegression() {
        let fake = FakeRunner(["new": Self.base.map { $0 * 1.2 }, "old": Self.base])
        let (st, out, err) = run(fake, options { $0.vs = "old"; $0.runs = 7; $0.warmup = 1 })
        XCTAssertEqual(st, ExitStatus.regression, err)
        XCTAssertTrue(out.contains("slower"), out)
        XCTAssertTrue(err.contains("2 significant regression(s): a.lua, b.lua"), err)
        // Per program: rounds alternate A B, B A, ...; warm-up included in the requests.
        let order = fake.requests.prefix(8).map(\.argv[0])
        XCTAssertEqual(order, ["new", "old", "old", "new", "new", "old", "old", "new"])
        XCTAssertEqual(fake.requests.count, 2 * 8 * 2)
        XCTAssertEqual(fake.requests[0].argv, ["new", progs[0]])
    }

    func testVsWithoutChangeExitsZero() {
        let fake = FakeRunner(["new": Self.base, "old": Self.base.reversed()])
        let (st, out, _) = run(fake, options { $0.vs = "old" })
        XCTAssertEqual(st, ExitStatus.ok)
        XCTAssertTrue(out.contains("no significant change"), out)
    }

    func testFasterIsNotAFailure() {
        let fake = FakeRunner(["new": Self.base.map { $0 * 0.7 }, "old": Self.base])
        let (st, out, _) = run(fake, options { $0.vs = "old" })
        XCTAssertEqual(st, ExitStatus.ok)
        XCTAssertTrue(out.contains("faster"), out)
    }

    func testSaveCompareRoundTrip() throws {
        let first = FakeRunner(["new": Self.base])
        let (st1, _, err1) = run(first, options { $0.save = "main"; $0.warmup = 0 })
        XCTAssertEqual(st1, 0, err1)
        let path = dir + "/baselines/main.json"
        let saved = try BenchResult.load(path: path)
        XCTAssertEqual(saved.machine.cpuModel, "Fake CPU")
        XCTAssertEqual(saved.machine.tracejitCommit, "abc123")
        XCTAssertEqual(saved.runs, 7)
        XCTAssertEqual(saved.programs.map(\.program.name), ["a.lua", "b.lua"])
        XCTAssertEqual(saved.programs[0].values("new", .cpu), Self.base)  // every run's value is kept
        XCTAssertEqual(try BenchResult.decode(saved.encoded()), saved)
        // Same build again: no change, exit 0.
        let (st2, out2, _) = run(FakeRunner(["new": Self.base.reversed()]), options { $0.compare = "main" })
        XCTAssertEqual(st2, 0)
        XCTAssertTrue(out2.contains("Against baseline main"), out2)
        // 10% slower: a regression, exit 2.
        let (st3, out3, _) = run(FakeRunner(["new": Self.base.map { $0 * 1.1 }]), options { $0.compare = path })
        XCTAssertEqual(st3, ExitStatus.regression)
        XCTAssertTrue(out3.contains("+10.0%"), out3)
        // 2% slower: below the minimum effect.
        let (st4, out4, _) = run(FakeRunner(["new": Self.base.map { $0 * 1.02 }]), options { $0.compare = "main" })
        XCTAssertEqual(st4, 0, out4)
    }

    func testFailedRunExitsOneWithTheProgramsMessage() {
        let fake = FakeRunner(["new": Self.base])
        fake.failing = ["new"]
        let (st, _, err) = run(fake, options())
        XCTAssertEqual(st, ExitStatus.failure)
        XCTAssertTrue(err.contains("a.lua failed under 'new' (exit status 1)"), err)
        XCTAssertTrue(err.contains("wrong result"), err)
    }

    func testMissingBaselineAndBadOptions() {
        let (st, _, err) = run(FakeRunner([:]), options { $0.compare = "nope" })
        XCTAssertEqual(st, ExitStatus.failure)
        XCTAssertTrue(err.contains("cannot read baseline"), err)
        let (st2, _, err2) = run(FakeRunner([:]), options { $0.compare = "x"; $0.vs = "y" })
        XCTAssertEqual(st2, ExitStatus.failure)
        XCTAssertTrue(err2.contains("either --vs or --compare"), err2)
    }

    func testPeersRatiosAndGeometricMean() {
        let fake = FakeRunner(["new": [2.0], "luajit": [1.0], "lua5.4": [4.0]])
        let (st, out, _) = run(fake, options { $0.peers = ["luajit", "lua5.4"]; $0.runs = 3 })
        XCTAssertEqual(st, 0)
        XCTAssertTrue(out.contains("new/luajit"), out)
        XCTAssertTrue(out.contains("2.00x"), out)
        XCTAssertTrue(out.contains("0.50x"), out)
        XCTAssertTrue(out.contains("geometric mean"), out)
    }

    /// Two builds of tracejit (interpreter, JIT) and a peer in one session: every subject runs
    /// every program, ratios go to each, and each tracejit's own VM figures get their own table.
    func testNamedSubjectsRunBesideTheMainSubjectWithTheirOwnVMFigures() throws {
        let fake = FakeRunner(["jit": [1.0], "interp": [3.0], "luajit": [0.5]])
        var j = VMStats()
        j.traces = 7
        j.exits = 120
        j.jitSampleShare = 0.9
        j.compileSeconds = 0.004
        var i = VMStats()
        i.gcCount = 5
        fake.vmByCommand = ["jit": j, "interp": i]
        let (st, out, _) = run(fake, options {
            $0.command = "jit --jit-backend=native"
            $0.name = "tracejit JIT"
            $0.namedSubjects = [try! NamedCommand.parse("tracejit interp=interp --interp-only")]
            $0.peers = ["luajit"]
            $0.runs = 3
            $0.warmup = 0
            $0.markdown = self.dir + "/r.md"
            $0.json = self.dir + "/r.json"
        })
        XCTAssertEqual(st, 0, out)
        // Every subject ran every program in every round, with its own options.
        for argv0 in ["jit", "interp", "luajit"] {
            XCTAssertEqual(fake.requests.filter { $0.argv[0] == argv0 }.count, 2 * 3, argv0)
        }
        XCTAssertTrue(fake.requests.contains { $0.argv == ["interp", "--interp-only", progs[0]] })
        XCTAssertTrue(fake.requests.contains { $0.argv == ["jit", "--jit-backend=native", progs[1]] })
        let report = try BenchJSON.decoder().decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json")))
        XCTAssertEqual(report.result.subjects.map(\.name), ["tracejit JIT", "tracejit interp", "luajit"])
        XCTAssertEqual(report.analysis.peers, ["tracejit interp", "luajit"])
        let a = report.analysis.programs[0]
        XCTAssertEqual(a.ratios["tracejit interp"] ?? 0, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(a.ratios["luajit"] ?? 0, 2.0, accuracy: 1e-12)
        XCTAssertEqual(a.vm?.traces, 7)
        XCTAssertEqual(a.vmBySubject?["tracejit JIT"]?.exits, 120)
        XCTAssertEqual(a.vmBySubject?["tracejit interp"]?.gcCount, 5)
        XCTAssertNil(a.vmBySubject?["luajit"])
        let md = try String(contentsOfFile: dir + "/r.md", encoding: .utf8)
        XCTAssertTrue(md.contains("**VM figures of tracejit JIT (median over runs)**"), md)
        XCTAssertTrue(md.contains("| a.lua | 7 | - | - | 120 | 90.0% | - | 4.0 | - | - |"), md)
        XCTAssertTrue(md.contains("**VM figures of tracejit interp (median over runs)**"), md)
        XCTAssertTrue(md.contains("| a.lua | - | - | - | - | - | - | - | 5 | - |"), md)
        XCTAssertFalse(md.contains("VM figures of luajit"), md)
        XCTAssertTrue(md.contains("tracejit JIT/tracejit interp"), md)
        XCTAssertTrue(md.contains("`tracejit interp` = `interp --interp-only`"), md)
    }

    /// Two sessions of the same subjects over different programs merge into one table; sessions
    /// of different subjects do not.
    func testReportMergesSessionsOverDifferentPrograms() throws {
        let fake = FakeRunner(["new": [2.0], "luajit": [1.0]])
        var a = "", b = ""
        for (i, prog) in progs.enumerated() {
            let (st, _, _) = run(fake, options {
                $0.paths = [prog]
                $0.peers = ["luajit"]
                $0.runs = 3
                $0.json = self.dir + "/s\(i).json"
            })
            XCTAssertEqual(st, 0)
        }
        let (d, output) = driver(FakeRunner([:]), &a, &b)
        XCTAssertEqual(d.report(files: [dir + "/s1.json", dir + "/s0.json"], markdown: dir + "/m.md", save: dir + "/m.json"), 0)
        let merged = try BenchResult.load(path: dir + "/m.json")
        XCTAssertEqual(merged.programs.map(\.program.name), ["a.lua", "b.lua"])
        XCTAssertEqual(merged.programs[1].samples["new"]?.count, 3)
        let md = try String(contentsOfFile: dir + "/m.md", encoding: .utf8)
        XCTAssertTrue(md.contains("| a.lua | 2.000 |"), md)
        XCTAssertTrue(md.contains("| b.lua | 2.000 |"), md)
        XCTAssertTrue(output().0.contains("geometric mean"), output().0)
        // Different subjects, or the same program twice: refused.
        let (st, _, _) = run(fake, options { $0.paths = [self.progs[0]]; $0.runs = 3; $0.json = self.dir + "/s2.json" })
        XCTAssertEqual(st, 0)
        XCTAssertEqual(d.report(files: [dir + "/s0.json", dir + "/s2.json"]), 1)
        XCTAssertTrue(output().1.contains("different subjects"), output().1)
        XCTAssertEqual(d.report(files: [dir + "/s0.json", dir + "/s0.json"]), 1)
        XCTAssertTrue(output().1.contains("a.lua is in more than one result"), output().1)
    }

    func testNamedSubjectParsing() throws {
        let a = try NamedCommand.parse("jit=tracejit run --jit-backend=native", selfPath: "/opt/my tj/tracejit")
        XCTAssertEqual(a.name, "jit")
        XCTAssertEqual(a.command, "'/opt/my tj/tracejit' run --jit-backend=native")
        XCTAssertEqual(try splitCommand(a.command), ["/opt/my tj/tracejit", "run", "--jit-backend=native"])
        let b = try NamedCommand.parse(" lua = lua5.4 ", selfPath: "/x/tracejit")
        XCTAssertEqual(b, NamedCommand(name: "lua", command: "lua5.4"))
        // Without a self path (or another first word) the command is kept as given.
        XCTAssertEqual(try NamedCommand.parse("t=tracejit run").command, "tracejit run")
        XCTAssertEqual(try NamedCommand.parse("t=tracejitx run", selfPath: "/x/tracejit").command, "tracejitx run")
        XCTAssertThrowsError(try NamedCommand.parse("lua5.4"))
        XCTAssertThrowsError(try NamedCommand.parse("=lua5.4"))
        XCTAssertThrowsError(try NamedCommand.parse("x= "))
    }

    func testNamedSubjectNameClashIsRefused() {
        let (st, _, err) = run(FakeRunner(["new": [1]]), options {
            $0.namedSubjects = [NamedCommand(name: "new", command: "luajit -joff")]
        })
        XCTAssertEqual(st, 1)
        XCTAssertTrue(err.contains("two subjects are named 'new'"), err)
    }

    func testSmallSizeComesFromSizesTxt() {
        let fake = FakeRunner(["new": [1]])
        let (st, _, _) = run(fake, options { $0.size = .small; $0.runs = 1; $0.warmup = 0 })
        XCTAssertEqual(st, 0)
        XCTAssertEqual(fake.requests.map(\.argv), [["new", progs[0], "3"], ["new", progs[1], "4"]])
    }

    func testExportsParseBack() throws {
        let fake = FakeRunner(["new": Self.base, "luajit": [0.5]])
        var vm = VMStats()
        vm.traces = 3
        vm.jitSampleShare = 0.8
        vm.sideTraces = 1
        vm.firstTraceSeconds = 0.0025
        fake.vm = vm
        let (st, _, _) = run(fake, options {
            $0.peers = ["luajit"]
            $0.json = self.dir + "/r.json"
            $0.csv = self.dir + "/r.csv"
            $0.markdown = self.dir + "/r.md"
            $0.warmup = 0
        })
        XCTAssertEqual(st, 0)
        let report = try BenchJSON.decoder().decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json")))
        XCTAssertEqual(report.result.programs.count, 2)
        XCTAssertEqual(report.analysis.programs[0].summaries["new"]?.median, Stats.median(Self.base))
        XCTAssertEqual(report.analysis.programs[0].vm?.traces, 3)
        XCTAssertEqual(report.analysis.programs[0].vm?.firstTraceSeconds, 0.0025)
        XCTAssertEqual(report.analysis.programs[0].vm?.sideTraces, 1)
        XCTAssertEqual(report.analysis.geomeanRatios["luajit"] ?? 0, Stats.median(Self.base) / 0.5, accuracy: 1e-12)
        let rows = Reports.parseCSV(try String(contentsOfFile: dir + "/r.csv", encoding: .utf8))
        XCTAssertEqual(rows.first, Reports.csvHeader)
        XCTAssertEqual(rows.count, 1 + 2 * (7 + 7))
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0.count == Reports.csvHeader.count })
        let newRows = rows.filter { $0[2] == "new" && $0[0] == "a.lua" }
        XCTAssertEqual(newRows.map { Double($0[6])! }, Self.base)
        XCTAssertEqual(newRows[0][10], "3.0")
        XCTAssertEqual(newRows[0][Reports.csvHeader.firstIndex(of: "first_trace_s")!], "0.0025")
        XCTAssertEqual(newRows[0][Reports.csvHeader.firstIndex(of: "side_traces")!], "1.0")
        let md = try String(contentsOfFile: dir + "/r.md", encoding: .utf8)
        XCTAssertTrue(md.contains("| program |"), md)
        // The VM figures table: traces 3, side 1, JIT samples 80.0%, first trace 2.5 ms.
        XCTAssertTrue(md.contains("| 1st trace ms |"), md)
        XCTAssertTrue(md.contains("| a.lua | 3 | 1 | - | - | 80.0% | 2.5 |"), md)
        XCTAssertTrue(md.contains("|---|"), md)
    }

    func testJSONToStdoutReplacesTheTable() throws {
        let (st, out, err) = run(FakeRunner(["new": Self.base]), options { $0.json = "-" })
        XCTAssertEqual(st, 0)
        XCTAssertNoThrow(try BenchJSON.decoder().decode(BenchReport.self, from: Data(out.utf8)))
        XCTAssertTrue(err.contains("Times:"))
    }

    func testCSVQuotingRoundTrip() {
        let rows = Reports.parseCSV("a,\"b,c\",\"d\"\"e\"\n1,2,3\n")
        XCTAssertEqual(rows, [["a", "b,c", "d\"e"], ["1", "2", "3"]])
    }

    func testVMFiguresAbsentShowAsDash() {
        let (_, out, _) = run(FakeRunner(["new": [1]]), options { $0.runs = 1 })
        XCTAssertTrue(out.contains("none reported by this build"), out)
        XCTAssertTrue(out.contains("a.lua         -     -       -      -            -             -"), out)
    }

    func testIterationsUnsupportedIsSaidPlainly() {
        let fake = FakeRunner(["new": [1]])
        let (st, out, _) = run(fake, options { $0.iterations = 5; $0.runs = 2 })
        XCTAssertEqual(st, 0)
        XCTAssertTrue(out.contains("not supported by this build"), out)
        XCTAssertEqual(fake.requests[0].environment[iterationsEnvironmentKey], "5")
    }

    func testIterationsReported() {
        let fake = FakeRunner(["new": [1]])
        fake.iterations = [0.5, 0.2, 0.1, 0.1]
        let (_, out, _) = run(fake, options { $0.iterations = 4; $0.runs = 2 })
        XCTAssertTrue(out.contains("In-process iterations (--iterations 4)"), out)
        XCTAssertTrue(out.contains("5.00x"), out)  // first / last
        XCTAssertFalse(out.contains("not supported"), out)
    }

    func testExplainWritesDifferentialFlameGraph() throws {
        let fake = FakeRunner(["new": Self.base.map { $0 * 1.3 }, "old": Self.base])
        fake.folded = ["old": "main;f 10\nmain;g 10\n", "new": "main;f 10\nmain;g 30\n"]
        let (st, _, err) = run(fake, options { $0.vs = "old"; $0.explain = true; $0.explainDirectory = self.dir + "/ex" })
        XCTAssertEqual(st, ExitStatus.regression)
        XCTAssertTrue(err.contains("differential flame graph"), err)
        let svg = try String(contentsOfFile: dir + "/ex/a.diff.svg", encoding: .utf8)
        XCTAssertTrue(XMLChecker.wellFormed(svg))
        let profiled = fake.requests.filter { $0.argv.contains("--folded") }
        XCTAssertEqual(profiled.first?.argv, ["old", "--folded", dir + "/ex/a.base.folded", progs[0]])
    }

    func testExplainUnavailableWithoutFoldedSupport() {
        let fake = FakeRunner(["new": Self.base.map { $0 * 1.3 }, "old": Self.base])
        let (st, _, err) = run(fake, options { $0.vs = "old"; $0.explain = true; $0.explainDirectory = self.dir + "/ex" })
        XCTAssertEqual(st, ExitStatus.regression)
        XCTAssertTrue(err.contains("explain unavailable for 'old'"), err)
        XCTAssertTrue(err.contains("unknown option '--folded'"), err)
    }

    func testExplainAgainstBaselineFromSameCommandSaysWhy() throws {
        _ = run(FakeRunner(["new": Self.base]), options { $0.save = "b" })
        let fake = FakeRunner(["new": Self.base.map { $0 * 1.3 }])
        let (st, _, err) = run(fake, options { $0.compare = "b"; $0.explain = true })
        XCTAssertEqual(st, ExitStatus.regression)
        XCTAssertTrue(err.contains("use --vs 'OLD BUILD'"), err)
    }

    func testHistoryChartIsWellFormed() throws {
        var paths: [String] = []
        for (i, f) in [1.0, 1.1, 0.9].enumerated() {
            let fake = FakeRunner(["new": Self.base.map { $0 * f }])
            var a = "", b = ""
            let (d, _) = driver(fake, &a, &b)
            d.now = { Date(timeIntervalSince1970: 1_800_000_000 + Double(i) * 86400) }
            XCTAssertEqual(d.run(options { $0.save = "h\(i)"; $0.runs = 3; $0.warmup = 0 }), 0)
            paths.append(dir + "/baselines/h\(i).json")
        }
        var a = "", b = ""
        let (d, _) = driver(FakeRunner([:]), &a, &b)
        // Given out of order: the chart orders by date.
        XCTAssertEqual(d.history(files: [paths[2], paths[0], paths[1]], output: dir + "/h.svg"), 0)
        let svg = try String(contentsOfFile: dir + "/h.svg", encoding: .utf8)
        XCTAssertTrue(XMLChecker.wellFormed(svg), svg)
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 6)
        let (ordered, series) = HistoryChart.series(try [paths[2], paths[0], paths[1]].map { try BenchResult.load(path: $0) })
        XCTAssertEqual(ordered.map(\.date), ordered.map(\.date).sorted())
        XCTAssertEqual(series[0].points.map(\.median).map { ($0 * 1000).rounded() / 1000 }, [1.0, 1.1, 0.9])
        XCTAssertEqual(d.history(files: [], output: dir + "/x.svg"), ExitStatus.failure)
    }
}

enum XMLChecker {
    final class Delegate: NSObject, XMLParserDelegate {}
    static func wellFormed(_ s: String) -> Bool {
        let p = XMLParser(data: Data(s.utf8))
        let d = Delegate()
        p.delegate = d
        return p.parse()
    }
}

final class KeepGoingTests: XCTestCase {
    func testKeepGoingRecordsFailureAndContinues() throws {
        let dir = NSTemporaryDirectory() + "benchkg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: dir + "/a.lua"))
        let fake = FakeRunner(["new": [1], "luajit": [0.5]])
        fake.failing = ["new"]
        final class Sink { var out = "", err = "" }
        let s = Sink()
        let d = BenchDriver(runner: fake, out: { s.out += $0 }, err: { s.err += $0 }, machine: { MachineFacts() })
        var o = BenchOptions()
        o.paths = [dir]
        o.command = "new"
        o.name = "new"
        o.peers = ["luajit"]
        o.runs = 3
        o.keepGoing = true
        o.progressOnTTY = false
        XCTAssertEqual(d.run(o), ExitStatus.failure)
        XCTAssertTrue(s.out.contains("FAILED"), s.out)
        XCTAssertTrue(s.out.contains("0.500"), s.out)  // the peer still ran every round
        XCTAssertEqual(fake.requests.filter { $0.argv[0] == "new" }.count, 1)  // not retried
        XCTAssertEqual(fake.requests.filter { $0.argv[0] == "luajit" }.count, 4)
        XCTAssertTrue(s.err.contains("FAILED: a.lua failed under 'new'"), s.err)
    }
}

final class MinEffectOptionTests: XCTestCase {
    func testPercentagesAndFractions() throws {
        XCTAssertEqual(try BenchOptions.parseEffect("5%"), 0.05, accuracy: 1e-12)
        XCTAssertEqual(try BenchOptions.parseEffect("0.03"), 0.03, accuracy: 1e-12)
        XCTAssertEqual(try BenchOptions.parseEffect("150%"), 1.5, accuracy: 1e-12)
        XCTAssertEqual(try BenchOptions.parseEffect("0"), 0)
    }

    func testBareNumbersOfOneOrMoreAndGarbageAreRejected() {
        XCTAssertThrowsError(try BenchOptions.parseEffect("3")) { e in
            XCTAssertTrue("\(e)".contains("3%"), "\(e)")
        }
        XCTAssertThrowsError(try BenchOptions.parseEffect("-1%"))
        XCTAssertThrowsError(try BenchOptions.parseEffect("five"))
    }
}
