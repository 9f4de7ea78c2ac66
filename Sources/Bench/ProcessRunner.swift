// ProcessRunner.swift: one benchmark run = one fresh process.
//
// `SpawnRunner` starts the child with posix_spawnp (no shell in between, so the rusage is the
// program's own), waits for it with wait4 and records:
// - wall time: CLOCK_MONOTONIC from just before posix_spawnp to just after wait4 returns;
// - CPU time: ru_utime + ru_stime of the child (including any children it waited for);
// - peak RSS: ru_maxrss (KiB on Linux);
// - the VM's own figures, when the child writes them: the child's environment holds
//   TRACEJIT_STATS_JSON=<path of a fresh temporary file>; a tracejit that supports the stats channel
//   writes one JSON object there when the program ends (see docs/bench.md). Peers ignore it and the
//   file stays empty: the figures are absent, not zero.
// Tests inject a `ProcessRunner` that returns deterministic samples instead.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to run: an argument vector (argv[0] is looked up in PATH) plus extra environment.
public struct RunRequest: Equatable {
    public var argv: [String]
    public var environment: [String: String]
    public var workingDirectory: String?

    public init(argv: [String], environment: [String: String] = [:], workingDirectory: String? = nil) {
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
    }
}

/// The VM's figures from the stats channel (every field optional: absent means "not reported").
public struct VMStats: Codable, Equatable {
    public var traces: Double?
    public var aborts: Double?
    public var exits: Double?
    public var samples: Double?
    /// Share (0...1) of profiler samples that landed in JIT code.
    public var jitSampleShare: Double?
    public var compileSeconds: Double?
    /// Side traces among `traces`.
    public var sideTraces: Double?
    /// CPU seconds from the JIT's start to its first trace (time to first trace).
    public var firstTraceSeconds: Double?
    public var gcCount: Double?
    public var gcSeconds: Double?
    /// Seconds of each in-process iteration when TRACEJIT_BENCH_ITERATIONS was honoured.
    public var iterations: [Double]?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case traces, aborts, exits, samples
        case jitSampleShare = "jit_sample_share"
        case compileSeconds = "compile_seconds"
        case sideTraces = "side_traces"
        case firstTraceSeconds = "first_trace_seconds"
        case gcCount = "gc_count"
        case gcSeconds = "gc_seconds"
        case iterations
    }

    public var isEmpty: Bool { self == VMStats() }
}

/// One run's measurements.
public struct RunSample: Codable, Equatable {
    public var wallSeconds: Double
    public var cpuSeconds: Double
    public var userSeconds: Double
    public var systemSeconds: Double
    public var maxRSSKiB: Int
    public var exitStatus: Int32
    /// The signal that ended the child, if one did.
    public var signal: Int32?
    public var vm: VMStats?

    public init(wallSeconds: Double, cpuSeconds: Double, userSeconds: Double = 0, systemSeconds: Double = 0,
                maxRSSKiB: Int = 0, exitStatus: Int32 = 0, signal: Int32? = nil, vm: VMStats? = nil) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.userSeconds = userSeconds
        self.systemSeconds = systemSeconds
        self.maxRSSKiB = maxRSSKiB
        self.exitStatus = exitStatus
        self.signal = signal
        self.vm = vm
    }

    public var succeeded: Bool { exitStatus == 0 && signal == nil }
}

/// The result of running a request: the sample plus the tail of what the child wrote to stderr
/// (kept to explain a failure) and its first stdout line.
public struct RunOutcome {
    public var sample: RunSample
    public var stderrTail: String
    public var firstLine: String

    public init(sample: RunSample, stderrTail: String = "", firstLine: String = "") {
        self.sample = sample
        self.stderrTail = stderrTail
        self.firstLine = firstLine
    }
}

public struct RunnerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

public protocol ProcessRunner {
    func run(_ request: RunRequest) throws -> RunOutcome
}

/// Environment variable naming the file the child writes its VM figures to (JSON).
public let statsEnvironmentKey = "TRACEJIT_STATS_JSON"
/// Environment variable asking the child to run its main chunk K times, timing each iteration.
public let iterationsEnvironmentKey = "TRACEJIT_BENCH_ITERATIONS"

/// The real runner: fresh process per run, posix_spawnp + wait4, through the `tj-spawn` helper when
/// it is found (next to the running executable, or TRACEJIT_SPAWN_HELPER) so the peak RSS is the
/// program's own; without it the child is spawned directly and its ru_maxrss is at least this
/// process's own peak (see tj-spawn/main.c).
public struct SpawnRunner: ProcessRunner {
    public var scratchDirectory: String
    public var helperPath: String?

    public init(scratchDirectory: String = NSTemporaryDirectory(), helperPath: String? = SpawnRunner.locateHelper()) {
        self.scratchDirectory = scratchDirectory
        self.helperPath = helperPath
    }

    public static func locateHelper() -> String? {
        if let h = ProcessInfo.processInfo.environment["TRACEJIT_SPAWN_HELPER"], access(h, X_OK) == 0 { return h }
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return nil }
        let exe = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let h = ((exe as NSString).deletingLastPathComponent as NSString).appendingPathComponent("tj-spawn")
        return access(h, X_OK) == 0 ? h : nil
    }

    public func run(_ request: RunRequest) throws -> RunOutcome {
        guard !request.argv.isEmpty else { throw RunnerError("empty command") }
        let tag = "tjbench-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let base = (scratchDirectory as NSString).appendingPathComponent(tag)
        let statsPath = base + ".stats.json", outPath = base + ".out", errPath = base + ".err"
        let rusagePath = base + ".rusage"
        defer { for p in [statsPath, outPath, errPath, rusagePath] { unlink(p) } }
        // An empty stats file exists up front, so the child may open it for writing either way.
        _ = FileManager.default.createFile(atPath: statsPath, contents: nil)

        var env = ProcessInfo.processInfo.environment
        for (k, v) in request.environment { env[k] = v }
        env[statsEnvironmentKey] = statsPath

        var fa = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fa)
        defer { posix_spawn_file_actions_destroy(&fa) }
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fa, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&fa, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var cwdSaved: String?
        if let wd = request.workingDirectory {
            // posix_spawn_file_actions_addchdir_np is not in every libc; chdir around the spawn.
            cwdSaved = FileManager.default.currentDirectoryPath
            guard chdir(wd) == 0 else { throw RunnerError("cannot enter directory \(wd)") }
        }
        defer { if let c = cwdSaved { _ = chdir(c) } }

        let fullArgv = helperPath.map { [$0, rusagePath] + request.argv } ?? request.argv
        let argv: [UnsafeMutablePointer<CChar>?] = fullArgv.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let t0 = monotonicSeconds()
        let rc = posix_spawnp(&pid, fullArgv[0], &fa, nil, argv, envp)
        guard rc == 0 else {
            throw RunnerError("cannot start '\(fullArgv[0])': \(String(cString: strerror(rc)))")
        }
        var status: Int32 = 0
        var ru = rusage()
        while wait4(pid, &status, 0, &ru) < 0 {
            if errno != EINTR { throw RunnerError("wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let wall = monotonicSeconds() - t0
        var user = Double(ru.ru_utime.tv_sec) + Double(ru.ru_utime.tv_usec) / 1e6
        var sys = Double(ru.ru_stime.tv_sec) + Double(ru.ru_stime.tv_usec) / 1e6
        var maxRSS = Int(ru.ru_maxrss)
        if helperPath != nil {
            // The helper's line: the program's own rusage and wait status.
            guard let text = try? String(contentsOfFile: rusagePath, encoding: .utf8) else {
                let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
                throw RunnerError("the spawn helper failed for '\(request.argv[0])': \(err)")
            }
            let f = text.split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }
            if f.count >= 4 {
                user = Double(f[0]) / 1e6
                sys = Double(f[1]) / 1e6
                maxRSS = f[2]
                status = Int32(truncatingIfNeeded: f[3])
            }
        }
        let termSig = status & 0x7f
        let exited = termSig == 0
        var sample = RunSample(wallSeconds: wall, cpuSeconds: user + sys, userSeconds: user, systemSeconds: sys,
                               maxRSSKiB: maxRSS,
                               exitStatus: exited ? (status >> 8) & 0xff : -1,
                               signal: exited ? nil : termSig)
        if let data = FileManager.default.contents(atPath: statsPath), !data.isEmpty {
            sample.vm = try? JSONDecoder().decode(VMStats.self, from: data)
        }
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        return RunOutcome(sample: sample, stderrTail: String(err.suffix(600)),
                          firstLine: String(out.split(separator: "\n", maxSplits: 1).first ?? ""))
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Splits a command string into words: whitespace separates, single and double quotes group,
/// backslash escapes the next character (outside single quotes). No expansion of any kind.
public func splitCommand(_ s: String) throws -> [String] {
    var words: [String] = []
    var cur = ""
    var inWord = false
    var quote: Character?
    var it = s.makeIterator()
    while let c = it.next() {
        if let q = quote {
            if c == q {
                quote = nil
            } else if c == "\\" && q == "\"", let n = it.next() {
                cur.append(n)
            } else {
                cur.append(c)
            }
        } else if c == "'" || c == "\"" {
            quote = c
            inWord = true
        } else if c == "\\" {
            if let n = it.next() { cur.append(n) }
            inWord = true
        } else if c == " " || c == "\t" || c == "\n" {
            if inWord { words.append(cur) }
            cur = ""
            inWord = false
        } else {
            cur.append(c)
            inWord = true
        }
    }
    if quote != nil { throw RunnerError("unterminated quote in command: \(s)") }
    if inWord { words.append(cur) }
    return words
}
