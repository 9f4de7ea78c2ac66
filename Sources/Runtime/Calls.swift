// Calls: entering Lua frames, calling natives, Swift-level calls (metamethods and library
// callbacks), __call, closures and upvalues.
//
// Swift-level calls (`LuaVM.call`) are the only place the interpreter recurses on the Swift stack:
// they push the callee on the running coroutine's stack above the current frame and start a new
// `run` for it. `swiftDepth` counts them across coroutines; past InterpLimits.maxSwiftDepth they
// raise "stack overflow" (a catchable Lua error), so runaway recursion through metamethods or library
// callbacks never exhausts the native stack.
import Bytecode
import CVM

extension LuaVM {
    @inline(__always) func stackBase(_ L: ThreadRef) -> UnsafeMutablePointer<Value> {
        UnsafeMutableRawPointer(L.pointee.stack.unsafelyUnwrapped).assumingMemoryBound(to: Value.self)
    }

    /// Pushes a Lua frame for the closure at `fn` with `nargs` arguments at fn+1.
    @inline(__always)
    func enterLua(_ L: ThreadRef, _ co: CoPtr, fn: UnsafeMutablePointer<Value>, nargs: Int, wanted: Int32,
                  flags: UInt32, handler: Value = .nil) throws {
        let f = fn.pointee.luaFunction
        let p = f.pointee.proto.unsafelyUnwrapped
        let nparams = Int(p.pointee.numparams)
        var base = fn + 1
        var nva: Int32 = 0
        if p.pointee.isvararg != 0 {
            // Keep the extra arguments below the frame: copy fn and the fixed parameters above them.
            let newFn = fn + 1 + nargs
            if addr(newFn + Int(p.pointee.framesize) + InterpLimits.stackMargin) > addr(co.pointee.stackLimit) {
                throw stackOverflow(L, co)
            }
            newFn[0] = fn[0]
            var i = 0
            while i < nparams {
                newFn[1 + i] = i < nargs ? fn[1 + i] : .nil
                i += 1
            }
            base = newFn + 1
            nva = Int32(max(nargs - nparams, 0))
        } else {
            var i = nargs
            while i < nparams { base[i] = .nil; i += 1 }
        }
        let top = base + Int(p.pointee.framesize)
        if addr(top + InterpLimits.stackMargin) > addr(co.pointee.stackLimit) || co.pointee.ciCount >= co.pointee.ciCap {
            throw stackOverflow(L, co)
        }
        let ci = co.pointee.cis + co.pointee.ciCount
        co.pointee.ciCount += 1
        ci.pointee = (CallInfo(fn: fn, base: base, top: top, pc: p.pointee.code.unsafelyUnwrapped,
                                   closure: f, nresults: wanted, flags: flags, nvarargs: nva, handler: handler))
        if addr(top) > addr(co.pointee.highWater) { co.pointee.highWater = top }
    }

    @inline(never)
    func stackOverflow(_ L: ThreadRef, _ co: CoPtr) -> LuaError {
        runtimeError("stack overflow", ci: co.pointee.cis + (co.pointee.ciCount - 1))
    }

    /// Calls the native function at `fn` with `nargs` arguments. Results are moved to fn per
    /// `wanted` and the count is returned; -1 means the coroutine yielded (the native's record stays);
    /// -2 means an in-loop pcall pushed a protected Lua frame (the caller must reload); -3 means the
    /// running coroutine changed (a resume or yield in the loop, see Coroutines.swift: the caller
    /// must reload its thread and frame from `currentThread`).
    @inline(never)
    func callNative(_ L: ThreadRef, _ co: CoPtr, fn: UnsafeMutablePointer<Value>, nargs: Int, wanted: Int32,
                    inLoop: Bool, tail: Bool = false) throws -> Int {
        let cf = fn.pointee.nativeFunction
        let id = Int(cf.pointee.builtin)
        if inLoop && (id == BuiltinID.pcall || id == BuiltinID.xpcall) && nargs >= 1 {
            if let r = try enterProtected(L, co, fn: fn, nargs: nargs, wanted: wanted, xpcall: id == BuiltinID.xpcall) {
                return r
            }
        }
        let args = fn + 1
        // The GC marks exactly the arguments (natives root more with ensureResults); slots a
        // little above are cleared at collections (high-water mark) since natives write results there.
        let top = args + nargs
        let reach = top + 40
        if addr(reach + InterpLimits.stackMargin) > addr(co.pointee.stackLimit) || co.pointee.ciCount >= co.pointee.ciCap {
            throw stackOverflow(L, co)
        }
        let ci = co.pointee.cis + co.pointee.ciCount
        co.pointee.ciCount += 1
        ci.pointee = (CallInfo(fn: fn, base: args, top: top, pc: nativePC, closure: nil, nresults: wanted,
                                   flags: tail ? CIFlag.tail : 0, nvarargs: 0, handler: .nil))
        if addr(reach) > addr(co.pointee.highWater) { co.pointee.highWater = reach }
        L.pointee.top = UInt32(truncatingIfNeeded: top - stackBase(L))
        let nargsv = NativeArgs(L: L, fn: cf, base: args, count: nargs)
        let n: Int
        // The coroutine switches skip their boxed closures (and the closures' thunks).
        if id == resumeID && nargs > 0 && args.pointee.isThread {
            n = try resume(args.pointee.thread, nargsv, firstArg: 1, wrap: false)
        } else if id == wrapAuxID {
            n = try resume(cf.upvalues[0].thread, nargsv, firstArg: 0, wrap: true)
        } else if id == yieldID {
            n = try yieldNative(nargsv)
        } else {
            n = try nativeFns.unsafelyUnwrapped[id]._withUnsafeGuaranteedRef { try $0.fn(self, nargsv) }
        }
        if n < 0 { return n }
        co.pointee.ciCount -= 1
        // Results are at args[0 ..< n]: move them to fn.
        var i = 0
        if wanted < 0 {
            while i < n { fn[i] = args[i]; i += 1 }
            return n
        }
        let w = Int(wanted)
        while i < w { fn[i] = i < n ? args[i] : .nil; i += 1 }
        return w
    }

    /// In-loop pcall/xpcall: when the protected function is a Lua function, pushes its frame flagged
    /// pcall and returns -2; otherwise returns nil (the builtin runs as a plain native).
    func enterProtected(_ L: ThreadRef, _ co: CoPtr, fn: UnsafeMutablePointer<Value>, nargs: Int, wanted: Int32,
                        xpcall: Bool) throws -> Int? {
        let target = fn[1]
        guard target.isLuaFunction else { return nil }
        if xpcall {
            guard nargs >= 2, fn[2].isFunction else { return nil }
            let handler = fn[2]
            // [xpcall][f][h][args...] -> [xpcall][f][args...]
            var i = 2
            while i < nargs { fn[i] = fn[i + 1]; i += 1 }
            try enterLua(L, co, fn: fn + 1, nargs: nargs - 2, wanted: wanted,
                         flags: CIFlag.lua | CIFlag.xpcall, handler: handler)
        } else {
            try enterLua(L, co, fn: fn + 1, nargs: nargs - 1, wanted: wanted, flags: CIFlag.lua | CIFlag.pcall)
        }
        return -2
    }

    /// `__call`: shifts the arguments up and puts the metamethod in the function slot. Returns the
    /// new callee (a function) or throws "attempt to call ...".
    @inline(never)
    func callMetamethod(_ fn: UnsafeMutablePointer<Value>, nargs: inout Int, ci: UnsafeMutablePointer<CallInfo>,
                        slot: Int, isIter: Bool) throws -> Value {
        let obj = fn.pointee
        let mm = metamethod(of: obj, .call)
        guard mm.isFunction else {
            if isIter { throw runtimeError("attempt to call a \(obj.typeName) value", ci: ci) }
            throw typeError(obj, "call", ci: ci, slot: slot)
        }
        var i = nargs
        while i >= 0 { fn[i + 1] = fn[i]; i -= 1 }
        fn[0] = mm
        nargs += 1
        return mm
    }

    // MARK: Swift-level calls

    /// Calls `f` with `args` from Swift (library callbacks, metamethods). The call is pushed above
    /// the running frame of the current coroutine. Returns the results (all of them if wanted < 0).
    func call(_ f: Value, _ args: [Value], wanted: Int = -1) throws -> [Value] {
        let L = currentThread
        return try callValue(L, top: callTop(L), fn: f, args: args, wanted: wanted)
    }

    /// `call` for metamethods: up to three arguments (`nargs`), the first result (nil if none),
    /// without building arrays.
    func callSmall(_ f: Value, _ x: Value, _ y: Value, _ z: Value = .nil, nargs: Int, wanted: Int = 1) throws -> Value {
        let L = currentThread
        let top = callTop(L)
        let n = try callPlaced(L, top: top, fn: f, nargs: nargs, wanted: wanted) { a in
            a[0] = x
            if nargs > 1 { a[1] = y }
            if nargs > 2 { a[2] = z }
        }
        return n > 0 ? top[0] : .nil
    }

    /// Calls `f` with its arguments placed at `top` in coroutine `L`.
    func callValue(_ L: ThreadRef, top: UnsafeMutablePointer<Value>, fn f: Value, args: [Value], wanted: Int) throws -> [Value] {
        let n = try callPlaced(L, top: top, fn: f, nargs: args.count, wanted: wanted) { a in
            for (i, v) in args.enumerated() { a[i] = v }
        }
        return Array(UnsafeBufferPointer(start: top, count: n))
    }

    /// Where a Swift-level call goes in coroutine `L`: above its running frame and its `top`.
    @inline(__always) func callTop(_ L: ThreadRef) -> UnsafeMutablePointer<Value> {
        let co = coState(L)
        var top = stackBase(L) + Int(L.pointee.top)
        if co.pointee.ciCount > 0 {
            let ciTop = co.pointee.cis[co.pointee.ciCount - 1].top
            if addr(ciTop) > addr(top) { top = ciTop }
        }
        return top
    }

    /// The core of the Swift-level calls: `f` at `top`, its `nargs` arguments written by `place`
    /// (given the first argument slot); the results land at `top`, their count is returned.
    @inline(__always)
    func callPlaced(_ L: ThreadRef, top: UnsafeMutablePointer<Value>, fn f: Value, nargs: Int, wanted: Int,
                    place: (UnsafeMutablePointer<Value>) -> Void) throws -> Int {
        let co = coState(L)
        if addr(top + 1 + nargs + InterpLimits.stackMargin) > addr(co.pointee.stackLimit) { throw stackOverflow(L, co) }
        top[0] = f
        place(top + 1)
        let end = top + 1 + nargs
        let savedTop = L.pointee.top
        L.pointee.top = UInt32(truncatingIfNeeded: end - stackBase(L))
        if addr(end) > addr(co.pointee.highWater) { co.pointee.highWater = end }
        defer { L.pointee.top = savedTop }
        return try callAt(L, co, fn: top, nargs: nargs, wanted: wanted)
    }

    /// Calls the value at `fn` (arguments at fn+1) at the Swift level; results land at fn, their
    /// count is returned.
    func callAt(_ L: ThreadRef, _ co: CoPtr, fn: UnsafeMutablePointer<Value>, nargs: Int, wanted: Int) throws -> Int {
        if swiftDepth >= InterpLimits.maxSwiftDepth {
            throw runtimeError("stack overflow", ci: co.pointee.ciCount > 0 ? co.pointee.cis + (co.pointee.ciCount - 1) : nil)
        }
        swiftDepth += 1
        co.pointee.swiftCalls += 1
        defer { swiftDepth -= 1; co.pointee.swiftCalls -= 1 }
        var nargs = nargs
        var f = fn.pointee
        if !f.isFunction {
            let mm = metamethod(of: f, .call)
            // No position, as LuaJIT: the call is made by a native (pcall, a library function) or
            // for a metamethod, not by a Lua instruction.
            guard mm.isFunction else { throw makeError("attempt to call a \(f.typeName) value") }
            var i = nargs
            while i >= 0 { fn[i + 1] = fn[i]; i -= 1 }
            fn[0] = mm
            nargs += 1
            f = mm
        }
        let savedCount = co.pointee.ciCount
        if f.isLuaFunction {
            // On errors the frames stay in place (for the traceback); whoever catches truncates.
            try enterLua(L, co, fn: fn, nargs: nargs, wanted: Int32(wanted), flags: CIFlag.lua | CIFlag.reentry)
            if try execute(L) {
                co.pointee.ciCount = savedCount
                throw runtimeError("attempt to yield across C-call boundary", ci: nil)
            }
            return co.pointee.nres
        } else {
            let n = try callNative(L, co, fn: fn, nargs: nargs, wanted: Int32(wanted), inLoop: false)
            if n < 0 {
                co.pointee.ciCount = savedCount
                throw runtimeError("attempt to yield across C-call boundary", ci: nil)
            }
            return n
        }
    }

    // MARK: closures and upvalues

    /// FNEW: a closure of child prototype `child` of the running closure `parent`.
    @inline(never)
    func newClosure(_ L: ThreadRef, parent: LFuncRef, base: UnsafeMutablePointer<Value>, child: Int) throws -> Value {
        let p = parent.pointee.proto.unsafelyUnwrapped.pointee.child[child].unsafelyUnwrapped
        let nuv = Int(p.pointee.nuv)
        let f = try heap.newLuaFunction(p, env: parent.pointee.env.unsafelyUnwrapped)
        if p.pointee.nclosures < 2 { p.pointee.nclosures &+= 1 }
        let uvs = f.upvalues
        for i in 0..<nuv {
            let d = p.pointee.uvdesc[i]
            if d & 0x8000 != 0 {
                uvs[i] = try heap.findUpvalue(L, slot: base + Int(d & 0x7fff))
            } else {
                uvs[i] = parent.upvalues[Int(d)]
            }
        }
        let v = Value(f)
        return v
    }
}

/// A placeholder pc for native frames.
let noPC: UnsafePointer<UInt32> = {
    let p = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
}()

