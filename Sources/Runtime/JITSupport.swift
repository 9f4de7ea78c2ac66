// JITSupport: what the trace JIT needs from the runtime (ARCHITECTURE: Runtime defines the
// protocol, the JIT module implements it; Runtime never imports JIT).
//
//   - `LoopHook.loopHeader` is called at taken loop back-edges and LOOP instructions when a hook is
//     installed. The JIT may record, run a trace, or do nothing; it returns true when it changed the
//     interpreter's state (a trace ran and exited somewhere else), and the loop then reloads its
//     frame from the call records.
//   - While `jitRecording` is set, the interpreter calls `RecordHook.record` before every
//     instruction, with the state the instruction is about to see. The recorder returns false to
//     stop recording (trace finished or aborted).
//   - `JITFrame`/`jitCurrentFrame`/`jitPushLuaFrame`/`jitSetTopPC`: read the running frame and
//     rebuild frames (inlined calls) at a trace exit.
import Bytecode
import CVM

/// Called before each instruction while recording.
public protocol RecordHook: AnyObject {
    /// `pc` is the instruction about to run, `base` its frame's register 0, `depth` the number of
    /// call records of the running coroutine (the frame's identity together with base), `top` the
    /// end of the last multiple results (meaningful only right after an instruction that set it).
    func record(_ vm: LuaVM, pc: UnsafePointer<UInt32>, base: UnsafeMutablePointer<Value>, closure: LFuncRef,
                depth: Int, top: UnsafeMutablePointer<Value>) -> Bool
    /// The instruction being recorded raised an error (the recording must stop).
    func recordingFailed(_ vm: LuaVM, error: String)
}

/// The running Lua frame, as the JIT sees it.
public struct JITFrame {
    public var thread: ThreadRef
    public var base: UnsafeMutablePointer<Value>
    public var closure: LFuncRef
    public var pc: UnsafePointer<UInt32>
    /// Call records of the coroutine (this frame is the last).
    public var depth: Int
    /// The frame's `nresults` (what its caller wants).
    public var nresults: Int32
    /// Varargs of the frame (0 for fixed-arity functions).
    public var nvarargs: Int32
}

extension LuaVM {
    /// The top frame of the running coroutine (must be a Lua frame).
    public func jitCurrentFrame() -> JITFrame {
        let L = currentThread
        let co = coState(L)
        let ci = co.pointee.cis + (co.pointee.ciCount - 1)
        return JITFrame(thread: L, base: ci.pointee.base, closure: ci.pointee.closure.unsafelyUnwrapped,
                        pc: ci.pointee.pc, depth: co.pointee.ciCount, nresults: ci.pointee.nresults,
                        nvarargs: ci.pointee.nvarargs)
    }

    /// True when the top frame is a plain Lua frame (not pcall, not a Swift-level entry).
    public var jitTopFrameIsPlainLua: Bool {
        let co = coState(currentThread)
        guard co.pointee.ciCount > 0 else { return false }
        return co.pointee.cis[co.pointee.ciCount - 1].flags & CIFlag.lua != 0
    }

    /// Varargs of the top frame (a trace's base frame: inlined frames have no call record).
    public var jitTopFrameNvarargs: Int32 {
        let co = coState(currentThread)
        guard co.pointee.ciCount > 0 else { return -1 }
        return co.pointee.cis[co.pointee.ciCount - 1].nvarargs
    }

    /// Sets the pc the top frame resumes at.
    public func jitSetTopPC(_ pc: UnsafePointer<UInt32>) {
        let co = coState(currentThread)
        co.pointee.cis[co.pointee.ciCount - 1].pc = pc
    }

    /// Pushes a Lua frame for closure `f` whose function slot is `fn` (registers from fn + 1),
    /// resuming at `pc`, as an exit from an inlined call rebuilds it. The caller's pc must already be
    /// its return pc. Throws "stack overflow" where a call would.
    public func jitPushLuaFrame(fn: UnsafeMutablePointer<Value>, closure f: LFuncRef, pc: UnsafePointer<UInt32>,
                                nresults: Int32, baseOffset: Int = 1, nvarargs: Int32 = 0, tail: Bool = false) throws {
        let L = currentThread
        let co = coState(L)
        let p = f.pointee.proto.unsafelyUnwrapped
        let base = fn + baseOffset
        let top = base + Int(p.pointee.framesize)
        if addr(top + InterpLimits.stackMargin) > addr(co.pointee.stackLimit) || co.pointee.ciCount >= co.pointee.ciCap {
            throw stackOverflow(L, co)
        }
        pushInlinedFrame(co, fn: fn, closure: f, pc: pc, nresults: nresults, baseOffset: baseOffset, nvarargs: nvarargs,
                         tail: tail)
        if addr(top) > addr(co.pointee.highWater) { co.pointee.highWater = top }
        L.pointee.top = UInt32(top - stackBase(L))
    }

    /// The call record of a Lua frame a trace inlined (the caller checked the room for it). A
    /// vararg function's registers start above its extra arguments and a copy of the function and
    /// fixed parameters (`baseOffset` = arguments + 2), as a call sets them up.
    @inline(__always) func pushInlinedFrame(_ co: CoPtr, fn: UnsafeMutablePointer<Value>, closure f: LFuncRef,
                                            pc: UnsafePointer<UInt32>, nresults: Int32, baseOffset: Int = 1,
                                            nvarargs: Int32 = 0, tail: Bool = false) {
        let base = fn + baseOffset
        let ci = co.pointee.cis + co.pointee.ciCount
        co.pointee.ciCount += 1
        ci.pointee = CallInfo(fn: fn, base: base, top: base + Int(f.pointee.proto.unsafelyUnwrapped.pointee.framesize),
                              pc: pc, closure: f, nresults: nresults, flags: tail ? CIFlag.lua | CIFlag.tail : CIFlag.lua,
                              nvarargs: nvarargs, handler: .nil)
    }

    /// The Lua frame below the top frame, when the top frame is a plain Lua frame (entered by a
    /// Lua call or tail call, fixed arity) that returns into it: what a trace returning below its
    /// start frame continues in.
    public func jitCallerFrame() -> JITFrame? {
        let L = currentThread
        let co = coState(L)
        guard let below = poppableCaller(co), let cl = below.pointee.closure else { return nil }
        return JITFrame(thread: L, base: below.pointee.base, closure: cl, pc: below.pointee.pc, depth: co.pointee.ciCount - 1,
                        nresults: below.pointee.nresults, nvarargs: below.pointee.nvarargs)
    }

    /// The call record below the top frame when a trace may return into it: the top frame is a
    /// plain Lua frame (Lua call or tail call, fixed arity) and the one below is a Lua frame.
    @inline(__always) func poppableCaller(_ co: CoPtr) -> UnsafeMutablePointer<CallInfo>? {
        let n = co.pointee.ciCount
        guard n >= 2 else { return nil }
        let top = co.pointee.cis + (n - 1), below = co.pointee.cis + (n - 2)
        guard top.pointee.flags & ~CIFlag.tail == CIFlag.lua, top.pointee.nvarargs == 0,
              top.pointee.fn + 1 == top.pointee.base, below.pointee.flags & CIFlag.lua != 0 else { return nil }
        return below
    }

    /// A trace returns from the top frame into its caller (IR RETF): when the caller is the Lua
    /// frame of `closure` resuming at `pc` (and the top frame is one a trace may pop, as
    /// jitCallerFrame checks, with no open upvalue into it: the interpreter's return would close
    /// them), pops the top frame and returns true; else changes nothing.
    public func jitReturnToCaller(closure: LFuncRef, pc: UnsafePointer<UInt32>) -> Bool {
        let co = coState(currentThread)
        guard let below = poppableCaller(co), below.pointee.closure == closure, below.pointee.pc == pc else { return false }
        if let u = currentThread.pointee.openupval, addr(u.pointee.v) >= addr(co.pointee.cis[co.pointee.ciCount - 1].base) {
            return false
        }
        co.pointee.ciCount -= 1
        return true
    }

    /// Call records of the running coroutine; setting a smaller count drops the frames above it
    /// (undoing frames an unfinished exit pushed).
    public var jitFrameCount: Int {
        get { coState(currentThread).pointee.ciCount }
        set {
            let co = coState(currentThread)
            if newValue >= 1 && newValue <= co.pointee.ciCount { co.pointee.ciCount = newValue }
        }
    }

    /// After an exit: `thread.top` at the top frame's end (the GC's view of the stack).
    public func jitSyncTop() {
        let L = currentThread
        let co = coState(L)
        let ci = co.pointee.cis + (co.pointee.ciCount - 1)
        if addr(ci.pointee.top) > addr(co.pointee.highWater) { co.pointee.highWater = ci.pointee.top }
        L.pointee.top = UInt32(ci.pointee.top - stackBase(L))
    }

    /// One past the last slot any frame may use without a stack check (for exits that grow frames).
    public var jitStackLimit: UnsafeMutablePointer<Value> {
        coState(currentThread).pointee.stackLimit - InterpLimits.stackMargin
    }

    /// The builtin index of a native function value, and its registered (unqualified) name.
    public func jitBuiltin(_ f: CFuncRef) -> (id: Int, name: String) {
        let id = Int(f.pointee.builtin)
        return (id, id < builtins.count ? builtins[id].name : "?")
    }

    /// The running coroutine is the main one (traces never run or record elsewhere... yet).
    public var jitOnMainThread: Bool { currentThread == mainThread }

    /// Swift-level call depth (metamethods, callbacks): recording only happens at one depth.
    public var jitSwiftDepth: Int { swiftDepth }

    /// FNEW from a trace: a closure of child prototype `child` of `parent`, its frame's locals
    /// captured as open upvalues of the running coroutine's stack slots from `base`.
    public func jitNewClosure(parent: LFuncRef, child: Int, base: UnsafeMutablePointer<Value>) throws -> LFuncRef {
        try newClosure(currentThread, parent: parent, base: base, child: child).luaFunction
    }

    /// UCLO from a trace: closes the running coroutine's open upvalues of `level` and above.
    public func jitCloseUpvalues(level: UnsafeMutablePointer<Value>) {
        if currentThread.pointee.openupval != nil { closeUpvalues(currentThread, level: level) }
    }

    /// Calls a native function from a trace (above the running frame, as library callbacks are
    /// called). On an error the call records are restored and the error is rethrown; the trace
    /// then exits and the interpreter redoes the call and raises it properly.
    public func jitCallNative(_ f: Value, _ args: [Value], wanted: Int) throws -> [Value] {
        try nativeCallFromTrace { try call(f, args, wanted: wanted) }
    }

    /// jitCallNative without arrays (CALLN from machine code): `nargs` boxed arguments from `args`;
    /// the results go to `results` (nil past the last, `fill` words in all); returns their count.
    public func jitCallNative(_ f: Value, args: UnsafePointer<UInt64>, nargs: Int,
                              results: UnsafeMutablePointer<UInt64>, fill: Int) throws -> Int {
        let L = currentThread
        return try nativeCallFromTrace {
            let top = callTop(L)
            let n = try callPlaced(L, top: top, fn: f, nargs: nargs, wanted: -1) { a in
                for i in 0..<nargs { a[i] = Value(bits: args[i]) }
            }
            for i in 0..<fill { results[i] = i < n ? top[i].bits : Value.nil.bits }
            return n
        }
    }

    /// Runs a call made from a trace: no collection meanwhile (the trace's values live in
    /// registers the collector cannot see; a sort comparator or __tostring may allocate), the
    /// profiler's view of the trace published again afterwards (a callback into Lua runs the
    /// interpreter, which publishes its own state), and the call records restored on an error.
    private func nativeCallFromTrace<T>(_ body: () throws -> T) throws -> T {
        let co = coState(currentThread)
        let saved = co.pointee.ciCount
        let (tag, trace, proto, pc, base) = (tj_vm_state.tag, tj_vm_state.trace, tj_vm_state.proto,
                                              tj_vm_state.pc, tj_vm_state.base)
        defer {
            tj_vm_state.proto = proto
            tj_vm_state.pc = pc
            tj_vm_state.base = base
            tj_vm_state.trace = trace
            tj_vm_state.tag = tag
        }
        do {
            return try heap.withoutCollection(body)
        } catch {
            co.pointee.ciCount = saved
            throw error
        }
    }

    /// Sets the `top` a resumed interpreter loop uses for an instruction that consumes multiple
    /// results (an exit between a multi-result call and its consumer).
    public func jitSetMultresTop(_ p: UnsafeMutablePointer<Value>) {
        coState(currentThread).pointee.resumeTop = p
    }

    /// A string result for traces.
    public func jitConcat(_ a: Value, _ b: Value) throws -> StringRef {
        if let s = try heap.concat(a, b) { return s }
        return try heap.intern("")
    }
}

extension Heap {
    /// A collection is due (the interpreter's next safe point would collect).
    @inline(__always) public var collectionPending: Bool { st.pointee.totalBytes >= st.pointee.trigger }
}

/// What machine code needs to push and pop call records itself (the same records
/// `pushInlinedFrame` and `jitReturnToCaller` write and check), without calling into Swift: the
/// layout of CallInfo and CoState, the thread fields, and where the running coroutine is
/// published (`tj_vm_state.thread`, set whenever the interpreter switches coroutines).
public enum JITFrameLayout {
    public static let ciSize = Int32(MemoryLayout<CallInfo>.stride)
    public static let ciFn = Int32(MemoryLayout<CallInfo>.offset(of: \CallInfo.fn)!)
    public static let ciBase = Int32(MemoryLayout<CallInfo>.offset(of: \CallInfo.base)!)
    public static let ciTop = Int32(MemoryLayout<CallInfo>.offset(of: \CallInfo.top)!)
    public static let ciPC = Int32(MemoryLayout<CallInfo>.offset(of: \CallInfo.pc)!)
    public static let ciClosure = Int32(MemoryLayout<CallInfo>.offset(of: \CallInfo.closure)!)
    public static let ciNresults = Int32(MemoryLayout<CallInfo>.offset(of: \CallInfo.nresults)!)
    public static let ciFlags = Int32(MemoryLayout<CallInfo>.offset(of: \CallInfo.flags)!)
    public static let ciNvarargs = Int32(MemoryLayout<CallInfo>.offset(of: \CallInfo.nvarargs)!)
    public static let ciPad = Int32(MemoryLayout<CallInfo>.offset(of: \CallInfo.pad)!)
    public static let ciHandler = Int32(MemoryLayout<CallInfo>.offset(of: \CallInfo.handler)!)
    public static let coCis = Int32(MemoryLayout<CoState>.offset(of: \CoState.cis)!)
    public static let coCount = Int32(MemoryLayout<CoState>.offset(of: \CoState.ciCount)!)
    public static let coCap = Int32(MemoryLayout<CoState>.offset(of: \CoState.ciCap)!)
    public static let coStackLimit = Int32(MemoryLayout<CoState>.offset(of: \CoState.stackLimit)!)
    public static let coHighWater = Int32(MemoryLayout<CoState>.offset(of: \CoState.highWater)!)
    public static let threadStack = Int32(MemoryLayout<tj_thread>.offset(of: \tj_thread.stack)!)
    public static let threadTop = Int32(MemoryLayout<tj_thread>.offset(of: \tj_thread.top)!)
    public static let threadInterp = Int32(MemoryLayout<tj_thread>.offset(of: \tj_thread.interp)!)
    public static let threadOpenupval = Int32(MemoryLayout<tj_thread>.offset(of: \tj_thread.openupval)!)
    public static let upvalV = Int32(MemoryLayout<tj_upval>.offset(of: \tj_upval.v)!)
    public static let flagLua = CIFlag.lua
    public static let flagTail = CIFlag.tail
    /// Slots that must stay free above a pushed frame (the same margin as calls keep).
    public static let stackMargin = Int32(InterpLimits.stackMargin)
    /// Address of `tj_vm_state.thread` (the running coroutine's tj_thread pointer).
    public static let runningThreadAddress: UInt64 = withUnsafeMutablePointer(to: &tj_vm_state) {
        UInt64(UInt(bitPattern: $0)) + UInt64(MemoryLayout<tj_vmstate_t>.offset(of: \tj_vmstate_t.thread)!)
    }
}
