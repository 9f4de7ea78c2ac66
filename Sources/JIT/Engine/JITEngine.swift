// JITEngine: the trace registry and the policy around it. It is the runtime's LoopHook and
// RecordHook: it decides when a loop is hot, starts and stops the recorder, runs traces on the
// chosen backend, counts exits and grows side traces from hot ones, blacklists loops that keep
// aborting, and reports every event to the JIT log.
import Bytecode
import Foundation
import CVM
import Glibc
import Runtime

/// Where a root trace is anchored: a prototype and the pc the loop hook reports (the first
/// instruction of the loop body).
struct LoopKey: Hashable {
    let proto: UInt
    let pc: Int
    init(_ p: ProtoRef, _ pc: Int) { proto = UInt(bitPattern: p); self.pc = pc }
    /// The key of a return trace anchored at the return instruction `pc` (kept apart from loop
    /// keys, whose pcs are >= 0: a loop body may start with a return).
    static func returnKey(_ p: ProtoRef, _ pc: Int) -> LoopKey { LoopKey(p, -2 - pc) }
    var isReturn: Bool { pc <= -2 }
}

enum DispatchTimeNanos {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

public struct JITStats: Sendable {
    public var tracesMade = 0
    public var sideTraces = 0
    public var aborts = 0
    public var blacklisted = 0
    public var flushes = 0
    /// Entries into traces from the interpreter.
    public var traceEntries = 0
    /// Guard exits (and trace ends) back to the interpreter or into linked traces.
    public var exits = 0
    /// Exits sample hotness marked hot (marks that still named a live exit without a side trace).
    public var exitsHotBySamples = 0
    /// Wall time spent recording and compiling, in nanoseconds.
    public var compileNanos: UInt64 = 0
    /// Process CPU time from the engine's creation to the end of the first trace's recording, in
    /// nanoseconds (nil: no trace yet).
    public var firstTraceNanos: UInt64?
    /// Abort counts by reason.
    public var abortReasons: [String: Int] = [:]
}

/// Compiled code of a trace (the native backend's product; see Sources/JIT/Native).
public protocol TraceCode: AnyObject {
    /// Runs the trace with its base frame's registers at `base` until a guard fails or the trace
    /// ends. A helper that failed (out of memory) exits like a failing guard of its instruction.
    func run(base: UnsafeMutablePointer<Value>) -> TraceExit
    /// The trace whose exit the last `run` ended at (the code may continue in linked and side
    /// traces without returning).
    var exitTraceID: Int { get }
    /// The trace's base frame at the last exit (a RETF or a transfer may have moved it).
    var exitBase: UnsafeMutablePointer<Value>? { get }
    /// The unboxed value of a (non-constant) reference at the last exit, for ExitRestore.
    func exitValue(_ r: IRRef) -> UInt64
    /// The last exit's snapshot slots are already on the interpreter stack (registers are not
    /// needed; only frames and the pc are left to restore).
    var exitSlotsWritten: Bool { get }
}

extension TraceCode {
    public var exitSlotsWritten: Bool { false }
}

/// A backend that turns traces into TraceCode. `compile` throws (with a reason) for traces it
/// cannot handle; those run on the IR interpreter.
public protocol NativeCompiler: AnyObject {
    func compile(_ t: Trace, engine: JITEngine) throws -> TraceCode
    /// Drops all code (trace flush).
    func flush()
    /// A side trace was compiled for `exit` of `parent`: the backend may jump to it directly.
    func attachSideTrace(_ side: Trace, parent: Trace, exit: Int, engine: JITEngine)
    /// `t` ended in the interpreter at the header `target` now has a trace for: continue there.
    func relink(_ t: Trace, to target: Trace, engine: JITEngine)
}

public final class JITEngine: LoopHook, RecordHook {
    public let vm: LuaVM
    /// vm.heap (the VM keeps it alive; read at every trace entry).
    unowned(unsafe) let heap: Heap
    @exclusivity(unchecked) public private(set) var params: JITParams
    @exclusivity(unchecked) public private(set) var traces: [Trace?] = [nil]   // trace ids start at 1
    @exclusivity(unchecked) public private(set) var stats = JITStats()
    /// One line per trace event (`--jit-log`).
    public var log: ((String) -> Void)?
    /// Called with each finished trace (`--dump-traces`).
    public var dump: ((Trace) -> Void)?
    var rootTraces: [LoopKey: Int] = [:]
    /// > 0 while a trace runs.
    @exclusivity(unchecked) var inTrace = 0
    var counters: [LoopKey: Int] = [:]
    /// Short loops whose unrolled iterations exited too often (RecordUnroll.swift).
    var noUnroll: Set<LoopKey> = []
    var abortCounts: [LoopKey: Int] = [:]
    /// Recordings of a root loop that ended because the recorded iteration was its last (retried).
    var loopLeftRetries: [LoopKey: Int] = [:]
    /// Recordings of a root loop that reached an inner loop's trace (retried, up to `tryinner`).
    var innerLinkRetries: [LoopKey: Int] = [:]
    var blacklist: Set<LoopKey> = []
    @exclusivity(unchecked) var recorder: Recorder?
    let irInterp: IRInterpreter
    /// The native backend (installed by the CLI/tests when --jit-backend=native).
    public var nativeCompiler: NativeCompiler?
    /// Installed native code by address, with code offset -> bytecode position tables, for the
    /// profiler and perf maps (TraceCodeMap.swift).
    public let codeMap = TraceCodeMap()
    var rootMarker = 0
    /// Builtin index -> "math.floor" for the library functions the recorder knows.
    var fastFunctionNames: [Int: String] = [:]
    /// The `string` table (string methods resolve through it).
    var stringLibrary: TableRef?
    /// JIT bytes per prototype id (shared with the sampler's drain thread under `bytesLock`).
    var bytesByProto: [UInt32: UnsafeMutablePointer<UInt8>] = [:]
    var bytesLock = pthread_mutex_t()
    /// Hot marks that arrived for prototypes without bytes yet.
    var pendingHot: Set<LoopIDKey> = []
    struct LoopIDKey: Hashable { let proto: UInt32; let pc: Int }
    /// Bytecode prototypes by id, for the sampler's drain thread (under `bytesLock`): every
    /// prototype whose loop the interpreter has reached.
    var protosByID: [UInt32: Proto] = [:]
    /// Process CPU time at creation (for `stats.firstTraceNanos`).
    let createdCPUNanos = JITEngine.processCPUNanos()
    /// Exits the sampler marked hot, waiting for the VM thread (under `bytesLock`), and a flag
    /// saying there are some (read without the lock at exits: one load).
    var pendingHotExits: [(epoch: UInt32, trace: Int, snap: Int)] = []
    let hotExitsPending = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    /// Exit events published so far (`tj_vm_state.last_exit`'s sequence number).
    @exclusivity(unchecked) public private(set) var exitSeq: UInt64 = 0

    public init(vm: LuaVM, params: JITParams) {
        self.vm = vm
        self.heap = vm.heap
        self.params = params
        self.irInterp = IRInterpreter(vm: vm)
        pthread_mutex_init(&bytesLock, nil)
        hotExitsPending.initialize(to: 0)
    }

    deinit {
        detach()
        for (_, b) in bytesByProto { b.deallocate() }
        hotExitsPending.deallocate()
    }

    /// Installs the hooks.
    public func attach() {
        vm.loopHook = self
        vm.recordHook = self
        codeMap.publish()
        rootMarker = vm.heap.addRootMarker { [unowned self] h in self.markRoots(h) }
        for lib in ["math", "string", "bit", "table"] {
            guard let k = try? vm.heap.string(lib) else { continue }
            let t = vm.globals.get(k)
            guard t.isTable else { continue }
            if lib == "string" { stringLibrary = t.table }
            var i = 0
            while let (key, v) = t.table.nextEntry(from: &i) {
                if key.isString && v.isNativeFunction {
                    fastFunctionNames[Int(v.nativeFunction.pointee.builtin)] = lib + "." + String(decoding: key.string.buffer, as: UTF8.self)
                }
            }
        }
    }

    public func detach() {
        if vm.loopHook === self { vm.loopHook = nil }
        if vm.recordHook === self { vm.recordHook = nil; vm.jitRecording = false }
        if rootMarker != 0 { vm.heap.removeRootMarker(rootMarker); rootMarker = 0 }
    }

    public var liveTraces: [Trace] { traces.compactMap { $0 } }
    /// Root trace id -> side traces grown from it (maxside).
    var sideTracesPerRoot: [Int: Int] = [:]
    /// Side trace id -> its root trace's id.
    var rootOf: [Int: Int] = [:]

    // MARK: hotness

    /// Marks a loop hot (the sampler's drain thread calls this; thread-safe). `pc` is the pc the
    /// loop hook reports for the loop (its body start).
    public func markHot(protoID: UInt32, pc: Int) {
        pthread_mutex_lock(&bytesLock)
        if let b = bytesByProto[protoID] {
            b[pc] = 1
        } else {
            pendingHot.insert(LoopIDKey(proto: protoID, pc: pc))
        }
        pthread_mutex_unlock(&bytesLock)
    }

    /// Marks side exit `snap` of trace `trace` hot (the sampler's drain thread calls this;
    /// thread-safe): the engine records a side trace from it the next time it is taken. `epoch`
    /// is the code generation the exit was sampled in (`tj_vm_state.code_epoch`): trace ids are
    /// reused after a flush, so a mark from an older generation is dropped.
    public func markExitHot(epoch: UInt32, trace: Int, snap: Int) {
        pthread_mutex_lock(&bytesLock)
        if pendingHotExits.count < 4096 { pendingHotExits.append((epoch, trace, snap)) }
        hotExitsPending.pointee = 1
        pthread_mutex_unlock(&bytesLock)
    }

    /// Moves the sampler's exit marks onto their snapshots (VM thread); returns how many named a
    /// live exit of the current code generation.
    @inline(never) @discardableResult
    func applyHotExitMarks() -> Int {
        pthread_mutex_lock(&bytesLock)
        let marks = pendingHotExits
        pendingHotExits = []
        hotExitsPending.pointee = 0
        pthread_mutex_unlock(&bytesLock)
        var applied = 0
        for m in marks where m.epoch == codeMap.epoch {
            guard let t = trace(m.trace), m.snap >= 0, m.snap < t.snapshots.count,
                  t.snapshots[m.snap].sideTrace == nil, !t.snapshots[m.snap].hotBySamples, !isGCExit(t, m.snap) else { continue }
            t.snapshots[m.snap].hotBySamples = true
            applied += 1
            stats.exitsHotBySamples += 1
            log?("[EXIT \(t.id)/\(m.snap) hot by samples at \(exitLocation(t, m.snap))]")
        }
        return applied
    }

    /// Publishes exit `snap` of `t` as the one whose cost the interpreter is now paying (sample
    /// hotness; cleared at the next trace entry, recording start or flush).
    @inline(__always) func publishExit(_ t: Trace, _ snap: Int) {
        exitSeq &+= 1
        tj_vm_state.last_exit = tj_exit_pack(Int64(t.id), Int64(snap), exitSeq)
    }

    /// The bytecode prototype of a prototype id whose loops the interpreter has reached (nil
    /// otherwise). Thread-safe: the sampler's drain thread maps sampled pcs to loops with it.
    public func prototype(id: UInt32) -> Proto? {
        pthread_mutex_lock(&bytesLock)
        defer { pthread_mutex_unlock(&bytesLock) }
        return protosByID[id]
    }

    static func processCPUNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// The prototype's JIT bytes, allocated on first sight: 1 everywhere in counter/eager mode (the
    /// hook sees every header), 0 in sample mode until the sampler marks a loop.
    func bytes(for p: ProtoRef) -> UnsafeMutablePointer<UInt8> {
        if let j = p.pointee.jit { return j.assumingMemoryBound(to: UInt8.self) }
        // One byte per instruction (and one past the end), then the id of the function's trace
        // (4 bytes, 0: none; functionEntry's fast path).
        let n = Int(p.pointee.ncode) + 1
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: n + 4)
        b.initialize(repeating: params.hotness == .sample ? 0 : 1, count: n)
        (b + n).initialize(repeating: 0, count: 4)
        pthread_mutex_lock(&bytesLock)
        let id = p.pointee.id
        if let old = bytesByProto[id] { old.deallocate() }  // a reused id cannot happen; be safe
        bytesByProto[id] = b
        if let o = p.pointee.owner { protosByID[id] = Unmanaged<Proto>.fromOpaque(o).takeUnretainedValue() }
        for k in pendingHot where k.proto == id && k.pc < n { b[k.pc] = 1 }
        pendingHot = pendingHot.filter { $0.proto != id }
        pthread_mutex_unlock(&bytesLock)
        p.pointee.jit = UnsafeMutableRawPointer(b)
        return b
    }

    // MARK: LoopHook

    public func loopHeader(_ vm: LuaVM, pc: UnsafePointer<UInt32>) -> Bool {
        // Lua code run by a native called from a trace (a sort comparator, __tostring...) runs in
        // the interpreter only: traces do not nest.
        if inTrace > 0 { return false }
        let f = vm.jitCurrentFrame()
        let p = f.closure.pointee.proto.unsafelyUnwrapped
        let idx = pc - p.pointee.code.unsafelyUnwrapped
        let b = bytes(for: p)
        if let r = recorder, stillRecording(r.loopHeader(pc: pc, frame: f)) { return false }
        let key = LoopKey(p, idx)
        if let tid = rootTraces[key], let t = trace(tid) {
            return enterAndCollect(t, frame: f)
        }
        if blacklist.contains(key) {
            b[idx] = 0      // never recorded again: the interpreter stops calling the hook here
            return false
        }
        if !isHot(key, b, threshold: params.hotloop) { return false }
        startRecording(parent: nil, frame: f, pc: pc, key: key)
        return false
    }

    /// Takes the recorder's answer at a loop header or function entry: finishes the trace when it
    /// is done; true while a recording goes on (the hook then does nothing else).
    func stillRecording(_ status: RecordStatus) -> Bool {
        switch status {
        case .continueRecording: return true
        case .finished(let t): finishRecording(t)
        case .aborted: break
        }
        return recorder != nil
    }

    /// Whether the loop or function entry `key` (JIT byte `b[key.pc]`) is hot now, by the hotness
    /// mode: `threshold` counted passes (doubled per abort), a mark by the sampler, or at once.
    func isHot(_ key: LoopKey, _ b: UnsafeMutablePointer<UInt8>, threshold: Int) -> Bool {
        switch params.hotness {
        case .counter:
            let c = (counters[key] ?? 0) + 1
            let need = threshold << min(abortCounts[key] ?? 0, 10)
            if c < need { counters[key] = c; return false }
            counters[key] = 0
        case .sample:
            // Only what the sampler marked (the hooks also run once for a prototype without
            // bytes yet, which is no evidence of heat); hot once: the sampler marks it again if
            // it stays hot.
            if b[key.pc] == 0 { return false }
            b[key.pc] = 0
        case .eager:
            break
        }
        return true
    }

    // MARK: function entries

    /// A Lua function was just entered from Lua (the interpreter's function-entry hook): its frame
    /// is the top frame, at its first instruction. Function traces are anchored at pc 0 (no loop
    /// hook reports pc 0), so their bookkeeping shares the loops' tables.
    public func functionEntry(_ vm: LuaVM) -> Bool {
        if inTrace > 0 { return false }
        let f = vm.jitCurrentFrame()
        let p = f.closure.pointee.proto.unsafelyUnwrapped
        if recorder == nil, let j = p.pointee.jit {
            // The function's trace, by the id kept after its JIT bytes (no hashing per call).
            let id = Int(j.loadUnaligned(fromByteOffset: Int(p.pointee.ncode) + 1, as: UInt32.self))
            if id > 0 && id < traces.count, let t = traces[id], t.startProto == p && t.isFunctionTrace {
                return enterAndCollect(t, frame: f)
            }
        }
        let b = bytes(for: p)
        if let r = recorder, stillRecording(r.functionEntry(frame: f)) { return false }
        let key = LoopKey(p, 0)
        if let tid = rootTraces[key], let t = trace(tid) {
            return enterAndCollect(t, frame: f)
        }
        if !params.functraces || blacklist.contains(key) {
            b[0] = 0        // never recorded: the interpreter stops calling the hook here
            return false
        }
        if !isHot(key, b, threshold: params.hotcall) { return false }
        startRecording(parent: nil, frame: f, pc: f.pc, key: key)
        return false
    }

    // MARK: recording

    func startRecording(parent: (trace: Int, exit: Int)?, frame f: JITFrame, pc: UnsafePointer<UInt32>, key: LoopKey?) {
        if !vm.jitTopFrameIsPlainLua { return }
        tj_vm_state.last_exit = 0   // what follows is the recording's time, not the last exit's
        if liveTraces.count >= params.maxtrace {
            flush(reason: "trace limit")
            if parent != nil { return }    // its parent is gone
        }
        let p = f.closure.pointee.proto.unsafelyUnwrapped
        let id = nextTraceID()
        let t = Trace(id: id, parent: parent, startProto: p, startPC: pc - p.pointee.code.unsafelyUnwrapped)
        t.isReturnTrace = parent == nil && (key?.isReturn ?? false)
        let r = Recorder(engine: self, trace: t, frame: f, key: key)
        if let (pid, exit) = parent, let pt = trace(pid), exit < pt.snapshots.count {
            r.inheritedTypes = inheritedTypes(pt, exit)
        }
        recorder = r
        vm.jitRecording = true
    }

    /// The slot types a side trace may take for granted at its start: its parent's exit writes
    /// the snapshot's entries with these types (ints as numbers), so loading them needs no type
    /// check. Slots relative to the side trace's base (the exit's innermost frame).
    func inheritedTypes(_ parent: Trace, _ snap: Int) -> [Int32: IRType] {
        let s = parent.snapshots[snap]
        let shift = s.frames.last?.baseSlot ?? 0
        var known: [Int32: IRType] = [:]
        for e in s.entries {
            var ty = parent.type(of: e.ref)
            if ty == .int { ty = .num }
            if ty == .ptr || ty == .void { continue }
            known[e.slot - shift] = ty
        }
        return known
    }

    /// The live trace with this id (nil when flushed or never made).
    public func trace(_ id: Int) -> Trace? { id > 0 && id < traces.count ? traces[id] : nil }

    func nextTraceID() -> Int {
        if let i = traces.indices.dropFirst().first(where: { traces[$0] == nil }) { return i }
        traces.append(nil)
        return traces.count - 1
    }

    public func record(_ vm: LuaVM, pc: UnsafePointer<UInt32>, base: UnsafeMutablePointer<Value>, closure: LFuncRef,
                       depth: Int, top: UnsafeMutablePointer<Value>) -> Bool {
        guard let r = recorder else { vm.jitRecording = false; return false }
        r.interpTop = top
        switch r.step(pc: pc, base: base, closure: closure, depth: depth) {
        case .continueRecording:
            return true
        case .finished(let t):
            finishRecording(t)
            return false
        case .aborted:
            return false
        }
    }

    public func recordingFailed(_ vm: LuaVM, error: String) {
        recorder?.abort("error thrown: \(error)")
    }

    /// The recorder gave up (called by Recorder.abort).
    func recordingAborted(_ r: Recorder, reason: String, at where_: String) {
        recorder = nil
        vm.jitRecording = false
        stats.aborts += 1
        stats.abortReasons[reason, default: 0] += 1
        let t = r.trace
        log?("[TRACE --- \(traceName(t)) -- \(reason) at \(where_)]")
        if let (pt, pe) = t.parent, let parent = trace(pt) {
            parent.snapshots[pe].sideAborts += 1
            return
        }
        if let key = r.key {
            // Counter and sample hotness start recording at whichever back-edge got hot; when that
            // was the loop's last iteration, nothing failed: record again at its next back-edge
            // (a few times; a loop that always leaves after one iteration then counts aborts).
            let leftRetry = reason == "loop left" && (loopLeftRetries[key] ?? 0) < 8
            if (leftRetry || reason.hasPrefix(Recorder.innerLinkReason)) && params.hotness != .eager {
                if leftRetry { loopLeftRetries[key, default: 0] += 1 } else { innerLinkRetries[key, default: 0] += 1 }
                if params.hotness == .counter {
                    counters[key] = (params.hotloop << min(abortCounts[key] ?? 0, 10)) - 1
                } else if let p = ProtoRef(bitPattern: key.proto) {
                    bytes(for: p)[key.pc] = 1
                }
                return
            }
            let n = (abortCounts[key] ?? 0) + 1
            abortCounts[key] = n
            if n >= params.maxabort {
                blacklist.insert(key)
                stats.blacklisted += 1
                log?("[TRACE --- \(traceName(t)) -- blacklisted after \(n) aborts (last: \(reason))]")
            }
        }
    }

    func finishRecording(_ t: Trace) {
        recorder = nil
        vm.jitRecording = false
        traces[t.id] = t
        stats.tracesMade += 1
        if stats.firstTraceNanos == nil { stats.firstTraceNanos = JITEngine.processCPUNanos() &- createdCPUNanos }
        if params.backend == .native, let nc = nativeCompiler {
            let t0 = DispatchTimeNanos.now()
            do {
                t.code = try nc.compile(t, engine: self)
                registerCode(t)
            } catch CodeArenaError.full {
                // The machine-code budget (`maxmcode`) is used up: drop every trace, this one
                // too; loops are recorded again into the emptied arena.
                stats.compileNanos &+= DispatchTimeNanos.now() &- t0
                flush(reason: "machine code budget")
                return
            } catch {
                log?("[TRACE \(pad(t.id)) -- native backend: \(error); the IR interpreter runs it]")
            }
            stats.compileNanos &+= DispatchTimeNanos.now() &- t0
        }
        if let (pt, pe) = t.parent, let parent = trace(pt) {
            parent.snapshots[pe].sideTrace = t.id
            stats.sideTraces += 1
            let root = rootID(of: parent)
            rootOf[t.id] = root
            sideTracesPerRoot[root, default: 0] += 1
            if t.code != nil, let nc = nativeCompiler { nc.attachSideTrace(t, parent: parent, exit: pe, engine: self) }
        } else {
            rootTraces[t.rootKey] = t.id
            // The hook must see this header again to enter the trace (in sample mode its byte
            // was cleared when recording started). Return traces are entered from traces only.
            if !t.isReturnTrace, let j = t.startProto.pointee.jit, t.startPC <= Int(t.startProto.pointee.ncode) {
                j.storeBytes(of: 1, toByteOffset: t.startPC, as: UInt8.self)
                if t.isFunctionTrace {
                    j.storeBytes(of: UInt32(t.id), toByteOffset: Int(t.startProto.pointee.ncode) + 1, as: UInt32.self)
                }
            }
        }
        log?("[TRACE \(pad(t.id)) \(traceName(t)) \(linkText(t))]")
        dump?(t)
        if t.parent == nil { relinkEnds(at: t.rootKey, to: t) }
    }

    /// Side traces that ended in the interpreter at this loop header (it had no trace then) now
    /// link to its trace: an end there is the state the loop hook would enter it in, so the engine
    /// continues in it (followUp) and native code jumps straight into it (NativeCompiler.relink).
    /// Without this, such an end returned to the interpreter on every pass (fannkuch: 480,000
    /// times one run, a few hundred another, depending on which trace came first).
    func relinkEnds(at key: LoopKey, to target: Trace) {
        for t in liveTraces where t.endLoop == key {
            if case .interpreter = t.link {} else { continue }
            t.link = .trace(target.id)
            t.endLoop = nil
            log?("[TRACE \(pad(t.id)) \(traceName(t)) relinked -> \(target.id)]")
            if t.code != nil, target.code != nil, let nc = nativeCompiler { nc.relink(t, to: target, engine: self) }
        }
    }

    func pad(_ i: Int) -> String { let s = String(i); return String(repeating: " ", count: max(0, 3 - s.count)) + s }

    func traceName(_ t: Trace) -> String {
        var s = ""
        if let (pt, pe) = t.parent { s = "(\(pt)/\(pe)) " }
        if t.isFunctionTrace { return functionLocation(t.startProto) + " func" }
        if t.isReturnTrace { return location(t.startProto, t.startPC) + " ret" }
        return s + location(t.startProto, t.startPC)
    }

    /// "file.lua:12" for a function: the line where it is defined.
    func functionLocation(_ p: ProtoRef) -> String {
        guard let o = p.pointee.owner else { return "?" }
        let proto = Unmanaged<Proto>.fromOpaque(o).takeUnretainedValue()
        return "\(shortSource(proto.source)):\(proto.lineDefined)"
    }

    func linkText(_ t: Trace) -> String {
        if let note = t.linkNote { return note }
        switch t.link {
        case .loop: return "loop"
        case .trace(let n): return "-> \(n)"
        case .interpreter: return "-> interpreter"
        }
    }

    /// The exits taken most often (through the interpreter), for the log's end-of-run summary:
    /// `[EXIT trace/snapshot count at file:line what followed]`.
    public func hotExitLines(top: Int) -> [String] {
        var all: [(t: Trace, snap: Int, count: Int)] = []
        for t in liveTraces {
            for (i, s) in t.snapshots.enumerated() where s.exitCount > 0 { all.append((t, i, s.exitCount)) }
        }
        all.sort { $0.count != $1.count ? $0.count > $1.count : ($0.t.id, $0.snap) < ($1.t.id, $1.snap) }
        return all.prefix(top).map { e in
            let s = e.t.snapshots[e.snap]
            var then = ""
            if let st = s.sideTrace { then = " -> side trace \(st)" }
            else if s.sideAborts > 0 { then = " (side trace aborted \(s.sideAborts)x)" }
            return "[EXIT \(e.t.id)/\(e.snap) \(e.count)x at \(exitLocation(e.t, e.snap))\(then)]"
        }
    }

    /// "file.lua:12": where the interpreter resumes after exit `snap` of `t`.
    func exitLocation(_ t: Trace, _ snap: Int) -> String {
        let s = t.snapshots[snap]
        let p = s.frames.last?.proto
            ?? (s.baseClosure == noRef ? t.startProto : ExitRestore.closure(t, s.baseClosure).pointee.proto.unsafelyUnwrapped)
        return location(p, Int(s.pc))
    }

    /// "file.lua:12" for a pc of a prototype.
    func location(_ p: ProtoRef, _ pc: Int) -> String {
        guard let o = p.pointee.owner else { return "?" }
        let proto = Unmanaged<Proto>.fromOpaque(o).takeUnretainedValue()
        let line = proto.line(at: pc) ?? proto.lineDefined
        return "\(shortSource(proto.source)):\(line)"
    }

    func shortSource(_ s: String) -> String {
        if s.hasPrefix("@") || s.hasPrefix("=") {
            let name = String(s.dropFirst())
            if let slash = name.lastIndex(of: "/") { return String(name[name.index(after: slash)...]) }
            return name
        }
        return "[string]"
    }

    // MARK: running traces

    /// The last exit handed multiple results to the interpreter (values may lie past the frame's
    /// top, where a collection would not see them).
    @exclusivity(unchecked) var lastExitMultres = false

    /// Runs a trace (enter), then collects if a collection is due: the exit left the interpreter's
    /// exact state, a safe point. Without this a loop whose allocations all happen in traces
    /// (its callees have function traces) would exit at its GC check at every iteration and the
    /// interpreter, allocating nothing itself, would never collect.
    func enterAndCollect(_ t: Trace, frame f: JITFrame) -> Bool {
        let r = enter(t, frame: f)
        if !lastExitMultres && heap.collectionPending && recorder == nil { heap.checkGC() }
        return r
    }

    /// Runs trace `t0` from the current frame; follows side traces and links; returns true (the
    /// interpreter's state changed).
    func enter(_ t0: Trace, frame f: JITFrame) -> Bool {
        var t = t0
        var base = f.base
        stats.traceEntries += 1
        let savedState = tj_vm_state.tag
        unowned(unsafe) let heap = self.heap
        let mayCollect = heap.allocMayCollect
        heap.allocMayCollect = false
        inTrace += 1
        defer {
            inTrace -= 1
            heap.allocMayCollect = mayCollect
            tj_vm_state.tag = savedState
        }
        while true {
            t.entries += 1
            tj_vm_state.last_exit = 0
            tj_vm_state.trace = UInt32(t.id)
            tj_vm_state.tag = UInt32(TJ_VMSTATE_TRACE)
            let result: TraceExit
            if let code0 = t.code {
                result = code0.run(base: base)
                var code = code0
                let xt = code0.exitTraceID
                if xt != t.id, xt < traces.count, let tx = trace(xt), let cx = tx.code {
                    t = tx          // the code went on into a linked or side trace
                    code = cx
                    t.entries += 1
                }
                stats.exits += 1
                let snap: Int
                switch result {
                case .exit(let s): snap = s
                case .end(let s): snap = s
                }
                base = code.exitBase ?? base
                lastExitMultres = t.snapshots[snap].multresTop != nil
                if case .exit = result, params.sampledExits { publishExit(t, snap) }
                do {
                    try ExitRestore.restore(vm, t, snap: snap, base: base, slotsWritten: code.exitSlotsWritten) {
                        code.exitValue($0)
                    }
                } catch {
                    return true
                }
                tj_vm_state.tag = savedState
                if case .end = result, case .interpreter = t.link, t.endLoop == nil { return true }
                if let next = followUp(t, result, snap) { t = next; base = vm.jitCurrentFrame().base; continue }
                return true
            }
            do {
                result = try irInterp.run(t, base: base)
            } catch {
                // A helper failed (out of memory): leave the state of the last snapshot; the
                // interpreter re-runs from there and raises the error itself.
                let s = irInterp.snapshot(before: t.ins.count - 1, in: t)
                try? ExitRestore.restore(vm, t, snap: s, base: irInterp.exitBase ?? base) { self.irInterp.value($0, in: t) }
                return true
            }
            stats.exits += 1
            let snap: Int
            switch result {
            case .exit(let s): snap = s
            case .end(let s): snap = s
            }
            base = irInterp.exitBase ?? base
            lastExitMultres = t.snapshots[snap].multresTop != nil
            if case .exit = result, params.sampledExits { publishExit(t, snap) }
            do {
                try ExitRestore.restore(vm, t, snap: snap, base: base) { self.irInterp.value($0, in: t) }
            } catch {
                // Rebuilding frames overflowed the stack: resume the interpreter in the base frame
                // at the snapshot's outermost pc is not possible; stop here (the interpreter reports
                // the overflow at its next call).
                return true
            }
            tj_vm_state.tag = savedState
            if let next = followUp(t, result, snap) { t = next; base = vm.jitCurrentFrame().base; continue }
            return true
        }
    }

    /// After an exit has been restored: the trace to continue in (a linked trace or the exit's
    /// side trace), or nil to return to the interpreter (maybe recording a side trace first).
    func followUp(_ t: Trace, _ result: TraceExit, _ snap: Int) -> Trace? {
        if case .end = result, case .trace(let next) = t.link, let nt = trace(next) { return nt }
        if case .end = result, let key = t.endLoop { return key.isReturn ? arrivedAtReturn(key) : arrivedAtHeader(key) }
        guard case .exit = result else { return nil }
        // The GC check's exit: collect here, where the interpreter state is whole again (the
        // interpreter would only do it at its next allocation, and until then every entry of the
        // trace would exit at the same check).
        if isGCExit(t, snap) && !lastExitMultres { vm.heap.checkGC() }
        t.snapshots[snap].exitCount += 1
        let sampled = params.sampledExits
        if sampled && hotExitsPending.pointee != 0 { applyHotExitMarks() }
        let s = t.snapshots[snap]
        if let side = s.sideTrace, let st = trace(side) { return st }
        // Hot: taken `hotexit` times and, under sample hotness, marked by the sampler.
        if (!sampled || s.hotBySamples) && s.exitCount >= params.hotexit && s.sideAborts < params.tryside
            && recorder == nil && sideCount(of: t) < params.maxside && !isGCExit(t, snap) {
            t.snapshots[snap].hotBySamples = false     // used up: the sampler marks it again if it stays hot
            if let k = s.unrolledLoop, noUnroll.insert(k).inserted {
                let at = ProtoRef(bitPattern: k.proto).map { location($0, k.pc) } ?? "?"
                log?("[TRACE --- \(at) -- short loop no longer unrolled (hot exit \(t.id)/\(snap))]")
            }
            // An exit with a collection due collects before a side trace starts recording (the
            // engine does not collect after a trace while one records): an allocation that failed
            // at the heap ceiling exits here, and the interpreter, which collected at its safe
            // points all along, must redo it in a collected heap, or it raises "not enough
            // memory" where the interpreter alone does not (jit_stress.sh, --max-memory).
            if !lastExitMultres && vm.heap.collectionPending { vm.heap.checkGC() }
            let nf = vm.jitCurrentFrame()
            startRecording(parent: (t.id, snap), frame: nf, pc: nf.pc, key: nil)
        }
        return nil
    }

    /// A trace ended in the interpreter at the header of a loop without a trace (`endLoop`): the
    /// interpreter resumes there without taking the back-edge whose hook would count it, so this
    /// counts as the loop's arrival (a trace that goes round an outer loop ends at its header
    /// every time: counters would never see that loop, RecordUnroll.swift). Its trace, if made
    /// since, or nil (maybe recording it from here).
    func arrivedAtHeader(_ key: LoopKey) -> Trace? {
        if let tid = rootTraces[key], let t = trace(tid) { return t }
        guard recorder == nil, !blacklist.contains(key) else { return nil }
        let f = vm.jitCurrentFrame()
        let p = f.closure.pointee.proto.unsafelyUnwrapped
        guard LoopKey(p, f.pc - p.pointee.code.unsafelyUnwrapped) == key else { return nil }
        if !isHot(key, bytes(for: p), threshold: params.hotloop) { return nil }
        startRecording(parent: nil, frame: f, pc: f.pc, key: key)
        return nil
    }

    /// A trace ended in the interpreter at a return where a return trace is to start (`endLoop`
    /// holds its LoopKey.returnKey; Recorder.downRecursion): that trace, if made since, or nil
    /// after starting its recording here. The ending trace got there from a hot exit, so the
    /// first arrival records; after an abort the arrivals needed double (counter hotness's rule).
    func arrivedAtReturn(_ key: LoopKey) -> Trace? {
        if let tid = rootTraces[key], let t = trace(tid) { return t }
        guard recorder == nil, params.functraces, !blacklist.contains(key) else { return nil }
        let f = vm.jitCurrentFrame()
        let p = f.closure.pointee.proto.unsafelyUnwrapped
        guard LoopKey.returnKey(p, f.pc - p.pointee.code.unsafelyUnwrapped) == key else { return nil }
        let c = (counters[key] ?? 0) + 1
        if c < 1 << min(abortCounts[key] ?? 0, 10) { counters[key] = c; return nil }
        counters[key] = 0
        startRecording(parent: nil, frame: f, pc: f.pc, key: key)
        return nil
    }

    /// Whether exit `snap` of `t` is its GC check's: it only hands control to the interpreter for a
    /// collection step, so it never grows a side trace (one would repeat the loop up to its own GC
    /// check, whose exit would grow the next: an endless chain).
    func isGCExit(_ t: Trace, _ snap: Int) -> Bool {
        let r = Int(t.snapshots[snap].ref)
        return r >= 0 && r < t.ins.count && t.ins[r].op == .GCSTEP
    }

    /// Side traces grown from the root of `t` (kept per root: this runs at every hot exit).
    func sideCount(of t: Trace) -> Int { sideTracesPerRoot[rootID(of: t)] ?? 0 }

    /// The root trace a side trace grew from (recorded when it was made: chains can be long).
    func rootID(of t: Trace) -> Int {
        if let r = rootOf[t.id] { return r }
        guard let (p, _) = t.parent, let pt = trace(p) else { return t.id }
        return rootID(of: pt)
    }

    // MARK: flushing and GC

    /// Drops every trace (trace or code limits); loops may be recorded again.
    public func flush(reason: String) {
        if let r = recorder { r.abort("flush") }
        tj_vm_state.last_exit = 0   // its trace id may be reused
        traces = [nil]
        rootTraces = [:]
        sideTracesPerRoot = [:]
        rootOf = [:]
        nativeCompiler?.flush()
        codeMap.flush()
        stats.flushes += 1
        log?("[TRACE flush -- \(reason)]")
    }

    func markRoots(_ h: Heap) {
        for t in liveTraces { mark(t, h) }
        if let r = recorder { mark(r.trace, h) }
    }

    func mark(_ t: Trace, _ h: Heap) {
        h.mark(t.startProto)
        for k in t.consts where k.type.isObject {
            h.mark(GCRef(OpaquePointer(UnsafeMutableRawPointer(bitPattern: UInt(k.bits)).unsafelyUnwrapped)))
        }
        // Each prototype once per run of it (bytecode has an entry per recorded instruction and
        // this runs at every collection).
        var last: ProtoRef?
        for b in t.bytecode where b.proto != last {
            h.mark(b.proto)
            last = b.proto
        }
    }
}
