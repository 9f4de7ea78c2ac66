// Suite.swift: what a benchmark session runs and the record it produces.
//
// A session runs every program under every subject (the tracejit build under test, a `--vs` build,
// `--peer` interpreters), interleaved: for each program, round after round, every subject runs once
// per round, and the order alternates (A B C, C B A, A B C, ...), so slow drift of the machine's load
// and any first-or-last position effect hit all subjects alike. Warm-up rounds run the same way and
// are discarded. Each run is a fresh process (see ProcessRunner.swift).
//
// The record (`BenchResult`) keeps every run's values, not only summaries, together with the
// machine's facts; it is the baseline format (`--save`, `--compare`) and the input of `history`.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct Subject: Codable, Equatable {
    public enum Role: String, Codable { case main, vs, peer }
    /// Short name used in tables ("tracejit", "luajit -joff", ...).
    public var name: String
    /// The command the program file and its arguments are appended to.
    public var command: String
    public var role: Role

    public init(name: String, command: String, role: Role) {
        self.name = name
        self.command = command
        self.role = role
    }
}

public struct BenchProgram: Codable, Equatable {
    /// The file name ("nbody.lua"), the key programs are matched by across results.
    public var name: String
    public var path: String
    /// Arguments after the file (the size), empty for the program's default.
    public var args: [String]

    public init(name: String, path: String, args: [String]) {
        self.name = name
        self.path = path
        self.args = args
    }
}

public enum Metric: String, Codable, CaseIterable {
    case cpu, wall

    public func value(_ s: RunSample) -> Double { self == .cpu ? s.cpuSeconds : s.wallSeconds }
    public var label: String { self == .cpu ? "CPU s" : "wall s" }
}

/// How programs are sized: their default, the small size from sizes.txt, or one argument for all.
public enum SizeChoice: Equatable {
    case programDefault, small, argument(String)

    public init(_ text: String) {
        switch text {
        case "default": self = .programDefault
        case "small": self = .small
        default: self = .argument(text)
        }
    }

    public var text: String {
        switch self {
        case .programDefault: return "default"
        case .small: return "small"
        case .argument(let a): return a
        }
    }
}

public struct MachineFacts: Codable, Equatable {
    public var cpuModel: String
    public var cores: Int
    public var kernel: String
    public var hostname: String
    public var tracejitCommit: String
    public var loadAverage: Double

    public init(cpuModel: String = "", cores: Int = 0, kernel: String = "", hostname: String = "",
                tracejitCommit: String = "", loadAverage: Double = 0) {
        self.cpuModel = cpuModel
        self.cores = cores
        self.kernel = kernel
        self.hostname = hostname
        self.tracejitCommit = tracejitCommit
        self.loadAverage = loadAverage
    }

    /// The facts of this machine. The commit is `git rev-parse HEAD` of the working directory
    /// (with "-dirty" when `git status --porcelain` lists tracked changes), or "unknown".
    public static func current(runner: ProcessRunner = SpawnRunner()) -> MachineFacts {
        var f = MachineFacts()
        if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = cpu.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            f.cpuModel = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        f.cores = ProcessInfo.processInfo.activeProcessorCount
        var u = utsname()
        if uname(&u) == 0 {
            func str<T>(_ t: T) -> String {
                withUnsafeBytes(of: t) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            }
            f.kernel = "\(str(u.sysname)) \(str(u.release))"
            f.hostname = str(u.nodename)
        }
        var loads = [Double](repeating: 0, count: 3)
        if getloadavg(&loads, 3) > 0 { f.loadAverage = loads[0] }
        f.tracejitCommit = "unknown"
        if let head = try? runner.run(RunRequest(argv: ["git", "rev-parse", "HEAD"])), head.sample.succeeded,
           !head.firstLine.isEmpty {
            f.tracejitCommit = head.firstLine
            if let st = try? runner.run(RunRequest(argv: ["git", "status", "--porcelain", "--untracked-files=no"])),
               st.sample.succeeded, !st.firstLine.isEmpty {
                f.tracejitCommit += "-dirty"
            }
        }
        return f
    }
}

/// Every run of one program.
public struct ProgramRuns: Codable, Equatable {
    public var program: BenchProgram
    /// Samples per subject name, in run order (warm-up runs excluded).
    public var samples: [String: [RunSample]]
    /// The first output line under each subject (programs print one line; a mismatch is suspicious).
    public var output: [String: String]
    /// Subjects under which the program failed (with --keep-going), with the reason.
    public var failures: [String: String]?

    public init(program: BenchProgram, samples: [String: [RunSample]] = [:], output: [String: String] = [:]) {
        self.program = program
        self.samples = samples
        self.output = output
    }

    public func values(_ subject: String, _ metric: Metric) -> [Double] {
        (samples[subject] ?? []).map(metric.value)
    }
}

/// A whole session: the baseline file format (schema version 1).
public struct BenchResult: Codable, Equatable {
    public var schema: Int = 1
    /// ISO 8601, UTC.
    public var date: String
    public var machine: MachineFacts
    /// The command line that produced this result (the "flags").
    public var commandLine: [String]
    public var runs: Int
    public var warmup: Int
    public var size: String
    public var metric: Metric
    public var iterations: Int?
    public var subjects: [Subject]
    public var programs: [ProgramRuns]

    public init(date: String, machine: MachineFacts, commandLine: [String], runs: Int, warmup: Int, size: String,
                metric: Metric, iterations: Int? = nil, subjects: [Subject], programs: [ProgramRuns]) {
        self.date = date
        self.machine = machine
        self.commandLine = commandLine
        self.runs = runs
        self.warmup = warmup
        self.size = size
        self.metric = metric
        self.iterations = iterations
        self.subjects = subjects
        self.programs = programs
    }

    public var mainSubject: Subject? { subjects.first { $0.role == .main } ?? subjects.first }

    public func runs(of program: String) -> ProgramRuns? { programs.first { $0.program.name == program } }

    public func encoded() throws -> Data {
        try BenchJSON.encoder().encode(self)
    }

    /// A saved result (`--save`), or a `--json` export, whose `result` is one.
    public static func decode(_ data: Data) throws -> BenchResult {
        do {
            return try BenchJSON.decoder().decode(BenchResult.self, from: data)
        } catch {
            if let r = try? BenchJSON.decoder().decode(BenchReport.self, from: data) { return r.result }
            throw error
        }
    }

    /// Results of sessions that ran the same subjects with the same settings on different
    /// programs (e.g. concurrent sessions over parts of the suite), as one result: programs in
    /// name order, the earliest date, the highest load average seen at the sessions' starts.
    public static func merged(_ parts: [BenchResult]) throws -> BenchResult {
        guard var out = parts.first else { throw BenchError("no results to merge") }
        for p in parts.dropFirst() {
            if p.subjects != out.subjects {
                throw BenchError("cannot merge results of different subjects: "
                    + out.subjects.map(\.name).joined(separator: ", ") + " vs " + p.subjects.map(\.name).joined(separator: ", "))
            }
            if p.runs != out.runs || p.warmup != out.warmup || p.size != out.size || p.metric != out.metric
                || p.iterations != out.iterations {
                throw BenchError("cannot merge results with different runs, warm-up, size, metric or iterations")
            }
            if p.machine.cpuModel != out.machine.cpuModel || p.machine.hostname != out.machine.hostname
                || p.machine.tracejitCommit != out.machine.tracejitCommit {
                throw BenchError("cannot merge results from different machines or tracejit commits")
            }
            for pr in p.programs {
                if out.programs.contains(where: { $0.program.name == pr.program.name && $0.program.args == pr.program.args }) {
                    throw BenchError("\(pr.program.name) is in more than one result")
                }
                out.programs.append(pr)
            }
            out.date = min(out.date, p.date)
            out.machine.loadAverage = max(out.machine.loadAverage, p.machine.loadAverage)
        }
        out.programs.sort { ($0.program.name, $0.program.args.joined(separator: " ")) < ($1.program.name, $1.program.args.joined(separator: " ")) }
        return out
    }

    public static func load(path: String) throws -> BenchResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchError("cannot read baseline \(path)")
        }
        do { return try decode(data) } catch { throw BenchError("\(path) is not a tracejit bench result: \(error)") }
    }

    public func save(path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try encoded().write(to: URL(fileURLWithPath: path))
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

// MARK: programs

public enum Programs {
    /// Expands files and directories (a directory gives its `*.lua` files, sorted) into programs
    /// sized by `size`. The small size comes from `sizes.txt` next to each program.
    public static func resolve(_ paths: [String], size: SizeChoice) throws -> [BenchProgram] {
        var files: [String] = []
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { throw BenchError("no such program or directory: \(p)") }
            if isDir.boolValue {
                let names = try fm.contentsOfDirectory(atPath: p).filter { $0.hasSuffix(".lua") }.sorted()
                if names.isEmpty { throw BenchError("no .lua programs in \(p)") }
                files += names.map { (p as NSString).appendingPathComponent($0) }
            } else {
                files.append(p)
            }
        }
        var sizesCache: [String: [String: String]] = [:]
        return try files.map { f in
            let name = (f as NSString).lastPathComponent
            switch size {
            case .programDefault: return BenchProgram(name: name, path: f, args: [])
            case .argument(let a): return BenchProgram(name: name, path: f, args: [a])
            case .small:
                let dir = (f as NSString).deletingLastPathComponent
                if sizesCache[dir] == nil {
                    let sizesPath = ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent("sizes.txt")
                    let text = (try? String(contentsOfFile: sizesPath, encoding: .utf8)) ?? ""
                    sizesCache[dir] = parseSizes(text)
                }
                guard let a = sizesCache[dir]?[name] else { throw BenchError("no small size for \(name) in sizes.txt") }
                return BenchProgram(name: name, path: f, args: [a])
            }
        }
    }

    /// `sizes.txt`: `<file> <small argument> <expected line>`, `#` comments.
    public static func parseSizes(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") { continue }
            let w = t.split(separator: " ", maxSplits: 2)
            if w.count >= 2 { out[String(w[0])] = String(w[1]) }
        }
        return out
    }
}

// MARK: session

public struct SessionConfig {
    public var programs: [BenchProgram]
    public var subjects: [Subject]
    public var runs: Int = 5
    public var warmup: Int = 1
    public var metric: Metric = .cpu
    public var size: SizeChoice = .programDefault
    /// In-process iterations requested from subjects that support it (main and vs only).
    public var iterations: Int?
    public var commandLine: [String] = []
    /// Record a failing program/subject and go on (instead of stopping the session).
    public var keepGoing = false

    public init(programs: [BenchProgram], subjects: [Subject]) {
        self.programs = programs
        self.subjects = subjects
    }
}

public enum Session {
    /// The order subjects run in during `round`: forward on even rounds, backward on odd ones.
    public static func order(round: Int, count: Int) -> [Int] {
        round % 2 == 0 ? Array(0..<count) : Array((0..<count).reversed())
    }

    /// Runs the session. `progress` receives a short status line before each run.
    public static func run(_ cfg: SessionConfig, runner: ProcessRunner, machine: MachineFacts,
                           date: Date = Date(), progress: (String) -> Void = { _ in }) throws -> BenchResult {
        guard cfg.runs >= 1 else { throw BenchError("--runs must be at least 1") }
        guard !cfg.subjects.isEmpty else { throw BenchError("nothing to run") }
        let argvs = try cfg.subjects.map { try splitCommand($0.command) }
        for (s, a) in zip(cfg.subjects, argvs) where a.isEmpty { throw BenchError("empty command for \(s.name)") }
        var results: [ProgramRuns] = []
        let total = cfg.programs.count * (cfg.runs + cfg.warmup) * cfg.subjects.count
        var done = 0
        for prog in cfg.programs {
            var pr = ProgramRuns(program: prog)
            for round in 0..<(cfg.warmup + cfg.runs) {
                let warm = round < cfg.warmup
                for si in order(round: round, count: cfg.subjects.count) {
                    let subj = cfg.subjects[si]
                    done += 1
                    if pr.failures?[subj.name] != nil { continue }
                    let what = warm ? "warm-up" : "run \(round - cfg.warmup + 1)/\(cfg.runs)"
                    progress("[\(done)/\(total)] \(prog.name) \(subj.name) \(what)")
                    var env: [String: String] = [:]
                    if let k = cfg.iterations, subj.role != .peer { env[iterationsEnvironmentKey] = String(k) }
                    let req = RunRequest(argv: argvs[si] + [prog.path] + prog.args, environment: env)
                    let out = try runner.run(req)
                    if !out.sample.succeeded {
                        let how = out.sample.signal.map { "signal \($0)" } ?? "exit status \(out.sample.exitStatus)"
                        var msg = "\(prog.name) failed under '\(subj.command)' (\(how))"
                        let tail = out.stderrTail.trimmingCharacters(in: .whitespacesAndNewlines)
                        if !tail.isEmpty { msg += ":\n" + tail }
                        if !cfg.keepGoing { throw BenchError(msg) }
                        pr.failures = pr.failures ?? [:]
                        pr.failures?[subj.name] = msg
                        pr.samples[subj.name] = nil
                        continue
                    }
                    if pr.output[subj.name] == nil { pr.output[subj.name] = out.firstLine }
                    if !warm { pr.samples[subj.name, default: []].append(out.sample) }
                }
            }
            results.append(pr)
        }
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return BenchResult(date: f.string(from: date), machine: machine, commandLine: cfg.commandLine,
                           runs: cfg.runs, warmup: cfg.warmup, size: cfg.size.text, metric: cfg.metric,
                           iterations: cfg.iterations, subjects: cfg.subjects, programs: results)
    }
}
