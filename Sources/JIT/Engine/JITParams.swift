// Every JIT parameter, its default and meaning: `tracejit flags` prints this table and
// `--jit-param name=value` sets any entry (like LuaJIT's -O params or HotSpot's -XX flags).

public enum HotnessMode: String, Sendable {
    /// Hot loops are found by the sampling profiler (J9-style): the default.
    case sample
    /// LuaJIT-style back-edge counters.
    case counter
    /// Every loop is hot at once (`--jit-eager`).
    case eager
}

public enum JITBackend: String, Sendable {
    /// The IR interpreter (the reference).
    case ir
    /// x86-64 machine code.
    case native
}

public struct JITParams: Sendable, Equatable {
    public var hotness: HotnessMode = .sample
    public var backend: JITBackend = .native
    /// Counter mode: back-edges before a loop is hot.
    public var hotloop = 56
    /// Sampling mode: samples that must land in a loop (after decay) before it is hot.
    public var hotsamples = 2
    /// Sampling mode: samples per CPU-second taken to find hot loops.
    public var samplerate = 1000
    /// Sampling mode: a loop's credit halves every this many milliseconds of CPU time.
    public var decayms = 50
    /// Function traces: hot function entries become root traces.
    public var functraces = true
    /// Counter mode: calls before a function entry is hot.
    public var hotcall = 112
    /// Sampling mode: samples outside any loop of a function (after decay) before its entry is hot.
    public var hotfuncsamples = 2
    /// Counter and sample hotness: fewest IR instructions of a function trace that hands back to
    /// the interpreter (`return`, `tail call`, `-> interpreter`); shorter ones abort.
    public var minfuncins = 40
    /// Down-recursion: returns into frames of a function a trace makes before it stops at a
    /// further return into a frame of it (Recorder.downRecursion; LuaJIT's recunroll).
    public var recunroll = 1
    /// Exits of one guard before a side trace is recorded from it (under sample hotness the
    /// sampler must also have found the exit hot, unless `hotexitsamples` is 0).
    public var hotexit = 10
    /// Sampling mode: sampled exit events of one guard (each counts once, after decay) that make it
    /// hot (a side trace also needs `hotexit` takings); 0: exits are only counted, as in counter mode.
    public var hotexitsamples = 1
    /// Sampling mode: an exit's sample credit halves every this many ms of CPU time (0: never).
    public var exitdecayms = 50

    /// Whether side exits get hot by samples (sample hotness with `hotexitsamples` > 0) rather
    /// than by counting takings.
    public var sampledExits: Bool { hotness == .sample && hotexitsamples > 0 }
    /// Longest trace, in IR instructions.
    public var maxrecord = 4000
    /// Most snapshots per trace.
    public var maxsnap = 500
    /// Deepest inlined call inside a trace.
    public var maxinline = 8
    /// Back-edges of inner loops without a trace of their own that one recording unrolls.
    public var loopunroll = 15
    public var unrollshort = 15
    public var unrollins = 400
    /// Most side traces per root trace.
    public var maxside = 100
    /// Failed side-trace recordings per exit before the exit is left to the interpreter.
    public var tryside = 4
    /// Most traces alive at once (more flush all traces).
    public var maxtrace = 1000
    /// Aborted recordings of one loop before it is blacklisted.
    public var maxabort = 6
    /// Counter/sample mode: recordings of a root loop trace that reached the trace of an inner
    /// loop retried at the next back-edge before one links to it (Recorder.loopHeader).
    public var tryinner = 4
    /// Machine-code budget in KB (exhausted: all traces are flushed).
    public var maxmcode = 32768
    /// Optimization passes.
    public var fold = true
    public var cse = true
    public var dce = true
    public var loopopt = true
    /// Integer narrowing of numeric for loops in root traces (RecordNarrow.swift).
    public var narrow = true

    public init() {}

    public var passOptions: PassOptions {
        var o = PassOptions()
        o.fold = fold
        o.cse = cse
        o.dce = dce
        o.loop = loopopt
        return o
    }

    public struct Entry: Sendable {
        public let name: String
        public let meaning: String
        public let get: @Sendable (JITParams) -> String
        public let set: @Sendable (inout JITParams, String) -> Bool
    }

    private static func int(_ name: String, _ kp: WritableKeyPath<JITParams, Int> & Sendable, min: Int = 0, _ meaning: String) -> Entry {
        Entry(name: name, meaning: meaning, get: { String($0[keyPath: kp]) }, set: { p, s in
            guard let v = Int(s), v >= min else { return false }
            p[keyPath: kp] = v
            return true
        })
    }

    private static func flag(_ name: String, _ kp: WritableKeyPath<JITParams, Bool> & Sendable, _ meaning: String) -> Entry {
        Entry(name: name, meaning: meaning, get: { $0[keyPath: kp] ? "1" : "0" }, set: { p, s in
            switch s {
            case "1", "on", "true", "yes": p[keyPath: kp] = true
            case "0", "off", "false", "no": p[keyPath: kp] = false
            default: return false
            }
            return true
        })
    }

    /// The table, in the order `tracejit flags` prints it.
    public static let entries: [Entry] = [
        Entry(name: "hotness", meaning: "how hot loops are found: sample (the profiler's samples), counter (back-edge counts), eager (at once)",
              get: { $0.hotness.rawValue }, set: { p, s in
                  guard let m = HotnessMode(rawValue: s) else { return false }
                  p.hotness = m
                  return true
              }),
        Entry(name: "backend", meaning: "what runs traces: native (x86-64 code) or ir (the IR interpreter, the reference)",
              get: { $0.backend.rawValue }, set: { p, s in
                  guard let b = JITBackend(rawValue: s) else { return false }
                  p.backend = b
                  return true
              }),
        int("hotloop", \.hotloop, min: 1, "counter mode: loop back-edges before a loop is hot"),
        int("hotsamples", \.hotsamples, min: 1, "sample mode: samples inside a loop (after decay) before it is hot"),
        int("samplerate", \.samplerate, min: 1, "sample mode: samples per CPU-second"),
        int("decayms", \.decayms, min: 1, "sample mode: a loop's sample credit halves every this many ms of CPU time"),
        flag("functraces", \.functraces, "hot function entries (calls of functions, outside their loops) become root traces"),
        int("hotcall", \.hotcall, min: 1, "counter mode: calls of a function before its entry is hot"),
        int("hotfuncsamples", \.hotfuncsamples, min: 1, "sample mode: samples in a function outside its loops (after decay) before its entry is hot"),
        int("recunroll", \.recunroll, min: 1, "returns into frames of one function a trace makes before it stops at another (down-recursion: a return trace takes over)"),
        int("minfuncins", \.minfuncins, "counter/sample mode: fewest IR instructions of a function trace that ends in the interpreter (shorter ones abort)"),
        int("hotexit", \.hotexit, min: 1, "exits through one guard before a side trace is recorded from it (sample mode: and the sampler found it hot)"),
        Entry(name: "hotexitsamples", meaning: "sample mode: sampled takings of one exit (one credit each, after decay) before it grows a side trace; 0: count takings (hotexit)",
              get: { String($0.hotexitsamples) }, set: { p, s in
                  guard let v = Int(s), v >= 0 else { return false }
                  p.hotexitsamples = v
                  return true
              }),
        int("exitdecayms", \.exitdecayms, "sample mode: an exit's sample credit halves every this many ms of CPU time (0: never)"),
        int("maxrecord", \.maxrecord, min: 10, "longest trace, in IR instructions"),
        int("maxsnap", \.maxsnap, min: 2, "most snapshots in one trace"),
        int("maxinline", \.maxinline, "deepest inlined Lua call inside a trace"),
        int("loopunroll", \.loopunroll, "back-edges of inner loops without a trace that one recording unrolls"),
        int("unrollshort", \.unrollshort, "largest trip count of a numeric for loop (constant start and step) unrolled into the trace entering it; 0: never"),
        int("unrollins", \.unrollins, "most IR instructions a short loop's unrolled iterations may come to"),
        int("maxside", \.maxside, "most side traces per root trace"),
        int("tryside", \.tryside, min: 1, "failed side-trace recordings from one exit before it is left alone"),
        int("maxtrace", \.maxtrace, min: 1, "most traces at once (one more flushes them all)"),
        int("maxabort", \.maxabort, min: 1, "aborted recordings of one loop before it is blacklisted"),
        int("tryinner", \.tryinner, "counter/sample mode: recordings of a root loop trace that reached an inner loop's trace, retried at the next back-edge for a path that stays in its loop, before one links to it (0: link at once)"),
        int("maxmcode", \.maxmcode, min: 64, "machine-code budget in KB (exhausted: all traces are flushed)"),
        flag("fold", \.fold, "constant folding and algebraic simplification"),
        flag("cse", \.cse, "common-subexpression elimination"),
        flag("dce", \.dce, "dead-code elimination"),
        flag("loopopt", \.loopopt, "loop optimization: peel one iteration, hoist invariants, PHIs"),
        flag("narrow", \.narrow, "integer narrowing of numeric for loop counters in root traces"),
    ]

    public enum ParamError: Error, CustomStringConvertible {
        case unknown(String)
        case badValue(String, String)
        case syntax(String)
        public var description: String {
            switch self {
            case .unknown(let n): return "unknown JIT parameter '\(n)' (see `tracejit flags`)"
            case .badValue(let n, let v): return "bad value '\(v)' for JIT parameter '\(n)'"
            case .syntax(let s): return "expected name=value, got '\(s)'"
            }
        }
    }

    /// Applies "name=value".
    public mutating func set(_ assignment: String) throws {
        guard let eq = assignment.firstIndex(of: "=") else { throw ParamError.syntax(assignment) }
        let name = String(assignment[..<eq]), value = String(assignment[assignment.index(after: eq)...])
        guard let e = JITParams.entries.first(where: { $0.name == name }) else { throw ParamError.unknown(name) }
        if !e.set(&self, value) { throw ParamError.badValue(name, value) }
    }
}
