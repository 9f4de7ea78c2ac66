// Instructions, constants, snapshots and the trace that holds them.
import Bytecode
import CVM
import Runtime

public struct IRIns: Equatable, Sendable {
    public var op: IROp
    public var type: IRType
    public var flags: UInt8
    public var a: IRRef
    public var b: IRRef
    public var c: IRRef
    /// Snapshot a guard exits through (-1 for non-guards).
    public var snap: Int32

    public static let guardFlag: UInt8 = 1
    /// SLOAD: the slot is also read by the interpreter after the trace (for dumps: "inherited").
    public static let inheritFlag: UInt8 = 2

    public init(_ op: IROp, _ type: IRType, a: IRRef = noRef, b: IRRef = noRef, c: IRRef = noRef,
                guarded: Bool = false, snap: Int32 = -1) {
        self.op = op
        self.type = type
        self.flags = guarded ? IRIns.guardFlag : 0
        self.a = a
        self.b = b
        self.c = c
        self.snap = snap
    }

    public var isGuard: Bool { flags & IRIns.guardFlag != 0 }
    /// Removable when nothing uses it: pure or a load, and not a guard.
    public var isRemovable: Bool {
        !isGuard && (op.info.flags.contains(.pure) || op.info.flags.contains(.load)) && op != .LOOP
    }
}

/// A constant: its type and unboxed payload (see IR.swift). Interned per trace.
public struct IRConst: Hashable, Sendable {
    public var type: IRType
    public var bits: UInt64
    public init(_ type: IRType, _ bits: UInt64) { self.type = type; self.bits = bits }
    public static func num(_ d: Double) -> IRConst { IRConst(.num, d.bitPattern) }
    public static func int(_ i: Int32) -> IRConst { IRConst(.int, UInt64(UInt32(bitPattern: i))) }
    public static func value(_ v: Value) -> IRConst { let t = IRType.of(v); return IRConst(t, t.unbox(v)) }
    public var value: Value { type.box(bits) }
    public var number: Double { Double(bitPattern: bits) }
    public var intValue: Int32 { Int32(truncatingIfNeeded: bits) }
}

/// One inlined Lua frame above the trace's base frame, as an exit must rebuild it.
public struct SnapFrame: Equatable, Sendable {
    /// Slot of the frame's function value (its registers start at funcSlot + 1), relative to the
    /// trace's base frame.
    public var funcSlot: Int32
    /// The closure: a constant when inlining guarded the function's identity; otherwise (a
    /// prototype made into many closures: only the prototype is guarded) the IR value, which an
    /// exit reads back from the frame's function slot once the snapshot's slots are written.
    public var closure: IRRef
    /// The frame's prototype (guarded either way), as pointer bits.
    public var protoBits: UInt
    /// Where the caller resumes when this frame returns (index into the caller's code).
    public var returnPC: Int32
    /// Results the caller wants (-1: all).
    public var nresults: Int32
    /// The frame's registers start at funcSlot + baseOffset: 1, or for a vararg function its
    /// argument count + 2 (the extra arguments stay below a copy of the function and parameters).
    public var baseOffset: Int32 = 1
    /// Extra arguments of a vararg function (just below that copy).
    public var nvarargs: Int32 = 0
    /// The frame was entered by a tail call: its call record is flagged so (tracebacks show
    /// "(tail call)", error levels and function names skip it, as for the interpreter's own).
    public var tail = false
    public init(funcSlot: Int32, closure: IRRef, proto: ProtoRef, returnPC: Int32, nresults: Int32,
                baseOffset: Int32 = 1, nvarargs: Int32 = 0, tail: Bool = false) {
        self.funcSlot = funcSlot
        self.closure = closure
        self.protoBits = UInt(bitPattern: proto)
        self.returnPC = returnPC
        self.nresults = nresults
        self.baseOffset = baseOffset
        self.nvarargs = nvarargs
        self.tail = tail
    }
    /// The frame's base slot (relative to the trace's base frame).
    public var baseSlot: Int32 { funcSlot + baseOffset }
    public var proto: ProtoRef { ProtoRef(bitPattern: protoBits).unsafelyUnwrapped }
}

public struct SnapEntry: Equatable, Sendable {
    public var slot: Int32
    public var ref: IRRef
    public init(slot: Int32, ref: IRRef) { self.slot = slot; self.ref = ref }
}

/// The interpreter state at a point of the trace: the slots the trace changed so far (with the IR
/// values they hold), the inlined frames, and the pc to resume at in the innermost frame.
public struct Snapshot: Equatable, Sendable {
    /// The snapshot describes the state before instruction `ref` runs.
    public var ref: Int32
    /// Resume at this instruction index of the innermost frame's prototype.
    public var pc: Int32
    /// Slot entries, sorted by slot.
    public var entries: [SnapEntry]
    /// Inlined frames, outermost first.
    public var frames: [SnapFrame]
    /// One past the highest slot live in the innermost frame (its base + framesize).
    public var topSlot: Int32
    /// When the resumed instruction consumes multiple results: one past the last of them.
    public var multresTop: Int32?
    /// After a RETF: the closure of the frame the snapshot's slots are relative to (a constant);
    /// noRef: the trace's start frame.
    public var baseClosure: IRRef = noRef
    /// Times this exit was taken.
    public var exitCount: Int = 0
    /// A side trace recorded from this exit, if any.
    public var sideTrace: Int?
    /// Side-trace attempts that aborted.
    public var sideAborts: Int = 0
    /// The short loop this snapshot lies in an unrolled iteration of (RecordUnroll.swift).
    var unrolledLoop: LoopKey?
    /// Sample hotness marked this exit hot (JITEngine.markExitHot): a side trace is recorded at
    /// its next taking (the mark is used up then).
    public var hotBySamples = false

    public init(ref: Int32, pc: Int32, entries: [SnapEntry], frames: [SnapFrame], topSlot: Int32) {
        self.ref = ref
        self.pc = pc
        self.entries = entries
        self.frames = frames
        self.topSlot = topSlot
    }
}

/// How a trace ends.
public enum TraceLink: Equatable, Sendable {
    /// Jumps back to its own start (a loop trace).
    case loop
    /// Exits through its last snapshot and continues in trace N.
    case trace(Int)
    /// Exits through its last snapshot to the interpreter.
    case interpreter
}

public final class Trace {
    public let id: Int
    /// Root traces: nil. Side traces: the parent trace and the exit (snapshot) they start from.
    public let parent: (trace: Int, exit: Int)?
    /// The prototype and pc (instruction index) of the first recorded instruction.
    public let startProto: ProtoRef
    public let startPC: Int
    public var ins: [IRIns] = []
    public var consts: [IRConst] = []
    var constIndex: [IRConst: Int32] = [:]
    @exclusivity(unchecked) public var snapshots: [Snapshot] = []
    @exclusivity(unchecked) public var link: TraceLink = .interpreter
    /// How a function trace's end reads in logs and dumps (`return`: it stops at a return from
    /// its function, the interpreter does the return; `up-recursion`: it links to itself with the
    /// recursive call's frame pushed); nil: the link as it is.
    public var linkNote: String?
    /// A root trace anchored at a function's first instruction (entered at calls of it).
    public var isFunctionTrace: Bool { parent == nil && startPC == 0 && !isReturnTrace }
    /// A root trace anchored at a return instruction (down-recursion, see docs/jit.md "Function
    /// traces"): recorded when a trace returning through frames of one function comes to that
    /// return again, and entered only from traces that reach it (the interpreter has no hook at
    /// returns). Set when recording starts.
    public internal(set) var isReturnTrace = false
    /// A trace that ended at a loop header with no trace yet (`-> interpreter`): that header, so
    /// the trace can be linked to the loop's trace once there is one (JITEngine.relinkEnds). Also
    /// a return (LoopKey.returnKey) where a return trace is to start.
    var endLoop: LoopKey?
    /// The key the root trace is registered under (rootTraces).
    var rootKey: LoopKey { isReturnTrace ? LoopKey.returnKey(startProto, startPC) : LoopKey(startProto, startPC) }
    /// Index of the LOOP instruction once the loop is peeled.
    public var loopStart: Int?
    /// The recorded bytecode: (prototype, pc, inline depth), for dumps.
    public var bytecode: [(proto: ProtoRef, pc: Int, depth: Int)] = []
    /// Times the trace was entered from the interpreter (or a parent exit).
    @exclusivity(unchecked) public var entries = 0
    /// Machine code, when the native backend compiled it.
    @exclusivity(unchecked) public var code: TraceCode?
    public var machineCode: AnyObject? { code }

    public init(id: Int, parent: (trace: Int, exit: Int)?, startProto: ProtoRef, startPC: Int) {
        self.id = id
        self.parent = parent
        self.startProto = startProto
        self.startPC = startPC
    }

    /// Interns a constant and returns its reference.
    public func const(_ k: IRConst) -> IRRef {
        if let i = constIndex[k] { return ~i }
        let i = Int32(consts.count)
        consts.append(k)
        constIndex[k] = i
        return ~i
    }

    @inline(__always) public func const(of r: IRRef) -> IRConst { consts[Int(~r)] }
    /// The type of a reference.
    @inline(__always) public func type(of r: IRRef) -> IRType { r < 0 ? consts[Int(~r)].type : ins[Int(r)].type }
}
