// Trace exits: rebuilding the interpreter state a snapshot describes. Shared by both backends;
// each supplies the unboxed value of an IR reference at the exit.
import Bytecode
import CVM
import Runtime

enum ExitRestore {
    /// Writes snapshot `si` of `t` into the interpreter: the changed slots (boxed by type), a call
    /// record for each inlined frame, and the pc to resume at. `base` is the trace's base frame.
    static func restore(_ vm: LuaVM, _ t: Trace, snap si: Int, base: UnsafeMutablePointer<Value>,
                        value: (IRRef) -> UInt64) throws {
        let s = t.snapshots[si]
        for e in s.entries {
            let ty = t.type(of: e.ref)
            base[Int(e.slot)] = ty.box(e.ref < 0 ? t.consts[Int(~e.ref)].bits : value(e.ref))
        }
        var proto = t.startProto
        for f in s.frames {
            vm.jitSetTopPC(proto.pointee.code.unsafelyUnwrapped + Int(f.returnPC))
            let cl = LFuncRef(OpaquePointer(UnsafeMutableRawPointer(bitPattern: UInt(t.consts[Int(~f.closure)].bits)).unsafelyUnwrapped))
            proto = cl.pointee.proto.unsafelyUnwrapped
            try vm.jitPushLuaFrame(fn: base + Int(f.funcSlot), closure: cl, pc: proto.pointee.code.unsafelyUnwrapped,
                                   nresults: f.nresults)
        }
        vm.jitSetTopPC(proto.pointee.code.unsafelyUnwrapped + Int(s.pc))
        vm.jitSyncTop()
    }
}
