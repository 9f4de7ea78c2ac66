// Driver.swift: the whole of `tracejit bench` as one function over plain options, so tests run it
// in-process with a fake runner and check the printed report, the files written and the exit status.
//
// Exit status: 0 when everything ran and nothing regressed; 1 when a run failed or the options were
// wrong (message on stderr); 2 when a comparison (--vs or --compare) found a significant regression.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct BenchOptions {
    /// Reads a minimum effect given as a percentage ("5%") or a fraction ("0.05"). A bare number of
    /// 1 or more is rejected: "3" is far more likely a mistyped 3% than a 300% threshold.
    public static func parseEffect(_ text: String) throws -> Double {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%"), let p = Double(t.dropLast()), p >= 0, p.isFinite { return p / 100 }
        guard let f = Double(t), f >= 0, f.isFinite else {
            throw BenchError("--min-effect: '\(text)' is not a percentage (5%) or a fraction (0.05)")
        }
        if f >= 1 { throw BenchError("--min-effect \(text): write \(t)% for a percentage, or a fraction below 1") }
        return f
    }

    public var paths: [String] = []
    public var runs = 5
    public var warmup = 1
    public var size = SizeChoice.programDefault
    public var metric = Metric.cpu
    public var iterations: Int?
    /// The command under test ("/path/to/tracejit run"); programs and sizes are appended.
    public var command = "tracejit run"
    public var name = "tracejit"
    public var vs: String?
    public var peers: [String] = []
    /// Further subjects with names of their own (`--subject NAME=COMMAND`), run and reported like
    /// peers: e.g. this tracejit with other flags next to the command under test.
    public var namedSubjects: [NamedCommand] = []
    public var save: String?
    public var compare: String?
    public var baselineDirectory = "bench/baselines"
    public var minEffect = 0.05
    public var alpha = 0.05
    public var explain = false
    public var explainDirectory = "bench-explain"
    public var json: String?
    public var markdown: String?
    public var csv: String?
    public var commandLine: [String] = []
    public var progressOnTTY = true
    public var keepGoing = false

    public init() {}
}

/// A subject given as `NAME=COMMAND` (`--subject`). The name is everything before the first `=`,
/// so it cannot hold one; the command keeps any `=` of its own (`--jit-backend=native`).
public struct NamedCommand: Equatable {
    public var name: String
    public var command: String

    public init(name: String, command: String) {
        self.name = name
        self.command = command
    }

    /// Parses `NAME=COMMAND`. When the command's first word is `tracejit`, it is replaced by
    /// `selfPath` (quoted), so `tracejit run --interp-only` means this very build.
    public static func parse(_ text: String, selfPath: String? = nil) throws -> NamedCommand {
        guard let eq = text.firstIndex(of: "=") else {
            throw BenchError("--subject '\(text)': expected NAME=COMMAND")
        }
        let name = text[..<eq].trimmingCharacters(in: .whitespaces)
        var command = text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        if name.isEmpty { throw BenchError("--subject '\(text)': the name before '=' is empty") }
        let words = try splitCommand(command)
        if words.isEmpty { throw BenchError("--subject '\(text)': the command after '=' is empty") }
        if let me = selfPath, words[0] == "tracejit" {
            let rest = command.drop { !$0.isWhitespace }
            command = "'" + me.replacingOccurrences(of: "'", with: "'\\''") + "'" + rest
        }
        return NamedCommand(name: name, command: command)
    }
}

public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let failure: Int32 = 1
    public static let regression: Int32 = 2
}

public final class BenchDriver {
    public var runner: ProcessRunner
    public var out: (String) -> Void
    public var err: (String) -> Void
    /// Machine facts provider (tests pass fixed facts).
    public var machine: () -> MachineFacts
    public var now: () -> Date = { Date() }

    public init(runner: ProcessRunner = SpawnRunner(),
                out: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) },
                err: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                machine: (() -> MachineFacts)? = nil) {
        self.runner = runner
        self.out = out
        self.err = err
        self.machine = machine ?? { MachineFacts.current() }
    }

    /// `NAME` -> `<dir>/NAME.json`; a name with a '/' or ending in `.json` is a path as given.
    public static func baselinePath(_ name: String, directory: String) -> String {
        if name.contains("/") || name.hasSuffix(".json") { return name }
        return (directory as NSString).appendingPathComponent(name + ".json")
    }

    /// A short display name for a command: the basename of its program plus its options.
    public static func displayName(_ command: String) -> String {
        guard let w = try? splitCommand(command), let first = w.first else { return command }
        return ([(first as NSString).lastPathComponent] + w.dropFirst()).joined(separator: " ")
    }

    public func run(_ o: BenchOptions) -> Int32 {
        do {
            return try runThrowing(o)
        } catch {
            err("tracejit bench: \(error)\n")
            return ExitStatus.failure
        }
    }

    func runThrowing(_ o: BenchOptions) throws -> Int32 {
        if o.vs != nil && o.compare != nil { throw BenchError("use either --vs or --compare, not both") }
        if o.minEffect < 0 { throw BenchError("--min-effect must not be negative") }
        if let k = o.iterations, k < 1 { throw BenchError("--iterations must be at least 1") }
        if o.warmup < 0 { throw BenchError("--warmup must not be negative") }
        let programs = try Programs.resolve(o.paths.isEmpty ? ["bench"] : o.paths, size: o.size)
        var subjects = [Subject(name: o.name, command: o.command, role: .main)]
        if let vs = o.vs { subjects.append(Subject(name: "vs " + BenchDriver.displayName(vs), command: vs, role: .vs)) }
        for s in o.namedSubjects {
            if subjects.contains(where: { $0.name == s.name }) {
                throw BenchError("two subjects are named '\(s.name)': give each --subject a name of its own (NAME=COMMAND)")
            }
            subjects.append(Subject(name: s.name, command: s.command, role: .peer))
        }
        for p in o.peers {
            var n = BenchDriver.displayName(p)
            while subjects.contains(where: { $0.name == n }) { n += "'" }
            subjects.append(Subject(name: n, command: p, role: .peer))
        }
        var baseline: BenchResult?
        var baselineName: String?
        if let c = o.compare {
            let path = BenchDriver.baselinePath(c, directory: o.baselineDirectory)
            baseline = try BenchResult.load(path: path)
            baselineName = c
        }
        var cfg = SessionConfig(programs: programs, subjects: subjects)
        cfg.runs = o.runs
        cfg.warmup = o.warmup
        cfg.metric = o.metric
        cfg.size = o.size
        cfg.iterations = o.iterations
        cfg.commandLine = o.commandLine
        cfg.keepGoing = o.keepGoing
        let tty = o.progressOnTTY && isatty(2) != 0
        let progress: (String) -> Void = tty ? { [err] line in err("\r\u{1B}[K" + line) } : { _ in }
        let result: BenchResult
        do {
            result = try Session.run(cfg, runner: runner, machine: machine(), date: now(), progress: progress)
        } catch {
            if tty { err("\r\u{1B}[K") }
            throw error
        }
        if tty { err("\r\u{1B}[K") }
        let analysis = Analysis.make(result, baseline: baseline, baselineName: baselineName,
                                     minEffect: o.minEffect, alpha: o.alpha)
        try writeReports(result, analysis, json: o.json, markdown: o.markdown, csv: o.csv)
        for (prog, outs) in result.programs.map({ ($0.program.name, $0.output) }) {
            let distinct = Set(outs.values)
            if distinct.count > 1 {
                err("warning: \(prog) printed different first lines under different subjects: "
                    + outs.keys.sorted().map { "\($0): \(outs[$0] ?? "")" }.joined(separator: "; ") + "\n")
            }
        }
        if let s = o.save {
            let path = BenchDriver.baselinePath(s, directory: o.baselineDirectory)
            try result.save(path: path)
            err("saved \(path)\n")
        }
        let failed = result.programs.flatMap { p in (p.failures ?? [:]).sorted { $0.key < $1.key }.map { $0.value } }
        for f in failed { err("FAILED: \(f)\n") }
        let regressions = analysis.regressions
        if o.explain && !regressions.isEmpty {
            let baseCommand: String?
            var why = ""
            if let vs = o.vs {
                baseCommand = vs
            } else if let b = baseline, let bc = b.mainSubject?.command {
                baseCommand = bc == o.command ? nil : bc
                if baseCommand == nil {
                    why = "the baseline was saved from the same command ('\(bc)'), whose build is not available any more; "
                        + "use --vs 'OLD BUILD' to profile both sides"
                }
            } else {
                baseCommand = nil
            }
            let ex = Explainer(runner: runner, outputDirectory: o.explainDirectory)
            for r in regressions {
                guard let prog = programs.first(where: { $0.name == r.program }) else { continue }
                guard let bc = baseCommand else {
                    err("explain \(r.program): unavailable: \(why)\n")
                    continue
                }
                switch ex.explain(program: prog, baseCommand: bc, newCommand: o.command) {
                case .written(let svg, _, _): err("explain \(r.program): differential flame graph \(svg)\n")
                case .unavailable(let why): err("explain \(r.program): \(why)\n")
                }
            }
        } else if o.explain && analysis.baseLabel == nil {
            err("--explain needs a comparison (--vs or --compare)\n")
        }
        if !failed.isEmpty { return ExitStatus.failure }
        if !regressions.isEmpty {
            err("\(regressions.count) significant regression(s): " + regressions.map(\.program).joined(separator: ", ") + "\n")
            return ExitStatus.regression
        }
        return ExitStatus.ok
    }

    /// `tracejit bench report FILES...`: the tables of saved results (`--save` files or `--json`
    /// exports) again, several merged into one when they are sessions of the same subjects over
    /// different programs (BenchResult.merged); exports as in a run.
    public func report(files: [String], markdown: String? = nil, json: String? = nil, csv: String? = nil,
                       save: String? = nil) -> Int32 {
        do {
            if files.isEmpty { throw BenchError("report needs at least one saved result") }
            let result = try BenchResult.merged(files.map { try BenchResult.load(path: $0) })
            let analysis = Analysis.make(result)
            try writeReports(result, analysis, json: json, markdown: markdown, csv: csv)
            if let s = save { try result.save(path: s) }
            return ExitStatus.ok
        } catch {
            err("tracejit bench report: \(error)\n")
            return ExitStatus.failure
        }
    }

    /// The exports asked for (a path, or "-": stdout) and the readable table, which goes to
    /// stdout unless an export took it (then to stderr).
    func writeReports(_ result: BenchResult, _ analysis: Analysis, json: String?, markdown: String?, csv: String?) throws {
        var tableToStdout = true
        func emit(_ target: String?, _ text: () throws -> Data) throws {
            guard let t = target else { return }
            let data = try text()
            if t == "-" {
                tableToStdout = false
                out(String(decoding: data, as: UTF8.self))
            } else {
                try data.write(to: URL(fileURLWithPath: t))
            }
        }
        try emit(json) { try Reports.json(result, analysis) + Data("\n".utf8) }
        try emit(markdown) { Data(Reports.markdown(result, analysis).utf8) }
        try emit(csv) { Data(Reports.csv(result).utf8) }
        let text = Reports.text(result, analysis)
        if tableToStdout { out(text) } else { err(text) }
    }

    /// `tracejit bench history FILES... -o chart.svg`.
    public func history(files: [String], output: String) -> Int32 {
        do {
            if files.isEmpty { throw BenchError("history needs at least one saved result") }
            let results = try files.map { try BenchResult.load(path: $0) }
            try Data(HistoryChart.svg(results).utf8).write(to: URL(fileURLWithPath: output))
            err("wrote \(output) (\(results.count) results)\n")
            return ExitStatus.ok
        } catch {
            err("tracejit bench history: \(error)\n")
            return ExitStatus.failure
        }
    }
}
