// Trace exits: rebuilding the interpreter state a snapshot describes. Shared by both backends;
// each supplies the unboxed value of an IR reference at the exit.
import Bytecode
import CVM
import Runtime

enum ExitRestore {
    /// Writes snapshot `si` of `t` into the interpreter: the changed slots (boxed by type), a call
    /// record for each inlined frame, and the pc to resume at. `base` is the trace's base frame.
    static func restore(_ vm: LuaVM, _ t: Trace, snap si: Int, base: UnsafeMutablePointer<Value>,
                        slotsWritten: Bool = false, value: (IRRef) -> UInt64) throws {
        // The snapshot is read in place (no copy of it or its arrays: this runs at every exit,
        // and at every return of a function trace).
        try t.snapshots.withUnsafeBufferPointer { sp in
            let s = sp.baseAddress.unsafelyUnwrapped + si
            if !slotsWritten {
                t.consts.withUnsafeBufferPointer { ks in
                    s.pointee.entries.withUnsafeBufferPointer { es in
                        for e in es {
                            let ty = t.type(of: e.ref)
                            base[Int(e.slot)] = ty.box(e.ref < 0 ? ks[Int(~e.ref)].bits : value(e.ref))
                        }
                    }
                }
            }
            let proto: ProtoRef
            if s.pointee.frames.isEmpty {
                let bc = s.pointee.baseClosure
                proto = bc == noRef ? t.startProto : closure(t, bc).pointee.proto.unsafelyUnwrapped
            } else {
                proto = try pushFrames(vm, t, s.pointee, base: base)
            }
            vm.jitSetTopPC(proto.pointee.code.unsafelyUnwrapped + Int(s.pointee.pc))
            vm.jitSyncTop()
            if let m = s.pointee.multresTop { vm.jitSetMultresTop(base + Int(m)) }
        }
    }

    static func closure(_ t: Trace, _ r: IRRef) -> LFuncRef {
        LFuncRef(OpaquePointer(UnsafeMutableRawPointer(bitPattern: UInt(t.consts[Int(~r)].bits)).unsafelyUnwrapped))
    }

    /// The closure of inlined frame f: its constant, or (only the prototype guarded) the value
    /// in its function slot, which the snapshot's entries have already restored.
    static func frameClosure(_ t: Trace, _ f: SnapFrame, base: UnsafeMutablePointer<Value>) -> LFuncRef {
        f.closure < 0 ? closure(t, f.closure) : base[Int(f.funcSlot)].luaFunction
    }

    /// Pushes a call record for each inlined frame of `s` (the callers' pcs set to their return
    /// points); returns the innermost frame's prototype. On a stack overflow the frames that fit
    /// stay and the innermost of them resumes at the instruction that made the call that does not
    /// fit (its function and arguments are in place): the interpreter redoes it and raises the
    /// overflow where it would have without the trace.
    @discardableResult
    static func pushFrames(_ vm: LuaVM, _ t: Trace, _ s: Snapshot, base: UnsafeMutablePointer<Value>) throws -> ProtoRef {
        var proto = s.baseClosure == noRef ? t.startProto : closure(t, s.baseClosure).pointee.proto.unsafelyUnwrapped
        for f in s.frames {
            vm.jitSetTopPC(proto.pointee.code.unsafelyUnwrapped + Int(f.returnPC))
            let cl = frameClosure(t, f, base: base)
            do {
                try vm.jitPushLuaFrame(fn: base + Int(f.funcSlot), closure: cl, pc: f.proto.pointee.code.unsafelyUnwrapped,
                                       nresults: f.nresults, baseOffset: Int(f.baseOffset), nvarargs: f.nvarargs,
                                       tail: f.tail)
            } catch {
                vm.jitSetTopPC(proto.pointee.code.unsafelyUnwrapped + Int(f.returnPC) - 1)
                vm.jitSyncTop()
                throw error
            }
            proto = f.proto
        }
        return proto
    }
}
