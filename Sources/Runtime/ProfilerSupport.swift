// ProfilerSupport: what the sampling profiler needs from the runtime, without Runtime importing
// Profiler (the CLI connects the two; see docs/profiler.md "Integration").
//   - `LuaVM.runOnVMThread`: run code on the VM's big-stack thread, where the sampler must be
//     started and stopped (it samples the thread that starts it); programs run inside it stay on
//     that thread.
//   - `InterpreterFrameLayout`: byte offsets of the interpreter's call records, for the signal
//     handler's Lua frame walk (the profiler's `FrameLayout`).
//   - `Heap.recordPrototypes()` / `Heap.prototypesByID`: tj_proto.id -> bytecode Proto, for naming
//     sampled frames after the run (also of prototypes the GC has freed since).
//   - `LuaVM.builtinNames`: builtin index -> name (TJ_VMSTATE_LIBRARY samples).
import Bytecode
import Glibc

/// Where the interpreter's call records are, as byte offsets (tj_thread.interp points to a CoState).
public enum InterpreterFrameLayout {
    /// Size of one call record (CallInfo), array stride.
    public static let callRecordStride = MemoryLayout<CallInfo>.stride
    /// Offset of the records pointer in CoState.
    public static let recordsPointerOffset = MemoryLayout<CoState>.offset(of: \CoState.cis)!
    /// Offset of the record count (Int) in CoState.
    public static let recordCountOffset = MemoryLayout<CoState>.offset(of: \CoState.ciCount)!
    /// Offset of the saved pc (next instruction) in a record.
    public static let pcOffset = MemoryLayout<CallInfo>.offset(of: \CallInfo.pc)!
    /// Offset of the tj_lfunc pointer (nil for natives) in a record.
    public static let closureOffset = MemoryLayout<CallInfo>.offset(of: \CallInfo.closure)!
    /// Offset of the UInt32 flags in a record.
    public static let flagsOffset = MemoryLayout<CallInfo>.offset(of: \CallInfo.flags)!
    /// The flags bit of Lua records.
    public static let luaFlag: UInt32 = CIFlag.lua
    /// Native symbols of the interpreter loop (where mixed-mode profiles splice in Lua frames).
    public static let interpreterSymbols = ["LuaVM.run"]
}

extension Heap {
    /// Starts keeping every prototype built from now on (by id), so a profile can name frames of
    /// prototypes that were collected before it was built. Off by default (it keeps them alive).
    public func recordPrototypes() {
        if protoIndex == nil { protoIndex = [:] }
    }

    /// The prototypes built since `recordPrototypes()`, by tj_proto.id.
    public var prototypesByID: [UInt32: Proto] { protoIndex ?? [:] }
}

extension LuaVM {
    /// Builtin names by builtin index.
    public var builtinNames: [String] { builtins.map(\.name) }

    /// Runs `body` on the VM thread (a thread with a 512 MB stack). Programs run from inside it
    /// (`runMainChunk`, `runFunction`) stay on this thread instead of starting their own, so a
    /// sampler started in `body` sees every chunk. Returns `body`'s result.
    public func runOnVMThread<T>(_ body: @escaping () -> T) -> T {
        if onVMThread { return body() }
        var out: T?
        _ = try? runOnBigStack {
            out = body()
            return 0
        }
        // runOnBigStack only fails to start a thread when it ran body on this thread instead.
        return out ?? body()
    }
}
