// TraceCodeMap: where the machine code of each installed trace lies, and which bytecode position
// each piece of it came from (ARCHITECTURE decision 9: samples inside JIT code are attributed to
// source lines).
//
// When the native backend installs a trace, the engine registers it here: its code range and a
// table of (code offset -> bytecode frames), built from what code generation records
// (CodeGen.insOffsets: where each IR instruction's code starts) and what the IR already knows
// (each instruction belongs to the snapshot taken before it, and a snapshot holds the pc to resume
// at plus the frames inlined around it). So a code address maps to the bytecode instruction whose
// recording emitted that IR, in its (possibly inlined) function. Approximations: an instruction
// recorded before its bytecode instruction's first guard (the snapshot is taken at the first
// guard) is charged to the previous snapshot's pc; the prologue to the trace's start; the trace end
// (PHIs, back-edge) to the last snapshot (the loop header); exit stubs to their snapshot's pc; the
// common exit to the trace's start.
//
// Concurrency. The SIGPROF handler never reads this map: it only records the interrupted
// addresses and `tj_vm_state.code_epoch`, a number the map publishes and changes at every flush
// (code addresses and trace numbers are reused after a flush). Lookups happen later on Swift
// threads (the sampler's drain thread or the profile builder) under a lock, in the table of the
// sample's own epoch, so a sample taken before a flush is never named by code installed after it.
// Registration and flushes happen on the VM thread. Old epochs are kept (up to `keptEpochs`) so a
// profile built after the run still names every sample.
//
// Listeners (the perf map writer) hear of every installed trace.
import CVM
import Foundation
import Glibc
import Runtime

/// One installed trace's code and its position table.
public struct InstalledTraceCode: Sendable {
    /// A bytecode position: prototype id and pc (instruction index).
    public struct Position: Hashable, Sendable {
        public var proto: UInt32
        public var pc: UInt32
        public init(proto: UInt32, pc: UInt32) { self.proto = proto; self.pc = pc }
    }
    /// From `offset` on (until the next entry) the code belongs to these frames, outermost first:
    /// the trace's base frame (at its call instruction when a callee is inlined), then each
    /// inlined frame; the last is where the code came from.
    public struct Region: Sendable {
        public var offset: Int
        public var frames: [Position]
        public init(offset: Int, frames: [Position]) { self.offset = offset; self.frames = frames }
    }

    public var trace: Int
    public var epoch: UInt32
    public var address: UInt64
    public var size: Int
    /// "prog.lua:12" (the trace's start), for perf maps and reports.
    public var location: String
    /// Sorted by offset, first at 0; consecutive regions differ.
    public var regions: [Region]

    public init(trace: Int, epoch: UInt32, address: UInt64, size: Int, location: String, regions: [Region]) {
        self.trace = trace
        self.epoch = epoch
        self.address = address
        self.size = size
        self.location = location
        self.regions = regions
    }

    public var codeRange: Range<UInt64> { address..<(address + UInt64(size)) }

    /// The frames for a code offset (nil outside the code).
    public func frames(atOffset off: Int) -> [Position]? {
        guard off >= 0, off < size, !regions.isEmpty else { return nil }
        var lo = 0, hi = regions.count - 1
        while lo < hi {   // last region with offset <= off
            let mid = (lo + hi + 1) / 2
            if regions[mid].offset <= off { lo = mid } else { hi = mid - 1 }
        }
        return regions[lo].frames
    }
}

public final class TraceCodeMap: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    /// Installed code per epoch, each sorted by address.
    private var byEpoch: [UInt32: [InstalledTraceCode]] = [:]
    private var epochOrder: [UInt32] = []
    /// The epoch of the code being installed now (published in tj_vm_state.code_epoch).
    public private(set) var epoch: UInt32
    /// Epochs whose tables are kept for lookups.
    public var keptEpochs = 64
    private var listeners: [(InstalledTraceCode) -> Void] = []

    /// Epochs are unique in the process (several engines may exist in tests); 0 means none.
    private static let epochLock: UnsafeMutablePointer<pthread_mutex_t> = {
        let p = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(p, nil)
        return p
    }()
    nonisolated(unsafe) private static var lastEpoch: UInt32 = 0
    private static func newEpoch() -> UInt32 {
        pthread_mutex_lock(epochLock)
        defer { pthread_mutex_unlock(epochLock) }
        lastEpoch = lastEpoch == UInt32.max ? 1 : lastEpoch + 1
        return lastEpoch
    }

    public init() {
        pthread_mutex_init(&lock, nil)
        epoch = TraceCodeMap.newEpoch()
        byEpoch[epoch] = []
        epochOrder = [epoch]
    }

    /// Makes this map's epoch the one samples record (call on the VM thread, before running).
    public func publish() { tj_vm_state.code_epoch = epoch }

    /// Calls `f` with every trace installed from now on (and, at once, with those installed now).
    public func addListener(_ f: @escaping (InstalledTraceCode) -> Void) {
        pthread_mutex_lock(&lock)
        listeners.append(f)
        let now = byEpoch[epoch] ?? []
        pthread_mutex_unlock(&lock)
        for t in now { f(t) }
    }

    /// Registers installed code (VM thread).
    public func register(_ code: InstalledTraceCode) {
        var c = code
        c.epoch = epoch
        pthread_mutex_lock(&lock)
        var list = byEpoch[epoch] ?? []
        let at = list.firstIndex { $0.address > c.address } ?? list.count
        list.insert(c, at: at)
        byEpoch[epoch] = list
        let ls = listeners
        pthread_mutex_unlock(&lock)
        for f in ls { f(c) }
    }

    /// All code was dropped (VM thread): a new epoch starts, and is published.
    public func flush() {
        let e = TraceCodeMap.newEpoch()
        pthread_mutex_lock(&lock)
        epoch = e
        byEpoch[e] = []
        epochOrder.append(e)
        while epochOrder.count > max(keptEpochs, 1) { byEpoch[epochOrder.removeFirst()] = nil }
        pthread_mutex_unlock(&lock)
        tj_vm_state.code_epoch = e
    }

    /// The code installed now (current epoch), by address.
    public var installed: [InstalledTraceCode] {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return byEpoch[epoch] ?? []
    }

    /// Whether trace `trace` has machine code in epoch `epoch` (0: the current one). Thread-safe.
    public func hasCode(trace: Int, epoch e: UInt32 = 0) -> Bool {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return byEpoch[e == 0 ? epoch : e]?.contains { $0.trace == trace } ?? false
    }

    /// The trace whose code contains `address` in epoch `epoch` (0: the current one), with the
    /// frames of that code offset. Thread-safe.
    public func lookup(_ address: UInt64, epoch e: UInt32 = 0) -> (code: InstalledTraceCode, frames: [InstalledTraceCode.Position])? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard let list = byEpoch[e == 0 ? epoch : e], !list.isEmpty else { return nil }
        var lo = 0, hi = list.count - 1
        if address < list[0].address { return nil }
        while lo < hi {   // last code starting at or below the address
            let mid = (lo + hi + 1) / 2
            if list[mid].address <= address { lo = mid } else { hi = mid - 1 }
        }
        let c = list[lo]
        // Any address can come here (a native walk's garbage return address, ip 0 minus 1):
        // compare as unsigned before making an offset of it.
        let off = address &- c.address
        guard off < UInt64(c.size), let f = c.frames(atOffset: Int(off)) else { return nil }
        return (c, f)
    }
}

extension JITEngine {
    /// Registers a trace's native code with the code map (after it was compiled and installed).
    func registerCode(_ t: Trace) {
        guard let nc = t.code as? NativeTraceCode else { return }
        codeMap.register(InstalledTraceCode(trace: t.id, epoch: 0, address: nc.piece.address, size: nc.piece.size,
                                            location: location(t.startProto, t.startPC),
                                            regions: TraceCodeMap.regions(of: t, nc)))
    }
}

extension TraceCodeMap {
    /// The position table of a compiled trace (see the top of the file).
    static func regions(of t: Trace, _ nc: NativeTraceCode) -> [InstalledTraceCode.Region] {
        let start = [InstalledTraceCode.Position(proto: t.startProto.pointee.id, pc: UInt32(t.startPC))]
        var snapFrames: [[InstalledTraceCode.Position]] = []
        snapFrames.reserveCapacity(t.snapshots.count)
        for s in t.snapshots { snapFrames.append(positions(of: s, in: t)) }
        var raw: [(Int, [InstalledTraceCode.Position])] = [(0, start)]
        // IR instructions: each belongs to the newest snapshot taken at or before it.
        var si = -1
        for (i, off) in nc.insOffsets.enumerated() {
            let isEnd = i == nc.insOffsets.count - 1
            if isEnd {
                raw.append((off, snapFrames.last ?? start))
                break
            }
            while si + 1 < t.snapshots.count && Int(t.snapshots[si + 1].ref) <= i { si += 1 }
            raw.append((off, si >= 0 ? snapFrames[si] : start))
        }
        for st in nc.stubOffsets where st.snap >= 0 && st.snap < snapFrames.count {
            raw.append((st.offset, snapFrames[st.snap]))
        }
        if let ce = nc.commonExitOffset { raw.append((ce, start)) }
        // Sort by offset (stable: later entries at the same offset win), merge equal neighbors.
        let sorted = raw.enumerated().sorted { $0.element.0 != $1.element.0 ? $0.element.0 < $1.element.0 : $0.offset < $1.offset }
        var out: [InstalledTraceCode.Region] = []
        for (_, (off, fr)) in sorted {
            if let last = out.last, last.offset == off { out[out.count - 1].frames = fr; continue }
            out.append(InstalledTraceCode.Region(offset: off, frames: fr))
        }
        var merged: [InstalledTraceCode.Region] = []
        for r in out where merged.last?.frames != r.frames { merged.append(r) }
        return merged
    }

    /// A snapshot's frames, outermost first: the base frame, then each inlined frame; every frame
    /// but the last at its call instruction (the return pc's predecessor). After a RETF the base
    /// frame is the caller the trace returned into (`baseClosure`), whose call record the code
    /// has popped, so the sampler's innermost interpreter frame is that caller too.
    static func positions(of s: Snapshot, in t: Trace) -> [InstalledTraceCode.Position] {
        let baseProto = s.baseClosure == noRef ? t.startProto
            : ExitRestore.closure(t, s.baseClosure).pointee.proto.unsafelyUnwrapped
        var protos: [UInt32] = [baseProto.pointee.id]
        var pcs: [Int32] = []
        for f in s.frames {
            pcs.append(max(0, f.returnPC - 1))
            protos.append(f.proto.pointee.id)
        }
        pcs.append(max(0, s.pc))
        var out: [InstalledTraceCode.Position] = []
        for (p, pc) in zip(protos, pcs) where p != UInt32.max { out.append(.init(proto: p, pc: UInt32(pc))) }
        return out.isEmpty ? [.init(proto: t.startProto.pointee.id, pc: UInt32(t.startPC))] : out
    }
}
