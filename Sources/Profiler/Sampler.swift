// Sampler.swift: starts and stops the C sampler, drains its ring on a background thread and
// aggregates raw samples (identical records are merged with their weights summed).
//
// The SIGPROF handler lives in CSampler (C, async-signal-safe). Swift only ever runs on the
// drain thread and the caller's thread: it never runs in a signal handler.

import CSampler
import CVM
import Foundation

/// How to sample. Defaults: 1000 Hz of the VM thread's CPU time, perf events when permitted,
/// frame-pointer native stacks (see docs/profiler.md for the measured costs).
public struct SamplerConfiguration: Sendable {
    public enum Timer: Sendable { case automatic, perfEvents, itimer }
    public enum NativeWalk: Sendable { case none, framePointers, libunwind }

    public var hz: Int = 1000
    public var timer: Timer = .automatic
    public var nativeWalk: NativeWalk = .framePointers
    public var maxLuaDepth: Int = Int(TJ_MAX_LUA_FRAMES)
    public var maxNativeDepth: Int = Int(TJ_MAX_NATIVE_FRAMES)
    public var ringCapacity: Int = 4096
    /// How often the drain thread empties the ring. nil: 10 ms when a `sampleObserver` is set (the
    /// JIT's hotness wants samples promptly; see `observerWantsPromptDrain` for the back-off), else 100 ms
    /// or a quarter of the ring's time at `hz`, whichever is shorter. Each wake of the drain thread
    /// costs tens of µs of CPU on these VMs (a timer interrupt and two context switches): at 10 ms
    /// that was ~0.4% of a profiled interpreter run, at 100 ms it is a tenth of that
    /// (docs/profiler.md, "Overhead").
    public var drainIntervalMicroseconds: UInt32? = nil
    public var libunwindPerThreadCache: Bool = false
    /// Take the running frame's pc from the interrupted registers when one points into its code
    /// past the published pc (line attribution inside loop bodies; see tj_sampler.c).
    public var refineRunningPC: Bool = true
    /// Walk the native stack only for samples taken in a trace (state TRACE). A Lua-mode profile
    /// uses native addresses only to find the trace code a sample ran in; leaving them out of the
    /// other samples makes records with the same Lua stack identical, so they merge on the drain
    /// thread instead of each becoming a stack of its own (docs/profiler.md, "Overhead").
    public var nativeOnlyInTraces: Bool = false
    /// Keep the records (merged by identity) for `stop()` to return. Off for a sampler that only
    /// feeds `sampleObserver` (the JIT's sample hotness): no per-record hashing then.
    public var aggregate: Bool = true

    public init() {}
}

/// One sample as read from the ring: Lua frames as (proto id << 32 | pc), innermost first, and
/// native instruction pointers, innermost first (index 0 is the interrupted pc itself).
public struct RawSample: Hashable, Sendable {
    public var state: UInt32
    public var aux: UInt32
    public var flags: UInt32
    public var lua: [UInt64]
    public var native: [UInt64]
    /// The JIT code generation at the sample (`tj_vm_state.code_epoch`): addresses in `native`
    /// that lie in JIT code are looked up in that generation's code map (0: none published).
    public var codeEpoch: UInt32
    /// The side exit whose cost the sample lies in (`tj_vm_state.last_exit`, packed as
    /// `ExitID.unpack` reads it; 0: none). Only sample hotness reads it: profiles keep 0.
    public var lastExit: UInt64

    public init(state: UInt32, aux: UInt32 = 0, flags: UInt32 = 0, lua: [UInt64], native: [UInt64] = [],
                codeEpoch: UInt32 = 0, lastExit: UInt64 = 0) {
        self.state = state
        self.aux = aux
        self.flags = flags
        self.lua = lua
        self.native = native
        self.codeEpoch = codeEpoch
        self.lastExit = lastExit
    }

    public static func luaFrame(proto: UInt32, pc: UInt32) -> UInt64 { UInt64(proto) << 32 | UInt64(pc) }
    public var luaTruncated: Bool { flags & UInt32(TJ_SAMPLE_LUA_TRUNCATED) != 0 }
    public var nativeTruncated: Bool { flags & UInt32(TJ_SAMPLE_NATIVE_TRUNCATED) != 0 }
}

/// Samples with their accounting, before symbolization.
public struct RawProfile: Sendable {
    public var samples: [RawSample] = []  // distinct records
    public var weights: [Int] = []        // summed weight per record
    public var counts: [Int] = []         // how many records merged into each
    public var stats = tj_sampler_stats()
    public var wallSeconds: Double = 0
    public var startTime = Date()

    public init() {}

    public var sampleCount: Int { counts.reduce(0, +) }
    public var totalWeight: Int { weights.reduce(0, +) }

    /// The timer actually used, for reports.
    public var timerName: String {
        switch stats.timer {
        case UInt32(TJ_TIMER_PERF.rawValue): return "perf task-clock"
        case UInt32(TJ_TIMER_ITIMER.rawValue): return "setitimer(ITIMER_PROF)"
        default: return "synthetic"
        }
    }
}

/// Aggregates samples by identity. Not thread-safe by itself; Sampler guards it with a lock.
struct SampleAggregator {
    var index: [RawSample: Int] = [:]
    var profile = RawProfile()
    var observer: ((RawSample, Int) -> Void)?
    /// false: records only go to the observer (counted, not kept).
    var keep = true

    mutating func add(_ s0: RawSample, weight: Int) {
        observer?(s0, weight)
        guard keep && s0.flags & UInt32(TJ_SAMPLE_HOTNESS_ONLY) == 0 else { return }
        var s = s0
        s.lastExit = 0      // hotness only: it would split the profile's records for nothing
        if let i = index[s] {
            profile.weights[i] += weight
            profile.counts[i] += 1
        } else {
            index[s] = profile.samples.count
            profile.samples.append(s)
            profile.weights.append(weight)
            profile.counts.append(1)
        }
    }

    /// Moves every waiting record out of the ring.
    mutating func drain(_ ring: OpaquePointer, buffer: UnsafeMutablePointer<tj_sample>) {
        let raw = UnsafeRawPointer(buffer)
        let luaOff = MemoryLayout<tj_sample>.offset(of: \tj_sample.lua)!
        let nativeOff = MemoryLayout<tj_sample>.offset(of: \tj_sample.native)!
        while tj_ring_pop(ring, buffer) != 0 {
            let b = buffer.pointee
            let luaP = (raw + luaOff).assumingMemoryBound(to: tj_lua_frame.self)
            let natP = (raw + nativeOff).assumingMemoryBound(to: UInt64.self)
            let nl = min(Int(b.n_lua), Int(TJ_MAX_LUA_FRAMES))
            let nn = min(Int(b.n_native), Int(TJ_MAX_NATIVE_FRAMES))
            var lua = [UInt64]()
            lua.reserveCapacity(nl)
            for i in 0..<nl { lua.append(RawSample.luaFrame(proto: luaP[i].proto_id, pc: luaP[i].pc)) }
            let native = Array(UnsafeBufferPointer(start: natP, count: nn))
            add(RawSample(state: b.state, aux: b.aux, flags: b.flags, lua: lua, native: native, codeEpoch: b.code_epoch,
                                lastExit: b.last_exit),
                weight: Int(max(b.weight, 1)))
        }
    }
}

public enum SamplerError: Error, CustomStringConvertible, Equatable {
    case alreadyRunning
    case outOfMemory
    case startFailed(errno: Int32)
    case libunwindUnavailable(String)

    public var description: String {
        switch self {
        case .alreadyRunning: return "the sampler is already running"
        case .outOfMemory: return "cannot allocate the sample ring"
        case .libunwindUnavailable(let why): return "cannot walk native stacks with libunwind: \(why)"
        case .startFailed(let e): return "cannot start the sampler: \(String(cString: strerror(e)))"
        }
    }
}

/// Where the interpreter keeps its call records, so the signal handler can walk caller frames
/// (mirrors tj_frame_layout; the runtime fills it from MemoryLayout offsets of its own structs).
public struct FrameLayout: Sendable, Equatable {
    public var callRecordStride: Int
    public var recordsPointerOffset: Int   // in the block at tj_thread.interp
    public var recordCountOffset: Int      // Int (intptr_t) in that block
    public var pcOffset: Int               // saved pc (next instruction) in a record
    public var closureOffset: Int          // tj_lfunc pointer in a record (nil for natives)
    public var flagsOffset: Int            // UInt32 flags in a record
    public var luaFlag: UInt32             // flags bit of Lua records

    public init(callRecordStride: Int, recordsPointerOffset: Int, recordCountOffset: Int, pcOffset: Int,
                closureOffset: Int, flagsOffset: Int, luaFlag: UInt32) {
        self.callRecordStride = callRecordStride
        self.recordsPointerOffset = recordsPointerOffset
        self.recordCountOffset = recordCountOffset
        self.pcOffset = pcOffset
        self.closureOffset = closureOffset
        self.flagsOffset = flagsOffset
        self.luaFlag = luaFlag
    }

    var c: tj_frame_layout {
        tj_frame_layout(valid: 1, ci_stride: UInt32(callRecordStride), co_cis: UInt32(recordsPointerOffset),
                        co_count: UInt32(recordCountOffset), ci_pc: UInt32(pcOffset), ci_closure: UInt32(closureOffset),
                        ci_flags: UInt32(flagsOffset), lua_flag: luaFlag)
    }
}

/// A sampling session over the calling thread. Call start() and stop() on the thread to sample.
public final class Sampler: @unchecked Sendable {
    public let configuration: SamplerConfiguration
    private let vmState: UnsafePointer<tj_vmstate_t>?
    private let layout: UnsafeMutablePointer<tj_frame_layout>
    private var ring: OpaquePointer?
    private let lock = NSLock()
    private var aggregator = SampleAggregator()
    private var running = false
    private var stopRequested = false
    private var drainPaused = false  // under `lock`
    private let drainDone = DispatchSemaphore(value: 0)
    private let wakeDrain = DispatchSemaphore(value: 0)
    private var startWall: UInt64 = 0

    /// Called on the drain thread for every record as it leaves the ring, while sampling runs
    /// (e.g. HotLoopDetector.credit). Set it before start().
    public var sampleObserver: ((RawSample, Int) -> Void)?
    /// Asked on the drain thread after each drain whether the observer wants the next records
    /// promptly (the JIT's hotness: yes while loops or exits get hot or the program interprets).
    /// While it answers no, the drain interval doubles, up to 8 times the base; a yes brings the
    /// base back. A program running in its traces then wakes the drain thread every 80 ms, not
    /// every 10 ms. Set it before start().
    public var observerWantsPromptDrain: (() -> Bool)?

    /// `vmState`: where the VM publishes its state (nil: CVM's global `tj_vm_state`);
    /// `frameLayout`: how to walk caller frames (nil: only the running frame is sampled).
    public init(configuration: SamplerConfiguration = SamplerConfiguration(),
                vmState: UnsafePointer<tj_vmstate_t>? = nil, frameLayout: FrameLayout? = nil) {
        self.configuration = configuration
        self.vmState = vmState
        layout = .allocate(capacity: 1)
        layout.initialize(to: frameLayout?.c ?? tj_frame_layout())
    }

    deinit {
        if running { _ = stop() }
        if let r = ring { tj_ring_destroy(r) }
        layout.deallocate()
    }

    public func start() throws {
        if running || tj_sampler_running() != 0 { throw SamplerError.alreadyRunning }
        if ring == nil {
            guard let r = tj_ring_create(UInt32(clamping: max(configuration.ringCapacity, 2))) else {
                throw SamplerError.outOfMemory
            }
            ring = r
        }
        var cfg = tj_sampler_config()
        cfg.hz = UInt32(clamping: max(configuration.hz, 1))
        switch configuration.timer {
        case .automatic: cfg.timer = TJ_TIMER_AUTO
        case .perfEvents: cfg.timer = TJ_TIMER_PERF
        case .itimer: cfg.timer = TJ_TIMER_ITIMER
        }
        switch configuration.nativeWalk {
        case .none: cfg.native = TJ_NATIVE_NONE
        case .framePointers: cfg.native = TJ_NATIVE_FP
        case .libunwind: cfg.native = TJ_NATIVE_LIBUNWIND
        }
        cfg.max_lua = UInt32(clamping: configuration.maxLuaDepth)
        cfg.max_native = UInt32(clamping: configuration.maxNativeDepth)
        cfg.unwind_per_thread_cache = configuration.libunwindPerThreadCache ? 1 : 0
        cfg.refine_pc = configuration.refineRunningPC ? 1 : 0
        cfg.native_in_trace_only = configuration.nativeOnlyInTraces ? 1 : 0
        cfg.layout = UnsafePointer(layout)
        aggregator = SampleAggregator()
        aggregator.observer = sampleObserver
        aggregator.keep = configuration.aggregate
        aggregator.profile.startTime = Date()
        stopRequested = false
        drainPaused = false
        while wakeDrain.wait(timeout: .now()) == .success {}  // a wake left over from the last stop()
        startWall = tj_monotonic_ns()
        let rc = tj_sampler_start(&cfg, ring, vmState)
        if rc == -ENOENT && configuration.nativeWalk == .libunwind {
            throw SamplerError.libunwindUnavailable(tj_unwind_error().map { String(cString: $0) } ?? "not loaded")
        }
        if rc != 0 { throw SamplerError.startFailed(errno: -rc) }
        running = true
        let thread = Thread { [self] in self.drainLoop() }
        thread.name = "tracejit-profiler-drain"
        thread.start()
    }

    /// The drain interval in use (see `SamplerConfiguration.drainIntervalMicroseconds`).
    var drainInterval: UInt32 {
        if let us = configuration.drainIntervalMicroseconds { return max(us, 100) }
        return min(sampleObserver != nil ? 10_000 : 100_000, ringQuarterMicroseconds)
    }

    /// The longest interval the drain backs off to (`observerWantsPromptDrain`).
    var longestDrainInterval: UInt32 {
        configuration.drainIntervalMicroseconds != nil ? drainInterval : min(8 * drainInterval, ringQuarterMicroseconds)
    }

    /// A quarter of the time the ring takes to fill at `hz` (at least 1 ms).
    private var ringQuarterMicroseconds: UInt32 {
        let us = UInt64(max(configuration.ringCapacity, 2)) * 1_000_000 / UInt64(max(configuration.hz, 1)) / 4
        return UInt32(max(1_000, min(us, 1_000_000)))
    }

    /// The back-off: the base interval when the observer wants records promptly, else double the
    /// current one, up to `longest`.
    static func nextDrainInterval(_ current: UInt32, prompt: Bool, base: UInt32, longest: UInt32) -> UInt32 {
        prompt ? base : min(current &* 2, longest)
    }

    private func drainLoop() {
        let buffer = UnsafeMutablePointer<tj_sample>.allocate(capacity: 1)
        defer { buffer.deallocate() }
        let base = drainInterval, longest = longestDrainInterval
        let prompt = sampleObserver != nil ? observerWantsPromptDrain : nil
        var interval = base
        while true {
            lock.lock()
            let done = stopRequested, paused = drainPaused
            if let r = ring { aggregator.drain(r, buffer: buffer) }
            lock.unlock()
            if done { break }
            if paused {  // nothing comes in: sleep until setPaused(false) or stop()
                wakeDrain.wait()
                continue
            }
            if let prompt { interval = Sampler.nextDrainInterval(interval, prompt: prompt(), base: base, longest: longest) }
            _ = wakeDrain.wait(timeout: .now() + .microseconds(Int(interval)))  // stop() wakes it early
        }
        drainDone.signal()
    }

    /// Pauses or resumes the timer (call on the sampled thread while running): paused, no samples
    /// are taken and the thread's CPU time is left out of the sampled CPU time. Used to measure the
    /// sampler's cost within one run (`TRACEJIT_BENCH_PROFILE_ALTERNATE`).
    public func setPaused(_ paused: Bool) {
        guard running else { return }
        _ = tj_sampler_pause(paused ? 1 : 0)
        // The drain thread sleeps too (it drains once more first), so a paused run pays for no
        // part of the profiler and the alternating measurement sees all of it.
        lock.lock()
        let changed = drainPaused != paused
        drainPaused = paused
        lock.unlock()
        if changed && !paused { wakeDrain.signal() }
    }

    /// While on, records are taken as the JIT's hotness-only sampler takes them and are left out of
    /// the profile (they still reach `sampleObserver`). Used to measure, with the JIT on, what a
    /// profile adds to the JIT's own sampling (`TRACEJIT_BENCH_PROFILE_ALTERNATE`).
    public func setHotnessOnly(_ on: Bool) {
        guard running else { return }
        tj_sampler_set_hotness_only(on ? 1 : 0)
    }

    /// Stops sampling, drains what is left and returns the raw profile.
    public func stop() -> RawProfile {
        guard running else { return aggregator.profile }
        var stats = tj_sampler_stats()
        tj_sampler_stop(&stats)
        let wall = tj_monotonic_ns() &- startWall
        lock.lock()
        stopRequested = true
        lock.unlock()
        wakeDrain.signal()
        drainDone.wait()
        running = false
        var p = aggregator.profile
        p.stats = stats
        p.wallSeconds = Double(wall) / 1e9
        aggregator.profile = p
        return p
    }
}

extension tj_sampler_stats: @unchecked @retroactive Sendable {}
