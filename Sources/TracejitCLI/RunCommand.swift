// `tracejit run`: load a Lua source file or a .bc file (told apart by the file's magic) and run it.
//
//     tracejit run [options] prog.lua|prog.bc [script args...]
//     tracejit run [options] -e 'chunk' [script args...]
//
// Options may also follow the program name (`tracejit run prog.bc --interp-only`); arguments after
// `--` always go to the script. Script arguments land in the global `arg` table as `lua` puts them
// (arg[0] = script name, arg[1...] = arguments). Exit status: 0, os.exit's code, or 1 after an
// uncaught error (printed as `tracejit: msg` plus a stack traceback on stderr).
//
// Profiling (docs/profiler.md): `--profile[=lua|mixed]`, `--profile-out FILE`, `--sample-rate HZ`,
// `--flamegraph F.svg`, `--folded F.txt`, `--speedscope F.json`, `--pprof F.pb.gz` (each output
// implies sampling). They are parsed by RunOptions.absorb wherever they stand, like every option here.
import ArgumentParser
import Frontend
import Profiler
import Runtime
#if canImport(Glibc)
import Glibc
#endif

public struct RunCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Lua program (source or .bc).",
        discussion: """
            Options may stand before or after the program name. Arguments after `--` always go to \
            the script. Environment: TRACEJIT_GC_STRESS=1 is the same as --gc-stress.

            Profiling: --profile[=lua|mixed] samples the program and prints a report on stderr \
            after the run (mixed adds native frames); --profile-out FILE writes the report to FILE; \
            --sample-rate HZ (default 1000); --flamegraph OUT.svg, --folded OUT.txt, \
            --speedscope OUT.json, --pprof OUT.pb.gz write those formats (each implies sampling).

            JIT (docs/jit.md): on by default (--interp-only turns it off; --jit is accepted and \
            changes nothing). --jit-eager (every loop hot at once); --jit-backend ir|native; \
            --hotness sample|counter|eager (default sample: the sampler finds hot loops); \
            --jit-param name=value sets any JIT parameter (repeatable; `tracejit flags` lists them \
            all with defaults and meanings, and shows the effective values for the same --jit-param \
            options); --jit-log (one line per trace event on \
            stderr); --dump-traces[=b,i,s,m]; --jit-out FILE (log and dumps to FILE); --perf-map \
            (write /tmp/perf-<pid>.map, Linux perf's symbols for the native traces).
            """)

    @Option(name: .customShort("e"), help: "Run the given chunk of Lua source.")
    var chunk: [String] = []

    @Flag(name: .customLong("interp-only"), help: "Run with the JIT off (the interpreter only).")
    var interpOnly = false

    @Option(name: .customLong("max-memory"),
            help: "Heap ceiling (bytes, or with a K/M/G suffix); allocation past it raises 'not enough memory'.")
    var maxMemory: String?

    @Flag(name: .customLong("gc-stress"), help: "Run a full garbage collection at every allocation (slow; for testing).")
    var gcStress = false

    @Argument(parsing: .captureForPassthrough, help: "The program file, then the script's arguments.")
    var rest: [String] = []

    public init() {}

    public mutating func run() throws {
        var options = RunOptions()
        options.chunks = chunk
        options.interpOnly = interpOnly
        options.gcStress = gcStress
        if let m = maxMemory { options.maxMemoryText = m }
        do {
            try options.absorb(rest)
        } catch let e as RunOptions.UsageError {
            throw ValidationError(e.message)
        }
        let status = runProgram(options)
        throw ExitCode(status)
    }
}

/// Parsed `run` arguments, kept apart from ArgumentParser so tests can build them directly.
public struct RunOptions {
    public var chunks: [String] = []
    public var program: String?
    public var scriptArgs: [String] = []
    public var interpOnly = false
    public var gcStress = false
    public var maxMemoryText: String?
    /// Sampling profiler settings; nil when no profiling option was given.
    public var profile: ProfileOptions?
    /// JIT settings (RunJIT.swift).
    public var jit = JITRunOptions()
    /// Whether --sample-rate was given (it then also sets the rate sample hotness runs at).
    var sampleRateGiven = false

    public init() {}

    /// The profile options, created (Lua mode, report on stderr) on first use.
    private mutating func withProfile(_ f: (inout ProfileOptions) -> Void) {
        var p = profile ?? ProfileOptions()
        f(&p)
        profile = p
    }

    /// Handles a profiling option (`name` without any `=value`); returns false when `name` is none.
    private mutating func absorbProfileOption(_ name: String, inline: String?, next: () throws -> String) throws -> Bool {
        switch name {
        case "--profile":
            switch inline {
            case nil, "lua": withProfile { $0.mode = .lua }
            case "mixed": withProfile { $0.mode = .mixed }
            default: throw UsageError(message: "bad --profile mode '\(inline ?? "")' (lua or mixed)")
            }
        case "--profile-out":
            let v = try inline ?? next()
            withProfile { $0.reportPath = v }
        case "--sample-rate":
            let v = try inline ?? next()
            guard let hz = Int(v), hz >= 1, hz <= 100_000 else {
                throw UsageError(message: "bad --sample-rate value '\(v)' (1 to 100000 Hz)")
            }
            withProfile { $0.sampler.hz = hz }
            sampleRateGiven = true
        case "--flamegraph":
            let v = try inline ?? next()
            withProfile { $0.flamegraphPath = v }
        case "--folded":
            let v = try inline ?? next()
            withProfile { $0.foldedPath = v }
        case "--speedscope":
            let v = try inline ?? next()
            withProfile { $0.speedscopePath = v }
        case "--pprof":
            let v = try inline ?? next()
            withProfile { $0.pprofPath = v }
        default:
            return false
        }
        return true
    }

    struct UsageError: Error { let message: String }

    /// Takes the arguments ArgumentParser left over: the program name, script arguments, and any of
    /// our options that follow the program name (until `--`).
    mutating func absorb(_ args: [String]) throws {
        var i = 0
        var sawTerminator = false
        while i < args.count {
            let a = args[i]
            i += 1
            if sawTerminator {
                if program == nil && chunks.isEmpty { program = a } else { scriptArgs.append(a) }
                continue
            }
            switch a {
            case "--": sawTerminator = true
            case "--interp-only": interpOnly = true
            case "--gc-stress": gcStress = true
            case "-e":
                guard i < args.count else { throw UsageError(message: "missing chunk after -e") }
                chunks.append(args[i]); i += 1
            case "--max-memory":
                guard i < args.count else { throw UsageError(message: "missing value after --max-memory") }
                maxMemoryText = args[i]; i += 1
            default:
                let eq = a.hasPrefix("--") ? a.firstIndex(of: "=") : nil
                let name = eq.map { String(a[..<$0]) } ?? a
                let inline = eq.map { String(a[a.index(after: $0)...]) }
                let next: () throws -> String = {
                    guard i < args.count else { throw UsageError(message: "missing value after \(name)") }
                    i += 1
                    return args[i - 1]
                }
                if try absorbProfileOption(name, inline: inline, next: next) { continue }
                if try absorbJITOption(name, inline: inline, next: next) { continue }
                if a.hasPrefix("--max-memory=") {
                    maxMemoryText = String(a.dropFirst("--max-memory=".count))
                } else if a.hasPrefix("-") && a != "-" {
                    throw UsageError(message: "unknown option '\(a)' (put script arguments after '--')")
                } else if program == nil && chunks.isEmpty {
                    program = a
                } else {
                    scriptArgs.append(a)
                }
            }
        }
        if program == nil && chunks.isEmpty { throw UsageError(message: "no program given (a file or -e 'chunk')") }
        if let m = maxMemoryText, RunOptions.parseSize(m) == nil {
            throw UsageError(message: "bad --max-memory value '\(m)'")
        }
    }

    static func parseSize(_ s: String) -> Int? {
        var t = s.uppercased()
        var mul = 1
        if t.hasSuffix("B") { t.removeLast() }
        if let last = t.last, let m = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30][String(last)] {
            mul = m; t.removeLast()
        }
        guard let n = Int(t), n > 0 else { return nil }
        let (r, o) = n.multipliedReportingOverflow(by: mul)
        return o ? nil : r
    }
}

/// Runs a program the way `tracejit run` does and returns the exit status. Output goes to the
/// process's stdout/stderr.
public func runProgram(_ o: RunOptions) -> Int32 {
    var vmOptions = VMOptions()
    vmOptions.gcStress = o.gcStress || getenv("TRACEJIT_GC_STRESS").map { String(cString: $0) == "1" } == true
    if let m = o.maxMemoryText { vmOptions.maxMemory = RunOptions.parseSize(m) }
    let vm = LuaVM(options: vmOptions)
    defer { vm.flushOutput() }
    var chunks: [(bytes: [UInt8], name: String)] = []
    for c in o.chunks { chunks.append((Array(c.utf8), "=(command line)")) }
    let scriptName = o.program ?? (o.chunks.isEmpty ? "" : "-e")
    if let p = o.program {
        guard let data = try? ProgramLoader.readFile(p) else {
            fputs("tracejit: cannot open \(p)\n", stderr)
            return 1
        }
        chunks.append((data, "@" + p))
    }
    vm.setScriptArguments(scriptName: scriptName, args: o.scriptArgs)
    let jit = attachJIT(vm, o)
    defer {
        if let (engine, out) = jit {
            if o.jit.log { for l in engine.hotExitLines(top: 10) { out.write(l + "\n") } }
            out.close()
        }
    }
    let stats = RunStats.fromEnvironment()
    stats.jit = jit?.0
    // Sample hotness: the sampler finds hot loops (shared with --profile when both are on).
    var hotness: SampleHotness?
    if let engine = jit?.0, engine.params.hotness == .sample {
        let hz = o.profile != nil && o.sampleRateGiven ? o.profile!.sampler.hz : engine.params.samplerate
        hotness = SampleHotness(engine: engine, sampleHz: hz)
    }
    stats.hotness = hotness
    let status: Int32
    if var profileOptions = o.profile {
        if let h = hotness { profileOptions.sampler.hz = h.sampleHz }
        status = runProfiled(vm, chunks, profileOptions, stats, hotness: hotness)
    } else if let h = hotness {
        status = withHotnessSampler(vm, h) { _ in runChunks(vm, chunks, stats) }
    } else {
        // on one VM thread, as the sampled paths run: every chunk and run on it (and the stats'
        // per-run thread CPU times are that thread's)
        status = vm.runOnVMThread { runChunks(vm, chunks, stats) }
    }
    stats.write(vm: vm)
    return status
}

/// Runs the chunks in order; the last one (the program) runs `stats.iterationCount` times.
private func runChunks(_ vm: LuaVM, _ chunks: [(bytes: [UInt8], name: String)], _ stats: RunStats) -> Int32 {
    for (i, (bytes, name)) in chunks.enumerated() {
        let repeats = i == chunks.count - 1 ? stats.iterationCount : 1
        for r in 0..<repeats {
            let status = stats.timeIteration(r, timed: repeats > 1) { vm.runMainChunk(bytes: bytes, chunkName: name) }
            if status != 0 || vm.exitRequested { return status }
        }
    }
    return 0
}

/// The interpreter's call-record layout, for the sampler's Lua frame walk.
func interpreterFrameLayout() -> FrameLayout {
    typealias L = InterpreterFrameLayout
    return FrameLayout(callRecordStride: L.callRecordStride, recordsPointerOffset: L.recordsPointerOffset,
                       recordCountOffset: L.recordCountOffset, pcOffset: L.pcOffset, closureOffset: L.closureOffset,
                       flagsOffset: L.flagsOffset, luaFlag: L.luaFlag)
}

/// Runs the chunks with the sampler on, all on the VM thread (the sampler samples the thread that
/// starts it), then writes the report and exports. A profiler that cannot start is reported and
/// the program runs unprofiled.
private func runProfiled(_ vm: LuaVM, _ chunks: [(bytes: [UInt8], name: String)], _ options: ProfileOptions,
                         _ stats: RunStats, hotness: SampleHotness?) -> Int32 {
    vm.heap.recordPrototypes()
    let session = ProfileSession(options: options, frameLayout: interpreterFrameLayout())
    if let h = hotness {
        session.sampleObserver = h.observer
        session.observerWantsPromptDrain = h.wantsPromptDrain
    }
    var profile: Profile?
    var startError: String?
    var status: Int32 = 0
    vm.runOnVMThread {
        do { try session.start() } catch { startError = "\(error)" }
        if startError == nil && stats.alternateProfile {
            // With the JIT's sample hotness the timer must keep running: the unprofiled runs take
            // records as the hotness-only sampler would.
            stats.pauseSampling = hotness == nil ? { session.setPaused($0) } : { session.setHotnessOnly($0) }
        }
        status = runChunks(vm, chunks, stats)
        stats.pauseSampling = nil
        if startError == nil {
            let namer = BytecodeFrameNamer(protos: vm.heap.prototypesByID, builtins: vm.builtinNames)
            profile = session.stop(luaNamer: namer, jitRegistry: stats.jit.map { TraceCodeRegistry(map: $0.codeMap) },
                                   interpreterSymbols: InterpreterFrameLayout.interpreterSymbols)
        }
    }
    vm.flushOutput()
    if let e = startError { fputs("tracejit: profiler could not start: \(e)\n", stderr) }
    if let p = profile {
        stats.samples = p.sampleCount
        do {
            try session.writeOutputs(p)
        } catch {
            fputs("tracejit: profile: \(error)\n", stderr)
            if status == 0 { status = 1 }
        }
    }
    return status
}
