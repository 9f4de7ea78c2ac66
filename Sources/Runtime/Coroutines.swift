// Coroutines: create, resume, yield, status, wrap, running, isyieldable.
//
// Each coroutine has its own value stack and call records. There are two ways to run one:
//
// - In the interpreter loop (the common case: `coroutine.resume` or a wrap function called by a
//   Lua CALL, the coroutine suspended at a yield made from Lua or not started with a Lua body).
//   The loop's CALL hands these calls to `coroutineCall`, which pushes the native's call record on the
//   resumer's stack as for any native; `resumeInLoop` then moves the arguments over, marks the
//   coroutine as resumed by that thread (`CoState.resumer`) and makes it the current thread, and -3
//   goes back to the loop, which reloads its thread, stack and frame and goes on dispatching in the
//   coroutine. Nothing is pushed on the Swift stack. A yield (`coroutineCall`, or `yieldNative`
//   through a tail call) or the return of the coroutine's base frame (`coroutineFinished`) does
//   the reverse in `switchBack`: the values become the results of the resumer's pending resume
//   record, which is popped as a native's would be, and the loop continues in the resumer. An
//   error that no pcall frame of the coroutine catches kills it (`coroutineDied`, called by
//   `execute`'s recovery): resume returns false, msg; a wrap function raises the error in its
//   caller.
// - With a nested `execute` on the Swift stack (`resume`): when a native or Swift code resumes
//   (pcall(coroutine.resume, co), a library callback, a trace's native call, a tail call), or the
//   coroutine's body is a native, or it yielded through a tail call. Its yield returns -1 from the
//   native and the loop returns from `run` with its frames intact.
//
// Either way the yield's own call record stays on top of the suspended coroutine; resuming again
// stores the resume arguments as that call's results and pops it, so the next resume may take the
// other way. Yields can cross Lua frames and in-loop pcall frames, but not Swift-level calls
// (metamethods, library callbacks): those raise "attempt to yield across C-call boundary", as in
// Lua 5.1. Both ways count a resume against InterpLimits.maxSwiftDepth (nested resumes stop at the
// same depth whichever way they ran).
import Bytecode
import CVM

extension LuaVM {
    static let coroutineStackSlots = 1 << 18

    func registerCoroutineLibrary() {
        // resume, yield and the wrap functions' builtin first, in this order: their ids are
        // consecutive, so the interpreter loop tells them from other natives with one compare
        // (coSwitchBase).
        registerLibrary("coroutine", [
            ("resume", { vm, a in
                let c = a[0]
                guard c.isThread else { throw vm.argError(1, "resume", "coroutine expected") }
                return try vm.resume(c.thread, a, firstArg: 1, wrap: false)
            }),
            ("yield", { vm, a in try vm.yieldNative(a) }),
        ])
        do {
            let wrapped = try makeBuiltin("wrap_aux") { vm, a in
                let c = a.fn.upvalues[0]
                return try vm.resume(c.thread, a, firstArg: 0, wrap: true)
            }
            let wrappedID = Int(wrapped.nativeFunction.pointee.builtin)
            wrapAuxID = wrappedID
            let co = tableGet(globals, internString("coroutine"))
            if co.isTable {
                let r = tableGet(co.table, internString("resume"))
                if r.isNativeFunction { resumeID = Int(r.nativeFunction.pointee.builtin) }
                let y = tableGet(co.table, internString("yield"))
                if y.isNativeFunction { yieldID = Int(y.nativeFunction.pointee.builtin) }
            }
            if resumeID >= 0 && yieldID == resumeID + 1 && wrapAuxID == resumeID + 2 { coSwitchBase = resumeID }
        } catch {}
        registerLibrary("coroutine", [
            ("create", { vm, a in
                let f = a[0]
                guard f.isFunction else { throw vm.typeArgError(a, 0, "create", "function") }
                a.base[0] = Value(try vm.newCoroutine(f))
                vm.heap.checkGC()
                return 1
            }),
            ("status", { vm, a in
                let c = a[0]
                guard c.isThread else { throw vm.argError(1, "status", "coroutine expected") }
                a.base[0] = vm.statusValue(c.thread)
                return 1
            }),
            ("running", { vm, a in
                let co = coState(vm.currentThread)
                a.base[0] = co.pointee.isMain ? .nil : Value(vm.currentThread)
                return 1
            }),
            ("isyieldable", { vm, a in
                let co = coState(vm.currentThread)
                a.base[0] = Value(!co.pointee.isMain && co.pointee.swiftCalls == 0)
                return 1
            }),
        ])
        do {
            let wrappedID = wrapAuxID
            let co = tableGet(globals, internString("coroutine"))
            var names = [Value]()
            for n in ["suspended", "running", "normal", "dead"] {
                let s = try heap.string(n)
                heap.fix(s)
                names.append(s)
            }
            coStatusNames = (names[0], names[1], names[2], names[3])
            let wrap = try makeBuiltin("wrap") { vm, a in
                let f = a[0]
                guard f.isFunction else { throw vm.typeArgError(a, 0, "wrap", "function") }
                let th = Value(try vm.newCoroutine(f))
                a.base[0] = th  // keep it rooted while the closure is made
                a.base[0] = try vm.makeNativeClosure(builtin: wrappedID, upvalues: [th])
                vm.heap.checkGC()
                return 1
            }
            if co.isTable { try tableSet(co.table, try heap.string("wrap"), wrap) }
        } catch {}
    }

    func newCoroutine(_ f: Value) throws -> ThreadRef {
        let L = try LuaVM.makeThread(heap, slots: LuaVM.coroutineStackSlots, isMain: false)
        L.pointee.status = UInt8(TJ_CO_SUSPENDED)
        L.pointee.env = globals
        let s = stackBase(L)
        s[0] = f
        L.pointee.top = 1
        coState(L).pointee.highWater = s + 1
        return L
    }

    func statusName(_ L: ThreadRef) -> String {
        if L == currentThread { return "running" }
        switch Int(L.pointee.status) {
        case TJ_CO_SUSPENDED: return "suspended"
        case TJ_CO_RUNNING: return "running"
        case TJ_CO_NORMAL: return "normal"
        default: return "dead"
        }
    }

    /// coroutine.status's answer as a (fixed, interned) string value.
    @inline(__always) func statusValue(_ L: ThreadRef) -> Value {
        if L == currentThread { return coStatusNames.1 }
        switch Int(L.pointee.status) {
        case TJ_CO_SUSPENDED: return coStatusNames.0
        case TJ_CO_RUNNING: return coStatusNames.1
        case TJ_CO_NORMAL: return coStatusNames.2
        default: return coStatusNames.3
        }
    }

    func yieldNative(_ a: NativeArgs) throws -> Int {
        let co = coState(a.L)
        if co.pointee.swiftCalls > 0 || co.pointee.isMain {
            throw runtimeError("attempt to yield across C-call boundary", ci: nil)
        }
        co.pointee.yielding = true
        co.pointee.nres = a.count
        if let r = co.pointee.resumer {
            return try switchBack(a.L, co, to: r, values: a.base, count: a.count, finished: false)
        }
        return -1
    }

    // MARK: switches inside the interpreter loop

    /// coroutine.resume, the wrap functions and coroutine.yield called by the loop's CALL (instead
    /// of callNative): pushes the native's call record as callNative does, then switches coroutines in the
    /// loop (returns -3: the loop reloads its thread and frame, the record stays). Returns nil, the
    /// record popped again, when the general path must run the call: a yield not in a coroutine
    /// resumed in the loop (or across a Swift-level call), a resume the loop cannot do (see
    /// resumeInLoop), bad arguments.
    @inline(never)
    func coroutineCall(_ L: ThreadRef, _ co: CoPtr, fn: UnsafeMutablePointer<Value>, nargs: Int, wanted: Int32,
                       id: Int) throws -> Int? {
        let args = fn + 1
        let top = args + nargs
        let reach = top + 40
        let n = co.pointee.ciCount
        if addr(reach + InterpLimits.stackMargin) > addr(co.pointee.stackLimit) || n >= co.pointee.ciCap { return nil }
        co.pointee.cis[n] = CallInfo(fn: fn, base: args, top: top, pc: nativePC, closure: nil, nresults: wanted,
                                     flags: 0, nvarargs: 0, handler: .nil)
        co.pointee.ciCount = n + 1
        if addr(reach) > addr(co.pointee.highWater) { co.pointee.highWater = reach }
        L.pointee.top = UInt32(truncatingIfNeeded: top - stackBase(L))
        if id == yieldID {
            if let r = co.pointee.resumer, co.pointee.swiftCalls == 0 {
                co.pointee.yielding = true
                co.pointee.nres = nargs
                return try switchBackBody(L, co, to: r, values: args, count: nargs, finished: false)
            }
        } else if id == resumeID {
            if nargs > 0 && args.pointee.isThread && resumeInLoop(args.pointee.thread, from: L, args: args + 1, nargs: nargs - 1, wrap: false) {
                return -3
            }
        } else if resumeInLoop(fn.pointee.nativeFunction.upvalues[0].thread, from: L, args: args, nargs: nargs, wrap: true) {
            return -3
        }
        co.pointee.ciCount = n
        return nil
    }

    /// Switches the loop from R to coroutine C (the resume's record already pushed on R): the
    /// arguments become the results of C's pending yield, or the arguments of its body on the first
    /// resume. False, with nothing changed, when C must be resumed by the nested path: not
    /// suspended (that path reports the error), a native body, a yield reached by a tail call,
    /// arguments that might not fit, the nesting limit.
    @inline(__always)
    func resumeInLoop(_ C: ThreadRef, from R: ThreadRef, args: UnsafeMutablePointer<Value>, nargs: Int, wrap: Bool) -> Bool {
        guard Int(C.pointee.status) == TJ_CO_SUSPENDED, C != R, swiftDepth < InterpLimits.maxSwiftDepth else { return false }
        let cco = coState(C)
        let stack0 = stackBase(C)
        // Room for the arguments (twice: a vararg body copies its fixed parameters above them) and
        // a frame, so that entering the body cannot fail.
        if addr(stack0 + Int(C.pointee.top) + 2 * nargs + 256 + InterpLimits.stackMargin) > addr(cco.pointee.stackLimit) {
            return false
        }
        let n = cco.pointee.ciCount
        if n == 0 {
            // First resume: the function is at stack[0].
            guard stack0.pointee.isLuaFunction else { return false }
            let fn = stack0
            var i = 0
            while i < nargs { fn[1 + i] = args[i]; i += 1 }
            let top = fn + 1 + nargs
            C.pointee.top = UInt32(truncatingIfNeeded: top - stack0)
            if addr(top) > addr(cco.pointee.highWater) { cco.pointee.highWater = top }
            guard enterCoroutineBody(C, cco, nargs: nargs) else { return false }
        } else {
            // After a yield: the arguments become the yield call's results.
            let yci = cco.pointee.cis + (n - 1)
            guard n >= 2, yci.pointee.flags & CIFlag.tail == 0 else { return false }
            let fn = yci.pointee.fn
            let wanted = Int(yci.pointee.nresults)
            if wanted >= 0 {
                var i = 0
                while i < wanted { fn[i] = i < nargs ? args[i] : .nil; i += 1 }
                cco.pointee.resumeTop = nil
            } else {
                var i = 0
                while i < nargs { fn[i] = args[i]; i += 1 }
                cco.pointee.resumeTop = fn + nargs
                if addr(fn + nargs) > addr(cco.pointee.highWater) { cco.pointee.highWater = fn + nargs }
            }
            cco.pointee.ciCount = n - 1
            cco.pointee.yielding = false
        }
        R.pointee.status = UInt8(TJ_CO_NORMAL)
        C.pointee.status = UInt8(TJ_CO_RUNNING)
        cco.pointee.resumer = R
        cco.pointee.resumedByWrap = wrap
        swiftDepth &+= 1
        inLoopResumes &+= 1
        currentThread = C
        C.pointee.resumer = R  // before C is published (plain stores: the walk checks what it follows)
        tj_vm_state.thread = C
        return true
    }

    /// The first frame of a coroutine resumed in the loop: its body at stack[0] with `nargs`
    /// arguments, flagged reentry as the nested path does (resumeInLoop checked the room).
    @inline(never)
    func enterCoroutineBody(_ C: ThreadRef, _ cco: CoPtr, nargs: Int) -> Bool {
        do {
            try enterLua(C, cco, fn: stackBase(C), nargs: nargs, wanted: -1, flags: CIFlag.lua | CIFlag.reentry)
            return true
        } catch {
            return false
        }
    }

    /// Leaves coroutine C (resumed in the loop by R) for R: C yielded `count` values at `values`
    /// (its yield record stays on top) or finished with them. They become the results of R's
    /// pending resume call (after `true` for coroutine.resume), whose record is popped; R's loop
    /// picks up a multiple-result top from R's resumeTop. Returns -3 (reload thread and frame).
    @inline(never)
    func switchBack(_ C: ThreadRef, _ cco: CoPtr, to R: ThreadRef, values: UnsafeMutablePointer<Value>,
                    count: Int, finished: Bool) throws -> Int {
        try switchBackBody(C, cco, to: R, values: values, count: count, finished: finished)
    }

    /// Coroutine C, resumed in the loop by R, stops running (`status`: suspended at a yield, or
    /// dead) and R runs again. The profiler's `resumer` link goes only after R is published.
    @inline(__always)
    func leaveForResumer(_ C: ThreadRef, _ cco: CoPtr, to R: ThreadRef, status: Int) {
        cco.pointee.resumer = nil
        swiftDepth &-= 1
        C.pointee.status = UInt8(status)
        R.pointee.status = UInt8(TJ_CO_RUNNING)
        currentThread = R
        tj_vm_state.thread = R
        C.pointee.resumer = nil
    }

    @inline(__always)
    func switchBackBody(_ C: ThreadRef, _ cco: CoPtr, to R: ThreadRef, values: UnsafeMutablePointer<Value>,
                        count: Int, finished: Bool) throws -> Int {
        let wrap = cco.pointee.resumedByWrap
        leaveForResumer(C, cco, to: R, status: finished ? TJ_CO_DEAD : TJ_CO_SUSPENDED)
        let rco = coState(R)
        let rci = rco.pointee.cis + (rco.pointee.ciCount - 1)  // the pending resume call
        let fn = rci.pointee.fn
        let wanted = Int(rci.pointee.nresults)
        let off = wrap ? 0 : 1
        let total = count + off
        if wanted < 0 {
            if addr(fn + total + InterpLimits.stackMargin) > addr(rco.pointee.stackLimit) {
                if finished { cco.pointee.ciCount = 0; C.pointee.top = 0 }
                throw runtimeError("stack overflow", ci: nil)
            }
            if !wrap { fn[0] = .true }
            var i = 0
            while i < count { fn[off + i] = values[i]; i += 1 }
            if addr(fn + total) > addr(rco.pointee.highWater) { rco.pointee.highWater = fn + total }
            rco.pointee.resumeTop = fn + total
        } else if wanted > 0 {
            var i = 0
            if !wrap { fn[0] = .true; i = 1 }
            while i < wanted && i < total { fn[i] = values[i - off]; i += 1 }
            while i < wanted { fn[i] = .nil; i += 1 }
            rco.pointee.resumeTop = nil
        } else {
            rco.pointee.resumeTop = nil
        }
        rco.pointee.ciCount -= 1
        if finished {
            cco.pointee.ciCount = 0
            C.pointee.top = 0
        }
        return -3
    }

    /// The base frame of coroutine C, resumed in the loop, returned (its results at stack[0],
    /// count in nres): C is dead, its results go to the resumer, which becomes the current thread.
    @inline(never)
    func coroutineFinished(_ C: ThreadRef, _ cco: CoPtr) throws {
        _ = try switchBack(C, cco, to: cco.pointee.resumer.unsafelyUnwrapped, values: stackBase(C),
                           count: cco.pointee.nres, finished: true)
    }

    /// An error no pcall frame of coroutine C (resumed in the loop) caught: C is dead and its
    /// resumer becomes the current thread. coroutine.resume returns false, msg (nil is returned);
    /// a wrap function raises the error in its caller (returned: a string message gets the position
    /// of the wrap function's caller, as Lua's auxwrap).
    @inline(never)
    func coroutineDied(_ C: ThreadRef, _ cco: CoPtr, error e: LuaError) -> LuaError? {
        let R = cco.pointee.resumer.unsafelyUnwrapped
        let wrap = cco.pointee.resumedByWrap
        leaveForResumer(C, cco, to: R, status: TJ_CO_DEAD)
        closeUpvalues(C, level: stackBase(C))
        if wrap {
            if e.value.isString { return runtimeError(e.value.string.string, ci: nil) }
            return e
        }
        let rco = coState(R)
        let rci = rco.pointee.cis + (rco.pointee.ciCount - 1)
        let fn = rci.pointee.fn
        let wanted = Int(rci.pointee.nresults)
        rco.pointee.ciCount -= 1
        if wanted < 0 {
            fn[0] = .false
            fn[1] = e.value
            rco.pointee.resumeTop = fn + 2
        } else {
            var i = 0
            while i < wanted { fn[i] = i == 0 ? .false : (i == 1 ? e.value : .nil); i += 1 }
            rco.pointee.resumeTop = nil
        }
        return nil
    }

    /// resume(co, args...) (wrap == false: results are `true, ...` or `false, msg`) or a call of a
    /// wrap function (results are the values; errors propagate).
    func resume(_ L: ThreadRef, _ a: NativeArgs, firstArg: Int, wrap: Bool) throws -> Int {
        let status = Int(L.pointee.status)
        let co = coState(L)
        if L == currentThread || status != TJ_CO_SUSPENDED {
            let msg = status == TJ_CO_DEAD || status == TJ_CO_ERROR ? "cannot resume dead coroutine"
                : "cannot resume running coroutine"
            if wrap { throw runtimeError(msg, ci: nil) }
            a.base[0] = .false
            a.base[1] = try heap.string(msg)
            return 2
        }
        if swiftDepth >= InterpLimits.maxSwiftDepth { throw runtimeError("stack overflow", ci: nil) }
        let nargs = max(a.count - firstArg, 0)
        let stack0 = stackBase(L)
        if stack0 + Int(L.pointee.top) + nargs + InterpLimits.stackMargin > co.pointee.stackLimit {
            throw runtimeError("stack overflow", ci: nil)
        }
        let prev = currentThread
        prev.pointee.status = UInt8(TJ_CO_NORMAL)
        L.pointee.status = UInt8(TJ_CO_RUNNING)
        currentThread = L
        L.pointee.resumer = prev
        tj_vm_state.thread = L
        swiftDepth += 1
        defer {
            swiftDepth -= 1
            currentThread = prev
            tj_vm_state.thread = prev
            L.pointee.resumer = nil
            prev.pointee.status = UInt8(TJ_CO_RUNNING)
        }
        var finished = false
        var resultBase = stack0
        var nres = 0
        do {
            if co.pointee.ciCount == 0 {
                // First resume: the function is at stack[0].
                let fn = stack0
                for i in 0..<nargs { fn[1 + i] = a.base[firstArg + i] }
                let top = fn + 1 + nargs
                L.pointee.top = UInt32(top - stack0)
                if addr(top) > addr(co.pointee.highWater) { co.pointee.highWater = top }
                if fn.pointee.isLuaFunction {
                    try enterLua(L, co, fn: fn, nargs: nargs, wanted: -1, flags: CIFlag.lua | CIFlag.reentry)
                    if try execute(L) {
                        (resultBase, nres) = yieldedValues(co)
                    } else {
                        finished = true; resultBase = fn; nres = co.pointee.nres
                    }
                } else {
                    let n = try callNative(L, co, fn: fn, nargs: nargs, wanted: -1, inLoop: false)
                    if n < 0 {
                        (resultBase, nres) = yieldedValues(co)
                    } else {
                        finished = true; resultBase = fn; nres = n
                    }
                }
            } else {
                // Resume after a yield: the resume arguments become the yield call's results.
                let yci = co.pointee.cis + (co.pointee.ciCount - 1)
                let fn = yci.pointee.fn
                let wanted = Int(yci.pointee.nresults)
                let byTailCall = yci.pointee.flags & CIFlag.tail != 0
                var n = nargs
                if wanted >= 0 {
                    for i in 0..<wanted { fn[i] = i < nargs ? a.base[firstArg + i] : .nil }
                    n = wanted
                } else {
                    for i in 0..<nargs { fn[i] = a.base[firstArg + i] }
                }
                co.pointee.ciCount -= 1
                co.pointee.yielding = false
                if co.pointee.ciCount == 0 {
                    finished = true; resultBase = fn; nres = n
                } else {
                    var ci = co.pointee.cis + (co.pointee.ciCount - 1)
                    var mtop = fn + n
                    var done = false
                    // A yield reached by TAILCALL (its record is flagged tail): return its results
                    // from the calling frame now. (The flag, not the caller's instruction before
                    // its pc: that load missed the cache at a ninth of resume's samples.)
                    if byTailCall && ci.pointee.closure != nil {
                        let base0 = ci.pointee.fn
                        done = try finishReturn(L, co, &ci, src: fn, count: n, mtop: &mtop)
                        if done { finished = true; resultBase = base0; nres = co.pointee.nres }
                    }
                    if !done {
                        co.pointee.resumeTop = wanted < 0 ? mtop : nil
                        if try execute(L) {
                            (resultBase, nres) = yieldedValues(co)
                        } else {
                            finished = true; resultBase = stack0; nres = co.pointee.nres
                        }
                    }
                }
            }
        } catch let e as LuaError {
            currentThread = prev
            L.pointee.status = UInt8(TJ_CO_DEAD)
            closeUpvalues(L, level: stack0)
            if wrap {
                // As Lua's auxwrap: a string error gets the position of the wrap function's caller.
                if e.value.isString { throw runtimeError(e.value.string.string, ci: nil) }
                throw e
            }
            a.base[0] = .false
            a.base[1] = e.value
            return 2
        } catch let e as HeapError {
            currentThread = prev
            L.pointee.status = UInt8(TJ_CO_DEAD)
            closeUpvalues(L, level: stack0)
            if wrap { throw runtimeError(e.message, ci: nil) }
            a.base[0] = .false
            a.base[1] = internString(e.message)
            return 2
        }
        L.pointee.status = UInt8(finished ? TJ_CO_DEAD : TJ_CO_SUSPENDED)
        // Copy the values to the resumer's stack.
        let off = wrap ? 0 : 1
        try ensureResults(a, nres + off)
        if !wrap { a.base[0] = .true }
        for i in 0..<nres { a.base[off + i] = resultBase[i] }
        if finished {
            co.pointee.ciCount = 0
            L.pointee.top = 0
        }
        return nres + off
    }

    /// The values passed to the pending yield (its arguments, at its call record's base).
    func yieldedValues(_ co: CoPtr) -> (UnsafeMutablePointer<Value>, Int) {
        let yci = co.pointee.cis + (co.pointee.ciCount - 1)
        return (yci.pointee.base, co.pointee.nres)
    }
}
