// Model.swift: the in-memory profile every export reads.
//
// A profile is a list of weighted stacks. Each stack is root-first (outermost caller at index 0,
// the sampled frame last) of typed frames: interpreted Lua, JIT (a Lua function running as a
// compiled trace), native (symbolized machine code), GC, or a synthetic VM frame ("[compiler]").
// Weights count timer periods, so missed periods keep totals right; `sampleCount` counts records.

import Foundation

/// What kind of code a frame is; exports color and label frames by kind.
public enum FrameKind: String, Sendable, CaseIterable, Codable {
    case lua, jit, native, gc, vm
}

/// The VM state tag of a sample (mirrors TJ_VMSTATE_* in tj_vm.h).
public enum VMState: Int, Sendable, CaseIterable, Comparable {
    case idle = 0, interpreted = 1, jit = 2, gc = 3, compiler = 4, library = 5, recorder = 6

    public init(tag: UInt32) { self = VMState(rawValue: Int(tag)) ?? .idle }

    public var displayName: String {
        switch self {
        case .idle: return "outside Lua"
        case .interpreted: return "interpreted"
        case .jit: return "JIT code"
        case .gc: return "GC"
        case .compiler: return "trace compiler"
        case .library: return "library functions"
        case .recorder: return "trace recorder"
        }
    }

    public static func < (a: VMState, b: VMState) -> Bool { a.rawValue < b.rawValue }
}

/// One frame of a stack. Identity for aggregation is (kind, name, file, definedLine); `line` is the
/// line of the sampled pc or address in this frame (0 when unknown).
public struct ProfileFrame: Hashable, Sendable {
    public var kind: FrameKind
    public var name: String
    public var file: String
    public var line: Int
    public var definedLine: Int

    public init(kind: FrameKind, name: String, file: String = "", line: Int = 0, definedLine: Int = 0) {
        self.kind = kind
        self.name = name
        self.file = file
        self.line = line
        self.definedLine = definedLine
    }

    /// The frame without its sampled line: what flame graphs and "by function" tables merge on.
    public var function: ProfileFrame {
        var f = self
        f.line = 0
        return f
    }

    /// The one-line label used in folded stacks and flame graphs. Lua functions read
    /// `name (file:defined)`, JIT frames add flamegraph.pl's `_[j]` suffix, GC and VM frames
    /// are bracketed, native frames are their (demangled) symbol. `FoldedStacks.frame(fromLabel:)`
    /// inverts it.
    public var label: String {
        switch kind {
        case .lua, .jit:
            var s = name
            if !file.isEmpty { s += definedLine > 0 ? " (\(file):\(definedLine))" : " (\(file))" }
            return kind == .jit ? s + "_[j]" : s
        case .gc, .vm:
            return name.hasPrefix("[") ? name : "[\(name)]"
        case .native:
            return name
        }
    }

    /// The label people read (text report, SVG, speedscope, pprof): `label` without the folded
    /// format's `_[j]` marker when the name already says which trace it ran in
    /// (`fib [trace 3] (fib.lua:8)`).
    public var displayLabel: String {
        let l = label
        return kind == .jit && name.contains("[trace ") ? String(l.dropLast(4)) : l
    }

    /// `file:line` of the sampled position, or "" when unknown.
    public var location: String {
        if file.isEmpty { return "" }
        return line > 0 ? "\(file):\(line)" : file
    }
}

/// A stack with its weight (timer periods) and the VM state it was sampled in.
public struct WeightedStack: Sendable, Equatable {
    public var frames: [ProfileFrame]  // root-first
    public var weight: Int
    public var state: VMState
    /// The trace the sample ran in (its innermost JIT frame's trace), 0 for none.
    public var trace: Int

    public init(frames: [ProfileFrame], weight: Int, state: VMState = .interpreted, trace: Int = 0) {
        self.frames = frames
        self.weight = weight
        self.state = state
        self.trace = trace
    }
}

/// A finished profile plus the sampler's own accounting.
public struct Profile: Sendable {
    public var stacks: [WeightedStack]
    public var sampleCount: Int          // records (signals that produced a sample)
    public var periodNanoseconds: UInt64 // one unit of weight
    public var requestedHz: Int
    public var cpuSeconds: Double        // the sampled thread's CPU time while sampling
    public var wallSeconds: Double
    public var missedPeriods: Int
    public var dropped: Int              // records lost to a full ring
    public var droppedWeight: Int
    public var timer: String             // "perf task-clock" / "setitimer" / "synthetic"
    public var startTime: Date
    /// CPU seconds spent inside the signal handler's body (kernel delivery not included).
    public var handlerSeconds: Double = 0
    /// Times the perf timer's period was doubled (the handler and its signal took more than a
    /// quarter of a period), and the period it ended with.
    public var throttles: Int = 0
    public var finalPeriodNanoseconds: UInt64 = 0

    public init(stacks: [WeightedStack], sampleCount: Int? = nil, periodNanoseconds: UInt64 = 1_000_000,
                requestedHz: Int = 1000, cpuSeconds: Double? = nil, wallSeconds: Double? = nil,
                missedPeriods: Int = 0, dropped: Int = 0, droppedWeight: Int = 0,
                timer: String = "synthetic", startTime: Date = Date(timeIntervalSince1970: 0)) {
        self.stacks = stacks
        self.sampleCount = sampleCount ?? stacks.count
        self.periodNanoseconds = periodNanoseconds
        self.requestedHz = requestedHz
        let total = stacks.reduce(0) { $0 + $1.weight }
        let cpu = cpuSeconds ?? Double(total) * Double(periodNanoseconds) / 1e9
        self.cpuSeconds = cpu
        self.wallSeconds = wallSeconds ?? cpu
        self.missedPeriods = missedPeriods
        self.dropped = dropped
        self.droppedWeight = droppedWeight
        self.timer = timer
        self.startTime = startTime
    }

    public var totalWeight: Int { stacks.reduce(0) { $0 + $1.weight } }

    /// Samples per CPU-second actually taken.
    public var achievedHz: Double { cpuSeconds > 0 ? Double(sampleCount) / cpuSeconds : 0 }

    /// Weight per VM state.
    public var stateWeights: [VMState: Int] {
        var w: [VMState: Int] = [:]
        for s in stacks { w[s.state, default: 0] += s.weight }
        return w
    }

    /// Stacks with equal frames merged (order of first appearance kept).
    public func merged() -> Profile {
        var index: [[ProfileFrame]: Int] = [:]
        var out: [WeightedStack] = []
        for s in stacks {
            if let i = index[s.frames], out[i].state == s.state, out[i].trace == s.trace {
                out[i].weight += s.weight
            } else {
                index[s.frames] = out.count
                out.append(s)
            }
        }
        var p = self
        p.stacks = out
        return p
    }
}
