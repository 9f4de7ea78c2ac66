// Analysis.swift: self/total time by function and self time by source line.

import Foundation

public struct FunctionStat: Sendable, Equatable {
    public var function: ProfileFrame  // line = 0
    public var selfWeight: Int
    public var totalWeight: Int
}

public struct LineStat: Sendable, Equatable {
    public var function: ProfileFrame  // carries file and line
    public var weight: Int
}

extension Profile {
    /// Per function: self = weight of stacks where it is the innermost frame; total = weight of
    /// stacks it appears in at all (counted once per stack, so recursion does not inflate it).
    /// Sorted by self, then total, then name.
    public func functionStats() -> [FunctionStat] {
        var selfW: [ProfileFrame: Int] = [:]
        var totalW: [ProfileFrame: Int] = [:]
        var seen = Set<ProfileFrame>()
        for s in stacks {
            seen.removeAll(keepingCapacity: true)
            for f in s.frames {
                let fn = f.function
                if seen.insert(fn).inserted { totalW[fn, default: 0] += s.weight }
            }
            if let leaf = s.frames.last { selfW[leaf.function, default: 0] += s.weight }
        }
        return totalW.map { FunctionStat(function: $0.key, selfWeight: selfW[$0.key] ?? 0, totalWeight: $0.value) }
            .sorted {
                ($0.selfWeight, $0.totalWeight) != ($1.selfWeight, $1.totalWeight)
                    ? ($0.selfWeight, $0.totalWeight) > ($1.selfWeight, $1.totalWeight)
                    : $0.function.label < $1.function.label
            }
    }

    /// Self weight per source line of the innermost real frame (synthetic GC/VM frames are looked
    /// through, so GC time is charged to the Lua line that allocated). Samples whose innermost real
    /// frame has no line information (native code without debug info) are left out rather than
    /// charged to a caller.
    public func lineStats() -> [LineStat] {
        var w: [ProfileFrame: Int] = [:]
        for s in stacks {
            guard let f = s.frames.last(where: { $0.kind != .gc && $0.kind != .vm }),
                  f.line > 0, !f.file.isEmpty else { continue }
            w[f, default: 0] += s.weight
        }
        return w.map { LineStat(function: $0.key, weight: $0.value) }
            .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.function.location < $1.function.location }
    }
}

/// Samples in one trace's machine code (or its IR-interpreted run).
public struct TraceStat: Sendable, Equatable {
    public var trace: Int
    public var weight: Int
    /// The trace's base frame (its outermost JIT frame), line 0.
    public var function: ProfileFrame
    /// Self weight per source line of the innermost JIT frame, heaviest first.
    public var lines: [LineStat]
    /// Weight of samples in the trace's entry or exit handling, outside its machine code.
    public var transitionWeight: Int = 0
}

extension Profile {
    /// Weight of samples taken in JIT code (stacks with a trace).
    public var jitWeight: Int { stacks.reduce(0) { $0 + ($1.trace > 0 ? $1.weight : 0) } }

    /// Per trace: its weight and the source lines its samples were attributed to. Sorted by weight,
    /// then trace number. Trace numbers are reused after a flush, so one number may stand for
    /// several traces of different generations; their frames tell them apart.
    public func traceStats() -> [TraceStat] {
        var weight: [Int: Int] = [:]
        var function: [Int: ProfileFrame] = [:]
        var lines: [Int: [ProfileFrame: Int]] = [:]
        var transition: [Int: Int] = [:]
        for s in stacks where s.trace > 0 {
            weight[s.trace, default: 0] += s.weight
            let jitFrames = s.frames.filter { $0.kind == .jit }
            if function[s.trace] == nil, let base = jitFrames.first { function[s.trace] = base.function }
            if s.frames.last?.kind == .vm && s.frames.last?.name == ProfileBuilder.traceTransition {
                transition[s.trace, default: 0] += s.weight
            } else if let leaf = jitFrames.last, leaf.line > 0, !leaf.file.isEmpty {
                lines[s.trace, default: [:]][leaf, default: 0] += s.weight
            }
        }
        return weight.map { t, w in
            let ls = (lines[t] ?? [:]).map { LineStat(function: $0.key, weight: $0.value) }
                .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.function.location < $1.function.location }
            return TraceStat(trace: t, weight: w, function: function[t] ?? ProfileFrame(kind: .jit, name: "[trace \(t)]"),
                             lines: ls, transitionWeight: transition[t] ?? 0)
        }.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.trace < $1.trace }
    }
}
