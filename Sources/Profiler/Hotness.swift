// Hotness.swift: sampling-driven hot-loop detection (ARCHITECTURE decision 7).
//
// A sample taken while interpreting credits the innermost loop around the sampled pc of the
// running frame; once a loop's credit reaches the threshold it is reported hot (once), and the
// runtime marks it so the interpreter starts recording the next time it reaches that header.
// Samples in traces, the GC, the compiler or library functions credit nothing: only interpreted
// time is evidence that a loop needs compiling.
//
// Loop extents come from the bytecode (docs/bytecode.md, "Loops"): FORLOOP and ITERL jump back to
// their body start (extent: target ... header); LOOP sits at the top and jumps past the loop's
// last instruction (extent: header ... target-1). Loops nest properly, so the innermost loop around
// pc is the smallest extent containing it.

import Bytecode
import CVM

/// For each pc of one prototype, the innermost loop header around it.
public struct LoopMap: Sendable, Equatable {
    /// innermost[pc] = header pc of the innermost loop containing pc, or -1.
    public let innermost: [Int32]
    /// (header pc, first pc, last pc) of every loop, in code order of the header.
    public let loops: [(header: Int, first: Int, last: Int)]

    public static func == (a: LoopMap, b: LoopMap) -> Bool {
        a.innermost == b.innermost && a.loops.map { [$0.header, $0.first, $0.last] } == b.loops.map { [$0.header, $0.first, $0.last] }
    }

    public init(code: [Instruction]) {
        var loops: [(header: Int, first: Int, last: Int)] = []
        for (pc, ins) in code.enumerated() {
            guard let op = Opcode(rawValue: ins.opByte) else { continue }
            let target = pc + 1 + ins.jumpOffset
            switch op {
            case .FORLOOP, .ITERL:
                if target >= 0 && target <= pc { loops.append((pc, target, pc)) }
            case .LOOP:
                if target > pc && target <= code.count { loops.append((pc, pc, target - 1)) }
            default: break
            }
        }
        var inner = [Int32](repeating: -1, count: code.count)
        // paint outer (longer) loops first so inner ones overwrite them
        for l in loops.sorted(by: { $0.last - $0.first > $1.last - $1.first }) {
            for pc in l.first...l.last { inner[pc] = Int32(l.header) }
        }
        self.innermost = inner
        self.loops = loops
    }

    /// The header of the innermost loop around `pc`, if any.
    @inline(__always) public func loop(around pc: Int) -> Int? {
        guard pc >= 0 && pc < innermost.count else { return nil }
        let h = innermost[pc]
        return h >= 0 ? Int(h) : nil
    }

    /// The pc the interpreter's loop hook reports for a loop (where recording starts): the body
    /// start (the back-edge's target) for FORLOOP/ITERL, whose extent ends at the header; the
    /// instruction after the header for LOOP, whose extent starts there.
    public static func hookPC(header: Int, first: Int, last: Int) -> Int {
        last == header ? first : header + 1
    }
}

public struct LoopID: Hashable, Sendable, CustomStringConvertible {
    public var proto: UInt32
    public var header: Int
    public init(proto: UInt32, header: Int) {
        self.proto = proto
        self.header = header
    }
    public var description: String { "proto#\(proto)@\(header)" }
}

/// A side exit as sample hotness names it: the snapshot `snap` of trace `trace` in the JIT's code
/// generation `epoch` (`tj_vm_state.code_epoch`; trace ids are reused after a flush, so a mark
/// from another generation names nothing).
public struct ExitID: Hashable, Sendable, CustomStringConvertible {
    public var epoch: UInt32
    public var trace: Int
    public var snap: Int
    public init(epoch: UInt32, trace: Int, snap: Int) {
        self.epoch = epoch
        self.trace = trace
        self.snap = snap
    }
    public var description: String { "exit \(trace)/\(snap)@\(epoch)" }

    /// `tj_vm_state.last_exit` for the `seq`th exit event through (trace, snap) (`tj_exit_pack`;
    /// 0 when they do not fit: such an exit is never credited).
    public static func pack(trace: Int, snap: Int, seq: UInt64) -> UInt64 {
        tj_exit_pack(Int64(trace), Int64(snap), seq)
    }

    /// The exit a packed `last_exit` names (nil for 0).
    public static func unpack(_ v: UInt64, epoch: UInt32) -> ExitID? {
        let t = tj_exit_trace(v)
        guard t != 0 else { return nil }
        return ExitID(epoch: epoch, trace: Int(t), snap: Int(tj_exit_snap(v)))
    }
}

/// Credits samples to loops; reports each loop once when its credit reaches `threshold`.
/// Not thread-safe: feed it from one thread (the sampler's drain thread, or a test).
public final class HotLoopDetector {
    public let threshold: Int
    private let loopMap: (UInt32) -> LoopMap?
    private var maps: [UInt32: LoopMap?] = [:]
    public private(set) var credit: [LoopID: Int] = [:]
    public private(set) var hot: Set<LoopID> = []
    /// Called once per loop when it becomes hot.
    public var onHot: ((LoopID) -> Void)?

    /// `loopMap(protoId)` gives the prototype's loop map (nil for unknown ids); it is asked once
    /// per prototype and cached.
    public init(threshold: Int, loopMap: @escaping (UInt32) -> LoopMap?) {
        self.threshold = max(threshold, 1)
        self.loopMap = loopMap
    }

    /// Credits one sample; returns the loop that became hot because of it, if any.
    @discardableResult
    public func credit(_ s: RawSample, weight: Int = 1) -> LoopID? {
        guard s.state == UInt32(TJ_VMSTATE_INTERP), let top = s.lua.first else { return nil }
        return credit(proto: UInt32(truncatingIfNeeded: top >> 32), pc: Int(UInt32(truncatingIfNeeded: top)), weight: weight)
    }

    @discardableResult
    public func credit(proto: UInt32, pc: Int, weight: Int = 1) -> LoopID? {
        let map: LoopMap?
        if let m = maps[proto] {
            map = m
        } else {
            map = loopMap(proto)
            maps[proto] = map
        }
        guard let header = map?.loop(around: pc) else { return nil }
        let id = LoopID(proto: proto, header: header)
        let c = credit[id, default: 0] + weight
        credit[id] = c
        if c >= threshold && !hot.contains(id) {
            hot.insert(id)
            onHot?(id)
            return id
        }
        return nil
    }

    /// Forget a prototype's loop map (e.g. after the runtime replaced it).
    public func invalidate(proto: UInt32) { maps[proto] = nil }
}

/// Live hot-loop detection for the JIT's sample hotness (`hotness=sample`), fed on the sampler's
/// drain thread. Like HotLoopDetector, an interpreted sample credits the innermost loop around the
/// running frame's pc, and samples in traces, the GC, the compiler or library functions credit
/// nothing. Unlike it, credit decays and a loop is reported again while it stays hot:
/// - The clock is sampled CPU time: every sample (in any state) advances it by its weight, one
///   sampling period each. Every `halfLifeMilliseconds` of it, all credit halves (integer halving,
///   applied lazily when a loop is next credited), so old samples stop counting: a loop must be
///   hot now, not have been warm for long.
/// - When a loop's credit reaches `threshold` it is reported (`onHot`, with the pc its loop hook
///   reports) and its credit starts over from 0: a loop the JIT could not trace (recording
///   aborted) or that the interpreter keeps running is reported again after another `threshold`
///   samples, which paces retries like LuaJIT's hotcount backoff does.
/// Side exits (`exitThreshold` > 0) get hot the same way, by the time they cost. A sample that
/// carries an exit event (`RawSample.lastExit`: the JIT publishes the last exit it restored until
/// a trace is entered again) lies in that exit's handling (state TRACE) or in the interpretation
/// after it (INTERP), time a side trace would take over. Each exit event earns at most one period
/// of credit, however many samples land in it: a loop that exits for good and is followed by
/// seconds of interpretation (no trace entered again) is one event, never a hot exit, while an
/// exit taken often is sampled in many short events. Credit decays with the loops' clock; at
/// `exitThreshold` the exit is reported (`onHotExit`) and starts over.
/// Not thread-safe: feed it from one thread. Read the counters after sampling stopped.
public final class SampledLoopHeat {
    public let threshold: Int
    /// Sampling periods per half-life.
    public let halfLifePeriods: Int
    private let loopMap: (UInt32) -> LoopMap?
    private var maps: [UInt32: (map: LoopMap, hookPC: [Int: Int])] = [:]
    private var heat: [LoopID: (credit: Int, epoch: Int)] = [:]
    private var clock = 0
    /// Called with the loop and the pc its loop hook reports, each time the loop gets hot.
    public var onHot: ((LoopID, Int) -> Void)?
    /// Sample records seen.
    public private(set) var samples = 0
    /// Samples seen (weights summed), by VM state: total, interpreted, in traces.
    public private(set) var totalWeight = 0
    public private(set) var interpretedWeight = 0
    public private(set) var traceWeight = 0
    /// Times a loop was reported hot.
    public private(set) var reports = 0

    /// Samples outside every loop of a function (after decay) that make its entry hot; 0: such
    /// samples credit nothing. A function is a `LoopID` with `header` -1, reported with pc 0.
    public let functionThreshold: Int

    /// Sampled exit events (after decay) that make a side exit hot; 0: exits credit nothing.
    public let exitThreshold: Int
    /// Called with the exit each time it gets hot.
    public var onHotExit: ((ExitID) -> Void)?
    private var exitHeat: [ExitID: (credit: Int, epoch: Int)] = [:]
    /// The packed exit event credited last (its later samples credit nothing).
    private var lastExitEvent: UInt64 = 0
    /// Weight of the samples that carried an exit event (INTERP or TRACE), credited or not.
    public private(set) var exitWeight = 0
    /// Exit events credited (one each), and times an exit was reported hot.
    public private(set) var exitEvents = 0
    public private(set) var exitReports = 0

    /// `sampleHz`: the sampler's rate (the length of one period); `loopMap(protoId)` gives a
    /// prototype's loop map, or nil while it is unknown (asked again later: a prototype becomes
    /// known when the interpreter first reaches one of its loops or calls it from Lua).
    /// Sampling periods per half-life of exit credit (0: exit credit never decays).
    public let exitHalfLifePeriods: Int

    /// `exitHalfLifeMilliseconds`: the half-life of exit credit (nil: the loops'; 0: none).
    public init(threshold: Int, sampleHz: Int, halfLifeMilliseconds: Int, functionThreshold: Int = 0,
                exitThreshold: Int = 0, exitHalfLifeMilliseconds: Int? = nil, loopMap: @escaping (UInt32) -> LoopMap?) {
        self.threshold = max(threshold, 1)
        self.functionThreshold = max(functionThreshold, 0)
        self.exitThreshold = max(exitThreshold, 0)
        self.halfLifePeriods = max(1, max(sampleHz, 1) * max(halfLifeMilliseconds, 1) / 1000)
        let exitMs = exitHalfLifeMilliseconds ?? halfLifeMilliseconds
        self.exitHalfLifePeriods = exitMs <= 0 ? 0 : max(1, max(sampleHz, 1) * exitMs / 1000)
        self.loopMap = loopMap
    }

    /// Share of the samples that landed in traces (0 with no samples).
    public var traceShare: Double { totalWeight > 0 ? Double(traceWeight) / Double(totalWeight) : 0 }

    /// The current credit of a loop (after decay), for tests.
    public func credit(of id: LoopID) -> Int {
        guard let h = heat[id] else { return 0 }
        return decayed(h.credit, since: h.epoch)
    }

    /// The current credit of a side exit (after decay), for tests.
    public func credit(ofExit id: ExitID) -> Int {
        guard let h = exitHeat[id] else { return 0 }
        return decayed(h.credit, since: h.epoch, exitHalfLifePeriods)
    }

    @inline(__always) private func decayed(_ credit: Int, since epoch: Int, _ periods: Int? = nil) -> Int {
        let p = periods ?? halfLifePeriods
        if p == 0 { return credit }
        let shift = clock / p - epoch
        return shift >= Int.bitWidth - 1 ? 0 : credit >> shift
    }

    private var exitEpoch: Int { exitHalfLifePeriods == 0 ? 0 : clock / exitHalfLifePeriods }

    /// Credits one sample; returns the loop reported hot because of it, if any.
    @discardableResult
    public func observe(_ s: RawSample, weight: Int = 1) -> LoopID? {
        let w = max(weight, 1)
        clock &+= w
        samples &+= 1
        totalWeight &+= w
        if s.state == UInt32(TJ_VMSTATE_TRACE) { traceWeight &+= w }
        if s.lastExit != 0 && exitThreshold > 0
            && (s.state == UInt32(TJ_VMSTATE_INTERP) || s.state == UInt32(TJ_VMSTATE_TRACE)) {
            exitWeight &+= w
            if s.lastExit != lastExitEvent {
                lastExitEvent = s.lastExit
                if let id = ExitID.unpack(s.lastExit, epoch: s.codeEpoch) { creditExit(id) }
            }
        }
        guard s.state == UInt32(TJ_VMSTATE_INTERP), let top = s.lua.first else { return nil }
        interpretedWeight &+= w
        let proto = UInt32(truncatingIfNeeded: top >> 32), pc = Int(UInt32(truncatingIfNeeded: top))
        guard let entry = loops(of: proto) else { return nil }
        let id: LoopID, hookPC: Int, need: Int
        if let header = entry.map.loop(around: pc) {
            guard let h = entry.hookPC[header] else { return nil }
            (id, hookPC, need) = (LoopID(proto: proto, header: header), h, threshold)
        } else {
            // Outside every loop: the function itself (its entry) is what runs hot.
            guard functionThreshold > 0, pc >= 0, pc < entry.map.innermost.count else { return nil }
            (id, hookPC, need) = (LoopID(proto: proto, header: -1), 0, functionThreshold)
        }
        let c = credit(of: id) + w
        if c >= need {
            heat[id] = (0, clock / halfLifePeriods)
            reports += 1
            onHot?(id, hookPC)
            return id
        }
        heat[id] = (c, clock / halfLifePeriods)
        return nil
    }

    /// One exit event: one period of credit (its sample's weight counts once, at most 1).
    private func creditExit(_ id: ExitID) {
        exitEvents &+= 1
        let c = credit(ofExit: id) + 1
        if c >= exitThreshold {
            exitHeat[id] = (0, exitEpoch)
            exitReports &+= 1
            onHotExit?(id)
        } else {
            exitHeat[id] = (c, exitEpoch)
        }
    }

    private func loops(of proto: UInt32) -> (map: LoopMap, hookPC: [Int: Int])? {
        if let e = maps[proto] { return e }
        guard let m = loopMap(proto) else { return nil }
        var hook: [Int: Int] = [:]
        for l in m.loops { hook[l.header] = LoopMap.hookPC(header: l.header, first: l.first, last: l.last) }
        maps[proto] = (m, hook)
        return (m, hook)
    }
}
