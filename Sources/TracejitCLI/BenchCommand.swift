// `tracejit bench`: regression benchmarking over bench/ (see docs/bench.md). Parses arguments and
// calls Bench's BenchDriver, which does everything (and which the tests drive in-process).
//
//     tracejit bench [PROGRAMS or DIRS] --runs N --warmup N [--size small|default|ARG]
//                    [--save NAME] [--compare NAME] [--vs 'OTHER COMMAND'] [--peer CMD]...
//                    [--subject NAME=COMMAND]...
//                    [--explain] [--json F] [--markdown F] [--csv F]
//     tracejit bench report FILES... [--markdown F] [--json F] [--csv F] [--save F]
//     tracejit bench history FILES... -o chart.svg
import ArgumentParser
import Bench
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark programs in fresh processes; compare against baselines, other builds and peers.",
        subcommands: [BenchRunCommand.self, BenchReportCommand.self, BenchHistoryCommand.self],
        defaultSubcommand: BenchRunCommand.self)
}

/// The path of the running tracejit executable (for the default command `<self> run`).
func selfExecutablePath() -> String {
    var buf = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buf, buf.count - 1)
    if n > 0 { return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    return CommandLine.arguments.first ?? "tracejit"
}

struct BenchRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-suite",
        abstract: "Run the benchmark (the default subcommand: `tracejit bench bench/` is this).",
        discussion: """
            Exit status: 0 ok; 1 a run failed or bad options; 2 a significant regression (--vs/--compare). \
            Each program runs as `COMMAND PROGRAM [SIZE]` in a fresh process.
            """)

    @Argument(help: "Programs (.lua/.bc) or directories of *.lua (default: bench).")
    var paths: [String] = []

    @Option(help: "Measured runs per program and subject.")
    var runs = 5

    @Option(help: "Warm-up runs per program and subject (discarded).")
    var warmup = 1

    @Option(help: "Program size: small (from sizes.txt), default (the program's own), or an argument passed to every program.")
    var size = "default"

    @Option(help: "The metric compared: cpu (user+sys of the child) or wall.")
    var metric = "cpu"

    @Option(help: "Also time K in-process iterations (TRACEJIT_BENCH_ITERATIONS=K; see docs/bench.md).")
    var iterations: Int?

    @Option(help: "The command under test (default: this tracejit's `run`).")
    var cmd: String?

    @Option(help: "Extra options for `tracejit run` (e.g. --interp-only); ignored with --cmd.")
    var runFlags: String?

    @Option(help: "Name of the command under test in the tables.")
    var name: String?

    @Option(help: "Another build to compare against, run interleaved (e.g. 'old/tracejit run').")
    var vs: String?

    @Option(help: "A peer interpreter run on the same programs (repeatable): lua5.4, luajit, 'luajit -joff'.")
    var peer: [String] = []

    @Option(help: ArgumentHelp(
        "Another subject NAME=COMMAND (repeatable), run and reported like a peer; a leading word `tracejit` is this build.",
        discussion: "e.g. --subject 'interp=tracejit run --interp-only' next to --run-flags '--jit-backend=native'."))
    var subject: [String] = []

    @Option(help: "Save this run as baseline NAME (bench/baselines/NAME.json, or a path).")
    var save: String?

    @Option(help: "Compare against saved baseline NAME (or a path to a .json result).")
    var compare: String?

    @Option(help: "Directory of named baselines.")
    var baselineDir = "bench/baselines"

    @Option(help: "Smallest relative change called slower/faster: a percentage (5%) or a fraction (0.05).")
    var minEffect = "5%"

    @Option(help: "Significance level of the Mann-Whitney U test.")
    var alpha = 0.05

    @Flag(help: "Profile both sides of each regression and write a differential flame graph.")
    var explain = false

    @Option(help: "Where --explain writes its files.")
    var explainDir = "bench-explain"

    @Option(help: "Write the JSON report to FILE ('-': stdout).")
    var json: String?

    @Option(help: "Write a Markdown report to FILE ('-': stdout).")
    var markdown: String?

    @Option(help: "Write every run as CSV to FILE ('-': stdout).")
    var csv: String?

    @Flag(help: "When a program fails under a subject, record it and go on (exit status 1 at the end).")
    var keepGoing = false

    func run() throws {
        var o = BenchOptions()
        o.keepGoing = keepGoing
        o.paths = paths
        o.runs = runs
        o.warmup = warmup
        o.size = SizeChoice(size)
        guard let m = Metric(rawValue: metric) else { throw ValidationError("--metric must be cpu or wall") }
        o.metric = m
        o.iterations = iterations
        if let c = cmd {
            o.command = c
            o.name = name ?? BenchDriver.displayName(c)
        } else {
            o.command = "'" + selfExecutablePath().replacingOccurrences(of: "'", with: "'\\''") + "' run"
                + (runFlags.map { " " + $0 } ?? "")
            o.name = name ?? ("tracejit" + (runFlags.map { " " + $0 } ?? ""))
        }
        o.vs = vs
        o.peers = peer
        o.namedSubjects = try subject.map {
            do { return try NamedCommand.parse($0, selfPath: selfExecutablePath()) } catch { throw ValidationError("\(error)") }
        }
        o.save = save
        o.compare = compare
        o.baselineDirectory = baselineDir
        o.minEffect = try BenchOptions.parseEffect(minEffect)
        o.alpha = alpha
        o.explain = explain
        o.explainDirectory = explainDir
        o.json = json
        o.markdown = markdown
        o.csv = csv
        o.commandLine = CommandLine.arguments
        let status = BenchDriver().run(o)
        if status != 0 { throw ExitCode(status) }
    }
}

struct BenchReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the tables of saved results again; several sessions of the same subjects on different programs are merged into one table.")

    @Argument(help: "Saved results (--save files or --json exports).")
    var files: [String] = []

    @Option(help: "Write the JSON report to FILE ('-': stdout).")
    var json: String?

    @Option(help: "Write a Markdown report to FILE ('-': stdout).")
    var markdown: String?

    @Option(help: "Write every run as CSV to FILE ('-': stdout).")
    var csv: String?

    @Option(help: "Save the (merged) result to this path.")
    var save: String?

    func run() throws {
        let status = BenchDriver().report(files: files, markdown: markdown, json: json, csv: csv, save: save)
        if status != 0 { throw ExitCode(status) }
    }
}

struct BenchHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Chart saved results over time (median per program) as an SVG.")

    @Argument(help: "Saved results (bench/baselines/*.json).")
    var files: [String] = []

    @Option(name: .shortAndLong, help: "The SVG to write.")
    var output = "bench-history.svg"

    func run() throws {
        let status = BenchDriver().history(files: files, output: output)
        if status != 0 { throw ExitCode(status) }
    }
}
