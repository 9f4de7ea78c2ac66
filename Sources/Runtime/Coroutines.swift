// Coroutines: create, resume, yield, status, wrap, running, isyieldable.
//
// Each coroutine has its own value stack and call records. `resume` runs the coroutine's frames
// with a nested `execute` on the Swift stack (counted against the Swift depth limit); `yield` is a
// native that returns -1: the interpreter loop then returns from `run` with its frames intact, the
// yield's own call record still on top. Resuming again stores the resume arguments as that call's
// results, pops it and re-enters the loop. Yields can therefore cross Lua frames and in-loop pcall
// frames, but not Swift-level calls (metamethods, library callbacks): those raise
// "attempt to yield across C-call boundary", as in Lua 5.1.
import Bytecode
import CVM

extension LuaVM {
    static let coroutineStackSlots = 1 << 18

    func registerCoroutineLibrary() {
        registerLibrary("coroutine", [
            ("create", { vm, a in
                let f = a[0]
                guard f.isFunction else { throw vm.typeArgError(a, 0, "create", "function") }
                a.base[0] = Value(try vm.newCoroutine(f))
                vm.heap.checkGC()
                return 1
            }),
            ("resume", { vm, a in
                let c = a[0]
                guard c.isThread else { throw vm.argError(1, "resume", "coroutine expected") }
                return try vm.resume(c.thread, a, firstArg: 1, wrap: false)
            }),
            ("yield", { vm, a in try vm.yieldNative(a) }),
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
        return -1
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
        tj_vm_state.thread = L
        swiftDepth += 1
        defer {
            swiftDepth -= 1
            currentThread = prev
            tj_vm_state.thread = prev
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
