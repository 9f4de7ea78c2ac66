// The trace recorder: turns the bytecode the interpreter runs, one instruction at a time, into IR.
//
// The interpreter calls `step` before each instruction with the state that instruction will see;
// the recorder emits IR that computes the same thing for the types it sees now, with guards for
// every fact it relies on (types, branch directions, function identities, table shapes), then lets
// the interpreter run the instruction. Values live in a slot map: slot (relative to the trace's base
// frame) -> IR ref. A slot read for the first time becomes an SLOAD with a type guard; a slot
// written becomes "modified" and appears in every later snapshot. Lua calls are inlined: the callee's
// registers continue the slot numbering above the caller's, and snapshots list the inlined frames
// so an exit can rebuild them.
//
// Each instruction that emits a guard takes one snapshot first: the state before the instruction
// (guards are emitted before the instruction's slot writes), resuming at the instruction itself, so
// any failing guard makes the interpreter redo the whole instruction.
import Bytecode
import CVM
import Runtime

enum RecordStatus {
    case continueRecording
    case finished(Trace)
    case aborted
}

struct RecordAbort: Error {
    let reason: String
    init(_ r: String) { reason = r }
}

/// What happens to an inlined frame's results.
enum FrameCont: Equatable {
    /// A Lua call: results go to the function slot, the caller continues at the return pc.
    case call
    /// An arithmetic metamethod: the first result goes to this trace slot (the instruction's A).
    case store(Int32)
    /// A comparison metamethod: only the first result's truthiness (its IR type) matters.
    case truth
}

/// An inlined frame while recording.
struct RecFrame {
    var funcSlot: Int32
    var closure: LFuncRef
    var closureRef: IRRef
    var returnPC: Int32
    var nresults: Int32
    var cont: FrameCont = .call
    /// For metamethod frames: the first IR reference recorded inside the metamethod.
    var mmStart: IRRef = 0
    /// Registers start at funcSlot + baseOffset (a vararg function: arguments + 2; SnapFrame).
    var baseOffset: Int32 = 1
    /// Extra arguments of a vararg function, in the slots just below funcSlot + baseOffset - 1.
    var nvarargs: Int32 = 0
    /// Entered by a tail call (its call record gets CIFlag.tail, as the interpreter's would).
    var tail = false
    var baseSlot: Int32 { funcSlot + baseOffset }
}

final class Recorder {
    unowned let engine: JITEngine
    let vm: LuaVM
    let trace: Trace
    let b: IRBuilder
    let key: LoopKey?
    let thread: ThreadRef
    let depth0: Int
    let startPC: UnsafePointer<UInt32>
    let startProto: ProtoRef
    var frames: [RecFrame] = []
    /// Returns below the start frame so far (RETF); the base frame is then a caller's.
    var retDepth = 0
    /// Prototypes of the frames those returns went into (down-recursion, Recorder.downRecursion).
    var retProtos: [UInt: Int] = [:]
    /// After a RETF: the base frame's closure (constant) for snapshots.
    var baseClosureRef: IRRef = noRef
    /// slots[s + 1] for trace slot s (s >= -1); noRef when unknown.
    var slots: [IRRef] = []
    var modified: [Bool] = []
    /// The slot of register 0 of the innermost frame.
    var baseSlot: Int32 = 0
    /// Varargs of the trace's base frame, and the loads of those VARG read (baseVararg).
    var baseNvarargs: Int32 = 0
    var baseVarargRefs: [Int32: IRRef] = [:]
    let maxBaseVarargs = 200
    /// Index of the instruction being recorded (snapshots are taken once per instruction).
    var insCounter = 0
    var snapForIns = -1
    var allocates = false
    /// Values an instruction writes before its recorded part reads them (ITERC).
    var pendingValues: [Int: Value]?
    /// A native call recorded before it ran; completed (CALLN with the result types seen) at the
    /// next instruction.
    var pendingCall: PendingCall?
    /// After a call that kept all its results: one past the last result (trace slot), for the
    /// consuming instruction (CALL/RET/SETLIST with B == 0).
    var multTop: Int32?
    /// The interpreter's multiple-results top at the current instruction.
    var interpTop: UnsafeMutablePointer<Value>?
    /// After a native call that kept all results: their end as a register of the current frame.
    var lastNativeTop: Int? {
        guard let t = interpTop else { return nil }
        return t - curBase
    }
    var done = false
    /// Back-edges of inner loops recorded through (see loopHeader).
    var unrolled = 0
    /// Numeric for loops whose FORPREP this trace recorded (activations that began in the trace),
    /// keyed by frame level and loop header, with the index they started at: only those may be
    /// unrolled as short loops.
    var freshLoops: [FreshLoop: FreshLoopStart] = [:]
    /// Short loops being unrolled, innermost last (snapshots in them name the innermost).
    var activeUnrolled: [FreshLoop] = []
    /// Lua calls (and metamethods) inlined so far.
    var callsInlined = 0
    /// Loop headers without a trace this (side) trace has recorded through.
    var crossedHeaders: Set<LoopKey> = []
    /// Whether a short loop was unrolled (RecordUnroll.swift).
    var unrolledShort = false
    /// Trace slots read or written through open upvalues (UGET/USET of a local of a trace frame).
    var upvalueSlots: Set<Int32> = []
    /// Trace slots captured by open upvalues of closures the trace made (FNEW): their stack slots
    /// hold their current values (every write of the slot also stores it) until a UCLO closes them.
    var memSlots: Set<Int32> = []
    /// A side trace's slots whose types its parent's exit fixes (JITEngine.inheritedTypes): their
    /// first loads need no type guard.
    var inheritedTypes: [Int32: IRType] = [:]
    /// A load relied on an inherited type (its guard was left out): the trace cannot link to its
    /// own start, where the parent's exit does not fix the types.
    var usedInheritedTypes = false
    /// The numeric for loop this root trace keeps as an int (RecordNarrow.swift), if any.
    var narrowed: NarrowedFor?
    /// Proven ranges of int refs derived from the narrowed counter, valid in every iteration.
    var intRanges: [IRRef: (lo: Int64, hi: Int64)] = [:]
    // The current instruction's context.
    var curBase: UnsafeMutablePointer<Value>
    var curProto: ProtoRef
    var curPC: Int = 0

    /// The trace is a function trace or a return trace, or a side trace grown from one.
    var inFunctionTraceTree: Bool {
        if trace.isFunctionTrace || trace.isReturnTrace { return true }
        guard let (p, _) = trace.parent, let pt = engine.trace(p), let root = engine.trace(engine.rootID(of: pt)) else { return false }
        return root.isFunctionTrace || root.isReturnTrace
    }

    /// A root trace that starts in a function rather than at a loop (function or return trace).
    var isFunctionRoot: Bool { trace.isFunctionTrace || trace.isReturnTrace }

    init(engine: JITEngine, trace: Trace, frame f: JITFrame, key: LoopKey?) {
        self.engine = engine
        self.vm = engine.vm
        self.trace = trace
        self.b = IRBuilder(trace: trace, options: engine.params.passOptions)
        self.key = key
        self.thread = f.thread
        self.depth0 = f.depth
        self.baseNvarargs = f.nvarargs
        self.startPC = f.pc
        self.startProto = f.closure.pointee.proto.unsafelyUnwrapped
        self.curBase = f.base
        self.curProto = startProto
        slots = [IRRef](repeating: noRef, count: 260)
        modified = [Bool](repeating: false, count: 260)
    }

    // MARK: driver

    func step(pc: UnsafePointer<UInt32>, base: UnsafeMutablePointer<Value>, closure: LFuncRef, depth: Int) -> RecordStatus {
        if done { return .aborted }
        do {
            if vm.jitCurrentFrame().thread != thread { throw RecordAbort("coroutine switch") }
            if depth != depth0 - retDepth + frames.count { throw RecordAbort("unexpected frame change (a call the recorder did not inline)") }
            curBase = base
            curProto = closure.pointee.proto.unsafelyUnwrapped
            curPC = pc - curProto.pointee.code.unsafelyUnwrapped
            if pendingCall != nil { try completeNativeCall() }
            insCounter += 1
            if insCounter == 1 { setupNarrowing() }
            trace.bytecode.append((curProto, curPC, frames.count))
            if trace.ins.count > engine.params.maxrecord { throw RecordAbort("trace too long") }
            if trace.snapshots.count > engine.params.maxsnap { throw RecordAbort("too many snapshots") }
            if let end = try recordInstruction(pc.pointee, closure: closure) { return end }
            return .continueRecording
        } catch let a as RecordAbort {
            abort(a.reason)
            return .aborted
        } catch {
            abort("error while recording: \(error)")
            return .aborted
        }
    }

    /// The loop hook fired while recording (after a back-edge or at LOOP).
    func loopHeader(pc: UnsafePointer<UInt32>, frame f: JITFrame) -> RecordStatus {
        if done { return .aborted }
        let p = f.closure.pointee.proto.unsafelyUnwrapped
        let idx = pc - p.pointee.code.unsafelyUnwrapped
        if f.thread != thread { abort("coroutine switch"); return .aborted }
        if trace.ins.isEmpty && trace.bytecode.isEmpty { return .continueRecording }  // the start itself
        curBase = f.base
        curProto = p
        curPC = idx
        do { if pendingCall != nil { try completeNativeCall() } } catch {
            abort((error as? RecordAbort)?.reason ?? "\(error)")
            return .aborted
        }
        if inMetamethod { abort("NYI: loop inside a metamethod"); return .aborted }
        if trace.parent == nil && !trace.isReturnTrace && f.depth == depth0 && retDepth == 0 && frames.isEmpty && pc == startPC {
            return close(link: .loop)
        }
        let level = f.depth - depth0
        if unrollsShortLoop(p, idx, level: level) { return .continueRecording }
        if let n = engine.rootTraces[LoopKey(p, idx)], engine.trace(n) != nil {
            // A root loop trace that reaches another loop's trace (an inner loop entered on this
            // iteration) would make the loop's path through that trace its root, and every other
            // path (often the common one: sieve's composite numbers) a side trace that goes back
            // to the root's start through the stack at each iteration: 1.5-2x slower than a loop
            // whose own body is the common path, and which shape a run got hung on which
            // iteration the sampler happened to mark. So the recording is retried at the next
            // back-edge (`tryinner` times, not counted as aborts) for an iteration that stays in
            // the loop; a loop whose every iteration enters the inner loop then links to it.
            if trace.parent == nil && !isFunctionRoot, let k = key, engine.params.hotness != .eager,
               (engine.innerLinkRetries[k] ?? 0) < engine.params.tryinner {
                abort("\(Recorder.innerLinkReason) (\(engine.location(p, idx)))")
                return .aborted
            }
            return close(link: .trace(n))
        }
        // An inner loop with no trace. A root trace gives up (the inner loop gets its own trace
        // first, then this one links to it), unless the inner loop is blacklisted and never will;
        // a side trace (and a root trace then) records through its back-edge, unrolling it into
        // the trace with its loop condition guarded like any branch, a few times. This is also how
        // an inner loop's exit goes round the outer loop back to the inner trace (nested loops
        // compile as LuaJIT compiles them). Past the unroll limit a side trace ends there.
        let blacklisted = engine.blacklist.contains(LoopKey(p, idx))
        // A function trace ends at a loop of its own (or of a function it inlined): the loop
        // gets its own trace, entered at its back-edge.
        if isFunctionRoot && !blacklisted {
            trace.endLoop = LoopKey(p, idx)
            return close(link: .interpreter)
        }
        // A trace that unrolled a short loop and comes round an outer loop a second time ends at
        // its header: that loop gets a root trace of its own (with the short loop unrolled in
        // it), and this trace's end is relinked to it.
        if unrolledShort && crossedHeaders.contains(LoopKey(p, idx)) && (trace.parent != nil || isFunctionRoot) {
            trace.endLoop = LoopKey(p, idx)
            return close(link: .interpreter)
        }
        crossedHeaders.insert(LoopKey(p, idx))
        if trace.parent != nil || blacklisted {
            unrolled += 1
            if unrolled <= engine.params.loopunroll { return .continueRecording }
            if trace.parent != nil || isFunctionRoot {
                trace.endLoop = LoopKey(p, idx)
                return close(link: .interpreter)
            }
        }
        abort("inner loop not compiled yet (\(engine.location(p, idx)))")
        return .aborted
    }

    /// A Lua function was entered while recording (the interpreter's function-entry hook, after
    /// the call was recorded): `f` is its new frame, at its first instruction. A call of the
    /// function a function trace started in ends the trace there, linking back to its own start
    /// with the new frame pushed (up-recursion); a call of a function whose trace does not simply
    /// return (it links on: up-recursion, a loop) ends the trace linking to that trace, as a loop
    /// header with a trace does. Otherwise the call stays inlined.
    func functionEntry(frame f: JITFrame) -> RecordStatus {
        if done { return .aborted }
        if f.thread != thread { abort("coroutine switch"); return .aborted }
        if trace.ins.isEmpty && trace.bytecode.isEmpty { return .continueRecording }  // the start itself
        let p = f.closure.pointee.proto.unsafelyUnwrapped
        // Only a call the recorder inlined as a frame of its own (not a metamethod's).
        guard let fr = frames.last, fr.cont == .call, !inMetamethod, fr.closure.pointee.proto == p,
              f.depth == depth0 - retDepth + frames.count, pendingCall == nil else { return .continueRecording }
        curBase = f.base
        curProto = p
        curPC = 0
        if trace.isFunctionTrace && p == startProto {
            trace.linkNote = "up-recursion"
            return close(link: .trace(trace.id))
        }
        // Loop traces (and their side traces) inline calls as they always did: ending a loop
        // trace at a call would cost a trip through the interpreter per iteration.
        if !inFunctionTraceTree { return .continueRecording }
        // Recursion: how many frames of this function the trace already has.
        let active = frames.dropLast().reduce(startProto == p ? 1 : 0) { $0 + ($1.closure.pointee.proto == p ? 1 : 0) }
        if let n = engine.rootTraces[LoopKey(p, 0)], let t = engine.trace(n) {
            // A trace that hands back to the interpreter (at a return, a tail call, a loop) is
            // better inlined; one that goes on in traces is linked to (so is recursion).
            var linksOn = false
            if case .trace = t.link { linksOn = true }
            if linksOn || active > 0 { return close(link: .trace(n)) }
        }
        // Recursion without a trace to link to is not unrolled further in function traces and
        // their side traces: the trace stops with the new frame pushed and the interpreter runs
        // the call.
        if active >= 2 && inFunctionTraceTree { return stopToInterpreter() }
        return .continueRecording
    }

    /// The start of the abort reason of a root loop recording that reached another loop's trace
    /// (JITEngine retries it at the next back-edge).
    static let innerLinkReason = "reached another loop's trace, retrying for an iteration that stays in the loop"

    func abort(_ reason: String) {
        if done { return }
        done = true
        engine.recordingAborted(self, reason: reason, at: engine.location(curProto, curPC))
    }

    /// Ends the trace: the final snapshot (state at the loop header / link target), a GC check if
    /// the trace allocates, then the end-of-trace passes.
    func close(link: TraceLink) -> RecordStatus {
        // A local accessed through an open upvalue lives in its stack slot: the trace must not
        // keep a value of its own for it (an UGET would read a stale slot, an exit would
        // overwrite a USET).
        if upvalueSlots.contains(where: { modified[index($0)] && !memSlots.contains($0) }) {
            abort("NYI: upvalue of a local the trace changed")
            return .aborted
        }
        snapshotNow(force: true)
        if allocates {
            b.emit(IRIns(.GCSTEP, .void))
            snapshotNow(force: true)   // the last snapshot stays the loop-end state
        }
        trace.link = link
        insertStartSnapshotIfNeeded()
        let problems = PassPipeline.finish(trace, builder: b, options: engine.params.passOptions)
        if let first = problems.first {
            // A recorder or pass bug: never run a trace the verifier rejects.
            abort("IR verifier: \(first)\(problems.count > 1 ? " (and \(problems.count - 1) more)" : "")")
            return .aborted
        }
        if trace.isFunctionTrace, engine.params.hotness != .eager, case .interpreter = link {
            // Entering a trace from the interpreter and leaving it costs more than the
            // interpreter spends on a few instructions: a function trace that hands back to the
            // interpreter must do enough work to pay for that (under counter and sample hotness
            // a retry may record a longer path, e.g. not a recursion's base case).
            let n = trace.ins.reduce(0) { $0 + ($1.op == .NOP ? 0 : 1) }
            if n < engine.params.minfuncins {
                abort("function trace too short to pay for entering it (\(n) IR instructions)")
                return .aborted
            }
        }
        done = true
        return .finished(trace)
    }

    /// Instructions whose helper may fail (out of memory) without a guard of their own: they exit
    /// through the newest snapshot taken before them (CodeGen.failSnapshot, IRInterpreter).
    static let mayFailWithoutGuard: Set<IROp> = [.TNEW, .CAT, .FNEW, .HSTORE, .TSET, .STRSUB, .STRCHAR, .TOSTR, .CALLN]

    /// A side trace that begins with an allocation (TNEW at its first instruction, before any
    /// guard) has no snapshot before it; a failing allocation took the first snapshot after it,
    /// which lists the failed result and resumes past the instruction (found by
    /// bench/tools/jit_stress.sh: a crash at a heap ceiling). Such a trace gets a snapshot of its
    /// start in front: nothing written yet, resume at the start pc.
    func insertStartSnapshotIfNeeded() {
        let first = trace.snapshots.first.map { Int($0.ref) } ?? trace.ins.count
        guard first > 0, trace.ins.prefix(first).contains(where: { !$0.isGuard && Recorder.mayFailWithoutGuard.contains($0.op) })
        else { return }
        let snap = Snapshot(ref: 0, pc: Int32(trace.startPC), entries: [], frames: [],
                            topSlot: Int32(startProto.pointee.framesize))
        trace.snapshots.insert(snap, at: 0)
        for i in trace.ins.indices where trace.ins[i].isGuard { trace.ins[i].snap += 1 }
    }

    /// Stops recording here, handing control to the interpreter at the current instruction.
    func stopToInterpreter() -> RecordStatus {
        close(link: .interpreter)
    }

    // MARK: slots and snapshots

    @inline(__always) func index(_ s: Int32) -> Int {
        let i = Int(s) + 1
        if i >= slots.count {
            slots.append(contentsOf: [IRRef](repeating: noRef, count: i + 64 - slots.count))
            modified.append(contentsOf: [Bool](repeating: false, count: slots.count - modified.count))
        }
        return i
    }

    /// The current value of register r of the innermost frame (the interpreter's view), or the
    /// value the instruction being recorded is about to put there (ITERC's copies).
    @inline(__always) func value(_ r: Int) -> Value {
        if let o = pendingValues, let v = o[r] { return v }
        return curBase[r]
    }

    /// An extra argument of the trace's base frame (slot s below its function slot): the trace
    /// never writes those slots, so one load serves until a RETF renumbers the slots.
    func baseVararg(_ s: Int32) -> IRRef {
        if let r = baseVarargRefs[s] { return r }
        ensureSnapshot()
        let ref = b.emit(IRIns(.SLOAD, IRType.of(curBase[Int(s)]), c: s, guarded: true))
        baseVarargRefs[s] = ref
        return ref
    }

    /// The IR value of register r of the innermost frame as a Lua value (an int, which only a
    /// narrowed loop counter and values derived from it are, as its num).
    func get(_ r: Int) throws -> IRRef {
        let x = try getRaw(r)
        return trace.type(of: x) == .int ? b.emit(IRIns(.TONUM, .num, a: x)) : x
    }

    /// x as a num (TONUM of an int).
    func toNum(_ x: IRRef) -> IRRef {
        trace.type(of: x) == .int ? b.emit(IRIns(.TONUM, .num, a: x)) : x
    }

    /// The IR value of register r of the innermost frame: possibly an int (RecordNarrow.swift).
    func getRaw(_ r: Int) throws -> IRRef {
        let s = baseSlot + Int32(r)
        if s < -1 { throw RecordAbort("NYI: slot below the trace's frame") }
        let i = index(s)
        if slots[i] != noRef { return slots[i] }
        let v = value(r)
        let ty = IRType.of(v)
        ensureSnapshot()
        // (A store through an open upvalue may have changed the slot since the trace started.)
        let inherited = upvalueSlots.isEmpty && memSlots.isEmpty && inheritedTypes[s] == ty
        if inherited { usedInheritedTypes = true }
        let ref = b.emit(IRIns(.SLOAD, ty, c: s, guarded: !inherited))
        slots[i] = ref
        return ref
    }

    func set(_ r: Int, _ ref: IRRef) {
        let s = baseSlot + Int32(r)
        let i = index(s)
        slots[i] = ref
        modified[i] = true
        if !memSlots.isEmpty && memSlots.contains(s) { storeSlot(s, ref) }
    }

    /// Writes slot s's value to the stack (SSTORE; an int is stored as a number).
    func storeSlot(_ s: Int32, _ ref: IRRef) {
        b.emit(IRIns(.SSTORE, .void, a: toNum(ref), c: s))
    }

    /// Makes the stack hold slot s's current value: the trace keeps values of slots it changed in
    /// registers until an exit. A slot the trace holds a ref for is stored even when this
    /// iteration has not changed it: in the loop body (LoopPeel) the ref is the previous
    /// iteration's value, which the stack does not have.
    func flushSlot(_ s: Int32) {
        let i = index(s)
        if i < slots.count && slots[i] != noRef { storeSlot(s, slots[i]) }
    }

    /// flushSlot for a slot an upvalue is about to capture: loaded first if the trace has no ref
    /// for it yet (a loop-carried value must reach the stack in every iteration).
    func flushCapturedSlot(_ s: Int32) throws {
        _ = try getRaw(Int(s - baseSlot))
        flushSlot(s)
    }

    /// After a library call (which may run Lua code writing through the open upvalues the trace
    /// made): slots living in memory are loaded again when next read.
    func forgetMemSlots() {
        for s in memSlots where index(s) < slots.count { slots[index(s)] = noRef }
    }

    /// Closes the open upvalues of slot `level` and above (UCLO, returns): first every slot the
    /// trace changed there gets its current value on the stack (an upvalue opened before the trace
    /// started may point at it), then the helper copies the values into the upvalues.
    func closeUpvalues(from level: Int32) throws {
        if level < 0 { throw RecordAbort("NYI: closing upvalues below the trace's base frame") }
        let top = max(baseSlot + Int32(curProto.pointee.framesize), memSlots.max().map { $0 + 1 } ?? 0)
        var s = level
        while s < top && Int(s) + 1 < slots.count {
            if !memSlots.contains(s) { flushSlot(s) }
            s += 1
        }
        b.emit(IRIns(.UCLO, .void, c: level))
        memSlots = memSlots.filter { $0 < level }
        upvalueSlots = upvalueSlots.filter { $0 < level }
    }

    /// Takes the snapshot for the current instruction once (before its first guard).
    func ensureSnapshot() {
        // Inside an inlined metamethod every guard exits through the snapshot of the instruction
        // that called it: the interpreter redoes that instruction (and the whole metamethod).
        if inMetamethod { return }
        if snapForIns == insCounter { return }
        snapForIns = insCounter
        snapshotNow(force: false)
    }

    func snapshotNow(force: Bool) {
        // Multiple results (VARG, a call keeping all results) may lie past the frame's registers.
        let top = max(baseSlot + Int32(curProto.pointee.framesize), multTop ?? 0)
        var entries: [SnapEntry] = []
        var s: Int32 = -1
        while s < top && Int(s) + 1 < slots.count {
            let i = Int(s) + 1
            if modified[i] && slots[i] != noRef { entries.append(SnapEntry(slot: s, ref: slots[i])) }
            s += 1
        }
        let fr = frames.map { SnapFrame(funcSlot: $0.funcSlot, closure: $0.closureRef, proto: $0.closure.pointee.proto.unsafelyUnwrapped,
                                            returnPC: $0.returnPC, nresults: $0.nresults, baseOffset: $0.baseOffset,
                                            nvarargs: $0.nvarargs, tail: $0.tail) }
        var snap = Snapshot(ref: Int32(trace.ins.count), pc: Int32(curPC), entries: entries, frames: fr, topSlot: top)
        snap.multresTop = multTop
        snap.baseClosure = baseClosureRef
        snap.unrolledLoop = currentUnrolledLoop()
        if !force, let last = trace.snapshots.last, last.ref == snap.ref, last.pc == snap.pc, last.entries == snap.entries,
           last.frames == snap.frames, last.multresTop == snap.multresTop {
            return
        }
        trace.snapshots.append(snap)
    }

    /// Emits a guard (after taking the instruction's snapshot).
    @discardableResult
    func guardIns(_ op: IROp, _ a: IRRef, _ bb: IRRef = noRef) -> IRRef {
        ensureSnapshot()
        return b.emit(IRIns(op, .void, a: a, b: bb, guarded: true))
    }

    /// Emits a typed load that guards its type.
    func typedLoad(_ ins: IRIns) -> IRRef {
        ensureSnapshot()
        var i = ins
        i.flags |= IRIns.guardFlag
        return b.emit(i)
    }

    func k(_ i: Int) -> Value {
        UnsafePointer<Value>(OpaquePointer(curProto.pointee.k.unsafelyUnwrapped))[i]
    }

    func const(_ v: Value) -> IRRef { b.const(.value(v)) }
    func constPtr(_ p: UnsafeMutableRawPointer?) -> IRRef { b.const(IRConst(.ptr, UInt64(UInt(bitPattern: p)))) }
    func constObj(_ t: IRType, _ p: UnsafeMutableRawPointer) -> IRRef { b.const(IRConst(t, UInt64(UInt(bitPattern: p)))) }

    /// Recording inside an inlined metamethod (a frame that returns into an instruction, not a call).
    var inMetamethod: Bool { frames.contains { $0.cont != .call } }

    /// Whether r is a table allocated inside the current metamethod (stores into it are invisible
    /// to the interpreter when a guard makes it redo the metamethod's instruction).
    func isFreshTable(_ r: IRRef) -> Bool {
        guard let f = frames.first(where: { $0.cont != .call }), !isConst(r), r >= f.mmStart else { return false }
        return trace.ins[Int(r)].op == .TNEW
    }

    /// Effects inside a metamethod must be invisible to a redo of its instruction: only stores
    /// into tables it allocated itself.
    func checkMetamethodStore(_ t: IRRef?) throws {
        guard inMetamethod else { return }
        if let t, isFreshTable(t) { return }
        throw RecordAbort("NYI: store inside a metamethod")
    }

    /// The trace slot an open upvalue points at (a local of one of the trace's frames), or nil
    /// (closed, or a local of a frame below the trace's base frame).
    func openUpvalueSlot(_ uv: UnsafeMutablePointer<tj_upval>) -> Int32? {
        if uv.pointee.isclosed != 0 { return nil }
        let reg0 = Int(bitPattern: UnsafeMutableRawPointer(curBase)) - 8 * Int(baseSlot)
        let addr = Int(bitPattern: UnsafeMutableRawPointer(uv.pointee.v))
        // Below the trace's frames, or not on this coroutine's stack at all.
        if addr < reg0 - 8 || addr >= Int(bitPattern: UnsafeMutableRawPointer(vm.jitStackLimit)) { return nil }
        let off = addr - reg0
        return Int32(off / 8)
    }

    /// The closure of the innermost frame as an IR value.
    func currentClosure() throws -> IRRef {
        if let f = frames.last { return f.closureRef }
        return try get(-1 - Int(baseSlot))
    }
}

