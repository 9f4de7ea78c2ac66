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
        let s = t.snapshots[si]
        for e in s.entries where !slotsWritten {
            let ty = t.type(of: e.ref)
            base[Int(e.slot)] = ty.box(e.ref < 0 ? t.consts[Int(~e.ref)].bits : value(e.ref))
        }
        let proto = try pushFrames(vm, t, s, base: base)
        vm.jitSetTopPC(proto.pointee.code.unsafelyUnwrapped + Int(s.pc))
        vm.jitSyncTop()
        if let m = s.multresTop { vm.jitSetMultresTop(base + Int(m)) }
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
    /// points); returns the innermost frame's prototype. On a stack overflow nothing stays pushed.
    @discardableResult
    static func pushFrames(_ vm: LuaVM, _ t: Trace, _ s: Snapshot, base: UnsafeMutablePointer<Value>) throws -> ProtoRef {
        var proto = s.baseClosure == noRef ? t.startProto : closure(t, s.baseClosure).pointee.proto.unsafelyUnwrapped
        let depth = vm.jitFrameCount
        do {
            for f in s.frames {
                vm.jitSetTopPC(proto.pointee.code.unsafelyUnwrapped + Int(f.returnPC))
                let cl = frameClosure(t, f, base: base)
                proto = f.proto
                try vm.jitPushLuaFrame(fn: base + Int(f.funcSlot), closure: cl, pc: proto.pointee.code.unsafelyUnwrapped,
                                       nresults: f.nresults, baseOffset: Int(f.baseOffset), nvarargs: f.nvarargs)
            }
        } catch {
            vm.jitFrameCount = depth
            throw error
        }
        return proto
    }
}
